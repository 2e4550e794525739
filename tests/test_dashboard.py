"""AppTest checks of the dashboard: every page renders, and the Review page saves, conflicts and filters.

Each test points the app at its own SQLite file through CLAIMS_DB_URL; the
store and cached reads are keyed by that URL, so tests do not see each other.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from claims.model import Claim, DocumentIn, Kind, Outcome
from claims.store import Store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "streamlit_app.py")
SEED = ROOT / "seeds" / "000_e1e6ad43e39f222b.txt"


def app(db_url: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("CLAIMS_DB_URL", db_url)
    return AppTest.from_file(APP, default_timeout=60)


def seed_claims(text: str) -> list[Claim]:
    """Return hand-made claims on the seed article, so these tests do not depend on extractor progress."""
    def at(quote: str, kind: Kind, **kw) -> Claim:
        start = text.index(quote)
        sentence_start = text.rfind(". ", 0, start) + 2
        return Claim(kind=kind, start=start, end=start + len(quote), quote=quote,
                     sentence=text[sentence_start:text.index(".", start) + 1], rule="test", **kw)
    return [
        at("132 children", Kind.CASUALTIES, low=132, high=132, outcome=Outcome.KILLED, subject="children"),
        at("around 6,000 TTP fighters", Kind.FORCE_SIZE, low=6000, high=6000, approximate=True,
           subject="TTP fighters", attributed_to="UN report"),
        at("December 9", Kind.DATE, date="2021-12-09"),
    ]


@pytest.fixture
def seeded_url(sqlite_url) -> str:
    text = SEED.read_text(encoding="utf-8")
    s = Store(sqlite_url)
    s.add_document(DocumentIn(text=text, title="Pakistan government agrees one-month ceasefire with TTP",
                              publisher="Gulf News", published=dt.date(2021, 11, 9), filename=SEED.name),
                   seed_claims(text), extractor_version="test")
    s.close()
    return sqlite_url


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_empty_review_page_says_what_to_do(sqlite_url, monkeypatch):
    at = app(sqlite_url, monkeypatch).run()
    assert any("No claims yet" in i.value for i in at.info)


def test_review_counts_filter_and_save_with_reviewer(seeded_url, monkeypatch):
    at = app(seeded_url, monkeypatch).run()
    assert "3 claims match" in at.caption[0].value
    at.sidebar.multiselect(key="f_kinds").set_value(["casualties"]).run()
    assert "1 claim matches" in at.caption[0].value
    assert at.dataframe[0].value["Quote"].tolist() == ["132 children"]

    next_button = next(b for b in at.button if b.label == "Next unreviewed")
    next_button.click().run()
    cid = at.session_state["current_claim"]
    verified = next(b for b in at.button if b.label == "Verified")
    assert verified.disabled, "no verdict can be saved before the reviewer is named"

    at.sidebar.text_input(key="reviewer_name").input("Rana").run()
    at.text_area(key=f"note__{cid}").input("Matches the school's memorial list.")
    next(b for b in at.button if b.label == "Verified").click().run()
    no_exceptions(at)

    rec = Store(seeded_url).get_claim(cid)
    assert (rec.verdict.value, rec.reviewer, rec.note, rec.version) == (
        "verified", "Rana", "Matches the school's memorial list.", 1)


def test_stale_save_shows_both_versions_and_saves_nothing(seeded_url, monkeypatch):
    at = app(seeded_url, monkeypatch).run()
    at.sidebar.text_input(key="reviewer_name").input("Rana").run()
    next(b for b in at.button if b.label == "Next unreviewed").click().run()
    cid = at.session_state["current_claim"]

    # Someone else reviews the claim after this session opened it.
    Store(seeded_url).review(cid, verdict="false", reviewer="Omar", note="Wrong school")

    next(b for b in at.button if b.label == "Disputed").click().run()
    no_exceptions(at)
    assert any("saved this claim while you were reviewing" in e.value for e in at.error)
    rec = Store(seeded_url).get_claim(cid)
    assert (rec.verdict.value, rec.reviewer, rec.version) == ("false", "Omar", 1), "nothing of ours was saved"

    next(b for b in at.button if b.label == "Keep mine").click().run()
    rec = Store(seeded_url).get_claim(cid)
    assert (rec.verdict.value, rec.reviewer, rec.version) == ("disputed", "Rana", 2)


def test_take_theirs_keeps_the_stored_review(seeded_url, monkeypatch):
    at = app(seeded_url, monkeypatch).run()
    at.sidebar.text_input(key="reviewer_name").input("Rana").run()
    next(b for b in at.button if b.label == "Next unreviewed").click().run()
    cid = at.session_state["current_claim"]
    Store(seeded_url).review(cid, verdict="verified", reviewer="Omar", note="theirs")
    at.text_area(key=f"note__{cid}").input("mine")
    next(b for b in at.button if b.label == "False").click().run()
    next(b for b in at.button if b.label == "Take theirs").click().run()
    no_exceptions(at)
    assert at.text_area(key=f"note__{cid}").value == "theirs"
    rec = Store(seeded_url).get_claim(cid)
    assert (rec.verdict.value, rec.note, rec.version) == ("verified", "theirs", 1)


def test_correction_is_saved_and_shown_in_history(seeded_url, monkeypatch):
    at = app(seeded_url, monkeypatch).run()
    at.sidebar.text_input(key="reviewer_name").input("Rana").run()
    at.sidebar.multiselect(key="f_kinds").set_value(["force_size"]).run()
    next(b for b in at.button if b.label == "Next unreviewed").click().run()
    cid = at.session_state["current_claim"]
    at.text_input(key=f"fix_figure__{cid}").input("5,000")  # an exact figure has one box: low = high
    next(b for b in at.button if b.label == "Disputed").click().run()
    no_exceptions(at)
    rec = Store(seeded_url).get_claim(cid)
    assert rec.corrected == {"low": 5000.0, "high": 5000.0}
    history = at.dataframe[-1].value
    assert {"Low: 6,000 → 5,000", "High: 6,000 → 5,000"} <= set(history["Change"].tolist())


def test_bad_correction_is_refused_with_the_field_named(seeded_url, monkeypatch):
    at = app(seeded_url, monkeypatch).run()
    at.sidebar.text_input(key="reviewer_name").input("Rana").run()
    at.sidebar.multiselect(key="f_kinds").set_value(["force_size"]).run()
    next(b for b in at.button if b.label == "Next unreviewed").click().run()
    cid = at.session_state["current_claim"]
    at.text_input(key=f"fix_figure__{cid}").input("lots")
    next(b for b in at.button if b.label == "Verified").click().run()
    assert any("Figure" in e.value and "not a number" in e.value for e in at.error)
    assert Store(seeded_url).get_claim(cid).version == 0


@pytest.fixture
def seeds_url(sqlite_url) -> str:
    """Return a SQLite URL holding seeds/ ingested through claims.ingest (as ./dev serve does)."""
    from claims.ingest import ingest_paths

    with Store(sqlite_url) as s:
        report = ingest_paths(s, [ROOT / "seeds"])
    assert report.ok, report.summary()
    return sqlite_url


def test_documents_page_opens_a_document_with_its_claims(seeds_url, monkeypatch):
    with Store(seeds_url) as s:
        doc = next(d for d in s.list_documents(limit=None) if d.claim_count)
    at = app(seeds_url, monkeypatch)
    at.query_params["doc"] = str(doc.id)
    at.run()
    at.switch_page("app_pages/documents.py").run()
    no_exceptions(at)
    assert any(look_md(doc.title) in (h.value or "") for h in at.subheader)
    claims_table = at.dataframe[-1].value
    assert len(claims_table) == doc.claim_count


def look_md(text: str) -> str:
    from dashboard.look import md_escape
    return md_escape(text)


def test_paste_preview_and_save_an_article(seeded_url, monkeypatch):
    at = app(seeded_url, monkeypatch).run()
    at.switch_page("app_pages/documents.py").run()
    at.segmented_control(key="add_how_0").set_value("Paste text").run()
    text = (ROOT / "seeds" / "fictional" / "01_marrach_courier_market_attack.txt").read_text(encoding="utf-8")
    at.text_area(key="paste_text_0").input(text)
    at.text_input(key="meta_title_0").input("Market attack")
    at.selectbox(key="meta_publisher_0").set_value("Gulf News")  # an existing publisher, offered in the list
    at.date_input(key="meta_published_0").set_value(dt.date(2031, 5, 14)).run()
    next(b for b in at.button if b.label == "Preview claims").click().run()
    no_exceptions(at)
    assert Store(seeded_url).count_documents() == 1, "a preview stores nothing"
    assert next(b for b in at.button if b.label == "Save").disabled, "nobody named: the article cannot be saved"
    assert any("Reviewer name" in w.value for w in at.warning)
    at.sidebar.text_input(key="reviewer_name").input("Rana").run()
    next(b for b in at.button if b.label == "Save").click().run()
    no_exceptions(at)
    assert any("Saved 1 document with" in s.value for s in at.success)
    with Store(seeded_url) as s:
        doc = s.list_documents()[0]
    assert (doc.title, doc.publisher, doc.published, doc.text) == ("Market attack", "Gulf News",
                                                                   dt.date(2031, 5, 14), text)
    assert doc.added_by == "Rana"


def test_bad_upload_gets_a_clear_message_and_stores_nothing(sqlite_url, monkeypatch):
    at = app(sqlite_url, monkeypatch).run()
    at.switch_page("app_pages/documents.py").run()
    at.segmented_control(key="add_how_0").set_value("Paste text").run()
    at.selectbox(key="paste_fmt_0").set_value("JSON")
    at.text_area(key="paste_text_0").input('{"title": "no text field"}').run()
    next(b for b in at.button if b.label == "Preview claims").click().run()
    no_exceptions(at)
    assert any("Cannot read this article" in e.value and "text" in e.value for e in at.error)
    assert Store(sqlite_url).count_documents() == 0


def test_sources_lists_publishers_with_their_counts(seeded_url, monkeypatch):
    at = app(seeded_url, monkeypatch).run()
    at.switch_page("app_pages/sources.py").run()
    no_exceptions(at)
    frame = at.dataframe[0].value
    assert frame["Publisher"].tolist() == ["Gulf News"]
    assert frame["Claims"].tolist() == [3]


AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-secret",
                 "client_id": "id", "client_secret": "secret",
                 "server_metadata_url": "https://issuer.example/.well-known/openid-configuration"}}


def test_with_oidc_configured_a_logged_out_user_cannot_save(seeded_url, monkeypatch):
    at = app(seeded_url, monkeypatch)
    at.secrets.update(AUTH)
    at.run()
    no_exceptions(at)
    assert any(b.label == "Log in to review" for b in at.sidebar.button)
    assert not [t for t in at.sidebar.text_input if t.key == "reviewer_name"], "no name box when login is on"
    next(b for b in at.button if b.label == "Next unreviewed").click().run()
    assert next(b for b in at.button if b.label == "Verified").disabled


def test_with_oidc_the_logged_in_email_is_the_reviewer(seeded_url, monkeypatch):
    at = app(seeded_url, monkeypatch)
    at.secrets.update(AUTH)
    at.user = {"is_logged_in": True, "email": "rana@example.org", "name": "Rana Haddad"}
    at.run()
    next(b for b in at.button if b.label == "Next unreviewed").click().run()
    cid = at.session_state["current_claim"]
    next(b for b in at.button if b.label == "Unverifiable").click().run()
    no_exceptions(at)
    rec = Store(seeded_url).get_claim(cid)
    assert (rec.verdict.value, rec.reviewer) == ("unverifiable", "rana@example.org")


def test_upload_an_html_page_stores_its_text_not_its_markup(sqlite_url, monkeypatch):
    page = (b"<html><head><title>Toll rises in Kestrel Ford</title><script>alert(1)</script></head><body>"
            b"<article><h1>Toll rises in Kestrel Ford</h1><p>At least 23 people were killed and more than 40 "
            b"wounded when gunmen opened fire on the market, police said on Tuesday.</p>"
            b"<p>The Brennic Liberation Front has around 200 fighters in the hills, officials said.</p>"
            b"</article></body></html>")
    at = app(sqlite_url, monkeypatch).run()
    at.switch_page("app_pages/documents.py").run()
    at.file_uploader(key="upload_0").upload("market.html", page, "text/html").run()
    at.sidebar.text_input(key="reviewer_name").input("Rana").run()
    next(b for b in at.button if b.label == "Preview claims").click().run()
    no_exceptions(at)
    next(b for b in at.button if b.label == "Save").click().run()
    no_exceptions(at)
    with Store(sqlite_url) as s:
        (doc,) = s.list_documents()
    assert "At least 23 people were killed" in doc.text and "<script>" not in doc.text
    assert doc.filename == "market.html"


@pytest.mark.parametrize("name,payload,why", [
    ("../../etc/big.txt", b"x" * 4000, "limit"),              # over CLAIMS_MAX_FILE_MB (set tiny below)
    ("latin1.txt", "Caf\u00e9 killed".encode("latin-1"), "not UTF-8"),
    ("records.jsonl", b'{"text": "ok"}\nnot json\n', "records.jsonl"),
])
def test_bad_upload_is_refused_naming_the_file(sqlite_url, monkeypatch, name, payload, why):
    monkeypatch.setenv("CLAIMS_MAX_FILE_MB", "0.002")
    at = app(sqlite_url, monkeypatch).run()
    at.switch_page("app_pages/documents.py").run()
    at.file_uploader(key="upload_0").upload(name, payload, "text/plain").run()
    next(b for b in at.button if b.label == "Preview claims").click().run()
    no_exceptions(at)
    errors = [e.value for e in at.error]
    shown_name = look_md(name.rsplit("/", 1)[-1])
    assert any(shown_name in e and look_md(why) in e for e in errors), errors
    assert Store(sqlite_url).count_documents() == 0


def test_advance_after_saving_walks_the_queue(seeded_url, monkeypatch):
    at = app(seeded_url, monkeypatch).run()
    at.sidebar.text_input(key="reviewer_name").input("Rana").run()
    next(b for b in at.button if b.label == "Next unreviewed").click().run()
    at.toggle(key="advance").set_value(True).run()
    seen = [at.session_state["current_claim"]]
    for verdict in ("Verified", "False", "Disputed"):
        next(b for b in at.button if b.label == verdict).click().run()
        no_exceptions(at)
        seen.append(at.session_state["current_claim"])
    with Store(seeded_url) as s:
        verdicts = {r.id: r.verdict.value for r in s.query_claims(limit=None)}
    assert len(set(seen[:3])) == 3, "each save opened a different claim"
    assert sorted(verdicts.values()) == ["disputed", "false", "verified"]
    assert any("No unreviewed claims left" in m.value for m in at.success)


def test_a_claim_reopened_later_is_read_afresh_not_from_an_old_snapshot(seeded_url, monkeypatch):
    with Store(seeded_url) as s:
        first, second = [r.id for r in s.query_claims(limit=2)]
    at = app(seeded_url, monkeypatch)
    at.query_params["claim"] = str(first)
    at.run()
    at.sidebar.text_input(key="reviewer_name").input("Rana").run()
    Store(seeded_url).review(first, verdict="disputed", reviewer="Omar")   # while Rana looks at it
    at.query_params["claim"] = str(second)
    at.run()
    at.query_params["claim"] = str(first)
    at.run()
    assert not any("changed this claim since you opened it" in w.value for w in at.warning)
    next(b for b in at.button if b.label == "Verified").click().run()
    no_exceptions(at)
    assert not at.error
    rec = Store(seeded_url).get_claim(first)
    assert (rec.verdict.value, rec.reviewer, rec.version) == ("verified", "Rana", 2)


def test_jsonl_upload_previews_a_few_and_saves_all(sqlite_url, monkeypatch):
    import json
    lines = [json.dumps({"text": f"At least {n} people were killed in Dunmere on Monday, police said.",
                         "title": f"Report {n}", "publisher": "Radio Dunmere", "published": "2031-05-14"})
             for n in range(11, 18)]
    at = app(sqlite_url, monkeypatch).run()
    at.switch_page("app_pages/documents.py").run()
    at.file_uploader(key="upload_0").upload("batch.jsonl", "\n".join(lines).encode(), "application/json").run()
    next(b for b in at.button if b.label == "Preview claims").click().run()
    no_exceptions(at)
    assert any("7 documents in this file: previewing the first 5" in i.value for i in at.info)
    at.sidebar.text_input(key="reviewer_name").input("Rana").run()
    next(b for b in at.button if b.label == "Save").click().run()
    with Store(sqlite_url) as s:
        docs = s.list_documents(limit=None)
    assert sorted(d.title for d in docs) == [f"Report {n}" for n in range(11, 18)]
    assert {d.publisher for d in docs} == {"Radio Dunmere"}
    assert {d.added_by for d in docs} == {"Rana"}


def test_an_unusable_database_url_gets_a_message_not_a_traceback(tmp_path, monkeypatch):
    at = app(f"sqlite:///{tmp_path}/missing-folder/claims.db", monkeypatch).run()
    no_exceptions(at)
    assert any("Cannot open the claim database" in e.value and "missing" in e.value for e in at.error)


def test_review_saves_on_postgresql(pg_url, monkeypatch):
    # every page's rendering on PostgreSQL: tests/test_pages_smoke.py
    from claims.ingest import ingest_paths

    with Store(pg_url) as s:
        assert ingest_paths(s, [ROOT / "seeds"]).ok
    at = app(pg_url, monkeypatch).run()
    no_exceptions(at)
    at.sidebar.text_input(key="reviewer_name").input("Rana").run()
    next(b for b in at.button if b.label == "Next unreviewed").click().run()
    cid = at.session_state["current_claim"]
    next(b for b in at.button if b.label == "Verified").click().run()
    no_exceptions(at)
    with Store(pg_url) as s:
        assert (s.get_claim(cid).verdict.value, s.get_claim(cid).reviewer) == ("verified", "Rana")


def test_review_page_works_on_an_in_memory_store(monkeypatch):
    # One shared connection: the page's two queries must not run side by side on it. The app and this
    # test share the server-wide store handle (st.cache_resource), so the document added here is the app's.
    from dashboard import data

    text = SEED.read_text(encoding="utf-8")
    data.store_for("sqlite://").add_document(DocumentIn(text=text, publisher="Gulf News"), seed_claims(text),
                                             extractor_version="test")
    at = app("sqlite://", monkeypatch).run()
    no_exceptions(at)
    assert "3 claims match" in at.caption[0].value
    assert at.dataframe[0].value["Quote"].tolist() == ["December 9", "132 children", "around 6,000 TTP fighters"]


def test_save_on_a_claim_removed_meanwhile_says_so_and_keeps_the_typed_note(seeded_url, monkeypatch):
    """Regression (issue 18 item 5): the verdict and note vanished with no message."""
    at = app(seeded_url, monkeypatch).run()
    at.sidebar.text_input(key="reviewer_name").input("Rana").run()
    next(b for b in at.button if b.label == "Next unreviewed").click().run()
    cid = at.session_state["current_claim"]
    at.text_area(key=f"note__{cid}").input("Checked against the hospital list.")
    # a newer extractor drops the claim while it is open
    s = Store(seeded_url)
    rec = s.get_claim(cid)
    keep = [r.claim for r in s.claims_for_document(rec.document_id) if r.id != cid]
    s.replace_claims(rec.document_id, keep, extractor_version="test-2")
    assert s.get_claim(cid) is None
    s.close()
    next(b for b in at.button if b.label == "Verified").click().run()
    no_exceptions(at)
    assert any(f"Claim {cid} no longer exists" in e.value for e in at.error)
    assert at.text_area(key=f"lost_note__{cid}").value == "Checked against the hospital list."
    assert at.text_input(key=f"lost_verdict__{cid}").value == "Verified"


def test_counts_beyond_the_exact_bound_are_labelled_about(seeded_url, monkeypatch):
    """Issue 16: an estimated count (Store.facet_summary over its bound) is never shown as an exact one."""
    import streamlit as st

    import claims.store as store_mod

    at = app(seeded_url, monkeypatch).run()
    assert "3 claims match" in at.caption[0].value and "about" not in at.caption[0].value
    assert "Casualties (1)" in at.sidebar.multiselect(key="f_kinds").options
    monkeypatch.setattr(store_mod, "EXACT_UP_TO", 2)  # three claims are now "too many" to count
    # as for a text or figure filter: no counts table (exact at any size) answers, the sample does
    monkeypatch.setattr(store_mod.Store, "_countable", staticmethod(lambda flt, fields: None))
    st.cache_data.clear()  # the first run's exact counts are cached in this process
    at = app(seeded_url, monkeypatch).run()
    no_exceptions(at)
    # the first page holds all three claims, so the Review page's count is theirs, exact (Store.page_summary)
    assert at.caption[0].value.startswith("3 claims match"), at.caption[0].value
    options = at.sidebar.multiselect(key="f_kinds").options
    assert "Casualties (about 1)" in options, options  # sampled: every id of this small store
    # more matches than one page: the count is facet_summary's estimate, and labelled so
    monkeypatch.setattr(store_mod.Store, "page_summary", lambda self, flt, fields, **kw: (
        self.facet_summary(flt, fields), self.query_claims(flt, **kw)))
    st.cache_data.clear()
    at = app(seeded_url, monkeypatch).run()
    no_exceptions(at)
    assert at.caption[0].value.startswith("about 3 claims match")
    assert any("about 3" in m.value for m in at.markdown)  # the verdict badge
