"""Do two side views look like the same person? A check on body proportions (issue 20).

Two heights in a side view are read as shares of the ear-to-heel height: the hip (mid-hip
above the lower heel) and the trunk (mid-shoulder to mid-hip length). As shares they do not
depend on the camera distance or the body's size in pixels, and a change of posture (pelvic
tilt, lumbar curve, arms) moves them little; they differ between builds. Each is compared as
the absolute difference of natural logarithms divided by √2 × its spread between photos of
one person (``HIP_SD``, ``TRUNK_SD``), a z-score; the larger of the two is the ``spread``.

Figures from ``python -m benchmarks.proportions`` (``benchmarks/results/proportions.json``),
MediaPipe Pose full. Same person: 12 renders of the project's CC0 mesh (tilt -15..+16°,
lumbar -8..+10°, arms 0-80° forward, both facings, 2-2.8 m, 24-35 mm lens), 66 pairs, and the
shared real pair ``pranjal_postureanalysis`` left / right. Different people: the mesh, that
person and ``dipanjans16_posture_measurement`` against each other (38 pairs), and the mesh with
its legs 8 % longer or shorter in the picture (24 pairs). ``HIP_SD`` and ``TRUNK_SD`` are the
mesh renders' SDs of the log shares (hip 0.011, trunk 0.023; fitted on the same renders, so
the same-person figures are in-sample); ``THRESHOLD`` sits above every same-person pair (largest
2.36, median 1.16; the real pair 0.49). It flags 23 of the 38 different-people pairs (median
3.23; the two real people, of one build, pass) and none of the 24 stretched-leg pairs (largest
2.01): MediaPipe moves the hips far less than the legs were stretched. So the check catches
clearly different builds only: it can say "look again", never "same person", and the page
only informs (a trainer may compare two clients on purpose).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from posture.types import Landmarks

HIP_SD = 0.011
"""SD of ln(hip height share) between photos of one person (see the module docstring)."""
TRUNK_SD = 0.023
"""SD of ln(trunk length share) between photos of one person."""
THRESHOLD = 3.0
"""Largest ``spread`` (a z-score) still taken as one person."""
MIN_VISIBILITY = 0.5
"""Landmarks less visible than this (MediaPipe's 0..1) make the check say nothing."""


@dataclass(frozen=True)
class Proportions:
    """Shares of the ear-to-heel height (no unit): hip height and trunk length."""

    hip: float
    trunk: float


def _seen(landmarks: Landmarks, part: str) -> bool:
    return max(landmarks.vis(f"{side}_{part}") for side in ("left", "right")) >= MIN_VISIBILITY


def proportions(landmarks: Landmarks) -> Proportions | None:
    """The shares of one pose (image y down; mid-points of the left and right landmarks, the
    lower heel); None when a part is hidden or the height is not positive."""
    if not all(_seen(landmarks, part) for part in ("ear", "shoulder", "hip", "heel")):
        return None

    def mid(part: str):
        return (landmarks.point(f"left_{part}") + landmarks.point(f"right_{part}")) / 2

    heel = max(landmarks.point("left_heel")[1], landmarks.point("right_heel")[1])
    height = float(heel - mid("ear")[1])
    hip, shoulder = mid("hip"), mid("shoulder")
    trunk = math.dist(hip, shoulder)
    if height <= 0 or heel - hip[1] <= 0 or trunk <= 0:
        return None
    return Proportions(float(heel - hip[1]) / height, trunk / height)


def spread(first: Proportions, second: Proportions) -> float:
    """The larger z-score of the two shares' log difference: about 1 between two photos of one
    person, above ``THRESHOLD`` for clearly different builds."""
    hip = abs(math.log(first.hip / second.hip)) / (math.sqrt(2) * HIP_SD)
    trunk = abs(math.log(first.trunk / second.trunk)) / (math.sqrt(2) * TRUNK_SD)
    return max(hip, trunk)


def look_like_different_people(first: Landmarks | None, second: Landmarks | None) -> bool:
    """True when both poses show their proportions and these differ by more than ``THRESHOLD``."""
    a = None if first is None else proportions(first)
    b = None if second is None else proportions(second)
    return a is not None and b is not None and spread(a, b) > THRESHOLD
