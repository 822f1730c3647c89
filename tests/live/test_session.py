"""The live frame processor: the dropping policy (a stand-in estimator), then real frames
through the real lite model: readout, mirror, smoothing, guidance, capture, range test, and
several sessions at once.

Real frames are the synthetic figure of ``benchmarks.live_video`` (side-on, facing right,
relaxed / pelvis forward / pelvis back) with fresh sensor noise per frame.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from posture.live.capture import NothingToCapture, capture, combine
from posture.live.personal_range import PersonalRange
from posture.live.range_test import RangeTest
from posture.live.readout import MOVING_MIN, STEADY_MAX
from posture.live.session import LiveSession
from posture.types import Facing, Measure, Pose

FRAME_MS = 1000 / 15


class StandIn:
    """A VIDEO-mode estimator that finds nobody; ``gate`` (an Event) can hold detect_video."""

    video = True
    model_name = "stand-in"

    def __init__(self, gate: threading.Event | None = None):
        self.gate = gate
        self.timestamps: list[int] = []
        self.entered = threading.Event()

    def detect_video(self, rgb, timestamp_ms):
        self.timestamps.append(timestamp_ms)
        self.entered.set()
        if self.gate is not None:
            self.gate.wait(10)
        return Pose(people=(), mask=None, image_size=(rgb.shape[1], rgb.shape[0]))


def _frame(value: int = 90) -> np.ndarray:
    frame = np.full((48, 64, 3), value, np.uint8)
    frame[:, :8] = 255  # left edge white: tells a mirrored frame from the original
    return frame


# --- dropping policy ----------------------------------------------------------------------------


def test_an_image_mode_estimator_is_refused():
    class Image(StandIn):
        video = False

    with pytest.raises(ValueError, match="VIDEO"):
        LiveSession(Image())


def test_frames_not_newer_than_the_newest_are_skipped():
    estimator = StandIn()
    session = LiveSession(estimator)
    first = session.process(_frame(), 1000)
    assert session.process(_frame(10), 1000) is first  # same time: a duplicate
    assert session.process(_frame(20), 400) is first  # older, within a second: overtaken
    readout = session.snapshot()
    assert (readout.processed, readout.dropped_stale) == (1, 2)
    assert estimator.timestamps == [1000]


def test_a_frame_arriving_while_one_is_processed_is_skipped_at_once():
    gate = threading.Event()
    estimator = StandIn(gate)
    session = LiveSession(estimator)
    worker = threading.Thread(target=session.process, args=(_frame(), 0))
    worker.start()
    assert estimator.entered.wait(5)
    started = time.perf_counter()
    out = session.process(_frame(), FRAME_MS)
    waited = time.perf_counter() - started
    gate.set()
    worker.join(5)
    assert waited < 0.2
    np.testing.assert_array_equal(out, _frame()[:, ::-1])  # the mirrored input: nothing drawn yet
    readout = session.snapshot()
    assert (readout.processed, readout.dropped_busy) == (1, 1)
    assert estimator.timestamps == [0]


def test_a_restarted_stream_is_processed_with_increasing_model_timestamps():
    estimator = StandIn()
    session = LiveSession(estimator)
    session.process(_frame(), 5000)
    session.process(_frame(), 5000 + FRAME_MS)
    session.process(_frame(), 100)  # the stream's clock started again
    session.process(_frame(), 100 + FRAME_MS)
    assert session.snapshot().processed == 4
    assert session.snapshot().dropped_stale == 0
    assert all(b > a for a, b in zip(estimator.timestamps, estimator.timestamps[1:]))


def test_late_frames_dropped_by_the_caller_are_counted():
    session = LiveSession(StandIn())
    session.note_late(3)
    session.process(_frame(), 0)
    session.note_late(2)
    assert session.snapshot().dropped_late == 5


def test_nobody_in_the_picture_gives_guidance_and_no_numbers():
    session = LiveSession(StandIn())
    for i in range(5):
        session.process(_frame(), i * FRAME_MS)
    r = session.snapshot()
    assert (r.guidance_code, r.guidance) == ("no_person", "Step into the picture")
    assert "No person" in r.message
    assert r.tilt_deg is None and not r.measured


def test_capture_without_a_measured_frame_says_what_to_do():
    session = LiveSession(StandIn())
    session.process(_frame(), 0)
    with pytest.raises(NothingToCapture, match="whole body"):
        capture(session, photo_estimator=None)


# --- real frames, real lite model ------------------------------------------------------------------


@pytest.fixture(scope="module")
def clip():
    """Clean renders of (relaxed, forward, back), 640×480, facing right."""
    pytest.importorskip("benchmarks.synth.generate")
    from benchmarks.live_video import RANGE_CLIP, render_segments

    try:
        return render_segments(RANGE_CLIP)
    except (FileNotFoundError, OSError) as error:
        pytest.skip(f"the synthetic figure cannot be rendered here: {error}")


def _noisy(image: np.ndarray, count: int, seed: int = 0):
    from benchmarks.live_video import Segment, frames

    return list(frames((Segment(0.0, count / 15),), [image], fps=15, seed=seed))


@pytest.fixture
def lite():
    from posture.pose import PoseEstimator

    with PoseEstimator("lite", video=True) as loaded:
        yield loaded


def _feed(session: LiveSession, frames, start_ms: float = 0.0, step_ms: float = FRAME_MS):
    out = None
    for i, frame in enumerate(frames):
        out = session.process(frame, start_ms + i * step_ms)
    return out


def test_a_side_view_gives_the_live_readout(clip, lite):
    session = LiveSession(lite)
    frames = _noisy(clip[0], 30)
    out = _feed(session, frames)
    r = session.snapshot()
    assert r.processed == 30 and r.measured
    assert r.guidance_code is None and r.guidance == ""
    assert r.facing is Facing.LEFT  # faces right in the camera, left in the mirror
    assert 0.0 < r.tilt_deg < 25.0
    assert r.lordosis_deg is not None
    assert r.motion is not None and r.motion < STEADY_MAX
    assert r.fps > 0 and r.latency_ms > 0
    assert set(r.timings_ms) >= {"detect", "measure", "draw", "total"}
    assert out.shape == frames[-1].shape and out.dtype == np.uint8
    assert not np.array_equal(out, frames[-1][:, ::-1])  # something is drawn on it


def test_the_mirror_flips_the_picture(clip, lite):
    session = LiveSession(lite, draw=False)
    frame = _noisy(clip[0], 1)[0]
    np.testing.assert_array_equal(session.process(frame, 0), frame[:, ::-1])


def test_the_live_tilt_is_steadier_than_the_raw_estimate(clip, lite):
    session = LiveSession(lite)
    raw, smooth = [], []
    for i, frame in enumerate(_noisy(clip[0], 60, seed=3)):
        session.process(frame, i * FRAME_MS)
        r = session.snapshot()
        raw.append(r.tilt_raw_deg)
        smooth.append(r.tilt_deg)
    raw, smooth = np.array(raw[15:]), np.array(smooth[15:])
    assert np.std(np.diff(smooth)) < np.std(np.diff(raw)) / 2


def test_swaying_gives_stand_still_guidance_and_no_steady_frames(clip, lite):
    """The whole picture shifted 16 px back and forth every frame, as a swaying person."""
    session = LiveSession(lite)
    frames = [np.roll(f, 16 * (i % 2), axis=1) for i, f in enumerate(_noisy(clip[0], 20))]
    _feed(session, frames)
    r = session.snapshot()
    assert r.motion > MOVING_MIN
    assert (r.guidance_code, r.guidance) == ("moving", "Stand still")
    assert r.steady_for_s == 0.0


def test_tipping_the_pelvis_moves_the_live_tilt(clip, lite):
    session = LiveSession(lite)
    tilts = []
    for image in clip:  # relaxed, forward, back
        _feed(session, _noisy(image, 15), start_ms=len(tilts) * 2000)
        tilts.append(session.snapshot().tilt_deg)
    relaxed, forward, back = tilts
    assert forward > relaxed + 3 and back < relaxed - 3


def test_hands_free_capture_fires_once_after_holding_still(clip, lite):
    session = LiveSession(lite)
    session.arm_auto_capture()
    _feed(session, _noisy(clip[0], 25), step_ms=100)  # 2.4 s: not yet
    assert session.snapshot().auto_capture_armed and not session.take_capture_request()
    _feed(session, _noisy(clip[0], 10, seed=1), start_ms=2500, step_ms=100)  # past 3 s
    assert session.take_capture_request()
    assert not session.take_capture_request()
    assert not session.snapshot().auto_capture_armed


def test_capture_combines_the_steadiest_frames_with_the_photo_model(clip, lite, estimator):
    session = LiveSession(lite)
    _feed(session, _noisy(clip[0], 30), step_ms=100)
    live_tilt = session.snapshot().tilt_deg
    result = capture(session, estimator, n=4)
    assert (result.frames_tried, result.frames_used) == (4, 4)
    analysis = result.analysis
    assert analysis.ok and analysis.model == "pose_landmarker_full.task"
    assert analysis.measure("pelvic_tilt") == pytest.approx(np.median(result.per_frame_tilt))
    assert "Combined from 4 camera frames" in analysis.assessment.notes[-1]
    assert abs(analysis.measure("pelvic_tilt") - live_tilt) < 10  # lite and full models differ a little
    assert result.spread["pelvic_tilt"] < 5


def test_capture_takes_the_new_stance_after_a_change(clip, lite):
    """Relaxed for 3 s, then pelvis forward for 1.5 s: the frames chosen are all forward ones."""
    session = LiveSession(lite)
    _feed(session, _noisy(clip[0], 30), step_ms=100)
    _feed(session, _noisy(clip[1], 15, seed=2), start_ms=3000, step_ms=100)
    chosen = session.steadiest(4)
    assert len(chosen) == 4
    assert all(frame.timestamp_ms >= 3000 for frame in chosen)


def test_combine_takes_medians_and_the_majority(clip, lite, estimator):
    from dataclasses import replace

    from posture.analyze import analyze

    base = analyze(clip[0], estimator)
    assert base.ok

    def made(tilt, lordosis):
        measures = dict(base.measures)
        measures["pelvic_tilt"] = Measure("pelvic_tilt", tilt, "deg")
        measures["lumbar_lordosis"] = (
            Measure("lumbar_lordosis", lordosis, "deg")
            if lordosis is not None
            else Measure("lumbar_lordosis", None, "deg", "outline not clear")
        )
        return replace(base, measures=measures)

    result = combine([made(1.0, None), made(2.0, None), made(10.0, 40.0)])
    assert result.analysis.measure("pelvic_tilt") == 2.0
    assert result.spread["pelvic_tilt"] == 4.5
    assert result.analysis.measure("lumbar_lordosis") is None  # measured in 1 of 3
    assert result.analysis.measures["lumbar_lordosis"].reason == "outline not clear"
    assert result.analysis.assessment.tilt_degrees == 2.0


def test_the_range_test_runs_on_live_frames_and_the_readout_shows_a_percent(clip, lite):
    session = LiveSession(lite)
    session.start_range_test(RangeTest(get_ready_s=0.5, record_s=1.0, min_samples=5))
    start = 0.0
    for image in clip:  # each position held 1.6 s at 10 frames a second
        _feed(session, _noisy(image, 16, seed=int(start)), start_ms=start, step_ms=100)
        start += 1600
    status = session.snapshot().range_test
    assert status.phase == "done", status
    personal = status.result
    assert personal.max_anterior_deg > personal.neutral_deg > personal.max_posterior_deg
    session.stop_range_test()
    session.set_range(personal)
    _feed(session, _noisy(clip[1], 10), start_ms=start + 1000, step_ms=100)
    r = session.snapshot()
    assert r.range_percent is not None and r.range_percent > 60
    assert r.neutral_percent == pytest.approx(personal.neutral_percent)
    assert r.range_words.startswith(("forward", "at or beyond your maximal forward"))


def test_sessions_at_once_keep_their_own_state(clip):
    """Two streams in two threads, each with its own estimator: a person, and an empty room."""
    from posture.pose import PoseEstimator

    empty = np.full_like(clip[0], 200)
    with PoseEstimator("lite", video=True) as one, PoseEstimator("lite", video=True) as two:
        person, room = LiveSession(one), LiveSession(two)
        person.set_range(PersonalRange(10.0, 20.0, 0.0))
        threads = [
            threading.Thread(target=_feed, args=(person, _noisy(clip[0], 20))),
            threading.Thread(target=_feed, args=(room, [empty] * 20)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        a, b = person.snapshot(), room.snapshot()
    assert (a.processed, b.processed) == (20, 20)
    assert a.measured and a.guidance_code is None and a.range_percent is not None
    assert not b.measured and b.guidance_code == "no_person" and b.range_percent is None
    assert person.steadiest() and not room.steadiest()
