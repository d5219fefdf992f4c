"""Benchmarks: how fast and how big Wenda is at 10k, 100k and 1M passages.

`python -m bench.run` grows synthetic corpora from a seed corpus (`corpus`),
indexes them, and measures ingest, cold start, query latency next to
rank_bm25, memory, store size (`measure`, `serve`, `reference`) and the bot's
reply latency through the Bot API emulator (`bot_latency`). Not part of the
test suite: absolute times depend on the machine, so every run measures the
reference in the same run.
"""
