"""The ``extract`` command: claims in one text file, no store."""
from __future__ import annotations

import argparse
import json
import sys

from claims.cli.common import EXIT_OK, JSON, iso_date, print_table, read_text_arg, value_text


def add_extract(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", parents=[JSON], help="extract claims from one text file",
                       description="Extract casualty counts, force sizes, dates, durations and other "
                                   "figures from FILE ('-' for stdin).")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--published", type=iso_date, help="publication date YYYY-MM-DD (resolves 'last month', 'Tuesday')")
    p.add_argument("--kind", action="append", help="only claims of this kind (repeatable)")
    p.set_defaults(func=cmd_extract)


def cmd_extract(args: argparse.Namespace) -> int:
    from claims.extract import iter_extract

    _, text = read_text_arg(args.file)
    # claims stream block by block, so a very large file is extracted in bounded memory
    found = iter_extract(text, published=args.published)
    if args.kind:
        found = (c for c in found if c.kind.value in args.kind)
    out = sys.stdout
    if args.json:
        for c in found:
            out.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
        return EXIT_OK
    found = list(found)
    rows = [(c.kind.value + (f"/{c.outcome.value}" if c.outcome else ""), f"{c.start}-{c.end}", c.quote,
             value_text(c), c.subject or "", c.attributed_to or "", c.rule) for c in found]
    print_table(["kind", "span", "quote", "value", "subject", "attributed to", "rule"], rows)
    print(f"{len(found)} claims", file=sys.stderr)
    return EXIT_OK
