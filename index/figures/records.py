"""Figures as JSON records: the `wenda figures extract` output, one line a sentence."""

from __future__ import annotations

import json

from index.figures.model import Figure


def figure_record(figure: Figure) -> dict:
    """The public fields of a figure as a JSON-ready dict (ranges as lists)."""
    value = list(figure.value) if isinstance(figure.value, tuple) else figure.value
    return {
        "text": figure.text,
        "kind": figure.kind,
        "value": value,
        "unit": figure.unit,
        "qualifier": figure.qualifier,
        "metric": figure.metric,
        "start": figure.start,
        "end": figure.end,
    }


def format_extraction(sentence: str, figures: list[Figure]) -> str:
    """One JSON line: {"sentence", "figures": [...]}, Chinese left readable."""
    record = {"sentence": sentence, "figures": [figure_record(figure) for figure in figures]}
    return json.dumps(record, ensure_ascii=False)
