"""Event-first grouping on invented multi-outlet coverage: one case per failure class of issue 13.

Every place, group, outlet and person here is invented. Claims are given with their values (as the
extractor would give them), so these tests pin the grouping, not the extraction.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import random

from hypothesis import given, settings, strategies as st

from claims.compare.grouping import group_claims, group_claims_explained
from tests.compare_articles import line_records as _records


def _killed(quote, low, high=None, **kw):
    return dict(quote=quote, kind="casualties", outcome="killed", low=low, high=low if high is None else high, **kw)


def _injured(quote, low, high=None, **kw):
    return dict(quote=quote, kind="casualties", outcome="injured", low=low, high=low if high is None else high, **kw)


def _same(groups, a: str, b: str) -> bool:
    return _where(groups, a) is _where(groups, b)


def _where(groups, quote_at: str):
    """Return the group of the claim whose quote (optionally 'quote@outlet') matches."""
    quote, _, outlet = quote_at.partition("@")
    for g in groups:
        for r in g:
            if r.claim.quote == quote and (not outlet or r.publisher == outlet):
                return g
    raise AssertionError(f"{quote_at!r} is in no group")


D = dt.date

# ---------------------------------------------------------------- same week, different wording
CEASEFIRE = [
    ("Tamber Wire", "Government and Velmoran Front agree truce", D(2031, 11, 8),
     "Government and Velmoran Front agree truce\n"
     "The government of Esk and the Velmoran Front agreed a one-month truce from November 9, minister Aldo Renk said.\n"
     "The truce ends on December 9, 2031.",
     [dict(quote="one-month", kind="duration", duration="P1M"),
      dict(quote="November 9", kind="date", date="2031-11-09"),
      dict(quote="December 9, 2031", kind="date", date="2031-12-09")]),
    ("Esk Daily", "Month-long ceasefire with Velmoran Front", D(2031, 11, 9),
     "Month-long ceasefire with Velmoran Front\n"
     "The month-long ceasefire between Esk and the Velmoran Front starts on Nov. 9, Aldo Renk told reporters.\n"
     "It runs until Dec. 9.",
     [dict(quote="month-long", kind="duration", duration="P1M"),
      dict(quote="Nov. 9", kind="date", date="2031-11-09"),
      dict(quote="Dec. 9", kind="date", date="2031-12-09")]),
    ("Harlow Post", "Velmoran Front truce takes hold in Esk", D(2031, 11, 10),
     "Velmoran Front truce takes hold in Esk\n"
     "A one-month ceasefire agreed by Esk and the Velmoran Front took hold on November 9.",
     [dict(quote="one-month", kind="duration", duration="P1M"),
      dict(quote="November 9", kind="date", date="2031-11-09")]),
]


def test_one_announcement_worded_three_ways_is_one_fact_per_quantity():
    groups = group_claims(_records(CEASEFIRE))
    assert _same(groups, "one-month@Tamber Wire", "month-long") and _same(groups, "month-long", "one-month@Harlow Post")
    assert _same(groups, "November 9@Tamber Wire", "Nov. 9") and _same(groups, "Nov. 9", "November 9@Harlow Post")
    assert _same(groups, "December 9, 2031", "Dec. 9")
    # The truce's start and end are two facts, and neither is its length.
    assert not _same(groups, "November 9@Tamber Wire", "December 9, 2031")
    assert not _same(groups, "one-month@Tamber Wire", "November 9@Tamber Wire")


# ---------------------------------------------------------------- one event's toll, reported years apart
SCHOOL = [
    ("Norbridge Courier", "Gunmen kill 104 at Harrow Vale school in Norbridge", D(2030, 3, 6),
     "Gunmen kill 104 at Harrow Vale school in Norbridge\n"
     "Gunmen killed at least 104 people, including 98 children, at the Harrow Vale school in Norbridge on Tuesday, "
     "police said.\n"
     "Another 60 people were wounded, hospital officials said.",
     [_killed("at least 104 people", 104, None, subject="people", attributed_to="police"),
      _killed("98 children", 98, subject="children", attributed_to="police"),
      _injured("60 people", 60, subject="people", attributed_to="hospital officials")]),
    ("Calder Wire", "Norbridge school toll rises to 141", D(2030, 3, 12),
     "Norbridge school toll rises to 141\n"
     "The toll from last week's attack on the Harrow Vale school in Norbridge rose to 141, among them 132 children, "
     "officials said.",
     [_killed("141", 141, attributed_to="officials"),
      _killed("132 children", 132, subject="children", attributed_to="officials")]),
    ("Tamber Wire", "Norbridge remembers school massacre ten years on", D(2040, 3, 4),
     "Norbridge remembers school massacre ten years on\n"
     "Families gathered in Norbridge to mark ten years since the 2030 attack on the Harrow Vale school, "
     "which killed 132 children.\n"
     "A bombing in Norbridge market last week killed 12 people.",
     [_killed("132 children", 132, subject="children"),
      _killed("12 people", 12, subject="people")]),
]


def test_a_toll_reported_the_day_after_a_week_later_and_years_later_is_one_fact():
    groups = group_claims(_records(SCHOOL))
    assert _same(groups, "at least 104 people", "141")
    # the part (children) is its own fact, and the anniversary piece joins it, not the total
    assert _same(groups, "98 children", "132 children@Calder Wire")
    assert _same(groups, "132 children@Calder Wire", "132 children@Tamber Wire")
    assert not _same(groups, "98 children", "141")
    # the anniversary piece's news of the week is another event
    assert not _same(groups, "12 people", "141") and not _same(groups, "12 people", "at least 104 people")
    assert not _same(groups, "60 people", "at least 104 people")


def test_the_reason_line_names_the_incident_and_the_quantity():
    g = group_claims_explained(_records(SCHOOL))
    total = _where(g.groups, "141")
    event = g.events[g.groups.index(total)]
    assert event is not None and ("Norbridge" in event.label or "Harrow Vale" in event.label)
    assert "school" in event.label and "2030" in event.label
    assert all(g.reasons[r.fingerprint].startswith(f"grouped because: same incident - {event.label}")
               for r in total)
    assert g.reasons[total[0].fingerprint].endswith("same quantity - killed, total")
    part = _where(g.groups, "98 children")
    assert g.reasons[part[0].fingerprint].endswith("killed, part: children")


# ---------------------------------------------------------------- one group's strength across reports and years
STRENGTH = [
    ("UN Monitoring Team", "Report on the Velmoran Front", D(2031, 2, 1),
     "Report on the Velmoran Front\n"
     "The Velmoran Front has about 6,000 fighters in the hills of Esk, the monitoring team said.",
     [dict(quote="about 6,000 fighters", kind="force_size", low=6000, high=6000, subject="fighters",
           attributed_to="the monitoring team")]),
    ("UN Monitoring Team", "Second report on the Velmoran Front", D(2033, 7, 1),
     "Second report on the Velmoran Front\n"
     "The Velmoran Front now counts between 3,000 and 5,000 fighters, the monitoring team said.",
     [dict(quote="between 3,000 and 5,000 fighters", kind="force_size", low=3000, high=5000, subject="fighters",
           attributed_to="the monitoring team")]),
    ("Tamber Wire", "Ostrel Brigade grows in Harrowmark", D(2033, 7, 2),
     "Ostrel Brigade grows in Harrowmark\n"
     "The Ostrel Brigade has an estimated 2,000 fighters in Harrowmark, officials said.",
     [dict(quote="an estimated 2,000 fighters", kind="force_size", low=2000, high=2000, subject="fighters",
           attributed_to="officials")]),
]


def test_one_groups_strength_across_reports_is_one_fact_and_another_group_stays_apart():
    groups = group_claims(_records(STRENGTH))
    assert _same(groups, "about 6,000 fighters", "between 3,000 and 5,000 fighters")
    assert not _same(groups, "an estimated 2,000 fighters", "about 6,000 fighters")
    assert not _same(groups, "an estimated 2,000 fighters", "between 3,000 and 5,000 fighters")


# ---------------------------------------------------------------- two incidents, three outlets each
def _bombing(outlet, town, site, published, killed, injured, part=None):
    text = (f"Bomb kills {killed} at {site} in {town}\n"
            f"A bomb killed {killed} people and wounded {injured} at a {site} in {town} on Friday, officials said.")
    specs = [_killed(f"{killed} people", killed, subject="people", attributed_to="officials"),
             _injured(f"{injured}", injured, attributed_to="officials")]
    if part:
        text += f"\nFour police officers were among the dead in {town}."
        specs.append(_killed("Four police officers", 4, subject="police officers"))
    return (outlet, f"Bomb kills {killed} at {site} in {town}", published, text, specs)


BOMBINGS = [
    _bombing("Tamber Wire", "Kell Rise", "market", D(2032, 5, 8), 23, 41, part=True),
    _bombing("Esk Daily", "Kell Rise", "market", D(2032, 5, 8), 27, 45),
    _bombing("Harlow Post", "Kell Rise", "market", D(2032, 5, 9), 29, 50, part=True),
    _bombing("Tamber Wire", "Oxmere", "bus station", D(2032, 5, 8), 11, 19),
    _bombing("Esk Daily", "Oxmere", "bus station", D(2032, 5, 8), 13, 20),
    _bombing("Harlow Post", "Oxmere", "bus station", D(2032, 5, 9), 14, 22),
]


def test_two_incidents_on_one_day_keep_their_tolls_apart_and_parts_apart_from_totals():
    groups = group_claims(_records(BOMBINGS))
    assert _same(groups, "23 people", "27 people") and _same(groups, "27 people", "29 people")
    assert _same(groups, "11 people", "13 people") and _same(groups, "13 people", "14 people")
    assert not _same(groups, "23 people", "11 people")
    assert _same(groups, "41", "45") and not _same(groups, "41", "19")
    assert not _same(groups, "41", "23 people")
    parts = _where(groups, "Four police officers")
    assert len(parts) == 2 and parts is not _where(groups, "23 people")


# ---------------------------------------------------------------- nothing depends on outlets' names or input order
ALL = CEASEFIRE + SCHOOL + STRENGTH + BOMBINGS


def _partition(recs) -> set[frozenset[str]]:
    return {frozenset(r.fingerprint for r in g) for g in group_claims(recs)}


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False), st.lists(st.text(alphabet="abcdefghij ", min_size=3, max_size=12),
                                                   min_size=len(ALL), max_size=len(ALL), unique=True))
def test_renaming_outlets_or_shuffling_documents_changes_no_group(rnd: random.Random, names: list[str]):
    base = _records(ALL)
    expected = _partition(base)
    outlets = sorted({r.publisher for r in base})
    rename = {o: f"Outlet {names[k]}" for k, o in enumerate(outlets)}
    shuffled = [dataclasses.replace(r, publisher=rename[r.publisher]) for r in base]
    rnd.shuffle(shuffled)
    assert _partition(shuffled) == expected


def test_strengths_of_two_groups_quoting_one_source_stay_apart_and_an_unnamed_force_joins_neither():
    # One week, one province, one source: the same incident, but two different groups; and a force
    # that names no group, weeks later, belongs to neither.
    docs = [
        ("Tamber Wire", "Clashes in Norvale province", D(2031, 4, 1),
         "Clashes in Norvale province\n"
         "Between 150 and 300 troops of the Solen Committee operate in Norvale province, the Red Lantern said.",
         [dict(quote="Between 150 and 300 troops", kind="force_size", low=150, high=300, subject="troops",
               attributed_to="the Red Lantern")]),
        ("Esk Daily", "Clashes in Norvale province", D(2031, 4, 2),
         "Clashes in Norvale province\n"
         "The Highmark Militia is believed to have around 200 troops in Norvale province, the Red Lantern said.",
         [dict(quote="around 200 troops", kind="force_size", low=200, high=200, subject="troops",
               attributed_to="the Red Lantern")]),
        ("Harlow Post", "Deployment in Norvale province", D(2031, 6, 3),
         "Deployment in Norvale province\n"
         "Officials said 190 troops had been deployed across Norvale province, the Red Lantern said.",
         [dict(quote="190 troops", kind="force_size", low=190, high=190, subject="troops",
               attributed_to="the Red Lantern")]),
    ]
    groups = group_claims(_records(docs))
    assert not _same(groups, "Between 150 and 300 troops", "around 200 troops")
    assert not _same(groups, "190 troops", "around 200 troops")
    assert not _same(groups, "190 troops", "Between 150 and 300 troops")


def test_a_count_far_below_an_incidents_toll_is_not_another_report_of_it():
    docs = list(BOMBINGS[:3]) + [
        ("Brack Radio", "Kell Rise market victims named", D(2032, 5, 9),
         "Kell Rise market victims named\n"
         "The families confirmed the deaths of two people at the market in Kell Rise on Friday.",
         [_killed("two people", 2, subject="people")]),
    ]
    groups = group_claims(_records(docs))
    assert _same(groups, "23 people", "29 people")
    assert not _same(groups, "two people", "23 people")
