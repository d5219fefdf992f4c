"""Questions comparing two named things: found, split into one question each, answered."""

from __future__ import annotations

from pathlib import Path

import pytest
from small_corpus import open_corpus

from retrieval.compare import find_comparison
from retrieval.synonyms import SynonymTable


@pytest.fixture(scope="module")
def table() -> SynonymTable:
    return SynonymTable.load()


@pytest.mark.parametrize(
    ("question", "first", "second"),
    [
        ("爱奇艺和快手谁裁员比例高", "爱奇艺裁员比例多少", "快手裁员比例多少"),
        ("腾讯和阿里巴巴谁的股价跌得多？", "腾讯股价跌多少", "阿里巴巴股价跌多少"),
        ("腾讯与阿里相比哪个员工多", "腾讯员工多少", "阿里员工多少"),
        ("快手和B站谁的营收是多少", "快手营收是多少", "b站营收是多少"),
        ("快手和抖音谁更新得快", "快手更新多少", "抖音更新多少"),
    ],
)
def test_a_comparison_becomes_one_question_for_each(table, question, first, second):
    comparison = find_comparison(question, table)
    assert comparison is not None
    assert (comparison.first, comparison.second) == (first, second)


@pytest.mark.parametrize("question", ["快手的营收多少", "谁是快手的CEO", "快手和抖音的日活",
                                      "阿里收购饿了么花了多少钱"])
def test_other_questions_are_no_comparison(table, question):
    assert find_comparison(question, table) is None


def test_two_companies_said_in_passages_of_their_own_are_both_answered(tmp_path: Path):
    articles = {
        "iqiyi.txt": ("爱奇艺裁员\n12月1日,爱奇艺将裁员的消息冲上热搜。"
                      "据网友爆料,爱奇艺裁员比例达到 20%-40%。\n爱奇艺的会员数量继续增长。\n"),
        "kuaishou.txt": ("快手裁员\n12月7日,快手在脉脉上被爆料将裁员 30%,裁撤员工多为中高层。\n"
                         "快手日活用户超过3亿。\n"),
        "results.txt": ("快手财报\n快手三季度总营收同比增长11.4%至311亿元。\n"
                        "爱奇艺三季度营收为72亿元。\n"),
        "survey.txt": "调查报告\n49.9%的受访者表示所在企业有裁员行为。\n教育行业受影响最严重。\n",
    }
    with open_corpus(tmp_path, articles) as opened:
        answer = opened.answer("爱奇艺和快手谁裁员多")
    assert answer.found
    first, second = (hit.sentence for hit in answer.hits[:2])
    assert {"20%-40%" in first, "30%" in second} == {True}
