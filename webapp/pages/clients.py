"""The "Clients" page: a client's sessions, progress chart, routine history, the comparison of
any two sessions, exports (CSV, JSON, PDF, HTML) and deleting the client; then how the
markerless estimate agrees with the skin markers over all clients' marker sessions. A records
file that cannot be read or written is one sentence in red (``webapp.faults``), the workspace
settings above it to choose another."""

from __future__ import annotations

import numpy as np
import streamlit as st

from posture.assess.compare import measurement_errors
from posture.image import load_image
from posture.records import Store, dates, history, silhouette
from posture.records import analysis as session_analysis
from posture.records.entries import Client, Session
from posture.records.filenames import safe_filename
from posture.records.report import TREND_MEASURES, Handover, progress_html, tilt_source, trend_rows
from posture.records.report_pdf import progress_pdf
from posture.render.wording import MEASURE_GUIDE, clients_intro, format_value
from webapp import common, faults, workspace
from webapp.agreement import show_agreement
from webapp.pages import compare
from webapp.progress import progress_charts


def render() -> None:
    st.title("Clients")
    store = workspace.store()
    st.caption(clients_intro(on_server=store.path is None))
    workspace.settings()
    faults.show_kept()
    forgotten = st.session_state.pop("forgotten", None)
    if forgotten:
        st.success(f"Deleted {forgotten} with every session, photo and outline.")
    with faults.shown():
        show_client(store)
        show_agreement(store)


def show_client(store: Store) -> None:
    """The chosen client's part of the page (or the invitation to choose one)."""
    client = workspace.pick_client("clients_client", in_url=True)
    if client is None:
        st.info("Choose a client, or pick “New client…” to add one.")
        return
    sessions = store.sessions(client.id)
    details(client, len(sessions))
    if sessions:
        errors = measurement_errors(common.error_figures())
        progress(sessions, errors)
        session_table(sessions)
        routine_history(sessions)
        compare_sessions(client, sessions)
        exports(client, sessions, errors)
    else:
        st.info("No sessions yet: analyse a photo on the Photo analysis page and press “Save to client”.")
    delete(client, len(sessions))


def details(client: Client, count: int) -> None:
    born = f", born {client.birth_year}" if client.birth_year else ""
    st.subheader(f"{client.name}{born}")
    st.caption(
        f"{count} session(s). "
        + (
            "Photos are stored (the client agreed)."
            if client.photo_consent
            else "No photos are stored: measures and outlines only."
        )
    )

    @faults.guarded
    def save() -> None:
        state = st.session_state
        workspace.store().update_client(
            client.id, notes=state[f"notes_{client.id}"], photo_consent=state[f"consent_{client.id}"]
        )

    with st.expander("Client details"):
        st.text_area("Notes", client.notes, key=f"notes_{client.id}")
        st.checkbox(
            "The client agrees that their photos are stored (unticking deletes the stored photos now)",
            client.photo_consent,
            key=f"consent_{client.id}",
        )
        st.button("Save details", on_click=save, key=f"save_details_{client.id}")


def progress(sessions: list[Session], errors) -> None:
    st.subheader("Progress")
    for chart in progress_charts(sessions, errors):
        st.altair_chart(chart, width="stretch")
    st.caption(
        "Grey band: within measurement error of the first session (a later point "
        "inside it is no real change). Hollow points: corrected by hand. Pelvic tilt: the "
        "line and circles are the markerless estimate; a diamond is the tilt from skin "
        "markers, reported for that session."
    )
    st.table(
        [
            {
                "Measure": r["label"],
                "First": r["first"],
                "Latest": r["last"],
                "Change": r["change"],
                "Error": r["error"],
                "Verdict": r["verdict"],
            }
            for r in trend_rows(sessions, errors)
        ]
    )


def session_table(sessions: list[Session]) -> None:
    st.subheader("Sessions")
    rows = []
    for s in reversed(sessions):
        row = {
            "Date": dates.local_text(s.taken),
            "Tilt class": f"{s.tilt_class} ({s.confidence:.0%})" if s.tilt_class else "—",
            "Tilt from": tilt_source(s) + ("" if s.tilt_markers is None else f" ({s.tilt_markers:+.1f}°)"),
        }
        for name in TREND_MEASURES:
            row[MEASURE_GUIDE[name].label] = format_value(name, s.measures.get(name)) + (
                " ✎" if name in s.corrected else ""
            )
        row.update({"Photo": "stored" if s.has_photo else "outline only", "Notes": s.notes})
        rows.append(row)
    st.dataframe(rows, hide_index=True, width="stretch")
    st.caption(
        "Newest first. ✎ corrected by hand. Tilt from: where the tilt class came from (the "
        "marker tilt in brackets); the pelvic tilt column is the markerless estimate."
    )
    with st.expander("Delete one session"):
        labels = {s.id: dates.local_text(s.taken) for s in reversed(sessions)}
        chosen = st.selectbox("Session", list(labels), format_func=labels.get, key="delete_session_id")

        @faults.guarded
        def delete_one() -> None:
            workspace.store().delete_session(chosen)
            st.session_state["deleted_session"] = labels[chosen]

        st.button("Delete this session", on_click=delete_one, key="delete_session_button")
    if st.session_state.get("deleted_session"):
        st.success(f"Deleted the session of {st.session_state.pop('deleted_session')}.")


def routine_history(sessions: list[Session]) -> None:
    st.subheader("Routine history")
    lines = [
        f"- **{dates.local_day(s.taken)}**: {s.routine_title}"
        + (f" — {', '.join(s.exercises)}" if s.exercises else "")
        for s in reversed(sessions)
        if s.routine_title
    ]
    st.markdown("\n".join(lines) if lines else "No routine was saved with these sessions.")


def compare_sessions(client: Client, sessions: list[Session]) -> None:
    """Any two sessions side by side and ghosted: both of this client, or the second of
    another client (the existing comparison view, the sessions' photos or outlines)."""
    st.subheader("Compare two sessions")
    store = workspace.store()
    names = [c.name for c in store.clients()]
    left, right = st.columns(2)
    labels = [dates.local_text(s.taken) for s in sessions]
    first = left.selectbox(
        "First", range(len(sessions)), 0, format_func=labels.__getitem__, key="compare_session_first"
    )
    other = right.selectbox(
        "Second from",
        names,
        names.index(client.name),
        key="compare_other_client",
        help="Another client's session, to compare two people.",
    )
    theirs = sessions if other == client.name else store.sessions(store.client(other).id)
    their_labels = [
        dates.local_text(s.taken) if other == client.name else f"{other} — {dates.local_text(s.taken)}"
        for s in theirs
    ]
    if not theirs or (other == client.name and len(sessions) < 2):
        st.caption("Save a second session to compare.")
        return
    second = right.selectbox(
        "Second",
        range(len(theirs)),
        len(theirs) - 1,
        format_func=their_labels.__getitem__,
        key=f"compare_session_second_{other}",
    )
    if theirs[second].id == sessions[first].id:
        st.info("Choose two different sessions.")
        return
    results = [as_result(sessions[first]), as_result(theirs[second])]
    if any(r.analysis.image is None or r.analysis.landmarks is None for r in results):
        st.info("One of these sessions has no stored photo, outline or pose to draw: choose another.")
        return
    compare.show_comparison(*results, (labels[first], their_labels[second]), blur=False, same_facing=True)


def as_result(session: Session) -> common.Result:
    """A saved session as the comparison view's ``Result``: the stored photo when there is one,
    else the outline drawn as the picture."""
    store = workspace.store()
    photo = store.image(session.id, "photo")
    image = load_image(photo).rgb if photo else None
    if image is not None and image.shape[1::-1] != tuple(session.image_size):
        image = None  # not the analysed frame: fall back to the outline
    analysis = session_analysis(session, image=image, silhouette_png=store.image(session.id, "silhouette"))
    return common.Result(f"session:{session.id}", dates.local_day(session.taken), analysis, 0.0)


def exports(client: Client, sessions: list[Session], errors) -> None:
    st.subheader("Export the history")
    last = sessions[-1]
    store = workspace.store()
    photo = store.image(last.id, "photo")
    if photo:
        picture, is_photo = load_image(photo).rgb, True
    else:
        outline = store.image(last.id, "silhouette")
        picture = None if outline is None else _gray_rgb(silhouette.read_png(outline))
        is_photo = False
    handover = Handover(
        client=client,
        trainer=workspace.trainer_name(),
        figures=common.error_figures(),
        errors=errors,
        picture=picture,
        picture_is_photo=is_photo,
    )
    cols = st.columns(4)
    cols[0].download_button(
        "History (CSV)",
        lambda: history.history_csv(sessions, readable=True),
        safe_filename(client.name.lower(), "-history.csv"),
        "text/csv",
        on_click="ignore",
        icon=":material/table:",
    )
    cols[1].download_button(
        "Progress report (PDF)",
        lambda: progress_pdf(sessions, handover),
        safe_filename(client.name.lower(), "-progress.pdf"),
        "application/pdf",
        on_click="ignore",
        icon=":material/description:",
    )
    cols[2].download_button(
        "Progress report (HTML)",
        lambda: progress_html(sessions, handover),
        safe_filename(client.name.lower(), "-progress.html"),
        "text/html",
        on_click="ignore",
        icon=":material/print:",
    )
    cols[3].download_button(
        "History (JSON)",
        lambda: history.history_json(sessions, client=client.name),
        safe_filename(client.name.lower(), "-history.json"),
        "application/json",
        on_click="ignore",
    )


def _gray_rgb(gray: np.ndarray) -> np.ndarray:
    return np.repeat(gray[:, :, None], 3, axis=2)


def delete(client: Client, count: int) -> None:
    st.subheader("Delete this client")
    sure = st.checkbox(
        f"Delete {client.name} and all {count} session(s), with every stored "
        "photo and outline. This cannot be undone.",
        key=f"sure_{client.id}",
    )

    @faults.guarded
    def forget() -> None:
        workspace.store().forget(client.id)
        st.session_state.pop("clients_client", None)
        st.session_state.pop("clients_client_chosen", None)
        st.query_params.pop(workspace.URL_CLIENT, None)
        st.session_state["forgotten"] = client.name

    st.button("Delete client", type="primary", disabled=not sure, on_click=forget, key=f"delete_{client.id}")


__all__ = ["render"]
