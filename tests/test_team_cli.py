"""Team review from the command line: config, reviewer, assign, agreement, adjudicate, show, export of final verdicts."""
from __future__ import annotations

import json
import zipfile

import pytest

from tests.test_cli import jsonl, run, seeded  # noqa: F401  (fixtures)
from tests.test_cli import fake_extractor  # noqa: F401


def test_two_review_session_from_the_command_line(seeded, capsys, tmp_path):  # noqa: F811
    db = seeded
    assert run(capsys, "config", "get", "reviews_required", "--db", db)[1].strip() == "1"
    code, out, err = run(capsys, "config", "set", "reviews_required", "2", "--by", "ed", "--db", db)
    assert code == 0 and "reviews_required = 2" in out, err
    code, out, _ = run(capsys, "config", "list", "--json", "--db", db)
    assert {r["name"]: r["value"] for r in jsonl(out)}["reviews_required"] == "2"

    code, out, err = run(capsys, "review", "1", "--verdict", "verified", "--reviewer", "ann", "--db", db)
    assert code == 0 and "needs second" in out, err
    shown = json.loads(run(capsys, "show", "1", "--json", "--reviewer", "bo", "--db", db)[1])
    assert (shown["review_state"], shown["verdict"], shown["votes"], shown["votes_hidden"]) == (
        "needs_second", "unreviewed", [], 1)
    run(capsys, "review", "1", "--verdict", "false", "--reviewer", "bo", "--db", db)
    shown = json.loads(run(capsys, "show", "1", "--json", "--db", db)[1])
    assert shown["review_state"] == "disagreed"
    listed = jsonl(run(capsys, "list", "--review-state", "disagreed", "--json", "--db", db)[1])
    assert [r["id"] for r in listed] == [1]
    assert [(v["reviewer"], v["verdict"]) for v in shown["votes"]] == [("ann", "verified"), ("bo", "false")]

    run(capsys, "review", "2", "--verdict", "verified", "--reviewer", "ann", "--db", db)
    run(capsys, "review", "2", "--verdict", "verified", "--reviewer", "bo", "--db", db)
    run(capsys, "review", "3", "--verdict", "verified", "--reviewer", "ann", "--db", db)

    # ClaimReview and bundles publish final verdicts only, unless --include-pending
    out = run(capsys, "export", "--format", "claimreview", "--db", db)[1]
    assert len(json.loads(out)) == 1
    out = run(capsys, "export", "--format", "claimreview", "--include-pending", "--db", db)[1]
    assert len(json.loads(out)) == 2  # claim 3 with ann's verdict; the disagreed claim 1 has no verdict to publish
    bundle = tmp_path / "b.zip"
    assert run(capsys, "export", "--format", "bundle", "-o", str(bundle), "--db", db)[0] == 0
    with zipfile.ZipFile(bundle) as z:
        manifest = json.loads(z.read("manifest.json"))
    assert manifest["counts"]["claims"] == 2  # claims 1 (disagreed) and 3 (needs second) left out of 4

    # roles: once the table names an editor, a reviewer cannot adjudicate or change settings
    assert run(capsys, "reviewer", "add", "ed", "--role", "editor", "--db", db)[0] == 0
    code, _, err = run(capsys, "adjudicate", "1", "--verdict", "false", "--note", "x", "--by", "ann", "--db", db)
    assert code == 1 and "only editors" in err
    code, _, err = run(capsys, "config", "set", "blind_review", "false", "--by", "ann", "--db", db)
    assert code == 1 and "only editors" in err
    code, _, err = run(capsys, "export", "--format", "claimreview", "--by", "ann", "--db", db)
    assert code == 1 and "only editors may publish" in err
    assert run(capsys, "export", "--format", "csv", "--by", "ann", "--db", db)[0] == 0
    assert run(capsys, "export", "--format", "claimreview", "--by", "ed", "--db", db)[0] == 0
    code, out, err = run(capsys, "adjudicate", "1", "--verdict", "false", "--note", "ministry retracted",
                         "--by", "ed", "--db", db)
    assert code == 0 and "adjudicated by ed" in out, err
    history = [h["field"] for h in jsonl(run(capsys, "history", "1", "--json", "--db", db)[1])]
    assert history.count("vote") == 2 and "adjudication" in history

    out = json.loads(run(capsys, "agreement", "--json", "--db", db)[1])
    pair = out["pairs"][0]
    assert (pair["reviewer_a"], pair["reviewer_b"], pair["n"], pair["agreement"]) == ("ann", "bo", 2, 0.5)


def test_assign_and_the_reviewers_table(seeded, capsys):  # noqa: F811
    db = seeded
    code, out, err = run(capsys, "assign", "--reviewer", "bo", "--limit", "2", "--db", db)
    assert (code, out.strip()) == (0, "assigned 2 claims to bo"), err
    assert run(capsys, "assign", "--reviewer", "bo", "--db", db)[1].strip() == "assigned 2 claims to bo"
    assert run(capsys, "assign", "--reviewer", "bo", "--db", db)[1].strip() == "assigned 0 claims to bo"
    shown = json.loads(run(capsys, "show", "1", "--json", "--db", db)[1])
    assert shown["assigned_to"] == ["bo"]
    code, _, err = run(capsys, "assign", "--db", db)
    assert code == 2 and "--reviewer" in err
    code, _, err = run(capsys, "reviewer", "add", "ann", "--db", db)
    assert code == 2 and "first name" in err
    run(capsys, "reviewer", "add", "ed", "--role", "editor", "--db", db)
    assert run(capsys, "reviewer", "add", "ann", "--by", "ed", "--db", db)[0] == 0
    rows = jsonl(run(capsys, "reviewer", "list", "--json", "--db", db)[1])
    assert [(r["name"], r["role"]) for r in rows] == [("ann", "reviewer"), ("ed", "editor")]


@pytest.mark.parametrize("argv, message", [
    (["config", "set", "reviews_required", "9"], "from 1 to 5"),
    (["config", "get", "nope"], "unknown team setting"),
    (["adjudicate", "1", "--verdict", "false", "--note", "x"], "only disagreements"),
])
def test_team_commands_say_what_is_wrong(seeded, capsys, argv, message):  # noqa: F811
    code, _, err = run(capsys, *argv, "--db", seeded)
    assert code == 2 and message in err
