"""Words next to a figure that qualify it (超过 500万, 三成以上, 7月底).

They stay outside the figure's span; the extractor reports them in English
and widens the span to them only for matching. Tables per category, because
前 after a date means "before" but after a duration means "ago".
"""

from __future__ import annotations

import re

from index.figures.metric import CONTEXT_CHARS

AMOUNT_BEFORE = {
    "超过": "more than", "超出": "more than", "超": "more than", "逾": "more than",
    "突破": "more than", "破": "more than", "多于": "more than", "高于": "more than",
    "近": "nearly", "接近": "nearly", "将近": "nearly", "逼近": "nearly", "约": "about",
    "大约": "about", "约为": "about", "大概": "about", "至少": "at least",
    "不少于": "at least", "不低于": "at least", "不足": "less than", "不到": "less than",
    "少于": "less than", "低于": "less than", "最多": "at most", "至多": "at most",
    "不超过": "at most", "不超": "at most", "不高于": "at most", "不多于": "at most",
    "仅": "only", "仅有": "only", "只有": "only", "仅为": "only", "高达": "as high as",
    "多达": "as many as", "各": "each", "最高": "up to", "约合": "about", "约有": "about",
    "至少为": "at least", "至少有": "at least", "将近有": "nearly",
}
# 上 before a bare 百/千/万/亿 (上百家, 上万人): "a hundred or more".
UPWARD = "上"
AMOUNT_AFTER = {
    "以上": "more than", "多": "more than", "之多": "as many as", "左右": "about",
    "上下": "about", "以下": "at most", "以内": "at most",
}
DATE_BEFORE = {"截至": "as of", "截止到": "as of", "截止": "as of", "截至到": "as of"}
DATE_AFTER = {
    "底": "end of", "末": "end of", "初": "beginning of", "上旬": "early (上旬)",
    "中旬": "mid (中旬)", "下旬": "late (下旬)", "晚间": "evening", "晚上": "evening",
    "晚": "evening", "上午": "morning", "早上": "morning", "中午": "noon",
    "下午": "afternoon", "凌晨": "early morning", "以来": "since", "以后": "after",
    "之后": "after", "后": "after", "以前": "before", "之前": "before", "前": "before",
    "起": "from",
}
DURATION_BEFORE = {
    "过去": "past", "最近": "recent", "近": "recent", "超过": "more than", "超": "more than",
    "逾": "more than", "不足": "less than", "不到": "less than", "不超过": "at most",
    "约": "about",
    "约为": "about", "大约": "about", "将近": "nearly", "接近": "nearly", "长达": "as long as",
    "至少": "at least",
}
DURATION_AFTER = {
    "以来": "since", "来": "since (来)", "前": "ago", "后": "later", "多": "more than",
}


def _before(table: dict[str, str]) -> re.Pattern[str]:
    words = sorted(table, key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, words)) + ") ?$")


def _after(table: dict[str, str]) -> re.Pattern[str]:
    words = sorted(table, key=len, reverse=True)
    return re.compile(" ?(?:" + "|".join(map(re.escape, words)) + ")")


AMOUNT_BEFORE_RE = _before(AMOUNT_BEFORE)
_BEFORE_VERB_RE = re.compile(
    "(仅|只有|近|约|超过|超|高达)(?:增长|提升|提高|上涨|下降|下跌|减少|占|达|为)了? ?$"
)
_SINCE_FRAME_RE = re.compile("[自从] ?$")
_CLAUSE_END_RE = re.compile("[,，;；。!！?？]")
_TABLES = {
    "amount": (AMOUNT_BEFORE, AMOUNT_AFTER),
    "date": (DATE_BEFORE, DATE_AFTER),
    "duration": (DURATION_BEFORE, DURATION_AFTER),
}
_PATTERNS = {
    name: (_before(before), _after(after), before, after)
    for name, (before, after) in _TABLES.items()
}


def qualifier_family(kind: str, subtype: str | None) -> str:
    """Which table of qualifier words a figure reads: "date", "duration" or "amount"."""
    if kind == "date":
        return "date"
    return "duration" if subtype == "duration" else "amount"


def find_qualifier(text: str, start: int, end: int, family: str) -> tuple[str | None, int, int]:
    """The qualifier next to text[start:end] and the span widened to include it.

    Looks before the span first (超过 40%), then after it (九成以上); one
    qualifier per figure. `family` is "amount", "date" or "duration".
    """
    before, after, before_words, after_words = _PATTERNS[family]
    found = before.search(text, max(0, start - 4), start)
    if found:
        return before_words[found.group().strip()], found.start(), end
    if family == "amount" and text[start - 1 : start] == UPWARD and text[start] in "百千万亿":
        return "more than", start - 1, end
    found = after.match(text, end)
    if found:
        return after_words[found.group().strip()], start, found.end()
    if family == "date" and _SINCE_FRAME_RE.search(text, max(0, start - 2), start):
        reach = end + CONTEXT_CHARS
        clause_end = _CLAUSE_END_RE.search(text, end, reach)
        if "以来" in text[end : clause_end.start() if clause_end else reach]:
            return "since", start, end  # 自 2013 年开启商业化以来
    if family == "amount":  # 仅提升 5.9 个百分点: the qualifier sits before the verb
        found = _BEFORE_VERB_RE.search(text, max(0, start - 5), start)
        if found:
            return AMOUNT_BEFORE[found.group(1)], start, end
    return None, start, end
