"""The real bot Application, polling a Bot API emulator over HTTP on 127.0.0.1.

`RunningBot` runs the Application in a thread with its own event loop, the way
`run_polling` would, but with a one-second long poll so the tests stay fast.
Tests talk to it only through the emulator: inject updates, wait for calls.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from pathlib import Path

from emulator import BotApiEmulator, group_chat, private_chat, user

from bot import build_application
from bot.app import ALLOWED_UPDATES
from retrieval import Retriever
from settings import Settings, sample_corpus_dir

TOKEN = "7654321:wenda_TEST-token-never-logged-0123456"
BOT_NAME = "WendaTestBot"
ADMIN_ID = 42
_ids = itertools.count(1000)


def new_user(name: str = "Tester") -> dict:
    """A user nobody else in the session uses (flood control is per user)."""
    return user(next(_ids), name)


def new_private_chat(person: dict) -> dict:
    return private_chat(person["id"], person["first_name"])


def new_group() -> dict:
    """A group nobody else uses (the rate limiter paces each group on its own)."""
    return group_chat(-next(_ids))


def ask_privately(emulator: BotApiEmulator, text: str, person: dict | None = None):
    """`text` sent by a new (or the given) user in a private chat; the bot's reply."""
    person = person or new_user()
    chat = new_private_chat(person)
    since = emulator.mark()
    emulator.send_text(chat, person, text)
    return emulator.wait_reply({"chat": chat}, since=since)


def bot_settings(emulator: BotApiEmulator, db_path: Path, **changes) -> Settings:
    values = {
        "corpus_dir": sample_corpus_dir(),
        "db_path": db_path,
        "telegram_token": TOKEN,
        "telegram_base_url": emulator.base_url,
        "admin_ids": frozenset({ADMIN_ID}),
        **changes,
    }
    return Settings(**values)


class RunningBot:
    """The Application from `build_application`, started and polling in its own thread."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.application = build_application(settings, Retriever.open(settings.db_path))
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(),), daemon=True)

    async def _serve(self) -> None:
        app = self.application
        try:
            await app.initialize()
            await app.post_init(app)
            await app.updater.start_polling(timeout=1, allowed_updates=ALLOWED_UPDATES)
            await app.start()
            self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        except BaseException as error:
            self._failure = error
            raise
        finally:
            self._ready.set()
        await self._stop.wait()
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)

    def start(self) -> RunningBot:
        self._thread.start()
        self._ready.wait(30)
        if self._failure is not None:
            raise RuntimeError("the bot did not start") from self._failure
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)
        assert not self._thread.is_alive(), "the bot did not stop"


def start_bot(emulator: BotApiEmulator, db_path: Path, **changes) -> RunningBot:
    """A bot for `db_path` talking to `emulator`, started; stop it when done."""
    return RunningBot(bot_settings(emulator, db_path, **changes)).start()
