"""Paraphrases that should still be answered, and near misses that should be refused,
on a small corpus written here (the mechanisms of question weighting and not-found)."""

from __future__ import annotations

import numpy as np
import pytest
from small_corpus import first, open_corpus

from index.segment import Segmenter
from retrieval import Retriever
from retrieval.bridge import find_bridge
from retrieval.choose import carry_times
from retrieval.query import QueryBuilder, digit_form
from retrieval.question import parse_question, wanted_kinds
from retrieval.synonyms import SynonymTable
from retrieval.times import Times, find_times
from retrieval.typos import PinyinIndex

ARTICLES = {
    "whale.txt": """蓝鲸科技年度观察

蓝鲸科技的付费会员达到800万。
蓝鲸App自去年问世以来升级迭代二十余次。
蓝鲸科技正在研发新的芯片,芯片性能提升30%。

直到2018年12月,一组数据引人关注。 蓝鲸科技当年年初用户是5000万,年底1亿。

2021年,蓝鲸科技的营收达到80亿元。

2019年蓝鲸科技大会召开。

在当时,蓝鲸科技的员工达到900人,较三年前(2016 年)的500人翻了近一倍。
""",
    "wolf.txt": """灰狼公司风波

灰狼公司裁员 30%,涉及多个部门。
腾讯今年的净利润小幅下降 2%,是十年来首次下滑。
灰狼公司回应裁员消息时态度强硬,称这是正常调整。
10 月 19 日,灰狼公司就裁员消息作出回应。

灰狼公司有12%的员工工作超过10年。
灰狼公司有40%的员工工作3-5年。
""",
    "survey.txt": """员工调研观察

小米发布年度员工调研报告,样本覆盖五千名员工。

报告显示,45%的受访者愿意为项目加班。

另据华为的员工调研,60%的受访者愿意出差。
""",
}


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    opened = open_corpus(tmp_path_factory.mktemp("store"), ARTICLES)
    yield opened
    opened.close()


def test_everyday_words_find_the_articles_formal_ones(retriever: Retriever):
    # 上线 ~ 问世, 更新 ~ 迭代: the shipped table's everyday vocabulary.
    assert "二十余次" in first(retriever.answer("蓝鲸App上线以后更新了多少轮"))


def test_small_and_unused_common_words_do_not_block_an_answer(retriever: Retriever):
    # 看, 有 (one character) and 大概 (a common word the articles never use) weigh little.
    assert "800万" in first(retriever.answer("大概看一下蓝鲸科技付费会员有多少"))


def test_words_weigh_by_what_they_say_about_the_question(segmenter: Segmenter):
    vocabulary = {"付费": 0, "会员": 1, "有": 2}
    builder = QueryBuilder(vocabulary, np.array([2.0, 2.0, 2.0]), segmenter,
                           SynonymTable([]), PinyinIndex(lambda key: []))

    def importance(question: str, word: str) -> float:
        query = builder.build(parse_question(question, segmenter))
        return next(c.importance for c in query.concepts if c.text == word)

    # An unknown noun is what the question is about; an unknown verb is a paraphrase.
    assert importance("火星上的付费会员多少", "火星") == pytest.approx(2.0)
    assert importance("借钱的付费会员多少", "借钱") == pytest.approx(1.0)
    assert importance("付费会员有多少", "有") == pytest.approx(0.6)  # one character


def test_unknown_name_still_blocks_an_answer(retriever: Retriever):
    # A name that no dictionary knows is what the question is about: it keeps its weight.
    assert not retriever.answer("喜茶的付费会员有多少").found


def test_words_joined_into_an_unknown_one_are_no_name(retriever: Retriever):
    # jieba's HMM joins 没跟 (没 v, 跟 p) into a word no article says: that is no name the
    # articles lack, and the question is not refused for it.
    assert retriever.understand("灰狼公司压根没跟员工沟通吗").missing_names == ()
    assert retriever.understand("喜茶的付费会员有多少").missing_names == ("喜茶",)


@pytest.mark.xfail(strict=True, reason="retrained models accept 研发 for 研发投入 on this tiny "
                   "corpus (confidence 0.196 against a threshold of 0.144; the former features "
                   "retrained on today's data: 0.227 against 0.148): only the model of a9f2b8f "
                   "refused it (0.082), and no rule covers it (issue 12)")
def test_one_word_of_a_metric_is_not_the_metric(retriever: Retriever):
    # 研发 alone (developing a chip) does not say 研发投入 (R&D spending).
    assert not retriever.answer("蓝鲸科技研发投入多少").found


def test_company_named_but_not_what_is_asked_about_is_refused(retriever: Retriever):
    assert not retriever.answer("腾讯裁了多少人").found
    assert "30%" in first(retriever.answer("灰狼公司裁了多少人"))


@pytest.mark.xfail(strict=True, reason="蓝鲸科技 is not in the alias table, so the year and "
                   "topic rule for named companies does not apply, and the answerability "
                   "model accepts a 2021 营收 sentence for 2021 用户 (issue 12)")
def test_sentence_about_another_year_is_refused(retriever: Retriever):
    # "当年" refers to 2018, named by the sentence before.
    assert not retriever.answer("蓝鲸科技2021年用户多少").found
    assert "5000万" in first(retriever.answer("蓝鲸科技2018年初用户多少"))


@pytest.mark.xfail(strict=True, reason="the learned ranker puts a sentence naming 2019 "
                   "without a number above the one with 900人 on this tiny corpus (issue 12)")
def test_year_compared_against_is_not_the_sentences_year(retriever: Retriever):
    # "较三年前(2016 年)": the sentence is about the year before it, not 2016.
    assert "900人" in first(retriever.answer("蓝鲸科技2019年员工多少"))


def test_when_question_prefers_the_sentence_with_a_date(retriever: Retriever):
    assert "10 月 19 日" in first(retriever.answer("灰狼公司哪天回应的裁员消息"))


def test_when_question_wants_a_date():
    assert wanted_kinds("快手哪天回应的") == ("date",)
    assert wanted_kinds("快手什么时候上市") == ("date",)
    assert wanted_kinds("快手的战略是什么") == ()


def test_times_carry_to_the_sentences_after_until_another_is_named():
    named = [find_times(t) for t in ("2018年底数据公布", "当年用户1亿", "2020年营收", "同比增长")]
    carried = carry_times(named)
    assert [sorted(t.years) for t in carried] == [[2018], [2018], [2020], [2020]]
    assert carry_times([Times(), find_times("2019年")])[0] == Times()


def test_a_sentence_about_another_quarter_is_refused(tmp_path):
    # Named companies are held to the quarter asked, as to the year: the third quarter's
    # revenue does not say the fourth's.
    results = {"results.txt": "腾讯财报\n腾讯2024年三季度营收为1670亿元,同比增长8%。\n"}
    with open_corpus(tmp_path, results) as opened:
        assert "1670亿元" in first(opened.answer("腾讯2024年三季度营收多少"))
        assert not opened.answer("腾讯2024年四季度营收多少").found


def test_which_ones_asks_for_names_not_an_amount():
    assert wanted_kinds("阿里生活服务板块包括哪几个业务") == ()
    assert wanted_kinds("阿里生活服务板块有几个业务") == ("count",)


def test_the_same_period_last_year_names_the_year_before():
    # "去年同期为…" states the year before the one the sentence names: a question about
    # that year is answered by it, not refused as about another year.
    said = find_times("2021年前三季度,蓝鲸科技净亏损为145亿元,去年同期为72亿元")
    assert said.years == {2021, 2020}
    assert find_times("2021年前三季度,蓝鲸科技净亏损为145亿元").years == {2021}
    # Two years named: which one's 去年 is not said.
    assert find_times("2021年营收高于2019年,去年同期为72亿元").years == {2021, 2019}


def test_a_clause_that_asks_is_not_a_description():
    assert find_bridge("多少被裁的人对补偿不满意") is None
    bridge = find_bridge("收购白鸽的那家公司营收多少")
    assert bridge is not None and bridge.clause == "收购白鸽"


def test_counting_the_described_ones_is_no_description_of_one():
    # The people who use an app are counted, not looked up one by one.
    assert find_bridge("每天刷快手的人有多少") is None
    assert find_bridge("被裁的人里工作不到一年的占多少") is None
    assert find_bridge("收购白鸽的公司有几家子公司") is None
    assert find_bridge("收购白鸽的那家公司第三季度净利润多少") is not None


def test_small_numbers_in_characters_find_the_digits(retriever: Retriever):
    assert "40%" in first(retriever.answer("灰狼公司工作三到五年的员工占多少"))


def test_digit_form_of_small_numbers():
    assert digit_form("五年") == "5年"
    assert digit_form("两") == "2"
    assert digit_form("九次") == "9次"
    assert digit_form("十") == "10"
    assert digit_form("三季度") is None
    assert digit_form("一口气") is None


def test_company_named_in_the_paragraph_before_grounds_the_answer(retriever: Retriever):
    assert "45%" in first(retriever.answer("小米调研里多少受访者愿意加班"))


def test_paragraph_about_another_company_is_not_grounded_by_its_neighbours(
    retriever: Retriever,
):
    answer = retriever.answer("小米调研里多少受访者愿意出差")
    assert not answer.found or "华为" not in answer.hits[0].sentence
