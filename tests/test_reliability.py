"""Nothing lost under races, bombs and hostile markup (issue 18), and one row mapping for import (issue 11.5).

Races are deterministic: a listener on the engine runs the competing writer
at the exact statement where the window was (right after the racing read),
and waits until that writer has finished or (PostgreSQL) is waiting on a row
lock held by the first; on SQLite the competing writer does not wait for the
write lock (busy timeout 0), so "blocked" shows as "database is busy".
"""
from __future__ import annotations

import json
from pathlib import Path
import threading
import time

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from claims.errors import BadInputError, ConflictError, NotFoundError, StoreError
from claims.export import export_to, import_file
from claims.model import Claim, ClaimFilter, DocumentIn, Kind, Outcome, Verdict
from claims.store import Store

pytest_plugins = ["tests.conftest_browser"]

TEXT = ("At least 12 people were killed in Ürümqi on Monday, police said. "
        "Officials said 3850 fighters had gathered near the border.")


def _claims(low: float = 12, fighters: float = 3850) -> list[Claim]:
    q1 = "At least 12 people were killed"
    i2 = TEXT.index("3850 fighters")
    return [Claim(kind=Kind.CASUALTIES, start=0, end=len(q1), quote=q1, sentence=TEXT.split(". ")[0] + ".",
                  low=low, high=None, approximate=False, outcome=Outcome.KILLED, subject="people",
                  attributed_to="police", rule="test"),
            Claim(kind=Kind.FORCE_SIZE, start=i2, end=i2 + len("3850 fighters"), quote="3850 fighters",
                  sentence=TEXT.split(". ")[1], low=fighters, high=fighters, approximate=False, subject="fighters",
                  attributed_to="Officials", rule="test")]


def _add(store: Store, claims: list[Claim] | None = None) -> int:
    doc_id, _ = store.add_document(DocumentIn(text=TEXT, title="Ürümqi report", publisher="Wire",
                                              filename="u.txt"), claims or _claims(), extractor_version="t-1")
    return doc_id


def _by_quote(store: Store, doc_id: int, quote: str):
    return next(r for r in store.claims_for_document(doc_id) if r.claim.quote == quote)


# ---------------------------------------------------------------- race helpers
def run_at_statement(engine: sa.Engine, matches, action) -> list[bool]:
    """Run ``action()`` once, synchronously, right after the first statement for which ``matches(sql)`` holds."""
    fired: list[bool] = []

    def listener(conn, cursor, statement, params, context, executemany):
        if not fired and matches(statement):
            fired.append(True)
            action()

    event.listen(engine, "after_cursor_execute", listener)
    return fired


def _lock_waiters(url: str) -> int:
    eng = sa.create_engine(url)
    try:
        with eng.connect() as c:
            return c.execute(sa.text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                     "AND datname = current_database()")).scalar_one()
    finally:
        eng.dispose()


class Competitor:
    """A writer in another thread on its own Store; ``start()`` returns once it finished or waits on our lock."""

    def __init__(self, url: str, fn) -> None:
        self.url = url
        # SQLite: do not wait for the write lock, so a writer the first one excludes fails at once
        self.store = Store(url, busy_timeout_ms=0, write_attempts=1) if url.startswith("sqlite") else Store(url)
        self.fn = fn
        self.result = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self.result = self.fn(self.store)
        except BaseException as e:  # noqa: BLE001 - reported to the test
            self.error = e

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 60
        while self.thread.is_alive():
            if self.url.startswith("postgresql") and _lock_waiters(self.url) > 0:
                return  # blocked on a row lock the racing transaction holds
            assert time.monotonic() < deadline, "competing writer neither finished nor blocked"
            self.thread.join(0.02)

    def finish(self):
        self.thread.join(60)
        assert not self.thread.is_alive()
        self.store.close()
        return self.result, self.error


# ---------------------------------------------------------------- issue 11.5
def test_imported_claim_with_non_ascii_text_is_found_by_search(store, tmp_path):
    """Regression: the importer filled the search column its own way (SQLite lower() is ASCII-only)."""
    src = Store(f"sqlite:///{tmp_path / 'src.db'}")
    try:
        _add(src)
        assert src.count_claims(ClaimFilter(text="ürümqi")) == 1
        export_to(src, None, fmt="json", path=tmp_path / "x.json", groups=None)
    finally:
        src.close()
    import_file(store, tmp_path / "x.json")
    assert store.count_claims(ClaimFilter(text="ürümqi")) == 1
    assert store.count_claims(ClaimFilter(text="ÜRÜMQI")) == 1


# ---------------------------------------------------------------- item 1
def _exported_review(tmp_path) -> str:
    src = Store(f"sqlite:///{tmp_path / 'src.db'}")
    try:
        doc = _add(src)
        rec = _by_quote(src, doc, "3850 fighters")
        src.review(rec.id, verdict=Verdict.FALSE, reviewer="importer-side")
        export_to(src, None, fmt="json", path=tmp_path / "x.json", groups=None)
        return rec.fingerprint
    finally:
        src.close()


def test_import_never_overwrites_a_review_saved_while_it_runs(store, db_url, tmp_path):
    fp = _exported_review(tmp_path)
    doc = _add(store)
    cid = _by_quote(store, doc, "3850 fighters").id
    rival = Competitor(db_url, lambda s: s.review(cid, verdict=Verdict.VERIFIED, reviewer="rana", expect_version=0))
    fired = run_at_statement(store.engine, lambda sql: sql.lstrip().upper().startswith("SELECT")
                             and "reviews.version" in sql and "claims.document_id =" in sql, rival.start)
    rep = import_file(store, tmp_path / "x.json")
    saved, error = rival.finish()
    assert fired
    final = store.get_claim(cid)
    if error is None:
        # the reviewer's save went first: the import must list the claim, not replace the review
        assert (final.verdict, final.reviewer) == (Verdict.VERIFIED, "rana")
        assert [c.fingerprint for c in rep.conflicts] == [fp]
    else:
        # the import went first: the reviewer holding version 0 is told, not silently accepted
        assert isinstance(error, (ConflictError, StoreError)), error
        assert (final.verdict, final.reviewer) == (Verdict.FALSE, "importer-side")
    versions = [h.version for h in store.history(cid) if h.field == "verdict"]
    assert len(versions) == len(set(versions)), store.history(cid)  # one version sequence


# ---------------------------------------------------------------- item 2
def test_reextract_racing_a_correction_keeps_the_filter_columns_current(store, db_url):
    doc = _add(store)
    cid = _by_quote(store, doc, "3850 fighters").id
    rival = Competitor(db_url, lambda s: s.review(cid, verdict=Verdict.DISPUTED, reviewer="rana",
                                                  corrected={"low": 99999, "high": 99999}, expect_version=0))
    fired = run_at_statement(store.engine, lambda sql: "reviews.corrected" in sql and "claims.document_id =" in sql
                             and sql.lstrip().upper().startswith("SELECT"), rival.start)
    store.replace_claims(doc, _claims(), extractor_version="t-2")
    _, error = rival.finish()
    assert fired
    if error is not None:  # SQLite: the re-extraction held the write lock; the reviewer retries after it
        assert isinstance(error, StoreError)
        store.review(cid, verdict=Verdict.DISPUTED, reviewer="rana", corrected={"low": 99999, "high": 99999})
    assert store.count_claims(ClaimFilter(figure_min=99000)) == 1
    assert [r.id for r in store.query_claims(ClaimFilter(figure_min=99000, figure_max=99999))] == [cid]


def test_reextract_dropping_a_claim_under_review_is_no_integrity_error(store, db_url):
    doc = _add(store)
    cid = _by_quote(store, doc, "3850 fighters").id
    rival = Competitor(db_url, lambda s: s.review(cid, verdict=Verdict.VERIFIED, reviewer="rana", expect_version=0))
    fired = run_at_statement(store.engine, lambda sql: "reviews.corrected" in sql and "claims.document_id =" in sql
                             and sql.lstrip().upper().startswith("SELECT"), rival.start)
    report = store.replace_claims(doc, _claims()[:1], extractor_version="t-2")  # the newer extractor drops it
    _, error = rival.finish()
    assert fired
    rec = store.get_claim(cid)
    if error is None:  # the review went first: the claim is kept, orphaned, with its review
        assert rec is not None and rec.orphaned and rec.verdict is Verdict.VERIFIED and report.orphaned == [cid]
    else:  # the re-extraction went first: the reviewer is told the claim is gone
        assert isinstance(error, (NotFoundError, StoreError)), error
        assert rec is None and report.removed == 1


# ---------------------------------------------------------------- item 3
def test_reextract_that_changes_a_figure_makes_a_stale_save_conflict(store):
    doc = _add(store)
    seen = _by_quote(store, doc, "3850 fighters")
    assert seen.version == 0
    store.replace_claims(doc, _claims(fighters=38501), extractor_version="t-2")
    now = store.get_claim(seen.id)
    assert now.claim.low == 38501 and now.version == 1 and now.verdict is Verdict.UNREVIEWED
    with pytest.raises(ConflictError):
        store.review(seen.id, verdict=Verdict.VERIFIED, reviewer="rana", expect_version=seen.version)
    hist = store.history(seen.id)
    assert [(h.field, h.old, h.new, h.version) for h in hist] == [("extracted.low", 3850, 38501, 1),
                                                                  ("extracted.high", 3850, 38501, 1)]
    # unchanged values keep the version; an unreviewed claim the extractor no longer finds still goes
    store.replace_claims(doc, _claims(fighters=38501), extractor_version="t-3")
    assert store.get_claim(seen.id).version == 1
    report = store.replace_claims(doc, _claims()[:1], extractor_version="t-4")
    assert report.removed == 1 and store.get_claim(seen.id) is None
    assert store.stats()["reviewed"] == 0


# ---------------------------------------------------------------- item 4
def test_review_returns_the_row_it_wrote_not_a_later_one(store, monkeypatch):
    doc = _add(store)
    cid = _by_quote(store, doc, "3850 fighters").id
    real = Store.transact
    state = {"raced": False}

    def transact_then_rival_saves(self, fn):
        out = real(self, fn)
        if not state["raced"]:
            state["raced"] = True  # another reviewer commits between our commit and any read after it
            self.review(cid, verdict=Verdict.FALSE, reviewer="ben")
        return out

    monkeypatch.setattr(Store, "transact", transact_then_rival_saves)
    rec = store.review(cid, verdict=Verdict.VERIFIED, reviewer="ana", expect_version=0)
    assert (rec.verdict, rec.reviewer, rec.version) == (Verdict.VERIFIED, "ana", 1)
    assert store.get_claim(cid).reviewer == "ben"


# ---------------------------------------------------------------- item 10
@pytest.fixture(scope="module")
def reviewed_export(tmp_path_factory) -> dict:
    d = tmp_path_factory.mktemp("export")
    src = Store(f"sqlite:///{d / 'src.db'}")
    try:
        doc = _add(src)
        rec = _by_quote(src, doc, "3850 fighters")
        src.review(rec.id, verdict=Verdict.DISPUTED, reviewer="ana", note="two counts", corrected={"low": 3000},
                   evidence_url="https://evidence.example/1")
        export_to(src, None, fmt="json", path=d / "x.json", groups=None)
    finally:
        src.close()
    return json.loads((d / "x.json").read_text(encoding="utf-8"))


def _reviewed(data: dict) -> dict:
    c = next(c for c in data["claims"] if c["version"] > 0)
    assert "extracted_low" in c  # the extractor's values, which import reads (the plain columns are reviewed)
    return c


HOSTILE_IMPORTS = {
    "nan figure": (lambda d: _reviewed(d).update(extracted_low=float("nan")), "low"),
    "infinite figure": (lambda d: _reviewed(d).update(extracted_high=float("inf")), "high"),
    "1e309 figure": (lambda d: _reviewed(d).update(extracted_low=1e309), "low"),
    "nan correction": (lambda d: _reviewed(d)["corrected"].update(low=float("nan")), "low"),
    "javascript evidence": (lambda d: _reviewed(d).update(evidence_url="javascript:alert(1)"), "evidence_url"),
    "javascript document url": (lambda d: d["documents"][0].update(url="javascript:alert(1)"), "url"),
    "10 MB reviewer": (lambda d: _reviewed(d).update(reviewer="r" * 10_000_000), "reviewer"),
    "10 MB history reviewer": (lambda d: _reviewed(d)["history"][0].update(reviewer="r" * 10_000_000), "reviewer"),
    "version 10^12": (lambda d: _reviewed(d).update(version=10**12), "version"),
    "NUL in note": (lambda d: _reviewed(d).update(note="a\x00b"), "note"),
    "NUL in title": (lambda d: d["documents"][0].update(title="a\x00b"), "title"),
    "lone surrogate in subject": (lambda d: _reviewed(d).update(extracted_subject="x\ud800"), "subject"),
    "lone surrogate in history": (lambda d: _reviewed(d)["history"][0].update(new="x\udfff"), "new"),
    "nan in history": (lambda d: _reviewed(d)["history"][0].update(old=float("nan")), "old"),
    "version without reviewed_at": (lambda d: _reviewed(d).update(reviewed_at=None), "reviewed_at"),
    "verdict without reviewer": (lambda d: _reviewed(d).update(reviewer=None, reviewed_at=None), "reviewer"),
    "publisher name over 200": (lambda d: d["documents"][0].update(publisher="p" * 201), "publisher"),
}


@pytest.mark.parametrize("case", list(HOSTILE_IMPORTS))
def test_import_applies_the_review_validation_to_every_field(case, reviewed_export, store, tmp_path):
    data = json.loads(json.dumps(reviewed_export))
    mutate, field = HOSTILE_IMPORTS[case]
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")  # NaN/Infinity as JSON allows them
    with pytest.raises(BadInputError, match=field) as err:
        import_file(store, path)
    assert "bad.json" in str(err.value) and len(str(err.value)) < 2000
    assert store.count_documents() == 0 and store.count_claims(None) == 0


@pytest.mark.parametrize("kw", [{"note": "a\x00b"}, {"note": "x\ud800"}, {"reviewer": "r\x00"},
                                {"evidence_url": "javascript:alert(1)"}, {"corrected": {"subject": "a\x00"}},
                                {"corrected": {"low": float("inf")}}])
def test_review_refuses_what_import_refuses(kw, store):
    doc = _add(store)
    cid = _by_quote(store, doc, "3850 fighters").id
    args = {"verdict": Verdict.VERIFIED, "reviewer": "ana", **kw}
    with pytest.raises(BadInputError):
        store.review(cid, **args)
    assert store.get_claim(cid).version == 0


@pytest.mark.parametrize("kw", [{"url": "javascript:alert(1)"}, {"title": "x\ud800"}, {"publisher": "a\x00"}])
def test_add_document_refuses_what_import_refuses(kw, store):
    with pytest.raises(BadInputError):
        store.add_document(DocumentIn(text=TEXT, filename="u.txt", **kw), _claims(), extractor_version="t")
    assert store.count_documents() == 0


def test_show_of_an_imported_review_never_crashes(reviewed_export, sqlite_url, tmp_path, capsys):
    from claims.cli import main

    (tmp_path / "x.json").write_text(json.dumps(reviewed_export), encoding="utf-8")
    s = Store(sqlite_url)
    import_file(s, tmp_path / "x.json")
    cid = next(r.id for r in s.iter_claims(None) if r.reviewer)
    s.close()
    assert main(["show", str(cid), "--db", sqlite_url]) == 0
    assert "ana at" in capsys.readouterr().out


# ---------------------------------------------------------------- item 6
@pytest.mark.parametrize("fmt", ["json", "csv", "bundle", "parquet"])
def test_two_exports_to_one_path_both_finish_and_leave_one_whole_file(fmt, sqlite_url, tmp_path, monkeypatch):
    from claims.export import StoreSource

    s = Store(sqlite_url)
    _add(s)
    out = tmp_path / f"out.{fmt}"
    first_started, second_done = threading.Event(), threading.Event()
    real_rows, real_values = StoreSource.rows, StoreSource.values
    state = {"paused": False}

    def pause_first(gen):
        for i, row in enumerate(gen):
            yield row
            if i == 0 and not state["paused"] and threading.current_thread().name == "first":
                state["paused"] = True  # the first export stops half way until the second has finished
                first_started.set()
                assert second_done.wait(60)

    monkeypatch.setattr(StoreSource, "rows", lambda self: pause_first(real_rows(self)))
    monkeypatch.setattr(StoreSource, "values", lambda self: pause_first(real_values(self)))
    errors: list[BaseException] = []

    def first() -> None:
        try:
            export_to(s, None, fmt=fmt, path=out, groups=None)
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    t = threading.Thread(target=first, name="first")
    t.start()
    assert first_started.wait(60)
    try:
        export_to(s, None, fmt=fmt, path=out, groups=None)
    finally:
        second_done.set()
    t.join(60)
    s.close()
    assert errors == []
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".") or p.suffix == ".part") == []
    if fmt == "json":
        assert len(json.loads(out.read_text(encoding="utf-8"))["claims"]) == 2
    elif fmt == "csv":
        assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 3
    elif fmt == "bundle":
        from claims.export import verify_bundle
        assert verify_bundle(out)["counts"]["claims"] == 2
    else:
        import pyarrow.parquet as pq
        assert pq.read_table(out).num_rows == 2


def test_export_never_writes_through_a_symlink_at_a_temporary_name(sqlite_url, tmp_path):
    s = Store(sqlite_url)
    _add(s)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (tmp_path / "out.json.part").symlink_to(victim)
    export_to(s, None, fmt="json", path=tmp_path / "out.json", groups=None)
    s.close()
    assert victim.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("fmt", ["json", "bundle"])
def test_killed_export_leaves_no_temporary_file(fmt, sqlite_url, tmp_path):
    import os
    import signal
    import subprocess
    import sys

    s = Store(sqlite_url)
    _add(s)
    s.close()
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    outdir = tmp_path / "out"
    outdir.mkdir()
    # the child stops after its first row (announced on stdout) and waits to be killed
    code = f"""
import sys, time
from claims.export import StoreSource, export_to
from claims.store import Store
real = StoreSource.rows
def rows(self):
    for row in real(self):
        yield row
        print("paused", flush=True)
        time.sleep(600)
StoreSource.rows = rows
export_to(Store({sqlite_url!r}), None, fmt={fmt!r}, path={str(outdir / ('out.' + fmt))!r}, groups=None)
"""
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env,
                         cwd=str(Path(__file__).resolve().parent.parent))
    try:
        assert p.stdout.readline().strip() == "paused"
    finally:
        p.send_signal(signal.SIGKILL)
        p.wait(30)
    assert list(outdir.iterdir()) == [] and list(tmpdir.iterdir()) == []


# ---------------------------------------------------------------- items 8 and 9
def _bundle(tmp_path, monkeypatch=None, *, key: str | None = None) -> Path:
    import os

    s = Store(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        doc = _add(s)
        s.review(_by_quote(s, doc, "3850 fighters").id, verdict=Verdict.VERIFIED, reviewer="ana")
        old = os.environ.get("CLAIMS_BUNDLE_KEY")
        if key is not None:
            os.environ["CLAIMS_BUNDLE_KEY"] = key
        try:
            export_to(s, None, fmt="bundle", path=tmp_path / "b.zip", groups=None)
        finally:
            if key is not None:
                if old is None:
                    del os.environ["CLAIMS_BUNDLE_KEY"]
                else:
                    os.environ["CLAIMS_BUNDLE_KEY"] = old
    finally:
        s.close()
    return tmp_path / "b.zip"


def _rewrite(src: Path, dst: Path, change) -> None:
    """Copy bundle ``src`` to ``dst`` with ``change(name, bytes) -> bytes`` applied, recomputing the manifest."""
    import hashlib
    import zipfile

    with zipfile.ZipFile(src) as z:
        members = {n: z.read(n) for n in z.namelist()}
    manifest = json.loads(members["manifest.json"])
    for name in list(members):
        if name not in ("manifest.json", "manifest.sig"):
            members[name] = change(name, members[name])
            manifest["files"][name]["sha256"] = hashlib.sha256(members[name]).hexdigest()
            manifest["files"][name]["bytes"] = len(members[name])
    members["manifest.json"] = (json.dumps(manifest, indent=2) + "\n").encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def test_bundle_with_a_recomputed_manifest_fails_a_signed_verify(tmp_path, monkeypatch):
    from claims.errors import VerifyError
    from claims.export import verify_bundle

    good = _bundle(tmp_path, key="team-secret")
    monkeypatch.setenv("CLAIMS_BUNDLE_KEY", "team-secret")
    m = verify_bundle(good, require_signature=True)
    assert m["signature"]["signed"] and m["signature"]["checked"] and len(m["signature"]["key_id"]) == 16
    # the attacker changes a verdict in both CSV and JSON and recomputes every hash in the manifest
    forged = tmp_path / "forged.zip"
    _rewrite(good, forged, lambda n, b: b.replace(b"verified", b"false"))
    with pytest.raises(VerifyError, match="signature"):
        verify_bundle(forged)
    # dropping the signature leaves an unsigned bundle: reported as such, refused when a signature is required
    import zipfile
    stripped = tmp_path / "stripped.zip"
    with zipfile.ZipFile(forged) as z, zipfile.ZipFile(stripped, "w") as out:
        for n in z.namelist():
            if n != "manifest.sig":
                out.writestr(n, z.read(n))
    assert verify_bundle(stripped)["signature"] == {"signed": False, "key_id": None, "checked": False}
    with pytest.raises(VerifyError, match="not signed"):
        verify_bundle(stripped, require_signature=True)


def test_verify_cli_says_whether_and_by_which_key_a_bundle_is_signed(tmp_path, monkeypatch, capsys):
    from claims.cli import main
    from claims.export.bundle import key_id

    (tmp_path / "s").mkdir()
    (tmp_path / "u").mkdir()
    signed = _bundle(tmp_path / "s", key="team-secret")
    monkeypatch.setenv("CLAIMS_BUNDLE_KEY", "team-secret")
    assert main(["verify", str(signed)]) == 0
    assert f"signed by key {key_id(b'team-secret')} (signature checked)" in capsys.readouterr().out
    monkeypatch.delenv("CLAIMS_BUNDLE_KEY")
    assert main(["verify", str(signed)]) == 0
    assert "NOT checked" in capsys.readouterr().out
    unsigned = _bundle(tmp_path / "u")
    assert main(["verify", str(unsigned)]) == 0
    assert "UNSIGNED" in capsys.readouterr().out
    assert main(["verify", "--require-signed", str(unsigned)]) == 1


def test_verify_cross_checks_the_csv_against_the_json(tmp_path):
    from claims.errors import VerifyError
    from claims.export import verify_bundle

    good = _bundle(tmp_path)
    forged = tmp_path / "forged.zip"
    # only the CSV says "false"; every hash and count in the manifest is recomputed to match
    _rewrite(good, forged, lambda n, b: b.replace(b'"verified"', b'"false"') if n.endswith(".csv") else b)
    with pytest.raises(VerifyError, match=r"claims.csv: row \d+ \(verdict\) does not match"):
        verify_bundle(forged)


def _bomb(tmp_path: Path, mb: int) -> Path:
    """A bundle whose JSON member is ``mb`` MB of blanks inside a valid export (compresses ~1000:1)."""
    import zipfile

    good = _bundle(tmp_path)
    bomb = tmp_path / "bomb.zip"
    pad = b" " * (mb << 20)
    _rewrite(good, bomb, lambda n, b: b.replace(b'"claims": [', b'"claims": [' + pad, 1) if n.endswith(".json") else b)
    with zipfile.ZipFile(bomb) as z:
        assert sum(i.compress_size for i in z.infolist()) < (mb << 20) // 100
    return bomb


def test_zip_bomb_is_refused_by_verify_and_import_under_the_cap(tmp_path, monkeypatch, sqlite_url):
    from claims.errors import VerifyError
    from claims.export import verify_bundle

    bomb = _bomb(tmp_path, 40)
    monkeypatch.setenv("CLAIMS_MAX_UNZIPPED_MB", "16")
    with pytest.raises(VerifyError, match="CLAIMS_MAX_UNZIPPED_MB"):
        verify_bundle(bomb)
    s = Store(sqlite_url)
    with pytest.raises(VerifyError, match="CLAIMS_MAX_UNZIPPED_MB"):
        import_file(s, bomb)
    assert s.count_documents() == 0
    s.close()
    # under a cap it fits, the same padded bundle verifies and imports (blanks are valid JSON)
    monkeypatch.setenv("CLAIMS_MAX_UNZIPPED_MB", "100")
    assert verify_bundle(bomb)["counts"]["claims"] == 2


def test_import_applies_the_file_size_limit_and_refuses_non_regular_files(tmp_path, monkeypatch, sqlite_url):
    import os

    s = Store(sqlite_url)
    _add(s)
    export_to(s, None, fmt="json", path=tmp_path / "x.json", groups=None)
    monkeypatch.setenv("CLAIMS_MAX_FILE_MB", "0.001")
    with pytest.raises(BadInputError, match="x.json.*CLAIMS_MAX_FILE_MB"):
        import_file(s, tmp_path / "x.json")
    monkeypatch.delenv("CLAIMS_MAX_FILE_MB")
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(BadInputError, match="pipe.json: not a regular file"):
        import_file(s, fifo)
    s.close()


def test_import_reads_a_json_export_one_record_at_a_time(tmp_path, monkeypatch, sqlite_url):
    """The JSON is parsed element by element: json.loads never sees the whole file."""
    import claims.jsonstream as js

    src = Store(f"sqlite:///{tmp_path / 'src.db'}")
    for i in range(60):  # 60 documents, 120 claims: the file is far bigger than any one element
        src.add_document(DocumentIn(text=TEXT + f" Report {i}.", filename=f"u{i}.txt"), _claims(),
                         extractor_version="t-1")
    export_to(src, None, fmt="json", path=tmp_path / "x.json", groups=None)
    src.close()
    size = (tmp_path / "x.json").stat().st_size
    monkeypatch.setattr(js, "_CHUNK", 256)  # small reads: the buffer must stay near one element's size
    seen: list[int] = []
    real = js._Reader.more

    def more(self):
        out = real(self)
        seen.append(len(self.buf))
        return out

    monkeypatch.setattr(js._Reader, "more", more)
    s = Store(sqlite_url)
    rep = import_file(s, tmp_path / "x.json")
    s.close()
    assert rep.claims_added == 120
    assert size > 100_000 and max(seen) < 10_000


# ---------------------------------------------------------------- items 7, 12, 13, 17
DEEP = "[" * 200_000


@pytest.mark.parametrize("name,content", [("deep.json", DEEP), ("deep.jsonl", '{"text": "a"}\n' + DEEP + "\n"),
                                          ("wrapped.json", '{"text": "12 killed", "title": ' + DEEP + "}")])
def test_deeply_nested_json_is_a_clean_per_file_error_and_the_folder_goes_on(name, content, sqlite_url, tmp_path):
    from claims.ingest import ingest_paths

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / name).write_text(content, encoding="utf-8")
    (tmp_path / "in" / "z_ok.txt").write_text(TEXT, encoding="utf-8")
    s = Store(sqlite_url)
    report = ingest_paths(s, [tmp_path / "in"])
    assert any(name in f.source and ("nested too deeply" in f.reason or "malformed" in f.reason)
               for f in report.failed), report.failed
    assert any(d.filename == "z_ok.txt" for d in s.list_documents())  # the rest of the folder was ingested
    s.close()


def test_deeply_nested_sidecar_and_upload_are_clean_errors(tmp_path):
    from claims.ingest import read_sidecar, read_upload

    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(DEEP, encoding="utf-8")
    with pytest.raises(BadInputError, match="a.meta.json"):
        read_sidecar(tmp_path / "a.txt")
    with pytest.raises(BadInputError, match="up.json"):
        read_upload("up.json", DEEP.encode())


def test_deeply_nested_import_is_a_clean_error(sqlite_url, tmp_path):
    (tmp_path / "x.json").write_text('{"claims": ' + DEEP, encoding="utf-8")
    (tmp_path / "y.jsonl").write_text(DEEP + "\n", encoding="utf-8")
    s = Store(sqlite_url)
    for f in ("x.json", "y.jsonl"):
        with pytest.raises(BadInputError, match=f):
            import_file(s, tmp_path / f)
    s.close()


def test_a_fifo_or_device_is_refused_not_waited_on(sqlite_url, tmp_path):
    import os

    from claims.ingest import ingest_paths

    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.jsonl").symlink_to("/dev/zero")
    s = Store(sqlite_url)
    t = threading.Thread(target=lambda: out.append(ingest_paths(s, [tmp_path / "pipe.txt", tmp_path / "zero.jsonl"])),
                         daemon=True)
    out: list = []
    t.start()
    t.join(60)
    if t.is_alive():  # unblock the reader so the test process can end, then fail
        with open(tmp_path / "pipe.txt", "w"):
            pass
        pytest.fail("ingest waited on a FIFO")
    reasons = {Path(f.source).name: f.reason for f in out[0].failed}
    assert "not a regular file" in reasons["pipe.txt"] and "not a regular file" in reasons["zero.jsonl"]
    s.close()


def test_an_over_long_jsonl_line_is_refused_after_reading_the_limit(sqlite_url, tmp_path, monkeypatch):
    import claims.jsonstream as js
    from claims.ingest import ingest_paths

    monkeypatch.setenv("CLAIMS_MAX_FILE_MB", "1")
    big = tmp_path / "big.jsonl"
    with big.open("w", encoding="utf-8") as f:
        f.write('{"text": "' + "x" * (3 << 20) + '"}\n')
    real = js.iter_lines
    longest: list[int] = []

    class Spy:
        def __init__(self, raw):
            self.raw = raw

        def readline(self, n=-1):
            line = self.raw.readline(n)
            longest.append(len(line))
            return line

    monkeypatch.setattr(js, "iter_lines", lambda raw, source, *, limit: real(Spy(raw), source, limit=limit))
    monkeypatch.setenv("CLAIMS_MAX_FILE_MB", "1")
    s = Store(sqlite_url)
    report = ingest_paths(s, [big])
    s.close()
    assert "line longer than the 1 MB limit" in report.failed[0].reason
    assert max(longest) <= (1 << 20) + 1  # never more than the limit held


def test_non_utf8_bytes_in_cli_arguments_are_a_clean_error(tmp_path):
    import os
    import subprocess
    import sys

    root = str(Path(__file__).resolve().parent.parent)
    res = subprocess.run([sys.executable.encode(), b"-m", b"claims", b"list", b"--search", b"caf\xe9",
                          b"--db", f"sqlite:///{tmp_path / 'x.db'}".encode()],
                         capture_output=True, cwd=root, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert res.returncode == 2, res.stderr
    assert b"Traceback" not in res.stderr and b"not valid UTF-8" in res.stderr and b"\\xe9" in res.stderr


@pytest.mark.parametrize("fix", [{"low": -5}, {"high": -1, "low": -3}])
def test_negative_casualty_corrections_are_refused_by_review_and_import(fix, store, reviewed_export, tmp_path):
    doc = _add(store)
    cid = _by_quote(store, doc, "At least 12 people were killed").id
    with pytest.raises(BadInputError, match="negative"):
        store.review(cid, verdict=Verdict.DISPUTED, reviewer="ana", corrected=fix)
    data = json.loads(json.dumps(reviewed_export))
    _reviewed(data)["corrected"] = fix
    (tmp_path / "neg.json").write_text(json.dumps(data), encoding="utf-8")
    other = Store(f"sqlite:///{tmp_path / 'o.db'}")
    with pytest.raises(BadInputError, match="negative"):
        import_file(other, tmp_path / "neg.json")
    other.close()


def test_utf32_is_named_utf32_not_utf16(tmp_path):
    from claims.ingest import read_upload

    for codec in ("utf-32-le", "utf-32-be"):
        data = "\ufeff12 killed".encode(codec)
        with pytest.raises(BadInputError, match="UTF-32"):
            read_upload("a.txt", data)


def test_dangling_symlinks_get_a_line_in_the_report(sqlite_url, tmp_path):
    from claims.ingest import ingest_paths

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "in" / "ok.txt").write_text(TEXT, encoding="utf-8")
    s = Store(sqlite_url)
    report = ingest_paths(s, [tmp_path / "in"])
    s.close()
    lines = {Path(f.source).name: f.reason for f in report.skipped + report.failed}
    assert lines.get("gone.txt") == "a dangling symlink"


@pytest.mark.parametrize("cell", ["\u200b=1+1", "\u200b\u200b@SUM(A1)", "\u00a0=HYPERLINK(\"x\")", "\u202e-2+3",
                                  "\ufeff+1"])
def test_invisible_marks_before_a_formula_are_neutralised(cell):
    from claims.export.writers import neutralise

    assert neutralise(cell).startswith("'")


# ---------------------------------------------------------------- item 14
def test_ingest_workers_die_with_a_killed_parent(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    code = """
import os, sys, time
from claims.parallel import worker_pool
pool = worker_pool(2)
futs = [pool.submit(time.sleep, 600) for _ in range(2)]
while len(pool._processes) < 2:
    time.sleep(0.01)
print(" ".join(str(p) for p in pool._processes), flush=True)
time.sleep(600)
"""
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                         cwd=str(Path(__file__).resolve().parent.parent))
    pids = [int(x) for x in p.stdout.readline().split()]
    assert len(pids) == 2
    p.send_signal(signal.SIGKILL)  # an ingest killed mid-run: no chance to shut its pool down
    p.wait(30)
    deadline = time.monotonic() + 30
    alive = pids
    while alive and time.monotonic() < deadline:
        alive = []
        for pid in pids:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
            try:
                with open(f"/proc/{pid}/stat") as f:
                    if f.read().split(")")[-1].split()[0] != "Z":
                        alive.append(pid)
            except FileNotFoundError:
                pass
        time.sleep(0.05)
    for pid in alive:  # leave nothing running even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert alive == [], "workers outlived their killed parent"


def test_edit_document_refuses_what_add_document_refuses(store):
    from claims.documents import edit_document

    doc = _add(store)
    for kw in ({"title": "a\x00b"}, {"publisher": "p" * 201}, {"title": "x\ud800"}):
        with pytest.raises(BadInputError):
            edit_document(store, doc, reviewer="ana", **kw)
    assert store.get_document(doc).title == "Ürümqi report"


# ---------------------------------------------------------------- item 11 (browser)
class _Beacons:
    """A local HTTP server that logs every request: a markdown image fetched from stored text lands here."""

    def __init__(self) -> None:
        import http.server

        self.hits: list[str] = []
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the stdlib's name
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/gif")
                self.end_headers()
                self.wfile.write(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def img(self, where: str) -> str:
        return f"![t](http://127.0.0.1:{self.port}/{where}.gif)"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.browser
@pytest.mark.slow
def test_markdown_in_stored_text_fetches_nothing_on_any_page(sqlite_url, request):
    """Regression (issue 18 item 11): an image in a title, publisher, reviewer name or quote was a tracking beacon."""
    pytest.importorskip("playwright")
    from tests import browser_util as bu

    beacons = _Beacons()
    request.addfinalizer(beacons.close)
    # quotes come from the document text: the beacon sits inside a claim's span
    text = (f"Police said {beacons.img('quote')} 14 people were killed in Dunmere. "
            f"Officials said 3850 fighters {beacons.img('sentence')} had gathered.")
    i = text.index("Police said")
    j = text.index("were killed") + len("were killed")
    k = text.index("3850 fighters")
    found = [Claim(kind=Kind.CASUALTIES, start=i, end=j, quote=text[i:j], sentence=text[:text.index(". ") + 1],
                   low=14, high=14, outcome=Outcome.KILLED, subject=f"people {beacons.img('subject')}",
                   attributed_to=f"Police {beacons.img('attribution')}", rule="t"),
             Claim(kind=Kind.FORCE_SIZE, start=k, end=k + 13, quote="3850 fighters", sentence=text, low=3850,
                   high=3850, subject="fighters", rule="t")]
    with Store(sqlite_url) as s:
        doc_id, _ = s.add_document(DocumentIn(text=text, title=f"Title {beacons.img('title')}",
                                              publisher=f"Pub {beacons.img('publisher')}",
                                              url="https://x.example/a", filename="beacon.txt"),
                                   found, extractor_version="t")
        recs = s.claims_for_document(doc_id)
        for r in recs:
            s.review(r.id, verdict="disputed", reviewer=f"Rev {beacons.img('reviewer')}",
                     note=f"Note {beacons.img('note')}")
        s.set_publisher(f"Pub {beacons.img('publisher')}", note=f"Grade {beacons.img('grade')}", grade="C",
                        reviewer=f"Rev {beacons.img('reviewer')}")
        # a second reviewer makes the "changed since you opened it" and conflict texts name the first
    browser = request.getfixturevalue("chromium_browser")
    base = request.getfixturevalue("serve_dashboard")(sqlite_url)
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    bu.goto(page, base)
    bu.set_reviewer(page, "Probe")
    links = page.locator("[data-testid='stSidebarNav'] a")
    paths = sorted({"/" + (links.nth(n).get_attribute("href") or "").split("/", 3)[-1].lstrip("/")
                    for n in range(links.count())})
    assert len(paths) >= 4, paths
    visits = paths + [f"/?claim={r.id}" for r in recs] + [f"/documents?doc={doc_id}"]
    for path in visits:
        bu.goto(page, base + path)
        bu.scroll_main_to_end(page)  # lazy parts render too
        bu.wait_idle(page)
    assert beacons.hits == [], f"requests left the page for stored text: {beacons.hits}"
    import os
    os.makedirs("/tmp/shots", exist_ok=True)
    bu.goto(page, f"{base}/?claim={recs[0].id}")
    bu.wait_idle(page)
    page.screenshot(path="/tmp/shots/reliab-beacon-review.png")
    ctx.close()
    assert beacons.hits == [], f"requests left the page for stored text: {beacons.hits}"


# ---------------------------------------------------------------- item 16
def test_reextract_of_a_long_document_lets_a_reviewer_save_between_batches(store, db_url, monkeypatch):
    text = " ".join(f"Officials said {n} fighters gathered." for n in range(100, 112))
    found = []
    for n in range(100, 112):
        q = f"{n} fighters"
        i = text.index(q)
        found.append(Claim(kind=Kind.FORCE_SIZE, start=i, end=i + len(q), quote=q, sentence=q, low=n, high=n,
                           subject="fighters", rule="t"))
    doc, _ = store.add_document(DocumentIn(text=text, filename="long.txt"), found, extractor_version="t-1")
    ids = [r.id for r in store.claims_for_document(doc)]
    real = Store.transact
    during: list[tuple[int, object]] = []

    def transact_then_a_reviewer_saves(self, fn):
        out = real(self, fn)
        if self is store and not during:
            with store.read() as conn:
                from claims.store import claims as claims_t
                done = conn.execute(sa.select(sa.func.count()).select_from(claims_t)
                                    .where(claims_t.c.extractor_version == "t-2")).scalar_one()
            # a reviewer who does not wait for the write lock (SQLite busy timeout 0) saves now
            rival = Store(db_url, busy_timeout_ms=0, write_attempts=1)
            try:
                during.append((done, rival.review(ids[-1], verdict=Verdict.VERIFIED, reviewer="rana")))
            finally:
                rival.close()
        return out

    monkeypatch.setattr(Store, "transact", transact_then_a_reviewer_saves)
    report = store.replace_claims(doc, found[:11], extractor_version="t-2", batch=5)  # the last claim vanishes
    done, saved = during[0]
    assert 0 < done < 11, "the reviewer could only save after the whole document was re-extracted"
    assert saved.verdict is Verdict.VERIFIED
    assert (report.kept, report.added, report.removed, report.orphaned) == (11, 0, 0, [ids[-1]])
    assert store.get_claim(ids[-1]).orphaned  # reviewed meanwhile, so kept and flagged, not deleted
