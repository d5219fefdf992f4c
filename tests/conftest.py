"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest

try:
    from index.segment import Segmenter
except ModuleNotFoundError as missing:  # the project's dependencies are not installed
    raise pytest.UsageError(
        f"{missing.name} is not installed: run the README's test command, "
        f'pip install -e ".[test]" && pytest'
    ) from None


@pytest.fixture(scope="session")
def segmenter() -> Segmenter:
    """One jieba segmenter for the session: building one loads jieba's dictionary (~1 s)."""
    return Segmenter()


SHARED = Path(__file__).resolve().parents[2] / "shared"
"""The workplace's data beside the repo (`../shared`): the real corpus and the eval sets."""


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared`, or a skip with the reason when this checkout has nothing beside it."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not here (the real corpus and eval sets live beside the repo)")
    return SHARED
