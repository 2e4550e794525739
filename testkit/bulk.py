"""Bulk-load a store with synthetic claims: the rows ``Store.add_document`` and ``Store.review`` write, in batches.

``python -m bench scale`` builds its million-claim store with :func:`build`
(one transaction per batch of documents instead of one call per document,
so a million claims load in minutes); tests/test_stress.py checks that the
rows are exactly what the Store itself writes.

The search index (migration 0014) and the claim counts (0015, per day 0017 and 0018) are not kept
row by row during the load: their triggers (SQLite; on PostgreSQL the count
triggers are disabled and the trigram index dropped) are lifted for the load
and both are rebuilt in one pass at the end by the statements those
migrations use to build them for an existing store, then the triggers and
the index are put back exactly as they were (their definitions are read from
the database, not rewritten here). Kept row by row, SQLite's trigram index
fell to about 3,000 claims a minute past 100,000 claims.
tests/test_stress.py checks that the result equals a store written through
the Store API: same rows, same counts, same index and trigger definitions.
"""
from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# per-row upkeep lifted during a bulk load and rebuilt after it (migrations 0014, 0015, 0017, 0018): the search
# index's triggers and each counts table's (claims.store.COUNT_TABLES, trg_TABLE_ins/del/upd)
FTS_TRIGGERS = ("trg_claims_fts_ins", "trg_claims_fts_del", "trg_claims_fts_upd")
PG_INDEXES = ("ix_claims_search_trgm",)


@dataclass(slots=True)
class BuildReport:
    """What :func:`build` stored and how long it took."""

    documents: int = 0
    claims: int = 0
    reviewed: int = 0
    seconds: float = 0.0


def _bulk_insert(conn, table, rows: list[dict]) -> None:
    """Insert ``rows`` with the driver's executemany, values converted by the columns' own SQLAlchemy types.

    The bulk loader skips SQLAlchemy's per-row statement compilation (most of
    the time at a million rows) but keeps its value conversion (dates, JSON,
    booleans) so the rows are exactly what the Store would have written.
    """
    if not rows:
        return
    dialect = conn.dialect
    cols = list(rows[0])
    procs = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in cols]
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.name == "sqlite" else "%s"
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in cols)}) "
           f"VALUES ({', '.join(mark for _ in cols)})")
    values = [tuple(p(r[c]) if p else r[c] for c, p in zip(cols, procs)) for r in rows]
    conn.exec_driver_sql(sql, values)


def _migration(revision: str):
    """Return the module of one of the store's migrations (its statements build derived data for existing stores)."""
    from alembic.script import ScriptDirectory

    from claims.store import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_revision(revision).module


@contextmanager
def deferred_upkeep(store) -> Iterator[None]:
    """Lift the search index's and claim counts' per-row upkeep while the body loads rows; rebuild both after.

    Only for a store nobody else writes meanwhile (the bulk loader fills an
    empty one). The rebuild runs even when the load fails, so the store is
    never left without its triggers.
    """
    from claims.migrations import counts
    from claims.store import COUNT_TABLES, counted_columns

    m14 = _migration("0014")
    count_triggers = [f"trg_{t.name}_{event}" for t in COUNT_TABLES for event in ("ins", "del", "upd")]
    sqlite_triggers = (*FTS_TRIGGERS, *count_triggers)
    with store.write() as conn:
        if store.dialect == "sqlite":
            saved = conn.exec_driver_sql(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                f"AND name IN ({', '.join('?' for _ in sqlite_triggers)}) ORDER BY name",
                sqlite_triggers).all()
            for name, _ in saved:
                conn.exec_driver_sql(f'DROP TRIGGER "{name}"')  # names from the constant above
            fts = any(name.startswith("trg_claims_fts") for name, _ in saved)
        else:
            saved = conn.exec_driver_sql(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'claims' AND indexname = ANY(%s)",
                (list(PG_INDEXES),)).all()
            for name, _ in saved:
                conn.exec_driver_sql(f'DROP INDEX "{name}"')
            for name in count_triggers:
                conn.exec_driver_sql(f'ALTER TABLE claims DISABLE TRIGGER "{name}"')
    try:
        yield
    finally:
        with store.write() as conn:
            if store.dialect == "sqlite":
                if fts:
                    conn.exec_driver_sql(m14.SQLITE_BACKFILL)
            else:
                for _, indexdef in saved:
                    conn.exec_driver_sql(indexdef)
            for table in COUNT_TABLES:  # each counted by the columns the store's table has, as its migration did
                conn.execute(table.delete())
                conn.exec_driver_sql(counts.backfill(table.name, counted_columns(table)))
            if store.dialect == "sqlite":
                for _, sql in saved:
                    conn.exec_driver_sql(sql)
            else:
                for name in count_triggers:
                    conn.exec_driver_sql(f'ALTER TABLE claims ENABLE TRIGGER "{name}"')


def build(url: str, *, claims: int, seed: int = 0, batch_documents: int = 500,
          progress: Callable[[int], None] | None = None) -> BuildReport:
    """Store about ``claims`` synthetic claims with a realistic review mix in the empty store at ``url``."""
    import sqlalchemy as sa

    from testkit.corpus import EXTRACTOR_VERSION, REVIEWERS, documents, verdict_for
    from claims.model import Verdict
    from claims.store import (
        Store, _claim_values, _effective_values, claims as claims_t, documents as documents_t, review_history,
        reviews,
    )
    from claims.team.schema import review_votes
    from claims.team.votes import single_review_state

    rep = BuildReport()
    rng = random.Random(seed + 1)
    t0 = time.perf_counter()
    now = dt.datetime(2032, 1, 1, tzinfo=dt.timezone.utc)
    with Store(url) as store:
        with store.read() as conn:
            if conn.execute(sa.select(sa.func.count()).select_from(documents_t)).scalar_one():
                raise RuntimeError(f"{url}: the bulk loader fills an empty store only")
        pub_ids: dict[str, int | None] = {}
        seen: set[str] = set()
        batch: list = []
        next_id = {"doc": 1, "claim": 1, "hist": 1}  # explicit ids: the store is empty and nobody else writes

        def flush() -> None:
            if not batch:
                return
            with store.write() as conn:
                for doc, _ in batch:
                    if doc.publisher not in pub_ids:
                        pub_ids[doc.publisher] = store._publisher_id(conn, doc.publisher)
                doc_rows, rows, review_rows, hist, vote_rows = [], [], [], [], []
                for doc, found in batch:
                    doc_id = next_id["doc"]
                    next_id["doc"] += 1
                    doc_rows.append({"id": doc_id, "content_hash": doc.content_hash, "title": doc.title,
                                     "url": doc.url, "publisher_id": pub_ids[doc.publisher],
                                     "published": doc.published, "ingested_at": now, "filename": doc.filename,
                                     "text": doc.text})
                    done: set[str] = set()
                    for c in found:
                        fp = c.fingerprint(doc.content_hash)
                        if fp in done:
                            continue
                        done.add(fp)
                        cid = next_id["claim"]
                        next_id["claim"] += 1
                        v = verdict_for(rng)
                        who = None if v is Verdict.UNREVIEWED else rng.choice(REVIEWERS)
                        values = _claim_values(c)
                        row = {"id": cid, **values, **_effective_values(values, {}), "document_id": doc_id,
                               "fingerprint": fp, "extractor_version": EXTRACTOR_VERSION, "orphaned": False,
                               "publisher_id": pub_ids[doc.publisher], "published": doc.published}
                        # the store keeps copies of the current verdict and reviewer on claims for its filters
                        row.update({k: val for k, val in (("verdict", v.value), ("reviewer", who),
                                                          ("review_state", single_review_state(v).value))
                                    if k in claims_t.c})
                        rows.append(row)
                        if v is Verdict.UNREVIEWED:
                            review_rows.append({"claim_id": cid, "verdict": v.value, "note": None, "corrected": {},
                                                "evidence_url": None, "reviewer": None, "reviewed_at": None,
                                                "version": 0})
                            continue
                        at = now - dt.timedelta(minutes=rng.randrange(60 * 24 * 90))
                        review_rows.append({"claim_id": cid, "verdict": v.value, "note": None, "corrected": {},
                                            "evidence_url": None, "reviewer": who, "reviewed_at": at, "version": 1})
                        # and the reviewer's own verdict, which agreement statistics read
                        vote_rows.append({"claim_id": cid, "reviewer": who, "verdict": v.value, "note": None, "at": at})
                        # the history Store.review writes for a first review: the verdict and the reviewer
                        for fld, old, new in (("verdict", Verdict.UNREVIEWED.value, v.value), ("reviewer", None, who)):
                            hist.append({"id": next_id["hist"], "claim_id": cid, "fingerprint": fp, "version": 1,
                                         "field": fld, "old": old, "new": new, "reviewer": who, "at": at})
                            next_id["hist"] += 1
                        rep.reviewed += 1
                _bulk_insert(conn, documents_t, doc_rows)
                _bulk_insert(conn, claims_t, rows)
                _bulk_insert(conn, reviews, review_rows)
                _bulk_insert(conn, review_history, hist)
                _bulk_insert(conn, review_votes, vote_rows)
            rep.documents += len(batch)
            rep.claims += len(rows)
            batch.clear()
            if progress:
                progress(rep.claims)

        with deferred_upkeep(store):
            for doc, found in documents(claims=claims, seed=seed):
                if doc.content_hash in seen:
                    continue
                seen.add(doc.content_hash)
                batch.append((doc, found))
                if len(batch) >= batch_documents:
                    flush()
            flush()
        if store.dialect == "postgresql":
            with store.write() as conn:  # explicit ids bypassed the sequences: move them past the rows
                for t in ("documents", "claims", "review_history"):
                    conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), "
                                         f"(SELECT coalesce(max(id), 0) + 1 FROM {t}), false)")
        _check_built(store)
        # statistics for the query planner, as after any bulk load (PostgreSQL's autovacuum does this too)
        with store.read() as conn:
            if store.dialect == "postgresql":
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
            else:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
    rep.seconds = time.perf_counter() - t0
    return rep


def _check_built(store) -> None:
    """Fail loudly when the bulk-loaded rows do not read back through the Store as the reviews table says."""
    import sqlalchemy as sa

    from claims.store import reviews

    with store.read() as conn:
        raw = dict(conn.execute(sa.select(reviews.c.verdict, sa.func.count()).group_by(reviews.c.verdict)).all())
    seen = store.facet_counts(None, "verdict")
    if raw != seen:
        raise RuntimeError(f"bulk loader is out of step with the store schema: reviews table {raw}, "
                           f"Store.facet_counts {seen}")
