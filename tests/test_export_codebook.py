"""The codebook in docs/ is generated from the field table the code uses, and the table covers every field."""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from claims.export.fields import FIELD_NAMES, FIELDS, TYPES, codebook_markdown, vague_table
from claims.model import CLAIM_FIELDS, ClaimRecord, Verdict

CODEBOOK = Path(__file__).resolve().parents[1] / "docs" / "codebook.md"


def test_docs_codebook_matches_the_code():
    assert CODEBOOK.read_text(encoding="utf-8") == codebook_markdown(), (
        "docs/codebook.md is out of date: run `python -m claims export --codebook > docs/codebook.md`")


def test_every_claim_and_record_field_is_exported():
    assert set(CLAIM_FIELDS) <= set(FIELD_NAMES)
    # every ClaimRecord attribute reaches the table, under its own name or as the claim/document parts
    record = {f.name for f in fields(ClaimRecord)} - {"claim"}
    assert record <= set(FIELD_NAMES)
    assert len(FIELD_NAMES) == len(set(FIELD_NAMES))
    assert all(f.type in TYPES for f in FIELDS)


def test_codebook_lists_every_field_verdict_and_vague_quantity():
    text = codebook_markdown()
    for i, name in enumerate(FIELD_NAMES, 1):
        assert f"| {i} | `{name}` |" in text
    for v in Verdict:
        assert f"| `{v.value}` | {v.help} |" in text
    for phrase, low, high in vague_table():
        assert f"| {phrase} | {low} | {high} |" in text
