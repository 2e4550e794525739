"""The ``serve`` command: start the review dashboard on a store."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from claims.cli.common import DB, EXIT_OK, open_store
from claims.errors import BadInputError, PortInUseError

REPO_ROOT = Path(__file__).resolve().parents[2]
DASHBOARD_APP = Path("dashboard") / "streamlit_app.py"


def add_serve(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", parents=[DB], help="start the review dashboard (Streamlit) on this store",
                       description="Run `python -m streamlit run dashboard/streamlit_app.py` from the project root "
                                   "with CLAIMS_DB_URL set to the store. Listens on localhost unless --host says "
                                   "otherwise.")
    p.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    p.add_argument("--host", default="localhost",
                   help="address to listen on (default localhost; 0.0.0.0 exposes it to the network)")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    import signal
    import subprocess

    if not 0 < args.port < 65536:
        raise BadInputError(f"--port: want 1-65535, got {args.port}")
    app = REPO_ROOT / DASHBOARD_APP
    if not app.is_file():
        raise BadInputError(f"dashboard not found at {app}")
    check_port(args.host, args.port)  # before saying where the dashboard is: it will not be there
    with open_store(args) as store:  # fail here, with our message, on a bad URL; also migrates
        url = store.url
        shown = repr(store)
    env = dict(os.environ, CLAIMS_DB_URL=url)
    cmd = [sys.executable, "-m", "streamlit", "run", str(DASHBOARD_APP), "--server.port", str(args.port),
           "--server.address", args.host, "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    print(f"dashboard on http://{args.host}:{args.port}  (store {shown}; Ctrl-C stops it)", file=sys.stderr)

    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env)

    def stop(signum, frame):  # a service manager's SIGTERM must not leave streamlit running on its own
        proc.terminate()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        return EXIT_OK
    finally:
        signal.signal(signal.SIGTERM, previous)


def check_port(host: str, port: int) -> None:
    """Raise PortInUseError, naming who listens and a free port, when ``host:port`` cannot be bound."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise BadInputError(f"--host: cannot resolve {host!r} ({e.strerror})") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will: TIME_WAIT is no obstacle
        try:
            s.bind(address)
        except OSError:
            pass
        else:
            return
    who = listener(port)
    by = f" by {who}" if who else " by another program"
    free = next((p for p in range(port + 1, min(port + 50, 65536)) if _bindable(family, address[0], p)), None)
    hint = f"stop it, or pass --port {free} (free now)" if free else "stop it, or pass another --port"
    raise PortInUseError(f"--port: port {port} on {host} is already in use{by}; {hint}")


def _bindable(family, host: str, port: int) -> bool:
    import socket

    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def listener(port: int) -> str | None:
    """Return "process PID (command line)" listening on TCP ``port``, or None when it cannot be told (not Linux, no access)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            if len(cols) > 9 and cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(cols[9])
    if not inodes:
        return None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    cmd = " ".join(cmd.split())
                    return f"process {proc.name} ({cmd[:120]})" if cmd else f"process {proc.name}"
        except OSError:
            continue
    return None
