"""Export reviewed claim sets (CSV, JSON, JSONL, Parquet, ClaimReview, bundle), import them, verify bundles.

The library entry points are :func:`export_to` (stream one format to a
file or text stream), :func:`import_file` and :func:`verify_bundle`. Every
format reads the same rows: :data:`~claims.export.fields.FIELDS` flattened
from ``Store.iter_claims(flt)``, so each export holds exactly the filtered set
and nothing is held in memory beyond one batch.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import io
import sys
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable, Iterator, TextIO

from claims.errors import BadInputError
from claims.export.atomic import atomic_file
from claims.export.bundle import verify_bundle, write_bundle
from claims.export.claimreview import ReviewOrg, claim_review, is_reviewable, write_claimreview
from claims.export.fields import (
    FIELD_NAMES, FIELDS, GroupInfo, RowContext, codebook_markdown, flatten, flatten_values,
)
from claims.export.writers import CsvRowWriter, meta_record, write_json, write_jsonl, write_parquet
from claims.model import ClaimFilter, ClaimRecord
from claims.settings import setting

FORMATS: dict[str, str] = {
    "csv": "spreadsheet table, one row per claim (UTF-8 with BOM, formulas neutralised)",
    "json": "one JSON object: claims with review history, and their documents",
    "jsonl": "one JSON record per line: meta, documents, claims",
    "parquet": "columnar table for notebooks (needs -o)",
    "claimreview": "schema.org ClaimReview JSON-LD, one per reviewed claim",
    "bundle": "zip of CSV + JSON + codebook + manifest with sha256 of every file (needs -o)",
}
BINARY_FORMATS = frozenset({"parquet", "bundle"})
PUBLISHING_FORMATS = frozenset({"claimreview", "bundle"})  # final verdicts only, unless include_pending
EXTENSIONS = {"csv": ".csv", "json": ".json", "jsonl": ".jsonl", "parquet": ".parquet",
              "claimreview": ".claimreview.json", "bundle": ".zip"}

# A group provider maps a batch of claim ids to their groups (see claims.compare).
GroupProvider = Callable[[list[int]], dict[int, GroupInfo]]


def tool_info() -> dict[str, Any]:
    """Return the tool and extractor versions recorded in manifests."""
    try:
        from importlib.metadata import version
        tool_version = version("claims")
    except Exception:  # run from a checkout, not installed
        tool_version = getattr(sys.modules.get("claims"), "__version__", None) or "0.1.0+checkout"
    try:
        from claims.extract import EXTRACTOR_VERSION
    except Exception:
        EXTRACTOR_VERSION = None  # noqa: N806
    return {"name": "claims", "version": tool_version, "extractor_version": EXTRACTOR_VERSION}


def default_exporter() -> str:
    """Return who is exporting: CLAIMS_REVIEWER, else the login name."""
    who = setting("CLAIMS_REVIEWER")
    if who:
        return who
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


def compare_groups(store, *, min_size: int = 2) -> GroupProvider | None:
    """Return a lookup of the compare groups ``python -m claims compare`` stored, or None when there are none.

    Only groups of at least ``min_size`` claims count: a claim alone in its
    group was not grouped with anything.
    """
    try:
        import sqlalchemy as sa
        from claims.compare import persist
    except Exception:  # compare is another part; exports work without it
        return None
    members = persist.compare_members
    try:
        with store.read() as conn:
            if conn.execute(sa.select(members.c.fingerprint).limit(1)).first() is None:
                return None
    except Exception:  # tables not migrated in this database
        return None
    load = getattr(persist, "_load", None)  # batched loader; get_group is the public one-at-a-time form
    cache: OrderedDict[int, GroupInfo | None] = OrderedDict()

    def info(g) -> GroupInfo | None:
        if g is None or len(g.members) < min_size:
            return None
        rc = g.reconciled
        return GroupInfo(group_id=str(g.id), label=g.label, size=len(g.members), low=rc.low, best=rc.best,
                         high=rc.high, method=g.rule)

    def provider(ids: list[int]) -> dict[int, GroupInfo]:
        recs = {}
        with store.read() as conn:
            fps = dict(conn.execute(sa.select(claims_table().c.id, claims_table().c.fingerprint)
                                    .where(claims_table().c.id.in_(ids))).all())
            gid_of = dict(conn.execute(sa.select(members.c.fingerprint, members.c.group_id)
                                       .where(members.c.fingerprint.in_(list(fps.values())))).all())
            sizes = dict(conn.execute(sa.select(members.c.group_id, sa.func.count())
                                      .where(members.c.group_id.in_(set(gid_of.values())))
                                      .group_by(members.c.group_id)).all())
        wanted = [g for g in set(gid_of.values()) if g not in cache and sizes.get(g, 0) >= min_size]
        if wanted:
            found = load(store, wanted) if load else [persist.get_group(store, g) for g in wanted]
            for g in found:
                if g is not None:
                    cache[g.id] = info(g)
        for cid, fp in fps.items():
            gid = gid_of.get(fp)
            if gid is not None and cache.get(gid) is not None:
                recs[cid] = cache[gid]
        while len(cache) > 50_000:
            cache.popitem(last=False)
        return recs

    return provider


def final_only(flt: ClaimFilter) -> ClaimFilter:
    """Return ``flt`` narrowed to claims whose review is not pending (no second review or adjudication awaited)."""
    import dataclasses

    from claims.model import ReviewState

    wanted = flt.review_states or [s.value for s in ReviewState]
    keep = [s for s in wanted if not ReviewState(getattr(s, "value", s)).pending]
    if not keep:
        raise BadInputError("review_state: pending claims are published only with --include-pending")
    return dataclasses.replace(flt, review_states=keep)


def claims_table():
    """Return the store's claims table (imported late: the store is optional for pure uses)."""
    from claims.store import claims

    return claims


class StoreSource:
    """Read export rows, documents and review history from a Store, one batch at a time."""

    def __init__(self, store, flt: ClaimFilter | None, *, batch: int = 2000, with_history: bool = True,
                 groups: GroupProvider | None = None, hash_cache: int = 200_000, provisional: bool = False) -> None:
        self.store = store
        self.provisional = provisional  # claims awaiting a second review carry their first verdict
        self.flt = flt or ClaimFilter()
        self.batch = batch
        self.with_history = with_history
        self.groups = groups
        self._hashes: OrderedDict[int, str] = OrderedDict()
        self._hash_cache = hash_cache
        self._history: dict[int, list[dict[str, Any]]] = {}

    def _batches(self) -> Iterator[list[ClaimRecord]]:
        buf: list[ClaimRecord] = []
        for rec in self.store.iter_claims(self.flt, batch=self.batch):
            buf.append(rec)
            if len(buf) >= self.batch:
                yield self._provisional(buf)
                buf = []
        if buf:
            yield self._provisional(buf)

    def _provisional(self, recs: list[ClaimRecord]) -> list[ClaimRecord]:
        """Give claims awaiting their second review the verdict their reviewers so far agree on."""
        waiting = [r for r in recs if r.review_state == "needs_second"] if self.provisional else []
        if waiting:
            import sqlalchemy as sa
            from claims.model import Verdict
            from claims.team.schema import review_votes as rv

            with self.store.read() as conn:
                got: dict[int, set[str]] = {}
                for cid, verdict in conn.execute(sa.select(rv.c.claim_id, rv.c.verdict)
                                                 .where(rv.c.claim_id.in_([r.id for r in waiting]))):
                    got.setdefault(cid, set()).add(verdict)
            for r in waiting:
                if len(got.get(r.id, ())) == 1:
                    r.verdict = Verdict(next(iter(got[r.id])))
        return recs

    def _load_hashes(self, doc_ids: set[int]) -> None:
        import sqlalchemy as sa
        from claims.store import documents

        missing = [i for i in doc_ids if i not in self._hashes]
        if not missing:
            return
        with self.store.read() as conn:
            for start in range(0, len(missing), 500):
                part = missing[start:start + 500]
                for did, h in conn.execute(sa.select(documents.c.id, documents.c.content_hash)
                                           .where(documents.c.id.in_(part))):
                    self._hashes[did] = h
        while len(self._hashes) > self._hash_cache:
            self._hashes.popitem(last=False)

    def _load_history(self, recs: list[ClaimRecord]) -> None:
        import sqlalchemy as sa
        from claims.store import review_history

        self._history = {}
        ids = [r.id for r in recs if r.version > 0]
        if not ids:
            return
        with self.store.read() as conn:
            for start in range(0, len(ids), 500):
                part = ids[start:start + 500]
                q = (sa.select(review_history).where(review_history.c.claim_id.in_(part))
                     .order_by(review_history.c.claim_id, review_history.c.version, review_history.c.id))
                for r in conn.execute(q).mappings():
                    self._history.setdefault(r["claim_id"], []).append(_history_dict(
                        r["version"], r["field"], r["old"], r["new"], r["reviewer"], r["at"]))

    def rows(self) -> Iterator[dict[str, Any]]:
        """Yield the flattened row of every matching claim, in id order."""
        for recs in self._batches():
            self._load_hashes({r.document_id for r in recs})
            groups = self.groups([r.id for r in recs]) if self.groups else {}
            if self.with_history:
                self._load_history(recs)
            for r in recs:
                yield flatten(r, RowContext(document_hash=self._hashes[r.document_id], group=groups.get(r.id)))

    def values(self) -> Iterator[tuple]:
        """Yield each matching claim's row as a tuple in FIELDS order (no dict: the CSV/Parquet fast path)."""
        for recs in self._batches():
            self._load_hashes({r.document_id for r in recs})
            groups = self.groups([r.id for r in recs]) if self.groups else {}
            hashes = self._hashes
            ctx = RowContext(document_hash="")
            for r in recs:
                ctx.document_hash = hashes[r.document_id]
                ctx.group = groups.get(r.id)
                yield flatten_values(r, ctx)

    def history(self, row: dict[str, Any]) -> list[dict[str, Any]]:
        """Return the review history of the row's claim, oldest first."""
        if not self.with_history:
            return []
        return self._history.get(row["id"], [])

    def document(self, document_hash: str) -> dict[str, Any] | None:
        """Return the document record (text and metadata) with this content hash, or None."""
        doc_id = self.store.document_id_for_hash(document_hash)
        if doc_id is None:
            return None
        d = self.store.get_document(doc_id)
        if d is None:
            return None
        return document_record(d)


def document_record(d) -> dict[str, Any]:
    """Return the export record of a stored Document."""
    return {"content_hash": d.content_hash, "text": d.text, "title": d.title, "url": d.url,
            "publisher": d.publisher, "published": d.published.isoformat() if d.published else None,
            "filename": d.filename, "fictional": bool(getattr(d, "fictional", False))}


def _history_dict(version, field, old, new, reviewer, at) -> dict[str, Any]:
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=dt.timezone.utc)
    return {"version": version, "field": field, "old": old, "new": new, "reviewer": reviewer,
            "at": at.astimezone(dt.timezone.utc).isoformat() if at else None}


def export_rows(store, flt: ClaimFilter | None = None, *, groups: GroupProvider | None = None,
                batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Yield the flat export row of every claim matching ``flt`` (what CSV and Parquet write)."""
    yield from StoreSource(store, flt, batch=batch, with_history=False, groups=groups).rows()


def export_filter(flt: ClaimFilter | None, *, fmt: str, include_pending: bool = False,
                  include_fictional: bool = False) -> ClaimFilter:
    """Return the filter an export of ``flt`` reads its claims with (what :func:`export_to` writes).

    Publishing formats leave out claims whose review is pending unless
    ``include_pending``; invented example documents are left out unless
    ``include_fictional`` or the filter asks for them.
    """
    flt = flt or ClaimFilter()
    out = flt
    if fmt in PUBLISHING_FORMATS and not include_pending:
        out = final_only(flt)
    if flt.fictional is None and not include_fictional:  # invented examples never reach a real export by accident
        out = dataclasses.replace(out, fictional=False)
    return out


def export_count(store, flt: ClaimFilter | None, *, fmt: str, include_pending: bool = False,
                 include_fictional: bool = False) -> int:
    """Return how many claims (CSV/JSON rows, ClaimReview objects, bundle claims) :func:`export_to` writes."""
    source_flt = export_filter(flt, fmt=fmt, include_pending=include_pending, include_fictional=include_fictional)
    if fmt == "claimreview":  # one object per claim with a verdict on the rating scale
        from claims.export.claimreview import RATING

        n = sum(k for v, k in store.facet_counts(source_flt, "verdict").items() if v in RATING)
        if include_pending and "needs_second" in (source_flt.review_states or ["needs_second"]):
            # claims waiting for their second review carry their first reviewers' verdict
            waiting = store.query_claims(dataclasses.replace(source_flt, review_states=["needs_second"]), limit=None)
            carried = StoreSource(store, source_flt, provisional=True)._provisional(waiting)
            n += sum(1 for r in carried if r.verdict.value in RATING)
        return n
    return store.count_claims(source_flt)


def claimreview_without_url(store, flt: ClaimFilter | None, *, include_pending: bool = False,
                            include_fictional: bool = False) -> list[str]:
    """Return the titles of the documents a ClaimReview export of ``flt`` would publish without a ``url``
    (what ``export --format claimreview`` warns of: Google's ClaimReview guidelines require one)."""
    res = export_to(store, flt, fmt="claimreview", out=io.StringIO(), groups=None,
                    include_pending=include_pending, include_fictional=include_fictional)
    return list(res.get("without_url") or [])


def preview_rows(store, flt: ClaimFilter | None, *, limit: int = 20,
                 include_fictional: bool = False) -> list[dict[str, Any]]:
    """Return the first ``limit`` export rows for ``flt`` (``corrected`` as JSON text, as CSV shows it).

    Like :func:`export_to`, invented example documents are left out unless ``include_fictional``.
    """
    import itertools
    import json

    flt = flt or ClaimFilter()
    if flt.fictional is None and not include_fictional:
        flt = dataclasses.replace(flt, fictional=False)

    out = []
    for row in itertools.islice(export_rows(store, flt, batch=max(1, limit), groups=compare_groups(store)), limit):
        row = dict(row)
        row["corrected"] = json.dumps(row["corrected"], ensure_ascii=False, sort_keys=True) if row["corrected"] else ""
        out.append(row)
    return out


def preview_claimreview(store, flt: ClaimFilter | None, *, limit: int = 3, org: ReviewOrg | None = None,
                        include_pending: bool = False, include_fictional: bool = False) -> str:
    """Return the first ``limit`` ClaimReview objects ``export_to(fmt="claimreview")`` would write, as indented JSON.

    The same claims in the same order as the download (only reviewed claims, pending and
    fictional ones left out unless asked for), so a reviewer sees what will be published.
    """
    import itertools
    import json

    source_flt = export_filter(flt or ClaimFilter(), fmt="claimreview", include_pending=include_pending,
                               include_fictional=include_fictional)
    source = StoreSource(store, source_flt, batch=max(limit, 50), with_history=False, groups=None,
                         provisional=include_pending)
    org = org or ReviewOrg.from_settings()
    items = [claim_review(row, org=org)
             for row in itertools.islice((r for r in source.rows() if is_reviewable(r)), limit)]
    return json.dumps(items, ensure_ascii=False, indent=2)


def export_to(store, flt: ClaimFilter | None, *, fmt: str, out: TextIO | None = None,
              path: str | Path | None = None, bom: bool = True, org: ReviewOrg | None = None,
              exported_by: str | None = None, groups: GroupProvider | None | bool = True,
              batch: int = 2000, include_pending: bool = False,
              include_fictional: bool = False) -> dict[str, Any]:
    """Write the claims matching ``flt`` in format ``fmt`` to ``out`` (text) or ``path``; return counts.

    ``groups=True`` looks up compare groups when claims.compare provides
    them; pass a provider, or None/False to leave the group columns empty.
    ClaimReview and bundles publish, so they leave out claims whose review
    is pending (waiting for a second review or an adjudication) unless
    ``include_pending``; then a claim waiting for its second review carries
    its first reviewer's verdict. Invented example documents (``fictional``)
    are left out unless ``include_fictional`` or the filter asks for them.
    """
    if fmt not in FORMATS:
        raise BadInputError(f"--format: want one of {', '.join(FORMATS)}, got {fmt!r}")
    if fmt in BINARY_FORMATS and path is None:
        raise BadInputError(f"--format {fmt}: writes a binary file, give one with -o FILE")
    flt = flt or ClaimFilter()
    provisional = fmt in PUBLISHING_FORMATS and include_pending
    # the manifest records the reviewer's filters; the source may leave pending and fictional claims out
    source_flt = export_filter(flt, fmt=fmt, include_pending=include_pending, include_fictional=include_fictional)
    provider = compare_groups(store) if groups is True else (groups or None)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    who = exported_by or default_exporter()
    tool = tool_info()
    meta = meta_record(filters=flt.to_dict(), exported_at=now, exported_by=who, extra={"tool": tool})
    with_history = fmt in ("json", "jsonl", "bundle")
    source = StoreSource(store, source_flt, batch=batch, with_history=with_history, groups=provider,
                         provisional=provisional)
    result: dict[str, Any] = {"format": fmt, "filters": flt.to_dict()}
    result["fictional"] = "included" if include_fictional or flt.fictional else "left out"
    if fmt in PUBLISHING_FORMATS:
        result["pending"] = "included" if include_pending else "left out"
    if fmt == "parquet":
        result["claims"] = _atomic_binary(path, lambda p: write_parquet(source.values(), p))
        return result
    if fmt == "bundle":
        manifest = write_bundle(source, path, meta=meta, tool=tool)
        result.update(claims=manifest["counts"]["claims"], documents=manifest["counts"]["documents"],
                      manifest=manifest)
        return result

    def write(stream: TextIO) -> None:
        if fmt == "csv":
            w = CsvRowWriter(stream, bom=bom)
            for values in source.values():
                w.write_values(values)
            result["claims"] = w.rows
        elif fmt == "json":
            result["claims"], result["documents"] = write_json(source, stream, meta=meta)
        elif fmt == "jsonl":
            result["claims"], result["documents"] = write_jsonl(source, stream, meta=meta)
        else:  # claimreview
            missing: set[str] = set()
            result["claims"] = write_claimreview(source.rows(), stream, org=org or ReviewOrg.from_settings(),
                                                 without_url=missing)
            result["without_url"] = sorted(missing)

    if path is not None:
        _atomic_text(path, write)
    else:
        write(out if out is not None else sys.stdout)
    return result


def _atomic_text(path: str | Path, write: Callable[[TextIO], None]) -> None:
    # a failed, killed or concurrent export never leaves a truncated or mixed file under the real name
    with atomic_file(path) as f:
        write(f)


def _atomic_binary(path: str | Path, write: Callable[[Any], int]) -> int:
    with atomic_file(path, binary=True) as f:
        return write(f)


def export_bytes(store, flt: ClaimFilter | None, *, fmt: str, **kw: Any) -> bytes:
    """Return a whole export as bytes (for download buttons); prefer :func:`export_to` for large sets."""
    if fmt in BINARY_FORMATS:
        import tempfile
        with tempfile.TemporaryDirectory(prefix="claims-export-") as tmp:
            p = Path(tmp) / f"export{EXTENSIONS[fmt]}"
            export_to(store, flt, fmt=fmt, path=p, **kw)
            data = p.read_bytes()
        return data
    buf = io.StringIO(newline="")
    export_to(store, flt, fmt=fmt, out=buf, **kw)
    return buf.getvalue().encode("utf-8")


from claims.export.importer import ImportReport, import_file  # noqa: E402  (needs the names above)

__all__ = [
    "PUBLISHING_FORMATS", "export_count", "export_filter", "final_only",
    "EXTENSIONS", "FORMATS", "FIELDS", "FIELD_NAMES", "GroupInfo", "ImportReport", "ReviewOrg", "StoreSource",
    "codebook_markdown", "export_bytes", "export_rows", "preview_claimreview", "preview_rows", "export_to", "import_file", "tool_info",
    "verify_bundle",
]
