"""The ``bench`` command: run a benchmark script and print its figures."""
from __future__ import annotations

import argparse


def add_bench(sub: argparse._SubParsersAction) -> None:
    from claims import bench

    p = sub.add_parser("bench", help="run a benchmark script and print its figures",
                       description="Run a benchmark: " + ", ".join(bench.available()) + ". "
                                   "Arguments after NAME go to the benchmark (try NAME --help). "
                                   "Without NAME (or NAME all) every benchmark runs and docs/benchmarks.md is written.")
    p.add_argument("name", metavar="NAME", nargs="?", default="all")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    from claims import bench

    return bench.run(args.name, args.rest)
