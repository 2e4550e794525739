"""Tables of team review: shared settings, reviewers and roles, each reviewer's verdict, assignments.

Defined on :data:`claims.store.metadata` (revision 0008 creates them). The
claim's own ``reviews`` row stays the record of its current (final) verdict;
``review_votes`` holds what each reviewer said, one row per (claim, reviewer),
so the same reviewer saving twice is still one review.
"""
from __future__ import annotations

import sqlalchemy as sa

from claims.store import UTCDateTime, metadata

team_settings = sa.Table(
    # one row per setting changed from its default; the team shares them (unlike environment settings)
    "team_settings", metadata,
    sa.Column("name", sa.String(60), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("changed_by", sa.String(200)),
    sa.Column("changed_at", UTCDateTime, nullable=False),
)

team_settings_history = sa.Table(
    # append-only: every change of a team setting, who and when
    "team_settings_history", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(60), nullable=False, index=True),
    sa.Column("old", sa.Text),
    sa.Column("new", sa.Text),
    sa.Column("changed_by", sa.String(200)),
    sa.Column("at", UTCDateTime, nullable=False),
)

reviewers = sa.Table(
    # roles when no OIDC login is configured; empty table: a single-user setup where everyone may do everything
    "reviewers", metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("added_by", sa.String(200)),
    sa.Column("added_at", UTCDateTime, nullable=False),
)

review_votes = sa.Table(
    # each reviewer's current verdict on a claim; changes are in review_history (field "vote")
    "review_votes", metadata,
    sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id"), primary_key=True),
    sa.Column("reviewer", sa.String(200), primary_key=True),
    sa.Column("verdict", sa.String(20), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("at", UTCDateTime, nullable=False),
)
sa.Index("ix_review_votes_reviewer_claim_id", review_votes.c.reviewer, review_votes.c.claim_id)

assignments = sa.Table(
    "assignments", metadata,
    sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id"), primary_key=True),
    sa.Column("reviewer", sa.String(200), primary_key=True),
    sa.Column("assigned_by", sa.String(200)),
    sa.Column("at", UTCDateTime, nullable=False),
)
sa.Index("ix_assignments_reviewer_claim_id", assignments.c.reviewer, assignments.c.claim_id)
