"""The live session's settings (windows, steadiness limits, capture size) and what it shows.

Every number is set by hand for a 2-core machine and a person standing 2-3 m from a webcam,
unless its docstring names a measurement.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from posture.live.range_test import RangeTestStatus
from posture.render.wording import LIVE_GUIDANCE
from posture.types import Facing, Landmarks

RESTART_GAP_MS = 1000.0
"""A timestamp this much older than the newest processed one starts a new stream."""
STEADY_WINDOW_MS = 500.0
"""Steadiness is measured over the accepted frames of this last half second."""
STEADY_MAX = 0.008
"""Steady (for capture and the hands-free timer) when the key points move, RMS about their
mean, less than this fraction of body height: about 1.4 cm for a 1.7 m person. The lite
model's jitter on a still rendered person at 640×480 is 0.0015-0.0025 (tests/test_live.py);
a real webcam adds some. Not yet checked on filmed people."""
MOVING_MIN = 0.015
"""Above this (about 2.5 cm) the guidance says "Stand still". Between ``STEADY_MAX`` and
this the person is neither told off nor counted as steady, so normal breathing and sway do
not make the guidance nag."""
GUIDANCE_WINDOW_MS = 600.0
"""Guidance shown is the most frequent over this window, so it does not flicker."""
HISTORY_MS = 4000.0
"""Accepted frames of the last 4 seconds are kept for capture..."""
KEEP_EVERY_MS = 100.0
"""...at most one every 100 ms (at 640×480 that is at most 40 frames, 37 MB per session)."""
FPS_WINDOW_S = 2.0
"""The frame rate shown is over the last two seconds of processed frames."""
HOLD_STILL_S = 3.0
"""Hands-free capture fires after this long continuously steady and measurable."""
CAPTURE_FRAMES = 5
"""Frames analysed and combined for a capture..."""
CAPTURE_WINDOW_MS = 2000.0
"""...chosen among the frames of the last two seconds (see ``LiveSession.steadiest``)."""

GUIDANCE = LIVE_GUIDANCE
"""Short live instructions by code (``posture.render.wording.LIVE_GUIDANCE``)."""

KEY_PARTS = ("ear", "shoulder", "hip", "knee", "ankle")


@dataclass(frozen=True)
class Readout:
    """What the page shows, as of the newest processed frame. Immutable: safe to share.

    Angles in degrees (tilt anterior positive); ``None`` when not measured. ``guidance_code``
    is a ``Reason`` value or "moving" (None: nothing to correct); ``message`` is the checks'
    full sentence for that reason. ``range_percent`` is 0 (maximal posterior) to 100
    (maximal anterior) of the personal range, when one is set. ``facing`` is the facing in
    the mirrored picture.
    """

    processed: int = 0
    dropped_late: int = 0
    dropped_busy: int = 0
    dropped_stale: int = 0
    timestamp_ms: float | None = None
    measured: bool = False
    guidance_code: str | None = None
    guidance: str = ""
    message: str = ""
    tilt_deg: float | None = None
    tilt_raw_deg: float | None = None
    lordosis_deg: float | None = None
    tilt_class: str | None = None
    facing: Facing | None = None
    fps: float = 0.0
    latency_ms: float | None = None
    motion: float | None = None
    steady_for_s: float = 0.0
    auto_capture_armed: bool = False
    capture_requested: bool = False
    range_percent: float | None = None
    neutral_percent: float | None = None
    range_words: str = ""
    range_test: RangeTestStatus | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    error: str = ""


@dataclass(frozen=True)
class KeptFrame:
    """An accepted frame kept for capture: the clean mirrored image and its live result."""

    timestamp_ms: float
    rgb: np.ndarray = field(repr=False)
    landmarks: Landmarks = field(repr=False)
    tilt_deg: float | None
    motion: float | None


def centre(landmarks: Landmarks, part: str) -> np.ndarray:
    return (landmarks.point(f"left_{part}") + landmarks.point(f"right_{part}")) / 2.0
