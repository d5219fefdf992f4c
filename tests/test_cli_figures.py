"""`wenda figures extract` and `wenda figures score`, run as a user would."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from index.figures import Figure, extract_figures
from wenda import cli


def run_wenda(*args: str, stdin: str | bytes = "") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "wenda", *args],
        input=stdin.encode("utf-8") if isinstance(stdin, str) else stdin,
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


def test_extract_reads_on_past_a_line_that_is_not_utf8():
    stdin = "营收311亿元\n".encode() + b"\xff\xfe" + "利润增长5%\n增长11.4%\n".encode()
    result = run_wenda("figures", "extract", stdin=stdin)
    assert result.returncode == 0, result.stderr.decode()
    lines = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    sentences = [line["sentence"] for line in lines]
    assert sentences == ["营收311亿元", "\ufffd\ufffd利润增长5%", "增长11.4%"]
    assert [[figure["text"] for figure in line["figures"]] for line in lines] == [
        ["311亿元"], ["5%"], ["11.4%"]
    ]
    assert "line 2" in result.stderr.decode()


def test_extract_reads_on_past_a_line_the_extractor_fails_on(monkeypatch, capsys, caplog):
    def extract(sentence: str) -> list[Figure]:
        if sentence == "坏":
            raise ValueError("a rule broke")
        return extract_figures(sentence)

    monkeypatch.setattr(cli, "extract_figures", extract)
    stdin = io.TextIOWrapper(io.BytesIO("营收311亿元\n坏\n增长11.4%\n".encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert cli.main(["figures", "extract"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["sentence"] for line in lines] == ["营收311亿元", "增长11.4%"]
    assert "line 2" in caplog.text


def test_extract_writes_huge_numbers_and_negatives_without_failing():
    stdin = "亏损" + "9" * 5000 + "亿元\n净利润为-3亿元\n"
    result = run_wenda("figures", "extract", stdin=stdin)
    assert result.returncode == 0, result.stderr.decode()
    first, second = (json.loads(line) for line in result.stdout.decode("utf-8").splitlines())
    assert first["figures"] == []
    assert second["figures"][0]["value"] == -300_000_000


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
