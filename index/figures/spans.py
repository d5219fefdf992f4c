"""Spans of a sentence already taken, tested for overlap in O(log n).

The extractor's passes each keep only figures that overlap nothing taken
before. Comparing a new span with every taken one was quadratic in the
number of figures, and a table flattened into one line holds thousands.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable


class SpanSet:
    """Half-open spans kept as disjoint runs in order, so one neighbour decides overlap."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(spans):
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) shares a character with a span in the set."""
        # The runs are disjoint and in order, so of those starting before
        # `end` only the last can reach past `start`.
        before = bisect_left(self._starts, end)
        return before > 0 and self._ends[before - 1] > start

    def add(self, start: int, end: int) -> None:
        """Add [start, end); a span touching the last run (in order) joins it."""
        if self._starts and self._starts[-1] <= start <= self._ends[-1]:
            self._ends[-1] = max(self._ends[-1], end)
        elif not self._starts or self._starts[-1] < start:
            self._starts.append(start)
            self._ends.append(end)
        else:  # out of order: rare, and only ever for disjoint spans
            index = bisect_left(self._starts, start)
            insort(self._starts, start)
            self._ends.insert(index, end)
