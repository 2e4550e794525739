"""claim_counts (migration 0015) and the per-day counts (0017) stay exact after every kind of write, on both backends.

After each write path -- ingest, review, re-review, two-review votes and
adjudication, a claim added by hand, document edits, delete-document,
import, re-extraction, plain SQL -- the counts summed per combination must
equal a GROUP BY over the claims rows themselves, and the store's counts
(``count_claims``, ``facets``, ``facet_summary``) must equal the rows they
describe.
"""
from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from claims import team
from claims.documents import delete_document, edit_document
from claims.export import export_to, import_file
from claims.ingest import IngestReport, ingest_paths, reextract_document
from claims.model import Claim, ClaimFilter, DocumentIn, Kind, Outcome
from testkit.claims import claim_at
from testkit.migrations import upgraded_to
from claims.store import COUNT_TABLES, Store, claim_counts, claims as claims_t, reviews
from testkit import counts

FIELDS = ("verdict", "kind", "publisher", "grade", "outcome", "reviewer")
TEXT = "At least 12 people were killed in Ashby on Monday, police said. 3850 fighters gathered near the border."
OTHER = "7 people were injured in Kestrelton, the governor's office said, and 40 were arrested."


def _claims() -> list[Claim]:
    return [claim_at(TEXT, "12 people were killed", kind=Kind.CASUALTIES, low=12, high=12, outcome=Outcome.KILLED,
                   subject="people", attributed_to="police"),
            claim_at(TEXT, "3850 fighters", kind=Kind.FORCE_SIZE, low=3850, high=3850, subject="fighters")]


def _other() -> list[Claim]:
    return [claim_at(OTHER, "7 people were injured", kind=Kind.CASUALTIES, low=7, high=7, outcome=Outcome.INJURED,
                   subject="people"),
            claim_at(OTHER, "40 were arrested", low=40, high=40)]


def _fill(store: Store) -> tuple[int, int]:
    a, _ = store.add_document(DocumentIn(text=TEXT, publisher="Wire", published=dt.date(2024, 3, 1)), _claims(),
                              extractor_version="t-1")
    b, _ = store.add_document(DocumentIn(text=OTHER, publisher="Agency", published=dt.date(2024, 3, 2)), _other(),
                              extractor_version="t-1")
    return a, b


def _consistent(store: Store) -> None:
    """Fail unless each counts table sums to the claims rows' own counts per combination, and the store's counts agree."""
    with store.read() as conn:
        for table in COUNT_TABLES:  # claim_counts and the per-day counts of 0017
            assert counts.kept(conn, table) == counts.truth(conn, table), table.name
    rows = store.query_claims(None, limit=None)
    assert store.count_claims() == len(rows)
    summary = store.facet_summary(None, FIELDS, exact_up_to=0)
    assert not summary.approximate and summary.total == len(rows)
    assert summary.facets == store.facets(None, FIELDS)
    by_hand: dict[str, int] = {}
    for r in rows:
        by_hand[r.verdict.value] = by_hand.get(r.verdict.value, 0) + 1
    assert summary.facets["verdict"] == dict(sorted(by_hand.items(), key=lambda kv: (-kv[1], kv[0])))
    for flt in (ClaimFilter(kinds=["casualties"]), ClaimFilter(publishers=["Wire", "Agency"], verdicts=["disputed"]),
                ClaimFilter(outcomes=["killed"], reviewers=["ann"]),
                ClaimFilter(published_from=dt.date(2024, 3, 2), verdicts=["disputed", "unreviewed"]),
                ClaimFilter(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31), publishers=["Wire"])):
        assert store.count_claims(flt) == len(store.query_claims(flt, limit=None)), flt


def test_counts_follow_ingest_review_and_re_review(store, tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "a.meta.json").write_text('{"publisher": "Wire", "published": "2024-03-01"}')
    (tmp_path / "b.txt").write_text(OTHER)
    ingest_paths(store, [tmp_path])
    assert store.count_claims() > 0
    _consistent(store)
    recs = store.query_claims(None, limit=None)
    store.review(recs[0].id, verdict="disputed", reviewer="ann")
    _consistent(store)
    store.review(recs[0].id, verdict="verified", reviewer="bob", expect_version=store.get_claim(recs[0].id).version)
    store.review(recs[-1].id, verdict="false", reviewer="ann", corrected={"outcome": "killed", "low": 3})
    _consistent(store)
    assert store.facet_summary(ClaimFilter(verdicts=["verified"]), FIELDS).facets["reviewer"] == {"bob": 1}


def test_counts_follow_two_review_votes_and_adjudication(store):
    _fill(store)
    team.set_setting(store, "reviews_required", 2, actor=team.actor_for(store, "ed"))
    cid = store.query_claims(None, limit=1, order="id")[0].id
    store.review(cid, verdict="verified", reviewer="ann")
    _consistent(store)
    assert store.count_claims(ClaimFilter(review_states=["needs_second"])) == 1
    store.review(cid, verdict="false", reviewer="bob")
    _consistent(store)
    assert store.count_claims(ClaimFilter(review_states=["disagreed"])) == 1
    team.adjudicate(store, cid, verdict="false", note="read the source", actor=team.actor_for(store, "ed"))
    _consistent(store)


def test_counts_follow_added_claims_edits_and_deletes(store):
    a, b = _fill(store)
    store.add_claim(a, claim_at(TEXT, "Monday", kind=Kind.DATE), reviewer="ann")
    _consistent(store)
    edit_document(store, b, reviewer="ann", publisher="Wire")
    _consistent(store)
    assert store.facet_summary(None, ("publisher",)).facets["publisher"] == {"Wire": 5}
    store.set_publisher("Wire", grade="B", reviewer="ann")
    assert store.facet_summary(ClaimFilter(grades=["B"]), ("grade",)).facets == {"grade": {"B": 5}}
    store.review(store.query_claims(None, limit=1)[0].id, verdict="disputed", reviewer="ann")
    delete_document(store, a, reviewer="ann")
    _consistent(store)
    delete_document(store, b, reviewer="ann")
    _consistent(store)
    assert store.count_claims() == 0 and store.facet_summary(None, FIELDS).facets["kind"] == {}


def test_counts_follow_reextraction(store):
    a, _ = _fill(store)
    rec = store.query_claims(ClaimFilter(kinds=["force_size"]), limit=1)[0]
    store.review(rec.id, verdict="verified", reviewer="ann")
    store.replace_claims(a, [_claims()[0], claim_at(TEXT, "Monday", kind=Kind.DATE)], extractor_version="t-2")
    _consistent(store)  # the reviewed force size is kept (orphaned), the new date counted
    reextract_document(store, a, report=IngestReport())
    _consistent(store)


def test_counts_follow_import(store, tmp_path):
    src = Store(f"sqlite:///{tmp_path / 'src.db'}")
    try:
        _fill(src)
        rec = src.query_claims(None, limit=1)[0]
        src.review(rec.id, verdict="disputed", reviewer="ann", note="checked")
        export_to(src, None, fmt="json", path=tmp_path / "x.json", groups=None)
    finally:
        src.close()
    _fill(store)
    import_file(store, tmp_path / "x.json")
    _consistent(store)
    assert store.count_claims(ClaimFilter(verdicts=["disputed"])) == 1


def test_counts_follow_plain_sql_writes(store):
    """Scripts and manual SQL keep the counts right too (triggers, not the store's own code)."""
    _fill(store)
    with store.write() as conn:
        cid = conn.execute(sa.select(claims_t.c.id).where(claims_t.c.quote == "3850 fighters")).scalar_one()
        conn.execute(claims_t.update().where(claims_t.c.id == cid).values(kind="figure", outcome="killed"))
        conn.execute(claims_t.update().values(search=claims_t.c.search + " x"))  # no counted column: no change
    _consistent(store)
    with store.write() as conn:
        conn.execute(sa.text("DELETE FROM reviews WHERE claim_id = :c"), {"c": cid})
        conn.execute(claims_t.delete().where(claims_t.c.id == cid))
    _consistent(store)


def test_postgresql_writers_add_delta_rows_that_compaction_folds(pg_url):
    """Writers only insert deltas (no row lock shared between them); compaction keeps what it did not see."""
    with Store(pg_url) as s:
        _fill(s)
        for rec in s.query_claims(None, limit=None):
            s.review(rec.id, verdict="verified", reviewer="ann")
        with s.read() as conn:
            before = conn.execute(sa.select(sa.func.count()).select_from(claim_counts)).scalar_one()
        # a writer holds uncommitted deltas while another process compacts: they survive and count once
        other = Store(pg_url)
        conn = other.engine.connect()
        trans = conn.begin()
        cid = conn.execute(sa.select(claims_t.c.id).order_by(claims_t.c.id).limit(1)).scalar_one()
        conn.execute(reviews.update().where(reviews.c.claim_id == cid).values(verdict="false"))  # copied to claims
        left = s.compact_counts()
        with s.read() as c2:
            after = c2.execute(sa.select(sa.func.count()).select_from(claim_counts)).scalar_one()
        assert left == after < before
        trans.commit()
        conn.close()
        other.close()
        _consistent(s)
        assert s.count_claims(ClaimFilter(verdicts=["false"])) == 1


def test_postgresql_parallel_writers_do_not_wait_on_the_counts(pg_url):
    """Two open transactions inserting claims of the same publisher and kind both proceed (no shared row lock)."""
    with Store(pg_url) as s:
        _fill(s)
        a = Store(pg_url)
        b = Store(pg_url)
        try:
            ca, cb = a.engine.connect(), b.engine.connect()
            ta, tb = ca.begin(), cb.begin()
            cb.execute(sa.text("SET LOCAL lock_timeout = '2s'"))
            cid = s.query_claims(None, limit=2, order="id")
            ca.execute(reviews.update().where(reviews.c.claim_id == cid[0].id).values(verdict="false"))
            cb.execute(reviews.update().where(reviews.c.claim_id == cid[1].id).values(verdict="false"))  # no wait
            ta.commit()
            tb.commit()
            ca.close()
            cb.close()
        finally:
            a.close()
            b.close()
        _consistent(s)
        assert s.count_claims(ClaimFilter(verdicts=["false"])) == 2


def test_reads_compact_a_grown_postgresql_table(pg_url, monkeypatch):
    import claims.store as store_mod

    monkeypatch.setattr(store_mod, "COUNTS_COMPACT_AT", 5)
    with Store(pg_url) as s:
        _fill(s)
        for i, rec in enumerate(s.query_claims(None, limit=None)):
            s.review(rec.id, verdict="verified", reviewer=f"r{i}")
        with s.read() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(claim_counts)).scalar_one() > 5
        s.count_claims()
        with s.read() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(claim_counts)).scalar_one() == 4
        _consistent(s)


def test_concurrent_reviews_keep_counts_exact(db_url):
    """Reviews from several threads at once (SQLite queues them, PostgreSQL runs them side by side)."""
    with Store(db_url) as s:
        for i in range(4):
            s.add_document(DocumentIn(text=f"{i}: " + TEXT, publisher="Wire"), [
                claim_at(f"{i}: " + TEXT, "12 people were killed", kind=Kind.CASUALTIES, low=12, high=12,
                       outcome=Outcome.KILLED)], extractor_version="t-1")
        ids = [r.id for r in s.query_claims(None, limit=None)]
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            with Store(db_url) as mine:
                for cid in ids:
                    for v in ("verified", "disputed"):
                        mine.transact(lambda conn, cid=cid, v=v: conn.execute(
                            reviews.update().where(reviews.c.claim_id == cid).values(verdict=v, reviewer=name)))
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in ("ann", "bob", "cy")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with Store(db_url) as s:
        s.compact_counts()
        _consistent(s)


def test_upgrade_to_0015_counts_existing_claims(db_url):
    """A store written at 0014 (no counts table) is counted by the migration."""
    s = Store(db_url, migrate=False)
    with upgraded_to(s, "0014"):
        pass
    _fill(s)
    s.review(s.query_claims(None, limit=1)[0].id, verdict="disputed", reviewer="ann")
    s.close()
    s = Store(db_url)
    try:
        assert s.schema_revision() >= "0015"  # the head: 0015 or a later revision
        _consistent(s)
        with s.read() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(claim_counts)).scalar_one() == 4
        # and the triggers work from then on, the 0006 and 0014 triggers still in place
        a, _ = _fill_more(s)
        _consistent(s)
        assert s.count_claims(ClaimFilter(text="later:")) == 1
    finally:
        s.close()


def _fill_more(store: Store) -> tuple[int, int]:
    text = "Later: " + OTHER
    a, _ = store.add_document(DocumentIn(text=text, publisher="Agency"),
                              [claim_at(text, "40 were arrested", low=40, high=40)], extractor_version="t-1")
    return a, 0


@pytest.mark.parametrize("flt", [ClaimFilter(kinds=["casualties"]), ClaimFilter(grades=["A"]),
                                 ClaimFilter(publishers=["Wire"], review_states=["unreviewed"])])
def test_counted_filters_match_the_rows(store, flt):
    _fill(store)
    store.set_publisher("Wire", grade="A", reviewer="ann")
    rows = store.query_claims(flt, limit=None)
    got = store.facet_summary(flt, FIELDS, exact_up_to=0)
    assert not got.approximate and got.total == len(rows)
    assert sum(got.facets["kind"].values()) == len(rows)
