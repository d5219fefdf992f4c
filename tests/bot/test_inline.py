"""Inline mode through the emulator: @WendaBot 问题 in any chat offers answers to send."""

from __future__ import annotations

import pytest
from emulator import ApiError, BotApiEmulator
from harness import new_user

from bot import texts
from bot.app import ALLOWED_UPDATES
from bot.inline import CACHE_SECONDS, MAX_RESULTS

pytestmark = pytest.mark.usefixtures("running_bot")


def inline(emulator: BotApiEmulator, query: str) -> dict:
    since = emulator.mark()
    emulator.send_inline_query(new_user(), query)
    return emulator.wait_for("answerInlineQuery", since=since)[0].params


def test_an_inline_question_offers_answers_titled_by_figure_and_described_by_source(emulator):
    params = inline(emulator, "蓝鲸汽车交付了多少辆新车？")
    results = params["results"]
    assert 1 <= len(results) <= MAX_RESULTS
    assert params["cache_time"] == CACHE_SECONDS and params["is_personal"] is False
    first = results[0]
    assert "万辆" in first["title"]  # the leading figure, as the article says it
    assert first["description"].startswith("蓝鲸汽车十月交付量创新高")
    content = first["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert content["message_text"].count("来源：蓝鲸汽车十月交付量创新高") == 1
    assert "reply_markup" not in first  # no buttons where the bot may not be


def test_each_result_sends_the_same_answer_as_the_chat_with_that_hit_first(emulator):
    results = inline(emulator, "蓝鲸汽车交付了多少辆新车？")["results"]
    sentences = [r["input_message_content"]["message_text"].split("\n", 1)[0] for r in results]
    assert len(set(sentences)) == len(sentences)


def test_an_empty_query_offers_example_questions(emulator):
    results = inline(emulator, "")["results"]
    assert len(results) >= 2
    assert all(r["description"] == texts.INLINE_EXAMPLE for r in results)
    assert all("来源：" in r["input_message_content"]["message_text"] for r in results)


def test_a_question_nothing_answers_offers_the_not_found_text(emulator):
    results = inline(emulator, "量子引力的弦论景观有多少个真空态？")["results"]
    assert [r["title"] for r in results] == [texts.INLINE_NOT_FOUND]
    assert results[0]["input_message_content"]["message_text"] == texts.NOT_FOUND


def test_the_bot_asks_telegram_for_inline_queries():
    assert "inline_query" in ALLOWED_UPDATES


@pytest.mark.parametrize(
    "results",
    [
        [{"type": "article", "id": str(i), "title": "t",
          "input_message_content": {"message_text": "x"}} for i in range(51)],
        [{"type": "article", "id": "x" * 65, "title": "t",
          "input_message_content": {"message_text": "x"}}],
        [{"type": "article", "id": "1", "title": "t",
          "input_message_content": {"message_text": "x" * 4097}}],
    ],
)
def test_the_emulator_refuses_what_telegram_refuses(emulator, results):
    query_id = emulator.send_inline_query(new_user(), "问")
    emulator.wait_for("answerInlineQuery", match=lambda c: c.params["inline_query_id"] == query_id)
    emulator._inline_queries[query_id] = False  # as if the bot had not answered it yet
    with pytest.raises(ApiError):
        emulator.handle("answerInlineQuery", {"inline_query_id": query_id, "results": results})
