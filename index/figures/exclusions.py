"""Numeral-like text that is not a figure, by category.

Most non-figures fall out of the grammar (一方面, 三大业务: no unit follows).
What is left here are words whose numeral *is* followed by a unit or
multiplier (退一万步, 二元结构), brand names (三只松鼠, 第一财经),
identifiers written with digits (01024.HK, AI1.5, N+1, O2O, 04 结语) and
festival names (双11, 双十一).
"""

from __future__ import annotations

import re

IDIOMS = (
    "退一万步", "一万个不", "十万火急", "千万别", "千万不", "千万要", "万人空巷",
    "千人千面", "千家万户", "百家争鸣", "百家号", "一成不变", "一元复始", "一口气",
    "二分天下", "万物", "一方面", "三番五次", "一五一十", "九牛一毛", "一举两得",
    "一石二鸟", "一年一度", "一天到晚", "一时", "一次性", "三三两两", "两全其美",
    "一日千里", "千篇一律", "一针见血", "百分百", "二元", "多元", "成百上千",
    "一级市场", "二级市场", "二次元",
)
# Names of companies and media that start with a numeral and a classifier or 第N.
NAMES = ("三只松鼠", "六个核桃", "三个爸爸", "十月稻田", "第一财经", "第一创业", "第一太平")
# 第N that names a thing rather than a position: 第三方, 第一代, 第一时间.
NOT_RANK_AFTER = re.compile(r"方|代|时间|线|手|人称|产业|世界|梯队|把手|性")
# Before 一 + a unit of time these make 一 a determiner (每一年, 同一天), not a duration.
DETERMINERS = "每某同这那哪另任"
IDIOM_RE = re.compile("|".join(sorted(IDIOMS + NAMES, key=len, reverse=True)))
FESTIVAL_RE = re.compile(r"双 ?(?:11|12|十一|十二)(?!月|日|号|[0-9])")
# After digits, what makes them an amount whatever letters stand before (DAU3000万, ROE15%).
AMOUNT_AFTER = re.compile(r" ?[万亿%]")


def excluded_spans(text: str) -> list[tuple[int, int]]:
    """Spans of idioms, names and festival names in `text`, which hold no figure."""
    if IDIOM_RE.search(text) is None:  # most text: no list to build
        spans = []
    else:
        spans = [match.span() for match in IDIOM_RE.finditer(text)]
    if "双" in text:  # how every festival name starts
        spans += [match.span() for match in FESTIVAL_RE.finditer(text)]
    return spans


def is_identifier(text: str, start: int, end: int) -> bool:
    """Whether the digits text[start:end] belong to a code, version or heading number.

    Letters glued to the digits (AI1.5, O2O, 5G, N+1), an exchange suffix
    (01024.HK) or a leading zero (04 结语) mark an identifier, not a quantity; but
    digits a multiplier or a percent sign follows are an amount of what the letters name
    (年初DAU3000万).
    """
    before = text[start - 1] if start else ""
    if AMOUNT_AFTER.match(text, end):
        return False
    if before.isascii() and before.isalpha():
        return True
    if before in "+-" and start >= 2 and text[start - 2].isascii() and text[start - 2].isalpha():
        return True
    after = text[end : end + 2]
    if after[:1] == "." and after[1:2].isascii() and after[1:2].isalpha():
        return True
    digits = text[start:end]
    return len(digits) > 1 and digits[0] == "0" and digits[1].isdigit()
