"""Pure geometry on inputs whose answers are known exactly."""

import math

import numpy as np
import pytest

from posture.measure import geometry


@pytest.mark.parametrize(
    "forward, upper, expected",
    [
        (1, (0.0, -10.0), 0.0),  # straight up
        (1, (10.0, -10.0), 45.0),  # up and forward (facing right)
        (-1, (10.0, -10.0), -45.0),  # the same segment leans back for a left-facing person
        (-1, (-10.0, -10.0), 45.0),
        (1, (10.0, 0.0), 90.0),  # straight forward
    ],
)
def test_inclination_sign_follows_facing(forward, upper, expected):
    assert geometry.inclination(np.zeros(2), np.array(upper), forward=forward) == pytest.approx(expected)


def test_joint_deviation_is_zero_when_straight_and_signed_when_bent():
    hip, knee, ankle = np.array([0.0, 0.0]), np.array([0.0, 100.0]), np.array([0.0, 200.0])
    assert geometry.joint_deviation(hip, knee, ankle, forward=1) == pytest.approx(0.0)
    bent_knee = np.array([100 * math.sin(math.radians(20)), 100.0])  # knee pushed forward
    # hip above the knee, knee ahead of the line: the thigh leans back relative to the shank
    assert geometry.joint_deviation(hip, bent_knee, ankle, forward=1) < 0


def test_horizontal_offset_positive_in_front():
    assert geometry.horizontal_offset(np.array([110.0, 0]), np.array([100.0, 50]), forward=1) == 10.0
    assert geometry.horizontal_offset(np.array([110.0, 0]), np.array([100.0, 50]), forward=-1) == -10.0


def soft_edge_mask(edge_x: np.ndarray, width: int, *, forward: int) -> np.ndarray:
    """Soft mask whose 0.5 crossing on row y is exactly at x = edge_x[y] (pixel centres at
    integer x); body on the forward side. The ramp is 4 px wide, like a real soft mask."""
    columns = np.arange(width)[None, :]
    inside = (columns - edge_x[:, None]) * forward
    return np.clip(inside / 4.0 + 0.5, 0.0, 1.0)


@pytest.mark.parametrize("forward", [1, -1])
def test_back_edge_finds_the_sub_pixel_crossing(forward):
    rows = np.arange(50)
    truth = 40.0 + 0.37 * rows * forward  # sloped outline at fractional positions
    mask = soft_edge_mask(truth, 200, forward=forward)
    start = truth + 30 * forward  # inside the body
    found = geometry.back_edge(mask, rows, start, forward=forward)
    assert np.allclose(found, truth, atol=1e-6)


def test_back_edge_is_nan_where_the_scan_starts_outside_or_runs_off_the_image():
    mask = np.zeros((3, 20))
    mask[1, :] = 1.0  # the body fills the row to the image edge
    found = geometry.back_edge(mask, np.array([0, 1, 7]), np.array([10.0, 10.0, 10.0]), forward=1)
    assert np.isnan(found).all()


def test_deepest_point_only_counts_the_chosen_side():
    points = np.array([[0.0, 0.0], [3.0, 5.0], [-2.0, 7.0], [0.0, 10.0]])
    index, depth = geometry.deepest_point(points, points[0], points[-1], toward=np.array([1.0, 0.0]))
    assert (index, depth) == (1, 3.0)
    index, depth = geometry.deepest_point(points, points[0], points[-1], toward=np.array([-1.0, 0.0]))
    assert (index, depth) == (2, 2.0)


@pytest.mark.parametrize("forward", [1, -1])
def test_secant_inclination_of_a_straight_outline(forward):
    y = np.arange(0.0, 40.0)
    # going down the outline moves backward by tan(15°) per row: the top is forward
    x = 100.0 - forward * np.tan(np.radians(15.0)) * y
    assert geometry.secant_inclination(np.column_stack([x, y]), forward=forward) == pytest.approx(15.0)


@pytest.mark.parametrize("forward", [1, -1])
def test_inclination_of_a_point_is_zero_whatever_the_signed_zeros(forward):
    assert geometry.inclination(np.array([0.0, -0.0]), np.array([0.0, 0.0]), forward=forward) == 0.0
