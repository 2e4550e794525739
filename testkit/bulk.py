"""Bulk-load a store with synthetic claims: the rows ``Store.add_document`` and ``Store.review`` write, in batches.

``python -m bench scale`` builds its million-claim store with :func:`build`
(one transaction per batch of documents instead of one call per document,
so a million claims load in minutes); tests/test_stress.py checks that the
rows are exactly what the Store itself writes.
"""
from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass


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
