"""`wenda figures extract` and `wenda figures score`, run as a user would."""

from __future__ import annotations

import json
import subprocess
import sys


def run_wenda(*args: str, stdin: str = "") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "wenda", *args],
        input=stdin.encode("utf-8"),
        capture_output=True,
        check=False,
        timeout=120,
    )


def test_extract_writes_one_json_line_per_input_line():
    result = run_wenda("figures", "extract", stdin="总营收同比增长超过11.4%至311亿元\n\n")
    assert result.returncode == 0, result.stderr.decode()
    lines = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert lines[1] == {"sentence": "", "figures": []}
    first = lines[0]
    assert first["sentence"] == "总营收同比增长超过11.4%至311亿元"
    assert [figure["text"] for figure in first["figures"]] == ["11.4%", "311亿元"]
    money = first["figures"][1]
    assert money["value"] == 31100000000 and money["unit"] == "CNY"
    assert first["figures"][0]["qualifier"] == "more than"
    assert set(money) == {"text", "kind", "value", "unit", "qualifier", "metric", "start", "end"}


def test_extract_writes_ranges_as_lists():
    result = run_wenda("figures", "extract", stdin="裁员比例达到 20%-40%\n")
    figure = json.loads(result.stdout.decode("utf-8"))["figures"][0]
    assert figure["value"] == [20, 40]


def test_score_json_and_missing_gold(tmp_path):
    gold = tmp_path / "gold.jsonl"
    record = {
        "id": 1,
        "sentence": "营收达到52.1亿元",
        "figures": [
            {"text": "52.1亿元", "type": "money", "value": 5210000000, "unit": "CNY",
             "qualifier": None, "qualifier_text": None, "metric": "营收",
             "start": 4, "end": 10, "ext_start": 4, "ext_end": 10},
        ],
    }
    gold.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run_wenda("figures", "score", str(gold), "--json")
    assert result.returncode == 0, result.stderr.decode()
    score = json.loads(result.stdout)
    assert score["f1"] == 1.0 and score["metric_accuracy"] == 1.0
    missing = run_wenda("figures", "score", str(tmp_path / "absent.jsonl"))
    assert missing.returncode == 1
    assert "cannot read gold file" in missing.stderr.decode()


def test_figures_help_has_an_example():
    for args in (("figures",), ("figures", "extract"), ("figures", "score")):
        result = run_wenda(*args, "--help")
        assert result.returncode == 0
        assert "example:" in result.stdout.decode()
