"""Where Telegram's JSON enters the bot: cleaned here, before anything else reads it.

`EdgeRequest` is python-telegram-bot's HTTP client with its documented
`parse_json_payload` hook overridden:

* every string has its lone UTF-16 surrogates (JSON can carry `"\\ud800"`)
  replaced with U+FFFD, so no handler, log line or reply ever holds a string
  that cannot be encoded;
* for getUpdates (`updates=True`), an update the library cannot parse is
  logged once and replaced by an empty update with the same id. Otherwise one
  bad update fails the whole batch, the offset never moves past it, and the bot
  fetches the same batch forever. The empty update matches no handler, and the
  offset moves on.

Webhook mode (`bot.webhook`) reads each POSTed update with `read_webhook_update`:
the same cleaning, and an update that cannot be read is logged once and
acknowledged, so Telegram does not send it again and again.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from telegram import Bot, Update
from telegram.request import HTTPXRequest

logger = logging.getLogger(__name__)

LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def replace_lone_surrogates(value: Any) -> Any:
    """`value` (parsed JSON) with each lone surrogate in its strings and keys replaced."""
    if isinstance(value, str):
        return LONE_SURROGATE.sub(REPLACEMENT, value)
    if isinstance(value, list):
        return [replace_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {replace_lone_surrogates(k): replace_lone_surrogates(v) for k, v in value.items()}
    return value


def read_update(raw: Any, bot: Bot | None) -> Update | None:
    """`raw` (cleaned JSON) as an Update; None, after one log line saying why, when PTB
    cannot read it (the line names the update's id and fields, never their values)."""
    try:
        if not isinstance(raw, dict):
            raise TypeError(f"an update is a JSON object, not {type(raw).__name__}")
        return Update.de_json(raw, bot)
    except Exception as error:
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        fields = sorted(raw) if isinstance(raw, dict) else type(raw).__name__
        logger.error(
            "skipping update %s: python-telegram-bot cannot read it (%s: %s; fields %s)",
            update_id,
            type(error).__name__,
            error,
            fields,
        )
        return None


def keep_readable_updates(updates: list[Any]) -> list[Any]:
    """The getUpdates result with each update PTB cannot parse replaced by an empty one.

    An update without a usable id cannot be confirmed either way; it is dropped.
    """
    kept: list[Any] = []
    for raw in updates:
        if read_update(raw, None) is not None:
            kept.append(raw)
            continue
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        if isinstance(update_id, int) and not isinstance(update_id, bool):
            kept.append({"update_id": update_id})
    return kept


def read_webhook_update(body: bytes, bot: Bot) -> Update | None:
    """The update a webhook request carries, cleaned as a polled one is; None (logged once)
    when it is not JSON or PTB cannot read it."""
    try:
        raw = replace_lone_surrogates(json.loads(body))
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        logger.error(
            "skipping a webhook request of %d bytes: not a JSON update (%s)",
            len(body),
            type(error).__name__,
        )
        return None
    return read_update(raw, bot)


class EdgeRequest(HTTPXRequest):
    """PTB's httpx client, cleaning every response; `updates=True` for the getUpdates one."""

    def __init__(self, *, updates: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.updates = updates

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:
        data = replace_lone_surrogates(super().parse_json_payload(payload))
        if self.updates and isinstance(data, dict) and isinstance(data.get("result"), list):
            data["result"] = keep_readable_updates(data["result"])
        return data
