"""Scale: the store at a million claims on SQLite and PostgreSQL -- filtered pages, facet counts, review writes, export.

``python -m bench scale [--claims 1000000] [--backend sqlite|postgresql]``

1. Builds (once; kept under ``--cache``, default ``data/bench-cache``) a store
   of N synthetic claims from :mod:`testkit.corpus` with the realistic
   verdict mix (about 45% reviewed by five reviewers, each review with its
   history rows). Building goes through the store's own tables in batches of
   documents per transaction instead of ``Store.add_document`` one at a time,
   only so that a million claims load in minutes: the rows are the same. The
   trigram search index and the claim counts are rebuilt once after the load
   instead of row by row (:func:`testkit.bulk.deferred_upkeep`; the result
   equals a store written through the Store, tests/test_stress.py).
   PostgreSQL runs in a cluster kept under the cache folder, with fsync and
   synchronous commit on (durable, as deployed).
2. Times, per typical dashboard filter (:func:`bench.store_queries.filters`),
   a filtered page of 50 claims, the match count and the verdict/kind/publisher
   facet counts: p50 and p95 over repeated warm runs (target p95 < 100 ms).
3. Times ``Store.review`` with ``expect_version`` on random claims (target p95 < 5 ms).
4. Runs ``python -m bench export`` (the export helper's benchmark) on
   the same store for CSV time and peak memory.

Prints Markdown tables (copied into docs/benchmarks.md by ``python -m bench``).
"""
from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.stress import markdown_table, percentile
from testkit.bulk import BuildReport, build

ROOT = Path(__file__).resolve().parents[1]
PAGE_TARGET_MS = 100.0
REVIEW_TARGET_MS = 5.0


# ---------------------------------------------------------------- building
def ensure(url: str, *, claims: int, seed: int = 0) -> tuple[int, BuildReport | None]:
    """Return (claims stored, build report or None) after building the store at ``url`` if it is not full yet."""
    from claims.store import Store

    with Store(url) as s:
        have = s.count_claims(None)
    if have >= claims:
        return have, None
    if have:
        raise RuntimeError(f"{url} holds {have:,} claims, fewer than {claims:,}: delete it to rebuild")
    last = [time.perf_counter()]

    def progress(n: int) -> None:
        if time.perf_counter() - last[0] > 15:
            last[0] = time.perf_counter()
            print(f"  built {n:,} claims", file=sys.stderr, flush=True)

    rep = build(url, claims=claims, seed=seed, progress=progress)
    return rep.claims, rep


# ---------------------------------------------------------------- measuring
def samples(fn: Callable[[], object], *, min_n: int = 5, max_n: int = 30, budget: float = 3.0) -> list[float]:
    """Return sorted wall times (ms) of warm runs of ``fn``: one untimed warm-up, then until the budget is spent."""
    fn()
    out: list[float] = []
    start = time.perf_counter()
    while len(out) < max_n and (len(out) < min_n or time.perf_counter() - start < budget):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return sorted(out)


@dataclass(slots=True)
class QueryRow:
    name: str
    matches: int
    page: list[float] = field(default_factory=list)
    count: list[float] = field(default_factory=list)
    facets: list[float] = field(default_factory=list)


def measure_queries(store, *, budget: float = 3.0) -> list[QueryRow]:
    """Time page, count and facet queries for each typical filter."""
    from bench.store_queries import filters

    rng = random.Random(5)
    out = []
    for name, flt in filters(store).items():
        n = store.count_claims(flt)
        row = QueryRow(name, n)
        pages = max(1, min(20, n // 50))
        row.page = samples(lambda: store.query_claims(flt, limit=50, offset=50 * rng.randrange(pages)),
                           budget=budget)
        row.count = samples(lambda: store.count_claims(flt), budget=budget)
        for f in ("verdict", "kind", "publisher"):
            row.facets += samples(lambda: store.facet_counts(flt, f), budget=budget / 3, min_n=3)
        row.facets.sort()
        out.append(row)
        print(f"  {name}: page p95 {percentile(row.page, 95):.0f} ms, count p95 {percentile(row.count, 95):.0f} ms, "
              f"facet p95 {percentile(row.facets, 95):.0f} ms", file=sys.stderr, flush=True)
    return out


def measure_reviews(store, *, writes: int = 300, seed: int = 9) -> tuple[list[float], float]:
    """Time ``writes`` reviews of random claims with ``expect_version``; return (sorted ms, writes/s)."""
    import sqlalchemy as sa

    from claims.store import claims as claims_t

    with store.read() as conn:
        lo, hi = conn.execute(sa.select(sa.func.min(claims_t.c.id), sa.func.max(claims_t.c.id))).one()
    rng = random.Random(seed)
    verdicts = ("verified", "disputed", "false", "unverifiable")
    times = []
    total = 0.0
    for i in range(writes):
        rec = store.get_claim(rng.randint(lo, hi))
        if rec is None:
            continue
        t0 = time.perf_counter()
        store.review(rec.id, verdict=rng.choice(verdicts), reviewer="bench", note=f"scale bench {i}",
                     expect_version=rec.version)
        dt_ = time.perf_counter() - t0
        total += dt_
        times.append(dt_ * 1000)
    return sorted(times), len(times) / total if total else 0.0


def measure_export(url: str, claims: int) -> dict[str, str]:
    """Run the export benchmark (its own process, so its peak RSS is the export's) and return its figures."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="claims-scale-export-") as tmp:  # our own folder for the output
        res = subprocess.run([sys.executable, "-m", "bench", "export", "--db", url, "--claims", str(claims),
                              "--format", "csv", "--out", str(Path(tmp) / "export.csv")],
                             cwd=ROOT, capture_output=True, text=True, timeout=3600)
    if res.returncode != 0:
        return {"error": (res.stderr or res.stdout)[-500:]}
    figures = {}
    for key, pattern in (("wall", r"wall seconds\s+([\d.,]+)"), ("cpu", r"cpu seconds\s+([\d.,]+)"),
                         ("rss", r"peak RSS\s+([\d.,]+) MiB"), ("size", r"output\s+([\d.,]+) MiB"),
                         ("rate", r"\(([\d,]+) claims/s\)")):
        m = re.search(pattern, res.stdout)
        figures[key] = m.group(1) if m else "?"
    return figures


def fmt_ms(xs: list[float]) -> tuple[str, str]:
    return f"{percentile(xs, 50):.1f}", f"{percentile(xs, 95):.1f}"


def run_backend(url: str, backend: str, *, claims: int, budget: float, writes: int, export: bool) -> tuple[str, list[str]]:
    """Build (if needed) and measure one backend; return (Markdown section, missed targets)."""
    from claims.store import Store

    t0 = time.perf_counter()
    total, built = ensure(url, claims=claims)
    lines = [f"### {backend}: {total:,} claims\n"]
    if built:
        lines.append(f"Built in {built.seconds:,.0f} s ({built.documents:,} documents, {built.reviewed:,} reviews, "
                     f"{built.claims / built.seconds:,.0f} claims/s bulk-loaded).\n")
    missed = []
    with Store(url, migrate=False) as store:
        n_docs = store.count_documents()
        lines.append(f"{n_docs:,} documents; warm runs; p95 from at least 5 runs per query "
                     f"(page: 50 claims at one of the first 20 pages).\n")
        rows = []
        for q in measure_queries(store, budget=budget):
            p50, p95 = fmt_ms(q.page)
            c50, c95 = fmt_ms(q.count)
            f50, f95 = fmt_ms(q.facets)
            worst = max(percentile(q.page, 95), percentile(q.count, 95), percentile(q.facets, 95))
            ok = worst < PAGE_TARGET_MS
            if not ok:
                missed.append(f"{backend} '{q.name}': p95 {worst:.0f} ms (target < {PAGE_TARGET_MS:.0f} ms, "
                              f"{worst / PAGE_TARGET_MS:.1f}x)")
            rows.append([q.name, f"{q.matches:,}", p50, p95, c50, c95, f50, f95, "yes" if ok else "**no**"])
        lines.append(markdown_table(["filter", "matches", "page p50 ms", "page p95 ms", "count p50 ms",
                                     "count p95 ms", "facet p50 ms", "facet p95 ms", "p95 < 100 ms"], rows))
        times, rate = measure_reviews(store, writes=writes)
        r50, r95 = fmt_ms(times)
        r99 = f"{percentile(times, 99):.1f}"
        ok = percentile(times, 95) < REVIEW_TARGET_MS
        if not ok:
            missed.append(f"{backend} review write: p95 {percentile(times, 95):.1f} ms (target < {REVIEW_TARGET_MS:.0f} ms)")
        lines.append("\n" + markdown_table(["review writes", "p50 ms", "p95 ms", "p99 ms", "writes/s",
                                            "p95 < 5 ms"],
                                           [[f"{len(times)} x Store.review(expect_version=...)", r50, r95, r99,
                                             f"{rate:,.0f}", "yes" if ok else "**no**"]]))
    if export:
        ex = measure_export(url, total)
        if "error" in ex:
            lines.append(f"\nCSV export failed: {ex['error']}")
        else:
            lines.append("\n" + markdown_table(["CSV export (python -m bench export)", "wall s", "cpu s",
                                                "claims/s", "output MiB", "peak RSS MiB"],
                                               [[f"{total:,} claims", ex["wall"], ex["cpu"], ex["rate"], ex["size"],
                                                 ex["rss"]]]))
    lines.append(f"\n({backend} section took {time.perf_counter() - t0:,.0f} s)\n")
    return "\n".join(lines), missed


def main(argv: list[str]) -> int:
    """Build the big stores if needed, time them, and print Markdown tables with the targets met or missed."""
    p = argparse.ArgumentParser(prog="python -m bench scale", description=__doc__.split("\n\n")[0])
    p.add_argument("--claims", type=int, default=1_000_000, help="claims in the store (default 1000000)")
    p.add_argument("--backend", action="append", choices=("sqlite", "postgresql"), help="repeatable; default both")
    p.add_argument("--cache", default=str(Path("data") / "bench-cache"),
                   help="folder keeping the built stores between runs (default data/bench-cache)")
    p.add_argument("--sqlite-url", help="use this SQLite store instead of one in --cache")
    p.add_argument("--pg-url", help="use this PostgreSQL database instead of a cluster in --cache")
    p.add_argument("--budget", type=float, default=2.0, help="seconds of repeated runs per query (default 2)")
    p.add_argument("--writes", type=int, default=300, help="review writes to time (default 300)")
    p.add_argument("--no-export", action="store_true", help="skip the CSV export")
    p.add_argument("--build-only", action="store_true", help="build the stores and stop")
    args = p.parse_args(argv)
    cache = Path(args.cache).resolve()
    cache.mkdir(parents=True, exist_ok=True)
    sections, missed = [], []
    for backend in args.backend or ["sqlite", "postgresql"]:
        if backend == "sqlite":
            url = args.sqlite_url or f"sqlite:///{cache / f'scale-{args.claims}.db'}"
            if args.build_only:
                print(f"sqlite: {ensure(url, claims=args.claims)[0]:,} claims in {url}")
                continue
            text, miss = run_backend(url, "SQLite", claims=args.claims, budget=args.budget, writes=args.writes,
                                     export=not args.no_export)
        else:
            from testkit import pg

            if args.pg_url:
                ctx = _nullcontext(args.pg_url)
            elif pg.available():
                ctx = pg.temp_cluster(root=cache / f"pg-{args.claims}")
            else:
                print("postgresql: skipped (no initdb/pg_ctl; pass --pg-url)", file=sys.stderr)
                continue
            with ctx as url:
                if args.build_only:
                    print(f"postgresql: {ensure(url, claims=args.claims)[0]:,} claims")
                    continue
                text, miss = run_backend(url, f"PostgreSQL {pg.server_version(url)}".strip(),
                                         claims=args.claims, budget=args.budget, writes=args.writes,
                                         export=not args.no_export)
        sections.append(text)
        missed += miss
        print(text, flush=True)
    if args.build_only:
        return 0
    print("Targets missed:" if missed else "All targets met.")
    for m in missed:
        print(f"- {m}")
    return 0


class _nullcontext:
    """Yield a given URL (a database the user runs)."""

    def __init__(self, value: str) -> None:
        self.value = value

    def __enter__(self) -> str:
        return self.value

    def __exit__(self, *exc: object) -> None:
        return None

