"""Aliases: the names and words people use for the same company, product or measure.

A shipped table (`retrieval/synonyms.txt`) is extended by an operator's
`synonyms.txt` in the corpus folder. Each line is one group,
``kind: form, form, ...``; forms are compared in normalised form, so
"Bilibili", "B站" and "ｂ站" all find the group of 哔哩哔哩.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from index.normalise import normalise

logger = logging.getLogger(__name__)

# Kinds naming what a question is about: if the articles never mention any
# form of such a group, the question cannot be answered from them.
ENTITY_KINDS = frozenset({"company", "product", "person"})
OPERATOR_FILE = "synonyms.txt"


@dataclass(frozen=True)
class AliasGroup:
    kind: str
    forms: tuple[str, ...]  # normalised


@dataclass(frozen=True)
class AliasMatch:
    """A form of `group` found at [start, end) of a normalised question."""

    group: AliasGroup
    form: str
    start: int
    end: int


def parse_synonyms(lines: Iterable[str]) -> list[AliasGroup]:
    """Groups of a synonyms file; a line without a kind gets kind "term"."""
    groups = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        kind, sep, rest = line.partition(":")
        if not sep or not re.fullmatch(r"[a-z]+", kind.strip()):
            kind, rest = "term", line
        pieces = (normalise(piece) for piece in re.split(r"[,，、|]", rest))
        forms = tuple(dict.fromkeys(form for form in pieces if form))
        if len(forms) > 1:
            groups.append(AliasGroup(kind.strip(), forms))
    return groups


def _form_pattern(form: str) -> str:
    """A regex for `form`, with word boundaries where it starts or ends in Latin or digits."""
    pattern = re.escape(form)
    if form[0].isascii() and form[0].isalnum():
        pattern = r"(?<![a-z0-9])" + pattern
    if form[-1].isascii() and form[-1].isalnum():
        pattern += r"(?![a-z0-9])"
    return pattern


class SynonymTable:
    """Finds alias forms in normalised questions."""

    def __init__(self, groups: Iterable[AliasGroup]):
        self.groups = tuple(groups)
        self._groups_of: dict[str, list[AliasGroup]] = {}
        for group in self.groups:
            for form in group.forms:
                self._groups_of.setdefault(form, []).append(group)
        forms = sorted(self._groups_of, key=len, reverse=True)  # longest form wins at a position
        self._pattern = re.compile("|".join(_form_pattern(f) for f in forms)) if forms else None

    @classmethod
    def load(cls, corpus_dir: Path | None = None) -> SynonymTable:
        """The shipped table plus the corpus folder's own synonyms.txt, if there is one."""
        text = resources.files("retrieval").joinpath("synonyms.txt").read_text(encoding="utf-8")
        groups = parse_synonyms(text.splitlines())
        if corpus_dir is not None and (corpus_dir / OPERATOR_FILE).is_file():
            extra = parse_synonyms((corpus_dir / OPERATOR_FILE).read_text("utf-8").splitlines())
            logger.info("loaded %d alias groups from %s", len(extra), corpus_dir / OPERATOR_FILE)
            groups += extra
        return cls(groups)

    def find(self, normalised: str) -> list[AliasMatch]:
        """Every alias form in the text (longest first where forms overlap)."""
        if self._pattern is None:
            return []
        return [
            AliasMatch(group, match.group(0), match.start(), match.end())
            for match in self._pattern.finditer(normalised)
            for group in self._groups_of[match.group(0)]
        ]
