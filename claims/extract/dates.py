"""Dates and durations: absolute and relative dates resolved against the publication date."""
from __future__ import annotations

import datetime as dt

from claims.model import Claim


def find_dates(text: str, *, published: dt.date | None = None) -> list[Claim]:
    """Return date and duration claims in ``text`` (sentence and attribution left empty)."""
    return []
