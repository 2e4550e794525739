"""A claim before its sentence and source are known.

The date and figure passes make many candidates; ``extract`` then makes each
claim it keeps once, with its sentence and source. A :class:`Draft` is a tuple
with a Claim's field names (less the sentence and the source span), so it is
read as a Claim is; it costs about a fifth of a Claim to make, since a frozen
dataclass sets each of its 18 fields through ``object.__setattr__``.
"""
from __future__ import annotations

from typing import NamedTuple

from claims.model import Claim, Kind, Outcome


class Draft(NamedTuple):
    """A claim's fields, in Claim's order, without the sentence and the source span."""

    kind: Kind
    start: int
    end: int
    quote: str
    low: float | None = None
    high: float | None = None
    approximate: bool = False
    outcome: Outcome | None = None
    subject: str | None = None
    unit: str | None = None
    date: str | None = None
    duration: str | None = None
    attributed_to: str | None = None
    rule: str = ""

    def claim(self, sentence: str = "") -> Claim:
        """Return the Claim this draft stands for, in ``sentence``."""
        return Claim(self.kind, self.start, self.end, self.quote, sentence, self.low, self.high, self.approximate,
                     self.outcome, self.subject, self.unit, self.date, self.duration, self.attributed_to, self.rule)
