"""Inter-reviewer agreement: for every pair of reviewers and every claim kind, n, raw agreement and Cohen's kappa.

Read from ``review_votes`` (each reviewer's current verdict on each claim):
every claim two reviewers both judged is one item for that pair. Per kind,
the items of every pair are pooled, each pair's reviewers taken in name order
as rater 1 and rater 2.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import sqlalchemy as sa


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Return Cohen's kappa for two raters' labels on the same items, or None when it is undefined.

    kappa = (p_o - p_e) / (1 - p_e): p_o the share of items both gave the
    same label, p_e the agreement expected by chance from each rater's label
    shares. Undefined (None) with no items, or when chance agreement is
    already 1 (both raters used one and the same label throughout).
    """
    n = len(pairs)
    if n == 0:
        return None
    p_o = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    p_e = sum(first[k] * second.get(k, 0) for k in first) / (n * n)
    if p_e >= 1.0:
        return None
    return (p_o - p_e) / (1 - p_e)


@dataclass(slots=True)
class AgreementRow:
    """Agreement between two reviewers (or pooled for one claim kind): items, raw agreement, kappa."""

    reviewer_a: str | None
    reviewer_b: str | None
    kind: str | None
    n: int
    agreement: float | None
    kappa: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"reviewer_a": self.reviewer_a, "reviewer_b": self.reviewer_b, "kind": self.kind, "n": self.n,
                "agreement": self.agreement, "kappa": self.kappa}


def _row(a: str | None, b: str | None, kind: str | None, items: list[tuple[str, str]]) -> AgreementRow:
    n = len(items)
    raw = sum(x == y for x, y in items) / n if n else None
    return AgreementRow(a, b, kind, n, raw, cohen_kappa(items))


def agreement(store, flt=None) -> dict[str, list[AgreementRow]]:
    """Return {"pairs": one row per reviewer pair, "kinds": one row per claim kind} over claims matching ``flt``.

    Only claims at least two reviewers judged count; pairs and kinds with no
    such claim are left out. Pairs by most items first, kinds by name.
    """
    from claims.store import claims
    from claims.team.schema import review_votes as rv

    conds = store._where(flt)
    q = (sa.select(rv.c.claim_id, claims.c.kind, rv.c.reviewer, rv.c.verdict)
         .select_from(rv.join(claims, claims.c.id == rv.c.claim_id)).where(*conds)
         .order_by(rv.c.claim_id, rv.c.reviewer))
    per_claim: dict[int, tuple[str, list[tuple[str, str]]]] = {}
    with store.read() as conn:
        for cid, kind, reviewer, verdict in conn.execute(q):
            per_claim.setdefault(cid, (kind, []))[1].append((reviewer, verdict))
    by_pair: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    by_kind: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for kind, votes in per_claim.values():
        for (ra, va), (rb, vb) in combinations(votes, 2):  # votes are in reviewer name order
            by_pair[(ra, rb)].append((va, vb))
            by_kind[kind].append((va, vb))
    pairs = [_row(a, b, None, items) for (a, b), items in by_pair.items()]
    pairs.sort(key=lambda r: (-r.n, r.reviewer_a or "", r.reviewer_b or ""))
    kinds = [_row(None, None, k, items) for k, items in sorted(by_kind.items())]
    return {"pairs": pairs, "kinds": kinds}
