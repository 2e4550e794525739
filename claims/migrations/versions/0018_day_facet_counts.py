"""Claim counts per publication day and one facet column each, kept by triggers like claim_counts (0015).

A publication-date range alone is counted from claim_published_counts
(0017), one row per day and combination of publisher, kind and verdict:
three months at a million claims are 20,947 rows, and splitting them by
verdict, kind and publisher groups every one of them (SQLite sorts them:
15-20 ms, two thirds of the dashboard's filter change). Three more tables
hold one count per day and value of one facet column:

- ``claim_published_verdict_counts``: (published, verdict);
- ``claim_published_kind_counts``: (published, kind);
- ``claim_published_publisher_counts``: (published, publisher_id);

so a date range's verdict, kind and publisher counts are each summed from a
few rows per day (three months: about 540, 450 and 1,900 rows). They answer
a publication-date range with no other filter; with a publisher, kind or
verdict filter the combination table of 0017 still does.

Kept in the transaction of every insert, delete and update of a claim by
the same triggers as 0015 and 0017 (claims/migrations/counts.py). Existing
stores are counted here.

Revision ID: 0018
Revises: 0017
"""
from __future__ import annotations

from claims.migrations import counts

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# table -> the claims columns it counts by, in the order of the table and its index (claims.store.DAY_FACET_TABLES)
TABLES = {
    "claim_published_verdict_counts": ("published", "verdict"),
    "claim_published_kind_counts": ("published", "kind"),
    "claim_published_publisher_counts": ("published", "publisher_id"),
}


def upgrade() -> None:
    for table, key in TABLES.items():
        counts.create(table, key)


def downgrade() -> None:
    for table in TABLES:
        counts.drop(table)
