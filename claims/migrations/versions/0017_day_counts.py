"""Claim counts per publication day and per event-date interval, kept by triggers like claim_counts (0015).

A date range is the one common dashboard filter that claim_counts cannot
answer: at a million claims "published, 3 months" matches 49,000 claims and
"event date, one month" 9,000, and counting them and their verdict, kind
and publisher facets read every matching claim (or a sample of 30,000).
Two more counts tables hold one count per combination of a date and the
dashboard's facet columns:

- ``claim_published_counts``: (published, publisher_id, kind, verdict);
- ``claim_event_counts``: (eff_date_start, eff_date_end, publisher_id,
  kind, verdict) -- the event date is an interval ("2021-11" covers 11-01
  to 11-30), so its rows keep both ends and the filter's overlap test
  (end >= from, start <= to) selects exactly the claims it selects on the
  claims table.

A date range, alone or with publisher, grade, kind and verdict, is then
counted exactly by summing the range's rows (a few hundred per day at a
million claims) instead of the claims. Claims without a date are counted
under NULL, so each table sums to every claim, as claim_counts does.

Kept in the transaction of every insert, delete and update of a claim by
the same kind of triggers as 0015 (SQLite: row triggers keeping one row per
combination; PostgreSQL: statement triggers inserting delta rows that
readers sum and ``Store.compact_counts`` folds). Existing stores are
counted here.

Revision ID: 0017
Revises: 0016
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# table -> the claims columns it counts by, in the order of the table and its index (claims.store.COUNT_TABLES)
TABLES = {
    "claim_published_counts": ("published", "publisher_id", "kind", "verdict"),
    "claim_event_counts": ("eff_date_start", "eff_date_end", "publisher_id", "kind", "verdict"),
}
# the columns' types, as on the claims table
TYPES = {"published": sa.Date, "eff_date_start": sa.Date, "eff_date_end": sa.Date, "publisher_id": sa.Integer,
         "kind": lambda: sa.String(length=20), "verdict": lambda: sa.String(length=20)}
NOT_NULL = ("kind", "verdict")


def sqlite_triggers(table: str, key: tuple[str, ...]) -> list[str]:
    """Return SQLite's row triggers keeping ``table``'s one row per combination of ``key`` (as 0015's)."""
    cols = ", ".join(key)

    def same(row: str) -> str:  # IS: a NULL date or publisher matches NULL
        return " AND ".join(f"{c} IS {row}.{c}" for c in key)

    def add(row: str, delta: str) -> str:
        return f"UPDATE {table} SET n = n {delta} 1 WHERE {same(row)};"

    ensure_new = (f"INSERT INTO {table} ({cols}, n) SELECT {', '.join('NEW.' + c for c in key)}, 0 "
                  f"WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {same('NEW')});")
    drop_old_zero = f"DELETE FROM {table} WHERE n = 0 AND {same('OLD')};"
    return [
        f"CREATE TRIGGER trg_{table}_ins AFTER INSERT ON claims BEGIN {ensure_new} {add('NEW', '+')} END",
        f"CREATE TRIGGER trg_{table}_del AFTER DELETE ON claims BEGIN {add('OLD', '-')} {drop_old_zero} END",
        f"""CREATE TRIGGER trg_{table}_upd AFTER UPDATE OF {cols} ON claims
            WHEN {' OR '.join(f'NEW.{c} IS NOT OLD.{c}' for c in key)}
            BEGIN {ensure_new} {add('NEW', '+')} {add('OLD', '-')} {drop_old_zero} END""",
    ]


def postgresql_triggers(table: str, key: tuple[str, ...]) -> list[str]:
    """Return PostgreSQL's statement triggers inserting ``table``'s delta rows per combination (as 0015's)."""
    cols = ", ".join(key)
    return [
        f"""CREATE FUNCTION {table}_ins() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO {table} ({cols}, n) SELECT {cols}, count(*) FROM new_rows GROUP BY {cols};
              RETURN NULL;
            END $$""",
        f"""CREATE FUNCTION {table}_del() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO {table} ({cols}, n) SELECT {cols}, -count(*) FROM old_rows GROUP BY {cols};
              RETURN NULL;
            END $$""",
        # every UPDATE of claims fires it; a statement that changes none of the key's columns inserts no row
        f"""CREATE FUNCTION {table}_upd() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO {table} ({cols}, n)
              SELECT {cols}, sum(d) FROM (SELECT {cols}, -1 AS d FROM old_rows
                                          UNION ALL SELECT {cols}, 1 AS d FROM new_rows) AS change
              GROUP BY {cols} HAVING sum(d) <> 0;
              RETURN NULL;
            END $$""",
        f"""CREATE TRIGGER trg_{table}_ins AFTER INSERT ON claims REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION {table}_ins()""",
        f"""CREATE TRIGGER trg_{table}_del AFTER DELETE ON claims REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION {table}_del()""",
        f"""CREATE TRIGGER trg_{table}_upd AFTER UPDATE ON claims REFERENCING OLD TABLE AS old_rows
            NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {table}_upd()""",
    ]


def backfill(table: str) -> str:
    """Return the statement counting every existing claim into ``table`` (also the bench bulk loader's rebuild)."""
    cols = ", ".join(TABLES[table])
    return f"INSERT INTO {table} ({cols}, n) SELECT {cols}, count(*) FROM claims GROUP BY {cols}"


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, key in TABLES.items():
        op.create_table(
            table,
            sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
            *(sa.Column(c, TYPES[c](), nullable=c not in NOT_NULL) for c in key),
            sa.Column("n", sa.BigInteger(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        )
        op.create_index(f"ix_{table}_key", table, list(key), unique=False)
        # triggers first, then the count, in one transaction (see 0015): a writer waiting on the claims
        # table's lock is counted by the triggers once it goes on, never twice
        for stmt in sqlite_triggers(table, key) if sqlite else postgresql_triggers(table, key):
            op.execute(stmt)
        op.execute(backfill(table))
        if sqlite:
            op.execute(f"ANALYZE {table}")  # the planner sizes the new index's ranges from sqlite_stat1


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in TABLES:
        for event in ("ins", "del", "upd"):
            if sqlite:
                op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_{event}")
            else:
                op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_{event} ON claims")
                op.execute(f"DROP FUNCTION IF EXISTS {table}_{event}()")
        op.drop_index(f"ix_{table}_key", table_name=table)
        op.drop_table(table)
