"""Dates and durations: absolute and relative dates resolved against the publication date.

``find_dates(text, published=...)`` returns ``Kind.DATE`` and
``Kind.DURATION`` claims with exact spans, using precompiled regular
expressions built from ``claims/lexicon/dates.json``.

How it scans: one pass of a trie-shaped regex over an ASCII-lower-cased copy
of the text finds every anchor word (month, weekday, holiday, today/yesterday,
duration unit), and two digit-led passes find years and ISO dates. The richer
patterns are then tried only at those anchors: forwards with ``match`` at the
anchor, backwards with a ``$``-anchored search over a short window before it
("last", "early", "Monday,", the number before a unit). Overlapping
candidates are resolved longest first. Nothing loops per character in Python,
no pattern nests repetitions, and backward searches are limited to a short
window, so time and memory grow linearly with the text.

Conventions (../shared/eval/GUIDELINES.md is the spec):

* Dates are ISO values at the precision the text gives: ``2021-11-09``,
  ``2021-11`` or ``2014``.
* Relative expressions (``yesterday``, ``last month``, ``Tuesday``,
  ``two days ago``) and month-days without a year (``November 9``) are
  resolved against ``published``. Without ``published`` they are still
  emitted, with ``date=None``: we never resolve against today's date, and a
  month-day without its year has no ISO form.
* A bare weekday is the most recent such day on or before ``published``;
  ``next Tuesday`` is the first one after it. A weekday or a year-less month
  governed by an explicit future cue earlier in its sentence (``will``,
  ``scheduled``, ``until``, ``as early as`` ...) is resolved forwards
  instead, because that is what the sentence means (a past cue such as
  ``was`` or ``since`` resolves backwards; a reporting verb such as ``said``
  or a quotation mark ends the reach of an earlier cue). A year-less month or
  month-day with no cue takes the nearest year, counting a future date twice
  as far away as a past one (news mostly reports the recent past).
* All-digit dates (``8-11-2021``) take the day from a part above 12; when
  both orders are possible, the reading nearer ``published`` (without it,
  ``date=None``).
* ``last week``/``this week`` are not dates (week precision has no ISO date
  form we emit); ``N weeks ago`` is skipped for the same reason.
* The page's own metadata is not a claim: a dateline (``ISLAMABAD, Feb 9:``),
  a ``Published ...``/``Updated ...`` line, or a line holding only a date.
* Ages (``a 14-year-old``, ``13 years old``, ``aged 13``), clock times
  (``at 1800 hours``), rates (``24 hours a day``, ``$900 a month``) and titles
  (``60 Minutes``) are not durations; ``N units ago`` is a date, not a duration.
* Holidays with a fixed or rule-based day (``Christmas``, ``Thanksgiving``)
  are dates; ``Good Friday`` and other named days are not weekday references.
* Durations are ISO 8601 in the unit as written: ``P2W`` (not ``P14D``),
  ``PT90M``, ``P10Y`` for a decade. A bare article counts as one (``a month``
  -> ``P1M``); the guidelines leave such spans unscored.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from claims.errors import BadInputError, LexiconError
from claims.extract.lexicon import LEXICON_DIR, SCHEMAS, load_file
from claims.extract.lexicon import words_alternation as _alt
from claims.extract.numbers import NUMBER_PATTERN, parse_number
from claims.extract.drafts import Draft
from claims.model import Claim, Kind

LEXICON_PATH = LEXICON_DIR / "dates.json"

# How far back (characters) a tense cue may be from the date it governs.
CUE_WINDOW = 120
# A future month or month-day counts this many times as far as a past one.
FUTURE_PENALTY = 2
# A metadata line ("Published July 6, 2021") is short; longer lines are prose.
METADATA_LINE_MAX = 120


# ---------------------------------------------------------------- lexicon
@dataclass(frozen=True, slots=True)
class Unit:
    """One duration unit: its ISO 8601 designator and how many of it one word means."""

    iso: str
    time: bool
    factor: int


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The validated contents of ``claims/lexicon/dates.json``."""

    months: dict[str, int]            # lower-case form -> month number
    month_full: frozenset[str]        # full month names (may stand alone)
    month_abbrevs: frozenset[str]     # abbreviations, which may take a full stop
    weekday_abbrevs: frozenset[str]
    ambiguous_months: frozenset[str]  # forms that are also ordinary words (May, March)
    weekdays: dict[str, int]          # lower-case form -> 0 (Monday) .. 6
    weekday_blockers: frozenset[str]  # "Good" Friday: a name, not a weekday reference
    weekday_occasions: frozenset[str]  # "the Saturday market": a recurring occasion, not a date
    holidays: dict[str, tuple[int, int | None, int | None, int | None]]  # form -> (month, day, weekday, nth)
    relative_days: dict[str, int]
    shifts: dict[str, int]
    day_shifts: dict[str, int]        # before a weekday or holiday: -1 the one before, 1 the one after, 0 nearest
    month_parts: tuple[str, ...]
    units: dict[str, Unit]
    future_cues: tuple[str, ...]
    past_cues: tuple[str, ...]
    neutral_cues: tuple[str, ...]    # reporting verbs: they end the reach of an earlier cue
    year_blockers: frozenset[str]
    metadata_cues: tuple[str, ...]
    length_words: frozenset[str]      # "waited an hour before": a length of time, not a point
    clock_words: frozenset[str]       # "at 1800 hours": a clock time
    occasion_determiners: frozenset[str]  # "the Saturday market": the kind of day
    count_hedges: tuple[tuple[frozenset[str], frozenset[str]], ...]  # (words, not after) "nearly 2000": a count
    age_words: frozenset[str]         # "aged 13 years": an age, not a duration
    frequency_words: frozenset[str]   # "twice a day": a frequency
    rate_words: frozenset[str]        # "900 dollars a month": a rate
    period_sides: frozenset[str]      # "earlier this month": the date quote takes it in
    unit_modifiers: frozenset[str]    # "three straight days": between the number and its unit
    length_hedges: frozenset[str]     # "lasted about a day before": a hedge after a length word


def load_lexicon(path: Path | str = LEXICON_PATH) -> Lexicon:
    """Read and validate a dates lexicon; raise LexiconError naming the file and entry when malformed."""
    path = Path(path)
    data = load_file(path, SCHEMAS["dates.json"])
    name = path.name

    months: dict[str, int] = {}
    full: set[str] = set()
    abbrevs: set[str] = set()
    wd_abbrevs: set[str] = set()
    ambiguous: set[str] = set()
    for i, e in enumerate(data["months"]):
        if not 1 <= e["number"] <= 12:
            raise _fail(name, f"months[{i}]", f"number {e['number']} is not 1..12")
        full.add(e["forms"][0].lower())
        abbrevs.update(f.lower() for f in e["forms"][1:])
        for f in e["forms"]:
            months[f.lower()] = e["number"]
            if e.get("ambiguous"):
                ambiguous.add(f.lower())
    weekdays: dict[str, int] = {}
    for i, e in enumerate(data["weekdays"]):
        if not 0 <= e["number"] <= 6:
            raise _fail(name, f"weekdays[{i}]", f"number {e['number']} is not 0..6")
        for f in e["forms"]:
            weekdays[f.lower()] = e["number"]
        wd_abbrevs.update(f.lower() for f in e["forms"][1:])
    units: dict[str, Unit] = {}
    for i, e in enumerate(data["units"]):
        if e["iso"] not in (("H", "M", "S") if e["time"] else ("Y", "M", "W", "D")):
            raise _fail(name, f"units[{i}] ({e['forms'][0]!r})", f"iso {e['iso']!r} does not fit time={e['time']}")
        if e["factor"] < 1:
            raise _fail(name, f"units[{i}] ({e['forms'][0]!r})", "factor must be >= 1")
        for f in e["forms"]:
            units[f.lower()] = Unit(e["iso"], e["time"], e["factor"])
    holidays: dict[str, tuple[int, int | None, int | None, int | None]] = {}
    for i, e in enumerate(data["holidays"]):
        label = f"holidays[{i}] ({e['forms'][0]!r})"
        day, wd, nth = e.get("day"), e.get("weekday"), e.get("nth")
        fixed = isinstance(day, int) and not isinstance(day, bool) and 1 <= day <= 31 and wd is None
        floating = (day is None and isinstance(wd, int) and 0 <= wd <= 6
                    and isinstance(nth, int) and nth in (-1, 1, 2, 3, 4, 5))
        if not 1 <= e["month"] <= 12 or not (fixed or floating):
            raise _fail(name, label, "needs month 1..12 and either day 1..31 or weekday 0..6 with nth 1..5 or -1")
        for f in e["forms"]:
            holidays[f.lower()] = (e["month"], day, wd, nth)
    return Lexicon(
        holidays=holidays,
        months=months, month_full=frozenset(full), month_abbrevs=frozenset(abbrevs),
        weekday_abbrevs=frozenset(wd_abbrevs), ambiguous_months=frozenset(ambiguous), weekdays=weekdays,
        weekday_blockers=frozenset(e["word"].lower() for e in data["weekday_blockers"]),
        weekday_occasions=frozenset(w.lower() for e in data["weekday_occasions"]
                                    for w in e["words"]),
        relative_days={e["phrase"].lower(): e["days"]
                       for e in data["relative_days"]},
        shifts={e["word"].lower(): e["shift"]
                for e in data["relative_shifts"]},
        day_shifts={e["word"].lower(): e["shift"] for e in data["day_shifts"]},
        month_parts=tuple(e["word"].lower() for e in data["month_parts"]),
        units=units,
        future_cues=tuple(e["phrase"].lower() for e in data["future_cues"]),
        past_cues=tuple(e["phrase"].lower() for e in data["past_cues"]),
        neutral_cues=tuple(e["phrase"].lower() for e in data["neutral_cues"]),
        year_blockers=frozenset(e["word"].lower() for e in data["year_blockers"]),
        metadata_cues=tuple(e["phrase"].lower() for e in data["metadata_cues"]),
        length_words=_section_words(data["length_words"]),
        clock_words=_section_words(data["clock_words"]),
        occasion_determiners=_section_words(data["occasion_determiners"]),
        count_hedges=tuple((frozenset(w.lower() for w in e["words"]), frozenset(w.lower() for w in e.get("not_after", ())))
                           for e in data["count_hedges"]),
        age_words=_section_words(data["age_words"]),
        frequency_words=_section_words(data["frequency_words"]),
        rate_words=_section_words(data["rate_words"]),
        period_sides=_section_words(data["period_sides"]),
        unit_modifiers=_section_words(data["unit_modifiers"]),
        length_hedges=_section_words(data["length_hedges"]),
    )


def _section_words(entries: list[dict]) -> frozenset[str]:
    """Return every word of a section of ``words`` entries, lower-cased."""
    return frozenset(w.lower() for e in entries for w in e["words"])


def _fail(name: str, where: str, why: str) -> LexiconError:
    return LexiconError(f"{name}: {where}: {why}")


LEX = load_lexicon()


# ---------------------------------------------------------------- patterns
def _abbrev_dot(forms: Any) -> str:
    """Return a regex taking the full stop after an abbreviation ("Aug.", "Tues.") but not after a full name."""
    return "(?:(?:" + "|".join(f"(?<={re.escape(f)})" for f in sorted(set(forms))) + r")\.(?!\w))?"


_MONTH = rf"(?P<mon>{_alt(LEX.months)}){_abbrev_dot(LEX.month_abbrevs)}"
_MONTH_FULL = rf"(?P<mon>{_alt(set(LEX.month_full) | {'sept.'})})"
_WEEKDAY = rf"(?P<wd>{_alt(LEX.weekdays)}){_abbrev_dot(LEX.weekday_abbrevs)}"
_YEAR = r"(?:1[5-9]|20)\d\d"
_DAY = r"[0-3]?\d(?:st|nd|rd|th)?"
_DAY_END = r"(?![\d%]|[.,:]\d)"
_YEAR_END = r"(?![\w%]|[.,:/]\d)"
_RANGE = r"\s*(?:-|–|—|to|and|through|until)\s*"
_PART = rf"(?:(?:the\s+)?(?P<part>{_alt(LEX.month_parts)})(?:\s+|-|\s*-\s*))"
# numbers.py's grammar of number expressions, plus a bare article meaning one ("a month", "an hour")
_NUM = rf"(?:{NUMBER_PATTERN}|\ban?\b)"
_UNIT = rf"(?P<unit>{_alt(LEX.units)})"
_SHIFT = rf"(?P<shift>{_alt(LEX.shifts)})"

FLAGS = re.IGNORECASE
# The scanning patterns below run over an ASCII-lower-cased copy of the text
# (same length, so spans carry over): case-sensitive matching is much faster
# than IGNORECASE. Capitalisation is then checked on the original text.
# Digit-led scans start with the digits, not a lookbehind (which the engine would
# test at every position); what may precede a year is checked on the few matches.
RX_ISO = re.compile(rf"(?P<year>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\w-]|\.\d)")
RX_YEAR = re.compile(rf"(?P<year>{_YEAR}){_YEAR_END}(?:\s*[-–—/]\s*(?P<y2>\d\d)(?![\w%]|[.,:/]\d))?")
# "8-11-2021", "11/08/2021", "8.11.2021": day and month in an order the text does not say
RX_NUMERIC = re.compile(rf"(?P<a>\d(?:(?<=[0-3])\d)?)(?P<sep>[-/.])(?P<b>[0-3]?\d)(?P=sep)(?P<year>{_YEAR})(?![\w-]|[.,/]\d)")
_NOT_BEFORE_ISO = "-_"
_NOT_BEFORE_NUMERIC = "-_/.,"
_NOT_BEFORE_YEAR = "_$£€¥#/.,:%"


def _starts_clear(low: str, s: int, banned: str) -> bool:
    """Return whether position ``s`` starts a token: no letter, digit or ``banned`` character before it."""
    return s == 0 or not (low[s - 1].isalnum() or low[s - 1] in banned)


# Every word that can carry a date or duration, found in one pass; the patterns
# below are then tried only where an anchor sits (forwards with .match at the
# anchor, backwards with a "$"-anchored search over a short window before it).
_ANCHOR_KINDS: dict[str, set[str]] = {}
for _kind, _words in (("month", LEX.months), ("weekday", LEX.weekdays), ("holiday", LEX.holidays),
                      ("relday", LEX.relative_days), ("unit", LEX.units)):
    for _w in _words:
        _ANCHOR_KINDS.setdefault(_w, set()).add(_kind)
# searched without a look-behind, so the engine skips to the words' first letters; _anchors tests what precedes
_RX_ANCHOR_WORD = re.compile(rf"(?:{_alt(_ANCHOR_KINDS)})(?!\w)")
RX_ANCHOR = re.compile(rf"(?<!\w){_RX_ANCHOR_WORD.pattern}")


def _anchors(low: str) -> Iterator[re.Match]:
    """Yield the matches of RX_ANCHOR in ``low`` (a word character before a match rejects it)."""
    search = _RX_ANCHOR_WORD.search
    m = search(low)
    while m is not None:
        s = m.start()
        if s and (low[s - 1].isalnum() or low[s - 1] == "_"):  # what \w is: "(?<!\w)"
            m = search(low, s + 1)
            continue
        yield m
        m = search(low, m.end())


def anchor_words() -> frozenset[str]:
    """Return every word a date or duration can be anchored on (lower case), as RX_ANCHOR finds them."""
    return frozenset(_ANCHOR_KINDS)


_WS = re.compile(r"\s+")
# the fixed patterns the rules below use, compiled once (re.match(pattern, ...) looks its cache up per call)
_RX_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")
_RX_DIGITS = re.compile(r"\d+")
_RX_MONTH_CONTEXT_BEFORE = re.compile(
    r"\b(?:in|since|by|until|till|of|from|through|during|before|after|between|and|or|to)\s+$")
_RX_THE_NEXT = re.compile(r"the\s+(?:next|coming)")
_RX_WORD_BEFORE = re.compile(r"(\w+)\s+$")
_RX_CLOCK_DIGITS = re.compile(r"[01]\d[0-5]\d|2[0-3][0-5]\d")
_RX_READ_AFTER = re.compile(r"\s+read\b", re.IGNORECASE)
_RX_FIELD_SEP = re.compile(r"[|•·]")

# the year of a month-day: written out ("June 15, 2014") or relative ("June 15 last year")
_DAY_YEAR = rf"(?:\s*,?\s*(?P<year>{_YEAR}){_YEAR_END}|\s+(?P<yshift>{_alt(LEX.shifts)})\s+year\b)?"
RX_MDY_AT = re.compile(
    rf"{_MONTH}(?:\s+|(?<=\.))(?P<day>{_DAY}){_DAY_END}"
    rf"(?:{_RANGE}(?P<day2>{_DAY}){_DAY_END})?{_DAY_YEAR}")
RX_DMY_AT = re.compile(rf"{_MONTH}(?!\w){_DAY_YEAR}")
RX_MONTH_YEAR_AT = re.compile(rf"{_MONTH}(?:\s*,\s*|\s+(?:of\s+)?)(?P<year>{_YEAR}){_YEAR_END}")
RX_MONTH_AT = re.compile(rf"{_MONTH_FULL}(?![\w-])(?:\s+(?P<yshift>{_alt(LEX.shifts)})\s+year\b)?")
RX_WEEKDAY_AT = re.compile(rf"{_WEEKDAY}(?![\w-])")
RX_TAIL_AT = re.compile(r"\s*-?\s*old\b|\s+of\s+age\b|\s+ago\b")

BACK = 60  # characters searched before an anchor for its prefix
RX_WD_BEFORE = re.compile(rf"(?<![\w-]){_WEEKDAY}\s*,?\s+(?:the\s+)?$")
RX_DAY_BEFORE = re.compile(rf"(?<![\w.,$£€/])(?P<day>{_DAY})(?:{_RANGE}(?P<day2>{_DAY}))?\s+(?:of\s+)?$")
RX_PART_BEFORE = re.compile(rf"(?<![\w.,]){_PART}$")
RX_SHIFT_BEFORE = re.compile(rf"(?<![\w.,-]){_SHIFT}\s+$")
# "the Saturday market", "a Friday prayer congregation": a weekday between an article and the
# noun of a recurring occasion names the kind of day, not a day ("the Tuesday blast" stays a date;
# so does "in his Friday sermon", one sermon given on a particular Friday)
RX_WD_DET_BEFORE = re.compile(rf"(?<![\w-])(?:{_alt(LEX.occasion_determiners)})\s+$")
RX_WD_NOUN_AFTER = re.compile(r"\s+([a-z]+)\b")
RX_DAY_SHIFT_BEFORE = re.compile(rf"(?<![\w-])(?P<shift>{_alt(LEX.day_shifts)})\s+$")
RX_NUM_BEFORE = re.compile(
    rf"(?<![\w/.,$£€-])(?P<num>{_NUM})(?:\s+|\s*-\s*)(?:(?:{_alt(LEX.unit_modifiers)})\s+)?$")
# "two and a half", "half an", "a half-" before a unit; "and a half" after it
RX_HALF_BEFORE = re.compile(
    rf"(?<![\w/.,$£€-])(?:(?P<num>{_NUM})(?:\s+|-)and(?:\s+|-)a(?:\s+|-)half|half(?:\s+|-)an?|an?(?:\s+|-)half)"
    rf"(?:\s+|\s*-\s*)$")
RX_AND_HALF_AT = re.compile(r"\s+and\s+a\s+half\b")
RX_REL_BEFORE = re.compile(rf"(?<![\w-])(?:(?P<the>the)\s+)?(?:(?P<side>{_alt(LEX.period_sides)})\s+)?{_SHIFT}\s+$")
RX_THE_PAST_BEFORE = re.compile(rf"(?<![\w-])the\s+(?:{_alt(w for w, k in LEX.day_shifts.items() if k)})\s+$")

_FUTURE = set(LEX.future_cues)
_NEUTRAL = set(LEX.neutral_cues)
RX_CUE = re.compile(r"(?:'ll\b|(?<![\w'])(?:" + _alt(
    c for c in LEX.future_cues + LEX.past_cues + LEX.neutral_cues if c != "'ll") + r")\b)", FLAGS)
# greedy ".*" backs off from the end, so these find the LAST boundary / cue in a window in one call
RX_LAST_CUE = re.compile(r"(?s).*(?P<cue>" + RX_CUE.pattern + ")", FLAGS)
RX_PAST_AUX_BEFORE = re.compile(r"\b(?:was|were|had|had\s+been)\s+$", FLAGS)
RX_CLAUSE_START = re.compile(r"(?s).*(?:[!?\n\"“”]|``|''|\.\s+(?=[A-Z\"“'‘(]))")
RX_OFFSET_AFTER = re.compile(r"\s+(?:after|before)\b", FLAGS)
RX_LENGTH_BEFORE = re.compile(rf"\b(?:{_alt(LEX.length_words)})\s+(?:(?:{_alt(LEX.length_hedges)})\s+)?$", FLAGS)
RX_SUPERLATIVE_IN_BEFORE = re.compile(
    r"(?:\bthe|\w['’]s)\s+(?:[a-z]+\s+)?(?:[a-z]+iest|[a-z]+est|worst|first|most\s+[a-z]+)\b[^.;:!?]{0,50}\bin\s+$", FLAGS)
# "nearly 2000", "more than 1800": a hedged count, not a year ("later than 2000" stays a year)
RX_HEDGE_BEFORE = re.compile(r"\b(?:" + "|".join("".join(f"(?<!{re.escape(w)} )" for w in sorted(not_after)) + f"(?:{_alt(words)})"
                                                  for words, not_after in LEX.count_hedges) + r")\s+$", FLAGS)
RX_YEAR_PREP_BEFORE = re.compile(r"\b(?:in|since|from|until|till|by|of|the|year|during|before|after)\s+$", FLAGS)
RX_AGE_BEFORE = re.compile(rf"\b(?:{_alt(LEX.age_words)})\s*$", FLAGS)
RX_CLOCK_BEFORE = re.compile(rf"\b(?:{_alt(LEX.clock_words)})\s+$", FLAGS)
RX_RATE_AFTER = re.compile(rf"\s+(?:a|an|per|each|every)\s+{_UNIT}\b", FLAGS)
# "hours a day", "$900 a month", "5% a year": the article starts a rate's denominator
RX_RATE_BEFORE = re.compile(rf"(?:\b{_UNIT}|\d|%|\b(?:{_alt(LEX.rate_words)}))\s+$", FLAGS)
RX_FREQ_BEFORE = re.compile(rf"\b(?:{_alt(LEX.frequency_words)})\s*$", FLAGS)
# a cue opening the line (or a "|"-separated field of it): "Published July 6, 2021 | Updated ..."
RX_METADATA = re.compile(r"(?:^|[|•·])\s*(?:" + _alt(LEX.metadata_cues) + r")\b[^.!?]*$", FLAGS)
RX_NAME_BEFORE = re.compile(r"\b[A-Z]\w*\s+$")
RX_DATELINE_PREFIX = re.compile(
    r"^\s*[A-Z][\w.'’\- ]{0,40}(?:,\s*[A-Z][\w.'’\- ]{0,30}){0,2},\s*$")
# a paragraph opening with a capitalised place: "KANDARI, March 11 (Reuters) -", "MOGADISHU, Somalia, March 9 (AP) —"
RX_WIRE_DATELINE = re.compile(r"\s*[A-Z][A-Z.'’\-]{2,}(?: [A-Z][A-Z.'’\-]+){0,3}(?:,\s*[A-Z][\w.'’\- ]{0,30}){0,2},\s*$")
RX_DATELINE_SUFFIX = re.compile(r"\s*(?:\(|:|--|—|–|-\s|_)")
RX_LEFTOVER = re.compile(
    r"[\s,:;.\-–—/()]*(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?(?![a-z])[\s,]*)?"  # "Tue 23 May"
    r"[\s,:;.\-–—/()]*(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?)?[\s,|:;.\-–—/()]*", FLAGS)


# ---------------------------------------------------------------- resolution
def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    """Return the ISO value at the given precision, or None when it is not a real date."""
    if not 1 <= y <= 9999:
        return None
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def _shift_days(day: dt.date, k: int) -> dt.date | None:
    try:
        return day + dt.timedelta(days=k)
    except OverflowError:
        return None


def _tense(text: str, start: int) -> str | None:
    """Return 'future' or 'past' for the closest tense cue before ``start`` in its clause, else None.

    The clause starts after the last sentence end or quotation mark: a cue
    inside a quotation does not govern a date outside it, nor the reverse.
    """
    lo = max(0, start - CUE_WINDOW)
    cut = RX_CLAUSE_START.match(text, lo, start)
    last = RX_LAST_CUE.match(text, cut.end() if cut else lo, start)
    if last is None:
        return None
    cue = _WS.sub(" ", last.group("cue").lower())
    if cue in _NEUTRAL:
        return None
    if cue in _FUTURE:
        # "was due to", "had planned to": a past plan, whose day may well be over
        # ("were planning to" is still ahead: the progressive keeps the plan open)
        if not cue.endswith("ing") and RX_PAST_AUX_BEFORE.search(text, max(lo, last.start("cue") - 14), last.start("cue")):
            return None
        return "future"
    return "past"


def _pick(cands: list[tuple[int, Any]], now: int, direction: str | None) -> Any:
    """Choose among (ordinal, value) candidates relative to ``now`` by tense direction."""
    if direction == "future":
        ahead = [c for c in cands if c[0] >= now]
        if ahead:
            return min(ahead)[1]
    elif direction == "past":
        back = [c for c in cands if c[0] <= now]
        if back:
            return max(back)[1]
    best = min(cands, key=lambda c: (now - c[0]) if c[0] <= now else FUTURE_PENALTY * (c[0] - now))
    return best[1]


def _month_day(m: int, d: int, published: dt.date | None, direction: str | None) -> str | None:
    """Resolve a month-day without a year to the sensible year around ``published``."""
    if published is None:
        return None
    now = published.toordinal()
    cands = []
    for y in (published.year - 1, published.year, published.year + 1):
        v = _iso(y, m, d)
        if v:
            cands.append((dt.date(y, m, d).toordinal(), v))
    return _pick(cands, now, direction) if cands else None


def _month_only(m: int, published: dt.date | None, direction: str | None, shift: int | None) -> str | None:
    """Resolve a month without a year; ``shift`` -1/0/+1 for last/this/next Month."""
    if published is None:
        return None
    now = published.year * 12 + published.month - 1
    cands = [((y * 12 + m - 1), (y, m)) for y in (published.year - 1, published.year, published.year + 1)]
    if shift is not None and shift < 0:
        prior = [c for c in cands if c[0] < now]
        y, mm = max(prior)[1] if prior else cands[0][1]
    elif shift is not None and shift > 0:
        after = [c for c in cands if c[0] > now]
        y, mm = min(after)[1] if after else cands[-1][1]
    elif shift == 0:
        y, mm = published.year, m
    else:
        y, mm = _pick(cands, now, direction)
    return _iso(y, mm)


def _numeric_date(a: int, b: int, y: int, published: dt.date | None) -> str | None | bool:
    """Resolve an all-digit date whose day/month order is unstated; False when it is no date at all.

    A part above 12 must be the day. Otherwise both readings are possible
    (8-11-2021 is 8 November in most of the world, August 11 in the US):
    the one nearer ``published`` wins, a future reading counting double;
    without ``published`` an ambiguous date keeps its value unresolved.
    """
    readings = {v for v in (_iso(y, b, a), _iso(y, a, b)) if v}
    if not readings:
        return False
    if len(readings) == 1:
        return readings.pop()
    if published is None:
        return None
    now = published.toordinal()
    return _pick([(dt.date.fromisoformat(v).toordinal(), v) for v in sorted(readings)], now, None)


def _holiday_on(spec: tuple[int, int | None, int | None, int | None], y: int) -> dt.date | None:
    """Return the day a holiday falls on in year ``y`` (fixed, or the nth/last weekday of its month)."""
    month, day, wd, nth = spec
    if not 1 <= y <= 9999:
        return None
    if day is not None:
        return dt.date(y, month, day) if day <= calendar.monthrange(y, month)[1] else None
    days = [d for d in range(1, calendar.monthrange(y, month)[1] + 1) if dt.date(y, month, d).weekday() == wd]
    if nth == -1:
        return dt.date(y, month, days[-1])
    return dt.date(y, month, days[nth - 1]) if nth <= len(days) else None


def _holiday(spec: tuple[int, int | None, int | None, int | None], published: dt.date | None,
             shift: int | None, direction: str | None) -> str | None:
    """Resolve a holiday name to its date in the sensible year around ``published``."""
    if published is None:
        return None
    now = published.toordinal()
    cands = [(d.toordinal(), d.isoformat()) for y in (published.year - 1, published.year, published.year + 1)
             if (d := _holiday_on(spec, y)) is not None]
    if not cands:
        return None
    if shift == -1:
        prior = [c for c in cands if c[0] < now]
        return max(prior)[1] if prior else None
    if shift == 1:
        after = [c for c in cands if c[0] > now]
        return min(after)[1] if after else None
    return _pick(cands, now, direction)


def _weekday(wd: int, published: dt.date | None, shift: int | None, direction: str | None) -> str | None:
    """Resolve a weekday: the most recent on/before ``published``; forwards for next or a future cue."""
    if published is None:
        return None
    back = (published.weekday() - wd) % 7
    ahead = (wd - published.weekday()) % 7
    if shift == -1:
        k = -(back or 7)
    elif shift == 1:
        k = ahead or 7
    elif shift == 0:
        k = -back if back <= ahead else ahead
    elif direction == "future":
        k = ahead
    else:
        k = -back
    day = _shift_days(published, k)
    return day.isoformat() if day and day.year >= 1 else None


# ---------------------------------------------------------------- candidates
@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    claims: list[Draft]


def _date(text: str, s: int, e: int, value: str | None, rule: str) -> Draft:
    return Draft(kind=Kind.DATE, start=s, end=e, quote=text[s:e], date=value, rule=rule)


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _year_ok(text: str, start: int, end: int) -> bool:
    """Return whether a four-digit number at [start, end) is a year, not a count or a clock time."""
    nxt = _RX_NEXT_WORD.match(text[end:end + 30])
    if nxt and nxt.group(1).lower() in LEX.year_blockers:
        return False  # "2000 people", "at 1800 hours"
    before = text[max(0, start - 20):start]
    if RX_HEDGE_BEFORE.search(before):
        return False  # "nearly 2000", "more than 1800": a hedged count
    # before 1800 only with a word that makes it a time ("in 1526"): otherwise a count is likelier
    return int(text[start:start + 4]) >= 1800 or RX_YEAR_PREP_BEFORE.search(before) is not None


def _before(rx: re.Pattern, low: str, start: int, back: int = BACK) -> re.Match | None:
    """Return the match of a "$"-anchored prefix pattern ending exactly at ``start``, if any."""
    return rx.search(low, max(0, start - back), start)


def _day_number(s: str) -> int:
    """Return the day in "9", "09" or "9th"."""
    return int(_RX_DIGITS.match(s).group())


def _month_candidates(text: str, low: str, s: int, published: dt.date | None) -> Iterator[_Cand]:
    """Yield the dates a month word at ``s`` anchors: month-day, day-month, month-year, month alone."""
    if not _capitalised(text[s]):
        return
    wd = _before(RX_WD_BEFORE, low, s)
    m = RX_MDY_AT.match(low, s)
    if m:
        mon = LEX.months[m["mon"].rstrip(".")]
        if _day_number(m["day"]) > calendar.monthrange(2000, mon)[1]:
            return  # "November 31": a slip, not a month-day, and not a bare month either
        start = wd.start() if wd and _capitalised(text[wd.start()]) else s
        year = _day_year(m, published)
        yield from _day_claims(text, start, m.end(), mon, _day_number(m["day"]), (s, m.end("day")),
                               _day_number(m["day2"]) if m["day2"] else None, (m.start("day2"), m.end()),
                               year, published, "month-day")
    day = _before(RX_DAY_BEFORE, low, s)
    if day:
        m = RX_DMY_AT.match(low, s)
        if m:
            mon = LEX.months[m["mon"].rstrip(".")]
            wd = _before(RX_WD_BEFORE, low, day.start())
            start = wd.start() if wd and _capitalised(text[wd.start()]) else day.start()
            year = _day_year(m, published)
            yield from _day_claims(text, start, m.end(), mon, _day_number(day["day"]), (start, day.end("day")),
                                   _day_number(day["day2"]) if day["day2"] else None, (day.start("day2"), m.end()),
                                   year, published, "day-month")
    part = _before(RX_PART_BEFORE, low, s)
    m = RX_MONTH_YEAR_AT.match(low, s)
    if m:
        start = part.start() if part else s
        v = _iso(int(m["year"]), LEX.months[m["mon"].rstrip(".")])
        yield _Cand(start, m.end(), [_date(text, start, m.end(), v, "month-year")])
    m = RX_MONTH_AT.match(low, s)
    if not m:
        return
    shift_m = None if part else _before(RX_SHIFT_BEFORE, low, s)
    start = part.start() if part else shift_m.start() if shift_m else s
    if start == s and s > 0 and (low[s - 1].isalnum() or low[s - 1] in "._,"):
        return
    if m["mon"] in LEX.ambiguous_months and not (part or shift_m or m["yshift"]) \
            and not _RX_MONTH_CONTEXT_BEFORE.search(low[max(0, s - 20):s]):
        return  # "may" and "march" are ordinary words unless a date context surrounds them
    mon = LEX.months[m["mon"].rstrip(".")]
    if m["yshift"]:
        v = _iso(published.year + LEX.shifts[m["yshift"]], mon) if published else None
    else:
        shift = LEX.shifts[shift_m["shift"]] if shift_m else None
        v = _month_only(mon, published, None if shift is not None else _tense(text, start), shift)
    yield _Cand(start, m.end(), [_date(text, start, m.end(), v, "month")])


def _day_year(m: re.Match, published: dt.date | None) -> int | None:
    """Return the year a month-day states, or None when it states none (or only a relative one and no anchor)."""
    if m["year"]:
        return int(m["year"])
    if m["yshift"] and published:
        return published.year + LEX.shifts[m["yshift"]]
    return None


def _day_claims(text: str, start: int, end: int, mon: int, d1: int, span1: tuple[int, int], d2: int | None,
                span2: tuple[int, int], year: int | None, published: dt.date | None, rule: str) -> Iterator[_Cand]:
    """Yield one candidate for a month-day (or a day range "April 24 and 25": two claims)."""
    longest = calendar.monthrange(2000, mon)[1]  # a leap year: February 29 can exist
    if not 1 <= d1 <= longest:
        return  # "November 31" is no date
    if d2 is not None and not d1 < d2 <= longest:
        d2 = None
    direction = None if year else _tense(text, start)

    def value(d: int) -> str | None:
        return _iso(year, mon, d) if year else _month_day(mon, d, published, direction)

    if year and value(d1) is None:
        return
    if d2 is None:
        yield _Cand(start, end, [_date(text, start, end, value(d1), rule)])
    else:
        yield _Cand(start, end, [_date(text, span1[0], span1[1], value(d1), rule),
                                 _date(text, span2[0], span2[1], value(d2), rule + "-range")])


def _unit_candidates(text: str, low: str, s: int, e: int, word: str,
                     published: dt.date | None) -> Iterator[_Cand]:
    """Yield what a unit word anchors: a duration, an "N units ago" date, "last month", "the past decade"."""
    half = _before(RX_HALF_BEFORE, low, s) if "half" in low[max(0, s - 12):s] else None
    num = None if half else _before(RX_NUM_BEFORE, low, s)
    if half:
        tail = RX_TAIL_AT.match(low, e)
        yield from _duration(text, half.start(), half["num"] or "", s, e, tail.group().strip() if tail else "",
                             tail.end() if tail else e, published, half=True)
    elif num:
        after = RX_AND_HALF_AT.match(low, e)
        tail = RX_TAIL_AT.match(low, after.end() if after else e)
        yield from _duration(text, num.start(), num["num"], s, e, tail.group().strip() if tail else "",
                             tail.end() if tail else e, published, half=after is not None,
                             end=after.end() if after else None)
    elif (LEX.units[word].factor == 1 and not word.endswith("s") and low.startswith("-long", e)
          and not (s > 0 and (low[s - 1].isalnum() or low[s - 1] == "-"))):
        # "a day-long meeting": one unit, stated by the compound
        unit = LEX.units[word]
        iso = ("PT1" if unit.time else "P1") + unit.iso
        yield _Cand(s, e + 5, [Draft(kind=Kind.DURATION, start=s, end=e + 5, quote=text[s:e + 5],
                                     duration=iso, rule="unit-long")])
    if word in ("month", "year"):
        rel = _before(RX_REL_BEFORE, low, s)
        if e < len(low) and low[e] == "-":
            return  # "last year-end", "this month-long": not the period itself
        if rel and rel["the"] and rel["shift"] == "previous":
            return  # "the previous year" points back from some other date in the story
        if rel:
            yield from _relative_period(text, rel, e, word, published)
            return
    past = _before(RX_THE_PAST_BEFORE, low, s)
    if past and word == "day" and _RX_THE_NEXT.match(past.group()):
        past = None  # "the next day" points at a day; it is not a length of time
    if past and (not word.endswith("s") or word in ("hrs", "yrs", "mins", "secs")):
        unit = LEX.units[word]
        iso = ("PT" if unit.time else "P") + f"{unit.factor}{unit.iso}"
        yield _Cand(past.start(), e, [Draft(kind=Kind.DURATION, start=past.start(), end=e,
                                            quote=text[past.start():e], duration=iso, rule="the-past-unit")])


def _relative_period(text: str, rel: re.Match, end: int, unit: str,
                     published: dt.date | None) -> Iterator[_Cand]:
    """Yield "last month"/"this year" (a date) or "the last year" (a duration of one unit)."""
    shift = LEX.shifts[rel["shift"]]
    if rel["the"] and shift != 0:
        # "over the last year", "the coming month": a stretch of time, not a calendar period
        iso = "P1Y" if unit == "year" else "P1M"
        yield _Cand(rel.start(), end, [Draft(kind=Kind.DURATION, start=rel.start(), end=end,
                                             quote=text[rel.start():end], duration=iso, rule="the-past-unit")])
        return
    s = rel.start("side") if rel["side"] else rel.start("shift")
    v = None
    if published:
        v = _iso(published.year + shift) if unit == "year" else _iso(
            *_add_months(published.year, published.month, shift))
    yield _Cand(s, end, [_date(text, s, end, v, "relative-period")])


def _iter_candidates(text: str, published: dt.date | None) -> Iterator[_Cand]:
    """Yield every candidate date or duration, overlapping ones included (``_select`` decides)."""
    # A-Z lowered, every other character kept: bytes.lower() touches only ASCII bytes and a UTF-8 multi-byte
    # sequence holds none, so the round trip lowers exactly A-Z (ten times faster than str.translate)
    low = text.lower() if text.isascii() else \
        text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
    for m in RX_ISO.finditer(low):
        if not _starts_clear(low, m.start(), _NOT_BEFORE_ISO):
            continue
        v = _iso(int(m["year"]), int(m["m"]), int(m["d"]))
        if v:
            yield _Cand(m.start(), m.end(), [_date(text, m.start(), m.end(), v, "iso-date")])

    for m in RX_NUMERIC.finditer(low):
        if _starts_clear(low, m.start(), _NOT_BEFORE_NUMERIC):
            v = _numeric_date(int(m["a"]), int(m["b"]), int(m["year"]), published)
            if v is not False:
                yield _Cand(m.start(), m.end(), [_date(text, m.start(), m.end(), v, "numeric-date")])

    for m in RX_YEAR.finditer(low):
        if not _starts_clear(low, m.start(), _NOT_BEFORE_YEAR) or not _year_ok(text, m.start(), m.end("year")):
            continue
        part = _before(RX_PART_BEFORE, low, m.start())
        start = part.start() if part else m.start()
        y = int(m["year"])
        claims = [_date(text, start, m.end("year"), _iso(y), "year")]
        if m["y2"]:
            y2 = y // 100 * 100 + int(m["y2"])
            if y2 > y:
                claims.append(_date(text, m.start("y2"), m.end("y2"), _iso(y2), "year-range"))
        yield _Cand(start, m.end(), claims)

    for a in _anchors(low):
        s, e = a.span()
        word = _WS.sub(" ", a.group())
        kinds = _ANCHOR_KINDS.get(word, ())
        if "month" in kinds:
            yield from _month_candidates(text, low, s, published)
        if "weekday" in kinds:
            m = RX_WEEKDAY_AT.match(low, s)
            wd = text[s:m.end("wd")] if m else ""
            if m and (_capitalised(wd) or wd.islower()) and not (s > 0 and low[s - 1] == "-"):
                before = _RX_WORD_BEFORE.search(text[max(0, s - 12):s])
                noun = RX_WD_NOUN_AFTER.match(low, m.end())
                occasion = (noun is not None and noun.group(1) in LEX.weekday_occasions
                            and _before(RX_WD_DET_BEFORE, low, s, 12) is not None)
                if not occasion and not (before and before.group(1).lower() in LEX.weekday_blockers
                                         and _capitalised(before.group(1))):
                    sh = _before(RX_DAY_SHIFT_BEFORE, low, s, 12)
                    shift = LEX.day_shifts[_WS.sub(" ", sh["shift"])] if sh else None
                    start = sh.start() if sh else s
                    direction = None if shift is not None else _tense(text, start)
                    v = _weekday(LEX.weekdays[m["wd"].rstrip(".")], published, shift, direction)
                    yield _Cand(start, m.end(), [_date(text, start, m.end(), v, "weekday")])
        if "holiday" in kinds and _capitalised(text[s]) and not (e < len(low) and low[e] == "-"):
            sh = _before(RX_DAY_SHIFT_BEFORE, low, s, 12)
            shift = LEX.day_shifts[_WS.sub(" ", sh["shift"])] if sh else None
            start = sh.start() if sh else s
            v = _holiday(LEX.holidays[word], published, shift, None if shift is not None else _tense(text, start))
            yield _Cand(start, e, [_date(text, start, e, v, "holiday")])
        if "relday" in kinds and not (s > 0 and low[s - 1] == "-") and not (e < len(low) and low[e] == "-"):
            if text[s:e] == "Today" and RX_NAME_BEFORE.search(text, max(0, s - 30), s):
                continue  # a title-case name such as a newspaper ("USA Today", "India Today")
            day = _shift_days(published, LEX.relative_days[word]) if published else None
            yield _Cand(s, e, [_date(text, s, e, day.isoformat() if day else None, "relative-day")])
        if "unit" in kinds:
            yield from _unit_candidates(text, low, s, e, word, published)


def _fmt(x: float) -> str:
    """Return a number as ISO 8601 writes it in a duration ("14", "1.5")."""
    return str(int(x)) if float(x).is_integer() else f"{x:.6g}"


def _duration(text: str, start: int, num_txt: str, us: int, ue: int, tail: str, tail_end: int,
              published: dt.date | None, *, half: bool = False, end: int | None = None) -> Iterator[_Cand]:
    """Yield the duration (or ``N units ago`` date) for a number before a unit word, skipping ages.

    ``half`` adds one half ("two and a half years", "half an hour"); ``end``
    is where the quote ends when it runs past the unit ("a year and a half").
    """
    unit_txt = text[us:ue].lower()
    end = ue if end is None else end
    if tail.endswith("old") or tail.endswith("age"):
        return  # an age: "14-year-old", "13 years of age"
    if RX_AGE_BEFORE.search(text, max(0, start - 12), start):
        return
    lead = num_txt.split()[0].lower() if num_txt.split() else ""
    if lead in ("a", "an"):
        if unit_txt in ("second", "sec") or RX_FREQ_BEFORE.search(text, max(0, start - 10), start):
            return  # "a second attack", "twice a day"
        if len(num_txt.split()) == 1 and RX_OFFSET_AFTER.match(text, end) \
                and not RX_LENGTH_BEFORE.search(text, max(0, start - 30), start):
            return  # "The ambush came a day after ...": a point in time ("waited an hour before" is a length)
        if len(num_txt.split()) == 1 and RX_SUPERLATIVE_IN_BEFORE.search(text, max(0, start - 80), start):
            return  # "the deadliest attack in a decade": a comparison, not a length of time
    if (_RX_CLOCK_DIGITS.fullmatch(num_txt) and unit_txt in ("hours", "hrs")
            and RX_CLOCK_BEFORE.search(text, max(0, start - 10), start)):
        return  # "at 1800 hours" is a clock time
    if _RX_READ_AFTER.match(text[ue:ue + 8]):
        return  # "4 min read": page furniture
    if text[us].isupper() and num_txt[:1].isdigit():
        return  # a title such as the programme "60 Minutes"
    if RX_RATE_AFTER.match(text, ue) or (lead in ("a", "an") and RX_RATE_BEFORE.search(
            text, max(0, start - 16), start)):
        return  # "24 hours a day" is a rate, not a length of time
    if not num_txt:
        n: float | None = 0.0
    elif lead in ("a", "an") and len(num_txt.split()) == 1:
        n = 1.0
    else:
        n = parse_number(num_txt)
    if n is None:
        return
    n += 0.5 if half else 0.0
    if n <= 0:
        return
    unit = LEX.units[unit_txt]
    if tail == "ago":
        if not n.is_integer() or unit.iso == "W" or unit.time:
            return  # "two weeks ago", "three hours ago": no date at the precision the text gives
        k = int(n) * unit.factor
        v = None
        if published:
            if unit.iso == "D":
                day = _shift_days(published, -k)
                v = day.isoformat() if day else None
            elif unit.iso == "M":
                v = _iso(*_add_months(published.year, published.month, -k))
            else:
                v = _iso(published.year - k)
        yield _Cand(start, tail_end, [_date(text, start, tail_end, v, "ago")])
        return
    iso = ("PT" if unit.time else "P") + _fmt(n * unit.factor) + unit.iso
    yield _Cand(start, end, [Draft(kind=Kind.DURATION, start=start, end=end, quote=text[start:end],
                                   duration=iso, rule="duration-half" if half else "duration")])


# ---------------------------------------------------------------- metadata
def _line_bounds(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Return the bounds of the line around [start, end) if it is short, else None."""
    lo = text.rfind("\n", max(0, start - METADATA_LINE_MAX), start)
    if lo < 0:
        if start > METADATA_LINE_MAX:
            return None
        lo = 0
    else:
        lo += 1
    hi = text.find("\n", end, end + METADATA_LINE_MAX)
    if hi < 0:
        hi = len(text) if len(text) - end <= METADATA_LINE_MAX else -1
    if hi < 0 or hi - lo > METADATA_LINE_MAX:
        return None
    return lo, hi


def _is_metadata(text: str, c: _Cand) -> bool:
    """Return whether a date candidate is the page's own dateline or publication line."""
    if all(cl.kind is not Kind.DATE for cl in c.claims):
        return False
    # a wire dateline opens a paragraph that runs on: "KANDARI, March 11 (Reuters) - A bomber ..."
    if RX_DATELINE_SUFFIX.match(text, c.end):
        nl = text.rfind("\n", max(0, c.start - 60), c.start)
        if (nl >= 0 or c.start <= 60) and RX_WIRE_DATELINE.match(text[nl + 1:c.start]):
            return True
    bounds = _line_bounds(text, c.start, c.end)
    if bounds is None:
        return False
    lo, hi = bounds
    before, after = text[lo:c.start], text[c.end:hi]
    if RX_METADATA.search(before):
        return True
    if RX_DATELINE_PREFIX.match(before) and RX_DATELINE_SUFFIX.match(after):
        return True
    # a line, or a "|"-separated field of a byline ("By A. Writer | 9 November 2021"),
    # holding nothing but the date and perhaps a clock time
    before = _RX_FIELD_SEP.split(before)[-1]
    after = _RX_FIELD_SEP.split(after)[0]
    return RX_LEFTOVER.fullmatch(before) is not None and RX_LEFTOVER.fullmatch(after) is not None


# ---------------------------------------------------------------- public
def _select(cands: list[_Cand]) -> Iterator[_Cand]:
    """Resolve overlapping candidates: within each cluster of overlapping spans, longest first."""
    cands.sort(key=lambda c: (c.start, -c.end))
    cluster: list[_Cand] = []
    cluster_end = -1
    for c in cands + [None]:  # type: ignore[list-item]
        if c is not None and c.start < cluster_end:
            cluster.append(c)
            cluster_end = max(cluster_end, c.end)
            continue
        if cluster:
            taken: list[_Cand] = []
            for k in sorted(cluster, key=lambda k: (-(k.end - k.start), k.start)):
                if all(k.end <= t.start or t.end <= k.start for t in taken):
                    taken.append(k)
            yield from sorted(taken, key=lambda k: k.start)
        if c is not None:
            cluster, cluster_end = [c], c.end


def find_dates(text: str, *, published: dt.date | None = None) -> list[Claim]:
    """Return date and duration claims in ``text`` (sentence and attribution left empty).

    ``published`` anchors relative expressions; a ``datetime`` counts as its
    date. Without it, relative dates and year-less month-days get ``date=None``.
    """
    return [d.claim() for d in date_drafts(text, published=published)]


def date_drafts(text: str, *, published: dt.date | None = None) -> list[Draft]:
    """Return what :func:`find_dates` returns, as drafts (``extract`` makes each Claim with its sentence)."""
    if isinstance(published, dt.datetime):
        published = published.date()
    elif published is not None and not isinstance(published, dt.date):
        raise BadInputError(f"published: want a date, got {type(published).__name__} {published!r:.40}")
    if not text:
        return []
    cands = list(_iter_candidates(text, published))
    out: list[Draft] = []
    for c in _select(cands):
        if _is_metadata(text, c):
            continue
        out.extend(c.claims)
    out.sort(key=lambda c: (c.start, c.end))
    return _join_durations(text, out)


_ISO_PART = re.compile(r"^P(?:(?P<Y>[\d.]+)Y)?(?:(?P<Mo>[\d.]+)M)?(?:(?P<W>[\d.]+)W)?(?:(?P<D>[\d.]+)D)?"
                       r"(?:T(?:(?P<H>[\d.]+)H)?(?:(?P<Mi>[\d.]+)M)?(?:(?P<S>[\d.]+)S)?)?$")
_ISO_ORDER = ("Y", "Mo", "W", "D", "H", "Mi", "S")
RX_NOT_COUNTED = re.compile(r"(?:the|this|that|last|next|past|coming|a|an)\b", FLAGS)
RX_DURATION_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)", FLAGS)


def _iso_parts(iso: str) -> dict[str, str] | None:
    m = _ISO_PART.match(iso or "")
    return {k: v for k, v in m.groupdict().items() if v} if m else None


def _join_durations(text: str, claims: list[Draft]) -> list[Draft]:
    """Join "two hours and 15 minutes" into one duration (PT2H15M): units written largest first."""
    out: list[Draft] = []
    for c in claims:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind is Kind.DURATION and c.kind is Kind.DURATION
                and RX_DURATION_JOIN.fullmatch(text, prev.end, c.start)
                and not RX_NOT_COUNTED.match(prev.quote) and not RX_NOT_COUNTED.match(c.quote)):
            a, b = _iso_parts(prev.duration), _iso_parts(c.duration)
            if a and b and "W" not in a and "W" not in b \
                    and max(_ISO_ORDER.index(k) for k in a) < min(_ISO_ORDER.index(k) for k in b) \
                    and all(float(v).is_integer() for v in a.values()):
                parts = {**a, **b}
                date = "".join(f"{parts[k]}{k[0]}" for k in ("Y", "Mo", "D") if k in parts)
                time = "".join(f"{parts[k]}{k[0]}" for k in ("H", "Mi", "S") if k in parts)
                iso = "P" + date + ("T" + time if time else "")
                out[-1] = Draft(kind=Kind.DURATION, start=prev.start, end=c.end, quote=text[prev.start:c.end],
                                duration=iso, rule="duration-joined")
                continue
        out.append(c)
    return out


__all__ = ["find_dates", "date_drafts", "load_lexicon", "Lexicon", "LEXICON_PATH"]
