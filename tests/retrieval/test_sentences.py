"""A question's candidate sentences joined into arrays: what the score and the features read."""

from __future__ import annotations

import numpy as np
import pytest

from index.segment import Segmenter
from retrieval.sentences import (
    CandidatePassage,
    CandidateSentence,
    CandidateSet,
    NameKinds,
    WordIds,
    describe_passages,
)

PASSAGES = [
    ["快手营收达到120亿元。", "同比增长20%。"],
    ["短剧市场规模预计达到500亿元", "快手", "营收"],
]


def candidate_set(segmenter: Segmenter, passages: list[list[str]]) -> CandidateSet:
    words = WordIds({})
    kinds = NameKinds(segmenter.word_tag)
    built = []
    for pid, texts in enumerate(passages):
        sentences = tuple(
            CandidateSentence(sentence_id=pid * 10 + i, passage_id=pid, position=i, text=t,
                              folded=t, tokens=frozenset(segmenter.tokens(t)),
                              figure_kinds=frozenset())
            for i, t in enumerate(texts)
        )
        built.append(CandidatePassage(passage_id=pid, score=1.0, heading_tokens=frozenset(),
                                      heading="", sentences=sentences, article="",
                                      section="", path=""))
    described = describe_passages([(p.sentences, "") for p in built], words, kinds)
    return CandidateSet(built, {p.passage_id: a for p, a in zip(built, described, strict=True)})


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
