"""Hand correction: the trainer moves a joint the measures rest on, every measure is recomputed.

A side view's joints are the mid-points of the left and right landmarks (``measures.mid``);
moving a joint shifts both landmarks by the same amount, so their mid-point lands where the
trainer clicked and their spread is kept. The measures are then made again by the same
function the analyzer uses (``posture.analyze.measure``) with the moved landmarks and the same
mask, and the verdict by ``posture.assess.assess``: nothing is estimated a second way.

A measure whose value changed is *corrected*; ``originals`` keeps the analyzer's value for it.
Corrections are always applied to the analyzer's own result (never on top of an earlier
correction), so undoing a move is dropping it from the moves.

Positions are pixels of the analysed image (x right, y down).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from posture.analyze import landmark_quality, measure
from posture.assess import assess, with_markers
from posture.assess.errors import ErrorFigures, MarkerFigures
from posture.measure import measures
from posture.types import LANDMARK_INDEX, Analysis, Landmarks

JOINTS: dict[str, str] = {
    "ear": "Ear",
    "shoulder": "Shoulder",
    "hip": "Hip",
    "knee": "Knee",
    "ankle": "Ankle",
}
"""The joints a trainer can move (landmark part: label). The back-outline points (lumbosacral
turn, deepest point of the hollow, thoracolumbar turn) are found in the mask and cannot be
moved by hand yet."""

CHANGED = {"deg": 0.05, "fraction of height": 0.0005}
"""A recomputed value that moved by at least this (in its unit: half the last digit shown,
0.1° and 0.1% of height) is corrected; a smaller change would show the same number."""


@dataclass(frozen=True)
class Corrected:
    """The analysis with moved joints, and the analyzer's values of the measures that changed
    (``originals``: name -> value, None where the analyzer could not make it)."""

    analysis: Analysis
    originals: dict[str, float | None]
    moves: dict[str, tuple[float, float]]


def joint_positions(landmarks: Landmarks) -> dict[str, tuple[float, float]]:
    """Each movable joint's mid-plane position (x, y) in pixels."""
    return {part: tuple(float(v) for v in measures.mid(landmarks, part)) for part in JOINTS}


def move_joint(landmarks: Landmarks, part: str, to: tuple[float, float]) -> Landmarks:
    """A copy with the left and right ``part`` landmarks shifted so their mid-point is ``to``."""
    if part not in JOINTS:
        raise ValueError(f"cannot move {part!r}: one of {', '.join(JOINTS)}")
    shift = np.asarray(to, float) - measures.mid(landmarks, part)
    xy = landmarks.xy.copy()
    for side in ("left", "right"):
        xy[LANDMARK_INDEX[f"{side}_{part}"]] += shift
    return replace(landmarks, xy=xy)


def nearest_joint(landmarks: Landmarks, point: tuple[float, float]) -> str:
    """The movable joint closest to ``point`` (pixels)."""
    positions = joint_positions(landmarks)
    return min(positions, key=lambda part: float(np.hypot(*(np.asarray(positions[part]) - point))))


def correct(
    analysis: Analysis, moves: Mapping[str, tuple[float, float]], *, figures: ErrorFigures
) -> Corrected:
    """Recompute every measure and the verdict of an accepted ``analysis`` with ``moves``
    (joint -> new mid-point in pixels) applied to its landmarks, the verdict's confidence
    from ``figures`` as in ``analyze``. No moves: the analysis as is."""
    if not analysis.ok or analysis.landmarks is None or analysis.facing is None:
        raise ValueError("only a measured photo can be corrected")
    if not moves:
        return Corrected(analysis, {}, {})
    landmarks = analysis.landmarks
    for part, to in moves.items():
        landmarks = move_joint(landmarks, part, to)
    values, contour = measure(landmarks, analysis.mask, analysis.facing)
    verdict = assess(
        values,
        landmark_quality=landmark_quality(landmarks),
        side_view_score=analysis.side_view_score or 1.0,
        figures=figures,
    )
    if analysis.markers is not None:  # the stickers do not move with the joints
        verdict = with_markers(verdict, analysis.markers, values, marker_figures=MarkerFigures.load())
    originals = {
        name: analysis.measure(name)
        for name, measure in values.items()
        if _changed(analysis.measure(name), measure.value, CHANGED.get(measure.unit, 0.0))
    }
    fixed = replace(analysis, landmarks=landmarks, measures=values, contour=contour, assessment=verdict)
    return Corrected(fixed, originals, dict(moves))


def _changed(before: float | None, after: float | None, tolerance: float) -> bool:
    if before is None or after is None:
        return (before is None) != (after is None)
    return abs(before - after) >= tolerance
