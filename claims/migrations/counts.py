"""The SQL of a counts table's upkeep: claims counted per combination of some of their columns (0015, 0017).

Triggers keep a counts table in the transaction of every insert, delete and
update of a claim, whoever writes it (the store, the importer, team votes,
the bench's bulk loader, manual SQL):

- SQLite (one writer at a time): row triggers add to or take from the one
  row of the claim's combination, inserting it when missing and deleting it
  at zero.
- PostgreSQL (writers in parallel): statement triggers with transition
  tables insert one delta row per combination a statement changed, never
  updating a row, so parallel ingest workers and reviewers never wait on
  each other's counts. Readers sum the deltas; ``Store.compact_counts``
  folds them into one row per combination.

Triggers are named ``trg_TABLE_ins/del/upd`` (PostgreSQL functions
``TABLE_ins/del/upd()``); testkit.bulk lifts them by those names.
"""
from __future__ import annotations

import sqlalchemy as sa

# the claims columns a counts table may count by, with their types as on the claims table (0017, 0018)
TYPES = {"published": sa.Date, "eff_date_start": sa.Date, "eff_date_end": sa.Date, "publisher_id": sa.Integer,
         "kind": lambda: sa.String(length=20), "verdict": lambda: sa.String(length=20)}
NOT_NULL = ("kind", "verdict")


def sqlite_triggers(table: str, key: tuple[str, ...]) -> list[str]:
    """Return SQLite's row triggers keeping ``table``'s one row per combination of the claims columns ``key``."""
    cols = ", ".join(key)

    def same(row: str) -> str:
        # IS: a NULL publisher, outcome, reviewer or date matches NULL
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
    """Return PostgreSQL's statement triggers inserting ``table``'s delta rows per combination of ``key``."""
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
        # every UPDATE of claims fires it (a trigger with transition tables may not name columns); a statement
        # that changes no counted column nets to nothing and inserts no row
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


def backfill(table: str, key: tuple[str, ...]) -> str:
    """Return the statement counting every existing claim into ``table`` (a migration's backfill, the bulk loader's rebuild)."""
    cols = ", ".join(key)
    return f"INSERT INTO {table} ({cols}, n) SELECT {cols}, count(*) FROM claims GROUP BY {cols}"


def create(table: str, key: tuple[str, ...]) -> None:
    """Create (in a migration) ``table`` counting claims by ``key``, the count in its index, its triggers, and count the claims."""
    from alembic import op

    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        table,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        *(sa.Column(c, TYPES[c](), nullable=c not in NOT_NULL) for c in key),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    )
    # the count in the index too: a date range is summed from the index alone
    op.create_index(f"ix_{table}_key", table, [*key, "n"], unique=False)
    # triggers first, then the count, in one transaction (see 0015): a writer waiting on the claims
    # table's lock is counted by the triggers once it goes on, never twice
    for stmt in sqlite_triggers(table, key) if sqlite else postgresql_triggers(table, key):
        op.execute(stmt)
    op.execute(backfill(table, key))
    # without statistics the planner takes a date range of these tables for a few rows (PostgreSQL
    # guessed 1,844 of 20,947 for three months at a million claims) and SQLite guesses at the index
    op.execute(f"ANALYZE {table}")


def drop(table: str) -> None:
    """Drop (in a migration's downgrade) ``table``, its index and its triggers."""
    from alembic import op

    sqlite = op.get_bind().dialect.name == "sqlite"
    for event in ("ins", "del", "upd"):
        if sqlite:
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_{event}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_{event} ON claims")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_{event}()")
    op.drop_index(f"ix_{table}_key", table_name=table)
    op.drop_table(table)
