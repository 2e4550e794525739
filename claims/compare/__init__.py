"""Compare and reconcile: the same fact across sources, side by side.

- :func:`group_claims` partitions claims into groups stating one fact.
- :func:`reconcile` gives a group's ledger and reconciled low/best/high under a :class:`Rule`.
- :func:`source_clusters` collapses wire copies into independent sources.
- :mod:`claims.compare.persist` stores groups (with a reconciled summary each) and replays
  reviewers' merge/split/move/rule decisions over every recomputation.
- :mod:`claims.compare.commands` is the ``python -m claims compare`` command.
- Cue words and synonyms are data: ``claims/lexicon/synonyms.json`` and ``claims/lexicon/events.json``.
"""
from claims.compare.grouping import group_claims, group_label, member_order
from claims.compare.reconcile import (
    RULE_HELP, LedgerRow, Reconciled, ReviewerFigure, Rule, figure_text, ledger, reconcile, source_clusters,
)

__all__ = [
    "RULE_HELP", "LedgerRow", "Reconciled", "ReviewerFigure", "Rule", "figure_text", "group_claims",
    "ledger", "member_order", "reconcile", "source_clusters",
]
