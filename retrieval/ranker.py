"""The learned answer ranker and the answerability model, loaded from one shipped file.

`ranker.json` holds a LightGBM LambdaMART model that scores candidate
sentences from `retrieval.features.FEATURES`, and a small LightGBM classifier
that judges from the scored candidates whether the articles answer the
question at all; its output is calibrated (Platt) into a `confidence`, and
the file's `threshold` is the confidence below which Wenda says it does not
know. Both are scored with LightGBM's own predictor.

The file records the feature names it was trained with; loading refuses a
file whose names differ from the code's (a feature added without retraining
fails loudly instead of scoring garbage). `retrieval.train` writes it.
"""

from __future__ import annotations

import ctypes
import json
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from retrieval.features import FEATURES, FEATURES_VERSION

MODEL_FORMAT = 1
SHIPPED_MODEL = "ranker.json"

# What the answerability model reads of the best candidates (besides their scores).
_TOP_FEATURES = (
    "s_bigram_cov", "n_bigram_cov", "p_bigram_cov", "s_word_cov", "n_word_cov", "p_word_cov",
    "s_run", "title_bigram_cov", "h_own", "h_around", "h_passage", "h_topic", "h_grounded",
    "h_focus_missing", "h_figure_fit", "h_other_year", "type_fit", "p_word_bm25",
    "p_bigram_bm25", "s_bigram_bm25", "s_wh_cov", "n_wh_cov", "p_wh_cov", "s_title_cov",
    "s_untitled_cov", "s_common_idf", "s_wh_frame", "s_quantity",
)
_QUESTION_FEATURES = (
    "q_chars", "q_terms", "q_bigrams", "q_quantity", "q_missing", "q_missing_share",
    "q_missing_entities", "q_missing_names", "q_missing_years", "q_years",
)
# ... and their best over all candidates: a question whose words no candidate says together
# is rarely answered, whichever one the ranker puts first.
_MAX_FEATURES = (
    "p_bigram_cov", "h_passage", "s_bigram_cov", "s_word_cov", "n_bigram_cov", "n_word_cov",
    "p_word_cov", "s_wh_cov", "p_wh_cov", "s_run", "title_bigram_cov", "s_untitled_cov",
    "s_common_idf",
)
ANSWERABILITY_FEATURES: tuple[str, ...] = (
    "top_score", "second_gap", "fifth_gap", "candidates",
    *(f"top_{name}" for name in _TOP_FEATURES),
    *(f"max_{name}" for name in _MAX_FEATURES),
    *_QUESTION_FEATURES,
    # How the ranker's belief spreads: over the candidates, and over their passages.
    "score_entropy", "top_probability", "top_passage_probability", "other_passage_gap",
    "score_spread",
)
_COLUMN = {name: index for index, name in enumerate(FEATURES)}
_TOP_COLUMNS = np.array([_COLUMN[name] for name in _TOP_FEATURES])
_MAX_COLUMNS = np.array([_COLUMN[name] for name in _MAX_FEATURES])
_QUESTION_COLUMNS = np.array([_COLUMN[name] for name in _QUESTION_FEATURES])
_RANKS = 1 << 16  # more than the passages a BM25 channel ranks for one question


def import_lightgbm() -> ModuleType:
    """LightGBM without its scikit-learn glue: `lightgbm.compat` imports scikit-learn (and
    SciPy with it: a second and a half of every start) whenever it is installed, for
    estimator classes Wenda never uses. Blocking the import while LightGBM loads skips that;
    scikit-learn itself stays importable (training's calibration uses it)."""
    if "lightgbm" in sys.modules or "sklearn" in sys.modules:
        import lightgbm

        return lightgbm
    sys.modules["sklearn"] = None  # type: ignore[assignment]  # import sklearn -> ImportError
    try:
        import lightgbm
    finally:
        del sys.modules["sklearn"]
    return lightgbm


# LightGBM's C API (c_api.h): input types and what a prediction returns.
_FLOAT32, _FLOAT64, _ROW_MAJOR = 0, 1, 1
_PREDICT_NORMAL, _PREDICT_RAW_SCORE = 0, 1


class Predictor:
    """LightGBM's own predictor for a booster, called through its C API on the booster's
    handle. `Booster.predict` copies its keyword arguments, makes a predictor object and
    checks its input on every call: a tenth of a millisecond, twice a question, against
    the few microseconds of the call itself. Scores are the same, bit for bit."""

    def __init__(self, booster: Any, predict_type: int = _PREDICT_NORMAL):
        self._booster = booster  # owns the handle
        self._predict_type = predict_type
        lightgbm = import_lightgbm()
        self._library = lightgbm.basic._LIB
        self._check = lightgbm.basic._safe_call
        self._parameters = b"num_threads=1"

    def predict(self, rows: np.ndarray) -> np.ndarray:
        """One value per row of `rows` (float32 or float64, as Booster.predict reads them)."""
        if rows.dtype not in (np.float32, np.float64):
            rows = rows.astype(np.float32)
        rows = np.ascontiguousarray(rows)
        out = np.empty(len(rows))
        written = ctypes.c_int64(0)
        self._check(self._library.LGBM_BoosterPredictForMat(
            self._booster._handle, rows.ctypes.data_as(ctypes.c_void_p),
            ctypes.c_int(_FLOAT32 if rows.dtype == np.float32 else _FLOAT64),
            ctypes.c_int32(rows.shape[0]), ctypes.c_int32(rows.shape[1]),
            ctypes.c_int(_ROW_MAJOR), ctypes.c_int(self._predict_type),
            ctypes.c_int(0), ctypes.c_int(-1),  # every iteration
            ctypes.c_char_p(self._parameters), ctypes.byref(written),
            out.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
        ))
        if written.value != len(rows):
            raise ModelError(f"LightGBM predicted {written.value} values for {len(rows)} rows")
        return out


class ModelError(Exception):
    """The model file cannot be used with this code; retrain with `wenda train`."""


def read_model_file(path: Path | None, shipped: str, what: str) -> dict[str, Any]:
    """The JSON of a model file at `path`, or of the package's file named `shipped`;
    ModelError (naming `what`) when it cannot be read."""
    try:
        if path is None:
            text = resources.files("retrieval").joinpath(shipped).read_text("utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return json.loads(text)
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot read {what}: {error}") from None


def describe_question(features: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """The answerability model's input for one question: its candidates' features and
    ranker scores (nothing when there are no candidates)."""
    row = np.zeros(len(ANSWERABILITY_FEATURES), np.float32)
    if len(scores) == 0:
        row[ANSWERABILITY_FEATURES.index("top_score")] = -10.0
        return row
    order = np.argsort(-scores, kind="stable")
    ranked = scores[order]
    best = features[order[0]]
    probability = np.exp(scores - ranked[0])
    probability /= probability.sum()
    same_passage = _passage_keys(features) == _passage_keys(features[order[:1]])[0]
    others = scores[~same_passage]
    top = float(ranked[0])
    row[:] = np.concatenate((
        [top,
         top - (ranked[1] if len(ranked) > 1 else top - 10.0),
         top - (ranked[4] if len(ranked) > 4 else ranked[-1] - 10.0),
         len(ranked)],
        best[_TOP_COLUMNS],
        features[:, _MAX_COLUMNS].max(axis=0),
        best[_QUESTION_COLUMNS],
        [-(probability * np.log(probability + 1e-12)).sum(),
         probability[order[0]],
         probability[same_passage].sum(),
         top - (others.max() if len(others) else top - 10.0),
         scores.std()],
    ))
    return row


def _passage_keys(features: np.ndarray) -> np.ndarray:
    """A number per candidate naming its passage: every candidate passage is among the best
    of at least one BM25 channel, so its pair of channel ranks is its own."""
    return features[:, _COLUMN["p_word_rank"]] * _RANKS + features[:, _COLUMN["p_bigram_rank"]]


def logistic(values: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-values)), computed as exp(-log(1 + exp(-values))) so that no finite
    input overflows (a steep calibration of a retrained model meets -400 and less)."""
    return np.exp(-np.logaddexp(0.0, -np.asarray(values, np.float64)))


@dataclass(frozen=True)
class Calibration:
    """Platt scaling: confidence = 1 / (1 + exp(-(slope * raw + intercept)))."""

    slope: float
    intercept: float

    def apply(self, raw: np.ndarray) -> np.ndarray:
        """The confidence of each raw answerability score (of one: a 0-d array)."""
        return logistic(self.slope * np.asarray(raw, np.float64) + self.intercept)


class AnswerModel:
    """Scores candidates and judges answerability; load with `AnswerModel.load`."""

    def __init__(self, ranker: Any, answerability: Any, calibration: Calibration,
                 threshold: float, report: dict[str, Any]):
        self._ranker = Predictor(ranker)
        self._answerability = Predictor(answerability, _PREDICT_RAW_SCORE)
        self.calibration = calibration
        self.threshold = threshold
        self.report = report

    @classmethod
    def load(cls, path: Path | None = None) -> AnswerModel:
        """The model at `path`, or the one shipped with the package."""
        return cls.from_dict(read_model_file(path, SHIPPED_MODEL, "the ranker model"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AnswerModel:
        lightgbm = import_lightgbm()
        if data.get("format") != MODEL_FORMAT:
            raise ModelError(f"model format {data.get('format')} is not {MODEL_FORMAT}")
        if (tuple(data.get("features", ())) != FEATURES
                or data.get("features_version") != FEATURES_VERSION):
            raise ModelError("the model was trained with other features than the code computes: "
                             "retrain it with `wenda train`")
        if tuple(data.get("answerability_features", ())) != ANSWERABILITY_FEATURES:
            raise ModelError("the answerability model was trained with other features: "
                             "retrain it with `wenda train`")
        return cls(
            ranker=lightgbm.Booster(model_str=data["ranker"]),
            answerability=lightgbm.Booster(model_str=data["answerability"]),
            calibration=Calibration(**data["calibration"]),
            threshold=float(data["threshold"]),
            report=data.get("report", {}),
        )

    def score(self, features: np.ndarray) -> np.ndarray:
        """Ranker scores of a question's candidates (higher is better)."""
        if len(features) == 0:
            return np.zeros(0)
        return self._ranker.predict(features)

    def confidence(self, features: np.ndarray, scores: np.ndarray) -> float:
        """Calibrated probability that the articles answer the question."""
        row = describe_question(features, scores)[None, :]
        return float(self.calibration.apply(self._answerability.predict(row)[0]))
