"""A claim written by hand at its words in a text (the store tests' claims, without running the extractor)."""
from __future__ import annotations

from claims.model import Claim, Kind


def claim_at(text: str, quote: str, **kw) -> Claim:
    """Return a Claim quoting ``quote`` where it first stands in ``text`` (sentence: the whole text).

    ``kind`` defaults to a figure and ``rule`` to "test"; any other Claim field is a keyword.
    """
    start = text.index(quote)
    kw.setdefault("kind", Kind.FIGURE)
    kw.setdefault("rule", "test")
    return Claim(start=start, end=start + len(quote), quote=quote, sentence=text, **kw)
