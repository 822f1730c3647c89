"""What is known exactly about a posed anny body, and how each quantity is defined.

Angles are degrees in the body's sagittal plane (world x-y: +x forward, +y up), so they mean
the same whichever way the person faces in the image and whatever the camera does.

``pelvic_tilt_deg`` (clinical pelvic tilt)
    the angle of the line from the mid-ASIS point to the mid-PSIS point against the
    horizontal, **anterior (front lower) positive** (``benchmarks.synth.truth.line_tilt_deg``).
    The bony points are placed on the rest pose by the rule below and then carried
    **rigidly with the pelvis bone** (anny's ``root``: its rest-to-posed transform, not the
    skinning), as bony landmarks move. Rule, with H the midpoint of the two hip joint
    centres (heads of ``upperleg01.L/R``) and IAD (the distance between the two ASISs)
    taken as ``IAD_PER_STATURE`` x stature (adult IADs are about 22-26 cm; anny's hip joint
    centres sit wider apart than femoral heads, so they do not set the width):

    * mid-ASIS = H + (0.19 IAD + ``ASIS_FORWARD_M``) forward + 0.30 IAD up: Bell et al.
      (1990) place the hip joint centre 19 % of IAD behind, 30 % below and 36 % lateral of
      the mid-ASIS point. ``ASIS_FORWARD_M`` (4.5 cm) moves the pelvis forward because
      anny's hip joint centres sit further back in the body than real ones: with Bell's rule
      alone the PSIS of average bodies fell 1-3 cm *outside* the back skin; with it the skin
      over the ASIS and PSIS is a few cm thick (``asis_skin_depth_m``, ``psis_skin_depth_m``
      in every truth). It moves the points, never the angle; ASIS left/right = mid-ASIS -/+
      IAD/2 sideways;
    * mid-PSIS = mid-ASIS + PD (pelvic depth, ``PD_PER_IAD`` x IAD, Harrington et al. 2007
      report PD about 0.6-0.7 of the pelvic width) backward along a line rising backward at
      ``REST_TILT_DEG`` above the horizontal; PSIS left/right -/+ 4.5 cm (the PSIS dimples).

    **Calibration**: ``REST_TILT_DEG`` = 12 makes the rest pose of every body read 12
    degrees, the mean clinical tilt of healthy relaxed standing (11-13 degrees, Preece 2008,
    Herrington 2011, in RESEARCH.md). So the rest pose is *declared* relaxed neutral
    standing; ``pelvic_tilt_deg`` = 12 + ``pelvic_tilt_change_deg`` exactly. The real
    person-to-person spread from bony shape alone (0-23 degrees) is not in this number; each
    body carries ``pelvis_morphology_deg`` (drawn N(0, 4), clipped to +-8) and
    ``pelvic_tilt_with_morphology_deg`` adds it, for a study of that floor.
``pelvic_tilt_change_deg``
    rotation of the pelvis bone about the left-right axis from rest, anterior positive.
``pelvic_tilt_skin_deg``
    the same line between the skin points over the ASIS and the PSIS (the most anterior /
    most posterior rest vertex within 2.5 cm of each bony point's height and side), followed
    through the skinning: what a palpation meter on this mesh's skin would read. It differs
    from ``pelvic_tilt_deg`` where the skin weights smear pelvis and lumbar motion.
``lumbar_lordosis_deg`` (T12-S1, Cobb-like)
    ``lean(sacral axis) - lean(T12 axis)``, with ``lean`` the sagittal angle of a direction
    from the vertical, forward positive (``benchmarks.synth.truth.lean_deg``); positive =
    lordotic (the top of the lumbar spine turned backward relative to the sacrum). The
    **T12 axis** is the direction of ``spine02``, the bone that starts at the rig's
    thoracolumbar (T12/L1-like) joint (``benchmarks.bodies.posing`` says why that joint);
    the **sacral axis** is a direction fixed in the pelvis bone, set at rest to
    ``SACRAL_REST_DEG`` = 50 degrees forward of vertical and carried with the pelvis. The
    lumbar joints (heads of ``spine04``, ``spine03``, ``spine02``) lie between the two, so the angle changes by exactly the lumbar extension the posture
    applies. **Calibration**: the 50 degrees is chosen so that a rest pose whose T12 axis is
    vertical reads 50 degrees, the radiographic mean (49.8 +- 11.2, RESEARCH.md); the rest
    T12 axis of anny bodies leans a few degrees by phenotype. It is not an anatomical
    sacral slope.
``lumbar_flexicurve_skin_deg``
    flexicurve lordosis 4 arctan(2H/L) (Hart & Rose 1986) of the skinned back midline (the
    most posterior rest vertex within 1.2 cm of the midplane at 21 heights from the PSIS
    height to the T12/L1 joint height), positive for a hollow. On the body's skin, before
    clothes.
``trunk_lean_deg``, ``knee_angle_deg``, ``hip_ahead_of_ankle_m``, ``ear_ahead_of_shoulder_m``
    forward lean of the hip-to-shoulder line (joint midpoints); knee flexion between thigh
    and shank, hyperextension negative (mean of both legs); horizontal offsets, forward
    positive, of the hip and ear midpoints from the ankle and shoulder midpoints.
``landmarks``
    per name: ``px`` [x, y] (y down), ``xyz`` world metres, ``depth_m`` along the optical
    axis. MediaPipe names: joint centres are bone heads (shoulder ``upperarm01``, elbow
    ``lowerarm01``, wrist ``wrist``, index ``finger2-3``, hip ``upperleg01``, knee
    ``lowerleg01``, ankle ``foot``, eye ``eye``); nose, ear, heel and foot index are skin
    vertices chosen by rule on the rest mesh (``surface_rules``). Also the bony ASIS/PSIS
    points, their skin points, and spine joints ``s1`` (head of ``spine04``), ``t12``
    (head of ``spine02``) and ``c7`` (head of ``neck01``).
"""

from __future__ import annotations

import numpy as np

from benchmarks.bodies.model import Body
from benchmarks.bodies.posing import SIDES, Posed
from benchmarks.synth.camera import Camera
from benchmarks.synth.truth import flexicurve_deg, image_tilt_deg, lean_deg, line_tilt_deg, projected

IAD_PER_STATURE = 0.135
ASIS_FORWARD_M = 0.045
PD_PER_IAD = 0.60
PSIS_HALF_GAP_M = 0.045
REST_TILT_DEG = 12.0
SACRAL_REST_DEG = 50.0
SIDE_NAME = {"L": "left", "R": "right"}
JOINTS = {
    "shoulder": "upperarm01",
    "elbow": "lowerarm01",
    "wrist": "wrist",
    "index": "finger2-3",
    "hip": "upperleg01",
    "knee": "lowerleg01",
    "ankle": "foot",
    "eye": "eye",
}
SPINE_POINTS = {"s1": "spine04", "t12": "spine02", "c7": "neck01"}
T12_BONE = "spine02"


def bony_pelvis(body: Body) -> dict[str, np.ndarray]:
    """Rest positions (3,) of ``mid_asis``, ``mid_psis`` and per side ``asis_L`` etc."""
    hip = body.hip_centre()
    iad = IAD_PER_STATURE * body.stature_m
    mid_asis = hip + np.array([0.19 * iad + ASIS_FORWARD_M, 0.30 * iad, 0.0])
    a = np.radians(REST_TILT_DEG)
    mid_psis = mid_asis + PD_PER_IAD * iad * np.array([-np.cos(a), np.sin(a), 0.0])
    points = {"mid_asis": mid_asis, "mid_psis": mid_psis}
    for side, sign in (("L", -1.0), ("R", 1.0)):
        points[f"asis_{side}"] = mid_asis + np.array([0.0, 0.0, sign * 0.5 * iad])
        points[f"psis_{side}"] = mid_psis + np.array([0.0, 0.0, sign * PSIS_HALF_GAP_M])
    return points


def dominant_bone(body: Body) -> np.ndarray:
    """Index (V,) of the bone with the largest skin weight, per vertex."""
    rig = body.rig
    return rig.joints[np.arange(len(rig.joints)), rig.weights.argmax(axis=1)]


def _bones_matching(body: Body, *prefixes: str) -> np.ndarray:
    return np.array([any(n.startswith(p) for p in prefixes) for n in body.rig.names])


def surface_rules(body: Body) -> dict[str, int | np.ndarray]:
    """Vertex indices of the rule-based skin points on the rest mesh (see the module doc)."""
    p = body.rig.positions
    dom = dominant_bone(body)
    head = _bones_matching(body, "head", "eye")[dom]
    rules: dict[str, int | np.ndarray] = {}
    eye_y = 0.5 * (body.head("eye.L")[1] + body.head("eye.R")[1])
    eye_x = 0.5 * (body.head("eye.L")[0] + body.head("eye.R")[0])
    face = head & (p[:, 1] > eye_y - 0.07) & (p[:, 1] < eye_y + 0.01)
    rules["nose"] = _arg(face, p[:, 0], np.argmax)
    for side, sign in (("L", -1.0), ("R", 1.0)):
        name = SIDE_NAME[side]
        ear = (
            head
            & (np.abs(p[:, 1] - (eye_y - 0.015)) < 0.025)
            & (p[:, 0] < eye_x - 0.05)
            & (sign * p[:, 2] > 0)
        )
        rules[f"{name}_ear"] = _arg(ear, sign * p[:, 2], np.argmax)
        foot = _bones_matching(body, f"foot.{side}", "toe")[dom] & (sign * p[:, 2] > 0)
        sole = foot & (p[:, 1] < p[foot, 1].min() + 0.03)
        rules[f"{name}_heel"] = _arg(sole, p[:, 0], np.argmin)
        rules[f"{name}_foot_index"] = _arg(foot, p[:, 0], np.argmax)
    bony = bony_pelvis(body)
    for side in SIDES:
        for what, pick, scan in (("asis", np.argmax, 1.0), ("psis", np.argmin, -1.0)):
            b = bony[f"{what}_{side}"]
            near = (
                (np.abs(p[:, 1] - b[1]) < 0.025)
                & (np.abs(p[:, 2] - b[2]) < 0.025)
                & (scan * (p[:, 0] - b[0]) > -0.05)
            )
            rules[f"{what}_skin_{side}"] = _arg(near, p[:, 0], pick)
    rules["back_midline"] = _back_midline(body, bony)
    return rules


def _arg(mask: np.ndarray, score: np.ndarray, pick) -> int:
    idx = np.flatnonzero(mask)
    if not len(idx):
        raise ValueError("a surface rule found no vertex")
    return int(idx[pick(score[idx])])


def _back_midline(body: Body, bony: dict) -> np.ndarray:
    """Vertex indices (21,) of the back midline from PSIS height to the T12/L1 joint."""
    p = body.rig.positions
    mid = np.abs(p[:, 2]) < 0.012  # the arms hang away from the midplane at rest
    heights = np.linspace(bony["mid_psis"][1], body.head(T12_BONE)[1], 21)
    out = []
    for y in heights:
        near = mid & (np.abs(p[:, 1] - y) < 0.012)
        if not near.any():
            near = mid & (np.abs(p[:, 1] - y) < 0.03)
        out.append(_arg(near, p[:, 0], np.argmin))
    return np.array(out)


def pelvis_change_deg(posed: Posed) -> float:
    """Anterior rotation (deg) of the pelvis bone about the left-right axis from rest."""
    m = posed.skinning[posed.body.rig.index("root"), :3, :3]
    return float(-np.degrees(np.arctan2(m[1, 0], m[0, 0])))


def sacral_axis(posed: Posed) -> np.ndarray:
    """Posed sacral axis (3,): ``SACRAL_REST_DEG`` forward of vertical at rest, with the pelvis."""
    a = np.radians(SACRAL_REST_DEG)
    rest = np.array([np.sin(a), np.cos(a), 0.0])
    return posed.skinning[posed.body.rig.index("root"), :3, :3] @ rest


def _knee_deg(posed: Posed, side: str) -> float:
    hip, knee, ankle = (posed.head(f"{b}.{side}") for b in ("upperleg01", "lowerleg01", "foot"))
    thigh, shank = lean_deg(hip - knee), lean_deg(knee - ankle)
    return float(shank - thigh)  # > 0 knee forward (flexed), < 0 knee back (hyperextended)


def compute_truth(
    posed: Posed,
    rules: dict,
    camera: Camera,
    facing: str,
    *,
    morphology_deg: float = 0.0,
) -> dict:
    """The truth dict of ``posed`` seen by ``camera``; ``rules`` from ``surface_rules``."""
    body, v = posed.body, posed.vertices
    rest = bony_pelvis(body)
    bony = {k: posed.carry("root", x[None])[0] for k, x in rest.items()}
    skin = {k: 0.5 * (v[rules[f"{k}_skin_L"]] + v[rules[f"{k}_skin_R"]]) for k in ("asis", "psis")}
    tilt = line_tilt_deg(bony["mid_asis"], bony["mid_psis"])
    lordosis = lean_deg(sacral_axis(posed)) - lean_deg(posed.axis(T12_BONE))
    mid = {
        b: 0.5 * (posed.head(f"{b}.L") + posed.head(f"{b}.R")) for b in ("upperleg01", "upperarm01", "foot")
    }
    ears = 0.5 * (v[rules["left_ear"]] + v[rules["right_ear"]])

    image_tilt = image_tilt_deg(camera, bony["mid_asis"], bony["mid_psis"], facing)

    points: dict[str, np.ndarray] = {"nose": v[rules["nose"]]}
    for side in SIDES:
        name = SIDE_NAME[side]
        for label, bone in JOINTS.items():
            points[f"{name}_{label}"] = posed.head(f"{bone}.{side}")
        for label in ("ear", "heel", "foot_index"):
            points[f"{name}_{label}"] = v[rules[f"{name}_{label}"]]
        for what in ("asis", "psis"):
            points[f"{name}_{what}"] = bony[f"{what}_{side}"]
            points[f"{name}_{what}_skin"] = v[rules[f"{what}_skin_{side}"]]
    points["mid_asis"], points["mid_psis"] = bony["mid_asis"], bony["mid_psis"]
    for label, bone in SPINE_POINTS.items():
        points[label] = posed.head(bone)
    landmarks = projected(camera, points)
    return {
        "pelvic_tilt_deg": tilt,
        "pelvic_tilt_change_deg": pelvis_change_deg(posed),
        "pelvic_tilt_rest_deg": REST_TILT_DEG,
        "pelvic_tilt_with_morphology_deg": tilt + morphology_deg,
        "pelvic_tilt_skin_deg": line_tilt_deg(skin["asis"], skin["psis"]),
        "pelvic_tilt_image_deg": image_tilt,
        "lumbar_lordosis_deg": float(lordosis),
        "lumbar_flexicurve_skin_deg": flexicurve_deg(v[rules["back_midline"], :2]),
        "trunk_lean_deg": lean_deg(mid["upperarm01"] - mid["upperleg01"]),
        "knee_angle_deg": 0.5 * (_knee_deg(posed, "L") + _knee_deg(posed, "R")),
        "hip_ahead_of_ankle_m": float(mid["upperleg01"][0] - mid["foot"][0]),
        "ear_ahead_of_shoulder_m": float(ears[0] - mid["upperarm01"][0]),
        "asis_skin_depth_m": float(skin["asis"][0] - bony["mid_asis"][0]),
        "psis_skin_depth_m": float(bony["mid_psis"][0] - skin["psis"][0]),
        "facing": facing,
        "landmarks": landmarks,
    }
