"""A report's lede after its byline, and a look back that dates two attacks, in a FICTIONAL country (issue 13).

Every place, person, group and outlet here is INVENTED (no real event). Two outlets report a raid on the
Tarnow livestock market on Saturday 3 March 2040. Seven weeks later a regional weekly reports a raid on
the bus station at Vellmoor (no other outlet has it yet), "60 km north of Tarnow"; its text opens with a
masthead line and a byline before the lede, and a later paragraph recalls the Tarnow raid, day and toll
("That toll was put at 31 ..."). A year on, an opinion piece looks back at both raids, each with its own
full date. The Vellmoor raid is its own incident: the weekly's opening dates it, not the Tarnow day its
fourth paragraph recalls, and the look back's sentence on Vellmoor is Vellmoor's, although the piece is
about Tarnow.
"""
from __future__ import annotations

import datetime as dt

import pytest

from claims.compare.events import _lede_end
from tests.compare_outlets import group_of, grouped

D = dt.date
K = "casualties"

DOCS = [
    ("Orrin Wire", D(2040, 3, 4),
     "Gunmen kill 31 at Tarnow market\n\n"
     "TARNOW, March 4 (Orrin Wire) - Gunmen on motorcycles killed 31 people in a raid on the livestock market "
     "in Tarnow, in Kessel province, on Saturday, the provincial governor said.\n\n"
     "Twelve people were wounded, a hospital official said.",
     [("31 people", K, "tarnow/killed"), ("Twelve people", K, "tarnow/injured")]),
    ("Halden Daily", D(2040, 3, 5),
     "Tarnow mourns 31 dead after market raid\n\n"
     "Thirty-one people died when gunmen raided the Tarnow livestock market in Kessel province on "
     "Saturday, police said on Sunday. Twelve others were injured.",
     [("Thirty-one people", K, "tarnow/killed"), ("Twelve others", K, "tarnow/injured")]),
    ("Osterlund Weekly", D(2040, 4, 25),
     "Vellmoor buries its dead after bus station raid\n\n"
     "Osterlund Weekly - Regional news\n\n"
     "By Ama Osei\n\n"
     "VELLMOOR - Nineteen people were killed on Monday when armed men attacked the bus station in Vellmoor, "
     "60 km north of Tarnow, according to the district prefect. Seven others were wounded.\n\n"
     "The attack revived memories of the raid on the Tarnow livestock market on March 3, in which 31 people "
     "died. That toll was put at 31 by the interior ministry.",
     [("Nineteen people", K, "vellmoor/killed"), ("31 people", K, "tarnow/killed"), ("31#1", K, "tarnow/killed")]),
    ("Halden Review", D(2041, 3, 3),
     "A year after Tarnow, the markets are still unguarded\n\n"
     "By Pell Marrow, senior fellow at the Halden Institute\n\n"
     "On March 3, 2040, gunmen rode into the livestock market at Tarnow and opened fire, killing 31 people. "
     "It was supposed to be a turning point for Kessel province.\n\n"
     "On April 23, 2040, the same tactics left 21 dead at the bus station in Vellmoor.",
     [("31 people", K, "tarnow/killed"), ("21 dead", K, "vellmoor/killed")]),
]


@pytest.fixture(scope="module")
def coverage():
    return grouped(DOCS)


def test_the_lede_after_a_masthead_and_byline_dates_the_report(coverage):
    recs, labels, g = coverage
    vellmoor = group_of(g, "Nineteen people", 3)
    assert group_of(g, "31 people", 1) != vellmoor
    ev = g.events[next(i for i, grp in enumerate(g.groups) if id(grp) == vellmoor)]
    assert ev is not None and "Vellmoor" in ev.label, ev


def test_the_recalled_raid_stays_tarnows(coverage):
    recs, labels, g = coverage
    tarnow = group_of(g, "31 people", 1)
    assert group_of(g, "Thirty-one people", 2) == tarnow
    assert group_of(g, "31 people", 3) == tarnow
    assert group_of(g, "31", 3) == tarnow  # "That toll was put at 31": the toll of the sentence before


def test_a_look_back_dates_each_raid_it_tells(coverage):
    recs, labels, g = coverage
    assert group_of(g, "31 people", 4) == group_of(g, "31 people", 1)
    assert group_of(g, "21 dead", 4) == group_of(g, "Nineteen people", 3)


def test_the_lede_is_the_first_paragraph_that_reads_as_prose():
    lead = ("Raid on bus station\n\n[Editor's note: updated.]\n\nHarbour Weekly - Regional news\n\n"
            "By Ama Osei, West Africa correspondent\n\nGunmen killed 9 people on Monday, police said.\n\n"
            "More follows.")
    assert lead[:_lede_end(lead)].endswith("police said.")
    plain = "Raid on bus station\n\nGunmen killed 9 people on Monday, police said.\n\nMore follows."
    assert plain[:_lede_end(plain)].endswith("police said.")


# Five years on, an anniversary piece dates the raid by its month only ("The March 2040 raid"), and its
# other sentences give no date at all: the piece is the raid's report all the same.
MONTH_ONLY = DOCS[:2] + [
    ("Orrin Wire", D(2045, 3, 3),
     "Five years on, Tarnow still waits for justice\n\n"
     "TARNOW, March 3 (Orrin Wire) - Crowds gathered at the livestock market in Tarnow in Kessel province on "
     "Saturday to mark five years since the raid that killed 31 people there.\n\n"
     "The March 2040 raid remains the deadliest in the province. Twelve people were wounded, according to "
     "the final government count. No one has been tried.",
     [("31 people", K, "tarnow/killed"), ("Twelve people", K, "tarnow/injured")]),
]


def test_a_look_back_that_gives_the_attacks_month_is_its_report():
    recs, labels, g = grouped(MONTH_ONLY)
    assert group_of(g, "31 people", 3) == group_of(g, "31 people", 1)
    assert group_of(g, "Twelve people", 3) == group_of(g, "Twelve people", 1)


# A report of a new attack in one town also updates the toll of an earlier attack there, by a sentence that
# gives that attack's day, two weeks before the report; no other report has that attack. Two months on,
# another outlet reports a third attack in the town, in the same words. The update and the later toll share
# the town, the governor and the wording, and are tolls of attacks two months apart; the update and the
# report's own toll share the town and the report, and are tolls of attacks two weeks apart.
TWO_ATTACKS = [
    ("Orrin Wire", D(2042, 4, 9),
     "Police post attacked in Kessmoor\n\n"
     "Five people died in an attack on a police post in Kessmoor on Tuesday, police said.\n\n"
     "The death toll from the attack in Kessmoor on March 26 rose to 59, the provincial governor said.",
     [("Five people", K, "kessmoor-april/killed"), ("59", K, "kessmoor-march/killed")]),
    ("Halden Daily", D(2042, 6, 1),
     "Kessmoor toll rises\n\n"
     "The death toll from the attack in Kessmoor on May 30 rose to 108, the provincial governor said.",
     [("108", K, "kessmoor-may/killed")]),
]


def test_an_update_to_an_earlier_attacks_toll_stays_apart_from_a_later_attacks():
    recs, labels, g = grouped(TWO_ATTACKS)
    assert group_of(g, "59", 1) != group_of(g, "108", 2)
    assert group_of(g, "59", 1) != group_of(g, "Five people", 1)  # the March attack's, not Tuesday's


# A year on, a broadcaster's piece names only the town, the target and the day: one name, one target and
# the attack's day are enough to be that attack's look back.
ONE_NAME = [
    ("Orrin Wire", D(2045, 5, 2),
     "Bomb kills 22 at Orlen bus station\n\n"
     "ORLEN, Kessel province - A bomb killed 22 people at the bus station in Orlen on Monday, the Kessel "
     "provincial police said. The Orlen Civil Hospital treated 40 wounded.",
     [("22 people", K, "orlen/killed")]),
    ("Halden Radio", D(2046, 5, 1),
     "A year after Orlen bus station bombing, families still wait\n\n"
     "Relatives gathered at the rebuilt Orlen bus station on Friday to mark one year since the bombing that "
     "killed 22 people on May 1, 2045.",
     [("22 people", K, "orlen/killed")]),
]


def test_a_look_back_that_shares_the_day_the_town_and_the_target_is_that_attacks():
    recs, labels, g = grouped(ONE_NAME)
    assert group_of(g, "22 people", 2) == group_of(g, "22 people", 1)


# Four years on, another bomb at the same market; the headline counts its dead "four years after" the raid,
# whose year it names: that year is the raid's, not the new bomb's.
FOUR_YEARS_ON = DOCS[:2] + [
    ("Orrin Wire", D(2044, 3, 5),
     "Bomb at Tarnow market kills nine, four years after deadly 2040 raid\n\n"
     "TARNOW - A bomb hidden in a cart exploded at the livestock market in Tarnow in Kessel province on "
     "Friday, killing nine people, police said.",
     [("nine", K, "tarnow2044/killed"), ("nine people", K, "tarnow2044/killed")]),
]


def test_a_year_after_an_elapsed_span_dates_the_earlier_event_not_the_count():
    recs, labels, g = grouped(FOUR_YEARS_ON)
    assert group_of(g, "nine", 3) != group_of(g, "31 people", 1)
    assert group_of(g, "nine", 3) == group_of(g, "nine people", 3)
