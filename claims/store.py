"""Claim store: documents, claims, reviews, review history and publishers over one SQLAlchemy URL.

SQLite (default, one file) and PostgreSQL (teams, via psycopg 3) share one
schema, created and upgraded by Alembic (``claims/migrations``) every time a
:class:`Store` opens. Reviews use optimistic concurrency: each claim has one
current review row with a ``version`` that every accepted change increments,
and every changed field is appended to ``review_history`` in the same
transaction, so no review is lost or silently overwritten.

Other modules may add their own tables to :data:`metadata` (and an Alembic
revision chained on the current head) and run their own statements through
:attr:`Store.engine`, :meth:`Store.read` and :meth:`Store.write`.
"""
from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import functools
import math
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from claims.constants import ORDERS, PUBLISHER_GRADES  # noqa: F401 (re-exported: store.ORDERS, store.PUBLISHER_GRADES)
from claims.errors import BadInputError, ConflictError, NotFoundError, StoreError
from claims.filters import BY_FIELD as FILTERS_BY_FIELD, FILTERS, is_set, plain
from claims.model import (
    CORRECTABLE_FIELDS, MANUAL_RULE, Claim, ClaimFilter, ClaimRecord, Document, DocumentIn, HistoryEntry, Kind,
    Outcome, Verdict,
)
from claims.settings import setting

T = TypeVar("T")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

FACET_FIELDS = tuple(f.facet for f in FILTERS if f.facet)  # claims/filters.py: filters countable by value
_FACET_COLUMN = {f.facet: f.column for f in FILTERS if f.facet}
# facets counted by publisher id, then named by a column of publishers
_PUBLISHER_FACETS = {"publisher": "name", "grade": "grade"}

WRITE_ATTEMPTS = 5
INSERT_BATCH = 2000  # claims per INSERT: bounds memory for very long documents
# re-extraction of a long document: claims per transaction, and a pause between them in which a reviewer
# waiting for SQLite's one write lock gets it (one transaction for 470,000 claims held it for minutes)
REEXTRACT_BATCH = 5000
REEXTRACT_PAUSE = 0.02
SQLITE_BUSY_TIMEOUT_MS = 5000

# ---------------------------------------------------------------- schema
metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

UTCDateTime = sa.DateTime(timezone=True)

publishers = sa.Table(
    "publishers", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("domain", sa.String(255)),
    sa.Column("grade", sa.String(1)),
    sa.Column("note", sa.Text),
)

documents = sa.Table(
    "documents", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("title", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("publisher_id", sa.Integer, sa.ForeignKey("publishers.id"), index=True),
    sa.Column("published", sa.Date, index=True),
    sa.Column("ingested_at", UTCDateTime, nullable=False),
    sa.Column("filename", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("added_by", sa.String(200)),  # who uploaded, pasted or ingested it (NULL: nobody named)
    # an invented example (seeds/fictional): badged wherever shown, left out of exports unless asked for
    sa.Column("fictional", sa.Boolean, nullable=False, server_default=sa.false()),
    # how many more times the same text was seen under another publisher, url or date (claims.documents)
    sa.Column("appearances", sa.Integer, nullable=False, server_default="0"),
    sa.Column("author", sa.Text),
    # claims.pages.canonical_url of the article's address: one key for its tracking, AMP and mobile URLs
    sa.Column("canonical_url", sa.Text, index=True),
    # the earlier version of the same article (re-fetched with changed text); NULL for a first version
    sa.Column("previous_id", sa.Integer, sa.ForeignKey("documents.id"), index=True),
)

document_urls = sa.Table(
    # every address an article was fetched or named at (claims.pages.canonical_url keys), so the same
    # article through another link, or a feed entry already read, is found without fetching it again
    "document_urls", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
    sa.Column("url", sa.Text, nullable=False, index=True),
    sa.UniqueConstraint("document_id", "url"),
)

claims = sa.Table(
    "claims", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
    sa.Column("fingerprint", sa.String(32), nullable=False),
    sa.Column("extractor_version", sa.String(40), nullable=False),
    # the extraction record, as the extractor produced it
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("span_start", sa.Integer, nullable=False),
    sa.Column("span_end", sa.Integer, nullable=False),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("sentence", sa.Text, nullable=False),
    sa.Column("low", sa.Float),
    sa.Column("high", sa.Float),
    sa.Column("approximate", sa.Boolean, nullable=False),
    sa.Column("outcome", sa.String(20), index=True),
    sa.Column("subject", sa.Text),
    sa.Column("unit", sa.Text),
    sa.Column("date", sa.String(32)),
    sa.Column("duration", sa.String(40)),
    sa.Column("attributed_to", sa.Text),
    sa.Column("rule", sa.Text, nullable=False),
    # the words naming the figure's source (text[source_start:source_end]); attributed_to is its canonical name
    sa.Column("source_quote", sa.Text),
    sa.Column("source_start", sa.Integer),
    sa.Column("source_end", sa.Integer),
    # kept because it has a review although the current extractor no longer finds it
    sa.Column("orphaned", sa.Boolean, nullable=False),
    # copies of the document's publisher and date so filters need no join
    sa.Column("publisher_id", sa.Integer, sa.ForeignKey("publishers.id")),
    sa.Column("published", sa.Date),  # indexed with the document order (below)
    # values filters use: the reviewer's correction if any, else the extracted value
    sa.Column("eff_low", sa.Float),
    sa.Column("eff_high", sa.Float),
    sa.Column("eff_date_start", sa.Date, index=True),  # first day of the (corrected) date
    sa.Column("eff_date_end", sa.Date),                # last day: "2021-11" covers 11-01..11-30
    sa.Column("fig_min", sa.Float, index=True),        # coalesce(eff_low, eff_high): "at most N" filters
    sa.Column("fig_max", sa.Float),                    # coalesce(eff_high, eff_low): "at least N" filters
    sa.Column("eff_source", sa.Text, index=True),       # the (corrected) attributed_to: the Source filter
    # copies of the current review's verdict and reviewer (reviews is the record) so filters and
    # facet counts read one table; review() updates both in the same transaction
    sa.Column("verdict", sa.String(20), nullable=False, server_default="unreviewed"),
    sa.Column("reviewer", sa.String(200), index=True),
    # where the claim stands in (team) review: a ReviewState value (claims.team.votes keeps it in step)
    sa.Column("review_state", sa.String(20), nullable=False, server_default="unreviewed"),
    # lower-cased quote, subject, attribution, sentence (extracted and corrected) for the text filter
    sa.Column("search", sa.Text, nullable=False, server_default=""),
    sa.UniqueConstraint("document_id", "fingerprint"),
)

reviews = sa.Table(
    "reviews", metadata,
    # one row per claim, created with it at version 0 (unreviewed)
    sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id"), primary_key=True),
    sa.Column("verdict", sa.String(20), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("corrected", sa.JSON, nullable=False),
    sa.Column("evidence_url", sa.Text),
    sa.Column("reviewer", sa.String(200)),
    sa.Column("reviewed_at", UTCDateTime),
    sa.Column("version", sa.Integer, nullable=False),
)

review_history = sa.Table(
    "review_history", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id"), nullable=False, index=True),
    sa.Column("fingerprint", sa.String(32), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("field", sa.String(40), nullable=False),
    sa.Column("old", sa.JSON),
    sa.Column("new", sa.JSON),
    sa.Column("reviewer", sa.String(200), nullable=False, index=True),
    sa.Column("at", UTCDateTime, nullable=False),
)

publisher_history = sa.Table(
    # append-only: one row per changed publisher field, written with the change in one transaction
    "publisher_history", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("publisher_id", sa.Integer, sa.ForeignKey("publishers.id"), nullable=False, index=True),
    sa.Column("field", sa.String(40), nullable=False),
    sa.Column("old", sa.Text),
    sa.Column("new", sa.Text),
    sa.Column("reviewer", sa.String(200)),  # NULL only for scripts that name nobody; the dashboard always does
    sa.Column("at", UTCDateTime, nullable=False),
)

def _counts_table(name: str, key: tuple[str, ...], *, covering: bool = False) -> sa.Table:
    """Declare a table of claims counted per combination of the claims columns ``key`` (their types), indexed on it.

    ``covering`` puts the count in the index too, so a range of a large table is summed from the index alone.
    """
    table = sa.Table(
        name, metadata,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        *(sa.Column(c, claims.c[c].type, nullable=claims.c[c].nullable) for c in key),
        sa.Column("n", sa.BigInteger, nullable=False),
    )
    sa.Index(f"ix_{name}_key", *(table.c[c] for c in key), *([table.c.n] if covering else []))
    return table


# claims counted per combination of the columns the category filters and facets read, kept by triggers in the
# transaction of every claims write (migration 0015): SQLite keeps one row per combination; PostgreSQL's
# writers insert delta rows (never updating one, so parallel writers never wait on each other) that readers
# sum and Store.compact_counts folds together
COUNTED_COLUMNS = ("publisher_id", "kind", "outcome", "verdict", "reviewer", "review_state")
claim_counts = _counts_table("claim_counts", COUNTED_COLUMNS)
# the same per publication day and per event-date interval, with the dashboard's facet columns (migration
# 0017): a date range with or without publisher, kind and verdict is counted by summing the range's rows
# (a few per day and combination) instead of reading every matching claim
claim_published_counts = _counts_table("claim_published_counts", ("published", "publisher_id", "kind", "verdict"),
                                       covering=True)
claim_event_counts = _counts_table("claim_event_counts",
                                   ("eff_date_start", "eff_date_end", "publisher_id", "kind", "verdict"),
                                   covering=True)
# one facet column per publication day (migration 0018): a publication-date range alone has its verdict, kind
# and publisher counts each summed from a few rows per day (three months at a million claims: about 540, 450
# and 1,900 rows) instead of grouping the range's 20,947 combinations in claim_published_counts
claim_published_verdict_counts = _counts_table("claim_published_verdict_counts", ("published", "verdict"),
                                               covering=True)
claim_published_kind_counts = _counts_table("claim_published_kind_counts", ("published", "kind"), covering=True)
claim_published_publisher_counts = _counts_table("claim_published_publisher_counts", ("published", "publisher_id"),
                                                 covering=True)
DAY_FACET_TABLES = (claim_published_verdict_counts, claim_published_kind_counts, claim_published_publisher_counts)
# the tables Store.facet_summary, count_claims and facets answer from, tried in this order (the per-facet ones
# only for a facet each, when claim_published_counts would answer: Store._counted_facets)
COUNT_TABLES = (claim_counts, claim_published_counts, claim_event_counts, *DAY_FACET_TABLES)


def counted_columns(table: sa.Table) -> tuple[str, ...]:
    """Return the claims columns a counts table counts by (its columns but the id and the count)."""
    return tuple(c.name for c in table.c if c.name not in ("id", "n"))


_PUBLISHERS = publishers  # list_documents has a parameter of the same name

# composite indexes for the dashboard's common "filter then page" queries
sa.Index("ix_claims_document_id_span_start", claims.c.document_id, claims.c.span_start)
# the dashboard's commonest filters, each followed by the default (document) order, so the first
# page of e.g. "unreviewed" comes straight off the index instead of sorting every match
for _col in ("kind", "verdict", "publisher_id", "review_state"):
    sa.Index(f"ix_claims_{_col}_document_id_span_start", claims.c[_col], claims.c.document_id, claims.c.span_start)
del _col
# a range filter reads both bounds from the index: counting "figure 100..1000" needs no table rows
sa.Index("ix_claims_fig_max_fig_min", claims.c.fig_max, claims.c.fig_min)
# event-date overlap (end >= from, start <= to) tested in the index, with the dashboard's facet columns so
# its counts read no table rows (migration 0016)
sa.Index("ix_claims_eff_dates_facets", claims.c.eff_date_end, claims.c.eff_date_start, claims.c.verdict,
         claims.c.kind, claims.c.publisher_id)
# a publication-date range's first page in document order, ids and order from the index alone (migration 0016)
sa.Index("ix_claims_published_document_id_span_start", claims.c.published, claims.c.document_id,
         claims.c.span_start)


# ---------------------------------------------------------------- records
@dataclass(slots=True)
class PublisherInfo:
    """A publisher (source) with its reliability grade and how many of its claims got which verdict."""

    name: str
    domain: str | None = None
    grade: str | None = None
    note: str | None = None
    document_count: int = 0
    claim_count: int = 0
    verdict_counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "domain": self.domain, "grade": self.grade, "note": self.note,
                "document_count": self.document_count, "claim_count": self.claim_count,
                "verdict_counts": dict(self.verdict_counts)}


@dataclass(slots=True)
class PublisherChange:
    """One change to a publisher's domain, grade or note: what it was, what it became, who, when."""

    publisher: str
    field: str
    old: str | None
    new: str | None
    reviewer: str | None
    at: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        return {"publisher": self.publisher, "field": self.field, "old": self.old, "new": self.new,
                "reviewer": self.reviewer, "at": self.at.isoformat()}



def alembic_config():
    """Return the Alembic configuration of this package's migrations (the one place that names them)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    return cfg


@dataclass(slots=True)
class StoredDocument:
    """What :meth:`Store.add_documents` did with one document."""

    document_id: int
    created: bool        # False: the same text was stored already (nothing written for it)
    claims: int = 0      # claims stored with it (when created)
    carried: int = 0     # reviews taken over from its previous version's unchanged claims

    @property
    def pair(self) -> tuple[int, bool]:
        return self.document_id, self.created


@dataclass(slots=True)
class FacetSummary:
    """How many claims match a filter and how they split by facet; ``approximate`` marks estimates ("about N").

    Exact whenever the filter matches at most :data:`EXACT_UP_TO` claims;
    beyond that both the total and the counts are estimated from a fixed
    sample of the store (:meth:`Store.facet_summary`) and rounded to two
    significant figures, so they never claim more precision than they have.
    """

    total: int
    facets: dict[str, dict[str, int]]
    approximate: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "facets": {f: dict(c) for f, c in self.facets.items()},
                "approximate": self.approximate}


@dataclass(slots=True)
class ReextractReport:
    """What re-extracting one document did to its stored claims."""

    document_id: int
    kept: int = 0                     # same fingerprint: id and review kept, values refreshed
    added: int = 0
    removed: int = 0                  # unreviewed claims the extractor no longer finds
    orphaned: list[int] = field(default_factory=list)   # reviewed claims no longer found: kept, flagged
    restored: list[int] = field(default_factory=list)   # orphaned claims found again

    def merge(self, other: "ReextractReport") -> None:
        """Add what another part of the same re-extraction did."""
        self.kept += other.kept
        self.added += other.added
        self.removed += other.removed
        self.orphaned.extend(other.orphaned)
        self.restored.extend(other.restored)

    def to_dict(self) -> dict[str, Any]:
        return {"document_id": self.document_id, "kept": self.kept, "added": self.added,
                "removed": self.removed, "orphaned": list(self.orphaned), "restored": list(self.restored)}


# ---------------------------------------------------------------- helpers
def default_url() -> str:
    """Return the database URL from CLAIMS_DB_URL, else a SQLite file in CLAIMS_DATA_DIR (created)."""
    url = setting("CLAIMS_DB_URL")
    if url:
        return url
    folder = Path(setting("CLAIMS_DATA_DIR")).expanduser().resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"cannot create data folder {folder}: {e.strerror or e}") from None
    return f"sqlite:///{folder / 'claims.db'}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite hands back naive datetimes; everything we write is UTC
    if value is None:
        return None
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DURATION_RE = re.compile(r"^P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?"
                          r"(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$")


def date_bounds(value: str | None) -> tuple[dt.date | None, dt.date | None]:
    """Return the first and last day an ISO date of any precision (YYYY, YYYY-MM, YYYY-MM-DD) covers."""
    if not value:
        return None, None
    m = _DATE_RE.match(value)
    if not m:
        return None, None
    try:
        y = int(m.group(1))
        if m.group(3):
            d = dt.date(y, int(m.group(2)), int(m.group(3)))
            return d, d
        if m.group(2):
            mo = int(m.group(2))
            return dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    except ValueError:
        return None, None


def _number(name: str, value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadInputError(f"{name}: want a number, got {value!r}")
    try:
        x = float(str(value).replace(",", "")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise BadInputError(f"{name}: want a number, got {value!r}") from None
    if not math.isfinite(x):
        raise BadInputError(f"{name}: want a finite number, got {value!r}")
    return x


def _boolean(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    if s in ("true", "yes", "1", "y"):
        return True
    if s in ("false", "no", "0", "n", ""):
        return False
    raise BadInputError(f"{name}: want true or false, got {value!r}")


def _text(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise BadInputError(f"{name}: want text, got {value!r}")
    s = check_text(name, str(value)).strip()
    return s or None


MAX_NAME = 200  # reviewer and publisher names (the columns' width)
MAX_VERSION = 2**31 - 1  # the version column is a 32-bit integer on PostgreSQL


def check_text(name: str, value: Any, *, limit: int | None = None) -> Any:
    """Return ``value`` if it is None or text a database can store; else raise BadInputError naming ``name``.

    Refuses NUL characters (PostgreSQL cannot store them), lone surrogates
    (not encodable as UTF-8) and, with ``limit``, text longer than that.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadInputError(f"{name}: want text, got {type(value).__name__}")
    if "\x00" in value:
        raise BadInputError(f"{name}: contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise BadInputError(f"{name}: not valid Unicode (lone surrogate at character {e.start})") from None
    if limit is not None and len(value) > limit:
        raise BadInputError(f"{name}: longer than {limit} characters ({len(value)})")
    return value


def check_json_value(name: str, value: Any, *, depth: int = 0) -> Any:
    """Return ``value`` if it is plain JSON that round-trips (finite numbers, clean text, shallow); else raise."""
    if depth > 20:
        raise BadInputError(f"{name}: nested too deeply")
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise BadInputError(f"{name}: want a finite number, got {value!r}")
        return value
    if isinstance(value, str):
        return check_text(name, value)
    if isinstance(value, list):
        return [check_json_value(name, v, depth=depth + 1) for v in value]
    if isinstance(value, dict):
        return {check_text(name, k): check_json_value(name, v, depth=depth + 1) for k, v in value.items()}
    raise BadInputError(f"{name}: want a JSON value, got {type(value).__name__}")


def check_document(*, label: str, text: Any, title: Any = None, url: Any = None, publisher: Any = None,
                   filename: Any = None) -> None:
    """Raise BadInputError (naming ``label`` and the field) unless a document's fields can be stored as given.

    The one check of a document: ``Store.add_document`` and the importer call it.
    """
    if not isinstance(text, str) or not text.strip():
        raise BadInputError(f"{label}: text is empty")
    if "\x00" in text:
        raise BadInputError(f"{label}: text contains NUL bytes")
    check_text(f"{label}: text", text)
    for name, value in (("title", title), ("filename", filename)):
        check_text(f"{label}: {name}", value)
    if publisher is not None:
        check_text(f"{label}: publisher", publisher, limit=MAX_NAME)
    if url is not None:
        _check_url(f"{label}: url", check_text(f"{label}: url", url))


def check_figures(kind: Kind | str, low: Any, high: Any) -> None:
    """Raise BadInputError unless low <= high and a count of people (casualties, force size) is not negative."""
    if low is not None and high is not None and float(low) > float(high):
        raise BadInputError(f"low/high: low {low:g} is above high {high:g}")
    if Kind(kind) in (Kind.CASUALTIES, Kind.FORCE_SIZE):
        for name, x in (("low", low), ("high", high)):
            if x is not None and float(x) < 0:
                raise BadInputError(f"{name}: {x:g} people? a {Kind(kind).value} count cannot be negative")


@dataclass(frozen=True, slots=True)
class ReviewIn:
    """A review as every write path (review, import) accepts it: validated and normalised."""

    verdict: Verdict
    reviewer: str | None
    note: str | None
    evidence_url: str | None
    corrected: dict[str, Any]


def validate_review(*, verdict: Any, reviewer: Any, note: Any = None, evidence_url: Any = None,
                    corrected: Any = None, reviewer_required: bool = True) -> ReviewIn:
    """Return the review fields checked and normalised; raise BadInputError naming the first bad field.

    The one validation of a review: ``Store.review`` and the importer both
    call it. ``note``/``evidence_url`` stay None when None (keep) and become
    "" when blank (clear).
    """
    v = parse_verdict(verdict)
    if reviewer is None and not reviewer_required:
        who = None
    else:
        if reviewer is not None and not isinstance(reviewer, str):
            reviewer = str(reviewer)
        who = check_text("reviewer", (reviewer or "").strip())
        if not who:
            raise BadInputError("reviewer: a reviewer name is required")
        if len(who) > MAX_NAME:
            raise BadInputError(f"reviewer: name longer than {MAX_NAME} characters")
    if corrected is not None and not isinstance(corrected, dict):
        raise BadInputError("corrected: want an object of field -> corrected value")
    fixes = {k: validate_correction(k, val) for k, val in (corrected or {}).items()}
    if evidence_url is not None:
        evidence_url = _check_url("evidence_url", check_text("evidence_url", evidence_url)) or ""
    if note is not None:
        note = check_text("note", note).strip()
    return ReviewIn(verdict=v, reviewer=who, note=note, evidence_url=evidence_url, corrected=fixes)


def validate_correction(name: str, value: Any) -> Any:
    """Return ``value`` normalised for the correctable field ``name``; raise BadInputError naming the field."""
    if name not in CORRECTABLE_FIELDS:
        raise BadInputError(f"{name}: not a correctable field (choose from {', '.join(CORRECTABLE_FIELDS)})")
    if name in ("low", "high"):
        x = _number(name, value)
        return int(x) if x is not None and x.is_integer() else x
    if name == "approximate":
        return _boolean(name, value)
    if name == "outcome":
        s = _text(name, value)
        if s is None:
            return None
        try:
            return Outcome(s.lower()).value
        except ValueError:
            raise BadInputError(f"outcome: want one of {', '.join(o.value for o in Outcome)}, got {value!r}") from None
    if name == "date":
        s = _text(name, value)
        if s is None:
            return None
        if date_bounds(s) == (None, None):
            raise BadInputError(f"date: want an ISO date YYYY-MM-DD, YYYY-MM or YYYY, got {value!r}")
        return s
    if name == "duration":
        s = _text(name, value)
        if s is None:
            return None
        s = s.upper()
        if not _DURATION_RE.match(s):
            raise BadInputError(f"duration: want an ISO 8601 duration such as P3D, P2W, PT8H, got {value!r}")
        return s
    return _text(name, value)


def parse_verdict(value: Any) -> Verdict:
    """Return the Verdict named by ``value``; raise BadInputError listing the choices."""
    if isinstance(value, Verdict):
        return value
    try:
        return Verdict(str(value).strip().lower())
    except ValueError:
        raise BadInputError(f"verdict: want one of {', '.join(v.value for v in Verdict)}, got {value!r}") from None


def _reviewer_name(value: str | None, *, field: str = "reviewer") -> str | None:
    """Return a stripped reviewer name, None for None; raise BadInputError for a blank or too long one."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise BadInputError(f"{field}: name must not be empty")
    check_text(field, value)
    if len(value.strip()) > 200:
        raise BadInputError(f"{field}: name longer than 200 characters")
    return value.strip()


def _check_url(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    s = value.strip()
    if not s:
        return None
    if not re.match(r"^https?://[^\s/]+\S*$", s, re.I):
        raise BadInputError(f"{name}: want an http(s) URL, got {value!r}")
    return s


def _claim_values(c: Claim) -> dict[str, Any]:
    return {
        "kind": Kind(c.kind).value, "span_start": int(c.start), "span_end": int(c.end),
        "quote": c.quote, "sentence": c.sentence or "",
        "low": None if c.low is None else float(c.low), "high": None if c.high is None else float(c.high),
        "approximate": bool(c.approximate), "outcome": Outcome(c.outcome).value if c.outcome else None,
        "subject": c.subject, "unit": c.unit, "date": c.date, "duration": c.duration,
        "attributed_to": c.attributed_to, "rule": c.rule or "",
        "source_quote": c.source_quote, "source_start": c.source_start, "source_end": c.source_end,
    }


CLAIM_VALUE_KEYS = ("kind", "span_start", "span_end", "quote", "sentence", "low", "high", "approximate", "outcome",
                    "subject", "unit", "date", "duration", "attributed_to", "rule")  # what _claim_values returns

FTS_TABLE = "claims_fts"  # SQLite's trigram index over claims.search (migration 0014)
TRIGRAM = 3  # a search shorter than this has no trigram: it scans
# Store.facet_summary: filters matching up to this many claims are counted exactly (a bounded count reads at
# most this many matches); larger ones are estimated from SAMPLE_SIZE ids in runs of SAMPLE_RUN consecutive
# ids evenly spaced over the whole id range (3% of a million claims, read by primary key)
EXACT_UP_TO = 10_000
# PostgreSQL: a filter the planner expects to match more than this many times EXACT_UP_TO goes straight to
# the sample; below it, the bounded count decides
PLAN_FAR_ABOVE = 2
SAMPLE_SIZE = 30_000
SAMPLE_RUN = 20
# PostgreSQL: a read of claim_counts that sums more delta rows than this (and than twice what the last
# compaction left) compacts the table; a million claims make about 4,500 combinations
COUNTS_COMPACT_AT = 20_000
COUNTS_LOCK_KEY = 7261525  # pg_try_advisory_xact_lock key of Store.compact_counts (Store.migrate uses 7261524)
# filter lookups (claims/filters.py) whose rows are never renamed or deleted: a name's id, once read, stays
NAMES_LOOKUP = "publishers.name"
STABLE_LOOKUPS = (NAMES_LOOKUP,)
TEXT_PROBE_TTL = 5.0  # seconds a trigram-index hit count steers the plan (never the result) of later queries
SEARCH_SEPARATOR = "\x1f"  # between fields, so a search never matches across two of them


def about(n: float) -> int:
    """Return the estimate ``n`` rounded to two significant figures (243,517 -> 240,000)."""
    n = int(round(n))
    if n < 100:
        return n
    unit = 10 ** (len(str(n)) - 2)
    return int(round(n / unit)) * unit


def search_text(values: dict[str, Any], corrected: dict[str, Any]) -> str:
    """Return the lower-cased text the ``text`` filter searches: quote, subject, attribution, sentence."""
    parts = [values.get("quote"), values.get("subject"), values.get("attributed_to"), values.get("sentence"),
             corrected.get("subject"), corrected.get("attributed_to")]
    return SEARCH_SEPARATOR.join(str(p).lower() for p in parts if p)


def _effective_values(values: dict[str, Any], corrected: dict[str, Any]) -> dict[str, Any]:
    """Return the filter columns for extracted ``values`` under the reviewer's ``corrected`` fields."""
    low = corrected["low"] if "low" in corrected else values["low"]
    high = corrected["high"] if "high" in corrected else values["high"]
    date = corrected["date"] if "date" in corrected else values["date"]
    start, end = date_bounds(date)
    low = None if low is None else float(low)
    high = None if high is None else float(high)
    return {"eff_low": low, "eff_high": high, "eff_date_start": start, "eff_date_end": end,
            "fig_min": low if low is not None else high, "fig_max": high if high is not None else low,
            "eff_source": corrected["attributed_to"] if "attributed_to" in corrected else values.get("attributed_to"),
            "search": search_text(values, corrected)}


def claim_row(c: Claim, *, corrected: dict[str, Any], **columns: Any) -> dict[str, Any]:
    """Return the whole ``claims`` row for extracted claim ``c`` under ``corrected``, plus ``columns``.

    The one mapping from a claim to its row: ingest, re-extraction, review and
    import all write the extraction record and its filter copies (corrected
    bounds and dates, the lower-cased search text) through it, so a claim
    filters and searches the same however it got into the store.
    """
    values = _claim_values(c)
    return {**values, **_effective_values(values, corrected), **columns}


def _same_value(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    return a == b


def _json_value(v: Any) -> Any:
    """Return ``v`` as history stores values: whole floats as ints, enums as their value."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return getattr(v, "value", v)


def _is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, OperationalError):
        msg = str(exc.orig if getattr(exc, "orig", None) is not None else exc).lower()
        if "database is locked" in msg or "database table is locked" in msg or "busy" in msg:
            return True
    if isinstance(exc, DBAPIError):
        code = getattr(getattr(exc, "orig", None), "sqlstate", None)
        # serialization_failure, deadlock_detected
        if code in ("40001", "40P01"):
            return True
    return False


def _mask_url(url: str) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


# ---------------------------------------------------------------- store
class Store:
    """Open the claim database at ``url`` (or the configured default) and migrate it to the latest schema."""

    def __init__(self, url: str | None = None, *, migrate: bool = True, echo: bool = False,
                 busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS, write_attempts: int = WRITE_ATTEMPTS) -> None:
        self.url = url or default_url()
        self._text_probe: dict[tuple[str, ...], tuple[float, int]] = {}
        self._lookups: dict[str, dict[str, int]] = {}  # Store._lookup_ids: filter lookup -> {name: id}
        self._counts_compacted = 0  # claim_counts rows this store's last compaction left (PostgreSQL)
        self.busy_timeout_ms = max(0, int(busy_timeout_ms))
        self.write_attempts = max(1, int(write_attempts))
        try:
            parsed = sa.engine.make_url(self.url)
        except Exception:
            raise BadInputError(f"database URL: cannot parse {self.url!r} "
                                "(want sqlite:///path/claims.db or postgresql+psycopg://user@host/db)") from None
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise BadInputError(f"database URL: backend {self.dialect!r} is not supported (use sqlite or postgresql)")
        kwargs: dict[str, Any] = {"echo": echo, "future": True}
        if self.dialect == "sqlite":
            db = parsed.database or ""
            if db in ("", ":memory:") or db.startswith("file::memory:"):
                kwargs["poolclass"] = sa.pool.StaticPool
                kwargs["connect_args"] = {"check_same_thread": False}
            else:
                folder = Path(db).expanduser().resolve().parent
                if not folder.is_dir():
                    raise StoreError(f"cannot open {db}: folder {folder} does not exist")
                kwargs["connect_args"] = {"check_same_thread": False, "timeout": self.busy_timeout_ms / 1000}
        try:
            self.engine: Engine = sa.create_engine(parsed, **kwargs)
        except Exception as e:
            raise StoreError(f"cannot open database {_mask_url(self.url)}: {e}") from None
        if self.dialect == "sqlite":
            _configure_sqlite(self.engine, busy_timeout_ms=self.busy_timeout_ms)
        else:
            _configure_postgresql(self.engine)
        if migrate:
            self.migrate()

    # ------------------------------------------------------------ plumbing
    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    def analyze(self) -> None:
        """Refresh the query planner's statistics (run after large ingests; approximate on SQLite, so quick).

        Also folds the claim counts' delta rows on PostgreSQL (:meth:`compact_counts`).
        """
        self.compact_counts()
        try:
            with self.engine.connect() as conn:
                if self.dialect == "sqlite":
                    conn.exec_driver_sql("PRAGMA analysis_limit=2000")  # sample, do not read every row
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
        except DBAPIError:
            pass  # a busy database keeps its old statistics; queries stay correct, maybe slower

    def __repr__(self) -> str:
        return f"Store({_mask_url(self.url)!r})"

    def migrate(self) -> None:
        """Upgrade the schema to the newest Alembic revision (a no-op when already there)."""
        from alembic import command

        cfg = alembic_config()
        try:
            with self.write() as conn:
                if self.dialect == "postgresql":
                    # two processes opening a fresh database at once must not both create tables
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(7261524)"))
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                fresh = (self.dialect == "sqlite" and conn.exec_driver_sql(
                    "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").scalar() == 0)
        except (StoreError, BadInputError):
            raise
        except Exception as e:
            raise StoreError(f"cannot open or migrate database {_mask_url(self.url)}: {e}") from e
        if fresh:
            self.analyze()  # without statistics SQLite's planner picks poor indexes for the filters

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """Yield a connection for reading (one consistent snapshot on SQLite WAL)."""
        try:
            conn = self.engine.connect()
        except OperationalError as e:
            raise StoreError(f"cannot connect to {_mask_url(self.url)}: {e.orig}") from None
        raw, prepare = None, None
        if self.dialect == "postgresql":
            # no BEGIN and ROLLBACK around the reads: in READ COMMITTED (the default) every statement takes
            # its own snapshot inside a transaction too, so it gave no consistency, only two round trips per
            # read. psycopg's automatic prepared statements stay off (a ROLLBACK reset them before): a
            # generic plan would read every text search and publisher the same way
            conn.execution_options(isolation_level="AUTOCOMMIT")
            raw = conn.connection.dbapi_connection
            prepare, raw.prepare_threshold = raw.prepare_threshold, None
        try:
            yield conn
        finally:
            if raw is not None and not raw.closed:
                raw.prepare_threshold = prepare
            conn.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """Yield a connection inside one write transaction (BEGIN IMMEDIATE on SQLite), committed on exit.

        Taking the write lock is retried; the body is not (use :meth:`transact`
        to retry a whole unit of work on lock or serialization failures).
        """
        conn = None
        for attempt in range(self.write_attempts):
            try:
                conn = self.engine.connect()
                conn.execution_options(claims_write=True)
                trans = conn.begin()
                break
            except OperationalError as e:
                if conn is not None:
                    conn.close()
                    conn = None
                if not _is_retryable(e):
                    raise StoreError(f"cannot connect to {_mask_url(self.url)}: {e.orig}") from None
                if attempt == self.write_attempts - 1:
                    raise StoreError(f"database is busy: could not start a write after {self.write_attempts} attempts "
                                     "(another process holds the write lock); try again") from None
                time.sleep(0.05 * 2 ** attempt)
        assert conn is not None
        try:
            yield conn
            trans.commit()
        except BaseException:
            if trans.is_active:
                trans.rollback()
            raise
        finally:
            conn.close()

    def transact(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn(conn)`` in one write transaction, retrying it on lock and serialization failures."""
        for attempt in range(self.write_attempts):
            try:
                with self.write() as conn:
                    return fn(conn)
            except DBAPIError as e:
                if not _is_retryable(e):
                    raise
                if attempt == self.write_attempts - 1:
                    raise StoreError(f"database is busy: gave up after {self.write_attempts} attempts "
                                     f"({type(e.orig).__name__}); nothing was written, try again") from None
                time.sleep(0.05 * 2 ** attempt)
        raise AssertionError("unreachable")

    def schema_revision(self) -> str | None:
        """Return the Alembic revision the database is at."""
        with self.read() as conn:
            try:
                return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
            except DBAPIError:
                return None

    # ------------------------------------------------------------ publishers
    def _publisher_id(self, conn: Connection, name: str | None, *, create: bool = True) -> int | None:
        name = (name or "").strip()
        if not name:
            return None
        pid = conn.execute(sa.select(publishers.c.id).where(publishers.c.name == name)).scalar()
        if pid is None and create:
            # ON CONFLICT DO NOTHING: two writers adding documents of one new publisher at once both succeed
            insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
            conn.execute(insert(publishers).values(name=name).on_conflict_do_nothing(index_elements=["name"]))
            pid = conn.execute(sa.select(publishers.c.id).where(publishers.c.name == name)).scalar_one()
        return pid

    def set_publisher(self, name: str, *, domain: str | None = None, grade: str | None = None,
                      note: str | None = None, reviewer: str | None = None) -> list[PublisherChange]:
        """Create or update a publisher's domain, reliability grade (A-F) and note; None leaves a field, "" clears it.

        Each field whose value changes is appended to the publisher's history
        with ``reviewer`` in the same transaction; the changes are returned
        (empty when nothing changed). ``reviewer`` may be None only for
        scripts; the dashboard always names one.
        """
        name = (name or "").strip()
        if not name:
            raise BadInputError("publisher: name must not be empty")
        if len(name) > 200:
            raise BadInputError("publisher: name longer than 200 characters")
        who = _reviewer_name(reviewer)
        values: dict[str, Any] = {}
        if domain is not None:
            values["domain"] = domain.strip() or None
        if grade is not None:
            g = grade.strip().upper()
            if g and g not in PUBLISHER_GRADES:
                raise BadInputError(f"grade: want one of {', '.join(PUBLISHER_GRADES)} "
                                    f"({'; '.join(f'{k} {v}' for k, v in PUBLISHER_GRADES.items())}), got {grade!r}")
            values["grade"] = g or None
        if note is not None:
            values["note"] = note.strip() or None

        def work(conn: Connection) -> list[PublisherChange]:
            pid = self._publisher_id(conn, name)
            if not values:
                return []
            current = conn.execute(sa.select(publishers.c.domain, publishers.c.grade, publishers.c.note)
                                   .where(publishers.c.id == pid)).mappings().one()
            changed = {k: v for k, v in values.items() if current[k] != v}
            if not changed:
                return []
            at = _now()
            conn.execute(publishers.update().where(publishers.c.id == pid).values(**changed))
            rows = [{"publisher_id": pid, "field": k, "old": current[k], "new": v, "reviewer": who, "at": at}
                    for k, v in changed.items()]
            conn.execute(publisher_history.insert(), rows)
            return [PublisherChange(name, r["field"], r["old"], r["new"], who, at) for r in rows]

        return self.transact(work)

    def publisher_history(self, name: str) -> list[PublisherChange]:
        """Return every recorded change to publisher ``name``, oldest first (empty for an unknown name)."""
        q = (sa.select(publisher_history.c.field, publisher_history.c.old, publisher_history.c.new,
                       publisher_history.c.reviewer, publisher_history.c.at)
             .join(publishers, publishers.c.id == publisher_history.c.publisher_id)
             .where(publishers.c.name == (name or "").strip())
             .order_by(publisher_history.c.id))
        with self.read() as conn:
            return [PublisherChange(name.strip(), r.field, r.old, r.new, r.reviewer, _utc(r.at))
                    for r in conn.execute(q)]

    def list_publishers(self) -> list[PublisherInfo]:
        """Return every publisher with its grade, document and claim counts and verdict counts, by name."""
        with self.read() as conn:
            rows = conn.execute(sa.select(publishers).order_by(publishers.c.name)).mappings().all()
            docs = dict(conn.execute(sa.select(documents.c.publisher_id, sa.func.count())
                                     .where(documents.c.publisher_id.is_not(None))
                                     .group_by(documents.c.publisher_id)).all())
            counts: dict[int, dict[str, int]] = {}
            q = (sa.select(claims.c.publisher_id, claims.c.verdict, sa.func.count())
                 .where(claims.c.publisher_id.is_not(None))
                 .group_by(claims.c.publisher_id, claims.c.verdict))
            for pid, verdict, n in conn.execute(q):
                counts.setdefault(pid, {})[verdict] = n
        return [PublisherInfo(name=r["name"], domain=r["domain"], grade=r["grade"], note=r["note"],
                              document_count=docs.get(r["id"], 0),
                              claim_count=sum(counts.get(r["id"], {}).values()),
                              verdict_counts=counts.get(r["id"], {})) for r in rows]

    def list_sources(self) -> list[tuple[str, int, int, dict[str, int]]]:
        """Return who said the figures: (source, claims, documents, {verdict: count}) per speaker or body.

        The source is the claim's (corrected) canonical attribution; claims with
        none are left out. Most claims first, then by name.
        """
        with self.read() as conn:
            counts: dict[str, dict[str, int]] = {}
            for name, verdict, n in conn.execute(
                    sa.select(claims.c.eff_source, claims.c.verdict, sa.func.count())
                    .where(claims.c.eff_source.is_not(None)).group_by(claims.c.eff_source, claims.c.verdict)):
                counts.setdefault(name, {})[verdict] = n
            docs = dict(conn.execute(sa.select(claims.c.eff_source, sa.func.count(sa.distinct(claims.c.document_id)))
                                     .where(claims.c.eff_source.is_not(None)).group_by(claims.c.eff_source)).all())
        rows = [(name, sum(c.values()), docs.get(name, 0), c) for name, c in counts.items()]
        return sorted(rows, key=lambda r: (-r[1], r[0]))

    def get_publisher(self, name: str) -> PublisherInfo | None:
        """Return one publisher by exact name, or None."""
        for p in self.list_publishers():
            if p.name == name:
                return p
        return None

    # ------------------------------------------------------------ documents
    def document_id_for_hash(self, digest: str) -> int | None:
        """Return the id of the document whose text has sha256 ``digest``, or None."""
        with self.read() as conn:
            return conn.execute(sa.select(documents.c.id).where(documents.c.content_hash == digest)).scalar()

    def document_ids_for_hashes(self, digests: list[str]) -> dict[str, int]:
        """Return {sha256 digest: document id} for those of ``digests`` whose text is stored (one query per 500)."""
        wanted = sorted(set(digests))
        out: dict[str, int] = {}
        with self.read() as conn:
            for i in range(0, len(wanted), 500):
                out.update(conn.execute(sa.select(documents.c.content_hash, documents.c.id)
                                        .where(documents.c.content_hash.in_(wanted[i:i + 500]))).all())
        return out

    def add_document(self, doc: DocumentIn, claims_in: list[Claim], *, extractor_version: str,
                     added_by: str | None = None, previous_id: int | None = None) -> tuple[int, bool]:
        """Store a document and its claims in one transaction; return (id, created?).

        A document whose text is already stored (same content hash) is left
        untouched and its existing id is returned with ``False``. ``added_by``
        names who uploaded or ingested it (None only for scripts that name nobody).
        ``previous_id`` makes it the next version of that document: each claim
        that is unchanged there (same kind, outcome, quote and sentence) takes
        over that claim's review and review history.
        """
        return self.add_documents([(doc, claims_in, previous_id)], extractor_version=extractor_version,
                                  added_by=added_by)[0].pair

    def add_documents(self, items: list[tuple[DocumentIn, list[Claim], int | None]], *, extractor_version: str,
                      added_by: str | None = None) -> list[StoredDocument]:
        """Store several documents, each with its claims and previous version (or None), in one transaction.

        All or nothing: a document that cannot be stored (bad field, a
        previous version that does not exist) raises and stores none of them,
        so callers that must isolate a bad document retry one by one. Text
        already stored, or stored earlier in ``items``, is left untouched and
        comes back with ``created`` False. Returns one result per item, in order.
        """
        who = _reviewer_name(added_by, field="added_by")
        for doc, _, _ in items:
            check_document(label=doc.filename or "document", text=doc.text, title=doc.title, url=doc.url,
                           publisher=doc.publisher, filename=doc.filename)
            if doc.published is not None and not isinstance(doc.published, dt.date):
                raise BadInputError(f"published: want a date, got {doc.published!r}")
            if isinstance(doc.published, dt.datetime):
                doc.published = doc.published.date()
        digests = [doc.content_hash for doc, _, _ in items]

        def work(conn: Connection) -> list[StoredDocument]:
            known: dict[str, int] = {}
            wanted = sorted(set(digests))
            for i in range(0, len(wanted), 500):
                known.update(conn.execute(sa.select(documents.c.content_hash, documents.c.id)
                                          .where(documents.c.content_hash.in_(wanted[i:i + 500]))).all())
            first: dict[str, int] = {}
            new = [k for k, h in enumerate(digests) if h not in known and first.setdefault(h, k) == k]
            previous = sorted({items[k][2] for k in new if items[k][2] is not None})
            if previous:
                have = set(conn.execute(sa.select(documents.c.id).where(documents.c.id.in_(previous))).scalars())
                missing = [p for p in previous if p not in have]
                if missing:
                    raise NotFoundError(f"document {missing[0]} does not exist (previous version)")
            pids = {name: self._publisher_id(conn, name) for name in {items[k][0].publisher for k in new}}
            now = _now()
            rows = [{"content_hash": digests[k], "title": d.title, "url": d.url, "publisher_id": pids[d.publisher],
                     "published": d.published, "ingested_at": now, "filename": d.filename, "text": d.text,
                     "added_by": who, "fictional": bool(d.fictional), "author": d.author,
                     "canonical_url": d.canonical_url, "previous_id": items[k][2]}
                    for k in new for d in (items[k][0],)]
            ids = conn.execute(documents.insert().returning(documents.c.id, sort_by_parameter_order=True),
                               rows).scalars().all() if rows else []
            claim_ids = self._insert_claims_many(
                conn, [(doc_id, digests[k], pids[items[k][0].publisher], items[k][0].published, items[k][1])
                       for k, doc_id in zip(new, ids)], extractor_version)
            stored: dict[str, StoredDocument] = {}
            for k, doc_id, cids in zip(new, ids, claim_ids):
                doc, _, previous_id = items[k]
                self._add_urls(conn, doc_id, [doc.canonical_url, *doc.addresses])
                carried = self._carry_reviews(conn, previous_id, cids) if previous_id is not None else 0
                stored[digests[k]] = StoredDocument(doc_id, True, len(cids), carried)
            out = []
            for k, h in enumerate(digests):
                if h in known:
                    out.append(StoredDocument(known[h], False))
                elif first[h] != k:  # the same text twice in one batch: the second is already stored
                    out.append(StoredDocument(stored[h].document_id, False))
                else:
                    out.append(stored[h])
            return out

        try:
            return self.transact(work)
        except IntegrityError:
            # another writer stored one of these texts between our check and insert: the check now sees it
            return self.transact(work)

    def _insert_claims(self, conn: Connection, doc_id: int, digest: str, pid: int | None,
                       published: dt.date | None, claims_in: list[Claim], extractor_version: str) -> list[int]:
        return self._insert_claims_many(conn, [(doc_id, digest, pid, published, claims_in)], extractor_version)[0]

    def _insert_claims_many(self, conn: Connection,
                            docs: list[tuple[int, str, int | None, dt.date | None, list[Claim]]],
                            extractor_version: str) -> list[list[int]]:
        """Insert the claims (and empty reviews) of several documents; return each document's new claim ids."""
        out: list[list[int]] = [[] for _ in docs]
        params: list[dict[str, Any]] = []
        owners: list[int] = []

        def flush() -> None:
            if params:
                new = conn.execute(claims.insert().returning(claims.c.id, sort_by_parameter_order=True),
                                   params).scalars().all()
                conn.execute(reviews.insert(), [{"claim_id": i, "verdict": Verdict.UNREVIEWED.value,
                                                 "corrected": {}, "version": 0} for i in new])
                for owner, claim_id in zip(owners, new):
                    out[owner].append(claim_id)
                params.clear()
                owners.clear()

        for k, (doc_id, digest, pid, published, claims_in) in enumerate(docs):
            seen: set[str] = set()
            for c in claims_in:
                fp = c.fingerprint(digest)
                if fp in seen:  # the same span read twice is one claim
                    continue
                seen.add(fp)
                params.append(claim_row(c, corrected={}, document_id=doc_id, fingerprint=fp,
                                        extractor_version=extractor_version, orphaned=False, publisher_id=pid,
                                        published=published, verdict=Verdict.UNREVIEWED.value, reviewer=None))
                owners.append(k)
                if len(params) >= INSERT_BATCH:
                    flush()  # a huge document's parameters never all sit in memory at once
        flush()
        return out

    def _carry_reviews(self, conn: Connection, previous_id: int, new_ids: list[int]) -> int:
        """Give each new claim that is unchanged in the previous version that claim's review and history."""
        key_cols = (claims.c.kind, claims.c.outcome, claims.c.quote, claims.c.sentence)
        old: dict[tuple, list[Any]] = {}
        for r in conn.execute(
                sa.select(claims.c.id, *key_cols, reviews.c.verdict, reviews.c.note, reviews.c.corrected,
                          reviews.c.evidence_url, reviews.c.reviewer, reviews.c.reviewed_at, reviews.c.version)
                .select_from(claims.join(reviews, reviews.c.claim_id == claims.c.id))
                .where(claims.c.document_id == previous_id, reviews.c.version > 0)
                .order_by(claims.c.span_start, claims.c.id)):
            old.setdefault((r.kind, r.outcome, r.quote, r.sentence), []).append(r)
        if not old or not new_ids:
            return 0
        carried = 0
        for n in conn.execute(sa.select(claims).where(claims.c.id.in_(new_ids))
                              .order_by(claims.c.span_start, claims.c.id)).mappings().all():
            matches = old.get((n["kind"], n["outcome"], n["quote"], n["sentence"]))
            if not matches:
                continue
            o = matches.pop(0)  # the same sentence twice: first with first
            corrected = dict(o.corrected or {})
            values = {k: n[k] for k in CLAIM_VALUE_KEYS}
            conn.execute(reviews.update().where(reviews.c.claim_id == n["id"]).values(
                verdict=o.verdict, note=o.note, corrected=corrected, evidence_url=o.evidence_url,
                reviewer=o.reviewer, reviewed_at=o.reviewed_at, version=o.version))
            conn.execute(claims.update().where(claims.c.id == n["id"]).values(
                verdict=o.verdict, reviewer=o.reviewer, **_effective_values(values, corrected)))
            history = conn.execute(sa.select(review_history).where(review_history.c.claim_id == o.id)
                                   .order_by(review_history.c.id)).mappings().all()
            if history:
                conn.execute(review_history.insert(), [
                    {**{k: h[k] for k in ("version", "field", "old", "new", "reviewer", "at")},
                     "claim_id": n["id"], "fingerprint": n["fingerprint"]} for h in history])
            carried += 1
        return carried

    def _doc_select(self) -> sa.Select:
        n = (sa.select(sa.func.count()).where(claims.c.document_id == documents.c.id)
             .correlate(documents).scalar_subquery())
        later = sa.alias(documents, "later")
        nxt = (sa.select(sa.func.min(later.c.id)).where(later.c.previous_id == documents.c.id)
               .correlate(documents).scalar_subquery())
        return (sa.select(documents, publishers.c.name.label("publisher_name"), n.label("claim_count"),
                          nxt.label("next_id"))
                .select_from(documents.outerjoin(publishers, publishers.c.id == documents.c.publisher_id)))

    @staticmethod
    def _document(r: Any) -> Document:
        return Document(id=r["id"], content_hash=r["content_hash"], text=r["text"], title=r["title"], url=r["url"],
                        publisher=r["publisher_name"], published=r["published"], filename=r["filename"],
                        ingested_at=_utc(r["ingested_at"]), claim_count=r["claim_count"] or 0,
                        added_by=r["added_by"], fictional=bool(r["fictional"]), appearances=r["appearances"] or 0,
                        author=r["author"], canonical_url=r["canonical_url"],
                        previous_id=r["previous_id"], next_id=r["next_id"])

    def _add_urls(self, conn: Connection, doc_id: int, urls: list[str | None]) -> None:
        wanted = sorted({u for u in urls if u})
        if not wanted:
            return
        have = set(conn.execute(sa.select(document_urls.c.url).where(document_urls.c.document_id == doc_id,
                                                                     document_urls.c.url.in_(wanted))).scalars())
        new = [{"document_id": doc_id, "url": u} for u in wanted if u not in have]
        if new:
            conn.execute(document_urls.insert(), new)

    def add_document_urls(self, doc_id: int, urls: list[str | None]) -> None:
        """Record more addresses (canonical URL keys) of a stored document; known ones are left alone."""
        if _is_db_id(doc_id) and any(urls):
            self.transact(lambda conn: self._add_urls(conn, int(doc_id), list(urls)))

    def latest_document_for_url(self, urls: str | list[str | None] | None) -> Document | None:
        """Return the newest version of the article stored at any of these canonical URL keys, or None."""
        keys = sorted({u for u in ([urls] if isinstance(urls, str) or urls is None else urls) if u})
        if not keys:
            return None
        with self.read() as conn:
            found = conn.execute(sa.select(sa.func.max(document_urls.c.document_id))
                                 .where(document_urls.c.url.in_(keys))).scalar()
            for _ in range(10_000):  # follow the chain of versions to its end
                later = None if found is None else conn.execute(
                    sa.select(sa.func.max(documents.c.id)).where(documents.c.previous_id == found)).scalar()
                if later is None:
                    break
                found = later
        return self.get_document(found) if found is not None else None

    def known_urls(self, canonicals: list[str]) -> set[str]:
        """Return which of these canonical URLs some stored document has (one query, for feed polls)."""
        out: set[str] = set()
        wanted = sorted({c for c in canonicals if c})
        with self.read() as conn:
            for i in range(0, len(wanted), 500):
                out.update(conn.execute(sa.select(document_urls.c.url).distinct()
                                        .where(document_urls.c.url.in_(wanted[i:i + 500]))).scalars())
        return out

    def get_document(self, doc_id: int) -> Document | None:
        """Return one document with its claim count, or None."""
        if not _is_db_id(doc_id):
            return None
        with self.read() as conn:
            r = conn.execute(self._doc_select().where(documents.c.id == doc_id)).mappings().first()
        return self._document(r) if r else None

    def list_documents(self, *, publishers: list[str] | None = None, limit: int | None = 100,
                       offset: int = 0) -> list[Document]:
        """Return documents (newest ingested first) with their claim counts, optionally of some publishers."""
        q = self._doc_select()
        if publishers:
            q = q.where(_PUBLISHERS.c.name.in_(list(publishers)))
        q = q.order_by(documents.c.id.desc()).offset(max(0, offset))
        if limit is not None:
            q = q.limit(max(0, limit))
        with self.read() as conn:
            return [self._document(r) for r in conn.execute(q).mappings()]

    def iter_documents(self, *, batch: int = 200) -> Iterator[Document]:
        """Yield every stored document in id order, a batch at a time."""
        last = 0
        while True:
            with self.read() as conn:
                rows = conn.execute(self._doc_select().where(documents.c.id > last)
                                    .order_by(documents.c.id).limit(batch)).mappings().all()
            if not rows:
                return
            for r in rows:
                yield self._document(r)
            last = rows[-1]["id"]

    def count_documents(self) -> int:
        """Return how many documents are stored."""
        with self.read() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar_one()

    # ------------------------------------------------------------ claims a reviewer adds
    def add_claim(self, doc_id: int, claim: Claim, *, reviewer: str, note: str | None = None) -> ClaimRecord:
        """Add a claim the extractor missed, found by ``reviewer`` in document ``doc_id``; return it.

        ``claim.start``/``claim.end`` must slice ``claim.quote`` from the document's
        text; its sentence is taken from the text. It is stored with rule and
        extractor version "manual" and a first review by ``reviewer`` (unreviewed,
        with ``note``), so it shows in history and a re-extraction keeps it
        (flagged, never dropped). Raises NotFoundError for an unknown document and
        BadInputError for a span that does not match the text or already holds a
        claim of that kind and outcome.
        """
        import dataclasses

        from claims.extract.sentences import sentence_spans

        if not (reviewer or "").strip():
            raise BadInputError("reviewer: name who adds the claim")
        if not _is_db_id(doc_id):
            raise NotFoundError(f"document {doc_id} does not exist")
        with self.read() as conn:
            doc = conn.execute(sa.select(documents.c.text, documents.c.content_hash, documents.c.publisher_id,
                                         documents.c.published).where(documents.c.id == doc_id)).first()
        if doc is None:
            raise NotFoundError(f"document {doc_id} does not exist")
        text = doc.text
        if not (isinstance(claim.start, int) and isinstance(claim.end, int) and 0 <= claim.start < claim.end <= len(text)):
            raise BadInputError(f"span: want 0 <= start < end <= {len(text)} (the document's length), "
                                f"got {claim.start}..{claim.end}")
        if text[claim.start:claim.end] != claim.quote:
            raise BadInputError(f"quote: the document has {text[claim.start:claim.end]!r} at "
                                f"{claim.start}..{claim.end}, not {claim.quote!r}")
        sentence = next((text[a:b] for a, b in sentence_spans(text) if a <= claim.start < b), claim.quote)
        claim = dataclasses.replace(claim, sentence=sentence, rule=MANUAL_RULE)
        fp = claim.fingerprint(doc.content_hash)

        def work(conn: Connection) -> int:
            same = conn.execute(sa.select(claims.c.id).where(claims.c.document_id == doc_id,
                                                              claims.c.fingerprint == fp)).scalar()
            if same is not None:
                raise BadInputError(f"claim {same} already covers {claim.quote!r} as this kind and outcome")
            return self._insert_claims(conn, doc_id, doc.content_hash, doc.publisher_id, doc.published, [claim],
                                       MANUAL_RULE)[0]

        cid = self.transact(work)
        return self.review(cid, verdict=Verdict.UNREVIEWED, reviewer=reviewer,
                           note=note if note is not None else "Added by hand: the extractor missed it.")

    # ------------------------------------------------------------ re-extraction
    def replace_claims(self, doc_id: int, claims_in: list[Claim], *, extractor_version: str,
                       batch: int = REEXTRACT_BATCH) -> ReextractReport:
        """Replace a document's claims with a new extraction, keeping every review.

        Claims with the same fingerprint keep their id and review (values are
        refreshed); new ones are added; vanished reviewed claims are kept and
        flagged orphaned; vanished unreviewed claims are removed. A document of
        up to ``batch`` claims is replaced in one transaction (all or nothing);
        a bigger one in transactions of ``batch`` claims each, so reviewers can
        save between them instead of waiting minutes for one write lock (a run
        killed half way leaves some claims re-extracted; running it again
        finishes the job, and no review is lost either way).
        """
        if not _is_db_id(doc_id):
            raise NotFoundError(f"document {doc_id} does not exist")
        with self.read() as conn:
            doc = conn.execute(sa.select(documents.c.content_hash, documents.c.publisher_id, documents.c.published)
                               .where(documents.c.id == doc_id)).first()
            if doc is None:
                raise NotFoundError(f"document {doc_id} does not exist")
            n_old = conn.execute(sa.select(sa.func.count()).select_from(claims)
                                 .where(claims.c.document_id == doc_id)).scalar_one()
        unique: dict[str, Claim] = {}
        for c in claims_in:
            unique.setdefault(c.fingerprint(doc.content_hash), c)  # the same span read twice is one claim
        items = list(unique.items())
        batch = max(1, int(batch))
        if len(items) <= batch and n_old <= batch:
            return self.transact(lambda conn: self._replace_part(conn, doc_id, doc, items, extractor_version,
                                                                 every=True))
        report = ReextractReport(document_id=doc_id)
        for i in range(0, len(items), batch):
            part = items[i:i + batch]
            report.merge(self.transact(lambda conn: self._replace_part(conn, doc_id, doc, part, extractor_version,
                                                                       every=False)))
            time.sleep(REEXTRACT_PAUSE)  # a reviewer waiting for the write lock gets it now
        with self.read() as conn:
            vanished = [fp for (fp,) in conn.execute(sa.select(claims.c.fingerprint)
                                                     .where(claims.c.document_id == doc_id)) if fp not in unique]
        for i in range(0, len(vanished), batch):
            part_fps = vanished[i:i + batch]
            report.merge(self.transact(lambda conn: self._drop_claims(conn, doc_id, part_fps)))
            time.sleep(REEXTRACT_PAUSE)
        return report

    def _old_claims(self, conn: Connection, doc_id: int, fingerprints: list[str] | None) -> dict[str, Any]:
        # FOR UPDATE (PostgreSQL; SQLite holds the write lock already): a reviewer saving one of these claims
        # meanwhile waits, so the filter copies are built from the corrections as they are now, and a claim
        # being reviewed is never deleted under the review
        q = (sa.select(claims.c.id, claims.c.fingerprint, claims.c.orphaned, reviews.c.version, reviews.c.corrected,
                       reviews.c.reviewer, *[claims.c[k] for k in CORRECTABLE_FIELDS])
             .select_from(claims.join(reviews, reviews.c.claim_id == claims.c.id))
             .where(claims.c.document_id == doc_id))
        if fingerprints is not None:
            q = q.where(claims.c.fingerprint.in_(fingerprints))
        return {r.fingerprint: r for r in conn.execute(q.with_for_update(of=reviews))}

    def _replace_part(self, conn: Connection, doc_id: int, doc: Any, items: list[tuple[str, Claim]],
                      extractor_version: str, *, every: bool) -> ReextractReport:
        """Refresh or add the claims ``items`` of a document; with ``every``, also drop the document's others."""
        digest, pid, published = doc
        report = ReextractReport(document_id=doc_id)
        old = self._old_claims(conn, doc_id, None if every else [fp for fp, _ in items])
        new_claims = []
        now = _now()
        who = f"extractor {extractor_version}"[:200]
        for fp, c in items:
            if fp not in old:
                new_claims.append(c)
                continue
            r = old[fp]
            row = claim_row(c, corrected=r.corrected or {}, extractor_version=extractor_version, orphaned=False)
            conn.execute(claims.update().where(claims.c.id == r.id).values(**row))
            changed = [(k, r._mapping[k], row[k]) for k in CORRECTABLE_FIELDS if not _same_value(r._mapping[k], row[k])]
            if changed:
                # a reviewer holding the old version saw other figures: their save must conflict
                conn.execute(reviews.update().where(reviews.c.claim_id == r.id).values(version=reviews.c.version + 1))
                conn.execute(review_history.insert(), [
                    {"claim_id": r.id, "fingerprint": fp, "version": r.version + 1, "field": f"extracted.{k}",
                     "old": _json_value(a), "new": _json_value(b), "reviewer": who, "at": now}
                    for k, a, b in changed])
            report.kept += 1
            if r.orphaned:
                report.restored.append(r.id)
        if every:
            seen = {fp for fp, _ in items}
            report.merge(self._drop_found(conn, [r for fp, r in old.items() if fp not in seen]))
        report.added = len(self._insert_claims(conn, doc_id, digest, pid, published, new_claims, extractor_version))
        return report

    def _drop_claims(self, conn: Connection, doc_id: int, fingerprints: list[str]) -> ReextractReport:
        """Drop (unreviewed) or orphan (reviewed) the document's claims with these fingerprints."""
        return self._drop_found(conn, list(self._old_claims(conn, doc_id, fingerprints).values()), doc_id=doc_id)

    def _drop_found(self, conn: Connection, rows: list[Any], *, doc_id: int = 0) -> ReextractReport:
        from claims.team.schema import assignments

        report = ReextractReport(document_id=doc_id)
        for r in rows:
            if r.reviewer is not None:  # reviewed: kept, flagged
                if not r.orphaned:
                    conn.execute(claims.update().where(claims.c.id == r.id).values(orphaned=True))
                report.orphaned.append(r.id)
            else:
                conn.execute(assignments.delete().where(assignments.c.claim_id == r.id))
                conn.execute(review_history.delete().where(review_history.c.claim_id == r.id))
                conn.execute(reviews.delete().where(reviews.c.claim_id == r.id))
                conn.execute(claims.delete().where(claims.c.id == r.id))
                report.removed += 1
        return report

    # ------------------------------------------------------------ claim queries
    def _where(self, flt: ClaimFilter | None, *, index: bool = True) -> list[Any]:
        """Return the SQL conditions (on the claims table alone) for a filter, one per row of FILTERS that is set.

        ``index=False`` words the text search as a plain LIKE (see :meth:`_contains`).
        """
        conds: list[Any] = []
        if flt is None:
            return conds
        terms: dict[str, list[str]] = {}  # "contains" filters on one column: any term may match
        for f in FILTERS:
            value = getattr(flt, f.field)
            if not is_set(value):
                continue
            values = list(value) if f.is_list else [value]
            if f.type in ("choice", "name", "terms", "text") and any("\x00" in str(v) for v in values):
                raise BadInputError(f"{f.field}: contains a NUL character")  # PostgreSQL refuses NUL in text
            col = claims.c[f.column]
            if f.op == "custom":
                conds.append(_CUSTOM_CONDITIONS[f.field](value))
            elif f.op == "contains":
                terms.setdefault(f.column, []).extend(t for t in values if t and t.strip())
            elif f.op == "in":
                if f.type == "id":
                    values = [int(i) for i in values if _is_db_id(i)]
                else:
                    values = [str(plain(v)) for v in values]
                if f.lookup:
                    # ids as literal values: SQLite's planner cannot size an IN (subquery) and may scan instead,
                    # and PostgreSQL's, not knowing which publisher, walked the document order for one of them
                    values = self._lookup_ids(f.lookup, values)
                conds.append(col.in_(values))
            else:
                bound = float(value) if f.type == "number" else value
                conds.append(col >= bound if f.op == ">=" else col <= bound)
        for column, found in terms.items():
            if found:
                # lower-cased as the search column is (Store._needles reads the same terms for a summary)
                conds.append(self._contains(column, [t.strip().lower() for t in found], index=index))
        return conds

    def _lookup_ids(self, lookup: str, names: list[str]) -> list[int]:
        """Return the ids of the rows of ``lookup`` (TABLE.COLUMN) holding ``names`` (unknown names: none).

        Lookups in STABLE_LOOKUPS (publisher names: never renamed or deleted,
        a document keeps its publisher's row) are remembered for this Store:
        a filter change looked each name up once per query it ran. A name not
        found is asked again (it may be created).
        """
        known = self._lookups.setdefault(lookup, {}) if lookup in STABLE_LOOKUPS else {}
        missing = [n for n in dict.fromkeys(names) if n not in known]
        if missing:
            table, name = lookup.split(".")
            rows = metadata.tables[table]
            with self.read() as conn:
                known.update(conn.execute(sa.select(rows.c[name], rows.c.id).where(rows.c[name].in_(missing))).all())
        return sorted({known[n] for n in names if n in known})

    def _contains(self, column: str, needles: list[str], *, index: bool) -> Any:
        """Return "the column contains any of ``needles``" (already lower-cased, as the column is).

        On SQLite the search column's trigram index (``claims_fts``, migration
        0014) answers it when every needle has three characters or more (a
        phrase of trigrams is exactly a substring); shorter needles, other
        columns and ``index=False`` (a scan of a few rows, where the index
        would read every match) use LIKE. On PostgreSQL the LIKE itself uses
        the pg_trgm index. LIKE needs no lower() on either backend; autoescape
        makes % and _ plain characters; values are bound parameters.
        """
        if index and self._fts_usable(column, needles) and self.text_hits(needles) <= EXACT_UP_TO:
            # a rare text: the index lists its few rows; a common one (more hits than that) is cheaper to
            # find by reading rows in the page's order, where every few rows match
            return claims.c.id.in_(self._fts_select(needles))
        return sa.or_(*[claims.c[column].contains(n, autoescape=True) for n in needles])

    def _fts_usable(self, column: str, needles: list[str]) -> bool:
        return (self.dialect == "sqlite" and column == "search" and bool(needles)
                and all(len(n) >= TRIGRAM for n in needles))

    @staticmethod
    def _fts_select(needles: list[str]) -> sa.Select:
        """Return SELECT rowid FROM claims_fts matching any needle, each a quoted phrase (a substring)."""
        query = " OR ".join('"' + n.replace('"', '""') + '"' for n in needles)
        return sa.select(sa.literal_column("rowid")).select_from(sa.table(FTS_TABLE)).where(
            sa.literal_column(FTS_TABLE).op("MATCH")(sa.bindparam(None, query, type_=sa.Text)))

    def text_hits(self, needles: list[str]) -> int:
        """Return how many claims contain any of the lower-cased ``needles``, counted up to EXACT_UP_TO + 1.

        Read from SQLite's trigram index (a few milliseconds); steers how the
        text filter is run and whether a summary can be exact. Remembered for
        TEXT_PROBE_TTL seconds: a stale figure only picks a slower plan.
        """
        if not self._fts_usable("search", needles):
            return EXACT_UP_TO + 1
        key = tuple(sorted(needles))
        now = time.monotonic()
        hit = self._text_probe.get(key)
        if hit is not None and now - hit[0] < TEXT_PROBE_TTL:
            return hit[1]
        q = sa.select(sa.func.count()).select_from(self._fts_select(needles).limit(EXACT_UP_TO + 1).subquery())
        with self.read() as conn:
            n = conn.execute(q).scalar_one()
        if len(self._text_probe) > 256:
            self._text_probe.clear()
        self._text_probe[key] = (now, n)
        return n

    def _record_select(self) -> sa.Select:
        """Return SELECT of every claim record's columns (built once: a Select is immutable, ``where`` copies it)."""
        return _record_select()

    @staticmethod
    def _record(r: Any) -> ClaimRecord:
        c = Claim(kind=Kind(r["kind"]), start=r["span_start"], end=r["span_end"], quote=r["quote"],
                  sentence=r["sentence"] or "", low=r["low"], high=r["high"], approximate=bool(r["approximate"]),
                  outcome=Outcome(r["outcome"]) if r["outcome"] else None, subject=r["subject"], unit=r["unit"],
                  date=r["date"], duration=r["duration"], attributed_to=r["attributed_to"], rule=r["rule"] or "",
                  source_quote=r["source_quote"], source_start=r["source_start"], source_end=r["source_end"])
        rec = ClaimRecord(id=r["id"], document_id=r["document_id"], fingerprint=r["fingerprint"],
                          extractor_version=r["extractor_version"], claim=c, title=r["title"], url=r["url"],
                          publisher=r["publisher_name"], published=r["doc_published"], filename=r["filename"],
                          verdict=Verdict(r["verdict"]), note=r["note"], corrected=dict(r["corrected"] or {}),
                          evidence_url=r["evidence_url"], reviewer=r["reviewer"],
                          reviewed_at=_utc(r["reviewed_at"]), version=r["version"], orphaned=bool(r["orphaned"]),
                          review_state=r["review_state"], fictional=bool(r["fictional"]),
                          appearances=r["appearances"] or 0)
        return rec

    @staticmethod
    def _order(order: str) -> list[Any]:
        if order == "document":
            return [claims.c.document_id, claims.c.span_start, claims.c.id]
        if order == "newest":
            return [sa.nulls_last(claims.c.published.desc()), claims.c.document_id.desc(), claims.c.span_start,
                    claims.c.id]
        if order == "oldest":
            return [sa.nulls_last(claims.c.published.asc()), claims.c.document_id, claims.c.span_start, claims.c.id]
        if order == "figure":
            return [sa.nulls_last(claims.c.fig_max.desc()), claims.c.id]
        if order == "id":
            return [claims.c.id]
        if order == "reviewed":
            return [sa.nulls_last(reviews.c.reviewed_at.desc()), claims.c.id]
        raise BadInputError(f"order: want one of {', '.join(ORDERS)}, got {order!r}")

    def query_claims(self, flt: ClaimFilter | None = None, *, limit: int | None = 50, offset: int = 0,
                     order: str = "document") -> list[ClaimRecord]:
        """Return one page of claims matching ``flt`` with their document metadata and current review."""
        conds = self._where(flt)
        by = self._order(order)
        if limit is not None and order != "reviewed" and self.dialect == "sqlite":
            # SQLite: the page's ids first, from the claims table alone (often its indexes alone), then the
            # records of those few: joining reviews, documents and publishers to every match before sorting
            # made the first page of "published, 3 months" (49,000 matches) take 214 ms at a million claims,
            # now 59 (PostgreSQL showed no difference above its noise under load: left as it was)
            ids = (sa.select(claims.c.id).where(*conds).order_by(*by)
                   .offset(max(0, int(offset))).limit(max(0, int(limit))))
            q = self._record_select().where(claims.c.id.in_(ids)).order_by(*by)
        else:
            q = self._record_select().where(*conds).order_by(*by).offset(max(0, int(offset)))
            if limit is not None:
                q = q.limit(max(0, int(limit)))
        with self.read() as conn:
            return [self._record(r) for r in conn.execute(q).mappings().all()]

    def count_claims(self, flt: ClaimFilter | None = None) -> int:
        """Return how many claims match ``flt``."""
        conds = self._where(flt)
        with self.read() as conn:
            table = self._countable(flt, ())
            if table is not None:
                return self._counted(conn, table, conds, ())[0]
            return conn.execute(sa.select(sa.func.count()).select_from(claims).where(*conds)).scalar_one()

    def facet_counts(self, flt: ClaimFilter | None, field: str) -> dict[str, int]:
        """Return {value: number of matching claims} for one field, largest first; claims without a value are left out."""
        if field not in FACET_FIELDS:
            raise BadInputError(f"facet: want one of {', '.join(FACET_FIELDS)}, got {field!r}")
        if self._countable(flt, (field,)) is not None:
            return self.facets(flt, (field,))[field]
        conds = self._where(flt)
        col = self._group_column(field)
        q = sa.select(col, sa.func.count()).select_from(claims).where(*conds).group_by(col)
        with self.read() as conn:
            rows = [(k, n) for k, n in conn.execute(q).all() if k is not None]
            if field in _PUBLISHER_FACETS:
                # group by the indexed id, then name the few groups (by name or grade; ungraded left out)
                names = self._publisher_column(conn, _PUBLISHER_FACETS[field], {k for k, _ in rows})
                rows = [(names[k], n) for k, n in rows if names.get(k) is not None]
        counts: dict[str, int] = {}
        for k, n in rows:
            counts[str(k)] = counts.get(str(k), 0) + n
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def _publisher_column(self, conn: Any, column: str, ids: set[Any]) -> dict[Any, Any]:
        """Return {publisher id: its ``column``} for ``ids`` (names remembered as :meth:`_lookup_ids` remembers ids)."""
        if not ids:
            return {}
        if column == "name" and NAMES_LOOKUP in STABLE_LOOKUPS:
            known = self._lookups.setdefault(NAMES_LOOKUP, {})
            by_id = {i: n for n, i in known.items()}
            missing = [i for i in ids if i not in by_id]
            if missing:
                found = dict(conn.execute(sa.select(publishers.c.id, publishers.c.name)
                                          .where(publishers.c.id.in_(missing))).all())
                known.update({n: i for i, n in found.items()})
                by_id.update(found)
            return {i: by_id[i] for i in ids if i in by_id}
        return dict(conn.execute(sa.select(publishers.c.id, publishers.c[column])
                                 .where(publishers.c.id.in_(list(ids)))).all())

    def _group_column(self, field: str) -> Any:
        col = claims.c[_FACET_COLUMN[field]]
        if self.dialect == "sqlite":
            # unary + keeps SQLite from walking the GROUP BY column's index row by row (slower than
            # the filter's own index or a plain scan); the value is unchanged
            return sa.literal_column(f"+claims.{col.name}").label(col.name)
        return col

    @staticmethod
    def _check_facet_fields(fields: tuple[str, ...]) -> None:
        for f in fields:
            if f not in FACET_FIELDS:
                raise BadInputError(f"facet: want one of {', '.join(FACET_FIELDS)}, got {f!r}")

    def facets(self, flt: ClaimFilter | None, fields: tuple[str, ...] | list[str] = ("verdict", "kind", "publisher")
               ) -> dict[str, dict[str, int]]:
        """Return facet_counts for several fields from one scan: {field: {value: count}}.

        One GROUP BY over the combination of the fields reads the matching
        rows once instead of once per field (the dashboard's sidebar).
        """
        fields = tuple(fields)
        self._check_facet_fields(fields)
        if not fields:
            return {}
        conds = self._where(flt)
        with self.read() as conn:
            counted = self._counted_facets(conn, flt, fields, conds)
            if counted is not None:
                return counted.facets
            cols = [self._group_column(f) for f in fields]
            q = sa.select(*cols, sa.func.count()).select_from(claims).where(*conds).group_by(*cols)
            return self._facet_dicts(conn, fields, conn.execute(q).all())

    @staticmethod
    def _countable(flt: ClaimFilter | None, fields: tuple[str, ...], *,
                   tables: tuple[sa.Table, ...] = COUNT_TABLES) -> sa.Table | None:
        """Return the first of ``tables`` that answers ``flt`` and ``fields`` (every set filter and facet reads only
        its columns), or None when none does."""
        wanted = {_FACET_COLUMN[f] for f in fields}
        if flt is not None:
            wanted |= {f.column for f in FILTERS if is_set(getattr(flt, f.field))}
        return next((t for t in tables if wanted <= set(counted_columns(t))), None)

    def _counted_facets(self, conn: Connection, flt: ClaimFilter | None, fields: tuple[str, ...],
                        conds: list[Any]) -> FacetSummary | None:
        """Return the exact total and facet counts from the counts tables, or None when none answers (:meth:`_countable`).

        A filter that claim_published_counts answers and whose every facet has
        a per-day table of its own (DAY_FACET_TABLES: a publication-date range
        with no other filter) is summed from those, one facet per table.
        """
        table = self._countable(flt, fields)
        if table is None:
            return None
        each = {}
        if table is claim_published_counts and fields:
            each = {f: self._countable(flt, (f,), tables=DAY_FACET_TABLES) for f in fields}
        if not each or None in each.values():
            total, rows = self._counted(conn, table, conds, fields)
            return FacetSummary(total, self._facet_dicts(conn, fields, rows))
        found: dict[str, dict[str, int]] = {}
        for f, t in each.items():
            total, rows = self._counted(conn, t, conds, (f,))  # each table sums to every matching claim
            found.update(self._facet_dicts(conn, (f,), rows))
        return FacetSummary(total, found)

    def _counted(self, conn: Connection, table: sa.Table, conds: list[Any],
                 fields: tuple[str, ...]) -> tuple[int, list[Any]]:
        """Return (matching claims, GROUP BY rows of ``fields`` + count) from a counts table (:meth:`_countable`).

        Exact at any size: the filter's conditions (``conds``, from
        :meth:`_where`), moved onto the counts table's columns, select the
        combinations (a date range: the days' rows), whose counts are summed.
        On PostgreSQL the sum runs over delta rows; a read that meets many
        compacts what it read (:meth:`compact_counts`).
        """
        conds = [_on_counts(c, table) for c in conds]
        cols = [table.c[_FACET_COLUMN[f]].label(f"facet_{i}") for i, f in enumerate(fields)]
        # rows read, and of them the negative deltas (each an update or delete since the last compaction)
        q = sa.select(*cols, sa.func.sum(table.c.n), sa.func.count(),
                      sa.func.count().filter(table.c.n < 0)).where(*conds)
        if cols:
            q = q.group_by(*cols)
        got = conn.execute(q).all()
        rows = [(*r[:-3], int(r[-3])) for r in got if r[-3]]  # a combination counted down to 0 is no match
        read, undone = sum(r[-2] for r in got), sum(r[-1] for r in got)
        if self.dialect == "postgresql":
            if table is claim_counts:
                # a few thousand combinations at a million claims: fold it whole once it has grown
                if read > max(COUNTS_COMPACT_AT, 2 * self._counts_compacted):
                    self._counts_compacted = self._compact({table: []}).get(table.name, self._counts_compacted)
            elif 2 * undone > max(COUNTS_COMPACT_AT, read // 2):
                # a per-day table holds hundreds of thousands of rows (10 s to fold at a million claims): fold
                # only the range just read, once reviews' deltas (a negative and a positive row each) are
                # half of it; ingest folds the rest (analyze)
                self._compact({table: conds})
        return sum(r[-1] for r in rows), rows

    def compact_counts(self) -> int:
        """Fold every counts table's delta rows into one row per combination (PostgreSQL); return claim_counts' rows.

        Run by :meth:`analyze` (after ingest); readers fold claim_counts, and
        the ranges of the per-day tables they read, themselves
        (:meth:`_counted`). SQLite's triggers keep the tables compact: no-op.
        """
        left = self._compact({t: [] for t in COUNT_TABLES})
        if claim_counts.name in left:
            self._counts_compacted = left[claim_counts.name]
        return left.get(claim_counts.name, 0)

    def _compact(self, parts: dict[sa.Table, list[Any]]) -> dict[str, int]:
        """Fold the rows of each counts table matching its conditions (none: all) by combination; return rows left.

        Only combinations held in more than one row are rewritten (a per-day
        table's hundreds of thousands of single rows stay). One compaction at
        a time (an advisory lock; a second caller returns at once with {}).
        Each table's statement deletes the rows it sees and inserts their
        sums, so deltas that writers commit meanwhile stay and are counted.
        The conditions read only the table's own columns (every row of a
        combination matches or none does). Never raises for a busy or
        read-only database: counts stay exact, only reads stay slower.
        """
        if self.dialect != "postgresql":
            return {}
        left = {}
        try:
            with self.write() as conn:
                if not conn.execute(sa.select(sa.func.pg_try_advisory_xact_lock(COUNTS_LOCK_KEY))).scalar():
                    return {}
                for table, conds in parts.items():
                    cols = ", ".join(counted_columns(table))  # names from the table definitions above
                    where = (sa.and_(*conds).compile(dialect=conn.dialect,
                                                     compile_kwargs={"render_postcompile": True})
                             if conds else None)
                    sql_where = f"WHERE {where.string}" if where is not None else ""
                    # every part of the statement sees one snapshot: rows left = seen - deleted + inserted
                    left[table.name] = conn.exec_driver_sql(
                        f"WITH many AS (SELECT id FROM (SELECT id, count(*) OVER (PARTITION BY {cols}) AS c "
                        f"FROM {table.name} {sql_where}) AS w WHERE c > 1), "
                        f"gone AS (DELETE FROM {table.name} WHERE id IN (SELECT id FROM many) RETURNING {cols}, n), "
                        f"kept AS (INSERT INTO {table.name} ({cols}, n) SELECT {cols}, sum(n) FROM gone "
                        f"GROUP BY {cols} HAVING sum(n) <> 0 ORDER BY {cols} RETURNING 1) "
                        f"SELECT (SELECT count(*) FROM {table.name} {sql_where}) - (SELECT count(*) FROM gone) "
                        f"+ (SELECT count(*) FROM kept)",
                        where.params if where is not None else None).scalar_one()
        except DBAPIError:
            return {}
        return left

    def _facet_dicts(self, conn: Connection, fields: tuple[str, ...], rows: list[Any], *,
                     scale: float = 1.0) -> dict[str, dict[str, int]]:
        """Turn GROUP BY rows (one column per field, then a count) into {field: {value: count}}, largest first.

        Publisher ids become names; values without a name or NULL are left
        out. ``scale`` (an estimate from a sample) multiplies each count,
        rounded to two significant figures.
        """
        out: dict[str, dict[str, float]] = {f: {} for f in fields}
        names: dict[str, dict[Any, Any]] = {}
        for i, f in enumerate(fields):
            if f in _PUBLISHER_FACETS:
                ids = {r[i] for r in rows if r[i] is not None}
                names[f] = self._publisher_column(conn, _PUBLISHER_FACETS[f], ids)
        for r in rows:
            n = r[-1]
            for i, f in enumerate(fields):
                key = r[i]
                if key is None:
                    continue
                if f in names:
                    key = names[f].get(key)
                    if key is None:
                        continue
                out[f][str(key)] = out[f].get(str(key), 0) + n
        return {f: dict(sorted(((k, about(n * scale) if scale != 1.0 else int(n)) for k, n in c.items()),
                               key=lambda kv: (-kv[1], kv[0])))
                for f, c in out.items()}

    def facet_summary(self, flt: ClaimFilter | None = None,
                      fields: tuple[str, ...] | list[str] = ("verdict", "kind", "publisher"), *,
                      exact_up_to: int | None = None) -> FacetSummary:
        """Return how many claims match ``flt`` and their facet counts, in bounded time at any store size.

        A bounded count reads at most ``exact_up_to`` (default EXACT_UP_TO) + 1 matching rows: when
        that is all of them the total and counts are exact. Otherwise both are
        estimated from a fixed sample (SAMPLE_SIZE ids in runs evenly spaced
        over the id range, read by primary key, the filter applied to each row) and flagged ``approximate``: what the dashboard shows as "about N".
        A filter and facets of publisher, grade, kind, outcome, verdict,
        reviewer and review state alone are counted exactly at any size from
        claim_counts (migration 0015) instead, and so are a publication-date
        or event-date range with publisher, grade, kind and verdict from the
        per-day counts (migration 0017; a publication-date range alone from
        one per-day table per facet, 0018). All read rows kept in the
        writing transaction, so every write (reviews changing verdicts,
        imports, deletions) is counted at once.
        """
        fields = tuple(fields)
        self._check_facet_fields(fields)
        if self._countable(flt, fields) is not None:
            conds = self._where(flt)
            with self.read() as conn:
                counted = self._counted_facets(conn, flt, fields, conds)
                assert counted is not None
                return counted
        exact_up_to = EXACT_UP_TO if exact_up_to is None else max(0, int(exact_up_to))
        # labelled per field: two facets may read one column (publisher and grade both group publisher_id)
        plain_cols = [claims.c[_FACET_COLUMN[f]].label(f"facet_{i}") for i, f in enumerate(fields)]
        # a text in more than exact_up_to claims: go straight to the sample (a bounded count would scan)
        common = bool(flt and self._fts_usable("search", self._needles(flt))
                      and self.text_hits(self._needles(flt)) > exact_up_to)
        conds = self._where(flt)
        sample_conds = self._where(flt, index=False)  # LIKE on the few sampled rows, not the index's every hit
        with self.read() as conn:
            more = False  # known to match more than exact_up_to
            if not common and self.dialect == "postgresql":
                # the planner's row estimate (no rows read): far above the bound, a bounded count would
                # read many rows only to be thrown away; a low sample estimate still gets counted below.
                # "Far": estimates miss by tens of percent (13,700 for the 9,229 claims of one month's event
                # dates), and counting a few thousand rows too many costs less than the sample
                # A common text goes to the sample whatever else is set, as on SQLite (text_hits): its
                # trigram bitmap is built whole before any LIMIT applies, and the planner, multiplying
                # selectivities, expected 9,967 rows for "everything at once" while the bitmap of 'said'
                # alone held 504,574 (a 350 ms bounded count at a million claims)
                needles = self._needles(flt) if flt else []
                far = PLAN_FAR_ABOVE * exact_up_to
                common = bool(needles) and _planned_rows(conn, [self._contains("search", needles, index=True)]) > far
                # a text alone was just planned: the filter's conditions are that same one (a round trip saved)
                common = common or ((not needles or len(conds) > 1) and _planned_rows(conn, conds) > far)
            if not common:
                exact = self._bounded_summary(conn, fields, conds, exact_up_to)
                if exact is not None:
                    return exact
                more = True
            if self.dialect == "postgresql":
                rows, scale = self._pg_sample(conn, plain_cols, sample_conds)
            else:
                rows, scale = self._sqlite_sample(conn, plain_cols, sample_conds)
            estimate = about(sum(r[-1] for r in rows) * scale)
            if not more and estimate <= exact_up_to:
                # a common text narrowed by other filters to a few claims: worth counting them exactly
                exact = self._bounded_summary(conn, fields, conds, exact_up_to)
                if exact is not None:
                    return exact
            total = max(estimate, about(exact_up_to + 1))
            return FacetSummary(total, self._facet_dicts(conn, fields, rows, scale=scale), approximate=True)

    def page_summary(self, flt: ClaimFilter | None = None,
                     fields: tuple[str, ...] | list[str] = ("verdict", "kind", "publisher"), *,
                     limit: int | None = 50, offset: int = 0,
                     order: str = "document") -> tuple[FacetSummary, list[ClaimRecord]]:
        """Return what a filter change shows: :meth:`facet_summary` of ``fields`` and :meth:`query_claims`' page.

        The page is read first. A first page (``offset`` 0) shorter than
        ``limit`` holds every matching claim, so the total is its length and
        the facets are counted from its rows -- exact, with no count or facet
        statement sent: a search that matches nothing costs one statement
        instead of three or four. Otherwise the summary is
        :meth:`facet_summary`'s.
        """
        fields = tuple(fields)
        self._check_facet_fields(fields)
        page = self.query_claims(flt, limit=limit, offset=offset, order=order)
        if (int(offset) <= 0 and (limit is None or len(page) < max(0, int(limit)))
                and all(f in _RECORD_FACETS for f in fields)):
            return FacetSummary(len(page), _record_facets(page, fields)), page
        return self.facet_summary(flt, fields), page

    @staticmethod
    def _sqlite_sample(conn: Connection, cols: list[Any], conds: list[Any]) -> tuple[list[Any], float]:
        """Return (GROUP BY rows of ``cols`` + count over the sampled claims matching ``conds``, scale to the store)."""
        # two scalar subqueries: SQLite reads min() or max() off the primary key only when each stands alone
        lo, hi = conn.execute(sa.select(sa.select(sa.func.min(claims.c.id)).scalar_subquery(),
                                        sa.select(sa.func.max(claims.c.id)).scalar_subquery())).one()
        span = hi - lo + 1
        run = max(1, min(SAMPLE_RUN, span // SAMPLE_SIZE))  # consecutive ids read per seek
        runs = max(1, min(SAMPLE_SIZE, span) // run)
        # runs spread evenly over the ids, so no stretch of documents (one month, one publisher) dominates;
        # "id IN (ids)" rather than a join, so SQLite reads by primary key instead of a filter's index
        seq = sa.select(sa.literal(0).label("i")).cte("sample_ids", recursive=True)
        seq = seq.union_all(sa.select((seq.c.i + 1).label("i")).where(seq.c.i + 1 < runs * run))
        ids = sa.select(lo + sa.cast((seq.c.i // run) * (span / runs), sa.Integer) + seq.c.i % run)
        rows = conn.execute(sa.select(*cols, sa.func.count()).select_from(claims)
                            .where(claims.c.id.in_(ids), *conds).group_by(*cols)).all()
        return rows, span / (runs * run)

    @staticmethod
    def _pg_sample(conn: Connection, cols: list[Any], conds: list[Any]) -> tuple[list[Any], float]:
        """Return (GROUP BY rows of ``cols`` + count over the sampled claims matching ``conds``, scale to the store).

        PostgreSQL reads whole pages at random (TABLESAMPLE SYSTEM, about
        SAMPLE_SIZE rows by the planner's row estimate; REPEATABLE, so one
        store gives one answer) -- a point lookup per id would cost ~10 us
        each. Every sampled row is grouped, matching or not, so the scale is
        the store's rows over the rows actually read.
        """
        from sqlalchemy.sql.util import ClauseAdapter

        n = conn.execute(sa.text("SELECT reltuples FROM pg_class WHERE oid = 'claims'::regclass")).scalar()
        if not n or n <= SAMPLE_SIZE:  # never analysed (-1) or small: read it all
            n = conn.execute(sa.select(sa.func.count()).select_from(claims)).scalar_one()
        pct = min(100.0, 100.0 * SAMPLE_SIZE / max(n, 1))
        sampled = claims.tablesample(sa.func.system(pct), name="claims_sample", seed=sa.literal(0))
        adapt = ClauseAdapter(sampled).traverse
        gcols = [adapt(c) for c in cols]
        match = sa.func.count().filter(sa.and_(sa.true(), *[adapt(c) for c in conds]))
        got = conn.execute(sa.select(*gcols, match, sa.func.count()).select_from(sampled).group_by(*gcols)).all()
        read = sum(r[-1] for r in got)
        if pct >= 100.0:
            n = read  # the whole table: exact
        return [(*r[:-2], r[-2]) for r in got if r[-2]], (n / read if read else 1.0)

    def _bounded_summary(self, conn: Connection, fields: tuple[str, ...], conds: list[Any],
                         exact_up_to: int) -> FacetSummary | None:
        """Return the exact summary when at most ``exact_up_to`` claims match ``conds``, else None (read no more)."""
        # count first (often from an index alone), then read the rows only when there are few
        bounded = sa.select(sa.literal(1).label("one")).select_from(claims).where(*conds).limit(exact_up_to + 1)
        total = conn.execute(sa.select(sa.func.count()).select_from(bounded.subquery())).scalar_one()
        if total > exact_up_to:
            return None
        if not total:  # nothing matches: no facet to count (a text that is nowhere skips a second index read)
            return FacetSummary(0, {f: {} for f in fields})
        if not fields:
            return FacetSummary(total, {})
        cols = [self._group_column(f).label(f"facet_{i}") for i, f in enumerate(fields)]
        rows = conn.execute(sa.select(*cols, sa.func.count()).select_from(claims).where(*conds)
                            .group_by(*cols)).all()
        return FacetSummary(total, self._facet_dicts(conn, fields, rows))

    @staticmethod
    def _needles(flt: ClaimFilter) -> list[str]:
        """Return the filter's text search terms, lower-cased as the search column is."""
        found: list[str] = []
        for f in FILTERS:
            if f.op == "contains" and f.column == "search" and is_set(getattr(flt, f.field)):
                value = getattr(flt, f.field)
                found += list(value) if f.is_list else [value]
        return [t.strip().lower() for t in found if t and t.strip()]

    def get_claim(self, claim_id: int) -> ClaimRecord | None:
        """Return one claim with its document metadata and current review, or None."""
        with self.read() as conn:
            if not _is_db_id(claim_id):
                return None
            r = conn.execute(self._record_select().where(claims.c.id == int(claim_id))).mappings().first()
        return self._record(r) if r else None

    def claims_for_document(self, doc_id: int) -> list[ClaimRecord]:
        """Return a document's claims in text order."""
        return self.query_claims(ClaimFilter(document_ids=[doc_id]), limit=None, order="document")

    def iter_claims(self, flt: ClaimFilter | None = None, *, batch: int = 1000) -> Iterator[ClaimRecord]:
        """Yield every claim matching ``flt`` in id order, reading ``batch`` rows at a time (bounded memory)."""
        conds = self._where(flt)
        last = 0
        while True:
            q = self._record_select().where(*conds, claims.c.id > last).order_by(claims.c.id).limit(batch)
            with self.read() as conn:
                rows = conn.execute(q).mappings().all()
            if not rows:
                return
            for r in rows:
                yield self._record(r)
            last = rows[-1]["id"]

    def filter_values(self, field: str) -> list[str]:
        """Return the values a name filter (claims/filters.py) can take: stored names, sorted.

        A filter with a ``lookup`` offers every name of that table (a publisher
        with no claims yet included); any other the distinct values of its column.
        """
        f = FILTERS_BY_FIELD.get(field)
        if f is None or f.type != "name":
            names = ", ".join(x.field for x in FILTERS if x.type == "name")
            raise BadInputError(f"filter_values: want one of {names}, got {field!r}")
        with self.read() as conn:
            if f.lookup:
                table, name = f.lookup.split(".")
                col = metadata.tables[table].c[name]
                return [str(v) for v in conn.execute(sa.select(col).order_by(col)).scalars()]
            col = claims.c[f.column]
            return sorted(str(v) for v in conn.execute(sa.select(col).distinct().where(col.is_not(None))).scalars())

    def fuzzy_terms(self, query: str, *, limit: int = 10, score_cutoff: float = 75.0) -> list[str]:
        """Return stored subjects, attributions and publisher names that look like ``query`` (spelling variants).

        Each word of a multi-word value is matched on its own too, so
        "Tehreek" finds "Tehrik-i-Taliban Pakistan" and "Tehrik". Words
        with the same consonant skeleton (transliteration variants:
        Tehreek/Tehrik, Lashkar/Lashker) always match. Best matches first;
        empty when nothing is close.
        """
        from rapidfuzz import fuzz, process, utils

        q = (query or "").strip()
        if len(q) < 3:
            return []
        with self.read() as conn:
            values: set[str] = set()
            for col in (claims.c.subject, claims.c.attributed_to):
                values.update(v for (v,) in conn.execute(sa.select(col).where(col.is_not(None)).distinct()) if v)
            values.update(v for (v,) in conn.execute(sa.select(publishers.c.name)) if v)
            # Names often sit only in the sentence ("a ceasefire with Tehrik-i-Taliban Pakistan"): take the
            # capitalised words of the sentences too, from a bounded sample so a large store stays quick.
            sentences = [v for (v,) in conn.execute(
                sa.select(claims.c.sentence).distinct().limit(FUZZY_SENTENCE_SAMPLE)) if v]
        choices: dict[str, str] = {}
        for v in values:
            choices.setdefault(v.lower(), v)
            for w in _WORD_SPLIT.split(v):
                if len(w) >= 3:
                    choices.setdefault(w.lower(), w)
        for sentence in sentences:
            for w in _NAME_WORD.findall(sentence):
                choices.setdefault(w.lower(), w)
        scored: dict[str, float] = {}
        qs = _skeleton(q)
        if len(qs) >= 2:
            for key, term in choices.items():
                if " " not in key and _skeleton(key) == qs:
                    scored[term] = 100.0
        for term, score, _ in process.extract(q, list(choices.values()), scorer=fuzz.WRatio,
                                              processor=utils.default_process, score_cutoff=score_cutoff,
                                              limit=max(limit * 3, 30)):
            scored[term] = max(score, scored.get(term, 0.0))
        ranked = sorted(scored.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))
        return [t for t, _ in ranked[:limit]]

    # ------------------------------------------------------------ reviews
    def review(self, claim_id: int, *, verdict: Verdict | str, reviewer: str, note: str | None = None,
               corrected: dict[str, Any] | None = None, evidence_url: str | None = None,
               expect_version: int | None = None) -> ClaimRecord:
        """Record a reviewer's verdict (and optional note, corrections, evidence) on one claim; return it updated.

        ``note``/``evidence_url`` None leave the current value, "" clears it.
        ``corrected`` merges into the current corrections; a value equal to the
        extracted one drops that correction. Raises ConflictError (with
        ``.current``) when ``expect_version`` is not the current version.
        """
        from claims.team.settings import reviews_required
        from claims.team.votes import record_single, record_vote, single_review_state

        checked = validate_review(verdict=verdict, reviewer=reviewer, note=note, evidence_url=evidence_url,
                                  corrected=corrected)
        v, reviewer, note, evidence_url, fixes = (checked.verdict, checked.reviewer, checked.note,
                                                  checked.evidence_url, checked.corrected)
        if not _is_db_id(claim_id):
            raise NotFoundError(f"claim {claim_id} does not exist")
        if expect_version is not None:
            try:
                ok = not isinstance(expect_version, bool) and int(expect_version) >= 0
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise BadInputError(f"expect_version: want a version number >= 0, got {expect_version!r}")

        def work(conn: Connection) -> ClaimRecord | None:
            # FOR UPDATE (PostgreSQL; SQLite already holds the write lock) makes concurrent reviewers of one
            # claim queue up and each read the version the previous one committed
            cur = conn.execute(self._record_select().where(claims.c.id == int(claim_id))
                               .with_for_update(of=reviews)).mappings().first()
            if cur is None:
                raise NotFoundError(f"claim {claim_id} does not exist")
            current = self._record(cur)
            if expect_version is not None and current.version != int(expect_version):
                raise ConflictError(
                    f"claim {claim_id} changed since version {expect_version} (now version {current.version}, "
                    f"{current.verdict.value} by {current.reviewer or 'nobody'}); reload it and review again",
                    current_version=current.version, current=current)
            extracted = current.claim
            new_corr = dict(current.corrected)
            for k, val in fixes.items():
                orig = getattr(extracted, k)
                if k == "outcome" and orig is not None:
                    orig = Outcome(orig).value
                if val == orig or (k in ("low", "high") and orig is not None and val is not None
                                   and float(val) == float(orig)):
                    new_corr.pop(k, None)
                else:
                    new_corr[k] = val
            low = new_corr.get("low", extracted.low)
            high = new_corr.get("high", extracted.high)
            check_figures(extracted.kind, low, high)
            changes: list[tuple[str, Any, Any]] = []
            if v.value != current.verdict.value:
                changes.append(("verdict", current.verdict.value, v.value))
            new_note = current.note if note is None else (note or None)
            if new_note != current.note:
                changes.append(("note", current.note, new_note))
            new_url = current.evidence_url if evidence_url is None else (evidence_url or None)
            required = reviews_required(conn)
            if required > 1:  # two-review mode: this save is one reviewer's verdict (claims.team.votes)
                outcome = record_vote(conn, self, current, verdict=v, reviewer=reviewer, note=note,
                                      corrected=new_corr, evidence_url=new_url, required=required, at=_now())
                if outcome == "done":  # read back inside this transaction, as below
                    return self._record(conn.execute(self._record_select().where(claims.c.id == current.id))
                                        .mappings().one())
                return {"unchanged": current, "raced": None}[outcome]
            if new_url != current.evidence_url:
                changes.append(("evidence_url", current.evidence_url, new_url))
            for k in CORRECTABLE_FIELDS:
                before, after = current.effective(k), (new_corr[k] if k in new_corr else getattr(extracted, k))
                if isinstance(before, Outcome):
                    before = before.value
                if isinstance(after, Outcome):
                    after = after.value
                if before != after:
                    changes.append((k, before, after))
            if not changes and reviewer == current.reviewer:
                return current  # nothing to record
            if current.reviewer != reviewer:
                changes.append(("reviewer", current.reviewer, reviewer))
            now = _now()
            res = conn.execute(
                reviews.update()
                .where(reviews.c.claim_id == current.id, reviews.c.version == current.version)
                .values(verdict=v.value, note=new_note, evidence_url=new_url, corrected=new_corr,
                        reviewer=reviewer, reviewed_at=now, version=reviews.c.version + 1))
            if res.rowcount != 1:
                if expect_version is not None:
                    latest = self.get_claim(current.id)
                    raise ConflictError(f"claim {claim_id} changed since version {expect_version}; "
                                        "reload it and review again",
                                        current_version=latest.version if latest else None, current=latest)
                return None  # someone else committed in between: read again and reapply
            conn.execute(claims.update().where(claims.c.id == current.id)
                         .values(verdict=v.value, reviewer=reviewer, review_state=single_review_state(v).value,
                                 **_effective_values(_claim_values(extracted), new_corr)))
            record_single(conn, self.dialect, current.id, reviewer=reviewer, verdict=v, note=new_note, at=now)
            conn.execute(review_history.insert(), [
                {"claim_id": current.id, "fingerprint": current.fingerprint, "version": current.version + 1,
                 "field": f, "old": old, "new": new, "reviewer": reviewer, "at": now} for f, old, new in changes])
            # read back inside this transaction: after commit another reviewer's newer save could be read instead
            return self._record(conn.execute(self._record_select().where(claims.c.id == current.id))
                                .mappings().one())

        for _ in range(self.write_attempts):
            out = self.transact(work)
            if out is not None:
                return out
        raise StoreError(f"claim {claim_id}: gave up after {self.write_attempts} attempts because other reviewers kept "
                         "changing it; try again")

    def history(self, claim_id: int) -> list[HistoryEntry]:
        """Return a claim's append-only review history, oldest first (empty if none or no such claim)."""
        with self.read() as conn:
            if not _is_db_id(claim_id):
                return []
            rows = conn.execute(sa.select(review_history).where(review_history.c.claim_id == int(claim_id))
                                .order_by(review_history.c.version, review_history.c.id)).mappings().all()
        return [HistoryEntry(claim_id=r["claim_id"], version=r["version"], field=r["field"], old=r["old"],
                             new=r["new"], reviewer=r["reviewer"], at=_utc(r["at"])) for r in rows]

    # ------------------------------------------------------------ stats
    def stats(self) -> dict[str, Any]:
        """Return counts of documents, claims, reviews, verdicts, kinds, publishers and orphaned claims."""
        with self.read() as conn:
            n_docs = conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar_one()
            n_claims = conn.execute(sa.select(sa.func.count()).select_from(claims)).scalar_one()
            reviewed = conn.execute(sa.select(sa.func.count()).select_from(reviews)
                                    .where(reviews.c.reviewer.is_not(None))).scalar_one()
            orphaned = conn.execute(sa.select(sa.func.count()).select_from(claims)
                                    .where(claims.c.orphaned.is_(True))).scalar_one()
            n_pub = conn.execute(sa.select(sa.func.count()).select_from(publishers)).scalar_one()
            n_hist = conn.execute(sa.select(sa.func.count()).select_from(review_history)).scalar_one()
            last = conn.execute(sa.select(sa.func.max(documents.c.ingested_at))).scalar()
            versions = dict(conn.execute(sa.select(claims.c.extractor_version, sa.func.count())
                                         .group_by(claims.c.extractor_version)).all())
        return {
            "database": _mask_url(self.url), "backend": self.dialect, "schema_revision": self.schema_revision(),
            "documents": n_docs, "claims": n_claims, "reviewed": reviewed, "unreviewed": n_claims - reviewed,
            "orphaned": orphaned, "publishers": n_pub, "history_entries": n_hist,
            "last_ingested_at": _utc(last).isoformat() if last else None,
            "verdicts": self.facet_counts(None, "verdict"), "kinds": self.facet_counts(None, "kind"),
            "extractor_versions": versions,
        }


# ---------------------------------------------------------------- claim records
@functools.cache
def _record_select() -> sa.Select:
    # claims' verdict/reviewer copies and its search column are for filtering; reviews is the record
    # (built once: building it took 0.14 ms of Python per page, now 0.04 with the filter added)
    cols = [c for c in claims.c if c.name not in ("verdict", "reviewer", "search")]
    return (sa.select(*cols, reviews.c.verdict, reviews.c.note, reviews.c.corrected, reviews.c.evidence_url,
                      reviews.c.reviewer, reviews.c.reviewed_at, reviews.c.version,
                      documents.c.title, documents.c.url, documents.c.filename, documents.c.fictional,
                      documents.c.appearances,
                      documents.c.published.label("doc_published"), publishers.c.name.label("publisher_name"))
            .select_from(claims.join(reviews, reviews.c.claim_id == claims.c.id)
                         .join(documents, documents.c.id == claims.c.document_id)
                         .outerjoin(publishers, publishers.c.id == claims.c.publisher_id)))


# facets a page's records carry (Store.page_summary): the value each record shows, None for none (left out, as
# facet_counts leaves claims without a value out). The claims table's verdict is a copy of the review's, and the
# publisher name is read through claims.publisher_id, so these equal the GROUP BY of facet_counts
_RECORD_FACETS: dict[str, Callable[[ClaimRecord], str | None]] = {
    "verdict": lambda r: r.verdict.value,
    "kind": lambda r: r.claim.kind.value,
    "outcome": lambda r: r.claim.outcome.value if r.claim.outcome else None,
    "publisher": lambda r: r.publisher,
}


def _record_facets(records: list[ClaimRecord], fields: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """Return {field: {value: count}} over ``records``, largest first (facet_counts' order)."""
    out = {}
    for f in fields:
        counts = Counter(v for v in map(_RECORD_FACETS[f], records) if v is not None)
        out[f] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


# ---------------------------------------------------------------- filters whose condition reads other tables
# claims/filters.py rows with op "custom": field -> function(value) -> condition on the claims table
def _planned_rows(conn: Connection, conds: list[Any]) -> float:
    """Return PostgreSQL's estimate of the claims matching ``conds`` (planned, not run: no rows read)."""
    compiled = (sa.select(sa.literal(1)).select_from(claims).where(*conds)
                .compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True}))
    return _plan_rows(conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + compiled.string, compiled.params).scalar())


def _plan_rows(plan: Any) -> float:
    """Return the row estimate at the top of PostgreSQL's EXPLAIN (FORMAT JSON) output (0 when unreadable)."""
    import json

    try:
        doc = json.loads(plan) if isinstance(plan, str) else plan
        return float(doc[0]["Plan"]["Plan Rows"])
    except (TypeError, ValueError, KeyError, IndexError):
        return 0.0


def _review_states_condition(values: list[Any]) -> Any:
    from claims.model import ReviewState

    states = []
    for s in values:
        try:
            states.append(ReviewState(s.value if isinstance(s, ReviewState) else str(s).strip().lower()).value)
        except ValueError:
            raise BadInputError(f"review_state: want one of {', '.join(r.value for r in ReviewState)}, "
                                f"got {s!r}") from None
    return claims.c.review_state.in_(states)


def _grades_condition(values: list[Any]) -> Any:
    from claims.model import Grade

    grades = []
    for g in values:
        try:
            grades.append(Grade(str(getattr(g, "value", g)).strip().upper()).value)
        except ValueError:
            raise BadInputError(f"grade: want one of {', '.join(PUBLISHER_GRADES)}, got {g!r}") from None
    return claims.c.publisher_id.in_(sa.select(publishers.c.id).where(publishers.c.grade.in_(grades)))


def _assigned_to_condition(reviewer: str) -> Any:
    from claims.team.schema import assignments

    return claims.c.id.in_(sa.select(assignments.c.claim_id).where(assignments.c.reviewer == reviewer.strip()))


def _not_voted_by_condition(reviewer: str) -> Any:
    from claims.team.schema import review_votes

    return claims.c.id.not_in(sa.select(review_votes.c.claim_id).where(review_votes.c.reviewer == reviewer.strip()))


def _fictional_condition(fictional: bool) -> Any:
    # invented example documents only (True), or real ones only (False). "Real ones" is worded as "not one
    # of the few invented ones": an IN over nearly every document made SQLite walk the document index and
    # sort every claim for each export batch (1.4 s a batch at a million claims); NOT IN keeps id order
    invented = sa.select(documents.c.id).where(documents.c.fictional == sa.true())
    return claims.c.document_id.in_(invented) if fictional else claims.c.document_id.not_in(invented)


_CUSTOM_CONDITIONS: dict[str, Callable[[Any], Any]] = {
    "review_states": _review_states_condition, "grades": _grades_condition, "assigned_to": _assigned_to_condition,
    "not_voted_by": _not_voted_by_condition, "fictional": _fictional_condition,
}


def _on_counts(cond: Any, table: sa.Table) -> Any:
    """Return ``cond`` with the claims table's columns replaced by the counts ``table``'s columns of the same name."""
    from sqlalchemy.sql.visitors import replacement_traverse

    def swap(el: Any) -> Any:
        if isinstance(el, sa.Column) and el.table is claims:
            return table.c[el.name]
        return None

    return replacement_traverse(cond, {}, swap)


def _is_db_id(value: Any) -> bool:
    """Return whether ``value`` fits an id column (32-bit on PostgreSQL): larger ids match no row, never an error."""
    try:
        return not isinstance(value, bool) and -2**31 <= int(value) < 2**31
    except (TypeError, ValueError):
        return False  # "abc" or None is no id: nothing matches


_WORD_SPLIT = re.compile(r"[\s\-\u2013\u2014/,;:()]+")
_NAME_WORD = re.compile(r"\b[A-Z][\w'’]{2,}")  # a capitalised word of a sentence: a name fuzzy search may mean
FUZZY_SENTENCE_SAMPLE = 20_000  # distinct sentences whose names fuzzy search reads


def _skeleton(word: str) -> str:
    """Return a word's consonants, lower-case, repeats collapsed: transliterations often differ only in vowels."""
    out: list[str] = []
    for ch in word.lower():
        if ch.isalpha() and ch not in "aeiouy" and (not out or out[-1] != ch):
            out.append(ch)
    return "".join(out)


# Page cache per SQLite connection, in KiB (SQLite's default is 2 MiB). The trigram index (claims_fts) and the
# claims indexes a write touches outgrow 2 MiB within a few thousand documents, and every insert then re-reads
# their pages: ingesting 3,000 generated documents took 32 s instead of 10 s, growing with the store. 64 MiB
# keeps a write's working set cached (measured flat per claim); the cache fills only as pages are used.
SQLITE_CACHE_KIB = 65536


def _configure_sqlite(engine: Engine, *, busy_timeout_ms: int) -> None:
    """Turn on WAL, foreign keys and a busy timeout, and let writes start with BEGIN IMMEDIATE."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # take transaction control away from pysqlite so our BEGIN below is the only one
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        try:
            cur.execute("PRAGMA journal_mode=WAL")
        except Exception:
            pass  # in-memory databases have no WAL
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # writers take the lock up front so a read-then-write never dies half way with "database is locked"
        if conn.get_execution_options().get("claims_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


# PostgreSQL: a pooled connection idle for longer than this many seconds is pinged before it is used (a server
# restart, an idle timeout or a network drop may have closed it); one back within that time -- the next query
# of the same page or filter change -- is used as it is. SQLAlchemy's pool_pre_ping pinged every checkout: one
# more round trip per query (a filter change of two queries made eight with BEGIN and ROLLBACK, now two).
PG_PING_IDLE = 2.0


def _configure_postgresql(engine: Engine) -> None:
    """Ping a pooled connection before use only when it sat idle longer than PG_PING_IDLE (replaces pool_pre_ping)."""

    @event.listens_for(engine, "connect")
    def _on_connect(_dbapi_conn: Any, record: Any) -> None:
        record.info["claims_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info["claims_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("claims_idle_since", 0.0) <= PG_PING_IDLE:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as e:
            if engine.dialect.is_disconnect(e, dbapi_conn, None):
                # the pool drops this connection and checks out another (a new one, not pinged)
                raise sa.exc.DisconnectionError(str(e)) from e
            raise


def json_default(value: Any) -> Any:
    """Serialise dates, datetimes and enums for json.dumps."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


__all__ = [
    "Store", "PublisherInfo", "PublisherChange", "ReextractReport", "StoredDocument", "metadata", "publishers", "documents", "claims",
    "reviews", "review_history", "publisher_history", "PUBLISHER_GRADES", "FACET_FIELDS", "ORDERS", "default_url", "date_bounds",
    "validate_correction", "parse_verdict", "json_default", "search_text", "about", "FacetSummary", "claim_row", "validate_review",
    "ReviewIn", "check_text", "check_json_value", "check_document", "check_figures",
]
