"""Hand correction: moving a joint recomputes the measures with the analyzer's own functions."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from posture.assess.errors import shipped
from posture.measure import measures
from posture.records import correction
from posture.types import LANDMARK_INDEX
from tests.analyses import analysis as hand_built


def analysis():
    """A hand-built analysis whose measures are those its landmarks give (no mask)."""
    made = hand_built()
    values, _ = measures.compute(made.landmarks, made.mask, made.facing)
    return replace(made, measures=values)


def test_moving_the_shoulder_recomputes_trunk_lean_like_the_analyzer_would():
    original = analysis()
    shoulder = np.array(correction.joint_positions(original.landmarks)["shoulder"])
    hip = np.array(correction.joint_positions(original.landmarks)["hip"])
    lean = 10.0  # degrees forward: the shoulder placed on a line 10° ahead of vertical
    length = float(np.hypot(*(shoulder - hip)))
    to = hip + length * np.array([np.sin(np.radians(lean)), -np.cos(np.radians(lean))])  # faces +x
    fixed = correction.correct(original, {"shoulder": tuple(to)}, figures=shipped())
    assert fixed.analysis.measure("trunk_inclination") == pytest.approx(lean, abs=1e-6)
    assert "trunk_inclination" in fixed.originals and "head_forward" in fixed.originals
    assert "knee_flexion" not in fixed.originals  # the shoulder plays no part in it
    assert fixed.analysis.measure("knee_flexion") == original.measure("knee_flexion")
    np.testing.assert_allclose(measures.mid(fixed.analysis.landmarks, "shoulder"), to)


def test_a_move_keeps_the_spread_of_left_and_right_landmarks():
    """Hips at (300, 475) and (304, 473): mid-point (302, 474). Moving the hip to (10, 20)
    shifts both by (-292, -454), to (8, 21) and (12, 19); the original stays where it was."""
    lm = analysis().landmarks
    xy = lm.xy.copy()
    xy[LANDMARK_INDEX["right_hip"]] += (4.0, -2.0)
    lm = replace(lm, xy=xy)
    assert tuple(lm.point("left_hip")) == (300.0, 475.0)
    moved = correction.move_joint(lm, "hip", (10.0, 20.0))
    np.testing.assert_allclose(moved.point("left_hip"), (8.0, 21.0))
    np.testing.assert_allclose(moved.point("right_hip"), (12.0, 19.0))
    np.testing.assert_allclose(lm.point("left_hip"), (300.0, 475.0))
    np.testing.assert_allclose(lm.point("right_hip"), (304.0, 473.0))


def test_no_moves_is_the_analysis_itself_and_unknown_joints_are_refused():
    original = analysis()
    assert correction.correct(original, {}, figures=shipped()).analysis is original
    with pytest.raises(ValueError):
        correction.move_joint(original.landmarks, "elbow", (0.0, 0.0))


def test_nearest_joint_is_the_one_clicked_near():
    lm = analysis().landmarks
    knee = correction.joint_positions(lm)["knee"]
    assert correction.nearest_joint(lm, (knee[0] + 3, knee[1] - 2)) == "knee"
