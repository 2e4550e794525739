"""Property tests: grouping partitions any claims, and reconciliation never raises on any figures."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.compare import group_claims
from claims.compare.reconcile import reconcile
from claims.model import Claim, ClaimRecord, Kind, Outcome, Verdict

WORDS = ["Peshawar", "TTP", "Tehreek-e-Taliban", "school", "attack", "in", "at", "near", "the", "killed", "people",
         "Army Public School", "2014", "2021", "<script>", "’s", "-", "Quetta", "market", "blast", "Monday", ""]

figures = st.one_of(st.none(), st.floats(min_value=0, max_value=1e7, allow_nan=False), st.integers(0, 10**6))


@st.composite
def records(draw):
    n = draw(st.integers(0, 25))
    out = []
    for i in range(n):
        kind = draw(st.sampled_from(list(Kind)))
        words = draw(st.lists(st.sampled_from(WORDS) | st.text(max_size=12), max_size=25))
        sentence = " ".join(words)
        low, high = draw(figures), draw(figures)
        c = Claim(kind=kind, start=0, end=1, quote=draw(st.text(max_size=8)), sentence=sentence, low=low, high=high,
                  approximate=draw(st.booleans()),
                  outcome=draw(st.sampled_from([None, Outcome.KILLED, Outcome.INJURED])),
                  subject=draw(st.sampled_from([None, "children", "pupils", "soldiers", "people", "x"])),
                  date=draw(st.sampled_from([None, "2014", "2014-12", "2014-12-16", "2014-13-40", "soon"])),
                  duration=draw(st.sampled_from([None, "P1M", "PT8H", "P14Y", "P", "forever"])),
                  attributed_to=draw(st.sampled_from([None, "police", "TTP"])))
        out.append(ClaimRecord(
            id=i + 1, document_id=draw(st.integers(1, 6)), fingerprint=f"f{i}", extractor_version="p", claim=c,
            title=draw(st.sampled_from([None, "", "Attack In Peshawar", "Blast at Quetta market"])),
            publisher=draw(st.sampled_from([None, "A", "B"])),
            published=draw(st.sampled_from([None, dt.date(2014, 12, 16), dt.date(2021, 11, 9)])),
            verdict=draw(st.sampled_from(list(Verdict)))))
    return out


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_grouping_partitions_any_records(recs):
    groups = group_claims(recs)
    ids = sorted(r.id for g in groups for r in g)
    assert ids == sorted(r.id for r in recs)
    for g in groups:
        assert len({(r.claim.kind, r.claim.outcome) for r in g}) == 1  # one kind and outcome per group


def test_a_day_that_reads_as_no_date_dates_nothing():
    """A corrected date the calendar lacks ("2014-13-40"), in a look back at an attack and beside a toll of
    another place, is no attack day: grouping still partitions the claims."""
    def rec(i, doc, kind, sentence, quote, published, title, **values):
        c = Claim(kind=kind, start=i, end=i + 1, quote=quote, sentence=sentence, approximate=False, **values)
        return ClaimRecord(id=i, document_id=doc, fingerprint=f"f{i}", extractor_version="p", claim=c, title=title,
                           publisher="A", published=published, verdict=Verdict.UNREVIEWED)
    later, then = dt.date(2021, 11, 9), dt.date(2014, 12, 16)
    killed = dict(low=12, high=12, outcome=Outcome.KILLED)
    recs = [rec(1, 1, Kind.DATE, "Gunmen attacked the school in Peshawar on 2014-13-40", "2014-13-40", later,
                "Attack In Peshawar", date="2014-13-40"),
            rec(2, 1, Kind.CASUALTIES, "A blast at the market in Quetta killed 12 people", "12 people", later,
                "Attack In Peshawar", **killed),
            rec(3, 2, Kind.CASUALTIES, "A blast at the market in Quetta killed 12 people", "12 people", then,
                "Blast at Quetta market", **killed),
            rec(4, 2, Kind.DATE, "The blast at the market in Quetta on 2014-12-16", "2014-12-16", then,
                "Blast at Quetta market", date="2014-12-16")]
    assert sorted(r.id for g in group_claims(recs) for r in g) == [1, 2, 3, 4]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records(), st.sampled_from(["conservative", "best", "latest"]))
def test_reconcile_never_raises_and_orders_its_figures(recs, rule):
    for g in group_claims(recs):
        rc = reconcile(g, rule=rule)
        # Claims count members; reports count the documents among them (a document's repeats are one).
        assert rc.claims + rc.excluded == len(g)
        credible_docs = {r.document_id for r, row in zip(g, rc.ledger) if row.credible}
        assert rc.reports == len(credible_docs) <= rc.claims
        assert 0 <= rc.independent_sources <= rc.reports
        if rc.low is not None and g[0].claim.kind in (Kind.CASUALTIES, Kind.FORCE_SIZE, Kind.FIGURE):
            assert float(rc.low) <= float(rc.best) + 1 and float(rc.best) <= float(rc.high) + 1
