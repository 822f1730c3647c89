"""Features of a side view in the canonical facing: the body outline and the landmarks.

Input is one accepted pose brought to the canonical facing (the person faces +x, to the image's
right; see ``posture.analyze``): landmark pixels (33, 2) and the person segmentation mask (H, W)
in 0..1. Every length is divided by the trunk height T (hip-joint centre to shoulder-joint
centre, both the mean of left and right), so the features do not depend on image size.

The outline is read on every image row from ``TOP`` trunk heights above the hip joints to
``BOTTOM`` below them: scanning from the body's centre line (the hip-shoulder line above the
hips, the hip-knee line below) backward and forward to the mask's 0.5 level, interpolated to a
fraction of a pixel. Each side is then sampled at fixed levels (fractions of T above the hips)
as its distance from the hip-shoulder axis, and the back's tangent angle is sampled at the
lumbosacral and gluteal levels. Numpy only: this module runs in the app.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posture.types import LANDMARK_INDEX

TOP, BOTTOM = 1.0, -0.5
"""Levels read, in trunk heights above the hip joints (negative: below them)."""
PROFILE_LEVELS = tuple(round(-0.5 + 0.05 * i, 2) for i in range(31))
"""Levels at which the back and front outlines are sampled (-0.50 .. 1.00)."""
SLOPE_LEVELS = tuple(round(-0.4 + 0.05 * i, 2) for i in range(25))
"""Levels at which the back's tangent angle is sampled (-0.40 .. 0.80)."""
SMOOTHING = 0.02
"""Gaussian smoothing of each outline, sigma in trunk heights (profile features)."""
SLOPE_SMOOTHING = 0.04
"""Heavier smoothing before the tangent angles are taken (a derivative amplifies noise)."""
CORE_BAND = (-0.4, 0.9)
"""The back outline must be found on most rows of this band for anything to be estimated."""
MIN_CORE_COVERAGE = 0.8
"""Share of the core band's rows on which the back outline must be found."""
ARM_MARGIN = 0.08
"""An arm point (shoulder-elbow-wrist line) closer than this (trunk heights) to the back
outline, or behind it, means the outline on those rows is the arm's: those rows are left out
and the back is interpolated across them (hands on the hips, an elbow or a hand behind)."""
ARM_HALF_SPAN = 0.06
"""Rows within this many trunk heights of a covering arm point are left out."""
MAX_ARM_COVER = 0.6
"""More of the core band covered by an arm than this, and the back cannot be read."""
MIN_ARM_VISIBILITY = 0.5
START_SEARCH = 0.1
"""When the centre line misses the mask on a row, look this far (trunk heights) either side
for a body pixel to start from (a thin waist in a loose top, an arm gap)."""

_INDEX = LANDMARK_INDEX

LANDMARK_FEATURES = (
    "trunk_incl",
    "thigh_incl",
    "shank_incl",
    "head_incl",
    "hip_offset",
    "shoulder_offset",
    "knee_offset",
    "ear_offset",
    "leg_length",
    "elbow_dx",
    "elbow_dy",
    "wrist_dx",
    "wrist_dy",
    "arm_cover",
)
TURN_FEATURES = ("lower_turn_angle", "lower_turn_level", "upper_turn_angle", "turn_difference")
"""The back's steepest point in ``LOWER_TURN_BAND`` (the lumbosacral turn, L: its tangent is the
camera's sacral inclinometer), its level, the least steep point above it up to ``TOP`` (the
thoraco-lumbar turn, U) and the angle between the two tangents (a lordosis angle as two
inclinometers read it). Where these points lie differs between people: fixed levels alone
cannot follow them."""
LOWER_TURN_BAND = (-0.3, 0.4)
FEATURE_NAMES = (
    tuple(f"back_{f:+.2f}" for f in PROFILE_LEVELS)
    + tuple(f"front_{f:+.2f}" for f in PROFILE_LEVELS)
    + tuple(f"back_angle_{f:+.2f}" for f in SLOPE_LEVELS)
    + TURN_FEATURES
    + LANDMARK_FEATURES
)


class OutlineUnreadable(ValueError):
    """The outline cannot be read; the message says why, in words for the person."""


@dataclass(frozen=True)
class Outline:
    """The feature vector and what an overlay needs (all in the canonical frame, pixels)."""

    features: np.ndarray
    back: np.ndarray
    """(N, 2) smoothed back outline points (x, y) from ``TOP`` down to ``BOTTOM``."""
    levels: np.ndarray
    """(N,) level of each back point, trunk heights above the hips."""
    trunk_height: float
    coverage: float
    lower_turn: int = -1
    """Index into ``back`` of the lumbosacral turn (the steepest point), -1 if none."""
    upper_turn: int = -1
    """Index into ``back`` of the thoraco-lumbar turn (least steep point above), -1 if none."""


def mid(xy: np.ndarray, part: str) -> np.ndarray:
    return (xy[_INDEX[f"left_{part}"]] + xy[_INDEX[f"right_{part}"]]) / 2.0


def _incl(lower: np.ndarray, upper: np.ndarray) -> float:
    """Degrees of the line lower->upper from vertical, positive when ``upper`` is forward (+x)."""
    d = upper - lower
    return float(np.degrees(np.arctan2(d[0], -d[1])))


def smooth(values: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian smoothing (sigma in samples) after filling NaNs by linear interpolation."""
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values)
    if not finite.any():
        return values.copy()
    index = np.arange(len(values))
    filled = np.interp(index, index[finite], values[finite])
    if sigma <= 0 or len(filled) < 3:
        return filled
    radius = max(1, min(int(3 * sigma), len(filled) - 1))
    kernel = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    padded = np.pad(filled, radius, mode="reflect")
    return np.convolve(padded, kernel / kernel.sum(), mode="valid")


def edges(
    mask: np.ndarray, rows: np.ndarray, start_x: np.ndarray, search: float
) -> tuple[np.ndarray, np.ndarray]:
    """Sub-pixel x of the back (-x side) and front (+x side) edge of the mask region that
    contains ``start_x`` on each row (NaN where not found or where it runs off the image)."""
    height, width = mask.shape
    back = np.full(len(rows), np.nan)
    front = np.full(len(rows), np.nan)
    for i, (row, x0) in enumerate(zip(rows, start_x)):
        if not (0 <= row < height and np.isfinite(x0)):
            continue
        line = mask[row]
        x = int(np.clip(round(x0), 0, width - 1))
        if line[x] < 0.5:
            lo, hi = max(0, int(x - search)), min(width, int(x + search) + 1)
            inside = np.flatnonzero(line[lo:hi] >= 0.5)
            if inside.size == 0:
                continue
            x = lo + int(inside[np.argmin(np.abs(lo + inside - x))])
        back[i] = _crossing(line[x::-1], x, -1)
        front[i] = _crossing(line[x:], x, +1)
    return back, front


def _crossing(line: np.ndarray, x0: int, step: int) -> float:
    outside = np.flatnonzero(line < 0.5)
    if outside.size == 0:
        return np.nan
    k = int(outside[0])
    inside_value, outside_value = float(line[k - 1]), float(line[k])
    fraction = (inside_value - 0.5) / max(inside_value - outside_value, 1e-6)
    return x0 + step * ((k - 1) + fraction)


def turns(angle: np.ndarray, levels: np.ndarray) -> tuple[np.ndarray, int, int]:
    """``TURN_FEATURES`` from the back's tangent angle on each row (rows from top to bottom),
    and the rows of the lower and upper turn (-1 where there is none)."""
    band = np.flatnonzero((levels >= LOWER_TURN_BAND[0]) & (levels <= LOWER_TURN_BAND[1]))
    if band.size == 0:
        return np.full(len(TURN_FEATURES), np.nan), -1, -1
    lower = int(band[np.argmax(angle[band])])
    above = np.flatnonzero((levels > levels[lower]) & (levels <= TOP))
    upper = int(above[np.argmin(angle[above])]) if above.size else -1
    upper_angle = float(angle[upper]) if upper >= 0 else np.nan
    near = band[angle[band] >= angle[lower] - 1.0]  # the level of a plateau is its middle
    values = np.array([angle[lower], float(levels[near].mean()), upper_angle, angle[lower] - upper_angle])
    return values, lower, upper


def arm_rows(
    xy: np.ndarray, visibility: np.ndarray | None, rows: np.ndarray, back_x: np.ndarray, trunk: float
) -> np.ndarray:
    """Rows (boolean) on which a seen arm lies at the back outline or behind it."""
    covered = np.zeros(len(rows), dtype=bool)
    for side in ("left", "right"):
        joints = [_INDEX[f"{side}_{j}"] for j in ("shoulder", "elbow", "wrist")]
        if visibility is not None and min(visibility[j] for j in joints[1:]) < MIN_ARM_VISIBILITY:
            continue
        arm = np.concatenate([np.linspace(xy[a], xy[b], 12) for a, b in zip(joints, joints[1:])])
        for x, y in arm:
            r = int(round(y)) - int(rows[0])
            if 0 <= r < len(rows) and np.isfinite(back_x[r]) and x - back_x[r] < ARM_MARGIN * trunk:
                covered |= np.abs(rows - y) <= ARM_HALF_SPAN * trunk
    return covered


def landmark_features(xy: np.ndarray, trunk: float) -> np.ndarray:
    hip, shoulder, knee, ankle, ear = (mid(xy, p) for p in ("hip", "shoulder", "knee", "ankle", "ear"))
    elbow, wrist = mid(xy, "elbow"), mid(xy, "wrist")
    return np.array(
        [
            _incl(hip, shoulder),
            _incl(knee, hip),
            _incl(ankle, knee),
            _incl(shoulder, ear),
            (hip[0] - ankle[0]) / trunk,
            (shoulder[0] - ankle[0]) / trunk,
            (knee[0] - ankle[0]) / trunk,
            (ear[0] - ankle[0]) / trunk,
            (ankle[1] - hip[1]) / trunk,
            (elbow[0] - hip[0]) / trunk,
            (hip[1] - elbow[1]) / trunk,
            (wrist[0] - hip[0]) / trunk,
            (hip[1] - wrist[1]) / trunk,
        ]
    )


def extract(xy: np.ndarray, mask: np.ndarray | None, visibility: np.ndarray | None = None) -> Outline:
    """Features of one canonical-facing pose (landmark pixels, mask, optional landmark
    visibility). Raises ``OutlineUnreadable`` with a reason."""
    if mask is None:
        raise OutlineUnreadable("no person outline was available for this image")
    xy = np.asarray(xy, dtype=float)
    hip, shoulder, knee = mid(xy, "hip"), mid(xy, "shoulder"), mid(xy, "knee")
    trunk = float(np.hypot(*(shoulder - hip)))
    rise = hip[1] - shoulder[1]
    if trunk < 20 or rise < 10:
        raise OutlineUnreadable("the body is too small in the picture: step closer to the camera")
    rows = np.arange(int(np.floor(hip[1] - TOP * rise)), int(np.ceil(hip[1] - BOTTOM * rise)) + 1)
    levels = (hip[1] - rows) / rise
    axis_x = hip[0] + levels * (shoulder[0] - hip[0])
    below = np.clip(-levels * rise / max(knee[1] - hip[1], 1.0), 0.0, 1.0)
    start = np.where(levels >= 0, axis_x, hip[0] + below * (knee[0] - hip[0]))
    back_x, front_x = edges(mask, rows, start, START_SEARCH * trunk)
    core = (levels >= CORE_BAND[0]) & (levels <= CORE_BAND[1])
    coverage = float(np.isfinite(back_x[core]).mean()) if core.any() else 0.0
    if coverage < MIN_CORE_COVERAGE:
        raise OutlineUnreadable(
            "the back outline is not clear: stand in front of a plain "
            "background, in good light, with your whole side in view"
        )
    covered = arm_rows(xy, visibility, rows, back_x, trunk)
    arm_cover = float(covered[core].mean())
    if arm_cover > MAX_ARM_COVER:
        raise OutlineUnreadable(
            "an arm covers much of the back: let your arms hang at your sides or cross them on your chest"
        )
    back_x = np.where(covered, np.nan, back_x)
    back_depth = (axis_x - smooth(back_x, SMOOTHING * rise)) / trunk
    front_depth = (smooth(front_x, SMOOTHING * rise) - axis_x) / trunk
    if not np.isfinite(front_x[core]).any():
        front_depth = np.full_like(back_depth, np.nan)
    back_slow = smooth(back_x, SLOPE_SMOOTHING * rise)
    # tangent of the back outline from vertical, positive when its top leans forward (+x):
    # going up one row (y - 1) moves x by -dx/dy
    angle = np.degrees(np.arctan(-np.gradient(back_slow)))
    turn_values, lower, upper = turns(angle, levels)
    up = levels[::-1]  # increasing, for np.interp
    profile = np.concatenate(
        [
            np.interp(PROFILE_LEVELS, up, back_depth[::-1]),
            np.interp(PROFILE_LEVELS, up, front_depth[::-1]),
            np.interp(SLOPE_LEVELS, up, angle[::-1]),
            turn_values,
            landmark_features(xy, trunk),
            [arm_cover],
        ]
    )
    points = np.column_stack([smooth(back_x, SMOOTHING * rise), rows.astype(float)])
    return Outline(
        features=profile,
        back=points,
        levels=levels,
        trunk_height=trunk,
        coverage=coverage,
        lower_turn=lower,
        upper_turn=upper,
    )
