"""Compare and reconcile: the same fact across sources, side by side.

- :func:`group_claims` partitions claims into groups stating one fact.
- :func:`claims.compare.reconcile.reconcile` gives a group's ledger and reconciled low/best/high under a :class:`Rule`.
- :func:`source_clusters` collapses wire copies into independent sources.
- :mod:`claims.compare.persist` stores groups (with a reconciled summary each) and replays
  reviewers' merge/split/move/rule decisions over every recomputation.
- The ``python -m claims compare`` command lives in :mod:`claims.cli.compare`.
- Cue words and synonyms are data: ``claims/lexicon/synonyms.json`` and ``claims/lexicon/events.json``.
"""
import importlib

# Imported on first use (PEP 562), so `python -m claims extract` never loads numpy or rapidfuzz.
# The reconcile() function lives in claims.compare.reconcile: the submodule owns that name here.
_LAZY = {
    "group_claims": "grouping", "group_label": "grouping", "member_order": "grouping",
    "RULE_HELP": "rules", "Rule": "rules",
    "LedgerRow": "reconcile", "Reconciled": "reconcile", "ReviewerFigure": "reconcile", "figure_text": "reconcile",
    "ledger": "reconcile", "source_clusters": "reconcile",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(f"claims.compare.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'claims.compare' has no attribute {name!r}")
