"""Hostile input: no unhandled exception, no partial write, and text is data everywhere.

Property tests (Hypothesis) throw arbitrary and adversarial input at
``extract``, every importer (txt/md/html/json/jsonl through claims.ingest,
JSON/JSONL/bundle through claims.export) and the claim filters: only
BadInputError and its named siblings may come out, and a failed input
leaves every table as it was. Then: SQL metacharacters in every filter and
search are plain text, CSV cells cannot start a formula, uploads are checked
for size and type with clear messages and never touch the file system, and
(browser) HTML in titles, publishers, notes and article text renders inert
on every dashboard page.
"""
from __future__ import annotations

import builtins
import csv
import datetime as dt
import io
import json
import math
import os
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from claims.errors import BadInputError, ClaimsError
from claims.extract import extract
from claims.model import Claim, ClaimFilter, DocumentIn, Kind, Outcome
from claims.store import Store, claims, date_bounds, documents, publishers, review_history, reviews

pytest_plugins = ["tests.conftest_browser"]

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])

# ---------------------------------------------------------------- strategies
NUMBERISH = ["0", "-0", "1,000", "1.000.000", "12", "9" * 400, "1e308", "1e-308", "NaN", "inf", "½", "²", "١٢٣",
             "１２", "٣٠", "0x1F", "3/4", "12-15", "12–15", "1,2,3,4,5", ".5", "5.", "1 000", "-12", "+12", "$12bn",
             "12%", "twelve", "a dozen", "hundreds", "thousand", "million", "billion", "quadrillion", "first",
             "1st", "2021-13-45", "31/02/2021", "0000-00-00", "99999-01-01"]
WORDS = ["killed", "were killed", "died", "injured", "wounded", "people", "soldiers", "fighters", "militants",
         "at least", "up to", "more than", "between", "and", "about", "nearly", "some", "said", "according to",
         "police", "yesterday", "last week", "next month", "on Monday", "in March", "for three days", "since 2001",
         "years", "ago", "the", ".", ",", ";", "\n", "\n\n", " ", "\t", "\u200f", "\u202e", "\u0301", "\ufeff",
         "\u2028", "\x0b", "\x0c", "\r", "🙂", "<script>alert(1)</script>", "' OR 1=1 --", "%_\\", '"', "=cmd|'/C calc'!A0"]
hostile_text = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(NUMBERISH), st.sampled_from(WORDS), st.text(max_size=6)),
             max_size=60).map(" ".join),
    st.lists(st.sampled_from(NUMBERISH + WORDS), max_size=80).map("".join),
)
any_date = st.one_of(st.none(), st.dates(), st.sampled_from([dt.date.min, dt.date.max, dt.date(1, 1, 31),
                                                             dt.date(9999, 12, 1)]))
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12)


def table_counts(store: Store) -> dict[str, int]:
    """Return the row count of every table the store writes."""
    with store.read() as conn:
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in (documents, claims, reviews, review_history, publishers)}


# ---------------------------------------------------------------- extract
@FAST
@given(text=hostile_text, published=any_date)
def test_extract_never_raises_and_spans_slice_back(text, published):
    found = extract(text, published=published)
    assert isinstance(found, list)
    for c in found:
        assert isinstance(c, Claim)
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start:c.end] == c.quote
        for x in (c.low, c.high):
            assert x is None or math.isfinite(x), c
        if c.low is not None and c.high is not None:
            assert c.low <= c.high, c
        if c.date:  # a real calendar date of some precision, which the store's date filters can read
            assert date_bounds(c.date) != (None, None), c


@pytest.mark.parametrize("published", [dt.date.min, dt.date.max])
@pytest.mark.parametrize("phrase", ["yesterday", "last year", "next year", "10 years ago", "in 100 years",
                                    "last month", "next week", "on Monday", "in December", "in January"])
def test_relative_dates_at_the_ends_of_the_calendar_do_not_crash(phrase, published):
    text = f"Police said 12 people were killed {phrase} in the attack."
    for c in extract(text, published=published):
        assert text[c.start:c.end] == c.quote


# ---------------------------------------------------------------- ingest importers
EXTS = [".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".csv", ".exe", "", ".TXT", ".tar.gz"]
NAMES = ["a", "../../etc/passwd", "/etc/shadow", "..\\..\\windows\\system32\\x", "C:\\x", "~/.ssh/id_rsa",
         "\x00evil", "con", ".hidden", "a" * 300, "😀", "dir/", " "]


def payloads() -> st.SearchStrategy[bytes]:
    doc = st.fixed_dictionaries({"text": hostile_text}, optional={
        "title": json_value, "publisher": json_value, "published": json_value, "url": json_value})
    return st.one_of(
        st.binary(max_size=300),
        hostile_text.map(lambda t: t.encode("utf-8")),
        hostile_text.map(lambda t: t.encode("utf-16")),
        json_value.map(lambda v: json.dumps(v).encode()),
        doc.map(lambda d: json.dumps(d).encode()),
        st.lists(doc, max_size=4).map(lambda ds: json.dumps(ds).encode()),
        st.lists(st.one_of(doc.map(json.dumps), st.text(max_size=20)), max_size=5)
        .map(lambda ls: "\n".join(ls).encode()),
        hostile_text.map(lambda t: f"<html><head><title>{t}</title></head><body><p>{t}</p></body></html>".encode()),
    )


class NoFileSystem:
    """Fail the test if anything opens a file while active."""

    def __init__(self, monkeypatch) -> None:
        self.mp = monkeypatch

    def __enter__(self):
        def refuse(*a, **k):
            raise AssertionError(f"file system touched: {a[:2]}")
        self.mp.setattr(builtins, "open", refuse)
        self.mp.setattr(os, "open", refuse)
        self.mp.setattr(Path, "open", refuse)
        return self

    def __exit__(self, *exc):
        self.mp.undo()


@FAST
@given(name=st.sampled_from(NAMES), ext=st.sampled_from(EXTS), data=payloads())
def test_read_upload_only_raises_bad_input_and_never_opens_a_file(name, ext, data, monkeypatch):
    from claims.ingest import read_upload

    import trafilatura  # noqa: F401  (imported before the file system is shut: it reads its settings once)
    trafilatura.extract("<html><body><p>warm up</p></body></html>")
    with NoFileSystem(monkeypatch):
        try:
            docs = read_upload(name + ext, data)
        except BadInputError as e:
            assert str(e), "an error must say what is wrong"
            return
    assert docs
    for d in docs:
        assert isinstance(d, DocumentIn) and isinstance(d.text, str) and d.text.strip()
        assert "\x00" not in d.text
        # the upload's name is only a label: no directory part survives
        assert d.filename is None or "/" not in d.filename


@pytest.fixture
def sqlite_store(sqlite_url):
    with Store(sqlite_url) as s:
        yield s


@FAST
@given(ext=st.sampled_from([".txt", ".md", ".html", ".json", ".jsonl"]), data=payloads())
def test_ingest_of_hostile_files_stores_whole_documents_or_nothing(ext, data, sqlite_store, tmp_path_factory):
    from claims.ingest import ingest_paths

    folder = tmp_path_factory.mktemp("in")
    f = folder / f"input{ext}"
    f.write_bytes(data)
    before = table_counts(sqlite_store)
    rep = ingest_paths(sqlite_store, [f])
    after = table_counts(sqlite_store)
    new_docs = len(rep.ingested)
    assert after["documents"] - before["documents"] == new_docs
    assert after["claims"] - before["claims"] == sum(d.claims for d in rep.ingested)
    assert after["reviews"] - before["reviews"] == after["claims"] - before["claims"]
    assert after["review_history"] == before["review_history"]
    for failure in rep.failed:
        assert failure.source.startswith(str(f)), failure
        assert failure.reason and "Traceback" not in failure.reason
        assert not failure.reason.startswith(("TypeError", "AttributeError", "KeyError", "ValueError",
                                              "IndexError", "RecursionError")), f"unhandled: {failure}"


def test_a_json_list_with_one_bad_record_stores_nothing(sqlite_store, tmp_path):
    from claims.ingest import ingest_paths

    f = tmp_path / "feed.json"
    f.write_text(json.dumps([{"text": "12 people were killed in Dunmere."}, {"text": 12}]))
    before = table_counts(sqlite_store)
    rep = ingest_paths(sqlite_store, [f])
    assert table_counts(sqlite_store) == before
    assert len(rep.failed) == 1 and "feed.json[1]" in str(rep.failed[0]) and "text" in str(rep.failed[0])


# ---------------------------------------------------------------- export importers
def _seeded(store: Store) -> None:
    text = "Police said 12 people were killed and 30 injured in Dunmere on Monday."
    found = extract(text, published=dt.date(2031, 3, 4))
    doc_id, _ = store.add_document(DocumentIn(text=text, title="T", publisher="P", published=dt.date(2031, 3, 4)),
                                   found, extractor_version="x")
    first = store.claims_for_document(doc_id)[0]
    store.review(first.id, verdict="verified", reviewer="amina", note="ok")


@pytest.fixture(scope="module")
def export_files(tmp_path_factory):
    """Return {format: bytes} of a small valid export (JSON, JSONL, bundle)."""
    from claims.export import export_to

    d = tmp_path_factory.mktemp("exports")
    with Store(f"sqlite:///{d / 'src.db'}") as s:
        _seeded(s)
        out = {}
        for fmt, ext in (("json", ".json"), ("jsonl", ".jsonl"), ("bundle", ".zip")):
            p = d / f"e{ext}"
            export_to(s, None, fmt=fmt, path=p, groups=None)
            out[fmt] = p.read_bytes()
    return out


def _mutate_json(value, path: list[int], replacement):
    """Replace the node reached by following ``path`` (indexes into keys/items) with ``replacement``."""
    if not path:
        return replacement
    if isinstance(value, dict) and value:
        keys = list(value)
        k = keys[path[0] % len(keys)]
        return {**value, k: _mutate_json(value[k], path[1:], replacement)}
    if isinstance(value, list) and value:
        i = path[0] % len(value)
        return value[:i] + [_mutate_json(value[i], path[1:], replacement)] + value[i + 1:]
    return replacement


def _import_and_check(store: Store, path: Path) -> None:
    from claims.export import import_file

    before = table_counts(store)
    try:
        import_file(store, path)
    except ClaimsError as e:
        assert str(e)
        assert table_counts(store) == before, f"{type(e).__name__} left a partial write: {e}"


@FAST
@given(fmt=st.sampled_from(["json", "jsonl"]), path=st.lists(st.integers(0, 50), max_size=6),
       replacement=json_value, cut=st.one_of(st.none(), st.integers(0, 5000)))
def test_import_of_corrupted_exports_is_all_or_nothing(fmt, path, replacement, cut, export_files, sqlite_store,
                                                       tmp_path_factory):
    raw = export_files[fmt].decode()
    if fmt == "json":
        text = json.dumps(_mutate_json(json.loads(raw), path, replacement))
    else:
        lines = raw.splitlines()
        i = path[0] % len(lines) if path else 0
        lines[i] = json.dumps(_mutate_json(json.loads(lines[i]), path[1:], replacement))
        text = "\n".join(lines)
    if cut is not None:
        text = text[:cut]
    f = tmp_path_factory.mktemp("imp") / f"x.{fmt}"
    f.write_text(text)
    _import_and_check(sqlite_store, f)


@FAST
@given(member=st.integers(0, 20), data=st.binary(max_size=200), mode=st.sampled_from(["replace", "drop", "append"]))
def test_import_of_tampered_bundles_is_all_or_nothing(member, data, mode, export_files, sqlite_store,
                                                      tmp_path_factory):
    src = zipfile.ZipFile(io.BytesIO(export_files["bundle"]))
    names = src.namelist()
    target = names[member % len(names)]
    f = tmp_path_factory.mktemp("bundle") / "b.zip"
    with zipfile.ZipFile(f, "w") as z:
        for n in names:
            body = src.read(n)
            if n == target and mode == "drop":
                continue
            if n == target:
                body = data if mode == "replace" else body + data
            z.writestr(n, body)
    _import_and_check(sqlite_store, f)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_import_of_random_bytes_is_refused_cleanly(data, sqlite_store, tmp_path_factory):
    for ext in (".json", ".jsonl", ".zip"):
        f = tmp_path_factory.mktemp("rnd") / f"r{ext}"
        f.write_bytes(data)
        _import_and_check(sqlite_store, f)


def test_import_into_a_store_with_data_then_failing_leaves_it_unchanged(export_files, sqlite_store, tmp_path):
    """A bundle whose last claim is bad must not leave its first documents behind."""
    from claims.export import import_file

    _seeded(sqlite_store)
    doc = json.loads(export_files["json"])
    claims_key = next(k for k, v in doc.items() if isinstance(v, list) and v and "quote" in v[0])
    doc[claims_key][-1]["kind"] = "<not a kind>"
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(doc))
    before = table_counts(sqlite_store)
    with pytest.raises(BadInputError) as e:
        import_file(sqlite_store, f)
    assert "kind" in str(e.value)
    assert table_counts(sqlite_store) == before


# ---------------------------------------------------------------- filters
hostile_str = st.one_of(st.text(max_size=30), st.sampled_from(
    ["%", "_", "\\", "'", '"', "' OR '1'='1", "'; DROP TABLE claims; --", "%' --", "\\%", "[a-z]", "*", "?",
     "\x00", "NULL", "null", "\u202e", "𝟙𝟚", "ǅ", "ß", "İ"]))
big_int = st.one_of(st.integers(-5, 5), st.integers(min_value=-(2**70), max_value=2**70))
floats = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**30, 10**30))


@st.composite
def claim_filters(draw):
    return ClaimFilter(
        kinds=draw(st.lists(st.one_of(st.sampled_from([k.value for k in Kind]), hostile_str), max_size=3)),
        outcomes=draw(st.lists(st.one_of(st.sampled_from([o.value for o in Outcome]), hostile_str), max_size=2)),
        publishers=draw(st.lists(hostile_str, max_size=3)),
        verdicts=draw(st.lists(hostile_str, max_size=2)),
        reviewers=draw(st.lists(hostile_str, max_size=2)),
        figure_min=draw(floats), figure_max=draw(floats),
        date_from=draw(any_date), date_to=draw(any_date),
        published_from=draw(any_date), published_to=draw(any_date),
        text=draw(st.one_of(st.none(), hostile_str)),
        text_terms=draw(st.lists(hostile_str, max_size=3)),
        document_ids=draw(st.lists(big_int, max_size=3)),
        claim_ids=draw(st.lists(big_int, max_size=3)),
    )


@pytest.fixture
def filled_store(store):
    _seeded(store)
    return store


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flt=claim_filters(), order=st.sampled_from(["document", "newest", "oldest", "figure", "id", "reviewed"]))
def test_any_filter_value_is_answered_or_refused_by_name(flt, order, filled_store):
    try:
        page = filled_store.query_claims(flt, limit=10, order=order)
        n = filled_store.count_claims(flt)
        facets = {f: filled_store.facet_counts(flt, f) for f in ("verdict", "kind", "outcome", "publisher",
                                                                   "reviewer")}
    except BadInputError as e:
        assert str(e)
        return
    assert len(page) <= min(n, 10)
    assert sum(facets["verdict"].values()) == n
    assert filled_store.count_claims(None) > 0  # nothing was dropped along the way


META = ["%", "_", "\\", "'", '"', "' OR 1=1 --", "'; DROP TABLE claims; --", "%_", "\\%", "[x]", "$1", ":name",
        "?", "--", "/*", "*/", ";", "`", "100%", "a_b", "O'Brien"]


@pytest.fixture
def meta_store(store):
    """A store whose subjects, attributions, sentences, publishers and reviewers are all SQL metacharacters."""
    for i, m in enumerate(META):
        text = f"Officials {m} said {i + 3} people were killed in Town{i} {m}."
        q = f"{i + 3} people"
        start = text.index(q)
        c = Claim(kind=Kind.CASUALTIES, start=start, end=start + len(q), quote=q, sentence=text, low=i + 3,
                  high=i + 3, outcome=Outcome.KILLED, subject=f"people {m}", attributed_to=f"Officials {m}",
                  rule="t")
        doc_id, _ = store.add_document(DocumentIn(text=text, publisher=f"Pub {m}", title=f"T {m}"), [c],
                                       extractor_version="t")
        store.review(store.claims_for_document(doc_id)[0].id, verdict="verified", reviewer=f"rev {m}")
    return store


@pytest.mark.parametrize("m", META)
def test_sql_metacharacters_are_plain_text_in_every_filter(m, meta_store):
    every = meta_store.query_claims(None, limit=None)
    assert len(every) == len(META)

    def expect(pred):
        return sorted(r.id for r in every if pred(r))

    def got(flt):
        return sorted(r.id for r in meta_store.query_claims(flt, limit=None))

    needle = m.lower()
    want = expect(lambda r: any(needle in (v or "").lower() for v in (r.claim.quote, r.claim.subject,
                                                                     r.claim.attributed_to, r.claim.sentence)))
    assert want, "the fixture holds this text"
    assert got(ClaimFilter(text=m)) == want
    assert meta_store.count_claims(ClaimFilter(text=m)) == len(want)
    assert got(ClaimFilter(text_terms=[m])) == want
    assert got(ClaimFilter(publishers=[f"Pub {m}"])) == expect(lambda r: r.publisher == f"Pub {m}")
    assert len(got(ClaimFilter(publishers=[f"Pub {m}"]))) == 1
    assert got(ClaimFilter(reviewers=[f"rev {m}"])) == expect(lambda r: r.reviewer == f"rev {m}")
    assert meta_store.facet_counts(ClaimFilter(text=m), "publisher") == {
        r.publisher: 1 for r in every if r.id in want}
    assert table_counts(meta_store)["claims"] == len(META)


def test_sql_metacharacters_in_list_and_export_cli(meta_store, tmp_path):
    """The CLI's --search and --publisher pass metacharacters through as text too."""
    from claims.cli import main

    url = meta_store.url
    out = tmp_path / "o.jsonl"
    code = main(["export", "--db", url, "--format", "jsonl", "-o", str(out), "--search", "' OR 1=1 --"])
    assert code == 0
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    claim_recs = [r for r in recs if r.get("quote")]
    assert [r["quote"] for r in claim_recs] == ["8 people"]


# ---------------------------------------------------------------- CSV formula injection
FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "  =1+1", "\n=1", "＝1+1", "=HYPERLINK(\"http://x\")",
            "=cmd|' /C calc'!A0"]


def test_csv_export_neutralises_formulas_in_every_text_column(store, tmp_path):
    from claims.export import export_to

    for i, f in enumerate(FORMULAS):
        text = f"{f} said {i + 2} people were killed {f}"
        q = f"{i + 2} people"
        s = text.index(q)
        c = Claim(kind=Kind.CASUALTIES, start=s, end=s + len(q), quote=q, sentence=text, low=i + 2, high=i + 2,
                  outcome=Outcome.KILLED, subject=f, attributed_to=f, rule="t")
        doc_id, _ = store.add_document(DocumentIn(text=text, title=f, publisher=f"{f} {i}", url=None,
                                                  filename=f"{f}.txt"), [c], extractor_version="t")
        store.review(store.claims_for_document(doc_id)[0].id, verdict="disputed", reviewer=f"{f}r", note=f)
    out = tmp_path / "x.csv"
    export_to(store, None, fmt="csv", path=out, groups=None)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert len(body) == len(FORMULAS)
    seen_payload = 0
    for row in body:
        for name, cell in zip(header, row):
            head = cell.lstrip(" \n")
            if head[:1] in ("=", "+", "@", "\t", "\r", "＝", "＋", "－", "＠"):
                pytest.fail(f"column {name}: formula cell {cell!r}")
            if head[:1] == "-":
                float(cell)  # only a real negative number may start with '-'
            if cell.startswith("'") and cell[1:] in FORMULAS:
                seen_payload += 1
    assert seen_payload >= len(FORMULAS) * 3, "the payloads are kept (quoted), not dropped"


# ---------------------------------------------------------------- uploads
def test_upload_over_the_size_limit_is_refused_by_name(monkeypatch):
    from claims.ingest import read_upload

    monkeypatch.setenv("CLAIMS_MAX_FILE_MB", "0.001")
    with pytest.raises(BadInputError) as e:
        read_upload("big-report.txt", b"12 people were killed. " * 200)
    msg = str(e.value)
    assert "big-report.txt" in msg and "MB" in msg and "CLAIMS_MAX_FILE_MB" in msg


@pytest.mark.parametrize("name", ["photo.png", "macro.xlsm", "archive.zip", "noext", "x.exe", "../../a.sh"])
def test_upload_of_an_unsupported_type_is_refused_with_the_choices(name):
    from claims.ingest import EXTENSIONS, read_upload

    with pytest.raises(BadInputError) as e:
        read_upload(name, b"12 people were killed")
    msg = str(e.value)
    assert Path(name).name in msg
    assert all(x in msg for x in EXTENSIONS)


@pytest.mark.parametrize("name", ["../../../../tmp/evil.txt", "/etc/cron.d/evil.txt", "..\\..\\evil.txt",
                                  "sub/dir/evil.json"])
def test_upload_names_are_labels_not_paths(name, sqlite_store, monkeypatch, tmp_path):
    from claims.ingest import ingest_documents, read_upload

    payload = (json.dumps({"text": "7 people were killed."}) if name.endswith(".json")
               else "7 people were killed.").encode()
    with NoFileSystem(monkeypatch):
        docs = read_upload(name, payload)
    rep = ingest_documents(sqlite_store, docs)
    assert rep.ok and len(rep.ingested) == 1
    stored = sqlite_store.get_document(rep.ingested[0].document_id)
    # the name is a label: no directory part survives (a backslash is an ordinary character on POSIX)
    assert "/" not in stored.filename and Path(stored.filename).name == stored.filename
    assert not Path("/tmp/evil.txt").exists() or Path("/tmp/evil.txt").stat().st_mtime < 0


def test_dashboard_parse_article_keeps_uploads_in_memory(monkeypatch):
    pytest.importorskip("streamlit")
    from dashboard import data

    with NoFileSystem(monkeypatch):
        docs = data.parse_article("../../etc/passwd.txt", b"9 people were killed.")
    assert docs and all("/" not in (d.filename or "") for d in docs)


@pytest.mark.parametrize("bad_id", [2**31, -(2**31) - 1, 2**63, 2**70])
def test_ids_beyond_the_id_column_are_not_found_not_a_crash(bad_id, filled_store):
    """Regression: on PostgreSQL an id over 2**31 raised DataError (integer out of range) from get/filters."""
    from claims.errors import NotFoundError

    assert filled_store.get_claim(bad_id) is None
    assert filled_store.get_document(bad_id) is None
    assert filled_store.history(bad_id) == []
    assert filled_store.query_claims(ClaimFilter(claim_ids=[bad_id])) == []
    assert filled_store.count_claims(ClaimFilter(document_ids=[bad_id])) == 0
    with pytest.raises(NotFoundError):
        filled_store.review(bad_id, verdict="verified", reviewer="x")


# ---------------------------------------------------------------- browser: stored text renders inert on every page
XSS = [
    "<img src=x onerror=\"window.__xss.push('img')\">",
    "<script>window.__xss.push('script')</script>",
    "<svg/onload=window.__xss.push('svg')>",
    "\"><iframe src=\"javascript:window.parent.__xss.push('iframe')\"></iframe>",
    "[click me](javascript:window.__xss.push('md'))",
    "<a href=\"javascript:window.__xss.push('a')\">link</a>",
]
PROBE = """
window.__xss = [];
window.alert = (...a) => window.__xss.push(['alert', String(a[0])]);
window.confirm = window.prompt = window.alert;
"""


@pytest.fixture
def xss_db(sqlite_url) -> tuple[str, int, int]:
    """Return (URL, document id, claim id) of a store whose every text field carries an HTML/JS payload."""
    payload = " ".join(XSS)
    text = f"{payload}\n\nPolice said 14 people were killed in Dunmere, officials said. {payload}\n"
    found = extract(text, published=dt.date(2031, 5, 14))
    assert found
    with Store(sqlite_url) as s:
        doc_id, _ = s.add_document(
            DocumentIn(text=text, title=f"Title {payload}", publisher=f"Pub {XSS[0]}", url="https://x.example/a",
                       published=dt.date(2031, 5, 14), filename=f"{XSS[2]}.txt"),
            found, extractor_version="t")
        cid = s.claims_for_document(doc_id)[0].id
        s.review(cid, verdict="disputed", reviewer=f"Rev {XSS[1]}", note=f"Note {payload}",
                 corrected={"subject": f"Subj {XSS[0]}", "attributed_to": f"Attr {XSS[4]}"},
                 evidence_url="https://evidence.example/?q=<script>window.__xss.push('url')</script>")
        s.set_publisher(f"Pub {XSS[0]}", note=f"Grade note {payload}", grade="C",
                        domain="x.example\"><img src=x onerror=alert(1)>")
    return sqlite_url, doc_id, cid


@pytest.mark.browser
@pytest.mark.slow
def test_stored_html_renders_as_text_on_every_page(xss_db, request):
    from tests import browser_util as bu

    browser = request.getfixturevalue("chromium_browser")
    url, doc_id, cid = xss_db
    base = request.getfixturevalue("serve_dashboard")(url)
    ctx = browser.new_context(viewport={"width": 1440, "height": 1100})
    ctx.add_init_script(PROBE)
    page = ctx.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    bu.goto(page, base)
    bu.set_reviewer(page, "Probe")
    links = page.locator("[data-testid='stSidebarNav'] a")
    paths = sorted({"/" + (links.nth(i).get_attribute("href") or "").split("/", 3)[-1].lstrip("/")
                    for i in range(links.count())})
    assert len(paths) >= 4, paths  # review, documents, sources, export at least
    print("pages visited:", paths)
    visits = paths + [f"/?claim={cid}", f"/documents?doc={doc_id}"]
    shown = 0
    for path in visits:
        bu.goto(page, base + path)
        bu.scroll_main_to_end(page)  # lazy parts render too
        bu.wait_idle(page)
        fired = page.evaluate("window.__xss")
        assert fired == [], f"script ran on {path}: {fired}"
        main = page.locator("[data-testid='stMain']")
        for bad in ("img[onerror]", "svg[onload]", "iframe[src^='javascript']", "a[href^='javascript']",
                    "script:not([src])"):
            found = [el for el in main.locator(bad).all() if "__xss" in (el.evaluate("e => e.outerHTML") or "")]
            assert not found, f"{path}: live {bad} element built from stored text"
        shown += main.get_by_text("<img src=x onerror", exact=False).count()
    # the payload is visible as text (on the claim and document views at least)
    assert shown >= 2
    bu.goto(page, f"{base}/?claim={cid}")
    page.get_by_text("<script>window.__xss.push('script')</script>", exact=False).first.wait_for()
    assert dialogs == [], dialogs
    assert page.evaluate("window.__xss") == []
    ctx.close()


@pytest.mark.parametrize("figure", ["9" * 400, "1" + "0" * 320, "1e308 million"])
def test_a_figure_too_big_for_a_float_is_not_a_claim_of_infinity(figure):
    """Regression: 400 digits parsed to float('inf') and became a casualty claim with low=inf."""
    from claims.extract.numbers import parse_number

    assert parse_number(figure) is None or math.isfinite(parse_number(figure))
    for c in extract(f"Police said {figure} people were killed."):
        assert all(x is None or math.isfinite(x) for x in (c.low, c.high)), c
