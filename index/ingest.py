"""One corpus file to rows: paragraphs, passages, sentences, tokens, figures.

Runs in worker processes on large corpora, so everything here is plain
data in and out; each worker builds its own `Segmenter` once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from index.citation import NO_CITATION, Citation
from index.figures import Figure, extract_figures
from index.normalise import normalise
from index.read import read_paragraphs
from index.segment import Segmenter
from index.split import Paragraph, Sentence, split_passages


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
    key: str = ""  # `passage_key`: names the passage across reindexes
    citation: Citation = NO_CITATION


@dataclass(frozen=True)
class IngestedFile:
    """A file's rows: a tuple from a worker, or a stream that reads the file as it is consumed.

    A stream may raise UnreadableFile part-way, and its `warnings` are
    complete only once its passages have all been consumed.
    """

    relative: str
    sha256: str
    size: int
    mtime_ns: int
    passages: Iterable[IngestedPassage]
    warnings: list[str]  # one line each: what was skipped or mended, and where


def _ingest_sentence(sentence: Sentence, normalised: str, segmenter: Segmenter) -> IngestedSentence:
    return IngestedSentence(
        text=sentence.text,
        start=sentence.start,
        end=sentence.end,
        normalised=normalised,
        tokens=tuple(segmenter.cut_normalised(normalised)),
        figures=tuple(extract_figures(sentence.text)),
    )


def passage_key(sentences: Iterable[str]) -> str:
    """16 hex digits naming a passage by its normalised sentences: the same text gets the
    same key in every index, so a button made before a reindex still finds it."""
    joined = "\n".join(sentences).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(joined, digest_size=8).hexdigest()


def file_digest(path: Path) -> tuple[str, int]:
    """(SHA-256 hex digest, size in bytes) of a file, read in blocks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def ingest_file(
    path: Path, relative: str, mtime_ns: int, segmenter: Segmenter, *, stream: bool = False
) -> IngestedFile:
    """Read, split, segment and extract figures of one file (raises UnreadableFile).

    With `stream`, passages are made as they are consumed, so that a huge
    file is never held whole: the file is read a chunk at a time and its
    paragraphs are at most MAX_LINE_CHARS long. Otherwise they are a tuple
    (a worker process sends them back in one piece).
    """
    sha256, size = file_digest(path)
    warnings: list[str] = []
    paragraphs = read_paragraphs(path, name=relative, warn=warnings.append)
    passages = _ingest_paragraphs(paragraphs, segmenter)
    return IngestedFile(
        relative=relative,
        sha256=sha256,
        size=size,
        mtime_ns=mtime_ns,
        passages=passages if stream else tuple(passages),
        warnings=warnings,
    )


def _ingest_paragraphs(
    paragraphs: Iterable[Paragraph], segmenter: Segmenter
) -> Iterator[IngestedPassage]:
    for paragraph in paragraphs:
        for passage in split_passages(paragraph):
            sentences = tuple(
                _ingest_sentence(sentence, normalise(sentence.text), segmenter)
                for sentence in passage.sentences
            )
            yield IngestedPassage(
                article=passage.article,
                section=passage.section,
                text=passage.text,
                tokens=tuple(token for sentence in sentences for token in sentence.tokens),
                sentences=sentences,
                key=passage_key(sentence.normalised for sentence in sentences),
                citation=passage.citation,
            )
