"""Ingest articles from the web: pages by URL, and RSS/Atom feeds polled once or on a schedule.

A page is fetched (:mod:`claims.web`), its article and metadata read
(:mod:`claims.pages`), then stored like any other document
(:func:`claims.ingest.store_document`): the same text is one document, and a
page whose canonical address is already stored with other text becomes that
article's next version, keeping the reviews of its unchanged claims. Explicit
options (title, publisher, published) win over what the page says.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from claims.errors import BadInputError, ClaimsError
from claims.ingest import IngestFailure, IngestReport, _apply_overrides, store_document
from claims.model import DocumentIn
from claims.pages import Feed, canonical_url, decode_html, html_article, parse_feed
from claims.store import Store

BACKOFF_FACTOR = 2      # each failed poll doubles the wait ...
BACKOFF_MAX_FACTOR = 32  # ... up to 32 times the interval


def fetch_article(url: str) -> DocumentIn:
    """Fetch one web page and return its article with the page's metadata; raise BadInputError naming the URL."""
    from claims import web

    got = web.fetch(url, accept=web.HTML_TYPES, what="a web page (HTML)")
    if not got.body.strip():
        raise BadInputError(f"{got.url}: the page is empty")
    doc = html_article(decode_html(got.body, got.charset), source=got.url, url=got.final_url)
    # the link followed and where redirects ended are this article's addresses too
    doc.addresses = [a for a in dict.fromkeys([canonical_url(got.url), canonical_url(got.final_url)])
                     if a and a != doc.canonical_url]
    return doc


def fetch_feed(url: str) -> Feed:
    """Fetch and parse an RSS or Atom feed; raise BadInputError naming the URL (invalid XML, not a feed, HTTP)."""
    from claims import web

    got = web.fetch(url, accept=web.FEED_TYPES, what="an RSS or Atom feed")
    if not got.body.strip():
        raise BadInputError(f"{got.url}: the feed is empty")
    return parse_feed(got.body, source=got.url, base_url=got.final_url)


FETCHERS = 4  # pages fetched and read at once: network waits overlap; storing stays in one thread, in order


def ingest_urls(store: Store, urls: Iterable[str], *, publisher: str | None = None,
                published: dt.date | None = None, title: str | None = None, added_by: str | None = None,
                progress: bool = False, fetchers: int = FETCHERS) -> IngestReport:
    """Fetch and store each page; return the report (failures name their URL, and store nothing).

    Up to ``fetchers`` pages are fetched and read at once; they are stored one
    at a time in the order given.
    """
    report = IngestReport()
    _ingest_pages(store, [(u, None) for u in urls], report, publisher=publisher, published=published, title=title,
                  added_by=added_by, progress=progress, fetchers=fetchers)
    _analyze_if_grown(store, report)
    return report


def _ingest_pages(store: Store, pages: list[tuple[str, DocumentIn | None]], report: IngestReport, *,
                  publisher: str | None = None, published: dt.date | None = None, title: str | None = None,
                  added_by: str | None = None, progress: bool = False, fetchers: int = FETCHERS) -> None:
    """Fetch pages (url, what a feed says of it) a few at a time and store each in order."""
    fetched = _fetch_in_order([u for u, _ in pages], workers=max(1, fetchers))
    for (url, fallback), got in zip(pages, _progress_iter(fetched, len(pages), progress)):
        if isinstance(got, ClaimsError):
            report.failed.append(IngestFailure(url, str(got).removeprefix(url + ": ")))
            continue
        if isinstance(got, Exception):  # a parser bug on one page must not stop the others
            report.failed.append(IngestFailure(url, f"{type(got).__name__}: {got}"))
            continue
        if fallback is not None:  # what the feed says, where the page says nothing
            got.title = got.title or fallback.title
            got.published = got.published or fallback.published
        _apply_overrides(got, title=title, url=None, publisher=publisher, published=published)
        store_document(store, got, source=url, report=report, added_by=added_by)


def _fetch_in_order(urls: list[str], *, workers: int) -> Iterator[DocumentIn | Exception]:
    """Yield each URL's article (or the exception fetching it raised) in order, ``workers`` fetches at a time."""
    if workers == 1 or len(urls) < 2:
        for url in urls:
            yield _try_fetch(url)
        return
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="claims-fetch") as pool:
        pending: deque = deque()
        todo = iter(urls)
        for url in todo:
            pending.append(pool.submit(_try_fetch, url))
            if len(pending) >= workers * 2:  # a bounded window: memory stays flat on a long feed
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _try_fetch(url: str) -> DocumentIn | Exception:
    try:
        return fetch_article(url)
    except Exception as e:  # returned, not raised: the caller records it against this URL
        return e


def _progress_iter(items: Iterator, total: int, enabled: bool) -> Iterator:
    if not enabled or total < 2:
        return items
    import sys

    from tqdm import tqdm

    return tqdm(items, total=total, desc="fetch", unit="page", file=sys.stderr, disable=not sys.stderr.isatty(),
                leave=False)


def _analyze_if_grown(store: Store, report: IngestReport) -> None:
    changed = len(report.ingested) + len(report.updated)
    if changed and changed * 10 >= store.count_documents():
        store.analyze()  # the store grew by a tenth or more: the planner's statistics are stale


@dataclass(slots=True)
class FeedPoll:
    """One poll of a feed: how many entries it listed, how many were already stored, and the ingest report."""

    feed_url: str
    entries: int = 0
    known: int = 0
    report: IngestReport = field(default_factory=IngestReport)
    error: str | None = None   # the feed itself could not be fetched or read

    @property
    def ok(self) -> bool:
        return self.error is None and self.report.ok

    def summary(self) -> str:
        """Return one line: entries, already stored, ingested, new versions, unchanged, failed."""
        if self.error:
            return f"feed {self.feed_url}: FAILED {self.error}"
        r = self.report
        return (f"feed {self.feed_url}: {self.entries} entries, {self.known} already stored, "
                f"{len(r.ingested)} ingested ({sum(d.claims for d in r.ingested)} claims), "
                f"{len(r.updated)} new versions, {len(r.unchanged)} unchanged, {len(r.failed)} failed")


def ingest_feed(store: Store, feed_url: str, *, publisher: str | None = None, title: str | None = None,
                added_by: str | None = None, progress: bool = False, fetchers: int = FETCHERS) -> FeedPoll:
    """Fetch a feed and store each entry's page, skipping entries whose address is already stored.

    Raises BadInputError naming the feed when the feed itself cannot be fetched
    or read (nothing is stored then); a bad entry is listed in the report's
    failures and the others go on.
    """
    feed = fetch_feed(feed_url)
    poll = FeedPoll(feed_url=feed_url, entries=len(feed.entries))
    keys = [canonical_url(e.link) for e in feed.entries]
    known = store.known_urls([k for k in keys if k])
    todo, seen = [], set()
    for entry, key in zip(feed.entries, keys):
        if key in known or key in seen:
            poll.known += key in known
            continue
        seen.add(key)
        todo.append(entry)
    _ingest_pages(store, [(e.link, DocumentIn(text="", title=e.title, published=e.published)) for e in todo],
                  poll.report, publisher=publisher, title=title, added_by=added_by, progress=progress,
                  fetchers=fetchers)
    _analyze_if_grown(store, poll.report)
    return poll


def watch_feed(store: Store, feed_url: str, *, minutes: float, polls: int | None = None,
               echo: Callable[[str], None] = print, sleep: Callable[[float], None] = time.sleep,
               publisher: str | None = None, added_by: str | None = None) -> list[FeedPoll]:
    """Poll a feed every ``minutes`` until stopped (or ``polls`` times), echoing one summary line per poll.

    A poll whose feed cannot be fetched waits longer before the next
    (twice, four times, ... up to 32 times the interval); a good poll resets
    the wait. Returns the polls made.
    """
    if not minutes > 0:
        raise BadInputError(f"--watch: want a positive number of minutes, got {minutes!r}")
    done: list[FeedPoll] = []
    failures = 0
    while polls is None or len(done) < polls:
        started = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        try:
            poll = ingest_feed(store, feed_url, publisher=publisher, added_by=added_by)
            failures = 0
        except ClaimsError as e:
            poll = FeedPoll(feed_url=feed_url, error=str(e).removeprefix(feed_url + ": "))
            failures += 1
        done.append(poll)
        wait = minutes * min(BACKOFF_FACTOR ** failures, BACKOFF_MAX_FACTOR)
        last = polls is not None and len(done) >= polls
        echo(f"{started} poll {len(done)}: {poll.summary()}"
             + ("" if last else f"; next poll in {_minutes(wait)}"
                + (f" (backing off after {failures} failed)" if failures else "")))
        if not last:
            sleep(wait * 60)
    return done


def _minutes(m: float) -> str:
    return f"{m:g} min" if m >= 1 else f"{m * 60:.3g} s"
