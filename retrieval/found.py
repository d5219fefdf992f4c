"""Deciding whether the articles answer a question at all.

Better "I don't know" than a weak sentence: a question naming a company,
product, person or year the articles never mention is refused, and so is
one whose best sentence (with its context) says too little of it, says too
little of what it asks besides the company, is about another year, does not
name the company asked about, or holds no number when a number is asked for.
A Chinese word neither the articles nor the dictionary know counts as an
unmentioned name.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from retrieval.choose import QUANTITIES, ChosenSentence
from retrieval.query import Query

logger = logging.getLogger(__name__)

# Least share of the question's importance the best sentence and its context must say.
MIN_COVERAGE = 0.4
# Least share of what it asks about besides its companies that the best sentence and its
# neighbours must say themselves: naming the company in the passage is not enough
# ("腾讯裁了多少人" is not answered by a sentence on 腾讯's profit).
MIN_TOPIC_COVERAGE = 0.25


def decide_found(query: Query, chosen: Sequence[ChosenSentence]) -> bool:
    """True when the best sentence answers the question well enough to show."""
    if not chosen:
        return False
    if query.missing_entities or query.missing_years or query.missing_names:
        logger.debug("refused: absent %s %s %s", query.missing_entities, query.missing_years,
                     query.missing_names)
        return False
    best = chosen[0]
    if best.coverage < MIN_COVERAGE:
        logger.debug("refused: coverage %.2f", best.coverage)
        return False
    if best.topic_coverage < MIN_TOPIC_COVERAGE:
        logger.debug("refused: topic coverage %.2f", best.topic_coverage)
        return False
    if best.other_year:
        logger.debug("refused: the best sentence is about another year")
        return False
    if not best.grounded:
        logger.debug("refused: the best passage does not name the entity asked about")
        return False
    if _lacks_number(query, best):
        logger.debug("refused: asks for a number, the best sentence has none")
        return False
    return True


def _lacks_number(query: Query, candidate: ChosenSentence) -> bool:
    return query.question.quantity and not candidate.sentence.figure_kinds & QUANTITIES


def relevant(query: Query, chosen: Sequence[ChosenSentence]) -> list[ChosenSentence]:
    """The further sentences worth showing: each must say enough of the question itself,
    and hold a number when one is asked for (they may name another company: the
    question's company is sometimes named only through another, 收购饿了么的那家公司)."""
    return [
        candidate
        for candidate in chosen
        if candidate.coverage >= MIN_COVERAGE and not _lacks_number(query, candidate)
    ]
