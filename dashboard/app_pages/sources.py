"""Sources: how each publisher's claims fared in review, and the team's reliability grade for it."""
from __future__ import annotations

import streamlit as st

from claims.errors import BadInputError
from claims.team import Permission
from dashboard import data, identity, look, tables, teamview

ss = st.session_state
ss.setdefault("sources_gen", 0)   # bumping it redraws the editor from the database after a save

st.title("Sources", anchor=False)
st.caption("Grades follow the Admiralty scale: " + "; ".join(f"**{g}** {look.md_escape(v)}"
                                                            for g, v in data.GRADES.items())
           + ". Grades and notes are the team's judgement of the outlet, kept apart from claim verdicts.")

frame = data.publishers_table()
if frame.empty:
    st.info("No publishers yet: documents with a publisher appear here. Add one on **Documents** "
            "(set its publisher), or run `python -m claims ingest seeds`.", icon=":material/inbox:")
    st.page_link("app_pages/documents.py", label="Go to Documents", icon=":material/article:")
    st.stop()

editor_key = f"sources_editor_{ss.sources_gen}"
# grades are an editor's call (claims.team roles); notes any named reviewer may write
can_grade = teamview.can(Permission.GRADE_SOURCES)
ss.sources_names = frame["Publisher"].tolist()


def save_edits() -> None:
    """Write each edited grade or note to the database at once, recording the signed-in reviewer."""
    edits = ss[editor_key].get("edited_rows", {})
    saved, errors = 0, []
    reviewer = identity.reviewer()
    for row, change in edits.items():
        name = ss.sources_names[int(row)]
        if "Grade" in change and not can_grade:
            errors.append(f"{name}: only editors change source grades; the grade was not saved.")
            change = {k: v for k, v in change.items() if k != "Grade"}
            if not change:
                continue
        try:
            # None from the editor means the cell was emptied: "" clears it in the store.
            data.save_publisher(name, reviewer=reviewer,
                                grade=(change["Grade"] or "") if "Grade" in change else None,
                                note=(change["Note"] or "") if "Note" in change else None)
            saved += 1
        except BadInputError as e:
            errors.append(str(e) if not reviewer else f"{name}: {e}")
            if not reviewer:
                break  # one message is enough: nothing can be saved until a reviewer is named
    # redraw from the database either way, so an unsaved edit does not look saved
    ss.sources_gen += 1
    ss.sources_flash = (saved, errors)


flash = ss.pop("sources_flash", None)
if flash:
    saved, errors = flash
    if saved:
        st.toast(f"Saved {saved} publisher change(s).", icon=":material/check_circle:")
    for e in errors:
        st.error(look.md_escape(e))

labels, colours = tables.verdict_series()
st.data_editor(
    frame, key=editor_key, on_change=save_edits, hide_index=True, width="stretch",
    # without a reviewer nothing is editable: every grade or note change records who made it
    disabled=True if not identity.reviewer() else [c for c in frame.columns
                                                    if c not in (("Grade", "Note") if can_grade else ("Note",))],
    column_config={
        "Publisher": st.column_config.TextColumn("Publisher", width="medium", pinned=True),
        "Domain": st.column_config.TextColumn("Domain", width="small"),
        "Documents": st.column_config.NumberColumn("Docs", width=60),
        "Claims": st.column_config.NumberColumn("Claims", width=70),
        "Reviewed": st.column_config.ProgressColumn("Reviewed", format="%d%%", min_value=0, max_value=100,
                                                    width="small", help="Share of its claims with a verdict"),
        **{label: st.column_config.NumberColumn(label, width=85) for label in labels},
        "Grade": st.column_config.SelectboxColumn("Grade", options=list(data.GRADES), width=70,
                                                  help="Reliability grade A–F (editable; saved at once)."),
        "Note": st.column_config.TextColumn("Note", width="medium", help="Editable; saved at once."),
    })
if identity.reviewer() and not can_grade:
    st.caption(":material/edit: Edit **Note** in the table; grades are changed by editors. Each change is saved "
               "at once, with your name in the publisher's history.")
elif identity.reviewer():
    st.caption(":material/edit: Edit **Grade** or **Note** in the table; each change is saved at once, "
               "with your name in the publisher's history.")
else:
    st.caption(":material/lock: Enter your name under **Reviewer name** in the sidebar (or log in) to edit "
               "**Grade** or **Note**: every change records who made it.")

st.subheader("Change history", anchor=False)
picked = st.selectbox("Publisher", frame["Publisher"].tolist(), index=None, key="sources_history_pub",
                      placeholder="Choose a publisher to see who changed its grade or note")
if picked:
    changes = data.publisher_history(picked)
    if changes.empty:
        st.caption(f"No recorded changes to {look.md_escape(picked)}'s grade or note yet.")
    else:
        st.dataframe(changes, hide_index=True, width="stretch",
                     column_config={"When": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm"),
                                    "Change": st.column_config.TextColumn("Change", width="large")})

st.subheader("Verdicts by publisher", anchor=False)
if not tables.any_reviewed(frame):
    st.caption("No claims reviewed yet: verdicts appear here as reviewers work through the Review queue.")
else:
    st.bar_chart(frame, x="Publisher", y=labels, color=colours, horizontal=True, stack=True,
                 height=max(220, 34 * len(frame) + 80), x_label="", y_label="Claims")

st.subheader("Who said it: speakers and bodies", anchor=False)
st.caption("The person or body each figure is attributed to in the text (a ministry, a police chief, a UN "
           "report), not the outlet that published it; a reviewer's corrected attribution wins. Filter the "
           "Review queue by one with **Source** in the sidebar.")
speakers = data.sources_table()
if speakers.empty:
    st.caption("No figure names its source yet: attributions appear here as documents are ingested.")
else:
    st.dataframe(speakers, hide_index=True, width="stretch", column_config={
        "Source": st.column_config.TextColumn("Source", width="medium", pinned=True),
        "Claims": st.column_config.NumberColumn("Claims", width=70),
        "Documents": st.column_config.NumberColumn("Docs", width=60),
        "Reviewed": st.column_config.ProgressColumn("Reviewed", format="%d%%", min_value=0, max_value=100,
                                                    width="small", help="Share of its claims with a verdict"),
        **{label: st.column_config.NumberColumn(label, width=85) for label in labels}})
