"""The token never reaches a log: unit checks of the redaction, then a whole bot run."""

from __future__ import annotations

import logging
import sys
import threading

from harness import TOKEN, new_private_chat, new_user, start_bot

from bot.logging_setup import REDACTED, install_redaction, redact_record, secrets_of


def make_record(msg, args=(), exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("test", logging.INFO, __file__, 1, msg, args, exc_info)


def test_the_token_is_redacted_from_messages_and_arguments():
    record = make_record("POST %s/getMe", (f"http://x/bot{TOKEN}",))
    redact_record(record, (TOKEN,))
    assert record.getMessage() == f"POST http://x/bot{REDACTED}/getMe"


def test_the_token_is_redacted_from_exception_texts():
    try:
        raise ValueError(f"bad url http://x/bot{TOKEN}/getMe")
    except ValueError as error:
        record = make_record("failed", exc_info=(type(error), error, error.__traceback__))
    redact_record(record, (TOKEN,))
    text = logging.Formatter().format(record)
    assert TOKEN not in text and REDACTED in text and "ValueError" in text


def test_records_without_the_token_are_left_alone():
    record = make_record("%d questions", (3,))
    redact_record(record, (TOKEN,))
    assert (record.msg, record.args) == ("%d questions", (3,))


def test_a_whole_run_logs_no_token_even_with_httpx_at_debug(
    emulator, sample_store, redacted_logs, caplog
):
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "telegram"):
        caplog.set_level(logging.DEBUG, logger=name)
    bot = start_bot(emulator, sample_store)
    try:
        person = new_user()
        chat = new_private_chat(person)
        since = emulator.mark()
        emulator.send_text(chat, person, "云帆科技第三季度总营收是多少？")
        emulator.send_text(chat, person, "/reindex")
        emulator.wait_for("sendMessage", since=since, count=2)
    finally:
        bot.stop()
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    assert any(r.name.startswith("httpx") for r in caplog.records)
    assert REDACTED in logged  # httpx logged the URLs, with the token taken out
    assert TOKEN not in logged and TOKEN.split(":")[1] not in logged


def test_uncaught_exceptions_print_without_the_secrets(capsys):
    undo = install_redaction(*secrets_of(TOKEN, "hook-secret-123"))
    try:
        try:
            raise RuntimeError(f"The token `{TOKEN}` and hook-secret-123 leaked")
        except RuntimeError as error:
            sys.excepthook(type(error), error, error.__traceback__)
        thread = threading.Thread(target=_raise_with_token)
        thread.start()
        thread.join()
    finally:
        undo()
    err = capsys.readouterr().err
    assert "RuntimeError" in err and "Exception in thread" in err and REDACTED in err
    assert TOKEN not in err and TOKEN.split(":")[1] not in err and "hook-secret-123" not in err


def _raise_with_token() -> None:
    raise ValueError(f"GET /bot{TOKEN.split(':')[1]}/getMe")


def test_the_secret_half_of_the_token_is_redacted_on_its_own():
    record = make_record("POST /bot7654321%%3A%s/getMe", (TOKEN.split(":")[1],))
    redact_record(record, secrets_of(TOKEN))
    assert TOKEN.split(":")[1] not in record.getMessage()
