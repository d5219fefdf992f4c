"""The reference the segmenter must match: jieba 0.42 itself, set up as Wenda did before rjieba.

jieba's main dictionary, then `index/dictionary.txt` (load_userdict), then
the alias table's names, then a corpus's synonyms' names and userdict.txt,
on a private `jieba.Tokenizer`; tags from `jieba.posseg` over it.
"""

from __future__ import annotations

import functools
import logging
from importlib import resources
from pathlib import Path

import jieba
import jieba.posseg

from index.aliases import load_aliases, name_words, parse_aliases
from index.normalise import normalise, normalise_with_offsets
from index.segment import DICTIONARY, NAME_FREQUENCY, _is_kept

jieba.setLogLevel(logging.WARNING)


@functools.cache
def _base_tokenizer() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    with resources.as_file(resources.files("index").joinpath(DICTIONARY)) as path:
        tokenizer.load_userdict(str(path))
    _add_names(tokenizer, name_words(load_aliases()))
    return tokenizer


def _add_names(tokenizer: jieba.Tokenizer, words: list[str]) -> None:
    for word in words:
        if not tokenizer.FREQ.get(word):
            tokenizer.add_word(word, freq=NAME_FREQUENCY)


class JiebaReference:
    """jieba's tokens, offsets and tags for the settings a Segmenter is given."""

    def __init__(self, *, mode: str = "search", userdict: Path | None = None,
                 synonyms: Path | None = None):
        base = _base_tokenizer()
        self.mode = mode
        self.jieba = jieba.Tokenizer()
        private = userdict is not None or synonyms is not None
        self.jieba.FREQ = dict(base.FREQ) if private else base.FREQ
        self.jieba.total = base.total
        self.jieba.initialized = True
        if synonyms is not None:
            words = name_words(parse_aliases(synonyms.read_text("utf-8").splitlines()))
            _add_names(self.jieba, words)
        if userdict is not None:
            self.jieba.load_userdict(str(userdict))
        self.tagger = jieba.posseg.POSTokenizer(self.jieba)

    def tokens(self, text: str) -> list[str]:
        normalised = normalise(text)
        if self.mode == "search":
            words = self.jieba.cut_for_search(normalised, HMM=False)
        else:
            words = self.jieba.cut(normalised, HMM=False)
        return [word for word in words if _is_kept(word)]

    def segment(self, text: str) -> list[tuple[str, int, int]]:
        normalised, origins = normalise_with_offsets(text)
        return [
            (word, origins[start], origins[end - 1] + 1)
            for word, start, end in self.jieba.tokenize(normalised, mode=self.mode, HMM=False)
            if _is_kept(word)
        ]

    def tag(self, text: str) -> list[tuple[str, str]]:
        return [(pair.word, pair.flag) for pair in self.tagger.cut(normalise(text), HMM=False)]

    def word_tag(self, word: str) -> str:
        self.tag("")  # folds the user dictionary's tags into the table, as Segmenter did
        return self.tagger.word_tag_tab.get(word, "")

    def is_vocabulary(self, word: str) -> bool:
        return bool(self.jieba.FREQ.get(word))
