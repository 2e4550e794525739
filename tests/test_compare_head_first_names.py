"""Armed groups named head first, a name set off by commas, and the day a group claims an attack (FICTIONAL,
issue 13).

Every place, person, group and outlet here is INVENTED (no real event). A bomb kills 12 at the Farsi Gate
market in Qalandar on Friday 1 May 2043. Two outlets report it; one says the Tehreek-e-Azadi-e-Morvan
claimed it two days later and gives its strength as "the group's"; the other gives the army's figure for
the Tehreek and, in one sentence, the strength of the Sarhad Lashkar, a militia across the border, set off
by commas. Names like "Tehreek-e-...", "Harakat al-..." and "... Lashkar" are armed groups' though no
English group word ends them; the day of a claim of responsibility is when it was told, not the attack's.
"""
from __future__ import annotations

import datetime as dt

import pytest

from claims.compare.grouping import _armed_name
from tests.compare_outlets import group_of, grouped

D = dt.date
F, K, T = "force_size", "casualties", "date"

DOCS = [
    ("Halden Daily", D(2043, 5, 2),
     "Bomb kills 12 at Farsi Gate market\n\n"
     "QALANDAR - A bomb killed 12 people at the Farsi Gate market in Qalandar on Friday, police said.\n\n"
     "The army says the Tehreek-e-Azadi-e-Morvan has between 2,000 and 3,000 fighters. Across the border, "
     "the Sarhad Lashkar, at about 2,800 fighters, is larger than the Tehreek-e-Azadi-e-Morvan.",
     [("12 people", K, "farsi/killed"), ("between 2,000 and 3,000 fighters", F, "tehreek"),
      ("about 2,800 fighters", F, "sarhad")]),
    ("Orrin Wire", D(2043, 5, 8),
     "Farsi Gate toll rises to 17\n\n"
     "QALANDAR - The death toll from last week's bombing of the Farsi Gate market in Qalandar has risen to "
     "17, police said.\n\n"
     "The Tehreek-e-Azadi-e-Morvan claimed responsibility on May 3 in a statement, saying two of its men had "
     "carried out the attack.\n\n"
     "Analysts at the Qalandar Policy Forum estimate the group has about 2,500 fighters.",
     [("17", K, "farsi/killed"), ("about 2,500 fighters", F, "tehreek")]),
]


@pytest.fixture(scope="module")
def coverage():
    return grouped(DOCS)


@pytest.mark.parametrize("name, armed", [
    ("tehreek e azadi e morvan", True), ("harakat al nour", True), ("sarhad lashkar", True),
    ("jaish e kesh", True), ("movement for the unity of tindara", True),
    ("tehreek square", False), ("the army and the police", False), ("harakat", True),
])
def test_a_name_headed_by_a_group_word_before_a_particle_is_an_armed_groups(name, armed):
    assert _armed_name(name) is armed


def test_the_groups_strength_reaches_back_to_a_head_first_name(coverage):
    recs, labels, g = coverage
    assert group_of(g, "about 2,500 fighters", 2) == group_of(g, "between 2,000 and 3,000 fighters", 1)


def test_a_name_set_off_by_commas_is_whose_strength_follows(coverage):
    recs, labels, g = coverage
    assert group_of(g, "about 2,800 fighters", 1) != group_of(g, "between 2,000 and 3,000 fighters", 1)
    assert group_of(g, "about 2,800 fighters", 1) != group_of(g, "about 2,500 fighters", 2)


def test_the_day_a_group_claims_an_attack_is_not_the_attacks(coverage):
    recs, labels, g = coverage
    assert group_of(g, "17", 2) == group_of(g, "12 people", 1)


# Two groups in one sentence, the second inside a relative clause on the first: the figure is the first's.
ASIDE = [
    ("Halden Daily", D(2043, 6, 2),
     "The Tehreek-e-Azadi-e-Morvan after the offensive\n\n"
     "The army says the Tehreek-e-Azadi-e-Morvan has between 2,000 and 3,000 fighters.",
     [("between 2,000 and 3,000 fighters", F, "tehreek")]),
    ("Qalandar Policy Forum", D(2043, 6, 9),
     "Armed actors beyond the border\n\n"
     "The Sarhad Lashkar, which shares ideology but not command with the Tehreek-e-Azadi-e-Morvan, is believed "
     "to number around 2,400.",
     [("around 2,400", F, "sarhad")]),
]


def test_a_group_named_in_a_closed_relative_clause_is_not_whose_strength_follows():
    recs, labels, g = grouped(ASIDE)
    assert group_of(g, "around 2,400", 2) != group_of(g, "between 2,000 and 3,000 fighters", 1)


# One group named with and without its group word across reports and years; another group fights in a
# valley whose name a third group's name takes: that valley is a place, never the third group.
SHORT_NAMES = [
    ("Halden Daily", D(2043, 7, 1),
     "Army puts Red Sky Movement at 3,000\n\n"
     "The army says the Red Sky Movement has about 3,000 fighters in Orvel province.",
     [("about 3,000 fighters", F, "redsky")]),
    ("Orrin Wire", D(2044, 2, 3),
     "Red Sky is weaker, UN panel says\n\n"
     "A UN panel said Red Sky now has fewer than 2,000 fighters, most of them in the hills.",
     [("fewer than 2,000 fighters", F, "redsky")]),
    ("Qalandar Policy Forum", D(2044, 3, 9),
     "Who fights in the Orvel Valley\n\n"
     "The Kessel Front has about 1,800 fighters in the Orvel Valley, officials said. The Orvel Valley "
     "Brigades has about 1,900 fighters of its own, the army said.",
     [("about 1,800 fighters", F, "kessel"), ("about 1,900 fighters", F, "orvel-brigades")]),
    ("Halden Daily", D(2044, 3, 20),
     "Fighters massing in the Orvel Valley\n\n"
     "Officials said about 1,700 fighters had massed in the Orvel Valley, though they would not say whose.",
     [("about 1,700 fighters", F, None)]),
]


def test_a_groups_name_without_its_group_word_is_the_same_group():
    recs, labels, g = grouped(SHORT_NAMES)
    assert group_of(g, "about 3,000 fighters", 1) == group_of(g, "fewer than 2,000 fighters", 2)


def test_a_place_a_groups_name_takes_is_not_that_group():
    recs, labels, g = grouped(SHORT_NAMES)
    assert group_of(g, "about 1,800 fighters", 3) != group_of(g, "about 1,900 fighters", 3)
    assert group_of(g, "about 1,900 fighters", 3) != group_of(g, "about 3,000 fighters", 1)
    assert group_of(g, "about 1,700 fighters", 4) != group_of(g, "about 1,900 fighters", 3)


# A fact-check a week on opens with the day a politician made a claim about the bombing: when it was said,
# not when it happened.
FACT_CHECK = DOCS[:1] + [
    ("VeriFact", D(2043, 5, 9),
     "FACT CHECK: Did 50 people die at the Farsi Gate market?\n\n"
     "CLAIM: An opposition MP said in a televised interview on May 5 that 50 people were killed in the "
     "bombing of the Farsi Gate market in Qalandar.\n\n"
     "VERDICT: False. Police put the death toll at 17.",
     [("17", K, "farsi/killed")]),
]


def test_the_day_of_an_interview_is_not_the_attacks():
    recs, labels, g = grouped(FACT_CHECK)
    assert group_of(g, "17", 2) == group_of(g, "12 people", 1)
