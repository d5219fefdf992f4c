"""What Telegram shows about the bot, set at every start: descriptions and command menus.

Everyone sees the public commands; admins see /reindex and /unanswered too, in
their private chat with the bot only (`BotCommandScopeChat`, which Telegram
prefers to the wider scopes). A call Telegram refuses is logged and skipped:
the bot serves without it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
)
from telegram.error import TelegramError

from bot import texts

logger = logging.getLogger(__name__)

PUBLIC = ("ask", "help", "stats")
PRIVATE = ("ask", "start", "help", "stats")
ADMIN = (*PRIVATE, "reindex", "unanswered")


def command_menu(names: Iterable[str]) -> list[BotCommand]:
    return [BotCommand(name, texts.COMMANDS[name]) for name in names]


async def register_profile(bot: Bot, admin_ids: Iterable[int]) -> None:
    """Set the descriptions and the command menus; a refused call costs only itself."""
    steps: list[tuple[str, Callable[[], Awaitable[object]]]] = [
        ("description", lambda: bot.set_my_description(texts.DESCRIPTION)),
        ("short description", lambda: bot.set_my_short_description(texts.SHORT_DESCRIPTION)),
        ("commands", lambda: bot.set_my_commands(command_menu(PUBLIC), BotCommandScopeDefault())),
        (
            "private chat commands",
            lambda: bot.set_my_commands(command_menu(PRIVATE), BotCommandScopeAllPrivateChats()),
        ),
        (
            "group commands",
            lambda: bot.set_my_commands(command_menu(PUBLIC), BotCommandScopeAllGroupChats()),
        ),
    ]
    for admin_id in sorted(admin_ids):
        steps.append(
            (
                f"admin commands for user {admin_id}",
                lambda chat=admin_id: bot.set_my_commands(
                    command_menu(ADMIN), BotCommandScopeChat(chat)
                ),
            )
        )
    for what, step in steps:
        try:
            await step()
        except TelegramError as error:
            logger.warning("could not set the bot's %s: %s", what, error)
