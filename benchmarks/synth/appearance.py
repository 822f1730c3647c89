"""Clothing and hair as colour regions on the surface (the clothes are painted on the skin).

Each rendered pixel of the figure gets a region from the bone group of its triangle and from
bind-pose coordinates interpolated across the triangle, so region borders are smooth curves
rather than triangle edges:

``bottom``  the pelvis and the trunk below the waist (5 cm above the head of ``spine.001``),
            and the legs down to ``leg_cover`` (0 at the hip joint, 1 at the knee, 2 at the
            ankle: 0.3 briefs, 0.9 shorts, 2 long trousers)
``top``     the trunk from the waist to the base of the neck, and the arms down to
            ``sleeve`` (0 at the shoulder joint, 1 at the elbow, 2 at the wrist)
``shoes``   the feet below the ankle, when ``shoes`` is true
``hair``    the top and back of the head (above a hairline sloping down toward the nape),
            when ``hair`` is true
``skin``    everything else
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from benchmarks.synth.figure import Figure

REGIONS = ("skin", "top", "bottom", "shoes", "hair")
GROUPS = ("other", "trunk", "neck", "head", "arm", "leg", "foot")
_GROUP_OF = {
    "spine": "trunk",
    "spine.001": "trunk",
    "spine.002": "trunk",
    "spine.003": "trunk",
    "pelvis": "trunk",
    "shoulder": "trunk",
    "spine.004": "neck",
    "spine.005": "head",
    "upper_arm": "arm",
    "forearm": "arm",
    "thigh": "leg",
    "shin": "leg",
    "foot": "foot",
    "toe": "foot",
    "heel.02": "foot",
}
ATTRIBUTES = ("y", "leg_t", "arm_t", "head_h", "head_back")


@dataclass(frozen=True)
class Outfit:
    """Where the clothes reach; see the module docstring."""

    leg_cover: float = 0.9
    sleeve: float = 0.4
    shoes: bool = True
    hair: bool = True


@dataclass(frozen=True)
class Painting:
    """What region rules need: ``group`` (F,) index into ``GROUPS`` per triangle and
    ``attributes`` (N, len(ATTRIBUTES)) per surface vertex, bind pose."""

    group: np.ndarray
    attributes: np.ndarray
    waist_y: float
    neck_y: float


@functools.lru_cache(maxsize=4)
def painting(figure: Figure) -> Painting:
    """Bone groups and bind-pose coordinates of the figure's surface (cached per figure)."""
    rig, p = figure.rig, figure.bind
    bone_names = [n.rsplit(".", 1)[0] if n.endswith((".L", ".R")) else n for n in rig.names]
    bone_group = np.array([GROUPS.index(_GROUP_OF.get(n, "other")) for n in bone_names])
    face_bone = figure.bind_weights[figure.faces].sum(axis=1).argmax(axis=1)
    group = bone_group[face_bone]

    left = p[:, 2] < 0

    def along(start: str, mid: str, end: str) -> np.ndarray:
        a, b, c = (
            np.where(left[:, None], rig.head(f"{bone}.L"), rig.head(f"{bone}.R"))
            for bone in (start, mid, end)
        )
        t1, t2 = _param(p, a, b), _param(p, b, c)
        return np.where(t1 <= 1.0, t1, 1.0 + t2)

    hp = p[np.unique(figure.faces[group == GROUPS.index("head")])]
    head_h = (p[:, 1] - hp[:, 1].min()) / np.ptp(hp[:, 1])
    head_back = (hp[:, 0].max() - p[:, 0]) / np.ptp(hp[:, 0])
    attributes = np.stack(
        [p[:, 1], along("thigh", "shin", "foot"), along("upper_arm", "forearm", "hand"), head_h, head_back],
        axis=1,
    )
    return Painting(
        group=group,
        attributes=attributes,
        waist_y=float(rig.head("spine.001")[1] + 0.05),
        neck_y=float(rig.head("spine.004")[1]),
    )


def _param(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Position of points p along segments a->b (0 at a, 1 at b), per row."""
    d = b - a
    return np.einsum("ij,ij->i", p - a, d) / np.einsum("ij,ij->i", d, d)


def classify(group: np.ndarray, attributes: np.ndarray, paint: Painting, outfit: Outfit) -> np.ndarray:
    """Region index (K,) into ``REGIONS`` for points with bone ``group`` (K,) and
    interpolated ``attributes`` (K, len(ATTRIBUTES))."""
    y, leg_t, arm_t, head_h, head_back = attributes.T
    is_ = {name: group == GROUPS.index(name) for name in GROUPS}
    out = np.zeros(len(group), np.int64)
    body = is_["trunk"] | is_["neck"]
    out[body & (y < paint.waist_y)] = REGIONS.index("bottom")
    out[body & (y >= paint.waist_y) & (y < paint.neck_y)] = REGIONS.index("top")
    out[is_["leg"] & (leg_t < outfit.leg_cover)] = REGIONS.index("bottom")
    out[is_["arm"] & (arm_t < outfit.sleeve)] = REGIONS.index("top")
    if outfit.shoes:
        out[is_["foot"] | (is_["leg"] & (leg_t > 1.95))] = REGIONS.index("shoes")
    if outfit.hair:
        hair = (head_h + 0.6 * head_back > 0.9) & (head_h > 0.3)
        out[is_["head"] & hair] = REGIONS.index("hair")
    return out


def albedo_table(colours: dict[str, tuple[float, float, float]]) -> np.ndarray:
    """RGB albedo (len(REGIONS), 3) in 0..1 from a colour per region name."""
    return np.array([colours[name] for name in REGIONS], float)
