"""The Retriever end to end on a small corpus written here: each mechanism on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import build_index
from retrieval import MAX_QUESTION_CHARS, Answer, EmptyQuestion, Retriever

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
    corpus = tmp_path_factory.mktemp("corpus")
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    db_path = tmp_path_factory.mktemp("store") / "wenda.db"
    build_index(corpus, db_path)
    opened = Retriever.open(db_path)
    yield opened
    opened.close()


def first(answer: Answer) -> str:
    assert answer.found, f"not found: {answer.question}"
    return answer.hits[0].sentence


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
