"""The figure: the rig, its smooth rendered surface, and surface points chosen by rule.

The rendered surface is the base mesh after two steps of Loop subdivision (about 14,400
vertices, 28,900 triangles, vertices about 2 cm apart). Named surface points are chosen
once on the bind-pose surface by the rules below and then followed through skinning. Each
is a ``SurfacePoint``: a triangle of the surface and barycentric weights in it, so a point
may lie between vertices. The skin over the pelvis is re-bound to the pelvis bone first
(``bind_skin_to_pelvis``).

Rules, with ``H`` the midpoint of the hip joint centres (heads of ``thigh.L/R``) and ``w``
half the distance between them (0.098 m on the unscaled mesh); +x forward, +y up, +z right:

ASIS-like point (per side)
    where a ray along -x at ``y = H_y + 0.8 w, |z| = 1.35 w`` first meets the body (the
    front of the hip). Bell et al. (1990) place the hip joint centre 0.30 IAD below and
    0.36 IAD lateral of the mid-ASIS point (IAD the distance between the ASISs), so the
    ASIS is 0.83 w above the hip centre and 1.39 w lateral.
PSIS-like point (per side)
    where a ray along +x at ``y = H_y + 1.1 w, |z| = 0.5 w`` first meets the body. PSIS
    dimples lie about 4-5 cm from the midline; 0.3 w (about 3 cm) above the ASIS makes an
    ASIS-PSIS line about 10 degrees from the horizontal on an average pelvis (Preece 2008).
    The neutral mesh's clinical-style tilt is whatever these points give (9.8 degrees);
    it is not a measured fact about a person.
Back midline (flexicurve)
    where rays along +x in the midplane (z = 0) meet the back, at 21 heights evenly spaced
    from the PSIS height (S2 level, where the PSIS dimples are; point ``s2_skin``) to the
    height of the head of ``spine.002`` (the rig's T12/L1 joint; point ``t12_skin``).
Ear-like point (per side)
    the head vertex (head bone ``spine.005`` dominant) furthest to that side.
Nose-like point
    the most anterior head vertex.
Heel and toe points (per side)
    among vertices dominated by that side's foot bones (``foot``, ``toe``, ``heel.02``) the
    most posterior one within 3 cm of the sole, and the most anterior one.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.synth.gltf import MODEL_PATH, load_skinned_mesh
from benchmarks.synth.skeleton import Rig
from benchmarks.synth.surface import LinearMap, subdivision

SUBDIVISION_LEVELS = 2
PELVIC_SKIN = {"lumbar_full": 1.2, "lumbar_none": 2.2, "thigh_none": 0.0, "thigh_full": 0.8}
"""Heights (in units of w above the hip centre) of the pelvic skin re-weighting, see
``bind_skin_to_pelvis``."""
SIDES = ("L", "R")
SIDE_SIGN = {"L": -1.0, "R": 1.0}


@dataclass(frozen=True, eq=False)
class Figure:
    """The rig plus the rendered surface (``faces`` over ``subdivide.n_out`` vertices).

    ``bind`` (N, 3) and ``bind_weights`` (N, J) are the surface's bind positions and
    per-bone skinning weights; ``points`` maps names to surface points (see the module
    docstring), ``back_midline`` holds the flexicurve line's points, bottom to top.
    """

    rig: Rig
    faces: np.ndarray
    subdivide: LinearMap
    bind: np.ndarray
    bind_weights: np.ndarray
    points: dict[str, SurfacePoint]
    back_midline: SurfacePoint

    def surface(self, coarse_vertices: np.ndarray) -> np.ndarray:
        """The smooth surface (N, 3) for skinned coarse vertices (V, 3)."""
        return self.subdivide.apply(coarse_vertices)

    def hip_frame(self) -> tuple[np.ndarray, float]:
        """``(H, w)``: hip centre midpoint (3,) and half the hip-centre distance (m), bind pose."""
        left, right = self.rig.head("thigh.L"), self.rig.head("thigh.R")
        return 0.5 * (left + right), 0.5 * float(abs(right[2] - left[2]))

    def dominant_bone(self) -> np.ndarray:
        """Index (N,) of the bone with the largest weight at each surface vertex."""
        return self.bind_weights.argmax(axis=1)


@dataclass(frozen=True)
class SurfacePoint:
    """Points on the surface: triangle ids ``face`` (K,) and barycentric ``weights`` (K, 3).

    ``at(surface_vertices)`` gives their positions (K, 3) on any posed copy of the surface.
    """

    face: np.ndarray
    weights: np.ndarray

    def at(self, faces: np.ndarray, vertices: np.ndarray) -> np.ndarray:
        """Positions (K, 3) on the surface ``vertices`` (N, 3) with triangles ``faces``."""
        return np.einsum("kc,kcd->kd", self.weights, vertices[faces[self.face]])

    @classmethod
    def vertex(cls, faces: np.ndarray, vertex: int) -> SurfacePoint:
        """The surface point at a vertex."""
        f, corner = np.argwhere(faces == vertex)[0]
        weights = np.zeros((1, 3))
        weights[0, corner] = 1.0
        return cls(np.array([f]), weights)


def ray_hit(vertices: np.ndarray, faces: np.ndarray, y: float, z: float, *, towards: float) -> SurfacePoint:
    """Where the ray parallel to x at (y, z), travelling toward ``towards`` * x (+1 or -1),
    first meets the surface coming from infinity; ``ValueError`` when it misses."""
    tri = vertices[faces]
    (y0, z0), (y1, z1), (y2, z2) = (tri[:, k, 1:].T for k in range(3))
    area = (y1 - y0) * (z2 - z0) - (y2 - y0) * (z1 - z0)
    ok = np.abs(area) > 1e-15
    safe = np.where(ok, area, 1.0)
    b0 = ((y1 - y) * (z2 - z) - (y2 - y) * (z1 - z)) / safe
    b1 = ((y2 - y) * (z0 - z) - (y0 - y) * (z2 - z)) / safe
    b2 = 1.0 - b0 - b1
    hit = ok & (b0 >= 0) & (b1 >= 0) & (b2 >= 0)
    if not hit.any():
        raise ValueError(f"no surface at y={y:.3f}, z={z:.3f}")
    ids = np.flatnonzero(hit)
    bary = np.stack([b0[ids], b1[ids], b2[ids]], axis=1)
    x = np.einsum("kc,kc->k", bary, tri[ids, :, 0])
    first = np.argmax(-towards * x)
    return SurfacePoint(ids[first : first + 1], bary[first : first + 1])


def bind_skin_to_pelvis(rig: Rig) -> Rig:
    """The rig with the skin over the pelvis bound to the pelvis bone.

    The file's weights bind the buttocks largely to the thighs and the skin around the
    ASIS and PSIS partly to the lumbar bone ``spine.001`` (good for walking animations).
    When the pelvis tilts under still thighs and an upright trunk, such skin would follow
    only about half the pelvis rotation, while the bony landmarks a clinician palpates move
    fully with it. With ``h = (y - H_y) / w`` in the bind pose, this moves to the pelvis
    bone (``spine``) a fraction of each vertex's ``spine.001`` weight, 1 for h <= 1.2
    falling linearly to 0 at h = 2.2 (about the iliac crest), and of its thigh weights,
    0 for h <= 0 (the greater trochanter stays with the femur) rising to 1 at h = 0.8.
    """
    left, right = rig.head("thigh.L"), rig.head("thigh.R")
    hip_y, w = 0.5 * (left[1] + right[1]), 0.5 * abs(right[2] - left[2])
    h = (rig.positions[:, 1] - hip_y) / w
    k = PELVIC_SKIN
    lumbar = np.clip((k["lumbar_none"] - h) / (k["lumbar_none"] - k["lumbar_full"]), 0, 1)
    thigh = np.clip((h - k["thigh_none"]) / (k["thigh_full"] - k["thigh_none"]), 0, 1)
    names = np.array(rig.names)[rig.joints]
    fraction = np.where(
        names == "spine.001",
        lumbar[:, None],
        np.where(np.char.startswith(names, "thigh."), thigh[:, None], 0.0),
    )
    moved = rig.weights * fraction
    weights = rig.weights - moved
    joints = rig.joints.copy()
    pelvis = rig.index("spine")
    # Put the moved weight on the pelvis slot if the vertex has one, else on a freed slot.
    has = joints == pelvis
    gain = moved.sum(axis=1)
    for v in np.flatnonzero(gain > 0):
        slot = np.flatnonzero(has[v])
        if len(slot) == 0:
            slot = [int(np.argmin(weights[v]))]
            if weights[v, slot[0]] > 1e-9:  # no free slot: fold the smallest into the pelvis
                gain[v] += weights[v, slot[0]]
            joints[v, slot[0]] = pelvis
            weights[v, slot[0]] = 0.0
        weights[v, slot[0]] += gain[v]
    return dataclasses.replace(rig, joints=joints, weights=weights)


@functools.lru_cache(maxsize=4)
def load_figure(path: str | Path = MODEL_PATH, *, pelvic_skin: bool = True) -> Figure:
    """Load and prepare the figure once per process (``ModelMissing`` if the file is absent).

    ``pelvic_skin`` re-binds the skin over the pelvis to the pelvis bone
    (``bind_skin_to_pelvis``); False keeps the file's weights.
    """
    rig = Rig.from_mesh(load_skinned_mesh(path))
    if pelvic_skin:
        rig = bind_skin_to_pelvis(rig)
    faces, op = subdivision(rig.faces, len(rig.positions), SUBDIVISION_LEVELS)
    bind = op.apply(rig.positions)
    dense = np.zeros((len(rig.positions), len(rig.names)))
    np.add.at(dense, (np.repeat(np.arange(len(rig.positions)), 4), rig.joints.ravel()), rig.weights.ravel())
    weights = op.apply(dense)
    figure = Figure(
        rig=rig,
        faces=faces,
        subdivide=op,
        bind=bind,
        bind_weights=weights,
        points={},
        back_midline=SurfacePoint(np.zeros(0, int), np.zeros((0, 3))),
    )
    points, midline = _choose_points(figure)
    return Figure(
        rig=rig,
        faces=faces,
        subdivide=op,
        bind=bind,
        bind_weights=weights,
        points=points,
        back_midline=midline,
    )


def _pick(candidates: np.ndarray, score: np.ndarray, what: str) -> int:
    if not candidates.any():
        raise ValueError(f"no surface vertex satisfies the {what} rule")
    ids = np.flatnonzero(candidates)
    return int(ids[np.argmax(score[ids])])


def _choose_points(figure: Figure) -> tuple[dict[str, SurfacePoint], SurfacePoint]:
    rig, p, faces = figure.rig, figure.bind, figure.faces
    hip, w = figure.hip_frame()
    x, y, z = p.T
    names = np.array(rig.names)
    bone = names[figure.dominant_bone()]
    psis_y = hip[1] + 1.1 * w
    points: dict[str, SurfacePoint] = {}
    for side in SIDES:
        s = SIDE_SIGN[side]
        on_side = s * z > 0
        points[f"asis_{side}"] = ray_hit(p, faces, hip[1] + 0.8 * w, s * 1.35 * w, towards=-1)
        points[f"psis_{side}"] = ray_hit(p, faces, psis_y, s * 0.5 * w, towards=+1)
        head = bone == "spine.005"
        foot = np.isin(bone, [f"foot.{side}", f"toe.{side}", f"heel.02.{side}"])
        chosen = {
            "ear": _pick(head & on_side, s * z, "ear"),
            "heel": _pick(foot & (y <= y.min() + 0.03), -x, "heel"),
            "toe": _pick(foot, x, "toe"),
        }
        for name, vertex in chosen.items():
            points[f"{name}_{side}"] = SurfacePoint.vertex(faces, vertex)
    points["nose"] = SurfacePoint.vertex(faces, _pick(bone == "spine.005", x, "nose"))

    heights = np.linspace(psis_y, rig.head("spine.002")[1], 21)
    hits = [ray_hit(p, faces, h, 0.0, towards=+1) for h in heights]
    midline = SurfacePoint(np.concatenate([h.face for h in hits]), np.concatenate([h.weights for h in hits]))
    points["s2_skin"], points["t12_skin"] = hits[0], hits[-1]
    return points, midline
