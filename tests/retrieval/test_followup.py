"""Follow-ups: a question naming no subject is read with the one it follows."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import build_index
from retrieval import Retriever
from retrieval.followup import carried_subject, combine_follow_up, name_subjects
from retrieval.synonyms import SynonymTable

SYNONYMS = SynonymTable.load()


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("可灵AI服务用户有多少", ["可灵ai"]),
        ("Kuaishou三季度营收？", ["kuaishou"]),
        ("快手和可灵的月活", ["快手", "可灵"]),
        ("程一笑说了什么", ["程一笑"]),
        ("蓝鲸汽车交付了多少辆新车？", ["蓝鲸"]),
        ("月活呢？", []),
        ("第三季度营收多少？", []),
    ],
)
def test_a_question_names_its_companies_products_and_people(question, names, segmenter):
    assert name_subjects(question, SYNONYMS, segmenter) == names


@pytest.mark.parametrize(
    ("previous", "question", "combined"),
    [
        ("可灵AI服务用户有多少", "月活呢？", "可灵ai 月活呢？"),
        ("可灵AI服务用户有多少", "那快手呢？", "那快手呢？"),  # names its own subject
        ("第三季度营收多少？", "净利润呢？", "净利润呢？"),  # nothing to carry
        ("", "月活呢？", "月活呢？"),
    ],
)
def test_a_follow_up_carries_the_earlier_subject_only_when_it_names_none(
    previous, question, combined, segmenter
):
    assert combine_follow_up(previous, question, SYNONYMS, segmenter) == combined


def test_the_carried_subject_is_what_a_later_follow_up_builds_on(segmenter):
    subject = carried_subject("可灵AI服务用户有多少", "月活呢？", SYNONYMS, segmenter)
    assert subject == "可灵ai"
    later = combine_follow_up(subject, "累计生成多少视频？", SYNONYMS, segmenter)
    assert later == "可灵ai 累计生成多少视频？"


def test_on_the_real_corpus_the_follow_up_is_answered_about_the_earlier_subject(
    shared_dir: Path, tmp_path: Path, segmenter
):
    build_index(shared_dir / "corpus", tmp_path / "wenda.db")
    with Retriever.open(tmp_path / "wenda.db") as retriever:
        question = combine_follow_up(
            "可灵AI服务用户有多少", "月活呢？", retriever.synonyms, retriever.segmenter
        )
        best = retriever.answer(question).hits[0].sentence
        plain = retriever.answer("月活呢？")
    assert "可灵" in best and "150万" in best
    assert "7.14亿" in plain.hits[0].sentence  # without the subject: 快手's
