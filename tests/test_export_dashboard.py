"""The Export page: renders, previews exactly the filtered set, and its data function matches the CLI."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from claims.cli import main
from claims.export import export_bytes, export_rows, preview_rows
from claims.store import Store
from tests.test_export_fixtures import reviewed_store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "streamlit_app.py")
PAGE = "app_pages/export.py"


@pytest.fixture
def reviewed_url(sqlite_url):
    s = Store(sqlite_url)
    reviewed_store(s)
    s.close()
    return sqlite_url


def _page(url: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("CLAIMS_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_export_page_renders_on_an_empty_store(sqlite_url, monkeypatch):
    at = _page(sqlite_url, monkeypatch)
    assert at.title[0].value == "Export"
    assert any("nothing to export" in i.value for i in at.info)


def test_export_page_previews_exactly_the_filtered_set(reviewed_url, monkeypatch):
    at = _page(reviewed_url, monkeypatch)
    assert "**9** claims match" in at.caption[0].value
    at.multiselect(key="f_verdicts").set_value(["verified", "false"]).run()
    at.multiselect(key="f_publishers").set_value(["+Evil Press", "Ostravia Wire"]).run()
    assert not at.exception
    s = Store(reviewed_url)
    try:
        from dashboard import data

        flt = data.review_filter(verdicts=["verified", "false"], publishers=["+Evil Press", "Ostravia Wire"])
        want = [r["id"] for r in export_rows(s, flt)]
    finally:
        s.close()
    assert want and len(want) < 9
    assert f"**{len(want)}** claim" in at.caption[0].value
    preview = at.dataframe[0].value
    assert list(preview["id"]) == want
    assert "python -m claims export --format csv" in at.code[0].value
    assert "--verdict false --verdict verified" in at.code[0].value


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_page_data_function_and_cli_give_the_same_rows(store, capsys, fmt):
    reviewed_store(store)
    from dashboard import data

    # the filter the Export page builds from its sidebar values, and the same filter as CLI options
    flt = data.review_filter(kinds=["casualties", "force_size"], verdicts=["verified", "not_a_claim"],
                             fig_min=10.0)
    argv = ["--kind", "casualties", "--kind", "force_size", "--verdict", "not_a_claim", "--verdict", "verified",
            "--min", "10"]
    page = export_bytes(store, flt, fmt=fmt, bom=False).decode("utf-8")
    assert main(["export", "--db", store.url, "--format", fmt, *argv]) == 0
    cli = capsys.readouterr().out
    if fmt == "csv":
        assert page == cli
        ids = [int(r["id"]) for r in csv.DictReader(io.StringIO(page, newline=""))]
    else:
        # JSON Lines start with a meta line stamped with the export time; everything after it is identical
        assert page.split("\n", 1)[1] == cli.split("\n", 1)[1]
        ids = [int(x.split('"id": ', 1)[1].split(",", 1)[0]) for x in page.splitlines() if '"record": "claim"' in x]
    assert ids == [r.id for r in store.iter_claims(flt)] and ids


def test_preview_rows_are_the_first_export_rows(store):
    reviewed_store(store)
    rows = preview_rows(store, None, limit=4)
    assert [r["id"] for r in rows] == [r["id"] for r in export_rows(store, None)][:4]


@pytest.mark.parametrize("fmt", ["bundle", "parquet"])
def test_download_bytes_of_binary_formats_are_complete(store, tmp_path, fmt):
    reviewed_store(store)
    blob = export_bytes(store, None, fmt=fmt)
    path = tmp_path / f"x.{fmt}"
    path.write_bytes(blob)
    if fmt == "bundle":
        from claims.export import verify_bundle

        assert verify_bundle(path)["counts"]["claims"] == 9
    else:
        import pyarrow.parquet as pq

        assert pq.read_table(path).num_rows == 9


def test_filters_set_on_review_carry_over_to_export(reviewed_url, monkeypatch):
    monkeypatch.setenv("CLAIMS_DB_URL", reviewed_url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.multiselect(key="f_verdicts").set_value(["verified"]).run()
    at.multiselect(key="f_kinds").set_value(["casualties", "force_size"]).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    s = Store(reviewed_url)
    try:
        from claims.model import ClaimFilter

        want = [r.id for r in s.iter_claims(ClaimFilter(verdicts=["verified"], kinds=["casualties", "force_size"]))]
    finally:
        s.close()
    assert want
    assert at.multiselect(key="f_verdicts").value == ["verified"]
    assert list(at.dataframe[0].value["id"]) == want
    assert not at.warning, [w.value for w in at.warning]
