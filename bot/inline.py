"""Inline mode: "@WendaBot 问题" in any chat offers up to five answers to send there.

Each result is one hit, sent as the answer message the chat would get with that
hit first (`format_answer`, so the wording is the same), titled by its leading
figure or the sentence's start and described by its source. An empty query
offers example questions, each sending its answer. Results are the same for
everyone, so Telegram may cache them briefly. Inline answers carry no buttons:
the bot may not be in the chat they are sent to.
"""

from __future__ import annotations

import asyncio

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.ext import ContextTypes

from bot import texts
from bot.render import Page, describe_source, format_answer
from bot.state import get_state
from index.figures.label import label_figure, shorten
from retrieval import MAX_QUESTION_CHARS, Answer, EmptyQuestion, Hit, Retriever

MAX_RESULTS = 5
CACHE_SECONDS = 30
TITLE_CHARS = 60
DESCRIPTION_CHARS = 100


def hit_title(hit: Hit) -> str:
    """A result's title: its leading figure ("总营收：126亿元"), else the sentence's start."""
    if hit.figures:
        return shorten(label_figure(hit.figures[0], hit.sentence), TITLE_CHARS)
    return shorten(hit.sentence, TITLE_CHARS)


def _article(result_id: str, title: str, description: str, text: str) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        id=result_id,
        title=title,
        description=shorten(description, DESCRIPTION_CHARS),
        input_message_content=InputTextMessageContent(text),
    )


def answer_results(answer: Answer) -> list[InlineQueryResultArticle]:
    """One result per hit (at most MAX_RESULTS), or one saying nothing was found."""
    note = texts.QUESTION_CUT.format(limit=MAX_QUESTION_CHARS) if answer.truncated else ""
    if not answer.found or not answer.hits:
        return [_article("none", texts.INLINE_NOT_FOUND, texts.INLINE_NOT_FOUND_HINT,
                         format_answer(answer, note=note))]
    return [
        _article(str(index), hit_title(hit), describe_source(hit.source),
                 format_answer(answer, Page((index,), None), note=note))
        for index, hit in enumerate(answer.hits[:MAX_RESULTS])
    ]


def example_results(retriever: Retriever) -> list[InlineQueryResultArticle]:
    """The corpus's example questions, each sending its answer."""
    results = []
    for index, question in enumerate(retriever.example_questions(MAX_RESULTS)):
        answer = retriever.answer(question)
        results.append(_article(f"example{index}", shorten(question, TITLE_CHARS),
                                texts.INLINE_EXAMPLE, format_answer(answer)))
    return results


def inline_results(retriever: Retriever, query: str) -> list[InlineQueryResultArticle]:
    """The results for an inline query (examples when it is empty)."""
    try:
        return answer_results(retriever.answer(query)) if query.strip() else []
    except EmptyQuestion:
        return []


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """@WendaBot 问题 typed in any chat: answers to pick from; example questions when empty."""
    retriever = get_state(context).retriever
    query = update.inline_query.query
    results = await asyncio.to_thread(inline_results, retriever, query)
    if not results:
        results = await asyncio.to_thread(example_results, retriever)
    await update.inline_query.answer(results, cache_time=CACHE_SECONDS, is_personal=False)
