"""/reindex: rebuild the store in a child process while the bot keeps answering.

The build runs in its own process (and process group, with any ingest workers
it starts), so the bot can abandon it at once: on shutdown the group gets
SIGTERM, and SIGKILL a second later if it still runs (SIGTERM waits for the
current C call, and loading jieba's dictionary is a long one). `build_index`
writes a side file and swaps it in with one rename, so an abandoned build
leaves the old store serving; the side file is deleted by the child on
SIGTERM, or else by the next build (`index.build._remove_stale_builds`).

One message shows the build's progress, edited at most every `interval`
seconds, and ends with the summary (under a heading, for an upload: which file
was saved). The new index swaps in whole only after it
opened; on failure the old one keeps serving and the admin is told why.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import pickle
import queue
import signal
import sys
from typing import Any

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import texts
from bot.logging_setup import LOG_FORMAT
from bot.render import format_progress, format_reindex_error, format_summary
from bot.state import BotState
from index import BuildProgress, IndexBusy, IndexSummary, build_index
from retrieval import Retriever
from settings import Settings

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 3.0
POLL_INTERVAL = 0.2  # how often the loop looks for the child's news
KILL_AFTER = 1.0  # seconds between SIGTERM and SIGKILL when abandoning a build


class ProgressNote:
    """The latest progress of a build, as the child last reported it."""

    def __init__(self) -> None:
        self.latest: BuildProgress | None = None

    def update(self, progress: BuildProgress) -> None:
        self.latest = progress


def _portable(error: BaseException) -> BaseException:
    """`error`, or a RuntimeError saying the same, if it cannot be pickled to the parent."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def _leave_on_sigterm(signum: int, frame: object) -> None:
    sys.exit(1)  # unwinds build_index, which deletes its half-built file


def build_in_child(settings: Settings, full: bool, news: Any) -> None:
    """In the child: build, sending ("progress", p)..., then ("done", summary) or ("failed", e)."""
    os.setpgid(0, 0)  # a group of its own: abandoning it reaches its ingest workers too
    signal.signal(signal.SIGTERM, _leave_on_sigterm)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the bot decides when the build stops
    logging.basicConfig(format=LOG_FORMAT, level=logging.INFO)
    try:
        summary = build_index(
            settings.corpus_dir,
            settings.db_path,
            full=full,
            progress=lambda progress: news.put(("progress", progress)),
        )
    except Exception as error:
        news.put(("failed", _portable(error)))
    else:
        news.put(("done", summary))


class BuildProcess:
    """One build in a child process; `result()` waits for it, `abandon()` ends it now."""

    def __init__(self, settings: Settings, *, full: bool):
        context = multiprocessing.get_context("spawn")
        self._news = context.Queue()
        # Not a daemon: a daemon process may not start the build's ingest workers.
        self._process = context.Process(
            target=build_in_child, args=(settings, full, self._news), name="wenda-reindex"
        )
        self._process.start()

    def _read_news(self, note: ProgressNote) -> tuple[str, Any] | None:
        while True:
            try:
                kind, value = self._news.get_nowait()
            except queue.Empty:
                return None
            if kind == "progress":
                note.update(value)
            else:
                return kind, value

    async def result(self, note: ProgressNote) -> IndexSummary:
        """The build's summary (or its exception, raised), once the child finished."""
        while True:
            ended = not self._process.is_alive()
            if outcome := self._read_news(note):
                kind, value = outcome
                await asyncio.to_thread(self._process.join)
                if kind == "failed":
                    raise value
                return value
            if ended:
                raise RuntimeError(f"the build process died (exit code {self._process.exitcode})")
            await asyncio.sleep(POLL_INTERVAL)

    def abandon(self) -> None:
        """Stop the build now: SIGTERM to its group, SIGKILL if it lingers."""
        if self._process.exitcode is not None:
            return
        pid = self._process.pid
        for sig, wait in ((signal.SIGTERM, KILL_AFTER), (signal.SIGKILL, KILL_AFTER)):
            try:
                os.killpg(pid, sig)
            except ProcessLookupError:  # the child has not made its group yet
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)
            self._process.join(wait)
            if self._process.exitcode is not None:
                break
        logger.warning("reindex abandoned; the old index keeps serving")
        self._news.close()


def open_new(settings: Settings) -> Retriever:
    """Open the rebuilt store and warm it up, like the first one (in a worker thread)."""
    retriever = Retriever.open(settings.db_path)
    retriever.warm_up()
    return retriever


async def _edit_quietly(status: Message, text: str) -> None:
    """Progress edits may fail (rate limits, network); the reindex goes on."""
    try:
        await status.edit_text(text)
    except TelegramError as error:
        logger.warning("could not update the reindex progress message: %s", error)


async def reindex_and_report(
    message: Message,
    state: BotState,
    *,
    full: bool = False,
    interval: float = PROGRESS_INTERVAL,
    heading: str = "",
) -> None:
    """Run one reindex, reporting in a reply to `message`, every status line under
    `heading` if one is given; clears `state.reindexing` at the end.

    Cancelling it (the bot stops) abandons the build.
    """
    build: BuildProcess | None = None
    job: asyncio.Future | None = None

    def headed(text: str) -> str:
        return f"{heading}\n{text}" if heading else text

    try:
        status = await message.reply_text(headed(texts.REINDEX_STARTED))
        note = ProgressNote()
        build = BuildProcess(state.settings, full=full)
        job = asyncio.ensure_future(build.result(note))
        shown = texts.REINDEX_STARTED
        while not job.done():
            await asyncio.wait({job}, timeout=interval)
            text = format_progress(note.latest)
            if not job.done() and text != shown:
                await _edit_quietly(status, headed(text))
                shown = text
        try:
            summary = job.result()
            retriever = await asyncio.to_thread(open_new, state.settings)
        except IndexBusy:
            await status.edit_text(headed(texts.REINDEX_BUSY))
            return
        except Exception as error:
            logger.error("reindex failed; the old index keeps serving", exc_info=error)
            await status.edit_text(headed(format_reindex_error(error)))
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
        await status.edit_text(headed(format_summary(summary)))
    finally:
        if job is not None:
            job.cancel()
        if build is not None:
            build.abandon()
        state.reindexing = False


def begin_reindex(
    update: Update, context: ContextTypes.DEFAULT_TYPE, state: BotState, *, full: bool,
    heading: str = "",
) -> None:
    """Start a reindex in the background, reported in a reply to `update`'s message.

    The caller checked that the user may and that none is running; from here
    until it ends, `state.reindexing` keeps others from starting.
    """
    state.reindexing = True
    state.reindex_task = context.application.create_task(
        reindex_and_report(update.effective_message, state, full=full, heading=heading),
        update=update,
    )
