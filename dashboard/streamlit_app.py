"""Entrypoint of the review dashboard: page setup, navigation and the reviewer's identity.

Run from the repository root: ``python -m streamlit run dashboard/streamlit_app.py``.
To add a page, add one ``st.Page`` line to ``PAGES``.
"""
from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/streamlit_app.py` puts only dashboard/ on sys.path; the pages import `claims` and `dashboard`.
ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import streamlit as st  # noqa: E402

from claims.errors import ClaimsError  # noqa: E402
from dashboard import data, filters, identity, look  # noqa: E402

st.set_page_config(page_title="Claims review", page_icon=":material/fact_check:", layout="wide")

PAGES = [
    st.Page("app_pages/review.py", title="Review", icon=":material/fact_check:", default=True),
    st.Page("app_pages/documents.py", title="Documents", icon=":material/article:"),
    st.Page("app_pages/sources.py", title="Sources", icon=":material/newspaper:"),
    st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
    st.Page("app_pages/charts.py", title="Charts", icon=":material/bar_chart:"),
    st.Page("app_pages/export.py", title="Export", icon=":material/download:"),
]

# Less empty space above each page's title: reviewers want the table and the claim on one screen.
st.html("<style>[data-testid='stMainBlockContainer']{padding-top:2.5rem}</style>")
# Narrow windows (a laptop split screen, 800 px): the sidebar starts collapsed, the page gets the width.
st.html(look.COLLAPSE_WHEN_NARROW_JS, unsafe_allow_javascript=True)

page = st.navigation(PAGES)
st.session_state[filters.PAGE_KEY] = page.url_path  # the filter panel carries filters into a page opened from the menu
identity.sidebar()
try:
    data.store()
except ClaimsError as e:  # a wrong URL or unreachable server: say how to fix it instead of a traceback
    st.error(f"Cannot open the claim database: {look.md_escape(str(e))}", icon=":material/database:")
    st.markdown("Set `CLAIMS_DB_URL` (for example `sqlite:///data/claims.db` or "
                "`postgresql+psycopg://user@host/claims`) and restart the dashboard.")
    st.stop()
page.run()
