"""Conversations with the real bot through the Bot API emulator, on the sample corpus.

No sleeps and no timing assertions: the bot handles updates in order, so
waiting for its reply to a later message proves it said nothing to an earlier one.
"""

from __future__ import annotations

import logging
import time

import pytest
from emulator import ApiError, user
from harness import BOT_NAME, new_group, new_private_chat, new_user

from bot import texts
from settings import sample_corpus_dir

REVENUE_QUESTION = "云帆科技第三季度总营收是多少？"
REVENUE = "126亿元"
STORES_QUESTION = "星河咖啡全国门店有多少家？"
LANJING_QUESTION = "蓝鲸汽车交付了多少辆新车？"

pytestmark = pytest.mark.usefixtures("running_bot")


def ask_privately(emulator, text: str, person: dict | None = None):
    """Send `text` in a private chat; returns (user, chat, the bot's reply)."""
    person = person or new_user()
    chat = new_private_chat(person)
    since = emulator.mark()
    emulator.send_text(chat, person, text)
    return person, chat, emulator.wait_reply({"chat": chat}, since=since)


def replied_to(call) -> int | None:
    return (call.params.get("reply_parameters") or {}).get("message_id")


def test_a_private_question_is_answered_with_its_figures(emulator):
    _, _, reply = ask_privately(emulator, REVENUE_QUESTION)
    assert REVENUE in reply.text
    assert "<b>" in reply.text
    assert "来源：云帆科技发布第三季度财报" in reply.text
    assert "yunfan.txt" not in reply.text  # file names are for operators
    assert "• " in reply.text.split("来源：", 1)[1]  # the figures list
    assert texts.BUTTON_PASSAGE in reply.buttons
    assert reply.params["parse_mode"] == "HTML"


def test_an_article_from_a_record_is_cited_by_its_outlet_and_date(emulator):
    _, _, reply = ask_privately(emulator, "国庆假期江城地铁日均客流多少？")
    assert "来源：江城地铁日均客流再创新高 · 示例日报 · 2024年10月8日" in reply.text


def test_start_greets_with_example_questions(emulator):
    _, _, reply = ask_privately(emulator, "/start")
    assert reply.text.startswith("你好")
    assert texts.EXAMPLES in reply.text
    assert reply.text.count("\n• ") >= 2


def test_help_explains_usage_in_chinese(emulator):
    _, _, reply = ask_privately(emulator, "/help")
    assert "群聊" in reply.text and f"@{BOT_NAME}" in reply.text
    assert "最接近的一句" in reply.text  # what a refused question may still get


def ask_in_group(emulator, text: str):
    group, person = new_group(), new_user()
    since = emulator.mark()
    asked = emulator.send_text(group, person, text)
    return emulator.wait_reply(asked, since=since)


def test_start_and_help_in_a_group_say_to_mention_or_reply_to_the_bot(emulator):
    for command in (f"/start@{BOT_NAME}", f"/help@{BOT_NAME}"):
        reply = ask_in_group(emulator, command)
        assert f"@{BOT_NAME}" in reply.text and "回复我的消息" in reply.text
        assert "其他消息我不会回复" in reply.text
    welcome = ask_in_group(emulator, "/start")
    assert f"• @{BOT_NAME} " in welcome.text  # examples show how to ask in the group


def test_start_in_private_says_to_just_send_the_question(emulator):
    _, _, reply = ask_privately(emulator, "/start")
    assert "直接把问题发给我" in reply.text and f"@{BOT_NAME}" not in reply.text


def test_ask_command_works_in_private(emulator):
    _, _, reply = ask_privately(emulator, f"/ask {REVENUE_QUESTION}")
    assert REVENUE in reply.text


def test_empty_ask_gets_the_usage_line(emulator):
    _, _, reply = ask_privately(emulator, "/ask")
    assert reply.text == texts.ASK_USAGE


def test_a_question_nothing_answers_says_so(emulator):
    _, _, reply = ask_privately(emulator, "量子引力的弦论景观有多少个真空态？")
    assert texts.NOT_FOUND in reply.text
    assert not reply.buttons


def test_a_question_half_answered_gets_the_nearest_sentence_marked_as_such(emulator):
    # Refused for want of confidence (the members, not their benefits), the reply still
    # shows the sentence nearest to it, and says it may not answer the question.
    _, _, reply = ask_privately(emulator, "星河咖啡的会员有什么权益")
    assert reply.text.startswith(texts.NOT_FOUND_NEAREST)
    assert texts.NOT_FOUND not in reply.text
    assert "星河咖啡" in reply.text and "来源：" in reply.text
    assert reply.params["parse_mode"] == "HTML"


def test_a_5000_character_question_is_cut_with_a_note(emulator):
    _, _, reply = ask_privately(emulator, REVENUE_QUESTION * 400)
    assert "500" in reply.text.split("\n", 1)[0]
    assert len(reply.text) <= 4096


def test_a_sticker_in_private_gets_a_hint(emulator):
    person = new_user()
    chat = new_private_chat(person)
    since = emulator.mark()
    emulator.send_sticker(chat, person)
    assert emulator.wait_reply({"chat": chat}, since=since).text == texts.TEXT_ONLY


def test_an_unknown_command_in_private_points_to_help(emulator):
    _, _, reply = ask_privately(emulator, "/weather")
    assert reply.text == texts.UNKNOWN_COMMAND


def test_edits_channel_posts_and_bots_are_ignored(emulator):
    person = new_user()
    chat = new_private_chat(person)
    since = emulator.mark()
    first = emulator.send_text(chat, person, REVENUE_QUESTION)
    emulator.wait_reply(first, since=since)
    since = emulator.mark()
    emulator.edit_text(first, STORES_QUESTION)
    emulator.post_in_channel(-100999, REVENUE_QUESTION)
    emulator.send_text(chat, user(555, "OtherBot", is_bot=True), REVENUE_QUESTION)
    emulator.send_text(chat, person, "/help")
    replies = emulator.wait_for("sendMessage", since=since)
    assert len(emulator.find("sendMessage", since=since)) == 1
    assert "使用方法" in replies[0].text


def test_in_a_group_only_messages_addressed_to_the_bot_get_answers(emulator):
    group, person = new_group(), new_user()
    since = emulator.mark()
    emulator.send_text(group, person, REVENUE_QUESTION)  # not addressed: ignored
    emulator.send_sticker(group, person)  # ignored in groups
    emulator.send_text(group, person, "/ask@OtherBot 营收")  # another bot's command
    asked = [
        emulator.send_text(group, person, f"/ask@{BOT_NAME} {REVENUE_QUESTION}"),
        emulator.send_text(group, person, f"@{BOT_NAME} {REVENUE_QUESTION}"),
    ]
    replies = emulator.wait_for("sendMessage", since=since, chat_id=group["id"], count=2)
    bot_message = replies[0].result
    asked.append(emulator.send_text(group, person, STORES_QUESTION, reply_to=bot_message))
    asked.append(emulator.send_text(group, person, f"/ask {STORES_QUESTION}"))
    replies = emulator.wait_for("sendMessage", since=since, chat_id=group["id"], count=4)
    assert len(emulator.find("sendMessage", since=since)) == 4
    # Chats are handled concurrently: replies may arrive in any order, each quoting its question.
    answers = {replied_to(r): r.text for r in replies}
    assert sorted(answers) == sorted(m["message_id"] for m in asked)
    assert all(REVENUE in answers[m["message_id"]] for m in asked[:2])
    assert all("10000" in answers[m["message_id"]] for m in asked[2:])


@pytest.mark.parametrize(
    ("text", "kind"), [("你好", "greeting"), ("谢谢！", "thanks"), ("😂", "laughter")]
)
def test_small_talk_in_private_gets_a_friendly_line_not_the_not_found_text(emulator, text, kind):
    _, _, reply = ask_privately(emulator, text)
    assert reply.text == texts.SMALL_TALK[kind]
    assert texts.NOT_FOUND not in reply.text and not reply.buttons


def test_small_talk_addressed_to_the_bot_in_a_group_gets_nothing(emulator):
    group, person = new_group(), new_user()
    since = emulator.mark()
    emulator.send_text(group, person, f"@{BOT_NAME} 谢谢")
    emulator.send_text(group, person, f"/ask@{BOT_NAME} 哈哈哈")
    asked = emulator.send_text(group, person, f"@{BOT_NAME} {REVENUE_QUESTION}")
    reply = emulator.wait_reply(asked, since=since)
    assert REVENUE in reply.text
    assert len(emulator.find("sendMessage", since=since)) == 1


def test_a_mention_alone_gets_the_usage_line(emulator):
    group, person = new_group(), new_user()
    since = emulator.mark()
    asked = emulator.send_text(group, person, f"@{BOT_NAME}")
    reply = emulator.wait_reply(asked, since=since)
    assert reply.text == texts.ASK_USAGE


def test_a_flood_gets_one_notice_and_others_are_still_answered(emulator):
    flooder, other = new_user(), new_user()
    chat = new_private_chat(flooder)
    since = emulator.mark()
    for _ in range(20):
        emulator.send_text(chat, flooder, REVENUE_QUESTION)
    emulator.wait_for("sendMessage", since=since, chat_id=chat["id"], count=6)
    _, _, other_reply = ask_privately(emulator, REVENUE_QUESTION, other)
    assert REVENUE in other_reply.text
    # The flood's other 14 updates came before the other user's question: they were handled
    # (dropped) before it was answered.
    sent = [call.text for call in emulator.find("sendMessage", since=since, chat_id=chat["id"])]
    notices = [text for text in sent if text.startswith("提问太快了")]
    assert len(notices) == 1
    assert "请 30 秒后再问" in notices[0]  # when they may ask again
    assert len(sent) == 6  # five answers, the notice, then silence


def test_passage_shows_the_sentence_in_bold_among_its_article_neighbours(emulator):
    person, chat, reply = ask_privately(emulator, "蓝鲸汽车累计交付了多少辆新车？")
    best = reply.result["text"].split("\n", 1)[0]
    since = emulator.mark()
    emulator.press(reply.result, reply.buttons[texts.BUTTON_PASSAGE], person)
    passage = emulator.wait_reply({"chat": chat}, since=since)
    assert emulator.wait_for("answerCallbackQuery", since=since)[0].params.get("text") is None
    assert replied_to(passage) == reply.result["message_id"]
    assert passage.text.startswith("来源：蓝鲸汽车十月交付量创新高")
    assert f"<b>{best}</b>" in passage.text
    others = [line for line in passage.result["text"].split("\n")[1:] if line and line != best]
    assert any("蓝鲸汽车" in line for line in others)  # a neighbouring sentence, same article
    for other_article in ("云帆", "星河", "江城"):
        assert other_article not in passage.text


def press_and_read_edit(emulator, message: dict, data: str, person: dict):
    """Press a button under `message`; returns the bot's edit of a message in that chat."""
    since = emulator.mark()
    emulator.press(message, data, person)
    edit = emulator.wait_for("editMessageText", since=since)[0]
    assert emulator.wait_for("answerCallbackQuery", since=since)[0].params.get("text") is None
    assert not emulator.find("sendMessage", since=since)
    return edit


@pytest.mark.parametrize("chat_kind", ["private", "group"])
def test_next_and_back_page_through_results_in_the_same_message(emulator, chat_kind):
    person = new_user()
    chat = new_private_chat(person) if chat_kind == "private" else new_group()
    since = emulator.mark()
    asked = emulator.send_text(chat, person, f"/ask {LANJING_QUESTION}")
    first = emulator.wait_reply(asked, since=since)
    assert "第 1/" in first.text
    assert set(first.buttons) == {texts.BUTTON_PASSAGE, texts.BUTTON_NEXT}

    second = press_and_read_edit(emulator, first.result, first.buttons[texts.BUTTON_NEXT], person)
    assert second.params["message_id"] == first.result["message_id"]
    assert "第 2/" in second.text
    assert first.result["text"].split("\n", 1)[0] not in second.text
    assert texts.BUTTON_PREVIOUS in second.buttons

    back = press_and_read_edit(
        emulator, first.result, second.buttons[texts.BUTTON_PREVIOUS], person
    )
    assert back.params["message_id"] == first.result["message_id"]
    assert back.text == first.text and back.buttons == first.buttons


def test_a_double_press_shows_the_page_once_and_no_error(emulator):
    person, chat, reply = ask_privately(emulator, LANJING_QUESTION)
    since = emulator.mark()
    for _ in range(2):
        emulator.press(reply.result, reply.buttons[texts.BUTTON_NEXT], person)
    wait_until(
        lambda: len([c for c in emulator.calls[since:] if c.method == "editMessageText"]) == 2
    )
    edits = [c for c in emulator.calls[since:] if c.method == "editMessageText"]
    assert [bool(c.error and "not modified" in c.error) for c in edits] == [False, True]
    _, _, later = ask_privately(emulator, REVENUE_QUESTION, person)
    assert REVENUE in later.text
    sent = emulator.find("sendMessage", since=since, chat_id=chat["id"])
    assert [call.text for call in sent] == [later.text]  # no error message


def test_the_last_page_says_so_and_has_no_next_button(emulator):
    person, chat, reply = ask_privately(emulator, LANJING_QUESTION)
    page = reply
    while texts.BUTTON_NEXT in page.buttons:
        page = press_and_read_edit(emulator, reply.result, page.buttons[texts.BUTTON_NEXT], person)
    assert "最后一页" in page.text
    assert "最后一页" not in reply.text


def test_unknown_or_stale_button_data_gets_a_polite_toast(emulator):
    person, chat, reply = ask_privately(emulator, REVENUE_QUESTION)
    since = emulator.mark()
    for data in ("more:zzz:1", "text:1:999", "garbage"):
        emulator.press(reply.result, data, person)
    toasts = emulator.wait_for("answerCallbackQuery", since=since, count=3)
    assert {call.params.get("text") for call in toasts} == {texts.BUTTON_EXPIRED}
    assert not emulator.find("sendMessage", since=since)


def test_stats_counts_documents_and_questions(emulator):
    ask_privately(emulator, REVENUE_QUESTION)
    _, _, reply = ask_privately(emulator, "/stats")
    assert f"文档 {len(list(sample_corpus_dir().iterdir()))} 篇" in reply.text
    assert "启动以来：回答" in reply.text


# python-telegram-bot's own rate limiter reads RetryAfter.retry_after, which warns in v22.
@pytest.mark.filterwarnings("ignore:Deprecated since version v22.2")
def test_a_429_is_retried_and_the_answer_still_arrives(emulator):
    emulator.fail_next("sendMessage", ApiError("Too Many Requests: retry after 1", 429, 1))
    person, chat, reply = ask_privately(emulator, REVENUE_QUESTION)
    assert REVENUE in reply.text
    refused = [c for c in emulator.calls if c.error and c.error.startswith("Too Many Requests")]
    assert len(refused) == 1


def test_a_failing_handler_is_logged_and_the_asker_told_once(emulator, caplog):
    caplog.set_level(logging.ERROR, logger="bot.handlers")
    emulator.fail_next("sendMessage", ApiError("Bad Request: chat not found"))
    person, chat, reply = ask_privately(emulator, REVENUE_QUESTION)
    assert reply.text == texts.ERROR
    errors = [r for r in caplog.records if r.name == "bot.handlers" and r.exc_info]
    assert len(errors) == 1
    _, _, reply = ask_privately(emulator, REVENUE_QUESTION, person)
    assert REVENUE in reply.text  # the bot goes on


def test_the_command_menus_are_registered(emulator):
    assert {c["command"] for c in emulator.commands["all_private_chats"]} >= {
        "ask",
        "start",
        "help",
    }
    assert "ask" in {c["command"] for c in emulator.commands["all_group_chats"]}


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_an_update_the_library_cannot_read_is_logged_once_skipped_and_the_next_answered(
    emulator, caplog
):
    caplog.set_level(logging.INFO)
    person = new_user()
    bad = emulator.send_unreadable_update(new_private_chat(person), person)
    _, _, reply = ask_privately(emulator, REVENUE_QUESTION, person)
    assert REVENUE in reply.text
    wait_until(lambda: emulator.offset > bad)  # confirmed: Telegram would not send it again
    complaints = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(complaints) == 1, [r.getMessage() for r in complaints]
    assert f"skipping update {bad}" in complaints[0].getMessage()


def test_lone_surrogates_from_telegram_become_replacement_characters(emulator):
    person = new_user("Ann\ud800")
    _, _, greeting = ask_privately(emulator, "/start", person)
    assert greeting.text.startswith("你好，Ann\ufffd！")
    _, _, reply = ask_privately(emulator, REVENUE_QUESTION + "\udc00", person)
    assert REVENUE in reply.text
