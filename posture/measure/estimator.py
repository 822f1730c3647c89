"""Reading one canonical-facing pose with the fitted model: the mean over the mask levels, and
the rules that decline an estimate.

The model file and its evaluation are in ``posture.measure.fitted``. A declined estimate gives
a ``Decline`` code, not a sentence: what the person reads about it is in
``posture.render.wording`` (``DECLINE_TEXT``), put in by ``posture.analyze``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from posture.measure.fitted import Estimate, Model
from posture.types import Decline


def class_probabilities(
    tilt: float, sd: float, posterior_below: float, anterior_above: float
) -> tuple[float, float, float]:
    """P(posterior), P(neutral), P(anterior) of the true tilt, for a normal error of ``sd``
    around the estimate ``tilt``."""

    def below(x: float) -> float:
        return 0.5 * (1.0 + math.erf((x - tilt) / (sd * math.sqrt(2.0))))

    p_post = below(posterior_below)
    p_ant = 1.0 - below(anterior_above)
    return p_post, max(0.0, 1.0 - p_post - p_ant), p_ant


PLAUSIBLE_TILT = (-30.0, 45.0)
"""Tilt estimates outside this range (degrees) are outline failures, not pelvises."""
PLAUSIBLE_LUMBAR = (-30.0, 100.0)
"""Lumbar estimates outside this range (degrees) are outline failures, not backs."""


MASK_SHIFTS = (0.0, -0.15, 0.15)
"""The outline is read at the segmentation mask's 0.5 level and, for the average, also at its
0.65 and 0.35 levels (the mask shifted by these amounts). Where a real photo's mask edge is soft
(a small or compressed photo, a video frame), the estimate from one level jumps between
near-identical pictures; the mean of the three moves less (``python -m
benchmarks.fit.real_steadiness --mask-levels 1`` against the default; docs/METHOD.md). The
first (unshifted) reading decides whether there is an estimate at all; a shifted one that
cannot be read, or is declined, is left out."""


@dataclass(frozen=True)
class Reading:
    """The estimate for one canonical-facing pose, or the reason there is none."""

    estimate: Estimate | None
    reason: Decline | str | None
    """A ``Decline`` code, or the sentence of an outline that cannot be read
    (``posture.measure.outline.OutlineUnreadable``); None with an estimate."""
    outline: object | None  # outline.Outline


def decline_reason(model: Model, estimate: Estimate) -> Decline | None:
    """Why an estimate from a readable outline is not given (None: it is)."""
    if estimate.ood > model.ood_limit:
        return Decline.OUT_OF_RANGE
    if not (
        PLAUSIBLE_TILT[0] <= estimate.tilt <= PLAUSIBLE_TILT[1]
        and PLAUSIBLE_LUMBAR[0] <= estimate.lumbar <= PLAUSIBLE_LUMBAR[1]
    ):
        return Decline.IMPLAUSIBLE
    return None


def combine(model: Model, feature_sets: list[np.ndarray | None]) -> tuple[Estimate | None, Decline | None]:
    """The estimate from the feature vectors of one photo read at each of ``MASK_SHIFTS`` (None
    where that level could not be read): the first decides (its decline reason, if any, is
    returned); the estimate is the mean of every level that is readable and not declined."""
    first = feature_sets[0]
    if first is None:
        raise ValueError("the unshifted outline must be readable")
    estimates = [model.predict(first)]
    reason = decline_reason(model, estimates[0])
    if reason:
        return None, reason
    for features in feature_sets[1:]:
        if features is not None:
            other = model.predict(features)
            if decline_reason(model, other) is None:
                estimates.append(other)
    return (
        Estimate(
            tilt=float(np.mean([e.tilt for e in estimates])),
            lumbar=float(np.mean([e.lumbar for e in estimates])),
            ood=estimates[0].ood,
        ),
        None,
    )


def shifted_features(
    xy: np.ndarray, mask: np.ndarray, visibility: np.ndarray | None
) -> list[np.ndarray | None]:
    """Feature vectors of the outline read at each of ``MASK_SHIFTS`` after the first (None
    where it cannot be read)."""
    from posture.measure import outline as features

    out = []
    for shift in MASK_SHIFTS[1:]:
        try:
            out.append(features.extract(xy, np.clip(mask + shift, 0.0, 1.0), visibility).features)
        except features.OutlineUnreadable:
            out.append(None)
    return out


def read(
    model: Model, xy: np.ndarray, mask: np.ndarray | None, visibility: np.ndarray | None = None
) -> Reading:
    """Features, estimate (the mean over ``MASK_SHIFTS``) and the checks that decline an
    unreadable outline."""
    from posture.measure import outline as features

    try:
        found = features.extract(xy, mask, visibility)
    except features.OutlineUnreadable as error:
        return Reading(None, str(error), None)
    others = shifted_features(xy, np.asarray(mask, np.float32), visibility)
    estimate, reason = combine(model, [found.features, *others])
    return Reading(estimate, reason, found)
