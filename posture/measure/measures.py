"""Side-view measures from landmarks and the segmentation mask, with their conventions.

Every measure is listed once in ``posture.measure.conventions.CONVENTIONS`` with its unit, definition and sign. Signs hold
whichever way the person faces: "forward" is the direction of the nose. Landmarks of the two
sides are averaged (in a side view they overlap; the average is the body's mid-plane).

The pelvic tilt and lumbar lordosis are *estimates*: MediaPipe has no ASIS, PSIS or spine
landmarks, so both are estimated from the body's outline and the landmarks by the fitted model
of ``posture.measure.estimator`` (see docs/METHOD.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posture.measure import estimator, fitted, geometry, outline
from posture.measure.conventions import CONVENTIONS
from posture.types import BackContour, Facing, Landmarks, Measure, Pose

MASK_PERSON = 0.5
"""A segmentation mask value above this is the person (MediaPipe's confidence midpoint)."""
HEAD_ABOVE_NOSE = 0.5
"""Without a mask, the head top is the nose lifted by this share of the nose-to-shoulder
height (set by hand, an adult head's proportions)."""
HEAD_COLUMN_HALF_WIDTH_PX = 3
"""The head top is searched in a column this many pixels either side of the nose-ear midpoint."""


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


def contour_measures(
    mask: np.ndarray | None, landmarks: Landmarks, facing: Facing, model: fitted.Model | None = None
) -> tuple[dict[str, Measure], BackContour | None]:
    """Pelvic tilt and lumbar angle estimated from the body outline, and the sacral inclination.

    The estimator works in the canonical facing (the person facing +x): photos arrive there
    (``posture.analyze`` flips left-facing photos before detecting the pose); a left-facing
    camera frame or corrected pose is mirrored here, numerically (``Pose.mirrored``), and its
    contour mirrored back (``BackContour.mirrored``). See ``posture.measure.estimator``.
    """
    names = ("lumbar_lordosis", "sacral_inclination", "pelvic_tilt")

    def not_made(reason: str) -> tuple[dict[str, Measure], None]:
        return {n: Measure(n, None, CONVENTIONS[n][0], reason) for n in names}, None

    if facing is Facing.LEFT:
        flipped = Pose((landmarks,), mask, landmarks.image_size).mirrored()
        values, contour = contour_measures(flipped.mask, flipped.people[0], Facing.RIGHT, model)
        return values, None if contour is None else contour.mirrored(mask.shape[1])
    reading = estimator.read(model or fitted.shipped(), landmarks.xy, mask, landmarks.visibility)
    if reading.estimate is None:
        return not_made(reading.reason)
    found = reading.outline
    sacral = float(found.features[outline.FEATURE_NAMES.index("lower_turn_angle")])
    values = {
        "lumbar_lordosis": Measure("lumbar_lordosis", reading.estimate.lumbar, "deg"),
        "sacral_inclination": Measure("sacral_inclination", sacral, "deg"),
        "pelvic_tilt": Measure("pelvic_tilt", reading.estimate.tilt, "deg"),
    }
    return values, _contour(found)


def _contour(found: outline.Outline) -> BackContour | None:
    """The back between the two turns, for drawing (facing right, as measured)."""
    upper, lower = found.upper_turn, found.lower_turn
    if upper < 0 or lower <= upper:
        return None
    points = found.back[upper : lower + 1].copy()
    depth = points[:, 0] - np.linspace(points[0, 0], points[-1, 0], len(points))
    apex = int(np.argmax(np.abs(depth)))
    return BackContour(
        points=points, top=tuple(points[0]), bottom=tuple(points[-1]), apex=tuple(points[apex])
    )


def unmeasured(reason: str) -> dict[str, Measure]:
    """Every measure, none made, all for the same reason (a rejected photo)."""
    return {name: Measure(name, None, unit, reason) for name, (unit, _) in CONVENTIONS.items()}


def compute(
    landmarks: Landmarks, mask: np.ndarray | None, facing: Facing
) -> tuple[dict[str, Measure], BackContour | None]:
    """All measures for one accepted side-view pose, in ``CONVENTIONS`` order."""
    sk = skeleton(landmarks, mask)
    measures = landmark_measures(sk, facing)
    contour_values, contour = contour_measures(mask, landmarks, facing)
    measures.update(contour_values)
    return {name: measures[name] for name in CONVENTIONS}, contour
