"""/reindex: rebuild the store off the event loop while the bot keeps answering.

The build runs in a worker thread (`asyncio.to_thread`); one message shows
its progress, edited at most every `interval` seconds, and ends with the
summary. The new index swaps in whole only after it opened; on failure the
old one keeps serving and the admin is told why.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from telegram import Message
from telegram.error import TelegramError

from bot import texts
from bot.render import format_progress, format_reindex_error, format_summary
from bot.state import BotState
from index import BuildProgress, IndexBusy, IndexSummary, build_index
from retrieval import Retriever
from wenda.settings import Settings

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 3.0


class ProgressNote:
    """The latest progress of a build: written by the worker thread, read by the loop."""

    def __init__(self) -> None:
        self.latest: BuildProgress | None = None

    def update(self, progress: BuildProgress) -> None:
        self.latest = progress


def rebuild(
    settings: Settings, *, full: bool, progress: Callable[[BuildProgress], None]
) -> tuple[IndexSummary, Retriever]:
    """Build the store and open it; slow, so it runs in a worker thread."""
    summary = build_index(settings.corpus_dir, settings.db_path, full=full, progress=progress)
    retriever = Retriever.open(settings.db_path)
    retriever.warm_up()  # before it serves, like the first one
    return summary, retriever


async def _edit_quietly(status: Message, text: str) -> None:
    """Progress edits may fail (rate limits, network); the reindex goes on."""
    try:
        await status.edit_text(text)
    except TelegramError as error:
        logger.warning("could not update the reindex progress message: %s", error)


async def reindex_and_report(
    message: Message, state: BotState, *, full: bool = False, interval: float = PROGRESS_INTERVAL
) -> None:
    """Run one reindex, reporting in a reply to `message`; clears `state.reindexing` at the end."""
    try:
        status = await message.reply_text(texts.REINDEX_STARTED)
        note = ProgressNote()
        job = asyncio.ensure_future(
            asyncio.to_thread(rebuild, state.settings, full=full, progress=note.update)
        )
        shown = texts.REINDEX_STARTED
        while not job.done():
            await asyncio.wait({job}, timeout=interval)
            text = format_progress(note.latest)
            if not job.done() and text != shown:
                await _edit_quietly(status, text)
                shown = text
        try:
            summary, retriever = job.result()
        except IndexBusy:
            await status.edit_text(texts.REINDEX_BUSY)
            return
        except Exception as error:
            logger.error("reindex failed; the old index keeps serving", exc_info=error)
            await status.edit_text(format_reindex_error(error))
            return
        # The old retriever is not closed here: a question may still be running on it in
        # a worker thread. Its connection closes when the last reference goes.
        state.swap_retriever(retriever)
        logger.info(
            "reindex done in %.1f s: %d documents, %d passages",
            summary.seconds,
            summary.documents,
            summary.passages,
        )
        await status.edit_text(format_summary(summary))
    finally:
        state.reindexing = False
