"""Pose a rig: forward kinematics and linear-blend skinning, in numpy.

A pose is given as

* ``rotations``: for some bones a 3x3 rotation ``Q`` expressed in the **rest-pose world frame**
  and applied at the bone's head, relative to the bone's parent. After posing, the bone's
  world rotation is ``A_parent @ Q @ R_rest`` where ``A_parent`` is the motion its parent
  underwent (posed world rotation times the parent's rest rotation transposed). For a chain
  of bones rotated about the same world axis the angles simply add up.
* ``root``: a 4x4 rigid transform applied in world coordinates to the root bone (and so to
  everything), e.g. a rotation about the hip axis.
* ``scales``: per bone, (sx, sy, sz) in the bone's own rest frame (y runs along the bone).
  The scale is not inherited: it scales the skin bound to the bone about the bone's axis,
  and moves the heads of the bone's children by the same factors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from benchmarks.synth.gltf import SkinnedMesh


@dataclass(frozen=True)
class Rig:
    """A welded, closed triangle mesh bound to a joint hierarchy.

    Attributes
    ----------
    positions : (V, 3) float64, bind pose, metres, world frame (+x forward, +y up, +z right).
    faces : (F, 3) int64.
    joints, weights : (V, 4) skinning influences, weights summing to 1.
    names : bone names; ``parents`` (J,) with -1 for the root; ``order`` parents before children.
    rest_local : (J, 4, 4) local transforms in the file; ``root_parent`` (4, 4).
    inverse_bind : (J, 4, 4); ``rest_global`` (J, 4, 4) world transforms of the bones at rest.
    """

    positions: np.ndarray
    faces: np.ndarray
    joints: np.ndarray
    weights: np.ndarray
    names: tuple[str, ...]
    parents: np.ndarray
    order: np.ndarray
    rest_local: np.ndarray
    root_parent: np.ndarray
    inverse_bind: np.ndarray
    rest_global: np.ndarray

    @classmethod
    def from_mesh(cls, mesh: SkinnedMesh, *, weld_tolerance: float = 1e-6) -> Rig:
        """Weld the file's vertices (split along texture seams) into one closed surface."""
        keys = np.round(mesh.positions / weld_tolerance).astype(np.int64)
        _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.ravel()
        order = _topological_order(mesh.parents)
        rest_global = _chain(mesh.rest_local, mesh.parents, order, mesh.root_parent)
        return cls(
            positions=mesh.positions[first],
            faces=inverse[mesh.faces],
            joints=mesh.joints[first],
            weights=mesh.weights[first],
            names=mesh.joint_names,
            parents=mesh.parents,
            order=order,
            rest_local=mesh.rest_local,
            root_parent=mesh.root_parent,
            inverse_bind=mesh.inverse_bind,
            rest_global=rest_global,
        )

    def index(self, name: str) -> int:
        """Index of bone ``name``; ``KeyError`` naming it if absent."""
        try:
            return self.names.index(name)
        except ValueError:
            raise KeyError(f"no bone named {name!r} in the rig") from None

    def head(self, name: str) -> np.ndarray:
        """Rest-pose world position (3,) of the head of bone ``name``."""
        return self.rest_global[self.index(name), :3, 3].copy()


def _topological_order(parents: np.ndarray) -> np.ndarray:
    order, placed = [], set()
    while len(order) < len(parents):
        for j, p in enumerate(parents):
            if j not in placed and (p < 0 or p in placed):
                order.append(j)
                placed.add(j)
    return np.array(order)


def _chain(local: np.ndarray, parents: np.ndarray, order: np.ndarray, root_parent: np.ndarray) -> np.ndarray:
    out = np.empty_like(local)
    for j in order:
        out[j] = (root_parent if parents[j] < 0 else out[parents[j]]) @ local[j]
    return out


def forward_kinematics(
    rig: Rig,
    *,
    rotations: dict[str, np.ndarray] | None = None,
    root: np.ndarray | None = None,
    scales: np.ndarray | None = None,
) -> np.ndarray:
    """Posed world transforms (J, 4, 4) of every bone. See the module docstring for the inputs.

    With no arguments the result equals ``rig.rest_global``.
    """
    local = rig.rest_local.copy()
    rest_rot = rig.rest_global[:, :3, :3]
    for name, q in (rotations or {}).items():
        j = rig.index(name)
        pose = np.eye(4)
        pose[:3, :3] = rest_rot[j].T @ np.asarray(q, float) @ rest_rot[j]
        local[j] = local[j] @ pose
    if scales is not None:
        for j in range(len(local)):
            p = rig.parents[j]
            if p >= 0:
                local[j, :3, 3] = local[j, :3, 3] * np.asarray(scales[p], float)
    root_parent = rig.root_parent if root is None else np.asarray(root, float) @ rig.root_parent
    return _chain(local, rig.parents, rig.order, root_parent)


def skinning_matrices(rig: Rig, posed: np.ndarray, scales: np.ndarray | None = None) -> np.ndarray:
    """(J, 4, 4) matrices taking bind-pose world points to posed world points, per bone."""
    if scales is None:
        return posed @ rig.inverse_bind
    diag = np.zeros((len(posed), 4, 4))
    diag[:, [0, 1, 2], [0, 1, 2]] = np.asarray(scales, float)
    diag[:, 3, 3] = 1.0
    return posed @ diag @ rig.inverse_bind


def skin(rig: Rig, matrices: np.ndarray, points: np.ndarray | None = None) -> np.ndarray:
    """Linear-blend skinning of ``points`` (default: the rig's vertices), returns (V, 3).

    ``points`` must be bound like the rig's vertices (same rows of joints and weights).
    """
    points = rig.positions if points is None else points
    blended = np.einsum("vk,vkij->vij", rig.weights, matrices[rig.joints])  # (V, 4, 4)
    return np.einsum("vij,vj->vi", blended[:, :3, :3], points) + blended[:, :3, 3]


def rotation_about(axis, angle_deg: float) -> np.ndarray:
    """3x3 right-handed rotation by ``angle_deg`` about the unit vector ``axis``."""
    axis = np.asarray(axis, float) / np.linalg.norm(axis)
    a = np.radians(angle_deg)
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    return np.eye(3) + np.sin(a) * k + (1 - np.cos(a)) * (k @ k)


def rotation_between(a, b) -> np.ndarray:
    """The smallest 3x3 rotation taking direction ``a`` to direction ``b``."""
    a = np.asarray(a, float) / np.linalg.norm(a)
    b = np.asarray(b, float) / np.linalg.norm(b)
    axis = np.cross(a, b)
    s, c = np.linalg.norm(axis), float(np.dot(a, b))
    if s < 1e-12:
        if c > 0:
            return np.eye(3)
        perp = np.cross(a, [1.0, 0.0, 0.0] if abs(a[0]) < 0.9 else [0.0, 1.0, 0.0])
        return rotation_about(perp, 180.0)
    return rotation_about(axis / s, np.degrees(np.arctan2(s, c)))


def rotation_about_point(rotation: np.ndarray, pivot) -> np.ndarray:
    """4x4 transform rotating by the 3x3 ``rotation`` about the point ``pivot``."""
    out = np.eye(4)
    out[:3, :3] = rotation
    out[:3, 3] = np.asarray(pivot, float) - rotation @ np.asarray(pivot, float)
    return out
