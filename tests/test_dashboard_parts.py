"""The dashboard's pure parts: safe highlighting, correction diffs, Markdown escaping, and the synthetic corpus."""
from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from testkit.corpus import documents
from claims.errors import BadInputError
from claims.model import Claim, ClaimRecord, Kind, Outcome
from dashboard import highlight, look, tables
from dashboard.highlight import Mark


def visible_text(fragment: str) -> str:
    """Return what a browser would show as text for our generated HTML (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]*>", "", fragment))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80), cuts=st.lists(st.tuples(st.integers(0, 90), st.integers(0, 90)), max_size=5))
def test_highlight_keeps_the_text_and_lets_no_markup_through(text, cuts):
    marks = [Mark(min(a, b), max(a, b), background="#fff", title=text[:10]) for a, b in cuts]
    out = highlight.highlight_html(text, marks)
    assert visible_text(out) == text
    tags = re.findall(r"<[^>]*>", out)
    assert all(t.startswith(("<mark ", "</mark>")) for t in tags), tags


def test_overlapping_marks_colour_the_overlap_by_the_innermost():
    text = "around 6,000 TTP fighters"
    outer = Mark(0, len(text), background="#aaa", title="outer")
    inner = Mark(7, 12, background="#bbb", title="inner")
    out = highlight.highlight_html(text, [outer, inner])
    assert '<mark style="background:#bbb' in out and "6,000</mark>" in out
    assert 'title="inner | outer"' in out


def test_hostile_text_is_escaped():
    text = 'x <script>alert(1)</script> <img src=x onerror=alert(1)> "q"'
    out = highlight.document_html(text, [])
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and "&quot;q&quot;" in out


def test_paragraph_bounds_and_offsets():
    text = "First para.\n\nSecond para has 132 children in it.\nThird."
    start = text.index("132 children")
    a, b = highlight.paragraph_bounds(text, start, start + 12)
    assert text[a:b] == "Second para has 132 children in it."
    out = highlight.claim_in_paragraph_html(text, start=start, end=start + 12,
                                            sentence="Second para has 132 children in it.", kind="casualties")
    assert "132 children</mark>" in out and "First para" not in out


def test_md_escape_neutralises_markdown_and_html():
    s = "[click](javascript:alert(1)) <b>x</b> **bold** :red[x]\nnext"
    escaped = look.md_escape(s)
    assert "\n" not in escaped
    assert re.sub(r"\\(.)", r"\1", escaped) == s.replace("\n", " ")
    assert all(escaped[i - 1] == "\\" for i, ch in enumerate(escaped) if ch in "[]()<>*:")


def record(**claim_kw) -> ClaimRecord:
    c = Claim(kind=Kind.CASUALTIES, start=0, end=3, quote="132", low=132, high=132, outcome=Outcome.KILLED,
              **claim_kw)
    return ClaimRecord(id=1, document_id=1, fingerprint="f", extractor_version="t", claim=c)


def test_corrections_are_the_changed_fields_only():
    r = record(subject="children")
    assert tables.corrections(r, {"low": "132", "high": "1,320", "subject": "children", "approximate": False}) == {
        "high": 1320.0}
    assert tables.corrections(r, {"subject": "  "}) == {"subject": None}


def test_a_correction_set_back_to_the_extracted_value_is_sent_so_the_store_drops_it():
    r = record()
    r.corrected = {"low": 100.0}
    assert tables.corrections(r, {"low": "132"}) == {"low": 132.0}


def test_bad_number_names_the_field():
    with pytest.raises(BadInputError, match="High: not a number"):
        tables.corrections(record(), {"high": "lots"})


def test_figure_text_shapes():
    assert look.figure_text(23, 23) == "23"
    assert look.figure_text(150, 250) == "150–250"
    assert look.figure_text(40, None) == "≥ 40"
    assert look.figure_text(None, 12) == "≤ 12"
    assert look.figure_text(6000, 6000, approximate=True) == "~6,000"


def test_corpus_spans_slice_back_and_cover_every_kind():
    seen_kinds, seen_shapes, n = set(), set(), 0
    for doc, found in documents(claims=3000, seed=7):
        assert doc.publisher and doc.published and doc.title
        for c in found:
            assert doc.text[c.start:c.end] == c.quote
            assert c.quote in c.sentence and c.sentence in doc.text
            seen_kinds.add(c.kind)
            if c.kind in (Kind.CASUALTIES, Kind.FORCE_SIZE):
                seen_shapes.add((c.low is None, c.high is None, c.approximate, c.low == c.high))
            n += 1
    assert seen_kinds == set(Kind)
    assert 3000 <= n <= 3001  # "about": the last sentence may carry two claims
    assert len(seen_shapes) >= 4, seen_shapes  # exact, at least, up to, ranges, hedged


def test_corpus_is_deterministic_per_seed():
    first = [(d.text, len(c)) for d, c in documents(claims=200, seed=3)]
    again = [(d.text, len(c)) for d, c in documents(claims=200, seed=3)]
    other = [(d.text, len(c)) for d, c in documents(claims=200, seed=4)]
    assert first == again and first != other


ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def test_the_library_never_imports_streamlit():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "claims").rglob("*.py")
                 if re.search(r"^\s*(import streamlit|from streamlit)", p.read_text(encoding="utf-8"), re.M)]
    assert offenders == []


def test_pages_hold_no_sql_or_dataframe_reshaping():
    # Pages call dashboard.data / tables / highlight; the store, SQL and pandas stay out of them.
    for page in (ROOT / "dashboard" / "app_pages").glob("*.py"):
        if page.name in ("compare.py", "charts.py", "export.py"):  # other helpers' pages, their call
            continue
        src = page.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+(sqlalchemy|pandas|claims\.store)\b", src, re.M), page.name
        assert ".groupby(" not in src and ".pivot" not in src and ".melt(" not in src, page.name


def test_verdict_style_marks_the_open_claims_row_only():
    import pandas as pd
    frame = pd.DataFrame({"ID": [1, 2], "Verdict": ["Verified", "Unreviewed"], "Quote": ["a", "b"]})
    html_out = tables.verdict_style(frame, current=2).to_html()
    ctx = tables.verdict_style(frame, current=2)._compute().ctx
    assert ("font-weight", "700") in ctx[(1, 2)] and ("font-weight", "700") not in ctx.get((0, 2), [])
    assert ("background-color", "#dcfce7") in ctx[(0, 1)]  # verified stays green
    assert "Verified" in html_out


def test_an_exact_figure_is_corrected_in_one_box_that_sets_low_and_high():
    """Issue 14: a single "figure" correction sets low = high."""
    r = record()
    assert r.claim.low == r.claim.high
    assert tables.correction_inputs(r)[0] == "figure"
    assert tables.input_text(r, "figure") == tables.input_text(r, "low")
    assert tables.corrections(r, {"figure": "1,320"}) == {"low": 1320.0, "high": 1320.0}
    assert tables.corrections(r, {"figure": "120–140"}) == {"low": 120.0, "high": 140.0}
    with pytest.raises(BadInputError, match="Figure: not a number"):
        tables.corrections(r, {"figure": "lots"})
    ranged = record()
    ranged.corrected = {"high": 150.0}
    assert tables.correction_inputs(ranged)[:2] == ["low", "high"]


def test_the_claims_table_marks_corrected_claims_and_fictional_publishers():
    r = record()
    r.corrected, r.fictional, r.publisher = {"low": 100.0}, True, "Ostravia Wire"
    row = tables.claims_frame([r]).iloc[0]
    assert row["Figure"].startswith("✎ ") and row["Publisher"] == "Ostravia Wire (fictional)"


def test_claim_context_keeps_the_whole_sentence_and_cuts_the_rest_of_the_paragraph():
    text = ("An opening sentence that runs on for quite a while before anything happens at all. "
            "Officials said 29 people were killed on Tuesday. A closing sentence that also runs on and on "
            "for many more words than anyone needs.")
    start = text.index("29 people")
    sentence = "Officials said 29 people were killed on Tuesday."
    out = visible_text(highlight.claim_in_paragraph_html(text, start=start, end=start + 9, sentence=sentence,
                                                         context=20))
    assert sentence in out and out.startswith("… ") and out.endswith(" …")
    assert "opening sentence" not in out and "many more words" not in out


def test_added_claim_is_located_in_the_text_and_takes_one_figure_box():
    """Issue 14: the words a reviewer selects are found in the document (nearest the open claim first)."""
    text = "Police said 12 people died; later 12 people were hurt."
    assert tables.find_quote(text, "12 people", near=40) == [34, 12]
    assert tables.find_quote(text, "12 people", near=0) == [12, 34]
    assert tables.find_quote(text, "13 people") == [] and tables.find_quote(text, "") == []
    c = tables.added_claim(text, 34, "12 people", "casualties",
                           {"figure": "12", "outcome": "injured", "subject": " people ", "attributed_to": ""})
    assert (c.start, c.end, c.low, c.high, c.outcome, c.subject, c.attributed_to) == (
        34, 43, 12.0, 12.0, Outcome.INJURED, "people", None)
    assert tables.added_claim(text, 12, "12 people", "figure", {"figure": "10-14"}).low == 10.0
    assert tables.added_claim(text, 12, "12 people", "casualties", {"figure": "12", "outcome": ""}).outcome is None
    with pytest.raises(BadInputError, match="not at offset"):
        tables.added_claim(text, 13, "12 people", "casualties", {})
    with pytest.raises(BadInputError, match="(?i)figure: not a number"):
        tables.added_claim(text, 12, "12 people", "casualties", {"figure": "twelve"})


def test_short_labels_keep_the_fewest_parts_that_tell_facts_apart():
    from dashboard import look

    labels = ["casualties (killed) · children · Orvel · school · 2031", "casualties (injured) · Orvel · 2031",
              "casualties (killed) · fighters · Orvel · 2031", "date (attack) · Orvel · 2031"]
    assert look.short_labels(labels) == ["casualties (killed) · children", "casualties (injured)",
                                         "casualties (killed) · fighters", "date (attack)"]
    assert look.short_labels(["date · Orvel", "date · Orvel"]) == ["date · Orvel", "date · Orvel"]  # no more parts
    assert look.short_labels([]) == []
