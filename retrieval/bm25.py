"""BM25 over passages as a precomputed sparse matrix of term weights.

Scores are exactly rank_bm25's `BM25Okapi` (k1, b, epsilon and its idf
floor), but every weight is computed once at load, vectorised, so a query
only adds up the rows of its terms with `np.bincount`: no Python loop over
passages. Few postings are summed without an array over all passages; many
are summed densely and only the passages whose block of passages may reach
the top k are looked at.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

logger = logging.getLogger(__name__)

# Weights are computed this many postings at a time, so that the temporary
# arrays stay small next to the postings themselves on million-passage stores.
_CHUNK = 1 << 22
# Queries with fewer postings than passages / this are summed without a dense array.
_SPARSE_RATIO = 16
# Passages per block when bounding the k-th best score from the blocks' maxima.
_BLOCK = 256


@dataclass(frozen=True)
class RankedPassages:
    """Passage columns (matrix column numbers) and their scores, best first."""

    columns: np.ndarray  # int64 [k]
    scores: np.ndarray  # float64 [k]


def _row_chunks(indptr: np.ndarray, size: int) -> list[tuple[int, int]]:
    """Runs of whole rows [first, last) holding about `size` postings each (at least one row)."""
    bounds = np.searchsorted(indptr, np.arange(size, indptr[-1], size), side="left")
    rows = np.unique(np.concatenate([[0], bounds, [len(indptr) - 1]]))
    return list(zip(rows[:-1].tolist(), rows[1:].tolist(), strict=True))


def compute_idf(document_frequency: np.ndarray, n_passages: int, epsilon: float) -> np.ndarray:
    """rank_bm25's idf: log(N - n + 0.5) - log(n + 0.5), with a floor for common terms.

    A term in more than half of the passages has a negative idf; rank_bm25
    replaces it with `epsilon * average_idf`, where the average is taken over
    the raw idf of every term (negative ones included) before the floor.
    """
    df = document_frequency.astype(np.float64)
    idf = np.log(n_passages - df + 0.5) - np.log(df + 0.5)
    present = document_frequency > 0
    average_idf = float(idf[present].mean()) if present.any() else 0.0
    idf[idf < 0] = epsilon * average_idf
    idf[~present] = 0.0
    return idf


class BM25Matrix:
    """Term-major CSR matrix of BM25Okapi weights w[t, j]; a query sums the rows of its terms."""

    def __init__(self, indptr: np.ndarray, columns: np.ndarray, weights: np.ndarray,
                 idf: np.ndarray, n_passages: int):
        self.indptr = indptr
        self.columns = columns
        self.weights = weights
        self.idf = idf
        self.n_passages = n_passages

    @classmethod
    def from_postings(
        cls,
        indptr: np.ndarray,
        columns: np.ndarray,
        tf: np.ndarray,
        lengths: np.ndarray,
        *,
        k1: float = 1.5,
        b: float = 0.75,
        epsilon: float = 0.25,
    ) -> BM25Matrix:
        """Weight of each posting, idf[t] * tf * (k1+1) / (tf + k1 * (1 - b + b * len_j / avgdl)).

        The arithmetic follows rank_bm25 operation by operation, so that each
        weight is bit for bit the term rank_bm25 adds for that passage.
        """
        n_passages = len(lengths)
        indptr = np.asarray(indptr, dtype=np.int64)
        columns = np.asarray(columns, dtype=np.int32)
        document_frequency = np.diff(indptr)
        if n_passages == 0:
            idf = np.zeros(len(document_frequency))
            return cls(indptr, columns, np.zeros(0), idf, 0)
        lengths = np.asarray(lengths, dtype=np.float64)
        avgdl = float(lengths.sum()) / n_passages
        # k1 * (1 - b + b * len / avgdl), evaluated in rank_bm25's order.
        length_norm = k1 * (1 - b + b * lengths / avgdl)
        idf = compute_idf(document_frequency, n_passages, epsilon)
        weights = np.empty(len(columns), dtype=np.float64)
        for first, last in _row_chunks(indptr, _CHUNK):
            start, stop = indptr[first], indptr[last]
            part = weights[start:stop]
            np.copyto(part, tf[start:stop], casting="unsafe")  # freq, as float64
            denominator = length_norm[columns[start:stop]]
            denominator += part
            part *= k1 + 1
            part /= denominator
            part *= np.repeat(idf[first:last], document_frequency[first:last])
        logger.debug("BM25 weights for %d postings over %d passages", len(columns), n_passages)
        return cls(indptr, columns, weights, idf, n_passages)

    def _gather(self, term_ids: Sequence[int],
                query_weights: Sequence[float] | None) -> tuple[np.ndarray, np.ndarray]:
        """The query terms' postings end to end: passage columns and their weights.

        Kept in query order, so that a passage's score adds up its terms in the
        order rank_bm25 adds them (bit for bit the same sums).
        """
        columns, weights = [], []
        for position, term in enumerate(term_ids):
            start, stop = self.indptr[term], self.indptr[term + 1]
            if start == stop:
                continue
            row = self.weights[start:stop]
            if query_weights is not None and query_weights[position] != 1.0:
                row = row * query_weights[position]
            columns.append(self.columns[start:stop])
            weights.append(row)
        if not columns:
            return np.zeros(0, dtype=np.int32), np.zeros(0)
        if len(columns) == 1:
            return columns[0], weights[0]
        return np.concatenate(columns), np.concatenate(weights)

    def score_passages(self, term_ids: Sequence[int],
                       query_weights: Sequence[float] | None = None) -> np.ndarray:
        """Dense scores of every passage; a term listed twice counts twice, as in rank_bm25."""
        columns, weights = self._gather(term_ids, query_weights)
        return np.bincount(columns, weights, minlength=self.n_passages)

    def score_columns(self, term_ids: Sequence[int], query_weights: Sequence[float],
                      columns: np.ndarray) -> np.ndarray:
        """Scores of the given passage columns only (a row's columns are sorted)."""
        wanted = np.asarray(columns, dtype=np.int64)
        scores = np.zeros(len(wanted))
        for term, weight in zip(term_ids, query_weights, strict=True):
            start, stop = self.indptr[term], self.indptr[term + 1]
            if start == stop or not len(wanted):
                continue
            row = self.columns[start:stop]
            at = np.minimum(np.searchsorted(row, wanted), len(row) - 1)
            held = row[at] == wanted
            scores[held] += self.weights[start + at[held]] * weight
        return scores

    def rank_passages(self, term_ids: Sequence[int], query_weights: Sequence[float] | None = None,
                      k: int = 10) -> RankedPassages:
        """The k best passages that hold at least one query term, best first.

        Ties are broken by column, lowest first, so results are reproducible.
        """
        columns, weights = self._gather(term_ids, query_weights)
        if k <= 0 or len(columns) == 0:
            return RankedPassages(np.zeros(0, dtype=np.int64), np.zeros(0))
        if len(columns) * _SPARSE_RATIO < self.n_passages:
            candidates, candidate_scores = _sum_sparse(columns, weights)
        else:
            candidates, candidate_scores = self._sum_dense(columns, weights, k)
        return _top(candidates, candidate_scores, k)

    def _sum_dense(self, columns: np.ndarray, weights: np.ndarray,
                   k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores summed over every passage, then only the passages that may be in the top k.

        The k-th best block maximum is a lower bound of the k-th best score (k
        blocks each hold a passage scoring at least that), so passages below it
        cannot be among the k best.
        """
        blocks = -(-self.n_passages // _BLOCK)
        scores = np.bincount(columns, weights, minlength=blocks * _BLOCK)
        block_max = scores.reshape(blocks, _BLOCK).max(axis=1)
        if blocks > k:
            floor = np.partition(block_max, blocks - k)[blocks - k]
            if floor > 0:
                candidates = np.flatnonzero(scores >= floor)
                return candidates, scores[candidates]
        candidates = np.flatnonzero(scores != 0)
        return candidates, scores[candidates]


def _sum_sparse(columns: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scores of the passages holding a query term, for few postings: no array over all passages.

    `np.unique` sorts the columns; `np.bincount` then adds each passage's
    weights in the order given, which is query order.
    """
    candidates, inverse = np.unique(columns, return_inverse=True)
    scores = np.bincount(inverse, weights, minlength=len(candidates))
    kept = scores != 0
    return candidates[kept], scores[kept]


def _top(candidates: np.ndarray, candidate_scores: np.ndarray, k: int) -> RankedPassages:
    """The k best of the candidates (in column order), ties to the lowest column."""
    if len(candidates) > k:
        threshold = candidate_scores[np.argpartition(-candidate_scores, k - 1)[k - 1]]
        above = np.flatnonzero(candidate_scores > threshold)
        # Candidates are in column order, so the first ties are the lowest columns.
        tied = np.flatnonzero(candidate_scores == threshold)[: k - len(above)]
        kept = np.concatenate([above, tied])
        candidates, candidate_scores = candidates[kept], candidate_scores[kept]
    order = np.lexsort((candidates, -candidate_scores))
    return RankedPassages(candidates[order].astype(np.int64), candidate_scores[order])
