"""A reviewer's day in a real browser (issue 14): the bugs found there, pinned one test each."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from claims.ingest import ingest_paths
from claims.model import ClaimFilter
from claims.store import Store
from tests import browser_util as bu

pytest_plugins = ["tests.conftest_browser"]
pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SHOTS = Path("/tmp/shots")
VIEW = {"width": 1280, "height": 800}


@pytest.fixture
def seeded_db(sqlite_url) -> str:
    """Return a SQLite URL holding seeds/ ingested through claims.ingest."""
    with Store(sqlite_url) as s:
        report = ingest_paths(s, [ROOT / "seeds"])
        assert report.ok, report.summary()
    return sqlite_url


def shot(page, name: str, output_dir: Path) -> None:
    """Save a screenshot in the test's output folder and, for the issue's record, /tmp/shots/daily-NAME.png."""
    page.screenshot(path=str(output_dir / f"{name}.png"))
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"daily-{name}.png"))
    except OSError:
        pass


def search(page, text: str) -> None:
    box = page.get_by_role("textbox", name="Search")
    box.fill(text)
    box.press("Enter")
    bu.wait_idle(page)


def test_fuzzy_search_with_a_misspelling_shows_names_spelled_like_it(chromium_browser, seeded_db,
                                                                      serve_dashboard, output_dir):
    """Bug 1: "Talibn" raised NameError on the Review page; "Tehreek" found nothing on the seed."""
    base = serve_dashboard(seeded_db)
    page = chromium_browser.new_page(viewport=VIEW)
    bu.goto(page, base)
    for typo, meant in (("Talibn", "Taliban"), ("Tehreek", "Tehrik"), ("Marach", "Marrach")):
        search(page, typo)
        assert page.locator("[data-testid='stException']").count() == 0, page.inner_text("body")[:2000]
        caption = page.get_by_text(re.compile(r"showing names spelled like it")).first
        caption.wait_for()
        assert meant in caption.inner_text()
        assert not page.get_by_text(re.compile(r"^0 claims match")).count()
    shot(page, "1-fuzzy-search", output_dir)


def test_review_progress_shows_reviews_made_on_one_day(chromium_browser, seeded_db, serve_dashboard, output_dir):
    """Bug 5: all reviews on one day drew an empty chart (an area of one point, a zero-width axis)."""
    with Store(seeded_db) as s:
        for rec in s.query_claims(limit=3):
            s.review(rec.id, verdict="verified", reviewer="Rana")
    base = serve_dashboard(seeded_db)
    page = chromium_browser.new_page(viewport=VIEW)
    bu.goto(page, base + "/charts")
    chart = page.locator("[data-testid='stPlotlyChart']").nth(1)
    chart.locator(".main-svg").first.wait_for()
    chart.scroll_into_view_if_needed()
    marks = chart.locator(".point")
    expect(marks.first, "the progress chart draws no mark for one day of reviews").to_be_visible(timeout=15_000)
    box = marks.first.bounding_box()
    assert box and box["width"] > 2 and box["height"] > 2, f"the mark is invisible: {box}"
    shot(page, "5-progress-one-day", output_dir)


def test_first_page_change_and_a_cell_click_both_work(chromium_browser, seeded_db, serve_dashboard, output_dir):
    """Bug 7: the first "+" beside the page number was ignored; clicking a cell did not open its claim."""
    with Store(seeded_db) as s:
        total = s.count_claims()
        second_page = s.query_claims(limit=1, offset=50)[0]
    assert total > 50
    base = serve_dashboard(seeded_db)
    page = chromium_browser.new_page(viewport=VIEW)
    bu.goto(page, base)
    page.get_by_text(re.compile(f"showing 1–50 of {total}")).wait_for()
    page.get_by_role("button", name="Next", exact=True).click()
    bu.wait_idle(page)
    assert page.get_by_text(re.compile(f"showing 51–{total} of {total}")).count() == 1, \
        "the first page change was ignored"

    # A click in the Quote cell of the first row (not on its selection box) opens that claim.
    bu.grid_cell(page, 0, 3).wait_for(state="attached")
    assert bu.grid_cell(page, 0, 3).inner_text() == second_page.claim.quote, "column 3 is the Quote"
    bu.select_grid_cell(page, 0, col=3)
    assert page.url.endswith(f"?claim={second_page.id}"), page.url
    assert page.locator("h4").first.inner_text() == f"“{second_page.claim.quote}”"
    shot(page, "7-page-and-cell", output_dir)


def test_reviewer_name_and_auto_advance_survive_a_reload(chromium_browser, seeded_db, serve_dashboard, output_dir):
    """Issue 14: the reviewer name and the auto-advance toggle were lost on every reload."""
    with Store(seeded_db) as s:
        cid = s.query_claims(limit=1)[0].id
    base = serve_dashboard(seeded_db)
    ctx = chromium_browser.new_context(viewport=VIEW)
    page = ctx.new_page()
    bu.goto(page, f"{base}/?claim={cid}")
    bu.set_reviewer(page, "Rana Haddad")
    page.get_by_text("Next unreviewed after saving").click()
    bu.wait_idle(page)
    # both are kept in cookies a component writes after the run: reload once the browser holds them
    page.wait_for_function("""() => ['claims_reviewer=Rana%20Haddad', 'claims_advance=1']
        .every(c => document.cookie.split('; ').includes(c))""")
    page.reload(wait_until="domcontentloaded")
    bu.wait_idle(page)
    page.get_by_role("button", name=re.compile("^Verified")).wait_for()
    assert page.get_by_role("textbox", name="Reviewer name").input_value() == "Rana Haddad"
    assert page.get_by_role("switch", name="Next unreviewed after saving").is_checked()
    shot(page, "reload-keeps-reviewer", output_dir)
    ctx.close()


def test_verdict_buttons_and_note_are_in_view_with_the_claim_at_1280x800(chromium_browser, seeded_db,
                                                                         serve_dashboard, output_dir):
    """Issue 14: at 1280x800 the verdict buttons and the note sat below the fold, under the paragraph."""
    cid = next(iter(_claims(seeded_db, "around 6,000 TTP fighters")))
    base = serve_dashboard(seeded_db)
    page = chromium_browser.new_page(viewport=VIEW)
    bu.goto(page, f"{base}/?claim={cid}")
    bu.set_reviewer(page, "Rana Haddad")
    for el in (page.locator("h4").first, page.locator(".claims-text").first,
               page.get_by_role("button", name=re.compile("^Verified")),
               page.get_by_role("button", name=re.compile("^Not a claim")),
               page.get_by_role("textbox", name="Note")):
        box = el.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= VIEW["height"], box
    shot(page, "verdicts-in-view", output_dir)

    # Auto-advance: after the save the next claim shows from its top, with the confirmation by the buttons.
    page.get_by_text("Next unreviewed after saving").click()
    bu.wait_idle(page)
    bu.scroll_main_to_end(page)            # the reader has scrolled down to the end of the page
    assert page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop") > 0, "nothing to scroll"
    page.get_by_role("button", name=re.compile("^Verified")).click()
    bu.wait_idle(page)
    saved = page.get_by_text(re.compile("^Saved claim"))
    saved.wait_for()
    # the next claim is brought into view after its run: wait for its quote's top, not for a fixed pause
    page.wait_for_function("() => { const h = document.querySelector('h4'); return !!h && h.getBoundingClientRect().top >= 0; }")
    box = saved.bounding_box()
    assert box and 0 <= box["y"] <= VIEW["height"] - 20, f"the confirmation is out of view: {box}"
    assert page.locator("h4").first.bounding_box()["y"] >= 0, "the next claim's quote is scrolled away"
    shot(page, "advance-confirmation", output_dir)


def _claims(db_url: str, quote: str) -> list[int]:
    with Store(db_url) as s:
        return [r.id for r in s.query_claims(ClaimFilter(text=quote), limit=None) if r.claim.quote == quote]


def test_documents_show_fictional_badge_and_other_appearances(chromium_browser, seeded_db, serve_dashboard,
                                                             output_dir):
    """Bugs 6 and 9 on screen: the fictional badge, another outlet's copy as an appearance, export opt-in."""
    from claims.ingest import ingest_text

    with Store(seeded_db) as s:
        wire = next(d for d in s.list_documents(limit=None) if d.publisher == "Ostravia Wire")
        rep = ingest_text(s, s.get_document(wire.id).text, publisher="Harbour Radio News",
                          url="https://harbour.example/toll", published=wire.published)
        assert rep.appeared
    base = serve_dashboard(seeded_db)
    page = chromium_browser.new_page(viewport=VIEW)
    bu.goto(page, f"{base}/documents?doc={wire.id}")
    page.get_by_text(re.compile(r"^Fictional example: an invented article")).wait_for()
    page.get_by_text(re.compile(r"Also appeared 1 more time")).click()
    bu.wait_idle(page)
    page.get_by_text(re.compile(r"Compare counts each appearance")).scroll_into_view_if_needed()
    shot(page, "6-9-documents-fictional-appearance", output_dir)
    bu.goto(page, f"{base}/export")
    page.get_by_text(re.compile(r"Include \d+ claims of fictional example documents")).wait_for()
    shot(page, "6-export-fictional-opt-in", output_dir)


def _matches(page) -> int:
    """Return the number in the Review page's "N claims match" caption."""
    caption = page.get_by_text(re.compile(r"^[\d,]+ claims? match")).first
    caption.wait_for()
    return int(caption.inner_text().split()[0].replace(",", ""))


def pick(page, label: str, typed: str, option: re.Pattern) -> str:
    """Choose the option matching ``option`` in the sidebar multiselect ``label``, typing ``typed`` to find it
    (the dropdown filters as one types); return the option's text."""
    page.get_by_role("combobox", name=re.compile(f"^{label}")).click()
    page.keyboard.type(typed)
    choice = page.get_by_role("option", name=option).first
    choice.wait_for()
    text = choice.inner_text()
    choice.click()
    page.keyboard.press("Escape")
    bu.wait_idle(page)
    return text


def test_filters_live_in_the_url_shared_reloaded_and_undone_with_back(chromium_browser, seeded_db,
                                                                     serve_dashboard, output_dir):
    """Issue 14: filters were lost on reload, could not be shared as a link, and back did not undo them."""
    with Store(seeded_db) as s:
        all_n = s.count_claims()
        date_n = s.count_claims(ClaimFilter(kinds=["date"]))
        un_n = s.count_claims(ClaimFilter(text="UN"))
        un_date_n = s.count_claims(ClaimFilter(text="UN", kinds=["date"]))
    assert len({all_n, date_n, un_n, un_date_n}) == 4, "the seed must tell the filters apart"
    base = serve_dashboard(seeded_db)
    page = chromium_browser.new_page(viewport=VIEW)
    bu.goto(page, base)
    search(page, "UN")
    page.wait_for_function("() => location.search.includes('search=UN')")
    label = pick(page, "Kind", "Date", re.compile(r"^Date \(\d+\)"))
    assert label == f"Date ({un_date_n})", "each value shows how many claims it matches under the other filters"
    page.wait_for_function("() => location.search.includes('kind=date')")
    assert _matches(page) == un_date_n
    shot(page, "url-filters", output_dir)

    page.reload(wait_until="domcontentloaded")           # a reload keeps the view
    bu.wait_idle(page)
    assert _matches(page) == un_date_n
    assert page.get_by_role("textbox", name="Search").input_value() == "UN"

    page.go_back()                                        # back undoes the last filter change
    bu.wait_idle(page)
    page.wait_for_function("() => !location.search.includes('kind=')")
    page.get_by_text(f"{un_n:,} claims match").wait_for()
    page.go_back()
    bu.wait_idle(page)
    page.get_by_text(f"{all_n:,} claims match").wait_for()
    assert page.get_by_role("textbox", name="Search").input_value() == ""
    page.go_forward()
    bu.wait_idle(page)
    page.get_by_text(f"{un_n:,} claims match").wait_for()

    # A shared link opens the same view in another browser; a value that is no kind is named, not applied.
    other = chromium_browser.new_context(viewport=VIEW).new_page()
    bu.goto(other, f"{base}/?search=UN&kind=date&kind=nonsense")
    other.get_by_text(f"{un_date_n:,} claims match").wait_for()
    other.get_by_text(re.compile(r"Ignored in the address: kind=nonsense")).wait_for()
    shot(other, "url-filters-shared", output_dir)
    # Another page opened from the menu keeps the filters, in its address too.
    other.get_by_role("link", name="Export").click()
    bu.wait_idle(other)
    other.get_by_text(re.compile(rf"^{un_date_n} claims? match")).wait_for()
    assert "kind=date" in other.url and "search=UN" in other.url, other.url
    other.context.close()


def _sidebar_open(page) -> bool:
    box = page.locator("[data-testid='stSidebar']").bounding_box()
    return bool(box) and box["width"] > 0 and box["x"] + box["width"] > 0


def _sidebar_decided(page) -> str:
    """Wait until the narrow-window script has kept or collapsed the sidebar (dashboard/look.py) and the
    fonts the labels are measured in have loaded; return what the script did ("kept" or "collapsed")."""
    page.wait_for_function("() => window.__claimsSidebar !== undefined && document.fonts.status === 'loaded'")
    return page.evaluate("() => window.__claimsSidebar")


def _clipped_verdict_labels(page) -> list[str]:
    """Return the verdict buttons whose label is cut short ("Unveri…")."""
    return page.evaluate("""() => [...document.querySelectorAll('button')]
        .filter(b => /^(Verified|Disputed|False|Unverifiable|Not a claim|Unreviewed)/.test(b.innerText))
        .filter(b => b.getBoundingClientRect().width > 0)
        .filter(b => [...b.querySelectorAll('.stMarkdownEllipsis')].some(e => e.scrollWidth > e.clientWidth))
        .map(b => b.innerText.split('\\n')[0])""")


def test_narrow_window_collapses_the_sidebar_and_verdicts_read_fully(chromium_browser, seeded_db, serve_dashboard,
                                                                     output_dir):
    """Issue 14: at 800 px the sidebar took 300 px and the paragraph a narrow strip; labels read "Unveri…"."""
    cid = next(iter(_claims(seeded_db, "132 children")))
    base = serve_dashboard(seeded_db)
    ctx = chromium_browser.new_context(viewport={"width": 800, "height": 900})
    page = ctx.new_page()
    bu.goto(page, f"{base}/?claim={cid}")
    bu.set_reviewer(page, "Rana Haddad")   # the sidebar's own box: typed before it collapses or after, either way
    bu.goto(page, f"{base}/?claim={cid}")
    page.wait_for_function("() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right <= 0")
    paragraph = page.locator(".claims-text").first.bounding_box()
    assert paragraph and paragraph["width"] >= 320, f"the paragraph is a narrow strip: {paragraph}"
    assert _clipped_verdict_labels(page) == []
    shot(page, "3-narrow-800", output_dir)
    # The reader's own choice wins: opened by hand, the sidebar stays open after a reload.
    page.locator("[data-testid='stExpandSidebarButton']").click()
    page.wait_for_function("() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right > 0")
    page.reload(wait_until="domcontentloaded")
    bu.wait_idle(page)
    assert _sidebar_decided(page) == "kept" and _sidebar_open(page), "the sidebar the reader opened was closed again"
    ctx.close()

    wide = chromium_browser.new_page(viewport=VIEW)   # 1280x800: the sidebar stays, the labels read fully
    bu.goto(wide, f"{base}/?claim={cid}")
    bu.set_reviewer(wide, "Rana Haddad")
    assert _sidebar_decided(wide) == "kept" and _sidebar_open(wide)
    assert _clipped_verdict_labels(wide) == []
    shot(wide, "5-verdict-labels-1280", output_dir)


# the missed figure in the claim's own sentence: the Review paragraph shows that sentence and a little context
MISSED = "Police said 12 people were killed in the blast, and hospital staff treated 30 wounded survivors."


def select_in_paragraph(page, words: str) -> None:
    """Select ``words`` in the claim's paragraph as a reader dragging over them would, then release the mouse."""
    found = page.evaluate("""(words) => {
      const p = document.querySelector('.claims-text');
      const text = p.textContent, at = text.indexOf(words);
      if (at < 0) return 'not in: ' + text;
      const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT), range = document.createRange();
      let seen = 0, n;
      while ((n = walk.nextNode())) {            // the words may cross the highlight's elements
        const end = seen + n.data.length;
        if (seen <= at && at < end) range.setStart(n, at - seen);
        if (seen < at + words.length && at + words.length <= end) { range.setEnd(n, at + words.length - seen); break; }
        seen = end;
      }
      const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
      p.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
      return sel.toString();
    }""", words)
    assert found == words, f"{words!r} not selectable in the paragraph ({found!r})"
    bu.wait_idle(page)


def choose(page, box, option: str) -> None:
    """Pick ``option`` in a selectbox by typing it (the dropdown filters) and pressing Enter."""
    box.click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    bu.wait_idle(page)


def test_a_reviewer_adds_a_missed_claim_by_selecting_its_words_and_fixes_a_wrong_kind(chromium_browser, sqlite_url,
                                                                                   serve_dashboard, output_dir):
    """Issue 14: a claim the extractor missed could not be added; a wrong kind could not be corrected."""
    from claims.model import Claim, DocumentIn, Kind

    with Store(sqlite_url) as s:   # the extractor read "12 people" as a bare figure and missed "30 wounded"
        doc_id, _ = s.add_document(DocumentIn(text=MISSED, publisher="Harbour Radio News"),
                                   [Claim(kind=Kind.FIGURE, start=12, end=21, quote="12 people", low=12, high=12,
                                          sentence=MISSED, rule="test")], extractor_version="t-1")
        wrong = s.claims_for_document(doc_id)[0].id
    base = serve_dashboard(sqlite_url)
    page = chromium_browser.new_page(viewport=VIEW)
    bu.goto(page, f"{base}/?claim={wrong}")
    bu.set_reviewer(page, "Rana Haddad")

    select_in_paragraph(page, "30 wounded")
    panel = page.locator("[data-testid='stExpander']", has_text="Add a claim the extractor missed")
    assert panel.get_by_role("textbox", name="Exact words").input_value() == "30 wounded"
    choose(page, panel.get_by_role("combobox", name=re.compile("^Kind")), "Casualties")
    for label, value in (("Figure", "30"), ("Attributed to", "Hospital staff")):
        box = panel.get_by_role("textbox", name=label)
        box.fill(value)
        box.press("Enter")
        bu.wait_idle(page)
    choose(page, panel.get_by_role("combobox", name=re.compile("^Outcome")), "Injured")
    panel.get_by_text("Add claim", exact=True).scroll_into_view_if_needed()
    shot(page, "4-add-missed-claim", output_dir)
    panel.get_by_role("button", name="Add claim").click()
    bu.wait_idle(page)
    page.get_by_text(re.compile("^Added claim")).wait_for()
    assert page.locator("h4").first.inner_text() == "“30 wounded”"
    with Store(sqlite_url) as s:
        recs = {r.claim.quote: r for r in s.claims_for_document(doc_id)}
    added = recs["30 wounded"]
    assert (added.claim.kind, added.claim.low, added.claim.high, added.claim.outcome.value,
            added.claim.attributed_to, added.claim.rule, added.reviewer) == (
        Kind.CASUALTIES, 30, 30, "injured", "Hospital staff", "manual", "Rana Haddad")

    # The kind was wrong: the same words again as Casualties, the old claim marked "Not a claim".
    bu.goto(page, f"{base}/?claim={wrong}")
    select_in_paragraph(page, "12 people")
    panel = page.locator("[data-testid='stExpander']", has_text="Add a claim the extractor missed")
    choose(page, panel.get_by_role("combobox", name=re.compile("^Kind")), "Casualties")
    box = panel.get_by_role("textbox", name="Figure")
    box.fill("12")
    box.press("Enter")
    bu.wait_idle(page)
    panel.get_by_text(re.compile(r"^Instead of claim")).click()
    bu.wait_idle(page)
    panel.get_by_role("button", name="Add claim").click()
    bu.wait_idle(page)
    page.get_by_text(re.compile("is marked “Not a claim”")).wait_for()
    with Store(sqlite_url) as s:
        old, kinds = s.get_claim(wrong), {r.claim.quote + "/" + r.claim.kind.value for r in s.claims_for_document(doc_id)}
    assert old.verdict.value == "not_a_claim" and "12 people/casualties" in kinds

    # One "Figure" box corrects an exact figure: low = high; the table marks the corrected claim.
    bu.goto(page, f"{base}/?claim={added.id}")
    fixes = page.locator("[data-testid='stExpander']", has_text="Correct the parsed values")
    fixes.get_by_text("Correct the parsed values").click()
    box = fixes.get_by_role("textbox", name="Figure")
    box.fill("32")
    box.press("Enter")
    bu.wait_idle(page)
    page.get_by_role("button", name="Save note and corrections").click()
    bu.wait_idle(page)
    with Store(sqlite_url) as s:
        fixed = s.get_claim(added.id)
    assert (fixed.effective("low"), fixed.effective("high")) == (32, 32)
    quotes = [bu.grid_cell(page, r, 3).inner_text() for r in range(3)]
    row = quotes.index("30 wounded")
    assert bu.grid_cell(page, row, 2).inner_text().startswith("✎"), "the table marks the corrected claim"
    assert not bu.grid_cell(page, quotes.index("12 people"), 2).inner_text().startswith("✎")
    page.locator("[data-testid='stDataFrame']").first.scroll_into_view_if_needed()
    shot(page, "4-corrected-marked", output_dir)
