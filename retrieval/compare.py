"""Questions that compare two companies, products or people: 爱奇艺和快手谁裁员比例高.

The articles often say each one's figure in a sentence of its own, even in
passages of their own, while an answer needs a passage naming everything the
question names. So when the question as a whole finds no sentence naming both,
each is asked on its own (爱奇艺裁员比例多少, 快手裁员比例多少) and the answer
lists both best sentences first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.aliases import ENTITY_KINDS, AliasGroup
from index.normalise import normalise
from retrieval.question import has_question_word
from retrieval.synonyms import SynonymTable

# What joins the two names (爱奇艺和快手, 腾讯与阿里, 抖音还是快手).
_JOINED = re.compile(r"\s*(?:和|与|跟|同|及|以及|还是|对比|比|vs\.?|、)\s*")
# Words that make it a comparison, taken out of each one's own question.
_COMPARING = re.compile(
    r"谁的|谁|哪个|哪家|哪一个|哪一家|哪方|更(?=[高多大低少快慢强好])|比较|相比"
)
# How it ends (比例高, 跌得多): each one's own question asks how much instead.
_MEASURED = re.compile(
    r"(?:得多|得快|得慢)?(?:高|多|大|低|少|快|慢|强|好)?(?:一些|些|呢|吗)?[?？]*$"
)


@dataclass(frozen=True)
class Comparison:
    first: str  # the question about the first name alone
    second: str  # ... and about the second
    groups: tuple[AliasGroup, AliasGroup]  # the two named things


def names_both(sentence: str, comparison: Comparison, synonyms: SynonymTable) -> bool:
    """The sentence names both things compared (then the question as a whole answers)."""
    named = {match.group for match in synonyms.find(normalise(sentence))}
    return all(group in named for group in comparison.groups)


def find_comparison(question: str, synonyms: SynonymTable) -> Comparison | None:
    """The two one-name questions of a question comparing two named things, else None."""
    text = normalise(question).strip()
    if not _COMPARING.search(text):
        return None
    matches = [m for m in synonyms.find(text) if m.group.kind in ENTITY_KINDS]
    for left, right in zip(matches, matches[1:], strict=False):
        if left.group == right.group or left.end > right.start:
            continue
        joint = _JOINED.fullmatch(text[left.end:right.start])
        if joint is None:
            continue
        rest = text[:left.start], text[right.end:]
        first, second = (_own_question(rest[0] + form + rest[1])
                         for form in (left.form, right.form))
        return Comparison(first=first, second=second, groups=(left.group, right.group))
    return None


def _own_question(text: str) -> str:
    """One name's question: the comparing words out, asking how much unless it asks already."""
    text = _COMPARING.sub("", text).strip()
    return text if has_question_word(text) else _MEASURED.sub("多少", text, count=1)
