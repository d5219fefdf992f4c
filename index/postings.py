"""Term-major postings over passages: what BM25 needs, as compact arrays.

Stored as numpy arrays in the store so that a reader loads them in one read
each instead of millions of rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from index.distinct import run_starts

# Passages whose tokens are numbered together: bounds the token list held at once.
_BATCH_PASSAGES = 4096


@dataclass(frozen=True)
class Postings:
    """CSR matrix, rows = terms (`terms[i]`), columns = passages, values = term frequency."""

    terms: tuple[str, ...]
    document_frequency: np.ndarray  # int32 [n_terms]
    indptr: np.ndarray  # int64 [n_terms + 1]
    columns: np.ndarray  # int32 [nnz]
    tf: np.ndarray  # int32 [nnz]
    lengths: np.ndarray  # int32 [n_passages]: tokens per passage


class Vocabulary(dict):
    """term -> number, in order of first appearance: an unknown term gets the next one."""

    def __missing__(self, term: str) -> int:
        number = self[term] = len(self)
        return number


class PostingsBuilder:
    """Postings built a passage at a time, so that a reindex numbers the tokens of each
    file as it arrives (while workers read the next ones) instead of all at the end.

    Terms are numbered in order of first appearance as passages are added (one
    dict look-up per token, called from C, or one per distinct term of a file
    its worker numbered) and kept as arrays; `finish` counts (term, passage)
    pairs with numpy, sorted by term then passage: a Counter per passage cost
    several times more.
    """

    def __init__(self) -> None:
        self._vocabulary: dict[str, int] = Vocabulary()
        self._id_parts: list[np.ndarray] = []
        self._lengths: list[int] = []
        self._batch: list[np.ndarray] = []
        self._new_terms: list[str] = []

    def add(self, tokens: list[str]) -> np.ndarray:
        """Add the next passage (its column is the number of passages added before it);
        return its tokens' ids."""
        before = len(self._vocabulary)
        ids = np.fromiter(map(self._vocabulary.__getitem__, tokens), np.int64, len(tokens))
        self._note_new_terms(before)
        self._batch.append(ids)
        self._lengths.append(len(ids))
        if len(self._batch) >= _BATCH_PASSAGES:
            self._flush()
        return ids

    def _flush(self) -> None:
        if self._batch:
            self._id_parts.append(np.concatenate(self._batch))
            self._batch = []

    def add_numbered(self, terms: Sequence[str], ids: np.ndarray,
                     lengths: np.ndarray) -> np.ndarray:
        """Add passages whose tokens are numbered already, within their file: `terms` in
        order of first appearance, `ids` each token's index in `terms` (passage after
        passage) and `lengths` tokens per passage. Return the tokens' ids.

        The same as adding each passage's tokens (new terms are numbered in the order
        they first appear), with one look-up per distinct term instead of one per token.
        """
        self._flush()  # passages added before these come first
        before = len(self._vocabulary)
        numbers = np.fromiter(map(self._vocabulary.__getitem__, terms), np.int64, len(terms))
        self._note_new_terms(before)
        self._id_parts.append(numbers[ids])
        self._lengths += lengths.tolist()
        return self._id_parts[-1]

    def _note_new_terms(self, before: int) -> None:
        """Keep the terms numbered since the vocabulary held `before` terms, for take_new_terms."""
        vocabulary = self._vocabulary
        if len(vocabulary) > before:
            # The terms numbered just now are the vocabulary's last ones (a dict keeps order).
            added = list(itertools.islice(reversed(vocabulary), len(vocabulary) - before))
            self._new_terms += reversed(added)

    def take_new_terms(self) -> list[str]:
        """Terms numbered since the last call, in order."""
        new, self._new_terms = self._new_terms, []
        return new

    def finish(self) -> Postings:
        """The postings of every passage added."""
        self._flush()
        vocabulary = self._vocabulary
        n_passages = len(self._lengths)
        passage_lengths = np.asarray(self._lengths, dtype=np.int64)
        columns = np.repeat(np.arange(n_passages, dtype=np.int64), passage_lengths)
        term_ids = np.concatenate(self._id_parts) if self._id_parts else np.zeros(0, np.int64)
        # np.unique(..., return_counts=True), less its extra passes over the pairs.
        pairs = np.sort(term_ids * max(n_passages, 1) + columns)
        starts = run_starts(pairs[1:] != pairs[:-1], len(pairs))
        tf = np.diff(np.append(starts, len(pairs)))
        pairs = pairs[starts]
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


def build_postings(token_lists: Iterable[list[str]]) -> Postings:
    """Postings of passages given as token lists (column j = j-th list)."""
    builder = PostingsBuilder()
    for tokens in token_lists:
        builder.add(tokens)
    return builder.finish()
