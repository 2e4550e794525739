"""Other figures: money, percentages and counts a reviewer may check.

A quantity that is neither a casualty count nor a force size becomes a
``figure`` claim when it has a unit (``$5 million``, ``42 percent``) or names
what it counts (``12 attacks``, ``300 families``). Years, times, ages and
labels were already left out when quantities were found; a bare number with
nothing after it is not a claim.

Rules: ``figure.unit`` and ``figure.count``.
"""
from __future__ import annotations

from functools import lru_cache

from claims.extract.lexicon import load
from claims.extract.quantities import Quantity


@lru_cache(maxsize=1)
def _skip_nouns() -> frozenset[str]:
    """Words after a bare number that make it a time, a tally or a page part rather than a count."""
    return frozenset(w.lower() for e in load("not_counts.json")["figure_nouns"] for w in e["words"])


def classify(q: Quantity) -> tuple[str | None, str] | None:
    """Return (subject, rule) when ``q`` is a figure worth checking, else None."""
    if q.unit is not None:
        return q.subject, "figure.unit"
    if q.year_like:
        return None
    if q.low is not None and q.low >= 1e9 and not q.subject:
        return None  # ids and timestamps glued into page furniture
    if q.subject:
        return q.subject, "figure.count"
    g = q.generic_noun
    head = g.split()[0].lower() if g else ""
    if g and head not in _skip_nouns() and g[0].islower() and not head.endswith(("ed", "ing", "ly", "en")):
        return q.generic_noun, "figure.count"
    return None
