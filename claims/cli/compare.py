"""The ``compare`` command: compute and list groups, show a ledger, and record reviewers' decisions.

    python -m claims compare [--db URL] [--json] [filters] [--discrepancies] [--sort spread|size|date]
    python -m claims compare show G [--json]
    python -m claims compare merge G1 G2 [G...] --reviewer R [--force]
    python -m claims compare split CLAIM --reviewer R
    python -m claims compare move CLAIM --to G --reviewer R
    python -m claims compare rule G --rule conservative|best|latest|reviewer --reviewer R
                                   [--low N --best N --high N --rationale TEXT]
    python -m claims compare log [G] [--json]
    python -m claims compare undo [DECISION] --reviewer R
"""
from __future__ import annotations

import argparse
import sys

from claims.cli.common import (DB, EXIT_OK, FILTERS, JSON, NESTED_DB, NESTED_JSON, filter_from_args, open_store,
                               print_json, print_table)
from claims.compare.rules import RULE_HELP, Rule


def add_compare(sub: argparse._SubParsersAction) -> None:
    """Register ``compare`` and its subcommands."""
    p = sub.add_parser(
        "compare", parents=[DB, JSON, FILTERS], help="group the same fact across sources and reconcile the figures",
        description="Group claims that state the same fact across documents, store the groups (keeping "
                    "reviewers' merge/split/move/rule decisions), and list them with the reconciled "
                    "low/best/high. Subcommands show one group's ledger or record a decision.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="rules:\n" + "\n".join(f"  {r.value:<13}{RULE_HELP[r]}" for r in Rule))
    p.add_argument("--no-run", action="store_true", help="list the stored groups without recomputing them")
    p.add_argument("--discrepancies", action="store_true",
                   help="only groups whose credible figures disagree (the Discrepancies queue)")
    p.add_argument("--sort", choices=("spread", "size", "date"), default="spread",
                   help="largest disagreement first (default), most members first, or earliest report first")
    p.add_argument("--min-size", type=int, default=2, metavar="N", help="only groups of at least N claims (default 2)")
    p.add_argument("--limit", type=int, default=0, metavar="N", help="list at most N groups (0: all)")
    p.set_defaults(func=cmd_compare)
    acts = p.add_subparsers(dest="compare_action", metavar="ACTION")

    s = acts.add_parser("show", parents=[NESTED_DB, NESTED_JSON], help="one group's figure ledger")
    s.add_argument("group", type=int, metavar="G")
    s.set_defaults(func=cmd_show)

    m = acts.add_parser("merge", parents=[NESTED_DB, NESTED_JSON], help="merge groups (into the lowest id)")
    m.add_argument("groups", type=int, nargs="+", metavar="G")
    m.add_argument("--reviewer", required=True, metavar="NAME")
    m.add_argument("--force", action="store_true",
                   help="merge even groups of different kinds or outcomes (killed and injured): only when they "
                        "really state one fact")
    m.set_defaults(func=cmd_merge)

    sp = acts.add_parser("split", parents=[NESTED_DB, NESTED_JSON], help="take a claim out of its group")
    sp.add_argument("claim", type=int, metavar="CLAIM")
    sp.add_argument("--reviewer", required=True, metavar="NAME")
    sp.set_defaults(func=cmd_split)

    mv = acts.add_parser("move", parents=[NESTED_DB, NESTED_JSON], help="move a claim into another group")
    mv.add_argument("claim", type=int, metavar="CLAIM")
    mv.add_argument("--to", type=int, required=True, metavar="G")
    mv.add_argument("--reviewer", required=True, metavar="NAME")
    mv.set_defaults(func=cmd_move)

    r = acts.add_parser("rule", parents=[NESTED_DB, NESTED_JSON], help="choose how a group's figure is reconciled")
    r.add_argument("group", type=int, metavar="G")
    r.add_argument("--rule", required=True, choices=[x.value for x in Rule])
    r.add_argument("--reviewer", required=True, metavar="NAME")
    r.add_argument("--low", metavar="N")
    r.add_argument("--best", metavar="N")
    r.add_argument("--high", metavar="N")
    r.add_argument("--rationale", metavar="TEXT")
    r.set_defaults(func=cmd_rule)

    lg = acts.add_parser("log", parents=[NESTED_DB, NESTED_JSON], help="reviewers' decisions, oldest first")
    lg.add_argument("group", type=int, nargs="?", metavar="G")
    lg.set_defaults(func=cmd_log)

    u = acts.add_parser("undo", parents=[NESTED_DB, NESTED_JSON],
                        help="take back a merge, split, move or rule (the latest by default) and recompute")
    u.add_argument("decision", type=int, nargs="?", metavar="DECISION", help="decision id from `compare log`")
    u.add_argument("--reviewer", required=True, metavar="NAME")
    u.set_defaults(func=cmd_undo)


def _fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def cmd_compare(args: argparse.Namespace) -> int:
    from claims.compare import persist
    from claims.errors import BadInputError

    if args.limit < 0 or args.min_size < 1:
        raise BadInputError("--limit must be 0 or more and --min-size 1 or more")
    flt = filter_from_args(args)
    with open_store(args) as store:
        if not args.no_run:
            run = persist.run_compare(store)
            print(f"compared {run.claims} claims into {run.groups} groups ({run.multi} with 2+ claims, "
                  f"{run.discrepancies} discrepancies); decisions replayed: {run.decisions_applied}"
                  + (f", stale: {run.decisions_stale}" if run.decisions_stale else "")
                  + f"; {run.seconds:.2f} s", file=sys.stderr)
        # Only the groups to be printed are loaded with their members (--limit 10 of 14,000 reads 10).
        groups = persist.list_groups(store, flt=flt, min_size=args.min_size,
                                     discrepancies_only=args.discrepancies, sort=args.sort,
                                     limit=args.limit or None)
    if args.json:
        for g in groups:
            print_json(g.to_dict())
        return EXIT_OK
    print_table(["group", "kind", "incident", "label", "low", "best", "high", "rule", "reports", "spread", "flag"],
                [(g.id, g.kind + (f"/{g.outcome}" if g.outcome else ""), g.event_label or "", g.label,
                  _fmt(g.reconciled.low),
                  _fmt(g.reconciled.best), _fmt(g.reconciled.high), g.rule, g.reconciled.summary,
                  f"{g.reconciled.spread_ratio:.0%}",
                  "DISCREPANCY" if g.reconciled.discrepancy else "") for g in groups], width=50)
    print(f"{len(groups)} group{'' if len(groups) == 1 else 's'}", file=sys.stderr)
    return EXIT_OK


def _print_group(g, *, as_json: bool) -> None:
    if as_json:
        print_json(g.to_dict(ledger=True))
        return
    rc = g.reconciled
    print(f"group {g.id}: {g.label}")
    if g.event_label:
        print(f"incident {g.event_id}: {g.event_label}")
    print(f"reconciled ({g.rule}): low {_fmt(rc.low)}, best {_fmt(rc.best)}, high {_fmt(rc.high)}; {rc.summary}"
          + ("; DISCREPANCY" if rc.discrepancy else "")
          + (f"; rationale: {rc.rationale}" if rc.rationale else "")
          + (f"; rule set by {g.rule_reviewer}" if g.rule_reviewer else "")
          + ("; STALE: members changed since the reviewer chose this figure" if g.figure_stale else ""))
    print("(reports count documents: a document's own repeats are one report, marked 'repeat'; "
          "independent reports collapse wire copies)")
    print_table(["claim", "source", "publisher", "published", "figure", "quote", "attributed to", "verdict", "file"],
                [(row.claim_id, f"S{row.source}" + (" wire" if row.wire_copy else "") + (" repeat" if row.repeat else ""),
                  row.publisher or "",
                  row.published or "", row.figure + ("*" if row.corrected else ""), row.quote,
                  row.attributed_to or "",
                  row.verdict + ("" if row.credible else " (left out)") + (" (flagged)" if row.disputed else ""),
                  f"{row.filename or ''}#{row.document_id}") for row in rc.ledger], width=40)
    reasons = [(row.claim_id, g.reasons[row.fingerprint]) for row in rc.ledger if row.fingerprint in g.reasons]
    if reasons:
        print_table(["claim", "why in this group"], reasons, width=100)


def cmd_show(args: argparse.Namespace) -> int:
    from claims.compare import persist
    from claims.errors import NotFoundError

    with open_store(args) as store:
        g = persist.get_group(store, args.group)
    if g is None:
        raise NotFoundError(f"no group {args.group} (run `python -m claims compare` to compute groups)")
    _print_group(g, as_json=args.json)
    return EXIT_OK


def _decide(args: argparse.Namespace, fn) -> int:

    with open_store(args) as store:
        g = fn(store)
    _print_group(g, as_json=args.json)
    return EXIT_OK


def cmd_merge(args: argparse.Namespace) -> int:
    from claims.compare import persist

    from claims.errors import MergeRefusedError

    try:
        return _decide(args, lambda s: persist.merge(s, args.groups, reviewer=args.reviewer, force=args.force))
    except MergeRefusedError as e:
        raise MergeRefusedError(f"{e} (add --force to merge anyway)") from None


def cmd_split(args: argparse.Namespace) -> int:
    from claims.compare import persist

    return _decide(args, lambda s: persist.split(s, args.claim, reviewer=args.reviewer))


def cmd_move(args: argparse.Namespace) -> int:
    from claims.compare import persist

    return _decide(args, lambda s: persist.move(s, args.claim, to=args.to, reviewer=args.reviewer))


def cmd_rule(args: argparse.Namespace) -> int:
    from claims.compare import persist

    return _decide(args, lambda s: persist.set_rule(s, args.group, rule=args.rule, reviewer=args.reviewer,
                                                   low=args.low, best=args.best, high=args.high,
                                                   rationale=args.rationale))


def cmd_log(args: argparse.Namespace) -> int:
    from claims.compare import persist

    with open_store(args) as store:
        rows = persist.decisions(store, group_id=args.group)
    if args.json:
        for d in rows:
            print_json(d)
        return EXIT_OK
    print_table(["id", "action", "reviewer", "at", "claims", "rule", "rationale", "note"],
                [(d["id"], d["action"], d["reviewer"], d["at"], d["claims"], d["rule"] or "", d["rationale"] or "",
                  (f"undoes {d['undoes']}" if d["undoes"] else "") + (" forced" if d["forced"] else "")
                  + (" (undone)" if d["undone"] else ""))
                 for d in rows])
    return EXIT_OK


def cmd_undo(args: argparse.Namespace) -> int:
    from claims.compare import persist

    with open_store(args) as store:
        d = persist.undo(store, args.decision, reviewer=args.reviewer)
    if args.json:
        print_json(d)
        return EXIT_OK
    print(f"undid decision {d['id']} ({d['action']} by {d['reviewer']}, {d['claims']} claims); groups recomputed")
    return EXIT_OK
