"""Roles: reviewers review; editors also adjudicate, grade sources, change team settings and publish.

Where a role comes from, strongest first:

1. OIDC login (``st.login`` configured): the token's roles claim (team setting
   ``oidc_role_claim``, default ``roles``); ``editor`` in it makes an editor,
   anyone else logged in is a reviewer.
2. The ``reviewers`` table (``python -m claims reviewer add NAME --role editor``):
   listed names have their role; names not listed are reviewers.
3. Nothing configured (no OIDC, empty table): a single-user setup, where
   whoever works is an editor and nothing asks for a role.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import sqlalchemy as sa

from claims.errors import BadInputError, ForbiddenError, NotFoundError


class Role(str, Enum):
    """What a team member may do."""

    REVIEWER = "reviewer"
    EDITOR = "editor"


class Permission(str, Enum):
    """Actions only editors may take."""

    ADJUDICATE = "adjudicate"
    GRADE_SOURCES = "grade sources"
    CHANGE_SETTINGS = "change team settings"
    PUBLISH = "publish"
    DELETE_DOCUMENTS = "delete documents"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting and with which role; ``source`` says where the role came from (oidc, table, single-user)."""

    name: str | None
    role: Role
    source: str = "single-user"

    def can(self, permission: Permission) -> bool:
        """Return whether this actor may take an editors-only action."""
        return self.role is Role.EDITOR

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role.value, "source": self.source}


def require(actor: "Actor | None", permission: Permission) -> None:
    """Raise ForbiddenError unless ``actor`` may take ``permission``."""
    if actor is None or not actor.can(permission):
        who = (actor.name if actor else None) or "this user"
        raise ForbiddenError(f"{who} is a reviewer: only editors may {permission.value} "
                             "(python -m claims reviewer add NAME --role editor, or the OIDC roles claim)")


def roles_from_claims(user_claims: dict[str, Any], *, claim: str = "roles") -> list[str]:
    """Return the role names an OIDC user's token lists under ``claim`` (a list or a space/comma separated string)."""
    raw = user_claims.get(claim)
    if raw is None:
        return []
    if isinstance(raw, str):
        return [p for p in raw.replace(",", " ").split() if p]
    if isinstance(raw, (list, tuple, set)):
        return [str(p) for p in raw]
    return []


def actor_for(store, name: str | None, *, oidc_roles: Iterable[str] | None = None) -> Actor:
    """Return the Actor for ``name``: from OIDC roles when given, else the reviewers table, else single-user."""
    if oidc_roles is not None:
        roles = {str(r).strip().lower() for r in oidc_roles}
        return Actor(name, Role.EDITOR if Role.EDITOR.value in roles else Role.REVIEWER, "oidc")
    from claims.team.schema import reviewers

    with store.read() as conn:
        any_row = conn.execute(sa.select(reviewers.c.name).limit(1)).first()
        if any_row is None:
            return Actor(name, Role.EDITOR, "single-user")
        role = conn.execute(sa.select(reviewers.c.role).where(reviewers.c.name == (name or "").strip())).scalar()
    return Actor(name, Role(role) if role else Role.REVIEWER, "table")


def _role(value: Any) -> Role:
    try:
        return Role(str(value).strip().lower())
    except ValueError:
        raise BadInputError(f"role: want one of {', '.join(r.value for r in Role)}, got {value!r}") from None


def add_reviewer(store, name: str, *, role: Role | str = Role.REVIEWER, actor: Actor | None = None) -> bool:
    """Add ``name`` to the reviewers table, or change their role; return whether anything changed.

    The first name added must be an editor (otherwise nobody could manage the
    table afterwards); later changes need an editor ``actor``.
    """
    from claims.store import _now, _reviewer_name
    from claims.team.schema import reviewers

    who = _reviewer_name(name, field="name")
    r = _role(role)

    def work(conn) -> bool:
        n = conn.execute(sa.select(sa.func.count()).select_from(reviewers)).scalar_one()
        if n == 0:
            if r is not Role.EDITOR:
                raise BadInputError("role: the first name in the reviewers table must be an editor "
                                    "(reviewer add NAME --role editor), or nobody could change roles afterwards")
        else:
            acting = _table_actor(conn, actor)
            require(acting, Permission.CHANGE_SETTINGS)
        old = conn.execute(sa.select(reviewers.c.role).where(reviewers.c.name == who)).scalar()
        if old == r.value:
            return False
        if old is None:
            conn.execute(reviewers.insert().values(name=who, role=r.value, added_by=actor.name if actor else None,
                                                   added_at=_now()))
        else:
            _keep_an_editor(conn, who, r)
            conn.execute(reviewers.update().where(reviewers.c.name == who).values(role=r.value))
        return True

    return store.transact(work)


def remove_reviewer(store, name: str, *, actor: Actor | None = None) -> None:
    """Remove ``name`` from the reviewers table (their reviews stay); raise NotFoundError when not listed."""
    from claims.team.schema import reviewers

    who = (name or "").strip()

    def work(conn) -> None:
        require(_table_actor(conn, actor), Permission.CHANGE_SETTINGS)
        if conn.execute(sa.select(reviewers.c.name).where(reviewers.c.name == who)).first() is None:
            raise NotFoundError(f"reviewer {who!r} is not in the reviewers table")
        _keep_an_editor(conn, who, None)
        conn.execute(reviewers.delete().where(reviewers.c.name == who))

    store.transact(work)


def list_reviewers(store) -> list[dict[str, Any]]:
    """Return the reviewers table by name."""
    from claims.team.schema import reviewers

    with store.read() as conn:
        return [{"name": r.name, "role": r.role, "added_by": r.added_by,
                 "added_at": r.added_at.isoformat() if r.added_at else None}
                for r in conn.execute(sa.select(reviewers).order_by(reviewers.c.name))]


def _table_actor(conn, actor: Actor | None) -> Actor | None:
    """Re-read ``actor``'s role from the table inside the write (a role passed in is not trusted for the table)."""
    from claims.team.schema import reviewers

    if actor is None or not actor.name:
        return actor
    if actor.source == "oidc":
        return actor
    role = conn.execute(sa.select(reviewers.c.role).where(reviewers.c.name == actor.name)).scalar()
    return Actor(actor.name, Role(role) if role else Role.REVIEWER, "table")


def _keep_an_editor(conn, name: str, new_role: Role | None) -> None:
    from claims.team.schema import reviewers

    if new_role is Role.EDITOR:
        return
    others = conn.execute(sa.select(sa.func.count()).select_from(reviewers)
                          .where(reviewers.c.role == Role.EDITOR.value, reviewers.c.name != name)).scalar_one()
    total_others = conn.execute(sa.select(sa.func.count()).select_from(reviewers)
                                .where(reviewers.c.name != name)).scalar_one()
    if others == 0 and total_others > 0:
        raise BadInputError(f"role: {name} is the last editor; make someone else an editor first")
