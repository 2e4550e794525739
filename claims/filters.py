"""Claim filters, declared once: one :class:`Filter` row per field of :class:`ClaimFilter`.

Every other place a filter appears is generated from :data:`FILTERS`, the way
datasette registers its facets:

- :class:`ClaimFilter` (the dataclass the library, CLI and dashboard pass around);
- ``Store._where`` (the SQL condition: ``column`` ``op`` value, bound parameters)
  and the store's facets (``facet``);
- the command line's filter options and their parsing (``claims.cli.common``);
- :func:`cli_args_for`, the options that select what a filter selects (the
  Export page prints them);
- the dashboard's sidebar panel: its defaults, widgets and keys
  (``dashboard/filters.py``) and :func:`from_panel`.

To add a filter, add one row below (see docs/architecture.md, "Adding a filter").
This module imports nothing heavy: the CLI builds its parser from it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, make_dataclass
from typing import Any

# value types: what a field holds, how the CLI parses it and how the store binds it
LIST_TYPES = ("choice", "name", "id", "terms")   # a list; any value may match (OR); empty: no filter
SCALAR_TYPES = ("number", "date", "text", "flag")  # one value; None (or "" for text): no filter; a flag may be False
# column IN values / >= value / <= value / contains any term / a condition the store builds with its own
# function for this field (claims/store.py _CUSTOM_CONDITIONS), for conditions that read other tables
OPS = ("in", ">=", "<=", "contains", "custom")
WIDGETS = {"text": ("text",), "multiselect": ("choice", "name"), "number": ("number",), "date_range": ("date",)}


@dataclass(frozen=True, slots=True)
class Filter:
    """One claim filter: the ClaimFilter field, its SQL condition, its CLI option and its dashboard widget."""

    field: str                       # ClaimFilter attribute
    type: str                        # one of LIST_TYPES or SCALAR_TYPES
    column: str                      # column of the claims table the condition reads
    op: str                          # one of OPS; "contains" terms on one column are OR'd together
    help: str                        # what it selects (CLI help)
    option: str | None = None        # CLI option, e.g. "--kind"; None: library only
    metavar: str | None = None       # CLI metavar
    choices: str | None = None       # type "choice": the Enum in claims.model whose values are allowed
    lookup: str | None = None        # values are names in TABLE.COLUMN whose ids the column holds
    facet: str | None = None         # Store.facet_counts name when claims can be counted by this column
    widget: str | None = None        # dashboard widget, a key of WIDGETS; None: not in the sidebar panel
    key: str | None = None           # dashboard name (widget key f_KEY); the two ends of a date range share one
    label: str = ""                  # dashboard label
    placeholder: str | None = None   # dashboard placeholder ("All kinds")
    widget_help: str | None = None   # dashboard tooltip

    @property
    def is_list(self) -> bool:
        return self.type in LIST_TYPES


SEARCH_HELP = "case-insensitive text in quote, subject, attribution or sentence (% and _ are plain text)"

# Order: the dashboard panel's, top to bottom; ClaimFilter's fields and the CLI help follow it.
FILTERS: tuple[Filter, ...] = (
    Filter("text", "text", "search", "contains", SEARCH_HELP, option="--search", metavar="TEXT",
           widget="text", key="text", label="Search", placeholder="subject, quote, attribution…"),
    Filter("publishers", "name", "publisher_id", "in", "publisher name (exact)", option="--publisher",
           metavar="NAME", lookup="publishers.name", facet="publisher",
           widget="multiselect", key="publishers", label="Publisher", placeholder="All publishers"),
    # the publisher's reliability grade, set on Sources (A-B: "usually reliable" or better)
    Filter("grades", "choice", "publisher_id", "custom", "the publisher's reliability grade (A-F)",
           option="--grade", choices="Grade", facet="grade", widget="multiselect", key="grades",
           label="Publisher grade", placeholder="Any grade",
           widget_help="The source reliability grade of the outlet that published the claim (set on Sources): "
                       "pick A and B for A-B sources only. Ungraded publishers match no grade."),
    # who said the figure (the speaker or body the text names; a reviewer's corrected attribution wins)
    Filter("sources", "name", "eff_source", "in", "who stated the figure: the source's canonical name (exact), "
           "the speaker or body the text names, not the publisher", option="--source", metavar="NAME",
           facet="source", widget="multiselect", key="sources", label="Source", placeholder="Any source",
           widget_help="Who the text says stated the figure (a police chief, a ministry, a UN report); a "
                       "reviewer's corrected attribution wins. Not the outlet that published it."),
    Filter("kinds", "choice", "kind", "in", "claim kind", option="--kind", choices="Kind", facet="kind",
           widget="multiselect", key="kinds", label="Kind", placeholder="All kinds"),
    Filter("outcomes", "choice", "outcome", "in", "casualty outcome", option="--outcome", choices="Outcome",
           facet="outcome", widget="multiselect", key="outcomes", label="Outcome", placeholder="All outcomes"),
    Filter("verdicts", "choice", "verdict", "in", "current verdict", option="--verdict", choices="Verdict",
           facet="verdict", widget="multiselect", key="verdicts", label="Verdict", placeholder="All verdicts"),
    Filter("reviewers", "name", "reviewer", "in", "who last reviewed the claim", option="--reviewer",
           metavar="NAME", facet="reviewer", widget="multiselect", key="reviewers", label="Reviewer",
           placeholder="Anyone"),
    # fig_max/fig_min: a range 10..20 reaches at least 15 and is at most 12
    Filter("figure_min", "number", "fig_max", ">=", "figure reaches at least N", option="--min", metavar="N",
           widget="number", key="fig_min", label="Figure from"),
    Filter("figure_max", "number", "fig_min", "<=", "figure is at most N", option="--max", metavar="N",
           widget="number", key="fig_max", label="Figure to"),
    # event date: kind date, or a reviewer's corrected date; "2021-11" covers 11-01..11-30
    Filter("date_from", "date", "eff_date_end", ">=", "event date on or after DATE", option="--from",
           metavar="DATE", widget="date_range", key="event_dates", label="Event date",
           widget_help="Claims whose date (of kind Date, or a corrected date) falls in this range."),
    Filter("date_to", "date", "eff_date_start", "<=", "event date on or before DATE", option="--to",
           metavar="DATE", widget="date_range", key="event_dates", label="Event date"),
    Filter("published_from", "date", "published", ">=", "published on or after DATE", option="--published-from",
           metavar="DATE", widget="date_range", key="published", label="Published"),
    Filter("published_to", "date", "published", "<=", "published on or before DATE", option="--published-to",
           metavar="DATE", widget="date_range", key="published", label="Published"),
    # more search terms, any may match (Store.fuzzy_terms; the dashboard's fuzzy search)
    Filter("text_terms", "terms", "search", "contains", "more search terms, any may match"),
    Filter("document_ids", "id", "document_id", "in", "document id", option="--document", metavar="ID"),
    Filter("claim_ids", "id", "id", "in", "claim id"),
    # team review (claims/team): the claim's review state, the claims assigned to / not yet voted on by a reviewer
    Filter("review_states", "choice", "review_state", "custom",
           "where the claim stands in team review (needs_second, disagreed: see `config reviews_required`)",
           option="--review-state", choices="ReviewState", widget="multiselect", key="review_states",
           label="Review state", placeholder="Any review state",
           widget_help="With two reviews required: claims waiting for a second review, agreed, disagreed or "
                       "decided by an editor."),
    Filter("assigned_to", "text", "id", "custom", "claims assigned to this reviewer"),
    Filter("not_voted_by", "text", "id", "custom", "claims this reviewer has given no verdict on yet"),
    # True: claims of invented example documents only; False: of real ones only
    Filter("fictional", "flag", "document_id", "custom", "claims of fictional example documents (or of real ones)"),
)

BY_FIELD: dict[str, Filter] = {f.field: f for f in FILTERS}


def _check(rows: tuple[Filter, ...]) -> None:
    """Refuse a malformed table at import, naming the row (a typo must not silently filter nothing)."""
    seen: set[str] = set()
    for f in rows:
        where = f"claims/filters.py: filter {f.field!r}"
        if f.field in seen:
            raise ValueError(f"{where}: defined twice")
        seen.add(f.field)
        if f.type not in LIST_TYPES + SCALAR_TYPES:
            raise ValueError(f"{where}: type {f.type!r} not in {LIST_TYPES + SCALAR_TYPES}")
        if f.op not in OPS:
            raise ValueError(f"{where}: op {f.op!r} not in {OPS}")
        if f.op != "custom" and (f.op == "in") != f.is_list and f.type != "terms":
            raise ValueError(f"{where}: op 'in' takes a list type, '>=', '<=' and 'contains' a scalar")
        if (f.type == "choice") != (f.choices is not None):
            raise ValueError(f"{where}: type 'choice' needs choices (an Enum in claims.model), no other type has them")
        if f.widget is not None and (f.type not in WIDGETS.get(f.widget, ()) or not f.key or not f.label):
            raise ValueError(f"{where}: widget {f.widget!r} must be one of {list(WIDGETS)}, fit the type "
                             f"({WIDGETS.get(f.widget)}) and have a key and a label")
        if f.lookup is not None and f.type != "name":
            raise ValueError(f"{where}: only a name filter looks its values up")


_check(FILTERS)


# ---------------------------------------------------------------- ClaimFilter, generated from the table
def _annotation(f: Filter) -> Any:
    return {"choice": list[str], "name": list[str], "terms": list[str], "id": list[int],
            "number": float | None, "date": dt.date | None, "text": str | None, "flag": bool | None}[f.type]


def _is_empty(self) -> bool:
    return all(not getattr(self, name) and getattr(self, name) != 0 for name in BY_FIELD)


def _to_dict(self) -> dict[str, Any]:
    """Return the filter as JSON-ready data (for export manifests)."""
    out: dict[str, Any] = {}
    for name in BY_FIELD:
        v = getattr(self, name)
        if v is None or v == [] or v == "":
            continue
        out[name] = v.isoformat() if isinstance(v, dt.date) else v
    return out


ClaimFilter = make_dataclass(
    "ClaimFilter",
    [(f.field, _annotation(f), field(default_factory=list) if f.is_list else field(default=None)) for f in FILTERS],
    namespace={"__doc__": "Which claims to list, count, chart or export. Empty fields do not filter.\n\n"
                          "Fields (keyword-only) are generated from claims.filters.FILTERS.",
               "is_empty": _is_empty, "to_dict": _to_dict, "__module__": __name__},
    slots=True, kw_only=True,
)
_to_dict.__qualname__ = "ClaimFilter.to_dict"
_is_empty.__qualname__ = "ClaimFilter.is_empty"


# ---------------------------------------------------------------- values
def choice_values(f: Filter) -> list[str]:
    """Return the allowed values of a ``choice`` filter (its Enum's values, in declaration order)."""
    from claims import model

    return [m.value for m in getattr(model, f.choices)]


def plain(value: Any) -> Any:
    """Return an Enum member's value, anything else unchanged."""
    return getattr(value, "value", value)


def is_set(value: Any) -> bool:
    """Return whether a filter value filters anything (0 does; None, '' and [] do not)."""
    return value is not None and value != "" and value != []


def cli_args_for(flt: ClaimFilter) -> list[str]:
    """Return the `python -m claims export` filter options that select what ``flt`` selects.

    Fields without an option (``text_terms``, the dashboard's fuzzy spellings;
    ``claim_ids``) are left out; callers should say so when the filter has any.
    """
    out: list[str] = []
    for f in FILTERS:
        value = getattr(flt, f.field)
        if f.option is None or not is_set(value):
            continue
        for v in value if f.is_list else [value]:
            v = plain(v)
            out += [f.option, f"{v:g}" if f.type == "number" else v.isoformat() if f.type == "date" else str(v)]
    return out


# ---------------------------------------------------------------- dashboard panel values
def panel_defaults() -> dict[str, Any]:
    """Return {widget key: value when nothing is filtered}: "" for text, None for a number, [] otherwise."""
    out: dict[str, Any] = {}
    for f in FILTERS:
        if f.widget is not None:
            out[f.key] = "" if f.widget == "text" else None if f.widget == "number" else []
    return out


def from_panel(values: dict[str, Any]) -> ClaimFilter:
    """Return the ClaimFilter for the dashboard panel's values by widget key (date ranges as 0-2 dates).

    Lists are sorted (one cache key per selection), text is stripped, a date
    range's first date is its start and its second (if any) its end.
    """
    unknown = sorted(set(values) - set(panel_defaults()))
    if unknown:
        from claims.errors import BadInputError

        raise BadInputError(f"filter panel: no widget named {', '.join(unknown)} "
                            f"(want {', '.join(panel_defaults())})")
    kw: dict[str, Any] = {}
    ends: dict[str, int] = {}
    for f in FILTERS:
        if f.widget is None or f.key not in values:
            continue
        v = values[f.key]
        if f.widget == "date_range":
            i = ends.get(f.key, 0)
            ends[f.key] = i + 1
            dates = tuple(v or ())
            kw[f.field] = dates[i] if len(dates) > i else None
        elif f.widget == "text":
            kw[f.field] = (v or "").strip() or None
        elif f.is_list:
            kw[f.field] = sorted(v or ())
        else:
            kw[f.field] = v
    return ClaimFilter(**kw)


# ---------------------------------------------------------------- the dashboard URL (shareable filtered views)
def url_name(f: Filter) -> str:
    """Return the query parameter naming filter ``f`` in a dashboard URL: its CLI option without dashes."""
    return (f.option or f"--{f.field}").removeprefix("--")


def _url_filters() -> list[Filter]:
    return [f for f in FILTERS if f.widget is not None]


def url_names() -> list[str]:
    """Return every query parameter the filter panel reads and writes (others, like ``claim``, are left alone)."""
    return [url_name(f) for f in _url_filters()]


def to_url(values: dict[str, Any]) -> dict[str, list[str]]:
    """Return {query parameter: values} for the panel's non-default values by widget key (``from_url``'s inverse).

    The parameters are the CLI's options (``?kind=casualties&min=10&from=2021-11-01``),
    so a shared link reads like the command that exports the same claims.
    """
    out: dict[str, list[str]] = {}
    ends: dict[str, int] = {}
    for f in _url_filters():
        v = values.get(f.key)
        if f.widget == "date_range":
            i = ends.get(f.key, 0)
            ends[f.key] = i + 1
            dates = tuple(v or ())
            if len(dates) > i and dates[i] is not None:
                out[url_name(f)] = [dates[i].isoformat()]
        elif f.widget == "number":
            if v is not None:
                out[url_name(f)] = [f"{float(v):g}"]
        elif f.widget == "text":
            if (v or "").strip():
                out[url_name(f)] = [v.strip()]
        elif v:
            out[url_name(f)] = [str(plain(x)) for x in v]
    return out


def from_url(params: dict[str, list[str]]) -> tuple[dict[str, Any], list[str]]:
    """Return the panel's values by widget key read from query parameters, and the parameters refused.

    A value that does not parse (a number that is no number, a date that is no
    date, a kind that is no kind) is left out and named in the second item, so a
    mistyped link filters by what it can and says what it dropped. Parameters
    that are not filters are ignored; names are not checked here (the panel
    offers only stored ones).
    """
    values = panel_defaults()
    refused: list[str] = []
    ends: dict[str, list[Any]] = {}          # date range key -> [start, end]
    end_name: dict[str, str] = {}            # date range key -> its end's parameter
    for f in _url_filters():
        name = url_name(f)
        raw = [r for r in params.get(name, []) if r]
        if f.widget == "date_range":
            pair = ends.setdefault(f.key, [])
            day = None
            if raw:
                try:
                    day = dt.date.fromisoformat(raw[-1])
                except ValueError:
                    refused.append(f"{name}={raw[-1]}")
            pair.append(day)
            end_name[f.key] = name
            continue
        if not raw:
            continue
        if f.widget == "text":
            values[f.key] = raw[-1]
        elif f.widget == "number":
            try:
                number = float(raw[-1])
            except ValueError:
                number = None
            if number is None or not (0 <= number < float("inf")):
                refused.append(f"{name}={raw[-1]}")
            else:
                values[f.key] = number
        else:
            allowed = choice_values(f) if f.type == "choice" else None
            values[f.key] = [r for r in dict.fromkeys(raw) if allowed is None or r in allowed]
            refused += [f"{name}={r}" for r in raw if allowed is not None and r not in allowed]
    for key, (start, end) in ((k, (p + [None, None])[:2]) for k, p in ends.items()):
        if start is not None:
            values[key] = [start] if end is None or end < start else [start, end]
        if end is not None and (start is None or end < start):
            # the date picker holds a start, or a start and an end after it
            refused.append(f"{end_name[key]}={end.isoformat()}")
    return values, refused
