"""Compare: each group's reconciled summary stored with it, so the groups list reads one table.

Size, reports, independent sources, the reconciled low/best/high, spread and
the discrepancy flag are written when groups are computed or a reviewer
changes one, and refreshed when a member's review is newer than
``refreshed_at``. Existing groups get zeros until the next ``compare`` run.

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (not a batch table copy): SQLite cannot drop and recreate compare_groups
    # while compare_members' foreign keys point at its rows.
    op.add_column("compare_groups", sa.Column("size", sa.Integer(), server_default="0", nullable=False))
    op.add_column("compare_groups", sa.Column("reports", sa.Integer(), server_default="0", nullable=False))
    op.add_column("compare_groups", sa.Column("independent", sa.Integer(), server_default="0", nullable=False))
    op.add_column("compare_groups", sa.Column("reconciled", sa.JSON(), nullable=True))
    op.add_column("compare_groups", sa.Column("spread", sa.Float(), server_default="0", nullable=False))
    op.add_column("compare_groups", sa.Column("spread_ratio", sa.Float(), server_default="0", nullable=False))
    op.add_column("compare_groups", sa.Column("discrepancy", sa.Boolean(), server_default=sa.false(),
                                              nullable=False))
    op.add_column("compare_groups", sa.Column("first_published", sa.Date(), nullable=True))
    op.add_column("compare_groups", sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f("ix_compare_groups_size"), "compare_groups", ["size"], unique=False)
    op.create_index(op.f("ix_compare_groups_spread_ratio"), "compare_groups", ["spread_ratio"], unique=False)
    op.create_index(op.f("ix_compare_groups_discrepancy"), "compare_groups", ["discrepancy"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_compare_groups_discrepancy"), table_name="compare_groups")
    op.drop_index(op.f("ix_compare_groups_spread_ratio"), table_name="compare_groups")
    op.drop_index(op.f("ix_compare_groups_size"), table_name="compare_groups")
    for col in ("refreshed_at", "first_published", "discrepancy", "spread_ratio", "spread", "reconciled",
                "independent", "reports", "size"):
        op.drop_column("compare_groups", col)
