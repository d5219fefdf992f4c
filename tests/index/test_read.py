import json
from pathlib import Path

import pytest

from index.read import UnreadableFile, html_to_lines, list_corpus, read_paragraphs, read_text

ARTICLE = "示例标题\n营收增长11.4%至311亿元。\n"


@pytest.mark.parametrize(
    "data",
    [
        ARTICLE.encode("utf-8"),
        b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"),
        ARTICLE.encode("gb18030"),
        ARTICLE.encode("gbk"),
        ARTICLE.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "crlf"],
)
def test_read_text(data, tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    assert read_text(path) == ARTICLE


@pytest.mark.parametrize("data", [b"\x00\x01\x02binary", bytes(range(256)) * 4])
def test_undecodable_bytes_are_refused(data, tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    with pytest.raises(UnreadableFile):
        read_text(path)


def test_plain_text(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    [paragraph] = read_paragraphs(path)
    assert (paragraph.article, paragraph.text) == ("示例标题", "营收增长11.4%至311亿元。")


def test_markdown(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_text("# 标题\n\n## 小节\n\n正文一。\n\n正文二。\n", encoding="utf-8")
    paragraphs = list(read_paragraphs(path))
    assert [(p.article, p.section, p.text) for p in paragraphs] == [
        ("标题", "小节", "正文一。"),
        ("标题", "小节", "正文二。"),
    ]


def test_jsonl_records_with_titles(tmp_path: Path):
    path = tmp_path / "a.jsonl"
    records = [
        {"title": "甲文", "text": "第一段。\n第二段。", "url": "https://example.com/1"},
        {"text": "无标题的文章。"},
        {"title": "没有正文"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    paragraphs = list(read_paragraphs(path))
    assert [(p.article, p.text) for p in paragraphs] == [
        ("甲文", "第一段。"),
        ("甲文", "第二段。"),
        ("无标题的文章", "无标题的文章。"),
    ]


def test_json_list(tmp_path: Path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"title": "乙文", "text": "内容。"}], ensure_ascii=False), "utf-8")
    assert [(p.article, p.text) for p in list(read_paragraphs(path))] == [
        ("乙文", "内容。")
    ]


def test_html_visible_text_and_headings():
    html = """<html><head><title>页面标题</title><style>p{}</style></head><body>
    <h1>文章标题</h1><script>var x = "不可见";</script>
    <p>第一段<b>加粗</b>文字。</p><h2>小节</h2><div>第二段 &amp; 更多。</div></body></html>"""
    title, lines = html_to_lines(html)
    assert title == "页面标题"
    assert lines == ["# 文章标题", "第一段加粗文字。", "## 小节", "第二段 & 更多。"]


def test_html_title_used_when_there_is_no_h1(tmp_path: Path):
    path = tmp_path / "a.html"
    path.write_text("<title>只有标题</title><p>正文。</p>", encoding="utf-8")
    [paragraph] = read_paragraphs(path)
    assert (paragraph.article, paragraph.text) == ("只有标题", "正文。")


def test_list_corpus_skips_operator_files_hidden_files_and_other_suffixes(tmp_path: Path):
    for name in ["a.txt", "sub/b.md", "userdict.txt", "synonyms.txt", ".hidden.txt", "c.pdf"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("内容。", encoding="utf-8")
    assert [f.relative for f in list_corpus(tmp_path)] == ["a.txt", "sub/b.md"]
