"""Incidents: which real-world event each claim reports, found before any fact is grouped.

Grouping is event first. Documents are clustered into incidents by what
happened, where and when: the names a document keeps returning to (its
headline and the names of two or more of its claim sentences, weighted by
how rare they are in the corpus), its target (school, market, convoy), and
the time of the event (a day the text gives for the attack, else the
publication date, with a tolerance for follow-up reports). Two documents
whose targets differ, whose attack days are more than :data:`DAY_SLACK` apart, or that were published more
than :data:`INCIDENT_DAYS` apart are never one incident.

A claim belongs to its document's incident unless its own sentence places it
elsewhere in time: a year other than the incident's ("the 2014 attack on the
school, which killed 132 children" in a piece of 2024), which is looked up
among the incidents of that year by the names the sentence gives, or a span
of a year or more ("over the last 14 years"), which is background, no event -- unless the claim
names a year of its own ("attacks over the last 14 years, including the attack on a school in
Peshawar which killed 132 children in 2014"): that year's incident is looked up first.

A document that reports two attacks as its news (a situation update or round-up giving each attack's
day and toll) joins no incident as a whole: each of its sentences goes to the attack its own day, or
the dated sentence before it, tells of. A truce's story has no attack of its own: every attack it
dates is one it recalls.

Inside an incident, :func:`claims.compare.grouping.group_claims` joins the
reports of one quantity (killed, total / injured / children killed / attackers
...) even when their sentences share no name with each other.

Everything is deterministic: documents and pairs are visited in id order and
ties broken by ids.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain
from typing import Iterable, Sequence

import numpy as np

from claims.compare.facts import FOUNDING, STATEMENT, TRUCE
from claims.compare.features import (RELATIVE_REACH, Cues, Features, _headline_cues, _town_like, elapsed_before, lexicon,
                                     norm_name, relative_perfect, text_cues)

# Documents published this many days apart can still report one incident (a toll revised a
# week later); further apart, only a year stated in the text links a report to an event.
INCIDENT_DAYS = 10
# A truce's stories (the deal, its first days, the talks on extending it) can be this many days apart: a
# truce is news for as long as it lasts, an attack for the days after it.
TRUCE_DAYS = 45
# Share of the smaller document's evidence (salient names, target, attack day) two documents
# must have in common.
INCIDENT_MATCH = 0.5
# Evidence weights beside the names' (log inverse document frequency): a target, an attack day.
SITE_WEIGHT = 1.0
DAY_WEIGHT = 2.0
# A document is read through at most this many of its salient names (its headline's first).
SALIENT_NAMES = 8
# A claim whose own sentence names another year joins an incident of that year only when this
# weighted share of its sentence's names belong to that incident.
CLAIM_MATCH = 0.5
# A document that gives two attacks' tolls, each dated within this many days before it was published, reports
# both as its news (a quarterly update: "On 14 October ... killed 34 people" / "On 6 December ... killed 21").
REPORTING_DAYS = 92
# An event that lasts (a siege, a standoff) can be begun this many days before the day its reports give.
LASTING_DAYS = 7
# Durations of this many days or more in a claim's sentence make it background ("over 14 years").
BACKGROUND_DAYS = 365.0
# How much of each document's opening reads as its headline and lede (title, dateline, first sentences).
LEAD_CHARS = 400


@dataclass(frozen=True, slots=True)
class Incident:
    """One real-world event: the documents that report it, named for people to read."""

    id: int                  # the lowest id of its documents: stable as documents are added
    label: str               # "Kestrel Ford · market · 13 May 2031"
    year: int | None
    documents: tuple[int, ...]
    span: tuple[int, int] | None = None      # first and last publication day (ordinals), None: undated
    sites: frozenset[str] = frozenset()
    days: frozenset[str] = frozenset()


def compatible(a: Incident, b: Incident) -> bool:
    """Return whether two incidents could be one event: targets, attack days and dates do not conflict.

    Document clustering needs positive evidence to join two documents; a claim that matches
    reports of another incident word for word may still join them when nothing tells them apart.
    """
    if a.id == b.id:
        return True
    if a.sites and b.sites and not (a.sites & b.sites):
        return False
    if a.days and b.days and not days_meet(a.days, b.days):
        return False
    if a.span and b.span and max(a.span[1], b.span[1]) - min(a.span[0], b.span[0]) > INCIDENT_DAYS:
        return False
    return True


# Attack days this far apart can be one attack: an overnight raid is "late on Tuesday" to one outlet
# and "early on Wednesday" to another.
DAY_SLACK = 1


def days_meet(a: frozenset[str], b: frozenset[str]) -> bool:
    """Return whether two sets of attack days (ISO dates) can be one attack's: they share a day, or all
    their days lie within DAY_SLACK of each other (so Tuesday, Wednesday, Thursday never chain)."""
    if not a.isdisjoint(b):
        return True
    # (a day in both would count once or twice alike: the sets need not be merged)
    days = [_ordinal(x) for x in chain(a, b)]
    return max(days) - min(days) <= DAY_SLACK


def days_near(a: frozenset[str], b: frozenset[str]) -> bool:
    """Return whether some day of ``a`` lies within DAY_SLACK of some day of ``b`` (an overnight raid
    is dated to either night). Any pair, not all: a group's days only widen as it grows, so reports of
    one night and the next join in whatever order they come."""
    return bool(a & b) or any(abs(_ordinal(x) - _ordinal(y)) <= DAY_SLACK for x in a for y in b)


@functools.lru_cache(maxsize=10_000)
def _ordinal(day: str) -> int:
    return dt.date.fromisoformat(day).toordinal()


@functools.lru_cache(maxsize=10_000)
def _calendar_day(day: str) -> bool:
    """Return whether an ISO day or month ("2014-12-16", "2014-12") is one of the calendar."""
    try:
        dt.date.fromisoformat(day if len(day) == 10 else f"{day}-01")
    except ValueError:
        return False
    return True


@dataclass(slots=True)
class _Doc:
    id: int
    published: dt.date | None
    salient: tuple[str, ...]
    weight: float
    sites: frozenset[str]
    kinds: frozenset[str]
    days: frozenset[str]      # days the text gives for the attack ("on Tuesday" resolved)
    places: tuple[str, ...]
    violent: bool | None = None  # the headline names only violence (True), only a truce (False), or neither/both
    months: frozenset[str] = frozenset()  # months the text gives for the attack, when it gives no day
    disaster: bool = False  # the headline names a disaster or accident ("Ferry capsizes on the Lanuvo")


class _Docs:
    """Union-find over documents whose roots carry the cannot-links: sites, attack days, dates."""

    def __init__(self, docs: list[_Doc]):
        self.parent = list(range(len(docs)))
        self.sites = [d.sites for d in docs]
        self.days = [d.days for d in docs]
        self.span = [(d.published, d.published) if d.published else None for d in docs]
        self.violent = [d.violent for d in docs]
        self.months = [d.months for d in docs]

    def find(self, x: int) -> int:
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def join(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.sites[ra] and self.sites[rb] and not (self.sites[ra] & self.sites[rb]):
            return False
        if self.days[ra] and self.days[rb] and not days_meet(self.days[ra], self.days[rb]):
            return False
        va, vb = self.violent[ra], self.violent[rb]
        if va is not None and vb is not None and va != vb:
            return False  # "Truce agreed" is not the bombing its story recalls, however many names they share
        sa, sb = self.span[ra], self.span[rb]
        span = sa if sb is None else sb if sa is None else (min(sa[0], sb[0]), max(sa[1], sb[1]))
        reach = TRUCE_DAYS if va is False and vb is False else INCIDENT_DAYS
        if span is not None and (span[1] - span[0]).days > reach:
            # Published far apart, one attack day in both: a later look back at the event ("on the
            # night of 15 April 2031, gunmen rode into ..."). The event's span stays that of its
            # first reports, so the look back widens nothing for the documents still to come.
            if not (self.days[ra] & self.days[rb] or self._in_month(ra, rb) or self._in_month(rb, ra)):
                return False
            span = sa if sa[0] <= sb[0] else sb
        if ra > rb:
            ra, rb = rb, ra
        self.parent[rb] = ra
        # The targets every joined report allows: a round-up naming the bus station and the market
        # joins one of the two bombings, and cannot then carry the other one's reports in with it.
        sa_, sb_ = self.sites[ra], self.sites[rb]
        self.sites[ra] = (sa_ & sb_) if sa_ and sb_ else (sa_ or sb_)
        # The same for attack days: a report that also dates another attack ("Thursday's market bombing
        # ... Tuesday's attack on the bus station") keeps only the day it shares.
        da, db = self.days[ra], self.days[rb]
        self.days[ra] = (da & db) or (da | db)
        self.span[ra] = span
        self.violent[ra] = va if va is not None else vb
        self.months[ra] = frozenset() if self.days[ra] else self.months[ra] | self.months[rb]
        return True

    def _in_month(self, a: int, b: int) -> bool:
        """Whether root ``a`` dates its attack by month alone ("the May 2021 massacre", five years on) and
        root ``b``'s attack days fall in one of those months."""
        return bool(self.months[a]) and not self.days[a] and any(day[:7] in self.months[a] for day in self.days[b])


@dataclass(slots=True)
class Incidents:
    """What :func:`find_incidents` found: per record, the index of its incident in ``found`` (-1: none)."""

    of_record: list[int]
    found: list[Incident]
    main_places: list[frozenset[str]]   # per incident: places its headlines or two of its documents name
    # (document, sentence) -> the attack days the sentence gives ("The death toll from the attack in Upland
    # Rise on March 26 rose to 59"): outside one incident, its counts are of that day's attack
    sentence_days: dict[tuple[int, str], frozenset[str]] = field(default_factory=dict)


def find_incidents(records: Sequence, feats: list[Features], feat_of: list[int], canon: list[frozenset[str]],
                   canon_places: list[frozenset[str]], cmap: dict[str, str], df: Counter[str],
                   weight: dict[str, float], common: float, background: set[tuple[int, str]], *,
                   display: dict[str, str] | None = None, leads: dict[int, str] | None = None,
                   labels: bool = True) -> Incidents:
    """Cluster the records' documents into incidents and place each record in one (or none).

    ``labels``: name each incident for people (grouping alone does not need it).
    ``canon``: per feature, its canonical names (sentence and headline); ``background``: (document
    id, sentence) pairs whose sentence states a span of a year or more; ``leads``: document id ->
    the opening of its text (headline and first lines), read like a headline.
    """
    leads = leads or {}
    lex = lexicon()
    known = set(weight)
    doc_feats: dict[int, set[int]] = {}
    inner: dict[str, list[str]] = {}
    doc_meta: dict[int, tuple] = {}
    days: dict[int, list[tuple[int, str]]] = defaultdict(list)  # document -> (offset, attack day)
    months: dict[int, list[tuple[int, str]]] = defaultdict(list)  # document -> (offset, attack month "2021-05")
    years: dict[int, list[tuple[int, str]]] = defaultdict(list)   # document -> (offset, attack year "2021")
    sentence_days: dict[tuple[int, str], frozenset[str]] = {}
    first: dict[int, tuple[int, int]] = {}
    attack_dates = {i for i, f in enumerate(feats) if f.kind == "date" and f.fact == "attack"}
    unnamed_dates = {i for i, f in enumerate(feats) if f.kind == "date" and f.fact == "?"}
    for r, fi in zip(records, feat_of):
        d = r.document_id
        c = r.claim
        got = first.get(d)
        if got is None:
            doc_meta[d] = (r.published, r.title or "")
            first[d] = (c.start, fi)
            doc_feats[d] = {fi}
        else:
            doc_feats[d].add(fi)
            if c.start < got[0]:
                first[d] = (c.start, fi)
        if c.date and len(str(c.date)) in (7, 10) and not _calendar_day(str(c.date)):
            continue  # a corrected value that reads as no day ("2014-13-40") dates nothing
        if c.date and len(str(c.date)) == 10 and (fi in attack_dates or (fi in unnamed_dates and _looks_back(r))):
            days[d].append((c.start, str(c.date)))
            if fi in attack_dates:
                key = (d, c.sentence or "")
                sentence_days[key] = sentence_days.get(key, frozenset()) | {str(c.date)}
        elif c.date and len(str(c.date)) == 7 and fi in attack_dates:
            months[d].append((c.start, str(c.date)))  # "The May 2021 massacre": a look back may give only the month
        elif c.date and len(str(c.date)) == 4 and fi in attack_dates:
            years[d].append((c.start, str(c.date)))  # "the 2046 ferry-terminal bombing"
    # Sentences that give a toll: a later attack day in one is a second attack the document reports ("29
    # people killed and 63 injured in a suicide bombing at Qasr Anwal bus station on 18 March", in an
    # update that opens with the market bombing of 14 March), not what followed its own.
    tolled = {(r.document_id, r.claim.sentence) for r, fi in zip(records, feat_of)
              if r.claim.sentence and feats[fi].kind == "casualties"}
    several, reviews = _several(tolled, sentence_days, doc_meta, _previous_sentences(records, tolled, sentence_days))
    docs: list[_Doc] = []
    for d in sorted(doc_feats):
        published, title = doc_meta[d]
        count = Counter(chain.from_iterable(canon[fi] for fi in doc_feats[d]))  # counted in C, in one call
        head = _headline_cues(title) if title else None
        head_names = [cmap[n] for n in (head.reliable + head.weak if head else ()) if n in cmap]
        lead = leads.get(d)
        lead_c = lead_cues(lead) if lead else None
        if lead_c:
            head_names += [cmap[n] for n in lead_c.reliable if n in cmap]
        count.update(head_names)
        for n in list(count):
            # "Jammu and Kashmir", "India-administered Kashmir": each names Kashmir too
            parts = inner.get(n)
            if parts is None:
                parts = inner[n] = _inner_names(n, known)
            for part in parts:
                count[part] += count[n]
                if n in head_names:
                    head_names.append(part)
        lede = canon[first[d][1]]
        # A name no other document gives cannot match anything; one most documents give tells none apart.
        ranked = sorted((n for n in count if 2 <= df.get(n, 1) <= common
                         and (n in head_names or n in lede or count[n] >= 2)),
                        key=lambda n: (n not in head_names, -count[n] * weight.get(n, 1.0), n))
        salient = tuple(ranked[:SALIENT_NAMES])
        weight_of = lambda n: weight.get(n, 1.0)
        lede_f = feats[first[d][1]]
        sites = head.sites if head and head.sites else lede_f.sites
        kinds = (head.kinds if head else frozenset()) | lede_f.kinds
        if lead_c:
            sites = sites or lead_c.sites
            kinds = kinds | lead_c.kinds
        # A place most documents name (the country of a dateline, "MESTROVO, Velandra") tells no
        # incident from another: a sentence naming it is no report of the incident that happens to
        # list it first.
        # A town its opening names as one ("in the northern Velandran town of Sarnavi") comes first: a
        # headline may name only the country ("Market blast kills 22 in Velandra").
        places = tuple(p for p in dict.fromkeys([cmap[n] for n in (head.settled if head else ()) if n in cmap]
                                                + [cmap[n] for n in (lead_c.settled if lead_c else ()) if n in cmap]
                                                + [cmap[n] for n in (head.places if head else ()) if n in cmap]
                                                + [cmap[n] for n in (lead_c.places if lead_c else ()) if n in cmap]
                                                + sorted(canon_places[first[d][1]]))
                       if df.get(p, 0) <= common)
        head_text = title or (_LEAD_SPLIT_RE.split(lead.lstrip(), 1)[0] if lead else "")
        headline = head if head else (text_cues(head_text, True) if lead else None)
        violent = {lex.violent[k] for k in (headline.kinds if headline else ()) if k in lex.violent}
        if violent == {False} and lex.toll_re.search(head_text):
            # "Seven killed as mortar rounds hit evacuation centre; truce in doubt" reports the attack, not
            # only the truce: a headline that gives a toll is violence's too
            violent.add(True)
        # A truce's story dates the attacks it recalls, not an attack of its own.
        day_set = frozenset() if violent == {False} else _own_days(days.get(d, ()), _lede_end(lead))
        month_set = frozenset() if day_set or violent == {False} else _own_months(months.get(d, ()), years.get(d, ()),
                                                                                  _lede_end(lead))
        if d in reviews:
            # a review of three attacks is one attack's report only when its headline tells of one, by its
            # target or its toll ("Political Violence in Quenara: Annual Report" tells of none)
            if headline and (headline.sites or lex.toll_re.search(head_text)):
                several.discard(d)
            else:
                salient, sites, day_set, month_set = (), frozenset(), frozenset(), frozenset()
        elif d in several and (len(violent) == 1 or (day_set and _one_story(headline, lead, cmap))):
            # a headline that tells of one attack ("Tarrow market bombing: death toll rises to 20") is that
            # attack's report, whatever other it recalls; a truce's story reports the truce. So is a
            # headline naming one place and no attack ("A week on, Port Iravan buries its dead") over an
            # opening that dates the attack: a round-up's headline names several ("Bukalasan mourns,
            # landslide buries Karuvan homes") or none ("The week in brief").
            several.discard(d)
        elif d in several:
            # A round-up or situation update that tells two attacks of its days, each with its toll, is the
            # report of neither: it joins no incident as a whole; each of its sentences is placed on its own.
            salient, sites, day_set, month_set = (), frozenset(), frozenset(), frozenset()
        total = sum(weight_of(n) for n in salient) + SITE_WEIGHT * len(sites) \
            + DAY_WEIGHT * (len(day_set) + len(month_set))
        docs.append(_Doc(d, published, salient, total, frozenset(sites), frozenset(kinds), day_set, places,
                         violent.pop() if len(violent) == 1 else None, month_set,
                         bool(headline and headline.kinds & lex.accidental)))

    uf = _Docs(docs)
    for _, a, b in _doc_pairs(docs, weight):
        uf.join(a, b)
    members: dict[int, list[int]] = defaultdict(list)
    for k in range(len(docs)):
        members[uf.find(k)].append(k)
    found: list[Incident] = []
    main_places: list[frozenset[str]] = []
    of_doc: dict[int, int] = {}
    names_of: list[Counter[str]] = []
    roots = sorted(members)
    # Where each incident happened: the place each of its reports names first, and a place two of
    # them name unless it is where another incident happened ("the same cell behind Tuesday's
    # attack in Quellan", in two reports of the Tarrow bombing, does not make Quellan a Tarrow place).
    # Who gives the figures is no place to name an incident by ("Abu Harith Malingkat · attack", for a round-up
    # whose only names are the people it quotes).
    speakers = {cmap.get(s, norm_name(s)) for s in {r.claim.attributed_to for r in records} if s} if labels else set()
    heads_of = [Counter(docs[k].places[0] for k in members[root] if docs[k].places) for root in roots]
    any_head = Counter(p for heads in heads_of for p in heads)
    # ... nor one that other incidents' reports name too (the country in every headline)
    named_in = Counter(chain.from_iterable({n for k in members[root] for n in chain(docs[k].salient, docs[k].places)}
                                           for root in roots))
    for root, heads in zip(roots, heads_of):
        ks = members[root]
        ids = tuple(docs[k].id for k in ks)
        for k in ks:
            of_doc[docs[k].id] = len(found)
        places = Counter(p for k in ks for p in docs[k].places)
        # (a round-up that tells two attacks is no report of either: where it is datelined is where no
        # incident of its own happened)
        main = frozenset() if all(docs[k].id in several for k in ks) else frozenset(
            p for p, n in places.items() if p in heads or (n >= 2 and not any_head[p] and named_in[p] == 1))
        names: Counter[str] = Counter(n for k in ks for n in docs[k].salient)
        dates = sorted(docs[k].published for k in ks if docs[k].published)
        news = uf.span[root]  # its first reports' publication days (a later look back left out)
        day = sorted(uf.days[root])  # the days its reports agree on
        year = int(day[0][:4]) if day else (dates[0].year if dates else None)
        label = _label(ks, docs, heads or places, Counter({n: c for n, c in names.items() if n not in speakers}),
                       day, dates, display or {}) if labels else ""
        found.append(Incident(ids[0], label, year, ids,
                              (news[0].toordinal(), news[1].toordinal()) if news else None,
                              uf.sites[root], frozenset(day)))
        main_places.append(main)
        names_of.append(names)

    by_year_name: dict[tuple[int, str], list[int]] = defaultdict(list)
    for i, (inc, names) in enumerate(zip(found, names_of)):
        if inc.year is not None:
            for n in names:
                by_year_name[(inc.year, n)].append(i)
    # Where a sentence's own year places it depends on that year and the sentence's names alone: the
    # claims of one sentence, and its wire copies, are looked up once.
    year_memo: dict[tuple[int, tuple[str, ...]], int] = {}
    # Sentences whose attack date falls in an earlier year than their document ("six years ago", "last
    # year's attack"): that year dates the sentence's other claims too.
    hinted: dict[tuple[int, str], int] = {}
    # Sentences that date only another attack than their document's ("Fighting has intensified since
    # the bombing of Olmark bus station on April 14, which killed 23 people", in a report of a clash on
    # 2 May): that day tells whose the sentence's other claims are.
    recalled: dict[tuple[int, str], set[str]] = defaultdict(set)
    recalled_at: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)  # ... and where each stands
    own_day: set[tuple[int, str]] = set()
    truce_docs = {doc.id for doc in docs if doc.violent is False}
    for r, fi in zip(records, feat_of):
        day = str(r.claim.date or "")
        if (fi in attack_dates or fi in unnamed_dates and _looks_back(r)) and r.published and day[:4].isdigit() \
                and (len(day) == 4 or _calendar_day(day)):
            # (the dates that date its document's attack: see ``days`` above)
            key = (r.document_id, r.claim.sentence or "")
            year = int(str(r.claim.date)[:4])
            at = max(0, r.claim.sentence.find(r.claim.quote)) if r.claim.sentence else 0
            if year < r.published.year and not (r.claim.sentence and (
                    elapsed_before(r.claim.sentence, 0, at)
                    or relative_perfect(r.claim.sentence, max(0, at - RELATIVE_REACH), at))):
                # (not "kills nine, four years after deadly 2016 attack": that year is the earlier event's; nor
                # "blaming the FRK, an armed group that has fought the army since 2039": the group's)
                hinted.setdefault(key, year)
            own = found[of_doc[r.document_id]].days
            if not own and truce_docs and r.document_id in truce_docs and len(day) in (7, 10) and day < str(r.published):
                # a truce's story has no attack of its own: an attack it dates ("which claimed a market bombing
                # in the town of Teruvai in December that killed 21 people") is one it recalls
                recalled[key].add(day)
                recalled_at[key].append((at, day))
            elif own and len(day) in (7, 10):
                if _meets(own, day):
                    own_day.add(key)
                elif day < min(own)[:len(day)] or len(day) == 10 and (
                        r.published.toordinal() - _ordinal(day) > INCIDENT_DAYS or key in tolled) or len(day) == 7 and (
                        r.published.toordinal() - _ordinal(f"{day}-28") > INCIDENT_DAYS):
                    # an earlier attack (a day, or a month: "killed in a single ambush there in
                    # August"), or, in a look back published long after both, a later one ("On August 2,
                    # 2021, the same tactics left 23 dead in Ngassou" in a piece on the May attack); a
                    # later day near its report's publication dates what followed it ("On Thursday, the
                    # anniversary of the attack, ..."); a later month long before it, another attack ("Since
                    # the Tolosi ambush, which killed 12 soldiers and two civilians in September 2042", in a
                    # look back at the church massacre of August 2042)
                    recalled[key].add(day)
                    recalled_at[key].append((at, day))
    day_hint = {key: frozenset(ds) for key, ds in recalled.items() if key not in own_day}
    day_memo: dict[tuple, int] = {}  # (days, sentence names, match) -> incident
    by_day = _ByDay(found) if day_hint or several or recalled else None

    def on_day(ds: frozenset[str], names: tuple[str, ...], match: float = CLAIM_MATCH, lasting: bool = False) -> int:
        """_by_day, once per (days, sentence names, match, lasting)."""
        got = day_memo.get((ds, names, match, lasting))
        if got is None:
            got = day_memo[(ds, names, match, lasting)] = _by_day(names, ds, cmap, weight, df, common, by_day,
                                                                  names_of, match=match, lasting=lasting)
        return got
    def on_target(ds: frozenset[str], sites: frozenset[str]) -> int:
        """The one incident on one of ``ds`` at one of ``sites`` (-1: none, or two), once per (days, sites)."""
        got = day_memo.get((ds, sites))
        if got is None:
            at = [i for i in by_day.meeting(ds) if found[i].sites & sites]
            got = day_memo[(ds, sites)] = at[0] if len(at) == 1 else -1
        return got
    # Where each incident happened, for a clause that tells of another incident ("two days after a raid
    # on nearby Dalamba killed at least 31" in a report of a raid on Tombali).
    place_inc: dict[str, list[tuple[int, int]]] = defaultdict(list)  # place -> (first report day, incident), sorted
    for i, main in enumerate(main_places):
        if found[i].span:
            for p in main:
                place_inc[p].append((found[i].span[0], i))
    for lst in place_inc.values():
        lst.sort()
    elsewhere_memo: dict[tuple, int] = {}

    def told_elsewhere(r, fi: int, inc: int) -> int:
        """_told_elsewhere, once per (feature, incident, quote)."""
        key = (fi, inc, r.claim.quote)
        got = elsewhere_memo.get(key)
        if got is None:
            got = elsewhere_memo[key] = _told_elsewhere(r, feats[fi], inc, cmap, place_inc, main_places, found)
        return got
    long_ago_memo: dict[tuple, int] = {}
    other_memo: dict[tuple[int, int], bool] = {}  # does a sentence name where another incident happened
    placed_memo: dict[int, frozenset[str]] = {}    # per feature, the incidents' places its sentence names

    def placed_of(fi: int) -> frozenset[str]:
        """The places of incidents a feature's sentence (or headline) names, once per feature."""
        got = placed_memo.get(fi)
        if got is None:
            got = placed_memo[fi] = canon[fi] & all_places
        return got
    all_places = frozenset(place_inc)
    multi = len(place_inc) > 1
    stated = [f.year if f.year_stated else None for f in feats]
    # Per sentence, where its dates of statements end and the years they give; None when one of its dates
    # dates anything but a statement.
    said_years: dict[tuple[int, str], list[tuple[int, int]] | None] = {}
    for r, fi in zip(records, feat_of):
        f = feats[fi]
        if f.kind == "date" and f.year is not None and r.claim.date:  # (a date's year is its own)
            key = (r.document_id, r.claim.sentence or "")
            at = key[1].find(r.claim.quote) if r.claim.quote else -1
            if f.fact == STATEMENT and at >= 0:
                if said_years.get(key, []) is not None:
                    said_years.setdefault(key, []).append((f.year, at + len(r.claim.quote)))
            else:
                said_years[key] = None
    event_dates = [f.kind == "date" and f.fact != FOUNDING for f in feats]
    year_of = [inc.year for inc in found]
    background_docs = {d for d, _ in background}
    doc_violent = {doc.id: doc.violent for doc in docs}
    disaster_docs = {doc.id for doc in docs if doc.disaster}
    accidental, violence = lex.accidental, lex.violent
    separate = lexicon().separate
    separate_memo: dict[str, bool] = {}
    of_record: list[int] = []
    append = of_record.append
    last_day: dict[int, int | None] = {}

    def look_back(inc: int, published: int) -> bool:
        """Whether a document published on that day looks back at its incident: all its attack days lie
        more than REPORTING_DAYS before."""
        last = last_day.get(inc, 0)
        if last == 0:  # (its days are calendar days: see _calendar_day)
            last = last_day[inc] = max(map(_ordinal, found[inc].days)) if found[inc].days else None
        return last is not None and published - last > REPORTING_DAYS
    disastrous: set[tuple[int, str]] = set()  # (document, sentence) telling a disaster, not the incident
    # The truces: incidents one of whose reports is a truce's story, each with its first report's day.
    truces = sorted((found[i].span[0], i) for i in range(len(found))
                    if found[i].span and any(doc in truce_docs for doc in found[i].documents))
    truce_incidents = {i for _, i in truces}
    # Sentences that date a truce long before their story: in a truce's story, its days (its start, its signing);
    # in another story, the earliest (a month: its first) ("The 30-day truce of December 2057 ... was extended
    # twice", in a look back of March 2058). One pass over the records for both.
    truce_back: dict[tuple[int, str], frozenset[str]] = {}
    truce_dated: dict[tuple[int, str], int] = {}
    if truces:
        back: dict[tuple[int, str], set[str]] = defaultdict(set)
        for r, fi in zip(records, feat_of):
            f = feats[fi]
            day = str(r.claim.date or "")
            if f.kind != "date" or f.fact not in _TRUCE_DATED or len(day) not in (7, 10) or not r.published \
                    or not r.claim.sentence or not _calendar_day(day):
                continue
            key = (r.document_id, r.claim.sentence)
            first = _ordinal(day if len(day) == 10 else f"{day}-01")
            if r.published.toordinal() - first <= TRUCE_DAYS:
                continue
            if r.document_id in truce_docs:
                if len(day) == 10:
                    back[key].add(day)
            elif first < truce_dated.get(key, first + 1):
                truce_dated[key] = first
        truce_back = {k: frozenset(v) for k, v in back.items()}
    truce_memo: dict[tuple, int] = {}
    for r, fi in zip(records, feat_of):
        d = r.document_id
        inc = of_doc[d]
        sentence = r.claim.sentence or ""
        if feats[fi].fact == FOUNDING and feats[fi].kind == "date":
            # when a group took up arms ("the insurgent movement founded in 2009") is the group's, not the
            # incident its report is about: it meets the other reports of it by the group's name
            append(-1)
            continue
        if truce_back and feats[fi].fact == TRUCE and inc in truce_incidents:
            # A truce story long after ("The 30-day truce agreed on 22 March took effect on 1 April", in an
            # analysis of June) tells of the truce of the days its sentence gives: the one first reported then.
            ds = truce_back.get((d, sentence))
            if ds is not None:
                key = (fi, ds)
                got = truce_memo.get(key)
                if got is None:
                    got = truce_memo[key] = _truce_of_days(feats[fi], ds, truces, found, names_of, cmap, inc)
                append(got)
                continue
        if truces and feats[fi].fact == TRUCE and inc not in truce_incidents:
            # A truce's length or start told in another story ("The attack occurred on day 18 of the 30-day
            # ceasefire between the government and the DLF"; a round-up's "the month-long truce, which
            # expires on April 1") is the truce's figure, not its document's incident's.
            key = (fi, r.published, inc)
            got = truce_memo.get(key)
            if got is None:
                got = truce_memo[key] = _truce_told(r, feats[fi], truces, found, names_of, cmap,
                                                    names_of[inc].keys() if inc >= 0 else ())
            first = truce_dated.get((d, sentence)) if got < 0 else None
            if first is not None:
                # dated long before its story: the truce first reported nearest that day (announced up to
                # TRUCE_DAYS before it starts), named as the sentence's names or (naming none) its story's
                own = {cmap[n] for n in feats[fi].sentence_names if n in cmap} or set(names_of[inc])
                near = [(abs(day - first), day, i) for day, i in truces
                        if first - TRUCE_DAYS <= day <= first + REPORTING_DAYS and own & names_of[i].keys()]
                got = min(near)[2] if near else -1
            append(got)
            continue
        if recalled and feats[fi].kind == "date" and str(r.claim.date) in recalled.get((d, sentence), ()):
            # A date dates itself, in the clause that gives it: "the killing of 14 villagers in Las Tunillas in
            # November 2052; Front 12 attacked the base on 22 May" gives two attacks' dates, November's is the
            # first's, whichever attack the sentence's other claims are placed in.
            got = on_day(frozenset((str(r.claim.date),)), _clause_names(sentence, r.claim.quote or "",
                                                                         feats[fi].sentence_names))
            if got >= 0:
                append(got)
                continue
        # A year of its own first: "attacks over the last 14 years, including the attack on a school in
        # Peshawar which killed 132 children in 2014" is background, but its clause names one event.
        y = stated[fi]
        if y is not None and said_years.get((d, sentence)) and _said_that(said_years[(d, sentence)], y, sentence,
                                                                          r.claim.quote or ""):
            # a year that dates only when something was said, of what it said ("An inquiry published in 2048
            # found that troops killed eight of the attackers"; "The army said in 2032 that it had fewer than
            # 2,000 fighters") dates no event
            y = None
        if y is None and event_dates[fi] and year_of[inc] is not None:
            # a date of an earlier year than its incident's dates another happening ("a separatist movement that
            # has fought government forces on and off since 2049", in a report of a 2057 ambush)
            dy = r.claim.date and str(r.claim.date)[:4]
            if dy and dy.isdigit() and int(dy) < year_of[inc]:
                y = int(dy)
        if y is None and hinted:
            # "Six years ago, gunmen stormed the school, killing 141": the year its attack date gives
            y = hinted.get((d, sentence))
            if y is not None and feats[fi].kind == "date" and r.claim.date and str(r.claim.date)[:4] != str(y):
                # a date dates itself: in "Tuesday's attack was the deadliest since a bombing in Kesmarin killed
                # 19 people in 2033", Tuesday is this year's
                y = None
            ds = day_hint.get((d, sentence)) if y is not None and day_hint else None
            if ds is not None:
                # the day or month the same date gives tells more than its year ("which claimed a market
                # bombing in the town of Teruvai in December": December's attack, not the year's other one)
                got = on_day(ds, feats[fi].sentence_names)
                if got >= 0:
                    append(got)
                    continue
        if y is not None and d in reviews and (d, sentence) in sentence_days:
            y = None  # in a review, the day a sentence gives tells its attack better than its year (below)
        if y is not None and y != year_of[inc]:
            names = feats[fi].sentence_names
            if multi and len(names) > 1 and sentence:
                # the names of the figure's own clause first, when it has some: in "The ambush near Kesh in
                # May 2046 killed 12 soldiers, and its raid on the town of Orsk in March of that year killed 23
                # people", 23 is Orsk's toll, whichever incident the sentence's names fit best
                names = _own_clause_names(sentence, r.claim.quote or "", names) or names
            got = year_memo.get((y, names))
            if got is None:
                got = year_memo[(y, names)] = _by_names(y, names, cmap, weight, df, common, by_year_name, names_of)
            if got < 0 and names != feats[fi].sentence_names:
                got = year_memo.get((y, feats[fi].sentence_names))
                if got is None:
                    got = year_memo[(y, feats[fi].sentence_names)] = _by_names(
                        y, feats[fi].sentence_names, cmap, weight, df, common, by_year_name, names_of)
            if got < 0 and sentence:
                # the names of the phrase the year dates, up to the figure, when the sentence's others are
                # another event's ("The Sibaro ambush was the deadliest attack since the November 2046
                # ferry-terminal bombing in Port Iravan, which killed 31 people": Port Iravan's, of 2046)
                dated = _dated_names(sentence, r.claim.quote or "", y, feats[fi].sentence_names)
                if dated and dated != feats[fi].sentence_names:
                    got = year_memo.get((y, dated))
                    if got is None:
                        got = year_memo[(y, dated)] = _by_names(y, dated, cmap, weight, df, common, by_year_name,
                                                                names_of)
            append(got)
            continue
        if d in several and (d, sentence) in sentence_days:
            # the day the sentence gives tells which attack of its report it is: one name of it will do
            got = on_day(sentence_days[(d, sentence)], feats[fi].sentence_names, match=0.0)
            if got >= 0 and multi and feats[fi].kind in _TOLD_KINDS and feats[fi].sentence_names:
                # unless the figure's own clause tells of another attack ("... killed 29 people at a bus
                # station in Qasr Anwal on March 18, four days after a market bombing in Umm Deffar killed 34")
                got = told_elsewhere(r, fi, got)
            append(got)
            continue
        if day_hint:
            ds = day_hint.get((d, sentence))
            if ds is not None:
                names = feats[fi].sentence_names
                if len(ds) > 1:
                    # two attacks recalled in one sentence, each in its own phrase ("blamed for the June bombing of
                    # a bus in Varn that killed 23 people and for a five-day siege of Dunmore in September"): the
                    # day and the names of the figure's phrase
                    part = _phrase(sentence, r.claim.quote or "")
                    if part is not None:
                        own_ds = frozenset(x for at, x in recalled_at[(d, sentence)] if part[0] <= at < part[1])
                        if own_ds:
                            ds = own_ds
                            names = tuple(n for n in names if n in sentence[part[0]:part[1]]) or names
                got = on_day(ds, names)
                if got < 0 and feats[fi].sites and not any(cmap.get(n) in all_places for n in feats[fi].sentence_names):
                    # naming no place, the target tells ("Its deadliest attack this year came in March, when
                    # its fighters killed 16 people in an ambush on a highway checkpoint"): the one incident of
                    # those days at that target
                    got = on_target(ds, feats[fi].sites)
                if got < 0 and feats[fi].kind == "date":
                    # an event that lasts is begun days before it ends: a day up to LASTING_DAYS before an
                    # incident's ("stormed the town before dawn on Monday", in the report of a siege ended on
                    # Friday) is its start, when the sentence's names are that incident's
                    got = on_day(ds, names, lasting=True)
                append(got)
                continue
        if d in background_docs and (d, sentence) in background:
            append(-1)
            continue
        f = feats[fi]
        if f.kinds and not f.kinds.isdisjoint(accidental) and not any(violence.get(k) for k in f.kinds) \
                and (doc_violent.get(d) or d not in disaster_docs):
            # "Cyclone Irma has killed 17 people on the island of Sorel", in a round-up headlined with a
            # bombing, or with no disaster ("The week in brief"): a disaster, not the incident's
            disastrous.add((d, sentence))
            append(-1)
            continue
        sep = separate_memo.get(sentence)
        if sep is None:
            sep = separate_memo[sentence] = bool(separate.match(sentence))
        if sep:  # "In a separate attack on the same day, ...": not the report's incident
            append(-1)
            continue
        other = False
        if multi and f.sentence_names and f.kind in _TOLD_KINDS:
            other = other_memo.get((fi, inc))
            if other is None:
                placed = placed_of(fi)
                # a place where another incident happened, reported near this document's time
                day = r.published.toordinal() if r.published else None
                # (a toll as far back as an update reaches: "where six weeks ago 26 people were killed in the
                # Mabunda church attack"; a group's strength is no incident's)
                reach = REPORTING_DAYS if f.kind == "casualties" else INCIDENT_DAYS
                other = other_memo[(fi, inc)] = bool(placed) and day is not None and any(
                    _near(place_inc[c], day, found, inc, reach=reach) for c in placed - main_places[inc])
        if other:
            append(told_elsewhere(r, fi, inc))
            continue
        placed = placed_of(fi) if multi and f.kind == "casualties" and f.sentence_names and r.published else _NO_PLACES
        if placed and not placed <= main_places[inc]:
            # a toll of an attack told long before, where its clause names only that attack's place ("The
            # ambush came eight months after the massacre at Orsk, in which 23 people died")
            key = (fi, inc, r.claim.quote, r.published)
            got = long_ago_memo.get(key)
            if got is None:
                got = long_ago_memo[key] = _told_long_ago(r, f, inc, cmap, place_inc, main_places, found)
            if got != inc:
                append(got)
                continue
        if f.kind == "casualties" and f.sites and found[inc].sites and not f.sites & found[inc].sites \
                and not _origins_only(sentence):
            # a toll at another target than its incident's ("Six weeks later, the Brigades killed 14 people in
            # an ambush on an army convoy in the east", in a piece on a church massacre) is no figure of it
            append(-1)
            continue
        if y is None and multi and f.sentence_names and f.kind in _TOLD_KINDS and r.published \
                and look_back(inc, r.published.toordinal()):
            # A look back long after its incident tells of that year ("A five-day seizure of the town of
            # Dunmore later that year left at least 45 people dead", a year after the Kelmar ambush)
            y = year_of[inc]
        if y is not None and multi and f.sentence_names and f.kind in _TOLD_KINDS:
            # A look back long after: its sentence's year is its own incident's, but its clause names where
            # another incident of that year happened ("the 2036 Teruvai market bombing that killed 21 people",
            # in a piece on the Pallokar school attack of the same year, three years on).
            key = (fi, inc, r.claim.quote, y)
            got = elsewhere_memo.get(key)
            if got is None:
                got = elsewhere_memo[key] = _told_of_year(r, f, inc, y, cmap, place_inc, main_places, year_of)
            append(got)
            continue
        append(inc)
    _follow_previous(records, of_record)
    if disastrous:
        _follow_disaster(records, feats, feat_of, of_record, disastrous)
    if several:
        _follow_dated(records, feats, feat_of, of_record, several, sentence_days, of_doc, cmap, all_places)
    return Incidents(of_record, found, main_places, sentence_days)


def _follow_previous(records: Sequence, of_record: list[int]) -> None:
    """Give a sentence that opens by pointing at the figure before it ("That toll was put at 57 by the
    ministry") the incident of its document's sentence before it, where that one was placed elsewhere."""
    opener = lexicon().previous_figure
    # The claims of one sentence share its answer: each sentence is matched once.
    opens: dict[str, bool] = {}
    hits = []
    for k, r in enumerate(records):
        s = r.claim.sentence
        if s:
            got = opens.get(s)
            if got is None:
                got = opens[s] = opener.match(s) is not None
            if got:
                hits.append(k)
    if not hits:
        return
    by_doc = _in_text_order(records, {records[k].document_id for k in hits})
    for k in hits:
        r = records[k]
        before = [j for j in by_doc[r.document_id]
                  if records[j].claim.start < r.claim.start and records[j].claim.sentence != r.claim.sentence]
        if before:
            of_record[k] = of_record[before[-1]]


def _in_text_order(records: Sequence, docs: set[int]) -> dict[int, list[int]]:
    """Return, for each of ``docs``, the indices of its records in the order their claims stand in its text."""
    by_doc: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for k, r in enumerate(records):
        if r.document_id in docs:
            by_doc[r.document_id].append((r.claim.start, k))
    return {d: [k for _, k in sorted(lst)] for d, lst in by_doc.items()}


def _follow_disaster(records: Sequence, feats: list[Features], feat_of: list[int], of_record: list[int],
                     disastrous: set[tuple[int, str]]) -> None:
    """Leave out of its incident, like the disaster sentence right before it, a claim sentence that names
    no event and no place of its own ("In North Kavahan, heavy rain since 15 November has flooded
    villages. Nine deaths and 21 injuries have been reported", in a report headlined with a bombing)."""
    for d, order in _in_text_order(records, {d for d, _ in disastrous}).items():
        previous, follows, sentence = None, False, None
        for k in order:
            s = records[k].claim.sentence or ""
            if s != sentence:
                f = feats[feat_of[k]]
                follows = previous in disastrous and not f.kinds and not f.sentence_names
                previous, sentence = (d, s), s
            if follows:
                of_record[k] = -1


def _previous_sentences(records: Sequence, tolled: set[tuple[int, str]],
                        sentence_days: dict[tuple[int, str], frozenset[str]]) -> dict[tuple[int, str], str]:
    """Return, for each toll sentence that gives no attack day, the claim sentence right before it in its
    document when that one gives an attack day ("On 3 August, armed men attacked the village of Mabunda.
    According to local authorities, 26 civilians were killed")."""
    docs = {key[0] for key in tolled if key not in sentence_days} & {d for d, _ in sentence_days}
    if not docs:
        return {}
    starts: dict[int, dict[str, int]] = defaultdict(dict)
    for r in records:
        s = r.claim.sentence
        if r.document_id in docs and s:
            got = starts[r.document_id].get(s)
            if got is None or r.claim.start < got:
                starts[r.document_id][s] = r.claim.start
    out = {}
    for d, ss in starts.items():
        ordered = sorted(ss, key=ss.__getitem__)
        for before, s in zip(ordered, ordered[1:]):
            if (d, s) in tolled and (d, s) not in sentence_days and (d, before) in sentence_days:
                out[(d, s)] = before
    return out


def _one_story(headline: Cues | None, lead: str | None, cmap: dict[str, str]) -> bool:
    """Return whether a headline names one place, and the document's opening names it too: "A week on,
    Port Iravan buries its dead" over "PORT IRAVAN - ... the November 14 ferry terminal bombing". Names
    capitalised only by their place (a masthead's "BASENDA:") do not count."""
    if headline is None or not lead:
        return False
    named = {cmap.get(n, norm_name(n)) for n in headline.places + headline.settled} \
        | {cmap.get(n, norm_name(n)) for n in headline.reliable if _town_like(n)}
    if len(named) != 1:
        return False
    end = _lede_end(lead)
    nl = lead.find("\n", len(lead) - len(lead.lstrip()))  # the headline is the opening's first line
    if not 0 <= nl < end:
        return False
    return named <= {cmap.get(n, norm_name(n)) for n in text_cues(lead[nl:end]).every}


def _several(tolled: set[tuple[int, str]], sentence_days: dict[tuple[int, str], frozenset[str]],
             doc_meta: dict[int, tuple], previous: dict[tuple[int, str], str]) -> tuple[set[int], set[int]]:
    """Return (the documents that report two attacks or more, the reviews among them).

    A document reports two attacks of its own news when sentences giving a toll date it to days that cannot
    be one attack's (DAY_SLACK), each within REPORTING_DAYS before the document was published ("34 people
    killed ... in Umm Deffar on 14 March" / "29 people killed ... at Qasr Anwal bus station on 18 March", in an
    update of 24 March); a recalled attack of long before does not count. A review tells three such attacks
    however long before it was published. A toll sentence that gives no day takes that of the dated claim
    sentence right before it (``previous``)."""
    told: dict[int, set[str]] = defaultdict(set)
    ever: dict[int, set[str]] = defaultdict(set)  # ... and at any time before it
    for key in tolled:
        ds = sentence_days.get(key)
        if ds is None and key in previous:
            ds = sentence_days[(key[0], previous[key])]
        if not ds:
            continue  # most toll sentences give no day
        published = doc_meta[key[0]][0]
        if published is not None:
            day = published.toordinal()
            told[key[0]].update(x for x in ds if 0 <= day - _ordinal(x) <= REPORTING_DAYS)
            ever[key[0]].update(x for x in ds if 0 <= day - _ordinal(x))
    several = {d for d, ds in told.items() if len(ds) > 1 and not days_meet(frozenset(ds), frozenset())}
    # Three attacks of their own days, each with its toll, however long before: a review of the year ("A bomb at
    # the bus terminal on 21 August killed 17 ... Twelve soldiers were killed ... on 8 November"), no one
    # attack's report
    reviews = {d for d, ds in ever.items() if d not in several and len(_apart(ds)) >= 3}
    return several | reviews, reviews


def _apart(days: set[str]) -> list[str]:
    """Return the days of a set that no earlier one of them meets (DAY_SLACK): one per attack."""
    out: list[str] = []
    for x in sorted(days):
        if not out or not days_meet(frozenset(out[-1:]), frozenset((x,))):
            out.append(x)
    return out


def _follow_dated(records: Sequence, feats: list[Features], feat_of: list[int], of_record: list[int],
                  several: set[int], sentence_days: dict[tuple[int, str], frozenset[str]],
                  of_doc: dict[int, int], cmap: dict[str, str], places: frozenset[str]) -> None:
    """In a document that reports two attacks, give a sentence that names no place or date of its own the
    incident of the sentence before it ("On 18 March, a suicide bomber detonated explosives at the main
    bus station in Qasr Anwal. Provincial authorities report 29 people killed"), where that one was placed."""
    # sentences that give a date of their own: they tell their own time
    dated = {r.claim.sentence for k, r in enumerate(records)
             if r.document_id in several and feats[feat_of[k]].kind == "date" and r.claim.sentence}
    for d, order in _in_text_order(records, several).items():
        own = of_doc[d]
        sentence, prev_inc, follow = None, -1, None
        for k in order:
            r = records[k]
            if (r.claim.sentence or "") != sentence:
                sentence = r.claim.sentence or ""
                # the sentence before it is placed (or followed one placed before): this one follows it
                follow = prev_inc if sentence and prev_inc not in (own, -1) and sentence not in dated \
                    and not any(cmap.get(n) in places for n in feats[feat_of[k]].sentence_names) else None
            if follow is not None and of_record[k] == own:
                of_record[k] = follow
            prev_inc = of_record[k]


_PARAGRAPH_RE = re.compile(r"\n\s*\n")


def _lede_end(lead: str | None) -> int:
    """Return where a document's opening ends: after its headline and first paragraph, at most LEAD_CHARS.

    The first paragraph is the first one after the headline that reads as prose (ends a sentence): a
    byline ("By Ama Osei, West Africa correspondent"), a masthead ("Harbour Weekly - Regional news"), a
    dateline on a line of its own or an editor's note in brackets comes before the lede, not in place of it.
    """
    if not lead:
        return LEAD_CHARS
    text = lead.lstrip()
    off = len(lead) - len(text)
    start = None  # where the paragraph being read starts; None while in the headline
    for m in _PARAGRAPH_RE.finditer(text):
        if start is not None and _prose(text[start:m.start()]):
            return min(off + m.start(), LEAD_CHARS)
        start = m.end()
    return LEAD_CHARS


# A paragraph that ends a sentence ("... on Friday, the army said." / "... 'we counted 40.'")
_PROSE_END_RE = re.compile(r"[.!?][\"”’')]*\s*$")


def _prose(paragraph: str) -> bool:
    """Return whether a paragraph reads as prose: it ends a sentence and is no note in brackets."""
    p = paragraph.strip()
    return bool(p) and p[0] not in "[(" and _PROSE_END_RE.search(p) is not None


def _own_days(dated: list[tuple[int, str]], lede: int = LEAD_CHARS) -> frozenset[str]:
    """Return the attack days a document reports as its own, from its (offset, day) attack dates.

    A report dates its own attack in its opening ("... were killed on Saturday, the army said") and
    may recall an earlier one further down ("Fighting has intensified since the bombing of Olmark
    bus station on April 14"): when the opening (the first ``lede`` characters: its headline and
    first paragraph) gives a day, a later day that does not meet it (DAY_SLACK) is the recalled
    attack's, not this report's. A document whose opening gives no day keeps every day it gives (a
    look back names the event's day anywhere).
    """
    if not dated:
        return frozenset()
    lead = frozenset(day for at, day in dated if at < lede)
    if not lead:
        return frozenset(day for _, day in dated)
    return frozenset(day for _, day in dated if day in lead or days_meet(lead, frozenset((day,))))


def _own_months(dated: list[tuple[int, str]], years: list[tuple[int, str]], lede: int = LEAD_CHARS) -> frozenset[str]:
    """Return the attack months a document reports as its own, from its (offset, month) attack dates: like
    :func:`_own_days`, those of its opening when it gives one; else, when its opening dates its attack by a
    year alone ("Court convicts five over 2046 Port Iravan ferry-terminal bombing"), the months of that
    year ("the June 2047 ambush near Sibaro", further down, is another attack); else every month it gives."""
    if not dated:
        return frozenset()
    lead = frozenset(month for at, month in dated if at < lede)
    if lead:
        return lead
    lead_years = frozenset(year for at, year in years if at < lede)
    return frozenset(month for _, month in dated if not lead_years or month[:4] in lead_years)


def _looks_back(r) -> bool:
    """Return whether a date claim names, year and all, a day long before its document was published.

    A look back at an event ("That changed on 10 March 2025. Shortly after ten, gunmen rode into the
    market ...") names the day in full even where its own sentence names no happening: in a piece
    published more than INCIDENT_DAYS later, such a day is the event's. It only lets the piece meet the
    first reports of that day, which must still share two salient names with it (see _doc_pairs).
    """
    c = r.claim
    if not r.published or not c.quote or str(c.date)[:4] not in c.quote:
        return False
    try:
        day = dt.date.fromisoformat(str(c.date))
    except ValueError:
        return False
    return (r.published - day).days > INCIDENT_DAYS


# Kinds whose claim a clause can tell of another incident: its toll, its attackers.
_TOLD_KINDS = frozenset({"casualties", "force_size"})
_CLAUSE_CUT_RE = re.compile(r"[,;:()]|\s[—–]\s")


def quote_clause(sentence: str, quote: str) -> tuple[int, int] | None:
    """Return (start, end) of the clause of ``sentence`` holding ``quote`` (None: not found).

    Clauses are cut at commas, semicolons, colons, brackets and dashes.
    """
    at = sentence.find(quote) if quote else -1
    if at < 0:
        return None
    cuts = [m.end() for m in _CLAUSE_CUT_RE.finditer(sentence, 0, at)]
    m = _CLAUSE_CUT_RE.search(sentence, at + len(quote))
    return (cuts[-1] if cuts else 0), (m.start() if m else len(sentence))


def _told_elsewhere(r, f: Features, inc: int, cmap: dict[str, str], place_inc: dict[str, list[tuple[int, int]]],
                    main_places: list[frozenset[str]], found: list[Incident]) -> int:
    """Return the incident a claim's own clause tells of when it is another than its document's.

    The clause (cut at commas, semicolons, colons, brackets and dashes) must name where exactly one
    other incident happened and nothing of where its document's happened, and that incident must have
    been reported within INCIDENT_DAYS of the claim's document ("... on Thursday, two days after a
    raid on nearby Dalamba killed at least 31, officials said").
    """
    named = _clause_places(r, f, cmap)
    if not named or named & main_places[inc]:
        return inc
    if not r.published:
        return inc
    day = r.published.toordinal()
    reach = REPORTING_DAYS if f.kind == "casualties" else INCIDENT_DAYS
    targets = {i for n in named for i in _near(place_inc.get(n, ()), day, found, inc, every=True, reach=reach)}
    return next(iter(targets)) if len(targets) == 1 else inc


_NO_PLACES: frozenset[str] = frozenset()


def _origins_only(sentence: str) -> bool:
    """Return whether every target a sentence names is where someone came from, not where it happened
    ("soldiers sent from the garrison at Marcapa killed six of the attackers")."""
    site_re = lexicon().site_re
    found = False
    for m in site_re.finditer(sentence):
        if not _FROM_BEFORE_RE.search(sentence, max(0, m.start() - 40), m.start()):
            return False
        found = True
    return found


def _said_that(said: list[tuple[int, int]], year: int, sentence: str, quote: str) -> bool:
    """Return whether a sentence's dates of statements all give ``year`` and ``quote`` stands in a that-clause
    after one of them: what was said, not when anything happened."""
    at = sentence.find(quote) if quote else -1
    return at >= 0 and all(y == year for y, _ in said) and any(
        end <= at and _THAT_RE.search(sentence, end, at) for _, end in said)


_THAT_RE = re.compile(r"\bthat\b", re.IGNORECASE)
# the words before a place someone came from: "sent from the ", "reinforcements from a nearby "
_FROM_BEFORE_RE = re.compile(r"\bfrom\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(?:[a-z]+\s+)?$", re.IGNORECASE)


def _told_long_ago(r, f: Features, inc: int, cmap: dict[str, str], place_inc: dict[str, list[tuple[int, int]]],
                   main_places: list[frozenset[str]], found: list[Incident]) -> int:
    """Return the incident a toll's own clause recalls from long before its document, else ``inc``.

    The clause must name where one incident happened that was last reported more than REPORTING_DAYS before
    the document, and no other incident there; the sentence must name nothing of where the document's own
    incident happened ("The ambush came eight months after the massacre at Orsk, in which 23 people died").
    """
    named = _clause_places(r, f, cmap)
    if not named or any(cmap.get(n) in main_places[inc] for n in f.sentence_names):
        return inc
    there = {i for n in named for _, i in place_inc.get(n, ()) if i != inc}
    if len(there) != 1:
        return inc
    i = next(iter(there))
    return i if found[i].span and found[i].span[1] + REPORTING_DAYS < r.published.toordinal() else inc


def _own_clause_names(sentence: str, quote: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """Return the names of a sentence that the clause giving ``quote`` gives, reaching back over a relative
    opening (see :func:`antecedent_start`); empty when it gives none."""
    span = quote_clause(sentence, quote)
    if span is None:
        return ()
    clause = sentence[antecedent_start(sentence, span[0]):span[1]]
    return tuple(n for n in names if n in clause)


def _clause_places(r, f: Features, cmap: dict[str, str]) -> set[str]:
    """Return the canonical names of a claim's sentence that its own clause (see :func:`quote_clause`) gives."""
    return {cmap[n] for n in _own_clause_names(r.claim.sentence or "", r.claim.quote or "", f.sentence_names)
            if n in cmap}


def antecedent_start(sentence: str, start: int) -> int:
    """Return where the clause starting at ``start`` begins once a relative clause takes in the noun it tells
    of: "After the failed seizure of Dunmore, in which the army says more than 40 ... were killed" reaches back
    to "After", passing over a place set off by commas ("a suicide attack on the bus station in Varn, in Kessel
    province, which killed at least 27"); any other clause starts where it starts."""
    if not start or not _RELATIVE_OPENING_RE.match(sentence, start):
        return start
    cuts = [0] + [m.end() for m in _CLAUSE_CUT_RE.finditer(sentence, 0, start - 1)]
    k = len(cuts) - 1
    while k > 0 and _LOCATIVE_ASIDE_RE.match(sentence, cuts[k]):
        k -= 1
    return cuts[k]


# A clause that only places what precedes it: ", in Jebel Sawwan province,"
_LOCATIVE_ASIDE_RE = re.compile(r"\s*(?:in|near|at|outside)\s[^,;:()]*$|\s*(?:in|near|at|outside)\s[^,;:()]*[,;:()]",
                                re.IGNORECASE)
# A clause that opens with a relative pronoun, after a preposition or none ("in which", "where", "during which")
_RELATIVE_OPENING_RE = re.compile(r"\s*(?:(?:in|during|after|before|at|on|from|of)\s+)?(?:which|whom|where|when)\b",
                                  re.IGNORECASE)


def _told_of_year(r, f: Features, inc: int, year: int, cmap: dict[str, str],
                  place_inc: dict[str, list[tuple[int, int]]], main_places: list[frozenset[str]],
                  year_of: list[int | None]) -> int:
    """Return the incident a claim's own clause tells of when its year's other incident is where it names.

    As :func:`_told_elsewhere`, with the incidents of the year the sentence gives in place of those
    reported near the document's publication: the clause must name where exactly one other incident of
    that year happened and nothing of where its document's happened; a clause that names no place, its
    sentence ("- September 2046: Brigades fighters hold Dunmore for five days; at least 45 people die.").
    """
    named = _clause_places(r, f, cmap) or {cmap[n] for n in f.sentence_names if n in cmap}
    if not named or named & main_places[inc]:
        return inc
    targets = {i for n in named for _, i in place_inc.get(n, ()) if i != inc and year_of[i] == year}
    return next(iter(targets)) if len(targets) == 1 else inc


def quote_place(sentence: str, quote: str, names) -> str | None:
    """Return which of ``names`` (places its sentence names) a quote's count is placed in.

    The one its own clause names nearest the quote ("a blast at a market in Sarnavi two days later
    killed 25"), else the nearest one before it in the sentence ("A bomb exploded in the town of
    Sarnavi, killing at least 22 people, ... two days after a bombing in Mestrovo killed 27": 22 is
    Sarnavi's); None when the quote is not found or no name comes before it.
    """
    span = quote_clause(sentence, quote)
    if span is None:
        return None
    start, stop = span
    at = sentence.find(quote)
    end = at + len(quote)
    best: tuple[int, str] | None = None
    for n in names:
        i = sentence.rfind(n, start, at)
        j = sentence.find(n, end, stop)
        for dist in ((at - i - len(n)) if i >= 0 else None, (j - end) if j >= 0 else None):
            if dist is not None and (best is None or (dist, n) < best):
                best = (dist, n)
    if best is None:
        k, n = max(((sentence.rfind(n, 0, at), n) for n in names), default=(-1, None))
        return n if k >= 0 else None
    return best[1]


def _truce_told(r, f: Features, truces: list[tuple[int, int]], found: list[Incident],
                names_of: list[Counter[str]], cmap: dict[str, str], story: Iterable[str] = ()) -> int:
    """Return the truce a claim of a truce's length or start tells of: of the truces first reported within
    REPORTING_DAYS before the claim's document (or INCIDENT_DAYS after) whose reports name one of the
    sentence's names ("the DLF"), or when it names none ("The 12-week ceasefire, which began on 2 June,
    expires on 31 August"), one of ``story``'s (its incident's), the first reported (its announcement: the
    reports of one truce can form several incidents, and its figures join only the same length or day
    anyway); -1 when none."""
    if not r.published:
        return -1
    day = r.published.toordinal()
    own = {cmap[n] for n in f.sentence_names if n in cmap} or set(story)
    return _first_truce(truces, day - REPORTING_DAYS, day + INCIDENT_DAYS, own, names_of,
                        lambda i: found[i].span[1] + REPORTING_DAYS >= day)


def _first_truce(truces: list[tuple[int, int]], lo: int, hi: int, own: set[str], names_of: list[Counter[str]],
                 ok: Callable[[int], bool]) -> int:
    """Return the first-reported truce of ``truces`` (first report day, incident) reported between ``lo`` and
    ``hi`` whose reports name one of ``own`` and that ``ok`` accepts; -1 when none."""
    return next((i for first, i in truces if lo <= first <= hi and ok(i) and own & names_of[i].keys()), -1)


# The happenings whose date dates a truce: its start or end, and its signing ("the truce agreed on 22 March")
_TRUCE_DATED = frozenset({TRUCE, "talks"})


def _truce_of_days(f: Features, days: frozenset[str], truces: list[tuple[int, int]], found: list[Incident],
                   names_of: list[Counter[str]], cmap: dict[str, str], inc: int) -> int:
    """Return the truce first reported within REPORTING_DAYS after the earliest of ``days`` (or a few days
    before it) whose reports name one of the sentence's names (or, naming none, one of its story's); ``inc``
    (the story's own) when none."""
    first_day = min(_ordinal(x) for x in days)
    # the sentence's names; a sentence that names none ("The 30-day truce agreed on 22 March took effect on 1
    # April") is its story's
    own = {cmap[n] for n in f.sentence_names if n in cmap} or set(names_of[inc])
    got = _first_truce(truces, first_day - DAY_SLACK, first_day + REPORTING_DAYS, own, names_of, lambda i: i != inc)
    return got if got >= 0 else inc


def _near(starts: list[tuple[int, int]], day: int, found: list[Incident], inc: int, *, every: bool = False,
          reach: int = INCIDENT_DAYS):
    """Return the incidents (other than ``inc``) of a place's (first report day, incident) list reported
    within INCIDENT_DAYS after ``day`` or ``reach`` days before it (their news spans are at most
    INCIDENT_DAYS long); with ``every`` False, whether there is one."""
    out = []
    for k in range(bisect.bisect_left(starts, (day - reach - INCIDENT_DAYS, -1)), len(starts)):
        first, i = starts[k]
        if first > day + INCIDENT_DAYS:
            break
        if i != inc and found[i].span[1] + reach >= day:
            if not every:
                return True
            out.append(i)
    return out if every else False


_LEAD_SPLIT_RE = re.compile(r"\n+|(?<=[.!?])\s+(?=[A-Z\"“‘'])|\s+[—–-]\s+")


@functools.lru_cache(maxsize=20_000)
def lead_cues(lead: str) -> Cues:
    """Return the names, places, kinds and sites of a document's opening, read line by line and sentence by sentence."""
    parts = [p for p in _LEAD_SPLIT_RE.split(lead) if p and p.strip()]
    cues = [text_cues(p, True) if k == 0 else text_cues(p) for k, p in enumerate(parts)]
    def merged(attr: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for c in cues for n in getattr(c, attr)))
    return Cues(merged("reliable"), merged("weak"), merged("places"), merged("every"),
                frozenset().union(*(c.kinds for c in cues)) if cues else frozenset(),
                frozenset().union(*(c.sites for c in cues)) if cues else frozenset(), merged("settled"))


def _inner_names(name: str, known: set[str]) -> list[str]:
    """Return the known names a longer name holds as whole words ("jammu and kashmir" -> ["jammu", "kashmir"])."""
    words = name.split()
    if len(words) < 2:
        return []
    out = []
    for i in range(len(words)):
        for j in range(i + 1, len(words) + 1):
            sub = " ".join(words[i:j])
            if sub != name and len(sub) >= 4 and sub in known:
                out.append(sub)
    return out


def _by_names(year: int, sentence_names: tuple[str, ...], cmap: dict[str, str], weight: dict[str, float],
              df: Counter[str], common: float, by_year_name: dict[tuple[int, str], list[int]],
              names_of: list[Counter[str]]) -> int:
    """Return the incident of ``year`` that holds most of a sentence's names (-1: none)."""
    own = sorted({cmap[n] for n in sentence_names if n in cmap})
    total = sum(weight[n] for n in own)
    if not total:
        return -1
    score: Counter[int] = Counter()
    for n in own:
        if df[n] > common:
            continue
        for i in by_year_name.get((year, n), ()):
            score[i] += weight[n]
    best = sorted(score.items(), key=lambda t: (-t[1], t[0]))
    return best[0][0] if best and best[0][1] >= CLAIM_MATCH * total else -1


def _clause_names(sentence: str, quote: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """Return the names of the part of a sentence, between semicolons, that gives ``quote`` (all of them when
    the sentence has no semicolon, or none of the names is in that part)."""
    if ";" not in sentence or not quote:
        return names
    at = sentence.find(quote)
    if at < 0:
        return names
    start = sentence.rfind(";", 0, at) + 1
    end = sentence.find(";", at)
    part = sentence[start:end if end >= 0 else len(sentence)]
    return tuple(n for n in names if n in part) or names


# Two prepositional phrases joined: "blamed for the June bombing ... and for a five-day siege ..."
_COORDINATED_RE = re.compile(r"\s+and\s+(?=(?:for|in|at|on|of|from|with|by|after|during)\s)")


def _phrase(sentence: str, quote: str) -> tuple[int, int] | None:
    """Return (start, end) of the phrase of ``sentence`` holding ``quote``: its clause (see :func:`quote_clause`),
    cut where two prepositional phrases are joined with "and"."""
    span = quote_clause(sentence, quote)
    if span is None:
        return None
    at = sentence.find(quote)
    start, end = span
    for m in _COORDINATED_RE.finditer(sentence, start, end):
        if m.end() <= at:
            start = m.end()
        elif m.start() >= at + len(quote):
            end = m.start()
            break
    return start, end


def _dated_names(sentence: str, quote: str, year: int, names: tuple[str, ...]) -> tuple[str, ...]:
    """Return the names a sentence gives between the last statement of ``year`` before its figure and the
    figure's end: the phrase the year dates ("since the November 2046 ferry-terminal bombing in Port Iravan,
    which killed 31 people"). Empty when the year is not stated before the figure."""
    end = sentence.find(quote) if quote else -1
    if end < 0:
        return ()
    end += len(quote)
    at = sentence.rfind(str(year), 0, end)
    if at < 0:
        return ()
    return tuple(n for n in names if at <= sentence.find(n, at) < end)


def _meets(days: frozenset[str], day: str) -> bool:
    """Return whether an attack day or month (ISO, "2025-08") meets a set of attack days."""
    if len(day) == 7:
        return any(d.startswith(day) for d in days)
    return days_meet(days, frozenset((day,)))


class _ByDay:
    """The incidents by attack day, so that a day is looked up among the few incidents near it, not all."""

    def __init__(self, found: list[Incident]):
        self.found = found
        self.on: dict[int, list[int]] = defaultdict(list)  # day (ordinal) -> incidents giving it, in order
        self.met: dict[frozenset[str], list[int]] = {}  # see meeting
        self.ends: dict[frozenset[str], list[int]] = {}  # see ending
        self.unread: list[int] = []  # incidents with a day that reads as no date: met only by days_meet itself
        for i, inc in enumerate(found):
            try:
                ordinals = {_ordinal(d) for d in inc.days}
            except ValueError:
                self.unread.append(i)
                continue
            for o in ordinals:
                self.on[o].append(i)

    def near(self, days: frozenset[str]) -> Iterable[int]:
        """Return, in order, the incidents that may meet ``days`` (days_meet needs a day within DAY_SLACK)."""
        try:
            ordinals = {_ordinal(d) for d in days}
        except ValueError:
            return range(len(self.found))
        reach = int(DAY_SLACK)
        out = set(self.unread)
        for o in ordinals:
            for k in range(o - reach, o + reach + 1):
                out.update(self.on.get(k, ()))
        return sorted(out)

    def ending(self, days: frozenset[str]) -> list[int]:
        """Return, in order, the incidents with a day 2 to LASTING_DAYS after one of ``days``: events those
        days may have begun. Remembered per set of days."""
        got = self.ends.get(days)
        if got is None:
            out: set[int] = set()
            for d in days:
                if len(d) == 10:
                    o = _ordinal(d)
                    for k in range(2, LASTING_DAYS + 1):
                        out.update(self.on.get(o + k, ()))
            got = self.ends[days] = sorted(out)
        return got

    def meeting(self, days: frozenset[str]) -> list[int]:
        """Return, in order, the incidents with an attack day that meets one of ``days`` (_meets).

        Remembered per set of days: the sentences of one day ask it again and again.
        """
        got = self.met.get(days)
        if got is None:
            found = self.found
            got = self.met[days] = [i for i in self.near(days)
                                    if found[i].days and any(_meets(found[i].days, day) for day in days)]
        return got


def _by_day(sentence_names: tuple[str, ...], days: frozenset[str], cmap: dict[str, str], weight: dict[str, float],
            df: Counter[str], common: float, by_day: _ByDay, names_of: list[Counter[str]], *,
            match: float = CLAIM_MATCH, lasting: bool = False) -> int:
    """Return the incident on one of ``days`` that holds most of a sentence's names (-1: none).

    ``match``: the weighted share of the sentence's names the incident must hold; ``lasting``: among the
    incidents whose days begin 2 to LASTING_DAYS after one of ``days`` instead (see _ByDay.ending).
    """
    own = {cmap[n] for n in sentence_names if n in cmap}
    if match < CLAIM_MATCH:
        # "the Pallokar Government Secondary School" names Pallokar too (as a document's names do)
        own |= {part for n in own for part in _inner_names(n, weight.keys())}
    own = sorted(own)
    total = sum(weight[n] for n in own)
    if not total:
        return -1
    best: tuple[float, int] | None = None
    tied = False
    rare = [n for n in own if df[n] <= common]  # in the order of own: each sum adds in the same order
    for i in (by_day.ending(days) if lasting else by_day.meeting(days)):
        names = names_of[i]
        score = sum(weight[n] for n in rare if n in names)
        if best is None or score > best[0]:
            best, tied = (score, i), False
        elif score == best[0]:
            tied = True
    # two incidents the sentence fits equally well: it says of neither (and the answer must not depend
    # on the order the documents were stored in)
    return best[1] if best and not tied and best[0] > 0 and best[0] >= match * total else -1


def _doc_pairs(docs: list[_Doc], weight: dict[str, float]) -> list[tuple[float, int, int]]:
    """Return (score, a, b) for document pairs that share salient names closely enough, best first."""
    posting: dict[str, list[int]] = defaultdict(list)
    for k, d in enumerate(docs):
        for n in d.salient:
            posting[n].append(k)
    # A pair (a, b), a < b, is the integer a * size + b: cheaper to hash than a tuple, and the
    # window below adds to hundreds of thousands of them.
    size = len(docs)
    day_of = [d.published.toordinal() if d.published is not None else None for d in docs]
    shared: dict[int, float] = defaultdict(float)
    for n in sorted(posting):
        ks = posting[n]
        if len(ks) < 2:
            continue
        # Only documents published close together can pair: sort by date, pair within the window.
        undated = [k for k in ks if day_of[k] is None]
        dated = sorted((k for k in ks if day_of[k] is not None), key=lambda k: (day_of[k], k))
        w = weight.get(n, 1.0)
        lo = 0
        for j, b in enumerate(dated):
            pb = day_of[b]
            while pb - day_of[dated[lo]] > INCIDENT_DAYS:
                lo += 1
            for a in dated[lo:j]:
                shared[a * size + b if a < b else b * size + a] += w
        for a in undated:
            for b in ks:
                if b != a and (day_of[b] is not None or b > a):
                    shared[a * size + b if a < b else b * size + a] += w
    salient = [frozenset(d.salient) for d in docs]  # each document's, once: pairs meet it again and again
    # Outside the window, a document that gives the attack's day joins the first reports of that day
    # (a look back years later) when two of its salient names are theirs too, or one and the target
    # ("one year since the suicide bombing [of the Bezhan bus terminal] ... on March 14, 2016").
    on_day: dict[str, list[int]] = defaultdict(list)
    for k, d in enumerate(docs):
        if d.published is not None:
            for day in d.days:
                on_day[day].append(k)
    for day in sorted(on_day):
        # Pairs inside the window met above; only a document published later than the window needs this.
        ks = sorted(on_day[day], key=lambda k: (docs[k].published, k))
        if len(ks) < 2 or (docs[ks[-1]].published - docs[ks[0]].published).days <= INCIDENT_DAYS:
            continue
        for j, b in enumerate(ks):
            last = docs[b].published - dt.timedelta(days=INCIDENT_DAYS)
            for a in ks[:j]:
                if docs[a].published >= last:
                    break
                key = a * size + b if a < b else b * size + a
                both = salient[a] & salient[b]
                if key not in shared and (len(both) >= 2 or both and docs[a].sites & docs[b].sites):
                    shared[key] = sum(weight.get(n, 1.0) for n in sorted(both))
    # ... and a look back that gives only the month ("The May 2021 massacre"), the reports of a day in it.
    in_month: dict[str, list[int]] = defaultdict(list)
    for k, d in enumerate(docs):
        if d.published is not None:
            for day in d.days:
                in_month[day[:7]].append(k)
    for b, d in enumerate(docs):
        if d.published is None or not d.months:
            continue
        for a in sorted({a for month in d.months for a in in_month.get(month, ())}):
            if abs((docs[a].published - d.published).days) <= INCIDENT_DAYS:
                continue
            key = a * size + b if a < b else b * size + a
            both = salient[a] & salient[b]
            if key not in shared and len(both) >= 2:
                shared[key] = sum(weight.get(n, 1.0) for n in sorted(both))
    # Two truce stories further apart than INCIDENT_DAYS but within TRUCE_DAYS: one truce's, when they
    # share names enough (scored below like any pair). Few documents are truces' stories.
    truce = sorted((k for k, d in enumerate(docs) if d.violent is False and d.published is not None),
                   key=lambda k: (day_of[k], k))
    # The truce both tell of is shared evidence, as a target is for two attack reports.
    for j, b in enumerate(truce):
        for a in reversed(truce[:j]):
            gap = day_of[b] - day_of[a]
            if gap > TRUCE_DAYS:
                break
            key = a * size + b if a < b else b * size + a
            if gap <= INCIDENT_DAYS:
                if key in shared:
                    shared[key] += SITE_WEIGHT
                continue  # (names met above)
            both = salient[a] & salient[b]
            if key not in shared and both:
                shared[key] = sum(weight.get(n, 1.0) for n in sorted(both)) + SITE_WEIGHT
    out = _scored_pairs(docs, shared)
    # Equal scores (a short report matching the reports of two incidents equally well) go first to the
    # documents with more partners, then by content, never by id: the incidents found must not depend
    # on the order documents were stored in.
    degree: Counter[int] = Counter()
    for _, a, b in out:
        degree[a] += 1
        degree[b] += 1
    order = sorted(range(len(docs)), key=lambda k: (docs[k].published or dt.date.max, docs[k].salient,
                                                    tuple(sorted(docs[k].days)), docs[k].id))
    rank = [0] * len(docs)
    for n, k in enumerate(order):
        rank[k] = n
    out.sort(key=lambda t: (-t[0], -(degree[t[1]] + degree[t[2]]), min(rank[t[1]], rank[t[2]]),
                            max(rank[t[1]], rank[t[2]])))
    return out


def _scored_pairs(docs: list[_Doc], shared: dict[int, float]) -> list[tuple[float, int, int]]:
    """Return (score, a, b) for the document pairs ``shared`` holds (pair a * len(docs) + b -> summed
    weight of their shared salient names) that share enough evidence, in no particular order.

    Every pair at once in numpy: the sizes of the set intersections (salient names, targets, attack
    days) are counts of equal ids, the score the same float operations in the same order as one pair's.
    """
    if not shared:
        return []
    size = len(docs)
    keys = np.fromiter(shared.keys(), dtype=np.int64, count=len(shared))
    sums = np.fromiter(shared.values(), dtype=np.float64, count=len(shared))
    a, b = keys // size, keys % size
    names = _common_count([d.salient for d in docs], a, b)
    sites = _common_count([d.sites for d in docs], a, b)
    days = _common_count([d.days for d in docs], a, b)
    months = np.fromiter((bool(d.months) for d in docs), dtype=bool, count=size)
    for k in np.flatnonzero((days == 0) & (months[a] | months[b])).tolist():
        da, db = docs[a[k]], docs[b[k]]
        if (da.months and any(day[:7] in da.months for day in db.days)
                or db.months and any(day[:7] in db.months for day in da.days)):
            days[k] = 1  # the attack's month, in a look back that gives no day
    n_salient = np.fromiter((len(d.salient) for d in docs), dtype=np.int64, count=size)
    undated = np.fromiter((d.published is None for d in docs), dtype=bool, count=size)
    weight = np.fromiter((d.weight for d in docs), dtype=np.float64, count=size)
    evidence = (sites > 0) | (days > 0)
    # Two shared names, or one and the same target or attack day; a document without a date
    # (nothing bounds when it was written) needs the target or day, or three names.
    keep = evidence | (names >= np.minimum(2, np.minimum(n_salient[a], n_salient[b])))
    keep &= evidence | ~(undated[a] | undated[b]) | (names >= 3)
    score = (sums + SITE_WEIGHT * sites + DAY_WEIGHT * days) / np.maximum(np.minimum(weight[a], weight[b]), 1e-9)
    keep &= score >= INCIDENT_MATCH
    return list(zip(score[keep].tolist(), a[keep].tolist(), b[keep].tolist()))


def _common_count(sets: list, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return per pair ``(a[k], b[k])`` the size of the intersection of ``sets[a[k]]`` and ``sets[b[k]]``
    (each a collection of distinct values)."""
    width = max(1, max((len(x) for x in sets), default=0))
    ids: dict = {}
    at = [k * width + j for k, x in enumerate(sets) for j in range(len(x))]
    values = [ids.setdefault(v, len(ids)) for x in sets for v in x]
    # -1 pads the rows read as a, -2 those read as b: padding never equals anything
    rows = np.full(len(sets) * width, -1, dtype=np.int64)
    rows[np.array(at, dtype=np.int64)] = values
    rows = rows.reshape(len(sets), width)
    left = np.ascontiguousarray(rows[a].T)  # one row per position in a set: compared whole
    right = np.ascontiguousarray(np.where(rows < 0, -2, rows)[b].T)
    count = np.zeros(len(a), dtype=np.int64)
    for i in range(width):
        for j in range(width):
            count += left[i] == right[j]
    return count


def _label(ks: list[int], docs: list[_Doc], places: Counter[str], names: Counter[str], day: list[str],
           dates: list[dt.date], display: dict[str, str]) -> str:
    """Return an incident's heading: where, what, when ("Kestrel Ford · market attack · 13 May 2031")."""
    parts = []
    where = ranked(places)[:1] or ranked(names)[:1]
    if where:
        parts.append(display.get(where[0]) or where[0].title())
    sites = Counter(s for k in ks for s in docs[k].sites)
    kinds = Counter(s for k in ks for s in docs[k].kinds)
    what = " ".join(x for x in (_top(sites).replace("_", " "), _top(kinds)) if x)
    if what:
        parts.append(what)
    when = _day(day[0]) if day else (_day(dates[0].isoformat()) if dates else "")
    if when:
        parts.append(when)
    return " · ".join(parts) or f"documents {', '.join(str(docs[k].id) for k in ks[:3])}"


def ranked(c: Counter) -> list:
    """Return the counter's keys, most common first, ties in sorted order.

    ``Counter.most_common`` breaks ties by insertion order, which for keys read out of a set
    depends on the process's string hashing: labels must not change from one run to the next.
    """
    return [k for k, _ in sorted(c.items(), key=lambda t: (-t[1], t[0]))]


def _top(c: Counter[str]) -> str:
    return ranked(c)[0] if c else ""


def _day(iso: str) -> str:
    try:
        d = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d:%b %Y}"


def merge_labels(values: Iterable[str]) -> str:
    """Return the most common of several incident labels (ties: alphabetical)."""
    c = Counter(v for v in values if v)
    return _top(c)
