"""What the handlers share while the bot runs: the serving index, the journal, counters."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from telegram.ext import Application, CallbackContext

from bot.buttons import AnswerCache
from bot.flood import FloodGate
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
    answers: AnswerCache = field(default_factory=AnswerCache)
    answered: int = 0
    not_found: int = 0
    reindexing: bool = False
    reindex_task: asyncio.Task | None = None

    def swap_retriever(self, retriever: Retriever) -> Retriever:
        """Serve from `retriever` from now on; returns the one it replaces.

        Cached answers point at passage ids of the old index, so they are dropped
        and their buttons answer with a polite toast.
        """
        old, self.retriever = self.retriever, retriever
        self.answers.clear()
        return old


def get_state(holder: CallbackContext | Application) -> BotState:
    """The `BotState` kept in the application's bot_data."""
    return holder.bot_data[STATE_KEY]
