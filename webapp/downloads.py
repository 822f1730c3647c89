"""The photo page's downloads: the annotated image, the reports, the measures and the routine
sheet (no exercise leaves the page before the safety questions are answered no)."""

from __future__ import annotations

import streamlit as st

from posture.records.filenames import safe_filename
from posture.render import report
from posture.render import routine_sheet as routine_export
from posture.render.handover import Recipient
from posture.routines import Routine
from posture.routines.safety import ScreenResult
from webapp import common


def show(
    result: common.Result,
    *,
    blur: bool,
    routine: Routine | None,
    screen: ScreenResult | None,
    recipient: Recipient | None = None,
    corrected: dict[str, float | None] | None = None,
) -> None:
    """The downloads; the reports name ``recipient`` (client, trainer, session date) and mark
    the ``corrected`` measures."""
    st.subheader("Download")
    offered = routine is not None
    if screen is None or screen.unanswered:
        routine = None  # no exercise goes into a download before the safety questions are answered
    analysis = result.blurred_analysis(blur)
    stem = result.name.rsplit(".", 1)[0]
    tail = "-blurred" if blur else ""
    options = dict(
        figures=common.error_figures(),
        routine=routine,
        screen=screen,
        face_blurred=blur,
        recipient=recipient,
        corrected=corrected,
    )  # the PDF and the HTML report say the same

    def inputs() -> report.PhotoReport:
        return report.PhotoReport(analysis, result.annotated(blur=blur), **options)

    cols = st.columns(5)
    cols[0].download_button(
        "Annotated image",
        lambda: common.png_bytes(result.annotated(blur=blur)),
        safe_filename(stem, f"{tail}-annotated.png", fallback="photo"),
        "image/png",
        on_click="ignore",
        icon=":material/image:",
    )
    cols[1].download_button(
        "Report (PDF)",
        lambda: report.photo_report_pdf(inputs()),
        safe_filename(stem, f"{tail}-report.pdf", fallback="photo"),
        "application/pdf",
        on_click="ignore",
        icon=":material/description:",
    )
    cols[2].download_button(
        "Report (HTML)",
        lambda: report.photo_report_html(inputs()),
        safe_filename(stem, f"{tail}-report.html", fallback="photo"),
        "text/html",
        on_click="ignore",
        icon=":material/print:",
    )
    cols[3].download_button(
        "Measures (CSV)",
        lambda: report.measures_csv(analysis),
        safe_filename(stem, f"{tail}-measures.csv", fallback="photo"),
        "text/csv",
        on_click="ignore",
    )
    cols[4].download_button(
        "Measures (JSON)",
        lambda: report.analysis_json(
            analysis, figures=common.error_figures(), routine=routine, face_blurred=blur
        ),
        safe_filename(stem, f"{tail}-measures.json", fallback="photo"),
        "application/json",
        on_click="ignore",
    )
    if offered and (routine is None or screen.blocked):
        st.caption("The routine sheet can be downloaded once every safety question above is answered no.")
    elif routine is not None:
        left, right, _ = st.columns([1, 1, 3])
        left.download_button(
            "Routine (PDF)",
            lambda: routine_export.to_pdf(routine, screen=screen),
            safe_filename(f"routine-{routine.id}", ".pdf", fallback="routine"),
            "application/pdf",
            on_click="ignore",
        )
        right.download_button(
            "Routine (HTML)",
            lambda: routine_export.to_html(routine, screen=screen),
            safe_filename(f"routine-{routine.id}", ".html", fallback="routine"),
            "text/html",
            on_click="ignore",
        )
    st.caption(
        "Face blurred in the image and the report."
        if blur
        else "Tick “Blur my face” above to hide your face in the image and the report."
    )
