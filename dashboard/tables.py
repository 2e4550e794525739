"""Turn store records into the DataFrames the pages display: column names, order and formatting.

Pure functions over ``claims.model`` records, no Streamlit and no database, so
pages only pass frames to widgets and these shapes can be tested directly.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd

from claims.describe import duration_text
from claims.errors import BadInputError
from claims.model import CORRECTABLE_FIELDS, Claim, ClaimRecord, Document, HistoryEntry, Kind, Outcome, Verdict
from dashboard import look

CLAIM_COLUMNS = ["ID", "Verdict", "Kind", "Figure", "Quote", "Subject", "Attributed to",
                 "Publisher", "Published", "Event date", "Reviewer"]


def claims_frame(records: list[ClaimRecord]) -> pd.DataFrame:
    """Return one row per claim with reviewer-facing columns (corrected values win over extracted ones)."""
    rows = []
    for r in records:
        c = r.claim
        kind = look.kind_label(c.kind)
        outcome = r.effective("outcome")
        if outcome:  # "Killed"/"Injured" say more than "Casualties" in a narrow column
            kind = look.OUTCOME_LABEL.get(getattr(outcome, "value", outcome), kind)
        rows.append({
            "ID": r.id,
            "Verdict": look.verdict_label(r.verdict),
            "Kind": kind,
            "Figure": ("✎ " if r.corrected else "") + value_text(r),  # the table marks corrected claims
            "Quote": c.quote,
            "Subject": r.effective("subject") or "",
            "Attributed to": r.effective("attributed_to") or "",
            "Publisher": (r.publisher or "") + (" (fictional)" if r.fictional else ""),
            "Published": r.published,
            "Event date": r.effective("date") or "",
            "Reviewer": r.reviewer or "",
        })
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS)


def value_text(r: ClaimRecord) -> str:
    """Return the claim's value as a reviewer reads it: a figure range, a date or a duration."""
    date, duration = r.effective("date"), r.effective("duration")
    fig = look.figure_text(_num(r.effective("low")), _num(r.effective("high")),
                           approximate=bool(r.effective("approximate")))
    return fig or date or duration_text(duration) or ""


def _num(x: Any) -> float | None:
    if x is None or x == "":
        return None
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def verdict_style(frame: pd.DataFrame, *, current: int | None = None):
    """Return a pandas Styler that colours the Verdict column and marks the row of claim ``current``."""
    colours = {look.VERDICT_LABEL[v]: (look.VERDICT_BG[v], look.VERDICT_COLOR[v]) for v in look.VERDICT_LABEL}

    unreviewed = look.VERDICT_LABEL[Verdict.UNREVIEWED.value]

    def cell(value: Any) -> str:
        if value == unreviewed:  # the common case stays quiet so the judged claims stand out
            return f"color: {look.VERDICT_COLOR[Verdict.UNREVIEWED.value]}"
        bg, fg = colours.get(value, ("", ""))
        return f"background-color: {bg}; color: {fg}; font-weight: 600" if bg else ""

    cols = [c for c in frame.columns if c == "Verdict"]
    styler = frame.style.map(cell, subset=cols) if cols else frame.style
    if current is not None and "ID" in frame.columns:
        # The open claim's row stands out, so the reviewer sees where they are in the queue.
        def row(r: pd.Series) -> list[str]:
            here = r.get("ID") == current
            return ["font-weight: 700; background-color: #e0f2fe" if here and c != "Verdict" else ""
                    for c in r.index]
        styler = styler.apply(row, axis=1)
    return styler


def field_rows(r: ClaimRecord) -> list[tuple[str, str, str]]:
    """Return (label, current value, extracted value when a reviewer corrected it) for the claim's set fields."""
    out = []
    for name in ("kind", "low", "high", "approximate", "outcome", "subject", "unit", "date", "duration",
                 "attributed_to", "rule"):
        extracted = getattr(r.claim, name)
        current = r.corrected[name] if name in r.corrected else extracted
        if name == "approximate" and not current and name not in r.corrected:
            continue
        if (current is None or current == "") and name not in r.corrected:
            continue
        show = (lambda v: duration_text(v) or "—") if name == "duration" else _show
        out.append((look.FIELD_LABEL[name], show(current), show(extracted) if name in r.corrected else ""))
    return out


def _show(v: Any) -> str:
    if v is None or v == "":
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float) and v.is_integer():
        return f"{int(v):,}"
    if isinstance(v, (int, float)):
        return f"{v:,}"
    if hasattr(v, "value"):
        v = v.value
        return look.KIND_LABEL.get(v) or look.OUTCOME_LABEL.get(v) or str(v)
    return str(v)


def history_frame(entries: list[HistoryEntry]) -> pd.DataFrame:
    """Return the review history newest first, one row per changed field ("Verdict: Unreviewed → Verified")."""
    rows = [{
        "When": e.at.replace(microsecond=0) if isinstance(e.at, dt.datetime) else e.at,
        "Reviewer": e.reviewer,
        "Change": f"{look.FIELD_LABEL.get(e.field, e.field)}: {_history_value(e.field, e.old)} → "
                  f"{_history_value(e.field, e.new)}",
        "Version": e.version,
    } for e in sorted(entries, key=lambda e: (e.version, e.at), reverse=True)]
    return pd.DataFrame(rows, columns=["When", "Reviewer", "Change", "Version"])


def agreement_pairs_frame(rows: list[Any]) -> pd.DataFrame:
    """Return claims.team agreement rows per reviewer pair as a table (agreement in %, kappa to 2 places)."""
    return pd.DataFrame([{"Reviewer A": r.reviewer_a, "Reviewer B": r.reviewer_b, "Claims both judged": r.n,
                          "Agreement %": None if r.agreement is None else round(100 * r.agreement, 1),
                          "Cohen's kappa": None if r.kappa is None else round(r.kappa, 2)} for r in rows],
                        columns=["Reviewer A", "Reviewer B", "Claims both judged", "Agreement %", "Cohen's kappa"])


def agreement_kinds_frame(rows: list[Any]) -> pd.DataFrame:
    """Return claims.team agreement rows per claim kind as a table."""
    return pd.DataFrame([{"Kind": look.kind_label(r.kind), "Pairs of verdicts": r.n,
                          "Agreement %": None if r.agreement is None else round(100 * r.agreement, 1),
                          "Cohen's kappa": None if r.kappa is None else round(r.kappa, 2)} for r in rows],
                        columns=["Kind", "Pairs of verdicts", "Agreement %", "Cohen's kappa"])


UNDEFINED = "—"  # a statistic that has no value for these data (kappa when chance agreement is already 1)
AGREEMENT_TEXT = {"Agreement %": "{:g}", "Cohen's kappa": "{:.2f}"}


def agreement_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Return an agreement table as shown: agreement and kappa as text, "—" where undefined (not "None")."""
    out = frame.copy()
    for col, fmt in AGREEMENT_TEXT.items():
        if col in out:
            out[col] = [UNDEFINED if v is None or v != v else fmt.format(v) for v in out[col]]
    return out


def _history_value(field: str, v: Any) -> str:
    if field in ("verdict", "vote") and v and isinstance(v, str):
        try:
            return look.verdict_label(v)
        except ValueError:
            return str(v)
    if isinstance(v, dict):
        return ", ".join(f"{look.FIELD_LABEL.get(k, k)} = {_show(x)}" for k, x in v.items()) or "—"
    return _show(v)


def review_snapshot(*, verdict: str, note: str | None, evidence_url: str | None,
                    corrected: dict[str, Any], reviewer: str | None = None,
                    version: int | None = None) -> dict[str, Any]:
    """Return the review fields a conflict compares, in one plain dict."""
    return {"verdict": Verdict(verdict).value, "note": note or None, "evidence_url": evidence_url or None,
            "corrected": dict(corrected or {}), "reviewer": reviewer, "version": version}


def conflict_frame(mine: dict[str, Any], theirs: dict[str, Any]) -> pd.DataFrame:
    """Return the reviewer's unsaved review beside the one now stored, field by field."""
    rows = []
    for key, label in (("verdict", "Verdict"), ("note", "Note"), ("evidence_url", "Evidence URL"),
                       ("corrected", "Corrections"), ("reviewer", "Reviewer"), ("version", "Version")):
        a, b = mine.get(key), theirs.get(key)
        rows.append({"Field": label + (" ≠" if a != b else ""), "Yours (not saved)": _history_value(key, a),
                     "Theirs (saved)": _history_value(key, b)})
    return pd.DataFrame(rows, columns=["Field", "Yours (not saved)", "Theirs (saved)"])


def record_snapshot(r: ClaimRecord) -> dict[str, Any]:
    """Return a stored claim's review fields as a plain dict (see :func:`review_snapshot`)."""
    return review_snapshot(verdict=Verdict(r.verdict).value, note=r.note, evidence_url=r.evidence_url,
                           corrected=r.corrected, reviewer=r.reviewer, version=r.version)


def corrections(r: ClaimRecord, values: dict[str, Any]) -> dict[str, Any]:
    """Return the fields in ``values`` the reviewer changed from what ``r`` shows (its effective values).

    Blank text means "no value"; numbers may carry thousands separators. A
    field set back to the extracted value is returned too: the store then
    drops that correction. Raises BadInputError naming a field that is not a number.
    """
    out: dict[str, Any] = {}
    if "figure" in values:  # one box for an exact figure: "38" sets low = high = 38, "30-40" a range
        values = {**values, **figure_bounds(values["figure"])}
    for name in CORRECTABLE_FIELDS:
        if name not in values:
            continue
        new = values[name]
        if isinstance(new, str):
            new = new.strip() or None
        old = r.effective(name)
        old = getattr(old, "value", old)
        if name in ("low", "high"):
            new = parse_number(name, new)
            old = _num(old)
        elif name == "approximate":
            new, old = bool(new), bool(old)
        if new != old:
            out[name] = new
    return out


def parse_number(name: str, value: Any) -> float | None:
    """Return a typed figure as a float ("1,200" -> 1200.0; blank -> None); raise BadInputError naming the field."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).replace(",", "").replace(" ", "").replace(" ", ""))
    except ValueError:
        raise BadInputError(f"{look.FIELD_LABEL.get(name, name)}: not a number: {value!r}") from None


def figure_bounds(text: Any) -> dict[str, float | None]:
    """Return low and high from the one-box figure: "38" -> both 38, "30-40" or "30–40" -> 30 and 40."""
    t = "" if text is None else str(text).strip()
    parts = [p for p in re.split(r"\s*[-–—]\s*|\s+to\s+", t, maxsplit=1) if p] if t and not t.startswith("-") else [t]
    if len(parts) == 2:
        return {"low": parse_number("figure", parts[0]), "high": parse_number("figure", parts[1])}
    n = parse_number("figure", t)
    return {"low": n, "high": n}


def find_quote(text: str, quote: str, *, near: int = 0) -> list[int]:
    """Return where ``quote`` occurs in ``text`` (exactly), nearest to offset ``near`` first; [] when nowhere."""
    if not quote:
        return []
    found, i = [], text.find(quote)
    while i >= 0:
        found.append(i)
        i = text.find(quote, i + 1)
    return sorted(found, key=lambda s: (abs(s - near), s))


# the fields a reviewer fills for a claim they add, by kind (the figure in one box: "38", "30-40")
ADD_INPUTS: dict[str, tuple[str, ...]] = {
    "casualties": ("figure", "outcome", "subject", "attributed_to"),
    "force_size": ("figure", "subject", "attributed_to"),
    "figure": ("figure", "subject", "unit", "attributed_to"),
    "date": ("date", "attributed_to"),
    "duration": ("duration", "attributed_to"),
}


def added_claim(text: str, start: int, quote: str, kind: str, values: dict[str, Any]) -> Claim:
    """Return the claim a reviewer adds: ``quote`` at ``start`` of ``text``, of ``kind``, with the values typed.

    Raises BadInputError when the words are not at ``start`` or a figure is not a number.
    """
    if text[start:start + len(quote)] != quote or not quote:
        raise BadInputError(f"quote: {quote!r} is not at offset {start} of the document")
    fields = {name: (values.get(name) or "").strip() if isinstance(values.get(name), str) else values.get(name)
              for name in ADD_INPUTS[kind]}
    bounds = figure_bounds(fields.pop("figure")) if "figure" in fields else {}
    return Claim(kind=Kind(kind), start=start, end=start + len(quote), quote=quote, **bounds,
                 **{k: (Outcome(v) if k == "outcome" and v else v or None) for k, v in fields.items()})


def _exact(r: ClaimRecord) -> bool:
    lo, hi = _num(r.effective("low")), _num(r.effective("high"))
    return lo is not None and lo == hi


def correction_inputs(r: ClaimRecord) -> list[str]:
    """Return the correctable fields that make sense for this claim's kind, in display order.

    An exact figure (low = high) gets one "figure" box, so correcting it keeps low = high.
    """
    kind = getattr(r.claim.kind, "value", r.claim.kind)
    bounds = ["figure"] if _exact(r) else ["low", "high"]
    if kind == "casualties":
        return [*bounds, "approximate", "outcome", "subject", "attributed_to"]
    if kind in ("force_size", "figure"):
        return [*bounds, "approximate", "subject", "unit", "attributed_to"]
    if kind == "date":
        return ["date", "attributed_to"]
    if kind == "duration":
        return ["duration", "attributed_to"]
    return list(CORRECTABLE_FIELDS)


def input_text(r: ClaimRecord, name: str) -> Any:
    """Return a field's current (effective) value as a correction widget shows it."""
    if name == "figure":
        return input_text(r, "low")
    v = r.effective(name)
    v = getattr(v, "value", v)
    if name in ("low", "high"):
        return "" if v is None else look.figure_text(float(v), float(v)).replace(",", "")
    if name == "approximate":
        return bool(v)
    if name == "outcome":
        return v or ""
    return "" if v is None else str(v)


FICTIONAL_MARK = "Fictional example · "  # before the title of an invented article, wherever documents are listed


def document_title(d: Any) -> str:
    """Return a document's display title, marked when the article is an invented example."""
    title = getattr(d, "title", None) or getattr(d, "filename", None) or f"Document {getattr(d, 'id', '')}"
    return (FICTIONAL_MARK + title) if getattr(d, "fictional", False) else title


def appearances_frame(appearances: list[Any]) -> pd.DataFrame:
    """Return where a document's text appeared: one row per appearance, the first one marked."""
    from claims.pages import web_link

    # only http(s) addresses may become links: a javascript: url from a hostile sidecar stays out
    rows = [{"Publisher": a.publisher or "", "Published": a.published, "Link": web_link(a.url), "Title": a.title or "",
             "Seen": "first" if a.first else "again"} for a in appearances]
    return pd.DataFrame(rows, columns=["Publisher", "Published", "Link", "Title", "Seen"])


def document_changes_frame(changes: list[Any]) -> pd.DataFrame:
    """Return a document's title/publisher/date edits, newest first."""
    rows = [{"When": c.at.replace(microsecond=0) if isinstance(c.at, dt.datetime) else c.at,
             "Reviewer": c.reviewer, "Change": f"{c.field.capitalize()}: {c.old or '—'} → {c.new or '—'}"}
            for c in reversed(changes)]
    return pd.DataFrame(rows, columns=["When", "Reviewer", "Change"])


def documents_frame(docs: list[Document]) -> pd.DataFrame:
    """Return one row per document: title (marked when fictional), publisher, dates, claim count and a link to
    the original (http(s) only)."""
    from claims.pages import web_link

    rows = [{"ID": d.id, "Title": document_title(d), "Publisher": d.publisher or "",
             "Published": d.published, "Original": web_link(d.url) or "", "Claims": d.claim_count,
             "Added": d.ingested_at.replace(microsecond=0) if d.ingested_at else None,
             "Added by": d.added_by or "",
             "Version": ("newer version stored" if d.next_id else "updated" if d.previous_id else "")}
            for d in docs]
    return pd.DataFrame(rows, columns=["ID", "Title", "Publisher", "Published", "Original", "Claims", "Added",
                                       "Added by", "Version"])


PUBLISHER_FIELD_LABEL = {"grade": "Grade", "note": "Note", "domain": "Domain"}


def publisher_history_frame(changes: list[Any]) -> pd.DataFrame:
    """Return a publisher's changes newest first, one row per field ("Grade: C → B"), with who made each."""
    rows = [{
        "When": c.at.replace(microsecond=0) if isinstance(c.at, dt.datetime) else c.at,
        "Reviewer": c.reviewer or "(not recorded)",
        "Change": f"{PUBLISHER_FIELD_LABEL.get(c.field, c.field)}: {c.old if c.old is not None else '—'} → "
                  f"{c.new if c.new is not None else '—'}",
    } for c in reversed(changes)]
    return pd.DataFrame(rows, columns=["When", "Reviewer", "Change"])


def publishers_frame(publishers: list[Any]) -> pd.DataFrame:
    """Return one row per publisher: counts, verdict breakdown, share reviewed, grade and note."""
    verdicts = [v.value for v in Verdict]
    rows = []
    for p in publishers:
        counts = dict(getattr(p, "verdict_counts", None) or {})
        total = int(getattr(p, "claim_count", 0) or 0)
        reviewed = total - int(counts.get(Verdict.UNREVIEWED.value, 0) or 0) if counts else 0
        row = {"Publisher": p.name, "Domain": getattr(p, "domain", None) or "",
               "Documents": int(getattr(p, "document_count", 0) or 0), "Claims": total,
               "Reviewed": round(100.0 * reviewed / total) if total else 0}
        for v in verdicts:
            row[look.VERDICT_LABEL[v]] = int(counts.get(v, 0) or 0)
        row["Grade"] = getattr(p, "grade", None) or None
        row["Note"] = getattr(p, "note", None) or ""
        rows.append(row)
    cols = ["Publisher", "Grade", "Note", "Documents", "Claims", "Reviewed",
            *(look.VERDICT_LABEL[v] for v in verdicts), "Domain"]
    return pd.DataFrame(rows, columns=cols)


def sources_frame(sources: list[tuple[str, int, int, dict[str, int]]]) -> pd.DataFrame:
    """Return one row per speaker or body that stated figures: claims, documents, share reviewed, verdicts."""
    verdicts = [v.value for v in Verdict]
    rows = []
    for name, total, docs, counts in sources:
        reviewed = total - int(counts.get(Verdict.UNREVIEWED.value, 0) or 0)
        row = {"Source": name, "Claims": int(total), "Documents": int(docs),
               "Reviewed": round(100.0 * reviewed / total) if total else 0}
        for v in verdicts:
            row[look.VERDICT_LABEL[v]] = int(counts.get(v, 0) or 0)
        rows.append(row)
    return pd.DataFrame(rows, columns=["Source", "Claims", "Documents", "Reviewed",
                                       *(look.VERDICT_LABEL[v] for v in verdicts)])


def verdict_series() -> tuple[list[str], list[str]]:
    """Return the verdict column names of :func:`publishers_frame` and their colours, in the same order."""
    values = [v.value for v in Verdict]
    return [look.VERDICT_LABEL[v] for v in values], [look.VERDICT_COLOR[v] for v in values]


def any_reviewed(frame: pd.DataFrame) -> bool:
    """Return True when a publishers frame counts at least one claim with a verdict other than unreviewed."""
    labels = [look.VERDICT_LABEL[v.value] for v in Verdict if v is not Verdict.UNREVIEWED]
    return bool(not frame.empty and frame[labels].to_numpy().sum() > 0)
