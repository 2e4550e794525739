"""Store groups, and reviewers' merge/split/move/rule decisions, so re-running compare keeps them.

Groups are recomputed from every stored claim by :func:`run_compare`; the
reviewers' decisions are an append-only log keyed by claim fingerprints
(which survive re-extraction of the same span), replayed in order over each
automatic grouping. Group ids stay stable across runs: a recomputed group
takes the id of the earlier group it shares most members with.

Tables (created by Alembic revision ``0003_compare``):
``compare_groups``, ``compare_members``, ``compare_decisions``.
"""
from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

import sqlalchemy as sa

from claims.compare.events import LEAD_CHARS
from claims.compare.grouping import group_claims_explained, group_label, member_order
from claims.compare.reconcile import Reconciled, ReviewerFigure, Rule, reconcile, summary_text
from claims.errors import BadInputError, MergeRefusedError, NotFoundError
from claims.gcpause import paused_gc
from claims.model import ClaimFilter, ClaimRecord, Kind, Outcome
from claims.store import Store, claims as claims_table, metadata

UTCDateTime = sa.DateTime(timezone=True)

compare_groups = sa.Table(
    "compare_groups", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False, index=True),
    sa.Column("outcome", sa.String(20)),
    sa.Column("label", sa.Text, nullable=False),
    # the reconciliation rule the group stores, and a reviewer-set figure when rule is 'reviewer'
    sa.Column("rule", sa.String(20), nullable=False, server_default="best"),
    sa.Column("figure", sa.JSON),
    sa.Column("rationale", sa.Text),
    sa.Column("rule_reviewer", sa.String(200)),
    sa.Column("rule_at", UTCDateTime),
    sa.Column("computed_at", UTCDateTime, nullable=False),
    # the reconciled summary, so the groups list reads this table alone (revision 0005); refreshed
    # on every change here and when a member's review is newer than refreshed_at
    sa.Column("size", sa.Integer, nullable=False, server_default="0", index=True),
    sa.Column("reports", sa.Integer, nullable=False, server_default="0"),
    sa.Column("independent", sa.Integer, nullable=False, server_default="0"),
    sa.Column("reconciled", sa.JSON),
    sa.Column("spread", sa.Float, nullable=False, server_default="0"),
    sa.Column("spread_ratio", sa.Float, nullable=False, server_default="0", index=True),
    sa.Column("discrepancy", sa.Boolean, nullable=False, server_default=sa.false(), index=True),
    sa.Column("first_published", sa.Date),
    sa.Column("refreshed_at", UTCDateTime),
    # the incident most members report (claims.compare.events), and whether a reviewer-chosen figure
    # predates a change of members (revision 0011)
    sa.Column("event_id", sa.Integer, index=True),
    sa.Column("event_label", sa.Text),
    sa.Column("figure_stale", sa.Boolean, nullable=False, server_default=sa.false()),
)

compare_members = sa.Table(
    "compare_members", metadata,
    # every claim is in exactly one group; fingerprints, not claim ids, survive re-extraction
    sa.Column("fingerprint", sa.String(32), primary_key=True),
    sa.Column("group_id", sa.Integer, sa.ForeignKey("compare_groups.id"), nullable=False, index=True),
    sa.Column("manual", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("reason", sa.Text),  # why the claim is in its group, one line (revision 0011)
)

compare_decisions = sa.Table(
    "compare_decisions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("action", sa.String(10), nullable=False),       # merge | split | move | rule | undo
    sa.Column("reviewer", sa.String(200), nullable=False, index=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("fingerprint", sa.String(32)),                   # split/move: the claim
    sa.Column("fingerprints", sa.JSON, nullable=False),        # merge: all members; move/rule: the target group's
    sa.Column("rule", sa.String(20)),
    sa.Column("figure", sa.JSON),
    sa.Column("rationale", sa.Text),
    sa.Column("undoes", sa.Integer),  # undo: the decision it takes back (revision 0011)
    sa.Column("forced", sa.Boolean, nullable=False, server_default=sa.false()),  # merge across kinds/outcomes
)

SORTS = ("spread", "size", "date")


@dataclass(slots=True)
class Group:
    """A stored group with its members (current reviews applied) and reconciled figure."""

    id: int
    kind: str
    outcome: str | None
    label: str
    rule: str
    members: list[ClaimRecord]
    reconciled: Reconciled
    rule_reviewer: str | None = None
    rule_at: dt.datetime | None = None
    event_id: int | None = None          # the incident most members report
    event_label: str | None = None
    figure_stale: bool = False           # a reviewer's figure chosen before the members last changed
    reasons: dict[str, str] = field(default_factory=dict)   # fingerprint -> why it is in this group

    @property
    def event(self) -> dict[str, Any] | None:
        """Return the group's incident as ``{"id", "label"}`` (None when no incident was found)."""
        return {"id": self.event_id, "label": self.event_label} if self.event_id is not None else None

    @property
    def first_published(self) -> dt.date | None:
        dates = [m.published for m in self.members if m.published]
        return min(dates) if dates else None

    def to_dict(self, *, ledger: bool = False) -> dict[str, Any]:
        """Return the record ``compare --json`` prints: the group, its reconciled figure and members."""
        rc = self.reconciled.to_dict(ledger=False)
        d: dict[str, Any] = {
            "group": self.id, "kind": self.kind, "outcome": self.outcome, "label": self.label,
            "low": rc["low"], "best": rc["best"], "high": rc["high"], "rule": self.rule,
            "rationale": rc["rationale"], "reports": rc["reports"],
            "independent_sources": rc["independent_sources"], "claims": rc["claims"],
            "counting": rc["counting"], "discrepancy": rc["discrepancy"],
            "spread": rc["spread"], "spread_ratio": rc["spread_ratio"],
            "rule_reviewer": self.rule_reviewer,
            "rule_at": self.rule_at.isoformat() if self.rule_at else None,
            "event": self.event, "figure_stale": self.figure_stale,
        }
        d["members"] = [
            {"claim_id": row.claim_id, "document_id": row.document_id, "filename": row.filename,
             "start": row.start, "end": row.end, "quote": row.quote, "low": row.low, "high": row.high,
             "figure": row.figure, "publisher": row.publisher,
             "published": row.published.isoformat() if row.published else None,
             "attributed_to": row.attributed_to, "verdict": row.verdict, "credible": row.credible,
             "source": row.source, "wire_copy": row.wire_copy, "repeat": row.repeat,
             "fingerprint": row.fingerprint, "reason": self.reasons.get(row.fingerprint),
             **({"sentence": row.sentence} if ledger else {})}
            for row in self.reconciled.ledger
        ]
        return d


@dataclass(slots=True)
class GroupSummary:
    """A stored group as the groups list shows it, read from compare_groups alone (no members)."""

    id: int
    kind: str
    outcome: str | None
    label: str
    rule: str
    size: int
    reports: int
    independent: int
    low: Any
    best: Any
    high: Any
    spread: float
    spread_ratio: float
    discrepancy: bool
    first_published: dt.date | None
    event_id: int | None = None
    event_label: str | None = None
    figure_stale: bool = False

    @property
    def summary(self) -> str:
        return summary_text(self.reports, self.independent)


@dataclass(slots=True)
class CompareRun:
    """What one run of :func:`run_compare` did."""

    claims: int
    groups: int
    multi: int                  # groups with two or more members
    discrepancies: int
    decisions_applied: int
    decisions_stale: int        # decisions whose claims no longer exist
    seconds: float
    stale: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("claims", "groups", "multi", "discrepancies", "decisions_applied",
                                              "decisions_stale", "seconds")}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _value(v: Any) -> Any:
    return getattr(v, "value", v)


def _figure(raw: Any) -> ReviewerFigure | None:
    if not raw:
        return None
    return ReviewerFigure(best=raw.get("best"), low=raw.get("low"), high=raw.get("high"),
                          rationale=raw.get("rationale") or "", reviewer=raw.get("reviewer"))


# ------------------------------------------------------------------ replay
def _replay(part: dict[str, int], decisions: list[Any], next_label: int) -> tuple[dict[int, Any], int, list[int]]:
    """Apply decisions in order to ``part`` (fingerprint -> group label), in place.

    Return (rule decision per label, applied count, ids of stale decisions).
    Rules are keyed by the label holding most of the decision's fingerprints.
    """
    rules: dict[int, Any] = {}
    applied, stale = 0, []
    undone = {d.undoes for d in decisions if d.action == "undo" and d.undoes is not None}
    for d in decisions:
        if d.action == "undo" or d.id in undone:
            continue
        fps = list(d.fingerprints or [])
        if d.action == "merge":
            labels = sorted({part[f] for f in fps if f in part})
            if len(labels) >= 1:
                keep = labels[0]
                drop = set(labels[1:])
                if drop:
                    for f, lab in part.items():
                        if lab in drop:
                            part[f] = keep
                    for lab in drop:  # a rule set on a merged-away group goes with it
                        if lab in rules and keep not in rules:
                            rules[keep] = rules[lab]
                        rules.pop(lab, None)
                applied += 1
            else:
                stale.append(d.id)
        elif d.action == "split":
            if d.fingerprint in part:
                part[d.fingerprint] = next_label
                next_label += 1
                applied += 1
            else:
                stale.append(d.id)
        elif d.action == "move":
            votes = Counter(part[f] for f in fps if f in part and f != d.fingerprint)
            if d.fingerprint in part and votes:
                part[d.fingerprint] = votes.most_common(1)[0][0]
                applied += 1
            else:
                stale.append(d.id)
        elif d.action == "rule":
            votes = Counter(part[f] for f in fps if f in part)
            if votes:
                rules[votes.most_common(1)[0][0]] = d
                applied += 1
            else:
                stale.append(d.id)
    return rules, applied, stale


def _manual_reasons(decisions: list[Any]) -> dict[str, str]:
    """Return fingerprint -> the reviewer decision that placed it, for claims a reviewer moved."""
    out: dict[str, str] = {}
    for d in decisions:
        when = d.at.date().isoformat() if d.at else ""
        if d.action == "merge":
            why = f"merged by {d.reviewer} ({when})" + (", forced across kinds or outcomes" if d.forced else "")
            for f in d.fingerprints or []:
                out[f] = why
        elif d.action == "split" and d.fingerprint:
            out[d.fingerprint] = f"split out by {d.reviewer} ({when})"
        elif d.action == "move" and d.fingerprint:
            out[d.fingerprint] = f"moved here by {d.reviewer} ({when})"
    return out


def _stable_ids(new_groups: dict[int, list[str]], old: dict[str, int]) -> dict[int, int | None]:
    """Map each new label to the old group id it overlaps most (each old id used once), else None."""
    overlaps: list[tuple[int, int, int]] = []
    for lab, fps in new_groups.items():
        counts = Counter(old[f] for f in fps if f in old)
        for gid, n in counts.items():
            overlaps.append((n, lab, gid))
    overlaps.sort(key=lambda t: (-t[0], t[1], t[2]))
    out: dict[int, int | None] = {lab: None for lab in new_groups}
    used: set[int] = set()
    for _, lab, gid in overlaps:
        if out[lab] is None and gid not in used:
            out[lab] = gid
            used.add(gid)
    return out


# ------------------------------------------------------------------ compute and store


def document_leads(store: Store, doc_ids: set[int]) -> dict[int, str]:
    """Return document id -> its title and the first LEAD_CHARS characters of its text."""
    from claims.store import documents

    out: dict[int, str] = {}
    q = sa.select(documents.c.id, documents.c.title, sa.func.substr(documents.c.text, 1, LEAD_CHARS))
    with store.read() as conn:
        for doc_id, title, lead in conn.execute(q):
            if doc_id in doc_ids:
                out[doc_id] = f"{title}\n{lead}" if title and not (lead or "").startswith(title) else (lead or "")
    return out


def run_compare(store: Store) -> CompareRun:
    """Group every stored claim, replay reviewers' decisions, and store the groups (one transaction)."""
    # Every claim is held as a record until the end: collector passes over them would free nothing.
    with paused_gc():
        return _run_compare(store)


def _run_compare(store: Store) -> CompareRun:
    t0 = time.perf_counter()
    records = list(store.iter_claims(ClaimFilter(), batch=5000))
    by_fp = {r.fingerprint: r for r in records}
    grouping = group_claims_explained(records, leads=document_leads(store, {r.document_id for r in records}),
                                      texts=lambda doc_id: getattr(store.get_document(doc_id), "text", None))
    auto = grouping.groups
    part = {r.fingerprint: lab for lab, g in enumerate(auto) for r in g}
    with store.read() as conn:
        decisions = conn.execute(sa.select(compare_decisions).order_by(compare_decisions.c.id)).all()
        old = dict(conn.execute(sa.select(compare_members.c.fingerprint, compare_members.c.group_id)).all())
    undone = {d.undoes for d in decisions if d.action == "undo" and d.undoes is not None}
    live = [d for d in decisions if d.action != "undo" and d.id not in undone]
    manual_fps = {d.fingerprint for d in live if d.action in ("split", "move") and d.fingerprint}
    manual_fps |= {f for d in live if d.action == "merge" for f in (d.fingerprints or [])}
    reasons = dict(grouping.reasons)
    reasons.update(_manual_reasons(live))
    event_of_fp = {r.fingerprint: ev for g, ev in zip(auto, grouping.events) if ev is not None for r in g}
    rules, applied, stale = _replay(part, decisions, len(auto))
    groups: dict[int, list[str]] = defaultdict(list)
    for f, lab in part.items():
        groups[lab].append(f)
    ids = _stable_ids(groups, old)
    now = _now()
    discrepancies = 0
    multi = 0

    # Everything but the writes is computed first: the write transaction stays short, and a retried
    # transaction (a busy SQLite file) repeats only the writes.
    updates: list[dict[str, Any]] = []
    inserts: list[tuple[int, dict[str, Any]]] = []
    for lab, fps in groups.items():
        members = sorted((by_fp[f] for f in fps), key=member_order)
        first = members[0].claim
        d = rules.get(lab)
        values = {
            "kind": Kind(first.kind).value,
            "outcome": _value(first.outcome) if first.outcome else None,
            "label": group_label(members),
            "rule": d.rule if d is not None else Rule.BEST.value,
            "figure": d.figure if d is not None else None,
            "rationale": d.rationale if d is not None else None,
            "rule_reviewer": d.reviewer if d is not None else None,
            "rule_at": d.at if d is not None else None,
            "computed_at": now,
        }
        events = Counter(event_of_fp[f] for f in fps if f in event_of_fp)
        event = sorted(events.items(), key=lambda t: (-t[1], t[0].id))[0][0] if events else None
        values["event_id"] = event.id if event else None
        values["event_label"] = event.label if event else None
        # A reviewer's figure stands for the members it was chosen for (the rule decision records
        # them): when they differ now, flag it.
        values["figure_stale"] = bool(values["rule"] == Rule.REVIEWER.value and d is not None
                                      and set(d.fingerprints or []) != set(fps))
        rc = _reconcile(members, values["rule"], values["figure"])
        values.update(_summary(members, rc, now))
        if ids[lab] is None:
            inserts.append((lab, values))
        else:
            updates.append({**values, "b_id": ids[lab]})
        if len(members) > 1:
            multi += 1
            discrepancies += rc.discrepancy

    def work(conn: sa.Connection) -> None:
        conn.execute(sa.delete(compare_members))
        keep = {gid for gid in ids.values() if gid is not None}
        existing = {r[0] for r in conn.execute(sa.select(compare_groups.c.id))}
        gone = existing - keep
        if gone:
            conn.execute(sa.delete(compare_groups).where(compare_groups.c.id.in_(sorted(gone))))
        gid_of = {lab: gid for lab, gid in ids.items() if gid is not None}
        # One statement per batch, not per group: building 14,000 statements cost seconds.
        update = sa.update(compare_groups).where(compare_groups.c.id == sa.bindparam("b_id"))
        for k in range(0, len(updates), 2000):
            conn.execute(update, updates[k:k + 2000])
        insert = sa.insert(compare_groups).returning(compare_groups.c.id, sort_by_parameter_order=True)
        for k in range(0, len(inserts), 2000):
            chunk = inserts[k:k + 2000]
            new_ids = [r[0] for r in conn.execute(insert, [v for _, v in chunk])]
            gid_of.update((lab, gid) for (lab, _), gid in zip(chunk, new_ids))
        member_rows = [{"fingerprint": f, "group_id": gid_of[lab], "manual": f in manual_fps,
                        "reason": reasons.get(f)}
                       for lab, fps in groups.items() for f in fps]
        for k in range(0, len(member_rows), 5000):
            conn.execute(sa.insert(compare_members), member_rows[k:k + 5000])

    store.transact(work)
    return CompareRun(claims=len(records), groups=len(groups), multi=multi, discrepancies=discrepancies,
                      decisions_applied=applied, decisions_stale=len(stale), stale=stale,
                      seconds=round(time.perf_counter() - t0, 3))


def _summary(members: list[ClaimRecord], rc: Reconciled, now: dt.datetime) -> dict[str, Any]:
    """Return the compare_groups summary columns for a group's members and reconciliation."""
    dates = [m.published for m in members if m.published]
    plain = rc.to_dict(ledger=False)
    return {"size": len(members), "reports": rc.reports, "independent": rc.independent_sources,
            "reconciled": {"low": plain["low"], "best": plain["best"], "high": plain["high"]},
            "spread": float(rc.spread), "spread_ratio": float(rc.spread_ratio), "discrepancy": bool(rc.discrepancy),
            "first_published": min(dates) if dates else None, "refreshed_at": now}


def _reconcile(members: list[ClaimRecord], rule: str, figure: Any) -> Reconciled:
    fig = _figure(figure)
    if Rule(rule) is Rule.REVIEWER and fig is None:
        rule = Rule.BEST.value  # a reviewer rule whose figure was lost cannot be applied: show best
    return reconcile(members, rule=rule, reviewer_figure=fig)


# ------------------------------------------------------------------ reading
def _records_by_fingerprint(store: Store, fps: Iterable[str]) -> dict[str, ClaimRecord]:
    fps = list(fps)
    ids: list[int] = []
    with store.read() as conn:
        for k in range(0, len(fps), 900):  # stay under SQLite's bound-parameter limit
            chunk = fps[k:k + 900]
            ids.extend(r[0] for r in conn.execute(
                sa.select(claims_table.c.id).where(claims_table.c.fingerprint.in_(chunk))))
    out: dict[str, ClaimRecord] = {}
    for k in range(0, len(ids), 900):
        for r in store.query_claims(ClaimFilter(claim_ids=ids[k:k + 900]), limit=None):
            out[r.fingerprint] = r
    return out


def _load(store: Store, group_ids: list[int] | None) -> list[Group]:
    with paused_gc():
        return _load_groups(store, group_ids)


def _load_groups(store: Store, group_ids: list[int] | None) -> list[Group]:
    with store.read() as conn:
        q = sa.select(compare_groups)
        mq = sa.select(compare_members.c.group_id, compare_members.c.fingerprint, compare_members.c.reason)
        if group_ids is not None:
            q = q.where(compare_groups.c.id.in_(group_ids))
            mq = mq.where(compare_members.c.group_id.in_(group_ids))
        rows = conn.execute(q).all()
        members = conn.execute(mq).all()
    fps_of: dict[int, list[str]] = defaultdict(list)
    reason_of: dict[str, str] = {}
    for gid, fp, reason in members:
        fps_of[gid].append(fp)
        if reason:
            reason_of[fp] = reason
    if group_ids is None:
        recs = {r.fingerprint: r for r in store.iter_claims(ClaimFilter(), batch=5000)}
    else:
        recs = _records_by_fingerprint(store, [f for fs in fps_of.values() for f in fs])
    out = []
    for row in rows:
        ms = sorted((recs[f] for f in fps_of.get(row.id, []) if f in recs), key=member_order)
        if not ms:
            continue  # every member was deleted since the last run
        out.append(Group(id=row.id, kind=row.kind, outcome=row.outcome, label=row.label, rule=row.rule,
                         members=ms, reconciled=_reconcile(ms, row.rule, row.figure),
                         rule_reviewer=row.rule_reviewer, rule_at=row.rule_at, event_id=row.event_id,
                         event_label=row.event_label, figure_stale=bool(row.figure_stale),
                         reasons={m.fingerprint: reason_of[m.fingerprint] for m in ms if m.fingerprint in reason_of}))
    return out


def _refresh_stale(store: Store) -> None:
    """Recompute stored summaries that are missing or older than a member's latest review."""
    from claims.store import reviews

    q = (sa.select(compare_members.c.group_id).distinct()
         .join(claims_table, claims_table.c.fingerprint == compare_members.c.fingerprint)
         .join(reviews, reviews.c.claim_id == claims_table.c.id)
         .join(compare_groups, compare_groups.c.id == compare_members.c.group_id)
         .where(reviews.c.reviewed_at.is_not(None),
                sa.or_(compare_groups.c.refreshed_at.is_(None), reviews.c.reviewed_at > compare_groups.c.refreshed_at)))
    # Groups stored before summaries existed (revision 0005) have none yet.
    unset = sa.select(compare_groups.c.id).where(compare_groups.c.refreshed_at.is_(None))
    with store.read() as conn:
        stale = sorted({r[0] for r in conn.execute(q)} | {r[0] for r in conn.execute(unset)})
    for k in range(0, len(stale), 2000):
        _refresh(store, stale[k:k + 2000])


def list_summaries(store: Store, *, flt: ClaimFilter | None = None, min_size: int = 2,
                   discrepancies_only: bool = False, sort: str = "spread", kinds: list[str] | None = None,
                   limit: int | None = None) -> list[GroupSummary]:
    """Return stored groups' summaries (no members) with at least ``min_size`` claims.

    A group matches ``flt`` when any member does. ``sort``: spread (largest
    disagreement first), size (most members first) or date (earliest report
    first). Summaries of groups whose members were reviewed since are refreshed first.
    """
    if sort not in SORTS:
        raise BadInputError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    _refresh_stale(store)
    g = compare_groups.c
    # A claim a reviewer split out stays listed (a group of one) so it can be merged back.
    manual = sa.select(compare_members.c.group_id).where(compare_members.c.manual.is_(True))
    q = sa.select(compare_groups).where(sa.or_(g.size >= int(min_size), g.id.in_(manual)))
    if discrepancies_only:
        q = q.where(g.discrepancy.is_(True))
    if kinds:
        q = q.where(g.kind.in_(list(kinds)))
    order = {"spread": [g.spread_ratio.desc(), g.spread.desc(), g.size.desc(), g.id],
             "size": [g.size.desc(), g.id],
             "date": [sa.nulls_last(g.first_published.asc()), g.id]}[sort]
    q = q.order_by(*order)
    wanted: set[int] | None = None
    if flt is not None and not flt.is_empty():
        fps = [r.fingerprint for r in store.iter_claims(flt, batch=5000)]
        wanted = set()
        with store.read() as conn:
            for k in range(0, len(fps), 900):
                wanted.update(r[0] for r in conn.execute(
                    sa.select(compare_members.c.group_id).where(compare_members.c.fingerprint.in_(fps[k:k + 900]))))
    out = []
    with store.read() as conn:
        for r in conn.execute(q):
            if wanted is not None and r.id not in wanted:
                continue
            rec = r.reconciled or {}
            out.append(GroupSummary(
                id=r.id, kind=r.kind, outcome=r.outcome, label=r.label, rule=r.rule, size=r.size,
                reports=r.reports, independent=r.independent, low=rec.get("low"), best=rec.get("best"),
                high=rec.get("high"), spread=r.spread, spread_ratio=r.spread_ratio, discrepancy=bool(r.discrepancy),
                first_published=r.first_published, event_id=r.event_id, event_label=r.event_label,
                figure_stale=bool(r.figure_stale)))
            if limit is not None and len(out) >= limit:
                break
    return out


def list_groups(store: Store, *, flt: ClaimFilter | None = None, min_size: int = 2,
                discrepancies_only: bool = False, sort: str = "spread", kinds: list[str] | None = None,
                limit: int | None = None) -> list[Group]:
    """Return stored groups with their members, in the order :func:`list_summaries` gives."""
    summaries = list_summaries(store, flt=flt, min_size=min_size, discrepancies_only=discrepancies_only,
                               sort=sort, kinds=kinds, limit=limit)
    if not summaries:
        return []
    ids = [s.id for s in summaries]
    loaded = {g.id: g for g in _load(store, ids if len(ids) < 2000 else None)}
    return [loaded[i] for i in ids if i in loaded]


def discrepancies(store: Store, *, flt: ClaimFilter | None = None) -> list[Group]:
    """Return the groups whose credible figures disagree, largest spread first."""
    return list_groups(store, flt=flt, discrepancies_only=True, sort="spread")


def get_group(store: Store, group_id: int) -> Group | None:
    """Return one stored group, or None when there is no such group."""
    found = _load(store, [int(group_id)])
    return found[0] if found else None


def group_of_claim(store: Store, claim_id: int) -> Group | None:
    """Return the group holding a claim, or None when the claim is in none (compare not run yet)."""
    rec = store.get_claim(int(claim_id))
    if rec is None:
        return None
    with store.read() as conn:
        gid = conn.execute(sa.select(compare_members.c.group_id)
                           .where(compare_members.c.fingerprint == rec.fingerprint)).scalar()
    return get_group(store, gid) if gid is not None else None


def decisions(store: Store, *, group_id: int | None = None) -> list[dict[str, Any]]:
    """Return reviewers' decisions, oldest first (those touching ``group_id``'s members when given)."""
    with store.read() as conn:
        rows = conn.execute(sa.select(compare_decisions).order_by(compare_decisions.c.id)).all()
        fps = None
        if group_id is not None:
            fps = {r[0] for r in conn.execute(sa.select(compare_members.c.fingerprint)
                                              .where(compare_members.c.group_id == group_id))}
    out = []
    undone = {r.undoes for r in rows if r.action == "undo"}
    for r in rows:
        touched = set(r.fingerprints or []) | ({r.fingerprint} if r.fingerprint else set())
        if fps is not None and not (touched & fps):
            continue
        out.append({"id": r.id, "action": r.action, "reviewer": r.reviewer, "at": r.at.isoformat() if r.at else None,
                    "fingerprint": r.fingerprint, "claims": len(touched), "rule": r.rule, "figure": r.figure,
                    "rationale": r.rationale, "undoes": r.undoes, "forced": bool(r.forced),
                    "undone": r.id in undone})
    return out


# ------------------------------------------------------------------ reviewers' decisions
def _reviewer(reviewer: str | None) -> str:
    name = (reviewer or "").strip()
    if not name:
        raise BadInputError("reviewer is required (who made this decision?)")
    if len(name) > 200:
        raise BadInputError("reviewer: at most 200 characters")
    return name


def _members(conn: sa.Connection, gid: int) -> list[str]:
    return [r[0] for r in conn.execute(sa.select(compare_members.c.fingerprint)
                                       .where(compare_members.c.group_id == gid)
                                       .order_by(compare_members.c.fingerprint))]


def _require_group(conn: sa.Connection, gid: int) -> Any:
    row = conn.execute(sa.select(compare_groups).where(compare_groups.c.id == int(gid))).first()
    if row is None:
        raise NotFoundError(f"no group {gid} (run `python -m claims compare` to compute groups)")
    return row


def _drop_if_empty(conn: sa.Connection, gid: int) -> None:
    if not _members(conn, gid):
        conn.execute(sa.delete(compare_groups).where(compare_groups.c.id == gid))


def _claim_fp(store: Store, claim_id: int) -> ClaimRecord:
    rec = store.get_claim(int(claim_id))
    if rec is None:
        raise NotFoundError(f"no claim {claim_id}")
    return rec


def _log(conn: sa.Connection, action: str, reviewer: str, **values: Any) -> None:
    values.setdefault("fingerprints", [])
    conn.execute(sa.insert(compare_decisions).values(action=action, reviewer=reviewer, at=_now(), **values))


def merge_check(store: Store, group_ids: list[int]) -> str | None:
    """Return why these groups should not merge (different kinds or outcomes), or None when they may."""
    gids = sorted({int(g) for g in group_ids})
    with store.read() as conn:
        rows = [_require_group(conn, g) for g in gids]
    kinds = sorted({r.kind for r in rows})
    if len(kinds) > 1:
        return f"groups {', '.join(map(str, gids))} hold different kinds of claim ({', '.join(kinds)})"
    outcomes = sorted({r.outcome or "none" for r in rows})
    if len(outcomes) > 1:
        return f"groups {', '.join(map(str, gids))} hold different outcomes ({' and '.join(outcomes)})"
    return None


def merge(store: Store, group_ids: list[int], *, reviewer: str, force: bool = False) -> Group:
    """Merge groups into the one with the lowest id, keep its rule, and log the decision.

    Groups of different kinds or outcomes merge only with ``force`` (raises
    :class:`MergeRefusedError` otherwise). A reviewer-chosen figure of any merged group is marked stale.
    """
    reviewer = _reviewer(reviewer)
    gids = sorted({int(g) for g in group_ids})
    if len(gids) < 2:
        raise BadInputError("merge needs at least two different groups")

    def work(conn: sa.Connection) -> int:
        rows = [_require_group(conn, g) for g in gids]
        kinds = sorted({r.kind for r in rows})
        outcomes = sorted({r.outcome or "none" for r in rows})
        if (len(kinds) > 1 or len(outcomes) > 1) and not force:
            what = f"kinds ({', '.join(kinds)})" if len(kinds) > 1 else f"outcomes ({' and '.join(outcomes)})"
            raise MergeRefusedError(f"groups {', '.join(map(str, gids))} hold different {what}; "
                                    "merge them only if they really state one fact")
        fps = [f for g in gids for f in _members(conn, g)]
        keep = gids[0]
        why = f"merged by {reviewer} ({_now().date().isoformat()})" + (", forced across kinds or outcomes" if force else "")
        conn.execute(sa.update(compare_members).where(compare_members.c.group_id.in_(gids))
                     .values(group_id=keep, manual=True, reason=why))
        conn.execute(sa.delete(compare_groups).where(compare_groups.c.id.in_(gids[1:])))
        _mark_figure_stale(conn, [keep])
        _log(conn, "merge", reviewer, fingerprints=fps, forced=bool(force))
        return keep

    keep = store.transact(work)
    return _relabel(store, keep)


def _mark_figure_stale(conn: sa.Connection, gids: list[int]) -> None:
    """Flag the reviewer-chosen figures of these groups: their members changed after it was chosen."""
    conn.execute(sa.update(compare_groups).where(compare_groups.c.id.in_(gids),
                                                 compare_groups.c.rule == Rule.REVIEWER.value)
                 .values(figure_stale=True))


def undo(store: Store, decision_id: int | None = None, *, reviewer: str) -> dict[str, Any]:
    """Take back a reviewer's merge, split, move or rule (the latest one not yet undone by default).

    The log stays append-only: an ``undo`` decision names the one it takes back, and the groups
    are recomputed with every other decision replayed. Return the undone decision (as
    :func:`decisions` lists it).
    """
    reviewer = _reviewer(reviewer)
    with store.read() as conn:
        rows = conn.execute(sa.select(compare_decisions).order_by(compare_decisions.c.id)).all()
    undone = {r.undoes for r in rows if r.action == "undo"}
    live = [r for r in rows if r.action != "undo" and r.id not in undone]
    if decision_id is None:
        if not live:
            raise NotFoundError("no decision to undo")
        target = live[-1]
    else:
        target = next((r for r in rows if r.id == int(decision_id)), None)
        if target is None:
            raise NotFoundError(f"no decision {decision_id}")
        if target.action == "undo":
            raise BadInputError(f"decision {decision_id} is itself an undo; undo cannot be undone")
        if target.id in undone:
            raise BadInputError(f"decision {decision_id} was already undone")

    def work(conn: sa.Connection) -> None:
        _log(conn, "undo", reviewer, undoes=target.id, fingerprints=list(target.fingerprints or []),
             fingerprint=target.fingerprint)

    store.transact(work)
    run_compare(store)
    return next(d for d in decisions(store) if d["id"] == target.id)


def split(store: Store, claim_id: int, *, reviewer: str) -> Group:
    """Take a claim out of its group into a group of its own, and log the decision."""
    reviewer = _reviewer(reviewer)
    rec = _claim_fp(store, claim_id)

    def work(conn: sa.Connection) -> int:
        old = conn.execute(sa.select(compare_members.c.group_id)
                           .where(compare_members.c.fingerprint == rec.fingerprint)).scalar()
        if old is None:
            raise NotFoundError(f"claim {claim_id} is in no group (run `python -m claims compare` first)")
        c = rec.claim
        gid = conn.execute(sa.insert(compare_groups).values(
            kind=Kind(c.kind).value, outcome=_value(c.outcome) if c.outcome else None,
            label=group_label([rec]), rule=Rule.BEST.value, computed_at=_now())).inserted_primary_key[0]
        conn.execute(sa.update(compare_members).where(compare_members.c.fingerprint == rec.fingerprint)
                     .values(group_id=gid, manual=True,
                             reason=f"split out by {reviewer} ({_now().date().isoformat()})"))
        _mark_figure_stale(conn, [old])
        _drop_if_empty(conn, old)
        _log(conn, "split", reviewer, fingerprint=rec.fingerprint, fingerprints=[rec.fingerprint])
        return gid, old

    gid, old = store.transact(work)
    return _relabel(store, gid, old)


def move(store: Store, claim_id: int, *, to: int, reviewer: str) -> Group:
    """Move a claim into group ``to`` (same kind), and log the decision."""
    reviewer = _reviewer(reviewer)
    rec = _claim_fp(store, claim_id)

    def work(conn: sa.Connection) -> int:
        target = _require_group(conn, to)
        if target.kind != Kind(rec.claim.kind).value:
            raise BadInputError(f"claim {claim_id} is a {Kind(rec.claim.kind).value} claim; "
                                f"group {to} holds {target.kind} claims")
        old = conn.execute(sa.select(compare_members.c.group_id)
                           .where(compare_members.c.fingerprint == rec.fingerprint)).scalar()
        if old is None:
            raise NotFoundError(f"claim {claim_id} is in no group (run `python -m claims compare` first)")
        if old == target.id:
            raise BadInputError(f"claim {claim_id} is already in group {to}")
        fps = _members(conn, target.id)
        conn.execute(sa.update(compare_members).where(compare_members.c.fingerprint == rec.fingerprint)
                     .values(group_id=target.id, manual=True,
                             reason=f"moved here by {reviewer} ({_now().date().isoformat()})"))
        _mark_figure_stale(conn, [old, target.id])
        _drop_if_empty(conn, old)
        _log(conn, "move", reviewer, fingerprint=rec.fingerprint, fingerprints=fps)
        return target.id, old

    gid, old = store.transact(work)
    return _relabel(store, gid, old)


def set_rule(store: Store, group_id: int, *, rule: Rule | str, reviewer: str, low: Any = None, best: Any = None,
             high: Any = None, rationale: str | None = None) -> Group:
    """Set the rule a group reconciles by (reviewer rule: with best figure and rationale), and log it."""
    reviewer = _reviewer(reviewer)
    try:
        rule = Rule(rule)
    except ValueError:
        raise BadInputError(f"rule must be one of {', '.join(r.value for r in Rule)}, not {rule!r}") from None
    figure = None
    if rule is Rule.REVIEWER:
        best, low, high = (_parse_figure(n, v) for n, v in (("best", best), ("low", low), ("high", high)))
        if best is None:
            raise BadInputError("best: the reviewer's rule needs a best figure (the figure the group reconciles to)")
        if not (rationale or "").strip():
            raise BadInputError("rationale: the reviewer's rule needs a rationale (why this figure)")
        lo = low if low is not None else best
        hi = high if high is not None else best
        if isinstance(best, (int, float)) and not (lo <= best <= hi):
            raise BadInputError(f"reviewer figure must satisfy low <= best <= high (got {lo}, {best}, {hi})")
        rationale = rationale.strip()
        figure = {"low": low, "best": best, "high": high, "rationale": rationale}
    else:
        rationale = None
    now = _now()

    def work(conn: sa.Connection) -> int:
        _require_group(conn, group_id)
        fps = _members(conn, int(group_id))
        conn.execute(sa.update(compare_groups).where(compare_groups.c.id == int(group_id)).values(
            rule=rule.value, figure=figure, rationale=rationale, rule_reviewer=reviewer, rule_at=now,
            figure_stale=False))
        _log(conn, "rule", reviewer, fingerprints=fps, rule=rule.value, figure=figure, rationale=rationale)
        return int(group_id)

    store.transact(work)
    return _relabel(store, int(group_id))


def _parse_figure(name: str, value: Any) -> Any:
    """Return a reviewer figure as a number (or an ISO date/duration text as given)."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        v = float(value)
    else:
        text = str(value).strip().replace(",", "")
        try:
            v = float(text)
        except ValueError:
            if text[:1].isdigit() or text[:1].upper() == "P":
                return text  # a date ("2014-12-16") or duration ("P1M")
            raise BadInputError(f"{name}: not a number, date or duration: {value!r}") from None
    if v != v or v in (float("inf"), float("-inf")) or v < 0:
        raise BadInputError(f"{name}: must be a finite number >= 0, not {value!r}")
    return int(v) if v.is_integer() else v


def _refresh(store: Store, group_ids: list[int]) -> list[Group]:
    """Recompute label and summary of these groups from their members now; return the groups."""
    groups = _load(store, sorted(set(group_ids)))
    now = _now()
    with store.write() as conn:
        for g in groups:
            g.label = group_label(g.members)
            conn.execute(sa.update(compare_groups).where(compare_groups.c.id == g.id)
                         .values(label=g.label, **_summary(g.members, g.reconciled, now)))
    return groups


def _relabel(store: Store, gid: int, *others: int) -> Group:
    """Refresh group ``gid`` (and ``others`` touched by the same decision) and return it."""
    found = {g.id: g for g in _refresh(store, [gid, *others])}
    if gid not in found:
        raise NotFoundError(f"no group {gid}")
    return found[gid]
