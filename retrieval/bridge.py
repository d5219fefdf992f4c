"""Questions that name a company by what it did: 收购饿了么的那家公司第三季度净利润多少.

The describing clause (收购饿了么) is asked on its own first; the company,
product or person its answer names, other than those of the clause itself
(阿里), or else the one its article's title or section names, takes the
clause's place, and the rest of the question is asked about it
(阿里第三季度净利润多少).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.aliases import ENTITY_KINDS
from index.normalise import normalise
from retrieval.question import has_question_word
from retrieval.synonyms import SynonymTable

_DESCRIBED = re.compile(
    r"^(?P<clause>.{2,24}?)的(?:那|这)?(?:一)?(?:家|个|位|款)?"
    r"(?:公司|企业|集团|平台|品牌|产品|app|人|创始人|老板|ceo)(?P<rest>.{2,})$"
)
# A rest that counts the described ones or picks among them asks about the group, not about
# one thing it names: 每天刷快手的人有多少, 被裁的人里工作不到一年的占多少.
_COUNTED = re.compile(r"(?:里|中|当中|之中|有?多少|有几|占|数量|比例)")



@dataclass(frozen=True)
class Bridge:
    clause: str  # what the thing did: asked first
    rest: str  # what is asked about it


def find_bridge(question: str) -> Bridge | None:
    """The clause and the rest of a question that describes its subject, else None."""
    match = _DESCRIBED.match(normalise(question).strip())
    if match is None or has_question_word(match.group("clause")):
        return None  # "多少被裁的人...": the clause asks, it does not describe
    if _COUNTED.match(match.group("rest")):
        return None
    return Bridge(clause=match.group("clause"), rest=match.group("rest"))


def bridged_entity(sentence: str, clause: str, synonyms: SynonymTable) -> str | None:
    """The first company, product or person the sentence names that the clause does not."""
    in_clause = {match.group for match in synonyms.find(normalise(clause))}
    for match in synonyms.find(normalise(sentence)):
        if match.group.kind in ENTITY_KINDS and match.group not in in_clause:
            return match.form
    return None
