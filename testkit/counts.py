"""What a counts table (claims.store.COUNT_TABLES) holds, and what it should hold: the claims rows grouped the same way."""
from __future__ import annotations

import sqlalchemy as sa

from claims.store import claims, counted_columns, publishers


def kept(conn: sa.Connection, table: sa.Table) -> dict[tuple, int]:
    """Return {combination: claims} summed from ``table``'s rows (deltas folded), publisher ids as names."""
    return _grouped(conn, table, table, sa.func.sum(table.c.n))


def truth(conn: sa.Connection, table: sa.Table) -> dict[tuple, int]:
    """Return {combination: claims} of the claims rows themselves, grouped by ``table``'s columns."""
    return _grouped(conn, table, claims, sa.func.count())


def _grouped(conn: sa.Connection, table: sa.Table, source: sa.Table, n: sa.ColumnElement) -> dict[tuple, int]:
    """Return {combination of ``table``'s columns: n} over ``source`` (the table itself or the claims)."""
    names = [c for c in counted_columns(table) if c != "publisher_id"]
    if "publisher_id" not in counted_columns(table):  # a per-day facet table (0018) without publishers
        key = [source.c[c] for c in names]
        q = sa.select(*key, n).select_from(source).group_by(*key)
        return {tuple(r[:-1]): int(r[-1]) for r in conn.execute(q).all() if r[-1]}
    key = [publishers.c.name, *(source.c[c] for c in names)]
    q = (sa.select(*key, n).select_from(source.outerjoin(publishers, publishers.c.id == source.c.publisher_id))
         .group_by(*key))
    return {tuple(r[:-1]): int(r[-1]) for r in conn.execute(q).all() if r[-1]}
