"""A trigram index for the text filter: SQLite FTS5 (trigram tokenizer), PostgreSQL pg_trgm GIN.

The text filter is a substring match over ``claims.search`` (quote, subject,
attribution and sentence, lower-cased in Python by ``store.search_text``).
No B-tree answers ``LIKE '%x%'``, so at a million claims every search read
every row. A trigram index keeps the substring semantics and answers any
search of three characters or more from the index:

- SQLite: ``claims_fts``, an external-content FTS5 table over
  ``claims.search`` (``trigram case_sensitive 1``: the column is already
  lower-cased, so a phrase query is exactly the substring the LIKE matched).
  Triggers keep it in the transaction of every insert, update of ``search``
  and delete of a claim, whoever writes it (the store, the importer, the
  bench's bulk loader, manual SQL). Rows with an empty search are not indexed
  (nothing of three characters can match them).
- PostgreSQL: ``pg_trgm``'s GIN index on ``claims.search``, which the planner
  uses for the same ``LIKE`` the filter already issues; the server keeps it
  in step itself. Without the extension (a server built without contrib, or
  a role that may not create it) the index is skipped with a warning and
  searches scan, as before.

Existing stores are indexed here (a few minutes at a million claims).

Revision ID: 0014
Revises: 0013
"""
from __future__ import annotations

import logging

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

SQLITE = [
    # content= reads the text back from claims when FTS5 needs it; the index holds trigrams only
    """CREATE VIRTUAL TABLE claims_fts USING fts5(search, content='claims', content_rowid='id',
       tokenize='trigram case_sensitive 1')""",
    """CREATE TRIGGER trg_claims_fts_ins AFTER INSERT ON claims WHEN NEW.search <> ''
       BEGIN INSERT INTO claims_fts(rowid, search) VALUES (NEW.id, NEW.search); END""",
    # an external-content delete must name the text that was indexed: OLD.search
    """CREATE TRIGGER trg_claims_fts_del AFTER DELETE ON claims WHEN OLD.search <> ''
       BEGIN INSERT INTO claims_fts(claims_fts, rowid, search) VALUES ('delete', OLD.id, OLD.search); END""",
    # one trigger, delete before insert: old and new text share most trigrams
    """CREATE TRIGGER trg_claims_fts_upd AFTER UPDATE OF search ON claims WHEN NEW.search IS NOT OLD.search
       BEGIN
         INSERT INTO claims_fts(claims_fts, rowid, search) SELECT 'delete', OLD.id, OLD.search WHERE OLD.search <> '';
         INSERT INTO claims_fts(rowid, search) SELECT NEW.id, NEW.search WHERE NEW.search <> '';
       END""",
]
SQLITE_BACKFILL = "INSERT INTO claims_fts(rowid, search) SELECT id, search FROM claims WHERE search <> ''"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for stmt in SQLITE:
            op.execute(stmt)
        op.execute(SQLITE_BACKFILL)
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it; try in a savepoint
    # so a server without it still migrates (searches then scan, as before this revision)
    sp = bind.begin_nested()
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        sp.commit()
    except Exception as e:  # noqa: BLE001 - any refusal means "no extension"; the reason is logged
        sp.rollback()
        log.warning("pg_trgm is not available (%s): text search will scan the claims table", e)
        return
    op.execute("CREATE INDEX IF NOT EXISTS ix_claims_search_trgm ON claims USING gin (search gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("trg_claims_fts_ins", "trg_claims_fts_del", "trg_claims_fts_upd"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS claims_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_claims_search_trgm")
