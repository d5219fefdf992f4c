"""Character bigrams: what the second BM25 channel counts."""

from __future__ import annotations

from index.bigrams import bigram_keys, bigram_text, build_bigram_postings, keys_by_text


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
