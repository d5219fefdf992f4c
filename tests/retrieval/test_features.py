"""Ranker features that read the question's own text as it stands (features v7)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from small_corpus import open_corpus

from index.bigrams import keys_by_text
from retrieval.features import (
    FEATURES,
    Channels,
    common_stretch,
    opens_with_pronoun,
    sentence_points,
    wh_context,
)
from retrieval.question import parse_question


def _context(question, *texts: str) -> dict[str, np.ndarray]:
    return wh_context(question, *sentence_points("\n".join(texts), len(texts)))


def test_the_sentence_framing_an_answer_where_the_question_word_stands_scores_higher(segmenter):
    question = parse_question("斯氏腔吻鳕主要以什么为食？", segmenter)
    found = _context(
        question,
        "斯氏腔吻鳕为辐鳍鱼纲鳕形目鼠尾鳕科的其中一种。",
        "生活在泥沙底质上,几乎是以多毛类为食,偶在胃中发现甲壳类。",
        "",
    )
    assert found["s_wh_frame"][1] > found["s_wh_frame"][0] == 0
    assert found["s_wh_post"][1] == 2  # 为食
    assert found["s_wh_pre"][1] >= 1  # 以
    assert found["s_wh_pre_tail"][1] > 0  # the answer may follow
    assert found["s_wh_post"][0] == 1  # only 为 of 为食, and no 以 before it
    assert (found["s_wh_frame"][2], found["s_wh_pre_tail"][2]) == (0, -1)


def test_the_text_before_the_question_word_said_as_it_stands_and_what_follows_it(segmenter):
    question = parse_question("中国的首都是哪里", segmenter)
    found = _context(question, "中国的首都是北京。", "北京是中国的首都", "首都是")
    assert list(found["s_wh_pre"]) == [6, 1, 3]
    # After "首都是" the first sentence says the answer; the last one says nothing more.
    assert found["s_wh_pre_tail"][0] > 0 and found["s_wh_pre_tail"][2] == 0


def test_a_question_without_a_question_word_has_no_context(segmenter):
    question = parse_question("快手的营收", segmenter)
    found = _context(question, "快手的营收达到100亿元。")
    assert found["s_wh_pre"][0] == found["s_wh_frame"][0] == 0
    assert found["s_wh_pre_tail"][0] == -1


def test_a_sentence_opening_with_a_pronoun_is_marked_and_an_empty_one_is_not():
    texts = ["他生于北京。", "北京是首都", "", "其后迁往上海"]
    points, starts = sentence_points("\n".join(texts), len(texts))
    assert list(opens_with_pronoun(points, starts)) == [1, 0, 0, 1]


def test_the_longest_stretch_of_the_question_said_as_it_stands():
    keys, owner = keys_by_text(["加拿大军队基地希洛分基地是位于布兰登东35公里",
                                "加拿大军事基地温尼伯分基地是设立在温尼伯国际机场的", "无关", ""])
    known = np.unique(keys)
    channels = Channels(word_idf=np.zeros(0), bigram_keys=known,
                        bigram_idf=np.ones(len(known)), sentence_tokens=1.0,
                        sentence_bigrams=1.0)
    chars, mass = common_stretch(keys_by_text(["加拿大军事基地温尼伯分基地目前位于何处"])[0],
                                 keys, owner, 4,
                                 channels)
    assert list(chars) == [4, 13, 0, 0]  # 加拿大军; 加拿大军事基地温尼伯分基地
    assert mass[1] > mass[0] > mass[2] == mass[3] == 0


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory):
    opened = open_corpus(tmp_path_factory.mktemp("store"), {
        "base.txt": "温尼伯分基地\n\n"
                    "加拿大军队基地希洛分基地是位于布兰登东35公里的作战和训练基地。\n"
                    "加拿大军事基地温尼伯分基地是设立在温尼伯国际机场的军事基地。\n"
                    "基地拥有飞行运行支持部门和几所航空培训学校。\n",
    })
    yield opened
    opened.close()


def test_the_candidates_features_say_which_sentence_holds_the_question_as_asked(
        retriever: Path):
    candidates = retriever.candidates("加拿大军事基地温尼伯分基地设立在哪里？")
    texts = [s.sentence.text for s in candidates.signals]
    right = next(i for i, t in enumerate(texts) if "温尼伯国际机场" in t)
    other = next(i for i, t in enumerate(texts) if "希洛" in t)
    column = {name: candidates.features[:, FEATURES.index(name)] for name in FEATURES}
    assert column["s_common_chars"][right] > column["s_common_chars"][other]
    assert column["s_wh_pre"][right] > column["s_wh_pre"][other]  # 设立在
    assert np.all(column["s_article_rank"] >= 0) and column["s_article_gap"].max() == 0
