"""A claim before its sentence and source are known.

The date and figure passes make many candidates; ``extract`` then makes each
claim it keeps once, with its sentence and source. A :class:`Draft` is a tuple
with a Claim's field names (less the sentence and the source span), so it is
read as a Claim is; it costs about a fifth of a Claim to make, since a frozen
dataclass sets each of its 18 fields through ``object.__setattr__``.
"""
from __future__ import annotations

import dataclasses
from collections import namedtuple

from claims.model import Claim

# A draft holds every field of a Claim but these, which extract() fills in once it keeps the claim.
# Derived from Claim itself, so a field added to Claim is a draft field too (defined once).
_LEFT_OUT = ("sentence", "source_quote", "source_start", "source_end")
_CLAIM_FIELDS = dataclasses.fields(Claim)
_FIELDS = [f for f in _CLAIM_FIELDS if f.name not in _LEFT_OUT]
_SENTENCE_AT = [f.name for f in _CLAIM_FIELDS].index("sentence")
# claim() passes a draft's values positionally: the fields left out must be the sentence at its place and
# the source span at the end of Claim
if [f.name for f in _CLAIM_FIELDS] != ([f.name for f in _FIELDS[:_SENTENCE_AT]] + ["sentence"]
                                       + [f.name for f in _FIELDS[_SENTENCE_AT:]] + list(_LEFT_OUT[1:])):
    raise TypeError("claims.extract.drafts: Claim's fields moved; Draft.claim() passes them positionally")


class Draft(namedtuple("Draft", [f.name for f in _FIELDS],
                       defaults=[f.default for f in _FIELDS if f.default is not dataclasses.MISSING])):
    """A claim's fields, in Claim's order, without the sentence and the source span."""

    __slots__ = ()

    def claim(self, sentence: str = "") -> Claim:
        """Return the Claim this draft stands for, in ``sentence``."""
        return Claim(*self[:_SENTENCE_AT], sentence, *self[_SENTENCE_AT:])
