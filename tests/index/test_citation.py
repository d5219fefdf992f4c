"""Citations: what a record or a page's head says about an article, cleaned for showing."""

from __future__ import annotations

import json

import pytest

from index import build_index
from index.citation import Citation, citation_from_record, clean_date
from index.read import read_paragraphs
from retrieval import Retriever


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2024-11-20", "2024-11-20"),
        ("2024/1/5", "2024-01-05"),
        ("2024.11.20", "2024-11-20"),
        ("2024年11月20日", "2024-11-20"),
        ("2024年11月20日 10:30", "2024-11-20"),
        ("2024-11-20T08:00:00+08:00", "2024-11-20"),
        ("2024-11", "2024-11"),
        ("2024年11月", "2024-11"),
        ("2024-13-01", ""),
        ("2024-02-30", ""),
        ("昨天", ""),
        ("1732070400", ""),
        ("2024-11-20abc", ""),
        (20241120, ""),
        ("", ""),
    ],
)
def test_dates_become_iso_or_nothing(raw, iso):
    assert clean_date(raw) == iso


def test_a_record_is_cited_by_its_url_source_and_date_and_bad_values_are_dropped():
    assert citation_from_record(
        {"url": " https://example.com/a ", "source": "示例\n日报", "date": "2024-10-08"}
    ) == Citation("https://example.com/a", "示例 日报", "2024-10-08")
    assert citation_from_record({"url": "has space", "source": 7, "date": "soon"}) == Citation()
    assert citation_from_record({"link": "https://e.com", "time": "2024/10/8"}) == Citation(
        "https://e.com", "", "2024-10-08"
    )


def test_jsonl_records_carry_their_citation_into_every_paragraph(tmp_path):
    path = tmp_path / "news.jsonl"
    records = [
        {"title": "甲", "text": "第一段。\n第二段。", "url": "https://a.example/1",
         "source": "甲报", "date": "2024-11-20"},
        {"title": "乙", "text": "只有一段。"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    paragraphs = list(read_paragraphs(path))
    assert [p.citation for p in paragraphs] == [
        Citation("https://a.example/1", "甲报", "2024-11-20")
    ] * 2 + [Citation()]


HEAD = """<html><head><title>快手财报</title>
<meta property="og:url" content="https://news.example/ks?id=1&amp;p=2">
<meta property="og:site_name" content="示例财经">
<meta property="article:published_time" content="2024-11-20T18:00:00+08:00">
<link rel="canonical" href="https://news.example/other">
</head><body><p>快手发布了第三季度财报。</p></body></html>"""


def test_an_html_page_is_cited_by_its_meta_tags(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HEAD, "utf-8")
    paragraphs = list(read_paragraphs(path))
    assert paragraphs[0].citation == Citation(
        "https://news.example/ks?id=1&p=2", "示例财经", "2024-11-20"
    )


def test_a_page_without_og_url_is_cited_by_its_canonical_link(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HEAD.replace('<meta property="og:url"', '<meta property="x"'), "utf-8")
    assert next(iter(read_paragraphs(path))).citation.url == "https://news.example/other"


def test_answers_and_passages_name_the_citation_from_the_store(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.html").write_text(HEAD, "utf-8")
    build_index(corpus, tmp_path / "wenda.db")
    with Retriever.open(tmp_path / "wenda.db") as retriever:
        hit = retriever.answer("快手第三季度财报").hits[0]
        expected = ("https://news.example/ks?id=1&p=2", "示例财经", "2024-11-20")
        assert (hit.source.url, hit.source.outlet, hit.source.published) == expected
        source = retriever.passage(hit.passage_id).source
        assert (source.url, source.outlet, source.published) == expected
