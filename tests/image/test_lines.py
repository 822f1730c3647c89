"""Camera roll from the room's near-vertical lines (posture.image.lines.find_roll).

Sign check, by hand: ``cv2.getRotationMatrix2D(centre, +10, 1)`` turns the picture
counter-clockwise. For a vertical line x = 450 from y = 100 to y = 1100 about the centre
(450, 600) the matrix sends the top to x = 450 - 500 * sin(10°) = 363.2 and the bottom to
x = 536.8: the top ends up to the LEFT of the bottom, which is a NEGATIVE roll in our
convention. So a picture warped by ``angle`` should read ``degrees == -angle``.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from posture.image.lines import find_roll

WIDTH, HEIGHT = 900, 1200
BAR_XS = (150, 330, 600, 760)


def _rotated(image: np.ndarray, angle: float) -> np.ndarray:
    """``image`` turned by ``angle`` degrees about its centre with cv2 (positive = counter-clockwise)."""
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), borderMode=cv2.BORDER_REPLICATE)


def _room(angle: float = 0.0, bar_xs: tuple[int, ...] = BAR_XS) -> np.ndarray:
    """A 900 x 1200 textured grey wall with dark 14 px door-frame bars, turned by ``angle``."""
    rng = np.random.default_rng(0)
    grey = (128 + rng.normal(0, 12, (HEIGHT, WIDTH))).clip(0, 255).astype(np.uint8)
    for x in bar_xs:
        grey[80 : HEIGHT - 80, x : x + 14] = 40
    return np.dstack([_rotated(grey, angle)] * 3)


def test_rotation_matrix_turns_tops_left():
    matrix = cv2.getRotationMatrix2D((450, 600), 10, 1.0)
    top = matrix @ [450, 100, 1]
    bottom = matrix @ [450, 1100, 1]
    assert top[0] == pytest.approx(450 - 500 * math.sin(math.radians(10)), abs=0.01)  # 363.2
    assert top[0] < bottom[0]  # top to the left: negative roll


@pytest.mark.parametrize("roll", [-4.0, -1.5, 0.0, 2.5, 4.0])
def test_drawn_room_roll(roll):
    # warping by -roll makes the verticals lean by +roll (see the module docstring)
    found = find_roll(_room(-roll))
    assert found.source == "lines"
    assert found.degrees is not None
    assert found.degrees == pytest.approx(roll, abs=0.3)
    if abs(roll) >= 1:
        assert math.copysign(1, found.degrees) == math.copysign(1, roll)
    assert found.lines >= 2
    assert 0.2 <= found.uncertainty_degrees < 0.3


def test_no_straight_lines_gives_none():
    rng = np.random.default_rng(1)
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH]
    gradient = 60 + 120 * (xx + yy) / (WIDTH + HEIGHT)
    blobs = cv2.GaussianBlur(rng.normal(0, 40, (HEIGHT, WIDTH)), (0, 0), 25) * 4
    grey = (gradient + blobs + rng.normal(0, 5, (HEIGHT, WIDTH))).clip(0, 255).astype(np.uint8)
    found = find_roll(np.dstack([grey] * 3))
    assert found.degrees is None
    assert found.uncertainty_degrees is None
    assert found.lines < 2


def test_lines_inside_the_excluded_box_are_ignored():
    image = _room(-2.0, bar_xs=(380, 500))
    assert find_roll(image).degrees == pytest.approx(2.0, abs=0.3)  # seen without the box
    found = find_roll(image, exclude=(300, 0, 600, HEIGHT))
    assert found.degrees is None
    assert found.lines == 0


# Photos with room lines (walls, door frames) in ../shared/samples, picked by eye for them.
# Over the whole folder, 17 of the 18 photos with lines found both ways gave 6 +- 1°
# (5.4..6.3°); vomstech_body_measurement/front.jpg (183 x 275 px) gave 7.4°. 15 photos gave
# None one way or both.
PHOTOS = (
    "sports2d_demo/demo_t3.0s.jpg",
    "openposture_fixtures/straight_armsfolded.jpg",
    "openposture_fixtures/hunchback_right.jpg",
    "tfjs_models_testdata/pose_squats_frame0000.png",
)


@pytest.mark.parametrize("name", PHOTOS)
def test_real_photo_rotated_both_ways(samples_dir, name):
    bgr = cv2.imread(str(samples_dir / name))
    if bgr is None:
        pytest.skip(f"{name} is not in the samples")
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    # +3° counter-clockwise leans the verticals tops-left (-3° roll), -3° tops-right (+3°)
    left = find_roll(_rotated(rgb, 3.0))
    right = find_roll(_rotated(rgb, -3.0))
    if left.degrees is None or right.degrees is None:
        pytest.skip(f"{name}: no consistent lines found")
    assert right.degrees - left.degrees == pytest.approx(6.0, abs=1.0)
