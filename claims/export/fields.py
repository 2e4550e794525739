"""The export field table: one list of columns drives every writer, the importer and the codebook.

Each :class:`Field` names a column, its type, the section it belongs to and
what it means. :func:`flatten` turns one stored claim (plus its document's
content hash and, when compare has grouped it, its group) into a row keyed by
these names, in this order. ``docs/codebook.md`` and the codebook inside every
bundle are rendered from this table by :func:`codebook_markdown`, and a test
checks the committed file still matches.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable

from claims.model import (
    CORRECTABLE_FIELDS, VERDICT_HELP, ClaimRecord, Kind, Outcome, Verdict,
)

# Column types. CSV writes ``integer``/``number`` cells as bare numbers; every
# other type is text there and gets formula neutralisation.
TYPES: dict[str, str] = {
    "integer": "whole number",
    "number": "decimal number (whole numbers are written without a decimal point)",
    "boolean": "`true` or `false` (CSV), JSON boolean, Parquet bool",
    "string": "text",
    "date": "ISO 8601 date `YYYY-MM-DD`",
    "datetime": "ISO 8601 timestamp with offset, UTC (`2026-01-31T12:00:00+00:00`)",
    "json": "JSON object (in CSV and Parquet: its compact JSON text)",
}

SECTIONS: dict[str, str] = {
    "claim": "The claim as extracted (see the extraction contract in claims/model.py).",
    "document": "The document the claim was found in.",
    "review": "The claim's current (latest) review.",
    "group": "The compare group the claim belongs to (claims from two or more reports of one fact, as "
             "`python -m claims compare` last stored them), with the group's reconciled figure. Empty when "
             "the claim is in no such group or compare has not been run.",
}


@dataclass(frozen=True, slots=True)
class GroupInfo:
    """The compare group one claim belongs to, with the group's reconciled figure."""

    group_id: str
    label: str | None = None
    size: int | None = None
    low: Any = None
    best: Any = None
    high: Any = None
    method: str | None = None


@dataclass(slots=True)  # not frozen: the exporter reuses one per batch (a frozen init per row costs seconds per million)
class RowContext:
    """What a row needs beyond the ClaimRecord: its document's content hash and its group."""

    document_hash: str
    group: GroupInfo | None = None


@dataclass(frozen=True, slots=True)
class Field:
    """One export column: name, type, section, meaning, and the expression that reads it.

    ``expr`` is a Python expression over ``r`` (the ClaimRecord), ``c`` (its
    RowContext) and the helpers in :data:`_HELPERS`. :func:`flatten` compiles
    all of them into one function (one dict display per row, which is what
    keeps a million-row export fast); :meth:`value` evaluates one on its own
    and is the reference the tests hold :func:`flatten` to.
    """

    name: str
    type: str
    section: str
    help: str
    expr: str
    # Store-assigned ids differ between stores; round trips compare everything else.
    local: bool = False

    def value(self, r: ClaimRecord, c: RowContext) -> Any:
        """Return this field's value for one record."""
        return eval(self.expr, dict(_HELPERS), {"r": r, "c": c})  # noqa: S307  (expressions from FIELDS only)


def _num(x: Any) -> float | int | None:
    t = type(x)
    if t is float:
        return int(x) if x.is_integer() else x
    if x is None or t is int:
        return x
    if isinstance(x, bool):
        return x
    if isinstance(x, (int, float)):
        return int(x) if float(x).is_integer() else float(x)
    return x  # not a number: the writers treat it as text


def _utc(ts: dt.datetime | None) -> str | None:
    if ts is None:
        return None
    if ts.tzinfo is None:  # the store keeps UTC; naive values are UTC
        ts = ts.replace(tzinfo=dt.timezone.utc)
    return ts.astimezone(dt.timezone.utc).isoformat()


def _enum(v: Any) -> str | None:
    if v is None:
        return None
    return v.value if isinstance(v, Enum) else str(v)


def _reviewed_and_extracted(*specs: tuple[str, str, str, str]) -> tuple[Field, ...]:
    """Return, for each correctable field, its reviewed column and beside it the extractor's ``extracted_*`` one.

    The plain name holds what the reviewer settled on (their correction, else
    the extracted value), so a spreadsheet's ``low`` is the reviewed figure;
    ``extracted_low`` keeps what the extractor read, which import matches on.
    """
    out = []
    for name, type_, help_, form in specs:
        reviewed = f"(r.corrected[{name!r}] if {name!r} in r.corrected else r.claim.{name})"
        out.append(Field(name, type_, "claim", f"{help_} As reviewed: the reviewer's correction when there is "
                         f"one (see `corrected`), else `extracted_{name}`.", form.format(v=reviewed)))
        out.append(Field(f"extracted_{name}", type_, "claim", f"`{name}` as the extractor found it, before any "
                         "correction.", form.format(v=f"r.claim.{name}")))
    return tuple(out)


FIELDS: tuple[Field, ...] = (
    # --- claim
    Field("id", "integer", "claim", "The claim's id in the exporting store (differs between stores).",
          "r.id", local=True),
    Field("document_id", "integer", "claim", "The document's id in the exporting store (differs between stores).",
          "r.document_id", local=True),
    Field("fingerprint", "string", "claim",
          "Stable claim id: sha256 of document hash, kind, outcome and span (first 32 hex digits). "
          "Same in every store; import matches claims on it.", "r.fingerprint"),
    Field("extractor_version", "string", "claim", "Version of the extractor that found the claim.",
          "r.extractor_version"),
    Field("kind", "string", "claim", "What the claim states: " + ", ".join(k.value for k in Kind) + ".",
          "_enum(r.claim.kind)"),
    Field("start", "integer", "claim", "Character offset where the quote starts in the document text.",
          "r.claim.start"),
    Field("end", "integer", "claim", "Character offset just after the quote (text[start:end] == quote).",
          "r.claim.end"),
    Field("quote", "string", "claim", "The exact text that carries the figure or date.", "r.claim.quote"),
    Field("sentence", "string", "claim", "The sentence the quote is in.", "r.claim.sentence"),
    *_reviewed_and_extracted(
        ("low", "number", "Lower bound of the figure; empty for 'up to N' (see the vague-quantity convention "
                          "below).", "_num({v})"),
        ("high", "number", "Upper bound of the figure; empty for 'at least N'. Exact figures have low = high.",
         "_num({v})"),
        ("approximate", "boolean", "True when the figure is hedged (around, nearly) or vague (dozens).",
         "bool({v})"),
        ("outcome", "string", "Casualties only: " + " or ".join(o.value for o in Outcome) + ".", "_enum({v})"),
        ("subject", "string", "Who or what is counted, as written (children, soldiers).", "{v}"),
        ("unit", "string", "Unit of a figure of kind figure (percent, dollars), else empty.", "{v}"),
        ("date", "string", "Kind date: ISO value at the precision the text gives (2021-11-09, 2021-11, 2014).",
         "{v}"),
        ("duration", "string", "Kind duration: ISO 8601 duration in the unit as written (P1M, P2W).", "{v}"),
        ("attributed_to", "string", "The person or body the text attributes the figure to, by a short canonical "
         "name (Jane Doe for 'Chief Minister Jane Doe', UN report for 'a report prepared for the United Nations "
         "Security Council'); empty when the text names no source for it.", "{v}"),
    ),
    Field("source_quote", "string", "claim", "The exact words of the document naming the source (for 'He said' "
          "the name it refers back to); empty when the extractor found no source.", "r.claim.source_quote"),
    Field("source_start", "integer", "claim", "Character offset where source_quote starts in the document text.",
          "r.claim.source_start"),
    Field("source_end", "integer", "claim", "Character offset just after source_quote "
          "(text[source_start:source_end] == source_quote).", "r.claim.source_end"),
    Field("rule", "string", "claim", "Name of the extraction rule that found the claim.", "r.claim.rule"),
    Field("orphaned", "boolean", "claim", "True when a newer extraction no longer finds this reviewed claim "
          "(kept with its review).", "bool(r.orphaned)"),
    # --- document
    Field("document_hash", "string", "document", "sha256 of the document text (UTF-8); import matches "
          "documents on it.", "c.document_hash"),
    Field("title", "string", "document", "Document title.", "r.title"),
    Field("url", "string", "document", "Where the document was published.", "r.url"),
    Field("publisher", "string", "document", "The outlet that published the document.", "r.publisher"),
    Field("published", "date", "document", "Publication date.",
          "r.published.isoformat() if r.published else None"),
    Field("filename", "string", "document", "The file the document was ingested from.", "r.filename"),
    Field("fictional", "boolean", "document", "True for an invented example article (seeds/fictional); such "
          "claims are exported only with `--include-fictional`.", "bool(r.fictional)"),
    Field("appearances", "integer", "document", "How many more times the same text was stored under another "
          "publisher, url or date (a wire story carried again); Compare counts each as a report.",
          "r.appearances"),
    # --- review
    Field("verdict", "string", "review", "The reviewer's judgement: see the verdict table below.",
          "_enum(r.verdict) or _UNREVIEWED"),
    Field("review_state", "string", "review", "Where the claim stands in review: unreviewed, reviewed (one "
          "review decides), needs_second, agreed, disagreed or adjudicated (`python -m claims config set "
          "reviews_required 2` turns on the second review).", "r.review_state"),
    Field("note", "string", "review", "The reviewer's note.", "r.note"),
    Field("corrected", "json", "review", "Values the reviewer corrected, field -> value (fields: "
          + ", ".join(CORRECTABLE_FIELDS) + "). Empty object when nothing was corrected.",
          "dict(r.corrected or {})"),
    Field("evidence_url", "string", "review", "Link to the evidence the reviewer relied on.",
          "r.evidence_url"),
    Field("reviewer", "string", "review", "Who wrote the current review.", "r.reviewer"),
    Field("reviewed_at", "datetime", "review", "When the current review was written.",
          "_utc(r.reviewed_at)"),
    Field("version", "integer", "review", "Review version: 0 when never reviewed, +1 per review.",
          "r.version"),
    # --- group
    Field("group_id", "string", "group", "Id of the compare group (claims that state the same fact).",
          "c.group.group_id if c.group else None"),
    Field("group_label", "string", "group", "Human label of the group.", "c.group.label if c.group else None"),
    Field("group_size", "integer", "group", "How many claims the group holds.", "c.group.size if c.group else None"),
    Field("group_low", "string", "group", "The group's reconciled lower bound, in the kind's form: a number "
          "for counts, an ISO date for dates, an ISO duration for durations.", "_text(c.group.low) if c.group else None"),
    Field("group_best", "string", "group", "The group's reconciled best figure (same form as group_low).",
          "_text(c.group.best) if c.group else None"),
    Field("group_high", "string", "group", "The group's reconciled upper bound (same form as group_low).",
          "_text(c.group.high) if c.group else None"),
    Field("group_method", "string", "group", "The reconciliation rule that gave the figure (see `python -m "
          "claims compare --help`).", "c.group.method if c.group else None"),
)

FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
NUMERIC_TYPES = frozenset({"integer", "number"})

# JSON, JSONL and bundle exports carry two things the flat table cannot:
DOCUMENT_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("content_hash", "string", "sha256 of text; claims point at it through document_hash."),
    ("text", "string", "The full document text (claims' start/end index into it)."),
    ("title", "string", "Document title."),
    ("url", "string", "Where the document was published."),
    ("publisher", "string", "The outlet that published the document."),
    ("published", "date", "Publication date."),
    ("filename", "string", "The file the document was ingested from."),
    ("fictional", "boolean", "True for an invented example article."),
)
HISTORY_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("version", "integer", "Review version this change belongs to."),
    ("field", "string", "Which field changed: verdict, note, evidence_url, reviewer, or a corrected field "
                        "such as low."),
    ("old", "json", "Value before the change."),
    ("new", "json", "Value after the change."),
    ("reviewer", "string", "Who made the change."),
    ("at", "datetime", "When."),
)

def _text(v: Any) -> str | None:
    if v is None:
        return None
    return str(_num(v))


_HELPERS: dict[str, Any] = {"_num": _num, "_enum": _enum, "_utc": _utc, "_text": _text,
                             "_UNREVIEWED": Verdict.UNREVIEWED.value, "__builtins__": {"bool": bool, "dict": dict}}


def _compile(shape: str) -> Callable[[ClaimRecord, RowContext], Any]:
    # One generated function from FIELDS: `return {"id": r.id, ...}` (dict) or `return (r.id, ...)` (tuple).
    if shape == "dict":
        body = "{" + ", ".join(f"{f.name!r}: ({f.expr})" for f in FIELDS) + "}"
    else:
        body = "(" + ", ".join(f"({f.expr})" for f in FIELDS) + ",)"
    src = f"def flatten(r, c):\n    return {body}\n"
    ns: dict[str, Any] = dict(_HELPERS)
    exec(compile(src, f"<claims.export.fields.flatten_{shape}>", "exec"), ns)  # noqa: S102  (source from FIELDS)
    return ns["flatten"]


_flatten = _compile("dict")
flatten_values: Callable[[ClaimRecord, RowContext], tuple] = _compile("tuple")
flatten_values.__doc__ = "Return one export row as a tuple in FIELDS order (the CSV and Parquet fast path)."


def flatten(rec: ClaimRecord, ctx: RowContext) -> dict[str, Any]:
    """Return one export row for ``rec``: every field of :data:`FIELDS`, in order, JSON-ready."""
    return _flatten(rec, ctx)


# Fallback for the codebook only while the extractor's lexicon cannot be
# loaded: the fixed convention of ../shared/eval/GUIDELINES.md.
VAGUE_CONVENTION: tuple[tuple[str, float | None, float | None], ...] = (
    ("a dozen", 12, 12), ("dozens", 24, 99), ("scores", 40, 99), ("hundreds", 200, 999),
    ("thousands", 2000, 9999), ("tens of thousands", 20000, 99999),
    ("hundreds of thousands", 200000, 999999), ("several", 3, 9), ("several thousand", 3000, 9000),
    ("a few / few", 2, 5),
)


def vague_table() -> list[tuple[str, Any, Any]]:
    """Return (phrase, low, high) rows of the vague-quantity convention from the extractor's lexicon."""
    try:
        from claims.extract.lexicon import load
        entries = load("vague.json")["entries"]
        rows = [(e["phrase"], e["low"], e["high"]) for e in entries]
    except Exception:  # the lexicon belongs to the extractor; the codebook must still render
        rows = []
    return rows or [tuple(r) for r in VAGUE_CONVENTION]


def _cell(v: Any) -> str:
    return "" if v is None else str(v).replace("|", "\\|")


def codebook_markdown() -> str:
    """Render the codebook (fields, types, verdicts, vague quantities, CSV rules) as Markdown."""
    from claims.export.claimreview import BEST_RATING, RATING, SETTING_FOR, WORST_RATING
    from claims.settings import BY_NAME
    out = [
        "# Export codebook",
        "",
        "<!-- Generated from claims/export/fields.py: `python -m claims export --codebook > docs/codebook.md`. "
        "tests/test_export_codebook.py fails when this file and the code disagree. -->",
        "",
        "Every export format uses the columns below, in this order and with these names. "
        "CSV and Parquet hold exactly these columns; JSON and JSONL claim records hold them too, "
        "plus `history` (the claim's review history), and carry a documents section.",
        "",
        "## Columns",
        "",
        "| # | name | type | section | meaning |",
        "|---|---|---|---|---|",
    ]
    for i, f in enumerate(FIELDS, 1):
        out.append(f"| {i} | `{f.name}` | {f.type} | {f.section} | {_cell(f.help)} |")
    out += ["", "Sections:", ""]
    out += [f"- **{k}**: {v}" for k, v in SECTIONS.items()]
    out += ["", "## Types", "", "| type | written as |", "|---|---|"]
    out += [f"| {k} | {_cell(v)} |" for k, v in TYPES.items()]
    out += ["", "## Verdicts", "", "| verdict | meaning |", "|---|---|"]
    out += [f"| `{v.value}` | {_cell(VERDICT_HELP[v])} |" for v in Verdict]
    out += [
        "", "## Vague quantities",
        "",
        "Vague words get fixed bounds, and `approximate` is true for all of them. "
        "Words such as *many* or *a number of* carry no figure and are not claims.",
        "",
        "| phrase | low | high |", "|---|---|---|",
    ]
    out += [f"| {w} | {_cell(lo)} | {_cell(hi)} |" for w, lo, hi in vague_table()]
    out += [
        "", "## JSON and JSONL extras", "",
        "JSON: one object `{\"format\": \"claims-export\", \"format_version\", \"exported_at\", "
        "\"filters\", \"fields\", \"claims\": [...], \"documents\": [...]}`. "
        "JSONL: a first line with `\"record\": \"meta\"`, then each document as a line with "
        "`\"record\": \"document\"` before the first claim that points at it, and each claim as a line "
        "with `\"record\": \"claim\"`. Documents travel with the claims so `python -m claims import` "
        "can rebuild them in another store (documents are matched on `content_hash`, claims on "
        "`fingerprint`).",
        "",
        "Document records:", "", "| name | type | meaning |", "|---|---|---|",
    ]
    out += [f"| `{n}` | {t} | {_cell(h)} |" for n, t, h in DOCUMENT_FIELDS]
    out += ["", "History entries (`history` in each claim record, oldest first):", "",
            "| name | type | meaning |", "|---|---|---|"]
    out += [f"| `{n}` | {t} | {_cell(h)} |" for n, t, h in HISTORY_FIELDS]
    out += [
        "", "## CSV", "",
        "- UTF-8 **with a byte-order mark** in files (`-o FILE`, the bundle, the dashboard download), so "
        "Excel opens non-ASCII text correctly; Google Sheets and LibreOffice ignore the mark. "
        "`--no-bom` leaves it out; CSV on stdout never has one (it would end up inside the first column "
        "of a pipe). In Python read with `encoding=\"utf-8-sig\"` to accept both.",
        "- Comma-separated, every non-numeric cell quoted, rows end with CRLF (RFC 4180).",
        "- Formula neutralisation (OWASP CSV injection): a text cell that starts with `=`, `+`, `-`, `@`, "
        "a tab or a carriage return (or their full-width forms, after any leading spaces) gets a single "
        "quote `'` in front, so `=HYPERLINK(...)` in a document shows as text. Columns of type integer "
        "or number hold numbers the tool wrote itself and are left as numbers, so `-5` stays numeric; "
        "a text column never is, so a subject `-5` is written `'-5`.",
        "- Empty cell = no value (null). `corrected` is compact JSON text.",
        "",
        "## ClaimReview", "",
        "One schema.org `ClaimReview` per claim whose verdict is "
        + ", ".join(f"{v} (ratingValue {n})" for v, n in RATING.items() if n is not None)
        + f" on a {WORST_RATING}-{BEST_RATING} scale, or "
        + ", ".join(f"{v}" for v, n in RATING.items() if n is None)
        + " (no ratingValue: it has no place on a truth scale); "
        "`alternateName` always holds the verdict. Unreviewed and not_a_claim rows are left out. `claimReviewed` "
        "states the figure claimed, as reviewed, and who said it (\"At least 23 people were killed, according to "
        "provincial officials\"), so two claims of one sentence read differently. A reviewed document without "
        "`url` draws a warning: Google's ClaimReview guidelines require the claim's appearance. The claim's "
        "author is its attribution (a Person when it reads as a personal name, else an Organization), or the "
        "publisher when unattributed. Checked against `claims/schemas/claimreview.schema.json`. "
        "`<`, `>` and `&` are written as `\\u003c`, `\\u003e`, `\\u0026` so the JSON-LD can be pasted "
        "into an HTML script element.",
        "",
        "| setting | option | default | meaning |", "|---|---|---|---|",
    ]
    out += [f"| `{s.name}` | `{s.option}` | {_cell(s.default) or '(none)'} | {_cell(s.help)} |"
            for s in (BY_NAME[name] for name in SETTING_FOR.values())]
    out += [
        "",
        "## Bundle", "",
        "A zip holding `data/claims.csv`, `data/claims.json`, `codebook.md` (this file) and `manifest.json`: "
        "the filters used, who exported and when, tool and extractor versions, counts of claims, documents "
        "and reviewed claims, the column names, and each file's sha256, size and row count. "
        "`python -m claims verify BUNDLE` recomputes them and names the first file that differs.",
        "",
        "## Import", "",
        "`python -m claims import FILE` reads JSON, JSONL or a bundle (verified first). Everything is checked "
        "before anything is written (errors name the line or record and field), then one transaction writes "
        "it all. Documents match on `content_hash`, claims on `fingerprint`. A claim missing from the target "
        "is added with its review and history; a claim the target never reviewed takes the imported review; "
        "when both reviewed it with the same verdict the target's review stays and missing history entries "
        "are added; when the verdicts differ nothing is written for that claim and the pair is listed as a "
        "conflict (`--reviewer-conflicts OUT` writes the list, `--strict` imports nothing when there is one).",
        "",
    ]
    return "\n".join(out)
