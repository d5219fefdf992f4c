"""Example questions the loaded corpus answers, for the bot's /start.

Made from the corpus itself: a sentence with a money, percent or count
figure whose metric the figure extractor named, asked about the company or
product its passage names ("快手总营收多少？"), and kept only when the
Retriever answers it with that very sentence. Names the alias table does not
know are read from the article's headline.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import TYPE_CHECKING

from index.aliases import ENTITY_KINDS
from index.normalise import normalise
from index.store import read_figure_samples

if TYPE_CHECKING:
    from retrieval.answer import Retriever

logger = logging.getLogger(__name__)

MAX_TRIES = 40
MAX_EXAMPLES = 5
_METRIC = re.compile(r"^[\u4e00-\u9fffA-Za-z]{2,8}$")


def make_example_questions(retriever: Retriever, db, lock: threading.Lock) -> list[str]:
    """Up to MAX_EXAMPLES questions whose first answer is the sentence they were made from."""
    with lock:
        rows = read_figure_samples(db, MAX_TRIES * 4)
    examples: list[str] = []
    articles: set[str] = set()  # one example an article, so that they show the corpus's range
    tried = 0
    for sentence_id, metric, text, article, section in rows:
        if tried >= MAX_TRIES or len(examples) >= MAX_EXAMPLES:
            break
        if article in articles:
            continue
        entity = _entity_named(retriever, f"{text}\n{article}\n{section}") or _headline_name(
            retriever, article
        )
        if entity is None or not _METRIC.match(metric) or entity in metric:
            continue
        question = f"{entity}{metric}多少？"
        if question in examples:
            continue
        tried += 1
        answer = retriever.answer(question, top=1)
        if answer.found and answer.hits[0].sentence_id == sentence_id:
            examples.append(question)
            articles.add(article)
    logger.debug("made %d example questions in %d tries", len(examples), tried)
    return examples


_PROPER_NOUNS = ("nr", "ns", "nt", "nz")


def _headline_name(retriever: Retriever, title: str) -> str | None:
    """The name a headline opens with (云帆科技发布财报 -> 云帆科技), for names not in the table.

    Up to two leading nouns, when the first is a proper noun or there are two.
    """
    nouns: list[tuple[str, str]] = []
    for word, flag in retriever.segmenter.tag(title):
        if not flag.startswith("n") or len(nouns) == 2:
            break
        nouns.append((word, flag))
    if len(nouns) == 2 or (nouns and nouns[0][1] in _PROPER_NOUNS):
        return "".join(word for word, _ in nouns)
    return None


def _entity_named(retriever: Retriever, text: str) -> str | None:
    """The first company or product of the alias table the text names, as written there."""
    for match in retriever.synonyms.find(normalise(text)):
        if match.group.kind in ENTITY_KINDS:
            return match.form.upper() if match.form.isascii() else match.form
    return None
