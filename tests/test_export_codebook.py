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


def test_compiled_flatten_matches_each_field_evaluated_alone(store):
    """flatten() is generated from FIELDS for speed; Field.value is the plain reference it must equal."""
    from claims.export.fields import GroupInfo, RowContext, flatten
    from tests.test_export_fixtures import reviewed_store

    reviewed_store(store)
    group = GroupInfo(group_id="g1", label="Dunmere blast", size=3, low=10.0, best=11, high=12.5, method="best")
    for i, rec in enumerate(store.iter_claims(None)):
        ctx = RowContext(document_hash="ab" * 32, group=group if i % 2 else None)
        row = flatten(rec, ctx)
        assert list(row) == list(FIELD_NAMES)
        assert row == {f.name: f.value(rec, ctx) for f in FIELDS}
        assert row["group_id"] == ("g1" if i % 2 else None)
        assert (row["group_low"], row["group_best"], row["group_high"]) == ((("10", "11", "12.5") if i % 2 else (None,) * 3))


def test_every_claimreview_setting_has_its_option_and_is_documented(capsys):
    from claims.cli import main
    from claims.export.claimreview import SETTING_FOR
    from claims.settings import BY_NAME

    assert main(["export", "--help"]) == 0
    help_text = capsys.readouterr().out
    book = CODEBOOK.read_text(encoding="utf-8")
    for name in SETTING_FOR.values():
        assert BY_NAME[name].option in help_text
        assert f"`{name}`" in book
