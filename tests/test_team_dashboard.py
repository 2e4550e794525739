"""AppTest checks of team review in the dashboard: queues, blind second review, adjudication, agreement, assignment."""
from __future__ import annotations

from claims import team
from claims.model import ClaimFilter
from claims.store import Store
from tests.test_dashboard import app, no_exceptions, seeded_url  # noqa: F401  (fixture)


def two_review(url: str) -> Store:
    s = Store(url)
    team.set_setting(s, "reviews_required", 2, actor=team.actor_for(s, "ed"))
    return s


def named(at, name: str):
    at.sidebar.text_input(key="reviewer_name").input(name).run()
    return at


def test_second_review_queue_is_blind_and_a_disagreement_goes_to_the_editor(seeded_url, monkeypatch):  # noqa: F811
    s = two_review(seeded_url)
    first = s.query_claims(None, order="id")[0].id
    s.review(first, verdict="verified", reviewer="Rana", note="memorial list")

    at = named(app(seeded_url, monkeypatch).run(), "Omar")
    at.segmented_control(key="team_queue").set_value("second").run()
    no_exceptions(at)
    assert at.dataframe[0].value["ID"].tolist() == [first]
    at.session_state["current_claim"] = first
    at.run()
    assert any("hidden until you save yours" in c.value for c in at.caption), "Rana's verdict is not shown"
    assert not any("memorial list" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "False").click().run()
    no_exceptions(at)
    rec = s.get_claim(first)
    assert (rec.verdict.value, rec.review_state) == ("unreviewed", "disagreed")
    assert any("memorial list" in m.value for m in at.markdown), "after saving, Omar sees Rana's verdict and note"

    at.segmented_control(key="team_queue").set_value("disagreements").run()
    assert at.dataframe[0].value["ID"].tolist() == [first]
    # no reviewers table: a single-user setup, everyone is an editor and may decide
    at.selectbox(key=f"adj_verdict__{first}").set_value("false")
    at.text_area(key=f"adj_note__{first}").input("The ministry retracted the figure.")
    next(b for b in at.button if b.label == "Decide").click().run()
    no_exceptions(at)
    rec = s.get_claim(first)
    assert (rec.verdict.value, rec.review_state, rec.note) == ("false", "adjudicated",
                                                               "The ministry retracted the figure.")


def test_reviewers_cannot_decide_when_roles_are_configured(seeded_url, monkeypatch):  # noqa: F811
    s = two_review(seeded_url)
    team.add_reviewer(s, "ed", role="editor")
    cid = s.query_claims(None, order="id")[0].id
    s.review(cid, verdict="verified", reviewer="Rana")
    s.review(cid, verdict="false", reviewer="Omar")
    at = named(app(seeded_url, monkeypatch).run(), "Omar")
    at.session_state["current_claim"] = cid
    at.run()
    assert not any(b.label == "Decide" for b in at.button)
    assert any("an editor decides" in i.value for i in at.info)
    at = named(app(seeded_url, monkeypatch).run(), "ed")
    at.session_state["current_claim"] = cid
    at.run()
    assert any(b.label == "Decide" for b in at.button)


def test_assigned_to_me_queue_and_the_documents_page_assigns(seeded_url, monkeypatch):  # noqa: F811
    s = Store(seeded_url)
    doc = s.list_documents()[0]
    first = s.query_claims(None, order="id")[0].id
    s.review(first, verdict="verified", reviewer="Omar")  # Omar is now among the names offered
    at = named(app(seeded_url, monkeypatch).run(), "Rana")
    at.switch_page("app_pages/documents.py").run()
    at.session_state["doc_current"] = doc.id
    at.run()
    at.selectbox(key=f"assign_doc_{doc.id}_who").set_value("Omar")
    next(b for b in at.button if b.label == "Assign").click().run()
    no_exceptions(at)
    assert s.count_claims(ClaimFilter(assigned_to="Omar")) == 3
    at = named(app(seeded_url, monkeypatch).run(), "Omar")
    at.segmented_control(key="team_queue").set_value("assigned").run()
    assert first not in at.dataframe[0].value["ID"].tolist() and len(at.dataframe[0].value) == 2  # not judged yet


def test_charts_show_reviewer_agreement(seeded_url, monkeypatch):  # noqa: F811
    s = Store(seeded_url)
    a, b, c = [r.id for r in s.query_claims(None, order="id")]
    for cid, (x, y) in zip((a, b, c), [("verified", "verified"), ("false", "false"), ("verified", "false")]):
        s.review(cid, verdict=x, reviewer="Rana")
        s.review(cid, verdict=y, reviewer="Omar")
    at = app(seeded_url, monkeypatch).run()
    at.switch_page("app_pages/charts.py").run()
    no_exceptions(at)
    pairs = next(d.value for d in at.dataframe if "Cohen's kappa" in d.value.columns and "Reviewer A" in d.value)
    row = pairs.iloc[0]
    # 3 claims, 2 agree; Omar by name first: Omar (v, f, f) vs Rana (v, f, v): p_o 2/3, p_e 1/3*2/3 + 2/3*1/3 = 4/9
    assert (row["Reviewer A"], row["Reviewer B"], row["Claims both judged"]) == ("Omar", "Rana", 3)
    assert row["Cohen's kappa"] == f"{(2 / 3 - 4 / 9) / (1 - 4 / 9):.2f}"


def test_agreement_without_a_kappa_shows_a_dash_not_none(seeded_url, monkeypatch):  # noqa: F811
    """Issue 14: a pair whose kappa is undefined (both gave one verdict to everything) showed "None"."""
    s = Store(seeded_url)
    for cid in [r.id for r in s.query_claims(None, order="id")][:2]:
        s.review(cid, verdict="verified", reviewer="Rana")
        s.review(cid, verdict="verified", reviewer="Omar")
    at = app(seeded_url, monkeypatch).run()
    at.switch_page("app_pages/charts.py").run()
    no_exceptions(at)
    tables = [d.value for d in at.dataframe if "Cohen's kappa" in d.value.columns]
    assert len(tables) == 2, "pairs and kinds"
    for frame in tables:
        assert frame["Cohen's kappa"].tolist() == ["—"] * len(frame), frame
        assert frame["Agreement %"].tolist() == ["100"] * len(frame), frame


def test_only_editors_grade_sources_and_publish_once_roles_are_configured(seeded_url, monkeypatch):  # noqa: F811
    s = Store(seeded_url)
    team.add_reviewer(s, "ed", role="editor")
    at = named(app(seeded_url, monkeypatch).run(), "Rana")
    at.switch_page("app_pages/sources.py").run()
    no_exceptions(at)
    assert any("grades are changed by editors" in c.value for c in at.caption)
    at.switch_page("app_pages/export.py").run()
    at.radio(key="export_format").set_value("claimreview").run()
    assert any("Only editors publish" in w.value for w in at.warning)
    at = named(app(seeded_url, monkeypatch).run(), "ed")
    at.switch_page("app_pages/export.py").run()
    at.radio(key="export_format").set_value("claimreview").run()
    no_exceptions(at)
    assert not any("Only editors publish" in w.value for w in at.warning)
    at.switch_page("app_pages/sources.py").run()
    assert not any("grades are changed by editors" in c.value for c in at.caption)


def test_the_sidebar_filters_by_review_state(seeded_url, monkeypatch):  # noqa: F811
    s = two_review(seeded_url)
    cid = s.query_claims(None, order="id")[0].id
    s.review(cid, verdict="verified", reviewer="Rana")
    at = app(seeded_url, monkeypatch).run()
    at.sidebar.multiselect(key="f_review_states").set_value(["needs_second"]).run()
    no_exceptions(at)
    assert at.dataframe[0].value["ID"].tolist() == [cid]
