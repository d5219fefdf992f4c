"""Arrays of the store's arrays file read by slices (pread), never mapped.

The postings are most of a large store (2.4 of 3.3 GB at a million
passages) and each question reads a few long runs of them. Mapped, every
run a question touches stays in the process's resident set for good, and
where the page cache holds the file in huge folios (as it does right after a
build wrote it) one touch maps two megabytes: serving a million passages
grew to 3.3 GB. Read into a fresh buffer instead, a question's postings cost
one copy, the one the concatenation of its terms' runs made anyway, and are
freed with the answer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np


class SliceError(OSError):
    """The arrays file ended before a slice did: it was cut short or replaced."""


@dataclass(frozen=True)
class SlicedArray:
    """A one-dimensional array at `offset` of an open file, read by `gather`."""

    file: BinaryIO
    offset: int  # bytes
    dtype: np.dtype
    length: int

    def __len__(self) -> int:
        return self.length

    def gather(self, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
        """The runs [start, stop) end to end, in the order given (one read a run)."""
        sizes = stops - starts
        if len(starts) and (starts.min() < 0 or stops.max() > self.length or sizes.min() < 0):
            raise SliceError(f"a slice outside an array of {self.length}")
        width = self.dtype.itemsize
        out = np.empty(int(sizes.sum()), dtype=self.dtype)
        buffer = memoryview(out).cast("B")
        ends = np.cumsum(sizes * width).tolist()
        fd, read = self.file.fileno(), 0
        for offset, begin, end in zip((self.offset + starts * width).tolist(), [0, *ends][:-1],
                                      ends, strict=True):
            read += os.preadv(fd, [buffer[begin:end]], offset)
        if read != out.nbytes:
            raise SliceError(f"the arrays file ended inside a slice "
                             f"({read} of {out.nbytes} bytes read)")
        return out


def gather_runs(array: np.ndarray | SlicedArray, starts: np.ndarray,
                stops: np.ndarray) -> np.ndarray:
    """The runs [start, stop) of `array`, in memory or read by slices, end to end."""
    if isinstance(array, SlicedArray):
        return array.gather(starts, stops)
    if len(starts) == 0:
        return array[:0]
    if len(starts) == 1:
        return array[int(starts[0]):int(stops[0])]
    runs = zip(starts.tolist(), stops.tolist(), strict=True)
    return np.concatenate([array[a:b] for a, b in runs])
