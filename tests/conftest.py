"""Fixtures shared by every test module: database URLs for SQLite and a throwaway PostgreSQL cluster.

``sqlite_url``   a fresh SQLite file per test.
``pg_url``       a fresh database per test inside one PostgreSQL cluster per session.
``store``        an open :class:`claims.store.Store`, parametrised over both backends
                 (test ids ``store[sqlite]`` and ``store[postgresql]``).

The PostgreSQL cluster is created with ``initdb``/``pg_ctl`` run as the
``postgres`` user when the tests run as root (postgres refuses root), listens
only on a unix socket in a temp dir, and is stopped and deleted at session end.
Missing binaries skip the PostgreSQL tests with a reason, except when
``CI=true``, where they fail: CI must never silently skip PostgreSQL.
"""
from __future__ import annotations

import itertools
import os
import shutil
import uuid
from pathlib import Path

import pytest

def pytest_configure(config):
    # tests/test_stress.py, test_crash.py, test_hostile.py: multi-process, SIGKILL and browser runs (tens of seconds each)
    config.addinivalue_line("markers", "slow: takes tens of seconds (deselect with -m 'not slow' for a quick run)")


# The cluster code is shared with the benchmarks (testkit/pg.py).
from testkit.pg import PgCluster  # noqa: E402


@pytest.fixture(scope="session")
def pg_cluster():
    """Start one PostgreSQL cluster for the session (skip, or fail under CI=true, without binaries)."""
    try:
        cluster = PgCluster(durable=False)  # fsync off: a test database need not survive a power cut
    except FileNotFoundError as e:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL tests cannot run under CI: {e}")
        pytest.skip(f"PostgreSQL not available: {e}")
    try:
        cluster.start()
    except Exception:
        shutil.rmtree(cluster.root, ignore_errors=True)
        raise
    yield cluster
    cluster.stop()


_db_counter = itertools.count()


@pytest.fixture
def pg_url(pg_cluster) -> str:
    """Return the URL of a fresh, empty PostgreSQL database in the session cluster."""
    name = f"t{next(_db_counter)}_{uuid.uuid4().hex[:8]}"
    return pg_cluster.create_database(name)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """Return the URL of a fresh SQLite file in the test's temp dir."""
    return f"sqlite:///{tmp_path / 'claims.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request) -> str:
    """Return a fresh database URL, once per backend."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def store(db_url):
    """Open a migrated Store on a fresh database, once per backend; close it afterwards."""
    from claims.store import Store

    s = Store(db_url)
    yield s
    s.close()


def _docs_state() -> dict[str, tuple[int, int]]:
    docs = Path(__file__).resolve().parents[1] / "docs"
    return {str(p.relative_to(docs)): (p.stat().st_size, p.stat().st_mtime_ns) for p in docs.rglob("*") if p.is_file()}


@pytest.fixture(scope="session", autouse=True)
def docs_stay_untouched():
    """Under CI=true, fail the run when any test wrote into docs/ (generated docs are refreshed by their scripts).

    Only under CI: on a developer's machine docs/ may be edited while the suite runs.
    """
    if os.environ.get("CI", "").lower() != "true":
        yield
        return
    before = _docs_state()
    yield
    after = _docs_state()
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"tests wrote into docs/: {changed} (write to tmp_path or test-output/ instead)"
