"""Who said each figure: the exact span naming the source, and the effective source for filtering.

``claims.source_quote`` / ``source_start`` / ``source_end`` hold the words of
the document that name the source of a figure (``attributed_to`` keeps the
short canonical name). ``claims.eff_source`` is the reviewer's corrected
attribution if any, else the extracted one (what ``list --source`` and the
dashboard's Source filter match), backfilled here from reviews. Rows stored
before this revision have no span until ``ingest --reextract`` reads them again.

Revision ID: 0013
Revises: 0012
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch copy: the 0006 triggers and claims' foreign keys stay untouched on SQLite.
    op.add_column("claims", sa.Column("source_quote", sa.Text(), nullable=True))
    op.add_column("claims", sa.Column("source_start", sa.Integer(), nullable=True))
    op.add_column("claims", sa.Column("source_end", sa.Integer(), nullable=True))
    op.add_column("claims", sa.Column("eff_source", sa.Text(), nullable=True))
    _backfill()
    op.create_index("ix_claims_eff_source", "claims", ["eff_source"], unique=False)


def _backfill() -> None:
    bind = op.get_bind()
    claims = sa.table("claims", sa.column("id"), sa.column("attributed_to"), sa.column("eff_source"))
    reviews = sa.table("reviews", sa.column("claim_id"), sa.column("corrected"))
    bind.execute(claims.update().values(eff_source=claims.c.attributed_to))
    last = 0
    while True:
        rows = bind.execute(
            sa.select(reviews.c.claim_id, reviews.c.corrected).where(reviews.c.claim_id > last)
            .order_by(reviews.c.claim_id).limit(5000)).all()
        if not rows:
            return
        params = []
        for r in rows:
            corrected = r.corrected if isinstance(r.corrected, dict) else json.loads(r.corrected or "{}")
            if "attributed_to" in corrected:
                params.append({"cid": r.claim_id, "s": corrected["attributed_to"]})
        if params:
            bind.execute(claims.update().where(claims.c.id == sa.bindparam("cid"))
                         .values(eff_source=sa.bindparam("s")), params)
        last = rows[-1].claim_id


def downgrade() -> None:
    op.drop_index("ix_claims_eff_source", table_name="claims")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("eff_source")
        batch.drop_column("source_end")
        batch.drop_column("source_start")
        batch.drop_column("source_quote")
