"""A person's own pelvic tilt range: relaxed, fully forward, fully back.

A camera estimate of pelvic tilt carries a person-specific offset of several degrees (pelvic
shape alone spreads relaxed tilt over 0-23°, RESEARCH.md). Measuring the person's own
relaxed (neutral), maximal anterior and maximal posterior tilt with the same camera and
model, and then reporting where the current stance sits between the two extremes, cancels
much of that offset: both ends carry it too.

Position in the range (``PersonalRange.position_percent``)::

    0 %   = the recorded maximal posterior tilt (pelvis tucked under as far as it goes)
    100 % = the recorded maximal anterior tilt (pelvis tipped forward as far as it goes)
    linear in degrees in between; the relaxed stance sits at ``neutral_percent``
    (typically a little below the middle: Levine & Whittle 1996 found about +11° forward
    and -9° back from relaxed standing, which puts neutral at 45 %).

Tilts beyond a recorded extreme are clipped to 0 % or 100 % (``clip=False`` gives the raw
value). The range is in the degrees of the live (lite) model's estimate: compare it only
with the live readout.

Saved as a small JSON file (``to_json``/``from_json``, schema version 1) that holds the three
numbers and the date, nothing else. The guided recording is ``posture.live.range_test``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from posture import settings

SCHEMA = "posture.personal_range"

SCHEMA_VERSION = 1

MAX_FILE_BYTES = 4096
"""A range file is a few hundred bytes; anything larger is not one."""

MIN_SIDE_SPAN = 2.0
"""Degrees: maximal anterior must exceed neutral, and neutral exceed maximal posterior, by at
least this; closer is within the frame-to-frame noise of the live estimate."""

MIN_TOTAL_SPAN = 6.0
"""Degrees between maximal posterior and maximal anterior. A change below about 6° is within
the error of the best clinical tools (RESEARCH.md), so a narrower range means the movement was
not seen, not that the person cannot move."""

TILT_LIMIT = 60.0
"""Degrees: no recorded value may be beyond ±this (a sign of a corrupt file)."""


class RangeError(ValueError):
    """The three tilts do not make a usable range; ``str(error)`` says what to do."""


class RangeFileError(ValueError):
    """A file that is not a personal range file; ``str(error)`` says what is wrong."""


def range_problem(neutral: float, anterior: float, posterior: float) -> str | None:
    """Why the three tilts (degrees, anterior positive) are not a usable range, or None."""
    values = (neutral, anterior, posterior)
    if not all(np.isfinite(v) and abs(v) <= TILT_LIMIT for v in values):
        return f"The tilts must be finite numbers within ±{TILT_LIMIT:.0f}°."
    if anterior - neutral < MIN_SIDE_SPAN:
        return (
            f"Tipping forward measured {anterior:+.1f}°, not clearly more than relaxed "
            f"standing ({neutral:+.1f}°). Repeat the test and stick your bottom out as far "
            "as you comfortably can, keeping your side to the camera."
        )
    if neutral - posterior < MIN_SIDE_SPAN:
        return (
            f"Tucking under measured {posterior:+.1f}°, not clearly less than relaxed "
            f"standing ({neutral:+.1f}°). Repeat the test and tuck your tailbone under as "
            "far as you comfortably can, keeping your side to the camera."
        )
    if anterior - posterior < MIN_TOTAL_SPAN:
        return (
            f"The whole range measured only {anterior - posterior:.1f}° (less than "
            f"{MIN_TOTAL_SPAN:.0f}°), too little to tell positions apart. Repeat the test "
            "with bigger movements of the pelvis."
        )
    return None


@dataclass(frozen=True)
class PersonalRange:
    """Relaxed, maximal anterior and maximal posterior pelvic tilt (degrees, anterior positive).

    Raises ``RangeError`` unless ``anterior > neutral > posterior`` by the minimum spans.
    """

    neutral_deg: float
    max_anterior_deg: float
    max_posterior_deg: float
    recorded_on: date = field(default_factory=date.today)

    def __post_init__(self) -> None:
        problem = range_problem(self.neutral_deg, self.max_anterior_deg, self.max_posterior_deg)
        if problem:
            raise RangeError(problem)

    @property
    def span_deg(self) -> float:
        return self.max_anterior_deg - self.max_posterior_deg

    @property
    def neutral_percent(self) -> float:
        """Where relaxed standing sits in the range, 0..100."""
        return self.position_percent(self.neutral_deg)

    def position_percent(self, tilt_deg: float, *, clip: bool = True) -> float:
        """Where ``tilt_deg`` sits: 0 = maximal posterior, 100 = maximal anterior (linear)."""
        percent = 100.0 * (tilt_deg - self.max_posterior_deg) / self.span_deg
        return float(np.clip(percent, 0.0, 100.0)) if clip else float(percent)

    def describe(self, tilt_deg: float) -> str:
        """Plain words for a tilt relative to this range, e.g. "forward of your relaxed stance"."""
        percent, neutral = self.position_percent(tilt_deg), self.neutral_percent
        if abs(tilt_deg - self.neutral_deg) < MIN_SIDE_SPAN:
            return "at your relaxed stance"
        if percent >= 100.0:
            return "at or beyond your maximal forward tilt"
        if percent <= 0.0:
            return "at or beyond your maximal backward tilt"
        return "forward of your relaxed stance" if percent > neutral else "behind your relaxed stance"

    def to_json(self) -> str:
        """The file contents: schema, version, the three numbers (0.1° precision) and the date."""
        return json.dumps(
            {
                "schema": SCHEMA,
                "schema_version": SCHEMA_VERSION,
                "neutral_deg": round(self.neutral_deg, 1),
                "max_anterior_deg": round(self.max_anterior_deg, 1),
                "max_posterior_deg": round(self.max_posterior_deg, 1),
                "recorded_on": self.recorded_on.isoformat(),
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> PersonalRange:
        """Read a range file. Raises ``RangeFileError`` (not a range file) or ``RangeError``."""
        if len(text) > MAX_FILE_BYTES:
            raise RangeFileError(
                f"This file is {len(text)} bytes; a range file is under "
                f"{MAX_FILE_BYTES} bytes. Choose the .json file the range test saved."
            )
        try:
            data = json.loads(text)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise RangeFileError(
                "This file is not JSON. Choose the .json file the range test saved."
            ) from None
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise RangeFileError(
                f'This JSON file is not a personal tilt range (its "schema" is not "{SCHEMA}").'
            )
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise RangeFileError(
                f"This range file has schema version {version!r}; this version of "
                f"the analyzer reads version {SCHEMA_VERSION}. Repeat the range test."
            )
        try:
            values = [float(data[k]) for k in ("neutral_deg", "max_anterior_deg", "max_posterior_deg")]
            recorded = date.fromisoformat(str(data["recorded_on"]))
        except (KeyError, TypeError, ValueError) as error:
            raise RangeFileError(
                f"This range file is incomplete or damaged ({error}). Repeat the range test."
            ) from None
        return cls(*values, recorded_on=recorded)


# --- local profiles ----------------------------------------------------------------------

PROFILE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def default_profile_dir() -> Path:
    """Where local profiles are kept: $POSTURE_PROFILE_DIR, else ~/.config/posture/profiles.
    Nothing is written there unless the person creates a profile."""
    return settings.profile_dir()


def _profile_path(name: str, directory: Path | None) -> Path:
    if not PROFILE_NAME.match(name):
        raise ValueError("A profile name is 1-40 letters, digits, '-' or '_'.")
    return (directory or default_profile_dir()) / f"{name}.json"


def save_profile(personal: PersonalRange, name: str, *, directory: Path | None = None) -> Path:
    """Write ``personal`` as the local profile ``name`` (replacing it); returns the file."""
    path = _profile_path(name, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(personal.to_json())
    return path


def load_profile(name: str, *, directory: Path | None = None) -> PersonalRange:
    path = _profile_path(name, directory)
    if not path.is_file():
        raise RangeFileError(f"There is no profile named {name!r}.")
    return PersonalRange.from_json(path.read_bytes())


def list_profiles(*, directory: Path | None = None) -> list[str]:
    directory = directory or default_profile_dir()
    if not directory.is_dir():
        return []
    return sorted(p.stem for p in directory.glob("*.json") if PROFILE_NAME.match(p.stem))
