"""The review dashboard: run ``python -m streamlit run dashboard/streamlit_app.py`` from the repo root."""
