"""A routine as a document the person keeps: plain text, Markdown or a JSON dict; the printable
HTML and PDF (``to_html``, ``to_pdf``) are the sheet of ``posture.render.routine_doc``
written by the one HTML writer and the one PDF writer.

Every format starts with the coaching disclaimer and the safety screen. When the screen is
given and blocked, the document holds only the safety message: no exercises.

The printable formats (HTML and PDF) are laid out for one A4 page in two columns; the PDF
shrinks its type size until the page is full rather than spill onto a second page.
"""

from __future__ import annotations

from typing import Any

from posture.render.html_writer import write_html
from posture.render.pdf_writer import write_pdf
from posture.render.routine_doc import routine_document
from posture.render.routine_text import BLOCKED_TITLE, SCREEN_INTRO, blocked, minutes, result_line, time_line
from posture.routines import Exercise, Routine
from posture.routines.safety import ScreenResult


def to_dict(routine: Routine, *, screen: ScreenResult | None = None) -> dict[str, Any]:
    """A JSON-ready dict. ``routine`` is None in it when the screen is blocked."""
    return {
        "disclaimer": routine.disclaimer,
        "safety": {
            "questions": [
                {"id": f.id, "question": f.question, "urgent": f.urgent} for f in routine.red_flags
            ],
            "screen": None
            if screen is None
            else {
                "blocked": screen.blocked,
                "urgent": screen.urgent,
                "message": screen.message,
                "flags": [f.id for f in screen.flags],
                "unanswered": list(screen.unanswered),
            },
        },
        "routine": None if blocked(screen) else _routine_dict(routine),
    }


def to_text(routine: Routine, *, screen: ScreenResult | None = None) -> str:
    """The routine as plain text for a terminal."""
    lines = [routine.title if not blocked(screen) else BLOCKED_TITLE, ""]
    lines += ["Coaching, not diagnosis. " + routine.disclaimer, ""]
    if blocked(screen):
        lines += [screen.message, ""]
        return "\n".join(lines)
    lines += [
        f"Your result: {result_line(routine)}",
        f"Goal: {routine.goal}",
        f"Time: {time_line(routine)}",
        "",
        f"Why this routine: {routine.rationale}",
    ]
    lines += [f"Note: {text}" for text in (routine.note, routine.retake_advice) if text]
    lines += ["", "SAFETY CHECK"]
    lines += _screen_lines(routine, screen, checkbox="[ ]")
    for number, item in enumerate(routine.items, 1):
        ex = item.exercise
        lines += [
            "",
            f"{number}. {ex.name.upper()}  ({minutes(item.seconds)})",
            f"   {ex.purpose} {ex.targets}",
            f"   Why here: {item.why}",
            f"   Dose: {ex.dose.describe()}",
        ]
        if ex.equipment:
            lines.append(f"   You need: {', '.join(ex.equipment)}.")
        lines += [f"   {i}) {step}" for i, step in enumerate(ex.steps, 1)]
        lines += [f"   Tip: {cue}" for cue in ex.cues]
        lines += [
            f"   Common mistake: {ex.common_mistake}",
            f"   Easier: {ex.easier}",
            f"   Harder: {ex.harder}",
            f"   When not to do it: {' '.join(ex.avoid_if)}",
        ]
    return "\n".join(lines) + "\n"


def to_markdown(routine: Routine, *, screen: ScreenResult | None = None) -> str:
    """The routine as a Markdown document (no pictures: many viewers block inline images)."""
    if blocked(screen):
        return "\n".join(
            [
                f"# {BLOCKED_TITLE}",
                "",
                f"**{screen.message}**",
                "",
                f"> **Coaching, not diagnosis.** {routine.disclaimer}",
                "",
            ]
        )
    md = [
        f"# {routine.title}",
        "",
        f"> **Coaching, not diagnosis.** {routine.disclaimer}",
        "",
        f"**Your result:** {result_line(routine)}  ",
        f"**Goal:** {routine.goal}  ",
        f"**Time:** {time_line(routine)}",
        "",
        f"**Why this routine:** {routine.rationale}",
        "",
    ]
    md += [f"> **Note:** {text}\n" for text in (routine.note, routine.retake_advice) if text]
    md += ["## Before you start: safety check", ""]
    md += _screen_lines(routine, screen, checkbox="- [ ]")
    md += ["", "## Exercises"]
    for number, item in enumerate(routine.items, 1):
        ex = item.exercise
        md += [
            "",
            f"### {number}. {ex.name} ({minutes(item.seconds)})",
            "",
            f"*{ex.purpose}* {ex.targets}  ",
            f"**Why here:** {item.why}  ",
            f"**Dose:** {ex.dose.describe()}  ",
        ]
        if ex.equipment:
            md.append(f"**You need:** {', '.join(ex.equipment)}.")
        md.append("")
        md += [f"{i}. {step}" for i, step in enumerate(ex.steps, 1)]
        md += [
            "",
            *[f"- **Tip:** {cue}" for cue in ex.cues],
            f"- **Common mistake:** {ex.common_mistake}",
            f"- **Easier:** {ex.easier}",
            f"- **Harder:** {ex.harder}",
            f"- **When not to do it:** {' '.join(ex.avoid_if)}",
        ]
    return "\n".join(md) + "\n"


def _screen_lines(routine: Routine, screen: ScreenResult | None, *, checkbox: str) -> list[str]:
    if screen is not None and not screen.unanswered:
        return [
            screen.message,
            "If any of these appears later, stop and seek medical care:",
            *[f"- {f.short}" for f in routine.red_flags],
        ]
    lines = [SCREEN_INTRO, ""] if screen is None else [screen.message, ""]
    lines += [
        f"{checkbox} {f.question}" for f in routine.red_flags if screen is None or f.id in screen.unanswered
    ]
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
        "id": ex.id,
        "name": ex.name,
        "purpose": ex.purpose,
        "kind": ex.kind,
        "stretches": list(ex.stretches),
        "strengthens": list(ex.strengthens),
        "equipment": list(ex.equipment),
        "steps": list(ex.steps),
        "dose": {
            "sets": dose.sets,
            "reps": dose.reps,
            "rep_unit": dose.rep_unit,
            "per_side": dose.per_side,
            "tempo_seconds": dose.tempo_seconds,
            "hold_seconds": dose.hold_seconds,
            "breaths": dose.breaths,
            "setup_seconds": dose.setup_seconds,
            "rest_seconds": dose.rest_seconds,
            "seconds": dose.seconds,
            "text": dose.describe(),
        },
        "cues": list(ex.cues),
        "common_mistake": ex.common_mistake,
        "easier": ex.easier,
        "harder": ex.harder,
        "avoid_if": list(ex.avoid_if),
        "has_picture": ex.pose is not None,
    }


def to_pdf(routine: Routine, *, screen: ScreenResult | None = None) -> bytes:
    """The routine as a one-page A4 PDF (see ``posture.render.pdf_sheet``)."""
    return write_pdf(routine_document(routine, screen=screen))


def to_html(routine: Routine, *, screen: ScreenResult | None = None) -> str:
    """The routine as one printable A4 HTML page (inline CSS and SVG pictures)."""
    return write_html(routine_document(routine, screen=screen))
