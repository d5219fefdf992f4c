"""The alias finder: grouped by first character, it must find what a flat alternation finds."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.synonyms import forms_pattern

ALPHABET = "ab1快手抖音 -"


def flat_pattern(forms: list[str]) -> re.Pattern[str]:
    """The plain reference: every form, longest first, whole words where Latin or digits."""
    parts = []
    for form in sorted(set(forms), key=len, reverse=True):
        part = re.escape(form)
        if form[0].isascii() and form[0].isalnum():
            part = r"(?<![a-z0-9])" + part
        if form[-1].isascii() and form[-1].isalnum():
            part += r"(?![a-z0-9])"
        parts.append(part)
    return re.compile("|".join(parts))


def spans(pattern: re.Pattern[str] | None, text: str) -> list[tuple[int, str]]:
    return [] if pattern is None else [(m.start(), m.group()) for m in pattern.finditer(text)]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    forms=st.lists(st.text(ALPHABET, min_size=1, max_size=4), min_size=1, max_size=12),
    text=st.text(ALPHABET, max_size=60),
)
def test_grouped_pattern_finds_what_a_flat_alternation_finds(forms, text):
    assert spans(forms_pattern(forms), text) == spans(flat_pattern(forms), text)


def test_longest_form_wins_and_latin_forms_match_whole_words():
    pattern = forms_pattern(["快手", "快手科技", "b站", "ab"])
    assert spans(pattern, "快手科技和b站,cab不算,ab算") == [(0, "快手科技"), (5, "b站"), (14, "ab")]


def test_no_forms_no_pattern():
    assert forms_pattern([]) is None
