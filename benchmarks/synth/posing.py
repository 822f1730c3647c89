"""``Posture``, the posture factors of every rendered body, and the single mesh posed by them.

``Posture`` is one concept for both body sources: the anny bodies (``benchmarks.bodies.posing``,
whose docstring defines every factor) pose all of it; the CC0 mesh here poses the pelvic tilt
in its two modes, the extra lumbar curve and hanging arms, and refuses the other factors.

Angles are degrees. The body faces +x, +y is up, +z is the body's right (the rest frame of
the mesh). A sagittal rotation "about +z by a" turns the top of a vertical bone backward
for a > 0, so for a bone chain:

* **anterior pelvic tilt by t** (front of the pelvis down, top of the pelvis forward) is the
  rotation ``R_z(-t)`` of the pelvis (the root bone ``spine``) about the left-right axis
  through both hip joint centres (heads of ``thigh.L`` and ``thigh.R``);
* **lumbar extension by e** (more lordosis) is ``R_z(+e)`` of a lumbar bone relative to
  the bone below it.

Modes of tilting (``Posture.tilt_mode``):

``"compensated"``
    the thighs keep their rest orientation and the trunk from ``spine.002`` (T12-like level)
    upward keeps its orientation: the lumbar joints take the counter-rotation, 60 % at the
    head of ``spine.001`` (L5/S1-like) and 40 % at the head of ``spine.002`` (T12/L1-like),
    so an anterior tilt of t increases the lordosis by t. This is how people tilt the pelvis
    while standing.
``"rigid"``
    the thighs keep their orientation and everything above the pelvis turns with it (the
    trunk leans forward for an anterior tilt); the lumbar curve is unchanged.

``lumbar_deg`` adds lumbar extension c (60 % / 40 % as above) and flexes the joint at
the head of ``spine.003`` (mid-thoracic) by c so the upper trunk stays upright.

Arms hang in the world (gravity) frame whatever the trunk does: ``arm_flexion_deg``
swings them forward, ``arm_abduction_deg`` out to the side, ``elbow_deg`` bends the forearm
forward. Proportions are the body's, not the posture's (``pose_body``'s keywords): ``height_m``
scales the figure uniformly (the soles rest on y = 0), ``girth`` widens the trunk and limbs
about their bone axes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from benchmarks.synth.skeleton import (
    Rig,
    forward_kinematics,
    rotation_about,
    rotation_about_point,
    rotation_between,
    skin,
    skinning_matrices,
)

TILT_MODES = ("compensated", "rigid")
ARM_POSES = ("hanging", "behind", "crossed", "hips")
LUMBAR_SHARE = {"spine.001": 0.6, "spine.002": 0.4}
"""How a lumbar counter-rotation or extra extension is shared between the lumbar joints."""

LEFT_RIGHT = np.array([0.0, 0.0, 1.0])
"""The body's left-right axis (+z = right) in the rest frame."""

# Girth exponents: how much of the girth factor each bone's cross-section takes.
GIRTH_EXPONENT = {
    "spine": 1.0,
    "spine.001": 1.0,
    "spine.002": 1.0,
    "spine.003": 0.8,
    "spine.004": 0.4,
    "pelvis.L": 1.0,
    "pelvis.R": 1.0,
    "thigh.L": 0.9,
    "thigh.R": 0.9,
    "shin.L": 0.6,
    "shin.R": 0.6,
    "upper_arm.L": 0.8,
    "upper_arm.R": 0.8,
    "forearm.L": 0.6,
    "forearm.R": 0.6,
}


@dataclass(frozen=True)
class Posture:
    """Everything about the posture of one image. Degrees; the factors are defined in
    ``benchmarks.bodies.posing``."""

    tilt_deg: float = 0.0
    tilt_mode: str = "compensated"
    lumbar_deg: float = 0.0
    thoracic_deg: float = 0.0
    sway_deg: float = 0.0
    knee_hyperextension_deg: float = 0.0
    head_forward_deg: float = 0.0
    arms: str = "hanging"
    arm_flexion_deg: float = 0.0
    arm_abduction_deg: float = 8.0
    elbow_deg: float = 10.0
    arm_asymmetry_deg: float = 0.0

    def __post_init__(self):
        if self.tilt_mode not in TILT_MODES:
            raise ValueError(f"tilt_mode must be one of {TILT_MODES}, got {self.tilt_mode!r}")
        if self.arms not in ARM_POSES:
            raise ValueError(f"arms must be one of {ARM_POSES}, got {self.arms!r}")

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class PosedBody:
    """A posed figure in the floor frame (soles on y = 0).

    ``bones`` (J, 4, 4) posed world transforms (they include the uniform height scale);
    ``skinning`` (J, 4, 4) bind-to-posed point transforms; ``vertices`` (V, 3) skinned coarse
    mesh; ``bone_scales`` (J, 3); ``scale`` the uniform height factor; ``floor`` (4, 4) the
    transform from the mesh's rest frame to the floor frame without any pose.
    """

    rig: Rig
    posture: Posture
    bones: np.ndarray
    skinning: np.ndarray
    vertices: np.ndarray
    bone_scales: np.ndarray
    scale: float
    floor: np.ndarray

    def head(self, name: str) -> np.ndarray:
        """Posed world position (3,) of bone ``name``'s head."""
        return self.bones[self.rig.index(name), :3, 3].copy()

    def carry(self, name: str, rest_points: np.ndarray) -> np.ndarray:
        """Rest-pose points moved rigidly with bone ``name`` (as if glued to its bone)."""
        m = self.skinning[self.rig.index(name)]
        return np.asarray(rest_points, float) @ m[:3, :3].T + m[:3, 3]


def model_height(rig: Rig) -> float:
    """Height (m) of the rest mesh from sole to crown."""
    return float(np.ptp(rig.positions[:, 1]))


def hip_axis_centre(rig: Rig) -> np.ndarray:
    """Rest-pose midpoint (3,) of the two hip joint centres."""
    return 0.5 * (rig.head("thigh.L") + rig.head("thigh.R"))


def bone_scales(rig: Rig, girth: float) -> np.ndarray:
    """Per-bone (sx, sy, sz) for a girth factor: cross-section scaled, lengths kept."""
    scales = np.ones((len(rig.names), 3))
    for name, exponent in GIRTH_EXPONENT.items():
        if name in rig.names:
            g = girth**exponent
            scales[rig.index(name)] = (g, 1.0, g)
    return scales


def pose_body(
    rig: Rig, posture: Posture = Posture(), *, height_m: float = 1.75, girth: float = 1.0
) -> PosedBody:
    """Pose and skin the rig, ``height_m`` tall (1.0..2.3 m) and ``girth`` times as wide
    (0.6..1.6). See the module docstring for the conventions; a factor the mesh cannot pose
    (thoracic curve, sway-back, knees, head, arms other than hanging) raises ``ValueError``."""
    if not 1.0 <= height_m <= 2.3:
        raise ValueError(f"height_m must be within 1.0..2.3 m, got {height_m}")
    if not 0.6 <= girth <= 1.6:
        raise ValueError(f"girth must be within 0.6..1.6, got {girth}")
    other = [
        f
        for f in ("thoracic_deg", "sway_deg", "knee_hyperextension_deg", "head_forward_deg")
        if getattr(posture, f)
    ]
    if other or posture.arms != "hanging":
        raise ValueError(f"the single mesh cannot pose {other or ['arms=' + posture.arms]}")
    t = posture.tilt_deg
    scale = height_m / model_height(rig)
    floor = np.diag([scale, scale, scale, 1.0])
    floor[1, 3] = -scale * rig.positions[:, 1].min()
    root = floor @ rotation_about_point(rotation_about(LEFT_RIGHT, -t), hip_axis_centre(rig))

    rotations = {"thigh.L": rotation_about(LEFT_RIGHT, t), "thigh.R": rotation_about(LEFT_RIGHT, t)}
    lumbar = posture.lumbar_deg + (t if posture.tilt_mode == "compensated" else 0.0)
    for name, share in LUMBAR_SHARE.items():
        rotations[name] = rotation_about(LEFT_RIGHT, share * lumbar)
    if posture.lumbar_deg:
        rotations["spine.003"] = rotation_about(LEFT_RIGHT, -posture.lumbar_deg)

    scales = bone_scales(rig, girth)
    for side, sign in (("L", -1.0), ("R", 1.0)):
        flexion = posture.arm_flexion_deg + sign * 0.5 * posture.arm_asymmetry_deg
        _hang_arm(rig, rotations, root, scales, side, flexion, posture.arm_abduction_deg, posture.elbow_deg)

    bones = forward_kinematics(rig, rotations=rotations, root=root, scales=scales)
    skinning = skinning_matrices(rig, bones, scales)
    return PosedBody(
        rig=rig,
        posture=posture,
        bones=bones,
        skinning=skinning,
        vertices=skin(rig, skinning),
        bone_scales=scales,
        scale=scale,
        floor=floor,
    )


def arm_direction(side: str, flexion_deg: float, abduction_deg: float) -> np.ndarray:
    """World direction (3,) of a hanging upper arm: down, swung forward and out to ``side``."""
    f, a = np.radians(flexion_deg), np.radians(abduction_deg)
    lateral = 1.0 if side == "R" else -1.0
    return np.array([np.sin(f) * np.cos(a), -np.cos(f) * np.cos(a), lateral * np.sin(a)])


def _hang_arm(
    rig: Rig,
    rotations: dict,
    root: np.ndarray,
    scales: np.ndarray,
    side: str,
    flexion: float,
    abduction: float,
    elbow: float,
) -> None:
    """Add the upper-arm and forearm rotations that make the arm hang as asked (in place)."""
    upper = arm_direction(side, flexion, abduction)
    forward = np.array([1.0, 0.0, 0.0])
    across = forward - upper * np.dot(forward, upper)
    e = np.radians(elbow)
    fore = np.cos(e) * upper + np.sin(e) * across / np.linalg.norm(across)
    for bone, target in ((f"upper_arm.{side}", upper), (f"forearm.{side}", fore)):
        bones = forward_kinematics(rig, rotations=rotations, root=root, scales=scales)
        j = rig.index(bone)
        p = rig.parents[j]
        motion = bones[p, :3, :3] @ rig.rest_global[p, :3, :3].T
        motion /= np.cbrt(np.linalg.det(motion))  # remove the uniform height scale
        rest_dir = rig.rest_global[j, :3, 1]
        rotations[bone] = rotation_between(rest_dir, motion.T @ target)
