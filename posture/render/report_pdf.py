"""The photo and comparison reports as PDF (A4), through fpdf2."""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

import posture
from posture.assess.compare import ComparisonRow
from posture.assess.errors import ErrorFigures, MarkerFigures
from posture.image.encode import jpeg_bytes
from posture.render.handover import Recipient, error_source_text, heading_lines, made_with
from posture.render.tables import measure_rows, provenance
from posture.render.wording import (
    MEASURE_GUIDE,
    TECHNICAL_DETAILS,
    format_difference,
    format_value,
    kendall_text,
    markers_text,
    overlay_key,
    technical_notes,
    tilt_number_text,
    verdict_text,
)
from posture.routines.safety import DISCLAIMER, RED_FLAGS
from posture.types import Analysis


def _unicode_font() -> Path | None:
    """DejaVu Sans as shipped inside matplotlib (a pinned dependency), if present."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
    return path if path.is_file() else None


_LATIN1 = str.maketrans(
    {
        "—": "-",
        "–": "-",
        "−": "-",
        "≈": "~",
        "≥": ">=",
        "≤": "<=",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "…": "...",
    }
)


class _Pdf:
    """A small wrapper over fpdf2: one font (Unicode when DejaVu is found), A4 portrait."""

    def __init__(self, title: str):
        from fpdf import FPDF

        self.pdf = FPDF(format="A4")
        self.pdf.set_title(title)
        self.pdf.set_creator(f"posture {posture.__version__}")
        self.pdf.set_auto_page_break(True, margin=14)
        self.pdf.set_margins(14, 14, 14)
        font = _unicode_font()
        if font is not None:
            self.pdf.add_font("body", "", str(font))
            bold = font.with_name("DejaVuSans-Bold.ttf")
            self.pdf.add_font("body", "B", str(bold if bold.is_file() else font))
            self.family, self.unicode = "body", True
        else:
            self.family, self.unicode = "helvetica", False
        self.pdf.add_page()

    def text(self, value: str) -> str:
        if self.unicode:
            return value
        return value.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")

    def heading(self, value: str, size: float = 13) -> None:
        self.pdf.set_font(self.family, "B", size)
        self.pdf.ln(2)
        self.pdf.multi_cell(0, size * 0.5, self.text(value), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def para(self, value: str, size: float = 10, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.multi_cell(0, size * 0.5, self.text(value), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(0.8)

    def image(self, rgb: np.ndarray, *, width_mm: float, x: float | None = None) -> None:
        height_mm = width_mm * rgb.shape[0] / rgb.shape[1]
        if self.pdf.get_y() + height_mm > self.pdf.h - 14:
            self.pdf.add_page()
        self.pdf.image(io.BytesIO(jpeg_bytes(rgb)), x=x, w=width_mm)

    def images_row(self, images: Sequence[np.ndarray], *, height_mm: float) -> None:
        if self.pdf.get_y() + height_mm > self.pdf.h - 14:
            self.pdf.add_page()
        y, x = self.pdf.get_y(), self.pdf.l_margin
        for rgb in images:
            width = height_mm * rgb.shape[1] / rgb.shape[0]
            self.pdf.image(io.BytesIO(jpeg_bytes(rgb)), x=x, y=y, h=height_mm)
            x += width + 3
        self.pdf.set_y(y + height_mm + 2)

    def table(
        self,
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        size: float = 8.5,
        marked: Sequence[Sequence[int]] = (),
    ) -> None:
        """A table whose first row is the heading; ``marked[i]`` lists the columns of row
        ``i + 1`` printed bold dark red (an out-of-range value)."""
        from fpdf.fonts import FontFace

        mark = FontFace(emphasis="BOLD", color=(138, 28, 0))
        self.pdf.set_font(self.family, "", size)
        with self.pdf.table(
            col_widths=tuple(widths),
            line_height=size * 0.5,
            padding=0.8,
            text_align="LEFT",
            first_row_as_headings=True,
        ) as table:
            for number, row in enumerate(rows):
                line = table.row()
                columns = marked[number - 1] if 0 < number <= len(marked) else ()
                for column, cell in enumerate(row):
                    line.cell(self.text(cell), style=mark if column in columns else None)
        self.pdf.ln(2)

    def provenance(self, meta: dict[str, Any]) -> None:
        self.heading("How this was measured", 11)
        self.para(meta["method"], 8.5)
        self.heading(TECHNICAL_DETAILS, 8.5)
        for line in (made_with(meta), *technical_notes()):
            self.para(line, 7.5)

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())


def photo_report_pdf(
    analysis: Analysis,
    image: np.ndarray | None,
    *,
    figures: ErrorFigures,
    routine: Any = None,
    screen: Any = None,
    face_blurred: bool = False,
    title: str = "Posture report",
    created: datetime | None = None,
    recipient: Recipient | None = None,
    corrected: Mapping[str, float | None] | None = None,
) -> bytes:
    """The photo report as a PDF (A4); the options as in ``photo_report_html``."""
    meta = provenance(analysis.model, figures=figures, created=created, face_blurred=face_blurred)
    doc = _Pdf(title)
    doc.heading(title, 16)
    for line in heading_lines(recipient, created):
        doc.para(line, 9)
    doc.para(verdict_text(analysis), 12, bold=True)
    number = tilt_number_text(analysis)
    if number:
        doc.para(number, 9)
    marker_line = markers_text(analysis, MarkerFigures.load())
    if marker_line:
        doc.para(marker_line)
    kendall = kendall_text(analysis)
    if kendall:
        doc.para(kendall)
    for note in analysis.assessment.notes if analysis.assessment else ():
        doc.para(note, 9)
    if image is not None:
        doc.image(image, width_mm=min(80.0, 110.0 * image.shape[1] / image.shape[0]))
        doc.para(overlay_key(analysis) + (" Face blurred." if face_blurred else ""), 8)
    doc.heading("Measures")
    rows = measure_rows(analysis, corrected)
    doc.table(
        [("Measure", "Value", "Note", "What it means", "Normal range")]
        + [
            (
                r["label"],
                r["shown"],
                r["note"],
                r["meaning"] + (f" Not measured: {r['reason']}" if r["reason"] else ""),
                r["normal"],
            )
            for r in rows
        ],
        (2.1, 1.3, 1.8, 3.4, 3.4),
        marked=[(1, 2) if r["flag"] else () for r in rows],
    )
    if routine is not None and screen is not None and screen.blocked:
        doc.heading("Routine withheld: safety check")
        doc.para(screen.message, 10, bold=True)
    elif routine is not None:
        doc.heading(routine.title)
        doc.para(routine.goal)
        for extra in (routine.note, routine.retake_advice):
            if extra:
                doc.para(extra, 9)
        for i, item in enumerate(routine.items, 1):
            doc.para(f"{i}. {item.exercise.name}: {item.exercise.dose.describe()}", 10)
        doc.para(f"About {routine.total_minutes} minutes.", 9)
    doc.heading("Before you exercise")
    doc.para("If the answer to any of these questions is yes, do not start: see a doctor first.")
    for flag in RED_FLAGS:
        doc.para(f"• {flag.question}", 9)
    doc.para(DISCLAIMER, 9, bold=True)
    doc.provenance(meta)
    return doc.bytes()


def comparison_report_pdf(
    first: Analysis,
    second: Analysis,
    rows: Sequence[ComparisonRow],
    labels: tuple[str, str],
    *,
    figures: ErrorFigures,
    images: Sequence[np.ndarray] = (),
    face_blurred: bool = False,
    title: str = "Posture comparison",
    created: datetime | None = None,
) -> bytes:
    """The comparison report as a PDF (A4)."""
    meta = provenance(first.model, figures=figures, created=created, face_blurred=face_blurred)
    doc = _Pdf(title)
    doc.heading(title, 16)
    for line in heading_lines(None, created):
        doc.para(line, 9)
    for label, analysis in zip(labels, (first, second)):
        doc.para(f"{label}: {verdict_text(analysis)}")
    if images:
        doc.images_row(images, height_mm=90)
        doc.para(
            "Scaled to the same body height, ankles on one baseline."
            + (" Faces blurred." if face_blurred else ""),
            8,
        )
    doc.heading("Measures")
    doc.para(
        "Difference = second − first. A change is called real only when it is larger "
        "than the measure's error.",
        9,
    )
    doc.table(
        [("Measure", labels[0], labels[1], "Difference", "Error", "Change")]
        + [
            (
                MEASURE_GUIDE[r.name].label,
                format_value(r.name, r.first),
                format_value(r.name, r.second),
                format_difference(r),
                error_source_text(r.error.basis, r.error.value, r.unit),
                r.verdict,
            )
            for r in rows
        ],
        (2.4, 1.7, 1.7, 1.7, 1.6, 1.5),
    )
    doc.para(DISCLAIMER, 9, bold=True)
    doc.provenance(meta)
    return doc.bytes()
