"""The SQLite store: schema, and the small readers retrieval uses.

One file holds documents, passages, sentences, figures, the vocabulary, the
BM25 postings (as numpy arrays in the `arrays` table) and a `meta` table. A
person can read it with `sqlite3` or `sqlite-utils`.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import sqlite_utils

from index.pinyin import pinyin_key
from index.postings import Postings

# Bump when the tables or their meaning change: older stores are rebuilt.
SCHEMA_VERSION = 5


class StoreError(Exception):
    """Base of the store's errors."""


class StoreMissing(StoreError):
    """There is no store at the path; build one with `wenda index`."""


class StoreOutdated(StoreError):
    """The store was built by another schema or tokenizer; it must be rebuilt."""


def create_schema(db: sqlite_utils.Database) -> None:
    """Create empty tables and indexes in a new store."""
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
    db["documents"].create_index(["path"], unique=True)
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
        },
        pk="id",
    )
    db["passages"].create_index(["document_id"])
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
    db["sentences"].create_index(["passage_id"])
    db["sentences"].create_index(["document_id"])
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
    db["figures"].create_index(["sentence_id"])
    db["figures"].create_index(["document_id"])
    db["terms"].create({"id": int, "term": str, "df": int, "pinyin": str}, pk="id")
    db["terms"].create_index(["pinyin"])
    db["arrays"].create({"name": str, "dtype": str, "data": bytes}, pk="name")
    db["meta"].create({"key": str, "value": str}, pk="key")


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
    """Raise StoreOutdated unless the store has this schema (and these tokenizer settings)."""
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise StoreOutdated(
            f"index schema {meta.get('schema_version')} is not {SCHEMA_VERSION}: rebuild it"
        )
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


def write_postings(db: sqlite_utils.Database, postings: Postings, passage_ids: np.ndarray) -> None:
    """Replace the vocabulary and postings arrays."""
    db["terms"].delete_where()
    db["terms"].insert_all(
        (
            {"id": index, "term": term, "df": int(df), "pinyin": pinyin_key(term)}
            for index, (term, df) in enumerate(
                zip(postings.terms, postings.document_frequency, strict=False)
            )
        ),
        batch_size=10_000,
    )
    write_array(db, "passage_ids", passage_ids.astype(np.int64))
    write_array(db, "passage_lengths", postings.lengths.astype(np.int32))
    write_array(db, "postings_indptr", postings.indptr.astype(np.int64))
    write_array(db, "postings_columns", postings.columns.astype(np.int32))
    write_array(db, "postings_tf", postings.tf.astype(np.int32))
