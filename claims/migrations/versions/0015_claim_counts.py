"""Claim counts by publisher, kind, outcome, verdict, reviewer and review state, kept by triggers.

A filter change on the dashboard shows how many claims match and how they
split by verdict, kind and publisher. At a million claims counting the rows
of a broad filter takes hundreds of milliseconds, and even a narrow one
(one small publisher, 12,000 claims) reads every matching row per facet.
``claim_counts`` holds one count per combination of the columns those
filters and facets use (a few thousand rows at a million claims), so any
filter made of publisher, grade, kind, outcome, verdict, reviewer and
review state is counted exactly by summing a few rows
(``Store.facet_summary``, ``count_claims``, ``facets``).

Triggers keep it in the transaction of every insert, delete and update of a
claim, whoever writes it, like the 0006 and 0014 triggers: on SQLite one row
per combination, on PostgreSQL delta rows that readers sum and
``Store.compact_counts`` folds (run by readers once the table has grown, and
by ingest). Their SQL is claims/migrations/counts.py, shared with the
per-day counts of 0017.

Existing stores are counted here (a few seconds at a million claims). No
batch copy of the claims table: its 0006 and 0014 triggers stay as they are.

Revision ID: 0015
Revises: 0014
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from claims.migrations import counts

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# the counted columns, in the order of the table and its index (claims.store.COUNTED_COLUMNS)
KEY = ("publisher_id", "kind", "outcome", "verdict", "reviewer", "review_state")
# the statements, written once for every counts table (claims/migrations/counts.py)
SQLITE = counts.sqlite_triggers("claim_counts", KEY)
POSTGRESQL = counts.postgresql_triggers("claim_counts", KEY)
BACKFILL = counts.backfill("claim_counts", KEY)


def upgrade() -> None:
    op.create_table(
        "claim_counts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("publisher_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=True),
        sa.Column("review_state", sa.String(length=20), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_counts")),
    )
    op.create_index("ix_claim_counts_key", "claim_counts", list(KEY), unique=False)
    # triggers first, then the count, in one transaction: a writer waiting on the claims table's lock
    # (PostgreSQL) is counted by the triggers once it goes on, never twice
    for stmt in SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRESQL:
        op.execute(stmt)
    op.execute(BACKFILL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("trg_claim_counts_ins", "trg_claim_counts_del", "trg_claim_counts_upd"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name in ("ins", "del", "upd"):
            op.execute(f"DROP TRIGGER IF EXISTS trg_claim_counts_{name} ON claims")
            op.execute(f"DROP FUNCTION IF EXISTS claim_counts_{name}()")
    op.drop_index("ix_claim_counts_key", table_name="claim_counts")
    op.drop_table("claim_counts")
