"""What a reader cites an article by besides its title: its address, outlet and date.

A .jsonl/.json record says so in its fields (`url`, `source`, `date`), an HTML
page in its <head> (og:url or the canonical link, og:site_name,
article:published_time). Values are cleaned once, here, so that the store
holds only what can be shown: a date becomes ISO (2024-11-20, or 2024-11
when the day is not given) or nothing, never the raw text it came as.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from index.normalise import replace_surrogates

# Record fields read for each part, first present wins (`source` is what the sample uses).
URL_FIELDS = ("url", "link")
OUTLET_FIELDS = ("source", "outlet", "site_name")
DATE_FIELDS = ("date", "published", "published_at", "time")
MAX_URL_CHARS = 2000
MAX_OUTLET_CHARS = 60
# 2024-11-20, 2024/11/20, 2024.11.20, 2024年11月20日, each optionally followed by a time;
# 2024-11 or 2024年11月 alone. Anchored, no nested repetition: linear time.
_DATE = re.compile(
    r"\s*(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:(?:[-/.月])\s*(\d{1,2})\s*日?|月)?"
    r"(?:(?:[T\s]|$).*)?",
    re.DOTALL,
)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Citation:
    url: str = ""
    outlet: str = ""
    published: str = ""  # ISO date: 2024-11-20, or 2024-11; "" when unknown


NO_CITATION = Citation()


def clean_url(value: object) -> str:
    """`value` as one line of text without spaces, or "" (the bot links http(s) ones only)."""
    if not isinstance(value, str):
        return ""
    url = value.strip()
    if not url or len(url) > MAX_URL_CHARS or _SPACES.search(url):
        return ""
    return url


def clean_outlet(value: object) -> str:
    """An outlet's name on one line, or "" when it is not text or absurdly long."""
    if not isinstance(value, str):
        return ""
    outlet = _SPACES.sub(" ", value).strip()
    return outlet if len(outlet) <= MAX_OUTLET_CHARS else ""


def clean_date(value: object) -> str:
    """The ISO date (2024-11-20, or 2024-11) a date text starts with; "" when it is none."""
    if not isinstance(value, str) or len(value) > 100:
        return ""
    match = _DATE.fullmatch(value)
    if match is None:
        return ""
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    try:
        when = date(year, month, day)
    except ValueError:
        return ""
    return when.isoformat() if match[3] else when.isoformat()[:7]


def _first(record: Mapping[str, object], fields: tuple[str, ...]) -> object:
    """The first of `fields` the record has (lone surrogates made U+FFFD)."""
    value = next((record[f] for f in fields if record.get(f) not in (None, "")), None)
    return replace_surrogates(value) if isinstance(value, str) else value


def citation_from_record(record: Mapping[str, object]) -> Citation:
    """The citation a JSON record (or an HTML page's meta values) gives."""
    return Citation(
        url=clean_url(_first(record, URL_FIELDS)),
        outlet=clean_outlet(_first(record, OUTLET_FIELDS)),
        published=clean_date(_first(record, DATE_FIELDS)),
    )
