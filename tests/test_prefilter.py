"""The lexicon-derived pre-filter (claims.extract.triggers) never changes what extract() finds.

Extraction with the pre-filter on and off must give identical claims: over every
golden case and lexicon example, each of their sentences alone (most sentences
without a figure are exactly what the filter skips), and generated text built
from the trigger words themselves, words that merely contain them, and
arbitrary characters.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from claims.extract import extract, triggers
from claims.extract.dates import anchor_words
from claims.extract.lexicon import SCHEMAS, load
from claims.extract.quantities import patterns
from claims.extract.sentences import sentence_spans

GOLDEN = Path(__file__).parent / "golden" / "extract.jsonl"
PUBLISHED = dt.date(2024, 3, 6)


def _examples(x):
    if isinstance(x, dict):
        if isinstance(x.get("example"), str):
            yield x["example"]
        for v in x.values():
            yield from _examples(v)
    elif isinstance(x, list):
        for v in x:
            yield from _examples(v)


def _texts() -> list[str]:
    texts = [json.loads(line)["text"] for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += [ex for name in SCHEMAS for ex in _examples(load(name))]
    pieces = [t[a:b] for t in texts for a, b in sentence_spans(t)]
    return sorted(set(texts + pieces))


def _both(text: str) -> tuple[list, list]:
    on = extract(text, published=PUBLISHED)
    triggers.ENABLED = False
    try:
        off = extract(text, published=PUBLISHED)
    finally:
        triggers.ENABLED = True
    return on, off


def test_same_claims_with_and_without_the_prefilter_on_golden_and_lexicon_texts():
    texts = _texts()
    skipped = 0
    for text in texts:
        on, off = _both(text)
        assert on == off, text
        skipped += not triggers.may_hold_claims(text.lower())
    assert skipped > 20  # the corpus does exercise the filter: many sentences hold no trigger


def test_every_lexicon_trigger_word_is_a_trigger():
    for word in sorted(anchor_words() | set(patterns().seeds)):
        assert triggers.may_hold_claims(word), word


def test_a_text_without_triggers_is_skipped():
    assert not triggers.may_hold_claims("the minister spoke to reporters about the attack on the convoy.")
    assert extract("The minister spoke to reporters about the attack on the convoy.") == []


def _words():
    words = sorted(anchor_words() | set(patterns().seeds))
    # the trigger words, the same inside other words ("someone", "Sundays", "_five"), and plain prose
    near = [w for t in words[:60] for w in (t, t.capitalize(), "x" + t, t + "s", "_" + t)]
    plain = ["killed", "were", "people", "said", "police", "the", "attack", "at least", "about", "of", ",", ".",
             "\n", "“", "”", "-", "according to", "injured", "soldiers", "fighters", "a", "an", "Tuesday's"]
    return st.lists(st.sampled_from(words + near + plain + ["7", "2014", "3,000", "1.5"]), max_size=25)


@settings(max_examples=400, deadline=None)
@given(_words().map(" ".join))
def test_same_claims_with_and_without_the_prefilter_on_generated_text(text):
    on, off = _both(text)
    assert on == off


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_same_claims_with_and_without_the_prefilter_on_any_text(text):
    on, off = _both(text)
    assert on == off


@pytest.mark.parametrize("text", ["No one was hurt.", "Someone often phoned.", "It fell on a Sunday.",
                                  "Nine were killed.", "They fled in mid-May."])
def test_word_triggers_need_a_word_start(text):
    on, off = _both(text)
    assert on == off
