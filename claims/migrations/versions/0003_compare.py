"""Compare: stored groups of claims stating one fact, their members, and reviewers' decisions.

compare_groups holds each group's label and reconciliation rule (with a
reviewer-set figure and rationale); compare_members puts every claim, by
fingerprint, in exactly one group; compare_decisions is the append-only log
of merge/split/move/rule decisions replayed over each recomputation.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "compare_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("rule", sa.String(length=20), server_default="best", nullable=False),
        sa.Column("figure", sa.JSON(), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=True),
        sa.Column("rule_reviewer", sa.String(length=200), nullable=True),
        sa.Column("rule_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compare_groups")),
    )
    op.create_index(op.f("ix_compare_groups_kind"), "compare_groups", ["kind"], unique=False)
    op.create_table(
        "compare_members",
        sa.Column("fingerprint", sa.String(length=32), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("manual", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["compare_groups.id"],
                                name=op.f("fk_compare_members_group_id_compare_groups")),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_compare_members")),
    )
    op.create_index(op.f("ix_compare_members_group_id"), "compare_members", ["group_id"], unique=False)
    op.create_table(
        "compare_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fingerprint", sa.String(length=32), nullable=True),
        sa.Column("fingerprints", sa.JSON(), nullable=False),
        sa.Column("rule", sa.String(length=20), nullable=True),
        sa.Column("figure", sa.JSON(), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compare_decisions")),
    )
    op.create_index(op.f("ix_compare_decisions_reviewer"), "compare_decisions", ["reviewer"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_compare_decisions_reviewer"), table_name="compare_decisions")
    op.drop_table("compare_decisions")
    op.drop_index(op.f("ix_compare_members_group_id"), table_name="compare_members")
    op.drop_table("compare_members")
    op.drop_index(op.f("ix_compare_groups_kind"), table_name="compare_groups")
    op.drop_table("compare_groups")
