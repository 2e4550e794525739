"""Writers for the flat formats: CSV (with formula neutralisation), JSON, JSONL and Parquet.

Every writer takes rows as :func:`claims.export.fields.flatten` makes them and
streams: nothing holds the whole export in memory. JSON and JSONL also carry
each claim's review history and a documents section, read lazily from an
:class:`ExportSource`.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from typing import Any, Iterable, Iterator, Protocol, TextIO

from claims.export.fields import FIELD_NAMES, FIELDS, NUMERIC_TYPES

FORMAT_NAME = "claims-export"
FORMAT_VERSION = 1

# OWASP "CSV Injection": cells starting with these are formulas in Excel,
# LibreOffice or Google Sheets. The full-width forms are included because
# some spreadsheet locales fold them to their ASCII equivalents.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
NEUTRALISER = "'"

BOM = "\ufeff"


_TRIGGERS = frozenset(FORMULA_TRIGGERS)


def neutralise(text: str) -> str:
    """Return ``text`` with a leading single quote when a spreadsheet would read it as a formula."""
    if not text:
        return text
    first = text[0]
    if first in _TRIGGERS:
        return NEUTRALISER + text
    if first.isspace() or first in _INVISIBLE:
        # Leading blanks (and zero-width or direction marks, which a spreadsheet may drop) do not stop
        # every spreadsheet from evaluating "  =1+1", so look past them (but never strip: the cell keeps
        # its exact text).
        head = text.lstrip(_SKIPPABLE)
        if head and head[0] in _TRIGGERS:
            return NEUTRALISER + text
    return text


# zero-width and bidirectional marks: invisible, and dropped by some spreadsheets before parsing
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00ad"
_SKIPPABLE = " \t\r\n\x0b\x0c\u00a0\u2028\u2029\u3000" + _INVISIBLE


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def csv_cell(value: Any, *, numeric: bool) -> str | int | float:
    """Return the CSV cell for one value: numbers stay numbers in numeric columns, all text is neutralised."""
    if value is None:
        return ""
    if numeric and _is_number(value):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        if not value:
            return "{}" if isinstance(value, dict) else "[]"
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    elif isinstance(value, (dt.date, dt.datetime)):
        text = value.isoformat()
    else:
        text = str(value)
    return neutralise(text)


class _QuoteText(csv.Dialect):
    # QUOTE_NONNUMERIC quotes every str cell and leaves int/float bare, which
    # tells spreadsheets which cells are numbers and keeps "'=..." as text.
    delimiter = ","
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_NONNUMERIC


def _numeric_cell(v: Any) -> Any:
    t = type(v)
    if t is int or t is float:
        return v
    return csv_cell(v, numeric=True)


def _text_cell(v: Any) -> Any:
    if v is None:
        return ""
    if type(v) is str:
        return neutralise(v)
    return csv_cell(v, numeric=False)


_NUMBERS = (int, float)
_FIRST = frozenset(FORMULA_TRIGGERS) | {" ", "\n"}


def _compile_cells():
    # A generated `cells(v)` turning a row tuple (FIELDS order) into CSV cells with one expression per
    # column, so a million rows cost no per-cell function calls for the common cases.
    parts = []
    for i, f in enumerate(FIELDS):
        x = f"v[{i}]"
        if f.type in NUMERIC_TYPES:
            parts.append(f"({x} if type({x}) in _NUMBERS else _numeric_cell({x}))")
        else:
            parts.append(f"(('' if {x} is None else _text_cell({x})) if type({x}) is not str "
                         f"else ({x} if not {x} or {x}[0] not in _FIRST else neutralise({x})))")
    src = "def cells(v):\n    return [" + ", ".join(parts) + "]\n"
    ns = {"_NUMBERS": _NUMBERS, "_FIRST": _FIRST, "_numeric_cell": _numeric_cell, "_text_cell": _text_cell,
          "neutralise": neutralise}
    exec(compile(src, "<claims.export.writers.cells>", "exec"), ns)  # noqa: S102  (source from FIELDS)
    return ns["cells"]


csv_cells = _compile_cells()


class CsvRowWriter:
    """Write the CSV header on creation, then one neutralised row per :meth:`write` call."""

    def __init__(self, out: TextIO, *, bom: bool = True) -> None:
        self._writerow = csv.writer(out, dialect=_QuoteText).writerow
        if bom:
            out.write(BOM)
        self._writerow(FIELD_NAMES)
        self.rows = 0

    def write(self, row: dict[str, Any]) -> None:
        """Write one row given as a dict keyed by field name."""
        self._writerow(csv_cells([row.get(name) for name in FIELD_NAMES]))
        self.rows += 1

    def write_values(self, values: tuple) -> None:
        """Write one row given as a tuple in FIELDS order (see fields.flatten_values)."""
        self._writerow(csv_cells(values))
        self.rows += 1


class ExportSource(Protocol):
    """Where JSON-type writers read rows, documents and history from."""

    def rows(self) -> Iterator[dict[str, Any]]: ...

    def document(self, document_hash: str) -> dict[str, Any] | None: ...

    def history(self, row: dict[str, Any]) -> list[dict[str, Any]]: ...


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=False, default=_json_default)


def _json_default(o: Any) -> Any:
    if isinstance(o, (dt.date, dt.datetime)):
        return o.isoformat()
    if hasattr(o, "value"):
        return o.value
    raise TypeError(f"cannot write {type(o).__name__} as JSON")


def meta_record(*, filters: dict[str, Any], exported_at: str, exported_by: str | None = None,
                extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the header every JSON-type export starts with."""
    d = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION, "exported_at": exported_at,
         "exported_by": exported_by, "filters": filters, "fields": list(FIELD_NAMES)}
    d.update(extra or {})
    return d


def write_json(source: ExportSource, out: TextIO, *, meta: dict[str, Any]) -> tuple[int, int]:
    """Write one JSON object (meta, claims, then the documents they point at); return (claims, documents)."""
    out.write("{\n")
    for k, v in meta.items():
        out.write(f"  {_dumps(k)}: {_dumps(v)},\n")
    out.write('  "claims": [')
    seen: list[str] = []
    seen_set: set[str] = set()
    n = 0
    for row in source.rows():
        rec = dict(row)
        rec["history"] = source.history(row)
        out.write(("\n    " if n == 0 else ",\n    ") + _dumps(rec))
        n += 1
        h = row["document_hash"]
        if h not in seen_set:
            seen_set.add(h)
            seen.append(h)
    out.write("\n  ],\n" if n else "],\n")
    out.write('  "documents": [')
    d = 0
    for h in seen:
        doc = source.document(h)
        if doc is None:
            continue
        out.write(("\n    " if d == 0 else ",\n    ") + _dumps(doc))
        d += 1
    out.write("\n  ]\n}\n" if d else "]\n}\n")
    return n, d


def write_jsonl(source: ExportSource, out: TextIO, *, meta: dict[str, Any]) -> tuple[int, int]:
    """Write a meta line, then each document before its first claim, then claims; return (claims, documents)."""
    out.write(_dumps({"record": "meta", **meta}) + "\n")
    seen: set[str] = set()
    n = d = 0
    for row in source.rows():
        h = row["document_hash"]
        if h not in seen:
            seen.add(h)
            doc = source.document(h)
            if doc is not None:
                out.write(_dumps({"record": "document", **doc}) + "\n")
                d += 1
        rec = {"record": "claim", **row, "history": source.history(row)}
        out.write(_dumps(rec) + "\n")
        n += 1
    return n, d


def parquet_schema():
    """Return the pyarrow schema of the flat table (one column per field, in order)."""
    import pyarrow as pa

    types = {
        "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(), "string": pa.string(),
        "date": pa.date32(), "datetime": pa.timestamp("us", tz="UTC"), "json": pa.string(),
    }
    return pa.schema([pa.field(f.name, types[f.type], nullable=True) for f in FIELDS])


def _parquet_value(ftype: str, v: Any) -> Any:
    if v is None:
        return None
    if ftype == "date":
        return dt.date.fromisoformat(v) if isinstance(v, str) else v
    if ftype == "datetime":
        return dt.datetime.fromisoformat(v) if isinstance(v, str) else v
    if ftype == "json":
        return json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if ftype == "number":
        return float(v)
    if ftype == "string" and not isinstance(v, str):
        return str(v)
    return v


def write_parquet(rows: Iterable[dict[str, Any] | tuple], path, *, row_group: int = 50_000) -> int:
    """Write rows (dicts, or tuples in FIELDS order) to Parquet in row groups of ``row_group``; return how many."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    types = [f.type for f in FIELDS]
    cols: list[list] = [[] for _ in FIELDS]
    n = 0

    def flush(writer) -> None:
        if not cols[0]:
            return
        writer.write_table(pa.table([pa.array(c, type=schema.field(i).type) for i, c in enumerate(cols)],
                                    schema=schema))
        for c in cols:
            c.clear()

    with pq.ParquetWriter(path if hasattr(path, "write") else str(path), schema, compression="zstd") as writer:
        for row in rows:
            values = row if isinstance(row, tuple) else tuple(row.get(name) for name in FIELD_NAMES)
            for i, v in enumerate(values):
                cols[i].append(_parquet_value(types[i], v))
            n += 1
            if len(cols[0]) >= row_group:
                flush(writer)
        flush(writer)
    return n
