"""Invented articles for the comparison tests: one event reported with different tolls, and others that must not join.

Every place, group, outlet and person is made up. Each article lists the
claims a correct extractor would find in it (quote, kind, values); the
helpers turn them into :class:`ClaimRecord` objects with exact spans and the
sentence around each quote, so grouping is tested without depending on the
extractor.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from claims.model import Claim, ClaimRecord, DocumentIn, Kind, Outcome, content_hash

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


@dataclass
class Article:
    key: str
    publisher: str
    published: dt.date | None
    title: str
    text: str
    claims: list[dict] = field(default_factory=list)

    def document(self) -> DocumentIn:
        return DocumentIn(text=self.text, title=self.title, publisher=self.publisher,
                          published=self.published, filename=f"{self.key}.txt")

    def claim_objects(self) -> list[Claim]:
        out = []
        for spec in self.claims:
            quote = spec["quote"]
            start = self.text.index(quote)
            end = start + len(quote)
            sentence = sentence_around(self.text, start, end)
            out.append(Claim(
                kind=Kind(spec["kind"]), start=start, end=end, quote=quote, sentence=sentence,
                low=spec.get("low"), high=spec.get("high"), approximate=spec.get("approximate", False),
                outcome=Outcome(spec["outcome"]) if spec.get("outcome") else None,
                subject=spec.get("subject"), date=spec.get("date"), duration=spec.get("duration"),
                attributed_to=spec.get("attributed_to"), rule="test",
            ))
        return out


def sentence_around(text: str, start: int, end: int) -> str:
    """Return the sentence of ``text`` holding the span [start, end)."""
    pos = 0
    for part in _SENTENCE_END.split(text):
        at = text.index(part, pos)
        if at <= start and end <= at + len(part):
            return part.strip()
        pos = at + len(part)
    return text[start:end]


def records(articles: list[Article]) -> list[ClaimRecord]:
    """Return ClaimRecords for the articles as a store would, with ids numbered in order."""
    out = []
    cid = 0
    for doc_id, a in enumerate(articles, start=1):
        digest = content_hash(a.text)
        for c in a.claim_objects():
            cid += 1
            out.append(ClaimRecord(
                id=cid, document_id=doc_id, fingerprint=c.fingerprint(digest), extractor_version="test",
                claim=c, title=a.title, publisher=a.publisher, published=a.published,
                filename=f"{a.key}.txt",
            ))
    return out


def line_records(docs: list[tuple[str, str, dt.date | None, str, list[dict]]]) -> list[ClaimRecord]:
    """Return records for (outlet, title, published, text, claim specs); a spec's quote is found in the text.

    A claim's sentence is the line of the text holding its quote (texts are written one sentence a line).
    """
    out = []
    for doc_id, (outlet, title, published, text, specs) in enumerate(docs, start=1):
        seen: dict[str, int] = {}
        for spec in specs:
            quote = spec["quote"]
            start = text.index(quote, seen.get(quote, 0))
            seen[quote] = start + 1
            sentence = next(s for s in text.split("\n") if quote in s)
            kind = Kind(spec["kind"])
            c = Claim(kind=kind, start=start, end=start + len(quote), quote=quote, sentence=sentence,
                      low=spec.get("low"), high=spec.get("high", spec.get("low")),
                      outcome=Outcome(spec["outcome"]) if spec.get("outcome") else None,
                      subject=spec.get("subject"), date=spec.get("date"), duration=spec.get("duration"),
                      attributed_to=spec.get("attributed_to"), rule="test")
            out.append(ClaimRecord(id=len(out) + 1, document_id=doc_id, fingerprint=f"f{doc_id}-{start}-{kind.value}",
                                   extractor_version="test", claim=c, title=title, publisher=outlet,
                                   published=published, filename=f"d{doc_id}.txt"))
    return out


def _k(quote, low, high=None, *, outcome="killed", subject=None, approximate=False, attributed_to=None,
       kind="casualties"):
    return dict(quote=quote, kind=kind, outcome=outcome, low=low, high=low if high is None else high,
                subject=subject, approximate=approximate, attributed_to=attributed_to)


VALDORIA = Article(
    "valdoria_times_school", "Valdoria Times", dt.date(2030, 3, 4),
    "Gunmen storm school in Port Calloway",
    "Gunmen from the Crimson Dawn Movement stormed the Saint Brigid school in Port Calloway on Monday, "
    "killing 41 children, police said. The attackers held teachers hostage for six hours before troops "
    "ended the siege. Officials said 17 people were wounded.",
    [_k("41 children", 41, subject="children", attributed_to="police"),
     _k("17 people", 17, outcome="injured", subject="people", attributed_to="Officials")],
)

EASTERN = Article(
    "eastern_ledger_toll", "Eastern Ledger", dt.date(2030, 3, 5),
    "Death toll in Port Calloway school siege reaches 58",
    "The death toll from the attack on a school in Port Calloway rose to 58 students on Tuesday, "
    "hospital officials said. The Crimson Dawn Movement, which claims about 2,000 fighters, denied "
    "that its members took part.",
    [_k("58 students", 58, subject="students", attributed_to="hospital officials"),
     dict(quote="about 2,000 fighters", kind="force_size", low=2000, high=2000, approximate=True,
          subject="fighters")],
)

# The same wire report as EASTERN, reprinted word for word but one.
COASTLINE = Article(
    "coastline_post_wire", "Coastline Post", dt.date(2030, 3, 5),
    "School siege toll rises",
    "The death toll from the attack on a school in Port Calloway rose to 58 students on Tuesday, "
    "hospital officials said.",
    [_k("58 students", 58, subject="students", attributed_to="hospital officials")],
)

# A year later, a retrospective with a variant spelling and the year stated.
ANNIVERSARY = Article(
    "eastern_ledger_anniversary", "Eastern Ledger", dt.date(2031, 3, 4),
    "A year on, Port Caloway remembers",
    "Families gathered on Tuesday to remember the attack on the Saint Brigid school in Port Caloway, "
    "in which about 60 pupils were killed in 2030. Analysts now put the strength of the Crimson Dawn "
    "Movement at between 1,500 and 2,500 fighters.",
    [_k("about 60 pupils", 60, subject="pupils", approximate=True),
     dict(quote="between 1,500 and 2,500 fighters", kind="force_size", low=1500, high=2500,
          subject="fighters", attributed_to="Analysts")],
)

# Unrelated: same kind and outcome, another town, another site, days later.
FENWICK = Article(
    "valdoria_times_fenwick", "Valdoria Times", dt.date(2030, 3, 6),
    "Car bomb kills 12 in Fenwick market",
    "A car bomb exploded at a crowded market in Fenwick on Wednesday, killing 12 people, officials said.",
    [_k("12 people", 12, subject="people", attributed_to="officials")],
)

# Unrelated: an older attack in the same town, its year stated.
OLDER = Article(
    "eastern_ledger_history", "Eastern Ledger", dt.date(2030, 3, 7),
    "Port Calloway has seen violence before",
    "In 2025, militants attacked a school in Port Calloway, killing 9 students.",
    [_k("9 students", 9, subject="students")],
)

# Unrelated: same town and week, but soldiers, not children.
SOLDIERS = Article(
    "coastline_post_ambush", "Coastline Post", dt.date(2030, 3, 5),
    "Soldiers ambushed near Port Calloway",
    "Crimson Dawn Movement fighters ambushed an army convoy outside Port Calloway, killing 6 soldiers.",
    [_k("6 soldiers", 6, subject="soldiers")],
)

ALL = [VALDORIA, EASTERN, COASTLINE, ANNIVERSARY, FENWICK, OLDER, SOLDIERS]
