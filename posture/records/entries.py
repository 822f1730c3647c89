"""What the records hold: a client, a session of theirs, and a draft of a session to save.

Frozen dataclasses with no behaviour beyond checks and conversions. Times are ISO 8601 local
date-times with their UTC offset (``posture.records.dates``); measures are in the units of
``posture.measures.CONVENTIONS`` (degrees, or fractions of body height), None when not made.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from posture.types import Landmarks, TiltMethod

TILT_METHODS = tuple(m.value for m in TiltMethod)
"""The stored values of ``tilt_method``: "markers", "estimate"."""


@dataclass(frozen=True)
class Client:
    """A person the trainer sees: a name or pseudonym (unique, case-insensitive).

    ``photo_consent`` is the trainer's tick that this client agreed to have photos stored;
    without it only the measures, the landmarks and a face-free silhouette are kept.
    """

    id: int
    name: str
    birth_year: int | None = None
    notes: str = ""
    photo_consent: bool = False
    created: str = ""


@dataclass(frozen=True)
class Draft:
    """One analysed photo the trainer chose to save, before it has a row.

    ``taken`` is the local date-time with offset the photo was taken (EXIF) or saved.
    ``measures`` maps each measure name to its value (None = not measured, see ``reasons``);
    ``corrected`` names the measures recomputed from hand-moved landmarks, and ``originals``
    holds the analyzer's values for those. ``landmarks`` is ``landmarks_json`` output.
    ``photo`` (JPEG) is dropped by the store unless the client consented;
    ``silhouette`` is a PNG from ``posture.records.silhouette``.
    """

    taken: str
    model: str
    version: str
    image_size: tuple[int, int]
    measures: dict[str, float | None]
    units: dict[str, str]
    reasons: dict[str, str] = field(default_factory=dict)
    corrected: frozenset[str] = frozenset()
    originals: dict[str, float | None] = field(default_factory=dict)
    tilt_class: str | None = None
    tilt_degrees: float | None = None
    confidence: float | None = None
    kendall: str | None = None
    facing: str | None = None
    landmarks: str | None = None
    routine_id: str | None = None
    routine_title: str | None = None
    exercises: tuple[str, ...] = ()
    notes: str = ""
    source: str = "photo"
    photo_name: str = ""
    photo: bytes | None = field(default=None, repr=False)
    silhouette: bytes | None = field(default=None, repr=False)
    tilt_method: str | None = None
    """Where ``tilt_degrees`` came from: "markers" (two skin stickers) or "estimate"
    (markerless); None when the analysis made no assessment."""
    tilt_estimate: float | None = None
    """The markerless pelvic tilt estimate, degrees, anterior positive (None: not made)."""
    tilt_markers: float | None = None
    """The pelvic tilt from the stickers, degrees, anterior positive (None: no sticker pair)."""

    def __post_init__(self) -> None:
        unknown = self.corrected - set(self.measures)
        if unknown:
            raise ValueError(f"corrected names measures that are not there: {sorted(unknown)}")
        if self.confidence is not None and not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be 0..1, got {self.confidence}")
        if self.tilt_method not in (None, *TILT_METHODS):
            raise ValueError(f"tilt_method must be one of {TILT_METHODS} or None, got {self.tilt_method!r}")


@dataclass(frozen=True)
class Session:
    """One saved assessment of a client (see ``Draft`` for the fields' meaning).

    ``has_photo`` and ``has_silhouette`` say which images are stored; read them with
    ``Store.image(session.id, "photo" | "silhouette")``.
    """

    id: int
    client_id: int
    taken: str
    taken_utc: str
    saved: str
    model: str
    version: str
    image_size: tuple[int, int]
    measures: dict[str, float | None]
    units: dict[str, str]
    reasons: dict[str, str]
    corrected: frozenset[str]
    originals: dict[str, float | None]
    tilt_class: str | None
    tilt_degrees: float | None
    confidence: float | None
    kendall: str | None
    facing: str | None
    landmarks: str | None
    routine_id: str | None
    routine_title: str | None
    exercises: tuple[str, ...]
    notes: str
    source: str
    photo_name: str
    has_photo: bool
    has_silhouette: bool
    tilt_method: str | None = None
    """"markers" or "estimate"; None for sessions saved before the method was stored."""
    tilt_estimate: float | None = None
    """The markerless estimate, degrees, anterior positive; None when not made or not stored."""
    tilt_markers: float | None = None
    """The marker tilt, degrees, anterior positive; None without a sticker pair."""

    def value(self, name: str) -> float | None:
        return self.measures.get(name)

    @property
    def method(self) -> str:
        """Where ``tilt_degrees`` came from, as shown: "markers" or "estimate" (sessions saved
        before the method was stored were all shown as estimates)."""
        return self.tilt_method or "estimate"


def landmarks_json(landmarks: Landmarks) -> str:
    """The pose as compact JSON: pixel positions (0.01 px), depth, visibility, presence, size."""
    return json.dumps(
        {
            "xy": np.round(landmarks.xy, 2).tolist(),
            "z": np.round(landmarks.z, 3).tolist(),
            "visibility": np.round(landmarks.visibility, 3).tolist(),
            "presence": np.round(landmarks.presence, 3).tolist(),
            "image_size": list(landmarks.image_size),
        },
        separators=(",", ":"),
    )


def landmarks_from_json(text: str) -> Landmarks:
    """The inverse of ``landmarks_json``."""
    data: dict[str, Any] = json.loads(text)
    return Landmarks(
        xy=np.asarray(data["xy"], float),
        z=np.asarray(data["z"], float),
        visibility=np.asarray(data["visibility"], float),
        presence=np.asarray(data["presence"], float),
        image_size=(int(data["image_size"][0]), int(data["image_size"][1])),
    )
