"""BM25 over passages as a precomputed sparse matrix of term weights.

Scores are exactly rank_bm25's `BM25Okapi` (k1, b, epsilon and its idf
floor), but every weight is computed once at load, vectorised, so a query
only adds up the rows of its terms: no Python loop over passages, and top-k
selection with `np.argpartition` over the passages that hold a query term.
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


@dataclass(frozen=True)
class RankedPassages:
    """Passage columns (matrix column numbers) and their scores, best first."""

    columns: np.ndarray  # int64 [k]
    scores: np.ndarray  # float64 [k]


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
        rows = np.repeat(np.arange(len(document_frequency), dtype=np.int32), document_frequency)
        for start in range(0, len(columns), _CHUNK):
            stop = start + _CHUNK
            freq = tf[start:stop].astype(np.float64)
            part = freq * (k1 + 1) / (freq + length_norm[columns[start:stop]])
            weights[start:stop] = idf[rows[start:stop]] * part
        logger.debug("BM25 weights for %d postings over %d passages", len(columns), n_passages)
        return cls(indptr, columns, weights, idf, n_passages)

    def score_passages(self, term_ids: Sequence[int],
                       query_weights: Sequence[float] | None = None) -> np.ndarray:
        """Dense scores of every passage; a term listed twice counts twice, as in rank_bm25."""
        scores = np.zeros(self.n_passages, dtype=np.float64)
        for position, term in enumerate(term_ids):
            start, stop = self.indptr[term], self.indptr[term + 1]
            row = self.weights[start:stop]
            if query_weights is not None and query_weights[position] != 1.0:
                row = row * query_weights[position]
            scores[self.columns[start:stop]] += row
        return scores

    def rank_passages(self, term_ids: Sequence[int], query_weights: Sequence[float] | None = None,
                      k: int = 10) -> RankedPassages:
        """The k best passages that hold at least one query term, best first.

        Ties are broken by column, lowest first, so results are reproducible.
        """
        scores = self.score_passages(term_ids, query_weights)
        candidates = np.flatnonzero(scores)
        if k <= 0 or len(candidates) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return RankedPassages(empty, np.zeros(0))
        candidate_scores = scores[candidates]
        if len(candidates) > k:
            threshold = candidate_scores[np.argpartition(-candidate_scores, k - 1)[k - 1]]
            above = np.flatnonzero(candidate_scores > threshold)
            # Candidates are in column order, so the first ties are the lowest columns.
            tied = np.flatnonzero(candidate_scores == threshold)[: k - len(above)]
            kept = np.concatenate([above, tied])
            candidates, candidate_scores = candidates[kept], candidate_scores[kept]
        order = np.lexsort((candidates, -candidate_scores))
        return RankedPassages(candidates[order].astype(np.int64), candidate_scores[order])
