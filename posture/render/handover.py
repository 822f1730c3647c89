"""Words for reports a client keeps: who it is for, local dates, normal ranges as numbers,
and how it was made in plain words (no module names, threshold keys or UTC stamps).

Used by the photo and comparison reports (``report_doc``) and by the
client's progress report (``posture.records.report``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from posture.assess import DEFAULT, Thresholds

FORWARD_HEAD_LIMIT = 40.0
"""Head forward above this (degrees) is out of range: ``MEASURE_GUIDE``'s "below about 40°"."""
NECK_ANGLE_LIMIT = 50.0
"""Neck angle (craniovertebral proxy) below this (degrees) is forward head, as worded there."""

ERROR_BASIS_WORDS: Mapping[str, str] = {
    "benchmark": "measured on rendered side views",
    "RESEARCH.md": "the best clinical tools' error",
    "provisional": "provisional estimate",
}
"""``MeasurementError.basis`` as a client reads it."""


@dataclass(frozen=True)
class Recipient:
    """Whom a report is for: the client's name or pseudonym, the trainer's name and the
    session's date-time (aware; shown in the zone it carries). Empty fields are left out."""

    client: str = ""
    trainer: str = ""
    taken: datetime | None = None


def local_time(moment: datetime) -> str:
    """ "12 Nov 2026, 09:30" in the moment's own zone (a naive moment is this machine's time)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(moment.tzinfo)
    return f"{moment.day} {moment:%b %Y, %H:%M}"


def heading_lines(recipient: Recipient | None, created: datetime | None) -> list[str]:
    """The lines under a report's title: client, session date and trainer, then when made."""
    lines = []
    if recipient is not None:
        parts = [
            f"Client: {recipient.client}" if recipient.client else "",
            f"Session: {local_time(recipient.taken)}" if recipient.taken else "",
            f"Trainer: {recipient.trainer}" if recipient.trainer else "",
        ]
        if any(parts):
            lines.append(" · ".join(p for p in parts if p))
    made = (created or datetime.now()).astimezone()
    lines.append(f"Report made {local_time(made)}")
    return lines


def normal_ranges(t: Thresholds = DEFAULT) -> dict[str, tuple[float | None, float | None]]:
    """(low, high) of the measures with a numeric normal range (None: no bound on that side),
    in the measure's unit, from the thresholds ``MEASURE_GUIDE``'s wording cites."""
    return {
        "pelvic_tilt": (t.posterior_below, t.anterior_above),
        "lumbar_lordosis": (t.lordosis_low, t.lordosis_high),
        "trunk_inclination": (t.trunk_back, None),
        "hip_offset": (None, t.hip_forward),
        "head_forward": (None, FORWARD_HEAD_LIMIT),
        "craniovertebral_proxy": (NECK_ANGLE_LIMIT, None),
    }


def range_word(
    name: str, value: float | None, ranges: Mapping[str, tuple[float | None, float | None]] | None = None
) -> str:
    """ "above normal", "below normal" or "" (in range, no numeric range, or no value)."""
    low, high = (normal_ranges() if ranges is None else ranges).get(name, (None, None))
    if value is None:
        return ""
    if high is not None and value > high:
        return "above normal"
    if low is not None and value < low:
        return "below normal"
    return ""


def model_name(model_file: str) -> str:
    """ "MediaPipe Pose (full model)" for "pose_landmarker_full.task"."""
    for kind in ("full", "lite", "heavy"):
        if kind in model_file:
            return f"MediaPipe Pose ({kind} model)"
    return "MediaPipe Pose"


def thresholds_text(t: Thresholds = DEFAULT) -> str:
    return (
        f"Pelvic tilt is called posterior below {t.posterior_below:g}°, anterior above "
        f"{t.anterior_above:g}°; a lumbar curve of {t.lordosis_low:g}° to "
        f"{t.lordosis_high:g}° is taken as normal."
    )


def made_with(meta: Mapping[str, Any]) -> str:
    """How a report was made, from ``tables.provenance`` output, in one plain sentence."""
    return f"Made with posture {meta['version']} and {model_name(meta['model'])}. {thresholds_text()}" + (
        " Face blurred." if meta.get("face_blurred") else ""
    )


def error_source_text(basis: str, value: float, unit: str) -> str:
    """A comparison error in words: "±12° (measured on rendered side views)"."""
    amount = f"±{value:g}°" if unit == "deg" else f"±{value * 100:g}% of height"
    return f"{amount} ({ERROR_BASIS_WORDS.get(basis, basis)})"
