"""The pre-filter: whether a text can hold any claim at all, derived from the lexicons.

Every claim starts at a trigger: a digit, a word the quantity scan starts from
(a number word or the first word of a vague quantity, ``quantities.patterns().seeds``,
built from the number tables and ``vague.json``), or a word a date or duration
is anchored on (months, weekdays, holidays, relative days and time units of
``dates.json``). The pattern is built from those same tables at first use, so a
new lexicon entry is a trigger with no code change. A text with no trigger gives
no claim, so ``extract`` returns at once without splitting it into sentences.

The test is on the lower-cased text (``numbers.ascii_lower``), as the scans
are, and a word trigger must start and end a word the way the scans require. ``tests/test_extract.py`` checks that extraction gives
the same claims with the pre-filter on and off.
"""
from __future__ import annotations

import re
from functools import lru_cache

from claims.extract.lexicon import words_alternation

ENABLED = True  # tests switch it off to prove it changes nothing


@lru_cache(maxsize=1)
def pattern() -> re.Pattern:
    """Return the compiled trigger pattern (built once from the lexicons and number tables)."""
    from claims.extract.dates import anchor_words
    from claims.extract.quantities import patterns

    # "(?<![^\W_])": not after a letter or digit, the start test of both scans (an underscore may precede);
    # a number word may run on ("four" starts "fourteen"), a date word must end ("min" is no "minister")
    return re.compile(rf"\d|(?<![^\W_])(?:{words_alternation(patterns().seeds)}"
                      rf"|(?:{words_alternation(anchor_words())})(?!\w))")


def may_hold_claims(lowered: str) -> bool:
    """Whether ``lowered`` (the text lower-cased, same length) holds a trigger, so extraction must run."""
    return not ENABLED or pattern().search(lowered) is not None
