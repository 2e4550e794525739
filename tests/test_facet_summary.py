"""Store.facet_summary: exact counts when few claims match, an honest flagged estimate beyond, live after every write."""
from __future__ import annotations

import datetime as dt

import pytest

import claims.store as store_mod
from claims.documents import delete_document
from claims.model import Claim, ClaimFilter, DocumentIn, Kind, Outcome
from claims.store import FacetSummary, Store, about

FIELDS = ("verdict", "kind", "publisher")
# every claim _fill stores, through a filter no counts table answers (claims of real documents: the
# documents table decides): counted from the rows, or sampled
EVERY = ClaimFilter(fictional=False)
CASUALTIES = ClaimFilter(kinds=["casualties"], fictional=False)


def _fill(store: Store, docs: int = 12) -> list[int]:
    """Store ``docs`` documents of three claims each (36 claims by default) over three publishers."""
    ids = []
    for i in range(docs):
        text = f"Report {i}: 1{i} people were killed in Kestrelton, police said; 40{i} fighters gathered near Ashby."
        q1, q2 = f"1{i} people were killed", f"40{i} fighters"
        a, b = text.index(q1), text.index(q2)
        found = [Claim(kind=Kind.CASUALTIES, start=a, end=a + len(q1), quote=q1, sentence=text, low=10 + i,
                       high=10 + i, outcome=Outcome.KILLED, subject="people", attributed_to="police", rule="t"),
                 Claim(kind=Kind.FORCE_SIZE, start=b, end=b + len(q2), quote=q2, sentence=text, low=400 + i,
                       high=400 + i, subject="fighters", rule="t"),
                 Claim(kind=Kind.FIGURE, start=0, end=6, quote="Report", sentence=text, rule="t")]
        doc, _ = store.add_document(DocumentIn(text=text, publisher=("Wire", "Daily", "Gazette")[i % 3],
                                               published=dt.date(2024, 1, 1) + dt.timedelta(days=i)), found, extractor_version="t")
        ids.append(doc)
    return ids


def _exact(store: Store, flt: ClaimFilter | None) -> FacetSummary:
    return FacetSummary(store.count_claims(flt), store.facets(flt, FIELDS))


def test_about_rounds_to_two_significant_figures():
    assert [about(x) for x in (0, 7, 99, 243_517, 1_049_999, 12_345.6)] == [0, 7, 99, 240_000, 1_000_000, 12_000]


@pytest.mark.parametrize("flt", [None, ClaimFilter(kinds=["casualties"]), ClaimFilter(text="kestrelton"),
                                 ClaimFilter(publishers=["Daily"], figure_min=405), ClaimFilter(text="zz-none")])
def test_summary_is_exact_when_few_claims_match(store, flt):
    _fill(store)
    got = store.facet_summary(flt, FIELDS)
    assert not got.approximate
    assert got == _exact(store, flt)


def test_summary_beyond_the_bound_is_flagged_approximate(store):
    """Over the bound the sample decides; a sample that covers every id (a small store) gives the true figures."""
    _fill(store)
    for flt in (EVERY, ClaimFilter(kinds=["force_size", "casualties"], figure_min=0), ClaimFilter(text="people were")):
        got = store.facet_summary(flt, FIELDS, exact_up_to=5)
        assert got.approximate, flt
        assert got.total == store.count_claims(flt), flt  # a sample of up to 30,000 ids reads all 36
        assert got.facets == store.facets(flt, FIELDS), flt
    # exactly at the bound it is still exact; one over, an estimate
    assert not store.facet_summary(CASUALTIES, FIELDS, exact_up_to=12).approximate
    assert store.facet_summary(CASUALTIES, FIELDS, exact_up_to=11).approximate


@pytest.mark.parametrize("flt", [None, ClaimFilter(kinds=["casualties", "figure"]), ClaimFilter(publishers=["Daily"]),
                                 ClaimFilter(verdicts=["unreviewed"], outcomes=["killed"], grades=["A"]),
                                 ClaimFilter(reviewers=["nobody"], review_states=["unreviewed"])])
def test_summary_of_category_filters_is_exact_at_any_size(store, flt):
    """Publisher, grade, kind, outcome, verdict, reviewer and review state are counted from claim_counts: never "about"."""
    _fill(store)
    store.set_publisher("Wire", grade="A", reviewer="ann")
    fields = FIELDS + ("grade", "outcome", "reviewer")
    got = store.facet_summary(flt, fields, exact_up_to=1)
    assert not got.approximate
    assert got == FacetSummary(store.count_claims(flt), store.facets(flt, fields))
    rows = [r for r in store.query_claims(flt, limit=None)]
    assert got.total == len(rows)
    assert got.facets["kind"] == _tally(r.claim.kind.value for r in rows)
    assert got.facets["publisher"] == _tally(r.publisher for r in rows)


def _tally(values) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def test_estimate_from_a_partial_sample_is_scaled_and_rounded(sqlite_url, monkeypatch):
    """SQLite samples ids (PostgreSQL samples whole pages, which a store this small does not split)."""
    store = Store(sqlite_url)
    _fill(store, docs=40)  # 120 claims; every fourth id read: 30 of them
    monkeypatch.setattr(store_mod, "SAMPLE_SIZE", 30)
    monkeypatch.setattr(store_mod, "SAMPLE_RUN", 1)
    got = store.facet_summary(EVERY, FIELDS, exact_up_to=10)
    assert got.approximate and got.total == 120
    assert sum(got.facets["kind"].values()) == 120 and set(got.facets["kind"]) == {"casualties", "force_size",
                                                                                   "figure"}
    # a filter the sample finds few of but that matches more than the bound: never reported below the bound
    assert store.facet_summary(CASUALTIES, FIELDS, exact_up_to=10).total >= 11
    store.close()


def test_a_sample_that_misses_every_match_still_reports_more_than_the_bound(store, monkeypatch):
    _fill(store, docs=40)
    monkeypatch.setattr(store_mod, "SAMPLE_SIZE", 1)  # one id (SQLite) or one page's worth (PostgreSQL)
    got = store.facet_summary(CASUALTIES, FIELDS, exact_up_to=10)
    assert got.approximate and got.total >= 11  # the bounded count saw 11 matches: never "about 0"


def test_summary_follows_every_write(store):
    """Reviews, new documents and deletions show at once, counted (claim_counts), exact or estimated from the rows."""
    docs = _fill(store)
    cases = [(flt, b) for flt in (None, EVERY) for b in (1000, 5)]
    before = [store.facet_summary(flt, FIELDS, exact_up_to=b) for flt, b in cases]
    rec = store.query_claims(ClaimFilter(kinds=["casualties"]), limit=1)[0]
    store.review(rec.id, verdict="disputed", reviewer="ann")
    for (flt, bound), old in zip(cases, before):
        got = store.facet_summary(flt, FIELDS, exact_up_to=bound)
        assert got.facets["verdict"].get("disputed") == 1, bound
        assert got.facets["verdict"]["unreviewed"] == old.facets["verdict"]["unreviewed"] - 1, bound
    assert store.facet_summary(ClaimFilter(verdicts=["disputed"]), FIELDS).total == 1
    delete_document(store, docs[0], reviewer="ann")
    assert store.facet_summary(None, FIELDS).total == 33 == store.count_claims()
    assert store.facet_summary(EVERY, FIELDS, exact_up_to=5).total == 33


def test_summary_of_a_common_text_narrowed_by_other_filters_is_exact(sqlite_url, monkeypatch):
    """A text found more often than the bound goes to the sample; if the other filters leave few, they are counted."""
    monkeypatch.setattr(store_mod, "EXACT_UP_TO", 20)
    with Store(sqlite_url) as s:
        _fill(s)
        assert s.text_hits(["people were"]) == 21  # counted up to the bound + 1 only
        flt = ClaimFilter(text="people were", publishers=["Daily"])
        got = s.facet_summary(flt, FIELDS, exact_up_to=20)
        assert not got.approximate and got == _exact(s, flt)
        assert s.facet_summary(ClaimFilter(text="people were"), FIELDS, exact_up_to=5).approximate


def test_two_facets_of_one_column_keep_apart(store):
    """publisher and grade both group claims.publisher_id: each gets its own counts, exact or estimated."""
    _fill(store)
    store.set_publisher("Wire", grade="A", reviewer="ann")
    fields = ("publisher", "grade", "kind")
    for flt in (None, EVERY):
        for bound in (1000, 5):
            got = store.facet_summary(flt, fields, exact_up_to=bound)
            assert got.facets == store.facets(flt, fields), bound
            assert got.facets["grade"] == {"A": 12}
