"""Starting the bot: check the token, make sure the index exists, poll or serve a webhook.

`serve_bot` is what `wenda serve` runs. It stops cleanly on SIGINT and SIGTERM
(python-telegram-bot's `run_polling`, or `bot.webhook.run_webhook`).

Before anything slow, the bot introduces itself to Telegram (getMe). A token Telegram
rejects raises `TokenRejected` (exit code 2), a Bot API that cannot be reached
raises `TelegramUnreachable` (exit code 1); both are `SettingsError`s whose
one-line message names neither the token nor anything else secret, so the CLI
prints them as they are.
"""

from __future__ import annotations

import asyncio
import logging
import re
from urllib.parse import urlsplit

from telegram import Bot
from telegram.error import BadRequest, InvalidToken, NetworkError

from bot.app import ALLOWED_UPDATES, build_application
from bot.logging_setup import configure_logging, redact, secrets_of
from bot.webhook import run_webhook
from retrieval import open_retriever
from settings import Settings, SettingsError

logger = logging.getLogger(__name__)

TOKEN_PATTERN = re.compile(r"[0-9]+:[A-Za-z0-9_-]{30,}")


class TokenRejected(SettingsError):
    """Telegram does not know the token (revoked, or from another bot API server)."""

    code = 2


class TelegramUnreachable(SettingsError):
    """The Bot API did not answer: no network, or a wrong TELEGRAM_BASE_URL."""

    code = 1


def check_token(token: str) -> None:
    """Raise `SettingsError` (one line, without the token) unless it looks like a bot token."""
    if not token:
        raise SettingsError("TELEGRAM_BOT_TOKEN is not set; get a token from @BotFather")
    if not TOKEN_PATTERN.fullmatch(token):
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN is malformed: expected digits, ':' and 30 or more "
            "letters, digits, '_' or '-' (as @BotFather gives it)"
        )


async def _get_me(settings: Settings) -> None:
    async with Bot(settings.telegram_token, base_url=settings.telegram_base_url):
        pass  # entering calls getMe


def introduce(settings: Settings) -> None:
    """Ask Telegram who the bot is (getMe), before anything slow happens.

    Raises `TokenRejected` or `TelegramUnreachable` with a one-line reason.
    """
    host = urlsplit(settings.telegram_base_url).netloc or settings.telegram_base_url
    try:
        asyncio.run(_get_me(settings))
    except InvalidToken:
        raise TokenRejected(
            "Telegram rejected TELEGRAM_BOT_TOKEN (revoked or mistyped?); "
            "get the bot's current token from @BotFather"
        ) from None
    except NetworkError as error:
        if isinstance(error, BadRequest):
            raise
        reason = redact(str(error), secrets_of(settings.telegram_token))
        raise TelegramUnreachable(
            f"cannot reach the Telegram Bot API at {host}: {reason}"
        ) from None


def serve_bot(settings: Settings, *, verbose: bool = False) -> None:
    """Run the bot until SIGINT/SIGTERM: long polling, or a webhook when one is configured."""
    check_token(settings.telegram_token)
    configure_logging(secrets_of(settings.telegram_token, settings.webhook_secret), verbose=verbose)
    introduce(settings)
    retriever = open_retriever(settings.db_path, settings.corpus_dir)
    application = build_application(settings, retriever)
    if settings.webhook_url:
        run_webhook(application, settings)
    else:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
