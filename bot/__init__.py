"""The Telegram bot: updates become questions for `retrieval`, answers become messages.

`build_application(settings, retriever)` wires every handler; `serve_bot(settings)`
runs it (long polling, or a webhook) and is what `wenda serve` calls.
A missing or malformed token raises `settings.SettingsError`; so do a
token Telegram rejects (`TokenRejected`, exit code 2) and a Bot API that cannot
be reached (`TelegramUnreachable`, exit code 1), each with a `code` for the CLI.
"""

from bot.app import build_application
from bot.serve import TelegramUnreachable, TokenRejected, check_token, serve_bot

__all__ = [
    "TelegramUnreachable",
    "TokenRejected",
    "build_application",
    "check_token",
    "serve_bot",
]
