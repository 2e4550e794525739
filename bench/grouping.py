"""Grouping speed: group N synthetic claims (default 100,000) in memory and print the seconds taken.

Claims come from :mod:`testkit.corpus` (invented towns, groups and
outlets), turned into :class:`ClaimRecord` objects without a database so the
figure is the grouping alone. Target: under 5 s for 100,000 claims on one core.

    python -m bench grouping [--claims N] [--seed S] [--repeat R]
"""
from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter

from testkit.corpus import synthetic_records


def main(argv: list[str]) -> int:
    """Run the benchmark and print its figures."""
    from claims.compare import group_claims
    from claims.compare.grouping import clear_caches
    from claims.compare.reconcile import reconcile

    ap = argparse.ArgumentParser(prog="python -m bench grouping", description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=1, help="run the grouping this many times, report the median")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    recs = synthetic_records(claims=args.claims, seed=args.seed)
    print(f"generated {len(recs):,} claims in {len(set(r.document_id for r in recs)):,} documents "
          f"in {time.perf_counter() - t0:.2f} s")
    times, cpu = [], []
    groups: list = []
    for _ in range(max(1, args.repeat)):
        clear_caches()  # measure cold: nothing read in an earlier run
        t, c = time.perf_counter(), time.process_time()
        groups = group_claims(recs)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    sizes = Counter(min(len(g), 10) for g in groups)
    multi = [g for g in groups if len(g) > 1]
    t = time.perf_counter()
    flagged = sum(1 for g in multi if reconcile(g).discrepancy)
    t_rec = time.perf_counter() - t
    # CPU seconds too: on a shared machine wall time also counts other processes' turns.
    print(f"grouping: {statistics.median(times):.2f} s wall, {statistics.median(cpu):.2f} s CPU "
          f"(median of {len(times)}; wall per run: " + ", ".join(f"{x:.2f}" for x in times) + ")")
    print(f"groups: {len(groups):,} ({len(multi):,} with 2+ members, largest {max(len(g) for g in groups)}); "
          f"size histogram (10 = 10+): " + ", ".join(f"{k}:{sizes[k]}" for k in sorted(sizes)))
    print(f"reconcile all multi-member groups: {t_rec:.2f} s, {flagged:,} discrepancies")
    return 0
