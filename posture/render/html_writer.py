"""The one HTML writer: a ``posture.render.document.Document`` as one self-contained page
(inline CSS, images as data URIs, drawings as inline SVG) that prints on A4.

Every text is escaped here; nothing reads or writes files.
"""

from __future__ import annotations

from html import escape

from posture.image.encode import image_data_uri
from posture.render import document as doc
from posture.render.html_css import REPORT_CSS, SHEET_CSS


def write_html(document: doc.Document) -> str:
    """The page for ``document``: its title, the style sheet of its layout and its blocks."""
    css = SHEET_CSS if document.layout == "sheet" else REPORT_CSS
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(document.title)}</title><style>{css}</style></head><body>"
        + "".join(block_html(block) for block in document.blocks)
        + "</body></html>\n"
    )


def runs_html(runs: tuple[doc.Run, ...]) -> str:
    return "".join(f"<strong>{escape(r.text)}</strong>" if r.strong else escape(r.text) for r in runs)


def _classes(marks: tuple[str, ...] | str) -> str:
    names = " ".join(marks) if isinstance(marks, tuple) else marks
    return f" class='{names}'" if names else ""


def _paragraph(p: doc.Paragraph) -> str:
    return f"<p{_classes('' if p.style == 'body' else p.style)}>{runs_html(p.runs)}</p>"


def _cell(cell: doc.Cell) -> str:
    note = f"<br><span class='small'>{escape(cell.note)}</span>" if cell.note else ""
    return f"<td{_classes(cell.marks)}>{escape(cell.text)}{note}</td>"


def _table(t: doc.Table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in t.header)
    rows = "".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in t.rows)
    return f"<table><tr>{head}</tr>{rows}</table>"


def _figure(f: doc.Figure) -> str:
    if f.image is not None:
        return f"<div class='{f.frame}'><img alt='{escape(f.alt)}' src='{image_data_uri(f.image)}'></div>"
    return f"<div class='{f.frame}'>{f.svg}</div>"


def _items(block: doc.Items) -> str:
    tag = "ol" if block.ordered else "ul"
    lines = "".join(
        f"<li>{runs_html(line)}"
        + (f"<br><span class='small'>{escape(second)}</span>" if second else "")
        + "</li>"
        for line, second in block.items
    )
    return f"<{tag}>{lines}</{tag}>"


def _card(c: doc.Cards) -> str:
    parts = []
    for card in c.cards:
        steps = "".join(f"<li>{escape(step)}</li>" for step in card.steps)
        parts.append(
            f"<article class='card'>{card.svg}<h2>{card.number}. {escape(card.name)} "
            f"<small>{escape(card.minutes)}</small></h2>"
            f"<p class='dose'>{escape(card.dose)}</p><p class='purpose'>{escape(card.purpose)}</p>"
            f"<ol>{steps}</ol>" + "".join(f"<p>{runs_html(line)}</p>" for line in card.advice) + "</article>"
        )
    return "<div class='cards'>" + "".join(parts) + "</div>"


def block_html(block: doc.Block) -> str:
    """One block as HTML."""
    match block:
        case doc.Heading(text, level):
            return f"<h{level}>{escape(text)}</h{level}>"
        case doc.Paragraph():
            return _paragraph(block)
        case doc.Table():
            return _table(block)
        case doc.Figure():
            return _figure(block)
        case doc.FigureRow(images):
            pictures = "".join(f"<img alt='comparison picture' src='{image_data_uri(im)}'>" for im in images)
            return f"<div class='figure row'>{pictures}</div>"
        case doc.Details(summary, text):
            return f"<details><summary>{escape(summary)}</summary><p>{escape(text)}</p></details>"
        case doc.Items():
            return _items(block)
        case doc.Aside(figure, blocks, caption):
            inner = "".join(block_html(b) for b in (*blocks, *((caption,) if caption else ())))
            return f"<div class='top'>{_figure(figure) if figure else ''}<div>{inner}</div></div>"
        case doc.Checklist(intro, questions):
            ticks = "".join(f"<li>{escape(q)}</li>" for q in questions)
            return f"<section class='safety'>{runs_html(intro)}<ul>{ticks}</ul></section>"
        case doc.Cards():
            return _card(block)
    raise TypeError(f"not a document block: {block!r}")
