"""The photo report and the comparison report as documents (``posture.render.document``):
what each holds, built once for both writers.

A measure that could not be made is written as "not measured" with its reason, never as a
number. Images are passed in ready to show (annotated, and with the face blurred when the
person asked for it: see ``posture.render.privacy.blur_face``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from posture.assess.compare import ComparisonRow
from posture.assess.errors import ErrorFigures, MarkerFigures
from posture.render.document import (
    Aside,
    Block,
    Cell,
    Details,
    Document,
    Figure,
    FigureRow,
    Heading,
    Items,
    Paragraph,
    Run,
    Table,
    runs,
)
from posture.render.handover import Recipient, error_source_text, heading_lines, made_with
from posture.render.range_picture import tilt_picture
from posture.render.tables import measure_rows, provenance
from posture.render.wording import (
    MEASURE_GUIDE,
    TECHNICAL_DETAILS,
    format_difference,
    format_value,
    kendall_text,
    markers_text,
    overlay_key,
    technical_notes,
    tilt_number_text,
    verdict_text,
)
from posture.routines import Routine
from posture.routines.safety import DISCLAIMER, RED_FLAGS, ScreenResult
from posture.types import Analysis


@dataclass(frozen=True)
class PhotoReport:
    """What the photo report shows: the analysis and its picture (RGB, annotated, or None),
    the error figures it cites, the routine (withheld when ``screen`` is blocked), whether
    the face was blurred, the title, when it was made, whom it is for (client, trainer,
    session date) and ``corrected``: measure -> the analyzer's value before a hand correction."""

    analysis: Analysis
    image: np.ndarray | None
    figures: ErrorFigures
    routine: Routine | None = None
    screen: ScreenResult | None = None
    face_blurred: bool = False
    title: str = "Posture report"
    created: datetime | None = None
    recipient: Recipient | None = None
    corrected: Mapping[str, float | None] | None = None


@dataclass(frozen=True)
class ComparisonReport:
    """What the comparison shows: the two analyses, their rows of differences, their labels
    ("before — 1 Oct"), the error figures, the aligned pictures (RGB), whether faces were
    blurred, the title and when it was made."""

    first: Analysis
    second: Analysis
    rows: Sequence[ComparisonRow]
    labels: tuple[str, str]
    figures: ErrorFigures
    images: Sequence[np.ndarray] = field(default_factory=tuple)
    face_blurred: bool = False
    title: str = "Posture comparison"
    created: datetime | None = None


def title_blocks(title: str, lines: Sequence[str]) -> list[Block]:
    """The title, then the lines under it (client, session, trainer, when made)."""
    return [Heading(title, 1), *(Paragraph.of(line, "meta") for line in lines)]


def provenance_blocks(meta: Mapping[str, Any]) -> list[Block]:
    return [
        Heading("How this was measured"),
        Paragraph.of(meta["method"], "small"),
        Heading(TECHNICAL_DETAILS, 3),
        *(Paragraph.of(line, "small") for line in (made_with(meta), *technical_notes())),
    ]


def measures_table(analysis: Analysis, corrected: Mapping[str, float | None] | None) -> Table:
    return Table(
        ("Measure", "Value", "Note", "What it means", "Normal range"),
        tuple(
            (
                Cell(r["label"]),
                Cell(r["shown"], ("num", "out") if r["flag"] else ("num",)),
                Cell(r["note"], ("out",) if r["flag"] else ("small",)),
                Cell(r["meaning"], note=f"Not measured: {r['reason']}" if r["reason"] else ""),
                Cell(r["normal"], ("small",)),
            )
            for r in measure_rows(analysis, corrected)
        ),
        (2.1, 1.3, 1.8, 3.4, 3.4),
    )


def routine_blocks(routine: Routine | None, screen: ScreenResult | None) -> list[Block]:
    """The routine given, or the safety message in its place when the screen is blocked."""
    if routine is None:
        return []
    if screen is not None and screen.blocked:
        return [Heading("Routine withheld: safety check"), Paragraph.of(screen.message, "disclaimer")]
    blocks: list[Block] = [Heading(routine.title), Paragraph.of(routine.goal)]
    blocks += [Paragraph.of(extra, "note") for extra in (routine.note, routine.retake_advice) if extra]
    items = tuple(
        (runs(Run(item.exercise.name, strong=True), f" — {item.exercise.dose.describe()}"), item.why)
        for item in routine.items
    )
    return [*blocks, Items(items), Paragraph.of(f"About {routine.total_minutes} minutes.", "small")]


def safety_blocks() -> list[Block]:
    return [
        Heading("Before you exercise"),
        Paragraph.of("If the answer to any of these questions is yes, do not start: see a doctor first."),
        Items.of([flag.question for flag in RED_FLAGS], ordered=False, size=9.0),
        Paragraph.of(DISCLAIMER, "disclaimer"),
    ]


def photo_document(report: PhotoReport) -> Document:
    """The photo report: verdict beside the photo, the measures, the routine, the safety
    questions and how it was measured."""
    analysis, image = report.analysis, report.image
    meta = provenance(
        analysis.model, figures=report.figures, created=report.created, face_blurred=report.face_blurred
    )
    verdict: list[Block] = [Paragraph.of(verdict_text(analysis), "verdict")]
    scale = tilt_picture(analysis)
    if scale:
        verdict.append(Figure(svg=scale, frame="range", in_pdf=False))
    number = tilt_number_text(analysis)
    if number:
        verdict.append(Details("Your number and how it is measured", number))
    for line in (kendall_text(analysis), markers_text(analysis, MarkerFigures.load())):
        if line:
            verdict.append(Paragraph.of(line))
    if analysis.assessment:
        verdict += [Paragraph.of(note, "small") for note in analysis.assessment.notes]
    key = overlay_key(analysis) + (" Face blurred." if report.face_blurred else "")
    picture = None
    if image is not None:
        width = min(80.0, 110.0 * image.shape[1] / image.shape[0])
        picture = Figure(image, alt="The analysed photo with the measures drawn", width_mm=width)
    blocks = [
        *title_blocks(report.title, heading_lines(report.recipient, report.created)),
        Aside(picture, tuple(verdict), Paragraph.of(key, "small")),
        Heading("Measures"),
        measures_table(analysis, report.corrected),
        *routine_blocks(report.routine, report.screen),
        *safety_blocks(),
        *provenance_blocks(meta),
    ]
    return Document(report.title, tuple(blocks))


def comparison_document(report: ComparisonReport) -> Document:
    """The comparison: both verdicts, the aligned pictures and the table of differences."""
    meta = provenance(
        report.first.model, figures=report.figures, created=report.created, face_blurred=report.face_blurred
    )
    labels = report.labels
    blocks = title_blocks(report.title, heading_lines(None, report.created))
    for label, analysis in zip(labels, (report.first, report.second)):
        blocks.append(Paragraph(runs(Run(f"{label}:", strong=True), f" {verdict_text(analysis)}")))
    if report.images:
        blocks.append(FigureRow(tuple(report.images)))
        blocks.append(
            Paragraph.of(
                "Scaled to the same body height, ankles on one baseline."
                + (" Faces blurred." if report.face_blurred else ""),
                "small",
            )
        )
    rows = tuple(
        (
            Cell(MEASURE_GUIDE[r.name].label),
            Cell(format_value(r.name, r.first), ("num",)),
            Cell(format_value(r.name, r.second), ("num",)),
            Cell(format_difference(r), ("num",)),
            Cell(error_source_text(r.error.basis, r.error.value, r.unit), ("num",)),
            Cell(r.verdict, ("nowrap", "real") if r.real else ("nowrap",)),
        )
        for r in report.rows
    )
    blocks += [
        Heading("Measures"),
        Paragraph.of(
            "Difference = second − first. A change is called real only when it is larger "
            "than the measure's error.",
            "small",
        ),
        Table(
            ("Measure", labels[0], labels[1], "Difference", "Error", "Change"),
            rows,
            (2.4, 1.7, 1.7, 1.7, 1.6, 1.5),
        ),
        Paragraph.of(DISCLAIMER, "disclaimer"),
        *provenance_blocks(meta),
    ]
    return Document(report.title, tuple(blocks))
