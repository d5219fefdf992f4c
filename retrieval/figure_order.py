"""The order an answer lists a sentence's figures in: the one the question asks for first.

A reader takes the first figure for the answer. A figure the question itself states
("2010年底...多少" listing 2010年) is context, never the answer, so it never comes first.
The first is chosen by a small learned model (`figure_order.json`, LambdaMART) over
what tells the asked figure from its neighbours, measured on the public reading sets:
whether it is of a kind the question wants; whether its metric (the phrase saying what it
measures) spells the question's concepts; how much of the question, by idf, its clause
and the few characters either side of it say ("拼多多下跌 60%" against "腾讯股价下跌 20%"
for 拼多多股价跌了多少); whether the question's words next to its question word stand
right next to it ("市场预期的 256 亿"); and where it stands among the sentence's figures.
The others follow in `former_order`, which reads best (other amounts, then dates).

`describe_figures` computes those features (FIGURE_FEATURES, in order); the model file
records their names and version and refuses to load when they differ from the code's.
`retrieval.train_figures` writes it.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.figures import Figure
from index.normalise import normalise_with_offsets
from index.sentence_table import QUANTITIES
from retrieval.query import Query
from retrieval.ranker import ModelError, Predictor, import_lightgbm, read_model_file

FIGURE_MODEL_FORMAT = 1
SHIPPED_FIGURE_MODEL = "figure_order.json"
FIGURE_FEATURES_VERSION = 4
FIGURE_FEATURES: tuple[str, ...] = (
    "stated", "kind_rank", "kind_first", "kind_wanted", "unit_fit", "year_fit", "quantity",
    "metric_match", "clause_share", "before_share", "after_share", "near_share", "pre_run",
    "post_run", "position", "relative_position", "figures", "stated_before", "clause_chars",
    "nearest",
)
# Figures of one sentence the model orders; any further ones follow in the sentence's order
# (a pathological sentence of thousands of numbers costs no more than one of a few dozen).
MAX_ORDERED = 48
# Characters either side of a figure whose concepts count as said next to it.
BEFORE_CHARS, AFTER_CHARS = 10, 6
# Characters of the question on each side of its question word looked for next to a
# figure, and how far from it they may start.
CONTEXT_CHARS, CONTEXT_GAP = 8, 3
# Places a concept is looked for in one sentence, at most.
MAX_SPOTS = 50
# What ends a clause: the figure's clause is what it belongs to (腾讯股价下跌 20%).
_CLAUSE_ENDS = re.compile(r"[，,；;。！？!?：:（）()“”\"]")
_FAR = 99  # characters: no concept of the question near the figure


def _stated(figure: Figure, given: Sequence[object]) -> bool:
    """The question states this figure's value: a number it repeats, or a date it names
    (a year in the question states each date of that year it narrows)."""
    for value in given:
        if value == figure.value:
            return True
        if isinstance(value, str) and isinstance(figure.value, str) and value and (
                figure.value.startswith(value) or value.startswith(figure.value)
                # a date of no year (Q4, 3月) states that part of any year (2021年Q4)
                or value.startswith("XXXX-") and figure.value[4:] == value[4:]):
            return True
    return False


def _metric_matches(figures: Sequence[Figure], spellings: Sequence[Sequence[str]]
                    ) -> list[float]:
    """Per figure, how many of the question's concepts its metric spells, each counting
    less the more of the sentence's metrics spell it (in "营收为95.13亿元, ..., 增长7.6%",
    营收 hardly tells one amount from another, while 增长 says 7.6%)."""
    lowered = [figure.metric.lower() for figure in figures]
    metrics = [{index for index, forms in enumerate(spellings)
                if any(form in metric for form in forms)} if metric else set()
               for metric in lowered]
    shared = Counter(concept for metric in metrics for concept in metric)
    return [sum(1 / shared[concept] for concept in metric) for metric in metrics]


def _context_run(piece: str, window: str, suffix: bool) -> int:
    """The most characters of `piece`'s end (`suffix`) or start said in `window`."""
    for length in range(len(piece), 0, -1):
        if (piece[-length:] if suffix else piece[:length]) in window:
            return length
    return 0


@dataclass(frozen=True)
class AskedFigures:
    """What the figures of an answer's sentences are compared with, read from the question
    once per answer: its concepts (idf, spellings), its text either side of the question
    word, the kinds it wants and the values it states."""

    weights: tuple[float, ...]  # per concept but times: its idf
    surfaces: tuple[tuple[str, ...], ...]  # ... and its spellings
    before: str  # the question's characters before its question word
    after: str  # ... and after it
    wanted: dict[str, int]  # kind -> rank
    given: tuple[object, ...]  # values of the figures the question states
    units: frozenset[str] = frozenset()  # units its measure asks in (多少米 -> m)
    year: bool = False  # it asks which year

    @classmethod
    def of(cls, query: Query) -> AskedFigures:
        question = query.question
        concepts = [c for c in query.concepts if c.kind != "time"]
        start, end = question.asks
        asked = end > start
        return cls(
            weights=tuple(max(c.importance, 0.0) for c in concepts),
            surfaces=tuple(tuple(s for s, credit in c.surfaces if credit > 0 and s)
                           for c in concepts),
            before=question.normalised[max(0, start - CONTEXT_CHARS):start] if asked else "",
            after=question.normalised[end:end + CONTEXT_CHARS] if asked else "",
            wanted={kind: rank for rank, kind in enumerate(question.kinds)},
            given=tuple(figure.value for figure in question.figures),
            units=question.units,
            year=question.asks_year,
        )


def describe_figures(figures: Sequence[Figure], text: str, folded: str,
                     asked: AskedFigures) -> np.ndarray:
    """One row of FIGURE_FEATURES per figure of a sentence (`text` as written, `folded` its
    normalised form, which the figures' offsets into `text` are mapped onto)."""
    if len(folded) == len(text):
        origins: Sequence[int] = range(len(text) + 1)
    else:
        folded, origins = normalise_with_offsets(text)
    spans = [(bisect.bisect_left(origins, f.start), bisect.bisect_left(origins, f.end))
             for f in figures]
    cuts = [match.start() for match in _CLAUSE_ENDS.finditer(folded)]
    weights = asked.weights
    total = sum(weights) or 1.0
    spots = []  # per concept: where the sentence says it
    for surfaces in asked.surfaces:
        found: list[tuple[int, int]] = []
        for surface in surfaces:
            start = folded.find(surface)
            while start != -1 and len(found) < MAX_SPOTS:
                found.append((start, start + len(surface)))
                start = folded.find(surface, start + 1)
        spots.append(found)
    before, after, wanted = asked.before, asked.after, asked.wanted
    matches = _metric_matches(figures, asked.surfaces)
    stated = [_stated(figure, asked.given) for figure in figures]
    stated_ends = [(j, spans[j][1]) for j in range(len(figures)) if stated[j]]
    n = len(figures)
    rows = np.zeros((n, len(FIGURE_FEATURES)), np.float32)
    for index, figure in enumerate(figures):
        start, end = spans[index]
        at = bisect.bisect_left(cuts, start)
        clause_start = cuts[at - 1] + 1 if at else 0
        at = bisect.bisect_left(cuts, end)
        clause_end = cuts[at] if at < len(cuts) else len(folded)
        low, high = max(0, start - BEFORE_CHARS), end + AFTER_CHARS
        # Of the question's concepts said outside the figure: idf said in its clause, just
        # before it, just after it, either; and how far the weightiest one is.
        clause = before_it = after_it = near = 0.0
        nearest = (-1.0, _FAR)
        for weight, places in zip(weights, spots, strict=True):
            flags = [False, False, False]
            distance = _FAR
            for a, b in places:
                if a < end and b > start:
                    continue  # the figure's own text
                flags[0] = flags[0] or (clause_start <= a and b <= clause_end)
                flags[1] = flags[1] or (low <= a and b <= start)
                flags[2] = flags[2] or (end <= a and b <= high)
                distance = min(distance, start - b if b <= start else a - end)
            clause += weight * flags[0]
            before_it += weight * flags[1]
            after_it += weight * flags[2]
            near += weight * (flags[1] or flags[2])
            if places and weight > nearest[0]:
                nearest = (weight, distance)
        rank = wanted.get(figure.kind, len(wanted) + (0 if figure.kind in QUANTITIES else 1))
        rows[index] = (
            stated[index], rank, wanted.get(figure.kind) == 0, figure.kind in wanted,
            figure.unit in asked.units,
            asked.year and figure.kind == "date" and str(figure.value)[:4].isdigit(),
            figure.kind in QUANTITIES, matches[index],
            clause / total, before_it / total, after_it / total, near / total,
            _context_run(before, folded[max(0, start - CONTEXT_GAP - len(before)):start], True),
            _context_run(after, folded[end:end + CONTEXT_GAP + len(after)], False),
            index, index / max(n - 1, 1), n,
            any(j != index and 0 <= start - stated_end <= BEFORE_CHARS
                for j, stated_end in stated_ends),
            clause_end - clause_start, nearest[1],
        )
    return rows


class FigureOrder:
    """Orders a sentence's figures with the learned model; load with `FigureOrder.load`."""

    def __init__(self, booster: Any, report: dict[str, Any]):
        self._predictor = Predictor(booster)
        self.trees = booster.num_trees()
        self.report = report

    @classmethod
    def load(cls, path: Path | None = None) -> FigureOrder:
        """The model at `path`, or the one shipped with the package."""
        return cls.from_dict(read_model_file(path, SHIPPED_FIGURE_MODEL,
                                             "the figure order model"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FigureOrder:
        if data.get("format") != FIGURE_MODEL_FORMAT:
            raise ModelError(f"figure model format {data.get('format')} is not "
                             f"{FIGURE_MODEL_FORMAT}")
        if (tuple(data.get("features", ())) != FIGURE_FEATURES
                or data.get("features_version") != FIGURE_FEATURES_VERSION):
            raise ModelError("the figure order model was trained with other features than the "
                             "code computes: retrain it with `wenda train --figures`")
        booster = import_lightgbm().Booster(model_str=data["model"])
        return cls(booster, data.get("report", {}))

    def order(self, sentences: Sequence[tuple[Sequence[Figure], str, str]],
              query: Query) -> list[tuple[Figure, ...]]:
        """Each sentence's figures (given with the sentence as written and its normalised
        form): first the one the model finds `query` asks for (never one it states), then
        the others in `former_order`; all sentences of an answer scored in one call."""
        asked = AskedFigures.of(query)
        described = [(figures[:MAX_ORDERED], describe_figures(figures[:MAX_ORDERED], text,
                                                             folded, asked))
                     if len(figures) > 1 else (figures, None)
                     for figures, text, folded in sentences]
        rows = [features for _, features in described if features is not None]
        scores = self._predictor.predict(np.vstack(rows)).tolist() if rows else []
        ordered, taken = [], 0
        for (figures, features), (whole, _, _) in zip(described, sentences, strict=True):
            if features is None:
                ordered.append(tuple(whole))
                continue
            first = first_figure(features, np.asarray(scores[taken:taken + len(figures)]),
                                 date_flags(figures))
            taken += len(figures)
            rest = [i for i in former_order(features).tolist() if i != first]
            ordered.append((figures[first], *(figures[i] for i in rest), *whole[MAX_ORDERED:]))
        return ordered


_STATED = FIGURE_FEATURES.index("stated")
_WANTED = FIGURE_FEATURES.index("kind_wanted")
_FORMER = [FIGURE_FEATURES.index(name)
           for name in ("position", "metric_match", "kind_rank", "stated")]


def date_flags(figures: Sequence[Figure]) -> np.ndarray:
    """Per figure, whether it is a date (what `first_figure` reads besides the features)."""
    return np.array([figure.kind == "date" for figure in figures], bool)


def first_figure(features: np.ndarray, scores: np.ndarray, dates: np.ndarray) -> int:
    """The row listed first: the best scored of those the question does not state (ties to
    the earliest); but never a date (`dates` flags them) the question does not want while
    a figure of a kind it wants is there: "快手电商GMV是多少亿" of "在2021年帮助快手电商GMV
    取得78.4%的增长,规模达到6800亿元" lists 6800亿元 first, though 快手电商GMV follows
    2021年. Out of fold on the public sets, that changed two first figures of 632, both
    to the asked one."""
    order = np.lexsort((np.arange(len(scores)), -scores, features[:, _STATED]))
    first = int(order[0])
    if dates[first] and not features[first, _WANTED]:
        wanted = order[(features[order, _WANTED] > 0) & (features[order, _STATED] == 0)]
        if len(wanted):
            return int(wanted[0])
    return first


def former_order(features: np.ndarray) -> np.ndarray:
    """The order a list reads best in after its first figure: stated figures last, then
    the wanted kinds (amounts before dates when none is wanted), then the metric's match,
    then the sentence's order. Indices of `describe_figures` rows, first to last."""
    position, match, kind, stated = (features[:, column] for column in _FORMER)
    return np.lexsort((position, -match, kind, stated))
