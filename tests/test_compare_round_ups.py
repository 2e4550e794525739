"""A news round-up that tells of a bombing and of a disaster elsewhere (FICTIONAL, issue 13).

Every place, person and outlet here is INVENTED (no real event). A wire and a radio report a car bomb at
a checkpoint outside Mestra; a world-in-brief round-up of the same day has the bombing in one item and a
cyclone on the island of Sorel in another, each with its toll. The cyclone's toll is no figure of the
bombing, although the round-up's headline is about the bombing and its toll is the same number.
"""
from __future__ import annotations

import datetime as dt

import pytest

from tests.compare_outlets import group_of, grouped, pair_scores

D = dt.date
K = "casualties"

DOCS = [
    ("Orrin Wire", D(2043, 9, 6),
     "Car bomb kills 17 at Mestra checkpoint\n\n"
     "MESTRA, Sept 6 (Orrin Wire) - A car bomb killed 17 people at a police checkpoint outside Mestra on "
     "Saturday, the interior ministry said.",
     [("17 people", K, "mestra/killed")]),
    ("Halden Radio", D(2043, 9, 7),
     "World in brief: car bomb in Mestra; cyclone hits Sorel\n\n"
     "VELANDRA: Checkpoint bombing\n"
     "A suicide car bomb killed 17 people at a police checkpoint outside Mestra on Saturday, officials said.\n\n"
     "SOREL: Cyclone toll\n"
     "Cyclone Irma has killed 17 people on the island of Sorel, the civil protection agency said, and cut "
     "power to much of the capital.",
     [("17 people", K, "mestra/killed"), ("17 people#1", K, "sorel/killed")]),
]


@pytest.fixture(scope="module")
def coverage():
    return grouped(DOCS)


def test_a_disaster_in_a_round_up_is_not_the_bombings(coverage):
    recs, labels, g = coverage
    bombing = group_of(g, "17 people", 1)
    cyclone = next(id(grp) for grp in g.groups for r in grp
                   if r.document_id == 2 and r.claim.quote == "17 people" and "Cyclone" in (r.claim.sentence or ""))
    assert cyclone != bombing
    assert sum(1 for grp in g.groups if id(grp) == bombing for r in grp if r.document_id == 2) == 1
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# A weekly round-up headlined with neither violence nor a truce: its first item is a truce, its others a
# ferry disaster and a mine collapse. Neither disaster is the truce's incident, so their tolls never join.
WEEKLY = [
    ("Orrin Wire", D(2043, 3, 2),
     "Velandra government and rebels agree 30-day truce\n\n"
     "PORT OSTEN, March 2 (Orrin Wire) - Velandra's government and the Grey Fen Front agreed a 30-day truce "
     "starting on March 3, mediators said.",
     []),
    ("Halden Weekly", D(2043, 3, 7),
     "The week in brief: the north\n\n"
     "VELANDRA - Truce holds\n"
     "A 30-day truce between the government and the Grey Fen Front, which began on March 3, was holding by "
     "Friday, monitors said.\n\n"
     "OSTMARK - Ferry disaster\n"
     "At least 27 people died after an overloaded ferry capsized on the Lanuvo River on Sunday, the coast "
     "guard said.\n\n"
     "KESHAL - Mine collapse\n"
     "A tunnel collapse at a coal mine in Dovra on Thursday killed nine people, the mining company said.",
     [("At least 27 people", K, "ferry/killed"), ("nine people", K, "mine/killed")]),
]


def test_disasters_in_a_round_up_of_neither_violence_nor_a_truce_stay_apart():
    recs, labels, g = grouped(WEEKLY)
    assert group_of(g, "At least 27 people", 2) != group_of(g, "nine people", 2)


# A situation report headlined with a bombing and floods: the floods' item tells its toll in the sentence
# after the one that names the floods ("Nine deaths and 21 injuries have been reported"). That sentence
# names no event or place of its own: it is the floods', like the one before it, not the bombing's toll.
# "deaths" and "injuries" name nobody in particular, like "dead" and "injured".
FLOODS = [
    ("Orrin Wire", D(2043, 9, 6),
     "Car bomb kills 9 at Mestra checkpoint\n\n"
     "MESTRA, Sept 6 (Orrin Wire) - A car bomb killed nine people and wounded 21 at a police checkpoint "
     "outside Mestra on Saturday, the interior ministry said.",
     [("nine people", K, "mestra/killed"), ("21", K, "mestra/injured")]),
    ("Relief Forum", D(2043, 9, 8),
     "Mestra bombing and Sorel floods: Situation Report No. 2\n\n"
     "A car bomb killed nine people and wounded 21 at a police checkpoint outside Mestra on 6 September, "
     "according to the health office.\n\n"
     "On the island of Sorel, heavy rain since 4 September has flooded villages along the Venn river. Nine "
     "deaths and 21 injuries have been reported.",
     [("nine people", K, "mestra/killed"), ("21", K, "mestra/injured"),
      ("Nine deaths", K, "sorel/killed"), ("21 injuries", K, "sorel/injured")]),
]


def test_a_disasters_toll_in_the_sentence_after_it_is_the_disasters():
    from claims.compare.features import lexicon

    assert "death" in lexicon().outcome_nouns["killed"] and "injuries" in lexicon().outcome_nouns["injured"]
    recs, labels, g = grouped(FLOODS)
    assert group_of(g, "Nine deaths", 2) != group_of(g, "nine people", 1)
    assert group_of(g, "21 injuries", 2) != group_of(g, "21", 1)
    assert group_of(g, "nine people", 2) == group_of(g, "nine people", 1)


def test_an_incident_is_never_named_for_the_person_who_gives_its_figures():
    # the reports' only shared name is the speaker's: the heading names no place rather than a person
    docs = [("Halden Weekly", D(2043, 3, 23),
             "Update\n\n"
             "Ana Velt told reporters that 12 people died when gunmen attacked a market on Friday. Bukal "
             "families buried them on Saturday.",
             [("12 people", K, "bukal/killed")]),
            ("Orrin Wire", D(2043, 3, 22),
             "Bukal mourns\n\n"
             "Gunmen attacked a market on Friday, killing 12 people, Ana Velt said. Bukal families mourned on "
             "Saturday.",
             [("12 people", K, "bukal/killed")])]
    recs, labels, g = grouped(docs)
    label = next(ev.label for grp, ev in zip(g.groups, g.events) for r in grp if r.claim.quote == "12 people")
    assert "Ana Velt" not in label and label.startswith("market attack"), label


# A situation update datelined in Tarrow tells two attacks of its days, each with its toll: it is the report
# of neither, so Tarrow is still where one incident only happened. A later story from Olmark recalls the
# Tarrow bombing's toll in a clause naming Tarrow: that toll is the Tarrow bombing's; and so it is in a second
# update whose sentence dates the Olmark bombing and recalls the Tarrow one "four days" before.
TWO_ATTACKS = [
    ("Orrin Wire", D(2044, 3, 14),
     "Market bombing kills 34 in Tarrow\n\n"
     "TARROW, March 14 (Orrin Wire) - A bomb at the central market in Tarrow killed 34 people on March 14, "
     "police said.",
     [("34 people", K, "tarrow/killed")]),
    ("Orrin Wire", D(2044, 3, 18),
     "Bus station bombing kills 29 in Olmark\n\n"
     "OLMARK, March 18 (Orrin Wire) - A suicide bomber killed 29 people at the bus station in Olmark on "
     "March 18, officials said.",
     [("29 people", K, "olmark/killed")]),
    ("Halden Radio", D(2044, 3, 15),
     "Tarrow buries market bombing dead\n\n"
     "TARROW - Funerals were held on Sunday for the 34 people killed in the bombing of the central market in "
     "Tarrow on March 14.",
     [("34 people", K, "tarrow/killed")]),
    ("Halden Radio", D(2044, 3, 19),
     "Olmark mourns bus station dead\n\n"
     "OLMARK - Olmark mourned on Thursday the 29 people killed in the suicide bombing at the bus station in "
     "Olmark on March 18.",
     [("29 people", K, "olmark/killed")]),
    ("UN Mission in Osland", D(2044, 3, 24),
     "Tarrow: Situation Update No. 7\n\n"
     "TARROW - On 14 March, a bomb at the central market in Tarrow killed 34 people. On 18 March, a suicide "
     "bomber killed 29 people at the bus station in Olmark.",
     [("34 people", K, "tarrow/killed"), ("29 people", K, "olmark/killed")]),
    ("Halden Daily", D(2044, 3, 26),
     "Olmark traders return to bus station\n\n"
     "OLMARK - Traders returned on Thursday to the bus station in Olmark, eight days after the suicide "
     "bombing there, and 12 days after a market bombing in Tarrow killed 34.",
     [("34", K, "tarrow/killed")]),
    ("UN Mission in Osland", D(2044, 3, 31),
     "Osland: Situation Update No. 8\n\n"
     "On 14 March, a bomb at the central market in Tarrow killed 34 people. A suicide bomber killed 29 people "
     "at the bus station in Olmark on 18 March, four days after a market bombing in Tarrow killed 34.",
     [("34 people", K, "tarrow/killed"), ("29 people", K, "olmark/killed"), ("34", K, "tarrow/killed")]),
]


def test_a_round_ups_dateline_is_no_place_of_an_incident():
    recs, labels, g = grouped(TWO_ATTACKS)
    tarrow = group_of(g, "34 people", 1)
    assert group_of(g, "34", 6) == tarrow


def test_a_toll_recalled_in_a_dated_sentence_of_a_round_up_is_the_recalled_attacks():
    recs, labels, g = grouped(TWO_ATTACKS)
    assert group_of(g, "34", 7) == group_of(g, "34 people", 1)
    assert group_of(g, "29 people", 7) == group_of(g, "29 people", 2)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)
