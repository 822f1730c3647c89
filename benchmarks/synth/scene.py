"""The factors of one synthetic scene, ``SceneParams``, and ``sample_params`` that draws them.

Every factor of a scene is a field of ``SceneParams``: the single mesh's body and pose, the
camera, the room, the light, the colours and the degradations; ``sample_params`` draws them
from ranges (``DEFAULT_RANGES``, overridable per call). The anny bodies
(``benchmarks.bodies``) use the scene fields and bring their own body and posture.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import cv2
import numpy as np

from benchmarks.synth.camera import focal_px
from benchmarks.synth.posing import Posture

RGB = tuple[float, float, float]


@dataclass(frozen=True)
class SceneParams:
    """Every controlled factor of one synthetic image. Degrees, metres, RGB in 0..1.

    Body (see ``benchmarks.synth.posing``): ``pelvis_tilt_deg`` is the change from the
    mesh's neutral, anterior positive; ``tilt_mode`` "compensated" or "rigid".
    Camera (see ``benchmarks.synth.camera``): ``facing`` "left" or "right" is where the
    person's front points in the image; ``distance_m`` from the camera to the middle of the
    body; ``focal_mm`` 35 mm-equivalent; ``shift_x/y`` move the body off-centre (fractions).
    Degradation: ``blur_sigma`` px, ``noise_sigma`` in 0..255 units, ``jpeg_quality`` 1..100
    or None. ``supersample`` renders at that multiple and averages down (anti-aliasing).
    Light: ``light_azimuth_deg`` 0 lights the person from the front, +90 from the camera's
    side, -90 from the far side (so the two facings of one scene are mirror images).
    ``seed`` drives the sensor noise, so equal params give identical images.
    """

    seed: int = 0
    pelvis_tilt_deg: float = 0.0
    tilt_mode: str = "compensated"
    lumbar_extra_deg: float = 0.0
    height_m: float = 1.75
    girth: float = 1.0
    shoulder_flexion_deg: float = 0.0
    arm_asymmetry_deg: float = 0.0
    arm_abduction_deg: float = 8.0
    elbow_flexion_deg: float = 10.0
    facing: str = "right"
    yaw_deg: float = 0.0
    pitch_deg: float = 0.0
    roll_deg: float = 0.0
    distance_m: float = 2.0
    focal_mm: float = 28.0
    shift_x: float = 0.0
    shift_y: float = 0.0
    width: int = 720
    height: int = 1280
    skin_rgb: RGB = (0.80, 0.60, 0.48)
    top_rgb: RGB = (0.20, 0.35, 0.60)
    bottom_rgb: RGB = (0.15, 0.15, 0.18)
    shoes_rgb: RGB = (0.90, 0.90, 0.90)
    hair_rgb: RGB = (0.20, 0.13, 0.08)
    leg_cover: float = 0.9
    sleeve: float = 0.4
    shoes: bool = True
    hair: bool = True
    background: str = "room"
    wall_rgb: RGB = (0.85, 0.85, 0.82)
    floor_rgb: RGB = (0.55, 0.48, 0.40)
    wall_distance_m: float = 1.5
    light_azimuth_deg: float = 30.0
    light_elevation_deg: float = 40.0
    light_diffuse: float = 0.75
    light_ambient: float = 0.35
    blur_sigma: float = 0.0
    noise_sigma: float = 0.0
    jpeg_quality: int | None = 92
    supersample: int = 2

    def __post_init__(self):
        if self.facing not in ("left", "right"):
            raise ValueError(f"facing must be 'left' or 'right', got {self.facing!r}")
        if self.width < 16 or self.height < 16:
            raise ValueError("width and height must be at least 16 pixels")
        if self.supersample not in (1, 2, 3, 4):
            raise ValueError("supersample must be 1, 2, 3 or 4")

    def to_json(self) -> dict:
        """The params as plain JSON values; ``from_json`` inverts it."""
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> SceneParams:
        fields = {f.name: f for f in dataclasses.fields(cls)}
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in fields})

    def posture(self) -> Posture:
        """The single mesh's posture; its height and girth are ``height_m`` and ``girth``.
        (The body fields keep the names of the sets already written.)"""
        return Posture(
            tilt_deg=self.pelvis_tilt_deg,
            tilt_mode=self.tilt_mode,
            lumbar_deg=self.lumbar_extra_deg,
            arm_flexion_deg=self.shoulder_flexion_deg,
            arm_asymmetry_deg=self.arm_asymmetry_deg,
            arm_abduction_deg=self.arm_abduction_deg,
            elbow_deg=self.elbow_flexion_deg,
        )


# --- sampling --------------------------------------------------------------------------

SKIN_TONES: tuple[RGB, ...] = (
    (0.96, 0.80, 0.69),
    (0.90, 0.72, 0.60),
    (0.80, 0.60, 0.48),
    (0.72, 0.52, 0.38),
    (0.60, 0.42, 0.30),
    (0.46, 0.31, 0.22),
    (0.36, 0.24, 0.17),
    (0.26, 0.17, 0.12),
)
HAIR_COLOURS: tuple[RGB, ...] = (
    (0.08, 0.06, 0.05),
    (0.20, 0.13, 0.08),
    (0.40, 0.28, 0.16),
    (0.70, 0.58, 0.38),
    (0.55, 0.55, 0.55),
)

DEFAULT_RANGES: dict[str, object] = {
    "pelvis_tilt_deg": (-15.0, 20.0),
    "tilt_mode": ["compensated", "rigid"],
    "lumbar_extra_deg": (-10.0, 10.0),
    "height_m": (1.55, 1.95),
    "girth": (0.85, 1.3),
    "shoulder_flexion_deg": (-10.0, 12.0),
    "arm_asymmetry_deg": (-15.0, 15.0),
    "arm_abduction_deg": (4.0, 15.0),
    "elbow_flexion_deg": (0.0, 30.0),
    "facing": ["left", "right"],
    "yaw_deg": (-15.0, 15.0),
    "pitch_deg": (-5.0, 5.0),
    "roll_deg": (-5.0, 5.0),
    "focal_mm": (24.0, 52.0),
    "frame_fill": (0.55, 0.8),
    "shift_x": (-0.08, 0.08),
    "shift_y": (-0.03, 0.03),
    "leg_cover": (0.2, 2.0),
    "sleeve": (0.0, 2.0),
    "shoes": [True, False],
    "hair": [True, False],
    "background": ["room", "room", "plain", "gradient"],
    "wall_distance_m": (0.6, 3.0),
    "light_azimuth_deg": (-45.0, 90.0),
    "light_elevation_deg": (10.0, 70.0),
    "light_diffuse": (0.5, 0.9),
    "light_ambient": (0.2, 0.5),
    "blur_sigma": (0.0, 1.5),
    "noise_sigma": (0.0, 6.0),
    "jpeg_quality": (40, 95),
}
"""Ranges ``sample_params`` draws from: (low, high) uniform (ints stay ints), a list to pick
from, or a single value to fix. ``frame_fill`` is the body height as a fraction of the image
height, from which ``distance_m`` follows (unless ``distance_m`` is given)."""


def sample_params(rng: np.random.Generator, *, width: int = 720, height: int = 1280, **ranges) -> SceneParams:
    """Random scene parameters. ``ranges`` override ``DEFAULT_RANGES`` by name (any
    ``SceneParams`` field, or ``frame_fill``); unknown names raise ``TypeError``."""
    known = {f.name for f in dataclasses.fields(SceneParams)} | {"frame_fill"}
    unknown = set(ranges) - known
    if unknown:
        raise TypeError(f"unknown parameter ranges: {sorted(unknown)}")
    spec = {**DEFAULT_RANGES, **ranges}
    values = {name: _draw(rng, r) for name, r in spec.items()}
    values["skin_rgb"] = SKIN_TONES[rng.integers(len(SKIN_TONES))]
    values["hair_rgb"] = HAIR_COLOURS[rng.integers(len(HAIR_COLOURS))]
    for name in ("top_rgb", "bottom_rgb", "shoes_rgb"):
        values[name] = _colour(rng, saturation=(0.0, 0.8), value=(0.1, 0.95))
    values["wall_rgb"] = _colour(rng, saturation=(0.0, 0.3), value=(0.55, 0.97))
    values["floor_rgb"] = _colour(rng, saturation=(0.0, 0.5), value=(0.2, 0.8))
    values.setdefault("seed", int(rng.integers(2**31)))
    for name in (
        "top_rgb",
        "bottom_rgb",
        "shoes_rgb",
        "skin_rgb",
        "hair_rgb",
        "wall_rgb",
        "floor_rgb",
        "seed",
    ):
        if name in ranges:
            values[name] = ranges[name]
    fill = values.pop("frame_fill")
    if "distance_m" not in ranges:
        f = focal_px(values["focal_mm"], width, height)
        values["distance_m"] = round(float(f * values["height_m"] / (fill * height)), 4)
    return SceneParams(width=width, height=height, **values)


def _draw(rng: np.random.Generator, spec):
    if isinstance(spec, list):
        return spec[rng.integers(len(spec))]
    if (
        isinstance(spec, tuple)
        and len(spec) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in spec)
    ):
        low, high = spec
        if isinstance(low, int) and isinstance(high, int):
            return int(rng.integers(low, high + 1))
        return round(float(rng.uniform(low, high)), 4)
    return spec


def _colour(rng: np.random.Generator, *, saturation, value) -> RGB:
    h, s, v = rng.uniform(0, 1), rng.uniform(*saturation), rng.uniform(*value)
    rgb = cv2.cvtColor(np.array([[[h * 180, s * 255, v * 255]]], np.uint8), cv2.COLOR_HSV2RGB)
    return tuple(round(float(c) / 255.0, 4) for c in rgb[0, 0])
