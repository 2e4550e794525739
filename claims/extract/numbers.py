"""Numbers as English news writes them: digits, number words and their value.

``parse_number`` turns one number expression into a float; ``NUMBER_RE``
finds such expressions in running text. Both are shared by every finder
(casualties, force sizes, figures, dates and durations).

The regex is a small grammar of whole words (each alternative anchored by
``\\b``), so it runs in linear time on any input.
"""
from __future__ import annotations

import re

from claims.extract.lexicon import words_alternation as _alt

UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
# Multipliers that close a group ("two hundred", "three thousand", "2 lakh").
SCALES: dict[str, float] = {
    "hundred": 100, "thousand": 1_000, "lakh": 100_000, "lakhs": 100_000,
    "million": 1_000_000, "crore": 10_000_000, "crores": 10_000_000,
    "billion": 1_000_000_000, "trillion": 1_000_000_000_000, "dozen": 12,
}
# Glued abbreviations after digits: "1.2m", "1.5bn", "10k".
SUFFIXES: dict[str, float] = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000,
                              "bn": 1_000_000_000, "b": 1_000_000_000, "tn": 1_000_000_000_000}


# Larger figures are ids, phone numbers or page furniture, not counts (and floats would overflow).
MAX_VALUE = 1e15


_UNIT1_9 = _alt(w for w, v in UNITS.items() if 1 <= v <= 9)
_SMALL = rf"(?:(?:{_alt(TENS)})(?:[ \-](?:{_UNIT1_9}))?|{_alt(UNITS)})"
_HUNDREDS = rf"(?:(?:{_SMALL}|a|one)[ \-]hundred(?:(?:\s+and)?[ \-]{_SMALL})?|{_SMALL})"
_BIG = _alt(w for w in SCALES if w != "hundred")
_WORDS = (rf"(?:(?:{_HUNDREDS}|a)[ \-](?:{_BIG})(?:,?(?:\s+and)?[ \-]{_HUNDREDS}(?![ \-](?:{_BIG})\b))?"
          rf"|(?:{_SMALL}|a)[ \-]dozen"
          rf"|{_HUNDREDS})")
# Leading digits: "6,000", "6.5", "12"; Indian grouping "1,00,000" is accepted too.
# Written as a first digit and the rest (the same tries in the same order as "\d{1,3}...|\d+"), so a scan
# can start with the digit itself: a pattern that opens on a character class lets the engine skip ahead.
_DIGITS_REST = r"(?:\d{0,2}(?:,\d{2,3})+(?!\d)|\d*)(?:\.\d+)?"
_DIGITS = rf"\d{_DIGITS_REST}"
_SCALE_AFTER = rf"(?:\s?(?:{_alt(w for w in SCALES)})\b|(?:{_alt(SUFFIXES)})\b)?"
_DIGITS_SCALED = rf"{_DIGITS}{_SCALE_AFTER}"

# A number expression, case-insensitive; no capturing groups, so it nests in bigger patterns.
NUMBER_PATTERN = (rf"(?:(?<![\w.,:/#])(?<![A-Za-z\])]-)(?<![A-Za-z\])][\-‐‑–]){_DIGITS_SCALED}(?![\w]|[.,:/]\d)|"
                  rf"\b(?:{_WORDS})\b)")
NUMBER_RE = re.compile(NUMBER_PATTERN, re.IGNORECASE)

_DIGIT_FULL = re.compile(
    rf"({_DIGITS})\s?(?:({_alt(SCALES)})|({_alt(SUFFIXES)}))?", re.IGNORECASE)
_TOKEN_SPLIT = re.compile(r"[\s\-‐‑–]+")
_RX_HYPHENS = re.compile(r"[\-‐‑–]")  # a compound's parts: "thirty-five-year"
_RX_LETTERS = re.compile(r"[a-z]+")


def parse_number(s: str) -> float | None:
    """Return the value of one number expression, or None when ``s`` is not one.

    Accepts digits with separators and decimals (``6,000``, ``6.5 million``,
    ``1.2m``, ``1.5bn``), number words (``nine``, ``thirty-five``, ``two
    hundred``, ``a dozen``, ``one hundred and twenty``) and a hyphenated
    compound's number head (``one-month`` -> 1). Never raises.
    """
    if not isinstance(s, str):
        return None
    if s.isdigit() and s.isascii():
        return float(s) if len(s) < 16 else None  # the common case, "12", without the grammar
    t = s.strip().lower().replace("\u00a0", " ")
    if not t:
        return None
    m = _DIGIT_FULL.fullmatch(t)
    if m:
        try:
            value = float(m.group(1).replace(",", ""))
        except ValueError:
            return None
        if m.group(2):
            value *= SCALES[m.group(2)]
        elif m.group(3):
            value *= SUFFIXES[m.group(3)]
        return value if value <= MAX_VALUE else None
    value = _parse_words(t)
    if value is not None:
        return value if value <= MAX_VALUE else None
    # "one-month", "two-day", "thirty-five-year": the number head of a hyphenated compound
    parts = _RX_HYPHENS.split(t)
    for n in range(len(parts) - 1, 0, -1):
        if not _RX_LETTERS.fullmatch(parts[n]) or parts[n] in UNITS or parts[n] in TENS:
            continue
        head = "-".join(parts[:n])
        if head and head[-1] != " ":
            v = parse_number(head)
            if v is not None:
                return v
    return None


def _parse_words(t: str) -> float | None:
    tokens = [w for w in _TOKEN_SPLIT.split(t.replace(",", " ")) if w and w != "and"]
    if not tokens:
        return None
    if tokens[0] in ("a", "an"):
        if len(tokens) == 1:
            return None
        tokens[0] = "one"
    total = 0.0
    current = 0.0
    seen_any = False
    last = None  # kind of the previous token: unit, tens, hundred, scale, dozen
    for w in tokens:
        if w in UNITS:
            if last in ("unit",) or (last == "tens" and UNITS[w] > 9):
                return None
            current += UNITS[w]
            last = "unit"
        elif w in TENS:
            if last in ("unit", "tens"):
                return None
            current += TENS[w]
            last = "tens"
        elif w == "hundred":
            if last == "hundred":
                return None
            current = (current or 1) * 100
            last = "hundred"
        elif w in SCALES:
            total += (current or 1) * SCALES[w]
            current = 0
            last = "scale"
        elif w == "dozen":
            current = (current or 1) * 12
            last = "dozen"
        else:
            return None
        seen_any = True
    return total + current if seen_any else None


def find_numbers(text: str) -> list[tuple[int, int, float]]:
    """Return (start, end, value) for every number expression in ``text``, in order."""
    out = []
    for m in NUMBER_RE.finditer(text):
        v = parse_number(m.group(0))
        if v is not None:
            out.append((m.start(), m.end(), v))
    return out


# ---------------------------------------------------------------- fast scanning
# Python's regex engine tries every alternative at every position, so one big
# alternation of number words runs well under 1 MB/s. Scanning instead looks for
# a few literal seeds (each a fast substring search), then matches the full
# grammar only where a seed starts a word.
# the look-behinds come after the first digit (and take it in): a pattern opening on a look-behind is
# tried at every position, one opening on "\d" only where a digit is
_DIGIT_SCAN = re.compile(
    rf"\d(?<![\w.,:/#]\d)(?<![A-Za-z\])][\-‐‑–]\d){_DIGITS_REST}{_SCALE_AFTER}(?![\w]|[.,:/]\d)", re.IGNORECASE)
_WORD_AT = re.compile(rf"(?:{_WORDS})\b", re.IGNORECASE)


def seed_words(words) -> tuple[str, ...]:
    """Return the lower-case ``words`` none of which starts with another (``four`` also finds ``fourteen``)."""
    out: list[str] = []
    for w in sorted({w.lower() for w in words}):
        if not any(w.startswith(k) for k in out):  # sorted: a prefix comes before the words it starts
            out.append(w)
    return tuple(out)


# every number word is found from one of these; "a" before a scale word starts the number ("a hundred")
NUMBER_SEEDS = seed_words([*UNITS, *TENS, *SCALES])
ARTICLE_WORDS = frozenset(SCALES)


def ascii_lower(text: str) -> str:
    """Return ``text`` lower-cased without changing its length (so offsets stay valid)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def word_starts(lowered: str, seeds: tuple[str, ...] = NUMBER_SEEDS,
                article_seeds: frozenset[str] = ARTICLE_WORDS) -> list[int]:
    """Return sorted offsets in ``lowered`` where a seed begins a word.

    A seed in ``article_seeds`` after "a " also gives the article's offset (``a hundred`` from its ``a``).
    """
    out = set()
    find = lowered.find
    for seed in seeds:
        p = find(seed)
        while p >= 0:
            if not (p and lowered[p - 1].isalnum()):
                out.add(p)
                if seed in article_seeds and p >= 2 and lowered[p - 2:p] == "a " and (
                        p == 2 or not lowered[p - 3].isalnum()):
                    out.add(p - 2)
            p = find(seed, p + 1)
    return sorted(out)
