"""The live mirror's sticker reader (webapp/mirror/src/markers.js) gives the photo analysis's
answer: the same file is run with Node on the pictures the Python detector is tested on.

The browser reads stickers at the camera's rate with this JavaScript copy of
``posture.image.stickers`` and ``posture.measure.markers``; these tests keep the two copies
from drifting apart. Skipped when ``node`` is not installed.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from posture.image.sticker_art import NEON_GREEN, NEON_PINK, jpeg, paint_sticker
from posture.image.stickers import find_stickers
from posture.measure import markers
from tests.image.test_stickers import RADII, REGION, skin

RUNNER = Path(__file__).with_name("run_markers.js")
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


def run_js(jobs: list[dict], tmp_path: Path) -> list[dict]:
    """Each job's ``image`` (RGB uint8) is written as raw RGBA for the runner."""
    plain = []
    for n, job in enumerate(jobs):
        image = job.pop("image")
        height, width = image.shape[:2]
        rgba = np.dstack([image, np.full((height, width), 255, np.uint8)])
        path = tmp_path / f"image{n}.rgba"
        path.write_bytes(np.ascontiguousarray(rgba).tobytes())
        plain.append({**job, "rgba": str(path), "width": width, "height": height})
    jobs_path = tmp_path / "jobs.json"
    jobs_path.write_text(json.dumps(plain))
    done = subprocess.run([NODE, str(RUNNER), str(jobs_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def region_job(image: np.ndarray, box, radius, hip=(0.0, 0.0), stature=1.0) -> dict:
    x0, y0, x1, y1 = box
    return {
        "image": image,
        "region": {
            "box": {"x0": x0, "y0": y0, "x1": x1, "y1": y1},
            "radius": list(radius),
            "hip": list(hip),
            "stature": stature,
        },
    }


STYLES = {
    "clean": {},
    "blurred": {"blur_px": 1.5},
    "shaded": {"shading": 0.4},
    "oblique": {"aspect": 0.6, "angle_degrees": 30.0},
}


@pytest.mark.parametrize("radius", [8.0, 3.0], ids=["photo-size", "webcam-size"])
@pytest.mark.parametrize("style", list(STYLES), ids=list(STYLES))
def test_drawn_stickers_get_the_python_centres(tmp_path, style, radius):
    image = paint_sticker(skin(), (150.3, 200.7), radius, NEON_GREEN, **STYLES[style])
    image = paint_sticker(image, (330.6, 180.2), radius, NEON_PINK, **STYLES[style])
    if radius == 3.0:
        image = jpeg(image, 90)
    radii = RADII if radius == 8.0 else (1.5, 6.0)
    python = sorted(s.centre for s in find_stickers(image, REGION, radius_px=radii))
    (answer,) = run_js([region_job(image, REGION, radii)], tmp_path)
    js = sorted(tuple(s["centre"]) for s in answer["stickers"])
    assert len(python) == 2 and len(js) == 2
    for a, b in zip(python, js, strict=True):
        assert math.dist(a, b) < 0.05
    for (x, y), truth in zip(js, [(150.3, 200.7), (330.6, 180.2)], strict=True):
        assert math.dist((x, y), truth) < (0.1 if radius == 8.0 else 0.25)


def test_a_skin_coloured_blob_and_a_pale_dot_are_not_stickers(tmp_path):
    image = paint_sticker(skin(), (150.0, 200.0), 8.0, (215, 150, 120))  # tan: low chroma
    image = paint_sticker(image, (330.0, 180.0), 8.0, (235, 225, 225))  # near white
    (answer,) = run_js([region_job(image, REGION, RADII)], tmp_path)
    assert answer["stickers"] == []


def _normalised(landmarks) -> list[list[float]]:
    width, height = landmarks.image_size
    return [[float(x) / width, float(y) / height, 0.0, 0.99, 0.99] for x, y in landmarks.xy]


@pytest.mark.parametrize("tilt", [-6.0, 4.0, 14.0])
def test_pasted_stickers_on_a_real_photo_read_as_in_the_photo_analysis(
    estimator, side_view_path, tmp_path, tilt
):
    from posture.analyze import analyze
    from tests.test_marker_photos import pasted

    plain = _enlarged(estimator, side_view_path)
    image, asis, psis = pasted(plain, tilt)
    result = analyze(image, estimator)
    reading = result.markers
    assert reading is not None and reading.found
    (js,) = run_js(
        [{"image": image, "person": _normalised(result.landmarks), "facing": result.facing.sign}], tmp_path
    )
    assert "problem" not in js, js
    assert math.dist(js["asis"], reading.asis.centre) < 0.1
    assert math.dist(js["psis"], reading.psis.centre) < 0.1
    assert js["tilt"] == pytest.approx(reading.raw_tilt_degrees, abs=0.05)
    assert js["tilt"] == pytest.approx(tilt, abs=0.3)


def test_the_photo_without_stickers_reads_no_markers_and_one_sticker_one_marker(
    estimator, side_view_path, tmp_path
):
    from tests.test_marker_photos import pasted

    rgb, result = _enlarged(estimator, side_view_path)
    image, asis, _ = pasted((rgb, result), 5.0)
    one = paint_sticker(
        rgb, asis, 9.0 * markers.search_region(result.landmarks, result.facing).stature_px / 1700, NEON_PINK
    )
    person = _normalised(result.landmarks)
    answers = run_js(
        [{"image": rgb, "person": person, "facing": None}, {"image": one, "person": person, "facing": None}],
        tmp_path,
    )
    assert answers[0]["problem"] == "no_markers"
    assert answers[1]["problem"] in ("one_marker", "marker_hidden")
    # The facing the browser works out from the landmarks is the photo analysis's.
    assert answers[0]["facing"] == result.facing.sign


_CACHE: dict = {}


def _enlarged(estimator, side_view_path):
    """The shared side view three times larger, and its analysis (as tests/test_marker_photos.py)."""
    if "plain" not in _CACHE:
        import cv2

        from posture.analyze import analyze
        from posture.image.decode import load_image

        rgb = load_image(side_view_path).rgb
        rgb = cv2.resize(rgb, None, fx=3, fy=3, interpolation=cv2.INTER_CUBIC)
        _CACHE["plain"] = (rgb, analyze(rgb, estimator))
    return _CACHE["plain"]
