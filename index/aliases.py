"""Aliases: the names and words people use for the same company, product or measure.

A shipped table (`index/aliases.txt`) is extended by an operator's
`synonyms.txt` in the corpus folder. Each line is one group,
``kind: form, form, ...``; forms are kept in normalised form, so "Bilibili",
"B站" and "ｂ站" all belong to the group of 哔哩哔哩.

The index needs them too: the names of companies, products and people are
jieba words, so that 宿华辞任 is cut 宿华/辞任 in articles and questions alike;
retrieval expands questions with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from index.normalise import normalise

SHIPPED_FILE = "aliases.txt"
OPERATOR_FILE = "synonyms.txt"
# Kinds naming what a question is about: if the articles never mention any
# form of such a group, the question cannot be answered from them.
ENTITY_KINDS = frozenset({"company", "product", "person"})
_CHINESE_NAME = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff·]{1,11}")


@dataclass(frozen=True)
class AliasGroup:
    kind: str
    forms: tuple[str, ...]  # normalised


def parse_aliases(lines: Iterable[str]) -> list[AliasGroup]:
    """Groups of an alias file; a line without a kind gets kind "term"."""
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


def read_shipped_aliases() -> str:
    return resources.files("index").joinpath(SHIPPED_FILE).read_text(encoding="utf-8")


def load_aliases(operator_file: Path | None = None) -> list[AliasGroup]:
    """The shipped table plus an operator's synonyms.txt, when given and present."""
    groups = parse_aliases(read_shipped_aliases().splitlines())
    if operator_file is not None and operator_file.is_file():
        groups += parse_aliases(operator_file.read_text(encoding="utf-8").splitlines())
    return groups


def name_words(groups: Iterable[AliasGroup]) -> list[str]:
    """Chinese forms of company, product and person names: words for the segmenter."""
    return [
        form
        for group in groups
        if group.kind in ENTITY_KINDS
        for form in group.forms
        if _CHINESE_NAME.fullmatch(form)
    ]
