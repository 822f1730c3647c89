"""Hand-built analyses for the comparison, report and privacy tests (no model, no photo)."""

from __future__ import annotations

import numpy as np

import posture
from posture.measure.measures import CONVENTIONS
from posture.types import (
    LANDMARK_INDEX,
    LANDMARK_NAMES,
    Analysis,
    Assessment,
    Facing,
    Landmarks,
    Measure,
    Status,
    TiltClass,
)

# A person 1000 units tall seen from the side facing +x, mid-ankle at the origin, y down.
# With no mask, posture.measure.measures.skeleton puts the head top at nose_y - 0.5 * (shoulder_y -
# nose_y) = -900 - 0.5 * 300 = -1050; the heels are at +50, so the body height is exactly 1100.
_BODY = {
    "nose": (60, -900),
    "eye": (50, -915),
    "eye_inner": (55, -915),
    "eye_outer": (45, -915),
    "ear": (0, -905),
    "mouth": (50, -870),
    "shoulder": (10, -600),
    "elbow": (20, -450),
    "wrist": (30, -320),
    "pinky": (32, -300),
    "index": (34, -295),
    "thumb": (33, -300),
    "hip": (0, -500 + 50),
    "knee": (5, -250),
    "ankle": (0, 0),
    "heel": (-30, 50),
    "foot_index": (100, 50),
}
BODY_HEIGHT = 1100.0


def _base(name: str) -> str:
    for prefix in ("left_", "right_"):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name.replace("mouth_left", "mouth").replace("mouth_right", "mouth")


def landmarks(
    *,
    scale: float = 0.5,
    ankle: tuple[float, float] = (300.0, 700.0),
    facing: Facing = Facing.RIGHT,
    image_size: tuple[int, int] = (600, 800),
) -> Landmarks:
    """The reference body scaled by ``scale`` with its mid-ankle at ``ankle`` (pixels)."""
    xy = np.zeros((len(LANDMARK_NAMES), 2))
    for name in LANDMARK_NAMES:
        x, y = _BODY["mouth" if name.startswith("mouth") else _base(name)]
        xy[LANDMARK_INDEX[name]] = (ankle[0] + facing.sign * scale * x, ankle[1] + scale * y)
    n = len(LANDMARK_NAMES)
    return Landmarks(
        xy=xy, z=np.zeros(n), visibility=np.full(n, 0.99), presence=np.full(n, 0.99), image_size=image_size
    )


def analysis(
    values: dict[str, float | None] | None = None,
    *,
    scale: float = 0.5,
    ankle: tuple[float, float] = (300.0, 700.0),
    facing: Facing = Facing.RIGHT,
    image_size: tuple[int, int] = (600, 800),
    tilt_class: TiltClass = TiltClass.NEUTRAL,
    image: np.ndarray | None = None,
) -> Analysis:
    """An accepted analysis with the given measure values (missing ones default to 0,
    ``None`` means "not measured") on a plain grey image unless ``image`` is given."""
    values = values or {}
    measures = {}
    for name, (unit, _) in CONVENTIONS.items():
        value = values.get(name, 0.0)
        measures[name] = Measure(name, value, unit, None if value is not None else "arm in the way")
    width, height = image_size
    if image is None:
        image = np.full((height, width, 3), 128, np.uint8)
    tilt = measures["pelvic_tilt"].value
    return Analysis(
        status=Status.OK,
        image_size=image_size,
        model="pose_landmarker_full.task",
        version=posture.__version__,
        facing=facing,
        landmarks=landmarks(scale=scale, ankle=ankle, facing=facing, image_size=image_size),
        measures=measures,
        assessment=Assessment(tilt, tilt_class if tilt is not None else None, 0.8, None),
        side_view_score=1.0,
        image=image,
    )
