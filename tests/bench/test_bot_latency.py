"""The benchmark's bot latency: the bot it starts, as an operator starts it, answers."""

from __future__ import annotations

from pathlib import Path

from bench.bot_latency import measure_bot_latency
from index import build_index
from settings import sample_corpus_dir


def test_the_bench_times_the_replies_of_the_bot_it_starts(tmp_path: Path):
    db_path = tmp_path / "wenda.db"
    build_index(sample_corpus_dir(), db_path)
    [level] = measure_bot_latency(db_path, sample_corpus_dir(), ["云帆科技第三季度营收多少？"],
                                  tmp_path, levels=((1, 2),))
    assert level.errors == 0
    assert level.latency.n == 2
