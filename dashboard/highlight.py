"""Render document text as safe HTML with claim spans highlighted.

Document text is hostile: every character of it goes through ``html.escape``
before it reaches the page, and only the ``<mark>``/``<span>`` tags built here
carry markup. Pure functions, no Streamlit.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from dashboard import look


@dataclass(frozen=True, slots=True)
class Mark:
    """One span to highlight: character offsets into the text, colours and a tooltip."""

    start: int
    end: int
    background: str
    underline: str | None = None
    title: str = ""
    strong: bool = False


def highlight_html(text: str, marks: list[Mark], *, offset: int = 0) -> str:
    """Return ``text`` as escaped HTML with each mark wrapped in a styled ``<mark>``.

    ``offset`` is where ``text`` starts in the document the marks' offsets
    refer to (so a paragraph can be rendered with document offsets). Where
    marks overlap, the innermost (shortest) one colours the overlap, and its
    tooltip lists every claim there.
    """
    n = len(text)
    spans = []
    for m in marks:
        a, b = max(0, m.start - offset), min(n, m.end - offset)
        if a < b:
            spans.append((a, b, m))
    cuts = sorted({0, n, *(a for a, _, _ in spans), *(b for _, b, _ in spans)})
    pieces: list[tuple[str, Mark | None, tuple[str, ...]]] = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [(sb - sa, m) for sa, sb, m in spans if sa <= a and sb >= b]
        chosen = min(covering, key=lambda t: t[0])[1] if covering else None
        titles = tuple(m.title for _, m in sorted(covering, key=lambda t: t[0]) if m.title)
        seg = text[a:b]
        if pieces and pieces[-1][1] is chosen and pieces[-1][2] == titles:
            pieces[-1] = (pieces[-1][0] + seg, chosen, titles)
        else:
            pieces.append((seg, chosen, titles))
    out = []
    for seg, m, titles in pieces:
        body = html.escape(seg, quote=True)
        if m is None:
            out.append(body)
            continue
        style = f"background:{m.background};padding:0.05em 0.15em;border-radius:0.2em;color:inherit;"
        if m.underline:
            style += f"border-bottom:3px solid {m.underline};"
        if m.strong:
            style += "font-weight:600;"
        title = html.escape(" | ".join(titles), quote=True)
        out.append(f'<mark style="{style}" title="{title}">{body}</mark>')
    return "".join(out)


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the (start, end) offsets of the paragraph (line block) holding ``text[start:end]``."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return a, (len(text) if b < 0 else b)


def text_block(inner_html: str, *, max_height: str | None = None) -> str:
    """Wrap highlighted HTML in a readable block that keeps the text's line breaks."""
    scroll = f"max-height:{max_height};overflow-y:auto;" if max_height else ""
    return ('<div class="claims-text" style="white-space:pre-wrap;line-height:1.7;font-size:1.02rem;'
            f'padding:0.8rem 1rem;border:1px solid #e5e7eb;border-radius:0.5rem;background:#fff;{scroll}">'
            f"{inner_html}</div>")


SOURCE_BG = "#dbeafe"  # who said it: a light blue, apart from every kind's colour
SOURCE_LINE = "#2563eb"


def claim_in_paragraph_html(text: str, *, start: int, end: int, sentence: str = "",
                            kind: str = "figure", verdict: str = "unreviewed", context: int | None = None,
                            source_start: int | None = None, source_end: int | None = None,
                            source: str | None = None) -> str:
    """Return the paragraph around a claim as HTML: the sentence lightly shaded, the span in its kind's colour,
    and the words naming who said it (``source_start``/``source_end``) in blue.

    ``context`` keeps only about that many characters of the paragraph either side of the
    claim's sentence (cut at a space, "…" where text was left out), so a long paragraph
    does not push the verdict buttons off the screen. The words naming the source are always
    kept: when they are in an earlier paragraph ("He said" referring back), the text shown
    runs from there to the claim.
    """
    has_source = source_start is not None and source_end is not None and 0 <= source_start < source_end <= len(text)
    lo, hi = (min(start, source_start), max(end, source_end)) if has_source else (start, end)
    a, b = paragraph_bounds(text, lo, hi)
    cut_a = cut_b = False
    if context is not None:
        s_at = text.rfind(sentence, a, start + len(sentence)) if sentence else -1  # the copy that holds the span
        s_from, s_to = (s_at, s_at + len(sentence)) if s_at >= 0 and s_at + len(sentence) >= end else (start, end)
        if has_source:
            s_from, s_to = min(s_from, source_start), max(s_to, source_end)
        if s_from - context > a:
            na = text.find(" ", s_from - context, s_from)
            a, cut_a = (na + 1 if na >= 0 else s_from - context), True
        if s_to + context < b:
            nb = text.rfind(" ", s_to, s_to + context)
            b, cut_b = (nb if nb >= 0 else s_to + context), True
    para = text[a:b]
    marks = []
    if has_source:
        marks.append(Mark(source_start, source_end, background=SOURCE_BG, underline=SOURCE_LINE,
                          title=f"Source: {source or text[source_start:source_end]}"))
    if sentence:
        # The sentence containing the span; searched near the span so a repeated sentence picks the right copy.
        s = para.rfind(sentence, 0, max(0, start - a) + len(sentence))
        if s >= 0 and s <= start - a and s + len(sentence) >= end - a:
            marks.append(Mark(a + s, a + s + len(sentence), background="#f1f5f9"))
    marks.append(Mark(start, end, background=look.KIND_BG.get(kind, "#fde68a"),
                      underline=look.VERDICT_COLOR.get(verdict), strong=True,
                      title=f"{look.kind_label(kind)} · {look.verdict_label(verdict)}"))
    return text_block(("… " if cut_a else "") + highlight_html(para, marks, offset=a) + (" …" if cut_b else ""))


def legend_html() -> str:
    """Return a compact legend: backgrounds for kinds, underlines for verdicts."""
    kinds = "".join(
        f'<span style="background:{bg};padding:0.1em 0.4em;border-radius:0.2em;margin-right:0.4em">'
        f"{html.escape(look.KIND_LABEL[k])}</span>" for k, bg in look.KIND_BG.items())
    verdicts = "".join(
        f'<span style="border-bottom:3px solid {c};margin-right:0.7em;padding-bottom:1px">'
        f"{html.escape(look.VERDICT_LABEL[v])}</span>" for v, c in look.VERDICT_COLOR.items())
    return (f'<div style="font-size:0.85rem;line-height:2.1"><b>Kind</b>&nbsp; {kinds}<br>'
            f"<b>Verdict</b> (underline)&nbsp; {verdicts}</div>")


def document_html(text: str, claims: list[tuple[object, str]], *, max_height: str | None = "36rem") -> str:
    """Return a whole document as HTML with every claim highlighted: background by kind, underline by verdict.

    ``claims`` holds (claim, verdict value) pairs; a claim needs ``start``,
    ``end``, ``kind`` and ``quote`` (a :class:`claims.model.Claim`).
    """
    marks = []
    for c, verdict in claims:
        kind = getattr(c.kind, "value", c.kind)
        marks.append(Mark(c.start, c.end, background=look.KIND_BG.get(kind, "#fde68a"),
                          underline=look.VERDICT_COLOR.get(verdict),
                          title=f"{look.kind_label(kind)} · {look.verdict_label(verdict)}: {c.quote}"))
    return text_block(highlight_html(text, marks), max_height=max_height)


def fields_html(rows: list[tuple[str, str, str]]) -> str:
    """Return parsed fields as a compact two-column grid; each row is (label, value, extracted value if corrected)."""
    cells = []
    for label, value, was in rows:
        extra = (f' <span style="color:#6b7280;text-decoration:line-through" title="extracted value">'
                 f"{html.escape(was)}</span>") if was else ""
        weight = "font-weight:600;" if was else ""
        cells.append(f'<div style="color:#6b7280">{html.escape(label)}</div>'
                     f'<div style="{weight}">{html.escape(value)}{extra}</div>')
    return ('<div style="display:grid;grid-template-columns:max-content 1fr max-content 1fr;'
            'gap:0.15rem 0.9rem;font-size:0.9rem;line-height:1.5">' + "".join(cells) + "</div>")
