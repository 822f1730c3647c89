"""Stickers painted onto the marker benchmark's real side views (``benchmarks.markers``): the
random draw of one composite (sticker size, colour, place, tilt, roll, the picture's
degradations), the composite itself and its analysis against the painted truth.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass

import numpy as np

from benchmarks.marker_photos import Photo, marker_search, rotation

COLOURS = {
    "neon green": (57, 255, 20),
    "neon pink": (255, 16, 140),
    "neon orange": (255, 100, 20),
    "neon blue": (20, 90, 255),
    "yellow": (250, 225, 0),
    "red": (220, 25, 35),
    "violet": (140, 40, 220),
}
BODY_HEIGHT_MM = (1550.0, 1900.0)
STICKER_MM = (12.0, 25.0)
ASIS_PSIS_MM = (100.0, 170.0)
"""Skin distance between the two stickers drawn (adults: about 10-19 cm, RESEARCH.md)."""
MIDPOINT_FORWARD_MM = (-35.0, 15.0)
MIDPOINT_UP_MM = (55.0, 115.0)
"""Where the pair's midpoint is drawn from the hip landmark (ASIS 4-8 cm in front of and 6-10 cm
above the hip joint, PSIS 8-12 cm behind and 7-11 cm above it)."""
TARGET_STATURE_PX = (800.0, 1600.0)
"""The photo is scaled so the body is this tall: a phone photo of a person filling the frame."""
ROLL_DEGREES = 4.0
TILT_DEGREES = (-10.0, 20.0)
WRONG_CENTRE_RADII = 1.0
"""A sticker found further than this many of its radii from where it was painted is another
spot (a wrong find); nearer, it is the painted sticker, its centre error counted."""


def sticker_points(
    mid: tuple[float, float], distance_px: float, tilt_degrees: float, facing_sign: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """(ASIS, PSIS) centres, pixels (y down), ``distance_px`` apart about ``mid``, their
    PSIS->ASIS line ``tilt_degrees`` anterior (the ASIS lower), the ASIS on the side the person
    faces (``facing_sign`` +1: +x)."""
    half = distance_px / 2
    dx = facing_sign * half * math.cos(math.radians(tilt_degrees))
    dy = half * math.sin(math.radians(tilt_degrees))
    return (mid[0] + dx, mid[1] + dy), (mid[0] - dx, mid[1] - dy)


def moved(matrix: np.ndarray, point: tuple[float, float]) -> tuple[float, float]:
    x, y = matrix @ np.array([point[0], point[1], 1.0])
    return float(x), float(y)


@dataclass(frozen=True)
class Draw:
    """The random choices of one composite."""

    photo: str
    stature_px: float
    body_height_mm: float
    diameter_mm: float
    colour: str
    distance_mm: float
    forward_mm: float
    up_mm: float
    tilt: float
    roll: float
    blur: float
    jpeg: int
    noise: float
    shading: float
    aspect: float
    cover: float
    """Share of one sticker's diameter covered from below (a waistband), 0 for none."""
    covered: str
    frame: bool
    """A door frame (two dark vertical edges) drawn in the background: a vertical reference."""
    seed: int


def draw(rng: np.random.Generator, photo: Photo) -> Draw:
    roll = 0.0 if rng.random() < 0.3 else float(rng.uniform(-ROLL_DEGREES, ROLL_DEGREES))
    return Draw(
        photo=photo.name,
        stature_px=float(rng.uniform(*TARGET_STATURE_PX)),
        body_height_mm=float(rng.uniform(*BODY_HEIGHT_MM)),
        diameter_mm=float(rng.uniform(*STICKER_MM)),
        colour=str(rng.choice(list(COLOURS))),
        distance_mm=float(rng.uniform(*ASIS_PSIS_MM)),
        forward_mm=float(rng.uniform(*MIDPOINT_FORWARD_MM)),
        up_mm=float(rng.uniform(*MIDPOINT_UP_MM)),
        tilt=float(rng.uniform(*TILT_DEGREES)),
        roll=roll,
        blur=float(rng.choice([0.0, rng.uniform(0.3, 1.0), rng.uniform(1.0, 2.0)])),
        jpeg=int(rng.integers(60, 96)),
        noise=float(rng.uniform(0.0, 4.0)),
        shading=float(rng.uniform(0.0, 0.4)),
        aspect=float(rng.uniform(0.75, 1.0)),
        cover=float(rng.uniform(0.1, 0.4)) if rng.random() < 0.2 else 0.0,
        covered=str(rng.choice(["asis", "psis"])),
        frame=bool(rng.random() < 0.25),
        seed=int(rng.integers(2**31)),
    )


@dataclass(frozen=True)
class Composite:
    rgb: np.ndarray
    asis: tuple[float, float]
    psis: tuple[float, float]
    """Where the stickers are in ``rgb`` (after the turn), pixels."""
    scale: float
    facing_sign: int
    roll_zero: float | None
    """find_roll on the same picture without stickers and not turned (None: no reference)."""


def compose(photo: Photo, d: Draw, *, tilt: float | None = None, seed: int | None = None) -> Composite:
    """The composite of draw ``d`` (with another sticker tilt or jitter seed when given)."""
    import cv2

    from posture.image.lines import find_roll
    from posture.image.sticker_art import jpeg, paint_sticker

    rng = np.random.default_rng(d.seed if seed is None else seed)
    scale = d.stature_px / photo.stature_px
    rgb = cv2.resize(photo.rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    height, width = rgb.shape[:2]
    box = tuple(int(v * scale) for v in photo.person_box)
    if d.frame:
        rgb = door_frame(rgb, box)
    roll_zero = find_roll(rgb, exclude=box).degrees
    per_mm = d.stature_px / d.body_height_mm
    hip = (photo.hip[0] * scale, photo.hip[1] * scale)
    mid = (hip[0] + photo.facing_sign * d.forward_mm * per_mm, hip[1] - d.up_mm * per_mm)
    asis, psis = sticker_points(
        mid, d.distance_mm * per_mm, d.tilt if tilt is None else tilt, photo.facing_sign
    )
    radius = d.diameter_mm / 2 * per_mm
    for name, centre in (("asis", asis), ("psis", psis)) if radius > 0 else ():
        cover = centre[1] + radius * (1 - 2 * d.cover) if d.cover and name == d.covered else None
        rgb = paint_sticker(
            rgb,
            centre,
            radius,
            COLOURS[d.colour],
            aspect=d.aspect,
            angle_degrees=float(rng.uniform(0, 180)),
            shading=d.shading,
            cover_below=cover,
            blur_px=0.5,
        )
    if d.roll:
        matrix = rotation((width, height), -d.roll)
        # Edge pixels repeated outwards: a mirrored border would add a seam at the roll angle,
        # a vertical reference a real rolled photo does not have.
        rgb = cv2.warpAffine(
            rgb, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        )
        asis, psis = moved(matrix, asis), moved(matrix, psis)
    if d.blur > 0:
        rgb = cv2.GaussianBlur(rgb, (0, 0), d.blur)
    if d.noise > 0:
        rgb = np.clip(rgb + rng.normal(0, d.noise, rgb.shape), 0, 255).astype(np.uint8)
    return Composite(jpeg(rgb, d.jpeg), asis, psis, scale, photo.facing_sign, roll_zero)


def door_frame(rgb: np.ndarray, person: tuple[int, int, int, int]) -> np.ndarray:
    """A copy with a dark door-frame post (a band 2.5% of the width) drawn from 5% to 95% of the
    height, on the wider side of the person's box."""
    out = rgb.copy()
    height, width = rgb.shape[:2]
    band = max(4, int(0.025 * width))
    left_room, right_room = person[0], width - person[2]
    x = person[0] // 2 if left_room >= right_room else (person[2] + width) // 2
    x = int(np.clip(x - band // 2, 0, width - band))
    out[int(0.05 * height) : int(0.95 * height), x : x + band] = (70, 55, 45)
    return out


def evaluate(photo: Photo, d: Draw, estimator, **kwargs) -> dict:
    """Analyse one composite and compare with the truth: a row of the results."""
    from posture.measure.markers import tilt_from_points
    from posture.types import Facing

    comp = compose(photo, d, **kwargs)
    started = time.perf_counter()
    result, reading = marker_search(comp.rgb, estimator, forced=photo.kind == "seated")
    elapsed = (time.perf_counter() - started) * 1000
    tilt = kwargs.get("tilt", d.tilt)
    zero = comp.roll_zero or 0.0
    row = {
        **dataclasses.asdict(d),
        "tilt": tilt,
        "kind": photo.kind,
        "ms": elapsed,
        "status": result.status if result.ok else f"rejected: {result.rejection.reason.value}",
        "reference": comp.roll_zero is not None,
        "roll_zero": comp.roll_zero,
        "true_tilt": tilt - comp.facing_sign * zero,
        "true_roll": zero + d.roll,
        "sticker_px": d.diameter_mm * d.stature_px / d.body_height_mm,
        "found": False,
        "outcome": None,
    }
    row["true_raw"] = tilt_from_points(
        comp.asis, comp.psis, Facing.RIGHT if comp.facing_sign > 0 else Facing.LEFT
    )[1]
    if reading is None:
        row["outcome"] = row["status"]
        return row
    if not reading.found:
        row["outcome"] = reading.problem.value
        return row
    error = max(math.dist(reading.asis.centre, comp.asis), math.dist(reading.psis.centre, comp.psis))
    row["centre_error_px"] = error
    row["found"] = error <= WRONG_CENTRE_RADII * row["sticker_px"] / 2
    row["outcome"] = "found" if row["found"] else "wrong_pair"
    row["raw_error"] = reading.raw_tilt_degrees - row["true_raw"]
    row["tilt_error"] = reading.tilt_degrees - row["true_tilt"]
    roll = reading.roll.degrees if reading.roll is not None else None
    row["roll_read"] = roll
    row["roll_error"] = None if roll is None else roll - row["true_roll"]
    return row
