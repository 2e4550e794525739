"""Store.page_summary: a filter change's page and summary, the summary read off a short first page exactly."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from claims.model import ClaimFilter
from claims.store import FacetSummary, Store
from tests.test_facet_summary import FIELDS, _fill

# 36 claims over three publishers and three kinds; each filter here matches fewer than 50
SHORT = [None, ClaimFilter(text="kestrelton"), ClaimFilter(text="zz-none"), ClaimFilter(publishers=["Daily"]),
         ClaimFilter(kinds=["casualties"], figure_min=15), ClaimFilter(publishers=["Nobody"])]


def _statements(store: Store) -> list[str]:
    """Return a list that collects every SQL statement the store sends from now on."""
    sent: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda _c, _cur, sql, *_a: sent.append(sql))
    return sent


@pytest.mark.parametrize("flt", SHORT)
def test_a_short_first_page_gives_the_exact_summary_without_counting(store, flt):
    _fill(store)
    store.review(store.query_claims(None, limit=1)[0].id, verdict="verified", reviewer="ann")
    want = FacetSummary(store.count_claims(flt), store.facets(flt, FIELDS + ("outcome",)))
    page = store.query_claims(flt, limit=50)
    sent = _statements(store)
    got, got_page = store.page_summary(flt, FIELDS + ("outcome",), limit=50)
    assert got == want and not got.approximate
    assert [r.id for r in got_page] == [r.id for r in page]
    # the page alone (SQLite may first ask its trigram index how common a text is): no count, no facet
    assert not [s for s in sent if "count(" in s.lower() or "group by" in s.lower()], sent


@pytest.mark.parametrize("flt", [None, ClaimFilter(text="kestrelton"), ClaimFilter(kinds=["force_size"])])
def test_a_full_or_later_page_leaves_the_summary_to_facet_summary(store, flt):
    """A page as long as the limit, or past the first, says nothing of the total: facet_summary answers."""
    _fill(store)
    for limit, offset in ((5, 0), (12, 0), (50, 3), (5, 30)):
        got, page = store.page_summary(flt, FIELDS, limit=limit, offset=offset)
        assert got == store.facet_summary(flt, FIELDS), (limit, offset)
        assert [r.id for r in page] == [r.id for r in store.query_claims(flt, limit=limit, offset=offset)]
    # an estimate stays one: 36 claims over a bound of 5 are "about", whatever the page
    got, _ = store.page_summary(ClaimFilter(fictional=False), FIELDS, limit=5)
    assert got == store.facet_summary(ClaimFilter(fictional=False), FIELDS)


def test_a_facet_the_records_do_not_carry_is_counted(store):
    """A publisher's grade is not on a claim record: the summary is facet_summary's even for a short page."""
    _fill(store)
    store.set_publisher("Wire", grade="A", reviewer="ann")
    got, page = store.page_summary(ClaimFilter(text="kestrelton"), ("grade", "verdict"), limit=50)
    assert len(page) == 36
    assert got == store.facet_summary(ClaimFilter(text="kestrelton"), ("grade", "verdict"))
    assert got.facets["grade"] == {"A": 4 * 3}
