"""Inline buttons: callback data round trips, fits in 64 bytes, and stale data is recognised."""

from __future__ import annotations

from bot import texts
from bot.buttons import PAGE, PASSAGE, AnswerCache, ButtonPress, answer_keyboard, decode_button
from retrieval import Answer


def empty_answer() -> Answer:
    return Answer(question="问题", found=False, terms=(), hits=(), truncated=False)


def labels(keyboard) -> list[str]:
    return [b.text for row in keyboard.inline_keyboard for b in row]


def test_keyboard_data_decodes_back_and_fits_telegram():
    keyboard = answer_keyboard("ffffff", 12, 4, 9)
    data = [button.callback_data for row in keyboard.inline_keyboard for button in row]
    assert [decode_button(d) for d in data] == [
        ButtonPress(PAGE, "ffffff", 3),
        ButtonPress(PASSAGE, "ffffff", 12),
        ButtonPress(PAGE, "ffffff", 5),
    ]
    assert all(len(d.encode()) <= 64 for d in data)


def test_the_first_page_has_no_back_button_and_the_last_no_next():
    assert labels(answer_keyboard("1", 0, 0, 3)) == [texts.BUTTON_PASSAGE, texts.BUTTON_NEXT]
    assert labels(answer_keyboard("1", 5, 2, 3)) == [texts.BUTTON_PREVIOUS, texts.BUTTON_PASSAGE]
    assert labels(answer_keyboard("1", 0, 0, 1)) == [texts.BUTTON_PASSAGE]


def test_foreign_data_is_not_ours():
    for data in (None, "", "more", "more:1", "more:1:x", "delete:1:2", "more:1:2:3"):
        assert decode_button(data) is None


def test_the_cache_forgets_the_oldest_and_keys_never_repeat():
    cache = AnswerCache(size=2)
    keys = [cache.put(empty_answer()) for _ in range(3)]
    assert len(set(keys)) == 3
    assert cache.get(keys[0]) is None and cache.get(keys[2]) is not None
    cache.clear()
    assert cache.get(keys[2]) is None
