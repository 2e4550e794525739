"""Names, colours and icons shared by every page, so a verdict looks the same everywhere.

Plain data and small pure functions: no Streamlit, no database.
"""
from __future__ import annotations

from claims.model import Kind, Outcome, Verdict

VERDICT_LABEL: dict[str, str] = {
    Verdict.UNREVIEWED.value: "Unreviewed",
    Verdict.VERIFIED.value: "Verified",
    Verdict.DISPUTED.value: "Disputed",
    Verdict.FALSE.value: "False",
    Verdict.UNVERIFIABLE.value: "Unverifiable",
    Verdict.NOT_A_CLAIM.value: "Not a claim",
}

# Strong colours (text, underline) and pale backgrounds; chosen to stay readable
# for red-green colour blindness by also differing in lightness.
VERDICT_COLOR: dict[str, str] = {
    Verdict.UNREVIEWED.value: "#6b7280",
    Verdict.VERIFIED.value: "#15803d",
    Verdict.DISPUTED.value: "#c2410c",
    Verdict.FALSE.value: "#b91c1c",
    Verdict.UNVERIFIABLE.value: "#6d28d9",
    Verdict.NOT_A_CLAIM.value: "#1f2937",
}
VERDICT_BG: dict[str, str] = {
    Verdict.UNREVIEWED.value: "#f3f4f6",
    Verdict.VERIFIED.value: "#dcfce7",
    Verdict.DISPUTED.value: "#ffedd5",
    Verdict.FALSE.value: "#fee2e2",
    Verdict.UNVERIFIABLE.value: "#ede9fe",
    Verdict.NOT_A_CLAIM.value: "#e5e7eb",
}
VERDICT_ICON: dict[str, str] = {
    Verdict.UNREVIEWED.value: ":material/radio_button_unchecked:",
    Verdict.VERIFIED.value: ":material/check_circle:",
    Verdict.DISPUTED.value: ":material/report:",
    Verdict.FALSE.value: ":material/cancel:",
    Verdict.UNVERIFIABLE.value: ":material/help:",
    Verdict.NOT_A_CLAIM.value: ":material/block:",
}
# One key per verdict (Streamlit button shortcuts); "C" and "R" are reserved by Streamlit.
VERDICT_SHORTCUT: dict[str, str] = {
    Verdict.VERIFIED.value: "V", Verdict.DISPUTED.value: "D", Verdict.FALSE.value: "F",
    Verdict.UNVERIFIABLE.value: "U", Verdict.NOT_A_CLAIM.value: "X", Verdict.UNREVIEWED.value: "0",
}
# Streamlit's named colours for badges and coloured markdown text.
VERDICT_BADGE: dict[str, str] = {
    Verdict.UNREVIEWED.value: "gray",
    Verdict.VERIFIED.value: "green",
    Verdict.DISPUTED.value: "orange",
    Verdict.FALSE.value: "red",
    Verdict.UNVERIFIABLE.value: "violet",
    Verdict.NOT_A_CLAIM.value: "gray",
}

KIND_LABEL: dict[str, str] = {
    Kind.CASUALTIES.value: "Casualties",
    Kind.FORCE_SIZE.value: "Force size",
    Kind.DATE.value: "Date",
    Kind.DURATION.value: "Duration",
    Kind.FIGURE.value: "Other figure",
}
# Pale highlight backgrounds: the highlighted words must stay easy to read.
KIND_BG: dict[str, str] = {
    Kind.CASUALTIES.value: "#fecaca",
    Kind.FORCE_SIZE.value: "#bfdbfe",
    Kind.DATE.value: "#e9d5ff",
    Kind.DURATION.value: "#fde68a",
    Kind.FIGURE.value: "#bbf7d0",
}

OUTCOME_LABEL: dict[str, str] = {Outcome.KILLED.value: "Killed", Outcome.INJURED.value: "Injured"}

FIELD_LABEL: dict[str, str] = {
    "kind": "Kind", "low": "Low", "high": "High", "figure": "Figure", "approximate": "Approximate",
    "outcome": "Outcome", "subject": "Subject", "unit": "Unit", "date": "Date",
    "duration": "Duration", "attributed_to": "Attributed to", "rule": "Rule",
    "verdict": "Verdict", "note": "Note", "evidence_url": "Evidence URL",
    "corrected": "Corrections", "reviewer": "Reviewer",
    "vote": "Their verdict", "vote_note": "Their note", "review_state": "Review state",
    "adjudication": "Editor's decision",
}

REVIEW_STATE_LABEL: dict[str, str] = {
    "unreviewed": "Unreviewed", "reviewed": "Reviewed", "needs_second": "Needs a second review",
    "agreed": "Agreed", "disagreed": "Disagreement", "adjudicated": "Decided by an editor",
}
REVIEW_STATE_BADGE: dict[str, str] = {
    "unreviewed": "gray", "reviewed": "blue", "needs_second": "orange", "agreed": "green", "disagreed": "red",
    "adjudicated": "violet",
}


def verdict_label(value: str | Verdict | None) -> str:
    """Return the reviewer-facing name of a verdict."""
    v = Verdict(value).value if value else Verdict.UNREVIEWED.value
    return VERDICT_LABEL[v]


# Review table orders (Store.query_claims ``order``), as the Order box names them
ORDER_LABEL: dict[str, str] = {
    "document": "Document order", "newest": "Newest first", "oldest": "Oldest first",
    "figure": "Largest figure first", "reviewed": "Recently reviewed",
}


def kind_label(value: str | Kind | None) -> str:
    """Return the reviewer-facing name of a claim kind."""
    return KIND_LABEL.get(Kind(value).value, str(value)) if value else ""


def figure_text(low: float | None, high: float | None, *, approximate: bool = False) -> str:
    """Return a figure range as people write it: ``23``, ``150–250``, ``≥ 40``, ``≤ 12``, ``~6,000``."""
    def num(x: float) -> str:
        return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"

    if low is None and high is None:
        return ""
    prefix = "~" if approximate else ""
    if low is not None and high is not None:
        return prefix + (num(low) if low == high else f"{num(low)}–{num(high)}")
    if low is not None:
        return f"{prefix}≥ {num(low)}"
    return f"{prefix}≤ {num(high)}"


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&\"'=")


def md_escape(text: str | None) -> str:
    """Return ``text`` with every Markdown-active character backslash-escaped (document text is hostile).

    Streamlit renders captions, titles and labels as Markdown; escaping keeps
    a title such as ``[x](javascript:..)`` or ``<img onerror>`` literal text.
    Newlines become spaces so one value cannot start a new block.
    """
    if not text:
        return ""
    return "".join("\\" + ch if ch in _MD_SPECIAL else (" " if ch in "\r\n" else ch) for ch in str(text))


def count_label(n: int, *, approximate: bool) -> str:
    """Return a count as the dashboard shows it: "1,234", or "about 240,000" for an estimate ("few" below its reach)."""
    if not approximate:
        return f"{n:,}"
    return f"about {n:,}" if n else "few"


def plural(n: int, word: str, words: str | None = None) -> str:
    """Return ``"1 claim"`` / ``"2,345 claims"``."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"



# Below this window width the sidebar starts collapsed, so the claim and its paragraph get the screen
# (Streamlit's own "auto" collapses only below 768 px: at 800 px the panel took 300 of them).
NARROW_PX = 1000

# Runs once per page load in the browser. A reader's own choice (Streamlit keeps it in localStorage under
# stSidebarCollapsed-...) wins; the collapse done here is not stored as one, so a wide window later opens
# with the sidebar as usual. When it is done, window.__claimsSidebar says what it did ("kept" or
# "collapsed"), so a browser test can wait for the decision instead of sleeping.
COLLAPSE_WHEN_NARROW_JS = """<script>
(() => {
  if (window.__claimsNarrowChecked) return;
  window.__claimsNarrowChecked = true;
  const key = k => k.startsWith("stSidebarCollapsed-");
  const done = what => { window.__claimsSidebar = what; };
  if (window.innerWidth >= %(px)d || Object.keys(localStorage).some(key)) return done("kept");
  const collapse = (tries) => {
    const bar = document.querySelector('[data-testid="stSidebar"]');
    const btn = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (!bar || !btn) { if (tries > 0) setTimeout(() => collapse(tries - 1), 100); else done("kept"); return; }
    if (bar.getAttribute("aria-expanded") === "false") return done("collapsed");
    btn.click();
    setTimeout(() => { Object.keys(localStorage).filter(key).forEach(k => localStorage.removeItem(k)); done("collapsed"); }, 50);
  };
  collapse(50);
})();
</script>""" % {"px": NARROW_PX}


ADD_QUOTE_LABEL = "Exact words"  # the box of "Add a claim the extractor missed" a selection fills

# Review: words selected in the claim's paragraph go into the "Exact words" box of "Add a claim the extractor
# missed" (as if pasted there), so adding a missed claim starts from a selection. Runs in the browser once
# per page load; only selections inside the paragraph (.claims-text) count.
SELECTION_TO_QUOTE_JS = """<script>
(() => {
  if (window.__claimsSelectionHooked) return;
  window.__claimsSelectionHooked = true;
  document.addEventListener("mouseup", () => {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.anchorNode) return;
    const at = n => (n.nodeType === 1 ? n : n.parentElement);
    const para = at(sel.anchorNode).closest(".claims-text");
    if (!para || !para.contains(sel.focusNode)) return;
    const words = sel.toString().replace(/\\s+/g, " ").trim();
    const box = document.querySelector('input[aria-label="%(label)s"]');
    if (!words || !box) return;
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(box, words);
    box.dispatchEvent(new Event("input", {bubbles: true}));
    box.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", code: "Enter", keyCode: 13, bubbles: true}));
  });
})();
</script>""" % {"label": ADD_QUOTE_LABEL}


def short_labels(labels: list[str], sep: str = " · ") -> list[str]:
    """Return each label cut to its fewest leading parts that no other label shares.

    The facts of one incident are told apart on their buttons: "casualties (killed)" alone when it is
    the only toll, "casualties (killed) · children" and "casualties (killed) · fighters" when there are two.
    """
    parts = [label.split(sep) for label in labels]
    out = []
    for i, p in enumerate(parts):
        n = 1
        while n < len(p) and any(q[:n] == p[:n] for j, q in enumerate(parts) if j != i):
            n += 1
        out.append(sep.join(p[:n]))
    return out

