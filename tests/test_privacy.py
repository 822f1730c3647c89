"""Face blurring (posture.privacy) on a hand-built pose over a noise image."""

from __future__ import annotations

import numpy as np
import pytest

from posture.privacy import blur_face, face_region
from tests.analyses import landmarks


def _noise(width: int = 600, height: int = 800) -> np.ndarray:
    return np.random.default_rng(0).integers(0, 256, (height, width, 3), dtype=np.uint8)


def test_face_region_covers_every_face_landmark():
    pose = landmarks()
    (cx, cy), (rx, ry) = face_region(pose)
    for name in ("nose", "left_eye", "left_ear", "mouth_left"):
        x, y = pose.point(name)
        assert ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 < 1.0


def test_blur_removes_detail_in_the_face_and_nowhere_else():
    rgb = _noise()
    pose = landmarks()
    out = blur_face(rgb, pose)
    (cx, cy), _ = face_region(pose)
    face = (slice(int(cy) - 10, int(cy) + 10), slice(int(cx) - 10, int(cx) + 10))
    assert out[face].std() < 0.3 * rgb[face].std()  # noise flattened
    ankle = pose.point("left_ankle").astype(int)
    far = (slice(ankle[1] - 20, ankle[1] + 20), slice(ankle[0] - 20, ankle[0] + 20))
    assert np.array_equal(out[far], rgb[far])


def test_blur_never_modifies_its_input():
    rgb = _noise()
    before = rgb.copy()
    blur_face(rgb, landmarks())
    assert np.array_equal(rgb, before)


def test_a_head_outside_the_picture_leaves_it_unchanged():
    rgb = _noise()
    pose = landmarks(ankle=(300.0, 2000.0), image_size=(600, 800))  # head far below the image
    assert np.array_equal(blur_face(rgb, pose), rgb)


@pytest.mark.parametrize("bad", [np.zeros((10, 10), np.uint8), np.zeros((10, 10, 3), np.float32),
                                 np.zeros((10, 10, 4), np.uint8)])
def test_blur_refuses_anything_but_rgb_uint8(bad):
    with pytest.raises(ValueError, match="RGB uint8"):
        blur_face(bad, landmarks())
