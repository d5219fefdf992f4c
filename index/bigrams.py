"""Character bigrams: the second BM25 channel, robust where jieba cuts a name differently.

A bigram is two adjacent word characters (CJK, Latin letters, digits) of the
normalised text, packed into one int64 key (first code point << 21 | second),
so that the vocabulary is a sorted integer array rather than millions of
strings, and keys for a whole batch of texts come from numpy in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from index.distinct import count_runs, merge_sorted, run_starts

SHIFT = 21  # code points fit in 21 bits: a key is first << SHIFT | second
# The bits of a key: a key and a row number below 2**21 fit one int64 as row << KEY_BITS | key.
KEY_BITS = 2 * SHIFT
# The bits left in an int64 for a passage column beside a key (`BigramBuilder`).
COLUMN_BITS = 63 - KEY_BITS


def _word_table() -> np.ndarray:
    """Per code point up to the last CJK one (and one past it, for all above): is it a CJK
    ideograph, an ASCII letter or digit. One look-up per character is several times faster
    than comparing every character against each range."""
    table = np.zeros(_LAST_WORD_POINT + 2, bool)
    for first, last in ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, _LAST_WORD_POINT),
                        (0x30, 0x39), (0x61, 0x7A), (0x41, 0x5A)):
        table[first:last + 1] = True
    return table


_LAST_WORD_POINT = 0x3FFFF
_WORD_TABLE = _word_table()


def word_characters(points: np.ndarray) -> np.ndarray:
    """True where a code point is a CJK ideograph, an ASCII letter or digit."""
    return _WORD_TABLE[np.minimum(points, _LAST_WORD_POINT + 1)]


def code_points(text: str) -> np.ndarray:
    """The code points of `text` as int64 (a lone surrogate becomes '?')."""
    return np.frombuffer(text.encode("utf-32-le", "replace"), dtype=np.uint32).astype(np.int64)


def bigram_keys(text: str) -> np.ndarray:
    """Keys of the bigrams of `text` in order, repeats kept (int64)."""
    points = code_points(text)
    if len(points) < 2:
        return np.zeros(0, np.int64)
    word = word_characters(points)
    both = word[:-1] & word[1:]
    return ((points[:-1] << SHIFT) | points[1:])[both]


def bigram_text(key: int) -> str:
    """The two characters of a key (for debugging and tests)."""
    return chr(key >> SHIFT) + chr(key & ((1 << SHIFT) - 1))


def keys_by_text(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Bigram keys of many texts at once, and the index of the text each came from."""
    if not texts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    lengths = np.fromiter((len(t) for t in texts), np.int64, len(texts))
    return keys_of_joined("\n".join(texts), lengths)


def keys_of_joined(joined: str, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`keys_by_text` of texts already joined by "\n" (`lengths` are theirs): the
    separator is not a word character, so no bigram spans two texts."""
    if not len(lengths):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    points = code_points(joined)
    owner = np.repeat(np.arange(len(lengths)), lengths + 1)[: len(points)]
    word = word_characters(points)
    both = word[:-1] & word[1:]
    keys = ((points[:-1] << SHIFT) | points[1:])[both]
    return keys, owner[:-1][both]


def _count_pairs(keys: np.ndarray, columns: np.ndarray) -> tuple[np.ndarray, ...]:
    """Distinct (key, column) pairs sorted by key then column, and how often each occurs,
    for columns too many to pack beside a key (np.lexsort)."""
    order = np.lexsort((columns, keys))
    keys, columns = keys[order], columns[order]
    starts = run_starts((keys[1:] != keys[:-1]) | (columns[1:] != columns[:-1]), len(keys))
    return keys[starts], columns[starts], np.diff(np.append(starts, len(keys)))


@dataclass(frozen=True)
class BigramPostings:
    """Term-major CSR postings of bigram keys over passages (the shape BM25Matrix reads)."""

    keys: np.ndarray  # int64 [terms], sorted
    indptr: np.ndarray  # int64 [terms + 1]
    columns: np.ndarray  # int32 passage columns
    tf: np.ndarray  # int32
    lengths: np.ndarray  # int32 bigrams per passage


class BigramBuilder:
    """Bigram postings built a text at a time; keys are taken a batch of texts at once.

    While the columns fit beside a key in an int64 (COLUMN_BITS: two million
    passages), each batch's (key, column) pairs are packed and sorted as the
    batch comes, while the workers read on, and `finish` merges the sorted
    runs (a stable sort finds them): at 100k passages the end of a build
    took 2.1 s here, most of it one sort of every pair. Beyond, the pairs are
    kept apart and sorted at the end (np.lexsort).
    """

    def __init__(self, batch: int = 4096, column_bits: int = COLUMN_BITS) -> None:
        self._batch_size = batch
        self._column_bits = column_bits
        self._packed: list[np.ndarray] = []  # each batch's key << column_bits | column, sorted
        self._key_parts: list[np.ndarray] = []  # once a column does not fit: keys,
        self._column_parts: list[np.ndarray] = []  # and their columns
        self._lengths: list[np.ndarray] = []
        self._batch: list[str] = []
        self._done = 0

    def add(self, text: str) -> None:
        """Add the next text (a passage's normalised text)."""
        self._batch.append(text)
        if len(self._batch) >= self._batch_size:
            self._flush()

    def _flush(self) -> None:
        if not self._batch:
            return
        keys, owner = keys_by_text(self._batch)
        columns = owner + self._done
        self._lengths.append(np.bincount(owner, minlength=len(self._batch)))
        self._done += len(self._batch)
        self._batch = []
        bits = self._column_bits
        if self._done <= 1 << bits and not self._key_parts:
            self._packed.append(np.sort(keys << bits | columns))
            return
        for packed in self._packed:  # the first batch that does not fit: unpack the rest
            self._key_parts.append(packed >> bits)
            self._column_parts.append(packed & ((1 << bits) - 1))
        self._packed = []
        self._key_parts.append(keys)
        self._column_parts.append(columns)

    def finish(self) -> BigramPostings:
        """The postings of every text added."""
        self._flush()
        if self._packed:
            pairs, tf = count_runs(merge_sorted(self._packed))
            bits = self._column_bits
            pair_keys, pair_columns = pairs >> bits, pairs & ((1 << bits) - 1)
        elif self._key_parts:
            pair_keys, pair_columns, tf = _count_pairs(
                np.concatenate(self._key_parts), np.concatenate(self._column_parts))
        else:
            empty = np.zeros(0, np.int64)
            return BigramPostings(empty, np.zeros(1, np.int64), empty.astype(np.int32),
                                  empty.astype(np.int32), empty.astype(np.int32))
        first = run_starts(pair_keys[1:] != pair_keys[:-1], len(pair_keys))  # sorted keys
        indptr = np.append(first, len(pair_keys)).astype(np.int64)
        return BigramPostings(
            keys=pair_keys[first].astype(np.int64), indptr=indptr,
            columns=pair_columns.astype(np.int32), tf=tf.astype(np.int32),
            lengths=np.concatenate(self._lengths).astype(np.int32),
        )


def build_bigram_postings(texts: Iterable[str], batch: int = 4096) -> BigramPostings:
    """Postings of the bigrams of each text (a passage's normalised text), vectorised."""
    builder = BigramBuilder(batch)
    for text in texts:
        builder.add(text)
    return builder.finish()
