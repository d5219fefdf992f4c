"""A question's candidate sentences joined into arrays: what the score and the features read."""

from __future__ import annotations

import numpy as np
import pytest

from index.normalise import fold_passage, normalise
from index.postings import PostingsBuilder
from index.segment import Segmenter
from index.sentence_table import SentenceTableBuilder
from retrieval.sentences import CandidatePassage, CandidateSet, passage_texts

PASSAGES = [
    ["快手营收达到120亿元。", "同比增长20%。"],
    ["短剧市场规模预计达到500亿元", "快手", "营收"],
]


def candidate_set(segmenter: Segmenter, passages: list[list[str]],
                  kinds: str = "") -> CandidateSet:
    """The passages as the build stores them (a sentence table), all of them candidates."""
    terms, builder = PostingsBuilder(), SentenceTableBuilder()
    for pid, texts in enumerate(passages):
        rows = tuple((0, len(t), t, " ".join(segmenter.tokens(t)), kinds, normalise(t))
                     for t in texts)
        ids = terms.add([token for row in rows for token in row[3].split()])
        builder.add(pid * 10, ids, rows, fold_passage(row[5] for row in rows), f"标题{pid}", "",
                    f"{pid}.txt")
    table = builder.finish(terms.finish().terms, segmenter.word_tag)
    columns = np.arange(len(passages))
    built = [CandidatePassage(passage_id=pid, score=1.0, heading_tokens=frozenset(),
                              heading="", folded=folded, article="", section="", path="")
             for pid, folded in enumerate(passage_texts(table, columns.tolist()))]
    return CandidateSet(table, columns, built, [{} for _ in built])


@pytest.mark.parametrize("rows", ["all", "few"])
def test_spellings_are_found_in_their_own_sentence_only(segmenter, rows):
    candidates = candidate_set(segmenter, PASSAGES)
    mask = np.ones(candidates.count, bool) if rows == "all" else np.eye(candidates.count,
                                                                       dtype=bool)[3]
    expected = {
        "快手": [True, False, False, True, False],
        "亿元。": [True, False, False, False, False],
        "20%": [False, True, False, False, False],
        "亿元快手": [False] * 5,  # the end of one sentence and the start of the next
        "手营": [True, False, False, False, False],
    }
    for spelling, found in expected.items():
        assert candidates.contains(spelling, mask).tolist() == (np.array(found) & mask).tolist()


def test_sentences_are_numbered_across_passages_with_their_neighbours(segmenter):
    candidates = candidate_set(segmenter, PASSAGES)
    assert candidates.group.tolist() == [0, 0, 1, 1, 1]
    # A passage's first and last sentences have no neighbour beyond its edge.
    assert candidates.before.tolist() == [0, 0, 2, 2, 3]
    assert candidates.after.tolist() == [1, 1, 3, 4, 4]
    assert candidates.chars.tolist() == [len(t) for texts in PASSAGES for t in texts]


def test_sentences_keep_their_ids_text_and_figure_kinds(segmenter):
    candidates = candidate_set(segmenter, PASSAGES, kinds="money pp")
    sentence = candidates.sentence(3, "快手")
    assert (sentence.sentence_id, sentence.passage_id, sentence.position) == (11, 1, 1)
    assert sentence.folded == "快手" and sentence.figure_kinds == {"money", "pp"}
    assert candidates.passage_sentences(1) == [normalise(t) for t in PASSAGES[1]]
    assert candidates.quantities.tolist() == [1.0] * 5


def test_sentence_words_are_held_by_their_own_sentence(segmenter):
    candidates = candidate_set(segmenter, PASSAGES)
    terms = PostingsBuilder()
    for texts in PASSAGES:
        terms.add([t for text in texts for t in segmenter.tokens(text)])
    vocabulary = {term: i for i, term in enumerate(terms.finish().terms)}
    held = candidates.holds(np.asarray([vocabulary["快手"], vocabulary["营收"]]))
    assert held[:, 0].tolist() == [True, False, False, True, False]
    assert held[:, 1].tolist() == [True, False, False, False, True]
    # Distinct words only: 快手 twice in a sentence is one entry.
    assert candidates.token_counts[0] == len(set(segmenter.tokens(PASSAGES[0][0])))
