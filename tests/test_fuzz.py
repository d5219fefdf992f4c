"""Hostile input is normal input: seeded random and adversarial questions, figure sentences
and small corpora. Nothing raises, nothing stalls, and every good record is indexed."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from index import build_index
from index.figures import extract_figures
from index.normalise import normalise
from retrieval import EmptyQuestion, Retriever
from settings import sample_corpus_dir

# Characters that have broken things: CJK, full-width forms, digits and numerals, units,
# signs, NFKC expanders (ﷺ), lone surrogates, controls, emoji, RTL marks.
ALPHABET = st.sampled_from(
    list("快手营收亿元万%％.．,，。；、-−－~至到超近约第季度年月日一二三四五六七八九十百千零〇两")
    + list("0123456789０１２３")
    + ["ﷺ", "\ud800", "\udcff", "\x00", "\u200f", "😀", " ", "\n", "a", "Z", "/", "@"]
)
HOSTILE = st.one_of(
    st.text(ALPHABET, max_size=300),
    st.text(max_size=200),
    st.builds(lambda n, tail: "9" * n + tail, st.integers(1, 6000),
              st.sampled_from(["", ".5亿元", "%", "万人", "年"])),
    st.builds(lambda n: "一" + "亿" * n + "元", st.integers(1, 3000)),
    st.builds(lambda unit, n: unit * n, st.sampled_from(["5%、", "1元，", "3年", "-5%，"]),
              st.integers(1, 3000)),
)
# Generous: a healthy input takes milliseconds; a quadratic one takes seconds or minutes.
MAX_SECONDS = 3.0
FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    folder = tmp_path_factory.mktemp("fuzz")
    build_index(sample_corpus_dir(), folder / "wenda.db")
    opened = Retriever.open(folder / "wenda.db")
    opened.warm_up()  # loading the model and tables is not what is timed
    yield opened
    opened.close()


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    took = time.perf_counter() - started
    assert took < MAX_SECONDS, f"{took:.1f} s for {args[0][:40]!r}…"
    return result


@seed(20261129)
@FUZZ
@given(question=HOSTILE)
def test_any_question_is_answered_or_refused_quickly(retriever: Retriever, question: str):
    try:
        answer = timed(retriever.answer, question)
    except EmptyQuestion:
        return
    assert 0.0 <= answer.confidence <= 1.0
    assert answer.found == bool(answer.hits)
    texts = [hit.sentence for hit in answer.hits]
    assert len(texts) == len(set(texts))  # a sentence is never shown twice


@seed(20261129)
@FUZZ
@given(sentence=HOSTILE)
def test_any_sentence_gives_figures_inside_it_quickly(sentence: str):
    for figure in timed(extract_figures, sentence):
        assert 0 <= figure.start < figure.end <= len(sentence)


@seed(20261129)
@FUZZ
@given(text=HOSTILE)
def test_normalise_never_raises(text: str):
    assert "\ud800" not in timed(normalise, text)


RECORD_TEXT = st.text(st.sampled_from(list("星海科技营收增长用户亿元万年月日的了是在") + ["。"]),
                      min_size=6, max_size=80)


@seed(20261129)
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(records=st.lists(RECORD_TEXT, min_size=1, max_size=6),
       junk=st.lists(st.sampled_from(["{broken", "[1, 2", '{"text": 5}', '"\\ud800"', "{}",
                                      "\x00\x01", '{"title": "无正文"}']), max_size=4),
       order=st.randoms(use_true_random=False))
def test_every_good_record_of_a_damaged_jsonl_is_indexed(tmp_path: Path, records, junk, order):
    lines = [json.dumps({"title": f"第{i}篇", "text": text + f"编号{i}号。"}, ensure_ascii=False)
             for i, text in enumerate(records)] + junk
    order.shuffle(lines)
    folder = tmp_path / f"corpus{abs(hash(tuple(lines)))}"
    folder.mkdir()
    (folder / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "bytes.txt").write_bytes(bytes(range(0x81, 0xFF)) * 20)
    db = folder.with_suffix(".db")
    build_index(folder, db)
    with sqlite3.connect(db) as connection:
        stored = "".join(row[0] for row in connection.execute("select text from passages"))
    for i in range(len(records)):
        assert f"编号{i}号" in stored
