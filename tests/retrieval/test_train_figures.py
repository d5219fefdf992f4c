"""Training the figure order model: it learns to list the asked figure first, and the
file it writes refuses features the code no longer computes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from squad_sample import make_figure_squad

from retrieval.figure_order import FIGURE_FEATURES, FigureOrder
from retrieval.ranker import ModelError
from retrieval.train_figures import run_figure_training


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    work = tmp_path_factory.mktemp("figures")
    squad = make_figure_squad(work / "figures.json")
    output = work / "figure_order.json"
    return run_figure_training([squad], [], output, folds=2), output


def test_a_tiny_trained_model_lists_the_asked_figure_first_out_of_fold(trained):
    report, _ = trained
    assert report["figures"]["questions"] == 40
    # The asked figure stands first, second or third: the sentence's order gets a third.
    assert report["figures"]["model_first"] >= 0.9


def test_the_written_model_loads_and_a_changed_feature_list_is_refused(trained, tmp_path: Path):
    _, output = trained
    data = json.loads(output.read_text(encoding="utf-8"))
    assert FigureOrder.from_dict(data).trees > 0
    data["features"] = [*FIGURE_FEATURES, "new_feature"]
    with pytest.raises(ModelError, match="retrain"):
        FigureOrder.from_dict(data)


def test_the_shipped_model_loads_with_the_codes_features():
    shipped = FigureOrder.load()
    assert shipped.trees > 0
    assert shipped.report["all"]["model_first"] > shipped.report["all"]["former_first"]
