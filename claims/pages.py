"""Web pages and feeds as data: canonical URLs, an article and its metadata from HTML, feed entries.

Pure functions (no network): :mod:`claims.web` fetches, this module reads
what was fetched. The same article reached through tracking parameters, an
AMP or a mobile address has one :func:`canonical_url`; stored documents keep
it so a second fetch, or a feed entry, finds the article again.
"""
from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from claims.errors import BadInputError
from claims.model import DocumentIn

# query parameters that say how a reader arrived, not which page it is
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid", "mc_cid", "mc_eid",
    "_ga", "_gl", "ocid", "cmpid", "smid", "smtyp", "ref", "ref_src", "ref_url", "src", "share", "spm",
    "amp", "amp_js_v", "usqp", "outputtype", "output", "platform", "sh", "s_cid", "cid", "at_medium",
    "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4", "mkt_tok", "guccounter",
})
TRACKING_PREFIXES = ("utm_", "hsa_", "pk_", "mtm_", "__twitter", "_hs")
# host labels that name a variant of the same site: www.x, m.x, mobile.x, amp.x
VARIANT_HOST_LABELS = ("www", "m", "mobile", "amp")


def canonical_url(url: str | None) -> str | None:
    """Return the key that one article has at every address: https, bare host, no tracking, AMP or mobile parts.

    Returns None for empty or non-http(s) input. The result is a lookup key,
    not always a fetchable address (``http`` becomes ``https``).
    """
    if not url or not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    labels = host.split(".")
    while len(labels) > 2 and labels[0] in VARIANT_HOST_LABELS:
        labels = labels[1:]
    host = ".".join(labels)
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = _canonical_path(parts.path)
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _is_tracking(k)))
    return urlunsplit(("https", host, path, query, ""))


def _is_tracking(key: str) -> bool:
    k = key.lower()
    return k in TRACKING_PARAMS or k.startswith(TRACKING_PREFIXES)


def _canonical_path(path: str) -> str:
    path = re.sub(r"/{2,}", "/", path or "/")
    if path != "/":
        path = posixpath.normpath(path)
    segments = [s for s in path.split("/") if s]
    # AMP variants: /amp/story, /story/amp, /story.amp, /story.amp.html
    if segments and segments[0].lower() == "amp":
        segments = segments[1:]
    if segments and segments[-1].lower() == "amp":
        segments = segments[:-1]
    if segments:
        last = re.sub(r"\.amp(?=\.html?$|$)", "", segments[-1], flags=re.IGNORECASE)
        segments[-1] = last
    return "/" + "/".join(segments)


def web_link(url: str | None) -> str | None:
    """Return ``url`` when it is safe to link to (an absolute http(s) address, no spaces or controls), else None.

    Stored URLs come from pages, sidecars and imports: a ``javascript:`` or
    ``data:`` address must never become a clickable link.
    """
    if not isinstance(url, str):
        return None
    u = url.strip()
    if not u or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in u) or len(u) > 2048:
        return None
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    return u if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def same_site(a: str | None, b: str | None) -> bool:
    """Return True when two URLs are on the same site once www/m/amp host variants are set aside."""
    ca, cb = canonical_url(a), canonical_url(b)
    return bool(ca and cb) and urlsplit(ca).netloc == urlsplit(cb).netloc


def site_domain(url: str | None) -> str | None:
    """Return the bare host of ``url`` (``www.`` and mobile/AMP labels removed), or None."""
    c = canonical_url(url)
    return urlsplit(c).hostname if c else None


# ---------------------------------------------------------------- articles from HTML
# the page's own markup only: htmldate's extensive search reads "2031" in a copyright footer as 1 January,
# and a wrong publication date is worse than none (relative dates in the text are resolved against it)
DATE_PARAMS = {"extensive_search": False, "original_date": True,
               # htmldate ignores dates after today by default; archives and test pages can be dated later
               "max_date": "2999-12-31"}


def html_article(html: str | bytes, *, source: str, url: str | None = None) -> DocumentIn:
    """Return the main text of an HTML page (trafilatura) with its title, author, date, site name and URL.

    Navigation, comments and footers are left out. Raises BadInputError naming
    ``source`` when the page holds no article text. ``url`` is where the page
    came from, used when the page names no canonical address of its own.
    """
    import trafilatura

    # no url= here: trafilatura would put it above the page's own canonical link
    found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                        include_tables=True, favor_recall=True, date_extraction_params=DATE_PARAMS)
    text = (getattr(found, "text", None) or "").strip() if found is not None else ""
    if not text or not has_prose(text):
        raise BadInputError(f"{source}: no article text found in the page (only menus, links or nothing)")
    meta = found
    published = _page_date(getattr(meta, "date", None))
    page_url = _clean(getattr(meta, "url", None))
    # a canonical link to the site's front page is a template's mistake, not this article's address
    # (one to another site is kept: an AMP cache or syndication partner names the publisher's page)
    if page_url and (canonical_url(page_url) is None or urlsplit(page_url).path in ("", "/")):
        page_url = None
    address = page_url or url
    # the publisher is the site's own name, else its domain
    publisher = _clean(getattr(meta, "sitename", None)) or site_domain(address)
    return DocumentIn(text=text, title=_clean(getattr(meta, "title", None)), url=address,
                      publisher=publisher, published=published,
                      author=_clean(getattr(meta, "author", None)), canonical_url=canonical_url(address))


_SENTENCE = re.compile(r"(?:\S+\s+){3,}\S*[.!?\"'\u201d)]\s*$|(?:\S+\s+){7,}\S+")


def has_prose(text: str) -> bool:
    """Return True when some line reads as a sentence (four words and a full stop, or eight words).

    What trafilatura keeps of a section front or a link list ("Home / World /
    Story one") has no such line: that page has no article to read.
    """
    return any(_SENTENCE.search(line.strip()) for line in text.splitlines())


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _page_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None  # a page's own odd date is not the user's error


def decode_html(body: bytes, charset: str | None) -> str:
    """Return the text of an HTML body: the header's charset, else UTF-8, else what the bytes look like."""
    if charset:
        try:
            return body.decode(charset, errors="replace")
        except LookupError:
            pass  # an unknown charset name in the header
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        from trafilatura.utils import decode_file

        return decode_file(body)


# ---------------------------------------------------------------- feeds
@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of an RSS or Atom feed: its link and what the feed says about it."""

    link: str
    title: str | None = None
    published: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Feed:
    """A parsed feed: its title and entries in feed order."""

    title: str | None
    entries: list[FeedEntry]


def parse_feed(data: bytes, *, source: str, base_url: str | None = None) -> Feed:
    """Parse RSS or Atom bytes (feedparser); raise BadInputError naming ``source`` for invalid XML or no feed.

    Relative entry links are resolved against ``base_url`` (where the feed came from).
    """
    import feedparser
    from xml.sax import SAXException

    parsed = feedparser.parse(data, response_headers={"content-location": base_url} if base_url else None)
    exc = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise BadInputError(f"{source}: not an RSS or Atom feed (not XML at all)")
    if isinstance(exc, SAXException) and _HTML_START.match(data[:2048]):
        raise BadInputError(f"{source}: a web page (HTML), not an RSS or Atom feed "
                            "(ingest it as a URL, or give the address of its feed)")
    if isinstance(exc, SAXException):
        where = ""
        if hasattr(exc, "getLineNumber"):
            where = f" at line {exc.getLineNumber()}, column {exc.getColumnNumber()}"
        raise BadInputError(f"{source}: invalid feed XML{where} ({exc.getMessage() if hasattr(exc, 'getMessage') else exc})")
    if not parsed.get("version"):
        raise BadInputError(f"{source}: not an RSS or Atom feed")
    entries = []
    for e in parsed.entries:
        link = _entry_link(e)
        if not link:
            continue
        stamp = e.get("published_parsed") or e.get("updated_parsed")
        published = dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None
        entries.append(FeedEntry(link=link, title=_clean(e.get("title")), published=published))
    return Feed(title=_clean(parsed.feed.get("title")), entries=entries)


_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE | re.DOTALL)


def _entry_link(entry: Any) -> str | None:
    link = entry.get("link")
    if not link:
        for alt in entry.get("links", []):
            if alt.get("rel", "alternate") == "alternate" and alt.get("href"):
                link = alt["href"]
                break
    link = (link or "").strip()
    return link if link.lower().startswith(("http://", "https://")) else None
