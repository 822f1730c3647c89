"""The page the PDF writer draws on: A4 through fpdf2 in DejaVu Sans (Unicode: "≥", "°",
"Zoë" print as they are), with flowing paragraphs, headings, figures and tables.

Sizes are in mm, type sizes in pt. fpdf2 is imported only when a page is made.
"""

from __future__ import annotations

import importlib.util
import io
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import posture
from posture.image.encode import jpeg_bytes
from posture.render.document import (
    Document,
    Figure,
    Run,
    Table,
)
from posture.render.wording import FONT_MISSING

MARK = (138, 28, 0)
"""Dark red of an out-of-range value (RGB)."""


def unicode_font() -> Path:
    """DejaVu Sans as shipped inside matplotlib (a pinned dependency); an error naming the
    fix when it is missing."""
    spec = importlib.util.find_spec("matplotlib")
    path = None
    if spec is not None and spec.origin is not None:
        path = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
    if path is None or not path.is_file():
        raise RuntimeError(FONT_MISSING)
    return path


def markdown(runs: Sequence[Run]) -> tuple[str, bool]:
    """The runs as fpdf2 markdown (``**bold**``) and whether any is bold."""
    strong = any(r.strong for r in runs)
    return "".join(f"**{r.text}**" if r.strong else r.text for r in runs), strong


def svg_aspect(svg: str) -> float:
    """Height / width of an SVG from its width and height attributes."""
    w = float(re.search(r'width="([0-9.]+)"', svg).group(1))
    h = float(re.search(r'height="([0-9.]+)"', svg).group(1))
    return h / w


class Pdf:
    """An A4 portrait fpdf2 document in DejaVu Sans (regular, bold, oblique)."""

    def __init__(self, document: Document, *, margin: float, auto_break: bool) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(format="A4", unit="mm")
        self.pdf.set_title(document.title)
        if document.subject:
            self.pdf.set_subject(document.subject)
        self.pdf.set_creator(f"posture {posture.__version__}")
        self.pdf.set_auto_page_break(auto_break, margin=margin)
        self.pdf.set_margins(margin, margin, margin)
        self.margin = margin
        font = unicode_font()
        for style, name in (("", ""), ("B", "-Bold"), ("I", "-Oblique"), ("BI", "-BoldOblique")):
            face = font.with_name(f"DejaVuSans{name}.ttf")
            self.pdf.add_font("body", style, str(face if face.is_file() else font))
        self.pdf.add_page()

    def para(self, runs: Sequence[Run], size: float, *, bold: bool = False, line: float = 0.5) -> None:
        """Full-width text at the current position, then move below it."""
        text, strong = markdown(runs)
        self.pdf.set_font("body", "B" if bold else "", size)
        self.pdf.multi_cell(0, size * line, text, markdown=strong, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(0.8)

    def heading(self, text: str, size: float) -> None:
        self.pdf.set_font("body", "B", size)
        self.pdf.ln(2)
        self.pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def room_for(self, height_mm: float) -> None:
        if self.pdf.get_y() + height_mm > self.pdf.h - self.margin:
            self.pdf.add_page()

    def figure(self, f: Figure) -> None:
        if f.image is not None:
            self.room_for(f.width_mm * f.image.shape[0] / f.image.shape[1])
            self.pdf.image(io.BytesIO(jpeg_bytes(f.image)), w=f.width_mm)
        elif f.in_pdf and f.svg:
            self.room_for(f.width_mm * svg_aspect(f.svg))
            self.pdf.image(io.BytesIO(f.svg.encode("utf-8")), w=f.width_mm)

    def figure_row(self, images: Sequence[np.ndarray], height_mm: float) -> None:
        self.room_for(height_mm)
        y, x = self.pdf.get_y(), self.pdf.l_margin
        for rgb in images:
            self.pdf.image(io.BytesIO(jpeg_bytes(rgb)), x=x, y=y, h=height_mm)
            x += height_mm * rgb.shape[1] / rgb.shape[0] + 3
        self.pdf.set_y(y + height_mm + 2)

    def table(self, t: Table) -> None:
        """The header row, then the rows; a cell marked "out" is bold dark red."""
        from fpdf.fonts import FontFace

        mark = FontFace(emphasis="BOLD", color=MARK)
        self.pdf.set_font("body", "", t.size)
        with self.pdf.table(
            col_widths=t.widths, line_height=t.size * 0.5, padding=0.8, text_align="LEFT"
        ) as table:
            header = table.row()
            for text in t.header:
                header.cell(text)
            for cells in t.rows:
                row = table.row()
                for c in cells:
                    text = f"{c.text} {c.note}" if c.note else c.text
                    row.cell(text, style=mark if "out" in c.marks else None)
        self.pdf.ln(2)

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())
