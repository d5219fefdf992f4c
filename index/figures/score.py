"""Score the extractor against gold figures (figures_dev.jsonl format).

A predicted figure matches a gold one when its (start, end) equals the
gold core span or the gold span widened by its qualifier (ext_start,
ext_end), as FIGURES.md allows. Value, kind, unit and qualifier accuracy
are over matched pairs; metric accuracy over matched gold figures that
name a metric, counting containment either way after dropping spaces,
brackets and punctuation.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from index.figures.extract import extract_figures
from index.figures.model import Figure

_PUNCTUATION_RE = re.compile(r"[\s()（）\[\]【】「」『』《》“”‘’\"',，、.。:：;；!！?？·—-]")
_TIMING_ROUNDS = 10


@dataclass(frozen=True)
class FigureScore:
    """How well extracted figures agree with a gold file."""

    sentences: int
    gold: int
    predicted: int
    matched: int
    precision: float
    recall: float
    f1: float
    value_accuracy: float
    kind_accuracy: float
    unit_accuracy: float
    qualifier_accuracy: float
    metric_accuracy: float
    metric_total: int
    false_positives: int  # figures predicted in sentences whose gold has none
    empty_sentences: int
    sentences_per_second: float


def read_gold(path: Path) -> list[dict]:
    """Gold records, one JSON object a line."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def score_figures(
    records: Iterable[dict], extract: Callable[[str], list[Figure]] = extract_figures
) -> FigureScore:
    """Compare `extract` with the gold figures of `records`."""
    records = list(records)
    predictions = [extract(record["sentence"]) for record in records]
    pairs: list[tuple[dict, Figure]] = []
    gold_total = predicted_total = false_positives = empty = 0
    for record, predicted in zip(records, predictions, strict=True):
        gold = record["figures"]
        gold_total += len(gold)
        predicted_total += len(predicted)
        if not gold:
            empty += 1
            false_positives += len(predicted)
        pairs += _match(gold, predicted)
    matched = len(pairs)
    precision = matched / predicted_total if predicted_total else 0.0
    recall = matched / gold_total if gold_total else 0.0
    with_metric = [(gold, figure) for gold, figure in pairs if gold.get("metric")]
    return FigureScore(
        sentences=len(records),
        gold=gold_total,
        predicted=predicted_total,
        matched=matched,
        precision=precision,
        recall=recall,
        f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        value_accuracy=_share(pairs, lambda g, f: same_value(g["value"], f.value)),
        kind_accuracy=_share(pairs, lambda g, f: g["type"] == f.kind),
        unit_accuracy=_share(pairs, lambda g, f: g["unit"] == f.unit),
        qualifier_accuracy=_share(pairs, lambda g, f: g["qualifier"] == f.qualifier),
        metric_accuracy=_share(with_metric, lambda g, f: same_metric(g["metric"], f.metric)),
        metric_total=len(with_metric),
        false_positives=false_positives,
        empty_sentences=empty,
        sentences_per_second=_speed([record["sentence"] for record in records], extract),
    )


def _match(gold: list[dict], predicted: list[Figure]) -> list[tuple[dict, Figure]]:
    by_span = {(figure.start, figure.end): figure for figure in predicted}
    pairs = []
    for item in gold:
        for span in ((item["start"], item["end"]), (item["ext_start"], item["ext_end"])):
            figure = by_span.pop(span, None)
            if figure is not None:
                pairs.append((item, figure))
                break
    return pairs


def _share(pairs: list, agrees: Callable[[dict, Figure], bool]) -> float:
    return sum(agrees(gold, figure) for gold, figure in pairs) / len(pairs) if pairs else 0.0


def same_value(gold: object, predicted: object) -> bool:
    """Numbers equal within 1e-6 relative, ranges pairwise, strings exactly."""
    if isinstance(gold, list | tuple) and isinstance(predicted, list | tuple):
        return len(gold) == len(predicted) and all(map(same_value, gold, predicted))
    numbers = (int, float)
    if isinstance(gold, numbers) and isinstance(predicted, numbers):
        return abs(gold - predicted) <= 1e-6 * max(abs(gold), abs(predicted), 1e-12)
    return gold == predicted


def same_metric(gold: str, predicted: str) -> bool:
    """Whether one metric contains the other, ignoring spaces, brackets and punctuation."""
    gold, predicted = _PUNCTUATION_RE.sub("", gold), _PUNCTUATION_RE.sub("", predicted or "")
    return bool(gold and predicted) and (gold in predicted or predicted in gold)


def _speed(sentences: list[str], extract: Callable[[str], list[Figure]]) -> float:
    """Sentences per second in the fastest of several rounds (extraction only).

    The fastest round, as timeit advises: slower ones measure other load on
    the machine, not the extractor.
    """
    fastest = float("inf")
    for _ in range(_TIMING_ROUNDS):
        began = time.perf_counter()
        for sentence in sentences:
            extract(sentence)
        fastest = min(fastest, time.perf_counter() - began)
    return len(sentences) / fastest if fastest else 0.0


def format_figure_score(score: FigureScore) -> str:
    """The score as a short report, one measure a line."""
    return "\n".join(
        [
            f"sentences           {score.sentences} ({score.empty_sentences} without figures)",
            f"figures             gold {score.gold}, predicted {score.predicted}, "
            f"matched {score.matched}",
            f"span precision      {score.precision:.3f}",
            f"span recall         {score.recall:.3f}",
            f"span F1             {score.f1:.3f}",
            f"value accuracy      {score.value_accuracy:.3f}",
            f"kind accuracy       {score.kind_accuracy:.3f}",
            f"unit accuracy       {score.unit_accuracy:.3f}",
            f"qualifier accuracy  {score.qualifier_accuracy:.3f}",
            f"metric accuracy     {score.metric_accuracy:.3f} (of {score.metric_total})",
            f"false positives     {score.false_positives} (sentences without figures)",
            f"sentences/second    {score.sentences_per_second:,.0f}",
        ]
    )


def figure_score_json(score: FigureScore) -> str:
    """The score as one JSON object."""
    return json.dumps(asdict(score), ensure_ascii=False)
