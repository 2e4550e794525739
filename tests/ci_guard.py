"""Pytest plugin: under CI=true, a skipped PostgreSQL or browser test is a failure.

CI must prove the store works on a real PostgreSQL cluster and the dashboard
in a real browser; a missing server or browser must not pass as "skipped".
Tests are recognised by the ``postgres`` / ``browser`` markers; tests that use
the ``pg_url`` fixture, or are parametrised with a PostgreSQL backend id, get
the ``postgres`` marker automatically.
"""
from __future__ import annotations

import os

import pytest

GUARDED = ("postgres", "browser")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_configure(config):
    config.addinivalue_line("markers", "postgres: needs a real PostgreSQL cluster (must run under CI=true)")
    config.addinivalue_line("markers", "browser: drives Debian's chromium with Playwright (must run under CI=true)")
    config.addinivalue_line("markers", "slow: takes more than a few seconds (stress, crash, scale)")
    config._guard_passed = {m: 0 for m in GUARDED}
    config._guard_seen = {m: 0 for m in GUARDED}


def _is_postgres(item) -> bool:
    if "pg_url" in getattr(item, "fixturenames", ()):
        return True
    spec = getattr(item, "callspec", None)
    if spec is None:
        return False
    return any("postgres" in str(i).lower() for i in spec._idlist) or any(
        "postgres" in str(v).lower() for v in spec.params.values()
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _is_postgres(item) and not item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.postgres)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    guarded = [m for m in GUARDED if item.get_closest_marker(m)]
    if not guarded:
        return
    if rep.when == "call" and rep.passed:
        for m in guarded:
            item.config._guard_passed[m] += 1
    if rep.when == "setup":
        for m in guarded:
            item.config._guard_seen[m] += 1
    if rep.skipped and in_ci() and not hasattr(rep, "wasxfail"):
        rep.outcome = "failed"
        reason = rep.longrepr[2] if isinstance(rep.longrepr, tuple) else str(rep.longrepr)
        rep.longrepr = f"{'/'.join(guarded)} test skipped under CI=true (it must run): {reason}"


def pytest_sessionfinish(session, exitstatus):
    if not in_ci() or session.config.option.collectonly:
        return
    seen, passed = session.config._guard_seen, session.config._guard_passed
    missing = [m for m in GUARDED if seen[m] and not passed[m]]
    if missing:
        print(f"\nci_guard: no {' or '.join(missing)} test passed under CI=true")
        session.exitstatus = 1
