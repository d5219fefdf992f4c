"""Reading questions: commands removed, question words dropped, wanted figure kinds, times."""

from __future__ import annotations

import pytest

from index.normalise import normalise
from index.segment import Segmenter
from retrieval.question import (
    MAX_QUESTION_CHARS,
    asked_units,
    asks_amount,
    asks_money,
    clean_question,
    parse_question,
    wanted_kinds,
)
from retrieval.times import compare_times, find_times, may_name_time
from settings import sample_corpus_dir


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("/ask 快手营收", "快手营收"),
        ("/ask@WendaBot 快手营收", "快手营收"),
        ("@WendaBot 快手营收?", "快手营收?"),
        ("/ask", ""),
    ],
)
def test_clean_question(raw: str, cleaned: str):
    assert clean_question(raw) == cleaned


def test_question_words_are_dropped(segmenter: Segmenter):
    words = [w.text for w in parse_question("快手三季度营收是多少呢？", segmenter).words]
    assert "营收" in words
    assert not {"多少", "呢"} & set(words)


@pytest.mark.parametrize(
    ("question", "content", "asked"),
    [
        # jieba cuts 哪一年 as 哪 + 一年: 一年 would be searched for, and read as a figure.
        ("快手在哪一年上市", {"快手", "上市"}, "哪一年"),
        ("哪一條河流最長", {"河流", "最长"}, "哪一条"),
        ("由哪一位导演执导", {"导演", "执导"}, "哪一位"),
        ("哪两个国家签了协议", {"国家", "协议"}, "哪两个"),
        ("长崎县第几区工人最多", {"长崎县", "工人"}, "第几区"),
        ("辞典于何年问世", {"辞典", "问世"}, "何年"),
        ("這是甚麼動物", {"动物"}, "什么"),
    ],
)
def test_a_question_word_with_its_measure_is_no_content(segmenter: Segmenter, question: str,
                                                        content: set[str], asked: str):
    parsed = parse_question(question, segmenter)
    words = {w.text for w in parsed.words}
    assert content <= words
    assert not {"一年", "一条", "一位", "两个", "第", "何年", "甚么", "什么"} & words
    assert parsed.normalised[slice(*parsed.asks)] == asked
    assert not parsed.figures  # 两个 of 哪两个 is no figure the question states


def test_which_year_asks_for_a_date(segmenter: Segmenter):
    assert parse_question("辞典于何年问世", segmenter).kinds == ("date",)
    assert parse_question("辞典在哪一年问世", segmenter).kinds == ("date",)


def test_people_counted_are_asked_as_a_measure(segmenter: Segmenter):
    # "用快手的人有多少": the articles count users or respondents and rarely say 人.
    def words(question: str) -> list[str]:
        return [w.text for w in parse_question(question, segmenter).words]

    assert "人" not in words("每天用快手的人有多少")
    assert "人" not in words("被裁的人里工作不到一年的占多少")
    assert "人" in words("第一个登上月球的人是谁")


def test_traditional_and_full_width_are_normalised(segmenter: Segmenter):
    parsed = parse_question("快手營收ＤＡＵ", segmenter)
    assert parsed.normalised == "快手营收dau"


@pytest.mark.parametrize(
    ("question", "first_kind"),
    [
        ("快手营收多少", "money"),
        ("可灵一个月能收多少钱", "money"),
        ("快手这季度挣了多少", "money"),
        ("快手三季度盈利多少", "money"),
        ("快手上季度一共进账多少", "money"),
        ("爱奇艺股价跌了多少", "percent"),
        ("裁员比例多大", "percent"),
        ("快手有多少员工", "count"),
        ("有多少受访者觉得满意", "percent"),
        ("复购率涨了几个点", "pp"),
    ],
)
def test_wanted_figure_kind(question: str, first_kind: str):
    assert wanted_kinds(question)[0] == first_kind


def test_questions_without_quantity_want_no_figure():
    assert wanted_kinds("字节裁员重点是哪块业务") == ()


@pytest.mark.parametrize(
    ("text", "years", "periods"),
    [
        ("快手24年第三季度赚了多少", {2024}, {"Q3"}),
        ("快手q3电商gmv", set(), {"Q3"}),
        ("2021年前三季度亏了多少", {2021}, {"Q1-Q3"}),
        ("21年q4业绩会", {2021}, {"Q4"}),
        ("双十一的成绩", set(), {"双11"}),
        ("截止到 2020 年 12 月", {2020}, set()),
        ("工作了1到2年", set(), set()),
        ("第一季的剧情", set(), set()),
        ("台积电第三季营收多少", set(), {"Q3"}),  # before what a quarter reports
        ("阿里巴巴2024财年营收多少", {2024}, set()),  # fiscal years and quarters
        ("阿里fy24营收", {2024}, set()),
        ("苹果第四财季营收多少", set(), {"Q4"}),
        ("第三季节目收视率", set(), set()),
        ("18年底快手日活多少来着", {2018}, set()),  # a year's end or start names it
        ("21年初的员工数", {2021}, set()),
        ("工作了10年底薪多少", set(), set()),
    ],
)
def test_find_times(text: str, years: set, periods: set):
    times = find_times(text)
    assert set(times.years) == years
    assert set(times.periods) == periods


def test_every_time_found_is_written_with_a_time_character():
    """The hand score parses only the sentences holding one (times.may_name_time)."""
    texts = [normalise(line) for path in sorted(sample_corpus_dir().rglob("*.*"))
             for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    texts += ["快手24年第三季度赚了多少", "快手q3电商gmv", "2021前三季度", "上半年", "全年", "年度",
              "双十一", "截止到 2020 年 12 月", "十月", "1至10月"]
    timed = [text for text in texts if find_times(text)]
    assert len(timed) > 10
    assert all(may_name_time(text) for text in timed)


def test_compare_times():
    wanted = find_times("2024年第三季度")
    assert compare_times(wanted, find_times("2024年三季度业绩")) == 1.0
    assert compare_times(wanted, find_times("2021年第四季度")) == -1.0
    assert compare_times(wanted, find_times("今年以来")) == 0.0


def test_a_range_of_months_said_again_counts_and_a_single_month_only_demotes():
    months = find_times("蓝鲸汽车1到10月一共交付了多少辆？")
    assert compare_times(months, find_times("今年1至10月累计交付新车21.8万辆")) == 1.0
    assert compare_times(months, find_times("10月共交付新车3.2万辆")) == -1.0
    october = find_times("10月交付了多少辆")
    assert compare_times(october, find_times("10月共交付新车3.2万辆")) == 0.0
    assert compare_times(october, find_times("9月交付2.6万辆")) == -1.0


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("蓝鲸汽车10月交付了多少辆新车？", ("count",)),
        ("快手DAU?", ("count",)),
        ("快手2024年Q3净利润", ("money",)),
        ("What was Kuaishou's Q3 revenue?", ("money",)),
        ("云帆科技第三季度总营收是多少？", ("money",)),
    ],
)
def test_measure_words_and_bare_measures_ask_for_their_kind(segmenter, question, kinds):
    parsed = parse_question(question, segmenter)
    assert parsed.quantity and parsed.kinds == kinds


def test_a_question_is_normalised_before_it_is_cut(segmenter):
    # NFKC turns ﷺ into 18 characters: cut before, 500 of them would become 9,000.
    parsed = parse_question("ﷺ" * 500, segmenter)
    assert parsed.truncated
    assert len(parsed.normalised) <= MAX_QUESTION_CHARS


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("可灵ai会员一个月多少钱", True),
        ("蓝鲸汽车有几家门店", True),
        ("how much did it cost", True),
        ("网易是在西元几年进入搜索市场的", False),  # which year
        ("快手几月被爆料裁员", False),
        ("股价大跌近25%是由于哪个游戏", False),  # the change is given, a game is asked
    ],
)
def test_a_question_asks_outright_for_an_amount(question: str, asks: bool):
    assert asks_amount(question) is asks


@pytest.mark.parametrize(("question", "money"), [
    ("阿里巴巴股价多少钱", True), ("花了多少美元", True), ("几块钱一杯", True),
    ("快手股价跌了多少", False), ("有多少员工", False),
])
def test_money_asked_in_so_many_words(question: str, money: bool):
    assert asks_money(question) is money


@pytest.mark.parametrize(("question", "units"), [
    ("峡谷宽多少米", {"m"}),
    ("他当时几岁", {"years old"}),
    ("赢得过几次冠军", {"times"}),
    ("面积多少平方公里", {"km2"}),
    ("服役要多久", {"year", "month", "week", "day", "hour", "minute", "second", "quarter"}),
    ("峡谷有多深", {"m", "km", "cm", "mm"}),
    ("快手营收多少", set()),
    ("花了多少钱", set()),
    ("多少亿元", set()),  # money is what the kinds ask for
])
def test_the_units_a_question_asks_in(segmenter: Segmenter, question: str, units: set[str]):
    assert asked_units(question) == units
    assert parse_question(question, segmenter).units == units
