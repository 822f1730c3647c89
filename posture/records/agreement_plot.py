"""The Bland–Altman plot of the markerless estimate against the skin markers, as SVG text.

x: the mean of the two readings of a photo, (estimate + markers) / 2, degrees; y: their
difference, estimate − markers, degrees (anterior tilt positive, so a point above zero is a
photo the estimate reads more anteriorly tilted than the stickers do). Lines: the bias
(solid), the 95% limits of agreement (dashed) and zero (grey). No plotting library: the SVG is
shown by the Clients page and written by ``posture agreement --svg``.
"""

from __future__ import annotations

import math
from html import escape

from posture.records import dates
from posture.records.agreement import Agreement

WIDTH, HEIGHT = 560, 380
LEFT, RIGHT, TOP, BOTTOM = 60, 120, 30, 50
INK, GRID, POINT, BIAS, LIMIT = "#222222", "#bbbbbb", "#1f5fa8", "#b3541e", "#7b3fa0"


def bland_altman_svg(a: Agreement) -> str:
    """The plot as an SVG document (see the module docstring): one point per marker session,
    its date as the point's tooltip. With too few pairs, the reason instead of the plot."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="18" fill="{INK}" font-weight="bold">'
        f"Markerless estimate against skin markers (Bland–Altman, {a.n} sessions)</text>",
    ]
    if not a.enough:
        parts.append(f'<text x="{LEFT}" y="{TOP + 40}" fill="{INK}">{escape(a.reason or "")}.</text>')
        parts.append("</svg>")
        return "\n".join(parts)
    means = [p.mean for p in a.pairs]
    diffs = [p.difference for p in a.pairs]
    x_lo, x_hi = _padded(min(means), max(means))
    y_lo, y_hi = _padded(min(diffs + [a.lower, 0.0]), max(diffs + [a.upper, 0.0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(v: float) -> float:
        return LEFT + (v - x_lo) / (x_hi - x_lo) * plot_w

    def y(v: float) -> float:
        return TOP + (y_hi - v) / (y_hi - y_lo) * plot_h

    parts.append(
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="{GRID}"/>'
    )
    for tick in _ticks(x_lo, x_hi):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{TOP + plot_h}" x2="{x(tick):.1f}" y2="{TOP + plot_h + 4}" '
            f'stroke="{INK}"/><text x="{x(tick):.1f}" y="{TOP + plot_h + 16}" fill="{INK}" '
            f'text-anchor="middle">{tick:g}</text>'
        )
    for tick in _ticks(y_lo, y_hi):
        parts.append(
            f'<line x1="{LEFT - 4}" y1="{y(tick):.1f}" x2="{LEFT}" y2="{y(tick):.1f}" stroke="{INK}"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" fill="{INK}" text-anchor="end">{_signed(tick)}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{y(0.0):.1f}" x2="{LEFT + plot_w}" y2="{y(0.0):.1f}" stroke="{GRID}"/>'
    )
    for value, colour, dash, label in (
        (a.bias, BIAS, "", f"bias {_signed(round(a.bias, 1))}°"),
        (a.upper, LIMIT, ' stroke-dasharray="6 4"', f"+1.96 SD {_signed(round(a.upper, 1))}°"),
        (a.lower, LIMIT, ' stroke-dasharray="6 4"', f"−1.96 SD {_signed(round(a.lower, 1))}°"),
    ):
        parts.append(
            f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{LEFT + plot_w}" y2="{y(value):.1f}" '
            f'stroke="{colour}" stroke-width="1.5"{dash}/>'
            f'<text x="{LEFT + plot_w + 6}" y="{y(value) + 4:.1f}" fill="{colour}">{escape(label)}</text>'
        )
    for p in a.pairs:
        parts.append(
            f'<circle cx="{x(p.mean):.1f}" cy="{y(p.difference):.1f}" r="4" fill="{POINT}" '
            f'fill-opacity="0.7" stroke="{POINT}"><title>{escape(dates.local_day(p.taken))}: '
            f"markers {_signed(round(p.markers, 1))}°, estimate {_signed(round(p.estimate, 1))}°</title></circle>"
        )
    parts.append(
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 12}" fill="{INK}" text-anchor="middle">'
        "Mean of marker tilt and estimate (°)</text>"
    )
    parts.append(
        f'<text x="14" y="{TOP + plot_h / 2:.1f}" fill="{INK}" text-anchor="middle" '
        f'transform="rotate(-90 14 {TOP + plot_h / 2:.1f})">Estimate − markers (°)</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


def _padded(low: float, high: float) -> tuple[float, float]:
    pad = max(1.0, 0.1 * (high - low))
    return low - pad, high + pad


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2 or 5 times a power of ten) inside low..high."""
    raw = (high - low) / count
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + 1e-9:
        ticks.append(round(value, 6) + 0.0)
        value += step
    return ticks


def _signed(value: float) -> str:
    """A tick of the difference axis: "+2", "0", "−2" (a true minus sign)."""
    return "0" if value == 0 else f"{value:+g}".replace("-", "−")
