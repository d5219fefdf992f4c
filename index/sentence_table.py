"""What ranking reads of every sentence, prepared once when the index is built.

A question's candidate sentences are compared as arrays: their words as
vocabulary ids, what those words name (person, place, organisation), whether
they hold a date, a digit, an amount, their figure kinds, their folded text
and their passage's heading bigrams. Making these from SQLite rows cost a
question more than all the rest of its work, so the build makes them for
every sentence of every passage in the postings, in column order, and writes
them beside the BM25 weights in the store's mapped file (`SentenceTable`);
the retriever gathers a question's rows with a few numpy calls
(`retrieval.sentences`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields

import numpy as np

from index.bigrams import KEY_BITS, keys_by_text
from index.distinct import distinct
from index.normalise import normalise

# Figure kinds that answer "how much": dates and ranks do not.
QUANTITIES = frozenset({"money", "percent", "count", "ratio", "multiple"})
# A sentence's figure kinds as bits (index.figures' kinds, and "pp" for percentage points).
FIGURE_KINDS = ("count", "date", "money", "multiple", "other", "percent", "pp", "rank", "ratio")
_KIND_BITS = {kind: 1 << bit for bit, kind in enumerate(FIGURE_KINDS)}
QUANTITY_BITS = sum(_KIND_BITS[kind] for kind in QUANTITIES)
# Flags: names a date, a year, month or era; holds a digit.
DATED, DIGITS = 1, 2
# Written from the character that must be there (a literal first lets the search skip to
# it): found in the same texts as r"\d{3,4}年|\d{1,2}月|世纪|朝|年代|时期", which tried
# its alternatives at every character.
_YEARISH = re.compile(r"年(?<=\d{3}年)|月(?<=\d月)|世纪|朝|年代|时期")
_DIGIT = re.compile(r"\d")
# What a word names, from jieba's part of speech: person, place, organisation, another
# noun, or nothing.
_NAME_KINDS = {"nr": 0, "ns": 1, "nt": 2}
OTHER_NOUN, NOT_A_NAME = 3, -1
# Passages whose sentences are made into arrays together (numpy calls cost per call).
_BATCH_PASSAGES = 4096
_PREFIX = "sentence_"  # of the table's arrays in the mapped file


def name_kind(tag: str) -> int:
    """The kind of name a part-of-speech tag marks (NOT_A_NAME for none)."""
    return _NAME_KINDS.get(tag[:2], OTHER_NOUN if tag[:1] == "n" else NOT_A_NAME)


@functools.cache  # a few dozen values, asked for every sentence an answer keeps
def kinds_of_bits(bits: int) -> frozenset[str]:
    """The figure kinds a `SentenceTable.kinds` value holds."""
    return frozenset(kind for kind, bit in _KIND_BITS.items() if bits & bit)


@dataclass(frozen=True)
class SentenceTable:
    """Every sentence of every passage in the postings, in column order, as arrays.

    A passage (column c) owns rows sentence_indptr[c]..sentence_indptr[c+1],
    its sentences in order; row r's distinct words are
    token_ids[token_indptr[r]:token_indptr[r+1]].
    """

    sentence_indptr: np.ndarray  # int64 [columns + 1]
    first_sentence_id: np.ndarray  # int64 [columns]: a passage's sentence ids follow on
    chars: np.ndarray  # int32 [rows]: characters of the sentence as written
    flags: np.ndarray  # uint8 [rows]: DATED | DIGITS
    kinds: np.ndarray  # uint16 [rows]: its figures' kinds (FIGURE_KINDS bits)
    token_indptr: np.ndarray  # int64 [rows + 1]
    token_ids: np.ndarray  # int32: each sentence's distinct words, ascending
    word_kinds: np.ndarray  # int8 [terms]: name_kind of each vocabulary word
    folded: np.ndarray  # uint8: UTF-8 of the folded sentences, a passage's joined by "\n"
    folded_indptr: np.ndarray  # int64 [columns + 1]: a passage's bytes in `folded`
    folded_chars: np.ndarray  # int32 [rows]: characters of each folded sentence
    heading_of: np.ndarray  # int32 [columns]: the passage's heading (title and section)
    heading_indptr: np.ndarray  # int64 [headings + 1]
    heading_keys: np.ndarray  # int64: each heading's distinct bigram keys, ascending
    heading_text: np.ndarray  # uint8: UTF-8 of each heading's title, then its section
    heading_text_indptr: np.ndarray  # int64 [2 * headings + 1]
    document_of: np.ndarray  # int32 [columns]: the passage's file
    path_text: np.ndarray  # uint8: UTF-8 of each file's path in the corpus
    path_indptr: np.ndarray  # int64 [files + 1]

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The arrays by their name in the mapped file."""
        return {_PREFIX + name: value for name, value in asdict(self).items()}

    def heading(self, index: int) -> tuple[str, str]:
        """(article title, section) of the `index`th heading."""
        return (_string(self.heading_text, self.heading_text_indptr, 2 * index),
                _string(self.heading_text, self.heading_text_indptr, 2 * index + 1))

    def path(self, column: int) -> str:
        """The corpus path of the file the passage at `column` is from."""
        return _string(self.path_text, self.path_indptr, int(self.document_of[column]))

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> SentenceTable:
        """The table kept in a store's mapped arrays (KeyError when they lack it)."""
        return cls(**{f.name: arrays[_PREFIX + f.name] for f in fields(cls)})


class SentenceTableBuilder:
    """A `SentenceTable` built a passage at a time, in column order, as the build adds
    passages to the postings; arrays are made a batch of passages at a time."""

    def __init__(self) -> None:
        self._parts: dict[str, list[np.ndarray]] = {
            "sizes": [], "first_sentence_id": [], "chars": [], "flags": [], "kinds": [],
            "token_counts": [], "token_ids": [], "folded": [], "folded_bytes": [],
            "folded_chars": [], "heading_of": [], "document_of": [],
        }
        self._batch: dict[str, list] = {name: [] for name in self._parts}
        self._batch_passages = 0
        self._kind_bits: dict[str, int] = {}
        self._headings: dict[tuple[str, str], int] = {}
        self._paths: dict[str, int] = {}

    def add(self, first_sentence_id: int, token_ids: np.ndarray, sentences: Sequence[tuple],
            folded: str, article: str, section: str, path: str) -> None:
        """Add the next passage: the id of its first sentence, the vocabulary ids of its
        tokens (its sentences' tokens one after another), its sentences as the store's
        rows (start, end, text, tokens, figure kinds, folded text), its folded text
        (`fold_passage` of theirs), its heading and the path of its file."""
        batch = self._batch
        batch["sizes"].append(len(sentences))
        batch["first_sentence_id"].append(first_sentence_id)
        batch["token_ids"].append(token_ids)
        for _, _, text, tokens, kinds, normalised in sentences:
            bits = self._kind_bits.get(kinds)
            if bits is None:
                bits = self._kind_bits[kinds] = sum(_KIND_BITS[k] for k in kinds.split())
            batch["chars"].append(len(text))
            batch["kinds"].append(bits)
            batch["flags"].append(
                (DATED if bits & _KIND_BITS["date"] or _YEARISH.search(normalised) else 0)
                | (DIGITS if _DIGIT.search(normalised) else 0))
            batch["token_counts"].append(tokens.count(" ") + 1 if tokens else 0)
            batch["folded_chars"].append(len(normalised))
        encoded = folded.encode("utf-8", "surrogatepass")
        batch["folded"].append(encoded)
        batch["folded_bytes"].append(len(encoded))
        heading = self._headings.setdefault((article, section), len(self._headings))
        batch["heading_of"].append(heading)
        batch["document_of"].append(self._paths.setdefault(path, len(self._paths)))
        self._batch_passages += 1
        if self._batch_passages >= _BATCH_PASSAGES:
            self._flush()

    def _flush(self) -> None:
        batch, parts = self._batch, self._parts
        counts = np.asarray(batch["token_counts"], np.int64)
        ids = (np.concatenate(batch["token_ids"]).astype(np.int64) if batch["token_ids"]
               else np.zeros(0, np.int64))
        owner = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
        pairs = distinct(owner << 32 | ids)  # by sentence, then id
        parts["token_ids"].append((pairs & 0xFFFFFFFF).astype(np.int32))
        parts["token_counts"].append(np.bincount(pairs >> 32, minlength=len(counts)))
        parts["folded"].append(np.frombuffer(b"".join(batch["folded"]), np.uint8))
        for name, dtype in (("sizes", np.int64), ("first_sentence_id", np.int64),
                            ("chars", np.int32), ("flags", np.uint8), ("kinds", np.uint16),
                            ("folded_bytes", np.int64), ("folded_chars", np.int32),
                            ("heading_of", np.int32), ("document_of", np.int32)):
            parts[name].append(np.asarray(batch[name], dtype))
        self._batch = {name: [] for name in parts}
        self._batch_passages = 0

    def finish(self, terms: Sequence[str], word_tag: Callable[[str], str]) -> SentenceTable:
        """The table; `terms` are the vocabulary in id order, `word_tag` gives a word's part
        of speech."""
        self._flush()
        parts = {name: np.concatenate(values) if values else np.zeros(0, np.int64)
                 for name, values in self._parts.items()}
        headings = [normalise(f"{article}\n{section}") for article, section in self._headings]
        heading_text, heading_text_indptr = _strings(
            [part for heading in self._headings for part in heading])
        path_text, path_indptr = _strings(list(self._paths))
        keys, owner = keys_by_text(headings)
        pairs = distinct(owner << KEY_BITS | keys)  # by heading, then key
        return SentenceTable(
            sentence_indptr=_indptr(parts["sizes"]),
            first_sentence_id=parts["first_sentence_id"].astype(np.int64),
            chars=parts["chars"].astype(np.int32),
            flags=parts["flags"].astype(np.uint8),
            kinds=parts["kinds"].astype(np.uint16),
            token_indptr=_indptr(parts["token_counts"]),
            token_ids=parts["token_ids"].astype(np.int32),
            word_kinds=np.fromiter((name_kind(word_tag(t)) for t in terms), np.int8, len(terms)),
            folded=parts["folded"].astype(np.uint8),
            folded_indptr=_indptr(parts["folded_bytes"]),
            folded_chars=parts["folded_chars"].astype(np.int32),
            heading_of=parts["heading_of"].astype(np.int32),
            heading_indptr=_indptr(np.bincount(pairs >> KEY_BITS, minlength=len(headings))),
            heading_keys=(pairs & ((1 << KEY_BITS) - 1)).astype(np.int64),
            heading_text=heading_text, heading_text_indptr=heading_text_indptr,
            document_of=parts["document_of"].astype(np.int32),
            path_text=path_text, path_indptr=path_indptr,
        )


def _indptr(sizes: np.ndarray) -> np.ndarray:
    indptr = np.zeros(len(sizes) + 1, np.int64)
    np.cumsum(sizes, out=indptr[1:])
    return indptr


def _strings(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Strings as one UTF-8 array and the offsets of each (`_string` reads one back)."""
    encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
    return (np.frombuffer(b"".join(encoded), np.uint8).copy(),
            _indptr(np.fromiter(map(len, encoded), np.int64, len(encoded))))


def _string(data: np.ndarray, indptr: np.ndarray, index: int) -> str:
    return data[indptr[index]:indptr[index + 1]].tobytes().decode("utf-8", "surrogatepass")
