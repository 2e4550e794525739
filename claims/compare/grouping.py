"""Group claims that state the same fact across documents.

Two claims state the same fact when they count the same thing (kind, outcome,
a compatible subject) about the same event (names, sites, event words and the
year, read by :mod:`claims.compare.features`). Their figures may differ: that
is what comparison is for.

How it scales: names are canonicalised once per distinct spelling (rapidfuzz
``cdist`` within first-letter blocks, plus acronyms and the alias table);
claims with identical features are collapsed; candidate pairs come only from
blocks keyed by (kind, outcome, the fact the claim states -- see
:mod:`claims.compare.facts` -- and one of the claim's names that is not common
to much of the corpus), so an attack party never meets a group's strength nor a
funeral date an attack date, and statement dates are left alone; pairs
are joined best-first under cannot-link constraints (two stated years, two
specific subjects, two sites, two places, unstated years more than a year
apart, or figures from one document and voice that cannot both hold never share a group),
which stops chains of vague claims from joining two events.

The groups are the same in every process: ties are broken by claim ids and
nothing depends on Python's per-process string hashing (sets are sorted
before their float weights are summed).
"""
from __future__ import annotations

import bisect
import datetime as dt
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain
from typing import Callable, NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

from claims.compare.events import (BACKGROUND_DAYS, DAY_SLACK, INCIDENT_DAYS, Incident, Incidents, _ordinal, days_near,
                                   find_incidents, lead_cues, quote_clause, quote_place, ranked)
from claims.compare.events import compatible as incidents_compatible
from claims.compare.facts import (ABOARD, CONDITION, FACILITY, FOUNDING, PART, PARTY, STRENGTH, TRUCE, UNGROUPED_FACTS,
                                  claim_features, clear_fact_caches)
from claims.compare.facts import tables as fact_tables
from claims.compare.features import (Features, _headline_cues, acronym, clear_feature_caches, lexicon, masked,
                                     norm_name, spelling_key, text_cues, year_since)
from claims.compare.reconcile import _date_range, duration_days, member_range
from claims.extract.sentences import LIVE_STAMP, SentenceIndex
from claims.gcpause import paused_gc
from claims.model import ClaimRecord, Kind

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
COMMON_NAME_SHARE = 0.25
COMMON_NAME_MIN_DOCS = 50
# A claim is blocked under at most this many of its places, or, when it names no place, of its
# rarest names (people named in one report often rank rarer than the place all reports share).
BLOCK_NAMES = 2
UNPLACED_BLOCK_NAMES = 4
# Blocks larger than this are split by year so the pairwise work stays bounded.
BLOCK_CAP = 60
# Each claim keeps its this-many best-scoring partners as candidate links.
NEIGHBOURS = 3
# A report of a group's strength tries at most this many of the group's separate estimates.
STRENGTH_TRIES = 30


class _Vec(NamedTuple):
    """The features grouping compares, with names canonicalised (a tuple: cheap to build and hash)."""

    kind: str
    outcome: str
    subject: str | None
    generic: bool
    names: frozenset[str]
    places: frozenset[str]
    kinds: frozenset[str]
    sites: frozenset[str]
    year: int | None
    stated: bool
    fact: str = ""               # the quantity within the kind: see _role
    incident: int = -1           # index of the claim's incident (claims.compare.events), -1: none
    actors: frozenset[str] = frozenset()  # group strength: the armed groups its sentence names
    days: frozenset[str] = frozenset()    # casualties and forces: the attack days their sentence gives


# The fields a claim's features give; fact, incident and actors come from its place in its incident.
_PLACED = _Vec._fields.index("fact")


# One shared empty set: each frozenset() call builds a new one (216 bytes), and a vector or a claim
# without actors, days, subject or year asked for one per claim: 60 MB allocated and freed per grouping.
_NONE: frozenset = frozenset()


def _vec(fields: tuple) -> _Vec:
    """Return the _Vec of all its fields in order, built in C.

    A namedtuple's own constructor is a Python function of 13 arguments and _replace builds a
    dict: a vector is made for nearly every claim.
    """
    return tuple.__new__(_Vec, fields)


# Roles of a casualty count inside its event, beside the fact keys of claims.compare.facts.
TOTAL = ""
ATTACKERS = "attackers"
# Reports of one incident's toll differ, a first count from a final one by up to about this factor
# (16 the first morning, 147 that night); beyond it a count is of something else ("two individuals").
TOLL_SPREAD = 12.0
# Kinds whose reports of one fact differ by at most TOLL_SPREAD.
_SPREAD_KINDS = frozenset({"casualties", "force_size"})
# Reports of one date differ by at most this many days (an attack just after midnight is dated to
# either day); the group keeps the days all its members allow, so Monday, Tuesday and Wednesday do
# not chain. A year or month holds the days in it: "the 2031 attack" meets "14 May 2031".
DATE_SLACK_DAYS = 1.0
# Reports of one duration differ by at most this factor ("a month-long truce", "a 30-day
# ceasefire"; a siege of 12 or 15 hours); "two days" and "one minute" measure two things.
DURATION_SPREAD = 2.0
# Figures up to this size convert to a float exactly, so numpy compares them as Python does.
_EXACT = float(2 ** 53)
# A count of one class of people ("three soldiers") below this share of its incident's median total
# ("37 killed", "at least 31 people") is that class's part of the toll, not another report of it.
CLASS_PART_SHARE = 0.5
# Kinds whose reports of one incident join on the incident alone (no shared name needed).
_INCIDENT_KINDS = frozenset({"casualties", "force_size", "date", "duration"})


@dataclass(slots=True)
class Grouping:
    """Groups with their incident and, per member fingerprint, why it is in its group."""

    groups: list[list[ClaimRecord]]
    events: list[Incident | None]                     # per group: the incident most of its members report
    reasons: dict[str, str] = field(default_factory=dict)


class _Names:
    """Map raw name spellings to one canonical form per entity, corpus-wide."""

    def __init__(self, raw_counts: Counter[str], places: frozenset[str] = frozenset()):
        """``places``: the normalised names any sentence gives as a place."""
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
        # An armed group's name without its group word ("Green Dawn" / "the Green Dawn Movement"): one
        # entity, when the short name has two words or more, is no acronym and no place ("the Vell
        # Valley" / "the Vell Valley Brigades"; "Kessel" / "the Kessel Front").
        for nm in norm_counts:
            words = nm.split()
            if len(words) >= 3 and words[-1] in lx.group_words:
                short = " ".join(words[:-1])
                if short in norm_counts and short not in upper and short not in places:
                    union(nm, short)
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

    def mapping(self) -> dict[str, str]:
        """Return raw spelling -> canonical name for every name seen."""
        return {raw: self._canon[nm] for raw, nm in self._norm.items() if nm in self._canon}

    def canonical(self, raw: str) -> str | None:
        nm = self._norm.get(raw)
        return self._canon.get(nm) if nm else None


def _subjects_compatible(a: str | None, a_generic: bool, b: str | None, b_generic: bool) -> bool:
    if a_generic or b_generic or a == b:
        return True
    within = lexicon().class_within
    if within.get(a) == b or within.get(b) == a:
        return True  # "26 worshippers" and "26 villagers": the worshippers are villagers
    return fuzz.ratio(a, b) >= SUBJECT_CUTOFF


class _Constrained:
    """Union-find whose roots carry cannot-link state: stated years, specific subjects, sites."""

    def __init__(self, vecs: list[_Vec], figures: list[dict[tuple[int, str], tuple[float, float]]],
                 incidents: list[Incident] | None = None, spans: list[tuple[float, float] | None] | None = None,
                 since: set[int] | frozenset[int] = frozenset()):
        self.parent = list(range(len(vecs)))
        self.found = incidents or []
        self._inc_ok: dict[tuple[int, int], bool] = {}
        # Per incident, the years it can have happened in: its attack days' year, else that of its
        # first report or the year before (an attack on 31 December is news on 1 January).
        self.inc_years = [_event_years(inc) for inc in self.found]
        empty = _NONE
        # The vectors' fields as columns, transposed in C: the lists below read them without an
        # attribute lookup per vector and field.
        (kind, _, subject, generic, _, places, _, sites, year, stated, fact, incident, actors,
         days) = zip(*vecs) if vecs else ((),) * len(_Vec._fields)
        # Frozensets, replaced (not mutated) on union: most claims never join anything. Claims share
        # few years and subjects: one set each.
        one_year: dict[int, frozenset[int]] = {}
        one_subject: dict[str, frozenset[str]] = {}
        one_span: dict[int, tuple[int, int]] = {}
        self.years = [(one_year.get(y) or one_year.setdefault(y, frozenset((y,))))
                      if st and y is not None else empty for y, st in zip(year, stated)]
        # Stated years that date the event itself, not only where a span starts ("since 2013", see since)
        self.event_year = [bool(y) and i not in since for i, y in enumerate(self.years)]
        # The span of publication years of members that state no year: without it, yearly
        # reports of a recurring event chain 2027 -> 2028 -> 2029 into one group.
        self.span = [(one_span.get(y) or one_span.setdefault(y, (y, y))) if not st and y is not None else None
                     for y, st in zip(year, stated)]
        self.subjects = [empty if g or s is None
                         else (one_subject.get(s) or one_subject.setdefault(s, frozenset((s,))))
                         for s, g in zip(subject, generic)]
        self.sites = list(sites)
        self.places = list(places)
        # Group strength: whose strength. Two groups' strengths never join, nor, outside one incident,
        # a strength that names no group ("officials said 79 troops were deployed").
        self.strength = [k == "force_size" and f == STRENGTH for k, f in zip(kind, fact)]
        # A group's strength belongs to the group, not to one event: its reports join across incidents.
        self.incident = [-1 if st else i for st, i in zip(self.strength, incident)]
        # Casualty counts: the smallest and largest figure a group holds (see TOLL_SPREAD).
        # Force sizes too: "44 personnel" on one bus is no report of a convoy of 2,000.
        self.counts = [_count_span(f) if k in _SPREAD_KINDS else None for k, f in zip(kind, figures)]
        # Dates and durations: the span of their values (see _value_span).
        self.kinds = list(kind)
        self.values = spans if spans is not None else [None] * len(vecs)
        self.actors = list(actors)
        self.days = list(days)
        # The same days as day numbers, and widened by DAY_SLACK either side: two groups' days are
        # near (days_near) when one's numbers meet the other's widened ones, one set test in C in place
        # of a generator over every pair of ISO strings. None: a day that reads as no date (days_near then).
        self.day_nums: list[frozenset[int]] | None = [empty] * len(vecs)
        self.day_wide: list[frozenset[int]] = [empty] * len(vecs)
        by_days: dict[frozenset[str], tuple[frozenset[int], frozenset[int]]] = {}
        try:
            for i, d in enumerate(self.days):
                if d:  # most claims give no attack day
                    got = by_days.get(d)
                    if got is None:
                        nums = frozenset(_ordinal(x) for x in d)
                        got = by_days[d] = (nums, frozenset(n + k for n in nums
                                                            for k in range(-DAY_SLACK, DAY_SLACK + 1)))
                    self.day_nums[i], self.day_wide[i] = got
        except ValueError:
            self.day_nums = None
        self.own_incident = list(incident)
        # (document, voice) -> the range all its figures in the group share; copied on first
        # union (most claims never join anything)
        self.figures: list[dict[tuple[int, str], tuple[float, float]]] = figures
        self.owned = [False] * len(vecs)
        # (subject, subject) -> compatible: a group's subjects are re-compared on every join attempt.
        self._compatible: dict[tuple[str, str], bool] = {}

    def surely_apart(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Return per pair of claims ``(a[k], b[k])`` whether no groups holding them can ever join.

        Read from the claims' own figures (call it before any join): a group's range of counts and its
        lengths only widen as it grows, and its dates only narrow, so two claims whose own figures fail
        the TOLL_SPREAD, DURATION_SPREAD or DATE_SLACK_DAYS check fail it in whatever groups hold them.
        A failed join changes nothing, so candidate pairs dropped here change no group; checked in numpy,
        they are not tried one by one (about half the candidate pairs of the bench corpus).
        """
        def bounds(spans: list) -> tuple[np.ndarray, np.ndarray]:
            # NaN (no figure, or one too large for a float to hold exactly) fails no comparison: kept
            lo = np.array([s[0] if s is not None else math.nan for s in spans], dtype=np.float64)
            hi = np.array([s[1] if s is not None else math.nan for s in spans], dtype=np.float64)
            inexact = ~((np.abs(lo) <= _EXACT) & (np.abs(hi) <= _EXACT))
            lo[inexact] = hi[inexact] = math.nan
            return lo, hi

        with np.errstate(invalid="ignore"):
            clo, chi = bounds(self.counts)
            apart = np.maximum(chi[a], chi[b]) > TOLL_SPREAD * np.maximum(np.minimum(clo[a], clo[b]), 1.0)
            vlo, vhi = bounds(self.values)
            dated = np.array([k == "date" for k in self.kinds], dtype=bool)[a]
            apart |= dated & (np.maximum(vlo[a], vlo[b]) - np.minimum(vhi[a], vhi[b]) > DATE_SLACK_DAYS)
            apart |= ~dated & (np.maximum(vhi[a], vhi[b]) > DURATION_SPREAD * np.minimum(vlo[a], vlo[b]))
        return apart

    def _off_years(self, years: frozenset[int], incident: int) -> bool:
        """Return whether a stated year falls outside the years an incident can have happened in."""
        if incident < 0:
            return False
        allowed = self.inc_years[incident]
        return bool(allowed) and not (years & allowed)

    def find(self, x: int) -> int:
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, a: int, b: int) -> bool:
        """Join the groups of ``a`` and ``b`` unless a cannot-link forbids it; return whether they are one."""
        ra, rb = self.find(a), self.find(b)
        return ra == rb or self.join(ra, rb)

    def join(self, ra: int, rb: int, *, same_incident: bool = False) -> bool:
        """Join two distinct roots unless a cannot-link forbids it; return whether it did.

        ``same_incident``: both report one incident already, so where and when need no
        checking (a later report may name the year, another outlet a district instead of the town).
        """
        # Cheapest and most telling checks first (every check only reads, so their order changes no
        # answer): of the attempts on the bench corpus, two fifths fail on the attack days, a tenth on sites.
        if not same_incident and self.day_nums is not None and self.days[ra] and self.days[rb] \
                and self.day_wide[ra].isdisjoint(self.day_nums[rb]):
            return False  # counts of attacks on two days ("on March 26" / "on May 30")
        sites_a, sites_b = self.sites[ra], self.sites[rb]
        ya, yb = self.years[ra], self.years[rb]
        years = ya or yb
        sa, sb = self.span[ra], self.span[rb]
        span = sa if sb is None else sb if sa is None else (min(sa[0], sb[0]), max(sa[1], sb[1]))
        if not same_incident:
            if sites_a and sites_b and sites_a.isdisjoint(sites_b):
                return False
            # A root holds at most one stated year (two never join), so no set union is needed.
            if ya and yb and ya != yb:
                return False
            if span is not None:
                if span[1] - span[0] > UNSTATED_YEAR_SLACK:
                    return False
                if years and span[0] < next(iter(years)):  # a report cannot precede the event
                    return False
            places_a, places_b = self.places[ra], self.places[rb]
            if places_a and places_b and places_a.isdisjoint(places_b):
                return False
            # (a day that reads as no date: days_near, where it always stood, as it may raise)
            if self.day_nums is None and self.days[ra] and self.days[rb] and not days_near(self.days[ra], self.days[rb]):
                return False
            # "a similar bombing in Olmark in March 2024 that killed nine people", in a report of the
            # 2026 bombing there, is another event's toll, whatever names the two sentences share
            if (ya and not yb and self.event_year[ra] and self._off_years(ya, self.incident[rb])) or (
                    yb and not ya and self.event_year[rb] and self._off_years(yb, self.incident[ra])):
                return False
        if self.strength[ra]:
            aa, ab = self.actors[ra], self.actors[rb]
            if aa and ab:
                # a sentence naming two armed groups ("the Pellan Brigade, a rival of the ORM, has 2,000
                # fighters") does not say whose figure it is: it joins only claims naming the same two
                if not (aa & ab) or ((len(aa) > 1 or len(ab) > 1) and aa != ab):
                    return False
            elif not (self.own_incident[ra] >= 0 and self.own_incident[ra] == self.own_incident[rb]):
                return False  # a force no name ties to a group joins only reports of its own incident
        ca, cb = self.counts[ra], self.counts[rb]
        counts = ca if cb is None else cb if ca is None else (min(ca[0], cb[0]), max(ca[1], cb[1]))
        if ca is not None and cb is not None and counts[1] > TOLL_SPREAD * max(counts[0], 1.0):
            return False  # "two individuals" is no report of a toll of 290
        values = self.values[ra]
        if values is not None or self.values[rb] is not None:
            fits, values = _value_span(self.kinds[ra], values, self.values[rb])
            if not fits:
                return False  # "1961" and "Sunday" are two dates, "two days" and "one minute" two lengths
        ia, ib = self.incident[ra], self.incident[rb]
        if ia >= 0 and ib >= 0 and ia != ib:
            ok = self._inc_ok.get((ia, ib))
            if ok is None:
                ok = self._inc_ok[(ia, ib)] = incidents_compatible(self.found[ia], self.found[ib])
            if not ok:
                return False  # two incidents told apart by target, day or date are two events
        fa, fb = self.figures[ra], self.figures[rb]
        small, big = (fa, fb) if len(fa) <= len(fb) else (fb, fa)
        # Only documents in both groups can conflict; intersecting the keys in C skips the rest,
        # which matters when two large groups meet again and again.
        met = {}
        if small and not big.keys().isdisjoint(small):  # most groups share no document
            for doc in small.keys() & big.keys():
                both = _meet(big[doc], small[doc])
                if both is None:
                    return False
                met[doc] = both
        subj_a, subj_b = self.subjects[ra], self.subjects[rb]
        if subj_a and subj_b and subj_a != subj_b:
            compatible = self._compatible
            for s in subj_a:
                for t in subj_b:
                    ok = compatible.get((s, t))
                    if ok is None:
                        ok = compatible[(s, t)] = _subjects_compatible(s, False, t, False)
                    if not ok:
                        return False
        self.parent[rb] = ra
        self.counts[ra] = counts
        self.values[ra] = values
        self.incident[ra] = ia if ia >= 0 else ib
        # A set joined with an empty one is itself: no copy (most joins add no subject, site or place).
        if self.strength[ra] and self.actors[rb]:
            self.actors[ra] = self.actors[ra] | self.actors[rb]
        if self.days[rb]:
            self.days[ra] = self.days[ra] | self.days[rb]
            if self.day_nums is not None:
                self.day_nums[ra] = self.day_nums[ra] | self.day_nums[rb]
                self.day_wide[ra] = self.day_wide[ra] | self.day_wide[rb]
        self.years[ra] = years
        self.event_year[ra] = self.event_year[ra] if ya else self.event_year[rb]
        self.span[ra] = span
        if subj_b:
            self.subjects[ra] = subj_a | subj_b if subj_a else subj_b
        if sites_b:
            self.sites[ra] = sites_a | sites_b if sites_a else sites_b
        if self.places[rb]:
            self.places[ra] = self.places[ra] | self.places[rb] if self.places[ra] else self.places[rb]
        merged = big if (big is fa and self.owned[ra]) or (big is fb and self.owned[rb]) else dict(big)
        merged.update(small)
        merged.update(met)
        self.figures[ra] = merged
        self.owned[ra] = True
        return True


def _supersedes(sentence: str) -> bool:
    """Return whether a sentence holds a cue that a figure was replaced anywhere (see _superseded)."""
    lx = lexicon()
    return lx.superseded is not None and (lx.superseded.search(sentence) is not None
                                          or lx.replaced_by.search(sentence) is not None)


def _superseded(sentence: str, quote: str) -> bool:
    """Return whether a figure's own clause says its source has since replaced it.

    "revised the death toll to 11, down from the 14 first reported": 14 is; 11 is not. "We were told 18
    had died, then 27, now 31": 18 and 27 are, by the clause that follows theirs. The clause is cut at
    commas, semicolons, colons, brackets and dashes; the cue words are the lexicon's.
    """
    lx = lexicon()
    if not _supersedes(sentence):  # most sentences replace nothing
        return False
    span = quote_clause(sentence, quote)
    return span is not None and (lx.superseded.search(sentence, *span) is not None
                                 or lx.replaced_by.match(sentence, span[1]) is not None)


def _event_years(inc: Incident) -> frozenset[int]:
    """Return the years an incident can have happened in (empty: unknown)."""
    if inc.days:
        return frozenset(int(d[:4]) for d in inc.days)
    if inc.span:
        first = dt.date.fromordinal(inc.span[0]).year
        return frozenset((first - 1, first))
    return frozenset()


def clear_caches() -> None:
    """Forget every text read so far (names, cues, fact keys, document openings): a cold start, for benchmarks."""
    clear_feature_caches()
    clear_fact_caches()
    lead_cues.cache_clear()


def group_claims(records: list[ClaimRecord], *, leads: dict[int, str] | None = None,
                 texts: Callable[[int], str | None] | None = None) -> list[list[ClaimRecord]]:
    """Return the records partitioned into groups that state the same fact, largest groups first.

    Every record lands in exactly one group; a claim that matches nothing is
    a group of one. Members are ordered by publication date, then id. ``leads``: document id -> its
    opening; ``texts``: document id -> its whole text, read only for the few claims that refer back to
    a sentence no claim was found in ("It has some 2,000 fighters").
    """
    if not records:
        return []
    # The work below allocates millions of short-lived, acyclic objects: with the cyclic
    # collector running, a quarter of the time went to collections that freed nothing.
    with paused_gc():
        return _group_claims(records, leads=leads, texts=texts).groups


def group_claims_explained(records: list[ClaimRecord], *, leads: dict[int, str] | None = None,
                           texts: Callable[[int], str | None] | None = None) -> Grouping:
    """Return :func:`group_claims`'s groups with each group's incident and a reason line per member."""
    if not records:
        return Grouping([], [], {})
    with paused_gc():
        return _group_claims(records, leads=leads, texts=texts, explain=True)


def _group_claims(records: list[ClaimRecord], *, leads: dict[int, str] | None = None,
                  texts: Callable[[int], str | None] | None = None, explain: bool = False) -> Grouping:
    feats, feat_of = _featurize(records)
    # Counter over one chained iterable counts in C; names are already unique within a feature.
    raw_counts: Counter[str] = Counter(chain.from_iterable(f.names for f in feats))
    # A document's opening (headline, dateline, first sentence) names its event even when no
    # claim sentence does ("Sri Lanka revises bombings death toll").
    lead_names = {d: lead_cues(t).reliable for d, t in (leads or {}).items() if t}
    raw_counts.update(chain.from_iterable(lead_names.values()))
    confirmed = {norm_name(n) for n in raw_counts}
    # Features share few tuples of weak names and of places: each is read once (counted per feature still).
    kept = {weak: tuple(n for n in weak if norm_name(n) in confirmed) for weak in {f.weak_names for f in feats}}
    raw_counts.update(chain.from_iterable(kept[f.weak_names] for f in feats if f.weak_names))
    names = _Names(raw_counts, frozenset(norm_name(p) for places in {f.places for f in feats} for p in places))
    cmap = names.mapping()
    # Many distinct features share their names (one sentence, several counts): map each name tuple once.
    canon_memo: dict[tuple, frozenset[str]] = {}
    canon = []
    for f in feats:
        key = (f.names, f.weak_names)
        cn = canon_memo.get(key)
        if cn is None:
            cn = canon_memo[key] = frozenset(cmap[n] for n in f.names + f.weak_names if n in cmap)
        canon.append(cn)
    place_memo: dict[tuple, frozenset[str]] = {}
    canon_places = []
    for f in feats:
        cp = place_memo.get(f.places)
        if cp is None:
            cp = place_memo[f.places] = frozenset(cmap[n] for n in f.places if n in cmap)
        canon_places.append(cp)
    plain = canon
    canon = _with_facility_towns(feats, canon, cmap)
    # Document frequency of each canonical name, for IDF weights.
    feats_of_doc: dict[int, set[int]] = defaultdict(set)
    for doc_id, fi in zip([r.document_id for r in records], feat_of):
        feats_of_doc[doc_id].add(fi)
    doc_names = {doc_id: set().union(*(canon[fi] for fi in fis)) for doc_id, fis in feats_of_doc.items()}
    for doc_id, ns in lead_names.items():
        if doc_id in doc_names:
            doc_names[doc_id].update(cmap[n] for n in ns if n in cmap)
    df: Counter[str] = Counter()
    for s in doc_names.values():
        df.update(s)
    n_docs = max(len(doc_names), 1)
    weight = {n: math.log(1.0 + n_docs / c) for n, c in df.items()}
    common = max(COMMON_NAME_MIN_DOCS, COMMON_NAME_SHARE * n_docs)

    # Collapse claims with identical features: they group together by construction.
    # Two claims of one document and voice whose figures cannot both hold are two facts ("November 9"
    # and "December 9" in one sentence; "dozens of soldiers" and "thousands" under one
    # headline); "23 bodies" and "at least 23 people" can be one. A claim that conflicts
    # starts a copy of its vector, and conflicting copies never join (a cannot-link below).
    vec_of_feat: list[_Vec] = []
    rare_places: dict[frozenset[str], frozenset[str]] = {}  # features share few place sets
    for f, cn, cp in zip(feats, canon, canon_places):
        # A place most of the corpus mentions (its country) cannot tell two events apart.
        rare = rare_places.get(cp)
        if rare is None:
            rare = rare_places[cp] = frozenset(p for p in cp if df[p] <= common)
        # A group's strength is one fact whose figure evolves over the years: no year keeps its reports apart.
        strength = f.kind == "force_size" and f.fact == STRENGTH
        vec_of_feat.append(_vec((f.kind, f.outcome, f.subject, f.generic_subject, cn, rare, f.kinds, f.sites,
                                 None if strength else f.year, False if strength else f.year_stated, f.fact,
                                 -1, _NONE, _NONE)))
    # Event first: the incident each claim reports, then its role in it (total, a part, attackers).
    inc = find_incidents(records, feats, feat_of, plain, canon_places, cmap, df, weight, common,
                         _background(records, feats, feat_of), display=_display(raw_counts, cmap) if explain else None, leads=leads,
                         labels=explain)
    roles = _roles(records, feats, feat_of, canon_places, inc, cmap)
    # Features, incident and role that canonicalise to one vector share its list of copies.
    vec_ids: dict[_Vec, int] = {}
    vec_memo: dict[tuple, int] = {}
    copy_lists: list[list[int]] = []
    vec_of_id: list[_Vec] = []  # per entry of vec_ids, its vector
    valued_of_id: list[bool] = []   # ... whether it is a date or a length (its figure is a value, not a count)
    grouped_of_id: list[bool] = []  # ... whether its fact can group at all (see UNGROUPED_FACTS)
    vecs: list[_Vec] = []
    vec_figs: list[dict[tuple[int, str], tuple[float, float]]] = []
    vec_span: list[tuple[float, float] | None] = []  # dates and durations: see _value_span
    since: set[int] = set()  # vectors whose stated year only starts a span ("killed 18,000 since 2013")
    superseded: dict[tuple[str, str], bool] = {}
    supersedes: dict[str, bool] = {}
    member_of: list[int] = []
    # a place anywhere in the corpus is no group: "operations north of Umm Deffar have reduced the movement
    # to fewer than 2,000 fighters" gives Umm Deffar no strength
    all_places = frozenset(chain.from_iterable(set(canon_places)))
    live = _LiveBlogs(leads or {}, texts)
    live_docs = live.docs
    armed = _armed_names(cmap)
    armed |= _fighters_owners(records, feats, feat_of, roles, cmap, armed, all_places)
    antecedents = _Antecedents(records, feats, feat_of, cmap, leads, armed, texts)
    bare_words = lexicon().group_words
    perpetrators = lexicon().perpetrators
    bare = _BareGroupWords(records, feat_of, canon, cmap, armed, texts)
    sentence_days = inc.sentence_days  # outside one incident, a count is of its sentence's attack day
    # What each feature's kind and fact ask of its claims below, read once per feature, not per claim.
    forces = [f.kind == "force_size" for f in feats]
    founding = [f.fact == FOUNDING and f.kind == "date" for f in feats]
    dayed = [f.kind in _SPREAD_KINDS for f in feats] if sentence_days else [False] * len(feats)
    for rec, fi, ii, role in zip(records, feat_of, inc.of_record, roles):
        actors = _NONE
        if role == STRENGTH and forces[fi]:
            actors = _actors(rec, feats[fi], cmap, armed, all_places) \
                or antecedents.of(rec, feats[fi].subject is None or feats[fi].subject in perpetrators)
            if actors and not actors.isdisjoint(bare_words):
                # a numbered group word is a name of its own ("Front 12"); any other, the document's group
                actors = _numbered(actors, rec.claim.sentence or "")
                if not actors.isdisjoint(bare_words):
                    actors = bare.resolve(actors, rec.document_id)
            if actors and _at_peak(rec.claim.sentence or "", rec.claim.quote or ""):
                # its strength at its peak is another figure than its strength: one fact of its own
                actors = frozenset(f"{a} {PEAK}" for a in actors)
        elif founding[fi]:
            # when a group began is the group's (see _join_founded): the armed group its sentence names
            actors = frozenset(n for n in (cmap.get(raw) for raw in feats[fi].sentence_names) if n in armed)
        days = sentence_days.get((rec.document_id, rec.claim.sentence or ""), _NONE) if dayed[fi] else _NONE
        key = (fi, ii, role, actors, days)
        n = vec_memo.get(key)
        if n is None:
            v = vec_of_feat[fi]
            if ii >= 0 or role != v.fact or actors or days:
                v = _vec(v[:_PLACED] + (role, ii, actors, days))
            n = vec_memo[key] = vec_ids.setdefault(v, len(vec_ids))
            if n == len(copy_lists):
                copy_lists.append([])
                vec_of_id.append(v)
                valued_of_id.append(v.kind == "date" or v.kind == "duration")
                grouped_of_id.append(v.fact not in UNGROUPED_FACTS)
        v = vec_of_id[n]
        # One voice (the article's, or one named source) does not give two figures for one fact;
        # two sources quoted in one article can disagree, and that is worth comparing.
        # Dates and durations in one article are nearly always different facts (a ceasefire's
        # start and end), whoever is quoted.
        valued = valued_of_id[n]
        if valued:
            voice = ""
            fig = _interval(rec)
        else:
            c = rec.claim
            corrected = rec.corrected
            if corrected:
                fig = _interval(rec)
            else:  # _interval's common case inline (a count, as extracted): it runs for nearly every claim
                lo, hi = c.low, c.high
                if lo is not None and hi is not None and lo > hi:
                    lo, hi = hi, lo
                fig = (-math.inf if lo is None else lo, math.inf if hi is None else hi)
            said = corrected["attributed_to"] if corrected and "attributed_to" in corrected else c.attributed_to
            voice = norm_name(said) if said else ""
            if live_docs and rec.document_id in live_docs:
                # a live blog's entries are told at their own times: each entry's figures are its hour's
                voice += live.stamp(rec)
            sentence = c.sentence or ""
            # Keyed by the sentence with its digits masked (cached already by the features): the cue
            # words hold no digit and a digit and its mask are alike to the pattern, so wire copies and
            # follow-ups that differ only in their figures are searched once.
            shape = masked(sentence)
            cued = supersedes.get(shape)
            if cued is None:  # most sentences replace nothing: each is searched once, not once per claim
                cued = supersedes[shape] = bool(sentence) and _supersedes(shape)
            if cued:
                replaced = superseded.get((sentence, rec.claim.quote))
                if replaced is None:
                    replaced = superseded[(sentence, rec.claim.quote)] = _superseded(sentence, rec.claim.quote)
                if replaced:
                    # "down from the 14 first reported": the same source, before; each replaced figure its own
                    # ("18 had died, then 27, now 31": two earlier figures that need not agree)
                    voice += f" (superseded: {rec.claim.quote})"
        doc = (rec.document_id, voice)
        copies = copy_lists[n]
        # The day a statement was made dates no event: equal features join no other report's.
        for i in (copies if grouped_of_id[n] else ()):
            both = _meet(vec_figs[i].get(doc), fig)
            if both is None:
                continue
            if valued:
                # Equal words around two dates or lengths do not make them one: "1993" and "Friday".
                fits, span = _value_span(v.kind, vec_span[i], _readable(fig))
                if not fits:
                    continue
                vec_span[i] = span
            vec_figs[i][doc] = both
            break
        else:
            i = len(vecs)
            copies.append(i)
            vecs.append(v)
            vec_figs.append({doc: fig})
            vec_span.append(_readable(fig) if valued else None)
            if v.stated and v.year is not None and year_since(rec.claim.sentence or "", v.year):
                since.add(i)
        member_of.append(i)

    blocks: dict[tuple, list[int]] = defaultdict(list)
    # The names a claim is blocked under depend on its set of places (or of names) alone, which claims
    # share: each set is ranked once.
    under_places: dict[frozenset[str], list[str]] = {}
    under_names: dict[frozenset[str], list[str]] = {}
    for i, v in enumerate(vecs):
        if v.fact in UNGROUPED_FACTS:
            continue  # the day a statement was made, or a weekday naming a market: no event's date
        # Block on where it happened when the claim says so: two places never join anyway, and a
        # claim naming no place is blocked on its rarest names, which include any place named
        # without "in"/"near" ("the Peshawar school attack"), so it still meets the placed reports.
        if v.places:
            under = under_places.get(v.places)
            if under is None:
                keys = sorted(v.places, key=lambda n: (df[n], n))
                under = under_places[v.places] = ([n for n in keys if df[n] <= common] or keys)[:BLOCK_NAMES]
        else:
            under = under_names.get(v.names)
            if under is None:
                keys = sorted(v.names, key=lambda n: (df[n], n))
                under = under_names[v.names] = ([n for n in keys if df[n] <= common] or keys)[:UNPLACED_BLOCK_NAMES]
        for n in under:
            # The fact is part of the key: an attack party and a group's strength, or a distance and
            # a crowd, are never candidates however much else they share.
            blocks[(v.kind, v.outcome, v.fact, n)].append(i)

    scorer = _BlockScorer(vecs, weight, inc.found)
    order: dict[int, tuple] = {}
    found = scorer.score_blocks([sub for block in blocks.values() if len(block) > 1
                                 for sub in _split_block(block, vecs, order, scorer.names)])
    uf = _Constrained(vecs, vec_figs, inc.found, vec_span, since)
    lo, hi, sc = found
    if len(lo):
        keep = ~uf.surely_apart(lo, hi)
        lo, hi, sc = lo[keep], hi[keep], sc[keep]
    _join_incidents(uf, records, member_of, vecs, inc.found)
    _join_strengths(uf, vecs)
    _join_founded(uf, records, member_of, vecs)
    _join_history(uf, records, member_of, vecs, feats, feat_of, cmap)
    if len(lo):
        # Best first; ties broken by ids so the result does not depend on input order. A pair
        # found from both sides, or in two blocks, is tried once.
        order = np.lexsort((hi, lo, -sc))
        lo, hi = lo[order], hi[order]
        key = lo * len(vecs) + hi
        _, first = np.unique(key, return_index=True)
        first.sort()
        join, parent = uf.join, uf.parent
        for i, j in zip(lo[first].tolist(), hi[first].tolist()):
            # uf.find inline (the same path halving): a call per claim of 88,000 pairs cost more than the walk
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            while parent[j] != j:
                parent[j] = parent[parent[j]]
                j = parent[j]
            if i != j:  # most candidate pairs are already joined by then
                join(i, j)

    # One sort of all records, then each group keeps that order.
    # member_order's key, made cheap: (publication, document) pairs are ranked once, then a
    # record's key is (rank, start, id), integers only, in the same order.
    pairs = {(r.published, r.document_id) for r in records}
    ranked = sorted(pairs, key=lambda p: (p[0] is None, p[0] or 0, p[1]))
    rank = {p: k for k, p in enumerate(ranked)}
    ranks = np.fromiter((rank[(r.published, r.document_id)] for r in records), dtype=np.int64, count=len(records))
    starts = np.fromiter((r.claim.start for r in records), dtype=np.int64, count=len(records))
    ids = np.fromiter((r.id if r.id is not None else -1 for r in records), dtype=np.int64, count=len(records))
    # Sorted in C; ties (equal ids) keep input order, as a stable sort by the same key would.
    order = np.lexsort((np.arange(len(records)), ids, starts, ranks)).tolist()
    grouped: dict[int, list[ClaimRecord]] = defaultdict(list)
    parent = uf.parent
    root_of = [v if parent[v] == v else uf.find(v) for v in range(len(vecs))]  # (most are roots: no call)
    first_pos: dict[int, int] = {}  # a group's first member's place in that order stands for its key
    for pos, k in enumerate(order):
        root = root_of[member_of[k]]
        grouped[root].append(records[k])
        first_pos.setdefault(root, pos)
    out = list(grouped.items())
    out.sort(key=lambda item: (-len(item[1]), first_pos[item[0]]))
    groups = [g for _, g in out]
    if not explain:
        return Grouping(groups, [])
    return _explain(groups, records, member_of, vecs, inc, cmap)


def _with_facility_towns(feats: list[Features], canon: list[frozenset[str]],
                         cmap: dict[str, str]) -> list[frozenset[str]]:
    """Add to each claim's names the towns its facilities were named with elsewhere.

    "the Army Public School in Peshawar" in any sentence of the corpus lets a
    report naming only "the Army Public School" meet one naming only "Peshawar".
    Only facilities (names holding a site word) are widened: two towns listed
    together ("in Peshawar and Quetta") stay two places.
    """
    site_re = lexicon().site_re
    towns: dict[str, set[str]] = defaultdict(set)
    # Features share few tuples of sentence names, and canonical name sets: each is read once.
    for names in {f.sentence_names for f in feats if len(f.sentence_names) >= 2}:
        in_sentence = {cmap[n] for n in names if n in cmap}
        facilities = {n for n in in_sentence if site_re.search(n)}
        for fac in facilities:
            towns[fac].update(n for n in in_sentence - facilities)
    if not towns:
        return canon
    widened: dict[frozenset[str], frozenset[str]] = {}
    out = []
    for cn in canon:
        got = widened.get(cn)
        if got is None:
            extra = set().union(*(towns[n] for n in cn if n in towns)) if any(n in towns for n in cn) else None
            got = widened[cn] = cn | extra if extra else cn
        out.append(got)
    return out


# a length in whole months or years only: its days depend on the calendar
_CALENDAR_LENGTH_RE = re.compile(r"^P\d+[MY]$")
_WEEKS_LENGTH_RE = re.compile(r"^P[1-6]W$")  # a few weeks: "30 weeks" is said of no seven months
# How far a length in weeks may be from one in days or months and be the same length: "a four-week pause"
# (28 days) and "a 30-day truce", "a two-week truce" (14) and "the 15-day ceasefire"; not one week and eight days,
WEEKS_SLACK = 0.075
WEEKS_SLACK_DAYS = 2.5  # ... and at most this many days: "14 weeks" (98 days) is not "three months" (91)
# days below and above the mean calendar length (30.44 days a month) that a length in months or years may be
CALENDAR_SLACK = (2.5, 1.5)


def _interval(rec: ClaimRecord) -> tuple[float, float]:
    """Return a claim's figure as a closed range; open bounds are infinite, unreadable ones the whole line."""
    c = rec.claim
    kind = c.kind if isinstance(c.kind, Kind) else Kind(c.kind)
    if rec.corrected:
        lo, hi, _ = member_range(rec)
    elif kind is Kind.DATE:
        r = _date_range(c.date)
        lo, hi = r if r else (None, None)
    elif kind is Kind.DURATION:
        lo = hi = duration_days(c.duration)
        if lo is not None and _CALENDAR_LENGTH_RE.match(str(c.duration or "")):
            # "month-long" (P1M) is the "30-day" truce of the same report: a calendar length is a few
            # days either way (February to a 31-day month), never a neighbouring count of months
            lo, hi = lo - CALENDAR_SLACK[0], hi + CALENDAR_SLACK[1]
        elif lo is not None and _WEEKS_LENGTH_RE.match(str(c.duration or "")):
            # "a four-week pause" is the report's "30 days" put roughly (see WEEKS_SLACK)
            slack = min(WEEKS_SLACK * lo, WEEKS_SLACK_DAYS)
            lo, hi = lo - slack, hi + slack
    else:  # the common case, without member_range's per-field lookups
        lo, hi = c.low, c.high
        if lo is not None and hi is not None and lo > hi:
            lo, hi = hi, lo
    return (-math.inf if lo is None else lo, math.inf if hi is None else hi)


def _meet(a: tuple[float, float] | None, b: tuple[float, float]) -> tuple[float, float] | None:
    """Return the overlap of two ranges (b when a is None), or None when they are disjoint."""
    if a is None:
        return b
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    return (lo, hi) if lo <= hi else None


def member_order(rec: ClaimRecord) -> tuple:
    """Return the sort key that orders a group's members by publication time."""
    return (rec.published is None, rec.published or 0, rec.document_id, rec.claim.start, rec.id)


def _featurize(records: list[ClaimRecord]) -> tuple[list[Features], list[int]]:
    """Return the distinct features and, per record, the index of its features."""
    # Texts are read once each (claim_features() caches them); equal features are stored once.
    seen: dict[Features, int] = {}
    feats: list[Features] = []
    index: list[int] = []
    for r in records:
        f = claim_features(r)
        i = seen.get(f)
        if i is None:
            i = seen[f] = len(feats)
            feats.append(f)
        index.append(i)
    return feats, index


def _split_block(block: list[int], vecs: list[_Vec], order: dict[int, tuple],
                 names: list[tuple[str, ...]]) -> list[list[int]]:
    """Cut a large block into year windows of at most about BLOCK_CAP claims, similar claims together.

    ``order``: per claim, its sort key within a year, filled as needed (a claim sits in several blocks);
    ``names``: per claim, its names sorted.
    """
    if len(block) <= BLOCK_CAP:
        return [block]
    by_year: dict[int | None, list[int]] = defaultdict(list)
    for i in block:
        by_year[vecs[i].year].append(i)
    out = []
    for i in block:
        if i not in order:
            v = vecs[i]
            sites = sorted(v.sites) if len(v.sites) > 1 else list(v.sites)  # most claims name one site or none
            order[i] = (sites, v.subject or "", names[i])
    for year, ids in by_year.items():
        # Chunks cut a year's claims; sorting first keeps same-site, same-subject claims in one chunk.
        ids.sort(key=order.__getitem__)
        # Neighbouring years may still be one event (late reports): overlap with the next year.
        nxt = by_year.get(year + 1, [])[:BLOCK_CAP // 2] if year is not None else []
        for k in range(0, len(ids), BLOCK_CAP):
            out.append(ids[k:k + BLOCK_CAP] + nxt)
    return out


def _csr(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Return (ptr, values): the lists laid end to end, list i at values[ptr[i]:ptr[i + 1]]."""
    lens = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
    ptr = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(lens, out=ptr[1:])
    values = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(ptr[-1]))
    return ptr, values


class _BlockScorer:
    """Score every pair in a block at once with numpy, keeping each claim's best few partners."""

    def __init__(self, vecs: list[_Vec], weight: dict[str, float], incidents: list[Incident] | None = None):
        lx = lexicon()
        site_bit = {k: 1 << i for i, k in enumerate(sorted(set(lx.site_terms.values())))}
        found = incidents or []
        # Per incident (index -1 reads the extra last slot): first and last day, targets as bits.
        # (int32, as the sites' bits below: day numbers and incident ids fit, and the block matrices built
        # from them take half the memory traffic)
        self.inc_lo = np.array([i.span[0] if i.span else -1 for i in found] + [-1], dtype=np.int32)
        self.inc_hi = np.array([i.span[1] if i.span else -1 for i in found] + [-1], dtype=np.int32)
        self.inc_sites = np.array([sum(site_bit.get(k, 0) for k in i.sites) for i in found] + [0], dtype=np.int32)
        kind_bit = {k: 1 << i for i, k in enumerate(sorted(set(lx.kind_terms.values())))}
        self.vecs = vecs
        self.weight = weight
        # Vectors share few distinct name, place, site and kind sets: each is read once (equal sets
        # give equal values, whichever vector is met first).
        name_ix = {n: k for k, n in enumerate(weight)}
        by_names: dict[frozenset[str], tuple[tuple[str, ...], list[int], float]] = {}
        by_places: dict[frozenset[str], int] = {}
        place_sets: list[frozenset[str]] = []
        site_bits: dict[frozenset[str], int] = {}
        kind_bits: dict[frozenset[str], int] = {}
        subject_ix: dict[str, int] = {}
        names, name_lists, place_set, total = [], [], [], []
        subject_id, year, stated, sites, kinds, incident = [], [], [], [], [], []
        for v in vecs:
            got = by_names.get(v.names)
            if got is None:
                # Names in a fixed order: summing float weights in a set's hash order made scores differ
                # in their last bits from run to run, which reordered ties and so changed the groups.
                ordered = tuple(sorted(v.names))
                got = by_names[v.names] = (ordered, [name_ix[n] for n in ordered], sum(weight[n] for n in ordered))
            names.append(got[0])
            name_lists.append(got[1])
            ps = -1  # no place
            if v.places:
                ps = by_places.get(v.places, -1)
                if ps < 0:
                    ps = by_places[v.places] = len(place_sets)
                    place_sets.append(v.places)
            place_set.append(ps)
            sb = site_bits.get(v.sites)
            if sb is None:
                sb = site_bits[v.sites] = sum(site_bit[k] for k in v.sites)
            sites.append(sb)
            kb = kind_bits.get(v.kinds)
            if kb is None:
                kb = kind_bits[v.kinds] = sum(kind_bit[k] for k in v.kinds)
            kinds.append(kb)
            no_subject = v.generic or v.subject is None
            subject_id.append(-1 if no_subject else subject_ix.setdefault(v.subject, len(subject_ix)))
            year.append(-1 if v.year is None else v.year)
            stated.append(v.stated and v.year is not None)
            incident.append(-1 if v.kind == "force_size" and v.fact == STRENGTH else v.incident)
            total.append(got[2] + SITE_WEIGHT * len(v.sites) + KIND_WEIGHT * len(v.kinds)
                         + (YEAR_WEIGHT if v.year is not None else 0.0))
        self.names = names
        # The same as flat arrays (CSR: a claim's names are ids[ptr[i]:ptr[i + 1]]), so a block
        # gathers them without a Python loop. An id is only a handle: a block's columns follow the
        # order names are first met, whatever their ids.
        self.name_weight = np.fromiter(weight.values(), dtype=np.float32, count=len(weight))
        self.name_ptr, self.name_ids = _csr(name_lists)
        # Per claim its set of places (an index into place_sets, -1: none) and its subject (-1: none
        # or generic); whether two fit is decided once per distinct pair (a pair fits both ways).
        self.place_set = np.array(place_set, dtype=np.int64)
        self.place_sets = place_sets
        self._place_ok: dict[tuple[int, int], bool] = {}
        self.subject_id = np.array(subject_id, dtype=np.int64)
        self.subject_text = list(subject_ix)
        self._subject_ok: dict[tuple[int, int], bool] = {}
        self.year = np.array(year, dtype=np.int16)
        self.stated = np.array(stated, dtype=bool)
        self.sites = np.array(sites, dtype=np.int32)
        self.kinds = np.array(kinds, dtype=np.int32)
        self.incident = np.array(incident, dtype=np.int32)
        self.total = np.array(total, dtype=np.float32)

    def score_blocks(self, blocks: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (lower id, higher id, score) of each claim's best matching partners within its block.

        Blocks of one size are scored together, a batch at a time: every pair of a block is scored
        as if that block were alone (its own name columns, its own best partners), and only the
        name sums go block by block, through the same matrix product of the same matrices.
        """
        by_size: dict[int, list[list[int]]] = defaultdict(list)
        for block in blocks:
            by_size[len(block)].append(block)
        found = []
        for m in sorted(by_size):
            same = by_size[m]
            step = max(1, _BATCH_CELLS // (m * m))
            for k in range(0, len(same), step):
                found.append(self._score_batch(np.array(same[k:k + step], dtype=np.int64)))
        if not found:
            return _EMPTY_PAIRS
        return (np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found]),
                np.concatenate([f[2] for f in found]))

    def _score_batch(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Score a batch of blocks of one size ``ids`` (blocks x m claims), each block on its own.

        Every pair of a block is an entry of an m x m matrix per block: most pairs clear the bar, so
        the constraints are checked on whole matrices too, and only the pairs left are listed.
        """
        nb, m = ids.shape
        common = self._name_sums(ids)
        site, kind, year = self.sites[ids], self.kinds[ids], self.year[ids]
        s1, s2 = site[:, :, None], site[:, None, :]
        shared_sites = s1 & s2
        y1, y2 = year[:, :, None], year[:, None, :]
        same_year = y1 == y2
        # Each term is a small multiple of 0.5, exact in float32, added in the same order as ever
        # (float32 terms: no float64 temporaries, and each sum rounds as it did).
        common += np.float32(SITE_WEIGHT) * np.bitwise_count(shared_sites)
        common += np.float32(KIND_WEIGHT) * np.bitwise_count(kind[:, :, None] & kind[:, None, :])
        common += np.float32(YEAR_WEIGHT) * (same_year & (y1 >= 0))
        tot = self.total[ids]
        common *= 2.0 / np.maximum(tot[:, :, None] + tot[:, None, :], 1e-6)
        score = common
        ok = score >= EVENT_MATCH
        ok &= _upper(m)
        # Two targets that differ.
        ok &= (shared_sites != 0) | (s1 == 0) | (s2 == 0)
        # Two stated years that differ; a report before the event it reports; unstated years far apart.
        stated = self.stated[ids]
        x1, x2 = stated[:, :, None], stated[:, None, :]
        known = (y1 >= 0) & (y2 >= 0)
        ok &= ~known | np.where(x1 & x2, same_year,
                                np.where(x1, y2 >= y1,  # a report cannot precede the event
                                         np.where(x2, y1 >= y2, np.abs(y1 - y2) <= UNSTATED_YEAR_SLACK)))
        # Two incidents told apart by their dates or targets.
        inc = self.incident[ids]
        i1, i2 = inc[:, :, None], inc[:, None, :]
        other = (i1 >= 0) & (i2 >= 0) & (i1 != i2)
        if other.any():
            inc_lo, inc_hi, inc_sites = self.inc_lo[inc], self.inc_hi[inc], self.inc_sites[inc]
            lo = np.minimum(inc_lo[:, :, None], inc_lo[:, None, :])
            hi = np.maximum(inc_hi[:, :, None], inc_hi[:, None, :])
            dated = (inc_lo[:, :, None] >= 0) & (inc_lo[:, None, :] >= 0)
            t1, t2 = inc_sites[:, :, None], inc_sites[:, None, :]
            clash = (dated & (hi - lo > INCIDENT_DAYS)) | ((t1 != 0) & (t2 != 0) & ((t1 & t2) == 0))
            ok &= ~(other & clash)
        # Two specific subjects too unlike; two places that differ.
        self._fits(ok, self.subject_id[ids], self._subject_ok, self._subject_fits)
        self._fits(ok, self.place_set[ids], self._place_ok, self._places_share)
        # Each claim's best partners suffice to connect a group; all pairs would be quadratic.
        # Only rows with a partner can give one; each row's pick depends on that row alone (a row
        # is partitioned by itself, whatever rows of other blocks lie beside it).
        dense = score * ok  # scores are positive: 0.0 where no pair
        dense += dense.transpose(0, 2, 1)
        dense = dense.reshape(nb * m, m)
        live_rows = np.flatnonzero(dense.any(axis=1))
        if not len(live_rows):
            return _EMPTY_PAIRS
        k = min(NEIGHBOURS, m - 1)
        top = np.argpartition(dense[live_rows], m - k, axis=1)[:, m - k:]
        rows = np.repeat(live_rows, k)
        cols = top.ravel()
        best = dense[rows, cols]
        keep = best > 0.0
        rows, cols = rows[keep], cols[keep]
        flat = ids.ravel()
        i, j = flat[rows], flat[rows - rows % m + cols]
        return np.minimum(i, j), np.maximum(i, j), best[keep]

    def _name_sums(self, ids: np.ndarray) -> np.ndarray:
        """Return per block the summed weights of the names each pair of its claims shares (float32).

        A block's columns are its own names in the order they are first met (claims in block order,
        each claim's names sorted), and each block's sums come from one matrix product of exactly
        the matrices it would have alone, so no score changes in its last bits.
        """
        nb, m = ids.shape
        flat = ids.ravel()
        starts = self.name_ptr[flat]
        lens = self.name_ptr[flat + 1] - starts
        rows = np.repeat(np.arange(nb * m), lens)  # row in the batch, claims in block order
        ends = np.cumsum(lens)
        at = np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(starts - (ends - lens), lens)
        names = self.name_ids[at]
        span = len(self.name_weight)
        # (block, name) pairs in order of first meeting: block by block, then as each block meets them.
        vocab, first, inv = np.unique(rows // m * span + names, return_index=True, return_inverse=True)
        by_first = np.argsort(first)
        per_block = np.bincount(vocab // span, minlength=nb)
        offset = np.zeros(nb, dtype=np.int64)
        np.cumsum(per_block[:-1], out=offset[1:])
        col = np.empty(len(vocab), dtype=np.int64)
        col[by_first] = np.arange(len(vocab)) - offset[vocab[by_first] // span]
        width = int(per_block.max()) if len(per_block) else 0
        member = np.zeros((nb, m, width), dtype=np.float32)
        member[rows // m, rows % m, col[inv]] = 1.0
        weights = np.zeros((nb, width), dtype=np.float32)
        weights[vocab // span, col] = self.name_weight[vocab % span]
        common = np.empty((nb, m, m), dtype=np.float32)
        for k, v in enumerate(per_block.tolist()):
            block = np.ascontiguousarray(member[k, :, :v])
            common[k] = (block * weights[k, :v]) @ block.T
        return common

    @staticmethod
    def _fits(ok: np.ndarray, values: np.ndarray, memo: dict[tuple[int, int], bool], test) -> None:
        """Clear ``ok`` (blocks x m x m) for pairs whose values (blocks x m ids; -1: none, which fits
        anything) do not fit; ``test(p, q)`` is asked once per distinct pair of values and remembered."""
        v1, v2 = values[:, :, None], values[:, None, :]
        at = np.flatnonzero(ok & (v1 >= 0) & (v2 >= 0) & (v1 != v2))
        if not len(at):
            return
        m = values.shape[1]
        row = at // m  # the pair's first claim, as a row of the batch
        flat = values.ravel()
        pa, pb = flat[row], flat[row - row % m + at % m]
        span = int(max(pa.max(), pb.max())) + 1
        keys, inv = np.unique(pa * span + pb, return_inverse=True)
        fits = np.empty(len(keys), dtype=bool)
        for n, (p, q) in enumerate(zip((keys // span).tolist(), (keys % span).tolist())):
            got = memo.get((p, q))
            if got is None:
                got = memo[(p, q)] = memo[(q, p)] = test(p, q)
            fits[n] = got
        ok.reshape(-1)[at] = fits[inv.ravel()]

    def _subject_fits(self, p: int, q: int) -> bool:
        return _subjects_compatible(self.subject_text[p], False, self.subject_text[q], False)

    def _places_share(self, p: int, q: int) -> bool:
        return not self.place_sets[p].isdisjoint(self.place_sets[q])


# A batch of blocks of one size holds at most this many pairs (blocks x m x m), bounding its memory.
_BATCH_CELLS = 1 << 20


_UPPER: dict[int, np.ndarray] = {}


def _upper(m: int) -> np.ndarray:
    """Return the m x m mask of pairs above the diagonal (cached: blocks come in few sizes)."""
    got = _UPPER.get(m)
    if got is None:
        got = _UPPER[m] = np.triu(np.ones((m, m), dtype=bool), 1)
    return got


_EMPTY_PAIRS = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32))


def group_label(members: list[ClaimRecord]) -> str:
    """Return a short human label for a group: what is counted, where or who, and when."""
    if not members:
        return ""
    feats = [claim_features(r) for r in members]
    f0 = feats[0]
    parts = [f0.kind.replace("_", " ") + (f" ({f0.outcome})" if f0.outcome else "")]
    if f0.fact and f0.fact not in ("?", "count"):
        # Which fact of its kind: "force size (attack party)", "date (funeral)", "figure (distance)".
        fact = "in a stated condition" if f0.fact == CONDITION else f0.fact.split(":", 1)[-1].replace("_", " ")
        parts[0] += f" ({fact})"
    # ranked(): ties in sorted order, so a label never depends on the process's string hashing
    subjects = Counter(f.subject for f in feats if f.subject and not f.generic_subject)
    if subjects:
        parts.append(ranked(subjects)[0])
    places = Counter(p for f in feats for p in f.places)
    names = Counter(n for f in feats for n in f.names)
    top = ranked(places)[:1]
    top += [n for n in ranked(names)[:3] if n not in top][: 2 - len(top)]
    if top:
        parts.append(", ".join(top))
    sites = Counter(s for f in feats for s in f.sites)
    if sites:
        parts.append(ranked(sites)[0].replace("_", " "))
    years = Counter(f.year for f in feats if f.year is not None)
    if years:
        parts.append(str(ranked(years)[0]))
    return " · ".join(parts)


# ------------------------------------------------------------------ event first
def _display(raw_counts: Counter[str], cmap: dict[str, str]) -> dict[str, str]:
    """Return canonical name -> its most used spelling, for labels people read."""
    best: dict[str, tuple[int, str]] = {}
    for raw, n in raw_counts.items():
        c = cmap.get(raw)
        if c is not None and (c not in best or (n, raw) > best[c]):
            best[c] = (n, raw)
    return {c: raw for c, (_, raw) in best.items()}


def _background(records: list[ClaimRecord], feats: list[Features], feat_of: list[int]) -> set[tuple[int, str]]:
    """Return the (document, sentence) pairs that state a span of a year or more ("over the last 14 years")."""
    out: set[tuple[int, str]] = set()
    since_event = lexicon().since_event
    for r, fi in zip(records, feat_of):
        if feats[fi].kind == "duration":
            days = duration_days(r.claim.duration)
            if days is not None and days >= BACKGROUND_DAYS:
                sentence = r.claim.sentence or ""
                at = sentence.find(r.claim.quote) if r.claim.quote else -1
                if at >= 0 and since_event.match(sentence, at + len(r.claim.quote)):
                    continue  # "to mark five years since the raid that killed 31": that raid's sentence
                out.add((r.document_id, sentence))
    return out


def _roles(records: list[ClaimRecord], feats: list[Features], feat_of: list[int],
           canon_places: list[frozenset[str]], inc: Incidents, cmap: dict[str, str]) -> list[str]:
    """Return per record the quantity it counts within its kind (the fact key, refined for casualties).

    Casualties: the total, a part ("part:children", "part:@batticaloa", "part:killed at the scene"),
    attackers killed, or those in a stated condition. A subject stated as a part anywhere in an
    incident ("including six children") is a part in all of its reports; a toll placed in a town the
    incident's headlines and other reports do not name is that town's part of a larger event.
    A class of people is a part where a sentence breaks the dead down by class ("three soldiers ...,
    while 34 civilians were killed") or where its count is far below the incident's totals
    (CLASS_PART_SHARE: "three soldiers were killed" beside tolls of 31 to 41).
    """
    lx = lexicon()
    perpetrators = lx.perpetrators
    facility = fact_tables()
    base: list[str] = []
    part_classes: set[tuple[int, str, str]] = set()
    for r, fi, ii in zip(records, feat_of, inc.of_record):
        f = feats[fi]
        if f.kind != "casualties":
            base.append(f.fact)
            continue
        subject = None if f.generic_subject else f.subject
        if f.fact == CONDITION:
            role = CONDITION
        elif subject in perpetrators:
            role = ATTACKERS
        elif f.fact == PART:
            role = f"{PART}:{subject or 'people'}"
            if ii >= 0 and subject:
                part_classes.add((ii, f.outcome, subject))
        elif f.fact.startswith(f"{PART}:"):  # "12 of the dead were children": the class the clause names
            role = f.fact
            if ii >= 0:
                part_classes.add((ii, f.outcome, f.fact[len(PART) + 1:]))
        elif f.fact:
            role = f"{PART}:{f.fact}"  # "killed at the scene", "died later", one facility's count
        elif _facility_bodies(r, facility):
            role = f"{PART}:{FACILITY}"
        else:
            role = TOTAL
        base.append(role)
    classed = _class_parts(records, feats, feat_of, inc.of_record, base, perpetrators)
    out = []
    head_places: dict[str, frozenset[str]] = {}
    all_main = frozenset().union(*inc.main_places)
    for k, (r, fi, ii, role) in enumerate(zip(records, feat_of, inc.of_record, base)):
        f = feats[fi]
        if f.kind == "casualties" and role == TOTAL and ii >= 0:
            subject = None if f.generic_subject else f.subject
            if subject and ((ii, f.outcome, subject) in part_classes or k in classed):
                role = f"{PART}:{subject}"
            elif f.places and len(inc.found[ii].documents) > 1:
                title = r.title or _opening_line(r)
                hp = head_places.get(title)
                if hp is None:
                    hp = head_places[title] = frozenset(_headline_cues(title).places) if title else frozenset()
                own = canon_places[fi] if not hp or frozenset(f.places) != hp else frozenset()
                main = inc.main_places[ii]
                # only a toll at a named target ("at the Batticaloa church") is a place's part, and not
                # one at a target named for the incident's own town ("the Pallokar Government Secondary
                # School in Dhuvaran province": the province is where the town is)
                if own and f.sites and not any(_within(p, m) for p in own for m in main) \
                        and not any(_within(cmap[n], m) for n in f.sentence_names if n in cmap for m in main):
                    towns = [n for n in f.sentence_names if n in cmap and (cmap[n] in own or cmap[n] in all_main)]
                    if towns:
                        # the place the count is placed in, in its own clause or before it: a sentence
                        # naming two incidents' towns ("A bomb exploded in the town of Sarnavi, killing
                        # 22, ... two days after a bombing in Mestrovo killed 27": 22 is Sarnavi's; one
                        # of the incident's own, the total), and not a place after it that only sets a
                        # comparison ("which killed 34 people, remains the deadliest attack in Upper Zandh")
                        at = quote_place(r.claim.sentence or "", r.claim.quote or "", towns)
                        own = frozenset({cmap[at]}) if at is not None and cmap[at] in own else frozenset()
                    if own and not any(_within(p, m) for p in own for m in main):
                        role = f"{PART}:@{sorted(own)[0]}"
        out.append(role)
    _earlier_figures(records, feats, feat_of, out)
    return out


def _earlier_figures(records: list[ClaimRecord], feats: list[Features], feat_of: list[int], roles: list[str]) -> None:
    """Give a bare count that a figure before it in its sentence replaced ("Among the dead were 11 women and
    children, up from nine reported on the day of the attack") that figure's role: nine women and children,
    a part, not nine dead in all. The cue words are superseded_figure's that end in 'from'."""
    replaced = lexicon().replaced_from
    casualty = [f.kind == "casualties" for f in feats]
    # The casualties of each sentence of a document, in text order: only a sentence's own counts meet (one
    # sort per sentence of two or more, not one of all the counts; ties keep the records' order).
    by_sentence: dict[tuple[int, str], list[int]] = {}
    for k, fi in enumerate(feat_of):
        if casualty[fi]:
            r = records[k]
            by_sentence.setdefault((r.document_id, r.claim.sentence or ""), []).append(k)
    for (_, sentence), ks in by_sentence.items():
        if len(ks) < 2:
            continue
        ks.sort(key=lambda k: records[k].claim.start)
        for j, k in zip(ks, ks[1:]):  # j: the casualty before k in its sentence
            r, f = records[k], feats[feat_of[k]]
            if roles[k] != TOTAL or (f.subject and not f.generic_subject):
                continue
            gap = r.claim.start - records[j].claim.end
            if not 0 <= gap <= 40 or roles[j] == TOTAL or feats[feat_of[j]].outcome != f.outcome:
                continue
            at = sentence.find(r.claim.quote)
            if at > 0 and replaced.search(sentence[max(0, at - 40):at]):
                roles[k] = roles[j]


def _facility_bodies(r: ClaimRecord, t) -> bool:
    """Return whether a count of bodies is given by a facility ("The hospital's register lists 44 bodies
    received") or brought to one ("23 bodies were brought to the hospital"): the bodies that facility
    took in, a part of the toll."""
    c = r.claim
    if not c.quote or not t.body_words.search(c.quote):
        return False
    said = r.corrected["attributed_to"] if r.corrected and "attributed_to" in r.corrected else c.attributed_to
    said = (said or "").lower()
    if said and any(h in said for h in t.facility_hints):
        return True
    # "According to the medical superintendent, Dr Akhtar, 23 bodies ... were brought to the hospital"
    sentence = c.sentence or ""
    at = sentence.find(c.quote)
    return at >= 0 and bool(t.bodies_brought.match(sentence[at + len(c.quote):]))


def _opening_line(r: ClaimRecord) -> str:
    """Return a claim's sentence when it opens its document (a headline stored without a title), else ''."""
    sentence, quote = r.claim.sentence or "", r.claim.quote or ""
    at = sentence.find(quote) if quote else -1
    return sentence if 0 <= at and r.claim.start - at <= 2 and "\n" not in sentence.strip() else ""


def _class_parts(records: list[ClaimRecord], feats: list[Features], feat_of: list[int], of_record: list[int],
                 base: list[str], perpetrators: frozenset[str]) -> set[int]:
    """Return the indices of total-role counts of one class of people that are a part of their toll.

    Two classes of people counted in one sentence with one outcome are a breakdown ("the dead included
    three soldiers ..., while 34 civilians were killed"); a class counted far below the incident's
    median count that names no class ("three soldiers" beside "37 killed") is a part too.
    """
    by_sentence: dict[tuple, list[tuple[str, int, bool, str]]] = defaultdict(list)  # -> (class, start, is a part, quote)
    specific: list[int] = []
    # Which features count a class of people, and which none, read once per feature: most records are neither.
    classed = [f.kind == "casualties" and not f.generic_subject and f.subject is not None
               and f.subject not in perpetrators for f in feats]
    unclassed = [f.kind == "casualties" and (f.generic_subject or f.subject is None) for f in feats]
    for k, fi in enumerate(feat_of):
        if not classed[fi]:
            continue
        # a class already read as a part ("the dead included three soldiers") still counts in the
        # breakdown that makes the sentence's other class a part
        if base[k] != TOTAL and not base[k].startswith(PART):
            continue
        f, r = feats[fi], records[k]
        if base[k] == TOTAL:
            specific.append(k)
        by_sentence[(r.document_id, r.claim.sentence or "", f.outcome)].append((f.subject, r.claim.start,
                                                                                base[k] != TOTAL, r.claim.quote))
    if not specific:
        return set()
    out: set[int] = set()
    wanted: set[tuple[int, str]] = set()
    part_cue = fact_tables().part_cue
    for k in specific:
        r, f = records[k], feats[feat_of[k]]
        sentence = r.claim.sentence or ""
        others = [(at, part, q) for c, at, part, q in by_sentence[(r.document_id, sentence, f.outcome)]
                  if c != f.subject]
        if others:
            # another class beside it, but not one it is broken down into after it: "26 civilians were
            # killed, including nine women and eight children" counts the whole
            own = sentence.find(r.claim.quote)
            end = own + len(r.claim.quote)
            cue = part_cue.search(sentence, end) if own >= 0 else None
            if any(at < r.claim.start or not (part or (cue and cue.start() < sentence.find(q, end)))
                   for at, part, q in others):
                out.add(k)
        elif of_record[k] >= 0:
            wanted.add((of_record[k], f.outcome))
    if not wanted:
        return out
    # The counts that name no class, per incident and outcome: only where a class count needs them.
    generic: dict[tuple[int, str], list[float]] = defaultdict(list)
    for k, (fi, ii) in enumerate(zip(feat_of, of_record)):
        if ii < 0 or not unclassed[fi] or base[k] != TOTAL:
            continue
        key = (ii, feats[fi].outcome)
        if key not in wanted:
            continue
        lo, hi = _interval(records[k])
        point = lo if math.isfinite(lo) else hi
        if math.isfinite(point):
            generic[key].append(point)
    medians: dict[tuple[int, str], float] = {}
    for key, v in generic.items():
        v.sort()
        n = len(v)
        medians[key] = v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    for k in specific:
        if k in out:
            continue
        median = medians.get((of_record[k], feats[feat_of[k]].outcome))
        if median is not None:
            lo, hi = _interval(records[k])
            point = hi if math.isfinite(hi) else lo
            if math.isfinite(point) and point < CLASS_PART_SHARE * median:
                out.add(k)
    return out


def _armed_names(cmap: dict[str, str]) -> frozenset[str]:
    """Return the canonical names of armed groups: those with a spelling ending in an armed group's word.

    "the Sabbar Hills Movement (SHM)" is one entity whose canonical spelling may be its acronym
    ("shm", when reports use it most): it is armed because one of its spellings ends in "Movement".
    The alias table marks the armed groups none of whose spellings does ("Tehrik-i-Taliban Pakistan").
    Read once per distinct spelling.
    """
    out = set()
    for raw, canonical in cmap.items():
        if canonical not in out and (_armed_name(norm_name(raw)) or _armed_name(canonical)):
            out.add(canonical)
    return frozenset(out)


def _fighters_owners(records: list[ClaimRecord], feats: list[Features], feat_of: list[int], roles: list[str],
                     cmap: dict[str, str], armed: frozenset[str], places: frozenset[str]) -> frozenset[str]:
    """Return the names the corpus gives a strength in fighters to: armed groups, whatever their names end
    in ("A UN panel put Green Dawn's strength at about 4,000 fighters", "Green Dawn fighters, some 3,000 of
    them"), so that "the movement" or a sentence naming Green Dawn elsewhere is read as that group's. A
    strength in troops or police is the state's, and names no armed group."""
    perpetrators = lexicon().perpetrators
    out: set[str] = set()
    for rec, fi, role in zip(records, feat_of, roles):
        f = feats[fi]
        if role == STRENGTH and f.kind == "force_size" and f.subject in perpetrators:
            out.update(_actors(rec, f, cmap, armed, places))
    return frozenset(out - armed)


def _armed_name(name: str) -> bool:
    """Return whether a normalised name is an armed group's: its last word is an armed group's word
    ("... Movement", "... Militia", "Zarghun Lashkar"), or one that heads the name before a particle
    ("Movement for the Unity of Tindara", "Front for the Liberation of Osland", "Tehreek-e-Nijat-e-Kesh"),
    or the alias table marks it armed."""
    lx = lexicon()
    if not name:
        return False
    words = name.split()
    return words[-1] in lx.group_words or name in lx.armed_aliases or any(
        w in lx.group_words and (nxt in lx.particles and nxt not in _NOT_LINKS) for w, nxt in zip(words, words[1:]))


# The particles that never link a name's head word to the rest ("the Army and the Police"); the others do:
# "Movement for the Unity of Tindara", "Lashkar-e-Zarghun", "Harakat al-Nour".
_NOT_LINKS = frozenset({"and", "the"})


# A closed aside after a name: ", a rival of the ORM,", ", which shares ideology but not command with the
# TND,"; not a name set off by commas ("Across the border, the Sahil Front, at about 3,500 fighters, ...").
_APPOSITIVE_RE = re.compile(r",\s+(?:(?:a|an|the)\s+(?-i:[a-z])|(?:which|who)\s)[^,;]*,")


def _actors(rec: ClaimRecord, f: Features, cmap: dict[str, str], armed: frozenset[str],
            places: frozenset[str] = frozenset()) -> frozenset[str]:
    """Return the armed groups a strength claim names: in its own quote or subject ("2,500 CRPF
    personnel"), or a name of its sentence that is an armed group's (one of its spellings ends in an
    armed group's word: "the Solen Defence Committee", "the Highmoor Militia", "SHM" for "the Sabbar
    Hills Movement (SHM)"), never its source or a place.
    """
    c = rec.claim
    said = rec.corrected.get("attributed_to") if rec.corrected and "attributed_to" in rec.corrected \
        else c.attributed_to
    source = norm_name(said) if said else ""
    lx = lexicon()
    tables = fact_tables()
    strength_verb = tables.strength_verb
    own = f"{c.quote} {c.subject or ''}"
    sentence = c.sentence or ""
    at = sentence.find(c.quote) if c.quote else -1
    out: dict[str, int] = {}  # name -> where the sentence gives it
    named = set()             # in the quote or its subject: whose strength, whatever else the sentence names
    speaking = set()          # an armed group that is the figure's source: its own strength, unless another's
    for raw in f.sentence_names:
        n = cmap.get(raw)
        # a name no other sentence gives ("Harakat Vessa, which the army says has ...", opening its
        # sentence) has no canonical spelling: it counts only where the words after it give it the figure
        unmapped = not n
        if unmapped:
            nm = norm_name(raw)
            n = lx.aliases.get(nm, nm)
        if not n:
            continue
        if source and (n == source or f" {n} " in f" {source} "):
            if not unmapped and (n in armed or _armed_name(source)):
                speaking.add(n)
            continue
        k = sentence.find(raw)
        if k >= 0 and (lx.document_after.match(sentence, k + len(raw))
                       or (0 <= at < k and _BY_BEFORE_RE.search(sentence, max(0, k - 8), k))):
            continue  # the author of a report, or a passive's agent after the figure: its source, never whose
        last = n.rsplit(None, 1)[-1]
        if raw in own and not unmapped:
            named.add(n)
        elif not unmapped and (n in armed or _group_word_after(sentence, raw, lx.group_words)):
            out.setdefault(n, k)
        elif at > 0 and raw not in f.places and n not in places and last not in lx.org_words \
                and last not in lx.place_units:
            # whose strength the sentence gives: the name that has or numbers the figure ("the Sarvel
            # Hand now counts about 4,000 fighters") or is put at it ("estimates the Sarvel Hand at
            # ..."); a speaker or an agency before the figure ("told PTI that ...") counts nothing
            end = k + len(raw)
            if last in lx.group_words:
                # a numbered group ("Front 21 has nearly 500"): its number is its name's
                m = _UNIT_NUMBER_RE.match(sentence, end)
                end = m.end() if m and m.end() <= at else end
            if 0 <= k and end <= at and (sentence[end:at].strip() == "at" or strength_verb.match(sentence, end)
                                         or tables.strength_relative.match(sentence, end, at)
                                         or _POSSESSIVE_BEFORE_RE.match(sentence, end, at)):
                out.setdefault(n, k)
    if named:
        return frozenset(named)
    if not out and speaking and at > 0 and not tables.group_anaphor.search(sentence, 0, at):
        # "the Bana Hills militia claims 600 members", "The Tarn Front says it has 2,000 fighters": a group
        # that gives a strength naming no other group's ("the group", "its") gives its own
        return frozenset(speaking)
    if len(out) > 1 and at >= 0:
        # Two armed groups in one sentence: the strength is the one named nearest before it, passing
        # over a closed aside ("The Pellan Brigade (PB), a rival of the ORM, has about 2,000 fighters";
        # "The ZLF should not be confused with the Keshal People's Army (KPA), a leftist insurgency ...
        # numbering about 800"), else none.
        prefix = _APPOSITIVE_RE.sub(lambda m: " " * len(m.group(0)), sentence[:at])
        before = [(k, n) for n, k in out.items() if 0 <= k < at and not prefix[k].isspace()]
        # a group after "from", "than" or "against" is the other side of the subject's ("The Brigades split
        # from the larger Orvel Front ... with about 600 fighters"): the subject's strength, when it names one
        subject = [(k, n) for k, n in before if not _OTHER_SIDE_RE.search(sentence, max(0, k - 40), k)]
        if subject:
            before = subject
        return frozenset((max(before)[1],)) if before else frozenset()
    return frozenset(out)


_NEXT_WORD_RE = re.compile(r"\s+([a-z]+)")
# a passive's agent: "was put at 2,000 fighters by the Defence Committee"
_BY_BEFORE_RE = re.compile(r"\bby\s+(?:the\s+)?$")
# the words before a group on the other side of a sentence's subject: "split from the larger ", "smaller than the "
_OTHER_SIDE_RE = re.compile(r"\b(?:from|than|against)\s+(?:the\s+)?(?:[a-z]+\s+){0,2}$")
# the name's possessive, in the figure's clause: "puts the TND's strength at some 4,000", "the Sarvel Hand's
# estimated 4,500 fighters"
_POSSESSIVE_BEFORE_RE = re.compile(r"['’]s\s[^,;:.()\"“”]{0,40}$")


def _group_word_after(sentence: str, raw: str, group_words: frozenset[str]) -> bool:
    """Return whether a name is followed by an armed group's word in lower case, singular ("the Morrow Hills
    militia has about 450 members"): the name and the word are one armed group's name ("Self-defence
    militias", "Osland forces" name no one group)."""
    k = sentence.find(raw)
    m = _NEXT_WORD_RE.match(sentence, k + len(raw)) if k >= 0 else None
    return m is not None and m.group(1) in group_words and not m.group(1).endswith("s")


# A sentence whose subject is "it", counting people: "It has some 2,000-2,500 combatants", "It now fields about
# 900 fighters", "It is believed to number 3,000", also in reported speech whose speaker is no name ("Military
# officials say it has fewer than 1,500 fighters left"; not "The Brigade says it has ...": that is the Brigade)
# (after an opening phrase, with its own "officials say" or none: "At its height in the mid-2030s, officials say,
# it counted some 7,000 fighters", "At its peak in 2036 it fielded some 7,000")
_IT_HAS_RE = re.compile(r"\W*(?:(?:at|in|by|during|as\s+of)\s[^,;.]{0,50}?(?:,\s+(?-i:[a-z]+)(?:\s+[a-z]+)?\s+(?:say|says|said))?"
                        r",?\s+)?"
                        r"(?:(?-i:[A-Z]?[a-z]+(?:\s+[a-z]+){0,3})\s+(?:says?|said|estimates?|estimated|believes?|believed|thinks?)\s+"
                        r"(?:that\s+)?)?it\s+(?:(?:now|still|currently|reportedly|probably|also)\s+)?(?:has|had|numbers|numbered|"
                        r"counts|counted|fields|fielded|commands|commanded|is\s+(?:estimated|believed|thought|said)\s+to\s+"
                        r"(?:have|number))\b", re.IGNORECASE)
# an opening phrase before a sentence's main clause: "At the time of the 2016 attack, ", "In 2031, "
_OPENING_PHRASE_RE = re.compile(r"(?:at|in|on|by|since|after|before|during|until|as\s+of)\s[^,;.]{0,50},\s+", re.IGNORECASE)
# between that verb and the figure, hedges only ("It has sent 2,500 troops" is no count of what it has)
_HEDGES_RE = re.compile(r"(?:\s*\b(?:some|about|around|roughly|nearly|almost|perhaps|an?|estimated|up|to|at|least|more|"
                        r"fewer|less|than|over|under|between)\b)*\s*", re.IGNORECASE)


# A live blog's entry heading: "18:45 - Death toll rises to 21", "1:30 PM — Police: 18 dead"
_ENTRY_STAMP_RE = re.compile(rf"^[ \t]*({LIVE_STAMP})[ \t]*[-–—][ \t]+\S", re.MULTILINE)


class _LiveBlogs:
    """The documents that are live blogs (their opening holds an entry heading stamped with a time, and their
    text two or more), and the time of the entry each claim stands in: an earlier entry's toll is no second
    figure of the later entry's voice ("09:00 - ... The toll given on Saturday evening was 17 dead" below
    "18:45 - Death toll rises to 21")."""

    def __init__(self, leads: dict[int, str], texts: Callable[[int], str | None] | None):
        self.texts = texts
        self.docs = {d for d, lead in leads.items() if _ENTRY_STAMP_RE.search(lead)} if texts is not None else set()
        self.stamps: dict[int, tuple[list[int], list[str]]] = {}

    def stamp(self, rec: ClaimRecord) -> str:
        got = self.stamps.get(rec.document_id)
        if got is None:
            text = self.texts(rec.document_id) or ""
            found = [(m.start(), m.group(1)) for m in _ENTRY_STAMP_RE.finditer(text)]
            got = self.stamps[rec.document_id] = ([a for a, _ in found], [t for _, t in found]) \
                if len(found) >= 2 else ([], [])
        starts, times = got
        k = bisect.bisect_right(starts, rec.claim.start) - 1
        return f" @{times[k]}" if k >= 0 else ""


# A group word and a number naming one group, as army units are named: "Front 12", "Brigade 313"
# a group's strength at its peak: "At its peak in 2039 the DLF fielded about 4,000", "down from a peak of some
# 7,000", "the 7,000 it fielded at its height"
_PEAK_RE = re.compile(r"\b(?:at\s+(?:its|their|the)\s+(?:peak|height)|(?:a|its|their)\s+peak\s+of|peaked\s+at)\b",
                      re.IGNORECASE)
PEAK = "(peak)"


def _at_peak(sentence: str, quote: str) -> bool:
    """Return whether a strength is a group's peak: a peak phrase before the figure with no other number
    between, or after it in its clause."""
    at = sentence.find(quote) if quote else -1
    if at < 0:
        return False
    last = None
    for last in _PEAK_RE.finditer(sentence, 0, at):
        pass
    if last is not None and not any(not _YEAR_RE.fullmatch(m.group(0))
                                    for m in _NUMBER_RE.finditer(sentence, last.end(), at)):
        return True  # (a year between tells when the peak was: "At its peak in 2039, ...")
    span = quote_clause(sentence, quote)
    return span is not None and _PEAK_RE.search(sentence, at + len(quote), span[1]) is not None


_NUMBER_RE = re.compile(r"\d+(?:[,.]\d+)*")
_YEAR_RE = re.compile(r"(?:1[89]|20)\d\d")
_UNIT_NUMBER_RE = re.compile(r"\s+\d{1,4}\b(?![,.]?\d)")
_NUMBERED_RE = re.compile(r"\b([A-Z][a-z]+)\s+(\d{1,4})\b(?![,.]?\d)(?:\s+([a-z-]+))?")


def _numbered(actors: frozenset[str], sentence: str) -> frozenset[str]:
    """Return the actors with each bare group word its sentence numbers ("Front 21's strength", "the roughly
    600-strong Front 12") named with its number: "front 12" and "front 21" are two groups, not one "front". A
    number that counts ("Front 450 fighters") names nothing."""
    lx = lexicon()
    out = set()
    for a in actors:
        if " " not in a and a in lx.group_words:
            nums = {m.group(2) for m in _NUMBERED_RE.finditer(sentence)
                    if m.group(1).lower() == a and not (m.group(3) and m.group(3) in lx.subject_terms)}
            if len(nums) == 1:
                out.add(f"{a} {nums.pop()}")
                continue
        out.add(a)
    return frozenset(out)


class _BareGroupWords:
    """The armed group a bare group word names in its document: "The Front took up arms in 2039", in a profile of
    the Front for the Renewal of Kessa (FRK), is the FRK when it is the one armed group the document names whose
    spellings hold "Front"; none when two do. Read lazily, per document."""

    def __init__(self, records: list[ClaimRecord], feat_of: list[int], canon: list[frozenset[str]],
                 cmap: dict[str, str], armed: frozenset[str], texts: Callable[[int], str | None] | None = None):
        self.records, self.feat_of, self.canon, self.cmap, self.armed = records, feat_of, canon, cmap, armed
        self.texts = texts
        self.words: dict[str, set[str]] | None = None  # canonical armed group -> the words of its spellings
        self.claim_groups: dict[int, set[str]] | None = None
        self.doc_groups: dict[int, frozenset[str]] = {}

    def _named(self, doc: int) -> frozenset[str]:
        """The armed groups a document names: in its text, else in its claims' sentences."""
        got = self.doc_groups.get(doc)
        if got is None:
            text = self.texts(doc) if self.texts is not None else None
            if text:
                got = frozenset(n for n in (self.cmap.get(raw) for raw in text_cues(text).every) if n in self.armed)
            else:
                if self.claim_groups is None:
                    self.claim_groups = defaultdict(set)
                    for r, fi in zip(self.records, self.feat_of):
                        self.claim_groups[r.document_id].update(n for n in self.canon[fi] if n in self.armed)
                got = frozenset(self.claim_groups.get(doc, ()))
            self.doc_groups[doc] = got
        return got

    def resolve(self, actors: frozenset[str], doc: int) -> frozenset[str]:
        if self.words is None:
            words: dict[str, set[str]] = defaultdict(set)
            for raw, n in self.cmap.items():
                if n in self.armed:
                    words[n].update(norm_name(raw).split())
            self.words = words
        out = set()
        for a in actors:
            if " " not in a and a in lexicon().group_words:
                named = [n for n in self._named(doc) if n != a and a in self.words.get(n, ())]
                if len(named) == 1:
                    out.add(named[0])
                    continue
            out.add(a)
        return frozenset(out)


class _Antecedents:
    """The armed group a strength refers back to ("the group's strength", "The movement had ...").

    The antecedent is the armed group (a name ending in an armed group's word) of the nearest sentence
    before it in its document's text that names one; without the text, of the nearest claim sentence;
    else of the document's opening. It is used only when that sentence or opening names exactly one.
    Read lazily: most strengths name their group.
    """

    def __init__(self, records: list[ClaimRecord], feats: list[Features], feat_of: list[int],
                 cmap: dict[str, str], leads: dict[int, str] | None, armed: frozenset[str] = frozenset(),
                 texts: Callable[[int], str | None] | None = None):
        self.records, self.feats, self.feat_of, self.cmap, self.leads = records, feats, feat_of, cmap, leads or {}
        self.armed = armed
        self.by_doc: dict[int, list[tuple[int, str, frozenset[str]]]] | None = None
        self.anaphor = fact_tables().group_anaphor
        self.texts = texts
        self.indexes: dict[int, SentenceIndex | None] = {}

    def _groups(self, names) -> frozenset[str]:
        out = set()
        lx = lexicon()
        for raw in names:
            n = self.cmap.get(raw)
            if n is None and " and " in raw:
                # "Government and DLF negotiators" opening a sentence reads as one capitalised run: its
                # parts are the names (a name that holds "and" is in the map as a whole)
                out |= self._groups(raw.split(" and "))
                continue
            if n is None:
                # capitalised only by its place ("Tehreek-e-Taliban Pakistan remains active ..." opening
                # a line) and named nowhere else: an armed group's name all the same when the alias
                # table or its last word says so
                nm = norm_name(raw)
                n = lx.aliases.get(nm, nm)
                if _armed_name(n):
                    out.add(n)
            elif n in self.armed:
                out.add(n)
        return frozenset(out)

    def of(self, rec: ClaimRecord, fighters: bool = False) -> frozenset[str]:
        """Return the armed group a strength that names none refers back to (``fighters``: it counts fighters
        or no one named, not troops or police, so that "It has ..." can be an armed group's)."""
        c = rec.claim
        sentence = c.sentence or ""
        at = sentence.find(c.quote) if c.quote else -1
        if at > 0 and fighters and self.texts is not None:
            m = _IT_HAS_RE.match(sentence, 0, at)
            if m is not None and _HEDGES_RE.fullmatch(sentence, m.end(), at):
                return self._subject_before(rec)
        if at <= 0 or not self.anaphor.search(sentence, 0, at):
            return frozenset()
        if self.texts is not None:
            # The document's own sentences, claims or not: "The OLC is younger. Analysts put its
            # strength at 2,500" is the OLC's, whatever group the last sentence with a claim named.
            got = self._in_text(rec)
            if got is not None:
                return got
        if self.by_doc is None:
            by_doc: dict[int, dict[str, tuple[int, frozenset[str]]]] = defaultdict(dict)
            for r, fi in zip(self.records, self.feat_of):
                s = r.claim.sentence or ""
                got = by_doc[r.document_id].get(s)
                if got is None or r.claim.start < got[0]:
                    by_doc[r.document_id][s] = (r.claim.start, got[1] if got else self._groups(self.feats[fi].sentence_names))
            self.by_doc = {d: sorted((start, s, g) for s, (start, g) in ss.items()) for d, ss in by_doc.items()}
        for start, s, groups in reversed(self.by_doc.get(rec.document_id, ())):
            if start < c.start and s != sentence and groups:
                return groups if len(groups) == 1 else frozenset()
        lead = self.leads.get(rec.document_id)
        cues = lead_cues(lead) if lead else None
        groups = self._groups(cues.reliable + cues.weak) if cues else frozenset()
        return groups if len(groups) == 1 else frozenset()

    def _index(self, doc: int) -> SentenceIndex | None:
        index = self.indexes.get(doc, False)
        if index is False:
            text = self.texts(doc) if self.texts is not None else None
            index = self.indexes[doc] = SentenceIndex(text) if text else None
        return index

    def _subject_before(self, rec: ClaimRecord) -> frozenset[str]:
        """Return the armed group a sentence opening with "It has ..." counts: the one that opens the sentence
        right before it ("The Front took up arms in 2039. It has some 2,000 combatants"), when that sentence
        opens with its one armed group's name; none when it opens with anyone else's ("The army says the
        Front is weakened. It has ...") or names two groups."""
        index = self._index(rec.document_id)
        k = index.index_of(rec.claim.start) if index is not None else None
        if not k:
            return frozenset()
        a, b = index.spans[k - 1]
        before = index.text[a:b].lstrip(" \n\"“'‘")
        names = text_cues(before).every
        if not names or len(self._groups(names)) != 1:
            return frozenset()
        # the name opens the sentence, or its main clause after an opening phrase ("At the time of the 2016
        # attack, the TND was estimated to have some 4,500 fighters")
        m = _OPENING_PHRASE_RE.match(before)
        opening = before[m.end():] if m else before
        opening = opening[4:] if opening[:4].lower() == "the " else opening
        return _numbered(self._groups(names[:1]), before) if opening.startswith(names[0]) else frozenset()

    def _in_text(self, rec: ClaimRecord) -> frozenset[str] | None:
        """Return the armed group of the nearest sentence before a claim's that names one, read from its
        document's text (none when that sentence names two); None when no text is stored or no sentence
        before it names one."""
        index = self._index(rec.document_id)
        k = index.index_of(rec.claim.start) if index is not None else None
        for j in range(k - 1, -1, -1) if k is not None else ():
            a, b = index.spans[j]
            text = index.text[a:b]
            names = text_cues(text).every
            groups = self._groups(names)
            if len(groups) > 1:
                # "The Brigades broke away from the Orvel Front in 2041. Their strength ...": not the group on the
                # other side of a "from", "than" or "against"
                groups = self._groups([n for n in names if (at := text.find(n)) >= 0
                                       and not _OTHER_SIDE_RE.search(text, max(0, at - 40), at)])
                return _numbered(groups, text) if len(groups) == 1 else frozenset()
            if groups:
                # numbered in that sentence ("Front 21 ... controls the valley. The Office estimates its strength
                # at some 450"): that numbered group
                return _numbered(groups, text)
        return None


def _within(place: str, main: str) -> bool:
    """Return whether a place is, or names, a main place ("india administered kashmir" / "kashmir")."""
    return place == main or f" {main} " in f" {place} " or f" {place} " in f" {main} "


def _join_incidents(uf: _Constrained, records: list[ClaimRecord], member_of: list[int], vecs: list[_Vec],
                    found: list[Incident] = ()) -> None:
    """Join the reports of one quantity of one incident, whatever names their sentences give.

    Dates join only the same day (a ceasefire's start and end are two facts), durations the same
    length, force sizes the same role and subject; casualties the same outcome and role. The
    cannot-links still hold: one voice's figures that cannot both be true, two specific subjects.
    """
    buckets: dict[tuple, dict[int, None]] = defaultdict(dict)
    valued = ("date", "duration")
    # A strength is a group's, not an incident's: one naming no group joins its incident's other
    # strengths only when they name at most one group between them ("It has 2,000 combatants", in a
    # truce story that gives two groups' strengths, is neither's).
    groups_of: dict[int, set[str]] = defaultdict(set)
    perpetrators = lexicon().perpetrators
    for v in vecs:
        if v.incident >= 0 and v.kind == "force_size" and v.fact == STRENGTH:
            groups_of[v.incident].update(v.actors)
    # Casualties and force sizes: the vector says it all, so each is visited once.
    for i, v in enumerate(vecs):
        if v.incident < 0 or v.kind in valued or v.kind not in _INCIDENT_KINDS:
            continue
        extra = (v.subject or "") if v.kind == "force_size" and v.fact == STRENGTH else ""
        if extra and len(groups_of[v.incident]) > 1:
            if not v.actors and extra in perpetrators:
                continue
            # troops and police are the state's: "2,500 extra troops" naming no group join the same
            # incident's other troops naming none, never a group's strength counted in troops
            extra = f"{extra}|{','.join(sorted(v.actors))}"
        buckets[(v.incident, v.kind, v.outcome, v.fact, extra)][i] = None
    # Dates and durations: the value is the claim's own (which vectors take part, read once per vector).
    dated = [v.incident >= 0 and v.kind in valued and v.fact not in UNGROUPED_FACTS for v in vecs]
    weekly: set[tuple] = set()  # the buckets of lengths stated in weeks
    for rec, i in zip(records, member_of):
        if not dated[i]:
            continue
        v = vecs[i]
        c = rec.claim
        if v.kind == "date":
            extra = str(c.date or "")
        else:  # a length in whole days: "one-month" (P1M) and "30-day" (P30D) are one length
            days = duration_days(c.duration)
            extra = str(round(days)) if days is not None else ""
            if extra and _WEEKS_LENGTH_RE.match(str(c.duration or "")):
                weekly.add((v.incident, v.kind, v.outcome, v.fact, extra))
        if extra:
            # A date is the day itself: "the truce ends on December 9" and "it runs until Dec. 9" state
            # one day whatever cue words surround them (two named happenings on one day stay apart below).
            buckets[(v.incident, v.kind, v.outcome, "" if v.kind == "date" else v.fact, extra)][i] = None
    if weekly:
        _weeks_into_days(buckets, weekly)
    _coarse_into_days(buckets, vecs, found)
    find, join, parent = uf.find, uf.join, uf.parent
    for key in sorted(k for k, b in buckets.items() if len(b) > 1):
        members = sorted(buckets[key])
        roots: list[int] = []
        named: list[str] = []  # per root: the happening its dates name ("" while none does)
        for i in members:
            ri = find(i)
            happening = vecs[i].fact if vecs[i].kind == "date" and vecs[i].fact != "?" else ""
            for k, rj in enumerate(roots):
                if parent[rj] != rj:  # (most are roots still: no call to find)
                    rj = roots[k] = find(rj)
                if happening and named[k] and happening != named[k]:
                    continue
                if ri == rj or join(rj, ri, same_incident=not (key[1] == "force_size" and key[3] == STRENGTH)):
                    named[k] = named[k] or happening
                    break
            else:
                roots.append(ri)
                named.append(happening)


def _weeks_into_days(buckets: dict[tuple, dict[int, None]], weekly: set[tuple]) -> None:
    """Move an incident's lengths stated in weeks into the bucket of its one length stated otherwise (in days or
    months) within WEEKS_SLACK of it: a reporter's "four-week pause" is the announced 30-day truce. Left alone
    where two such lengths are near, or a length in weeks also has a bucket of its own stated otherwise."""
    # the other lengths of each (incident, kind, outcome, fact), looked up once: not every bucket per length
    others: dict[tuple, list[tuple]] = defaultdict(list)
    prefixes = {key[:4] for key in weekly}
    for k in buckets:
        if k[1] == "duration" and k[:4] in prefixes and k not in weekly:
            others[k[:4]].append(k)
    for key in sorted(weekly):
        if key not in buckets:
            continue
        days = int(key[4])
        near = [k for k in others.get(key[:4], ())
                if abs(int(k[4]) - days) <= min(WEEKS_SLACK * days, WEEKS_SLACK_DAYS)]
        if len(near) == 1:
            buckets[near[0]].update(buckets.pop(key))


def _coarse_into_days(buckets: dict[tuple, dict[int, None]], vecs: list[_Vec], found: list[Incident]) -> None:
    """Move an incident's attack dates given by month ("the bombing of the ferry terminal in November
    2046") into the bucket of the incident's attack day (the one day its reports agree on): a look back
    names the bombing's date less exactly, it is still its date. Left alone when the incident has no such
    day, or two in that month. A year alone is not moved: a look back at a year names its other attacks
    by it too ("the 2036 Teruvai market bombing", in a piece on the Pallokar attack of that year)."""
    for key in [k for k in buckets if k[1] == "date" and len(k[4]) == 7 and 0 <= k[0] < len(found)]:
        day = [d for d in found[key[0]].days if d.startswith(key[4])]
        into = (key[0], "date", key[2], "", day[0]) if len(day) == 1 else None
        if into not in buckets:
            continue
        for i in [i for i in buckets[key] if vecs[i].fact == "attack"]:
            buckets[into][i] = None
            del buckets[key][i]


def _join_founded(uf: _Constrained, records: list[ClaimRecord], member_of: list[int], vecs: list[_Vec]) -> None:
    """Join the reports of when one armed group began ("an insurgent group founded in 2029", "was founded
    in 2029 by dissident farmers"), whatever incidents their documents report: the same group (the one
    armed group the sentence names) and the same date."""
    buckets: dict[tuple, dict[int, None]] = defaultdict(dict)
    for rec, i in zip(records, member_of):
        v = vecs[i]
        if v.kind == "date" and v.fact == FOUNDING and len(v.actors) == 1 and rec.claim.date:
            buckets[(next(iter(v.actors)), str(rec.claim.date))][i] = None
    for key in sorted(k for k, b in buckets.items() if len(b) > 1):
        first, *rest = sorted(buckets[key])
        for i in rest:
            uf.join(uf.find(first), uf.find(i), same_incident=True)


# The happening keys of a year no name need tell apart: a country's peace deals are few ("the 2053 peace deal").
_UNNAMED_HISTORY = frozenset({TRUCE, "talks"})


def _join_history(uf: _Constrained, records: list[ClaimRecord], member_of: list[int], vecs: list[_Vec],
                  feats: list[Features], feat_of: list[int], cmap: dict[str, str]) -> None:
    """Join the reports of a year in a conflict's history, whatever incidents their documents report ("The ULF
    took up arms in 2049" / "a separatist movement that has fought the army since 2049"; "the 2053 peace
    deal" / "A peace deal signed in 2053"): a bare year before its report's that no incident took, named with
    the same name, or the same peace process; of one happening, or of one and of none the sentence gives."""
    buckets: dict[tuple, dict[int, None]] = defaultdict(dict)
    for rec, i, fi in zip(records, member_of, feat_of):
        v = vecs[i]
        if v.kind != "date" or v.incident >= 0 or v.fact in UNGROUPED_FACTS:
            continue
        year = str(rec.claim.date or "")
        if len(year) != 4 or not year.isdigit() or not rec.published or int(year) >= rec.published.year:
            continue
        for n in {cmap[n] for n in feats[fi].sentence_names if n in cmap}:
            buckets[(year, n)][i] = None
        if v.fact in _UNNAMED_HISTORY:
            buckets[(year, v.fact)][i] = None
    for key in sorted(k for k, b in buckets.items() if len(b) > 1):
        members = sorted(buckets[key])
        said = {vecs[i].fact for i in members} - {"", "?"}
        if len(said) > 1:
            continue  # two happenings of one year ("founded" and "signed"): the name tells neither apart
        first, *rest = members
        for i in rest:
            uf.join(uf.find(first), uf.find(i), same_incident=True)


def _join_strengths(uf: _Constrained, vecs: list[_Vec]) -> None:
    """Join the reports of one armed group's strength, across reports and years, by the group they name.

    Only claims naming exactly one group take part (a sentence naming two could bridge them); the
    cannot-links still hold (subjects, figures far apart, one voice's figures that cannot both hold).
    """
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for i, v in enumerate(vecs):
        if v.kind == "force_size" and v.fact == STRENGTH and len(v.actors) == 1:
            buckets[(v.outcome, next(iter(v.actors)))].append(i)
    find, join, parent = uf.find, uf.join, uf.parent
    for key in sorted(k for k, b in buckets.items() if len(b) > 1):
        roots: list[int] = []
        # A count that names no class ("fewer than 2,000 men", "as many as 1,100") is of the unit the
        # group is usually counted in, not of a part counted in another ("600 recruits", "hundreds of
        # militiamen"): it joins only estimates in that unit.
        classes = Counter(vecs[i].subject for i in buckets[key] if not vecs[i].generic and vecs[i].subject)
        main = {ranked(classes)[0]} if classes else set()
        # Smallest figures first, each trying the few separate estimates made last (the nearest
        # figures, those a cannot-link on the spread spares): a much-reported group would
        # otherwise try every estimate, claim after claim.
        for i in sorted(buckets[key], key=lambda i: (uf.counts[i] or (math.inf,))[0:1] + (i,)):
            ri = find(i)
            generic = vecs[i].generic or not vecs[i].subject
            for k in range(len(roots) - 1, max(len(roots) - STRENGTH_TRIES, 0) - 1, -1):
                rj = roots[k]
                if parent[rj] != rj:  # (most are roots still: no call to find)
                    rj = roots[k] = find(rj)
                if generic and not uf.subjects[rj] <= main:
                    continue
                if not uf.subjects[ri] <= main and not uf.subjects[rj]:
                    continue  # the same the other way round: a part's count never takes the unit-less ones
                # A group's strength is no one place's: where the reports were filed keeps none apart.
                if ri == rj or join(rj, ri, same_incident=True):
                    break
            else:
                roots.append(ri)


def _value_span(kind: str, a: tuple[float, float] | None,
                b: tuple[float, float] | None) -> tuple[bool, tuple[float, float] | None]:
    """Return whether two date or duration spans can be one fact's, and their joined span.

    A date span is (latest first day, earliest last day) over its claims, within DATE_SLACK_DAYS; a
    duration span is (shortest, longest) in days, within DURATION_SPREAD. None is no readable value.
    """
    if a is None or b is None:
        return True, a or b
    if kind == "date":
        out = (max(a[0], b[0]), min(a[1], b[1]))
        return out[0] - out[1] <= DATE_SLACK_DAYS, out
    out = (min(a[0], b[0]), max(a[1], b[1]))
    return out[1] <= DURATION_SPREAD * out[0], out


def _readable(fig: tuple[float, float]) -> tuple[float, float] | None:
    return fig if math.isfinite(fig[0]) and math.isfinite(fig[1]) else None


def _count_span(figures: dict[tuple[int, str], tuple[float, float]]) -> tuple[float, float] | None:
    """Return the smallest and largest finite bound of a claim's figures (None when it has none)."""
    if len(figures) == 1:  # most claims: one figure, no list to build
        lo, hi = next(iter(figures.values()))
        if math.isfinite(lo):
            return ((lo, hi) if lo <= hi else (hi, lo)) if math.isfinite(hi) else (lo, lo)
        return (hi, hi) if math.isfinite(hi) else None
    bounds = [b for lo, hi in figures.values() for b in (lo, hi) if math.isfinite(b)]
    return (min(bounds), max(bounds)) if bounds else None


def _quantity(v: _Vec) -> str:
    """Return what a claim counts, for people: "killed, total", "injured, part: children"."""
    kind = v.kind.replace("_", " ")
    if v.kind == "casualties":
        head = v.outcome or "casualties"
        if v.fact == TOTAL:
            return f"{head}, total"
        if v.fact == ATTACKERS:
            return f"attackers {head}"
        if v.fact == CONDITION:
            return f"{head}, in a stated condition"
        if v.fact.startswith(f"{PART}:@"):
            return f"{head}, part: at {v.fact[len(PART) + 2:].title()}"
        if v.fact.startswith(f"{PART}:"):
            return f"{head}, part: {v.fact[len(PART) + 1:]}"
    if v.kind == "force_size":
        role = {PARTY: "attack party", ABOARD: "people aboard"}.get(v.fact, "strength")
        return f"{kind}, {role}" + (f" of {v.subject}" if v.subject and not v.generic else "")
    fact = v.fact if v.fact not in ("", "?") else ""
    return kind + (f", {fact.split(':', 1)[-1].replace('_', ' ')}" if fact else "")


def _explain(groups: list[list[ClaimRecord]], records: list[ClaimRecord], member_of: list[int],
             vecs: list[_Vec], inc: Incidents, cmap: dict[str, str]) -> Grouping:
    """Return the groups with each group's incident and why each member is in its group."""
    vec_of = {id(r): vecs[i] for r, i in zip(records, member_of)}
    events: list[Incident | None] = []
    reasons: dict[str, str] = {}
    for g in groups:
        vs = [vec_of[id(r)] for r in g]
        counts = Counter(v.incident for v in vs if v.incident >= 0)
        top = sorted(counts.items(), key=lambda t: (-t[1], t[0]))
        event = inc.found[top[0][0]] if top else None
        events.append(event)
        if len(g) == 1:
            v = vs[0]
            where = f"incident - {inc.found[v.incident].label}" if v.incident >= 0 else "no incident found"
            reasons[g[0].fingerprint] = f"alone: {where}; {_quantity(v)}"
            continue
        name_count = Counter(n for v in vs for n in v.names)
        for r, v in zip(g, vs):
            if v.kind == "force_size" and v.fact == STRENGTH and v.actors:
                why = "same armed group - " + ", ".join(sorted(v.actors))
            elif v.incident >= 0 and counts[v.incident] > 1:
                why = f"same incident - {inc.found[v.incident].label}"
            else:
                shared = sorted((n for n in v.names if name_count[n] > 1), key=lambda n: (-name_count[n], n))[:3]
                why = ("same names - " + ", ".join(shared)) if shared else "same event cues"
            reasons[r.fingerprint] = f"grouped because: {why}; same quantity - {_quantity(v)}"
    return Grouping(groups, events, reasons)
