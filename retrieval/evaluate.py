"""Scoring a Retriever on a question file in the format of the shared dev set.

Each record: id, question, answer_sentence (empty when the articles cannot
answer), figures (the answer's figures), kind. Text is compared with spaces
removed, so "21 款" in the article matches "21款".
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from retrieval.answer import Answer, Retriever


@dataclass(frozen=True)
class EvalResult:
    id: str
    kind: str
    question: str
    expected: str  # gold answer sentence, "" for a question to refuse
    ms: float
    answer: Answer
    hit1: bool
    hit3: bool
    figure1: bool | None  # None when the record has no gold figures

    @property
    def negative(self) -> bool:
        return not self.expected

    @property
    def correct(self) -> bool:
        if self.negative:
            return not self.answer.found
        return self.hit1 and self.figure1 is not False


@dataclass(frozen=True)
class EvalReport:
    questions: int
    answerable: int
    negatives: int
    hit1: float
    hit3: float
    figure1: float
    negatives_refused: int
    answerable_refused: int
    latency_p50_ms: float
    latency_p95_ms: float
    results: tuple[EvalResult, ...]

    def metrics(self) -> dict[str, Any]:
        return {
            "questions": self.questions,
            "answerable": self.answerable,
            "negatives": self.negatives,
            "hit@1": round(self.hit1, 4),
            "hit@3": round(self.hit3, 4),
            "figure@1": round(self.figure1, 4),
            "negatives_refused": self.negatives_refused,
            "answerable_refused": self.answerable_refused,
            "latency_p50_ms": round(self.latency_p50_ms, 3),
            "latency_p95_ms": round(self.latency_p95_ms, 3),
        }


def _squeeze(text: str) -> str:
    return "".join(text.split())


def score_answer(record: Mapping[str, Any], answer: Answer, ms: float) -> EvalResult:
    """Compare one answer with its record."""
    expected = _squeeze(record.get("answer_sentence", ""))
    sentences = [_squeeze(hit.sentence) for hit in answer.hits]
    gold_figures = [_squeeze(f) for f in record.get("figures", [])]
    figure1 = None
    if expected and gold_figures:
        first = answer.hits[0] if answer.hits else None
        texts = {_squeeze(f.text) for f in first.figures} if first else set()
        figure1 = bool(first) and all(f in sentences[0] and f in texts for f in gold_figures)
    return EvalResult(
        id=str(record.get("id", "")),
        kind=str(record.get("kind", "")),
        question=record["question"],
        expected=record.get("answer_sentence", ""),
        ms=ms,
        answer=answer,
        hit1=bool(expected) and any(expected in s for s in sentences[:1]),
        hit3=bool(expected) and any(expected in s for s in sentences[:3]),
        figure1=figure1,
    )


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def evaluate(retriever: Retriever, records: Iterable[Mapping[str, Any]]) -> EvalReport:
    """Answer every record's question in this process and score the answers."""
    results = []
    for record in records:
        started = time.perf_counter()
        answer = retriever.answer(record["question"])
        ms = (time.perf_counter() - started) * 1000
        results.append(score_answer(record, answer, ms))
    answerable = [r for r in results if not r.negative]
    negatives = [r for r in results if r.negative]
    with_figures = [r for r in answerable if r.figure1 is not None]
    latencies = [r.ms for r in results]
    return EvalReport(
        questions=len(results),
        answerable=len(answerable),
        negatives=len(negatives),
        hit1=sum(r.hit1 for r in answerable) / max(1, len(answerable)),
        hit3=sum(r.hit3 for r in answerable) / max(1, len(answerable)),
        figure1=sum(bool(r.figure1) for r in with_figures) / max(1, len(with_figures)),
        negatives_refused=sum(not r.answer.found for r in negatives),
        answerable_refused=sum(not r.answer.found for r in answerable),
        latency_p50_ms=statistics.median(latencies) if latencies else 0.0,
        latency_p95_ms=_percentile(latencies, 0.95),
        results=tuple(results),
    )


def format_report(report: EvalReport) -> str:
    """The report as a person reads it: metrics, then the questions it got wrong."""
    a, n = report.answerable, report.negatives
    with_figures = sum(1 for r in report.results if r.figure1 is not None)
    lines = [
        f"questions          {report.questions} ({a} answerable, {n} to refuse)",
        f"hit@1              {report.hit1:.3f} ({round(report.hit1 * a)}/{a})",
        f"hit@3              {report.hit3:.3f} ({round(report.hit3 * a)}/{a})",
        f"figure@1           {report.figure1:.3f} "
        f"({round(report.figure1 * with_figures)}/{with_figures})",
        f"negatives refused  {report.negatives_refused}/{n}",
        f"answerable refused {report.answerable_refused}/{a}",
        f"latency            p50 {report.latency_p50_ms:.2f} ms, "
        f"p95 {report.latency_p95_ms:.2f} ms",
    ]
    wrong = [r for r in report.results if not r.correct]
    lines.append(f"wrong              {len(wrong)}")
    for result in wrong:
        first = result.answer.hits[0].sentence if result.answer.hits else "(not found)"
        why = "should be refused" if result.negative else (
            "first sentence" if not result.hit1 else "figures"
        )
        lines.append(f"  {result.id} [{result.kind}] {result.question}  -- {why}")
        if result.expected:
            lines.append(f"      expected: {result.expected}")
        lines.append(f"      got:      {first}")
        if result.answer.hits and result.figure1 is False:
            figures = ", ".join(f.text for f in result.answer.hits[0].figures) or "none"
            lines.append(f"      figures:  {figures}")
    return "\n".join(lines)
