"""Surface helpers: Loop subdivision as a fixed linear map, and vertex normals.

The base mesh has about 900 vertices, too coarse for a smooth back contour. Loop subdivision
depends only on the connectivity, so it is a fixed sparse linear map from coarse to fine
vertices: the generator skins the coarse mesh and maps the result, which equals subdividing
the posed mesh.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LinearMap:
    """A sparse matrix (n_out x n_in) in coordinate form; ``apply`` maps (n_in, ...) arrays."""

    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    n_out: int
    n_in: int

    def apply(self, x: np.ndarray) -> np.ndarray:
        """``M @ x`` for x of shape (n_in,) or (n_in, k)."""
        x = np.asarray(x, float)
        flat = x.reshape(self.n_in, -1)
        out = np.empty((self.n_out, flat.shape[1]))
        for k in range(flat.shape[1]):
            out[:, k] = np.bincount(self.rows, self.values * flat[self.cols, k], minlength=self.n_out)
        return out.reshape((self.n_out,) + x.shape[1:])

    def then(self, other: LinearMap) -> LinearMap:
        """The map ``other @ self`` (apply self first)."""
        if other.n_in != self.n_out:
            raise ValueError("shapes do not chain")
        order = np.argsort(self.rows, kind="stable")
        starts = np.searchsorted(self.rows[order], np.arange(self.n_out + 1))
        counts = np.diff(starts)[other.cols]
        rep = np.repeat(np.arange(len(other.rows)), counts)
        offset = np.arange(len(rep)) - np.repeat(np.cumsum(counts) - counts, counts)
        inner = order[starts[other.cols][rep] + offset]
        rows, cols = other.rows[rep], self.cols[inner]
        values = other.values[rep] * self.values[inner]
        key = rows * self.n_in + cols
        uniq, inverse = np.unique(key, return_inverse=True)
        return LinearMap(
            uniq // self.n_in, uniq % self.n_in, np.bincount(inverse.ravel(), values), other.n_out, self.n_in
        )


def loop_subdivide(faces: np.ndarray, n_vertices: int) -> tuple[np.ndarray, LinearMap]:
    """One step of Loop subdivision of a closed triangle mesh.

    Returns the new faces (4F, 3) and the linear map from old to new vertex positions. New
    vertices are the old ones (moved by the even rule) followed by one per edge.
    """
    faces = np.asarray(faces, np.int64)
    half = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    opposite = np.concatenate([faces[:, 2], faces[:, 0], faces[:, 1]])
    key = np.sort(half, axis=1)
    edges, edge_of_half, counts = np.unique(key, axis=0, return_inverse=True, return_counts=True)
    edge_of_half = edge_of_half.ravel()
    if np.any(counts != 2):
        raise ValueError("Loop subdivision here needs a closed manifold mesh")
    n_edges = len(edges)

    # Even vertices: (1 - n beta) v + beta * sum(neighbours), Warren's beta.
    valence = np.bincount(edges.ravel(), minlength=n_vertices).astype(float)
    beta = np.where(valence > 3, 3.0 / (8.0 * np.maximum(valence, 1)), 3.0 / 16.0)
    rows = [np.arange(n_vertices), edges[:, 0], edges[:, 1]]
    cols = [np.arange(n_vertices), edges[:, 1], edges[:, 0]]
    vals = [1.0 - valence * beta, beta[edges[:, 0]], beta[edges[:, 1]]]
    # Odd (edge) vertices: 3/8 of each end, 1/8 of each opposite vertex.
    edge_rows = n_vertices + np.arange(n_edges)
    rows += [edge_rows, edge_rows, n_vertices + edge_of_half]
    cols += [edges[:, 0], edges[:, 1], opposite]
    vals += [np.full(n_edges, 3 / 8), np.full(n_edges, 3 / 8), np.full(len(opposite), 1 / 8)]
    op = LinearMap(
        np.concatenate(rows), np.concatenate(cols), np.concatenate(vals), n_vertices + n_edges, n_vertices
    )

    mid = (n_vertices + edge_of_half).reshape(3, -1).T  # midpoints of edges 01, 12, 20
    a, b, c = faces.T
    ab, bc, ca = mid.T
    new_faces = np.concatenate(
        [
            np.stack([a, ab, ca], 1),
            np.stack([ab, b, bc], 1),
            np.stack([ca, bc, c], 1),
            np.stack([ab, bc, ca], 1),
        ]
    )
    return new_faces, op


def subdivision(faces: np.ndarray, n_vertices: int, levels: int) -> tuple[np.ndarray, LinearMap]:
    """``levels`` steps of Loop subdivision composed into one linear map."""
    op = LinearMap(np.arange(n_vertices), np.arange(n_vertices), np.ones(n_vertices), n_vertices, n_vertices)
    for _ in range(levels):
        faces, step = loop_subdivide(faces, op.n_out)
        op = op.then(step)
    return faces, op


def vertex_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Area-weighted unit vertex normals (V, 3) of a mesh with outward counter-clockwise faces."""
    v0, v1, v2 = (vertices[faces[:, k]] for k in range(3))
    face_n = np.cross(v1 - v0, v2 - v0)
    out = np.zeros_like(vertices)
    for k in range(3):
        for d in range(3):
            out[:, d] += np.bincount(faces[:, k], face_n[:, d], minlength=len(vertices))
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
