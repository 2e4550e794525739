"""Concurrent review writes from several processes lose nothing, on SQLite and PostgreSQL.

The writers and the invariant checks live in testkit/stress.py (the
``python -m bench stress`` script runs them at 8 x 200); here they run
at 8 x 50 so the suite stays quick, and every invariant is asserted.
"""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from testkit import stress
from claims.store import Store, review_history, reviews

pytest_plugins = ["tests.conftest_browser"]

@pytest.mark.slow
def test_eight_processes_lose_no_review(db_url):
    ids = stress.prepare(db_url, claims=10, seed=3)
    assert len(ids) >= 8
    rep = stress.run(db_url, processes=8, writes=50, claim_ids=ids, seed=3)
    problems = stress.check(db_url, rep)

    assert len(rep.results) == 8 * 50, "every worker reported every write"
    assert problems == []
    assert rep.count("error") == 0, [r.error for r in rep.results if r.outcome == "error"][:3]
    # a busy database may be reported (StoreError) but never silently: none expected at this load
    assert rep.count("failed") == 0, [r.error for r in rep.results if r.outcome == "failed"][:3]
    stale = [r for r in rep.results if r.kind == "stale"]
    assert stale and all(r.outcome == "conflict" for r in stale)
    assert all(r.outcome == "accepted" for r in rep.results if r.kind == "blind")
    assert rep.count("accepted") > 100
    # the database agrees with the writers' own tally
    with Store(db_url, migrate=False) as s:
        total_versions = sum(s.get_claim(i).version for i in set(ids))
        with s.read() as conn:
            note_rows = conn.execute(sa.select(sa.func.count()).select_from(review_history)
                                     .where(review_history.c.field == "note")).scalar_one()
    assert total_versions == rep.count("accepted") == note_rows


def test_checker_catches_a_lost_or_overwritten_review(sqlite_url):
    """The invariant check is not vacuous: tampering with the result is reported."""
    ids = stress.prepare(sqlite_url, claims=4, seed=5)
    rep = stress.run(sqlite_url, processes=2, writes=15, claim_ids=ids, seed=5)
    assert stress.check(sqlite_url, rep) == []
    accepted = next(r for r in rep.results if r.outcome == "accepted")
    with Store(sqlite_url, migrate=False) as s:
        with s.write() as conn:  # lose one accepted write's history row
            conn.execute(review_history.delete().where(review_history.c.field == "note",
                                                       review_history.c.new == sa.func.json_quote(accepted.note)))
    problems = stress.check(sqlite_url, rep)
    assert any(accepted.note in p and "0 times" in p for p in problems), problems


def test_checker_catches_a_final_state_that_is_not_the_last_write(sqlite_url):
    ids = stress.prepare(sqlite_url, claims=4, seed=6)
    rep = stress.run(sqlite_url, processes=2, writes=15, claim_ids=ids, seed=6)
    assert stress.check(sqlite_url, rep) == []
    cid = next(r.claim_id for r in rep.results if r.outcome == "accepted")
    with Store(sqlite_url, migrate=False) as s:
        with s.write() as conn:  # an overwrite that bypassed the versioned update
            conn.execute(reviews.update().where(reviews.c.claim_id == cid).values(note="silently overwritten"))
    problems = stress.check(sqlite_url, rep)
    assert any(f"claim {cid}: final state" in p for p in problems), problems


def test_percentile_is_nearest_rank():
    xs = sorted(float(i) for i in range(1, 101))
    assert stress.percentile(xs, 95) == 95.0
    assert stress.percentile(xs, 50) == 50.0
    assert stress.percentile([], 95) == 0.0
    assert stress.percentile([7.0], 99) == 7.0


def _rows(url: str) -> dict[str, list[dict]]:
    """Return every row of the claim tables, minus ids and timestamps that legitimately differ."""
    from claims.store import claims, documents, publishers

    drop = {"id", "ingested_at", "reviewed_at", "at", "document_id", "claim_id", "publisher_id"}
    out = {}
    with Store(url, migrate=False) as s, s.read() as conn:
        for t, order in ((documents, documents.c.content_hash), (publishers, publishers.c.name),
                         (claims, claims.c.fingerprint), (reviews, reviews.c.claim_id),
                         (review_history, review_history.c.fingerprint)):
            out[t.name] = [{k: v for k, v in r.items() if k not in drop}
                           for r in conn.execute(sa.select(t).order_by(order, *t.primary_key.columns)).mappings()]
    return out


def _derived(url: str) -> dict[str, object]:
    """Return what the search index and counts tables hold and the schema objects that keep them, ids mapped away."""
    from claims.model import ClaimFilter
    from claims.store import COUNT_TABLES, claims
    from testkit import counts

    out: dict[str, object] = {}
    with Store(url, migrate=False) as s, s.read() as conn:
        # claim_counts and the per-day counts (0017), summed per combination, publishers by name
        out["counts"] = {t.name: counts.kept(conn, t) for t in COUNT_TABLES}
        fp = dict(conn.execute(sa.select(claims.c.id, claims.c.fingerprint)).all())
        if s.dialect == "sqlite":
            conn.exec_driver_sql("INSERT INTO claims_fts(claims_fts, rank) VALUES ('integrity-check', 1)")
            conn.exec_driver_sql("CREATE VIRTUAL TABLE temp.fts_terms USING fts5vocab(main, claims_fts, instance)")
            out["index"] = sorted((fp[doc], term, offset) for term, doc, offset in conn.exec_driver_sql(
                "SELECT term, doc, offset FROM temp.fts_terms").all())
            conn.exec_driver_sql("DROP TABLE temp.fts_terms")
            out["schema"] = conn.exec_driver_sql(
                "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").all()
        else:
            out["index"] = conn.exec_driver_sql(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname").all()
            out["schema"] = conn.exec_driver_sql(
                "SELECT tgname, tgenabled, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal "
                "ORDER BY tgname").all()
    with Store(url, migrate=False) as s:  # searches read the index: same claims found
        words = ("kestrel", "said", "killed", "police", "ministry", "zzzz-none")
        out["found"] = [sorted(r.fingerprint for r in s.iter_claims(ClaimFilter(text=w))) for w in words]
    return out


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_scale_bulk_loader_writes_what_the_store_writes(backend, request):
    """The million-claim benchmark's bulk loader must produce the rows Store.add_document + Store.review do."""
    from testkit import bulk
    from testkit.corpus import EXTRACTOR_VERSION, documents

    bulk_url = request.getfixturevalue("sqlite_url" if backend == "sqlite" else "pg_url")
    # a second database for the reference (pg_url is one database per test: asking again returns the same one)
    ref_url = (bulk_url.replace("claims.db", "ref.db") if backend == "sqlite"
               else request.getfixturevalue("pg_cluster").create_database(f"ref_{uuid.uuid4().hex[:12]}"))
    assert ref_url != bulk_url
    rep = bulk.build(bulk_url, claims=400, seed=4, batch_documents=7)
    assert rep.claims == 400 and rep.reviewed > 50
    with Store(bulk_url, migrate=False) as bulk:
        verdicts = {r.fingerprint: (r.verdict.value, r.reviewer) for r in bulk.iter_claims(None)}
    with Store(ref_url) as ref:
        for doc, found in documents(claims=400, seed=4):
            ref.add_document(doc, found, extractor_version=EXTRACTOR_VERSION)
        for r in list(ref.iter_claims(None)):
            verdict, who = verdicts[r.fingerprint]
            if who:
                ref.review(r.id, verdict=verdict, reviewer=who)
        new = ref.count_claims(None)
    assert new == 400
    got, want = _rows(bulk_url), _rows(ref_url)
    assert got.keys() == want.keys()
    for table in want:
        assert got[table] == want[table], table
    # the search index and claim counts, rebuilt in one pass after the load, equal those kept row by row,
    # and the triggers and indexes that keep them are back as they were
    got, want = _derived(bulk_url), _derived(ref_url)
    assert got.keys() == want.keys()
    for part in want:
        assert got[part] == want[part], part
    assert all(want["counts"].values()) and want["index"]
    # ids the bulk loader set by hand leave the sequences usable: the Store can add more afterwards
    with Store(bulk_url, migrate=False) as bulk:
        doc, found = next(documents(claims=5, seed=99))
        doc_id, created = bulk.add_document(doc, found, extractor_version="x")
        assert created and bulk.get_document(doc_id).claim_count == len(found)


# ---------------------------------------------------------------- two dashboard servers, one PostgreSQL
ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def _button(page, name: str):
    """Return the button labelled ``name`` (its accessible name may end with its keyboard shortcut)."""
    import re

    return page.get_by_role("button", name=re.compile(rf"^{re.escape(name)}( Shortcut \S+)?$"))


def _open_claim(browser, base: str, cid: int, reviewer: str):
    from tests import browser_util as bu

    page = browser.new_context(viewport={"width": 1440, "height": 1100}).new_page()
    bu.goto(page, f"{base}/?claim={cid}")
    bu.set_reviewer(page, reviewer)
    _button(page, "Verified").wait_for()
    return page


def _save(page, *, note: str, verdict: str) -> None:
    from tests import browser_util as bu

    box = page.get_by_role("textbox", name="Note")
    box.fill(note)
    box.press("Tab")
    bu.wait_idle(page)
    _button(page, verdict).click()
    bu.wait_idle(page)


@pytest.mark.browser
@pytest.mark.postgres
@pytest.mark.slow
def test_two_dashboard_servers_on_one_postgresql_keep_each_others_work(pg_url, request):
    """Two streamlit servers, one database, one reviewer on each: nobody's save is lost or silently overwritten."""
    from claims.ingest import ingest_paths
    from tests import browser_util as bu

    browser = request.getfixturevalue("chromium_browser")
    serve = request.getfixturevalue("serve_dashboard")
    with Store(pg_url) as s:
        assert ingest_paths(s, [ROOT / "seeds"]).ok
        x, y, z = [r.id for r in s.query_claims(None, limit=3)]
    server_a, server_b = serve(pg_url), serve(pg_url)
    assert server_a != server_b

    # both reviewers open claim z at version 0
    ana = _open_claim(browser, server_a, z, "Ana Reviewer")
    ben = _open_claim(browser, server_b, z, "Ben Reviewer")
    _save(ana, note="Ana: matches the hospital list", verdict="Verified")
    ana.get_by_text("Saved: Verified").wait_for()
    # Ben's screen still shows version 0: his save must be refused, not written over Ana's
    _save(ben, note="Ben: the ministry says otherwise", verdict="Disputed")
    ben.get_by_text("saved this claim while you were reviewing it").wait_for()
    with Store(pg_url, migrate=False) as s:
        rec = s.get_claim(z)
    assert (rec.verdict.value, rec.reviewer, rec.note, rec.version) == (
        "verified", "Ana Reviewer", "Ana: matches the hospital list", 1)
    # Ben has seen both and keeps his: a new version on top, Ana's stays in the history
    _button(ben, "Keep mine").click()
    bu.wait_idle(ben)

    # meanwhile each edits a different claim on their own server
    ana_x = _open_claim(browser, server_a, x, "Ana Reviewer")
    ben_y = _open_claim(browser, server_b, y, "Ben Reviewer")
    _save(ana_x, note="Ana on x", verdict="Unverifiable")
    _save(ben_y, note="Ben on y", verdict="False")
    ana_x.get_by_text("Saved: Unverifiable").wait_for()
    ben_y.get_by_text("Saved: False").wait_for()

    # each server shows the other's work (no stale copy hides it from a fresh page)
    ana_y = _open_claim(browser, server_a, y, "Ana Reviewer")
    ana_y.get_by_text("reviewed by Ben Reviewer", exact=False).first.wait_for()
    ben_x = _open_claim(browser, server_b, x, "Ben Reviewer")
    ben_x.get_by_text("reviewed by Ana Reviewer", exact=False).first.wait_for()

    with Store(pg_url, migrate=False) as s:
        got = {c: s.get_claim(c) for c in (x, y, z)}
        hist = s.history(z)
    assert (got[x].verdict.value, got[x].reviewer, got[x].note) == ("unverifiable", "Ana Reviewer", "Ana on x")
    assert (got[y].verdict.value, got[y].reviewer, got[y].note) == ("false", "Ben Reviewer", "Ben on y")
    assert (got[z].verdict.value, got[z].reviewer, got[z].note, got[z].version) == (
        "disputed", "Ben Reviewer", "Ben: the ministry says otherwise", 2)
    notes = [(h.version, h.new) for h in hist if h.field == "note"]
    assert notes == [(1, "Ana: matches the hospital list"), (2, "Ben: the ministry says otherwise")]
    for p in (ana, ben, ana_x, ben_y, ana_y, ben_x):
        p.context.close()


@pytest.mark.slow
def test_two_review_mode_loses_no_verdict(db_url):
    """Every write is one reviewer's verdict: each is kept once, per reviewer, and the claim follows the rule."""
    ids = stress.prepare(db_url, claims=8, seed=4, reviews_required=2)
    rep = stress.run(db_url, processes=6, writes=40, claim_ids=ids, seed=4)
    assert rep.reviews_required == 2
    problems = stress.check(db_url, rep)
    assert problems == []
    assert rep.count("error") == 0 and rep.count("failed") == 0
    assert rep.count("accepted") > 100
    stale = [r for r in rep.results if r.kind == "stale"]
    assert stale and all(r.outcome == "conflict" for r in stale)


def test_two_review_checker_catches_a_lost_verdict(sqlite_url):
    from claims.team.schema import review_votes

    ids = stress.prepare(sqlite_url, claims=4, seed=7, reviews_required=2)
    rep = stress.run(sqlite_url, processes=2, writes=15, claim_ids=ids, seed=7)
    assert stress.check(sqlite_url, rep) == []
    with Store(sqlite_url, migrate=False) as s:
        with s.write() as conn:  # one reviewer's stored verdict vanishes
            victim = conn.execute(sa.select(review_votes.c.claim_id, review_votes.c.reviewer).limit(1)).first()
            conn.execute(review_votes.delete().where(review_votes.c.claim_id == victim.claim_id,
                                                     review_votes.c.reviewer == victim.reviewer))
    problems = stress.check(sqlite_url, rep)
    assert any(f"claim {victim.claim_id}: stored verdicts" in p for p in problems), problems
