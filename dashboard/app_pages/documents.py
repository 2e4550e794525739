"""Documents: browse stored articles with every claim highlighted, and add new ones."""
from __future__ import annotations

import streamlit as st

from claims.errors import BadInputError, ForbiddenError, NotFoundError
from claims.model import ClaimFilter
from dashboard import data, highlight, identity, look, tables, teamview

ss = st.session_state
ss.setdefault("doc_page_no", 1)
ss.setdefault("doc_current", None)
if st.query_params.get("doc", "").isdigit():  # ?doc=ID opens a document (links from Review, bookmarks)
    ss.doc_current = int(st.query_params["doc"])
ss.setdefault("upload_preview", None)   # parsed documents waiting for "Save"
ss.setdefault("upload_gen", 0)          # bumping it empties the add-an-article form after a save

st.title("Documents", anchor=False)
browse_tab, add_tab = st.tabs([":material/library_books: Browse", ":material/upload_file: Add an article"])

# ---------------------------------------------------------------- browse
with browse_tab:
    total_docs = data.document_count()
    if total_docs == 0:
        st.info("No documents yet: add one in **Add an article** (upload or paste), or run "
                "`python -m claims ingest seeds` to load the examples.", icon=":material/inbox:")
    else:
        pubs = st.multiselect("Publisher", data.publisher_names(), key="doc_publishers",
                              placeholder="All publishers", on_change=lambda: ss.update(doc_page_no=1))
        count = data.document_count(publishers=pubs)
        page_size = 25
        pages = max(1, -(-count // page_size))
        ss.doc_page_no = min(max(1, ss.doc_page_no), pages)
        frame = data.documents_page(publishers=pubs, limit=page_size, offset=(ss.doc_page_no - 1) * page_size)
        ss.doc_ids = frame["ID"].tolist()

        def pick_document() -> None:
            rows = ss.documents_table.selection.rows
            if rows and rows[0] < len(ss.doc_ids):
                ss.doc_current = int(ss.doc_ids[rows[0]])
                st.query_params["doc"] = str(ss.doc_current)

        st.dataframe(frame, key="documents_table", on_select=pick_document, selection_mode="single-row",
                     hide_index=True, height=min(38 + 35 * len(frame), 420), width="stretch",
                     column_config={
                         "ID": st.column_config.NumberColumn("ID", width=60, format="%d"),
                         "Title": st.column_config.TextColumn("Title", width="medium"),
                         "Published": st.column_config.DateColumn("Published", format="YYYY-MM-DD"),
                         # only http(s) addresses reach this column (claims.pages.web_link); shown as the site
                         "Original": st.column_config.LinkColumn("Original", width="small",
                                                                 display_text=r"https?://(?:www\.)?([^/:?#]+)"),
                         "Claims": st.column_config.NumberColumn("Claims", width=80),
                         "Added": st.column_config.DatetimeColumn("Added", format="YYYY-MM-DD HH:mm"),
                     })
        nav_l, nav_r = st.columns([1, 3], vertical_alignment="bottom")
        nav_l.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, key="doc_page_no")
        nav_r.caption(f"{look.plural(count, 'document')}. Click a row to read it with its claims highlighted.")

        flash = ss.pop("doc_flash", None)
        if flash:
            st.success(flash, icon=":material/check_circle:")
        doc = data.document(ss.doc_current) if ss.doc_current else None
        if doc is None:
            st.info("Pick a document in the table to read it.", icon=":material/touch_app:")
        else:
            st.divider()
            st.subheader(look.md_escape(tables.document_title(doc)), anchor=False)
            meta = [look.md_escape(doc.publisher) or "Unknown publisher",
                    f"published {doc.published}" if doc.published else "publication date unknown",
                    look.plural(doc.claim_count, "claim")]
            if doc.author:
                meta.insert(1, f"by {look.md_escape(doc.author)}")
            if doc.added_by:
                meta.append(f"added by {look.md_escape(doc.added_by)}")
            st.caption(" · ".join(meta))
            if doc.next_id:
                st.page_link("app_pages/documents.py", label=f"The article changed: a newer version is document "
                             f"{doc.next_id}", icon=":material/update:", query_params={"doc": str(doc.next_id)})
            if doc.previous_id:
                st.page_link("app_pages/documents.py", label=f"Updated version of document {doc.previous_id} "
                             "(reviews of unchanged claims carried over)", icon=":material/history:",
                             query_params={"doc": str(doc.previous_id)})
            if doc.fictional:
                st.warning("**Fictional example**: an invented article (seeds/fictional) about an invented event. "
                           "Exports leave it out unless you ask for fictional documents.", icon=":material/science:")
            if doc.appearances:
                with st.expander(f"Also appeared {look.plural(doc.appearances, 'more time')} (same text)",
                                 icon=":material/content_copy:"):
                    st.dataframe(data.document_appearances(doc.id), hide_index=True, width="stretch",
                                 column_config={"Link": st.column_config.LinkColumn("Link"),
                                                "Published": st.column_config.DateColumn("Published",
                                                                                         format="YYYY-MM-DD")})
                    st.caption("Compare counts each appearance as a report, and all of them as one source.")
            with st.expander("Edit title, publisher and date", icon=":material/edit:"):
                with st.form(f"edit_doc_{doc.id}", border=False):
                    new_title = st.text_input("Title", value=doc.title or "", key=f"edit_title_{doc.id}")
                    new_pub = st.text_input("Publisher", value=doc.publisher or "", key=f"edit_pub_{doc.id}")
                    new_date = st.date_input("Published", value=doc.published, format="YYYY-MM-DD",
                                             key=f"edit_date_{doc.id}")
                    if st.form_submit_button("Save details", icon=":material/save:", disabled=not identity.reviewer()):
                        try:
                            changed = data.edit_document(doc.id, reviewer=identity.reviewer(), title=new_title,
                                                         publisher=new_pub, published=new_date)
                        except (BadInputError, NotFoundError) as e:
                            st.error(look.md_escape(str(e)), icon=":material/error:")
                        else:
                            ss.doc_flash = (f"Saved {look.plural(len(changed), 'change')} to this document's details."
                                            if changed else "Nothing changed.")
                            st.rerun()
                if not identity.reviewer():
                    st.caption(":material/badge: Enter your name in the sidebar to edit a document.")
                changes = data.document_changes(doc.id)
                if not changes.empty:
                    st.dataframe(changes, hide_index=True, width="stretch")
            with st.expander("Delete this document", icon=":material/delete:"):
                st.caption(f"Removes the document and its {look.plural(doc.claim_count, 'claim')} from every page "
                           "and export. Their reviews and history are kept in the audit table (deleted_documents).")
                sure = st.checkbox("Yes, delete this document and its claims", key=f"del_sure_{doc.id}")
                if st.button("Delete document", icon=":material/delete_forever:", disabled=not (sure and
                             identity.reviewer()), key=f"del_doc_{doc.id}"):
                    try:
                        rep = data.delete_document(doc.id, reviewer=identity.reviewer(), actor=identity.actor())
                    except (BadInputError, NotFoundError, ForbiddenError) as e:
                        st.error(look.md_escape(str(e)), icon=":material/error:")
                    else:
                        ss.doc_current = None
                        st.query_params.pop("doc", None)
                        ss.doc_flash = (f"Deleted document {rep.document_id}: {look.plural(rep.claims, 'claim')} "
                                        f"({rep.reviewed} reviewed) kept in the audit table.")
                        st.rerun()
            link_col, assign_col = st.columns([1, 1])
            original = data.web_link(doc.url)
            if original:  # never a javascript: or data: address from a hostile page or sidecar
                link_col.link_button("Open the original", original, icon=":material/open_in_new:")
            if doc.claim_count:
                with assign_col:
                    teamview.assign_form(ClaimFilter(document_ids=[doc.id]), what="this document's claims",
                                         by=identity.reviewer(), key=f"assign_doc_{doc.id}")
            recs = data.document_claims(doc.id)
            text_col, list_col = st.columns([3, 2], gap="medium")
            with text_col:
                st.html(highlight.legend_html())
                st.html(highlight.document_html(doc.text, [(r.claim, r.verdict.value) for r in recs]))
            with list_col:
                if not recs:
                    st.caption("The extractor found no claims in this document.")
                else:
                    claims_frame = data.document_claims_table(doc.id)
                    ss.doc_claim_ids = claims_frame["ID"].tolist()
                    picked = st.dataframe(
                        tables.verdict_style(claims_frame), key=f"doc_claims_{doc.id}", on_select="rerun",
                        selection_mode="single-row", hide_index=True, width="stretch",
                        column_order=["Verdict", "Kind", "Figure", "Quote", "Attributed to"],
                        column_config={"Verdict": st.column_config.TextColumn("Verdict", width=105),
                                       "Quote": st.column_config.TextColumn("Quote", width="medium")})
                    rows = picked.selection.rows
                    if rows:
                        cid = int(ss.doc_claim_ids[rows[0]])
                        if st.button("Review this claim", icon=":material/fact_check:", type="primary"):
                            st.switch_page("app_pages/review.py", query_params={"claim": str(cid)})
                    else:
                        st.caption("Select a claim to open it on Review.")

# ---------------------------------------------------------------- add an article
with add_tab:
    gen = ss.upload_gen
    how = st.segmented_control("Article", ["Upload a file", "Paste text", "From a URL"], default="Upload a file",
                               key=f"add_how_{gen}")
    web_url = ""
    if how == "From a URL":
        web_url = st.text_input("Web address", key=f"web_url_{gen}", placeholder="https://…",
                                help="The page is fetched and its article read (menus, comments and footers left "
                                     "out); title, author, date and publisher come from the page itself.")
        name, payload = "", web_url.encode("utf-8")
    elif how == "Paste text":
        fmt = st.selectbox("Format", list(data.PASTE_FORMATS), key=f"paste_fmt_{gen}")
        pasted = st.text_area("Article", height=220, key=f"paste_text_{gen}",
                              placeholder="Paste the article's text (or its HTML page, or a JSON object with "
                                          '"text" and optional "title", "publisher", "published", "url").')
        name, payload = "pasted" + data.PASTE_FORMATS[fmt], pasted.encode("utf-8")
    else:
        upload = st.file_uploader("Article file", type=data.UPLOAD_TYPES, key=f"upload_{gen}",
                                  help="Text or Markdown, an HTML page, a JSON object or JSON lines. "
                                       f"Files over {st.get_option('server.maxUploadSize')} MB are refused here; "
                                       "larger ones go through `python -m claims ingest FILE` "
                                       "(up to CLAIMS_MAX_FILE_MB).")
        name, payload = (upload.name, upload.getvalue()) if upload is not None else ("", b"")

    st.caption("Metadata (optional: what you enter here wins over what the "
               + ("page says)" if web_url else "file says)"))
    m1, m2 = st.columns(2)
    title = m1.text_input("Title", key=f"meta_title_{gen}")
    publisher = m2.selectbox("Publisher", data.publisher_names(), index=None, accept_new_options=True,
                             key=f"meta_publisher_{gen}", placeholder="Choose or type a new one")
    url = "" if how == "From a URL" else m1.text_input("URL", key=f"meta_url_{gen}", placeholder="https://…")
    published = m2.date_input("Published", value=None, key=f"meta_published_{gen}",
                              help="Relative dates in the text ('last Tuesday') are resolved against it.")

    if st.button("Preview claims", icon=":material/preview:", disabled=not payload.strip()):
        try:
            if how == "From a URL":
                with st.spinner("Fetching the page…"):
                    ss.upload_preview = data.fetch_article(web_url, title=title, publisher=publisher or "",
                                                           published=published)
            else:
                ss.upload_preview = data.parse_article(name, payload, title=title, url=url,
                                                       publisher=publisher or "", published=published)
        except BadInputError as e:
            ss.upload_preview = None
            st.error(f"Cannot read this article: {look.md_escape(str(e))}", icon=":material/error:")

    docs = ss.upload_preview
    if docs:
        if len(docs) > data.PREVIEW_DOCS:
            st.info(f"{len(docs):,} documents in this file: previewing the first {data.PREVIEW_DOCS}. "
                    "Save stores them all.", icon=":material/info:")
        for i, d in enumerate(docs[:data.PREVIEW_DOCS]):
            found = data.preview_claims(d.text, d.published)
            with st.container(border=True):
                st.markdown(f"**{look.md_escape(d.title or d.filename or f'Article {i + 1}')}**")
                st.caption(" · ".join([look.md_escape(d.publisher) or "no publisher",
                                       *([f"by {look.md_escape(d.author)}"] if d.author else []),
                                       str(d.published) if d.published else "no publication date",
                                       look.plural(len(found), "claim") + " found"]))
                if data.web_link(d.url):
                    st.caption(f"Original: {look.md_escape(d.url)}")
                st.html(highlight.document_html(d.text, [(c, "unreviewed") for c in found], max_height="22rem"))
                if found:
                    st.dataframe(data.preview_table(found), hide_index=True, width="stretch")
        save_col, cancel_col = st.columns([1, 4])
        reviewer = identity.reviewer()
        if not reviewer:
            st.warning("Enter your name under **Reviewer name** in the sidebar (or log in) to save: every "
                       "article records who added it.", icon=":material/lock:")
        if save_col.button("Save", type="primary", icon=":material/save:", disabled=not reviewer):
            try:
                report = data.save_documents(docs, reviewer=reviewer)
            except BadInputError as e:  # nobody signed in after all (e.g. logged out in another tab)
                st.error(look.md_escape(str(e)), icon=":material/error:")
            else:
                ss.upload_preview = None
                ss.upload_gen += 1
                ss.upload_report = report
                st.rerun()
        if cancel_col.button("Discard"):
            ss.upload_preview = None
            st.rerun()

    report = ss.pop("upload_report", None)
    if report is not None:
        stored = sum(d.claims for d in report.ingested)
        if report.ingested:
            st.success(f"Saved {look.plural(len(report.ingested), 'document')} with "
                       f"{look.plural(stored, 'claim')}. They are in the Review queue now.",
                       icon=":material/check_circle:")
            first = report.ingested[0].document_id
            st.page_link("app_pages/documents.py", label="Read it with its claims highlighted",
                         icon=":material/article:", query_params={"doc": str(first)})
        if report.appeared:
            st.success(f"{look.plural(len(report.appeared), 'document was', 'documents were')} already stored "
                       "(same text) and now also lists this publisher, link and date as another appearance: "
                       "Compare counts it as another report, a wire copy.", icon=":material/content_copy:")
            st.page_link("app_pages/documents.py", label="See where it appeared", icon=":material/article:",
                         query_params={"doc": str(report.appeared[0].document_id)})
        for d in report.updated:
            st.success(f"The article changed since document {d.previous_id}: saved as its new version, document "
                       f"{d.document_id}, with {look.plural(d.claims, 'claim')}; "
                       f"{look.plural(d.carried, 'review')} of unchanged claims carried over.",
                       icon=":material/update:")
            st.page_link("app_pages/documents.py", label="Read the new version", icon=":material/article:",
                         query_params={"doc": str(d.document_id)})
        if report.unchanged:
            st.info(f"{look.plural(len(report.unchanged), 'document was', 'documents were')} already stored "
                    "(same text, publisher, link and date): nothing changed.")
        for f in report.failed:
            st.error(f"Not saved: {look.md_escape(str(f))}", icon=":material/error:")
