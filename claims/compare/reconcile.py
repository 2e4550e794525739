"""Reconcile one group's figures: the ledger, the reconciled low/best/high, wire copies, discrepancies.

Every function here is pure: it takes the group's :class:`ClaimRecord` list
(with their current reviews) and returns plain data, so the CLI, the store
layer and the dashboard all show the same numbers.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import statistics
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from claims.errors import BadInputError
from claims.model import ClaimRecord, Kind, Verdict


from claims.compare.rules import RULE_HELP, Rule  # noqa: E402  (re-exported: light module for the CLI)

# Verdicts whose claims are left out of reconciliation (still listed in the ledger).
EXCLUDED_VERDICTS = frozenset({Verdict.FALSE, Verdict.NOT_A_CLAIM})
# Two members whose sentences score at least this (rapidfuzz ratio, 0-100) are one wire copy.
WIRE_COPY_CUTOFF = 90.0
# Distinct sentences compared at once (length-sorted, half-overlapping windows).
WIRE_WINDOW = 600
# Credible figures disagree when no value lies within this relative distance of all of them.
DISCREPANCY_TOLERANCE = 0.05
# "about 150" is read as 150 give or take this share when testing for disagreement.
APPROXIMATE_WIDTH = 0.10
# Dates disagree when their ranges are more than this many days apart.
DATE_TOLERANCE_DAYS = 1

_ISO_DURATION_RE = re.compile(r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?"
                              r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
_DURATION_DAYS = (365.25, 30.4375, 7.0, 1.0, 1 / 24, 1 / 1440, 1 / 86400)
_SPACE_RE = re.compile(r"\s+")


# What the counts mean, shipped with every reconciled figure so a reader of the JSON need not guess.
COUNTING = ("reports: documents with a credible member (one document repeating a figure, in its headline "
            "and body or quoting two officials, is one report; the same text carried by another outlet, a "
            "further appearance of the document, is one more); independent_sources: reports left after "
            "collapsing wire copies (near-identical sentences in different documents); claims: credible "
            "members, each repeat counted; excluded: members marked false or not a claim")


def summary_text(reports: int, independent: int, claims: int = 0) -> str:
    """Return the one-line count summary: '3 reports, 2 independent', naming claims when a report repeats."""
    repeats = f" ({claims} claims)" if claims > reports else ""
    return f"{reports} report{'s' if reports != 1 else ''}{repeats}, {independent} independent"


@dataclass(slots=True)
class LedgerRow:
    """One member of a group as the figure ledger shows it."""

    claim_id: int
    fingerprint: str
    document_id: int
    filename: str | None
    title: str | None
    publisher: str | None
    published: dt.date | None
    attributed_to: str | None
    quote: str
    start: int
    end: int
    sentence: str
    low: Any            # number, or ISO date / duration text for those kinds
    high: Any
    approximate: bool
    figure: str         # the figure as a reviewer reads it: "~150", "3000-5000", ">=104"
    verdict: str
    credible: bool      # counted in the reconciled figure
    disputed: bool      # counted, but flagged
    corrected: bool     # a reviewer changed the figure
    source: int         # independent-source number (1-based); wire copies share one
    wire_copy: bool     # this member's source spans more than one document
    repeat: bool = False  # an earlier member of the group comes from the same document: not a new report
    fictional: bool = False   # its document is an invented example (seeds/fictional)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        return d


@dataclass(slots=True)
class Reconciled:
    """A group's reconciled figure and the facts about its sources."""

    rule: str
    low: Any
    best: Any
    high: Any
    reports: int                 # documents with a credible member (a document's own repeats are one report)
    independent_sources: int     # credible reports after collapsing wire copies
    disputed: int
    excluded: int
    spread: float                # max - min of credible point figures (days for dates)
    spread_ratio: float          # spread relative to the largest figure, 0..1 (dates: per year)
    discrepancy: bool
    rationale: str | None = None
    ledger: list[LedgerRow] = field(default_factory=list)
    claims: int = 0              # credible members (a document stating the figure twice counts twice)

    @property
    def summary(self) -> str:
        return summary_text(self.reports, self.independent_sources, self.claims)

    def to_dict(self, *, ledger: bool = True) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in ("rule", "low", "best", "high", "reports", "independent_sources",
                                           "claims", "disputed", "excluded", "spread", "spread_ratio",
                                           "discrepancy", "rationale")}
        d["counting"] = COUNTING
        d["low"], d["best"], d["high"] = (_plain(v) for v in (self.low, self.best, self.high))
        if ledger:
            d["ledger"] = [r.to_dict() for r in self.ledger]
        return d


@dataclass(frozen=True, slots=True)
class ReviewerFigure:
    """A reviewer-set reconciled figure and why."""

    best: Any
    low: Any = None
    high: Any = None
    rationale: str = ""
    reviewer: str | None = None


def _plain(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


# ------------------------------------------------------------------ figures in one numeric space
@functools.lru_cache(maxsize=20_000)
def _date_range(text: str | None) -> tuple[float, float] | None:
    """Return (first, last) proleptic ordinal day of an ISO date at any precision, or None."""
    if not text:
        return None
    try:
        parts = [int(p) for p in str(text).split("-")]
        if len(parts) == 1:
            return float(dt.date(parts[0], 1, 1).toordinal()), float(dt.date(parts[0], 12, 31).toordinal())
        if len(parts) == 2:
            first = dt.date(parts[0], parts[1], 1)
            nxt = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
            return float(first.toordinal()), float(nxt.toordinal() - 1)
        d = dt.date(parts[0], parts[1], parts[2]).toordinal()
        return float(d), float(d)
    except (ValueError, TypeError):
        return None


@functools.lru_cache(maxsize=5_000)
def duration_days(text: str | None) -> float | None:
    """Return an ISO 8601 duration (P1M, P14Y, PT8H) in days, or None when it is not one."""
    if not text:
        return None
    m = _ISO_DURATION_RE.match(str(text).strip().upper())
    if not m or not any(m.groups()):
        return None
    return sum(float(g) * k for g, k in zip(m.groups(), _DURATION_DAYS) if g)


def _to_float(v: Any) -> float | None:
    if v is None or v == "":
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def member_range(rec: ClaimRecord) -> tuple[float | None, float | None, bool]:
    """Return (low, high, approximate) of a member in one comparable number space.

    Counts stay counts; dates become ordinal days (a month or year spans its
    days); durations become days. Reviewers' corrections win.
    """
    kind = Kind(rec.claim.kind)
    approx = bool(rec.effective("approximate"))
    if kind is Kind.DATE:
        r = _date_range(rec.effective("date"))
        return (r[0], r[1], approx) if r else (None, None, approx)
    if kind is Kind.DURATION:
        d = duration_days(rec.effective("duration"))
        return (d, d, approx)
    lo, hi = _to_float(rec.effective("low")), _to_float(rec.effective("high"))
    if lo is not None and hi is not None and lo > hi:  # a range written backwards still means the same
        lo, hi = hi, lo
    return lo, hi, approx


def point(low: float | None, high: float | None) -> float | None:
    """Return the single figure a member stands for: exact, range midpoint, or its one bound."""
    if low is not None and high is not None:
        return low if low == high else (low + high) / 2
    return low if low is not None else high


def figure_text(rec: ClaimRecord) -> str:
    """Return a member's figure as a reviewer reads it: '~150', '3000-5000', '>=104', '<=200', '2014-12-16'."""
    kind = Kind(rec.claim.kind)
    if kind is Kind.DATE:
        return str(rec.effective("date") or "?")
    if kind is Kind.DURATION:
        return str(rec.effective("duration") or "?")
    lo, hi = (_plain(_to_float(rec.effective(k))) for k in ("low", "high"))
    approx = "~" if rec.effective("approximate") else ""
    if lo is not None and hi is not None:
        return f"{approx}{lo}" if lo == hi else f"{lo}-{hi}"
    if lo is not None:
        return f">={lo}"
    if hi is not None:
        return f"<={hi}"
    return "?"


def _format(kind: Kind, value: float | None, members: list[tuple[ClaimRecord, float | None]]) -> Any:
    """Turn a reconciled number back into the kind's own form (dates as ISO, durations as a member's text)."""
    if value is None:
        return None
    if kind is Kind.DATE:
        return dt.date.fromordinal(int(round(value))).isoformat()
    if kind is Kind.DURATION:
        for rec, p in members:
            if p is not None and abs(p - value) < 1e-9:
                return rec.effective("duration")
        return f"P{round(value, 2):g}D"
    if kind in (Kind.CASUALTIES, Kind.FORCE_SIZE):
        return _plain(float(round(value)))  # people come whole: a median of 126 and 133 is 130
    return _plain(value)


# ------------------------------------------------------------------ wire copies
def normalise_sentence(text: str) -> str:
    """Return a sentence in the form wire copies are compared in (lower case, single spaces)."""
    return _SPACE_RE.sub(" ", (text or "").lower()).strip()


def source_clusters(records: list[ClaimRecord], *, cutoff: float = WIRE_COPY_CUTOFF) -> list[int]:
    """Return a 0-based independent-source number per record, in the records' order.

    Members in one document are one source; members in different documents
    whose sentences are near-identical (rapidfuzz ratio >= ``cutoff``) are one
    wire copy and so one source. Numbers follow first appearance.
    """
    n = len(records)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    first_in_doc: dict[int, int] = {}
    for i, r in enumerate(records):
        union(first_in_doc.setdefault(r.document_id, i), i)
    # Identical sentences first (cheap), then near-identical ones among the distinct texts.
    first_of: dict[str, int] = {}
    for i, r in enumerate(records):
        s = normalise_sentence(r.claim.sentence)
        if s:
            union(first_of.setdefault(s, i), i)
    texts = sorted(first_of, key=len)
    # A ratio >= cutoff needs lengths within a factor of cutoff/(200-cutoff): compare only
    # within windows of similar length, so a group of thousands stays cheap.
    for lo in range(0, len(texts), WIRE_WINDOW // 2):
        window = texts[lo:lo + WIRE_WINDOW]
        if len(window) < 2:
            break
        m = process.cdist(window, window, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.uint8, workers=1)
        for a, b in zip(*np.nonzero(np.triu(m, 1))):
            union(first_of[window[a]], first_of[window[b]])
        if lo + WIRE_WINDOW >= len(texts):
            break
    labels: dict[int, int] = {}
    return [labels.setdefault(find(i), len(labels)) for i in range(n)]


# ------------------------------------------------------------------ reconciliation
def is_credible(rec: ClaimRecord) -> bool:
    """Return whether a member counts towards the reconciled figure (not false, not a non-claim)."""
    return Verdict(rec.verdict) not in EXCLUDED_VERDICTS


def ledger(records: list[ClaimRecord]) -> list[LedgerRow]:
    """Return the figure ledger: one row per member, in the given order, with its source number."""
    sources = source_clusters(records)
    sizes: dict[int, int] = {}
    for s in sources:
        sizes[s] = sizes.get(s, 0) + 1
    docs_per_source: dict[int, set[int]] = {}
    for r, s in zip(records, sources):
        docs_per_source.setdefault(s, set()).add(r.document_id)
    rows = []
    seen_docs: set[int] = set()
    for r, s in zip(records, sources):
        c = r.claim
        repeat = r.document_id in seen_docs
        seen_docs.add(r.document_id)
        kind = Kind(c.kind)
        if kind is Kind.DATE:
            low = high = r.effective("date")
        elif kind is Kind.DURATION:
            low = high = r.effective("duration")
        else:
            low, high = (_plain(_to_float(r.effective(k))) for k in ("low", "high"))
        fig_fields = ("low", "high", "approximate", "date", "duration")
        rows.append(LedgerRow(
            claim_id=r.id, fingerprint=r.fingerprint, document_id=r.document_id, filename=r.filename,
            title=r.title, publisher=r.publisher, published=r.published,
            attributed_to=r.effective("attributed_to"), quote=c.quote, start=c.start, end=c.end,
            sentence=c.sentence, low=low, high=high, approximate=bool(r.effective("approximate")),
            figure=figure_text(r), verdict=Verdict(r.verdict).value, credible=is_credible(r),
            disputed=Verdict(r.verdict) is Verdict.DISPUTED,
            corrected=any(f in r.corrected for f in fig_fields),
            # a document whose text also appeared under another outlet is a wire copy on its own
            source=s + 1, wire_copy=len(docs_per_source[s]) > 1 or r.appearances > 0, repeat=repeat,
            fictional=r.fictional,
        ))
    return rows


def reconcile(records: list[ClaimRecord], *, rule: Rule | str = Rule.BEST,
              reviewer_figure: ReviewerFigure | None = None,
              tolerance: float = DISCREPANCY_TOLERANCE) -> Reconciled:
    """Return the reconciled figure of one group's members under ``rule``.

    False and not-a-claim members are left out; disputed ones count but are
    flagged. The reviewer rule needs ``reviewer_figure`` (raises
    BadInputError without one).
    """
    rule = Rule(rule)
    rows = ledger(records)
    if not records:
        return Reconciled(rule.value, None, None, None, 0, 0, 0, 0, 0.0, 0.0, False, None, rows)
    kind = Kind(records[0].claim.kind)
    credible = [(r, row) for r, row in zip(records, rows) if row.credible]
    ranges = [(r, *member_range(r)) for r, _ in credible]
    usable = [(r, lo, hi, ap) for r, lo, hi, ap in ranges if lo is not None or hi is not None]
    points = [(r, point(lo, hi)) for r, lo, hi, _ in usable]
    independent = len({row.source for _, row in credible})
    disputed = sum(1 for _, row in credible if row.disputed)
    spread, ratio = _spread(kind, [p for _, p in points])
    discrepancy = _disagree(kind, usable, tolerance)
    low = best = high = None
    rationale = None
    if rule is Rule.REVIEWER:
        if reviewer_figure is None or reviewer_figure.best is None:
            raise BadInputError("rule 'reviewer' needs a reviewer-set best figure")
        if not (reviewer_figure.rationale or "").strip():
            raise BadInputError("rule 'reviewer' needs a rationale")
        best = reviewer_figure.best
        low = reviewer_figure.low if reviewer_figure.low is not None else best
        high = reviewer_figure.high if reviewer_figure.high is not None else best
        rationale = reviewer_figure.rationale
    elif usable:
        lows = [lo if lo is not None else p for (_, lo, _, _), (_, p) in zip(usable, points)]
        highs = [hi if hi is not None else p for (_, _, hi, _), (_, p) in zip(usable, points)]
        pts = [p for _, p in points]
        if rule is Rule.CONSERVATIVE:
            low_n, best_n, high_n = min(lows), min(pts), max(highs)
        elif rule is Rule.BEST:
            # A document repeating one figure (headline, lede, quote) is one report of it, not three votes.
            once = list({(r.document_id, p): p for r, p in points}.values())
            low_n, best_n, high_n = min(lows), statistics.median(once), max(highs)
        else:  # latest: the last published credible report; undated reports count as earliest
            latest = max(range(len(usable)), key=lambda i: (usable[i][0].published is not None,
                                                            usable[i][0].published or dt.date.min,
                                                            usable[i][0].document_id, usable[i][0].id))
            low_n, best_n, high_n = lows[latest], pts[latest], highs[latest]
        low, best, high = (_format(kind, v, points) for v in (low_n, best_n, high_n))
    return Reconciled(
        # each further appearance of a document's text (another outlet carrying it) is one more report
        rule=rule.value, low=low, best=best, high=high,
        reports=sum(1 + n for n in {r.document_id: r.appearances for r, _ in credible}.values()),
        claims=len(credible),
        independent_sources=independent, disputed=disputed, excluded=len(records) - len(credible),
        spread=spread, spread_ratio=ratio, discrepancy=discrepancy, rationale=rationale, ledger=rows,
    )


def _spread(kind: Kind, pts: list[float]) -> tuple[float, float]:
    if len(pts) < 2:
        return 0.0, 0.0
    lo, hi = min(pts), max(pts)
    spread = hi - lo
    if kind is Kind.DATE:
        return spread, min(1.0, spread / 365.0)
    return spread, (spread / abs(hi)) if hi else 0.0


def _disagree(kind: Kind, usable: list[tuple[ClaimRecord, float | None, float | None, bool]],
              tolerance: float) -> bool:
    """Return whether no single value fits every credible member's range (widened by the tolerances)."""
    if len(usable) < 2:
        return False
    floor, ceiling = -np.inf, np.inf
    for _, lo, hi, approx in usable:
        width = APPROXIMATE_WIDTH if approx else 0.0
        lo_e = lo * (1 - width) if lo is not None else -np.inf
        hi_e = hi * (1 + width) if hi is not None else np.inf
        if kind is Kind.DATE:  # ordinal days: widen by days, not by a share of the calendar
            lo_e = lo - DATE_TOLERANCE_DAYS if lo is not None else -np.inf
            hi_e = hi + DATE_TOLERANCE_DAYS if hi is not None else np.inf
        floor, ceiling = max(floor, lo_e), min(ceiling, hi_e)
    if kind is Kind.DATE:
        return floor > ceiling
    return floor > ceiling * (1 + tolerance) if ceiling >= 0 else floor > ceiling
