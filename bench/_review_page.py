"""Time the Review page on an existing store: its data calls cold and warm, and AppTest runs of the page.

Run by ``python -m bench dashboard`` (which fills the store first) as
``python -m bench._review_page --db URL``; lives in dashboard/ because it
imports Streamlit, which the ``claims`` library never does. Prints a table.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FIRST_RENDER_TARGET_S = 2.0
FILTER_CHANGE_TARGET_S = 0.5


def _quiet() -> None:
    # Outside `streamlit run`, cached functions and script contexts warn that no runtime exists;
    # Streamlit sets each of its loggers' levels itself, so silence warnings globally: the figures matter here.
    logging.disable(logging.WARNING)


def timed(fn: Callable[[], object], *, repeat: int, before: Callable[[], None] | None = None) -> list[float]:
    """Return the wall times in seconds of ``repeat`` calls of ``fn`` (``before`` runs untimed before each)."""
    out = []
    for _ in range(repeat):
        if before:
            before()
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench._review_page", description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True, help="database URL of a filled store")
    p.add_argument("--repeat", type=int, default=5, help="runs per measurement (median and max are printed)")
    args = p.parse_args(argv)
    os.environ["CLAIMS_DB_URL"] = args.db

    import streamlit as st  # configures its loggers: quieten them after this import, before the cached readers
    _quiet()
    from streamlit.testing.v1 import AppTest

    from claims.model import ClaimFilter
    from dashboard import data
    s = data.store()
    n_claims = s.count_claims(ClaimFilter())
    top_publisher = next(iter(s.facet_counts(ClaimFilter(), "publisher")), None)
    newest = s.query_claims(ClaimFilter(), limit=1, order="newest")
    year_end = newest[0].published if newest and newest[0].published else dt.date.today()
    print(f"store: {data.db_url().split('///')[-1]}  claims: {n_claims:,}  repeat: {args.repeat}")

    def first_render() -> None:
        """The data calls the Review page makes on its first run (no filter, first page, nothing selected)."""
        data.publisher_names()
        data.reviewer_names()
        flt = data.review_filter()
        data.review_view(flt, limit=50, offset=0)

    def filtered(**widgets) -> Callable[[], None]:
        def calls() -> None:
            flt = data.review_filter(**widgets)
            data.review_view(flt, limit=50, offset=0)
        return calls

    def detail() -> None:
        cid = data.next_unreviewed(data.review_filter())
        rec = data.fresh_claim(cid)
        data.document(rec.document_id)
        data.history(cid)

    clear = st.cache_data.clear
    rows: list[tuple[str, list[float], float | None]] = []
    rows.append(("first render: data calls, cold cache", timed(first_render, repeat=args.repeat, before=clear),
                 FIRST_RENDER_TARGET_S))
    rows.append(("first render: data calls, warm cache", timed(first_render, repeat=args.repeat), None))
    filters = {
        "publisher": dict(publishers=[top_publisher] if top_publisher else []),
        "kind casualties + outcome killed": dict(kinds=["casualties"], outcomes=["killed"]),
        "verdict disputed": dict(verdicts=["disputed"]),
        "reviewer": dict(reviewers=data.reviewer_names()[:1]),
        "figure 100..500": dict(fig_min=100.0, fig_max=500.0),
        "published in the last year": dict(published=(year_end - dt.timedelta(days=365), year_end)),
        "event date range": dict(event_dates=(year_end - dt.timedelta(days=3 * 365), year_end)),
        "text 'police officers'": dict(text="police officers"),
        "fuzzy 'Kestrl Frd' (typo)": dict(text="Kestrl Frd"),
        "combined: publisher+kind+figure": dict(publishers=[top_publisher] if top_publisher else [],
                                                kinds=["casualties"], fig_min=10.0),
    }
    for name, widgets in filters.items():
        # Cold: the cache holds the first render but not this filter, as after a reviewer's change.
        def prime() -> None:
            clear()
            first_render()
        rows.append((f"filter change: {name}", timed(filtered(**widgets), repeat=args.repeat, before=prime),
                     FILTER_CHANGE_TARGET_S))
    rows.append(("open next unreviewed claim (detail calls, cold)", timed(detail, repeat=args.repeat, before=clear),
                 FILTER_CHANGE_TARGET_S))

    app_path = str(ROOT / "dashboard" / "streamlit_app.py")

    def apptest_first() -> None:
        at = AppTest.from_file(app_path, default_timeout=120)
        at.run()
        if at.exception:
            raise RuntimeError(at.exception[0].value)

    rows.append(("AppTest: Review page first run, cold cache",
                 timed(apptest_first, repeat=args.repeat, before=clear), FIRST_RENDER_TARGET_S))

    at = AppTest.from_file(app_path, default_timeout=120)
    at.run()
    kinds = [["casualties"], ["force_size"], ["date"], ["duration"], ["figure"]]
    change_times = []
    for i in range(args.repeat):
        at.sidebar.multiselect(key="f_kinds").set_value(kinds[i % len(kinds)])
        t0 = time.perf_counter()
        at.run()
        change_times.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError(at.exception[0].value)
    rows.append(("AppTest: filter change (kind), rerun", change_times, FILTER_CHANGE_TARGET_S))

    width = max(len(r[0]) for r in rows)
    print(f"{'measurement'.ljust(width)}  {'median ms':>9}  {'max ms':>8}  {'target ms':>9}  ok")
    print(f"{'-' * width}  {'-' * 9}  {'-' * 8}  {'-' * 9}  --")
    failed = 0
    for name, times, target in rows:
        med, worst = statistics.median(times) * 1000, max(times) * 1000
        ok = "" if target is None else ("yes" if med <= target * 1000 else "NO")
        failed += ok == "NO"
        tgt = "" if target is None else f"{target * 1000:.0f}"
        print(f"{name.ljust(width)}  {med:9.1f}  {worst:8.1f}  {tgt:>9}  {ok}")
    print(f"{failed} measurement(s) over target" if failed else "all measurements within target")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
