"""Golden files follow a schema: a key no test reads (a typo, or a retired option) fails here.

``tests/golden/extract.jsonl`` (one case a line) and ``tests/golden/dates*.json``
are read by the parametrised golden tests in test_extract.py and test_dates.py;
this checks every case against the keys those tests read, so an expectation
can never sit in a file without being checked.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from claims.model import Claim, Kind

GOLDEN = Path(__file__).parent / "golden"
CLAIM_FIELDS = {f.name for f in dataclasses.fields(Claim)}
KINDS = {k.value for k in Kind}
# case key -> check of its value (test_extract.test_golden reads each of these)
EXTRACT_CASE = {
    "name": lambda v: isinstance(v, str) and v.strip(),
    "text": lambda v: isinstance(v, str) and v.strip(),
    "expect": lambda v: isinstance(v, list),
    "published": lambda v: v is None or (isinstance(v, str) and dt.date.fromisoformat(v)),
    "complete": lambda v: isinstance(v, list) and set(v) <= KINDS,
    "no_casualties": lambda v: isinstance(v, bool),
}
DATES_CASE = {"name", "published", "text", "expected"}
DATES_EXPECTED = {"kind", "quote", "date", "duration"}


def check_extract_case(case: dict) -> list[str]:
    """Return what is wrong with one extract.jsonl case (empty when it follows the schema)."""
    errors = []
    for key in ("name", "text", "expect"):
        if key not in case:
            errors.append(f"missing {key!r}")
    for key, value in case.items():
        if key not in EXTRACT_CASE:
            errors.append(f"unknown key {key!r} (no test reads it; known: {sorted(EXTRACT_CASE)})")
        elif not EXTRACT_CASE[key](value):
            errors.append(f"bad value for {key!r}: {value!r}")
    for i, want in enumerate(case.get("expect") or []):
        if not isinstance(want, dict) or not {"kind", "quote"} <= set(want):
            errors.append(f"expect[{i}] needs 'kind' and 'quote'")
            continue
        extra = sorted(set(want) - CLAIM_FIELDS)
        if extra:
            errors.append(f"expect[{i}] has {extra[0]!r}, not a claim field")
        if want["kind"] not in KINDS:
            errors.append(f"expect[{i}] kind {want['kind']!r} unknown")
        if want["quote"] not in case.get("text", ""):
            errors.append(f"expect[{i}] quote {want['quote']!r} is not in the text")
    return errors


def _extract_cases():
    lines = (GOLDEN / "extract.jsonl").read_text(encoding="utf-8").splitlines()
    return [pytest.param(json.loads(line), id=f"line {n}") for n, line in enumerate(lines, 1) if line.strip()]


@pytest.mark.parametrize("case", _extract_cases())
def test_extract_golden_case_follows_schema(case):
    assert check_extract_case(case) == [], case.get("name")


def test_extract_golden_names_are_unique():
    names = [p.values[0]["name"] for p in _extract_cases()]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_schema_check_rejects_an_unread_key():
    case = {"name": "x", "text": "Three people were killed.", "no_extra": True,
            "expect": [{"kind": "casualties", "quote": "Three people", "outcom": "killed"}]}
    errors = check_extract_case(case)
    assert any("'no_extra'" in e for e in errors) and any("'outcom'" in e for e in errors)


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("dates*.json")), ids=lambda p: p.name)
def test_dates_golden_follows_schema(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) <= {"_about", "cases"}
    for case in data["cases"]:
        assert set(case) == DATES_CASE, case.get("name")
        for want in case["expected"]:
            assert {"kind", "quote"} <= set(want) <= DATES_EXPECTED, (case["name"], want)
            assert want["quote"] in case["text"], (case["name"], want)
