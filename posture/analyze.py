"""``analyze``: the one entry point the app, the command and the benchmarks use.

    from posture.analyze import analyze
    from posture.pose import PoseEstimator

    with PoseEstimator("full") as estimator:
        result = analyze("side_view.jpg", estimator)
        print(result.to_dict())

Nothing is written anywhere: the photo stays in memory and is dropped with the result.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np

import posture
from posture import assess
from posture.assess import errors
from posture.assess.errors import ErrorFigures, MarkerFigures
from posture.image import lines, stickers
from posture.image.decode import MIN_SIDE, ImageError, load_image
from posture.image.limits import LimitError, check_rgb_array
from posture.measure import checks, markers, measures
from posture.render import wording
from posture.types import (
    Analysis,
    BackContour,
    Facing,
    Landmarks,
    MarkerReading,
    Measure,
    Pose,
    Reason,
    Rejection,
    Status,
)


class Detector(Protocol):
    """What the analyzer needs of a pose estimator: ``posture.pose.PoseEstimator`` (tests pass
    stand-ins with the same three members)."""

    model_name: str

    def detect(self, rgb: np.ndarray) -> Pose: ...

    def detect_video(self, rgb: np.ndarray, timestamp_ms: int) -> Pose: ...


def analyze(
    source: str | Path | bytes | np.ndarray,
    estimator: Detector,
    *,
    timestamp_ms: int | None = None,
    figures: ErrorFigures | None = None,
    marker_figures: MarkerFigures | None = None,
    with_markers: bool = True,
) -> Analysis:
    """Analyse one photo (a path, its bytes, or an upright RGB uint8 array).

    ``estimator`` is a ``posture.pose.PoseEstimator``; pass ``timestamp_ms`` with a VIDEO-mode
    estimator to analyse a camera frame. Never raises for a bad photo: a photo that cannot be
    measured, a path that is not a photo file (a folder, a device, an empty path), ``None``,
    or an array that is not a non-empty RGB uint8 picture gives ``Status.REJECTED``
    with a reason code and a message; such inputs never reach the shared estimator.

    ``figures`` are the error figures the verdict's confidence rests on; the app and the command
    load them once at start-up (``ErrorFigures.load()``) and pass them. Without them the shipped
    file is read for this call (an error, not a default, when it is missing or bad).

    With ``with_markers`` (the default) a measured photo is searched for two skin stickers on
    the ASIS and PSIS (``read_stickers``): when they are found, the reported tilt is the one
    they give (``assessment.method`` MARKERS), with ``marker_figures`` (else the shipped file)
    for its confidence; the markerless estimate stays in ``assessment.estimate_degrees``.
    """
    figures = errors.shipped() if figures is None else figures
    timings: dict[str, float] = {}
    started = time.perf_counter()
    try:
        if isinstance(source, np.ndarray):
            try:
                check_rgb_array(source, min_side=1)
            except LimitError as error:
                raise ImageError(error.reason, error.message) from None
            rgb, scale = source, 1.0
        else:
            loaded = load_image(source)
            rgb, scale = loaded.rgb, loaded.scale
    except ImageError as error:
        return Analysis(
            status=Status.REJECTED,
            image_size=(0, 0),
            model=estimator.model_name,
            version=posture.__version__,
            rejection=Rejection(error.reason, error.message),
            measures=measures.unmeasured(wording.not_measured_text(error.reason)),
        )
    timings["decode"] = _ms_since(started)

    started = time.perf_counter()
    if timestamp_ms is None:
        canonical = detect_canonical(rgb, estimator)
        pose, verdict, flipped = canonical.pose, canonical.verdict, canonical.flipped
    else:
        pose, verdict, flipped = estimator.detect_video(rgb, timestamp_ms), None, False
    timings["detect"] = _ms_since(started)

    started = time.perf_counter()
    result = analyze_pose(pose, model=estimator.model_name, figures=figures, verdict=verdict)
    if flipped:
        result = result.mirrored()
    if not pose.people and timestamp_ms is None:
        result = _second_look(rgb, estimator, result)
    timings["measure"] = _ms_since(started)
    if with_markers and result.ok:
        started = time.perf_counter()
        marker_figures = MarkerFigures.load() if marker_figures is None else marker_figures
        result = with_sticker_tilt(result, read_stickers(rgb, result), marker_figures)
        timings["markers"] = _ms_since(started)
    return replace(result, image=rgb, scale=scale, timings_ms={**timings, "total": sum(timings.values())})


SECOND_LOOK_TEXT = wording.SECOND_LOOK_TEXT
"""What a photo without a person found says when a second look finds one (the wording is in
``posture.render.wording``)."""


def _second_look(rgb: np.ndarray, estimator: Detector, result: Analysis) -> Analysis:
    """When no person is found, look again where the first look cannot see: with room added
    above (a head cut off at the top) and in overlapping half-size crops (a small person in a
    large picture). Only the message changes (reason ``no_person`` stays): the photo still
    has to be retaken. Photos only (never a live frame): up to six more detections."""
    height, width = rgb.shape[:2]
    room = np.full((height // 3, width, 3), 255, dtype=np.uint8)
    looks = [("head_cut", np.concatenate([room, rgb]))]
    if min(height, width) >= 2 * MIN_SIDE:
        half_h, half_w = height // 2, width // 2
        corners = [
            (height // 4, width // 4),
            (0, 0),
            (0, width - half_w),
            (height - half_h, 0),
            (height - half_h, width - half_w),
        ]
        looks += [("small", rgb[top : top + half_h, left : left + half_w]) for top, left in corners]
    for kind, picture in looks:
        if estimator.detect(np.ascontiguousarray(picture)).people:
            return replace(result, rejection=Rejection(Reason.NO_PERSON, SECOND_LOOK_TEXT[kind]))
    return result


@dataclass(frozen=True)
class Canonical:
    """The pose to measure in the canonical facing (the person facing +x) and how it was got.

    A photo facing left is mirrored and detected again (``detect_canonical``), and its analysis
    mirrored back (``Analysis.mirrored``). A camera frame (detected once) and a hand-corrected
    pose are instead mirrored numerically by the measures (``measures.contour_measures``).
    Photos keep the second detection because MediaPipe is not mirror-symmetric: mirroring the
    first pose numerically instead moved the tilt of the left-facing sample photos by 1-2°
    (degrees), so a photo and its mirror image would read differently.
    """

    pose: Pose
    facing: Facing | None
    """The facing in the photo as given (None when the first detection is rejected)."""
    flipped: bool
    """True when ``pose`` is the pose of the mirrored photo."""
    verdict: checks.Accepted | Rejection
    """The checks' answer for ``pose`` (for a mirrored photo, facing right), passed on so that
    the checks run once per pose."""


def detect_canonical(rgb: np.ndarray, estimator: Detector) -> Canonical:
    """Detect the pose with the person facing right: a left-facing photo is mirrored and detected
    again, so that a photo and its mirror image give identical poses (MediaPipe itself is not
    mirror-symmetric). Costs one more detection for left-facing photos."""
    pose = estimator.detect(rgb)
    verdict = checks.check(pose)
    if isinstance(verdict, Rejection):
        return Canonical(pose, None, False, verdict)
    if verdict.facing is Facing.RIGHT:
        return Canonical(pose, Facing.RIGHT, False, verdict)
    mirrored = estimator.detect(np.ascontiguousarray(rgb[:, ::-1]))
    again = checks.check(mirrored)
    if isinstance(again, checks.Accepted):
        again = replace(again, facing=Facing.RIGHT)
    return Canonical(mirrored, Facing.LEFT, True, again)


def analyze_pose(
    pose: Pose, *, model: str, figures: ErrorFigures, verdict: checks.Accepted | Rejection | None = None
) -> Analysis:
    """Checks, measures and verdict for a pose already detected (pure: no model, no image).

    ``verdict`` is the checks' answer for ``pose`` when the caller has it (``Canonical.verdict``);
    without it the checks run here. A pose facing left is measured as it is (the measures mirror
    it numerically); ``analyze`` brings photos to the canonical facing first.
    """
    base = dict(image_size=pose.image_size, model=model, version=posture.__version__)
    verdict = checks.check(pose) if verdict is None else verdict
    if isinstance(verdict, Rejection):
        landmarks = pose.people[0] if pose.people else None
        return Analysis(
            status=Status.REJECTED,
            rejection=verdict,
            landmarks=landmarks,
            measures=measures.unmeasured(wording.not_measured_text(verdict.reason)),
            **base,
        )
    facing = verdict.facing
    values, contour = measure(verdict.landmarks, pose.mask, facing)
    assessment = assess.assess(
        values,
        landmark_quality=landmark_quality(verdict.landmarks),
        side_view_score=verdict.side_view_score,
        figures=figures,
    )
    return Analysis(
        status=Status.OK,
        facing=facing,
        landmarks=verdict.landmarks,
        mask=pose.mask,
        measures=values,
        assessment=assessment,
        contour=contour,
        side_view_score=verdict.side_view_score,
        **base,
    )


def measure(
    landmarks: Landmarks, mask: np.ndarray | None, facing: Facing
) -> tuple[dict[str, Measure], BackContour | None]:
    """Every measure of an accepted pose (``measures.compute``), a measure not made with the
    words for why (``wording.measure_reason``). Hand correction measures through here too."""
    values, contour = measures.compute(landmarks, mask, facing)
    worded = {
        name: replace(m, reason=wording.measure_reason(m.reason)) if m.reason else m
        for name, m in values.items()
    }
    return worded, contour


def read_stickers(rgb: np.ndarray, result: Analysis) -> MarkerReading:
    """Look for the two skin stickers in the pelvis region of a measured photo (``rgb`` as
    shown, ``result`` in its coordinates). The camera roll is read from the picture's
    vertical lines only when a pair was found (it costs more than the search)."""
    region = markers.search_region(result.landmarks, result.facing, result.mask)
    found = stickers.find_stickers(rgb, region.box, radius_px=region.radius_px)
    reading = markers.read_markers(found, region, result.facing, landmarks=result.landmarks)
    if not reading.found:
        return reading
    roll = lines.find_roll(rgb, exclude=person_box(result))
    return markers.read_markers(found, region, result.facing, landmarks=result.landmarks, roll=roll)


def person_box(result: Analysis) -> tuple[int, int, int, int]:
    """The person's box (x0, y0, x1, y1 pixels): the mask's person pixels, else the landmarks
    widened by a tenth of their height."""
    width, height = result.image_size
    if result.mask is not None:
        rows, cols = np.nonzero(result.mask > measures.MASK_PERSON)
        if rows.size:
            return int(cols.min()), int(rows.min()), int(cols.max()) + 1, int(rows.max()) + 1
    xy = result.landmarks.xy
    pad = 0.1 * float(np.ptp(xy[:, 1]))
    x0, y0 = xy.min(axis=0) - pad
    x1, y1 = xy.max(axis=0) + pad
    return max(0, int(x0)), max(0, int(y0)), min(width, int(x1) + 1), min(height, int(y1) + 1)


def with_sticker_tilt(result: Analysis, reading: MarkerReading, marker_figures: MarkerFigures) -> Analysis:
    """``result`` with the sticker search recorded and, when it gave a tilt, reported."""
    assessment = assess.with_markers(
        result.assessment, reading, result.measures, marker_figures=marker_figures
    )
    return replace(result, markers=reading, assessment=assessment)


def landmark_quality(landmarks: Landmarks) -> float:
    """0..1: the lowest visibility among the better-seen side of each key joint."""
    best = [max(landmarks.vis(f"left_{p}"), landmarks.vis(f"right_{p}")) for p in checks.REQUIRED_PARTS]
    return float(min(best))


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0
