"""AppTest smoke test of every page file in dashboard/app_pages: it renders, without an exception, on each kind of store.

The page list is the folder itself, so a new page is covered the moment it is added (and must be
registered in dashboard/streamlit_app.py: AppTest cannot switch to a page the app does not list).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from claims.ingest import ingest_paths
from claims.store import Store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "streamlit_app.py")
PAGE_FILES = sorted(f"app_pages/{p.name}" for p in (ROOT / "dashboard" / "app_pages").glob("*.py")
                    if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def seeded_sqlite(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('seeds') / 'claims.db'}"
    with Store(url) as s:
        assert ingest_paths(s, [ROOT / "seeds"]).ok
    return url


@pytest.fixture
def store_url(request, sqlite_url, seeded_sqlite) -> str:
    if request.param == "empty":
        Store(sqlite_url).close()
        return sqlite_url
    if request.param == "seeds":
        return seeded_sqlite
    url = request.getfixturevalue("pg_url")
    with Store(url) as s:
        assert ingest_paths(s, [ROOT / "seeds"]).ok
    return url


def test_the_page_list_is_every_page_file():
    assert len(PAGE_FILES) >= 6 and "app_pages/review.py" in PAGE_FILES


@pytest.mark.parametrize("store_url", ["empty", "seeds", "postgresql"], indirect=True)
@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_page_renders(page, store_url, monkeypatch):
    monkeypatch.setenv("CLAIMS_DB_URL", store_url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, f"{page} starts with a title"
