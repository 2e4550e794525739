"""Tests for claims/extract/dates.py: golden cases, lexicon validation, properties, pathological input."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.errors import BadInputError, LexiconError
from claims.extract.dates import LEXICON_PATH, find_dates, load_lexicon
from claims.model import Kind

GOLDEN_DIR = Path(__file__).parent / "golden"
ISO_DURATION = re.compile(r"^P(?!$)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?W)?(?:\d+(?:\.\d+)?D)?"
                          r"(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$")


def _golden_cases() -> list:
    cases = []
    for f in sorted(GOLDEN_DIR.glob("dates*.json")):
        for case in json.loads(f.read_text(encoding="utf-8"))["cases"]:
            cases.append(pytest.param(case, id=f"{f.stem}:{case['name']}"))
    return cases


def _value(c) -> str | None:
    return c.date if c.kind is Kind.DATE else c.duration


@pytest.mark.parametrize("case", _golden_cases())
def test_golden(case):
    published = dt.date.fromisoformat(case["published"]) if case["published"] else None
    found = find_dates(case["text"], published=published)
    got = [(c.kind.value, c.quote, _value(c)) for c in found]
    want = [(e["kind"], e["quote"], e.get("date") if e["kind"] == "date" else e.get("duration"))
            for e in case["expected"]]
    assert got == want


def assert_valid(text: str, claims) -> None:
    """Check the extraction contract: spans slice to quotes, values are valid ISO."""
    for c in claims:
        assert text[c.start:c.end] == c.quote
        assert c.low is None and c.high is None
        assert c.sentence == "" and c.attributed_to is None
        assert c.rule
        if c.kind is Kind.DATE:
            assert c.duration is None
            if c.date is not None:
                parts = c.date.split("-")
                assert len(parts) in (1, 2, 3) and len(parts[0]) == 4
                dt.date.fromisoformat(c.date + ("-01-01", "-01", "")[len(parts) - 1])
        else:
            assert c.kind is Kind.DURATION and c.date is None
            assert c.duration and ISO_DURATION.match(c.duration), c.duration


def test_every_claim_is_dates_or_durations_with_rules():
    text = "On June 15, 2014 the siege lasted three days; last month it resumed."
    found = find_dates(text, published=dt.date(2021, 11, 9))
    assert {c.kind for c in found} == {Kind.DATE, Kind.DURATION}
    assert_valid(text, found)


def test_published_at_calendar_edges_does_not_raise():
    text = "Yesterday, tomorrow, last year, next month, Monday, next Friday, December 31, two days ago, 5 years ago."
    for day in (dt.date.min, dt.date.max, dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(2000, 2, 29)):
        assert_valid(text, find_dates(text, published=day))


def test_published_datetime_counts_as_its_date():
    found = find_dates("It happened yesterday.", published=dt.datetime(2021, 11, 9, 23, 59))
    assert [c.date for c in found] == ["2021-11-08"]


def test_published_of_the_wrong_type_is_bad_input():
    with pytest.raises(BadInputError, match="published: want a date, got str"):
        find_dates("It happened yesterday.", published="2021-11-09")


def test_feb_29_resolves_only_in_leap_years():
    found = find_dates("The attack came on February 29.", published=dt.date(2021, 3, 10))
    assert [c.date for c in found] == ["2020-02-29"]


# Words the finder reacts to, so random texts hit the patterns often.
_VOCAB = ["January", "Nov.", "May", "March", "9", "15", "2014", "2021-11-09", "-", ",", ".", "\n", "last", "next",
          "this", "month", "year", "years", "weeks", "day", "ago", "a", "an", "one", "twenty-five", "hundred",
          "Monday", "Friday", "today", "yesterday", "mid", "early", "late", "aged", "old", "of", "the", "past",
          "will", "was", "ISLAMABAD", "Published", ":", "(", "14-year-old", "1800", "hours", "1.5", "00", "31"]


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300),
       published=st.one_of(st.none(), st.dates()))
def test_never_raises_on_any_text(text, published):
    assert_valid(text, find_dates(text, published=published))


@settings(max_examples=400, deadline=None)
@given(words=st.lists(st.sampled_from(_VOCAB), max_size=40),
       seps=st.lists(st.sampled_from([" ", "", "  ", "\n"]), min_size=40, max_size=40),
       published=st.one_of(st.none(), st.dates()))
def test_never_raises_on_date_like_text(words, seps, published):
    text = "".join(w + s for w, s in zip(words, seps))
    assert_valid(text, find_dates(text, published=published))


def test_pathological_input_finishes():
    # Long runs that could make a careless pattern backtrack: digits, separators, number words.
    text = ("1" * 200_000 + " " + "1,000" * 20_000 + " " + "a " * 50_000 + "twenty-" * 20_000
            + "Monday, " * 20_000 + "-" * 100_000 + " 9" * 50_000)
    found = find_dates(text, published=dt.date(2021, 11, 9))
    assert_valid(text, found[:1000])
    assert sum(c.quote.startswith("Monday") for c in found) > 1000


# ---------------------------------------------------------------- lexicon validation
def _write(tmp_path: Path, data) -> Path:
    p = tmp_path / "dates.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    return p


def _lexicon_data() -> dict:
    return json.loads(LEXICON_PATH.read_text(encoding="utf-8"))


def test_shipped_lexicon_loads_and_every_entry_has_an_example():
    lex = load_lexicon()
    assert lex.months["sept"] == 9 and lex.weekdays["friday"] == 4
    for section, entries in _lexicon_data().items():
        if isinstance(entries, list):
            assert all(e.get("example") for e in entries), section


def test_lexicon_missing_example_names_file_and_entry(tmp_path):
    data = _lexicon_data()
    del data["units"][2]["example"]
    with pytest.raises(LexiconError, match=r"dates\.json: units\[2\] \(\['hour'.*missing 'example'"):
        load_lexicon(_write(tmp_path, data))


def test_lexicon_bad_type_names_field(tmp_path):
    data = _lexicon_data()
    data["months"][4]["number"] = "five"
    with pytest.raises(LexiconError, match=r"months\[4\].*'number' has the wrong type"):
        load_lexicon(_write(tmp_path, data))


def test_lexicon_out_of_range_month(tmp_path):
    data = _lexicon_data()
    data["months"][0]["number"] = 13
    with pytest.raises(LexiconError, match=r"months\[0\].*not 1\.\.12"):
        load_lexicon(_write(tmp_path, data))


def test_lexicon_unit_iso_must_fit(tmp_path):
    data = _lexicon_data()
    data["units"][0]["iso"] = "Y"  # seconds marked as years
    with pytest.raises(LexiconError, match=r"units\[0\].*iso 'Y'"):
        load_lexicon(_write(tmp_path, data))


def test_lexicon_holiday_needs_a_day_rule(tmp_path):
    data = _lexicon_data()
    del data["holidays"][0]["day"]
    with pytest.raises(LexiconError, match=r"holidays\[0\] \('Christmas Day'\): needs month"):
        load_lexicon(_write(tmp_path, data))


def test_lexicon_ambiguous_flag_must_be_boolean(tmp_path):
    data = _lexicon_data()
    data["months"][2]["ambiguous"] = "yes"
    with pytest.raises(LexiconError, match=r"months\[2\].*'ambiguous' must be true or false"):
        load_lexicon(_write(tmp_path, data))


def test_lexicon_not_json(tmp_path):
    p = tmp_path / "dates.json"
    p.write_text("{not json", encoding="utf-8")
    with pytest.raises(LexiconError, match="not valid JSON"):
        load_lexicon(p)


def test_lexicon_missing_section(tmp_path):
    data = _lexicon_data()
    del data["weekdays"]
    with pytest.raises(LexiconError, match="weekdays: section must be a non-empty list"):
        load_lexicon(_write(tmp_path, data))
