"""Text normalisation shared by articles and questions.

Everything that compares text (segmentation, BM25, highlighting) sees the
normalised form; people always see the original. The normalised form keeps
one character per original character wherever it can, and
`normalise_with_offsets` says where each normalised character came from, so
that a match found in normalised text can be shown in bold in the original.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

import opencc

# Full-width ASCII and the ideographic space, as NFKC maps them. Chinese text is full of
# ，and ：, which make NFKC take its slow path; mapped first (one translate), most text
# is already NFKC and passes its quick check. The result is the same: these characters
# decompose to one ASCII character each, which composes with nothing.
_WIDE_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_SURROGATES = re.compile("[\ud800-\udfff]")
_WIDE = re.compile("[\uff01-\uff5e\u3000]")
# `normalise` folds width and replaces lone surrogates in one translate, and only when one
# search finds something to change (a scan each cost more than the rest of the folding).
_TO_FOLD = re.compile("[\ud800-\udfff\uff01-\uff5e\u3000]")
_FOLD_TABLE = _WIDE_TO_ASCII | dict.fromkeys(range(0xD800, 0xE000), 0xFFFD)
# The full-width characters of everyday Chinese prose: a str.replace each (a fast scan)
# costs a fraction of a translate, which looks every character up.
_COMMON_WIDE = "，：；（）！？％"


@functools.cache
def _converter() -> opencc.OpenCC:
    # OpenCC's own package (C++ core, maintained by the OpenCC project):
    # ~60 MB/s here, and its t2s tables are the reference ones.
    return opencc.OpenCC("t2s")


def _spelled_alike(simplified: str) -> str:
    """Simplified text with 甚么 (甚麼, Hong Kong's and Taiwan's everyday spelling, which
    t2s keeps) as 什么: "甚麼時候" asks like "什么时候". The same length, so offsets hold."""
    return simplified.replace("甚么", "什么")


def replace_surrogates(text: str) -> str:
    """Lone surrogates (from file names or JSON escapes) as U+FFFD, one for one.

    They cannot be encoded as UTF-8, so OpenCC and SQLite would raise on them.
    """
    return _SURROGATES.sub("\ufffd", text)


def _fold_char(char: str) -> str:
    """NFKC and lower case for one character (full-width digits and Latin to half-width)."""
    return unicodedata.normalize("NFKC", char).lower()


def fold_wide(text: str, table: dict[int, int] = _WIDE_TO_ASCII,
              wide: re.Pattern[str] = _WIDE) -> str:
    """`text.translate(table)` for a table mapping `_COMMON_WIDE` (and whatever `wide`
    finds) one character for one: the common ones replaced, the rest (rare) translated."""
    for char in _COMMON_WIDE:
        if char in text:
            text = text.replace(char, chr(table[ord(char)]))
    if wide.search(text) is not None:
        text = text.translate(table)
    return text


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise `text` and map each output character to its source index.

    NFKC, lower case, Traditional to Simplified, whitespace runs folded to one
    space and trimmed. `offsets[i]` is the index in `text` of the character
    that produced output character `i`; `offsets` has one extra entry,
    `len(text)`, so that an end offset maps too.
    """
    text = replace_surrogates(text)
    pieces: list[str] = []
    origins: list[int] = []
    previous_space = True  # trims leading whitespace
    for index, char in enumerate(text):
        if char.isspace():
            if not previous_space:
                pieces.append(" ")
                origins.append(index)
            previous_space = True
            continue
        folded = _fold_char(char)
        for out in folded:
            if out.isspace():
                continue
            pieces.append(out)
            origins.append(index)
        previous_space = False
    if pieces and pieces[-1] == " ":
        pieces.pop()
        origins.pop()
    origins.append(len(text))
    return simplify_in_place("".join(pieces)), origins


def simplify_in_place(text: str) -> str:
    """`text` with Traditional characters as Simplified, every character where it was (so
    offsets into one are offsets into the other): the phrase conversion when it keeps
    the length, else character by character (losing only rare multi-character phrases),
    else `text` as it is. Lone surrogates come back as U+FFFD, one for one."""
    text = replace_surrogates(text)
    simplified = _converter().convert(text)
    if len(simplified) != len(text):
        simplified = "".join(_converter().convert(char) or char for char in text)
        if len(simplified) != len(text):
            return text
    return _spelled_alike(simplified)


def fold_passage(normalised_sentences: Iterable[str]) -> str:
    """A passage's folded text: its sentences' normalised texts joined by "\n", which no
    bigram spans and which splitting never cuts between word characters. What copies are
    found by, bigrams counted over and the sentence table keeps, made from the sentences
    (normalising the whole passage again cost 3% of a worker's time)."""
    return "\n".join(normalised_sentences)


def normalise(text: str) -> str:
    """Return the comparison form of `text`: `normalise_with_offsets` without the offsets.

    Whole-string operations, several times faster; equal to the offset form
    except where a combining sequence or a length-changing phrase conversion
    makes exact offsets impossible.
    """
    folded = unicodedata.normalize("NFKC", fold_wide(text, _FOLD_TABLE, _TO_FOLD)).lower()
    # Whitespace runs as one space, trimmed: split() and strip() agree with each other on
    # what whitespace is, and a scan for runs cost several times more than this.
    return _spelled_alike(_converter().convert(" ".join(folded.split())))
