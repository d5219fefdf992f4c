"""A question's candidate sentences: as read from the store, and as arrays.

A passage read from the store becomes `CandidateSentence`s and one
`PassageArrays` (its sentences' tokens, bigrams, named words and flags as
numpy arrays), made once and kept with the passage in the retriever's cache.
A question joins its candidate passages' arrays into one `CandidateSet`, which
the hand-written score (`retrieval.choose`) and the ranker's features
(`retrieval.features`) read: they compare arrays instead of visiting each
sentence in Python.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from index.bigrams import keys_by_text

# Figure kinds that answer "how much": dates and ranks do not.
QUANTITIES = frozenset({"money", "percent", "count", "ratio", "multiple"})
PAIR_SHIFT = 42  # bigram keys take 42 bits: (owner, key) pairs fit one int64
_KEY_MASK = (1 << PAIR_SHIFT) - 1
_YEARISH = re.compile(r"\d{3,4}年|\d{1,2}月|世纪|朝|年代|时期")
_DIGIT = re.compile(r"\d")
_UNTYPED = -2


@dataclass(frozen=True)
class CandidateSentence:
    sentence_id: int
    passage_id: int
    position: int
    text: str
    folded: str  # the normalised text (stored by the index): what spellings are looked for in
    tokens: frozenset[str]
    figure_kinds: frozenset[str]  # kinds of its figures, and "pp" for percentage points


@dataclass(frozen=True)
class CandidatePassage:
    passage_id: int
    score: float  # BM25
    heading_tokens: frozenset[str]  # article title and section
    heading: str  # the same, folded
    sentences: tuple[CandidateSentence, ...]
    article: str
    section: str
    path: str


class NameKinds:
    """What a word names, from jieba's dictionary part of speech: 0 a person (nr), 1 a
    place (ns), 2 an organisation (nt), 3 another noun, -1 nothing. Kept by word id: a
    store's words come back question after question."""

    _NAMES = {"nr": 0, "ns": 1, "nt": 2}  # tag prefixes of names; any other "n..." is 3

    def __init__(self, word_tag: Callable[[str], str]):
        self._word_tag = word_tag
        self._by_id = np.zeros(0, np.int8)  # by WordIds id; _UNTYPED until looked up

    def of_ids(self, ids: np.ndarray, words: Sequence[str]) -> np.ndarray:
        """The kinds of `words`, whose WordIds are `ids`: looked up by id in an array,
        each id's word typed once."""
        size = int(ids.max()) + 1 if len(ids) else 0
        if size > len(self._by_id):
            grown = np.full(max(size, 2 * len(self._by_id)), _UNTYPED, np.int8)
            grown[:len(self._by_id)] = self._by_id
            self._by_id = grown
        kinds = self._by_id[ids]
        for at in np.flatnonzero(kinds == _UNTYPED).tolist():
            tag = self._word_tag(words[at])
            kinds[at] = self._by_id[ids[at]] = self._NAMES.get(
                tag[:2], 3 if tag[:1] == "n" else -1)
        return kinds


class WordIds:
    """Integer ids of words: the store's vocabulary ids, then new ones for words it lacks
    (a sentence's tokens are always in it; a name the vocabulary lacks still gets an id)."""

    def __init__(self, vocabulary: Mapping[str, int]):
        self._vocabulary = vocabulary
        self._extra: dict[str, int] = {}

    def of(self, words: Iterable[str]) -> list[int]:
        """Ids of `words`, new ones for words never seen."""
        vocabulary, extra = self._vocabulary, self._extra
        words = list(words)
        ids = list(map(vocabulary.get, words))
        if None in ids:  # rare: a word the vocabulary lacks
            for at, word in enumerate(words):
                if ids[at] is None:
                    ids[at] = extra.setdefault(word, len(vocabulary) + len(extra))
        return ids

    def known(self, words: Iterable[str]) -> np.ndarray:
        """Ids of those of `words` that have one (no new ids: a question's words)."""
        return np.fromiter((i for i in map(self.get, words) if i >= 0), np.int64)

    def get(self, word: str) -> int:
        """The id of `word`, -1 when it has none."""
        found = self._vocabulary.get(word, self._extra.get(word))
        return -1 if found is None else found


@dataclass(frozen=True)
class PassageArrays:
    """A passage's sentences as arrays, made once when the passage is read. `*_owner`
    arrays give the sentence (index in the passage) each entry belongs to."""

    chars: np.ndarray  # per sentence: characters of its text
    positions: np.ndarray  # ... its position in the passage
    token_counts: np.ndarray  # ... how many distinct tokens
    dated: np.ndarray  # ... holds a date figure or names a year, month or era
    digits: np.ndarray  # ... holds a digit
    quantities: np.ndarray  # ... holds a figure that answers "how much"
    token_ids: np.ndarray  # the sentences' distinct tokens (WordIds)
    token_owner: np.ndarray
    bigram_keys: np.ndarray  # the sentences' bigram keys in text order, repeats kept
    bigram_owner: np.ndarray
    unique_keys: np.ndarray  # each sentence's distinct bigram keys
    unique_owner: np.ndarray
    name_ids: np.ndarray  # the sentences' words that name something (NameKinds)
    name_kinds: np.ndarray
    name_owner: np.ndarray
    heading_keys: np.ndarray  # distinct bigram keys of the title and section, sorted
    # What a question of some kind computes once for the passage and later ones reuse
    # (the times its sentences name), by name.
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def _owners(sizes: Sequence[int]) -> np.ndarray:
    return np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)


def describe_passages(passages: Sequence[tuple[Sequence[CandidateSentence], str]],
                      words: WordIds, name_kinds: NameKinds) -> list[PassageArrays]:
    """The arrays the score and the features read, for each (sentences, folded heading) of
    `passages`: computed for all of them at once (numpy calls cost per call, and a question
    reads some twenty new passages), then cut into one PassageArrays each."""
    sentences = [s for group, _ in passages for s in group]
    sizes = [len(group) for group, _ in passages]
    token_lists = [sorted(s.tokens) for s in sentences]
    flat = [t for tokens in token_lists for t in tokens]
    token_ids = np.asarray(words.of(flat), np.int64)
    token_owner = _owners([len(t) for t in token_lists])
    kinds = name_kinds.of_ids(token_ids, flat)
    named = kinds >= 0
    keys, owner = keys_by_text([s.folded for s in sentences])
    pairs = np.unique(owner << PAIR_SHIFT | keys)
    unique_owner = pairs >> PAIR_SHIFT
    heading_keys, heading_owner = keys_by_text([heading for _, heading in passages])
    headings = np.unique(heading_owner << PAIR_SHIFT | heading_keys)
    n = len(sentences)
    flags = {
        "chars": np.fromiter((len(s.text) for s in sentences), np.float64, n),
        "positions": np.fromiter((s.position for s in sentences), np.float64, n),
        "token_counts": np.fromiter((len(t) for t in token_lists), np.float64, n),
        "dated": np.fromiter(("date" in s.figure_kinds or bool(_YEARISH.search(s.folded))
                              for s in sentences), np.float64, n),
        "digits": np.fromiter((bool(_DIGIT.search(s.folded)) for s in sentences), np.float64, n),
        "quantities": np.fromiter((bool(s.figure_kinds & QUANTITIES) for s in sentences),
                                  np.float64, n),
    }
    owned = {  # field: (values, their sentences, the field that keeps those, if any)
        "token_ids": (token_ids, token_owner, "token_owner"),
        "bigram_keys": (keys, owner, "bigram_owner"),
        "unique_keys": (pairs & _KEY_MASK, unique_owner, "unique_owner"),
        "name_ids": (token_ids[named], token_owner[named], "name_owner"),
        "name_kinds": (kinds[named].astype(np.int64), token_owner[named], ""),
    }
    starts = np.cumsum([0, *sizes])
    cuts = {name: np.searchsorted(sentence_of, starts)
            for name, (_, sentence_of, _) in owned.items()}
    heading_cuts = np.searchsorted(headings >> PAIR_SHIFT, np.arange(len(passages) + 1))
    described = []
    for index in range(len(passages)):
        first, last = int(starts[index]), int(starts[index + 1])
        fields = {name: values[first:last] for name, values in flags.items()}
        for name, (values, sentence_of, owner_field) in owned.items():
            low, high = cuts[name][index], cuts[name][index + 1]
            fields[name] = values[low:high]
            if owner_field:
                fields[owner_field] = sentence_of[low:high] - first
        fields["heading_keys"] = (headings[heading_cuts[index]:heading_cuts[index + 1]]
                                  & _KEY_MASK)
        described.append(PassageArrays(**fields))
    return described


class CandidateSet:
    """A question's candidate passages (those with sentences) and all their sentences,
    passage after passage, with the passages' arrays joined end to end; owners and
    `group` number sentences and passages over the whole set."""

    def __init__(self, passages: Sequence[CandidatePassage],
                 arrays: Mapping[int, PassageArrays]):
        self.passages = tuple(p for p in passages if p.sentences)
        self.sentences = tuple(s for p in self.passages for s in p.sentences)
        parts = [arrays[p.passage_id] for p in self.passages]
        self._parts = parts
        self.sizes = np.fromiter((len(p.sentences) for p in self.passages), np.int64,
                                 len(self.passages))
        self.starts = np.cumsum(self.sizes) - self.sizes
        self.count = len(self.sentences)
        self.group = _owners(self.sizes)  # per sentence: its passage's index
        self.passage_ids = np.fromiter((p.passage_id for p in self.passages), np.int64,
                                       len(self.passages))
        self.chars = self._values("chars")
        self.positions = self._values("positions")
        self.token_counts = self._values("token_counts")
        self.dated = self._values("dated")
        self.digits = self._values("digits")
        self.quantities = self._values("quantities")
        self.token_ids, self.token_owner = self._owned("token_ids", "token_owner")
        self.bigram_keys, self.bigram_owner = self._owned("bigram_keys", "bigram_owner")
        self.unique_keys, self.unique_owner = self._owned("unique_keys", "unique_owner")
        self.name_ids, self.name_owner = self._owned("name_ids", "name_owner")
        self.name_kinds = self._values("name_kinds", np.int64)
        self.heading_keys = self._values("heading_keys", np.int64)
        self.heading_owner = np.repeat(
            np.arange(len(parts), dtype=np.int64),
            np.fromiter((len(a.heading_keys) for a in parts), np.int64, len(parts)))
        # Passage edges: the sentence before and after each (itself at an edge).
        index = np.arange(self.count)
        first = np.repeat(self.starts, self.sizes)
        last = first + np.repeat(self.sizes, self.sizes) - 1
        self.before = np.where(index > first, index - 1, index)
        self.after = np.where(index < last, index + 1, index)
        self._text = "\n".join(s.folded for s in self.sentences)
        self._line_starts = list(itertools.accumulate(
            (len(s.folded) + 1 for s in self.sentences[:-1]), initial=0))

    def _values(self, name: str, dtype: type = np.float64) -> np.ndarray:
        if not self._parts:
            return np.zeros(0, dtype)
        return np.concatenate([getattr(p, name) for p in self._parts])

    def _owned(self, name: str, owner: str) -> tuple[np.ndarray, np.ndarray]:
        owners = [getattr(p, owner) for p in self._parts]
        if not owners:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        shift = np.repeat(self.starts, np.fromiter((len(o) for o in owners), np.int64,
                                                   len(owners)))
        return self._values(name, np.int64), np.concatenate(owners) + shift

    def memo(self, index: int) -> dict[str, Any]:
        """The memo of the `index`th passage's arrays (PassageArrays.memo)."""
        return self._parts[index].memo

    def holds(self, wanted: np.ndarray) -> np.ndarray:
        """[count, len(wanted)]: True where a sentence's tokens hold the word id wanted[j]."""
        return present_in(wanted, self.token_ids, self.token_owner, self.count)

    def contains(self, text: str, rows: np.ndarray) -> np.ndarray:
        """Per sentence: among `rows` (a mask), its folded text contains `text`. Few rows
        are looked at one by one, many in one scan of the joined texts."""
        wanted = np.flatnonzero(rows)
        found = np.zeros(self.count, bool)
        if len(wanted) * 4 < self.count or not text or "\n" in text:
            sentences = self.sentences
            found[[r for r in wanted.tolist() if text in sentences[r].folded]] = True
            return found
        joined, starts = self._text, self._line_starts
        at = joined.find(text)
        while at != -1:
            row = bisect.bisect_right(starts, at) - 1
            found[row] = True
            if row + 1 >= len(starts):
                break
            at = joined.find(text, starts[row + 1])
        return found & rows

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
