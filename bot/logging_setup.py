"""Logging for the bot process: levels, and the token kept out of every record.

The token sits in every Bot API URL, and httpx logs URLs at INFO. httpx is
set to WARNING, and a log record factory redacts the token from each
record's message and exception text as the record is created, so no handler
(including ones added later, such as pytest's) can ever print it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

REDACTED = "[TOKEN]"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET_LOGGERS = ("httpx", "httpcore")


def redact(text: str, secrets: tuple[str, ...]) -> str:
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


def install_redaction(*secrets: str) -> Callable[[], None]:
    """Redact `secrets` from all log records from now on; returns a function that undoes it."""
    kept = tuple(s for s in secrets if s)
    previous = logging.getLogRecordFactory()

    def make_record(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        redact_record(record, kept)
        return record

    logging.setLogRecordFactory(make_record)
    return lambda: logging.setLogRecordFactory(previous)


def configure_logging(token: str, *, verbose: bool = False) -> None:
    """Entry-point logging: INFO (DEBUG when verbose), httpx quiet, the token redacted."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format=LOG_FORMAT)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    install_redaction(token)
