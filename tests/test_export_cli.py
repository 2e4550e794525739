"""The export, import and verify commands: same filters as `list`, exactly the library's rows, clear errors."""
from __future__ import annotations

import csv
import io
import json

import pytest

from claims.cli import main
from claims.export import export_rows
from claims.export.fields import FIELD_NAMES
from claims.model import ClaimFilter, Verdict
from claims.store import Store
from tests.test_export_fixtures import reviewed_store

FILTERS = [
    (["--verdict", "verified", "--publisher", "+Evil Press"], ClaimFilter(verdicts=["verified"], publishers=["+Evil Press"])),
    (["--kind", "casualties", "--min", "10"], ClaimFilter(kinds=["casualties"], figure_min=10)),
    (["--search", "soldiers", "--published-from", "2026-03-05"],
     ClaimFilter(text="soldiers", published_from=__import__("datetime").date(2026, 3, 5))),
    ([], ClaimFilter()),
]


@pytest.mark.parametrize("argv,flt", FILTERS, ids=["verdict+publisher", "kind+min", "search+published", "all"])
def test_cli_csv_is_exactly_the_library_rows(store, capsys, argv, flt):
    reviewed_store(store)
    assert main(["export", "--db", store.url, "--format", "csv", *argv]) == 0
    out = capsys.readouterr().out
    assert not out.startswith("\ufeff")  # no BOM on stdout
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    want = list(export_rows(store, flt))
    assert [int(r["id"]) for r in rows] == [w["id"] for w in want]
    assert [r["fingerprint"] for r in rows] == [w["fingerprint"] for w in want]


def test_parquet_needs_output_and_round_trips_types(store, tmp_path, capsys):
    reviewed_store(store)
    assert main(["export", "--db", store.url, "--format", "parquet"]) == 2
    assert "-o FILE" in capsys.readouterr().err
    out = tmp_path / "set.parquet"
    assert main(["export", "--db", store.url, "--format", "parquet", "-o", str(out)]) == 0
    import pyarrow.parquet as pq

    table = pq.read_table(out)
    assert table.column_names == list(FIELD_NAMES)
    want = list(export_rows(store, None))
    got = table.to_pylist()
    assert [g["id"] for g in got] == [w["id"] for w in want]
    assert [g["low"] for g in got] == [None if w["low"] is None else float(w["low"]) for w in want]
    assert [g["published"].isoformat() if g["published"] else None for g in got] == [w["published"] for w in want]
    assert [json.loads(g["corrected"]) for g in got] == [w["corrected"] for w in want]
    assert str(table.schema.field("reviewed_at").type) == "timestamp[us, tz=UTC]"


def test_import_command_lists_conflicts_and_writes_them(store, tmp_path, capsys):
    ids = reviewed_store(store)
    exp = tmp_path / "a.json"
    assert main(["export", "--db", store.url, "--format", "json", "-o", str(exp)]) == 0
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        assert main(["import", str(exp), "--db", other.url]) == 0
        rec = store.get_claim(ids["s0.txt:one month"])
        store.review(rec.id, verdict=Verdict.FALSE, reviewer="ana")
        mine = next(r for r in other.iter_claims(None) if r.fingerprint == rec.fingerprint)
        other.review(mine.id, verdict=Verdict.VERIFIED, reviewer="cy")
        assert main(["export", "--db", store.url, "--format", "json", "-o", str(exp)]) == 0
        capsys.readouterr()
        conflicts = tmp_path / "conflicts.csv"
        assert main(["import", str(exp), "--db", other.url, "--reviewer-conflicts", str(conflicts)]) == 0
        out = capsys.readouterr().out
        assert "1 verdict conflict" in out and "verified" in out and "false" in out
        rows = list(csv.DictReader(io.StringIO(conflicts.read_text(encoding="utf-8-sig"), newline="")))
        assert [(r["fingerprint"], r["ours_verdict"], r["theirs_verdict"]) for r in rows] == [
            (rec.fingerprint, "verified", "false")]
        assert other.get_claim(mine.id).verdict is Verdict.VERIFIED
        assert main(["import", str(exp), "--db", other.url, "--strict"]) == 1
    finally:
        other.close()


def test_import_command_rejects_malformed_input(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"record": "meta"}\n{"record": "claim", "kind": \n', encoding="utf-8")
    db = f"sqlite:///{tmp_path / 't.db'}"
    assert main(["import", str(bad), "--db", db]) == 2
    assert "bad.jsonl line 2" in capsys.readouterr().err
    s = Store(db)
    try:
        assert s.count_claims(None) == 0
    finally:
        s.close()


def test_codebook_option_prints_the_codebook(capsys):
    assert main(["export", "--codebook"]) == 0
    assert "| 1 | `id` |" in capsys.readouterr().out
