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
                                   "Arguments after NAME go to the benchmark (try NAME --help). "
                                   "Without NAME (or NAME all) every benchmark runs and docs/benchmarks.md is written.")
    p.add_argument("name", metavar="NAME", nargs="?", default="all")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    from claims import bench

    return bench.run(args.name, args.rest)


# ---------------------------------------------------------------- store commands (ingest, list, show, review, history, stats, serve)
def add_db_arg(p: argparse.ArgumentParser) -> None:
    """Add the --db URL option every store command takes."""
    p.add_argument("--db", metavar="URL",
                   help="database URL, e.g. sqlite:///data/claims.db or postgresql+psycopg://user@host/db "
                        "(default: $CLAIMS_DB_URL, else data/claims.db under $CLAIMS_DATA_DIR or the working directory)")


def open_store(args: argparse.Namespace):
    """Open the Store named by --db (or the configured default)."""
    from claims.store import Store

    return Store(getattr(args, "db", None))


def add_filter_args(p: argparse.ArgumentParser) -> None:
    """Add the claim filter options shared by list, export and compare."""
    from claims.model import Kind, Outcome, Verdict

    g = p.add_argument_group("filters (repeat an option to allow several values)")
    g.add_argument("--kind", action="append", choices=[k.value for k in Kind], help="claim kind")
    g.add_argument("--outcome", action="append", choices=[o.value for o in Outcome], help="casualty outcome")
    g.add_argument("--publisher", action="append", metavar="NAME", help="publisher name (exact)")
    g.add_argument("--verdict", action="append", choices=[v.value for v in Verdict], help="current verdict")
    g.add_argument("--reviewer", action="append", metavar="NAME", help="who last reviewed the claim")
    g.add_argument("--min", type=float, dest="figure_min", metavar="N", help="figure reaches at least N")
    g.add_argument("--max", type=float, dest="figure_max", metavar="N", help="figure is at most N")
    g.add_argument("--from", type=iso_date, dest="date_from", metavar="DATE", help="event date on or after DATE")
    g.add_argument("--to", type=iso_date, dest="date_to", metavar="DATE", help="event date on or before DATE")
    g.add_argument("--published-from", type=iso_date, metavar="DATE", help="published on or after DATE")
    g.add_argument("--published-to", type=iso_date, metavar="DATE", help="published on or before DATE")
    g.add_argument("--search", metavar="TEXT",
                   help="case-insensitive text in quote, subject, attribution or sentence (%% and _ are plain text)")
    g.add_argument("--document", action="append", type=int, dest="document_ids", metavar="ID", help="document id")


def filter_from_args(args: argparse.Namespace):
    """Return the ClaimFilter the options of :func:`add_filter_args` describe."""
    from claims.model import ClaimFilter

    return ClaimFilter(
        kinds=list(getattr(args, "kind", None) or []), outcomes=list(getattr(args, "outcome", None) or []),
        publishers=list(getattr(args, "publisher", None) or []),
        verdicts=list(getattr(args, "verdict", None) or []), reviewers=list(getattr(args, "reviewer", None) or []),
        figure_min=getattr(args, "figure_min", None), figure_max=getattr(args, "figure_max", None),
        date_from=getattr(args, "date_from", None), date_to=getattr(args, "date_to", None),
        published_from=getattr(args, "published_from", None), published_to=getattr(args, "published_to", None),
        text=getattr(args, "search", None) or None, document_ids=list(getattr(args, "document_ids", None) or []),
    )


def _print_json(obj) -> None:
    from claims.store import json_default

    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=json_default) + "\n")


def add_ingest(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="read files and folders, extract their claims and store them",
                       description="Store .txt, .md, .html/.htm, .json and .jsonl files (folders are read recursively, "
                                   "in name order) and their claims. NAME.meta.json next to a file gives its title, "
                                   "url, publisher and published date; the options below win over file metadata. "
                                   "Text already stored is skipped. Exit 1 when any document failed.")
    p.add_argument("paths", nargs="*", metavar="PATH")
    add_db_arg(p)
    p.add_argument("--publisher", metavar="NAME", help="publisher of every document (overrides file metadata)")
    p.add_argument("--published", type=iso_date, metavar="DATE", help="publication date YYYY-MM-DD (overrides)")
    p.add_argument("--url", help="source URL (overrides)")
    p.add_argument("--title", help="title (overrides)")
    p.add_argument("--reviewer", metavar="NAME",
                   help="who is adding the documents (recorded with each new one; default: your login name)")
    p.add_argument("--reextract", action="store_true",
                   help="re-run the current extractor over stored documents (those in PATHs, or all without PATH), "
                        "keeping every review")
    p.add_argument("--json", action="store_true", help="print the run report as one JSON object")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="extract in N processes; writes stay in this one, one transaction per document (default 1)")
    p.set_defaults(func=cmd_ingest)


def cmd_ingest(args: argparse.Namespace) -> int:
    from claims.parallel import ingest_paths_parallel

    if not args.paths and not args.reextract:
        raise BadInputError("ingest: give at least one PATH (or --reextract to re-extract every stored document)")
    if args.workers < 1:
        raise BadInputError(f"--workers: want 1 or more processes, got {args.workers}")
    if args.reviewer is not None and not args.reviewer.strip():
        raise BadInputError("ingest: --reviewer must name someone (or leave it out to record your login name)")
    store = open_store(args)
    try:
        report = ingest_paths_parallel(store, args.paths, workers=args.workers,
                                       publisher=args.publisher, published=args.published, url=args.url,
                                       title=args.title, reextract=args.reextract, progress=True,
                                       added_by=args.reviewer if args.reviewer is not None else _login_name())
    finally:
        store.close()
    if args.json:
        _print_json(report.to_dict())
    else:
        print(report.summary().splitlines()[0])
    for f in report.failed:
        print(f"error: {f}", file=sys.stderr)
    for s in report.skipped:
        print(f"skipped: {s}", file=sys.stderr)
    for r in report.reextracted:
        if r.orphaned:
            print(f"orphaned: document {r.document_id}: reviewed claims no longer extracted (kept, flagged): "
                  f"{', '.join(map(str, r.orphaned))}", file=sys.stderr)
    return EXIT_FAIL if report.failed else EXIT_OK


def _login_name() -> str | None:
    """Return the operating-system login name, or None when there is none (e.g. a container's unnamed uid)."""
    import getpass

    try:
        return getpass.getuser().strip() or None
    except (OSError, KeyError, ImportError):
        return None


def add_list(sub: argparse._SubParsersAction) -> None:
    from claims.constants import ORDERS

    p = sub.add_parser("list", help="list stored claims matching filters",
                       description="List stored claims with their publisher and current verdict.")
    add_db_arg(p)
    add_filter_args(p)
    p.add_argument("--limit", type=int, default=50, help="at most N claims (default 50; 0 for all)")
    p.add_argument("--offset", type=int, default=0, help="skip the first N matches")
    p.add_argument("--order", choices=ORDERS, default="document", help="sort order (default: document)")
    p.add_argument("--fuzzy", action="store_true",
                   help="also match stored spelling variants of --search (e.g. Tehreek finds Tehrik)")
    p.add_argument("--json", action="store_true", help="one JSON object per claim")
    p.set_defaults(func=cmd_list)


def cmd_list(args: argparse.Namespace) -> int:
    if args.limit < 0 or args.offset < 0:
        raise BadInputError("--limit and --offset must be 0 or more")
    flt = filter_from_args(args)
    if args.fuzzy and not flt.text:
        raise BadInputError("--fuzzy widens --search: give --search TEXT too")
    store = open_store(args)
    try:
        if args.fuzzy:
            flt.text_terms = store.fuzzy_terms(flt.text)
            if flt.text_terms:
                print(f"also matching: {', '.join(flt.text_terms)}", file=sys.stderr)
        rows = store.query_claims(flt, limit=args.limit or None, offset=args.offset, order=args.order)
        total = store.count_claims(flt)
    finally:
        store.close()
    if args.json:
        for r in rows:
            _print_json(r.to_dict())
        return EXIT_OK
    print_table(["id", "kind", "value", "quote", "subject", "attributed to", "publisher", "published", "verdict", "v"],
                [(r.id, r.claim.kind.value + (f"/{r.claim.outcome.value}" if r.claim.outcome else ""),
                  _value_text(r.claim) + ("*" if r.corrected else ""), r.claim.quote, r.effective("subject") or "",
                  r.effective("attributed_to") or "", r.publisher or "", r.published or "",
                  r.verdict.value + (" (orphaned)" if r.orphaned else ""), r.version) for r in rows], width=40)
    print(f"{len(rows)} of {total} claims" + (" (* corrected by a reviewer)" if any(r.corrected for r in rows) else ""),
          file=sys.stderr)
    return EXIT_OK


def _get_claim(store, claim_id: int):
    rec = store.get_claim(claim_id)
    if rec is None:
        raise NotFoundError(f"claim {claim_id} does not exist (try: python -m claims list)")
    return rec


def add_show(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show", help="show one claim with its sentence, document and review",
                       description="Show claim ID: extracted values, sentence, document, current review and version.")
    p.add_argument("claim_id", type=int, metavar="ID")
    add_db_arg(p)
    p.add_argument("--json", action="store_true", help="print the claim as one JSON object")
    p.set_defaults(func=cmd_show)


def cmd_show(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        rec = _get_claim(store, args.claim_id)
    finally:
        store.close()
    if args.json:
        _print_json(rec.to_dict())
        return EXIT_OK
    _print_record(rec)
    return EXIT_OK


def _print_record(rec) -> None:
    c = rec.claim
    d = rec.to_dict()
    lines = [f"claim {rec.id}  ({c.kind.value}{'/' + c.outcome.value if c.outcome else ''})"
             + ("  ORPHANED: the current extractor no longer finds it" if rec.orphaned else "")]
    for name in ("quote", "low", "high", "approximate", "subject", "unit", "date", "duration", "attributed_to"):
        value = d[name]
        if value is None or value is False:
            continue
        extra = f"   (corrected to {rec.corrected[name]!r})" if name in rec.corrected else ""
        lines.append(f"  {name:<14}{value}{extra}")
    for name, value in rec.corrected.items():
        if d.get(name) is None or d.get(name) is False:
            lines.append(f"  {name:<14}(none)   (corrected to {value!r})")
    lines.append(f"  {'span':<14}{c.start}-{c.end}   rule {c.rule or '-'}   extractor {rec.extractor_version}")
    if c.sentence:
        i = c.sentence.find(c.quote)
        shown = c.sentence if i < 0 else c.sentence[:i] + "[[" + c.quote + "]]" + c.sentence[i + len(c.quote):]
        lines.append(f"  sentence      {' '.join(shown.split())}")
    lines.append(f"document {rec.document_id}: {rec.title or '(no title)'}")
    for name, value in (("publisher", rec.publisher), ("published", rec.published), ("url", rec.url),
                        ("file", rec.filename)):
        if value:
            lines.append(f"  {name:<14}{value}")
    lines.append(f"review  version {rec.version}: {rec.verdict.value}")
    if rec.reviewer:
        lines.append(f"  {'by':<14}{rec.reviewer} at {rec.reviewed_at.isoformat(timespec='seconds')}")
    if rec.note:
        lines.append(f"  {'note':<14}{rec.note}")
    if rec.evidence_url:
        lines.append(f"  {'evidence':<14}{rec.evidence_url}")
    print("\n".join(lines))


def _field_value(item: str) -> tuple[str, str | None]:
    if "=" not in item:
        raise BadInputError(f"--set: want FIELD=VALUE, got {item!r}")
    name, value = item.split("=", 1)
    return name.strip(), (value.strip() or None)


def add_review(sub: argparse._SubParsersAction) -> None:
    from claims.model import CORRECTABLE_FIELDS, VERDICT_HELP, Verdict

    p = sub.add_parser("review", help="record a verdict (and note, corrections, evidence) on a claim",
                       description="Review claim ID. Verdicts: " + "; ".join(
                           f"{v.value}: {VERDICT_HELP[v]}" for v in Verdict) + " Exit 1 with a 'conflict' message "
                       "when --expect-version is given and the claim changed since.",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("claim_id", type=int, metavar="ID")
    add_db_arg(p)
    p.add_argument("--verdict", required=True, choices=[v.value for v in Verdict])
    p.add_argument("--reviewer", required=True, metavar="NAME", help="who is reviewing (recorded in history)")
    p.add_argument("--note", help="reviewer's note ('' clears it)")
    p.add_argument("--evidence-url", metavar="URL", help="link to the evidence ('' clears it)")
    p.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE", dest="corrections",
                   help="correct a value; FIELD in " + ", ".join(CORRECTABLE_FIELDS) + " (FIELD= for none)")
    p.add_argument("--expect-version", type=int, metavar="N",
                   help="refuse if the claim's review is no longer at version N (see `show`)")
    p.add_argument("--json", action="store_true", help="print the updated claim as one JSON object")
    p.set_defaults(func=cmd_review)


def cmd_review(args: argparse.Namespace) -> int:
    corrected = dict(_field_value(item) for item in args.corrections)
    store = open_store(args)
    try:
        rec = store.review(args.claim_id, verdict=args.verdict, reviewer=args.reviewer, note=args.note,
                           corrected=corrected or None, evidence_url=args.evidence_url,
                           expect_version=args.expect_version)
    finally:
        store.close()
    if args.json:
        _print_json(rec.to_dict())
    else:
        print(f"claim {rec.id}: {rec.verdict.value} by {rec.reviewer}, now version {rec.version}")
    return EXIT_OK


def add_history(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("history", help="show every change made to a claim's review",
                       description="Print the append-only review history of claim ID, oldest first.")
    p.add_argument("claim_id", type=int, metavar="ID")
    add_db_arg(p)
    p.add_argument("--json", action="store_true", help="one JSON object per change")
    p.set_defaults(func=cmd_history)


def cmd_history(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        _get_claim(store, args.claim_id)
        entries = store.history(args.claim_id)
    finally:
        store.close()
    if args.json:
        for h in entries:
            _print_json(h.to_dict())
        return EXIT_OK
    print_table(["version", "at", "reviewer", "field", "old", "new"],
                [(h.version, h.at.isoformat(timespec="seconds"), h.reviewer, h.field,
                  json.dumps(h.old, ensure_ascii=False), json.dumps(h.new, ensure_ascii=False)) for h in entries])
    print(f"{len(entries)} changes", file=sys.stderr)
    return EXIT_OK


def add_stats(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="count documents, claims, reviews and verdicts",
                       description="Summarise the store: documents, claims, reviewed, verdicts, kinds, publishers.")
    add_db_arg(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_stats)


def cmd_stats(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        s = store.stats()
    finally:
        store.close()
    if args.json:
        _print_json(s)
        return EXIT_OK
    for key, value in s.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items()) or "-"
        print(f"{key.replace('_', ' '):<20}{'-' if value is None else value}")
    return EXIT_OK


REPO_ROOT = Path(__file__).resolve().parent.parent
DASHBOARD_APP = Path("dashboard") / "streamlit_app.py"


def add_serve(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="start the review dashboard (Streamlit) on this store",
                       description="Run `python -m streamlit run dashboard/streamlit_app.py` from the project root "
                                   "with CLAIMS_DB_URL set to the store. Listens on localhost unless --host says "
                                   "otherwise.")
    add_db_arg(p)
    p.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    p.add_argument("--host", default="localhost",
                   help="address to listen on (default localhost; 0.0.0.0 exposes it to the network)")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    import os
    import subprocess

    if not 0 < args.port < 65536:
        raise BadInputError(f"--port: want 1-65535, got {args.port}")
    app = REPO_ROOT / DASHBOARD_APP
    if not app.is_file():
        raise BadInputError(f"dashboard not found at {app}")
    store = open_store(args)  # fail here, with our message, on a bad URL; also migrates
    url = store.url
    store.close()
    env = dict(os.environ, CLAIMS_DB_URL=url)
    cmd = [sys.executable, "-m", "streamlit", "run", str(DASHBOARD_APP), "--server.port", str(args.port),
           "--server.address", args.host, "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    print(f"dashboard on http://{args.host}:{args.port}  (store {store!r}; Ctrl-C stops it)", file=sys.stderr)
    import signal

    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env)

    def stop(signum, frame):  # a service manager's SIGTERM must not leave streamlit running on its own
        proc.terminate()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        return EXIT_OK
    finally:
        signal.signal(signal.SIGTERM, previous)


STORE_COMMANDS = [add_ingest, add_list, add_show, add_review, add_history, add_stats, add_serve]


# ---------------------------------------------------------------- main
COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [add_extract, add_bench, *STORE_COMMANDS]

from claims.export.commands import add_export, add_import, add_verify  # noqa: E402

COMMANDS += [add_export, add_import, add_verify]

from claims.compare.commands import add_compare  # noqa: E402

COMMANDS += [add_compare]


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
