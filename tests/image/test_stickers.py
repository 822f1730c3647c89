"""The sticker detector on drawn stickers (exact centres known) and on real photos.

Stickers are drawn by ``posture.image.sticker_art`` (an anti-aliased disc by 8x8
supersampling) on a skin-coloured background with fixed-seed noise, so the centre each
should read is the one it was drawn at.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from posture.image.decode import load_image
from posture.image.sticker_art import NEON_GREEN, NEON_PINK, jpeg, paint_sticker
from posture.image.stickers import find_stickers
from posture.measure import markers
from posture.types import Facing
from tests.conftest import sample_rows

SKIN = (200, 160, 140)
REGION = (50, 50, 450, 350)
RADII = (3.0, 15.0)


def skin(seed: int = 1, *, shape=(400, 500), colour=SKIN, noise: float = 4.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = np.empty((*shape, 3), np.float32)
    base[:] = colour
    return np.clip(base + rng.normal(0, noise, base.shape), 0, 255).astype(np.uint8)


def two_stickers(**style) -> np.ndarray:
    image = paint_sticker(skin(), (150.3, 200.7), 8.0, NEON_GREEN, **style)
    return paint_sticker(image, (330.6, 180.2), 8.0, NEON_PINK, **style)


def centres(image: np.ndarray) -> list[tuple[float, float]]:
    return sorted(s.centre for s in find_stickers(image, REGION, radius_px=RADII))


@pytest.mark.parametrize(
    ("style", "tolerance"),
    [
        ({}, 0.05),
        ({"blur_px": 1.5}, 0.1),
        ({"shading": 0.4}, 0.1),
        ({"aspect": 0.6, "angle_degrees": 30.0}, 0.1),
    ],
    ids=["clean", "blurred", "shaded", "oblique"],
)
def test_drawn_stickers_are_found_at_their_sub_pixel_centres(style, tolerance) -> None:
    found = centres(two_stickers(**style))
    assert len(found) == 2
    for (x, y), (tx, ty) in zip(found, [(150.3, 200.7), (330.6, 180.2)], strict=True):
        assert math.hypot(x - tx, y - ty) <= tolerance


def test_jpeg_at_quality_70_moves_a_centre_by_less_than_a_fifth_of_a_pixel() -> None:
    found = centres(jpeg(two_stickers(blur_px=1.0), 70))
    assert len(found) == 2
    for (x, y), (tx, ty) in zip(found, [(150.3, 200.7), (330.6, 180.2)], strict=True):
        assert math.hypot(x - tx, y - ty) <= 0.2


def test_the_radius_and_colour_are_those_drawn() -> None:
    found = find_stickers(two_stickers(), REGION, radius_px=RADII)
    assert [s.radius_px for s in found] == pytest.approx([8.0, 8.0], abs=0.15)
    assert {s.colour_rgb for s in found} == {NEON_GREEN, NEON_PINK}


def test_blobs_that_are_not_stickers_are_left_out() -> None:
    image = skin()
    image[100:110, 100:300] = NEON_GREEN  # a stripe: not round
    image = paint_sticker(image, (380.0, 250.0), 30.0, NEON_PINK)  # far too large
    image = paint_sticker(image, (200.0, 280.0), 8.0, (185, 150, 135))  # a skin-coloured mole
    for dx in range(0, 60, 12):  # a printed pattern of dots: no dot is isolated
        for dy in range(0, 60, 12):
            image = paint_sticker(image, (300.0 + dx, 120.0 + dy), 3.5, NEON_GREEN)
    assert find_stickers(image, REGION, radius_px=RADII) == []


def test_only_stickers_inside_the_region_count() -> None:
    image = paint_sticker(skin(), (20.0, 20.0), 8.0, NEON_GREEN)
    assert find_stickers(image, REGION, radius_px=RADII) == []


def test_a_waistband_over_a_quarter_of_a_sticker_moves_its_centre_by_less_than_a_fifth_of_its_radius() -> (
    None
):
    image = paint_sticker(skin(), (150.0, 200.0), 8.0, NEON_GREEN, cover_below=204.0)
    (found,) = find_stickers(image, REGION, radius_px=RADII)
    assert math.dist(found.centre, (150.0, 200.0)) < 0.2 * 8.0


IMAGES = [row["path"] for row in sample_rows() if row["path"].lower().endswith((".jpg", ".jpeg", ".png"))]


@pytest.mark.parametrize("path", IMAGES)
def test_no_real_photo_without_stickers_reads_as_markers(samples_dir, path) -> None:
    """The whole picture is searched, as if the hip were at its centre and the person filled
    nine tenths of its height, for either facing: no pair of blobs may fit a pelvis."""
    rgb = load_image(samples_dir / path).rgb
    height, width = rgb.shape[:2]
    stature = 0.9 * height
    per_mm = (stature / markers.STATURE_MM[1], stature / markers.STATURE_MM[0])
    radius = (markers.STICKER_DIAMETER_MM[0] / 2 * per_mm[0], markers.STICKER_DIAMETER_MM[1] / 2 * per_mm[1])
    found = find_stickers(rgb, (0, 0, width, height), radius_px=radius)
    for hip_x in np.linspace(0.2 * width, 0.8 * width, 4):
        for hip_y in np.linspace(0.3 * height, 0.7 * height, 3):
            region = markers.Region((0, 0, width, height), radius, (float(hip_x), float(hip_y)), stature)
            for facing in (Facing.LEFT, Facing.RIGHT):
                assert not markers.read_markers(found, region, facing).found
