"""A routine as one self-contained HTML page, laid out for one A4 page in two columns."""

from __future__ import annotations

from html import escape

from posture.render.illustrations import exercise_svg
from posture.render.routine_text import BLOCKED_TITLE, SCREEN_INTRO, blocked, minutes, result_line, time_line
from posture.routines import Exercise, Routine
from posture.routines.safety import ScreenResult

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


def routine_html(routine: Routine, *, screen: ScreenResult | None = None) -> str:
    """A self-contained HTML page (inline CSS and SVG pictures) that prints on one A4 page."""
    e = escape
    head = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(routine.title)}</title><style>{_CSS}</style></head><body>"
    )
    disclaimer = (
        f'<p class="disclaimer"><strong>Coaching, not diagnosis.</strong> {e(routine.disclaimer)}</p>'
    )
    if blocked(screen):
        return (
            f'{head}<h1>{e(BLOCKED_TITLE)}</h1><p class="blocked">{e(screen.message)}</p>'
            f"{disclaimer}</body></html>\n"
        )
    parts = [
        head,
        f"<h1>{e(routine.title)}</h1>",
        disclaimer,
        f"<p><strong>Your result:</strong> {e(result_line(routine))}. "
        f"<strong>Time:</strong> {e(time_line(routine))}.</p>",
        f"<p><strong>Goal:</strong> {e(routine.goal)} {e(routine.rationale)}</p>",
    ]
    parts += [
        f'<p class="note"><strong>Note:</strong> {e(text)}</p>'
        for text in (routine.note, routine.retake_advice)
        if text
    ]
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
        f'<article class="card">{svg}<h2>{number}. {e(ex.name)} <small>{minutes(seconds)}</small></h2>'
        f'<p class="dose">{e(ex.dose.describe())}</p>'
        f'<p class="purpose">{e(ex.purpose)}</p><ol>{steps}</ol>'
        f"<p><strong>Tip:</strong> {e(' '.join(ex.cues))} "
        f"<strong>Mistake:</strong> {e(ex.common_mistake)}</p>"
        f"<p><strong>Easier:</strong> {e(ex.easier)} <strong>Harder:</strong> {e(ex.harder)}</p>"
        f"<p><strong>When not to do it:</strong> {e(' '.join(ex.avoid_if))}</p></article>"
    )
