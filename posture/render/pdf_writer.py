"""The one PDF writer: a ``posture.render.document.Document`` as A4 PDF through fpdf2, in
DejaVu Sans (Unicode: "≥", "°", "Zoë" print as they are).

Reports flow over as many pages as they need (``posture.render.pdf_page``); a ``sheet`` is
laid out on one page (``posture.render.pdf_sheet``). Type sizes in pt.
"""

from __future__ import annotations

from posture.render import document as doc
from posture.render.pdf_page import Pdf
from posture.render.pdf_sheet import write_sheet

HEADING_PT = {1: 16.0, 2: 13.0, 3: 11.0}
PARAGRAPH_PT = {"verdict": 12.0, "small": 8.5, "meta": 9.0, "disclaimer": 9.0, "note": 9.0}
BOLD_STYLES = ("verdict", "disclaimer", "blocked")


def write_pdf(document: doc.Document) -> bytes:
    """The PDF of ``document``: a one-page sheet or pages that flow."""
    if document.layout == "sheet":
        return write_sheet(document)
    page = Pdf(document, margin=14, auto_break=True)
    for block in document.blocks:
        flow(page, block)
    return page.bytes()


def flow(page: Pdf, block: doc.Block) -> None:
    """Write one block at the current position of a flowing report."""
    match block:
        case doc.Heading(text, level):
            page.heading(text, HEADING_PT.get(level, 11.0))
        case doc.Paragraph(runs, style):
            page.para(runs, PARAGRAPH_PT.get(style, 10.0), bold=style in BOLD_STYLES)
        case doc.Table():
            page.table(block)
        case doc.Figure():
            page.figure(block)
        case doc.FigureRow(images, height):
            page.figure_row(images, height)
        case doc.Details(_, text):
            page.para((doc.Run(text),), 9.0)
        case doc.Items(items, ordered, size):
            for number, (line, second) in enumerate(items, 1):
                lead = doc.Run(f"{number}. " if ordered else "• ")
                page.para((lead, *line), size)
                if second:
                    page.para((doc.Run(second),), PARAGRAPH_PT["small"])
        case doc.Aside(figure, blocks, caption):
            for inner in blocks:
                flow(page, inner)
            for inner in (figure, caption):
                if inner is not None:
                    flow(page, inner)
        case _:
            raise TypeError(f"not a block of a flowing report: {block!r}")
