"""Term-major postings over passages: what BM25 needs, as compact arrays.

Stored as numpy arrays in the store so that a reader loads them in one read
each instead of millions of rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from index.distinct import count_runs, merge_sorted

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
    its worker numbered); each batch's (term, passage) pairs are packed into
    one int64 and sorted as the batch comes, while the workers read on, and
    `finish` merges the sorted runs (a stable sort finds them) and counts
    them: a Counter per passage cost several times more, and one sort of
    every pair at the end took 1.4 s of the build's serial end at 100k passages.
    """

    def __init__(self) -> None:
        self._vocabulary: dict[str, int] = Vocabulary()
        self._pair_parts: list[np.ndarray] = []  # term << 32 | column, sorted, a batch each
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
            self._add_pairs(np.concatenate(self._batch), len(self._batch))
            self._batch = []

    def _add_pairs(self, ids: np.ndarray, passages: int) -> None:
        """Keep the (term, passage) pairs of the last `passages` passages added, whose
        tokens' ids are `ids`, packed and sorted (a batch's sort is done while the workers
        read on; `finish` merges the sorted runs)."""
        first = len(self._lengths) - passages
        lengths = np.asarray(self._lengths[first:], dtype=np.int64)
        columns = np.repeat(np.arange(first, len(self._lengths), dtype=np.int64), lengths)
        self._pair_parts.append(np.sort(ids << 32 | columns))

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
        token_ids = numbers[ids]
        self._lengths += lengths.tolist()
        self._add_pairs(token_ids, len(lengths))
        return token_ids

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
        pairs, tf = count_runs(merge_sorted(self._pair_parts))
        rows = pairs >> 32
        df = np.bincount(rows, minlength=len(vocabulary)).astype(np.int32)
        indptr = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        return Postings(
            terms=tuple(vocabulary),
            document_frequency=df,
            indptr=indptr,
            columns=(pairs & 0xFFFFFFFF).astype(np.int32),
            tf=tf.astype(np.int32),
            lengths=np.asarray(self._lengths, dtype=np.int32),
        )


def build_postings(token_lists: Iterable[list[str]]) -> Postings:
    """Postings of passages given as token lists (column j = j-th list)."""
    builder = PostingsBuilder()
    for tokens in token_lists:
        builder.add(tokens)
    return builder.finish()
