"""Clothes and hair on an anny body: painted regions plus simple displaced geometry.

Regions are those of ``benchmarks.synth.appearance`` (skin, top, bottom, shoes, hair), given
to its ``classify`` through a ``Painting`` built here for the anny rig (bone groups per
triangle, rest-pose coordinates per vertex). On top of the painting, three displacements of
the posed skin change the silhouette (the truth is always taken from the bones and the
undisplaced skin):

``top_loose`` (0 skin-tight .. 1 loose)
    the top hangs like cloth: at every height between the hem and the shoulders, the back
    of the trunk is moved toward the vertical line hanging from the most posterior point
    above it (the shoulder blades), and the front toward the line hanging from the most
    anterior point above it (chest or bust), by the fraction ``top_loose``. So a loose top
    bridges the lumbar hollow, the way a T-shirt hangs off the back. The hem is at
    ``hem_m`` above the hip joint centres; below it the surface returns to the skin within
    3 cm.
``hair_m`` (0 .. 0.2)
    hair down to ``hair_m`` below the base of the neck (the head of ``neck01``): a sheet
    hanging from the back of the head over the neck, painted with the hair colour.
``trouser_loose`` (0 .. 1)
    the legs' clothed part pushed out along the normals by up to 2.5 cm.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

import numpy as np

from benchmarks.bodies.model import Body
from benchmarks.synth.appearance import GROUPS, Outfit, Painting
from benchmarks.synth.surface import vertex_normals

GROUP_OF_PREFIX = (
    ("root", "trunk"),
    ("pelvis", "trunk"),
    ("spine", "trunk"),
    ("clavicle", "trunk"),
    ("shoulder", "trunk"),
    ("neck", "neck"),
    ("head", "head"),
    ("eye", "head"),
    ("upperarm", "arm"),
    ("lowerarm", "arm"),
    ("wrist", "arm"),
    ("finger", "arm"),
    ("metacarpal", "arm"),
    ("upperleg", "leg"),
    ("lowerleg", "leg"),
    ("foot", "foot"),
    ("toe", "foot"),
)


@dataclass(frozen=True)
class Clothes:
    """Where the clothes reach and how loose they are; see the module docstring.
    ``leg_cover``, ``sleeve``, ``shoes`` and ``hair`` as in ``benchmarks.synth.appearance``."""

    top_loose: float = 0.0
    hem_m: float = 0.10
    trouser_loose: float = 0.0
    hair_m: float = 0.0
    leg_cover: float = 2.0
    sleeve: float = 0.4
    shoes: bool = True
    hair: bool = True

    def outfit(self) -> Outfit:
        return Outfit(
            leg_cover=self.leg_cover,
            sleeve=self.sleeve,
            shoes=self.shoes,
            hair=self.hair,
        )

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


def bone_groups(body: Body) -> np.ndarray:
    """Index into ``GROUPS`` per bone of the anny rig."""
    out = []
    for name in body.rig.names:
        group = next((g for prefix, g in GROUP_OF_PREFIX if name.startswith(prefix)), "other")
        out.append(GROUPS.index(group))
    return np.array(out)


@functools.lru_cache(maxsize=8)
def _painting_base(body: Body) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(group per face, group per vertex, attributes per vertex) of the rest body."""
    rig, p = body.rig, body.rig.positions
    dense = np.zeros((len(p), len(rig.names)))
    np.add.at(
        dense,
        (np.arange(len(p))[:, None].repeat(rig.joints.shape[1], 1), rig.joints),
        rig.weights,
    )
    groups = bone_groups(body)
    vertex_group = groups[dense.argmax(axis=1)]
    face_group = groups[dense[rig.faces].sum(axis=1).argmax(axis=1)]
    left = p[:, 2] < 0

    def along(start: str, mid: str, end: str) -> np.ndarray:
        a, b, c = (
            np.where(left[:, None], body.head(f"{bone}.L"), body.head(f"{bone}.R"))
            for bone in (start, mid, end)
        )
        t1, t2 = _param(p, a, b), _param(p, b, c)
        return np.where(t1 <= 1.0, t1, 1.0 + t2)

    head = p[vertex_group == GROUPS.index("head")]
    head_h = (p[:, 1] - head[:, 1].min()) / np.ptp(head[:, 1])
    head_back = (head[:, 0].max() - p[:, 0]) / np.ptp(head[:, 0])
    attributes = np.stack(
        [
            p[:, 1],
            along("upperleg01", "lowerleg01", "foot"),
            along("upperarm01", "lowerarm01", "wrist"),
            head_h,
            head_back,
        ],
        1,
    )
    return face_group, vertex_group, attributes


def _param(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    d = b - a
    return np.einsum("ij,ij->i", p - a, d) / np.einsum("ij,ij->i", d, d)


def painting(body: Body, clothes: Clothes) -> Painting:
    """The ``Painting`` for ``benchmarks.synth.appearance.classify``: the top ends at the hem."""
    face_group, _, attributes = _painting_base(body)
    hem = body.hip_centre()[1] + clothes.hem_m
    return Painting(
        group=face_group,
        attributes=attributes,
        waist_y=float(hem),
        neck_y=float(body.head("neck01")[1]),
    )


def hair_weight(body: Body, clothes: Clothes) -> np.ndarray:
    """Per vertex 1 where long hair covers the rest body (back of head and neck), else 0."""
    if clothes.hair_m <= 0 or not clothes.hair:
        return np.zeros(len(body.rig.positions))
    _, group, _ = _painting_base(body)
    p = body.rig.positions
    neck = body.head("neck01")
    head_x = body.head("head")[0]
    upper = np.isin(group, [GROUPS.index(g) for g in ("head", "neck", "trunk")])
    zone = (
        upper & (p[:, 1] > neck[1] - clothes.hair_m) & (p[:, 0] < head_x - 0.01) & (np.abs(p[:, 2]) < 0.075)
    )
    return zone.astype(float)


def dress(body: Body, vertices: np.ndarray, clothes: Clothes) -> np.ndarray:
    """Posed vertices (V, 3) with the clothes' and hair's displacements (a new array)."""
    out = np.array(vertices, float)
    _, group, _ = _painting_base(body)
    rest = body.rig.positions
    hip_y = body.hip_centre()[1]
    shoulder_y = body.head("spine01")[1] + 0.6 * (body.head("neck01")[1] - body.head("spine01")[1])
    trunk = group == GROUPS.index("trunk")
    if clothes.top_loose > 0:
        hem = hip_y + clothes.hem_m
        top = trunk & (rest[:, 1] > hem - 0.03) & (rest[:, 1] < shoulder_y)
        fade = np.clip((rest[:, 1] - (hem - 0.03)) / 0.03, 0.0, 1.0)
        _hang(out, top, clothes.top_loose * fade, back=True)
        _hang(out, top, clothes.top_loose * fade, back=False)
    hair = hair_weight(body, clothes) > 0
    if hair.any():
        _hang(out, hair, np.ones(len(out)), back=True, thickness=0.01)
    if clothes.trouser_loose > 0 and clothes.leg_cover > 0.3:
        leg = (group == GROUPS.index("leg")) & (rest[:, 1] > 0.12)
        normals = vertex_normals(out, body.rig.faces)
        push = 0.025 * clothes.trouser_loose * leg
        out += normals * push[:, None]
    return out


def _hang(
    points: np.ndarray,
    zone: np.ndarray,
    amount: np.ndarray,
    *,
    back: bool,
    thickness: float = 0.0,
    bin_m: float = 0.01,
) -> None:
    """Move the back (or front) half of ``zone``'s points (in place) toward the vertical line
    hanging from the most posterior (anterior) point above each height, by ``amount``."""
    idx = np.flatnonzero(zone)
    if len(idx) < 10:
        return
    p = points[idx]
    centre_z = np.median(p[:, 2])
    sign = -1.0 if back else 1.0  # back: smaller x is further out
    y0 = p[:, 1].max()
    bins = ((y0 - p[:, 1]) / bin_m).astype(int)  # 0 at the top
    n = bins.max() + 1
    centre_x = np.full(n, np.nan)
    extreme = np.full(n, -np.inf)
    np.maximum.at(extreme, bins, sign * p[:, 0])
    counts = np.bincount(bins, minlength=n)
    sums = np.bincount(bins, weights=p[:, 0], minlength=n)
    centre_x[counts > 0] = sums[counts > 0] / counts[counts > 0]
    envelope = np.maximum.accumulate(np.where(np.isfinite(extreme), extreme, -np.inf))
    half_width = np.zeros(n)
    np.maximum.at(half_width, bins, np.abs(p[:, 2] - centre_z))
    b = bins
    outward = sign * (p[:, 0] - centre_x[b])  # > 0 on the chosen half
    target = envelope[b] + thickness
    gap = np.clip(target - sign * p[:, 0], 0.0, None)
    falloff = np.sqrt(np.clip(1.0 - ((p[:, 2] - centre_z) / (half_width[b] + 1e-6)) ** 2, 0, 1))
    move = np.where(outward > 0, gap * falloff * amount[idx], 0.0)
    points[idx, 0] += sign * move
