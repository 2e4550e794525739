"""The text filter's trigram index (migration 0014): same answers as the substring scan, kept in step by every write.

SQLite answers searches of three characters or more from ``claims_fts``
(FTS5, trigram tokenizer) and PostgreSQL from pg_trgm's GIN index; both must
find exactly the claims whose lower-cased search text contains the lower-cased
search, whichever path wrote the claim.
"""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from claims.documents import delete_document
from claims.export import export_to, import_file
from claims.model import Claim, ClaimFilter, DocumentIn, Kind, Outcome
from testkit.claims import claim_at
from testkit.migrations import upgraded_to
from claims.store import FTS_TABLE, Store, claims as claims_t

TEXT = ("At least 12 people were killed in Ürümqi on Monday, police said. "
        "The ‘Kestrel’ brigade said 3850 fighters (50% of them \"volunteers\") gathered near the border_post.")
OTHER = "Straße closures: 7 people were injured in İzmir, the governor's office said."

# searches a reviewer might type: cases, non-ASCII, LIKE's own wildcards, quotes, FTS5 syntax, short needles
NEEDLES = ["ürümqi", "ÜRÜMQI", "Ürü", "kestrel", "‘kestrel’", "KESTREL’ BRIGADE", "50%", "50% of", "border_",
           "_post", '"volunteers"', "governor's", "STRASSE", "straße", "İzmir", "izmir", "people were",
           "AND", "kestrel OR police", "*", "ü", "12", "%", "_", "x", "zzzz-no-such-text", "said.", "\x1f"]


def _claims() -> list[Claim]:
    return [claim_at(TEXT, "12 people were killed", kind=Kind.CASUALTIES, low=12, high=12, outcome=Outcome.KILLED,
                   subject="people", attributed_to="police"),
            claim_at(TEXT, "3850 fighters", kind=Kind.FORCE_SIZE, low=3850, high=3850, subject="fighters",
                   attributed_to="‘Kestrel’ brigade")]


def _other() -> list[Claim]:
    return [claim_at(OTHER, "7 people were injured", kind=Kind.CASUALTIES, low=7, high=7, outcome=Outcome.INJURED,
                   subject="people", attributed_to="the governor's office")]


def _fill(store: Store) -> tuple[int, int]:
    a, _ = store.add_document(DocumentIn(text=TEXT, title="Ürümqi", publisher="Wire",
                                         published=dt.date(2024, 3, 1)), _claims(), extractor_version="t-1")
    b, _ = store.add_document(DocumentIn(text=OTHER, title="İzmir", publisher="Agency",
                                         published=dt.date(2024, 3, 2)), _other(), extractor_version="t-1")
    return a, b


def _reference(store: Store, needle: str) -> set[int]:
    """Return the ids of claims whose search text contains ``needle``, computed in Python (the semantics)."""
    with store.read() as conn:
        rows = conn.execute(sa.select(claims_t.c.id, claims_t.c.search)).all()
    return {i for i, s in rows if needle.strip().lower() in s} if needle.strip() else {i for i, _ in rows}


def _found(store: Store, needle: str) -> set[int]:
    return {r.id for r in store.query_claims(ClaimFilter(text=needle), limit=None)}


def _fts_consistent(store: Store) -> None:
    """Fail unless SQLite's FTS index agrees with claims.search row for row (FTS5's own check against its content)."""
    if store.dialect != "sqlite":
        return
    with store.write() as conn:
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)")
        indexed = conn.exec_driver_sql(f"SELECT count(*) FROM {FTS_TABLE}_docsize").scalar_one()
        rows = conn.exec_driver_sql("SELECT count(*) FROM claims WHERE search <> ''").scalar_one()
    assert indexed == rows


def test_search_finds_exactly_the_substring_matches_on_both_backends(store):
    _fill(store)
    for needle in NEEDLES:
        assert _found(store, needle) == _reference(store, needle), needle
        assert store.count_claims(ClaimFilter(text=needle)) == len(_reference(store, needle)), needle
    # several terms: any may match (the dashboard's fuzzy widening)
    flt = ClaimFilter(text_terms=["kestrel", "governor"])
    assert store.count_claims(flt) == len(_reference(store, "kestrel") | _reference(store, "governor")) == 3
    _fts_consistent(store)


def test_non_ascii_search_is_the_same_on_both_backends(store):
    a, b = _fill(store)
    ids = {r.claim.quote: r.id for r in store.query_claims(None, limit=None)}
    assert _found(store, "ÜRÜMQI") == _found(store, "ürümqi") == {ids["12 people were killed"],
                                                                   ids["3850 fighters"]}
    assert _found(store, "İZMIR") == {ids["7 people were injured"]}  # both sides lower() to "i̇zmir"
    assert _found(store, "STRAßE") == {ids["7 people were injured"]}
    assert _found(store, "strasse") == set()  # lower(), not casefold(): the same rule on both backends


@pytest.mark.parametrize("needle", ["ü", "12", "%", "_"])
def test_searches_shorter_than_a_trigram_scan(store, needle):
    _fill(store)
    if store.dialect == "sqlite":
        cond = store._where(ClaimFilter(text=needle))[0]
        assert FTS_TABLE not in str(cond.compile())  # no trigram to look up: the LIKE scan
    assert _found(store, needle) == _reference(store, needle)


def test_sqlite_long_searches_read_the_trigram_index(sqlite_url):
    with Store(sqlite_url) as s:
        _fill(s)
        cond = s._where(ClaimFilter(text="kestrel"))[0]
        sql = str(cond.compile())
        assert FTS_TABLE in sql and "LIKE" not in sql
        with s.read() as conn:
            plan = " ".join(str(r) for r in conn.execute(
                sa.text(f"EXPLAIN QUERY PLAN SELECT count(*) FROM claims WHERE {sql}"),
                {k: v.value for k, v in cond.compile().binds.items()}))
        assert "VIRTUAL TABLE INDEX" in plan, plan


def test_postgresql_has_the_trigram_index(pg_url):
    """The server must have pg_trgm (PostgreSQL contrib): without it the migration skips the index and searches scan."""
    with Store(pg_url) as s:
        with s.read() as conn:
            assert conn.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").scalar() == 1
            indexdef = conn.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_claims_search_trgm'").scalar()
        assert "gin_trgm_ops" in indexdef


def test_index_kept_in_step_by_review_corrections(store):
    _fill(store)
    rec = next(r for r in store.query_claims(None, limit=None) if r.claim.quote == "3850 fighters")
    assert _found(store, "militiamen") == set()
    store.review(rec.id, verdict="disputed", reviewer="ann", corrected={"subject": "Militiamen"})
    assert _found(store, "militiamen") == {rec.id}
    store.review(rec.id, verdict="disputed", reviewer="ann", corrected={"subject": "guards"},
                 expect_version=store.get_claim(rec.id).version)
    assert _found(store, "militiamen") == set() and _found(store, "guards") == {rec.id}
    _fts_consistent(store)


def test_index_kept_in_step_by_reextraction_and_delete(store):
    from claims.ingest import IngestReport

    a, b = _fill(store)
    # re-extraction replaces the document's claims: whatever it finds now is searchable, nothing stale remains
    store.replace_claims(a, [_claims()[0]], extractor_version="t-2")
    assert _found(store, "fighters") == _reference(store, "fighters")
    assert _found(store, "kestrel") == _reference(store, "kestrel")
    _fts_consistent(store)
    delete_document(store, b, reviewer="ann")
    assert _found(store, "governor") == set()
    assert _found(store, "people were") == _reference(store, "people were") != set()
    _fts_consistent(store)
    report = IngestReport()
    from claims.ingest import reextract_document
    reextract_document(store, a, report=report)
    for needle in ("ürümqi", "kestrel", "people were"):
        assert _found(store, needle) == _reference(store, needle)
    _fts_consistent(store)


def test_index_kept_in_step_by_import(store, tmp_path):
    src = Store(f"sqlite:///{tmp_path / 'src.db'}")
    try:
        _fill(src)
        export_to(src, None, fmt="json", path=tmp_path / "x.json", groups=None)
    finally:
        src.close()
    import_file(store, tmp_path / "x.json")
    for needle in ("ÜRÜMQI", "kestrel", "İzmir", "governor's"):
        assert _found(store, needle) == _reference(store, needle) != set(), needle
    _fts_consistent(store)


def test_index_kept_in_step_by_plain_sql_writes(sqlite_url):
    """Scripts and manual SQL that insert, update or delete claims rows keep the index right (triggers)."""
    with Store(sqlite_url) as s:
        a, _ = _fill(s)
        with s.write() as conn:
            cid = conn.execute(sa.text("SELECT id FROM claims WHERE quote = '3850 fighters'")).scalar_one()
            conn.execute(sa.text("UPDATE claims SET search = 'renamed by hand' WHERE id = :c"), {"c": cid})
        assert _found(s, "by hand") == {cid} and _found(s, "kestrel") == _reference(s, "kestrel") != set()
        assert cid not in _found(s, "fighters")
        with s.write() as conn:
            conn.execute(sa.text("DELETE FROM reviews WHERE claim_id = :c"), {"c": cid})
            conn.execute(sa.text("DELETE FROM claims WHERE id = :c"), {"c": cid})
        assert _found(s, "by hand") == set()
        _fts_consistent(s)


def test_upgrade_to_0014_indexes_existing_claims(db_url):
    """A store written at 0013 (no index) finds its old claims by search after the upgrade."""
    s = Store(db_url, migrate=False)
    with upgraded_to(s, "0013"):
        pass
    _fill(s)  # written with the 0013 schema: no FTS table, no triggers
    s.close()
    s = Store(db_url)
    try:
        assert s.schema_revision() >= "0014"  # and any later revision
        for needle in ("ürümqi", "kestrel", "governor"):
            assert _found(s, needle) == _reference(s, needle) != set(), needle
        _fts_consistent(s)
    finally:
        s.close()
