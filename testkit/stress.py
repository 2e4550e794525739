"""The review-write stress run: writer processes, their results, and the invariant checks.

Many processes write reviews of the same few claims at once; writes come in
three kinds, as a team's dashboards would send them:

* fresh  -- read the claim, then ``review(..., expect_version=<what was read>)``:
            accepted, or a ConflictError when someone wrote in between;
* stale  -- ``expect_version`` one behind what was read: must be refused as a conflict;
* blind  -- no ``expect_version`` (last writer wins, the CLI's default): must be accepted.

Every write carries a unique note token, so afterwards :func:`check` can
prove from the database alone that nothing was lost: every accepted write is
in the history exactly once, the versions of a claim's accepted writes are
exactly 1..current with no gap or duplicate, replaying the history gives each
accepted write's verdict and note at its version, the final state equals the
last accepted write, refused and failed writes left no trace, and no write
died with an unhandled database error (a busy database after retries is a
reported ``StoreError``, counted separately).

With ``reviews_required=2`` (the team's two-review mode) every write is
one reviewer's verdict: the check then proves that each accepted write is in
the history once at its own version, that replaying the per-reviewer
verdicts gives each write's verdict and note at its version, that the stored
per-reviewer verdicts are each reviewer's last accepted write, and that the
claim's verdict and review state are what the two-review rule makes of them.

Used by ``python -m bench stress`` (8 x 200 writes, printed as a table) and
tests/test_stress.py (fewer writes, every invariant asserted).
"""
from __future__ import annotations

import math
import multiprocessing as mp
import random
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from claims.model import Verdict

KINDS = ("fresh", "stale", "blind")
VERDICTS = tuple(v for v in Verdict if v is not Verdict.UNREVIEWED)


@dataclass(slots=True)
class WriteResult:
    """What happened to one attempted review write."""

    worker: int
    seq: int
    claim_id: int
    kind: str                 # fresh | stale | blind
    verdict: str
    note: str                 # unique token: finds the write in the history
    expect: int | None        # expect_version sent (None for blind writes)
    outcome: str = ""         # accepted | conflict | failed (StoreError, reported) | error (unhandled)
    seconds: float = 0.0      # time inside Store.review
    conflict_version: int | None = None  # ConflictError.current.version
    error: str = ""


@dataclass(slots=True)
class StressReport:
    """All writes of one run and how long it took."""

    backend: str
    processes: int
    writes_per_process: int
    claim_ids: list[int]
    results: list[WriteResult] = field(default_factory=list)
    wall_seconds: float = 0.0
    reviews_required: int = 1  # team setting during the run: 2 = every write is one reviewer's verdict

    def count(self, outcome: str, kind: str | None = None) -> int:
        return sum(1 for r in self.results if r.outcome == outcome and (kind is None or r.kind == kind))

    def latency_ms(self, q: float, *, outcome: str | None = None) -> float:
        xs = sorted(r.seconds * 1000 for r in self.results if outcome is None or r.outcome == outcome)
        return percentile(xs, q)

    @property
    def writes_per_second(self) -> float:
        return len(self.results) / self.wall_seconds if self.wall_seconds else 0.0


def percentile(sorted_xs: list[float], q: float) -> float:
    """Return the q-th percentile (0-100) of already sorted values by nearest rank (0.0 when empty)."""
    if not sorted_xs:
        return 0.0
    k = max(0, min(len(sorted_xs) - 1, math.ceil(q / 100 * len(sorted_xs)) - 1))
    return sorted_xs[k]


def prepare(url: str, *, claims: int = 12, seed: int = 0, reviews_required: int = 1) -> list[int]:
    """Store a few synthetic documents in the database at ``url``; return the ids of about ``claims`` claims.

    ``reviews_required`` is stored as the team setting the writers then work under.
    """
    from testkit.corpus import EXTRACTOR_VERSION, documents
    from claims.store import Store
    from claims.team import actor_for, set_setting

    with Store(url) as store:
        set_setting(store, "reviews_required", reviews_required, actor=actor_for(store, "stress"))
        ids: list[int] = []
        for doc, found in documents(claims=claims, seed=seed, per_document=(3, 6)):
            doc_id, _ = store.add_document(doc, found, extractor_version=EXTRACTOR_VERSION)
            ids.extend(r.id for r in store.claims_for_document(doc_id))
        return ids


def _worker(url: str, wid: int, writes: int, claim_ids: list[int], seed: int, stale_share: float,
            blind_share: float, ready: Any, go: Any, out: Any) -> None:
    """Make ``writes`` review writes as reviewer ``worker-<wid>`` and put the results on ``out``."""
    from claims.errors import ConflictError, StoreError
    from claims.store import Store

    results: list[WriteResult] = []
    try:
        store = Store(url, migrate=False)
        rng = random.Random(seed * 7919 + wid)
        ready.release()
        go.wait()
        for seq in range(writes):
            cid = rng.choice(claim_ids)
            r = rng.random()
            kind = "stale" if r < stale_share else "blind" if r < stale_share + blind_share else "fresh"
            res = WriteResult(worker=wid, seq=seq, claim_id=cid, kind=kind, verdict=rng.choice(VERDICTS).value,
                              note=f"stress w{wid} s{seq}", expect=None)
            try:
                if kind != "blind":
                    cur = store.get_claim(cid)
                    res.expect = cur.version
                    if kind == "stale":
                        if cur.version == 0:  # nothing older to be stale against: make it a fresh write
                            res.kind = kind = "fresh"
                        else:
                            res.expect = cur.version - 1
                t0 = time.perf_counter()
                try:
                    store.review(cid, verdict=res.verdict, reviewer=f"worker-{wid}", note=res.note,
                                 expect_version=res.expect)
                    res.outcome = "accepted"
                except ConflictError as e:
                    res.outcome = "conflict"
                    res.conflict_version = getattr(e.current, "version", None)
                finally:
                    res.seconds = time.perf_counter() - t0
            except StoreError as e:
                res.outcome, res.error = "failed", str(e)
            except Exception as e:  # an unhandled database error is exactly what this run looks for
                res.outcome, res.error = "error", f"{type(e).__name__}: {e}"
            results.append(res)
        store.close()
    except Exception:
        results.append(WriteResult(worker=wid, seq=-1, claim_id=0, kind="setup", verdict="", note="", expect=None,
                                   outcome="error", error=traceback.format_exc()))
        ready.release()
    out.put(results)


def run(url: str, *, processes: int = 8, writes: int = 200, claim_ids: list[int], seed: int = 0,
        stale_share: float = 0.15, blind_share: float = 0.15, timeout: float = 600.0) -> StressReport:
    """Run ``processes`` writer processes, ``writes`` writes each, all started at the same moment."""
    import sqlalchemy as sa

    from claims.store import Store
    from claims.team import get_setting

    with Store(url, migrate=False) as s:
        required = int(get_setting(s, "reviews_required"))
    ctx = mp.get_context("spawn")  # a fresh interpreter per writer: no engine or connection crosses a fork
    ready, go, out = ctx.Semaphore(0), ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(url, w, writes, claim_ids, seed, stale_share, blind_share,
                                               ready, go, out), daemon=True) for w in range(processes)]
    for p in procs:
        p.start()
    for _ in procs:
        if not ready.acquire(timeout=timeout):
            raise RuntimeError("a stress worker did not start")
    report = StressReport(backend=sa.engine.make_url(url).get_backend_name(), processes=processes,
                          writes_per_process=writes, claim_ids=list(claim_ids), reviews_required=required)
    t0 = time.perf_counter()
    go.set()
    for _ in procs:
        report.results.extend(out.get(timeout=timeout))
    report.wall_seconds = time.perf_counter() - t0
    for p in procs:
        p.join(timeout=30)
    return report


def check(url: str, report: StressReport) -> list[str]:
    """Return every broken invariant of a finished run, read back from the database (empty: all hold)."""
    from claims.store import Store

    problems: list[str] = []
    for r in report.results:
        if r.outcome == "error":
            problems.append(f"worker {r.worker} write {r.seq} on claim {r.claim_id}: unhandled {r.error}")
        if r.kind == "stale" and r.outcome == "accepted":
            problems.append(f"worker {r.worker} write {r.seq}: stale write (expect_version {r.expect}) was accepted")
        if r.kind == "blind" and r.outcome == "conflict":
            problems.append(f"worker {r.worker} write {r.seq}: write without expect_version refused as a conflict")
        if r.outcome == "conflict" and (r.conflict_version is None or r.conflict_version <= (r.expect or 0)):
            problems.append(f"worker {r.worker} write {r.seq}: conflict reports version {r.conflict_version}, "
                            f"not newer than the expected {r.expect}")
    if report.reviews_required > 1:
        return problems + _check_votes(url, report)
    by_note = {r.note: r for r in report.results if r.note}
    with Store(url, migrate=False) as store:
        for cid in sorted(set(report.claim_ids)):
            rec = store.get_claim(cid)
            hist = store.history(cid)
            # the version each write got, from the one history row that carries its note token
            seen: dict[str, list[int]] = {}
            for h in hist:
                if h.field == "note" and isinstance(h.new, str) and h.new in by_note:
                    seen.setdefault(h.new, []).append(h.version)
            writes = [r for r in report.results if r.claim_id == cid]
            version_of: dict[int, WriteResult] = {}
            for r in writes:
                got = seen.get(r.note, [])
                if r.outcome == "accepted":
                    if len(got) != 1:
                        problems.append(f"claim {cid}: accepted write {r.note!r} is in the history {len(got)} times")
                        continue
                    v = got[0]
                    if v in version_of:
                        problems.append(f"claim {cid}: version {v} given to both {version_of[v].note!r} and {r.note!r}")
                    version_of[v] = r
                    if r.kind == "fresh" and v != (r.expect or 0) + 1:
                        problems.append(f"claim {cid}: write {r.note!r} expected version {r.expect} "
                                        f"but was stored as version {v}")
                elif got:
                    problems.append(f"claim {cid}: {r.outcome} write {r.note!r} left history at versions {got}")
            if rec is None:
                problems.append(f"claim {cid}: gone")
                continue
            if sorted(version_of) != list(range(1, rec.version + 1)):
                missing = sorted(set(range(1, rec.version + 1)) - set(version_of))
                problems.append(f"claim {cid}: version is {rec.version} but accepted writes hold versions "
                                f"{sorted(version_of)[:10]}... (missing {missing[:10]})")
            # replay the history and compare the state after each version with the write that made it
            state = {"verdict": Verdict.UNREVIEWED.value, "note": None, "reviewer": None}
            for v in sorted({h.version for h in hist}):
                for h in hist:
                    if h.version == v and h.field in state:
                        state[h.field] = h.new
                w = version_of.get(v)
                if w is None:
                    continue
                want = {"verdict": w.verdict, "note": w.note, "reviewer": f"worker-{w.worker}"}
                if state != want:
                    problems.append(f"claim {cid} version {v}: history replays to {state}, the write sent {want}")
            if version_of:
                last = version_of[max(version_of)]
                final = {"verdict": rec.verdict.value, "note": rec.note, "reviewer": rec.reviewer}
                want = {"verdict": last.verdict, "note": last.note, "reviewer": f"worker-{last.worker}"}
                if final != want:
                    problems.append(f"claim {cid}: final state {final} is not the last accepted write {want}")
            elif rec.version != 0:
                problems.append(f"claim {cid}: version {rec.version} but no accepted write")
    return problems


def _check_votes(url: str, report: StressReport) -> list[str]:
    """Return the broken invariants of a two-review run (each write is one reviewer's verdict)."""
    from claims.store import Store
    from claims.team import state_of, votes

    problems: list[str] = []
    by_note = {r.note: r for r in report.results if r.note}
    with Store(url, migrate=False) as store:
        for cid in sorted(set(report.claim_ids)):
            rec = store.get_claim(cid)
            if rec is None:
                problems.append(f"claim {cid}: gone")
                continue
            hist = store.history(cid)
            seen: dict[str, list[int]] = {}
            for h in hist:
                if h.field == "vote_note" and isinstance(h.new, str) and h.new in by_note:
                    seen.setdefault(h.new, []).append(h.version)
            version_of: dict[int, WriteResult] = {}
            last_of: dict[str, WriteResult] = {}
            for r in sorted((r for r in report.results if r.claim_id == cid), key=lambda r: (r.worker, r.seq)):
                got = seen.get(r.note, [])
                if r.outcome != "accepted":
                    if got:
                        problems.append(f"claim {cid}: {r.outcome} write {r.note!r} left history at versions {got}")
                    continue
                if len(got) != 1:
                    problems.append(f"claim {cid}: accepted write {r.note!r} is in the history {len(got)} times")
                    continue
                v = got[0]
                if v in version_of:
                    problems.append(f"claim {cid}: version {v} given to both {version_of[v].note!r} and {r.note!r}")
                version_of[v] = r
                if r.kind == "fresh" and v != (r.expect or 0) + 1:
                    problems.append(f"claim {cid}: write {r.note!r} expected version {r.expect} but was stored "
                                    f"as version {v}")
            if sorted(version_of) != list(range(1, rec.version + 1)):
                problems.append(f"claim {cid}: version is {rec.version} but accepted writes hold versions "
                                f"{sorted(version_of)[:10]}...")
            # replay every reviewer's verdict and note, version by version
            state: dict[str, dict[str, Any]] = {}
            for v in sorted({h.version for h in hist}):
                for h in hist:
                    if h.version == v and h.field in ("vote", "vote_note"):
                        state.setdefault(h.reviewer, {"vote": None, "vote_note": None})[h.field] = h.new
                w = version_of.get(v)
                if w is None:
                    continue
                last_of[f"worker-{w.worker}"] = w
                got_state = state.get(f"worker-{w.worker}")
                if got_state != {"vote": w.verdict, "vote_note": w.note}:
                    problems.append(f"claim {cid} version {v}: history replays worker-{w.worker}'s verdict to "
                                    f"{got_state}, the write sent {(w.verdict, w.note)}")
            stored = {x.reviewer: (x.verdict.value, x.note) for x in votes(store, cid)}
            want = {who: (w.verdict, w.note) for who, w in last_of.items()}
            if stored != want:
                problems.append(f"claim {cid}: stored verdicts {stored} are not each reviewer's last write {want}")
            rule_state, rule_verdict = state_of([v for v, _ in want.values()], required=report.reviews_required)
            if (rec.review_state, rec.verdict.value) != (rule_state.value, rule_verdict.value):
                problems.append(f"claim {cid}: state {rec.review_state}/{rec.verdict.value}, but the verdicts make "
                                f"it {rule_state.value}/{rule_verdict.value}")
    return problems


def stress(url: str, *, processes: int = 8, writes: int = 200, claims: int = 12, seed: int = 0,
           reviews_required: int = 1) -> tuple[StressReport, list[str]]:
    """Prepare a store at ``url``, run the writers, and check the invariants; return (report, problems)."""
    ids = prepare(url, claims=claims, seed=seed, reviews_required=reviews_required)
    report = run(url, processes=processes, writes=writes, claim_ids=ids, seed=seed)
    return report, check(url, report)


