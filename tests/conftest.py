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
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

def pytest_configure(config):
    # tests/test_stress.py, test_crash.py, test_hostile.py: multi-process, SIGKILL and browser runs (tens of seconds each)
    config.addinivalue_line("markers", "slow: takes tens of seconds (deselect with -m 'not slow' for a quick run)")


# One lookup of the server binaries for tests and benchmarks.
from claims.bench._pgtemp import PG_BIN_DIRS, pg_bin as _pg_bin  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgCluster:
    """A throwaway PostgreSQL cluster in a temp dir, reachable through its unix socket."""

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        if not self.initdb or not self.pg_ctl:
            raise FileNotFoundError("initdb/pg_ctl not found on PATH or in " + ", ".join(PG_BIN_DIRS))
        self.root = Path(tempfile.mkdtemp(prefix="claims-pg-"))
        self.data = self.root / "data"
        self.sock = self.root / "sock"
        self.sock.mkdir()
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            pw = pwd.getpwnam("postgres")
            # postgres must own the cluster and be able to reach it
            os.chmod(self.root, 0o755)
            for p in (self.root, self.sock):
                os.chown(p, pw.pw_uid, pw.pw_gid)

    def _run(self, *cmd: str) -> None:
        if self.as_root:
            cmd = ("runuser", "-u", "postgres", "--", *cmd)
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if res.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")

    def start(self) -> None:
        self._run(self.initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C", "--no-sync")
        opts = (f"-c listen_addresses='' -c port={self.port} -c unix_socket_directories={self.sock} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        self._run(self.pg_ctl, "-D", str(self.data), "-o", opts, "-w", "-t", "60",
                  "-l", str(self.root / "log"), "start")

    def stop(self) -> None:
        try:
            self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://postgres@/{dbname}?host={self.sock}&port={self.port}"

    def create_database(self, dbname: str) -> str:
        import psycopg

        with psycopg.connect(host=str(self.sock), port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        return self.url(dbname)


@pytest.fixture(scope="session")
def pg_cluster():
    """Start one PostgreSQL cluster for the session (skip, or fail under CI=true, without binaries)."""
    try:
        cluster = PgCluster()
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
