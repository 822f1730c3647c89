"""``analyze()`` answers every input with a result, and no input damages the shared estimator.

Issue 11, section 4: a 2-D, RGBA, float or uint16 array, an empty path, a folder or ``None``
raised; an empty (0, 0, 3) array broke the estimator for good ("Graph has errors" on every
later call), and the app shares one estimator between all sessions.
"""

from __future__ import annotations

import numpy as np
import pytest

from posture.analyze import analyze
from posture.types import Reason

BAD_INPUTS = {
    "2-D grey array": lambda tmp: np.full((200, 150), 128, np.uint8),
    "RGBA array": lambda tmp: np.full((200, 150, 4), 128, np.uint8),
    "float array": lambda tmp: np.full((200, 150, 3), 0.5),
    "uint16 array": lambda tmp: np.full((200, 150, 3), 30000, np.uint16),
    "empty (0, 0, 3) array": lambda tmp: np.zeros((0, 0, 3), np.uint8),
    "(0, 5, 3) array": lambda tmp: np.zeros((0, 5, 3), np.uint8),
    "None": lambda tmp: None,
    "empty path": lambda tmp: "",
    "a folder": lambda tmp: tmp,
    "a list": lambda tmp: [[0, 0, 0]],
}


@pytest.fixture(scope="module")
def reference(estimator, side_view_path):
    """What the estimator finds in a real side view before any bad input."""
    return analyze(side_view_path, estimator)


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_a_bad_input_gets_a_reason_and_the_estimator_keeps_working(
    name, estimator, side_view_path, reference, tmp_path
):
    result = analyze(BAD_INPUTS[name](tmp_path), estimator)
    assert result.status == "rejected"
    assert result.rejection.reason in (Reason.UNREADABLE_IMAGE, Reason.IMAGE_TOO_LARGE)
    assert len(result.rejection.message) > 20
    after = analyze(side_view_path, estimator)
    assert after.status == reference.status == "ok"
    np.testing.assert_array_equal(after.landmarks.xy, reference.landmarks.xy)


def test_the_messages_say_what_to_pass_instead(estimator, tmp_path):
    rgba = analyze(BAD_INPUTS["RGBA array"](tmp_path), estimator).rejection.message
    assert "RGBA" in rgba and "[..., :3]" in rgba
    folder = analyze(tmp_path, estimator).rejection.message
    assert "folder" in folder


def test_a_failed_detection_leaves_a_working_estimator(estimator, side_view_path, reference, monkeypatch):
    """Even an input that gets past the checks and fails inside MediaPipe (here: the empty
    picture with the check removed) leaves the shared estimator working."""
    import mediapipe as mp

    from posture.pose import estimator as module

    monkeypatch.setattr(
        module,
        "_to_mp_image",
        lambda rgb: mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb)),
    )
    with pytest.raises(RuntimeError):
        estimator.detect(np.zeros((0, 0, 3), np.uint8))
    monkeypatch.undo()
    after = analyze(side_view_path, estimator)
    np.testing.assert_array_equal(after.landmarks.xy, reference.landmarks.xy)
