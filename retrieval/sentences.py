"""A question's candidate sentences, as arrays gathered from the store's sentence table.

The build prepares, for every sentence, what ranking compares (its words as
vocabulary ids, what they name, date, digit and amount flags, its folded
text, its passage's heading bigrams: `index.sentence_table`). A question's
candidate passages are columns of that table; `CandidateSet` gathers their
rows with a few numpy calls, and the hand-written score (`retrieval.choose`)
and the ranker's features (`retrieval.features`) read those arrays instead
of visiting each sentence in Python. A sentence becomes an object
(`CandidateSentence`) only when an answer keeps it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.bigrams import keys_of_joined
from index.sentence_table import DATED, DIGITS, QUANTITY_BITS, SentenceTable, kinds_of_bits


@dataclass(frozen=True)
class CandidateSentence:
    sentence_id: int
    passage_id: int
    position: int
    text: str
    folded: str  # the normalised text (stored by the index): what spellings are looked for in
    figure_kinds: frozenset[str]  # kinds of its figures, and "pp" for percentage points


@dataclass(frozen=True)
class CandidatePassage:
    passage_id: int
    score: float  # BM25
    heading_tokens: frozenset[str]  # article title and section
    heading: str  # the same, folded
    folded: str  # its sentences' folded texts, joined by "\n"
    article: str
    section: str
    path: str


class WordIds:
    """The store's vocabulary ids of words (every sentence word has one; a question's word
    may not)."""

    def __init__(self, vocabulary: Mapping[str, int]):
        self._vocabulary = vocabulary

    def known(self, words: Iterable[str]) -> np.ndarray:
        """Ids of those of `words` that have one."""
        return np.fromiter((i for i in map(self.get, words) if i >= 0), np.int64)

    def get(self, word: str) -> int:
        """The id of `word`, -1 when it has none."""
        return self._vocabulary.get(word, -1)


def passage_rows(table: SentenceTable, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first row, number of sentences) of each of the passages at `columns`."""
    first = table.sentence_indptr[columns]
    return first, table.sentence_indptr[columns + 1] - first


def passage_texts(table: SentenceTable, columns: Sequence[int]) -> list[str]:
    """The folded text of each passage at `columns` (its sentences joined by "\n")."""
    indptr, folded = table.folded_indptr, table.folded
    return [folded[indptr[c]:indptr[c + 1]].tobytes().decode("utf-8", "surrogatepass")
            for c in columns]


def passage_words(table: SentenceTable, columns: np.ndarray) -> np.ndarray:
    """The vocabulary ids of the words of the passages at `columns` (each sentence's
    distinct words, passage after passage; a passage's rows and words are contiguous)."""
    starts = table.token_indptr[table.sentence_indptr[columns]]
    return table.token_ids[_ranges(starts, table.token_indptr[table.sentence_indptr[columns + 1]]
                                   - starts)]


def _ranges(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """starts[0], starts[0]+1, ... (sizes[0] of them), then the same from starts[1] ..."""
    ends = np.cumsum(sizes)
    return np.repeat(starts - ends + sizes, sizes) + np.arange(int(ends[-1]) if len(ends) else 0)


def _owners(sizes: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)


class CandidateSet:
    """A question's candidate passages (those with sentences, at `columns` of the table)
    and all their sentences, passage after passage, as arrays; owners and `group` number
    sentences and passages over the whole set."""

    def __init__(self, table: SentenceTable, columns: np.ndarray,
                 passages: Sequence[CandidatePassage], memos: Sequence[dict[str, Any]]):
        self.passages = tuple(passages)
        self._memos = memos
        first, sizes = passage_rows(table, columns)
        rows = _ranges(first, sizes)
        self.sizes = sizes.astype(np.int64)
        self.starts = np.cumsum(self.sizes) - self.sizes
        self.count = len(rows)
        self.group = _owners(self.sizes)  # per sentence: its passage's index
        self.passage_ids = np.fromiter((p.passage_id for p in self.passages), np.int64,
                                       len(self.passages))
        positions = np.arange(self.count) - np.repeat(self.starts, self.sizes)
        self._sentence_ids = np.repeat(table.first_sentence_id[columns], self.sizes) + positions
        self.positions = positions.astype(np.float64)
        self.chars = table.chars[rows].astype(np.float64)
        flags = table.flags[rows]
        self.dated = (flags & DATED > 0).astype(np.float64)
        self.digits = (flags & DIGITS > 0).astype(np.float64)
        self.kind_bits = table.kinds[rows]  # its figures' kinds (index.sentence_table)
        self.quantities = (self.kind_bits & QUANTITY_BITS > 0).astype(np.float64)
        token_first = table.token_indptr[rows]
        token_sizes = table.token_indptr[rows + 1] - token_first
        self.token_counts = token_sizes.astype(np.float64)
        self.token_ids = table.token_ids[_ranges(token_first, token_sizes)].astype(np.int64)
        self.token_owner = _owners(token_sizes)
        kinds = table.word_kinds[self.token_ids]
        named = kinds >= 0
        self.name_ids, self.name_owner = self.token_ids[named], self.token_owner[named]
        self.name_kinds = kinds[named].astype(np.int64)
        headings = table.heading_of[columns]
        heading_first = table.heading_indptr[headings]
        heading_sizes = table.heading_indptr[headings + 1] - heading_first
        self.heading_keys = table.heading_keys[_ranges(heading_first, heading_sizes)]
        self.heading_owner = _owners(heading_sizes)
        # Every sentence's folded text, in row order, joined by "\n" (they hold none).
        self.text = "\n".join(p.folded for p in self.passages)
        lengths = table.folded_chars[rows].astype(np.int64)
        self.bigram_keys, self.bigram_owner = keys_of_joined(self.text, lengths)
        # Passage edges: the sentence before and after each (itself at an edge).
        index = np.arange(self.count)
        last = np.repeat(self.starts + self.sizes - 1, self.sizes)
        self.before = np.where(positions > 0, index - 1, index)
        self.after = np.where(index < last, index + 1, index)
        self._row_starts = np.cumsum(lengths + 1) - lengths - 1
        self._line_starts = self._row_starts.tolist()
        self._line_ends = (np.cumsum(lengths + 1) - 1).tolist()

    def folded(self, row: int) -> str:
        """The folded text of a sentence."""
        return self.text[self._line_starts[row]:self._line_ends[row]]

    def passage_sentences(self, index: int) -> list[str]:
        """The folded texts of the `index`th passage's sentences."""
        first = int(self.starts[index])
        return [self.folded(row) for row in range(first, first + int(self.sizes[index]))]

    def sentence(self, row: int, text: str) -> CandidateSentence:
        """A sentence as an object (`text` as written, which the store keeps)."""
        group = int(self.group[row])
        return CandidateSentence(
            sentence_id=int(self._sentence_ids[row]),
            passage_id=self.passages[group].passage_id,
            position=row - int(self.starts[group]), text=text, folded=self.folded(row),
            figure_kinds=kinds_of_bits(int(self.kind_bits[row])),
        )

    def sentence_ids(self, rows: Sequence[int]) -> list[int]:
        """The store's ids of some sentences."""
        return self._sentence_ids[list(rows)].tolist()

    def memo(self, index: int) -> dict[str, Any]:
        """What a question of some kind computed for the `index`th passage and later
        questions reuse (the times its sentences name), by name."""
        return self._memos[index]

    def holds(self, wanted: np.ndarray) -> np.ndarray:
        """[count, len(wanted)]: True where a sentence's tokens hold the word id wanted[j]."""
        return present_in(wanted, self.token_ids, self.token_owner, self.count)

    def contains(self, text: str, rows: np.ndarray) -> np.ndarray:
        """Per sentence: among `rows` (a mask), its folded text contains `text`. Few rows
        are looked at one by one, many in one scan of the joined texts."""
        found = np.zeros(self.count, bool)
        if np.count_nonzero(rows) * 4 < self.count or not text or "\n" in text:
            found[[r for r in np.flatnonzero(rows).tolist() if text in self.folded(r)]] = True
            return found
        pieces = self.text.split(text)
        if len(pieces) > 1:  # occurrence i starts after pieces 0..i and i occurrences
            steps = np.fromiter(map(len, pieces[:-1]), np.int64, len(pieces) - 1) + len(text)
            starts = np.cumsum(steps) - len(text)
            found[np.searchsorted(self._row_starts, starts, side="right") - 1] = True
            found &= rows
        return found

def present_in(wanted: np.ndarray, ids: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """[n, len(wanted)]: True where row `owner` holds the id `wanted[j]` (ids distinct)."""
    present = np.zeros((n, len(wanted)), bool)
    if len(wanted) and len(ids):
        order = np.argsort(wanted, kind="stable")
        ranked = wanted[order]
        at = np.minimum(np.searchsorted(ranked, ids), len(ranked) - 1)
        hit = ranked[at] == ids
        present[owner[hit], order[at[hit]]] = True
    return present
