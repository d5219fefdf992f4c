"""Finding aliases in questions (the table itself is `index.aliases`).

Forms are compared in normalised form, so "Bilibili", "B站" and "ｂ站" all
find the group of 哔哩哔哩.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from index.aliases import OPERATOR_FILE, AliasGroup, load_aliases

logger = logging.getLogger(__name__)

@dataclass(frozen=True)
class AliasMatch:
    """A form of `group` found at [start, end) of a normalised question."""

    group: AliasGroup
    form: str
    start: int
    end: int


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
        return cls(load_aliases(corpus_dir / OPERATOR_FILE if corpus_dir else None))

    def find(self, normalised: str) -> list[AliasMatch]:
        """Every alias form in the text (longest first where forms overlap)."""
        if self._pattern is None:
            return []
        return [
            AliasMatch(group, match.group(0), match.start(), match.end())
            for match in self._pattern.finditer(normalised)
            for group in self._groups_of[match.group(0)]
        ]
