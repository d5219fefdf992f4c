"""Scoring a Retriever on a question file in the format of the shared dev set.

Each record: id, question, answer_sentence (empty when the articles cannot
answer), figures (the answer's figures), kind. Text is compared with spaces
removed, so "21 款" in the article matches "21款".
"""

from __future__ import annotations

import logging
import statistics
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.build import build_index
from retrieval.answer import Answer, Hit, Retriever
from retrieval.question import EmptyQuestion
from retrieval.ranker import AnswerModel
from retrieval.squad import (
    answer_key,
    held_by,
    left_out,
    paragraph_of,
    read_squad,
    squeeze,
    write_corpus,
)


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
    # The first figure listed is a gold one (None without gold figures or a right sentence).
    figure_first: bool | None = None
    # A refused answer's nearest sentence is the gold one (None when it shows none).
    nearest_right: bool | None = None

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
    figure_first: tuple[int, int]  # (right, asked): answers listing a gold figure first
    negatives_refused: int
    answerable_refused: int
    # Refused answers showing a nearest sentence: (answerable with the gold one, answerable,
    # negatives).
    nearest_shown: tuple[int, int, int]
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
            "figure_first": round(self.figure_first[0] / max(self.figure_first[1], 1), 4),
            "negatives_refused": self.negatives_refused,
            "answerable_refused": self.answerable_refused,
            "nearest_right": self.nearest_shown[0],
            "nearest_answerable": self.nearest_shown[1],
            "nearest_negatives": self.nearest_shown[2],
            "latency_p50_ms": round(self.latency_p50_ms, 3),
            "latency_p95_ms": round(self.latency_p95_ms, 3),
        }


def score_answer(record: Mapping[str, Any], answer: Answer, ms: float) -> EvalResult:
    """Compare one answer with its record."""
    expected = squeeze(record.get("answer_sentence", ""))
    sentences = [squeeze(hit.sentence) for hit in answer.hits]
    gold_figures = [squeeze(f) for f in record.get("figures", [])]
    figure1 = figure_first = None
    hit1 = bool(expected) and any(expected in s for s in sentences[:1])
    if expected and gold_figures:
        first = answer.hits[0] if answer.hits else None
        texts = {squeeze(f.text) for f in first.figures} if first else set()
        figure1 = bool(first) and all(f in sentences[0] and f in texts for f in gold_figures)
        if hit1 and first.figures:
            figure_first = squeeze(first.figures[0].text) in gold_figures
    return EvalResult(
        id=str(record.get("id", "")),
        kind=str(record.get("kind", "")),
        question=record["question"],
        expected=record.get("answer_sentence", ""),
        ms=ms,
        answer=answer,
        hit1=hit1,
        hit3=bool(expected) and any(expected in s for s in sentences[:3]),
        figure1=figure1,
        figure_first=figure_first,
        nearest_right=(bool(expected) and expected in squeeze(answer.nearest.sentence)
                       if answer.nearest else None),
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
    listed = [r.figure_first for r in answerable if r.figure_first is not None]
    latencies = [r.ms for r in results]
    return EvalReport(
        questions=len(results),
        answerable=len(answerable),
        negatives=len(negatives),
        hit1=sum(r.hit1 for r in answerable) / max(1, len(answerable)),
        hit3=sum(r.hit3 for r in answerable) / max(1, len(answerable)),
        figure1=sum(bool(r.figure1) for r in with_figures) / max(1, len(with_figures)),
        figure_first=(sum(listed), len(listed)),
        negatives_refused=sum(not r.answer.found for r in negatives),
        answerable_refused=sum(not r.answer.found for r in answerable),
        nearest_shown=(sum(bool(r.nearest_right) for r in answerable),
                       sum(r.nearest_right is not None for r in answerable),
                       sum(r.nearest_right is not None for r in negatives)),
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
        f"figure first       {report.figure_first[0]}/{report.figure_first[1]} "
        "(right sentences whose first figure is the gold one)",
        f"negatives refused  {report.negatives_refused}/{n}",
        f"answerable refused {report.answerable_refused}/{a}",
        f"nearest shown      {report.nearest_shown[1]} refused answerable "
        f"({report.nearest_shown[0]} the right sentence), {report.nearest_shown[2]} negatives",
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


@dataclass(frozen=True)
class SquadReport:
    """`wenda eval --squad`: Wenda and plain BM25 over the same SQuAD-format collection."""

    metrics: dict[str, Any]
    results: tuple[dict[str, Any], ...]  # per question: id, question, hit@1, refused, ms


def _plain_bm25_ranks(sentences: list[tuple[str, str]], questions: list[str]) -> list[list[int]]:
    """Top-3 sentence indices per question by rank_bm25's BM25Okapi over jieba's search-mode
    tokens of every sentence: the baseline every ranking change is measured against."""
    import jieba
    from rank_bm25 import BM25Okapi

    jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter, twice on stderr

    def tokens(text: str) -> list[str]:
        return [t for t in jieba.cut_for_search(text) if t.strip()]

    bm25 = BM25Okapi([tokens(text) or [""] for text, _ in sentences])
    ranks = []
    for question in questions:
        scores = bm25.get_scores(tokens(question))
        ranks.append([int(i) for i in np.argsort(-scores, kind="stable")[:3]])
    return ranks


def evaluate_squad(path: Path, workdir: Path, *, absent_share: float = 0.0,
                   model: AnswerModel | None = None, baseline: bool = True) -> SquadReport:
    """Index a SQuAD-format file (one article per paragraph, `absent_share` of them left
    out), ask every question of the whole collection and score the answers."""
    squad = read_squad(path)
    skipped = left_out(squad.paragraphs, absent_share)
    corpus = workdir / "corpus"
    write_corpus(squad.paragraphs, corpus, skipped)
    db_path = workdir / "squad.db"
    build_index(corpus, db_path, full=True)
    keys = [answer_key(p.text) for p in squad.paragraphs]
    results = []
    with Retriever.open(db_path, model) as retriever:
        for item in squad.questions:
            answerable = (item.paragraph not in skipped
                          or held_by(item.answers, keys, skipped))
            started = time.perf_counter()
            try:
                answer = retriever.answer(item.question, top=3)
            except EmptyQuestion:
                continue
            ms = (time.perf_counter() - started) * 1000
            keys = [answer_key(hit.sentence) for hit in answer.hits]
            held = [any(a in key for a in item.answers) for key in keys]
            said = [a for a in item.answers if a in keys[0]] if held[:1] and held[0] else []
            results.append({
                "id": item.id, "question": item.question, "answerable": answerable,
                "found": answer.found, "confidence": round(answer.confidence, 4),
                "hit@1": bool(held[:1] and held[0]), "hit@3": any(held[:3]),
                "article@1": bool(answer.hits)
                and paragraph_of(answer.hits[0].source.path) == item.paragraph,
                "figure_first": _figure_first(answer.hits[0], said) if said else None,
                "ms": round(ms, 3),
            })
        sentences = retriever.all_sentences()
    answerable = [r for r in results if r["answerable"]]
    unanswerable = [r for r in results if not r["answerable"]]
    listed = [r["figure_first"] for r in answerable if r["figure_first"] is not None]
    n = max(len(answerable), 1)
    latencies = [r["ms"] for r in results]
    metrics: dict[str, Any] = {
        "file": str(path), "paragraphs": len(squad.paragraphs), "left_out": len(skipped),
        "questions": len(results), "answerable": len(answerable),
        "hit@1": round(sum(r["hit@1"] for r in answerable) / n, 4),
        "hit@3": round(sum(r["hit@3"] for r in answerable) / n, 4),
        "article@1": round(sum(r["article@1"] for r in answerable) / n, 4),
        "figure_first": round(sum(listed) / max(len(listed), 1), 4),
        "figure_first_asked": len(listed),
        "answerable_refused": sum(not r["found"] for r in answerable),
        "unanswerable": len(unanswerable),
        "unanswerable_refused": sum(not r["found"] for r in unanswerable),
        "latency_p50_ms": round(statistics.median(latencies), 3) if latencies else 0.0,
        "latency_p95_ms": round(_percentile(latencies, 0.95), 3),
    }
    if baseline:
        by_id = {r["id"]: r for r in answerable}
        asked = [item for item in squad.questions if item.id in by_id]
        ranks = _plain_bm25_ranks(sentences, [item.question for item in asked])
        hit1 = hit3 = 0
        for item, top in zip(asked, ranks, strict=True):
            held = [any(a in answer_key(sentences[i][0]) for a in item.answers) for i in top]
            hit1 += bool(held and held[0])
            hit3 += any(held)
        metrics["plain_bm25_hit@1"] = round(hit1 / n, 4)
        metrics["plain_bm25_hit@3"] = round(hit3 / n, 4)
    return SquadReport(metrics=metrics, results=tuple(results))


def _figure_first(hit: Hit, answers: list[str]) -> bool | None:
    """Whether the first figure `hit` lists is one of the gold `answers` its sentence says
    (either holding the other); None when none of its figures is."""
    keys = [answer_key(figure.text) for figure in hit.figures]
    answering = [bool(key) and any(key in a or a in key for a in answers) for key in keys]
    return answering[0] if any(answering) else None


def format_squad_report(report: SquadReport) -> str:
    """The SQuAD report as a person reads it, Wenda and plain BM25 side by side."""
    m = report.metrics
    a = m["answerable"]
    lines = [
        f"collection         {m['file']}: {m['paragraphs']} paragraphs as articles"
        + (f", {m['left_out']} left out" if m["left_out"] else ""),
        f"questions          {m['questions']} ({a} answerable)",
        f"{'':19}{'wenda':>8}{'plain BM25':>12}",
        f"{'hit@1':19}{m['hit@1']:>8.3f}{m.get('plain_bm25_hit@1', float('nan')):>12.3f}",
        f"{'hit@3':19}{m['hit@3']:>8.3f}{m.get('plain_bm25_hit@3', float('nan')):>12.3f}",
        f"{'article@1':19}{m['article@1']:>8.3f}",
        f"figure first       {m['figure_first']:.3f} of {m['figure_first_asked']} right "
        "sentences whose figures hold the answer",
        f"answerable refused {m['answerable_refused']}/{a} "
        f"({m['answerable_refused'] / max(a, 1):.1%})",
    ]
    if m["left_out"]:
        u = m["unanswerable"]
        lines.append(f"unanswerable       {m['unanswerable_refused']}/{u} refused "
                     f"({m['unanswerable_refused'] / max(u, 1):.1%}; answer in no kept paragraph)")
    lines.append(f"latency            p50 {m['latency_p50_ms']:.2f} ms, "
                 f"p95 {m['latency_p95_ms']:.2f} ms")
    return "\n".join(lines)
