"""A truce covered by three outlets in a FICTIONAL country, one of them a town paper (issue 13).

Every place, person, group and outlet here is INVENTED (no real event). The town paper's story
opens on "Market Street": a street's name, not a market that was attacked. Read as a target it made
the story an incident of its own ("market ceasefire") and split the truce's length and start
across two groups. A market that was the target still counts as one, and two attacks at different
targets stay apart.
"""
from __future__ import annotations

import datetime as dt

from claims.compare.features import text_cues
from claims.compare.grouping import group_claims_explained
from tests.compare_outlets import extracted, pair_scores

D = dt.date
DU, DA = "duration", "date"

DOCS = [
    ("Meridian Wire", D(2036, 2, 4),
     "Ostvale government, Tarn Hills rebels agree one-month truce\n\n"
     "PORT ELLIS, Feb 4 (Meridian) - Ostvale's government and the Tarn Hills Front agreed on Wednesday to a "
     "one-month truce that will begin on February 9, mediators said.",
     [("one-month", DU, "truce/length"), ("February 9", DA, "truce/start")]),
    ("Ostvale Daily", D(2036, 2, 5),
     "Ostvale ceasefire: what we know\n\n"
     "A 30-day ceasefire between Ostvale's government and the Tarn Hills Front begins on Feb. 9, mediators "
     "announced on Wednesday.",
     [("30-day", DU, "truce/length"), ("Feb. 9", DA, "truce/start")]),
    ("Dunmere Courier", D(2036, 2, 6),
     "Dunmere hopes, and fears, as month-long truce nears\n\n"
     "By our Dunmere staff\n\n"
     "Shopkeepers on Market Street were cautious on Thursday as the town prepared for the month-long truce "
     "between the government and the Tarn Hills Front, which begins on 9 February.",
     [("month-long", DU, "truce/length"), ("9 February", DA, "truce/start")]),
]


def test_a_street_named_for_a_market_is_no_target():
    assert text_cues("Shopkeepers on Market Street were cautious.").sites == frozenset()
    assert text_cues("Traders left Church Road before dawn.").sites == frozenset()
    # never a street: the market itself, in any case, and a target at the end of a name
    assert text_cues("A bomb at the market killed 20.").sites == {"market"}
    assert text_cues("Bomb Kills 20 At Market In Dunmere").sites == {"market"}
    assert text_cues("Gunmen stormed the Dunmere Model Secondary School.").sites == {"school"}


def test_the_town_papers_truce_joins_the_others():
    recs, leads, labels = extracted(DOCS)
    g = group_claims_explained(recs, leads=leads)
    where = {(r.document_id, r.claim.quote): id(grp) for grp in g.groups for r in grp}
    assert where[(3, "month-long")] == where[(1, "one-month")] == where[(2, "30-day")]
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0 and r >= 0.5, (p, r)
