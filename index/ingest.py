"""One corpus file to rows: paragraphs, passages, sentences, tokens, figures.

Runs in worker processes on large corpora, so everything here is plain
data in and out; each worker builds its own `Segmenter` once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from index.figures import Figure, extract_figures
from index.normalise import normalise
from index.read import read_paragraphs
from index.segment import Segmenter
from index.split import Sentence, split_passages


@dataclass(frozen=True)
class IngestedSentence:
    text: str
    start: int
    end: int
    normalised: str  # what retrieval compares spellings in
    tokens: tuple[str, ...]
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class IngestedPassage:
    article: str
    section: str
    text: str
    tokens: tuple[str, ...]
    sentences: tuple[IngestedSentence, ...]


@dataclass(frozen=True)
class IngestedFile:
    relative: str
    sha256: str
    size: int
    mtime_ns: int
    title: str
    articles: int
    chars: int
    passages: tuple[IngestedPassage, ...]


def _ingest_sentence(sentence: Sentence, normalised: str, segmenter: Segmenter) -> IngestedSentence:
    return IngestedSentence(
        text=sentence.text,
        start=sentence.start,
        end=sentence.end,
        normalised=normalised,
        tokens=tuple(segmenter.cut_normalised(normalised)),
        figures=tuple(extract_figures(sentence.text)),
    )


def ingest_file(path: Path, relative: str, mtime_ns: int, segmenter: Segmenter) -> IngestedFile:
    """Read, split, segment and extract figures of one file (raises UnreadableFile)."""
    data = path.read_bytes()
    paragraphs = read_paragraphs(path, data)
    passages = []
    for paragraph in paragraphs:
        for passage in split_passages(paragraph):
            sentences = tuple(
                _ingest_sentence(sentence, normalise(sentence.text), segmenter)
                for sentence in passage.sentences
            )
            passages.append(
                IngestedPassage(
                    article=passage.article,
                    section=passage.section,
                    text=passage.text,
                    tokens=tuple(token for sentence in sentences for token in sentence.tokens),
                    sentences=sentences,
                )
            )
    articles = list(dict.fromkeys(p.article for p in paragraphs))
    return IngestedFile(
        relative=relative,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        mtime_ns=mtime_ns,
        title=articles[0] if articles else "",
        articles=len(articles),
        chars=sum(len(p.text) for p in paragraphs),
        passages=tuple(passages),
    )
