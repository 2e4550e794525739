"""Quantity mentions: a figure with its bounds, hedges and the noun it counts.

``find_quantities(text)`` scans the whole text once for numbers and vague
quantities, joins ranges (``8-10``, ``between 3,000 and 5,000``), reads the
bound or hedge before it (``at least``, ``around``) and the subject after it
(``TTP fighters``, ``of soldiers``), and drops numbers that are not counts
(times of day, ages, ordinals, labels such as ``Section 302``; years are
marked ``year_like``).

Context is read token by token with set look-ups rather than with regexes
anchored at the end of a window, which keeps the cost per number small.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from claims.extract.lexicon import load, words_alternation
from claims.extract.numbers import (
    _DIGIT_SCAN, _WORD_AT, ARTICLE_WORDS, NUMBER_SEEDS, TENS, UNITS, ascii_lower, parse_number, seed_words, word_starts)

I = re.IGNORECASE

# Number words end a subject too ("5 soldiers three ..."); the other words that do are people.json's subject_stops.
_NUMBER_STOPS = frozenset(UNITS) | frozenset(TENS) | frozenset(
    "hundred hundreds thousand thousands million dozen dozens scores several few".split())
_DETERMINERS = frozenset("the these those its their his her our".split())
_OPEN_QUOTES = frozenset("‘“\"'")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)")
_CLOSE_QUOTES = frozenset("’”\"'")
# "13 U.S. troops", "two U.N. peacekeepers": an abbreviation with full stops is one word of the subject
_DOTTED = r"(?:[A-Z]\.){2,}(?:-[A-Za-z][\w'’]*)?(?![\w'’\-])"
# "Two Kestrel Armed Forces (KAF) personnel": an acronym in brackets inside a name
_ACRONYM = r"\([A-Z][A-Za-z\-]{1,10}\)"
_WORD = re.compile(rf"{_DOTTED}|{_ACRONYM}|[A-Za-z][\w'’\-]*(?<![-'’])|&|,")
# an opening quotation mark may wrap the subject: "up to 9,000 “part-time fighters”", "30 ‘Reserve Police’ personnel"
_NEXT = re.compile(rf"(?:[ \t\u00a0]+[‘“]?(?:{_DOTTED}|{_ACRONYM}|[A-Za-z][\w'’\-]*|&)|,(?=[ \t]+(?:and|or)\b)){{1,8}}")


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
    year_like: bool = False


class _Patterns:
    def __init__(self) -> None:
        q = load("quantifiers.json")["entries"]
        v = load("vague.json")["entries"]
        people = load("people.json")["entries"]
        nc = load("not_counts.json")
        units = load("units.json")
        # words after which "up to N" moves a figure to N rather than bounding it
        self.up_movers = frozenset(w.lower() for e in load("quantifiers.json")["up_movers"] for w in e["words"])
        self.bounds = {tuple(e["phrase"].lower().split()): (e["phrase"], e["bound"], e["approximate"]) for e in q}
        self.bound_lengths = sorted({len(k) for k in self.bounds}, reverse=True)
        self.vague = {e["phrase"].lower(): e for e in v}
        self.vague_at = re.compile(rf"(?:{words_alternation(self.vague)})\b", I)
        # where a vague phrase or a number word can start: its first word after an article ("a few")
        firsts = {(e.split()[1] if e.split()[0] in ("a", "an") and len(e.split()) > 1 else e.split()[0])
                  for e in self.vague}
        self.seeds = seed_words([*firsts, *NUMBER_SEEDS])
        self.article_seeds = ARTICLE_WORDS | {e.split()[1] for e in self.vague
                                              if e.split()[0] in ("a", "an") and len(e.split()) > 1}
        self.heads: dict[str, bool] = {}
        for e in people:
            for w in e["words"]:
                self.heads[w.lower()] = e["armed"]
        self.two_word_heads = {h for h in self.heads if " " in h}
        words = lambda section: frozenset(w.lower() for e in load("people.json")[section] for w in e["words"])  # noqa: E731
        # words that never sit inside a subject noun phrase ("5 soldiers and 3 ..." stops at "and")
        self.stop = words("subject_stops") | _NUMBER_STOPS
        self.subject_modifiers = words("subject_modifiers")  # "four other police officers"
        self.weak_armed = words("weak_armed")  # "members", "men": armed only when a group is named
        # head nouns that also read as a state or a verb: "Two bombs injured 33 people", "3 soldiers and others"
        self.state_heads = words("state_heads")
        self.singular = {h for h in self.heads if " " not in h and (
            h + "s" in self.heads or (h.endswith("man") and h[:-3] + "men" in self.heads)
            or h in ("person", "child", "woman", "man")) and h not in ("militia", "personnel", "police", "staff")}
        self.not_after = re.compile("|".join(f"(?:{e['pattern']})" for e in nc["after"]), I)
        self.skip_prev = {w.lower() for e in nc["before_words"] for w in e["words"]}
        # "the youngest of them 11", "the oldest was 70": an age word a few words back
        self.age_prev = {w.lower() for e in nc["before_words"] if e["reason"] == "age" for w in e["words"]}
        # "thought to number 4,000 fighters": after these words the label word is a verb, and the count stays
        self.verb_after = {w.lower(): frozenset(v.lower() for v in e["verb_after"])
                           for e in nc["before_words"] if "verb_after" in e for w in e["words"]}
        # a label word with a full stop is a label only when the stop does not end the sentence
        # ("No. 5", "Nov. 9"; not "in the Saddar district. 16 people were killed")
        self.abbreviations = {w.lower() for e in load("abbreviations.json")["entries"] for w in e["words"]}
        self.prefix_unit = re.compile(
            "|".join(f"(?P<p{i}>(?:{e['pattern']})\\s?)$" for i, e in enumerate(units["prefix"])), I)
        self.prefix_units = [e["unit"] for e in units["prefix"]]
        # every prefix match contains one of its entry's stems (case as written): text with none is not searched
        self.prefix_stems = tuple(dict.fromkeys(st for e in units["prefix"] for st in e["stems"]))
        self.suffix_unit = re.compile(
            "|".join(f"(?P<s{i}>\\s?(?:{e['pattern']}))(?![\\w])" for i, e in enumerate(units["suffix"])), I)
        self.suffix_units = [e["unit"] for e in units["suffix"]]
        # a negated verb before a floor makes it a ceiling: "no longer has more than", "does not have over"
        negated = words_alternation(w for e in load("quantifiers.json")["negated_verbs"] for w in e["words"])
        self.negated = re.compile(rf"(?<!\w)(?:no\s+longer|not|never|n[o']t)\s+(?:{negated})\s+$", I)
        # words after which a vague phrase that needs "of" stands alone: "Scores dead" in a headline
        alone = words_alternation(w for e in load("vague.json")["alone_before"] for w in e["words"])
        self.alone_before = re.compile(rf"\s+(?:{alone})\b")  # over lower-cased text
        self.range_sep = re.compile(r"\s*(?:-|–|—|‐|to|or)\s*", I)
        self.and_sep = re.compile(r"\s+and\s+", I)
        # "fell from (about) 1,200 to 300" is a change, two figures; "range from 2,000 to 5,000" is one range
        ranging = words_alternation(w for e in load("quantifiers.json")["range_verbs"] for w in e["words"])
        self.from_before = re.compile(rf"(?<![\w-])(?:(?P<range>{ranging})\s+)?from\s+(?:[a-z]+\s+){{0,3}}$")  # lowered


@lru_cache(maxsize=1)
def patterns() -> _Patterns:
    """Return the compiled quantity patterns (built once from the lexicons)."""
    return _Patterns()


def _raw_numbers(text: str, lowered: str, P: _Patterns) -> list[tuple[int, int, float, float, bool, bool]]:
    """Return (start, end, low, high, approximate, vague) for numbers and vague quantities, in order."""
    raw = []
    for m in _DIGIT_SCAN.finditer(text):
        v = parse_number(m.group(0))
        if v is not None:
            raw.append((m.start(), m.end(), v, v, False, False))
    last = -1
    for p in word_starts(lowered, P.seeds, P.article_seeds):
        if p < last:
            continue
        m = P.vague_at.match(lowered, p)
        if m:
            entry = P.vague[" ".join(m.group(0).split())]
            # "scores of people"; in a headline also "Scores dead", "Scores injured"
            if entry["needs_of"] and not lowered.startswith(" of ", m.end()) \
                    and not P.alone_before.match(lowered, m.end()):
                continue
            raw.append((p, m.end(), float(entry["low"]), float(entry["high"]), True, True))
            last = m.end()
            continue
        m = _WORD_AT.match(lowered, p)
        if m:
            v = parse_number(m.group(0))
            if v is not None:
                raw.append((p, m.end(), v, v, False, False))
                last = m.end()
    raw.sort()
    return raw


_SCALED_END = re.compile(r"(?:\s?[a-z]+|(?:,000)+)$", I)


def _shared_scale(first: str, second: str, lo: float, hi: float) -> float:
    """Return the range's low end with the high end's multiplier when only the high end wrote it.

    "3-4 thousand recruits" is 3,000-4,000 and "20-30,000" is 20,000-30,000: the scale word
    or the ",000" groups after the second number apply to both ends.
    """
    if lo >= 1000 or not first.replace(",", "").isdigit() or not _SCALED_END.search(second):
        return lo
    for scale in (1_000_000_000, 1_000_000, 100_000, 1_000):
        if hi >= scale and lo * scale <= hi and lo * scale * 10 > hi and parse_number(second) == hi:
            m = _SCALED_END.search(second)
            word = m.group(0).strip().lower()
            if word.startswith(","):  # "20-30,000": only thousands written out as digits
                return lo * 1_000 if scale == 1_000 else lo
            if parse_number(f"1 {word}") == scale or parse_number(f"1{word}") == scale:
                return lo * scale
    return lo


def find_quantities(text: str, *, lowered: str | None = None) -> list[Quantity]:
    """Return every count-like quantity in ``text`` in order (times, ages and labels left out)."""
    P = patterns()
    lowered = ascii_lower(text) if lowered is None else lowered
    raw = _raw_numbers(text, lowered, P)
    out: list[Quantity] = []
    i = 0
    n = len(raw)
    while i < n:
        s, e, lo, hi, approx, vague = raw[i]
        i += 1
        ns, ne = s, e
        is_between = lowered.endswith("between ", 0, s)
        # ranges: "8-10", "3,000 to 5,000", "two or three", "between X and Y"
        if i < n and not vague and not raw[i][5]:
            s2, e2, lo2, hi2, _, _ = raw[i]
            gap = text[e:s2]
            # a dash between a figure in digits and one in words joins no range: "KELSO, June 12 - Fourteen
            # soldiers were killed" is a dateline's day, then the count
            mixed = text[s].isdigit() != text[s2].isdigit() and not gap.strip().isalpha()
            # a hyphen between digits joins a range even after "from": "down from the 2,000-2,500 estimated last year"
            tight = gap in ("-", "–", "‐") and text[e - 1].isdigit() and text[s2].isdigit()
            if len(gap) <= 6 and not mixed and ((P.range_sep.fullmatch(gap) and lo2 > lo
                                                 and (tight or _not_a_change(lowered, s, P)))
                                  or (is_between and P.and_sep.fullmatch(gap))):
                lo = _shared_scale(text[s:e], text[s2:e2], lo, hi2)
                hi = hi2
                ne = e2
                i += 1
        if is_between:
            ns = s - len("between ")
        q = _build(text, lowered, ns, ne, s, lo, hi, approx, vague, P)
        if q is not None:
            out.append(q)
    return out


def _not_a_change(lowered: str, s: int, P: _Patterns) -> bool:
    """Whether "X to Y" at ``s`` is a range: not "from (about) X to Y", unless a range verb says so."""
    if "from " not in lowered[max(0, s - 40):s]:
        return True
    m = P.from_before.search(lowered, max(0, s - 60), s)
    return m is None or m.group("range") is not None


def _maybe_currency(window: str, stems: tuple[str, ...]) -> bool:
    for h in stems:
        if h in window:
            return True
    return False


# words between an age word and the age: "the youngest of them 11", "the oldest was 70"
_AGE_LINKS = frozenset("them whom was is were being".split())


def _prev_tokens(text: str, pos: int, k: int = 3) -> list[str]:
    return text[max(0, pos - 30):pos].split()[-k:]


def _build(text: str, lowered: str, ns: int, ne: int, first_start: int, lo: float, hi: float, approx: bool,
           vague: bool, P: _Patterns) -> Quantity | None:
    glued = ns > 0 and not text[ns - 1].isspace()
    before = text[max(0, ns - 30):ns]
    toks = before.split()
    prev = toks[-1].lower().rstrip(".,:;") if toks and not glued else ""
    # a comma, semicolon or colon ends the label: "In April, 11 villagers were killed" counts villagers, not a day of
    # April; "an ambush on the ridge road; 17 soldiers were killed" counts soldiers, not a road number
    if prev in P.skip_prev and not (toks[-1].endswith(".") and prev not in P.abbreviations) \
            and not toks[-1].endswith((",", ";", ":")) \
            and not (len(toks) >= 2 and toks[-2].lower() in P.verb_after.get(prev, ())) \
            and ns == first_start and not _GROUPED.match(text, ns):
        return None  # "Ward number 4"; a label is no range ("number between 1,000 and 1,500") nor has a thousands comma
    if prev in _AGE_LINKS and ns == first_start and any(t.lower() in P.age_prev for t in toks[-3:-1]):
        return None  # "the youngest of them 11", "the oldest was 70": an age
    if glued:
        c = text[ns - 1]
        if c in "(#" and text.startswith(")", ne):
            return None  # "(25)", list markers
        if c in "-/" and ns >= 2 and text[ns - 2].isdigit():
            return None  # "2021-11-09"
    if P.not_after.match(text, ne):
        return None
    # "Ali Khan, 25, was killed": an age between commas after a name
    if (not vague and lo == hi and lo < 120 and text.startswith(",", ne) and before.endswith(", ")
            and len(toks) >= 1 and toks[-1][:1].isupper()):
        return None
    num_text = text[first_start:ne]
    year_like = (not vague and lo == hi and 1900 <= lo <= 2100 and len(num_text) == 4 and num_text.isdigit())
    unit = None
    start = ns
    window = text[max(0, ns - 12):ns]
    mm = P.prefix_unit.search(window) if _maybe_currency(window, P.prefix_stems) else None
    if mm is not None and mm.group(0)[:1].isalpha():
        # a letter-initial currency ("Rs", "PKR") must start a word: "officers. 77" is no rupee sum
        at = ns - (len(window) - mm.start())
        if at > 0 and text[at - 1].isalnum():
            mm = None
    if mm:
        unit = P.prefix_units[int(mm.lastgroup[1:])]
        start = ns - (len(window) - mm.start())
    end = ne
    if unit is None:
        mm = P.suffix_unit.match(text, ne)
        if mm:
            unit = P.suffix_units[int(mm.lastgroup[1:])]
            end = mm.end()
    q = Quantity(start=start, end=end, num_start=ns, num_end=ne, low=lo, high=hi, approximate=approx,
                 vague=vague, unit=unit, year_like=year_like)
    _modifier(text, q, P)
    if unit is None:
        _subject(text, q, P)
    return q


def _modifier(text: str, q: Quantity, P: _Patterns) -> None:
    at = q.start
    j = at - 1
    while j > 0 and j >= at - 3 and text[j].isspace():
        j -= 1
    if at == 0 or not (text[j].isalpha() or text[j] in "‘“\"'."):
        return  # every bound or hedge is a word ending right before the count
    if not text[at - 1].isspace():
        if at >= 2 and text[at - 1] in _OPEN_QUOTES and text[at - 2].isspace():
            at -= 1  # a quotation opening on the count: killed ‘at least 40 terrorists’
        else:
            return
    toks = [t.lower() for t in _prev_tokens(text, at, 3)]
    if any(t[:1] in _OPEN_QUOTES for t in toks):  # a partial quote may open on any word of the bound: '"no more than 800'
        toks = [t.lstrip("‘“\"'") for t in toks]
    for k in P.bound_lengths:
        if len(toks) < k:
            continue
        key = tuple(toks[-k:])
        hit = P.bounds.get(key)
        if hit is None:
            continue
        phrase, bound, hedged = hit
        if key == ("up", "to") and len(toks) > k and toks[-k - 1] in P.up_movers:
            return  # "revised the figure up to 19", "the toll went up to 40": a movement, not a ceiling
        window = text[max(0, q.start - 30):q.start]
        # the phrase's own start: "As many as 60" must not start at the second "as"
        idx = window.lower().rfind(" ".join(key)) if k > 1 else -1
        if idx < 0:
            idx = window.lower().rfind(key[0])
        if idx < 0:
            continue
        if idx > 0 and window[idx - 1].isalnum():
            continue
        q.start = q.start - (len(window) - idx)
        if bound == "low" and P.negated.search(text, max(0, q.start - 30), q.start):
            bound = "high"  # "no longer has more than 8,000": a ceiling, not a floor
        if bound == "low":
            q.high = None
        elif bound == "high":
            q.low = None
        q.approximate = q.approximate or hedged
        return


def _subject(text: str, q: Quantity, P: _Patterns) -> None:
    at = q.end
    # a count quoted on its own names what it counts after the closing mark: “several thousand” full-time fighters
    if at < len(text) and text[at] in _CLOSE_QUOTES and q.start > 0 \
            and (text[q.start - 1] in _OPEN_QUOTES or text[q.num_start - 1] in _OPEN_QUOTES):
        at += 1
    m = _NEXT.match(text, at)
    if not m:
        return
    toks = [(t.group(0), at + t.start(), at + t.end()) for t in _WORD.finditer(m.group(0))]
    n = len(toks)
    i = 0
    if i + 1 < n and toks[i][0].lower() == "more" and toks[i + 1][0].lower() == "of" and not q.vague:
        i += 1  # "two more of the wounded died": a further part of them, as "two of the wounded"
    if i < n and toks[i][0].lower() == "of":
        i += 1
        # "dozens of gunmen" counts gunmen; "dozens of the gunmen", "five of the attackers" count a part
        q.partitive = not q.vague or (i < n and toks[i][0].lower() in _DETERMINERS)
        if i < n and toks[i][0].lower() in _DETERMINERS:
            i += 1
        if i < n and toks[i][0].lower() in ("them", "whom", "those", "these"):
            return
    first = i
    head_end = _head(toks, i, P, q)
    if head_end is None:
        # an unknown noun phrase: up to three words, stopping at function words and verb forms
        last = None
        for k in range(first, min(n, first + 3)):
            w = toks[k][0]
            lw = w.lower()
            if lw in P.stop or w in (",", "&") or (k > first and lw.endswith(("ed", "ing", "ly"))):
                break
            last = k
        if last is not None:
            q.generic_noun = text[toks[first][1]:toks[last][2]]
            q.generic_end = toks[last][2]
        return
    # coordination: "security forces and civilians" (not "4 policemen and 2 civilians")
    j = head_end + 1
    if j < n and toks[j][0] == ",":
        j += 1
    if j < n and toks[j][0].lower() in ("and", "or", "&"):
        k = j + 1
        if k < n and toks[k][0].lower() in ("the", "other", "their"):
            k += 1
        saved = (q.head, q.armed)
        end2 = _head(toks, k, P, q)
        # "two people and wounded five": a casualty word is the next clause, not a second subject
        if end2 is not None and q.head not in P.state_heads:
            head_end = end2
        q.head, q.armed = saved
    q.subject = " ".join(text[toks[first][1]:toks[head_end][2]].split())
    q.end = toks[head_end][2]


def _head(toks: list[tuple[str, int, int]], i: int, P: _Patterns, q: Quantity) -> int | None:
    """Return the index of the last token of a head noun found within 3 modifiers from ``i``."""
    n = len(toks)
    limit = i + 4
    j = i - 1
    while j + 1 < min(n, limit):
        j += 1
        w = toks[j][0].lower()
        if w in ("and", "&") and j > i and toks[j - 1][0][:1].isupper() and j + 1 < n \
                and toks[j + 1][0][:1].isupper():
            limit += 1  # "Al-Qaeda and TTP terrorists": names joined inside the modifiers
            continue
        if w in (",", "&"):
            return None
        if w in P.subject_modifiers:
            continue  # "four other police officers", "12 more soldiers"
        if w == "more" and j + 1 < n and toks[j + 1][0][:1].isupper():
            continue  # "Twenty more Kestrel Reserve Police personnel": "more" modifies the name
        if w.startswith("(") or (toks[j][0][:1].isupper() and j > i and w not in P.heads):
            # a name of several capitalised words does not use up the modifiers
            # ("Twenty more Kestrel Reserve Police Force personnel", "(KRP) personnel")
            limit = min(limit + 1, i + 8)
            continue
        if j + 1 < n and f"{w} {toks[j + 1][0].lower()}" in P.two_word_heads:
            q.head = f"{w} {toks[j + 1][0].lower()}"
            q.armed = P.heads[q.head]
            return j + 1
        if w in P.heads:
            if w in P.state_heads and j > i:
                return None  # "Two bombs injured 33 people": a state word after a noun is a verb
            # "two terrorist bomb attacks": a singular noun after a plural count is a modifier
            if w in P.singular and q.low is not None and q.low > 1 and not q.vague:
                # "three militant commanders": a singular noun before a plural head is its modifier
                if j + 1 < n and toks[j + 1][0].lower() in P.heads and toks[j + 1][0].lower() not in P.singular:
                    continue
                return None
            # "2,000 new police posts", "police stations": an invariant noun before another noun modifies it
            if j + 1 < n and (toks[j + 1][0][:1].isupper() or toks[j + 1][0].startswith("(")) and j > i \
                    and toks[j][0][:1].isupper() and toks[j + 1][0].lower() not in P.heads:
                limit = min(limit + 1, i + 8)
                continue  # "Police Force", "Armed Forces (KAF) personnel": a head word inside a name
            if w == "police" and j + 1 < n and toks[j + 1][0].islower() and toks[j + 1][0] not in P.stop \
                    and toks[j + 1][0].isalpha() and not toks[j + 1][0].endswith(("ed", "ing", "ly")) \
                    and toks[j + 1][0] not in P.heads:
                return None
            q.head = w
            # "members", "men", "commanders" are armed only when a group is named ("TTP members")
            q.armed = P.heads[w] and (w not in P.weak_armed or any(t[0][:1].isupper() for t in toks[i:j]))
            # "police officers", "militants fighters": a second head noun joins the first
            if j + 1 < n and toks[j + 1][0].lower() in P.heads and toks[j + 1][0].lower() not in P.stop:
                q.head = toks[j + 1][0].lower()
                q.armed = P.heads[q.head] or q.armed
                return j + 1
            return j
        if w in P.stop and not toks[j][0][:1].isupper():
            return None  # a capitalised word ("US", "May") is a name inside the subject, not a stop word
    return None
