"""Say a claim's value in words: "1 month" for P1M, "at least 23", and the figure claimed as one sentence.

Used wherever a person reads a value (the dashboard's tables, ClaimReview's
``claimReviewed``); exports keep the machine forms (ISO durations, bounds).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_DURATION = re.compile(r"^P(?:(?P<Y>\d+(?:[.,]\d+)?)Y)?(?:(?P<M>\d+(?:[.,]\d+)?)M)?(?:(?P<W>\d+(?:[.,]\d+)?)W)?"
                       r"(?:(?P<D>\d+(?:[.,]\d+)?)D)?(?:T(?:(?P<h>\d+(?:[.,]\d+)?)H)?(?:(?P<m>\d+(?:[.,]\d+)?)M)?"
                       r"(?:(?P<s>\d+(?:[.,]\d+)?)S)?)?$")
_UNITS = (("Y", "year"), ("M", "month"), ("W", "week"), ("D", "day"), ("h", "hour"), ("m", "minute"),
          ("s", "second"))


def duration_text(iso: str | None) -> str:
    """Return an ISO 8601 duration in words ("P1M" -> "1 month", "P1Y6M" -> "1 year 6 months").

    Anything that is not an ISO duration comes back unchanged; None gives "".
    """
    if not iso:
        return ""
    m = _DURATION.match(str(iso).strip())
    if not m or not any(m.groupdict().values()):
        return str(iso)
    parts = []
    for key, unit in _UNITS:
        n = m.group(key)
        if n is None:
            continue
        n = n.replace(",", ".")
        value = float(n)
        shown = f"{int(value):,}" if value.is_integer() else f"{value:g}"
        parts.append(f"{shown} {unit}" + ("" if value == 1 else "s"))
    return " ".join(parts)


def number_text(x: Any) -> str:
    """Return a figure as people write it: 6000 -> "6,000", 2.5 -> "2.5"."""
    x = float(x)
    return f"{int(x):,}" if x.is_integer() else f"{x:,}"


def figure_phrase(low: Any, high: Any, *, approximate: bool = False) -> str:
    """Return bounds in words: "23", "around 6,000", "at least 23", "up to 12", "between 150 and 250"."""
    lo = None if low in (None, "") else float(low)
    hi = None if high in (None, "") else float(high)
    if lo is None and hi is None:
        return ""
    if lo is not None and hi is not None:
        if lo == hi:
            return ("around " if approximate else "") + number_text(lo)
        return ("roughly " if approximate else "") + f"between {number_text(lo)} and {number_text(hi)}"
    if lo is not None:
        return f"at least {number_text(lo)}"
    return f"up to {number_text(hi)}"


def _value(v: Any) -> Any:
    return getattr(v, "value", v)


def statement(row: Mapping[str, Any]) -> str:
    """Return the figure a claim states as one short sentence, with who said it.

    ``row`` holds reviewed values under the export column names (kind, quote,
    low, high, approximate, outcome, subject, unit, date, duration,
    attributed_to; the ``extracted_*`` columns tell whether a figure was
    corrected). "At least 23 people were killed, according to provincial
    officials"; two claims of one sentence give two different statements.
    """
    kind = _value(row.get("kind"))
    quote = str(row.get("quote") or "").strip()
    subject = str(row.get("subject") or "").strip()
    corrected = any(row.get(k) != row.get(f"extracted_{k}") for k in ("low", "high", "approximate")
                    if f"extracted_{k}" in row)
    if kind in ("casualties", "force_size", "figure"):
        phrase = figure_phrase(row.get("low"), row.get("high"), approximate=bool(row.get("approximate")))
        # The quote says it best ("dozens of soldiers") unless the reviewer changed the figure.
        figure = quote if quote and not corrected else phrase
        if subject and subject.lower() not in figure.lower():
            figure = f"{figure} {subject}"
        elif not subject and kind == "casualties" and figure == phrase:
            figure = f"{figure} people"
        unit = str(row.get("unit") or "").strip()
        if kind == "figure" and unit and unit.lower() not in figure.lower():
            figure = f"{figure} {unit}"
        if kind == "casualties":
            outcome = _value(row.get("outcome"))
            one = row.get("low") == row.get("high") and row.get("low") in (1, 1.0)
            verb = {"killed": "killed", "injured": "injured"}.get(outcome, "killed or injured")
            text = f"{figure} {'was' if one else 'were'} {verb}"
        else:  # a force size or other figure: the counted thing itself ("Around 6,000 TTP fighters")
            text = figure
    elif kind == "date":
        text = f"{quote} ({row.get('date')})" if row.get("date") and row.get("date") != quote else quote
    elif kind == "duration":
        words = duration_text(row.get("duration"))
        text = f"{quote} ({words})" if words and words != quote else quote
    else:
        text = quote
    who = str(row.get("attributed_to") or "").strip()
    if who:
        text = f"{text}, according to {who}"
    text = " ".join(text.split())
    return text[:1].upper() + text[1:] if text else str(row.get("sentence") or quote)
