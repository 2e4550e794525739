"""Benchmarks: scripts that print figures (never timed unit tests).

``python -m claims bench NAME [ARGS]`` runs ``claims.bench.NAME.main(ARGS)``.
Each module's docstring says what it measures.
"""
from __future__ import annotations

import importlib
import pkgutil


def available() -> list[str]:
    """Return the names of the benchmark modules in this package."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def run(name: str, argv: list[str]) -> int:
    """Run one benchmark module's ``main(argv)`` and return its exit code."""
    if name not in available():
        from claims.errors import BadInputError
        raise BadInputError(f"unknown benchmark {name!r}; choose from: {', '.join(available()) or '(none)'}")
    mod = importlib.import_module(f"claims.bench.{name}")
    return int(mod.main(argv) or 0)
