"""Headlines that name the country, ledes that name the town, in a FICTIONAL country (issue 13).

Every place, person, group and outlet here is INVENTED (no real event). Two bombings two days
apart in two towns of Brannoch: the wire's headline for the first names only the country ("Bomb at
Brannoch bus station kills at least 23"), and so does the news agency's for the second ("Market
blast kills 22 in Brannoch"); their ledes name the towns as towns ("in the northern Brannochi city
of Ostervik", "in the town of Harlow"). Each incident is placed in its town, so the country in a
headline takes no report to the other incident.
"""
from __future__ import annotations

import datetime as dt

import pytest

from claims.compare.features import text_cues
from tests.compare_outlets import group_of, grouped, pair_scores

D = dt.date
K = "casualties"

DOCS = [
    ("Harbour Wire", D(2036, 10, 7),
     "Bomb at Brannoch bus station kills at least 23: police\n\n"
     "OSTERVIK, Brannoch, Oct 7 (Harbour Wire) - A bomb exploded at the main bus station in the northern "
     "Brannochi city of Ostervik on Tuesday, killing at least 23 people, police said.",
     [("at least 23", K, "ostervik/killed"), ("at least 23 people", K, "ostervik/killed")]),
    ("Brannoch Radio", D(2036, 10, 8),
     "Ostervik bus station bombing: toll rises to 27\n\n"
     "The death toll from Tuesday's bombing at the bus station in Ostervik has risen to 27, hospital officials "
     "said.",
     [("27", K, "ostervik/killed")]),
    ("Kessel Press Agency", D(2036, 10, 9),
     "Market blast kills 22 in Brannoch\n\n"
     "HARLOW, Oct. 9 (KPA) - A bomb exploded in a vegetable market in the town of Harlow on Thursday, "
     "killing at least 22 people, the police chief said.",
     [("22", K, "harlow/killed"), ("at least 22 people", K, "harlow/killed")]),
    ("Eastline News", D(2036, 10, 10),
     "Harlow market bombing: death toll rises to 25\n\n"
     "The death toll from Thursday's bombing at a market in the Brannochi town of Harlow has risen to 25, "
     "health officials say.",
     [("25", K, "harlow/killed")]),
]


@pytest.fixture(scope="module")
def coverage():
    return grouped(DOCS)


def test_each_bombings_toll_stays_in_its_town(coverage):
    recs, labels, g = coverage
    ostervik, harlow = group_of(g, "27", 2), group_of(g, "25", 4)
    assert ostervik != harlow
    assert group_of(g, "at least 23", 1) == ostervik
    assert group_of(g, "at least 22 people", 3) == harlow


def test_precision_is_perfect(coverage):
    recs, labels, g = coverage
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0 and r >= 0.8, (p, r)


@pytest.mark.parametrize("text, places, settled", [
    ("A bomb exploded in a market in the northern Brannochi town of Harlow.", ("Harlow",), ("Harlow",)),
    ("Gunmen attacked the village of Tombali on Monday.", ("Tombali",), ("Tombali",)),
    ("Fighting spread to the province of Kell Harrow.", ("Kell Harrow",), ("Kell Harrow",)),
    # "of" alone places nothing
    ("The minister spoke of Harlow with sorrow.", (), ()),
    ("A bomb exploded in Harlow.", ("Harlow",), ()),
])
def test_a_name_after_town_of_is_a_settlement(text, places, settled):
    cues = text_cues(text)
    assert cues.places == places and cues.settled == settled


GROUPS = [
    ("Harbour Wire", D(2036, 10, 7),
     "Truce holds in Ostervik\n\n"
     "OSTERVIK, Brannoch, Oct 7 (Harbour Wire) - The Grey Fen Movement, which the army says has about 3,000 "
     "fighters, kept to the truce on Tuesday.\n\n"
     "The deal does not cover the Tarn Volunteers, a militia of around 800 members that has attacked Grey Fen "
     "Movement positions.",
     [("about 3,000 fighters", "force_size", "gfm"), ("around 800 members", "force_size", "tarn")]),
    ("Brannoch Radio", D(2036, 10, 8),
     "Ostervik truce: army blames rebels for shelling\n\n"
     "The army blamed the Kessel Brotherhood, a separatist group it says has around 1,200 fighters, for "
     "shelling near Ostervik on Tuesday. The Grey Fen Movement has some 2,800 fighters, officials said.",
     [("around 1,200 fighters", "force_size", "kessel"), ("some 2,800 fighters", "force_size", "gfm")]),
]


def test_differently_named_groups_strengths_never_join():
    recs, labels, g = grouped(GROUPS)
    gfm = group_of(g, "about 3,000 fighters", 1)
    assert group_of(g, "some 2,800 fighters", 2) == gfm
    assert group_of(g, "around 800 members", 1) != gfm
    assert group_of(g, "around 1,200 fighters", 2) != gfm
