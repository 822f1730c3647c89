"""A routine as a one-page ``sheet`` document (``posture.render.document``) for the HTML and
the PDF writer: the disclaimer, the result and goal, the safety checklist and one card per
exercise with its picture. With a blocked screen: only the safety message and the disclaimer.
"""

from __future__ import annotations

from posture.render.document import Block, Card, Cards, Checklist, Document, Heading, Paragraph, Run, runs
from posture.render.illustrations import exercise_svg
from posture.render.routine_text import BLOCKED_TITLE, SCREEN_INTRO, blocked, minutes, result_line, time_line
from posture.routines import Routine, RoutineItem
from posture.routines.safety import ScreenResult

SUBJECT = "Hip exercise routine. Coaching, not diagnosis."


def routine_document(routine: Routine, *, screen: ScreenResult | None = None) -> Document:
    """The routine sheet; exercises only when the screen (if given) is not blocked."""
    disclaimer = Paragraph(
        runs(Run("Coaching, not diagnosis.", strong=True), f" {routine.disclaimer}"), "disclaimer"
    )
    if blocked(screen):
        blocks: tuple[Block, ...] = (
            Heading(BLOCKED_TITLE, 1),
            Paragraph.of(screen.message, "blocked"),
            disclaimer,
        )
        return Document(routine.title, blocks, "sheet", SUBJECT)
    lines: list[Block] = [
        Heading(routine.title, 1),
        disclaimer,
        Paragraph(
            runs(
                Run("Your result:", strong=True),
                f" {result_line(routine)}. ",
                Run("Time:", strong=True),
                f" {time_line(routine)}.",
            )
        ),
        Paragraph(runs(Run("Goal:", strong=True), f" {routine.goal} {routine.rationale}")),
    ]
    lines += [
        Paragraph(runs(Run("Note:", strong=True), f" {text}"), "note")
        for text in (routine.note, routine.retake_advice)
        if text
    ]
    if screen is not None and not screen.unanswered:
        intro = f" {screen.message} If any of these appears later, stop and seek medical care."
    else:
        intro = f" {SCREEN_INTRO}"
    lines.append(
        Checklist(
            runs(Run("Before you start: safety check.", strong=True), intro),
            tuple(flag.question for flag in routine.red_flags),
        )
    )
    cards = tuple(card(number, item) for number, item in enumerate(routine.items, 1))
    return Document(routine.title, (*lines, Cards(cards)), "sheet", SUBJECT)


def card(number: int, item: RoutineItem) -> Card:
    """One exercise's card: its picture when it has a pose, its dose, steps and advice."""
    ex = item.exercise
    return Card(
        number=number,
        name=ex.name,
        minutes=minutes(item.seconds),
        svg=exercise_svg(ex) or "",
        dose=ex.dose.describe(),
        purpose=ex.purpose,
        steps=tuple(ex.steps),
        advice=(
            runs(
                Run("Tip:", strong=True),
                f" {' '.join(ex.cues)} ",
                Run("Mistake:", strong=True),
                f" {ex.common_mistake}",
            ),
            runs(Run("Easier:", strong=True), f" {ex.easier} ", Run("Harder:", strong=True), f" {ex.harder}"),
            runs(Run("When not to do it:", strong=True), f" {' '.join(ex.avoid_if)}"),
        ),
    )
