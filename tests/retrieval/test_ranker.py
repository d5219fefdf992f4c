"""The learned ranker: the shipped model matches the code, and training learns to rank."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from squad_sample import make_squad

from retrieval import Retriever
from retrieval.features import FEATURES
from retrieval.ranker import (
    ANSWERABILITY_FEATURES,
    AnswerModel,
    Calibration,
    ModelError,
    describe_question,
    import_lightgbm,
)
from retrieval.squad import answer_key, read_squad
from retrieval.train import (
    QuestionData,
    _answerability_rows,
    choose_threshold,
    collect_squad,
    train_model,
)


def test_shipped_model_loads_and_matches_the_code_features():
    model = AnswerModel.load()
    assert 0 < model.threshold < 1
    features = np.zeros((3, len(FEATURES)), np.float32)
    features[1, FEATURES.index("s_bigram_cov")] = 1.0
    scores = model.score(features)
    assert scores.shape == (3,)
    assert 0.0 <= model.confidence(features, scores) <= 1.0


def test_scores_are_lightgbms_own_predictions_bit_for_bit():
    """AnswerModel calls LightGBM's C API directly: the same values as Booster.predict."""
    model = AnswerModel.load()
    data = json.loads(Path(__file__).parents[2].joinpath("retrieval", "ranker.json").read_text())
    lightgbm = import_lightgbm()
    ranker = lightgbm.Booster(model_str=data["ranker"])
    answerability = lightgbm.Booster(model_str=data["answerability"])
    rng = np.random.default_rng(3)
    for dtype in (np.float32, np.float64):
        features = rng.random((40, len(FEATURES))).astype(dtype)
        features[rng.random(features.shape) < 0.3] = 0.0
        scores = model.score(features)
        assert np.array_equal(scores, ranker.predict(features, num_threads=1))
        row = describe_question(features, scores)[None, :]
        raw = answerability.predict(row, raw_score=True, num_threads=1)[0]
        assert model.confidence(features, scores) == model.calibration.apply(float(raw))


@pytest.mark.parametrize("key", ["features", "answerability_features"])
def test_a_model_trained_with_other_features_refuses_to_load(tmp_path: Path, key: str):
    data = json.loads(Path(__file__).parents[2].joinpath("retrieval", "ranker.json").read_text())
    data[key] = data[key] + ["a_feature_the_code_does_not_compute"]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError, match="retrain"):
        AnswerModel.load(path)


def test_an_unreadable_model_file_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "model.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="cannot read"):
        AnswerModel.load(path)


def test_threshold_refuses_less_than_the_allowed_share_of_answerable_by_a_margin():
    confidence = np.linspace(0.0, 1.0, 10_000)
    labels = np.ones(10_000)
    refused = (confidence < choose_threshold(confidence, labels, max_refused=0.05)).sum()
    assert 450 <= refused < 500  # 5% less one standard error (0.22%): room for new questions


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[AnswerModel, Path]:
    work = tmp_path_factory.mktemp("train")
    squad = make_squad(work / "sample.json")
    data = collect_squad(squad, work)
    model = AnswerModel.from_dict(train_model(data, folds=2))
    return model, work


def test_a_steep_calibration_gives_a_confidence_for_any_raw_score():
    # A model retrained on few questions can be calibrated this steeply; a question far
    # from anything it saw then scored -10 and crashed the answer with an overflow.
    steep = Calibration(slope=41.35, intercept=-417.4)
    raw = np.array([-1e6, -10.5, 10.09, 11.0, 1e6])
    confidence = steep.apply(raw)
    assert np.all((confidence >= 0) & (confidence <= 1)) and np.all(np.diff(confidence) >= 0)
    assert confidence[0] == 0.0 and confidence[-1] == 1.0
    assert float(steep.apply(-10.5)) == pytest.approx(0.0)


def test_a_tiny_trained_model_ranks_the_right_sentence_first(tiny_model):
    model, work = tiny_model
    squad = read_squad(work / "sample.json")
    with Retriever.open(work / "sample.db", model) as retriever:
        right = 0
        for item in squad.questions:
            answer = retriever.answer(item.question)
            right += bool(answer.hits) and any(
                a in answer_key(answer.hits[0].sentence) for a in item.answers
            )
    assert right >= 0.9 * len(squad.questions)


def test_a_tiny_trained_model_is_less_sure_of_what_the_articles_never_say(tiny_model):
    model, work = tiny_model
    with Retriever.open(work / "sample.db", model) as retriever:
        squad = read_squad(work / "sample.json")
        known = np.mean([retriever.answer(q.question).confidence for q in squad.questions])
        unknown = np.mean([
            retriever.answer(q).confidence
            for q in ("火星探测器的燃料是什么？", "古罗马斗兽场能容纳多少观众？", "企鹅吃什么？")
        ])
    assert unknown < known


def test_answerability_features_are_named_once():
    assert len(set(ANSWERABILITY_FEATURES)) == len(ANSWERABILITY_FEATURES)
    assert len(set(FEATURES)) == len(FEATURES)


def _question(elsewhere: bool, unsaid: bool = False) -> QuestionData:
    features = np.zeros((2, len(FEATURES)), np.float32)
    return QuestionData(
        source="set", group="set:page", question="问", features=features,
        labels=np.array([1.0, 0.0], np.float32), paragraphs=np.array([0, 1]), own_paragraph=0,
        elsewhere=elsewhere, answerable=True, without_own=features[1:],
        unsaid=features[1:] if unsaid else None,
    )


def test_a_question_whose_answer_another_paragraph_happens_to_say_is_not_taught_either_way():
    data = [_question(elsewhere=False), _question(elsewhere=True)]
    scores = [np.zeros(2), np.zeros(2)]
    table = _answerability_rows(data, scores, [np.zeros(1), np.zeros(1)], [None, None])
    # Both as asked (answerable); only the first once more without its paragraph (not).
    assert table.labels.tolist() == [1.0, 0.0, 1.0]
    assert table.owners.tolist() == [0, 0, 1]
    assert table.asked.tolist() == [True, False, True]
    assert not table.unsaid.any()


def test_a_question_over_its_paragraph_without_the_answer_is_counted_unanswerable():
    data = [_question(elsewhere=True, unsaid=True)]
    table = _answerability_rows(data, [np.zeros(2)], [np.zeros(1)], [np.zeros(1)])
    assert table.labels.tolist() == [1.0, 0.0]
    assert table.asked.tolist() == [True, False]
    assert table.unsaid.tolist() == [False, True]
