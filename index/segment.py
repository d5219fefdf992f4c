"""jieba segmentation shared by articles and questions, run by rjieba.

The tokens are jieba 0.42's (`cut_for_search` without HMM by default); the
engine is rjieba, the Python binding of jieba-rs, about 17 times faster and
tested token for token against jieba (tests/index/test_segment_parity.py).
A Segmenter with a corpus's user dictionary or synonyms has a private
`Lexicon`, so one corpus's words never leak into another's.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from index.aliases import SHIPPED_FILE, AliasGroup, load_aliases, name_words, parse_aliases
from index.lexicon import JIEBA_VERSION, Lexicon
from index.normalise import normalise, normalise_with_offsets

logger = logging.getLogger(__name__)

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
    jieba_version: str = JIEBA_VERSION
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


def _is_kept(token: str) -> bool:
    """A token BM25 counts: no stop word, no punctuation (cached: tokens repeat a lot)."""
    return _KEPT[token]


# How many tokens `_KEPT` remembers before it starts again (a corpus's vocabulary can be
# larger; the cache is then only cleared now and then).
_KEPT_MAX = 1 << 18


class _KeptCache(dict):
    """`_is_kept` of each token asked about: a plain dict look-up (`filter` calls it from C,
    with no Python frame), computed on the first miss."""

    def __missing__(self, token: str) -> bool:
        kept = token not in load_stopwords() and not _is_noise(token)
        if len(self) >= _KEPT_MAX:
            self.clear()
        self[token] = kept
        return kept


_KEPT = _KeptCache()


@functools.cache
def _shipped_lexicon() -> Lexicon:
    """jieba's dictionary plus ours, built once per process (under a second)."""
    lexicon = Lexicon()
    _add_shipped_words(lexicon)
    return lexicon


def _add_shipped_words(lexicon: Lexicon) -> None:
    """Our dictionary and the alias table's names.

    Ours (`index/dictionary.txt`) adds the business and tech-news words jieba
    lacks (营收, 日活, 短剧 ...), which would otherwise be cut apart or glued to
    their neighbours (总营收为 -> 总营/收为), and the alias table adds names.
    """
    text = resources.files("index").joinpath(DICTIONARY).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip():
            word, frequency, *_ = line.split()
            # No tag: jieba's tagger never saw this file's tags, and tagging stays as it was.
            lexicon.add_word(word, int(frequency))
    _add_names(lexicon, load_aliases())


def _add_names(lexicon: Lexicon, groups: list[AliasGroup]) -> None:
    """Make the alias table's Chinese names words (宿华辞任 -> 宿华/辞任, not 宿/华/辞任)."""
    for word in name_words(groups):
        if not lexicon.frequency(word):
            lexicon.add_word(word, NAME_FREQUENCY)


# jieba.posseg's runs: where it looks words up (no % or -, unlike cutting) and what it skips.
_TAG_RUN_RE = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._]+)")
_TAG_SKIP_RE = re.compile(r"(\r\n|\s)")
_TAG_NUMBER_RE = re.compile(r"[\.0-9]+")
_TAG_LATIN_RE = re.compile(r"[a-zA-Z0-9]+")


class Segmenter:
    """Normalises text and cuts it into the tokens BM25 counts.

    Cuts with rjieba, as jieba (0.42) would: the same dictionary, frequencies
    and total (see `index.lexicon`), so the tokens are jieba's.
    """

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
        if self.settings.userdict_sha1 or self.settings.synonyms_sha1:
            self._lexicon = Lexicon()  # private: a corpus's words never reach another's
            _add_shipped_words(self._lexicon)
        else:
            self._lexicon = _shipped_lexicon()
        if self.settings.synonyms_sha1:
            _add_names(self._lexicon, parse_aliases(synonyms.read_text("utf-8").splitlines()))
        if self.settings.userdict_sha1:
            self._lexicon.load_userdict(userdict)
            logger.info("loaded user dictionary %s", userdict)
        self._engine = self._lexicon.engine

    def tag(self, text: str) -> list[tuple[str, str]]:
        """(word, part of speech) pairs of the normalised text, as jieba.posseg tags them.

        For reading names out of headlines. Without the HMM only (the default):
        jieba's tagger guesses unknown words with a model of its own.
        """
        if self.hmm:
            raise ValueError("tagging is jieba.posseg's without HMM only")
        pairs = []
        for run in _TAG_RUN_RE.split(normalise(text)):
            if not run:
                continue
            if _TAG_RUN_RE.fullmatch(run):
                pairs += [(word, self._route_tag(word)) for word in self._engine.cut(run, False)]
                continue
            for piece in _TAG_SKIP_RE.split(run):
                if _TAG_SKIP_RE.fullmatch(piece):
                    pairs.append((piece, "x"))
                    continue
                latin = _TAG_LATIN_RE.match(piece) is not None  # the piece's start, as jieba
                for char in piece:
                    flag = "eng" if latin else "x"
                    pairs.append((char, "m" if _TAG_NUMBER_RE.match(char) else flag))
        return pairs

    def _route_tag(self, word: str) -> str:
        """A word of a route: letters and digits cut one by one are joined and "eng"."""
        if _TAG_LATIN_RE.fullmatch(word) and (len(word) == 1 or not self.is_vocabulary(word)):
            return "eng"
        return self._lexicon.tag_of(word, "x")

    def word_tag(self, word: str) -> str:
        """The part of speech jieba's dictionary gives `word` ("" when none): a look-up, no
        tagging, so that every candidate sentence's words can be typed (nr person, ns place)."""
        return self._lexicon.tag_of(word)

    def is_vocabulary(self, word: str) -> bool:
        """True when jieba's dictionary (with the user dictionary) knows `word`."""
        return bool(self._lexicon.frequency(word))

    def segment(self, text: str) -> list[Token]:
        """Tokens of `text` with offsets into the original, stop words and punctuation dropped."""
        normalised, origins = normalise_with_offsets(text)
        kept = []
        for word, start, end in self._engine.tokenize(normalised, self.mode, self.hmm):
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
            words = self._engine.cut_for_search(normalised, self.hmm)
        else:
            words = self._engine.cut(normalised, self.hmm)
        return list(filter(_KEPT.__getitem__, words))
