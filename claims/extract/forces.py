"""Force sizes: counts of fighters, troops or attackers that exist, not casualties.

Rules (the claim's ``rule`` names the one that fired):

``force.armed-noun``  the counted noun names armed people (``6,000 TTP fighters``,
    ``seven gunmen``, ``8-10 militants``) and the clause says nothing that makes
    them captives, prisoners or missing (``arrested 12 militants`` is no force). No rule counts people a force is
    yet to take on (``plans to recruit 5,000 police officers``, ``funds for 3,000 new border guards``: force_cues.json's
    ``planned``).
``force.strength``    a strength phrase makes any count a force (``a 500-strong
    force``, ``a force of 300``), and a generic body of men that carried out an attack the sentence names
    (``the bombing was carried out by a cell of four men``; the words are ``force_cues.json``'s
    ``attack_agents`` and ``attack_nouns``).
``force.apposition``  a bare count set off by commas right after armed people
    (``An unknown number of gunmen, perhaps four or five, stormed ...``), and men, members or cadres set
    off by a comma later in a sentence that counted a force (``900 fighters in the hills, but its urban cell
    is small, perhaps 40 to 50 men``; set in extract).
``force.number-of``   a count that ``the number``/``strength``/``size of`` armed people or an
    armed body rose, fell or stood to (``The number of Brennic Front members has declined to 379``,
    ``the strength of the Front fell from a peak of 1,270 in 2000 to only 379``).
``force.same-noun``   a bare count later in a sentence whose force size it revises (``estimated
    there were about 100 gunmen but later said there were as many as 500``, ``several thousand
    fighters, with as many as 2,000 more``), or in a later sentence of the same or the next paragraph
    whose subject is a pronoun (``They were 3-4 thousand in January; today we put them at nearly
    4,000``, ``When I took command it was fewer than 900``, ``we are more than 6,000``) or a body
    (``The group itself claims 5,000.``), and a headline or quotation that repeats a force size word for
    word (``'We are more than 6,000': RRB commander speaks``); set in extract.
``force.command``     men, members or cadres counted after a verb of command (``commanded nearly
    12,000 men``, ``the Front fields around 1,600 cadres``) or before ``under arms``
    (``We have around 2,200 men under arms``); the words are ``force_cues.json``'s
    ``command_verbs`` and ``under_arms``.
``force.answer``      a bare count that answers a question about a force's size (``How many
    fighters does the Front have? Perhaps 1,500.``), also under the speaker's label and after a short
    adverbial (``Dalen Karst: In the north, about 4,000.``).
``force.numbering``   armed people or an armed body (``brigade``, ``militia``) named
    before ``numbering``/``numbered``/``numbers``/``estimated at`` give the count after it,
    and an armed body that ``has N members`` (``the militants, numbering around 200``, ``the
    attackers numbered between eight and ten``); the body may be a named group
    (``The Brennic Front has as many as 12,000 members``, ``the ELN, estimated to have 2,000 members``);
    ``whose numbers officials estimate at 1,300`` after an armed body, and a pronoun that means the
    last armed people or body named before it in the paragraph (``The Front has grown. Analysts now
    estimate it at 11,000 to 14,000``); a generic body there (``the movement``, ``the group``) is armed
    when the text named an armed body before (``the Lion of the North Movement``, ``the Sons of Oru militia``,
    ``an armed group``; not the state's ``Kelm army``) and counts armed people before it; ``it`` means a body,
    so the look-back passes over persons (``the minister told parliament it had 1,000 men``); armed people
    ``estimated by`` an agent ``at`` a count (``fighters, estimated by local officials at between 150 and 200``),
    armed people or an armed body named as the object of an estimate (``Local authorities estimated the attacking
    force at around 300``; "it" after a subject that only estimates looks back past it: ``The Varn Front has grown.
    Officials estimated it at 3,000``),
    and armed people right before ``were``/``are`` and a count (``the attackers were four or five young men``).
"""
from __future__ import annotations

import re
from functools import lru_cache

from claims.extract.lexicon import load, words_alternation
from claims.extract.casualties import _has_stem, cues as casualty_cues
from claims.extract.quantities import Quantity, patterns

I = re.IGNORECASE
# clause edges: a source phrase ("..., according to a report released in May") is no longer the count's clause
_GROUPS_BEFORE = re.compile(r"(?<!\w)(?:the|these|those|both|all)\s+$", I)
_NUMBERING = re.compile(r"(?<!\w)(?:number(?:ing|ed|s)?|(?:estimate[sd]?|put|reckon(?:s|ed)?)\s+at|(?:thought|believed|said|estimated)\s+"
                        r"to\s+(?:number|be)|(?P<has>ha(?:ve|s|d)|having|with|claims?|claimed|claiming|boasts?|boasted|counts|counted|"
                        r"(?:grown|grew|risen|rose|swelled|swollen|fallen|fell|dropped|shrunk|shrank|dwindled)\s+(?:to|from))|"
                        # "the gang comprised 12 members", "a cell made up of eight men"
                        r"(?P<made>compris(?:ed|es|ing)|consist(?:ed|s|ing)\s+of|made\s+up\s+of))"
                        r"\s+(?:somewhere\s+|perhaps\s+|possibly\s+|probably\s+|maybe\s+)?[\"“]?$", I)
# "KRF fighters, estimated by local officials at between 150 and 200": a passive estimate with its agent
_ESTIMATED_BY = re.compile(r"(?<![\w-])(?:estimated|put|reckoned|placed)\s+by\s+(?:[\w\-']+\s+){1,5}?at\s+$", I)
# "the attackers were four or five young men": the subject right before a verb of being is the count's people
_COPULA = re.compile(r"(?<![\w-])(?P<subj>[a-z][\w\-]*)\s+(?:were|are)\s+(?:all\s+|only\s+|just\s+)?[\"“]?$", I)
# "The Front has 900 fighters, but its urban cell is small, perhaps 40 to 50 men": men set off by a comma
_AFTERTHOUGHT = re.compile(r",\s*(?:(?:perhaps|maybe|possibly|probably|only|just)\s+)?$", I)
# a named armed group: an acronym ("ELN", "TTP") or a name ending in an armed-body word ("Brennic Front")
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
# "the number of X has declined to", "the strength of X fell from ... to": the words ("number_of") come from the lexicon
_NUMBER_OF = (
    r"(?<!\w)(?P<what>{what})\s+of\s+(?P<grp>[^.;:!?]{{1,60}}?)(?:\s+(?:has|had|have|is|was|were|are|stood|"
    r"stands|fell|rose|grew|declined|dropped|reached|increased|decreased|swelled|shrank|shrunk|went)\b"
    r"(?:[^.;:!?]{{0,60}}?\b(?:to|at|from|of))?|\s+from(?:[^.;:!?]{{0,60}}?\bto)?|\s+at)"
    r"\s+(?:(?:only|just|about|around|some|nearly|roughly|(?:a|the)\s+peak\s+of|an\s+estimated)\s+)*$")
# "the militia's ranks are nearing 2,000", "the Front's strength stands at about 900": a possessive strength
_POSSESSIVE_STRENGTH = re.compile(
    r"(?P<grp>(?:[A-Z][\w\-]*\s+){0,4}[\w\-]+)['’]s\s+(?:fighting\s+)?(?:ranks|strength|numbers|size)\s+"
    r"(?:(?:are|is|now|have|has|had|been|stand|stands|stood|was|were)\s+){0,2}(?:(?:nearing|approaching|reached|at|"
    r"(?:grown|grew|risen|rose|fallen|fell|swelled|swollen|dropped|shrunk|shrank|climbed|dwindled|increased|decreased)"
    r"\s+(?:to|from))\s+)?$", I)
# "Its strength is estimated at about 1,000": the strength of the armed body named before
_PRONOUN_STRENGTH = re.compile(
    r"(?<![\w-])(?:its|their)\s+(?:fighting\s+)?(?:ranks|strength|numbers|size)\s+(?:(?:is|are|was|were|has|have|had|been|"
    r"now|currently|thought|believed|estimated|put|reckoned|to|be|stands?|stood)\s+){0,3}(?:at|to|around|about)\s+$", I)
# a plural noun by its form: "providers", not "various", "crisis", "status", "class"
_UNKNOWN_PLURAL = re.compile(r"[a-z][a-z\-]{2,}(?<!ou)(?<!i)(?<!u)(?<!s)s")
_OF_THEM = re.compile(r"\s+of\s+them\b", I)
# "500 of its fighters": a part of a body's own force
_OWN_PART = re.compile(r"\s+of\s+(?:its|their)\s+(?:own\s+)?", I)
# '"We have 3,000 men," the commander said': a speaker's own force
_WE_HAVE = re.compile(r"(?<![\w-])(?:we|they)\s+(?:now\s+|still\s+|only\s+)?(?:have|had|number|numbered)\s+$", I)
# "the Front's 800 men", "the brigade's 1,200 members": the possessor whose people are counted
_POSSESSOR = re.compile(r"(?P<grp>(?:[A-Z][\w\-]*\s+){0,4}[\w\-]+)['’]s\s+$")
_NAME = re.compile(r"(?:the\s+)?[A-Z][\w\-']*(?:\s+[A-Z][\w\-']*){0,4}")
_APPOSITION = re.compile(r"(?<![\w-])(?P<noun>[a-z][\w\-]*)\s*,\s*(?:(?:perhaps|possibly|maybe|probably|about|around|"
                         r"some|roughly|approximately)\s+)?$", I)
_APPOSITION_END = re.compile(r"\s*(?:,|\)|[-–—]\s)")
_WORDS = re.compile(r"[A-Za-z][\w\-]*")
# ", which operates mainly in Tarn, is believed to": a relative clause between a body and its numbering verb
_RELATIVE_ASIDE = re.compile(r",\s+(?:which|who)\s+[^;:()\"“”,]{3,180},\s+(?:(?:is|are|was|were)\s+)?(?:now\s+|still\s+)?$", I)
# ", eight of whom had been identified": a part's clause is not the count's
# ", a figure the army has dismissed": an aside about the count itself is no clause about its people
# Where a count's clause ends: "... while ...", "according to ...", ", of whom ...", ", a figure ...", and
# ", after hundreds surrendered" (a clause of its own subject: "The group has fewer than 2,000 fighters left,
# after hundreds surrendered"), not ", after being cornered", ", after their surrender" or an aside closed
# before the count's verb ("Some 40 militants, after the army surrounded the village, surrendered").
_CLAUSE = re.compile(r";|,\s+(?:while|but|whereas|and)\b|\bwhile\b|\bwhereas\b|\baccording\s+to\b|"
                     r",\s+(?:after|since|because|when)\s+(?!(?:their|them|they|being|having)\b|\w+ing\b|[^,;]*,)|"
                     r",\s+(?:[\w\-]+\s+)?of\s+(?:whom|which|them)\b|"
                     r",\s+(?:a|an|the)\s+(?:figure|number|claim|estimate|total|count)\b", I)


class _Cues:
    def __init__(self) -> None:
        lex = load("force_cues.json")
        # armed bodies ("the brigade, which numbers 2,500 men") and the nouns counting their people
        self.bodies = frozenset(w.lower() for e in lex["bodies"] for w in e["words"])
        self.members = frozenset(w.lower() for e in lex["members"] for w in e["words"])
        self.exclude = re.compile(r"(?<!\w)(?:" + "|".join(e["pattern"] for e in lex["exclude"]) + r")\b", I)
        self.strength_before = re.compile(r"(?:" + "|".join(e["pattern"] for e in lex["strength"]) + r")\s+$", I)
        # "a group of", "a team of": a force only when the count names armed people or no one
        self.collective_before = re.compile(r"(?:" + "|".join(e["pattern"] for e in lex["collective"]) + r")\s+$", I)
        # bodies that need not be armed ("a charity group", "a research team")
        self.generic_bodies = frozenset(w.lower() for e in lex["generic_bodies"] for w in e["words"])
        what = words_alternation(w for e in lex["number_of"] for w in e["words"])
        self.number_of = re.compile(_NUMBER_OF.format(what=what), I)
        self.number_of_word = re.compile(what, I)  # the pre-filter: a window without one needs no search
        # "a 500-strong force", "a 40-member police detachment"
        compounds = words_alternation(w for e in lex["strength_compounds"] for w in e["words"])
        modifiers = words_alternation(w for e in lex["strength_modifiers"] for w in e["words"])
        units = words_alternation(w for e in lex["strength_units"] for w in e["words"])
        # "commanded nearly 12,000 men", "2,200 men under arms": a count of men, members or cadres under command
        command = words_alternation(w for e in lex["command_verbs"] for w in e["words"])
        self.command_before = re.compile(rf"(?<![\w-])(?:{command})\s+$", I)
        arms = words_alternation(w for e in lex["under_arms"] for w in e["words"])
        self.under_arms_after = re.compile(rf"\s+(?:{arms})\b", I)
        # "40 men armed with rifles": words after a count of men, members or cadres that arm them
        self.armed_after = re.compile(rf"\s+(?:{words_alternation(w for e in lex['armed_after'] for w in e['words'])})\b", I)
        # "an armed group", "a rebel movement": words that make a generic body armed
        # the state's own bodies ("the Kelm army", "security forces"): a later "the group" never means them
        self.state_bodies = frozenset(w.lower() for e in lex["state_bodies"] for w in e["words"])
        self.armed_modifiers = words_alternation(w for e in lex["armed_modifiers"] for w in e["words"])
        # "nearly 60 armed cadres", "200 heavily armed men": people a modifier arms
        self.armed_subject = re.compile(rf"(?:heavily\s+)?(?:{self.armed_modifiers})\s", I)
        # "The army says 4,000;", "The group itself claims 5,000.": a body opening its sentence with a bare count
        says = words_alternation(w for e in lex["body_says_verbs"] for w in e["words"])
        selves = words_alternation(w for e in lex["body_says_reflexives"] for w in e["words"])
        self.body_says = re.compile(rf"\s*(?:the\s+)?(?P<who>[A-Za-z][\w\-]*)\s+(?:(?:{selves})\s+)?(?:{says})\s+$", I)
        # "the bombing was carried out by a cell of four men": a generic body that attacked is armed
        agent = words_alternation(w for e in lex["attack_agents"] for w in e["words"])
        self.attack_agent = re.compile(rf"(?<![\w-])(?:{agent})\s+(?:a|an|one)\s+(?:[a-z][\w\-]*\s+)?$", I)
        attacks = words_alternation(w for e in lex["attack_nouns"] for w in e["words"])
        self.attack_noun = re.compile(rf"(?<![\w-])(?:{attacks})\b", I)
        self.strong_after = re.compile(rf"[-\s]strong\b|-(?:{compounds})\s+(?:(?:{modifiers})\s+)?(?:{units})s?\b", I)
        # "plans to recruit 5,000 police officers", "funds for 3,000 new border guards": people yet to be taken on
        intents = words_alternation(w for e in lex["planned_intents"] for w in e["words"])
        planned = []
        for e in lex["planned"]:
            verbs = words_alternation(e["words"])
            intent = rf"(?:{intents})\s+(?:[a-z]+\s+)?" if e["after_intent"] else ""
            planned.append((re.compile(rf"(?<![\w-]){intent}(?:{verbs})\s+$", I), e["needs_new"]))
        self.planned = planned
        new_people = words_alternation(w for e in lex["new_people"] for w in e["words"])
        self.new_people = re.compile(rf"(?<![\w-])(?:{new_people})\b", I)


_REVISES_BEFORE = re.compile(r"(?:(?<![\w-])(?:there\s+(?:were|are|was|is|had\s+been|have\s+been)|to|from|ha(?:s|ve|d)|"
                             r"numbered|numbers?|numbering|now|only|than|and|or|claims?|claimed|claiming|"
                             # "down from a peak of about 6,000", "well below the 2,800 claimed by ...": a figure the
                             # force's size is compared with
                             r"(?:from|below|above)\s+(?:(?:a|its|their)\s+(?:peak|high|low|maximum)\s+of|the)|"
                             # "the Observatory put the figure at up to 900": another's figure for the same force
                             r"(?:put|puts|placed|places)\s+(?:the|that)\s+(?:figure|number|total)\s+at)|"
                             # "well below the army's estimate of some 1,200", "the ministry's estimate is about 2,400"
                             r"(?:['’]s|s['’])\s+(?:[a-z]+\s+)?(?:estimate|figure|count|tally)\s+(?:of|is|was))\s+"
                             r"(?:[\"“]\s*)?(?:something\s+(?:like\s+)?)?$", I)  # 'grown "to something nearer a thousand"' 
# "900 fighters, with another 200 in reserve": a further count of the same force
_FURTHER = re.compile(r"(?:a\s+further|another|an\s+additional)\b", I)
_WITH_BEFORE = re.compile(r"(?<![\w-])(?:with|plus)\s+$", I)
_REVISES_AFTER = re.compile(r"[\"”]?(?:\s*(?:[,.;:)]|[-–—]|$)|\s+(?:in|by|as|at|last|this|during|according|since|until|now|"
                            r"today|when|and|but|or|before|after|earlier|previously|ago|a\s+(?:year|month|decade)\s+(?:earlier|"
                            r"before|ago)|(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?:years|months)\s+"
                            # "from about 4,000 three years ago", "the 2,800 claimed by the group's negotiators"
                            r"(?:earlier|before|ago)|(?:estimated|claimed|counted|cited|given|reported)\s+by)\b)", I)


# "several thousand fighters, with as many as 2,000 more": a further count of the same force
_MORE_AFTER = re.compile(r"\s+more\b", I)
# "They were 3-4 thousand", "today we put them at nearly 4,000", "it was fewer than 900", a force's own "we are
# more than 6,000": a pronoun's count
_PRONOUN_COUNT = re.compile(r"(?<![\w-])(?:(?:they|it|we)\s+(?:were|was|are|is|had\s+been|have\s+been|numbered|number|now\s+number"
                            # "Officials now say it has fewer than 1,500": what the force named before has now
                            r"|(?:now\s+|still\s+)?(?:has|have|had))"
                            # "Government sources put the total higher, at up to 2,000": the force's total restated
                            r"|(?:put|puts|putting|estimate|estimates|estimated|place|places|placed)\s+(?:the|their|its)\s+"
                            r"(?:total|figure|number|strength)(?:\s+(?:(?:much|far|even|slightly|considerably)\s+)?(?:higher|lower))?,?\s+at"
                            r"|(?:put|puts|putting|estimate|estimates|estimated|reckon|reckons|reckoned|place|places|placed)"
                            r"\s+(?:them|it|their\s+(?:number|numbers|strength)|its\s+(?:number|numbers|strength))\s+at)\s+$", I)
_PARAGRAPH = re.compile(r"\n\s*\n")
# "Its commander, Ilyas Varro, claims more than 6,000": the force's own people claim a count of it
_OWN_CLAIM = re.compile(r"(?<![\w-])(?i:its|their)\s+(?:[a-z][\w\-]*\s+){0,2}?(?P<who>[a-z][\w\-]*)(?:\s*,\s*[A-Z][^,.;:]{1,40},)?"
                        r"\s+(?:(?:now|still|itself|himself|herself)\s+)?(?:claims?|claimed)\s+$")
# "a force of 500 men", "a splinter faction of no more than 200 men": a body and the people it is made of
_BODY_OF = re.compile(r"(?<![\w-])(?P<body>[a-z][\w\-]*)\)?\s+of\s+$", I)  # '"dalams" (squads) of 15 men': a gloss


def _attack_agent(text: str, sent_start: int, body_start: int) -> bool:
    """Whether the body starting at ``body_start`` is the agent of an attack its sentence names before it ("the
    bombing was carried out by a cell of ...", "The ambush was staged by a group of ..."): a body that attacks is armed."""
    C = cues()
    m = C.attack_agent.search(text, max(sent_start, body_start - 60), body_start)
    return m is not None and C.attack_noun.search(text, sent_start, m.start()) is not None


def _own_claim(text: str, lo: int, hi: int) -> bool:
    """Whether ``text[lo:hi]`` ends in a claim by someone who speaks for the body "its"/"their" means ("Its
    commander, Ilyas Varro, claims"; a title or spokesman of attribution.json, not "Their families claim")."""
    m = _OWN_CLAIM.search(text, lo, hi)
    if m is None:
        return False
    who = m.group("who").lower()
    return who in _speakers() or who.endswith("s") and who[:-1] in _speakers()


def _body_says(text: str, force: Quantity, q: Quantity, sent_start: int) -> bool:
    """Whether bare ``q`` is all a body or an official opening its sentence says ("The army says 4,000;", "The
    group itself claims 5,000." after "about 3,500 fighters"): another source's count of the force, unless a
    casualty word stands between."""
    m = cues().body_says.fullmatch(text, sent_start, q.start)
    if m is None:
        return False
    who = m.group("who").lower()
    if who not in cues().bodies and who not in _speakers() and who not in _author_bodies():
        return False
    return not _has_stem(text[force.end:q.start].lower(), casualty_cues().stems)


@lru_cache(maxsize=1)
def _author_bodies() -> frozenset[str]:
    """Bodies that publish figures (attribution.json ``author_bodies``: "ministry", "army", "institute")."""
    return frozenset(w.lower() for e in load("attribution.json")["author_bodies"] for w in e["words"])


@lru_cache(maxsize=1)
def _speakers() -> frozenset[str]:
    """Titles and spokesmen (attribution.json ``titles``, ``representatives``): who speaks for a body."""
    lex = load("attribution.json")
    return frozenset(w.lower() for k in ("titles", "representatives") for e in lex[k] for w in e["words"]) - {"the"}


def refers_back(text: str, force: Quantity, q: Quantity, sent_start: int) -> bool:
    """Whether bare ``q``, in a later sentence than force size ``force``, restates that force's size.

    The count follows a pronoun and a verb of being, numbering or estimating (``They were 3-4
    thousand``, ``we put them at nearly 4,000``, ``it was fewer than 900``) at most a paragraph after
    the force, ends its clause and is of the same order of size; the pronoun itself is not checked
    against the force, so the distance is short.
    """
    if q.start - force.end > 700 or len(_PARAGRAPH.findall(text, force.end, q.start)) > 1:
        return False
    if q.subject is not None or q.unit is not None or q.year_like or q.partitive or q.generic_noun is not None:
        return False
    if not _REVISES_AFTER.match(text, q.end):
        return False
    if not _PRONOUN_COUNT.search(text, max(sent_start, q.start - 40), q.start) \
            and not _own_claim(text, max(sent_start, q.start - 80), q.start) \
            and not _body_says(text, force, q, sent_start):
        return False
    if _has_stem(text[sent_start:q.start].lower(), casualty_cues().toll_stems):
        return False  # "the toll is disputed: police say it was 40": the pronoun may mean the toll
    a = force.high if force.high is not None else force.low
    b = q.high if q.high is not None else q.low
    return bool(a and b) and 1 / 20 <= b / a <= 20


_LAST_WORDS = re.compile(r"(?:[A-Za-z][\w’'\-]*\W+){2}$")


def repeats(text: str, force: Quantity, q: Quantity, *, headline: bool) -> bool:
    """Whether bare ``q``, in a headline or a quotation, repeats word for word a force size stated elsewhere in
    the text: "'We are more than 6,000': RRB commander speaks" over an answer "... we are more than 6,000, and ..."
    (the two words before the count and the count itself, read without case)."""
    if q.subject is not None or q.unit is not None or q.year_like or q.partitive or q is force:
        return False
    if (q.low, q.high) != (force.low, force.high) or text[q.start:q.end].lower() != text[force.start:force.end].lower():
        return False
    if not headline:
        line = text.rfind("\n", 0, q.start) + 1
        if (text.count('"', line, q.start) + text.count("'", line, q.start)) % 2 == 0 \
                and text.count("“", line, q.start) <= text.count("”", line, q.start):
            return False  # not inside a quotation
    a = _LAST_WORDS.search(text, max(0, q.start - 40), q.start)
    b = _LAST_WORDS.search(text, max(0, force.start - 40), force.start)
    if a is None or b is None:
        return False
    return _WORDS.findall(a.group(0).lower()) == _WORDS.findall(b.group(0).lower())


# "the Kessel Brigade, whose numbers officials estimate at 1,300": the body before "whose"
_WHOSE_NUMBERS = re.compile(r"(?<![\w-])whose\s+(?:numbers|strength|ranks|size)\s+(?:[\w\-'’]+\s+){0,8}?"
                            r"(?:estimates?|estimated|puts?|placed?|places|reckons?|reckoned)\s+at\s+$", I)
# "Analysts now estimate it at 11,000 to 14,000", "they now number 3,000": the pronoun means a force named before
_PRONOUN_AT = re.compile(r"(?<![\w-])(?:(?:estimates?|estimated|puts?|placed?|places|reckons?|reckoned)\s+(?:them|it)\s+at|"
                         r"(?:they|it)\s+(?:now\s+|still\s+)?(?:numbers?|numbered))\s+$", I)
# "Local authorities estimated the attacking force at around 300": an estimate of a body or its people, named as the
# verb's object
_ESTIMATED_OBJECT_AT = re.compile(r"(?<![\w-])(?:estimates?|estimated|estimating|puts?|putting|placed?|places|placing|"
                                  r"reckons?|reckoned)\s+(?:the|its|their|this|that)\s+(?P<np>(?:[\w\-]+\s+){0,3}?[\w\-]+)"
                                  r"\s+at\s+$", I)
# the subject of an estimate that opens its sentence: "Officials", "Local police", "Western diplomats"
_ESTIMATOR = re.compile(r"\s*(?:[A-Za-z][\w\-'’]*\s+){1,5}", I)


def _estimator_only(text: str, sent_start: int, verb_start: int) -> bool:
    """Whether the words from ``sent_start`` to the estimating verb at ``verb_start`` are only its subject (a few
    words, no punctuation): "Officials estimated it at 3,000", not "The army, which fought the Front, put it at"."""
    return _ESTIMATOR.fullmatch(text, sent_start, verb_start) is not None


def _estimated_body(text: str, q: Quantity, lo: int) -> bool:
    """Whether ``q`` is an estimate of armed people or an armed body named as the object of the estimating verb
    ("estimated the attacking force at around 300", "put the rebels at 2,000"; not "put the crowd at 3,000")."""
    m = _ESTIMATED_OBJECT_AT.search(text, lo, q.start)
    if m is None or cues().exclude.search(m.group("np")):
        return False
    return _names_force(m.group("np"))


# "How many fighters does the Front have? Perhaps 1,500.": an answer that is only the count
# the answer may open with the speaker's label and a short adverbial ("Dalen Karst: In the north, about 4,000.")
_ANSWER_BEFORE = re.compile(r"^\s*(?:(?-i:[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,2})\s?:\s+)?"
                            r"(?:(?:in|across|on|at|for|of|among|inside|outside)\s+(?:[\w\-]+\s+){0,2}[\w\-]+,\s+|"
                            r"(?:today|now|currently|overall|altogether|in\s+all|in\s+total),\s+)?"
                            r"(?:(?:perhaps|maybe|probably|possibly|only|just|roughly)\s+)?$", I)
_ANSWER_AFTER = re.compile(r"\s*(?:[.!]|,\s+(?:perhaps|maybe|or|at\s+most|at\s+least|(?:\w+\s+){0,4}?(?:said|says|told|added)\b))", I)
_QUESTION = re.compile(r"\bhow\s+(?P<q>many|big|large|strong)\b(?P<rest>[^.!?\n]{0,80})\?\s*$", I)


_DETERMINERS = frozenset("the a an this that these those its their his her our".split())


def _excludes_before(text: str, lo: int, hi: int) -> bool:
    """Whether the words in ``text[lo:hi]`` before a count make it captives, unless the word only describes
    other people ("Some of the rescued students spoke of at least five attackers") or a document."""
    heads = patterns().heads
    for m in cues().exclude.finditer(text, lo, hi):
        nxt = _WORDS.match(text, m.end() + 1) if text[m.end():m.end() + 1] == " " else None
        if nxt is not None and nxt.group(0).lower() in heads:
            continue  # "the rescued students": an adjective of another noun
        prev = _WORDS.findall(text[max(0, m.start() - 30):m.start()])
        if prev and prev[-1].lower().rstrip("s") in _documents():
            continue  # "The UN report, released on Monday, estimated ...": the document was released
        if _RELATIVE_OPENS.search(text, m.end(), hi):
            continue  # "The army accused the Front, which has 3,000 fighters": the count's own clause opens later
        if _AGENT_BY.fullmatch(text, m.end(), hi):
            continue  # "the convoy was attacked by about 30 gunmen": the count is the passive's agent, who attacks
        comma_before = text.rfind(",", max(0, lo - 40), m.start())
        if comma_before >= 0 and len(_WORDS.findall(text, comma_before, m.start())) <= 3 and "," in text[m.end():hi]:
            continue  # "The Front, accused of the attack, has 3,000 fighters": an aside closed before the count
        return True
    return False


_RELATIVE_OPENS = re.compile(r",\s+(?:which|who|whose)\b", I)
# the agent of a passive right before the count: "was ambushed by", "were held by"
_AGENT_BY = re.compile(r"\s+by\s+", I)
# "300 gunmen stormed the prison and freed 40 inmates": the count does the capturing
_ACTIVE_CAPTURE = re.compile(r"(?<![\w-])(?:freed|released|kidnapped|abducted|captured|seized|held|detained|"
                             r"arrested|rescued|took)\s+(?:\d|(?:the|a|an|some|several|dozens|hundreds|at\s+least|"
                             r"more\s+than|about|around|nearly|up\s+to|two|three|four|five|six|seven|eight|nine|ten)\b)", I)
_PASSIVE_AUX = re.compile(r"\b(?:were|was|been|being|are|is|be|got|get|had)\s+(?:\w+ly\s+)?$", I)


def _excludes_after(right: str) -> bool:
    """Whether the words after a count make it captives; not when the count itself captures someone."""
    for m in cues().exclude.finditer(right):
        if _ACTIVE_CAPTURE.match(right, m.start()) and not _PASSIVE_AUX.search(right, 0, m.start()):
            continue
        return True
    return False


@lru_cache(maxsize=1)
def _not_plural() -> frozenset[str]:
    """Words ending in "s" that are no plural noun ("perhaps", "always"): people.json's not_plural."""
    return frozenset(w.lower() for e in load("people.json")["not_plural"] for w in e["words"])


@lru_cache(maxsize=1)
def _documents() -> frozenset[str]:
    """Document nouns ("report", "statement"): a participle after one describes the document, not a count."""
    return frozenset(w.lower() for e in load("attribution.json")["documents"] for w in e["words"])


# a word of a name: capitalised, or a particle and a capitalised word ("al-Sahra", "bin-Hamid")
_NAME_WORD = re.compile(r"(?:[a-z]{1,3}[-‑])?[A-Z]")


def _names_force(words: str, *, singular: bool = False, stop: list[str] | None = None) -> bool:
    """Whether ``words`` end in armed people or an armed body (a generic body only when named: "the Velta Group").

    ``singular``: the words are what "it" may mean, a body, never a person ("the minister told parliament it had").
    ``stop`` gets the lower-case generic body the look-back ended at ("the movement"), if that decided it.
    """
    heads, C = patterns().heads, cues()
    toks = _WORDS.findall(words)
    for k in range(len(toks) - 1, -1, -1):
        lw = toks[k].lower()
        if singular and lw not in C.bodies:
            continue
        if lw not in heads and lw not in C.bodies and _UNKNOWN_PLURAL.fullmatch(toks[k]) and lw not in _not_plural():
            return False  # "abortion providers were warned that one of them": a nearer plural the lists lack
        if lw in heads:
            return bool(heads[lw]) and lw not in patterns().weak_armed  # "men", "members" say nothing alone
        if lw in C.bodies:
            armed = lw not in C.generic_bodies or toks[k][:1].isupper() or (
                k > 0 and _NAME_WORD.match(toks[k - 1]) is not None and toks[k - 1].lower() not in _DETERMINERS)
            if not armed and stop is not None and toks[k].islower():
                stop.append(lw)
            return armed
    return False


@lru_cache(maxsize=64)
def _named_armed_body(word: str, mods: str) -> re.Pattern:
    """A pattern for an armed body a later "the WORD" may mean: a capitalised name headed by a body word
    ("the Lion of the North Movement", "the Sons of Oru militia"; a state's "Kelm army" or "forces" is not
    meant by "the group"), or WORD after an armed modifier ("an armed group")."""
    C = cues()
    cap = "|".join(re.escape(w.capitalize()) for w in sorted(C.bodies, key=len, reverse=True))  # case kept
    low = words_alternation(b for b in C.bodies if b not in C.state_bodies)
    return re.compile(rf"\b[A-Z][\w\-']*\s+(?:(?:of|the|for|[A-Z][\w\-']*)\s+){{0,5}}(?:{cap}|{low})\b|"
                      rf"\b(?i:(?:{mods})\s+{word})\b")


def _antecedent_force(text: str, at: int, *, singular: bool = False) -> bool:
    """Whether the last people or body word before ``at`` in its paragraph (within 300 characters) is armed."""
    lo = max(0, at - 300, text.rfind("\n", 0, at) + 1)
    before = text[lo:at]
    if cues().exclude.search(before):
        return False
    stop: list[str] = []
    if _names_force(before, singular=singular, stop=stop):
        return True
    if not stop:
        return singular and _armed_acronym(text, before)
    # "the movement", "the group": a generic body is armed when the text named it so before ("the Lion of the
    # North Movement", "an armed group") and counts armed people before it ("a chess group" is no force)
    w = stop[0]
    return _armed_in_text(text, w, lo + before.lower().rfind(w))


def _armed_acronym(text: str, before: str) -> bool:
    """Whether the last acronym in ``before`` the text spells out ("the Ashen Ridge Front (ARF)") is an armed body
    and no unarmed people word stands after it: "it" then means that body ("The ARF emerged in 2013. ... said it
    had some 4,500 members"); an acronym never spelled out ("a UN panel") is passed over."""
    heads, bodies = patterns().heads, cues().bodies
    for acr in reversed(list(_ACRONYM.finditer(before))):
        spelled = [m for m in re.finditer(rf"\(\s*{re.escape(acr.group(0))}\s*\)", text)]
        if not spelled:
            continue
        if any(t.lower() in heads and not heads[t.lower()] for t in _WORDS.findall(before, acr.end())):
            return False  # "the ARF ... told the villagers it had": an unarmed people word is nearer
        for m in spelled:
            words = _WORDS.findall(text, max(0, m.start() - 60), m.start())
            if words and words[-1].lower() in bodies and words[-1][:1].isupper() \
                    and words[-1].lower() not in cues().state_bodies:
                return True
        return False
    return False


def _armed_in_text(text: str, word: str, pos: int) -> bool:
    """Whether a generic body ``word`` ("the movement", "a faction") at ``pos`` is armed: the text named an armed
    body before it ("the Lion of the North Movement", "an armed group") and counts armed people before it."""
    lo = max(0, pos - 6000)
    if _named_armed_body(word, cues().armed_modifiers).search(text, lo, pos) is None:
        return False
    heads = patterns().heads
    return any(heads.get(t.lower()) and t.lower() not in patterns().weak_armed for t in _WORDS.findall(text, lo, pos))


def _answers_force_question(text: str, q: Quantity, sent_start: int, sent_end: int) -> bool:
    """Whether bare ``q`` is all of a sentence answering "How many fighters ...?" or "How big is the force?"."""
    if not _ANSWER_BEFORE.match(text[sent_start:q.start]) or not _ANSWER_AFTER.match(text, q.end):
        return False
    m = _QUESTION.search(text, max(0, sent_start - 160), sent_start)
    if m is None:
        return False
    rest = m.group("rest")
    if m.group("q").lower() == "many":
        first = _WORDS.findall(rest)[:2]  # "how many fighters", "how many armed men"
        heads = patterns().heads
        return any(heads.get(w.lower()) for w in first)
    return _names_force(rest.split(" is ")[-1] if " is " in rest else rest)


def afterthought(text: str, force: Quantity, q: Quantity) -> bool:
    """Whether ``q``, men, members or cadres set off by a comma later in the sentence of force size ``force``, is a
    force too: "The Front has 900 fighters, but its urban cell is small, perhaps 40 to 50 men" (not when the clause
    makes them captives: "..., and 40 men were detained")."""
    if q.head not in cues().members or q.subject is None or q.unit is not None or q.partitive:
        return False
    if not _AFTERTHOUGHT.search(text, max(force.end, q.start - 20), q.start):
        return False
    return not _excludes_after(_CLAUSE.split(text[q.end:q.end + 50])[0])


def revises(text: str, force: Quantity, q: Quantity) -> bool:
    """Whether bare ``q``, later in the sentence of force size ``force``, states the same force's size.

    "there were about 100 gunmen but later said there were as many as 500", "once numbered 4,000
    fighters but now have between 700 and 900": a count without a noun, after a verb of being or
    having (or "to", "from"), ending its clause, and of the same order of size.
    """
    more = q.head == "more" and q.subject == "more"  # "with as many as 2,000 more": no noun of its own
    if (q.subject is not None and not more) or q.unit is not None or q.year_like or q.partitive or q.vague:
        return False
    with_before = _WITH_BEFORE.search(text, max(force.end, q.start - 8), q.start)
    if with_before and (more or _MORE_AFTER.match(text, q.end)):
        pass  # "with as many as 2,000 more part-time auxiliaries": more of the same force
    elif not _REVISES_AFTER.match(text, q.end):
        return False
    elif not _REVISES_BEFORE.search(text, max(force.end, q.start - 30), q.start) and not (
            _FURTHER.match(text, q.start, q.num_start) and with_before):
        return False
    a = force.high if force.high is not None else force.low
    b = q.high if q.high is not None else q.low
    return bool(a and b) and 1 / 20 <= b / a <= 20


def _planned(text: str, q: Quantity, sent_start: int) -> bool:
    """Whether a phrase of force_cues.json's ``planned`` right before ``q`` makes its people ones a force is yet to
    take on ("plans to recruit 5,000 police officers"; "will train 2,000 more soldiers" and "funds for 3,000 new
    border guards" only for new or more people)."""
    C = cues()
    lo = max(sent_start, q.start - 60)
    new = None
    for rx, needs_new in C.planned:
        if rx.search(text, lo, q.start) is None:
            continue
        if not needs_new:
            return True
        if new is None:
            new = C.new_people.search(text, q.start, q.end) is not None
        if new:
            return True
    return False


def _armed_body(words: str) -> bool:
    """Whether ``words`` name armed people or an armed body ("Brennic Front members", "people under arms")."""
    heads = patterns().heads
    bodies, members = cues().bodies, cues().members
    if re.search(r"\bunder\s+arms\b", words, I):
        return True
    for w in _WORDS.findall(words):
        lw = w.lower()
        if lw in bodies or heads.get(lw) or (lw in members and (_ACRONYM.search(words) or any(
                t[:1].isupper() for t in _WORDS.findall(words)))):
            return True
    return bool(_ACRONYM.fullmatch(words.strip().removeprefix("the ").strip()))


@lru_cache(maxsize=1)
def cues() -> _Cues:
    """Return the compiled force-size cues (built once from the lexicon)."""
    return _Cues()


def classify(text: str, q: Quantity, sent_start: int, sent_end: int) -> str | None:
    """Return the rule name when ``q`` is the size of an armed group or force, else None."""
    C = cues()
    bodies, members = C.bodies, C.members
    if q.subject is not None and _planned(text, q, sent_start):
        return None  # "plans to recruit 5,000 new police officers": no force has them yet
    if q.partitive and q.armed and _OWN_PART.match(text, q.num_end) \
            and not C.exclude.search(text, max(sent_start, q.start - 50), min(sent_end, q.end + 50)):
        return "force.armed-noun"  # "sent between 500 and 800 of its fighters": a body's own contingent
    if q.partitive and q.subject is None and _OF_THEM.match(text, q.num_end) and q.unit is None and (q.low or 0) >= 2 \
            and not _excludes_after(_CLAUSE.split(text[q.end:min(sent_end, q.end + 50)])[0]) \
            and _antecedent_force(text, q.start):
        return "force.numbering"  # "The Front is small. About 120 of them remain": them is the armed body named before
    if q.unit is not None or q.year_like or q.partitive:
        return None
    if q.armed and q.head in ("forces", "armies") and q.high is not None and q.high <= 3 \
            and _GROUPS_BEFORE.search(text, max(sent_start, q.start - 12), q.start):
        return None  # "clashes between the two forces": a count of armed bodies, not of people
    if q.armed and q.head in bodies and q.head.endswith("s") and q.head not in ("forces", "armies") \
            and (q.high if q.high is not None else q.low or 0) <= 20:
        return None  # "a merger of three smaller militias": a count of armed bodies, not of people
    if q.armed or q.subject is not None and C.armed_subject.match(q.subject) and (
            q.head in members or q.head in patterns().weak_armed):
        # the clause around the count: "X resigned, while 300 fighters attacked" keeps the clauses apart
        left = _CLAUSE.split(text[max(sent_start, q.start - 50):q.start])[-1]
        right = _CLAUSE.split(text[q.end:min(sent_end, q.end + 50)])[0]
        if _excludes_before(text, q.start - len(left), q.start) or _excludes_after(right):
            return None
        return "force.armed-noun"
    before = text[max(sent_start, q.start - 30):q.start]
    if C.strong_after.match(text, q.num_end) or C.strength_before.search(before) or (
            q.subject is None and C.collective_before.search(before)):
        # "a 12-member gang of robbers had been busted": captives, as for armed nouns
        right = _CLAUSE.split(text[q.end:min(sent_end, q.end + 60)])[0]
        if C.exclude.search(right):
            return None
        return "force.strength"
    if q.subject is None and q.generic_noun is None:
        heads = patterns().heads
        m = _APPOSITION.search(text, max(sent_start, q.start - 40), q.start) \
            if "," in text[max(sent_start, q.start - 40):q.start] and _APPOSITION_END.match(text, q.end) else None
        if m is not None and heads.get(m.group("noun").lower()):
            return "force.apposition"
        window_start = max(sent_start, q.start - 160)
        window = text[window_start:q.start]
        m = C.number_of.search(window) if " of " in window and C.number_of_word.search(window) else None
        if m is not None and (_armed_body(m.group("grp")) or (
                m.group("what").lower() in ("strength", "ranks") and _NAME.fullmatch(m.group("grp")))):
            return "force.number-of"  # "the strength of the Abu Tarek": a military strength, of a named group
        m = _WHOSE_NUMBERS.search(window) if "whose" in window else None
        if m is not None and _names_force(re.split(r"[,;(]", window[:m.start()].rstrip(" ,"))[-1]):
            return "force.numbering"  # "the Kessel Brigade, whose numbers officials estimate at 1,300"
        m = _PRONOUN_AT.search(window)
        if m is not None and (_antecedent_force(text, window_start + m.start())
                              or _estimator_only(text, sent_start, window_start + m.start())
                              and _antecedent_force(text, sent_start)):
            # "The Front has grown. Analysts now estimate it at 11,000 to 14,000."; "The Varn Front has grown.
            # Officials estimated it at 3,000.": the estimating subject is not what "it" means
            return "force.numbering"
        if _estimated_body(text, q, window_start):
            return "force.numbering"  # "Local authorities estimated the attacking force at around 300."
        if _answers_force_question(text, q, sent_start, sent_end):
            return "force.answer"
        m = _PRONOUN_STRENGTH.search(window)
        if m is not None and _antecedent_force(text, window_start + m.start()):
            return "force.number-of"  # "The Front lost ground. Its strength is estimated at about 1,000."
        m = _POSSESSIVE_STRENGTH.search(window) if "s " in window else None
        if m is not None and (_armed_body(m.group("grp")) or (
                not re.search(r"\b(?:numbers|size)\b", m.group(0), I) and _NAME.fullmatch(m.group("grp").strip()))):
            return "force.number-of"  # a named group's ranks or strength; "Orvel's numbers" or size may count anything
    if q.head in members and q.subject is not None and C.armed_after.match(text, q.end):
        left = _CLAUSE.split(text[max(sent_start, q.start - 50):q.start])[-1]
        right = _CLAUSE.split(text[q.end:min(sent_end, q.end + 50)])[0]
        if not _excludes_before(text, q.start - len(left), q.start) and not _excludes_after(right) \
                and not _has_stem(right.lower(), casualty_cues().stems):  # "40 men armed with rifles were killed"
            return "force.armed-noun"  # "About 40 men armed with rifles stormed the post"
    if q.head in members and (C.under_arms_after.match(text, q.end)
                              or C.command_before.search(text, max(sent_start, q.start - 20), q.start)
                              or q.head in ("men", "cadres") and _WE_HAVE.search(text, max(sent_start, q.start - 24), q.start)):
        right = _CLAUSE.split(text[q.end:min(sent_end, q.end + 50)])[0]
        if not C.exclude.search(right):
            return "force.command"  # "commanded nearly 12,000 men", "2,200 men under arms"
    if q.head in members and q.subject is not None:
        m = _APPOSITION.search(text, max(sent_start, q.start - 40), q.start) \
            if "," in text[max(sent_start, q.start - 40):q.start] else None
        if m is not None and patterns().heads.get(m.group("noun").lower()) \
                and m.group("noun").lower() not in patterns().weak_armed:
            return "force.apposition"  # "The rebels, no more than 800 men in all, hold the ridge"
        m = _POSSESSIVE_STRENGTH.search(text, max(sent_start, q.start - 80), q.start)
        if m is not None and _armed_body(m.group("grp")):
            return "force.number-of"  # "the militia's strength had fallen from around 1,600 cadres"
        lo = max(sent_start, q.start - 160)
        m = _WHOSE_NUMBERS.search(text, lo, q.start) if "whose" in text[lo:q.start] else None
        if m is not None and _names_force(re.split(r"[,;(]", text[lo:m.start()].rstrip(" ,"))[-1]):
            return "force.numbering"  # "Harakat al-Nour, whose strength officials put at 2,000 men"
        m = _POSSESSOR.search(text, max(sent_start, q.start - 60), q.start)
        if m is not None and _names_force(m.group("grp")) and not C.exclude.search(text[q.end:min(sent_end, q.end + 50)]):
            return "force.numbering"  # "the Front's 800 men": an armed body's own people
    if q.head in members and q.subject is not None:
        m = _BODY_OF.search(text, max(sent_start, q.start - 30), q.start)
        if m is not None and m.group("body").lower() in bodies and (
                m.group("body").lower() not in C.generic_bodies or _armed_in_text(text, m.group("body").lower(), m.start())) \
                and not C.exclude.search(text, max(sent_start, q.start - 60), min(sent_end, q.end + 50)):
            return "force.strength"  # "a force of 500 men", "a splinter faction of no more than 200 men"
        if m is not None and m.group("body").lower() in C.generic_bodies and _attack_agent(text, sent_start, m.start()) \
                and not C.exclude.search(text, max(sent_start, q.start - 60), q.start) \
                and not _excludes_after(_CLAUSE.split(text[q.end:min(sent_end, q.end + 50)])[0]):
            return "force.strength"  # "the bombing was carried out by a cell of four men": a body that attacked
    if q.subject is not None and q.head not in members:
        return None
    copula = _COPULA.search(text, max(sent_start, q.start - 40), q.start)
    if copula is not None and (q.subject is None or q.head in members) \
            and patterns().heads.get(copula.group("subj").lower()) \
            and copula.group("subj").lower() not in patterns().weak_armed \
            and not C.exclude.search(text, max(sent_start, q.start - 60), min(sent_end, q.end + 50)):
        return "force.numbering"  # "the attackers were four or five young men"
    numbering = _NUMBERING.search(text, max(sent_start, q.start - 24), q.start)
    lo, hi = max(sent_start, q.start - 70), q.start
    if numbering is None and " by " in text[max(sent_start, q.start - 60):q.start]:
        by = _ESTIMATED_BY.search(text, max(sent_start, q.start - 60), q.start)
        if by is not None:  # the people estimated come before the agent ("by local officials")
            numbering = by
            lo, hi = max(sent_start, by.start() - 50), by.start()
    if numbering is not None:
        rel = _RELATIVE_ASIDE.search(text, max(sent_start, numbering.start() - 200), numbering.start())
        if rel is not None:
            # "The Sahil Front, which operates mainly in Tarn and shares ideology with the OF, is believed to
            # number around 3,000": the body before the relative clause is counted, however long the clause
            lo, hi = max(sent_start, rel.start() - 70), rel.start()
    # "a group believed to have fewer than 300 members": 'have' needs the members counted
    made = numbering is not None and numbering.groupdict().get("made")
    if numbering is not None and (numbering.groupdict().get("has") or made) and q.head not in ("men", "members", "cadres"):
        numbering = None
    if numbering is not None and (numbering.groupdict().get("has") == "with" or made) and not any(
            w.lower() in bodies and w.lower() not in C.generic_bodies or patterns().heads.get(w.lower())
            for w in _WORDS.findall(text[max(sent_start, q.start - 90):numbering.start()])):
        numbering = None  # "a charity group with 200 members" counts no force; "the Liberation Army, ... with 200 members" does
    if numbering is not None:
        # the group counted is named before the verb, in the same clause: "the militants, numbering around 200";
        # the nearest people word decides ("a group of refugees numbering 300" counts refugees)
        before = _CLAUSE.split(text[lo:hi])[-1]
        heads = patterns().heads
        for w in reversed(_WORDS.findall(before)):
            lw = w.lower()
            if lw in ("it", "they") and not C.exclude.search(before):
                # "Analysts believe it has between 2,000 and 3,000 members": the armed body named before it
                if _antecedent_force(text, hi - len(before) + before.rfind(w), singular=lw == "it"):
                    return "force.numbering"
                break
            if lw in heads or lw in bodies:
                if (lw in bodies or heads[lw]) and not C.exclude.search(before):
                    return "force.numbering"
                break
        else:
            # "The ELN, currently estimated to have around 2,000 members": a group named by its acronym
            if q.head in members and _ACRONYM.search(before) and not C.exclude.search(before):
                return "force.numbering"
    return None
