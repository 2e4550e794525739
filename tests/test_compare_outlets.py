"""Grouping on FICTIONAL multi-outlet coverage, read end to end and rule by rule (issue 13's failure classes).

tests/compare_outlets.py holds the invented articles (a village raid told by five outlets and a long
read two years on, a raid on another village that week, two armed groups' strengths over the years);
here the extractor reads them and grouping must keep every part, total and class of people its own
fact (precision first) while joining one toll and one group's strength across outlets and years.
The rule tests below give claims with their values, so they pin grouping, not extraction.
"""
from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings, strategies as st

from claims.compare.facts import ABOARD, CARER, FACILITY, PART, PARTY, STATEMENT, STRENGTH, fact_key
from claims.compare.grouping import group_claims, group_claims_explained
from tests.compare_articles import line_records
from tests.compare_outlets import DOCS, extracted, pair_scores, partition

D = dt.date


@pytest.fixture(scope="module")
def coverage():
    recs, leads, labels = extracted()
    return recs, leads, labels, group_claims_explained(recs, leads=leads)


def _of(grouping, quote_at: str):
    """Return the group of the claim 'quote' or 'quote@outlet' (exactly one claim must match)."""
    quote, _, outlet = quote_at.partition("@")
    hits = [g for g in grouping.groups for r in g if r.claim.quote == quote and (not outlet or r.publisher == outlet)]
    assert len(hits) == 1, f"{quote_at!r} matches {len(hits)} claims"
    return hits[0]


def _same(grouping, a: str, b: str) -> bool:
    return _of(grouping, a) is _of(grouping, b)


def test_parts_of_one_toll_are_facts_of_their_own(coverage):
    *_, g = coverage
    total = "37"
    # killed at the scene / died later inside the toll of 37
    assert not _same(g, "35 persons", total) and not _same(g, "two others", total)
    # one hospital's wounded are not the wounded of the attack
    assert not _same(g, "20 wounded persons", "At least 18 people")
    # soldiers and civilians among the dead: each its own fact, never the total, never each other
    assert not _same(g, "three soldiers", total) and not _same(g, "34 civilians", total)
    assert not _same(g, "three soldiers", "34 civilians")
    assert not _same(g, "Three soldiers", "at least 31 people")
    # ... and the soldiers told by two outlets are one fact
    assert _same(g, "Three soldiers", "three soldiers")
    # children among the dead stay apart from the total
    assert not _same(g, "12 children", "41")


def test_one_raid_told_by_four_outlets_and_a_long_read_is_one_toll(coverage):
    *_, g = coverage
    for other in ("Thirty-three people", "37", "39 of our people", "41"):
        assert _same(g, "at least 31 people", other), other
    assert _same(g, "At least 18 people", "25 injured")


def test_another_village_raided_that_week_keeps_its_own_tolls(coverage):
    recs, _, labels, g = coverage
    # "... on Thursday, two days after a raid on nearby Dalamba killed at least 31": that clause tells of
    # the Dalamba raid, the rest of the report of the Tombali one
    dalamba = {id(grp) for grp in g.groups for r in grp if labels.get(r.fingerprint) == "dalamba-killed"}
    assert len(dalamba) == 1
    assert not _same(g, "12 people", "at least 31 people")
    assert not _same(g, "Five people", "At least 18 people")
    # the long read's news of its own year is no part of the raid
    assert not _same(g, "14 people", "41")


def test_one_groups_strength_across_reports_and_years_and_never_another_groups(coverage):
    *_, g = coverage
    ola = ["between 3,000 and 3,500 fighters", "as many as 4,000 members", "several thousand fighters",
           "about 4,000"]
    for q in ola[1:]:
        assert _same(g, ola[0], q), q
    harrak = ["between 600 and 700 fighters", "some 800 men"]
    assert _same(g, *harrak)
    for q in ola:
        assert not _same(g, q, harrak[0])
        assert not _same(g, q, "about 4,000 fighters@Sombe Security Monitor")  # another group, same figure
        assert not _same(g, q, "about 60")  # the raiders, not the group


def test_each_member_says_why(coverage):
    recs, _, _, g = coverage
    by_quote = {r.claim.quote: r for r in recs}
    assert g.reasons[by_quote["35 persons"].fingerprint].endswith("killed, part: killed at the scene")
    assert g.reasons[by_quote["three soldiers"].fingerprint].endswith("killed, part: soldiers")
    assert "same incident - Dalamba" in g.reasons[by_quote["41"].fingerprint]


def test_precision_is_perfect_and_recall_holds(coverage):
    *_, labels, g = coverage
    p, r, _ = pair_scores(g.groups, labels)
    # Recall over what the extractor finds, so a figure it newly reads moves it: 0.82 with 27 labelled
    # claims found, 0.70 once it read "put it at 2,500 to 3,000" (a strength whose group is "it").
    assert p == 1.0 and r >= 0.65, (p, r)


@settings(max_examples=8, deadline=None)
@given(st.randoms(use_true_random=False))
def test_renaming_outlets_or_shuffling_documents_changes_no_group(rnd: random.Random):
    expected = partition(DOCS)
    docs = list(DOCS)
    rnd.shuffle(docs)
    rename = {o: f"Outlet {rnd.randrange(10**6)} {k}" for k, o in enumerate(sorted({d[0] for d in DOCS}))}
    assert partition(docs, rename) == expected


# ---------------------------------------------------------------- the rules, one by one, on given claims
@pytest.mark.parametrize("kind, quote, sentence, expected", [
    ("casualties", "35 persons", "He said 35 persons were killed at the scene while two others died at the hospital.",
     "killed at the scene"),
    ("casualties", "two others", "He said 35 persons were killed at the scene while two others died at the hospital.",
     "died later"),
    ("casualties", "three more", "The toll rose after three more succumbed to their injuries.", "died later"),
    # a pause is a truce's length, a pause in talks the talks'
    ("duration", "four-week", "Officials have also described it as a four-week pause.", "ceasefire"),
    ("duration", "two-week", "Negotiators agreed a two-week pause in talks.", "talks"),
    # a verb of fighting names the fighting a length is of, as its noun does
    ("duration", "about three hours", "The gunmen battled the police for about three hours before withdrawing.",
     "fighting"),
    ("duration", "two hours", "Troops clashed with the raiders for two hours, the army said.", "fighting"),
    # the day a trial opened is no day of the massacre it tries
    ("date", "Monday", "A former commander went on trial in Velmar on Monday, charged with murder over the 2046 "
     "massacre in Tessik.", "arrest"),
    # a happening's word naming a place ("evacuation centre") is not what happened on the day
    ("date", "20 March", "Nine civilians were killed when mortar rounds struck the Bukal school evacuation centre "
     "on 20 March.", "attack"),
    ("date", "20 March", "Hundreds of villagers were evacuated on 20 March.", "rescue"),
    # a happening declared or announced is dated by its declaring; a plain statement's day stays the statement's
    ("date", "Friday", "The president on Friday declared a 60-day state of emergency in three provinces.",
     "emergency"),
    ("date", "16 March", "The state of emergency declared on 16 March was extended twice.", "emergency"),
    ("date", "Tuesday", "The government and the rebels on Tuesday announced a 90-day ceasefire.", "ceasefire"),
    ("date", "Tuesday", "\"We will not give up,\" the general declared on Tuesday.", "statement"),
    # when a group's war began: fought since a year, a war's toll since it, a campaign launched in it
    ("date", "2041", "Police blamed the Tarn Front, which has fought the army in the hills since 2041.", "founding"),
    ("date", "2041", "The Tarn Front has been fighting for self-rule since 2041.", "founding"),
    ("date", "2041", "The conflict in the Tarn hills has killed more than 2,300 people since 2041, monitors say.",
     "founding"),
    ("date", "2041", "The Front launched its armed campaign in 2041 from the hills.", "founding"),
    ("date", "2041", "The raid came in the tenth year of an insurgency that began in 2041.", "founding"),
    # a peace accord is the talks' (its year is no group's founding, even beside "formed")
    ("date", "2044", "The dissidents reject the 2044 peace accord under which the rebels disarmed.", "talks"),
    ("date", "2044", "Front 9, a faction formed after the 2044 peace accord, holds the valley.", "talks"),
    # a toll since a year with no war as its subject is no war's start
    ("date", "2041", "More than 2,300 people have died in the hills since 2041.", "?"),
    # the toll that rose when they died is the total; the ones who died are the part
    ("casualties", "31", "The toll rose to 31 after two injured passengers died in hospital on Sunday.", ""),
    ("casualties", "two injured passengers", "The toll rose to 31 after two injured passengers died in hospital "
     "on Sunday.", "died later"),
    ("casualties", "20 wounded", "The district hospital received 20 wounded on Tuesday night.", FACILITY),
    ("casualties", "20 wounded persons", "He said the General Hospital, Kere received 20 wounded persons.", FACILITY),
    ("casualties", "14 injured", "The 14 injured were admitted to Harrow Vale General Hospital.", FACILITY),
    # a headline's facility treating a count, and "there" after a facility its sentence names
    ("casualties", "34 wounded", "Clinic treating 34 wounded", FACILITY),
    ("casualties", "34 injured people", "Dr Ines Vale, director of Marrow Bay Hospital, says 34 injured people are "
     "being treated there.", FACILITY),
    # "there" with no facility before it says nothing of one
    ("casualties", "34 people", "Officials said 34 people are being treated there.", ""),
    # taken "to hospital" or "to hospitals": all of them, no one facility's count
    ("casualties", "14 injured", "The 14 injured were taken to hospital.", ""),
    ("casualties", "65 injured", "The 65 injured were taken to hospitals across the province.", ""),
    ("casualties", "16 bodies", "As it stands, 16 bodies are in the district hospital morgue.", ""),
    # when it was told is not when it happened; the attack's day after "told" stays the attack's
    ("date", "Thursday", "The spokesman told our correspondent in Kere on Thursday that 35 persons were killed.",
     STATEMENT),
    ("date", "Tuesday", "The governor told reporters the attack on Tuesday was planned.", "attack"),
    # a reporting verb right after the date, and a wire's dateline: when it was told
    ("date", "yesterday", "A week after the market bombing, the health ministry yesterday put the final toll at 41.",
     STATEMENT),
    ("date", "Tuesday", "Police on Tuesday said the attack killed nine.", STATEMENT),
    ("date", "Sept 14", "HARLOW (Brannoch), Sept 14 (KPA) -- The toll from Saturday's market bombing rose to 31.",
     STATEMENT),
    ("date", "April 14", "OSTERVIK, Brannoch, April 14 (Harbour Wire) - A bomb exploded at the bus station.", STATEMENT),
    ("date", "Tuesday", "Gunmen on Tuesday attacked the market in Harlow.", "attack"),
    # the verb after an aside is the group's ("... fighters, has carried out raids"), the raiders' only
    # when the aside follows them ("the gunmen, numbering about 60, stormed")
    ("force_size", "between 3,000 and 3,500 fighters",
     "The Dunmore Front, which sources say has between 3,000 and 3,500 fighters, has carried out raids.", STRENGTH),
    ("force_size", "about 60", "Residents said the gunmen, numbering about 60, stormed the village.", PARTY),
    # a verb of having before the count: the group's strength, whatever its noun; the number of
    # attackers put at a count, and the men an attack involved: the attack party
    ("force_size", "several thousand gunmen",
     "Terrorists from the Tarn Movement, a shadowy rebel outfit thought to have several thousand gunmen, are blamed.",
     STRENGTH),
    ("force_size", "over 70 heavily armed bandits",
     'The governor put the number of attackers at "over 70 heavily armed bandits" and announced aid.', PARTY),
    ("force_size", "as many as 100 militants",
     "Seven soldiers were wounded in the attack, which involved as many as 100 militants, officials said.", PARTY),
    ("force_size", "44 personnel", "One bus had 44 personnel on board.", ABOARD),
    # a part counted in the class its clause names after it; a verb there names no class
    ("casualties", "12 of the dead", "She said 48 people had been wounded and that 12 of the dead were children.",
     "part:children"),
    ("casualties", "nine of them", "Twenty died, and nine of them were killed in the blast.", PART),
    # (two classes joined are a part of their own: soldiers and police together are neither's count)
    ("casualties", "97 deaths", "The monitor also recorded 97 deaths among soldiers and police over the same period.",
     "part:police+soldiers"),
    ("casualties", "132", "Funerals were held for the 141 people, 132 of them children, killed on Tuesday.",
     "part:children"),
    ("casualties", "28", "Forty were wounded and 28 of them died.", PART),
    # one person's count of those she treated is a part; doctors or "they" may have treated them all
    ("casualties", "more than 20 wounded people",
     "She said she treated more than 20 wounded people in the hours after the rampage.", CARER),
    ("casualties", "52 people", "They treated 52 people.", ""),
])
def test_fact_key_golden(kind, quote, sentence, expected):
    assert fact_key(kind, quote, sentence, None, None) == expected


def _killed(quote, low, **kw):
    return dict(quote=quote, kind="casualties", outcome="killed", low=low, high=low, **kw)


def test_a_class_of_people_far_below_the_toll_or_broken_down_by_class_is_a_part():
    docs = [
        ("Tamber Wire", "Raid on Orlen village", D(2034, 2, 7),
         "Raid on Orlen village\n"
         "Gunmen killed at least 30 people in a raid on Orlen village on Tuesday, officials said.\n"
         "Four soldiers were killed when the raiders ambushed a patrol.",
         [_killed("at least 30 people", 30, subject="people", attributed_to="officials"),
          _killed("Four soldiers", 4, subject="soldiers")]),
        ("Esk Daily", "Orlen toll rises to 36", D(2034, 2, 8),
         "Orlen toll rises to 36\n"
         "The toll from Tuesday's raid on Orlen village rose to 36, police said.\n"
         "The dead included four soldiers, while 32 civilians were killed in their homes, police said.",
         [_killed("36", 36, attributed_to="police"),
          _killed("four soldiers", 4, subject="soldiers", attributed_to="police"),
          _killed("32 civilians", 32, subject="civilians", attributed_to="police")]),
        ("Harlow Post", "Orlen village mourns", D(2034, 2, 9),
         "Orlen village mourns\n"
         "Thirty-five villagers were killed in Tuesday's raid on Orlen village, the governor said.",
         [_killed("Thirty-five villagers", 35, subject="villagers", attributed_to="the governor")]),
    ]
    got = group_claims_explained(line_records(docs))
    groups = got.groups

    def where(q):
        return next(g for g in groups for r in g if r.claim.quote == q)

    assert where("Four soldiers") is where("four soldiers")
    assert where("four soldiers") is not where("36") and where("32 civilians") is not where("36")
    # a class counted near the toll, alone in its sentence, is a report of the toll ("35 villagers")
    assert where("Thirty-five villagers") is where("36") is where("at least 30 people")
    fp = next(r.fingerprint for g in groups for r in g if r.claim.quote == "32 civilians")
    assert got.reasons[fp].endswith("killed, part: civilians")


def _force(quote, low, high=None, **kw):
    return dict(quote=quote, kind="force_size", low=low, high=low if high is None else high, **kw)


def test_the_group_named_before_is_whose_strength_the_group_has():
    docs = [
        ("Tamber Wire", "The Velmoran Front regroups", D(2031, 3, 2),
         "The Velmoran Front regroups\n"
         "The Velmoran Front lost its commander on 1 March 2031, officials said.\n"
         "The group now has about 1,200 fighters, officials said.",
         [dict(quote="1 March 2031", kind="date", date="2031-03-01"),
          _force("about 1,200 fighters", 1200, subject="fighters", attributed_to="officials")]),
        ("Esk Daily", "Velmoran Front at 1,000", D(2033, 5, 9),
         "Velmoran Front at 1,000\n"
         "The Velmoran Front has some 1,000 fighters, a panel said.",
         [_force("some 1,000 fighters", 1000, subject="fighters", attributed_to="a panel")]),
        # two groups named before "the group": whose it is stays unknown
        ("Harlow Post", "Velmoran Front and Ostrel Militia clash", D(2034, 1, 4),
         "Velmoran Front and Ostrel Militia clash\n"
         "The Velmoran Front and the Ostrel Militia fought on 2 January 2034, officials said.\n"
         "The group has about 1,100 fighters, officials said.",
         [dict(quote="2 January 2034", kind="date", date="2034-01-02"),
          _force("about 1,100 fighters", 1100, subject="fighters", attributed_to="officials")]),
        # "the army" is no armed group named before
        ("Brask Radio", "Velmoran Front attack repelled", D(2035, 6, 1),
         "Velmoran Front attack repelled\n"
         "The Velmoran Front attacked a post on 30 May 2035, officials said.\n"
         "The army said it had 1,050 troops in the area.",
         [dict(quote="30 May 2035", kind="date", date="2035-05-30"),
          _force("1,050 troops", 1050, subject="troops")]),
    ]
    got = group_claims_explained(line_records(docs))

    def where(q):
        return next(g for g in got.groups for r in g if r.claim.quote == q)

    assert where("about 1,200 fighters") is where("some 1,000 fighters")
    assert where("about 1,100 fighters") is not where("some 1,000 fighters")
    assert where("1,050 troops") is not where("some 1,000 fighters")
    fp = next(r.fingerprint for r in where("about 1,200 fighters") if r.claim.quote == "about 1,200 fighters")
    assert got.reasons[fp].startswith("grouped because: same armed group - velmoran front")


def test_a_bombing_told_by_three_outlets_and_an_anniversary_piece():
    from tests.compare_outlets import BOMBING

    recs, leads, labels = extracted(BOMBING)
    g = group_claims_explained(recs, leads=leads)
    total = _of(g, "at least 22 people")
    for q in ("TWENTY-NINE commuters", "31 people"):
        assert _of(g, q) is total, q
    assert all(r in total for grp in g.groups for r in grp if r.claim.quote == "28")  # headline and body
    assert _same(g, "more than 60", "Seventy-one people")
    for part in ("Two policemen", "six of the victims", "41 of the injured", "four schoolchildren", "five people"):
        assert len(_of(g, part)) == 1, part
    # its strength "at its peak" is a fact of its own, neither its strength now nor the splinter's
    assert not _same(g, "several thousand fighters", "about 2,000 fighters@Atlas Newswire")
    assert not _same(g, "several thousand fighters", "around 600")
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0 and r >= 0.75, (p, r)


def test_an_overnight_raid_dated_to_either_night_is_one_attack_and_two_days_apart_are_two():
    def raid(outlet, published, town, day_word, day, toll):
        title = f"Gunmen raid {town}"
        return (outlet, title, published,
                f"{title}\n"
                f"Gunmen raided {town} village in Orlen district {day_word}, killing {toll} people, officials said.",
                [dict(quote=day_word.split()[-1], kind="date", date=day),
                 _killed(f"{toll} people", toll, subject="people", attributed_to="officials")])

    docs = [raid("Tamber Wire", D(2034, 2, 8), "Kessa", "late on Tuesday", "2034-02-07", 18),
            raid("Esk Daily", D(2034, 2, 8), "Kessa", "early on Wednesday", "2034-02-08", 21),
            raid("Harlow Post", D(2034, 2, 10), "Kessa", "on Thursday", "2034-02-09", 4)]
    groups = group_claims(line_records(docs))

    def where(q):
        return next(g for g in groups for r in g if r.claim.quote == q)

    assert where("18 people") is where("21 people")
    assert where("4 people") is not where("21 people")  # two days after the first night: another raid


def test_one_groups_strength_named_by_its_acronym_joins_across_places_and_years():
    docs = [
        ("Tamber Wire", "Raid in Kessa blamed on ORM", D(2034, 3, 2),
         "Raid in Kessa blamed on ORM\n"
         "Suspicion fell on the Orvan Ridge Movement (ORM), which officials say has between 1,500 and 2,000 "
         "fighters in Kessa province.",
         [_force("between 1,500 and 2,000 fighters", 1500, 2000, subject="fighters", attributed_to="officials")]),
        ("Esk Daily", "ORM grows in the Velt hills", D(2035, 6, 10),
         "ORM grows in the Velt hills\n"
         "A panel said the ORM now fields about 2,500 fighters in the Velt hills.\n"
         "The ORM can also muster about 300 recruits on motorcycles for a single raid.",
         [_force("about 2,500 fighters", 2500, subject="fighters", attributed_to="A panel"),
          _force("about 300 recruits", 300, subject="recruits")]),
        ("Harlow Post", "Army plays down the ORM", D(2036, 1, 5),
         "Army plays down the ORM\n"
         "A spokesman said the ORM had fewer than 1,000 men near Dorran.",
         [_force("fewer than 1,000 men", None, 1000, subject="men", attributed_to="A spokesman")]),
        # another group, the same figures: never joined
        ("Brask Radio", "Pellan Brigade in Kessa", D(2034, 3, 3),
         "Pellan Brigade in Kessa\n"
         "The Pellan Brigade (PB), a rival of the ORM, has about 2,000 fighters in Kessa province, officials said.",
         [_force("about 2,000 fighters", 2000, subject="fighters", attributed_to="officials")]),
    ]
    got = group_claims_explained(line_records(docs))

    def where(q):
        return next(g for g in got.groups for r in g if r.claim.quote == q)

    # "ORM" is the spelling used most, yet the name ends in "Movement": an armed group, wherever it was reported
    assert where("between 1,500 and 2,000 fighters") is where("about 2,500 fighters") is where("fewer than 1,000 men")
    fp = next(r.fingerprint for r in where("about 2,500 fighters") if r.claim.quote == "about 2,500 fighters")
    assert got.reasons[fp].startswith("grouped because: same armed group - orm")
    # recruits for one raid are a part counted in another unit; another group's strength is its own
    assert where("about 300 recruits") is not where("about 2,500 fighters")
    assert where("about 2,000 fighters") is not where("about 2,500 fighters")


def test_a_look_back_years_later_that_names_the_day_in_full_joins_the_first_reports():
    docs = [
        ("Tamber Wire", "Gunmen kill 20 at Sorrel market", D(2036, 5, 12),
         "Gunmen kill 20 at Sorrel market\n"
         "Gunmen killed at least 20 people at the market in Sorrel, Vanta province, on Monday, officials said.",
         [dict(quote="Monday", kind="date", date="2036-05-12"),
          _killed("at least 20 people", 20, subject="people", attributed_to="officials")]),
        ("Esk Daily", "Sorrel market toll rises to 26", D(2036, 5, 14),
         "Sorrel market toll rises to 26\n"
         "The toll from Monday's attack on the Sorrel market in Vanta province rose to 26, police said.",
         [dict(quote="Monday", kind="date", date="2036-05-12"), _killed("26", 26, attributed_to="police")]),
        # two years on, the day in a sentence of its own that names no happening
        ("Harlow Review", "Two years after Sorrel", D(2038, 5, 10),
         "Two years after Sorrel\n"
         "That changed on 12 May 2036.\n"
         "Shortly after noon, gunmen rode into the market at Sorrel in Vanta province.\n"
         "An inquiry later put the toll at 29.",
         [dict(quote="12 May 2036", kind="date", date="2036-05-12"), _killed("29", 29)]),
        # the same day in another look back, at another town's market: never the Sorrel attack
        ("Brask Monthly", "Two years after Dunmere", D(2038, 6, 1),
         "Two years after Dunmere\n"
         "That changed on 12 May 2036.\n"
         "Shortly after noon, gunmen rode into the market at Dunmere in Ostia province.\n"
         "An inquiry later put the toll at 24.",
         [dict(quote="12 May 2036", kind="date", date="2036-05-12"), _killed("24", 24)]),
    ]
    assert fact_key("date", "12 May 2036", "That changed on 12 May 2036.", None, None) == "?"
    # each document's opening, as Compare reads it (claims.compare.persist.document_leads)
    leads = {k: text[:400] for k, (_, _, _, text, _) in enumerate(docs, start=1)}
    got = group_claims_explained(line_records(docs), leads=leads)

    def where(q):
        return next(g for g in got.groups for r in g if r.claim.quote == q)

    assert where("at least 20 people") is where("26") is where("29")
    assert where("24") is not where("26")
    fp = next(r.fingerprint for r in where("29") if r.claim.quote == "29")
    assert "same incident - Sorrel" in got.reasons[fp] and got.reasons[fp].endswith("killed, total")


def test_a_past_attack_named_with_its_year_in_a_background_sentence_joins_that_attack():
    docs = [
        ("Tamber Wire", "Gunmen storm Kestrel Academy in Harrow Vale", D(2034, 10, 3),
         "Gunmen storm Kestrel Academy in Harrow Vale\n"
         "Velt Front gunmen stormed the Kestrel Academy in Harrow Vale on Tuesday, killing 120 people, "
         "including 104 children, officials said.",
         [dict(quote="Tuesday", kind="date", date="2034-10-03"),
          _killed("120 people", 120, subject="people", attributed_to="officials"),
          _killed("104 children", 104, subject="children", attributed_to="officials")]),
        ("Esk Daily", "Harrow Vale school toll rises to 131", D(2034, 10, 5),
         "Harrow Vale school toll rises to 131\n"
         "The toll from Tuesday's attack on the Kestrel Academy in Harrow Vale rose to 131, among them "
         "110 children, the army said.",
         [dict(quote="Tuesday", kind="date", date="2034-10-03"), _killed("131", 131, attributed_to="the army"),
          _killed("110 children", 110, subject="children", attributed_to="the army")]),
        # three years on, news of talks; the attack in a sentence about a span of years
        ("Harlow Post", "Velt Front agrees to talks", D(2037, 11, 9),
         "Velt Front agrees to talks\n"
         "The Velt Front has agreed to a one-month truce, officials said.\n"
         "The Velt Front is behind many attacks over the last 12 years, including the attack on a school in "
         "Harrow Vale which killed 110 children in 2034.\n"
         "The Velt Front also claimed a raid on a school in Dorran which killed 40 children in 2035.",
         [dict(quote="one-month", kind="duration", duration="P1M"),
          dict(quote="12 years", kind="duration", duration="P12Y"),
          _killed("110 children", 110, subject="children"),
          _killed("40 children", 40, subject="children")]),
    ]
    leads = {k: text[:400] for k, (_, _, _, text, _) in enumerate(docs, start=1)}
    got = group_claims_explained(line_records(docs), leads=leads)

    def where(q, outlet):
        return next(g for g in got.groups for r in g if r.claim.quote == q and r.publisher == outlet)

    assert where("110 children", "Harlow Post") is where("110 children", "Esk Daily") is where("104 children",
                                                                                              "Tamber Wire")
    # the children are a part of the toll, and another school's children are another attack's
    assert where("110 children", "Harlow Post") is not where("131", "Esk Daily")
    assert where("40 children", "Harlow Post") is not where("110 children", "Esk Daily")


def test_one_ceasefire_told_by_five_outlets_in_their_own_words():
    from tests.compare_outlets import CEASEFIRE

    recs, leads, labels = extracted(CEASEFIRE)
    g = group_claims_explained(recs, leads=leads)
    # "one-month" / "month-long" / "30-day"; "November 9" / "Nov. 9" / "9 November 2033", the last in a
    # sentence that also names the year talks collapsed; the end day apart from the start
    assert _same(g, "month-long", "30-day") and _same(g, "month-long", "one-month@The Continental Review")
    assert _same(g, "Nov. 9", "9 November 2033") and _same(g, "November 9@The Continental Review", "Nov. 9")
    assert _same(g, "Dec. 9", "December 9, 2033") and not _same(g, "Dec. 9", "Nov. 9")
    # another region's truce that week, a year and the day a statement was made are other facts
    assert not _same(g, "15-day", "30-day") and not _same(g, "November 1", "Nov. 9")
    assert not _same(g, "2029", "Dec. 9")
    fp = next(r.fingerprint for r in _of(g, "30-day"))
    assert g.reasons[fp].endswith("same quantity - duration, ceasefire")
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0 and r >= 0.9, (p, r)


def test_the_rebel_group_and_it_put_at_a_count_are_the_armed_group_named_before():
    docs = [
        ("Tamber Wire", "Korran Legion at 3,000", D(2034, 2, 1),
         "Korran Legion at 3,000\n"
         "The Korran Legion has about 3,000 fighters, officials said.",
         [_force("about 3,000 fighters", 3000, subject="fighters", attributed_to="officials")]),
        ("Esk Daily", "Korran Legion seizes Tesk", D(2035, 3, 4),
         "Korran Legion seizes Tesk\n"
         "Korran Legion fighters seized Tesk on Friday, killing 12 people, police said.\n"
         "The rebel group said in a statement that it now had as many as 5,000 members.",
         [dict(quote="Friday", kind="date", date="2035-03-02"),
          _killed("12 people", 12, subject="people", attributed_to="police"),
          _force("as many as 5,000 members", None, 5000, subject="members", attributed_to="rebel group")]),
        ("Harlow Review", "Why the Korran hills still burn", D(2036, 5, 6),
         "Why the Korran hills still burn\n"
         "The Korran Legion was founded in 2030 by a former teacher.\n"
         "A UN panel put it at about 4,000 fighters in 2035.",
         [dict(quote="2030", kind="date", date="2030"),
          _force("about 4,000 fighters", 4000, subject="fighters", attributed_to="A UN panel")]),
        # "the rival group" is another group: never the Legion's strength
        ("Brask Radio", "Clashes near Orsk", D(2035, 6, 19),
         "Clashes near Orsk\n"
         "Korran Legion fighters clashed with the Asher Front near Orsk on Monday, killing 4 people, police said.\n"
         "The rival group said it had about 3,500 fighters.",
         [dict(quote="Monday", kind="date", date="2035-06-18"),
          _killed("4 people", 4, subject="people", attributed_to="police"),
          _force("about 3,500 fighters", 3500, subject="fighters")]),
    ]
    got = group_claims_explained(line_records(docs))

    def where(q):
        return next(g for g in got.groups for r in g if r.claim.quote == q)

    assert where("about 3,000 fighters") is where("as many as 5,000 members") is where("about 4,000 fighters")
    assert where("about 3,500 fighters") is not where("about 3,000 fighters")
    fp = next(r.fingerprint for r in where("about 4,000 fighters") if r.claim.quote == "about 4,000 fighters")
    assert got.reasons[fp].startswith("grouped because: same armed group - korran legion")


def test_a_nurses_own_count_is_no_report_of_the_wounded():
    docs = [
        ("Tamber Wire", "Gunmen kill 30 at Orlen market", D(2034, 2, 7),
         "Gunmen kill 30 at Orlen market\n"
         "Gunmen killed 30 people at the market in Orlen on Tuesday and wounded 48 others, officials said.",
         [dict(quote="Tuesday", kind="date", date="2034-02-07"),
          _killed("30 people", 30, subject="people", attributed_to="officials"),
          dict(quote="48 others", kind="casualties", outcome="injured", low=48, high=48, subject="others",
               attributed_to="officials")]),
        ("Esk Daily", "Orlen market attack: nurse tells of horror", D(2034, 2, 9),
         "Orlen market attack: nurse tells of horror\n"
         "Gunmen stormed the Orlen market on Tuesday, wounding 52 people, police said.\n"
         "She said she treated more than 20 wounded people in the hours after the attack.",
         [dict(quote="Tuesday", kind="date", date="2034-02-07"),
          dict(quote="52 people", kind="casualties", outcome="injured", low=52, high=52, subject="people",
               attributed_to="police"),
          dict(quote="more than 20 wounded people", kind="casualties", outcome="injured", low=20, high=None,
               subject="wounded people")]),
    ]
    got = group_claims_explained(line_records(docs))

    def where(q):
        return next(g for g in got.groups for r in g if r.claim.quote == q)

    assert where("48 others") is where("52 people")
    assert where("more than 20 wounded people") is not where("52 people")
    fp = next(r.fingerprint for r in where("more than 20 wounded people"))
    assert got.reasons[fp].endswith("injured, part: one carer's count")


def test_a_unit_named_with_a_class_word_counts_its_head_noun():
    from claims.compare.features import subject_class

    # a class word inside a unit's name counts nothing; a list keeps its first
    assert subject_class("Kestrel Reserve Police Force personnel") == ("soldiers", False)
    assert subject_class("police personnel") == ("police", False)
    assert subject_class("At Least 12 Mexican Police Officials") == ("police", False)  # a title-case headline
    assert subject_class("security forces and civilians") == ("soldiers", False)
    docs = [
        ("Tamber Wire", "Convoy bombed near Orlen", D(2034, 2, 7),
         "Convoy bombed near Orlen\n"
         "Nearly 40 paramilitary troopers were killed when a car bomb struck their convoy near Orlen on Tuesday.",
         [dict(quote="Tuesday", kind="date", date="2034-02-07"),
          dict(quote="Nearly 40 paramilitary troopers", kind="casualties", outcome="killed", low=None, high=40,
               subject="paramilitary troopers")]),
        ("Esk Daily", "At least 30 killed in Orlen convoy attack", D(2034, 2, 7),
         "At least 30 killed in Orlen convoy attack\n"
         "At least 30 Kestrel Reserve Police Force personnel were killed near Orlen on Tuesday when a bomber "
         "rammed their convoy.\n"
         "Three police officers guarding the road were also killed, police said.",
         [dict(quote="Tuesday", kind="date", date="2034-02-07"),
          dict(quote="At least 30 Kestrel Reserve Police Force personnel", kind="casualties", outcome="killed",
               low=30, high=None, subject="Kestrel Reserve Police Force personnel"),
          _killed("Three police officers", 3, subject="police officers", attributed_to="police")]),
    ]
    got = group_claims_explained(line_records(docs))

    def where(q):
        return next(g for g in got.groups for r in g if r.claim.quote == q)

    assert where("Nearly 40 paramilitary troopers") is where("At least 30 Kestrel Reserve Police Force personnel")
    assert where("Three police officers") is not where("Nearly 40 paramilitary troopers")


def test_a_school_attack_told_that_week_and_in_anniversary_pieces_years_later():
    # three outlets that week; anniversary pieces one year on (the day in full), five years on (only the
    # year, inside a sentence about a decade) and six years on ("Six years ago, ...")
    from tests.compare_outlets import SCHOOL

    recs, leads, labels = extracted(SCHOOL)
    g = group_claims_explained(recs, leads=leads)
    # the toll and the children among it, from the first day to a piece five years on that names only the year
    assert _same(g, "at least 120 people", "141 people@Korlo Times")
    # "Six years ago, gunmen stormed the Kestrel Academy ..., killing 141 people": the year its date gives
    assert _same(g, "at least 120 people", "141 people@Radio Samara")
    assert _same(g, "132 children@Korlo Times", "132 children@The Continental Review")
    assert not _same(g, "132 children@Korlo Times", "at least 120 people")
    # another school attacked that year in another town is another attack
    assert not _same(g, "40 pupils", "132 children@The Continental Review")
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0 and r >= 0.9, (p, r)


def test_an_armed_group_of_the_alias_table_is_what_the_group_refers_back_to():
    docs = [
        ("Monitoring Team", "Report of the Monitoring Team", D(2031, 6, 1),
         "Report of the Monitoring Team\n"
         "Tehreek-e-Taliban Pakistan remains active along the border.\n"
         "The group's strength is estimated at between 3,000 and 5,000 fighters.",
         [_force("between 3,000 and 5,000 fighters", 3000, 5000, subject="fighters")]),
        ("Gulf Daily", "Pakistan, TTP agree truce", D(2032, 11, 9),
         "Pakistan, TTP agree truce\n"
         "There are around 6,000 TTP fighters based across the border, according to a UN report.",
         [_force("around 6,000 TTP fighters", 6000, subject="TTP fighters", attributed_to="UN report")]),
        # another armed group of the table, the same size: never the TTP's
        ("Kabul Ledger", "IS-K grows in the east", D(2032, 3, 2),
         "IS-K grows in the east\n"
         "Islamic State Khorasan is active in Nangarhar.\n"
         "The group's strength is put at about 4,000 fighters.",
         [_force("about 4,000 fighters", 4000, subject="fighters")]),
    ]
    leads = {k: text[:400] for k, (_, _, _, text, _) in enumerate(docs, start=1)}
    got = group_claims_explained(line_records(docs), leads=leads)

    def where(q):
        return next(g for g in got.groups for r in g if r.claim.quote == q)

    assert where("between 3,000 and 5,000 fighters") is where("around 6,000 TTP fighters")
    assert where("about 4,000 fighters") is not where("around 6,000 TTP fighters")


def test_a_year_an_attack_is_compared_with_dates_no_claim():
    from claims.compare.features import sentence_year

    assert sentence_year("In an attack worse than the 2029 one at Tarn market, five attackers entered.",
                         "five attackers") is None
    assert sentence_year("Gunmen killed 12, the deadliest attack on the city since 2029.", "12") is None
    assert sentence_year("It was the deadliest attack in Tarn since 2029, when a bomber killed nine people.",
                         "nine people") == 2029  # the claim tells of the year compared with
    assert sentence_year("Together they killed 42 people, the worst week of violence since the Vell school siege "
                         "in 2029.", "42 people") is None
    # a count over the years since, and the year of the attack itself, still date the claim
    assert sentence_year("The Front has killed 61 people since 2029.", "61 people") == 2029
    assert sentence_year("The 2029 attack on the school, which killed 132 children", "132 children") == 2029
    docs = [
        ("Tamber Wire", "Gunmen storm Orlen college", D(2034, 4, 2),
         "Gunmen storm Orlen college\n"
         "At least five attackers stormed the Orlen college on Thursday, officials said.",
         [dict(quote="Thursday", kind="date", date="2034-04-02"),
          _force("At least five attackers", 5, high=None, subject="attackers", attributed_to="officials")]),
        ("Esk Daily", "Orlen college siege ends", D(2034, 4, 3),
         "Orlen college siege ends\n"
         "In an attack worse than the 2029 one at Tarn market, five attackers stormed the Orlen college on "
         "Thursday.",
         [dict(quote="Thursday", kind="date", date="2034-04-02"),
          _force("five attackers", 5, subject="attackers")]),
    ]
    groups = group_claims(line_records(docs))
    assert next(g for g in groups for r in g if r.claim.quote == "five attackers") is \
        next(g for g in groups for r in g if r.claim.quote == "At least five attackers")
