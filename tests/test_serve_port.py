"""`serve` on a busy port says so before anything else, naming who holds it and a free port (issue 14, bug 8)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_serve_on_a_busy_port_names_the_process_and_a_free_port(sqlite_url):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "claims", "serve", "--db", sqlite_url, "--port", str(port),
                            "--host", "127.0.0.1"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2, r.stderr
    assert "dashboard on" not in r.stderr
    assert f"port {port} on 127.0.0.1 is already in use" in r.stderr
    assert f"process {os.getpid()}" in r.stderr           # this test's own process holds the port
    assert "--port " in r.stderr and "free now" in r.stderr
