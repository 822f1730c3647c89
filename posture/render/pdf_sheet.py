"""A ``sheet`` document (a routine) on one A4 page: the text across the page, the safety
checklist in a box, the exercise cards in two columns of equal height.

The type size starts at 9 pt and shrinks in 0.5 pt steps until everything fits on the page.
Sizes in mm, type sizes in pt.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from posture.render.document import Card, Cards, Checklist, Document, Heading, Paragraph, Run
from posture.render.pdf_page import Pdf, markdown, svg_aspect

PAGE_W, PAGE_H, MARGIN, GUTTER = 210.0, 297.0, 10.0, 6.0
WIDTH = PAGE_W - 2 * MARGIN
BLUE, RED, INK = (31, 78, 121), (192, 57, 43), (25, 25, 25)
SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5)


def write_sheet(document: Document) -> bytes:
    """The sheet as a one-page PDF at the largest type size that fits."""
    for size in SIZES:
        sheet = Sheet(document, size)
        if sheet.fits:
            break
    return sheet.page.bytes()


def line_mm(size: float) -> float:
    """Line height in mm for a type size in pt (1 pt = 0.353 mm, plus about 20 % leading)."""
    return size * 0.42


class Sheet:
    """The page laid out at one type size; ``fits`` says whether everything fitted."""

    def __init__(self, document: Document, size: float) -> None:
        self.page = Pdf(document, margin=MARGIN, auto_break=False)
        self.pdf, self.size, self.fits = self.page.pdf, size, True
        for block in document.blocks:
            match block:
                case Heading(text):
                    self.block((Run(text),), size + 5, "B", colour=BLUE)
                case Paragraph(runs, "blocked"):
                    self.block(runs, size + 2, "B", border=True)
                case Paragraph(runs, style):
                    self.block(runs, size, border=style == "disclaimer")
                case Checklist():
                    self.checklist(block)
                case Cards(cards):
                    self.cards(cards)
        self.fits = self.fits and self.pdf.get_y() <= PAGE_H - MARGIN

    def text(
        self,
        x: float,
        y: float,
        runs: Sequence[Run],
        width: float,
        size: float,
        style: str = "",
        *,
        colour: tuple[int, int, int] = INK,
        border: bool = False,
        draw: bool = True,
    ) -> float:
        """Draw (or with ``draw`` False only measure) text at (x, y); its height in mm."""
        content, strong = markdown(runs)
        self.pdf.set_font("body", style, size)
        if not draw:
            return self.pdf.multi_cell(
                width, line_mm(size), content, markdown=strong, dry_run=True, output="HEIGHT"
            )
        self.pdf.set_text_color(*colour)
        self.pdf.set_draw_color(*(RED if border else colour))
        self.pdf.set_xy(x, y)
        self.pdf.multi_cell(
            width,
            line_mm(size),
            content,
            markdown=strong,
            border=1 if border else 0,
            padding=1 if border else 0,
            new_x="LMARGIN",
            new_y="NEXT",
        )
        return self.pdf.get_y() - y

    def block(self, runs: Sequence[Run], size: float, style: str = "", **kwargs) -> None:
        """Full-width text at the current position, then move below it."""
        self.text(MARGIN, self.pdf.get_y(), runs, WIDTH, size, style, **kwargs)
        self.pdf.set_y(self.pdf.get_y() + 0.8)

    def checklist(self, block: Checklist) -> None:
        """The introduction, then a box to tick before each question, two questions a row."""
        pdf, size = self.pdf, self.size
        top = pdf.get_y()
        self.text(MARGIN + 1, top + 1, block.intro, WIDTH - 2, size)
        col_w = (WIDTH - 2 - GUTTER) / 2
        y, box = pdf.get_y() + 0.5, size * 0.3
        for row in range(0, len(block.questions), 2):
            row_h = 0.0
            for col, question in enumerate(block.questions[row : row + 2]):
                x = MARGIN + 1 + col * (col_w + GUTTER)
                pdf.set_draw_color(60, 60, 60)
                pdf.rect(x, y + 0.4, box, box)
                drawn = self.text(x + box + 1.2, y, (Run(question),), col_w - box - 1.2, size - 0.5)
                row_h = max(row_h, drawn)
            y += row_h + 0.4
        pdf.set_draw_color(120, 120, 120)
        pdf.rect(MARGIN, top, WIDTH, y - top + 0.5)
        pdf.set_y(y + 1.5)

    def cards(self, cards: Sequence[Card]) -> None:
        """The cards in reading order, split into two columns of most equal height."""
        col_w = (WIDTH - GUTTER) / 2
        heights = [self.card(0, 0, col_w, card, draw=False) for card in cards]
        top = self.pdf.get_y() + 1.5
        split = balanced_split(heights)
        self.fits = max(sum(heights[:split]), sum(heights[split:])) <= PAGE_H - MARGIN - top
        for column, chosen in enumerate((cards[:split], cards[split:])):
            x, y = MARGIN + column * (col_w + GUTTER), top
            for card in chosen:
                y += self.card(x, y, col_w, card, draw=True)
        self.pdf.set_y(top)

    def card(self, x: float, y: float, w: float, card: Card, *, draw: bool) -> float:
        """Measure (draw False) or draw one exercise card; its height in mm plus a gap."""
        pdf, size = self.pdf, self.size
        pic_w = pic_h = 0.0
        if card.svg:
            aspect = svg_aspect(card.svg)
            pic_w = min(22.0, 17.0 / aspect)
            pic_h = pic_w * aspect
            if draw:
                pdf.image(io.BytesIO(card.svg.encode("utf-8")), x=x + w - pic_w, y=y + 1, w=pic_w, h=pic_h)
        if draw:
            pdf.set_draw_color(*BLUE)
            pdf.set_line_width(0.4)
            pdf.line(x, y, x + w, y)
            pdf.set_line_width(0.2)
        top_w = w - pic_w - 2 if card.svg else w
        title = (Run(f"{card.number}. {card.name}  ({card.minutes})"),)
        cy = y + 0.8
        cy += self.text(x, cy, title, top_w, size + 0.8, "B", colour=BLUE, draw=draw)
        cy += self.text(x, cy, (Run(card.dose),), top_w, size, "B", draw=draw)
        cy += self.text(x, cy, (Run(card.purpose),), top_w, size, "I", draw=draw)
        cy = max(cy, y + 1 + pic_h + 0.5)
        indent = size * 0.45
        for i, step in enumerate(card.steps, 1):
            if draw:
                pdf.set_font("body", "", size)
                pdf.set_xy(x, cy)
                pdf.cell(indent, line_mm(size), f"{i}.")
            cy += self.text(x + indent, cy, (Run(step),), w - indent, size, draw=draw)
        for line in card.advice:
            cy += self.text(x, cy, line, w, size, draw=draw)
        return cy - y + 2.0


def balanced_split(heights: Sequence[float]) -> int:
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
