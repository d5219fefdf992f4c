"""The Telegram bot: updates become questions for `retrieval`, answers become messages.

`build_application(settings, retriever)` wires every handler; `serve_bot(settings)`
runs it (long polling, or a webhook) and is what `wenda serve` calls.
A missing or malformed token raises `wenda.settings.SettingsError`.
"""

from bot.app import build_application
from bot.serve import check_token, serve_bot

__all__ = ["build_application", "check_token", "serve_bot"]
