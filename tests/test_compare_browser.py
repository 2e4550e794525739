"""Compare in a real browser: from the Discrepancies queue to a group, then change its reconciliation rule."""
from __future__ import annotations

import pytest

from claims.compare import persist
from claims.model import ClaimFilter
from claims.store import Store
from tests import browser_util as bu
from tests import compare_articles as A

pytest_plugins = ["tests.conftest_browser"]
pytestmark = pytest.mark.browser


@pytest.fixture
def compared_db(sqlite_url) -> str:
    """Return a SQLite URL holding the invented school-attack articles, already grouped."""
    with Store(sqlite_url) as s:
        for a in A.ALL:
            s.add_document(a.document(), a.claim_objects(), extractor_version="test")
        persist.run_compare(s)
    return sqlite_url


def _school(db_url: str):
    with Store(db_url) as s:
        rec = next(r for r in s.query_claims(ClaimFilter(), limit=None) if r.claim.quote == "41 children")
        return persist.group_of_claim(s, rec.id)


def test_walk_from_a_discrepancy_to_its_group_and_change_the_rule(chromium_browser, compared_db, serve_dashboard,
                                                                   output_dir):
    base = serve_dashboard(compared_db)
    school = _school(compared_db)
    queue_ids = [g.id for g in persist.discrepancies(Store(compared_db))]
    assert queue_ids[0] == school.id, "the school attack has the largest spread"

    page = chromium_browser.new_context(viewport={"width": 1440, "height": 1100}).new_page()
    bu.goto(page, f"{base}/compare")
    bu.set_reviewer(page, "Rana Haddad")
    page.get_by_role("radio", name="Discrepancies").click()  # a segmented control
    bu.wait_idle(page)
    page.get_by_text(f"{len(queue_ids)} group" + ("s" if len(queue_ids) != 1 else "")).first.wait_for()
    page.screenshot(path=str(output_dir / "discrepancies.png"), full_page=True)

    bu.select_grid_cell(page, 0)  # the groups table's first row
    page.get_by_role("heading", name="Incident: Port Calloway").wait_for()
    page.get_by_text(f"Group {school.id}:").first.wait_for()
    page.get_by_text("Figure ledger").wait_for()
    page.get_by_text("Credible figures disagree: spread").wait_for()
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for()
    page.screenshot(path=str(output_dir / "group.png"), full_page=True)

    page.get_by_text("conservative", exact=True).click()
    page.get_by_role("button", name="Save rule").click()
    bu.wait_idle(page)
    page.get_by_text("now reconciles by the conservative rule").wait_for()
    page.screenshot(path=str(output_dir / "rule-saved.png"), full_page=True)

    after = _school(compared_db)
    assert (after.id, after.rule, after.rule_reviewer) == (school.id, "conservative", "Rana Haddad")
    assert after.reconciled.best == min(m.claim.low for m in after.members)
    with Store(compared_db) as s:
        assert [(d["action"], d["reviewer"], d["rule"]) for d in persist.decisions(s)] == [
            ("rule", "Rana Haddad", "conservative")]


def _injured(db_url: str):
    with Store(db_url) as s:
        rec = next(r for r in s.query_claims(ClaimFilter(), limit=None) if r.claim.quote == "17 people")
        return persist.group_of_claim(s, rec.id)


def test_merging_killed_with_injured_asks_first_and_can_be_undone(chromium_browser, compared_db, serve_dashboard,
                                                                  output_dir):
    """Issue 14 item 3: a merge across outcomes needs a confirmation, is recorded as forced, and Undo takes it back."""
    base = serve_dashboard(compared_db)
    school, injured = _school(compared_db), _injured(compared_db)
    before = sorted(m.claim.quote for m in school.members)
    page = chromium_browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    bu.goto(page, f"{base}/compare?group={school.id}")
    bu.set_reviewer(page, "Rana Haddad")
    page.get_by_role("heading", name="Incident: Port Calloway").wait_for()
    if len(injured.members) < 2:  # list single claims too, so the injured count is on offer
        size = page.get_by_label("At least this many claims")
        size.fill("1")
        size.press("Enter")
        bu.wait_idle(page)
    page.get_by_role("tab", name="Merge groups").click()
    page.get_by_text("Also list groups of other kinds or outcomes").click()
    bu.wait_idle(page)
    page.locator('[data-testid="stMultiSelect"]').filter(has_text="Merge these groups into this one").click()
    page.get_by_role("option", name=f"Group {injured.id}:").click()
    page.keyboard.press("Escape")
    bu.wait_idle(page)
    page.get_by_role("button", name="Merge", exact=True).click()
    bu.wait_idle(page)
    page.get_by_text("hold different outcomes").wait_for()
    page.get_by_role("button", name="Merge anyway").scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "merge-confirm.png"))
    with Store(compared_db) as s:
        assert persist.decisions(s) == [], "nothing is merged before the confirmation"
    page.get_by_role("button", name="Merge anyway").click()
    bu.wait_idle(page)
    page.get_by_text(f"Merged into group {min(school.id, injured.id)}").wait_for()
    with Store(compared_db) as s:
        (d,) = persist.decisions(s)
        assert (d["action"], d["forced"], d["reviewer"]) == ("merge", True, "Rana Haddad")

    page.get_by_text("Decisions (").click()
    # (under load the expander's content is drawn a run later: a click before it lands on nothing)
    bu.wait_idle(page)
    undo = page.get_by_role("button", name="Undo the last merge")
    undo.wait_for()
    undo.click()
    bu.wait_idle(page)
    page.get_by_text("Undid the merge by Rana Haddad").wait_for()
    page.screenshot(path=str(output_dir / "merge-undone.png"))
    after = _school(compared_db)
    assert sorted(m.claim.quote for m in after.members) == before
    with Store(compared_db) as s:
        assert [d["action"] for d in persist.decisions(s)] == ["merge", "undo"]
