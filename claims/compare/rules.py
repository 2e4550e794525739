"""Reconciliation rules: a light module (no numpy, no rapidfuzz) so the CLI parser can list them cheaply."""
from __future__ import annotations

from enum import Enum


class Rule(str, Enum):
    """How a group's reconciled figure is chosen."""

    CONSERVATIVE = "conservative"
    BEST = "best"
    LATEST = "latest"
    REVIEWER = "reviewer"

    @property
    def help(self) -> str:
        return RULE_HELP[self]


RULE_HELP: dict[Rule, str] = {
    Rule.CONSERVATIVE: "Lowest credible figure (as ACLED codes fatalities); range from the lowest low to the highest high.",
    Rule.BEST: "Median of the credible point figures, with the lowest and highest credible figures as the range (as UCDP GED records best/low/high).",
    Rule.LATEST: "The most recently published credible report's figure and range.",
    Rule.REVIEWER: "A figure set by a reviewer, with a written rationale.",
}
