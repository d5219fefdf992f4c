"""Rendering answers as Telegram HTML: escaped, bold matches, never over 4096 characters."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from emulator import check_text

from bot import texts
from bot.context import Context
from bot.render import (
    MAX_MESSAGE,
    bold_spans,
    choose_page,
    format_answer,
    format_context,
    format_figure,
    format_passage,
    format_source,
    format_stats,
    format_welcome,
    format_when,
)
from index.figures import Figure
from retrieval import Answer, Hit, Passage, Source, StoreStats

SOURCE = Source(path="yunfan.txt", title="云帆科技发布第三季度财报", section="云端业务成为新引擎")


def figure(text, metric="", kind="money", value=None, unit=None, qualifier=None) -> Figure:
    return Figure(
        text=text,
        kind=kind,
        value=value,
        unit=unit,
        qualifier=qualifier,
        metric=metric,
        start=0,
        end=len(text),
    )


def hit(sentence, score=1.0, spans=(), figures=(), source=SOURCE, passage_id=1) -> Hit:
    return Hit(
        sentence=sentence,
        score=score,
        spans=tuple(spans),
        source=source,
        passage_id=passage_id,
        sentence_id=passage_id,
        figures=tuple(figures),
    )


def answer(*hits, found=True) -> Answer:
    return Answer(question="问题", found=found, terms=("营收",), hits=tuple(hits), truncated=False)


def test_the_best_sentence_has_its_matches_in_bold_then_source_and_figures():
    best = hit(
        "总营收同比增长18.5%至126亿元。",
        spans=[(0, 3)],
        figures=[figure("126亿元", "总营收", value=12_600_000_000, unit="CNY")],
    )
    text = format_answer(answer(best))
    assert text.startswith("<b>总营收</b>同比增长18.5%至126亿元。")
    assert "\n来源：云帆科技发布第三季度财报 › 云端业务成为新引擎\n" in text
    assert "yunfan.txt" not in text  # file names are for operators
    assert "• 总营收：126亿元" in text
    check_text(text, "HTML")


def cited(**citation: str) -> Source:
    return Source(path="a.jsonl", title="快手发布三季度财报", section="", **citation)


def test_a_source_reads_as_a_citation_title_linked_then_outlet_and_date():
    source = cited(url="https://example.com/a?x=1&y=\"2\"", outlet="示例日报",
                   published="2024-11-20")
    text = format_source(source)
    assert text == (
        '来源：<a href="https://example.com/a?x=1&amp;y=&quot;2&quot;">快手发布三季度财报</a>'
        " · 示例日报 · 2024年11月20日"
    )
    check_text(text, "HTML")


@pytest.mark.parametrize(
    ("citation", "expected"),
    [
        ({}, "来源：快手发布三季度财报"),
        ({"published": "2024-11"}, "来源：快手发布三季度财报 · 2024年11月"),
        ({"published": "yesterday"}, "来源：快手发布三季度财报"),
        ({"outlet": "<b>日报</b> & 周刊"},
         "来源：快手发布三季度财报 · &lt;b&gt;日报&lt;/b&gt; &amp; 周刊"),
        ({"url": "javascript:alert(1)"}, "来源：快手发布三季度财报"),
        ({"url": "ftp://example.com/a"}, "来源：快手发布三季度财报"),
        ({"url": "HTTP://example.com"}, '来源：<a href="HTTP://example.com">快手发布三季度财报</a>'),
    ],
)
def test_only_web_addresses_are_linked_and_odd_parts_left_out(citation, expected):
    text = format_source(cited(**citation))
    assert text == expected
    check_text(text, "HTML")


def test_figures_written_in_words_show_their_value():
    assert (
        format_figure(figure("八成", "目标完成", kind="percent", value=80, unit="%"))
        == "目标完成：八成（80%）"
    )
    assert (
        format_figure(figure("十余次", kind="count", value=10, unit="times", qualifier="more than"))
        == "十余次（&gt;10次）"
    )
    assert format_figure(figure("311亿元", "总营收", value=31_100_000_000)) == "总营收：311亿元"


@pytest.mark.parametrize("raw", ["a<b>c", "x & y", "<script>", "1 < 2 > 0 &amp;"])
def test_text_from_articles_is_escaped(raw):
    text = format_answer(answer(hit(raw, spans=[(0, 1)], source=Source(raw, raw, raw))))
    check_text(text, "HTML")
    assert "<script>" not in text


def test_overlapping_and_out_of_range_spans_still_make_valid_html():
    html = bold_spans("营收增长了", [(0, 2), (1, 3), (4, 99), (-5, 0)])
    assert html == "<b>营收增</b>长<b>了</b>"


def test_a_huge_answer_stays_within_the_limit_with_valid_tags():
    sentence = "营收<&>" * 3000
    spans = [(i, i + 2) for i in range(0, len(sentence), 5)]
    many = [figure(f"{i}亿元&", "营收<" * 20, value=i) for i in range(50)]
    hits = [hit(sentence, spans=spans, figures=many)] + [
        hit(sentence + str(i), score=0.9, spans=spans, passage_id=i + 2) for i in range(5)
    ]
    text = format_answer(answer(*hits), note="问题太长" * 10)
    assert len(text) <= MAX_MESSAGE
    check_text(text, "HTML")
    assert "来源：" in text


def test_not_found_says_so_and_shows_no_sentence():
    text = format_answer(answer(hit("随便一句。"), found=False))
    assert text == texts.NOT_FOUND


def test_not_found_for_want_of_confidence_shows_the_nearest_sentence_marked_as_such():
    nearest = hit("会员每月可领一张买一送一券。", spans=[(0, 2)])
    refused = replace(answer(found=False), nearest=nearest)
    text = format_answer(refused)
    assert text.startswith(texts.NOT_FOUND_NEAREST + "\n<b>会员</b>每月可领一张买一送一券。")
    assert "\n来源：云帆科技发布第三季度财报 › 云端业务成为新引擎" in text
    check_text(text, "HTML")
    short = format_answer(refused, limit=70)  # what fits of the sentence
    assert len(short) <= 70 and short.startswith(texts.NOT_FOUND_NEAREST + "\n<b>会员</b>")
    assert format_answer(refused, limit=50) == texts.NOT_FOUND  # no room for any of it


def test_more_sentences_are_added_only_when_they_add_something():
    hits = [
        hit("云帆总营收为126亿元。", 3.0),
        hit("云帆总营收为126亿元。", 2.9),
        hit("广告收入为58亿元。", 2.5),
        hit("云服务收入为41亿元。", 2.0),
        hit("用户规模增长。", 0.5),
    ]
    page = choose_page(answer(*hits))
    assert page.hits == (0, 2, 3)
    assert page.next_start == 4
    text = format_answer(answer(*hits), page)
    assert "广告收入" in text and "云服务收入" in text and "用户规模" not in text
    assert choose_page(answer(*hits), 4).next_start is None


def test_a_long_passage_is_cut_around_its_sentence():
    sentence = "总营收同比增长18.5%至126亿元。"
    passage = "前文<>&" * 2000 + sentence + "后文" * 2000
    text = format_passage(passage, SOURCE, sentence)
    assert len(text) <= MAX_MESSAGE
    assert f"<b>{sentence}</b>" in text
    check_text(text, "HTML")


def test_welcome_lists_the_examples_escaped():
    text = format_welcome("A<B>", ["问<题>一", "问题二"])
    check_text(text, "HTML")
    assert "• 问&lt;题&gt;一" in text


LEAD = Source(path="yunfan.txt", title="云帆科技发布第三季度财报", section="")


def test_the_passage_sits_among_its_neighbours_with_sections_marked_where_they_begin():
    context = Context(
        Passage("广告收入为58亿元。", SOURCE),
        before=(Passage("总营收126亿元。", LEAD),),
        after=(Passage("新建4座数据中心。", SOURCE),),
    )
    text = format_context(context, "广告收入为58亿元。")
    check_text(text, "HTML")
    assert text.startswith("来源：云帆科技发布第三季度财报\n\n总营收126亿元。")
    assert "【云端业务成为新引擎】\n<b>广告收入为58亿元。</b>\n\n新建4座数据中心。" in text


@pytest.mark.parametrize("neighbour", ["<&>" * 3000, "甲" * 5000])
def test_context_stays_within_a_message_and_keeps_the_sentence_bold(neighbour):
    sentence = "总营收同比增长18.5%至126亿元。"
    context = Context(
        Passage("前文<>&" * 900 + sentence, SOURCE),
        before=(Passage(neighbour, SOURCE),),
        after=(Passage(neighbour, SOURCE),),
    )
    text = format_context(context, sentence)
    check_text(text, "HTML")
    assert len(text) <= MAX_MESSAGE
    assert f"<b>{sentence}</b>" in text


NOW = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


@pytest.mark.parametrize(
    ("built_at", "expected"),
    [
        ("2026-11-29T02:30:00+00:00", "今天 10:30"),
        ("2026-11-28T16:05:00+00:00", "今天 00:05"),  # already today in Shanghai
        ("2026-11-28T10:30:00+00:00", "昨天 18:30"),
        ("2026-03-02T10:30:00+00:00", "3月2日 18:30"),
        ("2025-12-31T20:00:00+00:00", "1月1日 04:00"),  # this year in Shanghai
        ("2024-05-06T01:00:00+00:00", "2024年5月6日 09:00"),
        ("", "未知"),
        ("not a time", "not a time"),
    ],
)
def test_index_time_reads_in_the_operators_time_zone(built_at: str, expected: str):
    assert format_when(built_at, ZoneInfo("Asia/Shanghai"), NOW) == expected


def test_stats_say_when_and_how_long_in_words():
    stats = StoreStats(documents=3, passages=10, sentences=20, figures=5,
                       built_at="2026-11-29T02:30:00+00:00", build_seconds=1.64)
    text = format_stats(stats, answered=4, not_found=1, zone=ZoneInfo("Asia/Shanghai"), now=NOW)
    assert "上次建索引：今天 10:30，用时 1.6 秒" in text
    check_text(text, "HTML")
