"""The team review commands: config, reviewer, assign, agreement, adjudicate."""
from __future__ import annotations

import argparse

from claims.cli.common import (DB, EXIT_OK, FILTERS, JSON, NESTED_DB, filter_from_args, open_store, print_json,
                               print_records, print_table)
from claims.settings import setting


def acting_name(args: argparse.Namespace) -> str | None:
    """Return who is acting: --by, else CLAIMS_REVIEWER, else the login name."""
    from claims.cli.store import login_name

    return (getattr(args, "by", None) or setting("CLAIMS_REVIEWER") or login_name() or "").strip() or None


def _by(p: argparse.ArgumentParser) -> None:
    p.add_argument("--by", metavar="NAME", help="who is acting; their role comes from the reviewers table "
                                                "(default CLAIMS_REVIEWER, else the login name)")


def _actor(store, args: argparse.Namespace):
    from claims.team import actor_for

    return actor_for(store, acting_name(args))


# ---------------------------------------------------------------- config
def add_config(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("config", parents=[DB], help="show or change a team setting (stored in the database)",
                       description="Team settings live in the database, so every reviewer of the store shares "
                                   "them (environment settings such as CLAIMS_DB_URL belong to one machine). "
                                   "Once the reviewers table names an editor, only editors change them. "
                                   "`config list` shows every setting with its default and what it does.")
    csub = p.add_subparsers(dest="config_command", metavar="ACTION")
    csub.required = True
    g = csub.add_parser("get", parents=[NESTED_DB], help="print one setting's value")
    g.add_argument("name", metavar="NAME")
    g.set_defaults(func=cmd_config_get)
    s = csub.add_parser("set", parents=[NESTED_DB], help="change a setting (editors)")
    s.add_argument("name", metavar="NAME")
    s.add_argument("value", metavar="VALUE")
    _by(s)
    s.set_defaults(func=cmd_config_set)
    ls = csub.add_parser("list", parents=[NESTED_DB, JSON], help="every setting with its value, default and help")
    ls.set_defaults(func=cmd_config_list)


def cmd_config_get(args: argparse.Namespace) -> int:
    from claims.team import get_setting

    with open_store(args) as store:
        print(get_setting(store, args.name))
    return EXIT_OK


def cmd_config_set(args: argparse.Namespace) -> int:
    from claims.team import get_setting, set_setting

    with open_store(args) as store:
        changed = set_setting(store, args.name, args.value, actor=_actor(store, args))
        value = get_setting(store, args.name)
    print(f"{args.name.strip()} = {value}" + ("" if changed else " (unchanged)"))
    return EXIT_OK


def cmd_config_list(args: argparse.Namespace) -> int:
    from claims.team import list_settings

    with open_store(args) as store:
        rows = list_settings(store)
    print_records(rows, [("name", "name"), ("value", "value"), ("default", "default"), ("changed by", "changed_by"),
                         ("what it does", "help")], as_json=args.json, width=90)
    return EXIT_OK


# ---------------------------------------------------------------- reviewer
def add_reviewer_cmd(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reviewer", parents=[DB], help="manage the reviewers table (roles without OIDC login)",
                       description="Roles: reviewers review; editors also adjudicate disagreements, grade sources, "
                                   "change team settings and publish. With OIDC login roles come from the token "
                                   "instead. An empty table means a single-user setup where everyone is an editor; "
                                   "the first name added must be an editor.")
    rsub = p.add_subparsers(dest="reviewer_command", metavar="ACTION")
    rsub.required = True
    a = rsub.add_parser("add", parents=[NESTED_DB], help="add a name, or change its role (editors)")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--role", choices=["reviewer", "editor"], default="reviewer", help="default reviewer")
    _by(a)
    a.set_defaults(func=cmd_reviewer_add)
    r = rsub.add_parser("remove", parents=[NESTED_DB], help="remove a name (their reviews stay)")
    r.add_argument("name", metavar="NAME")
    _by(r)
    r.set_defaults(func=cmd_reviewer_remove)
    ls = rsub.add_parser("list", parents=[NESTED_DB, JSON], help="list the reviewers table")
    ls.set_defaults(func=cmd_reviewer_list)


def cmd_reviewer_add(args: argparse.Namespace) -> int:
    from claims.team import add_reviewer

    with open_store(args) as store:
        changed = add_reviewer(store, args.name, role=args.role, actor=_actor(store, args))
    print(f"{args.name.strip()}: {args.role}" + ("" if changed else " (unchanged)"))
    return EXIT_OK


def cmd_reviewer_remove(args: argparse.Namespace) -> int:
    from claims.team import remove_reviewer

    with open_store(args) as store:
        remove_reviewer(store, args.name, actor=_actor(store, args))
    print(f"removed {args.name.strip()}")
    return EXIT_OK


def cmd_reviewer_list(args: argparse.Namespace) -> int:
    from claims.team import list_reviewers

    with open_store(args) as store:
        rows = list_reviewers(store)
    if not rows and not args.json:
        print("no reviewers table: single-user setup (everyone is an editor)")
        return EXIT_OK
    print_records(rows, [("name", "name"), ("role", "role"), ("added by", "added_by"), ("added at", "added_at")],
                  as_json=args.json)
    return EXIT_OK


# ---------------------------------------------------------------- assign
def add_assign(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("assign", parents=[DB, FILTERS, JSON], help="assign the filtered claims to a reviewer",
                       description="Put the claims the filters select (document order) in the 'Assigned to me' "
                                   "queue of the reviewer named by --reviewer NAME (here --reviewer is whom to "
                                   "assign to, not a filter). Claims already assigned to them are skipped.")
    p.add_argument("--limit", type=int, metavar="N", help="at most N claims")
    p.add_argument("--remove", action="store_true", help="take the filtered claims out of REVIEWER's queue instead")
    _by(p)
    p.set_defaults(func=cmd_assign)


def cmd_assign(args: argparse.Namespace) -> int:
    from claims.errors import BadInputError
    from claims.team import assign, unassign

    # here --reviewer names whom to assign to, not the "who last reviewed" filter it is in list and export
    names = list(args.reviewers or [])
    if len(names) != 1 or not names[0].strip():
        raise BadInputError("assign: give one --reviewer NAME (whom to assign the claims to)")
    assignee = names[0]
    args.reviewers = []
    if args.limit is not None and args.limit < 0:
        raise BadInputError("--limit must be 0 or more")
    flt = filter_from_args(args)
    with open_store(args) as store:
        if args.remove:
            n = unassign(store, reviewer=assignee, flt=flt)
        else:
            n = assign(store, reviewer=assignee, flt=flt, limit=args.limit, by=acting_name(args))
    if args.json:
        print_json({"reviewer": assignee.strip(), "removed" if args.remove else "assigned": n})
    else:
        print(f"{'removed' if args.remove else 'assigned'} {n} claims {'from' if args.remove else 'to'} "
              f"{assignee.strip()}")
    return EXIT_OK


# ---------------------------------------------------------------- agreement
def add_agreement(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("agreement", parents=[DB, FILTERS, JSON],
                       help="how often reviewers agree: n, raw agreement and Cohen's kappa per pair and per kind",
                       description="Every claim two reviewers both judged is one item for that pair. Kappa is "
                                   "agreement beyond chance: 1 perfect, 0 no better than chance, below 0 worse; "
                                   "'-' when undefined (no variation).")
    p.set_defaults(func=cmd_agreement)


def _num(x: float | None, fmt: str) -> str:
    return "-" if x is None else format(x, fmt)


def cmd_agreement(args: argparse.Namespace) -> int:
    from claims.team import agreement

    with open_store(args) as store:
        out = agreement(store, filter_from_args(args))
    if args.json:
        print_json({"pairs": [r.to_dict() for r in out["pairs"]], "kinds": [r.to_dict() for r in out["kinds"]]})
        return EXIT_OK
    if not out["pairs"]:
        print("no claim has verdicts from two reviewers yet")
        return EXIT_OK
    print_table(["reviewer A", "reviewer B", "n", "agreement", "kappa"],
                [(r.reviewer_a, r.reviewer_b, r.n, _num(r.agreement, ".0%"), _num(r.kappa, ".2f"))
                 for r in out["pairs"]])
    print()
    print_table(["kind", "n", "agreement", "kappa"],
                [(r.kind, r.n, _num(r.agreement, ".0%"), _num(r.kappa, ".2f")) for r in out["kinds"]])
    return EXIT_OK


# ---------------------------------------------------------------- adjudicate
def add_adjudicate(sub: argparse._SubParsersAction) -> None:
    from claims.model import Verdict

    p = sub.add_parser("adjudicate", parents=[DB, JSON], help="decide a disagreed claim (editors), with a note",
                       description="Decide claim ID, on which reviewers gave different verdicts. The decision "
                                   "and note go to the claim's history; list them with "
                                   "`list --review-state disagreed`.")
    p.add_argument("claim_id", type=int, metavar="ID")
    p.add_argument("--verdict", required=True, choices=[v.value for v in Verdict if v is not Verdict.UNREVIEWED])
    p.add_argument("--note", required=True, help="why (required)")
    p.add_argument("--expect-version", type=int, metavar="N", help="refuse if the claim is no longer at version N")
    _by(p)
    p.set_defaults(func=cmd_adjudicate)


def cmd_adjudicate(args: argparse.Namespace) -> int:
    from claims.team import adjudicate

    with open_store(args) as store:
        rec = adjudicate(store, args.claim_id, verdict=args.verdict, note=args.note, actor=_actor(store, args),
                         expect_version=args.expect_version)
    if args.json:
        print_json(rec.to_dict())
    else:
        print(f"claim {rec.id}: {rec.verdict.value} (adjudicated by {rec.reviewer}), now version {rec.version}")
    return EXIT_OK
