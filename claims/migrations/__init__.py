"""Alembic migrations for the claim store, run from Store on open (script_location is this folder).

MODEL_MODULES lists every module that defines tables on ``claims.store.metadata``;
env.py (autogenerate) and the schema test import them all so the comparison
between the migrated database and the models covers every table.
"""
from __future__ import annotations

import importlib

MODEL_MODULES: tuple[str, ...] = ("claims.store", "claims.compare.persist", "claims.team.schema",
                                  "claims.documents")


def load_models():
    """Import every module in MODEL_MODULES and return the shared metadata."""
    for name in MODEL_MODULES:
        importlib.import_module(name)
    from claims.store import metadata

    return metadata
