"""The figure a question asks for is listed first: what the question states goes last,
then the kinds it wants, then the figure whose metric repeats its words."""

from __future__ import annotations

from index.figures import extract_figures
from index.segment import Segmenter
from retrieval.figure_order import order_figures
from retrieval.question import parse_question


def _listed(question: str, sentence: str, segmenter: Segmenter) -> list[str]:
    return [f.text for f in order_figures(extract_figures(sentence),
                                          parse_question(question, segmenter))]


def test_a_figure_the_question_states_is_listed_last(segmenter: Segmenter):
    listed = _listed("云帆科技员工从800人增加到了多少人", "云帆科技员工人数从800人增加到1500人。",
                     segmenter)
    assert listed == ["1500人", "800人"]


def test_the_figure_whose_metric_the_question_names_comes_first(segmenter: Segmenter):
    listed = _listed("星河咖啡二季度净利润多少", "星河咖啡二季度营收为35亿元,净利润为4亿元。",
                     segmenter)
    assert listed[:2] == ["4亿元", "35亿元"]
    assert listed[-1] == "二季度"  # the quarter the question names


def test_the_wanted_kind_comes_before_the_metric(segmenter: Segmenter):
    # "增长了多少" wants a percentage, though 净利润 names the amount's metric.
    listed = _listed("星河咖啡净利润增长了多少", "星河咖啡净利润为4亿元,同比增长12%。", segmenter)
    assert listed == ["12%", "4亿元"]


def test_a_question_naming_a_year_keeps_other_dates_of_other_years(segmenter: Segmenter):
    listed = _listed("2023年蓝鲸汽车什么时候进入欧洲",
                     "蓝鲸汽车2023年宣布,将于2024年3月进入欧洲。", segmenter)
    assert listed == ["2024年3月", "2023年"]


def test_one_figure_or_none_is_listed_as_it_is(segmenter: Segmenter):
    assert _listed("云帆营收多少", "云帆营收为12亿元。", segmenter) == ["12亿元"]
    assert _listed("云帆营收多少", "云帆营收创新高。", segmenter) == []
