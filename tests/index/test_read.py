import json
import os
import random
from pathlib import Path

import pytest

from index.read import (
    MAX_LINE_CHARS,
    UnreadableFile,
    list_corpus,
    read_paragraphs,
    read_text,
)
from index.split import MAX_HEADING_CHARS

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
    assert [(p.article, p.text) for p in list(read_paragraphs(path))] == [("乙文", "内容。")]


def test_html_visible_text_and_headings(tmp_path: Path):
    html = """<html><head><title>页面标题</title><style>p{}</style></head><body>
    <h1>文章标题</h1><script>var x = "不可见";</script>
    <p>第一段<b>加粗</b>文字。</p><h2>小节</h2><div>第二段 &amp; 更多。</div></body></html>"""
    path = tmp_path / "a.html"
    path.write_text(html, encoding="utf-8")
    assert [(p.article, p.section, p.text) for p in read_paragraphs(path)] == [
        ("文章标题", "", "第一段加粗文字。"),
        ("文章标题", "小节", "第二段 & 更多。"),
    ]


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


def read_with_warnings(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(article, text) of each paragraph of a file, and the warnings it gave."""
    warnings: list[str] = []
    paragraphs = read_paragraphs(path, warn=warnings.append)
    return [(p.article, p.text) for p in paragraphs], warnings


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "bad_line, problem",
    [
        ('{"title": "坏行", "text": "没有结尾', "invalid JSON"),
        ('{"title": "缺正文"}', "no text field"),
        ('{"title": "数字正文", "text": 42}', "text is int"),
        ("[1, 2]", "not a JSON object"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
    ids=["broken", "no-text", "non-string-text", "not-object", "deep"],
)
def test_a_bad_jsonl_line_is_skipped_by_line_number_and_the_rest_kept(tmp_path, bad_line, problem):
    good = [json.dumps({"title": t, "text": t + "的正文。"}, ensure_ascii=False) for t in "甲乙丙"]
    path = write(tmp_path / "news.jsonl", "\n".join([good[0], bad_line, good[1], "", good[2]]))
    paragraphs, warnings = read_with_warnings(path)
    assert paragraphs == [("甲", "甲的正文。"), ("乙", "乙的正文。"), ("丙", "丙的正文。")]
    [warning] = warnings
    assert warning.startswith("news.jsonl:2: ") and problem in warning
    assert "\n" not in warning and len(warning) < 200


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_one_pretty_printed_json_object(tmp_path, suffix):
    record = {"title": "缩进的文章", "text": "第一段。\n第二段。"}
    path = write(tmp_path / f"a{suffix}", json.dumps(record, ensure_ascii=False, indent=2))
    assert read_with_warnings(path) == (
        [("缩进的文章", "第一段。"), ("缩进的文章", "第二段。")],
        [],
    )


def test_json_array_with_a_bad_record_keeps_the_others(tmp_path):
    records = [{"title": "甲", "text": "正文一。"}, {"title": "乙"}]
    records.append({"title": "丙", "text": "正文三。"})
    path = write(tmp_path / "a.json", json.dumps(records, ensure_ascii=False, indent=1))
    paragraphs, warnings = read_with_warnings(path)
    assert paragraphs == [("甲", "正文一。"), ("丙", "正文三。")]
    assert warnings == ["a.json: record 2: no text field; skipped"]


def test_broken_json_file_is_unreadable_with_the_line(tmp_path):
    path = write(tmp_path / "a.json", '{\n  "title": "甲",\n  "text": 正文\n}')
    with pytest.raises(UnreadableFile, match="line 3"):
        list(read_paragraphs(path))


def test_json_nested_too_deeply_is_unreadable_not_a_crash(tmp_path):
    path = write(tmp_path / "a.json", "[" * 100_000 + "]" * 100_000)
    with pytest.raises(UnreadableFile, match="nested too deeply"):
        list(read_paragraphs(path))


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>页面标题</head><body><p>正文第一段。</p><p>正文第二段。</p></body>",
        "<title>页面标题<p>正文第一段。</p><p>正文第二段。</p>",
    ],
    ids=["closed-by-head", "closed-by-p"],
)
def test_unclosed_title_still_indexes_the_body(tmp_path, html):
    paragraphs, warnings = read_with_warnings(write(tmp_path / "a.html", html))
    assert paragraphs == [("页面标题", "正文第一段。"), ("页面标题", "正文第二段。")]
    [warning] = warnings
    assert warning.startswith("a.html:1: <title> not closed")


def test_unclosed_title_without_tags_is_read_as_the_body(tmp_path):
    paragraphs, warnings = read_with_warnings(write(tmp_path / "a.html", "<title>只有正文。"))
    assert [text for _, text in paragraphs] == ["只有正文。"]
    assert warnings == ["a.html: <title> not closed; its text is read as the body"]


def test_head_without_end_tag_does_not_hide_the_body(tmp_path):
    html = "<html><head><title>标题</title><meta charset=utf-8><body><p>正文。</p>"
    assert read_with_warnings(write(tmp_path / "a.html", html)) == ([("标题", "正文。")], [])


def test_unclosed_script_says_what_was_dropped(tmp_path):
    html = "<title>标题</title><p>可见。</p><script>var a = 1; 看不见的文字"
    paragraphs, warnings = read_with_warnings(write(tmp_path / "a.html", html))
    assert paragraphs == [("标题", "可见。")]
    assert len(warnings) == 1 and "<script> not closed" in warnings[0]


# A made-up paragraph, written for these tests.
CHINESE_PARAGRAPH = (
    "今年第三季度，这家公司的总营收同比增长百分之十二，达到三百亿元。"
    "管理层表示，新业务的用户数量继续上升，海外市场的收入也有明显改善。"
    "分析人士认为，明年的增长速度可能放缓，但利润率有望进一步提高。"
)


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8"])
def test_real_chinese_is_read_in_every_supported_encoding(tmp_path, encoding):
    path = write(tmp_path / "a.txt", ("标题\n" + CHINESE_PARAGRAPH + "\n") * 50)
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    paragraphs, warnings = read_with_warnings(path)
    assert paragraphs[0] == ("标题", CHINESE_PARAGRAPH) and len(paragraphs) == 50
    assert warnings == []


def test_traditional_chinese_in_gbk_is_read(tmp_path):
    text = "這家公司的營收繼續增長，專家們說，明年的發展會更好。臺灣與香港的讀者也關心這個問題。"
    path = write(tmp_path / "a.txt", (text * 20).encode("gbk"))
    assert read_text(path) == text * 20


@pytest.mark.parametrize("low", [0x81, 0xA1])
def test_random_high_bytes_are_refused_not_indexed_as_garbage(tmp_path, low):
    generator = random.Random(low)
    data = bytes(generator.randint(low, 0xFE) for _ in range(20_000))
    data.decode("gb18030")  # they do decode: that is the trap
    path = write(tmp_path / "noise.txt", data)
    with pytest.raises(UnreadableFile, match="not text"):
        list(read_paragraphs(path))


def test_lone_surrogates_in_json_strings_become_replacement_characters(tmp_path):
    path = write(tmp_path / "a.jsonl", '{"title": "标\\ud800题", "text": "正\\udfff文。"}\n')
    paragraphs, _ = read_with_warnings(path)
    assert paragraphs == [("标\ufffd题", "正\ufffd文。")]


def test_file_name_with_an_undecodable_byte_is_listed_with_a_replacement_character(tmp_path):
    (tmp_path / os.fsdecode(b"bad\xffname.txt")).write_text("正文。", encoding="utf-8")
    [file] = list_corpus(tmp_path)
    assert file.relative == "bad\ufffdname.txt"
    assert file.path.read_text(encoding="utf-8") == "正文。"  # still opens the real file


def test_a_huge_line_is_cut_into_pieces_at_sentence_ends(tmp_path):
    sentence = "这是一句用来凑长度的话，其中包含数字123。"
    path = write(tmp_path / "a.txt", "标题\n" + sentence * (3 * MAX_LINE_CHARS // len(sentence)))
    paragraphs, warnings = read_with_warnings(path)
    assert len(paragraphs) >= 3
    longest = MAX_LINE_CHARS + MAX_HEADING_CHARS  # the last piece takes a short tail
    assert all(len(text) <= longest and text.endswith("。") for _, text in paragraphs)
    assert "".join(text for _, text in paragraphs) == path.read_text("utf-8").split("\n")[1]
    [warning] = warnings
    assert warning.startswith(f"a.txt:2: line longer than {MAX_LINE_CHARS} characters cut")


def test_a_huge_line_without_punctuation_is_cut_at_the_limit_and_its_tail_stays_prose(tmp_path):
    path = write(tmp_path / "a.txt", "字" * (MAX_LINE_CHARS * 2 + 5))
    paragraphs, _ = read_with_warnings(path)
    assert [len(text) for _, text in paragraphs] == [MAX_LINE_CHARS, MAX_LINE_CHARS + 5]


def test_a_nul_byte_spoils_only_its_jsonl_record(tmp_path: Path):
    path = tmp_path / "a.jsonl"
    lines = [json.dumps({"title": "甲", "text": "第一篇。"}, ensure_ascii=False), "\x00\x01",
             json.dumps({"title": "乙", "text": "第二篇。"}, ensure_ascii=False)]
    path.write_text("\n".join(lines), "utf-8")
    warnings: list[str] = []
    paragraphs = list(read_paragraphs(path, warn=warnings.append))
    assert [p.text for p in paragraphs] == ["第一篇。", "第二篇。"]
    assert any("a.jsonl:2" in w for w in warnings)
