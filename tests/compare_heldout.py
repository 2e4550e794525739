"""Held-out multi-outlet coverage for grouping: invented events, each claim labelled with the fact it states.

Written after the grouping rules, to measure them on wording they were not tuned on (issue 13's
failure classes). Every place, group, outlet and person is made up. Each claim spec carries
``fact``: claims with equal labels state one real-world quantity; a label of None is a fact no
other claim states. :func:`pair_scores` gives pairwise precision and recall of a grouping
against the labels, as the issue measures them.
"""
from __future__ import annotations

import datetime as dt
from itertools import combinations

from tests.compare_articles import line_records

D = dt.date


def _c(quote, kind, fact, **kw):
    spec = dict(quote=quote, kind=kind, fact=fact, **kw)
    if kind in ("casualties", "force_size"):
        spec.setdefault("high", spec.get("low"))
    return spec


def killed(quote, low, fact, high=None, **kw):
    return _c(quote, "casualties", fact, outcome="killed", low=low, high=low if high is None else high, **kw)


def injured(quote, low, fact, high=None, **kw):
    return _c(quote, "casualties", fact, outcome="injured", low=low, high=low if high is None else high, **kw)


def force(quote, low, fact, high=None, **kw):
    return _c(quote, "force_size", fact, low=low, high=low if high is None else high, **kw)


# ---------------------------------------------------------------- one truce, four outlets, one week
TRUCE = [
    ("Ravel Wire", "Orsk and the Tessary Alliance sign truce", D(2034, 3, 1),
     "Orsk and the Tessary Alliance sign truce\n"
     "Orsk and the Tessary Alliance signed a 30-day truce that begins on March 3, envoy Mira Kallas said.\n"
     "The truce expires on April 2, 2034.",
     [_c("30-day", "duration", "truce-length", duration="P30D"),
      _c("March 3", "date", "truce-start", date="2034-03-03"),
      _c("April 2, 2034", "date", "truce-end", date="2034-04-02")]),
    ("Orsk Herald", "Month-long ceasefire agreed with Tessary Alliance", D(2034, 3, 2),
     "Month-long ceasefire agreed with Tessary Alliance\n"
     "The month-long ceasefire with the Tessary Alliance takes effect on Mar. 3, Mira Kallas told reporters.\n"
     "It lasts until Apr. 2.",
     [_c("month-long", "duration", "truce-length", duration="P1M"),
      _c("Mar. 3", "date", "truce-start", date="2034-03-03"),
      _c("Apr. 2", "date", "truce-end", date="2034-04-02")]),
    ("Pellam Times", "Tessary Alliance truce begins in Orsk", D(2034, 3, 3),
     "Tessary Alliance truce begins in Orsk\n"
     "A truce of one month between Orsk and the Tessary Alliance began on 3 March 2034.",
     [_c("one month", "duration", "truce-length", duration="P1M"),
      _c("3 March 2034", "date", "truce-start", date="2034-03-03")]),
    ("Brask Radio", "Guns fall silent in Orsk", D(2034, 3, 4),
     "Guns fall silent in Orsk\n"
     "Fighting stopped across Orsk on Monday as the ceasefire with the Tessary Alliance held for a second day.",
     []),
]

# ---------------------------------------------------------------- a refinery attack: day after, week after, years after
REFINERY = [
    ("Ravel Wire", "Gunmen attack Brennock refinery in Saltmere", D(2034, 6, 11),
     "Gunmen attack Brennock refinery in Saltmere\n"
     "Gunmen stormed the Brennock refinery in Saltmere on Tuesday, killing at least 37 people, officials said.\n"
     "At least 45 workers were wounded.\n"
     "Security forces killed five attackers after a six-hour gunfight.",
     [killed("at least 37 people", 37, "refinery-killed", attributed_to="officials", subject="people"),
      injured("At least 45 workers", 45, "refinery-injured", subject="workers"),
      killed("five attackers", 5, "refinery-attackers-killed", subject="attackers"),
      _c("six-hour", "duration", "refinery-siege", duration="PT6H")]),
    ("Pellam Times", "Saltmere refinery toll climbs to 52", D(2034, 6, 17),
     "Saltmere refinery toll climbs to 52\n"
     "The death toll from last week's assault on the Brennock refinery rose to 52, including eight guards, "
     "the regional governor said.\n"
     "Fifty-one people remain in hospital.",
     [killed("52", 52, "refinery-killed", attributed_to="the regional governor"),
      killed("eight guards", 8, "refinery-killed-guards", subject="guards", attributed_to="the regional governor"),
      injured("Fifty-one people", 51, "refinery-hospital", subject="people")]),
    ("Orsk Herald", "Saltmere attack: guards among the dead", D(2034, 6, 12),
     "Saltmere attack: guards among the dead\n"
     "Eight guards were among the 40 people killed at the refinery in Saltmere, a company spokesman said.\n"
     "Five gunmen were shot dead by soldiers.",
     [killed("Eight guards", 8, "refinery-killed-guards", subject="guards", attributed_to="a company spokesman"),
      killed("40 people", 40, "refinery-killed", subject="people", attributed_to="a company spokesman"),
      killed("Five gunmen", 5, "refinery-attackers-killed", subject="gunmen")]),
    ("Ravel Wire", "Saltmere marks five years since refinery attack", D(2039, 6, 10),
     "Saltmere marks five years since refinery attack\n"
     "Relatives gathered in Saltmere to remember the 2034 attack on the Brennock refinery, which killed 52 people.\n"
     "A roadside bomb near Saltmere killed three soldiers on Sunday.",
     [killed("52 people", 52, "refinery-killed", subject="people"),
      killed("three soldiers", 3, None, subject="soldiers")]),
]

# ---------------------------------------------------------------- two groups' strengths, reports years apart
STRENGTHS = [
    ("Pellam Times", "Sarvel Hand expands in the north", D(2033, 2, 10),
     "Sarvel Hand expands in the north\n"
     "The Sarvel Hand has about 4,000 fighters in the northern hills, a security assessment said.",
     [force("about 4,000 fighters", 4000, "sarvel-strength", subject="fighters",
            attributed_to="a security assessment")]),
    ("Monitoring Panel", "Third report on armed groups in Orsk", D(2035, 8, 1),
     "Third report on armed groups in Orsk\n"
     "The panel estimates the Sarvel Hand at between 2,500 and 3,500 fighters.\n"
     "The Korran Legion numbers an estimated 1,200 fighters, the panel said.",
     [force("between 2,500 and 3,500 fighters", 2500, "sarvel-strength", high=3500, subject="fighters",
            attributed_to="The panel"),
      force("an estimated 1,200 fighters", 1200, "korran-strength", subject="fighters", attributed_to="the panel")]),
    ("Ravel Wire", "Korran Legion recruits in Vessmark", D(2036, 1, 20),
     "Korran Legion recruits in Vessmark\n"
     "The Korran Legion now has some 1,500 members, officials in Vessmark said.",
     [force("some 1,500 members", 1500, "korran-strength", subject="members", attributed_to="officials")]),
    ("Orsk Herald", "Sarvel Hand at 3,000, says ministry", D(2036, 1, 22),
     "Sarvel Hand at 3,000, says ministry\n"
     "The Sarvel Hand counts roughly 3,000 fighters, the defence ministry said.",
     [force("roughly 3,000 fighters", 3000, "sarvel-strength", subject="fighters",
            attributed_to="the defence ministry")]),
]

# ---------------------------------------------------------------- two bombings one day, a convoy ambush, parts and totals
def _bomb(outlet, published, town, site, total, children, hurt, tag):
    text = (f"Blast at {site} in {town} kills {total}\n"
            f"A bomb at a {site} in {town} killed {total} people on Thursday, among them {children} children, police said.\n"
            f"Another {hurt} people were hurt.")
    return (outlet, f"Blast at {site} in {town} kills {total}", published, text,
            [killed(f"{total} people", total, f"{tag}-killed", subject="people", attributed_to="police"),
             killed(f"{children} children", children, f"{tag}-killed-children", subject="children",
                    attributed_to="police"),
             injured(f"{hurt} people", hurt, f"{tag}-injured", subject="people")])


BOMBS = [
    _bomb("Ravel Wire", D(2035, 9, 5), "Dunmere", "bus station", 19, 7, 30, "dunmere"),
    _bomb("Orsk Herald", D(2035, 9, 5), "Dunmere", "bus station", 21, 7, 34, "dunmere"),
    _bomb("Pellam Times", D(2035, 9, 6), "Dunmere", "bus station", 22, 8, 33, "dunmere"),
    _bomb("Ravel Wire", D(2035, 9, 5), "Ashcombe", "market", 16, 4, 25, "ashcombe"),
    _bomb("Orsk Herald", D(2035, 9, 5), "Ashcombe", "market", 17, 5, 27, "ashcombe"),
    _bomb("Pellam Times", D(2035, 9, 6), "Ashcombe", "market", 18, 5, 26, "ashcombe"),
]

CONVOY = [
    ("Ravel Wire", "Convoy ambushed near Tolsby", D(2035, 10, 2),
     "Convoy ambushed near Tolsby\n"
     "Militants ambushed a convoy of 60 vehicles carrying 2,100 police personnel near Tolsby on Wednesday, killing 31.\n"
     "One bus had 44 personnel on board when it was hit.",
     [force("2,100 police personnel", 2100, "convoy-size", subject="police personnel"),
      killed("31", 31, "convoy-killed"),
      force("44 personnel", 44, "convoy-bus-aboard", subject="personnel")]),
    ("Orsk Herald", "Tolsby ambush kills 33 police", D(2035, 10, 3),
     "Tolsby ambush kills 33 police\n"
     "The convoy, with about 2,000 personnel in 60 vehicles, was attacked near Tolsby, killing 33 officers.",
     [force("about 2,000 personnel", 2000, "convoy-size", subject="personnel"),
      killed("33 officers", 33, "convoy-killed", subject="officers")]),
    ("Pellam Times", "Police bus hit in Tolsby ambush", D(2035, 10, 3),
     "Police bus hit in Tolsby ambush\n"
     "A bus with 44 policemen aboard took the full force of the blast near Tolsby, and 28 of them died.",
     [force("44 policemen", 44, "convoy-bus-aboard", subject="policemen"),
      killed("28", 28, "convoy-bus-killed")]),
    ("Brask Radio", "Tolsby convoy attack: one bus carried 44", D(2035, 10, 2),
     "Tolsby convoy attack: one bus carried 44\n"
     "Militants ambushed a police convoy near Tolsby on Wednesday.\n"
     "One bus in the convoy had 44 personnel on board.",
     [force("44 personnel", 44, "convoy-bus-aboard", subject="personnel")]),
]

SETS = {"truce": TRUCE, "refinery": REFINERY, "strengths": STRENGTHS, "bombs": BOMBS, "convoy": CONVOY}
ALL = [doc for docs in SETS.values() for doc in docs]


def labelled_records(docs):
    """Return (records, fact label per record fingerprint)."""
    recs = line_records(docs)
    labels = [spec["fact"] for _, _, _, _, specs in docs for spec in specs]
    return recs, {r.fingerprint: lab for r, lab in zip(recs, labels)}


def pair_scores(groups, labels: dict[str, str | None]) -> tuple[float, float, float]:
    """Return pairwise (precision, recall, F1) of ``groups`` against the fact labels."""
    truth = {frozenset((a, b)) for a, b in combinations(sorted(labels), 2)
             if labels[a] is not None and labels[a] == labels[b]}
    got = {frozenset((a.fingerprint, b.fingerprint)) for g in groups for a, b in combinations(g, 2)}
    hit = len(truth & got)
    p = hit / len(got) if got else 1.0
    r = hit / len(truth) if truth else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
