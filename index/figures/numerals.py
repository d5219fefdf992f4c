"""Parse Arabic and Chinese numerals, with multipliers, into numbers.

Hand-written rather than cn2an: the extractor only ever hands over a span it
has already recognised, the grammar is small, and it stays fast and never
rewrites text.

A number past `MAX_DIGITS` digits (a run of digits from a flattened table,
999…9.5亿, 一亿亿亿…) is not a quantity a sentence states: every parser
here returns None for it, so it stays plain text and is never a figure.
That also keeps the arithmetic cheap and clear of float overflow and of
Python's limit on int-string conversion, which would abort an index build.
"""

from __future__ import annotations

import re
from decimal import Decimal

from index.normalise import fold_wide

# Full-width ASCII (U+FF01..U+FF5E) to ASCII, the ideographic space to a
# space and the minus sign (U+2212) to "-": one character for one, so
# offsets into the folded text are offsets into the original.
_WIDTH_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {
    0x3000: 0x20,
    0x2212: 0x2D,
}

CHINESE_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_SMALL_PLACES = {"十": 10, "百": 100, "千": 1000}
# 10**24 is a million times 一亿亿 (1e16); nothing in the news is bigger.
MAX_DIGITS = 24
MAX_VALUE = 10**MAX_DIGITS
MULTIPLIERS = {
    "十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000,
    "w": 10_000, "W": 10_000, "k": 1000, "K": 1000,
}


# What `fold_width` changes: most sentences hold none, and a scan costs less than a translate.
_WIDTH_FOLDED_RE = re.compile("[\uff01-\uff5e\u3000\u2212]")


def fold_width(text: str) -> str:
    """Full-width digits, letters, %, spaces and minus signs as ASCII; same length as `text`."""
    return fold_wide(text, _WIDTH_FOLD, _WIDTH_FOLDED_RE)


def parse_chinese(numeral: str) -> int | None:
    """Value of a Chinese numeral such as 十五, 三千五百万, 一百零五; None if malformed.

    Digits must be separated by place characters (一一 or 二三 are not
    numbers); positional years like 二〇二四 are read by `parse_digit_string`.
    None past `MAX_VALUE` (一亿亿亿…), checked as it goes so a long chain
    stays linear.
    """
    total = 0  # finished 亿/万 sections
    section = 0  # value below 万 being built
    digit: int | None = None
    for char in numeral:
        if char in CHINESE_DIGITS:
            if digit is not None:
                return None
            digit = CHINESE_DIGITS[char]
            if digit == 0:
                digit = None
        elif char in _SMALL_PLACES:
            section += (1 if digit is None else digit) * _SMALL_PLACES[char]
            digit = None
        elif char == "万":
            section += digit or 0
            total += (section or 1) * 10_000
            section, digit = 0, None
            if total > MAX_VALUE:
                return None
        elif char == "亿":
            section += digit or 0
            total = (total + section or 1) * 100_000_000
            section, digit = 0, None
            if total > MAX_VALUE:
                return None
        else:
            return None
    return total + section + (digit or 0)


# Two neighbouring digits, the second one more: 七八成, 两三年, 二三十家, 十七八岁, 五六百人.
_PAIR_RE = re.compile("[一二两三四五六七八九]{2}")


def parse_pair(numeral: str) -> tuple[int, int] | None:
    """(low, high) of a Chinese numeral that says "one or the next" with two neighbouring
    digits (七八 -> 7, 8; 二三十 -> 20, 30; 十七八 -> 17, 18); None for anything else."""
    match = _PAIR_RE.search(numeral)
    if match is None:
        return None
    first, second = (CHINESE_DIGITS[char] for char in match.group())
    if second != first + 1:
        return None
    head, tail = numeral[: match.start()], numeral[match.end() :]
    low = parse_chinese(head + match.group()[0] + tail)
    high = parse_chinese(head + match.group()[1] + tail)
    return (low, high) if low is not None and high is not None else None


def parse_digit_string(numeral: str) -> int | None:
    """Value of digits read one by one (二〇二四 -> 2024, 2024 -> 2024); None past MAX_DIGITS."""
    digits = []
    for char in numeral:
        if char.isdigit():
            digits.append(char)
        elif char in CHINESE_DIGITS:
            digits.append(str(CHINESE_DIGITS[char]))
        else:
            return None
    if not digits or len(digits) > MAX_DIGITS:
        return None
    return int("".join(digits))


def parse_arabic(numeral: str) -> float | int | None:
    """Value of 1,234.5 style digits; an int when there is no decimal point.

    None when the whole part has more than MAX_DIGITS digits.
    """
    plain = numeral.replace(",", "")
    whole, point, _ = plain.partition(".")
    if len(whole.lstrip("0")) > MAX_DIGITS:
        return None
    return float(plain) if point else int(plain)


def multiply(value: float | int, multiplier: str) -> float | int | None:
    """Apply a run of multipliers such as 万, 千万, 亿 or w; keeps ints exact.

    None once the product passes MAX_VALUE (3亿亿亿亿…).
    """
    if not multiplier and (isinstance(value, int) or not value.is_integer()):
        return value  # what the Decimal round trip below would give back
    exact = Decimal(str(value))  # 9.89亿 is 989000000, not 989000000.0000001
    for char in multiplier:
        exact *= MULTIPLIERS[char]
        if abs(exact) > MAX_VALUE:
            return None
    return int(exact) if exact == exact.to_integral_value() else float(exact)
