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
claim, whoever writes it (the store, the importer, team votes, the bench's
bulk loader, manual SQL), like the 0006 and 0014 triggers:

- SQLite (one writer at a time): row triggers add to or take from the one
  row of the claim's combination, inserting it when missing and deleting it
  at zero.
- PostgreSQL (writers in parallel): statement triggers with transition
  tables insert one delta row per combination a statement changed, never
  updating a row, so parallel ingest workers and reviewers never wait on
  each other's counts. Readers sum the deltas; ``Store.compact_counts``
  folds them into one row per combination (run by readers once the table
  has grown, and by ingest).

Existing stores are counted here (a few seconds at a million claims). No
batch copy of the claims table: its 0006 and 0014 triggers stay as they are.

Revision ID: 0015
Revises: 0014
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# the counted columns, in the order of the table and its index (claims.store.COUNTED_COLUMNS)
KEY = ("publisher_id", "kind", "outcome", "verdict", "reviewer", "review_state")
_COLS = ", ".join(KEY)


def _same(row: str) -> str:
    """Return "the counts row of ``row``'s combination" (IS: NULL publisher, outcome and reviewer match NULL)."""
    return " AND ".join(f"{c} IS {row}.{c}" for c in KEY)


def _add(row: str, delta: str) -> str:
    return f"UPDATE claim_counts SET n = n {delta} 1 WHERE {_same(row)};"


_ENSURE_NEW = (f"INSERT INTO claim_counts ({_COLS}, n) SELECT {', '.join('NEW.' + c for c in KEY)}, 0 "
               f"WHERE NOT EXISTS (SELECT 1 FROM claim_counts WHERE {_same('NEW')});")
_DROP_OLD_ZERO = f"DELETE FROM claim_counts WHERE n = 0 AND {_same('OLD')};"

SQLITE = [
    f"CREATE TRIGGER trg_claim_counts_ins AFTER INSERT ON claims BEGIN {_ENSURE_NEW} {_add('NEW', '+')} END",
    f"CREATE TRIGGER trg_claim_counts_del AFTER DELETE ON claims BEGIN {_add('OLD', '-')} {_DROP_OLD_ZERO} END",
    f"""CREATE TRIGGER trg_claim_counts_upd AFTER UPDATE OF {_COLS} ON claims
        WHEN {' OR '.join(f'NEW.{c} IS NOT OLD.{c}' for c in KEY)}
        BEGIN {_ENSURE_NEW} {_add('NEW', '+')} {_add('OLD', '-')} {_DROP_OLD_ZERO} END""",
]

POSTGRESQL = [
    f"""CREATE FUNCTION claim_counts_ins() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO claim_counts ({_COLS}, n) SELECT {_COLS}, count(*) FROM new_rows GROUP BY {_COLS};
          RETURN NULL;
        END $$""",
    f"""CREATE FUNCTION claim_counts_del() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO claim_counts ({_COLS}, n) SELECT {_COLS}, -count(*) FROM old_rows GROUP BY {_COLS};
          RETURN NULL;
        END $$""",
    # every UPDATE of claims fires it (a trigger with transition tables may not name columns); a statement
    # that changes no counted column nets to nothing and inserts no row
    f"""CREATE FUNCTION claim_counts_upd() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO claim_counts ({_COLS}, n)
          SELECT {_COLS}, sum(d) FROM (SELECT {_COLS}, -1 AS d FROM old_rows
                                       UNION ALL SELECT {_COLS}, 1 AS d FROM new_rows) AS change
          GROUP BY {_COLS} HAVING sum(d) <> 0;
          RETURN NULL;
        END $$""",
    """CREATE TRIGGER trg_claim_counts_ins AFTER INSERT ON claims REFERENCING NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION claim_counts_ins()""",
    """CREATE TRIGGER trg_claim_counts_del AFTER DELETE ON claims REFERENCING OLD TABLE AS old_rows
       FOR EACH STATEMENT EXECUTE FUNCTION claim_counts_del()""",
    """CREATE TRIGGER trg_claim_counts_upd AFTER UPDATE ON claims REFERENCING OLD TABLE AS old_rows
       NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION claim_counts_upd()""",
]

BACKFILL = f"INSERT INTO claim_counts ({_COLS}, n) SELECT {_COLS}, count(*) FROM claims GROUP BY {_COLS}"


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
