"""Counts a report gives beside its incident's toll, in a FICTIONAL country (issue 13).

Every place, person, group and outlet here is INVENTED (no real event). Three outlets report one bus
depot bombing in Varnaby, and each also tells of something else: a separate roadside bomb the same
day near Holm ("In a separate attack on the same day, ..."), a monitor's count over a period ("since
January", "In February alone"), and a claim putting "the number of soldiers killed at" a figure.
None of these is the bombing's toll or one of its parts: precision first, they never join it.
"""
from __future__ import annotations

import datetime as dt

import pytest

from claims.compare.facts import PERIOD, fact_key
from tests.compare_outlets import group_of, grouped, pair_scores

D = dt.date
K = "casualties"
TOTAL, HOLM = "varnaby/killed", "holm/police-killed"

DOCS = [
    ("Kestrel Wire", D(2034, 3, 7),
     "Bomb kills 18 at Varnaby bus depot\n\n"
     "VARNABY, Ostrel, March 7 (Kestrel) - A bomb exploded at the main bus depot in the town of Varnaby on "
     "Tuesday, killing 18 people, police said.\n\n"
     "In a separate attack on the same day, a roadside bomb struck a police vehicle near the village of Holm, "
     "killing four police officers, a district official said.\n\n"
     "The Ostrel Monitor says more than 600 people have been killed in the province since January.",
     [("18 people", K, TOTAL), ("four police officers", K, HOLM), ("more than 600 people", K, "province/since-jan")]),
    ("Harbour Times", D(2034, 3, 8),
     "Varnaby depot bombing: toll rises to 21\n\n"
     "The death toll in Tuesday's bombing at the Varnaby bus depot has risen to 21, including two police "
     "officers, hospital officials said.\n\n"
     "On the same day, an IED hit a police vehicle near Holm, killing four police personnel.\n\n"
     "In February alone, monitors recorded 90 civilians killed in the province.",
     [("21", K, TOTAL), ("two police officers", K, "varnaby/police-killed"), ("four police personnel", K, HOLM),
      ("90 civilians", K, "province/february")]),
    ("Ostrel Radio", D(2034, 3, 9),
     "Rebels claim Varnaby depot bombing\n\n"
     "The Ostrel Freedom Army claimed Tuesday's bombing of the Varnaby bus depot, which killed 21 people.\n\n"
     "The group's statement put the number of soldiers killed at \"more than 40\", a figure officials deny.",
     [("21 people", K, TOTAL), ("more than 40", K, "varnaby/soldiers-claimed")]),
]


@pytest.fixture(scope="module")
def coverage():
    return grouped(DOCS)


@pytest.mark.parametrize("quote, sentence, fact", [
    ("More than 600 people", "More than 600 people have been killed in the province since January.",
     f"{PERIOD}:since january"),
    ("90 civilians", "In February alone, monitors recorded 90 civilians killed.", f"{PERIOD}:in february alone"),
    # the cue nearest the figure: each of two periods in one sentence keeps its own
    ("46 deaths", "Monitors recorded 46 deaths between July and September, against 112 in the same quarter of "
     "the year before.", f"{PERIOD}:between july and september"),
    ("112", "Monitors recorded 46 deaths between July and September, against 112 in the same quarter of the "
     "year before.", f"{PERIOD}:in the same quarter"),
    # never a period: a superlative compares the incident with the year's others
    ("30 people", "The bombing was the deadliest this year, killing 30 people.", ""),
    ("30 people", "The bombing was the deadliest attack this year, killing 30 people.", ""),
    ("44 people", "Of all the attacks this year, the bombing killed 44 people.", ""),
    # ... anywhere in the cue's own phrase
    ("nine soldiers", "Rebels ambushed a convoy on Tuesday, killing nine soldiers, the ministry said, in the "
     "deadliest attack on the military in Dorrou province this year.", ""),
    ("64 civilians", "Monitors recorded 64 civilians killed in the province this year, the worst toll since "
     "2030.", f"{PERIOD}:this year"),
    ("30 people", "Gunmen killed 30 people on Monday.", ""),
    # a month before "last year" or "this year" dates the figure's attack: no count over a period
    ("18 people", "In Orsk, where rebels killed 18 people in June last year, a memorial was unveiled.", ""),
    ("nine miners", "The mine, where a blast killed nine miners in February this year, reopened.", ""),
    ("52 people", "Floods have killed 52 people in the valley last year and this year.", f"{PERIOD}:last year"),
])
def test_a_count_over_a_period_is_a_fact_of_its_own(quote, sentence, fact):
    assert fact_key(K, quote, sentence, None, None) == fact


@pytest.mark.parametrize("quote, sentence, fact", [
    ("14", "Nine of the dead were soldiers and 14 were civilians, the governor said.", "part:civilians"),
    ("three", "The bus carried 40 passengers; three were children.", "part:children"),
    # a bare count said to be killed, or a bare count with no class after it, is no part
    ("14", "Rebels killed 14 people in Ardo. All the victims were civilians, and 14 were killed outright.", ""),
    ("14", "The 14 were buried on Sunday.", ""),
])
def test_a_bare_count_said_to_be_a_class_is_that_part(quote, sentence, fact):
    assert fact_key(K, quote, sentence, None, None) == fact


@pytest.mark.parametrize("quote, sentence, fact", [
    # two classes joined are one part of their own, never either class's
    ("Nine", "Nine of the dead were police officers and soldiers, the governor said.", "part:police+soldiers"),
    ("Nine", "Nine of the dead were soldiers and police.", "part:police+soldiers"),
    ("nine", "The army said nine were soldiers or police.", "part:police+soldiers"),
    # members of a class are of that class
    ("Nine", "Nine of the dead were members of the security forces.", "part:soldiers"),
    # a count after "and" is no second class
    ("Nine", "Nine of the dead were soldiers and two were police.", "part:soldiers"),
    ("Nine", "Nine of the dead were children.", "part:children"),
])
def test_a_part_is_the_class_or_the_classes_it_is_said_to_be(quote, sentence, fact):
    assert fact_key(K, quote, sentence, None, None) == fact


def test_the_number_of_a_class_killed_is_that_class_and_of_people_the_total():
    said = 'The statement put the number of soldiers killed at "more than 40".'
    assert fact_key(K, "more than 40", said, None, None) == "part:soldiers"
    assert fact_key(K, "more than 40", "Officials put the number of people killed at more than 40.", None, None) == ""
    # ... and the number it is brought to
    raised = "A ninth soldier died on Friday, the army said, bringing the number of troops killed to nine."
    assert fact_key(K, "nine", raised, None, None) == "part:soldiers"


def test_nothing_else_a_report_counts_joins_the_bombings_toll(coverage):
    recs, labels, g = coverage
    total = group_of(g, "21", 2)
    assert group_of(g, "18 people", 1) == total and group_of(g, "21 people", 3) == total
    for quote, doc in (("four police officers", 1), ("four police personnel", 2), ("more than 600 people", 1),
                       ("90 civilians", 2), ("more than 40", 3)):
        assert group_of(g, quote, doc) != total, quote
    police = group_of(g, "two police officers", 2)
    assert police not in (group_of(g, "four police officers", 1), group_of(g, "four police personnel", 2))
    assert group_of(g, "more than 600 people", 1) != group_of(g, "90 civilians", 2)


def test_the_separate_attack_is_not_the_bombings_incident(coverage):
    recs, labels, g = coverage
    for r in recs:
        if r.claim.quote in ("four police officers", "four police personnel"):
            ev = g.events[next(i for i, grp in enumerate(g.groups) if r in grp)]
            assert ev is None or "Varnaby" not in ev.label, ev


def test_precision_is_perfect_and_the_tolls_join(coverage):
    recs, labels, g = coverage
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0 and r >= 0.5, (p, r)


# A count of one class broken down after it ("26 villagers were killed, including nine women and eight children")
# is the whole toll, not a part beside the classes it is broken into; two classes side by side ("three soldiers were
# killed, while 34 civilians died") still make each a part.
BROKEN_DOWN = [
    ("Orrin Wire", D(2061, 8, 4),
     "Gunmen kill 26 at church in Mabel\n\n"
     "MABEL, Aug 4 (Orrin Wire) - Gunmen attacked a church in the village of Mabel during Sunday mass, "
     "killing 26 people, police said.",
     [("26 people", K, "total")]),
    ("Halden Daily", D(2061, 8, 5),
     "Mabel buries its dead\n\n"
     "Mourners in Mabel buried the victims of Sunday's church attack. According to local officials, 26 "
     "villagers were killed, including nine women and eight children, and 34 others were injured.",
     [("26 villagers", K, "total")]),
]


def test_a_class_broken_down_after_it_is_the_whole_toll():
    recs, labels, g = grouped(BROKEN_DOWN)
    assert group_of(g, "26 people", 1) == group_of(g, "26 villagers", 2)


# Worshippers are civilians: "26 worshippers" in one report and "26 villagers" in another may count the same dead;
# soldiers are no civilians, and their count stays apart.
WITHIN = [
    ("Orrin Wire", D(2061, 8, 4),
     "Gunmen kill 26 worshippers at Mabel church\n\n"
     "MABEL, Aug 4 (Orrin Wire) - Gunmen killed 26 worshippers at a church in the village of Mabel during "
     "Sunday mass, police said.",
     [("26 worshippers", K, "total")]),
    ("Halden Daily", D(2061, 8, 5),
     "Mabel buries its dead\n\n"
     "Mourners in Mabel buried the victims of Sunday's church attack, in which 26 villagers were killed. Two "
     "soldiers were killed in a clash near Mabel on Monday.",
     [("26 villagers", K, "total")]),
]


def test_worshippers_are_villagers_and_soldiers_are_not():
    recs, labels, g = grouped(WITHIN)
    assert group_of(g, "26 worshippers", 1) == group_of(g, "26 villagers", 2)
    assert group_of(g, "Two soldiers", 2) != group_of(g, "26 villagers", 2)
