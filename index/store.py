"""The SQLite store: schema, and the small readers retrieval uses.

One file holds documents, passages, sentences, figures, the vocabulary, the
BM25 postings (as numpy arrays in the `arrays` table) and a `meta` table. A
person can read it with `sqlite3` or `sqlite-utils`. Beside it, a file named
after it (`wenda.db.<token>.arrays`, named in its meta) holds the weighed
postings that answers read, laid out for mapping into memory: a new process
answers without reading them all, and touches only the rows it needs.
"""

from __future__ import annotations

import glob
import json
import os
import secrets
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sqlite_utils

from index.bigrams import BigramPostings
from index.figures.rules import figure_rules_digest
from index.normalise import fold_passage
from index.postings import Postings
from index.sliced import SlicedArray

# Bump when the tables or their meaning change: older stores are rebuilt.
SCHEMA_VERSION = 14
MAPPED_SUFFIX = ".arrays"
_MAPPED_ALIGN = 64  # bytes: every mapped array starts on a cache line


@dataclass(frozen=True)
class StoredPassage:
    """A passage as the postings and the sentence table take it, new or read back."""

    passage_id: int
    article: str
    section: str
    path: str  # of its file in the corpus
    tokens: str  # space-separated, its sentences' one after another
    folded: str  # the whole passage normalised
    first_sentence_id: int  # its sentences' ids follow on from this
    sentences: tuple[tuple, ...]  # (start, end, text, tokens, figure kinds, folded) rows


class StoreError(Exception):
    """Base of the store's errors."""


class StoreMissing(StoreError):
    """There is no store at the path; build one with `wenda index`."""


class StoreOutdated(StoreError):
    """The store was built by another schema or tokenizer; it must be rebuilt."""


def create_schema(db: sqlite_utils.Database) -> None:
    """Create the empty tables of a new store; `create_indexes` adds their indexes once they
    are filled (indexing a filled table costs less than keeping its indexes up to date)."""
    db["documents"].create(
        {
            "id": int,
            "path": str,
            "sha256": str,
            "size": int,
            "mtime_ns": int,
            "title": str,
            "articles": int,
            "indexed_at": str,
        },
        pk="id",
    )
    db["passages"].create(
        {
            "id": int,
            "document_id": int,
            "position": int,
            "article": str,
            "section": str,
            "text": str,
            "tokens": str,
            "length": int,
            "key": str,  # ingest.passage_key: finds the passage again after a reindex
            # How the article is cited (index.citation): address, outlet, ISO date or "".
            "url": str,
            "outlet": str,
            "published": str,
        },
        pk="id",
    )
    db["sentences"].create(
        {
            "id": int,
            "passage_id": int,
            "document_id": int,
            "position": int,
            "start": int,
            "end": int,
            "text": str,
            "tokens": str,
            "figure_kinds": str,
            "normalised": str,
        },
        pk="id",
    )
    db["figures"].create(
        {
            "id": int,
            "sentence_id": int,
            "document_id": int,
            "position": int,
            "start": int,
            "end": int,
            "text": str,
            "kind": str,
            "value": str,
            "unit": str,
            "qualifier": str,
            "metric": str,
            "subtype": str,
        },
        pk="id",
    )
    # A passage whose normalised text another passage (of a lower id) already has: it is
    # left out of the postings, and answers name its source beside the first one's.
    db["passage_copies"].create({"passage_id": int, "canonical_id": int}, pk="passage_id")
    db["terms"].create({"id": int, "term": str, "df": int, "pinyin": str}, pk="id")
    db["arrays"].create({"name": str, "dtype": str, "data": bytes}, pk="name")
    db["meta"].create({"key": str, "value": str}, pk="key")


def create_indexes(db: sqlite_utils.Database) -> None:
    """Index the tables `create_schema` made."""
    db["documents"].create_index(["path"], unique=True)
    db["passages"].create_index(["document_id"])
    db["passages"].create_index(["key"])
    db["sentences"].create_index(["passage_id"])
    db["sentences"].create_index(["document_id"])
    db["figures"].create_index(["sentence_id"])
    db["figures"].create_index(["document_id"])
    db["passage_copies"].create_index(["canonical_id"])
    db["terms"].create_index(["pinyin"])


def open_store(db_path: Path) -> sqlite_utils.Database:
    """Open an existing store for reading; raise StoreMissing when there is none."""
    if not db_path.is_file():
        raise StoreMissing(f"no index at {db_path}: build it with `wenda index`")
    uri = f"file:{db_path.resolve()}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
    return sqlite_utils.Database(connection)


def read_meta(db: sqlite_utils.Database) -> dict[str, Any]:
    """All meta values, decoded from JSON."""
    if "meta" not in db.table_names():
        return {}
    return {row["key"]: json.loads(row["value"]) for row in db["meta"].rows}


def write_meta(db: sqlite_utils.Database, values: dict[str, Any]) -> None:
    db["meta"].upsert_all(
        (
            {"key": key, "value": json.dumps(value, ensure_ascii=False)}
            for key, value in values.items()
        ),
        pk="key",
    )


def check_store(meta: dict[str, Any], segmenter: dict[str, Any] | None = None) -> None:
    """Raise StoreOutdated unless the store has this schema and these figure rules (and
    these tokenizer settings)."""
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise StoreOutdated(
            f"index schema {meta.get('schema_version')} is not {SCHEMA_VERSION}: rebuild it"
        )
    if meta.get("figure_rules") != figure_rules_digest():
        raise StoreOutdated("index was built with other figure rules: rebuild it")
    if segmenter is not None and meta.get("segmenter") != segmenter:
        raise StoreOutdated("index was built with other tokenizer settings: rebuild it")


def write_array(db: sqlite_utils.Database, name: str, array: np.ndarray) -> None:
    db["arrays"].upsert(
        {"name": name, "dtype": array.dtype.str, "data": np.ascontiguousarray(array).tobytes()},
        pk="name",
    )


def read_array(db: sqlite_utils.Database, name: str) -> np.ndarray:
    """A numpy array stored by `write_array` (a read-only view of the blob)."""
    row = db.execute("select dtype, data from arrays where name = ?", [name]).fetchone()
    if row is None:
        raise StoreOutdated(f"index has no {name} array: rebuild it")
    return np.frombuffer(row[1], dtype=np.dtype(row[0]))


def new_mapped_path(db_path: Path) -> Path:
    """A name no other build uses for the mapped arrays of a store to be put at `db_path`."""
    return db_path.with_name(f"{db_path.name}.{secrets.token_hex(6)}{MAPPED_SUFFIX}")


def write_mapped(path: Path, arrays: dict[str, np.ndarray]) -> dict[str, dict[str, Any]]:
    """Write `arrays` one after another (aligned) to `path`, synced; return where each lies,
    for `record_mapped`. No SQL: a build writes them while SQLite makes its indexes."""
    layout: dict[str, dict[str, Any]] = {}
    with open(path, "wb") as handle:
        for name, array in arrays.items():
            handle.write(b"\0" * (-handle.tell() % _MAPPED_ALIGN))
            data = np.ascontiguousarray(array)
            layout[name] = {"dtype": data.dtype.str, "offset": handle.tell(), "length": len(data)}
            data.tofile(handle)
        handle.flush()
        os.fsync(handle.fileno())
    return layout


def record_mapped(db: sqlite_utils.Database, path: Path, layout: dict[str, dict[str, Any]]
                  ) -> None:
    """Record in the store's meta the mapped arrays written at `path` (`path` must sit
    beside the store's final place)."""
    write_meta(db, {"mapped": {"file": path.name, "arrays": layout}})


def _arrays_file(db_path: Path, meta: dict[str, Any]) -> tuple[Path, dict[str, Any]]:
    """Where the store's arrays file is, and what its meta says about it."""
    mapped = meta.get("mapped") or {}
    return Path(db_path).with_name(str(mapped.get("file", ""))), mapped


def _damaged(path: Path) -> StoreOutdated:
    return StoreOutdated(f"the index's arrays ({path.name}) are missing or damaged: rebuild it")


def read_mapped(db_path: Path, meta: dict[str, Any]) -> dict[str, np.ndarray]:
    """The store's mapped arrays (read-only, paged in as they are touched)."""
    path, mapped = _arrays_file(db_path, meta)
    try:
        buffer = np.memmap(path, dtype=np.uint8, mode="r")
        return {
            name: np.frombuffer(buffer, dtype=np.dtype(spec["dtype"]), count=spec["length"],
                                offset=spec["offset"])
            for name, spec in mapped["arrays"].items()
        }
    except (OSError, KeyError, TypeError, ValueError):
        raise _damaged(path) from None


def mapped_bytes(meta: dict[str, Any], names: tuple[str, ...]) -> int:
    """How many bytes the store's arrays `names` take (0 for those it does not have)."""
    arrays = (meta.get("mapped") or {}).get("arrays") or {}
    return sum(int(arrays[name]["length"]) * np.dtype(arrays[name]["dtype"]).itemsize
               for name in names if name in arrays)


def read_sliced(db_path: Path, meta: dict[str, Any],
                names: tuple[str, ...]) -> dict[str, SlicedArray]:
    """The store's arrays `names`, read by slices from one open file (`index.sliced`)."""
    path, mapped = _arrays_file(db_path, meta)
    try:
        file = open(path, "rb", buffering=0)  # noqa: SIM115 - the arrays keep it open
        arrays = {}
        for name in names:
            spec = mapped["arrays"][name]
            arrays[name] = SlicedArray(file, int(spec["offset"]), np.dtype(spec["dtype"]),
                                       int(spec["length"]))
        return arrays
    except (OSError, KeyError, TypeError, ValueError):
        raise _damaged(path) from None


def copy_store(source: Path, target: Path) -> None:
    """Copy the store at `source` to `target` with its mapped arrays (an index is both
    files; the arrays keep their name, which the store's meta records)."""
    db = open_store(source)
    try:
        name = (read_meta(db).get("mapped") or {}).get("file")
    finally:
        db.close()
    if name:
        shutil.copyfile(source.with_name(name), target.with_name(name))
    shutil.copyfile(source, target)


def remove_unused_mapped(db_path: Path) -> None:
    """Delete the mapped-array files beside `db_path` that its store does not name (left by
    earlier builds, or by one that crashed). A process still answering from an old one
    keeps its mapping: the file goes when it lets go."""
    keep = ""
    if db_path.is_file():
        try:
            db = open_store(db_path)
            try:
                keep = (read_meta(db).get("mapped") or {}).get("file", "")
            finally:
                db.close()
        except sqlite3.DatabaseError:
            pass
    for path in db_path.parent.glob(f"{glob.escape(db_path.name)}.*{MAPPED_SUFFIX}"):
        if path.name != keep:
            path.unlink(missing_ok=True)


def write_postings(
    db: sqlite_utils.Database,
    postings: Postings,
    passage_ids: np.ndarray,
    pinyin_keys: list[str | None],
) -> None:
    """Replace the vocabulary, the passage ids and the passages' lengths (the postings,
    weighed, are mapped arrays); `pinyin_keys` are the terms' pinyin_key."""
    db["terms"].delete_where()
    with db.conn:  # one transaction, plain executemany: insert_all costs several times more
        db.conn.executemany(
            "insert into terms (id, term, df, pinyin) values (?, ?, ?, ?)",
            (
                (index, term, df, pinyin)
                for index, (term, df, pinyin) in enumerate(
                    zip(
                        postings.terms, postings.document_frequency.tolist(), pinyin_keys,
                        strict=True,
                    )
                )
            ),
        )
    write_array(db, "passage_ids", passage_ids.astype(np.int64))
    write_array(db, "passage_lengths", postings.lengths.astype(np.int32))


def write_bigram_postings(db: sqlite_utils.Database, postings: BigramPostings) -> None:
    """Replace the character-bigram channel's passage lengths (its postings, weighed, are
    mapped arrays, as the words' are)."""
    write_array(db, "bigram_lengths", postings.lengths)


# Readers for retrieval: every query a question costs is one of these.
def _rows_for_ids(db: sqlite_utils.Database, sql: str, ids: list[int]) -> list[tuple]:
    """Rows of `sql`, whose `{ids}` stands for the placeholders of `ids` (none: no query)."""
    if not ids:
        return []
    return db.execute(sql.format(ids=",".join("?" * len(ids))), ids).fetchall()


def read_vocabulary(db: sqlite_utils.Database, n_terms: int) -> dict[str, int]:
    """Term -> postings row, read as one string: a row per term costs far more."""
    joined = db.execute(
        "select group_concat(term, char(10)) from (select term from terms order by id)"
    ).fetchone()[0]
    terms = joined.split("\n") if joined else []
    if len(terms) != n_terms:  # a term holding a line break: read row by row
        return dict(db.execute("select term, id from terms"))
    return dict(zip(terms, range(n_terms), strict=True))


def read_terms_by_pinyin(db: sqlite_utils.Database, key: str) -> list[str]:
    """Vocabulary words whose toneless pinyin is `key`."""
    return [row[0] for row in db.execute("select term from terms where pinyin = ?", [key])]


def read_stored_passages(db: sqlite_utils.Database) -> Iterator[StoredPassage]:
    """Every passage with its sentences' rows, in id order (a reindex keeps them)."""
    sentences = db.execute(
        "select passage_id, id, start, end, text, tokens, figure_kinds, normalised "
        "from sentences order by passage_id, position"
    )
    pending = next(sentences, None)
    for passage_id, article, section, path, tokens in db.execute(
        "select p.id, p.article, p.section, d.path, p.tokens from passages p "
        "join documents d on d.id = p.document_id order by p.id"
    ):
        rows, first = [], 0
        while pending is not None and pending[0] == passage_id:
            if not rows:
                first = pending[1]
            rows.append(pending[2:])
            pending = next(sentences, None)
        yield StoredPassage(passage_id=passage_id, article=article, section=section,
                            path=path, tokens=tokens, folded=fold_passage(r[5] for r in rows),
                            first_sentence_id=first, sentences=tuple(rows))


def read_sentence_texts(db: sqlite_utils.Database, sentence_ids: list[int]) -> dict[int, str]:
    """Sentence id -> its text as written."""
    return dict(_rows_for_ids(db, "select id, text from sentences where id in ({ids})",
                              sentence_ids))


def read_passage(db: sqlite_utils.Database, passage_id: int) -> tuple | None:
    """(text, path, article, section, url, outlet, published) of one passage, or None."""
    return db.execute(
        "select p.text, d.path, p.article, p.section, p.url, p.outlet, p.published "
        "from passages p join documents d on d.id = p.document_id where p.id = ?", [passage_id]
    ).fetchone()


def read_passage_id(db: sqlite_utils.Database, key: str) -> int | None:
    """The first passage whose `key` is `key` (copies share it), or None."""
    row = db.execute("select min(id) from passages where key = ?", [key]).fetchone()
    return row[0] if row else None


def read_passage_citations(db: sqlite_utils.Database, passage_ids: list[int]) -> dict[int, tuple]:
    """Passage id -> (key, url, outlet, published)."""
    return {
        row[0]: row[1:]
        for row in _rows_for_ids(
            db, "select id, key, url, outlet, published from passages where id in ({ids})",
            passage_ids,
        )
    }


def read_figure_rows(db: sqlite_utils.Database, sentence_ids: list[int]) -> list[tuple]:
    """(sentence_id, start, end, text, kind, value, unit, qualifier, metric, subtype) rows."""
    return _rows_for_ids(
        db,
        "select sentence_id, start, end, text, kind, value, unit, qualifier, metric, "
        "subtype from figures where sentence_id in ({ids}) order by sentence_id, position",
        sentence_ids,
    )


def read_figure_samples(db: sqlite_utils.Database, limit: int) -> list[tuple]:
    """(sentence_id, metric, sentence text, article, section) of quantities with a metric,
    in corpus order: what example questions are made from."""
    return db.execute(
        "select f.sentence_id, f.metric, s.text, p.article, p.section from figures f "
        "join sentences s on s.id = f.sentence_id join passages p on p.id = s.passage_id "
        "where f.kind in ('money', 'percent', 'count') and f.metric != '' "
        "order by f.id limit ?", [limit]
    ).fetchall()


def read_all_sentences(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """(text, document path) of every sentence, in corpus order (for baselines)."""
    return db.execute(
        "select s.text, d.path from sentences s join documents d on d.id = s.document_id "
        "order by s.id"
    ).fetchall()


def write_passage_copies(db: sqlite_utils.Database, copies: list[tuple[int, int]]) -> None:
    """Replace the (passage id, id of the first passage with the same text) pairs."""
    db["passage_copies"].delete_where()
    db["passage_copies"].insert_all(
        ({"passage_id": copy, "canonical_id": first} for copy, first in copies),
        batch_size=10_000,
    )


def read_copy_sources(db: sqlite_utils.Database, passage_ids: list[int]) -> list[tuple]:
    """(canonical passage id, path, article, section) of the copies of these passages."""
    return _rows_for_ids(
        db,
        "select c.canonical_id, d.path, p.article, p.section from passage_copies c "
        "join passages p on p.id = c.passage_id join documents d on d.id = p.document_id "
        "where c.canonical_id in ({ids}) order by c.passage_id",
        passage_ids,
    )


# The bot's journal: a small SQLite file of its own beside the index (which a reindex
# replaces), for what must outlive restarts and reindexes. Only these functions touch it.
JOURNAL_SCHEMA = """
create table if not exists unanswered (
    id integer primary key, normalised text not null, question text not null,
    asked_at text not null
);
create index if not exists unanswered_by_time on unanswered (asked_at);
create table if not exists unsent_chats (chat_id text primary key, noted_at text not null);
"""


def open_journal(path: Path) -> sqlite3.Connection:
    """Open (creating it if needed) the journal at `path`, shareable between threads.

    The caller serialises its use; WAL keeps each small write cheap.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    connection.execute("pragma journal_mode = wal")
    connection.execute("pragma synchronous = normal")
    connection.executescript(JOURNAL_SCHEMA)
    return connection


def write_unanswered(journal: sqlite3.Connection, *, normalised: str, question: str,
                     asked_at: str, keep: int, since: str) -> None:
    """Add one refused question; drop those older than `since` and all but the last `keep`."""
    with journal:
        journal.execute("begin")
        journal.execute(
            "insert into unanswered (normalised, question, asked_at) values (?, ?, ?)",
            [normalised, question, asked_at],
        )
        journal.execute("delete from unanswered where asked_at < ?", [since])
        journal.execute(
            "delete from unanswered where id <= (select max(id) from unanswered) - ?", [keep]
        )


def read_unanswered(journal: sqlite3.Connection, *, since: str, limit: int) -> list[tuple]:
    """(latest wording, times asked, last asked_at) of the most refused questions since
    `since`, most often asked first. SQLite takes a bare column of an aggregate query with
    max() from the row holding the maximum: the wording is the latest one."""
    return journal.execute(
        "select question, count(*) as times, max(asked_at) as last from unanswered "
        "where asked_at >= ? group by normalised order by times desc, last desc limit ?",
        [since, limit],
    ).fetchall()


def read_unsent_chats(journal: sqlite3.Connection) -> list[str]:
    """Chats owed a word about a lost message, oldest first (ids as text)."""
    return [row[0] for row in journal.execute("select chat_id from unsent_chats order by rowid")]


def write_unsent_chat(journal: sqlite3.Connection, chat_id: str, *, noted_at: str,
                      keep: int) -> None:
    """Remember `chat_id` as owed a word; only the latest `keep` chats are kept."""
    with journal:
        journal.execute("begin")
        journal.execute("delete from unsent_chats where chat_id = ?", [chat_id])
        journal.execute(
            "insert into unsent_chats (chat_id, noted_at) values (?, ?)", [chat_id, noted_at]
        )
        journal.execute(
            "delete from unsent_chats where rowid <= (select max(rowid) from unsent_chats) - ?",
            [keep],
        )


def delete_unsent_chat(journal: sqlite3.Connection, chat_id: str) -> None:
    """`chat_id` has been told."""
    journal.execute("delete from unsent_chats where chat_id = ?", [chat_id])
