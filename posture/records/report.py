"""A client's progress report, to hand over: HTML (prints on A4) and PDF.

What it holds, in the client's words: their name, the trainer's name, the dates in the local
time they were recorded, the latest picture (the photo when the client agreed to store
photos, else the face-free silhouette), the latest numbers with their meaning and normal
range (out-of-range values marked in words and colour, hand-corrected values marked), the
change since the first session judged against the measurement error, the progress chart,
every session in a table and the routine given. No internal names, file names or UTC stamps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from posture.assess.compare import MeasurementError
from posture.assess.errors import ErrorFigures
from posture.records import dates, history
from posture.records.chart import Panel, progress_svg
from posture.records.entries import Client, Session
from posture.render.document import Aside, Block, Cell, Document, Figure, Heading, Items, Paragraph, Table
from posture.render.handover import normal_ranges, range_word
from posture.render.html_writer import write_html
from posture.render.wording import (
    MEASURE_GUIDE,
    NOT_COMPARED_VERDICT,
    format_value,
    kendall_name,
    method_note,
)
from posture.routines.safety import DISCLAIMER

TREND_MEASURES = ("pelvic_tilt", "lumbar_lordosis", "trunk_inclination")
"""The measures charted and trended: the tilt, the lumbar curve and the trunk lean."""


@dataclass(frozen=True)
class Handover:
    """Everything the report shows besides the sessions: who it is for and by whom, the
    latest picture (RGB, ready to show) and the error figures and thresholds' ranges."""

    client: Client
    trainer: str
    figures: ErrorFigures
    errors: Mapping[str, MeasurementError]
    normal: Mapping[str, tuple[float | None, float | None]] = field(default_factory=normal_ranges)
    picture: np.ndarray | None = None
    picture_is_photo: bool = False


def latest_rows(
    session: Session, normal: Mapping[str, tuple[float | None, float | None]]
) -> list[dict[str, str]]:
    """The latest session's measures for people: label, value, flags, meaning, normal range."""
    rows = []
    for name, value in session.measures.items():
        guide = MEASURE_GUIDE.get(name)
        if guide is None:
            continue
        flags = [
            w
            for w in (
                range_word(name, value, normal),
                "corrected by hand" if name in session.corrected else "",
            )
            if w
        ]
        rows.append(
            {
                "name": name,
                "label": guide.label,
                "value": format_value(name, value),
                "flags": ", ".join(flags),
                "out": bool(range_word(name, value, normal)),
                "meaning": guide.meaning,
                "normal": guide.normal,
            }
        )
    return rows


def trend_rows(sessions: Sequence[Session], errors: Mapping[str, MeasurementError]) -> list[dict[str, str]]:
    """First, latest, change and whether it exceeds the measurement error, per trended measure;
    a measure whose change limit was not measured (``error.measured``) gets no error and the
    verdict ``NOT_COMPARED_VERDICT``."""
    rows = []
    for name in TREND_MEASURES:
        error = errors.get(name)
        unmeasured = error is not None and not error.measured
        error = None if unmeasured else error
        t = history.trend(sessions, name, error.value if error else None)
        if t.first is None:
            continue
        if unmeasured and t.count > 1:
            verdict = NOT_COMPARED_VERDICT
        elif t.real is None:
            verdict = "one session only" if t.count < 2 else "cannot say"
        else:
            verdict = "real change" if t.real else "within measurement error"
        rows.append(
            {
                "label": MEASURE_GUIDE[name].label,
                "first": format_value(name, t.first),
                "last": format_value(name, t.last),
                "change": "—" if t.change is None else f"{t.change:+.1f}°",
                "error": f"±{error.value:g}°" if error else "—",
                "verdict": verdict,
                "real": bool(t.real),
            }
        )
    return rows


METHOD_WORDS = {"markers": "skin markers", "estimate": "estimate (no markers)"}
"""How the report names where a session's pelvic tilt came from (``Session.method``)."""


def tilt_source(session: Session) -> str:
    """Where the session's pelvic tilt came from, in the client's words ("—" with no tilt)."""
    if session.tilt_degrees is None:
        return "—"
    return METHOD_WORDS[session.method]


def session_rows(sessions: Sequence[Session]) -> list[dict[str, str]]:
    """One row per session: date, tilt class, where the tilt came from, the trended
    measures (``*`` when corrected by hand) and the routine, in the tables' column order."""
    rows = []
    for s in sessions:
        cells = {
            "date": dates.local_text(s.taken),
            "class": (f"{s.tilt_class} ({s.confidence:.0%})" if s.tilt_class else "—")
            + (f", {kendall_name(s.kendall)}" if s.kendall else ""),
            "tilt_from": tilt_source(s),
        }
        for name in TREND_MEASURES:
            cells[name] = format_value(name, s.measures.get(name)) + (" *" if name in s.corrected else "")
        cells["routine"] = s.routine_title or "—"
        rows.append(cells)
    return rows


def routine_lines(session: Session) -> list[str]:
    """The routine given at ``session``: a heading, then one line per exercise ([] if none)."""
    if not session.routine_title:
        return []
    return [f"Your routine: {session.routine_title}", *session.exercises]


def chart(sessions: Sequence[Session], errors: Mapping[str, MeasurementError]) -> str:
    return progress_svg(
        sessions,
        [
            Panel(
                name,
                f"{MEASURE_GUIDE[name].label} (°)",
                errors[name].value if name in errors and errors[name].measured else None,
                "{:.0f}" if name == "lumbar_lordosis" else "{:+.0f}",
            )
            for name in TREND_MEASURES
        ],
    )


def heading_lines(sessions: Sequence[Session], handover: Handover) -> list[str]:
    lines = [f"Prepared by {handover.trainer}" if handover.trainer else ""]
    if sessions:
        lines.append(
            f"{len(sessions)} session(s), {dates.local_day(sessions[0].taken)} to "
            f"{dates.local_day(sessions[-1].taken)}"
        )
    return [line for line in lines if line]


def verdict_line(session: Session) -> str:
    if not session.tilt_class or session.tilt_degrees is None:
        return "Pelvic tilt: could not be estimated."
    source = " from skin markers" if session.method == "markers" else ""
    return (
        f"{session.tilt_class.capitalize()} pelvic tilt, {session.tilt_degrees:+.0f}°{source} "
        f"(confidence {session.confidence or 0:.0%})"
    )


def progress_document(sessions: Sequence[Session], handover: Handover) -> Document:
    """The report as a document, for the HTML and the PDF writer alike."""
    title = f"Posture progress — {handover.client.name}"
    blocks: list[Block] = [Heading(title, 1)]
    blocks += [Paragraph.of(line, "meta") for line in heading_lines(sessions, handover)]
    if not sessions:
        return Document(title, (*blocks, Paragraph.of("No sessions saved yet.")))
    last = sessions[-1]
    picture = None
    if handover.picture is not None:
        shape = handover.picture.shape
        what = "photo" if handover.picture_is_photo else "outline (no photo stored)"
        width = min(70.0, 100.0 * shape[1] / shape[0])
        picture = Figure(handover.picture, alt=f"Latest {what}", width_mm=width)
    latest = tuple(
        (
            Cell(r["label"]),
            Cell(r["value"], ("num", "out") if r["out"] else ("num",)),
            Cell(r["flags"], ("out",) if r["out"] else ("corr",)),
            Cell(r["meaning"]),
            Cell(r["normal"], ("small",)),
        )
        for r in latest_rows(last, handover.normal)
    )
    trend = tuple(
        (
            Cell(r["label"]),
            *(Cell(r[key], ("num",)) for key in ("first", "last", "change", "error")),
            Cell(r["verdict"], ("real",) if r["real"] else ()),
        )
        for r in trend_rows(sessions, handover.errors)
    )
    measures = tuple(MEASURE_GUIDE[n].label for n in TREND_MEASURES)
    every = tuple(tuple(Cell(v) for v in r.values()) for r in session_rows(sessions))
    blocks += [
        Heading(f"Latest session: {dates.local_text(last.taken)}"),
        Aside(picture, (Paragraph.of(verdict_line(last), "verdict"),)),
        Table(LATEST_HEADER, latest, (2.2, 1.4, 1.8, 3.6, 3.6)),
        Heading("Since the first session"),
        Table(TREND_HEADER, trend, (2.2, 1.4, 1.4, 1.2, 1.2, 2.6)),
        Paragraph.of(
            "A change is called real only when it is larger than the measure's measurement error.", "small"
        ),
        Figure(svg=chart(sessions, handover.errors), frame="chart", width_mm=170.0),
        Paragraph.of(
            "Grey band: values within measurement error of the first session. Hollow points: corrected by hand.",
            "small",
        ),
        Heading("All sessions"),
        Table(
            ("Date", "Pelvic tilt class", "Tilt from", *measures, "Routine"), every, SESSION_WIDTHS, size=8.0
        ),
        Paragraph.of("* corrected by hand.", "small"),
    ]
    routine = routine_lines(last)
    if routine:
        blocks += [Heading(routine[0]), Items.of(routine[1:])]
    blocks += [Paragraph.of(method_note(handover.figures), "small"), Paragraph.of(DISCLAIMER, "disclaimer")]
    return Document(title, tuple(blocks))


LATEST_HEADER = ("Measure", "Value", "Note", "What it means", "Normal range")
TREND_HEADER = ("Measure", "First", "Latest", "Change", "Error", "Verdict")
SESSION_WIDTHS = (2.0, 2.0, 1.5, 1.3, 1.3, 1.3, 2.6)


def progress_html(sessions: Sequence[Session], handover: Handover) -> str:
    """The report as one self-contained HTML page."""
    return write_html(progress_document(sessions, handover))
