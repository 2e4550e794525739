"""SIGKILL part-way through ``python -m claims ingest`` (and ``--reextract``) loses and half-stores nothing.

Each test runs the real CLI in a subprocess over a few hundred generated
documents, watches the database from outside, and kills the process with
SIGKILL while it is writing. Afterwards the database must pass its integrity
checks (``PRAGMA integrity_check`` / ``foreign_key_check`` on SQLite; no
dangling rows on either backend), every stored document must have exactly
the claims an uninterrupted run gives it (one transaction per document), and
running the command again must finish with the same counts as an
uninterrupted run. Re-extraction must keep every review.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from testkit.corpus import documents as synthetic_documents
from claims.model import Claim, Kind, content_hash
from claims.store import Store, claims, documents, review_history, reviews

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow

N_TEXT = 300      # .txt files (every third with a NAME.meta.json sidecar)
N_JSONL = 100     # records in one .jsonl file, read line by line


def write_corpus(folder: Path) -> list[str]:
    """Write generated documents as .txt (+ sidecars) and one .jsonl; return their texts."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = []
    gen = synthetic_documents(claims=10**9, seed=11, per_document=(3, 9))
    for i in range(N_TEXT):
        doc, _ = next(gen)
        (folder / f"a{i:04d}.txt").write_text(doc.text, encoding="utf-8")
        if i % 3 == 0:
            (folder / f"a{i:04d}.meta.json").write_text(json.dumps(
                {"title": doc.title, "publisher": doc.publisher, "published": doc.published.isoformat()}))
        texts.append(doc.text)
    with open(folder / "z-feed.jsonl", "w", encoding="utf-8") as fh:
        for _ in range(N_JSONL):
            doc, _ = next(gen)
            fh.write(json.dumps({"text": doc.text, "title": doc.title, "publisher": doc.publisher,
                                 "published": doc.published.isoformat()}) + "\n")
            texts.append(doc.text)
    return texts


def cli(*args: str) -> subprocess.Popen:
    """Start ``python -m claims ARGS`` in its own process group."""
    return subprocess.Popen([sys.executable, "-m", "claims", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def count(url: str, sql: str) -> int:
    with Store(url, migrate=False) as s, s.read() as conn:
        return conn.execute(sa.text(sql)).scalar_one()


def kill_when(proc: subprocess.Popen, url: str, sql: str, *, at_least: int, timeout: float = 180,
              group: bool = False) -> int:
    """SIGKILL ``proc`` (with ``group``, its whole process group) once ``sql`` counts ``at_least``.

    Return the count seen; fail if the run finished first.
    """
    kill = (lambda: os.killpg(proc.pid, signal.SIGKILL)) if group else (lambda: os.kill(proc.pid, signal.SIGKILL))
    deadline = time.monotonic() + timeout
    with Store(url, migrate=False) as s:
        while True:
            with s.read() as conn:
                n = conn.execute(sa.text(sql)).scalar_one()
            if n >= at_least:
                kill()
                proc.wait(timeout=30)
                return n
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail(f"the run ended ({proc.returncode}) before it could be killed at {at_least}: "
                            f"{out.decode()[-500:]} {err.decode()[-2000:]}")
            if time.monotonic() > deadline:
                kill()
                pytest.fail(f"no progress to {at_least} within {timeout} s (at {n})")
            time.sleep(0.01)


def finish(proc: subprocess.Popen, timeout: float = 600) -> str:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, f"exit {proc.returncode}: {err.decode()[-3000:]}"
    return out.decode()


def integrity_problems(url: str) -> list[str]:
    """Return integrity failures: engine checks on SQLite, dangling rows on both backends."""
    problems = []
    with Store(url, migrate=False) as s, s.read() as conn:
        if s.dialect == "sqlite":
            res = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
            if res != ["ok"]:
                problems.append(f"integrity_check: {res[:5]}")
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
            if fk:
                problems.append(f"foreign_key_check: {fk[:5]}")
        checks = {
            "claims without a document": sa.select(sa.func.count()).select_from(
                claims.outerjoin(documents, documents.c.id == claims.c.document_id)).where(documents.c.id.is_(None)),
            "claims without a review row": sa.select(sa.func.count()).select_from(
                claims.outerjoin(reviews, reviews.c.claim_id == claims.c.id)).where(reviews.c.claim_id.is_(None)),
            "reviews without a claim": sa.select(sa.func.count()).select_from(
                reviews.outerjoin(claims, claims.c.id == reviews.c.claim_id)).where(claims.c.id.is_(None)),
            "history without a claim": sa.select(sa.func.count()).select_from(
                review_history.outerjoin(claims, claims.c.id == review_history.c.claim_id)
            ).where(claims.c.id.is_(None)),
        }
        for name, q in checks.items():
            n = conn.execute(q).scalar_one()
            if n:
                problems.append(f"{n} {name}")
    return problems


def claims_per_document(url: str) -> dict[str, int]:
    """Return {content hash: number of claims} for every stored document."""
    with Store(url, migrate=False) as s, s.read() as conn:
        q = (sa.select(documents.c.content_hash, sa.func.count(claims.c.id))
             .select_from(documents.outerjoin(claims, claims.c.document_id == documents.c.id))
             .group_by(documents.c.content_hash))
        return dict(conn.execute(q).all())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash-corpus")
    texts = write_corpus(folder)
    return folder, texts


@pytest.fixture(scope="module")
def uninterrupted(corpus, tmp_path_factory):
    """Claims per document after one uninterrupted ingest (on SQLite; the store is the same on both backends)."""
    folder, texts = corpus
    url = f"sqlite:///{tmp_path_factory.mktemp('baseline') / 'base.db'}"
    finish(cli("ingest", str(folder), "--db", url))
    per_doc = claims_per_document(url)
    assert len(per_doc) == len(set(texts)) == N_TEXT + N_JSONL
    assert sum(per_doc.values()) > 2 * len(per_doc)
    return per_doc


def test_sigkill_during_ingest_leaves_whole_documents_and_rerun_completes(db_url, corpus, uninterrupted):
    folder, _ = corpus
    Store(db_url).close()  # schema in place, so we can watch the run from outside from the start
    docs_sql = "SELECT count(*) FROM documents"
    # kill twice: early in the .txt files, and again after a restart (now deep in the .jsonl file)
    kills = []
    for at_least in (60, N_TEXT + 40):
        kills.append(kill_when(cli("ingest", str(folder), "--db", db_url), db_url, docs_sql, at_least=at_least))
        assert integrity_problems(db_url) == []
        stored = claims_per_document(db_url)
        assert at_least <= len(stored) < len(uninterrupted), "the kill landed part-way"
        half = {h: (n, uninterrupted.get(h)) for h, n in stored.items() if uninterrupted.get(h) != n}
        assert half == {}, f"documents stored with the wrong number of claims (half-stored): {list(half.items())[:5]}"
    finish(cli("ingest", str(folder), "--db", db_url))
    assert integrity_problems(db_url) == []
    assert claims_per_document(db_url) == uninterrupted
    assert count(db_url, "SELECT count(*) FROM reviews") == sum(uninterrupted.values())


def _tamper(store: Store, doc_id: int, text: str) -> tuple[str, str]:
    """Make a stored document look extracted by an older extractor; return (reviewed fake fp, unreviewed fake fp).

    One real unreviewed claim is dropped (re-extraction must add it back), a
    fake claim is added and reviewed (must be kept, flagged orphaned) and one
    fake claim is added unreviewed (must be removed).
    """
    from claims.extract import extract

    digest = content_hash(text)
    real = extract(text, published=store.get_document(doc_id).published)
    real_fps = {c.fingerprint(digest) for c in real}
    fakes = []
    for k in range(1, 40):
        f = Claim(kind=Kind.FIGURE, start=0, end=k, quote=text[:k], rule="older-extractor")
        if f.fingerprint(digest) not in real_fps:
            fakes.append(f)
        if len(fakes) == 2:
            break
    store.replace_claims(doc_id, real[1:] + fakes, extractor_version="0.0.old")
    return fakes[0].fingerprint(digest), fakes[1].fingerprint(digest)


def test_sigkill_during_reextract_keeps_every_review(db_url, corpus, uninterrupted):
    from claims.extract import EXTRACTOR_VERSION, extract

    folder, _ = corpus
    finish(cli("ingest", str(folder), "--db", db_url))
    with Store(db_url, migrate=False) as s:
        docs = {d.id: d for d in s.iter_documents()}
        expected_after: dict[int, set[tuple[str, bool]]] = {}
        for i, (doc_id, d) in enumerate(sorted(docs.items())):
            fps = {(c.fingerprint(d.content_hash), False) for c in extract(d.text, published=d.published)}
            if i % 4 == 0 and fps:
                reviewed_fake, _ = _tamper(s, doc_id, d.text)
                fake_id = next(r.id for r in s.claims_for_document(doc_id) if r.fingerprint == reviewed_fake)
                s.review(fake_id, verdict="disputed", reviewer="crash-test", note=f"fake {doc_id}")
                fps.add((reviewed_fake, True))
            recs = s.claims_for_document(doc_id)
            if recs and i % 3 == 0:  # reviews of real claims too
                s.review(recs[-1].id, verdict="verified", reviewer="crash-test", note=f"real {doc_id}",
                         corrected={"attributed_to": f"crash-test source {doc_id}"})
            expected_after[doc_id] = fps
        with s.write() as conn:  # everything now looks extracted by an older version
            conn.execute(claims.update().values(extractor_version="0.0.old"))
        before = _claim_sets(s)
        reviewed_before = _reviews(s)
    assert len(reviewed_before) > 100

    done_sql = (f"SELECT count(DISTINCT document_id) FROM claims "
                f"WHERE extractor_version = '{EXTRACTOR_VERSION}'")
    for at_least in (50, 300):
        kill_when(cli("ingest", "--reextract", "--db", db_url), db_url, done_sql, at_least=at_least)
        assert integrity_problems(db_url) == []
        with Store(db_url, migrate=False) as s:
            assert _reviews(s) == reviewed_before, "a review changed or vanished"
            now = _claim_sets(s)
            versions = _versions_per_document(s)
        redone = [d for d, v in versions.items() if v == {EXTRACTOR_VERSION}]
        assert at_least <= len(redone) < len(docs), "the kill landed part-way"
        mixed = [d for d, v in versions.items() if len(v) > 1]
        assert mixed == [], f"documents with claims from both extractor runs: {mixed[:5]}"
        torn = [d for d in now if now[d] != (expected_after[d] if d in redone else before[d])]
        assert torn == [], f"documents half re-extracted: {torn[:5]}"
    finish(cli("ingest", "--reextract", "--db", db_url))
    assert integrity_problems(db_url) == []
    with Store(db_url, migrate=False) as s:
        assert _claim_sets(s) == expected_after
        assert _reviews(s) == reviewed_before
        stats = s.stats()
    assert stats["extractor_versions"] == {EXTRACTOR_VERSION: sum(len(v) - sum(o for _, o in v)
                                                                  for v in expected_after.values()),
                                           "0.0.old": sum(o for v in expected_after.values() for _, o in v)}


def _claim_sets(store: Store) -> dict[int, set[tuple[str, bool]]]:
    out: dict[int, set[tuple[str, bool]]] = {}
    with store.read() as conn:
        for doc_id in conn.execute(sa.select(documents.c.id)).scalars():
            out[doc_id] = set()
        for doc_id, fp, orphaned in conn.execute(sa.select(claims.c.document_id, claims.c.fingerprint,
                                                           claims.c.orphaned)):
            out[doc_id].add((fp, bool(orphaned)))
    return out


def _versions_per_document(store: Store) -> dict[int, set[str]]:
    """Return {document id: extractor versions of its claims that are not orphaned}."""
    out: dict[int, set[str]] = {}
    with store.read() as conn:
        for doc_id, version in conn.execute(sa.select(claims.c.document_id, claims.c.extractor_version)
                                            .where(claims.c.orphaned.is_(False)).distinct()):
            out.setdefault(doc_id, set()).add(version)
    return out


def _reviews(store: Store) -> dict[str, tuple]:
    """Return every reviewed claim by fingerprint: (verdict, note, corrections, version, history length)."""
    with store.read() as conn:
        rows = conn.execute(sa.select(claims.c.id, claims.c.fingerprint, reviews.c.verdict, reviews.c.note,
                                      reviews.c.corrected, reviews.c.version)
                            .select_from(claims.join(reviews, reviews.c.claim_id == claims.c.id))
                            .where(reviews.c.version > 0)).all()
        hist = dict(conn.execute(sa.select(review_history.c.claim_id, sa.func.count())
                                 .group_by(review_history.c.claim_id)).all())
    return {fp: (cid, verdict, note, json.dumps(corr, sort_keys=True), version, hist.get(cid, 0))
            for cid, fp, verdict, note, corr, version in rows}


def test_parallel_ingest_stores_what_serial_ingest_stores(sqlite_url, corpus, uninterrupted, tmp_path):
    """claims.parallel (``ingest --workers N``): same documents, claims and failures as the serial run."""
    from claims.ingest import ingest_paths
    from claims.parallel import ingest_paths_parallel

    folder, _ = corpus
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(b"\x00\x01 not text")
    (bad / "latin1.txt").write_bytes("caf\xe9 12 people were killed".encode("latin-1"))
    (bad / "broken.jsonl").write_text('{"text": "5 soldiers were killed"}\n{not json\n{"title": "no text"}\n')
    (bad / "dup.txt").write_text((folder / "a0001.txt").read_text())
    with Store(sqlite_url) as s:
        rep = ingest_paths_parallel(s, [folder, bad], workers=2, added_by="loader")
    assert claims_per_document(sqlite_url) == {**uninterrupted, content_hash("5 soldiers were killed"): 1}
    assert count(sqlite_url, "SELECT count(*) FROM documents WHERE added_by = 'loader'") == len(uninterrupted) + 1
    serial_url = sqlite_url.replace("claims.db", "serial.db")
    with Store(serial_url) as s:
        ref = ingest_paths(s, [folder, bad])
    assert sorted(str(f) for f in rep.failed) == sorted(str(f) for f in ref.failed)
    assert len(rep.failed) == 4
    assert len(rep.ingested) == len(ref.ingested) == N_TEXT + N_JSONL + 1
    assert [d.source for d in rep.unchanged] == [d.source for d in ref.unchanged] == [str(bad / "dup.txt")]
    assert integrity_problems(sqlite_url) == []


def test_sigkill_during_ingest_with_workers_leaves_whole_documents(db_url, corpus, uninterrupted):
    """``ingest --workers 2``: batches of whole documents, written by each worker through its own connection on
    PostgreSQL (parallel writers), by the parent on SQLite; killing the run and its workers leaves whole documents."""
    folder, _ = corpus
    Store(db_url).close()
    proc = cli("ingest", str(folder), "--db", db_url, "--workers", "2")
    kill_when(proc, db_url, "SELECT count(*) FROM documents", at_least=60, group=True)
    assert integrity_problems(db_url) == []
    stored = claims_per_document(db_url)
    assert 60 <= len(stored) < len(uninterrupted), "the kill landed part-way"
    assert {h: n for h, n in stored.items() if uninterrupted.get(h) != n} == {}
    out = finish(cli("ingest", str(folder), "--db", db_url, "--workers", "2"))
    assert f"{len(stored)} unchanged" in out  # what the killed run stored is skipped, not extracted again
    assert integrity_problems(db_url) == []
    assert claims_per_document(db_url) == uninterrupted


# ---------------------------------------------------------------- ingest --dask
@pytest.fixture(scope="module")
def dask_cluster():
    """A LocalCluster of 2 worker processes, one thread each (what ``dask worker`` on two machines would give)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster


def test_dask_ingest_stores_what_serial_ingest_stores_and_skips_it_next_time(pg_url, corpus, uninterrupted,
                                                                             dask_cluster):
    from claims.parallel import ingest_paths_dask

    folder, _ = corpus
    with Store(pg_url) as s:
        rep = ingest_paths_dask(s, [folder], scheduler=dask_cluster.scheduler_address, added_by="cluster")
    assert rep.failed == [] and len(rep.ingested) == len(uninterrupted)
    # the cluster's workers ran the extraction (the scheduler lives in this process)
    prefix = dask_cluster.scheduler.task_prefixes.get("extract_documents")
    assert prefix is not None and sum(prefix.state_counts.values()) >= len(uninterrupted) // 50
    assert claims_per_document(pg_url) == uninterrupted
    assert integrity_problems(pg_url) == []
    assert count(pg_url, "SELECT count(*) FROM documents WHERE added_by = 'cluster'") == len(uninterrupted)
    with Store(pg_url) as s:
        again = ingest_paths_dask(s, [folder], scheduler=dask_cluster.scheduler_address)
    assert again.ingested == [] and len(again.unchanged) == len(uninterrupted) and again.failed == []


def test_sigkill_during_dask_ingest_leaves_whole_documents(pg_url, corpus, uninterrupted, dask_cluster):
    folder, _ = corpus
    Store(pg_url).close()
    args = ("ingest", str(folder), "--db", pg_url, "--dask", dask_cluster.scheduler_address)
    kill_when(cli(*args), pg_url, "SELECT count(*) FROM documents", at_least=60)
    assert integrity_problems(pg_url) == []
    stored = claims_per_document(pg_url)
    assert 60 <= len(stored) < len(uninterrupted), "the kill landed part-way"
    assert {h: n for h, n in stored.items() if uninterrupted.get(h) != n} == {}
    finish(cli(*args))
    assert integrity_problems(pg_url) == []
    assert claims_per_document(pg_url) == uninterrupted
