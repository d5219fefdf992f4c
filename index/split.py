"""Splitting article text into headings, paragraphs, passages and sentences.

Plain text in the wild is several articles pasted into one file: headings
are short lines without sentence-ending punctuation, often repeated. These
functions turn such lines into `Paragraph`s that know their article title
and section heading, and cut paragraphs into passages and sentences.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from index.citation import NO_CITATION, Citation

# A heading is a short line; longer lines are always paragraphs.
MAX_HEADING_CHARS = 40
# A paragraph longer than this is cut into windows of whole sentences.
MAX_PASSAGE_CHARS = 300

SENTENCE_ENDS = "。！？!?；;"
_SEMICOLONS = "；;"
# A semicolon ends a sentence only once the sentence is this long: short
# clauses joined by one (58.6%的A；50.3%的B) are read, and compared, together.
SEMICOLON_MIN_CHARS = 80
CLOSERS = "”’」』）)】]》〉\"'"
_OPENING_BRACKETS = "（(【["
_CLOSING_BRACKETS = "）)】]"
# An unclosed bracket stops protecting its content after this many characters.
_BRACKET_REACH = 50
# Characters that cannot end a heading: a line ending in them is prose.
_NOT_HEADING_ENDS = SENTENCE_ENDS + "，,、：:…—" + CLOSERS.replace("」", "").replace("』", "")
_BYLINE = re.compile(r"^(文|作者|撰文|编辑|责编|来源|记者|图)\s*[|｜:：/]")
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_HAS_WORD = re.compile(r"\w")
_HAS_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph with the article and section it belongs to."""

    article: str
    section: str
    text: str
    citation: Citation = NO_CITATION


@dataclass(frozen=True)
class Sentence:
    """A sentence and its character span in the passage it was cut from."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Passage:
    """The unit BM25 ranks: a paragraph, or a window of one."""

    article: str
    section: str
    text: str
    sentences: tuple[Sentence, ...]
    citation: Citation = NO_CITATION


def is_heading(line: str) -> bool:
    """True for a short line that does not end like a sentence."""
    line = line.strip()
    return (
        0 < len(line) <= MAX_HEADING_CHARS
        and line[-1] not in _NOT_HEADING_ENDS
        and bool(_HAS_LETTER.search(line))
    )


def _strip_markdown(line: str) -> tuple[int, str]:
    """(level, text) of a Markdown heading line, or (0, line)."""
    match = _MARKDOWN_HEADING.match(line)
    if match:
        return len(match.group(1)), match.group(2)
    return 0, line


def split_paragraphs(
    lines: Iterable[str],
    *,
    title: str = "",
    markdown: bool = False,
    citation: Citation = NO_CITATION,
) -> Iterator[Paragraph]:
    """Yield paragraphs, keeping headings as the article title or section of what follows.

    A heading becomes an article title when it opens the text, is repeated on
    the next line, is followed by a byline, or follows a blank-line gap; any
    other heading names a section. With `markdown`, `#` headings are titles and
    `##`-`######` headings sections, and plain-looking short lines stay prose.
    Every paragraph carries `citation` (the file's or record's url, outlet and date).
    """
    article, section = title, ""
    pending: list[str] = []  # headings seen since the last paragraph
    gap = True  # a blank line (or the start) precedes the current line
    blanks = 0  # blank lines right before the current line
    previous = None
    # One line of lookahead, so that a file is read as a stream, never held whole.
    stripped = (line.strip() for line in lines)
    for line, following in itertools.pairwise(itertools.chain(stripped, [""])):
        if not line:
            gap = True
            blanks += 1
            continue
        after_blank_lines, blanks = blanks >= 2, 0
        if _BYLINE.match(line):
            # A byline follows its article's title: promote the pending heading.
            if pending:
                article, section, pending = pending[0], "", []
            gap = False
            continue
        level, text = _strip_markdown(line) if markdown else (0, line)
        if markdown and level:
            if level == 1:
                article, section, pending = text, "", []
            else:
                section, pending = text, []
            previous, gap = line, False
            continue
        if not markdown and is_heading(line):
            if line == previous:
                continue  # the same heading twice in a row is one heading
            if following == line or (gap and (not article or after_blank_lines)):
                article, section, pending = line, "", []
            else:
                section = line
                pending.append(line)
            previous, gap = line, False
            continue
        if not _HAS_WORD.search(line):
            continue
        if not article:
            article = _title_from_lede(line)
        pending = []
        previous, gap = line, False
        yield Paragraph(article=article, section=section, text=line, citation=citation)


def _title_from_lede(line: str) -> str:
    """An article without a heading is named by its first sentence, if short."""
    first = split_sentences(line)[0].text
    first = first.rstrip(SENTENCE_ENDS + CLOSERS).strip()
    if len(first) > MAX_HEADING_CHARS:
        first = first[: MAX_HEADING_CHARS - 1] + "…"
    return first


# The characters split_sentences acts on; it jumps from one to the next (regex search)
# instead of looking at every character in Python.
_SPLIT_MARKS_RE = re.compile(
    "[" + re.escape(_OPENING_BRACKETS + _CLOSING_BRACKETS + SENTENCE_ENDS) + "\n]"
)
# What a sentence end takes with it: more terminators and closing quotes or brackets.
_END_RUN_RE = re.compile("[" + re.escape(SENTENCE_ENDS + CLOSERS) + "]*")


def split_sentences(text: str) -> list[Sentence]:
    """Cut text on 。！？!? and line ends (；; in long sentences), keeping closing quotes.

    A terminator inside round or square brackets does not cut (unless the
    bracket has stayed open for long); decimals such as 11.4% never cut,
    since the full stop is not a terminator.
    """
    sentences: list[Sentence] = []
    start = 0
    opened_at: list[int] = []
    search = _SPLIT_MARKS_RE.search
    mark = search(text)
    while mark is not None:
        index = mark.start()
        char = text[index]
        if char in _OPENING_BRACKETS:
            opened_at.append(index)
        elif char in _CLOSING_BRACKETS and opened_at:
            opened_at.pop()
        if char == "\n" or (
            char in SENTENCE_ENDS
            and not _inside_bracket(opened_at, index)
            and (char not in _SEMICOLONS or index - start >= SEMICOLON_MIN_CHARS)
        ):
            end = _END_RUN_RE.match(text, index + 1).end()
            _append_sentence(sentences, text, start, end)
            start = end
            opened_at.clear()
            mark = search(text, end)
            continue
        mark = search(text, index + 1)
    _append_sentence(sentences, text, start, len(text))
    if not sentences:
        sentences.append(Sentence(text=text.strip(), start=0, end=len(text)))
    return sentences


def _inside_bracket(opened_at: list[int], index: int) -> bool:
    return bool(opened_at) and index - opened_at[-1] <= _BRACKET_REACH


def _append_sentence(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    """Add text[start:end] trimmed; a piece without words joins the previous sentence."""
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    start, end = start + lead, start + lead + len(stripped)
    if not _HAS_WORD.search(stripped) and sentences:
        last = sentences[-1]
        sentences[-1] = Sentence(text=text[last.start : end], start=last.start, end=end)
        return
    sentences.append(Sentence(text=stripped, start=start, end=end))


def split_passages(paragraph: Paragraph) -> list[Passage]:
    """A paragraph as one passage, or windows of whole sentences of at most MAX_PASSAGE_CHARS."""
    sentences = split_sentences(paragraph.text)
    windows: list[list[Sentence]] = [[]]
    for sentence in sentences:
        window = windows[-1]
        if window and sentence.end - window[0].start > MAX_PASSAGE_CHARS:
            windows.append([])
        windows[-1].append(sentence)
    passages = []
    for window in windows:
        offset = window[0].start
        text = paragraph.text[offset : window[-1].end]
        passages.append(
            Passage(
                article=paragraph.article,
                section=paragraph.section,
                text=text,
                sentences=tuple(_shifted(window, offset)),
                citation=paragraph.citation,
            )
        )
    return passages


def _shifted(sentences: list[Sentence], offset: int) -> list[Sentence]:
    """The sentences with spans `offset` characters earlier (as they are when it is 0, as
    for most paragraphs, which are one passage)."""
    if not offset:
        return sentences
    return [Sentence(text=s.text, start=s.start - offset, end=s.end - offset) for s in sentences]
