"""BM25Okapi weights of every posting, computed once when the index is built.

The weight of term t in passage j is exactly the term rank_bm25's
`BM25Okapi.get_scores` adds for it (same k1, b, epsilon and idf floor, the
same arithmetic in the same order), so a question's scores are sums of
stored weights. The store keeps them in a file the retriever maps into
memory (`index.store.write_mapped`): opening an index reads nothing it does not
touch, and a million passages need not fit in memory.
"""

from __future__ import annotations

import numpy as np

K1, B, EPSILON = 1.5, 0.75, 0.25  # rank_bm25's defaults
# Weights are computed this many postings at a time, so that the temporary
# arrays stay small next to the postings themselves on million-passage stores.
_CHUNK = 1 << 22


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


def _row_chunks(indptr: np.ndarray, size: int) -> list[tuple[int, int]]:
    """Runs of whole rows [first, last) holding about `size` postings each (at least one row)."""
    bounds = np.searchsorted(indptr, np.arange(size, indptr[-1], size), side="left")
    rows = np.unique(np.concatenate([[0], bounds, [len(indptr) - 1]]))
    return list(zip(rows[:-1].tolist(), rows[1:].tolist(), strict=True))


def bm25_weights(
    indptr: np.ndarray,
    columns: np.ndarray,
    tf: np.ndarray,
    lengths: np.ndarray,
    *,
    k1: float = K1,
    b: float = B,
    epsilon: float = EPSILON,
) -> tuple[np.ndarray, np.ndarray]:
    """(weight of each posting, idf of each term) of term-major CSR postings:
    idf[t] * tf * (k1+1) / (tf + k1 * (1 - b + b * len_j / avgdl)), evaluated operation by
    operation as rank_bm25 does, so that each weight is bit for bit its term."""
    n_passages = len(lengths)
    indptr = np.asarray(indptr, dtype=np.int64)
    document_frequency = np.diff(indptr)
    if n_passages == 0:
        return np.zeros(0), np.zeros(len(document_frequency))
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
    return weights, idf
