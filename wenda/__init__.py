"""Wenda (问答): answers questions over a folder of Chinese news articles.

The `wenda` command line lives here; `settings` (below every front end) reads
the environment; the work is done by `index` (files to a SQLite store),
`retrieval` (question to answer) and `bot` (Telegram).
"""

__version__ = "0.1.0"
