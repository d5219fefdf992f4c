"""Alias table parsing and matching, and pinyin look-alikes."""

from __future__ import annotations

from index.aliases import parse_aliases
from index.pinyin import pinyin_key
from retrieval.synonyms import SynonymTable
from retrieval.typos import PinyinIndex


def test_latin_forms_match_whole_words_only():
    table = SynonymTable(parse_aliases(["company: 京东, JD"]))
    assert [m.form for m in table.find("jd的营收")] == ["jd"]
    assert table.find("jdk的版本") == []


def test_shipped_table_knows_common_names():
    table = SynonymTable.load()
    forms = {m.form for m in table.find("bilibili和b站")}
    assert forms == {"bilibili", "b站"}


def test_operator_synonyms_extend_the_table(tmp_path):
    (tmp_path / "synonyms.txt").write_text("product: 星辰, Xingchen\n", encoding="utf-8")
    table = SynonymTable.load(tmp_path)
    assert {f for m in table.find("xingchen") for f in m.group.forms} == {"星辰", "xingchen"}


def test_sound_alikes_ignore_tones_and_keep_the_vocabulary():
    vocabulary = ["拼多多", "短剧", "观望", "官方", "营收"]
    index = PinyinIndex(lambda key: [w for w in vocabulary if pinyin_key(w) == key])
    assert index.sound_alikes("品多多") == ["拼多多"]
    assert index.sound_alikes("短句") == ["短剧"]
    assert index.sound_alikes("观忘") == ["观望"]
    assert index.sound_alikes("短剧") == []  # a word is not its own typo
    assert index.sound_alikes("a1") == []


def test_a_name_is_found_through_one_blurred_sound_and_no_more():
    table = SynonymTable(parse_aliases(["product: 可灵, Kling", "company: 三星, Samsung",
                                        "company: 京东, JD"]))
    assert [g.forms[0] for g in table.sound_alike_entities("可林")] == ["可灵"]  # lin/ling
    assert [g.forms[0] for g in table.sound_alike_entities("金东")] == ["京东"]  # jin/jing
    assert table.sound_alike_entities("商信") == []  # shang xin: three sounds from san xing
    assert table.sound_alike_entities("可灵") != []  # the name itself sounds like itself
