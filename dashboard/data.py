"""The dashboard's only door to the database: the store handle, cached readers and writes.

* ``store()`` opens one :class:`claims.store.Store` per database URL for the
  whole server (``st.cache_resource``).
* Readers are ``st.cache_data`` functions keyed by the database URL and plain
  arguments (filters travel as a JSON key), so every session shares them. The
  public wrapper of each reader takes model objects; the private cached
  function takes only hashable values.
* Writes go to the database at once and then clear every cached reader
  (``clear_cache``), so the next rerun of any session reads fresh data.

To add a reader (other pages do): write ``_thing(url, ...)`` decorated with
``@st.cache_data(ttl=TTL, show_spinner=False)`` that calls ``store_for(url)``,
and a public ``thing(...)`` that passes ``db_url()``. Pages never open the
store or build queries themselves.
"""
from __future__ import annotations

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pandas as pd
import streamlit as st

from claims.errors import BadInputError
from claims.filters import FILTERS, from_panel, panel_defaults
from claims.model import Claim, ClaimFilter, ClaimRecord, Document, DocumentIn, HistoryEntry, Verdict
from claims.store import PUBLISHER_GRADES, FacetSummary, PublisherInfo, Store, default_url
from dashboard import tables

# Cached reads are shared by every session on this server and cleared after
# each write here; the TTL bounds how stale they get when another process
# (a teammate's server, the CLI) writes to the same database.
TTL = dt.timedelta(seconds=30)

GRADES = PUBLISHER_GRADES


# ---------------------------------------------------------------- store handle
def db_url() -> str:
    """Return the database URL the dashboard uses (CLAIMS_DB_URL, else the default SQLite file)."""
    return default_url()


@st.cache_resource(show_spinner="Opening the claim database…")
def store_for(url: str) -> Store:
    """Return the one open store for ``url`` (migrated to the latest schema)."""
    return Store(url)


def store() -> Store:
    """Return the open store for the configured database."""
    return store_for(db_url())


def clear_cache() -> None:
    """Forget every cached read, so the next rerun shows what the database holds now."""
    st.cache_data.clear()


# ---------------------------------------------------------------- filters as cache keys
_DATE_FIELDS = tuple(f.field for f in FILTERS if f.type == "date")


def filter_key(flt: ClaimFilter) -> str:
    """Return a canonical JSON string for a filter (the cache key of every filtered read)."""
    return json.dumps(flt.to_dict(), sort_keys=True, ensure_ascii=False)


def filter_from_key(key: str) -> ClaimFilter:
    """Rebuild the filter :func:`filter_key` serialised."""
    d = json.loads(key)
    for f in _DATE_FIELDS:
        if d.get(f):
            d[f] = dt.date.fromisoformat(d[f])
    return ClaimFilter(**d)


def review_filter(panel: dict[str, Any] | None = None, *, fuzzy: bool = True, **values: Any) -> ClaimFilter:
    """Return the ClaimFilter for the sidebar panel's values by widget name (claims.filters.from_panel).

    Values come as a dict or keywords: ``review_filter(kinds=["date"],
    event_dates=[start, end], text="Tehreek")``; names not given do not filter.
    The text matches quotes, subjects, attributions and sentences containing
    it. With ``fuzzy``, when nothing contains it, it also matches stored
    subjects, attributions and publishers spelled like it
    (``Store.fuzzy_terms``), so "Tehreek" finds "Tehrik" -- but "132 children"
    is not widened to every claim about children.
    """
    flt = from_panel({**panel_defaults(), **(panel or {}), **values})
    if flt.text and fuzzy and review_counts(flt)[0] == 0:
        flt.text_terms = fuzzy_terms(flt.text)
    return flt


def without(flt: ClaimFilter, *names: str) -> ClaimFilter:
    """Return a copy of ``flt`` with the named list fields emptied (for facet counts)."""
    d = json.loads(filter_key(flt))
    for n in names:
        d.pop(n, None)
    return filter_from_key(json.dumps(d, sort_keys=True))


# ---------------------------------------------------------------- claims (Review page)
def claim_count(flt: ClaimFilter) -> int:
    """Return how many claims match."""
    return _claim_count(db_url(), filter_key(flt))


@st.cache_data(ttl=TTL, show_spinner=False)
def _claim_count(url: str, fkey: str) -> int:
    return store_for(url).count_claims(filter_from_key(fkey))


def fictional_count(flt: ClaimFilter) -> int:
    """Return how many of the claims matching ``flt`` come from invented example documents."""
    if flt.fictional is False:
        return 0
    d = json.loads(filter_key(flt))
    d["fictional"] = True
    return _claim_count(db_url(), json.dumps(d, sort_keys=True))


def export_count(flt: ClaimFilter, *, fmt: str, include_pending: bool, include_fictional: bool) -> int:
    """Return how many claims an export of ``flt`` in ``fmt`` holds (claims.export.export_count)."""
    return _export_count(db_url(), filter_key(flt), fmt, include_pending, include_fictional)


@st.cache_data(ttl=TTL, show_spinner=False)
def _export_count(url: str, fkey: str, fmt: str, include_pending: bool, include_fictional: bool) -> int:
    from claims.export import export_count

    return export_count(store_for(url), filter_from_key(fkey), fmt=fmt, include_pending=include_pending,
                        include_fictional=include_fictional)


def claimreview_without_url(flt: ClaimFilter, *, include_pending: bool, include_fictional: bool) -> list[str]:
    """Return the titles of documents a ClaimReview download of ``flt`` publishes without a url."""
    return _claimreview_without_url(db_url(), filter_key(flt), include_pending, include_fictional)


@st.cache_data(ttl=TTL, show_spinner=False)
def _claimreview_without_url(url: str, fkey: str, include_pending: bool, include_fictional: bool) -> list[str]:
    from claims.export import claimreview_without_url

    return claimreview_without_url(store_for(url), filter_from_key(fkey), include_pending=include_pending,
                                   include_fictional=include_fictional)


def facet(flt: ClaimFilter, field: str) -> dict[str, int]:
    """Return {value: count} of one field (verdict, kind, outcome, publisher, reviewer) among matching claims."""
    return _facet(db_url(), filter_key(flt), field)


@st.cache_data(ttl=TTL, show_spinner=False)
def _facet(url: str, fkey: str, field: str) -> dict[str, int]:
    return store_for(url).facet_counts(filter_from_key(fkey), field)


def facet_summary(flt: ClaimFilter, field: str) -> FacetSummary:
    """Return one field's counts among matching claims in bounded time: exact when few match, else "about N".

    ``.facets[field]`` holds {value: count}; ``.approximate`` says they are
    estimates (Store.facet_summary), which the sidebar labels "about".
    """
    return _facet_summary(db_url(), filter_key(flt), field)


@st.cache_data(ttl=TTL, show_spinner=False)
def _facet_summary(url: str, fkey: str, field: str) -> FacetSummary:
    return store_for(url).facet_summary(filter_from_key(fkey), (field,))


def verdict_counts(flt: ClaimFilter) -> dict[str, int]:
    """Return the count of every verdict (zeros included) among claims matching all but the verdict filter."""
    found = facet(without(flt, "verdicts"), "verdict")
    return {v.value: int(found.get(v.value, 0)) for v in Verdict}


def review_counts(flt: ClaimFilter) -> tuple[int, dict[str, int]]:
    """Return (claims matching ``flt``, count per verdict ignoring the verdict filter).

    Every claim has exactly one verdict, so the total is the sum of the
    counts of the verdicts the filter keeps. Shares :func:`review_view`'s
    cache entry for the first page, which the Review page asks for next.
    """
    total, counts, _, _ = review_view(flt, limit=50, offset=0)
    return total, counts


def review_view(flt: ClaimFilter, *, limit: int = 50, offset: int = 0,
                order: str = "document") -> tuple[int, dict[str, int], pd.DataFrame, bool]:
    """Return what the Review page shows for a filter: (total, count per verdict, one page, approximate).

    Without a verdict filter the counts are the page's own filter's:
    Store.page_summary reads the page, then the counts unless a short first
    page already holds every match. With one, the verdict counts ignore it
    and the two independent queries run side by side on two connections,
    so a filter change costs the slower of the two rather than their sum. The counts come from
    Store.facet_summary: exact when few claims match, else estimates that
    ``approximate`` flags (the page shows them as "about N"). A total of 0
    is always exact.
    """
    return _review_view(db_url(), filter_key(flt), filter_key(without(flt, "verdicts")), limit, offset, order)


@st.cache_data(ttl=TTL, show_spinner=False)
def _review_view(url: str, fkey: str, counts_key: str, limit: int, offset: int,
                 order: str) -> tuple[int, dict[str, int], pd.DataFrame, bool]:
    s = store_for(url)
    flt = filter_from_key(fkey)
    if counts_key == fkey:
        # no verdict filter: the counts are the page's own filter's, and a short first page answers them
        # without a count statement (Store.page_summary; the page is read first, then the counts if needed)
        found, records = s.page_summary(flt, ("verdict",), limit=limit, offset=offset, order=order)
    elif _one_connection(s):
        found = s.facet_summary(filter_from_key(counts_key), ("verdict",))
        records = s.query_claims(flt, limit=limit, offset=offset, order=order)
    else:
        with ThreadPoolExecutor(max_workers=2) as pool:
            counts_job = pool.submit(s.facet_summary, filter_from_key(counts_key), ("verdict",))
            page_job = pool.submit(s.query_claims, flt, limit=limit, offset=offset, order=order)
            found, records = counts_job.result(), page_job.result()
    counts = {v.value: int(found.facets["verdict"].get(v.value, 0)) for v in Verdict}
    keep = set(flt.verdicts) or set(counts)
    return (sum(n for v, n in counts.items() if v in keep), counts, tables.claims_frame(records),
            found.approximate)


def _one_connection(s: Store) -> bool:
    """Return True when the store shares one connection (in-memory SQLite): queries must not run side by side."""
    return type(getattr(s.engine, "pool", None)).__name__ in ("StaticPool", "SingletonThreadPool")


def publisher_names() -> list[str]:
    """Return every publisher's name, sorted."""
    return _publisher_names(db_url())


@st.cache_data(ttl=TTL, show_spinner=False)
def _publisher_names(url: str) -> list[str]:
    return [p.name for p in store_for(url).list_publishers()]


def reviewer_names() -> list[str]:
    """Return every reviewer who has reviewed a claim, sorted."""
    return sorted(facet(ClaimFilter(), "reviewer"))


def filter_values(field: str) -> list[str]:
    """Return the values a name filter offers (publishers, reviewers, ...), sorted."""
    return _filter_values(db_url(), field)


@st.cache_data(ttl=TTL, show_spinner=False)
def _filter_values(url: str, field: str) -> list[str]:
    return store_for(url).filter_values(field)


def fuzzy_terms(text: str) -> list[str]:
    """Return stored values spelled like ``text`` (for fuzzy search)."""
    return _fuzzy_terms(db_url(), text.strip())


@st.cache_data(ttl=TTL, show_spinner=False)
def _fuzzy_terms(url: str, text: str) -> list[str]:
    return store_for(url).fuzzy_terms(text)


def claim(claim_id: int) -> ClaimRecord | None:
    """Return one claim with its current review, or None."""
    return _claim(db_url(), int(claim_id))


@st.cache_data(ttl=TTL, show_spinner=False)
def _claim(url: str, claim_id: int) -> ClaimRecord | None:
    return store_for(url).get_claim(claim_id)


def fresh_claim(claim_id: int) -> ClaimRecord | None:
    """Return one claim read from the database now, bypassing the cache.

    The claim a reviewer opens is the version their save is checked against,
    so it must be what the database holds, even if another process wrote it.
    """
    return store().get_claim(int(claim_id))


def history(claim_id: int) -> pd.DataFrame:
    """Return a claim's review history as a table, newest first."""
    return _history(db_url(), int(claim_id))


@st.cache_data(ttl=TTL, show_spinner=False)
def _history(url: str, claim_id: int) -> pd.DataFrame:
    entries: list[HistoryEntry] = store_for(url).history(claim_id)
    return tables.history_frame(entries)


def next_unreviewed(flt: ClaimFilter, *, skip: list[int] = ()) -> int | None:
    """Return the id of the first unreviewed claim matching ``flt`` (document order) not in ``skip``, or None.

    Reviewing a claim takes it out of the queue, so the queue's head is the
    next one; ``skip`` holds the claims the reviewer passed over without a verdict.
    """
    queue = filter_from_key(filter_key(flt))
    queue.verdicts = [Verdict.UNREVIEWED.value]
    return _next_unreviewed(db_url(), filter_key(queue), tuple(sorted(set(skip))))


@st.cache_data(ttl=TTL, show_spinner=False)
def _next_unreviewed(url: str, fkey: str, skip: tuple[int, ...]) -> int | None:
    head = store_for(url).query_claims(filter_from_key(fkey), limit=len(skip) + 1, order="document")
    return next((r.id for r in head if r.id not in skip), None)


# ---------------------------------------------------------------- documents
def document(doc_id: int) -> Document | None:
    """Return one stored document (with its text), or None."""
    return _document(db_url(), int(doc_id))


@st.cache_data(ttl=TTL, show_spinner=False)
def _document(url: str, doc_id: int) -> Document | None:
    return store_for(url).get_document(doc_id)


def documents_page(*, publishers: list[str] = (), limit: int = 50, offset: int = 0) -> pd.DataFrame:
    """Return one page of documents (newest first) as a table."""
    return _documents_page(db_url(), tuple(sorted(publishers)), limit, offset)


@st.cache_data(ttl=TTL, show_spinner=False)
def _documents_page(url: str, publishers: tuple[str, ...], limit: int, offset: int) -> pd.DataFrame:
    docs = store_for(url).list_documents(publishers=list(publishers) or None, limit=limit, offset=offset)
    return tables.documents_frame(docs)


def document_count(*, publishers: list[str] = ()) -> int:
    """Return how many documents are stored (for the given publishers)."""
    return _document_count(db_url(), tuple(sorted(publishers)))


@st.cache_data(ttl=TTL, show_spinner=False)
def _document_count(url: str, publishers: tuple[str, ...]) -> int:
    s = store_for(url)
    if not publishers:
        return s.count_documents()
    return sum(p.document_count for p in s.list_publishers() if p.name in publishers)


def document_claims(doc_id: int) -> list[ClaimRecord]:
    """Return a document's claims in text order."""
    return _document_claims(db_url(), int(doc_id))


@st.cache_data(ttl=TTL, show_spinner=False)
def _document_claims(url: str, doc_id: int) -> list[ClaimRecord]:
    return store_for(url).claims_for_document(doc_id)


def document_claims_table(doc_id: int) -> pd.DataFrame:
    """Return a document's claims as a table."""
    return tables.claims_frame(document_claims(doc_id))


# ---------------------------------------------------------------- publishers (Sources page)
def publishers() -> list[PublisherInfo]:
    """Return every publisher with grade, note and claim/verdict counts."""
    return _publishers(db_url())


@st.cache_data(ttl=TTL, show_spinner=False)
def _publishers(url: str) -> list[PublisherInfo]:
    return store_for(url).list_publishers()


def publisher_grades() -> dict[str, str | None]:
    """Return every publisher's reliability grade by name (None: not graded)."""
    return {p.name: p.grade for p in publishers()}


def publishers_table() -> pd.DataFrame:
    """Return the Sources table: one row per publisher."""
    return tables.publishers_frame(publishers())


def sources_table() -> pd.DataFrame:
    """Return the speakers and bodies table of the Sources page: one row per source of figures."""
    return tables.sources_frame(_sources(db_url()))


@st.cache_data(ttl=TTL, show_spinner=False)
def _sources(url: str) -> list[tuple[str, int, int, dict[str, int]]]:
    return store_for(url).list_sources()


def stats() -> dict[str, Any]:
    """Return store-wide counts (documents, claims, reviews, ...)."""
    return _stats(db_url())


@st.cache_data(ttl=TTL, show_spinner=False)
def _stats(url: str) -> dict[str, Any]:
    return store_for(url).stats()


# ---------------------------------------------------------------- writes (at once, then clear the cache)
def save_review(claim_id: int, *, verdict: str, reviewer: str, note: str | None, evidence_url: str | None,
                corrected: dict[str, Any], expect_version: int | None) -> ClaimRecord:
    """Write a review now; raise ConflictError if the claim changed since ``expect_version``."""
    try:
        return store().review(int(claim_id), verdict=verdict, reviewer=reviewer, note=note,
                              evidence_url=evidence_url, corrected=corrected or None,
                              expect_version=expect_version)
    finally:
        clear_cache()


def add_claim(doc_id: int, claim, *, reviewer: str | None) -> ClaimRecord:
    """Store a claim the reviewer found that the extractor missed (Store.add_claim); return it."""
    _require_reviewer(reviewer, "a claim")
    try:
        return store().add_claim(int(doc_id), claim, reviewer=reviewer)
    finally:
        clear_cache()


def save_publisher(name: str, *, reviewer: str | None, grade: str | None = None, note: str | None = None) -> None:
    """Write a publisher's reliability grade and note now, recording the reviewer ("" clears a field, None leaves it).

    Raises BadInputError when nobody is signed in: every dashboard write names its reviewer.
    """
    _require_reviewer(reviewer, "a grade or note")
    try:
        store().set_publisher(name, grade=grade, note=note, reviewer=reviewer)
    finally:
        clear_cache()


def _require_reviewer(reviewer: str | None, what: str) -> None:
    if not (reviewer or "").strip():
        raise BadInputError(f"Enter your name under Reviewer name in the sidebar (or log in) to save {what}: "
                            "every change records who made it.")


def publisher_history(name: str) -> pd.DataFrame:
    """Return publisher ``name``'s grade/note/domain changes, newest first, as a display table."""
    return _publisher_history(db_url(), name)


@st.cache_data(show_spinner=False, max_entries=64)
def _publisher_history(url: str, name: str) -> pd.DataFrame:
    return tables.publisher_history_frame(store_for(url).publisher_history(name))


# ---------------------------------------------------------------- a stored document: appearances, edits, deletion
def document_appearances(doc_id: int) -> pd.DataFrame:
    """Return where a document's text appeared (publisher, link, date, title), first appearance first."""
    return _document_appearances(db_url(), int(doc_id))


@st.cache_data(ttl=TTL, show_spinner=False)
def _document_appearances(url: str, doc_id: int) -> pd.DataFrame:
    from claims.documents import appearances

    return tables.appearances_frame(appearances(store_for(url), doc_id))


def document_changes(doc_id: int) -> pd.DataFrame:
    """Return the edits of a document's title, publisher and date, newest first."""
    return _document_changes(db_url(), int(doc_id))


@st.cache_data(ttl=TTL, show_spinner=False)
def _document_changes(url: str, doc_id: int) -> pd.DataFrame:
    from claims.documents import document_history

    return tables.document_changes_frame(document_history(store_for(url), doc_id))


def edit_document(doc_id: int, *, reviewer: str | None, title: str, publisher: str, published) -> list:
    """Change a document's title, publisher and date now (history kept); return the changes."""
    from claims.documents import edit_document as edit

    _require_reviewer(reviewer, "a document's details")
    try:
        return edit(store(), int(doc_id), reviewer=reviewer, title=title, publisher=publisher,
                    published=published or "")
    finally:
        clear_cache()


def delete_document(doc_id: int, *, reviewer: str | None, actor=None):
    """Delete a document and its claims now, keeping everything in the audit table; return the report."""
    from claims.documents import delete_document as delete

    _require_reviewer(reviewer, "a deletion")
    try:
        return delete(store(), int(doc_id), reviewer=reviewer, actor=actor)
    finally:
        clear_cache()


# ---------------------------------------------------------------- adding articles (Documents page)
UPLOAD_TYPES = ["txt", "md", "html", "htm", "json", "jsonl"]
PASTE_FORMATS = {"Plain text": ".txt", "HTML": ".html", "JSON": ".json"}
PREVIEW_DOCS = 5  # a JSONL upload may hold thousands of articles; the preview shows the first few


def parse_article(name: str, payload: bytes, *, title: str = "", url: str = "", publisher: str = "",
                  published: dt.date | None = None) -> list[DocumentIn]:
    """Parse an uploaded or pasted article in memory into documents; the form's metadata wins over the file's.

    Nothing touches the file system: the uploaded name is only used for its
    extension and as a label. Raises BadInputError with a message for the reviewer.
    """
    from claims.ingest import read_upload, title_from_text

    docs = read_upload(name, payload)
    for d in docs:
        # a pasted article is titled by its first line (a headline), not by the made-up name "pasted.txt"
        d.title = title.strip() or d.title or (title_from_text(d.text) if name.startswith("pasted") else None)
        d.url = url.strip() or d.url
        d.publisher = publisher.strip() or d.publisher
        d.published = published or d.published
    return docs


def web_link(url: str | None) -> str | None:
    """Return ``url`` if it is safe to show as a link (absolute http(s)), else None."""
    from claims.pages import web_link as safe

    return safe(url)


def fetch_article(url: str, *, title: str = "", publisher: str = "",
                  published: dt.date | None = None) -> list[DocumentIn]:
    """Fetch a web page and return its article (one document); the form's metadata wins over the page's.

    Raises BadInputError whose message starts with the URL (HTTP errors, timeouts, not HTML, no article text).
    """
    from claims.ingest_web import fetch_article as fetch

    doc = fetch(url.strip())
    doc.title = title.strip() or doc.title
    doc.publisher = publisher.strip() or doc.publisher
    doc.published = published or doc.published
    return [doc]


def preview_claims(text: str, published: dt.date | None) -> list[Claim]:
    """Return the claims the extractor finds in ``text`` (nothing is stored)."""
    return _preview_claims(text, published)


@st.cache_data(ttl=TTL, show_spinner="Extracting claims…", max_entries=20)
def _preview_claims(text: str, published: dt.date | None) -> list[Claim]:
    from claims.extract import extract

    return extract(text, published=published)


def preview_table(claims_found: list[Claim]) -> pd.DataFrame:
    """Return extracted (not yet stored) claims as the Review table shows them."""
    recs = [ClaimRecord(id=i + 1, document_id=0, fingerprint="", extractor_version="", claim=c)
            for i, c in enumerate(claims_found)]
    return tables.claims_frame(recs).drop(columns=["ID", "Verdict", "Publisher", "Published", "Reviewer"])


def save_documents(docs: list[DocumentIn], *, reviewer: str | None):
    """Extract and store parsed documents now as added by ``reviewer``; return claims.ingest's report.

    Failures are listed in the report; BadInputError only when nobody is signed in.
    """
    from claims.ingest import ingest_documents

    _require_reviewer(reviewer, "an article")
    try:
        return ingest_documents(store(), docs, added_by=reviewer)
    finally:
        clear_cache()


# ================================================================ Compare and Charts pages (compare helper's section)
# Readers and writes for app_pages/compare.py and app_pages/charts.py. Groups come
# from claims.compare.persist; chart data is shaped by dashboard.charts (pure).
def compare_groups(flt: ClaimFilter, *, sort: str = "spread", discrepancies_only: bool = False,
                   min_size: int = 2, limit: int = 1000) -> list:
    """Return summaries of stored groups matching ``flt`` (claims.compare.persist.GroupSummary), sorted."""
    return _compare_groups(db_url(), filter_key(flt), sort, discrepancies_only, min_size, limit)


@st.cache_data(ttl=TTL, show_spinner="Loading groups…")
def _compare_groups(url: str, fkey: str, sort: str, discrepancies_only: bool, min_size: int, limit: int) -> list:
    from claims.compare import persist

    return persist.list_summaries(store_for(url), flt=filter_from_key(fkey), sort=sort,
                                  discrepancies_only=discrepancies_only, min_size=min_size, limit=limit)


def compare_group(group_id: int):
    """Return one stored group with its members and reconciled figure, or None."""
    return _compare_group(db_url(), int(group_id))


@st.cache_data(ttl=TTL, show_spinner=False)
def _compare_group(url: str, group_id: int):
    from claims.compare import persist

    return persist.get_group(store_for(url), group_id)


def compare_decisions(group_id: int) -> list[dict[str, Any]]:
    """Return reviewers' decisions touching a group's members, oldest first."""
    return _compare_decisions(db_url(), int(group_id))


@st.cache_data(ttl=TTL, show_spinner=False)
def _compare_decisions(url: str, group_id: int) -> list[dict[str, Any]]:
    from claims.compare import persist

    return persist.decisions(store_for(url), group_id=group_id)


def compare_stored_groups() -> int:
    """Return how many groups are stored (0 until compare has run)."""
    return _compare_stored_groups(db_url())


@st.cache_data(ttl=TTL, show_spinner=False)
def _compare_stored_groups(url: str) -> int:
    import sqlalchemy as sa

    from claims.compare.persist import compare_groups as table

    with store_for(url).read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)


def compare_run():
    """Recompute and store every group now (reviewers' decisions replayed); return the run report."""
    from claims.compare import persist

    try:
        return persist.run_compare(store())
    finally:
        clear_cache()


def compare_merge(group_ids: list[int], *, reviewer: str, force: bool = False):
    """Merge groups now (into the lowest id) and log the decision; ``force`` across kinds or outcomes."""
    from claims.compare import persist

    try:
        return persist.merge(store(), group_ids, reviewer=reviewer, force=force)
    finally:
        clear_cache()


def compare_merge_check(group_ids: list[int]) -> str | None:
    """Return why these groups should not merge (different kinds or outcomes), or None."""
    from claims.compare import persist

    return persist.merge_check(store(), group_ids)


def compare_undo(*, reviewer: str, decision_id: int | None = None) -> dict[str, Any]:
    """Take back a decision (the latest by default), recompute the groups, and return the undone decision."""
    from claims.compare import persist

    try:
        return persist.undo(store(), decision_id, reviewer=reviewer)
    finally:
        clear_cache()


def compare_split(claim_id: int, *, reviewer: str):
    """Split a claim out of its group now and log the decision."""
    from claims.compare import persist

    try:
        return persist.split(store(), claim_id, reviewer=reviewer)
    finally:
        clear_cache()


def compare_move(claim_id: int, *, to: int, reviewer: str):
    """Move a claim into group ``to`` now and log the decision."""
    from claims.compare import persist

    try:
        return persist.move(store(), claim_id, to=to, reviewer=reviewer)
    finally:
        clear_cache()


def compare_set_rule(group_id: int, *, rule: str, reviewer: str, low: Any = None, best: Any = None,
                     high: Any = None, rationale: str | None = None):
    """Store the rule a group reconciles by (reviewer rule: figure and rationale) and log it."""
    from claims.compare import persist

    try:
        return persist.set_rule(store(), group_id, rule=rule, reviewer=reviewer, low=low, best=best, high=high,
                                rationale=rationale)
    finally:
        clear_cache()


def chart_kind_verdict(flt: ClaimFilter) -> pd.DataFrame:
    """Return claims by kind and verdict (columns kind, verdict, claims) under ``flt``."""
    return _chart_kind_verdict(db_url(), filter_key(flt))


@st.cache_data(ttl=TTL, show_spinner=False)
def _chart_kind_verdict(url: str, fkey: str) -> pd.DataFrame:
    from claims.model import Kind
    from dashboard import charts

    flt = filter_from_key(fkey)
    s = store_for(url)
    rows = []
    for k in [k.value for k in Kind]:
        if flt.kinds and k not in flt.kinds:
            continue
        sub = filter_from_key(fkey)
        sub.kinds = [k]
        for verdict, n in s.facet_counts(sub, "verdict").items():
            if n:
                rows.append((k, verdict, int(n)))
    return charts.kind_verdict_counts(rows)


def chart_progress(flt: ClaimFilter) -> pd.DataFrame:
    """Return review progress (columns day, verdict, claims: claims first given that verdict that day)."""
    return _chart_progress(db_url(), filter_key(flt))


@st.cache_data(ttl=TTL, show_spinner=False)
def _chart_progress(url: str, fkey: str) -> pd.DataFrame:
    import sqlalchemy as sa

    from claims.store import review_history
    from dashboard import charts

    flt = filter_from_key(fkey)
    s = store_for(url)
    wanted = None if flt.is_empty() else {r.id for r in s.iter_claims(flt, batch=5000)}
    q = (sa.select(review_history.c.claim_id, review_history.c.at, review_history.c.new)
         .where(review_history.c.field == "verdict").order_by(review_history.c.at, review_history.c.id))
    first: dict[int, tuple] = {}
    with s.read() as conn:
        for cid, at, new in conn.execute(q):
            if (wanted is None or cid in wanted) and cid not in first and new and new != Verdict.UNREVIEWED.value:
                first[cid] = (at, str(new))
    return charts.progress_counts(list(first.values()))


def chart_publisher_figures(flt: ClaimFilter, *, limit: int = 5000) -> pd.DataFrame:
    """Return casualty and force-size figures by publisher (columns publisher, kind, figure, quote, claim)."""
    return _chart_publisher_figures(db_url(), filter_key(flt), limit)


@st.cache_data(ttl=TTL, show_spinner=False)
def _chart_publisher_figures(url: str, fkey: str, limit: int) -> pd.DataFrame:
    from claims.compare.reconcile import member_range, point

    flt = filter_from_key(fkey)
    wanted = ["casualties", "force_size"]
    flt.kinds = [k for k in wanted if not flt.kinds or k in flt.kinds]
    rows = []
    if flt.kinds:
        for r in store_for(url).query_claims(flt, limit=limit, order="newest"):
            lo, hi, _ = member_range(r)
            p = point(lo, hi)
            if p is not None and p > 0 and r.publisher:
                rows.append((r.publisher, r.claim.kind.value, p, r.claim.quote, r.id))
    return pd.DataFrame(rows, columns=["publisher", "kind", "figure", "quote", "claim"])


def chart_timeline(flt: ClaimFilter, *, limit: int = 20000) -> pd.DataFrame:
    """Return dated claims per event month (columns month, kind, claims)."""
    return _chart_timeline(db_url(), filter_key(flt), limit)


@st.cache_data(ttl=TTL, show_spinner=False)
def _chart_timeline(url: str, fkey: str, limit: int) -> pd.DataFrame:
    from dashboard import charts

    flt = filter_from_key(fkey)
    if flt.kinds and "date" not in flt.kinds:
        return charts.dated_counts([])
    flt.kinds = ["date"]
    recs = store_for(url).query_claims(flt, limit=limit)
    return charts.dated_counts([(r.effective("date"), r.claim.kind.value) for r in recs])


# ---------------------------------------------------------------- team review (claims.team)
def team_setting(name: str) -> str:
    """Return a team setting (reviews_required, blind_review, ...) as stored in the database."""
    return _team_setting(db_url(), name)


@st.cache_data(ttl=TTL, show_spinner=False)
def _team_setting(url: str, name: str) -> str:
    from claims.team import get_setting

    return get_setting(store_for(url), name)


def reviews_required() -> int:
    """Return how many agreeing reviewers make a verdict final."""
    return int(team_setting("reviews_required"))


def actor(name: str | None, oidc_roles: tuple[str, ...] | None):
    """Return the claims.team.Actor for ``name``: OIDC roles when given, else the reviewers table."""
    from claims.team import actor_for

    return actor_for(store(), name, oidc_roles=oidc_roles)


def review_status(claim_id: int, *, viewer: str | None) -> dict[str, Any]:
    """Return a claim's review state and the per-reviewer verdicts ``viewer`` may see (read now, not cached)."""
    from claims.team import review_status as status

    return status(store(), int(claim_id), viewer=viewer)


def team_history(claim_id: int, *, viewer: str | None, hide: bool) -> pd.DataFrame:
    """Return the claim's history as :func:`history`, without others' verdicts while review is blind for ``viewer``."""
    from claims.team import visible_history

    entries = visible_history(store().history(int(claim_id)), viewer=viewer, hide=hide)
    return tables.history_frame(entries)


def queue_counts(flt: ClaimFilter, *, reviewer: str | None) -> dict[str, int]:
    """Return how many claims each team queue holds under ``flt`` for ``reviewer`` ({queue value: count})."""
    from claims.team import Queue, queue_filter

    return {q.value: claim_count(queue_filter(flt, q, reviewer=reviewer)) for q in Queue}


def agreement_frames(flt: ClaimFilter) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return reviewer agreement as two tables: per reviewer pair, and per claim kind (n, agreement, kappa)."""
    return _agreement_frames(db_url(), filter_key(flt))


@st.cache_data(ttl=TTL, show_spinner=False)
def _agreement_frames(url: str, fkey: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    from claims.team import agreement

    out = agreement(store_for(url), filter_from_key(fkey))
    return tables.agreement_pairs_frame(out["pairs"]), tables.agreement_kinds_frame(out["kinds"])


def team_names() -> list[str]:
    """Return the names work can be assigned to: the reviewers table and everyone who has reviewed, sorted."""
    return _team_names(db_url())


@st.cache_data(ttl=TTL, show_spinner=False)
def _team_names(url: str) -> list[str]:
    from claims.team import list_reviewers

    s = store_for(url)
    return sorted({r["name"] for r in list_reviewers(s)} | set(s.facet_counts(ClaimFilter(), "reviewer")))


def adjudicate(claim_id: int, *, verdict: str, note: str, actor, expect_version: int | None) -> ClaimRecord:
    """Store an editor's decision on a disagreed claim now; raise the store's errors for the page to show."""
    from claims.team import adjudicate as decide

    try:
        return decide(store(), claim_id, verdict=verdict, note=note, actor=actor, expect_version=expect_version)
    finally:
        clear_cache()


def assign_claims(flt: ClaimFilter, *, reviewer: str, by: str | None) -> int:
    """Assign the claims matching ``flt`` to ``reviewer`` now; return how many were newly assigned."""
    from claims.team import assign

    try:
        return assign(store(), reviewer=reviewer, flt=flt, by=by)
    finally:
        clear_cache()
