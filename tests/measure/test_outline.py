"""The estimator's outline features on hand-built outlines of known shape (no pose model)."""

import math

import numpy as np
import pytest

from posture.measure import outline
from tests.poses import HEIGHT, WIDTH, side_pose

HIP_Y, TRUNK = 420.0, 300.0  # side_pose: hips at y 420, shoulders 300 px above


def sloped_back_mask(angle_deg: float, scale: float = 1.0) -> np.ndarray:
    """A body facing +x: front 60 px ahead of x=300, back 70 px behind it above 0.2 trunk
    heights over the hips, then running backward at ``angle_deg`` down to -0.3, then straight."""
    height, width = int(HEIGHT * scale), int(WIDTH * scale)
    mask = np.zeros((height, width), dtype=np.float32)
    columns = np.arange(width) / scale
    top, bottom = HIP_Y - 0.2 * TRUNK, HIP_Y + 0.3 * TRUNK
    for row in range(int(80 * scale), int(950 * scale)):
        y = row / scale
        depth = 70 + math.tan(math.radians(angle_deg)) * (np.clip(y, top, bottom) - top)
        back, front = 300 - depth, 360
        mask[row] = np.clip(np.minimum(columns - back, front - columns) * scale + 0.5, 0, 1)
    return mask


def features(angle_deg: float, scale: float = 1.0) -> dict[str, float]:
    pose = side_pose(facing="right")
    found = outline.extract(pose.xy * scale, sloped_back_mask(angle_deg, scale))
    return dict(zip(outline.FEATURE_NAMES, found.features))


@pytest.mark.parametrize("angle", [10.0, 20.0, 30.0])
def test_the_lumbosacral_turn_reads_the_outline_slope(angle):
    f = features(angle)
    assert f["lower_turn_angle"] == pytest.approx(angle, abs=0.5)
    assert -0.3 <= f["lower_turn_level"] <= 0.2
    assert f["back_angle_-0.05"] == pytest.approx(angle, abs=0.5)  # mid-slope
    assert f["back_angle_+0.60"] == pytest.approx(0.0, abs=0.5)  # straight upper back
    assert f["back_+0.60"] == pytest.approx(70 / TRUNK, abs=0.005)  # depth in trunk heights
    assert f["front_+0.60"] == pytest.approx(60 / TRUNK, abs=0.005)


def test_features_do_not_depend_on_image_size():
    small, large = features(20.0), features(20.0, scale=2.0)
    for name in outline.FEATURE_NAMES:
        tolerance = 0.3 if "angle" in name or name.endswith("incl") else 0.01
        assert large[name] == pytest.approx(small[name], abs=tolerance), name


def test_no_mask_or_a_missing_back_is_declined_with_a_reason():
    pose = side_pose(facing="right")
    with pytest.raises(outline.OutlineUnreadable, match="outline"):
        outline.extract(pose.xy, None)
    with pytest.raises(outline.OutlineUnreadable, match="not clear"):
        outline.extract(pose.xy, np.zeros((HEIGHT, WIDTH), np.float32))
