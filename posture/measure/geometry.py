"""Pure geometry on image coordinates: angles, the back contour and its tangents.

Conventions (as everywhere in ``posture``): pixels, x right, **y down**. ``forward`` is +1 when
the person faces +x (right in the image) and -1 when they face -x. Angles are degrees.
No cv2, no MediaPipe: numpy only, inputs never modified.
"""

from __future__ import annotations

import math

import numpy as np


def inclination(lower: np.ndarray, upper: np.ndarray, *, forward: int) -> float:
    """Signed angle (degrees) of the segment lower→upper from the vertical.

    Positive when the upper end lies forward of the lower end (the segment leans forward),
    0 for a vertical segment, +90 for a segment pointing straight forward.

    >>> inclination(np.array([0., 10.]), np.array([10., 0.]), forward=1)
    45.0
    """
    dx = float((upper[0] - lower[0]) * forward)
    rise = float(lower[1] - upper[1])  # y is down, so rising means y decreasing
    if dx == 0.0 and rise == 0.0:
        return 0.0  # a point has no direction; 0 rather than atan2's ±180 for signed zeros
    return math.degrees(math.atan2(dx, rise))


def joint_deviation(proximal: np.ndarray, joint: np.ndarray, distal: np.ndarray, *, forward: int) -> float:
    """How far a joint is bent from straight, in degrees, signed by direction.

    Returns the inclination of joint→proximal minus the inclination of distal→joint:
    0 when the three points are collinear; positive when the proximal segment is turned
    forward relative to the distal one (the joint flexes forward, as the hip does when the
    trunk bends forward over the thigh); negative the other way (as the knee does when it
    bends, or the hip does in extension).
    """
    return inclination(joint, proximal, forward=forward) - inclination(distal, joint, forward=forward)


def horizontal_offset(point: np.ndarray, reference: np.ndarray, *, forward: int) -> float:
    """Horizontal distance of ``point`` from the vertical through ``reference``, in pixels.

    Positive when the point is forward of that vertical.
    """
    return float((point[0] - reference[0]) * forward)


def back_edge(
    mask: np.ndarray, rows: np.ndarray, start_x: np.ndarray, *, forward: int, threshold: float = 0.5
) -> np.ndarray:
    """Sub-pixel x of the back outline on each row, or NaN where it cannot be found.

    For each row ``rows[i]`` the scan starts at ``start_x[i]`` (a point inside the body) and
    walks backward (against ``forward``) until the mask falls below ``threshold``; the crossing
    is interpolated linearly between the last pixel inside and the first outside.

    Parameters
    ----------
    mask : (H, W) float array in 0..1, the person's segmentation.
    rows : (N,) int array of row indices.
    start_x : (N,) float array, a column inside the body on each row.
    """
    height, width = mask.shape
    rows = np.asarray(rows, dtype=int)
    start = np.clip(np.round(np.asarray(start_x)).astype(int), 0, width - 1)
    edges = np.full(len(rows), np.nan)
    for i, (row, x0) in enumerate(zip(rows, start)):
        if not 0 <= row < height:
            continue
        line = mask[row, x0::-1] if forward > 0 else mask[row, x0:]
        if line.size == 0 or line[0] < threshold:
            continue
        outside = np.flatnonzero(line < threshold)
        if outside.size == 0:
            continue  # body runs off the image edge
        k = int(outside[0])
        inside_value, outside_value = float(line[k - 1]), float(line[k])
        fraction = (inside_value - threshold) / max(inside_value - outside_value, 1e-6)
        steps = (k - 1) + fraction
        edges[i] = x0 - steps if forward > 0 else x0 + steps
    return edges


def deepest_point(
    points: np.ndarray, start: np.ndarray, end: np.ndarray, *, toward: np.ndarray
) -> tuple[int, float]:
    """Index and distance of the point farthest from the chord start→end on one side.

    ``toward`` is a direction; only distances on that side of the chord count (the hollow
    of the back lies toward the front of the body). Returns (index, distance >= 0).
    """
    chord = end - start
    length = float(np.hypot(*chord))
    if length == 0:
        raise ValueError("chord has zero length")
    normal = np.array([-chord[1], chord[0]]) / length
    if float(np.dot(normal, toward)) < 0:
        normal = -normal
    distances = (points - start) @ normal
    index = int(np.argmax(distances))
    return index, max(0.0, float(distances[index]))


def secant_inclination(points: np.ndarray, *, forward: int) -> float:
    """Inclination (see ``inclination``) of the least-squares line through ordered points.

    The points run from top to bottom; the line is fitted as x = a*y + b, which is well
    conditioned for near-vertical outlines.
    """
    y, x = points[:, 1], points[:, 0]
    slope = np.polyfit(y, x, 1)[0]  # dx/dy
    # Going up (dy < 0) by one pixel moves x by -slope: lean forward if -slope*forward > 0.
    return math.degrees(math.atan(-slope * forward))


def smooth(values: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian smoothing of a 1-D signal (``sigma`` in samples), edges reflected.

    NaNs are filled by linear interpolation first; a signal without finite values is
    returned unchanged.
    """
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values)
    if not finite.any():
        return values.copy()
    index = np.arange(len(values))
    filled = np.interp(index, index[finite], values[finite])
    if sigma <= 0:
        return filled
    radius = max(1, int(3 * sigma))
    kernel = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    kernel /= kernel.sum()
    padded = np.pad(filled, radius, mode="reflect" if len(filled) > radius else "edge")
    return np.convolve(padded, kernel, mode="valid")


def tangent_inclination(slope: float) -> float:
    """Inclination (degrees, see ``inclination``) of an outline whose posterior depth grows by
    ``slope`` pixels per pixel downward: positive when the outline's top is forward."""
    return math.degrees(math.atan(slope))
