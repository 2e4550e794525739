"""`python -m claims compare`: JSON and table output, decisions from the command line, errors."""
from __future__ import annotations

import json

import pytest

from claims.cli import main
from claims.store import Store
from tests import compare_articles as A


@pytest.fixture
def db(sqlite_url):
    store = Store(sqlite_url)
    for a in A.ALL:
        store.add_document(a.document(), a.claim_objects(), extractor_version="test")
    store.close()
    return sqlite_url


def _json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def _school(groups):
    return next(g for g in groups if any(m["quote"] == "41 children" for m in g["members"]))


def test_compare_json_prints_one_object_per_group_with_members(db, capsys):
    assert main(["compare", "--db", db, "--json"]) == 0
    groups = _json_lines(capsys.readouterr().out)
    school = _school(groups)
    assert {"group", "kind", "outcome", "label", "low", "best", "high", "rule", "independent_sources",
            "members"} <= set(school)
    assert (school["kind"], school["outcome"], school["rule"]) == ("casualties", "killed", "best")
    assert (school["low"], school["high"]) == (41, 60)
    assert school["independent_sources"] == 3
    member = school["members"][0]
    assert {"filename", "document_id", "claim_id", "start", "end", "quote", "low", "high", "publisher", "published",
            "attributed_to", "verdict"} <= set(member)
    assert member["filename"].endswith(".txt") and member["published"] == "2030-03-04"
    text = next(a.text for a in A.ALL if a.publisher == member["publisher"] and member["quote"] in a.text)
    assert text[member["start"]:member["end"]] == member["quote"]
    assert all(len(g["members"]) >= 2 for g in groups)


def test_compare_table_and_discrepancy_queue(db, capsys):
    assert main(["compare", "--db", db]) == 0
    out = capsys.readouterr()
    assert "DISCREPANCY" in out.out and "4 reports, 3 independent" in out.out
    assert "compared 10 claims" in out.err
    assert main(["compare", "--db", db, "--no-run", "--discrepancies", "--json"]) == 0
    queue = _json_lines(capsys.readouterr().out)
    assert queue and all(g["discrepancy"] for g in queue)
    spreads = [g["spread_ratio"] for g in queue]
    assert spreads == sorted(spreads, reverse=True)


def test_compare_limit_prints_the_first_groups_in_order(db, capsys):
    assert main(["compare", "--db", db, "--json", "--sort", "size"]) == 0
    every = _json_lines(capsys.readouterr().out)
    assert len(every) >= 2
    assert main(["compare", "--db", db, "--no-run", "--json", "--sort", "size", "--limit", "1"]) == 0
    assert _json_lines(capsys.readouterr().out) == every[:1]
    assert main(["compare", "--db", db, "--no-run", "--sort", "size", "--limit", "1"]) == 0
    assert capsys.readouterr().err.strip().splitlines()[-1] == "1 group"


def test_compare_filters_follow_the_claim_filter(db, capsys):
    assert main(["compare", "--db", db, "--json", "--kind", "force_size"]) == 0
    groups = _json_lines(capsys.readouterr().out)
    assert groups and all(g["kind"] == "force_size" for g in groups)


def test_decisions_from_the_command_line_persist(db, capsys):
    main(["compare", "--db", db, "--json"])
    school = _school(_json_lines(capsys.readouterr().out))
    claim = next(m["claim_id"] for m in school["members"] if m["quote"] == "about 60 pupils")
    assert main(["compare", "split", str(claim), "--reviewer", "ana", "--db", db, "--json"]) == 0
    alone = _json_lines(capsys.readouterr().out)[0]
    assert [m["quote"] for m in alone["members"]] == ["about 60 pupils"]
    assert main(["compare", "rule", str(school["group"]), "--rule", "reviewer", "--best", "58",
                 "--rationale", "hospital list", "--reviewer", "ana", "--db", db]) == 0
    shown = capsys.readouterr().out
    assert "reconciled (reviewer): low 58, best 58, high 58" in shown and "hospital list" in shown
    main(["compare", "--db", db, "--json"])
    groups = _json_lines(capsys.readouterr().out)
    again = _school(groups)
    assert again["group"] == school["group"] and again["rule"] == "reviewer" and again["best"] == 58
    assert "about 60 pupils" not in [m["quote"] for m in again["members"]]
    assert main(["compare", "move", str(claim), "--to", str(school["group"]), "--reviewer", "ben", "--db", db]) == 0
    capsys.readouterr()
    assert main(["compare", "log", "--db", db, "--json"]) == 0
    log = _json_lines(capsys.readouterr().out)
    assert [(d["action"], d["reviewer"]) for d in log] == [("split", "ana"), ("rule", "ana"), ("move", "ben")]


@pytest.mark.parametrize("before", [True, False])
def test_db_and_json_given_before_the_action_reach_it(db, capsys, tmp_path, monkeypatch, before):
    # "compare --db X log" must read X, never the default store in the working directory
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CLAIMS_DB_URL", raising=False)
    main(["compare", "--db", db, "--json"])
    school = _school(_json_lines(capsys.readouterr().out))
    claim = next(m["claim_id"] for m in school["members"] if m["quote"] == "about 60 pupils")
    opts = ["--db", db, "--json"]
    argv = ["compare", *opts, "split", str(claim), "--reviewer", "ana"] if before else \
        ["compare", "split", str(claim), "--reviewer", "ana", *opts]
    assert main(argv) == 0
    assert [m["quote"] for m in _json_lines(capsys.readouterr().out)[0]["members"]] == ["about 60 pupils"]
    assert main(["compare", "--db", db, "--json", "log"]) == 0
    assert [d["action"] for d in _json_lines(capsys.readouterr().out)] == ["split"]
    assert not (tmp_path / "data").exists()


def test_show_prints_the_ledger(db, capsys):
    main(["compare", "--db", db, "--json"])
    school = _school(_json_lines(capsys.readouterr().out))
    assert main(["compare", "show", str(school["group"]), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Coastline Post" in out and "wire" in out and "~60" in out


@pytest.mark.parametrize("argv,code,message", [
    (["compare", "show", "99999"], 2, "no group 99999"),
    (["compare", "split", "99999", "--reviewer", "ana"], 2, "no claim 99999"),
    (["compare", "merge", "1", "--reviewer", "ana"], 2, "at least two"),
    (["compare", "rule", "1", "--rule", "reviewer", "--best", "lots", "--reviewer", "ana"], 2, "best: not a number"),
    (["compare", "merge", "1", "2"], 2, "--reviewer"),
])
def test_bad_input_exits_2_with_a_message(db, capsys, argv, code, message):
    main(["compare", "--db", db, "--json"])
    capsys.readouterr()
    assert main(argv + ["--db", db]) == code
    assert message in capsys.readouterr().err
