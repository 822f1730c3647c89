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
from html import escape

import numpy as np

from posture.assess.compare import MeasurementError
from posture.assess.errors import ErrorFigures
from posture.image.encode import image_data_uri
from posture.records import dates, history
from posture.records.chart import Panel, progress_svg
from posture.records.entries import Client, Session
from posture.render.handover import normal_ranges, range_word
from posture.render.report_html import _page
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

EXTRA_CSS = """
.out { color: #8a1c00; font-weight: 600; } .corr { color: #1f5fa8; }
.chart svg { max-width: 100%; height: auto; }
"""


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


def progress_html(sessions: Sequence[Session], handover: Handover) -> str:
    """The report as one self-contained HTML page."""
    title = f"Posture progress — {handover.client.name}"
    body = [f"<h1>{escape(title)}</h1>"]
    body += [f"<p class='meta'>{escape(line)}</p>" for line in heading_lines(sessions, handover)]
    if not sessions:
        body.append("<p>No sessions saved yet.</p>")
        return _page(title, "".join(body)).replace("</style>", EXTRA_CSS + "</style>")
    last = sessions[-1]
    picture = ""
    if handover.picture is not None:
        what = "photo" if handover.picture_is_photo else "outline (no photo stored)"
        picture = (
            f"<div class='figure'><img alt='Latest {what}' src='{image_data_uri(handover.picture)}'></div>"
        )
    body.append(
        f"<h2>Latest session: {escape(dates.local_text(last.taken))}</h2>"
        f"<div class='top'>{picture}<div><p class='verdict'>{escape(verdict_line(last))}</p>" + "</div></div>"
    )
    lines = "".join(
        f"<tr><td>{escape(r['label'])}</td><td class='num{' out' if r['out'] else ''}'>"
        f"{escape(r['value'])}</td><td class='{'out' if r['out'] else 'corr'}'>"
        f"{escape(r['flags'])}</td><td>{escape(r['meaning'])}</td>"
        f"<td class='small'>{escape(r['normal'])}</td></tr>"
        for r in latest_rows(last, handover.normal)
    )
    body.append(
        "<table><tr><th>Measure</th><th>Value</th><th>Note</th><th>What it means</th>"
        f"<th>Normal range</th></tr>{lines}</table>"
    )
    trend = "".join(
        f"<tr><td>{escape(r['label'])}</td><td class='num'>{escape(r['first'])}</td>"
        f"<td class='num'>{escape(r['last'])}</td><td class='num'>{escape(r['change'])}</td>"
        f"<td class='num'>{escape(r['error'])}</td><td class='{'real' if r['real'] else ''}'>"
        f"{escape(r['verdict'])}</td></tr>"
        for r in trend_rows(sessions, handover.errors)
    )
    body.append(
        "<h2>Since the first session</h2><table><tr><th>Measure</th><th>First</th>"
        "<th>Latest</th><th>Change</th><th>Error</th><th>Verdict</th></tr>"
        f"{trend}</table><p class='small'>A change is called real only when it is larger "
        "than the measure's measurement error.</p>"
        f"<div class='chart'>{chart(sessions, handover.errors)}</div>"
        "<p class='small'>Grey band: values within measurement error of the first "
        "session. Hollow points: corrected by hand.</p>"
    )
    head = "".join(f"<th>{escape(MEASURE_GUIDE[n].label)}</th>" for n in TREND_MEASURES)
    cells = "".join(
        "<tr>" + "".join(f"<td>{escape(v)}</td>" for v in r.values()) + "</tr>"
        for r in session_rows(sessions)
    )
    body.append(
        f"<h2>All sessions</h2><table><tr><th>Date</th><th>Pelvic tilt class</th><th>Tilt from</th>{head}"
        f"<th>Routine</th></tr>{cells}</table><p class='small'>* corrected by hand.</p>"
    )
    routine = routine_lines(last)
    if routine:
        body.append(
            f"<h2>{escape(routine[0])}</h2><ol>"
            + "".join(f"<li>{escape(line)}</li>" for line in routine[1:])
            + "</ol>"
        )
    body.append(
        f"<p class='small'>{escape(method_note(handover.figures))}</p>"
        f"<p class='disclaimer'>{escape(DISCLAIMER)}</p>"
    )
    return _page(title, "".join(body)).replace("</style>", EXTRA_CSS + "</style>")
