"""Store tests, run against SQLite and a real PostgreSQL cluster (the ``store`` fixture)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import threading

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.errors import BadInputError, ConflictError, NotFoundError, StoreError
from claims.model import Claim, ClaimFilter, DocumentIn, Kind, Outcome, Verdict
from claims.store import Store, alembic_config, date_bounds
from testkit.migrations import upgraded_to

TEXT = ("Officials said 132 children were killed in Peshawar on 2014-12-16. "
        "The Tehrik-i-Taliban Pakistan claimed 6,000 fighters; 50% of them 100_000 strong.")


def span_claim(text: str, quote: str, **kw) -> Claim:
    """Build a claim whose span really slices ``quote`` out of ``text``."""
    start = text.index(quote)
    kw.setdefault("kind", Kind.FIGURE)
    return Claim(start=start, end=start + len(quote), quote=quote, sentence=text, **kw)


def sample_claims(text: str = TEXT) -> list[Claim]:
    return [
        span_claim(text, "132 children", kind=Kind.CASUALTIES, low=132, high=132, outcome=Outcome.KILLED,
                   subject="children", attributed_to="Officials", rule="casualty.number"),
        span_claim(text, "2014-12-16", kind=Kind.DATE, date="2014-12-16", rule="date.iso"),
        span_claim(text, "6,000 fighters", kind=Kind.FORCE_SIZE, low=6000, high=6000, approximate=True,
                   subject="Tehrik-i-Taliban Pakistan fighters", rule="force.number"),
        span_claim(text, "50%", kind=Kind.FIGURE, low=50, high=50, unit="percent", subject="50% of them"),
    ]


def add(store: Store, text: str = TEXT, claims: list[Claim] | None = None, **meta) -> int:
    meta.setdefault("publisher", "Dawn")
    meta.setdefault("published", dt.date(2014, 12, 17))
    doc_id, created = store.add_document(DocumentIn(text=text, **meta),
                                         sample_claims(text) if claims is None else claims,
                                         extractor_version="test-1")
    assert created
    return doc_id


# ---------------------------------------------------------------- schema
def test_migrations_have_a_single_head():
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"migration graph has several heads: {heads}"


def test_upgraded_schema_matches_the_models(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from claims.migrations import include_name, load_models

    metadata = load_models()  # the store's tables and every other module's (MODEL_MODULES)
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
        diffs = compare_metadata(ctx, metadata)
    assert diffs == []


def test_upgrade_to_0016_indexes_the_date_filters_of_an_existing_store(db_url):
    """A store written at 0015 gets the date indexes; its date filters find and count the same claims."""
    s = Store(db_url, migrate=False)
    with upgraded_to(s, "0015"):
        pass
    add(s)
    add(s, text=TEXT + " Later.", published=dt.date(2015, 3, 1))
    flts = [ClaimFilter(published_from=dt.date(2015, 1, 1)), ClaimFilter(date_from=dt.date(2014, 12, 1),
                                                                          date_to=dt.date(2014, 12, 31))]
    # ids only: the head's summaries of a date range read the per-day counts of 0017, not yet there at 0015
    before = [[r.id for r in s.query_claims(f, limit=None)] for f in flts]
    s.close()
    s = Store(db_url)
    try:
        assert s.schema_revision() >= "0016"
        names = {ix["name"] for ix in sa.inspect(s.engine).get_indexes("claims")}
        assert {"ix_claims_published_document_id_span_start", "ix_claims_eff_dates_facets"} <= names
        assert not names & {"ix_claims_published", "ix_claims_eff_date_end_eff_date_start"}
        after = [[r.id for r in s.query_claims(f, limit=None)] for f in flts]
        assert after == before and all(after)
        assert [s.facet_summary(f).total for f in flts] == [len(ids) for ids in after]
    finally:
        s.close()


def test_reopening_a_migrated_database_keeps_its_data(db_url):
    s = Store(db_url)
    doc_id = add(s)
    s.close()
    s2 = Store(db_url)
    assert s2.get_document(doc_id).claim_count == 4
    assert s2.schema_revision() is not None
    s2.close()


def test_default_url_uses_data_dir(tmp_path, monkeypatch):
    from claims.store import default_url

    monkeypatch.delenv("CLAIMS_DB_URL", raising=False)
    monkeypatch.setenv("CLAIMS_DATA_DIR", str(tmp_path / "nested" / "data"))
    url = default_url()
    assert url == f"sqlite:///{tmp_path / 'nested' / 'data' / 'claims.db'}"
    assert (tmp_path / "nested" / "data").is_dir()
    monkeypatch.setenv("CLAIMS_DB_URL", "sqlite:///elsewhere.db")
    assert default_url() == "sqlite:///elsewhere.db"


def test_unsupported_url_is_bad_input():
    with pytest.raises(BadInputError, match="not supported"):
        Store("mysql://x@y/z", migrate=False)


def test_sqlite_pragmas_and_begin_immediate(sqlite_url):
    s = Store(sqlite_url)
    with s.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    # a write transaction holds the write lock from its first statement: a second writer waits then gives up
    other = Store(sqlite_url)
    with s.write() as conn:
        conn.execute(sa.text("SELECT 1"))
        raw = other.engine.raw_connection()
        try:
            raw.execute("PRAGMA busy_timeout=50")
            with pytest.raises(Exception, match="locked"):
                raw.execute("BEGIN IMMEDIATE")
        finally:
            raw.close()
    s.close()
    other.close()


# ---------------------------------------------------------------- documents
def test_add_document_is_idempotent_by_content(store):
    doc_id = add(store)
    again, created = store.add_document(DocumentIn(text=TEXT, publisher="Other"), sample_claims(),
                                        extractor_version="test-2")
    assert (again, created) == (doc_id, False)
    assert store.count_documents() == 1
    assert store.count_claims(ClaimFilter()) == 4
    doc = store.get_document(doc_id)
    assert doc.publisher == "Dawn" and doc.published == dt.date(2014, 12, 17) and doc.claim_count == 4
    assert doc.ingested_at.tzinfo is not None


def test_get_missing_things_returns_none_or_empty(store):
    assert store.get_document(999) is None
    assert store.get_claim(999) is None
    assert store.history(999) == []
    assert store.claims_for_document(999) == []
    assert store.query_claims(ClaimFilter(text="nothing")) == []
    assert store.list_documents() == []
    assert store.fuzzy_terms("anything") == []


def test_list_documents_filters_by_publisher(store):
    add(store, TEXT, publisher="Dawn")
    add(store, TEXT + " Again.", publisher="Reuters")
    assert [d.publisher for d in store.list_documents(publishers=["Reuters"])] == ["Reuters"]
    assert len(store.list_documents(limit=1)) == 1
    assert {d.publisher for d in store.list_documents()} == {"Dawn", "Reuters"}


def test_duplicate_spans_in_one_extraction_are_stored_once(store):
    c = sample_claims()[0]
    doc_id = add(store, claims=[c, c])
    assert len(store.claims_for_document(doc_id)) == 1


def test_empty_text_is_refused(store):
    with pytest.raises(BadInputError, match="empty"):
        store.add_document(DocumentIn(text="  \n", filename="blank.txt"), [], extractor_version="x")
    assert store.count_documents() == 0


def test_failed_document_leaves_nothing_behind(store):
    bad = Claim(kind=Kind.FIGURE, start=0, end=3, quote=None)  # NOT NULL violation in the middle of the write
    with pytest.raises(Exception):
        store.add_document(DocumentIn(text=TEXT, publisher="NewPub"), [sample_claims()[0], bad],
                           extractor_version="x")
    assert store.count_documents() == 0
    assert store.count_claims() == 0
    assert store.list_publishers() == []


# ---------------------------------------------------------------- claims and filters
_clean = st.text(max_size=30).filter(lambda s: "\x00" not in s)
_number = st.none() | st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False) | st.integers(0, 10**9).map(float)


@st.composite
def text_and_claim(draw) -> tuple[str, Claim]:
    """Draw a document text and a valid claim in it (its span slices its quote out of the text)."""
    prefix = draw(_clean)
    quote = draw(st.text(min_size=1, max_size=40).filter(lambda s: "\x00" not in s))
    text = prefix + quote + draw(_clean)
    claim = Claim(
        kind=draw(st.sampled_from(list(Kind))), start=len(prefix), end=len(prefix) + len(quote), quote=quote,
        sentence=text, low=draw(_number), high=draw(_number), approximate=draw(st.booleans()),
        outcome=draw(st.none() | st.sampled_from(list(Outcome))), subject=draw(st.none() | _clean),
        unit=draw(st.none() | st.sampled_from(["percent", "USD", "people"])),
        date=draw(st.none() | st.dates().map(dt.date.isoformat) | st.integers(1900, 2100).map(str)),
        duration=draw(st.none() | st.sampled_from(["P1M", "P14Y", "PT8H", "P2W"])),
        attributed_to=draw(st.none() | _clean), rule=draw(_clean),
    )
    return text, claim


_doc_counter = itertools.count()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=text_and_claim())
def test_store_round_trips_any_valid_claim(store, drawn):
    text, claim = drawn
    # a unique header keeps every example a new document in the shared store
    header = f"doc {next(_doc_counter)}\n"
    claim = dataclasses.replace(claim, start=claim.start + len(header), end=claim.end + len(header))
    doc_id, created = store.add_document(DocumentIn(text=header + text), [claim], extractor_version="prop")
    assert created
    (rec,) = store.claims_for_document(doc_id)
    assert rec.claim == claim
    assert rec.claim.to_dict() == claim.to_dict()
    assert rec.verdict is Verdict.UNREVIEWED and rec.version == 0
    assert store.get_claim(rec.id) == rec


def test_filters_match_count_and_query(store):
    add(store)
    add(store, "Reuters said 40 soldiers were injured.", publisher="Reuters", published=dt.date(2020, 1, 5),
        claims=[span_claim("Reuters said 40 soldiers were injured.", "40 soldiers", kind=Kind.CASUALTIES,
                           low=40, high=40, outcome=Outcome.INJURED, subject="soldiers", attributed_to="Reuters")])
    cases = {
        "kind": (ClaimFilter(kinds=["casualties"]), 2),
        "outcome": (ClaimFilter(outcomes=["injured"]), 1),
        "publisher": (ClaimFilter(publishers=["Reuters"]), 1),
        "min": (ClaimFilter(figure_min=100), 2),
        "max": (ClaimFilter(figure_max=50), 2),
        "range": (ClaimFilter(figure_min=100, figure_max=1000), 1),
        "event date": (ClaimFilter(date_from=dt.date(2014, 12, 1), date_to=dt.date(2014, 12, 31)), 1),
        "published": (ClaimFilter(published_from=dt.date(2019, 1, 1)), 1),
        "text": (ClaimFilter(text="tehrik"), 4),  # every claim of the first doc has the sentence
        "text subject": (ClaimFilter(text="soldiers"), 1),
        "verdict": (ClaimFilter(verdicts=["unreviewed"]), 5),
        "none": (ClaimFilter(), 5),
    }
    for name, (flt, n) in cases.items():
        assert store.count_claims(flt) == n, name
        assert len(store.query_claims(flt, limit=None)) == n, name


def test_like_metacharacters_are_plain_text(store):
    text = "A 50% rise; 100_000 people; path C:\\x; quote ' and \" ok."
    claims = [span_claim(text, "50%", low=50, high=50, unit="percent"),
              span_claim(text, "100_000 people", low=100000, high=100000)]
    add(store, text, claims=claims)
    add(store, "Another 50 rise with 1000000 people.", claims=[
        span_claim("Another 50 rise with 1000000 people.", "50 rise", low=50, high=50)])
    only_first = ClaimFilter(document_ids=[1])
    assert store.count_claims(ClaimFilter(text="50%")) == 2   # both claims of doc 1 (sentence), not doc 2
    assert {r.document_id for r in store.query_claims(ClaimFilter(text="50%"))} == {1}
    assert {r.document_id for r in store.query_claims(ClaimFilter(text="0_0"))} == {1}
    assert store.count_claims(ClaimFilter(text="%")) == 2
    assert store.count_claims(ClaimFilter(text="_")) == 2
    assert store.count_claims(ClaimFilter(text="C:\\x")) == 2
    assert store.count_claims(ClaimFilter(text="' and \"")) == 2
    assert store.count_claims(ClaimFilter(text="'; DROP TABLE claims; --")) == 0
    assert store.count_claims(only_first) == 2


def test_text_terms_widen_the_search(store):
    t1 = "Tehrik-i-Taliban Pakistan said 20 were killed."
    t2 = "Tehreek-e-Taliban claimed 30 fighters."
    add(store, t1, claims=[span_claim(t1, "20", kind=Kind.CASUALTIES, low=20, high=20,
                                      attributed_to="Tehrik-i-Taliban Pakistan")])
    add(store, t2, claims=[span_claim(t2, "30 fighters", kind=Kind.FORCE_SIZE, low=30, high=30,
                                      subject="Tehreek-e-Taliban fighters")])
    assert store.count_claims(ClaimFilter(text="Tehreek")) == 1
    terms = store.fuzzy_terms("Tehreek")
    assert any(t.lower().startswith("tehrik") for t in terms), terms
    assert store.count_claims(ClaimFilter(text="Tehreek", text_terms=terms)) == 2
    assert store.fuzzy_terms("zzzzqqq") == []


def test_facet_counts(store):
    add(store)
    counts = store.facet_counts(ClaimFilter(), "kind")
    assert counts == {"casualties": 1, "date": 1, "figure": 1, "force_size": 1}
    assert store.facet_counts(ClaimFilter(), "verdict") == {"unreviewed": 4}
    assert store.facet_counts(ClaimFilter(kinds=["casualties"]), "publisher") == {"Dawn": 1}
    store.review(1, verdict="verified", reviewer="ann")
    assert store.facet_counts(ClaimFilter(), "verdict") == {"unreviewed": 3, "verified": 1}
    assert store.facet_counts(ClaimFilter(), "reviewer") == {"ann": 1}
    with pytest.raises(BadInputError, match="facet"):
        store.facet_counts(ClaimFilter(), "quote")


def test_iter_claims_streams_every_match(store):
    for i in range(3):
        t = f"Story {i}: officials said 132 children were killed in Peshawar on 2014-12-16. " + TEXT
        add(store, t)
    got = list(store.iter_claims(ClaimFilter(kinds=["casualties"]), batch=2))
    assert len(got) == 3 and [r.id for r in got] == sorted(r.id for r in got)


def test_query_orders_and_paging(store):
    add(store)
    all_ids = [r.id for r in store.query_claims(ClaimFilter(), limit=None, order="id")]
    page = [r.id for r in store.query_claims(ClaimFilter(), limit=2, offset=1, order="id")]
    assert page == all_ids[1:3]
    top = store.query_claims(ClaimFilter(), limit=1, order="figure")[0]
    assert top.claim.low == 6000
    with pytest.raises(BadInputError, match="order"):
        store.query_claims(ClaimFilter(), order="random()")


# ---------------------------------------------------------------- reviews
def test_review_records_every_change_in_history(store):
    add(store)
    rec = store.review(1, verdict="disputed", reviewer="ann", note="two sources say 130",
                       corrected={"low": "130", "high": 141, "subject": "schoolchildren"},
                       evidence_url="https://example.org/report", expect_version=0)
    assert rec.version == 1 and rec.verdict is Verdict.DISPUTED
    assert rec.corrected == {"low": 130, "high": 141, "subject": "schoolchildren"}
    assert rec.effective("low") == 130 and rec.claim.low == 132
    rec2 = store.review(1, verdict="verified", reviewer="bob", note="", corrected={"low": 132},
                        expect_version=1)
    assert rec2.version == 2 and rec2.note is None and rec2.corrected == {"high": 141, "subject": "schoolchildren"}
    hist = store.history(1)
    got = {(h.version, h.field, h.old, h.new, h.reviewer) for h in hist}
    assert got == {
        (1, "verdict", "unreviewed", "disputed", "ann"),
        (1, "note", None, "two sources say 130", "ann"),
        (1, "evidence_url", None, "https://example.org/report", "ann"),
        (1, "low", 132, 130, "ann"),
        (1, "high", 132, 141, "ann"),
        (1, "subject", "children", "schoolchildren", "ann"),
        (1, "reviewer", None, "ann", "ann"),
        (2, "verdict", "disputed", "verified", "bob"),
        (2, "note", "two sources say 130", None, "bob"),
        (2, "low", 130, 132, "bob"),
        (2, "reviewer", "ann", "bob", "bob"),
    }
    assert all(h.at.tzinfo is not None for h in hist)


def test_corrections_drive_filters(store):
    add(store)
    assert store.count_claims(ClaimFilter(figure_min=140)) == 1  # 6000 fighters; 132 and 50 are below
    store.review(1, verdict="disputed", reviewer="ann", corrected={"high": 150})
    assert store.count_claims(ClaimFilter(figure_min=140)) == 2
    store.review(2, verdict="disputed", reviewer="ann", corrected={"date": "2015-01"})
    assert store.count_claims(ClaimFilter(date_from=dt.date(2015, 1, 20), date_to=dt.date(2015, 2, 1))) == 1
    assert store.count_claims(ClaimFilter(date_to=dt.date(2014, 12, 31))) == 0


def test_stale_version_is_a_conflict_and_changes_nothing(store):
    add(store)
    store.review(1, verdict="verified", reviewer="ann", expect_version=0)
    with pytest.raises(ConflictError) as err:
        store.review(1, verdict="false", reviewer="bob", note="mine", expect_version=0)
    assert err.value.current is not None and err.value.current.version == 1
    assert err.value.current.verdict is Verdict.VERIFIED and err.value.current_version == 1
    rec = store.get_claim(1)
    assert (rec.verdict, rec.version, rec.note, rec.reviewer) == (Verdict.VERIFIED, 1, None, "ann")
    assert {h.reviewer for h in store.history(1)} == {"ann"}


def test_concurrent_reviews_of_one_version_exactly_one_wins(store):
    add(store)
    results: list[str] = []
    barrier = threading.Barrier(4)

    def reviewer(name: str) -> None:
        barrier.wait()
        try:
            store.review(1, verdict="verified", reviewer=name, note=name, expect_version=0)
            results.append("ok")
        except ConflictError:
            results.append("conflict")

    threads = [threading.Thread(target=reviewer, args=(f"r{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict"] * 3 + ["ok"]
    rec = store.get_claim(1)
    assert rec.version == 1 and rec.note == rec.reviewer


def test_concurrent_unversioned_reviews_all_land_in_history(store):
    add(store)
    n = 6
    barrier = threading.Barrier(n)

    def reviewer(i: int) -> None:
        barrier.wait()
        store.review(1, verdict="verified" if i % 2 else "disputed", reviewer=f"r{i}", note=f"note {i}")

    threads = [threading.Thread(target=reviewer, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rec = store.get_claim(1)
    assert rec.version == n
    notes = [h.new for h in store.history(1) if h.field == "note"]
    assert sorted(notes) == sorted(f"note {i}" for i in range(n))
    assert sorted({h.version for h in store.history(1)}) == list(range(1, n + 1))


@pytest.mark.parametrize("kwargs, field", [
    ({"verdict": "maybe"}, "verdict"),
    ({"reviewer": "  "}, "reviewer"),
    ({"corrected": {"quote": "x"}}, "quote"),
    ({"corrected": {"low": "many"}}, "low"),
    ({"corrected": {"high": float("nan")}}, "high"),
    ({"corrected": {"low": 500, "high": 10}}, "low/high"),
    ({"corrected": {"date": "17/12/2014"}}, "date"),
    ({"corrected": {"date": "2014-13-01"}}, "date"),
    ({"corrected": {"duration": "3 days"}}, "duration"),
    ({"corrected": {"outcome": "missing"}}, "outcome"),
    ({"corrected": {"approximate": "perhaps"}}, "approximate"),
    ({"evidence_url": "javascript:alert(1)"}, "evidence_url"),
])
def test_bad_review_input_names_the_field(store, kwargs, field):
    add(store)
    args = {"verdict": "verified", "reviewer": "ann", **kwargs}
    with pytest.raises(BadInputError) as err:
        store.review(1, **args)
    assert str(err.value).startswith(field)
    rec = store.get_claim(1)
    assert rec.version == 0 and store.history(1) == []


def test_review_of_missing_claim_is_not_found(store):
    with pytest.raises(NotFoundError):
        store.review(42, verdict="verified", reviewer="ann")
    with pytest.raises(NotFoundError):
        store.review("abc", verdict="verified", reviewer="ann")
    assert store.get_claim("abc") is None and store.history(None) == []


@pytest.mark.parametrize("bad", ["two", -1, True, 1.5j])
def test_bad_expected_version_is_bad_input(store, bad):
    add(store)
    with pytest.raises(BadInputError, match="^expect_version"):
        store.review(1, verdict="verified", reviewer="ann", expect_version=bad)
    assert store.get_claim(1).version == 0


def test_repeating_the_same_review_changes_nothing(store):
    add(store)
    store.review(1, verdict="verified", reviewer="ann", note="ok")
    rec = store.review(1, verdict="verified", reviewer="ann", note="ok")
    assert rec.version == 1 and len(store.history(1)) == 3


# ---------------------------------------------------------------- re-extraction
def test_replace_claims_keeps_reviews_by_fingerprint(store):
    doc_id = add(store)
    before = {r.claim.quote: r for r in store.claims_for_document(doc_id)}
    store.review(before["132 children"].id, verdict="verified", reviewer="ann", corrected={"high": 140})
    store.review(before["50%"].id, verdict="not_a_claim", reviewer="ann")
    kept = span_claim(TEXT, "132 children", kind=Kind.CASUALTIES, low=132, high=135, outcome=Outcome.KILLED,
                      subject="children", rule="casualty.v2")
    new = span_claim(TEXT, "Peshawar", kind=Kind.FIGURE)
    report = store.replace_claims(doc_id, [kept, new], extractor_version="test-2")
    assert (report.kept, report.added, report.removed) == (1, 1, 2)   # date + force size were unreviewed
    assert report.orphaned == [before["50%"].id]
    after = {r.claim.quote: r for r in store.claims_for_document(doc_id)}
    assert set(after) == {"132 children", "Peshawar", "50%"}
    k = after["132 children"]
    # the extracted high changed under the review: the version goes up so a save made on the old one conflicts
    assert k.id == before["132 children"].id and k.verdict is Verdict.VERIFIED and k.version == 2
    assert "extracted.high" in [h.field for h in store.history(k.id) if h.version == 2]
    assert k.claim.high == 135 and k.corrected == {"high": 140} and k.extractor_version == "test-2"
    assert after["50%"].orphaned and after["50%"].verdict is Verdict.NOT_A_CLAIM
    assert not k.orphaned
    # the orphan comes back when a later extractor finds the span again
    again = store.replace_claims(doc_id, [kept, new, sample_claims()[3]], extractor_version="test-3")
    assert again.restored == [before["50%"].id] and again.orphaned == []
    assert not store.get_claim(before["50%"].id).orphaned
    assert store.count_claims(ClaimFilter(figure_min=139)) == 1  # corrected high still drives filters


def test_replace_claims_of_missing_document(store):
    with pytest.raises(NotFoundError):
        store.replace_claims(5, [], extractor_version="x")


# ---------------------------------------------------------------- publishers
def test_publishers_are_kept_apart_from_verdicts(store):
    add(store)
    store.set_publisher("Dawn", domain="dawn.com", grade="b", note="national daily")
    store.set_publisher("Wire", grade="A")
    store.review(1, verdict="false", reviewer="ann")
    info = {p.name: p for p in store.list_publishers()}
    assert info["Dawn"].grade == "B" and info["Dawn"].domain == "dawn.com"
    assert info["Dawn"].claim_count == 4 and info["Dawn"].verdict_counts == {"false": 1, "unreviewed": 3}
    assert info["Wire"].claim_count == 0 and info["Wire"].document_count == 0
    store.set_publisher("Dawn", note="")
    assert store.get_publisher("Dawn").note is None and store.get_publisher("Dawn").grade == "B"
    with pytest.raises(BadInputError, match="grade"):
        store.set_publisher("Dawn", grade="Z")
    with pytest.raises(BadInputError, match="publisher"):
        store.set_publisher("  ")


def test_stats(store):
    add(store)
    store.review(1, verdict="verified", reviewer="ann")
    s = store.stats()
    assert (s["documents"], s["claims"], s["reviewed"], s["unreviewed"]) == (1, 4, 1, 3)
    assert s["verdicts"] == {"unreviewed": 3, "verified": 1} and s["backend"] == store.dialect


@pytest.mark.parametrize("value, bounds", [
    ("2014", (dt.date(2014, 1, 1), dt.date(2014, 12, 31))),
    ("2024-02", (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
    ("2021-11-09", (dt.date(2021, 11, 9), dt.date(2021, 11, 9))),
    ("2021-02-30", (None, None)),
    ("last week", (None, None)),
    (None, (None, None)),
])
def test_date_bounds(value, bounds):
    assert date_bounds(value) == bounds


def test_upgrade_from_0001_backfills_the_filter_columns(db_url):
    """A database created at revision 0001, with a review, keeps its data and filters right after upgrading."""
    s = Store(db_url, migrate=False)
    with upgraded_to(s, "0001") as conn:
        doc = conn.execute(sa.text(
            "INSERT INTO documents (content_hash, text, ingested_at) VALUES ('h', :t, :now) RETURNING id"),
            {"t": TEXT, "now": dt.datetime(2024, 1, 1)}).scalar_one()
        cid = conn.execute(sa.text(
            "INSERT INTO claims (document_id, fingerprint, extractor_version, kind, span_start, span_end, quote, "
            "sentence, low, high, approximate, subject, rule, orphaned, eff_low, eff_high) VALUES "
            "(:d, 'fp', 'old', 'casualties', 15, 27, '132 children', :t, 132, 132, false, 'children', '', false, "
            "132, 150) RETURNING id"), {"d": doc, "t": TEXT}).scalar_one()
        conn.execute(sa.text(
            "INSERT INTO reviews (claim_id, verdict, corrected, reviewer, version) VALUES "
            "(:c, 'disputed', :corr, 'ann', 1)"), {"c": cid, "corr": json.dumps({"high": 150, "subject": "Pupils"})})
    s.close()
    s = Store(db_url)
    assert s.schema_revision() == "0002" or s.schema_revision() is not None
    assert s.count_claims(ClaimFilter(verdicts=["disputed"], reviewers=["ann"])) == 1
    assert s.count_claims(ClaimFilter(figure_min=140)) == 1
    assert s.count_claims(ClaimFilter(text="PUPILS")) == 1
    assert s.count_claims(ClaimFilter(text="peshawar")) == 1
    rec = s.get_claim(cid)
    assert rec.verdict is Verdict.DISPUTED and rec.corrected == {"high": 150, "subject": "Pupils"} and rec.version == 1
    s.close()


def test_facets_in_one_scan_equal_facet_counts(store):
    add(store)
    add(store, "Reuters said 40 soldiers were injured.", publisher="Reuters", claims=[
        span_claim("Reuters said 40 soldiers were injured.", "40 soldiers", kind=Kind.CASUALTIES, low=40, high=40,
                   outcome=Outcome.INJURED)])
    store.review(1, verdict="verified", reviewer="ann")
    for flt in (ClaimFilter(), ClaimFilter(kinds=["casualties"]), ClaimFilter(publishers=["Reuters"]),
                ClaimFilter(text="nothing matches this")):
        got = store.facets(flt, ["verdict", "kind", "publisher", "outcome", "reviewer"])
        assert got == {f: store.facet_counts(flt, f) for f in got}
    assert store.facets(ClaimFilter(), ["publisher"]) == {"publisher": {"Dawn": 4, "Reuters": 1}}


def test_text_search_covers_corrected_values(store):
    add(store)
    assert store.count_claims(ClaimFilter(text="schoolchildren")) == 0
    store.review(1, verdict="verified", reviewer="ann", corrected={"subject": "Schoolchildren"})
    assert [r.id for r in store.query_claims(ClaimFilter(text="SCHOOLCHILD"))] == [1]


def test_busy_database_gives_a_clear_error_and_loses_nothing(sqlite_url):
    holder = Store(sqlite_url)
    add(holder)
    impatient = Store(sqlite_url, busy_timeout_ms=50, write_attempts=2)
    with holder.write() as conn:
        conn.execute(sa.text("SELECT 1"))  # BEGIN IMMEDIATE: this connection holds the write lock
        with pytest.raises(StoreError, match="busy"):
            impatient.review(1, verdict="verified", reviewer="bob")
        assert impatient.get_claim(1).version == 0  # readers are not blocked (WAL)
    rec = impatient.review(1, verdict="verified", reviewer="bob", expect_version=0)
    assert rec.version == 1 and [h.field for h in impatient.history(1)] == ["verdict", "reviewer"]
    holder.close()
    impatient.close()


def test_same_document_from_many_writers_is_stored_once(store):
    barrier = threading.Barrier(4)
    results: list[tuple[int, bool]] = []

    def writer() -> None:
        barrier.wait()
        results.append(store.add_document(DocumentIn(text=TEXT, publisher="Dawn"), sample_claims(),
                                          extractor_version="x"))

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(created for _, created in results) == [False, False, False, True]
    assert len({doc_id for doc_id, _ in results}) == 1
    assert store.count_documents() == 1 and store.count_claims() == 4 and len(store.list_publishers()) == 1


def test_documents_of_one_new_publisher_from_many_writers(store):
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def writer(i: int) -> None:
        barrier.wait()
        try:
            store.add_document(DocumentIn(text=f"Story {i}: 5 killed.", publisher="Brand New Wire"), [],
                               extractor_version="x")
        except BaseException as e:  # noqa: BLE001 - the test reports any failure
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count_documents() == 4
    assert [(p.name, p.document_count) for p in store.list_publishers()] == [("Brand New Wire", 4)]


def test_long_document_is_inserted_in_batches(store, monkeypatch):
    import claims.store as store_module

    monkeypatch.setattr(store_module, "INSERT_BATCH", 7)
    text = " ".join(f"n{i}" for i in range(50))
    found = [span_claim(text, f"n{i}", low=i, high=i) for i in range(50)]
    doc_id = add(store, text, claims=found)
    recs = store.claims_for_document(doc_id)
    assert [r.claim.low for r in recs] == list(range(50))
    assert all(r.version == 0 and r.verdict is Verdict.UNREVIEWED for r in recs)
    report = store.replace_claims(doc_id, found[:10] + [span_claim(text, "n1 n2", low=1, high=2)],
                                  extractor_version="v2")
    assert (report.kept, report.added, report.removed) == (10, 1, 40)


def test_filter_copies_follow_rows_written_outside_the_store(store):
    """Writers that use the tables directly (the export importer, scripts) still get right filters (0006 triggers)."""
    from claims.store import claims as claims_t
    from claims.store import documents, reviews

    with store.write() as conn:
        doc = conn.execute(documents.insert().values(content_hash="x" * 64, text=TEXT, ingested_at=dt.datetime.now(
            dt.timezone.utc)).returning(documents.c.id)).scalar_one()
        cid = conn.execute(claims_t.insert().values(
            document_id=doc, fingerprint="f" * 32, extractor_version="ext", kind="casualties", span_start=15,
            span_end=27, quote="132 Children", sentence=TEXT, low=132, high=None, approximate=False,
            subject="Schüler", rule="", orphaned=False, eff_low=132, eff_high=None).returning(claims_t.c.id)).scalar_one()
        conn.execute(reviews.insert().values(claim_id=cid, verdict="disputed", corrected={}, reviewer="imp",
                                             version=3))
    assert store.count_claims(ClaimFilter(verdicts=["disputed"], reviewers=["imp"])) == 1
    assert store.count_claims(ClaimFilter(figure_min=100, figure_max=140)) == 1   # "at least 132" counts as 132
    assert store.count_claims(ClaimFilter(figure_max=131)) == 0
    assert store.count_claims(ClaimFilter(text="132 children")) == 1
    assert store.facets(ClaimFilter(), ["verdict"]) == {"verdict": {"disputed": 1}}
    with store.write() as conn:
        conn.execute(reviews.update().where(reviews.c.claim_id == cid).values(verdict="verified", reviewer="imp2"))
        conn.execute(claims_t.update().where(claims_t.c.id == cid).values(eff_low=10, eff_high=20))
    assert store.count_claims(ClaimFilter(verdicts=["verified"], reviewers=["imp2"])) == 1
    assert store.count_claims(ClaimFilter(figure_min=15, figure_max=15)) == 1
    assert store.count_claims(ClaimFilter(figure_min=500)) == 0
    # the store's own writes are unaffected by the triggers
    store.review(cid, verdict="false", reviewer="ann", corrected={"high": 200}, expect_version=3)
    rec = store.get_claim(cid)
    assert (rec.verdict, rec.version) == (Verdict.FALSE, 4)
    assert store.count_claims(ClaimFilter(verdicts=["false"], reviewers=["ann"], figure_min=150)) == 1


_META = st.text(alphabet="ab%_\\'\"[]*?^$.xX ", min_size=1, max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(_META, min_size=1, max_size=5), query=_META)
def test_text_filter_matches_a_plain_substring_reference(store, texts, query):
    """Whatever the search text holds (%, _, \\, quotes, regex characters), it matches exactly like `in`."""
    fields_of: dict[int, tuple[str, ...]] = {}
    for t in texts:
        body = f"claim text {next(_doc_counter)}: {t}"
        doc_id, _ = store.add_document(DocumentIn(text=body), [span_claim(body, t, subject=t.upper())],
                                       extractor_version="prop")
        fields_of[doc_id] = (t, t.upper(), body)  # quote, subject, sentence
    q = query.strip().lower()
    want = {d for d, fields in fields_of.items() if not q or any(q in f.lower() for f in fields)}
    flt = ClaimFilter(text=query, document_ids=list(fields_of))
    assert {r.document_id for r in store.query_claims(flt, limit=None)} == want
    assert store.count_claims(flt) == len(want)


MISSED = "Police said 12 people were killed in the blast. Hospital staff treated 30 wounded survivors."


def test_a_reviewer_adds_a_claim_the_extractor_missed_and_reextraction_keeps_it(store):
    """Issue 14: a claim the extractor missed is added from its words; it is reviewed history, never dropped."""
    q = "12 people"
    doc_id, _ = store.add_document(DocumentIn(text=MISSED, publisher="Wire"),
                                   [Claim(kind=Kind.CASUALTIES, start=12, end=21, quote=q, low=12, high=12,
                                          outcome=Outcome.KILLED, rule="test")], extractor_version="t-1")
    i = MISSED.index("30 wounded")
    added = store.add_claim(doc_id, Claim(kind=Kind.CASUALTIES, start=i, end=i + 10, quote="30 wounded", low=30,
                                          high=30, outcome=Outcome.INJURED, attributed_to="Hospital staff"),
                            reviewer="Rana")
    assert (added.claim.rule, added.claim.sentence, added.reviewer, added.verdict, added.version) == (
        "manual", "Hospital staff treated 30 wounded survivors.", "Rana", Verdict.UNREVIEWED, 1)
    assert (added.claim.low, added.claim.high, added.claim.outcome) == (30, 30, Outcome.INJURED)
    assert [h.field for h in store.history(added.id)] and all(h.reviewer == "Rana" for h in store.history(added.id))
    with pytest.raises(BadInputError, match="already covers"):
        store.add_claim(doc_id, Claim(kind=Kind.CASUALTIES, start=i, end=i + 10, quote="30 wounded",
                                      outcome=Outcome.INJURED), reviewer="Omar")
    with pytest.raises(BadInputError, match="not '31 wounded'"):
        store.add_claim(doc_id, Claim(kind=Kind.CASUALTIES, start=i, end=i + 10, quote="31 wounded"), reviewer="Omar")
    with pytest.raises(BadInputError, match="span"):
        store.add_claim(doc_id, Claim(kind=Kind.FIGURE, start=i, end=len(MISSED) + 5, quote="x"), reviewer="Omar")
    with pytest.raises(BadInputError, match="reviewer"):
        store.add_claim(doc_id, Claim(kind=Kind.FIGURE, start=i, end=i + 2, quote="30"), reviewer=" ")
    with pytest.raises(NotFoundError):
        store.add_claim(doc_id + 99, Claim(kind=Kind.FIGURE, start=i, end=i + 2, quote="30"), reviewer="Omar")
    # a newer extractor that still misses it: the added claim stays (flagged), the unreviewed extracted one goes
    report = store.replace_claims(doc_id, [], extractor_version="t-2")
    assert report.orphaned == [added.id]
    assert [r.id for r in store.claims_for_document(doc_id)] == [added.id]
