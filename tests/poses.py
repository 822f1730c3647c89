"""Hand-built side-view poses whose angles are known exactly (test helpers, no model)."""

from __future__ import annotations

import math

import numpy as np

from posture.types import LANDMARK_INDEX, LANDMARK_NAMES, Landmarks

WIDTH, HEIGHT = 600, 1000


def side_pose(
    *,
    facing: str = "right",
    trunk_lean: float = 0.0,
    knee_bend: float = 0.0,
    head_forward: float = 0.0,
    shoulder_width: float = 0.0,
    visibility: float = 0.99,
    offset_x: float = 0.0,
) -> Landmarks:
    """A standing person seen from the side, facing ``facing``.

    Ankles at (300, 900). Shank 230 px and thigh 240 px, knee bent forward by ``knee_bend``
    degrees (negative = hyperextended, knee pushed back); the thigh stays vertical. Trunk
    (hip to shoulder) 300 px, leaning forward by ``trunk_lean`` degrees. The ear is 100 px
    from the shoulder, ``head_forward`` degrees ahead of vertical. ``shoulder_width`` is the
    horizontal gap between the left and right shoulders (0 = pure side view).
    """
    f = 1 if facing == "right" else -1
    ankle = np.array([300.0 + offset_x, 900.0])
    k = math.radians(knee_bend)
    knee = ankle + np.array([f * 230 * math.sin(k), -230 * math.cos(k)])
    hip = knee + np.array([0.0, -240.0])
    t = math.radians(trunk_lean)
    shoulder = hip + np.array([f * 300 * math.sin(t), -300 * math.cos(t)])
    h = math.radians(head_forward)
    ear = shoulder + np.array([f * 100 * math.sin(h), -100 * math.cos(h)])
    points = {
        "ear": ear,
        "shoulder": shoulder,
        "hip": hip,
        "knee": knee,
        "ankle": ankle,
        "heel": ankle + np.array([-f * 25, 20.0]),
        "foot_index": ankle + np.array([f * 90, 25.0]),
        "elbow": shoulder + np.array([f * 40, 150.0]),
        "wrist": shoulder + np.array([f * 60, 280.0]),
        "eye": ear + np.array([f * 45, -5.0]),
        "eye_inner": ear + np.array([f * 50, -5.0]),
        "eye_outer": ear + np.array([f * 40, -5.0]),
        "mouth": ear + np.array([f * 45, 30.0]),
        "pinky": shoulder + np.array([f * 30, 320.0]),
        "index": shoulder + np.array([f * 32, 325.0]),
        "thumb": shoulder + np.array([f * 35, 310.0]),
    }
    xy = np.zeros((len(LANDMARK_NAMES), 2))
    xy[LANDMARK_INDEX["nose"]] = ear + np.array([f * 60, 10.0])
    for name in LANDMARK_NAMES:
        if name == "nose":
            continue
        side, _, part = name.partition("_")
        if name.startswith("mouth"):
            part, side = "mouth", name.split("_")[1]
        base = points[part].copy()
        if part == "shoulder":
            base[0] += (shoulder_width / 2) * (1 if side == "left" else -1)
        xy[LANDMARK_INDEX[name]] = base
    n = len(LANDMARK_NAMES)
    return Landmarks(
        xy=xy,
        z=np.zeros(n),
        visibility=np.full(n, visibility),
        presence=np.full(n, visibility),
        image_size=(WIDTH, HEIGHT),
    )
