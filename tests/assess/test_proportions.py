"""The different-people check (posture.assess.proportions) on hand-placed points and on real
side views of one person."""

from __future__ import annotations

import math

import numpy as np
import pytest

from posture.assess import proportions as p
from posture.types import LANDMARK_NAMES, Landmarks


def pose(*, hip_y: float = 550.0, shoulder_y: float = 250.0, ear_y: float = 100.0, heel_y: float = 1100.0):
    """A standing side view: every point at x = 300, the named heights (pixels, y down)."""
    xy = np.full((len(LANDMARK_NAMES), 2), 300.0)
    heights = {"ear": ear_y, "shoulder": shoulder_y, "hip": hip_y, "heel": heel_y}
    for index, name in enumerate(LANDMARK_NAMES):
        part = name.split("_", 1)[-1]
        if part in heights:
            xy[index, 1] = heights[part]
    n = len(LANDMARK_NAMES)
    return Landmarks(xy, np.zeros(n), np.ones(n), np.ones(n), (600, 1200))


def test_shares_of_the_ear_to_heel_height():
    # Height 1100 - 100 = 1000 px; hip 1100 - 550 = 550 px up; trunk 550 - 250 = 300 px long.
    shares = p.proportions(pose())
    assert shares.hip == pytest.approx(0.55) and shares.trunk == pytest.approx(0.30)
    # The same body twice the size in the picture: the same shares.
    assert p.proportions(pose().scaled(2.0)) == pytest.approx(shares)


def test_a_hidden_heel_says_nothing():
    hidden = pose()
    hidden.visibility[[LANDMARK_NAMES.index("left_heel"), LANDMARK_NAMES.index("right_heel")]] = 0.2
    assert p.proportions(hidden) is None
    assert p.look_like_different_people(hidden, pose(hip_y=700.0)) is False


def _hip_y_for_z(z: float) -> float:
    """The hip row whose share differs from 0.55 by ``z`` × √2 × HIP_SD in log terms."""
    share = 0.55 * math.exp(z * math.sqrt(2) * p.HIP_SD)
    return 1100.0 - share * 1000.0


@pytest.mark.parametrize("z, different", [(0.0, False), (2.5, False), (3.5, True)])
def test_different_only_beyond_the_threshold(z, different):
    hip_y = _hip_y_for_z(z)
    other = pose(hip_y=hip_y, shoulder_y=hip_y - 300.0)  # the same trunk length: only the hip differs
    assert p.spread(p.proportions(pose()), p.proportions(other)) == pytest.approx(z, abs=1e-6)
    assert p.look_like_different_people(pose(), other) is different


def test_one_real_person_from_both_sides_is_not_flagged(estimator, samples_dir):
    from posture.analyze import analyze
    from posture.assess.errors import shipped

    photos = [samples_dir / "pranjal_postureanalysis" / f"{side}.png" for side in ("left", "right")]
    if not all(photo.is_file() for photo in photos):
        pytest.skip("the shared pranjal_postureanalysis photos are not present")
    left, right = (analyze(photo, estimator, figures=shipped()).landmarks for photo in photos)
    assert p.spread(p.proportions(left), p.proportions(right)) < 1.0  # measured: 0.49
    assert not p.look_like_different_people(left, right)
