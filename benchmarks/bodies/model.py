"""The anny body model: one model object per process, a phenotype -> ``Body``, body sampling.

``anny.Anny()`` is built once per process (``anny_model``; the first build on a machine takes
one to five minutes while Warp compiles its kernels and anny caches its data in
``~/.cache/anny``, later builds about 2-6 s). Only its rest shape is used: for a phenotype,
anny gives the rest vertices and the rest bone poses; posing and skinning are done here in
numpy (``benchmarks.synth.skeleton``) with anny's own skin weights (up to 9 bones per vertex).

Anny's frame is +x = the body's left, -y = forward, +z = up, with the origin near the pelvis.
``ANNY_TO_WORLD`` turns it into this package's frame (+x forward, +y up, +z right), and the
body is then moved so that its soles rest on y = 0 and its hip joint centres are centred on
x = z = 0.

Phenotypes are anny's, each in 0..1: ``gender`` (0 male, 1 female), ``age`` (anny's scale:
0.77 is 18 years, 0.83 is 64, 1.0 is 110, linear between; ``anny_age`` converts years, using
the anchors of anny's own ``data/shape_calibration``), ``muscle``, ``weight`` (0 thin, 1
obese), ``height``, ``proportions`` (0 ideal, 1 uncommon). Stature is not drawn as the
``height`` phenotype (0..1 spans 1.35-2.45 m for a man): a stature in metres is drawn and the
phenotype solved for it (``solve_height``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from benchmarks.synth.skeleton import Rig

ANNY_TO_WORLD = np.array([[0.0, -1.0, 0.0], [0.0, 0.0, 1.0], [-1.0, 0.0, 0.0]])
"""Rotation taking anny's axes (left, back, up) to the world's (forward, up, right)."""

AGE_ANCHORS = ((0.67, 16.0), (0.77, 18.0), (0.83, 64.0), (1.0, 110.0))
"""(anny age, years) anchors of anny's ``morphological_age_mapping`` (its shape_calibration
data), linear between: the adult part of the scale."""

PHENOTYPES = ("gender", "age", "muscle", "weight", "height", "proportions")


def anny_age(years: float) -> float:
    """Anny's age parameter for an age in years (16-110)."""
    a = np.array([p[0] for p in AGE_ANCHORS])
    y = np.array([p[1] for p in AGE_ANCHORS])
    if not y[0] <= years <= y[-1]:
        raise ValueError(f"age must be within {y[0]:.0f}..{y[-1]:.0f} years, got {years}")
    return float(np.interp(years, y, a))


@functools.lru_cache(maxsize=1)
def anny_model():
    """The anny model, built once per process (float64, CPU, one torch thread so that the
    same phenotype gives the same bytes whatever the machine's load)."""
    import anny
    import torch

    torch.set_num_threads(1)
    return anny.Anny()


def anny_available() -> str | None:
    """None when anny and torch import, else the reason they do not."""
    try:
        import anny  # noqa: F401
        import torch  # noqa: F401
    except (ImportError, OSError) as exc:  # not installed, or a broken torch build
        return f"anny is not installed ({type(exc).__name__}: {exc}); run `make bench-setup`"
    return None


@dataclass(frozen=True, eq=False)
class Body:
    """One body at rest, world frame (metres, soles on y = 0).

    ``rig`` is a ``benchmarks.synth.skeleton.Rig`` (positions (V, 3), faces (F, 3) CCW seen
    from outside, joints/weights (V, 9), bone names and parents, rest_global (J, 4, 4));
    ``phenotype`` the anny parameters; ``stature_m`` sole to crown at rest.
    """

    rig: Rig
    phenotype: dict
    stature_m: float

    def head(self, name: str) -> np.ndarray:
        return self.rig.head(name)

    def hip_centre(self) -> np.ndarray:
        """Rest midpoint (3,) of the hip joint centres (heads of ``upperleg01.L/R``)."""
        return 0.5 * (self.head("upperleg01.L") + self.head("upperleg01.R"))


def _rest_arrays(phenotype: dict) -> tuple[np.ndarray, np.ndarray]:
    """Anny's rest vertices (V, 3) and rest bone poses (J, 4, 4), anny frame."""
    import torch

    model = anny_model()
    with torch.no_grad():
        values = model._parse_parameter_kwargs(
            dict(phenotype), model.phenotype_labels, 0.5, "phenotype_kwargs"
        )
        local = model._parse_parameter_kwargs(None, model.local_change_labels, 0.0, "local")
        faces = model._parse_parameter_kwargs(None, model.facial_action_labels, 0.0, "face")
        coeffs = model._get_phenotype_blendshape_coefficients(values, local, faces)
        out = model.get_rest_model(coeffs)
    return (
        out["rest_vertices"][0].numpy().astype(np.float64),
        out["rest_bone_poses"][0].numpy().astype(np.float64),
    )


def stature(phenotype: dict) -> float:
    """Sole-to-crown height (m) of the rest mesh for ``phenotype``."""
    vertices, _ = _rest_arrays(phenotype)
    return float(np.ptp(vertices[:, 2]))


def solve_height(phenotype: dict, stature_m: float, *, iterations: int = 14) -> float:
    """The ``height`` phenotype (0..1, clipped) whose rest stature is ``stature_m``
    (bisection; stature grows with the phenotype)."""
    lo, hi = 0.0, 1.0
    if stature({**phenotype, "height": lo}) >= stature_m:
        return lo
    if stature({**phenotype, "height": hi}) <= stature_m:
        return hi
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        if stature({**phenotype, "height": mid}) < stature_m:
            lo = mid
        else:
            hi = mid
    return round(0.5 * (lo + hi), 6)


def make_body(phenotype: dict) -> Body:
    """The rest body for an anny phenotype (missing values 0.5)."""
    unknown = set(phenotype) - set(PHENOTYPES)
    if unknown:
        raise ValueError(f"unknown phenotypes {sorted(unknown)}; known: {PHENOTYPES}")
    model = anny_model()
    vertices, poses = _rest_arrays(phenotype)
    names = tuple(model.bone_labels)
    parents = np.asarray(model.bone_parents, np.int64)
    parents[0] = -1

    rotation = np.eye(4)
    rotation[:3, :3] = ANNY_TO_WORLD
    world = rotation @ poses
    positions = vertices @ ANNY_TO_WORLD.T
    hips = 0.5 * (world[names.index("upperleg01.L"), :3, 3] + world[names.index("upperleg01.R"), :3, 3])
    shift = np.array([-hips[0], -positions[:, 1].min(), -hips[2]])
    positions = positions + shift
    world[:, :3, 3] += shift

    local = world.copy()
    for j in range(1, len(names)):
        local[j] = np.linalg.inv(world[parents[j]]) @ world[j]
    rig = Rig(
        positions=positions,
        faces=model.get_triangular_faces().numpy().astype(np.int64),
        joints=model.vertex_bone_indices.numpy().astype(np.int64),
        weights=model.vertex_bone_weights.numpy().astype(np.float64),
        names=names,
        parents=parents,
        order=np.arange(len(names)),
        rest_local=local,
        root_parent=np.eye(4),
        inverse_bind=np.linalg.inv(world),
        rest_global=world,
    )
    return Body(
        rig=rig,
        phenotype={k: float(v) for k, v in phenotype.items()},
        stature_m=float(np.ptp(positions[:, 1])),
    )


# --- sampling -----------------------------------------------------------------------------

STATURE_M = {"female": (1.63, 0.07), "male": (1.76, 0.075)}
"""Mean and SD (m) of adult stature drawn per sex (about the averages of European and North
American adults), clipped to +-2.3 SD: 1.47-1.79 m for women, 1.59-1.93 m for men."""


def sample_body_spec(rng: np.random.Generator) -> dict:
    """Random body parameters (JSON-able): sex, age in years, anny phenotypes but height,
    and a stature in metres. Women and men equally often, ages 18-80 uniform, weight from
    thin to obese, muscle and proportions uniform."""
    sex = "female" if rng.random() < 0.5 else "male"
    base = 1.0 if sex == "female" else 0.0
    gender = base + (-1.0 if base else 1.0) * float(rng.uniform(0.0, 0.15))
    years = float(rng.uniform(18.0, 80.0))
    weight = float(np.clip(rng.beta(1.6, 1.6), 0.0, 1.0))
    mean, sd = STATURE_M[sex]
    height_m = float(mean + sd * np.clip(rng.standard_normal(), -2.3, 2.3))
    return {
        "sex": sex,
        "age_years": round(years, 2),
        "phenotype": {
            "gender": round(gender, 4),
            "age": round(anny_age(years), 5),
            "muscle": round(float(rng.uniform(0.0, 1.0)), 4),
            "weight": round(weight, 4),
            "proportions": round(float(rng.uniform(0.0, 1.0)), 4),
        },
        "stature_target_m": round(height_m, 4),
    }


def body_from_spec(spec: dict) -> Body:
    """The ``Body`` of a ``sample_body_spec`` result (stature solved into ``height``)."""
    phenotype = dict(spec["phenotype"])
    phenotype["height"] = solve_height(phenotype, spec["stature_target_m"])
    return make_body(phenotype)
