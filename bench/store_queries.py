"""Time the store's filter queries the way the dashboard issues them on a filter change, against Datasette's SQL.

``python -m bench store_queries --db URL [--claims N]`` fills the store
with the synthetic corpus when it holds fewer than N claims (default 100,000),
then for each of a set of typical filters times one "filter change": the
match count with the verdict, kind and publisher facet counts
(``Store.facet_summary``: exact up to ``EXACT_UP_TO`` matches, "about N"
beyond) and the first page of 50 claims, as ``Store.page_summary`` reads them
(a first page shorter than 50 is every match: it gives the count and facets). It prints the median of 3 runs per
filter, in milliseconds, and the slowest one (targets, issue #16: under 300 ms
at a million claims, aim 100 ms).

The same filter change is then run as Datasette runs it on the same file in
the same process: a plain ``count(*)``, the first page in primary-key order
(``LIMIT 101``), and one ``GROUP BY`` per facet column over the filtered rows
(``LIMIT 31``), with the text filter as ``search LIKE '%x%'``; the ratio
(Datasette-style time / ours) is printed per filter (target >= 5x).

``--save FILE`` writes what each filter change shows (the count, whether it
is "about N", the facet counts, the first page's claim ids, and the exact
count) as JSON; ``--check FILE`` compares this run's with a saved one and
fails on any difference: a change to the store's queries must show the same
results before and after, on the same store.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

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


def filter_change(store, flt: ClaimFilter, *, offset: int = 0):
    """Run what the dashboard runs when a filter changes; return the count and facet summary.

    ``Store.page_summary``: the first page of 50, then the summary, which a
    short first page answers itself.
    """
    return store.page_summary(flt, FACETS, limit=50, offset=offset)[0]


FACETS = ("verdict", "kind", "publisher")


def results(store) -> dict[str, dict]:
    """Return, per filter, what its filter change shows: exact count, summary, facets and the first page's ids."""
    out = {}
    for name, flt in filters(store).items():
        summary = filter_change(store, flt)
        out[name] = {"count": store.count_claims(flt), "total": summary.total, "approximate": summary.approximate,
                     "facets": summary.facets, "page": [r.id for r in store.query_claims(flt, limit=50)]}
    return out


def differences(before: dict[str, dict], after: dict[str, dict]) -> list[str]:
    """Return one line per filter and item where two :func:`results` differ."""
    lines = []
    for name in sorted(set(before) | set(after)):
        a, b = before.get(name, {}), after.get(name, {})
        lines += [f"{name}: {key} {a.get(key)!r} -> {b.get(key)!r}" for key in sorted(set(a) | set(b))
                  if a.get(key) != b.get(key)]
    return lines


def datasette_change(store, flt: ClaimFilter) -> int:
    """Run the SQL Datasette issues for the same filter change on the claims table; return the count.

    Datasette's table view: ``select count(*)``, the first page in primary-key
    order with ``LIMIT 101`` (100 rows and "is there a next page"), and per
    facet column ``select col, count(*) from (filtered rows) where col is not
    null group by col order by count(*) desc, col limit 31`` (its
    ``default_facet_size`` of 30, plus one). The filter is the same WHERE
    clause ours uses, with the text search a plain ``LIKE '%x%'`` (no index).
    """
    import sqlalchemy as sa

    from claims.store import _FACET_COLUMN, claims

    conds = store._where(flt, index=False)
    rows = sa.select(claims).where(*conds).subquery()
    with store.read() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(rows)).scalar_one()
        conn.execute(sa.select(claims).where(*conds).order_by(claims.c.id).limit(101)).all()
        for f in FACETS:
            col = rows.c[_FACET_COLUMN[f]]
            conn.execute(sa.select(col, sa.func.count().label("n")).where(col.is_not(None)).group_by(col)
                         .order_by(sa.desc("n"), col).limit(31)).all()
    return n


def timed(fn: Callable[[], object], *, repeat: int = 3) -> float:
    """Return the median wall time of ``fn`` in milliseconds over ``repeat`` runs after one untimed warm-up."""
    fn()
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
    p.add_argument("--no-datasette", dest="datasette", action="store_false",
                   help="skip the Datasette-style comparison (slow at a million claims)")
    p.add_argument("--datasette-repeat", type=int, default=1,
                   help="timed runs of each Datasette-style filter change after a warm-up (default 1)")
    p.add_argument("--save", metavar="FILE", help="write what each filter change shows (JSON), then time as usual")
    p.add_argument("--check", metavar="FILE", help="compare what each filter change shows with a --save FILE; "
                                                   "exit 1 on any difference")
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
        if args.save or args.check:
            now = results(store)
            if args.save:
                Path(args.save).write_text(json.dumps(now, indent=1, sort_keys=True))
                print(f"saved what {len(now)} filter changes show to {args.save}")
            if args.check:
                diff = differences(json.loads(Path(args.check).read_text()), json.loads(json.dumps(now)))
                print("\n".join(diff) or f"same results as {args.check}: {len(now)} filter changes, counts, "
                                         "facets and first pages")
                if diff:
                    return 1
        print(f"{'filter':<26}{'matches':>10}{'shown':>17}{'change ms':>11}{'deep page ms':>14}"
              f"{'datasette ms':>14}{'ratio':>8}")
        worst, worst_ratio = 0.0, float("inf")
        for name, flt in filters(store).items():
            n = store.count_claims(flt)
            summary = filter_change(store, flt)
            shown = f"about {summary.total:,}" if summary.approximate else f"{summary.total:,}"
            ms = timed(lambda: filter_change(store, flt))
            deep = timed(lambda: store.query_claims(flt, limit=50, offset=max(0, n - 50)))
            ds = timed(lambda: datasette_change(store, flt), repeat=args.datasette_repeat) if args.datasette else 0.0
            worst = max(worst, ms)
            ratio = ds / ms if ms and ds else float("nan")
            if ds:
                worst_ratio = min(worst_ratio, ratio)
            print(f"{name:<26}{n:>10,}{shown:>17}{ms:>11.0f}{deep:>14.0f}{ds:>14.0f}{ratio:>7.1f}x", flush=True)
        t = timed(lambda: store.fuzzy_terms("Kestrl"))
        print(f"{'fuzzy_terms':<26}{'':>10}{'':>17}{t:>11.0f}")
        print(f"slowest filter change: {worst:.0f} ms (target < 300 ms at 1,000,000 claims, aim 100 ms)")
        if args.datasette:
            print(f"smallest speed-up over Datasette-style SQL: {worst_ratio:.1f}x (target >= 5x)")
    finally:
        store.close()
    return 0
