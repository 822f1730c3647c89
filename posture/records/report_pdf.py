"""The client's progress report as a PDF (A4), the same content as ``progress_html``."""

from __future__ import annotations

import io
from collections.abc import Sequence

from posture.records import dates
from posture.records.entries import Session
from posture.records.report import (
    TREND_MEASURES,
    Handover,
    chart,
    heading_lines,
    latest_rows,
    routine_lines,
    session_rows,
    trend_rows,
    verdict_line,
)
from posture.render.report_pdf import _Pdf
from posture.render.wording import MEASURE_GUIDE, method_note
from posture.routines.safety import DISCLAIMER


def progress_pdf(sessions: Sequence[Session], handover: Handover) -> bytes:
    """The report as a PDF (A4)."""
    from fpdf.fonts import FontFace

    title = f"Posture progress — {handover.client.name}"
    doc = _Pdf(title)
    doc.heading(title, 16)
    for line in heading_lines(sessions, handover):
        doc.para(line, 9)
    if not sessions:
        doc.para("No sessions saved yet.")
        return doc.bytes()
    last = sessions[-1]
    doc.heading(f"Latest session: {dates.local_text(last.taken)}")
    doc.para(verdict_line(last), 12, bold=True)
    if handover.picture is not None:
        picture = handover.picture
        doc.image(picture, width_mm=min(70.0, 100.0 * picture.shape[1] / picture.shape[0]))
    out_style = FontFace(emphasis="BOLD", color=(138, 28, 0))
    doc.pdf.set_font(doc.family, "", 8.5)
    with doc.pdf.table(
        col_widths=(2.2, 1.4, 1.8, 3.6, 3.6),
        line_height=4.2,
        padding=0.8,
        text_align="LEFT",
        first_row_as_headings=True,
    ) as table:
        header = table.row()
        for cell in ("Measure", "Value", "Note", "What it means", "Normal range"):
            header.cell(doc.text(cell))
        for r in latest_rows(last, handover.normal):
            row = table.row()
            row.cell(doc.text(r["label"]))
            row.cell(doc.text(r["value"]), style=out_style if r["out"] else None)
            row.cell(doc.text(r["flags"]), style=out_style if r["out"] else None)
            row.cell(doc.text(r["meaning"]))
            row.cell(doc.text(r["normal"]))
    doc.pdf.ln(2)
    doc.heading("Since the first session")
    doc.table(
        [("Measure", "First", "Latest", "Change", "Error", "Verdict")]
        + [
            tuple(r[k] for k in ("label", "first", "last", "change", "error", "verdict"))
            for r in trend_rows(sessions, handover.errors)
        ],
        (2.2, 1.4, 1.4, 1.2, 1.2, 2.6),
    )
    svg = chart(sessions, handover.errors).encode()
    if doc.pdf.get_y() + 75 > doc.pdf.h - 14:
        doc.pdf.add_page()
    doc.pdf.image(io.BytesIO(svg), w=170)
    doc.para(
        "Grey band: values within measurement error of the first session. Hollow points: corrected by hand.",
        8,
    )
    doc.heading("All sessions")
    doc.table(
        [
            (
                "Date",
                "Pelvic tilt class",
                "Tilt from",
                *(MEASURE_GUIDE[n].label for n in TREND_MEASURES),
                "Routine",
            )
        ]
        + [tuple(r.values()) for r in session_rows(sessions)],
        (2.0, 2.0, 1.5, 1.3, 1.3, 1.3, 2.6),
        size=8,
    )
    doc.para("* corrected by hand.", 8)
    routine = routine_lines(last)
    if routine:
        doc.heading(routine[0])
        for number, exercise in enumerate(routine[1:], 1):
            doc.para(f"{number}. {exercise}", 10)
    doc.para(method_note(handover.figures), 8)
    doc.para(DISCLAIMER, 8.5, bold=True)
    return doc.bytes()
