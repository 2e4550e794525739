"""Records shared by extraction, the store, comparison and export.

Everything here is plain data: dataclasses and enums with no I/O, so every
layer (library, CLI, dashboard, tests) speaks the same vocabulary.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field, fields
from enum import Enum
from typing import Any

from claims.constants import PUBLISHER_GRADES
from claims.filters import ClaimFilter  # generated from the filter table; imported here for everyone else


class Kind(str, Enum):
    """What a claim counts or states."""

    CASUALTIES = "casualties"
    FORCE_SIZE = "force_size"
    DATE = "date"
    DURATION = "duration"
    FIGURE = "figure"


class Outcome(str, Enum):
    """What happened to the people a casualty claim counts."""

    KILLED = "killed"
    INJURED = "injured"


class Verdict(str, Enum):
    """A reviewer's judgement of one claim."""

    UNREVIEWED = "unreviewed"
    VERIFIED = "verified"
    DISPUTED = "disputed"
    FALSE = "false"
    UNVERIFIABLE = "unverifiable"
    NOT_A_CLAIM = "not_a_claim"

    @property
    def help(self) -> str:
        return VERDICT_HELP[self]


VERDICT_HELP: dict[Verdict, str] = {
    Verdict.UNREVIEWED: "Nobody has judged this claim yet.",
    Verdict.VERIFIED: "The figure matches what trustworthy evidence shows.",
    Verdict.DISPUTED: "Credible sources disagree with the figure; shown but flagged.",
    Verdict.FALSE: "Evidence shows the figure is wrong.",
    Verdict.UNVERIFIABLE: "No evidence either way could be found.",
    Verdict.NOT_A_CLAIM: "Extraction error: the span is not a claim of this kind.",
}

# A publisher's reliability grade (Admiralty scale, A completely reliable ... F cannot be judged):
# the values and their meanings are claims.constants.PUBLISHER_GRADES; this Enum lets the filter table offer them.
Grade = Enum("Grade", {g: g for g in PUBLISHER_GRADES}, type=str, module=__name__)
Grade.__doc__ = "A publisher's reliability grade, A (completely reliable) to F (cannot be judged)."


class ReviewState(str, Enum):
    """Where a claim stands in the review process (the team setting reviews_required decides which apply)."""

    UNREVIEWED = "unreviewed"      # nobody has given a verdict
    REVIEWED = "reviewed"          # one review decides (reviews_required 1): the verdict is final
    NEEDS_SECOND = "needs_second"  # fewer reviewers than required have given the same verdict; verdict stays unreviewed
    AGREED = "agreed"              # the required number of different reviewers gave the same verdict: it is final
    DISAGREED = "disagreed"        # reviewers gave different verdicts: waits for an editor's adjudication
    ADJUDICATED = "adjudicated"    # an editor decided a disagreement, with a note: final

    @property
    def final(self) -> bool:
        """Return True when the claim's verdict is settled (what ClaimReview and bundles publish by default)."""
        return self in (ReviewState.REVIEWED, ReviewState.AGREED, ReviewState.ADJUDICATED)

    @property
    def pending(self) -> bool:
        """Return True when reviewers have spoken but the verdict is not settled yet."""
        return self in (ReviewState.NEEDS_SECOND, ReviewState.DISAGREED)


# The extraction contract: every field `python -m claims extract --json` prints.
CLAIM_FIELDS: tuple[str, ...] = (
    "kind", "start", "end", "quote", "sentence", "low", "high", "approximate",
    "outcome", "subject", "unit", "date", "duration", "attributed_to", "source_quote", "source_start",
    "source_end", "rule",
)

# Fields a reviewer may correct (``--set field=value``).
CORRECTABLE_FIELDS: tuple[str, ...] = (
    "low", "high", "approximate", "outcome", "subject", "unit", "date",
    "duration", "attributed_to",
)


MANUAL_RULE = "manual"  # the rule (and extractor version) of a claim a reviewer added by hand (Store.add_claim)


@dataclass(frozen=True, slots=True)
class Claim:
    """One figure found in a text, normalised, with its exact span.

    ``text[start:end] == quote`` always holds for the text it came from.
    ``low``/``high`` follow ../shared/eval/GUIDELINES.md: an exact figure has
    low == high; "at least N" has high None; "up to N" has low None.
    """

    kind: Kind
    start: int
    end: int
    quote: str
    sentence: str = ""
    low: float | None = None
    high: float | None = None
    approximate: bool = False
    outcome: Outcome | None = None
    subject: str | None = None
    unit: str | None = None
    date: str | None = None
    duration: str | None = None
    attributed_to: str | None = None
    rule: str = ""
    # the exact words naming the source (text[source_start:source_end] == source_quote); for "He said" the
    # name it refers back to. attributed_to is the short canonical name ("Jane Doe", "UN report")
    source_quote: str | None = None
    source_start: int | None = None
    source_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready extraction record (enums as strings, whole numbers as ints)."""
        d = {f: getattr(self, f) for f in CLAIM_FIELDS}
        d["kind"] = Kind(self.kind).value
        d["outcome"] = Outcome(self.outcome).value if self.outcome else None
        d["low"] = _plain_number(self.low)
        d["high"] = _plain_number(self.high)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Claim":
        """Build a claim from a record such as :meth:`to_dict` returns."""
        kw = {f.name: d.get(f.name) for f in fields(cls) if f.name in d}
        kw["kind"] = Kind(d["kind"])
        kw["outcome"] = Outcome(d["outcome"]) if d.get("outcome") else None
        kw["approximate"] = bool(d.get("approximate") or False)
        kw["sentence"] = d.get("sentence") or ""
        kw["rule"] = d.get("rule") or ""
        return cls(**kw)

    def fingerprint(self, content_hash: str) -> str:
        """Return a stable id for this claim within the document with ``content_hash``.

        It depends on what the claim points at (document, kind, outcome, span),
        not on the parsed values, so a newer extractor that re-reads the same
        span keeps the reviews attached to it.
        """
        outcome = Outcome(self.outcome).value if self.outcome else ""
        key = f"{content_hash}|{Kind(self.kind).value}|{outcome}|{self.start}|{self.end}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _plain_number(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else float(x)


def content_hash(text: str) -> str:
    """Return the sha256 hex digest that identifies a document's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class DocumentIn:
    """A document ready to be stored: its text and whatever metadata is known."""

    text: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    filename: str | None = None
    fictional: bool = False  # an invented example article (seeds/fictional), never real reporting
    author: str | None = None
    canonical_url: str | None = None  # claims.pages.canonical_url of the article's own address (web pages)
    addresses: list[str] = field(default_factory=list)  # more canonical URL keys it was reached at

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


@dataclass(slots=True)
class Document:
    """A stored document."""

    id: int
    content_hash: str
    text: str
    title: str | None
    url: str | None
    publisher: str | None
    published: dt.date | None
    filename: str | None
    ingested_at: dt.datetime
    claim_count: int = 0
    added_by: str | None = None  # who uploaded, pasted or ingested it (None: stored before 0007, or by a script)
    fictional: bool = False      # an invented example article: badged wherever shown, not exported by default
    appearances: int = 0         # further appearances of the same text (another publisher, url or date)
    author: str | None = None
    canonical_url: str | None = None  # the article's address without tracking, AMP or mobile parts
    previous_id: int | None = None    # the earlier version of this article (a re-fetch whose text changed)
    next_id: int | None = None        # the later version that replaced this one, if any


@dataclass(slots=True)
class ClaimRecord:
    """A stored claim with its document's metadata and its current review."""

    id: int
    document_id: int
    fingerprint: str
    extractor_version: str
    claim: Claim
    # document
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    filename: str | None = None
    # current review (version 0 and UNREVIEWED when nobody reviewed it)
    verdict: Verdict = Verdict.UNREVIEWED
    note: str | None = None
    corrected: dict[str, Any] = field(default_factory=dict)
    evidence_url: str | None = None
    reviewer: str | None = None
    reviewed_at: dt.datetime | None = None
    version: int = 0
    # True when re-extraction no longer finds this reviewed claim: kept with its review, flagged
    orphaned: bool = False
    review_state: str = "unreviewed"  # a ReviewState value: where the claim stands in (team) review
    fictional: bool = False  # its document is an invented example (seeds/fictional)
    appearances: int = 0     # further appearances of its document's text under other publishers (wire copies)

    def to_dict(self) -> dict[str, Any]:
        """Return the flat JSON-ready record the CLI prints (`id`, extraction fields, review fields)."""
        d: dict[str, Any] = {"id": self.id, "document_id": self.document_id}
        d.update(self.claim.to_dict())
        d.update(
            fingerprint=self.fingerprint,
            extractor_version=self.extractor_version,
            title=self.title,
            url=self.url,
            publisher=self.publisher,
            published=self.published.isoformat() if self.published else None,
            filename=self.filename,
            verdict=Verdict(self.verdict).value,
            note=self.note,
            corrected=dict(self.corrected),
            evidence_url=self.evidence_url,
            reviewer=self.reviewer,
            reviewed_at=self.reviewed_at.isoformat() if self.reviewed_at else None,
            version=self.version,
            orphaned=self.orphaned,
            review_state=self.review_state,
            fictional=self.fictional,
            appearances=self.appearances,
        )
        return d

    def effective(self, name: str) -> Any:
        """Return the reviewer's corrected value of a field if set, else the extracted one."""
        if name in self.corrected:
            return self.corrected[name]
        return getattr(self.claim, name)


@dataclass(slots=True)
class HistoryEntry:
    """One field change in a claim's append-only review history."""

    claim_id: int
    version: int
    field: str
    old: Any
    new: Any
    reviewer: str
    at: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["at"] = self.at.isoformat()
        return d
