"""Steady live numbers: a windowed median of the tilt, a class that changes only past a
margin, and how much the body moved (the steadiness the capture and the guidance use).

Times are milliseconds of the browser's clock (increasing); angles are degrees, anterior
tilt positive; movement is a fraction of body height.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from posture.assess import verdict
from posture.live.readout import KEY_PARTS
from posture.types import Landmarks, TiltClass

SMOOTH_WINDOW_MS = 500.0
"""Window of the median shown (see the module docstring)."""
SMOOTH_MIN_SAMPLES = 3
"""Fewer raw estimates than this in the window: the median of the last three is shown...
"""
SMOOTH_MAX_WINDOW_MS = 1500.0
"""...as long as they are this recent (a slow browser: fewer poses a second)."""
RESET_AFTER_MS = 1000.0
"""A gap this long without a measured tilt empties the window (a new stance or person)."""
CLASS_MARGIN_DEG = 2.5
"""How far past a class threshold the smoothed tilt must go before the class changes. About
twice the live readout's SD on a still person (target 1.5°, measured by
``benchmarks/live_browser.py``): a person standing still does not flip the class. It is not
the absolute error of the estimate (``tilt_absolute_sd``, about 7°): that error is shared by
every frame of one person and cannot make the class flicker."""


class WindowMedian:
    """Median of the values of the last ``window_ms`` (times in ms, increasing).

    When fewer than ``min_samples`` values came in that time (a slow browser), the median is
    of the last ``min_samples`` values, as long as they are at most ``max_window_ms`` old; with
    fewer still, of what there is. ``add(t, value)`` with None records a frame without a value:
    after ``reset_ms`` without any value everything is forgotten. ``value`` is None until
    something was added.
    """

    def __init__(
        self,
        window_ms: float = SMOOTH_WINDOW_MS,
        *,
        min_samples: int = SMOOTH_MIN_SAMPLES,
        max_window_ms: float = SMOOTH_MAX_WINDOW_MS,
        reset_ms: float = RESET_AFTER_MS,
    ):
        self.window_ms, self.min_samples, self.reset_ms = window_ms, min_samples, reset_ms
        self.max_window_ms = max(window_ms, max_window_ms)
        self._items: deque[tuple[float, float]] = deque()
        self._last_value_t: float | None = None

    def add(self, t: float, value: float | None) -> float | None:
        items = self._items
        if value is not None and np.isfinite(value):
            items.append((t, float(value)))
            self._last_value_t = t
        elif self._last_value_t is not None and t - self._last_value_t > self.reset_ms:
            items.clear()
            self._last_value_t = None
        while items and t - items[0][0] > self.max_window_ms:
            items.popleft()
        return self.value

    @property
    def value(self) -> float | None:
        if not self._items:
            return None
        newest = self._items[-1][0]
        recent = [v for t, v in self._items if newest - t <= self.window_ms]
        if len(recent) < self.min_samples:
            recent = [v for _, v in list(self._items)[-self.min_samples :]]
        return float(np.median(recent))


class ClassHysteresis:
    """The tilt class, changed only when the tilt is past a threshold by ``margin`` degrees.

    The first tilt is classed plainly (as ``verdict.classify``). Afterwards the thresholds next
    to the current class are moved ``margin`` degrees away from it, so the tilt has to pass a
    threshold by the margin before the class changes.
    """

    def __init__(self, margin: float = CLASS_MARGIN_DEG, thresholds: verdict.Thresholds = verdict.DEFAULT):
        self.margin, self.thresholds = margin, thresholds
        self.current: TiltClass | None = None

    def update(self, tilt: float | None) -> TiltClass | None:
        if tilt is None:
            return self.current
        low, high = self.thresholds.posterior_below, self.thresholds.anterior_above
        if self.current is TiltClass.POSTERIOR:
            low += self.margin  # leaving posterior: past 4° by the margin
        elif self.current is TiltClass.ANTERIOR:
            high -= self.margin  # leaving anterior: below 18° by the margin
        elif self.current is TiltClass.NEUTRAL:
            low, high = low - self.margin, high + self.margin
        self.current = (
            TiltClass.ANTERIOR if tilt > high else TiltClass.POSTERIOR if tilt < low else TiltClass.NEUTRAL
        )
        return self.current

    def reset(self) -> None:
        self.current = None


def key_points(landmarks: Landmarks) -> np.ndarray:
    """Mid-points of the ear, shoulder, hip, knee and ankle pairs, (5, 2) pixels."""
    return np.array([(landmarks.point(f"left_{p}") + landmarks.point(f"right_{p}")) / 2.0 for p in KEY_PARTS])


def motion(recent: list[tuple[float, np.ndarray]]) -> float | None:
    """RMS movement of the key points about their mean over ``recent`` (time, points),
    as a fraction of body height (ear to ankle); None with fewer than 3 frames."""
    if len(recent) < 3:
        return None
    stack = np.stack([p for _, p in recent])
    deviation = stack - stack.mean(axis=0)
    height = float(np.median([abs(p[-1, 1] - p[0, 1]) for _, p in recent]))
    return math.sqrt(float(np.mean(np.sum(deviation**2, axis=2)))) / max(height, 1.0)
