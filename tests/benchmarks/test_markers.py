"""The marker benchmark's pure helpers (benchmarks.marker_*): no pose model, no shared photos."""

from __future__ import annotations

import dataclasses
import math

import cv2
import numpy as np
import pytest

from benchmarks import marker_composites as composites
from benchmarks import marker_figures as figures
from benchmarks import marker_photos as photos
from posture.image.sticker_art import jpeg
from posture.image.stickers import find_stickers
from posture.measure.markers import tilt_from_points
from posture.types import Facing


@pytest.mark.parametrize(
    ("tilt", "sign", "asis", "psis"),
    [
        (0.0, 1, (200.0, 100.0), (0.0, 100.0)),  # level, facing +x: ASIS 100 px in front
        (0.0, -1, (0.0, 100.0), (200.0, 100.0)),  # facing -x: ASIS on the left
        (30.0, 1, (100 + 100 * math.sqrt(3) / 2, 150.0), (100 - 100 * math.sqrt(3) / 2, 50.0)),
    ],
)
def test_sticker_points_put_the_asis_forward_and_lower_for_anterior_tilt(tilt, sign, asis, psis):
    found = composites.sticker_points((100.0, 100.0), 200.0, tilt, sign)
    assert found[0] == pytest.approx(asis) and found[1] == pytest.approx(psis)
    facing = Facing.RIGHT if sign > 0 else Facing.LEFT
    assert tilt_from_points(*found, facing)[1] == pytest.approx(tilt)


@pytest.mark.parametrize("degrees", [-4.0, 2.5, 10.0])
def test_rotation_is_opencvs(degrees):
    expected = cv2.getRotationMatrix2D((400.0, 600.0), degrees, 1.0)
    assert photos.rotation((800, 1200), degrees) == pytest.approx(expected)


@pytest.mark.parametrize(("roll", "facing"), [(3.0, Facing.RIGHT), (-2.0, Facing.RIGHT), (3.0, Facing.LEFT)])
def test_a_turned_picture_shows_the_roll_the_tilt_correction_takes_out(roll, facing):
    # compose() turns by -roll: the verticals then lean by +roll (tests/image/test_lines.py)
    asis, psis = composites.sticker_points((400.0, 600.0), 200.0, 8.0, facing.sign)
    matrix = photos.rotation((800, 1200), -roll)
    tilt, raw = tilt_from_points(composites.moved(matrix, asis), composites.moved(matrix, psis), facing, roll)
    assert raw == pytest.approx(8.0 + facing.sign * roll)
    assert tilt == pytest.approx(8.0)


def test_change_limit_is_1_96_sd():
    assert figures.change_limit([1.0, -1.0, 1.0, -1.0]) == pytest.approx(1.96 * math.sqrt(4 / 3))
    assert figures.change_limit([0.5]) is None


@pytest.mark.parametrize(
    ("value", "edges", "zero", "label"),
    [
        (0.0, (0, 1, 2), True, "0"),
        (0.0, (0, 1, 2), False, "0–1"),
        (1.0, (0, 1, 2), True, "0–1"),
        (1.5, (0, 1, 2), True, "1–2"),
        (3.0, (0, 1, 2), True, ">2"),
    ],
)
def test_bins(value, edges, zero, label):
    assert figures.bin_of(value, edges, zero=zero) == label


def test_errors_summary_by_hand():
    found = figures.errors_summary([1.0, -1.0, 2.0])
    assert found["n"] == 3 and found["mae"] == pytest.approx(4 / 3) and found["bias"] == pytest.approx(2 / 3)
    assert figures.errors_summary([]) == {"n": 0}


def _photo() -> photos.Photo:
    rng = np.random.default_rng(0)
    rgb = (150 + rng.normal(0, 4, (600, 400, 3))).clip(0, 255).astype(np.uint8)
    return photos.Photo("grey", "standing", rgb, (200.0, 330.0), 500.0, 1, (120, 20, 280, 580))


def _draw(**changes) -> composites.Draw:
    base = composites.draw(np.random.default_rng(3), _photo())
    fixed = dict(
        stature_px=1000.0,
        body_height_mm=1700.0,
        diameter_mm=20.0,
        colour="neon pink",
        blur=0.0,
        noise=0.0,
        jpeg=95,
        cover=0.0,
        frame=False,
        aspect=1.0,
        shading=0.0,
        tilt=10.0,
    )
    return dataclasses.replace(base, **{**fixed, **changes})


@pytest.mark.parametrize("roll", [0.0, 3.0])
def test_composite_stickers_are_where_the_truth_says(roll):
    comp = composites.compose(_photo(), _draw(roll=roll))
    assert comp.scale == 2.0 and comp.rgb.shape == (1200, 800, 3)
    radius = 10 * 1000 / 1700  # 20 mm sticker on a 1000 px body of 1.7 m: 5.9 px
    found = find_stickers(comp.rgb, (0, 0, 800, 1200), radius_px=(0.5 * radius, 2 * radius))
    centres = sorted(s.centre for s in found)
    assert len(centres) == 2
    for truth, seen in zip(sorted([comp.asis, comp.psis]), centres):
        assert math.dist(truth, seen) < 0.5
    assert tilt_from_points(comp.asis, comp.psis, Facing.RIGHT)[1] == pytest.approx(10.0 + roll)


def test_a_zero_diameter_paints_nothing():
    # the timing's sticker-free twin: the photo enlarged and saved as JPEG, nothing else
    photo = _photo()
    plain = jpeg(cv2.resize(photo.rgb, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC), 95)
    assert np.array_equal(composites.compose(photo, _draw(diameter_mm=0.0)).rgb, plain)


def test_augment_is_fixed_by_its_seed():
    rgb = _photo().rgb
    a, how_a = photos.augment(rgb, np.random.default_rng(5))
    b, how_b = photos.augment(rgb, np.random.default_rng(5))
    assert how_a == how_b and np.array_equal(a, b) and a.dtype == np.uint8


def test_the_sticker_goes_on_the_camera_side_skin_point():
    from benchmarks.marker_bodies import near_side, sticker_scale

    marks = {
        "left_asis_skin": {"px": [100.0, 500.0], "xyz": [0.1, 1.0, 0.12], "depth_m": 2.9},
        "right_asis_skin": {"px": [98.0, 501.0], "xyz": [0.1, 1.0, -0.12], "depth_m": 3.1},
    }
    assert near_side(marks, "asis") == "left"
    # 150 px in the image for 0.15 m in the world: 1 px per mm
    assert sticker_scale(
        {"px": [0, 0], "xyz": [0, 0, 0]}, {"px": [150, 0], "xyz": [0.15, 0, 0]}
    ) == pytest.approx(1.0)
