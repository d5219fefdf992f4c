"""Character bigrams: what the second BM25 channel counts."""

from __future__ import annotations

from collections import Counter

import numpy as np

from index.bigrams import (
    BigramBuilder,
    bigram_keys,
    bigram_text,
    build_bigram_postings,
    keys_by_text,
)


def test_bigrams_are_adjacent_word_characters_never_across_punctuation():
    assert [bigram_text(k) for k in bigram_keys("快手营收,ai 2024")] == [
        "快手", "手营", "营收", "ai", "20", "02", "24",
    ]


def test_keys_of_many_texts_never_span_two_of_them():
    keys, owner = keys_by_text(["快手", "营收", "一"])
    assert [bigram_text(k) for k in keys] == ["快手", "营收"]
    assert owner.tolist() == [0, 1]


def test_postings_count_each_bigram_per_passage():
    postings = build_bigram_postings(["快手营收", "营收快手快手", ""])
    row = {bigram_text(k): i for i, k in enumerate(postings.keys)}["快手"]
    start, stop = postings.indptr[row], postings.indptr[row + 1]
    assert postings.columns[start:stop].tolist() == [0, 1]
    assert postings.tf[start:stop].tolist() == [1, 2]
    assert postings.lengths.tolist() == [3, 5, 0]


def _postings_by_hand(texts: list[str]) -> dict[str, list[tuple[int, int]]]:
    counts: dict[str, list[tuple[int, int]]] = {}
    for column, text in enumerate(texts):
        for pair, tf in sorted(Counter(bigram_text(k) for k in bigram_keys(text)).items()):
            counts.setdefault(pair, []).append((column, tf))
    return counts


def test_postings_are_the_same_however_many_passages_fit_beside_a_key():
    rng = np.random.default_rng(3)
    alphabet = list("快手营收增长亿元ab12")
    texts = ["".join(rng.choice(alphabet, size=rng.integers(0, 12))) for _ in range(40)]
    expected = _postings_by_hand(texts)
    # 6 bits hold every column; 4 bits the first 16 (then the rest are kept apart); 2 none.
    for column_bits in (6, 4, 2):
        builder = BigramBuilder(batch=5, column_bits=column_bits)
        for text in texts:
            builder.add(text)
        postings = builder.finish()
        got = {
            bigram_text(int(key)): list(zip(
                postings.columns[start:stop].tolist(), postings.tf[start:stop].tolist(),
                strict=True))
            for key, start, stop in zip(postings.keys, postings.indptr[:-1],
                                        postings.indptr[1:], strict=True)
        }
        assert got == expected, column_bits
        assert postings.lengths.tolist() == [len(bigram_keys(t)) for t in texts]
