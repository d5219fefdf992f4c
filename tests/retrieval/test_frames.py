"""Everyday phrasings read as a measure's alias group."""

from __future__ import annotations

import pytest

from index.normalise import normalise
from retrieval.frames import find_frames
from retrieval.synonyms import SynonymTable


@pytest.fixture(scope="module")
def synonyms() -> SynonymTable:
    return SynonymTable.load()


@pytest.mark.parametrize(("question", "measure"), [
    ("快手一天有多少人在用", "日活"),
    ("每天多少人刷抖音", "日活"),
    ("快手每个月有几个人在用", "月活"),
    ("一個月有多少人用快手", "月活"),  # Traditional, normalised first
])
def test_people_using_it_in_a_day_or_a_month_are_its_actives(synonyms, question, measure):
    frames = find_frames(normalise(question), synonyms)
    assert [m.group.forms[0] for m in frames] == [measure]
    assert "多少" in frames[0].form or "几" in frames[0].form


@pytest.mark.parametrize("question", ["快手一天营收多少", "快手有多少人", "每天用多少流量"])
def test_other_questions_hold_no_frame(synonyms, question):
    assert find_frames(normalise(question), synonyms) == []


def test_a_table_without_the_measure_gives_no_frame():
    assert find_frames("快手一天有多少人在用", SynonymTable([])) == []
