"""Calendar dates in Chinese news: 2024年三季度, 10 月 19 日, 今年6月, 2021年下半年, Q3,
1-11月, 2022财年 (FY2022), 23Q3 and short years before a part of the calendar (24年Q3).

Values are ISO-like strings; an unknown year is XXXX and a relative one is
named (THIS_YEAR-06, LAST_YEAR-11, SAME_YEAR-10). A relative word alone
(今年, 年底) is not a figure: a date needs a numeral. An impossible date
(2024年2月30日, 二〇二四年十三月, 3月32日) is not one either; of it only a
written year stands, as the year alone.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator

from index.figures.numerals import CHINESE_DIGITS, parse_chinese, parse_digit_string

RELATIVE_YEARS = {
    "今年": "THIS_YEAR", "去年": "LAST_YEAR", "前年": "YEAR_BEFORE_LAST",
    "明年": "NEXT_YEAR", "同年": "SAME_YEAR", "当年": "SAME_YEAR",
}
_CN_DIGIT = "零〇一二三四五六七八九"
_CN_MONTH = "(?:十[一二]?|[一二三四五六七八九])"
_S = "[ ]?"  # news text often spaces out numbers: "10 月 19 日"

_MONTH_NUMBER = rf"(?:1[0-2]|0?[1-9]|{_CN_MONTH})"
# Short years ("24年") only when a part of the calendar follows: 24年三季度, 24年3月.
_CALENDAR_PART = (
    rf"(?:前?第?[一二三四1-4]{_S}季度|[Qq][1-4]|[上下]半年|{_MONTH_NUMBER}{_S}月|[底初末])"
)
_SHORT_YEAR = rf"\d\d(?={_S}年{_S}{_CALENDAR_PART})"
# A year before a part of the calendar may be any from 1000 (1789年6月20日, 1260年5月5日);
# alone, 1789年 may be that many years, so only 1800 to 2099 are years there.
_ANY_YEAR = r"(?:1\d|20)\d\d"
_YEAR = (
    rf"(?:(?P<year>{_ANY_YEAR}|[{_CN_DIGIT}]{{4}}|{_SHORT_YEAR}){_S}(?P<fiscal>财)?年"
    rf"|(?P<rel>{'|'.join(RELATIVE_YEARS)}))"
)
_MONTH = rf"(?P<month>{_MONTH_NUMBER}){_S}月(?:份)?"
# Any day number, so that an impossible one (2月30日, 三月三十二日) is read
# and refused as a whole instead of leaving its month behind as a date.
_DAY = rf"(?P<day>\d{{1,2}}|[{_CN_DIGIT}十]{{1,4}}){_S}[日号]"
# The last day of a span of days in one month (10月1日至7日).
_DAY_END = rf"(?P<dayrange>{_S}[-~至到]{_S})(?P<dend>\d{{1,2}}|[{_CN_DIGIT}十]{{1,4}}){_S}[日号]"
# Taiwan's news writes a quarter 第三季 before what it reports (第三季营收); a season of a
# show is 第三季 too, so without 度 only before such words.
REPORTED = "营收|营业|财报|业绩|净利|获利|营利|毛利|营运|财测|季增|年增|合并|税后|每股"
_QUARTER = (
    rf"(?:(?P<first>前)?第?(?P<quarter>[一二三四1-4]){_S}(?:(?P<fq>财)季度?|季(?:度|(?={REPORTED})))"
    rf"|[Qq](?P<q>[1-4])(?![0-9A-Za-z]))"
)
_HALF = r"(?P<half>[上下])半年"

_YEAR_ALONE = (
    rf"(?P<oyear>(?:1[89]|20)\d\d|[{_CN_DIGIT}]{{4}}|{_SHORT_YEAR}){_S}(?P<ofiscal>财)?年"
    "(?!代|龄|级|限|薪|均|度)"
)

# Never from inside a number: 13月 and 十三月 hold no 3月 or 三月.
_NOT_AFTER = f"0-9A-Za-z.个第{_CN_DIGIT}两十"

DATE_RE = re.compile(
    rf"""(?=[0-9QqFf今去前明同当第{_CN_DIGIT}十])(?<![{_NOT_AFTER}])(?:  # cheap first test
      (?:{_YEAR}{_S})?(?:
          (?P<mstart>{_MONTH_NUMBER}){_S}(?:月{_S})?[-~至到]{_S}(?P<mend>{_MONTH_NUMBER}){_S}月(?:份)?
                                    # 1-11月, 今年1至10月
        | {_MONTH}{_S}(?:{_DAY}(?:{_DAY_END})?)?  # 2020 年 12 月, 10 月 19 日, 10月1日至7日
        | {_QUARTER})               # 2024年三季度, 第三季度, Q3, 2021年Q4
    | (?P<hyear>{_ANY_YEAR}|{_SHORT_YEAR}){_S}年{_S}{_HALF}    # 2021年下半年, 24年上半年
    | (?P<pyear>(?:1[89]|20)?\d\d)(?:[Qq](?P<pq>[1-4])|[Hh](?P<ph>[12]))(?![0-9A-Za-z])
                                    # 23Q3, 2023H1: analysts' shorthand
    | (?P<ystart>(?:1[89]|20)\d\d){_S}年?{_S}[-~至到]{_S}(?P<yend>(?:1[89]|20)\d\d){_S}年
                                    # 2019-2021年, 2021年至2023年
    | {_YEAR_ALONE}                 # 2027年, 2022财年, 24年底
    | [Ff][Yy]{_S}(?P<fyear>(?:1[89]|20)\d\d|\d\d)(?![0-9])  # FY2024, FY24
    | (?P<dday>3[01]|[12]\d|0?[1-9]){_S}[日号](?![活均常本元益报内线])  # 19日,
    )""",
    re.VERBOSE,
)
_YEAR_ALONE_RE = re.compile(_YEAR_ALONE, re.VERBOSE)
# Every date holds one of these (年, 月, 日/号, 季度, Q3, 23H1, FY24): a text without any has none.
_DATE_HINT_RE = re.compile("[年月日号季QqHhYy]")
# A bare year with no 年 ("在 2016 的年"): four digits that read as one.
BARE_YEAR_RE = re.compile(r"(?:1[89]|20)\d\d")
_CLAUSE_OPENERS = ",，;；。:：!！?？、“\"(（ "
# After N年 these make it a span of time (24年来, 24年前, 24年了), not a year.
_DURATION_FOLLOWERS = "来以前后内间了多的里"
_QUESTION_RE = re.compile("[?？]|吗|多少|几")


# A year of the Republic of China (Taiwan's calendar): 民国99年 is 2010.
_ROC_YEAR_RE = re.compile(r"民国(\d{2,3})年")
ROC_OFFSET = 1911


def gregorian_years(text: str) -> str:
    """`text` with each 民国99年 (民国113年) written as 2010年 (2024 年), in the same number
    of characters, so that the dates read from it keep their places in `text`."""
    if "民国" not in text:
        return text

    def rewrite(match: re.Match[str]) -> str:
        year = str(int(match.group(1)) + ROC_OFFSET)
        return year + " " * (len(match.group()) - len(year) - 1) + "年"

    return _ROC_YEAR_RE.sub(rewrite, text)


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if all(char in CHINESE_DIGITS for char in text) and len(text) == 4:
        return parse_digit_string(text)
    return parse_chinese(text)


def is_short_year(text: str, start: int, end: int) -> bool:
    """Whether "24年" at text[start:end] names the year 2024 rather than 24 years.

    In a question ("24年华为的份额是多少?") a two-digit 年 opening a clause
    is how people write a year; "24年来", "24年前" stay durations.
    """
    if end - start != 3 or not text[start : start + 2].isdigit():
        return False
    if start and text[start - 1] not in _CLAUSE_OPENERS:
        return False
    if text[end : end + 1] in _DURATION_FOLLOWERS:
        return False
    return _QUESTION_RE.search(text) is not None


def full_year(year: str) -> str:
    """2024 for 2024 and 二〇二四; 2024 for 24 and 1999 for 99 (written short)."""
    number = _number(year)
    if len(year) == 2 and number is not None:
        number += 2000 if number < 50 else 1900
    return str(number)


def _year(match: re.Match[str]) -> str:
    year = match.group("year")
    if year:
        return ("FY" if match.group("fiscal") else "") + full_year(year)
    return RELATIVE_YEARS.get(match.group("rel") or "", "XXXX")


def find_dates(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, value) of each date in `text`, in order.

    An impossible date leaves at most its written year (2024年2月30日 -> 2024).
    """
    if _DATE_HINT_RE.search(text) is None:
        return
    for match in DATE_RE.finditer(text):
        value = date_value(match)
        cut = None
        if value is None:
            match = _YEAR_ALONE_RE.match(text, match.start())
            if match is None:
                continue
            value = _year_alone(match)
        elif match.group("dend") and "/" not in value:  # 10月7日至1日: the first day alone
            cut = match.start("dayrange")
        end = match.end() - match.group().endswith(" ")  # "11 月 中旬": no trailing space
        yield match.start(), cut or end, value


def _year_alone(match: re.Match[str]) -> str:
    return ("FY" if match.group("ofiscal") else "") + full_year(match.group("oyear"))


def _days_in_month(year: str, month: int) -> int:
    """Days in `month` of `year` (2024, FY2024); 29 in February when the year is unknown."""
    digits = year[-4:]
    return calendar.monthrange(int(digits) if digits.isdigit() else 2000, month)[1]


def date_value(match: re.Match[str]) -> str | None:
    """ISO-like value of a DATE_RE match, or None when it is not a real date."""
    group = match.group
    if group("oyear"):
        return _year_alone(match)
    if group("fyear"):
        return "FY" + full_year(group("fyear"))
    if group("ystart"):
        return f"{group('ystart')}/{group('yend')}"
    if group("hyear"):
        return f"{full_year(group('hyear'))}-H{1 if group('half') == '上' else 2}"
    if group("pyear"):
        year = full_year(group("pyear"))
        return f"{year}-Q{group('pq')}" if group("pq") else f"{year}-H{group('ph')}"
    if group("mstart"):
        first, last = _number(group("mstart")), _number(group("mend"))
        if first is None or last is None or not 1 <= first < last <= 12:
            return None
        year = _year(match)
        return f"{year}-{first:02d}/{year}-{last:02d}"
    quarter = group("quarter") or group("q")
    if quarter:
        year = _year(match)
        if group("fq") and not year.startswith("FY"):  # 第四财季: of the fiscal year
            year = "FY" + year
        if group("first"):  # 前三季度: the first three quarters
            return f"{year}-Q1/{year}-Q{_number(quarter)}"
        return f"{year}-Q{_number(quarter)}"
    month = _number(group("month")) if group("month") else None
    day_text = group("day") or group("dday")
    day = _number(day_text) if day_text else None
    if month is not None and not 1 <= month <= 12:
        return None
    if day_text and (day is None or not 1 <= day <= 31):
        return None  # 一二日, 32日
    if month is None:
        return f"XXXX-XX-{day:02d}"
    year = _year(match)
    if day is not None and day > _days_in_month(year, month):
        return None  # 2月30日; 2月29日 only in a leap year
    value = f"{year}-{month:02d}" + (f"-{day:02d}" if day is not None else "")
    last = _number(group("dend")) if group("dend") else None
    if last is None or day is None or not day < last <= _days_in_month(year, month):
        return value  # no span of days: `find_dates` ends the date at its first day
    return f"{value}/{year}-{month:02d}-{last:02d}"
