"""A news round-up that tells of a bombing and of a disaster elsewhere (FICTIONAL, issue 13).

Every place, person and outlet here is INVENTED (no real event). A wire and a radio report a car bomb at
a checkpoint outside Mestra; a world-in-brief round-up of the same day has the bombing in one item and a
cyclone on the island of Sorel in another, each with its toll. The cyclone's toll is no figure of the
bombing, although the round-up's headline is about the bombing and its toll is the same number.
"""
from __future__ import annotations

import datetime as dt

import pytest

from tests.compare_outlets import group_of, grouped, pair_scores

D = dt.date
K = "casualties"

DOCS = [
    ("Orrin Wire", D(2043, 9, 6),
     "Car bomb kills 17 at Mestra checkpoint\n\n"
     "MESTRA, Sept 6 (Orrin Wire) - A car bomb killed 17 people at a police checkpoint outside Mestra on "
     "Saturday, the interior ministry said.",
     [("17 people", K, "mestra/killed")]),
    ("Halden Radio", D(2043, 9, 7),
     "World in brief: car bomb in Mestra; cyclone hits Sorel\n\n"
     "VELANDRA: Checkpoint bombing\n"
     "A suicide car bomb killed 17 people at a police checkpoint outside Mestra on Saturday, officials said.\n\n"
     "SOREL: Cyclone toll\n"
     "Cyclone Irma has killed 17 people on the island of Sorel, the civil protection agency said, and cut "
     "power to much of the capital.",
     [("17 people", K, "mestra/killed"), ("17 people#1", K, "sorel/killed")]),
]


@pytest.fixture(scope="module")
def coverage():
    return grouped(DOCS)


def test_a_disaster_in_a_round_up_is_not_the_bombings(coverage):
    recs, labels, g = coverage
    bombing = group_of(g, "17 people", 1)
    cyclone = next(id(grp) for grp in g.groups for r in grp
                   if r.document_id == 2 and r.claim.quote == "17 people" and "Cyclone" in (r.claim.sentence or ""))
    assert cyclone != bombing
    assert sum(1 for grp in g.groups if id(grp) == bombing for r in grp if r.document_id == 2) == 1
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)
