"""The live mirror fed by the browser: poses in, a steady readout out. No video on the server.

The browser runs the pose landmarker itself (``webapp/mirror/``: MediaPipe's WebAssembly
build, the same lite model file) and sends, a few times a second, the landmarks and the
first person's segmentation mask of every frame it detected since the last send. This module
turns those into a ``Pose`` exactly as ``posture.pose`` does for a frame detected here
(normalised coordinates times the frame size), measures each with ``analyze_pose`` (the
photo code: checks, measures, verdict), and keeps the readout steady:

* **Smoothing** (``WindowMedian``): the number shown is the median of the raw estimates of
  the last ``SMOOTH_WINDOW_MS`` of frames. A median ignores single bad frames, and after a
  real change of stance it moves to the new value once half the window holds the new stance
  (about ``SMOOTH_WINDOW_MS / 2``), without the long tail of a low-pass filter.
* **Hysteresis** (``ClassHysteresis``): the tilt class changes only when the smoothed tilt
  passes a threshold by more than ``CLASS_MARGIN_DEG``, so a reading that hovers near a
  threshold, within the live readout's error, does not flip the class.
* **Reasons**: when a frame cannot be measured the readout carries the same reason code as a
  photo (``posture.types.Reason``), the short instruction and the checks' sentence saying
  what to do; when the person was accepted but the back outline not measured, the code is
  ``not_measured`` with the measure's own reason. The code shown is the most frequent over
  the last ``GUIDANCE_WINDOW_MS`` so it does not flicker.

Capture: the browser keeps its recent frames; the session tells it which timestamps were the
steadiest (``steadiest_timestamps``) and only then does the browser send those frames as JPEG
(the one time a picture reaches the app, on the person's own machine). They are analysed by
the photo pipeline and combined (``posture.live.capture.combine``): the same scale as photo
analysis.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

import numpy as np

from posture.analyze import analyze_pose
from posture.assess import errors
from posture.assess.errors import ErrorFigures
from posture.live.browser_pose import PayloadError, decode_mask, encode_mask, pose_from_browser
from posture.live.personal_range import PersonalRange
from posture.live.range_test import STEPS, RangeTest, RangeTestStatus
from posture.live.readout import HOLD_STILL_S, MOVING_MIN, STEADY_MAX, STEADY_WINDOW_MS
from posture.live.steadying import (
    CLASS_MARGIN_DEG,
    RESET_AFTER_MS,
    SMOOTH_MAX_WINDOW_MS,
    SMOOTH_MIN_SAMPLES,
    SMOOTH_WINDOW_MS,
    ClassHysteresis,
    WindowMedian,
    key_points,
    motion,
)
from posture.render.wording import LIVE_ADVICE, LIVE_GOOD_POSITION, LIVE_GUIDANCE, LIVE_NOT_MEASURED
from posture.types import Analysis, Pose

MODEL = "pose_landmarker_lite.task"
"""The model the browser runs (the app serves this very file; see webapp/mirror)."""

__all__ = [
    "CLASS_MARGIN_DEG",
    "RESET_AFTER_MS",
    "SMOOTH_MIN_SAMPLES",
    "SMOOTH_MAX_WINDOW_MS",
    "SMOOTH_WINDOW_MS",
    "ClassHysteresis",
    "MirrorReadout",
    "MirrorSession",
    "PayloadError",
    "WindowMedian",
    "decode_mask",
    "encode_mask",
    "key_points",
    "motion",
    "pose_from_browser",
]
GUIDANCE_WINDOW_MS = 600.0
"""The reason shown is the most frequent over this window."""
KEEP_MS = 4000.0
"""Timestamps (with their steadiness) of the last 4 s are kept to pick capture frames..."""
CAPTURE_WINDOW_MS = 2000.0
"""...among the last 2 s, as the server-side live mirror did."""
CAPTURE_FRAMES = 5
MOTION_MAX_WINDOW_MS = 1500.0
"""Steadiness is measured over the last ``STEADY_WINDOW_MS`` (0.5 s), or over the last three
measured frames when fewer came in that time (a slow browser), as long as they span at most
this long."""
NOT_MEASURED = "not_measured"
HEADLINES: dict[str, str] = {**LIVE_GUIDANCE, NOT_MEASURED: LIVE_NOT_MEASURED}
"""Short instruction per code: the photo reason codes, "moving" and ``NOT_MEASURED``."""


# --- the session ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MirrorReadout:
    """What the mirror shows after the newest frame (angles in degrees; None = not measured).

    ``code`` is a ``Reason`` value, "moving" or ``NOT_MEASURED`` (None: nothing to correct),
    ``headline`` the short instruction and ``advice`` the sentence saying what to do.
    ``frame_ts`` is the browser's timestamp of the newest frame (ms). ``contour`` is the
    lumbar outline in camera pixels (for drawing), ``facing`` the camera picture's.
    """

    seq: int = 0
    frame_ts: float | None = None
    measured: bool = False
    tilt: float | None = None
    tilt_raw: float | None = None
    tilt_class: str | None = None
    method: str = "estimate"
    """Where ``tilt`` comes from: "markers" (the skin stickers the browser read in the newest
    frame, ``marker_tilt``) or "estimate" (the markerless estimate)."""
    lumbar: float | None = None
    facing: str | None = None
    code: str | None = None
    headline: str = ""
    advice: str = ""
    notice: str = ""
    motion: float | None = None
    steady_for_s: float = 0.0
    range_percent: float | None = None
    neutral_percent: float | None = None
    range_words: str = ""
    contour: list = field(default_factory=list)
    frames: int = 0
    server_ms: float = 0.0

    def to_component(self) -> dict:
        """Plain JSON for the browser, numbers rounded."""
        out = asdict(self)
        for name in ("tilt", "tilt_raw", "lumbar", "range_percent", "neutral_percent"):
            if out[name] is not None:
                out[name] = round(out[name], 2)
        return out


class MirrorSession:
    """One browser's live mirror: measures the poses it sends and keeps the readout steady.

    ``add_poses([(ts_ms, Pose), ...], seq)`` returns the new ``MirrorReadout``. The range
    test, the personal range and hands-free capture work as in the server-side session.
    Calls from one Streamlit session are serialised; a lock makes reads from elsewhere safe.
    """

    def __init__(self, *, figures: ErrorFigures | None = None, clock=time.perf_counter):
        self.figures = errors.shipped() if figures is None else figures
        self.clock = clock
        self._lock = threading.Lock()
        self._range: PersonalRange | None = None
        self._range_test: RangeTest | None = None
        self._auto_capture = False
        self._capture_requested = False
        self.readout = MirrorReadout()
        self._restart()

    def _restart(self) -> None:
        self._newest: float | None = None
        self._tilt = WindowMedian()
        self._method = "estimate"
        self._tilt_raw: float | None = None
        self._lumbar = WindowMedian()
        self._class = ClassHysteresis()
        self._recent: deque[tuple[float, np.ndarray]] = deque()
        self._codes: deque[tuple[float, str | None]] = deque()
        self._kept: deque[tuple[float, float | None, bool]] = deque()  # (ts, motion, measured)
        self._steady_since: float | None = None
        self._last_motion: float | None = None
        self._steady_for = 0.0

    # --- settings from the page --------------------------------------------------------

    @property
    def personal_range(self) -> PersonalRange | None:
        return self._range

    def set_range(self, personal: PersonalRange | None) -> None:
        with self._lock:
            self._range = personal

    def start_range_test(self, test: RangeTest | None = None) -> None:
        with self._lock:
            self._range_test = test or RangeTest()

    def stop_range_test(self) -> None:
        with self._lock:
            self._range_test = None

    def range_test_status(self) -> RangeTestStatus | None:
        with self._lock:
            return self._range_test.status() if self._range_test is not None else None

    def arm_auto_capture(self, armed: bool = True) -> None:
        with self._lock:
            self._auto_capture, self._capture_requested = armed, False

    def take_capture_request(self) -> bool:
        with self._lock:
            requested, self._capture_requested = self._capture_requested, False
            return requested

    def steadiest_timestamps(self, n: int = CAPTURE_FRAMES) -> list[float]:
        """Browser timestamps of the ``n`` steadiest measured frames of the last
        ``CAPTURE_WINDOW_MS`` (after the last unsteady one when enough follow it)."""
        with self._lock:
            kept = [k for k in self._kept if k[2]]
        if not kept:
            return []
        recent = [k for k in kept if kept[-1][0] - k[0] <= CAPTURE_WINDOW_MS]
        unsteady = [i for i, k in enumerate(recent) if k[1] is None or k[1] > STEADY_MAX]
        if unsteady and len(recent) - unsteady[-1] - 1 >= min(n, 3):
            recent = recent[unsteady[-1] + 1 :]
        chosen = sorted(recent, key=lambda k: (k[1] is None, k[1] or 0.0, -k[0]))[:n]
        return [k[0] for k in chosen]

    # --- the poses ---------------------------------------------------------------------

    def add_poses(
        self,
        poses: list[tuple[float, Pose]],
        seq: int = 0,
        *,
        marker_tilts: Mapping[float, float] | None = None,
    ) -> MirrorReadout:
        """Measure each pose (oldest first) and return the readout after the newest.

        ``marker_tilts`` maps a pose's timestamp to the tilt the browser read from skin
        stickers in that frame (degrees, anterior positive, the camera picture's convention):
        for an accepted pose it replaces the estimate in the readout and the range test. When
        the method changes (stickers found or lost) the smoothing starts again, so the two
        kinds of value are never mixed in one median.
        """
        marker_tilts = marker_tilts or {}
        started = self.clock()
        last: Analysis | None = None
        last_ts = None
        for ts, pose in sorted(poses, key=lambda item: item[0]):
            if self._newest is not None and ts <= self._newest:
                if self._newest - ts > RESET_AFTER_MS:  # the browser's clock started again
                    self._restart()
                else:
                    continue
            self._newest = ts
            last, last_ts = analyze_pose(pose, model=MODEL, figures=self.figures), ts
            self._add(ts, last, marker_tilts.get(ts))
        if last is None:
            return self.readout
        self.readout = self._readout(seq, last_ts, last, len(poses), (self.clock() - started) * 1000.0)
        return self.readout

    def _add(self, ts: float, analysis: Analysis, marker_tilt: float | None = None) -> None:
        method = "markers" if analysis.ok and marker_tilt is not None else "estimate"
        if method != self._method:
            self._tilt, self._method = WindowMedian(), method
        tilt = (
            marker_tilt if method == "markers" else analysis.measure("pelvic_tilt") if analysis.ok else None
        )
        self._tilt_raw = tilt
        lumbar = analysis.measure("lumbar_lordosis") if analysis.ok else None
        self._tilt.add(ts, tilt)
        self._lumbar.add(ts, lumbar)
        recent = self._recent
        if analysis.ok and analysis.landmarks is not None:
            recent.append((ts, key_points(analysis.landmarks)))
        else:
            recent.clear()
        while recent and ts - recent[0][0] > MOTION_MAX_WINDOW_MS:
            recent.popleft()
        window = [r for r in recent if ts - r[0] <= STEADY_WINDOW_MS]
        moved = motion(window if len(window) >= 3 else list(recent)[-3:])
        if analysis.rejection is not None:
            code = analysis.rejection.reason.value
        elif moved is not None and moved > MOVING_MIN:
            code = "moving"
        elif tilt is None:
            code = NOT_MEASURED
        else:
            code = None
        self._codes.append((ts, code))
        while self._codes and ts - self._codes[0][0] > GUIDANCE_WINDOW_MS:
            self._codes.popleft()
        steady = tilt is not None and moved is not None and moved <= STEADY_MAX
        self._kept.append((ts, moved, tilt is not None))
        while self._kept and ts - self._kept[0][0] > KEEP_MS:
            self._kept.popleft()
        with self._lock:
            if self._range_test is not None:
                self._range_test.add(ts / 1000.0, tilt)
            self._steady_since = (
                (self._steady_since if self._steady_since is not None else ts) if steady else None
            )
            steady_for = 0.0 if self._steady_since is None else (ts - self._steady_since) / 1000.0
            if self._auto_capture and steady_for >= HOLD_STILL_S:
                self._auto_capture, self._capture_requested = False, True
        self._last_motion, self._steady_for = moved, steady_for

    def _readout(
        self, seq: int, ts: float, analysis: Analysis, frames: int, server_ms: float
    ) -> MirrorReadout:
        counts = Counter(c for _, c in self._codes)
        newest = self._codes[-1][1] if self._codes else None
        code, _ = max(counts.items(), key=lambda item: (item[1], item[0] == newest)) if counts else (None, 0)
        tilt, lumbar = self._tilt.value, self._lumbar.value
        if code in (None, "moving") and tilt is None:
            code = NOT_MEASURED
        tilt_class = self._class.update(tilt)
        if tilt is None:
            tilt_class = None
        advice = ""
        if code == NOT_MEASURED:
            measure = analysis.measures.get("pelvic_tilt") if analysis.ok else None
            advice = measure.reason if measure is not None and measure.reason else LIVE_ADVICE[NOT_MEASURED]
        elif code == "moving":
            advice = LIVE_ADVICE["moving"]
        elif code is not None:
            advice = analysis.rejection.message if analysis.rejection else ""
        headline = HEADLINES.get(code, "") if code else (LIVE_GOOD_POSITION if tilt is not None else "")
        personal = self._range
        contour = []
        if analysis.contour is not None:
            points = analysis.contour.points
            points = points[np.isfinite(points).all(axis=1)]
            contour = np.round(points[:: max(1, len(points) // 24)], 1).tolist()
        return MirrorReadout(
            seq=seq,
            frame_ts=ts,
            measured=tilt is not None,
            tilt=tilt,
            tilt_raw=self._tilt_raw,
            tilt_class=tilt_class.value if tilt_class else None,
            method=self._method,
            lumbar=lumbar,
            facing=analysis.facing.value if analysis.facing else None,
            code=code,
            headline=headline,
            advice=advice,
            notice=self._notice(),
            motion=self._last_motion,
            steady_for_s=self._steady_for,
            range_percent=personal.position_percent(tilt) if personal and tilt is not None else None,
            neutral_percent=personal.neutral_percent if personal else None,
            range_words=personal.describe(tilt) if personal and tilt is not None else "",
            contour=contour,
            frames=frames,
            server_ms=server_ms,
        )

    def _notice(self) -> str:
        with self._lock:
            test, armed, steady_for = self._range_test, self._auto_capture, self._steady_for
        if test is not None:
            status = test.status()
            if status.phase in ("ready", "record"):
                action = "Get into position" if status.phase == "ready" else "Hold it — recording"
                text = (
                    f"Range test, step {status.step + 1} of {len(STEPS)}. {status.instruction} "
                    f"{action}: {status.seconds_left:.0f} s"
                )
                return text + (f" {status.message}" if status.message else "")
        if armed:
            return f"Hands-free capture: hold still… {max(0.0, HOLD_STILL_S - steady_for):.0f} s"
        return ""
