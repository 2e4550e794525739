"""A truce's length in days and in months, in one report and across outlets (FICTIONAL, issue 13).

Every place, person, group and outlet here is INVENTED (no real event). A wire and a UN-style update report
one truce, each giving its length twice: "a 30-day truce" and "the month-long ceasefire". A month is 28 to
31 days, so both are one length; a 60-day extension is another.
"""
from __future__ import annotations

import datetime as dt

from tests.compare_outlets import group_of, grouped

D = dt.date
U = "duration"

DOCS = [
    ("Orrin Wire", D(2045, 3, 22),
     "Osland government, Tarn Front agree 30-day truce from April 1\n\n"
     "KELMAR, March 22 (Orrin Wire) - Osland's government and the Tarn Front have agreed a 30-day truce in "
     "Kessel province starting on April 1, the UN mission said.\n\n"
     "Both sides committed to letting aid convoys into the hills during the month-long ceasefire, the "
     "mission's head said.",
     [("30-day", U, "truce/length"), ("month-long", U, "truce/length")]),
    ("UN Mission in Osland", D(2045, 3, 24),
     "Osland: Situation Update No. 12\n\n"
     "On 22 March, the Government of Osland and the Tarn Front agreed a 30-day truce in Kessel province, to "
     "begin on 1 April. The mission will monitor the month-long ceasefire with 40 observers. Both sides said "
     "they were ready to discuss a 60-day extension.",
     [("30-day", U, "truce/length"), ("month-long", U, "truce/length"), ("60-day", U, "truce/extension")]),
]


def test_a_month_long_truce_is_the_30_day_truce_of_the_same_report():
    recs, labels, g = grouped(DOCS)
    assert group_of(g, "month-long", 1) == group_of(g, "30-day", 1) == group_of(g, "30-day", 2)
    assert group_of(g, "month-long", 2) == group_of(g, "30-day", 1)
    assert group_of(g, "60-day", 2) != group_of(g, "30-day", 1)


# A reporter's "four-week pause" is the 30-day truce of the same report (and the month-long truce of another
# outlet), though one voice's two lengths are otherwise two facts; a one-week amnesty is another length.
WEEKS = [
    ("Orrin Wire", D(2046, 5, 2),
     "Osland government, Tarn Front agree 30-day truce\n\n"
     "KELMAR, May 2 (Orrin Wire) - Osland's government and the Tarn Front agreed on Thursday a 30-day truce in "
     "Kessel province. Officials on both sides have also described it as a four-week pause. A one-week "
     "amnesty for deserters begins on Monday.",
     [("30-day", U, "truce/length"), ("four-week", U, "truce/length"), ("one-week", U, "amnesty/length")]),
    ("Halden Daily", D(2046, 5, 3),
     "Tarn truce agreed\n\n"
     "The government and the Tarn Front have agreed a truce of a month in Kessel province, officials said.",
     [("a month", U, "truce/length")]),
]


def test_a_length_in_weeks_is_the_same_length_in_days_or_months():
    recs, labels, g = grouped(WEEKS)
    truce = group_of(g, "30-day", 1)
    assert group_of(g, "four-week", 1) == truce == group_of(g, "a month", 2)
    assert group_of(g, "one-week", 1) != truce
