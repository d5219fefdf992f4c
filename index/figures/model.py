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
    return kinds_of((figure.kind, figure.unit) for figure in figures)


def kinds_of(kinds_and_units: Iterable[tuple[str, str | None]]) -> tuple[str, ...]:
    """`figure_kinds` of figures given as (kind, unit) pairs."""
    kinds: set[str] = set()
    for kind, unit in kinds_and_units:
        kinds.add(kind)
        if unit == "pp":
            kinds.add("pp")
    return tuple(sorted(kinds))
