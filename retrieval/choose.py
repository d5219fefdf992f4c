"""Choosing the answer sentences among the sentences of the best passages.

A sentence scores by how much of the question it says itself (concept
coverage, weighted by idf), helped by its passage (BM25 score and coverage)
and its neighbours, by holding a figure of the kind the question wants, and
by being about the question's time (demoted when about another time).
The same sentence text is never returned twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.figures import Figure
from retrieval.query import Concept, Query
from retrieval.times import Times, compare_times, find_times

# Score = own coverage + these times the other signals (calibrated on the dev set).
PASSAGE_COVERAGE = 0.35
NEIGHBOUR_COVERAGE = 0.15
PASSAGE_BM25 = 0.25
WANTED_FIGURE = (0.35, 0.22, 0.12)  # a figure of the first, second, third wanted kind
ANY_NUMBER = 0.05
NO_FIGURE = -0.15
FOCUS_MISSING = -0.3  # the sentence does not say what the wh-word asks about
ENTITY_MISSING = -0.5  # its passage does not name the company or product asked about
SENTENCE_TIME = 0.3
PASSAGE_TIME = 0.12

_NOT_TEXT = re.compile(r"[\W_]+")
# Figure kinds that answer "how much": dates and ranks do not.
QUANTITIES = frozenset({"money", "percent", "count", "ratio", "multiple"})


@dataclass(frozen=True)
class CandidateSentence:
    sentence_id: int
    passage_id: int
    position: int
    text: str
    folded: str  # NFKC, lower case: what spellings are looked for in
    tokens: frozenset[str]
    figure_kinds: frozenset[str]  # kinds of its figures, and "pp" for percentage points


@dataclass(frozen=True)
class CandidatePassage:
    passage_id: int
    score: float  # BM25
    heading_tokens: frozenset[str]  # article title and section
    heading: str  # the same, folded
    sentences: tuple[CandidateSentence, ...]
    article: str
    section: str
    path: str


@dataclass(frozen=True)
class ChosenSentence:
    sentence: CandidateSentence
    passage: CandidatePassage
    score: float
    coverage: float  # of the question's concepts by the sentence and its context, 0..1
    own_coverage: float  # by the sentence alone
    grounded: bool  # its passage names every company or product the question names


def concept_match(concept: Concept, tokens: frozenset[str], text: str) -> float:
    """Best credit among the concept's phrases whose terms are all among `tokens`
    and its spellings found in `text` (folded sentence text)."""
    best = 0.0
    for phrase in concept.phrases:
        if phrase.credit > best and all(term in tokens for term in phrase.terms):
            best = phrase.credit
    for surface, credit in concept.surfaces:
        if credit > best and surface in text:
            best = credit
    return best


def coverage(concepts: Sequence[Concept], credits: Sequence[float]) -> float:
    """Share of the question's importance (idf) that a text says, given its credit per concept."""
    total = sum(c.importance for c in concepts)
    if total <= 0:
        return 0.0
    return sum(c.importance * credit for c, credit in zip(concepts, credits, strict=True)) / total


def _best(*credit_lists: Sequence[float]) -> list[float]:
    """Per concept, the best credit among several texts (a sentence and its neighbours...)."""
    return [max(column) for column in zip(*credit_lists, strict=True)]


def figure_bonus(kinds: tuple[str, ...], present: frozenset[str]) -> float:
    """How well the sentence's figure kinds (and "pp" units) fit the kinds the question wants."""
    for rank, kind in enumerate(kinds[: len(WANTED_FIGURE)]):
        if kind in present:
            return WANTED_FIGURE[rank]
    if present & QUANTITIES:
        # Any amount answers "how many" when the question does not say of what.
        return ANY_NUMBER if kinds else WANTED_FIGURE[1]
    return NO_FIGURE


def dedupe_key(text: str) -> str:
    """Sentence text without spaces and punctuation: repeated lines compare equal."""
    return _NOT_TEXT.sub("", text.lower())


def sort_figures(figures: tuple[Figure, ...], kinds: tuple[str, ...]) -> tuple[Figure, ...]:
    """Figures of the wanted kinds first (in the order wanted), then the rest as written."""
    order = {kind: rank for rank, kind in enumerate(kinds)}
    return tuple(sorted(figures, key=lambda f: order.get(f.kind, len(order))))


def choose_sentences(query: Query, passages: Sequence[CandidatePassage],
                     top: int) -> list[ChosenSentence]:
    """The `top` best distinct sentences of the candidate passages, best first."""
    concepts = [c for c in query.concepts if c.kind != "time"]
    focus = next((i for i, c in enumerate(concepts) if c.focus), None)
    entities = [i for i, c in enumerate(concepts) if c.entity]
    wanted_time = query.question.times
    kinds = query.question.kinds
    best_bm25 = max((p.score for p in passages), default=0.0) or 1.0
    scored: list[ChosenSentence] = []
    for passage in passages:
        sentences = passage.sentences
        if not sentences:
            continue
        credits = [[concept_match(c, s.tokens, s.folded) for c in concepts] for s in sentences]
        heading = [concept_match(c, passage.heading_tokens, passage.heading) for c in concepts]
        passage_credits = _best(heading, *credits)
        passage_coverage = coverage(concepts, passage_credits)
        grounded = all(passage_credits[i] > 0 for i in entities)
        if wanted_time:
            times = [find_times(s.folded) for s in sentences]
            passage_time = Times(frozenset().union(*(t.years for t in times)),
                                 frozenset().union(*(t.periods for t in times)))
        for index, sentence in enumerate(sentences):
            own = coverage(concepts, credits[index])
            # What the neighbours add: "那次" refers to the sentence before.
            around = coverage(concepts, _best(*credits[max(0, index - 1): index + 2]))
            score = (
                own
                + PASSAGE_COVERAGE * passage_coverage
                + NEIGHBOUR_COVERAGE * (around - own)
                + PASSAGE_BM25 * passage.score / best_bm25
            )
            if focus is not None and not credits[index][focus]:
                score += FOCUS_MISSING
            if not grounded:
                score += ENTITY_MISSING
            if query.question.quantity:
                score += figure_bonus(kinds, sentence.figure_kinds)
            if wanted_time:
                score += SENTENCE_TIME * compare_times(wanted_time, times[index])
                score += PASSAGE_TIME * compare_times(wanted_time, passage_time)
            context = max(passage_coverage, own)
            scored.append(ChosenSentence(sentence, passage, score, context, own, grounded))
    scored.sort(key=lambda c: (-c.score, c.sentence.sentence_id))
    chosen: list[ChosenSentence] = []
    seen: set[str] = set()
    for candidate in scored:
        key = dedupe_key(candidate.sentence.text)
        if key in seen:
            continue
        seen.add(key)
        chosen.append(candidate)
        if len(chosen) == top:
            break
    return chosen
