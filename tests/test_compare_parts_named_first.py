"""One ferry-terminal attack in a FICTIONAL country, covered by three outlets (issue 13).

Every place, person, group and outlet here is INVENTED (no real event). The reports break the toll
down the ways English news does after naming the whole first: "Of the dead, 30 were passengers",
"Of the 60 people injured, at least eight were left disabled", "the other 14 were port staff",
"All six were shot dead" (the gunmen, counted before). Each such count is a part: it never joins the
total, while the whole named before the comma still does. A claim of responsibility saying its
"fighters numbering about 40" had taken part counts the attack party, never the group's strength.
"""
from __future__ import annotations

import datetime as dt

import pytest

from claims.compare.facts import PARTY, PART, STRENGTH, fact_key
from tests.compare_outlets import group_of, grouped, pair_scores

D = dt.date
K, F = "casualties", "force_size"
KILLED, INJURED = "brisk/killed", "brisk/injured"

DOCS = [
    ("Tallow Wire", D(2033, 9, 6),
     "Gunmen kill 44 at Brisk Harbour ferry terminal\n\n"
     "BRISK HARBOUR, Dornvale, Sept 6 (Tallow) - Six gunmen stormed the ferry terminal in the port town of "
     "Brisk Harbour on Tuesday, killing 44 people and wounding 60, police said.\n\n"
     "All six were shot dead by police after a two-hour gun battle, a police spokesman said.\n\n"
     "Of the dead, 30 were passengers waiting for the morning ferry, the spokesman said.\n\n"
     "The Brisk Hills Army, which security officials say has about 2,000 fighters, claimed the attack.",
     [("Six gunmen", F, "brisk/attack-party"), ("44 people", K, KILLED), ("60", K, INJURED), ("All six", K, "brisk/attackers-killed"),
      ("30", K, "brisk/killed-passengers"),
      ("about 2,000 fighters", F, "bha-strength")]),
    ("Dornvale Herald", D(2033, 9, 7),
     "Ferry terminal attack: Brisk Harbour buries its dead\n\n"
     "The final toll from Tuesday's attack on the Brisk Harbour ferry terminal is 44 killed, including 30 "
     "passengers; the other nine were guards and staff who died trying to close the gates.\n\n"
     "Of the 60 people injured, at least eight were left with lasting disabilities, doctors said. The dead "
     "included two women and a boy, the port authority said.",
     [("44", K, KILLED), ("30 passengers", K, "brisk/killed-passengers"), ("nine", K, "brisk/killed-staff"),
      ("60 people", K, INJURED), ("at least eight", K, "brisk/injured-disabled"), ("two women", K, "brisk/women")]),
    ("Eastmoor Radio", D(2033, 9, 8),
     "Brisk Hills Army says its fighters attacked ferry terminal\n\n"
     "The Brisk Hills Army said in a statement that its \"fighters numbering about 40\" had taken part in "
     "Tuesday's attack on the Brisk Harbour ferry terminal, which killed 44 people and injured 60.\n\n"
     "Analysts say the Brisk Hills Army has about 2,500 fighters.",
     [("about 40", F, "brisk/attack-party"), ("44 people", K, KILLED), ("60", K, INJURED),
      ("about 2,500 fighters", F, "bha-strength")]),
    ("Port Gazette", D(2033, 9, 7),
     "Brisk Harbour ferry terminal attack: police describe gunmen\n\n"
     "The police chief of Brisk Harbour said Tuesday's attackers were \"six militants\" from the hills.",
     [("six militants", F, "brisk/attack-party")]),
]


@pytest.fixture(scope="module")
def coverage():
    return grouped(DOCS)


@pytest.mark.parametrize("quote, sentence, fact", [
    ("30", "Of the dead, 30 were passengers waiting for the morning ferry.", PART),
    ("at least eight", "Of the 60 people injured, at least eight were left with lasting disabilities.", PART),
    ("The other 14", "The other 14 were port staff and vendors.", PART),
    ("nine", "The toll is 44 killed, including 35 passengers; the other nine were port staff.", PART),
    ("All six", "All six were shot dead by police after a two-hour gun battle.", PART),
    ("two women", "The deceased included two women and a boy, he said.", PART),
    # never a part: the whole named before the comma, a count with its own noun, a clause that only
    # opens with "of all the" and then gives a toll of its own
    ("60 people", "Of the 60 people injured, at least eight were left with lasting disabilities.", ""),
    ("all 44 passengers", "The ferry sank and all 44 passengers were killed.", ""),
    ("44 people", "Of all the attacks this year, the bombing killed 44 people.", ""),
])
def test_a_count_after_the_whole_it_is_taken_from_is_a_part(quote, sentence, fact):
    assert fact_key(K, quote, sentence, None, None).partition(":")[0] == fact


@pytest.mark.parametrize("quote, sentence, subject, fact", [
    ("numbering six", "Police said the miscreants, numbering six, had arrived in a stolen van.", "miscreants", PARTY),
    ("six martyrdom-seekers", 'The group said the raid was carried out by "six martyrdom-seekers".',
     "martyrdom-seekers", PARTY),
    ("six young men", 'He said the attackers were "six young men" from the hills.', "young men", PARTY),
    # never a party: a group's strength said with "were" but no party noun
    ("3,000 fighters", "The rebels were 3,000 fighters strong by then.", "fighters", STRENGTH),
])
def test_the_words_that_make_a_count_the_attack_party(quote, sentence, subject, fact):
    assert fact_key(F, quote, sentence, None, subject) == fact


def test_an_attack_party_past_a_closing_quotation_mark():
    said = 'The group said its "fighters numbering about 40" had taken part in the attack.'
    assert fact_key(F, "fighters numbering about 40", said, None, "fighters") == PARTY
    # never a party: a strength in an aside, whose group did the attacking
    aside = 'The Brisk Hills Army, which has about 2,000 fighters, took part in the attack.'
    assert fact_key(F, "about 2,000 fighters", aside, None, "fighters") == STRENGTH


def test_parts_never_join_the_total_and_the_whole_still_does(coverage):
    recs, labels, g = coverage
    total = group_of(g, "44", 2)
    assert group_of(g, "44 people", 1) == total and group_of(g, "44 people", 3) == total
    for quote, doc in (("30", 1), ("nine", 2), ("All six", 1), ("two women", 2)):
        assert group_of(g, quote, doc) != total, quote
    injured = group_of(g, "60 people", 2)
    assert group_of(g, "60", 1) == injured
    assert group_of(g, "at least eight", 2) != injured


def test_the_attack_party_never_joins_the_groups_strength(coverage):
    recs, labels, g = coverage
    party = group_of(g, "about 40", 3)
    assert party not in (group_of(g, "about 2,000 fighters", 1), group_of(g, "about 2,500 fighters", 3))
    said = group_of(g, "six militants", 4)  # 'the attackers were "six militants"': the party too
    assert said == group_of(g, "Six gunmen", 1)
    assert said not in (group_of(g, "about 2,000 fighters", 1), group_of(g, "about 2,500 fighters", 3))


def test_precision_is_perfect_and_the_tolls_join(coverage):
    recs, labels, g = coverage
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0 and r >= 0.5, (p, r)


# A week on, the wire gives the new count of children killed and the count it replaced, bare ("up from
# six"): both are counts of the children killed, not of all the dead.
REPLACED = [
    ("Orrin Wire", dt.date(2047, 3, 5),
     "Bomb kills 20 at Ravel market\n\n"
     "RAVEL - A bomb killed 20 people at the Ravel market on Monday, police said. Six children were among "
     "the dead.",
     [("20 people", "casualties", "ravel/killed"), ("Six children", "casualties", "ravel/children")]),
    ("Halden Daily", dt.date(2047, 3, 11),
     "Ravel toll rises to 26\n\n"
     "RAVEL - The toll from last week's bombing of the Ravel market has risen to 26, police said. Among the dead "
     "were eight children, up from six reported on the day of the attack.",
     [("26", "casualties", "ravel/killed"), ("eight children", "casualties", "ravel/children"),
      ("six", "casualties", "ravel/children")]),
]


def test_a_bare_count_a_part_replaced_is_that_parts():
    recs, labels, g = grouped(REPLACED)
    assert group_of(g, "six", 2) == group_of(g, "Six children", 1) == group_of(g, "eight children", 2)
    assert group_of(g, "six", 2) != group_of(g, "26", 2)
