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

Smoothing: the tilt and lumbar numbers pass through One Euro filters (``posture.live.smoothing``)
on the stream's clock; they are reset after ``SMOOTHING_RESET_MS`` without a measurement.
Steadiness: the RMS movement of the ear, shoulder, hip, knee and ankle centres around their
mean over the last ``STEADY_WINDOW_MS``, as a fraction of body height (0 = perfectly still).

Capture (``capture``): the ``n`` steadiest frames of the current stance (``steadiest``) are
analysed again by the photo pipeline (full model, IMAGE mode) and their measures combined by the median;
see ``combine``.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field, replace

import numpy as np

from posture import assess
from posture.render import live_overlay
from posture.analyze import analyze, landmark_quality
from posture.assess import errors
from posture.assess.errors import ErrorFigures
from posture.live.personal_range import PersonalRange, RangeTest, RangeTestStatus
from posture.render.overlay import annotate
from posture.live.smoothing import TILT_PARAMS, OneEuroFilter, OneEuroParams
from posture.live.readout import (
    CAPTURE_FRAMES,
    CAPTURE_WINDOW_MS,
    FPS_WINDOW_S,
    GUIDANCE,
    GUIDANCE_WINDOW_MS,
    HISTORY_MS,
    HOLD_STILL_S,
    KEEP_EVERY_MS,
    KEY_PARTS,
    MOVING_MIN,
    RESTART_GAP_MS,
    SMOOTHING_RESET_MS,
    STEADY_MAX,
    STEADY_WINDOW_MS,
    KeptFrame,
    Readout,
    centre,
)
from posture.types import Analysis, Facing, Landmarks, Measure, Reason


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

    def __init__(self, estimator, *, mirror: bool = True, draw: bool = True,
                 smoothing: OneEuroParams = TILT_PARAMS, clock=time.perf_counter,
                 figures: ErrorFigures | None = None):
        if not getattr(estimator, "video", False):
            raise ValueError("the live session needs an estimator in VIDEO mode (video=True)")
        self.estimator = estimator
        self.figures = errors.shipped() if figures is None else figures
        self.mirror, self.draw, self.clock = mirror, draw, clock
        self._smoothing = smoothing
        self._busy = threading.Lock()      # held while a frame is processed
        self._lock = threading.Lock()      # guards everything the page reads or sets
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
        """The ``n`` steadiest frames of the current stance (least motion first).

        Candidates are the kept frames of the last ``CAPTURE_WINDOW_MS``, and of those only
        the ones after the last unsteady frame (motion above ``STEADY_MAX`` or unknown) when
        there are at least ``min(n, 3)`` of them: a person who has just changed stance gets
        the new stance, not the one held longer before.
        """
        with self._lock:
            kept = list(self._kept)
        if not kept:
            return []
        recent = [f for f in kept if kept[-1].timestamp_ms - f.timestamp_ms <= CAPTURE_WINDOW_MS]
        unsteady = [i for i, f in enumerate(recent) if f.motion is None or f.motion > STEADY_MAX]
        if unsteady and len(recent) - unsteady[-1] - 1 >= min(n, 3):
            recent = recent[unsteady[-1] + 1:]
        return sorted(recent, key=lambda f: (f.motion is None, f.motion or 0.0, -f.timestamp_ms))[:n]

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
        self._tilt_filter = OneEuroFilter(self._smoothing)
        self._lordosis_filter = OneEuroFilter(self._smoothing)
        self._last_measured_ms: float | None = None
        self._recent: deque[tuple[float, np.ndarray, float]] = deque()  # (ms, key points, height)
        self._codes: deque[tuple[float, str | None]] = deque()
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
        analysis = analyze(frame, self.estimator, timestamp_ms=int(round(estimator_ms)),
                           figures=self.figures)
        analysed = self.clock()
        tilt_raw = analysis.measure("pelvic_tilt") if analysis.ok else None
        lordosis_raw = analysis.measure("lumbar_lordosis") if analysis.ok else None
        tilt, lordosis = self._smooth(ts, tilt_raw, lordosis_raw)
        motion = self._motion(ts, analysis)
        steady = analysis.ok and motion is not None and motion <= STEADY_MAX
        code = self._guidance_code(ts, analysis, motion)

        with self._lock:
            personal, test = self._range, self._range_test
            if test is not None:
                test.add(ts / 1000.0, tilt_raw)
            self._keep(ts, frame, analysis, tilt_raw, motion)
            self._steady_since = (self._steady_since if self._steady_since is not None else ts) if steady else None
            steady_for = 0.0 if self._steady_since is None else (ts - self._steady_since) / 1000.0
            if self._auto_capture and steady_for >= HOLD_STILL_S and self._kept:
                self._auto_capture, self._capture_requested = False, True
            armed, requested = self._auto_capture, self._capture_requested

        percent = personal.position_percent(tilt) if personal and tilt is not None else None
        readout = Readout(
            timestamp_ms=ts, measured=analysis.ok and tilt is not None, guidance_code=code,
            guidance=GUIDANCE.get(code, "") if code else "",
            message=(analysis.rejection.message if analysis.rejection else ""),
            tilt_deg=tilt, tilt_raw_deg=tilt_raw, lordosis_deg=lordosis,
            tilt_class=(assess.classify(tilt).value if tilt is not None else None),
            facing=analysis.facing, motion=motion, steady_for_s=steady_for,
            auto_capture_armed=armed, capture_requested=requested, range_percent=percent,
            neutral_percent=personal.neutral_percent if personal else None,
            range_words=personal.describe(tilt) if personal and tilt is not None else "",
            range_test=test.status() if test is not None else None)

        drawing = self.clock()
        out = self._draw(frame, analysis, readout) if self.draw else frame
        done = self.clock()
        timings = {"mirror": (mirrored - started) * 1000.0,
                   "detect": analysis.timings_ms.get("detect", 0.0),
                   "measure": analysis.timings_ms.get("measure", 0.0),
                   "live": (drawing - analysed) * 1000.0,
                   "draw": (done - drawing) * 1000.0,
                   "total": (done - started) * 1000.0}
        with self._lock:
            self._counts["processed"] += 1
            self._latencies.append((done - started) * 1000.0)
            self._done_times.append(done)
            while self._done_times and done - self._done_times[0] > FPS_WINDOW_S:
                self._done_times.popleft()
            self._readout = replace(readout, processed=self._counts["processed"],
                                    dropped_late=self._counts["dropped_late"],
                                    dropped_busy=self._counts["dropped_busy"],
                                    dropped_stale=self._counts["dropped_stale"],
                                    fps=self._fps(), latency_ms=self._latencies[-1], timings_ms=timings,
                                    error=self._error)
        self._last_output = out
        return out

    def _fps(self) -> float:
        times = self._done_times
        if len(times) < 2 or times[-1] <= times[0]:
            return 0.0
        return (len(times) - 1) / (times[-1] - times[0])

    def _smooth(self, ts: float, tilt: float | None, lordosis: float | None
                ) -> tuple[float | None, float | None]:
        if tilt is None:
            if self._last_measured_ms is not None and ts - self._last_measured_ms > SMOOTHING_RESET_MS:
                self._tilt_filter.reset()
                self._lordosis_filter.reset()
                self._last_measured_ms = None
            return None, None
        self._last_measured_ms = ts
        smoothed_tilt = self._tilt_filter.filter(tilt, ts / 1000.0)
        smoothed_lordosis = (self._lordosis_filter.filter(lordosis, ts / 1000.0)
                             if lordosis is not None else None)
        return smoothed_tilt, smoothed_lordosis

    def _motion(self, ts: float, analysis: Analysis) -> float | None:
        """RMS movement of the key points over the steadiness window, / body height."""
        recent = self._recent
        if analysis.ok and analysis.landmarks is not None:
            points = np.array([centre(analysis.landmarks, p) for p in KEY_PARTS])
            height = abs(points[-1, 1] - points[0, 1])
            recent.append((ts, points, max(height, 1.0)))
        else:
            recent.clear()
        while recent and ts - recent[0][0] > STEADY_WINDOW_MS:
            recent.popleft()
        if len(recent) < 3:
            return None
        stack = np.stack([p for _, p, _ in recent])
        deviation = stack - stack.mean(axis=0)
        rms = math.sqrt(float(np.mean(np.sum(deviation ** 2, axis=2))))
        return rms / float(np.median([h for _, _, h in recent]))

    def _guidance_code(self, ts: float, analysis: Analysis, motion: float | None) -> str | None:
        if analysis.rejection is not None:
            code = analysis.rejection.reason.value
        elif motion is not None and motion > MOVING_MIN:
            code = "moving"
        else:
            code = None
        self._codes.append((ts, code))
        while self._codes and ts - self._codes[0][0] > GUIDANCE_WINDOW_MS:
            self._codes.popleft()
        counts = Counter(c for _, c in self._codes)
        best, _ = max(counts.items(), key=lambda item: (item[1], item[0] == code))
        return best

    def _keep(self, ts: float, frame: np.ndarray, analysis: Analysis, tilt: float | None,
              motion: float | None) -> None:
        kept = self._kept
        while kept and ts - kept[0].timestamp_ms > HISTORY_MS:
            kept.popleft()
        if not analysis.ok or (kept and ts - kept[-1].timestamp_ms < KEEP_EVERY_MS):
            return
        kept.append(KeptFrame(ts, frame, analysis.landmarks, tilt, motion))

    def _draw(self, frame: np.ndarray, analysis: Analysis, readout: Readout) -> np.ndarray:
        shown = analysis
        if analysis.ok and readout.tilt_deg is not None:  # the pelvis bar at the smoothed tilt
            tilt = Measure("pelvic_tilt", readout.tilt_deg, "deg")
            shown = replace(analysis, measures={**analysis.measures, "pelvic_tilt": tilt})
        image = annotate(frame, shown, show_text=False)
        lines = []
        if readout.tilt_deg is not None:
            lines.append(f"Pelvic tilt {readout.tilt_deg:+.0f} deg  {readout.tilt_class}")
            lines.append(f"Lumbar angle {readout.lordosis_deg:.0f} deg" if readout.lordosis_deg is not None
                         else "Lumbar angle: not measured")
            if readout.range_percent is not None:
                lines.append(f"Your range: {readout.range_percent:.0f}%")
        else:
            lines.append("Pelvic tilt: --")
        test = readout.range_test
        if test is not None and test.phase in ("ready", "record"):
            word = "Get ready" if test.phase == "ready" else "Hold"
            lines.append(f"Range test {test.step + 1}/3: {word} {test.seconds_left:.0f} s")
        elif readout.auto_capture_armed and readout.guidance_code is None:
            lines.append(f"Hold still: {max(0.0, HOLD_STILL_S - readout.steady_for_s):.0f} s")
        body_left = analysis.landmarks is not None and (
            float(np.mean(analysis.landmarks.xy[:, 0])) < image.shape[1] / 2)
        live_overlay.draw_readout(image, lines, right=body_left)
        if readout.guidance:
            live_overlay.draw_guidance(image, readout.guidance)
        if readout.range_percent is not None and readout.neutral_percent is not None:
            live_overlay.draw_range_bar(image, readout.range_percent, readout.neutral_percent)
        live_overlay.draw_fps(image, self._fps())
        return image
