"""Build schema.org ``ClaimReview`` JSON-LD from export rows, one per reviewed claim.

The rating scale is 1 (false) to 5 (verified); ``alternateName`` always
carries the verdict word. ``unverifiable`` has no place on a truth scale, so
its rating has no ``ratingValue`` (schema.org does not require one) rather
than a number that would read as "half true". Unreviewed claims and
``not_a_claim`` (an extraction error, not a claim) are not exported.
``claims/schemas/claimreview.schema.json`` is the JSON Schema tests validate
every object against.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, TextIO

from claims.describe import statement
from claims.model import Verdict
from claims.settings import BY_NAME, setting

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "claimreview.schema.json"

BEST_RATING, WORST_RATING = 5, 1
RATING: dict[str, int | None] = {
    Verdict.VERIFIED.value: 5,
    Verdict.DISPUTED.value: 3,
    Verdict.FALSE.value: 1,
    Verdict.UNVERIFIABLE.value: None,
}
RATING_NAME: dict[str, str] = {
    Verdict.VERIFIED.value: "Verified",
    Verdict.DISPUTED.value: "Disputed",
    Verdict.FALSE.value: "False",
    Verdict.UNVERIFIABLE.value: "Unverifiable",
}

# Words that make an attribution a body rather than a person ("UN report",
# "ISPR", "Health Ministry", "police"). Checked case-insensitively per word.
ORGANISATION_WORDS = frozenset("""
    agency army authority authorities bureau command commission committee council court department
    embassy force forces government group institute ispr military ministry ngo office officials
    organisation organization party police report spokesperson spokesman spokeswoman statement
    survey un unicef who media channel network news agency hospital hospitals service services
    administration directorate board union federation league association coalition alliance
    rescue red cross crescent""".split())
_NAME_WORD = re.compile(r"^[A-Z][a-z'’\-]+\.?$")

# ReviewOrg field -> its setting (name, default and help in claims/settings.py)
SETTING_FOR: dict[str, str] = {"name": "CLAIMS_ORG_NAME", "url": "CLAIMS_ORG_URL", "review_url": "CLAIMS_REVIEW_URL"}


@dataclass(frozen=True, slots=True)
class ReviewOrg:
    """Who publishes the reviews, and where each review lives."""

    name: str
    url: str | None = None
    review_url: str | None = None

    @classmethod
    def from_settings(cls, *, name: str | None = None, url: str | None = None,
                      review_url: str | None = None) -> "ReviewOrg":
        """Return the options given, falling back to the environment settings, then the defaults."""
        def pick(key: str, given: str | None) -> str | None:
            return given if given else (setting(SETTING_FOR[key]) or None)
        return cls(name=pick("name", name) or BY_NAME["CLAIMS_ORG_NAME"].default,
                   url=pick("url", url), review_url=pick("review_url", review_url))


def author_entity(name: str | None) -> dict[str, Any] | None:
    """Return a schema.org Person or Organization for an attribution, or None when there is none."""
    if not name or not name.strip():
        return None
    name = " ".join(name.split())
    words = name.split()
    lowered = {w.strip(".,'’").lower() for w in words}
    is_person = (2 <= len(words) <= 4 and not (lowered & ORGANISATION_WORDS)
                 and all(_NAME_WORD.match(w) for w in words))
    return {"@type": "Person" if is_person else "Organization", "name": name}


def is_reviewable(row: dict[str, Any]) -> bool:
    """Return True when the row's verdict belongs in a ClaimReview export."""
    return row.get("verdict") in RATING


def _review_url(row: dict[str, Any], org: ReviewOrg) -> str | None:
    if org.review_url:
        return org.review_url.format(fingerprint=row["fingerprint"], id=row.get("id"), verdict=row["verdict"])
    if row.get("url"):
        return f"{row['url']}#claim-{row['fingerprint']}"
    return None


def claim_review(row: dict[str, Any], *, org: ReviewOrg) -> dict[str, Any]:
    """Return one ClaimReview object for an export row with a reviewable verdict."""
    verdict = row["verdict"]
    if verdict not in RATING:
        raise ValueError(f"verdict {verdict!r} is not published as a ClaimReview")
    rating: dict[str, Any] = {"@type": "Rating", "bestRating": BEST_RATING, "worstRating": WORST_RATING,
                              "alternateName": RATING_NAME[verdict]}
    if RATING[verdict] is not None:
        rating["ratingValue"] = RATING[verdict]
    if row.get("note"):
        rating["ratingExplanation"] = row["note"]

    claim: dict[str, Any] = {"@type": "Claim"}
    author = author_entity(row.get("attributed_to"))
    if author is None and row.get("publisher"):
        author = {"@type": "Organization", "name": row["publisher"]}
    if author:
        claim["author"] = author
    if row.get("published"):
        claim["datePublished"] = row["published"]
    appearance: dict[str, Any] = {"@type": "CreativeWork"}
    if row.get("url"):
        appearance["url"] = row["url"]
    if row.get("title"):
        appearance["headline"] = row["title"]
    if row.get("publisher"):
        appearance["publisher"] = {"@type": "Organization", "name": row["publisher"]}
    if row.get("published"):
        appearance["datePublished"] = row["published"]
    if len(appearance) > 1:
        claim["appearance"] = appearance
        claim["firstAppearance"] = appearance

    org_entity: dict[str, Any] = {"@type": "Organization", "name": org.name}
    if org.url:
        org_entity["url"] = org.url
    out: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        # the figure claimed and who said it, as reviewed; two claims of one sentence differ here
        "claimReviewed": statement(row),
        "reviewRating": rating,
        "itemReviewed": claim,
        "author": org_entity,
        "identifier": row["fingerprint"],
    }
    if row.get("reviewed_at"):
        out["datePublished"] = row["reviewed_at"][:10]
    url = _review_url(row, org)
    if url:
        out["url"] = url
    return out


# ClaimReview JSON-LD is pasted into <script type="application/ld+json"> blocks
# by CMSs: a quote containing "</script>" must not end that block early.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def dumps_script_safe(obj: Any) -> str:
    """Return JSON for ``obj`` with <, > and & escaped, safe to embed in an HTML script element."""
    return json.dumps(obj, ensure_ascii=False).translate(_SCRIPT_SAFE)


def write_claimreview(rows: Iterable[dict[str, Any]], out: TextIO, *, org: ReviewOrg,
                      without_url: set[str] | None = None) -> int:
    """Write a JSON array of ClaimReview objects for the reviewable rows; return how many.

    ``without_url`` collects the titles (else hashes) of documents that have no
    ``url``: Google's ClaimReview guidelines want the claim's appearance linked.
    """
    n = 0
    out.write("[")
    for row in rows:
        if not is_reviewable(row):
            continue
        if without_url is not None and not row.get("url"):
            without_url.add(row.get("title") or row.get("filename") or row.get("document_hash") or "?")
        out.write(("\n  " if n == 0 else ",\n  ") + dumps_script_safe(claim_review(row, org=org)))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def load_schema() -> dict[str, Any]:
    """Return the JSON Schema ClaimReview exports are checked against."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
