"""Times in questions and sentences: years, quarters, half years, months and 双11.

A question about 2024 Q3 should be answered from a sentence about 2024 Q3,
not from the same metric two years earlier. Both sides go through
`find_times` on normalised text (lower case, Simplified, half-width digits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.figures.dates import REPORTED

_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# A four-digit year, in questions also without 年 ("2021前三季度").
_PERIOD_AHEAD = r"(?:q[1-4]|第?[一二三四1-4]季|前[一二三]季|[上下]半年|全年)"
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*(财?年(?!代)|(?=\s*" + _PERIOD_AHEAD + r"))")
# A fiscal year as analysts write it: fy2024, fy24 (its year, like 2024财年).
_FISCAL_YEAR = re.compile(r"(?<![a-z])fy\s*((?:19|20)?\d{2})(?!\d)")
# "24年" is a year only when a period, a month or its start or end follows: "24年第三季度",
# "21年q4", "18年底" (not "工作了10年", nor 10年底薪).
_SHORT_YEAR = re.compile(
    r"(?<![\d.])(\d{2})\s*年\s*(?=" + _PERIOD_AHEAD + r"|\d{1,2}\s*月|[初底末](?!薪))")
# 第三季 without 度 only before what a quarter reports (index.figures.dates: Taiwan's usage);
# 第四财季 is a fiscal quarter.
_QUARTER = re.compile(
    r"(?<![a-z])q([1-4])(?!\d)"
    r"|(?<!前)第?([一二三四1-4])\s*(?:财季度?|季(?:度|(?=" + REPORTED + r")))"
)
_FIRST_QUARTERS = re.compile(r"前([一二三])(?:个)?季度")
_HALF = re.compile(r"([上下])半年")
_FULL_YEAR = re.compile(r"全年|年度")
_DOUBLE_ELEVEN = re.compile(r"双\s*(?:11|十一)")
# The year before the one a text names: what its 去年同期 figure is of.
_LAST_YEAR = re.compile(r"(?:去年|上年|上一年)同期")
_MONTH_NUMBER = r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
# "10月", "十月"; "1至10月" / "1-10月" is a range, a different period than its last month.
_MONTHS = re.compile(
    r"(?<![\d个])(?:" + _MONTH_NUMBER + r"\s*(?:至|到|-|~|—)\s*)?"
    + _MONTH_NUMBER
    + r"\s*月(?!份?[活均度])"
)
_CHINESE_MONTHS = {"十": 10, "十一": 11, "十二": 12} | {
    c: i for i, c in enumerate("一二三四五六七八九", 1)
}


# Every time `find_times` finds is written with one of these (年, 月, 季度, q1-q4, 双11, fy).
_TIME_CHARACTER = re.compile(r"[年月季双qy]")


def may_name_time(normalised: str) -> bool:
    """False when `normalised` holds no character any time is written with: then it names
    no time and need not be parsed (most sentences)."""
    return _TIME_CHARACTER.search(normalised) is not None


def _month(written: str) -> int:
    return int(written) if written.isdigit() else _CHINESE_MONTHS[written]


@dataclass(frozen=True)
class Times:
    """What a text says about time; empty sets when it says nothing."""

    years: frozenset[int] = frozenset()
    periods: frozenset[str] = frozenset()  # "Q3", "Q1-Q3", "H1", "H2", "FY", "双11"
    months: frozenset[str] = frozenset()  # "M10", and "M1-M10" for 1至10月
    spans: tuple[tuple[int, int], ...] = ()  # where the text says them

    def __bool__(self) -> bool:
        return bool(self.years or self.periods or self.months)


def _full_year(two_digits: str) -> int:
    value = int(two_digits)
    return 2000 + value if value < 70 else 1900 + value


def _scan(pattern: re.Pattern[str], text: str, *needed: str):
    """pattern.finditer(text), or nothing when `text` holds none of the strings every match
    of `pattern` contains: a substring test is far cheaper than a search that tries the
    pattern at every character, and most sentences name no time."""
    return pattern.finditer(text) if any(part in text for part in needed) else ()


def find_times(normalised: str) -> Times:
    """Years and periods mentioned in normalised text."""
    if not may_name_time(normalised):
        return Times()
    years, periods, months, spans = set(), set(), set(), []
    for match in _scan(_YEAR, normalised, "19", "20"):
        years.add(int(match.group(1)))
        spans.append(match.span())
    for match in _scan(_FISCAL_YEAR, normalised, "fy"):
        written = match.group(1)
        years.add(int(written) if len(written) == 4 else _full_year(written))
        spans.append(match.span())
    for match in _scan(_SHORT_YEAR, normalised, "年"):
        years.add(_full_year(match.group(1)))
        spans.append(match.span())
    for match in _scan(_FIRST_QUARTERS, normalised, "季度"):
        periods.add(f"Q1-Q{_DIGITS[match.group(1)]}")
        spans.append(match.span())
    for match in _scan(_QUARTER, normalised, "q", "季"):
        periods.add(f"Q{_DIGITS[match.group(1) or match.group(2)]}")
        spans.append(match.span())
    for match in _scan(_HALF, normalised, "半年"):
        periods.add("H1" if match.group(1) == "上" else "H2")
        spans.append(match.span())
    for match in _scan(_FULL_YEAR, normalised, "全年", "年度"):
        periods.add("FY")
        spans.append(match.span())
    for match in _scan(_DOUBLE_ELEVEN, normalised, "双"):
        periods.add("双11")
        spans.append(match.span())
    for match in _scan(_MONTHS, normalised, "月"):
        first, last = match.group(1), _month(match.group(2))
        months.add(f"M{_month(first)}-M{last}" if first else f"M{last}")
        spans.append(match.span())
    if len(years) == 1 and "同期" in normalised and _LAST_YEAR.search(normalised):
        years.add(next(iter(years)) - 1)  # "2021年...,去年同期为72.44亿元" says 2020's too
    return Times(frozenset(years), frozenset(periods), frozenset(months), tuple(sorted(spans)))


def compare_times(wanted: Times, mentioned: Times) -> float:
    """+1 when `mentioned` names the wanted times, -1 when it names only others, 0 when silent.

    Years and periods count separately and average: a sentence about 2024 Q3
    matches "24年第三季度" fully, one about 2024 without a quarter half.
    """
    verdicts = []
    for want, have in ((wanted.years, mentioned.years), (wanted.periods, mentioned.periods)):
        if not want:
            continue
        if want & have:
            verdicts.append(1.0)
        elif have:
            verdicts.append(-1.0)
        else:
            verdicts.append(0.0)
    if wanted.months and mentioned.months:
        # A single month only demotes: the sentence naming it is often not the one that
        # answers ("10月18日...上了热搜。当时其裁员重点为游戏业务"); a range of months
        # said again (1到10月 -> 1至10月累计) is the figure asked for.
        if not wanted.months & mentioned.months:
            verdicts.append(-1.0)
        elif any("-" in month for month in wanted.months & mentioned.months):
            verdicts.append(1.0)
    return sum(verdicts) / len(verdicts) if verdicts else 0.0
