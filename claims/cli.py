"""Command line: thin commands over the library.

Each command parses its arguments, calls one library function, and turns
library exceptions into a message on stderr and an exit code (2 for usage
and bad input, 1 for other failures such as conflicts).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Callable

from claims.errors import BadInputError, ClaimsError, ConflictError, NotFoundError

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def iso_date(value: str) -> dt.date:
    """Parse an argparse YYYY-MM-DD value."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (want YYYY-MM-DD): {value!r}") from None


def read_text_arg(path: str) -> tuple[str, str]:
    """Return (name, text) for a FILE argument, '-' meaning stdin; raise BadInputError naming the file."""
    if path == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        p = Path(path)
        name = str(p)
        try:
            data = p.read_bytes()
        except OSError as e:
            raise BadInputError(f"{name}: cannot read ({e.strerror or e})") from None
    try:
        return name, data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BadInputError(f"{name}: not UTF-8 text (byte {e.start}: {data[e.start:e.start + 1]!r})") from None


# ---------------------------------------------------------------- extract
def add_extract(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="extract claims from one text file",
                       description="Extract casualty counts, force sizes, dates, durations and other "
                                   "figures from FILE ('-' for stdin).")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--published", type=iso_date, help="publication date YYYY-MM-DD (resolves 'last month', 'Tuesday')")
    p.add_argument("--json", action="store_true", help="print one JSON object per claim")
    p.add_argument("--kind", action="append", help="only claims of this kind (repeatable)")
    p.set_defaults(func=cmd_extract)


def cmd_extract(args: argparse.Namespace) -> int:
    from claims.extract import extract

    _, text = read_text_arg(args.file)
    found = extract(text, published=args.published)
    if args.kind:
        found = [c for c in found if c.kind.value in args.kind]
    out = sys.stdout
    if args.json:
        for c in found:
            out.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
        return EXIT_OK
    rows = [(c.kind.value + (f"/{c.outcome.value}" if c.outcome else ""), f"{c.start}-{c.end}", c.quote,
             _value_text(c), c.subject or "", c.attributed_to or "", c.rule) for c in found]
    print_table(["kind", "span", "quote", "value", "subject", "attributed to", "rule"], rows)
    print(f"{len(found)} claims", file=sys.stderr)
    return EXIT_OK


def _value_text(c) -> str:
    if c.date or c.duration:
        return c.date or c.duration
    if c.kind.value == "date":
        return "(unresolved)"
    lo, hi = c.to_dict()["low"], c.to_dict()["high"]
    txt = f"{lo}" if lo == hi else f"{'' if lo is None else lo}..{'' if hi is None else hi}"
    return ("~" if c.approximate else "") + txt


def print_table(headers: list[str], rows: list[tuple], *, width: int = 48) -> None:
    """Print rows as an aligned plain-text table, cutting long cells."""
    cells = [[("" if v is None else str(v)).replace("\n", " ") for v in r] for r in rows]
    cells = [[v if len(v) <= width else v[: width - 1] + "…" for v in r] for r in cells]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    print(line.rstrip())
    print("  ".join("-" * w for w in widths))
    for r in cells:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())


# ---------------------------------------------------------------- bench
def add_bench(sub: argparse._SubParsersAction) -> None:
    from claims import bench

    p = sub.add_parser("bench", help="run a benchmark script and print its figures",
                       description="Run a benchmark: " + ", ".join(bench.available()) + ". "
                                   "Arguments after NAME go to the benchmark (try NAME --help).")
    p.add_argument("name", metavar="NAME")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    from claims import bench

    return bench.run(args.name, args.rest)


# ---------------------------------------------------------------- main
COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [add_extract, add_bench]

from claims.export.commands import add_export, add_import, add_verify  # noqa: E402

COMMANDS += [add_export, add_import, add_verify]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m claims",
                                     description="Extract, store, review, compare and export figures in news text.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
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
