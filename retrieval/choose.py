"""The hand-written description of candidate sentences, now features of the learned ranker.

A sentence is described by how much of the question it says itself (concept
coverage, weighted by idf), what its passage and neighbours say, whether it
holds a figure of the kind the question wants, and whether it is about the
question's time. `score_sentences` keeps each part and the old hand-weighted
sum; `retrieval.features` hands them to the ranker, which learns how much each
is worth.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
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
# "较三年前(2016 年)的 4794 名", "较2020年同期": a year compared against is not the
# year the sentence is about.
_BASELINE = re.compile(r"(?:较|比|相比|相较|对比)[^,，;；。]{0,8}?(?:19|20)\d{2}\s*年?")
# Figure kinds that answer "how much": dates and ranks do not.
QUANTITIES = frozenset({"money", "percent", "count", "ratio", "multiple"})


@dataclass(frozen=True)
class CandidateSentence:
    sentence_id: int
    passage_id: int
    position: int
    text: str
    folded: str  # the normalised text (stored by the index): what spellings are looked for in
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


# The tokens and folded text around each of some passages (those that do not name the
# company asked about themselves), by passage id; None where they cannot ground it.
Context = tuple[frozenset[str], str]
Nearby = Callable[[Sequence[CandidatePassage]], "dict[int, Context | None]"]


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


def carry_times(times: list[Times]) -> list[Times]:
    """Each sentence's times, or those of the closest sentence before it that names one:
    "当年年初DAU是1亿" is about the year the sentence before it named."""
    carried: list[Times] = []
    for own in times:
        if not (own.years or own.periods) and carried:
            own = carried[-1]
        carried.append(own)
    return carried


def _other_year(wanted: Times, own: Times, before: Times) -> bool:
    """True when the sentence (or, when it names none, the one before) names years, none of
    them wanted, and the sentence before does not name a wanted one either."""
    years = own.years or before.years
    return bool(wanted.years and years and not wanted.years & (years | before.years))


def dedupe_key(text: str) -> str:
    """Sentence text without spaces and punctuation: repeated lines compare equal."""
    return _NOT_TEXT.sub("", text.lower())


def sort_figures(figures: tuple[Figure, ...], kinds: tuple[str, ...]) -> tuple[Figure, ...]:
    """Figures of the wanted kinds first (in the order wanted), then other amounts, then
    dates and the rest, each group as written."""
    order = {kind: rank for rank, kind in enumerate(kinds)}

    def rank(figure: Figure) -> int:
        if figure.kind in order:
            return order[figure.kind]
        return len(order) + (0 if figure.kind in QUANTITIES else 1)

    return tuple(sorted(figures, key=rank))


@dataclass(frozen=True)
class SentenceSignals:
    """What the hand-written sentence score is made of, for one candidate sentence: the
    learned ranker reads each part as a feature."""

    sentence: CandidateSentence
    passage: CandidatePassage
    score: float  # the hand-written score
    own: float  # coverage of the question's concepts by the sentence itself
    around: float  # ... by the sentence and its neighbours
    passage_coverage: float  # ... by the whole passage and its heading
    topic: float  # share of what it asks besides its companies said around the sentence
    grounded: bool
    focus_missing: bool
    figure_fit: float  # figure_bonus, 0 when the question asks for no figure
    sentence_time: float  # compare_times with the sentence's (carried) times, 0 when none asked
    passage_time: float
    other_year: bool


def score_sentences(query: Query, passages: Sequence[CandidatePassage],
                    nearby: Nearby | None = None) -> list[SentenceSignals]:
    """Every sentence of the candidate passages with its hand-written score and its parts.

    `nearby` gives the tokens and folded text around the passages that do not name the
    company asked about themselves (asked once, for all of them).
    """
    concepts = [c for c in query.concepts if c.kind != "time"]
    matcher = ConceptMatcher(concepts)
    entities = [i for i, c in enumerate(concepts) if c.entity]
    passages = [p for p in passages if p.sentences]
    credits = [[matcher.credits(s.tokens, s.folded) for s in p.sentences] for p in passages]
    passage_credits = [
        _best(matcher.credits(p.heading_tokens, p.heading), *own)
        for p, own in zip(passages, credits, strict=True)
    ]
    grounded = [all(c[i] > 0 for i in entities) for c in passage_credits]
    ungrounded = [p for p, g in zip(passages, grounded, strict=True) if not g]
    if ungrounded and nearby is not None:
        # A paragraph often names the company only in the one before it
        # ("《报告》提到..." after "智联招聘...").
        contexts = nearby(ungrounded)
        for index, passage in enumerate(passages):
            context = None if grounded[index] else contexts.get(passage.passage_id)
            if context is not None:
                around = matcher.credits(*context)
                grounded[index] = all(passage_credits[index][i] > 0 or around[i] > 0
                                      for i in entities)
    scorer = _SentenceScorer(query, concepts, matcher,
                             max((p.score for p in passages), default=0.0) or 1.0)
    scored: list[SentenceSignals] = []
    for passage, own, whole, ground in zip(passages, credits, passage_credits, grounded,
                                           strict=True):
        scored.extend(scorer.score(passage, own, whole, ground))
    return scored


class _SentenceScorer:
    """The hand-written score of each sentence of a passage, from its concepts' credits."""

    def __init__(self, query: Query, concepts: list[Concept], matcher: ConceptMatcher,
                 best_bm25: float):
        self.query = query
        self.matcher = matcher
        self.focus = next((i for i, c in enumerate(concepts) if c.focus), None)
        self.topics = [i for i, c in enumerate(concepts) if not c.entity]
        self.topic_matcher = ConceptMatcher([concepts[i] for i in self.topics])
        self.best_bm25 = best_bm25

    def score(self, passage: CandidatePassage, credits: list[list[float]],
              passage_credits: list[float], grounded: bool) -> list[SentenceSignals]:
        matcher, topics, focus = self.matcher, self.topics, self.focus
        question = self.query.question
        wanted_time = question.times
        kinds = question.kinds
        sentences = passage.sentences
        passage_coverage = matcher.coverage(passage_credits)
        if wanted_time:
            own_times = [find_times(_BASELINE.sub("", s.folded)) for s in sentences]
            times = carry_times(own_times)
            passage_times = Times(frozenset().union(*(t.years for t in times)),
                                  frozenset().union(*(t.periods for t in times)))
        # What the passage adds to every one of its sentences.
        shared = PASSAGE_COVERAGE * passage_coverage
        bm25 = PASSAGE_BM25 * passage.score / self.best_bm25
        scored = []
        for index, sentence in enumerate(sentences):
            own = matcher.coverage(credits[index])
            # What the neighbours add: "那次" refers to the sentence before.
            near = _best(*credits[max(0, index - 1): index + 2])
            around = matcher.coverage(near)
            topic = self.topic_matcher.coverage([near[i] for i in topics]) if topics else 1.0
            focus_missing = focus is not None and not credits[index][focus]
            fit = (figure_bonus(kinds, sentence.figure_kinds)
                   if question.quantity or kinds else 0.0)
            sentence_time = passage_time = 0.0
            if wanted_time:
                sentence_time = compare_times(wanted_time, times[index])
                passage_time = compare_times(wanted_time, passage_times)
            score = (own + shared + NEIGHBOUR_COVERAGE * (around - own) + bm25 + fit
                     + FOCUS_MISSING * focus_missing + ENTITY_MISSING * (not grounded)
                     + SENTENCE_TIME * sentence_time + PASSAGE_TIME * passage_time)
            # "在当时...较三年前(2016 年)": the sentence before may say the year it is about.
            other_year = bool(wanted_time) and _other_year(
                wanted_time, own_times[index], times[index - 1] if index else Times()
            )
            scored.append(SentenceSignals(
                sentence=sentence, passage=passage, score=score, own=own, around=around,
                passage_coverage=passage_coverage, topic=topic, grounded=grounded,
                focus_missing=focus_missing, figure_fit=fit, sentence_time=sentence_time,
                passage_time=passage_time, other_year=other_year,
            ))
        return scored
