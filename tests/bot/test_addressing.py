"""Whether a message addresses the bot, and the question it asks."""

from __future__ import annotations

import pytest

from bot import texts
from bot.addressing import (
    GREETING,
    LAUGHTER,
    THANKS,
    command_argument,
    extract_question,
    small_talk,
    strip_mention,
)

BOT = "WendaTestBot"


@pytest.mark.parametrize(
    ("text", "private", "replies_to_bot", "expected"),
    [
        ("营收是多少？", True, False, "营收是多少？"),
        ("  营收是多少？ ", True, False, "营收是多少？"),
        ("营收是多少？", False, False, None),
        ("营收是多少？", False, True, "营收是多少？"),
        ("/ask 营收是多少？", False, False, "营收是多少？"),
        ("/ask@WendaTestBot 营收是多少？", False, False, "营收是多少？"),
        ("/ask@wendatestbot 营收是多少？", False, False, "营收是多少？"),
        ("/ask@OtherBot 营收是多少？", False, False, None),
        ("/ask", False, False, ""),
        ("/ask@WendaTestBot", True, False, ""),
        ("/ask营收是多少", True, False, "营收是多少"),
        ("/asking 营收", True, False, None),
        ("/start", True, False, None),
        ("@WendaTestBot 营收是多少？", False, False, "营收是多少？"),
        ("请问 @WendaTestBot 营收是多少？", False, False, "请问 营收是多少？"),
        ("@WendaTestBot，营收是多少？", False, False, "营收是多少？"),
        ("营收是多少 @wendatestbot", False, False, "营收是多少"),
        ("@WendaTestBot", False, False, ""),
        ("@WendaTestBotX 营收是多少？", False, False, None),
        ("mail@WendaTestBot 营收", False, False, None),
        ("/什么 是营收", True, False, "/什么 是营收"),
    ],
)
def test_extract_question(text, private, replies_to_bot, expected):
    question = extract_question(
        text, bot_username=BOT, private=private, replies_to_bot=replies_to_bot
    )
    assert question == expected


def test_command_argument_keeps_line_breaks_of_the_question():
    assert command_argument("/ask 第一行\n第二行", "ask", BOT) == "第一行\n第二行"


def test_strip_mention_returns_none_without_a_mention():
    assert strip_mention("营收是多少", BOT) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("你好", GREETING),
        ("您好！", GREETING),
        ("Hello!", GREETING),
        ("谢谢", THANKS),
        ("多谢啦", THANKS),
        ("Thank you!", THANKS),
        ("哈哈哈", LAUGHTER),
        ("hhh", LAUGHTER),
        ("😂😂", LAUGHTER),
        ("👍", LAUGHTER),
        ("你好，云帆科技第三季度营收多少？", None),
        ("谢谢！那星河咖啡有多少家门店？", None),
        ("哈", None),
        ("", None),
    ],
)
def test_small_talk_is_recognised_only_as_a_whole_message(text, kind):
    assert small_talk(text) == kind


def test_every_kind_of_small_talk_has_a_reply():
    assert {GREETING, THANKS, LAUGHTER} == set(texts.SMALL_TALK)
