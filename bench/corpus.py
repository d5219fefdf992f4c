"""Synthetic corpora grown from a seed corpus, for the benchmarks.

A real archive repeats the style of its articles but keeps meeting new words
and new numbers, so its vocabulary grows with its size. A passage here is 2-6
sentences drawn at random from the seed, with every number replaced by a
random one and a few random words of jieba's dictionary added; the number of
words per passage sets how fast the vocabulary grows (see `WORDS_PER_PASSAGE`).
Everything is drawn from one seeded generator, so a size and a seed always
give the same files, and a corpus already on disk is reused.
"""

from __future__ import annotations

import json
import logging
import random
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import jieba

from index.read import list_corpus, read_paragraphs
from index.split import MAX_PASSAGE_CHARS, SENTENCE_ENDS, is_heading, split_sentences

logger = logging.getLogger(__name__)

# Bump when the generator changes, so that corpora on disk are regenerated.
GENERATOR_VERSION = 1
PASSAGES_PER_FILE = 1000
SENTENCES_PER_PASSAGE = (2, 6)
# Random dictionary words per passage, tuned so that the store's `terms` grow like a
# real archive's: about 60k at 10k passages, 300k at 100k, 420k at 1M (see README).
WORDS_PER_PASSAGE = 3.9
DEFAULT_SEED = 20241128
# A file's passages are cut into windows longer than this, which would add passages.
_MAX_CHARS = MAX_PASSAGE_CHARS - 40
_MANIFEST = ".manifest.json"  # hidden, so the index does not read it as an article
_DIGITS = re.compile(r"\d+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class SyntheticCorpus:
    """A generated corpus folder and what it holds."""

    path: Path
    passages: int
    files: int
    bytes: int
    chars: int
    seed: int
    words_per_passage: float
    seed_dir: str
    version: int = GENERATOR_VERSION


def load_seed_sentences(seed_dir: Path) -> list[str]:
    """Distinct prose sentences of the seed corpus, in corpus order (headings left out)."""
    sentences: dict[str, None] = {}
    for file in list_corpus(seed_dir):
        for paragraph in read_paragraphs(file.path):
            for sentence in split_sentences(paragraph.text):
                text = sentence.text
                if 8 <= len(text) <= _MAX_CHARS // 2 and _HAN.search(text):
                    sentences[text] = None
    if not sentences:
        raise ValueError(f"no sentences found in the seed corpus {seed_dir}")
    return list(sentences)


def load_dictionary_words() -> list[str]:
    """Every word of jieba's own dictionary (about 350k), as written there."""
    with jieba.get_dict_file() as handle:
        lines = handle.read().decode("utf-8").splitlines()
    return [word for line in lines if (word := line.split(" ", 1)[0]) and word.isprintable()]


def _random_number(match: re.Match[str], rng: random.Random) -> str:
    """A random number with as many digits as the one it replaces."""
    digits = len(match.group())
    if digits == 1:
        return str(rng.randrange(10))
    return str(rng.randrange(10 ** (digits - 1), 10**digits))


def _add_words(sentence: str, words: list[str]) -> str:
    """Insert `words` as a clause before the sentence's final punctuation."""
    body = sentence.rstrip(SENTENCE_ENDS + "”’」』）)】]》〉\"'")
    return f"{body}，{'、'.join(words)}{sentence[len(body):]}"


def make_passage(
    rng: random.Random, sentences: list[str], words: list[str], words_per_passage: float
) -> str:
    """One line of prose: random seed sentences, fresh numbers, a few dictionary words."""
    count = rng.randint(*SENTENCES_PER_PASSAGE)
    chosen = [rng.choice(sentences)]
    length = len(chosen[0])
    while len(chosen) < count:
        sentence = rng.choice(sentences)
        if length + len(sentence) > _MAX_CHARS:
            break
        chosen.append(sentence)
        length += len(sentence)
    extra = int(words_per_passage) + (rng.random() < words_per_passage % 1)
    if extra:
        where = rng.randrange(len(chosen))
        chosen[where] = _add_words(chosen[where], [rng.choice(words) for _ in range(extra)])
    passage = _DIGITS.sub(lambda match: _random_number(match, rng), "".join(chosen))
    # A short line without final punctuation would be read as a heading.
    return passage + "。" if is_heading(passage) else passage


def _read_manifest(out_dir: Path) -> SyntheticCorpus | None:
    """The corpus generated in `out_dir`, at `out_dir` wherever it was generated: a copied
    folder must be ingested (and get its not-text file) where it is, not where it came from."""
    try:
        data = json.loads((out_dir / _MANIFEST).read_text(encoding="utf-8"))
        return SyntheticCorpus(**{**data, "path": out_dir})
    except (OSError, ValueError, TypeError, KeyError):
        return None


def generate_corpus(
    seed_dir: Path,
    out_dir: Path,
    passages: int,
    *,
    seed: int = DEFAULT_SEED,
    words_per_passage: float = WORDS_PER_PASSAGE,
) -> SyntheticCorpus:
    """Write `passages` passages as files of PASSAGES_PER_FILE lines under `out_dir`.

    Reuses the folder when its manifest says it was generated with the same
    arguments by this generator; otherwise it is emptied and written again.
    """
    seed_source = str(Path(seed_dir).resolve())
    wanted = (passages, seed, words_per_passage, seed_source, GENERATOR_VERSION)
    existing = _read_manifest(out_dir)
    if existing and (
        existing.passages, existing.seed, existing.words_per_passage, existing.seed_dir,
        existing.version,
    ) == wanted:
        logger.info("reusing %s", out_dir)
        return existing
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    rng = random.Random(seed)
    sentences = load_seed_sentences(seed_dir)
    words = load_dictionary_words()
    total_bytes = total_chars = files = 0
    for start in range(0, passages, PASSAGES_PER_FILE):
        files += 1
        lines = [f"合成新闻第{files}卷"]
        lines += [
            make_passage(rng, sentences, words, words_per_passage)
            for _ in range(min(PASSAGES_PER_FILE, passages - start))
        ]
        text = "\n".join(lines) + "\n"
        data = text.encode("utf-8")
        (out_dir / f"{files:05d}.txt").write_bytes(data)
        total_bytes += len(data)
        total_chars += len(text)
    corpus = SyntheticCorpus(
        path=out_dir,
        passages=passages,
        files=files,
        bytes=total_bytes,
        chars=total_chars,
        seed=seed,
        words_per_passage=words_per_passage,
        seed_dir=seed_source,
    )
    manifest = {**asdict(corpus), "path": str(out_dir)}
    (out_dir / _MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return corpus
