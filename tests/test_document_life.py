"""A document after ingest (issue 14, bugs 6 and 9): appearances, fictional examples, edits, deletion with audit."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from claims.compare.reconcile import reconcile
from claims.documents import (
    add_appearance, appearances, deleted_documents, delete_document, document_history, edit_document,
)
from claims.errors import BadInputError, NotFoundError
from claims.export import export_to
from claims.ingest import ingest_paths, ingest_text
from claims.model import ClaimFilter, DocumentIn
from claims.store import Store, review_history

ROOT = Path(__file__).resolve().parents[1]
WIRE = ("Officials said 27 people were killed and 52 injured in the attack on Tuesday, "
        "according to the provincial health department.")


def test_the_same_text_from_another_outlet_is_another_appearance_and_report(store):
    """Bug 9: an identical article under a second publisher said 'already stored: nothing changed'."""
    first = ingest_text(store, WIRE, title="Toll rises", publisher="Ostravia Wire", url="https://ow.example/a",
                        published=dt.date(2031, 5, 15))
    doc_id = first.ingested[0].document_id
    again = ingest_text(store, WIRE, title="Toll rises", publisher="Northgate Daily",
                        url="https://nd.example/b", published=dt.date(2031, 5, 16))
    assert again.appeared and again.appeared[0].document_id == doc_id and not again.ingested
    assert "another appearance" in again.summary()
    same = ingest_text(store, WIRE, title="Toll rises", publisher="Northgate Daily", url="https://nd.example/b",
                       published=dt.date(2031, 5, 16))
    assert same.unchanged and not same.appeared   # the same appearance twice is nothing new
    seen = appearances(store, doc_id)
    assert [(a.publisher, a.url, a.published, a.first) for a in seen] == [
        ("Ostravia Wire", "https://ow.example/a", dt.date(2031, 5, 15), True),
        ("Northgate Daily", "https://nd.example/b", dt.date(2031, 5, 16), False)]
    recs = [r for r in store.claims_for_document(doc_id) if r.claim.kind.value == "casualties"]
    assert recs and all(r.appearances == 1 for r in recs)
    killed = [r for r in recs if r.claim.low == 27]
    rc = reconcile(killed)
    assert (rc.reports, rc.independent_sources) == (2, 1)   # two reports, one source: a wire copy
    assert all(row.wire_copy for row in rc.ledger)


def test_fictional_seeds_are_marked_and_left_out_of_exports(store, tmp_path):
    """Bug 6: seeds/fictional's "fictional": true was read nowhere; its figures reached real exports."""
    report = ingest_paths(store, [ROOT / "seeds"])
    assert report.ok, report.summary()
    fictional = store.count_claims(ClaimFilter(fictional=True))
    real = store.count_claims(ClaimFilter(fictional=False))
    assert fictional > 0 and real > 0 and fictional + real == store.count_claims()
    assert [d.filename for d in store.list_documents(limit=None) if not d.fictional] == ["000_e1e6ad43e39f222b.txt"]
    out = io.StringIO()
    res = export_to(store, None, fmt="csv", out=out, groups=None)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert res["claims"] == real and res["fictional"] == "left out"
    assert {r["fictional"] for r in rows} == {"false"}
    out = io.StringIO()
    res = export_to(store, None, fmt="csv", out=out, groups=None, include_fictional=True)
    assert res["claims"] == real + fictional


def test_document_fields_are_editable_with_history(store):
    doc_id = ingest_text(store, WIRE, title="pasted.txt", publisher="Ostravia Wire").ingested[0].document_id
    with pytest.raises(BadInputError):
        edit_document(store, doc_id, reviewer="", title="x")
    changes = edit_document(store, doc_id, reviewer="Rana", title="Kestrel Ford toll rises",
                            publisher="Northgate Daily", published="2031-05-15")
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("title", "pasted.txt", "Kestrel Ford toll rises"), ("publisher", "Ostravia Wire", "Northgate Daily"),
        ("published", None, "2031-05-15")]
    doc = store.get_document(doc_id)
    assert (doc.title, doc.publisher, doc.published) == ("Kestrel Ford toll rises", "Northgate Daily",
                                                         dt.date(2031, 5, 15))
    # filters follow: the claims now belong to the new publisher and date
    assert store.count_claims(ClaimFilter(publishers=["Northgate Daily"])) == doc.claim_count > 0
    assert store.count_claims(ClaimFilter(publishers=["Ostravia Wire"])) == 0
    assert edit_document(store, doc_id, reviewer="Rana", title="Kestrel Ford toll rises") == []
    assert [c.reviewer for c in document_history(store, doc_id)] == ["Rana"] * 3
    with pytest.raises(NotFoundError):
        edit_document(store, 99999, reviewer="Rana", title="x")


def test_delete_document_keeps_its_reviews_in_the_audit_table(store):
    doc_id = ingest_text(store, WIRE, title="Wrong article", publisher="Ostravia Wire").ingested[0].document_id
    other = ingest_text(store, "Police said 3 soldiers were injured.", publisher="X").ingested[0].document_id
    rec = store.claims_for_document(doc_id)[0]
    store.review(rec.id, verdict="disputed", reviewer="Rana", note="wrong town")
    add_appearance(store, doc_id, DocumentIn(text=WIRE, publisher="Northgate Daily"))
    rep = delete_document(store, doc_id, reviewer="Omar")
    assert (rep.claims, rep.reviewed) == (len(store.claims_for_document(doc_id)) or rep.claims, 1)
    assert store.get_document(doc_id) is None and store.claims_for_document(doc_id) == []
    assert store.get_document(other) is not None
    with store.read() as conn:
        audit = conn.execute(sa.select(deleted_documents)).mappings().one()
        left = conn.execute(sa.select(sa.func.count()).select_from(review_history)
                            .where(review_history.c.claim_id == rec.id)).scalar()
    assert left == 0 and audit["deleted_by"] == "Omar" and audit["title"] == "Wrong article"
    record = audit["record"] if isinstance(audit["record"], dict) else json.loads(audit["record"])
    assert any(h["new"] == "disputed" for h in record["review_history"])
    assert any(r["note"] == "wrong town" for r in record["reviews"])
    assert record["document_appearances"][0]["document_id"] == doc_id
    with pytest.raises(NotFoundError):
        delete_document(store, doc_id, reviewer="Omar")


def test_cli_delete_and_edit_document(sqlite_url, capsys):
    from claims import cli

    with Store(sqlite_url) as s:
        doc_id = ingest_text(s, WIRE, title="pasted.txt", publisher="Ostravia Wire").ingested[0].document_id
        n = len(s.claims_for_document(doc_id))
    assert cli.main(["edit-document", str(doc_id), "--db", sqlite_url, "--title", "Toll rises",
                     "--reviewer", "Rana"]) == 0
    assert "title pasted.txt -> Toll rises" in capsys.readouterr().out
    assert cli.main(["edit-document", str(doc_id), "--db", sqlite_url, "--published", "May 5",
                     "--reviewer", "Rana"]) == 2
    assert "published: want a date" in capsys.readouterr().err
    # once roles exist, only editors delete
    assert cli.main(["reviewer", "add", "Ed", "--role", "editor", "--db", sqlite_url]) == 0
    assert cli.main(["delete-document", str(doc_id), "--db", sqlite_url, "--reviewer", "Rana"]) != 0
    assert "only editors may delete documents" in capsys.readouterr().err
    assert cli.main(["delete-document", str(doc_id), "--db", sqlite_url, "--reviewer", "Ed"]) == 0
    assert f"{n} claims" in capsys.readouterr().out
    with Store(sqlite_url) as s:
        assert s.get_document(doc_id) is None
    assert cli.main(["delete-document", str(doc_id), "--db", sqlite_url, "--reviewer", "Ed"]) == 2
    assert f"document {doc_id} does not exist" in capsys.readouterr().err


def test_cli_export_leaves_fictional_out_unless_asked(sqlite_url, capsys):
    from claims import cli

    with Store(sqlite_url) as s:
        assert ingest_paths(s, [ROOT / "seeds"]).ok
        real, every = s.count_claims(ClaimFilter(fictional=False)), s.count_claims()
    assert cli.main(["export", "--db", sqlite_url, "--format", "jsonl"]) == 0
    assert f"exported {real} claims" in capsys.readouterr().err
    assert cli.main(["export", "--db", sqlite_url, "--format", "jsonl", "--include-fictional"]) == 0
    assert f"exported {every} claims" in capsys.readouterr().err


def test_export_preview_leaves_fictional_out_like_the_export(store):
    from claims.export import preview_rows

    assert ingest_paths(store, [ROOT / "seeds"]).ok
    assert {r["fictional"] for r in preview_rows(store, None, limit=100)} == {False}
    assert True in {r["fictional"] for r in preview_rows(store, None, limit=100, include_fictional=True)}
