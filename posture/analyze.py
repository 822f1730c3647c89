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

import numpy as np

import posture
from posture import assess
from posture.assess import errors
from posture.assess.errors import ErrorFigures
from posture.image.decode import ImageError, load_image
from posture.measure import checks, measures
from posture.types import Analysis, BackContour, Facing, Landmarks, Pose, Rejection


def analyze(
    source: str | Path | bytes | np.ndarray,
    estimator,
    *,
    timestamp_ms: int | None = None,
    figures: ErrorFigures | None = None,
) -> Analysis:
    """Analyse one photo (a path, its bytes, or an upright RGB uint8 array).

    ``estimator`` is a ``posture.pose.PoseEstimator``; pass ``timestamp_ms`` with a VIDEO-mode
    estimator to analyse a camera frame. Never raises for a bad photo: a photo that cannot be
    measured gives ``status == "rejected"`` with a reason code and a message.

    ``figures`` are the error figures the verdict's confidence rests on; the app and the command
    load them once at start-up (``ErrorFigures.load()``) and pass them. Without them the shipped
    file is read for this call (an error, not a default, when it is missing or bad).
    """
    figures = errors.shipped() if figures is None else figures
    timings: dict[str, float] = {}
    started = time.perf_counter()
    if isinstance(source, np.ndarray):
        rgb = source
    else:
        try:
            rgb = load_image(source).rgb
        except ImageError as error:
            return Analysis(
                status="rejected",
                image_size=(0, 0),
                model=estimator.model_name,
                version=posture.__version__,
                rejection=Rejection(error.reason, error.message),
                measures=measures.unmeasured(f"photo not measured: {error.reason.value}"),
            )
    timings["decode"] = _ms_since(started)

    started = time.perf_counter()
    flipped = False
    if timestamp_ms is None:
        canonical = detect_canonical(rgb, estimator)
        pose, flipped = canonical.pose, canonical.flipped
    else:
        pose = estimator.detect_video(rgb, timestamp_ms)
    timings["detect"] = _ms_since(started)

    started = time.perf_counter()
    facing = Facing.RIGHT if flipped else None
    result = analyze_pose(pose, model=estimator.model_name, figures=figures, facing=facing)
    if flipped:
        result = _unflip(result)
    timings["measure"] = _ms_since(started)
    return replace(result, image=rgb, timings_ms={**timings, "total": sum(timings.values())})


@dataclass(frozen=True)
class Canonical:
    """The pose to measure in the canonical facing (the person facing +x) and how it was got."""

    pose: Pose
    facing: Facing | None
    """The facing in the photo as given (None when the first detection is rejected)."""
    flipped: bool
    """True when ``pose`` is the pose of the mirrored photo."""


def detect_canonical(rgb: np.ndarray, estimator) -> Canonical:
    """Detect the pose with the person facing right: a left-facing photo is mirrored and detected
    again, so that a photo and its mirror image give identical poses (MediaPipe itself is not
    mirror-symmetric). Costs one more detection for left-facing photos."""
    pose = estimator.detect(rgb)
    verdict = checks.check(pose)
    if isinstance(verdict, Rejection):
        return Canonical(pose, None, False)
    if verdict.facing is Facing.RIGHT:
        return Canonical(pose, Facing.RIGHT, False)
    return Canonical(estimator.detect(np.ascontiguousarray(rgb[:, ::-1])), Facing.LEFT, True)


def _unflip(result: Analysis) -> Analysis:
    """An analysis of the mirrored photo, in the coordinates and facing of the photo as given."""
    width = result.image_size[0]
    contour = result.contour
    if contour is not None:

        def back(point: tuple[float, float]) -> tuple[float, float]:
            return ((width - 1) - point[0], point[1])

        points = contour.points.copy()
        points[:, 0] = (width - 1) - points[:, 0]
        contour = BackContour(
            points=points, top=back(contour.top), bottom=back(contour.bottom), apex=back(contour.apex)
        )
    return replace(
        result,
        facing=Facing.LEFT if result.facing else None,
        landmarks=result.landmarks.mirrored() if result.landmarks else None,
        mask=None if result.mask is None else np.ascontiguousarray(result.mask[:, ::-1]),
        contour=contour,
    )


def analyze_pose(pose: Pose, *, model: str, figures: ErrorFigures, facing: Facing | None = None) -> Analysis:
    """Checks, measures and verdict for a pose already detected (pure: no model, no image).

    ``facing`` overrides the facing the checks read: the canonical facing of a mirrored photo.
    """
    base = dict(image_size=pose.image_size, model=model, version=posture.__version__)
    verdict = checks.check(pose)
    if isinstance(verdict, Rejection):
        landmarks = pose.people[0] if pose.people else None
        return Analysis(
            status="rejected",
            rejection=verdict,
            landmarks=landmarks,
            measures=measures.unmeasured(f"photo not measured: {verdict.reason.value}"),
            **base,
        )
    facing = facing or verdict.facing
    values, contour = measures.compute(verdict.landmarks, pose.mask, facing)
    assessment = assess.assess(
        values,
        landmark_quality=landmark_quality(verdict.landmarks),
        side_view_score=verdict.side_view_score,
        figures=figures,
    )
    return Analysis(
        status="ok",
        facing=facing,
        landmarks=verdict.landmarks,
        mask=pose.mask,
        measures=values,
        assessment=assessment,
        contour=contour,
        side_view_score=verdict.side_view_score,
        **base,
    )


def landmark_quality(landmarks: Landmarks) -> float:
    """0..1: the lowest visibility among the better-seen side of each key joint."""
    best = [max(landmarks.vis(f"left_{p}"), landmarks.vis(f"right_{p}")) for p in checks.REQUIRED_PARTS]
    return float(min(best))


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0
