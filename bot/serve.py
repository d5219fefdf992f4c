"""Starting the bot: check the token, make sure the index exists, poll or serve a webhook.

`serve_bot` is what `wenda serve` and `python -m bot` run. python-telegram-bot
stops it cleanly on SIGINT and SIGTERM.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from bot.app import ALLOWED_UPDATES, build_application
from bot.logging_setup import configure_logging
from retrieval import open_retriever
from wenda.settings import Settings, SettingsError

logger = logging.getLogger(__name__)

TOKEN_PATTERN = re.compile(r"[0-9]+:[A-Za-z0-9_-]{30,}")


def check_token(token: str) -> None:
    """Raise `SettingsError` (one line, without the token) unless it looks like a bot token."""
    if not token:
        raise SettingsError("TELEGRAM_BOT_TOKEN is not set; get a token from @BotFather")
    if not TOKEN_PATTERN.fullmatch(token):
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN is malformed: expected digits, ':' and 30 or more "
            "letters, digits, '_' or '-' (as @BotFather gives it)"
        )


def serve_bot(settings: Settings, *, verbose: bool = False) -> None:
    """Run the bot until SIGINT/SIGTERM: long polling, or a webhook when one is configured."""
    check_token(settings.telegram_token)
    configure_logging(settings.telegram_token, verbose=verbose)
    retriever = open_retriever(settings.db_path, settings.corpus_dir)
    application = build_application(settings, retriever)
    if settings.webhook_url:
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret or None,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
