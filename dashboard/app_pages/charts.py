"""Charts: the claims at a glance -- by kind and verdict, review progress, figures by publisher, a timeline."""
from __future__ import annotations

import streamlit as st

from dashboard import charts, data, filters, tables

# ---------------------------------------------------------------- sidebar: filters (shared with Review and Export)
flt = filters.sidebar(search_help=None, fuzzy=False)

st.title("Charts", anchor=False)
st.caption("Every chart follows the filters in the sidebar; each has its data as a table underneath.")


def chart_with_table(title: str, figure, frame, *, key: str, help_text: str = "", column_config=None) -> None:
    st.subheader(title, anchor=False, help=help_text or None)
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    with chart_tab:
        st.plotly_chart(figure, width="stretch", key=key, config={"displaylogo": False})
    with table_tab:
        st.dataframe(frame, hide_index=True, width="stretch", column_config=column_config)


# "—" in an agreement cell: say why there is no number
AGREEMENT_COLUMNS = {
    "Agreement %": st.column_config.TextColumn("Agreement %", help="Share of the claims both judged on which their "
                                               "verdicts match; — when there are none"),
    "Cohen's kappa": st.column_config.TextColumn(
        "Cohen's kappa", help="Agreement beyond chance. — means undefined: too few claims, or both reviewers "
                              "gave one verdict to every claim, so chance alone already agrees fully."),
}


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

pairs, kinds = data.agreement_frames(flt)
chart_with_table("Reviewer agreement", charts.agreement_figure(pairs), tables.agreement_display(pairs),
                 key="ch_agreement", column_config=AGREEMENT_COLUMNS,
                 help_text="For each pair of reviewers, the claims both judged: how often their verdicts match and "
                           "Cohen's kappa (agreement beyond chance: 1 full, 0 chance, below 0 worse than chance; "
                           "— when undefined). Read from each reviewer's own verdict.")
if not kinds.empty:
    st.caption("By kind (every pair's verdicts pooled)")
    st.dataframe(tables.agreement_display(kinds), hide_index=True, width="stretch", key="agreement_kinds",
                 column_config=AGREEMENT_COLUMNS)
