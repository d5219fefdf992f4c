"""The Retriever end to end on a small corpus written here: each mechanism on its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from small_corpus import first, open_corpus
from test_answers_unchanged import sample_store

import retrieval.answer as answer_module
from index import build_index
from index.store import StoreOutdated
from retrieval import MAX_QUESTION_CHARS, EmptyQuestion, Retriever
from retrieval.answer import NEAREST_CONFIDENCE, answer_to_dict, match_spans

ARTICLES = {
    "results.txt": """星辰快讯：快手发布季度业绩

2023年第三季度,快手的营收达到100亿元,同比增长5%。
2024年第三季度,快手的营收达到120亿元,同比增长20%。
快手员工人数约为2万人。
快手员工普遍认为快手员工的工作氛围开放,快手员工也认可管理层。
""",
    "drama.txt": """短剧行业观察

今年短剧市场规模预计达到500亿元,观众以年轻人为主。
拼多多的新用户增长放缓,广告主开始观望。
这一句话会重复出现。
这一句话会重复出现。
""",
}


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    opened = open_corpus(tmp_path_factory.mktemp("store"), ARTICLES)
    yield opened
    opened.close()


def test_plain_question_finds_the_sentence_and_its_figures(retriever: Retriever):
    answer = retriever.answer("快手2024年第三季度营收多少？")
    hit = answer.hits[0]
    assert "120亿元" in hit.sentence
    assert hit.figures[0].text == "120亿元"  # the money the question asks for comes first
    assert hit.source.path == "results.txt"
    assert hit.source.title == "星辰快讯：快手发布季度业绩"
    assert any(hit.sentence[s:e] == "营收" for s, e in hit.spans)


def test_english_alias_finds_the_chinese_name(retriever: Retriever):
    assert "快手的营收" in first(retriever.answer("Kuaishou revenue多少"))


def test_pinyin_typo_finds_the_word_that_sounds_alike(retriever: Retriever):
    assert "短剧市场规模" in first(retriever.answer("短句市场规模多大"))


def test_traditional_question_matches_simplified_articles(retriever: Retriever):
    assert "营收" in first(retriever.answer("快手2024年第三季度營收多少"))


@pytest.mark.parametrize(
    ("question", "expected"),
    [("快手24年第三季度营收多少", "120亿元"), ("快手2023年Q3营收多少", "100亿元")],
)
def test_time_in_question_prefers_sentences_about_that_time(retriever, question, expected):
    assert expected in first(retriever.answer(question))


def test_quantity_question_prefers_a_sentence_with_a_count(retriever: Retriever):
    # The other sentence repeats 快手员工 three times but holds no number.
    assert "2万人" in first(retriever.answer("快手员工有多少人"))


@pytest.mark.parametrize("question", ["美团营收多少", "2019年快手营收多少", "？？！！😀"])
def test_questions_the_articles_cannot_answer_are_refused(retriever, question):
    answer = retriever.answer(question)
    assert not answer.found
    assert answer.hits == ()
    # What contradicts the question (a company or year the articles never name) or says
    # nothing of it is no nearest sentence either.
    assert answer.nearest is None


def test_a_refused_answer_shows_its_nearest_sentence_only_when_nothing_rules_it_out(tmp_path):
    # Over the sample corpus: a question half said (the members, not their benefits) is
    # refused for want of confidence and shows the sentence nearest to it; one answered,
    # one about nothing there and one naming a company the articles never name show none.
    with Retriever.open(sample_store(tmp_path)) as sample:
        refused = sample.answer("星河咖啡的会员有什么权益")
        assert not refused.found and refused.hits == ()
        assert refused.confidence >= NEAREST_CONFIDENCE
        assert refused.nearest is not None and "星河咖啡" in refused.nearest.sentence
        assert answer_to_dict(refused)["nearest"]["sentence"] == refused.nearest.sentence
        for question in ("云帆科技的CEO是谁", "今天天气怎么样", "美团的会员有什么权益"):
            assert sample.answer(question).nearest is None, question


def test_repeated_lines_are_shown_once(retriever: Retriever):
    sentences = [hit.sentence for hit in retriever.answer("重复出现的句子", top=5).hits]
    assert sentences.count("这一句话会重复出现。") == 1


def test_command_and_mention_are_ignored(retriever: Retriever):
    answer = retriever.answer("/ask@WendaBot @someone 短剧市场规模多大")
    assert answer.question == "短剧市场规模多大"
    assert "500亿元" in first(answer)


@pytest.mark.parametrize("question", ["", "   ", "/ask", "/ask@WendaBot"])
def test_empty_question_is_an_error(retriever: Retriever, question: str):
    with pytest.raises(EmptyQuestion):
        retriever.answer(question)


def test_long_question_is_cut(retriever: Retriever):
    answer = retriever.answer("短剧市场规模多大" * 100)
    assert answer.truncated
    assert len(answer.question) == MAX_QUESTION_CHARS


def test_passage_stats_and_examples(retriever: Retriever):
    hit = retriever.answer("短剧市场规模多大").hits[0]
    passage = retriever.passage(hit.passage_id)
    assert hit.sentence in passage.text
    assert passage.source.path == "drama.txt"
    assert retriever.stats.documents == 2
    for question in retriever.example_questions(3):
        assert retriever.answer(question).found


def test_missing_store_is_reported(tmp_path: Path):
    from retrieval import StoreMissing

    with pytest.raises(StoreMissing):
        Retriever.open(tmp_path / "none.db")


def test_a_month_range_is_not_the_month_asked_about(tmp_path: Path):
    cars = (
        "蓝鲸汽车交付创新高\n今年1至10月,蓝鲸汽车累计交付新车21.8万辆。\n"
        "蓝鲸汽车11月1日公布,10月共交付新车3.2万辆。\n"
    )
    with open_corpus(tmp_path, {"cars.txt": cars}) as opened:
        assert "3.2万辆" in first(opened.answer("蓝鲸汽车10月交付了多少辆新车？"))
        assert "21.8万辆" in first(opened.answer("蓝鲸汽车1到10月一共交付了多少辆？"))


def test_numbers_and_latin_words_are_highlighted_whole():
    text = "门店总数突破10000家，10月上线Kling AI，said"
    spans = match_spans(text, {"10", "ai", "门店"})
    assert [text[s:e] for s, e in spans] == ["门店", "10", "AI"]


def test_further_sentences_must_answer_too(retriever: Retriever):
    # Sentences about staff or dramas say too little of a revenue question to be shown.
    for hit in retriever.answer("快手2024年第三季度营收多少？").hits:
        assert "营收" in hit.sentence


def test_a_company_named_by_what_it_did_is_found_through_it(tmp_path: Path):
    deals = (
        "并购回顾\n2018年,腾讯以30亿元收购了星光游戏。\n"
        "腾讯第二季度的净利润为300亿元。\n网易第二季度的净利润为80亿元。\n"
    )
    with open_corpus(tmp_path, {"deals.txt": deals}) as opened:
        answer = opened.answer("收购星光游戏的那家公司第二季度净利润多少")
        assert "300亿元" in first(answer)
        assert "收购了星光游戏" in answer.hits[1].sentence  # the link that names the company


def test_a_company_named_by_what_it_did_may_be_named_by_the_articles_title(tmp_path: Path):
    # The sentence of the deed names only the product; the article's title names the company.
    articles = {
        "ai.txt": "快手披露AI进展\n近期,可灵AI正式推出独立App。\n可灵AI的会员体系已上线。\n",
        "ceo.txt": "快手管理层\n快手CEO程一笑表示将继续降本增效。\n",
        "other.txt": "网易管理层\n网易CEO丁磊表示游戏业务稳定。\n",
    }
    with open_corpus(tmp_path, articles) as opened:
        assert "程一笑" in first(opened.answer("推出可灵AI的公司CEO是谁"))


def test_amounts_come_before_dates_among_a_hits_figures(tmp_path: Path):
    cars = "蓝鲸汽车交付创新高\n蓝鲸汽车11月1日公布,10月共交付新车3.2万辆,同比增长156%。\n"
    with open_corpus(tmp_path, {"cars.txt": cars}) as opened:
        figures = opened.answer("蓝鲸汽车10月交付了多少辆新车？").hits[0].figures
    assert figures[0].text == "3.2万辆"
    assert [f.kind for f in figures][-2:] == ["date", "date"]


def test_an_amount_asked_of_a_known_company_needs_a_sentence_stating_one(tmp_path: Path):
    # Membership launched, but no price said anywhere: a matching sentence is no answer.
    members = ("快手会员观察\n快手自7月底陆续向国内和海外用户推出会员付费体系。\n"
               "快手表示会员权益还将继续丰富。\n")
    profit = "快手业绩\n快手的净利润下降了 2%,是三年来首次下滑。\n"
    with open_corpus(tmp_path, {"members.txt": members, "profit.txt": profit}) as opened:
        assert not opened.answer("快手会员一个月多少钱").found
        assert "7月底" in first(opened.answer("快手什么时候推出会员"))
        # Its words want a sum, a share answers it: any amount will do.
        assert "2%" in first(opened.answer("快手净利润降了多少"))


@pytest.mark.parametrize(("article", "question", "figure"), [
    # jieba cuts 快首 into 快/首, two known characters: it sounds like 快手, a company.
    ("快手季报\n快手的收入为120亿元,快手的用户继续增长。\n快手员工约为2万人。\n",
     "快首营收多少", "120亿元"),
    # 可林 (ke lin) for 可灵 (ke ling), a sound input methods blur: without it, a product
    # nobody names, so not found.
    ("可灵进展\n9月发布的可灵AI新模型,在9月实现月活超150万。\n", "可林AI月活多少", "150万"),
])
def test_a_misspelt_company_is_still_the_company(tmp_path: Path, article: str, question: str,
                                                 figure: str):
    articles = {"company.txt": article,
                "bilibili.txt": "哔哩哔哩季报\n哔哩哔哩的营收为50亿元,月活为3亿,"
                                "营收同比增长10%。\n"}
    with open_corpus(tmp_path, articles) as opened:
        assert figure in first(opened.answer(question))


def test_a_name_cut_into_characters_is_highlighted_whole(tmp_path: Path):
    with open_corpus(tmp_path, {"a.txt": "财报\n云帆科技第三季度总营收为126亿元。\n"}) as opened:
        hit = opened.answer("云帆科技第三季度总营收是多少？").hits[0]
    assert [hit.sentence[s:e] for s, e in hit.spans][0].startswith("云帆")


def test_answers_do_not_depend_on_what_the_caches_hold(tmp_path: Path, monkeypatch):
    questions = ["快手2024年第三季度营收多少？", "短剧市场规模多大", "快手有多少员工"]
    roomy = open_corpus(tmp_path, ARTICLES)
    expected = [answer_to_dict(roomy.answer(q)) for q in questions]
    roomy.close()
    # Caches of one entry: every question pushes out what the one before kept, and a
    # question's own passages push out each other.
    monkeypatch.setattr(answer_module, "_PASSAGE_CACHE_SIZE", 1)
    monkeypatch.setattr(answer_module, "_FIGURE_CACHE_SIZE", 1)
    cramped = Retriever.open(tmp_path / "wenda.db")
    try:
        assert [answer_to_dict(cramped.answer(q)) for q in questions * 2] == expected * 2
    finally:
        cramped.close()


def test_a_retriever_opened_before_a_reindex_keeps_answering(tmp_path: Path):
    question = "快手2024年第三季度营收多少？"
    retriever = open_corpus(tmp_path, ARTICLES)
    try:
        before = answer_to_dict(retriever.answer(question))
        (tmp_path / "corpus" / "drama.txt").unlink()
        build_index(tmp_path / "corpus", tmp_path / "wenda.db")  # its weights file is deleted
        assert answer_to_dict(retriever.answer(question)) == before
    finally:
        retriever.close()


def test_a_store_without_its_weights_file_asks_for_a_rebuild(tmp_path: Path):
    open_corpus(tmp_path, ARTICLES).close()
    for mapped in tmp_path.glob("wenda.db.*.arrays"):
        mapped.unlink()
    with pytest.raises(StoreOutdated, match="rebuild"):
        Retriever.open(tmp_path / "wenda.db")


GROUNDING = {
    "zhaopin.txt": """职场调查

智联招聘发布了年度职场调查报告。

报告显示,有裁员行为的企业占比为23.5%。
""",
    "lagou.txt": """另一份职场调查

拉勾网发布了年度职场调查报告。

报告中有裁员行为的企业占比为15.2%。
""",
}


def test_a_paragraph_is_about_the_company_the_one_before_it_names(tmp_path: Path):
    # Neither figure's paragraph names a company; the paragraph before each does. The
    # one about 拉勾 matches the question's wording better, but is about another company.
    with open_corpus(tmp_path, GROUNDING) as grounded:
        answer = grounded.answer("智联招聘报告中有裁员行为的企业占比多少？")
    assert answer.found
    assert "23.5%" in answer.hits[0].sentence
    assert answer.hits[0].source.path == "zhaopin.txt"


# An article on something else, which several small corpora below hold beside their own.
DEAL = "阿里收购\n2018年4月,阿里以95亿美元全资收购饿了么。\n"


def test_a_verb_jieba_joins_to_its_particle_is_still_asked_as_its_synonyms(tmp_path: Path):
    # 亏了 is one word to jieba; the table's 亏 stands for 亏损 and 净亏损.
    articles = {"loss.txt": "快手业绩\n快手2021年前三季度调整后净亏损为 145.11 亿元。\n",
                "users.txt": "快手用户\n快手四季度日活用户达到3.23亿。\n"}
    with open_corpus(tmp_path, articles) as opened:
        assert "净亏损" in first(opened.answer("快手亏了多少"))


def test_buying_a_company_is_asked_as_its_acquisition(tmp_path: Path):
    articles = {"deal.txt": DEAL,
                "cloud.txt": "阿里云\n阿里云的营收增长了20%。\n"}
    with open_corpus(tmp_path, articles) as opened:
        assert "95亿美元" in first(opened.answer("阿里花了多少钱买饿了么"))


def test_an_everyday_verb_is_asked_as_the_articles_word(tmp_path: Path):
    # 拿到 is how people ask; the survey says 收到, which the answer shows in bold.
    articles = {"pay.txt": "裁员补偿\n补偿方式上,有33%的被裁受访者表示收到“N+1”补偿,"
                           "有25.7%没有收到任何物质补偿。\n",
                "mood.txt": "行业信心\n受访从业者中,有55%表示对行业已经失去信心。\n",
                "deal.txt": DEAL}
    with open_corpus(tmp_path, articles) as opened:
        answer = opened.answer("没拿到任何补偿的占比多少")
    assert answer.found
    best = answer.hits[0]
    assert "25.7%" in best.sentence
    assert "收到" in {best.sentence[start:end] for start, end in best.spans}


def test_people_who_use_an_app_every_day_are_its_daily_actives(tmp_path: Path):
    # "每天刷/每个月用 X 的人" is how people ask for DAU and MAU; the articles say 日活/月活
    # and 用户, never 人, and the question is no description of one person to look up.
    articles = {"users.txt": "快手用户\n快手平均日活跃用户达4.08亿,平均月活跃用户达7.14亿。\n",
                "kling.txt": "可灵进展\n可灵AI单月流水超千万元,每天生成视频超过10万条。\n",
                "mood.txt": "行业信心\n受访从业者中,有55%表示对行业已经失去信心。\n",
                "deal.txt": DEAL}
    with open_corpus(tmp_path, articles) as opened:
        daily = opened.answer("每天刷快手的人有多少")
        monthly = opened.answer("每个月用快手的人有多少")
        framed = opened.answer("快手一天有多少人在用")
    assert "4.08亿" in first(daily) and "7.14亿" in first(monthly)
    assert "4.08亿" in first(framed)


def test_a_place_the_articles_never_name_is_not_answered(tmp_path: Path):
    # 在火星, 火星上: no sentence can be about a place no article names, however well the
    # rest of the question matches; once an article names it, it is answered.
    coffee = {"coffee.txt": "星河咖啡门店\n星河咖啡全国门店总数突破10000家。\n"
                            "二季度新开门店1378家,其中约六成位于三线城市。\n",
              "deal.txt": DEAL}
    with open_corpus(tmp_path / "before", coffee) as opened:
        assert not opened.answer("星河咖啡在火星有多少门店").found
        assert not opened.answer("火星上有多少家咖啡店").found
        assert "10000家" in first(opened.answer("星河咖啡全国有多少门店"))
    mars = {**coffee, "mars.txt": "火星咖啡开业\n火星上共有3家咖啡店,均由示例公司经营。\n"}
    with open_corpus(tmp_path / "after", mars) as opened:
        assert "3家" in first(opened.answer("火星上有多少家咖啡店"))


def test_english_function_words_ask_nothing(tmp_path: Path):
    # does/have are no topic the answer must say: the question is about 可灵's users.
    articles = {"kling.txt": "可灵进展\n可灵AI自今年6月问世以来,目前服务用户已超500万。\n",
                "mood.txt": "行业信心\n受访用户中,有55%表示对行业已经失去信心。\n",
                "users.txt": "快手用户\n快手平均日活跃用户达4.08亿,用户时长增长。\n",
                "deal.txt": "阿里收购\n2018年4月,阿里以95亿美元全资收购饿了么,"
                            "饿了么用户随之增长。\n"}
    with open_corpus(tmp_path, articles) as opened:
        answer = opened.answer("How many users does Kling AI have?")
    assert answer.found
    assert answer.hits[0].figures[0].text == "500万"


def test_a_sentence_on_another_quarter_comes_after_one_on_the_asked_quarter(tmp_path: Path):
    # The third quarter's sentence spells 日活 as asked; the fourth quarter's says DAU.
    articles = {"q3.txt": "蓝鲸三季报\n值得注意的是,三季度在用户规模方面,蓝鲸整体DAU(日活用户)"
                          "突破3亿,平均日活跃用户同比增长6.1%达3.12亿。\n",
                "q4.txt": "蓝鲸四季报\n在本次业绩会上,CEO说,四季度达到历史新高的2.95亿DAU,"
                          "进一步加强了实现3亿DAU目标的信心。\n",
                "deal.txt": DEAL}
    with open_corpus(tmp_path, articles) as opened:
        assert "2.95亿" in first(opened.answer("蓝鲸四季度日活多少"))


def test_money_asked_in_so_many_words_needs_a_sum_not_a_share(tmp_path: Path):
    shares = "股价回落\n比起峰值,腾讯股价下跌 20%,阿里巴巴下跌 40%。\n资本市场反应及时。\n"
    with open_corpus(tmp_path, {"shares.txt": shares, "deal.txt": DEAL}) as opened:
        assert not opened.answer("阿里巴巴股价多少钱").found
        assert opened.answer("阿里巴巴股价跌了多少").found
        assert "95亿美元" in first(opened.answer("阿里收购饿了么花了多少钱"))


def test_a_measure_of_something_the_articles_never_name_is_not_found(tmp_path: Path):
    staff = "爱奇艺员工\n在当时,爱奇艺的员工数量已经高达 8889 人。\n爱奇艺的业务覆盖多个领域。\n"
    layoffs = "爱奇艺裁员\n据网友爆料,爱奇艺裁员比例达到 20%-40%。\n"
    members = "可灵会员\n可灵AI陆续向用户推出会员付费体系。\n"
    articles = {"staff.txt": staff, "layoffs.txt": layoffs, "members.txt": members}
    with open_corpus(tmp_path, articles) as opened:
        assert not opened.answer("爱奇艺会员数量多少").found  # 爱奇艺's 会员 are named nowhere
        assert "8889 人" in first(opened.answer("爱奇艺员工数量多少"))
        assert "20%-40%" in first(opened.answer("爱奇艺裁员比例多少"))
