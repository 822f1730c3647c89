"""The camera's roll, read from near-vertical straight lines in the room.

Door frames, wall corners and plumb lines are vertical in the world; in a photo taken with a
rolled camera they lean, all by about the same angle. ``find_roll`` finds long straight
segments near the image's y axis (OpenCV's LSD detector on a grey copy downscaled to at most 720 px), keeps the
ones that agree with their length-weighted median angle, and returns their length-weighted
mean angle.

Units and sign convention
-------------------------
* Image coordinates are pixels, x to the right, **y down**.
* Angles are degrees. A segment's lean is ``atan2(x_top - x_bottom, y_bottom - y_top)``:
  **positive when its top end lies to the right of its bottom end** (the room's verticals lean
  clockwise in the picture, the camera was turned counter-clockwise), as ``posture.types.Roll``
  defines ``degrees``.
* ``exclude`` is a box ``(x0, y0, x1, y1)`` in pixels of the image passed in.

Only numpy and cv2; nothing is computed at import time.
"""

from __future__ import annotations

import cv2
import numpy as np

from posture.types import Roll

MAX_SIDE_PX = 720
"""The grey copy is downscaled so its long side is at most this many pixels. At 1000 px LSD took
70-100 ms on a 1500 x 2000 photo here; at 720 px about 36 ms, with the same accuracy on the
drawn room and the sample photos (tests/image/test_lines.py). Its time is measured by
``benchmarks/markers.py`` (target: at most 60 ms on a 1500 x 2000 photo), not by a unit test."""
MAX_LEAN_DEGREES = 12.0
"""Segments further than this from the image's y axis are not verticals."""
MIN_LENGTH_FRACTION = 0.12
"""Segments shorter than this fraction of the image height are ignored."""
AGREE_DEGREES = 1.5
"""Segments kept are within this many degrees of the length-weighted median lean."""
DISTINCT_X_FRACTION = 0.01
"""Two kept segments count as different lines when their midpoints are this fraction of the
image width apart (one thick edge gives two LSD segments a few pixels apart)."""
MIN_LINES = 2
UNCERTAINTY_FLOOR_DEGREES = 0.2


def find_roll(rgb: np.ndarray, *, exclude: tuple[int, int, int, int] | None = None) -> Roll:
    """The camera roll (degrees, tops-right positive) from the room's near-vertical lines.

    ``rgb`` is an (H, W, 3) uint8 array (or (H, W) grey). Segments whose midpoint lies inside
    ``exclude`` (the person's box, pixels) are ignored. Returns ``degrees=None`` when fewer
    than two consistent long lines at distinct x positions are found; ``lines`` then counts
    the agreeing segments that were seen.
    """
    grey, scale = _grey_downscaled(rgb)
    segments = _detect_segments(grey)
    if exclude is not None:
        segments = _outside_box(segments, tuple(v * scale for v in exclude))
    height, width = grey.shape
    lean, length, mid_x = _near_vertical(segments, min_length=MIN_LENGTH_FRACTION * height)
    keep = _agreeing(lean, length)
    lean, length, mid_x = lean[keep], length[keep], mid_x[keep]
    lines = _distinct_positions(mid_x, min_gap=DISTINCT_X_FRACTION * width)
    if lines < MIN_LINES:
        return Roll(degrees=None, uncertainty_degrees=None, lines=lines, source="lines")
    degrees, uncertainty = _weighted_estimate(lean, length, lines)
    return Roll(degrees=degrees, uncertainty_degrees=uncertainty, lines=lines, source="lines")


def _grey_downscaled(rgb: np.ndarray) -> tuple[np.ndarray, float]:
    """A uint8 grey copy with long side <= MAX_SIDE_PX, and the scale (new px per input px)."""
    grey = rgb if rgb.ndim == 2 else cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if grey.dtype != np.uint8:
        grey = np.clip(grey, 0, 255).astype(np.uint8)
    scale = min(1.0, MAX_SIDE_PX / max(grey.shape))
    if scale < 1.0:
        size = (max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale)))
        grey = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    return grey, scale


def _detect_segments(grey: np.ndarray) -> np.ndarray:
    """LSD segments as an (N, 4) float array of x0, y0, x1, y1 in pixels of ``grey``."""
    detector = cv2.createLineSegmentDetector(cv2.LSD_REFINE_STD)
    found = detector.detect(grey)[0]
    if found is None:
        return np.zeros((0, 4))
    return found.reshape(-1, 4).astype(float)


def _outside_box(segments: np.ndarray, box: tuple[float, ...]) -> np.ndarray:
    """The segments whose midpoint is not inside ``box`` (x0, y0, x1, y1, pixels)."""
    x0, y0, x1, y1 = box
    mx = (segments[:, 0] + segments[:, 2]) / 2
    my = (segments[:, 1] + segments[:, 3]) / 2
    inside = (mx >= x0) & (mx <= x1) & (my >= y0) & (my <= y1)
    return segments[~inside]


def _near_vertical(segments: np.ndarray, *, min_length: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lean (degrees, tops-right positive), length (px) and midpoint x (px) of the segments
    at least ``min_length`` long and within MAX_LEAN_DEGREES of the y axis."""
    x0, y0, x1, y1 = segments.T if len(segments) else (np.zeros(0),) * 4
    upper_first = y0 <= y1
    x_top, x_bottom = np.where(upper_first, x0, x1), np.where(upper_first, x1, x0)
    dy = np.abs(y1 - y0)
    lean = np.degrees(np.arctan2(x_top - x_bottom, dy))
    length = np.hypot(x1 - x0, y1 - y0)
    ok = (length >= min_length) & (np.abs(lean) <= MAX_LEAN_DEGREES)
    return lean[ok], length[ok], ((x0 + x1) / 2)[ok]


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The value at which the cumulative weight first reaches half the total."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def _agreeing(lean: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Boolean mask of the leans within AGREE_DEGREES of the length-weighted median."""
    if len(lean) == 0:
        return np.zeros(0, dtype=bool)
    return np.abs(lean - _weighted_median(lean, length)) <= AGREE_DEGREES


def _distinct_positions(mid_x: np.ndarray, *, min_gap: float) -> int:
    """How many groups the midpoint x positions (px) form when gaps < ``min_gap`` join them."""
    if len(mid_x) == 0:
        return 0
    return 1 + int(np.count_nonzero(np.diff(np.sort(mid_x)) >= min_gap))


def _weighted_estimate(lean: np.ndarray, length: np.ndarray, lines: int) -> tuple[float, float]:
    """Length-weighted mean lean (degrees) and its uncertainty: weighted SD / sqrt(lines),
    at least UNCERTAINTY_FLOOR_DEGREES."""
    mean = float(np.average(lean, weights=length))
    sd = float(np.sqrt(np.average((lean - mean) ** 2, weights=length)))
    return mean, max(UNCERTAINTY_FLOOR_DEGREES, sd / np.sqrt(lines))
