"""Assignment: put claims in a reviewer's "Assigned to me" queue."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from claims.errors import BadInputError


def assign(store, *, reviewer: str, flt=None, limit: int | None = None, by: str | None = None) -> int:
    """Assign the claims matching ``flt`` (document order, at most ``limit``) to ``reviewer``; return how many are new.

    Claims already assigned to ``reviewer`` are left as they are (assigning
    twice is one assignment). Raises BadInputError for an empty name.
    """
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    from claims.store import _now, _reviewer_name, claims
    from claims.team.schema import assignments

    who = _reviewer_name(reviewer)
    if not who:
        raise BadInputError("reviewer: a name is required")
    if limit is not None and (isinstance(limit, bool) or int(limit) < 0):
        raise BadInputError(f"limit: want 0 or more, got {limit!r}")
    conds = store._where(flt)
    conds.append(claims.c.id.not_in(sa.select(assignments.c.claim_id).where(assignments.c.reviewer == who)))
    q = sa.select(claims.c.id).where(*conds).order_by(*store._order("document"))
    if limit:
        q = q.limit(int(limit))
    insert = pg_insert if store.dialect == "postgresql" else sqlite_insert

    def work(conn) -> int:
        ids = conn.execute(q).scalars().all()
        if not ids:
            return 0
        at = _now()
        rows = [{"claim_id": i, "reviewer": who, "assigned_by": by, "at": at} for i in ids]
        for i in range(0, len(rows), 2000):
            conn.execute(insert(assignments).on_conflict_do_nothing(index_elements=["claim_id", "reviewer"]),
                         rows[i:i + 2000])
        return len(ids)

    return store.transact(work)


def unassign(store, *, reviewer: str, flt=None) -> int:
    """Take the claims matching ``flt`` out of ``reviewer``'s queue; return how many were assigned."""
    from claims.store import claims
    from claims.team.schema import assignments

    who = (reviewer or "").strip()
    sub = sa.select(claims.c.id).where(*store._where(flt))

    def work(conn) -> int:
        return conn.execute(assignments.delete().where(assignments.c.reviewer == who,
                                                       assignments.c.claim_id.in_(sub))).rowcount

    return store.transact(work)


def assignment_counts(store) -> list[dict[str, Any]]:
    """Return each assigned reviewer with how many claims are assigned and how many of those they have judged."""
    from claims.team.schema import assignments as a
    from claims.team.schema import review_votes as rv

    q = (sa.select(a.c.reviewer, sa.func.count(), sa.func.count(rv.c.claim_id))
         .select_from(a.outerjoin(rv, sa.and_(rv.c.claim_id == a.c.claim_id, rv.c.reviewer == a.c.reviewer)))
         .group_by(a.c.reviewer).order_by(a.c.reviewer))
    with store.read() as conn:
        return [{"reviewer": r, "assigned": n, "done": d} for r, n, d in conn.execute(q)]
