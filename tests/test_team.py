"""Team review: settings, roles, two-review mode, adjudication, blind review, agreement (kappa), assignment.

Store-level tests run on SQLite and PostgreSQL (the ``store`` fixture).
"""
from __future__ import annotations

import pytest

from claims import team
from claims.errors import BadInputError, ConflictError, ForbiddenError
from claims.model import ClaimFilter, ReviewState, Verdict
from tests.test_store import add


def ids(store) -> list[int]:
    return [r.id for r in store.query_claims(None, limit=None, order="id")]


def editor(store, name: str = "ed") -> team.Actor:
    return team.actor_for(store, name)


def two_review(store) -> None:
    team.set_setting(store, "reviews_required", 2, actor=editor(store))


# ---------------------------------------------------------------- Cohen's kappa, worked by hand
def test_kappa_matches_the_hand_worked_two_category_example():
    # 50 claims: both "verified" 20, A verified/B false 5, A false/B verified 10, both false 15.
    # p_o = 35/50 = 0.70; A says verified 25/50 = 0.5, B 30/50 = 0.6;
    # p_e = 0.5*0.6 + 0.5*0.4 = 0.50; kappa = (0.70 - 0.50) / (1 - 0.50) = 0.40
    items = ([("verified", "verified")] * 20 + [("verified", "false")] * 5 + [("false", "verified")] * 10
             + [("false", "false")] * 15)
    assert team.cohen_kappa(items) == pytest.approx(0.40)


def test_kappa_matches_the_hand_worked_three_category_example():
    # 10 claims: (v,v)x4 (f,f)x2 (u,u)x1 (v,f) (f,u) (u,v). p_o = 7/10.
    # A: v 5, f 3, u 2; B: v 5, f 3, u 2; p_e = .25 + .09 + .04 = .38; kappa = (.70 - .38) / .62 = 0.516129...
    v, f, u = "verified", "false", "unverifiable"
    items = [(v, v)] * 4 + [(f, f)] * 2 + [(u, u), (v, f), (f, u), (u, v)]
    assert team.cohen_kappa(items) == pytest.approx(0.32 / 0.62)


def test_kappa_is_undefined_without_items_or_variation_and_negative_below_chance():
    assert team.cohen_kappa([]) is None
    assert team.cohen_kappa([("verified", "verified")] * 3) is None  # chance agreement is already 1
    assert team.cohen_kappa([("verified", "false"), ("false", "verified")]) == pytest.approx(-1.0)


# ---------------------------------------------------------------- settings
def test_team_settings_default_set_list_and_history(store):
    assert team.get_setting(store, "reviews_required") == "1"
    assert team.set_setting(store, "reviews_required", "2", actor=editor(store)) is True
    assert team.set_setting(store, "reviews_required", 2, actor=editor(store)) is False  # same value: no change
    assert team.get_setting(store, "reviews_required") == "2"
    listed = {s["name"]: s for s in team.list_settings(store)}
    assert listed["reviews_required"]["value"] == "2" and listed["reviews_required"]["changed_by"] == "ed"
    assert listed["blind_review"]["value"] == "true"
    assert [(h["name"], h["old"], h["new"]) for h in team.setting_history(store)] == [("reviews_required", "1", "2")]
    with pytest.raises(BadInputError, match="reviews_required"):
        team.set_setting(store, "reviews_required", "0", actor=editor(store))
    with pytest.raises(BadInputError, match="unknown team setting"):
        team.set_setting(store, "nope", "1", actor=editor(store))


def test_roles_from_the_reviewers_table(store):
    assert editor(store, "anyone").role is team.Role.EDITOR  # nothing configured: single user, no prompts
    with pytest.raises(BadInputError, match="first name"):
        team.add_reviewer(store, "rana", role="reviewer")
    team.add_reviewer(store, "ed", role="editor")
    team.add_reviewer(store, "rana", role="reviewer", actor=editor(store, "ed"))
    assert team.actor_for(store, "rana").role is team.Role.REVIEWER
    assert team.actor_for(store, "stranger").role is team.Role.REVIEWER
    with pytest.raises(ForbiddenError):
        team.set_setting(store, "reviews_required", 2, actor=team.actor_for(store, "rana"))
    with pytest.raises(ForbiddenError):  # a reviewer cannot make themselves an editor
        team.add_reviewer(store, "rana", role="editor", actor=team.actor_for(store, "rana"))
    with pytest.raises(BadInputError, match="last editor"):
        team.add_reviewer(store, "ed", role="reviewer", actor=editor(store, "ed"))
    assert team.actor_for(store, "x", oidc_roles=["staff", "editor"]).role is team.Role.EDITOR
    assert team.actor_for(store, "x", oidc_roles=[]).role is team.Role.REVIEWER
    assert team.roles_from_claims({"roles": "editor, staff"}) == ["editor", "staff"]


# ---------------------------------------------------------------- one review decides (default)
def test_one_review_mode_keeps_todays_behaviour(store):
    add(store)
    cid = ids(store)[0]
    rec = store.review(cid, verdict="verified", reviewer="ann", note="n")
    assert rec.verdict is Verdict.VERIFIED and rec.version == 1
    assert [(h.field, h.new) for h in store.history(cid)] == [("verdict", "verified"), ("note", "n"),
                                                                ("reviewer", "ann")]
    rec = store.review(cid, verdict="false", reviewer="bo")
    assert rec.verdict is Verdict.FALSE and rec.reviewer == "bo"
    status = team.review_status(store, cid)
    assert status["review_state"] == "reviewed" and status["reviews_required"] == 1
    assert [(v["reviewer"], v["verdict"]) for v in status["votes"]] == [("ann", "verified"), ("bo", "false")]


# ---------------------------------------------------------------- two reviews required
def test_second_review_agreement_makes_the_verdict_final(store):
    add(store)
    cid = ids(store)[0]
    two_review(store)
    rec = store.review(cid, verdict="verified", reviewer="ann", note="morgue list", expect_version=0)
    assert rec.verdict is Verdict.UNREVIEWED and rec.version == 1
    assert team.review_status(store, cid)["review_state"] == "needs_second"
    again = store.review(cid, verdict="verified", reviewer="ann", note="morgue list")
    assert again.version == 1  # the same reviewer saving twice is one review
    assert store.review(cid, verdict="verified", reviewer="ann", note="").version == 2  # a changed note is recorded
    assert team.review_status(store, cid)["review_state"] == "needs_second"
    rec = store.review(cid, verdict="verified", reviewer="bo", expect_version=2)
    assert rec.verdict is Verdict.VERIFIED and rec.version == 3
    assert team.review_status(store, cid)["review_state"] == "agreed"
    assert store.count_claims(ClaimFilter(review_states=["agreed"], verdicts=["verified"])) == 1
    steps = [(h.version, h.field, h.old, h.new, h.reviewer) for h in store.history(cid)]
    assert (1, "vote", None, "verified", "ann") in steps
    assert (1, "review_state", "unreviewed", "needs_second", "ann") in steps
    assert (2, "vote_note", "morgue list", None, "ann") in steps
    assert (3, "vote", None, "verified", "bo") in steps
    assert (3, "verdict", "unreviewed", "verified", "bo") in steps
    assert (3, "review_state", "needs_second", "agreed", "bo") in steps


def test_disagreement_waits_for_an_editors_adjudication(store):
    add(store)
    cid = ids(store)[1]
    team.add_reviewer(store, "ed", role="editor")
    two_review(store)
    store.review(cid, verdict="verified", reviewer="ann")
    rec = store.review(cid, verdict="false", reviewer="bo")
    assert rec.verdict is Verdict.UNREVIEWED
    assert team.review_status(store, cid)["review_state"] == "disagreed"
    assert [r.id for r in store.query_claims(ClaimFilter(review_states=["disagreed"]))] == [cid]
    with pytest.raises(ForbiddenError):
        team.adjudicate(store, cid, verdict="false", note="x", actor=team.actor_for(store, "ann"))
    with pytest.raises(BadInputError, match="note"):
        team.adjudicate(store, cid, verdict="false", note=" ", actor=editor(store))
    with pytest.raises(ConflictError):
        team.adjudicate(store, cid, verdict="false", note="x", actor=editor(store), expect_version=1)
    rec = team.adjudicate(store, cid, verdict="false", note="the ministry retracted", actor=editor(store),
                          expect_version=2)
    assert (rec.verdict, rec.note, rec.reviewer, rec.version) == (Verdict.FALSE, "the ministry retracted", "ed", 3)
    assert team.review_status(store, cid)["review_state"] == "adjudicated"
    # a later vote is recorded but the editor's decision stands
    assert store.review(cid, verdict="verified", reviewer="cy").verdict is Verdict.FALSE
    fields = [(h.field, h.reviewer) for h in store.history(cid)]
    assert ("adjudication", "ed") in fields and ("vote", "cy") in fields
    with pytest.raises(BadInputError, match="only disagreements"):
        team.adjudicate(store, ids(store)[0], verdict="false", note="x", actor=editor(store))


def test_withdrawing_a_verdict_and_unreviewed_votes(store):
    add(store)
    cid = ids(store)[0]
    two_review(store)
    store.review(cid, verdict="verified", reviewer="ann")
    store.review(cid, verdict="false", reviewer="bo")
    rec = store.review(cid, verdict="unreviewed", reviewer="bo")  # bo withdraws: back to one verdict
    assert rec.verdict is Verdict.UNREVIEWED
    assert team.review_status(store, cid)["review_state"] == "needs_second"
    assert [v.reviewer for v in team.votes(store, cid)] == ["ann"]


def test_blind_second_review_hides_other_verdicts_until_one_is_saved(store):
    add(store)
    cid = ids(store)[0]
    two_review(store)
    store.review(cid, verdict="verified", reviewer="ann", note="I checked")
    hidden = team.review_status(store, cid, viewer="bo")
    assert hidden["votes"] == [] and hidden["votes_hidden"] == 1
    entries = store.history(cid)
    assert all(e.field not in ("vote", "vote_note") for e in team.visible_history(entries, viewer="bo", hide=True))
    store.review(cid, verdict="false", reviewer="bo")
    assert len(team.review_status(store, cid, viewer="bo")["votes"]) == 2
    # a disagreement is no longer blind: the editor who decides it sees both verdicts
    assert len(team.review_status(store, cid, viewer="ed")["votes"]) == 2
    other = ids(store)[1]
    store.review(other, verdict="verified", reviewer="ann")
    assert team.review_status(store, other, viewer="cy")["votes_hidden"] == 1
    team.set_setting(store, "blind_review", "false", actor=editor(store))
    assert team.review_status(store, other, viewer="cy")["votes_hidden"] == 0


def test_my_queues_need_my_second_review_and_assigned_to_me(store):
    add(store)
    a, b, c, d = ids(store)
    two_review(store)
    store.review(a, verdict="verified", reviewer="ann")
    store.review(b, verdict="verified", reviewer="bo")
    mine = ClaimFilter(review_states=["needs_second"], not_voted_by="bo")
    assert [r.id for r in store.query_claims(mine)] == [a]
    assert team.assign(store, reviewer="bo", flt=ClaimFilter(claim_ids=[b, c, d]), limit=2, by="ed") == 2
    assert team.assign(store, reviewer="bo", flt=ClaimFilter(claim_ids=[b, c, d])) == 1  # only the new one
    assert [r.id for r in store.query_claims(ClaimFilter(assigned_to="bo", not_voted_by="bo"))] == [c, d]
    assert team.assignment_counts(store) == [{"reviewer": "bo", "assigned": 3, "done": 1}]
    assert team.review_status(store, c)["assigned_to"] == ["bo"]
    assert team.unassign(store, reviewer="bo", flt=ClaimFilter(claim_ids=[d])) == 1
    with pytest.raises(BadInputError, match="review_state"):
        store.count_claims(ClaimFilter(review_states=["maybe"]))


def test_agreement_per_pair_and_kind_from_stored_verdicts(store):
    add(store)
    add(store, text="A second report: 132 children were killed in Peshawar on 2014-12-16. The "
                    "Tehrik-i-Taliban Pakistan claimed 6,000 fighters; 50% of them 100_000 strong.")
    cids = ids(store)
    plan = {  # claim index -> (ann, bo); cy judges two claims with ann
        0: ("verified", "verified"), 1: ("verified", "false"), 2: ("false", "false"), 3: ("false", "verified"),
        4: ("verified", "verified"), 5: ("false", "false"),
    }
    for i, (va, vb) in plan.items():
        store.review(cids[i], verdict=va, reviewer="ann")
        store.review(cids[i], verdict=vb, reviewer="bo")
    store.review(cids[6], verdict="verified", reviewer="ann")
    store.review(cids[6], verdict="verified", reviewer="cy")
    out = team.agreement(store)
    pairs = {(r.reviewer_a, r.reviewer_b): r for r in out["pairs"]}
    ab = pairs[("ann", "bo")]
    # 6 items, 4 agree: p_o = 4/6; ann verified 3/6, bo verified 3/6: p_e = .25 + .25 = .5; kappa = 1/3
    assert ab.n == 6 and ab.agreement == pytest.approx(4 / 6) and ab.kappa == pytest.approx(1 / 3)
    assert pairs[("ann", "cy")].n == 1 and pairs[("ann", "cy")].kappa is None
    kinds = {r.kind: r for r in out["kinds"]}
    assert sum(r.n for r in out["kinds"]) == 7
    assert kinds["casualties"].n == 2  # claims 0 and 4
    only_dates = team.agreement(store, ClaimFilter(kinds=["date"]))
    assert [(r.reviewer_a, r.reviewer_b, r.n) for r in only_dates["pairs"]] == [("ann", "bo", 2)]


def test_every_team_setting_is_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    missing = [s.name for s in team.TEAM_SETTINGS if f"| `{s.name}` | `{s.default}` |" not in readme]
    assert not missing, f"team settings missing from README's team settings table: {missing}"


def test_an_imported_verdict_is_final_in_the_importing_store(tmp_path):
    from claims.export import export_to, import_file
    from claims.store import Store

    with Store(f"sqlite:///{tmp_path / 'a.db'}") as a, Store(f"sqlite:///{tmp_path / 'b.db'}") as b:
        add(a)
        cid = ids(a)[0]
        a.review(cid, verdict="verified", reviewer="ann")
        export_to(a, None, fmt="json", path=tmp_path / "x.json")
        import_file(b, tmp_path / "x.json")
        states = {r.fingerprint: (r.verdict.value, r.review_state) for r in b.query_claims(None, limit=None)}
    assert sorted(states.values()) == [("unreviewed", "unreviewed")] * 3 + [("verified", "reviewed")]
