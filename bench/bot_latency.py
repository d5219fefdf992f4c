"""The bot's reply latency through the Bot API emulator of the tests.

The real bot runs as `python -m wenda serve` in a child process, polling the emulator
(`tests/bot/emulator.py`) in this process. Latency is measured on the
emulator's side: from the moment getUpdates hands an update to the bot to the
moment the bot's sendMessage for that chat arrives. Every question comes
from a chat and user of its own, so that the bot's per-user flood control
never delays a measured question; `chats` workers each ask, wait for the
reply, read it for about THINK_SECONDS (as a person does, so the chats do not
ask in lockstep), then ask again. Without
that pause the workers measure Telegram's send limit (30 messages a second,
which the bot's rate limiter keeps) rather than the bot's latency.
"""

from __future__ import annotations

import itertools
import logging
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.measure import Latency, summarise_ms

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
# A token of the shape the bot checks; the emulator accepts only this one.
TOKEN = "123456789:" + "BenchToken" * 4
START_TIMEOUT = 180.0
REPLY_TIMEOUT = 60.0
THINK_SECONDS = 1.0


def _emulator_class() -> type:
    """The tests' emulator, extended to time stamp deliveries and replies per chat."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from tests.bot.emulator import BotApiEmulator

    class TimedEmulator(BotApiEmulator):
        def __init__(self, token: str) -> None:
            super().__init__(token)
            self.delivered: dict[int, float] = {}
            self.replied: dict[int, float] = {}

        def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
            updates = super()._get_updates(params)
            now = time.perf_counter()
            for update in updates:
                chat_id = update.get("message", {}).get("chat", {}).get("id")
                if chat_id is not None:
                    self.delivered.setdefault(chat_id, now)
            return updates

        def handle(self, method: str, params: dict[str, Any]) -> Any:
            if method.lower() == "sendmessage":
                chat_id = params.get("chat_id")
                if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
                    chat_id = int(chat_id)
                self.replied.setdefault(chat_id, time.perf_counter())
            return super().handle(method, params)

    return TimedEmulator


@dataclass(frozen=True)
class BotLatency:
    chats: int
    latency: Latency
    errors: int


def _ask(emulator: Any, chat_id: int, question: str) -> float | None:
    """Ask in a fresh private chat; the reply latency in ms, or None when none came."""
    from tests.bot.emulator import private_chat, user

    message = emulator.send_text(private_chat(chat_id), user(chat_id), question)
    try:
        emulator.wait_reply(message, timeout=REPLY_TIMEOUT)
    except TimeoutError:
        return None
    return (emulator.replied[chat_id] - emulator.delivered[chat_id]) * 1000


def _run_level(emulator: Any, chats: int, per_chat: int, questions: list[str],
               chat_ids: itertools.count) -> BotLatency:
    """`chats` concurrent askers, each asking `per_chat` questions one after another."""
    timings: list[float] = []
    errors = 0
    lock = threading.Lock()
    cycle = itertools.cycle(questions)

    def worker() -> None:
        nonlocal errors
        for _ in range(per_chat):
            with lock:
                chat_id, question = next(chat_ids), next(cycle)
            ms = _ask(emulator, chat_id, question)
            with lock:
                if ms is None:
                    errors += 1
                else:
                    timings.append(ms)
            time.sleep(THINK_SECONDS * random.uniform(0.5, 1.5))

    threads = [threading.Thread(target=worker) for _ in range(chats)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return BotLatency(chats, summarise_ms(timings), errors)


def measure_bot_latency(
    db_path: Path, corpus_dir: Path, questions: list[str], scratch: Path,
    levels: tuple[tuple[int, int], ...] = ((1, 30), (10, 10), (50, 4)),
) -> list[BotLatency]:
    """Reply latency at each (concurrent chats, questions per chat) level."""
    emulator = _emulator_class()(TOKEN).start()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": emulator.base_url,
        "WENDA_DB": str(db_path),
        "WENDA_CORPUS_DIR": str(corpus_dir),
        "WENDA_ADMIN_IDS": "",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    # The scratch folder as working directory keeps any .env of the repo out of the run.
    log_path = scratch / "bot.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "wenda", "serve"], cwd=scratch, env=env, stdout=log, stderr=log
        )
    try:
        emulator.wait_for("setMyCommands", count=2, timeout=START_TIMEOUT)
        chat_ids = itertools.count(10_000_001)
        _run_level(emulator, 1, 3, questions, chat_ids)  # warm-up, not reported
        return [
            _run_level(emulator, chats, per_chat, questions, chat_ids)
            for chats, per_chat in levels
        ]
    except TimeoutError:
        logger.error("the bot did not start or answer; see %s", log_path)
        raise
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        emulator.stop()
