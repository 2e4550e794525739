"""Earlier attacks a report recalls, in a FICTIONAL country (issue 13).

Every place, person, group and outlet here is INVENTED (no real event). Two outlets report a bombing
at the Veldmere ferry terminal on Saturday 9 June 2035; three weeks later a wire story and a local
paper report a clash near Oakhollow, and the wire's last paragraph recalls the bombing, day and toll
("since the bombing of the Veldmere ferry terminal on June 9, which killed 17 people"); the first
report of the bombing recalls another one in the same city two years before; an anniversary piece
a year later rings a bell for each of the dead. A recalled attack is its own incident: its day does
not make the clash's report one of the bombing's, and its toll is the bombing's, never the clash's.
"""
from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.compare.events import _own_days
from claims.compare.features import sentence_year, year_since
from claims.compare.grouping import _superseded
from tests.compare_outlets import group_of, grouped, pair_scores, partition

D = dt.date
K = "casualties"
TOTAL = "veldmere/killed"

DOCS = [
    ("Harbour Wire", D(2035, 6, 9),
     "Bomb at Veldmere ferry terminal kills 14: police\n\n"
     "VELDMERE, Brannoch, June 9 (Harbour Wire) - A bomb exploded at the ferry terminal in the port city of "
     "Veldmere on Saturday morning, killing 14 people, police said.\n\n"
     "No group has claimed the attack. The Grey Fen Movement carried out a similar bombing in Veldmere in "
     "March 2033 that killed six people.",
     [("14 people", K, TOTAL), ("six people", K, "veldmere-2033/killed")]),
    ("Brannoch Radio", D(2035, 6, 10),
     "Veldmere ferry bombing: toll rises to 17\n\n"
     "The death toll from Saturday's bombing at the Veldmere ferry terminal has risen to 17, the health "
     "ministry said on Sunday.",
     [("17", K, TOTAL)]),
    ("Harbour Wire", D(2035, 7, 1),
     "Four soldiers, nine rebels killed in Oakhollow clash\n\n"
     "KESSMARK, Brannoch, July 1 (Harbour Wire) - Four soldiers and nine rebels were killed in a gun battle "
     "near the village of Oakhollow in Brannoch's eastern hills on Saturday, the army said.\n\n"
     "Fighting has intensified since the bombing of the Veldmere ferry terminal on June 9, which killed 17 "
     "people.",
     [("Four soldiers", K, "oakhollow/soldiers-killed"), ("nine rebels", K, "oakhollow/rebels-killed"),
      ("17 people", K, TOTAL)]),
    ("Marrick Gazette", D(2035, 7, 3),
     "Marrick soldier among four killed in Oakhollow clash\n\n"
     "A soldier from Marrick was one of four servicemen killed in a clash with rebels near Oakhollow on "
     "Saturday, the defence ministry said on Monday.",
     [("four servicemen", K, "oakhollow/soldiers-killed")]),
    ("Brannoch Radio", D(2036, 6, 9),
     "A year after the Veldmere ferry bombing\n\n"
     "On Monday, the anniversary of the attack, the bell at the Veldmere ferry terminal was rung 17 times, "
     "once for each of the people killed when a bomb went off there on 9 June 2035.",
     [("17 times", K, None)]),
]


@pytest.fixture(scope="module")
def coverage():
    return grouped(DOCS)


def test_a_recalled_attacks_toll_is_that_attacks_not_the_reports(coverage):
    recs, labels, g = coverage
    total = group_of(g, "17", 2)
    assert group_of(g, "14 people", 1) == total
    assert group_of(g, "17 people", 3) == total
    assert group_of(g, "Four soldiers", 3) != total


def test_the_clash_is_reported_by_both_outlets(coverage):
    recs, labels, g = coverage
    assert group_of(g, "Four soldiers", 3) == group_of(g, "four servicemen", 4)
    ev = g.events[next(i for i, grp in enumerate(g.groups) for r in grp if r.claim.quote == "four servicemen")]
    assert ev is not None and "Veldmere" not in ev.label, ev


def test_a_toll_of_another_year_never_joins_this_years_incident(coverage):
    recs, labels, g = coverage
    assert group_of(g, "six people", 1) != group_of(g, "14 people", 1)


def test_precision_is_perfect(coverage):
    recs, labels, g = coverage
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0 and r >= 0.5, (p, r)


@pytest.mark.parametrize("dated, own", [
    # the opening dates the report's own attack; a day further down that does not meet it is recalled
    ([(120, "2035-06-30"), (900, "2035-06-09")], {"2035-06-30"}),
    # an overnight raid: the day after still meets it (DAY_SLACK)
    ([(120, "2035-06-30"), (900, "2035-07-01")], {"2035-06-30", "2035-07-01"}),
    # an opening without a day: a look back names the event's day anywhere
    ([(800, "2035-06-09"), (900, "2035-06-30")], {"2035-06-09", "2035-06-30"}),
    ([], set()),
])
def test_a_reports_own_days_are_those_of_its_opening(dated, own):
    assert _own_days(dated) == own


@pytest.mark.parametrize("sentence, year, only_since", [
    ("The conflict has killed an estimated 18,000 people since 2013.", 2013, True),
    ("Since the Kessel accords of 2013 fell apart, 18,000 people have died.", 2013, True),
    ("A similar bombing in Veldmere in 2033 killed six people.", 2033, False),
    # named once as a start and once as the event's year: the event's
    ("The 2033 bombing, the deadliest since 2033 began, killed six.", 2033, False),
    ("A bombing killed six people.", 2033, False),
])
def test_a_year_that_only_starts_a_span_dates_no_event(sentence, year, only_since):
    assert year_since(sentence, year) is only_since


@pytest.mark.parametrize("sentence, quote, replaced", [
    ("Officials revised the death toll to 11, down from the 14 first reported.", "14", True),
    ("Officials revised the death toll to 11, down from the 14 first reported.", "11", False),
    ("An earlier police statement put the toll at 12.", "12", True),
    ("Police had initially said nine people died.", "nine people", True),
    ("Police said nine people died.", "nine people", False),
    ("Army assessments say the Front's strength has fallen from an estimated 4,000 fighters in 2031 to fewer "
     "than 1,500.", "an estimated 4,000 fighters", True),
    ("Army assessments say the Front's strength has fallen from an estimated 4,000 fighters in 2031 to fewer "
     "than 1,500.", "fewer than 1,500", False),
    # each figure the next clause follows with "then" or "now" and another figure: 18 and 27, not 31
    ("\"We were told 18 had died, then 27, now 31,\" said a victim's sister.", "18", True),
    ("\"We were told 18 had died, then 27, now 31,\" said a victim's sister.", "27", True),
    ("\"We were told 18 had died, then 27, now 31,\" said a victim's sister.", "31", False),
    # "then" with no figure after it replaces nothing
    ("Gunmen killed 12 villagers, then fled into the forest.", "12 villagers", False),
])
def test_a_figure_its_source_has_replaced_is_told_apart(sentence, quote, replaced):
    assert _superseded(sentence, quote) is replaced


REVISED = [
    ("Ostrel Courier", D(2035, 3, 2),
     "Harlow market shelling: toll revised to 11\n\n"
     "Provincial authorities have revised the death toll from Saturday's shelling of the Harlow cattle market "
     "to 11, down from an initial toll of 14, after three victims were found to have been counted twice.",
     [("11", K, "harlow/killed"), ("14", K, "harlow/killed")]),
    ("Ostrel Radio", D(2035, 2, 28),
     "Shells hit Harlow cattle market\n\n"
     "Shells struck the Harlow cattle market on Saturday, killing 14 people, provincial authorities said.",
     [("14 people", K, "harlow/killed")]),
]


def test_a_revised_toll_and_the_one_it_replaces_are_one_fact():
    recs, labels, g = grouped(REVISED)
    assert group_of(g, "11", 1) == group_of(g, "14", 1) == group_of(g, "14 people", 2)


STRENGTH = [
    ("Ostrel Defence Bulletin", D(2035, 5, 2),
     "Operation in the Harlow hills\n\n"
     "According to army assessments, the Harlow Liberation Front's strength has fallen from an estimated "
     "4,000 fighters in 2031 to fewer than 1,500.",
     [("an estimated 4,000 fighters", "force_size", "hlf-strength"), ("fewer than 1,500", "force_size", "hlf-strength")]),
    ("Ostrel Radio", D(2035, 6, 9),
     "Harlow Liberation Front attacks army post\n\n"
     "The Harlow Liberation Front, which has about 1,400 fighters, attacked an army post, officials said.",
     [("about 1,400 fighters", "force_size", "hlf-strength")]),
]


def test_one_sources_earlier_strength_is_the_same_fact():
    recs, labels, g = grouped(STRENGTH)
    assert group_of(g, "an estimated 4,000 fighters", 1) == group_of(g, "fewer than 1,500", 1) \
        == group_of(g, "about 1,400 fighters", 2)


MONTH = [
    ("Harbour Wire", D(2035, 10, 15),
     "Gunmen kill 20 at Kessmark bus station\n\n"
     "KESSMARK, Brannoch, Oct 15 (Harbour Wire) - Gunmen killed 20 people, among them four soldiers, at the "
     "bus station in Kessmark on Tuesday, the army said.\n\n"
     "The Grey Fen Movement has stepped up its attacks in the east. Nine soldiers were killed in a single "
     "ambush there in August.",
     [("20 people", K, "kessmark/killed"), ("four soldiers", K, "kessmark/soldiers-killed"),
      ("Nine soldiers", K, "august-ambush/soldiers-killed")]),
    ("Brannoch Radio", D(2035, 10, 16),
     "Kessmark bus station attack: nine soldiers among 24 dead\n\n"
     "Twenty-four people, nine of them soldiers, were killed in Tuesday's attack on the Kessmark bus station, "
     "the defence ministry said.",
     [("Twenty-four people", K, "kessmark/killed"), ("nine of them", K, "kessmark/soldiers-killed")]),
]


def test_a_toll_of_an_earlier_month_is_not_this_attacks():
    recs, labels, g = grouped(MONTH)
    assert group_of(g, "Nine soldiers", 1) not in (group_of(g, "four soldiers", 1), group_of(g, "20 people", 1))
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


LOOK_BACK = [
    DOCS[0], DOCS[1],
    ("Harbour Wire", D(2036, 6, 9),
     "Veldmere remembers\n\n"
     "VELDMERE, Brannoch - A year on, families gathered in Veldmere on Monday to remember the dead.\n\n"
     "The June 9, 2035 bombing of the ferry terminal, which killed 17 people, remains the deadliest "
     "single attack in Tarnland.",
     [("17 people", K, TOTAL)]),
]


def test_a_place_that_only_sets_a_comparison_makes_no_part():
    recs, labels, g = grouped(LOOK_BACK)
    assert group_of(g, "17 people", 3) == group_of(g, "17", 2) == group_of(g, "14 people", 1)


@settings(max_examples=6, deadline=None)
@given(st.randoms(use_true_random=False))
def test_shuffling_or_renaming_these_reports_changes_no_group(rnd: random.Random):
    from tests.test_compare_bylines_and_look_backs import DOCS as LOOKS
    from tests.test_compare_country_and_town import DOCS as TOWNS
    from tests.test_compare_whose_strength import DOCS as WHOSE
    from tests.test_compare_whose_strength import HEAD_FIRST, PASSIVE, POSSESSIVE

    every = DOCS + REVISED + STRENGTH + MONTH + TOWNS + LOOKS + WHOSE + HEAD_FIRST + PASSIVE + POSSESSIVE
    expected = partition(every)
    docs = list(every)
    rnd.shuffle(docs)
    rename = {o: f"Outlet {rnd.randrange(10**6)} {k}" for k, o in enumerate(sorted({d[0] for d in every}))}
    assert partition(docs, rename) == expected


# One source's two earlier figures, each replaced ("initially said 12 ... had earlier put the toll at 15"),
# need not agree with each other: each joins the reports that gave it, all one fact with the new figure.
REPLACED_TWICE = [
    ("Ostrel Radio", D(2035, 2, 25),
     "Shells hit Harlow cattle market\n\n"
     "Shells struck the Harlow cattle market on Saturday, killing 12 people, provincial authorities said.",
     [("12 people", K, "harlow/killed")]),
    ("Ostrel Courier", D(2035, 2, 26),
     "Harlow market toll rises to 15\n\n"
     "The toll from Saturday's shelling of the Harlow cattle market has risen to 15, provincial authorities "
     "said.",
     [("15", K, "harlow/killed")]),
    ("Ostrel Times", D(2035, 2, 28),
     "Harlow market shelling: toll now 19\n\n"
     "Provincial authorities, who initially said 12 people died and had earlier put the toll at 15, now say "
     "19 people were killed in Saturday's shelling of the Harlow cattle market.",
     [("12 people", K, "harlow/killed"), ("15", K, "harlow/killed"), ("19 people", K, "harlow/killed")]),
]


def test_two_figures_one_source_replaced_are_both_the_facts():
    recs, labels, g = grouped(REPLACED_TWICE)
    toll = group_of(g, "19 people", 3)
    assert group_of(g, "12 people", 3) == group_of(g, "15", 3) == toll
    assert group_of(g, "12 people", 1) == group_of(g, "15", 2) == toll


# A report's last paragraph compares its attack with an earlier one, dated by month and year and named by
# its town ("since the November 2046 ferry-terminal bombing in Tarrow, which killed 31 people"): the
# phrase the year dates names Tarrow, so the 31 is the Tarrow bombing's, though the sentence names the
# ambush's town too.
DATED_PHRASE = [
    ("Harbour Wire", D(2046, 11, 15),
     "Bomb at Tarrow ferry terminal kills 31\n\n"
     "TARROW, Nov 15 (Harbour Wire) - A bomb in the departure hall of the ferry terminal in Tarrow killed 31 "
     "people on Friday, police said.",
     [("31 people", K, "tarrow/killed")]),
    ("Kelso Courier", D(2047, 6, 12),
     "14 soldiers killed in Kelso ambush\n\n"
     "KELSO, June 12 - Fourteen soldiers were killed when rebels ambushed an army convoy near the town of "
     "Kelso on Tuesday, the army said.\n\n"
     "The Kelso ambush was the deadliest single attack in the country since the November 2046 ferry-terminal "
     "bombing in Tarrow, which killed 31 people.",
     [("14 soldiers", K, "kelso/soldiers"), ("31 people", K, "tarrow/killed")]),
]


def test_a_years_phrase_names_whose_toll_it_is():
    recs, labels, g = grouped(DATED_PHRASE)
    assert group_of(g, "31 people", 2) == group_of(g, "31 people", 1)
    assert group_of(g, "14 soldiers", 2) != group_of(g, "31 people", 1)


# A report of a third attack gives two earlier ones in one sentence, each with its date ("the killing of 14
# villagers in Tallis in November 2040; the Black Front attacked the Fort Orm base on 22 May, killing eight
# soldiers"): each date is its own attack's, November's the Tallis killing's, though the sentence names more of
# the Fort Orm attack.
TWO_DATES = [
    ("Harbour Wire", D(2040, 11, 9),
     "Gunmen kill 14 in Tallis village\n\n"
     "TALLIS, Nov 9 (Harbour Wire) - The Red Front killed 14 villagers in Tallis on 8 November 2040, "
     "officials said.",
     [("8 November 2040", "date", "tallis/date")]),
    ("Harbour Wire", D(2041, 5, 23),
     "Eight soldiers killed at Fort Orm\n\n"
     "FORT ORM, May 23 (Harbour Wire) - The Black Front attacked the Fort Orm army base near Kessel on 22 May, "
     "killing eight soldiers, the army said.",
     [("22 May", "date", "orm/date")]),
    ("Kelso Courier", D(2041, 8, 20),
     "Gunmen kill six in Brell\n\n"
     "BRELL, Aug 20 - Gunmen killed six people in the village of Brell on Tuesday, officials said.\n\n"
     "The Red Front was blamed for the killing of 14 villagers in Tallis in November 2040; the Black Front "
     "attacked the Fort Orm base near Kessel on 22 May, killing eight soldiers.",
     [("six people", "casualties", "brell/killed"), ("November 2040", "date", "tallis/date"),
      ("22 May", "date", "orm/date")]),
]


def test_a_date_in_a_sentence_of_two_recalled_attacks_is_its_own_attacks():
    recs, labels, g = grouped(TWO_DATES)
    assert group_of(g, "November 2040", 3) == group_of(g, "8 November 2040", 1)
    assert group_of(g, "22 May", 3) == group_of(g, "22 May", 2)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# One source's figure of an earlier time, in a clause of its own ("Ten years after this institute put the Front's
# strength at about 5,000 fighters, the movement has shrunk to ..."; "from about 4,000 three years ago"), is the
# same fact as its figure of today, not a second figure of one voice for it.
EARLIER_TIME = [
    ("Kessel Institute", D(2045, 3, 1),
     "Policy brief: the Harlow Liberation Front\n\n"
     "Ten years after this institute put the Harlow Liberation Front's strength at about 5,000 fighters, the "
     "movement has shrunk to between 1,200 and 1,800 fighters, by our count.",
     [("about 5,000 fighters", "force_size", "hlf-strength"),
      ("between 1,200 and 1,800 fighters", "force_size", "hlf-strength")]),
    ("Ostrel Radio", D(2045, 6, 9),
     "Harlow Liberation Front attacks army post\n\n"
     "The Harlow Liberation Front, which has about 1,500 fighters, attacked an army post, officials said.",
     [("about 1,500 fighters", "force_size", "hlf-strength")]),
]


def test_a_sources_figure_of_an_earlier_time_is_the_same_fact():
    recs, labels, g = grouped(EARLIER_TIME)
    assert group_of(g, "about 5,000 fighters", 1) == group_of(g, "between 1,200 and 1,800 fighters", 1) \
        == group_of(g, "about 1,500 fighters", 2)


# A year in a relative clause on another noun ("blaming the Red Front, an armed group that has fought government
# forces in the north since 2039") dates what that noun has done, not the toll the sentence gives.
RELATIVE_YEAR = [
    ("Harbour Wire", D(2044, 8, 3),
     "Gunmen kill at least 15 in Tallis church attack\n\n"
     "TALLIS, Aug 3 (Harbour Wire) - Gunmen killed at least 15 people in an attack on a church in Tallis on "
     "Sunday, the army said.\n\n"
     "\"At least 15 civilians were killed,\" army spokesman Colonel Ivo Marsh told the agency, blaming the Red "
     "Front, an armed group that has fought government forces in the north since 2039.",
     [("at least 15 people", K, "tallis/killed"), ("At least 15 civilians", K, "tallis/killed")]),
    ("Kelso Courier", D(2044, 8, 4),
     "Tallis church toll rises to 18\n\n"
     "At least 18 people were killed in the attack on the church in Tallis on Sunday, officials said.",
     [("At least 18 people", K, "tallis/killed")]),
]


def test_a_year_in_a_relative_clause_on_another_noun_dates_no_toll():
    recs, labels, g = grouped(RELATIVE_YEAR)
    total = group_of(g, "at least 15 people", 1)
    assert group_of(g, "At least 15 civilians", 1) == total == group_of(g, "At least 18 people", 2)
    sentence = RELATIVE_YEAR[0][2].split("\n\n")[-1]
    assert sentence_year(sentence, "At least 15 civilians") is None


# An anniversary piece a year after the Kelmar ambush recalls the rest of that year without naming it again
# ("later that year"): a toll whose clause names where another incident of the ambush's year happened (the
# siege of Dunmore) is that incident's, not the ambush's.
LATER_THAT_YEAR = [
    ("Orrin Wire", D(2046, 3, 6),
     "Gunmen kill 16 at Kelmar checkpoint\n\n"
     "KELMAR, March 6 (Orrin Wire) - Gunmen killed 16 people at a police checkpoint near Kelmar on Tuesday, "
     "officials said.",
     [("16 people", K, "kelmar")]),
    ("Halden Daily", D(2046, 9, 14),
     "Army ends siege of Dunmore\n\n"
     "The army retook the town of Dunmore on Friday, ending a five-day siege by the Tessel Brigades. At "
     "least 31 people were killed in the siege of Dunmore, the Defence Ministry said.",
     [("At least 31 people", K, "dunmore")]),
    ("Osland Relief Mission", D(2046, 9, 20),
     "Situation update: Dunmore\n\n"
     "At least 45 people were killed during the siege of Dunmore, according to the mission's own count.",
     [("At least 45 people", K, "dunmore")]),
    ("Kelmar Times", D(2047, 3, 6),
     "A year after the Kelmar checkpoint attack\n\n"
     "Relatives of the dead laid flowers at the checkpoint outside Kelmar on Monday. On 6 March 2046, gunmen "
     "killed 16 people at the checkpoint, the first attack in Kelmar in years. Four men are on trial for "
     "helping the gunmen; their lawyers say they were forced to confess, and the court has adjourned the "
     "hearing twice.\n\nThe attack marked the start "
     "of the bloodiest year in Osland in a decade. A five-day seizure of the town of Dunmore by the Tessel "
     "Brigades later that year left at least 45 people dead, according to the mission.",
     [("16 people", K, "kelmar"), ("at least 45 people", K, "dunmore")]),
]


def test_a_look_backs_toll_of_another_place_that_year_is_that_incidents():
    recs, labels, g = grouped(LATER_THAT_YEAR)
    dunmore = group_of(g, "At least 45 people", 3)
    assert group_of(g, "at least 45 people", 4) == dunmore
    assert group_of(g, "16 people", 4) == group_of(g, "16 people", 1) != dunmore
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# A conflict's history, told again in the background of each report: the year the Front took up arms and the
# year of the peace deal are each one fact across reports of three incidents, whatever verb dates them ("took
# up arms in", "has fought since"); a year of a town's market, named with no one of them, is none of them.
HISTORY = [
    ("Orrin Wire", D(2047, 3, 6),
     "Gunmen kill 16 at Kelmar checkpoint\n\n"
     "KELMAR, March 6 (Orrin Wire) - Gunmen killed 16 people at a police checkpoint near Kelmar on Tuesday, "
     "officials said. Suspicion fell on the Orvel Front, a separatist movement that has fought government "
     "forces on and off since 2039.",
     [("2039", "date", "front-began")]),
    ("Halden Daily", D(2047, 6, 16),
     "Bus bomb kills 23 in Varn\n\n"
     "A bomb on a bus killed 23 people in Varn on Friday, police said. The bus had left Varn's central "
     "market, which was built in 2039.\n\n"
     "The Orvel Front took up arms in 2039, demanding autonomy for the north. A peace deal signed in 2043 "
     "held for three years before collapsing.",
     [("2039", "date", "front-began"), ("2043", "date", "deal")]),
    ("Kelmar Times", D(2047, 11, 28),
     "Orvel Front agrees 30-day truce\n\n"
     "The government and the Orvel Front agreed on Tuesday to a 30-day truce, mediators said. The Orvel "
     "Front has fought for autonomy since 2039. The last lasting agreement, the 2043 peace deal, held for "
     "three years.",
     [("2039", "date", "front-began"), ("2043", "date", "deal")]),
]


def test_a_year_of_the_conflicts_history_is_one_fact_across_incidents():
    recs, labels, g = grouped(HISTORY)
    began = group_of(g, "2039", 1)
    assert group_of(g, "2039", 3) == began

    def said(words):
        return next(id(grp) for grp in g.groups for r in grp
                    if r.document_id == 2 and r.claim.quote == "2039" and words in r.claim.sentence)
    assert said("took up arms") == began
    assert said("market") != began
    deal = group_of(g, "2043", 2)
    assert group_of(g, "2043", 3) == deal != began
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# A relative clause tells of the noun before its comma: "After the failed seizure of Dunmore, in which the army
# says more than 40 of the group's fighters were killed, ..." counts the Dunmore siege's dead attackers, in an
# explainer long after, whose own incident is the Kelmar ambush (whose attackers five were killed).
RELATIVE_ANTECEDENT = [
    ("Orrin Wire", D(2046, 3, 6),
     "Gunmen kill 16 at Kelmar checkpoint\n\n"
     "KELMAR, March 6 (Orrin Wire) - Gunmen killed 16 people at a police checkpoint near Kelmar on Tuesday, "
     "officials said. Five of the attackers were killed, police said.",
     [("16 people", K, "kelmar"), ("Five of the attackers", K, "kelmar-attackers")]),
    ("Halden Daily", D(2046, 9, 14),
     "Army ends siege of Dunmore\n\n"
     "The army retook the town of Dunmore on Friday, ending a five-day siege by the Tessel Brigades. At "
     "least 31 people were killed in the siege of Dunmore, and more than 40 militants died, the Defence "
     "Ministry said.",
     [("At least 31 people", K, "dunmore"), ("more than 40 militants", K, "dunmore-attackers")]),
    ("Kelmar Times", D(2048, 5, 14),
     "Explainer: who fights in Osland\n\n"
     "On 6 March 2046, gunmen killed 16 people at the checkpoint outside Kelmar, the first attack in Kelmar "
     "in years. Four men are on trial for helping the gunmen; their lawyers say they were forced to confess, "
     "and the court has adjourned the hearing twice.\n\n"
     "After the failed seizure of Dunmore, in which the army says more than 40 of the group's fighters were "
     "killed, analysts believe the Tessel Brigades have fewer than 500 members.",
     [("16 people", K, "kelmar"), ("more than 40 of the group's fighters", K, "dunmore-attackers")]),
]


def test_a_relative_clause_tells_of_the_noun_before_it():
    recs, labels, g = grouped(RELATIVE_ANTECEDENT)
    assert group_of(g, "more than 40 of the group's fighters", 3) != group_of(g, "Five of the attackers", 1)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


@pytest.mark.parametrize("sentence, quote, reaches", [
    ("After the failed seizure of Dunmore, in which the army says more than 40 fighters were killed, talks "
     "resumed.", "more than 40 fighters", "After the failed"),
    ("It followed a suicide attack on the bus station in Varn, in Kessel province, which killed at least 27.",
     "at least 27", "It followed"),
    ("The raid on Tarrow, where 12 people died, was the worst.", "12 people", "The raid"),
    ("Police in Varn said on Monday that 12 people died.", "12 people", "Police in Varn"),
    ("The army retook Dunmore, and 31 people were found dead.", "31 people", " and 31"),
])
def test_a_relative_clause_reaches_back_to_the_noun_it_tells_of(sentence, quote, reaches):
    from claims.compare.events import antecedent_start, quote_clause
    start = antecedent_start(sentence, quote_clause(sentence, quote)[0])
    assert sentence[start:].startswith(reaches)


# An explainer's timeline gives each entry its month and place, then a toll after a semicolon ("- September 2046:
# Brigades fighters hold Dunmore for five days; at least 45 people die."): the toll is that entry's incident's,
# though its own clause names no place.
TIMELINE = LATER_THAT_YEAR[:3] + [
    ("Kelmar Times", D(2048, 5, 14),
     "Explainer: who fights in Osland\n\n"
     "Relatives of the dead still gather at the checkpoint outside Kelmar. On 6 March 2046, gunmen killed 16 "
     "people at the checkpoint, the first attack in Kelmar in years. Four men are on trial for helping the "
     "gunmen; their lawyers say they were forced to confess.\n\n"
     "The major attacks\n\n"
     "- March 2046: gunmen attack the Kelmar checkpoint, killing 16 people.\n"
     "- September 2046: Brigades fighters hold Dunmore for five days; at least 45 people die.\n",
     [("16 people", K, "kelmar"), ("at least 45 people", K, "dunmore")]),
]


def test_a_timeline_entrys_toll_is_its_entrys_incident():
    recs, labels, g = grouped(TIMELINE)
    assert group_of(g, "at least 45 people", 4) == group_of(g, "At least 45 people", 3)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# A siege's start is told days before its end: the wire story of its end ("... retook Dunmore on Friday, ending a
# five-day siege") says the fighters stormed the town "before dawn on Monday", and a later situation update dates
# their entry "10 September"; that start is one fact of the siege, though no report is dated that day.
SIEGE_START = [
    ("Orrin Wire", D(2046, 9, 14),
     "Army retakes Dunmore after five-day siege\n\n"
     "DUNMORE, Sept 14 (Orrin Wire) - Troops retook the town of Dunmore on Friday, ending a five-day siege by "
     "Tessel Brigades fighters in which at least 31 people were killed, the Defence Ministry said.\n\n"
     "About 300 Tessel Brigades fighters stormed the town before dawn on Monday, seizing the police station "
     "and the hospital, residents said.",
     [("Monday", "date", "siege-start")]),
    ("Osland Relief Mission", D(2046, 9, 20),
     "Situation update: Dunmore\n\n"
     "On 10 September, Tessel Brigades fighters entered Dunmore, a town of some 25,000 people. Troops "
     "regained control of Dunmore on 14 September after heavy fighting. At least 45 people were killed, "
     "according to the mission's own count.",
     [("10 September", "date", "siege-start")]),
]


def test_a_sieges_start_days_before_its_end_is_one_fact():
    recs, labels, g = grouped(SIEGE_START)
    assert group_of(g, "Monday", 1) == group_of(g, "10 September", 2)


# A sentence recalls two attacks of one year, each in its own clause ("The Tarn Front's ambush near Kesh in May 2046
# killed 12 soldiers, and its raid on the town of Orsk in March of that year killed 23 people"): each toll is its
# own clause's attack, whichever attack the sentence's names fit best.
TWO_IN_A_YEAR = [
    ("Orrin Wire", D(2046, 3, 16),
     "Gunmen kill 23 in Orsk market raid\n\n"
     "ORSK, March 16 (Orrin Wire) - Fighters of the Tarn Front raided the market of Orsk on Wednesday, "
     "killing 23 people, police said.",
     [("23 people", K, "orsk")]),
    ("Orsk Today", D(2046, 3, 18),
     "Orsk buries its dead\n\n"
     "Hundreds of mourners filled the streets of Orsk on Friday for the funerals of the victims of "
     "Wednesday's raid on the town's market, in which 23 people were killed.",
     [("23 people", K, "orsk")]),
    ("Halden Daily", D(2046, 5, 20),
     "Rebels ambush army convoy near Kesh\n\n"
     "KESH, May 20 - Tarn Front fighters ambushed an army convoy near Kesh on Tuesday, killing 12 soldiers, "
     "the army said. Villagers in Kesh said the fighting lasted two hours.",
     [("12 soldiers", K, "kesh")]),
    ("Kelmar Times", D(2047, 6, 2),
     "Tarn Front agrees to truce\n\n"
     "The government and the Tarn Front agreed a 90-day truce in Kelmar on Friday, mediators said. The "
     "Tarn Front's ambush near Kesh in May 2046 killed 12 soldiers, and its raid on the town of Orsk in March of "
     "that year killed 23 people.",
     [("12 soldiers", K, "kesh"), ("23 people", K, "orsk")]),
]


def test_each_clause_of_a_sentence_recalling_two_attacks_is_its_own_attacks():
    recs, labels, g = grouped(TWO_IN_A_YEAR)
    assert group_of(g, "23 people", 4) == group_of(g, "23 people", 1)
    assert group_of(g, "12 soldiers", 4) == group_of(g, "12 soldiers", 3)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# A toll recalled from long before, naming only where that attack happened ("The ambush came eight months after
# the massacre at Orsk, in which 23 people died") is that attack's toll, not the ambush's; a toll whose sentence
# names where the report's own attack happened stays the report's.
LONG_AGO = [
    ("Orrin Wire", D(2046, 3, 16),
     "Gunmen kill 23 in Orsk market raid\n\n"
     "ORSK, March 16 (Orrin Wire) - Fighters of the Tarn Front raided the market of Orsk on Wednesday, "
     "killing 23 people and wounding 41, police said.",
     [("23 people", K, "orsk")]),
    ("Halden Daily", D(2046, 11, 10),
     "Kesh mourns as ambush toll rises to 12\n\n"
     "A twelfth soldier has died of wounds suffered in Thursday's rebel ambush outside Kesh, the army said, "
     "bringing the number of troops killed to 12.\n\n"
     "The ambush came eight months after the massacre at Orsk, in which 23 people died and 41 were wounded. "
     "In Kesh, residents said 30 soldiers had been on the convoy.",
     [("23 people", K, "orsk"), ("12", K, "kesh")]),
    ("Kelmar Times", D(2046, 11, 12),
     "Army buries Kesh ambush dead\n\n"
     "The army buried 12 soldiers killed in last week's ambush near Kesh, a spokesman said.",
     [("12 soldiers", K, "kesh")]),
]


def test_a_toll_recalled_from_long_before_is_the_attack_its_clause_names():
    recs, labels, g = grouped(LONG_AGO)
    assert group_of(g, "23 people", 2) == group_of(g, "23 people", 1)
    assert group_of(g, "12 soldiers", 3) == group_of(g, "12", 2)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# Neither where troops came from ("soldiers sent from the garrison at Kesh killed six of the attackers") nor the
# year an inquiry came out ("An official inquiry published in 2048 found that ...") tells of another attack: the
# attackers killed, in a report of a market raid and in a look back years later, are the raid's.
ORIGIN_AND_INQUIRY = [
    ("Orrin Wire", D(2046, 3, 16),
     "Gunmen kill 19 in Orsk market raid\n\n"
     "ORSK, March 16 (Orrin Wire) - Fighters of the Tarn Front raided the market of Orsk on Wednesday, "
     "killing 19 people, police said. Soldiers sent from the garrison at Kesh killed six of the attackers in a "
     "gunfight, the army said.",
     [("six of the attackers", K, "attackers-killed")]),
    ("Halden Daily", D(2046, 3, 17),
     "Orsk raid toll reaches 23\n\n"
     "The death toll from Wednesday's raid on the market of Orsk rose to 23, the health ministry said. The "
     "interior minister said eight attackers had been killed.",
     [("eight attackers", K, "attackers-killed")]),
    ("Kelmar Times", D(2051, 3, 14),
     "Five years after the Orsk market raid\n\n"
     "ORSK - Five years after the raid on its market, on March 14, 2046, Orsk still counts its dead. An official "
     "inquiry published in 2048 found that security forces killed eight of the attackers.",
     [("eight of the attackers", K, "attackers-killed")]),
]


def test_where_troops_came_from_and_when_an_inquiry_came_out_tell_of_no_other_attack():
    recs, labels, g = grouped(ORIGIN_AND_INQUIRY)
    killed = group_of(g, "eight attackers", 2)
    assert group_of(g, "six of the attackers", 1) == killed
    assert group_of(g, "eight of the attackers", 3) == killed
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


@pytest.mark.parametrize("sentence, quote, said", [
    ("An official inquiry published in 2048 found that security forces killed eight of the attackers.",
     "eight of the attackers", True),
    ("The army said in 2032 that it had fewer than 2,000 fighters.", "fewer than 2,000 fighters", True),
    # the year an emergency was declared dates it, and the raid after it is no statement's
    ("Troops patrol under a state of emergency first declared in 2046, after a raid on Orsk killed 23 people.",
     "23 people", False),
    # a figure before the statement is no part of it
    ("Eight attackers died, an inquiry published in 2048 said.", "Eight attackers", False),
])
def test_a_statements_year_dates_only_what_it_said(sentence, quote, said):
    from claims.compare.events import _said_that
    year = int(next(w for w in sentence.replace(",", " ").split() if w.isdigit() and len(w) == 4))
    end = sentence.find(str(year)) + 4
    assert _said_that([(year, end)], year, sentence, quote) is said


# A review of the year tells three attacks, each with its day and toll, all long before it was published: it is no
# one attack's report, and a sentence that gives no day of its own follows the attack told just before it.
YEAR_REVIEW = [
    ("Orrin Wire", D(2046, 3, 15),
     "Gunmen kill 23 in Orsk market raid\n\n"
     "ORSK, March 15 (Orrin Wire) - Tarn Front fighters raided the market of Orsk on Wednesday, killing 23 "
     "people, police said.",
     [("23 people", K, "orsk")]),
    ("Orsk Today", D(2046, 3, 17),
     "Orsk buries its dead\n\n"
     "Five children were among the dead of Wednesday's raid on the Orsk market, the hospital said.",
     [("Five children", K, "orsk-children")]),
    ("Halden Daily", D(2046, 8, 21),
     "Bomb at Varn bus terminal kills 17\n\n"
     "VARN - A bomb exploded at the bus terminal in Varn on Tuesday, killing 17 people, police said. The "
     "Orvo Cartel, which police say has some 600 gunmen, is suspected.",
     [("17 people", K, "varn")]),
    ("Kelmar Times", D(2046, 11, 9),
     "Rebels kill 12 soldiers in Kesh ambush\n\n"
     "KESH, Nov 9 - Tarn Front fighters ambushed an army convoy near Kesh on Thursday, killing 12 soldiers, "
     "the army said. The Tarn Front said its fighters had killed 30 soldiers.",
     [("12 soldiers", K, "kesh"), ("30 soldiers", K, "kesh")]),
    ("Osland Observatory", D(2047, 1, 28),
     "A Year of Fear in Osland: Annual Report (excerpt)\n\n"
     "The Observatory recorded at least 214 deaths in political violence in Osland in 2046.\n\n"
     "1. Orsk\n\nThe deadliest incident of the year was the raid by the Tarn Front on Orsk on 14 March 2046, in "
     "which 23 people were killed. Our researchers established that five of the dead were children.\n\n"
     "2. Varn\n\nA bomb at the Varn bus terminal on 21 August 2046 killed 17 people. The Orvo Cartel, which "
     "police link to the bombing, has some 600 gunmen.\n\n"
     "3. The convoy\n\nTwelve soldiers were killed when Tarn Front fighters ambushed an army convoy on 8 "
     "November 2046. The Observatory could not verify the Front's claim to have killed 30 soldiers.",
     [("23 people", K, "orsk"), ("five of the dead", K, "orsk-children"), ("17 people", K, "varn"),
      ("Twelve soldiers", K, "kesh"), ("30 soldiers", K, "kesh")]),
]


def test_a_review_of_the_year_is_no_one_attacks_report():
    recs, labels, g = grouped(YEAR_REVIEW)
    # the Front's claim, told after the ambush's dated sentence, is the ambush's (its own group: the report's
    # twelve are the same voice's other figure)
    ev = g.events[next(i for i, grp in enumerate(g.groups) for r in grp
                       if r.claim.quote == "30 soldiers" and r.document_id == 5)]
    assert ev is not None and "Kesh" in ev.label, ev
    assert group_of(g, "17 people", 5) == group_of(g, "17 people", 3)
    # a sentence that gives no day follows the attack told before it
    assert group_of(g, "five of the dead", 5) == group_of(g, "Five children", 2)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)
