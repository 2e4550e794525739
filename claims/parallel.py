"""Parallel ingest: worker processes extract (and on PostgreSQL write), several documents per transaction.

This process reads the files (cheap next to extraction) and hands batches of
documents to a pool of worker processes. On PostgreSQL each worker opens
its own connection, extracts its batch and stores it with
:func:`claims.ingest.store_batch`, so the workers write in parallel. SQLite
takes one writer at a time, so there the workers only extract and this
process writes each batch they return (no queue for the lock); batching is
SQLite's lever. A killed run leaves whole documents only: every
transaction holds complete documents, and workers die with this process.

Outcomes are reported in input order. Text that appears twice in one run is
stored once, from its first occurrence, as the serial run does: the second
copy waits until the batch holding the first is written.

``python -m claims ingest --workers N`` calls :func:`ingest_paths_parallel`;
``--dask ADDRESS`` calls :func:`ingest_paths_dask`, where a Dask cluster extracts
and this process writes, as on SQLite.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from claims.errors import ClusterError
from claims.ingest import (
    BATCH_DOCUMENTS, IngestFailure, IngestReport, expand_paths, file_documents, ingest_paths, new_documents,
    store_batch, write_documents,
)
from claims.model import DocumentIn
from claims.store import Store

IN_FLIGHT_PER_WORKER = 2   # batches queued per worker: enough to keep it busy, few enough to bound memory
WORKER_BUSY_TIMEOUT_MS = 60_000   # SQLite: how long a worker waits for the write lock (the others hold it in turn)
BATCH_CHARACTERS = 4_000_000   # a batch also closes at this much text (long documents), bounding what is in flight


def _die_with_parent(parent: int) -> None:
    """Worker initializer: ask the kernel to kill this worker when its parent dies (a killed ingest leaves none)."""
    import ctypes
    import os
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1  # noqa: N806 - the name in <sys/prctl.h>
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the check below still catches a parent that is already gone
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """Return the ingest pool: spawned workers (no inherited connections) that die with this process."""
    import os

    # spawn: a forked worker would inherit the parent's database connections
    return ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"),
                               initializer=_die_with_parent, initargs=(os.getpid(),))


_worker_stores: dict[str, Store] = {}


def _store_batch_in_worker(url: str, items: list[tuple[str, DocumentIn]], added_by: str | None) -> IngestReport:
    """Extract and store one batch through this worker's own connection; return what happened to each document."""
    store = _worker_stores.get(url)
    if store is None:
        # the parent migrated it; on SQLite the workers queue for one write lock, so a worker waits for its
        # turn longer than an interactive writer would before calling the database busy
        store = _worker_stores[url] = Store(url, migrate=False, busy_timeout_ms=WORKER_BUSY_TIMEOUT_MS)
    report = IngestReport()
    store_batch(store, items, report=report, added_by=added_by)
    return report


def _digest_key(doc: DocumentIn) -> int:
    """Return 8 bytes of the text's hash as an int: a small set member (a rare collision only delays a document)."""
    return int.from_bytes(hashlib.sha256(doc.text.encode("utf-8", "surrogatepass")).digest()[:8], "big")


def batches(documents: Iterator[tuple[str, DocumentIn]], *, size: int = BATCH_DOCUMENTS,
            ) -> Iterator[tuple[str, list[tuple[str, DocumentIn]]]]:
    """Yield ("batch", documents) of at most ``size`` documents, and ("again", [document]) for text seen before.

    A repeat closes the batch before it, so it is written after its first occurrence's batch.
    """
    seen: set[int] = set()
    batch: list[tuple[str, DocumentIn]] = []
    chars = 0
    for source, doc in documents:
        key = _digest_key(doc)
        if key in seen:
            if batch:
                yield "batch", batch
                batch, chars = [], 0
            yield "again", [(source, doc)]
            continue
        seen.add(key)
        batch.append((source, doc))
        chars += len(doc.text)
        if len(batch) >= size or chars >= BATCH_CHARACTERS:
            yield "batch", batch
            batch, chars = [], 0
    if batch:
        yield "batch", batch


def _in_memory(store: Store) -> bool:
    db = store.engine.url.database or ""
    return store.dialect == "sqlite" and (db in ("", ":memory:") or db.startswith("file::memory:"))


def ingest_paths_parallel(store: Store, paths: Iterable[str | Path], *, workers: int,
                          publisher: str | None = None, published: dt.date | None = None, url: str | None = None,
                          title: str | None = None, reextract: bool = False, progress: bool = False,
                          added_by: str | None = None, batch: int = BATCH_DOCUMENTS) -> IngestReport:
    """Ingest files and folders like :func:`claims.ingest.ingest_paths`, extracting in ``workers`` processes.

    On PostgreSQL each worker also writes its batches (parallel writers); on
    SQLite this process writes what the workers extract.

    With ``workers`` <= 1, ``reextract`` or an in-memory SQLite store this is
    ``ingest_paths`` itself (re-extraction stays serial: it rewrites reviewed
    claims and is rare).
    """
    if workers <= 1 or reextract or _in_memory(store):
        return ingest_paths(store, paths, publisher=publisher, published=published, url=url, title=title,
                            reextract=reextract, progress=progress, added_by=added_by)
    report = IngestReport()
    files = expand_paths(list(paths), report)
    overrides = {"title": title, "url": url, "publisher": publisher, "published": published}
    if store.dialect == "sqlite":
        # SQLite takes one writer at a time (and its trigram index makes writing the larger share): writers in
        # every worker would queue for the lock, so the workers extract and this process writes, batch by batch
        from claims.ingest import extract_documents

        try:
            with worker_pool(workers) as pool:
                _extract_elsewhere(store, files, lambda docs: pool.submit(extract_documents, docs),
                                   in_flight=workers * IN_FLIGHT_PER_WORKER, report=report, added_by=added_by,
                                   batch=batch, overrides=overrides)
        finally:
            _analyze_if_grown(store, report)
        return report
    db_url = store.engine.url.render_as_string(hide_password=False)
    pending: deque[tuple[str, list[tuple[str, DocumentIn]], Future | None]] = deque()

    def settle(kind: str, items: list[tuple[str, DocumentIn]], fut: Future | None) -> None:
        if fut is None:  # text seen earlier in this run: its first occurrence is written by now
            store_batch(store, items, report=report, added_by=added_by)
            return
        try:
            report.extend(fut.result())
        except Exception as e:  # a worker died (or could not connect): its batch is not stored, whole
            report.failed.extend(IngestFailure(source, f"worker failed: {type(e).__name__}: {e}")
                                 for source, _ in items)

    try:
        with worker_pool(workers) as pool:
            for kind, items in batches(file_documents(files, report, overrides=overrides), size=batch):
                fut = pool.submit(_store_batch_in_worker, db_url, items, added_by) if kind == "batch" else None
                pending.append((kind, items, fut))
                while len(pending) > workers * IN_FLIGHT_PER_WORKER or (pending and pending[0][2] is None):
                    settle(*pending.popleft())
            while pending:
                settle(*pending.popleft())
    finally:
        _analyze_if_grown(store, report)
    return report


def _analyze_if_grown(store: Store, report: IngestReport) -> None:
    # as ingest_paths does: after the store grew by a tenth, refresh the query planner's statistics
    if len(report.ingested) * 10 >= max(1, store.count_documents()):
        store.analyze()


DASK_CONNECT_SECONDS = 10


def ingest_paths_dask(store: Store, paths: Iterable[str | Path], *, scheduler: str,
                      publisher: str | None = None, published: dt.date | None = None, url: str | None = None,
                      title: str | None = None, added_by: str | None = None,
                      batch: int = BATCH_DOCUMENTS) -> IngestReport:
    """Ingest files and folders with extraction on the Dask cluster at ``scheduler``; write from this process.

    This process reads the files, skips text already stored (so an unchanged
    document never leaves it), ships the text of the rest to the cluster in
    batches (workers never read paths of this machine) and writes each batch
    the cluster returns in one transaction, in input order, exactly as
    :func:`claims.ingest.ingest_paths` writes. Workers need the ``claims``
    package, but no database access. Raise :class:`ClusterError` when the
    scheduler cannot be reached.
    """
    from claims.ingest import extract_documents

    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(f"{scheduler}: --dask needs the dask and distributed packages "
                           "(pip install -r requirements.txt)") from None
    try:
        client = Client(scheduler, timeout=DASK_CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as e:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
    report = IngestReport()
    try:
        in_flight = 2 * max(1, sum(client.nthreads().values()))
        files = expand_paths(list(paths), report)
        _extract_elsewhere(store, files, lambda docs: client.submit(extract_documents, docs, pure=False),
                           in_flight=in_flight, report=report, added_by=added_by, batch=batch,
                           overrides={"title": title, "url": url, "publisher": publisher, "published": published})
    finally:
        client.close()
        _analyze_if_grown(store, report)
    return report


def _extract_elsewhere(store: Store, files: list[Path], submit: Callable[[list[DocumentIn]], Any], *,
                       in_flight: int, report: IngestReport, added_by: str | None, batch: int,
                       overrides: dict[str, Any]) -> None:
    """Read ``files`` here, extract each batch of new documents through ``submit``, write the results here in order.

    ``submit(documents)`` returns a future (concurrent.futures or Dask) of
    :func:`claims.ingest.extract_documents`; at most ``in_flight`` are pending.
    Text already stored is skipped before it is sent; each batch is written in
    one transaction (:func:`claims.ingest.write_documents`).
    """
    pending: deque[tuple[list[tuple[str, DocumentIn]], Any]] = deque()

    def settle(items: list[tuple[str, DocumentIn]], fut: Any) -> None:
        if fut is None:  # text seen earlier in this run: its first occurrence is written by now
            store_batch(store, items, report=report, added_by=added_by)
            return
        try:
            found, version = fut.result()
        except Exception as e:  # the batch was lost (a worker died, claims not installed on a Dask worker)
            report.failed.extend(IngestFailure(source, f"extraction worker failed: {type(e).__name__}: {e}")
                                 for source, _ in items)
            return
        write_documents(store, [(source, doc, f) for (source, doc), f in zip(items, found)],
                        extractor_version=version, report=report, added_by=added_by)

    try:
        for kind, items in batches(file_documents(files, report, overrides=overrides), size=batch):
            if kind == "again":
                pending.append((items, None))
            else:
                todo = new_documents(store, items, report=report, added_by=added_by)
                if todo:
                    pending.append((todo, submit([doc for _, doc in todo])))
            while len(pending) > in_flight or (pending and pending[0][1] is None):
                settle(*pending.popleft())
        while pending:
            settle(*pending.popleft())
    finally:
        for _, fut in pending:
            if fut is not None:
                fut.cancel()
