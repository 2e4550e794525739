"""Per-day claim counts (migration 0017): exact after any sequence of writes, on both backends, and what date filters read.

A property test runs random sequences of adds, reviews (with corrected event
dates), re-reviews, deletions, re-ingests and failed documents against one
store, and after each sequence every counts table must sum, combination by
combination, to the claims rows themselves (testkit.counts), and the
store's answers for date ranges must equal the rows they describe.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from unittest import mock

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st

from claims.documents import delete_document
from claims.model import Claim, ClaimFilter, DocumentIn, Kind, Outcome
from claims.store import COUNT_TABLES, DAY_FACET_TABLES, Store, claim_event_counts, claim_published_counts
from testkit import counts
from testkit.claims import claim_at
from testkit.migrations import upgraded_to

PUBLISHERS = ("Wire", "Daily", None)
DATES = ("2024-03", "2024-03-05", "2024", "2023-12-31", None)
VERDICTS = ("verified", "disputed", "false", "unreviewed")
FIELDS = ("verdict", "kind", "publisher")
RANGES = [ClaimFilter(published_from=dt.date(2024, 3, 2)),
          ClaimFilter(published_from=dt.date(2024, 3, 1), published_to=dt.date(2024, 3, 3), kinds=["date"]),
          ClaimFilter(date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 3, 31)),
          ClaimFilter(date_from=dt.date(2024, 3, 6), publishers=["Wire"], verdicts=["disputed", "unreviewed"]),
          ClaimFilter(date_to=dt.date(2023, 12, 31), grades=["A"])]


def _doc(i: int, publisher: str | None, day: int, dates: list[str | None]) -> tuple[DocumentIn, list[Claim]]:
    text = f"Report {i}: 12 people were killed on Monday, police said, and 40 were arrested."
    found = [claim_at(text, "12 people were killed", kind=Kind.CASUALTIES, low=12, high=12, outcome=Outcome.KILLED),
             claim_at(text, "40 were arrested", low=40, high=40)]
    found += [claim_at(text, "Monday", kind=Kind.DATE, date=d, rule=f"date-{j}") for j, d in enumerate(dates)]
    return DocumentIn(text=text, publisher=publisher, published=dt.date(2024, 3, 1) + dt.timedelta(days=day)), found


def check(store: Store) -> None:
    """Fail unless every counts table equals the claims grouped its way and date ranges count their rows."""
    with store.read() as conn:
        for table in COUNT_TABLES:
            assert counts.kept(conn, table) == counts.truth(conn, table), table.name
    for flt in RANGES:
        rows = store.query_claims(flt, limit=None)
        assert store._countable(flt, FIELDS) is not None, flt
        got = store.facet_summary(flt, FIELDS, exact_up_to=0)  # no bound: only the counts are exact
        assert not got.approximate and got.total == len(rows) == store.count_claims(flt), flt
        for field, value in (("verdict", lambda r: r.verdict.value), ("kind", lambda r: r.claim.kind.value),
                             ("publisher", lambda r: r.publisher)):
            by_value: dict[str, int] = {}
            for r in rows:
                if value(r) is not None:
                    by_value[value(r)] = by_value.get(value(r), 0) + 1
            assert got.facets[field] == dict(sorted(by_value.items(), key=lambda kv: (-kv[1], kv[0]))), (flt, field)
        assert got.facets == store.facets(flt, FIELDS), flt
        assert {f: store.facet_counts(flt, f) for f in FIELDS} == got.facets, flt


OPS = st.lists(st.one_of(
    st.tuples(st.just("add"), st.sampled_from(PUBLISHERS), st.integers(0, 3), st.lists(st.sampled_from(DATES), max_size=2)),
    st.tuples(st.just("review"), st.integers(0, 50), st.sampled_from(VERDICTS), st.sampled_from(DATES + ("keep",))),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("reingest"), st.integers(0, 50), st.lists(st.sampled_from(DATES), max_size=2)),
    st.tuples(st.just("failed"), st.sampled_from(PUBLISHERS)),
), min_size=1, max_size=8)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_counts_equal_the_rows_after_any_writes(store, ops):
    """Adds, reviews and re-reviews (verdicts and corrected dates), deletions, re-ingests, failed documents."""
    store.set_publisher("Wire", grade="A", reviewer="ed")
    for op in ops:
        docs = [d.id for d in store.list_documents(limit=None)]
        ids = [r.id for r in store.query_claims(None, limit=None, order="id")]
        if op[0] == "add":
            doc, found = _doc(len(docs) + 1000 * len(ids), op[1], op[2], op[3])
            store.add_document(doc, found, extractor_version="t")
        elif op[0] == "review" and ids:
            corrected = {} if op[3] == "keep" else {"date": op[3]}
            store.review(ids[op[1] % len(ids)], verdict=op[2], reviewer="ann", corrected=corrected)
        elif op[0] == "delete" and docs:
            delete_document(store, docs[op[1] % len(docs)], reviewer="ed")
        elif op[0] == "reingest" and docs:
            doc_id = docs[op[1] % len(docs)]
            text = store.get_document(doc_id).text
            found = [claim_at(text, "40 were arrested", low=40, high=40)]
            found += [claim_at(text, "Monday", kind=Kind.DATE, date=d, rule=f"re-{j}") for j, d in enumerate(op[2])]
            store.replace_claims(doc_id, found, extractor_version="t-2")
        elif op[0] == "failed":
            # a document whose write fails after its claims are in rolls back whole: nothing of it is counted
            doc, found = _doc(len(docs) + 7919, op[1], 1, ["2024-03"])
            before = store.count_claims()
            with mock.patch.object(Store, "_add_urls", side_effect=RuntimeError("disk full")):
                with pytest.raises(RuntimeError):
                    store.add_document(doc, found, extractor_version="t")
            assert store.count_claims() == before
    check(store)


def test_date_filters_are_counted_from_the_day_tables(store):
    """A date range with publisher, kind and verdict reads a per-day table; with a text or figure it reads rows."""
    assert store._countable(ClaimFilter(published_from=dt.date(2024, 1, 1), kinds=["date"]), FIELDS) is (
        claim_published_counts)
    assert store._countable(ClaimFilter(date_from=dt.date(2024, 1, 1), grades=["A"]), FIELDS) is claim_event_counts
    assert store._countable(ClaimFilter(date_from=dt.date(2024, 1, 1)), ("outcome",)) is None
    assert store._countable(ClaimFilter(published_from=dt.date(2024, 1, 1), text="said"), FIELDS) is None
    assert store._countable(ClaimFilter(published_from=dt.date(2024, 1, 1), date_from=dt.date(2024, 1, 1)),
                            FIELDS) is None


def test_a_publication_date_range_alone_sums_one_day_table_per_facet(store, monkeypatch):
    """Migration 0018: "published, 3 months" reads (published, verdict), (published, kind), (published, publisher)."""
    read: list[str] = []
    counted = Store._counted

    def spy(self, conn, table, conds, fields):
        read.append(table.name)
        return counted(self, conn, table, conds, fields)

    monkeypatch.setattr(Store, "_counted", spy)
    for i, (pub, dates) in enumerate((("Wire", ["2024-03"]), ("Daily", ["2024-03-05"]), (None, []))):
        doc, found = _doc(i, pub, i, dates)
        store.add_document(doc, found, extractor_version="t")
    alone = ClaimFilter(published_from=dt.date(2024, 3, 2), published_to=dt.date(2024, 3, 31))
    got = store.facet_summary(alone, FIELDS)
    assert read == [t.name for t in DAY_FACET_TABLES]
    assert got.total == 5 and got.facets["publisher"] == {"Daily": 3} and got.facets["kind"]["date"] == 1
    read.clear()
    assert store.facet_summary(dataclasses.replace(alone, kinds=["date"]), FIELDS).total == 1
    assert read == ["claim_published_counts"]  # with another filter: the combinations of 0017
    read.clear()
    assert store.count_claims(alone) == 5 and read == ["claim_published_counts"]
    check(store)


def test_upgrade_to_0018_counts_existing_claims(db_url):
    """A store written at 0017 is counted per day and facet by the migration; the triggers count from then on."""
    s = Store(db_url, migrate=False)
    with upgraded_to(s, "0017"):
        pass
    for i, (pub, dates) in enumerate((("Wire", ["2024-03"]), ("Daily", ["2024-03-05", None]), (None, []))):
        doc, found = _doc(i, pub, i, dates)
        s.add_document(doc, found, extractor_version="t")
    s.review(s.query_claims(None, limit=1)[0].id, verdict="disputed", reviewer="ann")
    s.close()
    s = Store(db_url)
    try:
        assert s.schema_revision() >= "0018"
        with s.read() as conn:
            for table in DAY_FACET_TABLES:
                assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() > 0, table.name
        check(s)
        doc, found = _doc(9, "Wire", 1, ["2024-03-05"])
        s.add_document(doc, found, extractor_version="t")
        s.review(s.query_claims(None, limit=1)[0].id, verdict="false", reviewer="ann")
        check(s)
    finally:
        s.close()


def test_upgrade_to_0017_counts_existing_claims(db_url):
    """A store written at 0016 is counted per day by the migration; the triggers count from then on."""
    s = Store(db_url, migrate=False)
    with upgraded_to(s, "0016"):
        pass
    for i, (pub, dates) in enumerate((("Wire", ["2024-03"]), ("Daily", ["2024-03-05", None]), (None, []))):
        doc, found = _doc(i, pub, i, dates)
        s.add_document(doc, found, extractor_version="t")
    s.review(s.query_claims(None, limit=1)[0].id, verdict="disputed", reviewer="ann", corrected={"date": "2023"})
    s.close()
    s = Store(db_url)
    try:
        assert s.schema_revision() >= "0017"
        with s.read() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(claim_event_counts)).scalar_one() > 0
        check(s)
        doc, found = _doc(9, "Wire", 1, ["2024-03-05"])
        s.add_document(doc, found, extractor_version="t")
        check(s)
    finally:
        s.close()


def test_postgresql_reads_fold_the_range_they_read(pg_url, monkeypatch):
    """Reviews leave delta rows in the per-day tables; a read of a range made mostly of them folds that range only."""
    import claims.store as store_mod

    monkeypatch.setattr(store_mod, "COUNTS_COMPACT_AT", 2)
    with Store(pg_url) as s:
        for i in range(3):
            doc, found = _doc(i, "Wire", i, ["2024-03"])
            s.add_document(doc, found, extractor_version="t")
        s.compact_counts()
        for rec in s.query_claims(None, limit=None):
            s.review(rec.id, verdict="disputed", reviewer="ann")
        flt = ClaimFilter(published_from=dt.date(2024, 3, 2))  # the second and third documents' day

        def rows(day_from: dt.date | None = None) -> int:
            q = sa.select(sa.func.count()).select_from(claim_published_counts)
            if day_from:
                q = q.where(claim_published_counts.c.published >= day_from)
            with s.read() as conn:
                return conn.execute(q).scalar_one()

        before_all, before_range = rows(), rows(dt.date(2024, 3, 2))
        assert s.count_claims(flt) == 6
        assert rows(dt.date(2024, 3, 2)) < before_range  # folded: one row per combination in the range
        assert rows() - rows(dt.date(2024, 3, 2)) == before_all - before_range  # the first day's deltas stay
        check(s)
