"""jieba segmentation shared by articles and questions.

Each `Segmenter` owns a private `jieba.Tokenizer`, so a user dictionary
loaded for one corpus never leaks into another, and results never depend on
what an earlier call did to jieba's global tokenizer.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jieba

from index.aliases import SHIPPED_FILE, AliasGroup, load_aliases, name_words, parse_aliases
from index.normalise import normalise, normalise_with_offsets

logger = logging.getLogger(__name__)
# jieba prints its dictionary loading at DEBUG on its own handler; keep it quiet.
jieba.setLogLevel(logging.WARNING)

MODES = ("search", "default")
STOPWORDS = "stopwords.txt"
DICTIONARY = "dictionary.txt"
# How common a name from the alias table counts, in jieba's frequency units: enough to
# win over the words its characters could also form (宿华辞任: 宿华 over 华辞).
NAME_FREQUENCY = 2000
# jieba's cut_for_search ("search") against plain cut ("default"): see README for the measurement.
DEFAULT_MODE = "search"
# jieba's HMM guesses words missing from its dictionary. Off: the same dev results, faster, and
# the same word cut the same way in an article and in a question (see README).
DEFAULT_HMM = False


@dataclass(frozen=True)
class Token:
    """A kept token and where it stands in the original text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class SegmenterSettings:
    """What decides the tokens; a store built with other settings is rebuilt."""

    mode: str = "search"
    hmm: bool = True
    userdict_sha1: str = ""
    synonyms_sha1: str = ""
    jieba_version: str = jieba.__version__
    stopwords_sha1: str = ""
    dictionary_sha1: str = ""


@functools.cache
def load_stopwords() -> frozenset[str]:
    """The shipped stop word list (function words that carry no topic)."""
    text = resources.files("index").joinpath(STOPWORDS).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def _shipped_sha1(name: str) -> str:
    return hashlib.sha1(resources.files("index").joinpath(name).read_bytes()).hexdigest()


def _file_sha1(path: Path | None) -> str:
    """SHA-1 of an optional operator file; "" when there is none."""
    if path is None or not path.is_file():
        return ""
    return hashlib.sha1(path.read_bytes()).hexdigest()


def describe_segmenter(
    *,
    mode: str = DEFAULT_MODE,
    hmm: bool = DEFAULT_HMM,
    userdict: Path | None = None,
    synonyms: Path | None = None,
) -> SegmenterSettings:
    """The settings a Segmenter with these arguments has, without loading jieba."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    return SegmenterSettings(
        mode=mode,
        hmm=hmm,
        userdict_sha1=_file_sha1(userdict),
        synonyms_sha1=_file_sha1(synonyms),
        stopwords_sha1=_shipped_sha1(STOPWORDS),
        dictionary_sha1=_shipped_sha1(DICTIONARY) + _shipped_sha1(SHIPPED_FILE),
    )


def _is_noise(token: str) -> bool:
    """True for tokens made only of whitespace, punctuation or symbols."""
    return all(unicodedata.category(c)[0] in "PZSC" for c in token)


@functools.lru_cache(maxsize=1 << 18)
def _is_kept(token: str) -> bool:
    """A token BM25 counts: no stop word, no punctuation (cached: tokens repeat a lot)."""
    return token not in load_stopwords() and not _is_noise(token)


@functools.cache
def _base_tokenizer() -> jieba.Tokenizer:
    """jieba's main dictionary plus ours, loaded once per process (about a second).

    Ours (`index/dictionary.txt`) adds the business and tech-news words jieba
    lacks (营收, 日活, 短剧 ...), which would otherwise be cut apart or glued to
    their neighbours (总营收为 -> 总营/收为), and the alias table adds names.
    """
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    with resources.as_file(resources.files("index").joinpath(DICTIONARY)) as path:
        tokenizer.load_userdict(str(path))
    _add_names(tokenizer, load_aliases())
    return tokenizer


def _add_names(tokenizer: jieba.Tokenizer, groups: list[AliasGroup]) -> None:
    """Make the alias table's Chinese names words (宿华辞任 -> 宿华/辞任, not 宿/华/辞任)."""
    for word in name_words(groups):
        if not tokenizer.FREQ.get(word):
            tokenizer.add_word(word, freq=NAME_FREQUENCY)


def _new_tokenizer(*, copy: bool) -> jieba.Tokenizer:
    """A private tokenizer on the shared dictionary; `copy` when it will be extended."""
    base = _base_tokenizer()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = dict(base.FREQ) if copy else base.FREQ
    tokenizer.total = base.total
    tokenizer.initialized = True
    return tokenizer


class Segmenter:
    """Normalises text and cuts it into the tokens BM25 counts."""

    def __init__(
        self,
        *,
        mode: str = DEFAULT_MODE,
        hmm: bool = DEFAULT_HMM,
        userdict: Path | None = None,
        synonyms: Path | None = None,
    ):
        self.settings = describe_segmenter(
            mode=mode, hmm=hmm, userdict=userdict, synonyms=synonyms
        )
        self.mode = mode
        self.hmm = hmm
        operator_files = self.settings.userdict_sha1 or self.settings.synonyms_sha1
        self._jieba = _new_tokenizer(copy=bool(operator_files))
        if self.settings.synonyms_sha1:
            _add_names(self._jieba, parse_aliases(synonyms.read_text("utf-8").splitlines()))
        self._tagger = None  # jieba.posseg.POSTokenizer, made on first use
        if self.settings.userdict_sha1:
            self._jieba.load_userdict(str(userdict))
            logger.info("loaded user dictionary %s", userdict)

    def tag(self, text: str) -> list[tuple[str, str]]:
        """(word, part of speech) pairs of the normalised text, with jieba's tagger.

        For reading names out of headlines; the tagger loads its tag table on
        first use (about half a second).
        """
        if self._tagger is None:
            import jieba.posseg  # ~0.5 s to import: only tagging needs it

            self._tagger = jieba.posseg.POSTokenizer(self._jieba)
        return [(pair.word, pair.flag) for pair in self._tagger.cut(normalise(text), HMM=self.hmm)]

    def word_tag(self, word: str) -> str:
        """The part of speech jieba's dictionary gives `word` ("" when none): a look-up, no
        tagging, so that every candidate sentence's words can be typed (nr person, ns place)."""
        if self._tagger is None:
            self.tag("")
        return self._tagger.word_tag_tab.get(word, "")

    def is_vocabulary(self, word: str) -> bool:
        """True when jieba's dictionary (with the user dictionary) knows `word`."""
        return bool(self._jieba.FREQ.get(word))

    def segment(self, text: str) -> list[Token]:
        """Tokens of `text` with offsets into the original, stop words and punctuation dropped."""
        normalised, origins = normalise_with_offsets(text)
        kept = []
        for word, start, end in self._jieba.tokenize(normalised, mode=self.mode, HMM=self.hmm):
            if not _is_kept(word):
                continue
            kept.append(Token(word, origins[start], origins[end - 1] + 1))
        return kept

    def tokens(self, text: str) -> list[str]:
        """Token strings of `text`: the one tokenisation used for articles and questions.

        The same tokens as `segment`, without offsets (which indexing does not need).
        """
        return self.cut_normalised(normalise(text))

    def cut_normalised(self, normalised: str) -> list[str]:
        """`tokens` of text that is already normalised (the index keeps that form too)."""
        if self.mode == "search":
            words = self._jieba.cut_for_search(normalised, HMM=self.hmm)
        else:
            words = self._jieba.cut(normalised, HMM=self.hmm)
        return [word for word in words if _is_kept(word)]
