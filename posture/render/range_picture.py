"""A small picture of a typical range with the person's mark on it: an SVG string.

Pure function, no files, no fonts beyond the browser's sans-serif: HTML inlines it, the page
shows it as an image. The scale runs left to right from ``axis[0]`` to ``axis[1]`` (degrees);
a value outside the axis is drawn at its end, with an arrow.
"""

from __future__ import annotations

from html import escape

BAND = "#cfe8d4"
MARK = "#c0392b"
INK = "#333333"


def range_svg(
    value: float,
    *,
    low: float,
    high: float,
    axis: tuple[float, float] = (-15.0, 35.0),
    left_word: str = "tipped back",
    right_word: str = "tipped forward",
    title: str = "",
    width_px: int = 360,
) -> str:
    """The scale ``axis`` with the band ``low``..``high`` shaded and a mark at ``value``.

    Parameters
    ----------
    value : the person's value, degrees.
    low, high : the typical range, degrees (``low < high``).
    axis : the ends of the scale, degrees.
    left_word, right_word : what the two ends of the scale mean for the person.
    title : the picture's title (read by screen readers).
    width_px : the picture's width; the height is a fixed 0.25 of it.

    Raises
    ------
    ValueError : ``low >= high`` or an empty axis.
    """
    start, end = axis
    if not low < high or not start < end:
        raise ValueError(f"need low < high and axis[0] < axis[1]; got {low}, {high}, {axis}")
    w, h, pad = 400.0, 100.0, 20.0

    def x(v: float) -> float:
        return pad + (min(max(v, start), end) - start) / (end - start) * (w - 2 * pad)

    bar_y, bar_h = 48.0, 14.0
    mx = x(value)
    outside = value < start or value > end
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:g} {h:g}" width="{width_px}" '
        f'height="{round(width_px * h / w)}" role="img" font-family="sans-serif">',
        f"<title>{escape(title)}</title>" if title else "",
        f'<rect x="{pad:g}" y="{bar_y:g}" width="{w - 2 * pad:g}" height="{bar_h:g}" fill="#eeeeee"/>',
        f'<rect class="typical" x="{x(low):.1f}" y="{bar_y:g}" width="{x(high) - x(low):.1f}" '
        f'height="{bar_h:g}" fill="{BAND}"/>',
        f'<text x="{(x(low) + x(high)) / 2:.1f}" y="{bar_y + bar_h + 16:g}" font-size="12" '
        f'text-anchor="middle" fill="{INK}">typical {low:+g}° to {high:+g}°</text>',
        f'<text x="{pad:g}" y="{h - 6:g}" font-size="11" fill="{INK}">← {escape(left_word)}</text>',
        f'<text x="{w - pad:g}" y="{h - 6:g}" font-size="11" text-anchor="end" fill="{INK}">'
        f"{escape(right_word)} →</text>",
        f'<line class="mark" x1="{mx:.1f}" y1="{bar_y - 8:g}" x2="{mx:.1f}" y2="{bar_y + bar_h + 2:g}" '
        f'stroke="{MARK}" stroke-width="3"/>',
        f'<polygon points="{mx - 6:.1f},{bar_y - 18:g} {mx + 6:.1f},{bar_y - 18:g} {mx:.1f},{bar_y - 8:g}" '
        f'fill="{MARK}"/>',
        f'<text x="{min(max(mx, 40), w - 40):.1f}" y="{bar_y - 24:g}" font-size="13" font-weight="bold" '
        f'text-anchor="middle" fill="{MARK}">you {value:+.0f}°{" (off the scale)" if outside else ""}</text>',
        "</svg>",
    ]
    return "".join(p for p in parts if p)


def mark_position(value: float, *, axis: tuple[float, float] = (-15.0, 35.0)) -> float:
    """Where ``value`` sits on the scale, 0 (left end) to 1 (right end), clipped."""
    start, end = axis
    return (min(max(value, start), end) - start) / (end - start)


def tilt_picture(analysis, *, width_px: int = 360) -> str | None:
    """The typical pelvic tilt range (``posture.assess.DEFAULT``) with the analysis's mark,
    titled with ``wording.tilt_range_alt``; None without a tilt."""
    from posture.assess.verdict import DEFAULT
    from posture.render.wording import tilt_range_alt

    a = analysis.assessment
    if a is None or a.tilt_degrees is None or a.tilt_class is None:
        return None
    return range_svg(
        a.tilt_degrees,
        low=DEFAULT.posterior_below,
        high=DEFAULT.anterior_above,
        title=tilt_range_alt(analysis) or "",
        width_px=width_px,
    )
