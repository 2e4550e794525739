"""The ``export``, ``import`` and ``verify`` commands."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from claims.cli.common import DB, EXIT_OK, FILTERS, JSON, filter_from_args, open_store, print_table


# ---------------------------------------------------------------- export
def add_export(sub: argparse._SubParsersAction) -> None:
    from claims.export import FORMATS

    p = sub.add_parser("export", parents=[DB, FILTERS],
                       help="export the filtered claims (csv, json, jsonl, parquet, claimreview, bundle)",
                       description="Export exactly the claims the filters select. Text formats go to stdout "
                                   "without -o; parquet and bundle need -o FILE. Columns are listed in "
                                   "docs/codebook.md.",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="formats:\n" + "\n".join(f"  {k:12} {v}" for k, v in FORMATS.items()))
    p.add_argument("--format", "-f", choices=list(FORMATS), default="csv", help="output format (default csv)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (replaced only when the export completes)")
    p.add_argument("--no-bom", action="store_true",
                   help="CSV: leave out the UTF-8 byte-order mark (written to files by default, for Excel)")
    p.add_argument("--org-name", help="ClaimReview: the reviewing organisation (default CLAIMS_ORG_NAME)")
    p.add_argument("--org-url", help="ClaimReview: its home page (default CLAIMS_ORG_URL)")
    p.add_argument("--review-url", help="ClaimReview: URL template of each review, with {fingerprint}/{id} "
                                        "(default CLAIMS_REVIEW_URL)")
    p.add_argument("--by", dest="exported_by", help="who is exporting, for the manifest (default CLAIMS_REVIEWER "
                                                    "or the login name)")
    p.add_argument("--include-pending", action="store_true",
                   help="claimreview, bundle: also export claims still waiting for their second review or an "
                        "adjudication (team setting reviews_required 2); by default they publish final verdicts only")
    p.add_argument("--include-fictional", action="store_true",
                   help="also export claims of invented example documents (seeds/fictional, marked fictional); "
                        "left out by default")
    p.add_argument("--codebook", action="store_true", help="print the codebook (Markdown) instead of exporting")
    p.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from claims.errors import BadInputError
    from claims.export import BINARY_FORMATS, PUBLISHING_FORMATS, export_to
    from claims.export.claimreview import ReviewOrg
    from claims.export.fields import codebook_markdown

    if args.codebook:
        sys.stdout.write(codebook_markdown())
        return EXIT_OK
    if args.format in BINARY_FORMATS and not args.output:
        raise BadInputError(f"--format {args.format} writes a binary file: give one with -o FILE")
    flt = filter_from_args(args)
    org = ReviewOrg.from_settings(name=args.org_name, url=args.org_url, review_url=args.review_url)
    with open_store(args) as store:
        if args.format in PUBLISHING_FORMATS:  # publishing is an editor's call once roles are set up
            from claims.cli.team import acting_name
            from claims.team import Permission, actor_for, require

            require(actor_for(store, acting_name(argparse.Namespace(by=args.exported_by))), Permission.PUBLISH)
        # BOM only in files: a BOM on stdout would end up inside the first column of a pipe
        res = export_to(store, flt, fmt=args.format, out=sys.stdout, path=args.output,
                        bom=bool(args.output) and not args.no_bom, org=org, exported_by=args.exported_by,
                        include_pending=args.include_pending, include_fictional=args.include_fictional)
    where = args.output or "stdout"
    extra = f", {res['documents']} documents" if "documents" in res else ""
    noun = "reviews" if args.format == "claimreview" else "claims"
    print(f"exported {res['claims']} {noun}{extra} as {args.format} to {where}", file=sys.stderr)
    if res.get("without_url"):
        titles = res["without_url"]
        shown = "; ".join(titles[:5]) + (f"; and {len(titles) - 5} more" if len(titles) > 5 else "")
        print(f"warning: {len(titles)} reviewed document(s) have no url, which Google's ClaimReview guidelines "
              f"require (set it with ingest --url or the document's .meta.json): {shown}", file=sys.stderr)
    return EXIT_OK


# ---------------------------------------------------------------- import
def add_import(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", parents=[DB, JSON], help="import a JSON, JSONL or bundle export into this store",
                       description="Import an export made by `python -m claims export --format json|jsonl|bundle`. "
                                   "Documents are matched by content hash, claims by fingerprint; reviews are "
                                   "merged with their history. Where both stores have reviewed a claim with "
                                   "different verdicts nothing is overwritten and the conflict is listed. "
                                   "Malformed input imports nothing.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--reviewer-conflicts", metavar="OUT",
                   help="also write the verdict conflicts to OUT for reviewers to settle "
                        "(CSV, or JSON when OUT ends in .json)")
    p.add_argument("--strict", action="store_true", help="import nothing when any verdict conflicts (exit 1)")
    p.set_defaults(func=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    from claims.errors import ConflictError
    from claims.export import import_file

    with open_store(args) as store:
        try:
            report = import_file(store, args.file, strict=args.strict)
        except ConflictError as e:
            report = getattr(e, "report", None)
            if report is not None:
                _print_conflicts(report.conflicts)
                _write_conflicts(args.reviewer_conflicts, report.conflicts)
            raise
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(f"documents: {report.documents_added} added, {report.documents_matched} already present")
        print(f"claims:    {report.claims_added} added, {report.claims_matched} already present")
        print(f"reviews:   {report.reviews_taken} taken over, {report.reviews_same} agree, "
              f"{report.history_added} history entries added")
        if report.conflicts:
            _print_conflicts(report.conflicts)
    _write_conflicts(args.reviewer_conflicts, report.conflicts)
    return EXIT_OK


def _print_conflicts(conflicts) -> None:
    if not conflicts:
        return
    print(f"\n{len(conflicts)} verdict conflict(s): this store's review was kept, the imported one was not applied")
    print_table(["claim", "quote", "here", "by", "imported", "by"],
                [(c.claim_id, c.quote, c.ours_verdict, c.ours_reviewer, c.theirs_verdict, c.theirs_reviewer)
                 for c in conflicts])


def _write_conflicts(out: str | None, conflicts) -> None:
    if not out:
        return
    from claims.export.writers import BOM, csv_cell

    rows = [c.to_dict() for c in conflicts]
    p = Path(out)
    if p.suffix.lower() == ".json":
        p.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    import csv

    from claims.export.importer import VerdictConflict

    names = list(VerdictConflict.__slots__)
    with open(p, "w", encoding="utf-8", newline="") as f:
        f.write(BOM)
        w = csv.writer(f, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
        w.writerow(names)
        for r in rows:
            w.writerow([csv_cell(r[n], numeric=n == "claim_id") for n in names])


# ---------------------------------------------------------------- verify
def add_verify(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verify", help="check a bundle's hashes and row counts against its manifest",
                       description="Recompute the sha256 and size of every file in BUNDLE and count its rows; "
                                   "exit 0 when all match the manifest, 1 naming the first file that does not.")
    p.add_argument("bundle", metavar="BUNDLE")
    p.add_argument("--require-signed", action="store_true",
                   help="also fail unless the bundle is signed with CLAIMS_BUNDLE_KEY")
    p.set_defaults(func=cmd_verify)


def cmd_verify(args: argparse.Namespace) -> int:
    from claims.export import verify_bundle

    manifest = verify_bundle(args.bundle, require_signature=args.require_signed)  # VerifyError -> exit 1
    c = manifest.get("counts", {})
    sig = manifest["signature"]
    if sig["checked"]:
        signed = f"signed by key {sig['key_id']} (signature checked)"
    elif sig["signed"]:
        signed = (f"signed by key {sig['key_id']}, NOT checked (set CLAIMS_BUNDLE_KEY to that key to check it; "
                  "until then anyone could have recomputed it)")
    else:
        signed = "UNSIGNED (anyone who changes it can recompute its manifest; set CLAIMS_BUNDLE_KEY to sign)"
    print(f"{args.bundle}: OK - {len(manifest['files'])} files match their sha256, the CSV matches the JSON; "
          f"{c.get('claims')} claims, {c.get('documents')} documents; exported {manifest.get('exported_at')} "
          f"by {manifest.get('exported_by')}; {signed}")
    return EXIT_OK
