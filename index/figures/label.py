"""A figure as a short line a person reads: "总营收：311亿元", "完成目标：八成（80%）".

One wording for every front end (the bot escapes it, the CLI prints it).
The normalised value is added only where it helps: when the figure is not
written in Arabic digits.
"""

from __future__ import annotations

from index.figures.model import Figure
from index.figures.qualifiers import find_qualifier, qualifier_family

ELLIPSIS = "…"
MAX_METRIC_CHARS = 30
MAX_TEXT_CHARS = 40
# Units worth spelling out when a figure's normalised value is shown.
UNIT_NAMES = {"CNY": "元", "USD": "美元", "people": "人", "times": "次", "x": "倍", "%": "%"}
QUALIFIER_SIGNS = {"more than": ">", "at least": "≥", "less than": "<", "nearly": "≈", "about": "≈"}


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, marked with an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + ELLIPSIS


def _format_number(value: float) -> str:
    for scale, name in ((1e8, "亿"), (1e4, "万")):
        if abs(value) >= scale:
            return f"{value / scale:.4g}{name}"
    return f"{value:.4g}"


def describe_value(figure: Figure) -> str:
    """The normalised value, when the figure is not written in Arabic digits; else ""."""
    if any(c.isascii() and c.isdigit() for c in figure.text):
        return ""
    value = figure.value
    if isinstance(value, tuple) and len(value) == 2:
        number = f"{_format_number(value[0])}–{_format_number(value[1])}"
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = _format_number(value)
    else:
        return ""
    sign = QUALIFIER_SIGNS.get(figure.qualifier or "", "")
    return f"{sign}{number}{UNIT_NAMES.get(figure.unit or '', '')}"


def stated_text(figure: Figure, sentence: str = "") -> str:
    """The figure as the article states it, its qualifier included (超过1500座, 九成以上),
    when `sentence` is the one it was found in; else its text."""
    start, end = figure.start, figure.end
    if not figure.qualifier or sentence[start:end] != figure.text:
        return figure.text
    qualifier, start, end = find_qualifier(sentence, start, end,
                                             qualifier_family(figure.kind, figure.subtype))
    return sentence[start:end] if qualifier == figure.qualifier else figure.text


def label_figure(figure: Figure, sentence: str = "") -> str:
    """One compact plain-text line: metric, the figure as stated, its value where it helps.
    Pass the `sentence` it was found in to show its qualifier as written (超500万)."""
    line = shorten(stated_text(figure, sentence), MAX_TEXT_CHARS)
    if value := describe_value(figure):
        line += f"（{value}）"
    if figure.metric:
        line = f"{shorten(figure.metric, MAX_METRIC_CHARS)}：{line}"
    return line
