"""The postings read by slices: the same numbers as the mapped arrays, and a clear error
when the arrays file was cut short."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index import build_index
from index.sliced import SliceError, gather_runs
from index.store import open_store, read_mapped, read_meta, read_sliced
from tests.index.test_build import ARTICLES, write_corpus

NAMES = ("postings_columns", "postings_weights", "bigram_columns", "bigram_weights")


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, dict]:
    db_path = tmp_path / "wenda.db"
    build_index(write_corpus(tmp_path / "corpus", ARTICLES), db_path)
    db = open_store(db_path)
    try:
        return db_path, read_meta(db)
    finally:
        db.close()


def test_runs_read_by_slices_equal_the_mapped_arrays(store):
    db_path, meta = store
    mapped, sliced = read_mapped(db_path, meta), read_sliced(db_path, meta, NAMES)
    rng = np.random.default_rng(7)
    for name in NAMES:
        whole = mapped[name]
        assert len(sliced[name]) == len(whole)
        for _ in range(50):
            starts = rng.integers(0, len(whole), size=rng.integers(0, 6))
            stops = starts + rng.integers(0, 4, size=len(starts))
            stops = np.minimum(stops, len(whole))
            got = gather_runs(sliced[name], starts, stops)
            assert got.dtype == whole.dtype
            assert np.array_equal(got, gather_runs(whole, starts, stops))
    sliced[NAMES[0]].file.close()


def test_a_slice_past_the_end_is_refused(store):
    db_path, meta = store
    array = read_sliced(db_path, meta, ("bigram_weights",))["bigram_weights"]
    with pytest.raises(SliceError, match="outside"):
        array.gather(np.array([len(array) - 1]), np.array([len(array) + 1]))
    array.file.close()


def test_an_arrays_file_cut_short_is_an_error_not_wrong_scores(store):
    db_path, meta = store
    path = db_path.with_name(meta["mapped"]["file"])
    spec = meta["mapped"]["arrays"]["bigram_weights"]
    array = read_sliced(db_path, meta, ("bigram_weights",))["bigram_weights"]
    whole = array.gather(np.array([0]), np.array([len(array)]))
    with open(path, "r+b") as file:
        file.truncate(spec["offset"] + whole.nbytes - 1)
    assert np.array_equal(array.gather(np.array([0]), np.array([1])), whole[:1])
    with pytest.raises(SliceError, match="ended inside a slice"):
        array.gather(np.array([0]), np.array([len(array)]))
    array.file.close()
