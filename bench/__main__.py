"""Run a benchmark and print its figures: ``python -m bench [NAME] [ARGS]`` (from the project root)."""
from __future__ import annotations

import argparse
import sys

from bench import available, run
from claims.errors import BadInputError


def main(argv: list[str] | None = None) -> int:
    """Run benchmark NAME (every one, writing docs/benchmarks.md, without NAME or with ``all``)."""
    p = argparse.ArgumentParser(prog="python -m bench",
                                description="Run a benchmark: " + ", ".join(available()) + ". "
                                            "Arguments after NAME go to the benchmark (try NAME --help). "
                                            "Without NAME (or NAME all) every benchmark runs and "
                                            "docs/benchmarks.md is written.")
    p.add_argument("name", metavar="NAME", nargs="?", default="all")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    args = p.parse_args(argv)
    try:
        return run(args.name, args.rest)
    except BadInputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
