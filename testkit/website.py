"""A real local HTTP server for the web-ingest tests and the web_feed benchmark (no test touches the internet).

``LocalSite`` serves a dict of routes from the standard library's
``ThreadingHTTPServer`` in a daemon thread on 127.0.0.1 and records every
request (path and headers). A route is a :class:`Page` (status, body, content
type, extra headers, gzip when asked) or a function ``handler -> None`` that
writes its own response (slow bodies, redirects). ``silent_server`` accepts
connections and never answers.
"""
from __future__ import annotations

import contextlib
import functools
import gzip
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "web_fixtures"


@dataclass
class Page:
    """A canned response."""

    body: bytes | str
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    gzip: bool = False   # compress when the client accepts gzip


Route = Page | Callable[[BaseHTTPRequestHandler], None]


class LocalSite:
    """Serve ``routes`` (path -> Page or handler function) on 127.0.0.1; use as a context manager."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[tuple[str, dict[str, str]]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body go out in two writes: without this, Nagle's algorithm and the client's delayed
            # ACK hold every response ~40 ms on a kept-alive connection, which a real server would not
            disable_nagle_algorithm = True

            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                site.requests.append((self.path, dict(self.headers)))
                route = site.routes.get(urlsplit(self.path).path)
                if route is None:
                    route = Page("<html><body><h1>Not found</h1></body></html>", status=404)
                if callable(route):
                    route(self)
                    return
                body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
                body = body.replace(b"{base}", site.base.encode())
                headers = dict(route.headers)
                if route.gzip and "gzip" in self.headers.get("Accept-Encoding", ""):
                    body = _gzipped(body)
                    headers["Content-Encoding"] = "gzip"
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(body)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass  # keep test output clean

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> "LocalSite":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@functools.lru_cache(maxsize=1024)
def _gzipped(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=6)  # once per body: the benchmark measures the client, not the server


def fixture(name: str) -> str:
    """Return the text of a file in tests/web_fixtures."""
    return (FIXTURES / name).read_text(encoding="utf-8")


def redirect(to: str, status: int = 302) -> Callable[[BaseHTTPRequestHandler], None]:
    """Return a handler answering with a redirect to ``to``."""
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        h.send_header("Location", to)
        h.send_header("Content-Length", "0")
        h.end_headers()
    return handle


def trickle(*, seconds: float, content_type: str = "text/html") -> Callable[[BaseHTTPRequestHandler], None]:
    """Return a handler that sends headers at once, then one byte every 0.1 s for ``seconds``."""
    import time

    def handle(h: BaseHTTPRequestHandler) -> None:
        n = int(seconds / 0.1)
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(n))
        h.end_headers()
        try:
            for _ in range(n):
                h.wfile.write(b" ")
                h.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass  # the client gave up, as it should
    return handle


@contextlib.contextmanager
def silent_server() -> Iterator[str]:
    """Yield the URL of a server that accepts connections and never sends a byte."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
                held.append(conn)  # keep it open, say nothing
            except OSError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/article"
    finally:
        stop.set()
        t.join(2)
        for c in held:
            c.close()
        sock.close()
