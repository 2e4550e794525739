"""Different facts of one event never share a group: attack party vs group strength, units, durations, dates.

Every place, group, outlet and person below is invented. Each test builds
reports of one event from several outlets, so the claims share their names,
site and year, and only the fact they state tells them apart.
"""
from __future__ import annotations

import datetime as dt

import pytest

from claims.compare import group_claims
from claims.compare.features import subject_class
from claims.compare.reconcile import reconcile
from claims.compare.facts import ATTRIBUTIVE, CONDITION, PARTY, STATEMENT, STRENGTH, fact_key
from claims.model import Claim, ClaimRecord, Kind, Outcome

_DAY = dt.date(2033, 9, 14)


def _records(docs: list[tuple[str, str, list[dict]]]) -> list[ClaimRecord]:
    """Return records for (title, sentence text, claim specs) documents; each spec's quote is found in its text."""
    out = []
    for doc_id, (title, text, specs) in enumerate(docs, start=1):
        for spec in specs:
            quote = spec["quote"]
            start = text.index(quote)
            sentence = next(s for s in text.split("\n") if quote in s)
            kind = Kind(spec["kind"])
            c = Claim(kind=kind, start=start, end=start + len(quote), quote=quote, sentence=sentence,
                      low=spec.get("low"), high=spec.get("high", spec.get("low")),
                      outcome=Outcome(spec["outcome"]) if spec.get("outcome") else None,
                      subject=spec.get("subject"), unit=spec.get("unit"), date=spec.get("date"),
                      duration=spec.get("duration"), attributed_to=spec.get("attributed_to"), rule="test")
            out.append(ClaimRecord(id=len(out) + 1, document_id=doc_id, fingerprint=f"f{doc_id}-{len(out)}",
                                   extractor_version="test", claim=c, title=title, publisher=f"Outlet {doc_id}",
                                   published=_DAY, filename=f"d{doc_id}.txt"))
    return out


def _group(groups, quote, doc=None):
    for g in groups:
        for r in g:
            if r.claim.quote == quote and (doc is None or r.document_id == doc):
                return g
    raise AssertionError(f"{quote!r} is in no group")


def _quotes(g):
    return sorted(r.claim.quote for r in g)


# ---------------------------------------------------------------- force size
@pytest.mark.parametrize("quote, sentence, subject, expected", [
    ("nine assailants", "Nine assailants stormed the customs post in Dravenmoor.", "assailants", PARTY),
    ("a dozen militants", "Police said a dozen militants who stormed the post were still inside.", "militants", PARTY),
    ("20 fighters", "The post was overrun by fighters; it was attacked by 20 fighters at dawn.", "fighters", PARTY),
    ("some 40 fighters", "Officials said some 40 fighters opened fire on the convoy.", "fighters", PARTY),
    ("about 400 fighters", "The Sable Ridge Movement has about 400 fighters in the hills.", "fighters", STRENGTH),
    ("450 members", "The movement numbered 450 members last year, analysts said.", "members", STRENGTH),
    ("3,000 fighters", "There are roughly 3,000 fighters based in the valley.", "fighters", STRENGTH),
])
def test_an_attack_party_is_told_from_a_groups_strength(quote, sentence, subject, expected):
    assert fact_key("force_size", quote, sentence, None, subject) == expected


def test_attack_party_and_group_strength_of_one_event_form_two_groups():
    # One claim per document, so nothing but the fact itself can keep them apart.
    title = "Gunmen storm customs post in Dravenmoor"
    docs = [
        (title, "Nine assailants stormed the customs post in Dravenmoor on Monday, officials said.",
         [dict(quote="Nine assailants", kind="force_size", low=9, subject="assailants")]),
        (title, "The Sable Ridge Movement, blamed for the Dravenmoor attack, has about 400 fighters.",
         [dict(quote="about 400 fighters", kind="force_size", low=400, subject="fighters")]),
        (title, "A dozen militants who stormed the customs post in Dravenmoor fled before dawn.",
         [dict(quote="A dozen militants", kind="force_size", low=12, subject="militants")]),
        (title, "Analysts at the Corvane Institute said the Sable Ridge Movement numbered 450 fighters.",
         [dict(quote="450 fighters", kind="force_size", low=450, subject="fighters")]),
    ]
    groups = group_claims(_records(docs))
    assert _quotes(_group(groups, "Nine assailants")) == ["A dozen militants", "Nine assailants"]
    # The strength reported by analysts "at" an institute still meets the other strength figure:
    # where the speaker sits is not where the group is.
    assert _quotes(_group(groups, "about 400 fighters")) == ["450 fighters", "about 400 fighters"]


# ---------------------------------------------------------------- figures
def test_figures_group_only_within_one_unit_or_counted_noun():
    title = "Vigil in Dravenmoor after customs post attack"
    docs = [
        (title, "Dravenmoor, about 40 kilometres from the border, held a vigil.",
         [dict(quote="about 40 kilometres", kind="figure", low=40)]),
        (title, "Hundreds of mourners held a vigil in Dravenmoor.",
         [dict(quote="Hundreds of mourners", kind="figure", low=200, high=999, subject="mourners")]),
        (title, "Dravenmoor lies 38 km from the border, where the vigil was held.",
         [dict(quote="38 km", kind="figure", low=38, unit="km")]),
        (title, "Some 500 mourners attended the vigil in Dravenmoor.",
         [dict(quote="Some 500 mourners", kind="figure", low=500, subject="mourners")]),
    ]
    groups = group_claims(_records(docs))
    assert _quotes(_group(groups, "38 km")) == ["38 km", "about 40 kilometres"]
    assert _quotes(_group(groups, "Some 500 mourners")) == ["Hundreds of mourners", "Some 500 mourners"]


def test_counts_of_people_group_only_for_the_same_noun_and_happening():
    # Figures are not tolls: no victim class joins "students" with "children", and what happened to
    # the people counted (rescued, arrested, housed) is part of the fact.
    title = "Siege of the Dravenmoor college"
    docs = [
        (title, "Police said some 100 students were rescued from the Dravenmoor college hostel.",
         [dict(quote="some 100 students", kind="figure", low=100, subject="students")]),
        (title, "The Dravenmoor college hostel housed 360 students, officials said.",
         [dict(quote="360 students", kind="figure", low=360, subject="students")]),
        (title, "Twelve children from a Dravenmoor primary school sang at the vigil.",
         [dict(quote="Twelve children", kind="figure", low=12, subject="children")]),
        (title, "Police arrested 40 students in Dravenmoor after the siege.",
         [dict(quote="40 students", kind="figure", low=40, subject="students")]),
        (title, "Some 45 students were arrested in Dravenmoor, a lawyer said.",
         [dict(quote="Some 45 students", kind="figure", low=45, subject="students")]),
    ]
    docs.append((title, "Dravenmoor, a province of about 19 million people, has seen insurgencies that have forced "
                        "more than 300,000 people from their homes.",
                 [dict(quote="about 19 million people", kind="figure", low=19_000_000, subject="people"),
                  dict(quote="more than 300,000 people", kind="figure", low=300_000, high=None, subject="people")]))
    groups = group_claims(_records(docs))
    assert _quotes(_group(groups, "about 19 million people")) == ["about 19 million people"]  # not the displaced
    assert _quotes(_group(groups, "40 students")) == ["40 students", "Some 45 students"]
    assert _quotes(_group(groups, "Twelve children")) == ["Twelve children"]
    assert _quotes(_group(groups, "some 100 students")) == ["some 100 students"]  # rescued, not housed
    assert fact_key("figure", "40 students", "Police arrested 40 students in Dravenmoor.", None, "students") \
        == "count:student, arrest"
    assert fact_key("figure", "360 students", "The hostel housed 360 students.", None, "students") == "count:student"


@pytest.mark.parametrize("quote, unit, subject, expected", [
    ("about 40 kilometres", None, None, "unit:distance"),
    ("25 miles", "miles", None, "unit:distance"),
    ("40 percent", None, None, "unit:percent"),
    ("$2 million", "USD", None, "unit:money"),
    ("hundreds of mourners", None, "mourners", "count:mourner"),
    ("12 original members", None, "original members", "count:original member"),
])
def test_figure_facts_name_their_unit_or_counted_noun(quote, unit, subject, expected):
    assert fact_key("figure", quote, f"It was {quote}.", unit, subject) == expected


# ---------------------------------------------------------------- durations
@pytest.mark.parametrize("quote, sentence, expected", [
    ("two-week", "The market reopened after a two-week closure.", "closure"),
    ("two weeks", "The road will stay closed for more than two weeks.", "closure"),
    ("three-day", "A three-day period of mourning was declared.", "mourning"),
    ("one-month", "The government agreed a one-month ceasefire with the movement.", "ceasefire"),
    ("16 hours", "The siege of the customs post lasted 16 hours.", "siege"),
    ("15-day", "The government and the Front agree a 15-day cessation of hostilities from 1 October.", "ceasefire"),
    ("15 days", "Both sides have agreed to halt fighting in the north for 15 days.", "ceasefire"),
])
def test_a_duration_is_keyed_by_what_it_measures(quote, sentence, expected):
    assert fact_key("duration", quote, sentence, None, None) == expected


def test_durations_of_different_things_never_share_a_group():
    title = "Dravenmoor market shut after customs post attack"
    docs = [
        (title, "Traders in Dravenmoor face a two-week closure of the market.",
         [dict(quote="two-week", kind="duration", duration="P2W")]),
        (title, "The council declared a three-day period of mourning in Dravenmoor.",
         [dict(quote="three-day", kind="duration", duration="P3D")]),
        (title, "The Dravenmoor market will stay closed for two weeks, the council said.",
         [dict(quote="two weeks", kind="duration", duration="P2W")]),
        (title, "Three days of mourning began in Dravenmoor.",
         [dict(quote="Three days", kind="duration", duration="P3D")]),
    ]
    groups = group_claims(_records(docs))
    assert _quotes(_group(groups, "two-week")) == ["two weeks", "two-week"]
    assert _quotes(_group(groups, "three-day")) == ["Three days", "three-day"]


# ---------------------------------------------------------------- dates
@pytest.mark.parametrize("quote, sentence, expected", [
    ("Wednesday", "The toll rose to 12, the health ministry said on Wednesday.", STATEMENT),
    ("Monday", "Officials told reporters on Monday that the post had reopened.", STATEMENT),
    ("last year", "A survey published last year put the movement's strength at 400.", STATEMENT),
    ("Tuesday", "The toll from Tuesday's attack on the post rose to 12.", "attack"),
    ("Tuesday", "Gunmen opened fire on the post on Tuesday, killing 12.", "attack"),
    ("Saturday", "A suicide bomber blew himself up in a crowded market in Arnsby on Saturday morning.", "attack"),
    ("Sunday", "A car bomb went off outside the post on Sunday, killing three guards.", "attack"),
    ("Monday", "Troops shelled the village of Corran on Monday.", "attack"),
    ("Monday", "The militants detonated a car bomb outside the post on Monday.", "attack"),
    ("Monday", "Two guards were gunned down outside the post on Monday.", "attack"),
    ("last October", "In Corran, where 34 people died in the attack on the town's secondary school last October, "
                     "locals hailed the ceasefire.", "attack"),
    ("1 October", "The government and the Front agree a 15-day cessation of hostilities from 1 October.", "ceasefire"),
    ("Thursday", "Hundreds gathered on Thursday for the funerals of the guards.", "funeral"),
    ("Friday", "The Friday market was cancelled.", ATTRIBUTIVE),
])
def test_a_date_is_keyed_by_the_happening_it_anchors(quote, sentence, expected):
    assert fact_key("date", quote, sentence, None, None) == expected


def test_dates_of_different_happenings_and_statement_dates_stay_apart():
    title = "Customs post attack in Dravenmoor"
    docs = [
        (title, "Gunmen opened fire on the customs post in Dravenmoor on Tuesday, officials said.\n"
                "The guards were buried on Thursday in Dravenmoor.",
         [dict(quote="Tuesday", kind="date", date="2033-09-09"),
          dict(quote="Thursday", kind="date", date="2033-09-11")]),
        (title, "The toll from Tuesday's attack on the Dravenmoor customs post rose to 12, "
                "the ministry said on Wednesday.\nFunerals were held in Dravenmoor on Thursday.",
         [dict(quote="Tuesday", kind="date", date="2033-09-09"),
          dict(quote="Wednesday", kind="date", date="2033-09-10"),
          dict(quote="Thursday", kind="date", date="2033-09-11")]),
        (title, "Mourners gathered in Dravenmoor on Sunday for the funerals of the guards, "
                "the council said on Thursday.",
         [dict(quote="Sunday", kind="date", date="2033-09-14"),
          dict(quote="Thursday", kind="date", date="2033-09-11")]),
    ]
    groups = group_claims(_records(docs))
    attack = _group(groups, "Tuesday")
    assert [r.claim.date for r in attack] == ["2033-09-09", "2033-09-09"]
    assert not reconcile(attack).discrepancy
    funerals = _group(groups, "Thursday", doc=1)
    assert {(r.document_id, r.claim.quote) for r in funerals} == {(1, "Thursday"), (2, "Thursday")}
    # Mourners gathering three days later is another day, whatever its cue words: a date group holds one
    # day (give or take DATE_SLACK_DAYS), so it never shows two happenings as one disputed date.
    assert len(_group(groups, "Sunday", doc=3)) == 1
    # The days the ministry and the council spoke date no event: each stays alone.
    assert len(_group(groups, "Wednesday", doc=2)) == 1
    assert len(_group(groups, "Thursday", doc=3)) == 1


def test_statement_dates_with_the_same_words_in_two_reports_stay_apart():
    # Two outlets' sentences that differ only in the day the ministry spoke give equal features: the
    # days are still no event's date, so neither joins the other (nor shows as a discrepancy).
    title = "Customs post attack in Dravenmoor"
    docs = [(title, f"Gunmen killed 12 guards at the Dravenmoor customs post, the ministry said on {day}.",
             [dict(quote=day, kind="date", date=date),
              dict(quote="12 guards", kind="casualties", outcome="killed", low=12)])
            for day, date in (("Wednesday", "2033-09-10"), ("Friday", "2033-09-12"))]
    groups = group_claims(_records(docs))
    assert len(_group(groups, "12 guards")) == 2  # the same incident: its toll joins
    assert len(_group(groups, "Wednesday")) == 1 and len(_group(groups, "Friday", doc=2)) == 1


def test_dates_and_lengths_join_only_when_their_values_agree():
    # Equal words around two values do not make them one fact: a ceasefire's start and end, or a
    # year recalled in background, stay apart; a year holds its days; one day's slack, no chaining.
    title = "Truce in Dravenmoor"
    docs = [(title, f"The truce in Dravenmoor, which began on {day}, has held, officials said.",
             [dict(quote=day, kind="date", date=date)])
            for day, date in (("November 9", "2033-11-09"), ("Nov. 9", "2033-11-09"), ("December 9", "2033-12-09"),
                              ("Dec. 9", "2033-12-09"), ("2033", "2033"), ("November 10", "2033-11-10"),
                              ("November 11", "2033-11-11"))]
    docs += [(title, f"The {length} truce in Dravenmoor has held, officials said.",
              [dict(quote=length, kind="duration", duration=iso)])
             for length, iso in (("month-long", "P1M"), ("30-day", "P30D"), ("one-week", "P7D"))]
    groups = group_claims(_records(docs))
    assert {r.claim.quote for r in _group(groups, "November 9")} >= {"November 9", "Nov. 9"}
    assert not {"December 9", "Dec. 9", "November 11"} & {r.claim.quote for r in _group(groups, "November 9")}
    assert {r.claim.quote for r in _group(groups, "December 9")} >= {"December 9", "Dec. 9"}
    for g in groups:
        if g[0].claim.kind.value == "date" and len(g) > 1:
            assert not reconcile(g).discrepancy or {r.claim.quote for r in g} <= {"November 9", "Nov. 9",
                                                                                 "November 10", "2033"}
    assert {r.claim.quote for r in _group(groups, "month-long")} == {"month-long", "30-day"}
    assert [r.claim.quote for r in _group(groups, "one-week")] == ["one-week"]


# ---------------------------------------------------------------- reports
def test_a_documents_repeats_are_one_report():
    title = "12 killed in Dravenmoor customs post attack"
    docs = [
        (title, "At least 12 people were killed at the Dravenmoor customs post, officials said.\n"
                "Police counted 12 bodies at the Dravenmoor customs post.",
         [dict(quote="At least 12 people", kind="casualties", outcome="killed", low=12, high=None),
          dict(quote="12 bodies", kind="casualties", outcome="killed", low=12)]),
        (title, "Fourteen guards died at the Dravenmoor customs post, the ministry said.",
         [dict(quote="Fourteen guards", kind="casualties", outcome="killed", low=14)]),
    ]
    recs = _records(docs)
    groups = group_claims(recs)
    g = _group(groups, "12 bodies")
    assert len(g) == 3
    rc = reconcile(g)
    assert (rc.reports, rc.claims, rc.independent_sources) == (2, 3, 2)
    assert rc.summary == "2 reports (3 claims), 2 independent"
    assert [row.repeat for row in rc.ledger] == [False, True, False]
    d = rc.to_dict()
    assert d["reports"] == 2 and d["claims"] == 3 and "documents" in d["counting"]


def test_a_documents_repeated_figure_is_one_vote_in_the_median():
    title = "Customs post attack in Dravenmoor"
    docs = [
        (title, "At least 12 people were killed in Dravenmoor.\nPolice counted 12 bodies in Dravenmoor.\n"
                "A doctor said 12 had died in Dravenmoor.",
         [dict(quote="At least 12 people", kind="casualties", outcome="killed", low=12, high=None),
          dict(quote="12 bodies", kind="casualties", outcome="killed", low=12),
          dict(quote="12 had died", kind="casualties", outcome="killed", low=12)]),
        (title, "Twenty guards were killed in Dravenmoor.",
         [dict(quote="Twenty guards", kind="casualties", outcome="killed", low=20)]),
        (title, "The ministry said 22 people were killed in Dravenmoor.",
         [dict(quote="22 people", kind="casualties", outcome="killed", low=22)]),
    ]
    rc = reconcile(_records(docs))
    assert rc.best == 20  # the median of 12, 20 and 22, not of 12, 12, 12, 20 and 22


def test_an_organisation_after_at_is_not_a_place():
    from claims.compare.features import place_names, raw_names

    found = raw_names("Monitors at the Corvane Institute said the movement numbered 450 fighters in Dravenmoor.")
    assert place_names(found) == ["Dravenmoor"]


# ---------------------------------------------------------------- casualties in a stated condition
@pytest.mark.parametrize("quote, sentence, expected", [
    ("nine", "The director said 52 people were being treated, nine of them in critical condition.", CONDITION),
    ("52 people", "The director said 52 people were being treated, nine of them in critical condition.", ""),
    ("Five of the injured", "Five of the injured are in a serious condition, doctors said.", CONDITION),
    ("four", "The blast killed 12 and wounded 30, four of whom were in intensive care.", CONDITION),
    ("30", "The blast killed 12 and wounded 30, four of whom were in intensive care.", ""),
    ("Three guards", "Three guards were seriously injured in the blast.", ""),
])
def test_casualties_in_a_stated_condition_are_their_own_fact(quote, sentence, expected):
    assert fact_key("casualties", quote, sentence, None, None) == expected


def test_a_count_in_critical_condition_does_not_join_the_injured_total():
    title = "Gunmen attack Dravenmoor customs post"
    docs = [
        (title, "The Dravenmoor hospital said 52 people were being treated, nine of them in critical condition.",
         [dict(quote="52 people", kind="casualties", outcome="injured", low=52, subject="people"),
          dict(quote="nine", kind="casualties", outcome="injured", low=9)]),
        (title, "Officials said 48 people were injured in the Dravenmoor attack.",
         [dict(quote="48 people", kind="casualties", outcome="injured", low=48, subject="people")]),
        (title, "Eight of the wounded from Dravenmoor remained in critical condition on Sunday.",
         [dict(quote="Eight of the wounded", kind="casualties", outcome="injured", low=8, subject="wounded")]),
    ]
    groups = group_claims(_records(docs))
    assert _quotes(_group(groups, "52 people")) == ["48 people", "52 people"]
    assert _quotes(_group(groups, "nine")) == ["Eight of the wounded", "nine"]


# ---------------------------------------------------------------- subjects that only repeat the outcome
@pytest.mark.parametrize("subject, expected", [
    ("people, most of them soldiers", ("soldiers", False)),   # a specific class anywhere in it wins
    ("soldiers", ("soldiers", False)),
    ("people", ("people", True)),
])
def test_a_specific_subject_class_wins_over_a_generic_word(subject, expected):
    assert subject_class(subject) == expected


def test_an_outcome_word_as_subject_names_nobody_in_particular():
    title = "Gunmen attack Dravenmoor customs post"
    docs = [
        (title, "At least 23 people were killed and more than 40 wounded in Dravenmoor, officials said.",
         [dict(quote="more than 40 wounded", kind="casualties", outcome="injured", low=40, high=None,
               subject="wounded")]),
        (title, "The governor said 48 injured were taken to hospitals in Dravenmoor.",
         [dict(quote="48 injured", kind="casualties", outcome="injured", low=48, subject="injured")]),
        (title, "Among the 23 killed in Dravenmoor were six children.",
         [dict(quote="six children", kind="casualties", outcome="killed", low=6, subject="children")]),
        (title, "The toll in Dravenmoor rose after four of the wounded died in hospital.",
         [dict(quote="four of the wounded", kind="casualties", outcome="killed", low=4, subject="wounded")]),
    ]
    groups = group_claims(_records(docs))
    assert _quotes(_group(groups, "48 injured")) == ["48 injured", "more than 40 wounded"]
    # Four of the wounded who died are not six children: "wounded" keeps its meaning in a killed claim.
    assert _quotes(_group(groups, "six children")) == ["six children"]
