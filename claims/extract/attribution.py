"""Attribution: who the text says a figure comes from.

Each sentence is read for *source mentions* by small named rules (:data:`RULES`):

``attrib.headline-colon``  a headline naming its source after a colon ("...: think tank")
``attrib.according-to``    "according to X", "citing X", "a tally compiled by X", documents by their author
``attrib.subject-verb``    "X said (that) ...", "X put the toll at 58", "X documented the deaths of ..."
``attrib.trailing``        the source after the figure's clause: "..., the interior ministry said, adding ..."
``attrib.apposition``      "Tomas Reyes, a spokesman for the navy, said" (the name, not its description)
``attrib.verb-subject``    inverted: "..., said the police chief" / "“...,” said X"
``attrib.document``        a document as the source: "a report submitted to the Security Council estimated"
``attrib.saying``          "The group claimed the attack, saying ...": the sentence's subject speaks
``attrib.with-speaker``    "The toll rose to 31, with police confirming that 72 were hurt": 72 is X's
``attrib.pronoun``         "He said", "It added": the last named person or body it can mean
``attrib.title``           "The spokesman added": the last named source that title describes
``attrib.document-back``   "The report also found": the last document named before
``attrib.quotation``       a sentence inside a quotation takes the speaker named where it closes or opens
``attrib.continuation``    "... were also killed" continues the previous sentence's statement
``attrib.interview``       an interview's answer ("A: About 1,800 fighters.", "Dalen Karst: ...", "DK: ...") is the interviewee's
``attrib.list``            a list's items under "According to local authorities:" are that source's

A mention knows the span naming the source (``start``/``end``, exact text) and
a short canonical ``name`` ("UN report" for "a report prepared for the United
Nations Security Council", "Jane Doe" for "Chief Minister Jane Doe"). A mention
before its reported clause ("X said ...") governs what follows it; one after a
clause (", X said", "according to X") governs that clause as well. A figure
takes the nearest mention that governs it, else null. Names a reviewer would
read as nonsense (a weekday, a place after a preposition, a fragment cut from
a longer phrase, a bare head noun, a lone modifier) are never returned.
Cue words live in ``claims/lexicon/attribution.json``.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from claims.extract.dates import LEX as DATE_LEX
from claims.extract.lexicon import load, words_alternation
from claims.extract.numbers import ascii_lower, parse_number
from claims.extract.sentences import LIVE_STAMP

I = re.IGNORECASE
_TOKEN = re.compile(r"[^\W_][\w'’.\-&]*|[^\w\s]")
_CONNECTORS = frozenset({"of", "the", "for", "and", "in", "'s", "’s", "de", "al", "bin", "ul", "ur", "e", "on", "to"})
_LEADING_JUNK = frozenset({"the", "a", "an", "of", "for", "and", "in", "but", "while", "as", "so", "also", "on", "to",
                           "meanwhile", "however", "earlier", "later", "separately", "then", "that", "one", "another",
                           "according"})  # "According to witnesses quoted by Reuters": the witnesses
# what may stand just before a source's name: the start of a clause
_CLAUSE_OPENERS = frozenset("and but while as when that which who whom because although though whereas so yet then where if "
                            "nor or since after meanwhile however earlier later also separately now".split())
_ARTICLES = frozenset(("a", "an", "the", "one", "another"))
_ARTICLE_SPEAKER = re.compile(r"(?:^|[,;:—–])\s*(?P<np>(?:a|an|one|another)\s+(?:[a-z][\w\-]*\s+){0,2}"
                              r"(?P<head>(?!(?:there|here|too)\b)[a-z][\w\-]*))(?:\s+(?:there|here|too))?\s*$")
_PARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|ibn|bin|abu|da|de|di|du|van|von|der|la|le|ul|ur)[\-’'][A-Z]")
_NOT_SPEECH_AFTER = re.compile(r"\s+(?:responsibility|the\s+lives|lives|credit|victory|control|"
                               r"the\s+attack|to\s+have\s+killed|ownership|(?:\S+\s+){1,3}lives\b|"
                               # "claimed the raid that killed 9": claiming an attack states none of its figures
                               r"(?:the|an?|both|its)\s+(?:[\w\-]+\s+){0,2}?(?:attacks?|raids?|ambush(?:es)?|bombings?|"
                               r"blasts?|assaults?|strikes?|killings?|explosions?|shootings?|kidnappings?)\b)", I)
_PUT_NOT_FIGURE = re.compile(r"\s+(?:out|off|up|down|on|in|under|into|forward|together|an\s+end|pressure)\b", I)
_SAYING = re.compile(r",\s+saying\b", I)
_AS_SAYING = re.compile(r"\s+(?:[\w.]+\s+){0,5}?as\s+(?:saying|telling)\b", I)
# "'We are more than 6,000': RRB commander speaks": the speaker after the colon may take a present-tense verb
_HEADLINE_SOURCE = re.compile(
    r"(?P<mark>:|\s[-–—])\s*(?P<name>[A-Za-z][\w\-’'.]*(?:\s+(?:[A-Za-z][\w\-’'.]*)){0,4}?)"
    r"(?P<verb>\s+(?:speaks|says|tells\s+\w+|warns|insists|claims|admits))?$")
_MADE_BY = re.compile(r"^(?:a|an|the)?\s*(?:\w+\s+){0,3}?(?:tally|count|figures|data|report|records|list|toll|statement|"
                      r"assessment|study|survey|estimate|review|analysis|bulletin|update)s?\s+"
                      r"(?:(?:compiled|released|issued|published|prepared|provided|kept|maintained|collected|gathered|"
                      r"written|commissioned|produced)\s+)?by\s+(.+)$", I)
_PASSIVE_AFTER = re.compile(r"\s+(?:at\s|to\s+(?:be|have|number|total|include|comprise)\b)", I)
_PASSIVE_BEFORE = re.compile(r"(?:,|\b(?:is|are|was|were|be|been|being))\s*$", I)
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?$", I)
# "said to have", "reported to be" with no "is/was" before: a past participle there is the headline's or a
# reduced relative's passive ("which sources estimate to have" is active; so is "claimed to have", which the
# lexicon marks active_infinitive)
# "was put at 57 by the defence ministry": the figure, then who put it there (the agent of the passive)
_PASSIVE_AGENT = (r"\s+at\s+(?:(?:some|about|around|least|most|an|estimated|between|and|to|more|than|nearly|"
                  r"roughly|approximately|up)\s+|\d[\d,.]*\s+|\w+\s+(?=(?:dead|killed|injured|wounded|fighters|"
                  r"people|men)\b)|(?:dead|killed|injured|wounded|fighters|people|men|members|troops)\s+){{1,8}}?"
                  # "at between 1,500 and 2,500 militants by ...": any noun counted, never a preposition or participle
                  # ("at 40 after a raid by the Front", "at 300 militants trained by the army" name no agent)
                  r"(?:(?!(?:{stops})\b)(?-i:[a-z][a-z\-]*)(?<!ed)(?<!ing)\s+){{0,2}}?"
                  r"by\s+(?!(?:the\s+)?(?:time|end|then|now|far|evening|morning|night|nightfall|noon)\b)(?P<np>(?:(?:[A-Z]\.){{2,}}|[^,.;:!?()\"“”]){{1,80}})")
_REDUCED_PASSIVE_AFTER = re.compile(r"\s+to\s+(?:be|have)\b", I)
# a document named with what it was made for: "a report submitted to the UN Security Council"
_DOC_PARTICIPLE = ("prepared|compiled|published|released|submitted|commissioned|issued|written|produced|presented|"
                   "sent|delivered|seen|obtained|leaked|circulated|drafted|filed|made|shared|provided")
# data a body keeps: "UN figures show ...", like a document, state figures ("figures from the ministry")
_DATA_NOUNS = "figures|data|statistics|numbers|records"
_DATA_NAME = re.compile(rf"(?:^|\s)(?:{_DATA_NOUNS})$", I)
_NOUN_NEXT = re.compile(r"\s+(?:later\s+|also\s+|now\s+)?(?:indicate|indicated|show|showed|shown|suggest|suggested|say|"
                        r"said|put|stated|claimed|were|are|is|was|have|had|of|from|by|that\s+\w+\s+(?:were|was))\b", I)
# a contrast between a figure and a source mention opens another statement
_CONTRAST = re.compile(r"[;]|,\s*(?:while|but|whereas|although|though|even\s+as)\b|\s(?:but|whereas)\s", I)
# an adverbial clause after a verb's object ends what the verb reports: "X disclosed the plan in a speech since ..."
# ("since 1986", "until March" are time phrases, not clauses; "have since grown" is an adverb after the auxiliary)
_SUBORDINATE = re.compile(r"\b(?:(?<!has )(?<!have )(?<!had )(?:since|until)(?!\s+(?-i:[A-Z0-9]))|because|although|though|whereas|unless)\b", I)


class _Lex:
    def __init__(self) -> None:
        lex = load("attribution.json")
        self.roles = {e["word"].lower(): e["role"] for e in lex["verbs"]}
        # "who claim to have 5,000 fighters" speaks; "said to have killed 40" is a passive
        self.active_infinitive = frozenset(e["word"].lower() for e in lex["verbs"] if e.get("active_infinitive"))
        verbs = [e["word"] for e in lex["verbs"]]
        # (?<!\w) rather than \b before the word: the same test, but it lets the engine skip ahead to a
        # possible first letter, which makes this per-sentence scan about a third faster
        self.verb = re.compile(rf"(?<!\w)(?P<v>{words_alternation(verbs)})\b", I)
        stems = {v.lower()[:5] for v in verbs} | {e["phrase"].lower()[:6] for e in lex["prepositions"]}
        # short words also occur inside others ("per" in "operation"): look for them spaced
        stems = {f" {w} " if len(w) <= 3 else w for w in stems}
        stems.add("saying")  # "The TTP claimed responsibility, saying ...": the sentence's subject speaks
        # "the government's figure of 1,500": a possessive figure's noun and its "of"
        stems.update(f"{w.lower()} {tail}" for e in lex["possessive_figures"] for w in e["words"]
                     for tail in ("of", "for", "in", "was", "is", "stood", "stands", "rose", "reached"))
        stems.add("by our ")  # "..., by our count": the masthead's own figure
        stems.add(" own ")  # "The army, by its own account, has lost 60 soldiers": the subject's own figure
        self.stems = tuple(sorted(w for w in stems if not any(o != w and o in w for o in stems)))
        # a short word is looked for after a space and before any non-letter: "..., police say." ends a sentence
        short = sorted(w.strip() for w in self.stems if w.startswith(" ") and w.endswith(" ") and len(w.strip()) <= 3)
        longer = [w for w in self.stems if w.strip() not in short or not w.startswith(" ")]
        self.stem_search = re.compile(words_alternation(longer, space=" ") + r"|\s(?:" + "|".join(map(re.escape, short))
                                      + r")(?![a-z])").search if short else re.compile(words_alternation(self.stems, space=" ")).search
        self.stem_longest = max(map(len, self.stems))
        preps = [e["phrase"] for e in lex["prepositions"]]
        # "according to a U.N. report": an abbreviation's full stops do not end the name; nor does a capitalised
        # qualifier in brackets before the rest of a name ("according to Superintendent of Police (City) Ana Brel")
        self.prep = re.compile(rf"(?<!\w)(?:{words_alternation(preps)})\s+"
                               rf"(?P<np>(?:(?:[A-Z]\.){{2,}}|\((?-i:[A-Z])[\w \-]{{0,30}}\)(?=\s+(?-i:[A-Z]))"
                               rf"|[^,.;:!?()\"“”]){{1,120}})", I)
        # "..., with police confirming that 72 were hurt": the speaker of an absolute phrase
        self.with_speaker = re.compile(rf",\s+with\s+(?P<np>[^;:\"“”]{{1,160}}?),?\s+"
                                       rf"(?P<verb>{words_alternation([w for e in lex['with_participles'] for w in e['words']])})"
                                       r"\s+(?:that\s+)?", I)
        self.pronouns = {e["word"].lower(): e["refers_to"] for e in lex["pronouns"]}
        words = lambda section: frozenset(w.lower() for e in lex[section] for w in e["words"])  # noqa: E731
        self.source_nouns = words("source_nouns")
        self.titles = words("titles")
        self.bare_heads = words("bare_heads")
        self.modifiers = words("modifiers")
        self.generic = words("generic_modifiers")
        self.documents = words("documents")
        self.not_names = words("not_names")
        self.not_openers = words("not_openers")
        self.adverbials = words("adverbials")
        self.parentheticals = words("parentheticals")
        self.distance_units = words("distance_units")
        # nouns that read as "-s" verbs ("Preliminary reports indicate", "the group's claims")
        self.s_nouns = words("s_nouns")
        # "this week", "on Monday": words opening a time phrase before a day or time word; of the adverbials,
        # the ones that open it without being a clause's edge themselves ("on Kelm Ridge")
        self.time_openers = words("time_openers")
        self.time_prepositions = words("time_prepositions")
        # "During the reporting period the mission documented": a span of time before a subject, and what opens it
        self.time_spans = words("time_spans")
        self.time_span_openers = frozenset(w.lower() for e in lex["time_spans"] for w in e["openers"])
        # "Two years ago police said": what closes a span of time counted before a subject
        self.time_span_closers = frozenset(w.lower() for e in lex["time_spans"] for w in e.get("closers", ()))
        self.person_nouns = words("person_nouns")
        self.organisation_heads = words("organisation_heads")
        self.continuations = words("continuations")
        self.author_bodies = words("author_bodies")
        self.finding_bodies = frozenset(w.lower() for e in lex["finding_bodies"] for w in e["words"] if not e.get("named_that"))
        # "Orvel Rights Watch found that ...": heads that find only closing a capitalised name, before "that"
        self.finding_names = frozenset(w.lower() for e in lex["finding_bodies"] for w in e["words"] if e.get("named_that"))
        # "a police spokesman in Tarn province": the last word of a place, kept in a speaker's name after it
        self.place_units = frozenset(t.lower() for t in load("events.json")["place_units"]["terms"])
        # "the mayor of the capital, New Harbour City": a place's words, never a person's name
        self.places = self.place_units | frozenset(t.lower() for t in load("events.json")["settlement_words"]["terms"])
        # "the government's figure of 1,500": the figure a body owns, named right after it
        # "The government's final toll for the attack was 57 dead": the figure it owns, as the clause's subject
        self.possessive = re.compile(rf"(?:['’]s|(?<=s)['’])\s+(?:(?-i:[a-z])[\w\-]*\s+){{0,2}}?"
                                     rf"(?P<noun>{words_alternation(words('possessive_figures'))})\s+(?:of\s+|"
                                     r"(?:(?:for|in)\s+(?:the\s+)?(?:[\w\-]+\s+){0,3}?[\w\-]+\s+)?"
                                     r"(?:was|is|stood\s+at|stands\s+at|rose\s+to|reached)\s+(?=[\w\"“'‘]))", I)
        # "We counted 58, one more than the official toll of 57": the officials' figure, which the text's own voice
        # only compares with
        self.official_figure = re.compile(rf"\b(?:the|an)\s+official\s+(?:death\s+|casualty\s+)?"
                                          rf"(?:{words_alternation(words('possessive_figures'))})\s+of\s+$", I)
        self.descriptors = words("descriptors")
        self.representatives = words("representatives")
        self.first_person_states = re.compile(rf"(?P<v>{words_alternation(words('first_person_states'))})\b", I)
        self.passing_words = words("passing_modifiers")
        passing = words_alternation(self.passing_words)
        # "Preliminary police figures", "New UN figures"; a capitalised one before a capitalised word is a name's
        # ("New York police", "Early Warning Network")
        self.passing = re.compile(rf"^(?:(?:(?=(?-i:[a-z]))|(?=\S+\s+(?-i:[a-z]|[A-Z]{{2,}}\b)))(?:{passing})\s+)+(?=\S+\s+\S)", I)
        self.wire_slug = re.compile(rf"^(?:{words_alternation(w for e in lex['wire_slugs'] for w in e['words'])})"
                                    r"(?:\s*\d+)?\s*[\-–:]\s*", I)
        self.bodies = [(re.compile(rf"(?<!\w){re.escape(e['name'])}(?!\w)"), e["short"]) for e in lex["bodies"]]
        docs = words_alternation(self.documents)
        self.document_np = re.compile(
            rf"(?P<det>\b(?:a|an|the|its|their|this|that|his|her)\s+)?(?P<mods>(?:[\w\-’'.]+\s+){{0,5}}?)"
            rf"(?P<doc>{docs})s?(?:\s+(?:{_DOC_PARTICIPLE}))?(?:\s+(?:for|to|by|from|of)\s+(?:(?:the|an?)\s+)?"
            # "a report by a UN panel of experts": a body's lower-case source noun after its capitalised name
            rf"(?P<body>(?-i:[A-Z])[\w\-’'.]*(?:\s+(?:(?-i:[A-Z])[\w\-’'.]*|of|the|and|for|"
            rf"(?:{words_alternation(self.finding_bodies | self.source_nouns)})(?![\w\-’']))){{0,7}}))?"
            rf"(?:\s*\([A-Z][\w.]*\))?(?:\s*,[^,]{{1,90}},)?\s*$", I)
        stops = words_alternation(self.not_openers | _ARTICLES | _CLAUSE_OPENERS
                                  | {"is", "are", "was", "were", "be", "been", "has", "have", "had"})
        self.passive_agent = re.compile(_PASSIVE_AGENT.format(stops=stops), I)
        # "by the Interior Ministry in a report to parliament": the document the agent stated it in ends its name
        self.in_document = re.compile(rf"\s+in\s+(?:a|an|its|their)\s+(?:[\w\-]+\s+){{0,2}}?(?P<doc>{docs})s?\b.*$", I)
        self.np_stop = re.compile(r"\s+(?:that|who|which|when|while|after|as|because|since|on|at|"
                                  # "cited by police intelligence in August 2046": the date it was cited ends the name
                                  rf"in\s+(?:(?:{words_alternation(DATE_LEX.month_full)})\s+)?(?:1[89]|20)\d\d|"
                                  r"there|said|says|told|were|was|is|are|has|have|had|last|this|the\s+attack|to\s+(?:number|be|have|total)|"
                                  # "according to a UN report released in May": the participle ends the name
                                  r"released|published|issued|compiled|prepared|seen|obtained|dated|shared|posted|"
                                  r"submitted|presented|circulated|leaked|carried|aired|broadcast|based|quoted|cited|"
                                  # "Figures released by the Red Cross show 230 ...": the verb ends the name
                                  r"show|shows|showed|indicate|indicates|indicated|suggest|suggests|suggested|put|puts|"
                                  r"estimate|estimates|found|finds|counted|recorded|documented|lists|listed)\b.*$", I)
        self.document_before = re.compile(
            rf"(?:^|[,;:(]\s*|\b(?:and|but|while|that)\s+)((?:a|an|the)\s+(?:[\w\-]+\s+){{0,2}}?"
            rf"(?:{docs})(?:\s+(?:{_DOC_PARTICIPLE}))?\s+(?:for|to|by)\s+(?:(?:the|an?)\s+)?)$", I)
        # a body stating something in a document of its own, or issuing one
        self.issued_in = re.compile(rf"\s+(?:(?:[\w\-]+\s+){{0,3}}?in\s+)?(?:a|an|its|their)\s+(?:[\w\-]+\s+){{0,3}}?"
                                    rf"(?P<doc>{docs})\b", I)
        self.issued_doc = re.compile(rf"\b(?:published|released|issued|presented|launched|produced)\s+(?:a|an|its|their)\s+"
                                     rf"(?:[\w\-]+\s+){{0,3}}?(?P<doc>{docs})\b", I)
        self.doc_participle_tail = re.compile(rf"(?<!\w)(?P<doc>(?:{docs})s?)\s+(?:{_DOC_PARTICIPLE})\b(?:(?!\b(?:by|for|to)\b)[^,;:.!?\"“”]){{0,50}}$", I)
        own = words_alternation(words("own_account"))
        self.own_account = re.compile(rf"\s*,\s+(?:by|on)\s+(?:its|their|his|her)\s+own\s+(?:{own})\s*,", I)
        # "... were killed in what police described as a clash": the describer tells of the event and its toll
        self.in_what = re.compile(r"\bin\s+what\s+(?!(?:is|was|were|are|has|have|had|been|being|appeared|seemed|some|many|one)\b)(?P<np>(?:the\s+)?(?:[\w\-]+\s+){0,5}?[\w\-]+)\s+"
                                  r"(?:described|called|termed|characterised|characterized)\s+as\b")
        # "By the army's own count, ...": a clause opened by whose count it is
        # "..., by our count": the text's own count
        self.by_our_count = re.compile(rf"(?<!\w)(?i:by|on)\s+our\s+(?:own\s+)?(?:{own})\b")
        self.by_count = re.compile(rf"\b(?:By|by|On|on)\s+(?P<np>(?:the\s+)?(?:[\w\-]+\s+){{0,5}}?"
                                   rf"[\w\-]+)(?:['’]s|(?<=s)['’])\s+(?:own\s+)?(?:{own})\s*,", re.M)
        # "Officials familiar with the matter said": the qualifier says how they know, the noun before it speaks
        informed = words_alternation(e["phrase"] for e in lex["informed"])
        self.informed = re.compile(rf"(?<![\w-])(?:{informed})\s+(?:the\s+|a\s+|an\s+)?(?:[\w\-]+\s+){{0,3}}?[\w\-]+\s*$", I)
        # "The ministry in a statement on Sunday said": the document the subject spoke in is no part of its name
        self.spoke_in = re.compile(rf"(?<![\w-])in\s+(?:a|an|its|their)\s+(?:[\w\-]+\s+){{0,2}}?(?:{docs})"
                                   r"(?:\s+(?:on|late|early|last|this)\s+[\w\-]+)?\s*$", I)
        # "A confidential assessment ... puts them at": a document the sentence brings in with "a"
        self.indefinite_doc = re.compile(rf"(?<![\w-])(?P<np>(?:[Aa]n?)\s+(?:[a-z][\w\-]*\s+){{1,2}}(?:{docs}))\s*$")
        self.continuation = re.compile(rf"(?<!\w)(?:{words_alternation(self.continuations)})\b", I)
        # "raised the death toll to 27", "lowered its estimate to 900": a figure of its own, revised
        self.revised_figure = re.compile(rf"\s+(?:(?:the|its|their)(?:\s+[\w\-]+){{0,2}}?\s+"
                                         rf"(?:{words_alternation(words('possessive_figures'))}|number)\b)", I)
        # "Provincial authorities report 29 people killed": "report" before a figure (a hedge and digits) is the verb
        hedges = words_alternation(e["phrase"] for e in load("quantifiers.json")["entries"])
        self.figure_next = re.compile(rf"\s+(?:(?:{hedges})\s+)?\d", I)


@lru_cache(maxsize=1)
def lex() -> _Lex:
    """Return the compiled attribution cues (built once from the lexicon)."""
    return _Lex()


@dataclass(slots=True)
class Source:
    """A source mention in a sentence.

    ``pos`` is where its cue sits (the figure takes the nearest governing
    mention); ``start``/``end`` span the words naming the source; ``name`` is the
    canonical name (None while ``refers_back`` says what sort of antecedent a
    pronoun, title or bare document noun points at).
    """

    pos: int
    name: str | None
    start: int
    end: int
    rule: str
    refers_back: str | None = None  # "person", "body", "any", "title", "document"
    scope: str = "both"  # "after": governs only what follows ("X said ..."); "both": also the clause before it
    governs: bool = True  # False: someone a later pronoun can mean, who states no figure here
    person: bool = False
    doc: str | None = None  # the document noun when the source is a document
    desc: str = ""  # lower-case words describing the source (a title follow-up matches against them)
    limit: int | None = None  # where an "after" mention's reported clause ends
    # a mention right after a figure ("the 600 cited by police"): it governs, from after, only a figure ending past here
    back: int | None = None
    states: bool = False  # the subject of a verb that states a figure without speaking ("X has recorded 90 deaths")


# --- names ------------------------------------------------------------------------------------------------

Tok = tuple[str, int, int]


def _tokens(text: str, a: int, b: int) -> list[Tok]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text, a, b)]


def _word(tok: str) -> str:
    low = tok.lower().rstrip(".")
    if low.endswith(("s'", "s’")) and len(low) > 3:
        return low[:-1]  # "the experts' report": a plural's possessive
    return low[:-2] if low.endswith(("'s", "’s")) else low


def _capital(tok: str) -> bool:
    return tok[:1].isupper() or bool(_PARTICLE.match(tok)) or (tok[:1].isdigit() and any(c.isalpha() for c in tok))


_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
# the owner a possessive pronoun before a document can mean: "its own records", "their figures", "his tally"
_POSSESSIVE_PRONOUNS = {"its": "body", "their": "any", "his": "person", "her": "person"}


def _accept(tok: str, L: _Lex) -> bool:
    w = _word(tok)
    return w in L.source_nouns or w in L.organisation_heads or w in _CONNECTORS or _capital(tok) \
        or bool(_YEAR.match(tok))  # "a May 2020 UN report"


_DASHES = ("-", "–", "—")


def _boundary(toks: list[Tok], k: int, L: _Lex) -> bool:
    """Whether token ``k`` (the one before a name) can stand just before a clause's subject."""
    if k < 0:
        return True
    tok = toks[k][0]
    if not tok[0].isalnum():
        return True
    low = tok.lower()
    if low in _ARTICLES:
        return _boundary(toks, k - 1, L)
    if low in L.time_spans:
        # "During the reporting period the mission documented 40 deaths": a time phrase opens the clause
        j = k - 1
        while j >= 0 and k - j <= 4 and toks[j][0].isalpha() and toks[j][0][1:].islower():
            if toks[j][0].lower() in L.time_span_openers:
                return _boundary(toks, j - 1, L)
            if not toks[j][0].islower():
                break
            j -= 1
    if low in L.time_span_closers and k >= 2 and _word(toks[k - 1][0]) in L.time_spans:
        # "Two years ago police said", "A few weeks later the army said": a counted span of time opens the clause
        j = k - 2
        while j >= 0 and k - 2 - j < 2 and (parse_number(toks[j][0]) is not None
                                             or toks[j][0].lower() in ("a", "an", "few", "several", "some")):
            j -= 1
        if j < k - 2:
            return _boundary(toks, j, L)
    if k >= 1 and toks[k - 1][0].lower() == "whose" and tok.isalpha() and tok.islower():
        return True  # "the CLF, whose forces the army estimates at 1,200": the relative's own subject follows
    if tok.isalpha() and tok.islower() and low not in L.not_openers and k >= 1 \
            and toks[k - 1][0].lower() in ("the", "a", "an"):
        # "The outlawed Orvel Front claimed", "A new UN report puts": an adjective between the article and the name
        return _boundary(toks, k - 2, L)
    if tok.islower() and tok.endswith(("'s", "’s")) and tok[:-2].isalpha() and k >= 1 \
            and toks[k - 1][0].lower() == "the":
        # "the country's Interior Ministry said": a common noun's possessive only points at the name after it
        return _boundary(toks, k - 2, L)
    if tok in _DASHES and k >= 3 and toks[k - 1][0].isdigit() and toks[k - 2][0] == ":" and toks[k - 3][0].isdigit():
        return _boundary(toks, k - 4, L)  # a live blog's time stamp and its dash: "10:42 - The ministry says ..."
    if tok.isdigit() and k >= 2 and toks[k - 1][0] == ":" and toks[k - 2][0].isdigit():
        return _boundary(toks, k - 3, L)  # a live blog's time stamp: "09:42 Local officials say ..."
    if low in L.not_names and k >= 1 and toks[k - 1][0].lower() in L.time_openers and _boundary(toks, k - 2, L):
        return True  # "; this week Interior Minister Tomas Helleran said", "and on Monday police said": a time phrase
    return low in _CLAUSE_OPENERS or low in L.adverbials and low not in L.time_prepositions


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """Shrink [a, b) past spaces and trailing sentence punctuation (an initial's full stop stays)."""
    while a < b and not text[a].isalnum():
        a += 1
    while b > a and (text[b - 1] in " ,;:'\"”’-" or text[b - 1] == "." and not (b - a >= 2 and text[b - 2].isupper()
                                                                              and (b - a == 2 or not text[b - 3].isalnum()))):
        b -= 1
    return a, b


def _name(text: str, L: _Lex, toks: list[Tok], *, pos: int, rule: str, desc: list[Tok] = ()) -> Source | None:
    """Build a source from the tokens naming it, or None when the words name nobody a reviewer would accept."""
    while toks and not toks[0][0][0].isalnum() and toks[0][0] != "(":
        toks = toks[1:]
    while toks and (_word(toks[-1][0]) in _CONNECTORS or not toks[-1][0][0].isalnum() and toks[-1][0] != ")"):
        toks = toks[:-1]
    if not toks:
        return None
    definite = toks[0][0].lower() == "the"
    indefinite = toks[0][0].lower() in ("a", "an")
    owner = _POSSESSIVE_PRONOUNS.get(toks[0][0].lower())
    if owner == "body" and 1 < len(toks) <= 4 and _word(toks[-1][0]) in L.author_bodies \
            and _word(toks[-1][0]) not in L.documents and all(_word(t[0]) in L.source_nouns for t in toks[1:]):
        # "Sambrelia will send 650 soldiers, its defence ministry announced": a body's own body, named by its words
        toks, owner = toks[1:], None
    if owner is not None and len(toks) <= 4 and all(_word(t[0]) in L.documents or _word(t[0]) in L.source_nouns
                                                    or t[0].lower() == "own" for t in toks[1:]) and len(toks) > 1:
        # "Its own records show 44 bodies": the records of whoever "its" means, never the words
        return Source(pos, None, toks[0][1], toks[0][2], rule="attrib.pronoun", refers_back=owner, doc=_word(toks[-1][0]))
    while toks and (toks[0][0].lower() in _LEADING_JUNK or not toks[0][0][0].isalnum() and toks[0][0] != "("):
        toks = toks[1:]
    if not toks:
        return None
    a, b = _trim(text, toks[0][1], toks[-1][2])
    d = " ".join(t[0] for t in desc)
    found = _read_name(text[a:b], d, definite, indefinite)
    if found is None:
        return None
    da, db, name, kind, person, doc, words = found
    a, b = a + da, a + db
    if kind is not None:
        return Source(pos, name, a, b, rule="attrib.document-back" if kind == "document" else "attrib.title",
                      refers_back=kind, desc=words, person=kind == "title")
    return Source(pos, name, a, b, rule=rule, person=person, doc=doc, desc=words)


@lru_cache(maxsize=8192)
def _read_name(quote: str, desc: str, definite: bool, indefinite: bool = False) -> tuple | None:
    """Read the words naming a source (cached: the same names recur): None, or where the name sits in
    ``quote``, its canonical name, what a pointer back means (None, "title", "document"), whether it is a
    person, its document noun and its lower-case words."""
    L = lex()
    a, b = 0, len(quote)
    slug = L.wire_slug.match(quote)
    if slug:
        a = slug.end()
    toks = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(quote, a, b)]
    while len(toks) > 1 and _word(toks[-1][0]) in L.not_names:
        toks = toks[:-1]  # "said the Ministry of Home Affairs Tuesday": the weekday is no part of the name
        while len(toks) > 1 and (_word(toks[-1][0]) in _CONNECTORS or not toks[-1][0][0].isalnum()):
            toks = toks[:-1]
    if not toks or toks[-1][0].endswith(("'s", "’s")):
        return None  # "The Orvel Front's estimate of 300": a possessive is a fragment of what it owns, no name
    a, b = _trim(quote, toks[0][1], toks[-1][2])
    words = [_word(t[0]) for t in toks if t[0][0].isalnum()]
    if any((w[0].isdigit() and not _YEAR.match(w) and not w.isalnum() or w.isdigit() and not _YEAR.match(w))
           and not (_PAGE_COUNT.fullmatch(w) and words[-1] in L.documents) for w in words):
        return None  # "Red Cross show 230 people": a count inside the words is a clause, not a name
    if not words or words[0] in L.not_openers or words[-1] in L.not_names or all(w in L.not_names for w in words) \
            or words[0] in ("our", "my"):
        return None  # "Our intelligence says ...": a first-person source is whoever speaks, never the words
    content = [w for w in words if w not in _CONNECTORS]
    if not content:
        return None
    head = content[-1]
    capitals = [t[0] for t in toks if t[0][0].isalpha() and _capital(t[0])]
    if all(w in L.modifiers for w in content):
        return None  # "Local reports later said": an adjective names nobody
    if indefinite and len(content) >= 2 and not capitals and head in L.documents \
            and not all(w in L.passing_words for w in content[:-1]):  # "a new report": still no name
        # "a confidential assessment": a document brought in with "a" is a new one, not one named before
        return a, b, _canonical(quote[a:b]), None, False, head, " ".join(words)
    if definite and len(content) == 1 and head in L.finding_bodies and _capital(toks[-1][0]):
        # "The Commission finds", "the Tribunal accepts": a capitalised inquiry body is the one the text is
        # about; the one named before with that word, else the word itself (a lower-case one stays bare)
        return a, b, _canonical(quote[a:b]), "title", False, None, head
    if (not capitals or len(content) == 1) and (head in L.bare_heads or head in L.organisation_heads) \
            and all(w in L.generic or _PAGE_COUNT.fullmatch(w) for w in content[:-1]):
        # "the group said", "the statement added": a bare head noun names a source only through what it refers to
        return a, b, None, "document" if head in L.documents else "title", False, None, head
    name = _canonical(quote[a:b])
    if not name:
        return None
    desc_toks = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(desc)] if desc else []
    desc_words = " ".join(_word(t[0]) for t in desc_toks + toks)
    if definite and len(content) <= 3 and head in L.descriptors and not _capital(toks[-1][0]):
        # "the shopkeeper said", "the British nurse said": the person named before with that word, never the
        # description itself (a capitalised word before the noun describes as much as a lower-case one)
        desc_toks = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(desc)] if desc else []
        return a, b, None, "title", True, None, " ".join(_word(t[0]) for t in desc_toks + toks)
    if definite and (all(w in L.titles for w in content) or not capitals and len(content) <= 3
                     and (content[-1] in L.titles or content[-1] in L.person_nouns) and content[-1] != "the"):
        # "the fire chief": the person named before with that title, else the title itself
        return a, b, name, "title", True, None, desc_words
    last = name.rsplit(" ", 1)[-1].lower()  # "Ostra Institute report": a document, named by its maker
    return a, b, name, None, _is_person(toks, desc_toks, L), last if last in L.documents else None, desc_words


def _is_person(toks: list[Tok], desc, L: _Lex) -> bool:
    """Whether the mention names a person (whom "he" or "she" can mean) rather than a body."""
    words = [_word(t[0]) for t in toks if t[0][0].isalpha()]
    if not words:
        return False
    if words[-1] in L.person_nouns:
        return True  # "a police spokesman", "the provincial governor"
    if words[-1] in L.organisation_heads:
        return False  # "the Orvel Liberation Front"
    alpha = [t for t in toks if t[0][0].isalpha()]
    # "spokesman Oleg Baranec", "Police spokesman Dan Ruiz", "Fire chief Oren Tal": a title, then a name
    lead = max((k + 1 for k, w in enumerate(words) if (w in L.person_nouns or w in L.titles) and w != "the"), default=0)
    if 0 < lead <= len(words) - 2 and all(_capital(t[0]) and w not in L.source_nouns and w not in L.bare_heads
                                          for t, w in zip(alpha[lead:], words[lead:])):
        return True
    if any(w in L.source_nouns or w in L.bare_heads or w in L.documents for w in words if w not in L.person_nouns):
        return False  # "Interior Ministry", "Velta police"
    caps = [t for t in toks if _capital(t[0]) and t[0][0].isalpha()]
    described = any(_word(t[0]) in L.person_nouns for t in desc)
    # a lone capitalised word is a surname ("Lombardo said") unless it is an acronym ("ISPR said")
    lone = len(caps) == 1 and not caps[0][0][1:2].isupper()
    return len(caps) == len(words) and (len(caps) >= 2 or described or lone or words[0] in L.person_nouns)

def canonical(quote: str) -> str | None:
    """Return the short name a reviewer filters by for the span ``quote`` naming a source (see :func:`_canonical`)."""
    return _canonical(quote)


@lru_cache(maxsize=4096)
def _canonical(quote: str) -> str | None:
    """Return the short name a reviewer filters by for the span ``quote`` naming a source.

    Articles and wire slugs go; a person keeps their name without the titles
    before it ("Chief Minister Jane Doe" -> "Jane Doe"); a document is named by
    the body it was made by or for and its noun ("a report prepared for the
    United Nations Security Council" -> "UN report").
    """
    L = lex()
    q = " ".join(quote.split())
    q = L.wire_slug.sub("", q)
    q = re.sub(r"^(?:the|a|an|one|another)\s+", "", q, flags=I)
    q = L.passing.sub("", q)  # "Preliminary police figures" -> "police figures": the date of a figure is no name
    if not q:
        return None
    m = L.document_np.fullmatch(q) if any(d in q.lower() for d in L.documents) else None
    if m is not None and m.group("doc"):
        doc = m.group("doc").lower()
        body = (m.group("body") or "").strip()
        mods = [w for w in (m.group("mods") or "").split() if w.lower() not in L.generic
                and w.lower() not in L.not_names and not _YEAR.match(w)]  # "a May 2020 UN report" -> "UN report"
        if body:
            short = next((s for rx, s in L.bodies if rx.search(body)), None)
            if short is not None and any(_word(w) in L.finding_bodies for w in body.split()):
                # "a report by the UN Panel of Experts on Velsa": the panel that made it, not the UN at large
                short = re.sub(r"^(?:the)\s+", "", next(rx.sub(s, body) for rx, s in L.bodies if rx.search(body)), flags=I)
            acro = re.search(r"\(([A-Z][\w.]*)\)", q)
            owner = short or (acro.group(1) if acro else re.sub(r"^(?:the)\s+", "", body, flags=I))
            return f"{owner} {doc}"
        if mods:
            short = " ".join(mods)
            for rx, s in L.bodies:
                short = rx.sub(s, short)
            return f"{short} {doc}"
    data = _DATA_FROM.match(q)
    if data is not None:
        return f"{data.group(2)} {data.group(1).lower()}"  # "figures from the Orvel health ministry"
    aff = _AFFILIATION.match(q)
    if aff is not None:
        # "Dr. Amal Nour of the Tarn General Hospital" -> "Amal Nour": a person, then where they work
        who = aff.group(1)
        toks = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(who)]
        if _is_person(toks, [], L) and _word(toks[-1][0]) not in L.source_nouns | L.bare_heads | L.organisation_heads \
                and any(_word(t[0]) in L.titles for t in toks):
            return _canonical(who)
    toks = q.split()
    # a person named after their titles: keep the name ("Soviet Maj. Gen. Ivo Petrov" -> "Ivo Petrov")
    k = len(toks)
    while k > 0 and _capital(toks[k - 1]) and _word(toks[k - 1]) not in L.titles \
            and _word(toks[k - 1]) not in L.source_nouns and _word(toks[k - 1]) not in L.bare_heads \
            and not toks[k - 1].endswith(("'s", "’s")):
        k -= 1
    if 1 < k < len(toks) and len(toks) - k >= 2 and re.fullmatch(r"\([A-Za-z][\w.\-]*\)", toks[k - 1]) \
            and _word(toks[k - 2]) in L.titles | L.person_nouns | L.source_nouns:
        return " ".join(toks[k:]).strip(" ,.")  # "Inspector General of Police (IGP) Ravi Menon" -> "Ravi Menon"
    if 0 < k < len(toks) and len(toks) - k >= 2 and _word(toks[k - 1]) in L.titles | L.person_nouns:
        if k >= 3 and _word(toks[0]) in L.representatives and toks[1].lower() in ("for", "of", "to"):
            return q.strip(" ,")  # "spokesman for Tarn governor Ali Vance": the spokesman speaks, not the governor
        return " ".join(toks[k:]).strip(" ,.")
    return q.strip(" ,")


# --- one sentence's mentions ------------------------------------------------------------------------------

def _drop_aside(toks: list[Tok], L: _Lex) -> tuple[list[Tok], list[Tok] | None, list[Tok] | None]:
    """Handle a comma-enclosed phrase just before the verb.

    Returns (tokens left, appositive name, description): "police, however, said"
    drops the aside; "Tomas Reyes, a spokesman for the navy, said" gives the
    name before the description; "A spokesman, Ana Ruiz, said" the name inside.
    """
    if not toks or toks[-1][0] != ",":
        return toks, None, None
    k = None
    for j in range(len(toks) - 2, max(-1, len(toks) - 45), -1):
        t = toks[j][0]
        if t == "," and 0 < j and toks[j - 1][0][-1:].isdigit() and toks[j + 1][0][:1].isdigit() \
                and toks[j - 1][2] == toks[j][1] and toks[j][2] == toks[j + 1][1]:
            continue  # the comma inside "3,000"
        if t == ",":
            k = j
            break
        if t in (";", ".", "“", "”", '"', ":"):
            break
    if k is None or k == len(toks) - 2:
        return toks, None, None
    seg = toks[k + 1:-1]
    first = seg[0][0]
    if first.lower() in ("citing", "quoting"):
        return [], None, None  # "The broadcaster, citing hospital officials, said": the cited source is the source
    if first.lower() in L.parentheticals or first in ("who", "whose") and len(seg) >= 3 \
            or len(seg) >= 3 and first.islower() and first.endswith("ed") \
            and seg[1][0].lower() in ("by", "in", "on"):
        return toks[:k], None, None  # "The governor, quoted by state media, said": an aside, not a name
    if len(seg) == 1 and first.isdigit() and int(first) < 120:
        return toks[:k], None, None  # "Ruiz, 54, said": an age, not a name
    hedged = int(len(seg) >= 4 and first.isalpha() and parse_number(first) is None and parse_number(seg[1][0]) is not None)
    if len(seg) >= 3 + hedged and _word(seg[1 + hedged][0]) in L.distance_units and parse_number(seg[hedged][0]) is not None:
        # "Villagers in Stemmel, two kilometres from the scene, told": where they are; a description may stand
        # before it ("Dr Lina Vorst, director of the Kelm hospital, some 40 km (25 miles) from Tarn, said")
        rest, appos, desc = _drop_aside(toks[:k + 1], L)
        if appos is not None:
            return rest, appos, desc
        return toks[:k], None, None
    alpha = [t for t in seg if t[0][0].isalnum()]
    possessive = len(seg) >= 2 and _capital(first) and first.endswith(("'s", "’s"))  # "Kelm's health minister"
    if not possessive and alpha and all(_capital(t[0]) or t[0].lower() in _CONNECTORS for t in alpha) and len(alpha) <= 5 \
            and any(_word(t[0]) in L.person_nouns or _word(t[0]) in L.source_nouns for t in toks[max(0, k - 8):k]) \
            and (sum(_capital(t[0]) for t in alpha) >= 2 or len(alpha) == 1 and _ACRONYM.fullmatch(alpha[0][0])):
        return toks[:k], seg, toks[max(0, k - 8):k]  # "A spokesman for the Taliban, Ana Ruiz, claimed"
    if first.lower() in _ARTICLES or first[0].islower() or possessive:
        # "Tomas Reyes, a spokesman for the navy, said": the capitalised run before the description
        name: list[Tok] = []
        e = k - 1
        if e >= 2 and toks[e][0] == ")" and toks[e - 2][0] == "(" and toks[e - 1][0].isupper():
            e -= 3  # "the Orvel Centre for Security Studies (OCSS), a think tank, estimated": the acronym goes
        for j in range(e, max(-1, e - 8), -1):
            t = toks[j][0]
            if _capital(t) and t[0].isalpha() and t.lower() not in _ARTICLES or (name and t.lower() in ("al", "bin", "de")):
                name.insert(0, toks[j])
            elif name and t.lower() in ("for", "of", "and") and j > 0 and _capital(toks[j - 1][0]) \
                    and toks[j - 1][0][0].isalpha():
                name.insert(0, toks[j])  # "the Orvel Observatory for Human Rights, a monitor, said"
            else:
                break
        j = e - len(name)
        if name and j >= 1 and toks[j][0] in ("of", "from", "in", "at") and toks[j - 1][0].isalpha() \
                and toks[j - 1][0].islower() and (_word(toks[j - 1][0]) in L.person_nouns
                                                  or _word(toks[j - 1][0]) in L.source_nouns):
            name = toks[j - 1:j + 1] + name  # "A resident of Dorba, one of the villages, said"
        if name and _boundary(toks, e - len(name), L):
            return toks[:k], name, seg
    return toks, None, None


_LOOSE_MAX = 4  # lower-case modifiers a lower-case source noun may carry ("the provincial disaster risk reduction office")


def _subject(text: str, start: int, vpos: int, L: _Lex, *, relative: bool = False) -> Source | None:
    """Return the subject naming the source of the verb at ``vpos``, walking back over name-like words.

    ``relative``: the words end a noun phrase that a relative clause ("..., which says") follows, so
    they need not open a clause of their own ("volunteers with the Merrow Relief Committee, which says").
    """
    p = _OPENING_DATE_ANY.match(text, start, vpos)
    if p is not None:
        start = p.end()  # "In 2040 the army put the toll at 40": the date opens the clause, the subject follows
    p = L.doc_participle_tail.search(text, max(start, vpos - 90), vpos)
    if p is not None:
        vpos = p.end("doc")  # "A UN report published in May described ...": the document is the subject
    p = _TITLE_ASIDE.search(text, max(start, vpos - 120), vpos)
    if p is not None and p.group(1).lower() in L.documents:
        vpos = p.end(1)  # 'The report, "Fire in Tarn," documents ...': the document's quoted title is an aside
    p = L.spoke_in.search(text, max(start, vpos - 70), vpos) if " in " in text[max(start, vpos - 70):vpos] else None
    if p is not None and p.start() > start:
        vpos = p.start()  # "The Kelm ministry in a statement said": the ministry speaks
    p = _WHO_CLAUSE.search(text, max(start, vpos - 100), vpos) if " who " in text[max(start, vpos - 100):vpos] else None
    if p is not None and p.start() > start:
        vpos = p.start()  # "A senior officer who did not wish to be named said": the officer speaks
    p = L.informed.search(text, max(start, vpos - 60), vpos)
    if p is not None and p.start() > start:
        # "Officials familiar with the matter said": the speaker is the noun before the qualifier
        before = text[max(start, p.start() - 30):p.start()].split()
        if before and (_word(before[-1]) in L.source_nouns or _word(before[-1]) in L.person_nouns
                       or before[-1].lower() in ("diplomats", "sources")):
            vpos = p.start()
    toks = _tokens(text, max(start, vpos - 130), vpos)
    if toks and toks[-1][0] == "," and vpos - 130 > start:
        toks = _tokens(text, max(start, vpos - 260), vpos)  # room for a long aside: "X, who ..., said"
    if not relative and len(toks) >= 3 and toks[-1][0].lower() in ("which", "who") and toks[-2][0] == ",":
        # "the Merrow Relief Committee, which says it has registered 1,300 injured": the noun before speaks
        src = _subject(text, start, toks[-2][1], L, relative=True)
        nouns = L.source_nouns | L.person_nouns | L.organisation_heads | L.titles
        if src is not None and src.refers_back is None and any(_word(w) in nouns for w in src.desc.split()):
            return src  # a place ("villages in Tarn, which said") is no speaker
        maker = _MAKER_BEFORE.search(text, max(start, src.start - 40), src.start) \
            if src is not None and src.refers_back is None else None
        if maker is not None and _word(maker.group("noun")) in L.documents | L.s_nouns:
            # "a claim by Jamaat al-Nasr, which said ...": the maker of a claim speaks ("which": a body)
            src.person = src.person and toks[-1][0].lower() == "who"
            return src
        return None
    while toks and _word(toks[-1][0]) in L.adverbials and toks[-1][0][:1].islower() or \
            toks and toks[-1][0].lower() in L.not_names and toks[-1][0].lower() not in L.pronouns and len(toks) > 1:
        toks.pop()  # "police spokesman Ruwan Tello on Monday confirmed"
    if not toks:
        return None
    last = toks[-1][0].lower()
    if last in L.pronouns:
        t = toks[-1]
        return Source(vpos, None, t[1], t[2], rule="attrib.pronoun", refers_back=L.pronouns[last])
    toks, appos, desc = _drop_aside(toks, L)
    if appos is not None:
        return _name(text, L, appos, pos=vpos, rule="attrib.apposition", desc=desc or [])
    if not toks or toks[-1][0] == ",":
        return None
    words: list[Tok] = []
    k = len(toks) - 1
    loose = 0
    while k >= 0:
        tok = toks[k][0]
        if tok == ")" and words is not None:
            # "the Philippine National Police (PNP) Joint Task Force": keep an acronym inside the name
            j = next((j for j in range(k - 1, max(-1, k - 6), -1) if toks[j][0] == "("), None)
            if j is not None and all(_capital(t[0]) for t in toks[j + 1:k]) and k - j > 1:
                words[0:0] = toks[j:k + 1]
                k = j - 1
                continue
            break
        if not tok[0].isalnum():
            break
        if not words and tok in L.place_units and k >= 2 and _capital(toks[k - 1][0]) \
                and any(toks[j][0] in ("in", "of") for j in range(max(0, k - 4), k - 1)):
            words.insert(0, toks[k])  # "a police spokesman in Tarn province told": the place's unit ends the name
            k -= 1
            continue
        if words and k >= 1 and toks[k - 1][0].lower() == "whose" and tok.isalpha() and tok.islower():
            break  # "whose forces the army estimates": the relative's possessed noun is no part of its subject
        if len(words) >= 16:
            return None  # a name this long is a description cut out of something longer
        low = tok.lower()
        # "residents and a local official said": two sources joined, the article between them kept
        if words and low in _ARTICLES and k >= 2 and toks[k - 1][0] == "and" and _accept(toks[k - 2][0], L) \
                and toks[k - 2][0].lower() not in _CONNECTORS:
            words.insert(0, toks[k])
            k -= 1
            continue
        if k == 0 and tok[0].isupper() and low in _CLAUSE_OPENERS | _ARTICLES | _LEADING_JUNK:
            if low in _ARTICLES and words:
                words.insert(0, toks[k])  # kept so "The minister added" reads as a title pointing back
                k -= 1
            break  # "But police said": a capitalised opener is no name
        if words and (low.endswith("'s") or low.endswith("’s")) and tok[:-2].isalpha() and not _capital(words[0][0]) \
                and _word(words[0][0]) in L.source_nouns:
            words.insert(0, toks[k])  # "the city's emergency service says": a possessive before a source noun
            k -= 1
            continue
        if _accept(tok, L) or not words and low in L.person_nouns and tok.isalpha() \
                or not words and _word(tok) in L.documents and k and _capital(toks[k - 1][0]) \
                or low == "under" and words and _capital(words[0][0]) and k and _capital(toks[k - 1][0]) \
                or low == "from" and words and k and (_word(toks[k - 1][0]) in L.documents
                                                      or _word(toks[k - 1][0]) in L.source_nouns):
            # "the Joint Task Force Group under Task Force Velta", "a statement from the general staff"
            words.insert(0, toks[k])
            k -= 1
            continue
        if low in ("at", "in", "from") and words and k >= 1 and toks[k - 1][0][:1].isalpha() \
                and (_word(toks[k - 1][0]) in L.source_nouns or _word(toks[k - 1][0])[:-1] in L.person_nouns) \
                and (words[0][0].lower() == "the" or _capital(words[0][0])):
            # "A medical source at the Rennick hospital said": up to two lower-case modifiers of the noun
            j = k - 2
            while j >= 0 and k - 2 - j < 2 and toks[j][0].isalpha() and toks[j][0].islower() \
                    and toks[j][0] not in _ARTICLES and toks[j][0] not in _CLAUSE_OPENERS \
                    and toks[j][0] not in L.not_openers and toks[j][0] not in _CONNECTORS \
                    and not toks[j][0].endswith(("ed", "ing", "ly")) and toks[j][0] not in L.adverbials:
                j -= 1
            if _boundary(toks, j, L):
                # "Staff at the Rennick hospital said", "Doctors in Velta said": who works where
                words[0:0] = toks[j + 1:k + 1]
                k = j
                break
        if len(words) >= 2 and words[0][0] == "of" and _capital(words[1][0]) and tok.isalpha() and tok.islower():
            # "Police in the port city of Amsar said": a place described by lower-case words before its name
            j = k
            while j >= 0 and k - j < 3 and toks[j][0].isalpha() and toks[j][0].islower() \
                    and toks[j][0] not in _ARTICLES and toks[j][0] not in _CLAUSE_OPENERS \
                    and toks[j][0] not in L.not_openers and toks[j][0] not in _CONNECTORS \
                    and toks[j][0] not in L.adverbials and not toks[j][0].endswith(("ed", "ing", "ly")):
                j -= 1
            if j >= 2 and k - j >= 1 and toks[j][0] == "the" and toks[j - 1][0] in ("in", "at") \
                    and toks[j - 2][0][:1].isalpha() and (_word(toks[j - 2][0]) in L.source_nouns
                                                         or _word(toks[j - 2][0])[:-1] in L.person_nouns):
                words[0:0] = toks[j - 2:k + 1]
                k = j - 3
                continue
        # lower-case modifiers right before a lower-case source noun: "the provincial health department said"
        nxt = words[0][0] if words else ""
        if nxt and not _capital(nxt) and (_word(nxt) in L.source_nouns or loose) and loose < _LOOSE_MAX \
                and tok.replace("-", "").isalpha() \
                and low not in _CLAUSE_OPENERS and low not in L.not_openers \
                and (not low.endswith(("ed", "ing", "ly")) or low in L.modifiers) \
                and low not in L.roles and not (k and toks[k - 1][0].lower() in L.roles) and low not in L.time_span_closers \
                and low not in ("is", "was", "are", "were", "be", "been", "has", "have", "had", "it", "its", "their",
                                "whose", "whom", "who"):  # "whose numbers officials estimate": no name
            if loose == 2:
                two = (k, list(words))  # where two modifiers end, in case more are no name's
            loose += 1
            words.insert(0, toks[k])
            k -= 1
            continue
        break
    if loose > 2 and not (k >= 0 and toks[k][0].lower() == "the" or words[0][0].lower() == "the"):
        # "The provincial disaster risk reduction office says": more than two modifiers only after "the";
        # "a move human rights groups say" keeps its two
        k, words = two
    if not words:
        at = toks[-1][2] if toks else vpos  # "A confidential assessment, which I have seen, puts": before the aside
        m = L.indefinite_doc.search(text, max(start, at - 60), at)
        if m is not None and m.start("np") >= start and (not text[start:m.start("np")].strip() or re.search(
                r"(?:[,;:—–]|\b(?:and|but|that))\s*$", text[max(start, m.start("np") - 6):m.start("np")])):
            # "An intelligence assessment estimated ...": a document of its own, named by its words
            return _name(text, L, _tokens(text, m.start("np"), m.end("np")), pos=vpos, rule="attrib.subject-verb")
        src = _where_they_work(text, toks, vpos, L)
        if src is not None:
            return src
        # "..., a local priest told Radio Velta": a described speaker after the clause it reports
        m = _ARTICLE_SPEAKER.search(text, max(start, vpos - 60), vpos)
        if m is not None and _word(m.group("head")) not in L.not_names and m.group("head").lower() not in _CLAUSE_OPENERS:
            return _name(text, L, _tokens(text, m.start("np"), m.end("np")), pos=vpos, rule="attrib.subject-verb")
        return None
    # drop connectors the walk took in at its left edge ("in Velta" after "fighters")
    while words and words[0][0].lower() in _CONNECTORS - {"the"}:
        k += 1
        words = words[1:]
    if words and k >= 0:
        # "a report prepared for the UN Security Council estimated": the document is the source
        doc = _document_before(text, max(start, vpos - 240), words[0][1], L)
        if doc is not None:
            return _name(text, L, _tokens(text, doc, words[-1][2]), pos=vpos, rule="attrib.document")
    if words and k >= 0 and toks[k][0].lower() == "its" and _word(words[-1][0]) in L.author_bodies \
            and _word(words[-1][0]) not in L.documents and _boundary(toks, k - 1, L):
        # "Sambrelia will send 650 soldiers, its defence ministry announced": the body's own ministry or army speaks
        return _name(text, L, words, pos=vpos, rule="attrib.subject-verb")
    if words and not _boundary(toks, k, L):
        # "UN envoy Mara Quist said", "rights activist Ana Ruiz said": a person's name after the words that
        # describe them; the name is the source, the description stays out of it
        desc = _descriptor(toks, k, words, L)
        if desc is not None:
            return _name(text, L, words, pos=vpos, rule="attrib.subject-verb", desc=desc)
    if not words or not relative and not _boundary(toks, k, L):
        return None  # a fragment cut out of a longer phrase ("soldiers in northwest Velta, says ...")
    return _name(text, L, words, pos=vpos, rule="attrib.subject-verb")


_AND_BEFORE = re.compile(r"(?<=\w)\s+and\s+(?:(?:also|later|then|now)\s+)?$", I)
_COORDINATED_MAX = 12  # words between the first verb and "and": a longer object is likely another clause


def _coordinated_subject(text: str, start: int, vpos: int, L: _Lex) -> Source | None:
    """Return the subject of the first of two coordinated verbs, which the reporting verb at ``vpos`` shares:
    "ULF spokesman Tarik Odun denied any part in it and suggested that ..." is Tarik Odun's (else None)."""
    a = _AND_BEFORE.search(text, max(start, vpos - 20), vpos)
    if a is None:
        return None
    toks = _tokens(text, start, a.start())
    for j, (tok, ta, _) in enumerate(toks):
        low = tok.lower()
        if not tok.isalpha() or not tok.islower():
            continue
        if not (low.endswith("ed") or low in L.roles) or low in L.not_openers:
            continue
        src = _subject(text, start, ta, L)
        if src is None:
            continue  # "The armed group denied ...": no subject before this one, so no verb
        between = toks[j + 1:]
        if len(between) > _COORDINATED_MAX or any(not t[0][0].isalnum() or t[0].lower() in _CLAUSE_OPENERS
                                                  or t[0].lower() in L.roles for t in between):
            return None  # a comma, a quotation or a clause between the verbs: the second may have another subject
        return src
    return None


# what opens a phrase after a document noun saying whom or what it was for, or when it came out
_DOC_TAIL_OPENERS = frozenset(("to", "for", "on", "into", "about", "over"))


def _document_tail(text: str, start: int, vpos: int, L: _Lex) -> int | None:
    """Return where a document noun ends when all between it and the verb at ``vpos`` is a phrase naming whom it
    was for, its topic or its date ("report to parliament last year", "assessment for the cabinet in May"), else
    None. An author ("by", "of", "from") or a clause in that phrase leaves it to the other readings."""
    toks = _tokens(text, max(start, vpos - 100), vpos)
    d = next((d for d in range(len(toks) - 2, -1, -1)
              if _word(toks[d][0]) in L.documents or _word(toks[d][0])[:-1] in L.documents), None)
    if d is None:
        return None
    tail = toks[d + 1:]
    if tail[0][0].lower() not in _DOC_TAIL_OPENERS or len(tail) > 8:
        return None
    for tok, _, _ in tail:
        low = tok.lower()
        if not tok[0].isalnum() or low in L.roles or low in _CLAUSE_OPENERS or low in ("by", "of", "from") \
                or low.endswith(("ed", "ing")) and not _capital(tok) or tok[0].isdigit() and not _YEAR.match(tok) \
                or _word(tok) in L.documents or low in L.pronouns:
            return None
    return toks[d][2]


def _where_they_work(text: str, toks: list[Tok], vpos: int, L: _Lex) -> Source | None:
    """Return "Health officials in the province" when the words before the verb are a speaker's noun, a place
    preposition and a lower-case place ("Officials at the scene said"), or None."""
    n = len(toks)
    for tail in (1, 2):
        p = n - tail - 2  # the preposition's index
        if p < 1 or toks[p + 1][0].lower() != "the" or toks[p][0].lower() not in ("in", "at", "from", "of"):
            continue
        if not all(t[0].isalpha() and t[0].islower() and t[0] not in _CLAUSE_OPENERS for t in toks[p + 2:]):
            continue
        noun = _word(toks[p - 1][0])
        if not (noun in L.source_nouns or noun in L.person_nouns or noun[:-1] in L.person_nouns) or noun in L.documents:
            continue
        j = p - 2
        while j >= 0 and p - 2 - j < 2 and toks[j][0].isalpha() and toks[j][0].lower() not in _ARTICLES \
                and toks[j][0].lower() not in _CLAUSE_OPENERS and toks[j][0].lower() not in _CONNECTORS \
                and (toks[j][0].islower() or j == 0 or not toks[j - 1][0][0].isalnum()
                     or toks[j - 1][0].lower() in _ARTICLES) \
                and not toks[j][0].lower().endswith(("ed", "ing", "ly")):  # "A Front commander in the area"
            j -= 1
        if _boundary(toks, j, L):
            return _name(text, L, toks[j + 1:], pos=vpos, rule="attrib.subject-verb")
        return None
    return None


def _descriptor(toks: list[Tok], k: int, words: list[Tok], L: _Lex) -> list[Tok] | None:
    """Return the words describing the person named by ``words`` (up to token ``k``), or None.

    The name must read as a person's (two or more capitalised words, none a source noun) and the
    description as a noun phrase opening its clause: one to three words, the one next to the name a
    lower-case noun or title (not a preposition, a verb form or a clause opener).
    """
    caps = [t for t in words if t[0][0].isalpha()]
    if len(caps) < 2 or len(caps) != len(words) or not all(_capital(t[0]) and not t[0][1:2].isupper() for t in caps) \
            or any(_word(t[0]) in L.source_nouns or _word(t[0]) in L.bare_heads for t in caps):
        return None
    next_to = toks[k][0]
    low = next_to.lower()
    if not next_to.isalpha() or not next_to.islower() or low in L.not_openers or low in _CLAUSE_OPENERS \
            or low in _CONNECTORS or low in _ARTICLES or low in L.adverbials or low in L.not_names \
            or low in L.roles or low.endswith(("ed", "ing", "ly")) or low in L.pronouns:
        return None
    j = k
    while j >= 0 and k - j < 3:
        t = toks[j][0]
        tl = t.lower()
        if not t[0].isalpha() or tl in L.not_openers or tl in _CLAUSE_OPENERS or tl in L.roles or tl in L.pronouns \
                or tl in L.adverbials and not _capital(t):
            break
        if tl in _ARTICLES:
            j -= 1
            break
        j -= 1
    if not _boundary(toks, j, L):
        return None
    return toks[j + 1:k + 1]


# a date opening a sentence before its subject: "On 14 May 2021", "In March 2020,", "On Tuesday"
_OPENING_DATE = re.compile(r"(?:On|In|By|Since)\s+(?:\d{1,2}\s+[A-Z][a-z]+(?:\s+\d{4})?|[A-Z][a-z]+\s+\d{1,2}(?:,?\s+\d{4})?|"
                           r"[A-Z][a-z]+\s+\d{4}|\d{4}|[A-Z][a-z]+day)\s*,?\s+(?=the\s)")
# the same date before any subject: "In 2040 police put the toll at 40" (a year is otherwise a name's: "a 2020 UN report")
_OPENING_DATE_ANY = re.compile(_OPENING_DATE.pattern.replace(r"(?=the\s)", r"(?=[A-Za-z])"))


def _opening_subject(text: str, start: int, end: int, L: _Lex) -> Source | None:
    """Return the named person or body a sentence opens with, whom a later pronoun or title can mean.

    "The Guard's commander, General Radu Miescu, disputes those figures. He said ...": the sentence
    states nothing itself (the mention does not govern), but "He" means Radu Miescu. Only a person
    described by a title ("Commander Tarik Oduya", "X, a spokesman for ...", "the commander, General X,")
    or a body named with a source noun ("the Velta health ministry") qualifies: a place or a bare
    capitalised run is left alone.
    """
    date = _OPENING_DATE.match(text, start, end)
    if date is not None:
        start = date.end()  # "On 14 May 2021 the hospital received ...": the date opens the clause, not its subject
    toks = _tokens(text, start, min(end, start + 240))
    i = 0
    if len(toks) > 3 and toks[0][0].isdigit() and toks[1][0] == ":" and toks[2][0].isdigit():
        i = 3  # a live blog's time stamp, and the dash after it ("17:15 - Governor X has landed")
        if len(toks) > 4 and toks[3][0] in _DASHES:
            i = 4
    run: list[Tok] = []
    while i < len(toks) and len(run) < 10:
        t = toks[i][0]
        w = _word(t)
        if t[0].isalpha() and (_capital(t) or w in _CONNECTORS or w in L.titles or w in L.person_nouns
                               or w in L.source_nouns or t.endswith(("'s", "’s"))):
            run.append(toks[i])
            i += 1
            continue
        # "The fire chief": a modifier or two before a title
        ahead = next((j for j in range(i + 1, min(len(toks), i + 3))
                      if _word(toks[j][0]) in L.person_nouns or _word(toks[j][0]) in L.titles - {"the"}), None) \
            if all(r[0].lower() in _ARTICLES for r in run) else None
        if ahead is not None and all(toks[j][0].isalpha() and toks[j][0].islower() for j in range(i, ahead)):
            run.extend(toks[i:ahead])
            i = ahead
            continue
        break
    if not run or i >= len(toks) or run[-1][0].endswith(("'s", "’s")):
        return None  # "The Kelm Hospital's register lists ...": the subject is what the name owns, not the name
    if toks[i][0] == "(" and i + 2 < len(toks) and toks[i + 2][0] == ")" and toks[i + 1][0].isupper():
        i += 3  # "The Black Ridge Movement (BRM) emerged ...": the acronym is no part of the sentence's verb
        if i >= len(toks):
            return None
    desc: list[Tok] = []
    name = run
    aged = False
    if toks[i][0] == ",":
        j = next((j for j in range(i + 1, min(len(toks), i + 16)) if toks[j][0] == ","), None)
        if j is None:
            return None
        seg = toks[i + 1:j]
        alpha = [t for t in seg if t[0][0].isalpha()]
        k = len(run)
        while k > 0 and run[k - 1][0].isalpha() and run[k - 1][0][:1].isupper() and _word(run[k - 1][0]) not in \
                L.titles | L.source_nouns | L.organisation_heads | _CONNECTORS | _ARTICLES:
            k -= 1
        if len(seg) == 1 and seg[0][0].isdigit() and 0 < int(seg[0][0]) < 120 and 2 <= len(run) - k <= 3:
            # "Mum-of-two Sarah Pennock, 41, from Hadleigh Cross, was buying ...": an age makes the name a person's
            name, desc, aged = run[k:], run[:k], True
        elif len(alpha) >= 2 and all(_capital(t[0]) for t in alpha) and len(alpha) == len(seg):
            name, desc = seg, run  # "The Guard's commander, General Radu Miescu, disputes"
        elif seg and seg[0][0].lower() in ("a", "an", "the"):
            desc = seg  # "Tarik Oduya, the brigade's commander, leads"
        elif seg and seg[0][0].lower() in ("who", "whose"):
            pass  # "The police chief, who arrived within minutes, was shaken": the run is the subject
        elif seg and seg[0][0].islower() and (seg[0][0] in L.parentheticals or seg[0][0].endswith("ing")):
            pass  # "Commander Ilo Varn, speaking by radio, disputed the figure": an aside; the run is the subject
        else:
            return None
    elif not toks[i][0][0].isalpha() or not toks[i][0].islower():
        return None
    src = _name(text, L, name, pos=start, rule="attrib.pronoun", desc=desc)
    if src is not None and src.refers_back == "document" and not desc:
        src.governs = False
        return src  # "The report attributed most deaths to shelling": the report named before
    if src is not None and src.refers_back == "title" and src.name and src.desc.split()[-1:] \
            and src.desc.split()[-1] in L.person_nouns:
        # "The police chief, who arrived within minutes, was shaken. He said ...": the title names them
        src.governs = False
        return src  # resolved like "the police chief said" (else the title itself names them)
    if src is not None and src.refers_back == "title" and src.name and not desc and " " not in src.name \
            and src.name.lower() in L.source_nouns and src.name.lower() not in L.person_nouns:
        # "The army numbers some 16,000 troops. It says ...": a body named by its noun alone is whom "it" means
        src.governs = False
        return src
    if src is None or src.refers_back is not None:
        return None
    if aged:
        src.person = True  # an age is a person's, whatever the words before the name
    words = {_word(t[0]) for t in name} | {_word(t[0]) for t in desc}
    if src.person:
        if not aged and not words & (L.titles | L.person_nouns) - {"the", "state", "police", "army", "military"}:
            return None
    elif not words & L.source_nouns - {"security", "district", "provincial", "local", "senior"} \
            and _word(name[-1][0]) not in L.organisation_heads:
        return None
    if not src.person and src.doc is None:
        # "The Orvel Institute published a report on Monday": a later "the report" is the institute's
        d = L.issued_doc.search(text, start, end)
        if d is not None:
            src.doc = d.group("doc").lower()
    src.governs = False
    return src


def _named_with_head(text: str, lo: int, hi: int, head: str, L: _Lex) -> Source | None:
    """Return the last capitalised name in ``text[lo:hi]`` ending with ``head`` ("Osland Freedom Front"), or None;
    ``head`` may be a regex alternation of capitalised heads."""
    rx = _NAMED_HEAD.get(head)
    if rx is None:
        alt = head if "|" in head else re.escape(head.capitalize())
        # "the United Nations Observer Mission in Velsa (UNOMV)": where it works and its acronym are its name's
        rx = _NAMED_HEAD[head] = re.compile(rf"(?<![\w’'])(?:[A-Z][\w\-’']*\s+(?:(?:of|for|the|and)\s+)?){{1,5}}(?:{alt})s?\b"
                                            r"(?:(?:\s+(?:in|for|on)\s+[A-Z][\w\-’']*(?:\s+[A-Z][\w\-’']*){0,2})?\s*\([A-Z]{2,8}\))?")
    last = None
    for m in rx.finditer(text, lo, hi):
        last = m
    if last is None:
        return None
    src = _name(text, L, _tokens(text, last.start(), last.end()), pos=last.start(), rule="attrib.title")
    if src is None or src.refers_back is not None or src.person:
        return None
    src.governs = False
    return src


_NAMED_HEAD: dict[str, re.Pattern] = {}


def _masthead_body(text: str, pos: int, head: str, L: _Lex) -> Source | None:
    """Return the body the masthead names when its name holds ``head`` ("the institute" in a brief of the
    "Halvard Institute for Conflict Studies") and no other capitalised name with that word stands between the
    masthead and ``pos``; else None."""
    author = _author(text)
    if author is None or author.end > pos or head not in {_word(w) for w in author.name.split()}:
        return None
    between = text[author.end:pos].replace(text[author.start:author.end], " ")
    if re.search(rf"(?<![\w’'])[A-Z][\w’'\-]*\s+(?:(?:of|for|the|and)\s+)?(?i:{re.escape(head)})s?\b", between):
        return None  # "The Tarn Institute of Medicine was hit. The institute said ...": another institute
    return Source(author.start, author.name, author.start, author.end, rule="attrib.title", governs=False,
                  desc=head)


def _document_of(text: str, lo: int, hi: int, doc: str, L: _Lex) -> Source | None:
    """Return the last "``doc`` of/by the <capitalised body>" in ``text[lo:hi]`` as that body's document
    ("the annual report of the Velsa Rights Forum (VRF)" -> "VRF report"), or None."""
    rx = _DOC_OF.get(doc)
    if rx is None:
        rx = _DOC_OF[doc] = re.compile(
            rf"(?<![\w\-])(?i:{re.escape(doc)})s?\s+(?:of|by|from)\s+(?:the\s+)?"
            r"(?P<body>[A-Z][\w\-’'.]*(?:\s+(?:(?:of|for|the|and|in|on)\s+)?[A-Z][\w\-’'.]*){0,7})"
            r"(?:\s*\((?P<acr>[A-Z][A-Za-z]{1,9})\))?")
    last = None
    for m in rx.finditer(text, lo, hi):
        last = m
    if last is None:
        return None
    body = _name(text, L, _tokens(text, last.start("body"), last.end("body")), pos=last.start(), rule="attrib.document-back")
    if body is None or body.refers_back is not None or body.doc is not None:
        return None
    end = last.end("acr") + 1 if last.group("acr") else body.end
    return Source(last.start(), f"{last.group('acr') or body.name} {doc}", body.start, end, rule="attrib.document-back",
                  governs=False, doc=doc, desc=doc)


_DOC_OF: dict[str, re.Pattern] = {}


@lru_cache(maxsize=1)
def _armed_heads() -> str:
    """The capitalised heads of an armed organisation's name ("Brigades", "Front"): the organisation heads that
    force_cues.json counts as armed bodies and not as the state's ("Army" may be the state's)."""
    forces = load("force_cues.json")
    bodies = {w.lower() for e in forces["bodies"] for w in e["words"]}
    state = {w.lower() for e in forces["state_bodies"] for w in e["words"]}
    heads = sorted((lex().organisation_heads & bodies) - state - {"group"}, key=len, reverse=True)
    return "|".join(re.escape(w.capitalize()) for w in heads)


def _document_before(text: str, lo: int, name_start: int, L: _Lex) -> int | None:
    """Return where "a report prepared for (the)" starts when it ends just before a body's name at ``name_start``."""
    m = L.document_before.search(text[lo:name_start])
    return lo + m.start(1) if m else None


def _after_verb(text: str, pos: int, end: int, L: _Lex, *, clause_end: bool = True) -> Source | None:
    """Return the source named after an inverted verb: '..., said the police chief' / '“...,” said Ana Ruiz'."""
    toks = _tokens(text, pos, min(end, pos + 160))
    if not toks:
        return None
    if toks[0][0].lower() in L.pronouns:
        t = toks[0]
        return Source(pos, None, t[1], t[2], rule="attrib.pronoun", refers_back=L.pronouns[t[0].lower()])
    words: list[Tok] = []
    for t in toks:
        if not t[0][0].isalnum() or not (_accept(t[0], L) or t[0].lower() in ("a", "an")) or len(words) >= 8:
            break
        words.append(t)
    n = len(words)
    # "said the group's spokesman, Ana Ruiz": a described speaker named in apposition
    if n and words[0][0].lower() in ("the", "a", "an") and n + 2 < len(toks) and toks[n][0] == ",":
        name = []
        for t in toks[n + 1:n + 6]:
            if not (_capital(t[0]) and t[0][0].isalpha()):
                break
            name.append(t)
        if len(name) >= 2 and (n + 1 + len(name) == len(toks) or not toks[n + 1 + len(name)][0][0].isalnum()):
            return _name(text, L, name, pos=pos, rule="attrib.apposition", desc=words)
    if not n:
        return None
    # the name must end the clause: "..., said police in Velta." not "said gunmen killed"
    if clause_end and n < len(toks) and toks[n][0][0].isalnum() and toks[n][0].lower() not in _AFTER_NAME_OK:
        return None
    return _name(text, L, words, pos=pos, rule="attrib.verb-subject")


_AFTER_NAME_OK = frozenset("on in at adding who which citing quoting as late early yesterday today during after earlier "
                           "later when while and according speaking".split())


# --- rules ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """One way a sentence names a source: ``find(text, start, end, L)`` yields its mentions."""

    name: str
    find: Callable[[str, int, int, _Lex], list[Source]]


def _headline_colon(text: str, start: int, end: int, L: _Lex) -> list[Source]:
    if end - start >= 200:
        return []
    lead = _headline_lead(text, start, end, L)
    if lead is not None:
        return [lead]
    if text.find(":", max(start, end - 45), end) < 0 and not _HEADLINE_DASH.search(text, max(start, end - 45), end):
        return []
    line = text[start:end].rstrip()
    if not line or line[-1] in ".!?\"”’)":
        return []
    h = _HEADLINE_SOURCE.search(line)
    if h is None:
        return []
    a = start + h.start("name")
    toks = _tokens(text, a, start + h.end("name"))
    if len(h.group("name")) * 2 > h.start("name") or not all(
            _accept(t[0], L) or t[0].lower() in ("think", "tank", "state") for t in toks):
        return []  # "Velta: Four militants killed in raid": a headline after a colon, not a source
    if h.group("mark") != ":" and _word(toks[-1][0]) not in L.source_nouns:
        return []  # "... attack -army" (a wire headline's source); "... - live updates" names nobody
    src = _name(text, L, toks, pos=a, rule="attrib.headline-colon")
    if src is None:
        return []
    if src.refers_back is not None:  # "...: Report" names its source even without an antecedent
        src = Source(a, text[src.start:src.end], src.start, src.end, rule="attrib.headline-colon", doc=src.desc)
    return [src]


_HEADLINE_DASH = re.compile(r"\s[-–—]\s?[A-Za-z]")
# a live blog's entry may open with its time stamp and a dash ("1:30 PM — Police: 18 dead, 40 wounded")
_HEADLINE_LEAD = re.compile(rf"(?:{LIVE_STAMP}\s*[-–—]\s*)?(?P<name>[A-Za-z][\w\-’'.]*(?:\s+[A-Za-z][\w\-’'.]*){{0,3}})\s*:\s+\S")


def _headline_lead(text: str, start: int, end: int, L: _Lex) -> Source | None:
    """Return the source a headline names before a colon ("UN report: 1,350 civilians killed"), or None.

    The words must end in a source noun or a document and name it by themselves: "Velta: four killed"
    (a place), "Update: ..." or "Report: ..." (a bare head noun) name nobody.
    """
    line = text[start:end]
    if line.rstrip()[-1:] in ".!?\"”’)":
        return None
    h = _HEADLINE_LEAD.match(line)
    if h is None:
        return None
    toks = _tokens(text, start + h.start("name"), start + h.end("name"))
    last = _word(toks[-1][0]) if toks else ""
    if not toks or not (last in L.source_nouns or last in L.documents) \
            or not all(_accept(t[0], L) or _word(t[0]) in L.documents for t in toks):
        return None
    if len(toks) == 1 and (last in L.documents or last in L.bare_heads):
        return None  # "Analysis: ...", "Update: ...": a kind of article, not a source
    src = _name(text, L, toks, pos=start + h.end("name"), rule="attrib.headline-colon")
    if src is None or src.refers_back is not None:
        return None
    return src


# a relative clause without commas between a speaker and the verb: "An official who asked not to be named said"
_WHO_CLAUSE = re.compile(r"(?<=[A-Za-z])\s+who\s+(?!said\b|says\b|told\b)[^,.;:!?\"“”()]{3,90}?\s*$")
# "a claim by", "a statement from": a document or claim, then its maker
_MAKER_BEFORE = re.compile(r"\b(?P<noun>[a-z]+)\s+(?:by|from)\s+(?:the\s+)?$")
_OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they", "it": "it"}  # the subject form the lexicon knows
# ", Dr Lina Vorst, ": a person's name (two to four capitalised words, an honorific's full stop kept) set off by
# commas right after a description
# "a doctor at the clinic": where a described person works, after the words that describe them
_PLACE_AFTER = re.compile(r"\s+(?:at|on)\s", I)
_APPOSED_NAME = re.compile(r"\s*,\s+(?P<name>(?-i:[A-Z])[\w’'\-]*\.?(?:\s+(?-i:[A-Z])[\w’'\-]*\.?){1,3})\s*,")


# "the 600 cited by", "the roughly 1,800 fighters counted by": a figure, and a word or two it counts, right before
_FIGURE_JUST_BEFORE = re.compile(r"(?<![\w,.])\d(?:\d|[,.](?=\d))*(?:[-–]\d(?:\d|[,.](?=\d))*)?(?:\s+(?-i:[a-z])[\w\-]*){0,2}\s+$")


def _according_to(text: str, start: int, end: int, L: _Lex) -> list[Source]:
    out = []
    for m in L.prep.finditer(text, start, end):
        raw = m.group("np")
        a = m.start("np")
        first = raw.split(None, 1)[0].lower() if raw.strip() else ""
        if first in _OBJECT_PRONOUNS:
            # "According to him, 30 were injured": whoever "him" means, never the word
            if (raw.split(None, 1)[1:] or [""])[0][:1].isalpha():
                continue  # "according to her office": not the pronoun alone
            refers = L.pronouns.get(_OBJECT_PRONOUNS[first])
            if refers is not None:
                out.append(Source(m.start(), None, a, a + len(first), rule="attrib.pronoun", refers_back=refers))
            continue
        # "according to a tally compiled by the local press club": the compiler is the source;
        # "according to a leaked assessment by the agency": the assessment, named by its author
        by = _MADE_BY.match(raw) if " by " in raw else None
        if by is not None and not re.match(r"(?:a|an|the)?\s*(?:\w+\s+){0,2}?(?:assessment|report|study|survey|review|"
                                           r"analysis|estimate)s?\b", raw, I):
            a = m.start("np") + by.start(1)
            raw = by.group(1)
        np = raw if by is not None else L.np_stop.sub("", raw)
        if by is not None:
            np = re.sub(r"\s+(?:that|who|which|when|while|as|because|since|on|at|in\s+(?:a|an|the)\s|"
                        r"released|published|issued|said|says|show|shows|showed|were|was|is|are)\b.*$", "", np, flags=I)
        toks = _tokens(text, a, a + len(np.rstrip()))
        cut = raw.rstrip()[len(np.rstrip()):]
        appos = _APPOSED_NAME.match(text, a + len(raw.rstrip())) if by is None and (
            not cut or _PLACE_AFTER.match(cut) and not L.verb.search(cut)) else None
        described = _tokens(text, a, a + len(raw.rstrip()))
        if appos is not None and any(_word(t[0]) in L.person_nouns for t in toks[:12]) \
                and _word(described[-1][0]) not in L.places and _word(appos.group("name").split()[-1]) not in L.places:
            # "According to the director of the hospital, Dr Lina Vorst, 23 bodies ...": the person the
            # description names between commas is the source, as in "A spokesman for the army, Ana Ruiz, said"
            # ("the mayor of the capital, New Harbour City," names a place)
            seg = _tokens(text, appos.start("name"), appos.end("name"))
            src = _name(text, L, seg, pos=m.start(), rule="attrib.apposition", desc=described[:12])
            if src is not None and src.refers_back is None and src.person:
                out.append(src)
                continue
        src = _name(text, L, toks[:12], pos=m.start(), rule="attrib.according-to")
        fig = _FIGURE_JUST_BEFORE.search(text, max(start, m.start() - 60), m.start()) \
            if src is not None and m.group(0)[:m.start("np") - m.start()].rstrip().lower().endswith(" by") else None
        if fig is not None:
            # "well above the 600 cited by police intelligence": the agent of a participle on a figure states that
            # figure alone, not the one the sentence compares it with, nor any after it
            src.back, src.limit = fig.start(), m.start("np") + len(np.rstrip())
        # "according to the report": the report named before (a bare "the group" stays unnamed)
        # "according to the army": a title with a name of its own, as in "the army said"
        # "according to the mission": the organisation named before with that word (a bare "the group" stays unnamed)
        # "according to the centre" in a brief: the centre named before, else the masthead's (else nobody)
        if src is not None and (src.refers_back is None or src.refers_back == "document"
                                or src.refers_back == "title" and (src.name or src.desc != "group" and (
                                    src.desc in L.organisation_heads or src.desc in L.author_bodies))):
            out.append(src)
    return out


# what may stand before a sentence's subject: a list's bullet, a bullet's label ("- Claims: "), an opening
# aside word ("Meanwhile, ")
_WITH_PHRASE = re.compile(r",\s+with\s", I)
_LEAD_IN = re.compile(r"\s*(?:[-–—•*]\s+)?(?:(?-i:[A-Z])[\w\-]*(?:\s+[\w\-]+){0,2}:\s+)?(?:(?P<opener>[A-Za-z]+),\s+)?")


def _lead_in(text: str, start: int, end: int, L: _Lex) -> int:
    """Return where a sentence's subject starts, past a bullet, its label and an opening aside word."""
    m = _LEAD_IN.match(text, start, end)
    if m.group("opener") is not None and m.group("opener").lower() not in L.parentheticals:
        return m.start("opener")
    return m.end()


def _saying(text: str, start: int, end: int, L: _Lex) -> list[Source]:
    # "The Velta Front claimed the raid, saying its fighters had killed 16 soldiers": the subject speaks
    if text.find("saying", start, end) < 0:
        return []
    m = _SAYING.search(text, start, end)
    if m is None:
        return []
    if _WITH_PHRASE.search(text, start, m.start()):
        return []  # "Gunmen killed 31, with residents ..., saying ...": the participle is the with-phrase's
    a = _lead_in(text, start, m.start(), L)
    first = _TOKEN.search(text, a, m.start())
    if first is not None and first.group().lower() in L.not_openers:
        return []  # "In Tarn, the rebels attacked ..., saying": a place phrase opens the sentence, not its subject
    src = _after_verb(text, a, m.start(), L, clause_end=False)
    if src is None:
        return []
    src.pos, src.rule = m.start(), "attrib.saying" if src.refers_back is None else src.rule
    src.scope = "after"
    return [src]


def _with_speaker(text: str, start: int, end: int, L: _Lex) -> list[Source]:
    """Find "..., with X confirming that ...": X states the clause the participle reports."""
    if text.find("with", start, end) < 0:
        return []
    m = L.with_speaker.search(text, start, end)
    if m is None:
        return []
    src = _subject(text, m.start("np"), m.start("verb"), L)
    if src is None or src.refers_back is not None or src.start < m.start("np"):
        return []
    # what X confirms or says follows the participle; the clause before it is the writer's
    src.pos, src.rule, src.scope = m.start("verb"), "attrib.with-speaker", "after"
    src.limit = _clause_end(text, m.end(), end)
    return [src]


def _possessive(text: str, start: int, end: int, L: _Lex) -> list[Source]:
    # "The government's figure of \"fewer than 1,500 terrorists\"": the owner of the figure states it
    if text.find("’s", start, end) < 0 and text.find("'s", start, end) < 0:
        return []
    out = []
    for m in L.possessive.finditer(text, start, end):
        toks = _tokens(text, max(start, m.start() - 80), m.start())
        k = len(toks)
        while k and len(toks) - k < 5 and (_accept(toks[k - 1][0], L) or toks[k - 1][0].lower() in ("a", "an")) \
                and toks[k - 1][0].lower() not in _LEADING_JUNK - {"the"}:
            k -= 1
            if toks[k][0].lower() == "the":
                break
        words = toks[k:]
        if not words or words[-1][0][0].islower() and _word(words[-1][0]) not in L.source_nouns \
                and _word(words[-1][0]) not in L.organisation_heads:
            continue
        if words[-1][0][0].isupper() and not words[-1][0].isupper() and _word(words[-1][0]) not in L.source_nouns \
                and _word(words[-1][0]) not in L.organisation_heads:
            continue  # "Kalvar's figure of 40": a place or a person's own count is no stated source
        src = _name(text, L, words, pos=m.start("noun"), rule="attrib.possessive")
        # "the army's figure": a title with a name of its own, as in "according to the army"
        if src is None or src.refers_back is not None and not (src.refers_back == "title" and src.name):
            continue
        src.scope = "after"
        stop = _OF_PHRASE_END.search(text, m.end(), end)
        src.limit = stop.start() if stop is not None else end
        out.append(src)
    return out


# what ends the figure an "X's figure of" names: punctuation after it, or the verb of the clause it is subject of
_OF_PHRASE_END = re.compile(r"[,;:!?](?!\d)|\.(?!\d)|\s(?:is|are|was|were|has|have|had|seems?|looks?|remains?)\b", I)


def _own_account(text: str, start: int, end: int, L: _Lex) -> list[Source]:
    # "The army, by its own account, has mobilised 60,000 reservists": the subject states its own figure
    if text.find(" own ", start, end) < 0:
        return []
    out = []
    for m in L.own_account.finditer(text, start, end):
        src = _subject(text, start, m.start(), L)
        if src is None:
            continue
        src.pos, src.scope = m.start(), "both"
        if src.rule == "attrib.subject-verb":
            src.rule = "attrib.own-account"
        out.append(src)
    return out


def _in_what(text: str, start: int, end: int, L: _Lex) -> list[Source]:
    # "Three people were killed in what police described as a flare-up": the describer is the source
    if text.find(" what ", start, end) < 0:
        return []
    out = []
    for m in L.in_what.finditer(text, start, end):
        src = _name(text, L, _tokens(text, m.start("np"), m.end("np")), pos=m.start(), rule="attrib.in-what")
        if src is None or src.refers_back is not None and not src.name:
            continue
        src.scope = "both"
        out.append(src)
    return out


def _dash_credit(text: str, start: int, end: int, L: _Lex) -> list[Source]:
    # 'Claim: "The Front has 10,000 fighters." - Senator Ana Brel, in a debate': a quotation credited after a dash
    out = []
    for m in _DASH_CREDIT.finditer(text, start, end):
        if text.count('"', start, m.start()) % 2 == 0 and text.count("“", start, m.start()) == 0:
            continue  # no quotation opened before the closing mark
        src = _name(text, L, _tokens(text, m.start("np"), m.end("np")), pos=m.start(), rule="attrib.quotation")
        words = [_word(t) for t in m.group("np").split()]
        if len(words) < 2 or not any(w in L.titles for w in words[:-1]):
            continue  # "- Tarn.", "- Velta Times": only a titled person is credited this way
        if src is None or src.refers_back is not None or src.name is None or not src.person:
            continue
        src.scope = "both"
        out.append(src)
    return out


def _by_count(text: str, start: int, end: int, L: _Lex) -> list[Source]:
    # "By the army's own count, the Front still fields 2,500 fighters": the owner of the count states what follows
    out = []
    for m in L.by_our_count.finditer(text, start, end):
        # "..., the Front has shrunk to 1,200 fighters, by our count": the text's own voice, the body its masthead
        # (or a press release's issuer) names; quoted, it is the speaker's
        if _quoted_before(text, start, m.start()):
            continue
        author = _author(text) or _issuer(text)
        if author is not None:
            out.append(Source(m.start(), author.name, author.start, author.end, rule="attrib.first-person", scope="both"))
    if text.find("'", start, end) < 0 and text.find("’", start, end) < 0:
        return out
    for m in L.by_count.finditer(text, start, end):
        if text[start:m.start()].strip() and not text[start:m.start()].rstrip().endswith((",", ";", ":")):
            continue
        src = _name(text, L, _tokens(text, m.start("np"), m.end("np")), pos=m.end(), rule="attrib.by-count")
        if src is None or src.refers_back is not None and not src.name:
            continue
        src.scope = "after"
        out.append(src)
    return out


# "said last week that": a verb's reported clause opening after a few words
_THAT_AFTER = re.compile(r"(?:\s+(?!that\b)[\w\-]+){0,3}?\s+that\s", I)
# ", and the commander of the operation, General X,": a clause joined by "and" opens before the subject
_AND_CLAUSE = re.compile(r"[,;]\s+and\s+(?:the|a|an|its|their|his|her)\s", I)


def _verbs(text: str, start: int, end: int, L: _Lex) -> list[Source]:
    out: list[Source] = []
    for m in L.verb.finditer(text, start, end):
        v = m.group("v").lower()
        role = L.roles.get(v, "speech")
        if v in ("claimed", "claims") and _NOT_SPEECH_AFTER.match(text, m.end()):
            role = "antecedent"  # "X claimed responsibility, ... which he said": X is who "he" means
        if v in ("put", "puts") and _PUT_NOT_FIGURE.match(text, m.end()):
            continue
        if v in ("raised", "lowered") and not L.revised_figure.match(text, m.end()):
            continue  # "raised the toll to 27" states a figure; "raised the alarm", "raised funds" do not
        if v == "report" and not text.startswith(" that ", m.end()) and not L.figure_next.match(text, m.end()):
            continue  # "report" is mostly a noun; "Health authorities report that ...", "... report 29 killed" is the verb
        if text.startswith((" at ", " to "), m.end()) and _PASSIVE_AFTER.match(text, m.end()) \
                and _PASSIVE_BEFORE.search(text, max(start, m.start() - 12), m.start()) \
                and (v.startswith("estimat") or not text.startswith(" at", m.end())):
            out.extend(_passive_agent(text, m.end(), end, role, L))
            continue  # "rebels, estimated at 1,500", "the group is said to have 500 fighters": nobody speaks
        if (v == "said" or v.endswith("ed")) and v not in L.active_infinitive \
                and _REDUCED_PASSIVE_AFTER.match(text, m.end()):
            continue  # "Fighting in Tarn said to have killed 40", "a boy believed to be 15": nobody speaks
        pas = _PASSIVE.search(text, max(start, m.start() - 24), m.start())
        if pas is not None and v == "quoted" and _AS_SAYING.match(text, m.end()):
            # "A police officer was quoted as saying 12 militants were killed": the passive's subject speaks
            src = _subject(text, start, pas.start(), L)
            if src is not None:
                src.governs, src.scope, src.pos = True, "after", m.start()
                src.limit = _clause_end(text, m.end(), end)
                out.append(src)
            continue
        if pas is not None:
            out.extend(_passive_agent(text, m.end(), end, role, L))
            continue  # "12 deaths were recorded": a passive names no source (unless its agent follows the figure)
        if v in L.s_nouns and (_NOUN_NEXT.match(text, m.end())
                              or re.search(r"(?:['’]s|\b(?:the|a|an|these|those|such|media|news|initial|early|"
                                           r"preliminary|local|unconfirmed|conflicting|earlier|latest))\s+$",
                                           text[max(start, m.start() - 16):m.start()], I)) \
                and not _relative_verb(text, start, m, L):
            continue  # "Preliminary reports indicate", "the group's claims": a noun, not a verb
        src = _subject(text, start, m.start(), L)
        if src is None:
            # "A Tarn Council report to parliament last year estimated ...": whom and when it was for is no part
            # of the document's name, which is the subject
            d = _document_tail(text, start, m.start(), L)
            src = _subject(text, start, d, L) if d is not None else None
            if src is not None and (src.doc is None and src.refers_back != "document" or src.end != d or any(
                    w in L.not_openers for w in text[src.start:src.end].split())):
                src = None  # "Police in the statement to reporters said": a document only where it is the subject
        inverted = False
        if src is None and role == "speech":
            before = text[max(start, m.start() - 3):m.start()]
            if re.search(r"(?:[,”\"’]|[,.?!]')\s*$", before) or m.start() == start:
                src = _after_verb(text, m.end(), end, L)
                inverted = src is not None
        if src is None and role in ("speech", "states"):
            src = _coordinated_subject(text, start, m.start(), L)
        if src is None:
            continue
        if v == "report" and src.refers_back is None and not any(
                w.endswith("s") and w[:1].islower() or w.lower() in ("police", "media", "staff")
                for w in (src.name or "").split()):
            continue  # "A UN report that 9 died": the noun, with a singular name before it
        if role == "document" and src.rule == "attrib.pronoun" and src.refers_back == "body" and src.doc is None:
            src.refers_back = "document"  # "It also found that ...": "it" is the document named before
        if role == "document" and src.doc is None and src.refers_back != "document" \
                and not (src.name and _DATA_NAME.search(src.name) and " " in src.name) \
                and _head(src.desc) not in L.finding_bodies and not _finding_acronym(text, src, L) \
                and not _finding_name(text, m.end(), src, L):
            continue  # "found" states a figure only for a document: "police found 3 bodies" stays the finder's
        src.governs = role != "antecedent"
        src.states = role == "states"
        if src.doc is None and not src.person and src.refers_back is None:
            # "the UN office said in its annual report ...": a later "the report" means this body's report
            d = L.issued_in.match(text, m.end(), end)
            if d is not None:
                src.doc = d.group("doc").lower()
        if not inverted and _trailing(text, start, src.start) and _THAT_AFTER.match(text, m.end(), end) \
                and _AND_CLAUSE.search(text, start, src.start):
            # "The army has sent 800 troops, and the commander, General X, said last week that ...": a clause of
            # its own, joined by "and", whose speaker reports what follows, not what the clause before counted
            src.scope = "after"
            src.limit = _clause_end(text, m.end(), end)
        elif inverted or _trailing(text, start, src.start):
            src.scope = "both"
            if src.rule == "attrib.subject-verb":
                src.rule = "attrib.trailing"
            tail = max(m.end(), src.end)
            aside = _DESCRIBED_AFTER.match(text, src.end) if inverted else None
            if aside is not None and not L.verb.search(text, aside.end(), _aside_end(text, aside.end(), end)):
                # "..., said Vesna Orlic, whose two sons died": the relative clause describes the speaker
                src.limit = aside.start() + 1
            elif _BACKGROUND_AFTER.match(text, tail):
                # "..., the police chief said, two days after a bombing in Mestrovo killed 27": the writer's background
                src.limit = tail + 1
        else:
            src.scope = "after"
            src.limit = _clause_end(text, m.end(), end)
            if _RELATIVE_BEFORE.search(text, max(start, src.start - 24), src.start):
                # "the Front, which Western officials estimate has 3,000 fighters, claimed ...": the source
                # speaks only inside the relative clause
                comma = text.find(",", m.end(), src.limit)
                if comma >= 0:
                    src.limit = comma
                    par = _PARALLEL_RELATIVE.match(text, comma, end)
                    if par is not None and not L.verb.search(text, par.start("clause"), par.end("clause")):
                        # "the bombing in Veln, which UNOMT found killed 30, and the bombing in Tarn, which killed
                        # 14": a relative clause set beside it, with no speaker of its own, goes on with its finding
                        src.limit = par.end("clause")
        src.pos = m.start()
        out.append(src)
        if src.scope == "after" and src.refers_back in (None, "title") and src.governs:
            own = _OWN_RELATIVE.fullmatch(text, src.end, m.start())
            if own is not None and not L.verb.search(text, src.end, own.end("rel")):
                # "The army, which has some 18,000 troops deployed in the north, says ...": what the speaker
                # has, in a clause describing it, is the speaker's own figure
                out.append(Source(src.end, src.name, src.start, src.end, rule=src.rule, refers_back=src.refers_back,
                                  scope="after", person=src.person, doc=src.doc, desc=src.desc, limit=own.end("rel")))
    return out


# "..., which the Defence Ministry estimates have 600 fighters": a relative pronoun, then the verb's subject
_RELATIVE_SUBJECT = re.compile(r",\s+(?:which|who|whom)\s+(?:the\s+)?(?:[\w\-’']+\s+){1,5}$", I)
_AUXILIARY_NEXT = re.compile(r"\s+(?:has|have|had|is|are|was|were|number|numbers|total|totals)\b", I)


def _relative_verb(text: str, start: int, m: re.Match, L: _Lex) -> bool:
    """Whether an "-s" noun ("estimates", "claims") is the verb of a relative clause's named subject, reporting
    the clause after it: "the Brigades, which the Defence Ministry estimates have 600 fighters"."""
    if not _AUXILIARY_NEXT.match(text, m.end()) or not _RELATIVE_SUBJECT.search(text, max(start, m.start() - 80), m.start()):
        return False
    src = _subject(text, start, m.start(), L)
    return src is not None and src.refers_back is None and src.name is not None \
        and _RELATIVE_BEFORE.search(text, max(start, src.start - 24), src.start) is not None


def _passive_agent(text: str, pos: int, end: int, role: str, L: _Lex) -> list[Source]:
    """Find "... was put at 57 by the defence ministry": the agent named after a passive verb's figure states it."""
    agent = L.passive_agent.match(text, pos, end) if role in ("speech", "states") else None
    if agent is None:
        return []
    np = L.np_stop.sub("", agent.group("np"))
    doc = L.in_document.search(np)
    if doc is not None:
        np = np[:doc.start()]  # "by the Interior Ministry in a report to parliament": the ministry stated it
    src = _name(text, L, _tokens(text, agent.start("np"), agent.start("np") + len(np.rstrip()))[:12],
                pos=agent.start("np"), rule="attrib.subject-verb")
    # "was put at 112 by the mission": like "according to the mission", the organisation named before with that word
    if src is None or not (src.refers_back is None or src.refers_back == "title" and (
            src.name or src.desc != "group" and (src.desc in L.organisation_heads or src.desc in L.author_bodies))):
        return []
    if doc is not None and src.doc is None and not src.person and src.refers_back is None:
        src.doc = doc.group("doc").lower()  # a later "the report" is this body's
    src.scope = "both"
    return [src]


# ", which has some 18,000 troops deployed in the north, ": a relative clause of what the subject has, then its verb
_OWN_RELATIVE = re.compile(r"(?P<rel>,\s+(?:which|who)\s+(?:has|have|had|fields|commands|counts)\s+(?:[^,;:()\"“”]|(?<=\d),(?=\d)){3,100}),"
                           r"\s*(?:(?:also|now|still|however)\s+)?", I)


def _head(desc: str | None) -> str:
    """Return the head word of a source's lower-case words: the last before "of/on/for/into" ("un panel of experts")."""
    words = (desc or "").split()
    for k, w in enumerate(words):
        if k and w in ("of", "on", "for", "into"):
            return words[k - 1]
    return words[-1] if words else ""


# after a speaker named at a tag: a relative clause describing them, or a time clause the writer adds
_DESCRIBED_AFTER = re.compile(r"\s*,\s+(?:who|whose|whom)\s", I)
_BACKGROUND_AFTER = re.compile(r"\s*,\s+(?:(?-i:[a-z])[\w\-]*\s+){0,3}?(?:after|before)\s", I)


def _aside_end(text: str, pos: int, end: int) -> int:
    """Return where a comma-enclosed aside opened before ``pos`` ends (its closing comma or the sentence end)."""
    c = text.find(",", pos, end)
    return end if c < 0 else c


_ARTICLE_AT_END = re.compile(r"(?:(?<![\w'’])(?:the|an?|its)(?:\s+(?-i:[a-z])[a-z\-]*['’]s)?)?$", I)


def _trailing(text: str, start: int, name_start: int) -> bool:
    """Whether a subject follows a clause of its own sentence (", the ministry said" after the figure)."""
    before = text[max(start, name_start - 40):name_start].rstrip()
    # the article, and a common noun's possessive after it ("..., the country's Interior Ministry said")
    before = before[:_ARTICLE_AT_END.search(before).start()].rstrip()
    if before[-2:-1] in (",", ".", "?", "!") and before.endswith("'"):
        return True  # "'We have 2,000 fighters,' Rado Vesk told ...": a quotation in ASCII single quotes closes
    if not before or before[-1] not in ",”\"’—–":
        return False
    return not (before[-1] == "," and _opening_adverbial(text, start, name_start))


def _opening_adverbial(text: str, start: int, name_start: int) -> bool:
    """Whether all that comes before a subject's comma is an opening time or place phrase
    ("Eleven weeks later, the council's tally puts ...", "On Wednesday evening, police said ...")."""
    comma = text.rfind(",", start, name_start)
    head = text[start:comma]
    if "," in head or not head.strip():
        return False
    toks = _TOKEN.findall(head)
    if not 1 <= len(toks) <= 6 or any(not t[0].isalnum() and t != ":" for t in toks):
        return False
    L = lex()
    if any(_word(t) in _FINITE for t in toks):
        return False  # "At least 12 people were killed, a police spokesman told AFP": a clause, not a phrase
    first, last = _word(toks[0]), _word(toks[-1])
    return first in L.not_openers or first in ("last", "this", "next", "earlier", "later") \
        or len(toks) <= 3 and last in ("later", "ago", "earlier", "afterwards", "meanwhile")


# verbs a clause has and an opening time or place phrase lacks
_FINITE = frozenset("is are was were has have had be been died killed wounded injured".split())


def _clause_end(text: str, pos: int, end: int) -> int:
    """Return where the statement a verb at ``pos`` reports ends (a contrast, or an adverbial clause after an object)."""
    c = text.find(";", pos, end)
    limit = c if c >= 0 else end
    for m in _CONTRAST.finditer(text, pos, limit):
        v = lex().verb.search(text, m.end(), limit) if m.group(0) != ";" else None
        if v is not None and any(_word(w) not in lex().adverbials for w in _TOKEN.findall(text, m.end(), v.start())):
            # "The army puts the Front's strength at 1,500, while the group itself claims 4,000": another
            # speaker's clause, even one whose subject names nobody, is no part of the army's statement
            # ("... but later said there were 500" has no subject of its own: the same speaker goes on)
            limit = m.start()
            break
    if _OBJECT_NEXT.match(text, pos):
        s = _SUBORDINATE.search(text, pos, limit)
        if s is not None:
            limit = s.start()
        # "the council's tally puts the dead at 312, and the hospital has treated 900 wounded": a clause
        # with a subject of its own after the verb's object is the writer's, not the tally's
        s = _NEW_CLAUSE.search(text, pos, limit)
        if s is not None:
            limit = s.start()
    return limit


# a verb followed by a noun phrase object ("disclosed the size of ...") rather than by what was said
# ", and the bombing of the Tarn depot on 9 June, which killed 14 civilians": a second relative clause, on a noun
# phrase coordinated with the one before
_PARALLEL_RELATIVE = re.compile(r",\s+and\s+(?:the|a|an)\s+(?:[^,;:()\"“”]|(?<=\d),(?=\d)){1,120}?,\s+which\s+"
                                r"(?P<clause>(?:[^,;:()\"“”]|(?<=\d),(?=\d)){1,160})", I)
_OBJECT_NEXT = re.compile(r"\s+(?:the|a|an|his|her|its|their)\s", I)
_RELATIVE_BEFORE = re.compile(r",\s+(?:which|who|whom|whose\s+[a-z]+)\s+(?:the\s+)?$", I)
_NEW_CLAUSE = re.compile(r",\s+(?:and|but)\s+(?:the|a|an|its|their|his|her)\s", I)


RULES: tuple[Rule, ...] = (
    Rule("attrib.headline-colon", _headline_colon),
    Rule("attrib.according-to", _according_to),
    Rule("attrib.saying", _saying),
    Rule("attrib.with-speaker", _with_speaker),
    Rule("attrib.own-account", _own_account),
    Rule("attrib.by-count", _by_count),
    Rule("attrib.quotation", _dash_credit),
    Rule("attrib.in-what", _in_what),
    Rule("attrib.possessive", _possessive),
    Rule("attrib.subject-verb", _verbs),
)
# the rules that a rule above produces or that resolve across sentences (each has golden cases)
RULE_NAMES: tuple[str, ...] = (
    "attrib.headline-colon", "attrib.according-to", "attrib.saying", "attrib.subject-verb", "attrib.trailing",
    "attrib.apposition", "attrib.verb-subject", "attrib.document", "attrib.pronoun", "attrib.title",
    "attrib.document-back", "attrib.quotation", "attrib.continuation", "attrib.interview", "attrib.first-person",
    "attrib.own-account", "attrib.by-count", "attrib.in-what", "attrib.possessive", "attrib.with-speaker", "attrib.list",
)


def _unnamed_body(text: str, src: Source, L: _Lex) -> bool:
    """Whether ``src`` is a capitalised inquiry body ("the Commission") the text never named before.

    "4.2 The Commission finds ..." under a heading "COMMISSION OF INQUIRY INTO ..." is that commission; a
    "Mission" nothing before names is no source."""
    if src.desc not in L.finding_bodies or " " in src.name:
        return False
    return re.search(r"\b" + re.escape(src.name) + r"\b", text[:src.start], re.IGNORECASE) is None


# "the 74-page report": a document's length is a modifier, not a count the words state
_PAGE_COUNT = re.compile(r"\d{1,4}-(?:page|pages|volume|chapter|part)")
# 'The report, "Fire in Tarn," documents': a quoted title set off by commas after a document noun
_TITLE_ASIDE = re.compile(r"(\w+)\s*,\s*[\"“][^\"”\n]{1,100}?[,.]?[\"”]\s*,?\s*$")
# '"... 10,000 fighters." - Senator Ana Brel, in a debate': a closing quotation mark, a dash, the name
_DASH_CREDIT = re.compile(r"[\"”]\s+[-—–]{1,2}\s*(?P<np>(?:[A-Z][\w.'’\-]*\s+){0,5}[A-Z][\w'’\-]*)(?=\s*(?:,|\.|$))", re.M)
_SECTION_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,2}){1,3}\.?[ \t]+(?=[A-Z])")


_FIGURE_BEFORE = re.compile(r"\d\s+$")


def sentence_sources(text: str, start: int, end: int) -> list[Source]:
    """Return the source mentions in the sentence ``text[start:end]`` (pointers back unresolved)."""
    L = lex()
    m = _SECTION_NUMBER.match(text, start, end)
    if m is not None:
        start = m.end()  # "4.2 The Commission finds that ...": a report's paragraph number opens no name
    out: list[Source] = []
    for rule in RULES:
        out.extend(rule.find(text, start, end, L))
    out.sort(key=lambda s: s.pos)
    if any(s.rule == "attrib.according-to" for s in out):
        # "Lower Tamaru has recorded 90 deaths, according to figures from the Forum": whoever the sentence
        # says the figure is according to is its source, not the subject that recorded, counted or put it
        # ("The army puts them at 1,800, down from the 2,500 estimated by analysts": a phrase on a figure of its
        # own, right after its digits, outranks nobody)
        out = [s for s in out if not (s.states and any(o.rule == "attrib.according-to" and o.pos > s.pos
                                                       and not _FIGURE_BEFORE.search(text, max(start, o.pos - 4), o.pos)
                                                       for o in out))]
    # "Aden Rusk said they had recorded 258 deaths": a pronoun inside someone's statement is not a new speaker
    keep: list[Source] = []
    speaker = None  # the last named mention whose statement runs on ("X said ...")
    for s in out:
        if s.refers_back in ("person", "body", "any") and s.rule == "attrib.pronoun" and speaker is not None \
                and speaker.pos < s.start and not _CONTRAST.search(text, speaker.pos, s.start):
            continue
        if s.refers_back in ("person", "body", "any") and s.rule == "attrib.pronoun" \
                and _reported_after(text, max(start, s.start - 40), s.start, L):
            continue  # "A resident ... said he had counted 31 bodies": "he" is whoever said it, not someone before
        if s.states and keep and keep[-1].scope == "after" and keep[-1].governs and s.start - 50 <= keep[-1].pos < s.start \
                and (keep[-1].limit is None or keep[-1].limit > s.start) \
                and _speaks_clause(text, keep[-1].pos, s.start, L):
            continue  # "She noted that the Mission had verified the deaths of 12": what the Mission verified, she reports
        keep.append(s)
        if s.governs and s.refers_back is None and s.scope == "after":
            speaker = s
    return keep


def _reported_after(text: str, lo: int, pos: int, L: _Lex) -> bool:
    """Whether ``pos`` opens the clause a reporting verb reports ("said he", "told reporters that she")."""
    m = _REPORTED_TAIL.search(text, lo, pos)
    return m is not None and m.group("v").lower() in L.roles and L.roles[m.group("v").lower()] in ("speech", "tell")


def _speaks_clause(text: str, vpos: int, pos: int, L: _Lex) -> bool:
    """Whether ``pos`` opens the clause that the reporting verb at ``vpos`` reports ("noted that the ...")."""
    m = _VERB_THAT.fullmatch(text, vpos, pos)
    return m is not None and L.roles.get(m.group("v").lower()) in ("speech", "tell")


# "noted that the", "told reporters that": a reporting verb, its hearer and "that", up to the next subject
_VERB_THAT = re.compile(r"(?P<v>[A-Za-z]+)(?:\s+(?!that\b)[a-z]+){0,2}?\s+(?:that\s+)?(?:(?:the|a|an)\s+)?", I)
_REPORTED_TAIL = re.compile(r"(?<!\w)(?P<v>[A-Za-z]+)(?:\s+(?!that)[a-z]+){0,2}?\s+(?:that\s+)?$")


# --- the text's mentions, resolved -------------------------------------------------------------------------

_MARKS = re.compile(r"[“”\"\n]")


def _fits(src: Source, want: str, desc: str = "") -> bool:
    """Whether a named mention can be what a pointer of sort ``want`` means."""
    if src.name is None or src.refers_back is not None:
        return False
    if want == "person":
        return src.person
    if want == "body":
        return not src.person
    if want == "document":
        return src.doc is not None and (not desc or desc == src.doc or desc in ("report", "study", "assessment"))
    if want == "title":
        words = set(src.desc.split()) | {w.lower() for w in src.name.split()}
        head = _word(desc.split()[-1]) if desc.split() else ""
        if head in lex().person_nouns and not src.person and head not in words and src.doc is not None:
            return False  # "the hospital's director" is a person, never the hospital's register named before
        if bool(set(desc.split()) & words - {"the", "a", "an", "of", "for"}):
            return True
        # "The Orvel Front claimed the raid. The group said ...": a bare "the group" means a named
        # organisation (not a person, a document, or a ministry, police or army: those have source nouns)
        L = lex()
        return desc in L.organisation_heads and not src.person and _word(src.name.split()[-1]) not in L.documents \
            and any(w[:1].isupper() for w in src.name.split()) \
            and not any(_word(w) in L.source_nouns for w in src.name.split() + src.desc.split())
    return True


_ACRONYM = re.compile(r"[A-Z][A-Z\-]{1,9}")


def _spelled_out(text: str, src: Source, desc: str) -> bool:
    """Whether ``src`` is an acronym the text spelled out with the head a title names: "the Mission" after
    "the UN Mission in Tarvel (UNMIT)" means UNMIT."""
    if not src.name or not _ACRONYM.fullmatch(src.name) or not desc or desc not in lex().bare_heads:
        return False
    pattern = rf"(?<!\w){re.escape(desc)}(?!\w)[^().;]{{0,60}}\(\s*{re.escape(src.name)}\s*\)"
    return re.search(pattern, text[max(0, src.start - 6000):src.start + len(src.name) + 2], I) is not None


def _finding_acronym(text: str, src: Source, L: _Lex) -> bool:
    """Whether ``src`` is an acronym the text spelled out as a body that investigates: "UNOMT found" after "the UN
    Observer Mission in Tarn (UNOMT)" is the mission's finding, as "the mission found" would be."""
    if not src.name or not _ACRONYM.fullmatch(src.name):
        return False
    heads = "|".join(re.escape(w.capitalize()) for w in sorted(L.finding_bodies))
    pattern = rf"(?<![\w’'])(?:{heads})(?![\w’'])[^().;]{{0,60}}\(\s*{re.escape(src.name)}\s*\)"
    return re.search(pattern, text[max(0, src.start - 6000):src.start]) is not None


_THAT_NEXT = re.compile(r"\s+that\s", I)


def _finding_name(text: str, after: int, src: Source, L: _Lex) -> bool:
    """Whether ``src`` is a named organisation whose finding the clause after its verb states: "Orvel Rights Watch
    found that soldiers killed 24" (two or more capitalised words ending in a ``named_that`` head, then "that")."""
    if src.refers_back is not None or not src.name or not _THAT_NEXT.match(text, after):
        return False
    head = _head(src.desc)  # "the Orvel Institute for Peace": the institute
    words = src.name.split()
    k = next((k for k, w in enumerate(words) if _word(w) == head and w[:1].isupper()), 0)
    return k >= 1 and head in L.finding_names and all(w[:1].isupper() for w in words[:k + 1])


class _Hits:
    """The sentences holding a reporting cue's stem, tested lazily: most sentences are never asked about.

    Sentence ``j`` holds a stem when one starts between its start and the next sentence's.
    """

    __slots__ = ("lowered", "starts", "search", "longest", "found")

    def __init__(self, lowered: str, starts: list[int], L: _Lex):
        self.lowered, self.starts, self.search, self.longest = lowered, starts, L.stem_search, L.stem_longest
        self.found: dict[int, bool] = {}

    def __contains__(self, j: int) -> bool:
        hit = self.found.get(j)
        if hit is None:
            starts = self.starts
            if not 0 <= j < len(starts):
                return False
            nxt = starts[j + 1] if j + 1 < len(starts) else len(self.lowered)
            m = self.search(self.lowered, starts[j], min(len(self.lowered), nxt + self.longest - 1))
            hit = self.found[j] = m is not None and m.start() < nxt
        return hit


def attribute(text: str, spans: list[tuple[int, int]], wanted: set[int],
              headlines: set[int] | None = None) -> dict[int, list[Source]]:
    """Return the governing source mentions, resolved, of each sentence index in ``wanted`` that has any.

    A sentence in ``headlines`` (default ``wanted``) may name a source after a closing colon.

    Pronouns, titles and bare document nouns resolve to the last fitting named
    mention in their paragraph (or, for a paragraph's first sentence, the
    paragraph before). Linear in the text: reporting cues and quotation marks
    are each found by one scan.
    """
    if not wanted:
        return {}
    headlines = wanted if headlines is None else headlines
    limit = min(len(spans), max(wanted) + 9)
    stop = spans[limit - 1][1]
    starts = [a for a, _ in spans[:limit]]
    L = lex()
    lowered = ascii_lower(text[:stop])
    hits = _Hits(lowered, starts, L)
    # a headline may name its source after a colon ("... ambush: ISPR"): colons are rare, so scan for them
    p = text.find(":", 0, stop)
    while p >= 0:
        i = bisect_right(starts, p) - 1
        if i in headlines and (spans[i][1] - p <= 45 or p - spans[i][0] <= 40) and spans[i][1] - spans[i][0] < 200:
            hits.found[i] = True
        p = text.find(":", p + 1, stop)
    for i in headlines:  # "... border attack -army": a wire headline's source after a dash
        if i < limit and spans[i][1] - spans[i][0] < 200 and _HEADLINE_DASH.search(text, max(spans[i][0], spans[i][1] - 45),
                                                                                    spans[i][1]):
            hits.found[i] = True
    # paragraph of each sentence, and whether it starts inside a quotation (a line break closes any quotation)
    inside: list[bool] = []
    para: list[int] = []
    marks = [(m.start(), m.group(0)) for m in _MARKS.finditer(text, 0, stop)]
    depth, k, pno = 0, 0, 0
    for a, b in spans[:limit]:
        for bound, record in ((a, True), (b, False)):
            while k < len(marks) and marks[k][0] < bound:
                ch = marks[k][1]
                if ch == "\n":
                    depth = 0
                    pno += 1
                elif ch == "“":
                    depth += 1
                elif ch == "”":
                    depth = max(0, depth - 1)
                else:
                    depth = depth - 1 if depth > 0 else 1
                k += 1
            if record:
                inside.append(depth > 0 or text.startswith(("“", '"'), a))
                para.append(pno)
    para_first = [0] * len(para)  # the first sentence of each sentence's paragraph
    for j in range(1, len(para)):
        para_first[j] = para_first[j - 1] if para[j] == para[j - 1] else j
    raw: dict[int, list[Source]] = {}
    resolved: dict[int, list[Source]] = {}
    subjects: dict[int, Source | None] = {}

    def sources_of(j: int) -> list[Source]:
        found = raw.get(j)
        if found is None:
            found = raw[j] = sentence_sources(text, spans[j][0], spans[j][1]) if j in hits else []
        return found

    def antecedent(i: int, src: Source, depth: int) -> Source | None:
        """Return the last named mention before ``src`` that its pointer can mean (its paragraph, or the one before)."""
        want, desc = src.refers_back, src.desc

        def fits(o: Source) -> bool:
            # "The army said ... Twelve soldiers were killed, the statement said": the statement of the body just quoted
            return _fits(o, want, desc) or want == "title" and _spelled_out(text, o, desc) \
                or want == "document" and desc == "statement" and o.name is not None and o.refers_back is None \
                and o.doc is None and not o.person and 0 <= src.start - o.end < 600 and "\n\n" not in text[o.end:src.start]

        for o in reversed(sources_of(i)):
            if o.pos < src.pos and o.start < src.start and fits(o):
                return o
        if src.rule == "attrib.pronoun" and depth < 6:
            # "A UN report named the Front, which it estimates has 3,200 fighters": the sentence's own subject
            o = opening_subject(i, depth + 1)
            if o is not None and o.end < src.start and fits(o):
                return o
        if depth >= 6:
            return None
        first = para_first[i]
        # a paragraph's first sentence may reach into the one before, and so may the speaker tag closing a
        # quotation that opens its paragraph ('"We lost 12 men. Thirty were wounded," he said.') and the
        # sentence right after an untagged one ('"I did what I could." She said she treated 20 wounded.')
        floor = first - 2 if first == i or text.startswith(("“", '"'), spans[first][0]) and all(
            inside[j] for j in range(first + 1, i)) else first
        if want == "title" and desc in L.organisation_heads or want == "document":
            floor = 0  # "the movement", "the study" name the organisation or document the article is about
        if want == "title" and desc in L.organisation_heads and desc != "group":
            # "The front ... said": the last organisation named with that word ("the Osland Freedom Front"),
            # even where it was no speaker; nearer than any other mention when it comes later
            named = _named_with_head(text, max(0, src.start - 4000), src.start, desc, L)
        else:
            named = None
        for j in range(i - 1, max(-1, floor - 1, i - 12), -1):
            if named is not None and named.start >= spans[j][0]:
                return named
            found = resolve(j, depth + 1, keep_all=True) if j in hits else []
            for o in reversed(found):
                if fits(o):
                    return o
            if not any(o.refers_back is None for o in found):
                # a sentence that reports nothing may still name whom the pointer means by its subject
                o = opening_subject(j, depth + 1)
                if o is not None and fits(o):
                    return o
        if named is None and want == "title" and desc == "group" and src.pos > 0:
            # "... how large the Red Ridge Brigades have become. ... The group itself claims 5,000": with no
            # organisation speaking before, "the group" is the armed organisation the text last named
            named = _named_with_head(text, max(0, src.start - 4000), src.start, _armed_heads(), L)
        if named is None and want == "title" and desc in L.author_bodies and desc not in L.finding_bodies:
            # "The institute estimates ...", "this institute put ..." in a brief under its masthead "Halvard
            # Institute for Conflict Studies": the body that wrote it, when the text names no other with that word
            named = _masthead_body(text, src.start, desc, L)
        if named is None and want == "document" and desc in L.documents:
            # "Summary of the annual report of the Velsa Rights Forum (VRF). ... The report says": with no
            # document named as a source before, the one the text named by its author
            named = _document_of(text, max(0, src.start - 4000), src.start, desc, L)
        return named

    def opening_subject(j: int, depth: int) -> Source | None:
        if j not in subjects:
            o = _opening_subject(text, spans[j][0], spans[j][1], L)
            if o is not None and o.refers_back is not None:
                prev = antecedent(j, o, depth) if depth < 6 else None
                if prev is not None:
                    o = Source(o.pos, prev.name, prev.start, prev.end, rule=o.rule, governs=False,
                               person=prev.person, doc=prev.doc, desc=prev.desc)
                elif o.refers_back == "title" and o.name:
                    o = Source(o.pos, o.name, o.start, o.end, rule=o.rule, governs=False,
                               person=o.name.lower() not in L.source_nouns or o.name.lower() in L.person_nouns, desc=o.desc)
                else:
                    o = None
            subjects[j] = o
        return subjects[j]

    def resolve(j: int, depth: int = 0, keep_all: bool = False) -> list[Source]:
        names = resolved.get(j)
        if names is None:
            names = []
            for src in sources_of(j):
                if src.refers_back is not None:
                    prev = antecedent(j, src, depth)
                    if prev is not None:
                        src = Source(src.pos, prev.name, prev.start, prev.end, rule=src.rule, scope=src.scope,
                                     governs=src.governs, person=prev.person, doc=prev.doc,
                                     desc=prev.desc + " " + src.desc, limit=src.limit)
                    elif src.refers_back == "title" and src.name and not _unnamed_body(text, src, L):
                        # "the spokesman" is a person; "the military", "the police" are bodies ("It added ...")
                        last = src.desc.split()[-1] if src.desc else ""
                        src = Source(src.pos, src.name, src.start, src.end, rule=src.rule, scope=src.scope,
                                     governs=src.governs, person=not last or last in L.person_nouns,
                                     desc=src.desc, limit=src.limit)
                    else:
                        continue
                names.append(src)
            resolved[j] = names
        return names if keep_all else [s for s in names if s.governs]

    out: dict[int, list[Source]] = {}
    full_names: dict[tuple[str, int], str | None] = {}
    interviewee: list[Source | None] | None = None
    for i in sorted(wanted):
        names = resolve(i) if i in hits else []
        if names:
            out[i] = names
            continue
        if i < len(inside) and inside[i]:
            # a sentence inside a quotation takes the speaker named where it closes (or opened)
            for j in list(range(i + 1, min(limit, i + 6))) + list(range(i - 1, max(-1, i - 4), -1)):
                if j in hits and (inside[j] or j < i):
                    names_j = resolve(j)
                    if names_j:
                        s = names_j[-1] if j > i else names_j[0]
                        out[i] = [_carried(s, spans[i][0], "attrib.quotation")]
                        break
            if i in out:
                continue
        if text.startswith(_ANSWER, spans[para_first[i]][0]):
            # an interview's answer ("A: About 1,800 fighters.") is the interviewee's
            if interviewee is None:
                interviewee = [_interviewee(text, spans, limit, L)]
            if interviewee[0] is not None:
                out[i] = [_carried(interviewee[0], spans[i][0], "attrib.interview")]
                continue
        label = _SPEAKER_LABEL.match(text, spans[para_first[i]][0])
        if label is not None:
            # an interview's answer under the speaker's surname ("Valeh: We have 2,200 men.") is that person's,
            # when the text named them in full before
            who = Source(spans[i][0], label.group(1), label.start(1), label.end(1), rule="attrib.interview",
                         person=True)
            if _full_name(text, who):
                out[i] = [who]
                continue
        who = _answering_label(text, spans[para_first[i]][0])
        if who is not None:
            # "Dalen Karst: In the north, about 4,000." / "DK: We lost 37 men.": an interview's answers under
            # the full name (or its initials) of the one who answers and never asks
            out[i] = [Source(spans[i][0], who[0], who[1], who[2], rule="attrib.interview", person=True)]
            continue
        if not (i < len(inside) and inside[i]):
            # "We estimate the Front has 2,000 fighters" in a brief: the body the masthead names, else nobody
            v = _first_person(text, spans[i][0], spans[i][1], L)
            author = _author(text) or _issuer(text) if v is not None else None
            if author is not None:
                out[i] = [Source(v, author.name, author.start, author.end, rule="attrib.first-person",
                                 scope="after", limit=_clause_end(text, v, spans[i][1]))]
                continue
            our = _OUR.search(text, spans[i][0], spans[i][1])
            author = _issuer(text) if our is not None and not _quoted_before(text, spans[i][0], our.start()) else None
            if author is not None:
                # a press release's "two of our staff were killed", "Our team treated 14 injured": the issuer's
                out[i] = [Source(our.start(), author.name, author.start, author.end, rule="attrib.first-person")]
                continue
        cont = L.continuation.search(text, spans[i][0], spans[i][1]) if i > 0 else None
        if cont is not None and _SENTENCE_OPENER.fullmatch(text, spans[i][0], cont.start()) \
                and text[spans[i - 1][1] - 1] in ".!?\"”’":
            # "During the same period, 57 civilians were also killed": the previous statement goes on; the
            # pointer opens the sentence ("150 were injured in the same period" only dates its own figure)
            prev = resolve(i - 1) if i - 1 in hits else out.get(i - 1, [])
            if prev:
                out[i] = [_carried(prev[-1], spans[i][0], "attrib.continuation")]
        if i not in out and _BULLET.match(text, spans[i][0]) and _line_start(text, spans[i][0]):
            # a list's item under a line that names its source and ends in a colon ("According to local
            # authorities:" then "- 40 people were injured"): every item of the list is that source's
            j = i - 1
            while j >= 0 and _BULLET.match(text, spans[j][0]) and _line_start(text, spans[j][0]):
                j -= 1
            if j >= 0 and text[spans[j][0]:spans[j][1]].rstrip().endswith(":") and j in hits \
                    and not text[spans[j][1]:spans[j + 1][0]].strip():
                intro = resolve(j)
                if intro:
                    out[i] = [_carried(intro[-1], spans[i][0], "attrib.list")]
    # a person named again by surname keeps the full name ("Varga said" -> "Anselm Varga"), so a reviewer
    # filtering by source finds all of their figures; the span stays the words used
    for names in out.values():
        for k, src in enumerate(names):
            key = (src.name or "", src.start)
            if key not in full_names:
                full_names[key] = _full_name(text, src)
            if full_names[key]:
                names[k] = Source(src.pos, full_names[key], src.start, src.end, rule=src.rule, scope=src.scope,
                                  governs=src.governs, person=True, doc=src.doc, desc=src.desc, limit=src.limit)
    return out


# a list's item: a bullet at the start of its line
_BULLET = re.compile(r"[-–—•*▪]\s")


def official_figure(text: str, start: int) -> bool:
    """Whether the figure starting at ``start`` is named as "the official toll of" it: the officials', not the author's."""
    return lex().official_figure.search(text, max(0, start - 40), start) is not None


def _line_start(text: str, pos: int) -> bool:
    """Whether only spaces stand between ``pos`` and the line break before it."""
    return not text[text.rfind("\n", 0, pos) + 1:pos].strip()


# "We estimate ...": the text's own voice, in the first person
# what may stand before a sentence-opening pointer back: a preposition ("During the same period, ...")
_SENTENCE_OPENER = re.compile(r"\s*(?:[A-Za-z]+\s+)?")
_WE = re.compile(r"(?<![\w’'\"“])we\s+(?:(?:also|now|currently|still|conservatively|therefore)\s+)?", I)
_MASTHEAD_LINES = 4
_MASTHEAD_PART = re.compile(r"[^|•·]+")
# a masthead naming the maker, then the kind of document: "Velsa Citizens' Observatory (VCO) - Protection Bulletin"
_MADE_BY_LINE = re.compile(r"[ \t]*(?P<name>[A-Z][\w’'\-]*(?:[ \t]+[\w’'\-]+){1,8}?)(?:[ \t]*\((?P<acr>[A-Z]{2,8})\))?"
                           r"[ \t]+[-–—|][ \t]+(?:[A-Z][\w\-]*[ \t]+){0,3}(?P<doc>[A-Z][a-z]+)[ \t]*$")


def _first_person(text: str, a: int, b: int, L: _Lex) -> int | None:
    """Return where the verb of a first-person statement outside quotation marks starts in ``text[a:b]``, else None."""
    for m in _WE.finditer(text, a, b):
        if text.find("“", a, m.start()) >= 0 or text.count('"', a, m.start()) % 2:
            continue  # someone quoted speaks; the quotation's tag says who
        v = L.verb.match(text, m.end())
        if v is not None and L.roles.get(v.group("v").lower(), "speech") in ("speech", "states", "document"):
            return v.start()
        v = L.first_person_states.match(text, m.end())
        if v is not None:
            return v.start()  # "We have 3,000 fighters", "We recorded 212 deaths": the author's own figure
    return None


@lru_cache(maxsize=64)
def _author(text: str) -> Source | None:
    """Return the body a text's masthead names: one of its first lines (or a part between '|') that is a body's name.

    "POLICY BRIEF No. 47 | May 2024" / "Brennic Institute for Peace Research": the institute. A line of
    capitalised words whose head is an ``author_bodies`` word, with what follows it only "for/of/on ...".
    """
    L = lex()
    pos, seen = 0, 0
    while seen < _MASTHEAD_LINES and pos < len(text):
        nl = text.find("\n", pos)
        line_end = len(text) if nl < 0 else nl
        if text[pos:line_end].strip():
            seen += 1
            made = _MADE_BY_LINE.match(text, pos, line_end)
            if made is not None and made.group("doc").lower() in L.documents and all(
                    w[:1].isupper() or w.isalpha() and w.islower() and len(w) <= 4 for w in made.group("name").split()) \
                    and not any(_word(w) in L.not_names for w in made.group("name").split()):
                # "Velsa Citizens' Observatory (VCO) - Protection Bulletin": a document headed by its maker's name
                name = made.group("name") + (f" ({made.group('acr')})" if made.group("acr") else "")
                return Source(made.start("name"), _canonical(name) or name, made.start("name"),
                              made.end("acr") + 1 if made.group("acr") else made.end("name"), rule="attrib.first-person")
            for part in _MASTHEAD_PART.finditer(text, pos, line_end):
                seg = part.group(0)
                a = part.start() + len(seg) - len(seg.lstrip())
                words = seg.split()
                if not 2 <= len(words) <= 9 or not all(w[:1].isupper() or w in _CONNECTORS for w in words):
                    continue
                head = next((k for k, w in enumerate(words) if _word(w) in L.author_bodies), None)
                if head is None or head == 0 or head + 1 < len(words) and words[head + 1].lower() not in ("for", "of", "on"):
                    continue  # a masthead in capitals ("HALDEN INSTITUTE FOR PEACE RESEARCH") reads the same
                if any(_word(w) in L.not_names or not w[:1].isalpha() for w in words) or "The" in words[1:] \
                        or "THE" in words[1:] \
                        or words[0].lower() in L.not_openers or words[0].lower() in _CLAUSE_OPENERS:
                    continue  # "Inside The Tessel Front": a headline in capitals, not a name
                name = " ".join(words)
                if name.isupper():  # the name a reviewer filters by is written as a name, not a banner
                    name = " ".join(w.lower() if w.lower() in _CONNECTORS else w.capitalize() for w in words)
                return Source(a, _canonical(name), a, a + len(seg.strip()), rule="attrib.first-person")
        if nl < 0:
            break
        pos = nl + 1
    return None


# a press release says so in its first lines ("PRESS RELEASE", "For immediate release")
_RELEASE = re.compile(r"(?im)^[ \t]*(?:(?:press|media|news)[ \t]+release|for[ \t]+immediate[ \t]+release)\b")
# its issuer opens a line: "Ridgewatch Medical Aid condemns ...", "Ridgewatch Medical Aid (RMA) strongly condemns"
_ISSUER_LINE = re.compile(r"(?m)^(?:[A-Z][A-Z ,0-9]+[-–—][ \t]+)?(?P<name>[A-Z][\w’'\-]*(?:[ \t]+(?:(?:of|for|and|the)[ \t]+)?"
                          r"[A-Z][\w’'\-]*){1,5})(?:[ \t]+\([A-Z]{2,8}\))?[ \t]+(?:[a-z]+ly[ \t]+)?[a-z]+s\b")
_OUR = re.compile(r"(?<![\w’'])[Oo]ur\s+(?=[a-z])")


def _quoted_before(text: str, a: int, pos: int) -> bool:
    """Whether ``pos`` lies inside a quotation opened in ``text[a:pos]``."""
    return text.count("“", a, pos) > text.count("”", a, pos) or text.count('"', a, pos) % 2 == 1


@lru_cache(maxsize=64)
def _issuer(text: str) -> Source | None:
    """Return the body a press release is from: a release names itself so in its first lines, and its issuer
    opens a line as the subject of a present-tense verb ("Ridgewatch Medical Aid condemns ...") and is named so
    again; else None. Its own "we" and "our staff" are that body's."""
    head = text[:400]
    if _RELEASE.search(head) is None:
        return None
    for m in _ISSUER_LINE.finditer(text, 0, min(len(text), 1500)):
        name = m.group("name")
        if _word(name.split()[-1]) in lex().not_names or text.count(name) < 2:
            continue
        return Source(m.start("name"), _canonical(name) or name, m.start("name"), m.end("name"), rule="attrib.first-person")
    return None


_ANSWER = ("A:", "A :")
# a paragraph opening with a capitalised surname and a colon: an interview answer under the speaker's name
_SPEAKER_LABEL = re.compile(r"([A-Z][a-z][\w’'\-]*)\s?:\s+(?=\S)")
_QUESTION = re.compile(r"(?m)^Q\s?:")


# a paragraph opening with a full name or its initials and a colon: "Dalen Karst: ...", "DK: ..."
_FULL_LABEL = re.compile(r"(?m)^[ \t]*(?P<name>[A-Z][a-z][\w’'\-]*(?:[ \t]+[A-Z][a-z][\w’'\-]*){1,2}|[A-Z]{2,3})[ \t]?:[ \t]+(?=\S)")


@lru_cache(maxsize=16)
def _labels(text: str) -> dict[str, str]:
    """Map each speaker label of a question-and-answer text that only ever answers to the full name it stands for.

    A label answers when one of its paragraphs comes right after another label's paragraph that ends in a
    question mark; a label that ever ends a paragraph with one asks (the interviewer, even where a turn of
    theirs states a claim). Initials ("DK") stand for the full label with those initials ("Dalen Karst").
    """
    turns = []  # (label, paragraph end char)
    for m in _FULL_LABEL.finditer(text):
        nl = text.find("\n", m.end())
        para = text[m.end():len(text) if nl < 0 else nl].rstrip()
        turns.append((m.group("name"), para[-1:]))
    if len(turns) < 2:
        return {}
    full = {n for n, _ in turns if " " in n}
    initials = {"".join(w[0] for w in n.split()): n for n in full}
    def name(n: str) -> str | None:
        return n if " " in n else initials.get(n)
    asks, answers = set(), set()
    for k, (n, last) in enumerate(turns):
        who = name(n)
        if who is None:
            continue
        if last == "?":
            asks.add(who)
        if k and turns[k - 1][1] == "?" and name(turns[k - 1][0]) not in (None, who):
            answers.add(who)
    return {n: name(n) for n, _ in turns if name(n) in answers - asks}


def _answering_label(text: str, pos: int) -> tuple[str, int, int] | None:
    """Return (full name, start, end) of the answering speaker's label opening the paragraph at ``pos``."""
    m = _FULL_LABEL.match(text, pos)
    if m is None:
        return None
    who = _labels(text).get(m.group("name"))
    return None if who is None else (who, m.start("name"), m.end("name"))


def _interviewee(text: str, spans: list[tuple[int, int]], limit: int, L: _Lex) -> Source | None:
    """Return the person an interview in question-and-answer form is with: the first titled person the text
    opens with, before its first question ("Commander Tarik Oduya leads ... Q: How many ..."), or None."""
    q = _QUESTION.search(text)
    if q is None:
        return None
    for j in range(min(limit, len(spans))):
        a, b = spans[j]
        if a >= q.start():
            break
        src = _opening_subject(text, a, b, L)
        if src is not None and src.person:
            return src
    return None


_DATA_FROM = re.compile(rf"^({_DATA_NOUNS})\s+(?:(?:compiled|released|provided|published|"
                        r"issued|collected|gathered|kept)\s+)?(?:by|from|of)\s+(?:the\s+)?(\S.*)$", I)
_AFFILIATION = re.compile(r"^(.*?[A-Z][\w’'\-]+\s+[A-Z][\w’'\-]+)\s+(?:of|from|at)\s+(?:the\s+)?[A-Z].*$")
_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+(?=[A-Z])")


def _full_name(text: str, src: Source) -> str | None:
    """Return the full name a surname stands for ("Mr Nur said" after "Aden Nur, a doctor, ..."), or None."""
    if not src.person or not src.name:
        return None
    surname = _HONORIFIC.sub("", src.name)
    if " " in surname or not surname[:1].isupper() or not surname[1:2].islower():
        return None
    lo = max(0, src.start - 6000)
    pattern = rf"(?<![\w.])(?:[A-Z][\w’'\-]*\.?\s+){{1,3}}{re.escape(surname)}(?!\w)"
    for m in reversed(list(re.finditer(pattern, text[lo:src.start]))):
        full = _HONORIFIC.sub("", canonical(m.group(0)) or "")
        if full.endswith(" " + surname) and all(w[:1].isupper() for w in full.split()):
            return full  # the last full mention before: "Anselm Varga", not "Mr Varga"
    return None


def _carried(s: Source, pos: int, rule: str) -> Source:
    return Source(pos, s.name, s.start, s.end, rule=rule, scope="both", person=s.person, doc=s.doc, desc=s.desc)


_TRIES = 8
_CLOSING_TAG = re.compile(r"[,.!?]?\s*[”\"]\s*(?:[a-z]+\s+)?(?:(?:the|a|an)\s+)?$", I)


def _quoted_to(text: str, pos: int, end: int, name_start: int) -> bool:
    """Whether ``text[pos:end]`` lies in a quotation that closes right before the source named at ``name_start``.

    '"We had 300 fighters in May; now there are 500," the colonel said': the tag closing a quotation
    speaks all of it, across a semicolon or a "but" inside the quotation.
    """
    close = _CLOSING_TAG.search(text, max(end, name_start - 12), name_start)
    if close is None:
        return False
    q = text.find("”", end, close.start())
    if q >= 0 or text.find('"', end, close.start()) >= 0 or "\n" in text[end:name_start]:
        return False  # the quotation closed before the tag, or a paragraph ended
    lo = max(0, pos - 600)
    curly = text.rfind("“", lo, pos)
    straight = text.rfind('"', lo, pos)
    if curly > straight:
        return text.find("”", curly, pos) < 0 and "\n" not in text[curly:pos]
    return straight >= 0 and (straight == 0 or not text[straight - 1].isalnum()) and "\n" not in text[straight:pos] \
        and text.count('"', max(0, text.rfind("\n", 0, straight) + 1), straight) % 2 == 0


# a speech tag that ends its sentence, from its cue to the full stop ("..., she explained.")
_SENTENCE_END_AFTER = re.compile(r"[^,;:.!?\"“”]{1,80}[.!?]")


def _tag_ends_sentence(text: str, end: int, s: Source) -> bool:
    """Whether ``s`` is a tag closing its sentence that only semicolons part from the figure ending at ``end``:
    "Her ward had received 44 bodies; the others were buried at home, she explained." is all hers."""
    if s.pos < end or _SENTENCE_END_AFTER.match(text, s.pos) is None:
        return False
    return all(c.group(0) == ";" for c in _CONTRAST.finditer(text, end, s.pos))


class Nearest:
    """Find the source mention that governs a position in one sentence.

    A mention before its reported clause ("X said ...") governs only what
    follows it, up to a semicolon or the end of its statement; a mention after a clause (", X said", "according to X") also
    governs the clause before it, back to a contrast. Of the mentions that
    govern a figure the nearest wins, ties to the one before it.
    """

    __slots__ = ("sources", "positions", "text")

    def __init__(self, sources: list[Source], text: str | None = None):
        self.sources = sorted(sources, key=lambda s: s.pos)
        self.positions = [s.pos for s in self.sources]
        self.text = text

    def __call__(self, pos: int, end: int | None = None) -> Source | None:
        if not self.sources:
            return None
        end = pos if end is None else end
        text = self.text
        i = bisect_right(self.positions, pos)
        before = after = None
        # the nearest governing mention on each side; a few are tried (a sentence may hold thousands)
        for s in reversed(self.sources[max(0, i - _TRIES):i]):
            if s.limit is not None and pos >= s.limit:
                continue
            if text is not None and text.find(";", s.pos, pos) >= 0:
                break  # a semicolon closes the statement; a "while"/"but" clause is left to the nearest mention
            before = s
            break
        for s in self.sources[i:i + _TRIES]:
            if s.scope == "after" or s.back is not None and end <= s.back:
                continue
            if text is not None and _CONTRAST.search(text, end, s.pos) and not (
                    s.start > end and _quoted_to(text, pos, end, s.start) or _quoted_to(text, pos, end, s.pos)) \
                    and not _tag_ends_sentence(text, end, s):
                break  # a contrast opens another statement, unless the whole quotation is the tag's
            after = s
            break
        if before is None or after is None:
            return before or after
        return before if pos - before.pos <= after.pos - pos else after
