"""A routine as a document the person keeps: plain text, Markdown, HTML, PDF or a JSON dict.

Every format starts with the coaching disclaimer and the safety screen. When the screen is
given and blocked, the document holds only the safety message: no exercises.

The printable formats (HTML and PDF) are laid out for one A4 page in two columns; the PDF
shrinks its type size until the page is full rather than spill onto a second page.
"""

from __future__ import annotations

import io
import re
from html import escape
from typing import Any

from posture.render.illustrations import exercise_svg
from posture.render.wording import kendall_name
from posture.routines import Exercise, Routine
from posture.routines.safety import ScreenResult

SCREEN_INTRO = "Answer these before you start. If any answer is yes, do not start: seek medical care first."
BLOCKED_TITLE = "Safety check: do not start the exercises"


def to_dict(routine: Routine, *, screen: ScreenResult | None = None) -> dict[str, Any]:
    """A JSON-ready dict. ``routine`` is None in it when the screen is blocked."""
    blocked = screen is not None and screen.blocked
    return {
        "disclaimer": routine.disclaimer,
        "safety": {
            "questions": [
                {"id": f.id, "question": f.question, "urgent": f.urgent} for f in routine.red_flags
            ],
            "screen": None if screen is None else {
                "blocked": screen.blocked,
                "urgent": screen.urgent,
                "message": screen.message,
                "flags": [f.id for f in screen.flags],
                "unanswered": list(screen.unanswered),
            },
        },
        "routine": None if blocked else _routine_dict(routine),
    }


def to_text(routine: Routine, *, screen: ScreenResult | None = None) -> str:
    """The routine as plain text for a terminal."""
    lines = [routine.title if not _blocked(screen) else BLOCKED_TITLE, ""]
    lines += ["Coaching, not diagnosis. " + routine.disclaimer, ""]
    if _blocked(screen):
        lines += [screen.message, ""]
        return "\n".join(lines)
    lines += [f"Your result: {_result_line(routine)}", f"Goal: {routine.goal}",
              f"Time: {_time_line(routine)}", "", f"Why this routine: {routine.rationale}"]
    lines += [f"Note: {text}" for text in (routine.note, routine.retake_advice) if text]
    lines += ["", "SAFETY CHECK"]
    lines += _screen_lines(routine, screen, checkbox="[ ]")
    for number, item in enumerate(routine.items, 1):
        ex = item.exercise
        lines += ["", f"{number}. {ex.name.upper()}  ({_minutes(item.seconds)})", f"   {ex.purpose} {ex.targets}",
                  f"   Why here: {item.why}", f"   Dose: {ex.dose.describe()}"]
        if ex.equipment:
            lines.append(f"   You need: {', '.join(ex.equipment)}.")
        lines += [f"   {i}) {step}" for i, step in enumerate(ex.steps, 1)]
        lines += [f"   Tip: {cue}" for cue in ex.cues]
        lines += [f"   Common mistake: {ex.common_mistake}", f"   Easier: {ex.easier}",
                  f"   Harder: {ex.harder}", f"   When not to do it: {' '.join(ex.avoid_if)}"]
    return "\n".join(lines) + "\n"


def to_markdown(routine: Routine, *, screen: ScreenResult | None = None) -> str:
    """The routine as a Markdown document (no pictures: many viewers block inline images)."""
    if _blocked(screen):
        return "\n".join([f"# {BLOCKED_TITLE}", "", f"**{screen.message}**", "",
                          f"> **Coaching, not diagnosis.** {routine.disclaimer}", ""])
    md = [f"# {routine.title}", "", f"> **Coaching, not diagnosis.** {routine.disclaimer}", "",
          f"**Your result:** {_result_line(routine)}  ", f"**Goal:** {routine.goal}  ",
          f"**Time:** {_time_line(routine)}", "", f"**Why this routine:** {routine.rationale}", ""]
    md += [f"> **Note:** {text}\n" for text in (routine.note, routine.retake_advice) if text]
    md += ["## Before you start: safety check", ""]
    md += _screen_lines(routine, screen, checkbox="- [ ]")
    md += ["", "## Exercises"]
    for number, item in enumerate(routine.items, 1):
        ex = item.exercise
        md += ["", f"### {number}. {ex.name} ({_minutes(item.seconds)})", "",
               f"*{ex.purpose}* {ex.targets}  ", f"**Why here:** {item.why}  ",
               f"**Dose:** {ex.dose.describe()}  "]
        if ex.equipment:
            md.append(f"**You need:** {', '.join(ex.equipment)}.")
        md.append("")
        md += [f"{i}. {step}" for i, step in enumerate(ex.steps, 1)]
        md += ["", *[f"- **Tip:** {cue}" for cue in ex.cues],
               f"- **Common mistake:** {ex.common_mistake}", f"- **Easier:** {ex.easier}",
               f"- **Harder:** {ex.harder}", f"- **When not to do it:** {' '.join(ex.avoid_if)}"]
    return "\n".join(md) + "\n"


_CSS = """
@page { size: A4; margin: 9mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.35 "Helvetica Neue", Helvetica, Arial, sans-serif; color: #1a1a1a;
       max-width: 200mm; margin: 0 auto; padding: 6mm; }
h1 { font-size: 15pt; margin: 0 0 1.5mm; color: #1f4e79; }
p { margin: 0 0 1.2mm; }
.disclaimer { border: 1px solid #c0392b; background: #fdf2f0; padding: 1.5mm 2.5mm; }
.note { background: #fff8e1; padding: 1mm 2.5mm; }
.safety { border: 1px solid #888; padding: 1.5mm 2.5mm; margin: 1.5mm 0; }
.safety ul { columns: 2; column-gap: 5mm; margin: 0.5mm 0 0; padding: 0; list-style: none; }
.safety li { break-inside: avoid; margin-bottom: 0.6mm; padding-left: 4.5mm; text-indent: -4.5mm; }
.safety li::before { content: "\\2610\\00a0"; }
.blocked { border: 2px solid #c0392b; padding: 3mm; font-size: 12pt; font-weight: bold; }
.cards { columns: 2; column-gap: 5mm; margin-top: 1.5mm; }
.card { break-inside: avoid; border-top: 1.5px solid #1f4e79; padding-top: 1mm; margin-bottom: 2mm; }
.card h2 { font-size: 10.5pt; margin: 0; color: #1f4e79; }
.card h2 small { font-weight: normal; color: #555; }
.card svg { float: right; width: 21mm; max-height: 27mm; height: auto; margin: 0 0 1mm 2mm; }
.card ol { margin: 0.5mm 0 0.8mm; padding-left: 4.5mm; }
.dose { font-weight: bold; }
.purpose { font-style: italic; }
@media print {
  body { font-size: 7pt; line-height: 1.2; padding: 0; max-width: none; }
  h1 { font-size: 12pt; margin-bottom: 1mm; }
  p { margin-bottom: 0.5mm; }
  .safety { margin: 1mm 0; padding: 1mm 2mm; }
  .safety li { margin-bottom: 0.2mm; }
  .cards { margin-top: 1mm; }
  .card { margin-bottom: 1.2mm; padding-top: 0.6mm; }
  .card h2 { font-size: 8pt; }
  .card ol { margin: 0.3mm 0 0.4mm; }
  .card svg { max-height: 19mm; width: 17mm; }
}
"""


def to_html(routine: Routine, *, screen: ScreenResult | None = None) -> str:
    """A self-contained HTML page (inline CSS and SVG pictures) that prints on one A4 page."""
    e = escape
    head = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{e(routine.title)}</title><style>{_CSS}</style></head><body>")
    disclaimer = f'<p class="disclaimer"><strong>Coaching, not diagnosis.</strong> {e(routine.disclaimer)}</p>'
    if _blocked(screen):
        return (f"{head}<h1>{e(BLOCKED_TITLE)}</h1><p class=\"blocked\">{e(screen.message)}</p>"
                f"{disclaimer}</body></html>\n")
    parts = [head, f"<h1>{e(routine.title)}</h1>", disclaimer,
             f"<p><strong>Your result:</strong> {e(_result_line(routine))}. "
             f"<strong>Time:</strong> {e(_time_line(routine))}.</p>",
             f"<p><strong>Goal:</strong> {e(routine.goal)} {e(routine.rationale)}</p>"]
    parts += [f'<p class="note"><strong>Note:</strong> {e(text)}</p>'
              for text in (routine.note, routine.retake_advice) if text]
    parts.append('<section class="safety"><strong>Before you start: safety check.</strong> ')
    if screen is not None and not screen.unanswered:
        parts.append(f"{e(screen.message)} If any of these appears later, stop and seek medical care.")
    else:
        parts.append(e(SCREEN_INTRO))
    parts.append("<ul>" + "".join(f"<li>{e(f.question)}</li>" for f in routine.red_flags) + "</ul></section>")
    parts.append('<div class="cards">')
    for number, item in enumerate(routine.items, 1):
        parts.append(_html_card(number, item.exercise, item.seconds))
    parts.append("</div></body></html>\n")
    return "".join(parts)


def _html_card(number: int, ex: Exercise, seconds: int) -> str:
    e = escape
    svg = exercise_svg(ex) or ""
    steps = "".join(f"<li>{e(step)}</li>" for step in ex.steps)
    return (
        f'<article class="card">{svg}<h2>{number}. {e(ex.name)} <small>{_minutes(seconds)}</small></h2>'
        f'<p class="dose">{e(ex.dose.describe())}</p>'
        f'<p class="purpose">{e(ex.purpose)}</p><ol>{steps}</ol>'
        f"<p><strong>Tip:</strong> {e(' '.join(ex.cues))} "
        f"<strong>Mistake:</strong> {e(ex.common_mistake)}</p>"
        f"<p><strong>Easier:</strong> {e(ex.easier)} <strong>Harder:</strong> {e(ex.harder)}</p>"
        f"<p><strong>When not to do it:</strong> {e(' '.join(ex.avoid_if))}</p></article>"
    )


def to_pdf(routine: Routine, *, screen: ScreenResult | None = None) -> bytes:
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
_LATIN1 = str.maketrans({"\u2014": "-", "\u2013": "-", "\u2019": "'", "\u2018": "'",
                         "\u201c": '"', "\u201d": '"', "\u2026": "...", "\u2610": "[ ]"})


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
    if _blocked(screen):
        text.block(BLOCKED_TITLE, width, size + 5, "B", colour=_RED)
        text.block(screen.message, width, size + 2, "B", border=True)
        text.block(f"**Coaching, not diagnosis.** {routine.disclaimer}", width, size, markdown=True)
        return pdf, pdf.get_y() <= _PAGE_H - _MARGIN
    text.block(routine.title, width, size + 5, "B", colour=_BLUE)
    text.block(f"**Coaching, not diagnosis.** {routine.disclaimer}", width, size, markdown=True, border=True)
    text.block(f"**Your result:** {_result_line(routine)}.   **Time:** {_time_line(routine)}.",
               width, size, markdown=True)
    text.block(f"**Goal:** {routine.goal} {routine.rationale}", width, size, markdown=True)
    for note in (routine.note, routine.retake_advice):
        if note:
            text.block(f"**Note:** {note}", width, size, markdown=True)
    _pdf_safety(text, routine, screen, width, size)
    col_w = (width - _GUTTER) / 2
    heights = [_pdf_card(text, 0, 0, col_w, n, item.exercise, item.seconds, size, draw=False)
               for n, item in enumerate(routine.items, 1)]
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

    def height(self, content: str, width: float, size: float, style: str = "", *, markdown: bool = False) -> float:
        self.pdf.set_font("Helvetica", style, size)
        return self.pdf.multi_cell(width, _line_mm(size), _latin1(content), markdown=markdown, align="L",
                                   dry_run=True, output="HEIGHT")

    def draw(self, x: float, y: float, content: str, width: float, size: float, style: str = "", *,
             markdown: bool = False, colour: tuple[int, int, int] = (25, 25, 25), border: bool = False) -> float:
        self.pdf.set_font("Helvetica", style, size)
        self.pdf.set_text_color(*colour)
        self.pdf.set_draw_color(*(_RED if border else colour))
        self.pdf.set_xy(x, y)
        self.pdf.multi_cell(width, _line_mm(size), _latin1(content), markdown=markdown, align="L",
                            border=1 if border else 0, padding=1 if border else 0,
                            new_x="LMARGIN", new_y="NEXT")
        return self.pdf.get_y() - y

    def block(self, content: str, width: float, size: float, style: str = "", **kwargs: Any) -> None:
        """Draw full-width text at the current position and move below it."""
        self.draw(_MARGIN, self.pdf.get_y(), content, width, size, style, **kwargs)
        self.pdf.set_y(self.pdf.get_y() + 0.8)


def _pdf_safety(text: _PdfText, routine: Routine, screen: ScreenResult | None, width: float, size: float) -> None:
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
        for col, flag in enumerate(flags[row:row + 2]):
            x = _MARGIN + 1 + col * (col_w + _GUTTER)
            pdf.set_draw_color(60, 60, 60)
            pdf.rect(x, y + 0.4, box, box)
            row_h = max(row_h, text.draw(x + box + 1.2, y, flag.question, col_w - box - 1.2, size - 0.5))
        y += row_h + 0.4
    pdf.set_draw_color(120, 120, 120)
    pdf.rect(_MARGIN, top, width, y - top + 0.5)
    pdf.set_y(y + 1.5)


def _pdf_card(text: _PdfText, x: float, y: float, w: float, number: int, ex: Exercise, seconds: int,
              size: float, *, draw: bool) -> float:
    """Measure (draw=False) or draw one exercise card; returns its height in mm plus a gap."""
    pdf = text.pdf

    def put(at_x: float, at_y: float, content: str, width: float, fsize: float, style: str = "",
            markdown: bool = False, colour: tuple[int, int, int] = (25, 25, 25)) -> float:
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
    cy += put(x, cy, f"{number}. {ex.name}  ({_minutes(seconds)})", top_w, size + 0.8, "B", colour=_BLUE)
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
    for line in (f"**Tip:** {' '.join(ex.cues)} **Mistake:** {ex.common_mistake}",
                 f"**Easier:** {ex.easier} **Harder:** {ex.harder}",
                 f"**When not to do it:** {' '.join(ex.avoid_if)}"):
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


def _blocked(screen: ScreenResult | None) -> bool:
    return screen is not None and screen.blocked


def _result_line(routine: Routine) -> str:
    parts = []
    if routine.tilt_class:
        parts.append(f"{routine.tilt_class} pelvic tilt")
    if routine.kendall_type:
        parts.append(f"posture type {kendall_name(routine.kendall_type)}")
    if routine.confidence is not None:
        parts.append(f"confidence {routine.confidence:.0%}")
    return ", ".join(parts) if parts else "not given"


def _time_line(routine: Routine) -> str:
    return f"about {routine.total_minutes} minutes, {len(routine.items)} exercises"


def _minutes(seconds: int) -> str:
    """Item time rounded to the nearest half minute: "2.5 min"."""
    half_minutes = max(1, round(seconds / 30))
    return f"{half_minutes / 2:g} min"


def _screen_lines(routine: Routine, screen: ScreenResult | None, *, checkbox: str) -> list[str]:
    if screen is not None and not screen.unanswered:
        return [screen.message, "If any of these appears later, stop and seek medical care:",
                *[f"- {f.short}" for f in routine.red_flags]]
    lines = [SCREEN_INTRO, ""] if screen is None else [screen.message, ""]
    lines += [f"{checkbox} {f.question}" for f in routine.red_flags
              if screen is None or f.id in screen.unanswered]
    return lines


def _routine_dict(routine: Routine) -> dict[str, Any]:
    return {
        "id": routine.id,
        "title": routine.title,
        "goal": routine.goal,
        "rationale": routine.rationale,
        "tilt_class": routine.tilt_class,
        "kendall_type": routine.kendall_type,
        "confidence": routine.confidence,
        "note": routine.note,
        "retake_advice": routine.retake_advice,
        "total_seconds": routine.total_seconds,
        "total_minutes": routine.total_minutes,
        "items": [
            {"why": item.why, "seconds": item.seconds, "exercise": _exercise_dict(item.exercise)}
            for item in routine.items
        ],
    }


def _exercise_dict(ex: Exercise) -> dict[str, Any]:
    dose = ex.dose
    return {
        "id": ex.id, "name": ex.name, "purpose": ex.purpose, "kind": ex.kind,
        "stretches": list(ex.stretches), "strengthens": list(ex.strengthens),
        "equipment": list(ex.equipment), "steps": list(ex.steps),
        "dose": {
            "sets": dose.sets, "reps": dose.reps, "rep_unit": dose.rep_unit, "per_side": dose.per_side,
            "tempo_seconds": dose.tempo_seconds, "hold_seconds": dose.hold_seconds,
            "breaths": dose.breaths, "setup_seconds": dose.setup_seconds,
            "rest_seconds": dose.rest_seconds, "seconds": dose.seconds, "text": dose.describe(),
        },
        "cues": list(ex.cues), "common_mistake": ex.common_mistake, "easier": ex.easier,
        "harder": ex.harder, "avoid_if": list(ex.avoid_if), "has_picture": ex.pose is not None,
    }

