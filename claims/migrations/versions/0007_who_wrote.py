"""Every write records who made it: documents.added_by and an append-only publisher_history.

``documents.added_by`` names whoever uploaded, pasted or ingested the
document (NULL for documents stored before this revision, and for scripts
that name nobody). ``publisher_history`` gets one row per changed publisher
field (domain, grade, note): old and new value, who, when. Nothing updates or
deletes its rows.

Revision ID: 0007
Revises: 0006
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch copy: the 0006 triggers and claims' foreign keys stay untouched on SQLite.
    op.add_column("documents", sa.Column("added_by", sa.String(length=200), nullable=True))
    op.create_table(
        "publisher_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publisher_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("reviewer", sa.String(length=200), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["publisher_id"], ["publishers.id"],
                                name=op.f("fk_publisher_history_publisher_id_publishers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publisher_history")),
    )
    op.create_index(op.f("ix_publisher_history_publisher_id"), "publisher_history", ["publisher_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_publisher_history_publisher_id"), table_name="publisher_history")
    op.drop_table("publisher_history")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("added_by")
