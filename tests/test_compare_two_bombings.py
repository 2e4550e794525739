"""Two bombings in two towns of one FICTIONAL country two days apart, read end to end (issue 13).

Every place, person, group and outlet here is INVENTED (no real event). Each town's bombing has its
own reports; a follow-up on the second bombing recalls the first ("the same cell behind Tuesday's
attack on the bus depot in Quellan"), an analysis covers both ("Together they killed 42 people"),
and a truce story a week later recalls the first. Precision first: no report of one bombing may
share a group with a report of the other, nor the combined count with either toll, however the
documents that name both chain them.
"""
from __future__ import annotations

import datetime as dt

import pytest

from claims.compare.facts import COMBINED, fact_key
from claims.compare.grouping import group_claims_explained
from tests.compare_outlets import extracted, group_of, grouped, pair_scores

D = dt.date
K = "casualties"
Q, T = "quellan/killed", "tarrow/killed"

DOCS = [
    ("Meridian Wire", D(2032, 5, 11),
     "Bomb at Quellan bus depot kills at least 19: police\n\n"
     "QUELLAN, Ostmark, May 11 (Meridian) - A bomb exploded at the main bus depot in the city of Quellan on "
     "Tuesday, killing at least 19 people and wounding 33 others, police said.\n\n"
     "The blast tore through the depot's waiting hall during the morning rush, a police spokesman told Meridian.",
     [("at least 19 people", K, Q), ("33 others", K, "quellan/injured")]),
    ("Quellan Courier", D(2032, 5, 12),
     "Depot bombing: toll rises to 22 as Quellan mourns\n\n"
     "The number of people killed in Tuesday's bombing at the Quellan bus depot has risen to 22, the city "
     "hospital said last night. The hospital said 35 people had been treated for wounds.",
     [("22", K, Q), ("35 people", K, "quellan/injured")]),
    ("Ostmark Press Agency", D(2032, 5, 13),
     "Blast at Tarrow fish market kills 17\n\n"
     "TARROW, Ostmark, May 13 (OPA) - A bomb exploded in the crowded fish market in the town of Tarrow on "
     "Thursday, killing at least 17 people and injuring 29, the regional police chief said.\n\n"
     "The attack came two days after a bombing in Quellan killed 22 people.",
     [("at least 17 people", K, T), ("29", K, "tarrow/injured"), ("22 people", K, Q)]),
    ("Eastmoor Radio", D(2032, 5, 14),
     "Tarrow market bombing: death toll rises to 20\n\n"
     "The death toll from Thursday's bombing at the fish market in Tarrow has risen to 20, health officials "
     "say.\n\n"
     "Police told Eastmoor Radio the bomb had been made by the same cell responsible for Tuesday's attack on "
     "the bus depot in Quellan, in which 22 people were killed.",
     [("20", K, T), ("22 people", K, Q)]),
    ("The Ostmark Review", D(2032, 5, 16),
     "Two bombs, one week\n\n"
     "Analysis by Ines Varro\n\n"
     "In three days, bombs tore through a bus depot in Quellan and a fish market in Tarrow. Together they "
     "killed 42 people, the worst week of violence since the Vell school siege in 2029.\n\n"
     "The Quellan blast, on the morning of 11 May, killed 22 people.",
     [("42 people", K, None), ("22 people", K, Q)]),
    ("Meridian Wire", D(2032, 5, 19),
     "Ostmark government and rebels agree ten-day truce\n\n"
     "PORT OSTEN, May 19 (Meridian) - Ostmark's government and the Grey Fen Front agreed on Wednesday to a "
     "ten-day truce, mediators said.\n\n"
     "The agreement comes a week after a bomb at the bus depot in Quellan on May 11 killed 22 people.",
     [("22 people", K, Q)]),
]


@pytest.fixture(scope="module")
def coverage():
    return grouped(DOCS)


def _groups_of(grouping, recs, labels, fact):
    fps = {fp for fp, f in labels.items() if f == fact}
    return {id(g) for g in grouping.groups for r in g if r.fingerprint in fps}


def test_the_two_bombings_tolls_never_share_a_group(coverage):
    recs, labels, g = coverage
    for a in (Q, "quellan/injured"):
        for b in (T, "tarrow/injured"):
            assert not _groups_of(g, recs, labels, a) & _groups_of(g, recs, labels, b), (a, b)
    # ... while each bombing's own reports do join: some group holds two Quellan tolls, one two Tarrow tolls
    for fact in (Q, T):
        fps = {fp for fp, f in labels.items() if f == fact}
        assert any(sum(r.fingerprint in fps for r in grp) >= 2 for grp in g.groups), fact


def test_each_bombing_is_its_own_incident_and_the_truce_story_is_neither(coverage):
    recs, labels, g = coverage
    incident_docs = {ev.id: set(ev.documents) for ev in g.events if ev is not None}
    quellan = next(docs for docs in incident_docs.values() if 1 in docs)
    tarrow = next(docs for docs in incident_docs.values() if 3 in docs)
    assert quellan != tarrow and 2 in quellan and 4 in tarrow
    assert 6 not in quellan and 6 not in tarrow  # a truce's story recalls the bombing; it is not its report


def test_the_combined_count_is_a_fact_of_its_own(coverage):
    recs, labels, g = coverage
    assert fact_key(K, "42 people", "Together they killed 42 people, the worst week since the siege.", None, None) \
        == COMBINED
    assert fact_key(K, "52 people", "The two bombings together killed 52 people.", None, None) == COMBINED
    # "together" that joins no counts: the city's one toll
    assert fact_key(K, "31", "Church bells and the call to prayer sounded together on Tuesday as the city mourned "
                    "the victims of the bombing, whose toll rose to 31.", None, None) != COMBINED
    combined = [grp for grp in g.groups for r in grp if r.claim.quote == "42 people"]
    assert [len(grp) for grp in combined] == [1]


def test_precision_is_perfect_and_each_bombings_reports_join(coverage):
    recs, labels, g = coverage
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0 and r >= 0.45, (p, r)  # pair_scores gives precision 1.0 when nothing is grouped


# Two armed groups of one FICTIONAL region: each one's strength joins its own reports, never the other's.
GROUPS = [
    ("Ashgrove Brief", D(2034, 5, 20),
     "Profile: the Zandor Liberation Front\n\n"
     "The Zandor Liberation Front has about 2,000 fighters, analysts at the institute estimate.\n\n"
     "The ZLF should not be confused with the Keshal People's Army (KPA), a leftist insurgency in neighbouring "
     "Keshal Province numbering about 800.\n",
     [("about 2,000 fighters", "force_size", "zlf"), ("about 800", "force_size", "kpa")]),
    ("Meridian Wire", D(2034, 6, 1),
     "Rebels attack police post in Keshal Province\n\n"
     "The Keshal People's Army, which has about 900 fighters, attacked a police post in Keshal Province on "
     "Monday, officials said.\n",
     [("about 900 fighters", "force_size", "kpa")]),
    ("Eastmoor Radio", D(2034, 6, 2),
     "Zandor rebels grow stronger\n\n"
     "The Zandor Liberation Front now has some 2,500 fighters, a government minister said.\n",
     [("some 2,500 fighters", "force_size", "zlf")]),
]


def test_a_peoples_army_is_one_name_and_two_groups_in_a_sentence_give_the_nearest_one_the_strength():
    from claims.compare.features import text_cues

    assert "Keshal People's Army" in text_cues("The Keshal People's Army attacked a post.").reliable
    assert {"Ostmark", "Quellan"} <= set(text_cues("Police in Ostmark's Quellan said.").every)
    recs, leads, labels = extracted(GROUPS)
    g = group_claims_explained(recs, leads=leads)
    where = {r.claim.quote: id(grp) for grp in g.groups for r in grp}
    assert where["about 800"] != where["about 2,000 fighters"] and where["about 800"] != where["some 2,500 fighters"]
    assert where["about 2,000 fighters"] == where["some 2,500 fighters"]
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0 and r > 0


# "two bombers" and "two suicide bombers" are one attack party: bombers are the attack's fighters.
BOMBERS = [
    ("Meridian Wire", D(2034, 3, 14),
     "Suicide bombers kill 20 at Quellan bus station\n\n"
     "QUELLAN, March 14 (Meridian) - Two suicide bombers attacked the Quellan bus station on "
     "Tuesday, killing 20 people, police said.",
     [("Two suicide bombers", "force_size", "party")]),
    ("Quellan Post", D(2034, 3, 16),
     "Quellan bus station bombers identified\n\n"
     "Police said the two bombers who struck the Quellan bus station on Tuesday were brothers from a village "
     "near the border.",
     [("two bombers", "force_size", "party")]),
]


def test_bombers_are_the_attacks_fighters():
    from claims.compare.features import subject_class

    assert subject_class("bombers") == ("fighters", False)
    recs, labels, g = grouped(BOMBERS)
    assert group_of(g, "two bombers", 2) == group_of(g, "Two suicide bombers", 1)
