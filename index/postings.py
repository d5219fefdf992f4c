"""Term-major postings over passages: what BM25 needs, as compact arrays.

Stored as numpy arrays in the store so that a reader loads them in one read
each instead of millions of rows.
"""

from __future__ import annotations

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
    """Postings of passages given as token lists (column j = j-th list).

    Terms are numbered in order of first appearance; one pass in Python maps
    tokens to numbers, and numpy counts (term, passage) pairs, sorted by term
    then passage: a Counter per passage cost several times more.
    """
    vocabulary: dict[str, int] = {}
    number = vocabulary.setdefault
    term_ids: list[int] = []
    lengths: list[int] = []
    for tokens in token_lists:
        lengths.append(len(tokens))
        term_ids += [number(term, len(vocabulary)) for term in tokens]
    n_passages = len(lengths)
    passage_lengths = np.asarray(lengths, dtype=np.int64)
    columns = np.repeat(np.arange(n_passages, dtype=np.int64), passage_lengths)
    pairs, tf = np.unique(
        np.asarray(term_ids, dtype=np.int64) * max(n_passages, 1) + columns, return_counts=True
    )
    rows = pairs // max(n_passages, 1)
    df = np.bincount(rows, minlength=len(vocabulary)).astype(np.int32)
    indptr = np.zeros(len(vocabulary) + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    return Postings(
        terms=tuple(vocabulary),
        document_frequency=df,
        indptr=indptr,
        columns=(pairs % max(n_passages, 1)).astype(np.int32),
        tf=tf.astype(np.int32),
        lengths=passage_lengths.astype(np.int32),
    )
