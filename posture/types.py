"""The data the analyzer passes around: frozen dataclasses and enums, no behaviour beyond checks.

Coordinate conventions used everywhere in this package
-----------------------------------------------------
* Image coordinates are pixels, x to the right, **y down**, origin at the top-left corner.
* "Forward" is the direction the person faces. ``Facing.RIGHT`` means the nose points to
  +x in the image; ``Facing.LEFT`` means it points to -x.
* Angles are in degrees. Every signed measure is defined so that it means the same thing
  whichever way the person faces (see ``posture.measure.measures.CONVENTIONS``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

# The 33 BlazePose landmarks, in MediaPipe's order.
LANDMARK_NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
LANDMARK_INDEX: dict[str, int] = {name: i for i, name in enumerate(LANDMARK_NAMES)}


class Facing(str, enum.Enum):
    """Which way the person faces in the image (where the nose points)."""

    LEFT = "left"
    RIGHT = "right"

    @property
    def sign(self) -> int:
        """+1 when forward is +x in the image, -1 when forward is -x."""
        return 1 if self is Facing.RIGHT else -1


class Reason(str, enum.Enum):
    """Why a photo could not be measured. The value is the stable code used in JSON."""

    UNREADABLE_IMAGE = "unreadable_image"
    IMAGE_TOO_LARGE = "image_too_large"
    NO_PERSON = "no_person"
    MULTIPLE_PEOPLE = "multiple_people"
    NOT_SIDE_VIEW = "not_side_view"
    BODY_NOT_VISIBLE = "body_not_visible"
    NOT_STANDING = "not_standing"


class Decline(str, enum.Enum):
    """Why the estimator gives no tilt and lumbar angle for an outline it could read. The words
    are in ``posture.render.wording.DECLINE_TEXT``."""

    OUT_OF_RANGE = "out_of_range"
    """The features lie farther from the training bodies than the model file's limit."""
    IMPLAUSIBLE = "implausible"
    """The tilt or lumbar angle lies outside what a pelvis or a back can be."""


class Status(str, enum.Enum):
    """Whether a photo was measured. The value is the stable code used in JSON."""

    OK = "ok"
    REJECTED = "rejected"


class TiltClass(str, enum.Enum):
    ANTERIOR = "anterior"
    NEUTRAL = "neutral"
    POSTERIOR = "posterior"


class TiltMethod(str, enum.Enum):
    """Where the reported pelvic tilt comes from. The value is the stable code used in JSON."""

    MARKERS = "markers"
    """Two skin stickers on the ASIS and PSIS, found in the picture (clinical photogrammetry)."""
    ESTIMATE = "estimate"
    """The markerless estimate from the landmarks and the back outline."""


class MarkerProblem(str, enum.Enum):
    """Why the stickers gave no tilt. The value is the stable code used in JSON (``markers_reason``)."""

    NONE_FOUND = "no_markers"
    ONE_FOUND = "one_marker"
    AMBIGUOUS = "ambiguous_markers"
    HIDDEN = "marker_hidden"


class KendallType(str, enum.Enum):
    """Kendall's side-view posture types that the measures can support."""

    IDEAL = "ideal"
    LORDOTIC = "lordotic"
    FLAT_BACK = "flat_back"
    SWAY_BACK = "sway_back"


@dataclass(frozen=True)
class Landmarks:
    """One person's pose in one image.

    Attributes
    ----------
    xy : (33, 2) float array
        Landmark positions in pixels (x right, y down), in MediaPipe's order.
    z : (33,) float array
        MediaPipe's relative depth, in the same scale as x (smaller is nearer the camera).
    visibility : (33,) float array
        MediaPipe's probability (0..1) that the landmark is visible (not occluded).
    presence : (33,) float array
        MediaPipe's probability (0..1) that the landmark is inside the image.
    image_size : (width, height) in pixels.
    """

    xy: np.ndarray
    z: np.ndarray
    visibility: np.ndarray
    presence: np.ndarray
    image_size: tuple[int, int]

    def __post_init__(self) -> None:
        n = len(LANDMARK_NAMES)
        if self.xy.shape != (n, 2):
            raise ValueError(f"xy must have shape ({n}, 2), got {self.xy.shape}")
        for name in ("z", "visibility", "presence"):
            if getattr(self, name).shape != (n,):
                raise ValueError(f"{name} must have shape ({n},)")

    def point(self, name: str) -> np.ndarray:
        """The (x, y) pixel position of a landmark by name."""
        return self.xy[LANDMARK_INDEX[name]]

    def vis(self, name: str) -> float:
        return float(self.visibility[LANDMARK_INDEX[name]])

    def scaled(self, factor: float) -> Landmarks:
        """The same pose in an image scaled by ``factor``."""
        w, h = self.image_size
        return Landmarks(
            self.xy * factor,
            self.z * factor,
            self.visibility,
            self.presence,
            (round(w * factor), round(h * factor)),
        )

    def mirrored(self) -> Landmarks:
        """The pose of the horizontally flipped image (left/right labels swapped too)."""
        w, _ = self.image_size
        swap = [LANDMARK_INDEX[_mirror_name(name)] for name in LANDMARK_NAMES]
        xy = self.xy[swap].copy()
        xy[:, 0] = (w - 1) - xy[:, 0]
        return Landmarks(xy, self.z[swap], self.visibility[swap], self.presence[swap], self.image_size)


def _mirror_name(name: str) -> str:
    if name.startswith("left_"):
        return "right_" + name[5:]
    if name.startswith("right_"):
        return "left_" + name[6:]
    if name.endswith("_left"):
        return name[:-5] + "_right"
    if name.endswith("_right"):
        return name[:-6] + "_left"
    return name


@dataclass(frozen=True)
class Pose:
    """What the pose estimator found in one image.

    ``people`` holds every detected person (the analyzer rejects more than one);
    ``mask`` is the first person's segmentation mask, float32 (H, W) in 0..1, or None.
    """

    people: tuple[Landmarks, ...]
    mask: np.ndarray | None
    image_size: tuple[int, int]

    def mirrored(self) -> Pose:
        """What the horizontally flipped image shows: every person and the mask flipped."""
        return Pose(tuple(p.mirrored() for p in self.people), _mirrored_mask(self.mask), self.image_size)


def _mirrored_mask(mask: np.ndarray | None) -> np.ndarray | None:
    """A segmentation mask (H, W) flipped left-right (a contiguous copy)."""
    return None if mask is None else np.ascontiguousarray(mask[:, ::-1])


@dataclass(frozen=True)
class Measure:
    """One measure: a value in ``unit`` or None with the reason it could not be made."""

    name: str
    value: float | None
    unit: str
    reason: str | None = None

    def __post_init__(self) -> None:
        if (self.value is None) == (self.reason is None):
            raise ValueError("a measure has either a value or a reason, not both or neither")
        if self.value is not None and not np.isfinite(self.value):
            raise ValueError(f"{self.name}: value must be finite, got {self.value}")


@dataclass(frozen=True)
class Assessment:
    """The pelvic tilt verdict.

    ``tilt_degrees`` is the estimated clinical pelvic tilt, anterior positive (None when
    it could not be measured). ``confidence`` is 0..1 and drops with uncertain landmarks
    and oblique views. ``kendall`` is None when the measures do not support a type.
    """

    tilt_degrees: float | None
    tilt_class: TiltClass | None
    confidence: float
    kendall: KendallType | None
    notes: tuple[str, ...] = ()
    method: TiltMethod = TiltMethod.ESTIMATE
    """Where ``tilt_degrees`` comes from: the stickers, or the markerless estimate."""
    estimate_degrees: float | None = None
    """The markerless estimate, always (equal to ``tilt_degrees`` when ``method`` is ESTIMATE)."""


@dataclass(frozen=True)
class Rejection:
    """Why a photo could not be measured and what the person can do about it."""

    reason: Reason
    message: str


@dataclass(frozen=True)
class BackContour:
    """The lumbar part of the back outline that the lordosis angle was measured on.

    Points are pixels (x, y). ``top`` and ``bottom`` are the chord ends (T12-like and
    S2-like levels), ``apex`` the deepest point of the hollow.
    """

    points: np.ndarray
    top: tuple[float, float]
    bottom: tuple[float, float]
    apex: tuple[float, float]

    def mirrored(self, width: int) -> BackContour:
        """The same contour in the horizontally flipped image ``width`` pixels wide
        (x -> width - 1 - x)."""

        def back(point: tuple[float, float]) -> tuple[float, float]:
            return ((width - 1) - point[0], point[1])

        points = self.points.copy()
        points[:, 0] = (width - 1) - points[:, 0]
        return BackContour(points=points, top=back(self.top), bottom=back(self.bottom), apex=back(self.apex))


@dataclass(frozen=True)
class Roll:
    """The camera's roll, read from the picture (near-vertical lines) or the device.

    ``degrees`` is the angle of the true vertical against the image's y axis, **positive when
    the camera is turned counter-clockwise** as the photographer holds it, so that the room's
    verticals lean clockwise in the picture (their tops to the right). None when no reference
    was found: the tilt then assumes a level camera. ``uncertainty_degrees`` is the 1-SD
    spread of the estimate; ``lines`` counts the references it rests on; ``source`` is
    ``"lines"`` or ``"device"``.
    """

    degrees: float | None
    uncertainty_degrees: float | None
    lines: int
    source: str


@dataclass(frozen=True)
class Sticker:
    """One skin sticker as found: sub-pixel centre (x, y) in pixels of the picture as shown
    (after EXIF rotation), radius in pixels, mean colour RGB 0..255."""

    centre: tuple[float, float]
    radius_px: float
    colour_rgb: tuple[int, int, int]


@dataclass(frozen=True)
class MarkerReading:
    """What the sticker search found in one picture.

    ``tilt_degrees`` is the clinical pelvic tilt from the markers: the angle of the PSIS->ASIS
    line against the true horizontal (the image horizontal corrected by ``roll`` where a roll
    was found), **anterior positive** (ASIS lower than PSIS), the same convention as the
    estimate. ``raw_tilt_degrees`` is the same against the image horizontal. Both are None,
    with ``problem`` and ``message`` set, when no pair was found. ``spine`` holds optional
    stickers on the spinous processes, top to bottom, and ``lumbar_degrees`` the lumbar angle
    they give (docs/METHOD.md), else None.
    """

    asis: Sticker | None
    psis: Sticker | None
    tilt_degrees: float | None
    raw_tilt_degrees: float | None
    roll: Roll | None
    problem: MarkerProblem | None = None
    message: str | None = None
    spine: tuple[Sticker, ...] = ()
    lumbar_degrees: float | None = None

    @property
    def found(self) -> bool:
        return self.tilt_degrees is not None


@dataclass(frozen=True)
class Analysis:
    """Everything the analyzer found for one image: the one result type the app and CLI use.

    ``status`` is ``Status.OK`` or ``Status.REJECTED``; a rejected analysis has ``rejection`` set and
    may still carry landmarks (to show the person what was seen). Positions are in pixels of
    the analysed copy, which is the picture as shown times ``scale`` (below 1 when a large
    photo was reduced for analysis).
    """

    status: Status
    image_size: tuple[int, int]
    model: str
    version: str
    rejection: Rejection | None = None
    facing: Facing | None = None
    landmarks: Landmarks | None = None
    mask: np.ndarray | None = None
    measures: dict[str, Measure] = field(default_factory=dict)
    assessment: Assessment | None = None
    contour: BackContour | None = None
    side_view_score: float | None = None
    markers: MarkerReading | None = None
    scale: float = 1.0
    """The sticker search (None when the photo was not measured); ``assessment.method`` says
    whether the reported tilt comes from it."""
    timings_ms: dict[str, float] = field(default_factory=dict)
    image: np.ndarray | None = field(default=None, repr=False)
    """The upright RGB image the analysis was made on (for drawing); never serialised."""

    @property
    def ok(self) -> bool:
        return self.status is Status.OK

    def measure(self, name: str) -> float | None:
        found = self.measures.get(name)
        return None if found is None else found.value

    def mirrored(self) -> Analysis:
        """The same analysis of the horizontally flipped image: facing, landmarks, mask and back
        contour flipped (the measures hold whichever way a person faces). Made before the sticker
        search and without the image: an analysis with either is refused (ValueError)."""
        if self.markers is not None or self.image is not None:
            raise ValueError("only an analysis without stickers or image can be mirrored")
        flipped = {Facing.LEFT: Facing.RIGHT, Facing.RIGHT: Facing.LEFT, None: None}
        return replace(
            self,
            facing=flipped[self.facing],
            landmarks=None if self.landmarks is None else self.landmarks.mirrored(),
            mask=_mirrored_mask(self.mask),
            contour=None if self.contour is None else self.contour.mirrored(self.image_size[0]),
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (no image data)."""
        assessment = self.assessment
        lumbar = self.measures.get("lumbar_lordosis")
        return {
            "status": self.status.value,
            "reason": self.rejection.reason.value if self.rejection else None,
            "message": self.rejection.message if self.rejection else _ok_message(assessment),
            "facing": self.facing.value if self.facing else None,
            "pelvic_tilt": {
                "degrees": _round(assessment.tilt_degrees) if assessment else None,
                "class": assessment.tilt_class.value if assessment and assessment.tilt_class else None,
                "confidence": round(assessment.confidence, 2) if assessment else None,
                "method": assessment.method.value
                if assessment and assessment.tilt_degrees is not None
                else None,
                "estimate_degrees": _round(assessment.estimate_degrees) if assessment else None,
            },
            "markers": _markers_dict(self.markers, self.scale),
            "markers_reason": self.markers.problem.value if self.markers and self.markers.problem else None,
            "lumbar_lordosis": {
                "degrees": _round(lumbar.value) if lumbar else None,
                "reason": lumbar.reason if lumbar else None,
            },
            "kendall_type": assessment.kendall.value if assessment and assessment.kendall else None,
            "measures": {
                name: _round(m.value, 3 if m.unit.startswith("fraction") else 1)
                for name, m in self.measures.items()
            },
            "unmeasured": {name: m.reason for name, m in self.measures.items() if m.reason},
            "notes": list(assessment.notes) if assessment else [],
            "side_view_score": _round(self.side_view_score, 2),
            "image_size": list(self.image_size),
            "model": self.model,
            "version": self.version,
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }


def _markers_dict(reading: MarkerReading | None, scale: float) -> dict[str, Any] | None:
    """The stickers as JSON: centres in pixels of the picture as shown (the analysed copy's
    pixels divided by ``scale``), with the roll that was taken out."""
    if reading is None or not reading.found:
        return None
    roll = reading.roll.degrees if reading.roll else None
    return {
        "asis": [_round(v / scale, 1) for v in reading.asis.centre],
        "psis": [_round(v / scale, 1) for v in reading.psis.centre],
        "roll_degrees": _round(roll, 2),
        "raw_degrees": _round(reading.raw_tilt_degrees),
    }


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)


def _ok_message(assessment: Assessment | None) -> str:
    if assessment is None or assessment.tilt_class is None:
        prefix = "Pelvic tilt could not be estimated: "
        why = next(
            (
                note[len(prefix) :].rstrip(".")
                for note in (assessment.notes if assessment else ())
                if note.startswith(prefix)
            ),
            None,
        )
        if why:
            return f"Measured, but the pelvic tilt could not be estimated: {why}."
        return "Measured, but the pelvic tilt could not be estimated."
    if assessment.method is TiltMethod.MARKERS:
        return f"Pelvic tilt from skin markers: {assessment.tilt_class.value}."
    return f"Pelvic tilt estimate: {assessment.tilt_class.value}."
