"""The `Figure` value object shared by the extractor, the store and the bot."""

from __future__ import annotations

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
