"""Mirroring: each type mirrors itself once (``Landmarks``, ``Pose``, ``BackContour``,
``Analysis``); a left-facing photo is detected again mirrored, checked once per pose, and hand
correction of it measures the pose the analyzer measured."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from posture import analyze as analyze_module
from posture.analyze import analyze
from posture.assess.errors import shipped
from posture.records import correction
from posture.types import BackContour, Facing, Pose
from tests.analyses import analysis as hand_built


def test_a_back_contour_mirrored_by_hand():
    """Width 10: x -> 9 - x, y kept."""
    contour = BackContour(
        points=np.array([[2.0, 5.0], [3.5, 6.0], [2.5, 7.0]]),
        top=(2.0, 5.0),
        bottom=(2.5, 7.0),
        apex=(3.5, 6.0),
    )
    flipped = contour.mirrored(10)
    assert flipped.points.tolist() == [[7.0, 5.0], [5.5, 6.0], [6.5, 7.0]]
    assert (flipped.top, flipped.apex, flipped.bottom) == ((7.0, 5.0), (5.5, 6.0), (6.5, 7.0))
    assert contour.points[0, 0] == 2.0  # the original is untouched


def test_a_pose_mirrored_flips_its_mask_columns_and_its_people():
    person = hand_built().landmarks
    mask = np.zeros((4, 3), np.float32)
    mask[:, 0] = 1.0  # the leftmost column
    flipped = Pose((person,), mask, person.image_size).mirrored()
    assert flipped.mask[:, 2].tolist() == [1.0] * 4 and flipped.mask[:, :2].sum() == 0
    np.testing.assert_array_equal(flipped.people[0].xy, person.mirrored().xy)
    assert flipped.mask.flags.c_contiguous


def test_an_analysis_mirrored_faces_the_other_way_and_refuses_one_with_its_image():
    made = replace(hand_built(), image=None)
    flipped = made.mirrored()
    assert (made.facing, flipped.facing) == (Facing.RIGHT, Facing.LEFT)
    width = made.image_size[0]
    nose = made.landmarks.point("nose")
    assert flipped.landmarks.point("nose").tolist() == [(width - 1) - nose[0], nose[1]]
    assert flipped.measures == made.measures
    with pytest.raises(ValueError):
        replace(made, image=np.zeros((2, 2, 3), np.uint8)).mirrored()


@pytest.fixture(scope="module")
def left_photo(samples_dir):
    return samples_dir / "pranjal_postureanalysis" / "left.png"


@pytest.mark.parametrize(("photo", "detections"), [("right.png", 1), ("left.png", 2)])
def test_the_checks_run_once_per_detected_pose(estimator, samples_dir, monkeypatch, photo, detections):
    """A right-facing photo: one pose, checked once. A left-facing one: its pose, then the pose
    of the mirrored photo, each checked once."""
    checked = []
    real = analyze_module.checks.check
    monkeypatch.setattr(analyze_module.checks, "check", lambda pose: checked.append(pose) or real(pose))
    result = analyze(samples_dir / "pranjal_postureanalysis" / photo, estimator, with_markers=False)
    assert result.ok
    assert len(checked) == detections and len({id(p) for p in checked}) == detections


def test_correcting_a_left_facing_photo_measures_the_pose_the_analyzer_measured(estimator, left_photo):
    """The analysis measured the pose of the mirrored photo; correction mirrors the analysis'
    landmarks back to it. A joint put where it already is changes no measure."""
    result = analyze(left_photo, estimator, with_markers=False)
    assert result.facing is Facing.LEFT
    hip = correction.joint_positions(result.landmarks)["hip"]
    fixed = correction.correct(result, {"hip": hip}, figures=shipped())
    assert fixed.originals == {}
    for name, m in result.measures.items():
        assert fixed.analysis.measure(name) == pytest.approx(m.value, abs=1e-9), name
    assert fixed.analysis.contour.points == pytest.approx(result.contour.points, abs=1e-9)
