"""From a parsed question to concepts and weighted vocabulary terms.

A concept is one thing the question asks about (快手, 营收, 2024年三季度),
with the vocabulary phrases that say it and how much each counts:
- the user's own words count fully; search-mode sub-words (季度 inside
  三季度) count by their share of the word;
- words jieba cut wrongly (爱奇艺裁了 → 爱奇/艺裁) are re-cut against the
  articles' vocabulary;
- a piece no vocabulary word covers may be a pinyin typo (观忘 → 观望),
  counted TYPO_CREDIT;
- aliases (B站 = Bilibili = 哔哩哔哩) count ALIAS_CREDIT, or fully when the
  user's own form is not in the articles (then the alias is a translation);
- other spellings of the question's times (24年 → 2024, Q3 → 三季度) count fully.
BM25 gets the user's own tokens at weight 1 (rank_bm25's semantics, repeats
counted twice) and every other phrase's tokens at its credit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from index.aliases import ENTITY_KINDS
from index.segment import Segmenter
from retrieval.frames import find_frames
from retrieval.question import ParsedQuestion, Word, is_question_word
from retrieval.synonyms import AliasMatch, SynonymTable
from retrieval.typos import PinyinIndex

ALIAS_CREDIT = 0.5
TYPO_CREDIT = 0.8
# The word a wh-word asks about (哪块业务 → 业务) is what the answer must say.
FOCUS_BOOST = 2.0
MAX_WORD_CHARS = 8
MIN_IMPORTANCE = 0.5
MAX_TYPO_CANDIDATES = 2
# How much a word counts towards coverage, beside its idf:
# a one-character word (有, 看, 人) carries grammar more than topic;
ONE_CHARACTER = 0.3
# a common verb, adverb or time word the articles never use (借钱, 更新, 当初) is most often
# the user's own paraphrase of what they say, while an unknown noun or name (火星, a
# company) is what the question is about and keeps full weight.
COMMON_UNKNOWN = 0.5

_CHINESE = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9.&-]*")
_CN_DIGITS = "一二三四"


@dataclass(frozen=True)
class Phrase:
    """Vocabulary terms that together say a concept, and how much saying it counts."""

    terms: tuple[str, ...]
    credit: float
    own: bool  # the user's own tokens (weight 1 in BM25)


@dataclass(frozen=True)
class Concept:
    text: str  # as the normalised question says it
    start: int
    end: int
    phrases: tuple[Phrase, ...]
    importance: float  # idf of its rarest known term; a typical idf when unknown
    kind: str = "word"  # "word", "typo", "alias", "time"
    # Spellings looked for in the sentence text itself, with their credit: they find
    # what the tokens miss where the article was cut differently (月活超 → 月/活超).
    surfaces: tuple[tuple[str, float], ...] = ()
    focus: bool = False  # what a wh-word asks about (哪块业务 → 业务)
    entity: bool = False  # names a company, product or person

    @property
    def known(self) -> bool:
        return bool(self.phrases)


@dataclass(frozen=True)
class QueryTerm:
    term: str
    term_id: int
    weight: float


@dataclass(frozen=True)
class Query:
    question: ParsedQuestion
    concepts: tuple[Concept, ...]
    terms: tuple[QueryTerm, ...]  # for BM25, in question order
    missing: tuple[str, ...] = ()  # content words the articles never use
    missing_entities: tuple[str, ...] = ()  # companies, products, people they never mention
    missing_years: tuple[int, ...] = ()  # years they never mention
    # Chinese words neither the articles nor the dictionary know: most likely names
    # (of a company, product or person) the articles never mention.
    missing_names: tuple[str, ...] = ()
    # Places the question is asked about (在火星, 火星上) that the articles never name.
    missing_places: tuple[str, ...] = ()


@dataclass
class _Draft:
    text: str
    start: int
    end: int
    phrases: list[Phrase]
    kind: str = "word"
    surfaces: dict[str, float] = field(default_factory=dict)
    entity: bool = False


# A noun or place word (jieba's n, ns, s) after 在 or before 上, 里, 内 says where the
# question is asked about: 快手在火星的营收, 火星上有几家咖啡店.
PLACE_TAGS = frozenset({"n", "ns", "s"})
# Parts of speech of words that make no name, whichever two of them jieba joins into a word
# of its own (没跟 of 压根没跟员工沟通: 没 v, 跟 p).
FUNCTION_TAGS = frozenset({"v", "p", "d", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r",
                           "m", "q", "f", "y", "e", "o", "a", "ad"})
PLACE_BEFORE = frozenset({"在"})
PLACE_AFTER = frozenset({"上", "里", "内"})

# Particles a verb takes after it (亏了, 涨过): one word to jieba, and the verb to a reader.
ASPECT_PARTICLES = frozenset({"了", "过", "着"})


class QueryBuilder:
    """Turns parsed questions into concepts over one store's vocabulary."""

    def __init__(self, vocabulary: Mapping[str, int], idf: np.ndarray, segmenter: Segmenter,
                 synonyms: SynonymTable, pinyin: PinyinIndex,
                 writes: Callable[[str], bool] = lambda text: True):
        """`writes` tells whether the articles write a piece of text anywhere (by default,
        that they do: no place asked about counts as one they never name)."""
        self.vocabulary = vocabulary
        self.idf = idf
        # Importance of a word the articles do not use: a typical word's.
        self.typical_idf = float(np.median(idf)) if len(idf) else 1.0
        self.segmenter = segmenter
        self.synonyms = synonyms
        self.pinyin = pinyin
        self.writes = writes
        self._phrase_cache: dict[str, tuple[str, ...]] = {}

    def phrase_terms(self, text: str) -> tuple[str, ...]:
        """Tokens of a phrase when the articles use all of them, else ().

        Search-mode sub-words (总营 in 总营收) need not be known: the whole word is.
        """
        cached = self._phrase_cache.get(text)
        if cached is None:
            tokens = list(dict.fromkeys(self.segmenter.tokens(text)))
            whole = [t for t in tokens if not any(t != o and t in o for o in tokens)]
            known = bool(whole) and all(t in self.vocabulary for t in whole)
            cached = tuple(t for t in tokens if t in self.vocabulary) if known else ()
            self._phrase_cache[text] = cached
        return cached

    def term_idf(self, term: str) -> float:
        return float(self.idf[self.vocabulary[term]])

    def build(self, question: ParsedQuestion) -> Query:
        time_spans = question.times.spans
        words = [w for w in question.words
                 if not any(s <= w.start and w.end <= e for s, e in time_spans)]
        matches = self._alias_matches(question)
        alias_spans: dict[int, int] = {}
        for match in matches:
            if any(self.phrase_terms(f) for f in match.group.forms):
                alias_spans[match.start] = max(alias_spans.get(match.start, 0), match.end)
        drafts = self._time_drafts(question)
        drafts += self._word_drafts(question.normalised, words, alias_spans)
        drafts.sort(key=lambda d: (d.start, -(d.end - d.start)))
        missing_entities = self._apply_aliases(matches, drafts)
        drafts = [d for d in drafts if d.kind != "merged"]
        for draft in drafts:
            self._add_digits(draft)
        focus = _focus_start(question.normalised)
        concepts = tuple(self._finish(d, d.start == focus) for d in drafts)
        missing = tuple(c.text for c in concepts if not c.known and is_content_word(c.text))
        missing_years = tuple(sorted(
            y for y in question.times.years if str(y) not in self.vocabulary
        ))
        missing_names = tuple(
            c.text for c in concepts
            if c.kind == "word" and not c.known and _CHINESE.match(c.text)
            and is_content_word(c.text) and not self.segmenter.is_vocabulary(c.text)
            and not self._function_words(c.text)
        )
        text = question.normalised
        missing_places = tuple(
            c.text for c in concepts
            if c.kind == "word" and not c.known and self.segmenter.word_tag(c.text) in PLACE_TAGS
            and (text[c.start - 1:c.start] in PLACE_BEFORE or text[c.end:c.end + 1] in PLACE_AFTER)
            and not self.writes(c.text)  # a word jieba cuts otherwise there (光照 of 在光照下)
        )
        return Query(
            question=question,
            concepts=concepts,
            terms=self._bm25_terms(question, concepts),
            missing=missing,
            missing_entities=tuple(missing_entities),
            missing_years=missing_years,
            missing_names=missing_names,
            missing_places=missing_places,
        )

    def _function_words(self, word: str) -> bool:
        """`word` (one jieba's HMM made) is words of FUNCTION_TAGS by its dictionary: no
        name, though no article says it."""
        pieces = self.segmenter.tag(word)
        return len(pieces) > 1 and all(tag in FUNCTION_TAGS for _, tag in pieces)

    def _finish(self, draft: _Draft, focus: bool) -> Concept:
        known = [t for p in draft.phrases for t in p.terms]
        importance = max((self.term_idf(t) for t in known), default=self.typical_idf)
        # Tiny stores floor most idf at epsilon: every concept still counts a little.
        importance = max(importance, MIN_IMPORTANCE)
        importance *= self._word_weight(draft)
        if focus:
            importance *= FOCUS_BOOST
        surfaces = dict(draft.surfaces)
        if len(draft.text) >= 2 and draft.kind != "typo":
            surfaces[draft.text] = 1.0
        for phrase in draft.phrases:
            if len(phrase.terms) == 1 and len(phrase.terms[0]) >= 2:
                surfaces[phrase.terms[0]] = max(surfaces.get(phrase.terms[0], 0.0), phrase.credit)
        return Concept(draft.text, draft.start, draft.end, tuple(draft.phrases), importance,
                       draft.kind, tuple(surfaces.items()), focus, draft.entity)

    def _word_weight(self, draft: _Draft) -> float:
        """Less than 1 for the words that say little about what is asked (see ONE_CHARACTER,
        COMMON_UNKNOWN); aliases, times and typos count fully."""
        if draft.kind != "word":
            return 1.0
        if len(draft.text) == 1 and _CHINESE.match(draft.text) and draft.phrases:
            return ONE_CHARACTER  # (an unknown one is more likely a piece of a name)
        if (not draft.phrases and _CHINESE.match(draft.text)
                and self.segmenter.is_vocabulary(draft.text)
                and not any(flag.startswith("n") for _, flag in self.segmenter.tag(draft.text))):
            return COMMON_UNKNOWN
        return 1.0

    def _add_digits(self, draft: _Draft) -> None:
        """A small number the user wrote in characters (五年, 九次) also in digits (5年, 9次),
        the way the articles write it; a translation, so it counts fully."""
        digits = digit_form(draft.text)
        if digits is None:
            return
        terms = self.phrase_terms(digits)
        if terms:
            draft.phrases.append(Phrase(terms, 1.0, False))
        if len(digits) > 1:
            draft.surfaces[digits] = 1.0

    def _time_drafts(self, question: ParsedQuestion) -> list[_Draft]:
        """One concept per year and per period, spelled every way the articles may spell it."""
        drafts = []
        span_of = question.times.spans
        start = span_of[0][0] if span_of else 0
        end = span_of[-1][1] if span_of else 0
        for year in sorted(question.times.years):
            phrases = [Phrase((str(year),), 1.0, False)] if str(year) in self.vocabulary else []
            drafts.append(_Draft(f"{year}年", start, end, phrases, "time"))
        for period in sorted(question.times.periods):
            forms = _period_forms(period)
            phrases = [Phrase(terms, 1.0, False)
                       for terms in (self.phrase_terms(f) for f in forms) if terms]
            drafts.append(_Draft(period, start, end, phrases, "time", dict.fromkeys(forms, 1.0)))
        return drafts

    def _word_drafts(self, text: str, words: list[Word],
                     alias_spans: dict[int, int]) -> list[_Draft]:
        """Concepts of the question's words, re-cut where jieba's cut is not in the vocabulary."""
        drafts = self._misspelt_names(text, words)
        named = [(d.start, d.end) for d in drafts]
        unknown = [w for w in words if w.text not in self.vocabulary
                   and not any(s <= w.start and w.end <= e for s, e in named)]
        regions = self._unknown_regions(text, words, unknown, alias_spans)
        kept = [w for w in words
                if not any(s <= w.start and w.end <= e for s, e in regions + named)]
        # Search mode also yields the sub-words of a word: they belong to its concept.
        for word in sorted(kept, key=lambda w: (w.start, -(w.end - w.start))):
            container = next(
                (d for d in drafts if d.start <= word.start and word.end <= d.end), None
            )
            if container is None:
                drafts.append(_Draft(word.text, word.start, word.end,
                                     [Phrase((word.text,), 1.0, True)]))
            else:
                share = (word.end - word.start) / (container.end - container.start)
                container.phrases.append(Phrase((word.text,), share, True))
        for start, end in regions:
            inside = [w for w in unknown if start <= w.start and w.end <= end]
            drafts += self._recut(text, start, end, inside, alias_spans)
        return drafts

    def _misspelt_names(self, text: str, words: list[Word]) -> list[_Draft]:
        """Typos of a company's or product's name that jieba cuts into known characters
        (快首 → 快/首 for 快手): a run of one-character words that is no word itself and sounds
        like a name of the alias table. Only such names: among all words, the characters of
        a rare person's name sound like something else far too often (罗保铭 → 报名)."""
        singles = sorted(w.start for w in words if w.end - w.start == 1)
        drafts = []
        for run in _runs(singles):
            piece = text[run[0]:run[-1] + 1]
            if len(run) < 2 or len(run) > MAX_WORD_CHARS or piece in self.vocabulary:
                continue
            groups = ([g for c in self.pinyin.sound_alikes(piece)
                       for g in self.synonyms.entity_groups(c)]
                      or self.synonyms.sound_alike_entities(piece))
            if groups:  # asked as if spelt right: the name's every form, an entity
                kept = groups[:MAX_TYPO_CANDIDATES]
                forms = list(dict.fromkeys(form for group in kept for form in group.forms))
                phrases = [Phrase(terms, TYPO_CREDIT, False)
                           for terms in map(self.phrase_terms, forms) if terms]
                drafts.append(_Draft(piece, run[0], run[-1] + 1, phrases, "typo",
                                     dict.fromkeys(forms, TYPO_CREDIT), entity=True))
        return drafts

    def _unknown_regions(self, text: str, words: list[Word], unknown: list[Word],
                         alias_spans: dict[int, int]) -> list[tuple[int, int]]:
        """Spans around out-of-vocabulary words, widened to the vocabulary words, alias
        forms and tokens they touch."""
        if not unknown:  # most questions: no region, and no need to look at every substring
            return []
        spans = [(w.start, w.end) for w in unknown]
        touches = [(w.start, w.end) for w in unknown]
        for start in range(len(text)):
            for stop in range(start + 2, min(len(text), start + MAX_WORD_CHARS) + 1):
                if text[start:stop] in self.vocabulary and any(
                    start < e and s < stop for s, e in touches
                ):
                    spans.append((start, stop))
        spans += [(s, e) for s, e in alias_spans.items()
                  if any(s < end and start < e for start, end in touches)]
        spans.sort()
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:  # touching spans make one region
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        changed = True
        while changed:  # widen to whole tokens
            changed = False
            for region in merged:
                for w in words:
                    if w.start < region[1] and region[0] < w.end and (
                        w.start < region[0] or w.end > region[1]
                    ):
                        region[0], region[1] = min(region[0], w.start), max(region[1], w.end)
                        changed = True
        return [(s, e) for s, e in merged]

    def _recut(self, text: str, start: int, end: int, unknown: list[Word],
               alias_spans: dict[int, int]) -> list[_Draft]:
        """Longest vocabulary words (or alias forms) left to right; a piece none covers may be
        a pinyin typo, else it stays an unknown word."""
        drafts: list[_Draft] = []
        gaps: list[int] = []
        position = start
        while position < end:
            alias_end = alias_spans.get(position, 0)
            for stop in range(min(end, position + MAX_WORD_CHARS), position, -1):
                piece = text[position:stop]
                if stop == alias_end or (
                    len(piece) > 1 and piece in self.vocabulary and not is_question_word(piece)
                ):
                    phrases = [Phrase((piece,), 1.0, True)] if piece in self.vocabulary else []
                    drafts.append(_Draft(piece, position, stop, phrases))
                    position = stop
                    break
            else:
                gaps.append(position)
                position += 1
        covered: set[int] = set()
        for run in _runs(gaps):
            typo = self._find_typo(text, run, start, end)
            if typo is not None:
                drafts.append(typo)
                covered.update(range(typo.start, typo.end))
        gap_set = set(gaps) - covered
        for word in unknown:  # a missing word counts; a missing particle (有, 干) does not
            inside = all(i in gap_set for i in range(word.start, word.end))
            if is_content_word(word.text) and inside:
                drafts.append(_Draft(word.text, word.start, word.end, []))
        # A name jieba does not know falls apart into characters (喜茶 → 喜/茶): together
        # they are one missing word.
        singles = sorted(w.start for w in unknown if w.end - w.start == 1 and w.start in gap_set)
        for run in _runs(singles):
            piece = text[run[0]:run[-1] + 1]
            if len(run) > 1 and is_content_word(piece):
                drafts.append(_Draft(piece, run[0], run[-1] + 1, []))
        return drafts

    def _find_typo(self, text: str, run: list[int], start: int, end: int) -> _Draft | None:
        """A vocabulary word that sounds like a piece of the gap (2-4 characters, reaching at
        most one character beyond it); longer pieces first."""
        first, last = run[0], run[-1] + 1
        for length in (4, 3, 2):
            for lo in range(max(start, first - 1), min(end, last + 1) - length + 1):
                piece = text[lo:lo + length]
                if not all(_CHINESE.match(c) for c in piece):
                    continue
                candidates = self.pinyin.sound_alikes(piece)
                if candidates:
                    # Most shared characters first, then the most common word (lowest idf).
                    candidates.sort(key=lambda c: (-_same_chars(c, piece), self.term_idf(c)))
                    chosen = candidates[:MAX_TYPO_CANDIDATES]
                    phrases = [Phrase((c,), TYPO_CREDIT, False) for c in chosen]
                    return _Draft(piece, lo, lo + length, phrases, "typo",
                                  dict.fromkeys(chosen, TYPO_CREDIT))
        return None

    def _alias_matches(self, question: ParsedQuestion) -> list[AliasMatch]:
        """Alias forms and frames (`find_frames`) in the question, in order, except a
        one-character form inside a longer dictionary word that is not a form of the
        group (裁 in 总裁); a word that is the form and an aspect particle (亏了, one word
        to jieba) is that form."""
        kept = []
        for match in sorted(self.synonyms.find(question.normalised)
                            + find_frames(question.normalised, self.synonyms),
                            key=lambda m: (m.start, -m.end)):
            if len(match.form) == 1 and any(
                w.start <= match.start and match.end <= w.end and len(w.text) > 1
                and self.segmenter.is_vocabulary(w.text) and w.text not in match.group.forms
                for w in question.words
            ):
                inflected = next((w for w in question.words if w.start == match.start
                                  and w.text[:1] == match.form and w.text[1:] in ASPECT_PARTICLES),
                                 None)
                if inflected is None:
                    continue
                match = replace(match, end=inflected.end)
            kept.append(match)
        return kept

    def _apply_aliases(self, matches: list[AliasMatch], drafts: list[_Draft]) -> list[str]:
        """Merge the concepts inside each alias form into one concept with the group's forms.

        Returns the entity forms whose group the articles never mention.
        """
        missing_entities = []
        for match in matches:
            group = match.group
            known_forms = {f: self.phrase_terms(f) for f in group.forms if self.phrase_terms(f)}
            if group.kind in ENTITY_KINDS and not known_forms:
                missing_entities.append(match.form)
            inside = [
                d for d in drafts
                if d.kind != "merged" and match.start <= d.start and d.end <= match.end
            ]
            overlapping = [
                d for d in drafts
                if d.kind != "merged" and d.start < match.end and match.start < d.end
            ]
            if not inside or len(overlapping) != len(inside):
                continue  # the form cuts through a word: leave the words alone
            credit = ALIAS_CREDIT if match.form in known_forms else 1.0
            own = [p for d in inside for p in d.phrases if p.own]
            phrases = []
            if len(inside) == 1:
                phrases += inside[0].phrases
            elif own and all(d.phrases for d in inside):
                phrases.append(Phrase(tuple(t for d in inside for t in d.phrases[0].terms),
                                      1.0, True))
                # One word of a several-word form says only part of it (研发 of 研发投入).
                phrases += [_part_of(p, match.form, group.forms) for p in own if p not in phrases]
            phrases += [Phrase(terms, credit, False) for form, terms in known_forms.items()
                        if form != match.form]
            surfaces = {f: credit for f in group.forms}
            surfaces[match.form] = 1.0
            for d in inside:
                d.kind = "merged"
                surfaces.update(d.surfaces)
            drafts.append(_Draft(match.form, match.start, match.end, phrases, "alias", surfaces,
                                 entity=group.kind in ENTITY_KINDS))
        return missing_entities

    def _bm25_terms(self, question: ParsedQuestion, concepts: tuple[Concept, ...]) -> tuple:
        """The user's own tokens at weight 1 (repeats count), other tokens at their credit."""
        own = [w.text for w in question.words if w.text in self.vocabulary]
        terms = [QueryTerm(t, self.vocabulary[t], 1.0) for t in own]
        extra: dict[str, float] = {}
        for concept in concepts:
            for phrase in concept.phrases:
                for term in phrase.terms:
                    if term in own:
                        continue
                    weight = 1.0 if phrase.own else phrase.credit / len(phrase.terms)
                    extra[term] = max(extra.get(term, 0.0), weight)
        terms += [QueryTerm(t, self.vocabulary[t], w) for t, w in extra.items()]
        return tuple(terms)


_SMALL_NUMBER = re.compile(r"([一二两三四五六七八九十])([年次个倍天家款人名位]?)")
_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)} | {"两": 2}


def digit_form(word: str) -> str | None:
    """"五年" → "5年", "三" → "3"; None for anything but a small number and its measure."""
    match = _SMALL_NUMBER.fullmatch(word)
    if match is None:
        return None
    return f"{_NUMERALS[match.group(1)]}{match.group(2)}"


def _part_of(phrase: Phrase, form: str, forms: tuple[str, ...]) -> Phrase:
    """A phrase saying one piece of an alias form counts by its share of the form, unless the
    piece is itself a form of the group (可灵 in 可灵ai)."""
    if len(phrase.terms) == 1 and phrase.terms[0] in forms:
        return phrase
    share = sum(len(t) for t in phrase.terms) / len(form)
    return replace(phrase, credit=min(phrase.credit, share))


_FOCUS = re.compile(r"(?:哪|什么|啥)[个些块家种类方面项]?")


def _focus_start(text: str) -> int:
    """Where the word a wh-word asks about starts, or -1."""
    match = _FOCUS.search(text)
    return match.end() if match and match.end() < len(text) else -1


def _period_forms(period: str) -> tuple[str, ...]:
    if period.startswith("Q1-Q"):
        return (f"前{_CN_DIGITS[int(period[-1]) - 1]}季度",)
    if period.startswith("Q"):
        digit = _CN_DIGITS[int(period[1]) - 1]
        return (period.lower(), f"{digit}季度", f"第{digit}季度")
    forms = {"H1": ("上半年",), "H2": ("下半年",), "FY": ("全年",), "双11": ("双11", "双十一")}
    return forms.get(period, ())


def _runs(positions: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for position in positions:
        if runs and position == runs[-1][-1] + 1:
            runs[-1].append(position)
        else:
            runs.append([position])
    return runs


def _same_chars(a: str, b: str) -> int:
    return sum(x == y for x, y in zip(a, b, strict=False))


def is_content_word(word: str) -> bool:
    """A word worth missing: two or more Chinese characters, or a Latin word."""
    return len(_CHINESE.findall(word)) >= 2 or bool(_LATIN_WORD.fullmatch(word))
