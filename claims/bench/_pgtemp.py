"""Start a throwaway PostgreSQL cluster for a benchmark run when no server URL is given.

The cluster lives in a temp dir, listens only on a unix socket, runs as the
``postgres`` user when we are root (postgres refuses root), and is stopped
and deleted on exit. It mirrors the test fixture in tests/conftest.py so the
benchmark scripts need nothing from tests/.
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


def _run(cmd: list[str], as_root: bool) -> str:
    if as_root:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
    return res.stdout


@contextlib.contextmanager
def temp_cluster(*, durable: bool = True, extra: str = "") -> Iterator[str]:
    """Start a PostgreSQL cluster in a temp dir; yield the URL of a fresh database ``bench`` in it; delete it after.

    ``durable`` keeps fsync and synchronous_commit on, as a real deployment
    would (so write latencies are honest); tests may turn it off for speed.
    """
    initdb, pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise FileNotFoundError("initdb/pg_ctl not found on PATH or in " + ", ".join(PG_BIN_DIRS))
    root = Path(tempfile.mkdtemp(prefix="claims-bench-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    as_root = os.geteuid() == 0
    if as_root:
        pw = pwd.getpwnam("postgres")
        os.chmod(root, 0o755)
        for p in (root, sock):
            os.chown(p, pw.pw_uid, pw.pw_gid)
    port = _free_port()
    started = False
    try:
        _run([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C",
              "--no-sync"], as_root)
        opts = (f"-c listen_addresses='' -c port={port} -c unix_socket_directories={sock} "
                "-c max_connections=100 -c shared_buffers=256MB")
        if not durable:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        if extra:
            opts += " " + extra
        _run([pg_ctl, "-D", str(data), "-o", opts, "-w", "-t", "60", "-l", str(root / "log"), "start"], as_root)
        started = True
        import psycopg

        with psycopg.connect(host=str(sock), port=port, user="postgres", dbname="postgres", autocommit=True) as c:
            c.execute('CREATE DATABASE "bench"')
        yield f"postgresql+psycopg://postgres@/bench?host={sock}&port={port}"
    finally:
        if started:
            with contextlib.suppress(Exception):
                _run([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], as_root)
        shutil.rmtree(root, ignore_errors=True)


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
