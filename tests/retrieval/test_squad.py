"""How training and `wenda eval --absent-share` choose the paragraphs an index goes without."""

from retrieval.squad import SquadParagraph, answer_key, left_out, split_shards, without_answer

PARAGRAPHS = tuple(SquadParagraph(title=f"第{n}页", text=f"第{n}段的文字。") for n in range(300))


def test_shards_cover_every_paragraph_once():
    shards = split_shards(PARAGRAPHS, 10)
    assert len(shards) == 10
    assert sorted(n for shard in shards for n in shard) == list(range(len(PARAGRAPHS)))
    assert all(shards)  # 300 paragraphs: every tenth holds some


def test_the_first_tenth_is_what_an_absent_share_of_a_tenth_leaves_out():
    assert split_shards(PARAGRAPHS, 10)[0] == left_out(PARAGRAPHS, 0.1)


def test_the_choice_depends_on_the_text_only():
    reordered = tuple(reversed(PARAGRAPHS))
    chosen = {PARAGRAPHS[n].text for n in left_out(PARAGRAPHS, 0.2)}
    assert {reordered[n].text for n in left_out(reordered, 0.2)} == chosen


def test_a_paragraph_without_its_answer_keeps_every_other_sentence():
    text = "快手成立于2011年。公司总部在北京。\n三季度营收为311亿元。"
    assert without_answer(text, (answer_key("311亿元"),)) == "快手成立于2011年。公司总部在北京。"


def test_an_answer_said_twice_or_everywhere_cannot_be_taken_out():
    assert without_answer("快手成立于2011年。2011年它很小。", (answer_key("2011"),)) is None
    assert without_answer("营收为311亿元。", (answer_key("311亿元"),)) is None
