"""Follow-up questions: "月活呢？" in reply to an answer about 可灵AI asks about 可灵AI.

A question names its subject with a company, product or person of the alias
table (`index.aliases`: 快手, 可灵AI, 宿华...) or a word jieba's dictionary
tags as a proper noun (a person, place, organisation or other name: 蓝鲸).
A follow-up that names none is read with the subjects of the question it
follows; one that names its own (那快手呢？) is read as it is.
"""

from __future__ import annotations

from index.aliases import ENTITY_KINDS
from index.normalise import normalise
from index.segment import Segmenter
from retrieval.synonyms import SynonymTable

# jieba's tags for proper nouns: person, place, organisation, other names.
PROPER_NOUN_TAGS = ("nr", "ns", "nt", "nz")
# A lone character tagged a name (云 in 云帆) is more often a cut-up word than a name.
MIN_NAME_CHARS = 2


def name_subjects(question: str, synonyms: SynonymTable, segmenter: Segmenter) -> list[str]:
    """The companies, products, people and other names `question` names, in order (normalised)."""
    text = normalise(question)
    found = [
        (match.start, match.form)
        for match in synonyms.find(text)
        if match.group.kind in ENTITY_KINDS
    ]
    covered = [(start, start + len(form)) for start, form in found]
    position = 0
    for word, tag in segmenter.tag(text):
        start = text.find(word, position)
        position = start + len(word) if start >= 0 else position
        if len(word) < MIN_NAME_CHARS or not tag.startswith(PROPER_NOUN_TAGS):
            continue
        if not any(s <= start < e for s, e in covered):
            found.append((start, word))
    return list(dict.fromkeys(form for _, form in sorted(found)))


def carried_subject(
    previous: str, question: str, synonyms: SynonymTable, segmenter: Segmenter
) -> str:
    """The subjects of `previous` that `question` is about, space-separated; "" when
    `question` names a subject of its own or `previous` names none."""
    if not previous.strip() or name_subjects(question, synonyms, segmenter):
        return ""
    return " ".join(name_subjects(previous, synonyms, segmenter))


def combine_follow_up(
    previous: str, question: str, synonyms: SynonymTable, segmenter: Segmenter
) -> str:
    """`question` as it is meant after `previous`: with the earlier subject when it names none
    (可灵AI服务用户有多少, 月活呢？ -> "可灵ai 月活呢？")."""
    return join_subject(carried_subject(previous, question, synonyms, segmenter), question)


def join_subject(subject: str, question: str) -> str:
    """The question asked with a carried-over `subject` ("" leaves it as it is)."""
    return f"{subject} {question}" if subject else question
