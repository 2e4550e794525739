"""Review page speed: fill a store with a synthetic corpus (100,000 claims by default) and time the page.

``python -m bench dashboard [--claims N] [--db URL] [--keep]`` fills a
temporary SQLite store (or ``--db``; an already filled store is reused) with
:mod:`testkit.corpus`, then runs ``python -m bench._review_page``,
which times the Review page's data calls (cold and warm cache, first render
and each kind of filter change) and AppTest runs of the page, and prints a
table against the targets (first render < 2 s, filter change < 0.5 s).
The timing half runs in its own process because it imports Streamlit, which
the ``claims`` library never does.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from testkit.corpus import fill
from claims.model import ClaimFilter

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    """Fill (or reuse) a store and print the Review page's timings; exit 1 if a target is missed."""
    p = argparse.ArgumentParser(prog="python -m bench dashboard", description=__doc__.splitlines()[0])
    p.add_argument("--claims", type=int, default=100_000, help="claims in the synthetic corpus (default 100000)")
    p.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    p.add_argument("--db", help="database URL to fill or reuse (default: a temporary SQLite file)")
    p.add_argument("--keep", action="store_true", help="keep the temporary SQLite file and print its URL")
    p.add_argument("--repeat", type=int, default=5, help="runs per measurement (default 5)")
    args = p.parse_args(argv)

    from claims.store import Store

    tmp = None
    url = args.db
    if not url:
        tmp = Path(tempfile.mkdtemp(prefix="claims-bench-dashboard-"))
        url = f"sqlite:///{tmp / 'claims.db'}"
    try:
        with Store(url) as store:
            have = store.count_claims(ClaimFilter())
            if have:
                print(f"reusing {have:,} claims already in the store")
            else:
                t0 = time.perf_counter()
                last = [0]

                def progress(done: int) -> None:
                    if done - last[0] >= 20_000:
                        last[0] = done
                        print(f"  … {done:,} claims stored ({time.perf_counter() - t0:.0f} s)", flush=True)

                r = fill(store, claims=args.claims, seed=args.seed, progress=progress)
                print(f"filled: {r.documents:,} documents, {r.claims:,} claims in {r.seconds_documents:.1f} s; "
                      f"{r.reviews:,} reviews in {r.seconds_reviews:.1f} s")
        sys.stdout.flush()
        res = subprocess.run([sys.executable, "-m", "bench._review_page", "--db", url,
                              "--repeat", str(args.repeat)], cwd=ROOT)
        return res.returncode
    finally:
        if tmp is not None:
            if args.keep:
                print(f"kept: {url}")
            else:
                shutil.rmtree(tmp, ignore_errors=True)
