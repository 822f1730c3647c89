"""The lines every routine document shares: the blocked title, the screen's introduction,
the result and time lines and an item's minutes. Plain text; each writer adds its markup.
"""

from __future__ import annotations

from posture.render.wording import kendall_name
from posture.routines import Routine
from posture.routines.safety import ScreenResult

SCREEN_INTRO = "Answer these before you start. If any answer is yes, do not start: seek medical care first."

BLOCKED_TITLE = "Safety check: do not start the exercises"


def blocked(screen: ScreenResult | None) -> bool:
    """True when a screen was given and one of its answers stops the routine."""
    return screen is not None and screen.blocked


def result_line(routine: Routine) -> str:
    """ "anterior pelvic tilt, posture type …, confidence 80%" ("not given" with none)."""
    parts = []
    if routine.tilt_class:
        parts.append(f"{routine.tilt_class} pelvic tilt")
    if routine.kendall_type:
        parts.append(f"posture type {kendall_name(routine.kendall_type)}")
    if routine.confidence is not None:
        parts.append(f"confidence {routine.confidence:.0%}")
    return ", ".join(parts) if parts else "not given"


def time_line(routine: Routine) -> str:
    return f"about {routine.total_minutes} minutes, {len(routine.items)} exercises"


def minutes(seconds: int) -> str:
    """Item time rounded to the nearest half minute: "2.5 min"."""
    half_minutes = max(1, round(seconds / 30))
    return f"{half_minutes / 2:g} min"
