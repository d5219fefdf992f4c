"""rjieba must cut exactly as jieba: the same tokens, offsets and tags, or the test fails.

The reference is jieba 0.42 set up as Wenda set it up before rjieba
(tests/index/jieba_reference.py). Compared on the real corpus, the sample
corpus, a corpus with its own userdict.txt and synonyms.txt, and seeded
random text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.read import read_paragraphs
from index.segment import Segmenter
from settings import sample_corpus_dir
from tests.index.jieba_reference import JiebaReference


@pytest.fixture(scope="session")
def reference() -> JiebaReference:
    return JiebaReference()


def _lines(folder: Path) -> list[str]:
    lines = []
    for path in sorted(folder.iterdir()):
        if path.suffix in (".txt", ".md", ".jsonl"):
            lines += [paragraph.text for paragraph in read_paragraphs(path)]
    return lines


def _assert_same(segmenter: Segmenter, reference: JiebaReference, lines: list[str]) -> None:
    assert lines
    for line in lines:
        assert segmenter.tokens(line) == reference.tokens(line), line
        offsets = [(token.text, token.start, token.end) for token in segmenter.segment(line)]
        assert offsets == reference.segment(line), line
        tags = segmenter.tag(line)
        assert tags == reference.tag(line), line
        for word, _ in tags:
            assert segmenter.word_tag(word) == reference.word_tag(word), word
            assert segmenter.is_vocabulary(word) == reference.is_vocabulary(word), word


def test_real_corpus_is_cut_as_jieba_cuts_it(segmenter, reference, shared_dir):
    _assert_same(segmenter, reference, _lines(shared_dir / "corpus"))


def test_sample_corpus_is_cut_as_jieba_cuts_it(segmenter, reference):
    _assert_same(segmenter, reference, _lines(sample_corpus_dir()))


def test_routes_that_hang_on_the_total_are_jieba_routes(segmenter, reference):
    """年号 against 年/号 is decided by the dictionary's total, which jieba and rjieba count
    differently: our words must raise both totals alike."""
    _assert_same(segmenter, reference, ["7日即位，年号平成。", "明朝天启年号遣王子"])
    assert "年号" in segmenter.tokens("天启年号")


def test_plain_cut_mode_matches_too(reference, shared_dir):
    lines = _lines(shared_dir / "corpus") + _lines(sample_corpus_dir())
    default = JiebaReference(mode="default")
    segmenter = Segmenter(mode="default")
    for line in lines:
        assert segmenter.tokens(line) == default.tokens(line), line


def test_operator_words_are_weighed_as_jieba_weighs_them(tmp_path: Path):
    """Frequencies given or suggested, tags, words jieba knows re-weighed, names from synonyms."""
    userdict = tmp_path / "userdict.txt"
    userdict.write_text(
        "\ufeff云帆智算 10 n\n"  # a new word with a frequency and a tag
        "短剧出海\n"  # no frequency: jieba suggests one that keeps it whole
        "快手科技 5 nt\n"  # a name the alias table already made a word
        "营收 3\n"  # a word of our dictionary, weighed down
        "年号 100000 n\n"  # a word of jieba's own dictionary, weighed up
        "星河 咖啡 8\n"  # a word holding a space, as jieba's grammar reads it
        "\n",
        encoding="utf-8",
    )
    synonyms = tmp_path / "synonyms.txt"
    synonyms.write_text("company: 蓝鲸智行, Lanjing\nperson: 宋一鸣, Song Yiming\n", "utf-8")
    lines = [
        "云帆智算发布新品，短剧出海业务营收增长，快手科技年号平成。",
        "蓝鲸智行CEO宋一鸣表示，星河 咖啡在2024年Q3营收3.5亿元。",
        "短剧出海的短剧和出海，营收和总营收。",
    ]
    _assert_same(
        Segmenter(userdict=userdict, synonyms=synonyms),
        JiebaReference(userdict=userdict, synonyms=synonyms),
        lines,
    )


# Characters news text and questions are made of, and some that test the edges of
# jieba's runs: digits, Latin, % and - (cut keeps them in a run, the tagger does not),
# full-width forms, Traditional characters, CJK outside U+4E00-9FD5, spaces and marks.
_ALPHABET = (
    "快手营收同比增长亿元季度的了是在和与第一二三四五六七八九十百千万年月日号用户日活短剧"
    "拼多多腾讯阿里巴巴年号平成科技公司市场份额净利润总营收"
    "裡們說這個營業額"
    "abcxyzABCQ0123456789%-+#&._"
    "ＡＢ１２％　，。！？、；：“”《》（）() \t\n"
    "\u3400\u9fd6\u9fff\uf900\U00020000"
)


@settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_random_text_is_cut_as_jieba_cuts_it(segmenter, reference, text):
    _assert_same(segmenter, reference, [text])
