"""Whose strength a figure is, from a relative clause or from the group that gives it (FICTIONAL, issue 13).

Every place, person, group and outlet here is INVENTED (no real event). Osland's government signs a
truce with the Sarvel Movement; reports of the week give the Movement's strength, the strength of
Harakat Vessa (a group whose name ends in no group word, outside the truce) in a relative clause on
its name, and a self-defence militia's own count of its members. Each group's strength is one fact
across reports; no two groups' strengths join.
"""
from __future__ import annotations

import datetime as dt

import pytest

from tests.compare_outlets import group_of, grouped, pair_scores

D = dt.date
F = "force_size"

DOCS = [
    ("Orrin Wire", D(2042, 5, 2),
     "Osland, Sarvel Movement sign 30-day truce\n\n"
     "KELMAR, May 2 (Orrin Wire) - Osland's government and the Sarvel Movement signed a 30-day truce in "
     "Kelmar on Thursday, mediators said.\n\n"
     "Defence Minister Aldo Penn said the army estimated the Sarvel Movement's strength at between 1,000 and "
     "1,500 combatants. Aid groups warned that Harakat Vessa, which the army says has grown to some 4,000 "
     "fighters, was not a party to the truce.\n\n"
     "The Morrow Hills militia claims 600 members in the east.",
     [("between 1,000 and 1,500 combatants", F, "sarvel"), ("some 4,000 fighters", F, "vessa"),
      ("600 members", F, "morrow")]),
    ("Halden Daily", D(2042, 5, 3),
     "Truce with Sarvel rebels begins\n\n"
     "The truce between Osland's government and the Sarvel Movement took effect in Kelmar on Friday. The "
     "Sarvel Movement has about 1,200 fighters, a Western diplomat said.\n\n"
     "Harakat Vessa has about 3,800 fighters, according to a UN panel. The Morrow Hills militia, which "
     "officials do not count as an armed group, says it has about 500 members.",
     [("about 1,200 fighters", F, "sarvel"), ("about 3,800 fighters", F, "vessa"),
      ("about 500 members", F, "morrow")]),
]


@pytest.fixture(scope="module")
def coverage():
    return grouped(DOCS)


def test_a_relative_clause_on_a_name_gives_that_groups_strength(coverage):
    recs, labels, g = coverage
    vessa = group_of(g, "some 4,000 fighters", 1)
    assert group_of(g, "about 3,800 fighters", 2) == vessa
    assert group_of(g, "between 1,000 and 1,500 combatants", 1) != vessa


def test_a_group_that_gives_a_strength_gives_its_own(coverage):
    recs, labels, g = coverage
    morrow = group_of(g, "600 members", 1)
    assert group_of(g, "about 500 members", 2) == morrow
    assert morrow not in (group_of(g, "some 4,000 fighters", 1), group_of(g, "about 1,200 fighters", 2))


def test_no_two_groups_strengths_join(coverage):
    recs, labels, g = coverage
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# A group whose name puts its head word first ("Front for the Liberation of Marrow") is one name, whose
# initials ("FLM") are that group too, and an armed group's: its strength in three reports is one fact.
HEAD_FIRST = [
    ("Orrin Wire", D(2043, 2, 27),
     "Osland, Marrow rebels agree truce\n\n"
     "KELMAR, Feb 27 (Orrin Wire) - Osland's government and the Front for the Liberation of Marrow (FLM) "
     "agreed a 30-day truce on Thursday, mediators said.\n\n"
     "The FLM, a separatist movement that emerged in 2031, has about 1,200 fighters, according to a Western "
     "diplomat. Harakat Vessa, which the army says has some 4,000 fighters, is not a party to the truce.",
     [("about 1,200 fighters", F, "flm"), ("some 4,000 fighters", F, "vessa")]),
    ("Halden Daily", D(2043, 2, 28),
     "Government and Marrow front sign truce\n\n"
     "The government and the Front for the Liberation of Marrow signed a truce in Kelmar on Thursday. "
     "Defence Minister Aldo Penn said the army estimated FLM strength at between 1,000 and 1,500 combatants.",
     [("between 1,000 and 1,500 combatants", F, "flm")]),
    ("Kelmar Monitor", D(2043, 6, 20),
     "Quarterly report: violence falls in Marrow\n\n"
     "The Front for the Liberation of Marrow is assessed to have approximately 1,300 combatants, the "
     "monitors' quarterly report says.",
     [("approximately 1,300 combatants", F, "flm")]),
]


def test_a_name_that_puts_its_head_first_is_one_armed_group():
    recs, labels, g = grouped(HEAD_FIRST)
    flm = group_of(g, "about 1,200 fighters", 1)
    assert group_of(g, "between 1,000 and 1,500 combatants", 2) == flm
    assert group_of(g, "approximately 1,300 combatants", 3) == flm
    assert group_of(g, "some 4,000 fighters", 1) != flm


# "was assessed at", "is believed to have": a passive estimate right after the name is that group's too.
PASSIVE = [
    ("Kelmar Monitor", D(2044, 3, 15),
     "Annual report: civilian deaths doubled in Marrow\n\n"
     "Key findings of the monitors' annual report, released on Tuesday:\n\n"
     "- Harakat Sela was assessed at between 2,000 and 2,500 fighters at year's end, the report says.\n"
     "- The Morrow Hills militia claims some 500 members.",
     [("between 2,000 and 2,500 fighters", F, "sela"), ("some 500 members", F, "morrow")]),
    ("Orrin Wire", D(2044, 3, 16),
     "Marrow insurgency grows, monitors say\n\n"
     "Harakat Sela has about 2,200 fighters, the monitors said. The Morrow Hills militia has about 450 "
     "members, officials said.",
     [("about 2,200 fighters", F, "sela"), ("about 450", F, "morrow")]),
]


def test_a_passive_estimate_after_a_name_is_that_groups():
    recs, labels, g = grouped(PASSIVE)
    assert group_of(g, "between 2,000 and 2,500 fighters", 1) == group_of(g, "about 2,200 fighters", 2)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# The name's possessive in the figure's clause: "puts the TND's strength at", "the TND's estimated 4,500".
POSSESSIVE = [
    ("Kelmar Monitor", D(2045, 8, 2),
     "Marrow: insurgents regroup after truce collapses\n\n"
     "The army puts the TND's strength at some 4,000 fighters. The Morrow Hills militia claims some 500 "
     "members, officials said.",
     [("some 4,000 fighters", F, "tnd"), ("some 500", F, "morrow")]),
    ("Orrin Wire", D(2045, 8, 3),
     "Marrow insurgents regroup, officials say\n\n"
     "Officials said the TND's estimated 4,500 fighters were regrouping in the hills. The Morrow Hills "
     "militia has about 450 members.",
     [("estimated 4,500 fighters", F, "tnd"), ("about 450", F, "morrow")]),
]


def test_the_groups_possessive_gives_its_strength():
    recs, labels, g = grouped(POSSESSIVE)
    tnd = group_of(g, "some 4,000 fighters", 1)
    assert next(id(grp) for grp in g.groups for r in grp if r.document_id == 2 and "4,500" in r.claim.quote) == tnd
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# A capitalised word that opens a sentence only by its place ("Between 4,800 and 9,600 troops") names no
# group: two groups' strengths that open so stay apart.
OPENERS = [
    ("Kelmar Monitor", D(2046, 1, 10),
     "Armed groups in the Pell Coast\n\n"
     "Between 4,800 and 9,600 troops of the Vell Valley Brigades operate in the Pell Coast, Anselm Varga "
     "said.",
     [("Between 4,800 and 9,600 troops", F, "vell")]),
    ("Orrin Wire", D(2046, 1, 11),
     "Militias of the Pell Coast\n\n"
     "Between 2,150 and 4,300 paramilitaries of the Highmoor Militia operate in the Pell Coast, Tova Renn "
     "said.",
     [("Between 2,150 and 4,300 paramilitaries", F, "highmoor")]),
]


def test_a_word_capitalised_by_its_place_names_no_group():
    recs, labels, g = grouped(OPENERS)
    assert group_of(g, "Between 4,800 and 9,600 troops", 1) != group_of(g, "Between 2,150 and 4,300 paramilitaries", 2)


# A backgrounder gives the army's and the paramilitary police's strength beside a group's, which other
# reports give in their own words. "A 12,000-strong paramilitary Rural Police" is the police's strength:
# its subject is the force after "-strong", and it never joins the group's.
STATE_FORCES = [
    ("Castor Institute", D(2043, 2, 10),
     "Backgrounder: the Orrin Hills insurgency\n\n"
     "The Orrin Hills Army has between 3,000 and 5,000 fighters, army intelligence officers estimate. "
     "Analysts put the figure at some 4,000.\n\n"
     "The state's armed forces number about 40,000 troops, supported by a 12,000-strong paramilitary "
     "Rural Police.",
     [("between 3,000 and 5,000 fighters", F, "ohl"), ("some 4,000", F, "ohl"),
      ("12,000", F, "police")]),
    ("Halden Daily", D(2043, 2, 12),
     "Orrin Hills rebels step up attacks\n\n"
     "The Orrin Hills Army, which has about 6,000 fighters according to the defence ministry, attacked "
     "two police posts on Tuesday.",
     [("about 6,000 fighters", F, "ohl")]),
]


def test_a_strong_forces_count_is_that_forces_strength():
    from claims.compare.features import _strong_subject

    assert _strong_subject("Troops are backed by a 12,000-strong paramilitary Rural Police.", "12,000") == "police"
    assert _strong_subject("The group is 6,000 strong and growing.", "6,000") is None
    recs, labels, g = grouped(STATE_FORCES)
    police = group_of(g, "12,000", 1)
    assert all(r.claim.quote == "12,000" for grp in g.groups if id(grp) == police for r in grp)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0 and r > 0, (p, r)


# An explainer gives each group a section. The second group's strength is given as "its strength" two
# sentences after the group is named, in sentences with no figure ("The TLC is smaller and younger"): the
# document's own text says whose it is, not the last sentence with a claim, which named the other group.
SECTIONS = [
    ("Castor Institute", D(2044, 3, 10),
     "Explainer: who is fighting in northern Osland\n\n"
     "The Sarvel Movement\n\n"
     "The Sarvel Movement took up arms over land seizures. Western diplomats say the Sarvel Movement has "
     "about 3,000 fighters.\n\n"
     "The Tarrow Liberation Council (TLC)\n\n"
     "The TLC is smaller and younger. Founded by dissident fishermen in coastal Venna, it wants a homeland "
     "of its own. The Halden Centre puts its strength at an estimated 900 militants.",
     [("about 3,000 fighters", F, "sarvel"), ("an estimated 900 militants", F, "tlc")]),
    ("Halden Daily", D(2044, 3, 12),
     "Northern Osland braces for more fighting\n\n"
     "The Tarrow Liberation Council has about 1,000 militants, a UN panel said on Tuesday. The Sarvel "
     "Movement has some 2,500 fighters, according to the army.",
     [("about 1,000 militants", F, "tlc"), ("some 2,500 fighters", F, "sarvel")]),
]


def test_its_strength_is_the_group_the_text_named_just_before():
    recs, labels, g = grouped(SECTIONS)
    tlc = group_of(g, "an estimated 900 militants", 1)
    assert group_of(g, "about 1,000 militants", 2) == tlc
    assert group_of(g, "some 2,500 fighters", 2) != tlc
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# A truce story gives two named groups' strengths and a third count that names no group (" the
# pro-government militias"): the story is one incident's, but a strength is a group's, not an incident's;
# with two groups in view, the unnamed count joins neither.
TWO_GROUPS_ONE_TRUCE = [
    ("Orrin Wire", D(2044, 6, 3),
     "Osland truce holds on first day\n\n"
     "KELMAR, June 3 (Orrin Wire) - A 30-day truce between Osland's government and the Sarvel Movement "
     "held on its first day, mediators said.\n\n"
     "The Sarvel Movement has about 3,000 fighters, Western diplomats say. The Tarrow Brigades, which did "
     "not sign, can field no more than 800 fighters, according to the army. Pro-government militias in the "
     "hills have some 1,500 fighters of their own.",
     [("about 3,000 fighters", F, "sarvel"), ("no more than 800 fighters", F, "tarrow"),
      ("some 1,500 fighters", F, None)]),
    ("Halden Daily", D(2044, 6, 4),
     "Sarvel truce enters second day\n\n"
     "The truce between Osland's government and the Sarvel Movement entered its second day on Thursday. "
     "The Sarvel Movement has some 2,800 fighters, a UN panel said.",
     [("some 2,800 fighters", F, "sarvel")]),
]


def test_a_strength_naming_no_group_joins_no_group_when_its_incident_has_two():
    recs, labels, g = grouped(TWO_GROUPS_ONE_TRUCE)
    unnamed = group_of(g, "some 1,500 fighters", 1)
    assert unnamed not in (group_of(g, "about 3,000 fighters", 1), group_of(g, "no more than 800 fighters", 1))
    assert group_of(g, "some 2,800 fighters", 2) == group_of(g, "about 3,000 fighters", 1)


# A group whose name holds a possessive ("the Ketaran People's Vanguard") is known by initials that skip
# it (KPV), ends in "Vanguard", and is counted in guerrillas: its reports join, and never the other group's.
VANGUARD = [
    ("Orrin Wire", D(2045, 4, 2),
     "Truce with Sarvel rebels holds\n\n"
     "The truce between Osland's government and the Sarvel Movement held on Tuesday. The Sarvel Movement has "
     "about 1,200 fighters, the army says. The truce does not cover the Ketaran People's Vanguard (KPV), a "
     "communist insurgency on Tessa island with an estimated 1,000 guerrillas.",
     [("about 1,200 fighters", F, "sarvel"), ("an estimated 1,000 guerrillas", F, "kpv")]),
    ("Halden Daily", D(2045, 4, 9),
     "Soldiers killed in Tessa clash\n\n"
     "Three soldiers were killed in a clash with KPV guerrillas on Tessa island, the army said. The KPV is "
     "not covered by the Sarvel truce; the army puts the group's strength at about 1,100 guerrillas.",
     [("about 1,100 guerrillas", F, "kpv")]),
]


def test_a_possessive_in_a_groups_name_leaves_its_initials_its_own():
    from claims.compare.features import lexicon, norm_name, subject_class
    from claims.compare.grouping import _armed_name

    assert norm_name("Ketaran People's Vanguard") == "ketaran people vanguard"
    assert _armed_name("ketaran people vanguard") and _armed_name("orvo cartel")
    assert subject_class("guerrillas") == subject_class("mujahideen") == ("fighters", False)
    recs, labels, g = grouped(VANGUARD)
    kpv = group_of(g, "an estimated 1,000 guerrillas", 1)
    assert group_of(g, "about 1,100 guerrillas", 2) == kpv
    assert group_of(g, "about 1,200 fighters", 1) != kpv


TROOPS = [
    ("Orrin Wire", D(2045, 4, 2),
     "Truce holds on first day\n\n"
     "The truce between Osland's government and the Sarvel Movement held on Tuesday on Tessa island. The "
     "Sarvel Movement has about 1,200 fighters, the army says. The Ketaran People's Vanguard (KPV), which "
     "did not sign, has an estimated 1,000 guerrillas.\n\n"
     "It has sent 2,500 extra troops to the island.",
     [("about 1,200 fighters", F, "sarvel"), ("an estimated 1,000 guerrillas", F, "kpv"),
      ("2,500 extra troops", F, "troops")]),
    ("Halden Daily", D(2045, 4, 3),
     "Second day of calm in the south\n\n"
     "The truce between Osland's government and the Sarvel Movement entered its second day on Wednesday on "
     "Tessa island. The Sarvel Movement has some 1,100 fighters and the KPV about 900 guerrillas, a UN panel "
     "said.\n\n"
     "The 2,500 troops sent this week remain on the island.",
     [("some 1,100 fighters", F, "sarvel"), ("about 900 guerrillas", F, "kpv"), ("2,500 troops", F, "troops")]),
]


def test_troops_sent_are_the_states_whatever_groups_the_incident_names():
    # the state's troops are no armed group's: with two groups' strengths in the incident, "2,500 extra
    # troops" still joins the same troops in the next report
    recs, labels, g = grouped(TROOPS)
    assert group_of(g, "2,500 extra troops", 1) == group_of(g, "2,500 troops", 2)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# "Government and Sarvel Movement negotiators ..." opening a sentence is one capitalised run; the group it names
# is still the one "the group's" refers to in the next sentence, not the one an earlier section named.
NEGOTIATORS = [
    ("Halden Weekly", D(2045, 5, 9),
     "The week in Osland\n\n"
     "RAID IN THE EAST\n"
     "The Tarrow Brigades raided a police post near Venn on Monday, the army said.\n\n"
     "TALKS STALL\n"
     "Government and Sarvel Movement negotiators failed to agree on Wednesday whether to extend the truce. A "
     "spokesman told reporters the group's 5,000 fighters wanted a longer pause.",
     [("5,000 fighters", F, "sarvel")]),
    ("Orrin Wire", D(2045, 5, 12),
     "Sarvel Movement says truce must be extended\n\n"
     "The Sarvel Movement said on Friday the truce must be extended. The army says the Sarvel Movement has "
     "about 4,800 fighters.",
     [("about 4,800 fighters", F, "sarvel")]),
    ("Orrin Wire", D(2045, 5, 13),
     "Tarrow Brigades deny police post raid\n\n"
     "The Tarrow Brigades, which has some 5,200 fighters, denied raiding the police post near Venn.",
     [("some 5,200 fighters", F, "tarrow")]),
]


def test_a_group_named_in_a_run_with_and_is_the_groups_antecedent():
    recs, labels, g = grouped(NEGOTIATORS)
    assert group_of(g, "5,000 fighters", 1) == group_of(g, "about 4,800 fighters", 2)
    assert group_of(g, "5,000 fighters", 1) != group_of(g, "some 5,200 fighters", 3)


# When a group began is the group's, like its strength: a bombing's report and a truce's story that both
# profile it ("founded in 2029") give one fact, though they report two incidents.
FOUNDED = [
    ("Orrin Wire", D(2045, 2, 3),
     "Bomb kills 12 at Venn market\n\n"
     "VENN, Feb 3 (Orrin Wire) - A bomb killed 12 people at the Venn market on Monday, police said. Police "
     "blamed the Sarvel Movement, an insurgent group founded in 2029 in the Osland hills.",
     [("2029", "date", "founded")]),
    ("Halden Daily", D(2045, 6, 9),
     "Osland and Sarvel rebels agree truce\n\n"
     "Osland's government and the Sarvel Movement agreed a 30-day truce on Sunday. The Sarvel Movement was "
     "founded in 2029 by dissident farmers.",
     [("2029", "date", "founded")]),
]


def test_when_a_group_was_founded_is_the_groups_in_every_incidents_report():
    recs, labels, g = grouped(FOUNDED)
    assert group_of(g, "2029", 1) == group_of(g, "2029", 2)
    assert group_of(g, "Monday", 1) != group_of(g, "2029", 1)


# A group whose name ends in no group word ("Ash Wind") is an armed group once any report gives it a strength
# in fighters ("put Ash Wind's strength at"): "the movement", in the sentence after one naming it, is Ash Wind.
# A place is never whose strength it is: "operations north of Talvo have reduced the movement to ..." gives
# Talvo nothing. The Kessel Brigade's strength, near in value, is another group's.
NO_GROUP_WORD = [
    ("Orrin Wire", D(2044, 3, 2),
     "Ash Wind raids Talvo market\n\n"
     "TALVO, March 2 (Orrin Wire) - Fighters of Ash Wind raided the market in the town of Talvo on Friday, "
     "officials said. A UN panel put Ash Wind's strength at about 3,000 fighters in 2042. The Kessel Brigade, "
     "a rival, has about 1,900 fighters, the panel said.",
     [("about 3,000 fighters", F, "ash"), ("about 1,900 fighters", F, "kessel")]),
    ("Halden Daily", D(2045, 3, 2),
     "A year after the Talvo raid\n\n"
     "Ash Wind has not struck on that scale since. Analysts say the movement now has fewer than 2,000 "
     "fighters.",
     [("fewer than 2,000 fighters", F, "ash")]),
    ("Kelmar Times", D(2045, 4, 9),
     "Talvo rebuilds its market\n\n"
     "Traders in Talvo reopened their stalls this week. Ash Wind has not returned to the town. The army "
     "says operations in the hills north of Talvo have reduced the movement to some 1,800 fighters.",
     [("some 1,800 fighters", F, "ash")]),
]


@pytest.fixture(scope="module")
def no_group_word():
    return grouped(NO_GROUP_WORD)


def test_a_name_given_a_strength_in_fighters_is_an_armed_group(no_group_word):
    recs, labels, g = no_group_word
    ash = group_of(g, "about 3,000 fighters", 1)
    assert group_of(g, "fewer than 2,000 fighters", 2) == ash
    assert group_of(g, "about 1,900 fighters", 1) != ash


def test_a_place_is_no_groups_owner(no_group_word):
    recs, labels, g = no_group_word
    assert group_of(g, "some 1,800 fighters", 3) == group_of(g, "about 3,000 fighters", 1)
    assert "talvo" not in g.reasons.get(next(r.fingerprint for r in recs if r.claim.quote == "some 1,800 fighters"), "")
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# A profile names a group by a bare group word ("The Front took up arms in 2031") and then counts it with "It
# has ...": the Front is the one armed group of the document whose name holds "Front", and "It" is the group
# the sentence before opens with. A sentence that opens with someone else ("The army says ...") or names two
# groups says nothing of whose "It" is.
BARE_WORD = [
    ("Orrin Wire", D(2044, 5, 2),
     "Marrow rebels keep up raids\n\n"
     "KELMAR, May 2 (Orrin Wire) - The Front for the Liberation of Marrow (FLM) raided two villages near "
     "Kelmar on Thursday, officials said. A UN panel put the FLM's strength at about 2,400 fighters. The "
     "Kessel Brigade, a rival, has about 2,200 fighters, the panel said.",
     [("about 2,400 fighters", F, "flm"), ("about 2,200 fighters", F, "kessel")]),
    ("Halden Daily", D(2045, 6, 1),
     "Who fights in the Marrow hills\n\n"
     "The FLM. The Front took up arms in 2031, drawing on farmers angered by land seizures. It has some "
     "2,000-2,500 combatants, organised in small units.\n\n"
     "The Kessel Brigade has about 2,100 fighters. The Kessel Brigade and the FLM share the hills but not "
     "their aims. It has about 2,300 fighters, officials say.",
     [("some 2,000-2,500 combatants", F, "flm"), ("about 2,100 fighters", F, "kessel"),
      ("about 2,300 fighters", F, None)]),
]


@pytest.fixture(scope="module")
def bare_word():
    return grouped(BARE_WORD)


def test_it_is_the_group_the_sentence_before_opens_with(bare_word):
    recs, labels, g = bare_word
    assert group_of(g, "some 2,000-2,500 combatants", 2) == group_of(g, "about 2,400 fighters", 1)


def test_it_after_a_sentence_naming_two_groups_is_neither(bare_word):
    recs, labels, g = bare_word
    other = group_of(g, "about 2,300 fighters", 2)
    assert other not in (group_of(g, "about 2,400 fighters", 1), group_of(g, "about 2,200 fighters", 1))
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


@pytest.mark.parametrize("sentence, counts", [
    ("It has some 2,000 combatants.", True),
    ("It now fields about 900 fighters.", True),
    ("It is believed to number 3,000.", True),
    ("It was founded in 2031.", False),
    ("Military officials say it has fewer than 1,500 fighters left.", True),
    ("The Kessel Brigade says it has 900 fighters.", False),
    ("Italy has 2,000 troops there.", False),
    # after an opening phrase, with its own "officials say" or none
    ("At its height in the mid-2030s, officials say, it counted some 7,000 fighters.", True),
    ("At its peak in 2036 it fielded some 7,000 fighters.", True),
    ("In the north it was founded in 2031.", False),
])
def test_a_sentence_counting_with_it(sentence, counts):
    from claims.compare.grouping import _IT_HAS_RE
    assert bool(_IT_HAS_RE.match(sentence)) is counts


# "It" after a sentence whose main clause, past an opening phrase, opens with the group; a bare figure ("fewer
# than 2,000") counts it too.
OPENING_PHRASE = BARE_WORD[:1] + [
    ("Kelmar Times", D(2047, 2, 3),
     "Marrow after the amnesty\n\n"
     "At the time of the 2044 raids, the FLM was estimated to have some 2,500 fighters. Officials now say it "
     "has fewer than 2,000.",
     [("some 2,500 fighters", F, "flm"), ("fewer than 2,000", F, "flm")]),
]


def test_it_after_an_opening_phrase_is_the_group_of_the_main_clause():
    recs, labels, g = grouped(OPENING_PHRASE)
    flm = group_of(g, "about 2,400 fighters", 1)
    assert group_of(g, "fewer than 2,000", 2) == flm
    assert group_of(g, "about 2,200 fighters", 1) != flm


# A group named after "from", "than" or "against" is the other side of the sentence's subject ("The Brigades
# split from the larger Orvel Liberation Front ... with about 600 fighters"; "is smaller than the Front"): the
# strength is the subject's, here the bare "The Brigades", the Tessel Brigades of its document.
FROM_THE_LARGER = [
    ("Orrin Wire", D(2046, 6, 15),
     "Bus bomb kills 12 in Kelmar\n\n"
     "KELMAR, June 15 (Orrin Wire) - A bomb on a bus killed 12 people in Kelmar on Friday, officials said. "
     "The Tessel Brigades, an armed group active in the hills, claimed the attack.\n\n"
     "The Brigades split from the larger Orvel Liberation Front in 2041 and are much smaller, with about 600 "
     "fighters, according to the Interior Ministry.",
     [("about 600 fighters", F, "tessel")]),
    ("Halden Daily", D(2046, 9, 14),
     "Army retakes Dunmore\n\n"
     "The army retook the town of Dunmore on Friday. The Tessel Brigades, which have between 600 and 800 "
     "fighters, broke away from the Orvel Liberation Front in 2041.",
     [("between 600 and 800 fighters", F, "tessel")]),
    ("Kelmar Times", D(2046, 11, 2),
     "Front says it wants talks\n\n"
     "The Orvel Liberation Front, which has some 2,000 fighters, said on Monday it wanted talks. The Varn "
     "Movement is a little smaller than the Orvel Liberation Front, with about 1,800 fighters.",
     [("some 2,000 fighters", F, "olf"), ("about 1,800 fighters", F, "varn")]),
]


def test_a_group_after_from_or_than_is_not_whose_strength_it_is():
    recs, labels, g = grouped(FROM_THE_LARGER)
    tessel = group_of(g, "about 600 fighters", 1)
    assert group_of(g, "between 600 and 800 fighters", 2) == tessel
    assert tessel != group_of(g, "some 2,000 fighters", 3)
    assert group_of(g, "about 1,800 fighters", 3) != group_of(g, "some 2,000 fighters", 3)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# The author of a report ("A National Defence Committee report ... estimated it at 3,000") and the agent of a
# passive ("was put at ... by the National Defence Committee") give the figure; they are never whose strength
# it is, even when their names end in a group word. The Front's strength is one fact across the reports.
AUTHORS = [
    ("Orrin Wire", D(2047, 3, 7),
     "Front claims checkpoint raid\n\n"
     "KELMAR, March 7 (Orrin Wire) - The Orvel Liberation Front said its fighters raided a checkpoint near "
     "Kelmar on Tuesday. The group, whose strength was put at between 1,500 and 2,500 fighters by the "
     "National Defence Committee in a report to parliament last month, gave no toll.",
     [("between 1,500 and 2,500 fighters", F, "olf")]),
    ("Halden Daily", D(2049, 5, 14),
     "Explainer: the Orvel Liberation Front\n\n"
     "How big is the Orvel Liberation Front? The government put the group's strength at some 2,000 "
     "fighters in 2047. A National Defence Committee report to parliament last year estimated it at 3,000, and the "
     "Front itself claims to have more than 5,000 men under arms.",
     [("some 2,000 fighters", F, "olf"), ("3,000", F, "olf"), ("more than 5,000 men", F, "olf")]),
]


def test_a_reports_author_or_a_passives_agent_is_never_whose_strength():
    recs, labels, g = grouped(AUTHORS)
    olf = group_of(g, "between 1,500 and 2,500 fighters", 1)
    for quote in ("some 2,000 fighters", "3,000", "more than 5,000 men"):
        assert group_of(g, quote, 2) == olf, quote
    assert "committee" not in g.reasons.get(next(r.fingerprint for r in recs if r.claim.quote == "3,000"), "")


# "Their strength" after a sentence naming two groups is the one that is not on the other side of a "from": "The
# Brigades broke away from the Orvel Liberation Front in 2041. Their strength was put at ..." is the Brigades'.
THEIR_STRENGTH = FROM_THE_LARGER[:2] + [
    ("Kelmar Times", D(2047, 5, 14),
     "Explainer: who fights in Osland\n\n"
     "The Tessel Brigades are the smaller of the country's two armed groups. The Brigades broke away from the "
     "Orvel Liberation Front in 2041, rejecting its talks with the government. Their strength was put at "
     "between 500 and 700 fighters by the Interior Ministry last year.",
     [("between 500 and 700 fighters", F, "tessel")]),
]


def test_their_strength_after_a_split_from_another_group_is_the_splinters():
    recs, labels, g = grouped(THEIR_STRENGTH)
    assert group_of(g, "between 500 and 700 fighters", 3) == group_of(g, "about 600 fighters", 1)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# Groups numbered like army units ("Front 12", "Front 21") are two groups: the number is part of the name, and a
# strength of one never joins the other's.
NUMBERED = [
    ("Orrin Wire", D(2052, 11, 9),
     "Dissidents kill 11 in Tunilla\n\n"
     "Gunmen killed 11 villagers in Tunilla on Saturday, the army said, blaming Front 21. A 2051 study put "
     "Front 21's strength at between 380 and 420 fighters.",
     [("between 380 and 420 fighters", F, "front21")]),
    ("Halden Daily", D(2053, 5, 23),
     "Dissidents overrun army base at Ribera\n\n"
     "Fighters of Front 12 overran an army base at Ribera on Thursday, the army said. Its roughly 600-strong "
     "Front 12 is now the best armed of the splinter groups, according to the army.",
     [("roughly 600", F, "front12")]),
    ("Kelmar Times", D(2053, 8, 2),
     "Who are the dissidents?\n\n"
     "Front 12 has about 650 fighters, the army says. Front 21 has some 450 fighters, according to the "
     "ombudsman's office.",
     [("about 650 fighters", F, "front12"), ("some 450 fighters", F, "front21")]),
]


def test_a_groups_number_is_part_of_its_name():
    recs, labels, g = grouped(NUMBERED)
    assert group_of(g, "about 650 fighters", 3) != group_of(g, "some 450 fighters", 3)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# A splinter named "... Column" and a gang with a Spanish name ("Los Hijos del Mar") are groups of their own:
# their strengths never join the larger front's or the cartel's, in sentences that name both.
SPLINTERS = [
    ("Orrin Wire", D(2061, 4, 2),
     "Talks with Tarn Front resume\n\n"
     "Talks between Osland's government and the Tarn Front resumed in Kelmar on Thursday, mediators said. "
     "The army puts the Tarn Front's strength at about 2,400 fighters.\n\n"
     "The Black Column, a faction that broke away from the Tarn Front in January, has fewer than 300 "
     "fighters, the defence minister said.",
     [("about 2,400 fighters", F, "tarn"), ("fewer than 300 fighters", F, "column")]),
    ("Halden Daily", D(2061, 4, 9),
     "Car bomb kills nine at Vessa port\n\n"
     "VESSA, April 9 - A car bomb killed nine people at the port of Vessa on Tuesday, police said. Police "
     "blamed the Orvo Cartel, which they say has around 700 gunmen. The cartel has been fighting a rival "
     "gang for the port since 2058. Los Hijos del Mar is thought to have about 250 gunmen.\n\n"
     "The Tarn Front has some 2,500 fighters, a UN panel said. The Black Column, the splinter that "
     "rejected the talks, has some 280 fighters.",
     [("around 700 gunmen", F, "orvo"), ("about 250 gunmen", F, "hijos"),
      ("some 2,500 fighters", F, "tarn"), ("some 280 fighters", F, "column")]),
]


def test_a_column_and_a_gang_with_a_spanish_name_are_groups_of_their_own():
    recs, labels, g = grouped(SPLINTERS)
    assert group_of(g, "some 280 fighters", 2) == group_of(g, "fewer than 300 fighters", 1)
    assert group_of(g, "some 2,500 fighters", 2) == group_of(g, "about 2,400 fighters", 1)
    assert group_of(g, "about 250 gunmen", 2) != group_of(g, "around 700 gunmen", 2)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# "its strength" after a sentence naming a numbered group is that numbered group's: "Front 21, a splinter of the old
# army, controls the valley. The Office estimates its strength at some 450 combatants" is Front 21's, not Front 12's.
NUMBERED_BEFORE = [
    ("Orrin Wire", D(2053, 5, 23),
     "Dissidents overrun army base at Ribera\n\n"
     "Fighters of Front 12 overran an army base at Ribera on Thursday, the army said. The army puts Front 12's "
     "strength at about 650 fighters.",
     [("about 650 fighters", F, "front12")]),
    ("Ombudsman's Office", D(2053, 6, 2),
     "Early warning: the upper Morca valley\n\n"
     "Front 21, a dissident structure of the former rebel army, exercises control over the upper Morca valley. "
     "The Office estimates its strength at some 450 combatants.",
     [("some 450 combatants", F, "front21")]),
    ("Kelmar Times", D(2053, 8, 2),
     "Who are the dissidents?\n\n"
     "The ombudsman's office puts Front 21's strength at nearly 500 fighters. The army puts Front 12's strength "
     "at roughly 600 fighters.",
     [("nearly 500 fighters", F, "front21"), ("roughly 600 fighters", F, "front12")]),
]


def test_its_strength_after_a_numbered_group_is_that_groups():
    recs, labels, g = grouped(NUMBERED_BEFORE)
    assert group_of(g, "some 450 combatants", 2) == group_of(g, "nearly 500 fighters", 3)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# A numbered group that has a strength ("Front 21 has nearly 500 fighters"): the number is its name's, and stands
# between the name and the verb.
NUMBERED_SUBJECT = [
    ("Orrin Wire", D(2053, 5, 23),
     "Who are the dissidents?\n\n"
     "Front 21 has nearly 500 fighters, the army says. Front 12 has about 650 fighters.",
     [("nearly 500 fighters", F, "front21"), ("about 650 fighters", F, "front12")]),
    ("Halden Daily", D(2053, 6, 2),
     "Dissident fronts grow\n\n"
     "Front 21 now has some 450 fighters, the ombudsman says.",
     [("some 450 fighters", F, "front21")]),
]


def test_a_numbered_group_with_a_strength_is_that_groups():
    recs, labels, g = grouped(NUMBERED_SUBJECT)
    assert group_of(g, "nearly 500 fighters", 1) == group_of(g, "some 450 fighters", 2)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# A group's strength at its peak is a fact of its own: it joins the same peak told elsewhere, never the group's
# strength now ("At its peak in 2039, officials say, the Tarn Front fielded about 4,000 fighters").
PEAK_STRENGTH = [
    ("Orrin Wire", D(2048, 2, 26),
     "Tarn Front agrees to truce\n\n"
     "The Tarn Front agreed a 30-day truce on Thursday, mediators said. The army puts the Tarn Front's strength "
     "at around 1,200 fighters. At its peak in 2039, officials say, the Tarn Front fielded about 4,000 "
     "fighters.",
     [("around 1,200 fighters", F, "now"), ("about 4,000 fighters", F, "peak")]),
    ("Halden Daily", D(2048, 3, 2),
     "Who is the Tarn Front?\n\n"
     "The Tarn Front has some 1,100 fighters, analysts say. At its height in 2039 the Tarn Front had some "
     "4,500 fighters.",
     [("some 1,100 fighters", F, "now"), ("some 4,500 fighters", F, "peak")]),
]


def test_a_groups_peak_strength_is_a_fact_of_its_own():
    recs, labels, g = grouped(PEAK_STRENGTH)
    assert group_of(g, "about 4,000 fighters", 1) == group_of(g, "some 4,500 fighters", 2)
    assert group_of(g, "around 1,200 fighters", 1) == group_of(g, "some 1,100 fighters", 2)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


@pytest.mark.parametrize("sentence, quote, peak", [
    ("At its peak in 2039, officials say, the Front fielded about 4,000 fighters.", "about 4,000 fighters", True),
    ("The Front has some 1,100 fighters, down from a peak of some 4,500 in 2039.", "some 4,500", True),
    ("The Front has some 1,100 fighters, down from a peak of some 4,500 in 2039.", "some 1,100 fighters", False),
    ("That is a fraction of the 7,000 it fielded at its peak.", "7,000", True),
    # a peak named before another figure is that figure's, not this one's
    ("At its peak it had 7,000 fighters; today it has about 1,800 fighters.", "about 1,800 fighters", False),
])
def test_a_peak_phrase_marks_the_figure_it_tells_of(sentence, quote, peak):
    from claims.compare.grouping import _at_peak
    assert _at_peak(sentence, quote) is peak
