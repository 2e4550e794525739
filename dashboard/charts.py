"""Tables and Plotly figures for the Compare and Charts pages: plain data in, DataFrame or Figure out.

Pure functions: no Streamlit, no database. Document text (quotes, sentences,
publisher names) reaches Plotly's hover labels, which render a subset of
HTML, so every such string is escaped here.
"""
from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from claims.compare.reconcile import Reconciled
from dashboard import look
from dashboard.tables import FICTIONAL_MARK

# One colour per verdict, as on every other page.
VERDICT_COLOR = look.VERDICT_COLOR
RECONCILED_COLOR = "#1d4ed8"


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _num(v: Any) -> float | None:
    if v is None or v == "":
        return None
    if isinstance(v, (int, float)):
        return float(v)
    text = str(v)
    try:
        return float(text)
    except ValueError:
        pass
    try:  # a date figure: plot it as a date
        return None if len(text) < 4 else float(dt.date.fromisoformat(text[:10]).toordinal())
    except ValueError:
        return None


# ------------------------------------------------------------------ Compare: tables
# The figures and how far they disagree come right after what the group is, so they show without scrolling
# sideways at a laptop's width; the kind is the label's first words already.
GROUP_COLUMNS = ["Group", "Incident", "Label", "Low", "Best", "High", "Spread", "Discrepancy", "Reports", "Independent",
                 "Claims", "Kind", "Rule", "First report"]


def by_incident(groups: list[Any]) -> list[tuple[Any, bool]]:
    """Return the groups with the facts of one incident together, each with whether it opens its incident.

    Incidents come in the order of their first fact in ``groups`` (so the list's sort still leads),
    and an incident's facts keep that order beneath it; groups placed in no incident stand alone.
    """
    blocks: dict[object, list[Any]] = {}
    for k, g in enumerate(groups):
        event = getattr(g, "event_id", None)
        blocks.setdefault(("event", event) if event is not None else ("alone", k), []).append(g)
    return [(g, k == 0) for block in blocks.values() for k, g in enumerate(block)]


def groups_frame(groups: list[Any]) -> pd.DataFrame:
    """Return one row per group (claims.compare.persist.GroupSummary) for the groups list.

    The facts of one incident are listed together under it: the incident's name is shown once, on
    its first row (a heading), and left blank on the facts beneath it.
    """
    rows = []
    for g, opens in by_incident(groups):
        label = getattr(g, "event_label", None) or ""
        rows.append({
            "Group": g.id, "Incident": label if opens else "", "Label": g.label,
            "Kind": look.kind_label(g.kind) + (f" ({look.OUTCOME_LABEL.get(g.outcome, g.outcome)})" if g.outcome else ""),
            "Claims": g.size, "Reports": g.reports, "Independent": g.independent,
            "Low": _show(g.low), "Best": _show(g.best), "High": _show(g.high), "Rule": g.rule,
            "Spread": round(100 * g.spread_ratio), "Discrepancy": bool(g.discrepancy),
            "First report": g.first_published,
        })
    return pd.DataFrame(rows, columns=GROUP_COLUMNS)


LEDGER_COLUMNS = ["Claim", "Source", "Publisher", "Grade", "Published", "Figure", "Quote", "Why grouped",
                  "Attributed to", "Verdict", "Counted", "Document"]


def ledger_frame(rc: Reconciled, reasons: dict[str, str] | None = None, *,
                 grade_of: dict[str, str | None] | None = None, grades: list[str] | None = None) -> pd.DataFrame:
    """Return the figure ledger: one row per member with source, its grade, attribution, date, figure, verdict,
    and why it is in the group (``reasons``: fingerprint -> reason line).

    ``grade_of`` maps publisher names to their reliability grade; ``grades`` (the sidebar's publisher
    grades, e.g. A and B) keeps only members whose publisher has one of them.
    """
    reasons = reasons or {}
    grade_of = grade_of or {}
    rows = []
    for r in rc.ledger:
        grade = grade_of.get(r.publisher or "")
        if grades and grade not in grades:
            continue
        flags = []
        if r.wire_copy:
            flags.append("wire copy")
        rows.append({
            "Claim": r.claim_id,
            "Source": f"S{r.source}" + (f" ({', '.join(flags)})" if flags else ""),
            "Publisher": (FICTIONAL_MARK if r.fictional else "") + (r.publisher or ""),
            "Grade": grade or "",
            "Published": r.published,
            "Figure": r.figure + (" (corrected)" if r.corrected else ""),
            "Quote": r.quote,
            "Attributed to": r.attributed_to or "",
            "Verdict": look.verdict_label(r.verdict) + (" (flagged)" if r.disputed else ""),
            "Counted": bool(r.credible),
            "Document": f"{r.filename or 'document'} #{r.document_id}",
            "Why grouped": reasons.get(r.fingerprint, "").removeprefix("grouped because: "),
        })
    return pd.DataFrame(rows, columns=LEDGER_COLUMNS)


def _show(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


# ------------------------------------------------------------------ Compare: the group's figures
def group_figure(rc: Reconciled, *, kind: str) -> go.Figure:
    """Return every member's figure (a point, or a bar from low to high) by source, in publication order.

    The reconciled best is a line and its low-high range a band, so the
    evolution of a toll and how far each report sits from it show at a glance.
    """
    fig = go.Figure()
    is_date = kind == "date"
    rows = []
    for i, r in enumerate(rc.ledger):
        lo, hi = _num(r.low), _num(r.high)
        if lo is None and hi is None:
            continue
        # Tick labels render Plotly's HTML subset too: escape the publisher's name.
        label = f"{i + 1}. {_esc(r.publisher or 'unknown')}" + (f" · {r.published.isoformat()}" if r.published else "")
        rows.append((label, lo, hi, r))
    for verdict in dict.fromkeys(r.verdict for _, _, _, r in rows):
        pts = [(lab, lo, hi, r) for lab, lo, hi, r in rows if r.verdict == verdict]
        hover = [f"<b>{_esc(r.publisher or 'unknown')}</b> ({_esc(r.published or 'undated')})<br>"
                 f"{_esc(r.figure)} — “{_esc(_cut(r.quote, 80))}”<br>"
                 f"attributed to: {_esc(r.attributed_to or '—')}<br>verdict: {_esc(look.verdict_label(r.verdict))}"
                 + ("" if r.credible else " (left out)") for _, _, _, r in pts]
        colour = VERDICT_COLOR.get(verdict, "#6b7280")
        # A range is a bar from low to high with its midpoint marked; an open bound ("at least",
        # "up to") is an arrow-shaped marker pointing the open way.
        for (lab, lo, hi, r), h in zip(pts, hover):
            if lo is not None and hi is not None and lo != hi:
                fig.add_trace(go.Scatter(x=[_as_x(lo, is_date), _as_x(hi, is_date)], y=[lab, lab], mode="lines",
                                         line=dict(color=colour, width=8), opacity=0.55, showlegend=False,
                                         hovertext=[h, h], hoverinfo="text", legendgroup=verdict))
        symbols = [("triangle-right" if hi is None else "triangle-left" if lo is None else
                    "diamond" if r.approximate else "circle") for _, lo, hi, r in pts]
        xs = [_as_x((lo + hi) / 2 if lo is not None and hi is not None else (lo if lo is not None else hi), is_date)
              for _, lo, hi, _ in pts]
        fig.add_trace(go.Scatter(
            x=xs, y=[lab for lab, _, _, _ in pts], mode="markers", name=look.verdict_label(verdict),
            legendgroup=verdict,
            marker=dict(color=colour, size=12, symbol=symbols, line=dict(color="white", width=1),
                        opacity=[1.0 if r.credible else 0.35 for *_, r in pts]),
            hovertext=hover, hoverinfo="text"))
    best, low, high = _num(rc.best), _num(rc.low), _num(rc.high)
    if best is not None:
        fig.add_vline(x=_as_x(best, is_date), line=dict(color=RECONCILED_COLOR, width=2, dash="dash"),
                      annotation_text=f"reconciled ({_esc(rc.rule)}): {_esc(_show(rc.best))}",
                      annotation_position="top")
    if low is not None and high is not None and low != high:
        fig.add_vrect(x0=_as_x(low, is_date), x1=_as_x(high, is_date), fillcolor=RECONCILED_COLOR, opacity=0.07,
                      line_width=0)
    n = max(1, len(rows))
    fig.update_layout(
        height=max(260, 40 * n + 120), margin=dict(l=10, r=10, t=40, b=40),
        yaxis=dict(autorange="reversed", title=None, type="category"),
        xaxis=dict(title="date" if is_date else "figure"),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, title=None),
        hoverlabel=dict(align="left"), plot_bgcolor="white")
    fig.update_xaxes(gridcolor="#e5e7eb")
    return fig


def _as_x(v: float | None, is_date: bool) -> Any:
    if v is None:
        return None
    return dt.date.fromordinal(int(v)) if is_date else v


def _cut(text: str, n: int) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


# ------------------------------------------------------------------ Charts page
def kind_verdict_figure(counts: pd.DataFrame) -> go.Figure:
    """Return claims by kind, stacked by verdict; ``counts`` has columns kind, verdict, claims."""
    fig = go.Figure()
    if counts.empty:
        return _empty(fig, "No claims match these filters.")
    kinds = list(dict.fromkeys(counts["kind"]))
    for verdict in look.VERDICT_LABEL:
        sub = counts[counts["verdict"] == verdict].set_index("kind")["claims"]
        if sub.sum() == 0:
            continue
        fig.add_trace(go.Bar(y=[look.kind_label(k) for k in kinds], x=[int(sub.get(k, 0)) for k in kinds],
                             name=look.verdict_label(verdict), orientation="h",
                             marker_color=VERDICT_COLOR[verdict]))
    fig.update_layout(barmode="stack", height=90 + 45 * len(kinds), margin=dict(l=10, r=10, t=30, b=30),
                      xaxis_title="claims", legend=dict(orientation="h", y=1.1, x=0), plot_bgcolor="white")
    return fig


def progress_figure(history: pd.DataFrame) -> go.Figure:
    """Return review progress over time: claims with a verdict, cumulative per day, by verdict.

    ``history`` has columns day, verdict (the verdict set that day), claims.
    """
    fig = go.Figure()
    if history.empty:
        return _empty(fig, "No reviews yet.")
    pivot = history.pivot_table(index="day", columns="verdict", values="claims", aggfunc="sum", fill_value=0)
    pivot = pivot.sort_index().cumsum()
    days = list(pivot.index)
    for verdict in [v for v in look.VERDICT_LABEL if v in pivot.columns]:
        if len(days) == 1:  # one day is no line: a stacked bar shows it (a lone point of an area draws nothing)
            fig.add_trace(go.Bar(x=[str(days[0])], y=pivot[verdict].tolist(), name=look.verdict_label(verdict),
                                 marker=dict(color=VERDICT_COLOR[verdict]), width=0.4))
        else:
            fig.add_trace(go.Scatter(x=days, y=pivot[verdict].tolist(), name=look.verdict_label(verdict),
                                     mode="lines+markers", stackgroup="one", line=dict(color=VERDICT_COLOR[verdict])))
    if len(days) == 1:  # a date axis gives one day no width: a category axis with the day as its label does
        fig.update_layout(barmode="stack", xaxis=dict(type="category"))
    if pivot.sum(axis=1).max() <= 10:  # verdicts are whole: few of them get a tick per verdict, never 0.5
        fig.update_layout(yaxis=dict(tick0=0, dtick=1))
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=30, b=30), yaxis_title="verdicts given (cumulative)",
                      legend=dict(orientation="h", y=1.1, x=0), plot_bgcolor="white")
    return fig


def publisher_figures_figure(figures: pd.DataFrame) -> go.Figure:
    """Return each publisher's figures as a strip of points (log scale); columns publisher, figure, kind, quote."""
    fig = go.Figure()
    if figures.empty:
        return _empty(fig, "No casualty or force-size figures match these filters.")
    order = [_esc(p) for p in figures.groupby("publisher")["figure"].size().sort_values(ascending=False).index]
    for kind in dict.fromkeys(figures["kind"]):
        sub = figures[figures["kind"] == kind]
        fig.add_trace(go.Box(
            y=[_esc(p) for p in sub["publisher"]], x=sub["figure"], name=look.kind_label(kind), orientation="h", boxpoints="all",
            jitter=0.4, pointpos=0, fillcolor="rgba(0,0,0,0)", line=dict(width=1),
            marker=dict(color=look.KIND_BG.get(kind, "#999"), size=7, line=dict(color="#374151", width=0.5)),
            hovertext=[f"{_esc(p)}: {_esc(_show(f))} — “{_esc(_cut(q, 80))}”"
                       for p, f, q in zip(sub["publisher"], sub["figure"], sub["quote"])],
            hoverinfo="text"))
    fig.update_layout(height=max(260, 28 * len(order) + 120), margin=dict(l=10, r=10, t=30, b=30),
                      xaxis=dict(type="log", title="figure (log scale)"),
                      yaxis=dict(categoryorder="array", categoryarray=list(reversed(order))),
                      boxmode="group", legend=dict(orientation="h", y=1.08, x=0), plot_bgcolor="white")
    return fig


def timeline_figure(dated: pd.DataFrame) -> go.Figure:
    """Return dated claims per month by kind; ``dated`` has columns month (date), kind, claims."""
    fig = go.Figure()
    if dated.empty:
        return _empty(fig, "No dated claims match these filters.")
    for kind in dict.fromkeys(dated["kind"]):
        sub = dated[dated["kind"] == kind]
        fig.add_trace(go.Bar(x=sub["month"], y=sub["claims"], name=look.kind_label(kind),
                             marker_color=look.KIND_BG.get(kind, "#999"), marker_line=dict(color="#374151", width=0.5)))
    fig.update_layout(barmode="stack", height=320, margin=dict(l=10, r=10, t=30, b=30), yaxis_title="claims",
                      xaxis_title="event month", legend=dict(orientation="h", y=1.1, x=0), plot_bgcolor="white")
    return fig


def agreement_figure(pairs: pd.DataFrame) -> go.Figure:
    """Return Cohen's kappa per reviewer pair as horizontal bars (hover: claims both judged, raw agreement).

    ``pairs`` is :func:`dashboard.tables.agreement_pairs_frame`; pairs whose kappa is undefined are left out.
    """
    fig = go.Figure()
    rows = pairs.dropna(subset=["Cohen's kappa"]) if not pairs.empty else pairs
    if rows.empty:
        return _empty(fig, "No claim has verdicts from two reviewers yet.")
    labels = [f"{_esc(a)} · {_esc(b)}" for a, b in zip(rows["Reviewer A"], rows["Reviewer B"])]
    fig.add_trace(go.Bar(
        y=labels, x=rows["Cohen's kappa"], orientation="h", name="Cohen's kappa",
        marker_color=["#15803d" if k >= 0.6 else "#ca8a04" if k >= 0.2 else "#b91c1c" for k in rows["Cohen's kappa"]],
        hovertext=[f"{lab}: kappa {k:.2f}, agreement {p:g}% on {n} claims" for lab, k, p, n in
                   zip(labels, rows["Cohen's kappa"], rows["Agreement %"], rows["Claims both judged"])],
        hoverinfo="text"))
    fig.update_layout(height=max(200, 40 * len(rows) + 100), margin=dict(l=10, r=10, t=30, b=30),
                      xaxis=dict(range=[-1, 1], title="Cohen's kappa (1 = full agreement, 0 = chance)"),
                      yaxis=dict(autorange="reversed"), plot_bgcolor="white", showlegend=False)
    return fig


def _empty(fig: go.Figure, message: str) -> go.Figure:
    fig.add_annotation(text=_esc(message), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_layout(height=200, xaxis_visible=False, yaxis_visible=False, plot_bgcolor="white")
    return fig


# ------------------------------------------------------------------ Charts page: data shaping
def kind_verdict_counts(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    """Return (kind, verdict, claims) rows as a frame in the kinds' usual order."""
    frame = pd.DataFrame(rows, columns=["kind", "verdict", "claims"])
    order = {k: i for i, k in enumerate(look.KIND_LABEL)}
    return frame.sort_values(by="kind", key=lambda s: s.map(order)).reset_index(drop=True)


def progress_counts(entries: list[tuple[dt.datetime, str]]) -> pd.DataFrame:
    """Return (day, verdict, claims) from (time, new verdict) history entries."""
    if not entries:
        return pd.DataFrame(columns=["day", "verdict", "claims"])
    frame = pd.DataFrame(entries, columns=["at", "verdict"])
    frame["day"] = pd.to_datetime(frame["at"], utc=True).dt.date
    return frame.groupby(["day", "verdict"]).size().reset_index(name="claims")


def dated_counts(dates: list[tuple[str, str]]) -> pd.DataFrame:
    """Return (month, kind, claims) from (ISO date at any precision, kind) pairs; bare years are left out."""
    months = []
    for d, kind in dates:
        if d and len(d) >= 7:
            try:
                months.append((dt.date(int(d[:4]), int(d[5:7]), 1), kind))
            except ValueError:
                continue
    if not months:
        return pd.DataFrame(columns=["month", "kind", "claims"])
    frame = pd.DataFrame(months, columns=["month", "kind"])
    return frame.groupby(["month", "kind"]).size().reset_index(name="claims").sort_values("month")
