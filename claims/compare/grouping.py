"""Group claims that state the same fact across documents.

Two claims state the same fact when they count the same thing (kind, outcome,
a compatible subject) about the same event (names, sites, event words and the
year, read by :mod:`claims.compare.features`). Their figures may differ: that
is what comparison is for.

How it scales: names are canonicalised once per distinct spelling (rapidfuzz
``cdist`` within first-letter blocks, plus acronyms and the alias table);
claims with identical features are collapsed; candidate pairs come only from
blocks keyed by (kind, outcome, one of the claim's names that is not common
to much of the corpus); pairs
are joined best-first under cannot-link constraints (two stated years, two
specific subjects or two sites never share a group), which stops one vague
claim from chaining two events together.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from claims.compare.features import Features, acronym, features, lexicon, norm_name, spelling_key
from claims.model import ClaimRecord

# Two spellings of one name: "tehrik taliban pakistan" / "tehreek taliban pakistan" scores 91;
# "austria" / "australia" scores 87.5 and must stay apart.
NAME_SPELLING_CUTOFF = 88.0
# Subjects outside the synonym table are compatible when this similar ("mortar shell" / "mortar shells").
SUBJECT_CUTOFF = 85.0
# Weighted share of event evidence two claims must have in common (Dice over IDF-weighted cues).
EVENT_MATCH = 0.5
# Weights of the non-name cues; names weigh log(1 + documents / documents naming it).
SITE_WEIGHT = 1.0
KIND_WEIGHT = 0.5
# Weight of the event year (stated or taken from publication): equal years are shared evidence.
YEAR_WEIGHT = 1.0
# Reports of one event without a stated year may be published this many calendar years apart.
UNSTATED_YEAR_SLACK = 1
# A name in more than this share of documents (and more than COMMON_NAME_MIN_DOCS of them),
# such as the country a corpus is about, is too common to block on: claims are blocked
# under their other names, or under it only when they have nothing rarer.
COMMON_NAME_SHARE = 0.05
COMMON_NAME_MIN_DOCS = 50
# Blocks larger than this are split by year so the pairwise work stays bounded.
BLOCK_CAP = 400


@dataclass(frozen=True, slots=True)
class _Vec:
    kind: str
    outcome: str
    subject: str | None
    generic: bool
    names: frozenset[str]
    kinds: frozenset[str]
    sites: frozenset[str]
    year: int | None
    stated: bool


class _Names:
    """Map raw name spellings to one canonical form per entity, corpus-wide."""

    def __init__(self, raw_counts: Counter[str]):
        lx = lexicon()
        norm_counts: Counter[str] = Counter()
        self._norm: dict[str, str] = {}
        upper: set[str] = set()
        for raw, n in raw_counts.items():
            nm = norm_name(raw)
            if not nm:
                continue
            self._norm[raw] = nm
            norm_counts[nm] += n
            if raw.replace("-", "").isupper() and 2 <= len(raw) <= 6:
                upper.add(nm)
        parent: dict[str, str] = {n: n for n in norm_counts}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def union(a: str, b: str) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[rb] = ra

        # The alias table first: its canonical names are the entities.
        for nm in list(norm_counts):
            canon = lx.aliases.get(nm)
            if canon:
                parent.setdefault(canon, canon)
                norm_counts.setdefault(canon, 0)
                union(canon, nm)
        # Acronyms: "ttp" joins the most frequent multi-word name with those initials.
        by_initials: dict[str, list[str]] = defaultdict(list)
        for nm in norm_counts:
            a = acronym(nm, lx.particles)
            if a:
                by_initials[a].append(nm)
        for nm in upper:
            cands = by_initials.get(nm.replace(" ", ""))
            if cands and nm not in lx.aliases:
                union(max(cands, key=lambda c: (norm_counts[c], c)), nm)
        # Spelling variants, compared only within a first letter (variants keep it).
        keyed: dict[str, list[str]] = defaultdict(list)
        for nm in norm_counts:
            if nm in upper:
                continue
            sk = spelling_key(nm, lx.particles)
            if len(sk) >= 4:
                keyed[sk[0]].append(nm)
        for names in keyed.values():
            if len(names) < 2:
                continue
            keys = [spelling_key(n, lx.particles) for n in names]
            m = process.cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=NAME_SPELLING_CUTOFF,
                              dtype=np.uint8, workers=1)
            for i, j in zip(*np.nonzero(np.triu(m, 1))):
                union(names[i], names[j])
        # Canonical spelling: the alias table's, else the most frequent.
        members: dict[str, list[str]] = defaultdict(list)
        for nm in norm_counts:
            members[find(nm)].append(nm)
        self._canon: dict[str, str] = {}
        for root, group in members.items():
            aliased = [g for g in group if lx.aliases.get(g) == g]
            best = aliased[0] if aliased else max(group, key=lambda g: (norm_counts[g], len(g), g))
            for g in group:
                self._canon[g] = best

    def canonical(self, raw: str) -> str | None:
        nm = self._norm.get(raw)
        return self._canon.get(nm) if nm else None


def _subjects_compatible(a: str | None, a_generic: bool, b: str | None, b_generic: bool) -> bool:
    if a_generic or b_generic or a == b:
        return True
    return fuzz.ratio(a, b) >= SUBJECT_CUTOFF


def _years_compatible(a: _Vec, b: _Vec) -> bool:
    if a.year is None or b.year is None:
        return True
    if a.stated and b.stated:
        return a.year == b.year
    if a.stated:  # a report cannot precede the event it reports
        return b.year >= a.year
    if b.stated:
        return a.year >= b.year
    return abs(a.year - b.year) <= UNSTATED_YEAR_SLACK


class _Constrained:
    """Union-find whose roots carry cannot-link state: stated years, specific subjects, sites."""

    def __init__(self, vecs: list[_Vec]):
        self.parent = list(range(len(vecs)))
        self.years = [{v.year} if v.stated and v.year is not None else set() for v in vecs]
        self.subjects = [set() if v.generic or v.subject is None else {v.subject} for v in vecs]
        self.sites = [set(v.sites) for v in vecs]

    def find(self, x: int) -> int:
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if len(self.years[ra] | self.years[rb]) > 1:
            return False
        if self.sites[ra] and self.sites[rb] and not (self.sites[ra] & self.sites[rb]):
            return False
        for s in self.subjects[ra]:
            for t in self.subjects[rb]:
                if not _subjects_compatible(s, False, t, False):
                    return False
        self.parent[rb] = ra
        self.years[ra] |= self.years[rb]
        self.subjects[ra] |= self.subjects[rb]
        self.sites[ra] |= self.sites[rb]
        return True


def group_claims(records: list[ClaimRecord]) -> list[list[ClaimRecord]]:
    """Return the records partitioned into groups that state the same fact, largest groups first.

    Every record lands in exactly one group; a claim that matches nothing is
    a group of one. Members are ordered by publication date, then id.
    """
    if not records:
        return []
    feats = _featurize(records)
    raw_counts: Counter[str] = Counter()
    distinct = set(feats)
    for f in distinct:
        raw_counts.update(set(f.names))
    confirmed = {norm_name(n) for n in raw_counts}
    for f in distinct:
        raw_counts.update({n for n in f.weak_names if norm_name(n) in confirmed})
    names = _Names(raw_counts)
    # Document frequency of each canonical name, for IDF weights.
    doc_names: dict[int, set[str]] = defaultdict(set)
    canon_of: dict[Features, frozenset[str]] = {}
    for rec, f in zip(records, feats):
        cn = canon_of.get(f)
        if cn is None:
            cn = frozenset(c for c in (names.canonical(n) for n in f.names + f.weak_names) if c)
            canon_of[f] = cn
        doc_names[rec.document_id].update(cn)
    df: Counter[str] = Counter()
    for s in doc_names.values():
        df.update(s)
    n_docs = max(len(doc_names), 1)
    weight = {n: math.log(1.0 + n_docs / c) for n, c in df.items()}

    # Collapse claims with identical features: they group together by construction.
    vec_index: dict[_Vec, int] = {}
    vecs: list[_Vec] = []
    member_of: list[int] = []
    for f in feats:
        v = _Vec(f.kind, f.outcome, f.subject, f.generic_subject, canon_of[f], f.kinds, f.sites,
                 f.year, f.year_stated)
        i = vec_index.get(v)
        if i is None:
            i = vec_index[v] = len(vecs)
            vecs.append(v)
        member_of.append(i)

    totals = [sum(weight[n] for n in v.names) + SITE_WEIGHT * len(v.sites) + KIND_WEIGHT * len(v.kinds)
              + (YEAR_WEIGHT if v.year is not None else 0.0) for v in vecs]
    common = max(COMMON_NAME_MIN_DOCS, COMMON_NAME_SHARE * n_docs)
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, v in enumerate(vecs):
        ranked = sorted(v.names, key=lambda n: (df[n], n))
        for n in [n for n in ranked if df[n] <= common] or ranked[:1]:
            blocks[(v.kind, v.outcome, n)].append(i)

    pairs: dict[tuple[int, int], float] = {}
    for block in blocks.values():
        for sub in _split_block(block, vecs):
            _score_block(sub, vecs, weight, totals, pairs)

    uf = _Constrained(vecs)
    for (i, j), _ in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
        uf.union(i, j)

    grouped: dict[int, list[ClaimRecord]] = defaultdict(list)
    for rec, vi in zip(records, member_of):
        grouped[uf.find(vi)].append(rec)
    out = [sorted(g, key=member_order) for g in grouped.values()]
    out.sort(key=lambda g: (-len(g), member_order(g[0])))
    return out


def member_order(rec: ClaimRecord) -> tuple:
    """Return the sort key that orders a group's members by publication time."""
    return (rec.published is None, rec.published or 0, rec.document_id, rec.claim.start, rec.id)


def _featurize(records: list[ClaimRecord]) -> list[Features]:
    # Reprints and templated text repeat sentences: read each distinct input once.
    cache: dict[tuple, Features] = {}
    out = []
    for r in records:
        c = r.claim
        key = (c.sentence, c.quote, r.title, r.effective("subject"),
               r.published.year if r.published else None, c.kind, r.effective("outcome"))
        f = cache.get(key)
        if f is None:
            f = cache[key] = features(r)
        out.append(f)
    return out


def _split_block(block: list[int], vecs: list[_Vec]) -> list[list[int]]:
    if len(block) <= BLOCK_CAP:
        return [block]
    by_year: dict[int | None, list[int]] = defaultdict(list)
    for i in block:
        by_year[vecs[i].year].append(i)
    out = []
    for year, ids in by_year.items():
        # Neighbouring years may still be one event (late reports): overlap the windows.
        nxt = by_year.get(year + 1, []) if year is not None else []
        for k in range(0, len(ids), BLOCK_CAP):
            out.append(ids[k:k + BLOCK_CAP] + nxt[:BLOCK_CAP])
    return out


def _score_block(block: list[int], vecs: list[_Vec], weight: dict[str, float], totals: list[float],
                 pairs: dict[tuple[int, int], float]) -> None:
    for x in range(len(block)):
        i = block[x]
        a = vecs[i]
        for y in range(x + 1, len(block)):
            j = block[y]
            key = (i, j) if i < j else (j, i)
            if key in pairs:
                continue
            b = vecs[j]
            shared = a.names & b.names
            if not shared:
                continue
            if a.sites and b.sites and not (a.sites & b.sites):
                continue
            if not _years_compatible(a, b):
                continue
            if not _subjects_compatible(a.subject, a.generic, b.subject, b.generic):
                continue
            common = (sum(weight[n] for n in shared) + SITE_WEIGHT * len(a.sites & b.sites)
                      + KIND_WEIGHT * len(a.kinds & b.kinds)
                      + (YEAR_WEIGHT if a.year is not None and a.year == b.year else 0.0))
            score = 2.0 * common / (totals[i] + totals[j])
            if score >= EVENT_MATCH:
                pairs[key] = score
