"""The CI guard turns skipped PostgreSQL/browser tests into failures under CI=true."""
import textwrap

pytest_plugins = ["pytester"]


def _run(pytester, monkeypatch, ci: str):
    pytester.makepyfile(textwrap.dedent("""
        import pytest

        @pytest.mark.postgres
        def test_pg():
            pytest.skip("no initdb")

        def test_plain():
            pytest.skip("unrelated")
    """))
    monkeypatch.setenv("CI", ci)
    return pytester.runpytest("-p", "tests.ci_guard")


def test_skip_is_failure_under_ci(pytester, monkeypatch):
    res = _run(pytester, monkeypatch, "true")
    res.assert_outcomes(failed=1, skipped=1)
    assert res.ret != 0


def test_skip_is_skip_outside_ci(pytester, monkeypatch):
    res = _run(pytester, monkeypatch, "")
    res.assert_outcomes(skipped=2)
