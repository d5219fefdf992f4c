"""The order an answer lists a sentence's figures in: the one the question asks for first.

A reader takes the first figure for the answer. Three things decide, in this order:
a figure the question itself states ("2010年底...多少" listing 2010年) is context, never
the answer, so it goes last; then the kinds the question wants (`wanted_kinds`); then how
many of the question's concepts the figure's metric (the phrase saying what it measures)
spells, in any spelling the question is looked up by (赚 finds 净利润), each counting
less the more of the sentence's metrics spell it (in "营收为95.13亿元, ..., 增长7.6%,
占总营收比例降至5%", 营收 hardly tells 5% from the amounts, while 增长 says 7.6%).
Ties keep the sentence's order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from index.figures import Figure
from index.sentence_table import QUANTITIES
from retrieval.query import Query


def order_figures(figures: Sequence[Figure], query: Query) -> tuple[Figure, ...]:
    """`figures` (of one sentence, as written) with the one `query` asks for first."""
    if len(figures) < 2:
        return tuple(figures)
    question = query.question
    wanted = {kind: rank for rank, kind in enumerate(question.kinds)}
    spellings = [[surface for surface, credit in concept.surfaces if credit > 0]
                 for concept in query.concepts if concept.kind != "time"]
    metrics = []
    for figure in figures:
        metric = figure.metric.lower()  # read from Simplified, half-width text (extract)
        metrics.append({index for index, forms in enumerate(spellings)
                        if any(form in metric for form in forms)})
    shared = Counter(concept for metric in metrics for concept in metric)
    given = [figure.value for figure in question.figures]

    def key(index: int) -> tuple[bool, int, float, int]:
        figure = figures[index]
        if figure.kind in wanted:
            kind = wanted[figure.kind]
        else:
            kind = len(wanted) + (0 if figure.kind in QUANTITIES else 1)
        match = sum(1 / shared[concept] for concept in metrics[index])
        return (_stated(figure, given), kind, -match, index)

    return tuple(figures[i] for i in sorted(range(len(figures)), key=key))


def _stated(figure: Figure, given: list[object]) -> bool:
    """The question states this figure's value: a number it repeats, or a date it names
    (a year in the question states each date of that year it narrows)."""
    for value in given:
        if value == figure.value:
            return True
        if isinstance(value, str) and isinstance(figure.value, str) and value and (
                figure.value.startswith(value) or value.startswith(figure.value)):
            return True
    return False
