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
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import streamlit as st

from claims.model import ClaimFilter, Kind, Outcome, Verdict
from dashboard import data, look

# name -> value when nothing is filtered; lists for multiselects and the two date ranges
DEFAULTS: dict[str, Any] = {
    "text": "", "publishers": [], "kinds": [], "outcomes": [], "verdicts": [], "reviewers": [],
    "fig_min": None, "fig_max": None, "event_dates": [], "published": [],
}
WIDGET = {name: f"f_{name}" for name in DEFAULTS}          # the keys tests and pages address widgets by
KEEP = {name: f"filter:{name}" for name in DEFAULTS}       # persistent, owned by no widget
CLEAR_KEY = "f_clear"

SEARCH_HELP = ("Finds claims whose quote, subject, attribution or sentence contains this text; "
               "when none does, names spelled like it (fuzzy: 'Tehreek' finds 'Tehrik').")


def values() -> dict[str, Any]:
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


def sidebar(*, on_change: Callable[[], None] | None = None, search_help: str = SEARCH_HELP,
            fuzzy: bool = True) -> ClaimFilter:
    """Draw the filter panel in the sidebar and return the ClaimFilter it describes.

    ``on_change`` runs after any filter changes or is cleared (Review goes back
    to its first page). ``fuzzy`` widens a search that finds nothing to stored
    names spelled like it (see :func:`dashboard.data.review_filter`).
    """
    options = {"publishers": data.publisher_names(), "reviewers": data.reviewer_names(),
               "kinds": [k.value for k in Kind], "outcomes": [o.value for o in Outcome],
               "verdicts": [v.value for v in Verdict]}
    _load(options)

    def kw(name: str) -> dict[str, Any]:
        return {"key": WIDGET[name], "on_change": _keep, "args": (name, on_change)}

    with st.sidebar:
        st.subheader("Filters")
        search = st.text_input("Search", placeholder="subject, quote, attribution…", help=search_help, **kw("text"))
        pubs = st.multiselect("Publisher", options["publishers"], placeholder="All publishers", **kw("publishers"))
        kinds = st.multiselect("Kind", options["kinds"], format_func=look.kind_label, placeholder="All kinds",
                               **kw("kinds"))
        outcomes = st.multiselect("Outcome", options["outcomes"], format_func=look.OUTCOME_LABEL.get,
                                  placeholder="Killed and injured", **kw("outcomes"))
        verdicts = st.multiselect("Verdict", options["verdicts"], format_func=look.verdict_label,
                                  placeholder="All verdicts", **kw("verdicts"))
        reviewers = st.multiselect("Reviewer", options["reviewers"], placeholder="Anyone", **kw("reviewers"))
        lo_col, hi_col = st.columns(2)
        fig_min = lo_col.number_input("Figure from", min_value=0.0, value=None, step=1.0, format="%g",
                                      **kw("fig_min"))
        fig_max = hi_col.number_input("Figure to", min_value=0.0, value=None, step=1.0, format="%g",
                                      **kw("fig_max"))
        event_dates = st.date_input("Event date", value=[], **kw("event_dates"),
                                    help="Claims whose date (of kind Date, or a corrected date) falls in this range.")
        published = st.date_input("Published", value=[], **kw("published"))
        st.button("Clear filters", on_click=clear, args=(on_change,), icon=":material/filter_alt_off:",
                  width="stretch", key=CLEAR_KEY)

    return data.review_filter(publishers=pubs, kinds=kinds, outcomes=outcomes, verdicts=verdicts,
                              reviewers=reviewers, figure_min=fig_min, figure_max=fig_max,
                              event_dates=event_dates, published_dates=published, text=search, fuzzy=fuzzy)
