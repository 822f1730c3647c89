"""Side-view measures from landmarks and the segmentation mask, with their conventions.

Every measure is listed once in ``posture.measure.conventions.CONVENTIONS`` with its unit, definition and sign. Signs hold
whichever way the person faces: "forward" is the direction of the nose. Landmarks of the two
sides are averaged (in a side view they overlap; the average is the body's mid-plane).

The pelvic tilt and lumbar lordosis are *estimates*: MediaPipe has no ASIS, PSIS or spine
landmarks, so both come from the back outline of the person's silhouette (see docs/METHOD.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posture.measure import geometry
from posture.measure.conventions import CONVENTIONS
from posture.types import BackContour, Facing, Landmarks, Measure

# Bands along the trunk, as fractions of the hip-to-shoulder height above the hip joints
# (negative = below the hips). The lumbar curve is found in the outline itself: the most
# posterior point of the upper back, the most posterior point of the buttocks, the hollow
# between them, and the steepest points on either side of the hollow (its inflections).
UPPER_BACK_BAND = (0.35, 0.90)
"""Where the upper back's most posterior point (thoracic apex) is looked for (set by hand)."""
BUTTOCK_BAND = (-0.35, 0.10)
"""Where the buttocks' most posterior point is looked for (set by hand)."""
SACRAL_BAND = (-0.30, 0.40)
"""Where the lower inflection (the lumbosacral turn of the outline) may lie. In an exploratory
look at 256 random renders (generator seed 7, not the held-out benchmark's; the script is not
kept) it lay between -0.30 and 0.37 in 98% of images; found higher up, it is a point of the
mid-back (a loose top hiding the hollow), found lower down, one of the thigh."""
OUTLINE_SMOOTHING = 0.02
"""Gaussian smoothing of the outline, sigma as a fraction of the hip-to-shoulder height (set by
hand: enough to remove pixel steps and cloth creases, far less than the lumbar curve)."""
TANGENT_HALF_WINDOW = 0.04
"""The sacral tangent is the line fitted to the outline within this fraction of the
hip-to-shoulder height above and below the lower inflection (set by hand)."""
ARM_MARGIN = 0.08
"""An elbow or wrist closer than this (fraction of hip-to-shoulder height) to the back
outline, or behind it, is taken to cover the back (set by hand)."""
MIN_CONTOUR_COVERAGE = 0.8
"""Share of outline rows that must be found for a contour measure to be made (set by hand)."""
MIN_HOLLOW_PX = 0.5
"""A hollow shallower than this (pixels) is none: its deepest point would be float noise."""
PLAUSIBLE_LORDOSIS = (-30.0, 85.0)
"""Lumbar angles outside this range (degrees) are outline failures, not backs: 85 is about
3 SD above radiographic lordosis (49.8 ± 11.2°, RESEARCH.md)."""
PLAUSIBLE_TILT = (-30.0, 45.0)
"""Tilt estimates outside this range (degrees) are outline failures, not pelvises (set by hand:
wider than the 0-23° healthy range of Preece 2008 / Herrington 2011 on both sides)."""

# Tilt = offset + gain * sacral inclination, fitted by least squares on 128 rendered side views
# of known tilt (16 random scenes, seed 7777, tilts -15..+20° in both modes), reproduced by
# ``python -m benchmarks.calibrate`` (docs/METHOD.md). The gain near 1 is what the geometry
# predicts: the lumbosacral outline turns with the pelvis.
TILT_FROM_SACRUM_OFFSET = -7.45
TILT_FROM_SACRUM_GAIN = 0.969

MASK_PERSON = 0.5
"""A segmentation mask value above this is the person (MediaPipe's confidence midpoint)."""
HEAD_ABOVE_NOSE = 0.5
"""Without a mask, the head top is the nose lifted by this share of the nose-to-shoulder
height (set by hand, an adult head's proportions)."""
HEAD_COLUMN_HALF_WIDTH_PX = 3
"""The head top is searched in a column this many pixels either side of the nose-ear midpoint."""
MIN_ARM_VISIBILITY = 0.5
"""An elbow or wrist less visible than this is not trusted to cover the back (set by hand)."""


@dataclass(frozen=True)
class Skeleton:
    """Mid-plane points (pixels) of one side-view pose and the body height in pixels."""

    ear: np.ndarray
    shoulder: np.ndarray
    hip: np.ndarray
    knee: np.ndarray
    ankle: np.ndarray
    height: float


def mid(landmarks: Landmarks, part: str) -> np.ndarray:
    """The average of the left and right landmark of ``part`` (e.g. "hip")."""
    return (landmarks.point(f"left_{part}") + landmarks.point(f"right_{part}")) / 2.0


def skeleton(landmarks: Landmarks, mask: np.ndarray | None = None) -> Skeleton:
    """Mid-plane points and body height (top of the head to the heels).

    The head top comes from the mask when there is one (the topmost person pixel above the
    nose); otherwise it is estimated as the nose lifted by half the nose-to-shoulder height.
    """
    ear = mid(landmarks, "ear")
    heel_y = max(landmarks.point("left_heel")[1], landmarks.point("right_heel")[1])
    nose = landmarks.point("nose")
    top = nose[1] - HEAD_ABOVE_NOSE * abs(mid(landmarks, "shoulder")[1] - nose[1])
    if mask is not None:
        column = int(np.clip(round(nose[0] * 0.5 + ear[0] * 0.5), 0, mask.shape[1] - 1))
        lo, hi = (
            max(0, column - HEAD_COLUMN_HALF_WIDTH_PX),
            min(mask.shape[1], column + HEAD_COLUMN_HALF_WIDTH_PX + 1),
        )
        rows = np.flatnonzero((mask[:, lo:hi] > MASK_PERSON).any(axis=1))
        rows = rows[rows <= nose[1]]
        if rows.size:
            top = float(rows[0])
    return Skeleton(
        ear=ear,
        shoulder=mid(landmarks, "shoulder"),
        hip=mid(landmarks, "hip"),
        knee=mid(landmarks, "knee"),
        ankle=mid(landmarks, "ankle"),
        height=max(1.0, heel_y - top),
    )


def landmark_measures(sk: Skeleton, facing: Facing) -> dict[str, Measure]:
    """Angles and plumb-line offsets that need landmarks only."""
    f = facing.sign
    head_forward = geometry.inclination(sk.shoulder, sk.ear, forward=f)
    values = {
        "trunk_inclination": geometry.inclination(sk.hip, sk.shoulder, forward=f),
        "hip_flexion": geometry.joint_deviation(sk.shoulder, sk.hip, sk.knee, forward=f),
        "knee_flexion": -geometry.joint_deviation(sk.hip, sk.knee, sk.ankle, forward=f),
        "head_forward": head_forward,
        "craniovertebral_proxy": 90.0 - head_forward,
    }
    for part in ("ear", "shoulder", "hip", "knee"):
        values[f"{part}_offset"] = (
            geometry.horizontal_offset(getattr(sk, part), sk.ankle, forward=f) / sk.height
        )
    return {name: Measure(name, float(v), CONVENTIONS[name][0]) for name, v in values.items()}


def trunk_level(sk: Skeleton, fraction: float) -> float:
    """Image row at ``fraction`` of the hip-to-shoulder height above the hip joints."""
    return float(sk.hip[1] - fraction * (sk.hip[1] - sk.shoulder[1]))


def back_outline(mask: np.ndarray, sk: Skeleton, facing: Facing, top: float, bottom: float) -> np.ndarray:
    """Back outline points (x, y) on every row from ``top`` to ``bottom`` (NaN x where not found).

    Each row is scanned backward from the body's centre line (the hip-shoulder line above
    the hips, the hip-knee line below).
    """
    top, bottom = max(0.0, top), min(float(mask.shape[0] - 1), bottom)
    rows = np.arange(int(np.floor(top)), int(np.ceil(bottom)) + 1)
    t_up = (sk.hip[1] - rows) / max(sk.hip[1] - sk.shoulder[1], 1.0)
    t_down = (rows - sk.hip[1]) / max(sk.knee[1] - sk.hip[1], 1.0)
    centre = np.where(
        rows <= sk.hip[1],
        sk.hip[0] + t_up * (sk.shoulder[0] - sk.hip[0]),
        sk.hip[0] + t_down * (sk.knee[0] - sk.hip[0]),
    )
    xs = geometry.back_edge(mask, rows, centre, forward=facing.sign)
    return np.column_stack([xs, rows.astype(float)])


def contour_measures(
    mask: np.ndarray | None, landmarks: Landmarks, sk: Skeleton, facing: Facing
) -> tuple[dict[str, Measure], BackContour | None]:
    """Lumbar lordosis, sacral inclination and the pelvic tilt estimate from the back outline.

    The outline is scanned from the upper back to the buttocks and smoothed; its posterior
    depth p(y) (pixels behind, growing backward) has a maximum on the upper back (K), one on
    the buttocks (B) and a hollow (H) between. The inflections are the steepest points of
    p between K and H (upper, U) and between H and B (lower, L). The sacral inclination is
    the line fitted to the outline around L; lordosis is the angle between the outline's
    tangents at L and at U (its steepest points), as two inclinometers on S1 and T12/L1 would
    read it.
    """
    names = ("lumbar_lordosis", "sacral_inclination", "pelvic_tilt")

    def not_made(reason: str) -> tuple[dict[str, Measure], None]:
        return {n: Measure(n, None, CONVENTIONS[n][0], reason) for n in names}, None

    if mask is None:
        return not_made("no person outline was available for this image")
    trunk = max(sk.hip[1] - sk.shoulder[1], 1.0)
    outline = back_outline(
        mask, sk, facing, trunk_level(sk, UPPER_BACK_BAND[1]), trunk_level(sk, BUTTOCK_BAND[0])
    )
    if np.isnan(outline[:, 0]).mean() > 1 - MIN_CONTOUR_COVERAGE or len(outline) < 20:
        return not_made(
            "the back outline is not clear: wear fitted clothes, stand in front of "
            "a plain background and keep your arms away from your back"
        )
    points = np.column_stack([geometry.smooth(outline[:, 0], OUTLINE_SMOOTHING * trunk), outline[:, 1]])
    slope = np.gradient(-facing.sign * points[:, 0])  # growth of posterior depth per row down
    found = _curve_points(points, slope, sk, facing)
    if found is None:
        return not_made("the back outline has no recognisable lower-back shape")
    k, b, h, u, lower = found
    if _arm_behind_back(landmarks, points[k : b + 1], facing, trunk):
        return not_made(
            "an arm or hand covers the back: let your arms hang in front of your "
            "body or cross them on your chest"
        )
    lower_level = (sk.hip[1] - points[lower, 1]) / trunk
    if not SACRAL_BAND[0] <= lower_level <= SACRAL_BAND[1]:
        return not_made(
            "the lower-back curve could not be found in the outline (a loose top or "
            "a small, low-resolution figure can hide it): wear fitted clothes and "
            "stand closer to the camera"
        )
    half = max(2, int(round(TANGENT_HALF_WINDOW * trunk)))
    sacral = geometry.secant_inclination(points[max(0, lower - half) : lower + half + 1], forward=facing.sign)
    lordosis = geometry.tangent_inclination(slope[lower]) - geometry.tangent_inclination(slope[u])
    apex = 0  # the hollow's deepest point, drawn on the photo (U itself when there is none)
    if lower - u >= 2:
        apex, _ = geometry.deepest_point(
            points[u : lower + 1], points[u], points[lower], toward=np.array([facing.sign, 0.0])
        )
    tilt = TILT_FROM_SACRUM_OFFSET + TILT_FROM_SACRUM_GAIN * sacral
    if not (
        PLAUSIBLE_LORDOSIS[0] <= lordosis <= PLAUSIBLE_LORDOSIS[1]
        and PLAUSIBLE_TILT[0] <= tilt <= PLAUSIBLE_TILT[1]
    ):
        return not_made(
            "the back outline gave an implausible shape (loose clothes, hair or an "
            "arm over the back?): wear fitted clothes and cross your arms on your chest"
        )
    measures = {
        "lumbar_lordosis": Measure("lumbar_lordosis", lordosis, "deg"),
        "sacral_inclination": Measure("sacral_inclination", sacral, "deg"),
        "pelvic_tilt": Measure("pelvic_tilt", tilt, "deg"),
    }
    span = points[u : lower + 1]
    contour = BackContour(
        points=span, top=tuple(points[u]), bottom=tuple(points[lower]), apex=tuple(span[apex])
    )
    return measures, contour


def _curve_points(
    points: np.ndarray, slope: np.ndarray, sk: Skeleton, facing: Facing
) -> tuple[int, int, int, int, int] | None:
    """Indices into the smoothed outline ``points`` of K, B, H, U and L (see
    ``contour_measures``), or None when the buttocks are not below the upper back.

    K and B are the most posterior points, perpendicular to the hip-shoulder line, in
    ``UPPER_BACK_BAND`` and ``BUTTOCK_BAND``; H the deepest point of the chord K-B (K itself
    when the hollow is shallower than ``MIN_HOLLOW_PX``); U and L the steepest points of the
    outline between K and H and between H and B, from ``slope``, the growth of posterior depth
    per row downward.
    """
    rows = points[:, 1]

    def in_band(band: tuple[float, float]) -> np.ndarray:
        return np.flatnonzero((rows >= trunk_level(sk, band[1])) & (rows <= trunk_level(sk, band[0])))

    behind_axis = _behind_trunk_axis(points, sk, facing)
    upper, buttocks = in_band(UPPER_BACK_BAND), in_band(BUTTOCK_BAND)
    k = int(upper[np.argmax(behind_axis[upper])])
    b = int(buttocks[np.argmax(behind_axis[buttocks])])
    if b - k < 4:
        return None
    index, hollow = geometry.deepest_point(
        points[k : b + 1], points[k], points[b], toward=np.array([facing.sign, 0.0])
    )
    h = k + index if hollow >= MIN_HOLLOW_PX else k  # no hollow: nothing to split at
    u = k + int(np.argmin(slope[k : h + 1]))
    lower = h + int(np.argmax(slope[h : b + 1]))
    return k, b, h, u, lower


def _behind_trunk_axis(points: np.ndarray, sk: Skeleton, facing: Facing) -> np.ndarray:
    """Distance (pixels) of each outline point behind the hip-shoulder line, perpendicular to it.

    Used to find the most posterior points of the upper back and buttocks whatever the lean.
    """
    axis = (sk.shoulder - sk.hip) / max(float(np.hypot(*(sk.shoulder - sk.hip))), 1.0)
    forward_normal = np.array([-axis[1], axis[0]])
    if forward_normal[0] * facing.sign < 0:
        forward_normal = -forward_normal
    return -((points - sk.hip) @ forward_normal)


def _arm_behind_back(landmarks: Landmarks, back: np.ndarray, facing: Facing, trunk_height: float) -> bool:
    """True when a seen arm lies at the back outline or behind it anywhere along the back.

    The mask then includes the arm, and the outline found is the arm's, not the back's.
    Points are sampled along each arm (shoulder to elbow to wrist); an arm hanging at the
    side stays well inside the silhouette, near the hip-shoulder line, while an arm hanging
    behind the body or a hand on the back comes within ``ARM_MARGIN`` of the outline.
    """
    margin = ARM_MARGIN * trunk_height
    for side in ("left", "right"):
        joints = [f"{side}_shoulder", f"{side}_elbow", f"{side}_wrist"]
        if min(landmarks.vis(name) for name in joints[1:]) < MIN_ARM_VISIBILITY:
            continue
        arm = np.concatenate(
            [np.linspace(landmarks.point(j), landmarks.point(k), 12) for j, k in zip(joints, joints[1:])]
        )
        inside_rows = (arm[:, 1] >= back[0, 1]) & (arm[:, 1] <= back[-1, 1])
        for x, y in arm[inside_rows]:
            row = int(np.argmin(np.abs(back[:, 1] - y)))
            if (x - back[row, 0]) * facing.sign < margin:
                return True
    return False


def unmeasured(reason: str) -> dict[str, Measure]:
    """Every measure, none made, all for the same reason (a rejected photo)."""
    return {name: Measure(name, None, unit, reason) for name, (unit, _) in CONVENTIONS.items()}


def compute(
    landmarks: Landmarks, mask: np.ndarray | None, facing: Facing
) -> tuple[dict[str, Measure], BackContour | None]:
    """All measures for one accepted side-view pose, in ``CONVENTIONS`` order."""
    sk = skeleton(landmarks, mask)
    measures = landmark_measures(sk, facing)
    contour_values, contour = contour_measures(mask, landmarks, sk, facing)
    measures.update(contour_values)
    return {name: measures[name] for name in CONVENTIONS}, contour
