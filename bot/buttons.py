"""The inline buttons under an answer, and the callback data they carry.

Callback data is at most 64 bytes, so it names an answer kept in memory
(`AnswerCache`) instead of carrying the question: "page:<key>:<page>" shows
that page of the answer in the same message (◀ ▶), "text:<key>:<hit>" shows
a hit's passage in its article. When the answer is gone (a restart, a
reindex), the handler asks the question again from the message the answer
replied to; data this bot did not make gets a polite toast.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from retrieval import Answer

PAGE = "page"
PASSAGE = "text"
ACTIONS = (PAGE, PASSAGE)


@dataclass(frozen=True)
class ButtonPress:
    action: str
    key: str
    index: int


def encode_button(action: str, key: str, index: int) -> str:
    return f"{action}:{key}:{index}"


def decode_button(data: str | None) -> ButtonPress | None:
    """The press `data` stands for; None for data this bot did not make."""
    parts = (data or "").split(":")
    if len(parts) != 3 or parts[0] not in ACTIONS or not parts[2].isdigit():
        return None
    return ButtonPress(parts[0], parts[1], int(parts[2]))


def answer_keyboard(key: str, hit: int, page: int, pages: int) -> InlineKeyboardMarkup:
    """原文 for the hit shown, between ◀ and ▶ to the previous and next pages when there are."""
    row = [
        InlineKeyboardButton(texts.BUTTON_PASSAGE, callback_data=encode_button(PASSAGE, key, hit))
    ]
    if page > 0:
        data = encode_button(PAGE, key, page - 1)
        row.insert(0, InlineKeyboardButton(texts.BUTTON_PREVIOUS, callback_data=data))
    if page + 1 < pages:
        data = encode_button(PAGE, key, page + 1)
        row.append(InlineKeyboardButton(texts.BUTTON_NEXT, callback_data=data))
    return InlineKeyboardMarkup([row])


class AnswerCache:
    """The latest answers, by a short key that never repeats while the bot runs."""

    def __init__(self, size: int = 2000):
        self.size = size
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._keys = itertools.count(1)

    def put(self, answer: Answer) -> str:
        key = format(next(self._keys), "x")
        self._answers[key] = answer
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)
        return key

    def get(self, key: str) -> Answer | None:
        return self._answers.get(key)

    def clear(self) -> None:
        """Forget every answer (their passage ids belong to a replaced index)."""
        self._answers.clear()
