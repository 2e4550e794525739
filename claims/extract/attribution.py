"""Attribution: who the text says a figure comes from.

For each sentence the finder looks for explicit sources: ``according to X``,
``citing X``, ``X said`` / ``X told`` / ``X has confirmed``, ``said X``.
A pronoun or a bare title (``He added``, ``The minister said``) points back
at the last named source; sentences inside a quotation take the speaker
named where the quotation closes or opens. A claim takes the source nearest
to it in its sentence, else null.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from claims.extract.lexicon import load, words_alternation
from claims.extract.numbers import ascii_lower

I = re.IGNORECASE
_TOKEN = re.compile(r"[A-Za-z0-9][\w'’.\-&]*|[^\w\s]")
_CONNECTORS = frozenset({"of", "the", "for", "and", "in", "'s", "’s", "de", "al", "bin", "ul", "ur", "e"})
_LEADING_JUNK = frozenset({"the", "a", "an", "of", "for", "and", "in", "but", "while", "as", "so", "also",
                           "meanwhile", "however", "earlier", "later", "separately", "then"})
_SENTENCE_OPENERS = frozenset({"the", "a", "an", "in", "on", "at", "meanwhile", "however", "but", "and",
                               "earlier", "later", "separately", "also", "last", "this", "on", "after",
                               "then", "yesterday", "today", "officials"})
_NOT_SPEECH_AFTER = re.compile(r"\s+(?:responsibility|the\s+lives|lives|credit|victory|control|"
                               r"the\s+attack|to\s+have\s+killed|ownership)", I)

_ARTICLES = frozenset(("a", "an", "the", "A", "An", "The"))
_PLACE_TIME_OPENERS = frozenset("in on at from for with during near since by until".split())
_ARTICLE_SPEAKER = re.compile(r"(?:^|[,;:—–])\s*((?:a|an|one|another)\s+(?:[a-z][\w\-]*\s+){0,2}([a-z][\w\-]*))\s*$")
_FIRST_PERSON = frozenset("i we you us our my me".split())
_SAYING = re.compile(r",\s+saying\b", I)
_HEADLINE_SOURCE = re.compile(r":\s*(?P<name>(?:[A-Z][\w\-’'.]*|police|officials|army|military)(?:\s+[A-Z][\w\-’'.]*){0,4})$")
_MADE_BY = re.compile(r"^(?:a|an|the)?\s*(?:\w+\s+){0,3}?(?:tally|count|figures|data|report|records|list|toll|statement)\s+"
                      r"(?:compiled|released|issued|published|prepared|provided|kept|maintained|collected|gathered)"
                      r"\s+by\s+(.+)$", I)
_ENDS_DOTTED = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}$")
_PASSIVE_AFTER = re.compile(r"\s+(?:at\s|to\s+(?:be|have|number|total|include|comprise)\b)", I)
_PASSIVE_BEFORE = re.compile(r"(?:,|\b(?:is|are|was|were|be|been|being))\s*$", I)


class _Lex:
    def __init__(self) -> None:
        lex = load("attribution.json")
        verbs = [e["word"] for e in lex["verbs"]]
        # (?<!\w) rather than \b before the word: the same test, but it lets the engine skip ahead to a
        # possible first letter, which makes this per-sentence scan about a third faster
        self.verb = re.compile(rf"(?<!\w)(?P<v>{words_alternation(verbs)})\b", I)
        stems = {v.lower()[:5] for v in verbs} | {e["phrase"].lower()[:6] for e in lex["prepositions"]}
        # short words also occur inside others ("per" in "operation"): look for them spaced
        stems = {f" {w} " if len(w) <= 3 else w for w in stems}
        stems.add("saying")  # "The TTP claimed responsibility, saying ...": the sentence's subject speaks
        self.stems = tuple(sorted(w for w in stems if not any(o != w and o in w for o in stems)))
        preps = [e["phrase"] for e in lex["prepositions"]]
        # "according to a U.N. report": an abbreviation's full stops do not end the name
        self.prep = re.compile(rf"(?<!\w)(?:{words_alternation(preps)})\s+(?P<np>(?:(?:[A-Z]\.){{2,}}|[^,.;:!?()\"“”]){{1,90}})", I)
        self.pronouns = {e["word"].lower() for e in lex["pronouns"]}
        self.source_nouns = {w.lower() for e in lex["source_nouns"] for w in e["words"]}
        self.titles = {w.lower() for e in lex["titles"] for w in e["words"]}
        self.np_stop = re.compile(r"\s+(?:that|who|which|when|while|after|as|because|since|on|in|at|"
                                  r"there|said|says|told|were|was|is|are|has|have|had|last|this|the\s+attack|to\s+(?:number|be|have|total)|"
                                  # "according to a UN report released in May": the participle ends the name
                                  r"released|published|issued|compiled|prepared|seen|obtained|dated|shared|posted|"
                                  r"submitted|presented|circulated|leaked|carried|aired|broadcast)\b.*$", I)


@lru_cache(maxsize=1)
def lex() -> _Lex:
    """Return the compiled attribution cues (built once from the lexicon)."""
    return _Lex()


class Source:
    """A source mention in a sentence: its position and name, or a pointer back (``refers_back``)."""

    __slots__ = ("pos", "name", "refers_back")

    def __init__(self, pos: int, name: str | None, refers_back: bool = False):
        self.pos, self.name, self.refers_back = pos, name, refers_back


_DOCUMENT_FOR = re.compile(
    r"\b((?:[A-Z][\w\-]*\s+)*(?:report|study|assessment|survey|statement|document|review|analysis|audit|"
    r"dossier|tally)\s+(?:prepared|compiled|published|released|submitted|commissioned|issued|written|produced)"
    r"\s+(?:for|by|to)\s+(?:the\s+)?)$", re.IGNORECASE)
_AUXILIARIES = frozenset("has have had also further later earlier reportedly separately".split())
_NOT_MODIFIER = frozenset((
    "the a an and or but that which who whom in on at of for to with by from as after before when while "
    "was were is are be been has have had said says say also it he she they we you there this these those "
    "its their his her our than then so if not no more most some many all both each other such attack "
    "blast bombing explosion killed dead injured wounded people").split())


def _accept(tok: str, L: _Lex) -> bool:
    low = tok.lower()
    if low.endswith(("'s", "’s")):
        low = low[:-2]
    if low in L.source_nouns or low in _CONNECTORS:
        return True
    if tok[0].isupper() or tok[0].isdigit() and any(c.isalpha() for c in tok):
        return True
    return False


def _clean(words: list[str]) -> str | None:
    while words and words[0].lower() in _LEADING_JUNK:
        words = words[1:]
    while words and words[-1].lower() in _CONNECTORS:
        words = words[:-1]
    if not words:
        return None
    name = " ".join(words)
    name = re.sub(r"\s+(['’]s)\b", r"\1", name)
    name = name.strip(" -")
    if not _ENDS_DOTTED.search(name):  # "The U.K. said": keep the abbreviation's last full stop
        name = name.rstrip(" .-")
    return name or None


def _np_before(text: str, start: int, end: int, L: _Lex) -> Source | None:
    """Walk back from ``end`` over name-like words to find the source noun phrase."""
    left = text[max(start, end - 120):end]
    toks = _TOKEN.findall(left)
    if not toks:
        return None
    while toks and toks[-1].lower() in _AUXILIARIES:
        toks.pop()  # "TTP spokesperson has also confirmed"
    if not toks:
        return None
    last = toks[-1].lower()
    if last in L.pronouns:
        return Source(end, None, True)
    # "A police official, who spoke on condition of anonymity, said": skip the relative clause
    if toks[-1] == "," and "," in toks[-16:-1]:
        k = len(toks) - 2 - toks[-2::-1].index(",")
        if k + 1 < len(toks) and toks[k + 1].lower() in ("who", "which", "whose", "speaking", "requesting", "asking"):
            toks = toks[:k]
            if not toks:
                return None
    # "A local councillor, Ilse Brandt, said": the name before an appositive's closing comma
    if toks[-1] == "," and len(toks) >= 2 and toks[-2][:1].isupper():
        toks = toks[:-1]
    # "the Inter-Services Public Relations (ISPR) said": keep the acronym, walk on before it
    acronym = ""
    if toks and toks[-1] == ")" and "(" in toks[-6:]:
        k = len(toks) - 1 - toks[::-1].index("(")
        inner = [t for t in toks[k + 1:-1] if t[0].isalnum()]
        if inner:
            acronym = " (" + " ".join(inner) + ")"
        toks = toks[:k]
        if not toks:
            return _source(end, inner, L) if inner else None
    words: list[str] = []
    loose = 0
    stop = -1  # index of the punctuation the walk stopped at
    for k in range(len(toks) - 1, -1, -1):
        tok = toks[k]
        if not tok[0].isalnum():
            if tok in ("'", "’") and words:
                continue
            stop = k
            break
        if len(words) >= 8:
            break
        # "residents and a local official said": two sources joined, the article between them kept
        if words and tok in _ARTICLES and k >= 2 and toks[k - 1] == "and" \
                and _accept(toks[k - 2], L) and toks[k - 2].lower() not in _CONNECTORS:
            words.insert(0, tok)
            continue
        if not _accept(tok, L):
            # lower-case modifiers of a source noun: "the provincial health department said"
            if words and loose < 2 and tok.lower() not in _NOT_MODIFIER and tok.isalpha() \
                    and not tok.lower().endswith(("ed", "ing", "ly")):
                loose += 1
                words.insert(0, tok)
                continue
            break
        words.insert(0, tok)
    if words and words[0].lower() in ("the", "a", "an") and stop >= 2 and toks[stop] == ",":
        # "Dr. Karim Osei, the medical superintendent of the hospital, said": the name, not its description
        name = []
        for tok in reversed(toks[max(0, stop - 5):stop]):
            if not (tok[:1].isupper() and tok[0].isalpha()):
                break
            name.insert(0, tok)
        # "In Quetta, the home department said": a place or time opening the sentence is no speaker
        if name and name[0].lower() in _SENTENCE_OPENERS | _PLACE_TIME_OPENERS:
            name = []
        if len(name) >= 2:
            words = name
    if not words and (len(left) < 45 or left.rfind(",", len(left) - 45) >= 0):
        # "..., a local priest told Radio Cordillera": a described speaker after the clause it reports
        m = _ARTICLE_SPEAKER.search(left)
        if m is not None and m.group(2).lower() not in _NOT_MODIFIER:
            words = m.group(1).split()
    src = _source(end, words, L)
    if src is not None and src.name and not src.refers_back:
        # "a report prepared for the UN Security Council says": the document is the source
        first = left.rfind(src.name.split()[0])
        doc = _DOCUMENT_FOR.search(left, 0, first) if first > 0 else None
        if doc:
            src.name = re.sub(r"^(?:a|an|the)\s+", "", " ".join((doc.group(1) + " " + src.name).split()), flags=re.I)
    if src is not None and acronym and src.name:
        src.name += acronym
    elif src is None and acronym:
        src = _source(end, acronym.strip(" ()").split(), L)
    return src


def _source(pos: int, words: list[str], L: _Lex) -> Source | None:
    definite = bool(words) and words[0].lower() == "the"
    name = _clean(words)
    if not name or name.lower() in _FIRST_PERSON:
        return None  # "“We counted 41 bodies,” said X": the speaker is named outside the quotation
    # "The minister added ...": a bare title points back at the last named source
    if definite and all(w.lower() in L.titles for w in name.split()):
        return Source(pos, name, True)
    return Source(pos, name)


def _np_after(text: str, pos: int, end: int, L: _Lex) -> Source | None:
    right = text[pos:min(end, pos + 120)]
    toks = _TOKEN.findall(right)
    if toks and toks[0].lower() in L.pronouns:
        return Source(pos, None, True)
    words: list[str] = []
    for tok in toks:
        if not tok[0].isalnum() or not (_accept(tok, L) or tok.lower() in ("a", "an")) or len(words) >= 8:
            break
        words.append(tok)
    # "said the group's spokesman, Qari Abdul Wahid": a described speaker named in apposition
    n = len(words)
    if n and words[0].lower() in ("the", "a", "an") and n + 2 < len(toks) and toks[n] == ",":
        name = []
        for tok in toks[n + 1:n + 6]:
            if not (tok[:1].isupper() and tok[0].isalpha()):
                break
            name.append(tok)
        if len(name) >= 2 and (n + 1 + len(name) == len(toks) or not toks[n + 1 + len(name)][0].isalnum()):
            return _source(pos, name, L)
    return _source(pos, words, L)


def sentence_sources(text: str, start: int, end: int) -> list[Source]:
    """Return the source mentions in the sentence ``text[start:end]``."""
    L = lex()
    out: list[Source] = []
    # a headline naming its source after a colon: "Seven soldiers martyred in ambush: ISPR"
    if end - start < 200 and text.find(":", max(start, end - 45), end) >= 0:
        line = text[start:end].rstrip()
        if line and line[-1] not in ".!?\"”’)":
            h = _HEADLINE_SOURCE.search(line)
            if h is not None:
                out.append(Source(start + h.start("name"), h.group("name")))
    # "The TTP claimed responsibility, saying its fighters had killed 16 soldiers": the subject speaks
    m = _SAYING.search(text, start, end) if text.find("saying", start, end) >= 0 else None
    if m is not None:
        src = _np_after(text, start, m.start(), L)
        if src is not None and (src.refers_back or src.name):
            out.append(Source(m.start(), src.name, src.refers_back))
    for m in L.prep.finditer(text, start, end):
        raw = m.group("np")
        # "according to a tally compiled by the local press club": the compiler is the source
        by = _MADE_BY.match(raw) if " by " in raw else None
        np = L.np_stop.sub("", by.group(1) if by else raw).strip()
        words = np.split()
        name = _clean(words[:8])
        if name:
            out.append(Source(m.start(), name))
    for m in L.verb.finditer(text, start, end):
        if m.group("v").lower() in ("claimed", "claims", "put") and _NOT_SPEECH_AFTER.match(text, m.end()):
            continue
        if text.startswith((" at ", " to "), m.end()) and _PASSIVE_AFTER.match(text, m.end()) \
                and _PASSIVE_BEFORE.search(text, max(start, m.start() - 12), m.start()) \
                and (m.group("v").lower().startswith("estimat") or not text.startswith(" at", m.end())):
            continue  # "rebels, estimated at 1,500", "the group is said to have 500 fighters": nobody speaks
        src = _np_before(text, start, m.start(), L)
        if src is None:
            # inverted: '..., said Ali Khan' / '“...,” said the police chief'
            before = text[max(start, m.start() - 3):m.start()]
            if re.search(r"[,”\"’]\s*$", before) or m.start() == start:
                src = _np_after(text, m.end(), end, L)
        if src is not None:
            out.append(src)
    return out




_LOOKBACK = 40  # sentences a pronoun or title may reach back for its speaker
_MAX_CHAIN = 6  # "He said ... He added ... He said ...": how many pointers back are followed
_MARKS = re.compile(r"[“”\"\n]")


def attribute(text: str, spans: list[tuple[int, int]], wanted: set[int]) -> dict[int, list[tuple[int, str]]]:
    """Return the source mentions (position, name) of each sentence index in ``wanted`` that has any.

    Sources are resolved in text order so that pronouns and titles point at
    the last named source before them. Linear in the text: reporting cues and
    quotation marks are each found by one scan.
    """
    if not wanted:
        return {}
    limit = min(len(spans), max(wanted) + 9)
    stop = spans[limit - 1][1]
    starts = [a for a, _ in spans[:limit]]
    L = lex()
    lowered = ascii_lower(text[:stop])
    hits = set()
    for stem in L.stems:
        p = lowered.find(stem)
        while p >= 0:
            hits.add(bisect_right(starts, p) - 1)
            p = lowered.find(stem, p + 1)
    # a headline may name its source after a colon ("... ambush: ISPR"): colons are rare, so scan for them
    p = text.find(":", 0, stop)
    while p >= 0:
        i = bisect_right(starts, p) - 1
        if i in wanted and spans[i][1] - p <= 45 and spans[i][1] - spans[i][0] < 200:
            hits.add(i)
        p = text.find(":", p + 1, stop)
    # does each sentence start inside a quotation? (a paragraph break closes any open quotation)
    inside: list[bool] = []
    marks = [(m.start(), m.group(0)) for m in _MARKS.finditer(text, 0, stop)]
    depth, k = 0, 0
    for a, b in spans[:limit]:
        for bound, record in ((a, True), (b, False)):
            while k < len(marks) and marks[k][0] < bound:
                ch = marks[k][1]
                if ch == "\n":
                    depth = 0
                elif ch == "“":
                    depth += 1
                elif ch == "”":
                    depth = max(0, depth - 1)
                else:
                    depth = depth - 1 if depth > 0 else 1
                k += 1
            if record:
                inside.append(depth > 0 or text.startswith(("“", '"'), a))
    # sources are read lazily: only sentences with figures, and those a pronoun or title points back to
    raw: dict[int, list[Source]] = {}
    resolved: dict[int, list[tuple[int, str]]] = {}

    def sources_of(j: int) -> list[Source]:
        found = raw.get(j)
        if found is None:
            found = raw[j] = sentence_sources(text, spans[j][0], spans[j][1]) if j in hits else []
        return found

    def named_before(i: int, pos: int, depth: int) -> str | None:
        """Return the last named source before ``pos`` in sentence ``i`` or the sentences before it."""
        for src in reversed(sources_of(i)):
            if src.pos < pos and src.name and not src.refers_back:
                return src.name
        if depth >= _MAX_CHAIN:
            return None
        for j in range(i - 1, max(-1, i - _LOOKBACK), -1):
            if j in hits:
                names = resolve(j, depth + 1)
                if names:
                    return names[-1][1]
        return None

    def resolve(j: int, depth: int = 0) -> list[tuple[int, str]]:
        names = resolved.get(j)
        if names is not None:
            return names
        names = []
        for src in sources_of(j):
            if src.refers_back:
                prev = named_before(j, src.pos, depth)
                if src.name and prev:
                    # "The Chief Minister added" continues a named minister's statement, not anyone's
                    shared = {w.lower() for w in src.name.split()} & {w.lower() for w in prev.split()}
                    name = prev if shared else src.name
                else:
                    name = prev or src.name
            else:
                name = src.name
            if name:
                names.append((src.pos, name))
        if depth == 0 or names:
            resolved[j] = names  # a result cut short by the chain limit is not cached
        return names

    out: dict[int, list[tuple[int, str]]] = {}
    for i in sorted(wanted):
        names = resolve(i) if i in hits else []
        if names:
            out[i] = names
        elif i < len(inside) and inside[i]:
            # a sentence inside a quotation takes the speaker named where it closes (or opened)
            for j in list(range(i + 1, min(limit, i + 6))) + list(range(i - 1, max(-1, i - 4), -1)):
                if j in hits and (inside[j] or j < i):
                    names_j = resolve(j)
                    if names_j:
                        out[i] = [(spans[i][0], names_j[-1][1] if j > i else names_j[0][1])]
                        break
    return out


# A contrast between a figure and the next source starts that source's own statement:
# "Officials put the toll at 31, while the rebels said nine had died".
_CONTRAST = re.compile(r"[;]|,\s*(?:while|but|whereas|although|though|even\s+as)\b|\s(?:but|whereas)\s", I)


class Nearest:
    """Find the source mention that governs a position in one sentence (binary search).

    The nearest mention wins, ties to the one before the figure, except that a
    figure followed by a contrast ("..., while", "..., but", ";") before the next
    mention belongs to the mention before it: the next one opens another clause.
    """

    __slots__ = ("positions", "names", "text")

    def __init__(self, mentions: list[tuple[int, str]], text: str | None = None):
        mentions = sorted(mentions)
        self.positions = [p for p, _ in mentions]
        self.names = [n for _, n in mentions]
        self.text = text

    def __call__(self, pos: int, end: int | None = None) -> str | None:
        if not self.names:
            return None
        i = bisect_right(self.positions, pos)
        if i == 0:
            return self.names[0]
        if i == len(self.positions):
            return self.names[-1]
        before, after = self.positions[i - 1], self.positions[i]
        if self.text is not None and _CONTRAST.search(self.text, pos if end is None else end, after):
            return self.names[i - 1]
        # ties go to the mention before the figure
        return self.names[i - 1] if pos - before <= after - pos else self.names[i]
