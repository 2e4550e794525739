"""Import a JSON, JSONL or bundle export into another store, merging reviews and listing verdict conflicts.

Everything is read and validated first (an error names the file and the line
or record and field); then all writes happen in one transaction, so a
malformed file or a failure half way leaves the target store untouched.

Matching: documents by content hash (the export carries their text), claims
by fingerprint. For each claim:

- not in the target: added with its review and full history;
- in the target but never reviewed there: takes the imported review and history;
- reviewed in both with the same verdict: the target's current review stays,
  imported history entries it lacks are appended (nothing is lost);
- reviewed in both with different verdicts: nothing is written for that claim
  and the pair is listed as a conflict (``strict=True`` imports nothing then).
"""
from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import asdict, dataclass, field
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
    """One claim the two stores judge differently; neither side was changed."""

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
def read_export(path: str | Path) -> tuple[dict[str, Any], list[tuple[str, dict]], list[tuple[str, dict]]]:
    """Return (meta, [(where, document)], [(where, claim)]) from a JSON, JSONL or bundle file."""
    p = Path(path)
    label = str(p)
    try:
        head = p.open("rb").read(4)
    except OSError as e:
        raise BadInputError(f"{label}: cannot read ({e.strerror or e})") from None
    if head.startswith(b"PK\x03\x04"):
        return _read_bundle(p)
    data = p.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BadInputError(f"{label}: not UTF-8 text (byte {e.start})") from None
    if p.suffix.lower() == ".jsonl" or (p.suffix.lower() != ".json" and _looks_like_jsonl(text)):
        return _read_jsonl(text, label)
    return _read_json(text, label)


def _looks_like_jsonl(text: str) -> bool:
    first = text.lstrip().split("\n", 1)[0]
    try:
        obj = json.loads(first)
    except json.JSONDecodeError:
        return False
    return isinstance(obj, dict) and "record" in obj


def _read_bundle(p: Path):
    from claims.export.bundle import JSON_NAME, verify_bundle

    verify_bundle(p)  # refuse a tampered bundle before reading anything from it
    with zipfile.ZipFile(p) as z:
        text = z.read(JSON_NAME).decode("utf-8")
    return _read_json(text, f"{p}!{JSON_NAME}")


def _read_json(text: str, label: str):
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadInputError(f"{label}: line {e.lineno} column {e.colno}: not valid JSON ({e.msg})") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("claims"), list):
        raise BadInputError(f"{label}: not a claims export (want an object with a 'claims' list; "
                            "CSV, Parquet and ClaimReview exports cannot be imported)")
    if obj.get("format") not in (None, "claims-export"):
        raise BadInputError(f"{label}: format {obj.get('format')!r} is not a claims export")
    docs = obj.get("documents", [])
    if not isinstance(docs, list):
        raise BadInputError(f"{label}: 'documents' must be a list")
    meta = {k: v for k, v in obj.items() if k not in ("claims", "documents")}
    return (meta, [(f"{label} documents[{i}]", d) for i, d in enumerate(docs)],
            [(f"{label} claims[{i}]", c) for i, c in enumerate(obj["claims"])])


def _read_jsonl(text: str, label: str):
    meta: dict[str, Any] = {}
    docs: list[tuple[str, dict]] = []
    claims: list[tuple[str, dict]] = []
    for n, line in enumerate(io.StringIO(text), 1):
        if not line.strip():
            continue
        where = f"{label} line {n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise BadInputError(f"{where}: not valid JSON ({e.msg} at column {e.colno})") from None
        if not isinstance(obj, dict):
            raise BadInputError(f"{where}: want a JSON object")
        kind = obj.pop("record", None)
        if kind == "meta":
            meta = obj
        elif kind == "document":
            docs.append((where, obj))
        elif kind == "claim":
            claims.append((where, obj))
        else:
            raise BadInputError(f"{where}: field 'record': want meta, document or claim, got {kind!r}")
    return meta, docs, claims


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
    v = d.get(k)
    if v is not None and not isinstance(v, str):
        raise ValueError("want text or null")
    return v


def _int(v: Any, *, minimum: int = 0) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
        raise ValueError(f"want a whole number >= {minimum}")
    return v


def _num(v: Any) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError("want a number or null")
    return float(v)


def _check_document(where: str, d: Any, errors: _Errors) -> dict | None:
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
        except ValueError as e:
            errors.add(f"{where}.{k}", str(e))
    try:
        out["published"] = _parse_date(d.get("published"))
    except ValueError:
        errors.add(f"{where}.published", f"want a date YYYY-MM-DD, got {d.get('published')!r}")
    out["fictional"] = d.get("fictional", False)
    if not isinstance(out["fictional"], bool):
        errors.add(f"{where}.fictional", f"want true or false, got {out['fictional']!r}")
    return out


def _check_claim(where: str, c: Any, docs: dict[str, dict], errors: _Errors) -> dict | None:
    from claims.store import validate_correction

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
    fixed = {}
    for k, v in corrected.items():
        try:
            fixed[k] = validate_correction(k, v)
        except BadInputError as e:
            errors.add(f"{where}.corrected.{k}", str(e))
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
            hist_out.append({"version": _int(e.get("version"), minimum=1), "field": _req_str(e, "field"),
                             "old": e.get("old"), "new": e.get("new"), "reviewer": _req_str(e, "reviewer"),
                             "at": _parse_dt(e.get("at")) or _missing("at")})
        except (ValueError, TypeError) as ex:
            errors.add(hw, str(ex))
    if errors.count > bad:
        return None
    if verdict is not Verdict.UNREVIEWED and version == 0:
        errors.add(f"{where}.version", f"verdict {verdict.value} with version 0 (a review has version >= 1)")
        return None
    if end < start:
        errors.add(f"{where}.end", f"end {end} is before start {start}")
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
            "orphaned": orphaned, "verdict": verdict.value, "note": texts["note"], "corrected": fixed,
            "evidence_url": texts["evidence_url"], "reviewer": texts["reviewer"], "reviewed_at": reviewed_at,
            "version": version, "history": hist_out, "quote": quote}


def _req_str(d: dict, k: str) -> str:
    v = d.get(k)
    if not isinstance(v, str) or not v:
        raise ValueError(f"field {k!r}: want non-empty text, got {v!r}")
    return v


def _missing(k: str):
    raise ValueError(f"field {k!r}: missing")


def load(path: str | Path, *, known_hashes=lambda h: False) -> tuple[dict, dict[str, dict], list[dict]]:
    """Read and validate a whole export; return (meta, documents by hash, claims) or raise BadInputError."""
    meta, raw_docs, raw_claims = read_export(path)
    errors = _Errors(str(path))
    docs: dict[str, dict] = {}
    for where, d in raw_docs:
        ok = _check_document(where, d, errors)
        if ok is not None:
            docs.setdefault(ok["content_hash"], ok)
    claims: list[dict] = []
    seen: dict[tuple[str, str], str] = {}
    for where, c in raw_claims:
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
        claims.append(ok)
    errors.raise_if_any()
    return meta, docs, claims


# ------------------------------------------------------------------ writing
def import_file(store, path: str | Path, *, strict: bool = False) -> ImportReport:
    """Import an export file into ``store`` in one transaction and return what happened.

    Raises BadInputError (nothing written) for malformed input, VerifyError for
    a bundle that fails verification, and ConflictError (nothing written) when
    ``strict`` and the stores disagree on any verdict.
    """
    import sqlalchemy as sa
    from claims.store import documents

    def known(h: str) -> bool:
        with store.read() as conn:
            return conn.execute(sa.select(documents.c.id).where(documents.c.content_hash == h)).scalar() is not None

    _, docs, claims = load(path, known_hashes=known)
    report = ImportReport(source=str(path))

    def work(conn) -> None:
        _apply(conn, docs, claims, report)
        if strict and report.conflicts:
            raise ConflictError(f"{path}: {len(report.conflicts)} claim(s) have a different verdict in this store; "
                                "nothing was imported (run without --strict to import the rest and list them)")

    report_reset = asdict(report)
    try:
        store.transact(work)
    except ConflictError as e:
        e.report = report  # type: ignore[attr-defined]
        raise
    except Exception:
        for k, v in report_reset.items():  # the transaction rolled back: nothing happened
            setattr(report, k, v)
        raise
    return report


def _publisher_id(conn, name: str | None, cache: dict[str, int]) -> int | None:
    import sqlalchemy as sa
    from claims.store import publishers

    name = (name or "").strip()
    if not name:
        return None
    if name in cache:
        return cache[name]
    pid = conn.execute(sa.select(publishers.c.id).where(publishers.c.name == name)).scalar()
    if pid is None:
        pid = conn.execute(publishers.insert().values(name=name).returning(publishers.c.id)).scalar_one()
    cache[name] = pid
    return pid


def _claim_row(c: Claim) -> dict[str, Any]:
    return {"kind": Kind(c.kind).value, "span_start": c.start, "span_end": c.end, "quote": c.quote,
            "sentence": c.sentence or "", "low": c.low, "high": c.high, "approximate": bool(c.approximate),
            "outcome": Outcome(c.outcome).value if c.outcome else None, "subject": c.subject, "unit": c.unit,
            "date": c.date, "duration": c.duration, "attributed_to": c.attributed_to, "rule": c.rule or "",
            "source_quote": c.source_quote, "source_start": c.source_start, "source_end": c.source_end}


def _effective(values: dict[str, Any], corrected: dict[str, Any]) -> dict[str, Any]:
    # the same eff_* columns Store.review maintains, so imported corrections filter the same way
    from claims.store import date_bounds

    low = corrected["low"] if "low" in corrected else values["low"]
    high = corrected["high"] if "high" in corrected else values["high"]
    start, end = date_bounds(corrected["date"] if "date" in corrected else values["date"])
    return {"eff_low": None if low is None else float(low), "eff_high": None if high is None else float(high),
            "eff_date_start": start, "eff_date_end": end,
            "eff_source": corrected["attributed_to"] if "attributed_to" in corrected else values.get("attributed_to")}


def _hist_key(e: dict[str, Any]) -> tuple:
    at = e["at"]
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=dt.timezone.utc)
    return (e["version"], e["field"], _canon(e["old"]), _canon(e["new"]),
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


def _apply(conn, docs: dict[str, dict], claims: list[dict], report: ImportReport) -> None:
    import sqlalchemy as sa
    from claims.store import claims as claims_t, documents, review_history, reviews

    pubs: dict[str, int] = {}
    created: set[int] = set()
    doc_rows: dict[str, tuple[int, int | None, dt.date | None, str | None]] = {}
    now = dt.datetime.now(dt.timezone.utc)

    def target_doc(h: str):
        if h in doc_rows:
            return doc_rows[h]
        r = conn.execute(sa.select(documents.c.id, documents.c.publisher_id, documents.c.published,
                                   documents.c.title).where(documents.c.content_hash == h)).first()
        if r is not None:
            report.documents_matched += 1
            doc_rows[h] = (r[0], r[1], r[2], r[3])
            return doc_rows[h]
        d = docs[h]  # validated: either in the file or already in the store
        pid = _publisher_id(conn, d["publisher"], pubs)
        did = conn.execute(documents.insert().values(
            content_hash=h, title=d["title"], url=d["url"], publisher_id=pid, published=d["published"],
            ingested_at=now, filename=d["filename"], text=d["text"],
            fictional=bool(d.get("fictional"))).returning(documents.c.id)).scalar_one()
        report.documents_added += 1
        created.add(did)
        doc_rows[h] = (did, pid, d["published"], d["title"])
        return doc_rows[h]

    def add_history(claim_id: int, fp: str, entries: list[dict]) -> None:
        if entries:
            conn.execute(review_history.insert(), [
                {"claim_id": claim_id, "fingerprint": fp, "version": e["version"], "field": e["field"],
                 "old": e["old"], "new": e["new"], "reviewer": e["reviewer"], "at": e["at"]} for e in entries])
            report.history_added += len(entries)

    def review_values(c: dict) -> dict[str, Any]:
        return {"verdict": c["verdict"], "note": c["note"], "corrected": c["corrected"],
                "evidence_url": c["evidence_url"], "reviewer": c["reviewer"], "reviewed_at": c["reviewed_at"],
                "version": c["version"]}

    def imported_state(c: dict) -> str:
        # an imported verdict is final, as the exporting store's was (bundles publish final verdicts only)
        return "unreviewed" if c["verdict"] in (None, "unreviewed") else "reviewed"

    existing: dict[int, dict[str, tuple]] = {}

    def existing_claims(did: int) -> dict[str, tuple]:
        # one query per target document, not per claim
        if did not in existing:
            existing[did] = {r[0]: tuple(r[1:]) for r in conn.execute(
                sa.select(claims_t.c.fingerprint, claims_t.c.id, reviews.c.verdict, reviews.c.reviewer,
                          reviews.c.reviewed_at, reviews.c.version)
                .select_from(claims_t.join(reviews, reviews.c.claim_id == claims_t.c.id))
                .where(claims_t.c.document_id == did))}
        return existing[did]

    for c in claims:
        did, pid, published, title = target_doc(c["document_hash"])
        # a document this import created has no other claims (fingerprints are unique in the file)
        cur = None if did in created else existing_claims(did).get(c["fingerprint"])
        if cur is None:
            values = _claim_row(c["claim"])
            cid = conn.execute(claims_t.insert().values(
                **values, **_effective(values, c["corrected"]), document_id=did, fingerprint=c["fingerprint"],
                extractor_version=c["extractor_version"], orphaned=c["orphaned"], publisher_id=pid,
                published=published, review_state=imported_state(c)).returning(claims_t.c.id)).scalar_one()
            conn.execute(reviews.insert().values(claim_id=cid, **review_values(c)))
            add_history(cid, c["fingerprint"], c["history"])
            report.claims_added += 1
            if c["version"] > 0:
                report.reviews_taken += 1
            continue
        report.claims_matched += 1
        cid, our_verdict, our_reviewer, our_at, our_version = cur
        if c["version"] == 0:
            continue  # nothing reviewed on their side
        if our_version == 0:
            conn.execute(reviews.update().where(reviews.c.claim_id == cid).values(**review_values(c)))
            conn.execute(claims_t.update().where(claims_t.c.id == cid).values(**_effective(
                _claim_row_from_db(conn, cid), c["corrected"]), review_state=imported_state(c)))
            add_history(cid, c["fingerprint"], c["history"])
            report.reviews_taken += 1
            continue
        if our_verdict != c["verdict"]:
            if our_at is not None and our_at.tzinfo is None:
                our_at = our_at.replace(tzinfo=dt.timezone.utc)
            report.conflicts.append(VerdictConflict(
                fingerprint=c["fingerprint"], document_hash=c["document_hash"], quote=c["quote"], title=title,
                claim_id=cid, ours_verdict=our_verdict, ours_reviewer=our_reviewer,
                ours_at=our_at.isoformat() if our_at else None, theirs_verdict=c["verdict"],
                theirs_reviewer=c["reviewer"], theirs_at=c["reviewed_at"].isoformat() if c["reviewed_at"] else None))
            continue
        report.reviews_same += 1
        ours = {_hist_key(dict(r)) for r in conn.execute(
            sa.select(review_history.c.version, review_history.c.field, review_history.c.old,
                      review_history.c.new, review_history.c.reviewer, review_history.c.at)
            .where(review_history.c.claim_id == cid)).mappings()}
        add_history(cid, c["fingerprint"], [e for e in c["history"] if _hist_key(e) not in ours])


def _claim_row_from_db(conn, cid: int) -> dict[str, Any]:
    import sqlalchemy as sa
    from claims.store import claims as claims_t

    r = conn.execute(sa.select(claims_t.c.low, claims_t.c.high, claims_t.c.date)
                     .where(claims_t.c.id == cid)).mappings().one()
    return dict(r)
