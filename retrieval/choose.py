"""The hand-written description of candidate sentences, now features of the learned ranker.

A sentence is described by how much of the question it says itself (concept
coverage, weighted by idf), what its passage and neighbours say, whether it
holds a figure of the kind the question wants, and whether it is about the
question's time. `score_sentences` computes each part and the old
hand-weighted sum for all candidate sentences at once (`HandScores`, arrays
over a `CandidateSet`); `retrieval.features` hands them to the ranker, which
learns how much each is worth.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np

from index.sentence_table import QUANTITIES, kinds_of_bits
from retrieval.query import Concept, Query
from retrieval.sentences import (
    CandidatePassage,
    CandidateSentence,
    CandidateSet,
    WordIds,
)
from retrieval.times import Times, compare_times, find_times, may_name_time

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

    def credits_of(self, candidates: CandidateSet, words: WordIds) -> np.ndarray:
        """[sentences, concepts]: `credits` of every candidate sentence at once. The best
        phrase held is the one a look-up would stop at (phrases are kept best first), and
        a spelling found counts when it is worth more."""
        needed = list(dict.fromkeys(t for phrases, _ in self._concepts
                                    for _, terms in phrases for t in terms))
        column = {t: i for i, t in enumerate(needed)}
        held = candidates.holds(np.asarray([words.get(t) for t in needed], np.int64))
        result = np.zeros((candidates.count, len(self._concepts)))
        for index, (phrases, surfaces) in enumerate(self._concepts):
            best = result[:, index]
            for credit, terms in reversed(phrases):  # the best phrase held wins
                said = held[:, [column[t] for t in terms]].all(axis=1)
                best[said] = credit
            for credit, surface in reversed(surfaces):
                best[candidates.contains(surface, best < credit)] = credit
        return result

    def coverage_of(self, credits: np.ndarray) -> np.ndarray:
        """`coverage` of each row of a [texts, concepts] credit matrix."""
        return weighted_coverage(credits, self._importances)


def weighted_coverage(credits: np.ndarray, importances: Sequence[float]) -> np.ndarray:
    """Per row of a [texts, concepts] credit matrix, its credits weighed by the concepts'
    importances, as a share of their sum."""
    whole = sum(importances)
    if whole <= 0:
        return np.zeros(len(credits))
    total = 0
    for column, importance in enumerate(importances):  # in coverage's order
        total = total + importance * credits[:, column]
    return total / whole


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


def _names_others(wanted: frozenset, own: frozenset, before: frozenset) -> bool:
    """True when the sentence (or, when it names none, the one before) names years, or
    quarters and halves, none of them wanted, and the sentence before does not name a
    wanted one either: a sentence about 三季度 only does not say what 四季度 asks."""
    named = own or before
    return bool(wanted and named and not wanted & (named | before))


def dedupe_key(text: str) -> str:
    """Sentence text without spaces and punctuation: repeated lines compare equal."""
    return _NOT_TEXT.sub("", text.lower())


@dataclass(frozen=True)
class SentenceSignals:
    """What the hand-written sentence score is made of, for one candidate sentence: the
    learned ranker reads each part as a feature (from `HandScores`, all at once)."""

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
    other_period: bool  # the same of the quarter or half of the year asked


@dataclass(frozen=True)
class HandScores:
    """The hand-written score and its parts for every sentence of a CandidateSet, as
    arrays (SentenceSignals' fields, one value per sentence)."""

    candidates: CandidateSet
    score: np.ndarray
    own: np.ndarray
    around: np.ndarray
    passage_coverage: np.ndarray
    topic: np.ndarray
    grounded: np.ndarray  # bool
    focus_missing: np.ndarray  # bool
    figure_fit: np.ndarray
    sentence_time: np.ndarray
    passage_time: np.ndarray
    other_year: np.ndarray  # bool
    other_period: np.ndarray  # bool

    def signal(self, row: int, text: str) -> SentenceSignals:
        """One sentence's parts (`text` as written)."""
        candidates = self.candidates
        return SentenceSignals(
            sentence=candidates.sentence(row, text),
            passage=candidates.passages[int(candidates.group[row])],
            score=float(self.score[row]), own=float(self.own[row]),
            around=float(self.around[row]),
            passage_coverage=float(self.passage_coverage[row]), topic=float(self.topic[row]),
            grounded=bool(self.grounded[row]), focus_missing=bool(self.focus_missing[row]),
            figure_fit=float(self.figure_fit[row]),
            sentence_time=float(self.sentence_time[row]),
            passage_time=float(self.passage_time[row]), other_year=bool(self.other_year[row]),
            other_period=bool(self.other_period[row]),
        )

    def signals(self, rows: Sequence[int], texts: Sequence[str]) -> KeptSignals:
        """The parts of the sentences an answer keeps (`texts` as written), made as read."""
        return KeptSignals(self, rows, texts)


class KeptSignals(Sequence[SentenceSignals]):
    """The SentenceSignals of the sentences a question keeps, in their order, each made
    when first read: an answer reads its best few (a refused question only the best), and
    making all of them cost a question a quarter of a millisecond."""

    def __init__(self, hand: HandScores, rows: Sequence[int], texts: Sequence[str]):
        self._hand = hand
        self._rows = list(rows)
        self._texts = list(texts)
        self._made: list[SentenceSignals | None] = [None] * len(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> SentenceSignals: ...

    @overload
    def __getitem__(self, index: slice) -> list[SentenceSignals]: ...

    def __getitem__(self, index: int | slice) -> SentenceSignals | list[SentenceSignals]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        made = self._made[index]
        if made is None:
            made = self._made[index] = self._hand.signal(self._rows[index], self._texts[index])
        return made


def score_sentences(query: Query, candidates: CandidateSet, words: WordIds,
                    nearby: Nearby | None = None) -> HandScores:
    """Every candidate sentence's hand-written score and its parts.

    `nearby` gives the tokens and folded text around the passages that do not name the
    company asked about themselves (asked once, for all of them).
    """
    concepts = [c for c in query.concepts if c.kind != "time"]
    matcher = ConceptMatcher(concepts)
    entities = [i for i, c in enumerate(concepts) if c.entity]
    passages = candidates.passages
    credits = matcher.credits_of(candidates, words)
    passage_credits = np.zeros((len(passages), len(concepts)))
    if len(passages) and concepts:
        passage_credits = np.maximum.reduceat(credits, candidates.starts, axis=0)
    if len(passages):  # a section's passages share their heading
        headings: dict[tuple[str, frozenset[str]], list[float]] = {}
        for passage in passages:
            key = (passage.heading, passage.heading_tokens)
            if key not in headings:
                headings[key] = matcher.credits(passage.heading_tokens, passage.heading)
        heading_credits = [headings[(p.heading, p.heading_tokens)] for p in passages]
        passage_credits = np.maximum(np.asarray(heading_credits).reshape(passage_credits.shape),
                                     passage_credits)
    grounded = (passage_credits[:, entities] > 0).all(axis=1)
    if not grounded.all() and nearby is not None:
        # A paragraph often names the company only in the one before it
        # ("《报告》提到..." after "智联招聘...").
        contexts = nearby([p for p, g in zip(passages, grounded, strict=True) if not g])
        for index, passage in enumerate(passages):
            context = None if grounded[index] else contexts.get(passage.passage_id)
            if context is not None:
                around = matcher.credits(*context)
                grounded[index] = all(passage_credits[index][i] > 0 or around[i] > 0
                                      for i in entities)
    group = candidates.group
    own = matcher.coverage_of(credits)
    # What the neighbours add: "那次" refers to the sentence before.
    near = np.maximum(np.maximum(credits[candidates.before], credits), credits[candidates.after])
    around = matcher.coverage_of(near)
    topics = [i for i, c in enumerate(concepts) if not c.entity]
    topic = (weighted_coverage(near[:, topics], [concepts[i].importance for i in topics])
             if topics else np.ones(candidates.count))
    focus = next((i for i, c in enumerate(concepts) if c.focus), None)
    focus_missing = (credits[:, focus] == 0 if focus is not None
                     else np.zeros(candidates.count, bool))
    question = query.question
    fit = np.zeros(candidates.count)
    if question.quantity or question.kinds:
        values, which = np.unique(candidates.kind_bits, return_inverse=True)
        fit = np.array([figure_bonus(question.kinds, kinds_of_bits(value))
                        for value in values.tolist()])[which]
    times = _TimeScores(question.times, candidates)
    passage_coverage = matcher.coverage_of(passage_credits)[group]
    best_bm25 = max((p.score for p in passages), default=0.0) or 1.0
    shared = PASSAGE_COVERAGE * passage_coverage
    bm25 = (PASSAGE_BM25 * np.fromiter((p.score for p in passages), np.float64, len(passages))
            / best_bm25)[group]
    score = (own + shared + NEIGHBOUR_COVERAGE * (around - own) + bm25 + fit
             + FOCUS_MISSING * focus_missing + ENTITY_MISSING * ~grounded[group]
             + SENTENCE_TIME * times.sentence + PASSAGE_TIME * times.passage)
    return HandScores(
        candidates=candidates, score=score, own=own, around=around,
        passage_coverage=passage_coverage, topic=topic, grounded=grounded[group],
        focus_missing=focus_missing, figure_fit=fit, sentence_time=times.sentence,
        passage_time=times.passage, other_year=times.other_year,
        other_period=times.other_period,
    )


class _TimeScores:
    """How each sentence's and its passage's times fit the question's (zeros when it
    names none): the sentence's own times, or the closest before it in its passage."""

    def __init__(self, wanted: Times, candidates: CandidateSet):
        n = candidates.count
        self.sentence, self.passage = np.zeros(n), np.zeros(n)
        self.other_year = np.zeros(n, bool)
        self.other_period = np.zeros(n, bool)
        if not wanted:
            return
        row = 0
        for number in range(len(candidates.passages)):
            memo = candidates.memo(number)
            if "times" not in memo:
                memo["times"] = [
                    # Most sentences name no time: neither the baseline nor a parse.
                    find_times(_BASELINE.sub("", folded)) if may_name_time(folded)
                    else Times()
                    for folded in candidates.passage_sentences(number)
                ]
            own_times = memo["times"]
            times = carry_times(own_times)
            whole = Times(frozenset().union(*(t.years for t in times)),
                          frozenset().union(*(t.periods for t in times)))
            passage_time = compare_times(wanted, whole)
            for index in range(len(times)):
                self.sentence[row] = compare_times(wanted, times[index])
                self.passage[row] = passage_time
                # "在当时...较三年前(2016 年)": the sentence before may say the year it is about.
                before = times[index - 1] if index else Times()
                own = own_times[index]
                self.other_year[row] = _names_others(wanted.years, own.years, before.years)
                self.other_period[row] = _names_others(wanted.periods, own.periods,
                                                       before.periods)
                row += 1
