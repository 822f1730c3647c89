"""Checks that a pose can be measured, each failing with a reason code and what to do.

Run in this order, the first failure wins: ``no_person``, ``multiple_people``,
``body_not_visible``, ``not_side_view``, ``not_standing``. Thresholds are in one table below
and were set on the real photos in ``../shared/samples`` (see tests/test_samples.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posture.measure import geometry
from posture.measure.measures import mid
from posture.render.wording import REASON_TEXT, TURNED_TEXT
from posture.types import Facing, Landmarks, Pose, Reason, Rejection

REQUIRED_PARTS = ("shoulder", "hip", "knee", "ankle")
"""Joints every measure needs; the better-seen side of each must be visible and in frame."""
MIN_VISIBILITY = 0.6
"""MediaPipe visibility below which a required joint counts as not seen."""
FRAME_MARGIN = 0.01
"""Required joints must lie this far (fraction of the image size) inside the frame."""
SECOND_PERSON_MIN_VISIBILITY = 0.5
"""A second pose counts as another person when its shoulders and hips are this visible..."""
SECOND_PERSON_MIN_SEPARATION = 0.15
"""...and its landmarks lie, at the median, at least this far (fraction of the first body's
shoulder-to-ankle height) from the first pose's: a duplicate detection of the same body
lies closer, two real people (even overlapping ones) lie 0.5 or more apart."""
SIDE_VIEW_MAX_RATIO = 0.45
"""Shoulder width / shoulder-to-hip height above which the view is frontal or oblique.
Measured on real photos: side views 0.00-0.35, front and back views 0.60-0.75."""
MAX_KNEE_FLEXION = 35.0
"""Degrees: more knee bend than this is sitting, kneeling or squatting, not standing."""
MAX_THIGH_INCLINATION = 35.0
"""Degrees from vertical: a thigh tilted more than this is not a standing leg."""
MAX_TRUNK_INCLINATION = 40.0
"""Degrees from vertical: a trunk leaning more is bent over, not standing upright."""


@dataclass(frozen=True)
class Accepted:
    """The one person to measure, which way they face, and how clearly side-on the view is."""

    landmarks: Landmarks
    facing: Facing
    side_view_score: float


def rejection(reason: Reason, detail: str = "") -> Rejection:
    message = REASON_TEXT[reason]
    return Rejection(reason, f"{message} ({detail})" if detail else message)


def facing_of(landmarks: Landmarks) -> Facing:
    """Which way the person faces: the nose ahead of the ears, the toes ahead of the heels."""
    head = landmarks.point("nose")[0] - mid(landmarks, "ear")[0]
    feet = mid(landmarks, "foot_index")[0] - mid(landmarks, "heel")[0]
    height = abs(mid(landmarks, "ankle")[1] - mid(landmarks, "shoulder")[1]) or 1.0
    # Normalise so each cue votes by its size relative to the body; the head counts double
    # because feet are often turned out or hidden.
    vote = 2.0 * head / height + feet / height
    return Facing.RIGHT if vote >= 0 else Facing.LEFT


def side_view_ratio(landmarks: Landmarks) -> float:
    """Shoulder width seen by the camera divided by the shoulder-to-hip height (0 = pure side)."""
    width = abs(landmarks.point("left_shoulder")[0] - landmarks.point("right_shoulder")[0])
    height = abs(mid(landmarks, "hip")[1] - mid(landmarks, "shoulder")[1])
    return float(width / max(height, 1.0))


def _is_other_person(first: Landmarks, other: Landmarks) -> bool:
    torso = [f"{s}_{p}" for s in ("left", "right") for p in ("shoulder", "hip")]
    if min(other.vis(name) for name in torso) < SECOND_PERSON_MIN_VISIBILITY:
        return False
    body = abs(mid(first, "ankle")[1] - mid(first, "shoulder")[1]) or 1.0
    distance = float(np.median(np.hypot(*(first.xy - other.xy).T)))
    return distance > SECOND_PERSON_MIN_SEPARATION * body


def _missing_parts(landmarks: Landmarks) -> list[str]:
    width, height = landmarks.image_size
    margin = FRAME_MARGIN * np.array([width, height])
    missing = []
    for part in REQUIRED_PARTS:
        sides = [f"left_{part}", f"right_{part}"]
        best = max(sides, key=landmarks.vis)
        x, y = landmarks.point(best)
        inside = margin[0] <= x <= width - margin[0] and margin[1] <= y <= height - margin[1]
        if landmarks.vis(best) < MIN_VISIBILITY or not inside:
            missing.append(part + "s")
    return missing


def _standing_problem(landmarks: Landmarks, facing: Facing) -> str | None:
    f = facing.sign
    hip, knee, ankle, shoulder = (mid(landmarks, p) for p in ("hip", "knee", "ankle", "shoulder"))
    knee_bend = abs(geometry.joint_deviation(hip, knee, ankle, forward=f))
    thigh = abs(geometry.inclination(knee, hip, forward=f))
    trunk = abs(geometry.inclination(hip, shoulder, forward=f))
    if hip[1] >= knee[1] or knee[1] >= ankle[1]:
        return "hips, knees and ankles are not stacked from top to bottom"
    if knee_bend > MAX_KNEE_FLEXION:
        return f"knees bent {knee_bend:.0f}°"
    if thigh > MAX_THIGH_INCLINATION:
        return f"thighs {thigh:.0f}° from vertical"
    if trunk > MAX_TRUNK_INCLINATION:
        return f"trunk leaning {trunk:.0f}°"
    return None


def _turned(landmarks: Landmarks) -> str | None:
    """ "upside_down" when the head is below the feet, "on_its_side" when the body runs more
    across the picture than down it; None for an upright picture."""
    across, down = mid(landmarks, "ankle") - mid(landmarks, "shoulder")
    if down < -abs(across):
        return "upside_down"
    if abs(across) > abs(down):
        return "on_its_side"
    return None


def _far_outside(landmarks: Landmarks) -> bool:
    """True when a landmark lies more than one image size outside the frame (or is not finite):
    MediaPipe never places a real body part there."""
    size = np.array(landmarks.image_size, dtype=float)
    xy = landmarks.xy
    return bool(not np.isfinite(xy).all() or (xy < -size).any() or (xy > 2 * size).any())


def check(pose: Pose) -> Accepted | Rejection:
    """The accepted person, or the first reason the pose cannot be measured."""
    if not pose.people:
        return rejection(Reason.NO_PERSON)
    first = pose.people[0]
    if any(_is_other_person(first, other) for other in pose.people[1:]):
        return rejection(Reason.MULTIPLE_PEOPLE)
    if _far_outside(first):
        return rejection(Reason.BODY_NOT_VISIBLE, "the pose found lies outside the picture")
    missing = _missing_parts(first)
    if missing:
        return rejection(Reason.BODY_NOT_VISIBLE, "not seen: " + ", ".join(missing))
    turned = _turned(first)
    if turned:
        return Rejection(Reason.NOT_STANDING, TURNED_TEXT[turned])
    ratio = side_view_ratio(first)
    if ratio > SIDE_VIEW_MAX_RATIO:
        return rejection(Reason.NOT_SIDE_VIEW)
    facing = facing_of(first)
    problem = _standing_problem(first, facing)
    if problem:
        return rejection(Reason.NOT_STANDING, problem)
    return Accepted(first, facing, side_view_score=float(np.clip(1.0 - ratio / SIDE_VIEW_MAX_RATIO, 0, 1)))
