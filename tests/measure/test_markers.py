"""The marker geometry: tilt from two points, roll correction, and which pairs count.

Poses come from ``tests.poses.side_pose`` (stature about 900 px, hip landmark at (300, 430)),
so a millimetre is about 0.53 px: an ASIS-PSIS distance of 15 cm is about 80 px.
"""

from __future__ import annotations

import math

import pytest

from posture.measure import markers
from posture.types import LANDMARK_INDEX, Facing, Landmarks, MarkerProblem, Roll, Sticker
from tests.poses import side_pose

GREEN = (60, 230, 80)
PINK = (250, 60, 170)


def sticker(x: float, y: float, colour=GREEN, radius: float = 5.0) -> Sticker:
    return Sticker((x, y), radius, colour)


def pelvis(facing: Facing, tilt: float, *, length: float = 80.0, colour=GREEN) -> tuple[Sticker, Sticker]:
    """An ASIS and a PSIS sticker ``length`` px apart, mid-way 40 px above the hip landmark,
    with the PSIS->ASIS line ``tilt`` degrees below the horizontal in front."""
    cx, cy = 300.0, 390.0
    dx = facing.sign * math.cos(math.radians(tilt)) * length / 2
    dy = math.sin(math.radians(tilt)) * length / 2
    return sticker(cx + dx, cy + dy, colour), sticker(cx - dx, cy - dy, colour)


def region(facing: Facing) -> markers.Region:
    return markers.search_region(side_pose(facing=facing.value), facing)


def test_tilt_is_the_angle_of_the_psis_asis_line_anterior_positive() -> None:
    # ASIS 100 px in front of and 10 px below the PSIS: atan(10/100) = 5.71° anterior.
    assert markers.tilt_from_points((110, 110), (10, 100), Facing.RIGHT)[0] == pytest.approx(5.711, abs=1e-3)
    # The same body facing left (mirror image) reads the same.
    assert markers.tilt_from_points((10, 110), (110, 100), Facing.LEFT)[0] == pytest.approx(5.711, abs=1e-3)
    # ASIS higher than the PSIS: posterior, negative.
    assert markers.tilt_from_points((110, 90), (10, 100), Facing.RIGHT)[0] == pytest.approx(-5.711, abs=1e-3)


def test_roll_is_taken_out_with_the_sign_of_the_facing() -> None:
    # The camera turned 3° counter-clockwise: a level pelvis looks 3° lower at its right end.
    level_right = (100 + 100 * math.cos(math.radians(3)), 100 + 100 * math.sin(math.radians(3)))
    tilt, raw = markers.tilt_from_points(level_right, (100, 100), Facing.RIGHT, 3.0)
    assert raw == pytest.approx(3.0) and tilt == pytest.approx(0.0, abs=1e-9)
    # Facing left, the ASIS is the left end, which that roll lifts: raw -3°, true 0°.
    level_left = (100 - 100 * math.cos(math.radians(3)), 100 - 100 * math.sin(math.radians(3)))
    tilt, raw = markers.tilt_from_points(level_left, (100, 100), Facing.LEFT, 3.0)
    assert raw == pytest.approx(-3.0) and tilt == pytest.approx(0.0, abs=1e-9)


def test_the_search_region_covers_the_pelvis_and_scales_the_sticker_size() -> None:
    found = region(Facing.RIGHT)
    x0, y0, x1, y1 = found.box
    assert x0 < 300 - 80 and x1 > 300 + 70 and y0 < 430 - 100 and y1 > 430
    # 10-30 mm stickers on a body 900 px tall: radii from about 2.3 px to 9.3 px.
    assert found.radius_px[0] == pytest.approx(5 * found.stature_px / 2000)
    assert found.radius_px[1] == pytest.approx(15 * found.stature_px / 1450)
    assert 850 < found.stature_px < 950


@pytest.mark.parametrize("facing", [Facing.RIGHT, Facing.LEFT])
@pytest.mark.parametrize("tilt", [-8.0, 0.0, 12.5, 25.0])
def test_one_pair_gives_its_tilt(facing: Facing, tilt: float) -> None:
    asis, psis = pelvis(facing, tilt)
    reading = markers.read_markers([psis, asis], region(facing), facing)
    assert reading.found and reading.asis is asis and reading.psis is psis
    assert reading.tilt_degrees == pytest.approx(tilt, abs=1e-9)
    assert reading.problem is None


def test_a_roll_found_in_the_picture_corrects_the_tilt() -> None:
    asis, psis = pelvis(Facing.RIGHT, 14.0)
    roll = Roll(2.0, 0.3, 5, "lines")
    reading = markers.read_markers([asis, psis], region(Facing.RIGHT), Facing.RIGHT, roll=roll)
    assert reading.raw_tilt_degrees == pytest.approx(14.0)
    assert reading.tilt_degrees == pytest.approx(12.0)
    assert reading.roll is roll


def test_pairs_that_do_not_fit_a_pelvis_are_not_read() -> None:
    facing = Facing.RIGHT
    area = region(facing)
    asis, psis = pelvis(facing, 10.0)
    cases = {
        "other colours": [asis, sticker(*psis.centre, PINK)],
        "sizes too different": [asis, sticker(*psis.centre, radius=9.5)],
        "too close (3 cm)": list(pelvis(facing, 10.0, length=16.0)),
        "too far (45 cm)": list(pelvis(facing, 10.0, length=240.0)),
        "upright line": [sticker(300, 350), sticker(302, 420)],
        "at the knee": [sticker(340, 560), sticker(260, 560)],
    }
    for name, pair in cases.items():
        reading = markers.read_markers(pair, area, facing)
        assert not reading.found, name
        assert reading.problem in (MarkerProblem.ONE_FOUND, MarkerProblem.NONE_FOUND), name


def test_three_stickers_that_could_pair_are_ambiguous() -> None:
    asis, psis = pelvis(Facing.RIGHT, 10.0)
    third = sticker(psis.centre[0] + 8, psis.centre[1] - 20)
    reading = markers.read_markers([asis, psis, third], region(Facing.RIGHT), Facing.RIGHT)
    assert not reading.found and reading.problem is MarkerProblem.AMBIGUOUS
    assert "colour" in reading.message


def test_one_sticker_says_so_and_a_hand_over_the_pelvis_says_cross_the_arms() -> None:
    asis, _ = pelvis(Facing.RIGHT, 10.0)
    # Arms crossed on the chest: every hand landmark at (340, 230), far above the pelvis.
    pose = side_pose()
    crossed = pose.xy.copy()
    for side in ("left", "right"):
        for part in markers.HAND_PARTS:
            crossed[LANDMARK_INDEX[f"{side}_{part}"]] = (340.0, 230.0)
    arms_up = Landmarks(crossed, pose.z, pose.visibility, pose.presence, pose.image_size)
    reading = markers.read_markers([asis], region(Facing.RIGHT), Facing.RIGHT, landmarks=arms_up)
    assert reading.problem is MarkerProblem.ONE_FOUND and "one sticker" in reading.message
    # Arms hanging (side_pose: the wrist 20 px above the hip landmark, 60 px in front).
    reading = markers.read_markers([asis], region(Facing.RIGHT), Facing.RIGHT, landmarks=pose)
    assert reading.problem is MarkerProblem.HIDDEN and "Cross the arms" in reading.message


def test_nothing_found_is_no_markers() -> None:
    reading = markers.read_markers([], region(Facing.RIGHT), Facing.RIGHT)
    assert reading.problem is MarkerProblem.NONE_FOUND and not reading.found


def test_colour_distance_is_cie76() -> None:
    assert markers.colour_distance((255, 255, 255), (255, 255, 255)) == 0
    # Black to white is 100 in L*.
    assert markers.colour_distance((0, 0, 0), (255, 255, 255)) == pytest.approx(100, abs=0.1)
