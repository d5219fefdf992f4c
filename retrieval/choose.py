"""Choosing the answer sentences among the sentences of the best passages.

A sentence scores by how much of the question it says itself (concept
coverage, weighted by idf), helped by its passage (BM25 score and coverage)
and its neighbours, by holding a figure of the kind the question wants, and
by being about the question's time (demoted when about another time).
The same sentence text is never returned twice.
"""

from __future__ import annotations

import operator
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


class ConceptMatcher:
    """Credits a text with each concept it says: the best credit among the concept's phrases
    whose terms are all among the text's tokens and its spellings found in the folded text.

    Phrases and spellings are kept best first, so a look-up stops at the first that holds.
    """

    def __init__(self, concepts: Sequence[Concept]):
        self._concepts = [
            (
                sorted(((p.credit, frozenset(p.terms)) for p in c.phrases if p.credit > 0),
                       key=lambda pair: -pair[0]),
                sorted(((credit, surface) for surface, credit in c.surfaces if credit > 0),
                       key=lambda pair: -pair[0]),
            )
            for c in concepts
        ]
        self._importances = [c.importance for c in concepts]
        self._total = sum(self._importances)

    def credits(self, tokens: frozenset[str], text: str) -> list[float]:
        """Per concept, the credit `tokens` and `text` earn (0.0 when they do not say it)."""
        result = []
        for phrases, surfaces in self._concepts:
            best = 0.0
            for credit, terms in phrases:
                if terms <= tokens:
                    best = credit
                    break
            for credit, surface in surfaces:
                if credit <= best:
                    break
                if surface in text:
                    best = credit
                    break
            result.append(best)
        return result

    def coverage(self, credits: Sequence[float]) -> float:
        """Share of the question's importance (idf) that a text says, given its credits."""
        if self._total <= 0:
            return 0.0
        return sum(map(operator.mul, self._importances, credits)) / self._total


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
    matcher = ConceptMatcher(concepts)
    focus = next((i for i, c in enumerate(concepts) if c.focus), None)
    entities = [i for i, c in enumerate(concepts) if c.entity]
    wanted_time = query.question.times
    kinds = query.question.kinds
    best_bm25 = max((p.score for p in passages), default=0.0) or 1.0
    # (score, sentence id, sentence, passage, context coverage, own coverage, grounded)
    scored: list[tuple] = []
    for passage in passages:
        sentences = passage.sentences
        if not sentences:
            continue
        credits = [matcher.credits(s.tokens, s.folded) for s in sentences]
        heading = matcher.credits(passage.heading_tokens, passage.heading)
        passage_credits = _best(heading, *credits)
        passage_coverage = matcher.coverage(passage_credits)
        grounded = all(passage_credits[i] > 0 for i in entities)
        if wanted_time:
            times = [find_times(s.folded) for s in sentences]
            passage_time = Times(frozenset().union(*(t.years for t in times)),
                                 frozenset().union(*(t.periods for t in times)))
        # What the passage adds to every one of its sentences.
        shared = PASSAGE_COVERAGE * passage_coverage
        bm25 = PASSAGE_BM25 * passage.score / best_bm25
        for index, sentence in enumerate(sentences):
            own = matcher.coverage(credits[index])
            # What the neighbours add: "那次" refers to the sentence before.
            around = matcher.coverage(_best(*credits[max(0, index - 1): index + 2]))
            score = own + shared + NEIGHBOUR_COVERAGE * (around - own) + bm25
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
            scored.append((score, sentence.sentence_id, sentence, passage, context, own, grounded))
    scored.sort(key=lambda entry: (-entry[0], entry[1]))
    chosen: list[ChosenSentence] = []
    seen: set[str] = set()
    for score, _, sentence, passage, context, own, grounded in scored:
        key = dedupe_key(sentence.text)
        if key in seen:
            continue
        seen.add(key)
        chosen.append(ChosenSentence(sentence, passage, score, context, own, grounded))
        if len(chosen) == top:
            break
    return chosen
