"""What every command shares: parent parsers for the common options, the store opener, output helpers.

Commands declare their common options by parent parser instead of repeating
them::

    p = sub.add_parser("list", parents=[DB, FILTERS, JSON], ...)

and open the store with ``with open_store(args) as store:``, which closes it
whatever happens. Nothing here imports a database, dashboard or data-frame
library at import time: building the parser must stay cheap.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from claims.errors import BadInputError, NotFoundError

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def iso_date(value: str) -> dt.date:
    """Parse an argparse YYYY-MM-DD value."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (want YYYY-MM-DD): {value!r}") from None


# ---------------------------------------------------------------- parent parsers (argparse `parents=[...]`)
def _db_parent(*, nested: bool = False) -> argparse.ArgumentParser:
    # nested: the option of an action under a command that has it too ("compare --db X merge 6 7"):
    # argparse would set the action's default over the value given before it, so it has none
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--db", metavar="URL", **({"default": argparse.SUPPRESS} if nested else {}),
                   help="database URL, e.g. sqlite:///data/claims.db or postgresql+psycopg://user@host/db "
                        "(default: $CLAIMS_DB_URL, else data/claims.db under $CLAIMS_DATA_DIR or the working directory)")
    return p


def _json_parent(*, nested: bool = False) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--json", action="store_true", **({"default": argparse.SUPPRESS} if nested else {}),
                   help="print JSON instead of text (one object per line when there are several)")
    return p


def _filters_parent() -> argparse.ArgumentParser:
    """Return the parent parser with one option per filter of claims/filters.py that has one."""
    from claims.filters import FILTERS, choice_values

    parse = {"number": float, "date": iso_date, "id": int}
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("filters (repeat an option to allow several values)")
    for f in FILTERS:
        if f.option is None:
            continue
        kw = {"dest": f.field, "help": f.help.replace("%", "%%"), "metavar": f.metavar}
        if f.type in parse:
            kw["type"] = parse[f.type]
        if f.type == "choice":
            kw["choices"] = choice_values(f)
        g.add_argument(f.option, action="append" if f.is_list else "store", **kw)
    return p


DB = _db_parent()            # --db URL
JSON = _json_parent()        # --json
# The same options on an action of a command that has them ("compare --db X merge 6 7" and
# "compare merge 6 7 --db X" both use X): given before the action, they stand.
NESTED_DB = _db_parent(nested=True)
NESTED_JSON = _json_parent(nested=True)
FILTERS = _filters_parent()  # the claim filters shared by list, export and compare


def filter_from_args(args: argparse.Namespace):
    """Return the ClaimFilter the :data:`FILTERS` options describe (options a command lacks do not filter)."""
    from claims.filters import FILTERS, ClaimFilter

    kw = {}
    for f in FILTERS:
        if f.option is None:
            continue
        value = getattr(args, f.field, None)
        kw[f.field] = list(value or []) if f.is_list else (value or None) if f.type == "text" else value
    return ClaimFilter(**kw)


# ---------------------------------------------------------------- store
def open_store(args: argparse.Namespace):
    """Open the Store named by --db (or the configured default); use as ``with open_store(args) as store:``."""
    from claims.store import Store

    return Store(getattr(args, "db", None))


def get_claim(store, claim_id: int):
    """Return claim ``claim_id``'s record; raise NotFoundError saying how to find ids."""
    rec = store.get_claim(claim_id)
    if rec is None:
        raise NotFoundError(f"claim {claim_id} does not exist (try: python -m claims list)")
    return rec


# ---------------------------------------------------------------- input and output
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


def print_json(obj) -> None:
    """Print ``obj`` as one line of JSON (dates and enums as the store writes them)."""
    from claims.store import json_default

    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=json_default) + "\n")


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


def print_records(rows: list[dict], columns: list[tuple[str, str]], *, as_json: bool, width: int = 48) -> None:
    """Print dict rows as one JSON object a line, or as a table of (header, key) columns (None shows empty)."""
    if as_json:
        for r in rows:
            print_json(r)
        return
    print_table([h for h, _ in columns], [tuple(r[k] for _, k in columns) for r in rows], width=width)


def value_text(c) -> str:
    """Return a claim's value as the tables show it: a date or duration, or low..high with ~ when approximate."""
    if c.date or c.duration:
        return c.date or c.duration
    if c.kind.value == "date":
        return "(unresolved)"
    lo, hi = c.to_dict()["low"], c.to_dict()["high"]
    txt = f"{lo}" if lo == hi else f"{'' if lo is None else lo}..{'' if hi is None else hi}"
    return ("~" if c.approximate else "") + txt
