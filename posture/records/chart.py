"""The progress chart for reports: one small SVG panel per measure, drawn as plain text.

Each panel shows a measure over a client's sessions (x: the date, spaced by time; y: the
value in degrees) with a grey band around the first session's value whose half-height is the
smallest change that counts as real (``error``): a later point inside the band is no real
change. A point corrected by hand is drawn hollow. In the pelvic tilt panel the line and its
circles are the markerless estimate and a session saved with two skin stickers adds a diamond
(``MARKER``) at its marker tilt, with a key saying so. No plotting library: the SVG embeds in
the HTML report and fpdf2 draws it in the PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from posture.records import dates
from posture.records.entries import Session

WIDTH, PANEL_HEIGHT = 560, 130
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 22, 24
INK, BAND, GRID = "#222222", "#e3e3e3", "#bbbbbb"
COLOURS = ("#1f5fa8", "#b3541e", "#2f7d32", "#7b3fa0")
MARKER = "#7b3fa0"
"""The colour of the diamonds: a session's pelvic tilt from skin markers."""


@dataclass(frozen=True)
class Panel:
    """One measure's panel: its label ("Pelvic tilt (°)"), the error band's half-height in
    the measure's unit (None: no band), and how values are shown ("{:+.0f}")."""

    name: str
    label: str
    error: float | None
    form: str = "{:+.0f}"


def progress_svg(sessions: Sequence[Session], panels: Sequence[Panel]) -> str:
    """The chart as an SVG document (one panel per measure that has at least one value)."""
    drawn = [p for p in panels if any(s.measures.get(p.name) is not None for s in sessions)]
    height = PANEL_HEIGHT * max(1, len(drawn))
    times = [dates.parse(s.taken).timestamp() for s in sessions]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="11">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    if not drawn:
        parts.append(f'<text x="{LEFT}" y="{TOP + 20}" fill="{INK}">No measures to chart yet.</text>')
    for index, panel in enumerate(drawn):
        parts.append(_panel(sessions, times, panel, index * PANEL_HEIGHT, COLOURS[index % len(COLOURS)]))
    parts.append("</svg>")
    return "\n".join(parts)


def _panel(sessions: Sequence[Session], times: Sequence[float], panel: Panel, top: float, colour: str) -> str:
    points = [
        (t, s.measures[panel.name], panel.name in s.corrected)
        for t, s in zip(times, sessions)
        if s.measures.get(panel.name) is not None
    ]
    diamonds = [
        (t, s.tilt_markers)
        for t, s in zip(times, sessions)
        if panel.name == "pelvic_tilt" and s.tilt_markers is not None
    ]
    first = points[0][1]
    values = [v for _, v, _ in points] + [v for _, v in diamonds]
    low, high = min(values), max(values)
    if panel.error is not None:
        low, high = min(low, first - panel.error), max(high, first + panel.error)
    pad = max(1.0, 0.1 * (high - low))
    low, high = low - pad, high + pad
    t0, t1 = min(times), max(times)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, PANEL_HEIGHT - TOP - BOTTOM

    def x(t: float) -> float:
        return LEFT + (plot_w / 2 if t1 == t0 else (t - t0) / (t1 - t0) * plot_w)

    def y(v: float) -> float:
        return top + TOP + (high - v) / (high - low) * plot_h

    out = [
        f'<text x="{LEFT}" y="{top + 14}" fill="{INK}" font-weight="bold">{escape(panel.label)}</text>',
        f'<rect x="{LEFT}" y="{top + TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="{GRID}"/>',
    ]
    if panel.error is not None:
        y_hi, y_lo = y(first + panel.error), y(first - panel.error)
        out.append(
            f'<rect x="{LEFT}" y="{y_hi:.1f}" width="{plot_w}" height="{y_lo - y_hi:.1f}" fill="{BAND}"/>'
        )
        out.append(
            f'<text x="{WIDTH - RIGHT - 4}" y="{top + 14}" fill="#555555" '
            f'text-anchor="end">grey: within error of the first (±{panel.error:g})</text>'
        )
    for v in (high - pad, low + pad):
        out.append(
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" fill="{INK}" text-anchor="end">'
            f"{escape(panel.form.format(v))}</text>"
        )
    path = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v, _ in points)
    out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
    for t, v, corrected in points:
        fill = "#ffffff" if corrected else colour
        out.append(
            f'<circle cx="{x(t):.1f}" cy="{y(v):.1f}" r="4" fill="{fill}" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
    for t, v in diamonds:
        cx, cy = x(t), y(v)
        out.append(
            f'<polygon points="{cx:.1f},{cy - 5:.1f} {cx + 5:.1f},{cy:.1f} {cx:.1f},{cy + 5:.1f} '
            f'{cx - 5:.1f},{cy:.1f}" fill="{MARKER}" stroke="{MARKER}"/>'
        )
    if diamonds:  # the key, in the dates' row between the first and the last date
        kx, ky = LEFT + 120, top + PANEL_HEIGHT - 12
        out.append(
            f'<circle cx="{kx}" cy="{ky}" r="4" fill="{colour}" stroke="{colour}" stroke-width="2"/>'
            f'<text x="{kx + 8}" y="{ky + 4}" fill="{INK}">markerless estimate</text>'
            f'<polygon points="{kx + 130},{ky - 5} {kx + 135},{ky} {kx + 130},{ky + 5} {kx + 125},{ky}" '
            f'fill="{MARKER}" stroke="{MARKER}"/>'
            f'<text x="{kx + 140}" y="{ky + 4}" fill="{INK}">skin markers</text>'
        )
    label_y = top + PANEL_HEIGHT - 8
    out.append(
        f'<text x="{LEFT}" y="{label_y}" fill="{INK}">{escape(dates.local_day(sessions[0].taken))}</text>'
    )
    if len(sessions) > 1:
        out.append(
            f'<text x="{LEFT + plot_w}" y="{label_y}" fill="{INK}" text-anchor="end">'
            f"{escape(dates.local_day(sessions[-1].taken))}</text>"
        )
    return "\n".join(out)
