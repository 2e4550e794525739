"""Two bombings in two towns of a FICTIONAL country, told in one sentence (issue 13).

Every place, person and outlet here is INVENTED (no real event). A report of the second bombing
recalls the first in the same sentence ("A bomb exploded in the town of Tarrow ..., killing at least
17 people and injuring 29, ..., two days after a bombing in Quellan killed 22"). Each count belongs
to the town it is placed in: its own clause's, else the nearest one named before it. Precision first:
no toll of one town joins the other's.
"""
from __future__ import annotations

import datetime as dt

import pytest

from claims.compare.events import quote_place
from claims.compare.grouping import group_claims_explained
from tests.compare_outlets import extracted, pair_scores
from tests.test_compare_two_bombings import DOCS as BOMBINGS

D = dt.date
K = "casualties"
Q, T = "quellan/killed", "tarrow/killed"

# The two-bombings coverage, with the Tarrow report recalling the Quellan toll in its opening sentence.
DOCS = [d for d in BOMBINGS if d[0] != "Ostmark Press Agency"] + [
    ("Ostmark Press Agency", D(2032, 5, 13),
     "Blast at Tarrow fish market kills 17\n\n"
     "TARROW, Ostmark, May 13 (OPA) - A bomb exploded in the crowded fish market in the town of Tarrow on "
     "Thursday, killing at least 17 people and injuring 29, the regional police chief said, two days after a "
     "bombing in Quellan killed 22.",
     [("at least 17 people", K, T), ("29", K, "tarrow/injured"), ("22", K, Q)]),
]


@pytest.mark.parametrize("sentence, quote, place", [
    # the clause's own town
    ("A bomb killed 22 in Quellby, and a blast at a market in Ferrow two days later killed 17.", "17", "Ferrow"),
    ("A bomb killed 22 in Quellby, and a blast at a market in Ferrow two days later killed 17.", "22", "Quellby"),
    # none in the clause: the nearest before it
    ("A bomb exploded in the town of Ferrow, killing 17 people, two days after a bombing in Quellby killed 22.",
     "17 people", "Ferrow"),
    # none before it either: nothing
    ("Seventeen people died, police in Ferrow said.", "Seventeen people", None),
])
def test_a_count_is_placed_in_its_clauses_town_else_the_nearest_before(sentence, quote, place):
    assert quote_place(sentence, quote, ["Quellby", "Ferrow"]) == place


def test_no_toll_of_one_town_joins_the_others():
    recs, leads, labels = extracted(DOCS)
    g = group_claims_explained(recs, leads=leads)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0 and r >= 0.45, (p, r)
