"""Exercise pictures drawn by the project itself: a side-view capsule figure posed from angles.

A pose is stored with each exercise in ``posture/data/exercises.json`` as the direction of
every body segment. Conventions:

* Side view, the figure faces **right** (+x is "forward" for the person).
* Model units are fractions of standing height (about 1.0 from floor to top of head),
  with **y up** and the hip joint at the origin.
* A segment angle is the direction from the segment's start joint to its end joint, in
  degrees counter-clockwise from forward: 0 = forward, 90 = up, 180 = backward, -90 = down.
* ``near`` limbs face the viewer and are drawn dark on top; ``far_`` limbs are drawn pale
  behind the trunk.

The output is an SVG string (no external files, no fonts), so HTML can inline it and
fpdf2 can place it in a PDF. An exercise without a pose has no picture: ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Any


@dataclass(frozen=True)
class Segment:
    """One body part: from joint ``start`` to joint ``end``, ``length`` and ``width`` in model units."""

    name: str
    start: str
    end: str
    length: float
    width: float


# Drawing order matters: far limbs first, then trunk and head, then near limbs.
SEGMENTS: tuple[Segment, ...] = (
    Segment("far_arm_upper", "shoulder", "far_elbow", 0.16, 0.045),
    Segment("far_arm_lower", "far_elbow", "far_wrist", 0.15, 0.040),
    Segment("far_thigh", "hip", "far_knee", 0.24, 0.065),
    Segment("far_shin", "far_knee", "far_ankle", 0.24, 0.050),
    Segment("far_foot", "far_ankle", "far_toe", 0.08, 0.035),
    Segment("trunk", "hip", "shoulder", 0.30, 0.090),
    Segment("head", "shoulder", "head_centre", 0.11, 0.035),
    Segment("thigh", "hip", "knee", 0.24, 0.065),
    Segment("shin", "knee", "ankle", 0.24, 0.050),
    Segment("foot", "ankle", "toe", 0.08, 0.035),
    Segment("arm_upper", "shoulder", "elbow", 0.16, 0.045),
    Segment("arm_lower", "elbow", "wrist", 0.15, 0.040),
)
SEGMENT_NAMES: tuple[str, ...] = tuple(s.name for s in SEGMENTS)
HEAD_RADIUS = 0.062
PROPS: tuple[str, ...] = ("none", "wall", "chair", "step", "bench", "plumb_line")

_NEAR = "#1f4e79"
_FAR = "#9dbbdc"
_PROP_FILL = "#e4e4e4"
_PROP_LINE = "#8a8a8a"


def pose_points(angles: Mapping[str, float]) -> dict[str, tuple[float, float]]:
    """Joint positions (model units, y up, hip at the origin) for segment angles in degrees.

    Raises ``KeyError`` naming the first missing segment.
    """
    points: dict[str, tuple[float, float]] = {"hip": (0.0, 0.0)}
    pending = list(SEGMENTS)
    while pending:  # place each segment once its start joint is known (trunk before arms)
        seg = next(s for s in pending if s.start in points)
        pending.remove(seg)
        if seg.name not in angles:
            raise KeyError(f"pose has no angle for segment {seg.name!r}")
        x0, y0 = points[seg.start]
        a = math.radians(float(angles[seg.name]))
        points[seg.end] = (x0 + seg.length * math.cos(a), y0 + seg.length * math.sin(a))
    return points


def pose_svg(pose: Mapping[str, Any], *, title: str = "", width_px: int = 160) -> str:
    """Draw a pose as a standalone SVG string.

    Parameters
    ----------
    pose : ``{"angles": {segment: degrees, ...}, "prop": one of PROPS}``.
    title : text for screen readers (the exercise name).
    width_px : width of the picture in CSS pixels; the height follows the pose's shape.
    """
    points = pose_points(pose["angles"])
    prop = pose.get("prop", "none")
    if prop not in PROPS:
        raise ValueError(f"unknown prop {prop!r}; use one of {', '.join(PROPS)}")
    floor = _floor_y(points)
    shapes = _prop_shapes(prop, points, floor)
    left, right, bottom, top = _bounds(points, floor, shapes)
    pad = 0.04
    left, right, bottom, top = left - pad, right + pad, bottom - pad, top + pad
    scale = 100.0
    view_w, view_h = (right - left) * scale, (top - bottom) * scale

    def sx(x: float) -> float:
        return round((x - left) * scale, 1)

    def sy(y: float) -> float:
        return round((top - y) * scale, 1)

    body: list[str] = []
    lines: list[str] = []  # dashed guide lines go on top of the figure
    for kind, coords in shapes:
        if kind == "rect":
            x0, y0, x1, y1 = coords
            body.append(
                f'<rect x="{sx(min(x0, x1))}" y="{sy(max(y0, y1))}" '
                f'width="{round(abs(x1 - x0) * scale, 1)}" height="{round(abs(y1 - y0) * scale, 1)}" '
                f'fill="{_PROP_FILL}" stroke="{_PROP_LINE}" stroke-width="1.5"/>'
            )
        else:  # dashed line
            x0, y0, x1, y1 = coords
            lines.append(
                f'<line x1="{sx(x0)}" y1="{sy(y0)}" x2="{sx(x1)}" y2="{sy(y1)}" '
                f'stroke="#c0392b" stroke-width="1.5" stroke-dasharray="6 4"/>'
            )
    body.append(
        f'<line x1="0" y1="{sy(floor)}" x2="{round(view_w, 1)}" y2="{sy(floor)}" '
        f'stroke="{_PROP_LINE}" stroke-width="2"/>'
    )
    for seg in SEGMENTS:
        (x0, y0), (x1, y1) = points[seg.start], points[seg.end]
        colour = _FAR if seg.name.startswith("far_") else _NEAR
        body.append(
            f'<line x1="{sx(x0)}" y1="{sy(y0)}" x2="{sx(x1)}" y2="{sy(y1)}" stroke="{colour}" '
            f'stroke-width="{round(seg.width * scale, 1)}" stroke-linecap="round"/>'
        )
    hx, hy = points["head_centre"]
    body.append(f'<circle cx="{sx(hx)}" cy="{sy(hy)}" r="{round(HEAD_RADIUS * scale, 1)}" fill="{_NEAR}"/>')
    body.extend(lines)
    height_px = round(width_px * view_h / view_w)
    label = escape(title, quote=True)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_px}" height="{height_px}" '
        f'viewBox="0 0 {round(view_w, 1)} {round(view_h, 1)}" role="img" aria-label="{label}">'
        + "".join(body)
        + "</svg>"
    )


def exercise_svg(exercise: Any, *, width_px: int = 160) -> str | None:
    """The picture of an exercise (anything with ``.pose`` and ``.name``), or None without a pose."""
    pose = getattr(exercise, "pose", None)
    if not pose:
        return None
    return pose_svg(pose, title=str(getattr(exercise, "name", "")), width_px=width_px)


def _floor_y(points: Mapping[str, tuple[float, float]]) -> float:
    """The floor is under the lowest edge of the figure (capsule half-widths included)."""
    lows = [points[s.end][1] - s.width / 2 for s in SEGMENTS]
    lows += [points[s.start][1] - s.width / 2 for s in SEGMENTS]
    lows.append(points["head_centre"][1] - HEAD_RADIUS)
    return min(lows)


def _prop_shapes(
    prop: str, p: Mapping[str, tuple[float, float]], floor: float
) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Rectangles and dashed lines for the prop, as (kind, (x0, y0, x1, y1)) in model units."""
    if prop == "wall":
        back = min(min(p[s.start][0], p[s.end][0]) - s.width / 2 for s in SEGMENTS)
        return [("rect", (back - 0.05, floor, back, floor + 1.0))]
    if prop == "chair":
        hx, hy = p["hip"]
        seat = hy - 0.05
        return [
            ("rect", (hx - 0.14, seat - 0.03, hx + 0.16, seat)),
            ("rect", (hx - 0.14, floor, hx - 0.11, seat - 0.03)),
            ("rect", (hx + 0.13, floor, hx + 0.16, seat - 0.03)),
            ("rect", (hx - 0.17, seat - 0.03, hx - 0.14, seat + 0.30)),
        ]
    if prop == "step":
        (ax, ay), (tx, _) = p["ankle"], p["toe"]
        top = ay - 0.03
        if top - floor < 0.05:
            return []
        return [("rect", (min(ax, tx) - 0.10, floor, max(ax, tx) + 0.10, top))]
    if prop == "bench":
        sx_, sy_ = p["shoulder"]
        top = sy_ - 0.04
        return [("rect", (sx_ - 0.30, floor, sx_ + 0.02, top))]
    if prop == "plumb_line":
        x = p["ankle"][0] + 0.02
        return [("line", (x, floor, x, p["head_centre"][1] + HEAD_RADIUS + 0.06))]
    return []


def _bounds(
    p: Mapping[str, tuple[float, float]], floor: float, shapes: list
) -> tuple[float, float, float, float]:
    xs = [x for x, _ in p.values()]
    ys = [y for _, y in p.values()]
    margin = max(s.width for s in SEGMENTS) / 2
    hx, hy = p["head_centre"]
    left = min(min(xs) - margin, hx - HEAD_RADIUS)
    right = max(max(xs) + margin, hx + HEAD_RADIUS)
    top = max(max(ys) + margin, hy + HEAD_RADIUS)
    for _, (x0, y0, x1, y1) in shapes:
        left, right = min(left, x0, x1), max(right, x0, x1)
        top = max(top, y0, y1)
    return left, right, floor, top
