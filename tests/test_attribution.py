"""Attribution: who said each figure. Golden cases as data (tests/golden/attribution.jsonl), one per class."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.extract import extract
from claims.extract.attribution import RULE_NAMES, canonical

GOLDEN = Path(__file__).parent / "golden" / "attribution.jsonl"
CASES = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden_attribution(case):
    text = case["text"]
    claims = extract(text)
    figures = {c.quote: c for c in claims if c.kind.value in ("casualties", "force_size")}
    for want in case["expect"]:
        c = figures.get(want["quote"])
        assert c is not None, f"missing figure {want['quote']!r}; got {sorted(figures)}"
        assert c.attributed_to == want["attributed_to"], f"{want['quote']!r}: {c.attributed_to!r}"
        if want["attributed_to"] is None:
            assert c.source_quote is None and c.source_start is None and c.source_end is None
        else:
            assert c.source_quote == want["source_quote"], f"{want['quote']!r}: {c.source_quote!r}"
            assert text[c.source_start:c.source_end] == c.source_quote


def test_every_attribution_rule_has_golden_cases():
    """Each named attribution rule is the declared rule of at least one golden case."""
    declared = {c["rule"] for c in CASES}
    assert set(RULE_NAMES) <= declared, sorted(set(RULE_NAMES) - declared)
    assert declared <= set(RULE_NAMES), sorted(declared - set(RULE_NAMES))


@pytest.mark.parametrize("quote, name", [
    ("Chief Minister Jane Doe", "Jane Doe"),
    ("a report prepared for the United Nations Security Council", "UN report"),
    ("the Interior Ministry", "Interior Ministry"),
    ("Soviet Maj. Gen. Ivo Petrov", "Ivo Petrov"),
    ("a May 2020 UN report", "UN report"),
    ("UPDATE 2-Velaria", "Velaria"),
    ("Mr Nur", "Mr Nur"),
    ("Inspector General of Police (IGP) Ravi Menon", "Ravi Menon"),
    ("SP (Operations) Ravi Menon", "Ravi Menon"),
    ("Kelm Liberation Front (KLF)", "Kelm Liberation Front (KLF)"),
    ("a report by the UN Panel of Experts", "UN Panel of Experts report"),
])
def test_canonical_names(quote, name):
    assert canonical(quote) == name


def test_source_span_slices_back_on_every_golden_case():
    """Every figure with a source carries the exact span naming it, in every golden file."""
    other = Path(__file__).parent / "golden" / "extract.jsonl"
    texts = [c["text"] for c in CASES] + [json.loads(x)["text"] for x in other.read_text(encoding="utf-8").splitlines()
                                          if x.strip()]
    named = 0
    for text in texts:
        for c in extract(text):
            if c.attributed_to is not None and c.kind.value in ("casualties", "force_size"):
                named += 1
                assert c.source_quote and text[c.source_start:c.source_end] == c.source_quote, (text, c)
    assert named > 40


def test_extractor_version_follows_the_lexicon(tmp_path, monkeypatch):
    """Editing any lexicon file changes the hash the extractor version carries."""
    import shutil

    from claims import EXTRACTOR_VERSION
    from claims.extract import lexicon

    assert EXTRACTOR_VERSION.endswith(lexicon.lexicon_hash()[:10])
    copy = tmp_path / "lexicon"
    shutil.copytree(lexicon.LEXICON_DIR, copy)
    monkeypatch.setattr(lexicon, "LEXICON_DIR", copy)
    before = lexicon.lexicon_hash()
    path = copy / "attribution.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"said"', '"sayed"', 1), encoding="utf-8")
    assert lexicon.lexicon_hash() != before
