"""The bot's memory that outlives restarts and reindexes, in a small SQLite file of its own.

It sits beside the index (`wenda.db` → `wenda-journal.db`), not in it: a
reindex replaces the index file whole. It keeps

* the questions the bot could not answer (for /unanswered), normalised so
  that 快手营收？ and 快手营收? count as one, for `UNANSWERED_DAYS` days and
  at most `MAX_UNANSWERED` of them;
* the chats owed a word about an answer that could not be sent (`bot.outbox`).

One connection, shared by the event loop and worker threads behind a lock.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from index.normalise import normalise
from index.store import (
    delete_unsent_chat,
    open_journal,
    read_unanswered,
    read_unsent_chats,
    write_unanswered,
    write_unsent_chat,
)
from settings import SettingsError

logger = logging.getLogger(__name__)

UNANSWERED_DAYS = 30
MAX_UNANSWERED = 20_000  # rows, one per refused question
MAX_QUESTION_CHARS = 200  # of the wording kept for people to read
MAX_UNSENT_CHATS = 10_000
# After normalising, 快手营收?, 快手营收 and 快手营收。 are one question.
TRAILING_MARKS = "?!.。…~ "


@dataclass(frozen=True)
class Unanswered:
    """One question the bot kept refusing: its latest wording, how often, when last (ISO)."""

    question: str
    times: int
    last_asked: str


def question_key(question: str) -> str:
    """What makes two questions the same one: the normalised text without end marks."""
    return normalise(question).rstrip(TRAILING_MARKS)


class Journal:
    """The journal file at `path`, opened (and created) at once.

    Raises `SettingsError` (one line, naming WENDA_JOURNAL) when it cannot be.
    """

    def __init__(self, path: Path):
        self.path = path
        try:
            self._db: sqlite3.Connection = open_journal(path)
        except (OSError, sqlite3.Error) as error:
            raise SettingsError(
                f"cannot open the bot's journal {path} ({error}); "
                "set WENDA_JOURNAL to a file in a writable folder"
            ) from None
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def note_unanswered(self, question: str, *, now: datetime | None = None) -> None:
        """Remember that `question` was refused (not found); old ones are forgotten."""
        now = now or datetime.now(UTC)
        key = question_key(question)
        if not key:
            return
        with self._lock:
            write_unanswered(
                self._db,
                normalised=key,
                question=question.strip()[:MAX_QUESTION_CHARS],
                asked_at=now.isoformat(timespec="seconds"),
                keep=MAX_UNANSWERED,
                since=(now - timedelta(days=UNANSWERED_DAYS)).isoformat(timespec="seconds"),
            )

    def most_unanswered(self, limit: int, *, now: datetime | None = None) -> list[Unanswered]:
        """The questions refused most often in the last `UNANSWERED_DAYS` days."""
        now = now or datetime.now(UTC)
        since = (now - timedelta(days=UNANSWERED_DAYS)).isoformat(timespec="seconds")
        with self._lock:
            rows = read_unanswered(self._db, since=since, limit=limit)
        return [Unanswered(question, times, last) for question, times, last in rows]

    def unsent_chats(self) -> list[str]:
        """Chats owed a word about a lost answer (ids as text), oldest first."""
        with self._lock:
            return read_unsent_chats(self._db)

    def note_unsent(self, chat_id: str) -> None:
        with self._lock:
            write_unsent_chat(
                self._db,
                chat_id,
                noted_at=datetime.now(UTC).isoformat(timespec="seconds"),
                keep=MAX_UNSENT_CHATS,
            )

    def forget_unsent(self, chat_id: str) -> None:
        with self._lock:
            delete_unsent_chat(self._db, chat_id)
