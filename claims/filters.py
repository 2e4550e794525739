"""Claim filters: the command-line options that select what a :class:`~claims.model.ClaimFilter` selects."""
from __future__ import annotations

from claims.model import ClaimFilter


def cli_args_for(flt: ClaimFilter) -> list[str]:
    """Return the `python -m claims export` filter options that select what ``flt`` selects.

    ``text_terms`` (the dashboard's fuzzy spellings) have no option and are
    left out; callers should say so when the filter has any.
    """
    out: list[str] = []
    for opt, values in (("--kind", flt.kinds), ("--outcome", flt.outcomes), ("--publisher", flt.publishers),
                        ("--verdict", flt.verdicts), ("--reviewer", flt.reviewers),
                        ("--document", flt.document_ids)):
        for v in values or []:
            out += [opt, str(getattr(v, "value", v))]
    for opt, v in (("--min", flt.figure_min), ("--max", flt.figure_max)):
        if v is not None:
            out += [opt, f"{v:g}"]
    for opt, v in (("--from", flt.date_from), ("--to", flt.date_to),
                   ("--published-from", flt.published_from), ("--published-to", flt.published_to)):
        if v is not None:
            out += [opt, v.isoformat()]
    if flt.text:
        out += ["--search", flt.text]
    return out
