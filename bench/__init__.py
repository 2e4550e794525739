"""Benchmarks: scripts that print figures (never timed unit tests).

``python -m bench NAME [ARGS]`` runs ``bench.NAME.main(ARGS)``.
Each module's docstring says what it measures.

``python -m bench`` (or ``bench all``) runs every benchmark in its own
process, one after the other, echoes what each prints, and writes
docs/benchmarks.md: the machine it ran on, then each benchmark's output. Text
in docs/benchmarks.md outside the generated block (the analysis of missed
targets) is kept.
"""
from __future__ import annotations

import importlib
import os
import pkgutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Order for `bench all`: cheap and independent first, the million-claim stores last.
ALL_ORDER = ("extract", "ingest", "web_feed", "stress", "grouping", "store_queries", "dashboard", "scale")
# Modules `bench all` does not run on their own, and why (printed in the report).
ALL_SKIP = {
    "corpus": "the corpus generator: every other benchmark uses it to fill its store",
    "export": "run by `scale` on the million-claim SQLite and PostgreSQL stores",
    "hostile_io": "run by hand (minutes): peak memory of verify/import on a zip bomb and a 200k-claim export",
}


def available() -> list[str]:
    """Return the names of the benchmark modules in this package."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def run(name: str | None, argv: list[str]) -> int:
    """Run one benchmark module's ``main(argv)`` (or every one for ``all``/None) and return its exit code."""
    if name in (None, "", "all"):
        from bench._runner import run_all
        return run_all(argv)
    if name not in available():
        from claims.errors import BadInputError
        raise BadInputError(f"unknown benchmark {name!r}; choose from: all, {', '.join(available()) or '(none)'}")
    mod = importlib.import_module(f"bench.{name}")
    return int(mod.main(argv) or 0)


def child_env(**extra: str) -> dict[str, str]:
    """Return the environment for a benchmark's child process: the project root on PYTHONPATH (for bench/, testkit/)."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **extra}
