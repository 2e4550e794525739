"""Team review: shared team settings, reviewers and roles, each reviewer's verdict, assignments, review state.

``claims.review_state`` says where each claim stands (unreviewed, reviewed,
needs_second, agreed, disagreed, adjudicated); claims reviewed before this
revision become ``reviewed`` and their last reviewer's verdict becomes that
reviewer's row in ``review_votes``, so nothing changes for a store that keeps
``reviews_required`` at 1.

Revision ID: 0008
Revises: 0007
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch copy: the 0006 triggers and claims' foreign keys stay untouched on SQLite.
    op.add_column("claims", sa.Column("review_state", sa.String(length=20), server_default="unreviewed",
                                      nullable=False))
    op.execute("UPDATE claims SET review_state = 'reviewed' WHERE verdict <> 'unreviewed'")
    op.create_index(op.f("ix_claims_review_state_document_id_span_start"), "claims",
                    ["review_state", "document_id", "span_start"], unique=False)
    op.create_table(
        "team_settings",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_team_settings")),
    )
    op.create_table(
        "team_settings_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("changed_by", sa.String(length=200), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_settings_history")),
    )
    op.create_index(op.f("ix_team_settings_history_name"), "team_settings_history", ["name"], unique=False)
    op.create_table(
        "reviewers",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_reviewers")),
    )
    op.create_table(
        "review_votes",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_review_votes_claim_id_claims")),
        sa.PrimaryKeyConstraint("claim_id", "reviewer", name=op.f("pk_review_votes")),
    )
    op.create_index(op.f("ix_review_votes_reviewer_claim_id"), "review_votes", ["reviewer", "claim_id"],
                    unique=False)
    op.create_table(
        "assignments",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("assigned_by", sa.String(length=200), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_assignments_claim_id_claims")),
        sa.PrimaryKeyConstraint("claim_id", "reviewer", name=op.f("pk_assignments")),
    )
    op.create_index(op.f("ix_assignments_reviewer_claim_id"), "assignments", ["reviewer", "claim_id"],
                    unique=False)
    op.execute("INSERT INTO review_votes (claim_id, reviewer, verdict, note, at) "
               "SELECT claim_id, reviewer, verdict, note, reviewed_at FROM reviews "
               "WHERE version > 0 AND verdict <> 'unreviewed' AND reviewer IS NOT NULL AND reviewed_at IS NOT NULL")


def downgrade() -> None:
    op.drop_index(op.f("ix_assignments_reviewer_claim_id"), table_name="assignments")
    op.drop_table("assignments")
    op.drop_index(op.f("ix_review_votes_reviewer_claim_id"), table_name="review_votes")
    op.drop_table("review_votes")
    op.drop_table("reviewers")
    op.drop_index(op.f("ix_team_settings_history_name"), table_name="team_settings_history")
    op.drop_table("team_settings_history")
    op.drop_table("team_settings")
    op.drop_index(op.f("ix_claims_review_state_document_id_span_start"), table_name="claims")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("review_state")
