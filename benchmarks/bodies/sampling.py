"""What one image of an anny body shows, drawn at random: the posture (``Posture``), the
clothes and hair (``Clothes``), the scene (``SceneParams``) and the body's own parameters.

Ranges are in ``benchmarks/bodies/README.md``. Scene factors (camera, background, light,
colours, blur, noise, JPEG) are drawn by ``benchmarks.synth.scene.sample_params`` with the
single-mesh benchmark's ranges, except yaw (+-15 degrees), the camera height (0.6-1.7 m, which
sets the pitch: the camera looks at the middle of the body) and the distance (from the frame
fill and this body's stature).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from benchmarks.bodies.dressing import Clothes
from benchmarks.bodies.model import sample_body_spec
from benchmarks.synth.posing import Posture
from benchmarks.synth.scene import SceneParams, sample_params

SESSION_JITTER = {"yaw_deg": 2.0, "pitch_deg": 1.0, "roll_deg": 1.0, "distance": 0.03, "shift": 0.01}
"""How far the camera moves between the photos of one session (uniform +-; distance and shift
as fractions): a phone on a tripod or held by a trainer, put back in about the same place."""
ARM_JITTER_DEG = 3.0
"""How far the arm angles move between the photos of one session (uniform +-, degrees)."""
ARM_WEIGHTS = {"hanging": 0.55, "crossed": 0.15, "hips": 0.15, "behind": 0.15}


def _u(rng: np.random.Generator, low: float, high: float) -> float:
    return round(float(rng.uniform(low, high)), 3)


def sample_factors(rng: np.random.Generator) -> Posture:
    """Posture factors of one image (ranges in the README)."""
    names = list(ARM_WEIGHTS)
    arms = names[int(rng.choice(len(names), p=list(ARM_WEIGHTS.values())))]
    flexion = _u(rng, -30.0, -15.0) if arms == "behind" else _u(rng, -8.0, 12.0)
    return Posture(
        tilt_deg=_u(rng, -15.0, 15.0),
        tilt_mode="compensated" if rng.random() < 0.5 else "rigid",
        lumbar_deg=round(float(np.clip(rng.normal(0.0, 6.0), -12.0, 12.0)), 3),
        thoracic_deg=_u(rng, -8.0, 15.0),
        sway_deg=0.0 if rng.random() < 0.6 else _u(rng, 2.0, 7.0),
        knee_hyperextension_deg=0.0 if rng.random() < 0.6 else _u(rng, 2.0, 10.0),
        head_forward_deg=_u(rng, 0.0, 6.0) if rng.random() < 0.5 else _u(rng, 6.0, 22.0),
        arms=arms,
        arm_flexion_deg=flexion,
        arm_abduction_deg=_u(rng, 4.0, 14.0),
        elbow_deg=_u(rng, 0.0, 25.0),
        arm_asymmetry_deg=_u(rng, -10.0, 10.0),
    )


def sample_clothes(rng: np.random.Generator, sex: str) -> Clothes:
    """Clothes and hair of one image: 40 % skin-tight tops, 30 % a little and 30 % very loose."""
    r = rng.random()
    loose = 0.0 if r < 0.4 else (_u(rng, 0.15, 0.5) if r < 0.7 else _u(rng, 0.5, 1.0))
    hem = _u(rng, 0.10, 0.18) if loose < 0.5 else _u(rng, 0.0, 0.10)
    shorts = rng.random() < 0.4
    leg_cover = _u(rng, 0.3, 0.95) if shorts else _u(rng, 1.6, 2.0)
    long_hair = rng.random() < (0.65 if sex == "female" else 0.1)
    return Clothes(
        top_loose=loose,
        hem_m=hem,
        trouser_loose=_u(rng, 0.0, 0.5) if shorts else _u(rng, 0.0, 1.0),
        hair_m=_u(rng, 0.02, 0.18) if long_hair else 0.0,
        leg_cover=leg_cover,
        sleeve=_u(rng, 0.0, 2.0),
        shoes=bool(rng.random() < 0.7),
        hair=bool(rng.random() < 0.9),
    )


def session_variant(
    rng: np.random.Generator, factors: Posture, arms: Posture, scene: SceneParams
) -> tuple[Posture, SceneParams]:
    """One photo of a session: this photo's posture ``factors`` with the session's arm pose
    (``arms``, each angle moved by up to ``ARM_JITTER_DEG``) and the session's ``scene`` with
    the camera moved by up to ``SESSION_JITTER`` and fresh sensor noise."""
    j = SESSION_JITTER
    factors = dataclasses.replace(
        factors,
        arms=arms.arms,
        arm_flexion_deg=round(arms.arm_flexion_deg + _u(rng, -ARM_JITTER_DEG, ARM_JITTER_DEG), 3),
        arm_abduction_deg=round(arms.arm_abduction_deg + _u(rng, -ARM_JITTER_DEG, ARM_JITTER_DEG), 3),
        elbow_deg=round(max(0.0, arms.elbow_deg + _u(rng, -ARM_JITTER_DEG, ARM_JITTER_DEG)), 3),
        arm_asymmetry_deg=arms.arm_asymmetry_deg,
    )
    scene = dataclasses.replace(
        scene,
        seed=int(rng.integers(2**31)),
        yaw_deg=round(float(np.clip(scene.yaw_deg + _u(rng, -j["yaw_deg"], j["yaw_deg"]), -16, 16)), 3),
        pitch_deg=round(scene.pitch_deg + _u(rng, -j["pitch_deg"], j["pitch_deg"]), 3),
        roll_deg=round(scene.roll_deg + _u(rng, -j["roll_deg"], j["roll_deg"]), 3),
        distance_m=round(scene.distance_m * (1 + _u(rng, -j["distance"], j["distance"])), 4),
        shift_x=round(scene.shift_x + _u(rng, -j["shift"], j["shift"]), 4),
        shift_y=round(scene.shift_y + _u(rng, -j["shift"], j["shift"]), 4),
    )
    return factors, scene


def sample_scene(rng: np.random.Generator, stature_m: float, *, width: int, height: int) -> SceneParams:
    """Camera, light, colours and degradations (see the module docstring)."""
    scene = sample_params(
        rng,
        width=width,
        height=height,
        height_m=round(stature_m, 4),
        yaw_deg=(-15.0, 15.0),
        pitch_deg=0.0,
        roll_deg=(-4.0, 4.0),
        frame_fill=(0.55, 0.85),
    )
    camera_height = float(rng.uniform(0.6, 1.7))
    pitch = math.degrees(
        math.asin(np.clip((0.5 * stature_m - camera_height) / scene.distance_m, -0.35, 0.35))
    )
    return dataclasses.replace(scene, pitch_deg=round(pitch + float(rng.uniform(-2, 2)), 3))


def body_spec(seed: int, index: int) -> dict:
    """The body parameters of body ``index`` of ``seed`` (JSON-able)."""
    rng = np.random.default_rng([seed, index])
    spec = sample_body_spec(rng)
    spec["pelvis_morphology_deg"] = round(float(np.clip(rng.normal(0.0, 4.0), -8.0, 8.0)), 3)
    return spec
