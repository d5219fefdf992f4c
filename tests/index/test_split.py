import pytest

from index.split import (
    MAX_PASSAGE_CHARS,
    Paragraph,
    is_heading,
    split_paragraphs,
    split_passages,
    split_sentences,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("营收增长11.4%至311亿元。利润39亿元。", ["营收增长11.4%至311亿元。", "利润39亿元。"]),
        ("他说：“消息不实。”随后离开。", ["他说：“消息不实。”", "随后离开。"]),
        ("「真的吗？」她问。", ["「真的吗？」", "她问。"]),
        ("第一句！第二句？第三句；第四句", ["第一句！", "第二句？", "第三句；第四句"]),
        ("长" * 80 + "；短句", ["长" * 80 + "；", "短句"]),
        ("Yes! 好的?是的", ["Yes!", "好的?", "是的"]),
        ("第一行\n第二行。", ["第一行", "第二行。"]),
        ("阿里巴巴集团(;)最新财报显示增长。", ["阿里巴巴集团(;)最新财报显示增长。"]),
        ("等等……真的？！", ["等等……真的？！"]),
        ("结尾。”", ["结尾。”"]),
        ("9.89 亿人，普及率70.4%。", ["9.89 亿人，普及率70.4%。"]),
    ],
)
def test_split_sentences(text, expected):
    assert [s.text for s in split_sentences(text)] == expected


def test_sentence_offsets_point_into_the_text():
    text = "  第一句。 第二句！第三句"
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


@pytest.mark.parametrize(
    "line, heading",
    [
        ("可灵单月流水超千万元", True),
        ("发展大潮回落,大厂迎来减速期", True),
        ("快手拿到了最“难”的明牌", True),
        ("04 结语", True),
        ("”程一笑表示。", False),
        ("这是一个句子，", False),
        ("很长的一行" * 10, False),
        ("2024", False),
        ("——", False),
    ],
)
def test_is_heading(line, heading):
    assert is_heading(line) is heading


def test_headings_become_titles_and_sections():
    lines = [
        "蓝鲸汽车交付创新高",
        "蓝鲸汽车交付创新高",
        "10月交付3.2万辆。",
        "销售与渠道",
        "门店430家。",
        "",
        "",
        "星河咖啡门店破万",
        "门店突破10000家。",
    ]
    paragraphs = list(split_paragraphs(lines))
    assert paragraphs == [
        Paragraph("蓝鲸汽车交付创新高", "", "10月交付3.2万辆。"),
        Paragraph("蓝鲸汽车交付创新高", "销售与渠道", "门店430家。"),
        Paragraph("星河咖啡门店破万", "", "门店突破10000家。"),
    ]


def test_byline_promotes_the_heading_to_article_title():
    lines = ["第一篇的段落。", "第二篇标题", "文 | 记者甲", "第二篇的段落。"]
    paragraphs = list(split_paragraphs(lines))
    assert paragraphs[0].article == "第一篇的段落"  # no heading: named by its lede
    assert paragraphs[1] == Paragraph("第二篇标题", "", "第二篇的段落。")


def test_markdown_headings():
    lines = ["# 标题", "", "短段落", "", "## 小节", "", "正文。"]
    paragraphs = list(split_paragraphs(lines, markdown=True))
    assert paragraphs == [Paragraph("标题", "", "短段落"), Paragraph("标题", "小节", "正文。")]


def test_long_paragraph_is_cut_into_windows_of_whole_sentences():
    sentence = "这是一句用来凑长度的话，其中包含数字123。"
    paragraph = Paragraph("标题", "", sentence * 40)
    passages = split_passages(paragraph)
    assert len(passages) > 1
    assert "".join(p.text for p in passages) == paragraph.text
    for passage in passages:
        assert len(passage.text) <= MAX_PASSAGE_CHARS
        assert all(s.text == sentence for s in passage.sentences)
        for s in passage.sentences:
            assert passage.text[s.start : s.end] == s.text
