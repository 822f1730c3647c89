"""Messages that tell the truth (issue 11, section 6), on pictures made from a real side view.

A person upside down or on their side was told to "stand upright"; a small person in a large
picture was "no person"; the size message asked for 480 px while the limit is 64 px; a tilt
that could not be made said only so; the safety questions assumed pain.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from posture.analyze import SECOND_LOOK_TEXT, analyze
from posture.image import ImageError, load_image
from posture.types import Reason, Status


@pytest.fixture(scope="module")
def side_view(samples_dir) -> np.ndarray:
    """The sample left side view on white (it has an alpha channel)."""
    image = Image.open(samples_dir / "pranjal_postureanalysis" / "left.png")
    white = Image.new("RGB", image.size, "white")
    white.paste(image, mask=image.getchannel("A") if "A" in image.getbands() else None)
    return np.asarray(white)


def _message(rgb, estimator):
    result = analyze(np.ascontiguousarray(rgb), estimator)
    assert result.status == "rejected"
    return result.rejection.reason, result.rejection.message


def test_upside_down_is_told_to_turn_the_picture(side_view, estimator):
    reason, message = _message(side_view[::-1, ::-1], estimator)
    assert reason is Reason.NOT_STANDING
    assert "upside down" in message and "stand upright" not in message.lower()


@pytest.mark.parametrize("turns", [1, 3])
def test_a_picture_on_its_side_is_told_to_turn_it(side_view, estimator, turns):
    reason, message = _message(np.rot90(side_view, turns), estimator)
    assert reason is Reason.NOT_STANDING and "on its side" in message


def test_a_small_person_in_a_large_picture_is_told_to_come_closer(side_view, estimator):
    """7 times the person's width, 5 times the height: MediaPipe's first look finds nobody."""
    height, width = side_view.shape[:2]
    small = np.pad(side_view, ((2 * height, 2 * height), (3 * width, 3 * width), (0, 0)), constant_values=255)
    reason, message = _message(small, estimator)
    assert reason is Reason.NO_PERSON
    assert message == SECOND_LOOK_TEXT["small"]
    assert "a person was found" not in message.lower()  # it sits under "No person found"


def test_an_empty_picture_is_still_no_person(estimator):
    reason, message = _message(np.full((800, 600, 3), 255, np.uint8), estimator)
    assert reason is Reason.NO_PERSON and message not in SECOND_LOOK_TEXT.values()


def test_a_head_cut_off_is_said_when_room_above_finds_the_body():
    """The logic with a stand-in estimator that finds a person only when room was added above
    (no shared photo loses its person when its head is cut: MediaPipe still finds them)."""
    from posture.types import Pose

    class HeadFinder:
        model_name = "stand-in"

        def detect(self, rgb):
            found = bool((rgb[:10] == 255).all() and rgb.shape[0] > 300)
            return Pose(
                people=(object(),) if found else (), mask=None, image_size=(rgb.shape[1], rgb.shape[0])
            )

    result = analyze(np.zeros((300, 200, 3), np.uint8), HeadFinder())
    assert result.rejection.reason is Reason.NO_PERSON
    assert result.rejection.message == SECOND_LOOK_TEXT["head_cut"]


def test_the_size_message_states_the_limit_it_applies():
    tiny = Image.new("RGB", (60, 200), "white")
    import io

    data = io.BytesIO()
    tiny.save(data, "PNG")
    with pytest.raises(ImageError) as caught:
        load_image(data.getvalue())
    assert "under 64 pixels" in caught.value.message


def test_a_tilt_that_could_not_be_made_says_why():
    from posture.types import Analysis, Assessment

    assessment = Assessment(
        None,
        None,
        0.0,
        None,
        notes=(
            "Pelvic tilt could not be estimated: an arm or hand covers the back: let your arms "
            "hang in front of your body.",
        ),
    )
    message = Analysis(
        status=Status.OK, image_size=(1, 1), model="m", version="v", assessment=assessment
    ).to_dict()["message"]
    assert message.startswith("Measured, but the pelvic tilt could not be estimated: an arm")
    assert "let your arms hang" in message


def test_the_safety_questions_do_not_assume_pain():
    from posture.routines.safety import RED_FLAGS

    for flag in RED_FLAGS:
        assert "the pain" not in flag.question and "your pain" not in flag.question, flag.id


def test_second_look_messages_do_not_contradict_no_person_found_and_say_what_to_do():
    for message in SECOND_LOOK_TEXT.values():
        assert message.startswith("If you are in the picture, ")
        assert "was found" not in message
        assert any(verb in message for verb in ("Stand closer", "Step back"))


def test_the_live_page_without_its_build_tells_a_user_what_to_do(monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    from posture.render.wording import MIRROR_UNAVAILABLE
    from webapp import mirror

    monkeypatch.setattr(mirror, "BUILD", tmp_path / "missing")
    monkeypatch.setattr(mirror, "_declared", None)
    at = AppTest.from_string("from webapp.pages.live import render\nrender()", default_timeout=60).run()
    shown = " ".join(w.value for w in at.warning) + " ".join(e.value for e in at.error)
    assert MIRROR_UNAVAILABLE in shown
    assert "make" not in shown and "Run:" not in shown
    assert "Photo analysis" in shown
