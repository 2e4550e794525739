"""Values in words: durations as people say them, bounds as phrases, the figure a claim states (issue 14)."""
from __future__ import annotations

import pytest

from claims.describe import duration_text, figure_phrase, statement


@pytest.mark.parametrize("iso,words", [
    ("P1M", "1 month"), ("P2W", "2 weeks"), ("P11Y", "11 years"), ("P3D", "3 days"), ("PT5H", "5 hours"),
    ("P1Y6M", "1 year 6 months"), ("P1.5Y", "1.5 years"), ("PT1M", "1 minute"), ("soon", "soon"), (None, ""),
])
def test_duration_text(iso, words):
    assert duration_text(iso) == words


@pytest.mark.parametrize("low,high,approx,phrase", [
    (23, 23, False, "23"), (6000, 6000, True, "around 6,000"), (23, None, False, "at least 23"),
    (None, 12, False, "up to 12"), (150, 250, False, "between 150 and 250"), (None, None, False, ""),
])
def test_figure_phrase(low, high, approx, phrase):
    assert figure_phrase(low, high, approximate=approx) == phrase


def test_statement_keeps_the_quote_unless_the_figure_was_corrected():
    row = {"kind": "casualties", "quote": "dozens of soldiers", "low": 24, "high": 99, "extracted_low": 24,
           "extracted_high": 99, "approximate": True, "extracted_approximate": True, "outcome": "killed",
           "subject": "soldiers", "attributed_to": "the army"}
    assert statement(row) == "Dozens of soldiers were killed, according to the army"
    assert statement({**row, "low": 31, "high": 31, "approximate": False}) == \
        "31 soldiers were killed, according to the army"
    assert statement({"kind": "duration", "quote": "one-month", "duration": "P1M"}) == "One-month (1 month)"
    assert statement({"kind": "force_size", "quote": "around 6,000 TTP fighters", "subject": "TTP fighters",
                      "low": 6000, "high": 6000, "attributed_to": "UN report"}) == \
        "Around 6,000 TTP fighters, according to UN report"
