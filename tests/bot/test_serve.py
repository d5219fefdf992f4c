"""Starting and stopping the bot: the token check, `wenda serve`, signals, the log."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from emulator import private_chat, user
from harness import ADMIN_ID, BOT_NAME, TOKEN, new_private_chat, new_user

import bot
from bot import check_token
from index import build_index
from index.store import copy_store
from settings import SettingsError, sample_corpus_dir
from wenda.cli import main

PROJECT = Path(bot.__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "token",
    ["7654321:wenda_TEST-token-never-logged-0123456", "1:" + "a" * 30],
)
def test_well_formed_tokens_pass(token):
    check_token(token)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "123456789",
        "abc:" + "a" * 35,
        "123:" + "a" * 29,
        "123:" + "a" * 34 + "!",
        " 1:" + "a" * 35,
    ],
)
def test_malformed_tokens_are_refused(token):
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKEN"):
        check_token(token)


@pytest.mark.parametrize(
    ("token", "complaint"), [(None, "is not set"), ("123:secret", "malformed")]
)
def test_serve_without_a_good_token_says_one_line_and_exits_2(
    token, complaint, monkeypatch, tmp_path, capsys
):
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    if token:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and complaint in err and "Traceback" not in err
    assert "secret" not in err


def start_bot(emulator, cwd: Path, *, verbose: bool = False, **settings: str) -> subprocess.Popen:
    """`python -m wenda serve` (with -v when verbose) as an operator runs it, on the emulator."""
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": emulator.base_url,
        **settings,
    }
    command = ["-m", "wenda", "-v", "serve"] if verbose else ["-m", "wenda", "serve"]
    return subprocess.Popen(
        [sys.executable, *command],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_serve_builds_a_missing_index_serves_and_stops_on_sigterm(emulator, tmp_path):
    process = start_bot(
        emulator,
        tmp_path,
        WENDA_CORPUS_DIR=str(sample_corpus_dir()),
        WENDA_DB=str(tmp_path / "new.db"),
    )
    try:
        emulator.wait_for("setMyCommands", count=2, timeout=90)
        person = new_user()
        chat = new_private_chat(person)
        since = emulator.mark()
        emulator.send_text(chat, person, "云帆科技第三季度总营收是多少？")
        reply = emulator.wait_reply({"chat": chat}, since=since)
        process.send_signal(signal.SIGTERM)
        _, log = process.communicate(timeout=20)
        assert "126亿元" in reply.text, log
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, log
    assert "building it from" in log
    assert f"@{BOT_NAME}" in log and "polling mode" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert (tmp_path / "new.db").is_file()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int, timeout: float = 30) -> None:
    """python-telegram-bot sets the webhook first, then starts listening."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


WEBHOOK_SECRET = "s3cret_hook"


def start_webhook_bot(emulator, sample_store: Path, tmp_path: Path, *, verbose: bool = False
                      ) -> tuple[subprocess.Popen, str, int]:
    """The bot in webhook mode on a free local port, with a copy of the sample store:
    the process, the hook's URL and its port."""
    db_path = tmp_path / "wenda.db"
    copy_store(sample_store, db_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}/wenda-hook"
    process = start_bot(
        emulator,
        tmp_path,
        verbose=verbose,
        WENDA_DB=str(db_path),
        WENDA_WEBHOOK_URL=url,
        WENDA_WEBHOOK_LISTEN="127.0.0.1",
        WENDA_WEBHOOK_PORT=str(port),
        WENDA_WEBHOOK_SECRET=WEBHOOK_SECRET,
    )
    return process, url, port


@pytest.mark.parametrize("verbose", [False, True], ids=["info", "debug"])
def test_webhook_mode_registers_the_hook_with_its_secret_and_answers(
    verbose, emulator, sample_store, tmp_path
):
    process, url, port = start_webhook_bot(emulator, sample_store, tmp_path, verbose=verbose)
    try:
        hook = emulator.wait_for("setWebhook", timeout=90)[0]
        assert hook.params["url"] == url and hook.params["secret_token"] == WEBHOOK_SECRET
        emulator.wait_for("setMyCommands", count=2, timeout=30)
        wait_until_listening(port)
        stranger = urllib.request.Request(
            url, data=b"{}", headers={"Content-Type": "application/json"}
        )
        with pytest.raises(urllib.error.HTTPError, match="403"):
            urllib.request.urlopen(stranger, timeout=10)
        person = new_user()
        chat = new_private_chat(person)
        since = emulator.mark()
        emulator.send_text(chat, person, "云帆科技第三季度总营收是多少？")
        assert "126亿元" in emulator.wait_reply({"chat": chat}, since=since).text
        process.send_signal(signal.SIGINT)
        _, log = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, log
    assert "webhook mode" in log
    if verbose:  # PTB logs each call's parameters at DEBUG, setWebhook's secret_token too
        assert "setWebhook" in log and "secret_token" in log
    assert_no_secret(log, WEBHOOK_SECRET)


def post_to_hook(url: str, body: bytes, secret: str) -> int:
    """POST `body` as Telegram would; the HTTP status the bot answers."""
    request = urllib.request.Request(
        url,
        data=body,
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def test_webhook_mode_acknowledges_an_unreadable_update_and_cleans_lone_surrogates(
    emulator, sample_store, tmp_path
):
    process, url, port = start_webhook_bot(emulator, sample_store, tmp_path)
    try:
        emulator.wait_for("setWebhook", timeout=90)
        emulator.wait_for("setMyCommands", count=2, timeout=30)
        wait_until_listening(port)
        person = new_user("Ann\ud800")
        chat = new_private_chat(person)
        # Both answered 200 (an error status would make Telegram send them for ever).
        bad = emulator.send_unreadable_update(chat, person)
        assert post_to_hook(url, b"\xff not json", WEBHOOK_SECRET) == 200
        since = emulator.mark()
        emulator.send_text(chat, person, "/start")
        greeting = emulator.wait_reply({"chat": chat}, since=since)
        since = emulator.mark()
        emulator.send_text(chat, person, "云帆科技第三季度总营收是多少？\udc00")
        answer = emulator.wait_reply({"chat": chat}, since=since)
        process.send_signal(signal.SIGTERM)
        _, log = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, log
    assert greeting.text.startswith("你好，Ann\ufffd！")
    assert "126亿元" in answer.text
    assert log.count(f"skipping update {bad}:") == 1, log
    assert log.count("skipping a webhook request") == 1, log
    assert_no_secret(log, WEBHOOK_SECRET)


def run_to_exit(process: subprocess.Popen, timeout: float = 60) -> str:
    """Everything the process printed (stdout and stderr) once it has exited."""
    try:
        out, err = process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return out + err


def assert_no_secret(output: str, *secrets: str) -> None:
    for secret in (TOKEN, TOKEN.split(":")[1], *secrets):
        assert secret not in output


def test_a_token_telegram_rejects_exits_2_with_one_line_and_no_token(
    emulator, sample_store, tmp_path
):
    emulator.revoke()  # Telegram answers 401 Unauthorized, as for a revoked token
    process = start_bot(emulator, tmp_path, WENDA_DB=str(sample_store))
    output = run_to_exit(process)
    assert process.returncode == 2, output
    lines = output.splitlines()
    assert len(lines) == 1, output
    assert "rejected TELEGRAM_BOT_TOKEN" in lines[0] and "@BotFather" in lines[0]
    assert_no_secret(output)


def test_a_token_telegram_rejects_is_not_printed_even_at_debug(emulator, sample_store, tmp_path):
    emulator.revoke()
    process = start_bot(emulator, tmp_path, verbose=True, WENDA_DB=str(sample_store))
    output = run_to_exit(process)
    assert process.returncode == 2, output
    assert "Traceback" not in output and "rejected TELEGRAM_BOT_TOKEN" in output
    assert_no_secret(output)


def test_an_unreachable_bot_api_exits_1_with_one_line(emulator, sample_store, tmp_path):
    closed = f"http://127.0.0.1:{free_port()}/bot"  # nothing listens there
    process = start_bot(emulator, tmp_path, WENDA_DB=str(sample_store), TELEGRAM_BASE_URL=closed)
    output = run_to_exit(process)
    assert process.returncode == 1, output
    lines = output.splitlines()
    assert len(lines) == 1, output
    assert "cannot reach the Telegram Bot API at 127.0.0.1" in lines[0]
    assert_no_secret(output)


def write_slow_corpus(folder: Path, files: int = 600, first: int = 0) -> Path:
    """Enough articles that indexing them takes several seconds."""
    folder.mkdir(exist_ok=True)
    articles = [p.read_text(encoding="utf-8") for p in sample_corpus_dir().glob("*.txt")]
    for i in range(first, first + files):
        text = articles[i % len(articles)].replace("第三季度", f"第{i}期")
        (folder / f"article{i:04d}.txt").write_text(text, encoding="utf-8")
    return folder


def test_sigterm_during_a_reindex_stops_within_two_seconds_and_keeps_the_old_index(
    emulator, tmp_path
):
    db_path = tmp_path / "wenda.db"
    # The old index is of the same folder (a store of another folder is rebuilt at start),
    # which has since grown by 600 articles.
    corpus = write_slow_corpus(tmp_path / "corpus", files=1)
    build_index(corpus, db_path)
    write_slow_corpus(corpus, files=600, first=1)
    before = db_path.read_bytes()
    process = start_bot(
        emulator,
        tmp_path,
        WENDA_DB=str(db_path),
        WENDA_CORPUS_DIR=str(corpus),
        WENDA_ADMIN_IDS=str(ADMIN_ID),
    )
    try:
        emulator.wait_for("setMyCommands", count=2, timeout=90)
        since = emulator.mark()
        emulator.send_text(private_chat(ADMIN_ID, "Admin"), user(ADMIN_ID, "Admin"), "/reindex")
        emulator.wait_for("sendMessage", since=since)
        building = f".{db_path.name}.building-*"
        deadline = time.monotonic() + 30
        while not list(tmp_path.glob(building)):  # the build has started writing
            assert time.monotonic() < deadline, "the build never started"
            time.sleep(0.05)
        asked = time.monotonic()
        process.send_signal(signal.SIGTERM)
        log = run_to_exit(process, timeout=20)
        took = time.monotonic() - asked
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, log
    assert took < 2.5, f"stopping took {took:.1f} s\n{log}"
    assert "reindex abandoned" in log, log
    assert db_path.read_bytes() == before  # the old index, untouched
    for half_built in tmp_path.glob(building):  # left for the next build to delete
        child = int(half_built.name.rsplit("-", 1)[1])
        with pytest.raises(ProcessLookupError):
            os.kill(child, 0)  # the build process is gone too
