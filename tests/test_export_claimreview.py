"""ClaimReview export: every object validates against the JSON Schema written from schema.org's definitions."""
from __future__ import annotations

import copy
import io
import json

import jsonschema
import pytest

from claims.export import export_to
from claims.export.claimreview import (
    RATING, ReviewOrg, author_entity, claim_review, is_reviewable, load_schema,
)
from claims.model import Verdict
from tests.test_export_fixtures import reviewed_store

VALIDATOR = jsonschema.Draft202012Validator(load_schema())


def _row(**kw):
    row = {"fingerprint": "0" * 32, "id": 7, "quote": "At least 12 people",
           "sentence": "At least 12 people were killed, Mira Castellan said, and 30 were injured.",
           "kind": "casualties", "low": 12, "high": None, "extracted_low": 12, "extracted_high": None,
           "outcome": "killed", "subject": "people",
           "verdict": "false", "note": "Hospital list shows 9.", "attributed_to": "Mira Castellan",
           "publisher": "Ostravia Wire", "url": "https://news.example/a", "title": "Blast",
           "published": "2026-03-02", "reviewed_at": "2026-03-05T10:00:00+00:00"}
    row.update(kw)
    return row


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(load_schema())


@pytest.mark.parametrize("verdict", sorted(RATING))
def test_each_published_verdict_validates(verdict):
    obj = claim_review(_row(verdict=verdict), org=ReviewOrg(name="Desk", url="https://desk.example"))
    VALIDATOR.validate(obj)
    rating = obj["reviewRating"]
    assert rating["alternateName"].lower() == verdict
    if RATING[verdict] is None:
        assert "ratingValue" not in rating
    else:
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]


def test_claimreview_carries_claim_article_and_reviewer():
    obj = claim_review(_row(), org=ReviewOrg(name="Desk", url="https://desk.example",
                                             review_url="https://desk.example/checks/{fingerprint}"))
    assert obj["claimReviewed"] == "At least 12 people were killed, according to Mira Castellan"
    assert obj["itemReviewed"]["author"] == {"@type": "Person", "name": "Mira Castellan"}
    assert obj["itemReviewed"]["datePublished"] == "2026-03-02"
    assert obj["itemReviewed"]["appearance"]["url"] == "https://news.example/a"
    assert obj["itemReviewed"]["appearance"]["publisher"]["name"] == "Ostravia Wire"
    assert obj["author"] == {"@type": "Organization", "name": "Desk", "url": "https://desk.example"}
    assert obj["datePublished"] == "2026-03-05"
    assert obj["url"] == "https://desk.example/checks/" + "0" * 32


@pytest.mark.parametrize("name,kind", [
    ("Mira Castellan", "Person"), ("Anselm Varga", "Person"), ("the provincial health ministry", "Organization"),
    ("ISPR", "Organization"), ("UN report", "Organization"), ("police", "Organization"),
    ("Health Ministry", "Organization"), ("TTP spokesperson", "Organization"),
])
def test_attribution_becomes_person_or_organization(name, kind):
    assert author_entity(name)["@type"] == kind


def test_unattributed_claim_is_authored_by_its_publisher():
    obj = claim_review(_row(attributed_to=None), org=ReviewOrg(name="Desk"))
    assert obj["itemReviewed"]["author"] == {"@type": "Organization", "name": "Ostravia Wire"}
    VALIDATOR.validate(obj)


@pytest.mark.parametrize("mutate", [
    lambda o: o.pop("claimReviewed"),
    lambda o: o["reviewRating"].pop("alternateName"),
    lambda o: o.__setitem__("claimReview", "typo"),
    lambda o: o["itemReviewed"].__setitem__("@type", "Thing"),
    lambda o: o["author"].__setitem__("@type", "Robot"),
    lambda o: o.__setitem__("datePublished", "05/03/2026"),
    lambda o: o["itemReviewed"]["appearance"].__setitem__("url", "javascript:alert(1)"),
])
def test_schema_rejects_broken_objects(mutate):
    obj = claim_review(_row(), org=ReviewOrg(name="Desk"))
    bad = copy.deepcopy(obj)
    mutate(bad)
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(bad)


def test_store_export_validates_and_skips_unreviewed_and_not_a_claim(store):
    reviewed_store(store)
    buf = io.StringIO()
    res = export_to(store, None, fmt="claimreview", out=buf, groups=None, org=ReviewOrg(name="Desk"))
    objs = json.loads(buf.getvalue())
    want = [r for r in store.iter_claims(None) if is_reviewable({"verdict": r.verdict.value})]
    assert len(objs) == res["claims"] == len(want)
    assert Verdict.NOT_A_CLAIM.value not in {o["reviewRating"]["alternateName"].lower() for o in objs}
    for o in objs:
        VALIDATOR.validate(o)
    assert {o["identifier"] for o in objs} == {r.fingerprint for r in want}


def test_claimreview_output_cannot_close_a_script_element():
    from claims.export.claimreview import write_claimreview

    hostile = 'He said "</script><script>alert(1)</script>" & left.'
    buf = io.StringIO()
    write_claimreview([_row(kind="figure", quote=hostile, subject=None, note="<b>bold</b>", attributed_to=None)], buf,
                      org=ReviewOrg(name="A & B"))
    text = buf.getvalue()
    assert "<" not in text and ">" not in text and "&" not in text
    obj = json.loads(text)[0]
    assert obj["claimReviewed"] == hostile and obj["author"]["name"] == "A & B"
    VALIDATOR.validate(obj)


def test_claim_reviewed_states_each_claims_figure_not_the_sentence():
    """Issue 14, bug 2: two claims of one sentence with opposite ratings had identical claimReviewed text."""
    org = ReviewOrg(name="Desk")
    killed = claim_review(_row(verdict="verified"), org=org)
    injured = claim_review(_row(verdict="false", quote="30", low=30, high=30, extracted_low=30,
                                extracted_high=30, outcome="injured", subject=None), org=org)
    assert killed["claimReviewed"] == "At least 12 people were killed, according to Mira Castellan"
    assert injured["claimReviewed"] == "30 people were injured, according to Mira Castellan"


def test_claim_reviewed_uses_the_reviewers_figure_and_source():
    obj = claim_review(_row(low=9, high=9, attributed_to="the hospital director"), org=ReviewOrg(name="Desk"))
    assert obj["claimReviewed"] == "9 people were killed, according to the hospital director"
    assert obj["itemReviewed"]["author"] == {"@type": "Organization", "name": "the hospital director"}


def test_claimreview_export_warns_about_documents_without_url(tmp_path):
    from claims.export import export_to
    from claims.model import Claim, DocumentIn, Kind, Outcome
    from claims.store import Store

    text = "Officials said 12 people were killed."
    start = text.index("12 people")
    with Store(f"sqlite:///{tmp_path / 'c.db'}") as s:
        doc, _ = s.add_document(DocumentIn(text=text, title="No link here", publisher="Wire"), [
            Claim(kind=Kind.CASUALTIES, start=start, end=start + 9, quote="12 people", sentence=text, low=12,
                  high=12, outcome=Outcome.KILLED, subject="people", rule="t")], extractor_version="t")
        s.review(s.claims_for_document(doc)[0].id, verdict="verified", reviewer="Rana")
        res = export_to(s, None, fmt="claimreview", out=io.StringIO())
    assert res["claims"] == 1 and res["without_url"] == ["No link here"]
