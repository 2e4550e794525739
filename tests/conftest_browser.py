"""Pytest plugin for the browser tests: Debian's chromium through Playwright, and a live dashboard server.

Load it from a test module with ``pytest_plugins = ["tests.conftest_browser"]``.
Without chromium the tests skip with a reason, except under CI=true where
they fail (tests/ci_guard.py also turns such skips into failures).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import browser_util


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _missing(reason: str):
    if _in_ci():
        pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_browser():
    """Yield a headless system chromium (Playwright sync API), shared by the session."""
    if browser_util.chromium_path() is None:
        _missing("Debian's chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package is not installed")
    with sync_playwright() as p:
        browser = browser_util.launch(p)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def output_dir(request) -> Path:
    """Return test-output/<test name>/ at the repo root (git-ignored), created."""
    d = browser_util.OUTPUT / request.node.name.replace("/", "_").replace("[", "_").replace("]", "")
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture
def serve_dashboard(output_dir):
    """Return a function that starts the dashboard on a database URL and returns its base URL (stopped at teardown)."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        def start(db_url: str) -> str:
            return stack.enter_context(browser_util.dashboard_server(db_url, log_path=output_dir / "streamlit.log"))
        yield start
