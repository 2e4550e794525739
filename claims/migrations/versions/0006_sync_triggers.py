"""Triggers that keep the claims table's filter copies right whoever writes the rows; two-bound range indexes.

Store keeps claims.verdict/reviewer, fig_min/fig_max and search in step
itself; these triggers cover other writers (the export importer, scripts,
manual SQL) that insert or update claims and reviews directly:

- a review row inserted with a verdict other than unreviewed (or with a
  reviewer), or an update of a review's verdict/reviewer, copies both onto
  its claim;
- a claim whose fig_min/fig_max disagree with coalesce(eff_low, eff_high) /
  coalesce(eff_high, eff_low) gets them recomputed;
- a claim inserted with an empty search text gets one built in SQL (lower()
  folds ASCII only on SQLite; Store's own writes fold all of Unicode).

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SQLITE = [
    """CREATE TRIGGER trg_reviews_copy_ins AFTER INSERT ON reviews
       WHEN NEW.verdict <> 'unreviewed' OR NEW.reviewer IS NOT NULL
       BEGIN UPDATE claims SET verdict = NEW.verdict, reviewer = NEW.reviewer WHERE id = NEW.claim_id; END""",
    """CREATE TRIGGER trg_reviews_copy_upd AFTER UPDATE OF verdict, reviewer ON reviews
       BEGIN UPDATE claims SET verdict = NEW.verdict, reviewer = NEW.reviewer WHERE id = NEW.claim_id; END""",
    """CREATE TRIGGER trg_claims_fig_ins AFTER INSERT ON claims
       WHEN NEW.fig_min IS NOT coalesce(NEW.eff_low, NEW.eff_high)
         OR NEW.fig_max IS NOT coalesce(NEW.eff_high, NEW.eff_low)
       BEGIN UPDATE claims SET fig_min = coalesce(NEW.eff_low, NEW.eff_high),
                               fig_max = coalesce(NEW.eff_high, NEW.eff_low) WHERE id = NEW.id; END""",
    """CREATE TRIGGER trg_claims_fig_upd AFTER UPDATE OF eff_low, eff_high ON claims
       WHEN NEW.fig_min IS NOT coalesce(NEW.eff_low, NEW.eff_high)
         OR NEW.fig_max IS NOT coalesce(NEW.eff_high, NEW.eff_low)
       BEGIN UPDATE claims SET fig_min = coalesce(NEW.eff_low, NEW.eff_high),
                               fig_max = coalesce(NEW.eff_high, NEW.eff_low) WHERE id = NEW.id; END""",
    """CREATE TRIGGER trg_claims_search_ins AFTER INSERT ON claims WHEN NEW.search = ''
       BEGIN UPDATE claims SET search = lower(coalesce(NEW.quote, '') || char(31) || coalesce(NEW.subject, '')
                                             || char(31) || coalesce(NEW.attributed_to, '') || char(31)
                                             || coalesce(NEW.sentence, ''))
             WHERE id = NEW.id; END""",
]

POSTGRESQL = [
    """CREATE FUNCTION claims_copy_review() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE claims SET verdict = NEW.verdict, reviewer = NEW.reviewer
          WHERE id = NEW.claim_id AND (verdict IS DISTINCT FROM NEW.verdict OR reviewer IS DISTINCT FROM NEW.reviewer);
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER trg_reviews_copy_ins AFTER INSERT ON reviews FOR EACH ROW
       WHEN (NEW.verdict <> 'unreviewed' OR NEW.reviewer IS NOT NULL) EXECUTE FUNCTION claims_copy_review()""",
    """CREATE TRIGGER trg_reviews_copy_upd AFTER UPDATE OF verdict, reviewer ON reviews FOR EACH ROW
       EXECUTE FUNCTION claims_copy_review()""",
    """CREATE FUNCTION claims_fill_filters() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         NEW.fig_min := coalesce(NEW.eff_low, NEW.eff_high);
         NEW.fig_max := coalesce(NEW.eff_high, NEW.eff_low);
         IF TG_OP = 'INSERT' AND NEW.search = '' THEN
           NEW.search := lower(concat_ws(chr(31), NEW.quote, NEW.subject, NEW.attributed_to, NEW.sentence));
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER trg_claims_filters BEFORE INSERT OR UPDATE OF eff_low, eff_high ON claims FOR EACH ROW
       EXECUTE FUNCTION claims_fill_filters()""",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    # range filters read both bounds from one index (count without table lookups)
    op.create_index("ix_claims_fig_max_fig_min", "claims", ["fig_max", "fig_min"], unique=False)
    op.drop_index("ix_claims_fig_max", table_name="claims")
    op.create_index("ix_claims_eff_date_end_eff_date_start", "claims", ["eff_date_end", "eff_date_start"],
                    unique=False)
    op.drop_index("ix_claims_eff_date_end", table_name="claims")
    for stmt in SQLITE if dialect == "sqlite" else POSTGRESQL:
        op.execute(stmt)
    # rows other writers left stale before this revision
    op.execute("UPDATE claims SET verdict = (SELECT verdict FROM reviews WHERE reviews.claim_id = claims.id), "
               "reviewer = (SELECT reviewer FROM reviews WHERE reviews.claim_id = claims.id) "
               "WHERE EXISTS (SELECT 1 FROM reviews WHERE reviews.claim_id = claims.id "
               "AND (reviews.verdict <> claims.verdict OR reviews.reviewer IS DISTINCT FROM claims.reviewer))"
               if dialect == "postgresql" else
               "UPDATE claims SET verdict = (SELECT verdict FROM reviews WHERE reviews.claim_id = claims.id), "
               "reviewer = (SELECT reviewer FROM reviews WHERE reviews.claim_id = claims.id) "
               "WHERE EXISTS (SELECT 1 FROM reviews WHERE reviews.claim_id = claims.id "
               "AND (reviews.verdict <> claims.verdict OR reviews.reviewer IS NOT claims.reviewer))")
    op.execute("UPDATE claims SET fig_min = coalesce(eff_low, eff_high), fig_max = coalesce(eff_high, eff_low) "
               "WHERE (fig_min IS NULL AND coalesce(eff_low, eff_high) IS NOT NULL) "
               "OR (fig_max IS NULL AND coalesce(eff_high, eff_low) IS NOT NULL)")
    op.execute("UPDATE claims SET search = lower(quote || chr(31) || coalesce(subject, '') || chr(31) || "
               "coalesce(attributed_to, '') || chr(31) || sentence) WHERE search = ''"
               if dialect == "postgresql" else
               "UPDATE claims SET search = lower(quote || char(31) || coalesce(subject, '') || char(31) || "
               "coalesce(attributed_to, '') || char(31) || sentence) WHERE search = ''")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_index("ix_claims_eff_date_end", "claims", ["eff_date_end"], unique=False)
    op.drop_index("ix_claims_eff_date_end_eff_date_start", table_name="claims")
    op.create_index("ix_claims_fig_max", "claims", ["fig_max"], unique=False)
    op.drop_index("ix_claims_fig_max_fig_min", table_name="claims")
    if dialect == "sqlite":
        for name in ("trg_reviews_copy_ins", "trg_reviews_copy_upd", "trg_claims_fig_ins", "trg_claims_fig_upd",
                     "trg_claims_search_ins"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS trg_claims_filters ON claims")
        op.execute("DROP TRIGGER IF EXISTS trg_reviews_copy_upd ON reviews")
        op.execute("DROP TRIGGER IF EXISTS trg_reviews_copy_ins ON reviews")
        op.execute("DROP FUNCTION IF EXISTS claims_fill_filters()")
        op.execute("DROP FUNCTION IF EXISTS claims_copy_review()")
