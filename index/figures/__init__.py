"""Figures: every quantity in a sentence, normalised and labelled.

`extract_figures(sentence)` finds money, percentages, counts, ratios, dates,
multiples, ranks and durations, with the qualifier next to each (超过, 左右)
and the phrase saying what it measures. `score_figures` measures it against
a gold file (see FIGURES.md in the evaluation data).
"""

from index.figures.extract import extract_figures
from index.figures.label import label_figure
from index.figures.model import Figure, figure_kinds
from index.figures.records import figure_record, format_extraction
from index.figures.score import (
    FigureScore,
    figure_score_json,
    format_figure_score,
    read_gold,
    score_figures,
)

__all__ = [
    "Figure",
    "FigureScore",
    "extract_figures",
    "figure_kinds",
    "figure_record",
    "figure_score_json",
    "format_extraction",
    "format_figure_score",
    "label_figure",
    "read_gold",
    "score_figures",
]
