"""Number parsing: digits, number words, and the finder regex."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from claims.extract.numbers import NUMBER_RE, find_numbers, parse_number

CASES = [
    ("6,000", 6000), ("6.5 million", 6_500_000), ("1.2m", 1_200_000), ("1.5bn", 1_500_000_000),
    ("nine", 9), ("Nine", 9), ("thirty-five", 35), ("two hundred", 200), ("a dozen", 12),
    ("two dozen", 24), ("one hundred and twenty", 120), ("one-month", 1), ("14-year", 14),
    ("three thousand five hundred", 3500), ("2 lakh", 200_000), ("1,00,000", 100_000),
    ("a hundred", 100), ("twenty one", 21), ("5.5", 5.5), ("10k", 10_000),
]


@pytest.mark.parametrize("text,value", CASES)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "  ", "foo", "and", "a", "five six", "one one", "the"])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


def test_finder_keeps_ranges_apart_and_skips_glued_tokens():
    text = "Around 6,000 fighters, 8-10 militants, F-16 jets, COVID-19 and 1st place at 12:30."
    found = [text[a:b] for a, b, _ in find_numbers(text)]
    assert found == ["6,000", "8", "10"]


def test_finder_word_numbers():
    text = "One hundred and twenty people and a dozen others; thirty-five were hurt."
    assert [(text[a:b], v) for a, b, v in find_numbers(text)] == [
        ("One hundred and twenty", 120), ("a dozen", 12), ("thirty-five", 35)]


@given(st.text())
def test_parse_number_never_raises(s):
    parse_number(s)


@given(st.text(alphabet=st.sampled_from(list("0123456789,. -and onetwhudrsix")), max_size=200))
def test_every_match_parses(s):
    for m in NUMBER_RE.finditer(s):
        if sum(ch.isdigit() for ch in m.group(0)) > 15:
            continue  # above MAX_VALUE: ids and page furniture, deliberately not numbers
        assert parse_number(m.group(0)) is not None, m.group(0)


def test_pathological_input_is_linear():
    s = "one " * 20000 + "1," * 20000 + "twenty-" * 20000
    assert len(find_numbers(s)) > 0


def test_huge_digit_runs_are_not_numbers():
    assert parse_number("9" * 400) is None
    assert parse_number("1" * 16) is None
    assert parse_number("999,999,999,999,999") == 999_999_999_999_999
