"""The store commands: ingest, list, show, review, history, stats."""
from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from claims.cli.common import (DB, EXIT_FAIL, EXIT_OK, FILTERS, JSON, filter_from_args, get_claim, iso_date,
                               open_store, print_json, print_table, value_text)
from claims.errors import BadInputError

if TYPE_CHECKING:
    from claims.ingest import IngestReport
    from claims.store import Store


# ---------------------------------------------------------------- ingest
def add_ingest(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", parents=[DB, JSON],
                       help="read files, folders, web pages and feeds, extract their claims and store them",
                       description="Store .txt, .md, .html/.htm, .json and .jsonl files (folders are read recursively, "
                                   "in name order), http(s) web pages and RSS/Atom feeds, with their claims. "
                                   "NAME.meta.json next to a file gives its title, url, publisher and published "
                                   "date; a web page's own metadata gives them for a URL; the options below win "
                                   "over both. Text already stored is skipped; a changed page at a stored address "
                                   "becomes its next version, keeping the reviews of unchanged claims. "
                                   "Exit 1 when any document failed.")
    p.add_argument("paths", nargs="*", metavar="PATH|URL", help="files, folders and http(s) URLs of web pages")
    p.add_argument("--publisher", metavar="NAME", help="publisher of every document (overrides file metadata)")
    p.add_argument("--published", type=iso_date, metavar="DATE", help="publication date YYYY-MM-DD (overrides)")
    p.add_argument("--url", help="source URL of files (overrides; a web page keeps the address it came from)")
    p.add_argument("--title", help="title (overrides)")
    p.add_argument("--reviewer", metavar="NAME",
                   help="who is adding the documents (recorded with each new one; default: your login name)")
    p.add_argument("--reextract", action="store_true",
                   help="re-run the current extractor over stored documents (those in PATHs, or all without PATH), "
                        "keeping every review")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="extract in N processes (on PostgreSQL each also writes, through its own connection); several "
                        "whole documents per transaction (default 1)")
    p.add_argument("--dask", metavar="ADDRESS",
                   help="extract on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786); this process "
                        "reads the files, ships their text and writes (see docs/deploy.md)")
    p.add_argument("--feed", metavar="URL", help="an RSS or Atom feed: store each entry's page; entries already "
                                                 "stored (by address or text) are skipped")
    p.add_argument("--watch", type=float, metavar="MINUTES",
                   help="with --feed: poll the feed every MINUTES until stopped (Ctrl-C), one summary line a poll; "
                        "waits longer after a failed poll")
    p.add_argument("--polls", type=int, metavar="N", help="with --watch: stop after N polls")
    p.set_defaults(func=cmd_ingest)


def cmd_ingest(args: argparse.Namespace) -> int:
    from claims.ingest import IngestReport
    from claims.ingest_web import ingest_urls
    from claims.parallel import ingest_paths_dask, ingest_paths_parallel
    from claims.web import is_url

    if args.watch is not None and not args.feed:
        raise BadInputError("--watch: needs --feed URL (the feed to poll)")
    if not args.paths and not args.reextract and not args.feed:
        raise BadInputError("ingest: give at least one PATH or URL, or --feed URL "
                            "(or --reextract to re-extract every stored document)")
    if args.watch is not None and not args.watch > 0:
        raise BadInputError(f"--watch: want a positive number of minutes, got {args.watch:g}")
    if args.polls is not None and (args.watch is None or args.polls < 1):
        raise BadInputError("--polls: needs --watch and a number of polls of 1 or more")
    urls = [p for p in args.paths if is_url(p)]
    paths = [p for p in args.paths if not is_url(p)]
    if args.reextract and (urls or args.feed):
        raise BadInputError("--reextract: works on files and stored documents, not on URLs or feeds")
    if args.workers < 1:
        raise BadInputError(f"--workers: want 1 or more processes, got {args.workers}")
    if args.dask is not None and (args.reextract or args.workers != 1 or not args.dask.strip()):
        raise BadInputError("--dask: give the scheduler's address (tcp://host:8786); it does not combine with "
                            "--reextract or --workers (the cluster's workers extract)")
    if args.reviewer is not None and not args.reviewer.strip():
        raise BadInputError("ingest: --reviewer must name someone (or leave it out to record your login name)")
    added_by = args.reviewer if args.reviewer is not None else login_name()
    with open_store(args) as store:
        report = IngestReport()
        if paths and args.dask:
            report = ingest_paths_dask(store, paths, scheduler=args.dask, publisher=args.publisher,
                                       published=args.published, url=args.url, title=args.title, added_by=added_by)
        elif paths or args.reextract:
            report = ingest_paths_parallel(store, paths, workers=args.workers,
                                           publisher=args.publisher, published=args.published, url=args.url,
                                           title=args.title, reextract=args.reextract, progress=True,
                                           added_by=added_by)
        if urls:
            report.extend(ingest_urls(store, urls, publisher=args.publisher, published=args.published,
                                      title=args.title, added_by=added_by, progress=True))
        if args.feed:
            return _ingest_feed(store, args, report, added_by=added_by)
    return _print_ingest(args, report)


def _ingest_feed(store: Store, args: argparse.Namespace, report: IngestReport, *, added_by: str | None) -> int:
    from claims.ingest_web import ingest_feed, watch_feed

    if args.paths:
        _print_ingest(args, report)
    if args.watch is None:
        poll = ingest_feed(store, args.feed, publisher=args.publisher, added_by=added_by, progress=True)
        report.extend(poll.report)
        if args.json:
            print_json({"feed": args.feed, "entries": poll.entries, "known": poll.known, **poll.report.to_dict()})
        else:
            print(poll.summary())
        for f in poll.report.failed:
            print(f"error: {f}", file=sys.stderr)
        return EXIT_FAIL if report.failed else EXIT_OK
    try:
        polls = watch_feed(store, args.feed, minutes=args.watch, polls=args.polls, publisher=args.publisher,
                           added_by=added_by, echo=lambda line: print(line, flush=True))
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return EXIT_OK
    return EXIT_FAIL if report.failed or not polls[-1].ok else EXIT_OK


def _print_ingest(args: argparse.Namespace, report: IngestReport) -> int:
    if args.json:
        print_json(report.to_dict())
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


def login_name() -> str | None:
    """Return the operating-system login name, or None when there is none (e.g. a container's unnamed uid)."""
    import getpass

    try:
        return getpass.getuser().strip() or None
    except (OSError, KeyError, ImportError):
        return None


# ---------------------------------------------------------------- list
def add_list(sub: argparse._SubParsersAction) -> None:
    from claims.constants import ORDERS

    p = sub.add_parser("list", parents=[DB, FILTERS, JSON], help="list stored claims matching filters",
                       description="List stored claims with their publisher and current verdict.")
    p.add_argument("--limit", type=int, default=50, help="at most N claims (default 50; 0 for all)")
    p.add_argument("--offset", type=int, default=0, help="skip the first N matches")
    p.add_argument("--order", choices=ORDERS, default="document", help="sort order (default: document)")
    p.add_argument("--fuzzy", action="store_true",
                   help="also match stored spelling variants of --search (e.g. Tehreek finds Tehrik)")
    p.set_defaults(func=cmd_list)


def cmd_list(args: argparse.Namespace) -> int:
    if args.limit < 0 or args.offset < 0:
        raise BadInputError("--limit and --offset must be 0 or more")
    flt = filter_from_args(args)
    if args.fuzzy and not flt.text:
        raise BadInputError("--fuzzy widens --search: give --search TEXT too")
    with open_store(args) as store:
        if args.fuzzy:
            flt.text_terms = store.fuzzy_terms(flt.text)
            if flt.text_terms:
                print(f"also matching: {', '.join(flt.text_terms)}", file=sys.stderr)
        rows = store.query_claims(flt, limit=args.limit or None, offset=args.offset, order=args.order)
        total = store.count_claims(flt)
    if args.json:
        for r in rows:
            print_json(r.to_dict())
        return EXIT_OK
    print_table(["id", "kind", "value", "quote", "subject", "attributed to", "publisher", "published", "verdict", "v"],
                [(r.id, r.claim.kind.value + (f"/{r.claim.outcome.value}" if r.claim.outcome else ""),
                  value_text(r.claim) + ("*" if r.corrected else ""), r.claim.quote, r.effective("subject") or "",
                  r.effective("attributed_to") or "", r.publisher or "", r.published or "",
                  r.verdict.value + (" (orphaned)" if r.orphaned else ""), r.version) for r in rows], width=40)
    print(f"{len(rows)} of {total} claims" + (" (* corrected by a reviewer)" if any(r.corrected for r in rows) else ""),
          file=sys.stderr)
    return EXIT_OK


# ---------------------------------------------------------------- show
def add_show(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show", parents=[DB, JSON], help="show one claim with its sentence, document and review",
                       description="Show claim ID: extracted values, sentence, document, current review and version.")
    p.add_argument("claim_id", type=int, metavar="ID")
    p.add_argument("--reviewer", metavar="NAME",
                   help="show it as NAME would see it: with blind review on, other reviewers' verdicts stay hidden "
                        "until NAME has saved one")
    p.set_defaults(func=cmd_show)


def cmd_show(args: argparse.Namespace) -> int:
    from claims.team import review_status

    with open_store(args) as store:
        rec = get_claim(store, args.claim_id)
        status = review_status(store, rec.id, viewer=args.reviewer)
    if args.json:
        print_json({**rec.to_dict(), **status})
        return EXIT_OK
    _print_record(rec)
    _print_status(status)
    return EXIT_OK


def _print_status(status: dict) -> None:
    lines = [f"  {'state':<14}{status['review_state']} ({status['reviews_required']} agreeing review"
             f"{'s' if status['reviews_required'] > 1 else ''} required)"]
    for v in status["votes"]:
        lines.append(f"  {'verdict of':<14}{v['reviewer']}: {v['verdict']}" + (f" ({v['note']})" if v["note"] else ""))
    if status["votes_hidden"]:
        lines.append(f"  {'hidden':<14}{status['votes_hidden']} other verdict(s): blind review, save yours first")
    if status["assigned_to"]:
        lines.append(f"  {'assigned to':<14}{', '.join(status['assigned_to'])}")
    print("\n".join(lines))


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


# ---------------------------------------------------------------- review
def _field_value(item: str) -> tuple[str, str | None]:
    if "=" not in item:
        raise BadInputError(f"--set: want FIELD=VALUE, got {item!r}")
    name, value = item.split("=", 1)
    return name.strip(), (value.strip() or None)


def add_review(sub: argparse._SubParsersAction) -> None:
    from claims.model import CORRECTABLE_FIELDS, VERDICT_HELP, Verdict

    p = sub.add_parser("review", parents=[DB, JSON],
                       help="record a verdict (and note, corrections, evidence) on a claim",
                       description="Review claim ID. Verdicts: " + "; ".join(
                           f"{v.value}: {VERDICT_HELP[v]}" for v in Verdict) + " Exit 1 with a 'conflict' message "
                       "when --expect-version is given and the claim changed since.",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("claim_id", type=int, metavar="ID")
    p.add_argument("--verdict", required=True, choices=[v.value for v in Verdict])
    p.add_argument("--reviewer", required=True, metavar="NAME", help="who is reviewing (recorded in history)")
    p.add_argument("--note", help="reviewer's note ('' clears it)")
    p.add_argument("--evidence-url", metavar="URL", help="link to the evidence ('' clears it)")
    p.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE", dest="corrections",
                   help="correct a value; FIELD in " + ", ".join(CORRECTABLE_FIELDS) + " (FIELD= for none)")
    p.add_argument("--expect-version", type=int, metavar="N",
                   help="refuse if the claim's review is no longer at version N (see `show`)")
    p.set_defaults(func=cmd_review)


def cmd_review(args: argparse.Namespace) -> int:
    corrected = dict(_field_value(item) for item in args.corrections)
    with open_store(args) as store:
        rec = store.review(args.claim_id, verdict=args.verdict, reviewer=args.reviewer, note=args.note,
                           corrected=corrected or None, evidence_url=args.evidence_url,
                           expect_version=args.expect_version)
    if args.json:
        print_json(rec.to_dict())
    else:
        if rec.review_state in ("needs_second", "disagreed"):  # two-review mode: this was one reviewer's verdict
            print(f"claim {rec.id}: {rec.reviewer}'s verdict recorded ({args.verdict}); the claim is "
                  f"{rec.review_state.replace('_', ' ')}, its verdict stays {rec.verdict.value}; now version "
                  f"{rec.version}")
        else:
            print(f"claim {rec.id}: {rec.verdict.value} by {rec.reviewer}, now version {rec.version}")
    return EXIT_OK


# ---------------------------------------------------------------- history
def add_history(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("history", parents=[DB, JSON], help="show every change made to a claim's review",
                       description="Print the append-only review history of claim ID, oldest first.")
    p.add_argument("claim_id", type=int, metavar="ID")
    p.set_defaults(func=cmd_history)


def cmd_history(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        get_claim(store, args.claim_id)
        entries = store.history(args.claim_id)
    if args.json:
        for h in entries:
            print_json(h.to_dict())
        return EXIT_OK
    print_table(["version", "at", "reviewer", "field", "old", "new"],
                [(h.version, h.at.isoformat(timespec="seconds"), h.reviewer, h.field,
                  json.dumps(h.old, ensure_ascii=False), json.dumps(h.new, ensure_ascii=False)) for h in entries])
    print(f"{len(entries)} changes", file=sys.stderr)
    return EXIT_OK


# ---------------------------------------------------------------- stats
def add_stats(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", parents=[DB, JSON], help="count documents, claims, reviews and verdicts",
                       description="Summarise the store: documents, claims, reviewed, verdicts, kinds, publishers.")
    p.set_defaults(func=cmd_stats)


def cmd_stats(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        s = store.stats()
    if args.json:
        print_json(s)
        return EXIT_OK
    for key, value in s.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items()) or "-"
        print(f"{key.replace('_', ' '):<20}{'-' if value is None else value}")
    return EXIT_OK


# ---------------------------------------------------------------- documents: edit and delete
def add_document_cmds(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("edit-document", parents=[DB], help="change a stored document's title, publisher or date",
                       description="Change document ID's title, publisher or publication date; each change is "
                                   "kept in its history (document_changes) with who made it. '' clears a field.")
    p.add_argument("document_id", type=int, metavar="ID")
    p.add_argument("--title")
    p.add_argument("--publisher")
    p.add_argument("--published", metavar="YYYY-MM-DD")
    p.add_argument("--reviewer", required=True, metavar="NAME", help="who is changing it (recorded)")
    p.set_defaults(func=cmd_edit_document)
    p = sub.add_parser("delete-document", parents=[DB],
                       help="remove a document and its claims, keeping their reviews in an audit table",
                       description="Remove document ID, its claims and their reviews from every page and export. "
                                   "Everything removed (reviews and their history included) is copied first "
                                   "into the deleted_documents table with who deleted it and when. Once roles "
                                   "are set up (python -m claims reviewer add NAME --role editor) only editors may.")
    p.add_argument("document_id", type=int, metavar="ID")
    p.add_argument("--reviewer", required=True, metavar="NAME", help="who is deleting it (recorded)")
    p.set_defaults(func=cmd_delete_document)


def cmd_edit_document(args: argparse.Namespace) -> int:
    from claims.documents import edit_document

    with open_store(args) as store:
        changes = edit_document(store, args.document_id, reviewer=args.reviewer, title=args.title,
                                publisher=args.publisher, published=args.published)
    for c in changes:
        print(f"document {c.document_id}: {c.field} {c.old or '(none)'!s} -> {c.new or '(none)'!s}")
    if not changes:
        print(f"document {args.document_id}: nothing changed")
    return EXIT_OK


def cmd_delete_document(args: argparse.Namespace) -> int:
    from claims.documents import delete_document
    from claims.team import actor_for

    with open_store(args) as store:
        rep = delete_document(store, args.document_id, reviewer=args.reviewer,
                              actor=actor_for(store, args.reviewer))
    print(f"deleted document {rep.document_id} ({rep.title or 'untitled'}): {rep.claims} claims, {rep.reviewed} "
          f"reviewed; everything removed is kept in deleted_documents (row {rep.audit_id})")
    return EXIT_OK
