"""Building and updating the store, atomically.

`build_index` is the one reindex: the CLI and the bot's /reindex both call
it. It builds the new store in a file beside the old one and swaps it in
with one rename, so readers always see a whole index and a crash leaves the
old one serving. A lock file keeps two reindexes from running at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import multiprocessing
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import sqlite_utils

from index.aliases import OPERATOR_FILE
from index.bigrams import BigramBuilder, BigramPostings
from index.figures.rules import figure_rules_digest
from index.ingest import FileTerms, IngestedFile, IngestedPassage, file_digest, ingest_file
from index.pinyin import pinyin_key
from index.postings import Postings, PostingsBuilder
from index.read import USERDICT_FILE, CorpusFile, UnreadableFile, list_corpus
from index.segment import DEFAULT_HMM, DEFAULT_MODE, Segmenter, describe_segmenter
from index.sentence_table import SentenceTable, SentenceTableBuilder
from index.store import (
    SCHEMA_VERSION,
    StoredPassage,
    StoreError,
    check_store,
    create_indexes,
    create_schema,
    new_mapped_path,
    read_meta,
    read_stored_passages,
    record_mapped,
    remove_unused_mapped,
    write_bigram_postings,
    write_mapped,
    write_meta,
    write_passage_copies,
    write_postings,
)
from index.weights import bm25_weights
from index.workers import die_with_parent, stop_pool, terminate_as_interrupt

logger = logging.getLogger(__name__)

# Corpora larger than this many bytes to (re)read are segmented by worker processes.
PARALLEL_BYTES = 4 * 1024 * 1024
# A larger file is read and inserted as a stream by the building process itself:
# a worker would hold all its rows and send them back in one piece.
STREAM_BYTES = 16 * 1024 * 1024
# Rows are inserted once a file has given this many sentences.
INSERT_BATCH_ROWS = 20_000


class IndexBusy(StoreError):
    """Another reindex of the same store is running."""


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str
    # The content itself is unreadable (not text): the same bytes will be skipped again.
    lasting: bool = False


@dataclass(frozen=True)
class BuildProgress:
    done: int
    total: int
    path: str


@dataclass(frozen=True)
class IndexSummary:
    """What a reindex did; the CLI prints it and the bot sends it."""

    added: int
    changed: int
    removed: int
    unchanged: int
    skipped: tuple[SkippedFile, ...]
    documents: int
    passages: int
    sentences: int
    figures: int
    articles: tuple[tuple[str, tuple[str, ...]], ...]  # (title, section headings) per article
    seconds: float
    chars: int
    chars_per_second: float
    rebuilt: bool
    # One line each: records, lines or markup skipped or mended inside files that were read.
    warnings: tuple[str, ...] = ()


@contextmanager
def _lock(db_path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the store, or raise IndexBusy at once."""
    lock_path = db_path.with_name(db_path.name + ".lock")
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexBusy(
                f"another reindex of {db_path} is running; try again when it ends"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def segmenter_options(corpus_dir: Path, *, mode: str, hmm: bool) -> dict:
    """Segmenter arguments for a corpus: its userdict.txt and synonyms.txt when present."""
    files = {"userdict": corpus_dir / USERDICT_FILE, "synonyms": corpus_dir / OPERATOR_FILE}
    present = {key: path.resolve() if path.is_file() else None for key, path in files.items()}
    return {"mode": mode, "hmm": hmm, **present}


def _existing_documents(
    db_path: Path, segmenter: dict, full: bool
) -> tuple[dict[str, dict], dict[str, list]] | None:
    """Documents of a current store keyed by path, and the files it recorded as unreadable
    (path -> [size, mtime_ns, reason]); None when it must be rebuilt."""
    if full or not db_path.is_file():
        return None
    try:
        db = sqlite_utils.Database(db_path)
        try:
            meta = read_meta(db)
            check_store(meta, segmenter)
            return {row["path"]: row for row in db["documents"].rows}, meta.get("unreadable", {})
        finally:
            db.close()
    except (StoreError, sqlite3.DatabaseError) as error:  # a damaged or foreign file is rebuilt
        logger.warning("rebuilding %s from scratch: %s", db_path, error)
        return None


_worker_segmenter: Segmenter | None = None


def _start_worker(options: dict, parent_pid: int) -> None:
    global _worker_segmenter
    die_with_parent(parent_pid)
    _worker_segmenter = Segmenter(**options)


def _ingest_in_worker(file: CorpusFile) -> IngestedFile | SkippedFile:
    assert _worker_segmenter is not None
    return _ingest_or_skip(file, _worker_segmenter)


# What skips one file (by name, with the reason) instead of aborting the build.
_FILE_ERRORS = (UnreadableFile, OSError, RecursionError, MemoryError, ValueError)


def _skip_reason(error: BaseException) -> str:
    if isinstance(error, UnreadableFile):
        return str(error)
    if isinstance(error, OSError):
        return f"cannot read: {error.strerror or error}"
    return f"cannot index: {type(error).__name__}: {error}"


def _ingest_or_skip(
    file: CorpusFile, segmenter: Segmenter, *, stream: bool = False
) -> IngestedFile | SkippedFile:
    try:
        return ingest_file(file.path, file.relative, file.mtime_ns, segmenter, stream=stream)
    except _FILE_ERRORS as error:
        return SkippedFile(file.relative, _skip_reason(error), isinstance(error, UnreadableFile))


def _ingest_all(
    files: list[CorpusFile],
    options: dict,
    progress: Callable[[BuildProgress], None] | None,
    workers: int | None,
) -> Iterator[IngestedFile | SkippedFile]:
    """Ingest files in order, in worker processes when there is enough to do."""
    total = len(files)
    workers = workers or min(os.cpu_count() or 1, 8)
    parallel = workers > 1 and len(files) > 1 and sum(f.size for f in files) >= PARALLEL_BYTES
    if parallel:
        # Spawned, not forked: the bot reindexes from a thread, and a fork taken while
        # another thread holds a lock (logging's, say) can hang the child.
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(options, os.getpid()),
        )
        # Files too big to send back whole are streamed by this process instead.
        large = [f for f in files if f.size > STREAM_BYTES]
        finished = False
        try:
            small = [f for f in files if f not in large]
            results = pool.map(_ingest_in_worker, small, chunksize=1)
            segmenter = Segmenter(**options) if large else None
            for done, file in enumerate(files, 1):
                if segmenter and file in large:
                    result = _ingest_or_skip(file, segmenter, stream=True)
                else:
                    result = next(results)
                yield result
                if progress:
                    progress(BuildProgress(done, total, file.relative))
            finished = True
        finally:
            if finished:
                pool.shutdown()
            else:  # cancelled or failed: do not wait for the rest of the queue
                stop_pool(pool)
        return
    segmenter = Segmenter(**options)
    for done, file in enumerate(files, 1):
        yield _ingest_or_skip(file, segmenter, stream=True)
        if progress:
            progress(BuildProgress(done, total, file.relative))


def _next_id(db: sqlite_utils.Database, table: str) -> int:
    return (db.execute(f"select max(id) from {table}").fetchone()[0] or 0) + 1


def _delete_documents(db: sqlite_utils.Database, ids: list[int]) -> None:
    for document_id in ids:
        for table in ("figures", "sentences", "passages"):
            db[table].delete_where("document_id = ?", [document_id])
        db["documents"].delete(document_id)


def _insert_rows(db: sqlite_utils.Database, table: str, rows: list[tuple]) -> None:
    """Bulk insert in column order; plain executemany, several times faster than insert_all."""
    if rows:
        marks = ",".join("?" * len(rows[0]))
        db.conn.executemany(f"insert into [{table}] values ({marks})", rows)


def _insert_document(
    db: sqlite_utils.Database, ingested: IngestedFile, now: str, postings: _CorpusPostings
) -> int:
    """Insert one file's rows, in batches as its passages come; return its characters.

    Columns are in the order `create_schema` declares them. A stream that
    fails part-way (the error is raised) leaves none of its rows behind.
    Once the file is in, its passages go to `postings`.
    """
    document_id = _next_id(db, "documents")
    ids = {table: _next_id(db, table) for table in ("passages", "sentences", "figures")}
    batch: dict[str, list[tuple]] = {"passages": [], "sentences": [], "figures": []}
    articles: dict[str, None] = {}
    chars = 0
    stored: list[StoredPassage] = []
    try:
        for position, passage in enumerate(ingested.passages):
            articles[passage.article] = None
            chars += len(passage.text)
            stored.append(StoredPassage(
                passage_id=ids["passages"], article=passage.article, section=passage.section,
                path=ingested.relative,
                tokens=passage.tokens, folded=passage.folded,
                first_sentence_id=ids["sentences"], sentences=passage.sentences,
            ))
            _add_passage_rows(batch, ids, document_id, position, passage)
            if len(batch["sentences"]) >= INSERT_BATCH_ROWS:
                _insert_batch(db, batch)
        _insert_batch(db, batch)
    except _FILE_ERRORS:
        with db.conn:
            for table in ("figures", "sentences", "passages"):
                db[table].delete_where("document_id = ?", [document_id])
        raise
    document = (
        document_id, ingested.relative, ingested.sha256, ingested.size, ingested.mtime_ns,
        next(iter(articles), ""), len(articles), now,
    )
    with db.conn:
        _insert_rows(db, "documents", [document])
    postings.add_file(stored, ingested.terms)
    return chars


def _add_passage_rows(
    batch: dict[str, list[tuple]],
    ids: dict[str, int],
    document_id: int,
    position: int,
    passage: IngestedPassage,
) -> None:
    """Append the rows of one passage, its sentences and figures; `ids` holds the next ids."""
    passage_id = ids["passages"]
    batch["passages"].append(
        (
            passage_id, document_id, position, passage.article, passage.section,
            passage.text, passage.tokens, passage.length, passage.key,
            passage.citation.url, passage.citation.outlet, passage.citation.published,
        )
    )
    ids["passages"] += 1
    first_sentence = ids["sentences"]
    batch["sentences"] += (
        (first_sentence + sentence_position, passage_id, document_id, sentence_position, *row)
        for sentence_position, row in enumerate(passage.sentences)
    )
    ids["sentences"] += len(passage.sentences)
    first_figure = ids["figures"]
    batch["figures"] += (
        (first_figure + index, first_sentence + sentence_position, document_id, *rest)
        for index, (sentence_position, *rest) in enumerate(passage.figures)
    )
    ids["figures"] += len(passage.figures)


def _insert_batch(db: sqlite_utils.Database, batch: dict[str, list[tuple]]) -> None:
    with db.conn:
        for table, rows in batch.items():
            _insert_rows(db, table, rows)
            rows.clear()


def _copy_digest(folded: str) -> bytes:
    """What finds a copy of a passage: its normalised text without whitespace, hashed."""
    return hashlib.blake2b("".join(folded.split()).encode("utf-8", "replace"),
                           digest_size=16).digest()


class _CorpusPostings:
    """Vocabulary, postings and the sentence table, fed each passage in id order as the
    build inserts it, so that tokens are numbered while the workers read on rather than
    all at the end.

    A passage with the same normalised text as an earlier one (a file copied twice, a
    syndicated article) is left out, and remembered as a copy of the first: answers
    show the sentence once and name every source.
    """

    def __init__(self) -> None:
        self._first_with: dict[bytes, int] = {}
        self._kept: list[int] = []
        self._copies: list[tuple[int, int]] = []
        self._terms = PostingsBuilder()
        self._bigrams = BigramBuilder()
        self._sentences = SentenceTableBuilder()
        self._pinyin: list[str | None] = []  # pinyin_key of each term, in term order

    def add(self, passage: StoredPassage) -> None:
        """Add a passage (the sentences' first id, and their rows as the store keeps them)."""
        first = self._first_with.setdefault(_copy_digest(passage.folded), passage.passage_id)
        if first != passage.passage_id:
            self._copies.append((passage.passage_id, first))
            return
        self._kept.append(passage.passage_id)
        self._keep(passage, self._terms.add(passage.tokens.split()))
        self._read_new_terms()

    def _keep(self, passage: StoredPassage, token_ids: np.ndarray) -> None:
        self._sentences.add(passage.first_sentence_id, token_ids, passage.sentences,
                            passage.folded, passage.article, passage.section, passage.path)
        self._bigrams.add(passage.folded)

    def add_file(self, passages: list[StoredPassage], terms: FileTerms | None) -> None:
        """Add a file's passages, as `add` would one by one; with `terms`, the file's tokens
        numbered by the worker that read it, which spares splitting and looking up each."""
        digests = [_copy_digest(p.folded) for p in passages]
        first_with = self._first_with
        if (terms is None or len(set(digests)) < len(digests)
                or any(d in first_with for d in digests)):
            for passage in passages:  # no numbering, or a copy among them: one by one
                self.add(passage)
            return
        token_ids = self._terms.add_numbered(terms.terms, terms.ids, terms.lengths)
        ends = np.cumsum(terms.lengths).tolist()
        for passage, digest, end, length in zip(passages, digests, ends,
                                                terms.lengths.tolist(), strict=True):
            first_with[digest] = passage.passage_id
            self._kept.append(passage.passage_id)
            self._keep(passage, token_ids[end - length:end])
        self._read_new_terms()

    def _read_new_terms(self) -> None:
        """Pinyin keys of the terms numbered so far, while workers read (not after)."""
        self._pinyin += map(pinyin_key, self._terms.take_new_terms())

    def add_stored(self, db: sqlite_utils.Database) -> None:
        """Add the passages already in the store (those kept from the previous build)."""
        for passage in read_stored_passages(db):
            self.add(passage)

    def write(self, db: sqlite_utils.Database, word_tag: Callable[[str], str]
              ) -> tuple[Postings, BigramPostings, SentenceTable]:
        """Replace the store's vocabulary, postings and copies with these; return both
        channels' postings (to be weighed without reading them back) and the sentence
        table (`word_tag` types its words)."""
        # The channels are finished side by side (numpy's sorts let go of the GIL): this
        # is the build's serial end, and the workers no longer use the cores.
        with ThreadPoolExecutor(2) as pool:
            finishing = pool.submit(self._bigrams.finish)
            postings = self._terms.finish()
            table = pool.submit(self._sentences.finish, postings.terms, word_tag)
            write_postings(db, postings, np.asarray(self._kept, dtype=np.int64), self._pinyin)
            bigrams = finishing.result()
            write_bigram_postings(db, bigrams)
            write_passage_copies(db, self._copies)
            return postings, bigrams, table.result()


def _write_mapped(path: Path, postings: Postings, bigrams: BigramPostings,
                  sentences: SentenceTable) -> dict[str, dict]:
    """Weigh both channels' postings (BM25) and write them, with what finds a term's row
    and the sentence table, as the store's mapped arrays at `path`; return their layout."""
    arrays: dict[str, np.ndarray] = {}
    for channel, built in (("postings", postings), ("bigram", bigrams)):
        indptr, columns = built.indptr.astype(np.int64), built.columns.astype(np.int32)
        weights, idf = bm25_weights(indptr, columns, built.tf, built.lengths)
        arrays |= {f"{channel}_indptr": indptr, f"{channel}_columns": columns,
                   f"{channel}_weights": weights, f"{channel}_idf": idf}
    arrays["bigram_keys"] = bigrams.keys
    return write_mapped(path, arrays | sentences.to_arrays())


def _articles(db: sqlite_utils.Database) -> list[dict]:
    """Article titles with their section headings, in corpus order."""
    articles: dict[tuple[str, str], list[str]] = {}
    query = "select d.path, p.article, p.section from passages p join documents d "
    query += "on d.id = p.document_id order by d.path, p.position"
    for path, article, section in db.execute(query):
        sections = articles.setdefault((path, article), [])
        if section and section not in sections:
            sections.append(section)
    return [
        {"path": path, "title": title, "sections": sections}
        for (path, title), sections in articles.items()
    ]


def _count(db: sqlite_utils.Database, table: str) -> int:
    return db.execute(f"select count(*) from {table}").fetchone()[0]


def _remove_stale_builds(db_path: Path) -> None:
    """Delete half-built stores left by a crashed or killed reindex (we hold the lock)."""
    for stale in db_path.parent.glob(f".{db_path.name}.building-*"):
        logger.warning("removing unfinished build %s", stale)
        stale.unlink(missing_ok=True)


def build_index(
    corpus_dir: Path,
    db_path: Path,
    *,
    full: bool = False,
    mode: str = DEFAULT_MODE,
    hmm: bool = DEFAULT_HMM,
    progress: Callable[[BuildProgress], None] | None = None,
    workers: int | None = None,
) -> IndexSummary:
    """Build or update the store at `db_path` from the articles in `corpus_dir`.

    Incremental unless `full`: unchanged files (same size and mtime, or same
    content hash) are not read again, changed files are replaced and deleted
    ones removed. Raises IndexBusy when another reindex holds the store, and
    FileNotFoundError when the corpus folder does not exist.
    """
    started = time.perf_counter()
    corpus_dir = Path(corpus_dir)
    db_path = Path(db_path)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder {corpus_dir} does not exist")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    options = segmenter_options(corpus_dir, mode=mode, hmm=hmm)
    segmenter_settings = asdict(describe_segmenter(**options))

    with terminate_as_interrupt(), _lock(db_path):
        _remove_stale_builds(db_path)
        remove_unused_mapped(db_path)
        files = list_corpus(corpus_dir)
        found = _existing_documents(db_path, segmenter_settings, full)
        rebuilt = found is None
        existing, unreadable = found or ({}, {})
        current = {f.relative for f in files}
        removed = [row["id"] for path, row in existing.items() if path not in current]
        unchanged: list[CorpusFile] = []
        to_read: list[CorpusFile] = []
        touched: list[tuple[int, CorpusFile]] = []
        # Files found unreadable before and not modified since are not read again.
        still_unreadable: list[SkippedFile] = []
        for file in files:
            row = existing.get(file.relative)
            known = unreadable.get(file.relative)
            if row is None and known is not None and known[:2] == [file.size, file.mtime_ns]:
                still_unreadable.append(SkippedFile(file.relative, known[2], lasting=True))
            elif row is None:
                to_read.append(file)
            elif row["size"] == file.size and row["mtime_ns"] == file.mtime_ns:
                unchanged.append(file)
            elif row["size"] == file.size and row["sha256"] == file_digest(file.path)[0]:
                unchanged.append(file)
                touched.append((row["id"], file))
            else:
                to_read.append(file)
        changed = sum(1 for f in to_read if f.relative in existing)
        for skip in still_unreadable:
            logger.warning("skipped %s: %s", skip.path, skip.reason)

        if not rebuilt and not to_read and not removed:
            if touched:
                db = sqlite_utils.Database(db_path)
                with db.conn:
                    for document_id, file in touched:
                        db["documents"].update(document_id, {"mtime_ns": file.mtime_ns})
                db.close()
            return _summary(
                db_path, started, 0, 0, 0, len(unchanged), tuple(still_unreadable), 0,
                rebuilt=False,
            )

        building = db_path.with_name(f".{db_path.name}.building-{os.getpid()}")
        mapped = new_mapped_path(db_path)
        try:
            if rebuilt:
                db = sqlite_utils.Database(building)
                create_schema(db)
            else:
                shutil.copyfile(db_path, building)
                db = sqlite_utils.Database(building)
            skipped: list[SkippedFile] = []
            warnings: list[str] = []
            chars = 0
            now = datetime.now(UTC).isoformat(timespec="seconds")
            # The build file is thrown away on any failure, so it needs no journal.
            db.execute("pragma journal_mode = off")
            db.execute("pragma synchronous = off")
            replaced = [existing[f.relative]["id"] for f in to_read if f.relative in existing]
            _delete_documents(db, removed + replaced)
            for document_id, file in touched:
                db["documents"].update(document_id, {"mtime_ns": file.mtime_ns})
            if progress:  # early, before workers start and jieba loads (a second or two)
                progress(BuildProgress(0, len(to_read), to_read[0].relative if to_read else ""))
            postings = _CorpusPostings()
            postings.add_stored(db)
            # Closed on any failure, so that the workers stop at once.
            with closing(_ingest_all(to_read, options, progress, workers)) as results:
                for result in results:
                    if not isinstance(result, SkippedFile):
                        try:
                            chars += _insert_document(db, result, now, postings)
                        except _FILE_ERRORS as error:  # a streamed file failed part-way
                            result = SkippedFile(result.relative, _skip_reason(error))
                    if isinstance(result, SkippedFile):
                        logger.warning("skipped %s: %s", result.path, result.reason)
                        skipped.append(result)
                        continue
                    for warning in result.warnings:
                        logger.warning("%s", warning)
                    warnings += result.warnings
            written = postings.write(db, Segmenter(**options).word_tag)
            # The arrays are weighed and written (numpy and file writes, which let go of
            # the GIL) while SQLite makes the indexes and counts what the meta records:
            # 12.7, 9.0 and 2.7 s one after the other at a million passages.
            with ThreadPoolExecutor(1) as pool:
                layout = pool.submit(_write_mapped, mapped, *written)
                if rebuilt:
                    create_indexes(db)
                contents = {table: _count(db, table)
                            for table in ("documents", "passages", "sentences", "figures")}
                contents["articles"] = _articles(db)
                record_mapped(db, mapped, layout.result())
            sizes = {f.relative: [f.size, f.mtime_ns] for f in files}
            write_meta(
                db,
                {
                    "schema_version": SCHEMA_VERSION,
                    "figure_rules": figure_rules_digest(),
                    "segmenter": segmenter_settings,
                    "corpus_dir": str(corpus_dir.resolve()),
                    "segmenter_options": {
                        key: str(value) if isinstance(value, Path) else value
                        for key, value in options.items()
                    },
                    "built_at": now,
                    "build_seconds": round(time.perf_counter() - started, 3),
                    **contents,
                    "unreadable": {
                        skip.path: [*sizes[skip.path], skip.reason]
                        for skip in [*skipped, *still_unreadable]
                        if skip.lasting
                    },
                },
            )
            db.close()
            os.replace(building, db_path)
        except BaseException:
            building.unlink(missing_ok=True)
            mapped.unlink(missing_ok=True)
            raise
        remove_unused_mapped(db_path)
        added = sum(1 for f in to_read if f.relative not in existing)
        added -= sum(1 for s in skipped if s.path not in existing)
        return _summary(
            db_path,
            started,
            added,
            changed,
            len(removed),
            len(unchanged),
            tuple(skipped + still_unreadable),
            chars,
            rebuilt=rebuilt,
            warnings=tuple(warnings),
        )


def _summary(
    db_path: Path,
    started: float,
    added: int,
    changed: int,
    removed: int,
    unchanged: int,
    skipped: tuple[SkippedFile, ...],
    chars: int,
    *,
    rebuilt: bool,
    warnings: tuple[str, ...] = (),
) -> IndexSummary:
    db = sqlite_utils.Database(db_path)
    meta = read_meta(db)
    db.close()
    seconds = time.perf_counter() - started
    return IndexSummary(
        added=added,
        changed=changed,
        removed=removed,
        unchanged=unchanged,
        skipped=skipped,
        documents=meta["documents"],
        passages=meta["passages"],
        sentences=meta["sentences"],
        figures=meta["figures"],
        articles=tuple((a["title"], tuple(a["sections"])) for a in meta["articles"]),
        seconds=seconds,
        chars=chars,
        chars_per_second=chars / seconds if seconds > 0 else 0.0,
        rebuilt=rebuilt,
        warnings=warnings,
    )
