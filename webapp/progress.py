"""The Clients page's progress chart (Altair, which Streamlit ships): one panel per trended
measure over a client's sessions, with the band of values within measurement error of the
first session (the errors from ``posture.assess.compare.measurement_errors``).

The pelvic tilt panel marks where each session's tilt came from: the line and its circles are
the markerless estimate (every session has one, so the trend compares like with like); a
session saved with the two skin stickers adds a diamond, in another colour, at the marker
tilt, which is the tilt reported for it. The legend names both.

The x axis is the sessions in order, one step each, named by their date (and time when a day
has several: three sessions on one day are three points in a row, not one vertical line); the
tooltip gives the date and time. Each panel is its own chart that fits the page's width
(``width="stretch"``), down to a 390 px phone (issue 20)."""

from __future__ import annotations

import altair as alt

from posture.records import dates, history
from posture.records.entries import Session
from posture.records.report import TREND_MEASURES
from posture.render.wording import MEASURE_GUIDE, format_value

COLOURS = ("#1f5fa8", "#b3541e", "#2f7d32")
MARKER_COLOUR = "#7b3fa0"
PANEL_HEIGHT = 280
"""Pixels of one panel with its title, legend and two-line axis labels (the chart fits it)."""
ESTIMATE_READING, MARKER_READING = "markerless estimate", "skin markers"
"""The legend's names of the two tilt readings."""


def progress_charts(sessions: list[Session], errors) -> list[alt.LayerChart]:
    """One panel per trended measure: the values session by session and the band of no real
    change (drawn only where the measure's change limit was measured: ``error.measured``)."""
    panels = []
    names = session_names(sessions)
    x = alt.X(
        "when:N",
        title=None,
        sort=names,
        scale=alt.Scale(domain=names),
        axis=alt.Axis(labelAngle=0, labelOverlap="greedy", labelExpr="split(datum.label, ', ')"),
    )
    for name, colour in zip(TREND_MEASURES, COLOURS):
        label = MEASURE_GUIDE[name].label
        rows = [
            {
                **r,
                "date": _naive(r["date"]),
                "when": names[r["session"] - 1],
                "shown": format_value(name, r["value"]),
            }
            for r in history.series(sessions, [name], {name: label})
        ]
        if not rows:
            continue
        y = alt.Y("value:Q", title=f"{label} (°)", scale=alt.Scale(zero=False))
        line = alt.Chart(alt.Data(values=rows)).mark_line(color=colour).encode(x=x, y=y)
        if name == "pelvic_tilt":
            rows = [{**r, "reading": ESTIMATE_READING} for r in rows] + marker_rows(sessions, names)
        points = _points(rows, x, y, label, colour, legend=name == "pelvic_tilt")
        layers = [line, points]
        error = errors.get(name)
        band = history.error_band(sessions, name, error.value if error and error.measured else None, label)
        if band is not None:
            layers.insert(
                0,
                alt.Chart(alt.Data(values=[band]))
                .mark_rect(color="#9e9e9e", opacity=0.25)
                .encode(y="low:Q", y2="high:Q"),
            )
        panels.append(alt.layer(*layers).properties(height=PANEL_HEIGHT, title=label))
    return panels


def session_names(sessions: list[Session]) -> list[str]:
    """The x axis's name of each session, in order: its day ("1 Sep 2026"), with the time when
    that day has several ("1 Sep 2026, 10:05"), numbered when even the minute repeats."""
    days = [dates.local_day(s.taken) for s in sessions]
    names = [dates.local_text(s.taken) if days.count(day) > 1 else day for s, day in zip(sessions, days)]
    return [
        name if names.count(name) == 1 else f"{name} ({names[:i].count(name) + 1})"
        for i, name in enumerate(names)
    ]


def marker_rows(sessions: list[Session], names: list[str]) -> list[dict]:
    """The pelvic tilt panel's diamonds: one row per session with a marker tilt (degrees,
    anterior positive), in the rows' form (``reading`` = ``MARKER_READING``); ``names`` from
    ``session_names``."""
    return [
        {
            "date": _naive(s.taken),
            "when": names[number - 1],
            "session": number,
            "value": s.tilt_markers,
            "corrected": False,
            "shown": f"{s.tilt_markers:+.0f}° (estimate {format_value('pelvic_tilt', s.tilt_estimate)})",
            "reading": MARKER_READING,
        }
        for number, s in enumerate(sessions, 1)
        if s.tilt_markers is not None
    ]


def _points(rows: list[dict], x, y, label: str, colour: str, *, legend: bool) -> alt.Chart:
    """The points of a panel: filled (hollow when corrected by hand); with ``legend`` coloured
    and shaped by their ``reading`` (circle: markerless estimate, diamond: skin markers)."""
    tooltip = [
        alt.Tooltip("date:T", title="Date", format="%d %b %Y %H:%M"),
        alt.Tooltip("shown:N", title=label),
        alt.Tooltip("corrected:N", title="Corrected"),
    ]
    chart = alt.Chart(alt.Data(values=rows))
    if not legend:
        return chart.mark_point(size=70, color=colour).encode(
            x=x,
            y=y,
            fill=alt.condition("datum.corrected", alt.value("white"), alt.value(colour)),
            tooltip=tooltip,
        )
    readings = [r for r in (ESTIMATE_READING, MARKER_READING) if any(row["reading"] == r for row in rows)]
    colours = [colour if r == ESTIMATE_READING else MARKER_COLOUR for r in readings]
    shapes = ["circle" if r == ESTIMATE_READING else "diamond" for r in readings]
    scale = alt.Scale(domain=readings, range=colours)
    return chart.mark_point(size=70, filled=False, strokeWidth=2).encode(
        x=x,
        y=y,
        color=alt.Color("reading:N", scale=scale, legend=alt.Legend(title="Tilt from", orient="top")),
        shape=alt.Shape("reading:N", scale=alt.Scale(domain=readings, range=shapes)),
        fill=alt.condition(
            "datum.corrected", alt.value("white"), alt.Fill("reading:N", scale=scale, legend=None)
        ),
        tooltip=[*tooltip[:2], alt.Tooltip("reading:N", title="Tilt from"), tooltip[2]],
    )


def _naive(taken: str) -> str:
    """The local wall-clock time without its offset: Vega-Lite shows it as recorded."""
    return dates.parse(taken).replace(tzinfo=None).isoformat()
