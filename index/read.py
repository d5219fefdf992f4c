"""Reading a corpus folder: files to decoded text to paragraphs.

Formats: .txt, .md, .jsonl/.json (one article per record), .html/.htm.
Encodings: UTF-8 (with or without BOM), then GB18030 (which covers GBK and
GB2312). Anything else, and bytes that decode but are not plausibly Chinese
or Latin text, is reported as unreadable, never guessed.

Files are read as streams, a chunk at a time, and a line longer than
MAX_LINE_CHARS is cut into pieces (at sentence ends when it can be) as it is
read: a 50 MB file without a line break never sits in memory whole. Bad
input inside a file (a broken JSON line, a record without text, an unclosed
<title>) is skipped or mended with a one-line warning naming the file and
line, and the rest of the file is kept.
"""

from __future__ import annotations

import codecs
import json
import logging
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from index.aliases import OPERATOR_FILE
from index.citation import citation_from_record
from index.markup import Warn, html_lines, read_head_meta
from index.normalise import normalise, replace_surrogates
from index.split import (
    CLOSERS,
    MAX_HEADING_CHARS,
    Paragraph,
    split_paragraphs,
)

logger = logging.getLogger(__name__)

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".jsonl", ".json", ".html", ".htm"})
USERDICT_FILE = "userdict.txt"
# Operator files that live in the corpus folder but are not articles.
CONFIG_FILES = frozenset({USERDICT_FILE, OPERATOR_FILE})

# A longer line is cut into pieces while it is read (news paragraphs are far shorter).
MAX_LINE_CHARS = 3000
# Text is decoded and checked this many characters at a time.
CHUNK_CHARS = 1 << 16
# A .json file is parsed whole; a .jsonl file that is one pretty-printed
# document is too, when it is no larger than this.
MAX_WHOLE_JSON_BYTES = 64 * 1024 * 1024
# GB18030 decodes almost any run of bytes 0x81-0xFE; real Chinese text is
# almost all common characters, random bytes are mostly rare ones.
MIN_COMMON_SHARE = 0.8
# Where a long line is cut, best first: a full stop, then a clause break, then a space.
# A semicolon ends a sentence only in long ones (split.SEMICOLON_MIN_CHARS): a clause break.
_CUT_MARKS = ("。！？!?", "；;，,、：:", " \t")
_SAMPLE_CHARS = 4096
_ODD_CATEGORIES = frozenset({"Co", "Cn", "Cs"})  # private use, unassigned, surrogates

class UnreadableFile(Exception):
    """A corpus file that cannot be decoded or parsed; the message says why."""


@dataclass(frozen=True)
class CorpusFile:
    """A file of the corpus, before it is read."""

    path: Path
    relative: str  # for people and the store: undecodable bytes of the name shown as U+FFFD
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
        name = replace_surrogates(relative.as_posix())
        files.append(CorpusFile(path, name, stat.st_size, stat.st_mtime_ns))
    return files


def _log_warning(message: str) -> None:
    logger.warning("%s", message)


# Decoding --------------------------------------------------------------------


def detect_encoding(path: Path, *, records: bool = False) -> str:
    """The encoding the whole file decodes in (UTF-8 first); raise UnreadableFile if none.

    A NUL byte makes a file binary, except in a file of JSON records, where it only
    spoils the record it is in (skipped by line, the others kept).
    """
    with open(path, "rb") as handle:
        if not records and b"\x00" in handle.read(8192):
            raise UnreadableFile("binary file (contains NUL bytes)")
    for encoding in ("utf-8-sig", "gb18030"):
        if _decodes(path, encoding):
            return encoding
    raise UnreadableFile("not UTF-8 or GB18030 text")


def _decodes(path: Path, encoding: str) -> bool:
    """True when the file decodes without error (checked in blocks, nothing kept)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as handle:
        try:
            for block in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def read_chunks(path: Path, encoding: str, *, check: bool = True) -> Iterator[str]:
    """The decoded text of a file in pieces, line ends made "\\n", each piece checked
    (unless `check` is False: JSON records are checked one by one by parsing them)."""
    with open(path, encoding=encoding, newline=None) as handle:
        for chunk in iter(lambda: handle.read(CHUNK_CHARS), ""):
            if check:
                check_text(chunk, encoding)
            yield chunk


def check_text(text: str, encoding: str) -> None:
    """Raise UnreadableFile when decoded text is not plausibly Chinese or Latin text."""
    sample = text[:_SAMPLE_CHARS]
    if not sample:
        return
    controls = sum(1 for c in sample if c < " " and c not in "\n\r\t\f")
    if controls > len(sample) // 100:
        raise UnreadableFile("not text: full of control characters")
    odd = sum(1 for c in sample if unicodedata.category(c) in _ODD_CATEGORIES)
    if odd > len(sample) // 100:
        raise UnreadableFile("not text: full of private-use or unassigned characters")
    if encoding != "gb18030":
        return  # UTF-8 that decodes is text; GB18030 decodes nearly any bytes
    wide = "".join(c for c in sample if not c.isascii())
    if len(wide) < 32:
        return
    # Traditional characters lie outside GB2312's common rows: compare Simplified.
    folded = normalise(wide)
    common = sum(1 for c in folded if _is_common(c))
    if common < MIN_COMMON_SHARE * len(folded):
        raise UnreadableFile(
            f"not text: decodes as GB18030 but only {common / len(folded):.0%} of its "
            "characters are common Chinese characters or punctuation"
        )


def _is_common(char: str) -> bool:
    """ASCII, GB2312 punctuation and symbols (rows A1-A9) or a level-1 hanzi (rows B0-D7)."""
    if char.isascii():
        return True
    try:
        lead = char.encode("gb2312")[0]
    except UnicodeEncodeError:
        return False
    return 0xA1 <= lead <= 0xA9 or 0xB0 <= lead <= 0xD7


def read_text(path: Path, encoding: str | None = None) -> str:
    """The whole decoded text of a file, for formats that are parsed whole (.json)."""
    return "".join(read_chunks(path, encoding or detect_encoding(path)))


# Lines -----------------------------------------------------------------------


def cut_lines(chunks: Iterable[str], on_cut: Callable[[int], None]) -> Iterator[tuple[int, str]]:
    """(line number, text) of a stream of text, a line too long to hold coming in pieces.

    A line over MAX_LINE_CHARS + MAX_HEADING_CHARS is cut into pieces of at
    most MAX_LINE_CHARS, so that the last piece is too long to pass for a
    heading. A piece ends at the last sentence end that fits, else at a
    comma or space, else at the limit; `on_cut` hears the number of each
    line that is cut.
    """
    reach = MAX_LINE_CHARS + MAX_HEADING_CHARS
    pending = ""
    number = 1
    for chunk in chunks:
        pending += chunk
        start = 0
        while True:
            end = pending.find("\n", start, start + reach + 1)
            if end != -1:
                yield number, pending[start:end]
                number += 1
                start = end + 1
            elif len(pending) - start > reach:
                cut = _cut_point(pending, start, start + MAX_LINE_CHARS)
                if start == 0 or pending[start - 1] == "\n":
                    on_cut(number)
                yield number, pending[start:cut]
                start = cut
            else:
                break
        pending = pending[start:]
    if pending:
        yield number, pending


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where to cut text[start:limit]: after its last sentence end, comma or space (back half)."""
    low = start + (limit - start) // 2
    for marks in _CUT_MARKS:
        end = max(text.rfind(mark, low, limit) for mark in marks)
        if end != -1:
            end += 1
            while end < limit and text[end] in CLOSERS:
                end += 1
            return end
    return limit


def _whole_lines(chunks: Iterable[str]) -> Iterator[str]:
    """Lines of a stream of text, uncut (a JSON record must be parsed whole)."""
    parts: list[str] = []
    for chunk in chunks:
        *complete, rest = chunk.split("\n")
        if complete:
            parts.append(complete[0])
            yield "".join(parts)
            yield from complete[1:]
            parts = []
        parts.append(rest)
    if any(parts):
        yield "".join(parts)


# Formats ---------------------------------------------------------------------


def read_paragraphs(
    path: Path, *, name: str | None = None, warn: Warn = _log_warning
) -> Iterator[Paragraph]:
    """Paragraphs of one corpus file, by its format, read as a stream.

    Raises UnreadableFile (when the file is opened, or part-way when a later
    part turns out not to be text). `name` labels warnings (default: the
    file name); `warn` receives each one-line warning.
    """
    name = name or replace_surrogates(path.name)
    suffix = path.suffix.lower()
    encoding = detect_encoding(path, records=suffix in (".jsonl", ".json"))
    if suffix in (".jsonl", ".json"):
        return _read_json(path, encoding, suffix, name, warn)
    if suffix in (".html", ".htm"):
        on_cut = _warn_once(warn, lambda _: f"{name}: {_CUT_MESSAGE}")
        head = read_chunks(path, encoding)
        citation = citation_from_record(read_head_meta(head))
        head.close()
        html = html_lines(read_chunks(path, encoding), name, warn, max_chars=MAX_LINE_CHARS)
        lines = (text for _, text in cut_lines((line + "\n" for line in html), on_cut))
        return split_paragraphs(lines, markdown=True, citation=citation)
    markdown = suffix in (".md", ".markdown")
    on_cut = _warn_once(warn, lambda number: f"{name}:{number}: {_CUT_MESSAGE}")
    lines = (text for _, text in cut_lines(read_chunks(path, encoding), on_cut))
    return split_paragraphs(lines, markdown=markdown)


_CUT_MESSAGE = f"line longer than {MAX_LINE_CHARS} characters cut into pieces (and any later)"


def _warn_once(warn: Warn, message: Callable[[int], str]) -> Callable[[int], None]:
    """A callback that warns for the first line it hears of, and stays quiet after."""
    heard: list[int] = []

    def on_cut(number: int) -> None:
        if not heard:
            warn(message(number))
        heard.append(number)

    return on_cut


def _read_json(
    path: Path, encoding: str, suffix: str, name: str, warn: Warn
) -> Iterator[Paragraph]:
    """Articles of a .json file (an object or an array) or a .jsonl file (one a line)."""
    lines = _whole_lines(read_chunks(path, encoding, check=False))
    if suffix == ".jsonl":
        first = next((line for line in lines if line.strip()), None)
        lines.close()
        if first is None:
            return
        if _parse_json(first)[1] is None or path.stat().st_size > MAX_WHOLE_JSON_BYTES:
            yield from _read_json_lines(path, encoding, name, warn)
            return
    text = read_text(path, encoding)
    if not text.strip():
        return
    value, error = _parse_json(text)
    if error == "Extra data":  # one record a line, under a .json name
        yield from _read_json_lines(path, encoding, name, warn)
        return
    if error is not None:
        if suffix == ".jsonl":  # not one document after all: read it line by line
            yield from _read_json_lines(path, encoding, name, warn)
            return
        raise UnreadableFile(f"invalid JSON: {error}")
    if isinstance(value, dict):
        yield from _record_paragraphs(value, name, warn)
    elif isinstance(value, list):
        for number, record in enumerate(value, 1):
            yield from _record_paragraphs(record, f"{name}: record {number}", warn)
    else:
        raise UnreadableFile("JSON holds neither an object nor an array of objects")


def _read_json_lines(path: Path, encoding: str, name: str, warn: Warn) -> Iterator[Paragraph]:
    """One record a line; a line that is not a JSON record is skipped with a warning."""
    for number, line in enumerate(_whole_lines(read_chunks(path, encoding, check=False)), 1):
        if not line.strip():
            continue
        record, error = _parse_json(line)
        if error is not None:
            warn(f"{name}:{number}: invalid JSON ({error}); line skipped")
            continue
        yield from _record_paragraphs(record, f"{name}:{number}", warn)


def _parse_json(text: str) -> tuple[object, str | None]:
    """(value, None), or (None, why) when `text` is not one JSON document."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":
            return None, error.msg
        return None, f"{error.msg} at line {error.lineno} column {error.colno}"
    except RecursionError:
        return None, "nested too deeply"


def _record_paragraphs(record: object, where: str, warn: Warn) -> Iterator[Paragraph]:
    """Paragraphs of one JSON record: its "text" under its "title", cited by its "url",
    "source" and "date" (see `index.citation` for the other names read)."""
    if not isinstance(record, dict):
        warn(f"{where}: not a JSON object; skipped")
        return
    text = record.get("text")
    if not isinstance(text, str):
        problem = (
            "no text field" if text is None else f"text is {type(text).__name__}, not a string"
        )
        warn(f"{where}: {problem}; skipped")
        return
    title = record.get("title") or ""
    if not isinstance(title, str):
        warn(f"{where}: title is {type(title).__name__}, not a string; title ignored")
        title = ""
    on_cut = _warn_once(warn, lambda _: f"{where}: {_CUT_MESSAGE}")
    lines = (line for _, line in cut_lines([replace_surrogates(text)], on_cut))
    citation = citation_from_record(record)
    yield from split_paragraphs(lines, title=replace_surrogates(title), citation=citation)
