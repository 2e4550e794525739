"""A truce's own figures, its length and its start, across the stories that tell them (FICTIONAL, issue 13).

Every place, person, group and outlet here is INVENTED (no real event). Osland's government and the
Sarvel Movement agree a 30-day truce from 3 March; three weeks on, talks on extending it stall; a school
is shelled during the truce, and the attack's report recalls the truce's length and start; a report of
another truce, in another country and months later, gives its own length. The truce's length is one fact
across all the stories that give it, its start another; the other truce's length is neither.
"""
from __future__ import annotations

import datetime as dt

import pytest

from tests.compare_outlets import group_of, grouped, pair_scores

D = dt.date
DU, DA, K = "duration", "date", "casualties"

DOCS = [
    ("Orrin Wire", D(2048, 2, 26),
     "Osland, Sarvel Movement agree 30-day truce from March 3\n\n"
     "KELMAR, Feb 26 (Orrin Wire) - Osland's government and the Sarvel Movement agreed on Thursday to a "
     "30-day truce starting on March 3, negotiators said.\n\n"
     "The deal was reached after talks at a monastery outside Kelmar.",
     [("30-day", DU, "truce-length"), ("March 3", DA, "truce-start")]),
    ("Halden Daily", D(2048, 3, 18),
     "Talks on extending Sarvel truce stall\n\n"
     "Negotiators for the government and the Sarvel Movement failed on Tuesday to agree whether to extend "
     "the month-long truce, which expires on April 2.",
     [("month-long", DU, "truce-length")]),
    ("Relief Bulletin", D(2048, 3, 23),
     "Shelling of Bukal school kills seven\n\n"
     "BUKAL, March 23 - Shells struck the Bukal primary school on Sunday, killing seven children and "
     "wounding 15 people, village officials said.\n\n"
     "The attack occurred on day 19 of the 30-day ceasefire between the government and the Sarvel "
     "Movement, which began on 3 March.",
     [("seven children", K, "bukal-children"), ("30-day", DU, "truce-length"), ("3 March", DA, "truce-start")]),
    ("Orrin Wire", D(2048, 9, 2),
     "Marrow government, Velt Front agree 30-day truce\n\n"
     "PORT HALEN, Sept 2 (Orrin Wire) - Marrow's government and the Velt Front agreed a 30-day truce on "
     "Tuesday, mediators said.",
     [("30-day", DU, "velt-truce-length")]),
]


@pytest.fixture(scope="module")
def coverage():
    return grouped(DOCS)


def test_a_truces_length_told_in_an_attacks_report_joins_the_truces(coverage):
    recs, labels, g = coverage
    length = group_of(g, "30-day", 1)
    assert group_of(g, "30-day", 3) == length
    assert group_of(g, "3 March", 3) == group_of(g, "March 3", 1)
    # the attack's own toll stays the attack's
    assert group_of(g, "seven children", 3) != length


def test_a_truces_stories_three_weeks_apart_are_one_truces(coverage):
    recs, labels, g = coverage
    assert group_of(g, "month-long", 2) == group_of(g, "30-day", 1)


def test_another_truce_of_the_same_length_is_not_this_one(coverage):
    recs, labels, g = coverage
    assert group_of(g, "30-day", 4) != group_of(g, "30-day", 1)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# An attack during the truce, headlined with its toll and the truce ("Seven killed in Bukal as truce
# falters"), is the attack's report as much as the truce's: it joins the relief agency's flash update on
# the attack ("mortar rounds struck": shelling), and their tolls are one fact.
SHELLED = DOCS[:1] + [
    ("KTV Newsdesk", D(2048, 3, 20),
     "Seven killed in Bukal as truce falters\n\n"
     "BUKAL - Mortar rounds slammed into a school used as a shelter in the village of Bukal early on Friday, "
     "killing seven civilians, village officials said, in the worst violation yet of the truce between the "
     "government and the Sarvel Movement.",
     [("seven civilians", K, "bukal-killed")]),
    ("Relief Forum", D(2048, 3, 23),
     "Attack on Bukal school shelter\n"
     "Flash Update No. 1\n\n"
     "Nine civilians were killed when mortar rounds struck the Bukal school shelter on 20 March, according "
     "to the provincial health office. The Sarvel Movement denies firing the rounds.",
     [("Nine civilians", K, "bukal-killed")]),
]


def test_a_toll_headlined_beside_a_truce_is_the_attacks_report():
    recs, labels, g = grouped(SHELLED)
    assert group_of(g, "seven civilians", 2) == group_of(g, "Nine civilians", 3)
    incident = next(set(ev.documents) for grp, ev in zip(g.groups, g.events) if ev is not None
                    for r in grp if r.document_id == 2 and r.claim.quote == "seven civilians")
    assert 3 in incident and 1 not in incident


# An analysis ten weeks on tells the truce's length and start in a sentence that dates its signing long before
# ("The 30-day truce agreed on 22 March took effect on 1 April"): the truce first reported then, not a truce of
# the analysis's own. A truce agreed in another country the same spring, of the same length, stays apart.
LOOK_BACK = [
    ("Orrin Wire", D(2040, 3, 22),
     "Osland, Sarvel Movement agree 30-day truce\n\n"
     "KELMAR, March 22 (Orrin Wire) - Osland's government and the Sarvel Movement agreed on Thursday to a "
     "30-day truce that will take effect on April 1, mediators said.",
     [("30-day", DU, "sarvel-length"), ("April 1", DA, "sarvel-start")]),
    ("Halden Daily", D(2040, 3, 23),
     "Sarvel truce to start April 1\n\n"
     "The government and the Sarvel Movement will observe a month-long ceasefire from April 1, officials said.",
     [("month-long", DU, "sarvel-length"), ("April 1", DA, "sarvel-start")]),
    ("Marrow Post", D(2040, 3, 25),
     "Marrow and the Velt Front agree 30-day truce\n\n"
     "TESSEL, March 25 - Marrow's government and the Velt Front agreed on Saturday to a 30-day truce from "
     "April 2, officials said.",
     [("30-day", DU, "velt-length"), ("April 2", DA, "velt-start")]),
    ("Kelmar Review", D(2040, 6, 10),
     "The Sarvel truce at ten weeks\n\n"
     "The Sarvel Movement has kept its word, diplomats say.\n\n"
     "The 30-day truce agreed on 22 March took effect on 1 April. UN observers recorded only minor violations.",
     [("30-day", DU, "sarvel-length"), ("1 April", DA, "sarvel-start")]),
]


def test_a_truce_dated_long_before_its_story_is_the_truce_reported_then():
    recs, labels, g = grouped(LOOK_BACK)
    assert group_of(g, "30-day", 4) == group_of(g, "30-day", 1)
    assert group_of(g, "1 April", 4) == group_of(g, "April 1", 1)
    assert group_of(g, "30-day", 3) != group_of(g, "30-day", 1)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# A truce's start told beside talks that came before it ("to begin on 1 October, following talks facilitated by
# the Council of Churches"), or as what both sides stop ("Under the deal, both sides will stop offensive
# operations from midnight on October 1"), is the truce's start, not the talks' day.
START_WORDS = [
    ("Orrin Wire", D(2042, 9, 20),
     "Osland, Tarn Front agree 15-day ceasefire from October 1\n\n"
     "KELMAR, Sept 20 (Orrin Wire) - Osland's government and the Tarn Front agreed a 15-day ceasefire from "
     "October 1, mediators said. Under the deal, both sides will stop offensive operations from midnight on "
     "October 1.",
     [("October 1", DA, "start")]),
    ("UN Mission in Osland", D(2042, 9, 26),
     "Osland: Situation Update No. 4\n\n"
     "On 19 September, the Government and the Tarn Front announced a 15-day cessation of hostilities, to begin "
     "on 1 October, following talks facilitated by the Council of Churches.",
     [("1 October", DA, "start")]),
]


def test_a_truces_start_beside_its_talks_is_the_truces():
    recs, labels, g = grouped(START_WORDS)
    starts = {id(grp) for grp in g.groups for r in grp if r.claim.kind == DA and str(r.claim.date) == "2042-10-01"}
    assert len(starts) == 1, starts
    assert sum(1 for r in recs if r.claim.kind == DA and str(r.claim.date) == "2042-10-01") == 4


# A truce's story recalls the year's attacks by month and target, naming no place ("Its deadliest attack this
# year came in March, when its fighters killed 16 people ... in an ambush on a highway checkpoint"): the one
# incident of that month at that target is the one it tells of; a bombing of the same month elsewhere, at a
# market, is not.
BY_TARGET = [
    ("Orrin Wire", D(2049, 3, 6),
     "Gunmen kill 16 at Kelmar checkpoint\n\n"
     "KELMAR, March 6 (Orrin Wire) - Gunmen of the Orvel Front killed 16 people at a police checkpoint near "
     "Kelmar on Tuesday, officials said.",
     [("16 people", K, "kelmar")]),
    ("Halden Daily", D(2049, 3, 7),
     "Kelmar mourns 16 killed at checkpoint\n\n"
     "Funerals were held in Kelmar on Wednesday for the 16 people killed in Tuesday's attack on a police "
     "checkpoint outside the town.",
     [("16 people", K, "kelmar")]),
    ("Varn Courier", D(2049, 3, 20),
     "Bomb kills nine at Varn market\n\n"
     "VARN, March 20 - A bomb exploded at the central market in Varn on Friday, killing nine people, police "
     "said.",
     [("nine people", K, "varn")]),
    ("Orrin Wire", D(2049, 11, 27),
     "Osland, Orvel Front agree 30-day truce\n\n"
     "KELMAR, Nov 27 (Orrin Wire) - Osland's government and the Orvel Front agreed on Tuesday to a 30-day "
     "truce, mediators said.\n\n"
     "The Front's deadliest attack this year came in March, when its fighters killed 16 people, most of them "
     "police officers, in an ambush on a highway checkpoint.",
     [("16 people", K, "kelmar")]),
]


def test_a_truce_storys_recalled_attack_is_the_one_of_its_month_and_target():
    recs, labels, g = grouped(BY_TARGET)
    kelmar = group_of(g, "16 people", 1)
    assert group_of(g, "16 people", 4) == kelmar
    assert group_of(g, "nine people", 3) != kelmar
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# A truce story recalls two attacks in one sentence, each in its own coordinated phrase with its own month ("blamed
# for the June bombing of a bus in Varn that killed 23 people and for a five-day siege of the town of Dunmore in
# September"): the toll and the month of each phrase are that phrase's attack's, though the sentence names the
# siege's town, which more reports name, too.
TWO_PHRASES = [
    ("Orrin Wire", D(2050, 6, 15),
     "Bus bomb kills 23 in Varn\n\n"
     "VARN, June 15 (Orrin Wire) - A bomb on a bus killed 23 people in Varn on Wednesday, police said. No "
     "group said it had planted the bomb.",
     [("23 people", K, "varn"), ("Wednesday", DA, "varn-day")]),
    ("Halden Daily", D(2050, 9, 14),
     "Army ends siege of Dunmore\n\n"
     "DUNMORE, Sept 14 - The army retook the town of Dunmore on Wednesday, ending a five-day siege by the "
     "Tessel Brigades in which at least 31 people were killed, the Defence Ministry said.",
     [("at least 31 people", K, "dunmore"), ("Wednesday", DA, "dunmore-day")]),
    ("Kelmar Times", D(2050, 9, 15),
     "Dunmore counts its dead\n\n"
     "Residents of Dunmore buried their dead on Thursday, a day after the army retook the town. At least 34 "
     "people were killed during the siege of Dunmore by the Tessel Brigades, the town's mayor said.",
     [("At least 34 people", K, "dunmore")]),
    ("Orrin Wire", D(2050, 11, 27),
     "Osland, Orvel Front agree 30-day truce\n\n"
     "KELMAR, Nov 27 (Orrin Wire) - Osland's government and the Orvel Front agreed on Tuesday to a 30-day "
     "truce, mediators said.\n\n"
     "The agreement does not cover the Tessel Brigades, a splinter group blamed for the June bombing of a bus "
     "in the city of Varn that killed 23 people and for a five-day siege of the town of Dunmore in September.",
     [("23 people", K, "varn"), ("June", DA, "varn-day")]),
]


def test_each_coordinated_phrase_of_a_recalling_sentence_is_its_own_attacks():
    recs, labels, g = grouped(TWO_PHRASES)
    assert group_of(g, "23 people", 4) == group_of(g, "23 people", 1)
    assert group_of(g, "June", 4) == group_of(g, "Wednesday", 1)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# A look back months later dates the truce it recalls, naming no side ("The 15-day truce of October 2046, brokered
# by the churches, ..."): that truce is its story's sides' one first reported nearest that month (announced in late September to start on October 1), not the later talks
# on a longer ceasefire, though both are stories of the same two sides.
DATED_LONG_AFTER = [
    ("Orrin Wire", D(2046, 9, 20),
     "Osland, Orvel Front agree 15-day truce from October 1\n\n"
     "KELMAR, Sept 20 (Orrin Wire) - Osland's government and the Orvel Front agreed on Friday to a 15-day "
     "truce starting on October 1, church mediators said.",
     [("15-day", DU, "truce-length"), ("October 1", DA, "truce-start")]),
    ("Halden Daily", D(2046, 11, 12),
     "Talks on a longer ceasefire open in Basenda\n\n"
     "Negotiators for the government and the Orvel Front opened talks in Basenda on Tuesday on a 60-day "
     "ceasefire, mediators said.",
     [("60-day", DU, None)]),
    ("Kelmar Times", D(2047, 3, 6),
     "A year of war in Kelmar\n\n"
     "Gunmen of the Orvel Front killed 16 people at a checkpoint near Kelmar on Tuesday, police said, the "
     "worst attack in the province this year.\n\n"
     "The 15-day truce of October 2046, brokered by the churches, was the first of the conflict. It held, but "
     "the talks that followed collapsed.",
     [("15-day", DU, "truce-length"), ("October 2046", DA, "truce-start")]),
]


def test_a_truce_dated_in_a_look_back_is_the_one_reported_nearest_that_day():
    recs, labels, g = grouped(DATED_LONG_AFTER)
    assert group_of(g, "15-day", 3) == group_of(g, "15-day", 1)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# The truce two stories tell of is evidence they share, as a target is for two attack reports: a truce's
# announcement and the story of its start twelve days later, which share only the parties and the capital among
# the many people and places each names, are one truce's stories.
ANNOUNCED_AND_BEGUN = [
    ("Kelmar Times", D(2063, 2, 10),
     "Who is who in Osland's war\n\n"
     "Senator Ada Morrow leads the government's team of 12 negotiators. Comandante Oska commands some 2,500 "
     "rebels in Vessa province. Defence Minister Ivo Brant says 4,000 troops will not pull back from Dunmore. "
     "The Black Column has about 350 fighters in Orsk. The Red Cross has 60 staff in Sarn.",
     []),
    ("Orrin Wire", D(2063, 5, 21),
     "Osland government, Tarn Front agree 90-day ceasefire\n\n"
     "KELMAR, May 21 (Orrin Wire) - Osland's government and the Tarn Front on Tuesday announced a 90-day "
     "ceasefire that will take effect on June 2, the first truce since talks collapsed in 2059.\n\n"
     "The agreement, read out in Kelmar by the chief negotiator, Senator Ada Morrow, lets 45 observers deploy "
     "to Vessa province. Comandante Oska said 2,000 fighters in Vessa would gather in four zones. Morrow "
     "said Oska had signed in Dunmore, where 300 prisoners would be freed within two weeks.",
     [("90-day", DU, "truce-length")]),
    ("Halden Daily", D(2063, 6, 2),
     "Three-month truce takes effect in the highlands\n\n"
     "A three-month ceasefire between the government and the Tarn Front came into force at midnight on "
     "Sunday, the army's Joint Staff said. The truce, agreed after secret talks at a monastery outside "
     "Kelmar, is due to end on August 31.\n\n"
     "Defence Minister Ivo Brant warned that the Black Column, with some 300 fighters, had not signed. Brant "
     "said 1,500 troops would stay in Orsk. In Orsk and Sarn, church bells rang at noon, and the Red Cross "
     "said its 40 staff in Sarn would resume work.",
     [("three-month", DU, "truce-length")]),
]


def test_a_truces_announcement_and_its_start_are_one_truces_stories():
    recs, labels, g = grouped(ANNOUNCED_AND_BEGUN)
    assert group_of(g, "three-month", 3) == group_of(g, "90-day", 2)


# A truce's figure in a sentence that names nothing ("The 12-week ceasefire, which began on 2 June, expires on
# 31 August"), in a story of another incident, is the truce its story's names tell of.
UNNAMED = [
    ("Orrin Wire", D(2064, 5, 30),
     "Osland, Tarn Front agree 12-week truce\n\n"
     "KELMAR, May 30 (Orrin Wire) - Osland's government and the Tarn Front agreed on Thursday to a 12-week "
     "truce starting on June 2, negotiators said. The Tarn Front has about 2,000 fighters.",
     [("12-week", DU, "truce-length")]),
    ("Halden Daily", D(2064, 6, 14),
     "Tarn Front dissidents kill four in Orsk\n\n"
     "ORSK, June 14 - Dissident Tarn Front fighters killed four police officers in Orsk on Friday, the "
     "army said, in the first attack since the Tarn Front's truce began.\n\n"
     "The 12-week ceasefire, which began on 2 June, expires on 31 August.",
     [("12-week", DU, "truce-length")]),
]


def test_a_truces_figure_in_a_sentence_naming_nothing_is_the_truce_its_story_names():
    recs, labels, g = grouped(UNNAMED)
    assert group_of(g, "12-week", 2) == group_of(g, "12-week", 1)
