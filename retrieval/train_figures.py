"""Training the figure order model (`wenda train --figures`).

Learned from questions real people wrote, like the answer ranker (`retrieval.train`):
for each question of a SQuAD-format set whose gold answer is one of the figures of the
sentence holding it, in a sentence of two figures or more, the figures are described
(`retrieval.figure_order.describe_figures`) with the question as an index of the set
reads it; a question file in dev.jsonl's format gives its gold figures in the stored
sentence that holds its answer sentence. LambdaMART learns which figure is asked.

Cross-validation is grouped by page, as for the ranker, and reports per set how often
the first figure listed is an asked one, against the order the model replaced: a stated
figure last, then the wanted kinds, then the metric's match. Seeded: the same data gives
the same file.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.build import build_index
from index.figures import Figure, extract_figures
from index.normalise import normalise
from index.split import split_sentences
from retrieval.answer import Retriever
from retrieval.figure_order import (
    FIGURE_FEATURES,
    FIGURE_FEATURES_VERSION,
    FIGURE_MODEL_FORMAT,
    SHIPPED_FIGURE_MODEL,
    AskedFigures,
    FigureOrder,
    date_flags,
    describe_figures,
    first_figure,
    former_order,
)
from retrieval.question import EmptyQuestion
from retrieval.squad import answer_key, read_squad, squeeze, write_corpus
from retrieval.train import FOLDS, SEED, assign_folds

logger = logging.getLogger(__name__)

FIGURE_PARAMS: dict[str, Any] = {
    "objective": "lambdarank", "lambdarank_truncation_level": 3, "learning_rate": 0.05,
    "num_leaves": 7, "min_data_in_leaf": 20, "seed": SEED, "deterministic": True,
    "force_row_wise": True, "num_threads": 2, "verbose": -1,
}
FIGURE_ROUNDS = 100
# The model may only ever prefer a figure more for being of a wanted kind, for its metric
# spelling the question, or for the question's words said next to it (and less for being
# stated): learned from a few hundred questions, it must not invert any of them.
_MONOTONE = {"stated": -1, "kind_rank": -1, "kind_first": 1, "kind_wanted": 1, "unit_fit": 1,
             "year_fit": 1, "metric_match": 1, "clause_share": 1, "before_share": 1,
             "after_share": 1, "near_share": 1, "pre_run": 1, "post_run": 1}
FIGURE_PARAMS["monotone_constraints"] = [_MONOTONE.get(name, 0) for name in FIGURE_FEATURES]


@dataclass(frozen=True)
class FigureGroup:
    """One question's figures (those of the sentence holding its answer), described."""

    source: str  # the question set's name
    group: str  # cross-validation group: a question set's page or article
    features: np.ndarray
    labels: np.ndarray  # 1 where the figure is an asked one
    dates: np.ndarray  # True where the figure is a date


def describe_group(retriever: Retriever, question: str, sentence: str,
                   figures: Sequence[Figure], labels: Sequence[bool], source: str,
                   group: str) -> FigureGroup | None:
    """The group of a question and its answer sentence's figures; None when there is no
    choice to learn from (fewer than two figures, or none of them asked)."""
    if len(figures) < 2 or not any(labels):
        return None
    try:
        query = retriever.understand(question)
    except EmptyQuestion:
        return None
    return FigureGroup(source=source, group=group,
                       features=describe_figures(figures, sentence, normalise(sentence),
                                                         AskedFigures.of(query)),
                       labels=np.asarray(labels, np.int64), dates=date_flags(figures))


def _holds(key: str, golds: Sequence[str]) -> bool:
    return bool(key) and any(key in gold or gold in key for gold in golds)


def collect_squad_figures(path: Path, workdir: Path) -> list[FigureGroup]:
    """The figure groups of a SQuAD-format set, indexed one article per paragraph."""
    squad = read_squad(path)
    name = Path(path).stem
    corpus = workdir / name
    write_corpus(squad.paragraphs, corpus)
    build_index(corpus, workdir / f"{name}.db", full=True)
    groups = []
    with Retriever.open(workdir / f"{name}.db") as retriever:
        for item in squad.questions:
            golds = [g for g in item.answers if g]
            sentences = split_sentences(squad.paragraphs[item.paragraph].text)
            holding = next((s.text for s in sentences
                            if any(g in answer_key(s.text) for g in golds)), None)
            if holding is None:
                continue
            figures = extract_figures(holding)
            labels = [_holds(answer_key(f.text), golds) for f in figures]
            group = describe_group(retriever, item.question, holding, figures, labels, name,
                                   f"{name}:{item.title}")
            if group is not None:
                groups.append(group)
    logger.info("%s: %d questions with figures to order", name, len(groups))
    return groups


def collect_question_figures(path: Path, corpus: Path, workdir: Path) -> list[FigureGroup]:
    """The figure groups of a dev.jsonl-format file over its corpus folder (records without
    gold figures, and bad lines, skipped; bad lines by number)."""
    name = Path(path).stem
    build_index(corpus, workdir / f"{name}.db", full=True)
    groups = []
    with Retriever.open(workdir / f"{name}.db") as retriever, open(
            path, encoding="utf-8", errors="replace") as lines:
        sentences = [text for text, _ in retriever.all_sentences()]
        squeezed = [squeeze(text) for text in sentences]
        for number, line in enumerate(lines, 1):
            try:
                record = json.loads(line)
                question = str(record["question"])
                expected = squeeze(str(record.get("answer_sentence") or ""))
                golds = [squeeze(str(f)) for f in record.get("figures") or []]
            except (ValueError, KeyError, TypeError):
                if line.strip():
                    logger.warning("%s:%d: not a question record; skipped", path, number)
                continue
            holding = next((text for text, key in zip(sentences, squeezed, strict=True)
                            if expected and expected in key), None)
            if holding is None or not golds:
                continue
            figures = extract_figures(holding)
            labels = [squeeze(f.text) in golds for f in figures]
            group = describe_group(retriever, question, holding, figures, labels, name,
                                   f"{name}:{corpus.name}")
            if group is not None:
                groups.append(group)
    logger.info("%s: %d questions with figures to order", name, len(groups))
    return groups


def fit_figure_order(groups: Sequence[FigureGroup], rounds: int = FIGURE_ROUNDS):
    """A LambdaMART model over the groups' figures."""
    import lightgbm

    data = lightgbm.Dataset(np.vstack([g.features for g in groups]),
                            np.concatenate([g.labels for g in groups]),
                            group=[len(g.labels) for g in groups],
                            feature_name=list(FIGURE_FEATURES))
    return lightgbm.train(FIGURE_PARAMS, data, rounds)


def _former_scores(features: np.ndarray) -> np.ndarray:
    """Scores giving `former_order` (higher is earlier)."""
    scores = np.empty(len(features))
    scores[former_order(features)] = -np.arange(len(features), dtype=np.float64)
    return scores


def _first_asked(group: FigureGroup, scores: np.ndarray) -> bool:
    """The figure listed first (as `FigureOrder.order` lists them) is an asked one."""
    return bool(group.labels[first_figure(group.features, scores, group.dates)])


def cross_validate_figures(groups: Sequence[FigureGroup], folds: int = FOLDS
                           ) -> dict[str, dict[str, Any]]:
    """Per question set (and all): groups, and the share whose first listed figure is asked,
    by the model (out of fold) and by the former order."""
    fold_of = assign_folds(groups, folds)
    model_first = np.zeros(len(groups), bool)
    for fold in range(folds):
        train = [g for g, f in zip(groups, fold_of, strict=True) if f != fold]
        tested = np.flatnonzero(fold_of == fold)
        if not train or not len(tested):
            continue
        model = fit_figure_order(train)
        for index in tested.tolist():
            model_first[index] = _first_asked(groups[index],
                                              model.predict(groups[index].features))
    former_first = np.array([_first_asked(g, _former_scores(g.features)) for g in groups])
    sources = np.array([g.source for g in groups])
    report = {}
    for source in [*dict.fromkeys(sources.tolist()), "all"]:
        chosen = np.ones(len(groups), bool) if source == "all" else sources == source
        report[source] = {
            "questions": int(chosen.sum()),
            "model_first": round(float(model_first[chosen].mean()), 4) if chosen.any() else 0.0,
            "former_first": round(float(former_first[chosen].mean()), 4)
            if chosen.any() else 0.0,
        }
    return report


def format_figure_report(report: dict[str, dict[str, Any]]) -> str:
    """The cross-validated shares, a line per question set."""
    lines = [f"{'set':<18}{'questions':>10}{'asked figure first':>20}{'former order':>14}"]
    for source, values in report.items():
        lines.append(f"{source:<18}{values['questions']:>10}{values['model_first']:>20.3f}"
                     f"{values['former_first']:>14.3f}")
    return "\n".join(lines)


def default_figure_model_path() -> Path:
    return Path(__file__).with_name(SHIPPED_FIGURE_MODEL)


def run_figure_training(squad_files: Sequence[Path], question_files: Sequence[tuple[Path, Path]],
                        output: Path, *, folds: int = FOLDS) -> dict[str, dict[str, Any]]:
    """Collect, cross-validate, fit and write the figure order model; returns the report."""
    with tempfile.TemporaryDirectory(prefix="wenda-figures-") as work:
        groups: list[FigureGroup] = []
        for path in squad_files:
            groups += collect_squad_figures(Path(path), Path(work))
        for path, corpus in question_files:
            groups += collect_question_figures(Path(path), Path(corpus), Path(work))
    if not groups:
        raise ValueError("no question whose answer is one of several figures of its sentence")
    report = cross_validate_figures(groups, folds)
    model = {
        "format": FIGURE_MODEL_FORMAT,
        "features": list(FIGURE_FEATURES),
        "features_version": FIGURE_FEATURES_VERSION,
        "model": fit_figure_order(groups).model_to_string(),
        "report": report,
    }
    FigureOrder.from_dict(model)  # refuse to write a file that would not load
    output.write_text(json.dumps(model, ensure_ascii=False), encoding="utf-8")
    return report
