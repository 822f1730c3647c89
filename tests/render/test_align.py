"""Two photos on one canvas (posture.render.align), on hand-built poses."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from posture.measure.measures import skeleton
from posture.render import align
from posture.types import Facing
from tests.analyses import BODY_HEIGHT, analysis


def _check_on_baseline(photo: align.AlignedPhoto) -> None:
    sk = skeleton(photo.landmarks)
    assert sk.height == pytest.approx(align.BODY_HEIGHT_PX, abs=0.01)
    assert tuple(sk.ankle) == pytest.approx(align.baseline(), abs=0.01)


@pytest.mark.parametrize(
    "scale, ankle", [(0.5, (300.0, 700.0)), (0.25, (100.0, 350.0)), (0.7, (420.0, 790.0))]
)
def test_align_puts_body_at_common_height_and_ankle_on_baseline(scale, ankle):
    photo = align.align(analysis(scale=scale, ankle=ankle))
    assert photo.scale == pytest.approx(align.BODY_HEIGHT_PX / (BODY_HEIGHT * scale))
    assert photo.image.shape == (align.canvas_size()[1], align.canvas_size()[0], 3)
    _check_on_baseline(photo)


def test_align_pair_mirrors_the_second_to_face_like_the_first():
    first = analysis(facing=Facing.RIGHT)
    second = analysis(facing=Facing.LEFT, scale=0.3, ankle=(200.0, 600.0))
    a, b = align.align_pair(first, second)
    assert (a.mirrored, b.mirrored) == (False, True)
    assert b.facing is Facing.RIGHT
    _check_on_baseline(b)
    # after mirroring, the nose of both lies forward (+x) of the ankle column
    assert b.landmarks.point("nose")[0] > align.baseline()[0]
    _, kept = align.align_pair(first, second, same_facing=False)
    assert not kept.mirrored and kept.landmarks.point("nose")[0] < align.baseline()[0]


def test_align_moves_the_image_with_the_landmarks():
    first = analysis()
    image = first.image.copy()
    x, y = np.round(first.landmarks.point("left_knee")).astype(int)
    image[y - 3 : y + 4, x - 3 : x + 4] = (255, 0, 0)  # a red dot on the knee
    photo = align.align(replace(first, image=image))
    kx, ky = np.round(photo.landmarks.point("left_knee")).astype(int)
    assert tuple(photo.image[ky, kx]) == (255, 0, 0)


def test_align_needs_an_image_and_landmarks():
    with pytest.raises(ValueError, match="no image or no landmarks"):
        align.align(replace(analysis(), image=None))


def test_ghost_opacity_ends_show_one_photo_each():
    a = align.align(analysis(image=np.full((800, 600, 3), 20, np.uint8)))
    b = align.align(analysis(image=np.full((800, 600, 3), 220, np.uint8)))
    assert np.array_equal(align.ghost(a, b, opacity=0.0, skeletons=False), a.image)
    assert np.array_equal(align.ghost(a, b, opacity=1.0, skeletons=False), b.image)
    half = align.ghost(a, b, opacity=0.5, skeletons=False)
    expected = (int(a.image[10, 10, 0]) + int(b.image[10, 10, 0])) / 2
    assert half[10, 10].tolist() == pytest.approx([expected] * 3, abs=1)


def test_ghost_draws_both_skeletons_in_their_colours():
    a = align.align(analysis(facing=Facing.RIGHT))
    b = align.align(analysis(facing=Facing.LEFT), mirror=False)
    image = align.ghost(a, b, opacity=0.5)
    colours = {tuple(c) for c in image.reshape(-1, 3)}
    assert align.FIRST_COLOR in colours and align.SECOND_COLOR in colours
    assert not np.shares_memory(image, a.image)


@pytest.mark.parametrize("opacity", [-0.1, 1.5])
def test_ghost_refuses_an_opacity_outside_0_1(opacity):
    a = align.align(analysis())
    with pytest.raises(ValueError, match="opacity"):
        align.ghost(a, a, opacity=opacity)


def test_ghost_refuses_canvases_of_different_size():
    a = align.align(analysis())
    b = align.align(analysis(), body_height_px=300)
    with pytest.raises(ValueError, match="same body height"):
        align.ghost(a, b)
