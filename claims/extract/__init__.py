"""Claim extraction: find figures in news text and normalise them.

``extract(text)`` finds quantities once over the whole text
(:mod:`claims.extract.quantities`), classifies each as a casualty count
(:mod:`~claims.extract.casualties`), a force size (:mod:`~claims.extract.forces`)
or another figure (:mod:`~claims.extract.figures`), merges the date and
duration claims of :mod:`~claims.extract.dates`, and fills each claim's
sentence and source (:mod:`~claims.extract.attribution`).
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from functools import lru_cache
from typing import Iterator

from claims.extract import attribution, casualties, figures, forces, triggers
from claims.extract.dates import date_drafts
from claims.extract.drafts import Draft
from claims.extract.lexicon import lexicon_hash, load
from claims.extract.numbers import ascii_lower
from claims.extract.quantities import Quantity, find_quantities
from claims.extract.sentences import SentenceIndex
from claims.model import Claim, Kind, Outcome

# The rules' version (raise it when a rule in this package changes) plus a hash of the lexicon files,
# so editing a cue word also marks stored claims as found by another extractor (ingest --reextract).
RULES_VERSION = "0.4.86"
EXTRACTOR_VERSION = f"{RULES_VERSION}+lex.{lexicon_hash()[:10]}"

_TIME_KINDS = (Kind.DATE, Kind.DURATION)
_LETTERS = re.compile(r"[^\W\d_]+")


def _word_index(text: str) -> tuple[list[int], list[int]]:
    """Return the starts and ends of the runs of letters in ``text`` (sorted)."""
    starts, ends = [], []
    for m in _LETTERS.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def _has_word(words: tuple[list[int], list[int]] | None, a: int, b: int) -> bool:
    """Whether a letter lies in ``[a, b)`` (always True without an index: short texts skip the test)."""
    if words is None:
        return True
    starts, ends = words
    i = bisect_right(ends, a)
    return i < len(starts) and starts[i] < b
# each kind's value, read once (Enum's .value is a property lookup, paid per claim in the final sort)
_KIND_VALUE = {k: k.value for k in Kind}
# figures that carry who said them (dates and durations do not)
_ATTRIBUTED_KINDS = frozenset((Kind.CASUALTIES, Kind.FORCE_SIZE, Kind.FIGURE))


def extract(text: str, *, published: dt.date | None = None) -> list[Claim]:
    """Return every claim found in ``text``, in text order."""
    if not isinstance(text, str) or not text.strip():
        return []
    lowered = ascii_lower(text)
    if not triggers.may_hold_claims(lowered):
        return []  # no digit, number word, vague quantity or date word: nothing can start a claim
    index = SentenceIndex(text)
    found: list[tuple[Draft, int | None]] = []
    for c in date_drafts(text, published=published):
        found.append((c, index.index_of(c.start)))
    found.extend(_figures(text, index, lowered))
    found = _resolve_overlaps(found)
    # only figures carry a source: a sentence holding nothing but dates needs no attribution pass
    wanted = {si for c, si in found if si is not None and c.kind in _ATTRIBUTED_KINDS}
    sources = attribution.attribute(text, index.spans, wanted,
                                    headlines={si for _, si in found if si is not None})
    sentences: dict[int, str] = {}
    finders: dict[int, attribution.Nearest] = {}
    out = []
    whole: Claim | None = None  # the last casualty count: the whole whose rest a "casualty.remainder" counts
    for c, si in found:
        if si is None:
            out.append(c.claim())
            continue
        sentence = sentences.get(si)
        if sentence is None:
            a, b = index.spans[si]
            sentence = sentences[si] = text[a:b]
        finder = finders.get(si)
        if finder is None:
            finder = finders[si] = attribution.Nearest(sources.get(si) or [], text)
        who = finder(c.start, c.end) if c.kind in _ATTRIBUTED_KINDS else None
        if who is not None and c.rule == "casualty.earlier" and casualties.reported_by_another(text, c.end):
            who = None  # "down from the 14 first reported": whoever first reported it, the text does not say
        if who is not None and who.rule == "attrib.first-person" and attribution.official_figure(text, c.start):
            who = None  # "We documented 58 deaths, one more than the official toll of 57": not the author's 57
        if who is None and c.rule == "casualty.remainder" and whole is not None and whole.attributed_to:
            # "released by the health ministry, is 141 killed, ...; the other nine were teachers": the rest of
            # the ministry's toll is the ministry's
            out.append(replace(whole, kind=c.kind, start=c.start, end=c.end, quote=c.quote, sentence=sentence,
                               low=c.low, high=c.high, approximate=c.approximate, outcome=c.outcome,
                               subject=c.subject, unit=c.unit, rule=c.rule))
            whole = out[-1]
            continue
        if who is None:
            out.append(Claim(c.kind, c.start, c.end, c.quote, sentence, c.low, c.high, c.approximate, c.outcome,
                             c.subject, c.unit, c.date, c.duration, c.attributed_to, c.rule))
        else:
            out.append(Claim(c.kind, c.start, c.end, c.quote, sentence, c.low, c.high, c.approximate, c.outcome,
                             c.subject, c.unit, c.date, c.duration, who.name, c.rule, text[who.start:who.end],
                             who.start, who.end))
        if c.kind == Kind.CASUALTIES:
            whole = out[-1]
    out.sort(key=lambda c: (c.start, c.end, _KIND_VALUE[c.kind]))
    return out


def iter_extract(text: str, *, published: dt.date | None = None, chunk: int = 1_000_000) -> Iterator[Claim]:
    """Yield the claims of ``text`` in text order, extracting it in blocks of about ``chunk`` characters.

    Blocks end at a paragraph break (else a line break, else a sentence end), so a
    very long text is processed in bounded memory; offsets are those of the whole
    text. Texts shorter than ``chunk`` give exactly ``extract(text)``.
    """
    n = len(text)
    start = 0
    while start < n:
        end = n if n - start <= chunk else _block_end(text, start, start + chunk)
        block = text[start:end]
        for c in extract(block, published=published):
            if start:
                c = replace(c, start=c.start + start, end=c.end + start)
            yield c
        start = end


def _block_end(text: str, start: int, limit: int) -> int:
    """Return a cut point after ``start`` and at most ``limit``: a paragraph, line or sentence end."""
    floor = start + (limit - start) // 2
    for sep in ("\n\n", "\n", ". "):
        cut = text.rfind(sep, floor, limit)
        if cut > start:
            return cut + len(sep)
    return limit


def _figures(text: str, index: SentenceIndex, lowered: str) -> list[tuple[Draft, int | None]]:
    quantities = find_quantities(text, lowered=lowered)
    # (quantity, sentence index, kind, rule, outcome, subject)
    rows: list[list] = []
    previous: dict[int, list[tuple[Quantity, Outcome]]] = {}
    words = _word_index(text) if len(quantities) > 64 else None
    for q in quantities:
        si = index.index_of(q.num_start)
        a, b = index.spans[si] if si is not None else (0, len(text))
        if si is not None and not (a <= q.start and q.end <= b):
            q.start, q.end = max(q.start, a), min(q.end, b)
        prev = previous.setdefault(si, []) if si is not None else []
        if q.unit is None and not prev and not _has_word(words, max(a, q.start - 140), min(b, q.end + 130)):
            # "1 1 1 1 ...": every rule needs a word near the count (a cue, a noun, a hedge), so a count
            # with none in reach is no claim; skipping the rules bounds the cost of number runs
            rows.append([q, si, None, None, None, None])
            continue
        cas = casualties.classify(text, q, a, b, prev, lowered)
        if cas is not None:
            outcome, rule = cas
            prev.append((q, outcome))
            rows.append([q, si, Kind.CASUALTIES, rule, outcome, q.subject])
            continue
        rule = forces.classify(text, q, a, b)
        if rule is not None:
            rows.append([q, si, Kind.FORCE_SIZE, rule, None, q.subject])
            continue
        fig = figures.classify(q)
        rows.append([q, si, Kind.FIGURE if fig else None, fig[1] if fig else None, None, fig[0] if fig else None])
    # "Three of the 4 attackers also died": the verb counts the part, not the whole group
    for i in range(1, len(rows)):
        q, si, kind, _, _, _ = rows[i - 1]
        nq, nsi, nkind, nrule, nout, nsubject = rows[i]
        if nkind == Kind.CASUALTIES and nrule == "casualty.verb-after" and kind is None and si == nsi \
                and si is not None and q.subject is None and casualties.is_partitive_gap(text[q.end:nq.start]) \
                and not casualties.is_participle_after(text, nq.end):
            own = casualties.relative_then_verb(text, nq.end, index.spans[si][1])
            if own is not None:
                # "Three of the 38 people who were injured in the blast have died": the relative clause counts
                # the whole (38 injured), the main verb the part (three killed)
                rows[i - 1][2:6] = [Kind.CASUALTIES, "casualty.part-of", own, None]
                continue
            q.end = nq.end
            rows[i - 1][2:6] = [Kind.CASUALTIES, "casualty.part-of", nout, nsubject]
            rows[i][2] = None
    # a list whose last member carries the verb: "37 militants, 6 soldiers killed"
    for i in range(len(rows) - 2, -1, -1):
        q, si, kind, _, _, _ = rows[i]
        nq, nsi, nkind, nrule, nout, _ = rows[i + 1]
        # only a verb spreads back over the list: "13 survivors and 9 bodies" counts bodies alone
        if kind != Kind.CASUALTIES and nkind == Kind.CASUALTIES and nrule == "casualty.verb-after" \
                and si == nsi and si is not None \
                and casualties.is_list_gap(text[q.end:nq.start]) and not q.year_like and q.unit is None:
            rows[i][2:6] = [Kind.CASUALTIES, "casualty.list", nout, q.subject]
    # "Fourteen people were killed, 12 police officers and two civilians": the parts listed after a toll's verb
    for i, (q, si, kind, _, outcome, _) in enumerate(rows):
        if kind != Kind.CASUALTIES or si is None:
            continue
        k = i + 1
        while k < len(rows) and rows[k][1] == si and (
                k == i + 1 or casualties.is_list_gap(text[casualties.noun_end(rows[k - 1][0]):rows[k][0].start])):
            k += 1
        if k - i > 2 and casualties.apposed_parts(text, q, [r[0] for r in rows[i + 1:k]]):
            for r in rows[i + 1:k]:
                r[2:6] = [Kind.CASUALTIES, "casualty.apposition", outcome, None]
    # "there were about 100 gunmen but later said there were as many as 500": a bare count revising a force
    last_force: dict[int, int] = {}
    last_any = None  # the last force in any sentence: "They were 3-4 thousand" in the next paragraph
    recent: list[int] = []  # every force so far, in text order (the look-back tries the last three)
    for i, (q, si, kind, _, _, _) in enumerate(rows):
        if si is None:
            continue
        if kind == Kind.FORCE_SIZE:
            last_force[si] = last_any = i
        elif kind in (None, Kind.FIGURE) and si in last_force \
                and all(rows[k][0].year_like for k in range(last_force[si] + 1, i)) \
                and forces.revises(text, rows[last_force[si]][0], q):
            rows[i][2:6] = [Kind.FORCE_SIZE, "force.same-noun", None, None]
            last_force[si] = last_any = i
        elif kind in (None, Kind.FIGURE) and si in last_force \
                and all(rows[k][0].year_like for k in range(last_force[si] + 1, i)) \
                and forces.afterthought(text, rows[last_force[si]][0], q):
            rows[i][2:6] = [Kind.FORCE_SIZE, "force.apposition", None, q.subject]
            last_force[si] = last_any = i
        elif kind in (None, Kind.FIGURE) and last_any is not None and any(
                forces.refers_back(text, rows[k][0], q, index.spans[si][0]) for k in recent[-3:][::-1]):
            # the last force first, then two before it ("squads of 15 to 20 members" between a total and its revision)
            rows[i][2:6] = [Kind.FORCE_SIZE, "force.same-noun", None, None]
            last_force[si] = last_any = i
        if rows[i][2] == Kind.FORCE_SIZE:
            recent.append(i)
    # "'We are more than 6,000': RRB commander speaks": a headline or quotation repeating a force size word for word
    for i, (q, si, kind, _, _, _) in enumerate(rows):
        if kind in (None, Kind.FIGURE) and si is not None and recent and any(
                forces.repeats(text, rows[k][0], q, headline=si == 0) for k in recent):
            rows[i][2:6] = [Kind.FORCE_SIZE, "force.same-noun", None, None]
    # "the army said 40 rebels were killed, while the rebels claimed 120": a bare counter-claim of the toll
    last_cas: dict[int, int] = {}
    last_any_cas = None  # the last casualty count in any sentence: "The other nine were teachers" after it
    for i, (q, si, kind, _, _, _) in enumerate(rows):
        if si is None:
            continue
        if kind == Kind.CASUALTIES:
            last_cas[si] = last_any_cas = i
        elif kind in (None, Kind.FIGURE) and si in last_cas and casualties.counter_claim(text, rows[last_cas[si]][0], q):
            rows[i][2:6] = [Kind.CASUALTIES, "casualty.counter-claim", rows[last_cas[si]][4], None]
        elif kind in (None, Kind.FIGURE) and si in last_cas and casualties.earlier_value(text, rows[last_cas[si]][0], q):
            rows[i][2:6] = [Kind.CASUALTIES, "casualty.earlier", rows[last_cas[si]][4], None]
        elif kind in (None, Kind.FIGURE) and si in last_cas and casualties.later_value(text, rows[last_cas[si]][0], q):
            # "18 had died, then 27, now 31": each figure that followed, the next one's predecessor
            rows[i][2:6] = [Kind.CASUALTIES, "casualty.later", rows[last_cas[si]][4], None]
            last_cas[si] = i
        elif kind in (None, Kind.FIGURE) and last_any_cas is not None \
                and casualties.remainder(text, rows[last_any_cas][0], q):
            # "...; the other nine were teachers": the rest of the casualties counted before, with their outcome
            rows[i][2:6] = [Kind.CASUALTIES, "casualty.remainder", rows[last_any_cas][4], None]
            last_any_cas = i
        elif kind in (None, Kind.FIGURE) and q.partitive:
            # "took the wounded to hospital. An official said 12 of them were in surgery": a part of them
            them = casualties.of_them(text, q, (rows[last_any_cas][0], rows[last_any_cas][4])
                                      if last_any_cas is not None else None, rows[i - 1][0] if i else None)
            if them is not None:
                rows[i][2:6] = [Kind.CASUALTIES, "casualty.part-of", them, None]
                last_any_cas = i
    out = []
    for q, si, kind, rule, outcome, subject in rows:
        if kind is None:
            continue
        end = q.end
        if kind == Kind.FIGURE and not (q.subject or q.unit):
            end = max(q.end, q.generic_end)
        elif subject is None and q.unit is None and _plural_noun(q.generic_noun):
            # "killed 6 polio vaccinators": a plural noun the people list lacks is still what is counted
            end, subject = max(q.end, q.generic_end), q.generic_noun
        out.append((_claim(text, q, kind, rule, outcome=outcome, subject=subject, end=end), si))
    return out


@lru_cache(maxsize=1)
def _not_plural() -> frozenset[str]:
    """Words ending in "s" that are no plural noun, and plural time units ("rose to 45 hours later")."""
    return frozenset(w.lower() for e in load("people.json")["not_plural"] for w in e["words"])


def _plural_noun(phrase: str | None) -> bool:
    """Whether ``phrase`` ends in a plural noun (so it can be the counted subject)."""
    if not phrase:
        return False
    if any(w.endswith(("ed", "ing")) for w in phrase.lower().split()):
        return False  # "another 37 suffered wounds": a verb, not a noun phrase
    last = phrase.rsplit(" ", 1)[-1].lower()
    return (len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "'s", "’s"))
            and last.isalpha() and last not in _not_plural())


def _claim(text: str, q: Quantity, kind: Kind, rule: str, *, outcome: Outcome | None = None,
           subject: str | None = None, end: int | None = None) -> Draft:
    end = q.end if end is None else end
    return Draft(kind, q.start, end, text[q.start:end], q.low, q.high, q.approximate, outcome,
                 subject if subject is not None else q.subject, q.unit, rule=rule)


def _resolve_overlaps(found: list[tuple[Draft, int | None]]) -> list[tuple[Draft, int | None]]:
    """Drop figure claims that overlap a date or duration claim (the date reading wins)."""
    times = sorted((c.start, c.end) for c, _ in found if c.kind in _TIME_KINDS)
    if not times:
        return found
    starts = [s for s, _ in times]
    # times sorted by start; a time span overlapping [start, end) starts before end, and the
    # longest-reaching of those starting before `end` decides (prefix maximum of ends)
    reach, best = [], -1
    for _, e in times:
        best = max(best, e)
        reach.append(best)
    keep = []
    for c, si in found:
        if c.kind == Kind.FIGURE:
            i = bisect_left(starts, c.end) - 1
            if i >= 0 and reach[i] > c.start:
                continue
        keep.append((c, si))
    return keep
