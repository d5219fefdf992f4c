"""The `wenda` command line, run as a user runs it: in a subprocess."""

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
