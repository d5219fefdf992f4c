"""BM25 over passages as a precomputed sparse matrix of term weights.

Scores are exactly rank_bm25's `BM25Okapi` (k1, b, epsilon and its idf
floor), but every weight is computed once, when the index is built
(`index.weights`), so a query only adds up the rows of its terms with
`np.bincount`: no Python loop over passages. Few postings are summed without
an array over all passages; many are summed densely and only the passages
whose group of passages may reach the top k are looked at. A ranking keeps
its sums, which score any other passage too (`RankedPassages.score_of`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.sliced import SlicedArray, gather_runs
from index.weights import bm25_weights

logger = logging.getLogger(__name__)

# Queries with fewer postings than passages / this are summed without a dense array.
_SPARSE_RATIO = 16
# Passages per group when bounding the k-th best score from the groups' maxima.
_GROUP = 256


@dataclass(frozen=True)
class RankedPassages:
    """Passage columns (matrix column numbers) and their scores, best first, and the sums
    the ranking made, which give any other passage's score too (`score_of`)."""

    columns: np.ndarray  # int64 [k]
    scores: np.ndarray  # float64 [k]
    sums: np.ndarray  # every passage's score (dense), or those of the `held` columns
    held: np.ndarray | None  # None (dense), or the columns holding a term, ascending

    def score_of(self, columns: np.ndarray) -> np.ndarray:
        """The score of each of `columns`, ranked or not (0 for a passage holding no term):
        the same sums, so the same values as the ranking's own."""
        if self.held is None:
            return self.sums[columns]
        scores = np.zeros(len(columns))
        if len(self.held):
            at = np.minimum(np.searchsorted(self.held, columns), len(self.held) - 1)
            found = self.held[at] == columns
            scores[found] = self.sums[at[found]]
        return scores


class BM25Matrix:
    """Term-major CSR matrix of BM25Okapi weights w[t, j]; a query sums the rows of its terms."""

    def __init__(self, indptr: np.ndarray, columns: np.ndarray | SlicedArray,
                 weights: np.ndarray | SlicedArray, idf: np.ndarray, n_passages: int):
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
    ) -> BM25Matrix:
        """The matrix of raw postings, weighed here (`index.weights.bm25_weights`; a store
        keeps them weighed already, see `Retriever.open`)."""
        weights, idf = bm25_weights(indptr, columns, tf, lengths)
        logger.debug("BM25 weights for %d postings over %d passages", len(columns), len(lengths))
        return cls(np.asarray(indptr, dtype=np.int64), np.asarray(columns, dtype=np.int32),
                   weights, idf, len(lengths))

    def close(self) -> None:
        """Let go of the file the postings are read from, if they are."""
        for array in (self.columns, self.weights):
            if isinstance(array, SlicedArray):
                array.file.close()

    def _gather(self, term_ids: Sequence[int],
                query_weights: Sequence[float] | None) -> tuple[np.ndarray, np.ndarray]:
        """The query terms' postings end to end: passage columns and their weights.

        Kept in query order, so that a passage's score adds up its terms in the
        order rank_bm25 adds them (bit for bit the same sums).
        """
        terms = np.asarray(term_ids, dtype=np.int64)
        starts, stops = self.indptr[terms], self.indptr[terms + 1]
        held = stops > starts
        if not held.all():
            starts, stops = starts[held], stops[held]
        columns = gather_runs(self.columns, starts, stops)
        weights = gather_runs(self.weights, starts, stops)
        if query_weights is not None:
            factors = np.asarray(query_weights, dtype=np.float64)[held]
            scaled = np.flatnonzero(factors != 1.0)
            if len(scaled):  # only those runs (a term or two), in place
                if not weights.flags.writeable:  # one run: a view of the mapped weights
                    weights = weights.copy()
                sizes = stops - starts
                ends = np.cumsum(sizes)
                for run in scaled.tolist():
                    weights[ends[run] - sizes[run]:ends[run]] *= factors[run]
        return columns, weights

    def score_passages(self, term_ids: Sequence[int],
                       query_weights: Sequence[float] | None = None) -> np.ndarray:
        """Dense scores of every passage; a term listed twice counts twice, as in rank_bm25."""
        columns, weights = self._gather(term_ids, query_weights)
        return np.bincount(columns, weights, minlength=self.n_passages)

    def rank_passages(self, term_ids: Sequence[int], query_weights: Sequence[float] | None = None,
                      k: int = 10) -> RankedPassages:
        """The k best passages that hold at least one query term, best first.

        Ties are broken by column, lowest first, so results are reproducible.
        """
        columns, weights = self._gather(term_ids, query_weights)
        if k <= 0 or len(columns) == 0:
            nothing = np.zeros(0, dtype=np.int64)
            return RankedPassages(nothing, np.zeros(0), np.zeros(0), nothing)
        if len(columns) * _SPARSE_RATIO < self.n_passages:
            held, sums = _sum_sparse(columns, weights)
            top = _top(held, sums, k)
            return RankedPassages(top[0], top[1], sums, held)
        sums = np.bincount(columns, weights, minlength=self._width() * _GROUP)
        top = _top(*self._reaching(sums, k), k)
        return RankedPassages(top[0], top[1], sums, None)

    def _width(self) -> int:
        return -(-self.n_passages // _GROUP)

    def _reaching(self, sums: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Of every passage's score, only the passages that may be in the top k.

        Passages are dealt into groups: column c is in group c % width of a
        [_GROUP, width] grid, so the groups' maxima are one elementwise maximum
        of the grid's rows (a max per contiguous block measured ten times
        slower). The k-th best group maximum is a lower bound of the k-th best
        score (k groups each hold a passage scoring at least that), so only
        the groups reaching it can hold the k best, and only their passages
        reaching it are looked at.
        """
        width = self._width()
        if width > k:
            grid = sums.reshape(_GROUP, width)
            group_max = grid.max(axis=0)
            floor = np.partition(group_max, width - k)[width - k]
            if floor > 0:
                groups = np.flatnonzero(group_max >= floor)
                reached = grid[:, groups]
                rows, at = np.nonzero(reached >= floor)  # by row, then group: column order
                return rows * width + groups[at], reached[rows, at]
        candidates = np.flatnonzero(sums != 0)
        return candidates, sums[candidates]


def _sum_sparse(columns: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scores of the passages holding a query term, for few postings: no array over all passages.

    `np.unique` sorts the columns; `np.bincount` then adds each passage's
    weights in the order given, which is query order.
    """
    candidates, inverse = np.unique(columns, return_inverse=True)
    scores = np.bincount(inverse, weights, minlength=len(candidates))
    kept = scores != 0
    return candidates[kept], scores[kept]


def _top(candidates: np.ndarray, candidate_scores: np.ndarray,
         k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best of the candidates (in column order), ties to the lowest column."""
    if len(candidates) > k:
        threshold = candidate_scores[np.argpartition(-candidate_scores, k - 1)[k - 1]]
        above = np.flatnonzero(candidate_scores > threshold)
        # Candidates are in column order, so the first ties are the lowest columns.
        tied = np.flatnonzero(candidate_scores == threshold)[: k - len(above)]
        kept = np.concatenate([above, tied])
        candidates, candidate_scores = candidates[kept], candidate_scores[kept]
    order = np.lexsort((candidates, -candidate_scores))
    return candidates[order].astype(np.int64), candidate_scores[order]
