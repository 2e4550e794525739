"""Run the dashboard in a real server and drive it with Debian's chromium (Playwright's sync API).

Used by the browser tests (through the fixtures in tests/conftest_browser.py)
and handy by hand::

    .venv/bin/python -m tests.browser_util sqlite:////tmp/x.db   # screenshots of every page in test-output/

Never runs ``playwright install``: the browser is the system's ``chromium``.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "test-output"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path() -> str | None:
    """Return the system chromium's path, or None when it is not installed."""
    return shutil.which("chromium")


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def dashboard_server(db_url: str, *, log_path: Path | None = None, timeout: float = 90.0) -> Iterator[str]:
    """Start ``python -m streamlit run dashboard/streamlit_app.py`` on ``db_url``; yield its base URL; stop it."""
    port = free_port()
    env = {**os.environ, "CLAIMS_DB_URL": db_url, "PYTHONUNBUFFERED": "1"}
    log_path = log_path or (OUTPUT / f"streamlit-{port}.log")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "streamlit", "run", "dashboard/streamlit_app.py",
           "--server.port", str(port), "--server.headless", "true", "--server.address", "localhost",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            base = f"http://localhost:{port}"
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not answer /_stcore/health within {timeout:.0f} s:\n"
                                       f"{log_path.read_text()[-3000:]}")
                time.sleep(0.3)
            yield base
        finally:
            # Stop only the server we started (its own process group).
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=10)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def launch(playwright):
    """Launch the system chromium headless with the flags a container needs."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)


_BUSY_JS = """() => !!(document.querySelector('[data-testid="stStatusWidget"]')
    || document.querySelector('[data-testid="stSkeleton"]')
    || document.querySelector('[data-stale="true"]'))"""


def wait_idle(page, *, timeout: float = 30_000) -> None:
    """Wait until the app has drawn a page title and stayed idle (no run, skeleton or stale element) for 0.6 s."""
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout)
    deadline = time.monotonic() + timeout / 1000
    quiet = 0
    while quiet < 3:  # a rerun triggered just now may not show its status widget at once
        if time.monotonic() > deadline:
            raise TimeoutError(f"the app did not settle within {timeout / 1000:.0f} s")
        page.wait_for_timeout(200)
        quiet = 0 if page.evaluate(_BUSY_JS) else quiet + 1


# Streamlit's dataframes draw on a canvas (glide-data-grid), but the grid keeps an accessible table of the
# cells on screen beside it: <td data-testid="glide-cell-COL-ROW">, which selects its cell when focused (the
# way a screen reader moves). Tests select cells through it, not by pixel position, so a changed row
# height, header or layout does not send a click to the wrong row.
def grid_cell(page, row: int, col: int, *, grid: int = 0):
    """Return the accessible element of cell (``col``, ``row``) of the ``grid``-th dataframe (row 0 = first data
    row; col 0 = the selection box column when rows are selectable, else the first column)."""
    return page.locator("[data-testid='stDataFrame']").nth(grid).locator(f"[data-testid='glide-cell-{col}-{row}']")


def select_grid_cell(page, row: int, *, col: int = 1, grid: int = 0, tries: int = 3) -> None:
    """Select cell (``col``, ``row``) of the ``grid``-th dataframe as a click would; wait for the app to settle.

    The first focus of a grid may select its first cell instead (the grid takes the focus, then the cell),
    and the grid ignores a second focus of the cell it last saw focused: a retry focuses the next cell of
    the same row first (same row, same claim or group), then the wanted one.
    """
    for attempt in range(tries):
        if attempt:
            grid_cell(page, row, col + 1 if grid_cell(page, row, col + 1, grid=grid).count() else col - 1,
                      grid=grid).focus()
            wait_idle(page)
        cell = grid_cell(page, row, col, grid=grid)
        cell.wait_for(state="attached")
        cell.focus()
        wait_idle(page)
        if grid_cell(page, row, col, grid=grid).get_attribute("aria-selected") == "true":
            return
    page.screenshot(path=str(OUTPUT / "select-failed.png"), full_page=True)
    raise AssertionError(f"cell {col},{row} of dataframe {grid} did not become selected ({page.url}; "
                         f"screenshot {OUTPUT / 'select-failed.png'})")


def scroll_main_to_end(page) -> None:
    """Scroll the page's main pane to its end, as a reader would, and wait until it is there.

    The main pane (``stMain``) scrolls, not the window; a mouse wheel turns whatever is under the
    pointer, which at the pointer's starting place (0, 0) is the sidebar.
    """
    page.evaluate("() => { const m = document.querySelector('[data-testid=stMain]'); m.scrollTop = m.scrollHeight; }")
    page.wait_for_function("() => { const m = document.querySelector('[data-testid=stMain]');"
                           " return m.scrollTop + m.clientHeight >= m.scrollHeight - 1; }")


def blur(page) -> None:
    """Take the keyboard focus off any input (page-wide key shortcuts ignore keys typed into inputs)."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")


def goto(page, url: str) -> None:
    """Open a dashboard URL and wait for its first run to finish."""
    page.goto(url, wait_until="domcontentloaded")
    wait_idle(page)


def set_reviewer(page, name: str) -> None:
    """Type the reviewer's name into the sidebar box."""
    box = page.get_by_role("textbox", name="Reviewer name")
    box.fill(name)
    box.press("Enter")
    wait_idle(page)


def screenshot_pages(base: str, out: Path) -> list[Path]:
    """Save a full-page screenshot of each dashboard page under ``out``; return the files."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    files = []
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            for name, path in (("review", "/"), ("documents", "/documents"), ("sources", "/sources"),
                               ("compare", "/compare"), ("charts", "/charts"), ("export", "/export")):
                goto(page, base + path)
                f = out / f"{name}.png"
                page.screenshot(path=str(f), full_page=True)
                files.append(f)
        finally:
            browser.close()
    return files


if __name__ == "__main__":
    url = sys.argv[1]
    with dashboard_server(url) as base:
        for f in screenshot_pages(base, OUTPUT / "pages"):
            print(f)
