"""`python -m bench.run`: build synthetic corpora, index them, measure, print tables.

    python -m bench.run --quick                      # 10k passages, under two minutes
    python -m bench.run                              # 10k, 100k and 1M (about 30 minutes)
    python -m bench.run --sizes 100k --json out.json

Corpora and stores go to the scratch folder (default /tmp/wenda-bench) and
are reused by later runs when nothing changed. The reference (rank_bm25) is
measured in the same run, since absolute times drift on shared machines.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sqlite3
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.corpus import DEFAULT_SEED, WORDS_PER_PASSAGE, SyntheticCorpus, generate_corpus
from bench.measure import Latency, store_size_bytes, summarise_ms
from bench.reference import load_passage_tokens, measure_reference_in_child
from index import build_index
from index.postings import build_postings
from index.segment import Segmenter

logger = logging.getLogger("bench")

REPO = Path(__file__).resolve().parent.parent
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
QUESTIONS_FILE = Path(__file__).with_name("questions.txt")
RANDOM_QUERIES = 100
TOP_K = 10
PARITY_TOLERANCE = 1e-9
MB = 1_000_000
# Written beside the generated files while ingesting, and removed after.
UNREADABLE_FILE = "zz-not-text.txt"


@dataclass
class SizeReport:
    """Everything measured at one corpus size (plain data, written to JSON as is)."""

    size: str
    passages: int
    files: int
    corpus_mb: float
    generate_s: float
    ingest_s: float = 0.0
    ingest_chars_per_s: float = 0.0
    ingest_mb_per_s: float = 0.0
    reindex_unchanged_s: float = 0.0
    postings_s: float = 0.0
    terms: int = 0
    sentences: int = 0
    figures: int = 0
    store_mb: float = 0.0
    cold_start_s: float = 0.0
    cold_start_total_s: float = 0.0
    cold_start_parts: dict[str, float] = field(default_factory=dict)
    answer_all: Latency | None = None
    answer_real: Latency | None = None
    answer_random: Latency | None = None
    found_real: int = 0
    found_random: int = 0
    ranking: Latency | None = None
    peak_rss_mb: float = 0.0
    # Resident after the answers: the process's own memory and mapped index pages.
    resident_mb: dict[str, float] = field(default_factory=dict)
    reference: Latency | None = None
    reference_build_s: float = 0.0
    reference_queries: int = 0
    reference_note: str = ""
    parity_max_diff: float | None = None
    parity_mismatches: int = 0
    bot: list[dict[str, Any]] = field(default_factory=list)
    bot_note: str = ""


def read_questions() -> list[str]:
    """The 100 questions about the seed articles (bench/questions.txt)."""
    lines = QUESTIONS_FILE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def draw_word_sets(db_path: Path, count: int, seed: int) -> list[str]:
    """`count` queries of 1-4 terms drawn uniformly from the store's vocabulary."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as connection:
        terms = [term for (term,) in connection.execute("select term from terms order by id")]
    rng = random.Random(seed)
    return [" ".join(rng.sample(terms, rng.randint(1, 4))) for _ in range(count)]


def _count(db_path: Path, table: str) -> int:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as connection:
        return connection.execute(f"select count(*) from {table}").fetchone()[0]


def measure_ingest(report: SizeReport, corpus: SyntheticCorpus, db_path: Path) -> None:
    """Ingest into a fresh store, re-run on the unchanged corpus, time the postings alone.

    The corpus holds one file that is not text, as real folders do: it is
    skipped, and must not make the unchanged re-index read or rebuild anything.
    """
    for stale in (db_path, db_path.with_name(db_path.name + ".lock")):
        stale.unlink(missing_ok=True)
    unreadable = corpus.path / UNREADABLE_FILE
    unreadable.write_bytes(bytes(range(128, 256)) * 64)
    try:
        summary = build_index(corpus.path, db_path, full=True)
        report.reindex_unchanged_s = build_index(corpus.path, db_path).seconds
    finally:
        unreadable.unlink()
    report.ingest_s = summary.seconds
    report.ingest_chars_per_s = summary.chars_per_second
    report.ingest_mb_per_s = corpus.bytes / MB / summary.seconds
    report.sentences, report.figures = summary.sentences, summary.figures
    if summary.passages != corpus.passages:
        logger.warning("%d passages written, the store holds %d", corpus.passages,
                       summary.passages)
    token_lists = load_passage_tokens(db_path)
    started = time.perf_counter()
    build_postings(token_lists)
    report.postings_s = time.perf_counter() - started
    report.terms = _count(db_path, "terms")
    report.store_mb = store_size_bytes(db_path) / MB


def run_serving_process(db_path: Path, questions: list[str], tokens: list[list[str]],
                        scratch: Path) -> dict[str, Any]:
    """Start `bench.serve` in a new interpreter; its JSON result plus the total cold start."""
    job_path = scratch / "serve-job.json"
    job = {"db": str(db_path), "questions": questions, "tokens": tokens, "k": TOP_K}
    job_path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    launched = time.time()
    completed = subprocess.run(
        [sys.executable, "-m", "bench.serve", str(job_path)],
        cwd=scratch, env=env, capture_output=True, text=True, check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench.serve failed:\n{completed.stderr[-3000:]}")
    result = json.loads(completed.stdout)
    result["cold_start_total_s"] = result["first_answer_wall"] - launched
    return result


def measure_serving(report: SizeReport, db_path: Path, questions: list[str],
                    tokens: list[list[str]], scratch: Path) -> list[list[float]]:
    """Cold start, end-to-end answers, ranking stage and peak RSS; returns our top scores."""
    served = run_serving_process(db_path, questions, tokens, scratch)
    real = len(questions) - RANDOM_QUERIES
    answers = served["answer_ms"]
    report.cold_start_s = served["cold_start_s"]
    report.cold_start_total_s = served["cold_start_total_s"]
    report.cold_start_parts = {
        key: served[key] for key in ("import_s", "open_s", "first_answer_s")
    }
    report.answer_all = summarise_ms(answers)
    report.answer_real = summarise_ms(answers[:real])
    report.answer_random = summarise_ms(answers[real:])
    report.found_real = sum(served["found"][:real])
    report.found_random = sum(served["found"][real:])
    report.ranking = summarise_ms(served["ranking_ms"])
    report.peak_rss_mb = served["peak_rss_bytes"] / MB
    report.resident_mb = {k: v / MB for k, v in served.get("resident_bytes", {}).items()}
    return served["ranking_top_scores"]


def measure_reference(report: SizeReport, db_path: Path, tokens: list[list[str]],
                      ours: list[list[float]], sample: int | None) -> None:
    """rank_bm25 on the same query tokens (a seeded sample of them when `sample`)."""
    queries = list(range(len(tokens)))
    if sample is not None and sample < len(queries):
        queries = sorted(random.Random(DEFAULT_SEED).sample(queries, sample))
        report.reference_note = f"{sample} of {len(tokens)} queries sampled"
    timings = measure_reference_in_child(db_path, tokens, TOP_K, queries)
    report.reference = summarise_ms(list(timings.ms))
    report.reference_build_s = timings.build_s
    report.reference_queries = len(queries)
    diffs = []
    for index, theirs in zip(timings.queries, timings.top_scores, strict=True):
        mine = ours[index]
        if len(mine) != len(theirs):
            report.parity_mismatches += 1
            continue
        diffs += [abs(a - b) for a, b in zip(mine, theirs, strict=True)]
    report.parity_max_diff = max(diffs, default=0.0)
    report.parity_mismatches += sum(d > PARITY_TOLERANCE for d in diffs)


def measure_size(name: str, args: argparse.Namespace, segmenter: Segmenter,
                 questions: list[str]) -> SizeReport:
    """Every measurement at one corpus size."""
    passages = SIZES[name]
    logger.info("[%s] generating the corpus", name)
    started = time.perf_counter()
    corpus = generate_corpus(args.seed_corpus, args.scratch / f"corpus-{name}", passages,
                             seed=args.seed, words_per_passage=args.words_per_passage)
    report = SizeReport(size=name, passages=passages, files=corpus.files,
                        corpus_mb=corpus.bytes / MB, generate_s=time.perf_counter() - started)
    db_path = args.scratch / f"wenda-{name}.db"
    logger.info("[%s] ingesting %.1f MB in %d files", name, report.corpus_mb, corpus.files)
    measure_ingest(report, corpus, db_path)
    word_sets = draw_word_sets(db_path, RANDOM_QUERIES, args.seed)
    all_questions = questions + word_sets
    tokens = [segmenter.tokens(question) for question in all_questions]
    logger.info("[%s] serving %d questions in a new process", name, len(all_questions))
    ours = measure_serving(report, db_path, all_questions, tokens, args.scratch)
    if name in args.no_reference_at:
        report.reference_note = "skipped (--no-reference-at)"
    else:
        logger.info("[%s] measuring rank_bm25", name)
        sample = args.reference_sample if passages >= 1_000_000 else None
        measure_reference(report, db_path, tokens, ours, sample)
    if name == args.bot_at:
        measure_bot(report, db_path, corpus.path, questions, args.scratch)
    return report


def measure_bot(report: SizeReport, db_path: Path, corpus_dir: Path, questions: list[str],
                scratch: Path) -> None:
    """Bot reply latency through the emulator, or a note on why it could not run."""
    from bench.bot_latency import measure_bot_latency

    logger.info("[%s] measuring the bot's reply latency", report.size)
    try:
        levels = measure_bot_latency(db_path, corpus_dir, questions, scratch)
    except (ImportError, TimeoutError, OSError) as error:
        report.bot_note = f"not measured: {type(error).__name__}: {error}"[:300]
        logger.error("bot latency %s", report.bot_note)
        return
    report.bot = [asdict(level) for level in levels]


def _ms(latency: Latency | None) -> str:
    if latency is None or latency.n == 0:
        return "-"
    return f"p50 {latency.p50:.2f} ms, p95 {latency.p95:.2f} ms (n={latency.n})"


def format_report(report: SizeReport) -> str:
    """One size's figures as a two-column table."""
    ratio = ranking_ratio = "-"
    if report.reference and report.reference.n and report.answer_all:
        ratio = f"{report.reference.p50 / report.answer_all.p50:.0f}x (p50)"
        if report.ranking and report.ranking.p50:
            ranking_ratio = f"{report.reference.p50 / report.ranking.p50:.0f}x (p50)"
    parity = "-"
    if report.parity_max_diff is not None:
        parity = (f"max |diff| {report.parity_max_diff:.1e}, "
                  f"{report.parity_mismatches} mismatches")
    parts = report.cold_start_parts
    rows = [
        ("corpus", f"{report.passages:,} passages, {report.files} files, "
                   f"{report.corpus_mb:.1f} MB (generated in {report.generate_s:.1f} s)"),
        ("store", f"{report.terms:,} terms, {report.sentences:,} sentences, "
                  f"{report.figures:,} figures, {report.store_mb:.0f} MB on disk"),
        ("ingest (fresh store)", f"{report.ingest_s:.1f} s, "
                                 f"{report.ingest_chars_per_s / 1000:.0f}k chars/s, "
                                 f"{report.ingest_mb_per_s:.2f} MB/s"),
        ("re-index, unchanged", f"{report.reindex_unchanged_s:.2f} s (one file skipped: not text)"),
        ("postings build alone", f"{report.postings_s:.2f} s"),
        ("cold start (in process)", f"{report.cold_start_s:.2f} s = import "
                                    f"{parts.get('import_s', 0):.2f} + open "
                                    f"{parts.get('open_s', 0):.2f} + first answer "
                                    f"{parts.get('first_answer_s', 0):.2f}"),
        ("cold start (with python)", f"{report.cold_start_total_s:.2f} s"),
        ("answer, all 200", _ms(report.answer_all)),
        ("answer, 100 questions", f"{_ms(report.answer_real)}; found {report.found_real}"),
        ("answer, 100 word sets", f"{_ms(report.answer_random)}; found {report.found_random}"),
        ("ranking stage alone", _ms(report.ranking)),
        ("rank_bm25 get_scores+argsort", f"{_ms(report.reference)} {report.reference_note}"),
        ("rank_bm25 BM25Okapi build", f"{report.reference_build_s:.1f} s"),
        ("speed-up, end to end", ratio),
        ("speed-up, ranking alone", ranking_ratio),
        ("top-10 parity vs rank_bm25", parity),
        ("peak RSS, serving process", f"{report.peak_rss_mb:.0f} MB" + (
            f" (after the answers: {report.resident_mb['RssAnon']:.0f} MB its own, "
            f"{report.resident_mb['RssFile']:.0f} MB pages of mapped files)"
            if {"RssAnon", "RssFile"} <= report.resident_mb.keys() else "")),
    ]
    for level in report.bot:
        latency = Latency(**level["latency"])
        rows.append((f"bot reply, {level['chats']} chats",
                     f"{_ms(latency)}, {level['errors']} unanswered"))
    if report.bot_note:
        rows.append(("bot reply", report.bot_note))
    width = max(len(label) for label, _ in rows)
    lines = [f"== {report.size} passages ==", *(f"{label:<{width}}  {value}"
                                                for label, value in rows)]
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.split("\n")[0],
        epilog="example: python -m bench.run --quick --json /tmp/bench.json",
    )
    parser.add_argument("--quick", action="store_true", help="10k passages only (< 2 minutes)")
    parser.add_argument("--sizes", default="10k,100k,1m",
                        help="comma-separated sizes among 10k, 100k, 1m (default: all)")
    parser.add_argument("--seed-corpus", type=Path, default=REPO.parent / "shared" / "corpus",
                        help="folder of real articles to grow corpora from")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/wenda-bench"),
                        help="folder for generated corpora and stores (never the repo)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--no-reference-at", default="",
                        help="comma-separated sizes where rank_bm25 is not measured, e.g. 1m")
    parser.add_argument("--reference-sample", type=int, default=20,
                        help="queries timed with rank_bm25 at 1M passages (default 20)")
    parser.add_argument("--bot-at", default="100k",
                        help="size at which the bot's reply latency is measured ('' for none)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument("--words-per-passage", type=float, default=WORDS_PER_PASSAGE,
                        help="random dictionary words added to each passage")
    args = parser.parse_args(argv)
    sizes = ["10k"] if args.quick else [s.strip().lower() for s in args.sizes.split(",")]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]!r}; choose among {', '.join(SIZES)}")
    args.sizes = sizes
    args.no_reference_at = {s.strip().lower() for s in args.no_reference_at.split(",")}
    args.bot_at = args.bot_at.strip().lower()
    if args.scratch.resolve().is_relative_to(REPO):
        parser.error("--scratch must be outside the repository")
    if not args.seed_corpus.is_dir():
        parser.error(f"seed corpus {args.seed_corpus} is not a folder")
    return args


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s",
                        datefmt="%H:%M:%S")
    args = parse_args(argv)
    args.scratch.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    questions = read_questions()
    segmenter = Segmenter()
    reports = []
    for name in args.sizes:
        report = measure_size(name, args, segmenter, questions)
        reports.append(report)
        print(format_report(report), flush=True)
        print(flush=True)
    print(f"total {time.perf_counter() - started:.0f} s on {os.cpu_count()} cores", flush=True)
    if args.json:
        machine = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
        data = {"machine": machine, "sizes": [asdict(report) for report in reports]}
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
