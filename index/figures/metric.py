"""What a figure measures, read from the words around it.

Rules, in order (each a habit of Chinese news prose):
1. A figure in brackets glosses the term before them: “企业效益不好”(38.8%).
2. "38.8%的受访者", "5100万个视频": the noun after the figure is what is counted;
   "四成的人曾在直播间购物": after a bare 的人 the predicate says it;
   "一个月薪资": a span of time that counts pay measures the pay.
3. Otherwise the phrase before it, from the clause start or the previous
   figure: "总营收同比增长11.4%". Dates and spans of time in that phrase are
   scenery and dropped ("GMV在2022年达到"). Link verbs, qualifiers, modal and
   time words are trimmed, adverbs dropped, and of "腾讯的净利润" the head
   after the last 的 is kept.
4. "增长11.4%至311亿元", "从两成跌至5%": a figure right after another one
   (至, 达, 、, 和, 跌至) measures the same subject, less the change.
5. "...13.1%,去年同期为16.4%": a clause with no words of its own measures
   what the figure ending the clause before measured.
6. "以95亿美元收购饿了么": money spent measures the act that follows.
7. A verdict on the figure ends its phrase ("占比最高,达到69.1%" measures 占比,
   "占比也高于其他地区,分别为20%" too), and what it is compared with opens none
   ("远低于市场预期的256亿" measures 市场预期).
8. "较2020年同期的88.39亿元": the base of a comparison measures what the figure
   before it measured; "有25.7%没有收到任何物质补偿": a share with nothing before
   it is what it did.
9. "腾讯股价下跌20%,阿里巴巴下跌40%": a list of changes names its measure once;
   the subjects after it share it (阿里巴巴股价下跌).

Words are read at most CONTEXT_CHARS characters away from a figure (a longer
clause is read from its last CONTEXT_CHARS), so a line with thousands of
figures and no full stop costs time linear in its length.
"""

from __future__ import annotations

import re

from index.figures.units import CURRENCY_NAMES, MONEY_RE, NOUN_LABELS

_CLAUSE_MARKS = ",，;；。:：!！?？\n"
_CLAUSE_MARK_RE = re.compile(f"[{_CLAUSE_MARKS}]")
_QUOTES_RE = re.compile(r"[“”‘’\"'「」『』《》【】\s]")
CHANGE_VERBS = (
    "增长|增加|上升|提升|提高|下降|下滑|减少|回落|回升|扩大|收窄|上涨|下跌|下调|上调|调降|调升|降低"
    "|增|降|涨|跌|减|升"
)
_LINKS = (
    "分别为|分别是|分别|达到了|达到|达|约为|降至|升至|增至|降到|升到|增到|降为|为|是|至|到|有|了"
    "|已经|已|均|都|也|还|将|仍|在|的|则|就|便|占到|占"
    "|超过|超出|超|逾|近|接近|将近|突破|破|高达|多达|仅为|仅有|仅|只有|不足|不到|至少|约|共|合计"
    "|有望|预计|或将|将会|可能|可望|同比|环比|以|从"
    "|维持在|保持在|稳定在|控制在|仅需|只需|可达到|可达"
    # a rate before the amount ("时长为每天128分钟", "发行价为每股16.8港元"): the amount's,
    # like its unit
    "|每天|每日|每周|每月|每年|每股|每单|每人|每件|每辆|每台|每位|每小时"
    "|每平方米|每平米|每吨|每公斤|每千克|每升|每桶|每克"
    # a change to a new level ("付费率提升至20.4%" measures 付费率, not 付费率提)
    # (two-character verbs only: 减到 would cut 锐减到 to 锐)
    + "".join(f"|{verb}{to}" for verb in CHANGE_VERBS.split("|") if len(verb) > 1
              for to in ("至", "到"))
)
# A currency named before the amount is the amount's, not part of what it measures
# ("营收新台币4146亿元" measures 营收; "增长12.5%至人民币311亿元" is 营收 again).
_LINK_WORDS = frozenset(_LINKS.split("|")) | set(CURRENCY_NAMES)
# What 均 ends as a word of averages: 平均, 人均, 日均, 月均, 年均, 户均.
_AVERAGE_HEADS = frozenset("平人日月年户")
_LONGEST_LINK = max(map(len, _LINK_WORDS))
_LEADS = (
    "但是|但|而且|而|并且|并|虽然|尽管|此外|同时|其中|其|另外|然而|不过|因此|所以|以及|及|和|与|"
    "且|则|即|也|还|又|据|比如|例如|如|在|从|自|于|对比|相比|较|今年|去年|目前|当前|现在|现有|截至|"
    "截止|同期|期间|近期|近日|此前|随后|我国|全国|仅|超过|高达|有|共|其他|表示|认为|称|反映|显示|"
    "总共|累计达|达|"
    # times around what is measured, which are scenery like dates ("当年年初DAU是1亿", "年底1.6亿")
    "当年|同年|次年|前年|明年|年初|年底|年末|年中|月初|月底|"
    # what the figure is compared with opens its phrase ("远低于市场预期的256亿")
    "远低于|远高于|略低于|略高于|低于|高于|好于|优于|不及"
)


def _by_first(words: list[str]) -> dict[str, tuple[str, ...]]:
    """`words` by their first character, each group in the order given."""
    groups: dict[str, tuple[str, ...]] = {}
    for word in words:
        groups[word[0]] = (*groups.get(word[0], ()), word)
    return groups


# The leads by first character, in the order above (the first that opens a phrase is cut,
# as a regex alternation would): a phrase's first character picks the few to try.
_LEADS_BY_FIRST = _by_first(_LEADS.split("|"))
# A verdict on the figure ends its phrase: "占比也高于其他地区,分别为20%" measures 占比
# (searched from the third character: a comparison opening the phrase is what the figure
# is compared with, a lead), and so does "占比最高,达到69.1%"; "达到历史新高的3.23亿DAU"
# says nothing of what is counted.
_COMPARED_RE = re.compile(
    "(?:也|均|都|远|略|明显|大幅)?(?:高于|低于|多于|少于|大于|小于|好于|优于|不及|领先|落后)")
_RECORD_RE = re.compile(
    "(?:创下?|达到|到|为)?(?:历史)?(?:最高|最低|最大|最小|最多|最少|新高|新低)$")
# How fast a change went, said before it ("取得58%的高速增长"): no part of what changed.
_MANNER_RE = re.compile(f"^(?:高速|快速|大幅|显著|稳步|持续|明显)(?=(?:{CHANGE_VERBS})|涨幅|跌幅)")
_ADVERBS_RE = re.compile(
    "已经|整体|大幅|持续|进一步|明显|显著|同样|仍然|依然|再次|继续|均已|连续|实现|将(?![近来军])"
)
# The time compared with, ending the phrase before the earlier figure ("营业利润率从去年
# 同期的12%提升至18%", "员工人数从高峰期的11万人减至约7万人"): where the figure
# stands in time, not what it measures.
_BASE_RE = re.compile(
    "(?:从|由|较|比|相比|相较)(?:(?:去年|上年|上一年|前年)?同期|去年|上年|年初|上季度|上个?月"
    "|高峰期?|峰值|高点|低点)$"
)
# Only what the figure is compared with, before it: "较2020年同期的" (dates taken out).
_BASE_ONLY_RE = re.compile(
    r"\s*(?:(?:较|比|相比|相较于?|对比)\s*(?:(?:去年|上年|上一年)?同期)?"
    r"|(?:去年|上年|上一年)?同期)\s*的?\s*")
# What a list of changes may name only once ("腾讯股价下跌20%,阿里巴巴下跌40%"), and the
# longest subject a clause of a change alone is read as having.
_MEASURES = ("股价", "市值", "估值", "营收", "收入", "净利润", "利润", "净利", "毛利率",
             "销量", "销售额", "GMV", "用户数", "日活", "月活", "员工数", "市场份额", "份额")
_MAX_SUBJECT = 8
# ... and what, said in its place, is no subject but a measure (of two characters and more:
# 车 of 汽车 is not 车辆).
_COUNTED_OR_MEASURED = (*_MEASURES, *(word for word in NOUN_LABELS if len(word) > 1))
# The words of a change, two characters first (上涨 taken whole, not as 涨).
_CHANGE_RE = re.compile(f"(?:同比|环比)?(?:{CHANGE_VERBS})(?:了)?$")
_SPEND_RE = re.compile("(?:以|用|花|花费|斥资|耗资|出资|砸下|投入)$")
# "从两成跌至5%": a change to a new level keeps the subject of the figure before.
_CHANGE_TO_RE = re.compile(f"(?:{CHANGE_VERBS})了?(?:至|到)了?")
# Time figures (dates, spans of time) are scenery: "GMV在2022年达到" measures GMV.
_TIME_BEFORE = "在于较比从自"
_TIME_AFTER = "内里间"
# "一个月薪资", "四个月工资": a span of time that counts pay measures the pay.
_PAY_RE = re.compile("薪|工资|奖金|租金|房租|补偿|年终奖")
_REPORTING_RE = re.compile("表示|认为|反映|称")
_REPORTING_LEAD_RE = re.compile("表示|认为|称|反映")
_PEOPLE = ("人", "者")
_PUNCTUATION = ",，;；。:：!！?？、“”\"()（）《》「」\\s"
_PUNCTUATION_RE = re.compile(f"[{_PUNCTUATION}]")
_NOUN_STOP_RE = re.compile(
    f"[{_PUNCTUATION}0-9]|表示|认为|反映|称|愿意|会|将|仍|在|是|有|已|都|也|还|至|同比|环比"
    "|的|对|从|与|和|通过|来自|达|为|占|中|上|仅|曾|今年|去年|目前|作为"
    "|位居|位列|排名|排在|跃居"
)
_NOUN_START_STOP_RE = re.compile(f"[{_PUNCTUATION}0-9的和与及或]")
_JOINERS = ("、", "和", "及", "或", "与")
_MAX_NOUN = 12
# How far from a figure its words are read. The longest clause before a
# figure in the dev and held-out gold is 49 characters.
CONTEXT_CHARS = 100


def describe_metric(
    text: str,
    spans: list[tuple[int, int, bool]],
    index: int,
    earlier: list[str],
    *,
    kind: str = "count",
    counted: bool = False,
    duration: bool = False,
) -> str:
    """The phrase saying what figure `index` measures; "" when the sentence does not say.

    `spans` holds (ext_start, ext_end, is_time) of every figure in order
    (is_time for dates and spans of time) and `earlier` the metrics already
    chosen for the figures before this one. `counted`: a classifier counts
    the noun after it (5100万个视频); a share measures the noun after 的
    (38.8%的受访者), money spent the act after it (以95亿美元收购饿了么).
    """
    start, end, _ = spans[index]
    if start and text[start - 1] in "(（":
        if index and spans[index - 1][1] == start - 1 and earlier[index - 1]:
            return earlier[index - 1]  # 95.13亿元(约14.76亿美元): the same amount again
        return _bracket_term(text, start - 1)
    share = kind in ("percent", "ratio")
    after = end + 1 if text[end : end + 1] == "的" else end
    noun = following_noun(text, after)
    if share and after > end and not noun and text[after : after + 1] in _PEOPLE:
        return _predicate(text, after + 1)  # 四成的人曾在直播间购物
    if noun and (share if after > end else counted):
        return _MANNER_RE.sub("", noun) or noun  # "58%的高速增长" measures a 增长
    if noun and after > end and kind == "money" and not MONEY_RE.search(
            text, _clause_start(text, start), start):
        return noun  # "把自己700元的二手相机", "实现了311亿元的营收": no money word before it
    if noun and duration and _PAY_RE.match(noun):
        return noun
    clause_start = _clause_start(text, start)
    region_start = clause_start
    previous = _previous_amount(spans, index, clause_start)
    if previous is not None:
        region_start = spans[previous][1]
        between = _without_currency(_without_times(text, spans, index, region_start).strip())
        if earlier[previous] and _is_joiner(between):
            return _inherit(earlier[previous], between)
    region = _without_times(text, spans, index, region_start)
    if kind == "money" and _SPEND_RE.search(region) and noun:
        return noun
    if _BASE_ONLY_RE.fullmatch(region) and (same := _last_amount_metric(spans, index, earlier)):
        return same  # "营收为95.13亿元,较2020年同期的88.39亿元": the same measure, then
    phrase = _tidy(region)
    # "..., 平均1000平方公里有14.2公里": an average alone says no more than nothing.
    says_nothing = len(phrase) < 2 or _is_average(phrase)
    if says_nothing and not noun and share:
        acted = _predicate(text, end)
        if len(acted) >= 2:
            return acted  # "有25.7%没有收到任何物质补偿": the share did what follows it
    if says_nothing and not noun and clause_start and text[clause_start - 1] in _CLAUSE_MARKS:
        phrase = _from_clause_before(text, spans, index, earlier, clause_start,
                                     change=bool(_CHANGE_RE.fullmatch(region.strip())))
    if len(phrase) < 2:
        return noun
    return _with_elided_measure(phrase, _last_amount_metric(spans, index, earlier))


def _with_elided_measure(phrase: str, before: str) -> str:
    """"腾讯股价下跌20%,阿里巴巴下跌40%": a list of changes names its measure once; a
    clause of a subject and a change only (阿里巴巴下跌) takes the measure of the one
    before (阿里巴巴股价下跌)."""
    change, earlier_change = _CHANGE_RE.search(phrase), _CHANGE_RE.search(before)
    if not change or not earlier_change or not 0 < change.start() <= _MAX_SUBJECT:
        return phrase
    subject, earlier = phrase[: change.start()], before[: earlier_change.start()]
    if MONEY_RE.search(subject) or any(word in subject for word in _COUNTED_OR_MEASURED):
        return phrase  # "营收增长10%,成本增长5%": a measure of its own, no subject
    for measure in _MEASURES:
        if earlier.endswith(measure) and len(earlier) > len(measure):
            return subject + measure + phrase[change.start():]
    return phrase


def _last_amount_metric(spans: list[tuple[int, int, bool]], index: int,
                        earlier: list[str]) -> str:
    """The metric of the nearest figure before `index` that is not a time, within
    CONTEXT_CHARS ("" if none): a line of thousands of dates is not walked back for each."""
    reach = spans[index][0] - CONTEXT_CHARS
    for previous in range(index - 1, -1, -1):
        if spans[previous][1] < reach:
            break
        if not spans[previous][2] and earlier[previous]:
            return earlier[previous]
    return ""


def _previous_amount(
    spans: list[tuple[int, int, bool]], index: int, clause_start: int
) -> int | None:
    """The nearest figure before `index` in the same clause that is not a time."""
    for previous in range(index - 1, -1, -1):
        if spans[previous][1] <= clause_start:
            return None
        if not spans[previous][2]:
            return previous
    return None


def _without_times(
    text: str, spans: list[tuple[int, int, bool]], index: int, start: int
) -> str:
    """The text from `start` to figure `index`, less the dates and spans of time in it
    (with 在…内 around them)."""
    end = spans[index][0]
    first = index  # the figures in between, found walking back: the region is short
    while first and spans[first - 1][0] >= start:
        first -= 1
    pieces, position = [], start
    for time_start, time_end, is_time in spans[first:index]:
        if not is_time or time_end > end:
            continue
        if time_start > position and text[time_start - 1] in _TIME_BEFORE:
            time_start -= 1
        if text[time_end : time_end + 1] in _TIME_AFTER and time_end < end:
            time_end += 1
        pieces.append(text[position:time_start])
        position = time_end
    pieces.append(text[position:end])
    return "".join(pieces)


def _from_clause_before(
    text: str,
    spans: list[tuple[int, int, bool]],
    index: int,
    earlier: list[str],
    clause_start: int,
    *,
    change: bool = False,
) -> str:
    """"..., 分别为50%", "...13.1%,去年同期为16.4%": the clause before says what is measured.
    `change`: the figure's own clause says only a change (涨了85.42%).

    When that clause ends with a figure, this one measures the same thing.
    """
    mark = clause_start - 1
    for previous in range(index - 1, -1, -1):
        ext_end = spans[previous][1]
        if ext_end < mark - CONTEXT_CHARS:
            break
        if ext_end <= mark and not spans[previous][2] and earlier[previous]:
            after = text[ext_end:mark]
            if not after.strip():
                return _CHANGE_RE.sub("", earlier[previous]) or earlier[previous]
            noun = following_noun(text, ext_end)
            if change and noun == after.strip():
                return noun  # "的4794名员工数,涨了85.42%": the change of what that one counted
            break
    return _tidy(text[_clause_start(text, mark) : mark])


def _predicate(text: str, position: int) -> str:
    """What the people after a share did or said: "的人曾在直播间购物" -> 曾在直播间购物."""
    while lead := _REPORTING_RE.match(text, position):
        position = lead.end()
    reach = position + CONTEXT_CHARS
    stop = re.compile(f"[{_PUNCTUATION}0-9]").search(text, position, reach)
    phrase = text[position : stop.start() if stop else reach]
    return _QUOTES_RE.sub("", phrase)


def following_noun(text: str, position: int) -> str:
    """The words right after `position` up to the next verb or punctuation (视频, 受访者)."""
    while True:  # "19.9%表示沟通": skip the verb of reporting
        lead = _REPORTING_LEAD_RE.match(text, position, position + 2)
        if not lead:
            break
        position += len(lead.group())
    if _NOUN_START_STOP_RE.match(text, position):
        return ""
    stop = _NOUN_STOP_RE.search(text, position + 1, position + _MAX_NOUN)
    noun = text[position : stop.start() if stop else position + _MAX_NOUN].strip()
    return noun if len(noun) >= 2 else ""


def _clause_start(text: str, position: int) -> int:
    """Where the clause holding `position` starts, looking back at most CONTEXT_CHARS."""
    return find_clause_start(text, position, _CLAUSE_MARK_RE)


def find_clause_start(text: str, position: int, marks: re.Pattern[str]) -> int:
    """Just after the last of `marks` before `position`, at most CONTEXT_CHARS back."""
    reach = max(0, position - CONTEXT_CHARS)
    mark = marks.search(text[reach:position][::-1])  # the window backwards: one search
    return position - mark.start() if mark else reach


def _without_currency(between: str) -> str:
    """"至人民币" -> 至: the words between two amounts, less a currency naming the second."""
    for name in CURRENCY_NAMES:
        if between.endswith(name) and len(between) > len(name):
            return between[: -len(name)].rstrip()
    return between


def _is_joiner(between: str) -> bool:
    return (
        between in _JOINERS
        or between in _LINK_WORDS
        or bool(_CHANGE_TO_RE.fullmatch(between))
    )


def _inherit(previous: str, between: str) -> str:
    """Same subject as the figure before: 、/和 share its metric; 至/达 drop the change."""
    if between in _JOINERS:
        return previous
    return _CHANGE_RE.sub("", previous) or previous


def _bracket_term(text: str, bracket: int) -> str:
    """The term a bracketed figure glosses: the quoted words or phrase before "("."""
    before = text[max(0, bracket - CONTEXT_CHARS) : bracket].rstrip()
    if before.endswith(("”", "」", "\"")):
        # A closing quote with no opening one before it (a quote cut by the context) has none.
        opening = max((before.rfind(mark) for mark in "“「\"" if mark in before[:-1]),
                      default=-1)
        if opening >= 0:
            return _QUOTES_RE.sub("", before[opening:])
    return _tidy(before[_clause_start(before, len(before)) :])


def _without_lead(phrase: str) -> str:
    """`phrase` less the first of `_LEADS` it opens with."""
    for lead in _LEADS_BY_FIRST.get(phrase[:1], ()):
        if phrase.startswith(lead):
            return phrase[len(lead) :]
    return phrase


def _is_average(word: str) -> bool:
    """平均, 人均, 日均...: a word of averages, whose 均 is no link."""
    return len(word) == 2 and word[1] == "均" and word[0] in _AVERAGE_HEADS


def _without_link(phrase: str) -> str:
    """`phrase` less the longest of `_LINKS` it ends with (a few set look-ups, where a regex
    anchored at the end tried the words at every character); but the 均 of 平均, 人均
    or 日均 ends a word, not a link (行业平均的22倍)."""
    for size in range(min(_LONGEST_LINK, len(phrase)), 0, -1):
        if phrase[-size:] in _LINK_WORDS:
            if size == 1 and _is_average(phrase[-2:]):
                return phrase
            return phrase[:-size]
    return phrase


def _tidy(phrase: str) -> str:
    """Trim links, qualifiers and connectives off a phrase; keep the head after 的."""
    phrase = _QUOTES_RE.sub("", phrase).lstrip(")）]】")  # "集团(;)最新财报": a bracket's end
    phrase = _ADVERBS_RE.sub("", phrase)
    while True:
        trimmed = _BASE_RE.sub("", _without_link(_without_lead(phrase)))
        if trimmed == phrase:
            break
        phrase = trimmed
    for verdict in (_COMPARED_RE.search(phrase, 2), _RECORD_RE.search(phrase)):
        if verdict:
            phrase = _without_link(phrase[: verdict.start()])
    head = phrase.rsplit("的", 1)[-1]
    return head if len(head) >= 2 else phrase
