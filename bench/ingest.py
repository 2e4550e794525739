"""Ingest speed: store N generated documents (default 10,000) with 1, 2 and 4 workers, on SQLite and PostgreSQL.

``python -m bench ingest [--documents 10000] [--workers 1 --workers 2 --workers 4]
[--backend sqlite --backend postgresql] [--dask 2]``

Writes the synthetic corpus (:mod:`testkit.corpus`) as .txt files, a third
of them with a ``NAME.meta.json`` sidecar, then times what ``python -m claims
ingest --workers N`` runs (:func:`claims.parallel.ingest_paths_parallel`;
one worker is the serial :func:`claims.ingest.ingest_paths`) from files to a
fresh store each: read, extract, store, several whole documents per
transaction. PostgreSQL is a throwaway durable cluster (:mod:`testkit.pg`).
``--dask N`` adds a run on a ``distributed.LocalCluster`` of N worker
processes (``ingest --dask``: the cluster extracts, this process writes).
Prints a Markdown table with documents/s, claims/s, the speed-up over one
worker on the same backend, and the load average before each run.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
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


def timed_run(folder: Path, url: str, workers: int, *, scheduler: str | None = None) -> tuple[float, int, int, int]:
    """Ingest ``folder`` into the fresh store at ``url``; return (seconds, documents, claims, failures)."""
    from claims.parallel import ingest_paths_dask, ingest_paths_parallel
    from claims.store import Store

    with Store(url) as store:
        t0 = time.perf_counter()
        if scheduler:
            rep = ingest_paths_dask(store, [folder], scheduler=scheduler)
        else:
            rep = ingest_paths_parallel(store, [folder], workers=workers)
        seconds = time.perf_counter() - t0
    return seconds, len(rep.ingested), sum(d.claims for d in rep.ingested), len(rep.failed)


@contextlib.contextmanager
def databases(backend: str, tmp: Path) -> Iterator[Callable[[str], str]]:
    """Yield a function giving the URL of a fresh database named NAME on ``backend``."""
    if backend == "sqlite":
        yield lambda name: f"sqlite:///{tmp / f'{name}.db'}"
        return
    from testkit.pg import PgCluster

    cluster = PgCluster(durable=True, extra="-c shared_buffers=256MB")  # fsync on: honest commit latency
    try:
        cluster.start()
        yield cluster.create_database
    finally:
        cluster.stop()


def main(argv: list[str]) -> int:
    """Generate the documents, ingest them with each worker count on each backend, and print the table."""
    p = argparse.ArgumentParser(prog="python -m bench ingest", description=__doc__.split("\n\n")[0])
    p.add_argument("--documents", type=int, default=10_000, help="documents to ingest (default 10000)")
    p.add_argument("--workers", type=int, action="append", help="worker processes (repeatable; default 1, 2, 4)")
    p.add_argument("--backend", action="append", choices=("sqlite", "postgresql"),
                   help="repeatable; default both")
    p.add_argument("--dask", type=int, metavar="N", help="also run ingest --dask on a LocalCluster of N processes")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--rss-claims", type=int, metavar="N",
                   help="instead: ingest one JSONL file of about N claims with the CLI and report its peak memory")
    args = p.parse_args(argv)
    if args.rss_claims:
        return memory_run(claims=args.rss_claims, workers=(args.workers or [2])[0],
                          backend=(args.backend or ["sqlite"])[0], seed=args.seed)
    pools = args.workers or [1, 2, 4]
    backends = args.backend or ["sqlite", "postgresql"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="claims-bench-ingest-") as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        chars = write_documents(folder, documents=args.documents, seed=args.seed)
        for backend in backends:
            with databases(backend, Path(tmp)) as fresh:
                base = None
                runs: list[tuple[str, int, str | None]] = [(f"--workers {w}", w, None) for w in pools]
                for label, workers, _ in runs + ([("dask", args.dask, "dask")] if args.dask else []):
                    load = os.getloadavg()[0]
                    url = fresh(f"ingest_{label.strip('-').replace(' ', '_')}")
                    if label == "dask":
                        seconds, n_docs, n_claims, failed = _dask_run(folder, url, workers)
                        label = f"--dask (LocalCluster, {workers} processes)"
                    else:
                        seconds, n_docs, n_claims, failed = timed_run(folder, url, workers)
                    base = base or seconds
                    rows.append([backend, label, f"{n_docs:,}", f"{n_claims:,}", f"{failed}", f"{seconds:,.1f}",
                                 f"{n_docs / seconds:,.0f}", f"{n_claims / seconds:,.0f}",
                                 f"{chars / seconds / 1e6:,.2f}", f"{base / seconds:.2f}x", f"{load:.2f}"])
                    print(f"  {backend} {label}: {seconds:.1f} s", file=sys.stderr, flush=True)
    print(f"Ingest of {args.documents:,} generated .txt documents ({chars / 1e6:,.1f} M characters) into a fresh "
          f"store per run, on {os.cpu_count()} CPUs.\n")
    print(markdown_table(["backend", "run", "documents", "claims", "failed", "seconds", "documents/s", "claims/s",
                          "M chars/s", "speed-up", "load (1 min) before"], rows))
    return 0


def _dask_run(folder: Path, url: str, workers: int) -> tuple[float, int, int, int]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        return timed_run(folder, url, workers, scheduler=cluster.scheduler_address)


def memory_run(*, claims: int, workers: int, backend: str, seed: int) -> int:
    """Ingest a JSONL file of about ``claims`` extracted claims with ``python -m claims ingest``; print peak RSS.

    The command runs in its own process; its resident memory and that of its
    workers is sampled every 0.2 s (psutil): the peak of the parent, of the
    largest worker and of their sum.
    """
    import subprocess

    import psutil

    from testkit.corpus import documents as generate

    with tempfile.TemporaryDirectory(prefix="claims-bench-rss-") as tmp, databases(backend, Path(tmp)) as fresh:
        src = Path(tmp) / "feed.jsonl"
        n_docs = 0
        with src.open("w", encoding="utf-8") as fh:
            # the extractor finds about 0.82 of the generated claims: generate a little more than enough
            for doc, _ in generate(claims=int(claims / 0.80), seed=seed):
                fh.write(json.dumps({"text": doc.text, "title": doc.title, "publisher": doc.publisher,
                                     "url": doc.url, "published": doc.published.isoformat()}) + "\n")
                n_docs += 1
        url = fresh("rss")
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "claims", "ingest", str(src), "--db", url,
                                 "--workers", str(workers)], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
        peak_parent = peak_worker = peak_sum = 0
        ps = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                kids = ps.children(recursive=True)
                parent = ps.memory_info().rss
                rss = [k.memory_info().rss for k in kids]
            except psutil.Error:
                continue
            peak_parent = max(peak_parent, parent)
            peak_worker = max([peak_worker, *rss])
            peak_sum = max(peak_sum, parent + sum(rss))
            time.sleep(0.2)
        summary = proc.communicate()[0].decode().strip()  # the one summary line (--json would hold every document)
        seconds = time.perf_counter() - t0
        from claims.store import Store

        with Store(url, migrate=False) as store:
            stored, stored_docs = store.count_claims(), store.count_documents()
    mib = 2 ** 20
    print(f"Ingest of one JSONL file ({n_docs:,} generated documents) with `python -m claims ingest FILE "
          f"--workers {workers}` into a fresh {backend} store, on {os.cpu_count()} CPUs, load average {load:.2f} "
          "before.\n")
    print(f"`{summary}`\n")
    print(markdown_table(["documents stored", "claims stored", "exit code", "seconds", "peak RSS parent", "peak RSS worker",
                          "peak RSS parent + workers"],
                         [[f"{stored_docs:,}", f"{stored:,}", f"{proc.returncode}",
                           f"{seconds:,.0f}", f"{peak_parent / mib:,.0f} MiB", f"{peak_worker / mib:,.0f} MiB",
                           f"{peak_sum / mib:,.0f} MiB"]]))
    return 0
