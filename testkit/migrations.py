"""Open a store at an old schema revision, to test what a migration does to data written before it."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from claims.store import Store, alembic_config


@contextmanager
def upgraded_to(store: Store, revision: str) -> Iterator[sa.Connection]:
    """Upgrade ``store`` (opened with ``migrate=False``) to ``revision`` only; yield the writing connection."""
    from alembic import command

    cfg = alembic_config()
    with store.write() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        yield conn
