"""Ingestion tests: formats, metadata, idempotence, re-extraction and every bad input, on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

import importlib
from claims.errors import BadInputError
from claims.ingest import ingest_paths, ingest_text, read_upload
from claims.model import Claim, ClaimFilter, Kind, Verdict

# the module, not the function claims/__init__ re-exports under the same name
EXTRACT = importlib.import_module("claims.extract")

HTML = """<!doctype html><html><head><title>Attack on market kills 23 | The Courier</title>
<meta property="og:site_name" content="The Courier">
<meta property="article:published_time" content="2031-05-14T09:00:00Z">
</head><body><nav>Home | World | Sport</nav>
<article><h1>Attack on market kills 23</h1>
<p>Gunmen killed 23 people at the market on Tuesday, police said. Another 40 were injured in the attack,
according to hospital officials who spoke to reporters at the scene later in the day.</p>
<p>The Brennic Liberation Front has about 600 fighters in the hills, a regional commander said.</p>
</article><footer>Copyright 2031 The Courier. Cookie policy.</footer></body></html>"""


def number_claims(text: str, *, published=None) -> list[Claim]:
    """Stand-in extractor: every run of digits is a figure claim (deterministic, not the real extractor)."""
    return [Claim(kind=Kind.FIGURE, start=m.start(), end=m.end(), quote=m.group(), sentence=text,
                  low=float(m.group()), high=float(m.group()), rule="test.digits")
            for m in re.finditer(r"\d+", text)]


@pytest.fixture(autouse=True)
def fake_extractor(monkeypatch):
    monkeypatch.setattr(EXTRACT, "extract", number_claims)
    monkeypatch.setattr(EXTRACT, "EXTRACTOR_VERSION", "digits-1")


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "corpus"
    write(root / "a_report.txt", "Officials said 132 children were killed.")
    write(root / "a_report.meta.json", json.dumps({"title": "School attack", "publisher": "Dawn",
                                                    "published": "2014-12-17", "url": "https://dawn.example/1",
                                                    "note": "extra keys are ignored"}))
    write(root / "b_notes.md", "# Ceasefire\n\nA one-month ceasefire from 9 November.")
    write(root / "sub" / "c_batch.json", json.dumps([
        {"text": "Police said 40 were injured.", "publisher": "Reuters", "published": "2020-01-05"},
        {"text": "About 600 fighters remain.", "title": "Fighters"},
    ]))
    write(root / "sub" / "d_lines.jsonl", "\n".join(json.dumps(r) for r in [
        {"text": "7 soldiers died.", "publisher": "AP", "published": "2020-02-01T10:00:00Z"},
        {"text": "Strike kills 12.", "url": "https://ap.example/2"},
    ]) + "\n")
    write(root / "README", "not an input")
    return root


def test_ingest_folder_reads_every_format_with_metadata(store, corpus):
    report = ingest_paths(store, [corpus])
    assert report.failed == []
    assert len(report.ingested) == 6
    assert [s.source for s in report.skipped] == [str(corpus / "README")]
    docs = {d.filename: d for d in store.list_documents(limit=None)}
    assert set(docs) == {"a_report.txt", "b_notes.md", "c_batch.json[0]", "c_batch.json[1]",
                         "d_lines.jsonl:1", "d_lines.jsonl:2"}
    a = docs["a_report.txt"]
    assert (a.title, a.publisher, a.published, a.url) == ("School attack", "Dawn", dt.date(2014, 12, 17),
                                                          "https://dawn.example/1")
    assert docs["b_notes.md"].title == "Ceasefire"
    assert docs["c_batch.json[0]"].publisher == "Reuters"
    assert docs["d_lines.jsonl:1"].published == dt.date(2020, 2, 1)
    assert docs["d_lines.jsonl:2"].url == "https://ap.example/2"
    assert store.count_claims(ClaimFilter()) == sum(d.claims for d in report.ingested) == 6
    assert {r.extractor_version for r in store.query_claims(ClaimFilter(), limit=None)} == {"digits-1"}


def test_ingest_twice_adds_nothing(store, corpus):
    first = ingest_paths(store, [corpus])
    second = ingest_paths(store, [corpus, corpus / "a_report.txt"])
    assert len(second.ingested) == 0 and len(second.unchanged) == len(first.ingested) == 6
    assert store.count_documents() == 6 and store.count_claims(ClaimFilter()) == 6


def test_explicit_options_override_file_metadata(store, corpus):
    ingest_paths(store, [corpus / "a_report.txt", corpus / "sub" / "c_batch.json"], publisher="Override",
                 published=dt.date(2000, 1, 1), url="https://x.example", title="T")
    docs = store.list_documents(limit=None)
    assert {(d.publisher, d.published, d.url, d.title) for d in docs} == {
        ("Override", dt.date(2000, 1, 1), "https://x.example", "T")}


def test_sidecar_named_explicitly_is_not_a_document(store, corpus):
    report = ingest_paths(store, [corpus / "a_report.meta.json"])
    assert report.ingested == [] and report.failed == [] and store.count_documents() == 0


def test_html_main_text_and_metadata(store, tmp_path):
    page = write(tmp_path / "page.html", HTML)
    report = ingest_paths(store, [page])
    assert report.failed == []
    (doc,) = store.list_documents()
    assert "killed 23 people" in doc.text and "Cookie policy" not in doc.text and "Home | World" not in doc.text
    assert doc.published == dt.date(2031, 5, 14)
    assert doc.publisher == "The Courier"
    assert doc.title and "Attack on market" in doc.title


# ---------------------------------------------------------------- bad inputs
BAD_FILES = {
    "empty.txt": (b"   \n\n", "empty"),
    "separators.txt": ("\x1c\u2028\u3000".encode(), "empty"),  # Unicode white space only
    "binary.txt": (b"abc\x00\x01\x02def", "binary"),
    "latin1.txt": ("Caf\u00e9 killed 3".encode("latin-1"), "not UTF-8"),
    "utf16.txt": ("3 killed".encode("utf-16"), "UTF-16"),
    "broken.json": (b'{"text": "x" ', "malformed JSON"),
    "notext.json": (json.dumps({"title": "no text here"}).encode(), 'no "text"'),
    "badtype.json": (json.dumps({"text": 42}).encode(), "must be a string"),
    "baddate.json": (json.dumps({"text": "5 killed", "published": "last Tuesday"}).encode(), "published"),
    "unknown.pdf": (b"%PDF-1.4", "unknown file type"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_each_bad_file_is_reported_by_name_and_stores_nothing(store, tmp_path, name):
    data, reason = BAD_FILES[name]
    bad = write(tmp_path / name, data)
    good = write(tmp_path / "good.txt", "Police said 5 were killed.")
    report = ingest_paths(store, [bad, good])
    assert len(report.failed) == 1
    assert report.failed[0].source.startswith(str(bad))
    assert reason in report.failed[0].reason
    assert [d.filename for d in store.list_documents()] == ["good.txt"]
    assert not report.ok


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_each_bad_upload_is_refused_by_name_like_the_file(name):
    data, reason = BAD_FILES[name]
    with pytest.raises(BadInputError, match=reason) as e:
        read_upload(name, data)
    assert name in str(e.value)


def test_bad_sidecar_date_names_the_sidecar(store, tmp_path):
    write(tmp_path / "x.txt", "3 killed")
    write(tmp_path / "x.meta.json", json.dumps({"published": "17/12/2014"}))
    report = ingest_paths(store, [tmp_path])
    assert len(report.failed) == 1 and "x.meta.json" in report.failed[0].reason + report.failed[0].source
    assert "published" in report.failed[0].reason
    assert store.count_documents() == 0


def test_malformed_jsonl_line_reports_its_number_and_keeps_the_rest(store, tmp_path):
    f = write(tmp_path / "feed.jsonl", '{"text": "1 killed"}\n\n{"text": oops}\n{"title": "x"}\n{"text": "4 hurt"}\n')
    report = ingest_paths(store, [f])
    assert [(x.source, x.reason.split(" (")[0]) for x in report.failed] == [
        (f"{f}:3", "malformed JSON line"), (f"{f}:4", 'JSON object has no "text" field')]
    assert sorted(d.filename for d in store.list_documents()) == ["feed.jsonl:1", "feed.jsonl:5"]


def test_missing_and_unreadable_paths(store, tmp_path):
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    report = ingest_paths(store, [tmp_path / "missing.txt", link])
    reasons = {f.source: f.reason for f in report.failed}
    assert reasons[str(tmp_path / "missing.txt")] == "no such file or folder"
    assert "dangling symlink" in reasons[str(link)]  # named for what it is, not "cannot read"
    assert store.count_documents() == 0


def test_file_over_the_size_limit_is_refused_without_reading_it(store, tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMS_MAX_FILE_MB", "0.001")  # about 1 KB
    big = write(tmp_path / "big.txt", "9 killed. " * 200)
    small = write(tmp_path / "small.txt", "2 killed.")
    report = ingest_paths(store, [big, small])
    assert len(report.failed) == 1 and report.failed[0].source == str(big)
    assert "limit" in report.failed[0].reason and "CLAIMS_MAX_FILE_MB" in report.failed[0].reason
    assert [d.filename for d in store.list_documents()] == ["small.txt"]


def test_big_jsonl_is_streamed_past_the_file_limit(store, tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMS_MAX_FILE_MB", "0.001")
    lines = [json.dumps({"text": f"Report {i}: {i} killed."}) for i in range(100)]
    f = write(tmp_path / "many.jsonl", "\n".join(lines))
    assert f.stat().st_size > 1100
    report = ingest_paths(store, [f])
    assert report.failed == [] and store.count_documents() == 100


def test_extractor_crash_fails_one_document_only(store, tmp_path, monkeypatch):
    def crashy(text, *, published=None):
        if "boom" in text:
            raise RuntimeError("extractor bug")
        return number_claims(text)

    monkeypatch.setattr(EXTRACT, "extract", crashy)
    write(tmp_path / "1.txt", "boom 3")
    write(tmp_path / "2.txt", "fine 4")
    report = ingest_paths(store, [tmp_path])
    assert [(f.source, f.reason) for f in report.failed] == [(str(tmp_path / "1.txt"), "RuntimeError: extractor bug")]
    assert [d.filename for d in store.list_documents()] == ["2.txt"]


def test_database_error_mid_document_leaves_nothing_behind(store, tmp_path, monkeypatch):
    def half_bad(text, *, published=None):
        good = number_claims(text)
        return good + [Claim(kind=Kind.FIGURE, start=0, end=1, quote=None)]  # violates NOT NULL after good rows

    monkeypatch.setattr(EXTRACT, "extract", half_bad)
    write(tmp_path / "x.txt", "Publisher Z says 5 killed")
    report = ingest_paths(store, [tmp_path / "x.txt"], publisher="Brand New Publisher")
    assert len(report.failed) == 1
    assert store.count_documents() == 0 and store.count_claims() == 0 and store.list_publishers() == []


# ---------------------------------------------------------------- re-extraction
def test_reextract_keeps_reviews_and_reports_orphans(store, tmp_path, monkeypatch):
    f = write(tmp_path / "r.txt", "On day 1 there were 132 killed and 40 injured and 7 missing.")
    ingest_paths(store, [f])
    recs = {r.claim.quote: r for r in store.query_claims(ClaimFilter(), limit=None)}
    store.review(recs["132"].id, verdict="verified", reviewer="ann", note="matches hospital list")
    store.review(recs["7"].id, verdict="not_a_claim", reviewer="ann")

    def v2(text, *, published=None):
        # the new extractor drops "1" and "7", keeps "132" (re-read with a range) and "40", finds a new span
        out = [c for c in number_claims(text) if c.quote in ("132", "40")]
        out = [Claim(**{**{k: getattr(c, k) for k in c.__slots__}, "high": 140.0}) if c.quote == "132" else c
               for c in out]
        start = text.index("killed")
        return out + [Claim(kind=Kind.FIGURE, start=start, end=start + 6, quote="killed", sentence=text)]

    monkeypatch.setattr(EXTRACT, "extract", v2)
    monkeypatch.setattr(EXTRACT, "EXTRACTOR_VERSION", "digits-2")
    report = ingest_paths(store, [f], reextract=True)
    assert report.failed == [] and len(report.reextracted) == 1
    r = report.reextracted[0]
    assert (r.kept, r.added, r.removed, r.orphaned) == (2, 1, 1, [recs["7"].id])
    assert "orphaned" in report.summary() and str(recs["7"].id) in report.summary()
    kept = store.get_claim(recs["132"].id)
    assert kept.verdict is Verdict.VERIFIED and kept.note == "matches hospital list" and kept.claim.high == 140
    assert kept.extractor_version == "digits-2"
    orphan = store.get_claim(recs["7"].id)
    assert orphan.orphaned and orphan.verdict is Verdict.NOT_A_CLAIM
    assert store.get_claim(recs["1"].id) is None
    # the review's three entries, then the changed extracted high as the next version
    assert [(h.version, h.field) for h in store.history(recs["132"].id)][3:] == [(2, "extracted.high")]


def test_reextract_everything_without_paths(store, corpus, monkeypatch):
    ingest_paths(store, [corpus])
    monkeypatch.setattr(EXTRACT, "extract", lambda text, *, published=None: [])
    report = ingest_paths(store, [], reextract=True)
    assert len(report.reextracted) == 6 and store.count_claims() == 0


# ---------------------------------------------------------------- dashboard helpers
def test_read_upload_formats_and_errors():
    (t,) = read_upload("a.txt", b"5 killed")
    assert t.text == "5 killed" and t.filename == "a.txt"
    docs = read_upload("b.jsonl", b'{"text": "1"}\n{"text": "2", "publisher": "X"}\n')
    assert [d.publisher for d in docs] == [None, "X"]
    (h,) = read_upload("p.htm", HTML.encode())
    assert "killed 23 people" in h.text
    with pytest.raises(BadInputError, match=r"^b.jsonl:2: malformed JSON"):
        read_upload("b.jsonl", b'{"text": "1"}\nnope\n')
    with pytest.raises(BadInputError, match=r"^x.docx: unknown file type"):
        read_upload("x.docx", b"PK")
    with pytest.raises(BadInputError, match="not UTF-8"):
        read_upload("x.txt", b"\xff\xfe\xfa")
    with pytest.raises(BadInputError, match="empty"):
        read_upload("x.md", b"")


def test_ingest_text(store):
    report = ingest_text(store, "Police said 9 died.", title="Pasted", publisher="Desk", published="2024-02-03")
    assert len(report.ingested) == 1
    (doc,) = store.list_documents()
    assert (doc.title, doc.publisher, doc.published) == ("Pasted", "Desk", dt.date(2024, 2, 3))
    again = ingest_text(store, "Police said 9 died.")
    assert len(again.unchanged) == 1
    assert ingest_text(store, "   ").failed[0].reason.startswith("empty")


def test_progress_bar_only_on_a_terminal(sqlite_url, tmp_path, capsys, monkeypatch):
    import io
    import sys

    from claims.store import Store

    for i in range(3):
        write(tmp_path / f"{i}.txt", f"{i} killed")
    store = Store(sqlite_url)
    ingest_paths(store, [tmp_path], progress=True)
    assert capsys.readouterr().err == ""  # stderr is not a terminal under pytest: no bar

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    fake = Tty()
    monkeypatch.setattr(sys, "stderr", fake)
    for i in range(3, 6):
        write(tmp_path / f"{i}.txt", f"{i} injured")
    report = ingest_paths(store, [tmp_path], progress=True)
    assert len(report.ingested) == 3
    assert "ingest:" in fake.getvalue() and "/6" in fake.getvalue()
    store.close()


# ---------------------------------------------------------------- batches (several documents per transaction)
def test_documents_are_written_several_per_transaction(store, tmp_path):
    """120 documents take a handful of write transactions, not 120 (issue 16: batching is SQLite's lever)."""
    import sqlalchemy as sa

    from claims.ingest import BATCH_DOCUMENTS

    for i in range(120):
        write(tmp_path / f"{i:03d}.txt", f"Report {i}: {i + 1000} people were displaced.")
    commits = []
    sa.event.listen(store.engine, "commit", lambda conn: commits.append(1))
    report = ingest_paths(store, [tmp_path])
    assert len(report.ingested) == 120 and store.count_documents() == 120
    assert store.count_claims() == 240  # "{i}" and "{i + 1000}" in each
    assert len(commits) <= -(-120 // BATCH_DOCUMENTS) + 2, f"{len(commits)} commits for 120 documents"


def test_database_error_in_one_document_of_a_batch_stores_the_others(store, tmp_path, monkeypatch):
    """A document the store refuses fails alone; the rest of its batch is stored whole."""
    def bad_one(text, *, published=None):
        extra = [Claim(kind=Kind.FIGURE, start=0, end=1, quote=None)] if "bad" in text else []
        return number_claims(text) + extra  # the NOT NULL violation comes after good rows of the same batch

    monkeypatch.setattr(EXTRACT, "extract", bad_one)
    for i in range(10):
        write(tmp_path / f"{i}.txt", f"{'bad' if i == 4 else 'good'} report: {i + 10} killed and {i + 50} hurt")
    report = ingest_paths(store, [tmp_path], publisher="Batch Daily")
    assert [f.source for f in report.failed] == [str(tmp_path / "4.txt")]
    assert sorted(d.filename for d in store.list_documents()) == [f"{i}.txt" for i in range(10) if i != 4]
    assert store.count_claims() == 18 and [d.claims for d in report.ingested] == [2] * 9
    assert ingest_paths(store, [tmp_path], publisher="Batch Daily").ingested == []  # idempotent


def test_same_text_twice_in_one_batch_is_one_document_and_an_appearance(store, tmp_path):
    write(tmp_path / "a.txt", "Officials said 12 people were killed.")
    write(tmp_path / "a.meta.json", json.dumps({"publisher": "First Wire"}))
    write(tmp_path / "b.txt", "Officials said 12 people were killed.")
    write(tmp_path / "b.meta.json", json.dumps({"publisher": "Second Paper"}))
    report = ingest_paths(store, [tmp_path])
    assert [d.source for d in report.ingested] == [str(tmp_path / "a.txt")]
    assert [d.source for d in report.appeared] == [str(tmp_path / "b.txt")]
    assert store.count_documents() == 1 and store.list_documents()[0].appearances == 1


def test_two_versions_of_one_address_in_one_batch_are_chained(store):
    """The second text seen at an address becomes the first's next version, even within one transaction batch."""
    from claims.ingest import ingest_documents
    from claims.model import DocumentIn

    report = ingest_documents(store, [DocumentIn(text="At first 5 were killed.", canonical_url="example.org/a"),
                                      DocumentIn(text="Later 7 were killed.", canonical_url="example.org/a")])
    assert len(report.ingested) == 1 and len(report.updated) == 1
    assert report.updated[0].previous_id == report.ingested[0].document_id
    assert store.get_document(report.ingested[0].document_id).next_id == report.updated[0].document_id
