"""Training the answer ranker and the answerability model (`wenda train`).

Learned from questions real people wrote: SQuAD-format sets (CMRC 2018,
DRCD; every paragraph becomes an article and every question is asked of the
whole collection) and question files in dev.jsonl's format over a corpus
folder. For each question the Retriever's own candidates and features are
labelled by whether the sentence holds a gold answer.

Cross-validation is grouped by page (a page's paragraphs stay in one fold).
The answerability model learns from the out-of-fold ranker scores, on the
question as asked and on the question with its own paragraph taken away
(when no other paragraph holds its answer: then it is unanswerable), and is calibrated
(Platt) on its own out-of-fold outputs; the refusal threshold is the
confidence below which at most `MAX_REFUSED` of answerable questions fall.
Everything is seeded, so the same data gives the same model file.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.build import build_index
from retrieval.answer import Retriever
from retrieval.features import FEATURES, FEATURES_VERSION
from retrieval.question import EmptyQuestion
from retrieval.ranker import (
    ANSWERABILITY_FEATURES,
    MODEL_FORMAT,
    SHIPPED_MODEL,
    AnswerModel,
    Calibration,
    describe_question,
)
from retrieval.squad import (
    SquadQuestion,
    SquadSet,
    answer_key,
    held_by,
    paragraph_of,
    read_squad,
    split_shards,
    squeeze,
    without_answer,
    write_corpus,
)

logger = logging.getLogger(__name__)

# The operator's own questions (dev.jsonl's format, over their articles) are few next to
# the public sets but closest to what users ask: the ranker sees each this many times.
IN_DOMAIN_COPIES = 5
MAX_REFUSED = 0.02  # share of answerable questions the threshold may refuse
FOLDS = 5
# Unanswerable questions come from indexes each without a tenth of the paragraphs.
ABSENT_SHARDS = 10
SEED = 7
RANKER_PARAMS: dict[str, Any] = {
    "objective": "lambdarank", "metric": "ndcg", "ndcg_eval_at": [1, 3],
    "lambdarank_truncation_level": 20, "learning_rate": 0.05, "num_leaves": 31,
    "min_data_in_leaf": 50, "feature_fraction": 0.8, "bagging_fraction": 0.8,
    "bagging_freq": 1, "lambda_l2": 1.0, "max_bin": 63, "seed": SEED, "deterministic": True,
    "force_row_wise": True, "num_threads": 2, "verbose": -1,
}
RANKER_ROUNDS = 300
ANSWERABILITY_PARAMS: dict[str, Any] = {
    "objective": "binary", "learning_rate": 0.05, "num_leaves": 15, "min_data_in_leaf": 40,
    "feature_fraction": 0.9, "bagging_fraction": 0.8, "bagging_freq": 1, "seed": SEED,
    "deterministic": True, "force_row_wise": True, "num_threads": 2, "verbose": -1,
}
ANSWERABILITY_ROUNDS = 200


@dataclass(frozen=True)
class QuestionData:
    """One question's candidates, features and labels."""

    source: str  # the question set's name
    group: str  # cross-validation group: a question set's page or article
    question: str
    features: np.ndarray
    labels: np.ndarray  # 1 where the candidate sentence holds a gold answer
    paragraphs: np.ndarray  # the candidate's paragraph number (-1 outside SQuAD sets)
    own_paragraph: int  # the paragraph the question was written on (-1 outside SQuAD sets)
    elsewhere: bool  # with its own paragraph absent, a kept one still holds an answer
    answerable: bool  # the articles hold an answer (False for a question to refuse)
    # Features of the candidates when its own paragraph is absent (None outside SQuAD sets).
    without_own: np.ndarray | None = None
    # ... and when its paragraph is there without the sentences that hold its answer (None
    # for most questions: one question of each paragraph gets this).
    unsaid: np.ndarray | None = None
    copies: int = 1  # times the ranker sees it: in-domain questions count more


def _label(retriever: Retriever, question: str, answers: Sequence[str]
           ) -> tuple[np.ndarray, np.ndarray, list[str]] | None:
    try:
        candidates = retriever.candidates(question)
    except EmptyQuestion:
        return None
    keys = [squeeze(s.sentence.folded) for s in candidates.signals]  # already normalised
    labels = np.array([any(a in key for a in answers) for key in keys], np.float32)
    paths = [s.passage.path for s in candidates.signals]
    return candidates.features, labels, paths


def _features_in(squad: SquadSet, questions: Sequence[SquadQuestion], folder: Path,
                 asked: Sequence[int], *, skip: frozenset[int] = frozenset(),
                 replaced: dict[int, str] | None = None) -> dict[int, np.ndarray | None]:
    """Per asked question (by position), its candidates' features in an index of the set's
    paragraphs less `skip`, some of them `replaced` (None when nothing is left to ask)."""
    write_corpus(squad.paragraphs, folder, skip=skip, replaced=replaced)
    build_index(folder, folder.with_suffix(".db"), full=True)
    found: dict[int, np.ndarray | None] = {}
    with Retriever.open(folder.with_suffix(".db")) as retriever:
        for index in asked:
            item = questions[index]
            labelled = _label(retriever, item.question, item.answers)
            found[index] = labelled[0] if labelled else None
    return found


def _label_without_own(squad: SquadSet, questions: Sequence[SquadQuestion], name: str,
                       workdir: Path) -> dict[int, tuple[np.ndarray | None, bool]]:
    """Per question (by position), its candidates' features in an index without a tenth of
    the paragraphs, its own among them, and whether a kept paragraph still holds an answer:
    what an unanswerable question looks like, exactly as `wenda eval --absent-share` asks it
    (unknown words, idf and all)."""
    keys = [answer_key(p.text) for p in squad.paragraphs]
    found: dict[int, tuple[np.ndarray | None, bool]] = {}
    for shard, absent in enumerate(split_shards(squad.paragraphs, ABSENT_SHARDS)):
        asked = [i for i, item in enumerate(questions) if item.paragraph in absent]
        if not asked:
            continue
        features = _features_in(squad, questions, workdir / f"{name}-without-{shard}", asked,
                                skip=absent)
        for index in asked:
            found[index] = (features[index], held_by(questions[index].answers, keys, absent))
    return found


def _label_unsaid(squad: SquadSet, questions: Sequence[SquadQuestion], name: str,
                  workdir: Path) -> dict[int, np.ndarray]:
    """Per question (by position; the first of each paragraph whose answer can be taken
    out), its candidates' features in an index where its paragraph has lost the sentences
    that say its answer: a question about a detail the articles leave out, whose subject
    and words are still there (a product's monthly price asked of an article on its
    membership scheme that gives none), unlike one whose paragraph is absent. A tenth of
    the paragraphs are cut in each index."""
    keys = [answer_key(p.text) for p in squad.paragraphs]
    first: dict[int, int] = {}
    for index, item in enumerate(questions):
        first.setdefault(item.paragraph, index)
    found: dict[int, np.ndarray] = {}
    for shard, members in enumerate(split_shards(squad.paragraphs, ABSENT_SHARDS)):
        cut: dict[int, str] = {}
        for number in sorted(members & first.keys()):
            answers = questions[first[number]].answers
            text = without_answer(squad.paragraphs[number].text, answers)
            if text is not None and not held_by(answers, keys, frozenset({number})):
                cut[number] = text
        if not cut:
            continue
        features = _features_in(squad, questions, workdir / f"{name}-unsaid-{shard}",
                                [first[number] for number in cut], replaced=cut)
        found.update((index, f) for index, f in features.items() if f is not None)
    return found


def collect_squad(path: Path, workdir: Path, limit: int | None = None) -> list[QuestionData]:
    """Index a SQuAD-format set (one article per paragraph) and describe its questions, as
    asked of every paragraph and of an index without their own."""
    squad = read_squad(path)
    name = Path(path).stem
    corpus = workdir / name
    write_corpus(squad.paragraphs, corpus)
    build_index(corpus, workdir / f"{name}.db", full=True)
    questions = squad.questions[:limit]
    without_own = _label_without_own(squad, questions, name, workdir)
    unsaid = _label_unsaid(squad, questions, name, workdir)
    data = []
    with Retriever.open(workdir / f"{name}.db") as retriever:
        for index, item in enumerate(questions):
            labelled = _label(retriever, item.question, item.answers)
            if labelled is None:
                continue
            features, labels, paths = labelled
            without, elsewhere = without_own.get(index, (None, True))
            data.append(QuestionData(
                source=name, group=f"{name}:{item.title}", question=item.question,
                features=features, labels=labels,
                paragraphs=np.array([paragraph_of(p) for p in paths], np.int64),
                own_paragraph=item.paragraph, elsewhere=elsewhere, answerable=True,
                without_own=without, unsaid=unsaid.get(index),
            ))
    logger.info("%s: %d questions", name, len(data))
    return data


def collect_questions(path: Path, corpus: Path, workdir: Path) -> list[QuestionData]:
    """Describe the questions of a dev.jsonl-format file over a corpus folder; a record
    with an empty answer_sentence is a question to refuse. Bad lines are skipped by number."""
    name = Path(path).stem
    db_path = workdir / f"{name}.db"
    build_index(corpus, db_path, full=True)
    data = []
    with Retriever.open(db_path) as retriever, open(path, encoding="utf-8",
                                                    errors="replace") as lines:
        for number, line in enumerate(lines, 1):
            try:
                record = json.loads(line)
                question = str(record["question"])
                expected = answer_key(str(record.get("answer_sentence") or ""))
            except (ValueError, KeyError, TypeError):
                if line.strip():
                    logger.warning("%s:%d: not a question record; skipped", path, number)
                continue
            labelled = _label(retriever, question, [expected] if expected else [])
            if labelled is None:
                continue
            features, labels, _ = labelled
            data.append(QuestionData(
                source=name, group=f"{name}:{corpus.name}", question=question,
                features=features, labels=labels,
                paragraphs=np.full(len(labels), -1, np.int64), own_paragraph=-1,
                elsewhere=False, answerable=bool(expected), copies=IN_DOMAIN_COPIES,
            ))
    logger.info("%s: %d questions", name, len(data))
    return data


def assign_folds(data: Sequence[QuestionData], folds: int = FOLDS) -> np.ndarray:
    """Fold of each question: groups spread over folds by size, largest first (seeded ties)."""
    groups: dict[str, int] = {}
    for item in data:
        groups[item.group] = groups.get(item.group, 0) + 1
    rng = np.random.default_rng(SEED)
    order = sorted(groups, key=lambda g: (-groups[g], rng.random()))
    sizes = np.zeros(folds)
    fold_of: dict[str, int] = {}
    for group in order:
        fold = int(np.argmin(sizes))
        fold_of[group] = fold
        sizes[fold] += groups[group]
    return np.array([fold_of[item.group] for item in data])


def fit_ranker(data: Sequence[QuestionData], rounds: int = RANKER_ROUNDS):
    """A LambdaMART model on the questions that have a right candidate."""
    import lightgbm

    usable = [d for d in data if d.labels.any() for _ in range(d.copies)]
    if not usable:
        raise ValueError("no question has a right candidate: nothing to learn from")
    dataset = lightgbm.Dataset(
        np.concatenate([d.features for d in usable]),
        label=np.concatenate([d.labels for d in usable]),
        group=[len(d.labels) for d in usable],
        feature_name=list(FEATURES), free_raw_data=True,
    )
    return lightgbm.train(RANKER_PARAMS, dataset, num_boost_round=rounds)


@dataclass(frozen=True)
class AnswerabilityRows:
    """The answerability model's rows: every question as asked; every SQuAD question once
    more without its own paragraph's candidates when no kept paragraph holds its answer
    (when one does, the answer is mostly a string that paragraph happens to say about
    something else: neither answerable nor not, so the row is left out; measured: grouped
    CV unanswerable refused 57.4% -> 67.5% with it out); and the questions whose paragraph
    lost the sentences saying their answer (`QuestionData.unsaid`), which are measured but
    not taught: measured, teaching them refused fewer of them out of fold (28.0% -> 26.5%)
    and fewer unanswerable questions (68.0% -> 65.8%), since no input tells such a
    question from an answerable one yet."""

    rows: np.ndarray
    labels: np.ndarray
    owners: np.ndarray  # the question each row came from
    asked: np.ndarray  # the row is the question as asked
    unsaid: np.ndarray  # the row is its question over a paragraph that lost its answer


def _answerability_rows(data: Sequence[QuestionData], scores: Sequence[np.ndarray],
                        scores_without: Sequence[np.ndarray | None],
                        scores_unsaid: Sequence[np.ndarray | None]) -> AnswerabilityRows:
    rows, labels, owners, kinds = [], [], [], []
    for index, item in enumerate(data):
        variants = [(item.features, scores[index], float(item.answerable), "asked")]
        if item.without_own is not None and not item.elsewhere:
            variants.append((item.without_own, scores_without[index], 0.0, "absent"))
        if item.unsaid is not None:
            variants.append((item.unsaid, scores_unsaid[index], 0.0, "unsaid"))
        for features, score, label, kind in variants:
            rows.append(describe_question(features, score))
            labels.append(label)
            owners.append(index)
            kinds.append(kind)
    kinds_array = np.array(kinds)
    return AnswerabilityRows(
        rows=np.array(rows, np.float32), labels=np.array(labels, np.float32),
        owners=np.array(owners), asked=kinds_array == "asked", unsaid=kinds_array == "unsaid")


def fit_answerability(rows: np.ndarray, labels: np.ndarray):
    import lightgbm

    # Leaves of at most a twentieth of the rows: a small question set still gets splits.
    params = {**ANSWERABILITY_PARAMS,
              "min_data_in_leaf": min(ANSWERABILITY_PARAMS["min_data_in_leaf"],
                                      max(5, len(rows) // 20))}
    dataset = lightgbm.Dataset(rows, label=labels, feature_name=list(ANSWERABILITY_FEATURES))
    return lightgbm.train(params, dataset, num_boost_round=ANSWERABILITY_ROUNDS)


def fit_platt(raw: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Slope and intercept mapping raw scores to calibrated probabilities."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1e4).fit(raw[:, None], labels)
    if model.coef_[0, 0] <= 0:
        logger.warning("the answerability model does not separate answerable questions from "
                       "the others on held-out folds: too few questions?")
    return {"slope": float(model.coef_[0, 0]), "intercept": float(model.intercept_[0])}


def choose_threshold(confidence: np.ndarray, labels: np.ndarray,
                     max_refused: float = MAX_REFUSED) -> float:
    """The highest confidence that refuses at most `max_refused` of the answerable rows
    (give it the questions as asked: that is what users ask), less one standard error of
    that share: a threshold that refuses exactly `max_refused` of the rows it was chosen on
    refuses more than that of new questions about half the time (measured: 2.01% in
    grouped cross-validation at a 2% target)."""
    answerable = np.sort(confidence[labels == 1])
    if not len(answerable):
        return 0.5
    error = math.sqrt(max_refused * (1 - max_refused) / len(answerable))
    allowed = int(np.floor(max(max_refused - error, 0.0) * len(answerable)))
    return float(answerable[allowed]) if allowed < len(answerable) else float(answerable[-1])


def _predict(model, features: np.ndarray) -> np.ndarray:
    return model.predict(features, num_threads=2) if len(features) else np.zeros(0)


def _hits(item: QuestionData, score: np.ndarray, k: int) -> bool:
    order = np.lexsort((np.arange(len(score)), -score))[:k]
    return bool(item.labels[order].any())


def cross_validate(data: Sequence[QuestionData], folds: int = FOLDS) -> dict[str, Any]:
    """Out-of-fold ranker scores and answerability decisions, and the metrics they give."""
    fold_of = assign_folds(data, folds)
    scores: list[np.ndarray] = [np.zeros(0)] * len(data)
    scores_without: list[np.ndarray | None] = [None] * len(data)
    scores_unsaid: list[np.ndarray | None] = [None] * len(data)
    for fold in range(folds):
        train = [d for d, f in zip(data, fold_of, strict=True) if f != fold]
        model = fit_ranker(train)
        for index in np.flatnonzero(fold_of == fold):
            item = data[index]
            scores[index] = _predict(model, item.features)
            if item.without_own is not None:
                scores_without[index] = _predict(model, item.without_own)
            if item.unsaid is not None:
                scores_unsaid[index] = _predict(model, item.unsaid)
        logger.info("ranker fold %d done", fold + 1)
    table = _answerability_rows(data, scores, scores_without, scores_unsaid)
    rows, labels = table.rows, table.labels
    row_folds = fold_of[table.owners]
    raw = np.zeros(len(rows))
    for fold in range(folds):
        inside = row_folds == fold
        taught = ~inside & ~table.unsaid
        model = fit_answerability(rows[taught], labels[taught])
        raw[inside] = model.predict(rows[inside], raw_score=True, num_threads=2)
    refused = np.zeros(len(rows), bool)
    for fold in range(folds):
        inside = row_folds == fold
        taught = ~inside & ~table.unsaid
        platt = fit_platt(raw[taught], labels[taught])
        confidence = Calibration(**platt).apply(raw)
        fit = ~inside & table.asked
        threshold = choose_threshold(confidence[fit], labels[fit])
        refused[inside] = confidence[inside] < threshold
    return {"scores": scores, "table": table, "raw": raw,
            "report": _metrics(data, scores, table, refused)}


def _metrics(data: Sequence[QuestionData], scores: Sequence[np.ndarray],
             table: AnswerabilityRows, refused: np.ndarray) -> dict[str, Any]:
    report: dict[str, Any] = {}
    sources = sorted({d.source for d in data})
    first_row = {int(owner): row for row, owner in enumerate(table.owners) if table.asked[row]}
    for source in [*sources, "all"]:
        chosen = [i for i, d in enumerate(data) if source in ("all", d.source)]
        answerable = [i for i in chosen if data[i].answerable]
        inside = np.isin(table.owners, chosen)
        # Unanswerable: a question without its own paragraph, or one asked unanswerable.
        absent = np.flatnonzero(inside & ~table.asked & ~table.unsaid).tolist()
        negatives = absent + [first_row[i] for i in chosen if not data[i].answerable]
        unsaid = np.flatnonzero(inside & table.unsaid)
        n = max(len(answerable), 1)
        report[source] = {
            "questions": len(chosen),
            "hit@1": round(sum(_hits(data[i], scores[i], 1) for i in answerable) / n, 4),
            "hit@3": round(sum(_hits(data[i], scores[i], 3) for i in answerable) / n, 4),
            "candidate_recall": round(sum(data[i].labels.any() for i in answerable) / n, 4),
            "bigram_bm25_hit@1": round(sum(
                _hits(data[i], data[i].features[:, FEATURES.index("s_bigram_bm25")], 1)
                for i in answerable) / n, 4),
            "handwritten_hit@1": round(sum(
                _hits(data[i], data[i].features[:, FEATURES.index("h_score")], 1)
                for i in answerable) / n, 4),
            "answerable_refused": round(
                sum(refused[first_row[i]] for i in answerable) / n, 4),
            "unanswerable": len(negatives),
            "unanswerable_refused": round(
                sum(refused[r] for r in negatives) / max(len(negatives), 1), 4),
            "unsaid": len(unsaid),
            "unsaid_refused": round(float(refused[unsaid].mean()), 4) if len(unsaid) else None,
        }
    return report


def train_model(data: Sequence[QuestionData], folds: int = FOLDS) -> dict[str, Any]:
    """Cross-validate, then fit both models on everything: the model file's contents."""
    validated = cross_validate(data, folds)
    table = validated["table"]
    taught = ~table.unsaid
    ranker = fit_ranker(data)
    answerability = fit_answerability(table.rows[taught], table.labels[taught])
    platt = fit_platt(validated["raw"][taught], table.labels[taught])
    confidence = Calibration(**platt).apply(validated["raw"])
    return {
        "format": MODEL_FORMAT,
        "features": list(FEATURES),
        "features_version": FEATURES_VERSION,
        "answerability_features": list(ANSWERABILITY_FEATURES),
        "ranker": ranker.model_to_string(),
        "answerability": answerability.model_to_string(),
        "calibration": platt,
        "threshold": choose_threshold(confidence[table.asked], table.labels[table.asked]),
        "report": validated["report"],
    }


def format_report(report: dict[str, Any]) -> str:
    """Cross-validated metrics, a line per question set."""
    names = ["hit@1", "hit@3", "candidate_recall", "bigram_bm25_hit@1", "handwritten_hit@1",
             "answerable_refused", "unanswerable_refused", "unsaid_refused"]
    lines = [f"{'set':<18}{'questions':>10}" + "".join(f"{n:>22}" for n in names)]
    for source, values in report.items():
        lines.append(f"{source:<18}{values['questions']:>10}" + "".join(
            f"{values[n]:>22.3f}" if values[n] is not None else f"{'-':>22}" for n in names))
    return "\n".join(lines)


def default_model_path() -> Path:
    return Path(__file__).with_name(SHIPPED_MODEL)


def run_training(squad_files: Sequence[Path], question_files: Sequence[tuple[Path, Path]],
                 output: Path, *, folds: int = FOLDS, limit: int | None = None) -> dict:
    """Collect, cross-validate, fit and write the model file; returns the report."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="wenda-train-") as work:
        data: list[QuestionData] = []
        for path in squad_files:
            data += collect_squad(Path(path), Path(work), limit)
        for path, corpus in question_files:
            data += collect_questions(Path(path), Path(corpus), Path(work))
    logger.info("features of %d questions in %.0f s", len(data), time.perf_counter() - started)
    model = train_model(data, folds)
    AnswerModel.from_dict(model)  # refuse to write a file that would not load
    output.write_text(json.dumps(model, ensure_ascii=False), encoding="utf-8")
    return model["report"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m retrieval.train",
        description="Train the answer ranker and answerability model, print the "
        "cross-validated metrics and write the model file.",
    )
    parser.add_argument("--squad", action="append", default=[], metavar="FILE.json")
    parser.add_argument("--questions", action="append", default=[], nargs=2,
                        metavar=("FILE.jsonl", "CORPUS_DIR"))
    parser.add_argument("--output", type=Path, default=default_model_path())
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--limit", type=int, default=None, help="questions per SQuAD file")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    report = run_training(args.squad, [tuple(map(Path, q)) for q in args.questions],
                          args.output, folds=args.folds, limit=args.limit)
    print(format_report(report))
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
