"""Charts: the claims at a glance -- by kind and verdict, review progress, figures by publisher, a timeline."""
from __future__ import annotations

import streamlit as st

from claims.model import Kind, Outcome, Verdict
from dashboard import charts, data, look

ss = st.session_state
FILTERS = {"cf_text": "", "cf_publishers": [], "cf_kinds": [], "cf_outcomes": [], "cf_verdicts": [],
           "cf_reviewers": [], "cf_fig_min": None, "cf_fig_max": None, "cf_event_dates": [], "cf_published": []}
for _k, _v in FILTERS.items():  # the same filters as Compare, kept across the two pages
    ss[_k] = ss.get(_k, _v)


def clear_filters() -> None:
    for k, v in FILTERS.items():
        ss[k] = v


with st.sidebar:
    st.subheader("Filters")
    search = st.text_input("Search", key="cf_text", placeholder="subject, quote, attribution…")
    pubs = st.multiselect("Publisher", data.publisher_names(), key="cf_publishers", placeholder="All publishers")
    kinds = st.multiselect("Kind", [k.value for k in Kind], format_func=look.kind_label, key="cf_kinds",
                           placeholder="All kinds")
    outcomes = st.multiselect("Outcome", [o.value for o in Outcome], format_func=look.OUTCOME_LABEL.get,
                              key="cf_outcomes", placeholder="Killed and injured")
    verdicts = st.multiselect("Verdict", [v.value for v in Verdict], format_func=look.verdict_label,
                              key="cf_verdicts", placeholder="All verdicts")
    reviewers = st.multiselect("Reviewer", data.reviewer_names(), key="cf_reviewers", placeholder="Anyone")
    lo_col, hi_col = st.columns(2)
    fig_min = lo_col.number_input("Figure from", min_value=0.0, step=1.0, format="%g", key="cf_fig_min")
    fig_max = hi_col.number_input("Figure to", min_value=0.0, step=1.0, format="%g", key="cf_fig_max")
    event_dates = st.date_input("Event date", key="cf_event_dates",
                                help="Claims whose date (of kind Date, or a corrected date) falls in this range.")
    published = st.date_input("Published", key="cf_published")
    st.button("Clear filters", on_click=clear_filters, icon=":material/filter_alt_off:", width="stretch",
              key="cf_clear")

flt = data.review_filter(publishers=pubs, kinds=kinds, outcomes=outcomes, verdicts=verdicts, reviewers=reviewers,
                         figure_min=fig_min, figure_max=fig_max, event_dates=event_dates,
                         published_dates=published, text=search, fuzzy=False)

st.title("Charts", anchor=False)
st.caption("Every chart follows the filters in the sidebar; each has its data as a table underneath.")


def chart_with_table(title: str, figure, frame, *, key: str, help_text: str = "") -> None:
    st.subheader(title, anchor=False, help=help_text or None)
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    with chart_tab:
        st.plotly_chart(figure, width="stretch", key=key, config={"displaylogo": False})
    with table_tab:
        st.dataframe(frame, hide_index=True, width="stretch")


kv = data.chart_kind_verdict(flt)
chart_with_table("Claims by kind and verdict", charts.kind_verdict_figure(kv), kv, key="ch_kind_verdict")

progress = data.chart_progress(flt)
chart_with_table("Review progress", charts.progress_figure(progress), progress, key="ch_progress",
                 help_text="Claims reviewed over time (cumulative), by the first verdict each was given, "
                           "from the review history.")

figures = data.chart_publisher_figures(flt)
chart_with_table("Figures by publisher", charts.publisher_figures_figure(figures), figures, key="ch_publishers",
                 help_text="Casualty and force-size figures each publisher reported (point figure of a range: "
                           "its midpoint). At most 5,000 claims, newest first.")

dated = data.chart_timeline(flt)
chart_with_table("Timeline of dated claims", charts.timeline_figure(dated), dated, key="ch_timeline",
                 help_text="Date claims by the month they name (claims naming only a year are left out).")
