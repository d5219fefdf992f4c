"""The figure a question asks for is listed first: what the question states goes last,
then the kinds it wants, then the figure whose metric spells what it asks about."""

from __future__ import annotations

import pytest
from small_corpus import open_corpus

from retrieval import Retriever

ARTICLES = {
    "staff.txt": "云帆科技人事\n云帆科技员工人数从800人增加到1500人。\n",
    "results.txt": ("星河咖啡财报\n星河咖啡二季度财报显示,营收为35亿元,经调整净利润为4亿元。\n"
                    "星河咖啡的门店同比增长12%,达到6000家。\n"),
    "cars.txt": "蓝鲸汽车出海\n蓝鲸汽车2023年宣布,将于2024年3月进入欧洲。\n",
}


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    opened = open_corpus(tmp_path_factory.mktemp("store"), ARTICLES)
    yield opened
    opened.close()


def _listed(retriever: Retriever, question: str) -> list[str]:
    answer = retriever.answer(question)
    assert answer.found, question
    return [figure.text for figure in answer.hits[0].figures]


def test_a_figure_the_question_states_is_listed_last(retriever: Retriever):
    assert _listed(retriever, "云帆科技员工从800人增加到了多少人") == ["1500人", "800人"]


def test_the_figure_whose_metric_the_question_names_comes_first(retriever: Retriever):
    listed = _listed(retriever, "星河咖啡二季度经调整净利润多少")
    assert listed[:2] == ["4亿元", "35亿元"]
    assert listed[-1] == "二季度"  # the quarter the question names


def test_a_metric_is_found_by_the_questions_other_spellings(retriever: Retriever):
    # 赚 is looked up as 利润 and 净利润 too.
    assert _listed(retriever, "星河咖啡二季度赚了多少钱")[0] == "4亿元"


def test_the_wanted_kind_comes_before_the_metric(retriever: Retriever):
    # "增长了多少" wants a share, though 门店 names the count's metric as well.
    assert _listed(retriever, "星河咖啡门店增长了多少")[0] == "12%"


def test_a_question_naming_a_year_keeps_dates_of_other_years_first(retriever: Retriever):
    assert _listed(retriever, "2023年蓝鲸汽车什么时候进入欧洲") == ["2024年3月", "2023年"]
