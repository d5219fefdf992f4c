"""Every request to Telegram goes out through `ChatQueues`: paced, retried, one queue per chat.

python-telegram-bot's `AIORateLimiter` paces requests (30 a second overall,
20 a minute per group) and is kept for that, but it waits out a 429 in place:
it holds every other request while one chat's `retry_after` runs, so one 429
of 30 s delays all chats' answers by 30 s. Here:

* requests to one chat wait in that chat's own queue (an `asyncio.Lock`, which
  is first come, first served), so a 429 pauses only that chat, keeping its
  messages in order, while the other chats are answered at once;
* network errors (5xx, dropped connections, timeouts) are retried with a
  growing pause (`backoff`), so a few seconds of outage loses no answer;
* a message still not sent after that is remembered by chat, and the next
  message that does reach that chat is preceded by `texts.UNSENT_REPLY`; with a
  `Journal`, the chats owed that word are kept in its file too, so they are
  told after a restart as well;
* `stop_waiting()` ends every pause at once (the bot is shutting down).

A retried `sendMessage` whose first try reached Telegram but whose reply was
lost may arrive twice; a duplicate answer is better than none.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import AIORateLimiter, BaseRateLimiter

from bot import texts
from bot.journal import MAX_UNSENT_CHATS, Journal

logger = logging.getLogger(__name__)

BACKOFF = (0.5, 1.0, 2.0, 4.0, 8.0)  # seconds between tries: 15.5 s of outage in all
RATE_LIMIT_RETRIES = 3
RETRY_AFTER_SLACK = 0.1
SENDS = frozenset({"sendMessage"})

Result = bool | dict[str, Any] | list[dict[str, Any]]
Callback = Callable[..., Coroutine[Any, Any, Result]]


def is_transient(error: BaseException | None) -> bool:
    """A failure worth retrying: the network, Telegram's 5xx, timeouts; not a refusal."""
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


def is_unsent(error: BaseException | None) -> bool:
    """What a send raises once `ChatQueues` has given up on it (and remembered the chat)."""
    return isinstance(error, RetryAfter) or is_transient(error)


class _ChatQueue:
    """One chat's lock and how many requests are using it (to forget idle chats)."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class ChatQueues(BaseRateLimiter[int]):
    """Pacing from `AIORateLimiter`, 429s and network errors retried per chat."""

    def __init__(
        self,
        *,
        backoff: tuple[float, ...] = BACKOFF,
        rate_limit_retries: int = RATE_LIMIT_RETRIES,
        journal: Journal | None = None,
    ):
        self.backoff = backoff
        self.rate_limit_retries = rate_limit_retries
        self._journal = journal
        # Chats (ids as text, as the journal keeps them) owed a word about a lost message.
        self.unsent: dict[str, None] = dict.fromkeys(journal.unsent_chats() if journal else [])
        self._pacer = AIORateLimiter(max_retries=0)  # pacing only: a 429 comes back to us
        self._queues: dict[int | str, _ChatQueue] = {}
        self._stopping = asyncio.Event()

    async def initialize(self) -> None:
        await self._pacer.initialize()

    async def shutdown(self) -> None:
        await self._pacer.shutdown()

    def stop_waiting(self) -> None:
        """End every pause now and retry nothing more: the bot is stopping."""
        self._stopping.set()

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        chat_id = data.get("chat_id")
        if chat_id is None:  # not about a chat (answerCallbackQuery, setMyCommands...)
            return await self._send_with_retries(callback, args, kwargs, endpoint, data)
        queue = self._queues.setdefault(chat_id, _ChatQueue())
        queue.users += 1
        try:
            async with queue.lock:
                if endpoint in SENDS and str(chat_id) in self.unsent:
                    await self._tell_unsent(callback, kwargs, chat_id)
                try:
                    return await self._send_with_retries(callback, args, kwargs, endpoint, data)
                except (RetryAfter, NetworkError) as error:
                    if endpoint in SENDS and is_unsent(error):
                        self._remember_unsent(chat_id)
                    raise
        finally:
            queue.users -= 1
            if not queue.users:
                del self._queues[chat_id]

    async def _send_with_retries(
        self, callback: Callback, args: Any, kwargs: dict[str, Any], endpoint: str, data: dict
    ) -> Result:
        rate_limited = failures = 0
        while True:
            failure: Exception
            try:
                return await self._pacer.process_request(
                    callback, args, kwargs, endpoint, data, None
                )
            except RetryAfter as error:
                if rate_limited >= self.rate_limit_retries:
                    raise
                failure, rate_limited = error, rate_limited + 1
                # PTB's own AIORateLimiter reads the private timedelta too (the public
                # attribute warns until it becomes a timedelta itself).
                pause = error._retry_after.total_seconds() + RETRY_AFTER_SLACK
                logger.info(
                    "%s to chat %s: rate limited for %.1f s", endpoint, data.get("chat_id"), pause
                )
            except NetworkError as error:
                if not is_transient(error) or failures >= len(self.backoff):
                    raise
                failure, pause = error, self.backoff[failures]
                failures += 1
                logger.warning(
                    "%s to chat %s failed (%s); try %d in %.1f s",
                    endpoint,
                    data.get("chat_id"),
                    error,
                    failures + 1,
                    pause,
                )
            if not await self._pause(pause):
                raise failure

    async def _pause(self, seconds: float) -> bool:
        """Sleep `seconds`; False when the bot started stopping meanwhile."""
        if self._stopping.is_set():
            return False
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        except TimeoutError:
            return True
        return False

    def _remember_unsent(self, chat_id: int | str) -> None:
        logger.warning("a message to chat %s could not be sent; will say so next time", chat_id)
        self.unsent.pop(str(chat_id), None)
        self.unsent[str(chat_id)] = None
        while len(self.unsent) > MAX_UNSENT_CHATS:
            del self.unsent[next(iter(self.unsent))]
        self._write_journal(Journal.note_unsent, chat_id)

    def _write_journal(self, change: Callable[[Journal, str], None], chat_id: int | str) -> None:
        """Keep the journal in step; if it cannot be written, memory still serves until exit."""
        if self._journal is None:
            return
        try:
            change(self._journal, str(chat_id))
        except sqlite3.Error as error:
            logger.warning("could not write the journal %s: %s", self._journal.path, error)

    async def _tell_unsent(
        self, callback: Callback, kwargs: dict[str, Any], chat_id: int | str
    ) -> None:
        """Before the next message to `chat_id`: say that an earlier one was lost."""
        data = {"chat_id": chat_id, "text": texts.UNSENT_REPLY}
        try:
            await self._pacer.process_request(
                callback, ("sendMessage", data), kwargs, "sendMessage", data, None
            )
        except (RetryAfter, NetworkError) as error:
            logger.info("could not yet tell chat %s about its lost message: %s", chat_id, error)
            return
        self.unsent.pop(str(chat_id), None)
        self._write_journal(Journal.forget_unsent, chat_id)
