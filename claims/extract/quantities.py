"""Quantity mentions: a figure with its bounds, hedges and the noun it counts.

``find_quantities(text)`` scans the whole text once for numbers and vague
quantities, joins ranges (``8-10``, ``between 3,000 and 5,000``), reads the
bound or hedge before it (``at least``, ``around``) and the subject after it
(``TTP fighters``, ``of soldiers``), and drops numbers that are not counts
(years, times of day, ages, ordinals, labels such as ``Section 302``).
The finders for casualties, force sizes and other figures classify these.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from claims.extract.lexicon import load, words_alternation
from claims.extract.numbers import NUMBER_PATTERN, TENS, UNITS, parse_number

I = re.IGNORECASE

# Function words that never sit inside a subject noun phrase ("5 soldiers and 3 ..." stops at "and").
_STOP = (
    "and or of the a an were was is are be been being have has had who whom which that this these those "
    "in on at by for from with to as after before during when while where including among into onto over "
    "under near than more least most said says say told according while since until till per via about "
    "around some any all each every both either neither no not nor its their his her our your my it they "
    "he she we you them him us there here then also only just still already so but yet if because "
    "killed killing kills kill dead died dies die death deaths injured injuring injures wounded wounding "
    "hurt martyred massacred slain perished lost shot gunned stabbed beheaded executed murdered "
    "arrested detained captured fled entered stormed attacked raided opened based deployed sent "
    "will would could should may might must can did do does"
).split()


@dataclass(slots=True)
class Quantity:
    """One figure in the text, before classification."""

    start: int           # quote start (bound/hedge included)
    end: int             # quote end (subject included)
    num_start: int       # the number or range itself
    num_end: int
    low: float | None
    high: float | None
    approximate: bool
    vague: bool = False
    subject: str | None = None
    head: str | None = None       # lower-cased head noun of the subject
    armed: bool = False
    partitive: bool = False       # "five of the attackers", "two of them"
    generic_noun: str | None = None  # the next word when no known head follows
    generic_end: int = 0
    unit: str | None = None
    modifier: str | None = None
    year_like: bool = False


class _Patterns:
    def __init__(self) -> None:
        q = load("quantifiers.json")["entries"]
        v = load("vague.json")["entries"]
        people = load("people.json")["entries"]
        nc = load("not_counts.json")
        units = load("units.json")
        self.bounds = {e["phrase"].lower(): (e["bound"], e["approximate"]) for e in q}
        self.vague = {e["phrase"].lower(): e for e in v}
        self.heads: dict[str, bool] = {}
        for e in people:
            for w in e["words"]:
                self.heads[w.lower()] = e["armed"]
        number_words = list(UNITS) + list(TENS) + ["hundred", "thousand", "million", "billion", "dozen", "dozens",
                                                   "hundreds", "thousands", "scores", "several", "few"]
        stop = words_alternation(set(_STOP) | set(number_words))
        modword = rf"(?!(?:{stop})\b)[A-Za-z][\w'’\-]*"
        heads = words_alternation(self.heads)
        self.scan = re.compile(rf"(?P<vague>\b(?:{words_alternation(self.vague)})\b)|(?P<num>{NUMBER_PATTERN})", I)
        self.mod = re.compile(rf"\b(?P<mod>{words_alternation(self.bounds)})\s+$", I)
        self.between = re.compile(r"\bbetween\s+$", I)
        self.from_ = re.compile(r"\bfrom\s+$", I)
        self.range_sep = re.compile(r"\s*(?:-|–|—|‐|to|or)\s*", I)
        self.and_sep = re.compile(r"\s+and\s+", I)
        head_np = rf"(?:{modword}\s+){{0,3}}?(?:{heads})(?:\s+(?:{heads}))?\b"
        self.subject = re.compile(
            rf"(?P<of>\s+of(?:\s+(?:the|these|those|its|their|his|her|our|them|whom))?)?"
            rf"\s+(?P<np>{head_np}(?:(?:\s*,)?\s+(?:and|or|&)\s+(?:(?:the|other|their)\s+)?{head_np})?)", I)
        self.of_them = re.compile(r"\s+of\s+(?:them|whom|those|these)\b", I)
        self.generic = re.compile(rf"\s+(?:of\s+)?(?P<w>{modword})", I)
        self.not_after = [re.compile(e["pattern"], I if e["reason"] != "age" else 0) for e in nc["after"]]
        self.not_before = [re.compile(rf"(?:{e['pattern']})$") for e in nc["before"]]
        self.prefix_unit = [(re.compile(rf"(?:{e['pattern']})\s?$", I), e["unit"]) for e in units["prefix"]]
        self.suffix_unit = [(re.compile(rf"\s?(?:{e['pattern']})(?![\w])", I), e["unit"]) for e in units["suffix"]]
        self.age_comma = re.compile(r"[A-Z][\w'’\-]+,\s*$")
        self.comma_after = re.compile(r"\s*,")
        self.head_of = re.compile(rf"(?:{heads})$", I)


@lru_cache(maxsize=1)
def patterns() -> _Patterns:
    """Return the compiled quantity patterns (built once from the lexicons)."""
    return _Patterns()


def find_quantities(text: str) -> list[Quantity]:
    """Return every count-like quantity in ``text`` in order (years, times, ages and labels left out)."""
    P = patterns()
    raw = []  # (start, end, low, high, approximate, vague)
    for m in P.scan.finditer(text):
        s, e = m.span()
        if m.group("vague"):
            entry = P.vague[re.sub(r"\s+", " ", m.group("vague").lower())]
            if entry["needs_of"] and not text.startswith(" of ", e):
                continue
            raw.append((s, e, float(entry["low"]), float(entry["high"]), True, True))
        else:
            v = parse_number(m.group("num"))
            if v is None:
                continue
            approx = m.group("num").lower().startswith("a dozen")
            raw.append((s, e, v, v, approx, False))
    out: list[Quantity] = []
    i = 0
    n = len(raw)
    while i < n:
        s, e, lo, hi, approx, vague = raw[i]
        i += 1
        ns, ne = s, e
        # ranges: "8-10", "3,000 to 5,000", "two or three", "between X and Y"
        if i < n and not vague and not raw[i][5]:
            s2, e2, lo2, hi2, _, _ = raw[i]
            gap = text[e:s2]
            left = text[max(0, s - 10):s]
            is_between = P.between.search(left) is not None
            if (P.range_sep.fullmatch(gap) and not P.from_.search(left) and lo2 > lo) or (
                    is_between and P.and_sep.fullmatch(gap)):
                hi = hi2
                ne = e2
                i += 1
            if is_between:
                ns = s - len(P.between.search(left).group(0))
        q = _build(text, ns, ne, s, lo, hi, approx, vague, P)
        if q is not None:
            out.append(q)
    return out


def _build(text: str, ns: int, ne: int, first_start: int, lo: float, hi: float, approx: bool, vague: bool,
           P: _Patterns) -> Quantity | None:
    before = text[max(0, ns - 40):ns]
    for rx in P.not_before:
        if rx.search(before):
            return None
    for rx in P.not_after:
        if rx.match(text, ne):
            return None
    num_text = text[first_start:ne]
    # "Ali Khan, 25, was killed": an age between commas after a name
    if P.age_comma.search(before) and P.comma_after.match(text, ne) and lo == hi and lo < 120 and not vague:
        return None
    year_like = (not vague and lo == hi and 1900 <= lo <= 2100 and re.fullmatch(r"\d{4}", num_text) is not None)
    unit = None
    start = ns
    for rx, u in P.prefix_unit:
        mm = rx.search(before)
        if mm:
            unit = u
            start = ns - (len(before) - mm.start())
            break
    end = ne
    if unit is None:
        for rx, u in P.suffix_unit:
            mm = rx.match(text, ne)
            if mm:
                unit = u
                end = mm.end()
                break
    q = Quantity(start=start, end=end, num_start=ns, num_end=ne, low=lo, high=hi, approximate=approx,
                 vague=vague, unit=unit, year_like=year_like)
    mm = P.mod.search(text[max(0, start - 25):start])
    if mm:
        phrase = re.sub(r"\s+", " ", mm.group("mod").lower())
        bound, hedged = P.bounds[phrase]
        q.modifier = phrase
        q.start = start - (len(text[max(0, start - 25):start]) - mm.start())
        if bound == "low":
            q.low, q.high = (lo, None)
        elif bound == "high":
            q.low, q.high = (None, hi)
        q.approximate = q.approximate or hedged
    if unit is None:
        sm = P.subject.match(text, ne)
        if sm:
            q.subject = re.sub(r"\s+", " ", sm.group("np"))
            q.end = sm.end()
            q.partitive = bool(sm.group("of"))
            last = sm.group("np")
            # the head is the last known head noun of the first conjunct
            head = None
            for word in re.split(r"\s*(?:,|\band\b|\bor\b|&)\s*", last, maxsplit=1)[0].split()[::-1]:
                if word.lower() in P.heads:
                    head = word.lower()
                    break
            q.head = head
            q.armed = bool(head and P.heads.get(head))
            if q.head is None:
                # multiword heads ("police officers", "family members")
                low = sm.group("np").lower()
                for h in sorted(P.heads, key=len, reverse=True):
                    if " " in h and h in low:
                        q.head = h
                        q.armed = P.heads[h]
                        break
        elif P.of_them.match(text, ne):
            q.partitive = True
        else:
            gm = P.generic.match(text, ne)
            if gm:
                q.generic_noun = gm.group("w")
                q.generic_end = gm.end()
    return q
