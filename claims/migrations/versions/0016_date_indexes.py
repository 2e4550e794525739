"""Date filters served by their indexes: (published, document_id, span_start) and event dates with the facet columns.

Measured at a million claims (issue #16, ``bench store_queries``, plans
read with EXPLAIN QUERY PLAN / EXPLAIN ANALYZE):

- "published, 3 months" (49,000 matches): SQLite read the page's ids through
  ``ix_claims_published`` and then every match's table row for its document
  order. With (document_id, span_start) after the date the ids and their
  order come from the index alone. It replaces the single-column index
  (same prefix: counts and range scans read it as before).
- "event date, one month" (9,229 matches): the facet GROUP BY found the
  matches through (eff_date_end, eff_date_start) and then read each one's
  table row for verdict, kind and publisher (150 ms of SQLite's 234;
  PostgreSQL's bitmap heap scan 42 ms). The index now carries those three
  columns, so the overlap test and the counts read the index alone. It
  replaces (eff_date_end, eff_date_start) (same prefix).

Index definitions only: existing stores are indexed (and on SQLite the new
indexes analysed) here, tens of seconds at a million claims; the database
keeps them in step itself.

Revision ID: 0016
Revises: 0015
"""
from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# (new index, its columns, the index it replaces, that index's columns)
INDEXES = (
    ("ix_claims_published_document_id_span_start", ["published", "document_id", "span_start"],
     "ix_claims_published", ["published"]),
    ("ix_claims_eff_dates_facets", ["eff_date_end", "eff_date_start", "verdict", "kind", "publisher_id"],
     "ix_claims_eff_date_end_eff_date_start", ["eff_date_end", "eff_date_start"]),
)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name, columns, old, _ in INDEXES:
        op.create_index(name, "claims", columns, unique=False)
        op.drop_index(old, table_name="claims")
        if sqlite:
            # SQLite's planner knows an index's selectivity only from ANALYZE (sqlite_stat1); without it a new
            # index is guessed at. PostgreSQL keeps statistics per column, which these indexes do not change
            op.execute(f"ANALYZE {name}")


def downgrade() -> None:
    for name, _, old, old_columns in INDEXES:
        op.create_index(old, "claims", old_columns, unique=False)
        op.drop_index(name, table_name="claims")
