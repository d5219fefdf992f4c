"""Shared fixtures for retrieval tests: one jieba Segmenter per session (it takes ~1 s)."""

from __future__ import annotations

import pytest

from index.segment import Segmenter


@pytest.fixture(scope="session")
def segmenter() -> Segmenter:
    return Segmenter(mode="search")
