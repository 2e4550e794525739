"""Every write records its reviewer: publisher grade/note changes and document uploads (SQLite and PostgreSQL)."""
from __future__ import annotations

import datetime as dt
import getpass
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from claims.cli import main
from claims.errors import BadInputError
from claims.ingest import ingest_documents, ingest_paths, ingest_text
from claims.model import DocumentIn
from claims.store import Store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "streamlit_app.py")


# ---------------------------------------------------------------- store
def test_each_changed_field_is_appended_with_its_reviewer(store):
    store.set_publisher("Dawn", grade="C", note="national daily", reviewer="ann")
    changes = store.set_publisher("Dawn", grade="b", note="national daily", reviewer="  bo  ")
    assert [(c.field, c.old, c.new, c.reviewer) for c in changes] == [("grade", "C", "B", "bo")]
    store.set_publisher("Dawn", note="", reviewer="cy")
    history = store.publisher_history("Dawn")
    assert [(h.field, h.old, h.new, h.reviewer) for h in history] == [
        ("grade", None, "C", "ann"), ("note", None, "national daily", "ann"),
        ("grade", "C", "B", "bo"),
        ("note", "national daily", None, "cy"),
    ]
    assert all(h.at.tzinfo is not None for h in history)
    assert [h.at for h in history] == sorted(h.at for h in history)
    p = store.get_publisher("Dawn")
    assert (p.grade, p.note) == ("B", None)


def test_an_unchanged_value_writes_no_history(store):
    store.set_publisher("Wire", grade="A", reviewer="ann")
    assert store.set_publisher("Wire", grade="a", reviewer="bo") == []
    assert store.set_publisher("Wire", reviewer="bo") == []
    assert [(h.field, h.reviewer) for h in store.publisher_history("Wire")] == [("grade", "ann")]


def test_histories_are_kept_per_publisher_and_unknown_names_find_nothing(store):
    store.set_publisher("Dawn", grade="B", reviewer="ann")
    store.set_publisher("Wire", domain="wire.example", reviewer="bo")
    assert [h.publisher for h in store.publisher_history("Dawn")] == ["Dawn"]
    assert [(h.field, h.new) for h in store.publisher_history("Wire")] == [("domain", "wire.example")]
    assert store.publisher_history("Nobody") == []
    assert store.publisher_history("") == []


def test_a_blank_reviewer_is_refused_and_nothing_changes(store):
    store.set_publisher("Dawn", grade="B", reviewer="ann")
    with pytest.raises(BadInputError, match="reviewer"):
        store.set_publisher("Dawn", grade="E", reviewer="   ")
    with pytest.raises(BadInputError, match="reviewer"):
        store.set_publisher("Dawn", grade="E", reviewer="x" * 201)
    with pytest.raises(BadInputError, match="grade"):
        store.set_publisher("Dawn", grade="Z", reviewer="bo")
    assert store.get_publisher("Dawn").grade == "B"
    assert len(store.publisher_history("Dawn")) == 1


def test_hostile_values_are_stored_as_plain_text(store):
    note = "'); DROP TABLE publisher_history; -- <script>alert(1)</script>"
    store.set_publisher("Pub ' OR 1=1 --", note=note, reviewer="Robert'); --")
    (h,) = store.publisher_history("Pub ' OR 1=1 --")
    assert (h.new, h.reviewer) == (note, "Robert'); --")


def test_add_document_records_who_added_it(store):
    doc_id, created = store.add_document(DocumentIn(text="Police said 9 died.", publisher="Desk"), [],
                                         extractor_version="x", added_by=" Rana ")
    assert created and store.get_document(doc_id).added_by == "Rana"
    # the same text again changes nothing, including who added it
    again, created = store.add_document(DocumentIn(text="Police said 9 died."), [], extractor_version="x",
                                        added_by="Someone Else")
    assert (again, created) == (doc_id, False)
    assert store.get_document(doc_id).added_by == "Rana"
    other, _ = store.add_document(DocumentIn(text="Script text, 4 hurt."), [], extractor_version="x")
    assert store.get_document(other).added_by is None
    assert [d.added_by for d in store.list_documents()] == [None, "Rana"]


def test_add_document_refuses_a_blank_adder_and_stores_nothing(store):
    with pytest.raises(BadInputError, match="added_by"):
        store.add_document(DocumentIn(text="Police said 9 died."), [], extractor_version="x", added_by=" ")
    assert store.count_documents() == 0


# ---------------------------------------------------------------- ingest and CLI
def test_ingest_paths_text_and_uploads_record_the_adder(store, tmp_path):
    (tmp_path / "a.txt").write_text("Officials said 12 people were killed.", encoding="utf-8")
    report = ingest_paths(store, [tmp_path], added_by="ann")
    assert not report.failed
    pasted = ingest_text(store, "Police said 9 died.", added_by="bo")
    uploaded = ingest_documents(store, [DocumentIn(text="Three soldiers were injured.")], added_by="cy")
    who = {store.get_document(r.document_id).text[:6]: store.get_document(r.document_id).added_by
           for r in report.ingested + pasted.ingested + uploaded.ingested}
    assert who == {"Offici": "ann", "Police": "bo", "Three ": "cy"}


def test_cli_ingest_records_reviewer_or_login_name(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("Officials said 12 people were killed.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Police said 9 died.", encoding="utf-8")
    assert main(["ingest", str(tmp_path / "docs"), "--db", url, "--reviewer", "Rana"]) == 0
    assert main(["ingest", str(tmp_path / "b.txt"), "--db", url]) == 0
    assert main(["ingest", str(tmp_path / "b.txt"), "--db", url, "--reviewer", " "]) == 2
    assert "--reviewer" in capsys.readouterr().err
    with Store(url) as s:
        who = {d.filename: d.added_by for d in s.list_documents()}
    assert who == {"a.txt": "Rana", "b.txt": getpass.getuser()}


# ---------------------------------------------------------------- dashboard (Sources and Documents pages)
@pytest.fixture
def graded_url(sqlite_url) -> str:
    with Store(sqlite_url) as s:
        s.add_document(DocumentIn(text="Police said 9 died.", publisher="Gulf News", published=dt.date(2021, 11, 9)),
                       [], extractor_version="x", added_by="Ann")
        s.set_publisher("Gulf News", grade="C", reviewer="Ann")
    return sqlite_url


def sources(url: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("CLAIMS_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/sources.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_sources_table_is_read_only_until_a_reviewer_is_named(graded_url, monkeypatch):
    at = sources(graded_url, monkeypatch)
    assert any("Reviewer name" in c.value for c in at.caption)
    # st.data_editor(disabled=True) sets the whole editor's disabled flag; a column list sets it per column
    assert at.dataframe[0].proto.disabled
    at.sidebar.text_input(key="reviewer_name").input("Bo").run()
    editor = at.dataframe[0].proto
    columns = json.loads(editor.columns)
    assert not editor.disabled
    assert [name for name, cfg in columns.items() if not cfg.get("disabled") and name != "_index"] == ["Grade", "Note"]
    assert not any("Reviewer name" in c.value for c in at.caption)
    assert any("your name in the publisher's history" in c.value for c in at.caption)


def test_sources_shows_a_publishers_change_history(graded_url, monkeypatch):
    with Store(graded_url) as s:
        s.set_publisher("Gulf News", grade="B", note="<b>check</b> wire copy", reviewer="Bo")
    at = sources(graded_url, monkeypatch)
    at.selectbox(key="sources_history_pub").set_value("Gulf News").run()
    assert not at.exception
    frame = at.dataframe[-1].value
    assert frame["Reviewer"].tolist() == ["Bo", "Bo", "Ann"]
    assert frame["Change"].tolist() == ["Note: — → <b>check</b> wire copy", "Grade: C → B", "Grade: — → C"]


def test_save_publisher_refuses_without_a_reviewer(graded_url, monkeypatch):
    monkeypatch.setenv("CLAIMS_DB_URL", graded_url)
    from dashboard import data

    with pytest.raises(BadInputError, match="Reviewer name"):
        data.save_publisher("Gulf News", reviewer=None, grade="A")
    with pytest.raises(BadInputError, match="Reviewer name"):
        data.save_documents([DocumentIn(text="Four killed.")], reviewer="  ")
    data.save_publisher("Gulf News", reviewer="Cy", grade="A")
    with Store(graded_url) as s:
        assert s.get_publisher("Gulf News").grade == "A"
        assert [h.reviewer for h in s.publisher_history("Gulf News")] == ["Ann", "Cy"]
        assert s.count_documents() == 1
