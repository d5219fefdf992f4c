"""Distinct values of an integer array, sorted.

`np.unique` without its return_* options takes a hash-based path in numpy 2.x that
measured 10-30 times slower than a sort on this project's int64 keys (3.2 ms
against 0.15 ms for 12,000 bigram keys), so hot paths use this instead.
"""

from __future__ import annotations

import numpy as np


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of `values`, ascending (as `np.unique(values)`)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]
