"""Stored groups and reviewers' decisions, on SQLite and PostgreSQL: merge/split/move/rule survive re-runs."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from claims.compare import persist
from claims.compare.persist import compare_decisions, compare_groups
from claims.errors import BadInputError, NotFoundError
from claims.model import ClaimFilter
from tests import compare_articles as A


def _fill(store, articles=A.ALL):
    ids = {}
    for a in articles:
        doc_id, _ = store.add_document(a.document(), a.claim_objects(), extractor_version="test")
        ids[a.key] = doc_id
    return ids


def _claim(store, quote, publisher=None):
    for r in store.query_claims(ClaimFilter(), limit=None):
        if r.claim.quote == quote and (publisher is None or r.publisher == publisher):
            return r
    raise AssertionError(quote)


def _group_with(store, quote, publisher=None):
    g = persist.group_of_claim(store, _claim(store, quote, publisher).id)
    assert g is not None
    return g


def _quotes(g):
    return sorted(m.claim.quote for m in g.members)


def test_compare_groups_one_event_across_outlets_and_keeps_the_unrelated_apart(store):
    _fill(store)
    run = persist.run_compare(store)
    assert run.claims == sum(len(a.claims) for a in A.ALL)
    school = _group_with(store, "41 children")
    assert _quotes(school) == ["41 children", "58 students", "58 students", "about 60 pupils"]
    assert _group_with(store, "12 people").id != school.id
    assert school.reconciled.independent_sources == 3  # the Coastline Post reprint counts once
    assert school.reconciled.discrepancy
    listed = persist.list_groups(store)
    assert school.id in [g.id for g in listed]
    assert all(len(g.members) >= 2 for g in listed)
    assert [g.id for g in persist.discrepancies(store)][0] == school.id


def test_group_ids_are_stable_across_reruns(store):
    _fill(store)
    persist.run_compare(store)
    before = {g.id: _quotes(g) for g in persist.list_groups(store, min_size=1)}
    persist.run_compare(store)
    after = {g.id: _quotes(g) for g in persist.list_groups(store, min_size=1)}
    assert before == after


def test_split_move_merge_and_rule_survive_a_rerun(store):
    _fill(store)
    persist.run_compare(store)
    school = _group_with(store, "41 children")
    pupils = _claim(store, "about 60 pupils")
    # split the anniversary piece out, then decide it belongs after all by moving it back
    alone = persist.split(store, pupils.id, reviewer="ana")
    assert _quotes(alone) == ["about 60 pupils"]
    assert "about 60 pupils" not in _quotes(persist.get_group(store, school.id))
    # merge the (wrongly separate) older attack into the school group
    older = _group_with(store, "9 students")
    merged = persist.merge(store, [school.id, older.id], reviewer="ben")
    assert "9 students" in _quotes(merged)
    ruled = persist.set_rule(store, merged.id, rule="conservative", reviewer="ben")
    assert ruled.rule == "conservative" and ruled.reconciled.best == 9

    persist.run_compare(store)
    again = _group_with(store, "41 children")
    assert "9 students" in _quotes(again)             # merge replayed
    assert "about 60 pupils" not in _quotes(again)    # split replayed
    assert again.rule == "conservative"               # rule replayed
    assert again.rule_reviewer == "ben"
    assert _quotes(_group_with(store, "about 60 pupils")) == ["about 60 pupils"]

    moved = persist.move(store, pupils.id, to=again.id, reviewer="ana")
    assert "about 60 pupils" in _quotes(moved)
    persist.run_compare(store)
    assert "about 60 pupils" in _quotes(_group_with(store, "41 children"))  # move replayed after split


def test_decisions_are_logged_with_reviewer_and_time(store):
    _fill(store)
    persist.run_compare(store)
    school = _group_with(store, "41 children")
    persist.split(store, _claim(store, "41 children").id, reviewer="ana")
    log = persist.decisions(store)
    assert [(d["action"], d["reviewer"]) for d in log] == [("split", "ana")]
    assert log[0]["at"]
    with store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(compare_decisions)).scalar() == 1
    assert persist.get_group(store, school.id) is not None


def test_reviewer_rule_needs_figure_and_rationale_and_is_replayed(store):
    _fill(store)
    persist.run_compare(store)
    school = _group_with(store, "41 children")
    with pytest.raises(BadInputError, match="rationale"):
        persist.set_rule(store, school.id, rule="reviewer", best=58, reviewer="ana")
    with pytest.raises(BadInputError, match="best"):
        persist.set_rule(store, school.id, rule="reviewer", rationale="x", reviewer="ana")
    with pytest.raises(BadInputError, match="low <= best <= high"):
        persist.set_rule(store, school.id, rule="reviewer", best=58, low=60, rationale="x", reviewer="ana")
    g = persist.set_rule(store, school.id, rule="reviewer", best="58", low=41, high=60,
                         rationale="Hospital list of names", reviewer="ana")
    assert (g.reconciled.low, g.reconciled.best, g.reconciled.high) == (41, 58, 60)
    persist.run_compare(store)
    g = _group_with(store, "41 children")
    assert (g.rule, g.reconciled.best, g.reconciled.rationale) == ("reviewer", 58, "Hospital list of names")


def test_decisions_survive_reextraction_by_fingerprint(store):
    ids = _fill(store)
    persist.run_compare(store)
    pupils = _claim(store, "about 60 pupils")
    persist.split(store, pupils.id, reviewer="ana")
    # re-extract the anniversary article: same spans, so same fingerprints, possibly new claim ids
    store.replace_claims(ids[A.ANNIVERSARY.key], A.ANNIVERSARY.claim_objects(), extractor_version="test-2")
    persist.run_compare(store)
    assert _quotes(_group_with(store, "about 60 pupils")) == ["about 60 pupils"]


def test_bad_decisions_are_refused_and_change_nothing(store):
    _fill(store)
    persist.run_compare(store)
    school = _group_with(store, "41 children")
    strength = _group_with(store, "about 2,000 fighters")
    with pytest.raises(BadInputError, match="reviewer"):
        persist.split(store, _claim(store, "41 children").id, reviewer="  ")
    with pytest.raises(BadInputError, match="different kinds"):
        persist.merge(store, [school.id, strength.id], reviewer="ana")
    with pytest.raises(BadInputError, match="force_size claim"):
        persist.move(store, _claim(store, "about 2,000 fighters").id, to=school.id, reviewer="ana")
    with pytest.raises(NotFoundError):
        persist.merge(store, [school.id, 999999], reviewer="ana")
    with pytest.raises(NotFoundError):
        persist.split(store, 999999, reviewer="ana")
    with pytest.raises(BadInputError, match="rule must be"):
        persist.set_rule(store, school.id, rule="loudest", reviewer="ana")
    assert persist.decisions(store) == []
    assert _quotes(persist.get_group(store, school.id)) == _quotes(school)


def test_stale_decisions_are_counted_not_fatal(store):
    _fill(store, [A.VALDORIA, A.EASTERN])
    persist.run_compare(store)
    with store.write() as conn:
        conn.execute(sa.insert(compare_decisions).values(
            action="split", reviewer="ana", at=persist._now(), fingerprint="0" * 32, fingerprints=["0" * 32]))
    run = persist.run_compare(store)
    assert run.decisions_stale == 1


def test_filter_and_sort_groups(store):
    _fill(store)
    persist.run_compare(store)
    only = persist.list_groups(store, flt=ClaimFilter(publishers=["Coastline Post"]))
    assert only and all(any(m.publisher == "Coastline Post" for m in g.members) for g in only)
    by_size = persist.list_groups(store, sort="size", min_size=1)
    assert [len(g.members) for g in by_size] == sorted((len(g.members) for g in by_size), reverse=True)
    with pytest.raises(BadInputError):
        persist.list_groups(store, sort="loudness")


def test_empty_store_compares_to_nothing(store):
    run = persist.run_compare(store)
    assert (run.claims, run.groups) == (0, 0)
    assert persist.list_groups(store) == []
    assert persist.get_group(store, 1) is None
    with store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(compare_groups)).scalar() == 0


def test_summaries_follow_reviews_made_after_the_run(store):
    from claims.model import Verdict

    _fill(store)
    persist.run_compare(store)
    school = _group_with(store, "41 children")
    before = next(s for s in persist.list_summaries(store) if s.id == school.id)
    assert (before.low, before.reports, before.discrepancy) == (41, 4, True)
    store.review(_claim(store, "41 children").id, verdict=Verdict.FALSE, reviewer="ana")
    after = next(s for s in persist.list_summaries(store) if s.id == school.id)
    assert (after.low, after.reports, after.discrepancy) == (58, 3, False)  # 58, 58, ~60 agree


def test_decisions_refresh_the_summaries_they_touch(store):
    _fill(store)
    persist.run_compare(store)
    school = _group_with(store, "41 children")
    persist.split(store, _claim(store, "about 60 pupils").id, reviewer="ana")
    rows = {s.id: s for s in persist.list_summaries(store, min_size=1)}
    assert (rows[school.id].size, rows[school.id].high) == (3, 58)
    persist.set_rule(store, school.id, rule="conservative", reviewer="ana")
    assert next(s for s in persist.list_summaries(store) if s.id == school.id).best == 41


@pytest.fixture(params=["sqlite_url", "pg_url"])
def any_url(request):
    return request.getfixturevalue(request.param)


def test_summary_migration_upgrades_a_database_holding_groups(any_url):
    """0005 adds the summary columns to a compare_groups table that already has rows and members."""
    from alembic import command
    from alembic.config import Config

    from claims.store import MIGRATIONS_DIR, Store

    store = Store(any_url, migrate=False)
    try:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        cfg.set_main_option("path_separator", "os")
        with store.write() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0004")  # the schema before summaries, with groups in it
            conn.execute(sa.text("INSERT INTO compare_groups (id, kind, label, rule, computed_at) "
                                 "VALUES (7, 'casualties', 'old group', 'latest', :at)"), {"at": persist._now()})
            conn.execute(sa.text("INSERT INTO compare_members (fingerprint, group_id, manual) "
                                 "VALUES ('f' , 7, :m)"), {"m": False})
        store.migrate()  # to head with the group in place
        with store.read() as conn:
            row = conn.execute(sa.select(compare_groups).where(compare_groups.c.id == 7)).one()
        assert (row.label, row.rule, row.size, row.refreshed_at) == ("old group", "latest", 0, None)
    finally:
        store.close()

def test_missing_summaries_are_filled_in_on_listing(store):
    _fill(store)
    persist.run_compare(store)
    school = _group_with(store, "41 children")
    with store.write() as conn:  # as the 0005 upgrade leaves groups stored before it
        conn.execute(sa.update(compare_groups).values(size=0, reports=0, refreshed_at=None))
    row = next(s for s in persist.list_summaries(store) if s.id == school.id)
    assert (row.size, row.reports, row.low, row.high) == (4, 4, 41, 60)


def test_compare_reads_whose_strength_from_the_stored_text(store):
    """'its strength' after claimless sentences naming the group: Compare reads the stored document text."""
    from claims.extract import extract
    from claims.model import DocumentIn
    from tests.test_compare_whose_strength import SECTIONS

    for n, (outlet, published, text, _) in enumerate(SECTIONS):
        doc = DocumentIn(text=text, title=None, publisher=outlet, published=published, filename=f"s{n}.txt")
        store.add_document(doc, list(extract(text, published=published)), extractor_version="test")
    persist.run_compare(store)
    tlc = _group_with(store, "an estimated 900 militants")
    assert _quotes(tlc) == ["about 1,000 militants", "an estimated 900 militants"]
