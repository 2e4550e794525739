"""Who said it, stored and shown: the source span in the store, the Source filter (list --source, the
dashboard), the speakers table of the Sources page, and the highlight in the Review paragraph."""
from __future__ import annotations

import json

from claims import cli
from claims.extract import extract
from claims.model import ClaimFilter, DocumentIn

TEXT = ("Eleven guards were killed in the raid on Sunday, the interior ministry said.\n\n"
        "Governor Lena Osei visited the prison. She said 40 people were wounded.")


def _add(store):
    found = extract(TEXT)
    doc_id, _ = store.add_document(DocumentIn(text=TEXT, publisher="Velta Times"), found, extractor_version="t")
    return doc_id, found


def test_source_span_round_trips_and_filters(store):
    _, found = _add(store)
    want = {c.quote: c for c in found if c.attributed_to}
    assert want["40 people"].attributed_to == "Lena Osei"
    for rec in store.query_claims(ClaimFilter(), limit=None):
        c = want.get(rec.claim.quote)
        if c is None:
            continue
        assert (rec.claim.source_quote, rec.claim.source_start, rec.claim.source_end) == \
            (c.source_quote, c.source_start, c.source_end)
        assert TEXT[rec.claim.source_start:rec.claim.source_end] == rec.claim.source_quote
    osei = store.query_claims(ClaimFilter(sources=["Lena Osei"]), limit=None)
    assert [r.claim.quote for r in osei] == ["40 people"]
    # the reviewer's corrected attribution is what the filter and the speakers table go by
    store.review(osei[0].id, verdict="disputed", reviewer="ana", corrected={"attributed_to": "Velta governor"})
    assert store.query_claims(ClaimFilter(sources=["Lena Osei"]), limit=None) == []
    assert [r.id for r in store.query_claims(ClaimFilter(sources=["Velta governor"]), limit=None)] == [osei[0].id]
    table = {name: (n, docs, verdicts) for name, n, docs, verdicts in store.list_sources()}
    assert table["Velta governor"] == (1, 1, {"disputed": 1})
    assert table["interior ministry"][0] == 1
    assert "Lena Osei" not in table
    assert store.filter_values("sources") == sorted(table)
    assert store.facet_counts(None, "source")["interior ministry"] == 1


def test_list_source_option(sqlite_url, tmp_path, capsys):
    path = tmp_path / "velta.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert cli.main(["ingest", str(path), "--db", sqlite_url]) == 0
    capsys.readouterr()
    assert cli.main(["list", "--db", sqlite_url, "--source", "interior ministry", "--json"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    assert [r["quote"] for r in rows] == ["Eleven guards"]
    assert rows[0]["source_quote"] == "interior ministry"
    assert TEXT[rows[0]["source_start"]:rows[0]["source_end"]] == "interior ministry"


def test_review_paragraph_highlights_who_said_it():
    from dashboard import highlight

    c = next(c for c in extract(TEXT) if c.quote == "40 people")
    html = highlight.claim_in_paragraph_html(TEXT, start=c.start, end=c.end, sentence=c.sentence,
                                             kind="casualties", source_start=c.source_start,
                                             source_end=c.source_end, source=c.attributed_to)
    assert 'title="Source: Lena Osei"' in html and ">Governor Lena Osei</mark>" in html
    hostile = "<b>Ana</b> said 3 people died."
    out = highlight.claim_in_paragraph_html(hostile, start=17, end=25, source_start=0, source_end=10,
                                            source="<b>Ana</b>")
    assert "<b>" not in out and "&lt;b&gt;Ana&lt;/b&gt;" in out


def test_sources_frame_counts_verdicts():
    from dashboard import tables

    frame = tables.sources_frame([("UN report", 3, 2, {"verified": 1, "unreviewed": 2})])
    row = frame.iloc[0]
    assert (row["Source"], row["Claims"], row["Documents"], row["Reviewed"]) == ("UN report", 3, 2, 33)
