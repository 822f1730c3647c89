"""The app's flows in Streamlit's AppTest (no browser): uploads, guidance, safety screen, comparison.

Uses the real pose model (loaded once for the whole test session through the app's
``st.cache_resource``) and the real photos of ../shared/samples, skipped when absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from posture.routines.safety import RED_FLAGS
from tests.e2e import conftest as e2e

REPO = Path(__file__).resolve().parents[2]
SAMPLES = e2e.SAMPLES / "pranjal_postureanalysis"
TIMEOUT = 60


@pytest.fixture(scope="module", autouse=True)
def _release_the_model():
    """Close the app's cached model after these tests (MediaPipe complains if left to exit)."""
    yield
    from webapp import common

    common.estimator.clear()


def _photo(name: str) -> tuple[str, bytes, str]:
    path = SAMPLES / name
    if not path.is_file():
        pytest.skip(f"sample photo {path} is not present")
    return name, path.read_bytes(), "image/png"


def _app() -> AppTest:
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()


def _compare_page() -> AppTest:
    return AppTest.from_string(
        "from webapp.pages.compare import render\nrender()", default_timeout=TIMEOUT
    ).run()


def _texts(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error", "success")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _upload(at: AppTest, photo: tuple[str, bytes, str]) -> AppTest:
    at.file_uploader[0].set_value(photo)
    return at.run()


def test_the_app_opens_on_the_photo_page():
    at = _app()
    _no_exception(at)
    assert at.title[0].value == "Posture analyzer"
    assert "Upload a side-view photo" in at.info[0].value
    allowed = " ".join(at.file_uploader[0].allowed_type)
    assert all(ending in allowed for ending in ("jpg", "jpeg", "png", "webp", "heic"))


def test_side_view_shows_class_measures_timing_and_routine():
    at = _upload(_app(), _photo("left.png"))
    _no_exception(at)
    text = _texts(at)
    assert at.subheader[0].value.startswith("Pelvis ") and "typical range" in at.subheader[0].value
    assert not any(c in at.subheader[0].value for c in ("Anterior", "Posterior", "°"))
    assert "confidence" in at.subheader[0].value
    assert "Analysed in" in text
    assert len(at.table) == 2  # the measures, and their technical names under "Technical details"
    assert any(s.value.startswith(("Routine for", "Routine to")) for s in at.subheader)  # any class
    assert len(at.radio) == len(RED_FLAGS)
    assert "safety questions have no answer" in text
    labels = [b.label for b in at.download_button]
    assert {
        "Annotated image",
        "Report (PDF)",
        "Report (HTML)",
        "Measures (CSV)",
        "Measures (JSON)",
    } <= set(labels)
    # no exercise leaves the page before the safety questions are answered (issue 11)
    assert "Routine (PDF)" not in labels and "Routine (HTML)" not in labels
    assert "once every safety question above is answered no" in text


def test_answering_no_to_every_question_shows_the_exercises():
    at = _upload(_app(), _photo("left.png"))
    for radio in at.radio:
        radio.set_value("No")
    at.run()
    _no_exception(at)
    assert {"Routine (PDF)", "Routine (HTML)"} <= {b.label for b in at.download_button}
    assert "You answered no to every safety question" in at.success[0].value
    assert len(at.expander) >= 4  # the photo and sticker guides plus one per exercise


def test_an_urgent_yes_stops_the_routine():
    at = _upload(_app(), _photo("left.png"))
    at.radio(key="flag_saddle_numbness").set_value("Yes")
    at.run()
    _no_exception(at)
    assert "Stop: do not start these exercises" in at.error[0].value
    guides = {
        "How to take the photo",
        "For a measured tilt: two skin stickers",
        "Your number and how it is measured",
        "Technical details",
    }
    assert {e.label for e in at.expander} == guides  # no exercise shown


def test_front_view_gets_guidance_not_an_error():
    at = _upload(_app(), _photo("front.png"))
    _no_exception(at)
    assert "Turn sideways." in at.warning[0].value
    assert "A good photo set-up" in _texts(at)
    assert not any(s.value.startswith(("Routine for", "Routine to")) for s in at.subheader)


def test_unreadable_bytes_get_a_message():
    at = _upload(_app(), ("holiday.png", b"this is not a picture", "image/png"))
    _no_exception(at)
    assert "This file is not a photo we can read." in at.warning[0].value
    assert "JPEG, PNG, WebP or HEIC" in at.warning[0].value


def test_an_empty_file_gets_a_message():
    at = _upload(_app(), ("empty.jpg", b"", "image/jpeg"))
    _no_exception(at)
    assert "empty" in at.warning[0].value


def _encoded(name: str, fmt: str) -> bytes:
    import io

    from PIL import Image

    _, data, _ = _photo(name)
    if fmt == "HEIF":
        pillow_heif = pytest.importorskip("pillow_heif")
        pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.open(io.BytesIO(data)).convert("RGB").save(out, format=fmt, quality=92)
    return out.getvalue()


@pytest.mark.parametrize(
    "fmt, name, mime",
    [
        ("WEBP", "side.webp", "image/webp"),
        ("HEIF", "side.heic", "image/heic"),
        ("JPEG", "side.jpg", "image/jpeg"),
    ],
)
def test_webp_heic_and_jpeg_uploads_are_analysed(fmt, name, mime):
    at = _upload(_app(), (name, _encoded("left.png", fmt), mime))
    _no_exception(at)
    assert "typical range" in at.subheader[0].value


def test_a_photo_from_the_browser_camera_is_analysed():
    at = _app()
    at.segmented_control(key="photo_source").set_value("Take a photo").run()
    at.camera_input[0].upload("camera.jpg", _encoded("right.png", "JPEG"))
    at.run()
    _no_exception(at)
    assert "typical range" in at.subheader[0].value


def test_blurring_the_face_is_said_on_the_page():
    at = _upload(_app(), _photo("left.png"))
    at.checkbox(key="photo_blur").check().run()
    _no_exception(at)
    assert "Face blurred in the image and the report." in _texts(at)


def test_a_missing_model_names_the_command_that_provides_it(monkeypatch, tmp_path):
    from webapp import common

    monkeypatch.setenv("POSTURE_MODELS_DIR", str(tmp_path))
    common.estimator.clear()
    try:
        at = _app()
        assert "python models/provide.py" in at.error[0].value
    finally:
        monkeypatch.delenv("POSTURE_MODELS_DIR")
        common.estimator.clear()


def test_comparison_of_two_side_views_shows_pictures_ghost_and_table():
    at = _compare_page()
    at.text_input(key="compare_first_label").set_value("before — 1 Oct")
    at.text_input(key="compare_second_label").set_value("after — 12 Nov")
    at.file_uploader[0].set_value(_photo("left.png"))
    at.file_uploader[1].set_value(_photo("right.png"))
    at.run()
    _no_exception(at)
    headings = [s.value for s in at.subheader]
    assert {"Side by side and ghost overlay", "Measures"} <= set(headings)
    assert "**Ghost overlay**" in [m.value for m in at.markdown]
    table = at.table[0].value
    assert list(table.columns) == [
        "Measure",
        "before — 1 Oct",
        "after — 12 Nov",
        "Difference",
        "Error",
        "Change",
    ]
    assert list(table["Measure"]) == ["Pelvic tilt", "Lumbar curve"]  # issue 20: measured limits only
    assert set(table["Change"]) <= {"real change", "within error"}
    assert "**Not compared (no measured limit)**" in [m.value for m in at.markdown]
    assert "Two kinds of error:" in _texts(at) and "RESEARCH.md" not in _texts(at)  # issue 20
    at.slider(key="compare_opacity").set_value(0.8).run()
    _no_exception(at)
    assert {"Report (PDF)", "Report (HTML)", "Table (CSV)", "Table (JSON)"} <= {
        b.label for b in at.download_button
    }


def test_comparison_keeps_the_good_photo_when_the_other_is_rejected():
    at = _compare_page()
    at.file_uploader[0].set_value(_photo("front.png"))
    at.file_uploader[1].set_value(_photo("right.png"))
    at.run()
    _no_exception(at)
    assert "**Before**: **Turn sideways.**" in at.warning[0].value
    assert at.subheader[0].value.startswith("After: ")
    assert "Side by side and ghost overlay" not in [s.value for s in at.subheader]


def test_comparison_with_unreadable_second_file_names_it():
    at = _compare_page()
    at.file_uploader[0].set_value(_photo("left.png"))
    at.file_uploader[1].set_value(("notes.png", b"\x89PNG broken", "image/png"))
    at.run()
    _no_exception(at)
    assert "**After**: **This file is not a photo we can read.**" in at.warning[0].value
    assert at.subheader[0].value.startswith("Before: ")


def test_comparison_waits_for_both_photos():
    at = _compare_page()
    _no_exception(at)
    assert "Add both photos" in at.info[0].value


def test_comparison_asks_for_one_set_up_and_states_the_other_limit():
    """The page says how to take the photos (the limits were measured in one set-up) and how
    far the tilt moves between set-ups, from the shipped model's error figures."""
    from posture.assess.errors import shipped

    at = _compare_page()
    _no_exception(at)
    captions = " ".join(c.value for c in at.caption)
    assert "Take both photos in the same set-up" in captions
    other = shipped().tilt_change_limit_varied_setup
    assert other and other > shipped().tilt_change_limit
    assert f"±{other:.0f}°" in captions


def test_settings_turn_statistics_off_limit_uploads_and_protect_against_xsrf():
    import tomllib

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["enableXsrfProtection"] is True
    assert 10 <= config["server"]["maxUploadSize"] <= 50
    assert config["server"]["headless"] is True


def test_comparison_mirrors_the_second_photo_only_when_asked():
    at = _compare_page()
    at.file_uploader[0].set_value(_photo("left.png"))
    at.file_uploader[1].set_value(_photo("right.png"))  # faces the other way
    at.run()

    def captions() -> str:
        return " ".join(c for image in at.image for c in image.captions)

    assert "(mirrored)" in captions()
    at.checkbox(key="compare_mirror").uncheck()
    at.checkbox(key="compare_blur").check()
    at.run()
    _no_exception(at)
    assert "(mirrored)" not in captions() and "Orange skeleton: After" in captions()
