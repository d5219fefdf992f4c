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

from index.aliases import ENTITY_KINDS, OPERATOR_FILE, AliasGroup, load_aliases
from index.pinyin import blurs, fuzzy_key, pinyin_key

logger = logging.getLogger(__name__)

@dataclass(frozen=True)
class AliasMatch:
    """A form of `group` found at [start, end) of a normalised question."""

    group: AliasGroup
    form: str
    start: int
    end: int


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def forms_pattern(forms: Iterable[str]) -> re.Pattern[str] | None:
    """One regex finding every form, the longest where several start at one position.

    Forms that start or end in Latin letters or digits match only as whole words. The
    alternation is grouped by first character behind a look-ahead for those characters:
    the same matches as a flat "longest|...|shortest" alternation, many times faster,
    since most positions start no form at all and the rest try only their own group.
    """
    by_first: dict[str, list[str]] = {}
    for form in sorted(set(forms), key=len, reverse=True):
        if form:
            by_first.setdefault(form[0], []).append(form)
    if not by_first:
        return None
    groups = []
    for first, group in by_first.items():
        head = (r"(?<![a-z0-9])" if _is_word_char(first) else "") + re.escape(first)
        tails = (
            re.escape(form[1:]) + (r"(?![a-z0-9])" if _is_word_char(form[-1]) else "")
            for form in group
        )
        groups.append(f"{head}(?:{'|'.join(tails)})")
    starts = "".join(re.escape(first) for first in by_first)
    return re.compile(f"(?=[{starts}])(?:{'|'.join(groups)})")


# Sounds a misspelt name may differ in from the name (see `sound_alike_entities`).
MAX_BLURS = 1


class SynonymTable:
    """Finds alias forms in normalised questions."""

    def __init__(self, groups: Iterable[AliasGroup]):
        self.groups = tuple(groups)
        self._groups_of: dict[str, list[AliasGroup]] = {}
        for group in self.groups:
            for form in group.forms:
                self._groups_of.setdefault(form, []).append(group)
        self._pattern = forms_pattern(self._groups_of)
        self._by_sound: dict[str, list[tuple[str, AliasGroup]]] | None = None

    @classmethod
    def load(cls, corpus_dir: Path | None = None) -> SynonymTable:
        """The shipped table plus the corpus folder's own synonyms.txt, if there is one."""
        return cls(load_aliases(corpus_dir / OPERATOR_FILE if corpus_dir else None))

    def groups_of(self, form: str) -> list[AliasGroup]:
        """The groups that hold `form`."""
        return list(self._groups_of.get(form, ()))

    def entity_groups(self, form: str) -> list[AliasGroup]:
        """The groups of companies, products and people that `form` is a name of."""
        return [group for group in self.groups_of(form) if group.kind in ENTITY_KINDS]

    def sound_alike_entities(self, word: str) -> list[AliasGroup]:
        """The companies, products and people with a Chinese name that sounds like `word`
        but for one sound input methods blur (可林 -> 可灵: lin for ling); more than one
        and the characters of an unknown name sound like a known one far too often."""
        key = pinyin_key(word)
        if key is None:
            return []
        if self._by_sound is None:  # made on the first typo: it reads pypinyin's tables
            self._by_sound = self._entities_by_sound()
        return list(dict.fromkeys(group for form_key, group in
                                  self._by_sound.get(fuzzy_key(key), ())
                                  if blurs(key, form_key) <= MAX_BLURS))

    def _entities_by_sound(self) -> dict[str, list[tuple[str, AliasGroup]]]:
        """(pinyin key, entity group) of each Chinese name, by the key's fuzzy form."""
        table: dict[str, list[tuple[str, AliasGroup]]] = {}
        for form, groups in self._groups_of.items():
            key = pinyin_key(form)
            if key is None:
                continue
            table.setdefault(fuzzy_key(key), []).extend(
                (key, group) for group in groups if group.kind in ENTITY_KINDS)
        return table

    def find(self, normalised: str) -> list[AliasMatch]:
        """Every alias form in the text (longest first where forms overlap)."""
        if self._pattern is None:
            return []
        return [
            AliasMatch(group, match.group(0), match.start(), match.end())
            for match in self._pattern.finditer(normalised)
            for group in self._groups_of[match.group(0)]
        ]
