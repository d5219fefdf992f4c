"""Figures on held-out gold: sentences written for this test, annotated by FIGURES.md.

The dev gold tuned the rules; this file guards that they generalise. The
thresholds sit a little below the scores reached, so a regression shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index.figures import read_gold, score_figures

HELDOUT = Path(__file__).parent / "data" / "figures_heldout.jsonl"


@pytest.fixture(scope="module")
def score():
    return score_figures(read_gold(HELDOUT))


def test_heldout_file_has_sentences_with_and_without_figures(score):
    assert score.sentences >= 80
    assert score.empty_sentences >= 20


def test_heldout_spans_are_found(score):
    assert score.f1 >= 0.97


def test_heldout_values_are_right(score):
    assert score.value_accuracy >= 0.98
    assert score.kind_accuracy >= 0.98


def test_heldout_metrics_name_what_is_measured(score):
    assert score.metric_accuracy >= 0.90


def test_heldout_numeral_traps_are_not_figures(score):
    assert score.false_positives <= 1
