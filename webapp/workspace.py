"""The trainer's workspace on the pages: the records database, the client picker, saving a
result to a client, and moving landmarks by hand.

The database is ``posture.records.Store`` at ``settings.data_dir()/records.sqlite3`` unless
the page's "Database file" setting says otherwise (kept for this browser session). Nothing is
written until the trainer presses a button that saves (create a client, save a session,
change a setting); reading a database that does not exist creates nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import numpy as np
import streamlit as st
from PIL import Image, ImageDraw

from posture.image.encode import jpeg_bytes
from posture.image.exif import exif_date_texts
from posture.records import ClientExists, Store, StoreError, dates, default_db, draft
from posture.records.correction import JOINTS, Corrected, correct, joint_positions
from posture.records.entries import Client
from posture.render.handover import Recipient
from posture.render.overlay import annotate
from posture.render.report import MEASURE_GUIDE, format_value, measure_rows
from posture.types import Analysis
from webapp import common, faults

DB_PATH = "records_db_path"
URL_CLIENT = "client"
"""The page address's query parameter that names the Clients page's chosen client."""
NEW_CLIENT = "New client…"


def store() -> Store:
    return Store(st.session_state.get(DB_PATH) or default_db())


def trainer_name() -> str:
    """The trainer's name from the records' settings ("" when unset or unreadable)."""
    try:
        return store().setting("trainer_name")
    except StoreError:
        return ""  # the page that reads the records tells the fault


def settings() -> None:
    """The database file and the trainer's name (printed on reports)."""

    def use_path() -> None:
        st.session_state[DB_PATH] = st.session_state["records_db_widget"].strip() or str(default_db())

    @faults.guarded
    def save_trainer() -> None:
        store().set_setting("trainer_name", st.session_state["trainer_widget"].strip())

    with st.expander("Workspace settings"):
        st.text_input(
            "Database file",
            value=store().where,
            key="records_db_widget",
            on_change=use_path,
            help="One SQLite file holds every client and session, or a clinic's PostgreSQL "
            "database (a postgresql+psycopg:// URL). Default: $POSTURE_DATABASE_URL, else a file "
            "in $POSTURE_DATA_DIR, else in your per-user data folder.",
        )
        st.text_input(
            "Trainer name (printed on reports)",
            value=trainer_name(),
            key="trainer_widget",
            on_change=save_trainer,
        )


def pick_client(key: str, *, label: str = "Client", in_url: bool = False) -> Client | None:
    """A client chosen from the records, or made here with "New client…". The choice is
    remembered for this browser session (also when the widget is not drawn for a while); with
    ``in_url`` also in the page address (``?client=NAME``), so that a reload, which starts a
    new browser session, opens the same client. A database that cannot be read raises
    ``StoreError`` (the page shows it: ``faults``)."""
    names = [c.name for c in store().clients()]
    remembered = st.session_state.get(f"{key}_chosen")
    if in_url and remembered is None:
        remembered = st.query_params.get(URL_CLIENT)

    def remember() -> None:
        if st.session_state[key] != NEW_CLIENT:
            st.session_state[f"{key}_chosen"] = st.session_state[key]

    choice = st.selectbox(
        label,
        names + [NEW_CLIENT],
        key=key,
        on_change=remember,
        index=names.index(remembered) if remembered in names else None,
        placeholder="Choose a client",
    )
    if in_url and choice in names:
        st.session_state[f"{key}_chosen"] = choice
        if st.query_params.get(URL_CLIENT) != choice:
            st.query_params[URL_CLIENT] = choice
    if choice == NEW_CLIENT:
        new_client_form(key)
        return None
    return None if choice is None or choice not in names else store().client(choice)


def new_client_form(select_key: str) -> None:
    def create() -> None:
        state = st.session_state
        try:
            client = store().add_client(
                state[f"{select_key}_name"],
                birth_year=state[f"{select_key}_birth"],
                notes=state[f"{select_key}_notes"],
                photo_consent=state[f"{select_key}_consent"],
            )
        except (ClientExists, ValueError) as error:
            state[f"{select_key}_error"] = str(error)
            return
        except StoreError as error:
            state[f"{select_key}_error"] = faults.sentence(error)
            return
        state.pop(f"{select_key}_error", None)
        state[f"{select_key}_chosen"] = client.name
        del state[select_key]  # drawn again with the new client chosen

    with st.form(f"{select_key}_form", border=True):
        st.text_input("Name or pseudonym", key=f"{select_key}_name")
        st.number_input(
            "Birth year (optional)",
            min_value=1900,
            max_value=2100,
            value=None,
            step=1,
            key=f"{select_key}_birth",
        )
        st.text_area("Notes (optional)", key=f"{select_key}_notes", height=68)
        st.checkbox(
            "The client agrees that their photos are stored (otherwise only the "
            "measures, the landmarks and a face-free outline are kept)",
            key=f"{select_key}_consent",
        )
        st.form_submit_button("Create client", on_click=create)
    if st.session_state.get(f"{select_key}_error"):
        st.error(st.session_state[f"{select_key}_error"])


# --- saving a result ---------------------------------------------------------------------


def session_time(photo: bytes) -> tuple[datetime, bool]:
    """When the session was: the photo's EXIF date (True) or now (False), aware."""
    taken = dates.exif_datetime(*exif_date_texts(photo))
    return (taken, True) if taken is not None else (dates.now_local(), False)


def recipient(photo: bytes) -> Recipient:
    """Who the photo page's reports are for: the client chosen in "Save to a client" (none
    yet: no name), the trainer's name from the settings, the session's date."""
    return Recipient(
        client=st.session_state.get("save_client_chosen") or "",
        trainer=trainer_name(),
        taken=session_time(photo)[0],
    )


def save_box(result: common.Result, photo: bytes, fixed: Corrected, routine, *, blur: bool = False) -> None:
    """ "Save to client": client, notes, the date (EXIF or now) and the button. The photo is
    stored (face blurred when ``blur``) only for a client who agreed. A fault of the records
    file is shown in the box; the rest of the page stays."""
    with st.container(border=True), faults.shown():
        st.markdown("**Save to a client** — nothing is stored until you press the button.")
        client = pick_client("save_client")
        when, from_photo = session_time(photo)
        st.caption(
            f"Session date: {dates.local_text(dates.iso(when))} "
            + ("(when the photo was taken)" if from_photo else "(now: the photo has no date)")
        )
        notes = st.text_input("Session notes (optional)", key="save_notes")
        if client is None:
            return
        st.caption(
            "The photo will be stored (the client agreed)" + (", face blurred." if blur else ".")
            if client.photo_consent
            else "The photo will not be stored: only the measures, the landmarks and a face-free outline."
        )
        saved_key = f"saved:{result.digest}:{client.id}:{sorted(fixed.moves.items())}"
        if st.session_state.get(saved_key):
            st.success(f"Saved to {client.name}. See the Clients page for the progress.")
            return
        if st.button("Save to client", type="primary", key="save_button"):
            picture = None
            if client.photo_consent and result.analysis.image is not None:
                picture = jpeg_bytes(result.image(blur=blur))
            store().add_session(
                client.id,
                draft(
                    fixed.analysis,
                    taken=when,
                    routine=routine,
                    originals=fixed.originals,
                    notes=notes,
                    photo_name=result.name,
                    photo=picture,
                ),
            )
            st.session_state[saved_key] = True
            st.success(f"Saved to {client.name}. See the Clients page for the progress.")


# --- hand correction ---------------------------------------------------------------------


def corrected(result: common.Result) -> Corrected:
    """The result with the joints this session moved by hand (none: the analysis as is)."""
    moves = st.session_state.get(f"moves:{result.digest}", {})
    return correct(result.analysis, moves, figures=common.error_figures())


def correction_picture(result: common.Result, fixed: Corrected, *, blur: bool) -> None:
    """Click on the photo to put the chosen joint there; the measures follow at once."""
    from streamlit_image_coordinates import streamlit_image_coordinates

    moves_key = f"moves:{result.digest}"
    joint = st.radio(
        "Joint to move", list(JOINTS), format_func=JOINTS.get, horizontal=True, key="correct_joint"
    )
    image = marked(annotate(result.image(blur=blur), fixed.analysis, show_text=False), fixed.analysis, joint)
    click = streamlit_image_coordinates(
        image,
        key=f"click:{result.digest}",
        width="stretch",
        image_format="JPEG",
        jpeg_quality=85,
        cursor="crosshair",
    )
    st.caption(f"Click where the {JOINTS[joint].lower()} really is (the ringed point moves).")
    if click and click.get("unix_time") != st.session_state.get("last_click"):
        st.session_state["last_click"] = click.get("unix_time")
        scale = image.shape[1] / max(1, click["width"])
        moves = dict(st.session_state.get(moves_key, {}))
        moves[joint] = (click["x"] * scale, click["y"] * scale)
        st.session_state[moves_key] = moves
        st.rerun()
    if fixed.moves and st.button("Undo all corrections", key="correct_undo"):
        st.session_state.pop(moves_key, None)
        st.rerun()


def marked(rgb: np.ndarray, analysis: Analysis, joint: str) -> np.ndarray:
    """A copy with every movable joint dotted and the chosen one ringed."""
    picture = Image.fromarray(rgb)
    draw = ImageDraw.Draw(picture)
    radius = max(4, round(max(rgb.shape[:2]) / 120))
    for part, (x, y) in joint_positions(analysis.landmarks).items():
        r = radius * (2 if part == joint else 1)
        draw.ellipse(
            [x - r, y - r, x + r, y + r],
            outline=(255, 40, 40) if part == joint else (255, 255, 255),
            width=max(2, radius // 2),
        )
    return np.asarray(picture)


def measure_table(analysis: Analysis, originals: dict[str, float | None]) -> list[dict[str, str]]:
    """The page's measures table, hand-corrected values marked with the analyzer's value."""
    rows = []
    for row in measure_rows(analysis):
        value = row["shown"]
        if row["name"] in originals:
            value += f" ✎ corrected (was {format_value(row['name'], originals[row['name']])})"
        meaning = row["meaning"] + (f" (Not measured: {row['reason']})" if row["reason"] else "")
        rows.append(
            {"Measure": row["label"], "Value": value, "What it means": meaning, "Normal range": row["normal"]}
        )
    return rows


def corrected_result(result: common.Result, fixed: Corrected) -> common.Result:
    """A ``Result`` carrying the corrected analysis (for the downloads and drawings)."""
    if not fixed.moves:
        return result
    return replace(result, analysis=fixed.analysis, _drawn={})


__all__ = [
    "MEASURE_GUIDE",
    "correction_picture",
    "corrected",
    "corrected_result",
    "measure_table",
    "pick_client",
    "save_box",
    "settings",
    "store",
    "trainer_name",
]
