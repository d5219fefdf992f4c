"""Turning a folder of articles into a SQLite store.

Reading (`read`), splitting (`split`), normalising (`normalise`),
segmenting (`segment`), figures (`figures`), the store (`store`) and the
atomic reindex (`build`).

Errors: `StoreError` → `StoreMissing` (no store yet), `StoreOutdated`
(another schema or tokenizer: rebuild), `IndexBusy` (a reindex is running).
"""

from index.build import BuildProgress, IndexBusy, IndexSummary, SkippedFile, build_index
from index.store import StoreError, StoreMissing, StoreOutdated

__all__ = [
    "BuildProgress",
    "IndexBusy",
    "IndexSummary",
    "SkippedFile",
    "StoreError",
    "StoreMissing",
    "StoreOutdated",
    "build_index",
]
