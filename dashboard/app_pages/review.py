"""Review: filter the claims, pick one, judge it against its paragraph, and see its history."""
from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from claims.errors import BadInputError, ConflictError, NotFoundError
from claims.model import MANUAL_RULE, Kind, Verdict
from dashboard import data, filters, highlight, identity, look, tables, teamview

ss = st.session_state
ss.setdefault("seen", {})          # claim id -> the ClaimRecord the reviewer is looking at (its version is saved against)
ss.setdefault("conflict", None)    # {"id", "mine", "theirs"} after a save met someone else's newer version
ss.setdefault("skipped", [])       # claims passed over with "Next unreviewed"
ss.setdefault("table_gen", 0)      # bumping it redraws the table without a stale row selection
ss.setdefault("page_no", 1)
ss.setdefault("current_claim", None)


def reset_inputs(cid: int) -> None:
    """Forget this claim's edit boxes so they show the stored values again."""
    for k in [k for k in ss.keys() if str(k).endswith(f"__{cid}")]:
        del ss[k]


def open_claim(cid: int) -> None:
    """Show claim ``cid`` as stored now: a claim reopened later is read afresh, not from an old snapshot."""
    if ss.current_claim != cid:
        ss.seen.pop(cid, None)
        reset_inputs(cid)
    ss.current_claim = cid
    st.query_params["claim"] = str(cid)


if st.query_params.get("claim", "").isdigit():  # ?claim=ID opens a claim (links from Documents, bookmarks)
    open_claim(int(st.query_params["claim"]))


def first_page() -> None:
    ss.page_no = 1


# ---------------------------------------------------------------- sidebar: filters (shared with Export, Compare, Charts)
flt = filters.sidebar(on_change=first_page)
reviewer = identity.reviewer()

# ---------------------------------------------------------------- header: team queue, counts
st.title("Review", anchor=False)
flt = teamview.queue_picker(flt, reviewer=reviewer, on_change=first_page)
# the queue "advance after saving" and "Next unreviewed" walk, as the reviewer filtered it
ss.review_fkey = data.filter_key(teamview.next_unreviewed_filter(flt, reviewer=reviewer))
page_size = ss.get("page_size", 50)
order = ss.get("review_order", "document")  # the store sorts the whole result, then pages it
ss.page_no = max(1, ss.page_no)
total, counts, frame, approximate = data.review_view(flt, limit=page_size, offset=(ss.page_no - 1) * page_size,
                                                     order=order)
pages = max(1, -(-total // page_size))
if ss.page_no > pages:  # the filter shrank the result below the page the reviewer was on
    ss.page_no = pages
    total, counts, frame, approximate = data.review_view(flt, limit=page_size, offset=(pages - 1) * page_size,
                                                         order=order)
st.markdown("  ".join(
    f":{look.VERDICT_BADGE[v]}-badge[{look.VERDICT_ICON[v]} {look.VERDICT_LABEL[v]} "
    f"**{look.count_label(n, approximate=approximate)}**]"
    for v, n in counts.items()))

head_l, head_r = st.columns([3, 1], vertical_alignment="center")
matched = look.plural(total, "claim matches", "claims match")
if approximate:  # estimated from a sample of the store (Store.facet_summary): never shown as exact
    matched = f"about {total:,} claims match (estimated: too many to count at every click)"
if flt.text_terms:
    matched += (f" · nothing contains “{look.md_escape(flt.text or '')}”; showing names spelled like it: "
                f"{look.md_escape(', '.join(flt.text_terms))}")
head_l.caption(matched)
if head_r.button("Next unreviewed", icon=":material/skip_next:", type="primary", width="stretch", shortcut="N"):
    cur = data.claim(ss.current_claim) if ss.current_claim else None
    if cur is not None and cur.verdict == Verdict.UNREVIEWED:
        ss.skipped = [*ss.skipped, cur.id]
    walk = data.filter_from_key(ss.review_fkey)
    nxt = data.next_unreviewed(walk, skip=ss.skipped)
    if nxt is None and ss.skipped:  # everything left was skipped: start the round again
        ss.skipped = []
        nxt = data.next_unreviewed(walk)
    if nxt is None:
        st.toast("No unreviewed claims match these filters.", icon=":material/task_alt:")
    else:
        open_claim(nxt)
        ss.table_gen += 1
        ss.scroll_top = True
        st.rerun()

if sum(data.review_view(data.review_filter(), limit=page_size)[1].values()) == 0:
    st.info("No claims yet: upload or paste an article on **Documents**, or run "
            "`python -m claims ingest seeds` to load the examples.", icon=":material/inbox:")
    st.page_link("app_pages/documents.py", label="Go to Documents", icon=":material/article:")
    st.stop()

# ---------------------------------------------------------------- table and detail
table_col, detail_col = st.columns([1, 1], gap="medium")

with table_col:
    ss.table_ids = frame["ID"].tolist()
    # a new grid for each page: the same grid given other rows ignored the first click on them
    table_key = f"claims_table_{ss.table_gen}_{ss.page_no}_{page_size}_{order}"

    def pick_row() -> None:
        sel = ss[table_key].selection
        # a click on any cell opens its row's claim, like a click on the row's selection box
        rows = list(sel.rows) or [cell[0] for cell in sel.get("cells", [])]
        if rows and rows[0] < len(ss.table_ids):
            open_claim(int(ss.table_ids[rows[0]]))

    if total == 0:
        st.info("No claims match these filters.", icon=":material/search_off:")
        st.button("Clear filters", on_click=filters.clear, args=(first_page,), key="clear_empty")
    else:
        st.dataframe(
            tables.verdict_style(frame, current=ss.current_claim), key=table_key,
            on_select=pick_row,
            selection_mode=["single-row", "single-cell"], hide_index=True, height=min(38 + 35 * len(frame), 640),
            # who said it next to what was said: the attribution is what a reviewer checks first
            column_order=["Verdict", "Figure", "Quote", "Attributed to", "Kind", "Publisher", "Published",
                          "Subject", "Reviewer", "ID"],
            column_config={
                "ID": st.column_config.NumberColumn("ID", width=60, format="%d"),
                "Verdict": st.column_config.TextColumn("Verdict", width=85),
                "Kind": st.column_config.TextColumn("Kind", width=95),
                # wide enough for a full date (2021-11-09) or a range (~2,000–9,999): the figure is what is checked
                "Figure": st.column_config.TextColumn("Figure", width=96,
                                                      help="✎ marks a figure or field a reviewer corrected"),
                "Quote": st.column_config.TextColumn("Quote", width=110),
                "Attributed to": st.column_config.TextColumn("Attributed to", width=110),
                "Publisher": st.column_config.TextColumn("Publisher", width=150),
                "Published": st.column_config.DateColumn("Published", format="YYYY-MM-DD", width=100),
            })
        # two rows: the table column is narrow at 1280 px, and four widgets in one row cut their labels
        nav_prev, nav_next = st.columns(2, vertical_alignment="bottom")
        nav_m, nav_o = st.columns([1, 1.6], vertical_alignment="bottom")
        # Buttons, not a number box keyed page_no: the script sets page_no itself (first page after a
        # filter change), and a widget sharing that key dropped the reviewer's first page change.
        nav_prev.button("Previous", icon=":material/chevron_left:", key="page_prev", width="stretch",
                        disabled=ss.page_no <= 1, on_click=lambda: setattr(ss, "page_no", ss.page_no - 1))
        nav_next.button("Next", icon=":material/chevron_right:", key="page_next", width="stretch",
                        disabled=ss.page_no >= pages, on_click=lambda: setattr(ss, "page_no", ss.page_no + 1))
        nav_m.selectbox("Rows per page", [25, 50, 100], key="page_size", index=1, on_change=first_page)
        nav_o.selectbox("Order", list(look.ORDER_LABEL), format_func=look.ORDER_LABEL.get, key="review_order",
                        on_change=first_page, help="Sorts every matching claim, not only this page.")
        first = (ss.page_no - 1) * page_size + 1
        st.caption(f"Page {ss.page_no:,} of {pages:,}: showing {first:,}–{first + len(frame) - 1:,} of "
                      f"{total:,}. Click a row to review it.")

def edited_values(cid: int, rec) -> dict:
    return {name: ss.get(f"fix_{name}__{cid}") for name in tables.correction_inputs(rec)
            if f"fix_{name}__{cid}" in ss}


def save(cid: int, verdict: str) -> None:
    """Write the verdict with the note, evidence and corrections now, against the version on screen."""
    name = identity.reviewer()
    seen = ss.seen.get(cid)
    if not name or seen is None:
        ss.flash = ("error", "Enter your name in the sidebar before saving a verdict.")
        return
    try:
        fixes = tables.corrections(seen, edited_values(cid, seen))
    except BadInputError as e:
        ss.flash = ("error", str(e))
        return
    mine = tables.review_snapshot(verdict=verdict, note=ss.get(f"note__{cid}", ""),
                                  evidence_url=ss.get(f"evidence__{cid}", ""), corrected=fixes,
                                  reviewer=name, version=seen.version)
    rec = write_review(cid, mine, expect_version=seen.version)
    if rec is None:
        return
    if rec.review_state in ("needs_second", "disagreed"):  # two reviews required: mine was one of them
        ss.flash = ("success", f"Saved your verdict: {look.verdict_label(verdict)} (version {rec.version}). "
                               f"The claim: {look.REVIEW_STATE_LABEL[rec.review_state].lower()}.")
    else:
        ss.flash = ("success", f"Saved: {look.verdict_label(rec.verdict)} (version {rec.version}).")
    if ss.get("advance"):
        advance_from(cid, saved=rec)


def write_review(cid: int, mine: dict, *, expect_version: int):
    """Store the review ``mine`` if the claim is still at ``expect_version``; return the new record, else None.

    A newer version stored meanwhile opens the conflict screen with both; nothing is overwritten.
    """
    try:
        rec = data.save_review(cid, verdict=mine["verdict"], reviewer=identity.reviewer() or mine["reviewer"],
                               note=mine["note"] or "", evidence_url=mine["evidence_url"] or "",
                               corrected=mine["corrected"], expect_version=expect_version)
    except ConflictError as e:  # someone saved first (or again): show their version beside mine
        ss.conflict = {"id": cid, "mine": mine, "theirs": e.current}
        return None
    except NotFoundError:  # removed meanwhile (a newer extractor dropped it): keep what the reviewer typed
        ss.lost = {"id": cid, **mine}
        return None
    except BadInputError as e:
        ss.flash = ("error", str(e))
        return None
    ss.seen[cid] = rec
    ss.conflict = None
    reset_inputs(cid)
    return rec


def advance_from(cid: int, *, saved) -> None:
    """Open the next unreviewed claim of the reviewer's queue after a save."""
    nxt = data.next_unreviewed(data.filter_from_key(ss.review_fkey), skip=[*ss.skipped, cid])
    if nxt is None:
        ss.flash = ("success", f"Saved: {look.verdict_label(saved.verdict)}. No unreviewed claims left "
                               "in this queue.")
        return
    open_claim(nxt)
    ss.table_gen += 1
    ss.scroll_top = True
    ss.flash = ("success", f"Saved claim {cid}: {look.verdict_label(saved.verdict)}. This is the next "
                           "unreviewed one.")


def keep_mine(cid: int) -> None:
    """Save the reviewer's version over the one now stored (they have seen both)."""
    c = ss.conflict
    rec = write_review(cid, c["mine"], expect_version=c["theirs"].version)
    if rec is not None:
        ss.flash = ("success", f"Kept your version: {look.verdict_label(rec.verdict)} (version {rec.version}).")


def take_theirs(cid: int) -> None:
    """Drop the reviewer's unsaved review and show the stored one."""
    ss.seen[cid] = ss.conflict["theirs"]
    ss.conflict = None
    reset_inputs(cid)
    ss.flash = ("info", "Showing their version; yours was not saved.")


def reload_latest(cid: int) -> None:
    fresh = data.fresh_claim(cid)
    if fresh is not None:
        ss.seen[cid] = fresh
    reset_inputs(cid)


def add_claim_panel(seen, doc, reviewer: str | None) -> None:
    """Let the reviewer add a claim the extractor missed: words selected in (or copied from) the paragraph."""
    cid = seen.id
    quote_key = f"add_quote__{cid}"
    with st.expander("Add a claim the extractor missed", icon=":material/add_circle:",
                     expanded=bool(ss.get(quote_key))):
        st.caption("Select the words in the paragraph above: they are copied here. Or paste them exactly as "
                   "the article has them.")
        quote = st.text_input(look.ADD_QUOTE_LABEL, key=quote_key, placeholder="e.g. 40 wounded")
        st.html(look.SELECTION_TO_QUOTE_JS, unsafe_allow_javascript=True)
        kinds = [k.value for k in Kind]
        kind = st.selectbox("Kind", kinds, format_func=look.kind_label, key=f"add_kind__{cid}",
                            index=kinds.index(seen.claim.kind.value))
        starts = tables.find_quote(doc.text, quote, near=seen.claim.start) if quote else []
        start = starts[0] if starts else None
        if quote and not starts:
            st.warning("These words are not in the document: copy them exactly, with the same spelling, "
                       "spaces and punctuation.", icon=":material/search_off:")
        elif len(starts) > 1:  # the nearest to the open claim first
            start = st.selectbox(
                f"The words occur {len(starts)} times: which one?", starts, key=f"add_where__{cid}",
                format_func=lambda s: f"…{doc.text[max(0, s - 40):s]}[{quote}]{doc.text[s + len(quote):s + len(quote) + 40]}…")
        typed = {}
        cols = st.columns(2)
        for i, name in enumerate(tables.ADD_INPUTS[kind]):
            with cols[i % 2]:
                key = f"add_{name}__{cid}"
                if name == "outcome":
                    typed[name] = st.selectbox(look.FIELD_LABEL[name], ["", "killed", "injured"], key=key,
                                               format_func=lambda o: look.OUTCOME_LABEL.get(o, "—"))
                else:
                    typed[name] = st.text_input(look.FIELD_LABEL[name], key=key,
                                                placeholder="38, or 30-40" if name == "figure" else None)
        replaces = st.checkbox(f"Instead of claim {cid} (its kind is wrong): mark that one “Not a claim”",
                               key=f"add_replaces__{cid}")
        if st.button("Add claim", key=f"add_btn__{cid}", icon=":material/add:",
                     disabled=not (reviewer and start is not None)):
            try:
                new = data.add_claim(seen.document_id, tables.added_claim(doc.text, start, quote, kind, typed),
                                     reviewer=reviewer)
            except (BadInputError, NotFoundError) as e:
                st.error(look.md_escape(str(e)))
                return
            note = ""
            if replaces:
                mine = tables.review_snapshot(verdict=Verdict.NOT_A_CLAIM.value, reviewer=reviewer, version=seen.version,
                                              note=f"Wrong kind: added again as claim {new.id} "
                                                   f"({look.kind_label(kind)}).", evidence_url="", corrected={})
                if write_review(cid, mine, expect_version=seen.version) is not None:
                    note = f" Claim {cid} is marked “Not a claim”."
            open_claim(new.id)
            ss.table_gen += 1
            ss.flash = ("success", f"Added claim {new.id}: “{quote}” ({look.kind_label(kind)}).{note}")
            st.rerun()


with detail_col:
    cid = ss.current_claim
    rec = data.fresh_claim(cid) if cid else None  # one row by key: cheap, and never a stale version
    lost = ss.get("lost")
    if rec is None and lost and lost["id"] == cid:
        st.error(f"Claim {cid} no longer exists: it was removed while you were reviewing it (a newer extractor "
                 "no longer finds it in its document). Nothing was saved; what you entered is below so you can "
                 "copy it.", icon=":material/delete_forever:")
        st.text_input("Your verdict (not saved)", value=look.verdict_label(Verdict(lost["verdict"])),
                      disabled=True, key=f"lost_verdict__{cid}")
        st.text_area("Your note (not saved)", value=lost.get("note") or "", disabled=True, key=f"lost_note__{cid}")
        if lost.get("evidence_url"):
            st.text_input("Your evidence URL (not saved)", value=lost["evidence_url"], disabled=True,
                          key=f"lost_evidence__{cid}")
        st.stop()
    if rec is None:
        st.info("Pick a claim in the table, or press **Next unreviewed**.", icon=":material/touch_app:")
        st.stop()
    seen = ss.seen.setdefault(cid, rec)
    if ss.pop("scroll_top", False):  # a new claim opened from below: show it from its top
        # Streamlit keeps the scroll position across reruns; a zero-height component scrolls its parent
        components.html("<script>for (const el of parent.document.querySelectorAll("
                        "'[data-testid=\"stMain\"], [data-testid=\"stAppViewContainer\"]')) el.scrollTo({top: 0});"
                        "parent.window.scrollTo({top: 0});</script>", height=0)

    with st.container(border=True):
        st.markdown(f"#### “{look.md_escape(seen.claim.quote)}”")
        doc = data.document(seen.document_id)
        source = " · ".join(x for x in (seen.publisher, str(seen.published or "")) if x)
        # one line of badges and one of provenance: the claim, its paragraph and the verdicts fit one screen
        st.markdown(
            f":{look.VERDICT_BADGE[seen.verdict.value]}-badge[{look.VERDICT_ICON[seen.verdict.value]} "
            f"{look.verdict_label(seen.verdict)}] :blue-badge[{look.kind_label(seen.claim.kind)}] "
            + (":orange-badge[:material/science: Fictional example] " if seen.fictional else "")
            + f":small[{look.md_escape(source or 'Unknown source')} · "
            + (f"reviewed by **{look.md_escape(seen.reviewer)}** · " if seen.reviewer else "")
            + f"v{seen.version} · claim {seen.id}]")
        if doc is not None:
            # the claim's sentence with a little context either side: the verdict buttons stay on a
            # 1280x800 screen with it (the whole document is a click away)
            st.html(highlight.claim_in_paragraph_html(doc.text, start=seen.claim.start, end=seen.claim.end,
                                                      sentence=seen.claim.sentence, context=50,
                                                      kind=seen.claim.kind.value, verdict=seen.verdict.value,
                                                      # a corrected attribution no longer names those words
                                                      source_start=None if "attributed_to" in seen.corrected
                                                      else seen.claim.source_start,
                                                      source_end=seen.claim.source_end,
                                                      source=seen.claim.attributed_to))

    team_status = teamview.status(cid, reviewer=reviewer)
    teamview.votes_panel(team_status, reviewer=reviewer)
    teamview.adjudication_panel(rec, team_status, actor=identity.actor())
    two_review = team_status["reviews_required"] > 1
    # with two reviews required the buttons show my own verdict; the claim's stays unreviewed until two agree
    my_verdict = teamview.my_verdict(team_status, reviewer=reviewer) if two_review else seen.verdict.value

    if getattr(rec, "orphaned", False) and rec.claim.rule == MANUAL_RULE:
        st.caption(":material/person_add: Added by a reviewer: the extractor does not find this claim.")
    elif getattr(rec, "orphaned", False):
        st.warning("The current extractor no longer finds this claim in its document; it is kept because it "
                   "was reviewed.", icon=":material/link_off:")
    if rec.version != seen.version and not (ss.conflict and ss.conflict["id"] == cid):
        st.warning(f"{look.md_escape(rec.reviewer) or 'Someone'} changed this claim since you opened it (now version "
                   f"{rec.version}: {look.verdict_label(rec.verdict)}). Saving will ask which version to keep.",
                   icon=":material/sync_problem:")
        st.button("Show the latest version", on_click=reload_latest, args=(cid,), key=f"reload__{cid}")

    if ss.conflict and ss.conflict["id"] == cid:
        theirs = ss.conflict["theirs"]
        with st.container(border=True):
            st.error(f"**{look.md_escape(theirs.reviewer) or 'Someone'}** saved this claim while you were reviewing it, so "
                     "nothing of yours was saved. Compare and choose which version to keep.",
                     icon=":material/merge_type:")
            st.dataframe(tables.conflict_frame(ss.conflict["mine"], tables.record_snapshot(theirs)),
                         hide_index=True, width="stretch")
            mine_col, theirs_col = st.columns(2)
            mine_col.button("Keep mine", on_click=keep_mine, args=(cid,), type="primary",
                            icon=":material/save:", width="stretch", key="keep_mine")
            theirs_col.button("Take theirs", on_click=take_theirs, args=(cid,),
                              icon=":material/undo:", width="stretch", key="take_theirs")

    if not reviewer:
        st.caption(":material/badge: Enter your name in the sidebar to save verdicts.")
    # the note before the buttons: written first, saved with the verdict, and both in view with the claim
    my_note = next((v["note"] for v in team_status["votes"] if v["reviewer"] == reviewer), None)
    ss.setdefault(f"note__{cid}", (my_note if two_review else seen.note) or "")
    ss.setdefault(f"evidence__{cid}", seen.evidence_url or "")
    flash = ss.pop("flash", None)
    if flash:  # between the claim and the buttons just pressed: where the eye is, on one screen
        getattr(st, flash[0])(look.md_escape(flash[1]))  # an error may quote what was typed or stored
    st.text_area("Note", key=f"note__{cid}", height=68, placeholder="Why this verdict? Sources checked…")
    choices = [v for v in Verdict if v is not Verdict.UNREVIEWED] + [Verdict.UNREVIEWED]
    # no icon and narrow padding: three to a row, the label and its key must fit ("Unverifiable U") in
    # half of a 1280 px screen and in an 800 px window with the sidebar collapsed
    st.html("<style>.st-key-verdicts button{padding-left:.35rem;padding-right:.35rem;gap:.3rem}</style>")
    verdict_box = st.container(key="verdicts", gap="small")
    for row in (choices[:3], choices[3:]):
        for col, v in zip(verdict_box.columns(3, gap="small"), row):
            col.button(look.verdict_label(v), key=f"verdict_{v.value}__{cid}",
                       type="primary" if v.value == (my_verdict or "unreviewed") else "secondary", width="stretch",
                       help=v.help, disabled=not reviewer, on_click=save, args=(cid, v.value),
                       shortcut=look.VERDICT_SHORTCUT[v.value])
    # keep the choice while the pane is hidden or on other pages; a reload starts from this browser's last choice
    ss.advance = ss.get("advance", identity.remembered(identity.ADVANCE_COOKIE) == "1")
    st.toggle("Next unreviewed after saving", key="advance",
              on_change=lambda: identity.remember(identity.ADVANCE_COOKIE, "1" if ss.advance else "0"),
              help="After each verdict, open the next unreviewed claim of this filtered queue.")

    st.text_input("Evidence URL", key=f"evidence__{cid}", placeholder="https://…")

    with st.container(border=True):
        st.html(highlight.fields_html(tables.field_rows(seen)))
        link_l, link_r = st.columns(2)
        link_l.page_link("app_pages/documents.py", label="Whole document", icon=":material/article:",
                         query_params={"doc": str(seen.document_id)})
        if seen.url:
            link_r.link_button("Original article", seen.url, icon=":material/open_in_new:")

    fields = tables.correction_inputs(seen)
    with st.expander("Correct the parsed values", expanded=bool(seen.corrected), icon=":material/edit:"):
        cols = st.columns(2)
        for i, name in enumerate(fields):
            key = f"fix_{name}__{cid}"
            ss.setdefault(key, tables.input_text(seen, name))
            label = look.FIELD_LABEL[name]
            with cols[i % 2]:
                if name == "approximate":
                    st.checkbox(label, key=key)
                elif name == "outcome":
                    st.selectbox(label, ["", "killed", "injured"], key=key,
                                 format_func=lambda o: look.OUTCOME_LABEL.get(o, "—"))
                else:
                    st.text_input(label, key=key)
        st.caption("Corrections are saved with the next verdict, or with the button below.")
    st.button("Save note and corrections", key=f"save_fields__{cid}", icon=":material/save:",
              disabled=not reviewer, on_click=save, args=(cid, my_verdict or seen.verdict.value))

    # ---------------------------------------------------------------- a claim the extractor missed
    if doc is not None:
        add_claim_panel(seen, doc, reviewer)

    st.markdown("**History**")
    hist = (data.team_history(cid, viewer=reviewer, hide=True)
            if teamview.hides_history(team_status, reviewer=reviewer) else data.history(cid))
    if hist.empty:
        st.caption("Not reviewed yet.")
    else:
        st.dataframe(hist, hide_index=True, width="stretch",
                     column_config={"When": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm",
                                                                            width=130),
                                    "Reviewer": st.column_config.TextColumn("Reviewer", width=100),
                                    "Change": st.column_config.TextColumn("Change", width="large"),
                                    "Version": st.column_config.NumberColumn("Version", width=60)})
