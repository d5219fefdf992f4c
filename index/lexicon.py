"""The segmentation dictionary: jieba's words and ours, cut by rjieba as jieba would cut them.

Segmentation runs on rjieba (jieba-rs), about 17 times faster than jieba,
and must give jieba's tokens word for word (tests/index/test_segment_parity.py
compares them). Both choose the route of words with the highest sum of
log(frequency / total), so they agree when they hold the same frequencies
and the same total. They count the total differently: jieba adds every
added word's frequency (and both copies of a word listed twice), jieba-rs
replaces a word's old frequency. A `Lexicon` therefore keeps jieba's
frequencies and total in Python, as jieba's `Tokenizer` would hold them
after the same calls, and tops up rjieba's total with one padding entry
that no text can ever match.

It also answers what jieba's dictionary knows (`frequency`, `tag_of`)
without loading jieba's Tokenizer (a second and a half, with its tagger).
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import logging
import re
from pathlib import Path

import rjieba

logger = logging.getLogger(__name__)

# jieba's load_userdict line grammar: word, then an optional frequency and tag.
_USERDICT_LINE_RE = re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$")
# Holds the difference between jieba's total and rjieba's. Its characters are outside the
# runs both engines look words up in (Chinese, Latin letters, digits, +#&._%-), so it never
# enters a route.
_TOTAL_PADDING = "\u00a4\u00a4"
# jieba's version and dictionary, found without importing jieba (its import loads
# pkg_resources: a fifth of a second of every start, for nothing the tokens need).
JIEBA_VERSION = importlib.metadata.version("jieba")


def _jieba_file(name: str) -> Path:
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed")
    return Path(spec.submodule_search_locations[0]) / name


@functools.cache
def _jieba_dictionary() -> tuple[dict[str, int], dict[str, str], int]:
    """(frequencies, part-of-speech tags, total) of jieba's main dictionary, as jieba reads it.

    The total counts every line, so a word listed twice counts twice (B超 does).
    """
    text = _jieba_file("dict.txt").read_text(encoding="utf-8")
    # Every line is "word frequency tag" (checked, so that no word hides a space): one
    # split of the whole text is twice as fast as a split per line, and this runs at start.
    fields = text.split()
    if len(fields) != 3 * len(text.splitlines()):
        raise ValueError("jieba's dictionary is not 'word frequency tag' lines")
    words, counts = fields[0::3], list(map(int, fields[1::3]))
    frequencies = dict(zip(words, counts, strict=True))
    return frequencies, dict(zip(words, fields[2::3], strict=True)), sum(counts)


@functools.cache
def _jieba_first_characters() -> frozenset[str]:
    """First characters of jieba's words of two or more characters (see `suggest_frequency`)."""
    return frozenset(word[0] for word in _jieba_dictionary()[0] if len(word) > 1)


class Lexicon:
    """jieba's dictionary plus added words, with an rjieba engine cutting by it.

    Words are added the way jieba's `Tokenizer.add_word` and `load_userdict`
    add them, so that `engine` cuts as a jieba Tokenizer given the same calls.
    """

    def __init__(self) -> None:
        base, _, base_total = _jieba_dictionary()
        self.engine = rjieba.Jieba()
        self._added: dict[str, int] = {}
        self._tags: dict[str, str] = {}
        self._total = base_total  # jieba's
        self._engine_total = sum(base.values())  # rjieba's, before the padding
        self._sync_total()

    def frequency(self, word: str) -> int:
        """jieba's frequency of `word` (0 for a word it does not know)."""
        if word in self._added:
            return self._added[word]
        return _jieba_dictionary()[0].get(word, 0)

    def tag_of(self, word: str, default: str = "") -> str:
        """The part of speech jieba's tagger gives `word`: a user dictionary's, else jieba's."""
        return self._tags.get(word) or _jieba_dictionary()[1].get(word, default)

    def add_word(self, word: str, frequency: int | None = None, tag: str | None = None) -> None:
        """Add or re-weigh `word` as jieba's `add_word` does; `tag` is kept for tagging."""
        if frequency is None:
            frequency = self.suggest_frequency(word)
        old = self.frequency(word)
        self._added[word] = frequency
        self._total += frequency
        if tag:
            self._tags[word] = tag
        if frequency == 0:
            # jieba drops a word of frequency 0 from its routes; rjieba cannot drop one.
            if old:
                logger.warning("cannot remove %r from the dictionary (frequency 0): kept", word)
            return
        self.engine.add_word(word, frequency, None)
        self._engine_total += frequency - old
        self._sync_total()

    def load_userdict(self, path: Path) -> None:
        """Add the words of a jieba user dictionary (`word [freq] [tag]` a line)."""
        for raw in path.read_bytes().splitlines():
            try:
                line = raw.strip().decode("utf-8").lstrip("\ufeff")
            except UnicodeDecodeError:
                raise ValueError(f"dictionary file {path} must be utf-8") from None
            if not line:
                continue
            word, frequency, tag = _USERDICT_LINE_RE.match(line).groups()
            self.add_word(
                word,
                int(frequency) if frequency is not None else None,
                tag.strip() if tag is not None else None,
            )

    def suggest_frequency(self, word: str) -> int:
        """jieba's `suggest_freq(word, tune=False)`: enough to keep `word` whole."""
        total = float(self._total)
        product = 1.0
        for piece in self.engine.cut(word, False):
            product *= self._route_frequency(piece) / total
        return max(int(product * self._total) + 1, self._route_frequency(word))

    def _route_frequency(self, word: str) -> int:
        """jieba's `FREQ.get(word, 1)`: 0 for a proper prefix of a word, 1 for an unknown."""
        if word in self._added:
            return self._added[word]
        base = _jieba_dictionary()[0]
        if word in base:
            return base[word]
        if len(word) == 1 and word in _jieba_first_characters():
            return 0
        longer = (known for known in (*self._added, *base) if len(known) > len(word))
        return 0 if any(known.startswith(word) for known in longer) else 1

    def _sync_total(self) -> None:
        self.engine.add_word(_TOTAL_PADDING, self._total - self._engine_total, None)
