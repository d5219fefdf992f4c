"""Visible text of HTML pages, as lines with Markdown-style headings.

Forgiving the way browsers are, and saying so: markup left open (a
<title>, a <script>) is mended or reported in a one-line warning, never
silently allowed to swallow the page.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser

Warn = Callable[[str], None]
"""Receives one-line warnings about bad input, already labelled with where."""

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
        "body",
    ]
)
_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template"})
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_SPACES = re.compile(r"\s+")


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page as lines, headings marked Markdown-style.

    Forgiving the way browsers are: <head> ends where the body starts even
    without </head>, and a <title> left open ends at the next tag (or, with
    no tag after it, is read as the body).
    """

    def __init__(self, name: str, warn: Warn, max_chars: int) -> None:
        super().__init__(convert_charrefs=True)
        self.name, self.warn, self.max_chars = name, warn, max_chars
        self.lines: list[str] = []
        self.current: list[str] = []
        self.current_chars = 0
        self.hidden: list[str] = []  # open hidden tags
        self.dropped = 0  # characters of hidden text since the last hidden tag opened
        self.in_head = False
        self.title = ""
        self.in_title = False
        self.title_done = False
        self.heading = 0

    def _flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self.current)).strip()
        self.current, self.current_chars = [], 0
        if text:
            self.lines.append(("#" * self.heading + " " + text) if self.heading else text)

    def _end_title(self, tag: str) -> None:
        self.in_title, self.title_done = False, True
        if tag != "/title":
            line = self.getpos()[0]
            self.warn(f"{self.name}:{line}: <title> not closed; ended at <{tag}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.in_title:
            self._end_title(tag)
        if tag == "title":
            self.in_title = not self.title_done
        elif tag == "head":
            self.in_head = True
        elif tag in _HIDDEN_TAGS:
            self.hidden.append(tag)
            self.dropped = 0
        elif tag in _HEADINGS:
            self.in_head = False
            self._flush()
            self.heading = _HEADINGS[tag]
        elif tag in _BLOCK_TAGS:
            self.in_head = False
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self.in_title:
            self._end_title("/" + tag)
        if tag == "head":
            self.in_head = False
        elif tag in _HIDDEN_TAGS and tag in self.hidden:
            del self.hidden[len(self.hidden) - 1 - self.hidden[::-1].index(tag) :]
        elif tag in _HEADINGS:
            self._flush()
            self.heading = 0
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif self.hidden:
            self.dropped += len(data.strip())
        elif not self.in_head:
            self.current.append(data)
            self.current_chars += len(data)
            if self.current_chars > self.max_chars:
                self._flush()  # the line cutter cuts it further

    def close(self) -> None:
        super().close()
        if self.in_title:
            self.warn(f"{self.name}: <title> not closed; its text is read as the body")
            self._flush()
            self.in_title, self.current, self.title = False, [self.title], ""
        self.dropped += len(self.rawdata.strip())  # an open <script> keeps its text back
        if self.hidden and self.dropped:
            self.warn(
                f"{self.name}: <{self.hidden[-1]}> not closed; "
                f"{self.dropped} characters after it not indexed"
            )
        self._flush()


# <head> values an article is cited by, as the record fields `citation_from_record` reads.
_META_FIELDS = {
    "og:url": "url",
    "og:site_name": "source",
    "article:published_time": "date",
}
# The head is read until the body starts, or this many characters at most.
MAX_HEAD_CHARS = 256 * 1024


class _HeadReader(HTMLParser):
    """The citation values of an HTML page's <meta> tags and canonical link, up to its body."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.canonical = ""
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "meta":
            key = (attributes.get("property") or attributes.get("name") or "").lower()
            field = _META_FIELDS.get(key)
            if field and field not in self.values:
                self.values[field] = attributes.get("content", "")
        elif tag == "link" and "canonical" in attributes.get("rel", "").lower().split():
            self.canonical = self.canonical or attributes.get("href", "")
        elif tag == "body" or tag in _BLOCK_TAGS or tag in _HEADINGS:
            self.done = True


def read_head_meta(chunks: Iterable[str]) -> dict[str, str]:
    """`url`, `source` and `date` from a page's head (og:url, else the canonical link;
    og:site_name; article:published_time), as far as it gives them."""
    reader = _HeadReader()
    read = 0
    for chunk in chunks:
        reader.feed(chunk)
        read += len(chunk)
        if reader.done or read >= MAX_HEAD_CHARS:
            break
    values = dict(reader.values)
    if not values.get("url") and reader.canonical:
        values["url"] = reader.canonical
    return values


def html_lines(chunks: Iterable[str], name: str, warn: Warn, *, max_chars: int) -> Iterator[str]:
    """Lines of an HTML page fed a chunk at a time; the title comes as a "# " line.

    Text runs are flushed as a line once past `max_chars` (the caller cuts
    lines further); `name` labels the warnings given to `warn`.
    """
    parser = _TextExtractor(name, warn, max_chars)
    title_given = False
    for chunk in itertools.chain(chunks, [None]):
        if chunk is None:
            parser.close()
        else:
            parser.feed(chunk)
        if parser.title_done and not title_given:
            title_given = True
            title = _SPACES.sub(" ", parser.title).strip()
            if title:
                yield "# " + title
        lines, parser.lines = parser.lines, []
        yield from lines
