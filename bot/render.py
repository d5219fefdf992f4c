"""Answers, passages and reports as Telegram HTML.

Every `format_*` here is pure and returns escaped HTML within Telegram's
4096-character limit, so a message is never refused; handlers only send.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import texts
from bot.context import CONTEXT_CHARS, Context
from index import BuildProgress, IndexSummary
from index.figures import Figure
from index.figures.label import ELLIPSIS, label_figure, shorten
from retrieval import Answer, Hit, Source, StoreStats

MAX_MESSAGE = 4096
MORE_SENTENCES = 2
MAX_FIGURES = 6
MAX_SKIPPED_SHOWN = 5
_WEB_ADDRESS = re.compile(r"https?://[^\s/]", re.IGNORECASE)


@dataclass(frozen=True)
class Page:
    """Which hits one answer message shows (best first), and where the next page starts."""

    hits: tuple[int, ...]
    next_start: int | None


def escape(text: str) -> str:
    """Text made safe for parse_mode=HTML."""
    return html.escape(text, quote=False)


def _merge_spans(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    clipped = sorted((max(0, s), min(length, e)) for s, e in spans if min(length, e) > max(0, s))
    merged: list[tuple[int, int]] = []
    for start, end in clipped:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def bold_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` escaped, with the character ranges `spans` in <b>."""
    parts, position = [], 0
    for start, end in _merge_spans(spans, len(text)):
        parts += [escape(text[position:start]), f"<b>{escape(text[start:end])}</b>"]
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def fit_spans(text: str, spans: Sequence[tuple[int, int]], budget: int) -> str:
    """`bold_spans`, with the text cut (and an ellipsis) so the HTML fits `budget`."""
    rendered, keep = bold_spans(text, spans), len(text)
    while len(rendered) > budget and keep > 0:
        # Escaping and tags make HTML longer than the text: shrink in proportion, then step.
        keep = max(0, min(keep - 1, keep * budget // len(rendered) - 1))
        rendered = bold_spans(text[:keep], spans) + ELLIPSIS
    return rendered if len(rendered) <= budget else ""


def _adds_something(hit: Hit, shown: list[str]) -> bool:
    return not any(hit.sentence in seen or seen in hit.sentence for seen in shown)


def choose_page(
    answer: Answer, start: int = 0, *, more: int = MORE_SENTENCES, keep_ratio: float = 0.5
) -> Page:
    """The hit at `start` and up to `more` others that add something and score close to it."""
    hits = answer.hits
    if start >= len(hits):
        return Page((), None)
    shown, sentences = [start], [hits[start].sentence]
    floor = hits[start].score * keep_ratio
    position = start + 1
    while position < len(hits) and len(shown) <= more:
        hit = hits[position]
        if hit.score < floor:
            break
        if _adds_something(hit, sentences):
            shown.append(position)
            sentences.append(hit.sentence)
        position += 1
    return Page(tuple(shown), position if position < len(hits) else None)


def split_pages(answer: Answer, **choice: float) -> tuple[Page, ...]:
    """Every page of `answer` in order (`choose_page` from the first hit on); () when none."""
    pages: list[Page] = []
    start: int | None = 0
    while start is not None and answer.found:
        page = choose_page(answer, start, **choice)
        if not page.hits:
            break
        pages.append(page)
        start = page.next_start
    return tuple(pages)


def format_page_number(number: int, pages: int) -> str:
    """ "第 2/4 页", and on the last page that it is the last; "" for a one-page answer."""
    if pages <= 1:
        return ""
    wording = texts.LAST_PAGE if number >= pages else texts.PAGE
    return wording.format(number=number, pages=pages)


def format_date(published: str) -> str:
    """An ISO date (2024-11-20, or 2024-11) as a Chinese reader writes it; "" otherwise."""
    parts = published.split("-")
    if len(parts) not in (2, 3) or not all(part.isdigit() for part in parts):
        return ""
    wording = texts.DATE_FULL if len(parts) == 3 else texts.DATE_MONTH
    year, month, day = (int(part) for part in (*parts, "1")[:3])
    return wording.format(year=year, month=month, day=day)


def format_link(text: str, url: str) -> str:
    """`text` escaped, linked to `url` when that is an http(s) address."""
    if not _WEB_ADDRESS.match(url):
        return escape(text)
    return f'<a href="{html.escape(url, quote=True)}">{escape(text)}</a>'


def describe_source(source: Source) -> str:
    """The source as plain text (an inline result's description): title · outlet · date."""
    parts = [shorten(source.title, 80), shorten(source.outlet, 40), format_date(source.published)]
    return " · ".join(filter(None, parts))


def format_source(source: Source) -> str:
    """The source line as a reader cites it: 来源：title › section · outlet · date, the title
    linked to the article when its address is known; file names are for operators."""
    cited = format_link(shorten(source.title, 80), source.url)
    if source.section:
        cited += f" › {escape(shorten(source.section, 60))}"
    extras = [escape(shorten(source.outlet, 40)), format_date(source.published)]
    return texts.SOURCE.format(source=" · ".join([cited, *filter(None, extras)]))


def format_figure(figure: Figure, sentence: str = "") -> str:
    """One compact line, e.g. "总营收：311亿元" or "可灵月活：超150万" (as `sentence` says it)."""
    return escape(label_figure(figure, sentence))


def format_figures(figures: Iterable[Figure], sentence: str = "") -> str:
    """The figures of the best sentence as a short list, duplicates dropped; "" when none."""
    lines: list[str] = []
    for figure in figures:
        line = format_figure(figure, sentence)
        if line not in lines:
            lines.append(line)
    return "\n".join(f"• {line}" for line in lines[:MAX_FIGURES])


def format_answer(
    answer: Answer,
    page: Page | None = None,
    *,
    note: str = "",
    number: int = 1,
    pages: int = 1,
    limit: int = MAX_MESSAGE,
) -> str:
    """The reply to a question: best sentence (matches in bold), source, figures, related
    sentences, and which page of `pages` this is."""
    head = f"<i>{escape(note)}</i>\n" if note else ""
    page = page or choose_page(answer)
    if not answer.found or not page.hits:
        return head + format_not_found(answer, limit - len(head))
    best = answer.hits[page.hits[0]]
    tail = "\n" + format_source(best.source)
    if figures := format_figures(best.figures, best.sentence):
        tail += "\n\n" + figures
    footer = format_page_number(number, pages)
    footer = f"\n\n<i>{footer}</i>" if footer else ""
    others = [answer.hits[i] for i in page.hits[1:]]
    extra = "".join(
        f"\n• {fit_spans(hit.sentence, hit.spans, 400)}（{escape(shorten(hit.source.title, 40))}）"
        for hit in others
    )
    extra = "\n\n" + texts.RELATED + extra if extra else ""
    budget = limit - len(head) - len(tail) - len(footer)
    if len(extra) > budget // 2:
        extra = ""
    sentence = fit_spans(best.sentence, best.spans, budget - len(extra))
    return head + sentence + tail + extra + footer


def format_not_found(answer: Answer, limit: int = MAX_MESSAGE) -> str:
    """Not found; with the nearest sentence and its source when the answer has one (refused
    for want of confidence only), marked as possibly no answer."""
    nearest = answer.nearest
    if nearest is None:
        return texts.NOT_FOUND
    head = texts.NOT_FOUND_NEAREST + "\n"
    tail = "\n" + format_source(nearest.source)
    sentence = fit_spans(nearest.sentence, nearest.spans, limit - len(head) - len(tail))
    if sentence in ("", ELLIPSIS):  # no room to say any of it
        return texts.NOT_FOUND
    return head + sentence + tail


def _fit_passage(text: str, sentence: str, budget: int) -> str:
    """`text` with `sentence` in bold, cut around the sentence so the HTML fits `budget`."""
    found = text.find(sentence) if sentence else -1
    spans = [(found, found + len(sentence))] if found >= 0 else []
    start = 0
    if found >= 0 and len(text) > budget // 2:
        # Start a little before the sentence so it stays inside what fits.
        start = max(0, found - budget // 8)
    spans = [(s - start, e - start) for s, e in spans]
    prefix = ELLIPSIS if start else ""
    return prefix + fit_spans(text[start:], spans, budget - len(prefix))


def format_passage(
    text: str, source: Source, sentence: str = "", *, limit: int = MAX_MESSAGE
) -> str:
    """A whole passage under its source, with `sentence` in bold, cut around it if too long."""
    head = format_source(source) + "\n\n"
    return head + _fit_passage(text, sentence, limit - len(head))


def _neighbour(text: str, *, before: bool, chars: int) -> str:
    """A neighbouring passage, escaped, cut to `chars` on the side away from the answer."""
    if len(text) <= chars:
        return escape(text)
    return ELLIPSIS + escape(text[-chars:]) if before else escape(text[:chars]) + ELLIPSIS


def format_context(
    context: Context, sentence: str = "", *, chars: int = CONTEXT_CHARS, limit: int = MAX_MESSAGE
) -> str:
    """The 原文 reply: source on top, then the passage (`sentence` in bold) among its neighbours.

    A neighbour from another section is preceded by that section's name; neighbours are
    cut to `chars` each and left out altogether if they would crowd the passage out.
    """
    passage = context.passage
    source = passage.source
    # With neighbours, sections are marked where they begin, not on top.
    section = "" if context.before or context.after else source.section
    head = format_source(replace(source, section=section)) + "\n\n"

    def paragraph(where: Source, body: str) -> str:
        nonlocal section
        marker = ""
        if where.section != section and where.section:
            marker = texts.SECTION_MARK.format(section=escape(shorten(where.section, 60))) + "\n"
        section = where.section
        return marker + body

    before = [
        paragraph(p.source, _neighbour(p.text, before=True, chars=chars)) for p in context.before
    ]
    middle_marker = paragraph(source, "")
    after = [
        paragraph(p.source, _neighbour(p.text, before=False, chars=chars)) for p in context.after
    ]
    neighbours = len("\n\n".join(before + after)) + len("\n\n") * 2
    if not (before or after) or neighbours > (limit - len(head)) // 2:
        return format_passage(passage.text, source, sentence, limit=limit)
    budget = limit - len(head) - len(middle_marker) - neighbours
    body = middle_marker + _fit_passage(passage.text, sentence, budget)
    return head + "\n\n".join(before + [body] + after)


def format_welcome(name: str, examples: Sequence[str], *, group_bot: str = "") -> str:
    """The /start greeting with a few example questions; in a group (`group_bot` is the
    bot's username) it says how to address the bot there."""
    name = escape(shorten(name, 60))
    if group_bot:
        lines = [texts.GREETING_GROUP.format(name=name, bot=escape(group_bot))]
    else:
        lines = [texts.GREETING.format(name=name)]
    if examples:
        prefix = f"@{escape(group_bot)} " if group_bot else ""
        lines += ["", texts.EXAMPLES]
        lines += [f"• {prefix}{escape(shorten(q, 200))}" for q in examples]
    return "\n".join(lines)


def format_when(moment: str, zone: ZoneInfo, now: datetime) -> str:
    """An ISO time as a person in `zone` says it: 今天 18:30, 昨天 09:05, 3月2日 18:30,
    2025年3月2日 18:30; the text itself when it is not a time."""
    try:
        when = datetime.fromisoformat(moment)
    except ValueError:
        return escape(moment) or texts.UNKNOWN_TIME
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    when, today = when.astimezone(zone), now.astimezone(zone).date()
    clock = when.strftime("%H:%M")
    if when.date() == today:
        return f"{texts.TODAY} {clock}"
    if when.date() == today - timedelta(days=1):
        return f"{texts.YESTERDAY} {clock}"
    if when.year == today.year:
        return f"{texts.DATE_SHORT.format(month=when.month, day=when.day)} {clock}"
    day = texts.DATE_FULL.format(year=when.year, month=when.month, day=when.day)
    return f"{day} {clock}"


def format_stats(stats: StoreStats, *, answered: int, not_found: int, zone: ZoneInfo,
                 now: datetime) -> str:
    """/stats: the index's size and age (in the operators' time zone), and the questions
    seen since start."""
    return texts.STATS.format(
        documents=stats.documents, passages=stats.passages, sentences=stats.sentences,
        figures=stats.figures, built=format_when(str(stats.built_at), zone, now),
        seconds=float(stats.build_seconds), answered=answered, not_found=not_found,
    )


def format_progress(progress: BuildProgress | None) -> str:
    """The reindex status line while it runs."""
    if progress is None or not progress.total:
        return texts.REINDEX_STARTED
    return texts.REINDEX_PROGRESS.format(
        done=progress.done, total=progress.total, path=escape(shorten(progress.path, 200))
    )


def format_summary(summary: IndexSummary) -> str:
    """What a finished reindex did."""
    lines = [
        texts.REINDEX_DONE.format(
            seconds=summary.seconds, added=summary.added, changed=summary.changed,
            removed=summary.removed, unchanged=summary.unchanged, skipped=len(summary.skipped),
            documents=summary.documents, passages=summary.passages,
            sentences=summary.sentences, figures=summary.figures,
        )
    ]
    for skipped in summary.skipped[:MAX_SKIPPED_SHOWN]:
        lines.append(texts.REINDEX_SKIPPED.format(
            path=escape(shorten(skipped.path, 100)), reason=escape(shorten(skipped.reason, 100))
        ))
    return "\n".join(lines)


def format_reindex_error(error: BaseException) -> str:
    """A failed reindex, told to the admin; the old index keeps serving."""
    detail = shorten(f"{type(error).__name__}: {error}", 1000)
    return texts.REINDEX_FAILED.format(detail=escape(detail))
