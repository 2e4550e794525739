"""Grouping on held-out invented coverage (tests/compare_heldout.py), one test per failure class of issue 13.

Measured before the fixes they pin (pairwise against the fact labels): precision 0.875, recall
0.833 over all sets; strengths of one group across reports joined nothing (recall 0.0), and one
bus's "44 personnel on board" joined a convoy's strength.
"""
from __future__ import annotations

import pytest

from claims.compare.facts import ABOARD, CONDITION, PART, STRENGTH, fact_key
from claims.compare.grouping import group_claims, group_claims_explained
from tests.compare_heldout import ALL, BOMBS, CONVOY, REFINERY, STRENGTHS, TRUCE, labelled_records, pair_scores


def _groups(docs):
    recs, labels = labelled_records(docs)
    return group_claims(recs), labels


def _of(groups, quote_at: str):
    quote, _, outlet = quote_at.partition("@")
    hits = [g for g in groups for r in g if r.claim.quote == quote and (not outlet or r.publisher == outlet)]
    assert len(hits) == 1, f"{quote_at!r} matches {len(hits)} claims"
    return hits[0]


def _same(groups, a, b):
    return _of(groups, a) is _of(groups, b)


def test_a_truce_worded_four_ways_is_one_fact_per_quantity():
    g, _ = _groups(TRUCE)
    assert _same(g, "30-day", "month-long") and _same(g, "month-long", "one month")
    assert _same(g, "March 3", "Mar. 3") and _same(g, "Mar. 3", "3 March 2034")
    assert _same(g, "April 2, 2034", "Apr. 2")
    assert not _same(g, "March 3", "April 2, 2034")


def test_a_toll_reported_the_next_day_a_week_later_and_five_years_later_is_one_fact():
    g, _ = _groups(REFINERY)
    assert _same(g, "at least 37 people", "52@Pellam Times") and _same(g, "52@Pellam Times", "52 people")
    assert _same(g, "40 people", "52 people")
    # parts and attackers are facts of their own inside the incident
    assert _same(g, "Eight guards", "eight guards") and not _same(g, "eight guards", "52 people")
    assert _same(g, "five attackers", "Five gunmen") and not _same(g, "Five gunmen", "40 people")
    # the anniversary piece's news of its own week is another event
    assert not _same(g, "three soldiers", "52 people")


def test_an_incident_is_labelled_by_its_town_not_the_works_attacked():
    recs, _ = labelled_records(REFINERY)
    got = group_claims_explained(recs)
    labels = {got.events[k].label for k, grp in enumerate(got.groups) if got.events[k]}
    assert labels and all(label.startswith("Saltmere") for label in labels), labels


def test_one_groups_strength_joins_across_years_and_another_group_never_does():
    g, _ = _groups(STRENGTHS)
    assert _same(g, "about 4,000 fighters", "between 2,500 and 3,500 fighters")
    assert _same(g, "between 2,500 and 3,500 fighters", "roughly 3,000 fighters")
    for sarvel in ("about 4,000 fighters", "between 2,500 and 3,500 fighters", "roughly 3,000 fighters"):
        assert not _same(g, sarvel, "an estimated 1,200 fighters") and not _same(g, sarvel, "some 1,500 members")


def test_two_bombings_one_day_keep_apart_and_parts_stay_apart_from_totals():
    g, _ = _groups(BOMBS)
    assert len(_of(g, "19 people")) == 3 and not _same(g, "19 people", "16 people")
    assert _same(g, "4 children", "5 children@Orsk Herald") and not _same(g, "4 children", "16 people")
    assert not _same(g, "30 people", "19 people")


def test_people_aboard_one_bus_never_join_the_convoys_strength_nor_its_deaths_the_toll():
    g, _ = _groups(CONVOY)
    assert not _same(g, "44 personnel@Ravel Wire", "about 2,000 personnel")
    assert _same(g, "44 personnel@Ravel Wire", "44 personnel@Brask Radio")
    assert _same(g, "31", "33 officers") and not _same(g, "28", "31")


def test_held_out_precision_is_perfect_and_recall_holds():
    g, labels = _groups(ALL)
    p, r, _ = pair_scores(g, labels)
    assert p == 1.0 and r >= 0.85, (p, r)


@pytest.mark.parametrize("kind, quote, sentence, expected", [
    ("force_size", "44 personnel", "One bus in the convoy had 44 personnel on board.", ABOARD),
    ("force_size", "12 guards", "The lorry had 12 guards aboard when it was stopped.", ABOARD),
    ("force_size", "2,100 police personnel", "A convoy carrying 2,100 police personnel was hit near Tolsby.", STRENGTH),
    ("casualties", "28", "A bus took the full force of the blast, and 28 of them died.", PART),
    ("casualties", "28", "A bus took the full force of the blast and 28 people died.", ""),
    ("casualties", "Fifty-one people", "Fifty-one people remain in hospital, the governor said.", CONDITION),
])
def test_fact_key_golden(kind, quote, sentence, expected):
    assert fact_key(kind, quote, sentence, None, None) == expected


def test_a_works_named_at_its_site_word_is_no_place_but_a_towns_market_is():
    from claims.compare.features import place_names, raw_names

    assert place_names(raw_names("Gunmen stormed the Brennock refinery in Saltmere on Tuesday.")) == ["Saltmere"]
    assert place_names(raw_names("Relatives gathered at the Brennock refinery.")) == []
    assert place_names(raw_names("A gunman opened fire in Kestrel Ford market.")) == ["Kestrel Ford"]
