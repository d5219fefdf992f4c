"""Toneless pinyin keys of words, for matching typos made with pinyin input methods.

The index stores each vocabulary word's key, so that retrieval finds the
words that sound like a mistyped one with one indexed look-up.
"""

from __future__ import annotations

import functools
import unicodedata

# Only words of 2-4 characters take part: a single character sounds like too much.
MIN_CHARS = 2
MAX_CHARS = 4


def _toneless(reading: str) -> str:
    """'zhǎng' -> 'zhang', 'lǜ' -> 'lu'."""
    stripped = unicodedata.normalize("NFD", reading)
    return "".join(c for c in stripped if not unicodedata.combining(c))


@functools.cache
def _tables() -> tuple[dict, dict]:
    """pypinyin's character and phrase tables, imported on first use (they take ~0.5 s)."""
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict, phrases_dict


@functools.cache
def char_readings(char: str) -> tuple[str, ...]:
    """Toneless readings of a Chinese character, most common first; () when it has none."""
    raw = _tables()[0].get(ord(char), "")
    return tuple(dict.fromkeys(_toneless(r) for r in raw.split(",") if r))


def pinyin_key(word: str) -> str | None:
    """The toneless reading of a word (its phrase reading, else each character's most
    common one); None when it does not take part in typo matching.

    A mistyped word is read the same way: an input method offers a character
    for its common reading.
    """
    if not MIN_CHARS <= len(word) <= MAX_CHARS:
        return None
    # Each character's most common reading, looked up without a Python call once known:
    # a reindex reads the keys of hundreds of thousands of new words.
    firsts = list(map(_FIRST_READINGS.__getitem__, word))
    if None in firsts:  # a character with no reading: not a word typo matching considers
        return None
    phrase = _tables()[1].get(word)
    if phrase is not None and len(phrase) == len(word):
        return " ".join([_toneless_first(readings[0]) for readings in phrase])
    return " ".join(firsts)


# The sounds pinyin input methods let a user blur (模糊音): initials zh/z, ch/c, sh/s and
# finals ang/an, eng/en, ing/in, the last consonant first: "ke ling" and "ke lin" meet.
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"))
_FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


@functools.cache
def _fuzzy_syllable(syllable: str) -> str:
    for blurred, plain in _FUZZY_INITIALS:
        if syllable.startswith(blurred):
            syllable = plain + syllable[len(blurred):]
            break
    for blurred, plain in _FUZZY_FINALS:
        if syllable.endswith(blurred):
            return syllable[: -len(blurred)] + plain
    return syllable


def fuzzy_key(key: str) -> str:
    """A `pinyin_key` with the sounds input methods blur made one (可林 for 可灵)."""
    return " ".join(map(_fuzzy_syllable, key.split(" ")))


def _blurred(syllable: str) -> tuple[bool, bool]:
    """Whether a syllable has the blurred initial (zh, ch, sh) and final (ang, eng, ing)."""
    return (syllable.startswith(tuple(b for b, _ in _FUZZY_INITIALS)),
            syllable.endswith(tuple(b for b, _ in _FUZZY_FINALS)))


def blurs(typed: str, meant: str) -> int:
    """How many sounds two keys of one `fuzzy_key` differ in: 1 for "ke lin" and "ke ling",
    3 for "shang xin" and "san xing" (商信 is no typo of 三星)."""
    return sum(a != b for mine, theirs in zip(typed.split(" "), meant.split(" "), strict=True)
               for a, b in zip(_blurred(mine), _blurred(theirs), strict=True))


class _FirstReadings(dict):
    """char -> its most common toneless reading (`char_readings`), or None when none."""

    def __missing__(self, char: str) -> str | None:
        readings = char_readings(char)
        first = self[char] = readings[0] if readings else None
        return first


_FIRST_READINGS = _FirstReadings()


@functools.cache
def _toneless_first(reading: str) -> str:
    """`_toneless` of a phrase's reading (a few thousand distinct syllables)."""
    return _toneless(reading)
