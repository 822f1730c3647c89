"""One typed document for every report and sheet a person keeps, built once and written to
HTML (``posture.render.html_writer``) and PDF (``posture.render.pdf_writer``).

A document is a title and a sequence of blocks: headings, paragraphs of runs, tables, figures
(a photo as an RGB array or a drawing as SVG), lists, a safety checklist and exercise cards.
Blocks hold the words a person reads and nothing of either format; a style names what a
paragraph is (a verdict, a small note, the disclaimer) and each writer decides how it looks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

Style = Literal["body", "verdict", "small", "meta", "disclaimer", "note", "blocked", "dose", "purpose"]
"""What a paragraph is: ``body`` text, the ``verdict``, a ``small`` note, the ``meta`` lines
under a title, the ``disclaimer``, a ``note`` to read first, the ``blocked`` safety message,
an exercise's ``dose`` and its ``purpose``."""

Layout = Literal["report", "sheet"]
"""``report``: pages that flow (A4); ``sheet``: one A4 page, the exercise cards in two columns."""


@dataclass(frozen=True)
class Run:
    """A stretch of text, in bold when ``strong``."""

    text: str
    strong: bool = False


def runs(*parts: str | Run) -> tuple[Run, ...]:
    """Runs from strings (plain) and runs, empty strings left out."""
    return tuple(p if isinstance(p, Run) else Run(p) for p in parts if p)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: Style = "body"

    @classmethod
    def of(cls, text: str, style: Style = "body") -> Paragraph:
        return cls((Run(text),), style)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Cell:
    """A table cell; ``marks`` among "num" (a number), "out" (out of range, shown bold dark
    red), "corr" (corrected by hand), "real" (a real change), "small", "nowrap"; ``note`` is a
    second, smaller line ("Not measured: …")."""

    text: str
    marks: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Table:
    """A header row and body rows; ``widths`` are the columns' relative widths on paper and
    ``size`` the PDF type size (pt)."""

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    size: float = 8.5


@dataclass(frozen=True)
class Figure:
    """A photo (``image``, RGB uint8, H×W×3) or a drawing (``svg``), ``width_mm`` wide on
    paper. ``frame`` names what it is ("figure", "chart", "range"); ``in_pdf`` False keeps a
    drawing to the screen (the tilt scale, whose fine type the PDF cannot match)."""

    image: np.ndarray | None = None
    svg: str = ""
    alt: str = ""
    width_mm: float = 80.0
    frame: str = "figure"
    in_pdf: bool = True


@dataclass(frozen=True)
class FigureRow:
    """Pictures side by side, ``height_mm`` high on paper (the comparison's aligned pair)."""

    images: tuple[np.ndarray, ...]
    height_mm: float = 90.0


@dataclass(frozen=True)
class Details:
    """A paragraph behind a summary line on screen; printed in small type on paper."""

    summary: str
    text: str


@dataclass(frozen=True)
class Items:
    """A numbered (``ordered``) or bulleted list; each item is runs, with an optional
    smaller second line."""

    items: tuple[tuple[tuple[Run, ...], str], ...]
    ordered: bool = True
    size: float = 10.0

    @classmethod
    def of(cls, lines: Sequence[str], *, ordered: bool = True, size: float = 10.0) -> Items:
        return cls(tuple(((Run(line),), "") for line in lines), ordered, size)


@dataclass(frozen=True)
class Aside:
    """A figure beside its blocks on screen (the photo next to the verdict); on paper the
    blocks come first, then the figure, then its ``caption`` (on screen, after the blocks)."""

    figure: Figure | None
    blocks: tuple[Block, ...]
    caption: Paragraph | None = None


@dataclass(frozen=True)
class Checklist:
    """The safety questions to tick, after an introduction in runs."""

    intro: tuple[Run, ...]
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Card:
    """One exercise of a routine: number, name, minutes, picture (SVG or ""), dose, purpose,
    numbered steps and the lines of advice after them."""

    number: int
    name: str
    minutes: str
    svg: str
    dose: str
    purpose: str
    steps: tuple[str, ...]
    advice: tuple[tuple[Run, ...], ...]


@dataclass(frozen=True)
class Cards:
    cards: tuple[Card, ...]


Block = Heading | Paragraph | Table | Figure | FigureRow | Details | Items | Aside | Checklist | Cards


@dataclass(frozen=True)
class Document:
    """A title (the page's and the PDF's), the blocks in reading order, the layout and a
    PDF subject line."""

    title: str
    blocks: tuple[Block, ...]
    layout: Layout = "report"
    subject: str = ""
