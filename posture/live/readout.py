"""The live mirror's settings: windows, steadiness limits, capture size.

Every number is set by hand for a 2-core machine and a person standing 2-3 m from a webcam,
unless its docstring names a measurement.
"""

from __future__ import annotations

from posture.render.wording import LIVE_GUIDANCE

STEADY_WINDOW_MS = 500.0
"""Steadiness is measured over the accepted frames of this last half second."""
STEADY_MAX = 0.008
"""Steady (for capture and the hands-free timer) when the key points move, RMS about their
mean, less than this fraction of body height: about 1.4 cm for a 1.7 m person. The lite
model's jitter on a still rendered person at 640×480 was 0.0015-0.0025 (measured by the
server-side live session's tests, removed with it);
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
HOLD_STILL_S = 3.0
"""Hands-free capture fires after this long continuously steady and measurable."""
CAPTURE_FRAMES = 5
"""Frames analysed and combined for a capture..."""
CAPTURE_WINDOW_MS = 2000.0
"""...chosen among the frames of the last two seconds (see ``MirrorSession.steadiest_timestamps``)."""

GUIDANCE = LIVE_GUIDANCE
"""Short live instructions by code (``posture.render.wording.LIVE_GUIDANCE``)."""

KEY_PARTS = ("ear", "shoulder", "hip", "knee", "ankle")
