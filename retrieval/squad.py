"""SQuAD-format question sets (CMRC 2018, DRCD) as open-retrieval tests and training data.

Every paragraph becomes an article titled with its page title, and every
question is asked of the whole collection. A sentence answers a question when
a gold answer span lies inside it, compared in the one normalised form
(NFKC, lower case, Traditional folded to Simplified) with whitespace removed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from index.normalise import normalise
from index.split import split_sentences

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SquadParagraph:
    title: str
    text: str


@dataclass(frozen=True)
class SquadQuestion:
    id: str
    question: str
    answers: tuple[str, ...]  # in comparison form (see answer_key)
    paragraph: int  # index into SquadSet.paragraphs
    title: str  # the page: questions of one page stay in one cross-validation fold


@dataclass(frozen=True)
class SquadSet:
    paragraphs: tuple[SquadParagraph, ...]
    questions: tuple[SquadQuestion, ...]


class SquadError(ValueError):
    """The file is not a SQuAD-format question set."""


def squeeze(text: str) -> str:
    """`text` without whitespace: "21 款" in an article matches "21款"."""
    return "".join(text.split())


def answer_key(text: str) -> str:
    """The form answers and sentences are compared in (normalised, squeezed)."""
    return squeeze(normalise(text))


def read_squad(path: Path) -> SquadSet:
    """Paragraphs and questions of a SQuAD-format file; malformed entries are skipped by name."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8", errors="replace"))
        pages = data["data"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SquadError(f"{path}: not a SQuAD-format file ({error})") from None
    paragraphs: list[SquadParagraph] = []
    questions: list[SquadQuestion] = []
    for page_number, page in enumerate(pages if isinstance(pages, list) else []):
        if not isinstance(page, dict):
            continue
        title = str(page.get("title") or f"page {page_number + 1}")
        for entry in page.get("paragraphs") or []:
            if not isinstance(entry, dict) or not isinstance(entry.get("context"), str):
                logger.warning("%s: a paragraph of %r has no context; skipped", path, title)
                continue
            paragraphs.append(SquadParagraph(title=title, text=entry["context"]))
            for qa in entry.get("qas") or []:
                answers = tuple(
                    dict.fromkeys(
                        answer_key(a["text"]) for a in qa.get("answers") or []
                        if isinstance(a, dict) and isinstance(a.get("text"), str)
                        and answer_key(a["text"])
                    )
                )
                if not isinstance(qa.get("question"), str) or not answers:
                    logger.warning("%s: question %s has no text or answer; skipped",
                                   path, qa.get("id"))
                    continue
                questions.append(SquadQuestion(
                    id=str(qa.get("id", len(questions))), question=qa["question"],
                    answers=answers, paragraph=len(paragraphs) - 1, title=title,
                ))
    if not paragraphs:
        raise SquadError(f"{path}: no paragraphs")
    return SquadSet(paragraphs=tuple(paragraphs), questions=tuple(questions))


_HASH_RANGE = 10_000


def _paragraph_hash(paragraph: SquadParagraph) -> int:
    """A number in [0, 10000) from the paragraph's text: the same on every run and machine."""
    digest = hashlib.sha256(paragraph.text.encode("utf-8")).hexdigest()
    return int(digest[:8], 16) % _HASH_RANGE


def left_out(paragraphs: tuple[SquadParagraph, ...], share: float) -> frozenset[int]:
    """The paragraphs an `--absent-share` run leaves out: chosen by a hash of their text,
    so that every run (and every machine) leaves out the same ones."""
    if share <= 0:
        return frozenset()
    cut = int(share * _HASH_RANGE)
    return frozenset(
        number for number, paragraph in enumerate(paragraphs) if _paragraph_hash(paragraph) < cut
    )


def split_shards(paragraphs: tuple[SquadParagraph, ...], count: int) -> list[frozenset[int]]:
    """The paragraphs in `count` shards by the same hash (shard 0 of 10 is what
    `left_out(paragraphs, 0.1)` leaves out)."""
    shards: list[set[int]] = [set() for _ in range(count)]
    for number, paragraph in enumerate(paragraphs):
        shards[_paragraph_hash(paragraph) * count // _HASH_RANGE].add(number)
    return [frozenset(shard) for shard in shards]


def write_corpus(paragraphs: tuple[SquadParagraph, ...], folder: Path,
                 skip: frozenset[int] = frozenset(),
                 replaced: Mapping[int, str] | None = None) -> None:
    """A corpus folder with one article per paragraph, each in a file named by its number
    (so that a sentence's source says which paragraph it came from: `paragraph_of`);
    `replaced` gives some paragraphs another text."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, paragraph in enumerate(paragraphs):
        if number in skip:
            continue
        text = (replaced or {}).get(number, paragraph.text)
        record = {"title": paragraph.title, "text": " ".join(text.split("\n"))}
        (folder / paragraph_file(number)).write_text(
            json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8"
        )


def without_answer(text: str, answers: tuple[str, ...]) -> str | None:
    """`text` less the sentences that hold one of `answers` (in comparison form), or None
    when that leaves an answer in it (one said twice, or across a sentence end) or
    nothing at all: the paragraph of a question about a detail the articles leave out."""
    kept = [s.text for s in split_sentences(" ".join(text.split("\n")))
            if not any(answer in answer_key(s.text) for answer in answers)]
    rest = "".join(kept)
    key = answer_key(rest)
    if not key or any(answer in key for answer in answers):
        return None
    return rest


def paragraph_file(number: int) -> str:
    """The file name `write_corpus` gives a paragraph (and the store keeps as its path)."""
    return f"{number:05d}.jsonl"


def paragraph_of(path: str) -> int:
    """The paragraph number of a source file written by `write_corpus`."""
    return int(Path(path).stem)


def held_by(answers: tuple[str, ...], keys: list[str], excluded: frozenset[int]) -> bool:
    """True when a paragraph (by its `answer_key`), other than the excluded ones, holds
    one of the answers: the question can still be answered without them."""
    return any(
        answer in key for number, key in enumerate(keys) if number not in excluded
        for answer in answers
    )
