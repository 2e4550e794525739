"""Claim extraction: find figures in news text and normalise them."""
from __future__ import annotations

import datetime as dt

from claims.extract.dates import find_dates
from claims.model import Claim

EXTRACTOR_VERSION = "0.1.0"


def extract(text: str, *, published: dt.date | None = None) -> list[Claim]:
    """Return every claim found in ``text``, in text order."""
    found = find_dates(text, published=published)
    return sorted(found, key=lambda c: (c.start, c.end))
