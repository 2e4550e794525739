"""Articles from the web against a real local HTTP server: fetching, page metadata, one document per article,
new versions keeping reviews, feeds, watching, and every bad input (nothing here touches the internet).

The pages and feeds in tests/web_fixtures are invented (outlets, people, places and events).
"""
from __future__ import annotations

import datetime as dt
import gzip
import re

import pytest

from claims.errors import BadInputError, FetchError
from claims.ingest_web import fetch_article, fetch_feed, ingest_feed, ingest_urls, watch_feed
from claims.pages import canonical_url, parse_feed
from claims.store import Store
from claims.web import fetch
from testkit.website import LocalSite, Page, fixture, redirect, silent_server, trickle

FLOOD = "https://vardencourier.example/news/2031/04/orlin-flood"


def routes() -> dict:
    return {
        "/news/orlin-flood": Page(fixture("varden_flood.html"), gzip=True),
        "/news/orlin-flood/amp": Page(fixture("varden_flood_amp.html")),
        "/news/ferry-fire": Page(fixture("harbour_ferry.html")),
        "/news/brask-relief": Page(fixture("brask_relief.html")),
        "/world": Page(fixture("nav_only.html")),
        "/feed.xml": Page(fixture("feed.xml"), content_type="application/rss+xml"),
        "/atom.xml": Page(fixture("atom.xml"), content_type="application/atom+xml; charset=utf-8"),
        "/bad-feed.xml": Page(fixture("bad_feed.xml"), content_type="application/rss+xml"),
        "/world.json": Page('{"items": []}', content_type="text/plain"),
        "/gone": Page("<html><body>gone</body></html>", status=404),
        "/broken": Page("<html><body>Internal error</body></html>", status=500),
        "/report.pdf": Page(b"%PDF-1.7\n" + b"0" * 5000, content_type="application/pdf"),
        "/photo": Page(b"\x89PNG" + b"0" * 100, content_type="image/png"),
        "/loop-a": redirect("/loop-b"),
        "/loop-b": redirect("/loop-a"),
        "/moved": redirect("/news/ferry-fire", 301),
        "/slow": trickle(seconds=5),
        "/huge": Page("<html><body><p>" + "Forty people were killed. " * 20_000 + "</p></body></html>"),
        "/bomb": Page("<html><body><p>" + "x" * 3_000_000 + "</p></body></html>", gzip=True),
    }


@pytest.fixture
def site():
    with LocalSite(routes()) as s:
        yield s


@pytest.fixture
def sqlite_store(sqlite_url):
    with Store(sqlite_url) as s:
        yield s


def counts(store: Store) -> tuple[int, int, int]:
    st = store.stats()
    return st["documents"], st["claims"], st["history_entries"]


# ---------------------------------------------------------------- fetching
def test_fetch_sends_a_user_agent_asks_for_gzip_and_decodes_it(site):
    got = fetch(site.url("/news/orlin-flood"))
    assert b"Orlin valley flood" in got.body and got.content_type == "text/html" and got.charset == "utf-8"
    path, headers = site.requests[-1]
    assert path == "/news/orlin-flood"
    assert headers["User-Agent"].startswith("claims-fact-check/")
    assert "gzip" in headers["Accept-Encoding"]


def test_fetch_follows_redirects_and_reports_where_it_ended(site):
    got = fetch(site.url("/moved"))
    assert got.url == site.url("/moved") and got.final_url == site.url("/news/ferry-fire")


def test_user_agent_is_a_setting(site, monkeypatch):
    monkeypatch.setenv("CLAIMS_FETCH_USER_AGENT", "newsroom-bot/2 (+mailto:desk@example.org)")
    fetch(site.url("/news/ferry-fire"))
    assert site.requests[-1][1]["User-Agent"] == "newsroom-bot/2 (+mailto:desk@example.org)"


# ---------------------------------------------------------------- page metadata
def test_article_text_and_metadata_come_from_the_page(site):
    doc = fetch_article(site.url("/news/orlin-flood"))
    assert doc.title == "Orlin valley flood: toll rises to 14"
    assert doc.publisher == "The Varden Courier"
    assert doc.published == dt.date(2031, 4, 3)
    assert doc.author == "Mira Tallis"
    assert doc.url == "https://www.vardencourier.example/news/2031/04/orlin-flood"  # the page's canonical link
    assert doc.canonical_url == FLOOD
    assert canonical_url(site.url("/news/orlin-flood")) in doc.addresses  # where it was fetched, too
    assert "At least 14 people were killed" in doc.text
    # navigation, comments and footer are left out
    for boilerplate in ("Subscribe", "Reader42", "All rights reserved"):
        assert boilerplate not in doc.text


def test_publisher_is_the_domain_when_the_site_names_itself_nowhere(site):
    doc = fetch_article(site.url("/news/ferry-fire"))
    assert doc.publisher == "news.harbourwatch.example"
    assert doc.published == dt.date(2031, 5, 20)
    assert doc.url == "https://news.harbourwatch.example/2031/ferry-fire"


@pytest.mark.parametrize("url, key", [
    ("https://www.site.example/a/story?utm_source=tw&utm_medium=social&fbclid=X1", "https://site.example/a/story"),
    ("http://site.example/a/story/", "https://site.example/a/story"),
    ("https://m.site.example/a/story#comments", "https://site.example/a/story"),
    ("https://amp.site.example/a/story", "https://site.example/a/story"),
    ("https://site.example/a/story/amp", "https://site.example/a/story"),
    ("https://site.example/amp/a/story", "https://site.example/a/story"),
    ("https://site.example/a/story.amp.html", "https://site.example/a/story.html"),
    ("https://site.example/a/story?outputType=amp", "https://site.example/a/story"),
    ("https://SITE.example:443/a/story?id=7&page=2", "https://site.example/a/story?id=7&page=2"),
    ("https://site.example/a/story?page=2&id=7&gclid=abc", "https://site.example/a/story?id=7&page=2"),
    ("https://site.example:8080/a", "https://site.example:8080/a"),
    ("https://www.m.example/a", "https://m.example/a"),  # two labels left: the site itself
])
def test_canonical_url_sets_tracking_amp_and_mobile_variants_aside(url, key):
    assert canonical_url(url) == key


@pytest.mark.parametrize("bad", ["", None, "ftp://site.example/a", "javascript:alert(1)", "site.example/a",
                                 "https://[::1/broken"])
def test_canonical_url_of_a_non_web_address_is_none(bad):
    assert canonical_url(bad) is None


# ---------------------------------------------------------------- storing
def test_ingest_url_stores_the_article_with_its_metadata(site, store):
    report = ingest_urls(store, [site.url("/news/orlin-flood")], added_by="Rana")
    assert report.ok and len(report.ingested) == 1, report.summary()
    doc = store.get_document(report.ingested[0].document_id)
    assert (doc.title, doc.publisher, doc.published, doc.author) == (
        "Orlin valley flood: toll rises to 14", "The Varden Courier", dt.date(2031, 4, 3), "Mira Tallis")
    assert doc.url == "https://www.vardencourier.example/news/2031/04/orlin-flood"
    assert doc.canonical_url == FLOOD and doc.added_by == "Rana"
    assert doc.claim_count > 0
    assert any(r.claim.low == 14 for r in store.claims_for_document(doc.id))


def test_explicit_options_win_over_the_page(site, sqlite_store):
    report = ingest_urls(sqlite_store, [site.url("/news/ferry-fire")], publisher="Harbourwatch Daily",
                         published=dt.date(2031, 5, 19), title="Ferry fire (desk title)")
    doc = sqlite_store.get_document(report.ingested[0].document_id)
    assert (doc.publisher, doc.published, doc.title) == ("Harbourwatch Daily", dt.date(2031, 5, 19),
                                                         "Ferry fire (desk title)")


def test_the_same_article_at_tracking_amp_and_later_fetches_is_one_document(site, sqlite_store):
    first = ingest_urls(sqlite_store, [site.url("/news/orlin-flood?utm_source=newsletter&utm_campaign=x")])
    again = ingest_urls(sqlite_store, [site.url("/news/orlin-flood/amp"), site.url("/news/orlin-flood"),
                                       site.url("/news/orlin-flood?fbclid=abc")])
    assert len(first.ingested) == 1 and not again.ingested and not again.updated
    assert [d.document_id for d in again.unchanged] == [first.ingested[0].document_id] * 3
    assert sqlite_store.count_documents() == 1


def test_a_changed_article_is_a_new_version_that_keeps_reviews_on_unchanged_claims(site, store):
    url = site.url("/news/orlin-flood")
    v1 = ingest_urls(store, [url]).ingested[0].document_id
    recs = store.claims_for_document(v1)
    killed = next(r for r in recs if r.claim.low == 14)
    injured = next(r for r in recs if r.claim.low == 30)
    store.review(killed.id, verdict="disputed", reviewer="Rana", note="hospital says 12")
    store.review(injured.id, verdict="verified", reviewer="Rana", note="matches the hospital list")
    store.review(injured.id, verdict="verified", reviewer="Ode", corrected={"attributed_to": "rescue teams"})

    site.routes["/news/orlin-flood"] = Page(fixture("varden_flood_updated.html"))  # the outlet updates the story
    report = ingest_urls(store, [url])
    assert not report.ingested and len(report.updated) == 1, report.summary()
    v2 = report.updated[0]
    assert v2.previous_id == v1 and v2.carried == 1
    new, old = store.get_document(v2.document_id), store.get_document(v1)
    assert new.previous_id == v1 and old.next_id == new.id and new.title.endswith("17")
    by_low = {r.claim.low: r for r in store.claims_for_document(new.id)}
    # the unchanged sentence keeps its review, corrections and history; the changed figure starts over
    assert by_low[30].verdict.value == "verified" and by_low[30].note == "matches the hospital list"
    assert by_low[30].corrected == {"attributed_to": "rescue teams"} and by_low[30].version == injured.version + 2
    assert [h.reviewer for h in store.history(by_low[30].id)] == [h.reviewer for h in store.history(injured.id)]
    assert by_low[17].verdict.value == "unreviewed" and 14 not in by_low
    # the old version and its reviews stay as they were
    assert store.get_claim(killed.id).verdict.value == "disputed"
    assert "changed since document" in report.summary()
    # fetched once more, unchanged: nothing new; an AMP link to it finds the newest version
    assert ingest_urls(store, [url]).unchanged[0].document_id == new.id
    assert store.latest_document_for_url([FLOOD]).id == new.id


# ---------------------------------------------------------------- bad input
BAD = [
    ("/gone", r"HTTP 404 Not Found"),
    ("/broken", r"HTTP 500 Internal Server Error"),
    ("/report.pdf", r"a PDF document \(application/pdf\), not a web page"),
    ("/photo", r"an image \(image/png\), not a web page"),
    ("/world", r"no article text found"),
    ("/loop-a", r"redirect loop \(.*/loop-a -> .*/loop-b -> .*/loop-a\)"),
    ("/huge", r"over the 0\.2 MB limit \(CLAIMS_FETCH_MAX_MB\)"),
    ("/bomb", r"over the 0\.2 MB limit"),  # 3 MB of HTML gzipped to a few kB: counted after decompression
    ("/slow", r"did not arrive within 1 s \(timeout"),
]


@pytest.mark.parametrize("path, message", BAD, ids=[p.strip("/") for p, _ in BAD])
def test_a_bad_page_fails_naming_its_url_and_stores_nothing(site, sqlite_store, monkeypatch, path, message):
    monkeypatch.setenv("CLAIMS_FETCH_MAX_MB", "0.2")
    monkeypatch.setenv("CLAIMS_FETCH_TIMEOUT", "1")
    good = site.url("/news/ferry-fire")
    ingest_urls(sqlite_store, [good])
    before = counts(sqlite_store)
    url = site.url(path)
    with pytest.raises(FetchError if path != "/world" else BadInputError, match=message) as err:
        fetch_article(url)
    assert str(err.value).startswith(url + ": ")
    report = ingest_urls(sqlite_store, [url, site.url("/news/brask-relief")])
    assert [f.source for f in report.failed] == [url]
    assert re.search(message, report.failed[0].reason)
    assert len(report.ingested) == 1  # the next URL still goes in
    after = counts(sqlite_store)
    assert after[0] == before[0] + 1 and after[2] == before[2]


def test_a_server_that_never_answers_times_out_naming_the_url(monkeypatch):
    monkeypatch.setenv("CLAIMS_FETCH_TIMEOUT", "0.5")
    with silent_server() as url:
        with pytest.raises(FetchError, match=r"did not answer within 0\.5 s \(timeout") as err:
            fetch(url)
    assert str(err.value).startswith(url)


def test_nothing_listening_and_not_a_web_address_are_clear_errors(site):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    with pytest.raises(FetchError, match=rf"http://127.0.0.1:{port}/a: cannot connect to 127.0.0.1:{port}"):
        fetch(f"http://127.0.0.1:{port}/a")
    for bad in ("ftp://files.example/a.html", "javascript:alert(1)", "www.site.example/a"):
        with pytest.raises(FetchError, match=r"not an http\(s\) URL"):
            fetch(bad)


def test_a_redirect_to_a_non_web_scheme_is_refused(site):
    site.routes["/sneaky"] = redirect("file:///etc/passwd")
    with pytest.raises(FetchError, match="redirected to a non-http"):
        fetch(site.url("/sneaky"))


# ---------------------------------------------------------------- feeds
def test_a_feed_ingests_each_entry_and_a_second_poll_adds_nothing(site, store):
    poll = ingest_feed(store, site.url("/feed.xml"), added_by="desk")
    assert poll.ok and poll.entries == 3 and poll.known == 0, poll.summary()
    assert len(poll.report.ingested) == 3
    titles = {store.get_document(d.document_id).title for d in poll.report.ingested}
    assert titles == {"Ferry fire off Tessaly Port", "Relief convoy reaches Brask",
                      "Orlin valley flood: toll rises to 14"}
    fetched = len(site.requests)
    again = ingest_feed(store, site.url("/feed.xml"))
    assert again.known == 3 and not again.report.ingested and not again.report.unchanged
    assert len(site.requests) == fetched + 1  # only the feed itself: known entries are not fetched again
    assert "3 entries, 3 already stored, 0 ingested" in again.summary()
    # an Atom feed of another outlet linking the same articles adds nothing either
    atom = ingest_feed(store, site.url("/atom.xml"))
    assert atom.known == 2 and store.count_documents() == 3


def test_a_feed_entry_that_fails_is_named_and_the_others_go_in(site, sqlite_store):
    site.routes["/news/brask-relief"] = Page("<html><body>no</body></html>", status=500)
    poll = ingest_feed(sqlite_store, site.url("/feed.xml"))
    assert [f.source for f in poll.report.failed] == [site.url("/news/brask-relief")]
    assert len(poll.report.ingested) == 2 and not poll.ok


def test_entry_dates_and_titles_fill_in_what_a_page_leaves_out(site, sqlite_store):
    site.routes["/news/brask-relief"] = Page(fixture("brask_relief.html").replace(
        '<meta property="article:published_time" content="2031-04-05">', ""))
    poll = ingest_feed(sqlite_store, site.url("/feed.xml"))
    brask = next(d for d in poll.report.ingested if d.source.endswith("brask-relief"))
    assert sqlite_store.get_document(brask.document_id).published == dt.date(2031, 4, 5)


@pytest.mark.parametrize("path, message", [
    ("/bad-feed.xml", r"invalid feed XML at line \d+"),
    ("/news/ferry-fire", r"a web page \(HTML\), not an RSS or Atom feed"),
    ("/world.json", r"not an RSS or Atom feed"),
    ("/report.pdf", r"a PDF document \(application/pdf\), not an RSS or Atom feed"),
    ("/gone", r"HTTP 404"),
])
def test_a_bad_feed_fails_naming_its_url_and_stores_nothing(site, sqlite_store, path, message):
    url = site.url(path)
    with pytest.raises(BadInputError, match=message) as err:
        ingest_feed(sqlite_store, url)
    assert str(err.value).startswith(url + ": ")
    assert sqlite_store.count_documents() == 0


def test_parse_feed_is_pure_and_resolves_relative_links():
    feed = parse_feed(fixture("feed.xml").replace("{base}", "https://harbourwatch.example").encode(),
                      source="feed.xml", base_url="https://harbourwatch.example/feed.xml")
    assert [e.link for e in feed.entries][1] == "https://harbourwatch.example/news/brask-relief"
    assert feed.entries[0].published == dt.date(2031, 5, 20) and feed.title == "Harbourwatch Daily: latest"


def test_watch_polls_with_one_line_each_and_backs_off_on_errors(site, sqlite_store):
    lines, waits = [], []
    good = site.routes["/feed.xml"]
    site.routes["/feed.xml"] = Page("down for maintenance", status=503)

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:
            site.routes["/feed.xml"] = good  # back up before the third poll

    polls = watch_feed(sqlite_store, site.url("/feed.xml"), minutes=1, polls=4, echo=lines.append, sleep=sleep)
    assert [p.ok for p in polls] == [False, False, True, True]
    assert waits == [120, 240, 60]  # doubled after each failure, back to the interval after a good poll
    assert len(lines) == 4 and all("\n" not in line for line in lines)
    assert "poll 1: feed " in lines[0] and "FAILED the server answered HTTP 503" in lines[0] and "next poll in 2 min" in lines[0]
    assert "3 entries, 0 already stored, 3 ingested" in lines[2]
    assert "3 already stored, 0 ingested" in lines[3] and "next poll" not in lines[3]
    assert sqlite_store.count_documents() == 3


def test_watch_refuses_a_non_positive_interval(sqlite_store):
    with pytest.raises(BadInputError, match="--watch"):
        watch_feed(sqlite_store, "http://127.0.0.1:9/feed", minutes=0, polls=1)


def test_gzip_fixture_is_really_compressed_on_the_wire(site):
    # guards the gzip test above: the server compresses when asked
    import urllib.request

    req = urllib.request.Request(site.url("/news/orlin-flood"), headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(req) as r:
        assert r.headers["Content-Encoding"] == "gzip"
        assert b"Orlin" in gzip.decompress(r.read())


# ---------------------------------------------------------------- command line
def run(capsys, *argv: str) -> tuple[int, str, str]:
    from claims import cli

    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_ingests_urls_alongside_paths(site, sqlite_url, tmp_path, capsys):
    note = tmp_path / "desk_note.txt"
    note.write_text("Officials said 9 people were injured in Brask on Monday.", encoding="utf-8")
    code, out, err = run(capsys, "ingest", site.url("/news/orlin-flood"), str(note), "--db", sqlite_url,
                         "--reviewer", "Rana")
    assert code == 0, err
    assert out.startswith("2 ingested")
    with Store(sqlite_url) as s:
        docs = {d.title: d for d in s.list_documents()}
    assert docs["Orlin valley flood: toll rises to 14"].publisher == "The Varden Courier"
    code, out, err = run(capsys, "ingest", site.url("/news/orlin-flood/amp"), "--db", sqlite_url, "--json")
    assert code == 0 and '"unchanged"' in out and '"ingested": []' in out


def test_cli_bad_url_exits_1_naming_it(site, sqlite_url, capsys):
    url = site.url("/report.pdf")
    code, out, err = run(capsys, "ingest", url, "--db", sqlite_url)
    assert code == 1 and f"error: {url}: a PDF document" in err and out.startswith("0 ingested")


def test_cli_watches_a_feed_for_a_bounded_number_of_polls(site, sqlite_url, capsys):
    code, out, err = run(capsys, "ingest", "--feed", site.url("/feed.xml"), "--watch", "0.0005", "--polls", "2",
                         "--db", sqlite_url)
    lines = out.splitlines()
    assert code == 0, err
    assert len(lines) == 2 and "poll 1:" in lines[0] and "poll 2:" in lines[1]
    assert "3 ingested" in lines[0] and "3 already stored, 0 ingested" in lines[1]


def test_cli_feed_once_and_option_errors(site, sqlite_url, capsys):
    code, out, err = run(capsys, "ingest", "--feed", site.url("/bad-feed.xml"), "--db", sqlite_url)
    assert code == 2 and "invalid feed XML" in err and site.url("/bad-feed.xml") in err
    code, out, err = run(capsys, "ingest", "--feed", site.url("/atom.xml"), "--db", sqlite_url)
    assert code == 0 and "2 entries, 0 already stored, 2 ingested" in out
    for argv, message in [(["--watch", "5"], "--watch: needs --feed"),
                          (["--feed", site.url("/atom.xml"), "--watch", "0"], "positive number of minutes"),
                          (["--feed", site.url("/atom.xml"), "--polls", "2"], "--polls: needs --watch"),
                          ([site.url("/atom.xml"), "--reextract"], "--reextract: works on files")]:
        code, out, err = run(capsys, "ingest", *argv, "--db", sqlite_url)
        assert code == 2 and message in err, (argv, err)


def test_deleting_a_version_relinks_the_next_one_and_keeps_it(site, sqlite_store):
    from claims.documents import delete_document

    url = site.url("/news/orlin-flood")
    v1 = ingest_urls(sqlite_store, [url]).ingested[0].document_id
    site.routes["/news/orlin-flood"] = Page(fixture("varden_flood_updated.html"))
    v2 = ingest_urls(sqlite_store, [url]).updated[0].document_id
    delete_document(sqlite_store, v1, reviewer="Rana")
    assert sqlite_store.get_document(v1) is None
    assert sqlite_store.get_document(v2).previous_id is None and sqlite_store.get_document(v2).claim_count
    # its addresses stay with the newer version: fetched again, nothing new
    assert ingest_urls(sqlite_store, [url]).unchanged[0].document_id == v2


# ---------------------------------------------------------------- private addresses and proxies
def test_refuse_private_addresses_stops_a_loopback_fetch_naming_the_url(site, monkeypatch):
    monkeypatch.setenv("CLAIMS_FETCH_PRIVATE", "refuse")
    url = site.url("/news/ferry-fire")
    with pytest.raises(FetchError, match=r"refused: 127\.0\.0\.1 is a loopback address .*CLAIMS_FETCH_PRIVATE=refuse") as err:
        fetch(url)
    assert str(err.value).startswith(url)
    assert site.requests == []  # refused before connecting


def test_refuse_private_addresses_checks_every_redirect_hop(site, monkeypatch):
    import claims.web as web

    # pretend the test site's own address (127.0.0.1) is public: only the redirect's (127.0.0.2) is private
    real = web._private_kind
    monkeypatch.setattr(web, "_private_kind", lambda address: None if address == "127.0.0.1" else real(address))
    monkeypatch.setenv("CLAIMS_FETCH_PRIVATE", "refuse")
    port = site.url("/").split(":")[2].split("/")[0]
    site.routes["/to-intranet"] = redirect(f"http://127.0.0.2:{port}/news/ferry-fire")
    with pytest.raises(FetchError, match=r"refused: 127\.0\.0\.2 is a loopback address .*\(at http://127\.0\.0\.2"):
        fetch(site.url("/to-intranet"))
    assert [p for p, _ in site.requests] == ["/to-intranet"]  # the first hop went out, the redirect did not


def test_refuse_private_addresses_checks_the_address_connected_to_dns_rebinding(site, monkeypatch):
    """A host whose DNS answers a public address to the check, then a private one to the connection."""
    import claims.web as web

    monkeypatch.setattr(web, "_addresses", lambda host: ["93.184.216.34"])   # what the check is told
    monkeypatch.setenv("CLAIMS_FETCH_PRIVATE", "refuse")
    url = site.url("/news/ferry-fire")   # the connection itself reaches 127.0.0.1
    with pytest.raises(FetchError, match=r"refused: 127\.0\.0\.1 connected to 127\.0\.0\.1, a loopback address "
                                         r".*CLAIMS_FETCH_PRIVATE=refuse") as err:
        fetch(url)
    assert str(err.value).startswith(url)
    assert site.requests == []   # closed before a byte of the request was sent
    monkeypatch.setenv("CLAIMS_FETCH_PRIVATE", "allow")
    assert fetch(url).status == 200   # the same fetch goes through when private addresses are allowed


@pytest.mark.parametrize("address, kind", [
    ("10.1.2.3", "private"), ("192.168.0.9", "private"), ("169.254.169.254", "link-local"),
    ("127.0.0.2", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"), ("fe80::1%eth0", "link-local"),
    ("93.184.216.34", None), ("2606:4700::1111", None),
])
def test_private_address_kinds(address, kind):
    from claims.web import _private_kind

    assert _private_kind(address) == kind


def test_allow_is_the_default_and_a_bad_value_is_named(site, monkeypatch):
    assert fetch(site.url("/news/ferry-fire")).status == 200
    monkeypatch.setenv("CLAIMS_FETCH_PRIVATE", "maybe")
    with pytest.raises(FetchError, match=r"CLAIMS_FETCH_PRIVATE must be allow or refuse, not 'maybe'"):
        fetch(site.url("/news/ferry-fire"))


def test_requests_go_through_the_proxy_the_environment_names(site, monkeypatch):
    for name in ("NO_PROXY", "no_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    proxy = site.base.replace("http://", "http://desk:s%40cret@")
    monkeypatch.setenv("HTTP_PROXY", proxy)
    got = fetch("http://articles.invalid/news/ferry-fire")  # .invalid never resolves: only the proxy can answer
    assert got.status == 200
    path, headers = site.requests[-1]
    assert path == "http://articles.invalid/news/ferry-fire"  # the absolute form a proxy receives
    sent = {k.lower(): v for k, v in headers.items()}
    assert sent.get("proxy-authorization") == "Basic " + __import__("base64").b64encode(b"desk:s@cret").decode()
    monkeypatch.setenv("NO_PROXY", "articles.invalid")
    with pytest.raises(FetchError, match=r"cannot find the host 'articles.invalid'|cannot connect"):
        fetch("http://articles.invalid/news/ferry-fire")
