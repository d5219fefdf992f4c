"""BM25Matrix gives rank_bm25's BM25Okapi scores and top-k, on real and random corpora."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from index.postings import build_postings
from index.segment import Segmenter
from retrieval.bm25 import BM25Matrix
from settings import sample_corpus_dir


def matrix_of(token_lists: list[list[str]]) -> tuple[BM25Matrix, dict[str, int]]:
    postings = build_postings(token_lists)
    matrix = BM25Matrix.from_postings(
        postings.indptr, postings.columns, postings.tf, postings.lengths
    )
    return matrix, {term: row for row, term in enumerate(postings.terms)}


def assert_same_as_rank_bm25(token_lists: list[list[str]], queries: list[list[str]], k: int = 5):
    matrix, vocabulary = matrix_of(token_lists)
    reference = BM25Okapi(token_lists)
    for query in queries:
        expected = reference.get_scores(query)
        term_ids = [vocabulary[t] for t in query if t in vocabulary]
        np.testing.assert_allclose(matrix.score_passages(term_ids), expected, rtol=0, atol=1e-9)
        ranked = matrix.rank_passages(term_ids, k=k)
        positive = np.sort(expected[expected > 0])[::-1][:k]
        np.testing.assert_allclose(ranked.scores, positive, rtol=0, atol=1e-9)
        # Same passages: each one we return has the reference score of its rank.
        np.testing.assert_allclose(expected[ranked.columns], positive, rtol=0, atol=1e-9)


def corpus_paragraphs(folder: Path) -> list[str]:
    lines = []
    for path in sorted(folder.iterdir()):
        if path.is_file():
            lines += [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line]


def test_hand_checkable_three_passages():
    docs = [["快手", "营收"], ["快手", "利润", "利润"], ["抖音"]]
    matrix, vocabulary = matrix_of(docs)
    # 利润: n=1 of N=3, idf = log(2.5) - log(1.5); tf=2, len=3, avgdl=6/3.
    idf = np.log(2.5) - np.log(1.5)
    expected = idf * 2 * 2.5 / (2 + 1.5 * (0.25 + 0.75 * 3 / 2))
    assert matrix.score_passages([vocabulary["利润"]])[1] == pytest.approx(expected, abs=1e-12)
    # 快手 is in 2 of 3 passages: idf is negative, floored at epsilon * average idf.
    assert matrix.idf[vocabulary["快手"]] == pytest.approx(
        0.25 * np.mean([np.log(1.5) - np.log(2.5), idf, idf, idf]), abs=1e-12
    )


@pytest.mark.parametrize("seed", range(6))
def test_random_corpora_match_rank_bm25(seed: int):
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(rng.randint(5, 300))]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]  # Zipf-like
    docs = [
        rng.choices(vocabulary, weights, k=rng.randint(1, 40)) for _ in range(rng.randint(3, 400))
    ]
    queries = [rng.choices(vocabulary, k=rng.randint(1, 6)) for _ in range(30)]
    queries.append([vocabulary[0], vocabulary[0], vocabulary[-1]])  # repeated term counts twice
    queries.append(["unknown", vocabulary[1]])
    assert_same_as_rank_bm25(docs, queries, k=rng.choice([1, 3, 10]))


@pytest.mark.parametrize("corpus", ["sample", "shared"])
def test_real_corpus_tokens_match_rank_bm25(corpus: str, segmenter: Segmenter, request):
    if corpus == "sample":
        folder = sample_corpus_dir()
    else:
        folder = request.getfixturevalue("shared_dir") / "corpus"
    docs = [segmenter.tokens(paragraph) for paragraph in corpus_paragraphs(folder)]
    docs = [tokens for tokens in docs if tokens]
    queries = [segmenter.tokens(q) for q in ("快手三季度营收多少", "裁员 比例 裁员", "用户 增长")]
    queries += [docs[i][:4] for i in range(0, len(docs), max(1, len(docs) // 20))]
    assert_same_as_rank_bm25(docs, queries, k=10)


def test_empty_store_ranks_nothing():
    matrix = BM25Matrix.from_postings(
        np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int32)
    )
    assert len(matrix.rank_passages([], k=5).columns) == 0


def test_ties_are_broken_by_passage_order():
    docs = [["a", "b"], ["c", "d"], ["a", "b"], ["a", "b"], ["e", "f"]]
    matrix, vocabulary = matrix_of(docs)
    assert matrix.rank_passages([vocabulary["a"]], k=2).columns.tolist() == [0, 2]


@pytest.mark.parametrize("k", [1, 10])
def test_thousands_of_passages_match_rank_bm25(k: int):
    # Enough passages that ranking bounds the k-th score by blocks of passages and that
    # the postings are counted in three batches, and both rare terms (summed without a
    # dense array) and common ones (with one) are asked for.
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(2000)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    docs = [rng.choices(vocabulary, weights, k=rng.randint(1, 30)) for _ in range(9000)]
    queries = [rng.choices(vocabulary, k=rng.randint(1, 5)) for _ in range(20)]
    queries += [[vocabulary[-1]], [vocabulary[0], vocabulary[1]], [vocabulary[500], "w0"]]
    assert_same_as_rank_bm25(docs, queries, k=k)


@pytest.mark.parametrize("n_terms", [1, 5])  # few postings are summed sparse, many dense
def test_scores_of_any_columns_are_the_dense_scores_there(n_terms):
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(40)]
    docs = [rng.choices(vocabulary, k=rng.randint(1, 12)) for _ in range(60)]
    docs += [["rare"]] + [["other"]] * 60  # one posting among 121 passages
    matrix, terms = matrix_of(docs)
    query = [terms["rare"]] if n_terms == 1 else [terms[w] for w in rng.sample(vocabulary, 5)]
    weights = [1.0, 0.5, 2.0, 1.0, 0.8][:n_terms]
    columns = np.array([0, 7, 13, 59, 30, 60, 61])
    dense = matrix.score_passages(query, weights)
    ranked = matrix.rank_passages(query, weights, k=3)
    assert np.array_equal(ranked.score_of(columns), dense[columns])
    assert np.array_equal(ranked.score_of(ranked.columns), ranked.scores)
