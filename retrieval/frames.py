"""Everyday phrasings of a measure that no alias form can spell, because the question word
sits inside them: 快手一天有多少人在用 asks for 快手's daily actives (日活), 每个月有几个人
刷抖音 for monthly ones. Each frame is read as a form of the alias group of its measure,
so the question is asked with all that group's forms, as if it had said 日活."""

from __future__ import annotations

import re

from retrieval.synonyms import AliasMatch, SynonymTable

# How many people use it in a day, or in a month. Bounded: linear time on any text.
_ACTIVE_USERS = re.compile(
    r"(?P<unit>每天|每日|天天|一天|每月|每个月|一个月)都?有?(?:多少|几)个?人"
    r"在?(?:用|刷|玩|看|使用|登录|打开)"
)
_MEASURE_OF_UNIT = {"天": "日活", "日": "日活", "月": "月活"}


def find_frames(normalised: str, synonyms: SynonymTable) -> list[AliasMatch]:
    """The frames in a normalised question, each as a match of its measure's alias group
    (none when the table has no such group)."""
    found = []
    for match in _ACTIVE_USERS.finditer(normalised):
        measure = _MEASURE_OF_UNIT[match.group("unit")[-1]]
        found += [AliasMatch(group, match.group(0), match.start(), match.end())
                  for group in synonyms.groups_of(measure)]
    return found
