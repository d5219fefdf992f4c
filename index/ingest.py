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
    warnings: tuple[str, ...]  # one line each: what was skipped or mended, and where


def _ingest_sentence(sentence: Sentence, normalised: str, segmenter: Segmenter) -> IngestedSentence:
    return IngestedSentence(
        text=sentence.text,
        start=sentence.start,
        end=sentence.end,
        normalised=normalised,
        tokens=tuple(segmenter.cut_normalised(normalised)),
        figures=tuple(extract_figures(sentence.text)),
    )


def file_digest(path: Path) -> tuple[str, int]:
    """(SHA-256 hex digest, size in bytes) of a file, read in blocks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def ingest_file(path: Path, relative: str, mtime_ns: int, segmenter: Segmenter) -> IngestedFile:
    """Read, split, segment and extract figures of one file (raises UnreadableFile).

    The file is read as a stream of paragraphs, each at most MAX_LINE_CHARS
    long, so only the results, never the whole text, are held.
    """
    sha256, size = file_digest(path)
    warnings: list[str] = []
    passages = []
    articles: dict[str, None] = {}
    chars = 0
    for paragraph in read_paragraphs(path, name=relative, warn=warnings.append):
        articles[paragraph.article] = None
        chars += len(paragraph.text)
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
    return IngestedFile(
        relative=relative,
        sha256=sha256,
        size=size,
        mtime_ns=mtime_ns,
        title=next(iter(articles), ""),
        articles=len(articles),
        chars=chars,
        passages=tuple(passages),
        warnings=tuple(warnings),
    )
