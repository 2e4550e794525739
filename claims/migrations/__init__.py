"""Alembic migrations for the claim store, run from Store on open (script_location is this folder).

MODEL_MODULES lists every module that defines tables on ``claims.store.metadata``;
env.py (autogenerate) and the schema test import them all so the comparison
between the migrated database and the models covers every table.
"""
from __future__ import annotations

import importlib

MODEL_MODULES: tuple[str, ...] = ("claims.store", "claims.compare.persist", "claims.team.schema",
                                  "claims.documents")


# search indexes kept by SQL alone (migration 0014): SQLite's FTS5 table and its shadow tables, and
# PostgreSQL's pg_trgm index, which SQLAlchemy's models cannot declare per backend
UNMODELLED_PREFIX = "claims_fts"
UNMODELLED_INDEXES = ("ix_claims_search_trgm",)


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Tell Alembic's comparison to leave the hand-written search indexes (UNMODELLED_*) alone."""
    if type_ == "table" and name and name.startswith(UNMODELLED_PREFIX):
        return False
    return not (type_ == "index" and name in UNMODELLED_INDEXES)


def load_models():
    """Import every module in MODEL_MODULES and return the shared metadata."""
    for name in MODEL_MODULES:
        importlib.import_module(name)
    from claims.store import metadata

    return metadata
