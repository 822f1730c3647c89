"""The live mirror: one camera stream's frame processor, readout and capture.

``LiveSession.process(rgb, timestamp_ms)`` takes one upright RGB camera frame and returns the
frame mirrored (flipped left-right, as a mirror shows it) with the skeleton, plumb line, pelvis
and lumbar marks, the smoothed live numbers and the guidance drawn on it. It runs on the
stream's own thread; the page reads ``snapshot()`` (an immutable ``Readout``) from another.
Each browser session owns its own ``LiveSession`` and its own VIDEO-mode estimator: MediaPipe
tracks the person from frame to frame, so one estimator must never see two streams.

The frame is mirrored *before* detection: landmarks, drawing and text all live in the
mirrored picture, so text reads normally. The person's facing is then the mirror image's
(someone facing right in the camera faces left in the mirror); every measure is defined
relative to the facing, so the numbers are the same either way.

Dropping policy (the picture must stay current on a 2-core machine)
-------------------------------------------------------------------
* **Busy**: a frame that arrives while another frame of this session is being processed is
  not processed; ``process`` returns the last drawn frame at once (or the mirrored input
  before the first one). Nothing waits in a queue, so the mirror never falls behind.
* **Stale**: a frame whose timestamp is not newer than the newest processed one is skipped
  the same way (duplicates and frames overtaken by a newer one).
* **Restart**: a timestamp more than ``RESTART_GAP_MS`` older than the newest processed one
  means the stream was restarted (its clock started again): the session forgets the old
  stream (filters, buffer, guidance) and carries on, keeping the estimator's timestamps
  increasing.
* **Late**: frames that queued up while one was processed are for the caller to drop (all
  but the newest); it reports them with ``note_late(n)`` so the count is shown. The Streamlit
  page does this in streamlit-webrtc's queued-frames callback.

Smoothing (``posture.live.smoothing``), steadiness and guidance (``posture.live.steadiness``)
and capture (``posture.live.capture``) are in their own modules.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from dataclasses import replace

import numpy as np

from posture import assess
from posture.analyze import analyze
from posture.assess import errors
from posture.assess.errors import ErrorFigures
from posture.live.personal_range import PersonalRange
from posture.live.range_test import RangeTest
from posture.live.readout import (
    CAPTURE_FRAMES,
    FPS_WINDOW_S,
    GUIDANCE,
    HISTORY_MS,
    HOLD_STILL_S,
    KEEP_EVERY_MS,
    RESTART_GAP_MS,
    STEADY_MAX,
    KeptFrame,
    Readout,
)
from posture.live.smoothing import TILT_PARAMS, LiveSmoother, OneEuroParams
from posture.live.steadiness import GuidanceVote, Steadiness, steadiest
from posture.render import live_overlay
from posture.types import Analysis


class LiveSession:
    """Frame processor of one camera stream (see the module docstring for the policies).

    Parameters
    ----------
    estimator : a ``posture.pose.PoseEstimator`` in VIDEO mode (the lite model), owned by this
        session alone.
    mirror : flip frames left-right before anything else (a mirror view).
    draw : draw the overlay; False returns the mirrored frame undrawn (for timing).
    clock : seconds, for the frame rate and latency (``time.perf_counter``).
    """

    def __init__(
        self,
        estimator,
        *,
        mirror: bool = True,
        draw: bool = True,
        smoothing: OneEuroParams = TILT_PARAMS,
        clock=time.perf_counter,
        figures: ErrorFigures | None = None,
    ):
        if not getattr(estimator, "video", False):
            raise ValueError("the live session needs an estimator in VIDEO mode (video=True)")
        self.estimator = estimator
        self.figures = errors.shipped() if figures is None else figures
        self.mirror, self.draw, self.clock = mirror, draw, clock
        self._smoothing = smoothing
        self._busy = threading.Lock()  # held while a frame is processed
        self._lock = threading.Lock()  # guards everything the page reads or sets
        self._offset_ms = 0.0
        self._last_estimator_ms = -1.0
        self._range: PersonalRange | None = None
        self._range_test: RangeTest | None = None
        self._auto_capture = False
        self._capture_requested = False
        self._counts = Counter()
        self._error = ""
        self._latencies: deque[float] = deque(maxlen=200)
        self._done_times: deque[float] = deque()
        self._last_output: np.ndarray | None = None
        self._start_stream()

    # --- what the page calls --------------------------------------------------------

    def snapshot(self) -> Readout:
        with self._lock:
            return self._readout

    def set_range(self, personal: PersonalRange | None) -> None:
        with self._lock:
            self._range = personal

    @property
    def personal_range(self) -> PersonalRange | None:
        with self._lock:
            return self._range

    def start_range_test(self, test: RangeTest | None = None) -> None:
        with self._lock:
            self._range_test = test or RangeTest()

    def stop_range_test(self) -> None:
        with self._lock:
            self._range_test = None

    def arm_auto_capture(self, armed: bool = True) -> None:
        """Hands-free capture: request one after ``HOLD_STILL_S`` of steady stance."""
        with self._lock:
            self._auto_capture = armed
            self._capture_requested = False

    def take_capture_request(self) -> bool:
        """True once after the hands-free capture fired (the page then calls ``capture``)."""
        with self._lock:
            requested, self._capture_requested = self._capture_requested, False
            return requested

    def steadiest(self, n: int = CAPTURE_FRAMES) -> list[KeptFrame]:
        """The ``n`` steadiest frames of the current stance (``posture.live.steadiness.steadiest``)."""
        with self._lock:
            kept = list(self._kept)
        return steadiest(kept, n)

    def latencies_ms(self) -> list[float]:
        with self._lock:
            return list(self._latencies)

    # --- the frame thread -----------------------------------------------------------

    def process(self, rgb: np.ndarray, timestamp_ms: float) -> np.ndarray:
        """The drawn mirrored frame for one upright RGB uint8 (H, W, 3) camera frame.

        ``timestamp_ms`` is the frame's time on the stream's clock. Returns at once with the
        last drawn frame when the frame is dropped (busy or stale, see the module docstring).
        """
        if not self._busy.acquire(blocking=False):
            with self._lock:
                self._counts["dropped_busy"] += 1
                self._readout = replace(self._readout, dropped_busy=self._counts["dropped_busy"])
            return self._fallback(rgb)
        try:
            return self._process_locked(rgb, float(timestamp_ms))
        finally:
            self._busy.release()

    def note_late(self, count: int) -> None:
        """Count ``count`` frames the caller dropped because newer ones were waiting."""
        with self._lock:
            self._counts["dropped_late"] += int(count)
            self._readout = replace(self._readout, dropped_late=self._counts["dropped_late"])

    def record_error(self, error: BaseException) -> None:
        """Note an unexpected processing error for the page (the caller logs the traceback)."""
        with self._lock:
            self._error = f"{type(error).__name__}: {error}"
            self._readout = replace(self._readout, error=self._error)

    def _fallback(self, rgb: np.ndarray) -> np.ndarray:
        last = self._last_output
        if last is not None and last.shape == rgb.shape:
            return last
        return self._mirrored(rgb)

    def _mirrored(self, rgb: np.ndarray) -> np.ndarray:
        return live_overlay.mirror(rgb) if self.mirror else rgb.copy()  # never keep the caller's buffer

    def _start_stream(self) -> None:
        """Forget everything about the current stream (not the personal range or counts)."""
        self._newest_ms: float | None = None
        self._smoother = LiveSmoother(self._smoothing)
        self._steadiness = Steadiness()
        self._guidance = GuidanceVote()
        self._kept: deque[KeptFrame] = deque()
        self._steady_since: float | None = None
        self._readout = Readout()

    def _process_locked(self, rgb: np.ndarray, ts: float) -> np.ndarray:
        started = self.clock()
        if self._newest_ms is not None and ts <= self._newest_ms:
            if self._newest_ms - ts <= RESTART_GAP_MS:
                with self._lock:
                    self._counts["dropped_stale"] += 1
                    self._readout = replace(self._readout, dropped_stale=self._counts["dropped_stale"])
                return self._fallback(rgb)
            with self._lock:
                self._start_stream()
            self._offset_ms = self._last_estimator_ms + 1.0 - ts
        self._newest_ms = ts
        estimator_ms = ts + self._offset_ms
        self._last_estimator_ms = estimator_ms

        frame = self._mirrored(rgb)
        mirrored = self.clock()
        analysis = analyze(frame, self.estimator, timestamp_ms=int(round(estimator_ms)), figures=self.figures)
        analysed = self.clock()
        tilt_raw = analysis.measure("pelvic_tilt") if analysis.ok else None
        lordosis_raw = analysis.measure("lumbar_lordosis") if analysis.ok else None
        tilt, lordosis = self._smoother.update(ts, tilt_raw, lordosis_raw)
        motion = self._steadiness.update(ts, analysis)
        steady = analysis.ok and motion is not None and motion <= STEADY_MAX
        code = self._guidance.update(ts, analysis, motion)

        with self._lock:
            personal, test = self._range, self._range_test
            if test is not None:
                test.add(ts / 1000.0, tilt_raw)
            self._keep(ts, frame, analysis, tilt_raw, motion)
            self._steady_since = (
                (self._steady_since if self._steady_since is not None else ts) if steady else None
            )
            steady_for = 0.0 if self._steady_since is None else (ts - self._steady_since) / 1000.0
            if self._auto_capture and steady_for >= HOLD_STILL_S and self._kept:
                self._auto_capture, self._capture_requested = False, True
            armed, requested = self._auto_capture, self._capture_requested

        percent = personal.position_percent(tilt) if personal and tilt is not None else None
        readout = Readout(
            timestamp_ms=ts,
            measured=analysis.ok and tilt is not None,
            guidance_code=code,
            guidance=GUIDANCE.get(code, "") if code else "",
            message=(analysis.rejection.message if analysis.rejection else ""),
            tilt_deg=tilt,
            tilt_raw_deg=tilt_raw,
            lordosis_deg=lordosis,
            tilt_class=(assess.classify(tilt).value if tilt is not None else None),
            facing=analysis.facing,
            motion=motion,
            steady_for_s=steady_for,
            auto_capture_armed=armed,
            capture_requested=requested,
            range_percent=percent,
            neutral_percent=personal.neutral_percent if personal else None,
            range_words=personal.describe(tilt) if personal and tilt is not None else "",
            range_test=test.status() if test is not None else None,
        )

        drawing = self.clock()
        out = (
            live_overlay.draw_frame(frame, analysis, readout, fps=self._fps(), hold_still_s=HOLD_STILL_S)
            if self.draw
            else frame
        )
        done = self.clock()
        timings = {
            "mirror": (mirrored - started) * 1000.0,
            "detect": analysis.timings_ms.get("detect", 0.0),
            "measure": analysis.timings_ms.get("measure", 0.0),
            "live": (drawing - analysed) * 1000.0,
            "draw": (done - drawing) * 1000.0,
            "total": (done - started) * 1000.0,
        }
        with self._lock:
            self._counts["processed"] += 1
            self._latencies.append((done - started) * 1000.0)
            self._done_times.append(done)
            while self._done_times and done - self._done_times[0] > FPS_WINDOW_S:
                self._done_times.popleft()
            self._readout = replace(
                readout,
                processed=self._counts["processed"],
                dropped_late=self._counts["dropped_late"],
                dropped_busy=self._counts["dropped_busy"],
                dropped_stale=self._counts["dropped_stale"],
                fps=self._fps(),
                latency_ms=self._latencies[-1],
                timings_ms=timings,
                error=self._error,
            )
        self._last_output = out
        return out

    def _fps(self) -> float:
        times = self._done_times
        if len(times) < 2 or times[-1] <= times[0]:
            return 0.0
        return (len(times) - 1) / (times[-1] - times[0])

    def _keep(
        self, ts: float, frame: np.ndarray, analysis: Analysis, tilt: float | None, motion: float | None
    ) -> None:
        kept = self._kept
        while kept and ts - kept[0].timestamp_ms > HISTORY_MS:
            kept.popleft()
        if not analysis.ok or (kept and ts - kept[-1].timestamp_ms < KEEP_EVERY_MS):
            return
        kept.append(KeptFrame(ts, frame, analysis.landmarks, tilt, motion))
