"""Wenda (问答): answers questions over a folder of Chinese news articles.

Entry points live here (the `wenda` command line and `Settings`); the work is
done by `index` (files to a SQLite store), `retrieval` (question to answer)
and `bot` (Telegram).
"""

__version__ = "0.1.0"
