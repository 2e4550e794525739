"""Each reviewer's verdict, the claim's review state, two-review mode and an editor's adjudication.

With the team setting ``reviews_required`` at 1 a review decides the claim's
verdict as it always has; each reviewer's verdict is also kept in
``review_votes`` (agreement statistics read it). Above 1 a review records that
reviewer's verdict only: the claim's verdict stays ``unreviewed`` until the
required number of different reviewers gave the same verdict
(``needs_second`` until then, ``agreed`` after), and two different verdicts
make it ``disagreed`` until an editor adjudicates. Every step is appended to
``review_history`` in the same transaction as the change, with the version.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from claims.errors import BadInputError, ConflictError, NotFoundError
from claims.model import CORRECTABLE_FIELDS, ClaimRecord, HistoryEntry, Outcome, ReviewState, Verdict

# review_history fields written by team review (besides verdict, note, reviewer and the corrected fields)
VOTE_FIELD = "vote"            # old/new: that reviewer's previous and new verdict (None: none)
VOTE_NOTE_FIELD = "vote_note"  # that reviewer's note on their verdict
STATE_FIELD = "review_state"
ADJUDICATION_FIELD = "adjudication"


@dataclass(slots=True)
class Vote:
    """One reviewer's current verdict on a claim."""

    reviewer: str
    verdict: Verdict
    note: str | None
    at: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        return {"reviewer": self.reviewer, "verdict": self.verdict.value, "note": self.note,
                "at": self.at.isoformat()}


def state_of(verdicts: list[str], *, required: int) -> tuple[ReviewState, Verdict]:
    """Return the review state and the claim's verdict for the reviewers' current ``verdicts`` (two-review rule).

    No verdicts: unreviewed. Two different verdicts: disagreed (the claim's
    verdict stays unreviewed until an editor adjudicates). One verdict from
    fewer than ``required`` reviewers: needs_second; from ``required`` or
    more: agreed, and the claim takes that verdict.
    """
    distinct = set(verdicts)
    if not verdicts:
        return ReviewState.UNREVIEWED, Verdict.UNREVIEWED
    if len(distinct) > 1:
        return ReviewState.DISAGREED, Verdict.UNREVIEWED
    if len(verdicts) >= required:
        return ReviewState.AGREED, Verdict(verdicts[0])
    return ReviewState.NEEDS_SECOND, Verdict.UNREVIEWED


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


def _votes(conn: Connection, claim_id: int) -> dict[str, Vote]:
    from claims.team.schema import review_votes as rv

    return {r.reviewer: Vote(r.reviewer, Verdict(r.verdict), r.note, _utc(r.at))
            for r in conn.execute(sa.select(rv).where(rv.c.claim_id == claim_id).order_by(rv.c.at, rv.c.reviewer))}


def _put_vote(conn: Connection, dialect: str, claim_id: int, reviewer: str, verdict: Verdict, note: str | None,
              at: dt.datetime) -> None:
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    from claims.team.schema import review_votes as rv

    if verdict is Verdict.UNREVIEWED:  # "unreviewed" withdraws that reviewer's verdict
        conn.execute(rv.delete().where(rv.c.claim_id == claim_id, rv.c.reviewer == reviewer))
        return
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(rv).values(claim_id=claim_id, reviewer=reviewer, verdict=verdict.value, note=note, at=at)
    conn.execute(stmt.on_conflict_do_update(index_elements=["claim_id", "reviewer"],
                                            set_={"verdict": verdict.value, "note": note, "at": at}))


def single_review_state(verdict: Verdict) -> ReviewState:
    """Return the state of a claim whose verdict one review decides (reviews_required 1)."""
    return ReviewState.UNREVIEWED if verdict is Verdict.UNREVIEWED else ReviewState.REVIEWED


def record_single(conn: Connection, dialect: str, claim_id: int, *, reviewer: str, verdict: Verdict,
                  note: str | None, at: dt.datetime) -> None:
    """Keep the reviewer's verdict in review_votes after a one-review-decides save (agreement reads it)."""
    _put_vote(conn, dialect, claim_id, reviewer, verdict, note, at)


def record_vote(conn: Connection, store, current: ClaimRecord, *, verdict: Verdict, reviewer: str,
                note: str | None, corrected: dict[str, Any], evidence_url: str | None, required: int,
                at: dt.datetime) -> str:
    """Record ``reviewer``'s verdict under the two-review rule inside Store.review's transaction.

    ``note`` None keeps the reviewer's earlier note, "" clears it;
    ``corrected`` and ``evidence_url`` are the claim's shared values after
    this save. Returns "unchanged" (nothing to record: the same review
    twice), "raced" (another writer committed first: read again) or "done".
    """
    from claims.store import _claim_values, _effective_values, claims, review_history, reviews

    votes = _votes(conn, current.id)
    mine = votes.get(reviewer)
    old_verdict = mine.verdict.value if mine else None
    old_note = mine.note if mine else None
    new_note = old_note if note is None else (note or None)
    if verdict is Verdict.UNREVIEWED:
        new_vote, new_note = None, None
    else:
        new_vote = verdict.value
    changes: list[tuple[str, Any, Any]] = []
    if new_vote != old_verdict:
        changes.append((VOTE_FIELD, old_verdict, new_vote))
    if new_note != old_note:
        changes.append((VOTE_NOTE_FIELD, old_note, new_note))
    if evidence_url != current.evidence_url:
        changes.append(("evidence_url", current.evidence_url, evidence_url))
    extracted = current.claim
    for k in CORRECTABLE_FIELDS:
        before, after = current.effective(k), (corrected[k] if k in corrected else getattr(extracted, k))
        before = before.value if isinstance(before, Outcome) else before
        after = after.value if isinstance(after, Outcome) else after
        if before != after:
            changes.append((k, before, after))
    if not changes:
        return "unchanged"  # the same reviewer saving the same review again is still one review
    after_votes = {r: v.verdict.value for r, v in votes.items() if r != reviewer}
    if new_vote is not None:
        after_votes[reviewer] = new_vote
    old_state = ReviewState(_state_column(conn, current.id))
    if old_state is ReviewState.ADJUDICATED:
        state, final = old_state, current.verdict  # an editor's decision stands until an editor decides again
    else:
        state, final = state_of(list(after_votes.values()), required=required)
    if final is not current.verdict:
        changes.append(("verdict", current.verdict.value, final.value))
    if state is not old_state:
        changes.append((STATE_FIELD, old_state.value, state.value))
    if current.reviewer != reviewer:
        changes.append(("reviewer", current.reviewer, reviewer))
    res = conn.execute(
        reviews.update().where(reviews.c.claim_id == current.id, reviews.c.version == current.version)
        .values(verdict=final.value, evidence_url=evidence_url, corrected=corrected, reviewer=reviewer,
                reviewed_at=at, version=reviews.c.version + 1))
    if res.rowcount != 1:
        return "raced"
    _put_vote(conn, store.dialect, current.id, reviewer, verdict, new_note, at)
    conn.execute(claims.update().where(claims.c.id == current.id)
                 .values(verdict=final.value, reviewer=reviewer, review_state=state.value,
                         **_effective_values(_claim_values(extracted), corrected)))
    conn.execute(review_history.insert(), [
        {"claim_id": current.id, "fingerprint": current.fingerprint, "version": current.version + 1,
         "field": f, "old": old, "new": new, "reviewer": reviewer, "at": at} for f, old, new in changes])
    return "done"


def _state_column(conn: Connection, claim_id: int) -> str:
    from claims.store import claims

    return conn.execute(sa.select(claims.c.review_state).where(claims.c.id == claim_id)).scalar() or "unreviewed"


def adjudicate(store, claim_id: int, *, verdict: Verdict | str, note: str, actor,
               expect_version: int | None = None) -> ClaimRecord:
    """Decide a disagreed claim as an editor, with a note; return the claim as written.

    Raises ForbiddenError unless ``actor`` is an editor, BadInputError when
    the claim is not disagreed (or already adjudicated), the verdict is
    ``unreviewed`` or the note is empty, ConflictError when
    ``expect_version`` is not the current version.
    """
    from claims.store import _now, _reviewer_name, claims, parse_verdict, review_history, reviews
    from claims.team.roles import Permission, require

    require(actor, Permission.ADJUDICATE)
    editor = _reviewer_name(actor.name, field="editor")
    if not editor:
        raise BadInputError("editor: a name is required to adjudicate")
    v = parse_verdict(verdict)
    if v is Verdict.UNREVIEWED:
        raise BadInputError("verdict: an adjudication decides a verdict; unreviewed is none")
    text = (note or "").strip()
    if not text:
        raise BadInputError("note: say why (an adjudication needs a note)")

    def work(conn: Connection) -> ClaimRecord:
        cur = conn.execute(store._record_select().where(claims.c.id == int(claim_id))
                           .with_for_update(of=reviews)).mappings().first()
        if cur is None:
            raise NotFoundError(f"claim {claim_id} does not exist")
        current = store._record(cur)
        if expect_version is not None and current.version != int(expect_version):
            raise ConflictError(f"claim {claim_id} changed since version {expect_version} (now version "
                                f"{current.version}); reload it and decide again",
                                current_version=current.version, current=current)
        state = ReviewState(cur["review_state"])
        if state not in (ReviewState.DISAGREED, ReviewState.ADJUDICATED):
            raise BadInputError(f"claim {claim_id}: only disagreements are adjudicated (it is {state.value})")
        at = _now()
        changes = [(ADJUDICATION_FIELD, None, {"verdict": v.value, "note": text})]
        if v is not current.verdict:
            changes.append(("verdict", current.verdict.value, v.value))
        if text != current.note:
            changes.append(("note", current.note, text))
        if state is not ReviewState.ADJUDICATED:
            changes.append((STATE_FIELD, state.value, ReviewState.ADJUDICATED.value))
        if current.reviewer != editor:
            changes.append(("reviewer", current.reviewer, editor))
        res = conn.execute(reviews.update()
                           .where(reviews.c.claim_id == current.id, reviews.c.version == current.version)
                           .values(verdict=v.value, note=text, reviewer=editor, reviewed_at=at,
                                   version=reviews.c.version + 1))
        if res.rowcount != 1:
            raise ConflictError(f"claim {claim_id} changed while deciding; reload it and decide again",
                                current_version=None, current=None)
        conn.execute(claims.update().where(claims.c.id == current.id)
                     .values(verdict=v.value, reviewer=editor, review_state=ReviewState.ADJUDICATED.value))
        conn.execute(review_history.insert(), [
            {"claim_id": current.id, "fingerprint": current.fingerprint, "version": current.version + 1,
             "field": f, "old": old, "new": new, "reviewer": editor, "at": at} for f, old, new in changes])
        rec = conn.execute(store._record_select().where(claims.c.id == current.id)).mappings().first()
        return store._record(rec)

    return store.transact(work)


def votes(store, claim_id: int) -> list[Vote]:
    """Return each reviewer's current verdict on a claim, oldest first (empty when none)."""
    with store.read() as conn:
        return list(_votes(conn, int(claim_id)).values())


def review_status(store, claim_id: int, *, viewer: str | None = None) -> dict[str, Any]:
    """Return a claim's review state, the reviews required, and the per-reviewer verdicts.

    With blind review on and ``viewer`` given, other reviewers' verdicts are
    left out (``votes_hidden`` counts them) until ``viewer`` has saved one.
    """
    from claims.store import claims
    from claims.team.schema import assignments
    from claims.team.settings import read_setting, reviews_required

    with store.read() as conn:
        state = conn.execute(sa.select(claims.c.review_state).where(claims.c.id == int(claim_id))).scalar()
        if state is None:
            raise NotFoundError(f"claim {claim_id} does not exist")
        required = reviews_required(conn)
        blind = read_setting(conn, "blind_review") == "true"
        vs = list(_votes(conn, int(claim_id)).values())
        assigned = [r for (r,) in conn.execute(sa.select(assignments.c.reviewer)
                                               .where(assignments.c.claim_id == int(claim_id))
                                               .order_by(assignments.c.reviewer))]
    hide = hidden_for(viewer, vs, blind=blind, required=required, state=state)
    shown = [v for v in vs if not hide or v.reviewer == viewer]
    return {"review_state": state, "reviews_required": required, "blind_review": blind,
            "votes": [v.to_dict() for v in shown], "votes_hidden": len(vs) - len(shown), "assigned_to": assigned}


def hidden_for(viewer: str | None, vs: list[Vote], *, blind: bool, required: int, state: str) -> bool:
    """Return whether ``viewer`` must not see other reviewers' verdicts yet (blind second review).

    Only a claim waiting for its second review is blind, and only to those
    who have not given a verdict on it: a disagreement is shown in full to
    the editor who decides it.
    """
    if not blind or required <= 1 or viewer is None or state != ReviewState.NEEDS_SECOND.value:
        return False
    return all(v.reviewer != viewer for v in vs)


def visible_history(entries: list[HistoryEntry], *, viewer: str | None, hide: bool) -> list[HistoryEntry]:
    """Return the history ``viewer`` may see: without others' verdicts and notes while review is blind for them."""
    if not hide:
        return entries
    secret = {VOTE_FIELD, VOTE_NOTE_FIELD}
    return [e for e in entries if e.field not in secret or e.reviewer == viewer]
