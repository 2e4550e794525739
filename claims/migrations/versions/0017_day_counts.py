"""Claim counts per publication day and per event-date interval, kept by triggers like claim_counts (0015).

A date range is the one common dashboard filter that claim_counts cannot
answer: at a million claims "published, 3 months" matches 49,000 claims and
"event date, one month" 9,000, and counting them and their verdict, kind
and publisher facets read every matching claim (or a sample of 30,000).
Two more counts tables hold one count per combination of a date and the
dashboard's facet columns:

- ``claim_published_counts``: (published, publisher_id, kind, verdict);
- ``claim_event_counts``: (eff_date_start, eff_date_end, publisher_id,
  kind, verdict) -- the event date is an interval ("2021-11" covers 11-01
  to 11-30), so its rows keep both ends and the filter's overlap test
  (end >= from, start <= to) selects exactly the claims it selects on the
  claims table.

A date range, alone or with publisher, grade, kind and verdict, is then
counted exactly by summing the range's rows (a few hundred per day at a
million claims) instead of the claims. Claims without a date are counted
under NULL, so each table sums to every claim, as claim_counts does.

Kept in the transaction of every insert, delete and update of a claim by
the same triggers as 0015's (claims/migrations/counts.py; SQLite: row
triggers keeping one row per combination; PostgreSQL: statement triggers
inserting delta rows that readers sum and ``Store.compact_counts`` folds).
Existing stores are counted here.

Revision ID: 0017
Revises: 0016
"""
from __future__ import annotations

from claims.migrations import counts

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# table -> the claims columns it counts by, in the order of the table and its index (claims.store.COUNT_TABLES)
TABLES = {
    "claim_published_counts": ("published", "publisher_id", "kind", "verdict"),
    "claim_event_counts": ("eff_date_start", "eff_date_end", "publisher_id", "kind", "verdict"),
}


def backfill(table: str) -> str:
    """Return the statement counting every existing claim into ``table`` (also the bench bulk loader's rebuild)."""
    return counts.backfill(table, TABLES[table])


def upgrade() -> None:
    for table, key in TABLES.items():
        counts.create(table, key)


def downgrade() -> None:
    for table in TABLES:
        counts.drop(table)
