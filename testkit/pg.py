"""A throwaway PostgreSQL cluster for tests and benchmarks.

The cluster lives in a temp dir (or a kept folder), listens only on a unix
socket, runs as the ``postgres`` user when we are root (postgres refuses
root), and is stopped (and, when temporary, deleted) afterwards.

- tests/conftest.py starts one :class:`PgCluster` per session (``durable=False``
  for speed) and creates a database per test;
- benchmarks use :func:`temp_cluster`, durable by default so write latencies
  are honest.
"""
from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

PG_BIN_DIRS = ("/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin")


def pg_bin(name: str) -> str | None:
    """Return the path of a PostgreSQL server binary, or None."""
    found = shutil.which(name)
    if found:
        return found
    for d in PG_BIN_DIRS:
        p = Path(d) / name
        if p.exists():
            return str(p)
    return None


def available() -> bool:
    """Return whether initdb and pg_ctl can be found."""
    return bool(pg_bin("initdb") and pg_bin("pg_ctl"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgCluster:
    """A PostgreSQL cluster in ``root`` (a new temp dir when None), reachable through its unix socket.

    ``durable`` keeps fsync and synchronous_commit on, as a real deployment
    would; ``extra`` adds server options (``-c name=value ...``). A cluster in
    a given ``root`` is kept between runs (created on first use) and shut down
    cleanly; a temporary one is stopped at once and deleted.
    """

    def __init__(self, *, durable: bool = True, extra: str = "", root: str | Path | None = None,
                 prefix: str = "claims-pg-") -> None:
        self.initdb, self.pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
        if not self.initdb or not self.pg_ctl:
            raise FileNotFoundError("initdb/pg_ctl not found on PATH or in " + ", ".join(PG_BIN_DIRS))
        self.keep = root is not None
        self.root = Path(root).resolve() if self.keep else Path(tempfile.mkdtemp(prefix=prefix))
        self.root.mkdir(parents=True, exist_ok=True)
        self.data = self.root / "data"
        self.sock = self.root / "sock"
        self.sock.mkdir(exist_ok=True)
        self.port = _free_port()
        self.durable, self.extra = durable, extra
        self.as_root = os.geteuid() == 0
        self.started = False
        if self.as_root:
            pw = pwd.getpwnam("postgres")
            # postgres must own the cluster and be able to reach it
            os.chmod(self.root, 0o755)
            for p in (self.root, self.sock):
                os.chown(p, pw.pw_uid, pw.pw_gid)

    def _run(self, *cmd: str, timeout: float = 300) -> str:
        if self.as_root:
            cmd = ("runuser", "-u", "postgres", "--", *cmd)
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if res.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
        return res.stdout

    def start(self) -> "PgCluster":
        """Create the cluster when it does not exist yet and start the server; return self."""
        if not (self.data / "PG_VERSION").exists():
            self._run(self.initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust",
                      "--encoding=UTF8", "--locale=C", "--no-sync")
        opts = (f"-c listen_addresses='' -c port={self.port} -c unix_socket_directories={self.sock} "
                "-c max_connections=100")
        if not self.durable:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        if self.extra:
            opts += " " + self.extra
        self._run(self.pg_ctl, "-D", str(self.data), "-o", opts, "-w", "-t", "120",
                  "-l", str(self.root / "log"), "start")
        self.started = True
        return self

    def stop(self) -> None:
        """Stop the server (cleanly when kept: the next run needs no recovery) and delete a temporary cluster."""
        try:
            if self.started:
                self._run(self.pg_ctl, "-D", str(self.data), "-m", "fast" if self.keep else "immediate",
                          "-w", "-t", "120", "stop")
                self.started = False
        finally:
            if not self.keep:
                shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str) -> str:
        """Return the SQLAlchemy URL of database ``dbname`` in this cluster."""
        return f"postgresql+psycopg://postgres@/{dbname}?host={self.sock}&port={self.port}"

    def create_database(self, dbname: str, *, exist_ok: bool = False) -> str:
        """Create database ``dbname`` (kept when ``exist_ok`` and it exists) and return its URL."""
        import psycopg

        with psycopg.connect(host=str(self.sock), port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            exists = exist_ok and conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                               (dbname,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{dbname}"')
        return self.url(dbname)


@contextlib.contextmanager
def temp_cluster(*, durable: bool = True, extra: str = "", root: str | Path | None = None) -> Iterator[str]:
    """Start a PostgreSQL cluster; yield the URL of its database ``bench``; stop it afterwards.

    Without ``root`` the cluster lives in a temp dir that is deleted on exit.
    With ``root`` it is kept there between runs, so a large benchmark database
    is built once.
    """
    cluster = PgCluster(durable=durable, extra=("-c shared_buffers=256MB " + extra).strip(), root=root,
                        prefix="claims-bench-pg-")
    try:
        cluster.start()
        yield cluster.create_database("bench", exist_ok=True)
    finally:
        with contextlib.suppress(Exception):
            cluster.stop()
        if not cluster.keep:
            shutil.rmtree(cluster.root, ignore_errors=True)


def server_version(url: str) -> str:
    """Return the PostgreSQL server version string of ``url`` (or "" when it cannot be read)."""
    import sqlalchemy as sa

    try:
        eng = sa.create_engine(url)
        with eng.connect() as conn:
            v = conn.execute(sa.text("SHOW server_version")).scalar()
        eng.dispose()
        return str(v)
    except Exception:
        return ""
