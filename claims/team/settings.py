"""Team settings: stored in the database, so every reviewer of one store shares them.

Environment settings (:mod:`claims.settings`, ``CLAIMS_*`` variables) belong to
one process or machine: where the database is, file size limits. Team settings
belong to the store and change how the whole desk works: set them with
``python -m claims config set NAME VALUE``; only editors may change them once
roles are configured. Each change is appended to ``team_settings_history``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from claims.errors import BadInputError


def _int_range(lo: int, hi: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        try:
            n = int(str(value).strip())
        except ValueError:
            raise BadInputError(f"want a whole number from {lo} to {hi}, got {value!r}") from None
        if not lo <= n <= hi:
            raise BadInputError(f"want a whole number from {lo} to {hi}, got {value!r}")
        return str(n)
    return parse


def _bool(value: str) -> str:
    s = str(value).strip().lower()
    if s in ("true", "yes", "on", "1"):
        return "true"
    if s in ("false", "no", "off", "0"):
        return "false"
    raise BadInputError(f"want true or false, got {value!r}")


def _name(value: str) -> str:
    s = str(value).strip()
    if not s or len(s) > 100 or any(c.isspace() for c in s):
        raise BadInputError(f"want one word of at most 100 characters, got {value!r}")
    return s


@dataclass(frozen=True, slots=True)
class TeamSetting:
    """One team setting: name, default, help, and the parser that checks and normalises a value."""

    name: str
    default: str
    help: str
    parse: Callable[[str], str]


TEAM_SETTINGS: tuple[TeamSetting, ...] = (
    TeamSetting("reviews_required", "1",
                "How many different reviewers must give the same verdict before it is final (1 or 2, up to 5). "
                "1: one review decides, as before. 2: the two-person rule; disagreements go to an editor.",
                _int_range(1, 5)),
    TeamSetting("blind_review", "true",
                "With reviews_required above 1: a reviewer does not see other reviewers' verdicts and notes on a "
                "claim until they have saved their own.", _bool),
    TeamSetting("oidc_role_claim", "roles",
                "With OIDC login: the claim of the user's token that lists their roles; 'editor' in it makes "
                "them an editor, anyone else logged in is a reviewer.", _name),
)

_BY_NAME = {s.name: s for s in TEAM_SETTINGS}


def _spec(name: str) -> TeamSetting:
    spec = _BY_NAME.get((name or "").strip())
    if spec is None:
        raise BadInputError(f"setting: unknown team setting {name!r} (choose from {', '.join(_BY_NAME)})")
    return spec


def read_setting(conn: Connection, name: str) -> str:
    """Return a team setting's value inside an open transaction (its default when never set)."""
    from claims.team.schema import team_settings

    spec = _spec(name)
    value = conn.execute(sa.select(team_settings.c.value).where(team_settings.c.name == spec.name)).scalar()
    return spec.default if value is None else value


def reviews_required(conn: Connection) -> int:
    """Return how many agreeing reviewers make a verdict final, read in the caller's transaction."""
    try:
        return int(read_setting(conn, "reviews_required"))
    except ValueError:  # a hand-edited row: fall back to today's behaviour rather than refuse every review
        return 1


def get_setting(store, name: str) -> str:
    """Return the value of team setting ``name``."""
    with store.read() as conn:
        return read_setting(conn, name)


def list_settings(store) -> list[dict[str, Any]]:
    """Return every team setting with its value, default, help, and who last changed it."""
    from claims.team.schema import team_settings

    with store.read() as conn:
        rows = {r.name: r for r in conn.execute(sa.select(team_settings))}
    out = []
    for s in TEAM_SETTINGS:
        r = rows.get(s.name)
        out.append({"name": s.name, "value": r.value if r else s.default, "default": s.default, "help": s.help,
                    "changed_by": r.changed_by if r else None,
                    "changed_at": r.changed_at.isoformat() if r and r.changed_at else None})
    return out


def set_setting(store, name: str, value: Any, *, actor) -> bool:
    """Set team setting ``name`` to ``value`` as ``actor`` (an editor); return whether it changed.

    Raises BadInputError for an unknown name or a bad value, ForbiddenError
    when ``actor`` may not change team settings.
    """
    from claims.store import _now
    from claims.team.roles import Permission, require
    from claims.team.schema import team_settings, team_settings_history

    spec = _spec(name)
    try:
        new = spec.parse(value)
    except BadInputError as e:
        raise BadInputError(f"{spec.name}: {e}") from None
    require(actor, Permission.CHANGE_SETTINGS)

    def work(conn: Connection) -> bool:
        old = conn.execute(sa.select(team_settings.c.value).where(team_settings.c.name == spec.name)).scalar()
        before = spec.default if old is None else old
        if before == new:
            return False
        now = _now()
        if old is None:
            conn.execute(team_settings.insert().values(name=spec.name, value=new, changed_by=actor.name,
                                                       changed_at=now))
        else:
            conn.execute(team_settings.update().where(team_settings.c.name == spec.name)
                         .values(value=new, changed_by=actor.name, changed_at=now))
        conn.execute(team_settings_history.insert().values(name=spec.name, old=before, new=new,
                                                           changed_by=actor.name, at=now))
        return True

    return store.transact(work)


def setting_history(store) -> list[dict[str, Any]]:
    """Return every recorded team setting change, oldest first."""
    from claims.team.schema import team_settings_history as h

    with store.read() as conn:
        return [{"name": r.name, "old": r.old, "new": r.new, "changed_by": r.changed_by,
                 "at": r.at.replace(tzinfo=dt.timezone.utc).isoformat() if r.at.tzinfo is None else r.at.isoformat()}
                for r in conn.execute(sa.select(h).order_by(h.c.id))]
