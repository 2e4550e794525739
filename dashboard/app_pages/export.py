"""Export: download exactly the claims the sidebar filters select, in any export format, with a preview."""
from __future__ import annotations

import datetime as dt
import shlex

import streamlit as st

from claims.export import EXTENSIONS, FORMATS, PUBLISHING_FORMATS, export_bytes, preview_claimreview, preview_rows
from claims.export.claimreview import ReviewOrg
from claims.filters import cli_args_for
from claims.team import Permission
from dashboard import data, filters, identity, look, teamview

PREVIEW_ROWS = 20
CLAIMREVIEW_PREVIEW = 3
# Above this many claims a download is built in server memory; the CLI streams instead.
LARGE_EXPORT = 200_000
MIME = {"csv": "text/csv", "json": "application/json", "jsonl": "application/x-ndjson",
        "parquet": "application/vnd.apache.parquet", "claimreview": "application/ld+json", "bundle": "application/zip"}
LABELS = {"csv": "CSV (spreadsheets)", "json": "JSON", "jsonl": "JSON Lines", "parquet": "Parquet (notebooks)",
          "claimreview": "ClaimReview (schema.org)", "bundle": "Verifiable bundle (zip)"}


# ---------------------------------------------------------------- sidebar: filters (shared with Review, Compare, Charts)
# The same panel and keys as every claim page, so this page exports exactly the set the Review page shows.
flt = filters.sidebar()

# ---------------------------------------------------------------- header
st.title("Export", anchor=False)
total = data.claim_count(flt)
st.caption(f"**{total:,}** {'claim matches' if total == 1 else 'claims match'} the filters in the sidebar; "
           "the export holds these (less any left out below). Columns are described in the codebook "
           "(docs/codebook.md).")
fictional = data.fictional_count(flt)
with_fictional = False
if fictional:
    with_fictional = st.checkbox(f"Include {fictional:,} claims of fictional example documents",
                                 key="export_fictional",
                                 help="Invented articles (seeds/fictional) are left out of exports by default, so "
                                      "their figures never reach real work.")

fmt = st.radio("Format", list(FORMATS), format_func=LABELS.get, horizontal=True, key="export_format",
               captions=None)
st.caption(FORMATS[fmt])
org = None
if fmt == "claimreview":
    default = ReviewOrg.from_settings()
    c1, c2 = st.columns(2)
    org_name = c1.text_input("Reviewing organisation", value=default.name, key="export_org_name")
    org_url = c2.text_input("Its website", value=default.url or "", key="export_org_url")
    org = ReviewOrg.from_settings(name=org_name, url=org_url or None)
    st.caption("One ClaimReview per claim with a verdict of verified, disputed, false or unverifiable.")

include_pending = False
publishing = fmt in PUBLISHING_FORMATS
if publishing:
    include_pending = st.checkbox(
        "Include claims still waiting for a second review or an editor's decision", key="export_pending",
        help="ClaimReview and bundles publish final verdicts only. Ticked, claims waiting for their second review "
             "carry their first reviewer's verdict.")
may_publish = not publishing or teamview.can(Permission.PUBLISH)
if not may_publish:
    st.warning("Only editors publish ClaimReview and bundle exports; the other formats are open to every "
               "reviewer.", icon=":material/lock:")

# exactly what the download holds: fictional and pending claims left out, ClaimReview's reviewed claims only
matched = total
total = data.export_count(flt, fmt=fmt, include_pending=include_pending, include_fictional=with_fictional)
if total != matched:
    left_out = [why for why, on in (
        ("claims of fictional example documents are left out", fictional and not with_fictional),
        ("claims waiting for a second review or an editor's decision are left out", publishing and not include_pending),
        ("ClaimReview holds only claims with a verdict on its rating scale", fmt == "claimreview")) if on]
    st.caption(f"The download holds **{total:,}** of the {matched:,} matching claims: {'; '.join(left_out)}.")

if fmt == "claimreview" and total:
    no_url = data.claimreview_without_url(flt, include_pending=include_pending, include_fictional=with_fictional)
    if no_url:
        shown = ", ".join(look.md_escape(t) for t in no_url[:5]) + (f" and {len(no_url) - 5:,} more" if len(no_url) > 5 else "")
        st.warning(f"{look.plural(len(no_url), 'reviewed document')} {'has' if len(no_url) == 1 else 'have'} no url, "
                   "which Google's ClaimReview guidelines require (give the article's web address when adding it, or "
                   f"in its .meta.json): {shown}.",
                   icon=":material/link_off:")

# ---------------------------------------------------------------- preview
st.subheader("Preview", anchor=False)
if matched == 0:
    st.info("No claims match these filters, so there is nothing to export.", icon=":material/search_off:")
    st.button("Clear filters", on_click=filters.clear, key="clear_empty")
    st.stop()
if fmt == "claimreview" and total == 0:
    st.info("None of these claims has a final verdict on ClaimReview's scale yet (verified, disputed, false or "
            "unverifiable): review some on the Review page first.", icon=":material/rate_review:")
elif fmt == "claimreview":
    # ClaimReview publishes reviewed claims only, in its own shape: show that, not the CSV's rows
    st.code(preview_claimreview(data.store(), flt, limit=CLAIMREVIEW_PREVIEW, org=org, include_pending=include_pending,
                                include_fictional=with_fictional), language="json", height=300)
    st.caption(f"The first {CLAIMREVIEW_PREVIEW} ClaimReview objects (at most), as the download holds them.")
else:
    preview = preview_rows(data.store(), flt, limit=PREVIEW_ROWS, include_fictional=with_fictional)
    st.dataframe(preview, hide_index=True, height=300)
    st.caption(f"First {len(preview):,} rows, as the CSV and Parquet exports hold them.")

# ---------------------------------------------------------------- download
who = identity.reviewer()
stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M")
flt_now, fmt_now, org_now, pending_now = flt, fmt, org, include_pending  # the callable below runs later, on click


def build() -> bytes:
    return export_bytes(data.store(), flt_now, fmt=fmt_now, org=org_now, exported_by=who,
                        include_pending=pending_now, include_fictional=with_fictional)


st.download_button(f"Download {total:,} claims as {LABELS[fmt]}", data=build, file_name=f"claims-{stamp}{EXTENSIONS[fmt]}",
                   mime=MIME[fmt], type="primary", icon=":material/download:", disabled=total == 0 or not may_publish,
                   on_click="ignore", key="export_download")
cmd = shlex.join(["python", "-m", "claims", "export", "--format", fmt, *cli_args_for(flt),
                  *(["--include-pending"] if include_pending else []),
                  *(["--include-fictional"] if with_fictional else []), "-o", f"claims{EXTENSIONS[fmt]}"])
if total > LARGE_EXPORT:
    st.warning(f"{total:,} claims is a large download built in the server's memory; the command line "
               "streams it to a file instead.", icon=":material/warning:")
st.caption("The same export from the command line" + (" (without the fuzzy spellings the search adds: "
           + ", ".join(flt.text_terms) + ")" if flt.text_terms else "") + ":")
st.code(cmd, language="bash")
