"""Features of a question's candidate sentences, for the learned ranker.

All candidates of one question are described at once, from the arrays of
their `CandidateSet` (`retrieval.sentences`): both BM25 channels (word ids and
character bigrams) as numpy over all sentences, the parts of the hand-written
score (`retrieval.choose.score_sentences`) as they are, what kind of thing the
sentence names against what the question asks for, and per-question values
that let the model compare a candidate with the others of its question.

BM25 scores are divided by the question's idf mass (what a text saying every
term once would score, roughly), so that they read the same in a store of a
hundred passages and in one of a million: a model learned on one collection
carries over to another.

`FEATURES` names the columns in order and `FEATURES_VERSION` their meaning. A
model file records both and refuses to load when they differ
(`retrieval.ranker`): change a feature and you bump the version and retrain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.bigrams import KEY_BITS, SHIFT, bigram_keys, code_points, keys_by_text, word_characters
from index.distinct import distinct, run_starts
from retrieval.choose import HandScores
from retrieval.query import Query, is_content_word
from retrieval.question import ANSWER_TYPES, ParsedQuestion
from retrieval.sentences import WordIds

K1, B = 1.5, 0.75  # BM25 of a sentence, as for passages
FEATURES_VERSION = 9
_BY_WORD_MASS = ("p_word_bm25", "s_word_bm25")
_BY_BIGRAM_MASS = ("p_bigram_bm25", "s_bigram_bm25", "n_bigram_bm25", "s_passage_gap",
                   "s_article_gap")

FEATURES: tuple[str, ...] = (
    # the question
    "q_chars", "q_terms", "q_bigrams", "q_quantity",
    *(f"q_{kind}" for kind in ANSWER_TYPES),
    "q_missing", "q_missing_share", "q_missing_entities", "q_missing_names", "q_missing_years",
    "q_years",
    # its passage
    "p_word_bm25", "p_word_rel", "p_word_rank", "p_bigram_bm25", "p_bigram_rel", "p_bigram_rank",
    "p_sentences", "p_word_cov", "p_bigram_cov", "title_bigram_cov",
    # the sentence
    "s_word_bm25", "s_word_rel", "s_word_cov", "s_bigram_bm25", "s_bigram_rel", "s_bigram_rank",
    "s_bigram_cov", "s_run", "s_run_chars", "s_new_share", "s_chars", "s_position", "s_last",
    "s_passage_gap", "s_passage_rank", "s_match_spread", "s_match_start",
    # what surrounds the question word, and the passage's title, said in the sentence
    "s_wh_cov", "s_wh_before", "s_wh_after", "s_title_cov", "n_wh_cov", "p_wh_cov", "s_wh_gap",
    # the question's own text either side of the question word, said in the sentence as it is
    "s_wh_pre", "s_wh_post", "s_wh_pre_tail", "s_wh_post_head", "s_wh_frame",
    # the sentence opens with a pronoun: what it is about is named before it
    "s_pronoun",
    # the longest stretch of the question said as it stands; what it asks beyond the title;
    # against the other sentences of its article
    "s_common_chars", "s_common_idf", "s_untitled_cov", "s_article_rank", "s_article_gap",
    # its neighbours in the passage
    "n_word_cov", "n_bigram_cov", "n_bigram_bm25",
    # the hand-written score's parts
    "h_score", "h_score_gap", "h_own", "h_around", "h_passage", "h_topic", "h_grounded",
    "h_focus_missing", "h_figure_fit", "h_sentence_time", "h_passage_time", "h_other_year",
    # what the sentence names, new to the question, against what is asked
    "s_person", "s_place", "s_org", "s_time", "s_quantity", "s_digit", "s_noun", "type_fit",
)



@dataclass(frozen=True)
class Channels:
    """What the features need from the store besides the candidates themselves."""

    word_idf: np.ndarray  # by term id
    bigram_keys: np.ndarray  # sorted int64
    bigram_idf: np.ndarray  # by position in bigram_keys
    sentence_tokens: float  # average tokens per sentence
    sentence_bigrams: float  # average bigrams per sentence

    def locate(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position in `bigram_keys`, whether it is there) of each of `keys`."""
        position = np.minimum(np.searchsorted(self.bigram_keys, keys),
                              max(len(self.bigram_keys) - 1, 0))
        if not len(self.bigram_keys):
            return position, np.zeros(len(keys), bool)
        return position, self.bigram_keys[position] == keys

    def writes(self, text: str) -> bool:
        """Whether the articles write every two adjacent characters of `text` somewhere
        (whatever words jieba cut them into)."""
        return bool(np.all(self.locate(bigram_keys(text))[1]))


@dataclass(frozen=True)
class PassageScores:
    """The candidate passages' BM25 in both channels and their rank in each (0 = best),
    one entry per passage id of `passage_ids`."""

    passage_ids: np.ndarray
    word: np.ndarray
    bigram: np.ndarray
    word_rank: np.ndarray
    bigram_rank: np.ndarray


@dataclass(frozen=True)
class QuestionBigrams:
    """The question's known bigrams: unique keys, their idf and counts, and the order
    they come in (indices into `keys`) for the longest common run."""

    keys: np.ndarray
    rows: np.ndarray  # the keys' rows in the store's bigram postings
    idf: np.ndarray
    counts: np.ndarray
    sequence: np.ndarray
    near_wh: np.ndarray  # per key: said within WH_WINDOW characters of the question word
    before_wh: int  # index into keys of the bigram just before the question word, or -1
    after_wh: int  # ... just after it


# Characters either side of the question word whose bigrams the answer sentence tends to
# repeat ("首都是哪里" -> "首都是").
WH_WINDOW = 4


def _key_index(keys: np.ndarray, text: str) -> int:
    """Where the one bigram of `text` is among the sorted `keys`, or -1."""
    key = keys_by_text([text])[0]
    if len(key) != 1 or not len(keys):
        return -1
    position = min(int(np.searchsorted(keys, key[0])), len(keys) - 1)
    return position if keys[position] == key[0] else -1


def question_bigrams(query: Query, channels: Channels) -> QuestionBigrams:
    """Bigrams of the question's content words (question words and stop words blanked out,
    so that 多少 and 什么 do not count), adjacent words joined, and of its expansions."""
    normalised = query.question.normalised
    kept = [" "] * len(normalised)
    for word in query.question.words:
        kept[word.start:word.end] = normalised[word.start:word.end]
    # What the question's expansions add (Kuaishou -> 快手, a typo's sound-alike): words
    # the question itself does not spell.
    added = [t.term for t in query.terms if t.term not in normalised]
    keys, _ = keys_by_text(["".join(kept), *added])
    position, known = channels.locate(keys)
    keys, position = keys[known], position[known]
    unique, first, sequence, counts = np.unique(
        keys, return_index=True, return_inverse=True, return_counts=True
    )
    content = "".join(kept)
    start, end = query.question.asks
    asked = end > start
    around = [content[max(0, start - WH_WINDOW):start], content[end:end + WH_WINDOW]]
    return QuestionBigrams(
        keys=unique, rows=position[first],
        idf=channels.bigram_idf[position[first]] if len(unique) else np.zeros(0),
        counts=counts.astype(np.float64), sequence=sequence,
        near_wh=np.isin(unique, keys_by_text(around)[0]) if asked else np.zeros(len(unique), bool),
        before_wh=_key_index(unique, content[max(0, start - 2):start]) if asked else -1,
        after_wh=_key_index(unique, content[end:end + 2]) if asked else -1,
    )


def _bm25(tf: np.ndarray, lengths: np.ndarray, average: float, idf: np.ndarray) -> np.ndarray:
    norm = K1 * (1 - B + B * lengths / max(average, 1e-9))
    return ((tf * (K1 + 1)) / (tf + norm[:, None]) * idf).sum(axis=1)


def _coverage(present: np.ndarray, weights: np.ndarray) -> np.ndarray:
    total = weights.sum()
    if total <= 0:
        return np.zeros(len(present))
    return present.astype(np.float64) @ weights / total


def _by_passage(values: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Per row, the logical or of `values` over the rows of its passage (a passage's rows
    are the `sizes` rows from its entry in `starts`; every passage has some)."""
    if not len(values):
        return values.copy()
    return np.repeat(np.logical_or.reduceat(values, starts, axis=0), sizes, axis=0)


def _run_lengths(flags: np.ndarray, axis: int = -1) -> np.ndarray:
    """At each place along `axis`, how many True in a row end there (0 at a False): the
    count so far less the count at the last False."""
    count = np.cumsum(flags, axis=axis)
    return count - np.maximum.accumulate(np.where(flags, 0, count), axis=axis)


def _longest_run(present: np.ndarray) -> np.ndarray:
    """Longest run of consecutive True per row (question bigrams said in order)."""
    if not present.size:
        return np.zeros(len(present))
    return _run_lengths(present, axis=1).max(axis=1).astype(np.float64)


def _rank(values: np.ndarray) -> np.ndarray:
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    return ranks


def _rank_within(values: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, its rank among the rows of its group by `values` (0 = best, ties in row
    order) and how far below the group's best it is (0 for the best)."""
    order = np.lexsort((-values, groups))
    first = np.searchsorted(groups[order], groups[order])
    rank, gap = np.empty(len(values)), np.empty(len(values))
    rank[order] = np.arange(len(values)) - first
    gap[order] = values[order] - values[order][first]
    return rank, gap


def _relative(values: np.ndarray) -> np.ndarray:
    top = values.max() if len(values) else 0.0
    return values / top if top > 0 else np.zeros(len(values))


def _title_coverage(keys: np.ndarray, owner: np.ndarray, groups: np.ndarray,
                    heading_keys: np.ndarray, heading_owner: np.ndarray) -> np.ndarray:
    """Per sentence, the share of its passage's title-and-section bigrams it says (a sentence
    naming the article's subject, rather than "it", tends to be the one asked about).
    `keys` are the sentences' bigrams in text order (`owner`: whose), `heading_keys` each
    passage's distinct ones; a bigram said twice counts once."""
    n = len(groups)
    if not len(keys) or not len(heading_keys):
        return np.zeros(n)
    titles = np.sort(heading_owner << KEY_BITS | heading_keys)
    title_sizes = np.bincount(heading_owner, minlength=int(groups.max()) + 1)
    wanted = groups[owner] << KEY_BITS | keys
    at = np.minimum(np.searchsorted(titles, wanted), len(titles) - 1)
    hit = titles[at] == wanted
    said = distinct(owner[hit] << KEY_BITS | keys[hit])  # few: the title's bigrams said
    counts = np.bincount(said >> KEY_BITS, minlength=n).astype(np.float64)
    return counts / np.maximum(title_sizes[groups], 1)


# Characters of the question's own text either side of the question word looked for in the
# sentence as it stands ("以什么为食" -> "以多毛类为食"), and the most characters an answer
# between the two may take.
CONTEXT_CHARS = 8
FRAME_GAP = 24
_NEWLINE = 10
# Characters a sentence about something named before it opens with (他 in 他生于...).
_PRONOUNS = frozenset(map(ord, "他她它其该此这"))


def _word_context(text: str, before: bool) -> np.ndarray:
    """Code points of the word characters (as bigrams count them) of `text` next to the
    question word: the run ending at its end (`before`) or starting at its start,
    CONTEXT_CHARS at most."""
    points = code_points(text)
    word = word_characters(points)
    outward = word[::-1] if before else word
    run = min(len(outward) if outward.all() else int(np.argmin(outward)), CONTEXT_CHARS)
    return points[len(points) - run:] if before else points[:run]


def _matches(points: np.ndarray, patterns: list[np.ndarray], suffix: bool
             ) -> tuple[np.ndarray, np.ndarray]:
    """Where in `points` the most of a pattern's last characters end (`suffix`) or of its
    first characters start, at least one: positions (of each pattern in turn, in order)
    and lengths. All candidate places are compared at once, CONTEXT_CHARS wide."""
    if not patterns:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    width = np.arange(CONTEXT_CHARS)
    places, rows = [], []
    for pattern in patterns:
        row = np.full(CONTEXT_CHARS, -1, np.int64)  # -1 is no character
        row[:len(pattern)] = pattern[::-1] if suffix else pattern
        places.append(np.flatnonzero(points == row[0]))
        rows.append(np.broadcast_to(row, (len(places[-1]), CONTEXT_CHARS)))
    at = np.concatenate(places)
    window = at[:, None] - width if suffix else at[:, None] + width
    inside = (window >= 0) & (window < len(points))
    same = inside & (points[np.clip(window, 0, len(points) - 1)] == np.concatenate(rows))
    return at, np.logical_and.accumulate(same, axis=1).sum(axis=1)


def sentence_points(joined: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Code points of `n` sentences' folded texts joined by newlines, one more newline
    closing the last (each sentence ends in a newline: the texts hold none of their own),
    and where each sentence starts among them."""
    points = code_points(joined + "\n")
    ends = np.flatnonzero(points == _NEWLINE)
    return points, np.concatenate(([0], ends[:-1] + 1))[:n]


def wh_context(question: ParsedQuestion, points: np.ndarray, starts: np.ndarray
               ) -> dict[str, np.ndarray]:
    """Per sentence: the longest end of the question's text before the question word it
    says as it stands (s_wh_pre, characters), the longest start of the text after it
    (s_wh_post; also from one or two characters on, past 一/个 of 哪一个), the characters
    the sentence says after that end and before that start (where the answer would
    stand; -1 without a match), and the two said in order with an answer's room between
    them (s_wh_frame: their characters, 0 when not). `points` and `starts` are the
    sentences' (`sentence_points`)."""
    n = len(starts)
    out = {name: np.zeros(n) for name in ("s_wh_pre", "s_wh_post", "s_wh_frame")}
    out["s_wh_pre_tail"] = np.full(n, -1.0)
    out["s_wh_post_head"] = np.full(n, -1.0)
    start, end = question.asks
    if end <= start or not n:
        return out
    pre = _word_context(question.normalised[:start], before=True)
    after = _word_context(question.normalised[end:], before=False)
    if not len(pre) and not len(after):
        return out
    ends = np.append(starts[1:] - 1, len(points) - 1)  # one past each sentence's last
    pre_at, pre_len = _matches(points, [pre] if len(pre) else [], True)
    post_at, post_len = _matches(points, [after[skip:] for skip in range(min(3, len(after)))],
                                 False)
    size = len(points) + 1
    if len(pre_at):
        owner = np.searchsorted(ends, pre_at)
        best = np.zeros(n, np.int64)
        np.maximum.at(best, owner, pre_len * size + pre_at + 1)  # longest, then last
        said = best > 0
        length, last = best // size, best % size - 1
        out["s_wh_pre"] = length.astype(np.float64)
        out["s_wh_pre_tail"][said] = ends[said] - last[said] - 1
    if len(post_at):
        owner = np.searchsorted(ends, post_at)
        best = np.zeros(n, np.int64)
        np.maximum.at(best, owner, post_len * size + size - 1 - post_at)  # longest, first
        said = best > 0
        length, first = best // size, size - 1 - best % size
        out["s_wh_post"] = length.astype(np.float64)
        out["s_wh_post_head"][said] = first[said] - starts[said]
    if len(pre_at) and len(post_at):
        # A frame: where a start of the after-text is said, the nearest end of the
        # before-text earlier in the same sentence, an answer's room apart.
        nearest = np.searchsorted(pre_at, post_at) - 1
        ok = nearest >= 0
        ends_at = np.where(ok, pre_at[np.maximum(nearest, 0)], -size)
        gap = post_at - ends_at - 1
        owner = np.searchsorted(ends, post_at)
        ok &= (gap >= 1) & (gap <= FRAME_GAP) & (np.searchsorted(ends, ends_at) == owner)
        if ok.any():
            frame = np.zeros(n, np.int64)
            np.maximum.at(frame, owner[ok], post_len[ok] + pre_len[np.maximum(nearest, 0)][ok])
            out["s_wh_frame"] = frame.astype(np.float64)
    return out


def opens_with_pronoun(points: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per sentence (`sentence_points`): 1 when it opens with a pronoun (他/其/该...), so
    what it is about is named in a sentence before it."""
    return np.fromiter((point in _PRONOUNS for point in points[starts].tolist()),
                       np.float64, len(starts))  # a set: np.isin sorts, 3x the time here


_MASK = (1 << SHIFT) - 1  # a bigram key's second character


_BUCKET_SHIFT = np.uint64(64 - 12)  # a 4,096-slot table of the question's keys
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _buckets(keys: np.ndarray) -> np.ndarray:
    """Multiplicative hash of bigram keys into the table's slots."""
    return ((keys.astype(np.uint64) * _GOLDEN) >> _BUCKET_SHIFT).astype(np.intp)


@dataclass(frozen=True)
class KeyMatch:
    """Which of the sentences' bigram keys are in a small sorted `vocabulary` (the
    question's): their indices into the keys (`where`, in order) and into the vocabulary
    (`at`). A hash table of the few vocabulary keys passes on the few candidates to a
    search, and one match serves the question's content bigrams and its bigrams as asked."""

    vocabulary: np.ndarray
    where: np.ndarray
    at: np.ndarray

    @classmethod
    def of(cls, vocabulary: np.ndarray, keys: np.ndarray) -> KeyMatch:
        if not len(vocabulary) or not len(keys):
            return cls(vocabulary, np.zeros(0, np.int64), np.zeros(0, np.int64))
        table = np.zeros(1 << 12, bool)
        table[_buckets(vocabulary)] = True
        maybe = np.flatnonzero(table[_buckets(keys)])
        at = np.minimum(np.searchsorted(vocabulary, keys[maybe]), len(vocabulary) - 1)
        found = vocabulary[at] == keys[maybe]
        return cls(vocabulary, maybe[found], at[found])

    def index_in(self, subset: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The keys found in `subset` (sorted, part of the vocabulary): their indices into
        the keys, in order, and into `subset`."""
        if not len(subset):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        index = np.minimum(np.searchsorted(subset, self.vocabulary), len(subset) - 1)
        inside = (subset[index] == self.vocabulary)[self.at]
        return self.where[inside], index[self.at[inside]]


def common_stretch(asked: np.ndarray, keys: np.ndarray, owner: np.ndarray, n: int,
                   channels: Channels, match: KeyMatch | None = None
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Per sentence, the most characters of the question it says in one stretch (`asked`:
    the question's bigram keys in order, stop words and all), and the most idf of such a
    stretch's bigrams over the question's (a stretch of rare characters is worth more than
    的是). From the sentences' bigram keys in text order (`owner` sorted): 2 characters for
    a shared bigram alone, +1 for each next one that continues the question's stretch."""
    chars, mass = np.zeros(n), np.zeros(n)
    if not len(asked) or not len(keys):
        return chars, mass
    known, inverse = np.unique(asked, return_inverse=True)
    at, found = channels.locate(known)
    idf = np.zeros(len(known))
    idf[found] = channels.bigram_idf[at[found]]
    said, index = (match or KeyMatch.of(known, keys)).index_in(known)
    if not len(said):  # from here on only the few keys the question says
        return chars, mass
    said_keys, said_owner = keys[said], owner[said]
    # A bigram continues the one before when both are the question's, next to each other
    # in the same sentence, overlapping, and their three characters are the question's.
    joined = (asked[:-1] & _MASK) == (asked[1:] >> SHIFT)
    trigrams = np.unique((asked[:-1] << SHIFT | (asked[1:] & _MASK))[joined])
    follows = np.zeros(len(said), bool)
    pairs = np.flatnonzero((said[1:] == said[:-1] + 1) & (said_owner[1:] == said_owner[:-1])
                           & ((said_keys[:-1] & _MASK) == (said_keys[1:] >> SHIFT)))
    if len(pairs) and len(trigrams):
        code = said_keys[pairs] << SHIFT | (said_keys[pairs + 1] & _MASK)
        at = np.minimum(np.searchsorted(trigrams, code), len(trigrams) - 1)
        follows[pairs[trigrams[at] == code] + 1] = True
    run = _run_lengths(follows)
    weight = idf[index]
    summed = np.cumsum(weight)
    # A stretch starts at a bigram that does not continue one: what came before it.
    stretch = summed - np.maximum.accumulate(np.where(follows, 0.0, summed - weight))
    first = run_starts(said_owner[1:] != said_owner[:-1], len(said_owner))
    chars[said_owner[first]] = np.maximum.reduceat(run + 2, first)
    mass[said_owner[first]] = np.maximum.reduceat(stretch, first)
    return chars, mass / max(float(idf[inverse].sum()), 1e-9)


def known_content_words(query: Query) -> int:
    """How many of the question's content words the articles use."""
    return sum(1 for c in query.concepts if c.known and is_content_word(c.text))


def missing_share(query: Query) -> float:
    """Share of the question's content words the articles never use: half a question
    unknown is rarely answered."""
    return len(query.missing) / max(len(query.missing) + known_content_words(query), 1)


def compute_features(
    query: Query,
    hand: HandScores,
    passages: PassageScores,
    channels: Channels,
    bigrams: QuestionBigrams,
    words: WordIds,
) -> np.ndarray:
    """One row of FEATURES per candidate sentence (those of `hand.candidates`)."""
    candidates = hand.candidates
    n = candidates.count
    columns: dict[str, np.ndarray | float] = {}
    question = query.question
    # The question.
    columns["q_chars"] = len(question.normalised)
    columns["q_terms"] = len(query.terms)
    columns["q_bigrams"] = len(bigrams.sequence)
    columns["q_quantity"] = float(question.quantity)
    for kind in ANSWER_TYPES:
        columns[f"q_{kind}"] = float(question.answer_type == kind)
    columns["q_missing"] = len(query.missing)
    columns["q_missing_share"] = missing_share(query)
    columns["q_missing_entities"] = len(query.missing_entities)
    columns["q_missing_names"] = len(query.missing_names)
    columns["q_missing_years"] = len(query.missing_years)
    columns["q_years"] = len(question.times.years)

    sizes, groups, n_passages = candidates.sizes, candidates.group, len(candidates.passages)
    order = np.argsort(passages.passage_ids)
    at = order[np.searchsorted(passages.passage_ids, candidates.passage_ids, sorter=order)]
    for name, values in (("p_word_bm25", passages.word), ("p_word_rank", passages.word_rank),
                         ("p_bigram_bm25", passages.bigram),
                         ("p_bigram_rank", passages.bigram_rank)):
        columns[name] = np.repeat(values[at].astype(np.float64), sizes)
    columns["p_word_rel"] = _relative(columns["p_word_bm25"])
    columns["p_bigram_rel"] = _relative(columns["p_bigram_bm25"])
    columns["p_sentences"] = np.repeat(sizes, sizes).astype(np.float64)
    before, after = candidates.before, candidates.after

    # Word channel: the query's BM25 terms, counted present or not.
    weights: dict[int, float] = {}
    for term in query.terms:
        weights[term.term_id] = weights.get(term.term_id, 0.0) + term.weight * float(
            channels.word_idf[term.term_id]
        )
    term_weights = np.fromiter(weights.values(), np.float64, len(weights))
    word_present = candidates.holds(np.fromiter(weights, np.int64, len(weights)))
    token_counts = candidates.token_counts
    columns["s_word_bm25"] = _bm25(word_present.astype(np.float64), token_counts,
                                   channels.sentence_tokens, term_weights)
    columns["s_word_rel"] = _relative(columns["s_word_bm25"])
    columns["s_word_cov"] = _coverage(word_present, term_weights)
    columns["n_word_cov"] = _coverage(
        word_present | word_present[before] | word_present[after], term_weights
    )
    passage_starts = candidates.starts
    columns["p_word_cov"] = _coverage(_by_passage(word_present, passage_starts, sizes),
                                      term_weights)

    # Bigram channel.
    q = len(bigrams.keys)
    keys, owner = candidates.bigram_keys, candidates.bigram_owner
    bigram_counts = np.bincount(owner, minlength=n).astype(np.float64)
    asked = keys_by_text([question.normalised])[0]  # the question's bigrams as asked
    match = KeyMatch.of(np.union1d(bigrams.keys, asked), keys)
    hit, position = match.index_in(bigrams.keys)  # hit: indices into keys
    tf = np.bincount(owner[hit] * q + position, minlength=n * q).reshape(n, q).astype(np.float64)
    present = tf > 0
    near = present | present[before] | present[after]
    in_passage = _by_passage(present, passage_starts, sizes)
    bigram_weights = bigrams.idf * bigrams.counts
    columns["s_bigram_bm25"] = _bm25(tf, bigram_counts, channels.sentence_bigrams,
                                     bigram_weights)
    columns["s_bigram_rel"] = _relative(columns["s_bigram_bm25"])
    columns["s_bigram_rank"] = _rank(columns["s_bigram_bm25"])
    columns["s_bigram_cov"] = _coverage(present, bigram_weights)
    columns["n_bigram_cov"] = _coverage(near, bigram_weights)
    columns["n_bigram_bm25"] = np.maximum(
        np.where(before != np.arange(n), columns["s_bigram_bm25"][before], 0.0),
        np.where(after != np.arange(n), columns["s_bigram_bm25"][after], 0.0),
    )
    columns["p_bigram_cov"] = _coverage(in_passage, bigram_weights)
    # Against the other sentences of its passage: most misses are a neighbour of the answer.
    own = columns["s_bigram_bm25"]
    columns["s_passage_rank"], columns["s_passage_gap"] = _rank_within(own, groups)
    # Where in the sentence the question's bigrams are said: together, and how early.
    spread = np.zeros(n)
    start = np.ones(n)
    if len(hit):
        said_owner = owner[hit]  # in text order, so sentence by sentence
        offsets = hit - np.searchsorted(owner, said_owner)  # within the sentence
        first = run_starts(said_owner[1:] != said_owner[:-1], len(hit))
        last = np.append(first[1:], len(hit)) - 1
        whose = said_owner[first]
        spread[whose] = (offsets[last] - offsets[first] + 1) / bigram_counts[whose]
        start[whose] = offsets[first] / bigram_counts[whose]
    columns["s_match_spread"] = spread
    columns["s_match_start"] = start
    run = _longest_run(present[:, bigrams.sequence]) if q else np.zeros(n)
    columns["s_run"] = run / max(len(bigrams.sequence), 1)
    columns["s_run_chars"] = run
    said = (tf.sum(axis=1) if q else np.zeros(n))
    columns["s_new_share"] = 1 - np.minimum(said, bigram_counts) / np.maximum(bigram_counts, 1)
    heading_keys, heading_owner = candidates.heading_keys, candidates.heading_owner
    heading_present = np.zeros((n_passages, q), bool)
    if q and len(heading_keys):
        position = np.minimum(np.searchsorted(bigrams.keys, heading_keys), q - 1)
        hit = bigrams.keys[position] == heading_keys
        heading_present[heading_owner[hit], position[hit]] = True
    columns["title_bigram_cov"] = _coverage(heading_present, bigram_weights)[groups]
    columns["s_wh_cov"] = _coverage(present, bigram_weights * bigrams.near_wh)
    wh_weights = bigram_weights * bigrams.near_wh
    columns["n_wh_cov"] = _coverage(near, wh_weights)
    columns["p_wh_cov"] = _coverage(in_passage, wh_weights)
    best_wh = np.maximum.reduceat(columns["s_wh_cov"], passage_starts) if n else np.zeros(0)
    columns["s_wh_gap"] = columns["s_wh_cov"] - np.repeat(best_wh, sizes)
    for name, index in (("s_wh_before", bigrams.before_wh), ("s_wh_after", bigrams.after_wh)):
        columns[name] = present[:, index].astype(np.float64) if index >= 0 else np.zeros(n)
    points, starts = sentence_points(candidates.text, n)
    columns.update(wh_context(question, points, starts))
    columns["s_pronoun"] = opens_with_pronoun(points, starts)
    columns["s_common_chars"], columns["s_common_idf"] = common_stretch(
        asked, keys, owner, n, channels, match)
    # What the question asks besides its passage's title (the subject every sentence of
    # the passage shares): said by this sentence.
    untitled = ~heading_present[groups]
    room = untitled @ bigram_weights
    columns["s_untitled_cov"] = np.where(
        room > 0, (present & untitled) @ bigram_weights / np.maximum(room, 1e-9), 0.0)
    # Against the other sentences of its article (a long one is cut into several passages).
    numbers: dict[str, int] = {}
    article = np.fromiter((numbers.setdefault(p.path, len(numbers)) for p in candidates.passages),
                          np.int64, len(candidates.passages))[groups]
    columns["s_article_rank"], columns["s_article_gap"] = _rank_within(own, article)
    columns["s_title_cov"] = _title_coverage(
        keys, owner, groups, heading_keys, heading_owner)

    columns["s_chars"] = candidates.chars
    columns["s_position"] = candidates.positions
    columns["s_last"] = (after == np.arange(n)).astype(np.float64)

    # The hand-written score's parts.
    columns["h_score"] = hand.score
    columns["h_score_gap"] = hand.score - (hand.score.max() if n else 0.0)
    columns["h_own"] = hand.own
    columns["h_around"] = hand.around
    columns["h_passage"] = hand.passage_coverage
    columns["h_topic"] = hand.topic
    columns["h_grounded"] = hand.grounded
    columns["h_focus_missing"] = hand.focus_missing
    columns["h_figure_fit"] = hand.figure_fit
    columns["h_sentence_time"] = hand.sentence_time
    columns["h_passage_time"] = hand.passage_time
    columns["h_other_year"] = hand.other_year

    # What the sentence names that the question does not.
    new = np.ones(len(candidates.name_ids), bool)
    for asked in words.known({w.text for w in question.words}).tolist():  # a few words
        new &= candidates.name_ids != asked
    named = np.zeros((n, 4))  # person, place, organisation, other noun
    named[candidates.name_owner[new], candidates.name_kinds[new]] = 1
    columns["s_person"], columns["s_place"] = named[:, 0], named[:, 1]
    columns["s_org"], columns["s_noun"] = named[:, 2], named[:, 3]
    columns["s_time"] = candidates.dated
    columns["s_quantity"] = candidates.quantities
    columns["s_digit"] = candidates.digits
    fit = {
        "person": columns["s_person"], "place": columns["s_place"], "time": columns["s_time"],
        "number": np.maximum(columns["s_quantity"], columns["s_digit"]),
        "thing": np.maximum(columns["s_noun"], columns["s_org"]),
    }
    columns["type_fit"] = fit.get(question.answer_type, np.ones(n))

    word_mass = max(float(term_weights.sum()), 1e-9)
    bigram_mass = max(float(bigram_weights.sum()), 1e-9)
    for name in _BY_WORD_MASS:
        columns[name] = columns[name] / word_mass
    for name in _BY_BIGRAM_MASS:
        columns[name] = columns[name] / bigram_mass

    matrix = np.empty((n, len(FEATURES)), np.float32)
    for index, name in enumerate(FEATURES):
        matrix[:, index] = columns[name]
    return matrix


SHORTLIST = 20  # best candidates by each of SHORTLIST_BY that the ranker scores
SHORTLIST_BY = ("h_score", "s_bigram_bm25", "s_word_bm25")


def shortlist(features: np.ndarray, size: int = SHORTLIST) -> np.ndarray:
    """Rows the ranker scores, in their original order: the union of the `size` best by each
    of the cheap scores in SHORTLIST_BY (measured: keeps a right sentence for 99.3% of the
    public questions that have one, with a quarter of the candidates)."""
    if len(features) <= size:
        return np.arange(len(features))
    keep = np.zeros(len(features), bool)
    for name in SHORTLIST_BY:
        column = features[:, FEATURES.index(name)]
        keep[np.argsort(-column, kind="stable")[:size]] = True
    return np.flatnonzero(keep)
