"""The ``bench`` command: run a benchmark of the source checkout (``python -m claims bench NAME [ARGS]``).

Benchmarks live in the top-level ``bench`` package beside ``claims`` (they are development
scripts, not part of the library); this command forwards to ``python -m bench`` so the commands
the issues and docs/benchmarks.md quote work either way. Outside a checkout it says where to run.
"""
from __future__ import annotations

import argparse
import sys

from claims.cli.serve import REPO_ROOT
from claims.errors import BadInputError


def add_bench(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="run a benchmark (the same as `python -m bench`, from a source checkout)",
                       description="Forward to `python -m bench NAME [ARGS]`: NAME is a module of bench/ "
                                   "(grouping, store_queries, scale, extract, ingest, ...); without NAME every "
                                   "benchmark runs and docs/benchmarks.md is written.")
    p.add_argument("name", metavar="NAME", nargs="?", default="all")
    p.add_argument("rest", nargs=argparse.REMAINDER, help="arguments for the benchmark (try NAME --help)")
    p.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    if not (REPO_ROOT / "bench" / "__init__.py").is_file():
        raise BadInputError(f"benchmarks ship with the source checkout, not found under {REPO_ROOT}")
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from bench import available, run

    if args.name != "all" and args.name not in available():
        raise BadInputError(f"no benchmark {args.name!r}; choose from: {', '.join(available())}")
    return run(args.name, args.rest)
