"""Time the store's filter queries the way the dashboard issues them on a filter change.

``python -m bench store_queries --db URL [--claims N]`` fills the store
with the synthetic corpus when it holds fewer than N claims (default 100,000),
then for each of a set of typical filters times one "filter change": the
match count, the first page of 50 claims, and the verdict, kind and publisher
facet counts (``Store.facets``, one scan). It prints the median of 3 runs per filter, in milliseconds,
and the slowest one (the dashboard's target is under 500 ms at 100,000
claims).
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable

from claims.model import ClaimFilter


def filters(store) -> dict[str, ClaimFilter]:
    """Return named filters a reviewer would plausibly set, built from values present in the store."""
    pubs = list(store.facet_counts(None, "publisher"))
    top, small = (pubs[0], pubs[-1]) if pubs else ("", "")
    first = store.query_claims(ClaimFilter(), limit=1, order="oldest")
    day = first[0].published if first and first[0].published else dt.date(2027, 1, 1)
    return {
        "no filter": ClaimFilter(),
        "kind casualties": ClaimFilter(kinds=["casualties"]),
        "verdict unreviewed": ClaimFilter(verdicts=["unreviewed"]),
        "verdict disputed": ClaimFilter(verdicts=["disputed"]),
        "largest publisher": ClaimFilter(publishers=[top]),
        "smallest publisher": ClaimFilter(publishers=[small]),
        "figure 100..1000": ClaimFilter(figure_min=100, figure_max=1000),
        "event date, one month": ClaimFilter(date_from=day + dt.timedelta(days=200),
                                             date_to=day + dt.timedelta(days=230)),
        "published, 3 months": ClaimFilter(published_from=day + dt.timedelta(days=300),
                                           published_to=day + dt.timedelta(days=390)),
        "text 'kestrel'": ClaimFilter(text="kestrel"),
        "text, no match": ClaimFilter(text="zzzz-no-such-text"),
        "kind+publisher+verdict": ClaimFilter(kinds=["casualties"], publishers=[top], verdicts=["unreviewed"]),
        "everything at once": ClaimFilter(kinds=["casualties"], outcomes=["killed"], publishers=pubs[:3],
                                          verdicts=["unreviewed", "disputed"], figure_min=10,
                                          published_from=day, text="said"),
    }


def filter_change(store, flt: ClaimFilter, *, offset: int = 0) -> None:
    """Run what the dashboard runs when a filter changes."""
    store.count_claims(flt)
    store.query_claims(flt, limit=50, offset=offset)
    store.facets(flt, ("verdict", "kind", "publisher"))


def timed(fn: Callable[[], None], *, repeat: int = 3) -> float:
    """Return the median wall time of ``fn`` in milliseconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main(argv: list[str]) -> int:
    """Fill (if needed) and time the dashboard's filter queries; print one line per filter."""
    from testkit.corpus import fill
    from claims.store import Store

    p = argparse.ArgumentParser(prog="python -m bench store_queries", description=__doc__.split("\n\n")[0])
    p.add_argument("--db", help="database URL (default: CLAIMS_DB_URL or the default SQLite file)")
    p.add_argument("--claims", type=int, default=100_000, help="fill up to about N claims first (default 100000)")
    p.add_argument("--no-reviews", action="store_true", help="fill without reviews (faster)")
    args = p.parse_args(argv)
    store = Store(args.db)
    try:
        have = store.count_claims()
        if have < args.claims * 0.95:
            t0 = time.perf_counter()
            fill(store, claims=args.claims - have, seed=have, review=not args.no_reviews)
            print(f"filled to {store.count_claims():,} claims in {time.perf_counter() - t0:.0f} s")
        total = store.count_claims()
        print(f"{store.dialect}: {total:,} claims, {store.count_documents():,} documents")
        print(f"{'filter':<26}{'matches':>10}{'change ms':>11}{'deep page ms':>14}")
        worst = 0.0
        for name, flt in filters(store).items():
            n = store.count_claims(flt)
            ms = timed(lambda: filter_change(store, flt))
            deep = timed(lambda: store.query_claims(flt, limit=50, offset=max(0, n - 50)))
            worst = max(worst, ms)
            print(f"{name:<26}{n:>10,}{ms:>11.0f}{deep:>14.0f}")
        t = timed(lambda: store.fuzzy_terms("Kestrl"))
        print(f"{'fuzzy_terms':<26}{'':>10}{t:>11.0f}")
        print(f"slowest filter change: {worst:.0f} ms (target < 500 ms at 100,000 claims)")
    finally:
        store.close()
    return 0
