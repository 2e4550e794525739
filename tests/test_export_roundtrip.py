"""Import: round trip export -> import -> export is identical; conflicts are listed; bad input writes nothing."""
from __future__ import annotations

import json

import pytest

from claims.errors import BadInputError, ConflictError
from claims.export import export_to, import_file
from claims.export.fields import FIELDS
from claims.model import Verdict
from claims.store import Store
from tests.test_export_fixtures import reviewed_store

LOCAL = {f.name for f in FIELDS if f.local}


def _json_export(store, path) -> dict:
    export_to(store, None, fmt="json", path=path, groups=None)
    return json.loads(path.read_text(encoding="utf-8"))


def _portable(data: dict) -> tuple[list, list]:
    """Return claims (without store-local ids, keyed by fingerprint) and documents, in a stable order."""
    claims = sorted(({k: v for k, v in c.items() if k not in LOCAL} for c in data["claims"]),
                    key=lambda c: c["fingerprint"])
    return claims, sorted(data["documents"], key=lambda d: d["content_hash"])


@pytest.fixture
def target(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'target.db'}")
    yield s
    s.close()


@pytest.mark.parametrize("fmt", ["json", "jsonl", "bundle"])
def test_round_trip_is_identical(store, target, tmp_path, fmt):
    reviewed_store(store)
    first = _json_export(store, tmp_path / "first.json")
    path = tmp_path / f"set.{ 'zip' if fmt == 'bundle' else fmt}"
    export_to(store, None, fmt=fmt, path=path, groups=None)
    rep = import_file(target, path)
    assert (rep.documents_added, rep.claims_added, rep.conflicts) == (3, 9, [])
    again = _json_export(target, tmp_path / "again.json")
    assert _portable(again) == _portable(first)
    # every review kept its reviewer, time, version and whole history
    reviewed = [c for c in first["claims"] if c["version"] > 0]
    assert reviewed and all(c["history"] for c in reviewed)
    assert any(c["version"] >= 2 for c in reviewed)
    # importing the same file again changes nothing
    rep2 = import_file(target, path)
    assert (rep2.documents_added, rep2.claims_added, rep2.history_added, rep2.conflicts) == (0, 0, 0, [])
    assert _portable(_json_export(target, tmp_path / "third.json")) == _portable(first)


def test_import_into_postgres_from_sqlite(tmp_path, sqlite_url, pg_url):
    src, dst = Store(sqlite_url), Store(pg_url)
    try:
        reviewed_store(src)
        first = _json_export(src, tmp_path / "a.json")
        import_file(dst, tmp_path / "a.json")
        assert _portable(_json_export(dst, tmp_path / "b.json")) == _portable(first)
    finally:
        src.close()
        dst.close()


def test_disagreeing_verdicts_are_listed_not_overwritten(store, target, tmp_path):
    ids = reviewed_store(store)
    export_to(store, None, fmt="json", path=tmp_path / "a.json", groups=None)
    import_file(target, tmp_path / "a.json")
    # the two stores now diverge on one claim's verdict, on another's note only, and agree on a third
    # that has an extra step (another reviewer confirmed it) in the source's history
    fp_of = {r.fingerprint: r for r in target.iter_claims(None)}
    src_rec = store.get_claim(ids["s1.txt:7 soldiers"])
    tgt = fp_of[src_rec.fingerprint]
    store.review(src_rec.id, verdict=Verdict.FALSE, reviewer="ben", note="only 5")
    target.review(tgt.id, verdict=Verdict.VERIFIED, reviewer="cy")
    noted = store.get_claim(ids[next(k for k in sorted(ids) if k.startswith("hostile.txt")
                                     and k != "hostile.txt:About 300 fighters")])
    store.review(noted.id, verdict=noted.verdict, reviewer="ana", note="a different note")
    same = store.get_claim(ids["hostile.txt:About 300 fighters"])
    store.review(same.id, verdict=Verdict.VERIFIED, reviewer="ben")
    before = target.get_claim(tgt.id)
    noted_before = target.get_claim(fp_of[noted.fingerprint].id)
    t_same = fp_of[same.fingerprint]
    same_before = target.get_claim(t_same.id)
    export_to(store, None, fmt="jsonl", path=tmp_path / "b.jsonl", groups=None)
    rep = import_file(target, tmp_path / "b.jsonl")
    assert sorted((c.fingerprint, c.ours_verdict, c.theirs_verdict, c.fields) for c in rep.conflicts) == sorted([
        (src_rec.fingerprint, "verified", "false", ["verdict", "note"]),
        (noted.fingerprint, noted.verdict.value, noted.verdict.value, ["note"])])
    after = target.get_claim(tgt.id)
    assert (after.verdict, after.reviewer, after.version, after.note) == \
        (before.verdict, before.reviewer, before.version, before.note)
    noted_after = target.get_claim(noted_before.id)
    assert (noted_after.note, noted_after.version) == (noted_before.note, noted_before.version)
    # the agreeing claim keeps its current review and gains the other store's new step as its next version
    same_after = target.get_claim(t_same.id)
    assert (same_after.reviewer, same_after.note) == (same_before.reviewer, same_before.note)
    assert same_after.version == same_before.version + 1
    hist = target.history(t_same.id)
    assert [(h.version, h.new) for h in hist if h.field == "reviewer"][-1] == (same_after.version, "ben")
    assert sorted({h.version for h in hist}) == list(range(1, same_after.version + 1))  # one sequence
    # importing the same file again adds nothing
    rep2 = import_file(target, tmp_path / "b.jsonl")
    assert rep2.history_added == 0 and target.get_claim(t_same.id).version == same_after.version
    # strict: nothing at all is written when any verdict conflicts
    store.review(ids["s0.txt:one month"], verdict=Verdict.VERIFIED, reviewer="ben")
    export_to(store, None, fmt="json", path=tmp_path / "c.json", groups=None)
    n_hist = sum(len(target.history(r.id)) for r in target.iter_claims(None))
    with pytest.raises(ConflictError):
        import_file(target, tmp_path / "c.json", strict=True)
    assert sum(len(target.history(r.id)) for r in target.iter_claims(None)) == n_hist


def _break(data: dict, where: str) -> None:
    if where == "verdict":
        data["claims"][4]["verdict"] = "maybe"
    elif where == "text":
        data["documents"][1]["text"] += " edited"
    elif where == "span":
        data["claims"][2]["start"] += 1
    elif where == "history":
        data["claims"][0]["history"][0]["at"] = "yesterday"
    elif where == "correction":
        data["claims"][0]["corrected"] = {"low": "many"}
    elif where == "duplicate":
        data["claims"].append(dict(data["claims"][0]))


@pytest.mark.parametrize("where,message", [
    ("verdict", r"claims\[4\]\.verdict"),
    ("text", r"documents\[1\]\.content_hash"),
    ("span", r"claims\[2\]\.fingerprint"),
    ("history", r"claims\[0\]\.history\[0\]"),
    ("correction", r"claims\[0\]\.corrected\.low"),
    ("duplicate", r"claims\[9\]\.fingerprint: same claim as"),
])
def test_malformed_json_names_the_field_and_imports_nothing(store, target, tmp_path, where, message):
    reviewed_store(store)
    data = _json_export(store, tmp_path / "a.json")
    _break(data, where)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BadInputError, match=message):
        import_file(target, bad)
    assert target.count_documents() == 0 and target.count_claims(None) == 0


def test_malformed_jsonl_names_the_line(store, target, tmp_path):
    reviewed_store(store)
    export_to(store, None, fmt="jsonl", path=tmp_path / "a.jsonl", groups=None)
    lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    lines[6] = lines[6][:-5]  # cut a record short
    (tmp_path / "bad.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="bad.jsonl line 7: not valid JSON"):
        import_file(target, tmp_path / "bad.jsonl")
    assert target.count_claims(None) == 0


def test_failure_while_writing_rolls_everything_back(store, target, tmp_path, monkeypatch):
    reviewed_store(store)
    export_to(store, None, fmt="json", path=tmp_path / "a.json", groups=None)
    real = Store._publisher_id
    calls = {"n": 0}

    def flaky(self, conn, name, **kw):
        calls["n"] += 1
        if calls["n"] == 3:  # the third document's publisher: after two documents were written
            raise RuntimeError("disk full")
        return real(self, conn, name, **kw)

    monkeypatch.setattr(Store, "_publisher_id", flaky)
    with pytest.raises(RuntimeError):
        import_file(target, tmp_path / "a.json")
    assert target.count_documents() == 0 and target.count_claims(None) == 0


_POISON = [None, "", "x", -1, 1.5, True, [], {}, {"a": 1}, "2026-13-45", "f" * 32, "unreviewed"]


def test_any_single_corruption_imports_all_or_nothing(tmp_path):
    """Property: change one field of one record to any value; the import either succeeds or writes nothing."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    src = Store(f"sqlite:///{tmp_path / 'src.db'}")
    reviewed_store(src)
    data = _json_export(src, tmp_path / "a.json")
    src.close()

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(section=st.sampled_from(["claims", "documents"]), index=st.integers(0, 8), key_pick=st.integers(0, 60),
           value=st.sampled_from(_POISON))
    def check(section, index, key_pick, value):
        broken = json.loads(json.dumps(data))
        records = broken[section]
        rec = records[index % len(records)]
        key = sorted(rec)[key_pick % len(rec)]
        rec[key] = value
        path = tmp_path / "broken.json"
        path.write_text(json.dumps(broken), encoding="utf-8")
        target = Store("sqlite://")
        try:
            try:
                rep = import_file(target, path)
            except BadInputError as e:
                assert "nothing was imported" in str(e) or str(path) in str(e)
                assert target.count_documents() == 0 and target.count_claims(None) == 0
            else:
                # accepted: the change was harmless (a store-local id, a metadata field) and everything went in
                assert rep.claims_added == len(broken["claims"]) and target.count_claims(None) == rep.claims_added
        finally:
            target.close()

    check()


def test_group_columns_come_from_stored_compare_groups(store, tmp_path):
    """Before compare runs the group columns are empty; after it, each grouped claim carries its group."""
    from claims.compare import persist

    reviewed_store(store)
    first = _json_export_groups(store, tmp_path / "a.json")
    assert all(c["group_id"] is None for c in first["claims"])
    persist.run_compare(store)
    again = _json_export_groups(store, tmp_path / "b.json")
    grouped = [c for c in again["claims"] if c["group_id"] is not None]
    assert grouped
    for c in again["claims"]:
        g = persist.group_of_claim(store, c["id"])
        if g is None or len(g.members) < 2:
            assert c["group_id"] is None
            continue
        assert c["group_id"] == str(g.id) and c["group_size"] == len(g.members)
        assert c["group_best"] == (None if g.reconciled.best is None else str(g.reconciled.best))
        assert c["group_method"] == g.rule and c["group_label"] == g.label


def _json_export_groups(store, path) -> dict:
    export_to(store, None, fmt="json", path=path)  # groups=True: looked up from compare's tables
    return json.loads(path.read_text(encoding="utf-8"))


def test_corrections_fill_the_figure_columns_and_survive_a_round_trip(tmp_path):
    """Issue 14, bug 2: CSV low/high/attributed_to held the extracted values after a reviewer's correction."""
    import csv

    from tests.test_export_fixtures import plain_documents

    src = Store(f"sqlite:///{tmp_path / 'src.db'}")
    doc, claims = plain_documents()[0]
    doc_id, _ = src.add_document(doc, claims, extractor_version="test-1")
    rec = next(r for r in src.claims_for_document(doc_id) if r.claim.kind.value == "casualties")
    fixes = {"low": 38, "high": 38, "attributed_to": "the provincial hospital", "outcome": "killed"}
    src.review(rec.id, verdict="disputed", reviewer="ana", corrected=fixes)

    csv_path = tmp_path / "set.csv"
    export_to(src, None, fmt="csv", path=csv_path, groups=None)
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["fingerprint"] == rec.fingerprint)
    assert (row["low"], row["high"], row["attributed_to"], row["outcome"]) == (
        "38", "38", "the provincial hospital", "killed")
    assert (row["extracted_low"], row["extracted_high"], row["extracted_attributed_to"],
            row["extracted_outcome"]) == ("40", "40", "police", "injured")

    for fmt in ("json", "jsonl", "bundle"):
        path = tmp_path / f"set.{'zip' if fmt == 'bundle' else fmt}"
        export_to(src, None, fmt=fmt, path=path, groups=None)
        with Store(f"sqlite:///{tmp_path / f'target-{fmt}.db'}") as target:
            rep = import_file(target, path)
            assert (rep.claims_added, rep.conflicts) == (3, [])
            back = target.get_claim(next(r.id for r in target.query_claims(limit=None)
                                         if r.fingerprint == rec.fingerprint))
            assert back.corrected == {"low": 38.0, "high": 38.0, "attributed_to": "the provincial hospital",
                                      "outcome": "killed"}, fmt
            assert (back.claim.low, back.claim.attributed_to, back.claim.outcome.value) == (40, "police", "injured")
            assert _portable(_json_export(target, tmp_path / f"again-{fmt}.json")) == \
                _portable(_json_export(src, tmp_path / "first.json"))
    src.close()
