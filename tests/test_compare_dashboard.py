"""AppTest checks of the Compare and Charts pages, and the pure chart builders behind them."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from claims.compare import persist
from claims.compare.reconcile import reconcile
from claims.model import Verdict
from claims.store import Store
from dashboard import charts
from tests import compare_articles as A

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "streamlit_app.py")


def app(url: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("CLAIMS_DB_URL", url)
    return AppTest.from_file(APP, default_timeout=90)


@pytest.fixture
def filled_url(sqlite_url) -> str:
    s = Store(sqlite_url)
    for a in A.ALL:
        s.add_document(a.document(), a.claim_objects(), extractor_version="test")
    s.close()
    return sqlite_url


def _school_id(url: str) -> int:
    s = Store(url)
    try:
        rec = next(r for r in s.query_claims(limit=None) if r.claim.quote == "41 children")
        return persist.group_of_claim(s, rec.id).id
    finally:
        s.close()


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_compare_computes_groups_from_the_button(filled_url, monkeypatch):
    at = app(filled_url, monkeypatch).run()
    at.switch_page("app_pages/compare.py").run()
    no_exceptions(at)
    assert any("No groups yet" in i.value for i in at.info)
    next(b for b in at.button if b.label == "Recompute groups").click().run()
    no_exceptions(at)
    assert any("Grouped 10 claims" in s.value for s in at.success)
    table = at.dataframe[0].value
    assert "41" not in table.columns  # sanity: a frame of groups, not claims
    assert (table["Claims"] >= 2).all() and len(table) >= 2


def _school_group_page(url: str, monkeypatch, *, reviewer: str):
    """Group the claims, then open the Compare page on the school attack's group as ``reviewer``."""
    s = Store(url)
    persist.run_compare(s)
    s.close()
    gid = _school_id(url)
    at = app(url, monkeypatch)
    at.query_params["group"] = str(gid)
    at.session_state["reviewer_name"] = reviewer
    at.run()
    at.switch_page("app_pages/compare.py").run()
    return at, gid


def test_group_view_shows_ledger_and_saves_a_rule(filled_url, monkeypatch):
    at, gid = _school_group_page(filled_url, monkeypatch, reviewer="ana")
    no_exceptions(at)
    # The incident is the heading, the group (one fact of it) is named beneath it.
    assert any(h.value.startswith("Incident: Port Calloway") for h in at.subheader)
    assert any(f"**Group {gid}:**" in m.value for m in at.markdown)
    ledger = at.dataframe[1].value
    assert all(w.startswith("same incident - Port Calloway") for w in ledger["Why grouped"])
    assert sorted(ledger["Publisher"]) == ["Coastline Post", "Eastern Ledger", "Eastern Ledger", "Valdoria Times"]
    assert any("disagree" in w.value for w in at.warning)
    at.radio(key=f"cmp_rule_{gid}").set_value("conservative")
    next(b for b in at.button if b.label == "Save rule").click().run()
    no_exceptions(at)
    s = Store(filled_url)
    try:
        g = persist.get_group(s, gid)
        assert (g.rule, g.rule_reviewer, g.reconciled.best) == ("conservative", "ana", 41)
    finally:
        s.close()


def test_reviewer_rule_without_rationale_shows_an_error_and_saves_nothing(filled_url, monkeypatch):
    at, gid = _school_group_page(filled_url, monkeypatch, reviewer="ana")
    at.radio(key=f"cmp_rule_{gid}").set_value("reviewer")
    at.text_input(key=f"cmp_best_{gid}").input("50")
    next(b for b in at.button if b.label == "Save rule").click().run()
    assert any("rationale" in e.value for e in at.error)
    s = Store(filled_url)
    try:
        assert persist.get_group(s, gid).rule == "best"
    finally:
        s.close()


def test_split_from_the_page_is_stored(filled_url, monkeypatch):
    at, gid = _school_group_page(filled_url, monkeypatch, reviewer="ben")
    box = at.selectbox(key=f"cmp_split_{gid}")
    pupils = next(o for o in box.options if "about 60 pupils" in o)
    box.set_value(int(pupils.split()[0].lstrip("#"))).run()  # options read "#ID publisher: quote"
    next(b for b in at.button if b.label == "Split out into its own group").click().run()
    no_exceptions(at)
    s = Store(filled_url)
    try:
        assert "about 60 pupils" not in [m.claim.quote for m in persist.get_group(s, gid).members]
        assert [d["action"] for d in persist.decisions(s)] == ["split"]
    finally:
        s.close()


def test_merge_and_move_from_the_page_are_stored_and_a_bad_target_is_refused(filled_url, monkeypatch):
    at, gid = _school_group_page(filled_url, monkeypatch, reviewer="cai")
    at.number_input(key="cmp_min_size").set_value(1).run()  # single claims are groups too
    box = at.multiselect(key=f"cmp_merge_{gid}")
    assert box.options, "another group of the same kind to merge"
    other = int(box.options[0].split(":")[0].split()[-1])  # options read "Group ID: label"
    box.set_value([other]).run()
    next(b for b in at.button if b.label == "Merge").click().run()
    no_exceptions(at)
    merged = at.session_state["cmp_group"]
    assert merged == min(gid, other)  # merged into the lowest id, which the page now shows
    s = Store(filled_url)
    try:
        assert persist.get_group(s, other if merged == gid else gid) is None
        members = [m.id for m in persist.get_group(s, merged).members]
    finally:
        s.close()
    # Moving a claim to a group that does not exist shows the store's error and changes nothing.
    at.number_input(key=f"cmp_move_to_{merged}").set_value(99999).run()
    next(b for b in at.button if b.label == "Move").click().run()
    assert any("99999" in e.value for e in at.error)
    s = Store(filled_url)
    try:
        assert [m.id for m in persist.get_group(s, merged).members] == members
        assert [d["action"] for d in persist.decisions(s)] == ["merge"]
    finally:
        s.close()


def test_charts_page_follows_filters(filled_url, monkeypatch):
    s = Store(filled_url)
    rec = next(r for r in s.query_claims(limit=None) if r.claim.quote == "41 children")
    s.review(rec.id, verdict=Verdict.VERIFIED, reviewer="ana")
    s.close()
    at = app(filled_url, monkeypatch).run()
    at.switch_page("app_pages/charts.py").run()
    no_exceptions(at)
    tables = [d.value for d in at.dataframe]
    kv, progress, figures = tables[0], tables[1], tables[2]
    assert kv["claims"].sum() == 10
    assert progress["claims"].sum() == 1 and list(progress["verdict"]) == ["verified"]
    assert set(figures["publisher"]) >= {"Valdoria Times", "Eastern Ledger"}
    at.multiselect(key="f_publishers").set_value(["Coastline Post"]).run()
    no_exceptions(at)
    kv = at.dataframe[0].value
    assert kv["claims"].sum() == 2
    assert set(at.dataframe[2].value["publisher"]) == {"Coastline Post"}


# ---------------------------------------------------------------- pure builders
def _school_reconciled():
    recs = [r for r in A.records(A.ALL) if r.claim.kind.value == "casualties" and r.claim.outcome.value == "killed"
            and r.claim.quote in ("41 children", "58 students", "about 60 pupils")]
    return reconcile(recs)


def test_group_figure_plots_every_member_and_the_reconciled_line():
    rc = _school_reconciled()
    fig = charts.group_figure(rc, kind="casualties")
    ys = {y for tr in fig.data for y in (tr.y or ())}
    assert len(ys) == len(rc.ledger)  # one row per member, labelled by source and date
    xs = sorted(x for tr in fig.data if tr.mode == "markers" for x in tr.x)
    assert xs == [41, 58, 58, 60]
    assert any(sh.type == "line" for sh in fig.layout.shapes)


def test_group_figure_draws_ranges_as_bars():
    recs = [r for r in A.records(A.ALL) if r.claim.kind.value == "force_size"]
    fig = charts.group_figure(reconcile(recs), kind="force_size")
    bars = [tr for tr in fig.data if tr.mode == "lines"]
    assert [list(tr.x) for tr in bars] == [[1500.0, 2500.0]]


def test_hover_text_escapes_document_text():
    recs = A.records([A.VALDORIA])
    import dataclasses
    evil = dataclasses.replace(recs[0], publisher="<img src=x onerror=alert(1)>")
    fig = charts.group_figure(reconcile([evil]), kind="casualties")
    hover = " ".join(h for tr in fig.data for h in (tr.hovertext or ()))
    assert "<img" not in hover and "&lt;img" in hover
    ticks = " ".join(str(y) for tr in fig.data for y in (tr.y or ()))
    assert "<img" not in ticks and "&lt;img" in ticks
    import pandas as pd
    strip = charts.publisher_figures_figure(pd.DataFrame(
        [("<b>x</b>", "casualties", 5.0, "<script>q</script>", 1)],
        columns=["publisher", "kind", "figure", "quote", "claim"]))
    text = " ".join(str(v) for tr in strip.data for v in list(tr.y) + list(tr.hovertext))
    assert "<b>" not in text and "<script>" not in text


def test_ledger_and_groups_frames(filled_url):
    rc = _school_reconciled()
    frame = charts.ledger_frame(rc)
    assert list(frame.columns) == charts.LEDGER_COLUMNS and len(frame) == 4
    assert frame["Source"].str.contains("wire copy").sum() == 2
    assert frame["Grade"].tolist() == [""] * 4 and not frame["Publisher"].str.contains("Fictional").any()
    # issue 14: the publisher's grade shows and can narrow the ledger; invented documents are marked
    import dataclasses
    from dashboard.tables import FICTIONAL_MARK
    marked = dataclasses.replace(rc, ledger=[dataclasses.replace(r, fictional=i == 0) for i, r in enumerate(rc.ledger)])
    names = list(dict.fromkeys(r.publisher for r in rc.ledger))   # three outlets, one of them twice
    grade_of = dict(zip(names, ["A", "D", None]))
    want = [grade_of[r.publisher] or "" for r in rc.ledger]
    assert charts.ledger_frame(marked, grade_of=grade_of)["Grade"].tolist() == want
    frame = charts.ledger_frame(marked, grade_of=grade_of, grades=["A", "B"])
    assert frame["Grade"].tolist() == ["A"] * want.count("A") and 0 < len(frame) < 4
    shown = charts.ledger_frame(marked)["Publisher"].tolist()
    assert shown == [FICTIONAL_MARK + rc.ledger[0].publisher] + [r.publisher for r in rc.ledger[1:]]
    with Store(filled_url) as s:
        persist.run_compare(s)
        groups = charts.groups_frame(persist.list_summaries(s))
    school = groups[groups["Label"].str.contains("children")].iloc[0]
    assert (school["Claims"], school["Reports"], school["Independent"], school["Low"], school["High"]) == (
        4, 4, 3, "41", "60")
    assert bool(school["Discrepancy"]) and school["Spread"] == 32


def test_the_groups_list_names_each_incident_once_above_its_facts():
    from types import SimpleNamespace as G

    def g(gid, event, label="Kell Rise · market · 8 May 2032"):
        return G(id=gid, event_id=event, event_label=label if event is not None else None, label=f"fact {gid}",
                 kind="casualties", outcome="killed", size=2, reports=2, independent=2, low=1, best=2, high=3,
                 rule="best", spread_ratio=0.5, discrepancy=False, first_published=None)

    # sorted by spread, say: the facts of incident 7 are spread through the list
    frame = charts.groups_frame([g(1, 7), g(2, 9, "Oxmere · bus station · 8 May 2032"), g(3, None), g(4, 7)])
    assert frame["Group"].tolist() == [1, 4, 2, 3]
    assert frame["Incident"].tolist() == ["Kell Rise · market · 8 May 2032", "", "Oxmere · bus station · 8 May 2032", ""]


def test_shaping_helpers():
    import datetime as dt
    counts = charts.progress_counts([(dt.datetime(2030, 1, 2, 10), "verified"), (dt.datetime(2030, 1, 2, 11), "false"),
                                     (dt.datetime(2030, 1, 3, 9), "verified")])
    assert counts["claims"].sum() == 3 and len(counts) == 3
    dated = charts.dated_counts([("2014-12-16", "date"), ("2014-12", "date"), ("2014", "date"), ("bad", "date")])
    assert dated["claims"].tolist() == [2]
    assert charts.timeline_figure(dated).data and not charts.timeline_figure(charts.dated_counts([])).data
