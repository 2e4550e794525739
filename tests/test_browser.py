"""The dashboard in a real browser: review a seed claim, meet a conflict, and render hostile text as text."""
from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from claims.ingest import ingest_paths
from claims.model import Claim, DocumentIn, Kind, Outcome
from claims.store import Store
from tests import browser_util as bu

pytest_plugins = ["tests.conftest_browser"]
pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def seeded_db(sqlite_url) -> str:
    """Return a SQLite URL holding seeds/ ingested through claims.ingest."""
    with Store(sqlite_url) as s:
        report = ingest_paths(s, [ROOT / "seeds"])
        assert report.ok, report.summary()
    return sqlite_url


def find_claim(db_url: str, quote: str) -> int:
    with Store(db_url) as s:
        from claims.model import ClaimFilter
        found = [r for r in s.query_claims(ClaimFilter(text=quote), limit=None) if r.claim.quote == quote]
    assert len(found) == 1, f"want one stored claim quoting {quote!r}, found {len(found)}"
    return found[0].id


def button(page, name: str):
    """Return the button labelled ``name`` (its accessible name may end with its keyboard shortcut)."""
    return page.get_by_role("button", name=re.compile(rf"^{re.escape(name)}( Shortcut \S+)?$"))


def click_button(page, name: str) -> None:
    button(page, name).click()
    bu.wait_idle(page)


def test_review_a_seed_claim_then_meet_a_conflict(chromium_browser, seeded_db, serve_dashboard, output_dir):
    base = serve_dashboard(seeded_db)
    cid = find_claim(seeded_db, "132 children")

    a = chromium_browser.new_context(viewport={"width": 1440, "height": 1100}).new_page()
    bu.goto(a, base)
    bu.set_reviewer(a, "Rana Haddad")
    search = a.get_by_role("textbox", name="Search")
    search.fill("132 children")
    search.press("Enter")
    bu.wait_idle(a)
    for label in ("Figure from", "Figure to"):  # the sentence holds other claims; the figure singles it out
        box = a.get_by_role("spinbutton", name=label)
        box.fill("132")
        box.press("Enter")
        bu.wait_idle(a)
    a.get_by_text("1 claim matches").wait_for()

    # Session B opens the same claim now, so the version it shows will be stale.
    b = chromium_browser.new_context(viewport={"width": 1440, "height": 1100}).new_page()
    bu.goto(b, f"{base}/?claim={cid}")
    bu.set_reviewer(b, "Omar Nasser")
    button(b, "Disputed").wait_for()

    click_button(a, "Next unreviewed")
    a.get_by_text("“132 children”").wait_for()
    note = a.get_by_role("textbox", name="Note")
    note.fill("Matches the Peshawar school memorial list.")
    note.press("Tab")
    bu.wait_idle(a)
    click_button(a, "Verified")
    a.get_by_text("Saved: Verified").wait_for()
    a.screenshot(path=str(output_dir / "review.png"), full_page=True)

    with Store(seeded_db) as s:
        rec = s.get_claim(cid)
        history = s.history(cid)
    assert (rec.verdict.value, rec.reviewer, rec.note, rec.version) == (
        "verified", "Rana Haddad", "Matches the Peshawar school memorial list.", 1)
    assert {h.reviewer for h in history} == {"Rana Haddad"}

    # The whole queue again, the reviewed claim still open beside it: the README's picture of the page.
    a.get_by_role("button", name="Clear filters").first.click()
    bu.wait_idle(a)
    a.get_by_text("“132 children”").wait_for()
    with Store(seeded_db) as s:
        everything = s.count_claims()
    a.get_by_text(f"{everything:,} claims match").wait_for()
    assert a.get_by_role("textbox", name="Search").input_value() == "", "the search box is cleared too"
    a.evaluate("document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })")
    a.wait_for_function("() => ![...document.querySelectorAll('*')].some(e => e.scrollTop)")
    # the README's picture (docs/screenshot-review.png): copy this file over it to refresh it; tests never write docs/
    a.screenshot(path=str(output_dir / "review-all.png"))

    click_button(b, "Disputed")
    b.get_by_text("saved this claim while you were reviewing it").wait_for()
    b.get_by_role("button", name="Keep mine").wait_for()
    b.get_by_role("button", name="Take theirs").wait_for()
    b.screenshot(path=str(output_dir / "conflict.png"), full_page=True)
    with Store(seeded_db) as s:
        rec = s.get_claim(cid)
    assert (rec.verdict.value, rec.reviewer, rec.version) == ("verified", "Rana Haddad", 1), "the stale save wrote nothing"


XSS_TEXT = ("Officials said <script>alert(1)</script> that 12 people were killed in the blast.\n\n"
            "A photo caption read <img src=x onerror=alert(1)> and nothing else.\n")


@pytest.fixture
def hostile_db(sqlite_url) -> tuple[str, int, int]:
    """Return (URL, document id, claim id) of a store holding a document whose text and title are HTML."""
    quote = "12 people"
    start = XSS_TEXT.index(quote)
    claim = Claim(kind=Kind.CASUALTIES, start=start, end=start + len(quote), quote=quote,
                  sentence=XSS_TEXT.split("\n")[0], low=12, high=12, outcome=Outcome.KILLED, subject="people",
                  rule="test")
    with Store(sqlite_url) as s:
        doc_id, _ = s.add_document(
            DocumentIn(text=XSS_TEXT, title="<img src=x onerror=alert(1)> [click](javascript:alert(1))",
                       publisher="<script>alert(1)</script> Daily", published=dt.date(2031, 5, 14)),
            [claim], extractor_version="test")
        cid = s.claims_for_document(doc_id)[0].id
    return sqlite_url, doc_id, cid


PROBE = """
window.__xss = [];
window.alert = (...a) => { window.__xss.push(['alert', String(a[0])]); };
"""


def test_hostile_document_text_renders_as_text(chromium_browser, hostile_db, serve_dashboard, output_dir):
    url, doc_id, cid = hostile_db
    base = serve_dashboard(url)
    ctx = chromium_browser.new_context(viewport={"width": 1440, "height": 1000})
    ctx.add_init_script(PROBE)
    page = ctx.new_page()
    dialogs, console = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: console.append(m.text))

    for path, shot in ((f"/documents?doc={doc_id}", "documents.png"), (f"/?claim={cid}", "review.png")):
        bu.goto(page, base + path)
        shown = page.locator(".claims-text").first
        shown.wait_for()
        text = shown.inner_text()
        assert "<script>alert(1)</script>" in text and "12 people" in text
        if "documents" in path:  # the whole document: the caption's img tag too, and the hostile title
            assert "<img src=x onerror=alert(1)>" in text
            heading = page.get_by_role("heading", name="[click](javascript:alert(1))")
            assert heading.inner_text() == "<img src=x onerror=alert(1)> [click](javascript:alert(1))"
        page.screenshot(path=str(output_dir / shot), full_page=True)
        fired = page.evaluate("window.__xss")
        assert fired == [], f"script ran on {path}: {fired}"
        # No element built from the document: no <script> or onerror attribute inside the rendered text.
        assert page.locator("[data-testid='stMain'] img[onerror]").count() == 0
        assert page.locator("[data-testid='stMain'] a[href^='javascript']").count() == 0
    assert dialogs == [], dialogs
    assert not [m for m in console if "alert" in m and "1" in m], console
    ctx.close()


# the grid's cell editor is open and holds the keyboard focus
EDITOR_FOCUSED = "() => { const p = document.getElementById('portal'); return !!p && p.contains(document.activeElement); }"


def test_sources_grade_and_note_are_saved_from_the_table(chromium_browser, seeded_db, serve_dashboard, output_dir):
    base = serve_dashboard(seeded_db)
    with Store(seeded_db) as s:
        names = [p.name for p in s.list_publishers()]
    page = chromium_browser.new_page(viewport={"width": 1440, "height": 1000})
    bu.goto(page, base + "/sources")
    bu.set_reviewer(page, "Rana Haddad")    # the table is read-only until a reviewer is named
    target = sorted(names)[-1]

    def edit(column: int, text: str) -> None:
        """Select the target publisher's cell in ``column`` (through the grid's accessible cells), type, save."""
        names_col = page.locator("[data-testid='stDataFrame']").first.locator("[data-testid^='glide-cell-0-']")
        names_col.first.wait_for(state="attached")
        row = next(int(c.get_attribute("data-testid").rsplit("-", 1)[1]) for c in names_col.all()
                   if c.inner_text() == target)
        # the grid takes keys only once it has redrawn as editable (after the reviewer is named)
        expect(bu.grid_cell(page, row, column)).to_have_attribute("aria-readonly", "false")
        bu.select_grid_cell(page, row, col=column)
        page.keyboard.press("Enter")           # open the cell's editor, drawn asynchronously in the grid's portal
        page.wait_for_function(EDITOR_FOCUSED)
        page.keyboard.type(text, delay=30)
        if column == 1:                        # Grade: a dropdown that filters as one types
            expect(page.get_by_role("option")).to_have_text([text])
        else:
            expect(page.locator("#portal textarea")).to_have_value(text)
        page.keyboard.press("Enter")
        bu.wait_idle(page)

    def saved(field: str, value: str, *, seconds: float = 8.0) -> bool:
        """Poll the database: the grid saves through a rerun that may land a moment after the keys."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with Store(seeded_db) as s:
                if getattr(s.get_publisher(target), field) == value:
                    return True
            page.wait_for_timeout(250)
        return False

    # A cell selected before the grid has redrawn as editable (after naming the reviewer) takes no keys:
    # each attempt starts from a freshly loaded page, and an edit is tried again rather than failing on timing.
    for column, field, value in ((1, "grade", "B"),
                                 (2, "note", "Often first with casualty figures; <b>check</b> wire copy")):
        for attempt in range(3):
            if field != "grade" or attempt:
                bu.goto(page, base + "/sources")
                bu.set_reviewer(page, "Rana Haddad")
            edit(column, value)
            if saved(field, value):
                break
    page.screenshot(path=str(output_dir / "sources.png"), full_page=True)
    with Store(seeded_db) as s:
        last = s.get_publisher(sorted(names)[-1])
        changes = s.publisher_history(last.name)
    assert (last.grade, last.note) == ("B", "Often first with casualty figures; <b>check</b> wire copy")
    assert [(c.field, c.new, c.reviewer) for c in changes][-2:] == [
        ("grade", "B", "Rana Haddad"), ("note", "Often first with casualty figures; <b>check</b> wire copy", "Rana Haddad")]


def test_verdict_keys_work_but_not_while_typing(chromium_browser, seeded_db, serve_dashboard, output_dir):
    base = serve_dashboard(seeded_db)
    cid = find_claim(seeded_db, "around 6,000 TTP fighters")
    page = chromium_browser.new_page(viewport={"width": 1440, "height": 1000})
    bu.goto(page, f"{base}/?claim={cid}")
    bu.set_reviewer(page, "Rana Haddad")
    note = page.get_by_role("textbox", name="Note")
    note.click()
    page.keyboard.type("UN figure; vague date, fix later")   # holds U, F, D, V and X keys
    page.keyboard.press("Tab")
    bu.wait_idle(page)
    with Store(seeded_db) as s:
        assert s.get_claim(cid).version == 0, "typing in the note must not save a verdict"
    bu.blur(page)                   # focus back on the page, outside any input
    page.keyboard.press("d")
    bu.wait_idle(page)
    page.get_by_text("Saved: Disputed").wait_for()
    with Store(seeded_db) as s:
        rec = s.get_claim(cid)
    assert (rec.verdict.value, rec.note, rec.reviewer) == ("disputed", "UN figure; vague date, fix later",
                                                           "Rana Haddad")


def test_clicking_a_table_row_opens_that_claim(chromium_browser, seeded_db, serve_dashboard):
    base = serve_dashboard(seeded_db)
    with Store(seeded_db) as s:
        third = s.query_claims(limit=3)[2]
    page = chromium_browser.new_page(viewport={"width": 1440, "height": 1000})
    bu.goto(page, base)
    bu.select_grid_cell(page, 2)    # the third row
    assert page.url.endswith(f"?claim={third.id}")
    assert page.locator("h4").first.inner_text() == f"“{third.claim.quote}”"
