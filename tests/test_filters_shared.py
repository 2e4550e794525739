"""One sidebar filter panel (dashboard/filters.py): a filter set on one page is set on every claim page."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from claims.model import ClaimFilter, DocumentIn
from claims.store import Store
from tests.test_dashboard import SEED, seed_claims

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "streamlit_app.py")
REVIEW, EXPORT, DOCUMENTS = "app_pages/review.py", "app_pages/export.py", "app_pages/documents.py"


@pytest.fixture
def url(sqlite_url) -> str:
    text = SEED.read_text(encoding="utf-8")
    with Store(sqlite_url) as s:
        doc_id, _ = s.add_document(DocumentIn(text=text, title="Ceasefire", publisher="Gulf News",
                                              published=dt.date(2021, 11, 9)), seed_claims(text),
                                   extractor_version="test")
        s.add_document(DocumentIn(text="Officials said 12 people were killed.", publisher="Dawn"), [],
                       extractor_version="test")
        children = next(r.id for r in s.claims_for_document(doc_id) if r.claim.quote == "132 children")
        s.review(children, verdict="verified", reviewer="Rana")
    return sqlite_url


def start(url: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("CLAIMS_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    ok(at)
    return at


def ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def matching(url: str, flt: ClaimFilter) -> list[int]:
    with Store(url) as s:
        return [r.id for r in s.iter_claims(flt)]


def export_ids(at: AppTest) -> list[int]:
    return [int(i) for i in at.dataframe[0].value["id"]]


def test_filters_set_on_review_apply_on_export_after_a_page_without_filters(url, monkeypatch):
    at = start(url, monkeypatch)
    at.sidebar.multiselect(key="f_kinds").set_value(["casualties", "force_size"]).run()
    at.sidebar.number_input(key="f_fig_min").set_value(100).run()
    at.sidebar.multiselect(key="f_publishers").set_value(["Gulf News"]).run()
    ok(at)
    want = matching(url, ClaimFilter(kinds=["casualties", "force_size"], figure_min=100, publishers=["Gulf News"]))
    assert len(want) == 2 and "2 claims match" in at.caption[0].value
    # Documents draws no filter widgets: Streamlit drops their widget state on this run
    at.switch_page(DOCUMENTS).run()
    ok(at)
    assert not at.sidebar.multiselect
    at.switch_page(EXPORT).run()
    ok(at)
    assert at.sidebar.multiselect(key="f_kinds").value == ["casualties", "force_size"]
    assert at.sidebar.number_input(key="f_fig_min").value == 100
    assert at.sidebar.multiselect(key="f_publishers").value == ["Gulf News"]
    assert export_ids(at) == want
    assert "**2** claims match" in at.caption[0].value


def test_a_filter_set_on_export_is_still_set_back_on_review(url, monkeypatch):
    at = start(url, monkeypatch)
    at.switch_page(EXPORT).run()
    at.sidebar.multiselect(key="f_verdicts").set_value(["verified"]).run()
    at.sidebar.text_input(key="f_text").input("children").run()
    ok(at)
    assert export_ids(at) == matching(url, ClaimFilter(verdicts=["verified"], text="children"))
    at.switch_page(REVIEW).run()
    ok(at)
    assert at.sidebar.text_input(key="f_text").value == "children"
    assert at.sidebar.multiselect(key="f_verdicts").value == ["verified"]
    assert at.dataframe[0].value["Quote"].tolist() == ["132 children"]


def test_clear_filters_on_one_page_clears_them_on_the_others(url, monkeypatch):
    at = start(url, monkeypatch)
    at.sidebar.multiselect(key="f_kinds").set_value(["date"]).run()
    assert "1 claim matches" in at.caption[0].value
    at.switch_page(EXPORT).run()
    assert len(export_ids(at)) == 1
    at.sidebar.button(key="f_clear").click().run()
    ok(at)
    assert at.sidebar.multiselect(key="f_kinds").value == []
    assert len(export_ids(at)) == 3
    at.switch_page(REVIEW).run()
    ok(at)
    assert at.sidebar.multiselect(key="f_kinds").value == []
    assert "3 claims match" in at.caption[0].value


def test_changing_a_filter_on_review_goes_back_to_the_first_page(url, monkeypatch):
    at = start(url, monkeypatch)
    at.session_state["page_no"] = 3
    at.sidebar.multiselect(key="f_kinds").set_value(["date"]).run()
    assert at.session_state["page_no"] == 1
    at.session_state["page_no"] = 2
    at.sidebar.button(key="f_clear").click().run()
    assert at.session_state["page_no"] == 1


def test_a_remembered_publisher_that_is_gone_is_dropped_not_an_error(url, monkeypatch):
    at = start(url, monkeypatch)
    at.session_state["filter:publishers"] = ["Gone Gazette", "Dawn"]
    at.switch_page(EXPORT).run()
    ok(at)
    assert at.sidebar.multiselect(key="f_publishers").value == ["Dawn"]
    # Dawn's only document has no claims: the filter still applies (nothing to export), it is not dropped
    assert any("No claims match" in i.value for i in at.info)


CHARTS, COMPARE = "app_pages/charts.py", "app_pages/compare.py"


def test_filters_set_on_review_apply_on_charts_and_compare_and_back_on_export(url, monkeypatch):
    at = start(url, monkeypatch)
    at.sidebar.multiselect(key="f_kinds").set_value(["casualties", "force_size"]).run()
    at.switch_page(CHARTS).run()
    ok(at)
    assert at.sidebar.multiselect(key="f_kinds").value == ["casualties", "force_size"]
    by_kind = at.dataframe[0].value
    assert by_kind["claims"].sum() == len(matching(url, ClaimFilter(kinds=["casualties", "force_size"])))
    at.switch_page(COMPARE).run()
    ok(at)
    assert at.sidebar.multiselect(key="f_kinds").value == ["casualties", "force_size"]
    at.sidebar.multiselect(key="f_verdicts").set_value(["verified"]).run()   # set on Compare ...
    ok(at)
    at.switch_page(EXPORT).run()                                             # ... applies on Export
    ok(at)
    assert at.sidebar.multiselect(key="f_verdicts").value == ["verified"]
    assert export_ids(at) == matching(url, ClaimFilter(kinds=["casualties", "force_size"], verdicts=["verified"]))
    at.sidebar.button(key="f_clear").click().run()
    at.switch_page(CHARTS).run()
    ok(at)
    assert at.sidebar.multiselect(key="f_kinds").value == [] and at.sidebar.multiselect(key="f_verdicts").value == []
    assert at.dataframe[0].value["claims"].sum() == 3
