"""Term-major postings over passages: what BM25 needs, as compact arrays.

Stored as numpy arrays in the store so that a reader loads them in one read
each instead of millions of rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Postings:
    """CSR matrix, rows = terms (`terms[i]`), columns = passages, values = term frequency."""

    terms: tuple[str, ...]
    document_frequency: np.ndarray  # int32 [n_terms]
    indptr: np.ndarray  # int64 [n_terms + 1]
    columns: np.ndarray  # int32 [nnz]
    tf: np.ndarray  # int32 [nnz]
    lengths: np.ndarray  # int32 [n_passages]: tokens per passage


def build_postings(token_lists: Iterable[list[str]]) -> Postings:
    """Postings of passages given as token lists (column j = j-th list)."""
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    counts: list[int] = []
    lengths: list[int] = []
    for column, tokens in enumerate(token_lists):
        lengths.append(len(tokens))
        for term, count in Counter(tokens).items():
            rows.append(vocabulary.setdefault(term, len(vocabulary)))
            columns.append(column)
            counts.append(count)
    row_array = np.asarray(rows, dtype=np.int64)
    # Stable sort by term keeps columns ascending within each row.
    order = np.argsort(row_array, kind="stable")
    df = np.bincount(row_array, minlength=len(vocabulary)).astype(np.int32)
    indptr = np.zeros(len(vocabulary) + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    return Postings(
        terms=tuple(vocabulary),
        document_frequency=df,
        indptr=indptr,
        columns=np.asarray(columns, dtype=np.int32)[order],
        tf=np.asarray(counts, dtype=np.int32)[order],
        lengths=np.asarray(lengths, dtype=np.int32),
    )
