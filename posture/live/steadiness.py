"""Steadiness and guidance of the live stream: how much the person moves, and which short
instruction to show without flicker. Both keep a short window of the stream's recent frames."""

from __future__ import annotations

import math
from collections import Counter, deque

import numpy as np

from posture.live.readout import (
    CAPTURE_FRAMES,
    CAPTURE_WINDOW_MS,
    GUIDANCE_WINDOW_MS,
    KEY_PARTS,
    MOVING_MIN,
    STEADY_MAX,
    STEADY_WINDOW_MS,
    KeptFrame,
    centre,
)
from posture.types import Analysis


class Steadiness:
    """RMS movement of the ear, shoulder, hip, knee and ankle centres around their mean over
    the last ``STEADY_WINDOW_MS``, as a fraction of body height (0 = perfectly still)."""

    def __init__(self) -> None:
        self._recent: deque[tuple[float, np.ndarray, float]] = deque()  # (ms, key points, height)

    def update(self, ts: float, analysis: Analysis) -> float | None:
        """Add the frame at ``ts`` (ms); the motion, or None with fewer than 3 measured frames."""
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
        rms = math.sqrt(float(np.mean(np.sum(deviation**2, axis=2))))
        return rms / float(np.median([h for _, _, h in recent]))


class GuidanceVote:
    """The most frequent guidance code over the last ``GUIDANCE_WINDOW_MS``: a reason code,
    "moving" (motion above ``MOVING_MIN``) or None (nothing to correct)."""

    def __init__(self) -> None:
        self._codes: deque[tuple[float, str | None]] = deque()

    def update(self, ts: float, analysis: Analysis, motion: float | None) -> str | None:
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


def steadiest(kept: list[KeptFrame], n: int = CAPTURE_FRAMES) -> list[KeptFrame]:
    """The ``n`` steadiest of the kept frames of the current stance (least motion first).

    Candidates are the kept frames of the last ``CAPTURE_WINDOW_MS``, and of those only
    the ones after the last unsteady frame (motion above ``STEADY_MAX`` or unknown) when
    there are at least ``min(n, 3)`` of them: a person who has just changed stance gets
    the new stance, not the one held longer before.
    """
    if not kept:
        return []
    recent = [f for f in kept if kept[-1].timestamp_ms - f.timestamp_ms <= CAPTURE_WINDOW_MS]
    unsteady = [i for i, f in enumerate(recent) if f.motion is None or f.motion > STEADY_MAX]
    if unsteady and len(recent) - unsteady[-1] - 1 >= min(n, 3):
        recent = recent[unsteady[-1] + 1 :]
    return sorted(recent, key=lambda f: (f.motion is None, f.motion or 0.0, -f.timestamp_ms))[:n]
