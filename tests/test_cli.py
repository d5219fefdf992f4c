"""The `wenda` command line, run as a user runs it: in a subprocess."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wenda.cli import build_parser


def run_wenda(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("WENDA_", "TELEGRAM_"))}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "wenda", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _subcommands(parser):
    for action in parser._subparsers._group_actions:
        yield from action.choices.items()


@pytest.mark.parametrize("name", [name for name, _ in _subcommands(build_parser())])
def test_every_command_has_help_with_an_example(name):
    parser = dict(_subcommands(build_parser()))[name]
    nested = list(_subcommands(parser)) if parser._subparsers else []
    for sub_name, sub in nested or [(name, parser)]:
        text = sub.format_help()
        assert "example" in text.lower(), f"`wenda {name} {sub_name}` help has no example"


def test_index_builds_the_store_and_lists_articles(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "甲公司财报\n营收增长10%。\n业务\n利润5亿元。\n", encoding="utf-8"
    )
    (corpus / "bad.txt").write_bytes(b"\x00\x01 not text")
    result = run_wenda("index", "--corpus", str(corpus), "--db", "x.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout and "1 skipped" in result.stdout
    assert "bad.txt" in result.stdout
    assert "《甲公司财报》" in result.stdout and "› 业务" in result.stdout
    assert (tmp_path / "x.db").is_file()
    again = run_wenda("index", "--corpus", str(corpus), "--db", "x.db", cwd=tmp_path)
    assert "1 unchanged" in again.stdout


def test_index_reads_corpus_and_db_from_the_environment(tmp_path):
    corpus = tmp_path / "articles"
    corpus.mkdir()
    (corpus / "a.md").write_text("# 标题\n\n正文。\n", encoding="utf-8")
    env = {"WENDA_CORPUS_DIR": str(corpus), "WENDA_DB": str(tmp_path / "env.db")}
    result = run_wenda("index", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env.db").is_file()


def test_index_of_a_missing_folder_is_one_line(tmp_path):
    result = run_wenda("index", "--corpus", str(tmp_path / "nope"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "does not exist" in result.stderr


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    """The shipped sample corpus, indexed once for the ask and eval tests."""
    folder = tmp_path_factory.mktemp("cli")
    result = run_wenda("index", "--db", "sample.db", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "sample.db"


def test_ask_prints_the_answer_with_its_source_and_figures(sample_db):
    result = run_wenda(
        "ask", "--db", str(sample_db), "云帆科技第三季度总营收多少？", cwd=sample_db.parent
    )
    assert result.returncode == 0, result.stderr
    assert "126亿元" in result.stdout and "yunfan.txt" in result.stdout


def test_ask_json_is_exactly_one_object(sample_db):
    result = run_wenda(
        "ask", "--db", str(sample_db), "--json", "星河咖啡有多少家门店", cwd=sample_db.parent
    )
    answer = json.loads(result.stdout)  # fails on anything but one JSON document
    assert answer["found"] is True
    first = answer["answers"][0]
    assert {"sentence", "score", "title", "section", "source", "figures"} <= set(first)
    assert any(f["text"] == "10000家" and f["kind"] == "count" for f in first["figures"])


def test_ask_refuses_what_the_articles_do_not_say(sample_db):
    result = run_wenda(
        "ask", "--db", str(sample_db), "--json", "美团外卖订单量多少", cwd=sample_db.parent
    )
    answer = json.loads(result.stdout)
    assert answer["question"] == "美团外卖订单量多少"
    assert answer["found"] is False and answer["answers"] == []
    assert 0 <= answer["confidence"] < 0.5
    assert answer["nearest"] is None  # 美团 is named nowhere: nothing is near


def test_ask_shows_the_nearest_sentence_of_a_question_refused_for_want_of_confidence(sample_db):
    result = run_wenda("ask", "--db", str(sample_db), "星河咖啡的会员有什么权益",
                       cwd=sample_db.parent)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith("没有找到答案")
    assert lines[2].startswith("最接近的一句") and lines[3].startswith("- ")
    assert "星河咖啡" in lines[3] and "来源: " in result.stdout


def test_ask_builds_the_index_first_when_there_is_none(tmp_path):
    result = run_wenda("ask", "--db", "fresh.db", "江城地铁日均客流多少", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "266万人次" in result.stdout and (tmp_path / "fresh.db").is_file()


@pytest.mark.parametrize("question", [[], [""], ["   "]])
def test_empty_question_is_a_usage_error(sample_db, question):
    result = run_wenda("ask", "--db", str(sample_db), *question, cwd=sample_db.parent)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and result.stderr.startswith("wenda:")


def test_eval_json_has_metrics_and_raw_answers(sample_db, tmp_path):
    questions = tmp_path / "q.jsonl"
    rows = [
        {
            "id": "a",
            "question": "星河咖啡二季度总净收入多少",
            "answer_sentence": "总净收入62.8亿元",
            "figures": ["62.8亿元"],
            "kind": "figure",
        },
        {
            "id": "b",
            "question": "南极有多少企鹅",
            "answer_sentence": "",
            "figures": [],
            "kind": "negative",
        },
    ]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    result = run_wenda("eval", str(questions), "--db", str(sample_db), "--json", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert report["metrics"]["hit@1"] == 1.0
    assert report["metrics"]["figure_first"] == 1.0  # 62.8亿元 listed before the others
    assert [r["id"] for r in report["results"]] == ["a", "b"]
    assert report["results"][1]["found"] is False and "ms" in report["results"][0]


def test_eval_squad_reports_wenda_beside_plain_bm25(tmp_path):
    sys.path.insert(0, str(Path(__file__).parent / "retrieval"))
    from squad_sample import make_squad

    squad = make_squad(tmp_path / "set.json", companies=12)
    result = run_wenda("eval", "--squad", str(squad), "--absent-share", "0.25", "--json",
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "dict" not in result.stderr  # jieba loading the baseline's dictionary says nothing
    metrics = json.loads(result.stdout)["metrics"]
    assert metrics["paragraphs"] == 12 and 0 < metrics["left_out"] < 12
    assert metrics["questions"] == 36
    # A left-out company's questions, unless another paragraph holds the answer (a city).
    assert 0 < metrics["unanswerable"] <= 3 * metrics["left_out"]
    assert metrics["hit@1"] >= 0.8 and "plain_bm25_hit@1" in metrics
    # "有多少员工" is answered by the staff count, the one figure of its sentence.
    assert metrics["figure_first_asked"] > 0 and metrics["figure_first"] == 1.0
    text = run_wenda("eval", "--squad", str(squad), cwd=tmp_path).stdout
    assert "plain BM25" in text and "hit@1" in text


def test_eval_squad_of_a_file_that_is_not_squad_is_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "squad"}', encoding="utf-8")
    result = run_wenda("eval", "--squad", str(bad), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "SQuAD" in result.stderr


def test_a_store_built_from_other_articles_is_rebuilt_for_these(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text("甲报\n星海科技第三季度营收为88亿元。\n", encoding="utf-8")
    (second / "b.txt").write_text("乙报\n月湖电子第三季度营收为42亿元。\n", encoding="utf-8")
    db = tmp_path / "wenda.db"
    assert run_wenda("index", "--corpus", str(first), "--db", str(db), cwd=tmp_path).returncode == 0
    result = run_wenda("ask", "--corpus", str(second), "--db", str(db), "--json",
                       "月湖电子第三季度营收多少", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["found"] and "42亿元" in answer["answers"][0]["sentence"]
    assert answer["answers"][0]["source"] == "b.txt"
    assert str(first) in result.stderr  # says which articles the store held


def test_index_summary_names_a_bad_line_and_keeps_the_rest(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    good = {"title": "晚报", "text": "星海科技第三季度营收为88亿元。"}
    lines = [json.dumps(good, ensure_ascii=False), "{broken", json.dumps(good, ensure_ascii=False)]
    (corpus / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_wenda("index", "--corpus", str(corpus), "--db", str(tmp_path / "w.db"),
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "bad records or lines skipped" in result.stdout
    assert "news.jsonl:2" in result.stdout
    assert "2 documents" not in result.stdout and "1 added" in result.stdout


def test_a_copied_article_is_answered_once_naming_both_files(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "晚报\n星海科技第三季度营收为88亿元。\n星海科技员工人数为3000人。\n"
    (corpus / "a.txt").write_text(text, encoding="utf-8")
    (corpus / "copy of a.txt").write_text(text, encoding="utf-8")
    result = run_wenda("ask", "--corpus", str(corpus), "--db", str(tmp_path / "w.db"),
                       "--json", "--top", "5", "星海科技第三季度营收多少", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)["answers"]
    sentences = [a["sentence"] for a in answers]
    assert "88亿元" in sentences[0] and len(sentences) == len(set(sentences))
    sources = {answers[0]["source"]} | {s["source"] for s in answers[0]["also_in"]}
    assert sources == {"a.txt", "copy of a.txt"}


def test_ask_json_cites_the_article_as_its_record_gives_it(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    record = {"title": "月湖电子三季报", "url": "https://news.example.com/yuehu",
              "source": "示例财经", "date": "2024-10-30",
              "text": "月湖电子第三季度营收为42亿元，同比增长12%。"}
    (corpus / "news.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    result = run_wenda("ask", "--corpus", str(corpus), "--db", str(tmp_path / "w.db"), "--json",
                       "月湖电子第三季度营收多少", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    best = json.loads(result.stdout)["answers"][0]
    assert "42亿元" in best["sentence"]
    assert (best["url"], best["outlet"], best["published"]) == (
        "https://news.example.com/yuehu", "示例财经", "2024-10-30")
