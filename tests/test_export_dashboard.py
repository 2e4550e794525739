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


def _rows_in(data: bytes, fmt: str) -> int:
    """Return how many claims an export file holds, read the way its users read it."""
    import json
    import zipfile

    if fmt == "csv":
        return sum(1 for _ in csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    if fmt == "json":
        return len(json.loads(data)["claims"])
    if fmt == "jsonl":
        return sum(1 for line in data.decode().splitlines() if json.loads(line).get("record") == "claim")
    if fmt == "claimreview":
        doc = json.loads(data)
        return len(doc if isinstance(doc, list) else doc.get("@graph", doc.get("itemListElement", [doc])))
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.read_table(io.BytesIO(data)).num_rows
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # bundle
        return json.loads(z.read("manifest.json"))["counts"]["claims"]


def test_download_count_is_the_rows_it_holds_with_fictional_and_pending_claims(sqlite_url, monkeypatch):
    """Issue 14: the Export page counted fictional and pending claims the download left out."""
    from claims import team
    from claims.export import FORMATS
    from claims.ingest import ingest_paths

    s = Store(sqlite_url)
    assert ingest_paths(s, [ROOT / "seeds"]).ok          # one real article and the fictional set
    team.set_setting(s, "reviews_required", 2, actor=team.actor_for(s, "ed"))
    real = [r.id for r in s.query_claims(None, limit=None, order="id") if not r.fictional]
    s.review(real[0], verdict="verified", reviewer="Rana")             # waits for a second review
    for cid, verdict in ((real[1], "false"), (real[2], "not_a_claim")):  # agreed
        s.review(cid, verdict=verdict, reviewer="Rana")
        s.review(cid, verdict=verdict, reviewer="Omar")
    s.close()
    at = _page(sqlite_url, monkeypatch)
    seen = set()
    for fmt in FORMATS:
        at.radio(key="export_format").set_value(fmt).run()
        for fictional in (False, True):
            at.checkbox(key="export_fictional").set_value(fictional).run()
            for pending in ((False, True) if fmt in ("claimreview", "bundle") else (False,)):
                if fmt in ("claimreview", "bundle"):
                    at.checkbox(key="export_pending").set_value(pending).run()
                assert not at.exception, [e.value for e in at.exception]
                label = next(b.proto.label for b in at.get("download_button"))
                shown = int(label.split()[1].replace(",", ""))
                with Store(sqlite_url) as st_:
                    held = _rows_in(export_bytes(st_, None, fmt=fmt, include_pending=pending,
                                                 include_fictional=fictional), fmt)
                assert shown == held, (fmt, fictional, pending, label)
                seen.add(held)
    assert len(seen) >= 4, "the options must change what the download holds"


def test_claimreview_on_the_export_page_warns_of_documents_without_url(sqlite_url, monkeypatch):
    """Issue 14 item 2: the CLI warned that reviewed documents had no url (Google's ClaimReview guidelines
    require it); the Export page published the same file without a word."""
    from claims.ingest import ingest_paths

    s = Store(sqlite_url)
    try:
        assert ingest_paths(s, [ROOT / "seeds" / "000_e1e6ad43e39f222b.txt"]).ok   # its sidecar names no url
        rec = s.query_claims(limit=1)[0]
        s.review(rec.id, verdict="verified", reviewer="Rana")
        title = s.get_document(rec.document_id).title
    finally:
        s.close()
    at = _page(sqlite_url, monkeypatch)
    assert not [w for w in at.warning if "no url" in w.value], "no warning before ClaimReview is chosen"
    at.radio(key="export_format").set_value("claimreview").run()
    assert not at.exception, [e.value for e in at.exception]
    warnings = [w.value for w in at.warning if "no url" in w.value]
    from dashboard.look import md_escape

    assert warnings and md_escape(title) in warnings[0], [w.value for w in at.warning]   # markdown source


def test_claimreview_preview_is_the_first_objects_of_the_download(store):
    """#14 tour finding: with ClaimReview chosen, the preview showed CSV rows (unreviewed claims included)."""
    import json

    reviewed_store(store)
    from claims.export import preview_claimreview

    download = json.loads(export_bytes(store, None, fmt="claimreview").decode("utf-8"))
    assert len(download) >= 2
    assert json.loads(preview_claimreview(store, None, limit=2)) == download[:2]
    assert json.loads(preview_claimreview(store, None, limit=len(download) + 5)) == download


def test_export_page_previews_claimreview_objects_not_csv_rows(reviewed_url, monkeypatch):
    at = _page(reviewed_url, monkeypatch)
    at.radio(key="export_format").set_value("claimreview").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.dataframe, "no CSV-row table for ClaimReview"
    shown = [c.value for c in at.code if c.value.lstrip().startswith("[")]
    assert shown and '"@type": "ClaimReview"' in shown[0]


def test_export_page_says_when_nothing_is_reviewed_for_claimreview(sqlite_url, monkeypatch):
    from claims.ingest import ingest_paths

    s = Store(sqlite_url)
    try:
        assert ingest_paths(s, [ROOT / "seeds" / "000_e1e6ad43e39f222b.txt"]).ok
    finally:
        s.close()
    at = _page(sqlite_url, monkeypatch)
    at.radio(key="export_format").set_value("claimreview").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("final verdict" in i.value for i in at.info)
