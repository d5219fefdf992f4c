"""Inline buttons: callback data round trips, fits in 64 bytes, and stale data is recognised."""

from __future__ import annotations

import pytest

from bot import texts
from bot.buttons import PagePress, PassagePress, answer_keyboard, decode_button, encode_page
from retrieval import Hit, Source

HIT = Hit(sentence="总营收126亿元。", score=1.0, spans=(), source=Source("a.txt", "甲", ""),
          passage_id=7, sentence_id=9, figures=(), passage_key="0123456789abcdef", position=2)


def labels(keyboard) -> list[str]:
    return [b.text for row in keyboard.inline_keyboard for b in row]


def test_keyboard_data_decodes_back_and_fits_telegram():
    keyboard = answer_keyboard(HIT, 4, 9, subject="可灵ai")
    data = [button.callback_data for row in keyboard.inline_keyboard for button in row]
    assert [decode_button(d) for d in data] == [
        PagePress(3, "可灵ai"),
        PassagePress("0123456789abcdef", 2),
        PagePress(5, "可灵ai"),
    ]
    assert all(len(d.encode()) <= 64 for d in data)


def test_a_subject_too_long_for_the_data_is_left_out():
    assert decode_button(encode_page(1, "很长的名字" * 10)) == PagePress(1, "")


def test_the_first_page_has_no_back_button_and_the_last_no_next():
    assert labels(answer_keyboard(HIT, 0, 3)) == [texts.BUTTON_PASSAGE, texts.BUTTON_NEXT]
    assert labels(answer_keyboard(HIT, 2, 3)) == [texts.BUTTON_PREVIOUS, texts.BUTTON_PASSAGE]
    assert labels(answer_keyboard(HIT, 0, 1)) == [texts.BUTTON_PASSAGE]


@pytest.mark.parametrize(
    "data", [None, "", "more", "page:1:2", "text:1:2", "tx:0123:1", "tx:0123456789abcdeg:1",
             "pg:x", "pg:", "tx:0123456789abcdef:"]
)
def test_foreign_data_is_not_ours(data):
    assert decode_button(data) is None
