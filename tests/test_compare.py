"""Grouping, reconciliation and wire-copy detection on invented articles (pure logic, no store)."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from claims.compare import Rule, ReviewerFigure, group_claims, source_clusters
from claims.compare.reconcile import reconcile
from claims.compare.features import acronym, features, norm_name, place_names, raw_names, subject_class
from claims.compare.grouping import _Names
from claims.errors import BadInputError
from claims.model import Claim, ClaimRecord, Kind, Outcome, Verdict
from tests import compare_articles as A


def _by_quote(groups):
    return [sorted(r.claim.quote for r in g) for g in groups]


def _group_of(groups, quote, publisher=None):
    for g in groups:
        for r in g:
            if r.claim.quote == quote and (publisher is None or r.publisher == publisher):
                return g
    raise AssertionError(f"{quote!r} is in no group")


_SAME = object()


def _rec(cid, low, high=_SAME, *, doc=None, verdict=Verdict.UNREVIEWED, published=None, sentence="",
         approximate=False, kind=Kind.CASUALTIES, corrected=None, **claim_kw):
    high = low if high is _SAME else high
    c = Claim(kind=kind, start=0, end=3, quote=str(low), sentence=sentence, low=low, high=high,
              approximate=approximate, outcome=Outcome.KILLED if kind is Kind.CASUALTIES else None, **claim_kw)
    return ClaimRecord(id=cid, document_id=doc or cid, fingerprint=f"fp{cid}", extractor_version="t", claim=c,
                       publisher=f"P{doc or cid}", published=published, verdict=verdict,
                       corrected=corrected or {})


# ---------------------------------------------------------------- grouping
def test_two_outlets_one_event_join_despite_different_tolls():
    groups = group_claims(A.records(A.ALL))
    school = _group_of(groups, "41 children")
    quotes = sorted(r.claim.quote for r in school)
    assert "58 students" in quotes and "about 60 pupils" in quotes
    assert {r.publisher for r in school} >= {"Valdoria Times", "Eastern Ledger", "Coastline Post"}


@pytest.mark.parametrize("quote", ["12 people", "9 students", "6 soldiers"])
def test_unrelated_claims_do_not_join_the_school_attack(quote):
    groups = group_claims(A.records(A.ALL))
    assert _group_of(groups, quote) is not _group_of(groups, "41 children")


def test_injured_and_killed_never_share_a_group():
    groups = group_claims(A.records(A.ALL))
    assert all(len({r.claim.outcome for r in g}) == 1 for g in groups)


def test_force_sizes_group_apart_from_casualties():
    groups = group_claims(A.records(A.ALL))
    strength = _group_of(groups, "about 2,000 fighters")
    assert sorted(r.claim.quote for r in strength) == ["about 2,000 fighters", "between 1,500 and 2,500 fighters"]


def test_every_record_lands_in_exactly_one_group():
    recs = A.records(A.ALL)
    groups = group_claims(recs)
    ids = [r.id for g in groups for r in g]
    assert sorted(ids) == sorted(r.id for r in recs)


def test_grouping_does_not_depend_on_input_order():
    recs = A.records(A.ALL)
    a = sorted(sorted(r.id for r in g) for g in group_claims(recs))
    b = sorted(sorted(r.id for r in g) for g in group_claims(list(reversed(recs))))
    assert a == b


def test_members_are_ordered_by_publication():
    school = _group_of(group_claims(A.records(A.ALL)), "41 children")
    dates = [r.published for r in school]
    assert dates == sorted(dates)


def test_empty_input_gives_no_groups():
    assert group_claims([]) == []


def test_stated_years_keep_two_attacks_on_one_town_apart():
    # Same town, same site, same subject: only the stated years differ.
    groups = group_claims(A.records([A.OLDER, A.ANNIVERSARY]))
    assert _group_of(groups, "9 students") is not _group_of(groups, "about 60 pupils")


def test_specific_subjects_conflict_but_generic_ones_join():
    text = "Gunmen attacked a school in Harrowgate, killing {}."
    arts = [A.Article(f"d{i}", f"Outlet {i}", dt.date(2030, 1, 2), "Harrowgate attack", text.format(q),
                      [dict(quote=q, kind="casualties", outcome="killed", low=n, high=n, subject=s)])
            for i, (q, n, s) in enumerate([("20 children", 20, "children"), ("22 people", 22, "people"),
                                           ("5 soldiers", 5, "soldiers")])]
    groups = group_claims(A.records(arts))
    assert _group_of(groups, "20 children") is _group_of(groups, "22 people")
    assert _group_of(groups, "5 soldiers") is not _group_of(groups, "20 children")


# ---------------------------------------------------------------- features and names
def test_names_skip_sentence_starts_and_possessives():
    found = {n: ok for n, ok, _ in raw_names("Gunmen from the Crimson Dawn Movement stormed Port Calloway’s main school.")}
    assert found == {"Crimson Dawn Movement": True, "Port Calloway": True}
    found = {n: ok for n, ok, _ in raw_names("Death toll rises in Port Calloway")}
    assert found == {"Death": False, "Port Calloway": True}


def test_a_name_runs_over_a_wrapped_line_but_not_a_blank_one():
    found = [n for n, _, _ in raw_names("Who fights in Osland\n\nThe Tessel Brigades are the smaller group.")]
    assert "Tessel Brigades" in found and not any("Osland" in n and "Tessel" in n for n in found)
    found = [n for n, _, _ in raw_names("A report by the United\nNations Mission said so.")]
    assert "United Nations Mission" in found


def test_names_after_locatives_are_places():
    found = raw_names("Gunmen from the Crimson Dawn Movement attacked a school in Port Calloway, Anna Reyes said.")
    assert place_names(found) == ["Port Calloway"]


def test_title_case_headline_names_are_unreliable():
    assert all(not ok for _, ok, _ in raw_names("Death Toll Rises In Port Calloway School Siege", headline=True))
    assert {n: ok for n, ok, _ in raw_names("Death toll rises in Port Calloway", headline=True)}["Port Calloway"]


def test_synonym_table_maps_subjects_to_classes():
    assert subject_class("pupils")[0] == subject_class("schoolchildren")[0] == "children"
    assert subject_class("security personnel")[0] == subject_class("troops")[0] == "soldiers"
    assert subject_class("gunmen")[0] == subject_class("terrorists")[0] == "fighters"
    assert subject_class("people") == ("people", True)
    assert subject_class(None) == (None, True)


def test_spellings_acronyms_and_aliases_share_one_canonical_name():
    names = _Names({"Tehrik-i-Taliban Pakistan": 3, "Tehreek-e-Taliban Pakistan": 1, "TTP": 2,
                    "Pakistani Taliban": 1, "Peshawar": 4, "Peshwar": 1, "Army Public School": 2, "APS": 1,
                    "Austria": 1, "Australia": 1})
    ttp = {names.canonical(n) for n in ("Tehrik-i-Taliban Pakistan", "Tehreek-e-Taliban Pakistan", "TTP",
                                        "Pakistani Taliban")}
    assert len(ttp) == 1
    assert names.canonical("Peshawar") == names.canonical("Peshwar")
    assert names.canonical("APS") == names.canonical("Army Public School")
    assert names.canonical("Austria") != names.canonical("Australia")


def test_acronym_skips_particles():
    assert acronym(norm_name("Tehrik-i-Taliban Pakistan"), frozenset({"i"})) == "ttp"
    assert acronym("peshawar", frozenset()) == ""


def test_year_comes_from_the_sentence_before_the_publication_date():
    r = A.records([A.ANNIVERSARY])[0]
    f = features(r)
    assert (f.year, f.year_stated) == (2030, True)
    r2 = A.records([A.VALDORIA])[0]
    assert (features(r2).year, features(r2).year_stated) == (2030, False)


# ---------------------------------------------------------------- reconciliation rules
def test_best_rule_is_median_with_min_max_range():
    rc = reconcile([_rec(1, 104), _rec(2, 126), _rec(3, 132), _rec(4, 141), _rec(5, 150, approximate=True)])
    assert (rc.low, rc.best, rc.high, rc.rule) == (104, 132, 150, "best")


def test_best_rule_median_of_even_count_rounds_to_whole_people():
    rc = reconcile([_rec(1, 126), _rec(2, 133)])
    assert rc.best == 130  # (126 + 133) / 2 = 129.5, rounded half to even


def test_conservative_rule_takes_the_lowest_credible_figure():
    rc = reconcile([_rec(1, 104, verdict=Verdict.FALSE), _rec(2, 126), _rec(3, 141)], rule=Rule.CONSERVATIVE)
    assert (rc.low, rc.best, rc.high) == (126, 126, 141)


def test_latest_rule_follows_publication_date_not_input_order():
    recs = [_rec(1, 150, published=dt.date(2014, 12, 20)), _rec(2, 104, published=dt.date(2014, 12, 16)),
            _rec(3, 141, published=dt.date(2014, 12, 17))]
    rc = reconcile(recs, rule="latest")
    assert (rc.low, rc.best, rc.high) == (150, 150, 150)


def test_latest_rule_skips_a_later_report_marked_false():
    recs = [_rec(1, 132, published=dt.date(2014, 12, 17)),
            _rec(2, 500, published=dt.date(2014, 12, 30), verdict=Verdict.FALSE)]
    assert reconcile(recs, rule=Rule.LATEST).best == 132


def test_reviewer_rule_needs_a_rationale_and_uses_the_reviewers_figure():
    recs = [_rec(1, 132), _rec(2, 141)]
    with pytest.raises(BadInputError, match="rationale"):
        reconcile(recs, rule=Rule.REVIEWER, reviewer_figure=ReviewerFigure(best=141))
    with pytest.raises(BadInputError):
        reconcile(recs, rule=Rule.REVIEWER)
    rc = reconcile(recs, rule=Rule.REVIEWER,
                   reviewer_figure=ReviewerFigure(best=141, low=132, rationale="Hospital list of names"))
    assert (rc.low, rc.best, rc.high, rc.rationale) == (132, 141, 141, "Hospital list of names")


def test_false_and_not_a_claim_are_left_out_but_disputed_counts_flagged():
    recs = [_rec(1, 10), _rec(2, 900, verdict=Verdict.NOT_A_CLAIM), _rec(3, 5, verdict=Verdict.FALSE),
            _rec(4, 12, verdict=Verdict.DISPUTED)]
    rc = reconcile(recs)
    assert (rc.low, rc.high, rc.reports, rc.excluded, rc.disputed) == (10, 12, 2, 2, 1)
    flags = {row.claim_id: (row.credible, row.disputed) for row in rc.ledger}
    assert flags == {1: (True, False), 2: (False, False), 3: (False, False), 4: (True, True)}


def test_reviewer_corrections_are_used():
    rc = reconcile([_rec(1, 10, corrected={"low": 14, "high": 14}), _rec(2, 20)], rule="conservative")
    assert rc.best == 14
    assert rc.ledger[0].corrected and rc.ledger[0].figure == "14"


def test_ranges_and_open_bounds():
    recs = [_rec(1, 3000, 5000), _rec(2, 6000, approximate=True), _rec(3, 6000, 6500)]
    rc = reconcile(recs)
    assert (rc.low, rc.best, rc.high) == (3000, 6000, 6500)
    open_ = reconcile([_rec(1, 104, None), _rec(2, None, 200)])
    assert (open_.low, open_.high) == (104, 200)
    assert [r.figure for r in open_.ledger] == [">=104", "<=200"]


def test_no_credible_figure_gives_no_reconciled_figure():
    rc = reconcile([_rec(1, 5, verdict=Verdict.FALSE)])
    assert (rc.low, rc.best, rc.high, rc.reports) == (None, None, None, 0)


def test_dates_reconcile_as_dates_and_partial_dates_span_their_period():
    recs = [_rec(1, None, None, kind=Kind.DATE, date="2014-12-16"),
            _rec(2, None, None, kind=Kind.DATE, date="2014-12-17"),
            _rec(3, None, None, kind=Kind.DATE, date="2014-12")]
    rc = reconcile(recs, rule="conservative")
    assert (rc.low, rc.high) == ("2014-12-01", "2014-12-31")
    assert not rc.discrepancy  # the month contains both days, which are one day apart


def test_durations_reconcile_in_their_own_words():
    recs = [_rec(1, None, None, kind=Kind.DURATION, duration="P1M"),
            _rec(2, None, None, kind=Kind.DURATION, duration="P2M")]
    rc = reconcile(recs, rule="conservative")
    assert (rc.best, rc.high) == ("P1M", "P2M")


# ---------------------------------------------------------------- discrepancies
@pytest.mark.parametrize("figures,expected", [
    ([(132, 132, False), (141, 141, False)], True),
    ([(132, 132, False), (134, 134, False)], False),           # within 5%
    ([(6000, 6000, True), (6000, 6500, False)], False),        # "about 6,000" meets "6,000 to 6,500"
    ([(3000, 5000, False), (6000, 6000, True)], True),         # ~6,000 is at least 5,400
    ([(104, None, False), (150, 150, True)], False),           # "at least 104" allows 150
    ([(None, 100, False), (150, 150, False)], True),           # "up to 100" cannot be 150
])
def test_discrepancy_flags_figures_no_single_value_fits(figures, expected):
    recs = [_rec(i, lo, hi, approximate=ap) for i, (lo, hi, ap) in enumerate(figures, 1)]
    assert reconcile(recs).discrepancy is expected


def test_discrepancy_ignores_members_marked_false():
    recs = [_rec(1, 132), _rec(2, 400, verdict=Verdict.FALSE)]
    assert reconcile(recs).discrepancy is False


def test_spread_ratio_orders_groups_by_disagreement():
    small = reconcile([_rec(1, 100), _rec(2, 110)])
    large = reconcile([_rec(1, 100), _rec(2, 200)])
    assert large.spread_ratio > small.spread_ratio
    assert (large.spread, large.spread_ratio) == (100, 0.5)


# ---------------------------------------------------------------- wire copies
def test_wire_copies_count_once():
    recs = A.records([A.EASTERN, A.COASTLINE, A.VALDORIA])
    school = [r for r in recs if r.claim.quote in ("58 students", "41 children")]
    rc = reconcile(school)
    assert (rc.reports, rc.independent_sources) == (3, 2)
    assert rc.summary == "3 reports, 2 independent"
    wire = {row.publisher: row.wire_copy for row in rc.ledger}
    assert wire == {"Eastern Ledger": True, "Coastline Post": True, "Valdoria Times": False}


def test_sentences_that_differ_are_independent_even_with_one_figure():
    s1 = "The attack on the school in Port Calloway killed 41 children, police said."
    s2 = "Hospital staff in Port Calloway counted 41 dead children after the siege ended on Monday night."
    assert source_clusters([_rec(1, 41, sentence=s1), _rec(2, 41, sentence=s2)]) == [0, 1]


def test_near_identical_sentences_with_a_changed_toll_are_one_wire_copy():
    s1 = "The death toll from the attack on a school in Port Calloway rose to 58 on Tuesday, officials said."
    s2 = "The death toll from the attack on a school in Port Calloway rose to 61 on Tuesday, officials said."
    assert source_clusters([_rec(1, 58, sentence=s1), _rec(2, 61, sentence=s2)]) == [0, 0]


def test_two_claims_in_one_document_are_one_source():
    assert source_clusters([_rec(1, 5, doc=7, sentence="a"), _rec(2, 6, doc=7, sentence="b")]) == [0, 0]


def test_wire_copies_only_collapse_credible_reports():
    recs = A.records([A.EASTERN, A.COASTLINE])
    recs = [r for r in recs if r.claim.quote == "58 students"]
    recs[1] = dataclasses.replace(recs[1], verdict=Verdict.FALSE)
    rc = reconcile(recs)
    assert (rc.reports, rc.independent_sources) == (1, 1)


def test_a_facility_and_its_town_are_not_two_places():
    # "at the Army Public School" names a facility inside the town the other report names.
    school = A.Article("d1", "Outlet A", dt.date(2030, 5, 2), "Siege at Harrow Academy in Dunmore",
                       "Gunmen killed 30 pupils at the Harrow Academy on Monday.",
                       [dict(quote="30 pupils", kind="casualties", outcome="killed", low=30, high=30,
                             subject="pupils")])
    town = A.Article("d2", "Outlet B", dt.date(2030, 5, 3), "Dunmore mourns",
                     "The attack on a school in Dunmore left 34 children dead, officials said.",
                     [dict(quote="34 children", kind="casualties", outcome="killed", low=34, high=34,
                           subject="children")])
    recs = A.records([school, town])
    assert place_names(raw_names(recs[0].claim.sentence)) == []
    groups = group_claims(recs)
    assert len(groups) == 1


def test_regression_a_range_written_backwards_reconciles_in_order():
    # found by the property test: low 3, high 0 gave low 3 > best 2 > high 0
    rc = reconcile([_rec(1, 3, 0)], rule="conservative")
    assert (rc.low, rc.best, rc.high) == (0, 2, 3)


def test_a_facility_meets_its_town_through_a_sentence_naming_both():
    # Peshawar / Army Public School: one report names only the school, another only the town.
    def art(key, published, title, text, quote, n, subject):
        return A.Article(key, f"Outlet {key}", published, title, text,
                         [dict(quote=quote, kind="casualties", outcome="killed", low=n, high=n, subject=subject)])
    school_only = art("x", dt.date(2030, 5, 2), "School massacre",
                      "Gunmen stormed the Harrow Academy on Monday, killing 30 pupils.", "30 pupils", 30, "pupils")
    town_only = art("y", dt.date(2030, 5, 3), "Dunmore mourns",
                    "In all 34 people were killed in the Dunmore school attack.", "34 people", 34, "people")
    both = art("z", dt.date(2030, 5, 4), "Inquiry opens",
               "Investigators visited the Harrow Academy in Dunmore, where 2 guards were wounded.", "2 guards", 2,
               "guards")
    both.claims[0]["outcome"] = "injured"
    groups = group_claims(A.records([school_only, town_only, both]))
    assert _group_of(groups, "30 pupils") is _group_of(groups, "34 people")
    apart = group_claims(A.records([school_only, town_only]))
    assert _group_of(apart, "30 pupils") is not _group_of(apart, "34 people")  # nothing ties them
