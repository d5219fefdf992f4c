"""Logging for the bot process: levels, and the secrets kept out of everything it prints.

The token sits in every Bot API URL (httpx logs URLs at INFO), PTB's own
exceptions quote it ("The token `…` was rejected"), and at DEBUG PTB logs the
parameters of each call, the webhook's `secret_token` among them. So:

* a log record factory redacts the secrets from each record's message and
  exception text as the record is created, for every logger (httpx, telegram,
  asyncio's "Task exception was never retrieved" included), so no handler, even
  one added later such as pytest's, can print them;
* `sys.excepthook` and `threading.excepthook` redact what an uncaught exception
  would print to stderr;
* warnings go through logging, and so through the same redaction.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from types import TracebackType

REDACTED = "[REDACTED]"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET_LOGGERS = ("httpx", "httpcore")


def secrets_of(token: str, *others: str) -> tuple[str, ...]:
    """What to hide: the token, its secret half alone (it may appear URL-encoded), the others.

    Longest first, so a secret containing another is replaced whole.
    """
    found = {token, token.partition(":")[2], *others}
    return tuple(sorted((s for s in found if s), key=len, reverse=True))


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret replaced."""
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


def redact_record(record: logging.LogRecord, secrets: tuple[str, ...]) -> None:
    """Remove the secrets from a record's message and exception text, in place."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed record: leave it for logging's own error report
        return
    if any(secret in message for secret in secrets):
        record.msg, record.args = redact(message, secrets), None
    if record.exc_info and record.exc_info[0] is not None:
        text = logging.Formatter().formatException(record.exc_info)
        if any(secret in text for secret in secrets):
            record.exc_text = redact(text, secrets)
    if record.stack_info:
        record.stack_info = redact(record.stack_info, secrets)


def format_exception_redacted(
    kind: type[BaseException],
    error: BaseException,
    tb: TracebackType | None,
    secrets: tuple[str, ...],
) -> str:
    """The traceback Python would print for an uncaught exception, secrets removed."""
    return redact("".join(traceback.format_exception(kind, error, tb)), secrets)


def install_redaction(*secrets: str) -> Callable[[], None]:
    """Redact `secrets` from log records and uncaught exceptions; returns a function undoing it."""
    kept = tuple(sorted((s for s in secrets if s), key=len, reverse=True))
    previous_factory = logging.getLogRecordFactory()
    previous_hook, previous_thread_hook = sys.excepthook, threading.excepthook

    def make_record(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous_factory(*args, **kwargs)
        redact_record(record, kept)
        return record

    def excepthook(
        kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        sys.stderr.write(format_exception_redacted(kind, error, tb, kept))

    def thread_excepthook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread else "?"
        text = format_exception_redacted(args.exc_type, args.exc_value, args.exc_traceback, kept)
        sys.stderr.write(f"Exception in thread {name}:\n{text}")

    def undo() -> None:
        logging.setLogRecordFactory(previous_factory)
        sys.excepthook, threading.excepthook = previous_hook, previous_thread_hook

    logging.setLogRecordFactory(make_record)
    sys.excepthook, threading.excepthook = excepthook, thread_excepthook
    return undo


def configure_logging(secrets: tuple[str, ...], *, verbose: bool = False) -> None:
    """Entry-point logging: INFO (DEBUG when verbose), httpx quiet, `secrets` redacted."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format=LOG_FORMAT)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.captureWarnings(True)
    install_redaction(*secrets)
