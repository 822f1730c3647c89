"""Pelvic tilt from two skin stickers on the ASIS and the PSIS (clinical photogrammetry).

Pure geometry: the stickers are found in the picture by ``posture.image.stickers``; this
module says where to look (``search_region``), picks the one pair that fits a pelvis
(``read_markers``) and turns it into a tilt (``tilt_from_points``).

Conventions
-----------
* Points are pixels of the picture as shown (x right, y down).
* Tilt = the angle of the PSIS->ASIS line against the horizontal, **anterior positive**
  (the ASIS lower than the PSIS), whichever way the person faces: the convention of the
  markerless estimate and of RESEARCH.md (healthy adults stand at about +11 to +13°).
* Camera roll (``posture.types.Roll``) is positive when the room's verticals lean with their
  tops to the right. A roll of r degrees makes a level line look r degrees lower at its right
  end, so the true tilt is ``raw - facing.sign * r``.

The search trusts the body's size: a sticker is 12-25 mm across and the ASIS-PSIS distance
of adults is about 10-19 cm along the skin (RESEARCH.md), both scaled by the body height in
pixels over the range of adult statures. Everything that does not fit is left out, so that a
photo without stickers never reads as markers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from posture.measure import measures
from posture.types import Facing, Landmarks, MarkerProblem, MarkerReading, Roll, Sticker

STATURE_MM = (1450.0, 2000.0)
"""Adult statures the scale allows for (set by hand: about the 1st to 99th percentile)."""
STICKER_DIAMETER_MM = (10.0, 30.0)
"""Sticker sizes looked for: office dot stickers are 12-25 mm; a little slack either way for
blur, a curved surface and a sticker partly covered."""
ASIS_PSIS_MM = (80.0, 210.0)
"""Distance between the two stickers (skin over the ASIS and the PSIS): 10-19 cm in adults,
widened for posture and skin (set by hand)."""
TILT_RANGE = (-35.0, 45.0)
"""Raw tilts outside this range are not a pelvis (standing tilts lie within -15..+30°)."""
MAX_COLOUR_DISTANCE = 30.0
"""The two stickers are one colour: CIE76 distance in Lab below this (shading and the camera's
white balance across the body change a colour by up to about 20)."""
MAX_RADIUS_RATIO = 1.8
"""The two stickers are one size: the larger radius at most this times the smaller (one may be
seen more obliquely or partly covered)."""
REGION_FORWARD = 0.14
REGION_BACK = 0.16
REGION_UP = 0.16
REGION_DOWN = 0.05
"""The search region around the hip landmark, in body heights: the ASIS lies 4-8 cm in front
of and 6-10 cm above the hip joint, the PSIS 8-12 cm behind and 7-11 cm above it (adult
pelvic anatomy), widened for tilts, landmark error and arms (set by hand)."""
MIDPOINT_HALF_WIDTH = 0.08
"""The pair's midpoint lies within this many body heights of the hip landmark horizontally."""
MIDPOINT_ABOVE = (-0.01, 0.13)
"""...and between these many body heights above it (negative: below)."""
HAND_PARTS = ("wrist", "index", "pinky", "thumb")


@dataclass(frozen=True)
class Region:
    """Where to look for the stickers in one picture: a box (x0, y0, x1, y1 pixels, inside
    the picture) and the sticker radii (min, max pixels) the body's size allows."""

    box: tuple[int, int, int, int]
    radius_px: tuple[float, float]
    hip: tuple[float, float]
    stature_px: float


def search_region(landmarks: Landmarks, facing: Facing, mask: np.ndarray | None = None) -> Region:
    """The pelvis region and the sticker radii to look for, from the landmarks."""
    stature = float(measures.skeleton(landmarks, mask).height)
    hip = measures.mid(landmarks, "hip")
    forward, back = REGION_FORWARD * stature, REGION_BACK * stature
    left, right = (
        (hip[0] - back, hip[0] + forward) if facing is Facing.RIGHT else (hip[0] - forward, hip[0] + back)
    )
    width, height = landmarks.image_size
    box = (
        int(max(0, math.floor(left))),
        int(max(0, math.floor(hip[1] - REGION_UP * stature))),
        int(min(width, math.ceil(right))),
        int(min(height, math.ceil(hip[1] + REGION_DOWN * stature))),
    )
    per_mm = (stature / STATURE_MM[1], stature / STATURE_MM[0])
    radius = (STICKER_DIAMETER_MM[0] / 2 * per_mm[0], STICKER_DIAMETER_MM[1] / 2 * per_mm[1])
    return Region(box, radius, (float(hip[0]), float(hip[1])), stature)


def tilt_from_points(
    asis: tuple[float, float], psis: tuple[float, float], facing: Facing, roll_degrees: float | None = None
) -> tuple[float, float]:
    """(tilt, raw tilt) in degrees from the two sticker centres: raw against the image
    horizontal, tilt against the true horizontal (raw when ``roll_degrees`` is None). An
    ASIS 100 px in front of and 10 px below the PSIS reads atan(10/100) = 5.71° anterior.
    """
    dx = (asis[0] - psis[0]) * facing.sign
    dy = asis[1] - psis[1]
    raw = math.degrees(math.atan2(dy, dx))
    tilt = raw if roll_degrees is None else raw - facing.sign * roll_degrees
    return tilt, raw


def lab(rgb: tuple[int, int, int]) -> np.ndarray:
    """CIE Lab (D65) of an sRGB colour 0..255."""
    c = np.asarray(rgb, dtype=float) / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = (
        np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
        @ linear
        / np.array([0.95047, 1.0, 1.08883])
    )
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def colour_distance(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """CIE76 colour difference of two sRGB colours."""
    return float(np.linalg.norm(lab(a) - lab(b)))


def fits(asis: Sticker, psis: Sticker, region: Region, facing: Facing) -> bool:
    """Whether two stickers can be the ASIS (in front) and the PSIS of this body."""
    dx = (asis.centre[0] - psis.centre[0]) * facing.sign
    if dx <= 0:
        return False
    distance = math.dist(asis.centre, psis.centre)
    per_mm = (region.stature_px / STATURE_MM[1], region.stature_px / STATURE_MM[0])
    if not ASIS_PSIS_MM[0] * per_mm[0] <= distance <= ASIS_PSIS_MM[1] * per_mm[1]:
        return False
    raw = math.degrees(math.atan2(asis.centre[1] - psis.centre[1], dx))
    if not TILT_RANGE[0] <= raw <= TILT_RANGE[1]:
        return False
    small, large = sorted((asis.radius_px, psis.radius_px))
    if large > MAX_RADIUS_RATIO * small:
        return False
    if colour_distance(asis.colour_rgb, psis.colour_rgb) > MAX_COLOUR_DISTANCE:
        return False
    mid_x = (asis.centre[0] + psis.centre[0]) / 2
    mid_y = (asis.centre[1] + psis.centre[1]) / 2
    if abs(mid_x - region.hip[0]) > MIDPOINT_HALF_WIDTH * region.stature_px:
        return False
    above = (region.hip[1] - mid_y) / region.stature_px
    return MIDPOINT_ABOVE[0] <= above <= MIDPOINT_ABOVE[1]


MESSAGES = {
    MarkerProblem.NONE_FOUND: "No skin stickers were found, so the tilt is the markerless estimate. "
    "For a measured tilt, put two round stickers of one bright colour on the front and back "
    "pelvic bones (see 'Marker mode').",
    MarkerProblem.ONE_FOUND: "Only one sticker-like spot was found at the pelvis, so the tilt is "
    "the markerless estimate. If you wore two stickers, make sure both face the camera, "
    "uncovered by the waistband or a hand, and take the photo again.",
    MarkerProblem.AMBIGUOUS: "More than two round spots of one colour at the pelvis could be the "
    "stickers, so none is used and the tilt is the markerless estimate. Use stickers of a "
    "colour that appears nowhere else on the clothes and take the photo again.",
    MarkerProblem.HIDDEN: "A hand or arm covers the pelvis where the stickers go, so the tilt is "
    "the markerless estimate. Cross the arms on the chest and take the photo again.",
}
"""What the user reads when the stickers gave no tilt (issue 18, §1)."""


def read_markers(
    candidates: Sequence[Sticker],
    region: Region,
    facing: Facing,
    *,
    landmarks: Landmarks | None = None,
    roll: Roll | None = None,
) -> MarkerReading:
    """The marker reading from the sticker candidates found in ``region``.

    Exactly one pair must fit (``fits``); two or more fitting pairs are ambiguous and give no
    tilt. With no pair, a single candidate gives ``ONE_FOUND``, or ``HIDDEN`` when a hand of
    ``landmarks`` lies in the region (the other sticker is likely behind it).
    """
    inside = [c for c in candidates if region.radius_px[0] <= c.radius_px <= region.radius_px[1]]
    pairs = [(a, p) for a in inside for p in inside if a is not p and fits(a, p, region, facing)]
    if len(pairs) == 1:
        asis, psis = pairs[0]
        known = roll if roll is not None and roll.degrees is not None else None
        tilt, raw = tilt_from_points(asis.centre, psis.centre, facing, known.degrees if known else None)
        return MarkerReading(asis=asis, psis=psis, tilt_degrees=tilt, raw_tilt_degrees=raw, roll=roll)
    if pairs:
        problem = MarkerProblem.AMBIGUOUS
    elif not inside:
        problem = MarkerProblem.NONE_FOUND
    elif landmarks is not None and _hand_in(landmarks, region):
        problem = MarkerProblem.HIDDEN
    else:
        problem = MarkerProblem.ONE_FOUND
    return MarkerReading(
        asis=None,
        psis=None,
        tilt_degrees=None,
        raw_tilt_degrees=None,
        roll=roll,
        problem=problem,
        message=MESSAGES[problem],
    )


def _hand_in(landmarks: Landmarks, region: Region) -> bool:
    x0, y0, x1, y1 = region.box
    for side in ("left", "right"):
        for part in HAND_PARTS:
            x, y = landmarks.point(f"{side}_{part}")
            if x0 <= x <= x1 and y0 <= y <= y1:
                return True
    return False
