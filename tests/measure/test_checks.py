"""Rejection checks and facing on hand-built poses (no model)."""

import numpy as np
import pytest

from posture.measure import checks
from posture.types import LANDMARK_INDEX, Facing, Landmarks, Pose, Reason, Rejection
from tests.poses import HEIGHT, WIDTH, side_pose


def pose_of(*people: Landmarks) -> Pose:
    return Pose(people=people, mask=None, image_size=(WIDTH, HEIGHT))


def with_points(landmarks: Landmarks, **moves) -> Landmarks:
    xy, vis = landmarks.xy.copy(), landmarks.visibility.copy()
    for name, value in moves.items():
        if isinstance(value, float):
            vis[LANDMARK_INDEX[name]] = value
        else:
            xy[LANDMARK_INDEX[name]] = value
    return Landmarks(xy, landmarks.z, vis, landmarks.presence, landmarks.image_size)


@pytest.mark.parametrize("facing", ["left", "right"])
def test_standing_side_view_is_accepted_and_facing_found(facing):
    verdict = checks.check(pose_of(side_pose(facing=facing)))
    assert isinstance(verdict, checks.Accepted)
    assert verdict.facing is Facing(facing)
    assert verdict.side_view_score == pytest.approx(1.0)


def reason(pose: Pose) -> Reason:
    verdict = checks.check(pose)
    assert isinstance(verdict, Rejection), verdict
    assert verdict.message  # always something to tell the user
    return verdict.reason


def test_no_person():
    assert reason(pose_of()) is Reason.NO_PERSON


def test_a_second_person_elsewhere_is_multiple_people():
    assert reason(pose_of(side_pose(), side_pose(offset_x=250.0))) is Reason.MULTIPLE_PEOPLE


def test_a_duplicate_detection_of_the_same_body_is_not_a_second_person():
    duplicate = side_pose(offset_x=4.0)
    assert isinstance(checks.check(pose_of(side_pose(), duplicate)), checks.Accepted)


def test_front_view_is_not_side_view():
    # shoulders 0.6 x the shoulder-to-hip height apart: what real front views measure
    assert reason(pose_of(side_pose(shoulder_width=180.0))) is Reason.NOT_SIDE_VIEW


def test_slightly_turned_view_is_accepted_with_a_lower_score():
    verdict = checks.check(pose_of(side_pose(shoulder_width=60.0)))  # ratio 0.2
    assert isinstance(verdict, checks.Accepted)
    assert verdict.side_view_score == pytest.approx(1 - 0.2 / checks.SIDE_VIEW_MAX_RATIO)


@pytest.mark.parametrize("hidden", ["ankle", "knee", "hip"])
def test_unseen_joints_are_body_not_visible(hidden):
    pose = with_points(side_pose(), **{f"left_{hidden}": 0.1, f"right_{hidden}": 0.2})
    verdict = checks.check(pose_of(pose))
    assert verdict.reason is Reason.BODY_NOT_VISIBLE
    assert hidden in verdict.message


def test_feet_below_the_frame_are_body_not_visible():
    pose = with_points(
        side_pose(), left_ankle=np.array([300.0, HEIGHT + 40.0]), right_ankle=np.array([300.0, HEIGHT + 40.0])
    )
    assert reason(pose_of(pose)) is Reason.BODY_NOT_VISIBLE


def test_seated_person_is_not_standing():
    # thighs horizontal, forward of the hips: as on a chair
    pose = side_pose()
    hip = pose.point("left_hip")
    knee = hip + np.array([230.0, 0.0])
    ankle = knee + np.array([0.0, 230.0])
    seated = with_points(pose, left_knee=knee, right_knee=knee, left_ankle=ankle, right_ankle=ankle)
    assert reason(pose_of(seated)) is Reason.NOT_STANDING


def test_deep_knee_bend_is_not_standing():
    assert reason(pose_of(side_pose(knee_bend=50.0))) is Reason.NOT_STANDING


def test_bent_over_is_not_standing():
    assert reason(pose_of(side_pose(trunk_lean=60.0))) is Reason.NOT_STANDING


def test_mild_knee_bend_and_lean_are_still_standing():
    assert isinstance(checks.check(pose_of(side_pose(knee_bend=15.0, trunk_lean=10.0))), checks.Accepted)
