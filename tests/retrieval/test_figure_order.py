"""The figure a question asks for is listed first (the shipped learned model): what the
question states goes last; the kinds it wants, a metric spelling what it asks about and
its words said next to a figure bring that figure forward."""

from __future__ import annotations

import pytest
from small_corpus import open_corpus

from retrieval import Retriever

ARTICLES = {
    "staff.txt": "云帆科技人事\n云帆科技员工人数从800人增加到1500人。\n",
    "results.txt": ("星河咖啡财报\n星河咖啡二季度财报显示,营收为35亿元,经调整净利润为4亿元。\n"
                    "星河咖啡的门店同比增长12%,达到6000家。\n"),
    "quarter.txt": ("蓝鲸科技业绩\n11月20日,蓝鲸科技发布2024年三季度业绩,总营收同比增长11.4%至"
                    "311亿元,经调整净利润同比增长24.4%达39亿元。\n"),
    "trade.txt": ("蓝鲸电商\n这种模式在2021年帮助蓝鲸电商GMV取得78.4%的增长,规模达到6800亿元。\n"),
    "cars.txt": "蓝鲸汽车出海\n蓝鲸汽车2023年宣布,将于2024年3月进入欧洲。\n",
    "shares.txt": ("股价回落\n比起峰值,云帆股价下跌20%,星河咖啡下跌40%,蓝鲸汽车下跌了60%。\n"
                   "资本市场的反应很及时。\n"),
    "service.txt": "兵役制度\n依照法律,20到30岁之间的男性需要服兵役,一般服役期限为两年。\n",
    "canyon.txt": "峡谷步道\n这座峡谷有2条步道,全长702米。\n",
    "rail.txt": ("铁路历史\n1870年战争期间,铁路被占领,1871年1月18日新线路开工,"
                 "同年2月26日正式通车。\n"),
    "survey.txt": ("调查报告\n仅43.8%的受访者表示企业与其进行了充分沟通,19.9%表示沟通很充分,"
                   "有25%受访者表示企业与被裁员工无沟通。\n"),
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


def test_a_question_that_only_names_a_measure_gets_its_figure_first(retriever: Retriever):
    # No 多少: the measure it ends with says what is asked.
    assert _listed(retriever, "蓝鲸科技2024年Q3净利润")[0] == "39亿元"
    assert _listed(retriever, "What was 蓝鲸科技's Q3 revenue?")[0] == "311亿元"


def test_a_date_the_question_does_not_ask_for_never_comes_first(retriever: Retriever):
    # 蓝鲸电商GMV follows 2021年, but the question asks for an amount.
    assert _listed(retriever, "蓝鲸电商GMV是多少亿")[0] == "6800亿元"


def test_a_metric_is_found_by_the_questions_other_spellings(retriever: Retriever):
    # 赚 is looked up as 利润 and 净利润 too.
    assert _listed(retriever, "星河咖啡二季度赚了多少钱")[0] == "4亿元"


def test_a_part_of_the_year_the_question_names_is_stated_in_any_year(retriever: Retriever):
    # 三季度 (of no year) is what the question names: 2024年三季度 is no answer to when.
    assert _listed(retriever, "蓝鲸科技三季度业绩什么时候发布")[0] == "11月20日"


@pytest.mark.parametrize(("question", "first"), [
    ("新线路在哪一年正式通车", "1871年1月18日"),  # which year: a date that names it
    ("新线路什么时候正式通车", "同年2月26日"),  # when: the date said with the event
])
def test_a_question_asking_which_year_lists_a_date_naming_one_first(retriever: Retriever,
                                                                     question: str, first: str):
    assert _listed(retriever, question)[0] == first


def test_the_wanted_kind_comes_before_the_metric(retriever: Retriever):
    # "增长了多少" wants a share, though 门店 names the count's metric as well.
    assert _listed(retriever, "星河咖啡门店增长了多少")[0] == "12%"


def test_a_question_naming_a_year_keeps_dates_of_other_years_first(retriever: Retriever):
    assert _listed(retriever, "2023年蓝鲸汽车什么时候进入欧洲") == ["2024年3月", "2023年"]


def test_the_figure_said_next_to_the_company_asked_about_comes_first(retriever: Retriever):
    # 股价下跌 is said before 20% (the metric the former order went by), 蓝鲸汽车 before 60%.
    assert _listed(retriever, "蓝鲸汽车股价跌了多少")[0] == "60%"


def test_the_figure_the_questions_words_follow_comes_first(retriever: Retriever):
    assert _listed(retriever, "多少受访者表示企业与被裁员工无沟通")[0] == "25%"


@pytest.mark.parametrize(("question", "first"), [
    ("服兵役一般要服多久", "两年"),  # a duration, not the ages
    ("峡谷步道全长多长", "702米"),  # a length, not the count of paths
])
def test_the_figure_in_the_measure_asked_comes_first(retriever: Retriever, question: str,
                                                     first: str):
    assert _listed(retriever, question)[0] == first


def test_a_sentence_of_hundreds_of_figures_lists_them_all(tmp_path):
    numbers = ",".join(f"第{i}项收入{i + 10}亿元" for i in range(300))
    with open_corpus(tmp_path, {"many.txt": f"收入清单\n清单显示{numbers}。\n"}) as opened:
        answer = opened.answer("第7项收入多少")
        assert answer.found
        figures = [f.text for f in answer.hits[0].figures]
    assert len(figures) == len(set(figures)) >= 300
