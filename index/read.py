"""Reading a corpus folder: files to decoded text to paragraphs.

Formats: .txt, .md, .jsonl/.json (one article per record), .html/.htm.
Encodings: UTF-8 (with or without BOM), then GB18030 (which covers GBK and
GB2312). Anything else is reported as unreadable, never guessed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from index.aliases import OPERATOR_FILE
from index.split import Paragraph, split_paragraphs

logger = logging.getLogger(__name__)

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".jsonl", ".json", ".html", ".htm"})
USERDICT_FILE = "userdict.txt"
# Operator files that live in the corpus folder but are not articles.
CONFIG_FILES = frozenset({USERDICT_FILE, OPERATOR_FILE})


class UnreadableFile(Exception):
    """A corpus file that cannot be decoded or parsed; the message says why."""


@dataclass(frozen=True)
class CorpusFile:
    """A file of the corpus, before it is read."""

    path: Path
    relative: str
    size: int
    mtime_ns: int


def list_corpus(corpus_dir: Path) -> list[CorpusFile]:
    """Article files below `corpus_dir`, recursively, in a stable order (hidden files skipped)."""
    files = []
    for path in sorted(corpus_dir.rglob("*")):
        relative = path.relative_to(corpus_dir)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if not path.is_file() or path.suffix.lower() not in ARTICLE_SUFFIXES:
            continue
        if relative.as_posix() in CONFIG_FILES:
            continue
        stat = path.stat()
        files.append(CorpusFile(path, relative.as_posix(), stat.st_size, stat.st_mtime_ns))
    return files


def decode_bytes(data: bytes) -> str:
    """UTF-8 (BOM optional), else GB18030; raise UnreadableFile for binary or other encodings."""
    if b"\x00" in data[:8192]:
        raise UnreadableFile("binary file (contains NUL bytes)")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text.replace("\r\n", "\n").replace("\r", "\n")
    raise UnreadableFile("not UTF-8 or GB18030 text")


def _looks_like_text(text: str) -> bool:
    """Reject decodings full of control characters (binary that happened to decode)."""
    sample = text[:4096]
    controls = sum(1 for c in sample if c < " " and c not in "\n\r\t\f")
    return controls <= len(sample) // 100


def read_paragraphs(path: Path, data: bytes) -> list[Paragraph]:
    """Paragraphs of one corpus file, by its format."""
    text = decode_bytes(data)
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json"):
        return list(_read_records(text, path.name))
    if suffix in (".html", ".htm"):
        title, lines = html_to_lines(text)
        return list(split_paragraphs(lines, title=title, markdown=True))
    markdown = suffix in (".md", ".markdown")
    return list(split_paragraphs(text.split("\n"), markdown=markdown))


def _read_records(text: str, name: str) -> Iterator[Paragraph]:
    """Articles of a .jsonl file (one record a line) or a .json file (a record or a list)."""
    stripped = text.strip()
    if not stripped:
        return
    try:
        if stripped.startswith("[") or (stripped.startswith("{") and "\n" not in stripped):
            loaded = json.loads(stripped)
            records = loaded if isinstance(loaded, list) else [loaded]
        else:
            records = [json.loads(line) for line in stripped.split("\n") if line.strip()]
    except json.JSONDecodeError as error:
        raise UnreadableFile(f"invalid JSON: {error}") from None
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            logger.warning("%s: record %d has no text field; skipped", name, number)
            continue
        title = str(record.get("title") or "")
        yield from split_paragraphs(record["text"].split("\n"), title=title)


_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "table",
        "ul",
        "ol",
        "dd",
        "dt",
        "figcaption",
    ]
)
_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "head"})
_HEADINGS = {f"h{level}": level for level in range(1, 7)}


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page as lines, headings marked Markdown-style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.hidden = 0
        self.title = ""
        self.in_title = False
        self.heading = 0

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        self.current = []
        if text:
            self.lines.append(("#" * self.heading + " " + text) if self.heading else text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        elif tag in _HIDDEN_TAGS:
            self.hidden += 1
        elif tag in _HEADINGS:
            self._flush()
            self.heading = _HEADINGS[tag]
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _HEADINGS:
            self._flush()
            self.heading = 0
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif not self.hidden:
            self.current.append(data)


def html_to_lines(html: str) -> tuple[str, list[str]]:
    """(title, lines) of an HTML page; title from <title>, else the first <h1>."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    parser._flush()
    lines = parser.lines
    title = parser.title.strip()
    if title and not any(line.startswith("# ") for line in lines):
        lines.insert(0, "# " + title)
    return title, lines
