"""Documents page with articles from the web: "Add an article" from a URL (fetch, preview, save, new version),
and every document's title, publisher, date and link to the original (http(s) only), against a local server."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from claims.model import Document
from claims.store import Store
from testkit.website import LocalSite, Page, fixture

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")


@pytest.fixture
def site():
    with LocalSite({"/news/orlin-flood": Page(fixture("varden_flood.html")),
                    "/report.pdf": Page(b"%PDF-1.7 ...", content_type="application/pdf")}) as s:
        yield s


def documents_page(db_url: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("CLAIMS_DB_URL", db_url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/documents.py").run()
    return at


def fetch_and_save(at: AppTest, url: str, gen: int) -> None:
    at.segmented_control(key=f"add_how_{gen}").set_value("From a URL").run()
    at.text_input(key=f"web_url_{gen}").input(url).run()
    next(b for b in at.button if b.label == "Preview claims").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_add_an_article_from_a_url_previews_then_saves_it_with_the_pages_metadata(site, sqlite_url, monkeypatch):
    at = documents_page(sqlite_url, monkeypatch)
    at.sidebar.text_input(key="reviewer_name").input("Rana").run()
    fetch_and_save(at, site.url("/news/orlin-flood"), 0)
    assert any("toll rises to 14" in (m.value or "") for m in at.markdown)
    assert any("The Varden Courier" in c.value and "Mira Tallis" in c.value for c in at.caption)
    with Store(sqlite_url) as s:
        assert s.count_documents() == 0, "a preview stores nothing"
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception
    with Store(sqlite_url) as s:
        (doc,) = s.list_documents()
    assert (doc.publisher, doc.published, doc.added_by) == ("The Varden Courier", dt.date(2031, 4, 3), "Rana")
    # the browse table shows title, publisher, date and the original's link
    at.switch_page("app_pages/documents.py").run()
    table = at.dataframe[0].value
    row = table[table["ID"] == doc.id].iloc[0]
    assert row["Title"] == doc.title and row["Publisher"] == "The Varden Courier"
    assert row["Original"] == "https://www.vardencourier.example/news/2031/04/orlin-flood"

    # the outlet updates the story: fetched again it is saved as the article's next version
    site.routes["/news/orlin-flood"] = Page(fixture("varden_flood_updated.html"))
    gen = at.session_state["upload_gen"]
    fetch_and_save(at, site.url("/news/orlin-flood"), gen)
    next(b for b in at.button if b.label == "Save").click().run()
    assert any(f"changed since document {doc.id}" in s.value for s in at.success)
    with Store(sqlite_url) as s:
        newest = s.list_documents()[0]
    assert newest.previous_id == doc.id


def test_a_url_that_cannot_be_used_is_named_and_nothing_is_stored(site, sqlite_url, monkeypatch):
    at = documents_page(sqlite_url, monkeypatch)
    url = site.url("/report.pdf")
    fetch_and_save(at, url, 0)
    assert any("a PDF document" in e.value and "report\\.pdf" in e.value for e in at.error)
    assert not any(b.label == "Save" for b in at.button)
    with Store(sqlite_url) as s:
        assert s.count_documents() == 0


@pytest.mark.parametrize("url, shown", [
    ("https://news.example/a?b=1", "https://news.example/a?b=1"),
    ("javascript:alert(document.cookie)", ""),
    ("data:text/html,<script>alert(1)</script>", ""),
    ("//evil.example/x", ""),
    ("https://news.example/a b", ""),
    (None, ""),   # an empty cell: None showed as a grey "None" in the Original column (#14 tour)
])
def test_only_http_links_reach_the_documents_table(url, shown):
    from dashboard.tables import documents_frame

    doc = Document(id=1, content_hash="x", text="t", title="<b>T</b>", url=url, publisher="P",
                   published=None, filename=None, ingested_at=dt.datetime(2031, 1, 1, tzinfo=dt.timezone.utc))
    assert documents_frame([doc]).iloc[0]["Original"] == shown
