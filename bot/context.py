"""The passages around an answer's passage, for the 原文 button.

Most passages are one sentence, so showing the passage alone repeats the
answer. `gather_context` reads the neighbouring passages of the same article
(same path and title) until about `chars` characters of context are gathered.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.split import split_sentences
from retrieval import Passage, Retriever

CONTEXT_CHARS = 600
MOST_EACH_SIDE = 4


@dataclass(frozen=True)
class Context:
    """A passage with the passages just before and after it, in article order."""

    passage: Passage
    before: tuple[Passage, ...] = ()
    after: tuple[Passage, ...] = ()


def _same_article(one: Passage, other: Passage) -> bool:
    return (one.source.path, one.source.title) == (other.source.path, other.source.title)


def gather_context(
    retriever: Retriever,
    passage_id: int,
    *,
    chars: int = CONTEXT_CHARS,
    most: int = MOST_EACH_SIDE,
) -> Context:
    """Passage `passage_id` and, when it is shorter than `chars`, up to `chars` of its neighbours.

    Neighbours are taken alternately before and after, by adjacent passage id, and a side
    stops at a missing id or another article. Raises KeyError when `passage_id` is unknown.
    """
    passage = retriever.passage(passage_id)
    if len(passage.text) >= chars:
        return Context(passage)
    sides: dict[int, list[Passage]] = {-1: [], 1: []}
    gathered = 0
    for step in range(1, most + 1):
        for direction, found in sides.items():
            if gathered >= chars or len(found) < step - 1:  # enough, or this side stopped
                continue
            try:
                neighbour = retriever.passage(passage_id + direction * step)
            except KeyError:
                continue
            if not _same_article(passage, neighbour):
                continue
            found.append(neighbour)
            gathered += len(neighbour.text)
    return Context(passage, tuple(reversed(sides[-1])), tuple(sides[1]))


def sentence_at(text: str, position: int) -> str:
    """The sentence at `position` in a passage's text, cut as the index cut it ("" past the
    end): what a 原文 button shows in bold."""
    sentences = split_sentences(text)
    return sentences[position].text if position < len(sentences) else ""
