"""Fetch web pages and feeds over HTTP: the only module of the library that opens a network connection.

Everything else (reading a page's article and metadata, canonical URLs,
feeds, storing) is pure and lives in :mod:`claims.pages` and
:mod:`claims.ingest_web`. A fetch follows redirects itself (so a loop is
named as one), stops at an overall deadline and a size limit, asks for gzip,
sends a User-Agent that says what is asking, and refuses a response whose
content type is not what the caller wants before reading its body. Every
failure is a :class:`~claims.errors.FetchError` whose message starts with the
URL that was asked for.

Two deployment concerns are settings: ``CLAIMS_FETCH_PRIVATE=refuse`` makes
every hop (the first request and each redirect) refuse a host that resolves
to a private, loopback, link-local or reserved address, and every connection
check the address it actually reached (a DNS answer that turns private between
the check and the connection, DNS rebinding, is refused too), so a URL pasted
into a shared dashboard cannot probe the server's own network; and the usual
``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``NO_PROXY`` environment variables send
requests through a proxy, as curl and pip do.
"""
from __future__ import annotations

import ipaddress
import socket
import time
import urllib.request
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

import urllib3
import urllib3.connection

from claims.errors import FetchError
from claims.settings import fetch_max_bytes, fetch_private_allowed, fetch_timeout, setting

MAX_REDIRECTS = 10
CHUNK = 64 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

# what callers accept, by the media type of the Content-Type header
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/feed+xml", "text/plain", "text/html")
# named in errors so the user knows what they linked to
_TYPE_NAMES = {"application/pdf": "a PDF document", "application/msword": "a Word document",
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "a Word document",
               "application/json": "JSON", "application/zip": "a ZIP archive",
               "application/octet-stream": "binary data"}


@dataclass(frozen=True, slots=True)
class Fetched:
    """One successful response: where it ended up, what it says it is, and its (decompressed) body."""

    url: str            # the URL asked for
    final_url: str      # the URL after redirects
    status: int
    content_type: str   # media type, lower case, without parameters ("" when the server sent none)
    charset: str | None
    body: bytes


def check_url(url: str) -> str:
    """Return ``url`` stripped if it is an absolute http(s) URL with a host; raise FetchError otherwise."""
    u = (url or "").strip()
    try:
        parts = urlsplit(u)
    except ValueError:
        raise FetchError(f"{url}: not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url}: not an http(s) URL (want https://host/path)")
    return u


def is_url(text: str) -> bool:
    """Return True when ``text`` looks like an http(s) URL rather than a file path."""
    return isinstance(text, str) and text.strip().lower().startswith(("http://", "https://"))


_POOL: urllib3.PoolManager | None = None


def _pool() -> urllib3.PoolManager:
    global _POOL
    if _POOL is None:
        # retries off: redirects are followed below so loops are named, and a failing server is not hammered
        _POOL = urllib3.PoolManager(num_pools=20, maxsize=4, retries=False)
    return _POOL


class _RefusedPeer(Exception):
    """A connection reached a non-public address although its host's DNS answer was public (DNS rebinding)."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        super().__init__(f"{host} connected to {address}, a {kind} address")
        self.host, self.address, self.kind = host, address, kind


class _PublicOnlyHTTPConnection(urllib3.connection.HTTPConnection):
    """An HTTP connection that closes itself, before sending anything, when its peer is not a public address.

    ``_guard`` checks the host's DNS answer before each hop, but the connection
    resolves the name again: a host whose DNS answers a public address to the
    check and a private one a moment later (DNS rebinding) would slip through.
    Checking the address actually connected to closes that gap.
    """

    def _new_conn(self):
        sock = super()._new_conn()
        address = sock.getpeername()[0]
        kind = _private_kind(address)
        if kind:
            sock.close()
            raise _RefusedPeer(self.host, address, kind)
        return sock


class _PublicOnlyHTTPSConnection(_PublicOnlyHTTPConnection, urllib3.connection.HTTPSConnection):
    pass


class _PublicOnlyHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _PublicOnlyHTTPConnection


class _PublicOnlyHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _PublicOnlyHTTPSConnection


_PUBLIC_POOL: urllib3.PoolManager | None = None


def _public_pool() -> urllib3.PoolManager:
    """Return the pool used under CLAIMS_FETCH_PRIVATE=refuse: its connections check the address they reach."""
    global _PUBLIC_POOL
    if _PUBLIC_POOL is None:
        _PUBLIC_POOL = urllib3.PoolManager(num_pools=20, maxsize=4, retries=False)
        _PUBLIC_POOL.pool_classes_by_scheme = {"http": _PublicOnlyHTTPPool, "https": _PublicOnlyHTTPSPool}
    return _PUBLIC_POOL


_PROXY_POOLS: dict[str, urllib3.ProxyManager] = {}


def _manager(current: str, *, public_only: bool = False) -> urllib3.PoolManager:
    """Return the connection pool for ``current``: a proxy's when the environment names one for its scheme.

    ``public_only`` (CLAIMS_FETCH_PRIVATE=refuse) picks a pool whose connections refuse a non-public
    peer; through a proxy the proxy resolves and connects, so only the DNS check applies.
    """
    parts = urlsplit(current)
    proxy = urllib.request.getproxies().get(parts.scheme.lower())
    if not proxy or urllib.request.proxy_bypass(parts.netloc):
        return _public_pool() if public_only else _pool()
    if proxy not in _PROXY_POOLS:
        p = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        headers = (urllib3.make_headers(proxy_basic_auth=f"{unquote(p.username)}:{unquote(p.password or '')}")
                   if p.username else None)
        bare = p._replace(netloc=p.netloc.rsplit("@", 1)[-1]).geturl()
        _PROXY_POOLS[proxy] = urllib3.ProxyManager(bare, proxy_headers=headers, num_pools=20, maxsize=4,
                                                   retries=False)
    return _PROXY_POOLS[proxy]


def _addresses(host: str) -> list[str]:
    """Return every address ``host`` resolves to (a literal address is itself)."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)})


def _private_kind(address: str) -> str | None:
    """Return what kind of non-public address ``address`` is ("loopback", "private", ...), or None when public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "link_local", "private", "multicast", "reserved", "unspecified"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None


def _guard(url: str, current: str) -> bool:
    """Refuse ``current`` (a hop of fetching ``url``) when CLAIMS_FETCH_PRIVATE=refuse and its host is not public.

    Return whether the hop must also check the address it connects to (refuse is on).
    """
    try:
        allowed = fetch_private_allowed()
    except ValueError as e:
        raise FetchError(f"{url}: {e}") from None
    if allowed:
        return False
    host = urlsplit(current).hostname or ""
    try:
        addresses = _addresses(host)
    except (OSError, UnicodeError):
        raise FetchError(f"{url}: cannot find the host {host!r} (DNS)") from None
    for address in addresses:  # one private answer is enough: DNS may return several
        kind = _private_kind(address)
        if kind:
            raise FetchError(f"{url}: refused: {host} is a {kind} address ({address}) and "
                             "CLAIMS_FETCH_PRIVATE=refuse" + (f" (at {current})" if current != url else ""))
    return True


def user_agent() -> str:
    """Return the User-Agent every request sends (CLAIMS_FETCH_USER_AGENT)."""
    return setting("CLAIMS_FETCH_USER_AGENT")


def fetch(url: str, *, accept: tuple[str, ...] = HTML_TYPES, what: str = "a web page",
          timeout: float | None = None, max_bytes: int | None = None) -> Fetched:
    """Fetch ``url`` (following redirects) and return its body; raise FetchError naming the URL on any failure.

    ``accept`` lists the media types wanted (anything else is refused before its
    body is read, ``what`` says what was wanted); ``timeout`` is the deadline in
    seconds for the whole fetch and ``max_bytes`` the largest body, after
    decompression (defaults: CLAIMS_FETCH_TIMEOUT and CLAIMS_FETCH_MAX_MB).
    """
    url = check_url(url)
    timeout = fetch_timeout() if timeout is None else timeout
    limit = fetch_max_bytes() if max_bytes is None else max_bytes
    deadline = time.monotonic() + timeout
    headers = {"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate",
               "Accept": ", ".join(accept) + ", */*;q=0.1"}
    chain = [url]
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        resp = _request(url, current, headers, deadline, timeout)
        finished = False
        try:
            if resp.status in REDIRECT_STATUSES:
                target = _redirect_target(url, current, resp, chain)
                chain.append(target)
                current = target
                finished = True
                continue
            if resp.status >= 400:
                raise FetchError(f"{url}: the server answered HTTP {resp.status} {_reason(resp)}"
                                 + (f" (at {current})" if current != url else ""))
            media, charset = _content_type(resp.headers.get("Content-Type", ""))
            if media and media not in accept:
                raise FetchError(f"{url}: {_type_name(media)} ({media}), not {what}"
                                 + ("; download it and extract its text first" if media == "application/pdf"
                                    else ""))
            body = _read_body(url, resp, limit, deadline, timeout)
            finished = True
            return Fetched(url=url, final_url=current, status=resp.status, content_type=media, charset=charset,
                           body=body)
        finally:
            if not finished:
                resp.close()  # a body left unread must not reach the next request on this connection
            resp.release_conn()
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects ({' -> '.join(chain[:4])} -> ...)")


def _request(url: str, current: str, headers: dict[str, str], deadline: float,
             timeout: float) -> urllib3.BaseHTTPResponse:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(f"{url}: no complete answer within {timeout:g} s (timeout; CLAIMS_FETCH_TIMEOUT)")
    manager = _manager(current, public_only=_guard(url, current))
    if isinstance(manager, urllib3.ProxyManager) and urlsplit(current).scheme.lower() == "http":
        headers = {**headers, **manager.proxy_headers}  # urllib3 sends these itself only on an https CONNECT
    try:
        return manager.request("GET", current, headers=headers, redirect=False, preload_content=False,
                               retries=False, timeout=urllib3.Timeout(connect=min(left, 10.0), read=left))
    except _RefusedPeer as e:
        raise FetchError(f"{url}: refused: {e} (its DNS answer changed after the check: DNS rebinding?) and "
                         "CLAIMS_FETCH_PRIVATE=refuse" + (f" (at {current})" if current != url else "")) from None
    # NewConnectionError is a ConnectTimeoutError in urllib3 2: catch it (and DNS failures) first
    except urllib3.exceptions.NameResolutionError:
        raise FetchError(f"{url}: cannot find the host {urlsplit(current).hostname!r} (DNS)") from None
    except urllib3.exceptions.NewConnectionError as e:
        raise FetchError(f"{url}: cannot connect to {urlsplit(current).netloc} ({_cause(e)})") from None
    except (urllib3.exceptions.ConnectTimeoutError, urllib3.exceptions.ReadTimeoutError):
        raise FetchError(f"{url}: the server did not answer within {timeout:g} s "
                         "(timeout; CLAIMS_FETCH_TIMEOUT)") from None
    except urllib3.exceptions.SSLError as e:
        raise FetchError(f"{url}: TLS/SSL error ({_cause(e)})") from None
    except urllib3.exceptions.LocationParseError:
        raise FetchError(f"{url}: not a valid URL ({current})") from None
    except urllib3.exceptions.HTTPError as e:
        raise FetchError(f"{url}: the connection failed ({_cause(e)})") from None


def _redirect_target(url: str, current: str, resp: urllib3.BaseHTTPResponse, chain: list[str]) -> str:
    location = resp.headers.get("Location")
    if not location:
        raise FetchError(f"{url}: HTTP {resp.status} redirect without a Location header")
    target = urljoin(current, location.strip())
    if urlsplit(target).scheme.lower() not in ("http", "https"):
        raise FetchError(f"{url}: redirected to a non-http(s) URL {target!r}")
    if target in chain:
        raise FetchError(f"{url}: redirect loop ({' -> '.join(chain + [target])})")
    resp.drain_conn()
    return target


def _read_body(url: str, resp: urllib3.BaseHTTPResponse, limit: int, deadline: float, timeout: float) -> bytes:
    mb = f"{limit / 1048576:g} MB"
    declared = resp.headers.get("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > limit \
            and not resp.headers.get("Content-Encoding"):
        raise FetchError(f"{url}: the page is {int(declared) / 1048576:.1f} MB, over the {mb} limit "
                         "(CLAIMS_FETCH_MAX_MB)")
    parts: list[bytes] = []
    size = 0
    try:
        while True:
            if time.monotonic() > deadline:
                raise FetchError(f"{url}: the page did not arrive within {timeout:g} s "
                                 "(timeout; CLAIMS_FETCH_TIMEOUT)")
            # read1 returns what one read of the socket gives, so a server trickling bytes meets the deadline
            chunk = resp.read1(CHUNK, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:  # counted after decompression: a small gzip bomb is refused too
                raise FetchError(f"{url}: the page is over the {mb} limit (CLAIMS_FETCH_MAX_MB)")
            parts.append(chunk)
    except urllib3.exceptions.ReadTimeoutError:
        raise FetchError(f"{url}: the page did not arrive within {timeout:g} s "
                         "(timeout; CLAIMS_FETCH_TIMEOUT)") from None
    except urllib3.exceptions.DecodeError:
        raise FetchError(f"{url}: the server sent a corrupt compressed body") from None
    except urllib3.exceptions.ProtocolError as e:
        raise FetchError(f"{url}: the connection broke while reading the page ({_cause(e)})") from None
    return b"".join(parts)


def _content_type(header: str) -> tuple[str, str | None]:
    media, _, params = header.partition(";")
    charset = None
    for p in params.split(";"):
        k, _, v = p.partition("=")
        if k.strip().lower() == "charset" and v.strip():
            charset = v.strip().strip("\"'")
    return media.strip().lower(), charset


def _type_name(media: str) -> str:
    if media in _TYPE_NAMES:
        return _TYPE_NAMES[media]
    top = media.split("/")[0]
    return {"image": "an image", "video": "a video", "audio": "an audio file"}.get(top, "a file")


def _reason(resp: urllib3.BaseHTTPResponse) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(resp.status).phrase
    except ValueError:
        return (getattr(resp, "reason", "") or "").strip()


def _cause(e: BaseException) -> str:
    inner = getattr(e, "reason", None) or e.__cause__ or e
    text = str(inner)
    # urllib3 wraps socket errors in "<HTTPConnection object at 0x...>: Failed to ..." noise
    return text.split(">: ", 1)[-1][:200]
