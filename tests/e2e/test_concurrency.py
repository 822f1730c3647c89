"""Many users at once: analyses in parallel threads sharing one estimator, as Streamlit sessions do.

The server keeps one ``PoseEstimator`` for every session (``webapp.common.estimator``, behind
``st.cache_resource``); its lock serialises MediaPipe calls. These tests check that parallel
analyses give exactly (bit for bit) what one-at-a-time analyses give, that no thread gets
another's photo or result, and that sessions asking for the model at once load it once.
Parallel browser sessions against a real server are in ``tests/e2e/test_load.py``.
"""

from __future__ import annotations

import io
import random
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from PIL import Image

from posture.analyze import analyze
from tests.conftest import SAMPLES

THREADS = 8
ROUNDS = 3
SAMPLE_PHOTOS = [
    "pranjal_postureanalysis/left.png",
    "pranjal_postureanalysis/right.png",
    "pranjal_postureanalysis/front.png",
    "openposture_fixtures/hunchback_left.jpg",
    "skimage_data/astronaut.png",
    "mmpose_testdata/ochuman__000817.jpg",
]
"""Two measured side views and four refused for different reasons (when the samples exist)."""


def _made_photos() -> dict[str, bytes]:
    """Three photos made here, each different, so the tests run without the samples too."""
    photos = {}
    for seed in range(3):
        rgb = np.random.default_rng(seed).integers(0, 256, (480, 360, 3), dtype=np.uint8)
        out = io.BytesIO()
        Image.fromarray(rgb).save(out, "PNG" if seed % 2 else "JPEG")
        photos[f"made-{seed}"] = out.getvalue()
    photos["unreadable"] = b"not a photo at all"
    return photos


def _photos() -> dict[str, bytes]:
    photos = {name: (SAMPLES / name).read_bytes() for name in SAMPLE_PHOTOS if (SAMPLES / name).is_file()}
    return {**photos, **_made_photos()}


PHOTOS = _photos()


def _summary(result) -> dict:
    """Everything an analysis says, except its timings (which differ from run to run)."""
    summary = result.to_dict()
    summary.pop("timings_ms")
    return summary


def _same(a, b) -> bool:
    """Bit-for-bit the same analysis: verdict, numbers, landmarks, mask and image."""

    def equal(x, y):
        return (x is None and y is None) or (x is not None and y is not None and np.array_equal(x, y))

    return (
        _summary(a) == _summary(b)
        and equal(a.image, b.image)
        and equal(a.mask, b.mask)
        and equal(
            None if a.landmarks is None else a.landmarks.xy, None if b.landmarks is None else b.landmarks.xy
        )
    )


@pytest.fixture(scope="module")
def one_at_a_time(estimator) -> dict:
    return {name: analyze(data, estimator) for name, data in PHOTOS.items()}


def test_parallel_analyses_give_exactly_the_one_at_a_time_results(estimator, one_at_a_time):
    jobs = [name for name in PHOTOS for _ in range(ROUNDS)]
    random.Random(7).shuffle(jobs)
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda name: (name, analyze(PHOTOS[name], estimator)), jobs))
    assert len(results) == len(jobs)
    different = [name for name, result in results if not _same(result, one_at_a_time[name])]
    assert different == []
    assert any(r.ok for _, r in results) or not any(r.ok for r in one_at_a_time.values())


def test_each_thread_gets_its_own_photo_back(estimator):
    """Every thread analyses a photo only it has (a marker painted in a corner) at the same
    moment as the others; each result must hold that thread's picture, not a neighbour's."""
    base = np.full((640, 480, 3), 200, np.uint8)
    start = threading.Barrier(THREADS)

    def own(number: int):
        rgb = base.copy()
        rgb[:20, :20] = number * 30  # this thread's mark
        start.wait()
        return number, rgb, analyze(rgb, estimator)

    with ThreadPoolExecutor(THREADS) as pool:
        for number, rgb, result in pool.map(own, range(THREADS)):
            assert result.image is rgb or np.array_equal(result.image, rgb)
            assert int(result.image[5, 5, 0]) == number * 30
            assert result.image_size == (480, 640)


def test_a_photo_is_not_changed_by_the_analysis(estimator):
    rgb = np.random.default_rng(3).integers(0, 256, (480, 360, 3), dtype=np.uint8)
    before = rgb.copy()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: analyze(rgb, estimator), range(8)))
    assert np.array_equal(rgb, before)


# --- the server's shared model ---------------------------------------------------------------
# Streamlit's AppTest keeps one global runtime and cannot run sessions in parallel threads, so
# parallel browser sessions are tested against a real server in tests/e2e/test_load.py. Here:
# sessions that ask for the model at the same moment, on a server that has none yet, get the
# same one, loaded once.


def test_sessions_asking_at_once_share_one_model_loaded_once(monkeypatch):
    from webapp import common

    loads = []
    real = common.PoseEstimator

    def counted(*args, **kwargs):
        loads.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(common, "PoseEstimator", counted)
    common.estimator.clear()
    start = threading.Barrier(THREADS)

    def ask(_):
        start.wait()
        return common.estimator()

    try:
        with ThreadPoolExecutor(THREADS) as pool:
            models = list(pool.map(ask, range(THREADS)))
    finally:
        common.estimator.clear()
    assert len(loads) == 1, f"the model was loaded {len(loads)} times"
    assert all(model is models[0] for model in models)
