"""The reference: rank_bm25's `BM25Okapi.get_scores` + argsort top-k on the same passages.

It runs in a child process (`measure_reference_in_child`), so that the
gigabytes BM25Okapi holds at a million passages are returned to the system
when it ends and do not weigh on the rest of the run.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi


@dataclass(frozen=True)
class ReferenceTimings:
    build_s: float
    ms: tuple[float, ...]  # one per query measured
    top_scores: tuple[tuple[float, ...], ...]
    queries: tuple[int, ...]  # indexes of the queries measured


def load_passage_tokens(db_path: Path) -> list[list[str]]:
    """Every passage's stored tokens, in column order (passage id order)."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as connection:
        rows = connection.execute("select tokens from passages order by id")
        return [tokens.split() for (tokens,) in rows]


def measure_reference(
    db_path: Path, token_lists: list[list[str]], k: int, queries: list[int]
) -> ReferenceTimings:
    """Build BM25Okapi over the store's passages and time `get_scores` + top-k per query."""
    corpus = load_passage_tokens(db_path)
    started = time.perf_counter()
    bm25 = BM25Okapi(corpus)
    build_s = time.perf_counter() - started
    del corpus
    timings, top_scores = [], []
    for index in queries:
        started = time.perf_counter()
        scores = bm25.get_scores(token_lists[index])
        top = np.argsort(scores)[::-1][:k]
        timings.append((time.perf_counter() - started) * 1000)
        top_scores.append(tuple(float(s) for s in scores[top] if s != 0))
    return ReferenceTimings(build_s, tuple(timings), tuple(top_scores), tuple(queries))


def measure_reference_in_child(
    db_path: Path, token_lists: list[list[str]], k: int, queries: list[int]
) -> ReferenceTimings:
    """`measure_reference` in a forked process."""
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        return pool.submit(measure_reference, db_path, token_lists, k, queries).result()
