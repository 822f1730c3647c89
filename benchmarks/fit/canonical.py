"""One facing before pose estimation, so that a photo and its mirror image read the same.

MediaPipe's pose model is not mirror-symmetric: a photo and its mirror image give slightly
different landmarks and masks. So every photo is brought to one facing (the person facing the
image's right, +x) *before* the pose that is measured is estimated: the pose is detected once,
the facing decided, and when the person faces left the image is flipped and the pose detected
again on the flipped image. A left-facing photo and its mirror image then give the identical
pose to everything downstream. Cost: one more detection for left-facing photos.

The one case this cannot make identical: when the facing is ambiguous (the flipped image's
pose also reads as facing left), the flipped pose is used anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posture import checks
from posture.types import Facing, Pose, Rejection


@dataclass(frozen=True)
class Canonical:
    """The pose to measure, in the canonical facing, and how the photo relates to it."""

    pose: Pose
    """Pose of the (possibly flipped) image: the person faces +x when ``flipped`` or when
    ``facing`` is RIGHT."""
    facing: Facing | None
    """The facing in the original photo (None when the first detection was rejected)."""
    flipped: bool


def detect_canonical(rgb: np.ndarray, estimator) -> Canonical:
    """Detect, decide the facing, and for a left-facing person detect again on the mirror image."""
    pose = estimator.detect(rgb)
    verdict = checks.check(pose)
    if isinstance(verdict, Rejection):
        return Canonical(pose, None, False)
    if verdict.facing is Facing.RIGHT:
        return Canonical(pose, Facing.RIGHT, False)
    flipped = estimator.detect(np.ascontiguousarray(rgb[:, ::-1]))
    return Canonical(flipped, Facing.LEFT, True)
