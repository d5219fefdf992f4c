"""Opening a store for answering, building it first when it is missing or outdated.

The one way the CLI and the bot get a `Retriever`, so both treat a missing or
stale index the same.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from index import BuildProgress, StoreMissing, StoreOutdated, build_index
from retrieval.answer import Retriever

logger = logging.getLogger(__name__)


def open_retriever(
    db_path: Path,
    corpus_dir: Path,
    *,
    progress: Callable[[BuildProgress], None] | None = None,
) -> Retriever:
    """The store at `db_path`, (re)built from `corpus_dir` first when missing, outdated
    or built from another folder (a store is never served for the wrong articles).

    Raises FileNotFoundError (no corpus folder) or IndexBusy from the build.
    """
    try:
        retriever = Retriever.open(db_path)
        built_from = retriever.corpus_dir
        if built_from is None or built_from.resolve() == Path(corpus_dir).resolve():
            return retriever
        retriever.close()
        logger.warning("index at %s holds the articles of %s; rebuilding it from %s",
                       db_path, built_from, corpus_dir)
        full = True
    except StoreMissing:
        logger.warning("no index at %s yet; building it from %s", db_path, corpus_dir)
        full = False
    except StoreOutdated as error:
        logger.warning("index at %s is outdated (%s); rebuilding it", db_path, error)
        full = True
    summary = build_index(corpus_dir, db_path, full=full, progress=progress)
    logger.warning("index built in %.1f s: %d documents", summary.seconds, summary.documents)
    return Retriever.open(db_path)
