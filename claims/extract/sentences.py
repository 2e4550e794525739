"""Sentence spans: split news text at sentence ends and line breaks.

A line break always ends a sentence (headlines and captions carry no full
stop). A full stop ends one unless it closes an abbreviation (``Lt.``,
``U.N.``), an initial (``A. Khan``) or a decimal, and the next word starts
a new sentence (capital letter, digit or opening quote). A page that lost
the space after a full stop ("by daylight.A spokesman") still splits there
when a lower-case word ends and a capitalised one begins.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from claims.extract.lexicon import load

# A live blog's entry time stamp: "18:45", "1:30 PM", "9.50 a.m." (its entries open with it and a dash)
LIVE_STAMP = r"\d{1,2}[:.]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?"

# a sentence end is followed by a word that does not start in lower case (any script's capitals count)
# (written to open on one character class, "\n+|[.!?…]+..." as "[\n.!?…]" then the rest of either branch:
# the engine then skips straight to those characters instead of trying every position)
_CANDIDATE = re.compile(r"[\n.!?…](?:(?<=\n)\n*|(?<=[.!?…])[.!?…]*[\"”’'\)\]]*(?=\s+[\"“‘'(\[]?[^\sa-z,;:)\]”’.\-]))")
# pages that lost the space after a full stop: "left by daylight.A spokesman said" (rare: checked for first,
# since the look-behind makes the combined pattern slower on every text)
_RUN_ON = re.compile(r"[.!?](?<=[a-z]{2}.)[\"”]?(?=[A-Z][a-z]|[A-Z]\s)")
_CANDIDATE_RUN_ON = re.compile(_CANDIDATE.pattern + "|" + _RUN_ON.pattern)


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    out = set()
    for entry in load("abbreviations.json")["entries"]:
        out.update(w.lower().rstrip(".") for w in entry["words"])
    return frozenset(out)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each sentence in ``text``, in order, trimmed of outer whitespace."""
    abbr = _abbreviations()
    spans = []
    start = 0
    for m in (_CANDIDATE_RUN_ON if _RUN_ON.search(text) else _CANDIDATE).finditer(text):
        if m.group(0)[0] == "\n":
            end = m.start()
            nxt = m.end()
        else:
            if m.group(0)[0] == ".":
                p = m.start()
                ws = max(text.rfind(" ", max(0, p - 15), p), text.rfind("\n", max(0, p - 15), p))
                raw = text[ws + 1:p].lstrip("(\"“'")
                word = raw.lower().rstrip(".")
                if word in abbr or (len(word) == 1 and raw.isupper()):
                    continue
            end = m.end()
            nxt = m.end()
        _add(text, start, end, spans)
        start = nxt
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, a: int, b: int, spans: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        spans.append((a, b))


class SentenceIndex:
    """Find the sentence that holds a character offset (binary search over spans)."""

    def __init__(self, text: str):
        self.text = text
        self.spans = sentence_spans(text)
        self._starts = [a for a, _ in self.spans]

    def index_of(self, pos: int) -> int | None:
        """Return the index of the sentence containing ``pos``, or None (between sentences)."""
        i = bisect_right(self._starts, pos) - 1
        if i >= 0 and pos < self.spans[i][1]:
            return i
        return None
