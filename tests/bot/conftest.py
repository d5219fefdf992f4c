"""Fixtures for the bot's tests: the emulator, the sample store, a running bot."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from emulator import BotApiEmulator
from harness import BOT_NAME, TOKEN, RunningBot, start_bot

from bot.logging_setup import install_redaction, secrets_of
from index import build_index
from settings import sample_corpus_dir

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(autouse=True)
def _only_local_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing in these tests may reach api.telegram.org (or anything but this machine)."""
    resolve = socket.getaddrinfo

    def local_only(host, *args, **kwargs):
        if host not in LOCAL_HOSTS:
            raise OSError(f"test tried to reach {host}")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample corpus, indexed once for the session (tests only read it)."""
    db_path = tmp_path_factory.mktemp("sample") / "wenda.db"
    build_index(sample_corpus_dir(), db_path)
    return db_path


@pytest.fixture
def emulator() -> Iterator[BotApiEmulator]:
    server = BotApiEmulator(TOKEN, username=BOT_NAME).start()
    yield server
    server.stop()


@pytest.fixture
def redacted_logs() -> Iterator[None]:
    """What the entry point does: the token is redacted from every log record."""
    undo = install_redaction(*secrets_of(TOKEN))
    yield
    undo()


@pytest.fixture
def running_bot(
    emulator: BotApiEmulator, sample_store: Path, redacted_logs: None
) -> Iterator[RunningBot]:
    bot = start_bot(emulator, sample_store)
    yield bot
    bot.stop()
