"""Claim extraction: find figures in news text and normalise them.

``extract(text)`` finds quantities once over the whole text
(:mod:`claims.extract.quantities`), classifies each as a casualty count
(:mod:`~claims.extract.casualties`), a force size (:mod:`~claims.extract.forces`)
or another figure (:mod:`~claims.extract.figures`), merges the date and
duration claims of :mod:`~claims.extract.dates`, and fills each claim's
sentence and source (:mod:`~claims.extract.attribution`).
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_left

from claims.extract import attribution, casualties, figures, forces
from claims.extract.dates import find_dates
from claims.extract.numbers import ascii_lower
from claims.extract.quantities import Quantity, find_quantities
from claims.extract.sentences import SentenceIndex
from claims.model import Claim, Kind, Outcome

EXTRACTOR_VERSION = "0.2.0"

_TIME_KINDS = (Kind.DATE, Kind.DURATION)


def extract(text: str, *, published: dt.date | None = None) -> list[Claim]:
    """Return every claim found in ``text``, in text order."""
    if not isinstance(text, str) or not text.strip():
        return []
    index = SentenceIndex(text)
    found: list[tuple[Claim, int | None]] = []
    for c in find_dates(text, published=published):
        found.append((c, index.index_of(c.start)))
    for c, si in _figures(text, index):
        found.append((c, si))
    found = _resolve_overlaps(found)
    wanted = {si for _, si in found if si is not None}
    sources = attribution.attribute(text, index.spans, wanted)
    out = []
    for c, si in found:
        sentence = text[index.spans[si][0]:index.spans[si][1]] if si is not None else c.sentence
        who = attribution.nearest(sources.get(si, []), c.start) if si is not None else None
        out.append(_replace(c, sentence=sentence, attributed_to=who if who is not None else c.attributed_to))
    out.sort(key=lambda c: (c.start, c.end, c.kind.value))
    return out


def _figures(text: str, index: SentenceIndex) -> list[tuple[Claim, int | None]]:
    out = []
    previous: dict[int, list[tuple[Quantity, Outcome]]] = {}
    lowered = ascii_lower(text)
    for q in find_quantities(text):
        si = index.index_of(q.num_start)
        a, b = index.spans[si] if si is not None else (0, len(text))
        if si is not None and not (a <= q.start and q.end <= b):
            q.start, q.end = max(q.start, a), min(q.end, b)
        prev = previous.setdefault(si, []) if si is not None else []
        cas = casualties.classify(text, q, a, b, prev, lowered)
        if cas is not None:
            outcome, rule = cas
            prev.append((q, outcome))
            out.append((_claim(text, q, Kind.CASUALTIES, rule, outcome=outcome), si))
            continue
        rule = forces.classify(text, q, a, b)
        if rule is not None:
            out.append((_claim(text, q, Kind.FORCE_SIZE, rule), si))
            continue
        fig = figures.classify(q)
        if fig is not None:
            subject, rule = fig
            end = q.end if q.subject or q.unit else max(q.end, q.generic_end)
            out.append((_claim(text, q, Kind.FIGURE, rule, subject=subject, end=end), si))
    return out


def _claim(text: str, q: Quantity, kind: Kind, rule: str, *, outcome: Outcome | None = None,
           subject: str | None = None, end: int | None = None) -> Claim:
    end = q.end if end is None else end
    return Claim(kind=kind, start=q.start, end=end, quote=text[q.start:end], low=q.low, high=q.high,
                 approximate=q.approximate, outcome=outcome, subject=subject if subject is not None else q.subject,
                 unit=q.unit, rule=rule)


def _resolve_overlaps(found: list[tuple[Claim, int | None]]) -> list[tuple[Claim, int | None]]:
    """Drop figure claims that overlap a date or duration claim (the date reading wins)."""
    times = sorted((c.start, c.end) for c, _ in found if c.kind in _TIME_KINDS)
    if not times:
        return found
    starts = [s for s, _ in times]
    # times sorted by start; a time span overlapping [start, end) starts before end, and the
    # longest-reaching of those starting before `end` decides (prefix maximum of ends)
    reach, best = [], -1
    for _, e in times:
        best = max(best, e)
        reach.append(best)
    keep = []
    for c, si in found:
        if c.kind == Kind.FIGURE:
            i = bisect_left(starts, c.end) - 1
            if i >= 0 and reach[i] > c.start:
                continue
        keep.append((c, si))
    return keep


def _replace(c: Claim, **changes) -> Claim:
    from dataclasses import replace
    return replace(c, **changes)
