"""The guided range test: relaxed, fully forward, fully back, as a state machine fed (time,
tilt) samples from the live stream; it ends in a ``PersonalRange``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from posture.live.personal_range import PersonalRange, RangeError


@dataclass(frozen=True)
class Step:
    key: str
    instruction: str


STEPS: tuple[Step, ...] = (
    Step("neutral", "Stand relaxed, as you usually stand, side-on to the camera, and hold still."),
    Step(
        "anterior",
        "Tip your pelvis fully FORWARD: stick your bottom out and arch your lower "
        "back as far as is comfortable. Hold it.",
    ),
    Step(
        "posterior",
        "Tip your pelvis fully BACK: tuck your tailbone under and flatten your lower "
        "back as far as is comfortable. Hold it.",
    ),
)

GET_READY_S = 3.0
"""Seconds to take up each position before recording starts."""

RECORD_S = 3.0
"""Seconds recorded per position; the median of the tilts measured then is the value."""

MIN_SAMPLES = 8
"""Measured frames needed per position (fewer: the step is repeated)."""


@dataclass(frozen=True)
class RangeTestStatus:
    """What the guided test is doing, for the page to show.

    ``phase`` is "ready" (counting down to recording), "record", "done" or "failed".
    ``step`` is 0..2 (index into ``STEPS``), ``seconds_left`` in the current phase.
    """

    phase: str
    step: int
    instruction: str
    seconds_left: float
    message: str = ""
    values: tuple[float | None, float | None, float | None] = (None, None, None)
    result: PersonalRange | None = None


class RangeTest:
    """The guided range test, driven by ``add(t, tilt)`` with every live frame.

    ``t`` is seconds on the stream's clock; ``tilt`` is the (unsmoothed) tilt estimate in
    degrees, or None when the frame could not be measured. For each of ``STEPS``: a countdown
    of ``get_ready_s`` (samples ignored), then ``record_s`` of recording; the median of the
    recorded tilts is that step's value. A step with fewer than ``min_samples`` tilts is
    repeated. After the last step the range is validated: ``status().phase`` is "done" with
    the ``PersonalRange`` or "failed" with a message. Not thread-safe (the live session
    calls it under its lock).
    """

    def __init__(
        self,
        *,
        get_ready_s: float = GET_READY_S,
        record_s: float = RECORD_S,
        min_samples: int = MIN_SAMPLES,
        recorded_on: date | None = None,
    ):
        self.get_ready_s, self.record_s, self.min_samples = get_ready_s, record_s, min_samples
        self._recorded_on = recorded_on
        self._step = 0
        self._phase = "ready"
        self._phase_start: float | None = None
        self._now: float | None = None
        self._samples: list[float] = []
        self._values: list[float | None] = [None, None, None]
        self._message = ""
        self._result: PersonalRange | None = None

    def add(self, t: float, tilt: float | None) -> None:
        if self._phase in ("done", "failed"):
            return
        if self._phase_start is None:
            self._phase_start = t
        self._now = t
        elapsed = t - self._phase_start
        if self._phase == "ready":
            if elapsed >= self.get_ready_s:
                self._phase, self._phase_start, self._samples = "record", t, []
            return
        if tilt is not None and np.isfinite(tilt):
            self._samples.append(float(tilt))
        if elapsed >= self.record_s:
            self._finish_step(t)

    def _finish_step(self, t: float) -> None:
        if len(self._samples) < self.min_samples:
            self._message = (
                f"Only {len(self._samples)} frames could be measured while recording. "
                "Keep your whole body in view, side-on, and hold the position."
            )
            self._phase, self._phase_start = "ready", t
            return
        self._values[self._step] = float(np.median(self._samples))
        self._message = ""
        if self._step < len(STEPS) - 1:
            self._step += 1
            self._phase, self._phase_start = "ready", t
            return
        neutral, anterior, posterior = self._values
        try:
            extra = {"recorded_on": self._recorded_on} if self._recorded_on else {}
            self._result = PersonalRange(neutral, anterior, posterior, **extra)
            self._phase = "done"
        except RangeError as error:
            self._phase, self._message = "failed", str(error)

    def status(self) -> RangeTestStatus:
        step = STEPS[self._step]
        limit = {"ready": self.get_ready_s, "record": self.record_s}.get(self._phase, 0.0)
        elapsed = 0.0 if self._phase_start is None or self._now is None else self._now - self._phase_start
        return RangeTestStatus(
            phase=self._phase,
            step=self._step,
            instruction=step.instruction,
            seconds_left=max(0.0, limit - elapsed),
            message=self._message,
            values=tuple(self._values),
            result=self._result,
        )
