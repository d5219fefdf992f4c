"""One corpus file to rows: paragraphs, passages, sentences, tokens, figures.

Runs in worker processes on large corpora, so everything here is plain
data in and out; each worker builds its own `Segmenter` once. A passage
comes back with its sentences and figures already as store rows (less the
ids, which the builder assigns): tuples of strings and numbers cost a
fraction of nested objects to send between processes, and the work of
making them is done in the workers rather than in the one process writing.
"""

from __future__ import annotations

import hashlib
import json
import marshal
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.citation import NO_CITATION, Citation
from index.figures.extract import figure_fields
from index.figures.model import kinds_of
from index.normalise import fold_passage, normalise
from index.postings import Vocabulary
from index.read import read_paragraphs
from index.segment import Segmenter
from index.split import Paragraph, Sentence, split_passages

# A sentence row: start, end, text, tokens (space-separated), figure kinds, normalised text.
SentenceRow = tuple[int, int, str, str, str, str]
# A figure row: its sentence's position in the passage, its position in the sentence, start,
# end, text, kind, value (JSON), unit, qualifier, metric, subtype.
FigureRow = tuple[int, int, int, int, str, str, str, str | None, str | None, str, str | None]


@dataclass(frozen=True)
class IngestedPassage:
    """A passage with the rows of its sentences and figures, in the store's column order."""

    article: str
    section: str
    text: str
    tokens: str  # the sentences' tokens, space-separated
    length: int  # how many tokens
    sentences: tuple[SentenceRow, ...]
    figures: tuple[FigureRow, ...]
    key: str = ""  # `passage_key`: names the passage across reindexes
    citation: Citation = NO_CITATION
    # The normalised text, which copies are found by and bigrams counted over: made here,
    # in the workers, rather than by the one process building the postings.
    folded: str = ""


class PackedPassages:
    """Passages packed into one marshal string, unpacked as they are iterated.

    What a worker sends back for a file: one bytes object pickles and
    unpickles in a fraction of the time thousands of dataclasses and
    tuples of strings take, and the process writing the store is the one
    that has no time to spare.
    """

    def __init__(self, passages: Iterable[IngestedPassage]) -> None:
        self._packed = marshal.dumps([_passage_fields(passage) for passage in passages])

    def __iter__(self) -> Iterator[IngestedPassage]:
        for fields in marshal.loads(self._packed):
            *head, url, outlet, published, folded = fields
            yield IngestedPassage(*head, citation=Citation(url, outlet, published), folded=folded)


def _passage_fields(passage: IngestedPassage) -> tuple:
    """The passage's fields as plain values, in the order PackedPassages unpacks them."""
    citation = passage.citation
    return (
        passage.article, passage.section, passage.text, passage.tokens, passage.length,
        passage.sentences, passage.figures, passage.key,
        citation.url, citation.outlet, citation.published, passage.folded,
    )


@dataclass(frozen=True)
class FileTerms:
    """A file's tokens numbered within the file, so that the one process numbering the
    corpus's terms looks up each distinct token of a file once rather than every token."""

    terms: tuple[str, ...]  # the distinct tokens, in order of first appearance
    ids: np.ndarray  # int32: each token's index in `terms`, passage after passage
    lengths: np.ndarray  # int32: tokens per passage


class _FileNumbering:
    """Numbers the tokens of a file's passages as they are made (see FileTerms)."""

    def __init__(self) -> None:
        self._terms = Vocabulary()
        self._ids: list[int] = []
        self._lengths: list[int] = []

    def add(self, tokens: list[str]) -> None:
        self._ids += map(self._terms.__getitem__, tokens)
        self._lengths.append(len(tokens))

    def finish(self) -> FileTerms | None:
        """The numbered tokens; None when a token holds whitespace (or is empty), since the
        store's postings count a passage's stored tokens split at whitespace."""
        terms = tuple(self._terms)
        if any(term.split() != [term] for term in terms):
            return None
        return FileTerms(
            terms, np.array(self._ids, dtype=np.int32), np.array(self._lengths, dtype=np.int32)
        )


@dataclass(frozen=True)
class IngestedFile:
    """A file's rows: packed by a worker, or a stream that reads the file as it is consumed.

    A stream may raise UnreadableFile part-way, and its `warnings` are
    complete only once its passages have all been consumed.
    """

    relative: str
    sha256: str
    size: int
    mtime_ns: int
    passages: Iterable[IngestedPassage]
    warnings: list[str]  # one line each: what was skipped or mended, and where
    # The passages' tokens numbered within the file (packed files only; None for a stream).
    terms: FileTerms | None = None


def _ingest_sentence(
    sentence: Sentence, position: int, segmenter: Segmenter, figure_rows: list[FigureRow]
) -> tuple[SentenceRow, list[str]]:
    """A sentence's row and tokens; its figures' rows go to `figure_rows`."""
    normalised = normalise(sentence.text)
    tokens = segmenter.cut_normalised(normalised)
    figures = figure_fields(sentence.text)
    figure_rows += (
        (position, index, start, end, text, kind, _value_json(value), *rest)
        for index, (start, end, text, kind, value, *rest) in enumerate(figures)
    )
    kinds = " ".join(kinds_of((figure[3], figure[5]) for figure in figures)) if figures else ""
    row = (sentence.start, sentence.end, sentence.text, " ".join(tokens), kinds, normalised)
    return row, tokens


# What json.dumps(value, ensure_ascii=False) uses, made once: dumps makes one per call.
_VALUE_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _value_json(value: object) -> str:
    """A figure's value as JSON; an int (most values) is its repr."""
    return repr(value) if type(value) is int else _VALUE_ENCODER.encode(value)


def passage_key(folded: str) -> str:
    """16 hex digits naming a passage by its folded text (`fold_passage`): the same text
    gets the same key in every index, so a button made before a reindex still finds it."""
    return hashlib.blake2b(folded.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


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
    paragraphs are at most MAX_LINE_CHARS long. Otherwise they are packed
    (a worker process sends them back in one piece).
    """
    sha256, size = file_digest(path)
    warnings: list[str] = []
    paragraphs = read_paragraphs(path, name=relative, warn=warnings.append)
    numbering = None if stream else _FileNumbering()
    passages = _ingest_paragraphs(paragraphs, segmenter, numbering)
    return IngestedFile(
        relative=relative,
        sha256=sha256,
        size=size,
        mtime_ns=mtime_ns,
        passages=passages if stream else PackedPassages(passages),
        warnings=warnings,
        terms=numbering.finish() if numbering else None,
    )


def _ingest_paragraphs(
    paragraphs: Iterable[Paragraph], segmenter: Segmenter, numbering: _FileNumbering | None
) -> Iterator[IngestedPassage]:
    for paragraph in paragraphs:
        for passage in split_passages(paragraph):
            sentence_rows: list[SentenceRow] = []
            figure_rows: list[FigureRow] = []
            tokens: list[str] = []
            for position, sentence in enumerate(passage.sentences):
                row, sentence_tokens = _ingest_sentence(sentence, position, segmenter, figure_rows)
                sentence_rows.append(row)
                tokens += sentence_tokens
            if numbering is not None:
                numbering.add(tokens)
            folded = fold_passage(row[5] for row in sentence_rows)
            yield IngestedPassage(
                article=passage.article,
                section=passage.section,
                text=passage.text,
                tokens=" ".join(tokens),
                length=len(tokens),
                sentences=tuple(sentence_rows),
                figures=tuple(figure_rows),
                key=passage_key(folded),
                citation=passage.citation,
                folded=folded,
            )
