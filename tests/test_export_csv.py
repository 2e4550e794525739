"""CSV export: formula neutralisation (OWASP), numeric columns stay numeric, BOM, exactly the filtered rows."""
from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.export import export_to
from claims.export.fields import FIELD_NAMES, FIELDS, NUMERIC_TYPES
from claims.export.writers import BOM, FORMULA_TRIGGERS, csv_cell, neutralise
from claims.model import ClaimFilter
from tests.test_export_fixtures import HOSTILE_TITLE, reviewed_store

TEXT_COLUMNS = [f.name for f in FIELDS if f.type not in NUMERIC_TYPES]


@pytest.mark.parametrize("cell", [
    "=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1",
    "  =1+1", "\uff1d1+1", "=cmd|' /C calc'!A0",
])
def test_formula_cells_get_a_leading_quote(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["killed", "12 people", "", "a=b", "2026-03-03", "'already quoted", "café"])
def test_ordinary_cells_are_unchanged(cell):
    assert neutralise(cell) == cell


@given(st.text())
def test_neutralised_text_never_starts_a_formula(s):
    out = neutralise(s)
    assert out in (s, "'" + s)
    assert not out[:1] in FORMULA_TRIGGERS
    assert not out.lstrip(" \n")[:1] in FORMULA_TRIGGERS or out.startswith("'")


def test_numbers_stay_numbers_only_in_numeric_columns():
    assert csv_cell(-5, numeric=True) == -5
    assert csv_cell(-5.5, numeric=True) == -5.5
    assert csv_cell("-5", numeric=True) == "'-5"  # a string in a numeric column is text, so neutralised
    assert csv_cell("-5", numeric=False) == "'-5"
    assert csv_cell(True, numeric=False) == "true"
    assert csv_cell({"low": -1}, numeric=False) == '{"low":-1}'
    assert csv_cell(None, numeric=True) == ""


def _export_csv(store, flt=None, **kw) -> str:
    buf = io.StringIO(newline="")
    export_to(store, flt, fmt="csv", out=buf, groups=None, **kw)
    return buf.getvalue()


def test_hostile_document_cannot_become_a_formula(store):
    reviewed_store(store)
    text = _export_csv(store, bom=False)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 9
    hostile = [r for r in rows if r["filename"] == "hostile.txt"]
    assert {r["title"] for r in hostile} == {"'" + HOSTILE_TITLE}
    assert {r["publisher"] for r in hostile} == {"'+Evil Press"}
    for r in rows:
        for name in TEXT_COLUMNS:
            assert r[name][:1] not in FORMULA_TRIGGERS, (name, r[name])
    by_quote = {r["quote"]: r for r in hostile}
    assert by_quote["'-5 percent"]["subject"] == "'-5"
    assert by_quote["At least 12 people"]["subject"] == "'=cmd|' /C calc'!A0"
    assert by_quote["About 300 fighters"]["attributed_to"] == "'\tTab Corp"


def test_numeric_columns_are_unquoted_numbers(store):
    reviewed_store(store)
    text = _export_csv(store, bom=False)
    reader = csv.reader(io.StringIO(text, newline=""), quoting=csv.QUOTE_NONNUMERIC)
    header = next(reader)
    assert header == list(FIELD_NAMES)
    rows = [dict(zip(header, r)) for r in reader]
    figure = next(r for r in rows if r["kind"] == "figure")
    # QUOTE_NONNUMERIC reads unquoted cells as floats: -5 arrived as a number, not text
    assert figure["low"] == -5.0 and figure["high"] == -5.0
    assert isinstance(figure["start"], float) and isinstance(figure["id"], float)
    assert figure["subject"] == "'-5"


def test_bom_in_files_and_not_on_request(store, tmp_path):
    reviewed_store(store)
    export_to(store, None, fmt="csv", path=tmp_path / "a.csv", groups=None)
    raw = (tmp_path / "a.csv").read_bytes()
    assert raw.startswith(BOM.encode("utf-8"))
    export_to(store, None, fmt="csv", path=tmp_path / "b.csv", bom=False, groups=None)
    assert (tmp_path / "b.csv").read_bytes() == raw[len(BOM.encode("utf-8")):]
    import pandas as pd

    df = pd.read_csv(tmp_path / "a.csv", encoding="utf-8-sig")
    assert list(df.columns) == list(FIELD_NAMES)
    assert len(df) == 9
    assert "Story 0: café naïve – “quotes”" in set(df["title"])


def test_csv_holds_exactly_the_filtered_rows(store):
    reviewed_store(store)
    flt = ClaimFilter(verdicts=["verified"], publishers=["+Evil Press", "Ostravia Wire"])
    rows = list(csv.DictReader(io.StringIO(_export_csv(store, flt, bom=False), newline="")))
    want = [r.id for r in store.iter_claims(flt)]
    assert [int(r["id"]) for r in rows] == want
    assert len(want) == store.count_claims(flt) > 0
    assert all(r["verdict"] == "verified" for r in rows)


_VALUE = st.one_of(st.none(), st.text(max_size=8), st.integers(-10, 10), st.floats(allow_nan=False),
                   st.booleans(), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@given(st.lists(_VALUE, min_size=len(FIELDS), max_size=len(FIELDS)))
def test_compiled_cells_match_the_per_cell_reference(values):
    from claims.export.writers import csv_cells

    want = [csv_cell(v, numeric=f.type in NUMERIC_TYPES) for v, f in zip(values, FIELDS)]
    assert csv_cells(tuple(values)) == want
