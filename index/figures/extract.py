"""Find the figures in one sentence: spans, values, units and qualifiers.

Three passes over a width-folded copy of the sentence (same length, so
offsets are the original's): calendar dates first, then words that are
quantities by themselves (半数, 翻番, 百分之五), then numbers with what
follows them (a unit, a classifier, a multiplier, a range). Earlier passes
win overlaps. What each figure measures comes from `metric.describe_metric`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter

from index.figures import dates, exclusions, qualifiers
from index.figures.metric import (
    CHANGE_VERBS,
    CONTEXT_CHARS,
    describe_metric,
    find_clause_start,
    following_noun,
)
from index.figures.model import Figure, Value
from index.figures.numerals import (
    CHINESE_DIGITS,
    MAX_DIGITS,
    fold_width,
    multiply,
    parse_arabic,
    parse_chinese,
    parse_pair,
)
from index.figures.units import (
    AGE,
    CURRENCIES,
    CURRENCY_NAMES,
    GENERIC_COUNTS,
    MEASURES,
    MONEY_RE,
    NOUN_LABELS,
    UNITS,
    Unit,
)
from index.normalise import simplify_in_place

_NUMBER_RE = re.compile(
    r"""(?=[数几\d零〇一二两三四五六七八九十百千万亿])  # cheap first test: how every number starts
    (?P<vague>[数几](?=[十百千万亿]))?
    (?:(?P<arabic>\d+(?:,\d{3})*(?:\.\d+)?)|(?P<cn>[零〇一二两三四五六七八九十百千万亿]+))
    (?:\ ?(?P<mult>[十百千万亿]+|[wWkK](?![A-Za-z])))?
    (?P<approx>[余多](?![样半变元数少])|几)?
    (?P<mult2>[万亿]+)?""",
    re.VERBOSE,
)
# A unit may not run into a word it starts (个人, 成本, 部门, 条件, 项目).
_UNIT_GUARDS = {
    "个": "人性体案例", "人": "口民工才员士群气类物性生们均", "成": "本员功立长交都果绩熟型就效品",
    "对": "比于手话接标象外方此待应", "重": "要大点新视复", "集": "团中体成", "所": "有以在谓得",
    "处": "理于", "支": "持付出撑", "期": "间待望货", "本": "地身土", "场": "景所合面地",
    "项": "目", "条": "件款例", "名": "单字义称", "位": "置于居列数", "年": "代级度龄薪报货",
    "周": "边末期刊", "天": "然下津猫气空使才", "秒": "杀懂", "升": "级值温至到高为",
    "款": "式项", "元": "素宇旦化", "家": "庭居", "次": "数", "股": "价东份权票民市本息",
}
_UNIT_WORDS = sorted(UNITS, key=len, reverse=True)


def _unit_pattern(words: list[str]) -> re.Pattern[str]:
    return re.compile(
        " ?(?:"
        + "|".join(
            re.escape(word) + (f"(?![{_UNIT_GUARDS[word]}])" if word in _UNIT_GUARDS else "")
            for word in words
        )
        + ")"
    )


# What may follow a number, as one alternation per first character: a number is followed
# by one character, and one small alternation is tried instead of all units in turn.
_UNIT_RE_BY_FIRST = {
    first: _unit_pattern([word for word in _UNIT_WORDS if word[0] == first])
    for first in {word[0] for word in _UNIT_WORDS}
}


def _match_unit(text: str, position: int) -> re.Match[str] | None:
    """The unit at `position` (a space may come first), longest first, or None."""
    first = text[position : position + 1]
    if first == " ":
        first = text[position + 1 : position + 2]
    pattern = _UNIT_RE_BY_FIRST.get(first)
    return None if pattern is None else pattern.match(text, position)


_RANGE_RE = re.compile(" ?[-–—~～至到] ?")
# A change just before "X至Y" makes it "by X, to Y" when Y is far above X (售价下调1.4万元至
# 24.99万元, 员工减少3000人至7万人); "增长10%至15%" stays a range.
_CHANGED_BY_RE = re.compile(f"(?:{CHANGE_VERBS})了? ?$")
_CHANGE_REACH = 5  # characters before the first number looked at
_BY_TO_RATIO = 3
_RANGE_FIRST = frozenset(" -–—~～至到")
_FRACTION_NUMERALS = "一二两三四五六七八九十"
_SPECIAL_RE = re.compile(
    r"(?=[半百千翻一二两三四五六七八九十0-9])"  # cheap first test
    r"(?:(?<![上下个])(?P<half>半)(?P<half_unit>数|年|个月|天|个小时|小时)"
    r"|百分之(?P<percent>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百点]+)"
    r"|(?<![\d零〇一二两三四五六七八九十百])千分之(?P<permille>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百点]+)"
    # Bounded, and only from the start of a run of numerals: "\d+分之" retried
    # the whole rest of a long digit run at every digit, quadratic time.
    rf"|(?<![\d{_FRACTION_NUMERALS}])"
    rf"(?P<denominator>[{_FRACTION_NUMERALS}]{{1,{MAX_DIGITS}}}|\d{{1,{MAX_DIGITS}}})"
    rf"分之(?P<numerator>[{_FRACTION_NUMERALS}]+|\d+)"
    r"|翻了?(?P<doubles>[一两三四]|\d)?番|翻了?一?倍"
    r"|(?<![另])(?P<one_half>一半))"
)
# Every match of _SPECIAL_RE holds one of these (半数, 一半, 百分之五, 千分之五, 三分之一, 翻番).
_SPECIAL_HINT_RE = re.compile("半|分之|翻")
# Every figure holds one of these (each pass's first character is one): a sentence
# without any has none, and skips the passes (a third of news sentences).
_CANDIDATE_RE = re.compile(r"[\d零〇一二两三四五六七八九十百千万亿半翻]")
_RANK_UNIT_RE = re.compile("[次名位个家款届期轮批]")
_HALF_AFTER_RE = re.compile("半")
# Characters that make a word with the 一 after them (唯一, 统一, 之一): no 一两 pair there.
_ENDS_WITH_ONE = frozenset("唯统同单万之第其专逐划不")
# 两个半小时, 三个半月: half of a span counted with 个.
_COUNTER_HALF_RE = re.compile("半(小时|月)(?![形刊板])")
# What may follow the 半 of 两成半: no word it would start (半导体), but 以上, 左右, 的.
_HALF_ENDS_RE = re.compile("(?![\u4e00-\u9fff])|以上|左右|的|多")
_LIST_JOINERS = ("、", "和", "及", "或", "与")
_CLAUSE_MARK_RE = re.compile("[,，;；。:：!！?？]")
# A bare amount needs one of these multipliers (三亿, 500万, 80w).
_LARGE_RE = re.compile("[万亿]")
_LATIN_MULTIPLIER_RE = re.compile("[wWkK]")
# After these a "-" is a hyphen or a dash between figures, not a minus sign.
_NO_SIGN_AFTER = "%‰.-零〇一二两三四五六七八九十百千万亿"


@dataclass(slots=True)
class _Found:
    """A figure before its metric is known (mutable while the passes run)."""

    start: int
    end: int
    kind: str
    value: Value
    unit: str | None
    qualifier: str | None = None
    ext_start: int = -1
    ext_end: int = -1
    subtype: str | None = None
    counted: bool = False  # a classifier that counts a noun written after it
    bare: bool = False  # an amount with no unit (5亿): money or count from context

    def family(self) -> str:
        return qualifiers.qualifier_family(self.kind, self.subtype)


_START = attrgetter("start")

# A figure as `figure_fields` gives it: start, end, text, kind, value, unit, qualifier,
# metric, subtype (the fields of a Figure).
FigureFields = tuple[int, int, str, str, Value, str | None, str | None, str, str | None]


def extract_figures(sentence: str) -> list[Figure]:
    """Every figure in `sentence`, in order, with character offsets into it."""
    return [
        Figure(
            text=text, kind=kind, value=value, unit=unit, qualifier=qualifier, metric=metric,
            start=start, end=end, subtype=subtype,
        )
        for start, end, text, kind, value, unit, qualifier, metric, subtype in figure_fields(
            sentence
        )
    ]


def figure_fields(sentence: str) -> list[FigureFields]:
    """`extract_figures` as plain tuples: an index build makes millions, and never needs the
    objects."""
    if _CANDIDATE_RE.search(sentence) is None:
        return []
    # Read in Simplified, half-width form (億元, １８００個), years of 民国 as ours; figure
    # texts are the sentence's own.
    text = dates.gregorian_years(simplify_in_place(fold_width(sentence)))
    found = _read_figures(text)
    if not found:  # a numeral that is no figure (一个, 程一笑): nothing more to read
        return []
    _read_signs(text, found)
    for index, item in enumerate(found):
        _qualify(text, item, found[index - 1] if index else None)
    _name_currency(text, found)
    _carry_currency(text, found)
    metrics = describe_metrics(text, found)
    return [
        (
            item.start, item.end, sentence[item.start : item.end], item.kind, item.value,
            item.unit, item.qualifier, metric, item.subtype,
        )
        for item, metric in zip(found, metrics, strict=True)
    ]


def describe_metrics(text: str, found: list[_Found]) -> list[str]:
    """The metric of each figure, in order (a figure may inherit its neighbour's)."""
    spans = [(item.ext_start, item.ext_end, item.family() != "amount") for item in found]
    metrics: list[str] = []
    for index, item in enumerate(found):
        if item.kind == "date":
            metrics.append("")
            continue
        duration = item.subtype == "duration"
        metrics.append(
            describe_metric(
                text, spans, index, metrics, kind=item.kind, counted=item.counted,
                duration=duration,
            )
        )
        if item.kind == "count":
            item.unit = _label_from_words(text, item, metrics[-1]) or item.unit
    return metrics


def _read_figures(text: str) -> list[_Found]:
    """The figures of the three passes (dates, words, numbers), by start: each keeps what
    overlaps nothing blocked (`exclusions`) or found by an earlier pass.

    A pass reads a match only when its first character is free: the figure read from
    it holds that character, so it would overlap and be dropped. What is taken is one
    byte per character of `text` (1 where taken): a test of overlap is one `find` over
    the span, and marking a span costs its length, which is never marked twice (a span
    overlapping a taken one is dropped), so a line with thousands of figures stays linear.
    """
    taken = bytearray(len(text))
    for start, end in exclusions.excluded_spans(text):
        taken[start:end] = b"\x01" * (end - start)
    found: list[_Found] = []
    for item in _read_dates(text):
        _take(taken, found, item)
    if _SPECIAL_HINT_RE.search(text):
        for match in _SPECIAL_RE.finditer(text):
            if not taken[match.start()]:
                _take(taken, found, _read_special(match))
    for match in _NUMBER_RE.finditer(text):
        if not taken[match.start()]:
            _take(taken, found, _read_number(text, match))
    found.sort(key=_START)
    return found


def _take(taken: bytearray, found: list[_Found], item: _Found | None) -> None:
    """Keep `item` (marking its span taken) unless it is None or overlaps a taken span."""
    if item is not None and taken.find(1, item.start, item.end) < 0:
        taken[item.start : item.end] = b"\x01" * (item.end - item.start)
        found.append(item)


def _read_dates(text: str) -> Iterator[_Found]:
    """The calendar dates in `text` (the first pass)."""
    for start, end, value in dates.find_dates(text):
        yield _Found(start, end, "date", value, None)


def _read_signs(text: str, found: list[_Found]) -> None:
    """同比增长-5%, 净利润为-3亿元: a minus glued to Arabic digits makes the figure negative.

    Not a minus that joins two figures (5亿元-3亿元, a range read as two) or
    follows a digit, letter, numeral or % (2024-01-05, N-1, 20%-40%, 三-5);
    dates and ranks have no sign. The span takes the minus in.
    """
    previous_end = -1
    for item in found:
        minus = item.start - 1
        if (
            minus >= 0
            and text[minus] == "-"
            and "0" <= text[item.start] <= "9"
            and item.kind not in ("date", "rank")
            and isinstance(item.value, int | float)
            and previous_end < minus
            and (minus == 0 or text[minus - 1] not in _NO_SIGN_AFTER)
            and not (text[minus - 1].isascii() and text[minus - 1].isalnum())
        ):
            item.start, item.value = minus, -item.value
        previous_end = item.end


def _qualify(text: str, item: _Found, previous: _Found | None) -> None:
    """Attach the qualifier next to the span (unless the number had its own, 十余次).

    In a list (超过 30%、40%) a qualifier before the first item covers the rest.
    """
    qualifier, ext_start, ext_end = qualifiers.find_qualifier(
        text, item.start, item.end, item.family()
    )
    item.ext_start, item.ext_end = ext_start, ext_end
    if item.qualifier is None:
        item.qualifier = qualifier
    listed = (
        previous is not None
        and previous.kind == item.kind
        and text[previous.ext_end : item.start].strip() in _LIST_JOINERS
    )
    if item.qualifier is None and listed:
        item.qualifier = previous.qualifier


def _read_special(match: re.Match[str]) -> _Found | None:
    """Quantities written as words: 半数, 一半, 半年, 百分之五, 千分之五, 三分之一, 翻番,
    翻了一番."""
    start, end = match.span()
    group = match.group
    if group("half"):
        unit = group("half_unit")
        if unit == "数":
            return _Found(start, end, "ratio", 50, "%")
        return _Found(start, end, "other", 0.5, UNITS[unit].label, subtype="duration")
    if group("one_half"):
        return _Found(start, end, "ratio", 50, "%")
    if group("percent"):
        value = _number(group("percent").replace("点", "."))
        return None if value is None else _Found(start, end, "percent", value, "%")
    if group("permille"):  # 千分之五 reads as 5‰ does
        value = _number(group("permille").replace("点", "."))
        return None if value is None else _Found(start, end, "percent", value, "‰")
    if group("denominator"):
        denominator, numerator = _number(group("denominator")), _number(group("numerator"))
        if not denominator or numerator is None:
            return None
        return _Found(start, end, "ratio", round(100 * numerator / denominator, 2), "%")
    doubles = group("doubles")
    return _Found(start, end, "multiple", 2 ** (_number(doubles) if doubles else 1), "x")


def _number(numeral: str) -> float | int | None:
    if numeral[:1].isdigit():
        return parse_arabic(numeral)
    if "." in numeral:  # 百分之三点五
        whole, _, decimals = numeral.partition(".")
        head = parse_chinese(whole)
        tail = "".join(str(CHINESE_DIGITS.get(char, "")) for char in decimals)
        return None if head is None or not tail else float(f"{head}.{tail}")
    return parse_chinese(numeral)


def _read_number(text: str, match: re.Match[str]) -> _Found | None:
    """A number and whatever follows it, or None when it is not a figure."""
    start, match_end = match.span()
    vague, arabic, chinese, mult, approx, mult2 = match.groups()  # one call, not one a group
    if arabic and exclusions.is_identifier(text, start, match.end("arabic")):
        return None
    base = parse_arabic(arabic) if arabic else parse_chinese(chinese)  # `_number`, less its tests
    pair = (parse_pair(chinese) if base is None and chinese and not vague
            and not (chinese[0] == "一" and text[start - 1 : start] in _ENDS_WITH_ONE) else None)
    if pair is not None:  # 七八成, 两三年: one or the next, read as a range
        base = pair[0]
    if base is None:
        return None
    if start and text[start - 1] == "第":
        return None if pair else _read_rank(text, start - 1, match_end, base)
    multiplier = (mult or "") + (mult2 or "")
    unit_match = _match_unit(text, match_end)
    if multiplier and text[match_end - 1] == multiplier[-1]:
        # "10千克", "100千瓦时": the 千 starts a measure, it multiplies nothing.
        measure = _match_unit(text, match_end - 1)
        if measure is not None and measure.group() in MEASURES:
            multiplier, unit_match = multiplier[:-1], measure
    position = unit_match.end() if unit_match else match_end
    if pair is not None and (unit_match is None or approx):
        return None  # 一二线, 七八十多: no measure to read the pair by, or a vaguer number
    if text[position : position + 1] in _RANGE_FIRST and pair is None:  # a range's joint
        ranged = _read_range(text, match, position, unit_match, base, multiplier)
        if ranged is not None:
            return ranged
    if unit_match is None:
        return _read_bare(text, match, base, multiplier)
    unit = UNITS[unit_match.group().strip()]
    end = unit_match.end()
    half = _COUNTER_HALF_RE.match(text, end) if unit_match.group().strip() == "个" else None
    if half:  # 一个半小时, 三个半月: the 个 is the span's (no article), and the half its
        unit, base, end = UNITS["个" + half.group(1)], base + 0.5, half.end()
    elif chinese and not _chinese_with_unit_ok(text, match, unit_match):
        return None
    if arabic and unit.label == "year" and dates.is_short_year(text, start, end):
        return _Found(start, end, "date", dates.full_year(arabic), None)
    if _HALF_AFTER_RE.match(text, end) and (
        unit.subtype == "duration" or unit.kind == "ratio" and _HALF_ENDS_RE.match(text, end + 1)
    ):  # 一年半, 两成半; not 七成半导体
        base, end = base + 0.5, end + 1
    value = _scale(vague, approx, base, multiplier, unit)
    if pair is not None and value is not None:
        high = _scale(None, None, pair[1], multiplier, unit)
        value = None if high is None else (value, high)
    if value is None:
        return None
    found = _Found(start, end, unit.kind, value, unit.label)
    found.subtype = unit.subtype
    found.counted = unit.kind == "count"
    if approx in ("余", "多"):
        found.qualifier = "more than"
    return found


def _scale(
    vague: str | None, approx: str | None, base: float | int, multiplier: str, unit: Unit
) -> Value:
    """The value in base units: 数百亿 -> (1e10, 1e11), 十几 -> (11, 19), 三成 -> 30.

    `vague` and `approx` are the number's groups of those names. None when the amount
    is too large to be one (see `numerals.MAX_DIGITS`).
    """
    factor = 10 if unit.kind == "ratio" else 1
    low = multiply(base, multiplier)
    if low is None:
        return None
    low *= factor
    if vague:
        return (low, low * 10)
    if approx == "几":
        step = multiply(1, multiplier)
        return None if step is None else (low + step * factor, low + 9 * step * factor)
    return low


def _chinese_with_unit_ok(text: str, match: re.Match[str], unit_match: re.Match[str]) -> bool:
    """Chinese numerals need care: 一 + classifier is an article (一种, 一次)."""
    chinese = match.group("cn")
    unit = UNITS[unit_match.group().strip()]
    if chinese[0] in "百千万亿" and not match.group("vague"):
        # A bare multiplier counts people or money (万人以上, 百亿美元), or anything
        # after a qualifier (上百家, 近千家, 超百款).
        return unit.label == "people" or unit.kind == "money" or _approximated(text, match.start())
    if chinese != "一" or match.group("approx") or match.group("mult"):
        return True
    if unit.kind in ("count", "money") or unit.label == "‰":
        return False
    before = text[match.start() - 1] if match.start() else ""
    return before not in exclusions.DETERMINERS


def _approximated(text: str, start: int) -> bool:
    """Whether an amount qualifier or 上 (上百家) stands right before `start`."""
    if text[start - 1 : start] == qualifiers.UPWARD:
        return True
    return qualifiers.AMOUNT_BEFORE_RE.search(text, max(0, start - 4), start) is not None


def _read_rank(text: str, start: int, end: int, base: float | int) -> _Found | None:
    """第N (第一次, 第3名); not 第三方 or 第一代, which name a kind of thing."""
    if exclusions.NOT_RANK_AFTER.match(text, end):
        return None
    unit = _RANK_UNIT_RE.match(text, end)
    return _Found(start, unit.end() if unit else end, "rank", base, "ordinal")


def _read_range(
    text: str,
    match: re.Match[str],
    position: int,
    unit_match: re.Match[str] | None,
    base: float | int,
    multiplier: str,
) -> _Found | None:
    """20%-40%, 1000-9999人, 1到2年, 10-20亿元: two numbers sharing one unit (the first
    ends at `position`)."""
    joint = _RANGE_RE.match(text, position)
    if joint is None:
        return None
    second = _NUMBER_RE.match(text, joint.end())
    if second is None or bool(second.group("arabic")) != bool(match.group("arabic")):
        return None
    second_unit = _match_unit(text, second.end())
    if second_unit is None:
        return None
    word = second_unit.group().strip()
    if unit_match is not None and unit_match.group().strip() != word:
        return None
    high = _number(second.group("arabic") or second.group("cn"))
    if high is None:
        return None
    high_multiplier = (second.group("mult") or "") + (second.group("mult2") or "")
    unit = UNITS[word]
    factor = 10 if unit.kind == "ratio" else 1
    low = multiply(base, multiplier or high_multiplier)
    high = multiply(high, high_multiplier)
    if low is None or high is None or low >= high:
        return None
    if joint.group().strip() in "至到" and high > _BY_TO_RATIO * low and _CHANGED_BY_RE.search(
            text, max(0, match.start() - _CHANGE_REACH), match.start()):
        return None  # 下调1.4万元至24.99万元: down by the one, to the other
    low, high = low * factor, high * factor
    found = _Found(match.start(), second_unit.end(), unit.kind, (low, high), unit.label)
    found.subtype = unit.subtype
    found.counted = unit.kind == "count"
    return found


def _read_bare(
    text: str, match: re.Match[str], base: float | int, multiplier: str
) -> _Found | None:
    """A number with no unit: a year (2016), an amount (5亿, 500万) or nothing."""
    start, end = match.span()
    arabic, chinese, approx = match.group("arabic", "cn", "approx")
    if arabic and not multiplier and not approx:
        following = text[end : end + 1]
        if (
            dates.BARE_YEAR_RE.fullmatch(arabic)
            and not following.isdigit()
            and following not in ".%"
            and not _inside_title(text, start)
        ):
            return _Found(start, end, "date", arabic, None)
        return None
    if chinese:
        # 三亿, 十万, 数百亿, 破百万; not 万一, 亿万, 千万别
        counted = chinese[0] in CHINESE_DIGITS or chinese[0] == "十" or match.group("vague")
        if not _LARGE_RE.search(chinese):
            return None
        if not counted and not _approximated(text, start):
            return None
    elif not _LARGE_RE.search(multiplier) and (
        # 80w, 20K are money (年薪 80w); 4K is a screen and 5k a distance run.
        not _LATIN_MULTIPLIER_RE.search(multiplier) or not _mentions_money(text, start, end)
    ):
        return None
    value = _scale(match.group("vague"), approx, base, multiplier, UNITS["个"])
    if value is None:
        return None
    found = _Found(start, end, "count", value, None, bare=True)
    if _mentions_money(text, start, end):
        found.kind, found.unit = "money", "CNY"
    else:  # "3.23亿DAU", "5亿短剧人群": a counted noun right after the amount is what it counts
        found.counted = _noun_label(following_noun(text, end)) is not None
    if approx in ("余", "多"):
        found.qualifier = "more than"
    return found


def _inside_title(text: str, position: int) -> bool:
    """Whether `position` is inside a 《title》, where 2035 names a plan, not a year."""
    reach = max(0, position - CONTEXT_CHARS)
    return text.rfind("《", reach, position) > text.rfind("》", reach, position)


# A currency named before the amount ("新台币4146亿元", "美元2亿"): 元 is its unit then.
_CURRENCY_BEFORE_RE = re.compile("(?:" + "|".join(CURRENCY_NAMES) + ") ?$")


def _name_currency(text: str, found: list[_Found]) -> None:
    """"新台币4146亿元", "港币500亿": the currency written before an amount is its currency."""
    for item in found:
        if not (item.kind == "money" and item.unit == "CNY" or item.bare and item.kind == "count"):
            continue
        named = _CURRENCY_BEFORE_RE.search(text, max(0, item.start - 5), item.start)
        if named is not None:
            item.kind, item.unit = "money", CURRENCIES[named.group().strip()]


def _carry_currency(text: str, found: list[_Found]) -> None:
    """"营收为 215 亿,远低于市场预期的 256 亿": a bare amount after money is money too.

    Not when a noun follows the amount (5亿短剧人群 counts people) or names
    what is counted before it (估值百亿美元,注册用户上千万).
    """
    currency, last_end = None, 0
    for item in found:
        if (
            item.bare
            and item.kind == "count"
            and currency
            and not following_noun(text, item.end)
            and not _names_counted(text[last_end : item.start])
        ):
            item.kind, item.unit = "money", currency
        if item.kind in ("money", "count"):
            currency = item.unit if item.kind == "money" else None
        last_end = item.end


def _names_counted(words: str) -> bool:
    """Whether `words` name people or things counted (用户, 门店) and no money."""
    return any(word in words for word in NOUN_LABELS) and MONEY_RE.search(words) is None


def _clause_start(text: str, position: int) -> int:
    """Where the clause holding `position` starts, looking back at most CONTEXT_CHARS."""
    return find_clause_start(text, position, _CLAUSE_MARK_RE)


def _mentions_money(text: str, start: int, end: int) -> bool:
    """Whether the clause around a bare 亿/万 amount talks about money (营收, 利润, 资金)."""
    clause = text[_clause_start(text, start) : start] + following_noun(text, end)
    return MONEY_RE.search(clause) is not None


def _noun_label(noun: str) -> str | None:
    """The unit label of a counted noun that begins or ends with a word of NOUN_LABELS
    (DAU目标, 短剧人群), None for another."""
    for word, label in NOUN_LABELS.items():
        if noun.startswith(word) or noun.endswith(word):
            return label
    return None


def _label_from_words(text: str, item: _Found, metric: str) -> str | None:
    """Unit of a count from the noun after it (5100万个视频 -> videos) or its metric.

    None when neither names a known noun; the classifier's label then stands.
    """
    if item.unit == AGE:
        return None
    noun = following_noun(text, item.end)
    # The noun written after the figure says it before the metric does (公司实现了3.5亿DAU
    # counts users, not companies).
    if label := _noun_label(noun):
        return label
    if item.unit is None or item.unit in GENERIC_COUNTS:
        for word, label in NOUN_LABELS.items():
            if word in metric:
                return label
    if item.unit is None and ("人" in noun or "人" in metric):
        return "people"
    return None
