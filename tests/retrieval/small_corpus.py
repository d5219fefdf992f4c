"""Small corpora written in the tests, indexed and opened the way users do."""

from __future__ import annotations

from pathlib import Path

from index import build_index
from retrieval import Answer, Retriever


def open_corpus(folder: Path, articles: dict[str, str]) -> Retriever:
    """Write `articles` (file name -> text) under `folder`, index them and open the store."""
    corpus = folder / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (corpus / name).write_text(text, encoding="utf-8")
    build_index(corpus, folder / "wenda.db")
    return Retriever.open(folder / "wenda.db")


def first(answer: Answer) -> str:
    """The best sentence of an answer that must have been found."""
    assert answer.found, f"not found: {answer.question}"
    return answer.hits[0].sentence
