"""Standing posture factors on an anny body: ``Posture`` -> ``Posed`` (numpy skinning).

Angles are degrees, in the sagittal (x-y) plane unless stated. A rotation "about +z by a"
(``rotation_about(LEFT_RIGHT, a)``) turns the top of a vertical bone **backward** for a > 0.
Rotations are applied at bone heads, relative to the parent, in the rest pose's world axes
(``benchmarks.synth.skeleton``), so angles about one axis add up along a chain.

Bones used (anny's default rig): ``root`` is the pelvis (its children are the two hip bones
``pelvis.L/R`` and the spine); the spine runs ``spine05`` ->
``spine04`` -> ``spine03`` -> ``spine02`` -> ``spine01`` -> ``neck01..03`` -> ``head``. By the heights of the bones' heads above the hip
joint centres on anny bodies (``spine05`` about 0.01 x stature, ``spine04`` 0.05, ``spine03``
0.09, ``spine02`` 0.14, where on people S1 lies about 0.05 and T12/L1 about 0.15 x stature above
the hip joints), ``spine05`` spans the sacrum and moves with the pelvis here, the lumbar joints
are the heads of ``spine04`` (L5/S1-like), ``spine03`` (mid-lumbar) and ``spine02``
(thoracolumbar, T12/L1-like), and ``spine02`` and ``spine01`` are the thoracic spine.

The factors of ``Posture`` (``benchmarks.synth.posing``, shared with the single mesh):

``tilt_deg``, ``tilt_mode``
    anterior pelvic tilt change t from the rest pose (front of the pelvis down): the pelvis
    (``root``) turns by ``R_z(-t)`` about the left-right axis through the hip joint centres;
    the thighs keep their orientation. ``"compensated"``: the lumbar joints take the
    counter-rotation (lordosis grows by t) and the trunk above T12/L1 stays as it was;
    ``"rigid"``: the whole trunk turns with the pelvis (leans forward for t > 0).
``lumbar_deg``
    extra lumbar extension e (more lordosis), shared by the joints from L5/S1 to T12/L1
    (``LUMBAR_SHARE``); the mid-thoracic joint (head of ``spine01``) flexes by e so the upper
    trunk keeps its orientation.
``thoracic_deg``
    extra thoracic kyphosis k: the mid-thoracic joint flexes by 0.6 k, the cervicothoracic
    one (head of ``neck01``) by 0.4 k.
``sway_deg``
    sway-back: the legs lean forward by s about the ankles (hips forward of the ankles, the
    hip joints extend), and the upper trunk (from the head of ``spine01``) leans back by 1.5 s.
``knee_hyperextension_deg``
    the knees go back: thigh turns forward by h/2, shank backward by h/2 (knee angle -h).
``head_forward_deg``
    the neck flexes forward by f at ``neck02``; the head keeps its rest orientation in the
    world (eyes level), so it moves forward.
``arms``
    ``"hanging"`` (upper arm down with ``arm_flexion_deg`` forward and ``arm_abduction_deg``
    out, forearm bent forward by ``elbow_deg``), ``"behind"`` (the same with the arms swung
    back: a negative flexion), ``"crossed"`` (forearms across the chest, the left one
    higher), ``"hips"`` (hands on the sides of the waist, elbows out and back).

After posing, the body is moved so that the midpoint of the ankles (heads of ``foot.L/R``)
is where it was at rest: the feet stay flat on the floor at the same place.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from benchmarks.bodies.model import Body
from benchmarks.synth.posing import Posture, arm_direction
from benchmarks.synth.skeleton import (
    forward_kinematics,
    rotation_about,
    rotation_about_point,
    rotation_between,
    skin,
    skinning_matrices,
)

LEFT_RIGHT = np.array([0.0, 0.0, 1.0])
LUMBAR_SHARE = {"spine04": 0.45, "spine03": 0.35, "spine02": 0.20}
"""How a lumbar extension is shared by the joints at the heads of these bones, from the
lumbosacral (``spine04``) to the thoracolumbar (``spine02``) one: most of it low, as on
radiographs, where L4-S1 holds about two thirds of the lordosis. Together they make the
T12-S1 angle."""
SIDES = ("L", "R")


@dataclass(frozen=True, eq=False)
class Posed:
    """A posed body: ``bones`` (J, 4, 4) posed world transforms, ``skinning`` (J, 4, 4)
    rest-to-posed point transforms, ``vertices`` (V, 3) skinned, world frame."""

    body: Body
    factors: Posture
    bones: np.ndarray
    skinning: np.ndarray
    vertices: np.ndarray

    def head(self, name: str) -> np.ndarray:
        """Posed world position (3,) of bone ``name``'s head."""
        return self.bones[self.body.rig.index(name), :3, 3].copy()

    def axis(self, name: str) -> np.ndarray:
        """Posed world direction (3,) of bone ``name`` (its head-to-tail y axis)."""
        return self.bones[self.body.rig.index(name), :3, 1].copy()

    def carry(self, name: str, rest_points: np.ndarray) -> np.ndarray:
        """Rest points (N, 3) moved rigidly with bone ``name`` (not skinned)."""
        m = self.skinning[self.body.rig.index(name)]
        return np.asarray(rest_points, float) @ m[:3, :3].T + m[:3, 3]


def _rz(angle_deg: float) -> np.ndarray:
    return rotation_about(LEFT_RIGHT, angle_deg)


def spine_rotations(f: Posture) -> dict[str, np.ndarray]:
    """Relative rotations of the pelvis-to-head chain and the legs for ``f`` (arms apart)."""
    t, s, h = f.tilt_deg, f.sway_deg, f.knee_hyperextension_deg
    lumbar = f.lumbar_deg + (t if f.tilt_mode == "compensated" else 0.0)
    angles = {name: share * lumbar for name, share in LUMBAR_SHARE.items()}
    # Above T12/L1: undo the extra extension, lean back for sway, add the kyphosis.
    angles["spine01"] = -f.lumbar_deg + 1.5 * s - 0.6 * f.thoracic_deg
    angles["neck01"] = -0.4 * f.thoracic_deg
    angles["neck02"] = -f.head_forward_deg
    for side in SIDES:
        angles[f"upperleg01.{side}"] = t - s - 0.5 * h  # undo the pelvis, then lean forward
        angles[f"lowerleg01.{side}"] = h
        angles[f"foot.{side}"] = s - 0.5 * h  # the foot back to flat
    return {name: _rz(a) for name, a in angles.items() if a}


def pose(body: Body, f: Posture) -> Posed:
    """Pose and skin ``body``. See the module docstring for the conventions."""
    rig = body.rig
    root = rotation_about_point(_rz(-f.tilt_deg), body.hip_centre())
    rotations = spine_rotations(f)
    bones = forward_kinematics(rig, rotations=rotations, root=root)
    # Head level in the world whatever the trunk and neck did.
    rotations["head"] = _world_motion(rig, bones, "neck03").T
    bones = forward_kinematics(rig, rotations=rotations, root=root)
    _pose_arms(body, f, rotations, root)
    bones = forward_kinematics(rig, rotations=rotations, root=root)
    ankles = [rig.index(f"foot.{s}") for s in SIDES]
    rest_mid = rig.rest_global[ankles, :3, 3].mean(axis=0)
    move = np.eye(4)
    move[:3, 3] = rest_mid - bones[ankles, :3, 3].mean(axis=0)
    root = move @ root
    bones = forward_kinematics(rig, rotations=rotations, root=root)
    matrices = skinning_matrices(rig, bones)
    return Posed(
        body=body,
        factors=f,
        bones=bones,
        skinning=matrices,
        vertices=skin(rig, matrices),
    )


def rebind_pelvic_skin(body: Body, y_full: float, y_none: float) -> Body:
    """``body`` with the skin of the lower trunk bound to the pelvis (``root``), as the skin
    over the sacrum and the iliac crests is on people: below height ``y_full`` every
    sacral and lumbar weight (``spine05``, ``spine04``, ``spine03``) of a trunk vertex goes to
    ``root``, above
    ``y_none`` none, linearly between. Anny's own weights bind the skin over the PSIS mostly
    to the lumbar bones, so a pelvis turning under a still trunk would barely move it."""
    rig = body.rig
    lumbar = np.isin(rig.joints, [rig.index(n) for n in ("spine05", "spine04", "spine03")])
    trunk_names = (
        "root",
        "pelvis.L",
        "pelvis.R",
        "spine05",
        "spine04",
        "spine03",
        "spine02",
    )
    dominant = rig.joints[np.arange(len(rig.joints)), rig.weights.argmax(axis=1)]
    trunk = np.isin(dominant, [rig.index(n) for n in trunk_names])
    share = np.clip((y_none - rig.positions[:, 1]) / (y_none - y_full), 0.0, 1.0) * trunk
    moved = rig.weights * lumbar * share[:, None]
    weights = rig.weights - moved
    joints = rig.joints.copy()
    # Put the moved weight on the vertex's root slot, or on its smallest slot otherwise.
    root = rig.index("root")
    has_root = joints == root
    slot = np.where(has_root.any(axis=1), has_root.argmax(axis=1), weights.argmin(axis=1))
    rows = np.arange(len(joints))
    take = moved.sum(axis=1) > 0
    free = take & ~has_root.any(axis=1)
    weights[rows[free], slot[free]] = 0.0  # the smallest slot's weight joins the root's
    moved_total = moved.sum(axis=1) + np.where(free, rig.weights[rows, slot] - moved[rows, slot], 0)
    joints[rows[free], slot[free]] = root
    weights[rows[take], slot[take]] += moved_total[take]
    weights /= weights.sum(axis=1, keepdims=True)
    return dataclasses.replace(body, rig=dataclasses.replace(rig, joints=joints, weights=weights))


def _world_motion(rig, bones: np.ndarray, name: str) -> np.ndarray:
    """The rotation (3, 3) bone ``name`` underwent from rest to ``bones``."""
    j = rig.index(name)
    return bones[j, :3, :3] @ rig.rest_global[j, :3, :3].T


def _pose_arms(body: Body, f: Posture, rotations: dict, root: np.ndarray) -> None:
    """Add the shoulder and elbow rotations for ``f.arms`` to ``rotations`` (in place)."""
    rig = body.rig
    for side in SIDES:
        lateral = 1.0 if side == "R" else -1.0
        sign = -1.0 if side == "L" else 1.0
        flexion = f.arm_flexion_deg + sign * 0.5 * f.arm_asymmetry_deg
        if f.arms in ("hanging", "behind"):
            upper = arm_direction(side, flexion, f.arm_abduction_deg)
            _aim(rig, rotations, root, f"upperarm01.{side}", f"lowerarm01.{side}", upper)
            across = np.array([1.0, 0.0, 0.0]) - upper * upper[0]
            e = np.radians(f.elbow_deg)
            fore = np.cos(e) * upper + np.sin(e) * across / np.linalg.norm(across)
            _aim(rig, rotations, root, f"lowerarm01.{side}", f"wrist.{side}", fore)
        elif f.arms == "crossed":
            upper = arm_direction(side, 20.0 + 0.3 * flexion, -6.0)
            _aim(rig, rotations, root, f"upperarm01.{side}", f"lowerarm01.{side}", upper)
            rise = 0.35 if side == "L" else 0.1  # the left forearm lies above the right one
            fore = np.array([0.35, rise, -lateral * 0.9])
            _aim(rig, rotations, root, f"lowerarm01.{side}", f"wrist.{side}", fore)
        else:  # hands on hips
            upper = arm_direction(side, -12.0 + 0.3 * flexion, 32.0 + f.arm_abduction_deg)
            _aim(rig, rotations, root, f"upperarm01.{side}", f"lowerarm01.{side}", upper)
            bones = forward_kinematics(rig, rotations=rotations, root=root)
            elbow = bones[rig.index(f"lowerarm01.{side}"), :3, 3]
            hip = bones[rig.index(f"upperleg01.{side}"), :3, 3]
            waist = hip + np.array([0.0, 0.12, lateral * 0.06])
            _aim(
                rig,
                rotations,
                root,
                f"lowerarm01.{side}",
                f"wrist.{side}",
                waist - elbow,
            )


def _aim(rig, rotations: dict, root: np.ndarray, bone: str, child: str, target: np.ndarray) -> None:
    """Set ``bone``'s relative rotation so that its head-to-``child``-head line points along
    the world direction ``target`` (in place)."""
    bones = forward_kinematics(rig, rotations=rotations, root=root)
    j = rig.index(bone)
    parent_motion = bones[rig.parents[j], :3, :3] @ rig.rest_global[rig.parents[j], :3, :3].T
    rest_dir = rig.head(child) - rig.head(bone)
    rotations[bone] = rotation_between(rest_dir, parent_motion.T @ np.asarray(target, float))
