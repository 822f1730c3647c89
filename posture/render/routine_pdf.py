"""A routine as a one-page A4 PDF in two columns, through fpdf2.

The type size shrinks until the page is full rather than spill onto a second page.
"""

from __future__ import annotations

import io
import re
from typing import Any

from posture.render.illustrations import exercise_svg
from posture.render.routine_text import BLOCKED_TITLE, SCREEN_INTRO, blocked, minutes, result_line, time_line
from posture.routines import Exercise, Routine
from posture.routines.safety import ScreenResult


def routine_pdf(routine: Routine, *, screen: ScreenResult | None = None) -> bytes:
    """A one-page A4 PDF of the routine, made with fpdf2 (core fonts, Latin-1 text).

    The type size starts at 9 pt and shrinks in 0.5 pt steps until everything fits on one
    page in two columns.
    """
    for size in (9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5):
        pdf, fits = _pdf_document(routine, screen, size)
        if fits:
            break
    return bytes(pdf.output())


# --- PDF layout (fpdf2 is imported only when a PDF is made) ------------------------------

_PAGE_W, _PAGE_H, _MARGIN, _GUTTER = 210.0, 297.0, 10.0, 6.0
_BLUE, _RED = (31, 78, 121), (192, 57, 43)

_LATIN1 = str.maketrans(
    {
        "\u2014": "-",
        "\u2013": "-",
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u2610": "[ ]",
    }
)


def _pdf_document(routine: Routine, screen: ScreenResult | None, size: float) -> tuple[Any, bool]:
    """Lay the page out at one type size (pt); also say whether everything fitted."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(False)
    pdf.set_title(_latin1(routine.title))
    pdf.set_subject("Hip exercise routine. Coaching, not diagnosis.")
    pdf.set_creator("posture")
    pdf.add_page()
    text = _PdfText(pdf)
    width = _PAGE_W - 2 * _MARGIN
    if blocked(screen):
        text.block(BLOCKED_TITLE, width, size + 5, "B", colour=_RED)
        text.block(screen.message, width, size + 2, "B", border=True)
        text.block(f"**Coaching, not diagnosis.** {routine.disclaimer}", width, size, markdown=True)
        return pdf, pdf.get_y() <= _PAGE_H - _MARGIN
    text.block(routine.title, width, size + 5, "B", colour=_BLUE)
    text.block(f"**Coaching, not diagnosis.** {routine.disclaimer}", width, size, markdown=True, border=True)
    text.block(
        f"**Your result:** {result_line(routine)}.   **Time:** {time_line(routine)}.",
        width,
        size,
        markdown=True,
    )
    text.block(f"**Goal:** {routine.goal} {routine.rationale}", width, size, markdown=True)
    for note in (routine.note, routine.retake_advice):
        if note:
            text.block(f"**Note:** {note}", width, size, markdown=True)
    _pdf_safety(text, routine, screen, width, size)
    col_w = (width - _GUTTER) / 2
    heights = [
        _pdf_card(text, 0, 0, col_w, n, item.exercise, item.seconds, size, draw=False)
        for n, item in enumerate(routine.items, 1)
    ]
    top = pdf.get_y() + 1.5
    split = _balanced_split(heights)
    room = _PAGE_H - _MARGIN - top
    fits = max(sum(heights[:split]), sum(heights[split:])) <= room
    for column, (start, stop) in enumerate(((0, split), (split, len(heights)))):
        x, y = _MARGIN + column * (col_w + _GUTTER), top
        for n in range(start, stop):
            item = routine.items[n]
            y += _pdf_card(text, x, y, col_w, n + 1, item.exercise, item.seconds, size, draw=True)
    return pdf, fits


def _line_mm(size: float) -> float:
    """Line height in mm for a type size in pt (1 pt = 0.353 mm, plus about 20 % leading)."""
    return size * 0.42


class _PdfText:
    """Measured or drawn multi-line text; heights in mm."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf

    def height(
        self, content: str, width: float, size: float, style: str = "", *, markdown: bool = False
    ) -> float:
        self.pdf.set_font("Helvetica", style, size)
        return self.pdf.multi_cell(
            width,
            _line_mm(size),
            _latin1(content),
            markdown=markdown,
            align="L",
            dry_run=True,
            output="HEIGHT",
        )

    def draw(
        self,
        x: float,
        y: float,
        content: str,
        width: float,
        size: float,
        style: str = "",
        *,
        markdown: bool = False,
        colour: tuple[int, int, int] = (25, 25, 25),
        border: bool = False,
    ) -> float:
        self.pdf.set_font("Helvetica", style, size)
        self.pdf.set_text_color(*colour)
        self.pdf.set_draw_color(*(_RED if border else colour))
        self.pdf.set_xy(x, y)
        self.pdf.multi_cell(
            width,
            _line_mm(size),
            _latin1(content),
            markdown=markdown,
            align="L",
            border=1 if border else 0,
            padding=1 if border else 0,
            new_x="LMARGIN",
            new_y="NEXT",
        )
        return self.pdf.get_y() - y

    def block(self, content: str, width: float, size: float, style: str = "", **kwargs: Any) -> None:
        """Draw full-width text at the current position and move below it."""
        self.draw(_MARGIN, self.pdf.get_y(), content, width, size, style, **kwargs)
        self.pdf.set_y(self.pdf.get_y() + 0.8)


def _pdf_safety(
    text: _PdfText, routine: Routine, screen: ScreenResult | None, width: float, size: float
) -> None:
    pdf = text.pdf
    if screen is not None and not screen.unanswered:
        head = f"**Before you start: safety check.** {screen.message} If any of these appears later, stop and seek medical care."
    else:
        head = f"**Before you start: safety check.** {SCREEN_INTRO}"
    top = pdf.get_y()
    text.draw(_MARGIN + 1, top + 1, head, width - 2, size, markdown=True)
    col_w = (width - 2 - _GUTTER) / 2
    flags = routine.red_flags
    y = pdf.get_y() + 0.5
    box = size * 0.3
    for row in range(0, len(flags), 2):
        row_h = 0.0
        for col, flag in enumerate(flags[row : row + 2]):
            x = _MARGIN + 1 + col * (col_w + _GUTTER)
            pdf.set_draw_color(60, 60, 60)
            pdf.rect(x, y + 0.4, box, box)
            row_h = max(row_h, text.draw(x + box + 1.2, y, flag.question, col_w - box - 1.2, size - 0.5))
        y += row_h + 0.4
    pdf.set_draw_color(120, 120, 120)
    pdf.rect(_MARGIN, top, width, y - top + 0.5)
    pdf.set_y(y + 1.5)


def _pdf_card(
    text: _PdfText,
    x: float,
    y: float,
    w: float,
    number: int,
    ex: Exercise,
    seconds: int,
    size: float,
    *,
    draw: bool,
) -> float:
    """Measure (draw=False) or draw one exercise card; returns its height in mm plus a gap."""
    pdf = text.pdf

    def put(
        at_x: float,
        at_y: float,
        content: str,
        width: float,
        fsize: float,
        style: str = "",
        markdown: bool = False,
        colour: tuple[int, int, int] = (25, 25, 25),
    ) -> float:
        if draw:
            return text.draw(at_x, at_y, content, width, fsize, style, markdown=markdown, colour=colour)
        return text.height(content, width, fsize, style, markdown=markdown)

    svg = exercise_svg(ex)
    pic_w = pic_h = 0.0
    if svg:
        aspect = _svg_aspect(svg)  # height / width
        pic_w = min(22.0, 17.0 / aspect)
        pic_h = pic_w * aspect
        if draw:
            pdf.image(io.BytesIO(svg.encode("utf-8")), x=x + w - pic_w, y=y + 1, w=pic_w, h=pic_h)
    if draw:
        pdf.set_draw_color(*_BLUE)
        pdf.set_line_width(0.4)
        pdf.line(x, y, x + w, y)
        pdf.set_line_width(0.2)
    top_w = w - pic_w - 2 if svg else w
    cy = y + 0.8
    cy += put(x, cy, f"{number}. {ex.name}  ({minutes(seconds)})", top_w, size + 0.8, "B", colour=_BLUE)
    cy += put(x, cy, ex.dose.describe(), top_w, size, "B")
    cy += put(x, cy, ex.purpose, top_w, size, "I")
    cy = max(cy, y + 1 + pic_h + 0.5)
    indent = size * 0.45
    for i, step in enumerate(ex.steps, 1):
        if draw:
            pdf.set_font("Helvetica", "", size)
            pdf.set_xy(x, cy)
            pdf.cell(indent, _line_mm(size), f"{i}.")
        cy += put(x + indent, cy, step, w - indent, size)
    for line in (
        f"**Tip:** {' '.join(ex.cues)} **Mistake:** {ex.common_mistake}",
        f"**Easier:** {ex.easier} **Harder:** {ex.harder}",
        f"**When not to do it:** {' '.join(ex.avoid_if)}",
    ):
        cy += put(x, cy, line, w, size, markdown=True)
    return cy - y + 2.0


def _svg_aspect(svg: str) -> float:
    """Height / width of an SVG from its width and height attributes."""
    w = float(re.search(r'width="([0-9.]+)"', svg).group(1))
    h = float(re.search(r'height="([0-9.]+)"', svg).group(1))
    return h / w


def _balanced_split(heights: list[float]) -> int:
    """Index that splits the cards into two columns (in reading order) of most equal height."""
    total = sum(heights)
    best, best_cost, running = 0, float("inf"), 0.0
    for i in range(len(heights) + 1):
        cost = max(running, total - running)
        if cost < best_cost:
            best, best_cost = i, cost
        if i < len(heights):
            running += heights[i]
    return best


def _latin1(content: str) -> str:
    """Text the PDF core fonts can show: typographic characters replaced, others as '?'."""
    return content.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")
