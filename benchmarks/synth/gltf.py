"""Read the parts of a binary glTF (.glb) file that skinning needs.

Only one skinned mesh with one skin is supported, which is what the CC0 base mesh holds.
No external buffers, no sparse accessors, no strided buffer views.
"""

from __future__ import annotations

import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_PATH = (
    Path(os.environ.get("POSTURE_SHARED_DIR") or Path(__file__).resolve().parents[3] / "shared")
    / "models_3d"
    / "godot_male_base_mesh_cc0"
    / "male_base_mesh.glb"
)
"""Where the CC0 base mesh lives beside the repository (``../shared/models_3d``; the folder
``POSTURE_SHARED_DIR`` names, for a worktree elsewhere)."""

_COMPONENT = {
    5120: np.int8,
    5121: np.uint8,
    5122: np.int16,
    5123: np.uint16,
    5125: np.uint32,
    5126: np.float32,
}
_WIDTH = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT4": 16}


class ModelMissing(FileNotFoundError):
    """The base mesh is not where the generator looks for it."""


@dataclass(frozen=True)
class SkinnedMesh:
    """A triangle mesh bound to a joint hierarchy, as stored in the file.

    Attributes
    ----------
    positions : (V, 3) float64, metres, bind pose in the world frame.
    normals : (V, 3) float64, unit.
    faces : (F, 3) int64, counter-clockwise seen from outside.
    joints : (V, 4) int64, indices into ``joint_names``.
    weights : (V, 4) float64, rows sum to 1.
    joint_names : tuple of str, the skin's joints.
    parents : (J,) int64, index of each joint's parent joint, -1 for a root.
    rest_local : (J, 4, 4) float64, each joint's local transform (parent frame) in the file.
    root_parent : (4, 4) float64, world transform of the root joints' parent node.
    inverse_bind : (J, 4, 4) float64.
    """

    positions: np.ndarray
    normals: np.ndarray
    faces: np.ndarray
    joints: np.ndarray
    weights: np.ndarray
    joint_names: tuple[str, ...]
    parents: np.ndarray
    rest_local: np.ndarray
    root_parent: np.ndarray
    inverse_bind: np.ndarray

    def index(self, name: str) -> int:
        """The joint index of bone ``name``; ``KeyError`` naming the bone if absent."""
        try:
            return self.joint_names.index(name)
        except ValueError:
            raise KeyError(f"no bone named {name!r} in the skin") from None


def read_glb(path: str | Path) -> tuple[dict, bytes]:
    """The JSON document and the BIN chunk of a .glb file."""
    data = Path(path).read_bytes()
    magic, version, _length = struct.unpack_from("<4sII", data, 0)
    if magic != b"glTF" or version != 2:
        raise ValueError(f"{path} is not a glTF 2.0 binary file")
    offset, doc, binary = 12, None, b""
    while offset < len(data):
        size, kind = struct.unpack_from("<I4s", data, offset)
        chunk = data[offset + 8 : offset + 8 + size]
        if kind == b"JSON":
            doc = json.loads(chunk)
        elif kind == b"BIN\x00":
            binary = chunk
        offset += 8 + size
    if doc is None:
        raise ValueError(f"{path} has no JSON chunk")
    return doc, binary


def accessor(doc: dict, binary: bytes, index: int) -> np.ndarray:
    """Accessor ``index`` as an array of shape (count, width) (MAT4: (count, 4, 4), row-major)."""
    acc = doc["accessors"][index]
    view = doc["bufferViews"][acc["bufferView"]]
    dtype = np.dtype(_COMPONENT[acc["componentType"]])
    width = _WIDTH[acc["type"]]
    if view.get("byteStride") not in (None, dtype.itemsize * width):
        raise ValueError("strided buffer views are not supported")
    start = view.get("byteOffset", 0) + acc.get("byteOffset", 0)
    out = np.frombuffer(binary, dtype, acc["count"] * width, start).reshape(acc["count"], width)
    if acc.get("normalized"):
        out = out / np.iinfo(dtype).max
    if acc["type"] == "MAT4":  # glTF stores matrices column-major
        out = out.reshape(-1, 4, 4).transpose(0, 2, 1)
    return out


def node_matrix(node: dict) -> np.ndarray:
    """The 4x4 local transform of a glTF node (``matrix`` or translation/rotation/scale)."""
    if "matrix" in node:
        return np.asarray(node["matrix"], float).reshape(4, 4).T
    out = np.eye(4)
    out[:3, :3] = quaternion_matrix(node.get("rotation", (0.0, 0.0, 0.0, 1.0)))
    out[:3, :3] *= np.asarray(node.get("scale", (1.0, 1.0, 1.0)), float)[None, :]
    out[:3, 3] = node.get("translation", (0.0, 0.0, 0.0))
    return out


def quaternion_matrix(q) -> np.ndarray:
    """Rotation matrix of a unit quaternion given as glTF stores it, (x, y, z, w)."""
    x, y, z, w = np.asarray(q, float) / np.linalg.norm(q)
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )


def load_skinned_mesh(path: str | Path = MODEL_PATH) -> SkinnedMesh:
    """The first skinned mesh of a .glb file with its skin.

    Raises ``ModelMissing`` when ``path`` does not exist.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelMissing(
            f"the base mesh {path} is missing; the synthetic generator needs "
            "../shared/models_3d/godot_male_base_mesh_cc0/male_base_mesh.glb"
        )
    doc, binary = read_glb(path)
    nodes = doc["nodes"]
    mesh_node = next(n for n in nodes if "mesh" in n and "skin" in n)
    primitive = doc["meshes"][mesh_node["mesh"]]["primitives"][0]
    if primitive.get("mode", 4) != 4:
        raise ValueError("only triangle lists are supported")
    attributes = primitive["attributes"]
    skin = doc["skins"][mesh_node["skin"]]
    joint_nodes = list(skin["joints"])

    parent_of = {c: i for i, n in enumerate(nodes) for c in n.get("children", ())}
    parents = np.array(
        [joint_nodes.index(parent_of[j]) if parent_of.get(j) in joint_nodes else -1 for j in joint_nodes]
    )
    roots = {parent_of.get(j) for j, p in zip(joint_nodes, parents) if p < 0}
    if len(roots) != 1:
        raise ValueError("the skin's root joints must share one parent node")
    root_parent = np.eye(4)
    node = roots.pop()
    while node is not None:
        root_parent = node_matrix(nodes[node]) @ root_parent
        node = parent_of.get(node)

    weights = accessor(doc, binary, attributes["WEIGHTS_0"]).astype(float)
    return SkinnedMesh(
        positions=accessor(doc, binary, attributes["POSITION"]).astype(float),
        normals=accessor(doc, binary, attributes["NORMAL"]).astype(float),
        faces=accessor(doc, binary, primitive["indices"]).reshape(-1, 3).astype(np.int64),
        joints=accessor(doc, binary, attributes["JOINTS_0"]).astype(np.int64),
        weights=weights / weights.sum(axis=1, keepdims=True),
        joint_names=tuple(nodes[j].get("name", f"joint{j}") for j in joint_nodes),
        parents=parents,
        rest_local=np.stack([node_matrix(nodes[j]) for j in joint_nodes]),
        root_parent=root_parent,
        inverse_bind=accessor(doc, binary, skin["inverseBindMatrices"]).astype(float),
    )
