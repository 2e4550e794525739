"""Which fact a claim states within its kind, so that different facts of one event never share a group.

Kind, outcome and subject are not enough to say two claims state one fact:

* ``force_size``: the party that carried out one attack ("seven gunmen
  arrived") is not the strength of the armed group behind it ("the front
  numbered around 300 fighters");
* ``figure``: "about 40 kilometres" and "hundreds of mourners" count
  different things; figures must share a unit or a counted noun;
* ``duration``: a "two-week closure" and a "three-day period of mourning"
  measure different things; a duration is keyed by what it measures;
* ``date``: the date of the attack, of the funerals and of a statement about
  them are three dates; a date is keyed by the happening it anchors, and the
  day a statement was made ("the department said on Wednesday") is never an
  event date;
* ``casualties``: the people in a stated condition ("52 were treated, nine of
  them in critical condition") are a part of the injured, not another report
  of how many were hurt; they group only with counts of the same kind.

The cue words live in the ``facts`` section of ``claims/lexicon/events.json``.
"""
from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

from claims.compare.features import (Features, Hinted, _alternation, _load_json, _require, _term, counted_noun, features,
                                     lexicon, masked, subject_class, term_hints)
from claims.extract.dates import LEX as DATE_LEX
from claims.extract.lexicon import words_alternation
from claims.extract.numbers import parse_number
from claims.model import ClaimRecord

# Fact keys that must never group: the date a statement was made, and a weekday used as a
# modifier ("the Saturday market"), which dates nothing.
STATEMENT = "statement"
ATTRIBUTIVE = "attributive"
UNGROUPED_FACTS = frozenset({STATEMENT, ATTRIBUTIVE})
# Force-size facts.
PARTY = "attack_party"
STRENGTH = "group_strength"
# The people a vehicle carried ("one bus had 44 personnel on board"): not a force's strength.
ABOARD = "aboard"
# Casualty facts: the people in a stated condition (critical, serious, intensive care), and a
# part of a toll ("among them six children", "two guards are among the dead", "nine of the injured").
CONDITION = "condition"
PART = "part"
# Casualty facts: one count over several incidents ("Together the two bombings killed 52 people").
COMBINED = "combined"
# "killed since January", "In October alone": a count over a period, never one incident's toll
PERIOD = "period"
# Casualty facts: one facility's own count ("the district hospital received 20 wounded"); the
# circumstance keys ("killed at the scene", "died later") come from the lexicon.
FACILITY = "one facility's count"
# ... and one person's ("she said she treated more than 20 wounded people").
CARER = "one carer's count"

# The key events.json gives a truce's length (measures) and its start or end (happenings): a truce's own
# figures, whichever story tells them.
TRUCE = "ceasefire"
# The happening key of when an armed group began ("founded in 2009", "took up arms in 2039"): like its
# strength, a group's, never an incident's.
FOUNDING = "founding"

# How far around a quote its cue words are looked for (characters).
_AFTER_WINDOW = 60
_BEFORE_WINDOW = 40
_WEEKDAY_RE = re.compile(r"^(?:mon|tues|wednes|thurs|fri|satur|sun)day$", re.IGNORECASE)
# A full stop before a day ("from Nov. 9 to Dec. 9", digits masked to 0) abbreviates a month: no clause ends.
# Written as one set of first characters, then what each needs: the engine skips in C to the next of them
# rather than trying three alternatives at every position (the same matches).
_CLAUSE_END_RE = re.compile(r"[;!?—–.,](?:(?<=[;!?—–])|(?<=\.)(?!\s*\d)|(?<=,)\s+(?:but|while|whereas)\b)")
_NUMBER_RE = re.compile(r"[\d.,]+")
# an aside opened after a comma and not yet closed: ", a province of about 19 million people", ", where 34
# people died in the attack ..."
_ASIDE_OPEN_RE = re.compile(r",\s*(?:an?|the|where|which|who|when)\s[^,]*$", re.IGNORECASE)
_REFERENCE_RE = re.compile(r"\b(?:since|after|before|following)\b", re.IGNORECASE)
# "(12 of the dead) were children", "(nine of them) were schoolboys": the class a part is counted in
# "(the 141 killed,) 132 of them children"
_PART_OF_THEM_RE = re.compile(r"^\s+of\s+(?:them|whom)\s+([a-z]+(?:[\s-][a-z]+)?)", re.IGNORECASE)
# "(97 deaths) among soldiers and police" too
_PART_CLASS_RE = re.compile(r"^(?:\s+of\s+(?:the|those|them|whom)(?:\s+\w+)?)?\s+(?:(?:were|was|are)\s+(?:all\s+)?|among\s+)"
                            r"(?:the\s+)?([a-z]+(?:[\s-][a-z]+)?)", re.IGNORECASE)
_POSSESSIVE_RE = re.compile(r"['’]s\s+((?:\w+[\s-]+){0,2}?\w+)")
_NEXT_WORD_RE = re.compile(r"\s+([a-z]+)")
# "Nine of the injured", "four of those killed": a count taken out of another
_PARTITIVE_RE = re.compile(r"\w\s+of\s+(?:the|those|them|whom)\b", re.IGNORECASE)
# The same with the "of" after the quote ("and 28 of them died", quote "28")
_PARTITIVE_AFTER_RE = re.compile(r"^\s+of\s+(?:the|those|them|whom)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Tables:
    party_nouns: re.Pattern[str]
    party_verb_after: re.Pattern[str]
    party_verb_clause: re.Pattern[str]
    party_verb_before: re.Pattern[str]
    aboard: re.Pattern[str]
    strength_verb: re.Pattern[str]
    strength_relative: re.Pattern[str]
    units: dict[str, str]
    unit_re: re.Pattern[str]
    measures: dict[str, str]
    measure_re: re.Pattern[str]
    happenings: dict[str, str]
    happening_re: re.Pattern[str]
    said_before: re.Pattern[str]
    said_after: re.Pattern[str]
    modified_nouns: frozenset[str]
    condition_re: Hinted
    combined_re: Hinted
    period_re: Hinted                     # "since January", "this year": a count over a period
    month_before: re.Pattern[str]         # a month's name right before a period cue: "in March last year" dates
    number_class: re.Pattern[str]         # "put the number of security personnel killed at": whose count
    part_before: re.Pattern[str]
    part_cue: re.Pattern[str]             # the same words anywhere: "26 were killed, including nine women and ..."
    part_after: Hinted
    part_opening: re.Pattern[str]         # "Of the dead, (132) were children": the whole named first
    part_referring: re.Pattern[str]       # "the other nine", "All six": a bare count pointing back
    circumstances: dict[str, str]
    circumstance_re: re.Pattern[str]
    facility_before: re.Pattern[str]
    facility_after: re.Pattern[str]
    circumstance_hints: tuple[str, ...]   # a word of every circumstance term: most clauses hold none
    group_anaphor: re.Pattern[str]        # "the group's", "the movement": an armed group named before
    having_before: re.Pattern[str]        # "thought to have": a strength, whatever the noun counted
    party_number_before: re.Pattern[str]  # "the number of attackers at": an attack party
    facility_hints: tuple[str, ...]       # the facility words ("hospital", "clinic")
    body_words: re.Pattern[str]           # "44 bodies": counted where they were brought
    bodies_brought: re.Pattern[str]       # "(23 bodies) and 48 of the wounded were brought to the hospital"
    facility_there: re.Pattern[str]       # "are being treated there": at a facility named before
    carer_before: re.Pattern[str]         # "she treated": one person's count
    carer_words: frozenset[str]           # the last word of each carer verb: most counts follow none


def _keyed(section: list, where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in section:
        key = str(_require(entry, "key", where))
        _require(entry, "example", f"{where} {key}")
        for t in _require(entry, "terms", f"{where} {key}"):
            out.setdefault(_term(t), key)
    return out


def _body(terms: list[str]) -> str:
    return words_alternation({_term(t) for t in terms}, space=r"[\s-]+")


@functools.cache
def tables() -> _Tables:
    """Load and validate the fact cue tables once."""
    facts = _require(_load_json("events.json"), "facts", "events.json")
    party = _require(facts, "force_party", "events.json facts")
    _require(party, "example", "events.json facts force_party")
    nouns = list(_require(party, "nouns", "events.json facts force_party"))
    verbs = _body(list(_require(party, "verbs", "events.json facts force_party")))
    strength = _require(facts, "force_strength", "events.json facts")
    _require(strength, "example", "events.json facts force_strength")
    strength_body = _body(list(_require(strength, "terms", "events.json facts force_strength")))
    aboard = _require(facts, "force_aboard", "events.json facts")
    _require(aboard, "example", "events.json facts force_aboard")
    aboard_body = _body(list(_require(aboard, "terms", "events.json facts force_aboard")))
    units = _keyed(_require(facts, "units", "events.json facts"), "events.json facts units")
    measures = _keyed(_require(facts, "measures", "events.json facts"), "events.json facts measures")
    happenings = _keyed(_require(facts, "happenings", "events.json facts"), "events.json facts happenings")
    places = _require(facts, "happening_places", "events.json facts")
    _require(places, "example", "events.json facts happening_places")
    place_nouns = _body(list(_require(places, "terms", "events.json facts happening_places")))
    rep = _require(facts, "reporting", "events.json facts")
    _require(rep, "example", "events.json facts reporting")
    said = _body(list(_require(rep, "terms", "events.json facts reporting")))
    cond = _require(facts, "casualty_condition", "events.json facts")
    _require(cond, "example", "events.json facts casualty_condition")
    condition_terms = list(_require(cond, "terms", "events.json facts casualty_condition"))
    condition = _body(condition_terms)
    per = _require(facts, "casualty_period", "events.json facts")
    _require(per, "example", "events.json facts casualty_period")
    months = sorted(DATE_LEX.month_full)
    periods = [t.replace("{month}", "{}").format(*ms) for t in _require(per, "terms", "events.json facts casualty_period")
               for ms in itertools.product(months, repeat=t.count("{month}"))]
    comb = _require(facts, "casualty_combined", "events.json facts")
    _require(comb, "example", "events.json facts casualty_combined")
    combined = list(_require(comb, "terms", "events.json facts casualty_combined"))
    part = _require(facts, "casualty_part", "events.json facts")
    _require(part, "example", "events.json facts casualty_part")
    part_before = _body(list(_require(part, "before", "events.json facts casualty_part")))
    part_after_terms = list(_require(part, "after", "events.json facts casualty_part"))
    part_after = _body(part_after_terms)
    openings = _body(list(_require(part, "openings", "events.json facts casualty_part")))
    referring = _body(list(_require(part, "referring", "events.json facts casualty_part")))
    circumstances = _keyed(_require(facts, "casualty_circumstance", "events.json facts"),
                           "events.json facts casualty_circumstance")
    fac = _require(facts, "casualty_facility", "events.json facts")
    _require(fac, "example", "events.json facts casualty_facility")
    places = _body(list(_require(fac, "places", "events.json facts casualty_facility")))
    receive = _body(list(_require(fac, "verbs", "events.json facts casualty_facility")))
    passive = _body(list(_require(fac, "passive", "events.json facts casualty_facility")))
    carers = _body(list(_require(fac, "carers", "events.json facts casualty_facility")))
    there = _body(list(_require(fac, "there", "events.json facts casualty_facility")))
    ana = _require(_load_json("events.json"), "group_anaphora", "events.json")
    _require(ana, "example", "events.json group_anaphora")
    anaphora = _body(list(_require(ana, "terms", "events.json group_anaphora")))
    modifiers = _body(list(_require(ana, "modifiers", "events.json group_anaphora")))
    frames = _body(list(_require(ana, "pronoun_frames", "events.json group_anaphora")))
    having = _body(list(_require(party, "having", "events.json facts force_party")))
    number_of = _body(list(_require(party, "number_of", "events.json facts force_party")))
    unit_body = words_alternation(units, space=r"[\s-]+")
    lx = lexicon()
    return _Tables(
        party_nouns=_alternation(nouns),
        # "seven gunmen arrived", "a dozen militants who stormed", "20 fighters had entered" (also past a
        # closing quotation mark: its "fighters numbering over 300" had taken part); a verb
        # right after a comma ends a clause about something else ("the Front, which has 3,000 fighters,
        # has carried out raids": the Front carried them out)
        party_verb_after=re.compile(
            rf"^[\"”’']?(?:\s*,\s*(?:who|which|that)\s+|\s*(?:(?:who|which|that)\s+)?)(?:(?:had|have|has|then|reportedly|allegedly|"
            rf"apparently|first|later|also)\s+)*(?:{verbs})(?![\w-])", re.IGNORECASE),
        # the verb after the comma that closes an aside: whose it is, the words before the aside say
        # ("the gunmen, numbering about 60, stormed the village")
        party_verb_clause=re.compile(
            rf"^\s*,\s*(?:(?:had|have|has|then|reportedly|allegedly|apparently|first|later|also)\s+)*(?:{verbs})(?![\w-])",
            re.IGNORECASE),
        # "stormed by 20 militants", "an attack carried out by a dozen fighters"
        # (a quotation may open before the count: carried out by "five martyrdom-seekers"); "the
        # attackers were four or five young men": a party noun the count is said to be
        party_verb_before=re.compile(rf"(?:(?:{verbs})\s+by|(?<![\w-])(?:{_body(nouns)})\s+(?:were|numbered))\s+[\"“]?"
                                     rf"(?:(?:some|about|around|up\s+to|at\s+least)\s+)?$", re.IGNORECASE),
        # "44 personnel on board", "44 policemen aboard": the cue in the count's own clause
        aboard=re.compile(rf"^[^,;.!?—–]{{0,40}}?(?<![\w-])(?:{aboard_body})(?![\w-])", re.IGNORECASE),
        # right after a name: "the Sarvel Hand now counts", "the Korran Legion numbers"
        strength_verb=re.compile(rf"\s+(?:(?:now|still|reportedly|currently|already|also)\s+)?(?:{strength_body})(?![\w-])",
                                 re.IGNORECASE),
        # a relative clause on the name that holds the figure: "Harakat Sela, which the army says has grown
        # to some 4,000 fighters"; "the Tarn Front, whose forces officials put at 1,200"
        strength_relative=re.compile(r"\s*,\s*(?:which|who|whose)\s[^,;:()\"“”]*$", re.IGNORECASE),
        units=units,
        unit_re=re.compile(rf"(?<![A-Za-z])(?:{unit_body})(?![A-Za-z])", re.IGNORECASE),
        measures=measures, measure_re=_alternation(list(measures)),
        happenings=happenings,
        # not a place named for it: "the evacuation centre", "a relief camp"
        happening_re=re.compile(_alternation(list(happenings)).pattern + rf"(?![\s-]+(?:{place_nouns})(?![\w-]))",
                                re.IGNORECASE),
        # "... said on Wednesday", "told reporters on Tuesday", "told our correspondent in Kere on
        # Thursday", "in a statement on Monday", "a report published last year"
        said_before=re.compile(
            rf"(?<![\w-])(?:{said}|published|released|issued|told\s+(?:[\w'’.-]+,?\s+){{0,5}}?)\s*"
            rf"(?:(?:late|early|earlier|later)\s+)?(?:(?:on|in|at|this|last|since)\s+)?$", re.IGNORECASE),
        # "the department's statement", and a reporting verb right after the date ("the Ministry of
        # Health yesterday put the final toll at 41", "police on Tuesday said")
        said_after=re.compile(rf"^(?:['’]s\s+(?:\w+\s+)?(?:{said}|announcement|press\s+release)|\s+(?:{said}))(?![\w-])",
                              re.IGNORECASE),
        modified_nouns=frozenset(lx.site_terms) | {"prayers", "prayer", "sermon", "service", "edition",
                                                  "bazaar", "session", "shift"},
        # "nine of them in critical condition", "12 were in intensive care": the count's own clause
        condition_re=Hinted(re.compile(rf"^[^,;.!?—–]{{0,40}}?(?<![\w-])(?:{condition})(?![\w-])", re.IGNORECASE),
                            condition_terms),
        # "Together they killed 52 people", "killed more than 50 people between them": the cue in the
        # count's own clause
        combined_re=Hinted(re.compile(rf"(?<![\w-])(?:{_body(combined)})(?![\w-])", re.IGNORECASE), combined),
        # "including six children", "among them two guards"
        # "put the number of security personnel killed at (more than 50)", "bringing the number of troops killed
        # to (12)": the class counted
        number_class=re.compile(rf"(?<![\w-])(?:{number_of})\s+(?P<cls>(?:[a-z]+[\s-]+){{0,2}}?[a-z]+)\s+[a-z]+\s+"
                                rf"(?:at|to)\s+[\"“]?$", re.IGNORECASE),
        month_before=re.compile(rf"(?<![\w-])(?:{_body(months)})\s+$", re.IGNORECASE),
        period_re=Hinted(re.compile(rf"(?<![\w-])(?:{_body(periods)})(?![\w-])", re.IGNORECASE), periods),
        part_before=re.compile(rf"(?<![\w-])(?:{part_before})\s+(?:the\s+)?$", re.IGNORECASE),
        part_cue=re.compile(rf"(?<![\w-])(?:{part_before})(?![\w-])", re.IGNORECASE),
        # "Two guards and two police officers are among the dead": the cue in the count's own clause,
        # before any other figure
        part_after=Hinted(re.compile(rf"^[^,;.!?—–\d]{{0,50}}?(?<![\w-])(?:{part_after})(?![\w-])", re.IGNORECASE),
                          part_after_terms),
        # the clause opens by naming the whole, and the count follows its comma ("Of the 81 people
        # injured, at least nine were left disabled"); the whole's own count comes before the comma
        part_opening=re.compile(rf"^\s*(?P<whole>(?:{openings})\s[^,;.!?—–]{{1,60}}),\s*(?:[a-z]+\s+){{0,1}}$",
                                re.IGNORECASE),
        # the cue and one word (the number), in the quote or right before it: "the other nine",
        # "All six"; not "all 34 passengers"
        part_referring=re.compile(rf"(?<![\w-])(?P<whole>{referring})\s+[\w-]+$", re.IGNORECASE),
        # "35 persons were killed at the scene", "two others died at the hospital": the cue in the
        # count's own clause, before any other figure
        # "the group's strength", "The movement had": whose strength, the sentences before say
        group_anaphor=re.compile(rf"(?<![\w-])(?:the\s+(?:(?:{modifiers})\s+)?(?:{anaphora})(?:['’]s)?|{frames})(?![\w-])",
                                 re.IGNORECASE),
        # "a rebel outfit thought to have several thousand gunmen": the group's, whatever the noun
        having_before=re.compile(rf"(?<![\w-])(?:{having})\s+[\"“‘']?$", re.IGNORECASE),
        # "put the number of attackers at 'over 70 bandits'", "the attack, which involved 100 militants"
        party_number_before=re.compile(
            rf"(?:(?<![\w-])(?:{number_of})\s+(?:the\s+)?(?:{_body(nouns)})\s+(?:at|to|as|was|is)|"
            rf"(?<![\w-])(?:involved|involving))\s+[\"“‘']?$", re.IGNORECASE),
        # "she treated more than 20 wounded", "I pulled out 12 injured": one person's count; "they"
        # and "doctors" may be all of them
        carer_before=re.compile(rf"(?<![\w-])(?:she|he|i|we)\s+(?:(?:had|has|have|personally|herself|himself)\s+)?"
                                rf"(?:{carers})\s+$", re.IGNORECASE),
        carer_words=frozenset(_term(v).split()[-1] for v in _require(fac, "carers", "events.json facts casualty_facility")),
        circumstances=circumstances,
        circumstance_hints=term_hints(circumstances),
        facility_hints=term_hints(_require(fac, "places", "events.json facts casualty_facility")),
        body_words=re.compile(rf"(?<![\w-])(?:{_body(list(_require(fac, 'bodies', 'events.json facts casualty_facility')))})"
                              rf"(?![\w-])", re.IGNORECASE),
        # after a count of bodies, in its clause: "23 bodies and 48 of the wounded were brought to the
        # hospital" (any facility, "the hospital" too: bodies brought somewhere are that place's count)
        # (not past ", and", which opens another clause: "We have recovered 18 bodies so far, and the wounded
        # have been taken to the provincial hospital")
        bodies_brought=re.compile(rf"^(?:(?!,\s*and\b)[^;.!?—–]){{0,60}}?(?<![\w-])(?:{passive})\s+(?:[\w'’.-]+\s+){{0,4}}?"
                                  rf"(?:{places})(?![\w-])", re.IGNORECASE),
        # "34 injured people are being treated there", after a facility its sentence names
        facility_there=re.compile(rf"^[^,;.!?—–\d]{{0,30}}?(?<![\w-])(?:{there})(?![\w-])", re.IGNORECASE),
        # in the count's own clause: "the toll rose to 31 after two injured passengers died in hospital"
        # tells why the total rose, so no "after", "when", "as" (another clause's subject) comes between
        circumstance_re=re.compile(rf"^(?:(?!(?<![\w-])(?:after|when|as|because|since|once|while)(?![\w-]))"
                                   rf"[^,;.!?—–\d]){{0,40}}?(?<![\w-])({_body(list(circumstances))})(?![\w-])",
                                   re.IGNORECASE),
        # "the district hospital received 20 wounded", "the General Hospital, Kere admitted": one
        # facility (singular) receives the count
        facility_before=re.compile(rf"(?<![\w-])(?:{places})(?![\w-])[^.;!?\d]{{0,25}}?\s(?:{receive})\s+"
                                   rf"(?:(?:a\s+total\s+of|another|a\s+further)\s+)?$", re.IGNORECASE),
        # "20 wounded were admitted to Kere General Hospital", "... to the district hospital": a facility
        # told apart by a name or a word before it ("taken to hospital", "to the hospital" count them all)
        facility_after=re.compile(rf"^[^,;.!?—–\d]{{0,40}}?(?<![\w-])(?:{passive})\s+(?:(?:the|a|an)\s+)?"
                                  rf"(?!(?:the|a|an|{places})(?![\w-]))(?:[\w'’.-]+\s+){{1,3}}(?:{places})(?![\w-])",
                                  re.IGNORECASE),
    )


def _clause(before: str, after: str) -> tuple[str, str]:
    """Cut ``before`` and ``after`` at the nearest clause boundary on each side."""
    cut = None
    for m in _CLAUSE_END_RE.finditer(before):
        cut = m.end()
    if cut is not None:
        before = before[cut:]
    m = _CLAUSE_END_RE.search(after)
    if m:
        after = after[:m.start()]
    return before, after


def _aside_clause(before: str, after: str) -> tuple[str, str]:
    """Return :func:`_clause`, cut after at the comma that closes an aside the quote stands in.

    What an aside set off by commas tells is its own: "Dravenmoor, a province of about 19 million people,
    has seen insurgencies that forced 300,000 people from their homes"; "In Pallokar, where 34 people died
    in the attack on the school last October, residents greeted the ceasefire".
    """
    before, after = _clause(before, after)
    if _ASIDE_OPEN_RE.search(before):
        after = after.split(",", 1)[0]
    return before, after


def _nearest(pattern: re.Pattern[str], table: dict[str, str], before: str, after: str, quote: str,
             *, prefer_after: int = 0) -> str:
    """Return the key of the cue nearest the quote (in it first, then within ``prefer_after`` after it)."""
    m = pattern.search(quote)
    if m and table.get(_term(m.group(0))):
        return table[_term(m.group(0))]
    best: tuple[int, str] | None = None
    for m in pattern.finditer(after):
        key = table.get(_term(m.group(0)))
        if key:
            dist = 0 if m.start() <= prefer_after else m.start()
            best = (dist, key)
            break
    for m in pattern.finditer(before):
        key = table.get(_term(m.group(0)))
        if key:
            dist = len(before) - m.end()
            if best is None or dist < best[0]:
                best = (dist, key)
    return best[1] if best else ""


def fact_key(kind: str, quote: str, sentence: str, unit: str | None, subject: str | None) -> str:
    """Return which fact a claim states within its kind ('' when its kind needs no finer key).

    Claims group only with claims of the same key; :data:`UNGROUPED_FACTS` keys never group.
    """
    if kind == "figure":
        key = _figure_key(quote, unit, subject)
        at = sentence.find(quote) if quote and key.startswith("count") else -1
        if at < 0:
            return key
        # A count of people is a count of what happened to them: "100 students were rescued" and "the
        # hostel housed 360 students" count two things; the clause's happening keeps them apart.
        happening = _happening_at(masked(sentence), at, at + len(quote))
        return key if not happening else f"{key}, {happening}" if ":" in key else f"{key}:{happening}"
    if kind not in _CONTEXT_KINDS:
        return ""
    # The key is read from the words around the quote, never from its digits: keyed on the text
    # with digits masked, the reports of one sentence pattern that differ only in their figures
    # ("at least 12 people were killed" / "at least 15 ...") are read once. Masking keeps every
    # offset, so the quote's place in the original sentence slices the masked one.
    at = sentence.find(quote) if quote else -1
    subject = subject if kind == "force_size" else None
    if at < 0:  # no context: the quote alone
        return _fact_at(kind, masked(quote), 0, len(quote), subject)
    # Keyed on the masked sentence (one string, read once per sentence) and the quote's place:
    # the same cache entries as its three pieces, without cutting and hashing them per claim.
    return _fact_at(kind, masked(sentence), at, at + len(quote), subject)


# Kinds whose fact is read from the quote's context in its sentence.
_CONTEXT_KINDS = frozenset({"force_size", "duration", "date", "casualties"})


@functools.lru_cache(maxsize=100_000)
def _fact_at(kind: str, text: str, start: int, end: int, subject: str | None) -> str:
    """Return the fact of the quote ``text[start:end]`` read from its context ``text`` (digits masked)."""
    return _context_fact(kind, text[start:end], text[:start], text[end:], subject)


def _context_fact(kind: str, quote: str, before: str, after: str, subject: str | None) -> str:
    if kind == "force_size":
        return _force_fact(quote, before, after, subject)
    if kind == "duration":
        t = tables()
        # The noun a duration modifies comes right after it ("a two-week closure",
        # "a three-day period of mourning"); else the clause's event word ("closed for two weeks").
        return _nearest(t.measure_re, t.measures, *_clause(before, after), quote, prefer_after=25) or "?"
    if kind == "date":
        return _date_fact(quote, before, after)
    t = tables()  # casualties
    if t.condition_re.search(after):
        return CONDITION
    clause = _clause(before, after)  # cut once: three cues below read it
    if t.combined_re.search("\n".join(clause)):
        return COMBINED
    m = t.number_class.search(before[-_AFTER_WINDOW:])
    if m:
        cls, generic = subject_class(m.group("cls"))
        if cls and not generic and cls in lexicon().subject_terms.values():
            return f"{PART}:{cls}"
    period = _period(*clause)
    if period:
        return f"{PERIOD}:{period}"
    near = after[:_AFTER_WINDOW].lower()
    m = t.circumstance_re.match(after) if any(h in near for h in t.circumstance_hints) else None
    if m:
        return t.circumstances.get(_term(m.group(1)), PART)
    if any(h in near for h in t.facility_hints) and t.facility_after.match(after):
        return FACILITY
    last = before[-_AFTER_WINDOW:]
    low = last.lower()  # (once, not once per hint)
    if any(h in low for h in t.facility_hints) and t.facility_before.search(last):
        return FACILITY
    if "there" in near and t.facility_there.match(after) and any(h in before.lower() for h in t.facility_hints):
        return FACILITY
    tail = last.rstrip()
    if tail[tail.rfind(" ") + 1:].lower() in t.carer_words and t.carer_before.search(last):
        return CARER
    partitive = (_PARTITIVE_RE.search(quote) or _PARTITIVE_AFTER_RE.match(after)
                 or t.part_before.search(before[-_BEFORE_WINDOW:]) or t.part_after.search(after))
    # "the other nine", "All six": a bare count pointing back; "Of the dead, 132 ...": the whole first
    cue = None if partitive else t.part_referring.search(before[-_BEFORE_WINDOW:] + quote)
    if not (partitive or cue) and "," in before[-_BEFORE_WINDOW:]:
        cue = t.part_opening.match(clause[0])
    if partitive or cue:
        # "12 of the dead were children": the part is the class the clause names after it
        m = _PART_CLASS_RE.match(after) or _PART_OF_THEM_RE.match(after)
        cls = _part_class(after, m) if m else None
        if cls:
            return f"{PART}:{cls}"
        if cue:
            # no class named: the cue tells which part it is, so two unnamed parts of one toll
            # ("the other nine", "All six") never join each other
            return f"{PART}:{' '.join(w for w in cue.group('whole').lower().split() if not _NUMBER_RE.fullmatch(w))}"
        return PART
    m = _BARE_PART_RE.match(after)
    if m and parse_number(quote) is not None:
        # a bare count said to be a class ("Eleven of the dead were police officers, and 12 were civilians"):
        # a part of the toll, that class's
        cls = _part_class(after, m)
        if cls:
            return f"{PART}:{cls}"
    return ""


def _part_class(after: str, m: re.Match[str]) -> str | None:
    """Return the class a part is said to be, from the words ``m`` (group 1) found after it: a specific class
    ("were children"); the class of what it is members of ("were members of the security forces"); two
    classes joined ("were police officers and soldiers"), both, as one class of their own; else None."""
    words, end = m.group(1), m.end(1)
    first, _, second = words.partition(" ")
    if second.lower() in ("and", "or"):  # "soldiers and police": the first class, then the one joined to it
        words, end = first, m.start(1) + len(first)
    if first.lower() == "members":
        m2 = _MEMBERS_OF_RE.match(after, m.start(1))
        if m2:
            words, end = m2.group(1), m2.end(1)
    classes = lexicon().subject_terms.values()
    cls, generic = subject_class(words)
    if not cls or generic or cls not in classes:
        return None
    m3 = _AND_CLASS_RE.match(after, end)
    if m3:
        other, generic = subject_class(m3.group(1))
        if other and not generic and other in classes and other != cls:
            return "+".join(sorted((cls, other)))
    return cls


# "members of the security forces": the class is what they are members of
_MEMBERS_OF_RE = re.compile(r"members\s+of\s+(?:the\s+)?([a-z]+(?:[\s-][a-z]+)?)", re.IGNORECASE)
# a second class joined to the first: "police officers and soldiers"
_AND_CLASS_RE = re.compile(r"\s+(?:and|or)\s+(?:the\s+)?([a-z]+(?:[\s-][a-z]+)?)", re.IGNORECASE)


# what a bare count is said to be: "12 were civilians", "four were children"
_BARE_PART_RE = re.compile(r"^\s+(?:were|was)\s+(?:all\s+)?([a-z]+(?:[\s-][a-z]+)?)", re.IGNORECASE)
_SUPERLATIVE_RE = re.compile(r"\b(?:\w+est|worst|most|all\s+the)\b", re.IGNORECASE)


def _period(before: str, after: str) -> str:
    """Return the period cue nearest the quote in its clause ('' when none): 'since january'."""
    t = tables()
    if t.period_re.holds_none(f"{before}\n{after}"):  # most clauses name no period: one test for both
        return ""
    b = None
    for b in t.period_re.finditer(before):
        pass
    a = t.period_re.search(after)
    m, text = (b, before) if b and (not a or len(before) - b.end() <= a.start()) else (a, after)
    # a superlative in the words before compares ("the deadliest attack this year", "Of all the
    # attacks this year, the worst", "in the deadliest attack on the military in Dorrou province this
    # year": anywhere in the cue's own phrase, up to the comma before it): no period
    if not m:
        return ""
    if t.month_before.search(text, max(0, m.start() - 12), m.start()):
        return ""  # "killed 23 people in March last year": the month's attack, dated, no count over a period
    start = max(text.rfind(",", 0, m.start()), text.rfind(";", 0, m.start()), m.start() - 80, -1) + 1
    if _SUPERLATIVE_RE.search(text, start, m.start()):
        return ""
    return " ".join(m.group(0).lower().split())


def _force_fact(quote: str, before: str, after: str, subject: str | None) -> str:
    t = tables()
    # the clause's last words: only the last two windows' worth can hold its start
    near = _clause(before[-2 * _BEFORE_WINDOW:], "")[0][-_BEFORE_WINDOW:]
    if t.party_number_before.search(near):
        return PARTY
    if t.having_before.search(near):
        return ABOARD if t.aboard.search(after) else STRENGTH  # "one bus had 44 personnel on board"
    if t.party_nouns.search(subject or quote):
        return PARTY
    if t.party_verb_after.search(after[:_AFTER_WINDOW]) or t.party_verb_before.search(before[-_BEFORE_WINDOW:]):
        return PARTY
    if t.party_verb_clause.search(after[:_AFTER_WINDOW]) and t.party_nouns.search(_clause(before, "")[0][-_BEFORE_WINDOW:]):
        return PARTY
    if t.aboard.search(after):
        return ABOARD
    return STRENGTH


@functools.lru_cache(maxsize=20_000)
def _figure_key(quote: str, unit: str | None, subject: str | None) -> str:
    return _figure_fact(quote, unit, subject)


@functools.lru_cache(maxsize=20_000)
def _happening_at(text: str, start: int, end: int) -> str:
    """Return the happening named in the clause around ``text[start:end]`` ('' when none is)."""
    t = tables()
    return _nearest(t.happening_re, t.happenings, *_aside_clause(text[:start], text[end:]), "")


def _figure_fact(quote: str, unit: str | None, subject: str | None) -> str:
    t = tables()
    if unit:
        key = t.units.get(_term(unit))
        if key is None:
            m = t.unit_re.search(unit)
            key = t.units.get(_term(m.group(0))) if m else None
        return f"unit:{key or _term(unit)}"
    # The unit written after the number ("about 40 kilometres") when the extractor left it unset.
    rest = quote
    m = _NUMBER_RE.search(quote)
    if m:
        rest = quote[m.end():]
    m = t.unit_re.match(rest.lstrip())
    if m and t.units.get(_term(m.group(0))):
        return f"unit:{t.units[_term(m.group(0))]}"
    # A count is of the very people or things its words name, not of a victim class as a toll is:
    # "about 700 university students" at a speech and "those 12 children" of a class are two counts,
    # "12 original members" and "16 members" of an alliance two more; "Some 500 mourners" meets
    # "hundreds of mourners".
    return f"count:{counted_noun(subject)}" if subject and subject.strip() else "count"


# A dateline's date: "TESKARO (Quessara), Sept 14 (APN) --", "OLMARK, Tarvessa, April 14 (Tarvessa Wire) -"
_DATELINE_AFTER_RE = re.compile(r"^\s*(?:\([^()]{1,60}\)\s*)?(?:--|[-—–])\s")
_DATELINE_BEFORE_RE = re.compile(r"^[A-Z][A-Z .'’-]+(?:\s*\([^()]{1,40}\))?,\s*(?:[A-Z][\w .'’-]*,\s*)?$")


def _date_fact(quote: str, before: str, after: str) -> str:
    t = tables()
    # The day a wire filed its story (its dateline) is when it was told, not when it happened.
    if _DATELINE_AFTER_RE.match(after) and _DATELINE_BEFORE_RE.match(before.rsplit("\n", 1)[-1]):
        return STATEMENT
    # "an armed group that has fought government forces in the north since 2039": when its war began
    if _BARE_YEAR_RE.fullmatch(quote) and _FOUGHT_SINCE_RE.search(_clause(before, "")[0]):
        return FOUNDING
    # When it was said is not when it happened.
    said = t.said_before.search(before[-_BEFORE_WINDOW:])
    said_after = t.said_after.search(after)
    # a happening declared or announced is dated by its declaring: "the state of emergency declared on 16
    # March" (the happening before the verb), "on Friday declared a 60-day state of emergency" (after it)
    if said and _ACT_VERB_RE.match(said.group(0)):
        act = _nearest(t.happening_re, t.happenings, _clause(before[:len(before) - len(said.group(0))], "")[0],
                       "", "")
        if act:
            return act
    if said_after and _ACT_VERB_RE.match(said_after.group(0).strip()):
        act = _nearest(t.happening_re, t.happenings, "", _clause("", after[said_after.end():])[1], "")
        if act:
            return act
    # "told reporters the attack on Tuesday": the words after "told" name the happening, not the hearer
    if (said and not t.happening_re.search(said.group(0))) or said_after:
        return STATEMENT
    # "Tuesday's attack": the possessive names the happening outright.
    m = _POSSESSIVE_RE.match(after)
    if m:
        key = _nearest(t.happening_re, t.happenings, "", m.group(1), "")
        if key:
            return key
    # "the crowded Saturday market": a weekday modifying a noun dates nothing.
    nxt = _NEXT_WORD_RE.match(after)
    if _WEEKDAY_RE.match(quote.strip()) and nxt and nxt.group(1) in t.modified_nouns:
        return ATTRIBUTIVE
    # The quote itself is not searched: "March" is a month here, not a march. What follows "since",
    # "after", "before" or "following" is another happening the date is set against ("the ceasefire that began on
    # November 9 is the first since talks collapsed").
    before, after = _aside_clause(before, after)
    m = _REFERENCE_RE.search(after)
    if m:
        after = after[:m.start()]
    return _nearest(t.happening_re, t.happenings, before, after, "") or "?"


# a year alone (digits masked), and a war fought since it: "has been fighting for autonomy since "
_BARE_YEAR_RE = re.compile(r"0{4}")
# ... or a war's toll since it: "The conflict in the hills has killed more than 2,300 people since "
# (no clause boundary between, but the comma of a number: "more than 0,000 people since ")
_FOUGHT_SINCE_RE = re.compile(r"(?:\b(?:has|have|had)\s+(?:been\s+)?(?:fought|fighting|waged|waging|battled|battling)\b|"
                              r"\b(?:conflict|war|insurgency|rebellion|uprising)\b(?:[^,;:]|\d,\d)*\b(?:has|have)\s+"
                              r"(?:killed|claimed|left|displaced|cost)\b)(?:[^,;:]|\d,\d)*\bsince\s+$", re.IGNORECASE)
# the reporting verbs that also do what they report: a truce announced, an emergency declared
_ACT_VERB_RE = re.compile(r"(?:declared|announced|proclaimed)(?![\w-])", re.IGNORECASE)


def clear_fact_caches() -> None:
    """Forget every fact key read so far."""
    _fact_at.cache_clear()
    _figure_key.cache_clear()
    _happening_at.cache_clear()


def claim_features(rec: ClaimRecord) -> Features:
    """Return the event features of one stored claim, with the fact of its kind it states."""
    return features(rec, fact_of=fact_key)
