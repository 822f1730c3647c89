"""The One Euro filter: smoothing for live numbers that must not flicker yet must not lag.

Casiez, Roussel & Vogel, "1€ Filter: A Simple Speed-based Low-pass Filter for Noisy Input in
Interactive Systems", CHI 2012. A first-order low-pass filter whose cutoff frequency rises
with the speed of the signal: when the value holds still, the cutoff is low (``min_cutoff``)
and jitter is smoothed away; when it moves, the cutoff rises by ``beta`` × speed and the
output follows with little lag.

    cutoff = min_cutoff + beta * |smoothed derivative|        (Hz)
    alpha  = 1 / (1 + 1 / (2π · cutoff · dt))                 (dt in seconds)
    out    = out_prev + alpha · (value - out_prev)

Tuning (from the paper): set ``beta`` to 0 and lower ``min_cutoff`` until the still value
stops jittering; then raise ``beta`` until fast movements no longer lag.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class OneEuroParams:
    """Parameters of a One Euro filter.

    min_cutoff : Hz. Cutoff when the value holds still; lower = smoother, more lag.
    beta : Hz per (unit/s). How fast the cutoff rises with speed; higher = less lag when moving.
    d_cutoff : Hz. Cutoff of the low-pass filter on the derivative (the paper uses 1 Hz).
    """

    min_cutoff: float = 1.0
    beta: float = 0.0
    d_cutoff: float = 1.0

    def __post_init__(self) -> None:
        if self.min_cutoff <= 0 or self.d_cutoff <= 0:
            raise ValueError("min_cutoff and d_cutoff must be positive (Hz)")
        if self.beta < 0:
            raise ValueError("beta must not be negative")


SMOOTHING_RESET_MS = 1000.0
"""After this long without a measured tilt the smoothed numbers start afresh (set by hand)."""

TILT_PARAMS = OneEuroParams(min_cutoff=0.5, beta=0.02, d_cutoff=1.0)
"""For angles in degrees at 10-30 frames a second. Holding still, the 0.5 Hz cutoff shrinks the
lite model's frame-to-frame jitter (about ±1.5°) about three times; a deliberate 15° change
of tilt raises the cutoff so the number is within 10 % of its new value after 0.1-0.2 s
(tests/test_smoothing.py)."""


def smoothing_factor(dt: float, cutoff: float) -> float:
    """Alpha of an exponential filter with ``cutoff`` Hz for a sample ``dt`` seconds after the last."""
    tau = 1.0 / (2.0 * math.pi * cutoff)
    return 1.0 / (1.0 + tau / dt)


class OneEuroFilter:
    """One Euro filter for a scalar or a fixed-shape array, sampled at irregular times.

    ``filter(value, t)`` takes the time in seconds (any origin, increasing) and returns the
    smoothed value. The first sample passes through unchanged. A sample whose time does not
    increase is ignored (the previous output is returned). ``reset()`` forgets the past.
    Not thread-safe: each stream owns its filters.
    """

    def __init__(self, params: OneEuroParams = OneEuroParams()):
        self.params = params
        self.reset()

    def reset(self) -> None:
        self._t: float | None = None
        self._x: np.ndarray | float | None = None
        self._dx: np.ndarray | float = 0.0

    @property
    def value(self):
        """The last smoothed value (None before the first sample)."""
        return self._x

    def filter(self, value, t: float):
        x = np.asarray(value, dtype=np.float64)
        if self._x is None or self._t is None:
            self._t, self._x, self._dx = t, x, np.zeros_like(x)
            return _out(x)
        dt = t - self._t
        if dt <= 0:
            return _out(self._x)
        p = self.params
        dx = (x - self._x) / dt
        self._dx = self._dx + smoothing_factor(dt, p.d_cutoff) * (dx - self._dx)
        cutoff = p.min_cutoff + p.beta * np.abs(self._dx)
        alpha = 1.0 / (1.0 + (1.0 / (2.0 * math.pi * cutoff)) / dt)
        self._x = self._x + alpha * (x - self._x)
        self._t = t
        return _out(self._x)


def _out(x: np.ndarray):
    return float(x) if x.ndim == 0 else x.copy()


class LiveSmoother:
    """The live tilt and lumbar angle through two One Euro filters on the stream's clock (ms);
    both start afresh after ``SMOOTHING_RESET_MS`` without a measured tilt."""

    def __init__(self, params: OneEuroParams = TILT_PARAMS):
        self._tilt = OneEuroFilter(params)
        self._lordosis = OneEuroFilter(params)
        self._last_measured_ms: float | None = None

    def update(
        self, ts: float, tilt: float | None, lordosis: float | None
    ) -> tuple[float | None, float | None]:
        """The smoothed (tilt, lordosis) at ``ts`` ms; (None, None) when the tilt is not measured."""
        if tilt is None:
            if self._last_measured_ms is not None and ts - self._last_measured_ms > SMOOTHING_RESET_MS:
                self._tilt.reset()
                self._lordosis.reset()
                self._last_measured_ms = None
            return None, None
        self._last_measured_ms = ts
        smoothed_tilt = self._tilt.filter(tilt, ts / 1000.0)
        smoothed_lordosis = self._lordosis.filter(lordosis, ts / 1000.0) if lordosis is not None else None
        return smoothed_tilt, smoothed_lordosis
