"""Extraction: golden cases (one parametrised test), properties, bad input and the lexicon loader."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from claims.extract import extract
from claims.errors import LexiconError
from claims.extract.lexicon import LEXICON_DIR, SCHEMAS, load_file
from claims.model import Kind

GOLDEN = Path(__file__).parent / "golden" / "extract.jsonl"
CASES = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]
FIGURE_KINDS = {"casualties", "force_size", "figure"}


def _find(claims, want):
    for c in claims:
        d = c.to_dict()
        if d["kind"] == want["kind"] and d["quote"] == want["quote"]:
            return d
    return None


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden(case):
    text = case["text"]
    published = dt.date.fromisoformat(case["published"]) if case.get("published") else None
    claims = extract(text, published=published)
    for c in claims:
        assert text[c.start:c.end] == c.quote
    got = [c.to_dict() for c in claims if c.kind.value in FIGURE_KINDS]
    for want in case["expect"]:
        d = _find(claims, want)
        assert d is not None, f"missing {want['kind']} {want['quote']!r}; got {[(g['kind'], g['quote']) for g in got]}"
        for key, value in want.items():
            assert d[key] == value, f"{want['quote']!r}: {key} = {d[key]!r}, want {value!r}"
    if case.get("no_casualties"):
        assert not [g for g in got if g["kind"] == "casualties"], got
    expected = {(w["kind"], w["quote"]) for w in case["expect"]}
    # "complete" names the kinds whose every claim the case lists (default: casualties and force sizes)
    complete = case.get("complete", ["casualties", "force_size"])
    extra = [(c.kind.value, c.quote) for c in claims if c.kind.value in complete
             and (c.kind.value, c.quote) not in expected]
    assert not extra, f"unexpected claims {extra}"


def test_every_rule_has_a_golden_case():
    """Each rule named in the extractor modules' docstrings is exercised by a golden case."""
    import importlib
    rules = set()
    for name in ("casualties", "forces", "figures"):
        mod = importlib.import_module(f"claims.extract.{name}")
        rules |= set(re.findall(r"``((?:casualty|force|figure)\.[a-z\-]+)``", mod.__doc__))
    covered = {w.get("rule") for c in CASES for w in c["expect"]}
    assert rules and rules <= covered, sorted(rules - covered)


@pytest.mark.parametrize("text", ["", " ", "\n\n\t "])
def test_empty_text_gives_no_claims(text):
    assert extract(text) == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_extract_never_raises_and_spans_slice_back(text):
    for c in extract(text):
        assert 0 <= c.start <= c.end <= len(text)
        assert text[c.start:c.end] == c.quote
        if c.low is not None and c.high is not None:
            assert c.low <= c.high


NEWSY = st.lists(st.sampled_from([
    "at least", "around", "between", "and", "to", "-", "killed", "injured", "were", "people", "soldiers",
    "militants", "dozens of", "thousands", "12", "6,000", "nine", "thirty-five", "said", "police", ",", ".",
    "“", "”", "\n", "according to", "the", "death toll rose to", "including", "He added", "$", "%", "2014",
]), max_size=60).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(NEWSY)
def test_newsy_text_properties(text):
    for c in extract(text):
        assert text[c.start:c.end] == c.quote
        if c.low is not None and c.high is not None:
            assert c.low <= c.high
        if c.kind == Kind.CASUALTIES:
            assert c.outcome is not None


def test_long_pathological_input_finishes():
    # no sentence breaks, runs of numbers, unclosed quotations, hedges without figures: all linear
    text = ("1, " * 8000) + ("one two three " * 4000) + ("killed " * 8000) + ("“" * 3000) + ("a, " * 8000)
    text += "around " * 8000 + ("between " * 3000) + "at least 5 people were killed. " * 500
    text += "police said 3 people were killed, " * 3000  # one sentence with thousands of sources and figures
    text += "He said 5 people were killed. " * 2000  # a long chain of pronouns pointing back
    out = extract(text)
    assert any(c.kind == Kind.CASUALTIES for c in out)


def test_sentences_and_attribution_filled():
    text = "Police said 5 people were killed. The bridge reopened on Monday after 3 days."
    out = [c for c in extract(text) if c.kind == Kind.CASUALTIES]
    assert out[0].sentence == "Police said 5 people were killed."
    assert out[0].attributed_to == "Police"


def test_lexicons_load():
    for name, schema in SCHEMAS.items():
        load_file(LEXICON_DIR / name, schema)


def test_every_lexicon_file_has_a_schema():
    assert sorted(p.name for p in LEXICON_DIR.glob("*.json")) == sorted(SCHEMAS)


def test_lexicon_unknown_key_or_section_fails(tmp_path):
    """A key or section nothing reads is an error, not silently ignored."""
    bad = tmp_path / "vague.json"
    entry = {"phrase": "dozens", "low": 24, "high": 99, "needs_of": False, "example": "Dozens were hurt."}
    bad.write_text(json.dumps({"entries": [{**entry, "needs_off": True}]}))
    with pytest.raises(LexiconError, match=r"vague\.json: entries\[0\] \('dozens'\): unknown key 'needs_off'"):
        load_file(bad)
    bad.write_text(json.dumps({"entries": [entry], "extras": [entry]}))
    with pytest.raises(LexiconError, match=r"vague\.json: unknown section 'extras'"):
        load_file(bad)


def test_lexicon_group_section_needs_example(tmp_path):
    import copy
    data = json.loads((LEXICON_DIR / "events.json").read_text(encoding="utf-8"))
    broken = copy.deepcopy(data)
    del broken["particles"]["example"]
    bad = tmp_path / "events.json"
    bad.write_text(json.dumps(broken))
    with pytest.raises(LexiconError, match=r"events\.json: particles.*missing 'example'"):
        load_file(bad)
    broken = copy.deepcopy(data)
    broken["facts"]["units"][0]["terms"] = []
    bad.write_text(json.dumps(broken))
    with pytest.raises(LexiconError, match=r"events\.json: facts: units\[0\].*'terms' must be a non-empty list"):
        load_file(bad)


def test_words_alternation_prefers_the_longest_word():
    from claims.extract.lexicon import words_alternation
    rx = re.compile(rf"(?:{words_alternation(['bomb', 'bombing', 'suicide bombing', 'Bomber'])})", re.I)
    assert rx.match("suicide  bombing raid").group(0) == "suicide  bombing"
    assert rx.match("bombers").group(0) == "bomber"
    assert rx.match("bombing").group(0) == "bombing"
    assert [m.group(0) for m in rx.finditer("a bomb, a bomber")] == ["bomb", "bomber"]


def test_malformed_lexicon_names_file_and_entry(tmp_path):
    bad = tmp_path / "quantifiers.json"
    bad.write_text(json.dumps({"entries": [
        {"phrase": "at least", "bound": "low", "approximate": False, "example": "At least 3 died."},
        {"phrase": "about", "bound": "sideways", "approximate": True, "example": "About 3 died."}]}))
    with pytest.raises(LexiconError, match=r"quantifiers\.json: entries\[1\] \('about'\): 'bound' must be one of"):
        load_file(bad)
    bad.write_text(json.dumps({"entries": [{"phrase": "at least", "bound": "low", "approximate": False}]}))
    with pytest.raises(LexiconError, match="missing 'example'"):
        load_file(bad)
    bad.write_text("{not json")
    with pytest.raises(LexiconError, match="not valid JSON"):
        load_file(bad)


def test_sentence_spans_keep_abbreviations_and_split_lines():
    from claims.extract.sentences import sentence_spans
    text = "Lt. Gen. Asim Bajwa said nine soldiers died. The U.S. said 10 troops were hurt.\nHeadline without stop"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Lt. Gen. Asim Bajwa said nine soldiers died.", "The U.S. said 10 troops were hurt.", "Headline without stop"]


def test_cli_extract_json(tmp_path, capsys):
    from claims.cli import main
    f = tmp_path / "a.txt"
    f.write_text("Police said 5 people were killed on Monday.", encoding="utf-8")
    assert main(["extract", str(f), "--published", "2024-03-06", "--json", "--kind", "casualties"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["quote"], r["low"], r["outcome"], r["attributed_to"]) for r in rows] == [("5 people", 5, "killed", "Police")]


def test_iter_extract_in_blocks_matches_whole_text_offsets():
    from claims.extract import iter_extract
    para = "Police said 5 people were killed in the blast.\n\nAbout 40 militants attacked the post on Monday.\n\n"
    text = para * 40
    whole = [(c.kind, c.start, c.end, c.low) for c in extract(text)]
    blocks = list(iter_extract(text, chunk=300))
    assert [(c.kind, c.start, c.end, c.low) for c in blocks] == whole
    assert all(text[c.start:c.end] == c.quote for c in blocks)
