"""The inline buttons under an answer, and the callback data they carry.

Callback data is at most 64 bytes and must outlive the bot's memory (a
restart) and its index (a reindex), so it names things the store itself
can find again:

- 原文: "tx:<passage key>:<sentence>", the passage's content key
  (`Hit.passage_key`, the same in every index that kept the passage) and the
  answer sentence's position in it;
- ◀ ▶: "pg:<page>" or "pg:<page>:<subject>": the question is asked again from
  the message the answer replies to, with the subject a follow-up carried over
  (可灵AI for a reply 月活呢？), which that message does not show.

Data this bot did not make decodes to None and gets a polite toast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from retrieval import Hit

MAX_DATA_BYTES = 64
_PASSAGE = re.compile(r"tx:([0-9a-f]{16}):([0-9]{1,4})")
_PAGE = re.compile(r"pg:([0-9]{1,4})(?::(.+))?", re.DOTALL)


@dataclass(frozen=True)
class PagePress:
    """◀ or ▶: show page `page` (from 0) of the question asked again."""

    page: int
    subject: str = ""  # the subject a follow-up question carried over, "" for none


@dataclass(frozen=True)
class PassagePress:
    """原文: show the passage `key` names, with its sentence at `position` in bold."""

    key: str
    position: int


def encode_page(page: int, subject: str = "") -> str:
    """Data for a page button; the subject is left out when it would not fit in 64 bytes."""
    data = f"pg:{page}:{subject}" if subject else f"pg:{page}"
    return data if len(data.encode()) <= MAX_DATA_BYTES else f"pg:{page}"


def encode_passage(key: str, position: int) -> str:
    return f"tx:{key}:{position}"


def decode_button(data: str | None) -> PagePress | PassagePress | None:
    """The press `data` stands for; None for data this bot did not make."""
    if match := _PASSAGE.fullmatch(data or ""):
        return PassagePress(match[1], int(match[2]))
    if match := _PAGE.fullmatch(data or ""):
        return PagePress(int(match[1]), match[2] or "")
    return None


def answer_keyboard(hit: Hit, page: int, pages: int, subject: str = "") -> InlineKeyboardMarkup:
    """原文 for `hit` (the one the page shows first), between ◀ and ▶ to the previous and next
    pages when there are; `subject` is what the question carried over from an earlier one."""
    row = [
        InlineKeyboardButton(
            texts.BUTTON_PASSAGE, callback_data=encode_passage(hit.passage_key, hit.position)
        )
    ]
    if page > 0:
        data = encode_page(page - 1, subject)
        row.insert(0, InlineKeyboardButton(texts.BUTTON_PREVIOUS, callback_data=data))
    if page + 1 < pages:
        data = encode_page(page + 1, subject)
        row.append(InlineKeyboardButton(texts.BUTTON_NEXT, callback_data=data))
    return InlineKeyboardMarkup([row])
