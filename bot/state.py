"""What the handlers share while the bot runs: the serving index, the journal, counters."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from telegram.ext import Application, CallbackContext

from bot.flood import FloodGate
from bot.followup import RecentQuestions
from bot.journal import Journal
from retrieval import Retriever
from settings import Settings

STATE_KEY = "wenda"


@dataclass
class BotState:
    """Mutable on purpose: /reindex swaps the retriever, questions bump the counters."""

    retriever: Retriever
    settings: Settings
    journal: Journal
    flood: FloodGate = field(default_factory=FloodGate)
    asked: RecentQuestions = field(default_factory=RecentQuestions)
    answered: int = 0
    not_found: int = 0
    reindexing: bool = False
    reindex_task: asyncio.Task | None = None

    def swap_retriever(self, retriever: Retriever) -> Retriever:
        """Serve from `retriever` from now on; returns the one it replaces.

        Buttons keep working: they name passages by content, not by this index's ids.
        """
        old, self.retriever = self.retriever, retriever
        return old


def get_state(holder: CallbackContext | Application) -> BotState:
    """The `BotState` kept in the application's bot_data."""
    return holder.bot_data[STATE_KEY]
