"""Stress the review path: many processes writing reviews of the same few claims at once.

``python -m bench stress`` starts N processes (default 8) that each
make M review writes (default 200) on a small pool of shared claims, against
SQLite and PostgreSQL, and prints writes/s and latency percentiles. Writes
come in three kinds, as a team's dashboards would send them:

* fresh  -- read the claim, then ``review(..., expect_version=<what was read>)``:
            accepted, or a ConflictError when someone wrote in between;
* stale  -- ``expect_version`` one behind what was read: must be refused as a conflict;
* blind  -- no ``expect_version`` (last writer wins, the CLI's default): must be accepted.

Every write carries a unique note token, so afterwards :func:`check` can
prove from the database alone that nothing was lost: every accepted write is
in the history exactly once, the versions of a claim's accepted writes are
exactly 1..current with no gap or duplicate, replaying the history gives each
accepted write's verdict and note at its version, the final state equals the
last accepted write, refused and failed writes left no trace, and no write
died with an unhandled database error (a busy database after retries is a
reported ``StoreError``, counted separately).

With ``--reviews-required 2`` (the team's two-review mode) every write is
one reviewer's verdict: the check then proves that each accepted write is in
the history once at its own version, that replaying the per-reviewer
verdicts gives each write's verdict and note at its version, that the stored
per-reviewer verdicts are each reviewer's last accepted write, and that the
claim's verdict and review state are what the two-review rule makes of them.

The writers and the checks live in :mod:`testkit.stress`; tests/test_stress.py runs them with fewer writes.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from testkit.stress import StressReport, percentile, stress

__all__ = ["HEADERS", "main", "markdown_table", "percentile", "summary", "table_rows"]


def table_rows(items: list[tuple[StressReport, list[str]]]) -> list[list[str]]:
    """Return the printed table's rows for finished runs."""
    rows = []
    for rep, problems in items:
        rows.append([
            rep.backend, str(rep.reviews_required), f"{rep.processes} x {rep.writes_per_process}", str(len(set(rep.claim_ids))),
            str(rep.count("accepted")), f"{rep.count('conflict', 'fresh')} / {rep.count('conflict', 'stale')}",
            str(rep.count("failed")), str(rep.count("error")),
            f"{rep.writes_per_second:,.0f}", f"{rep.latency_ms(50):.1f}", f"{rep.latency_ms(95):.1f}",
            f"{rep.latency_ms(99):.1f}", "yes" if not problems else f"NO ({len(problems)})",
        ])
    return rows


HEADERS = ["backend", "reviews required", "processes x writes", "claims", "accepted", "conflicts fresh/stale", "failed (reported)",
           "unhandled", "writes/s", "p50 ms", "p95 ms", "p99 ms", "invariants hold"]


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    """Return rows as a GitHub-flavoured Markdown table."""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join(out)


def main(argv: list[str]) -> int:
    """Run the stress test on SQLite and PostgreSQL and print writes/s, latency and whether every invariant held."""
    p = argparse.ArgumentParser(prog="python -m bench stress", description=__doc__.split("\n\n")[0])
    p.add_argument("--processes", type=int, default=8)
    p.add_argument("--writes", type=int, default=200, help="review writes per process (default 200)")
    p.add_argument("--claims", type=int, default=12, help="size of the shared claim pool (default 12)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--reviews-required", type=int, action="append", choices=(1, 2),
                   help="team setting during the run: 1 one review decides, 2 every write is one reviewer's "
                        "verdict (repeatable; default both)")
    p.add_argument("--backend", action="append", choices=("sqlite", "postgresql"),
                   help="backend to run (repeatable; default both)")
    p.add_argument("--pg-url", help="an empty PostgreSQL database to use (default: a throwaway cluster)")
    args = p.parse_args(argv)
    backends = args.backend or ["sqlite", "postgresql"]
    modes = args.reviews_required or [1, 2]
    if args.pg_url and len(modes) > 1 and "postgresql" in backends:
        p.error("--pg-url holds one run: give one --reviews-required with it")
    done: list[tuple[StressReport, list[str]]] = []

    def each_mode(url_for) -> None:
        for n in modes:
            done.append(stress(url_for(n), processes=args.processes, writes=args.writes, claims=args.claims,
                               seed=args.seed, reviews_required=n))

    with tempfile.TemporaryDirectory(prefix="claims-stress-") as tmp:
        for backend in backends:
            if backend == "sqlite":
                each_mode(lambda n: f"sqlite:///{Path(tmp) / f'stress-{n}.db'}")
            elif args.pg_url:
                each_mode(lambda n: args.pg_url)
            else:
                from testkit import pg

                if not pg.available():
                    print("postgresql: skipped (no initdb/pg_ctl; pass --pg-url)", file=sys.stderr)
                    continue
                with pg.temp_cluster() as url:
                    each_mode(lambda n: _new_database(url, f"stress{n}"))
    print(f"Concurrent review writes ({os.cpu_count()} CPUs); latency is the time inside Store.review.\n")
    print(markdown_table(HEADERS, table_rows(done)))
    bad = [(rep.backend, x) for rep, problems in done for x in problems]
    for backend, x in bad[:20]:
        print(f"{backend}: {x}", file=sys.stderr)
    return 1 if bad else 0


def _new_database(url: str, name: str) -> str:
    """Create database ``name`` on the server of ``url`` and return its URL (one fresh database per run)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')  # name is ours (stress1, stress2), not user input
    finally:
        engine.dispose()
    return sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False)


def summary(rep: StressReport) -> dict[str, Any]:
    """Return the run's figures as plain data (for docs and tests)."""
    return {"backend": rep.backend, "writes": len(rep.results), "accepted": rep.count("accepted"),
            "conflicts": rep.count("conflict"), "failed": rep.count("failed"), "errors": rep.count("error"),
            "writes_per_second": rep.writes_per_second, "p95_ms": rep.latency_ms(95),
            "median_ms": statistics.median([r.seconds * 1000 for r in rep.results]) if rep.results else 0.0}
