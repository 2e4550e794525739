"""Ingest speed: store N generated documents (default 10,000) serially and with a pool of extraction workers.

``python -m bench ingest [--documents 10000] [--workers 2 --workers 4]``

Writes the synthetic corpus (:mod:`testkit.corpus`) as .txt files, a
third of them with a ``NAME.meta.json`` sidecar, then times
:func:`claims.ingest.ingest_paths` (what ``python -m claims ingest`` runs)
and :func:`claims.parallel.ingest_paths_parallel` (``--workers N``) from
files to a fresh SQLite store each: read, extract, store, one transaction per
document. Prints a Markdown table with documents/s, claims/s and the speed-up.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.stress import markdown_table


def write_documents(folder: Path, *, documents: int, seed: int = 0) -> int:
    """Write ``documents`` generated articles (and some sidecars) into ``folder``; return their total characters."""
    from testkit.corpus import documents as generate

    chars = 0
    gen = generate(claims=10**12, seed=seed)
    for i in range(documents):
        doc, _ = next(gen)
        (folder / f"doc{i:06d}.txt").write_text(doc.text, encoding="utf-8")
        chars += len(doc.text)
        if i % 3 == 0:
            (folder / f"doc{i:06d}.meta.json").write_text(json.dumps(
                {"title": doc.title, "publisher": doc.publisher, "url": doc.url,
                 "published": doc.published.isoformat()}))
    return chars


def timed_run(folder: Path, url: str, workers: int) -> tuple[float, int, int, int]:
    """Ingest ``folder`` into the fresh store at ``url``; return (seconds, documents, claims, failures)."""
    from claims.parallel import ingest_paths_parallel
    from claims.store import Store

    with Store(url) as store:
        t0 = time.perf_counter()
        rep = ingest_paths_parallel(store, [folder], workers=workers)
        seconds = time.perf_counter() - t0
    return seconds, len(rep.ingested), sum(d.claims for d in rep.ingested), len(rep.failed)


def main(argv: list[str]) -> int:
    """Generate the documents, ingest them serially and in parallel, and print the table."""
    p = argparse.ArgumentParser(prog="python -m bench ingest", description=__doc__.split("\n\n")[0])
    p.add_argument("--documents", type=int, default=10_000, help="documents to ingest (default 10000)")
    p.add_argument("--workers", type=int, action="append",
                   help="extraction processes for the parallel runs (repeatable; default: the CPU count)")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    pools = args.workers or [max(2, os.cpu_count() or 2)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="claims-bench-ingest-") as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        chars = write_documents(folder, documents=args.documents, seed=args.seed)
        serial = None
        for workers in [1, *pools]:
            url = f"sqlite:///{Path(tmp) / f'ingest-{workers}.db'}"
            seconds, n_docs, n_claims, failed = timed_run(folder, url, workers)
            serial = serial or seconds
            rows.append(["serial (ingest_paths)" if workers == 1 else f"--workers {workers}", f"{n_docs:,}",
                         f"{n_claims:,}", f"{failed}", f"{seconds:,.1f}", f"{n_docs / seconds:,.0f}",
                         f"{n_claims / seconds:,.0f}", f"{chars / seconds / 1e6:,.2f}", f"{serial / seconds:.2f}x"])
            print(f"  {rows[-1][0]}: {seconds:.1f} s", file=sys.stderr, flush=True)
    print(f"Ingest of {args.documents:,} generated .txt documents ({chars / 1e6:,.1f} M characters) into a fresh "
          f"SQLite store, on {os.cpu_count()} CPUs.\n")
    print(markdown_table(["run", "documents", "claims", "failed", "seconds", "documents/s", "claims/s",
                          "M chars/s", "speed-up"], rows))
    return 0
