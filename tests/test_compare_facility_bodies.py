"""A facility's count of bodies beside the toll (FICTIONAL, issue 13).

Every place, person and outlet here is INVENTED (no real event). A wire reports a bombing at the Tarn bus
station; a monitoring group's bulletin gives its own toll and what the town hospital's register lists.
The register's bodies are the hospital's count, a part of the toll, not another report of it.
"""
from __future__ import annotations

import datetime as dt

from tests.compare_outlets import group_of, grouped, pair_scores

D = dt.date
K = "casualties"

DOCS = [
    ("Orrin Wire", D(2046, 4, 8),
     "Bomb kills 31 at Tarn bus station\n\n"
     "TARN, April 8 (Orrin Wire) - A bomb killed 31 people at the bus station in Tarn on Saturday, police "
     "said.",
     [("31 people", K, "tarn/killed")]),
    ("Tarn Monitor", D(2046, 4, 12),
     "Tarn bus station bombing: what we documented\n\n"
     "Thirty-three people died in the bombing of the Tarn bus station on Saturday, April 7, the interior "
     "ministry said. The Tarn General Hospital's register lists 20 bodies received and 40 injured admitted.",
     [("Thirty-three people", K, "tarn/killed"), ("20 bodies", K, "tarn/hospital-bodies")]),
]


def test_a_facilitys_count_of_bodies_is_its_part_of_the_toll():
    recs, labels, g = grouped(DOCS)
    assert group_of(g, "31 people", 1) == group_of(g, "Thirty-three people", 2)
    assert group_of(g, "20 bodies", 2) != group_of(g, "31 people", 1)
    p, r, _ = pair_scores(g.groups, labels)
    assert p == 1.0, (p, r)


# The bodies a named doctor says were brought to the hospital: the hospital's count, whoever gives it.
BROUGHT = [
    ("Orrin Wire", D(2044, 2, 3),
     "Bomb kills 30 at Velm depot\n\n"
     "VELM - At least 30 people were killed when a bomb struck the bus depot in Velm on Tuesday, officials "
     "said.\n\n"
     "According to the director of Velm District Hospital, Dr Ines Marr, 18 bodies and 40 of the wounded were "
     "brought to the hospital; the rest were taken to a military clinic.",
     [("At least 30 people", K, "velm/killed"), ("18 bodies", K, "velm/hospital-bodies")]),
    ("Halden Daily", D(2044, 2, 4),
     "Velm depot toll rises to 33\n\n"
     "The toll from Tuesday's bombing of the Velm bus depot rose to 33, police said.",
     [("33", K, "velm/killed")]),
]


def test_bodies_brought_to_a_hospital_are_its_count_whoever_gives_it():
    recs, labels, g = grouped(BROUGHT)
    assert group_of(g, "At least 30 people", 1) == group_of(g, "33", 2)
    assert group_of(g, "18 bodies", 1) != group_of(g, "33", 2)


# Bodies recovered at the scene, where the sentence goes on "and the wounded have been taken to the hospital", are
# no hospital's count: the hospital is where the wounded went.
RECOVERED = [
    ("Orrin Wire", D(2046, 11, 14),
     "Bomb kills 18 at Iravan ferry terminal\n\n"
     "IRAVAN - A bomb exploded at the ferry terminal in Iravan on Tuesday. \"We have recovered 18 bodies so "
     "far, and the wounded have been taken to the provincial hospital,\" the police director told reporters.",
     [("18 bodies", K, "iravan/killed")]),
    ("Halden Daily", D(2046, 11, 15),
     "Iravan ferry bombing toll reaches 21\n\n"
     "The toll from Tuesday's bombing of the Iravan ferry terminal rose to 21, police said.",
     [("21", K, "iravan/killed")]),
]


def test_bodies_recovered_while_the_wounded_went_to_hospital_are_the_toll():
    recs, labels, g = grouped(RECOVERED)
    assert group_of(g, "18 bodies", 1) == group_of(g, "21", 2)
