"""Reviewers' merges are guarded, undoable and flag a chosen figure they outdate (issue 14 item 3); every
group names its incident and every member why it is there (issue 13). SQLite and PostgreSQL."""
from __future__ import annotations

import json

import pytest

from claims.cli import main
from claims.compare import persist
from claims.errors import BadInputError, MergeRefusedError, NotFoundError
from tests.test_compare_store import _claim, _fill, _group_with, _quotes


def _members(store) -> dict[int, list[str]]:
    return {g.id: _quotes(g) for g in persist.list_groups(store, min_size=1)}


def test_killed_and_injured_merge_only_when_forced_and_the_merge_says_so(store):
    _fill(store)
    persist.run_compare(store)
    killed = _group_with(store, "41 children")
    injured = _group_with(store, "17 people")
    assert (killed.outcome, injured.outcome) == ("killed", "injured")
    before = _members(store)
    with pytest.raises(MergeRefusedError, match="outcomes"):
        persist.merge(store, [killed.id, injured.id], reviewer="ana")
    assert _members(store) == before and persist.decisions(store) == []
    assert persist.merge_check(store, [killed.id, injured.id]) is not None
    merged = persist.merge(store, [killed.id, injured.id], reviewer="ana", force=True)
    assert "17 people" in _quotes(merged) and "41 children" in _quotes(merged)
    (d,) = persist.decisions(store)
    assert d["action"] == "merge" and d["forced"]
    assert "forced" in merged.reasons[_claim(store, "17 people").fingerprint]


def test_undo_takes_a_merge_back_keeps_the_log_and_survives_a_rerun(store):
    _fill(store)
    persist.run_compare(store)
    before = sorted(_members(store).values())
    school = _group_with(store, "41 children")
    older = _group_with(store, "9 students")
    persist.merge(store, [school.id, older.id], reviewer="ben")
    assert sorted(_members(store).values()) != before
    undone = persist.undo(store, reviewer="ana")
    assert undone["action"] == "merge" and undone["undone"]
    assert sorted(_members(store).values()) == before
    log = persist.decisions(store)
    assert [(d["action"], d["reviewer"]) for d in log] == [("merge", "ben"), ("undo", "ana")]
    assert log[1]["undoes"] == log[0]["id"]
    persist.run_compare(store)
    assert sorted(_members(store).values()) == before
    with pytest.raises(BadInputError, match="already undone"):
        persist.undo(store, log[0]["id"], reviewer="ana")
    with pytest.raises(NotFoundError):
        persist.undo(store, reviewer="ana")  # nothing left to undo


def test_a_reviewer_figure_is_flagged_stale_when_its_members_change(store):
    _fill(store)
    persist.run_compare(store)
    school = _group_with(store, "41 children")
    persist.set_rule(store, school.id, rule="reviewer", best=45, rationale="hospital list", reviewer="ana")
    assert not persist.get_group(store, school.id).figure_stale
    persist.split(store, _claim(store, "about 60 pupils").id, reviewer="ben")
    assert persist.get_group(store, school.id).figure_stale
    persist.run_compare(store)
    assert _group_with(store, "41 children").figure_stale           # still true after recomputing
    persist.undo(store, reviewer="ben")                               # the members are back
    assert not _group_with(store, "41 children").figure_stale
    persist.split(store, _claim(store, "about 60 pupils").id, reviewer="ben")
    persist.set_rule(store, school.id, rule="reviewer", best=41, rationale="checked again", reviewer="ana")
    assert not persist.get_group(store, school.id).figure_stale     # chosen again for these members


def test_a_claim_split_out_stays_listed_so_it_can_be_merged_back(store):
    _fill(store)
    persist.run_compare(store)
    pupils = _claim(store, "about 60 pupils")
    alone = persist.split(store, pupils.id, reviewer="ana")
    for _ in range(2):  # before and after recomputing
        listed = {g.id: g for g in persist.list_summaries(store)}  # default: groups of two or more
        assert alone.id in listed and listed[alone.id].size == 1
        persist.run_compare(store)
    assert "split out by ana" in _group_with(store, "about 60 pupils").reasons[pupils.fingerprint]


def test_compare_json_keeps_its_fields_and_adds_the_event_and_reasons(db_url, capsys):
    from claims.store import Store

    s = Store(db_url)
    try:
        _fill(s)
    finally:
        s.close()
    assert main(["compare", "--db", db_url, "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert rows
    for row in rows:
        assert {"group", "kind", "outcome", "label", "low", "best", "high", "rule", "members", "event"} <= set(row)
        assert all(m["reason"] for m in row["members"])
    school = next(r for r in rows if any(m["quote"] == "41 children" for m in r["members"]))
    assert set(school["event"]) == {"id", "label"} and "Port Calloway" in school["event"]["label"]


def test_merge_refusal_on_the_command_line_names_the_fix(db_url, capsys):
    from claims.store import Store

    s = Store(db_url)
    try:
        _fill(s)
        persist.run_compare(s)
        ids = [_group_with(s, "41 children").id, _group_with(s, "17 people").id]
    finally:
        s.close()
    assert main(["compare", "merge", *map(str, ids), "--reviewer", "ana", "--db", db_url]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["compare", "merge", *map(str, ids), "--reviewer", "ana", "--force", "--db", db_url]) == 0
    assert main(["compare", "undo", "--reviewer", "ana", "--db", db_url]) == 0
    assert "undid decision" in capsys.readouterr().out
