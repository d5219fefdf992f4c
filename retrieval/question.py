"""Reading a question: its words, what kind of figure it wants, and when.

The question goes through the same normalisation and segmentation as the
articles (`Segmenter.segment` on the normalised text), minus the bot's
/command and @mentions and the words that only make it a question (多少,
什么, 吗 ...), which the articles do not contain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.figures import Figure, extract_figures
from index.figures.units import DURATIONS
from index.normalise import normalise
from index.segment import Segmenter
from retrieval.times import Times, find_times

MAX_QUESTION_CHARS = 500


class EmptyQuestion(ValueError):
    """Nothing is left to ask once the /command and @mentions are removed."""


_COMMAND = re.compile(r"^\s*/[a-z0-9_]+(?:@\w+)?(?=\s|$)", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")

# Words that make a sentence a question (or fill it) and that answers do not contain.
QUESTION_WORDS = frozenset(
    [
        "多少", "多少钱", "多大", "多高", "多久", "多长", "多快", "多远", "多", "几",
        "几个", "几次", "几家", "几款", "几成", "什么", "啥", "为什么", "为何", "怎么",
        "怎么样", "怎样", "咋", "如何", "谁", "哪", "哪个", "哪些", "哪里", "哪儿",
        "哪家", "哪块", "哪方面", "吗", "呢", "啊", "吧", "呀", "嘛", "么",
        "到底", "究竟", "请问", "是不是", "有没有", "能不能", "是否", "知道", "告诉", "一下",
        "想", "问", "那次", "那边", "那家", "这家", "那时", "那会", "how", "many",
        "much", "what", "which", "who", "when",
        # Classical 何 (何时, 于何年, 有何...), frequent in written questions.
        "何时", "何年", "何处", "何地", "何人", "何种", "何者", "何以", "何谓", "什么样",
    ]
)
_QUESTION_PREFIXES = ("哪", "几", "多少")
# The word asking for the answer: what surrounds it says what the answer sentence holds.
# 哪 and 几 with the number and measure word they ask with (哪一年, 哪两个, 第几届, 哪种):
# all of it is the question word, though jieba cuts 哪一年 as 哪 + 一年 and 哪一条 as 哪 + 一条.
_WH_PHRASE = re.compile(
    r"第?(?:哪|几)[一两几]?"
    r"[个位种条场部座项所本年天家次间门组份代届名支只张件首片党国州类段批层级样回台辆架艘颗根篇处块区期任集章节轮局号版季栋楼]?"
)
_WH_WORD = re.compile(
    rf"{_WH_PHRASE.pattern}|多少|什么|啥|谁|何[时年处地人种]?|怎么|怎样|如何|多[大高久长快远]"
)

_MEASURE = re.compile(
    r"(?:多少|几)(?:个|位|名|块)?(人|钱|点|元|块钱|个百分点|百分点)"
    # ... and so does 人 in "用快手的人有多少", "被裁的人里...占多少": the articles
    # count users, respondents or staff, and rarely say 人 there.
    r"|的(人)(?=有?多少|有几|占|里|中)"
)
# 几 asking how many: not of 哪几个业务, which asks which ones (their names).
_HOW_MANY_JI = r"(?<!哪)几"
_QUANTITY = re.compile(
    rf"多少|{_HOW_MANY_JI}|多大|多高|多久|多长|比例|占比|比重|增长|增速|增幅|幅度|涨|跌|规模|百分|数量|金额"
    r"|how (?:many|much)"
    # A question that is just a measure ("快手DAU?", "快手2024年Q3净利润") asks for its figure.
    r"|(?:dau|mau|gmv|arpu|日活|月活|营收|收入|利润|净利|毛利|亏损|市值|估值|股价|用户数|员工数"
    r"|revenues?|sales|profits?|net income|losses|users)\s*[?？]*\s*$"
)
# Cues for the kind of figure wanted, most specific first.
_PERCENT = re.compile(
    r"比例|占比|比重|份额|增速|增长率|增幅|幅度|百分|几成|率|几个点|占|涨|跌|增长|下降|提升"
)
_MONEY = re.compile(
    r"钱|营收|收入|进账|利润|净利|毛利|盈利|赚|挣|亏|花|烧|流水|gmv|交易额|成交额|市值|估值|融资|价格|价|卖|买"
    r"|成本|投入|元|薪|revenue|profit|income|loss|cost|price|spend"
)
_COUNT = re.compile(
    r"人|用户|员工|日活|月活|dau|mau|网民|数|how many|users|people|employees"
    r"|(?:多少|几)(?:次|个|款|家|条|件|部|辆|台|座|张|本|只|套|场|篇|位|名|项|所|架|份|户|笔|单)"
)
# The measure a question asks in (多少米, 几岁, 多少次, 多少平方公里): the unit the figure
# rules read in "2" and the measure word ...
_ASKED_MEASURE = re.compile(r"(?:多少|几)([^\W\d_]{1,4})")
# ... or one of a family a question word asks for (多久: a duration, 多高: a length).
_LENGTHS = frozenset({"m", "km", "cm", "mm"})
_ASKED_FAMILIES = (
    (re.compile(r"多久|多长时间|多少时间|多长的时间|几时间"), frozenset(DURATIONS.values())),
    (re.compile(r"多[高长宽深远厚]"), _LENGTHS),
    (re.compile(r"多重"), frozenset({"t", "kg", "jin", "g"})),
    (re.compile(r"多大年纪|多大岁数|多大年龄|年龄多大"), frozenset({"years old"})),
)
# A question asking which year (哪一年, 何年) is answered by a date that names one.
_ASKS_YEAR = re.compile(r"[哪何]一?年|什么年份|哪个年份")
# A question asking when is answered by a sentence holding a date.
_WHEN = re.compile(
    r"什么时候|什么时间|何时|何年|何月|哪天|哪一天|哪年|哪一年|哪个月|几月|几号|when"
)
# What kind of thing the answer is, for the ranker to compare with what a sentence holds.
ANSWER_TYPES = ("person", "place", "time", "number", "thing", "other")
_ASKS_PERSON = re.compile(r"谁|哪位|哪些人|什么人|何人|哪个人|哪一位|哪名|哪个球员|who")
_ASKS_PLACE = re.compile(
    r"哪里|哪儿|何处|何地|什么地方|在哪|哪国|哪个国家|哪一国|哪座|哪个城市|哪个省|哪个地区"
    r"|哪个州|哪个县|哪一个国家|where"
)
_ASKS_TIME = re.compile(r"何年|多少年|什么年代|哪个年代|几世纪|哪个世纪|哪个朝代|哪一朝")
_ASKS_THING = re.compile(r"什么|哪个|哪些|哪种|哪一|哪家|哪部|哪本|啥|what|which")
# A question about people that also asks about opinions or shares is answered by a percentage.
_SURVEY = re.compile(r"受访|觉得|认为|表示|愿意|满意|占|比例")


@dataclass(frozen=True)
class Word:
    """A token of the normalised question and where it stands in it."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class ParsedQuestion:
    text: str  # the question as asked, without /command and @mentions (cut if too long)
    normalised: str
    words: tuple[Word, ...]  # content tokens, question words removed
    quantity: bool  # asks for a number
    kinds: tuple[str, ...]  # figure kinds wanted, best first ("percent", "money", "count")
    answer_type: str  # one of ANSWER_TYPES
    times: Times
    truncated: bool
    asks: tuple[int, int] = (0, 0)  # where the first question word (哪, 多少...) stands
    figures: tuple[Figure, ...] = ()  # the figures the question itself states
    units: frozenset[str] = frozenset()  # units its measure asks in (多少米 -> m)
    asks_year: bool = False  # it asks which year (哪一年, 何年)


def clean_question(text: str) -> str:
    """Drop a leading /command (or /command@Bot) and any @mentions."""
    return _MENTION.sub(" ", _COMMAND.sub("", text)).strip()


def is_question_word(token: str) -> bool:
    return token in QUESTION_WORDS or token.startswith(_QUESTION_PREFIXES)


# A question word that asks for an amount outright: not 几 of 几年 (which year, or how
# many), 几月 or 几点, nor the words of a change (跌 in "大跌近25%是由于哪个游戏").
_ASKS_AMOUNT = re.compile(rf"多少|{_HOW_MANY_JI}(?![年月号日点时])|how (?:many|much)")


def has_question_word(normalised: str) -> bool:
    """The text holds a word that asks (多少, 谁, 哪, 如何, 多大 ...)."""
    return bool(_WH_WORD.search(normalised))


def asks_amount(normalised: str) -> bool:
    """The question asks outright for an amount (多少钱, 几家)."""
    return bool(_ASKS_AMOUNT.search(normalised))


# A question word that asks for a sum of money in so many words.
_ASKS_MONEY = re.compile(r"多少钱|几块钱|多少元|多少块|多少美元|多少人民币|how much money")


def asks_money(normalised: str) -> bool:
    """The question asks outright for a sum of money (花了多少钱, 多少美元)."""
    return bool(_ASKS_MONEY.search(normalised))


def wanted_kinds(normalised: str) -> tuple[str, ...]:
    """Figure kinds a quantity question wants, best first; ("date",) for a question
    asking when; () for other questions."""
    if not _QUANTITY.search(normalised):
        return ("date",) if _WHEN.search(normalised) else ()
    kinds: list[str] = []
    if re.search(r"(?:几|多少)个?(?:百分)?点", normalised):
        kinds.append("pp")  # percentage points
    people = re.search(r"多少人|几个人|人数|人占|人里|受访", normalised)
    if people and _SURVEY.search(normalised):
        kinds += ["percent", "count"]
    if _PERCENT.search(normalised):
        kinds.append("percent")
    if _MONEY.search(normalised):
        kinds.append("money")
    if _COUNT.search(normalised):
        kinds.append("count")
    if people:
        kinds.append("percent")  # "how many people" is often answered with a share
    return tuple(dict.fromkeys(kinds))


def asked_units(normalised: str) -> frozenset[str]:
    """The units a question's measure asks in: 多少米 -> m, 几岁 -> years old, 多久 -> the
    durations (empty for 多少 alone, 多少钱 or a measure the figure rules read as none)."""
    units = {unit for pattern, family in _ASKED_FAMILIES if pattern.search(normalised)
             for unit in family}
    for match in _ASKED_MEASURE.finditer(normalised):
        read = extract_figures("2" + match.group(1))
        if read and read[0].start == 0 and read[0].unit and read[0].kind != "money":
            units.add(read[0].unit)
    return frozenset(units)


def answer_type(normalised: str) -> str:
    """One of ANSWER_TYPES: what the question's wh-word asks for."""
    if _ASKS_PERSON.search(normalised):
        return "person"
    if _WHEN.search(normalised) or _ASKS_TIME.search(normalised):
        return "time"
    if _ASKS_PLACE.search(normalised):
        return "place"
    if _QUANTITY.search(normalised):
        return "number"
    if _ASKS_THING.search(normalised):
        return "thing"
    return "other"


def parse_question(text: str, segmenter: Segmenter,
                   max_chars: int = MAX_QUESTION_CHARS) -> ParsedQuestion:
    """Words, wanted figure kinds and times of a question."""
    cleaned = clean_question(text)
    # Normalised first, then cut: NFKC can make one character eighteen (ﷺ), so a cut
    # before it would let 500 characters become 9,000. The raw cut only bounds the work.
    normalised = normalise(cleaned[: max_chars * 2])
    truncated = len(cleaned) > max_chars * 2 or len(normalised) > max_chars
    if truncated:
        normalised = normalised[:max_chars].rstrip()
        cleaned = cleaned[:max_chars]
    # In "多少钱", "多少人", "几个点" the measure word says what the figure is; answers
    # rarely repeat it ("裁员 30%" answers "裁了多少人").
    measures = {m.start(m.lastindex or 1) for m in _MEASURE.finditer(normalised)}
    phrases = [m.span() for m in _WH_PHRASE.finditer(normalised) if m.end() - m.start() > 1]
    words = tuple(
        Word(token.text, token.start, token.end)
        for token in segmenter.segment(normalised)
        if not is_question_word(token.text) and token.start not in measures
        and not any(start <= token.start and token.end <= end for start, end in phrases)
    )
    wh = _WH_WORD.search(normalised)
    units = asked_units(normalised)
    kinds = wanted_kinds(normalised)
    return ParsedQuestion(
        text=cleaned,
        normalised=normalised,
        words=words,
        quantity=bool(_QUANTITY.search(normalised)),
        kinds=kinds,
        answer_type=answer_type(normalised),
        times=find_times(normalised),
        truncated=truncated,
        asks=wh.span() if wh else (0, 0),
        # Not the 两个 of 哪两个: that is the question word's.
        figures=tuple(f for f in extract_figures(cleaned) if not cleaned[:f.start].endswith("哪")),
        units=units,
        asks_year=bool(_ASKS_YEAR.search(normalised)),
    )
