"""Export speed and memory: stream N claims from a store to a file and print seconds and peak memory.

``python -m bench export [--claims 1000000] [--db URL] [--format csv]``

Fills the database with the synthetic corpus (testkit/corpus.py) in a
child process when it holds fewer than ``--claims`` claims, so the export
process's peak RSS measures the export alone. Prints wall and CPU seconds,
rows per second, output size, peak RSS (``resource.getrusage``) and, with
``--tracemalloc``, the peak of Python allocations (slower). The target is a
1,000,000-claim CSV in under 60 s with memory that does not grow with N.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    """Run the export benchmark and print its figures."""
    from claims.export import FORMATS

    p = argparse.ArgumentParser(prog="python -m bench export", description=__doc__.split("\n\n")[0])
    p.add_argument("--claims", type=int, default=1_000_000, help="claims to export (default 1000000)")
    p.add_argument("--db", help="database URL; default a SQLite file in the temp dir, kept for reuse")
    p.add_argument("--format", choices=[f for f in FORMATS if f != "claimreview"], default="csv")
    p.add_argument("--out", help="output file (default: a temp file, deleted afterwards)")
    p.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (slower)")
    args = p.parse_args(argv)

    db = args.db or f"sqlite:///{Path(tempfile.gettempdir()) / f'claims-bench-export-{args.claims}.db'}"
    from claims.model import ClaimFilter
    from claims.store import Store

    store = Store(db)
    have = store.count_claims(None)
    store.close()
    if have < args.claims:
        print(f"filling {db} with {args.claims - have:,} more synthetic claims (child process)…", file=sys.stderr)
        t0 = time.perf_counter()
        from bench import child_env

        subprocess.run([sys.executable, "-m", "bench", "corpus", "--claims", str(args.claims - have),
                        "--seed", str(have), "--db", db, "--no-reviews"], check=True, stdout=subprocess.DEVNULL,
                       env=child_env())
        print(f"filled in {time.perf_counter() - t0:.0f} s", file=sys.stderr)

    from claims.export import export_to

    store = Store(db)
    n_total = store.count_claims(None)
    # export exactly --claims claims: the first N by id
    last_id = None
    if n_total > args.claims:
        import sqlalchemy as sa
        from claims.store import claims as claims_t

        with store.read() as conn:
            last_id = conn.execute(sa.select(claims_t.c.id).order_by(claims_t.c.id)
                                   .offset(args.claims - 1).limit(1)).scalar()
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="claims-bench-")) / f"export.{args.format}"
    if args.tracemalloc:
        import tracemalloc
        tracemalloc.start()
    rss0 = _rss_mb()
    cpu0, t0 = time.process_time(), time.perf_counter()
    if last_id is None:
        res = export_to(store, ClaimFilter(), fmt=args.format, path=out, groups=None)
    else:
        res = _export_upto(store, last_id, args.format, out)
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    peak_py = None
    if args.tracemalloc:
        import tracemalloc
        peak_py = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    size = out.stat().st_size
    store.close()
    n = res["claims"]
    print(f"format          {args.format}")
    print(f"claims          {n:,}")
    print(f"wall seconds    {wall:.1f}   ({n / max(wall, 1e-9):,.0f} claims/s)")
    print(f"cpu seconds     {cpu:.1f}   (the machine is shared: wall - cpu is time spent waiting)")
    print(f"output          {size / 2**20:,.1f} MiB  {out}")
    print(f"peak RSS        {_rss_mb():,.0f} MiB (before export {rss0:,.0f} MiB)")
    if peak_py is not None:
        print(f"peak Python     {peak_py:,.1f} MiB traced by tracemalloc")
    print(f"target          1,000,000 claims to CSV in < 60 s: {'met' if (n >= 1_000_000 and wall < 60 and args.format == 'csv') else 'see figures above'}")
    if not args.out:
        out.unlink(missing_ok=True)
        os.rmdir(out.parent)
    return 0


def _export_upto(store, last_id: int, fmt: str, out: Path) -> dict:
    """Export claims with id <= last_id (the store holds more than asked for)."""
    from claims.export import export_to

    class Upto:
        def __init__(self, s):
            self._s = s

        def __getattr__(self, name):
            return getattr(self._s, name)

        def iter_claims(self, flt, *, batch=1000):
            for rec in self._s.iter_claims(flt, batch=batch):
                if rec.id > last_id:
                    return
                yield rec

    return export_to(Upto(store), None, fmt=fmt, path=out, groups=None)
