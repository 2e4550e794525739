"""Compare: every report of one fact side by side, the reconciled figure, and the reviewer's grouping decisions."""
from __future__ import annotations

import streamlit as st

from claims.compare.reconcile import RULE_HELP, Rule
from claims.errors import BadInputError, NotFoundError
from dashboard import charts, data, filters, identity, look

ss = st.session_state
ss.setdefault("cmp_group", None)     # the group open in the group view
ss.setdefault("cmp_table_gen", 0)    # bumping it redraws the groups table without a stale selection
if st.query_params.get("group", "").isdigit():  # ?group=ID opens a group (bookmarks, links)
    ss.cmp_group = int(st.query_params["group"])

def open_group(gid: int | None) -> None:
    ss.cmp_group = gid
    if gid is None:
        st.query_params.pop("group", None)
    else:
        st.query_params["group"] = str(gid)


def apply_decision(decide, message, *, follow: bool = True) -> None:
    """Store a merge, split or move; open the resulting group (``follow``) and report it, or show the error."""
    try:
        result = decide()
    except (BadInputError, NotFoundError) as e:
        st.error(look.md_escape(str(e)))
        return
    if follow:
        open_group(result.id)
    ss.cmp_table_gen += 1
    flash("success", message(result))
    st.rerun()


def flash(kind: str, message: str) -> None:
    ss.cmp_flash = (kind, message)


# ---------------------------------------------------------------- sidebar: filters (shared with Review and Export)
flt = filters.sidebar(search_help=("Groups with at least one claim whose quote, subject, attribution or sentence "
                                   "contains this text."), fuzzy=False)
reviewer = identity.reviewer()

# ---------------------------------------------------------------- header
head, run_col = st.columns([3.2, 1], vertical_alignment="bottom")
head.title("Compare", anchor=False)
head.caption("Every report of the same fact side by side: who said which figure, when, and a reconciled "
             "figure you can defend.")
if run_col.button("Recompute groups", icon=":material/refresh:", width="stretch",
                  help="Group all stored claims again. Merge, split, move and rule decisions are kept."):
    with st.spinner("Grouping claims…"):
        report = data.compare_run()
    flash("success", f"Grouped {report.claims:,} claims: {report.multi:,} groups with two or more reports, "
                     f"{report.discrepancies:,} discrepancies.")
    st.rerun()

message = ss.pop("cmp_flash", None)
if message:
    (st.success if message[0] == "success" else st.error)(look.md_escape(message[1]))

if data.compare_stored_groups() == 0:
    st.info("No groups yet. **Recompute groups** groups the stored claims that state the same fact "
            "(or run `python -m claims compare`).", icon=":material/compare_arrows:")
    st.stop()

# ---------------------------------------------------------------- groups list / discrepancies
view = st.segmented_control("View", ["Groups", "Discrepancies"], default="Groups", key="cmp_view",
                            label_visibility="collapsed")
c1, c2 = st.columns([2, 1])
sort = c1.radio("Sort by", ["spread", "size", "date"], horizontal=True, key="cmp_sort",
                format_func={"spread": "Largest disagreement", "size": "Most reports",
                             "date": "Earliest report"}.get)
min_size = c2.number_input("At least this many claims", min_value=1, value=2, step=1, key="cmp_min_size")
queue = view == "Discrepancies"
groups = data.compare_groups(flt, sort="spread" if queue else sort, discrepancies_only=queue,
                             min_size=int(min_size))
frame = charts.groups_frame(groups)
shown = "at least " if len(groups) >= 1000 else ""  # the list stops at 1,000 groups
if queue:
    st.caption(f"{shown}{look.plural(len(groups), 'group')} whose credible figures disagree beyond tolerance, "
               "largest spread first.")
else:
    st.caption(f"{shown}{look.plural(len(groups), 'group')} match.")
if frame.empty:
    st.info("No groups match these filters." if not flt.is_empty() else "No groups of this size.",
            icon=":material/search_off:")
else:
    event = st.dataframe(
        # a new grid for other rows (view, order, size, filters): a grid given other rows ignored the first
        # click on them, as on Review
        frame, key=f"cmp_table_{ss.cmp_table_gen}_{view}_{sort}_{min_size}_{hash(data.filter_key(flt))}",
        hide_index=True, width="stretch",
        height=min(360, 35 * (len(frame) + 1) + 3),
        # a click on any cell opens its row's group, like the row's selection box (as on Review)
        on_select="rerun", selection_mode=["single-row", "single-cell"],
        column_config={
            "Group": st.column_config.NumberColumn("Group", width=60, pinned=True),
            "Incident": st.column_config.TextColumn("Incident", width="medium",
                                                    help="The real-world event the group's reports are about, "
                                                         "named once above its facts (the rows beneath it)"),
            "Label": st.column_config.TextColumn("Label", width="medium"),
            "Kind": st.column_config.TextColumn("Kind", width="small"),
            "Claims": st.column_config.NumberColumn("Claims", width=55),
            "Reports": st.column_config.NumberColumn("Reports", width=60, help="Documents with a credible claim in the group"),
            "Independent": st.column_config.NumberColumn("Indep.", width=55,
                                                         help="Reports after collapsing wire copies"),
            "Spread": st.column_config.ProgressColumn("Spread", format="%d%%", min_value=0, max_value=100,
                                                      width="small",
                                                      help="Distance between the lowest and highest credible "
                                                           "figures, as a share of the highest"),
            "Discrepancy": st.column_config.CheckboxColumn("Disagree", width=70),
            "First report": st.column_config.DateColumn("First report", width="small"),
        })
    sel = event.selection if event else None
    picked = (list(sel.rows) or [cell[0] for cell in sel.get("cells", [])]) if sel else []
    if picked:
        gid = int(frame.iloc[picked[0]]["Group"])
        if gid != ss.cmp_group:
            open_group(gid)

# ---------------------------------------------------------------- the group view
gid = ss.cmp_group
group = data.compare_group(gid) if gid is not None else None
if gid is not None and group is None:
    st.warning(f"Group {gid} no longer exists (it was merged or recomputed).", icon=":material/info:")
    open_group(None)
if group is None:
    st.caption(":material/touch_app: Select a group to see its figure ledger.")
    st.stop()

rc = group.reconciled
st.divider()
# The incident first, then its facts: each a group of reports of one quantity.
if group.event_label:
    st.subheader(f"Incident: {look.md_escape(group.event_label)}", anchor=False)
    facts = [g for g in groups if g.event_id is not None and g.event_id == group.event_id]
    if len(facts) > 1:
        st.caption("Facts of this incident (select one to see its ledger):")
        cols = st.columns(min(len(facts), 3))
        for k, (g, short) in enumerate(zip(facts, look.short_labels([g.label for g in facts]))):
            cols[k % len(cols)].button(
                f"{look.md_escape(short)} · {look.plural(g.size, 'claim')}",
                key=f"cmp_fact_{g.id}", help=look.md_escape(g.label), type="primary" if g.id == group.id else "secondary",
                on_click=open_group, args=(g.id,), width="stretch")
else:
    st.subheader("No incident found", anchor=False)
    st.caption("These reports name no event the grouping could place; they are grouped on their own wording.")
st.markdown(f"**Group {group.id}:** {look.md_escape(group.label)}")
m1, m2, m3, m4, m5 = st.columns([1.1, 1.4, 0.7, 0.9, 1.9])
m1.metric("Reconciled best", charts._show(rc.best) or "—", help=RULE_HELP[Rule(group.rule)])
m2.metric("Range", f"{charts._show(rc.low) or '—'} – {charts._show(rc.high) or '—'}")
m3.metric("Reports", rc.reports, help="Documents with a credible claim in this group (a document's repeats count once; claims marked false or not a claim are left out)")
m4.metric("Independent", rc.independent_sources,
          help="Reports after counting near-identical sentences (one wire copy) and one document once")
m5.metric("Rule", group.rule, help=(f"set by {look.md_escape(group.rule_reviewer)}" if group.rule_reviewer else "the default"))
st.caption(rc.summary)
if rc.discrepancy:
    st.warning(f"Credible figures disagree: spread {rc.spread_ratio:.0%} of the highest figure.",
               icon=":material/report:")
if rc.disputed:
    st.caption(f":material/report: {look.plural(rc.disputed, 'disputed claim')} counted but flagged.")
if rc.excluded:
    st.caption(f":material/block: {look.plural(rc.excluded, 'claim')} marked false or not a claim left out.")
if rc.rationale:
    st.markdown(f"**Rationale:** {look.md_escape(rc.rationale)}")
if group.figure_stale:
    st.warning("The reviewer's figure was chosen before this group's claims changed: check it and save the "
               "rule again.", icon=":material/history:")

st.plotly_chart(charts.group_figure(rc, kind=group.kind), width="stretch", key="cmp_chart",
                config={"displaylogo": False})
st.markdown("**Figure ledger**")
ledger = charts.ledger_frame(rc, group.reasons, grade_of=data.publisher_grades(), grades=flt.grades)
invented = sum(r.fictional for r in rc.ledger)
if invented:
    st.markdown(f":orange-badge[:material/science: Fictional example] {look.plural(invented, 'report')} of this "
                "group come from invented example documents (seeds/fictional).")
if len(ledger) < len(rc.ledger):
    st.caption(f":material/filter_alt: Showing the {look.plural(len(ledger), 'report')} from publishers graded "
               f"{', '.join(flt.grades)}; {len(rc.ledger) - len(ledger):,} from other or ungraded publishers hidden "
               "(the reconciled figure above counts every report).")
st.dataframe(ledger, hide_index=True, width="stretch",
             column_config={"Claim": st.column_config.NumberColumn("Claim", width=60),
                            "Grade": st.column_config.TextColumn(
                                "Grade", width=55, help="The publisher's source reliability grade (set on Sources): "
                                "A completely reliable … E unreliable, F cannot be judged; empty: not graded"),
                            "Why grouped": st.column_config.TextColumn("Why grouped", width="large"),
                            "Quote": st.column_config.TextColumn("Quote", width="medium"),
                            "Counted": st.column_config.CheckboxColumn("Counted", width=70,
                                                                       help="False and not-a-claim are left out"),
                            "Published": st.column_config.DateColumn("Published", width="small")})

# ---------------------------------------------------------------- rule picker
st.markdown("**Reconciliation rule**")
rules = [r.value for r in Rule]
with st.form(f"cmp_rule_form_{group.id}", border=True):
    choice = st.radio("Rule", rules, index=rules.index(group.rule), horizontal=True, key=f"cmp_rule_{group.id}",
                      captions=[RULE_HELP[Rule(r)] for r in rules], label_visibility="collapsed")
    st.caption("For **reviewer**: your figure and why.")
    f1, f2, f3 = st.columns(3)
    reviewer_set = group.rule == "reviewer" and bool(rc.rationale)  # show the stored figure to edit it
    low_in = f1.text_input("Low", value=charts._show(rc.low) if reviewer_set else "", key=f"cmp_low_{group.id}")
    best_in = f2.text_input("Best", value=charts._show(rc.best) if reviewer_set else "", key=f"cmp_best_{group.id}")
    high_in = f3.text_input("High", value=charts._show(rc.high) if reviewer_set else "", key=f"cmp_high_{group.id}")
    rationale_in = st.text_area("Rationale", value=rc.rationale or "", key=f"cmp_rationale_{group.id}", height=70)
    save_rule = st.form_submit_button("Save rule", type="primary", disabled=not reviewer)
if save_rule:
    try:
        data.compare_set_rule(group.id, rule=choice, reviewer=reviewer, low=low_in or None, best=best_in or None,
                              high=high_in or None, rationale=rationale_in or None)
        flash("success", f"Group {group.id} now reconciles by the {choice} rule.")
        st.rerun()
    except (BadInputError, NotFoundError) as e:
        st.error(look.md_escape(str(e)))
if not reviewer:
    st.caption(":material/badge: Enter your name in the sidebar to change the rule or the grouping.")

# ---------------------------------------------------------------- merge / split / move
st.markdown("**Grouping**")
member_ids = [m.id for m in group.members]
quote_of = {m.id: f"#{m.id} {m.publisher or 'unknown'}: {m.claim.quote}" for m in group.members}
label_of = {g.id: f"Group {g.id}: {g.label}" for g in groups}
t_merge, t_split, t_move = st.tabs(["Merge groups", "Split a claim out", "Move a claim"])
with t_merge:
    widen = st.checkbox("Also list groups of other kinds or outcomes", key=f"cmp_merge_any_{group.id}",
                        help="Killed and injured, or a date and a toll, are different facts: merging them needs "
                             "a confirmation.")
    others = [g.id for g in groups if g.id != group.id
              and (widen or (g.kind == group.kind and (g.outcome or None) == (group.outcome or None)))]
    into = st.multiselect("Merge these groups into this one", others, format_func=lambda g: label_of.get(g, str(g)),
                          key=f"cmp_merge_{group.id}",
                          placeholder="Groups of the same kind and outcome in the list above")
    pending = ss.get("cmp_merge_confirm")
    if st.button("Merge", key=f"cmp_merge_btn_{group.id}", disabled=not (reviewer and into)):
        problem = data.compare_merge_check([group.id, *into])
        if problem or len(into) >= 3:
            # Different facts, or many groups at once ("Select all"): ask before merging.
            ss.cmp_merge_confirm = (group.id, tuple(into), problem)
            st.rerun()
        apply_decision(lambda: data.compare_merge([group.id, *into], reviewer=reviewer),
                       lambda g: f"Merged into group {g.id}.")
    if pending and pending[0] == group.id and tuple(into) == pending[1]:
        why = (f"{pending[2][:1].upper()}{pending[2][1:]}." if pending[2]
               else f"This merges {len(pending[1]) + 1} groups into one.")
        st.warning(f"{look.md_escape(why)} Merge only if they really state one fact; "
                   "**Undo** in Decisions takes it back.", icon=":material/warning:")
        yes, no = st.columns(2)
        if yes.button("Merge anyway", key=f"cmp_merge_yes_{group.id}", type="primary", disabled=not reviewer):
            ss.pop("cmp_merge_confirm", None)
            apply_decision(lambda: data.compare_merge([group.id, *pending[1]], reviewer=reviewer,
                                                      force=bool(pending[2])),
                           lambda g: f"Merged into group {g.id}.")
        if no.button("Cancel", key=f"cmp_merge_no_{group.id}"):
            ss.pop("cmp_merge_confirm", None)
            st.rerun()
with t_split:
    out = st.selectbox("Claim", member_ids, format_func=quote_of.get, key=f"cmp_split_{group.id}")
    if st.button("Split out into its own group", key=f"cmp_split_btn_{group.id}",
                 disabled=not (reviewer and len(member_ids) > 1)):
        apply_decision(lambda: data.compare_split(int(out), reviewer=reviewer),
                       lambda g: f"Claim {out} is now alone in group {g.id}.", follow=False)
with t_move:
    mv1, mv2 = st.columns(2)
    which = mv1.selectbox("Claim", member_ids, format_func=quote_of.get, key=f"cmp_move_{group.id}")
    target = mv2.number_input("To group", min_value=1, step=1, value=None, key=f"cmp_move_to_{group.id}")
    if st.button("Move", key=f"cmp_move_btn_{group.id}", disabled=not (reviewer and target)):
        apply_decision(lambda: data.compare_move(int(which), to=int(target), reviewer=reviewer),
                       lambda g: f"Claim {which} moved to group {g.id}.")

log = data.compare_decisions(group.id)
if log:
    with st.expander(f"Decisions ({len(log)})"):
        st.dataframe(log, hide_index=True, width="stretch",
                     column_order=["at", "action", "reviewer", "claims", "rule", "rationale", "undone"])
        last = next((d for d in reversed(log) if d["action"] != "undo" and not d["undone"]), None)
        if last and st.button(f"Undo the last {last['action']} (by {last['reviewer']})", key=f"cmp_undo_{group.id}",
                              disabled=not reviewer, icon=":material/undo:",
                              help="Takes the decision back and regroups; the log keeps both."):
            try:
                undone = data.compare_undo(reviewer=reviewer, decision_id=last["id"])
            except (BadInputError, NotFoundError) as e:
                st.error(look.md_escape(str(e)))
            else:
                ss.cmp_table_gen += 1
                flash("success", f"Undid the {undone['action']} by {undone['reviewer']}; groups recomputed.")
                st.rerun()
