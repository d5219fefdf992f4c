"""The order an answer lists a sentence's figures in: the one the question asks for first.

A reader takes the first figure for the answer. Three things decide, in this order:
a figure the question itself states ("2010年底...多少" listing 2010年) is context, never
the answer, so it goes last; then the kinds the question wants (`wanted_kinds`); then how
many of the question's words the figure's metric (the phrase saying what it measures)
repeats, each counting less the more of the sentence's metrics repeat it (in "营收为95.13
亿元, ..., 增长7.6%, 占总营收比例降至5%", 营收 hardly tells 5% from the amounts, while
增长 says 7.6%). Ties keep the sentence's order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from index.figures import Figure
from index.normalise import normalise
from index.sentence_table import QUANTITIES
from retrieval.question import ParsedQuestion


def order_figures(figures: Sequence[Figure], question: ParsedQuestion) -> tuple[Figure, ...]:
    """`figures` (of one sentence, as written) with the one `question` asks for first."""
    if len(figures) < 2:
        return tuple(figures)
    wanted = {kind: rank for rank, kind in enumerate(question.kinds)}
    words = {word.text for word in question.words if len(word.text) > 1}
    metrics = [{word for word in words if word in normalise(figure.metric)}
               for figure in figures]
    shared = Counter(word for metric in metrics for word in metric)
    given = [figure.value for figure in question.figures]

    def key(index: int) -> tuple[bool, int, float, int]:
        figure = figures[index]
        if figure.kind in wanted:
            kind = wanted[figure.kind]
        else:
            kind = len(wanted) + (0 if figure.kind in QUANTITIES else 1)
        match = sum(1 / shared[word] for word in metrics[index])
        return (_stated(figure, given), kind, -match, index)

    return tuple(figures[i] for i in sorted(range(len(figures)), key=key))


def _stated(figure: Figure, given: list[object]) -> bool:
    """The question states this figure's value: a number it repeats, or a date it names
    (a year in the question states each date of that year it narrows)."""
    for value in given:
        if value == figure.value and not isinstance(value, bool):
            return True
        if isinstance(value, str) and isinstance(figure.value, str) and value and (
                figure.value.startswith(value) or value.startswith(figure.value)):
            return True
    return False
