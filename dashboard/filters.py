"""The sidebar filter panel every claim page shares (Review, Export, Compare, Charts): one set of keys, one filter.

Streamlit drops a widget's state when a page that does not draw it runs, and
treats same-keyed widgets on different pages as different widgets. So each
filter value lives twice in session state, following Streamlit's documented
pattern for keeping widget values across pages:

- a persistent key (``filter:text``, ``filter:kinds``, ...) that no widget
  owns, so it survives every page change;
- the widget key (``f_text``, ``f_kinds``, ...), written from the persistent
  key just before the widget is drawn and copied back by the widget's
  ``on_change`` callback.

A filter set on one page is therefore still set on every other page that
draws :func:`sidebar`, and "Clear filters" clears it everywhere.

The filters also live in the URL (``?kind=casualties&min=10``, the CLI's
option names, claims.filters.to_url), so a view can be shared or bookmarked,
a reload keeps it and the browser's back button returns to the previous
filters. The persistent keys stay the truth within a session; the URL mirrors
them, and is read back when it is not the one this session last wrote (a
shared link, a reload, back or forward). Opening another page from the menu
drops the query string, so a page change that brings no filters in its URL
keeps the session's.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import streamlit as st

from claims.constants import PUBLISHER_GRADES
from claims.filters import FILTERS, choice_values, from_url, panel_defaults, to_url, url_names
from claims.model import ClaimFilter
from claims.store import FacetSummary
from dashboard import data, look

# name -> value when nothing is filtered; lists for multiselects and the two date ranges (from claims/filters.py)
DEFAULTS: dict[str, Any] = panel_defaults()
WIDGET = {name: f"f_{name}" for name in DEFAULTS}          # the keys tests and pages address widgets by
KEEP = {name: f"filter:{name}" for name in DEFAULTS}       # persistent, owned by no widget
CLEAR_KEY = "f_clear"
URL_SEEN = "filter:url"        # the filter part of the URL this session last read or wrote, canonical
URL_PAGE = "filter:url_page"   # the page that was drawn then
PAGE_KEY = "current_page"      # set by streamlit_app.py before each page runs

# How a multiselect shows the values of a choice filter, by the Enum it takes them from (default: as stored).
FORMAT: dict[str, Callable[[str], str]] = {"Kind": look.kind_label, "Outcome": look.OUTCOME_LABEL.get,
                                           "Verdict": look.verdict_label, "ReviewState": look.REVIEW_STATE_LABEL.get,
                                           "Grade": lambda g: f"{g} · {PUBLISHER_GRADES[g]}"}

SEARCH_HELP = ("Finds claims whose quote, subject, attribution or sentence contains this text; "
               "when none does, names spelled like it (fuzzy: 'Tehreek' finds 'Tehrik').")


def current_values() -> dict[str, Any]:
    """Return the current filter values by name (the persistent copies; defaults when never set)."""
    ss = st.session_state
    return {name: copy.copy(ss.get(KEEP[name], default)) for name, default in DEFAULTS.items()}


def clear(then: Callable[[], None] | None = None) -> None:
    """Reset every filter to "everything" on every page, then call ``then`` (e.g. back to the first page)."""
    ss = st.session_state
    for name, default in DEFAULTS.items():
        # set the widget keys too: deleting them would leave the old values on screen this run
        ss[KEEP[name]] = copy.copy(default)
        ss[WIDGET[name]] = copy.copy(default)
    if then is not None:
        then()


def _keep(name: str, then: Callable[[], None] | None) -> None:
    st.session_state[KEEP[name]] = copy.copy(st.session_state[WIDGET[name]])
    if then is not None:
        then()


def _load(options: dict[str, list[str]]) -> None:
    """Hand the persistent values to the widget keys before the widgets are drawn."""
    ss = st.session_state
    for name, default in DEFAULTS.items():
        value = copy.copy(ss.get(KEEP[name], default))
        if name in options:
            # a publisher or reviewer chosen earlier may be gone (another reviewer's edit, a new database):
            # a multiselect refuses a value it does not offer
            value = [v for v in value if v in options[name]]
        ss[KEEP[name]] = value
        # always re-assign, even an unchanged value: the same key on another page is another widget,
        # which takes a value from session state only when it was set by the app this run
        ss[WIDGET[name]] = copy.copy(value)


def _url_params() -> dict[str, list[str]]:
    """Return the filter parameters of the current URL (others, like ``claim``, are not filters)."""
    return {n: st.query_params.get_all(n) for n in url_names() if n in st.query_params}


def _canon(params: dict[str, list[str]]) -> str:
    return "&".join(f"{k}={v}" for k in sorted(params) for v in params[k])


def _read_url() -> None:
    """Take the filters from the URL when it is not the one this session last wrote (link, reload, back)."""
    ss = st.session_state
    params = _url_params()
    page = ss.get(PAGE_KEY, "")
    moved = URL_PAGE in ss and ss[URL_PAGE] != page
    ss[URL_PAGE] = page
    if _canon(params) == ss.get(URL_SEEN) or (moved and not params):
        return  # unchanged, or another page opened from the menu: the session's filters go with the reviewer
    values, refused = from_url(params)
    for name, value in values.items():
        ss[KEEP[name]] = value
    ss[URL_SEEN] = _canon(params)
    if refused:
        st.toast("Ignored in the address: " + ", ".join(refused), icon=":material/link_off:")


def _write_url(values: dict[str, Any]) -> None:
    """Mirror the panel's values in the URL (one browser history entry per change; other parameters kept)."""
    ss = st.session_state
    wanted = to_url(values)
    ss[URL_SEEN] = _canon(wanted)
    if _canon(wanted) == _canon(_url_params()):
        return
    # one update: each query_params write is a history entry, and back must undo one filter change at a time
    others = {k: st.query_params.get_all(k) for k in st.query_params if k not in url_names()}
    st.query_params.from_dict({**wanted, **others})


def _options() -> dict[str, list[str]]:
    """Return the values each multiselect offers, by widget name."""
    out: dict[str, list[str]] = {}
    for f in FILTERS:
        if f.widget == "multiselect":
            # a choice filter offers its Enum's values, a name filter the names stored
            out[f.key] = choice_values(f) if f.type == "choice" else data.filter_values(f.field)
    return out


def _value_counts() -> dict[str, FacetSummary]:
    """Return, per multiselect with a facet, how many claims each value would match under the other filters."""
    now = data.review_filter(current_values(), fuzzy=False)
    return {f.key: data.facet_summary(data.without(now, f.field), f.facet) for f in FILTERS
            if f.widget == "multiselect" and f.facet}


def _with_count(f, counts: dict[str, FacetSummary]) -> Callable[[str], str]:
    """Return the option label "Killed (23)" -- or "Killed (about 240,000)" for an estimate -- for a value."""
    name = FORMAT.get(f.choices, str)
    found = counts.get(f.key)
    if found is None:
        return name
    values = found.facets.get(f.facet, {})
    return lambda v: f"{name(v)} ({look.count_label(values.get(v, 0), approximate=found.approximate)})"


def sidebar(*, on_change: Callable[[], None] | None = None, search_help: str = SEARCH_HELP,
            fuzzy: bool = True) -> ClaimFilter:
    """Draw the filter panel in the sidebar and return the ClaimFilter it describes.

    One widget per filter of claims/filters.py that has one, in its order; the
    two ends of a date range share one date picker, two figure bounds sit side
    by side. ``on_change`` runs after any filter changes or is cleared (Review
    goes back to its first page). ``fuzzy`` widens a search that finds nothing
    to stored names spelled like it (see :func:`dashboard.data.review_filter`).
    """
    _read_url()
    options = _options()
    _load(options)

    def kw(name: str) -> dict[str, Any]:
        return {"key": WIDGET[name], "on_change": _keep, "args": (name, on_change)}

    counts = _value_counts()
    values: dict[str, Any] = {}
    drawn: set[str] = set()
    numbers = [f for f in FILTERS if f.widget == "number"]
    with st.sidebar:
        st.subheader("Filters")
        for f in FILTERS:
            if f.widget is None or f.key in drawn:
                continue
            drawn.add(f.key)
            if f.widget == "text":
                values[f.key] = st.text_input(f.label, placeholder=f.placeholder,
                                              help=search_help if f.field == "text" else f.widget_help, **kw(f.key))
            elif f.widget == "multiselect":
                values[f.key] = st.multiselect(f.label, options[f.key], format_func=_with_count(f, counts),
                                               placeholder=f.placeholder, help=f.widget_help, **kw(f.key))
            elif f.widget == "number":
                # every number bound (figure from, figure to) side by side in one row
                for n, col in zip(numbers, st.columns(len(numbers))):
                    drawn.add(n.key)
                    values[n.key] = col.number_input(n.label, min_value=0.0, value=None, step=1.0, format="%g",
                                                     help=n.widget_help, **kw(n.key))
            elif f.widget == "date_range":
                values[f.key] = st.date_input(f.label, value=[], help=f.widget_help, **kw(f.key))
        st.button("Clear filters", on_click=clear, args=(on_change,), icon=":material/filter_alt_off:",
                  width="stretch", key=CLEAR_KEY)

    _write_url(values)
    return data.review_filter(values, fuzzy=fuzzy)
