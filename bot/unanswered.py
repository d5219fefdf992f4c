"""/unanswered: the questions the bot most often could not answer, for admins.

Each refused (not found) question is noted in the journal as it happens; the
list tells operators which articles are missing.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import ContextTypes

from bot import texts
from bot.admins import admit_admin
from bot.journal import UNANSWERED_DAYS, Unanswered
from bot.render import escape, format_when
from bot.state import BotState, get_state

logger = logging.getLogger(__name__)

SHOWN = 10


async def note_unanswered(state: BotState, question: str) -> None:
    """Remember a refused question; a journal that cannot be written costs only the note."""
    try:
        await asyncio.to_thread(state.journal.note_unanswered, question)
    except sqlite3.Error as error:
        logger.warning("could not note an unanswered question in %s: %s", state.journal.path, error)


def format_unanswered(items: Sequence[Unanswered], *, zone: ZoneInfo, now: datetime) -> str:
    """The /unanswered list: each question with how often and when it was last asked."""
    if not items:
        return texts.UNANSWERED_NONE.format(days=UNANSWERED_DAYS)
    lines = [texts.UNANSWERED_TITLE.format(days=UNANSWERED_DAYS)]
    for number, item in enumerate(items, 1):
        lines.append(
            texts.UNANSWERED_LINE.format(
                number=number,
                question=escape(item.question),
                times=item.times,
                when=format_when(item.last_asked, zone, now),
            )
        )
    lines.append(texts.UNANSWERED_HINT)
    return "\n".join(lines)


async def unanswered_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unanswered: for admins, the most often refused recent questions; others are refused."""
    state = get_state(context)
    if not await admit_admin(update, state, "/unanswered", texts.UNANSWERED_NOT_ADMIN):
        return
    items = await asyncio.to_thread(state.journal.most_unanswered, SHOWN)
    now = datetime.now(UTC)
    await update.effective_message.reply_text(
        format_unanswered(items, zone=ZoneInfo(state.settings.timezone), now=now)
    )
