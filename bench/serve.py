"""The benchmark's serving process: cold start, answers, ranking stage, peak memory.

`bench.run` starts it as `python -m bench.serve JOB.json` in a fresh
interpreter, so that the cold start includes every import and load a real
start pays. It prints one JSON object on stdout. The clock starts on the first
line of this module, after the interpreter itself has started.
"""

from __future__ import annotations

import time

STARTED_WALL = time.time()
STARTED = time.perf_counter()

import json  # noqa: E402 - timed from the first line on purpose
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from retrieval.bm25 import BM25Matrix


def _find_matrix(retriever: object) -> BM25Matrix | None:
    """The retriever's BM25 matrix, looked up among its attributes (one level deep)."""
    from retrieval.bm25 import BM25Matrix

    seen = [retriever, *vars(retriever).values()]
    for value in seen:
        if isinstance(value, BM25Matrix):
            return value
        if hasattr(value, "__dict__"):
            found = [v for v in vars(value).values() if isinstance(v, BM25Matrix)]
            if found:
                return found[0]
    return None


def time_ranking(matrix: BM25Matrix, db_path: Path, token_lists: list[list[str]], k: int) -> dict:
    """Time `rank_passages` alone on each query's term ids; keep the top-k scores for parity."""
    import sqlite3

    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as connection:
        vocabulary = dict(connection.execute("select term, id from terms"))
    term_lists = [[vocabulary[t] for t in tokens if t in vocabulary] for tokens in token_lists]
    for terms in term_lists:  # warm caches once
        matrix.rank_passages(terms, k=k)
    timings, top_scores = [], []
    for terms in term_lists:
        started = time.perf_counter()
        ranked = matrix.rank_passages(terms, k=k)
        timings.append((time.perf_counter() - started) * 1000)
        top_scores.append([float(s) for s in ranked.scores])
    return {"ms": timings, "top_scores": top_scores}


def main(argv: list[str]) -> int:
    job = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    db_path = Path(job["db"])
    questions: list[str] = job["questions"]

    from bench.measure import peak_rss_bytes, resident_parts_bytes
    from retrieval import EmptyQuestion, Retriever

    imported = time.perf_counter()
    retriever = Retriever.open(db_path)
    opened = time.perf_counter()
    first = retriever.answer(questions[0])
    answered = time.perf_counter()
    answered_wall = time.time()
    retriever.warm_up()  # as the bot does before it takes questions (bot.app)

    timings, found = [], []
    for question in questions:
        started = time.perf_counter()
        try:
            is_found = retriever.answer(question).found
        except EmptyQuestion:  # a word set of question words only: nothing to ask
            is_found = False
        timings.append((time.perf_counter() - started) * 1000)
        found.append(is_found)
    peak_rss = peak_rss_bytes()  # before the ranking stage below adds anything
    resident = resident_parts_bytes()

    matrix = _find_matrix(retriever)
    if matrix is None:
        raise SystemExit("the retriever holds no BM25Matrix: the ranking stage cannot be timed")
    ranking = time_ranking(matrix, db_path, job["tokens"], job["k"])
    retriever.close()
    result = {
        "started_wall": STARTED_WALL,
        "import_s": imported - STARTED,
        "open_s": opened - imported,
        "first_answer_s": answered - opened,
        "cold_start_s": answered - STARTED,
        "first_answer_wall": answered_wall,
        "first_found": first.found,
        "answer_ms": timings,
        "found": found,
        "peak_rss_bytes": peak_rss,
        "resident_bytes": resident,
        "ranking_ms": ranking["ms"],
        "ranking_top_scores": ranking["top_scores"],
    }
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
