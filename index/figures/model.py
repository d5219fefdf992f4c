"""The `Figure` value object shared by the extractor, the store and the bot."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

Value = float | int | tuple[float, float] | str | None


@dataclass(frozen=True)
class Figure:
    """One quantity found in a sentence, with what it measures.

    `start`/`end` are character offsets of `text` in the sentence it came
    from; qualifiers such as 超过 or 左右 sit outside that span.
    """

    text: str
    kind: str  # money|percent|count|ratio|date|multiple|rank|other
    value: Value
    unit: str | None
    qualifier: str | None
    metric: str
    start: int
    end: int
    subtype: str | None = None  # "duration" for spans of time (kind "other")


def figure_kinds(figures: Iterable[Figure]) -> tuple[str, ...]:
    """The distinct kinds of some figures, plus "pp" when one is in percentage points.

    Stored with each sentence, so that ranking knows what a sentence quantifies
    without reading its figures.
    """
    kinds = {figure.kind for figure in figures}
    if any(figure.unit == "pp" for figure in figures):
        kinds.add("pp")
    return tuple(sorted(kinds))
