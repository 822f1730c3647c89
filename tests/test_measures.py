"""Measures on hand-built poses and outlines, for people facing either way."""

import math

import numpy as np
import pytest

from posture import measures
from posture.types import Facing
from tests.poses import HEIGHT, WIDTH, side_pose


@pytest.mark.parametrize("facing", ["right", "left"])
def test_landmark_angles_match_the_built_pose(facing):
    pose = side_pose(facing=facing, trunk_lean=8.0, knee_bend=-5.0, head_forward=30.0)
    values = measures.landmark_measures(measures.skeleton(pose), Facing(facing))
    assert values["trunk_inclination"].value == pytest.approx(8.0)
    assert values["knee_flexion"].value == pytest.approx(-5.0)  # hyperextended shows negative
    assert values["head_forward"].value == pytest.approx(30.0)
    assert values["craniovertebral_proxy"].value == pytest.approx(60.0)
    # thigh vertical, trunk 8° forward: the hip is flexed by 8°
    assert values["hip_flexion"].value == pytest.approx(8.0)


def test_plumb_offsets_are_fractions_of_height_and_signed_forward():
    pose = side_pose(facing="left", knee_bend=10.0)
    sk = measures.skeleton(pose)
    values = measures.landmark_measures(sk, Facing.LEFT)
    knee_ahead_px = 230 * math.sin(math.radians(10.0))
    assert values["knee_offset"].value == pytest.approx(knee_ahead_px / sk.height)
    assert values["knee_offset"].value > 0  # the bent knee is ahead of the ankle


def body_mask(edge_of_row, facing: Facing, width: int = WIDTH, height: int = HEIGHT) -> np.ndarray:
    """A soft mask: body from the back outline edge_of_row(y) forward by 150 px, rows 250-950."""
    mask = np.zeros((height, width), dtype=np.float32)
    columns = np.arange(width)
    for y in range(250, 950):
        back = edge_of_row(y)
        inside = np.minimum((columns - back) * facing.sign, 150 - (columns - back) * facing.sign)
        mask[y] = np.clip(inside / 3.0 + 0.5, 0.0, 1.0)
    return mask


def arc_outline(facing: Facing, chord_top: float, chord_bottom: float, depth: float, back_x: float):
    """Back outline: a circular hollow of the given depth between two rows, straight elsewhere."""
    chord = chord_bottom - chord_top
    radius = (chord**2 / 4 + depth**2) / (2 * depth)
    centre = (chord_top + chord_bottom) / 2

    def edge(y: float) -> float:
        if chord_top <= y <= chord_bottom:
            return back_x + facing.sign * (math.sqrt(radius**2 - (y - centre) ** 2) - (radius - depth))
        return back_x
    return edge


@pytest.mark.parametrize("facing", [Facing.RIGHT, Facing.LEFT])
def test_lordosis_of_a_circular_hollow_is_its_flexicurve_angle(facing):
    pose = side_pose(facing=facing.value)
    sk = measures.skeleton(pose)
    top = round(measures.trunk_level(sk, measures.T12_LEVEL))
    bottom = round(measures.trunk_level(sk, measures.S2_LEVEL))
    back_x = sk.hip[0] - facing.sign * 60
    mask = body_mask(arc_outline(facing, top, bottom, 12.0, back_x), facing)
    values, contour = measures.contour_measures(mask, pose, sk, facing)
    expected = math.degrees(4 * math.atan(2 * 12.0 / (bottom - top)))  # ≈ 40°
    assert values["lumbar_lordosis"].value == pytest.approx(expected, abs=0.5)
    assert contour.apex[1] == pytest.approx((top + bottom) / 2, abs=2)


@pytest.mark.parametrize("facing", [Facing.RIGHT, Facing.LEFT])
@pytest.mark.parametrize("slope_deg", [-10.0, 0.0, 20.0])
def test_sacral_inclination_and_tilt_of_a_straight_sloped_back(facing, slope_deg):
    pose = side_pose(facing=facing.value)
    sk = measures.skeleton(pose)
    back_x = sk.hip[0] - facing.sign * 60
    slope = math.tan(math.radians(slope_deg))

    def edge(y: float) -> float:  # going down, the outline moves backward: the top is forward
        return back_x - facing.sign * slope * (y - sk.hip[1])

    values, _ = measures.contour_measures(body_mask(edge, facing), pose, sk, facing)
    assert values["sacral_inclination"].value == pytest.approx(slope_deg, abs=0.3)
    assert values["lumbar_lordosis"].value == pytest.approx(0.0, abs=0.5)  # a straight back is flat
    expected_tilt = measures.TILT_FROM_SACRUM_OFFSET + measures.TILT_FROM_SACRUM_GAIN * slope_deg
    assert values["pelvic_tilt"].value == pytest.approx(expected_tilt, abs=0.3)


def test_mirrored_photo_gives_the_same_measures():
    facing = Facing.RIGHT
    pose = side_pose(facing="right", trunk_lean=4.0, knee_bend=3.0, head_forward=20.0)
    sk = measures.skeleton(pose)
    top = round(measures.trunk_level(sk, measures.T12_LEVEL))
    bottom = round(measures.trunk_level(sk, measures.S2_LEVEL))
    mask = body_mask(arc_outline(facing, top, bottom, 10.0, sk.hip[0] - 60), facing)
    right, _ = measures.compute(pose, mask, Facing.RIGHT)
    left, _ = measures.compute(pose.mirrored(), mask[:, ::-1].copy(), Facing.LEFT)
    for name in measures.CONVENTIONS:
        assert left[name].value == pytest.approx(right[name].value, abs=0.6), name


def test_no_mask_gives_null_contour_measures_with_a_reason():
    pose = side_pose()
    values, contour = measures.compute(pose, None, Facing.RIGHT)
    assert contour is None
    for name in ("pelvic_tilt", "lumbar_lordosis", "sacral_inclination"):
        assert values[name].value is None and values[name].reason
    assert values["trunk_inclination"].value is not None


def test_hand_on_the_lower_back_is_reported_not_measured():
    facing = Facing.RIGHT
    pose = side_pose()
    sk = measures.skeleton(pose)
    back_x = sk.hip[0] - 60
    xy = pose.xy.copy()
    from posture.types import LANDMARK_INDEX, Landmarks
    xy[LANDMARK_INDEX["right_wrist"]] = (back_x + 3, measures.trunk_level(sk, 0.3))  # at the outline
    hand_on_back = Landmarks(xy, pose.z, pose.visibility, pose.presence, pose.image_size)
    values, _ = measures.contour_measures(body_mask(lambda y: back_x, facing), hand_on_back, sk, facing)
    assert values["lumbar_lordosis"].value is None
    assert "arm" in values["lumbar_lordosis"].reason


def test_every_measure_has_a_convention():
    values, _ = measures.compute(side_pose(), None, Facing.RIGHT)
    assert list(values) == list(measures.CONVENTIONS)
