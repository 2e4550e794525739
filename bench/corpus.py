"""Fill a store with the synthetic corpus (testkit/corpus.py) and print insert rates.

``python -m bench corpus [--claims N] [--seed S] [--db URL] [--no-reviews]``; every other
benchmark fills its store the same way.
"""
from __future__ import annotations

from testkit.corpus import fill


def main(argv: list[str]) -> int:
    """Fill a store with a synthetic corpus and print how fast documents and reviews went in."""
    import argparse

    from claims.store import Store

    p = argparse.ArgumentParser(prog="python -m bench corpus",
                                description="Fill a store with a synthetic corpus and print insert rates.")
    p.add_argument("--claims", type=int, default=100_000, help="about how many claims to generate (default 100000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--db", help="database URL (default: CLAIMS_DB_URL or the default SQLite file)")
    p.add_argument("--no-reviews", action="store_true", help="store claims only, leave every claim unreviewed")
    args = p.parse_args(argv)
    store = Store(args.db)
    try:
        r = fill(store, claims=args.claims, seed=args.seed, review=not args.no_reviews)
    finally:
        store.close()
    print(f"documents  {r.documents:>9,}  {r.seconds_documents:8.1f} s  "
          f"{r.claims / max(r.seconds_documents, 1e-9):>9,.0f} claims/s")
    print(f"reviews    {r.reviews:>9,}  {r.seconds_reviews:8.1f} s  "
          f"{r.reviews / max(r.seconds_reviews, 1e-9):>9,.0f} reviews/s")
    return 0
