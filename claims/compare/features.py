"""Event features of a claim: who, where, what and when, read from its sentence and document.

Grouping compares these features rather than raw text, so that two outlets
wording one event differently ("Taliban gunmen stormed the Army Public School
in Peshawar" / "the TTP attack on a Peshawar school") still meet. The cue
words live in ``claims/lexicon/synonyms.json`` and ``claims/lexicon/events.json``.
"""
from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterator, NamedTuple

from claims.errors import BadInputError, LexiconError
from claims.extract.lexicon import load, words_alternation
from claims.model import ClaimRecord, Kind, Outcome

# A capitalised run, allowing hyphenated and particle-joined spellings such as
# "Tehrik-i-Taliban Pakistan" or "Lashkar-e-Jhangvi", "Movement for the Unity of Tindara", and acronyms
# like "TTP".
# A name runs over one line break (a wrapped line), never over a blank line ("... in Osland\n\nThe Tessel
# Brigades are ...": a headline's last word and a paragraph's first name are two names).
# It opens on the capital and looks behind it after, so the scan skips to capitals in C (the same
# matches as a look-behind first, which every position of the text had to try).
_NAME_RE = re.compile(
    r"[A-Z](?<![\w'’][A-Z])[\w'’.-]*[\w]?"
    r"(?:(?:[ \t]+\n?[ \t]*|\n[ \t]*|-)(?:(?:(?:of|for)(?:\s+the)?|the|al|ul|e|i|and|de|bin|ibn"
    # Romance and Dutch particles: "Los Hijos del Mar", "Centro de Estudios", "Van der Berg"
    r"|del|della|di|da|do|dos|das|du|des|la|las|los|van|von|der|den|y)(?:\s+|-))?"
    r"[A-Z][\w'’.-]*[\w]?)*"
)
# (no digit before it: looked behind after the first two digits, so the search skips in C to a "1" or "2";
# with the look-behind first, every position of the text was tried)
_YEAR_RE = re.compile(r"((?:1[89]|20)(?<!\d..)\d\d)(?!\d)")
_POSSESSIVE_RE = re.compile(r"['’]s$")
# any possessive in a name: "Ketaporan People's Vanguard" is "ketaporan people vanguard", whose initials
# are its acronym (KPV), not "people s" with a stray word
_POSSESSIVE_S_RE = re.compile(r"['’]s\b")
_POSSESSIVE_SPLIT_RE = re.compile(r"['’]s(?:\s+|$)")
_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")
_SPACE_RE = re.compile(r"[\s-]+")
# A capitalised word right before a class word makes it part of a name ("Reserve Police Force").
_NAMED_BEFORE_RE = re.compile(r"[A-Z][\w'’.-]*\s+$")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The loaded, validated cue tables."""

    subject_terms: dict[str, str]          # normalised term -> class
    class_within: dict[str, str]           # class -> the class it is one kind of (worshippers -> civilians)
    generic_classes: frozenset[str]
    outcome_nouns: dict[str, frozenset[str]]  # outcome -> subjects that only repeat it ("48 injured")
    subject_re: re.Pattern[str]
    kind_terms: dict[str, str]             # term -> event kind key
    kind_re: re.Pattern[str]
    site_terms: dict[str, str]             # term -> site key
    site_re: re.Pattern[str]
    cue_re: re.Pattern[str]                # kinds and sites in one pass, over lower-cased text
    aliases: dict[str, str]                # normalised name -> canonical normalised name
    particles: frozenset[str]
    leading_words: frozenset[str]
    not_names: frozenset[str]
    org_words: frozenset[str] = frozenset()  # last words of organisation names, which are no places
    perpetrators: frozenset[str] = frozenset()  # classes that count attackers ("four gunmen were killed")
    group_words: frozenset[str] = frozenset()   # last words of armed groups' names ("Front", "Militia")
    armed_aliases: frozenset[str] = frozenset()  # canonical names of the alias table's armed groups ("ttp")
    violent: dict[str, bool] = field(default_factory=dict)  # event kind key -> violence (True) or a truce (False)
    accidental: frozenset[str] = frozenset()  # event kinds of disasters and accidents ("cyclone", "capsized")
    name_possessives: frozenset[str] = frozenset()  # "People" of "People's Army": a possessive inside a name
    place_units: frozenset[str] = frozenset()       # "province", "district": last words of places, not actors
    previous_figure: re.Pattern[str] | None = None  # "That toll ...": a sentence about the one before it
    since_event: re.Pattern[str] | None = None      # "(five years) since the raid": a span counted from an event
    separate: Hinted | None = None                  # "In a separate attack": a sentence telling of another
    superseded: Hinted | None = None                # "down from the 14 first reported": a replaced figure
    replaced_from: re.Pattern[str] | None = None    # "..., up from an earlier": right before the figure replaced
    replaced_by: Hinted | None = None               # "18 had died, then 27": right after the figure replaced
    toll_re: re.Pattern[str] | None = None          # an outcome noun: a text that gives a toll ("Seven killed")
    elapsed: re.Pattern[str] | None = None          # "four years after deadly": a span counted from an earlier event
    street_after: re.Pattern[str] | None = None     # " Street" after "Market": a street's name, not a target
    document_after: re.Pattern[str] | None = None   # " report" after a name: its author ("A Defence Committee report")


def _load_json(name: str) -> dict:
    return load(name)  # validated against its schema in claims/extract/lexicon.py


def _require(entry: dict, key: str, where: str) -> object:
    if key not in entry:
        raise BadInputError(f"{where}: entry {entry!r} lacks field {key!r}")
    return entry[key]


def _term(text: str) -> str:
    """Return a cue term's lookup form: lower case, hyphens and runs of space as one space."""
    return _SPACE_RE.sub(" ", text.lower()).strip()


def _alternation(terms: list[str], *, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    # "suicide bombing" wins over "bombing": the builder tries the longest term first
    body = words_alternation(terms, space=r"[\s-]+")
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", flags)


def term_hints(terms) -> tuple[str, ...]:
    """Return the longest word of each term, lower case: a text holding none of them matches no term.

    A word that holds another hint is left out ("separately" holds "separate"): a text holding it holds
    the shorter one too, so the test answers the same with one substring search fewer.
    """
    words = {max(_term(t).split(), key=len) for t in terms}
    return tuple(sorted(w for w in words if not any(h != w and h in w for h in words)))


# A hint with more terms under it than this is not followed by the terms' test: the pattern is searched.
_HINT_FORMS = 16


def _hint_cover(terms) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return (hint, terms) pairs for :class:`Hinted`: hint words, lower case, such that every term holds one,
    each with the terms it stands for in lookup form (empty: the hint is itself a term, or stands for too many).

    The hints are :func:`term_hints`' words, those that stand for most terms first; then each hint every
    term of which holds another is dropped, the shortest words (the most common) first.
    """
    forms = sorted({_term(t) for t in terms})
    words = {f: f.split() for f in forms}
    left = set(term_hints(terms))

    def holds(f: str, h: str) -> bool:
        return any(h in w for w in words[f])

    chosen: list[str] = []
    todo = set(forms)
    while todo:
        best = max(sorted(left), key=lambda h: (sum(holds(f, h) for f in todo), len(h)))
        chosen.append(best)
        left.discard(best)
        todo = {f for f in todo if not holds(f, best)}
    for h in sorted(chosen, key=lambda w: (len(w), w)):
        rest = [c for c in chosen if c != h]
        if all(any(holds(f, c) for c in rest) for f in forms):
            chosen = rest
    out = []
    mine: dict[str, list[str]] = {h: [] for h in chosen}
    for f in forms:
        mine[next(h for h in chosen if holds(f, h))].append(f)
    for h in chosen:
        fs = mine[h]
        out.append((h, () if h in fs or len(fs) > _HINT_FORMS else tuple(fs)))
    return tuple(out)


class Hinted:
    """A compiled cue pattern every match of which holds one of its terms, with a quick test for texts holding none.

    An unanchored search of a cue alternation tries the pattern at every position of a text, and most
    texts hold no cue at all: substring tests (in C) over the lower-cased text rule them out first. Each
    term has a hint, one of its words, and a few hints cover all the terms (a word several terms hold
    serves them all: "from" for "down from", "rose from", "up from"; "and" is no hint, since "and then"
    holds "then"); a text holding a hint is then tested for the whole terms under it, over the text with
    hyphens and runs of space made one space, as the pattern's ``[\\s-]+`` between words allows ("The
    death toll from the attack rose to 12" holds "rose" and "from" but not "rose from"), so the
    pattern's search, its look-behind tried at every position, is spared. Only ASCII texts and terms
    take the shortcut: there, lower case is exactly what IGNORECASE matches. Build it from the very
    terms the pattern alternates, and only for a pattern no match of which can miss them all.
    """

    __slots__ = ("pattern", "hints", "_by_hint")

    def __init__(self, pattern: re.Pattern[str], terms: list[str]):
        self.pattern = pattern
        usable = terms and all(t.isascii() and _term(t) for t in terms)
        self._by_hint = _hint_cover(terms) if usable else ()
        self.hints = tuple(h for h, _ in self._by_hint) if usable else None

    def _none(self, text: str) -> bool:
        """Return whether ``text`` surely holds no match."""
        if self.hints is None or not text.isascii():
            return False
        low = text.lower()
        spaced = None
        for hint, forms in self._by_hint:
            if hint in low:
                if not forms:
                    return False
                if spaced is None:
                    spaced = " ".join(low.replace("-", " ").split())
                for form in forms:
                    if form in spaced:
                        return False
        return True

    def holds_none(self, text: str) -> bool:
        """Return whether ``text`` surely holds no match (False: it may hold one)."""
        return self._none(text)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return None if self._none(text) else self.pattern.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return None if self._none(text) else self.pattern.match(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return iter(()) if self._none(text) else self.pattern.finditer(text, pos, endpos)


@functools.cache
def lexicon() -> Lexicon:
    """Load and validate the synonym and event tables once."""
    syn = _load_json("synonyms.json")
    ev = _load_json("events.json")
    subject_terms: dict[str, str] = {}
    generic: set[str] = set()
    perpetrators: set[str] = set()
    within: dict[str, str] = {}
    for entry in _require(syn, "classes", "synonyms.json"):
        cls = str(_require(entry, "class", "synonyms.json classes"))
        _require(entry, "example", f"synonyms.json class {cls}")
        if entry.get("generic"):
            generic.add(cls)
        if entry.get("perpetrator"):
            perpetrators.add(cls)
        if entry.get("within"):
            within[cls] = str(entry["within"])
        for t in _require(entry, "terms", f"synonyms.json class {cls}"):
            subject_terms.setdefault(_term(t), cls)
    for cls, outer in within.items():
        if outer not in subject_terms.values():
            raise LexiconError(f"synonyms.json: class {cls!r} is within {outer!r}, which is no class")

    def table(section: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for entry in _require(ev, section, "events.json"):
            key = str(_require(entry, "key", f"events.json {section}"))
            _require(entry, "example", f"events.json {section} {key}")
            for t in _require(entry, "terms", f"events.json {section} {key}"):
                out.setdefault(_term(t), key)
        return out

    kinds, sites = table("kinds"), table("sites")
    violent = {str(e["key"]): bool(e["violent"]) for e in ev["kinds"] if "violent" in e}
    accidental = frozenset(str(e["key"]) for e in ev["kinds"] if e.get("accidental"))
    outcome_nouns: dict[str, set[str]] = defaultdict(set)
    for entry in _require(syn, "outcome_nouns", "synonyms.json"):
        outcome = str(_require(entry, "outcome", "synonyms.json outcome_nouns"))
        _require(entry, "example", f"synonyms.json outcome_nouns {outcome}")
        for t in _require(entry, "terms", f"synonyms.json outcome_nouns {outcome}"):
            # as written and in the singular a subject is compared in ("deaths" -> "death")
            outcome_nouns[outcome].update((_term(t), counted_noun(t)))
    aliases: dict[str, str] = {}
    armed_aliases: set[str] = set()
    for entry in _require(ev, "aliases", "events.json"):
        canonical = norm_name(str(_require(entry, "canonical", "events.json aliases")))
        if entry.get("armed"):
            armed_aliases.add(canonical)
        _require(entry, "example", f"events.json alias {canonical}")
        aliases[canonical] = canonical
        for n in _require(entry, "names", f"events.json alias {canonical}"):
            aliases[norm_name(n)] = canonical
    particles = frozenset(p.lower() for p in ev["particles"]["terms"])
    leading = frozenset(_require(_require(ev, "leading_words", "events.json"), "terms", "events.json leading_words"))
    not_names = frozenset(_require(_require(ev, "not_names", "events.json"), "terms", "events.json not_names"))
    superseded = list(_require(_require(ev, "superseded_figure", "events.json"), "terms", "events.json superseded_figure"))
    followed_by = list(_require(ev["superseded_figure"], "followed_by", "events.json superseded_figure"))
    separate = list(_require(_require(ev, "separate_incident", "events.json"), "terms", "events.json separate_incident"))
    since_event = list(_require(_require(ev, "anniversary_span", "events.json"), "terms", "events.json anniversary_span"))
    previous = list(_require(_require(ev, "previous_figure", "events.json"), "terms", "events.json previous_figure"))
    return Lexicon(
        subject_terms=subject_terms, class_within=within, generic_classes=frozenset(generic), perpetrators=frozenset(perpetrators),
        outcome_nouns={k: frozenset(v) for k, v in outcome_nouns.items()},
        toll_re=_alternation(sorted(set().union(*outcome_nouns.values()))),
        subject_re=_alternation(list(subject_terms)),
        kind_terms=kinds, kind_re=_alternation(list(kinds)), violent=violent, accidental=accidental,
        site_terms=sites, site_re=_alternation(list(sites)),
        cue_re=_alternation(list(kinds) + list(sites), flags=0),
        aliases=aliases, particles=particles, leading_words=leading, not_names=not_names,
        armed_aliases=frozenset(armed_aliases),
        group_words=frozenset(t.lower() for t in _require(_require(ev, "armed_groups", "events.json"), "terms",
                                                          "events.json armed_groups")),
        org_words=frozenset(t.lower() for t in _require(_require(ev, "organisations", "events.json"), "terms",
                                                         "events.json organisations")),
        name_possessives=frozenset(_require(_require(ev, "name_possessives", "events.json"), "terms",
                                            "events.json name_possessives")),
        # right after a target word, capitalised ("Market Street"): matched on the text as written
        street_after=re.compile(r"\s+(?=[A-Z])" + _alternation(list(_require(_require(
            ev, "street_words", "events.json"), "terms", "events.json street_words"))).pattern, re.IGNORECASE),
        # in the sentence's opening words ("- Upper Zandh: On the same day, ...")
        # "five years since the raid": right after a span, what it is counted from
        # opening a sentence: "That toll was put at 57 by the ministry"
        previous_figure=re.compile(r"[\"“‘']?" + _alternation(previous).pattern, re.IGNORECASE),
        since_event=re.compile(r"\s+" + _alternation(since_event).pattern, re.IGNORECASE),
        separate=Hinted(re.compile(r"^[^.;!?]{0,30}?" + _alternation(separate).pattern, re.IGNORECASE), separate),
        place_units=frozenset(t.lower() for t in _require(_require(ev, "place_units", "events.json"), "terms",
                                                           "events.json place_units")),
        superseded=Hinted(_alternation(superseded), superseded),
        # right after a figure's clause: ", then 27, now 31" (another figure within a few words); hinted: every
        # sentence not otherwise cued is searched for it, and few hold "then", "now" or "later"
        replaced_by=Hinted(re.compile(r"\s*[,;]\s*" + _alternation(followed_by).pattern
                                      + r"\s+(?:[\w'’-]+\s+){0,3}?\d", re.IGNORECASE), followed_by),
        replaced_from=re.compile(_alternation([t for t in superseded if t.endswith(" from")]).pattern
                                 + r"\s+(?:[a-z]+\s+){0,2}$", re.IGNORECASE),
        # "A National Defence Committee report ... estimated": right after a name, a document it wrote
        # (attribution.json's documents, which attribution reads as its sources)
        document_after=re.compile(r"['’]?s?\s+" + _alternation(
            [w for e in load("attribution.json")["documents"] for w in e["words"]]).pattern + r"\b", re.IGNORECASE),
        # "kills nine, four years after deadly 2016 attack": a calendar unit of dates.json (not a time of
        # day) then "after"/"since"; what follows is the earlier event
        elapsed=re.compile(_alternation([f for u in load("dates.json")["units"] if not u["time"] for f in u["forms"]]).pattern
                           + r"\s+(?:after|since)\b[^,;.!?]{0,40}$", re.IGNORECASE),
    )


def fold(text: str) -> str:
    """Return ``text`` lower-cased with accents removed."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


@functools.lru_cache(maxsize=100_000)
def norm_name(name: str) -> str:
    """Return the comparison form of a name: folded, punctuation to spaces, no leading 'the'."""
    s = _NON_ALNUM_RE.sub(" ", fold(_POSSESSIVE_S_RE.sub("", name.strip()))).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


def spelling_key(name: str, particles: frozenset[str]) -> str:
    """Return a normalised name without particles, for fuzzy spelling comparison."""
    return " ".join(w for w in name.split() if w not in particles)


def acronym(name: str, particles: frozenset[str]) -> str:
    """Return the initials of a multi-word normalised name, skipping particles ('' for one word)."""
    words = [w for w in name.split() if w not in particles]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def subject_class(subject: str | None) -> tuple[str | None, bool]:
    """Return (class or normalised subject, is_generic) for a claim subject; (None, True) when absent."""
    if not subject or not subject.strip():
        return None, True
    lx = lexicon()
    generic = None
    # A specific class anywhere in the subject wins: "wounded soldiers" counts soldiers; but not a class
    # word inside a unit's name when a later one is its head ("Central Reserve Police Force personnel"
    # counts personnel, soldiers; "police personnel" and "Mexican Police Officials" count police).
    named = None
    for m in lx.subject_re.finditer(subject):
        cls = lx.subject_terms.get(_term(m.group(0)))
        if cls and cls not in lx.generic_classes:
            if m.group(0)[:1].isupper() and _NAMED_BEFORE_RE.search(subject, 0, m.start()):
                named = named or cls
                continue
            return cls, False
        generic = generic or cls
    if named:
        return named, False
    if generic:
        return generic, True
    return counted_noun(subject), False


def counted_noun(subject: str) -> str:
    """Return a subject's comparison form in a crude singular, so "mortar rounds" meets "mortar round"."""
    s = norm_name(subject)
    return s[:-1] if s.endswith("s") and len(s) > 3 else s


def raw_names(text: str, *, headline: bool = False) -> list[tuple[str, bool, bool]]:
    """Return (name, reliable, place) for each capitalised name in ``text``, skipping non-name words.

    ``place`` is True for a name right after a locative word ("in", "near",
    "outside"): two claims placed in different towns are two events.

    A name is unreliable when its capital may only mark the start of the
    text ("Death toll rises ...") or a title-case ``headline``; grouping keeps
    such a name only if the corpus also shows it capitalised mid-sentence.
    """
    title_case = False
    if headline:
        words_all = re.findall(r"[A-Za-z][\w'’-]{3,}", text)
        title_case = len(words_all) >= 3 and sum(w[0].isupper() for w in words_all) > 0.6 * len(words_all)
    lead = len(text) - len(text.lstrip(" \t\n\"“'‘([—-"))
    out = []
    site_re = lexicon().site_re
    for m in _NAME_RE.finditer(text):
        st = m.start()
        names = _clean_name(m.group(0), st <= lead)
        if not names:
            continue  # a run that is no name ("The", "Officials" opening a sentence): where it stands tells nothing
        # a locative word ends in a space right before the name: most names have none
        loc = _locative(text[max(0, st - _LOCATIVE_REACH - 1):st]) if st and text[st - 1].isspace() else None
        place = loc is not None
        if (place and loc in _AT_WORDS and text[m.end():m.end() + 1] in (" ", "-")
                and site_re.match(text, m.end() + 1)):
            # "at the Brennock refinery", "on the Harrow Vale school": the name of a works, which lies
            # inside a town, is no place of its own ("in Kestrel Ford market" is the town's market)
            place = False
        if place and loc == "of":
            place = "of"  # "the town of Sarnavi": a settlement, the most precise place a text gives
        for name, reliable in names:
            out.append((name, reliable and not title_case, place))
            place = False
    return out


def place_names(found: list[tuple[str, bool, bool]] | tuple) -> list[str]:
    """Return the names that ``raw_names`` marked as places ("in Peshawar", "near Quetta").

    A facility ("the Army Public School", "Kestrel Ford market") is left out: it lies inside
    a town, so "at the Army Public School" and "in Peshawar" must not count as two places.
    """
    return [n for n, _, place in found if place and _town_like(n)]


@functools.lru_cache(maxsize=50_000)
def _town_like(name: str) -> bool:
    """Return whether a name after a locative word can be a place: no facility, no organisation."""
    lx = lexicon()
    # "monitors at the Marrach Observatory said": an organisation is who spoke, not where it happened;
    # "suspicion fell on the Sabbar Hills Movement": an armed group is who did it.
    last = name.rsplit(None, 1)[-1].lower()
    return not lx.site_re.search(name) and last not in lx.org_words and last not in lx.group_words


def _possessive_split(run: str, inside: frozenset[str]) -> list[str]:
    """Split a capitalised run at its possessives ("Ostmark's Quellan"), except one inside a name
    ("the Keshal People's Army": the word before the possessive is one of ``inside``)."""
    pieces, start = [], 0
    for m in _POSSESSIVE_SPLIT_RE.finditer(run):
        word = run[:m.start()].rsplit(None, 1)[-1] if run[:m.start()].strip() else ""
        if word in inside and m.end() < len(run):
            continue
        pieces.append(run[start:m.start()])
        start = m.end()
    pieces.append(run[start:])
    return pieces


@functools.lru_cache(maxsize=50_000)
def _clean_name(match: str, initial: bool) -> tuple[tuple[str, bool], ...]:
    """Return the names in one capitalised run, each with whether its capital proves it a name."""
    lx = lexicon()
    out = []
    for piece in _possessive_split(match, lx.name_possessives):
        words = re.split(r"\s+", piece.strip(".-’' "))
        stripped = False
        while words and (words[0] in lx.leading_words or words[0].rstrip(".") in lx.leading_words):
            words = words[1:]
            stripped = True
        if not words:
            continue
        name = _POSSESSIVE_RE.sub("", " ".join(words)).rstrip(".")
        if not name or name in lx.not_names or len(name) < 2:
            continue
        low = _term(name)
        if low in lx.subject_terms or low in lx.kind_terms or low in lx.site_terms:
            continue  # "Gunmen stormed ..." at a sentence start is not a name
        out.append((name, not (initial and not stripped)))
        initial = False
    return tuple(out)


# "since talks collapsed in 2029", "the first since 2014": a year after "since" in its clause dates
# what came before, not the thing the sentence measures.
_SINCE_RE = re.compile(r"\bsince\b[^,;.!?]{0,50}$", re.IGNORECASE)
# "similar to, but worse than the 2013 one": a year in what an event is compared with dates another event
# ("the deadliest attack since 2014", "the worst week of violence since the Kalvar school massacre in
# 2023": the year of the last one as bad, not of this one)
_COMPARED_RE = re.compile(r"(?:\b(?:than|similar\s+to|unlike|compared\s+(?:with|to))\s+(?:the\s+|a\s+|an\s+)?|"
                          r"\b(?:deadliest|worst|bloodiest|biggest|largest|highest|heaviest|most\s+\w+)\b"
                          r"[^,;.!?]{0,60}\bsince\b[^,;.!?]{0,50}?\s)$", re.IGNORECASE)


_WHEN_AFTER_RE = re.compile(r"\s*,?\s*when\b", re.IGNORECASE)


def elapsed_before(sentence: str, start: int, end: int) -> bool:
    """Return whether the words just before ``end`` (from ``start`` on) end in an elapsed span ("four years
    after deadly"): what follows is the earlier event the span is counted from, not the sentence's own."""
    return lexicon().elapsed.search(sentence, max(start, end - 70), end) is not None


def year_since(sentence: str, year: int) -> bool:
    """Return whether ``sentence`` names ``year`` only as where a span starts ("killed 18,000 since 2013")."""
    found = False
    for m in _YEAR_RE.finditer(sentence or ""):
        if int(m.group(1)) == year:
            if not _SINCE_RE.search(sentence, max(0, m.start() - 60), m.start()):
                return False
            found = True
    return found


_RELATIVE_PERFECT_RE = re.compile(r"\b(?:that|which|who)\s+(?:has|have|had)\b", re.IGNORECASE)
# how far before a year a relative clause in the perfect may open and still hold it
RELATIVE_REACH = 80


def relative_perfect(sentence: str, start: int, end: int) -> bool:
    """Return whether ``sentence[start:end]`` opens a relative clause in the perfect ("an armed group that has
    fought the army since 2039"): what follows tells of the noun before it, not of the sentence's figures."""
    return _RELATIVE_PERFECT_RE.search(sentence, start, end) is not None


def sentence_year(sentence: str, quote: str, *, since: bool = True) -> int | None:
    """Return the year named in ``sentence`` nearest to ``quote``, ignoring years inside the quote.

    ``since`` False also ignores a year that "since" governs (see _SINCE_RE).
    """
    if not sentence or _YEAR_RE.search(sentence) is None:  # most sentences name no year
        return None
    q_at = sentence.find(quote) if quote else -1
    q_end = q_at + len(quote) if q_at >= 0 else -1
    best: tuple[int, int] | None = None
    for m in _YEAR_RE.finditer(sentence):
        if q_at >= 0 and m.start() < q_end and m.end() > q_at:
            continue
        if not since and _SINCE_RE.search(sentence, max(0, m.start() - 60), m.start()):
            continue
        if q_end >= 0 and m.start() >= q_end and elapsed_before(sentence, q_end, m.start()):
            continue
        if q_end >= 0 and m.start() >= q_end and relative_perfect(sentence, q_end, m.start()):
            # "... 15 civilians were killed," he said, blaming the FRK, an armed group that has fought the
            # army since 2039": the year of what the relative clause tells of another noun, not the figure's
            continue
        if _COMPARED_RE.search(sentence, max(0, m.start() - 130), m.start()) \
                and not (m.end() <= q_at and _WHEN_AFTER_RE.match(sentence, m.end())):
            # "worse than the 2013 one at Westgate": the year of what it is compared with; but "the
            # deadliest since 2021, when a bomber killed nine": the claim tells of that year's event
            continue
        dist = 0 if q_at < 0 else min(abs(m.start() - q_end), abs(q_at - m.end()))
        if best is None or dist < best[0]:
            best = (dist, int(m.group(1)))
    return best[1] if best else None


class Features(NamedTuple):
    """What grouping needs to know about one claim (a tuple: cheap to build and hash)."""

    kind: str
    outcome: str
    subject: str | None          # synonym class or normalised subject
    generic_subject: bool
    names: tuple[str, ...]       # raw names; canonicalised corpus-wide by grouping
    weak_names: tuple[str, ...]  # capitalised only by position: kept if the corpus confirms them
    places: tuple[str, ...]      # names placed by "in"/"near"/...: the sentence's, else the headline's
    kinds: frozenset[str]        # event kinds (attack, bombing, ...)
    sites: frozenset[str]        # targets (school, mosque, ...)
    year: int | None             # the event's year
    year_stated: bool            # True when the sentence names it, False when guessed from publication
    sentence_names: tuple[str, ...] = ()  # the names in the sentence itself (not the headline)
    fact: str = ""               # which fact of its kind the claim states (see claims.compare.facts)


_DIGIT_RE = re.compile(r"\d")
_LOCATIVE_RE = re.compile(r"\b(in|at|on|near|outside|inside|across|around|into|towards|toward)\s+(?:the\s+)?$",
                          re.IGNORECASE)
# How far before a name a locative word is looked for (characters): "municipality of " fits.
_LOCATIVE_REACH = 17


@functools.cache
def _settlement_of_re() -> re.Pattern[str]:
    """"town of ", "province of ": a settlement or place unit and "of" right before a name place it."""
    ev = _load_json("events.json")
    words = list(_require(_require(ev, "settlement_words", "events.json"), "terms", "events.json settlement_words"))
    words += list(_require(_require(ev, "place_units", "events.json"), "terms", "events.json place_units"))
    return re.compile(rf"\b(?:{words_alternation(words)})\s+of\s+$", re.IGNORECASE)


@functools.lru_cache(maxsize=20_000)
def _locative(before: str) -> str | None:
    """Return the locative word (lower case) that ``before`` ends with, or None.

    ``before`` is the text up to a name: its last _LOCATIVE_REACH characters are searched, and one
    more character, when there is one, only tells whether the word starts at a word boundary.
    Cached: the few words before names repeat from sentence to sentence.
    """
    m = _LOCATIVE_RE.search(before, max(0, len(before) - _LOCATIVE_REACH))
    if m:
        return m.group(1).lower()
    return "of" if before.endswith("of ") and _settlement_of_re().search(before) else None
# Locative words that point at a building rather than into a town.
_AT_WORDS = frozenset({"at", "on", "inside", "into"})


class Cues(NamedTuple):
    """What one text says about an event, as :func:`text_cues` reads it."""

    reliable: tuple[str, ...]    # names whose capital proves them names, in text order, once each
    weak: tuple[str, ...]        # names capitalised only by position (see raw_names)
    places: tuple[str, ...]      # names after a locative word, facilities left out
    every: tuple[str, ...]       # all names, in text order, once each
    kinds: frozenset[str]
    sites: frozenset[str]
    settled: tuple[str, ...] = ()  # the places named as settlements ("the town of Sarnavi"), the most precise


@functools.lru_cache(maxsize=100_000)
def text_cues(text: str, headline: bool = False) -> Cues:
    """Return the names, places, event kinds and sites of a text, cached.

    Digits are masked before reading (names and cues hold none), so wire
    copies and follow-ups that differ only in their figures are read once.
    """
    # Two caches: by the text itself (claims of one sentence), then by its masked form
    # (the same sentence with another toll), which is what costs to read.
    return _masked_cues(masked(text), headline)


@functools.lru_cache(maxsize=100_000)
def masked(text: str) -> str:
    """Return ``text`` with every digit replaced by 0 (offsets unchanged): what cue reading keys on."""
    if text.isascii():  # bytes translate ASCII digits several times faster than the regex does
        return text.encode("ascii").translate(_ZEROS).decode("ascii")
    return _DIGIT_RE.sub("0", text)


_ZEROS = bytes.maketrans(b"0123456789", b"0" * 10)
_NONE: frozenset = frozenset()


@functools.lru_cache(maxsize=100_000)
def _masked_cues(masked: str, headline: bool) -> Cues:
    kinds, sites = set(), set()
    lx = lexicon()
    for m in lx.cue_re.finditer(masked.lower()):
        k, st = _cue(m.group(0))
        if k:
            kinds.add(k)
        if st and not (masked[m.start()].isupper() and lx.street_after.match(masked, m.end())):
            sites.add(st)
    # Many sentences name no site (and some no kind): they share one empty set, as frozenset() would
    # build a new one each time.
    kinds = frozenset(kinds) if kinds else _NONE
    sites = frozenset(sites) if sites else _NONE
    found = raw_names(masked, headline=headline)
    if not found:
        return Cues((), (), (), (), kinds, sites)
    # One pass: names in text order, once each; a name reliable anywhere is reliable.
    every: dict[str, None] = {}
    reliable: dict[str, None] = {}
    unproved: dict[str, None] = {}
    placed = False
    for n, ok, place in found:
        every[n] = None
        if ok:
            reliable[n] = None
        else:
            unproved[n] = None
        placed = placed or place
    weak = tuple(n for n in unproved if n not in reliable) if unproved else ()
    places = tuple(dict.fromkeys(place_names(found))) if placed else ()
    settled = tuple(n for n, _, place in found if place == "of" and n in places) if placed else ()
    return Cues(tuple(reliable), weak, places, tuple(every), kinds, sites, settled)


@functools.lru_cache(maxsize=5_000)
def _cue(term: str) -> tuple[str | None, str | None]:
    """Return the event kind and the site a cue word found by ``Lexicon.cue_re`` names (None: not that)."""
    lx = lexicon()
    if term not in lx.kind_terms and term not in lx.site_terms:
        term = _term(term)  # only a hyphen or a run of spaces needs the lookup form
    return lx.kind_terms.get(term), lx.site_terms.get(term)


def features(rec: ClaimRecord, *, fact_of: Callable[[str, str, str, str | None, str | None], str] | None = None
             ) -> Features:
    """Return the event features of one stored claim (reviewers' corrections applied).

    ``fact_of(kind, quote, sentence, unit, subject)`` names which fact of its kind the claim
    states (:func:`claims.compare.facts.claim_features` passes :func:`~claims.compare.facts.fact_key`);
    without it ``fact`` is empty. Passed in, so this module never imports the one built on it.
    """
    c = rec.claim
    sentence = c.sentence or c.quote or ""
    corrected = rec.corrected
    subject, generic = _subject_class_cached(corrected["subject"] if "subject" in corrected else c.subject)
    outcome = corrected["outcome"] if "outcome" in corrected else c.outcome
    got = _ENUM_VALUES.get(outcome)  # an Enum's .value is a slow property; this runs once per claim
    outcome = got if got is not None else str(getattr(outcome, "value", outcome) or "")
    if not generic and outcome and subject in lexicon().outcome_nouns.get(outcome, ()):
        # "48 injured": the outcome word as a noun names nobody in particular ("four of the wounded"
        # who died are another matter, and keep their subject).
        subject, generic = None, True
    # One cache lookup per claim for all its sentence gives (the claims of one sentence share it).
    names, weak, places, kinds, sites, every, has_year = _sentence_cues(sentence, rec.title or "")
    kind = _ENUM_VALUES.get(c.kind) or Kind(c.kind).value
    if subject is None and kind == "force_size" and "strong" in sentence:
        strong = _strong_subject(sentence, c.quote)
        if strong is not None:
            subject, generic = strong, False
    day = (corrected["date"] if "date" in corrected else c.date) if kind == "date" else None
    if day and str(day)[:4].isdigit():
        # A date is its own year ("the ceasefire that began on November 9 is the first since talks
        # collapsed in 2029"): another year in its sentence dates something else. It places the date in
        # no other incident (stated stays False): what a date dates, its sentence's names tell.
        year = int(str(day)[:4])
        stated = False
    else:
        # A length ("the one-month ceasefire ... is the first since talks collapsed in 2029") is not
        # dated by what it is compared with; a toll "since 2020" is a count over years, and stays so.
        year = sentence_year(sentence, c.quote, since=kind != "duration") if has_year else None
        stated = year is not None
    if year is None and rec.published:
        year = rec.published.year
    fact = ""
    if fact_of is not None and kind in _FACT_KINDS:
        fact = fact_of(kind, c.quote, sentence, corrected["unit"] if "unit" in corrected else c.unit,
                        corrected["subject"] if "subject" in corrected else c.subject)
    # Built in C, every field in order: this runs once per claim, and a namedtuple's own constructor is
    # a Python function of 13 arguments.
    return tuple.__new__(Features, (kind, outcome, subject, generic, names, weak, places, kinds, sites, year, stated,
                                    every, fact))


# "a 12,000-strong paramilitary Rural Police": the words after "-strong" name whose strength it is
_STRONG_RE = re.compile(r"[-\s]strong\s+((?:[A-Za-z][\w'-]*\s+){0,3}[A-Za-z][\w'-]*)")


@functools.lru_cache(maxsize=10_000)
def _strong_subject(sentence: str, quote: str) -> str | None:
    """Return the subject class of the force a count "-strong" is the strength of (None: none named)."""
    at = sentence.find(quote) if quote else -1
    m = _STRONG_RE.match(sentence, at + len(quote)) if at >= 0 else None
    if m is None:
        return None
    words = m.group(1).split()
    known = lexicon().subject_terms
    for k, w in enumerate(words):
        cls, generic = _subject_class_cached(w)
        if cls is not None and not generic and cls in known.values():
            # the noun the phrase ends in, read with the words before it ("paramilitary Rural Police")
            cls, generic = _subject_class_cached(" ".join(words[:k + 1]))
            return cls if not generic else None
    return None


@functools.lru_cache(maxsize=100_000)
def _sentence_cues(sentence: str, title: str) -> tuple:
    """Return :func:`_document_cues` of a sentence under its headline, and whether the sentence names a year.

    Cached per (sentence, headline): the claims of one sentence share it; what costs to read is
    cached again by the sentence with its digits masked (see _masked_cues).
    """
    m = masked(sentence)
    # A year is four digits in a row, "0000" once masked: a substring test spares most sentences the search
    # (and so most claims sentence_year).
    return _document_cues(m, title) + ("0000" in m and _YEAR_RE.search(sentence) is not None,)


@functools.lru_cache(maxsize=100_000)
def _document_cues(masked_sentence: str, title: str) -> tuple:
    """Return (names, weak names, places, kinds, sites, sentence names) of a sentence (digits masked) under its headline.

    Cached: the wire copies and follow-ups of one sentence that differ only in their figures share it
    (77,000 sentences under their headlines are 62,000 masked ones on the bench corpus).
    """
    # (unpacked at once: a named field is a Python-level property, and this runs per sentence and headline)
    names, weak, places, every, kinds, sites, _ = _masked_cues(masked_sentence, False)
    if title:
        # Follow-up sentences ("29 people were killed, the governor said") rarely repeat
        # the place: the headline names the event the document is about.
        h_names, h_weak, h_places, _, _, h_sites, _ = _headline_cues(title)
        if h_names:
            # each cue tuple holds a name once: a sentence naming none takes the headline's as they are
            names = tuple(dict.fromkeys(names + h_names)) if names else h_names
        if h_weak:
            weak = tuple([n for n in dict.fromkeys(weak + h_weak) if n not in names])
        elif weak and h_names:
            weak = tuple([n for n in weak if n not in names])
        places = places or h_places
        sites = sites or h_sites
    return names, weak, places, kinds, sites, every


# Kind and outcome members (and their plain strings, which compare equal) -> value.
_ENUM_VALUES: dict[object, str] = {m: m.value for e in (Kind, Outcome) for m in e}
_ENUM_VALUES[None] = ""

# Kinds whose claims state one of several facts (see claims.compare.facts).
_FACT_KINDS = frozenset({"force_size", "figure", "duration", "date", "casualties"})


@functools.lru_cache(maxsize=50_000)
def _headline_cues(title: str) -> Cues:
    # Positional arguments only: every claim of a document asks for its headline.
    return text_cues(title, True)


@functools.lru_cache(maxsize=10_000)
def _subject_class_cached(subject: str | None) -> tuple[str | None, bool]:
    return subject_class(subject)


def clear_feature_caches() -> None:
    """Forget every text read so far (names, cues, subjects)."""
    for cache in (text_cues, masked, _masked_cues, _clean_name, _headline_cues, _sentence_cues, _document_cues,
                  _strong_subject,
                  norm_name, _subject_class_cached, _locative, _town_like, _cue):
        cache.cache_clear()
