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
def temp_cluster(*, durable: bool = True, extra: str = "", root: str | Path | None = None) -> Iterator[str]:
    """Start a PostgreSQL cluster; yield the URL of its database ``bench``; stop it afterwards.

    Without ``root`` the cluster lives in a temp dir that is deleted on exit.
    With ``root`` it is kept there between runs (created on first use), so a
    large benchmark database is built once. ``durable`` keeps fsync and
    synchronous_commit on, as a real deployment would (so write latencies are
    honest); tests may turn it off for speed.
    """
    initdb, pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise FileNotFoundError("initdb/pg_ctl not found on PATH or in " + ", ".join(PG_BIN_DIRS))
    keep = root is not None
    base = Path(root).resolve() if keep else Path(tempfile.mkdtemp(prefix="claims-bench-pg-"))
    base.mkdir(parents=True, exist_ok=True)
    data, sock = base / "data", base / "sock"
    sock.mkdir(exist_ok=True)
    as_root = os.geteuid() == 0
    if as_root:
        pw = pwd.getpwnam("postgres")
        os.chmod(base, 0o755)
        for p in (base, sock):
            os.chown(p, pw.pw_uid, pw.pw_gid)
    port = _free_port()
    started = False
    try:
        fresh = not (data / "PG_VERSION").exists()
        if fresh:
            _run([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C",
                  "--no-sync"], as_root)
        opts = (f"-c listen_addresses='' -c port={port} -c unix_socket_directories={sock} "
                "-c max_connections=100 -c shared_buffers=256MB")
        if not durable:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        if extra:
            opts += " " + extra
        _run([pg_ctl, "-D", str(data), "-o", opts, "-w", "-t", "120", "-l", str(base / "log"), "start"], as_root)
        started = True
        import psycopg

        with psycopg.connect(host=str(sock), port=port, user="postgres", dbname="postgres", autocommit=True) as c:
            if not c.execute("SELECT 1 FROM pg_database WHERE datname = 'bench'").fetchone():
                c.execute('CREATE DATABASE "bench"')
        yield f"postgresql+psycopg://postgres@/bench?host={sock}&port={port}"
    finally:
        if started:
            with contextlib.suppress(Exception):
                # a kept cluster is shut down cleanly so the next run needs no recovery
                _run([pg_ctl, "-D", str(data), "-m", "fast" if keep else "immediate", "-w", "-t", "120", "stop"],
                     as_root)
        if not keep:
            shutil.rmtree(base, ignore_errors=True)


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
