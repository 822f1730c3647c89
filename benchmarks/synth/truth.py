"""What is known exactly about a rendered figure: pelvis and lumbar angles, landmark pixels.

All angles are degrees, measured in the body's sagittal plane (the x-y plane of the world
frame: +x forward, +y up), so they mean the same whichever way the camera looks and whichever
way the person faces in the image.

``pelvis_tilt_change_deg``
    rotation of the pelvis bone frame (root bone ``spine``) about the left-right axis,
    relative to the mesh's rest pose; anterior positive (the front of the pelvis goes down).
``pelvic_tilt_deg``
    clinical-style tilt: the angle between the horizontal and the line from the mid-ASIS
    point to the mid-PSIS point, anterior positive (ASIS lower than PSIS). The ASIS-like
    and PSIS-like points are surface points chosen by rule on the rest mesh
    (``benchmarks.synth.figure``) and then carried **rigidly with the pelvis bone**, as bony
    landmarks are (height scale applied, girth not). So it equals
    ``pelvic_tilt_neutral_deg + pelvis_tilt_change_deg`` exactly. The neutral value (about
    9.8 degrees) is what the rule gives on this mesh, not a measurement of a real pelvis.
``pelvic_tilt_skin_deg``
    the same line between the same surface points followed through the skinning (what
    a palpation meter on the deformed skin would read); differs from ``pelvic_tilt_deg`` by
    the skinning's smearing of pelvis and lumbar motion and by the girth scale.
``lumbar_chain_deg``
    bone-chain lordosis: the sagittal angle between the direction of the pelvis bone
    (``spine``, standing in for the sacrum) and that of ``spine.002`` (the segment above the
    rig's T12/L1 joint), positive when the upper one is turned backward relative to the
    lower one (extension, lordosis). A Cobb-like T12-S1 angle of the rig; its rest value
    (about 8.8 degrees) reflects the rig's bone layout, not a radiographic lordosis.
``lumbar_flexicurve_deg``
    flexicurve lordosis on the skinned back midline between the S2-like level (PSIS height)
    and the T12-like level (Hart & Rose 1986): chord length L between the two end points,
    H the largest distance of the back line from the chord, theta = 4 * arctan(2 H / L);
    positive when the deepest point lies in front of the chord (a hollow, lordotic back),
    negative when the line bulges backward.
``trunk_lean_deg``
    forward lean from the vertical of the line from the hip joint midpoint to the shoulder
    joint midpoint (heads of ``upper_arm.L/R``), forward positive.
``pelvic_tilt_image_deg``
    the ASIS-PSIS line as projected into the image, against the image's horizontal, signed
    as above using the facing: what an ideal 2-D method could see.
``landmarks``
    per name (MediaPipe's names where there is one): ``px`` [x, y] pixels (y down),
    ``xyz`` world metres, ``depth_m`` along the optical axis. Joint centres are bone heads:
    hip ``thigh``, knee ``shin``, ankle ``foot``, shoulder ``upper_arm``, elbow ``forearm``,
    wrist ``hand``; ear, nose, heel and foot index are surface points (figure rules).
"""

from __future__ import annotations

import numpy as np

from benchmarks.synth.camera import Camera
from benchmarks.synth.figure import SIDES, Figure
from benchmarks.synth.posing import PosedBody

JOINT_LANDMARKS = {
    "shoulder": "upper_arm",
    "elbow": "forearm",
    "wrist": "hand",
    "hip": "thigh",
    "knee": "shin",
    "ankle": "foot",
}
SURFACE_LANDMARKS = {"ear": "ear", "heel": "heel", "foot_index": "toe"}
SIDE_NAME = {"L": "left", "R": "right"}


def line_tilt_deg(front, back) -> float:
    """Angle (deg) of the line from ``front`` (3,) to ``back`` (3,) against the horizontal in
    the x-y plane; positive when ``front`` is lower than ``back`` (anterior tilt)."""
    d = np.asarray(back, float) - np.asarray(front, float)
    return float(np.degrees(np.arctan2(d[1], -d[0])))


def lean_deg(direction) -> float:
    """Sagittal angle (deg) of a direction from the vertical, forward (+x) positive."""
    return float(np.degrees(np.arctan2(direction[0], direction[1])))


def flexicurve_deg(profile: np.ndarray) -> float:
    """Flexicurve angle (deg) of a sagittal back line (K, 2) of (forward, up) points ordered
    from bottom to top: 4 arctan(2 H / L), positive for a hollow in front of the chord."""
    profile = np.asarray(profile, float)
    chord = profile[-1] - profile[0]
    length = float(np.linalg.norm(chord))
    normal = np.array([chord[1], -chord[0]]) / length  # points forward for an upward chord
    depth = (profile - profile[0]) @ normal
    deepest = depth[np.argmax(np.abs(depth))]
    return float(np.degrees(4.0 * np.arctan(2.0 * deepest / length)))


def image_tilt_deg(camera: Camera, asis: np.ndarray, psis: np.ndarray, facing: str) -> float:
    """Tilt of the ASIS-PSIS line as the photo shows it (degrees, anterior positive): the
    points (3,) projected by ``camera``, the front to the image's ``facing`` side."""
    sign = 1.0 if facing == "right" else -1.0
    (a_px, p_px), _ = camera.project(np.stack([asis, psis]))
    return float(np.degrees(np.arctan2(a_px[1] - p_px[1], sign * (a_px[0] - p_px[0]))))


def projected(camera: Camera, points: dict[str, np.ndarray]) -> dict[str, dict]:
    """Each named world point (3,) with its pixel position (x right, y down, 0.01 px), its
    world position (0.01 mm) and its depth from the camera (0.1 mm), for the truth JSON."""
    names = list(points)
    xyz = np.stack([points[n] for n in names])
    px, depth = camera.project(xyz)
    return {
        n: {
            "px": [round(float(u), 2), round(float(v), 2)],
            "xyz": [round(float(c), 5) for c in p],
            "depth_m": round(float(d), 4),
        }
        for n, (u, v), p, d in zip(names, px, xyz, depth)
    }


def pelvis_change_deg(body: PosedBody) -> float:
    """Anterior rotation (deg) of the pelvis bone frame about the left-right axis vs rest."""
    j = body.rig.index("spine")
    motion = body.bones[j, :3, :3] @ body.rig.rest_global[j, :3, :3].T
    return float(-np.degrees(np.arctan2(motion[1, 0], motion[0, 0])))


def _carry_rigid(body: PosedBody, bone: str, rest_points: np.ndarray) -> np.ndarray:
    """Rest points moved with the bone's rigid motion (height scale included, girth not)."""
    j = body.rig.index(bone)
    m = body.bones[j] @ np.linalg.inv(body.rig.rest_global[j])
    return rest_points @ m[:3, :3].T + m[:3, 3]


def _pelvis_points(figure: Figure, vertices: np.ndarray) -> dict[str, np.ndarray]:
    return {
        name: 0.5
        * (
            figure.points[f"{name}_L"].at(figure.faces, vertices)[0]
            + figure.points[f"{name}_R"].at(figure.faces, vertices)[0]
        )
        for name in ("asis", "psis")
    }


def neutral_truth(figure: Figure) -> dict[str, float]:
    """The rest mesh's values of the rule-based measures."""
    rest = _pelvis_points(figure, figure.bind)
    rig = figure.rig
    chain = lean_deg(rig.rest_global[rig.index("spine"), :3, 1]) - lean_deg(
        rig.rest_global[rig.index("spine.002"), :3, 1]
    )
    back = figure.back_midline.at(figure.faces, figure.bind)[:, :2]
    return {
        "pelvic_tilt_deg": line_tilt_deg(rest["asis"], rest["psis"]),
        "lumbar_chain_deg": chain,
        "lumbar_flexicurve_deg": flexicurve_deg(back),
    }


def compute_truth(figure: Figure, body: PosedBody, surface: np.ndarray, camera: Camera, facing: str) -> dict:
    """The truth dict for a posed ``body`` whose rendered surface is ``surface`` (N, 3)."""
    rig = body.rig
    neutral = neutral_truth(figure)
    rest = _pelvis_points(figure, figure.bind)
    bony = {k: _carry_rigid(body, "spine", v[None])[0] for k, v in rest.items()}
    skin = _pelvis_points(figure, surface)
    chain = lean_deg(body.bones[rig.index("spine"), :3, 1]) - lean_deg(
        body.bones[rig.index("spine.002"), :3, 1]
    )
    back = figure.back_midline.at(figure.faces, surface)[:, :2]
    trunk = body.head("upper_arm.L") + body.head("upper_arm.R") - body.head("thigh.L") - body.head("thigh.R")

    image_tilt = image_tilt_deg(camera, bony["asis"], bony["psis"], facing)

    points = {}
    for side in SIDES:
        for name, bone in JOINT_LANDMARKS.items():
            points[f"{SIDE_NAME[side]}_{name}"] = body.head(f"{bone}.{side}")
        for name, rule in SURFACE_LANDMARKS.items():
            points[f"{SIDE_NAME[side]}_{name}"] = figure.points[f"{rule}_{side}"].at(figure.faces, surface)[0]
        for name in ("asis", "psis"):
            points[f"{SIDE_NAME[side]}_{name}_skin"] = figure.points[f"{name}_{side}"].at(
                figure.faces, surface
            )[0]
    for name in ("nose", "s2_skin", "t12_skin"):
        points[name] = figure.points[name].at(figure.faces, surface)[0]
    points["mid_asis"], points["mid_psis"] = bony["asis"], bony["psis"]
    landmarks = projected(camera, points)

    return {
        "pelvis_tilt_change_deg": pelvis_change_deg(body),
        "pelvic_tilt_deg": line_tilt_deg(bony["asis"], bony["psis"]),
        "pelvic_tilt_skin_deg": line_tilt_deg(skin["asis"], skin["psis"]),
        "pelvic_tilt_image_deg": image_tilt,
        "lumbar_chain_deg": float(chain),
        "lumbar_flexicurve_deg": flexicurve_deg(back),
        "trunk_lean_deg": lean_deg(trunk),
        "neutral": neutral,
        "facing": facing,
        "near_side": facing,
        "landmarks": landmarks,
    }
