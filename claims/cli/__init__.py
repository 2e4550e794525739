"""Command line: thin commands over the library (``python -m claims COMMAND``).

Each command parses its arguments, calls one library function, and turns
library exceptions into a message on stderr and an exit code (2 for usage
and bad input, 1 for other failures such as conflicts). The package sits on
top of the library: nothing in ``claims`` outside this package, and nothing
in ``dashboard``, imports it.

- :mod:`claims.cli.common`: parent parsers for the shared options (``DB``,
  ``FILTERS``, ``JSON``), ``open_store``, table and JSON output;
- one module per group of commands: ``extract``, ``store`` (ingest, list,
  show, review, history, stats), ``serve``, ``compare``, ``export`` (export,
  import, verify), ``team`` (config, reviewer, assign, agreement, adjudicate), ``bench``.

Benchmarks are not part of the library: they live in bench/ beside it (``python -m bench NAME``);
``python -m claims bench NAME`` forwards there from a source checkout.
"""
from __future__ import annotations

import argparse
import sys
from typing import Callable

from claims.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE
from claims.cli.bench import add_bench
from claims.cli.compare import add_compare
from claims.cli.export import add_export, add_import, add_verify
from claims.cli.extract import add_extract
from claims.cli.serve import add_serve
from claims.cli.store import (
    add_document_cmds, add_history, add_ingest, add_list, add_review, add_show, add_stats,
)
from claims.cli.team import add_adjudicate, add_agreement, add_assign, add_config, add_reviewer_cmd
from claims.errors import BadInputError, ClaimsError, ConflictError, NotFoundError

__all__ = ["COMMANDS", "EXIT_FAIL", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    add_extract, add_ingest, add_list, add_show, add_review, add_history, add_stats, add_serve,
    add_export, add_import, add_verify, add_compare, add_config, add_reviewer_cmd, add_assign, add_agreement,
    add_adjudicate, add_document_cmds, add_bench,
]


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for every command."""
    parser = argparse.ArgumentParser(prog="python -m claims",
                                     description="Extract, store, review, compare and export figures in news text.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    for i, a in enumerate(argv, 1):
        try:
            a.encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8 reach Python as lone surrogates
            shown = a.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
            print(f"error: argument {i} ({shown}) is not valid UTF-8; pass file names and text as UTF-8",
                  file=sys.stderr)
            return EXIT_USAGE
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse: 2 for usage errors, 0 for --help
        return int(e.code or 0)
    try:
        return int(args.func(args) or 0)
    except (BadInputError, NotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except ConflictError as e:
        print(f"conflict: {e}", file=sys.stderr)
        return EXIT_FAIL
    except ClaimsError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_FAIL
    except BrokenPipeError:
        return EXIT_OK
