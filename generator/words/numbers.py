"""Figures by language id, for callers that hold a language code rather than its object (tests, checks).

The wording itself is the language object's (lang.py): 5.9亿元 / 590 million yuan, 8000余人 / more than 8,000.
"""

from __future__ import annotations

from .lang import LANGUAGES
from ..records.models import Fact


def format_fact(fact: Fact, lang: str) -> str:
    """Return the figure with its qualifier and unit, e.g. 约1.23亿元 / about 123 million yuan."""
    return LANGUAGES[lang].fact(fact)


def period_label(period: str, lang: str) -> str:
    """Word a period as a table note: 截至2018年底 / end of 2018."""
    return LANGUAGES[lang].period(period)


def format_period(period: str, lang: str) -> str:
    """Word a period as a sentence opener: 2018年以来 / Since 2018."""
    return LANGUAGES[lang].period(period, opener=True)
