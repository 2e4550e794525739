"""What happens to a stored document after ingest: more appearances, metadata edits, and deletion with an audit.

* **Appearances.** The same text under another publisher, url or date (a wire
  story carried by a second outlet) is one document with several appearances:
  ``document_appearances`` holds each further one, ``documents.appearances``
  counts them, and Compare counts each as a report and a wire copy.
* **Edits.** A document's title, publisher and date can be changed after
  saving; every change goes to the append-only ``document_changes`` with who
  and when, and the claims' copies of publisher and date follow.
* **Deletion.** ``delete_document`` removes a document, its claims and every
  row that points at them, after copying all of it (reviews and their history
  included) as JSON into ``deleted_documents``: nothing a reviewer wrote is lost.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from claims.errors import BadInputError, NotFoundError
from claims.model import DocumentIn
from claims.store import (
    MAX_NAME, UTCDateTime, Store, _is_db_id, _now, _reviewer_name, check_text, claims, documents, metadata,
    publishers,
)

document_appearances = sa.Table(
    # the same text seen again under another publisher, url or date; the document row keeps the first
    "document_appearances", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False, index=True),
    sa.Column("publisher_id", sa.Integer, sa.ForeignKey("publishers.id")),
    sa.Column("url", sa.Text),
    sa.Column("published", sa.Date),
    sa.Column("title", sa.Text),
    sa.Column("added_by", sa.String(200)),
    sa.Column("added_at", UTCDateTime, nullable=False),
)

document_changes = sa.Table(
    # append-only: one row per changed document field (title, publisher, published), with who and when
    "document_changes", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.Integer, nullable=False, index=True),  # no foreign key: outlives a deletion
    sa.Column("field", sa.String(40), nullable=False),
    sa.Column("old", sa.Text),
    sa.Column("new", sa.Text),
    sa.Column("reviewer", sa.String(200), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
)

deleted_documents = sa.Table(
    # audit of deletions: the document, its claims, reviews, history and every other row that pointed at them
    "deleted_documents", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.Integer, nullable=False, index=True),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("claims", sa.Integer, nullable=False),
    sa.Column("reviewed", sa.Integer, nullable=False),
    sa.Column("record", sa.JSON, nullable=False),
    sa.Column("deleted_by", sa.String(200), nullable=False),
    sa.Column("deleted_at", UTCDateTime, nullable=False),
)

EDITABLE = ("title", "publisher", "published")


@dataclass(slots=True)
class Appearance:
    """One place a document's text appeared: its publisher, url, date and title."""

    publisher: str | None
    url: str | None
    published: dt.date | None
    title: str | None
    first: bool = False  # the document's own metadata (where it was first stored from)


@dataclass(slots=True)
class DocumentChange:
    """One change to a document's title, publisher or date."""

    document_id: int
    field: str
    old: str | None
    new: str | None
    reviewer: str
    at: dt.datetime


@dataclass(slots=True)
class DeleteReport:
    """What ``delete_document`` removed (all of it kept in ``deleted_documents``, row ``audit_id``)."""

    document_id: int
    title: str | None
    claims: int
    reviewed: int
    audit_id: int


def _key(publisher: str | None, url: str | None, published: dt.date | None) -> tuple:
    return ((publisher or "").strip().lower(), (url or "").strip(), published)


def appearances(store: Store, doc_id: int) -> list[Appearance]:
    """Return where a document's text appeared: first its own metadata, then each further appearance."""
    if not _is_db_id(doc_id):
        return []
    with store.read() as conn:
        return _appearances(conn, doc_id)


def _appearances(conn, doc_id: int) -> list[Appearance]:
    first = conn.execute(
        sa.select(publishers.c.name, documents.c.url, documents.c.published, documents.c.title)
        .select_from(documents.outerjoin(publishers, publishers.c.id == documents.c.publisher_id))
        .where(documents.c.id == doc_id)).first()
    if first is None:
        return []
    rest = conn.execute(
        sa.select(publishers.c.name, document_appearances.c.url, document_appearances.c.published,
                  document_appearances.c.title)
        .select_from(document_appearances.outerjoin(publishers,
                                                    publishers.c.id == document_appearances.c.publisher_id))
        .where(document_appearances.c.document_id == doc_id).order_by(document_appearances.c.id)).all()
    return [Appearance(*first, first=True)] + [Appearance(*r) for r in rest]


def add_appearance(store: Store, doc_id: int, doc: DocumentIn, *, added_by: str | None = None) -> bool:
    """Record that ``doc`` (same text as stored document ``doc_id``) appeared under its publisher, url and date.

    Returns False when nothing is new: no publisher, url or date given, or
    that combination is already recorded for the document.
    """
    who = _reviewer_name(added_by, field="added_by")
    if not (doc.publisher or doc.url or doc.published):
        return False
    want = _key(doc.publisher, doc.url, doc.published)

    def work(conn) -> bool:
        known = [_key(a.publisher, a.url, a.published) for a in _appearances(conn, doc_id)] \
            if _is_db_id(doc_id) else []
        if not known:
            raise NotFoundError(f"document {doc_id} does not exist")
        if want in known:
            return False
        pid = store._publisher_id(conn, doc.publisher)
        conn.execute(document_appearances.insert().values(
            document_id=doc_id, publisher_id=pid, url=doc.url, published=doc.published, title=doc.title,
            added_by=who, added_at=_now()))
        conn.execute(documents.update().where(documents.c.id == doc_id)
                     .values(appearances=documents.c.appearances + 1))
        return True

    return store.transact(work)


def edit_document(store: Store, doc_id: int, *, reviewer: str, title: str | None = None,
                  publisher: str | None = None, published: dt.date | str | None = None) -> list[DocumentChange]:
    """Change a document's title, publisher or date (None keeps a field, "" clears it); return the changes.

    Each change is recorded in ``document_changes`` with ``reviewer``; the
    document's claims take the new publisher and date so filters follow.
    """
    who = _reviewer_name(reviewer, field="reviewer")
    if not who:
        raise BadInputError("reviewer: a reviewer name is required to edit a document")
    # the checks add_document and import apply (NUL, lone surrogates, name length)
    check_text("title", title)
    check_text("publisher", publisher, limit=MAX_NAME)
    if isinstance(published, str):
        try:
            published = dt.date.fromisoformat(published) if published.strip() else ""
        except ValueError:
            raise BadInputError(f"published: want a date YYYY-MM-DD, got {published!r}") from None
    if isinstance(published, dt.datetime):
        published = published.date()

    def work(conn) -> list[DocumentChange]:
        row = conn.execute(
            sa.select(documents.c.title, documents.c.published, documents.c.publisher_id, publishers.c.name)
            .select_from(documents.outerjoin(publishers, publishers.c.id == documents.c.publisher_id))
            .where(documents.c.id == doc_id)).first() if _is_db_id(doc_id) else None
        if row is None:
            raise NotFoundError(f"document {doc_id} does not exist")
        values: dict[str, Any] = {}
        copies: dict[str, Any] = {}
        changes = []
        now = _now()

        def change(field: str, old: Any, new: Any) -> None:
            changes.append(DocumentChange(doc_id, field, None if old in (None, "") else str(old),
                                          None if new in (None, "") else str(new), who, now))

        if title is not None and (title.strip() or None) != row.title:
            values["title"] = title.strip() or None
            change("title", row.title, values["title"])
        if publisher is not None and (publisher.strip() or None) != row.name:
            pid = store._publisher_id(conn, publisher.strip() or None)
            values["publisher_id"] = copies["publisher_id"] = pid
            change("publisher", row.name, publisher.strip() or None)
        if published is not None and (published or None) != row.published:
            values["published"] = copies["published"] = published or None
            change("published", row.published.isoformat() if row.published else None,
                   published.isoformat() if published else None)
        if values:
            conn.execute(documents.update().where(documents.c.id == doc_id).values(**values))
        if copies:
            conn.execute(claims.update().where(claims.c.document_id == doc_id).values(**copies))
        if changes:
            conn.execute(document_changes.insert(), [
                {"document_id": c.document_id, "field": c.field, "old": c.old, "new": c.new,
                 "reviewer": c.reviewer, "at": c.at} for c in changes])
        return changes

    return store.transact(work)


def document_history(store: Store, doc_id: int) -> list[DocumentChange]:
    """Return every change to a document's title, publisher and date, oldest first."""
    if not _is_db_id(doc_id):
        return []
    with store.read() as conn:
        rows = conn.execute(sa.select(document_changes).where(document_changes.c.document_id == doc_id)
                            .order_by(document_changes.c.id)).mappings().all()
    return [DocumentChange(r["document_id"], r["field"], r["old"], r["new"], r["reviewer"], r["at"]) for r in rows]


def _jsonable(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return v


def _referencing(column: sa.Column) -> list[tuple[sa.Table, sa.Column]]:
    """Return every (table, column) on the shared metadata with a foreign key to ``column``."""
    out = []
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column is column:
                out.append((table, fk.parent))
    return out


def delete_document(store: Store, doc_id: int, *, reviewer: str, actor=None) -> DeleteReport:
    """Remove a document, its claims and every row pointing at them; keep all of it in ``deleted_documents``.

    ``actor`` (a claims.team Actor) must be an editor once roles are set up.
    Raises NotFoundError for an unknown id, BadInputError without a reviewer
    and ForbiddenError for a reviewer who is not an editor.
    """
    from claims.migrations import load_models
    from claims.team.roles import Permission, require

    if actor is not None:
        require(actor, Permission.DELETE_DOCUMENTS)

    load_models()  # every table that may point at claims or documents (compare, team, ...)
    who = _reviewer_name(reviewer, field="reviewer")
    if not who:
        raise BadInputError("reviewer: a reviewer name is required to delete a document")

    def rows(conn, table: sa.Table, where) -> list[dict[str, Any]]:
        return [{k: _jsonable(v) for k, v in r.items()} for r in conn.execute(sa.select(table).where(where)).mappings()]

    def work(conn) -> DeleteReport:
        doc = conn.execute(sa.select(documents).where(documents.c.id == doc_id)).mappings().first() \
            if _is_db_id(doc_id) else None
        if doc is None:
            raise NotFoundError(f"document {doc_id} does not exist")
        claim_rows = rows(conn, claims, claims.c.document_id == doc_id)
        ids = [c["id"] for c in claim_rows]
        fps = [c["fingerprint"] for c in claim_rows]
        record: dict[str, Any] = {"document": {k: _jsonable(v) for k, v in doc.items()}, "claims": claim_rows}
        # rows keyed by claim id (reviews, review_history, team votes, ...), deepest first
        for table, col in _referencing(claims.c.id):
            record[table.name] = rows(conn, table, col.in_(ids)) if ids else []
        members = metadata.tables.get("compare_members")
        if members is not None and fps:
            record["compare_members"] = rows(conn, members, members.c.fingerprint.in_(fps))
        for table, col in _referencing(documents.c.id):
            if table is not claims and table is not documents:
                record[table.name] = rows(conn, table, col == doc_id)
        reviewed = sum(1 for r in record.get("reviews", []) if r.get("version"))
        audit_id = conn.execute(deleted_documents.insert().values(
            document_id=doc_id, content_hash=doc["content_hash"], title=doc["title"], claims=len(ids),
            reviewed=reviewed, record=json.loads(json.dumps(record, default=str)), deleted_by=who,
            deleted_at=_now()).returning(deleted_documents.c.id)).scalar_one()
        if ids:
            for table, col in _referencing(claims.c.id):
                conn.execute(table.delete().where(col.in_(ids)))
        if members is not None and fps:
            conn.execute(members.delete().where(members.c.fingerprint.in_(fps)))
        conn.execute(claims.delete().where(claims.c.document_id == doc_id))
        for table, col in _referencing(documents.c.id):
            if table is not claims and table is not documents:
                conn.execute(table.delete().where(col == doc_id))
        # a later version of this article (documents.previous_id) now follows the one before it
        conn.execute(documents.update().where(documents.c.previous_id == doc_id)
                     .values(previous_id=doc["previous_id"]))
        conn.execute(documents.delete().where(documents.c.id == doc_id))
        return DeleteReport(doc_id, doc["title"], len(ids), reviewed, audit_id)

    return store.transact(work)
