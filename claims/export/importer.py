"""Import a JSON, JSONL or bundle export into another store, merging reviews and listing verdict conflicts.

The file is streamed twice and never held whole: the first pass validates
the documents, the second validates each claim and writes it, all in one
transaction; any error (it names the file and the line or record and field)
rolls the transaction back, so a malformed file or a failure half way leaves
the target store untouched. Only regular files within ``CLAIMS_MAX_FILE_MB``
are read; a bundle is verified (and its decompressed size capped) first.

Matching: documents by content hash (the export carries their text), claims
by fingerprint. For each claim:

- not in the target: added with its review and full history;
- in the target but never reviewed there: takes the imported review and history;
- reviewed in both with the same verdict, note, corrections and evidence: the
  target's current review stays; imported history entries it lacks are
  appended, renumbered to continue the target's version sequence (nothing is
  lost, no version appears twice);
- reviewed in both and any of those differ: nothing is written for that claim
  and the pair is listed as a conflict (``strict=True`` imports nothing then).

The target's claims are read ``FOR UPDATE`` and every review update checks the
version read, so a reviewer saving meanwhile is never overwritten: they wait
and then conflict, or the import lists the claim as a conflict.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import re
import zipfile
from dataclasses import asdict, dataclass, field
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from claims.errors import BadInputError, ConflictError
from claims.model import CORRECTABLE_FIELDS, Claim, Kind, Outcome, Verdict, content_hash

_HEX32 = re.compile(r"^[0-9a-f]{32}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
MAX_ERRORS = 20
CLAIM_TEXT_FIELDS = ("sentence", "subject", "unit", "date", "duration", "attributed_to", "source_quote", "rule",
                     "note", "evidence_url", "reviewer")


@dataclass(slots=True)
class VerdictConflict:
    """One claim the two stores reviewed differently (verdict, note, corrections or evidence); neither side changed."""

    fingerprint: str
    document_hash: str
    quote: str
    title: str | None
    claim_id: int
    ours_verdict: str
    ours_reviewer: str | None
    ours_at: str | None
    theirs_verdict: str
    theirs_reviewer: str | None
    theirs_at: str | None
    # which review fields differ (verdict, note, corrected, evidence_url), or "version" when this store's
    # review changed while the import ran
    fields: list[str] = field(default_factory=lambda: ["verdict"])

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class ImportReport:
    """What an import did (or, with conflicts under strict, would have done)."""

    source: str
    documents_added: int = 0
    documents_matched: int = 0
    claims_added: int = 0
    claims_matched: int = 0
    reviews_taken: int = 0
    reviews_same: int = 0
    history_added: int = 0
    conflicts: list[VerdictConflict] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["conflicts"] = [c.to_dict() for c in self.conflicts]
        return d


class _Errors:
    """Collect validation errors so one run reports several, then raise them together."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []
        self.count = 0

    def add(self, where: str, msg: str) -> None:
        self.count += 1
        if len(self.items) < MAX_ERRORS:
            self.items.append(f"{where}: {msg}")
        elif len(self.items) == MAX_ERRORS:
            self.items.append("... (more errors not shown)")

    def raise_if_any(self) -> None:
        if self.items:
            head = f"{self.source}: nothing was imported; fix these and run again:\n  "
            raise BadInputError(head + "\n  ".join(self.items))


# ------------------------------------------------------------------ reading
Record = tuple[str, str, Any]  # (meta | document | claim, where, value)


def check_input_file(path: str | Path) -> Path:
    """Return ``path`` if it is a regular file within CLAIMS_MAX_FILE_MB; else raise BadInputError naming it."""
    import stat

    from claims.settings import max_file_bytes

    p = Path(path)
    try:
        st = p.stat()
    except OSError as e:
        raise BadInputError(f"{p}: cannot read ({e.strerror or e})") from None
    if not stat.S_ISREG(st.st_mode):
        raise BadInputError(f"{p}: not a regular file (a FIFO, device or folder cannot be imported)")
    limit = max_file_bytes()
    if st.st_size > limit:
        raise BadInputError(f"{p}: {st.st_size / 1048576:.1f} MB is over the {limit / 1048576:g} MB limit "
                            "(CLAIMS_MAX_FILE_MB)")
    return p


@contextlib.contextmanager
def open_export(path: str | Path) -> Iterator[Callable[[], Iterator[Record]]]:
    """Yield a function that streams the records of a JSON, JSONL or bundle export (callable once per pass).

    Nothing is read whole: JSON is parsed one claim or document at a time,
    JSONL line by line (each line bounded), a bundle's JSON straight out of
    the zip under the decompression cap (after :func:`verify_bundle`).
    """
    from claims.export.bundle import JSON_NAME, open_member, verify_bundle
    from claims.settings import max_file_bytes

    p = check_input_file(path)
    label = str(p)
    try:
        with p.open("rb") as f:
            head = f.read(4096)
    except OSError as e:
        raise BadInputError(f"{label}: cannot read ({e.strerror or e})") from None
    if head.startswith(b"PK\x03\x04"):
        verify_bundle(p)  # refuse a tampered bundle (or a zip bomb) before reading anything from it
        with zipfile.ZipFile(p) as z:
            def bundle_records() -> Iterator[Record]:
                with open_member(z, JSON_NAME, label) as raw:
                    yield from _json_records(raw, f"{p}!{JSON_NAME}")
            yield bundle_records
        return
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 4:  # not merely a character cut at the end of the sample
            raise BadInputError(f"{label}: not UTF-8 text (byte {e.start})") from None
    jsonl = p.suffix.lower() == ".jsonl" or (p.suffix.lower() != ".json" and _looks_like_jsonl(p))
    limit = max_file_bytes()

    def file_records() -> Iterator[Record]:
        with p.open("rb") as raw:
            yield from (_jsonl_records(raw, label, limit) if jsonl else _json_records(raw, label))
    yield file_records


def _looks_like_jsonl(p: Path) -> bool:
    from claims.settings import max_file_bytes

    with p.open("rb") as f:
        first = f.readline(max_file_bytes() + 1)
    try:
        obj = json.loads(first.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return False
    return isinstance(obj, dict) and "record" in obj


def _json_records(raw, label: str) -> Iterator[Record]:
    from claims.jsonstream import iter_object

    seen_claims = False
    n = {"claims": 0, "documents": 0}
    for key, value in iter_object(raw, label, stream_keys=("claims", "documents")):
        if key in ("claims", "documents"):
            seen_claims = seen_claims or key == "claims"
            i = n[key]
            n[key] += 1
            yield (key[:-1], f"{label} {key}[{i}]", value)
        elif key == "format":
            if value not in (None, "claims-export"):
                raise BadInputError(f"{label}: format {value!r} is not a claims export")
            yield ("meta", label, {key: value})
        else:
            yield ("meta", label, {key: value})
    if not seen_claims:
        raise BadInputError(f"{label}: not a claims export (want an object with a 'claims' list; "
                            "CSV, Parquet and ClaimReview exports cannot be imported)")


def _jsonl_records(raw, label: str, limit: int) -> Iterator[Record]:
    from claims.jsonstream import iter_lines

    for n, line in iter_lines(raw, label, limit=limit):
        if not line.strip():
            continue
        where = f"{label} line {n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise BadInputError(f"{where}: not valid JSON ({e.msg} at column {e.colno})") from None
        except RecursionError:
            raise BadInputError(f"{where}: not valid JSON (nested too deeply)") from None
        if not isinstance(obj, dict):
            raise BadInputError(f"{where}: want a JSON object")
        kind = obj.pop("record", None)
        if kind in ("meta", "document", "claim"):
            yield (kind, where, obj)
        else:
            raise BadInputError(f"{where}: field 'record': want meta, document or claim, got {kind!r}")


# ------------------------------------------------------------------ validation
def _parse_dt(v: Any) -> dt.datetime | None:
    if v is None:
        return None
    if not isinstance(v, str):
        raise ValueError("want an ISO 8601 timestamp")
    t = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
    return t.replace(tzinfo=dt.timezone.utc) if t.tzinfo is None else t.astimezone(dt.timezone.utc)


def _parse_date(v: Any) -> dt.date | None:
    if v is None:
        return None
    if not isinstance(v, str):
        raise ValueError("want a date YYYY-MM-DD")
    return dt.date.fromisoformat(v)


def _opt_str(d: dict, k: str) -> str | None:
    from claims.store import check_text

    v = d.get(k)
    if v is not None and not isinstance(v, str):
        raise ValueError("want text or null")
    return check_text(k, v)


def _int(v: Any, *, minimum: int = 0) -> int:
    from claims.store import MAX_VERSION

    if isinstance(v, bool) or not isinstance(v, int) or not minimum <= v <= MAX_VERSION:
        raise ValueError(f"want a whole number from {minimum} to {MAX_VERSION}")
    return v


def _num(v: Any) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError("want a number or null")
    if not math.isfinite(v):
        raise ValueError("want a finite number")
    return float(v)


def _check_document(where: str, d: Any, errors: _Errors) -> dict | None:
    from claims.store import check_document

    if not isinstance(d, dict):
        errors.add(where, "want a JSON object")
        return None
    out: dict[str, Any] = {}
    text = d.get("text")
    if not isinstance(text, str) or not text.strip():
        errors.add(f"{where}.text", "want the document's non-empty text")
        return None
    h = d.get("content_hash")
    if not isinstance(h, str) or not _HEX64.match(h):
        errors.add(f"{where}.content_hash", "want a sha256 hex digest")
        return None
    if content_hash(text) != h:
        errors.add(f"{where}.content_hash", "does not match the sha256 of text (text changed after export?)")
        return None
    out.update(content_hash=h, text=text)
    for k in ("title", "url", "publisher", "filename"):
        try:
            out[k] = _opt_str(d, k)
        except (ValueError, BadInputError) as e:
            errors.add(f"{where}.{k}", str(e))
            return None
    try:
        check_document(label=where, text=text, title=out["title"], url=out["url"], publisher=out["publisher"],
                       filename=out["filename"])
    except BadInputError as e:
        errors.add(where, str(e).removeprefix(f"{where}: "))
        return None
    try:
        out["published"] = _parse_date(d.get("published"))
    except ValueError:
        errors.add(f"{where}.published", f"want a date YYYY-MM-DD, got {d.get('published')!r}")
    out["fictional"] = d.get("fictional", False)
    if not isinstance(out["fictional"], bool):
        errors.add(f"{where}.fictional", f"want true or false, got {out['fictional']!r}")
    return out


def _check_claim(where: str, c: Any, docs: dict[str, dict], errors: _Errors) -> dict | None:
    from claims.store import (
        MAX_NAME, check_figures, check_json_value, check_text, validate_correction, validate_review,
    )

    if not isinstance(c, dict):
        errors.add(where, "want a JSON object")
        return None
    bad = errors.count

    def get(k: str, conv):
        # A correctable field's plain column holds the reviewed value; the claim is rebuilt from what the
        # extractor found, in extracted_<field> (exports before it existed have only the plain column).
        if k in CORRECTABLE_FIELDS and f"extracted_{k}" in c:
            k = f"extracted_{k}"
        try:
            return conv(c.get(k))
        except (ValueError, TypeError, BadInputError) as e:
            errors.add(f"{where}.{k}", f"{e} (got {c.get(k)!r})")
            return None

    h = c.get("document_hash")
    if not isinstance(h, str) or not _HEX64.match(h):
        errors.add(f"{where}.document_hash", "want the sha256 of the claim's document")
        return None
    fp = c.get("fingerprint")
    if not isinstance(fp, str) or not _HEX32.match(fp):
        errors.add(f"{where}.fingerprint", "want 32 hex digits")
        return None
    kind = get("kind", lambda v: Kind(v))
    outcome = get("outcome", lambda v: Outcome(v) if v is not None else None)
    start = get("start", _int)
    end = get("end", _int)
    quote = c.get("quote")
    if not isinstance(quote, str) or not quote:
        errors.add(f"{where}.quote", "want the claim's non-empty quote")
    else:
        get("quote", lambda v: check_text("quote", v))
    low, high = get("low", _num), get("high", _num)
    approx_key = "extracted_approximate" if "extracted_approximate" in c else "approximate"
    approximate = c.get(approx_key, False)
    if not isinstance(approximate, bool):
        errors.add(f"{where}.{approx_key}", f"want true or false (got {approximate!r})")
    texts = {}
    for k in CLAIM_TEXT_FIELDS:
        texts[k] = get(k, lambda v: _opt_str({"v": v}, "v"))
    # the source's span (absent in exports made before it existed)
    src_start = get("source_start", lambda v: None if v is None else _int(v))
    src_end = get("source_end", lambda v: None if v is None else _int(v))
    ev = c.get("extractor_version")
    if not isinstance(ev, str) or not ev:
        errors.add(f"{where}.extractor_version", "want the extractor version that found the claim")
    verdict = get("verdict", lambda v: Verdict(v if v is not None else "unreviewed"))
    version = get("version", lambda v: _int(v if v is not None else 0))
    reviewed_at = get("reviewed_at", _parse_dt)
    orphaned = c.get("orphaned", False)
    if not isinstance(orphaned, bool):
        errors.add(f"{where}.orphaned", f"want true or false (got {orphaned!r})")
    corrected = c.get("corrected") or {}
    if not isinstance(corrected, dict):
        errors.add(f"{where}.corrected", "want an object of field -> corrected value")
        corrected = {}
    for k, v in corrected.items():
        try:
            validate_correction(k, v)
        except BadInputError as e:
            errors.add(f"{where}.corrected.{k}", str(e))
    review = None
    if errors.count == bad:
        try:
            # the same validation Store.review applies to a reviewer's save
            review = validate_review(verdict=verdict, reviewer=texts["reviewer"], note=texts["note"],
                                     evidence_url=texts["evidence_url"], corrected=corrected,
                                     reviewer_required=False)
        except BadInputError as e:
            errors.add(f"{where}.{str(e).split(':', 1)[0]}", str(e).split(":", 1)[-1].strip())
    history = c.get("history") or []
    hist_out = []
    if not isinstance(history, list):
        errors.add(f"{where}.history", "want a list of changes")
        history = []
    for i, e in enumerate(history):
        hw = f"{where}.history[{i}]"
        if not isinstance(e, dict):
            errors.add(hw, "want a JSON object")
            continue
        try:
            hist_out.append({"version": _int(e.get("version"), minimum=1),
                             "field": check_text("field", _req_str(e, "field"), limit=40),
                             "old": check_json_value("old", e.get("old")), "new": check_json_value("new", e.get("new")),
                             "reviewer": check_text("reviewer", _req_str(e, "reviewer"), limit=MAX_NAME),
                             "at": _parse_dt(e.get("at")) or _missing("at")})
        except (ValueError, TypeError, BadInputError) as ex:
            errors.add(hw, str(ex))
    if errors.count > bad:
        return None
    if verdict is not Verdict.UNREVIEWED and version == 0:
        errors.add(f"{where}.version", f"verdict {verdict.value} with version 0 (a review has version >= 1)")
        return None
    if (review.reviewer is None) != (reviewed_at is None):
        errors.add(f"{where}.reviewed_at", "a review needs both a reviewer and reviewed_at (or neither)")
        return None
    if verdict is not Verdict.UNREVIEWED and review.reviewer is None:
        errors.add(f"{where}.reviewer", f"verdict {verdict.value} without a reviewer")
        return None
    if review.reviewer is not None and version == 0:
        errors.add(f"{where}.version", "a review has version >= 1")
        return None
    if any(e["version"] > version for e in hist_out):
        errors.add(f"{where}.history", f"has a version above the claim's version {version}")
        return None
    if end < start:
        errors.add(f"{where}.end", f"end {end} is before start {start}")
        return None
    try:  # the corrected figures, as Store.review checks them
        check_figures(kind, review.corrected.get("low", low), review.corrected.get("high", high))
    except BadInputError as e:
        errors.add(f"{where}.corrected", str(e))
        return None
    claim = Claim(kind=kind, start=start, end=end, quote=quote, sentence=texts["sentence"] or "", low=low,
                  high=high, approximate=approximate, outcome=outcome, subject=texts["subject"],
                  unit=texts["unit"], date=texts["date"], duration=texts["duration"],
                  attributed_to=texts["attributed_to"], rule=texts["rule"] or "", source_quote=texts["source_quote"],
                  source_start=src_start, source_end=src_end)
    if claim.fingerprint(h) != fp:
        errors.add(f"{where}.fingerprint", "does not match the claim's document, kind, outcome and span")
        return None
    doc = docs.get(h)
    if doc is not None and doc["text"][start:end] != quote:
        errors.add(f"{where}.quote", f"is not the document text at {start}:{end}")
        return None
    return {"where": where, "document_hash": h, "fingerprint": fp, "claim": claim, "extractor_version": ev,
            "orphaned": orphaned, "verdict": verdict.value, "note": review.note or None, "corrected": review.corrected,
            "evidence_url": review.evidence_url or None, "reviewer": review.reviewer, "reviewed_at": reviewed_at,
            "version": version, "history": hist_out, "quote": quote}


def _req_str(d: dict, k: str) -> str:
    v = d.get(k)
    if not isinstance(v, str) or not v:
        raise ValueError(f"field {k!r}: want non-empty text, got {v!r}")
    return v


def _missing(k: str):
    raise ValueError(f"field {k!r}: missing")


def load_documents(records: Callable[[], Iterator[Record]], errors: _Errors) -> dict[str, dict]:
    """First pass: validate every document record; return them by content hash."""
    docs: dict[str, dict] = {}
    for kind, where, d in records():
        if kind == "document":
            ok = _check_document(where, d, errors)
            if ok is not None:
                docs.setdefault(ok["content_hash"], ok)
    return docs


def iter_claims(records: Callable[[], Iterator[Record]], docs: dict[str, dict], errors: _Errors, *,
                known_hashes: Callable[[str], bool] = lambda h: False) -> Iterator[dict]:
    """Second pass: yield each valid claim record; errors are collected in ``errors`` (the caller raises)."""
    seen: dict[tuple[str, str], str] = {}
    for kind, where, c in records():
        if kind != "claim":
            continue
        ok = _check_claim(where, c, docs, errors)
        if ok is None:
            continue
        key = (ok["document_hash"], ok["fingerprint"])
        if key in seen:
            errors.add(f"{where}.fingerprint", f"same claim as {seen[key]}")
            continue
        seen[key] = where
        if ok["document_hash"] not in docs and not known_hashes(ok["document_hash"]):
            errors.add(f"{where}.document_hash", "no document with this hash in the file or the target store "
                       "(export as JSON, JSONL or bundle so documents travel with their claims)")
            continue
        yield ok


# ------------------------------------------------------------------ writing
def import_file(store, path: str | Path, *, strict: bool = False) -> ImportReport:
    """Import an export file into ``store`` in one transaction and return what happened.

    Raises BadInputError (nothing written) for malformed input, VerifyError for
    a bundle that fails verification, and ConflictError (nothing written) when
    ``strict`` and the stores disagree on any verdict.
    """
    import sqlalchemy as sa
    from claims.store import documents

    report = ImportReport(source=str(path))
    errors = _Errors(str(path))
    with open_export(path) as records:
        docs = load_documents(records, errors)
        errors.raise_if_any()  # bad documents: stop before opening a transaction

        def work(conn) -> None:
            # a retried transaction starts from zero
            for k, v in asdict(ImportReport(source=str(path))).items():
                setattr(report, k, v)
            errors.items.clear()
            errors.count = 0
            apply = _Applier(store, conn, docs, report)

            def known(h: str) -> bool:
                return conn.execute(sa.select(documents.c.id).where(documents.c.content_hash == h)
                                    ).scalar() is not None

            # one pass over the claims inside the transaction: each is validated, then written while the
            # file has been clean so far; any error rolls everything back and is reported (nothing imported)
            for c in iter_claims(records, docs, errors, known_hashes=known):
                if not errors.items:
                    apply(c)
            errors.raise_if_any()
            if strict and report.conflicts:
                raise ConflictError(f"{path}: {len(report.conflicts)} claim(s) have a different review in this "
                                    "store; nothing was imported (run without --strict to import the rest and "
                                    "list them)")

        try:
            store.transact(work)
        except ConflictError as e:
            e.report = report  # type: ignore[attr-defined]
            raise
        except Exception:
            for k, v in asdict(ImportReport(source=str(path))).items():  # rolled back: nothing happened
                setattr(report, k, v)
            raise
    return report


def _hist_key(e: dict[str, Any]) -> tuple:
    # the version is left out: merged entries are renumbered to continue the target's sequence
    at = e["at"]
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=dt.timezone.utc)
    return (e["field"], _canon(e["old"]), _canon(e["new"]),
            e["reviewer"], at.astimezone(dt.timezone.utc).replace(microsecond=0) if at else None)


def _canon(v: Any) -> str:
    # 300 and 300.0 are the same value; JSON columns differ in which one they hand back
    def norm(x: Any) -> Any:
        if isinstance(x, float) and x.is_integer():
            return int(x)
        if isinstance(x, dict):
            return {k: norm(y) for k, y in x.items()}
        if isinstance(x, list):
            return [norm(y) for y in x]
        return x
    return json.dumps(norm(v), sort_keys=True)


REVIEW_FIELDS = ("verdict", "note", "corrected", "evidence_url")


def _renumbered(entries: list[dict], after: int) -> list[dict]:
    """Return history ``entries`` with their versions renumbered to continue a sequence that ends at ``after``."""
    out, mapping = [], {}
    for e in sorted(entries, key=lambda e: e["version"]):
        if e["version"] not in mapping:
            mapping[e["version"]] = after + len(mapping) + 1
        out.append({**e, "version": mapping[e["version"]]})
    return out


def _imported_state(verdict: str | None) -> str:
    # an imported verdict is final, as the exporting store's was (bundles publish final verdicts only)
    return "unreviewed" if verdict in (None, "unreviewed") else "reviewed"


class _Applier:
    """Write validated claims into the target store inside one transaction, one claim per call."""

    def __init__(self, store, conn, docs: dict[str, dict], report: ImportReport) -> None:
        self.store, self.conn, self.docs, self.report = store, conn, docs, report
        self.created: set[int] = set()
        self.doc_rows: dict[str, tuple[int, int | None, dt.date | None, str | None]] = {}
        self.existing: dict[int, dict[str, Any]] = {}
        self.now = dt.datetime.now(dt.timezone.utc)

    def target_doc(self, h: str):
        import sqlalchemy as sa
        from claims.store import documents

        conn, report = self.conn, self.report
        if h in self.doc_rows:
            return self.doc_rows[h]
        r = conn.execute(sa.select(documents.c.id, documents.c.publisher_id, documents.c.published,
                                   documents.c.title).where(documents.c.content_hash == h)).first()
        if r is not None:
            report.documents_matched += 1
            self.doc_rows[h] = (r[0], r[1], r[2], r[3])
            return self.doc_rows[h]
        d = self.docs[h]  # validated: either in the file or already in the store
        pid = self.store._publisher_id(conn, d["publisher"])
        did = conn.execute(documents.insert().values(
            content_hash=h, title=d["title"], url=d["url"], publisher_id=pid, published=d["published"],
            ingested_at=self.now, filename=d["filename"], text=d["text"],
            fictional=bool(d.get("fictional"))).returning(documents.c.id)).scalar_one()
        report.documents_added += 1
        self.created.add(did)
        self.doc_rows[h] = (did, pid, d["published"], d["title"])
        return self.doc_rows[h]

    def add_history(self, claim_id: int, fp: str, entries: list[dict]) -> None:
        from claims.store import review_history

        if entries:
            self.conn.execute(review_history.insert(), [
                {"claim_id": claim_id, "fingerprint": fp, "version": e["version"], "field": e["field"],
                 "old": e["old"], "new": e["new"], "reviewer": e["reviewer"], "at": e["at"]} for e in entries])
            self.report.history_added += len(entries)

    def existing_claims(self, did: int) -> dict[str, Any]:
        from claims.store import claims as claims_t, reviews

        # one query per target document, not per claim; FOR UPDATE (PostgreSQL; SQLite's write lock already
        # serialises) makes a concurrent reviewer of these claims wait for this import, then conflict on the
        # version it raised, instead of this import overwriting what they saved meanwhile
        if did not in self.existing:
            self.existing[did] = {r.fingerprint: r for r in self.conn.execute(
                self.store._record_select().where(claims_t.c.document_id == did).with_for_update(of=reviews))}
        return self.existing[did]

    def conflict(self, c: dict, cur, title: str | None, fields: list[str]) -> None:
        our_at = cur.reviewed_at
        if our_at is not None and our_at.tzinfo is None:
            our_at = our_at.replace(tzinfo=dt.timezone.utc)
        self.report.conflicts.append(VerdictConflict(
            fingerprint=c["fingerprint"], document_hash=c["document_hash"], quote=c["quote"], title=title,
            claim_id=cur.id, ours_verdict=cur.verdict, ours_reviewer=cur.reviewer,
            ours_at=our_at.isoformat() if our_at else None, theirs_verdict=c["verdict"],
            theirs_reviewer=c["reviewer"], theirs_at=c["reviewed_at"].isoformat() if c["reviewed_at"] else None,
            fields=fields))

    def set_review(self, cur, values: dict[str, Any]) -> bool:
        """Write the review only if it is still at the version read (else a concurrent writer won)."""
        from claims.store import reviews

        res = self.conn.execute(reviews.update().where(reviews.c.claim_id == cur.id,
                                                       reviews.c.version == cur.version).values(**values))
        return res.rowcount == 1

    def __call__(self, c: dict) -> None:
        import sqlalchemy as sa
        from claims.store import claim_row, claims as claims_t, review_history, reviews
        conn, report = self.conn, self.report
        review_values = {"verdict": c["verdict"], "note": c["note"], "corrected": c["corrected"],
                         "evidence_url": c["evidence_url"], "reviewer": c["reviewer"],
                         "reviewed_at": c["reviewed_at"], "version": c["version"]}
        did, pid, published, title = self.target_doc(c["document_hash"])
        # a document this import created has no other claims (fingerprints are unique in the file)
        cur = None if did in self.created else self.existing_claims(did).get(c["fingerprint"])
        if cur is None:
            cid = conn.execute(claims_t.insert().values(**claim_row(
                c["claim"], corrected=c["corrected"], document_id=did, fingerprint=c["fingerprint"],
                extractor_version=c["extractor_version"], orphaned=c["orphaned"], publisher_id=pid,
                published=published, verdict=c["verdict"], reviewer=c["reviewer"],
                review_state=_imported_state(c["verdict"]))
            ).returning(claims_t.c.id)).scalar_one()
            conn.execute(reviews.insert().values(claim_id=cid, **review_values))
            self.add_history(cid, c["fingerprint"], c["history"])
            report.claims_added += 1
            if c["reviewer"] is not None:
                report.reviews_taken += 1
            return
        report.claims_matched += 1
        if c["reviewer"] is None:
            return  # nothing reviewed on their side
        ours = {_hist_key(dict(r)) for r in conn.execute(
            sa.select(review_history.c.version, review_history.c.field, review_history.c.old,
                      review_history.c.new, review_history.c.reviewer, review_history.c.at)
            .where(review_history.c.claim_id == cur.id)).mappings()}
        missing = _renumbered([e for e in c["history"] if _hist_key(e) not in ours], cur.version)
        if cur.reviewer is None:
            # never reviewed here: take theirs; their history continues whatever sequence this claim has
            version = max(cur.version + c["version"], missing[-1]["version"] if missing else 0, cur.version + 1)
            if not self.set_review(cur, {**review_values, "version": version}):
                self.conflict(c, cur, title, ["version"])
                return
            conn.execute(claims_t.update().where(claims_t.c.id == cur.id).values(**claim_row(
                self.store._record(cur._mapping).claim, corrected=c["corrected"], verdict=c["verdict"],
                reviewer=c["reviewer"], review_state=_imported_state(c["verdict"]))))
            self.add_history(cur.id, c["fingerprint"], missing)
            report.reviews_taken += 1
            return
        ours_review = {"verdict": cur.verdict, "note": cur.note, "corrected": cur.corrected or {},
                       "evidence_url": cur.evidence_url}
        differ = [k for k in REVIEW_FIELDS if _canon(ours_review[k]) != _canon(c[k] if k != "corrected"
                                                                                 else c[k] or {})]
        if differ:
            self.conflict(c, cur, title, differ)
            return
        report.reviews_same += 1
        if missing:
            # the same review reached by other steps: keep ours, append their steps after our last version
            if not self.set_review(cur, {"version": missing[-1]["version"]}):
                self.conflict(c, cur, title, ["version"])
                return
            self.add_history(cur.id, c["fingerprint"], missing)
