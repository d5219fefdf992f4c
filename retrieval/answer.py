"""The Retriever: a question in, an `Answer` (sentences, sources, figures) out.

`Retriever.open` loads a store once: the vocabulary, the BM25 weight matrices
of both channels and the sentence table (mapped from the store's arrays file,
not read) and a Segmenter with the store's own settings. A question then
costs a tokenisation, two sparse sums, a gather of its candidate passages'
sentence rows, the hand-written score and the features over all of them at
once, the ranker, and reads of the kept sentences' texts and figures.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from itertools import zip_longest
from pathlib import Path
from typing import Any

import numpy as np

from index.aliases import ENTITY_KINDS, AliasGroup
from index.figures import Figure
from index.normalise import normalise, normalise_with_offsets
from index.pinyin import pinyin_key
from index.segment import DEFAULT_HMM, DEFAULT_MODE, Segmenter
from index.sentence_table import QUANTITIES, SentenceTable
from index.store import (
    StoreOutdated,
    check_store,
    mapped_bytes,
    open_store,
    read_all_sentences,
    read_array,
    read_copy_sources,
    read_figure_rows,
    read_mapped,
    read_meta,
    read_passage,
    read_passage_citations,
    read_passage_id,
    read_sentence_texts,
    read_sliced,
    read_terms_by_pinyin,
    read_vocabulary,
)
from retrieval.bm25 import BM25Matrix, RankedPassages
from retrieval.bridge import Bridge, bridged_entity, find_bridge
from retrieval.choose import (
    Context,
    SentenceSignals,
    dedupe_key,
    score_sentences,
)
from retrieval.compare import Comparison, find_comparison, names_both
from retrieval.examples import make_example_questions
from retrieval.features import (
    Channels,
    PassageScores,
    compute_features,
    question_bigrams,
    shortlist,
)
from retrieval.figure_order import FigureOrder
from retrieval.query import Concept, Query, QueryBuilder
from retrieval.question import (
    EmptyQuestion,
    ParsedQuestion,
    asks_amount,
    asks_money,
    parse_question,
)
from retrieval.ranker import AnswerModel
from retrieval.sentences import (
    CandidatePassage,
    CandidateSet,
    WordIds,
    passage_rows,
    passage_texts,
    passage_words,
)
from retrieval.synonyms import SynonymTable
from retrieval.typos import PinyinIndex

logger = logging.getLogger(__name__)

# Passages whose sentences compete for the answer, from each BM25 channel (words, bigrams).
CANDIDATE_PASSAGES = 10
# Least confidence at which a refused answer still shows its best sentence (`Answer.nearest`).
# Measured on questions over ../shared/corpus written for Wenda: refused questions whose best
# sentence was right scored 0.067-0.133; greetings and questions about other things
# (今天天气怎么样, 推荐一部电影) 0.004-0.029.
NEAREST_CONFIDENCE = 0.05
# How far (in passages) a company named in the same section still grounds a passage.
NEARBY_PASSAGES = 8
# Headings, file paths and the names a passage holds kept in memory once worked out (the
# first ones met: they rarely change and the same passages come back).
_LOOKUP_CACHE_SIZE = 4096
# Candidate passages whose times (once a question asked) are kept in memory (oldest out
# first): popular articles come back.
_PASSAGE_CACHE_SIZE = 4096
# Answer sentences whose figures are kept decoded in memory (oldest out first).
_FIGURE_CACHE_SIZE = 16384
# Least idf a term weighs in the features: in a store of a passage or two, rank_bm25's
# idf is zero or negative for every term, and coverage would mean nothing. It binds
# only there (elsewhere the floor is rank_bm25's own, epsilon times the average idf).
IDF_FLOOR = 0.1
# The postings of both channels: mapped up to MAPPED_POSTINGS bytes (each question's runs
# read in place; all of them end up resident, 240 MB at 100k passages), read by slices
# beyond (a copy a question, about 75 us at 100k, but nothing stays resident: 2.4 GB
# at a million; `index.sliced`).
_POSTINGS = ("postings_columns", "postings_weights", "bigram_columns", "bigram_weights")
MAPPED_POSTINGS = 512 * 2**20


@dataclass(frozen=True)
class Source:
    path: str
    title: str
    section: str
    url: str = ""  # as the article gave it; not checked to be http(s)
    outlet: str = ""
    published: str = ""  # ISO date (2024-11-20 or 2024-11), "" when unknown


@dataclass(frozen=True)
class Hit:
    sentence: str
    score: float
    spans: tuple[tuple[int, int], ...]  # matched spans in `sentence`, for bold
    source: Source
    passage_id: int
    sentence_id: int
    figures: tuple[Figure, ...]  # the ones of the kind the question wants first
    also: tuple[Source, ...] = ()  # other files holding the same passage word for word
    passage_key: str = ""  # names the passage across reindexes (`Retriever.find_passage`)
    position: int = 0  # of the sentence in its passage


@dataclass(frozen=True)
class Answer:
    question: str
    found: bool
    terms: tuple[str, ...]
    hits: tuple[Hit, ...]
    truncated: bool
    # Calibrated probability that the articles answer the question (the answerability
    # model's); found is confidence >= the model's threshold.
    confidence: float = 0.0
    # When not found only for want of confidence (nothing contradicts the question), the
    # best sentence all the same, for the reader to judge: a refused paraphrase is often
    # answered by it. None otherwise.
    nearest: Hit | None = None


@dataclass(frozen=True)
class Candidates:
    """A question's candidate sentences with their features: what the ranker scores."""

    query: Query
    signals: Sequence[SentenceSignals]
    features: np.ndarray  # [len(signals), len(FEATURES)]


@dataclass(frozen=True)
class Passage:
    text: str
    source: Source


@dataclass(frozen=True)
class StoreStats:
    documents: int
    passages: int
    sentences: int
    figures: int
    built_at: str
    build_seconds: float


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    """The answer as plain JSON data, the one shape `wenda ask --json` and `eval --json` print."""
    return {
        "question": answer.question,
        "found": answer.found,
        "confidence": round(answer.confidence, 4),
        "answers": [_hit_to_dict(hit) for hit in answer.hits],
        "nearest": _hit_to_dict(answer.nearest) if answer.nearest else None,
    }


def _hit_to_dict(hit: Hit) -> dict[str, Any]:
    return {
        "sentence": hit.sentence,
        "score": hit.score,
        "title": hit.source.title,
        "section": hit.source.section,
        "source": hit.source.path,
        "url": hit.source.url,
        "outlet": hit.source.outlet,
        "published": hit.source.published,
        "also_in": [{"title": s.title, "source": s.path} for s in hit.also],
        "figures": [
            {
                "text": f.text, "kind": f.kind,
                "value": list(f.value) if isinstance(f.value, tuple) else f.value,
                "unit": f.unit, "qualifier": f.qualifier, "metric": f.metric,
            }
            for f in hit.figures
        ],
    }


def segmenter_for(meta: dict[str, Any]) -> Segmenter:
    """A Segmenter with the store's settings; StoreOutdated when they can no longer be had."""
    options = meta.get("segmenter_options") or {}
    segmenter = Segmenter(
        mode=options.get("mode", DEFAULT_MODE),
        hmm=options.get("hmm", DEFAULT_HMM),
        userdict=Path(options["userdict"]) if options.get("userdict") else None,
        synonyms=Path(options["synonyms"]) if options.get("synonyms") else None,
    )
    if asdict(segmenter.settings) != meta.get("segmenter"):
        raise StoreOutdated("index was built with other tokenizer settings: rebuild it")
    return segmenter


@functools.lru_cache(maxsize=_FIGURE_CACHE_SIZE)
def _figure_value(value: str) -> Any:
    """A figure's value as stored (JSON: a number, a string, or a pair as a tuple); cached,
    since a few values (1, 2, "XXXX-Q3") make up most figures."""
    decoded = json.loads(value)
    return tuple(decoded) if isinstance(decoded, list) else decoded


def _figure_from_row(row: tuple) -> Figure:
    start, end, text, kind, value, unit, qualifier, metric, subtype = row
    decoded = _figure_value(value) if value else None
    return Figure(text=text, kind=kind, value=decoded, unit=unit, qualifier=qualifier,
                  metric=metric or "", start=start, end=end, subtype=subtype)


def _whole(text: str, start: int, end: int) -> bool:
    """False when a number or Latin word continues past the match (10 in 10000, ai in said)."""
    edges = ((text[start], text[start - 1 : start]), (text[end - 1], text[end : end + 1]))
    for inside, outside in edges:
        if not outside:
            continue
        if inside.isdigit() and (outside.isdigit() or outside == "."):
            return False
        if inside.isascii() and inside.isalpha() and outside.isascii() and outside.isalnum():
            return False
    return True


def _character_runs(query: Query) -> set[str]:
    """Runs of adjacent one-character words of the question (云/帆 -> 云帆): a name jieba
    cut into characters is shown in bold whole, while a lone character is not."""
    runs: set[str] = set()
    run: list[Concept] = []
    for concept in sorted(query.concepts, key=lambda c: c.start) + [None]:
        if concept is not None and len(concept.text) == 1 and (
            not run or run[-1].end == concept.start
        ):
            run.append(concept)
            continue
        if len(run) > 1:
            runs.add("".join(c.text for c in run))
        run = [concept] if concept is not None and len(concept.text) == 1 else []
    return runs


def _cached(cache: dict, key: Any, make: Callable[[], Any]) -> Any:
    """cache[key], made and kept (while the cache holds fewer than _LOOKUP_CACHE_SIZE)
    the first time it is asked for."""
    value = cache.get(key)
    if value is None:
        value = make()
        if len(cache) < _LOOKUP_CACHE_SIZE:
            cache[key] = value
    return value


def _remember(cache: dict, entries: dict, size: int) -> None:
    """Put `entries` in `cache`, pushing out the oldest entries beyond `size` (the caller
    holds the lock, and has taken what it needs from the cache before)."""
    for key, value in entries.items():
        if len(cache) >= size:
            cache.pop(next(iter(cache)))
        cache[key] = value


def _ranks(columns: np.ndarray, ranked: RankedPassages) -> np.ndarray:
    """Each column's rank in `ranked` (0 = best), CANDIDATE_PASSAGES when not in it."""
    ranks = np.full(len(columns), CANDIDATE_PASSAGES, np.int64)
    order = np.argsort(columns)
    at = order[np.searchsorted(columns, ranked.columns, sorter=order)]
    ranks[at] = np.arange(len(ranked.columns))
    return ranks


def match_spans(text: str, terms: set[str], folded: str | None = None
                ) -> tuple[tuple[int, int], ...]:
    """Spans of `text` (original offsets) where a query term occurs, merged. `folded` is
    normalise(text) when the caller has it (the store keeps it for every sentence)."""
    if folded is None:
        folded = normalise(text)
    if len(folded) == len(text):  # the common case: offsets carry over unchanged
        normalised, origins = folded, range(len(text) + 1)
    else:
        normalised, origins = normalise_with_offsets(text)
    spans = []
    for term in terms:
        # Only a digit or a Latin letter at an end of the term can run on past a match.
        first, last = term[0], term[-1]
        edged = (first.isdigit() or last.isdigit() or (first.isascii() and first.isalpha())
                 or (last.isascii() and last.isalpha()))
        start = normalised.find(term)
        while start != -1:
            end = start + len(term)
            if not edged or _whole(normalised, start, end):
                spans.append((origins[start], origins[end - 1] + 1))
            start = normalised.find(term, end)
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


# Least share of what the question asks besides its companies (裁员 in 腾讯裁了多少人) that
# the sentence and its neighbours must say.
MIN_TOPIC_COVERAGE = 0.25


def contradicts(query: Query, best: SentenceSignals) -> bool:
    """True when the best sentence cannot be the answer whatever the model thinks: the
    question names a company, product, year or name the articles never mention, or asks
    about a place they never name (快手在火星的营收: no sentence is about 火星); or the
    sentence's passage (and the passages around it) does not name the company asked about;
    or, for a question about a company or product of the alias table, the sentence is about
    another year or quarter or says too little of what is asked about it (腾讯裁了多少人 is
    not answered by 腾讯's profit, nor 快手四季度营收 by its third quarter's).

    Measured with `--absent-share 0.1` on the public sets: these refuse 1 of 4,224
    answerable questions (the last two apply only to questions naming such a company,
    which Wikipedia's questions do not; without that condition they refused 4.4% of
    CMRC's answerable questions).
    """
    if (query.missing_entities or query.missing_years or query.missing_names
            or query.missing_places):
        return True
    if not best.grounded:
        return True
    return names_company(query) and (best.other_year or best.other_period
                                     or best.topic < MIN_TOPIC_COVERAGE)


def names_company(query: Query) -> bool:
    """The question names a company, product or person of the alias table."""
    return any(concept.entity for concept in query.concepts)


def lacks_the_amount(query: Query, best: SentenceSignals) -> bool:
    """True when a question about a company or product of the alias table asks outright
    for an amount (多少钱, 几家) and the best sentence states no amount at all: a
    sentence on 可灵AI's membership scheme that names no price does not say what the
    membership costs, however well it matches the words. Any amount will do, since what
    kind a question wants is read loosely (腾讯净利润降了多少 wants a sum by its words and
    is answered with a share), except that a question asking for money in so many words
    (阿里巴巴股价多少钱) needs a sum of money, not a share."""
    normalised = query.question.normalised
    if not (asks_amount(normalised) and names_company(query)):
        return False
    kinds = best.sentence.figure_kinds
    return not kinds & QUANTITIES or (asks_money(normalised) and "money" not in kinds)


# Words saying what is measured of anything (会员数量, 裁员比例): no subject of their own.
MEASURE_WORDS = frozenset({"数量", "规模", "人数", "总数", "数目", "次数", "金额", "数额",
                           "比例", "占比", "比重"})


def misses_the_subject(query: Query, best: SentenceSignals) -> bool:
    """True when a question about a company or product of the alias table asks about
    something (会员 in 爱奇艺会员数量多少) that neither the best sentence nor its neighbours
    name in any spelling, only its measure (数量, of the staff): the share of the question
    it says can be high on the measure alone."""
    if not names_company(query):
        return False
    subjects = [concept for concept in query.concepts
                if not concept.entity and concept.kind != "time"
                and concept.text not in MEASURE_WORDS]
    if not subjects or any(not concept.surfaces for concept in subjects):
        return False  # nothing to look for, or a concept only its tokens can find
    lines = best.passage.folded.split("\n")
    position = best.sentence.position
    around = "\n".join(lines[max(0, position - 1):position + 2])
    return not any(surface in around for concept in subjects
                   for surface, credit in concept.surfaces if credit > 0 and surface)


# Below every candidate that names the asked period: what one naming only another is put at.
_OTHER_PERIOD = 1e3


def rank_by_period(query: Query, signals: Sequence[SentenceSignals],
                   scores: np.ndarray) -> np.ndarray:
    """The ranker's scores, but when the question names a quarter or half (快手四季度日活多少)
    and some candidate says it, the candidates that name only other ones come after all
    of them: the model learned time from Wikipedia, where such pairs are rare, and put
    快手's third-quarter DAU (the sentence spelling 日活) above its fourth-quarter one.
    Measured: no answer of the public sets changes; the confidence is the model's, from
    its own scores."""
    if not query.question.times.periods or not len(scores):
        return scores
    times = np.fromiter((signal.sentence_time for signal in signals), np.float64, len(signals))
    if not (times > 0).any():
        return scores
    return scores - _OTHER_PERIOD * (times < 0)


def off_topic(query: Query, further: SentenceSignals) -> bool:
    """True when a sentence after the best one says too little of the question to be shown
    (a staff count after a revenue answer), is about another year or quarter, or
    contradicts it."""
    return (contradicts(query, further) or further.other_year or further.other_period
            or further.topic < MIN_TOPIC_COVERAGE)


class Retriever:
    """Answers questions from one store; safe to share between threads.

    A question goes one way: understood once into a `Query`, candidate passages
    from both BM25 channels (words, character bigrams), their sentences
    described by `FEATURES`, scored by the learned ranker, judged answerable or
    not by the calibrated answerability model, and turned into an `Answer`.
    """

    def __init__(self, db, meta: dict[str, Any], segmenter: Segmenter, matrix: BM25Matrix,
                 bigram_matrix: BM25Matrix, channels: Channels, table: SentenceTable,
                 passage_ids, vocabulary: dict[str, int], synonyms: SynonymTable,
                 model: AnswerModel | None):
        self._db = db
        self._lock = threading.Lock()
        self._meta = meta
        self._segmenter = segmenter
        self._matrix = matrix
        self._bigram_matrix = bigram_matrix
        self._channels = channels
        self._table = table
        self._passage_ids = passage_ids
        self._model = model
        self._figure_order: FigureOrder | None = None
        self.synonyms = synonyms
        self._builder = QueryBuilder(vocabulary, matrix.idf, segmenter, synonyms,
                                     PinyinIndex(self._words_for_pinyin), channels.writes)
        self._headings: dict[int, tuple[str, str, str, frozenset[str]]] = {}
        self._entity_cache: dict[int, frozenset[AliasGroup]] = {}
        self._paths: dict[int, str] = {}  # file number in the sentence table -> its path
        # passage id -> what questions computed once for it (CandidateSet.memo)
        self._memos: dict[int, dict[str, Any]] = {}
        self._figure_cache: dict[int, tuple[Figure, ...]] = {}
        self._examples: list[str] | None = None
        self._words = WordIds(vocabulary)

    @classmethod
    def open(cls, db_path: Path, model: AnswerModel | None = None, *,
             mapped_postings: int = MAPPED_POSTINGS) -> Retriever:
        """Load the store at `db_path`; raises StoreMissing or StoreOutdated.

        Answers use `model`, or the one shipped with the package (loaded on the first
        answer; ModelError when it cannot be used). Postings larger than
        `mapped_postings` bytes are read by slices instead of mapped.
        """
        db = open_store(Path(db_path))
        try:
            meta = read_meta(db)
            check_store(meta)
            segmenter = segmenter_for(meta)
            mapped = read_mapped(Path(db_path), meta)
            table = SentenceTable.from_arrays(mapped)
        except KeyError:
            db.close()
            raise StoreOutdated("the index has no sentence table: rebuild it") from None
        except BaseException:
            db.close()
            raise
        lengths = read_array(db, "passage_lengths")
        postings = (read_sliced(Path(db_path), meta, _POSTINGS)
                    if mapped_bytes(meta, _POSTINGS) > mapped_postings else mapped)
        matrix, bigram_matrix = (
            BM25Matrix(mapped[f"{channel}_indptr"], postings[f"{channel}_columns"],
                       postings[f"{channel}_weights"], mapped[f"{channel}_idf"], len(lengths))
            for channel in ("postings", "bigram")
        )
        sentences = max(1, int(meta.get("sentences", 0)))
        channels = Channels(
            word_idf=np.maximum(matrix.idf, IDF_FLOOR), bigram_keys=mapped["bigram_keys"],
            bigram_idf=np.maximum(bigram_matrix.idf, IDF_FLOOR),
            sentence_tokens=float(lengths.sum()) / sentences,
            sentence_bigrams=float(read_array(db, "bigram_lengths").sum()) / sentences,
        )
        vocabulary = read_vocabulary(db, len(matrix.idf))
        corpus_dir = Path(meta["corpus_dir"]) if meta.get("corpus_dir") else None
        logger.info("loaded %s: %d passages, %d terms, %d bigrams", db_path,
                    matrix.n_passages, len(vocabulary), len(channels.bigram_keys))
        return cls(db, meta, segmenter, matrix, bigram_matrix, channels, table,
                   read_array(db, "passage_ids"), vocabulary, SynonymTable.load(corpus_dir),
                   model)

    @property
    def model(self) -> AnswerModel:
        """The answer model; the shipped one unless another was given."""
        if self._model is None:
            self._model = AnswerModel.load()
        return self._model

    @property
    def figure_order(self) -> FigureOrder:
        """The model ordering a sentence's figures (the shipped one, loaded when first used)."""
        if self._figure_order is None:
            self._figure_order = FigureOrder.load()
        return self._figure_order

    @property
    def corpus_dir(self) -> Path | None:
        """The folder the store was built from (None for a store that does not say)."""
        folder = self._meta.get("corpus_dir")
        return Path(folder) if folder else None

    @property
    def segmenter(self) -> Segmenter:
        """The store's tokenizer, the one questions go through."""
        return self._segmenter

    @property
    def stats(self) -> StoreStats:
        meta = self._meta
        return StoreStats(
            documents=int(meta.get("documents", 0)),
            passages=int(meta.get("passages", 0)),
            sentences=int(meta.get("sentences", 0)),
            figures=int(meta.get("figures", 0)),
            built_at=str(meta.get("built_at", "")),
            build_seconds=float(meta.get("build_seconds", 0.0)),
        )

    def __enter__(self) -> Retriever:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        self._matrix.close()
        self._bigram_matrix.close()

    def answer(self, question: str, top: int = 10) -> Answer:
        """The best distinct sentences for `question`, or found=False when the articles do not say.

        Raises EmptyQuestion when nothing is left after removing /command and @mentions.
        """
        parsed = self._parse(question)
        bridge = find_bridge(parsed.text)
        if bridge is not None:
            bridged = self._answer_bridge(bridge, parsed.text, top)
            if bridged is not None:
                return replace(bridged, truncated=parsed.truncated)
        answer = self._answer_parsed(parsed, top)
        comparison = find_comparison(parsed.text, self.synonyms)
        if comparison is not None and not (
                answer.found and names_both(answer.hits[0].sentence, comparison, self.synonyms)):
            compared = self._answer_comparison(comparison, parsed.text, top)
            if compared is not None:
                return replace(compared, truncated=parsed.truncated)
        return answer

    def _parse(self, question: str) -> ParsedQuestion:
        """The question read; EmptyQuestion when nothing is left to ask."""
        parsed = parse_question(question, self._segmenter)
        if not parsed.text:
            raise EmptyQuestion("the question is empty")
        return parsed

    def understand(self, question: str) -> Query:
        """The question as this index reads it (what figure order training describes with)."""
        return self._builder.build(self._parse(question))

    def candidates(self, question: str) -> Candidates:
        """The question's candidate sentences and their features (what training reads)."""
        return self._candidates(self._parse(question))

    def _answer_bridge(self, bridge: Bridge, question: str, top: int) -> Answer | None:
        """Answer about the thing the clause's answer names; None when that does not work out."""
        described = self._answer_parsed(parse_question(bridge.clause, self._segmenter), 1)
        if not described.found:
            return None
        link = described.hits[0]
        # The sentence names it, or else its article's heading (可灵AI正式推出独立App, in
        # 快手披露了AI商业化的最新进展).
        entity = (bridged_entity(link.sentence, bridge.clause, self.synonyms)
                  or bridged_entity(f"{link.source.title}\n{link.source.section}", bridge.clause,
                                    self.synonyms))
        if entity is None:
            return None
        logger.debug("bridge: %s -> %s", bridge.clause, entity)
        answer = self._answer_parsed(parse_question(entity + bridge.rest, self._segmenter), top)
        if not answer.found:
            return None
        # The linking sentence second: it shows who "the company that ..." is.
        first, *others = answer.hits
        if first.sentence_id == link.sentence_id:
            return None
        hits = (first, link, *[h for h in others if h.sentence_id != link.sentence_id])[:top]
        terms = tuple(dict.fromkeys(answer.terms + described.terms))
        return Answer(question=question, found=True, terms=terms, hits=hits, truncated=False,
                      confidence=min(answer.confidence, described.confidence))

    def _answer_comparison(self, comparison: Comparison, question: str,
                           top: int) -> Answer | None:
        """Each compared thing's best sentences, the two best first; None unless both are
        answered, by different sentences."""
        answers = []
        for asked in (comparison.first, comparison.second):
            parsed = parse_question(asked, self._segmenter)
            if not parsed.text:
                return None
            answers.append(self._answer_parsed(parsed, top))
        first, second = answers
        if not (first.found and second.found) or (
                first.hits[0].sentence_id == second.hits[0].sentence_id):
            return None
        logger.debug("comparison: %s / %s", comparison.first, comparison.second)
        hits: dict[int, Hit] = {}
        for hit in (first.hits[0], second.hits[0],
                    *(h for pair in zip_longest(first.hits[1:], second.hits[1:])
                      for h in pair if h is not None)):
            hits.setdefault(hit.sentence_id, hit)
        return Answer(question=question, found=True,
                      terms=tuple(dict.fromkeys(first.terms + second.terms)),
                      hits=tuple(hits.values())[:top], truncated=False,
                      confidence=min(first.confidence, second.confidence))

    def _candidates(self, parsed: ParsedQuestion) -> Candidates:
        query = self._builder.build(parsed)
        term_ids = [t.term_id for t in query.terms]
        weights = [t.weight for t in query.terms]
        bigrams = question_bigrams(query, self._channels)
        bigram_ids, bigram_counts = bigrams.rows.tolist(), bigrams.counts.tolist()
        by_words = self._matrix.rank_passages(term_ids, weights, k=CANDIDATE_PASSAGES)
        by_bigrams = self._bigram_matrix.rank_passages(bigram_ids, bigram_counts,
                                                       k=CANDIDATE_PASSAGES)
        columns = np.asarray(list(dict.fromkeys(
            [*by_words.columns.tolist(), *by_bigrams.columns.tolist()])), np.int64)
        word_rank, bigram_rank = _ranks(columns, by_words), _ranks(columns, by_bigrams)
        word_scores, bigram_scores = by_words.score_of(columns), by_bigrams.score_of(columns)
        passage_ids = self._passage_ids[columns].astype(np.int64)
        scores = PassageScores(passage_ids=passage_ids, word=word_scores, bigram=bigram_scores,
                               word_rank=word_rank, bigram_rank=bigram_rank)
        candidates = self._candidate_set(columns, word_scores)
        hand = score_sentences(query, candidates, self._words,
                               lambda around: self._nearby(around, parsed.normalised, query))
        features = compute_features(query, hand, scores, self._channels, bigrams, self._words)
        kept = shortlist(features)
        ids = candidates.sentence_ids(kept)
        with self._lock:
            texts = read_sentence_texts(self._db, ids)
        return Candidates(query=query, features=features[kept],
                          signals=hand.signals(kept, [texts[sid] for sid in ids]))

    def _answer_parsed(self, parsed: ParsedQuestion, top: int) -> Answer:
        candidates = self._candidates(parsed)
        query = candidates.query
        terms = tuple(dict.fromkeys(t.term for t in query.terms))
        model = self.model
        scores = model.score(candidates.features)
        confidence = model.confidence(candidates.features, scores)
        scores = rank_by_period(query, candidates.signals, scores)
        best = candidates.signals[int(np.argmax(scores))] if len(scores) else None
        ruled_out = best is None or (contradicts(query, best) or lacks_the_amount(query, best)
                                     or misses_the_subject(query, best))
        found = not ruled_out and confidence >= model.threshold
        hits: tuple[Hit, ...] = ()
        nearest = None
        if not ruled_out and not found and confidence >= NEAREST_CONFIDENCE:
            nearest = self._hits(query, [(best, float(np.max(scores)))])[0]
        if found:
            chosen: list[tuple[SentenceSignals, float]] = []
            seen: set[str] = set()
            for index in np.lexsort((np.arange(len(scores)), -scores)):
                signal = candidates.signals[index]
                key = dedupe_key(signal.sentence.text)
                # Further sentences must not contradict the question either (a staff
                # count is no answer to a revenue question, even as the third).
                if key in seen or (chosen and off_topic(query, signal)):
                    continue
                seen.add(key)
                chosen.append((signal, float(scores[index])))
                if len(chosen) == max(top, 1):
                    break
            hits = self._hits(query, chosen)
        return Answer(question=parsed.text, found=found, terms=terms, hits=hits,
                      truncated=parsed.truncated, confidence=confidence, nearest=nearest)

    def all_sentences(self) -> list[tuple[str, str]]:
        """(text, source path) of every stored sentence, in corpus order (for baselines)."""
        with self._lock:
            return read_all_sentences(self._db)

    def _words_for_pinyin(self, key: str) -> list[str]:
        """Vocabulary words whose toneless pinyin is `key` (the store indexes it)."""
        with self._lock:
            return read_terms_by_pinyin(self._db, key)

    def passage(self, passage_id: int) -> Passage:
        """The whole passage a hit came from (the bot's 原文 button); KeyError when unknown."""
        with self._lock:
            row = read_passage(self._db, passage_id)
        if row is None:
            raise KeyError(passage_id)
        return Passage(text=row[0], source=Source(*row[1:]))

    def find_passage(self, key: str) -> int:
        """The id of the passage a `Hit.passage_key` names in this index; KeyError when gone."""
        with self._lock:
            passage_id = read_passage_id(self._db, key)
        if passage_id is None:
            raise KeyError(key)
        return passage_id

    def warm_up(self) -> None:
        """Load now what the first questions of some kinds would otherwise load mid-answer.

        The part-of-speech tagger and pypinyin's tables take about a second; a
        long-running server pays that at start instead of stalling a user (and,
        through the GIL, every other chat) on a typo question.
        """
        pinyin_key("预热")
        self._segmenter.tag("预热")
        logger.debug("answer model loaded, threshold %.3f", self.model.threshold)
        logger.debug("figure order model loaded: %d trees", self.figure_order.trees)
        self.example_questions()

    def example_questions(self, n: int = 3) -> list[str]:
        """Questions this corpus answers, made from its figures (for /start)."""
        if self._examples is None:
            self._examples = make_example_questions(self, self._db, self._lock)
        return self._examples[:n]

    def _heading(self, index: int) -> tuple[str, str, str, frozenset[str]]:
        """(title, section, the two folded, their tokens) of a heading of the sentence table
        (cached: a section's passages come up together)."""
        def make() -> tuple[str, str, str, frozenset[str]]:
            article, section = self._table.heading(index)
            return (article, section, normalise(f"{article}\n{section}"),
                    frozenset(self._segmenter.tokens(f"{article}\n{section}")))

        return _cached(self._headings, index, make)

    def _candidate_set(self, columns: np.ndarray, scores: np.ndarray) -> CandidateSet:
        """The candidate passages at `columns` (their BM25 `scores`) that have sentences,
        gathered from the sentence table."""
        with_sentences = passage_rows(self._table, columns)[1] > 0
        columns = columns[with_sentences]
        passage_ids = self._passage_ids[columns].tolist()
        with self._lock:  # answers run in several threads
            # Taken before the insertion, which may push out the oldest entries.
            memos = {pid: self._memos[pid] for pid in passage_ids if pid in self._memos}
            new_memos: dict[int, dict[str, Any]] = {pid: {} for pid in passage_ids
                                                    if pid not in memos}
            _remember(self._memos, new_memos, _PASSAGE_CACHE_SIZE)
        memos.update(new_memos)
        passages = []
        for column, pid, score, folded, heading_index, document in zip(
            columns.tolist(), passage_ids, scores[with_sentences].tolist(),
            passage_texts(self._table, columns.tolist()), self._table.heading_of[columns].tolist(),
            self._table.document_of[columns].tolist(), strict=True,
        ):
            article, section, heading, tokens = self._heading(heading_index)
            path = _cached(self._paths, document, lambda column=column: self._table.path(column))
            passages.append(CandidatePassage(
                passage_id=pid, score=score, folded=folded, heading_tokens=tokens,
                heading=heading, article=article, section=section, path=path,
            ))
        return CandidateSet(self._table, columns, passages, [memos[p] for p in passage_ids])

    def _entity_groups(self, passage: CandidatePassage) -> frozenset[AliasGroup]:
        """The companies, products and people a passage names (cached: matching the alias
        table is the slow part, and the same passages come back)."""
        return _cached(self._entity_cache, passage.passage_id, lambda: frozenset(
            m.group for m in self.synonyms.find(passage.folded) if m.group.kind in ENTITY_KINDS))

    def _nearby(self, passages: Sequence[CandidatePassage], question: str,
                query: Query) -> dict[int, Context | None]:
        """Per passage, the tokens and folded text of the passages of the same section within
        NEARBY_PASSAGES of it (by id, which follows a document's order); None when the
        passage names another company or product than the question: then it is about that
        one. Read from the sentence table (which leaves out copies of earlier passages:
        their text is the earlier one's); of the tokens, only the question's terms are kept
        (all that is asked of them). Few questions come here, so the aliases of the
        (normalised) `question` are looked for here, not for every question."""
        asked = {m.group for m in self.synonyms.find(question)}
        contexts: dict[int, Context | None] = {
            p.passage_id: None for p in passages if self._entity_groups(p) - asked
        }
        wanted = [p for p in passages if p.passage_id not in contexts]
        if not wanted:
            return contexts
        table, ids = self._table, self._passage_ids
        terms = {term: self._words.get(term) for concept in query.concepts
                 for phrase in concept.phrases for term in phrase.terms}
        known = np.fromiter((i for i in terms.values() if i >= 0), np.int64)
        pids = np.array([p.passage_id for p in wanted], np.int64)
        own = np.searchsorted(ids, pids)
        first = np.searchsorted(ids, pids - NEARBY_PASSAGES)
        last = np.searchsorted(ids, pids + NEARBY_PASSAGES, side="right")
        for passage, column, start, stop in zip(wanted, own.tolist(), first.tolist(),
                                                last.tolist(), strict=True):
            around = np.arange(start, stop)
            around = around[(around != column)
                            & (table.heading_of[around] == table.heading_of[column])
                            & (table.document_of[around] == table.document_of[column])]
            present = set(known[np.isin(known, passage_words(table, around))].tolist())
            contexts[passage.passage_id] = (
                frozenset(term for term, i in terms.items() if i in present),
                "\n".join(passage_texts(table, around.tolist())),
            )
        return contexts

    def _read_figures(self, sentence_ids: list[int]) -> dict[int, tuple[Figure, ...]]:
        """The sentences' figures: from memory when they were shown lately, else read and
        decoded in one query for the others."""
        cache = self._figure_cache
        with self._lock:
            found = {sid: cache[sid] for sid in sentence_ids if sid in cache}
            rows = read_figure_rows(self._db, [s for s in sentence_ids if s not in found])
        read: dict[int, list[Figure]] = {sid: [] for sid in sentence_ids if sid not in found}
        for row in rows:
            read[row[0]].append(_figure_from_row(row[1:]))
        decoded = {sid: tuple(figures) for sid, figures in read.items()}
        with self._lock:
            _remember(cache, decoded, _FIGURE_CACHE_SIZE)
        return found | decoded

    def _hits(self, query: Query, chosen: list[tuple[SentenceSignals, float]]) -> tuple[Hit, ...]:
        figures = self._read_figures([c.sentence.sentence_id for c, _ in chosen])
        with self._lock:
            copy_rows = read_copy_sources(self._db, [c.passage.passage_id for c, _ in chosen])
            cited = read_passage_citations(self._db, [c.passage.passage_id for c, _ in chosen])
        copies: dict[int, list[Source]] = {}
        for canonical, path, article, section in copy_rows:
            copies.setdefault(canonical, []).append(Source(path=path, title=article,
                                                           section=section))
        terms = {t for c in query.concepts for p in c.phrases for t in p.terms if len(t) > 1}
        terms |= _character_runs(query)
        ordered = self.figure_order.order(
            [(figures[c.sentence.sentence_id], c.sentence.text, c.sentence.folded)
             for c, _ in chosen], query)
        return tuple(
            Hit(
                sentence=c.sentence.text,
                score=round(score, 4),
                spans=match_spans(c.sentence.text, terms, c.sentence.folded),
                source=Source(c.passage.path, c.passage.article, c.passage.section,
                              *cited[c.passage.passage_id][1:]),
                passage_id=c.passage.passage_id,
                sentence_id=c.sentence.sentence_id,
                figures=sentence_figures,
                also=tuple(copies.get(c.passage.passage_id, ())),
                passage_key=cited[c.passage.passage_id][0],
                position=int(c.sentence.position),
            )
            for (c, score), sentence_figures in zip(chosen, ordered, strict=True)
        )
