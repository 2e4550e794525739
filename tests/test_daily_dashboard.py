"""The Documents page after ingest (issue 14): fictional badge, appearances, editing details, deleting with audit."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from claims.documents import deleted_documents, document_history
from claims.ingest import ingest_paths, ingest_text
from claims.store import Store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "streamlit_app.py")
WIRE = "Officials said 27 people were killed in the attack on Tuesday, according to the health department."


@pytest.fixture
def docs_url(sqlite_url) -> tuple[str, int, int]:
    """Return (URL, a fictional seed document's id, a pasted document seen under two publishers)."""
    with Store(sqlite_url) as s:
        assert ingest_paths(s, [ROOT / "seeds" / "fictional"]).ok
        fictional = next(d.id for d in s.list_documents(limit=None) if d.fictional)
        wire = ingest_text(s, WIRE, title="pasted.txt", publisher="Ostravia Wire").ingested[0].document_id
        ingest_text(s, WIRE, publisher="Northgate Daily", url="https://nd.example/x", published=dt.date(2031, 5, 16))
    return sqlite_url, fictional, wire


def open_doc(url: str, doc_id: int, monkeypatch) -> AppTest:
    monkeypatch.setenv("CLAIMS_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["doc"] = str(doc_id)
    at.run()
    at.switch_page("app_pages/documents.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_fictional_document_is_badged(docs_url, monkeypatch):
    url, fictional, _ = docs_url
    at = open_doc(url, fictional, monkeypatch)
    assert any("Fictional example" in w.value for w in at.warning)
    assert at.subheader[0].value.startswith("Fictional example")


def test_appearances_edit_and_delete_on_the_documents_page(docs_url, monkeypatch):
    url, _, wire = docs_url
    at = open_doc(url, wire, monkeypatch)
    assert any("Also appeared 1 more time" in e.label for e in at.expander)
    at.sidebar.text_input(key="reviewer_name").input("Rana").run()
    at.text_input(key=f"edit_title_{wire}").input("Toll rises")
    next(b for b in at.button if b.label == "Save details").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with Store(url) as s:
        assert s.get_document(wire).title == "Toll rises"
        assert [(c.field, c.new, c.reviewer) for c in document_history(s, wire)] == [("title", "Toll rises", "Rana")]
    delete = next(b for b in at.button if b.label == "Delete document")
    assert delete.disabled, "deleting needs the confirmation ticked"
    at.checkbox(key=f"del_sure_{wire}").check().run()
    next(b for b in at.button if b.label == "Delete document").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("kept in the audit table" in m.value for m in at.success)
    with Store(url) as s:
        assert s.get_document(wire) is None
        with s.read() as conn:
            assert conn.execute(sa.select(deleted_documents.c.deleted_by)).scalars().all() == ["Rana"]


def test_a_pasted_article_is_titled_by_its_first_line():
    from dashboard import data

    docs = data.parse_article("pasted.txt", "Kestrel Ford toll rises to 29\n\nOfficials said 29 died.".encode())
    assert docs[0].title == "Kestrel Ford toll rises to 29"
    assert data.parse_article("pasted.txt", b"Headline\n\nBody.", title="Given")[0].title == "Given"


def test_errors_say_what_to_do_in_the_users_words_not_cli_flags(sqlite_url):
    from claims.compare import persist
    from claims.errors import BadInputError

    with Store(sqlite_url) as s:
        with pytest.raises(BadInputError) as e:
            persist.set_rule(s, 1, rule="reviewer", reviewer="Rana", rationale="list")
    assert "--" not in str(e.value) and "best figure" in str(e.value)


def test_newest_first_sorts_the_whole_result_not_the_page(sqlite_url, monkeypatch):
    """Issue 14: sorting applies to the whole result; "newest first" is one click."""
    with Store(sqlite_url) as s:
        assert ingest_paths(s, [ROOT / "seeds"]).ok
        newest = s.query_claims(limit=1, order="newest")[0]
    monkeypatch.setenv("CLAIMS_DB_URL", sqlite_url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.session_state["page_size"] = 25
    at.selectbox(key="review_order").set_value("newest").run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    assert int(table["ID"].iloc[0]) == newest.id
    assert str(table["Published"].iloc[0])[:10] == newest.published.isoformat()


def test_each_filter_value_shows_its_count(sqlite_url, monkeypatch):
    """Issue 14: each filter value shows how many claims it matches (under the other filters)."""
    from claims.model import ClaimFilter

    with Store(sqlite_url) as s:
        assert ingest_paths(s, [ROOT / "seeds"]).ok
        dates = s.count_claims(ClaimFilter(kinds=["date"]))
        wire_dates = s.count_claims(ClaimFilter(kinds=["date"], publishers=["Ostravia Wire"]))
    monkeypatch.setenv("CLAIMS_DB_URL", sqlite_url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert f"Date ({dates:,})" in at.sidebar.multiselect(key="f_kinds").options
    at.sidebar.multiselect(key="f_publishers").set_value(["Ostravia Wire"]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert f"Date ({wire_dates:,})" in at.sidebar.multiselect(key="f_kinds").options
