"""Compare groups name their incident; members say why they are grouped; decisions can be undone.

``compare_groups.event_id`` / ``event_label``: the incident (real-world event) most of a group's
members report (claims.compare.events); ``figure_stale``: a reviewer-chosen figure whose group
gained or lost members since it was chosen. ``compare_members.reason``: one line saying why the
claim is in its group. ``compare_decisions.undoes``: an ``undo`` decision names the decision it
takes back (the log stays append-only); ``forced``: a merge across kinds or outcomes made anyway.

Revision ID: 0011
Revises: 0010
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy), as in 0007: triggers and foreign keys stay untouched on SQLite.
    op.add_column("compare_groups", sa.Column("event_id", sa.Integer(), nullable=True))
    op.add_column("compare_groups", sa.Column("event_label", sa.Text(), nullable=True))
    op.add_column("compare_groups", sa.Column("figure_stale", sa.Boolean(), server_default=sa.false(),
                                              nullable=False))
    op.create_index(op.f("ix_compare_groups_event_id"), "compare_groups", ["event_id"], unique=False)
    op.add_column("compare_members", sa.Column("reason", sa.Text(), nullable=True))
    op.add_column("compare_decisions", sa.Column("undoes", sa.Integer(), nullable=True))
    op.add_column("compare_decisions", sa.Column("forced", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("compare_decisions") as batch:
        batch.drop_column("forced")
        batch.drop_column("undoes")
    with op.batch_alter_table("compare_members") as batch:
        batch.drop_column("reason")
    op.drop_index(op.f("ix_compare_groups_event_id"), table_name="compare_groups")
    with op.batch_alter_table("compare_groups") as batch:
        batch.drop_column("figure_stale")
        batch.drop_column("event_label")
        batch.drop_column("event_id")
