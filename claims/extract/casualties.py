"""Casualty counts: decide whether a quantity counts people killed or injured.

Rules, tried in order for each quantity (the claim's ``rule`` names the one that fired):

``casualty.verb-after``  the count is followed, within its clause, by a casualty
    word: ``3 soldiers martyred``, ``Seven people, including X, were killed``,
    ``four others injured``. An active verb with an object after it
    (``5 gunmen killed 10 people``) makes the count the attackers, not victims.
``casualty.verb-before`` a casualty verb right before the count:
    ``killing 33 people``, ``Blast kills 5``, ``the injured included 12 children``.
``casualty.toll``        a toll phrase before the count: ``the death toll rose to 45``,
    ``the toll from Friday's blast has risen to 61``.
``casualty.head-noun``   the counted noun is itself the casualties: ``23 bodies``,
    ``12 deaths``, ``claimed 50 lives``.
``casualty.list``        a count listed before a casualty count that carries the verb
    (``37 militants, 6 soldiers killed``) has the same outcome.
``casualty.part-of``     a count joined to a casualty count just before it
    (``including 132 children``, ``4 policemen and 2 civilians``,
    ``5 of them children``) has the same outcome.
``casualty.counter-claim`` a bare count that another source gives for a casualty count before it in
    the sentence, after a contrast and a reporting verb (``40 rebels were killed, while the rebels
    claimed 120``; ``...; hospital officials put the figure at 15``); set in extract.
``casualty.earlier``     the figure a casualty count replaced, right after it or after its verb phrase (``revised
    the toll to 11, down from the 14 first reported``, ``253, down from an earlier total of 359``, ``22 soldiers
    were killed in the raid, up from the 19 it announced``): its outcome; a figure
    "first reported" by someone unnamed has no source; set in extract.
``casualty.later``       a figure that followed a casualty count before it in its sentence, after "then" or
    "now" (``18 had died, then 27, now 31``): its outcome; set in extract.
``casualty.apposition``  the parts of a casualty count listed after its verb in apposition, each with its noun,
    that add up to it (``Fourteen people were killed, 12 police officers and two civilians, according to
    police``): its outcome; set in extract.
``casualty.remainder``   the rest of the casualties counted just before, who they were (``141 killed,
    including 132 children; the other nine were teachers``): their outcome, and the whole's source when
    the rest names none; set in extract.
"""
from __future__ import annotations

import re
from functools import lru_cache

from claims.extract.lexicon import load, words_alternation
from claims.extract.numbers import NUMBER_PATTERN
from claims.extract.quantities import Quantity
from claims.model import Outcome

I = re.IGNORECASE

_PAREN = (r"(?P<paren>\s*,[^,.;:!?\"“”]{1,80},|\s*\([^()]{1,80}\)|\s+[-–—][^-–—.;]{1,60}[-–—]"
          r"|\s*,?\s+(?:including|among\s+them|mostly|mainly)\s+[^,.;:!?\"“”]{1,50}?"
          r"|\s+(?:and|as\s+well\s+as|along\s+with)\s+(?:a|an|one|another|his|her|their|the)"
          r"\s+(?!(?:were|was|are|is|have|has|had)\b)[A-Za-z][\w\-]*(?:\s+(?!(?:were|was|are|is|have|has|had)\b)[A-Za-z][\w\-]*){0,2}"
          # "Fourteen soldiers and an officer of the provincial police lost their lives": the member's own of-phrase
          r"(?:\s+of\s+(?:the\s+)?(?:(?!(?:were|was|are|is|have|has|had)\b)[A-Za-z][\w\-]*\s+){0,2}?"
          r"(?!(?:were|was|are|is|have|has|had)\b)[A-Za-z][\w\-]*(?=\s))?"
          r"|\s+(?:of|from|belonging\s+to)\s+(?:the\s+)?(?:[A-Z(][\w\-'’()]*\s+){1,8}?(?=(?:were|was|are|is|have|has|had)\b)"
          # a place or group after the subject: "nine people in the van were killed", "six soldiers on patrol were hurt"
          r"|\s+(?:in|on|at|inside|aboard|near|from|with|travelling\s+in|traveling\s+in|riding\s+in)\s+"
          r"(?:(?:the|a|an|their|his|her|its)\s+)?(?:(?!(?:and|or|but|while|who|which|that)\s)[\w\-'’]+\s+){1,3}?"
          r"(?=(?:were|was|are|have|has|had)\s)"
          # a participle phrase: "52 soldiers collecting their pay at the base were killed"
          r"|\s+(?!(?:including|among|during|following|according|killing|injuring|wounding|leaving)\b)[a-z]+ing\s+"
          r"(?:(?!(?:and|or|but|while|who|whose|which|that|when|after|before)\s)[\w\-'’]+\s+){1,6}?"
          r"(?=(?:were|was|have|had)\s)"
          # more people named without a figure: "Two Americans, a Swiss and a Dutch national were killed"
          r"|\s*,\s*(?:a|an|the|his|her|their)\s+[A-Za-z][\w\-]*(?:\s+[A-Za-z][\w\-]*)?\s*,?\s+and\s+"
          r"(?:a|an|the|his|her|their)\s+[A-Za-z][\w\-]*(?:\s+[A-Za-z][\w\-]*){0,2}(?=\s+(?:were|was|had|have)\s)"
          # a headline list ending in a bare noun: "Seven soldiers, civilian killed in attacks"
          r"|\s*,\s*(?:(?!(?:and|or|but|while|who|which|that|police|officials|said|says)\b)[A-Za-z][\w\-'’]*\s+){0,2}"
          r"(?!(?:and|or|but|while|who|which|that|police|officials|said|says)\b)[A-Za-z][\w\-'’]*"
          r"(?=\s+(?:killed|dead|died|injured|wounded|hurt|martyred)\b)"
          # the people named after the count: "Two guards of the KRF, Tomas Vell and Ana Brel were killed"
          r"|(?:\s+of\s+(?:the\s+)?[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,3})?\s*,\s*(?:[A-Z][\w\-'’.]*\s+){0,3}[A-Z][\w\-'’.]*"
          r"(?:\s*,\s*(?:[A-Z][\w\-'’.]*\s+){0,3}[A-Z][\w\-'’.]*){0,4}\s*,?\s+and\s+(?:[A-Z][\w\-'’.]*\s+){0,3}"
          r"[A-Z][\w\-'’.]*\s*,?(?=\s+(?:were|was|had|have)\s)"
          # a relative clause: "two police officers, who were wounded, ..."
          r"|\s*,\s*(?=(?:who|that|which)\s))?")
# a colon opens the breakdown of the count before it: "13 were killed: eight were civilians and the remaining five ..."
# a year may stand in the gap: "killed 1,140 people in 2021, including 612 civilians"
_CONNECT = re.compile(
    r"^(?:[^.;:!?\d]|(?<![\d,.])(?:1[89]|20)\d\d(?![\d,]\d)){0,80}?(?:,|:|\(|\band\b|\bincluding\b|\bincludes\b|\bamong\s+them\b|\bamong\s+whom\b|"
    r"\bof\s+them\b|\bof\s+whom\b|\bwhile\b|\bplus\b|\bas\s+well\s+as\b|\bbesides\b|\bwhereas\b|"
    r"\balong\s+with\b|\bmostly\b|\bmainly\b|\bcomprising\b|[-–—])\s*"
    r"(?:(?:the|other|another|remaining|rest|of|were|was|are|is|them|all|only|just|also|a\s+further|"
    r"at\s+least|more\s+than|nearly|about|around|some)\s+)*$", I)


def _joined(entries: list[dict]) -> str:
    """Return the entries' patterns as one alternation, in the order the lexicon lists them."""
    return "|".join(e["pattern"] for e in entries)


def _words(entries) -> str:
    """Return one alternation over every word of the entries (a section of literal ``words``)."""
    return words_alternation(w for e in entries for w in e["words"])


class _Cues:
    def __init__(self) -> None:
        lex = load("casualty_cues.json")
        # words between a count (with its subject) and the casualty word after it: "were reportedly", "have been"
        aux = rf"(?:(?:{_joined(lex['auxiliaries'])})\s+){{0,6}}"
        # a casualty word between two counts: only a part marker then joins them ("27 dead, including 8 children")
        self.cue_word = re.compile(rf"(?<!\w)(?:{_joined(lex['cue_words'])})\b", I)
        self.part_marker = re.compile(rf"(?<!\w)(?:{_joined(lex['part_markers'])})\b|:\s*$", I)
        # what a count does that makes it no victim: "and 3 others were arrested", "4 others fled"
        self.not_victim = re.compile(rf"(?<!\w)(?:{_joined(lex['not_victims'])})\b", I)
        after = "|".join(rf"(?P<a{i}>{e['pattern']})" for i, e in enumerate(lex["after"]))
        self.after_info = [(Outcome(e["outcome"]), e["active"]) for e in lex["after"]]
        # state phrases ("taken to hospital") that a casualty adjective on the noun overrides
        self.after_weak = [e.get("weak", False) for e in lex["after"]]
        self.after = re.compile(rf"{_PAREN}\s*{aux}\b(?:{after})\b", I)
        self.after_loose = re.compile(
            rf"(?:\s+(?!(?:and|or|in|at|on|by|from|with|to|of|for|the|a|an)\b)[A-Za-z][\w'’\-]*\b){{1,2}}?\s*{aux}\b(?:{after})\b", I)
        # the object of an active verb, perhaps hedged: "5 gunmen killed at least 10 people" counts the attackers
        self.object = re.compile(
            rf"\s+(?:(?:{_words(lex['object_hedges'])})\s+)?"
            rf"(?:{NUMBER_PATTERN}|a|an|the|his|her|their|its|him|them|us|several|dozens|scores|hundreds|"
            rf"thousands|many|numerous|all|both|two|three|four|five|six|seven|eight|nine|ten)\b", I)
        before = "|".join(rf"(?P<b{i}>{e['pattern']})" for i, e in enumerate(lex["before"]))
        self.before_info = [Outcome(e["outcome"]) for e in lex["before"]]
        # cues that count casualties only when the noun counted is people ("buried 42 people", not "40 homes")
        self.before_needs_people = [e.get("needs_people", False) for e in lex["before"]]
        # "(?<!\w)" instead of "\b" before the cue: the same test, but the engine can then skip to a
        # possible first letter, which makes these $-anchored searches about 40% faster
        self.before = re.compile(
            rf"(?<!\w)(?:{before})\s*(?::\s*)?[‘“\"']?(?:(?:the|a\s+total\s+of|an|another|a\s+further|all|over|"
            rf"more\s+than)\s+)?(?:(?:following|remaining)\s+)?$", I)
        # "killed a policeman and two civilians", "killing the commander, his wife and 4 guards":
        # people named without a figure, listed between the verb and the count
        self.before_list = re.compile(
            rf"(?<!\w)(?:{before})\s+(?:(?:a|an|the|his|her|their|its|my|our|your)\s+(?:[A-Za-z0-9][\w\-'’]*\s+){{0,2}}?"
            rf"[A-Za-z][\w\-'’]*(?:\s*,\s*(?:and\s+)?|\s+and\s+)){{1,3}}(?:(?:the|another|all|his|her|their|its)\s+)?$", I)
        # "the deceased included ASI Gul Zaman, head constable Niaz Ali and three constables": named people
        # (a lower-case title, then a capitalised name) listed between the verb and the count
        self.before_names = re.compile(
            rf"(?<!\w)(?:{before})\s+(?:(?:(?:[a-z]+\s+){{0,2}}[A-Z][\w\-'’]*(?:\s+[A-Z][\w\-'’]*){{0,3}}|"
            rf"(?:a|an|the|his|her|their|its)\s+(?:[A-Za-z0-9][\w\-'’]*\s+){{0,2}}?[A-Za-z][\w\-'’]*)"
            rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)){{1,4}}(?:(?:the|another|all|his|her|their|its)\s+)?$")
        # "the bomber killed himself and 8 others"
        self.before_self = re.compile(
            rf"(?<!\w)(?:{before})\s+(?:himself|herself|themselves)\s*,?\s+(?:and|as\s+well\s+as|along\s+with)\s+$", I)
        self.adjective = {w.lower(): Outcome(e["outcome"]) for e in lex["adjectives"] for w in e["words"]}
        # a casualty adjective standing as a noun ("took the wounded to hospital", "buried the dead"): no plural
        # noun after it, by its "s" or by the lexicon's irregular plurals ("the wounded men")
        plurals = words_alternation(w for e in lex["irregular_plurals"] for w in e["words"])
        self.nominal = re.compile(rf"(?<!\w)the\s+(?P<adj>[a-z]+)\b(?!\s+(?:[a-z]+s|{plurals})\b)", I)
        # "the toll from Friday's blast has risen to", "the number of people killed in the twin blasts has risen to"
        # a count quoted as the source's phrase: 'put the number of soldiers killed at "more than 50"'
        self.toll = re.compile(rf"(?<!\w)(?:{'|'.join(e['pattern'] for e in lex['toll'])})[‘“\"']?$", I)
        # "the forces had lost more than 1,200 personnel": counts the dead only for people
        self.lost = re.compile(rf"(?<!\w)(?:{'|'.join(e['pattern'] for e in lex['lost'])})$", I)
        self.single_heads = {e["word"].lower(): Outcome(e["outcome"]) for e in lex["single_heads"]}
        # what makes "one death" no casualty: "death row", "death threats", "injury time" (the start of the next word)
        not_single = words_alternation(w for e in lex["not_single_heads"] for w in e["words"])
        self.single_head = re.compile(rf"\s+({words_alternation(self.single_heads)})\b(?![\-\s]+(?:{not_single}))", I)
        # "sentenced the four convicts to death": a sentence, not a killing
        self.sentenced = re.compile(rf"(?<!\w)(?:{_joined(lex['sentencing'])})\s+(?:the\s+|all\s+|another\s+)?$", I)
        # every cue contains one of its entry's stems: a window holding none needs no regex
        self.stems = tuple(sorted({st.lower() for section in ("after", "before", "heads", "toll", "lost")
                                   for e in lex[section] for st in e["stems"]} | set(self.single_heads)))
        self.lost_stems = tuple(sorted({st.lower() for e in lex["lost"] for st in e["stems"]}))
        # the same for the verb before the count and the toll phrase: a window without their stems skips the search
        self.before_stems = tuple(sorted({st.lower() for e in lex["before"] for st in e["stems"]}))
        self.toll_stems = tuple(sorted({st.lower() for e in lex["toll"] for st in e["stems"]}))
        self.heads = [(re.compile(rf"(?:{e['pattern']})", I), Outcome(e["outcome"])) for e in lex["heads"]]
        self.not_after = re.compile(rf"\b(?:{'|'.join(e['pattern'] for e in lex['not_after'])})\s+(?:the\s+)?$", I)
        # "a school of more than 900 pupils": the people a place holds, never its casualties
        self.population = re.compile(rf"(?<!\w)(?:{'|'.join(e['pattern'] for e in lex['population'])})\s+"
                                     rf"(?:(?:more\s+than|over|about|around|some|nearly|almost|at\s+least|roughly|"
                                     rf"an\s+estimated|up\s+to)\s+)?$", I)
        self.injury_word = re.compile(r"injur|wound|hurt", I)
        # a casualty participle right after a count describes the whole group ("two of the 12 people injured")
        self.participle = re.compile(rf"\s+(?:{_words(lex['participles'])})\b", I)
        # "Of the 19 people killed, 11 were women": the gap after the whole before its part
        whole = _words(e for e in lex["participles"] if e["whole"])
        self.whole_gap = re.compile(rf"\s+(?:(?:who\s+(?:were|was|had\s+been)|reportedly|so\s+far)\s+)?(?:{whole})"
                                    r"(?:\s+(?:in|on|at|during|since)\s+[^,.;:]{1,40})?\s*,\s*", I)
        # a count joined to a casualty count that then acts is no victim ("the other 1 blew up the car");
        # regular past tenses are read by their form, irregular ones from the lexicon (lower case only)
        self.acts = re.compile(rf"\s+(?:then\s+|later\s+|also\s+)?([a-z]+ed|{_words(lex['acts'])})\s+"
                               r"(?:the|a|an|his|her|their|its|off|up|into|on|at|fire)\b")
        # heads that "lost N" does not count as dead ("lost 40 others", "lost 12 wounded")
        self.not_lost = frozenset(w.lower() for e in lex["not_lost"] for w in e["words"])
        # what may follow another source's figure for a toll: the end of its clause or one of these words
        self.counter_after = re.compile(rf"\s*(?:[,.;:)]|$)|\s+(?:{_words(lex['counter_after'])})\b", I)


@lru_cache(maxsize=1)
def cues() -> _Cues:
    """Return the compiled casualty cue patterns (built once from the lexicon)."""
    return _Cues()


def _has_stem(s: str, stems: tuple[str, ...]) -> bool:
    for stem in stems:
        if stem in s:
            return True
    return False


def classify(text: str, q: Quantity, sent_start: int, sent_end: int,
             previous: list[tuple[Quantity, Outcome]], lowered: str | None = None) -> tuple[Outcome, str] | None:
    """Return (outcome, rule) when ``q`` counts casualties, else None.

    ``previous`` holds the casualty quantities already found earlier in the
    same sentence (for the part-of rule); ``lowered`` is ``text`` lower-cased
    (same offsets), passed in so it is computed once per text.
    """
    C = cues()
    if q.unit is not None or (q.year_like and q.head is None):
        return None
    low = text.lower() if lowered is None else lowered
    if not _has_stem(low[max(sent_start, q.start - 140):min(sent_end, q.end + 130)], C.stems):
        return _part_of(text, q, sent_end, previous)
    left = text[max(sent_start, q.start - 140):q.start]
    if C.population.search(left, max(0, len(left) - 40)):
        return None
    # a cue ends at the count and spans well under 100 characters; searching the whole 140-character
    # window costs a third more, since the $-anchored pattern is tried at every start
    before = C.before.search(left, max(0, len(left) - 100)) \
        if _has_stem(low[max(sent_start, q.start - 100):q.start], C.before_stems) else None
    tail = left[-30:]
    list_tail = before is None and _LIST_TAIL.search(left, max(0, len(left) - 16)) is not None
    if list_tail and _LIST_DET.search(left):
        before = C.before_list.search(left)
        if before is not None and C.not_victim.search(text, q.end, min(sent_end, q.end + 40)):
            before = None  # "killed the guard and 3 others fled"
    if before is None and "sel" in tail:
        before = C.before_self.search(left)
    if before is None and list_tail and _HAS_NAME.search(left):
        before = C.before_names.search(left)
        if before is not None and C.not_victim.search(text, q.end, min(sent_end, q.end + 40)):
            before = None
    # 1. casualty word after the count (a verb right before the count wins over one reached
    #    across a parenthesis or a coordination: "killed 6 soldiers and another were injured")
    # '"several people" have been killed': a count quoted as a phrase takes the verb after the closing mark
    at = q.end + 1 if q.end < sent_end and text[q.end] in "”\"’'" and q.start > 0 and text[q.start - 1] in "“\"‘'" \
        else q.end
    m = C.after.match(text, at, sent_end)
    if m is None and q.head is None and not q.partitive and before is None:
        m = C.after_loose.match(text, at, sent_end)
        if m is not None and _has_stem(low[max(sent_start, q.start - 140):q.start], C.toll_stems) \
                and C.toll.search(left):
            m = None  # "the death toll has risen to 13 after two of the injured died": a toll of 13 dead
    if m is not None and _TO_THE.match(text, q.generic_end if q.head is None and q.generic_end > at else at):
        m = None  # "50,000 dinars to each of the injured": the casualties receive the count, it does not count them
    if m is not None and "death" in m.group(0).lower() and C.sentenced.search(left):
        m = None  # "sentenced the four convicts to death": a sentence, not a killing
    if m is not None and q.head is not None and m.group(0).lstrip().startswith(",") \
            and any(rx.fullmatch(q.head) for rx, _ in C.heads):
        m = None  # "Two dead, four hurt": the count's own noun says what it counts; "hurt" is the next count's
    if m is not None and not (before is not None and m.groupdict().get("paren")):
        idx = _which(m, "a")
        outcome, active = C.after_info[idx]
        subject = (q.subject or "").lower()
        if C.after_weak[idx] and " " in subject and C.adjective.get(subject.split(" ", 1)[0]) is not None:
            pass  # "two dead drivers were taken to hospital": the noun's own adjective says what they are
        elif not (active and C.object.match(text, m.end(), sent_end)):
            return outcome, "casualty.verb-after"
    # 2. casualty verb or toll right before the count
    m = before
    if m is None and q.head is not None and q.head not in C.not_lost and _has_stem(tail.lower(), C.lost_stems) \
            and C.lost.search(left):
        return Outcome.KILLED, "casualty.verb-before"  # "the forces had lost more than 1,200 personnel"
    if m is not None and C.before_needs_people[_which(m, "b")] and q.head is None:
        m = None
    if m is not None:
        rule = "casualty.toll" if "toll" in m.group(0).lower() else "casualty.verb-before"
        return C.before_info[_which(m, "b")], rule
    m = C.toll.search(left) if _has_stem(low[max(sent_start, q.start - 140):q.start], C.toll_stems) else None
    if m is not None:
        return (Outcome.INJURED if C.injury_word.search(m.group(0)) else Outcome.KILLED), "casualty.toll"
    # 3. the counted noun names the casualties ("one death", "a single fatality": the singular head)
    if q.head is None and q.low == 1 and q.high == 1:
        m = C.single_head.match(text, q.end, sent_end)
        if m is not None and not C.not_after.search(left):
            q.end, q.subject = m.end(), m.group(1)  # the noun is the subject, so the quote takes it
            return C.single_heads[m.group(1).lower()], "casualty.head-noun"
    if q.head is not None or q.subject:
        head_text = (q.subject or "").lower()
        # a casualty adjective before the noun: "the two wounded soldiers", "five dead militants"
        adjective = C.adjective.get(head_text.split(" ", 1)[0]) if " " in head_text else None
        if adjective is not None and not C.not_after.search(left):
            return adjective, "casualty.head-noun"
        for rx, outcome in C.heads:
            if rx.fullmatch(q.head or "") or rx.fullmatch(head_text):
                # "evacuated 15 of the wounded": a part of the casualties, whatever was done to them
                if C.not_after.search(left) and not (q.partitive and head_text in C.adjective):
                    return None
                return outcome, "casualty.head-noun"
    return _part_of(text, q, sent_end, previous)


def _part_of(text: str, q: Quantity, sent_end: int,
             previous: list[tuple[Quantity, Outcome]]) -> tuple[Outcome, str] | None:
    """Give ``q`` the outcome of a casualty count it is joined to (``including 132 children``)."""
    if previous:
        C = cues()
        pq, pout = previous[-1]
        between = text[pq.end:q.start]
        # a casualty word in between only allows an explicit part marker ("27 dead, including 8 children"),
        # not a plain "and" ("one was shot dead and the other 2 fled")
        of_them = q.partitive and q.subject is None  # "2 of them critically"
        # "Of the 19 people killed, 11 were women": the count after the comma is a part of the whole
        of_the_whole = (len(between) <= 60 and "," in between and C.whole_gap.fullmatch(between) is not None
                        and _OF_THE.search(text, max(0, pq.start - 14), pq.start) is not None
                        and _IS_AFTER.match(text, q.end) is not None)
        if of_the_whole:
            return pout, "casualty.part-of"
        if len(between) <= 100 and (not C.cue_word.search(between) or C.part_marker.search(between) or of_them) \
                and _CONNECT.match(between) and not C.not_victim.search(text, q.end, min(sent_end, q.end + 40)):
            # "one was shot dead and the other 1 detonated the bomb": a count that acts is no victim
            m = C.acts.match(text, q.end, sent_end)
            if m is None or C.cue_word.fullmatch(m.group(1)):
                return pout, "casualty.part-of"
    return None


_OF_THE = re.compile(r"(?<!\w)(?:of|among)\s+(?:the|those)\s+$", I)
_IS_AFTER = re.compile(r"\s+(?:were|was|are|is)\s", I)
_HAS_NAME = re.compile(r"\s[A-Z][a-z]")
_LIST_TAIL = re.compile(r"(?:,|\band)\s+(?:(?:the|another|all|his|her|their|its)\s+)?$", I)
_LIST_DET = re.compile(r"(?<!\w)(?:a|an|the|his|her|their|its|my|our|your)\s+[^.;:!?]{1,60}(?:,|\band)\s+"
                       r"(?:(?:the|another|all|his|her|their|its)\s+)?$", I)
_LIST_GAP = re.compile(r"\s*(?:,|,?\s+and|&)?\s*", I)


def is_list_gap(gap: str) -> bool:
    """Whether ``gap`` only separates members of one list ("37 militants, 6 soldiers killed")."""
    return len(gap) <= 8 and bool(gap.strip()) and _LIST_GAP.fullmatch(gap) is not None


_PARTITIVE_GAP = re.compile(r"\s+of\s+(?:the\s+|those\s+|these\s+)?", I)


def is_partitive_gap(gap: str) -> bool:
    """Whether ``gap`` makes the count before it a part of the count after it ("three of the 40 passengers")."""
    return _PARTITIVE_GAP.fullmatch(gap) is not None


def is_participle_after(text: str, pos: int) -> bool:
    """Whether a casualty participle follows ``pos`` directly ("4 children injured"): it describes the whole group."""
    return cues().participle.match(text, pos) is not None


# "the army said 40 rebels were killed, while the rebels claimed 120": another party's figure for the same toll
_COUNTER_GAP = re.compile(r"(?:;|,\s*(?:while|but|whereas)\b|\s(?:but|whereas)\s)", I)
_COUNTER_BEFORE = re.compile(r"(?<![\w-])(?P<v>[a-z]+)\s+(?:(?:the|its|their)\s+(?:figure|toll|number)\s+at\s+|it\s+at\s+)?$", I)


def counter_claim(text: str, total: Quantity, q: Quantity) -> bool:
    """Whether bare ``q``, later in the sentence of casualty count ``total``, is another source's figure for it.

    A contrast (``while``, ``but``, a semicolon) separates them, a reporting verb of the lexicon's
    (``claimed``, ``said``, ``put the figure at``) stands right before ``q``, ``q`` ends its clause and is of
    the same order of size: "40 rebels were killed, while the rebels claimed 120".
    """
    if q.subject is not None or q.unit is not None or q.year_like or q.partitive or q.generic_noun is not None:
        return False
    if not _COUNTER_GAP.search(text, total.end, q.start) or not cues().counter_after.match(text, q.end):
        return False
    m = _COUNTER_BEFORE.search(text, max(total.end, q.start - 40), q.start)
    if m is None:
        return False
    from claims.extract.attribution import lex as attribution_lex  # the reporting verbs are attribution's cue words
    if attribution_lex().roles.get(m.group("v").lower()) not in ("speech", "states"):
        return False
    a = total.high if total.high is not None else total.low
    b = q.high if q.high is not None else q.low
    return bool(a and b) and 1 / 20 <= b / a <= 20


# "revised the toll to 11, down from the 14 first reported", "253, down from an earlier total of 359": the count a
# casualty count replaced, right after it
_UP_FROM = (r"(?:up|down)\s+from\s+(?:(?:the|an?)\s+(?:(?:earlier|initial|previous|original|first|"
            r"official|reported)\s+)?(?:(?:total|toll|figure|count|number|tally)\s+of\s+)?)?$")
_EARLIER_BEFORE = re.compile(rf"^\s*,?\s*{_UP_FROM}", I)
# "22 soldiers were killed in the operation, up from the 19": the count's own verb phrase before the comma
_EARLIER_VERB = re.compile(rf"^(?P<verb>[^.;:!?\d,\"“”()]{{1,70}}?),\s*{_UP_FROM}", I)
# "the 19 it announced": the source that gave the earlier figure, by a pronoun, before its reporting verb
_EARLIER_AFTER = re.compile(r"\s*(?:[,.;:)]|$)|\s+(?:(?:it|they|he|she|we)\s+(?:had\s+)?)?"
                            r"(?:(?:first|initially|originally|earlier|previously)\s+)?"
                            r"(?:reported|given|gave|announced|stated|cited)\b|\s+(?:on|in|last|earlier)\b", I)
# "the 14 first reported": a figure whose own (unnamed) reporter the participle names
_REPORTED_AFTER = re.compile(r"\s+(?:(?:first|initially|originally|earlier|previously)\s+)?(?:reported|given|announced)\b"
                             r"(?!\s+by\b)", I)


def earlier_value(text: str, total: Quantity, q: Quantity) -> bool:
    """Whether bare ``q`` is the earlier figure that casualty count ``total`` replaced, right after it ("the death
    toll was revised to 11, down from the 14 first reported"; "was 253, down from an earlier total of 359"), of
    the same order of size."""
    if q.subject is not None or q.unit is not None or q.year_like or q.partitive or q.start <= total.end:
        return False
    gap = text[total.end:q.start]
    if not _EARLIER_AFTER.match(text, q.end):
        return False
    if not _EARLIER_BEFORE.match(gap):
        m = _EARLIER_VERB.match(gap)
        if m is None or not cues().cue_word.search(m.group("verb")):
            return False
    a = total.high if total.high is not None else total.low
    b = q.high if q.high is not None else q.low
    return bool(a and b) and a != b and 1 / 20 <= b / a <= 20


# "18 had died, then 27, now 31", "rose to 27 on Tuesday, and then to 31": the figures that followed a count
_LATER_BEFORE = re.compile(r"^[^.;:!?\n\"“”]{0,30}?,\s*(?:and\s+)?(?:then|now|later)\s+(?:(?:to|at|rose\s+to|reached)\s+)?$", I)
_LATER_AFTER = re.compile(r"\s*(?:[,.;:)\"”]|$)|\s+(?:on|in|by|after|when|as)\b", I)


def later_value(text: str, last: Quantity, q: Quantity) -> bool:
    """Whether bare ``q`` is a later figure of casualty count ``last`` before it in its sentence ("We were told
    18 had died, then 27, now 31"; "The toll rose to 27 on Tuesday, and then to 31"), of the same order of size:
    "then" or "now" after a comma and no noun of its own."""
    if q.subject is not None or q.unit is not None or q.year_like or q.partitive or q.start <= last.end:
        return False
    if not _LATER_BEFORE.match(text[last.end:q.start]) or not _LATER_AFTER.match(text, q.end):
        return False
    a = last.high if last.high is not None else last.low
    b = q.high if q.high is not None else q.low
    return bool(a and b) and a != b and 1 / 20 <= b / a <= 20


# "Fourteen people were killed, 12 police officers and two civilians": the verb phrase between a casualty count and
# the parts set off after it by a comma (no figure, no clause break, no part marker: those have rules of their own)
_APPOSED_GAP = re.compile(r"[^.;:!?\d\"“”()\[\]]{1,70}?,\s*", I)
# what closes the list of parts: the sentence, a colon or dash opening who they were, a comma before the source or
# another clause
_APPOSED_END = re.compile(r"\s*(?:[.;:!?)]|[-–—]|,\s+(?:and|but|while|according\s+to|"
                          r"(?:[\w\-]+\s+){0,6}(?:said|says|told|added)\b)|$)", I)


def noun_end(q: Quantity) -> int:
    """Return where ``q``'s counted noun ends: its subject's end, else that of a noun the people list lacks."""
    return q.end if q.subject is not None else max(q.end, q.generic_end)


def apposed_parts(text: str, total: Quantity, parts: list[Quantity]) -> bool:
    """Whether ``parts``, listed right after casualty count ``total``'s verb and a comma, are its parts.

    "Fourteen people were killed, 12 police officers and two civilians, according to police": the gap holds a
    casualty word and no other figure, each part names what it counts ("12 police officers", "three cooks"; not a
    bare "12"), the list closes the clause, and the parts add up to the total exactly: a list that does not is no
    breakdown of it.
    """
    if len(parts) < 2 or total.low is None or total.low != total.high or total.approximate or total.vague \
            or total.unit is not None or total.partitive or total.year_like:
        return False
    gap = text[total.end:parts[0].start]
    if not _APPOSED_GAP.fullmatch(gap) or "," in gap.rstrip().rstrip(",") or not cues().cue_word.search(gap) \
            or cues().part_marker.search(gap):
        return False
    if any(not is_list_gap(text[noun_end(a):b.start]) for a, b in zip(parts, parts[1:])):
        return False
    if any((p.subject is None and p.generic_noun is None) or p.low is None or p.low != p.high or p.approximate
           or p.vague or p.unit is not None or p.partitive or p.year_like for p in parts):
        return False
    return _APPOSED_END.match(text, noun_end(parts[-1])) is not None and sum(p.low for p in parts) == total.low


def reported_by_another(text: str, end: int) -> bool:
    """Whether the figure ending at ``end`` is one "first reported" by someone the text leaves unnamed."""
    return _REPORTED_AFTER.match(text, end) is not None


# "the other nine were teachers": the rest of a group of casualties counted just before, who they were
_REST_BEFORE = re.compile(r"(?:^|[\s;,(])the\s+(?:other|remaining)\s+$", I)
_REST_AFTER = re.compile(r"\s+(?:were|was)\s+(?:(?:all|mostly|mainly|largely)\s+)?(?P<noun>[a-z][\w\-]*)\b", I)


def remainder(text: str, total: Quantity, q: Quantity) -> bool:
    """Whether bare ``q`` is the rest of the casualties counted by ``total`` just before it, in its paragraph:
    "141 killed, including 132 children; the other nine were teachers", "Of the dead, 132 were children. The
    other nine were teachers": ``the other``/``the remaining`` before it and a people noun after ``were``
    ("the other nine were captured" says what befell them, not who they were)."""
    if q.subject is not None or q.unit is not None or q.year_like or q.partitive:
        return False
    if q.start - total.end > 250 or "\n" in text[total.end:q.start]:
        return False
    if not _REST_BEFORE.search(text, max(0, q.start - 16), q.start):
        return False
    m = _REST_AFTER.match(text, q.end)
    from claims.extract.quantities import patterns  # the people nouns
    return m is not None and m.group("noun").lower() in patterns().heads


_TO_THE = re.compile(r"\s*to\s+(?:each\s+of\s+)?the\s", I)
_OF_THEM_AFTER = re.compile(r"\s+of\s+them\b", I)
_PLURAL_WORD = re.compile(r"(?<!\w)[a-z][a-z\-]{2,}s\b", I)


def of_them(text: str, q: Quantity, total: tuple[Quantity, Outcome] | None,
            before: Quantity | None = None) -> Outcome | None:
    """Return the outcome of the casualties "them" means in ``q`` ("N of them"), else None.

    "Ambulances took the wounded to the city hospital. An official said 12 of them were in surgery", "The
    report documents 2,870 civilian deaths ... It attributes 1,910 of them to the Front": the last casualty
    count (``total``) or casualty adjective standing as a noun before it in its paragraph, within 250
    characters, with no people noun or counted people (``before``, the count just before ``q``) after it that
    "them" could mean instead."""
    if not q.partitive or q.subject is not None or q.unit is not None or not _OF_THEM_AFTER.match(text, q.num_end):
        return None
    lo = max(0, q.start - 250, text.rfind("\n", 0, q.start) + 1)
    C = cues()
    best, outcome = -1, None
    for m in C.nominal.finditer(text, lo, q.start):
        o = C.adjective.get(m.group("adj").lower())
        if o is not None and m.end() > best:
            best, outcome = m.end(), o
    if total is not None and lo <= total[0].start and total[0].end <= q.start and total[0].end > best:
        best, outcome = total[0].end, total[1]
    if outcome is None:
        return None
    from claims.extract.quantities import patterns  # the people nouns
    heads = patterns().heads
    if before is not None and before is not (total[0] if total else None) and before.start >= best \
            and before.subject is not None:
        return None  # "Police detained 300 men. 12 of them were released": the nearer count is who "them" means
    if any(w.group(0).lower() in heads for w in _PLURAL_WORD.finditer(text, best, q.start)):
        return None  # "took the wounded to hospital, where 40 doctors ... 12 of them": "them" may mean the doctors
    return outcome


# "38 people who were injured": a relative clause with a casualty participle of its own
_RELATIVE_CASUALTY = re.compile(r"\s*,?\s+(?:who|that)\s+(?:were|was|had\s+been|have\s+been|are)\s+(?:\w+ly\s+)?"
                                r"(?P<p>[a-z]+)\b", I)


def relative_then_verb(text: str, pos: int, end: int) -> Outcome | None:
    """Return the outcome of a part ("Three of" / "Two of") of the count ending at ``pos`` when a relative clause
    with a casualty participle of its own follows it, else None: the main verb's ("[38 people] who were injured
    in the blast have died": killed), or without one the clause's ("[12 people] who were wounded were
    children": injured); the count itself keeps the clause's outcome."""
    m = _RELATIVE_CASUALTY.match(text, pos, end)
    own = cues().adjective.get(m.group("p").lower()) if m is not None else None
    if own is None:
        return None
    v = cues().after.match(text, m.end(), end)
    return own if v is None else cues().after_info[_which(v, "a")][0]


def _which(m: re.Match, prefix: str) -> int:
    if m.lastgroup and m.lastgroup.startswith(prefix) and m.lastgroup[1:].isdigit():
        return int(m.lastgroup[1:])
    for name, value in m.groupdict().items():
        if value is not None and name.startswith(prefix) and name[1:].isdigit():
            return int(name[1:])
    raise AssertionError("no cue group matched")
