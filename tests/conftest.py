"""Fixtures shared by every test package."""

from __future__ import annotations

import pytest

from index.segment import Segmenter


@pytest.fixture(scope="session")
def segmenter() -> Segmenter:
    """One jieba segmenter for the session: building one loads jieba's dictionary (~1 s)."""
    return Segmenter()
