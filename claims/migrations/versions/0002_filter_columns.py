"""Filter columns on claims: verdict/reviewer copies, figure bounds, a lower-cased search text.

The dashboard's count, page and facet queries then read the claims table
alone, through indexes, instead of joining reviews and evaluating
expressions per row. Existing rows are backfilled from reviews.

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEP = "\x1f"


def upgrade() -> None:
    op.add_column("claims", sa.Column("fig_min", sa.Float(), nullable=True))
    op.add_column("claims", sa.Column("fig_max", sa.Float(), nullable=True))
    op.add_column("claims", sa.Column("verdict", sa.String(length=20), server_default="unreviewed", nullable=False))
    op.add_column("claims", sa.Column("reviewer", sa.String(length=200), nullable=True))
    op.add_column("claims", sa.Column("search", sa.Text(), server_default="", nullable=False))
    _backfill()
    op.drop_index("ix_claims_eff_low", table_name="claims")
    op.drop_index("ix_claims_eff_high", table_name="claims")
    op.create_index("ix_claims_fig_min", "claims", ["fig_min"], unique=False)
    op.create_index("ix_claims_fig_max", "claims", ["fig_max"], unique=False)
    op.create_index("ix_claims_verdict", "claims", ["verdict"], unique=False)
    op.create_index("ix_claims_reviewer", "claims", ["reviewer"], unique=False)
    op.drop_index("ix_reviews_reviewer", table_name="reviews")
    op.drop_index("ix_reviews_verdict_claim_id", table_name="reviews")


def _backfill() -> None:
    bind = op.get_bind()
    claims = sa.table("claims", sa.column("id"), sa.column("quote"), sa.column("subject"), sa.column("attributed_to"),
                      sa.column("sentence"), sa.column("eff_low"), sa.column("eff_high"), sa.column("fig_min"),
                      sa.column("fig_max"), sa.column("verdict"), sa.column("reviewer"), sa.column("search"))
    reviews = sa.table("reviews", sa.column("claim_id"), sa.column("verdict"), sa.column("reviewer"),
                       sa.column("corrected"))
    last = 0
    while True:
        rows = bind.execute(
            sa.select(claims.c.id, claims.c.quote, claims.c.subject, claims.c.attributed_to, claims.c.sentence,
                      claims.c.eff_low, claims.c.eff_high, reviews.c.verdict, reviews.c.reviewer, reviews.c.corrected)
            .select_from(claims.join(reviews, reviews.c.claim_id == claims.c.id))
            .where(claims.c.id > last).order_by(claims.c.id).limit(5000)).all()
        if not rows:
            return
        params = []
        for r in rows:
            corrected = r.corrected if isinstance(r.corrected, dict) else json.loads(r.corrected or "{}")
            parts = [r.quote, r.subject, r.attributed_to, r.sentence, corrected.get("subject"),
                     corrected.get("attributed_to")]
            params.append({
                "cid": r.id, "fmin": r.eff_low if r.eff_low is not None else r.eff_high,
                "fmax": r.eff_high if r.eff_high is not None else r.eff_low,
                "v": r.verdict, "who": r.reviewer, "s": SEP.join(str(p).lower() for p in parts if p),
            })
        bind.execute(claims.update().where(claims.c.id == sa.bindparam("cid")).values(
            fig_min=sa.bindparam("fmin"), fig_max=sa.bindparam("fmax"), verdict=sa.bindparam("v"),
            reviewer=sa.bindparam("who"), search=sa.bindparam("s")), params)
        last = rows[-1].id


def downgrade() -> None:
    op.create_index("ix_reviews_verdict_claim_id", "reviews", ["verdict", "claim_id"], unique=False)
    op.create_index("ix_reviews_reviewer", "reviews", ["reviewer"], unique=False)
    op.drop_index("ix_claims_reviewer", table_name="claims")
    op.drop_index("ix_claims_verdict", table_name="claims")
    op.drop_index("ix_claims_fig_max", table_name="claims")
    op.drop_index("ix_claims_fig_min", table_name="claims")
    op.create_index("ix_claims_eff_high", "claims", ["eff_high"], unique=False)
    op.create_index("ix_claims_eff_low", "claims", ["eff_low"], unique=False)
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("search")
        batch.drop_column("reviewer")
        batch.drop_column("verdict")
        batch.drop_column("fig_max")
        batch.drop_column("fig_min")
