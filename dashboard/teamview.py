"""Team review widgets the pages share: the Review queues, each reviewer's verdict, the editor's decision, assignment.

Widgets and calls only: the rules live in :mod:`claims.team`, the reads and
writes in :mod:`dashboard.data`.
"""
from __future__ import annotations

import streamlit as st

from claims.errors import BadInputError, ConflictError, ForbiddenError, NotFoundError
from claims.model import ClaimFilter, ReviewState, Verdict
from claims.team import Permission, Queue, next_filter, queue_filter
from dashboard import data, look

QUEUE_KEY = "team_queue"


def can(permission: Permission) -> bool:
    """Return whether the current user may take an editors-only action (always, in a single-user setup)."""
    from dashboard import identity

    who = identity.actor()
    return who is not None and who.can(permission)


def queue_picker(flt: ClaimFilter, *, reviewer: str | None, on_change=None) -> ClaimFilter:
    """Draw the queue choice (all, needs my second review, disagreements, assigned to me) and return its filter."""
    counts = data.queue_counts(flt, reviewer=reviewer)
    st.session_state.setdefault(QUEUE_KEY, Queue.ALL.value)
    options = [q.value for q in Queue]

    def label(value: str) -> str:
        q = Queue(value)
        return q.label if q is Queue.ALL else f"{q.label} ({counts[value]:,})"

    chosen = st.segmented_control("Queue", options, format_func=label, key=QUEUE_KEY, label_visibility="collapsed",
                                  on_change=on_change) or Queue.ALL.value
    if chosen in (Queue.SECOND.value, Queue.ASSIGNED.value) and not reviewer:
        st.caption(":material/badge: Enter your name in the sidebar to see your own queues.")
    return queue_filter(flt, chosen, reviewer=reviewer)


def next_unreviewed_filter(flt: ClaimFilter, *, reviewer: str | None) -> ClaimFilter:
    """Return the filter "Next unreviewed" walks (with two reviews required it skips claims I already judged)."""
    return next_filter(flt, reviewer=reviewer, reviews_required=data.reviews_required())


def status(claim_id: int, *, reviewer: str | None) -> dict:
    """Return the claim's review status as ``reviewer`` may see it (blind review hides others' verdicts)."""
    return data.review_status(claim_id, viewer=reviewer)


def my_verdict(st_: dict, *, reviewer: str | None) -> str | None:
    """Return the verdict ``reviewer`` gave the claim (None when they have not), from :func:`status`."""
    return next((v["verdict"] for v in st_["votes"] if v["reviewer"] == reviewer), None)


def hides_history(st_: dict, *, reviewer: str | None) -> bool:
    """Return whether the history must leave out other reviewers' verdicts for ``reviewer`` (blind review)."""
    return bool(st_["votes_hidden"])


def votes_panel(st_: dict, *, reviewer: str | None) -> None:
    """Show where the claim stands and each reviewer's verdict (or how many are hidden until I save mine)."""
    state = st_["review_state"]
    required = st_["reviews_required"]
    if required <= 1 and len(st_["votes"]) <= 1 and not st_["assigned_to"]:
        return  # one review decides and nobody else judged it: the badge above says everything
    parts = [f":{look.REVIEW_STATE_BADGE.get(state, 'gray')}-badge[{look.REVIEW_STATE_LABEL.get(state, state)}]"]
    if required > 1:
        parts.append(f"{required} agreeing reviews required")
    if st_["assigned_to"]:
        parts.append("assigned to " + ", ".join(look.md_escape(n) for n in st_["assigned_to"]))
    st.markdown(" · ".join(parts))
    for v in st_["votes"]:
        who = "You" if v["reviewer"] == reviewer else look.md_escape(v["reviewer"])
        note = f" — {look.md_escape(v['note'])}" if v.get("note") else ""
        st.markdown(f"- **{who}**: {look.verdict_label(v['verdict'])}{note}")
    if st_["votes_hidden"]:
        st.caption(f":material/visibility_off: {look.plural(st_['votes_hidden'], 'other verdict')} hidden until "
                   "you save yours (blind second review).")


def adjudication_panel(rec, st_: dict, *, actor) -> None:
    """Let an editor decide a disagreement with a note; tell reviewers an editor will."""
    if st_["review_state"] not in (ReviewState.DISAGREED.value, ReviewState.ADJUDICATED.value):
        return
    if st_["review_state"] == ReviewState.ADJUDICATED.value:
        st.success(f"**{look.md_escape(rec.reviewer or 'An editor')}** decided: {look.verdict_label(rec.verdict)}"
                   + (f" — {look.md_escape(rec.note)}" if rec.note else ""), icon=":material/gavel:")
    if actor is None or not actor.can(Permission.ADJUDICATE):
        if st_["review_state"] == ReviewState.DISAGREED.value:
            st.info("Reviewers disagree on this claim: an editor decides it.", icon=":material/gavel:")
        return
    cid = rec.id
    with st.container(border=True):
        st.markdown("**Editor's decision**" + (" (decided; you may decide again)"
                                                if st_["review_state"] == ReviewState.ADJUDICATED.value else ""))
        choices = [v.value for v in Verdict if v is not Verdict.UNREVIEWED]
        st.selectbox("Verdict", choices, format_func=look.verdict_label, key=f"adj_verdict__{cid}")
        st.text_area("Why (required)", key=f"adj_note__{cid}", height=70,
                     placeholder="What settles it: the evidence both reviewers missed…")

        def decide() -> None:
            ss = st.session_state
            try:
                out = data.adjudicate(cid, verdict=ss[f"adj_verdict__{cid}"], note=ss.get(f"adj_note__{cid}", ""),
                                      actor=actor, expect_version=rec.version)
            except (BadInputError, ConflictError, ForbiddenError, NotFoundError) as e:
                ss.flash = ("error", str(e))
                return
            ss.seen.pop(cid, None) if "seen" in ss else None
            ss.flash = ("success", f"Decided: {look.verdict_label(out.verdict)} (version {out.version}).")

        st.button("Decide", on_click=decide, type="primary", icon=":material/gavel:", key=f"adj_save__{cid}")


def assign_form(flt: ClaimFilter, *, what: str, by: str | None, key: str) -> None:
    """Draw "assign these claims to" with a name box and a button (Documents: one document's claims)."""
    names = data.team_names()
    with st.popover(f"Assign {what}", icon=":material/assignment_ind:"):
        st.selectbox("Reviewer", names, index=None, accept_new_options=True, key=f"{key}_who",
                     placeholder="Pick or type a name")

        def go() -> None:
            ss = st.session_state
            who = (ss.get(f"{key}_who") or "").strip()
            if not who:
                ss[f"{key}_msg"] = ("error", "Pick or type whom to assign them to.")
                return
            try:
                n = data.assign_claims(flt, reviewer=who, by=by)
            except BadInputError as e:
                ss[f"{key}_msg"] = ("error", str(e))
                return
            ss[f"{key}_msg"] = ("success", f"Assigned {look.plural(n, 'claim')} to {who}"
                                           + (" (the rest were already theirs)." if n == 0 else "."))

        st.button("Assign", on_click=go, type="primary", key=f"{key}_go")
        msg = st.session_state.pop(f"{key}_msg", None)
        if msg:
            getattr(st, msg[0])(look.md_escape(msg[1]))
