"""Force sizes: counts of fighters, troops or attackers that exist, not casualties.

Rules (the claim's ``rule`` names the one that fired):

``force.armed-noun``  the counted noun names armed people (``6,000 TTP fighters``,
    ``seven gunmen``, ``8-10 militants``) and the clause says nothing that makes
    them captives, prisoners or missing (``arrested 12 militants`` is no force).
``force.strength``    a strength phrase makes any count a force (``a 500-strong
    force``, ``a force of 300``).
``force.numbering``   armed people or an armed body (``brigade``, ``militia``) named
    before ``numbering``/``numbered``/``numbers``/``estimated at`` give the count after it,
    and an armed body that ``has N members`` (``the militants, numbering around 200``, ``the
    attackers numbered between eight and ten``).
"""
from __future__ import annotations

import re
from functools import lru_cache

from claims.extract.lexicon import load
from claims.extract.quantities import Quantity, patterns

I = re.IGNORECASE
# clause edges: a source phrase ("..., according to a report released in May") is no longer the count's clause
_GROUPS_BEFORE = re.compile(r"(?<!\w)(?:the|these|those|both|all)\s+$", I)
_COUNTED_MEMBERS = frozenset(("men", "members", "personnel", "cadres"))
_NUMBERING = re.compile(r"(?<!\w)(?:number(?:ing|ed|s)?|(?:estimated|put|reckoned)\s+at|(?:thought|believed|said|estimated)\s+"
                        r"to\s+(?:number|be)|(?P<has>ha(?:ve|s|d)|having))\s+$", I)
# armed bodies that can be "numbering" a count: "the brigade, which numbers roughly 2,500 men"
_UNITS = frozenset("force forces militia militias brigade brigades battalion battalions army armies contingent "
                   "regiment division squad platoon company garrison faction group gang cell column unit".split())
_WORDS = re.compile(r"[A-Za-z][\w\-]*")
_CLAUSE = re.compile(r";|,\s+(?:while|but|whereas|and)\b|\bwhile\b|\bwhereas\b|\baccording\s+to\b", I)


class _Cues:
    def __init__(self) -> None:
        lex = load("force_cues.json")
        self.exclude = re.compile(r"(?<!\w)(?:" + "|".join(e["pattern"] for e in lex["exclude"]) + r")\b", I)
        self.strength_before = re.compile(r"(?:" + "|".join(e["pattern"] for e in lex["strength"]) + r")\s+$", I)
        self.strong_after = re.compile(
            r"[-\s]strong\b|-(?:member|man|men)\s+(?:armed\s+|security\s+|military\s+|police\s+|rebel\s+|militant\s+)?"
            r"(?:force|contingent|unit|squad|battalion|army|militia|platoon|company|brigade|detachment|commando|"
            r"gang|group|team|cell|column)s?\b", I)


@lru_cache(maxsize=1)
def cues() -> _Cues:
    """Return the compiled force-size cues (built once from the lexicon)."""
    return _Cues()


def classify(text: str, q: Quantity, sent_start: int, sent_end: int) -> str | None:
    """Return the rule name when ``q`` is the size of an armed group or force, else None."""
    C = cues()
    if q.unit is not None or q.year_like or q.partitive:
        return None
    if q.armed and q.head in ("forces", "armies") and q.high is not None and q.high <= 3 \
            and _GROUPS_BEFORE.search(text, max(sent_start, q.start - 12), q.start):
        return None  # "clashes between the two forces": a count of armed bodies, not of people
    if q.armed:
        # the clause around the count: "X resigned, while 300 fighters attacked" keeps the clauses apart
        left = _CLAUSE.split(text[max(sent_start, q.start - 50):q.start])[-1]
        right = _CLAUSE.split(text[q.end:min(sent_end, q.end + 50)])[0]
        if C.exclude.search(left) or C.exclude.search(right):
            return None
        return "force.armed-noun"
    if C.strong_after.match(text, q.num_end) or C.strength_before.search(text[max(sent_start, q.start - 30):q.start]):
        # "a 12-member gang of robbers had been busted": captives, as for armed nouns
        right = _CLAUSE.split(text[q.end:min(sent_end, q.end + 60)])[0]
        if C.exclude.search(right):
            return None
        return "force.strength"
    if q.subject is not None and q.head not in _COUNTED_MEMBERS:
        return None
    numbering = _NUMBERING.search(text, max(sent_start, q.start - 24), q.start)
    # "a group believed to have fewer than 300 members": 'have' needs the members counted
    if numbering is not None and numbering.group("has") and q.head not in ("men", "members", "cadres"):
        numbering = None
    if numbering is not None:
        # the group counted is named before the verb, in the same clause: "the militants, numbering around 200";
        # the nearest people word decides ("a group of refugees numbering 300" counts refugees)
        before = _CLAUSE.split(text[max(sent_start, q.start - 70):q.start])[-1]
        heads = patterns().heads
        for w in reversed(_WORDS.findall(before)):
            lw = w.lower()
            if lw in heads or lw in _UNITS:
                if (lw in _UNITS or heads[lw]) and not C.exclude.search(before):
                    return "force.numbering"
                break
    return None
