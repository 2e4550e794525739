"""Parallel ingest: extract in a pool of worker processes, write in the parent, one transaction per document.

Extraction is pure CPU work on one text at a time, so it spreads over
processes; the database writes stay in the calling process (one writer, one
transaction per document, exactly as :func:`claims.ingest.ingest_paths`
does), so SQLite never sees competing writers and a killed run leaves whole
documents only. Documents are written in input order; at most a few per
worker are in flight, so memory stays bounded on big folders and JSONL files.

``python -m claims ingest --workers N`` calls :func:`ingest_paths_parallel`.
"""
from __future__ import annotations

import datetime as dt
import multiprocessing as mp
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from claims.errors import BadInputError, ClaimsError
from claims.ingest import (
    IngestedDoc, IngestFailure, IngestReport, _apply_overrides, expand_paths, ingest_paths, iter_file_documents,
)
from claims.model import DocumentIn
from claims.store import Store

IN_FLIGHT_PER_WORKER = 4


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
    """Return the extraction pool: spawned workers (no inherited connections) that die with this process."""
    import os

    # spawn: a forked worker would inherit the parent's database connections
    return ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"),
                               initializer=_die_with_parent, initargs=(os.getpid(),))


def _extract(text: str, published: dt.date | None) -> tuple[list[Any], str]:
    """Return (claims, extractor version) for one text; runs in a worker process."""
    from claims.extract import EXTRACTOR_VERSION, extract

    return extract(text, published=published), EXTRACTOR_VERSION


def _documents(files: list[Path], report: IngestReport, *, overrides: dict[str, Any]) -> Iterator[tuple[str, DocumentIn]]:
    """Yield (source, document) for every readable record; record unreadable files and records in ``report``."""
    for path in files:
        try:
            for item in iter_file_documents(path):
                if isinstance(item, IngestFailure):
                    report.failed.append(item)
                    continue
                _apply_overrides(item, **overrides)
                source = (f"{path.parent / item.filename}" if item.filename and item.filename != path.name
                          else str(path))
                yield source, item
        except BadInputError as e:
            msg, src = str(e), str(path)
            report.failed.append(IngestFailure(src, msg.removeprefix(src + ": ")))


def ingest_paths_parallel(store: Store, paths: Iterable[str | Path], *, workers: int,
                          publisher: str | None = None, published: dt.date | None = None, url: str | None = None,
                          title: str | None = None, reextract: bool = False, progress: bool = False,
                          added_by: str | None = None) -> IngestReport:
    """Ingest files and folders like :func:`claims.ingest.ingest_paths`, extracting in ``workers`` processes.

    With ``workers`` <= 1 or ``reextract`` this is ``ingest_paths`` itself
    (re-extraction stays serial: it rewrites reviewed claims and is rare).
    """
    if workers <= 1 or reextract:
        return ingest_paths(store, paths, publisher=publisher, published=published, url=url, title=title,
                            reextract=reextract, progress=progress, added_by=added_by)
    report = IngestReport()
    files = expand_paths(list(paths), report)
    overrides = {"title": title, "url": url, "publisher": publisher, "published": published}
    pending: deque[tuple[str, DocumentIn, Future | None]] = deque()
    submitted: set[str] = set()
    try:
        with worker_pool(workers) as pool:
            for source, doc in _documents(files, report, overrides=overrides):
                fut = None
                if not doc.text.strip() or "\x00" in doc.text:
                    pass  # store_document's checks name the problem below
                elif doc.content_hash not in submitted and store.document_id_for_hash(doc.content_hash) is None:
                    submitted.add(doc.content_hash)
                    fut = pool.submit(_extract, doc.text, doc.published)
                pending.append((source, doc, fut))
                while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                    _write(store, *pending.popleft(), report=report, added_by=added_by)
            while pending:
                _write(store, *pending.popleft(), report=report, added_by=added_by)
    finally:
        # as ingest_paths does: after the store grew by a tenth, refresh the query planner's statistics
        if hasattr(store, "analyze") and len(report.ingested) * 10 >= max(1, store.count_documents()):
            store.analyze()
    return report


def _write(store: Store, source: str, doc: DocumentIn, fut: Future | None, *, report: IngestReport,
           added_by: str | None = None) -> None:
    """Store one document whose claims a worker extracted (or record why not) in its own transaction."""
    from claims.ingest import store_document

    if fut is None:  # empty, binary or already stored: the serial path reports it the same way
        store_document(store, doc, source=source, report=report, added_by=added_by)
        return
    try:
        found, version = fut.result()
        doc_id, created = store.add_document(doc, found, extractor_version=version, added_by=added_by)
        d = store.get_document(doc_id)
        (report.ingested if created else report.unchanged).append(
            IngestedDoc(source, doc_id, d.claim_count if d else 0))
    except ClaimsError as e:
        report.failed.append(IngestFailure(source, str(e).removeprefix(source + ": ")))
    except Exception as e:  # an extractor bug in one document must not stop the others
        report.failed.append(IngestFailure(source, f"{type(e).__name__}: {e}"))
