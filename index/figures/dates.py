"""Calendar dates in Chinese news: 2024年三季度, 10 月 19 日, 今年6月, 2021年下半年, Q3.

Values are ISO-like strings; an unknown year is XXXX and a relative one is
named (THIS_YEAR-06, LAST_YEAR-11, SAME_YEAR-10). A relative word alone
(今年, 年底) is not a figure: a date needs a numeral.
"""

from __future__ import annotations

import re

from index.figures.numerals import CHINESE_DIGITS, parse_chinese, parse_digit_string

RELATIVE_YEARS = {
    "今年": "THIS_YEAR", "去年": "LAST_YEAR", "前年": "YEAR_BEFORE_LAST",
    "明年": "NEXT_YEAR", "同年": "SAME_YEAR", "当年": "SAME_YEAR",
}
_CN_DIGIT = "零〇一二三四五六七八九"
_CN_MONTH = "(?:十[一二]?|[一二三四五六七八九])"
_CN_DAY = "(?:三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"
_S = "[ ]?"  # news text often spaces out numbers: "10 月 19 日"

_YEAR = (
    rf"(?:(?P<year>(?:1[89]|20)\d\d|[{_CN_DIGIT}]{{4}}){_S}年"
    rf"|(?P<rel>{'|'.join(RELATIVE_YEARS)}))"
)
_MONTH = rf"(?P<month>1[0-2]|0?[1-9]|{_CN_MONTH}){_S}月(?:份)?"
_DAY = rf"(?P<day>3[01]|[12]\d|0?[1-9]|{_CN_DAY}){_S}[日号]"
_QUARTER = (
    rf"(?:(?P<first>前)?第?(?P<quarter>[一二三四1-4]){_S}季度"
    rf"|[Qq](?P<q>[1-4])(?![0-9A-Za-z]))"
)
_HALF = r"(?P<half>[上下])半年"

DATE_RE = re.compile(
    rf"""(?=[0-9Qq今去前明同当第{_CN_DIGIT}十])(?<![0-9A-Za-z.个第])(?:  # cheap first test
      (?:{_YEAR}{_S})?(?:
          {_MONTH}{_S}(?:{_DAY})?   # 2020 年 12 月, 10 月 19 日, 今年6月
        | {_QUARTER})               # 2024年三季度, 第三季度, Q3, 2021年Q4
    | (?P<hyear>(?:1[89]|20)\d\d){_S}年{_S}{_HALF}    # 2021年下半年
    | (?P<ystart>(?:1[89]|20)\d\d){_S}[-~至到]{_S}(?P<yend>(?:1[89]|20)\d\d){_S}年  # 2019-2021年
    | (?P<oyear>(?:1[89]|20)\d\d|[{_CN_DIGIT}]{{4}}){_S}年(?!代|龄|级|限|薪|均|度)  # 2027年
    | (?P<dday>3[01]|[12]\d|0?[1-9]){_S}[日号](?![活均常本元益报内线])  # 19日,
    )""",
    re.VERBOSE,
)
# A bare year with no 年 ("在 2016 的年"): four digits that read as one.
BARE_YEAR_RE = re.compile(r"(?:19|20)\d\d")


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if all(char in CHINESE_DIGITS for char in text) and len(text) == 4:
        return parse_digit_string(text)
    return parse_chinese(text)


def _year(match: re.Match[str]) -> str:
    year = match.group("year")
    if year:
        return str(_number(year))
    return RELATIVE_YEARS.get(match.group("rel") or "", "XXXX")


def date_value(match: re.Match[str]) -> str | None:
    """ISO-like value of a DATE_RE match, or None when it is not a real date."""
    group = match.group
    if group("oyear"):
        return str(_number(group("oyear")))
    if group("ystart"):
        return f"{group('ystart')}/{group('yend')}"
    if group("hyear"):
        return f"{group('hyear')}-H{1 if group('half') == '上' else 2}"
    quarter = group("quarter") or group("q")
    if quarter:
        year = _year(match)
        if group("first"):  # 前三季度: the first three quarters
            return f"{year}-Q1/{year}-Q{_number(quarter)}"
        return f"{year}-Q{_number(quarter)}"
    month = _number(group("month")) if group("month") else None
    day_text = group("day") or group("dday")
    day = _number(day_text) if day_text else None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    if month is None:
        return f"XXXX-XX-{day:02d}"
    value = f"{_year(match)}-{month:02d}"
    return f"{value}-{day:02d}" if day is not None else value
