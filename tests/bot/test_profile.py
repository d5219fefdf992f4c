"""At start the bot sets its Chinese descriptions and command menus; admins see more."""

from __future__ import annotations

import logging

from emulator import ApiError
from harness import ADMIN_ID, TOKEN, ask_privately, start_bot

from bot import texts


def menu(emulator, scope: str) -> set[str]:
    return {command["command"] for command in emulator.commands[scope]}


def test_descriptions_are_chinese_and_admin_commands_are_in_admin_menus_only(running_bot, emulator):
    assert emulator.description == texts.DESCRIPTION
    assert emulator.short_description == texts.SHORT_DESCRIPTION
    admin_menu = menu(emulator, f"chat:{ADMIN_ID}")
    assert {"reindex", "unanswered", "ask", "start"} <= admin_menu
    for scope in ("default", "all_private_chats", "all_group_chats"):
        assert "ask" in menu(emulator, scope)
        assert not {"reindex", "unanswered"} & menu(emulator, scope)
    assert [key for key in emulator.commands if key.startswith("chat:")] == [f"chat:{ADMIN_ID}"]


def test_a_refused_profile_call_is_logged_without_the_token_and_the_bot_serves(
    emulator, sample_store, redacted_logs, caplog
):
    caplog.set_level(logging.WARNING, logger="bot.profile")
    emulator.fail_next("setMyDescription", ApiError("Bad Request: description is too long"))
    emulator.fail_next("setMyCommands", ApiError("Internal Server Error", code=500))
    bot = start_bot(emulator, sample_store)
    try:
        reply = ask_privately(emulator, "云帆科技第三季度总营收是多少？")
    finally:
        bot.stop()
    assert "126亿元" in reply.text
    warnings = [record.getMessage() for record in caplog.records]
    assert any("description" in line and "too long" in line for line in warnings), warnings
    assert emulator.short_description == texts.SHORT_DESCRIPTION  # the rest went on
    assert "reindex" in menu(emulator, f"chat:{ADMIN_ID}")
    assert not any(TOKEN.split(":")[1] in line for line in warnings)
