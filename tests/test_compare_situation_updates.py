"""A situation update that reports two attacks of its week, each with its toll (issue 13).

Every place, person, group and outlet here is INVENTED (no real event). A market bombing in Velmar
and, four days later, a bus station bombing in Orrin each have their own reports; a UN-style update
published after both lists the two tolls in its highlights and then tells each attack in a section
of its own, where the sentence with the toll names neither town ("Local authorities report 19 people
killed"). Such a document is the report of neither attack: each of its sentences goes to the attack
its own day, or the dated sentence before it, tells of. A truce story that recalls both attacks
still reports the truce.
"""
from __future__ import annotations

import datetime as dt

import pytest

from tests.compare_outlets import group_of, grouped, pair_scores

D = dt.date
K = "casualties"
VK, VI, VC = "velmar/killed", "velmar/injured", "velmar/children"
OK_, OI, OP = "orrin/killed", "orrin/injured", "orrin/police"

DOCS = [
    ("Pellam Wire", D(2038, 5, 1),
     "Bomb at Velmar market kills at least 21\n\n"
     "VELMAR, Norvania, May 1 (Pellam) - A bomb exploded in the covered market of the town of Velmar on "
     "Saturday, killing at least 21 people and wounding 64, police said.\n\n"
     "Five children were among the dead, a hospital doctor said.",
     [("at least 21 people", K, VK), ("64", K, VI), ("Five children", K, VC)]),
    ("Velmar Gazette", D(2038, 5, 3),
     "Velmar market toll rises to 26\n\n"
     "The number of people killed in Saturday's bombing of the Velmar market has risen to 26, the provincial "
     "health office said on Monday.",
     [("26", K, VK)]),
    ("Norvania Today", D(2038, 5, 5),
     "Suicide bomber strikes Orrin bus station, killing 17\n\n"
     "ORRIN, May 5 - A suicide bomber blew himself up at the bus station in Orrin on Wednesday, killing 17 "
     "people, among them four police officers, and wounding 40, officials said.",
     [("17 people", K, OK_), ("four police officers", K, OP), ("40", K, OI)]),
    ("Coastline Radio", D(2038, 5, 6),
     "Orrin bus station bombing: death toll rises to 19\n\n"
     "The death toll from Wednesday's suicide bombing at the bus station in Orrin has risen to 19, regional "
     "officials said on Thursday.",
     [("19", K, OK_)]),
    ("UN Mission in Norvania", D(2038, 5, 10),
     "UNITED NATIONS MISSION IN NORVANIA\n"
     "Situation Update No. 6\n\n"
     "HIGHLIGHTS\n"
     "- 26 people killed, including 6 children, and 70 injured in a bombing at the Velmar market on 1 May.\n"
     "- 19 people killed and 45 injured in a suicide bombing at Orrin bus station on 5 May.\n\n"
     "OVERVIEW\n\n"
     "On 1 May, a bomb exploded in the covered market of Velmar at midday. According to the Ministry of "
     "Health, 26 people were killed, among them six children, and 70 people were injured.\n\n"
     "On 5 May, a suicide bomber struck the bus station in Orrin. Local authorities report that 19 people died, "
     "including 4 police officers, and 45 were injured.",
     [("26 people", K, VK), ("6 children", K, VC), ("70", K, VI), ("19 people", K, OK_), ("45", K, OI),
      ("26 people were killed", K, VK), ("six children", K, VC), ("70 people", K, VI),
      ("19 people died", K, OK_), ("4 police officers", K, OP), ("45 were injured", K, OI)]),
    ("Pellam Wire", D(2038, 5, 12),
     "Norvania government and Orrin rebels agree two-week truce\n\n"
     "PORT HALEN, May 12 (Pellam) - Norvania's government and the Orrin Hills Front agreed a two-week truce "
     "on Wednesday, mediators said.\n\n"
     "The truce comes a week after a suicide bombing at the Orrin bus station on May 5 killed 19 people. "
     "In Velmar, 26 people were killed in a market bombing on May 1.",
     [("19 people", K, OK_), ("26 people", K, VK)]),
]


@pytest.fixture(scope="module")
def coverage():
    return grouped(DOCS)


def _group_in_docs(grouping, docs, doc: int, passage: str) -> int:
    """Return the identity of the group holding document ``doc``'s claim that starts inside ``passage``."""
    text = docs[doc - 1][2]
    at = text.index(passage)
    return next(id(grp) for grp in grouping.groups for r in grp
                if r.document_id == doc and at <= r.claim.start < at + len(passage))


def _facts_together(grouping, labels):
    """Return, per group, the set of fact labels of its labelled members."""
    return [{labels[r.fingerprint] for r in grp if labels.get(r.fingerprint)} for grp in grouping.groups]


def test_no_group_mixes_the_two_attacks(coverage):
    recs, labels, g = coverage
    for facts in _facts_together(g, labels):
        assert not ({f.split("/")[0] for f in facts} >= {"velmar", "orrin"}), facts


def test_the_updates_tolls_join_the_reports_of_their_own_attack(coverage):
    recs, labels, g = coverage
    velmar, orrin = group_of(g, "26", 2), group_of(g, "19", 4)
    # the highlights: each toll dated in its own line
    assert _group_in_docs(g, DOCS, 5, "26 people killed, including") == velmar
    assert _group_in_docs(g, DOCS, 5, "19 people killed and") == orrin
    # the sections: the toll's sentence names no town; the dated sentence before it tells whose it is
    assert _group_in_docs(g, DOCS, 5, "26 people were killed") == velmar
    assert _group_in_docs(g, DOCS, 5, "19 people died") == orrin
    assert _group_in_docs(g, DOCS, 5, "4 police officers") == group_of(g, "four police officers", 3)


def test_the_update_joins_neither_attacks_incident(coverage):
    recs, labels, g = coverage
    incident_docs = [set(ev.documents) for ev in g.events if ev is not None]
    assert not any(5 in docs and len(docs) > 1 for docs in incident_docs)
    velmar = next(docs for docs in incident_docs if 1 in docs)
    orrin = next(docs for docs in incident_docs if 3 in docs)
    assert velmar != orrin and 2 in velmar and 4 in orrin


def test_precision_is_perfect(coverage):
    recs, labels, g = coverage
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0 and r >= 0.5, (p, r)


def test_a_truce_story_recalling_both_attacks_still_reports_its_truce(coverage):
    recs, labels, g = coverage
    truce = next(ev for grp, ev in zip(g.groups, g.events) for r in grp if r.claim.quote == "two-week")
    assert truce is not None and 6 in truce.documents


# An update of December covering an October school attack and a December market bombing: the first is
# two months old but still this update's news. Its sentence names the school for its town, in a
# province ("the Dorrin Secondary School in Hask province"): the toll is the attack's, not the province's part.
LATER = [
    ("Pellam Wire", D(2038, 10, 12),
     "Gunmen kill 30 at Dorrin school\n\n"
     "DORRIN, Norvania, Oct 12 (Pellam) - Gunmen stormed the Dorrin Secondary School in the town of Dorrin on "
     "Tuesday, killing at least 30 people, police said.",
     [("at least 30 people", K, "dorrin/killed")]),
    ("Velmar Gazette", D(2038, 10, 14),
     "Dorrin school attack toll rises to 33\n\n"
     "The death toll from Tuesday's attack on the school in Dorrin has risen to 33, the provincial health office "
     "said on Thursday.",
     [("33", K, "dorrin/killed")]),
    ("Norvania Today", D(2038, 12, 4),
     "Bomb kills 12 at Lissen market\n\n"
     "LISSEN, Dec 4 - A bomb exploded at the fish market in Lissen on Saturday, killing 12 people, officials said. "
     "Three police officers were among the dead.",
     [("12 people", K, "lissen/killed"), ("Three police officers", K, "lissen/police")]),
    ("UN Mission in Norvania", D(2038, 12, 10),
     "UNITED NATIONS MISSION IN NORVANIA\n"
     "Situation Update No. 9\n\n"
     "OVERVIEW\n\n"
     "On 12 October, gunmen stormed the Dorrin Secondary School in Hask province and killed 33 people, according "
     "to the provincial health office.\n\n"
     "On 4 December, a bomb exploded at the fish market in Lissen, killing 12 people. Three police officers "
     "were among the dead, local officials said.",
     [("33 people", K, "dorrin/killed"), ("12 people", K, "lissen/killed"),
      ("Three police officers", K, "lissen/police")]),
]


def test_an_update_of_a_later_month_places_each_attack_by_its_day():
    recs, labels, g = grouped(LATER)
    assert _group_in_docs(g, LATER, 4, "killed 33 people") == group_of(g, "33", 2)
    assert _group_in_docs(g, LATER, 4, "killing 12 people") == group_of(g, "12 people", 3)
    # the sentence after the market bombing's names no place: it is still the bombing's
    assert group_of(g, "Three police officers", 4) == group_of(g, "Three police officers", 3)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0 and r == 1.0, (p, r)



# A truce story months later recalls both attacks by their month ("in December", "in October"), naming
# the groups more than the towns. Its own news is the truce: every attack it dates is one it recalls, and
# the month tells which of the year's attacks it is, where the group's name alone fits both.
RECALLED = [
    ("Pellam Wire", D(2040, 10, 9),
     "Gunmen kill 33 at Dorrin school\n\n"
     "DORRIN, Norvania, Oct 9 (Pellam) - Gunmen of the Hask Liberation Army stormed a secondary school in the "
     "town of Dorrin on Tuesday, killing 33 people, police said. It was the deadliest attack since the Lissen "
     "Front, a separate group in the south, took up arms.",
     [("33 people", K, "dorrin/killed")]),
    ("Velmar Gazette", D(2040, 10, 10),
     "Dorrin school attack: Hask Liberation Army blamed\n\n"
     "Officials blamed the Hask Liberation Army for Tuesday's attack on the school in Dorrin, in which 33 "
     "people died. The army said the Lissen Front had no part in it.",
     [("33", K, "dorrin/killed")]),
    ("Norvania Today", D(2040, 12, 1),
     "Bomb kills 12 at Lissen market\n\n"
     "LISSEN, Dec 1 - A bomb exploded at the fish market in Lissen on Saturday, killing 12 people, police "
     "said. They suspect the Lissen Front.",
     [("12 people", K, "lissen/killed")]),
    ("Coastline Radio", D(2040, 12, 2),
     "Lissen market bombing: Lissen Front claims attack\n\n"
     "The Lissen Front said it carried out Saturday's bombing of the fish market in Lissen, which killed 12 "
     "people.",
     [("12", K, "lissen/killed")]),
    ("Pellam Wire", D(2041, 2, 26),
     "Norvania government, Hask rebels agree 30-day truce\n\n"
     "PORT HALEN, Feb 26 (Pellam) - Norvania's government and the Hask Liberation Army agreed on Thursday to "
     "a 30-day truce, mediators said.\n\n"
     "The truce does not cover the Lissen Front, whose bombing of a market in December killed 12 people.",
     [("12 people", K, "lissen/killed")]),
]


def test_a_truce_story_recalls_an_attack_by_its_month():
    recs, labels, g = grouped(RECALLED)
    assert group_of(g, "12 people", 5) == group_of(g, "12 people", 3)
    assert group_of(g, "12 people", 5) != group_of(g, "33 people", 1)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# "Tuesday's attack was the deadliest since a bombing ... killed 19 people in 2033": the year dates the
# earlier bombing and its toll, not Tuesday, which is the day of this report's attack.
SINCE = [
    ("Pellam Wire", D(2040, 10, 9),
     "Gunmen kill 33 at Dorrin school\n\n"
     "DORRIN, Norvania, Oct 9 (Pellam) - Gunmen stormed a secondary school in the town of Dorrin on Tuesday, "
     "killing 33 people, police said.\n\n"
     "Tuesday's attack was the deadliest in Norvania since a bombing at a bus station in the capital, Port "
     "Halen, killed 19 people in 2033.",
     [("33 people", K, "dorrin/killed"), ("19 people", K, "port-halen-2033/killed")]),
    ("Velmar Gazette", D(2040, 10, 10),
     "Dorrin mourns after school attack\n\n"
     "Funerals were held in Dorrin for the 33 people killed in Tuesday's attack on the town's secondary school.",
     [("33 people", K, "dorrin/killed")]),
]


def test_a_year_in_the_sentence_does_not_move_a_day_that_dates_itself():
    recs, labels, g = grouped(SINCE)
    at = SINCE[0][2].index("Tuesday's attack was")
    since_day = next(id(grp) for grp in g.groups for r in grp if r.document_id == 1 and r.claim.start == at)
    assert since_day == group_of(g, "Tuesday", 2)
    assert group_of(g, "19 people", 1) != group_of(g, "33 people", 2)


# Three years on, a feature on the Dorrin school attack names the year's other attack in a clause of its
# own: its toll is the Lissen bombing's, though the sentence's year is the Dorrin attack's too.
ANNIVERSARY = RECALLED[:4] + [
    ("Velmar Gazette", D(2043, 10, 9),
     "Three years after the Dorrin school attack, a town still waits for answers\n\n"
     "DORRIN - On 9 October 2040, gunmen of the Hask Liberation Army stormed the secondary school in Dorrin and "
     "killed 33 people.\n\n"
     "The Lissen Front, the southern group behind the 2040 Lissen market bombing that killed 12 people, has "
     "since joined peace talks.",
     [("12 people", K, "lissen/killed")]),
]


def test_a_look_back_names_the_years_other_attack_in_a_clause_of_its_own():
    recs, labels, g = grouped(ANNIVERSARY)
    assert group_of(g, "12 people", 5) == group_of(g, "12 people", 3)
    assert group_of(g, "12 people", 5) != group_of(g, "33 people", 1)


# An update whose toll sentences give no day: each follows the dated sentence before it. A sentence with a
# date of its own (a truce announced on 8 December) tells its own time and follows neither attack.
UNDATED_TOLLS = LATER[:3] + [
    ("UN Mission in Norvania", D(2038, 12, 10),
     "NORVANIA: Situation Update No. 9\n\n"
     "HIGHLIGHTS\n"
     "- Two attacks in October and December killed 45 people.\n\n"
     "OVERVIEW\n\n"
     "On 12 October, gunmen stormed the Dorrin Secondary School in Hask province.\n\n"
     "According to the provincial health office, 33 people were killed.\n\n"
     "On 4 December, a bomb exploded at the fish market in Lissen.\n\n"
     "Local officials said 12 people died.\n\n"
     "On 8 December, the government and the Hask Liberation Army agreed a 15-day truce.",
     [("33 people", K, "dorrin/killed"), ("12 people", K, "lissen/killed")]),
]


def test_an_updates_undated_tolls_follow_the_dated_sentence_before_them():
    recs, labels, g = grouped(UNDATED_TOLLS)
    assert group_of(g, "33 people", 4) == group_of(g, "33", 2)
    assert group_of(g, "12 people", 4) == group_of(g, "12 people", 3)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)
    truce = next(ev for grp, ev in zip(g.groups, g.events) for rec in grp if rec.claim.quote == "15-day")
    lissen = next(ev for grp, ev in zip(g.groups, g.events) for rec in grp if rec.claim.quote == "12 people"
                  and rec.document_id == 3)
    assert truce is None or truce.id != lissen.id


# A report of the market bombing recalls, in a clause naming its town, the school attack of eight weeks
# before: that toll is the school attack's, although it was reported weeks before this report.
WEEKS_BEFORE = LATER[:3] + [
    ("Coastline Radio", D(2038, 12, 5),
     "Lissen market bombing: toll rises to 14\n\n"
     "The death toll from Saturday's bombing of the fish market in Lissen has risen to 14, officials said. "
     "Meanwhile, parents demanded more police in the north, where eight weeks ago 33 people were killed in "
     "the Dorrin school attack.",
     [("14", K, "lissen/killed"), ("33 people", K, "dorrin/killed")]),
]


def test_a_clause_naming_where_an_attack_of_weeks_before_happened_gives_its_toll():
    recs, labels, g = grouped(WEEKS_BEFORE)
    assert group_of(g, "33 people", 4) == group_of(g, "33", 2)
    assert group_of(g, "14", 4) == group_of(g, "12 people", 3)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# A look back at the school attack tells, in a sentence of its own, another attack at another target: its
# toll is no figure of the school attack, whatever incident its document joins.
OTHER_TARGET = RECALLED[:2] + [
    ("Velmar Gazette", D(2041, 10, 9),
     "Dorrin, one year on\n\n"
     "DORRIN - On 9 October 2040, gunmen of the Hask Liberation Army stormed the secondary school in Dorrin and "
     "killed 33 people.\n\n"
     "Six weeks later, the Lissen Front killed 12 people in an ambush on an army convoy in the south, the army "
     "said.",
     [("33 people", K, "dorrin/killed"), ("12 people", K, "convoy/killed")]),
]


def test_a_toll_at_another_target_is_not_the_incidents():
    recs, labels, g = grouped(OTHER_TARGET)
    assert group_of(g, "33 people", 3) == group_of(g, "33 people", 1)
    assert group_of(g, "12 people", 3) != group_of(g, "33 people", 1)


# A look back a year on gives a later month of the same year to another attack's toll: that month, long
# before the piece, dates the other attack, not what followed the school attack.
LATER_MONTH = RECALLED[:4] + [
    ("Velmar Gazette", D(2041, 10, 9),
     "Dorrin, one year on\n\n"
     "DORRIN - On 9 October 2040, gunmen of the Hask Liberation Army stormed the secondary school in Dorrin and "
     "killed 33 people.\n\n"
     "Since the market bombing claimed by the Lissen Front, which killed 12 people in December 2040, the army "
     "has doubled its patrols, officials said.",
     [("33 people", K, "dorrin/killed"), ("12 people", K, "lissen/killed")]),
]


def test_a_later_month_in_a_look_back_dates_another_attack():
    recs, labels, g = grouped(LATER_MONTH)
    assert group_of(g, "12 people", 5) == group_of(g, "12 people", 3)
    assert group_of(g, "33 people", 5) == group_of(g, "33 people", 1)


# A week on, a story headlined with the town alone ("A week on, Velmar buries its dead") opens on the
# market bombing, dated in its first paragraph, and later tells of another attack of that week elsewhere.
# It reports two attacks, but it is the bombing's story: its headline names one town and its opening
# names it too, so it joins the bombing's incident and its headline toll joins the bombing's toll. A
# round-up's headline names several towns, or none.
WEEK_ON = DOCS[:2] + [
    ("Velmar Gazette", D(2038, 5, 8),
     "A week on, Velmar buries its dead as toll reaches 28\n\n"
     "By Ilse Marrow, Gazette correspondent\n\n"
     "VELMAR - Church bells rang out on Tuesday as the town held a memorial for the victims of the May 1 "
     "market bombing, whose toll rose to 28 after two injured traders died in hospital on Sunday.\n\n"
     "Violence has continued this week. In Tessik, 40 kilometres west of Velmar, three soldiers were killed "
     "on Monday when gunmen attacked an army checkpoint, the army said.",
     [("28", K, VK), ("three soldiers", K, None)]),
]


def test_a_week_on_story_headlined_with_its_town_is_that_attacks_report():
    recs, labels, g = grouped(WEEK_ON)
    velmar = group_of(g, "26", 2)
    assert _group_in_docs(g, WEEK_ON, 3, "28 after") == velmar
    assert _group_in_docs(g, WEEK_ON, 3, "three soldiers") != velmar
    incident = next(set(ev.documents) for ev in g.events if ev is not None and 1 in ev.documents)
    assert 3 in incident


# A trial report years on is headlined with the year of the bombing it tries; further down it recalls an
# ambush of a later month ("the June 2047 ambush near Tessik, in which 14 soldiers died"). The month is the
# ambush's, not the report's: the report never joins the ambush's reports, and the toll it dates by the
# bombing's year joins the bombing's.
TRIAL = [
    ("Pellam Wire", D(2046, 11, 14),
     "Bomb at Velmar ferry terminal kills 31\n\n"
     "VELMAR, Nov 14 (Pellam) - A bomb tore through the ferry terminal in Velmar on Wednesday, killing 31 "
     "people and wounding 71, police said.",
     [("31 people", K, "ferry/killed")]),
    ("Norvania Today", D(2047, 6, 12),
     "Fourteen soldiers killed in ambush near Tessik\n\n"
     "TESSIK, June 12 - Red Hill Front gunmen ambushed an army convoy near Tessik on Monday, killing 14 "
     "soldiers, the army said. The Red Hill Front has about 400 fighters.",
     [("14 soldiers", K, "ambush/killed")]),
    ("Velmar Gazette", D(2049, 3, 2),
     "Court convicts five over 2046 Velmar ferry-terminal bombing\n\n"
     "VELMAR - A regional court on Tuesday sentenced five men to life in prison for helping to plan the 2046 "
     "ferry-terminal bombing in Velmar, which killed 31 people.\n\n"
     "Relatives of the 31 killed packed the courtroom.\n\n"
     "Other cases remain open. A separate trial over the June 2047 ambush near Tessik, in which 14 soldiers "
     "died, is under way in the capital. The Red Hill Front, blamed for the Tessik ambush, denies it.",
     [("31 people", K, "ferry/killed"), ("14 soldiers", K, "ambush/killed")]),
]


def test_a_look_back_dated_by_its_year_is_not_a_later_months_attack_it_recalls():
    from claims.compare.events import _own_months

    # the opening (first 300 characters) dates the attack by its year: a month further down is another's
    assert _own_months([(400, "2047-06")], [(10, "2046")], 300) == frozenset()
    assert _own_months([(400, "2046-11")], [(10, "2046")], 300) == {"2046-11"}
    # no year in the opening: every month; a month in the opening: that one
    assert _own_months([(400, "2047-06")], [], 300) == {"2047-06"}
    assert _own_months([(50, "2046-11"), (400, "2047-06")], [], 300) == {"2046-11"}
    recs, labels, g = grouped(TRIAL)
    assert group_of(g, "31 people", 3) == group_of(g, "31 people", 1)
    assert all(ev is None or 2 not in ev.documents for grp, ev in zip(g.groups, g.events)
               for r in grp if r.document_id == 3 and r.claim.quote == "31")
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# A look back a year on gives the bombing's date by its month ("in November 2046"); the first reports
# gave the day. The month is the bombing's date told less exactly: one fact with the day.
A_YEAR_ON = [
    ("Pellam Wire", D(2046, 11, 14),
     "Bomb at Velmar ferry terminal kills 31\n\n"
     "VELMAR, Nov 14 (Pellam) - A bomb tore through the ferry terminal in Velmar on Wednesday, killing 31 "
     "people, police said. Police blamed the Red Hill Front.",
     [("Wednesday", "date", "ferry/date"), ("31 people", K, "ferry/killed")]),
    ("Velmar Gazette", D(2046, 11, 16),
     "Velmar ferry terminal toll rises to 33\n\n"
     "The toll from Wednesday's bombing of the ferry terminal in Velmar has risen to 33, police said. The Red "
     "Hill Front denied planting the bomb.",
     [("Wednesday", "date", "ferry/date"), ("33", K, "ferry/killed")]),
    ("Norvania Today", D(2047, 11, 14),
     "A year after the Velmar ferry bombing, the terminal reopens\n\n"
     "VELMAR - The ferry terminal in Velmar reopened on Friday, a year after the Red Hill Front bombing of "
     "November 2046 that killed 33 people.",
     [("November 2046", "date", "ferry/date"), ("33 people", K, "ferry/killed")]),
]


def test_a_look_back_giving_the_attacks_month_joins_its_day():
    from types import SimpleNamespace

    from claims.compare.events import Incident
    from claims.compare.grouping import _coarse_into_days

    # the incident's reports agree on 14 November: "November 2046" (an attack date) joins that day's
    # bucket; a year alone, a month of no agreed day and another happening's month stay where they are
    vecs = [SimpleNamespace(fact=f) for f in ("attack", "attack", "attack", "attack", "attack", "closure")]
    day, month, year = (0, "date", "", "", "2046-11-14"), (0, "date", "", "", "2046-11"), (0, "date", "", "", "2046")
    other, closed = (0, "date", "", "", "2046-12"), (1, "date", "", "", "2046-11")
    buckets = {day: {0: None}, month: {1: None}, year: {2: None}, other: {3: None}, closed: {5: None}}
    found = [Incident(1, "Velmar", 2046, (1, 2), days=frozenset({"2046-11-14"})),
             Incident(3, "Tessik", 2046, (3,), days=frozenset({"2046-11-14", "2046-11-20"}))]
    _coarse_into_days(buckets, vecs, found)
    assert list(buckets[day]) == [0, 1] and not buckets[month]
    assert list(buckets[year]) == [2] and list(buckets[other]) == [3] and list(buckets[closed]) == [5]
    recs, labels, g = grouped(A_YEAR_ON)
    assert group_of(g, "November 2046", 3) == group_of(g, "Wednesday", 2)
    assert group_of(g, "33 people", 3) == group_of(g, "33", 2)


# A live blog gives the toll as it rose, entry by entry ("18:45 - Death toll rises to 21" above "09:00 - ... The
# toll given by officials on Saturday evening was 17 dead"): each entry's toll is its hour's, so the article's
# 17 and 21 are both reports of the one toll, as are the wire's.
LIVE_BLOG = [
    ("Orrin Wire", D(2036, 12, 6),
     "Suicide bomber kills 17 at Teruvai market\n\n"
     "TERUVAI, Dec 6 (Orrin Wire) - A suicide bomber killed 17 people at the central market in Teruvai on "
     "Saturday, officials said.",
     [("17 people", "casualties", "teruvai/killed")]),
    ("Varanthi Today", D(2036, 12, 7),
     "Teruvai market bombing: live updates\n\n"
     "18:45 - Death toll rises to 21\n\n"
     "The health department says 21 people have now died as a result of yesterday's bombing at the Teruvai "
     "market.\n\n"
     "09:00 - What we know so far\n\n"
     "A suicide bomber struck Teruvai Central Market yesterday. The toll given on Saturday evening was 17 dead.",
     [("21 people", "casualties", "teruvai/killed"), ("17 dead", "casualties", "teruvai/killed")]),
]


def test_a_live_blogs_entries_each_give_their_hours_toll():
    recs, labels, g = grouped(LIVE_BLOG)
    toll = group_of(g, "17 people", 1)
    assert group_of(g, "21 people", 2) == toll == group_of(g, "17 dead", 2)
