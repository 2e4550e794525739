"""The ``serve`` command: start the review dashboard on a store."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from claims.cli.common import DB, EXIT_OK, open_store
from claims.errors import BadInputError

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
    import os
    import signal
    import subprocess

    if not 0 < args.port < 65536:
        raise BadInputError(f"--port: want 1-65535, got {args.port}")
    app = REPO_ROOT / DASHBOARD_APP
    if not app.is_file():
        raise BadInputError(f"dashboard not found at {app}")
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
