"""Rasterize the figure: a vectorized z-buffer in numpy, Lambert shading, room background,
and the degradations of a real photo (blur, sensor noise, JPEG).

Colours are RGB floats in 0..1 until ``to_uint8``. Images are (H, W, 3), y down.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from benchmarks.synth.camera import Camera

MAX_CANDIDATES = 1_500_000
"""Pixel-triangle pairs tested at once; bounds the rasterizer's memory (about 100 MB)."""


@dataclass(frozen=True)
class Fragments:
    """The visible surface: one row per covered pixel.

    ``pixel`` (K,) flat index y * W + x; ``face`` (K,) index of the visible triangle;
    ``weights`` (K, 3) perspective-correct barycentric weights of its three corners.
    """

    pixel: np.ndarray
    face: np.ndarray
    weights: np.ndarray
    width: int
    height: int

    def mask(self) -> np.ndarray:
        """Boolean (H, W) coverage."""
        out = np.zeros(self.width * self.height, bool)
        out[self.pixel] = True
        return out.reshape(self.height, self.width)


def rasterize(
    uv: np.ndarray,
    depth: np.ndarray,
    faces: np.ndarray,
    width: int,
    height: int,
    *,
    near: float = 0.05,
    cull_backfaces: bool = True,
) -> Fragments:
    """Nearest triangle per pixel centre.

    Parameters
    ----------
    uv : (N, 2) pixel coordinates of the vertices (x right, y down; pixel centres at +0.5).
    depth : (N,) distance along the optical axis, metres.
    faces : (F, 3) counter-clockwise seen from outside (glTF convention).
    Triangles with a vertex nearer than ``near`` are dropped (no clipping is done).
    """
    tri = uv[faces]  # (F, 3, 2)
    tz = depth[faces]
    (x0, y0), (x1, y1), (x2, y2) = (tri[:, k].T for k in range(3))
    area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)  # < 0 when facing the camera (y down)
    keep = np.all(tz > near, axis=1) & (np.abs(area) > 1e-12)
    if cull_backfaces:
        keep &= area < 0
    xa = np.clip(np.ceil(tri[:, :, 0].min(1) - 0.5), 0, width)
    xb = np.clip(np.floor(tri[:, :, 0].max(1) - 0.5), -1, width - 1)
    ya = np.clip(np.ceil(tri[:, :, 1].min(1) - 0.5), 0, height)
    yb = np.clip(np.floor(tri[:, :, 1].max(1) - 0.5), -1, height - 1)
    w = np.where(keep, np.maximum(xb - xa + 1, 0), 0).astype(np.int64)
    h = np.where(keep, np.maximum(yb - ya + 1, 0), 0).astype(np.int64)
    count = w * h
    live = np.flatnonzero(count)

    parts = []
    ends = np.cumsum(count[live])
    start = 0
    while start < len(live):
        stop = int(np.searchsorted(ends, (ends[start - 1] if start else 0) + MAX_CANDIDATES, side="right"))
        stop = max(stop, start + 1)
        parts.append(_cover(live[start:stop], count, w, xa, ya, tri, tz, area, width))
        start = stop
    if not parts:
        empty = np.zeros(0, np.int64)
        return Fragments(empty, empty, np.zeros((0, 3)), width, height)
    pixel, face, bary, inv_z = (np.concatenate(p) for p in zip(*parts))

    best = np.full(width * height, -np.inf)
    np.maximum.at(best, pixel, inv_z)
    win = np.flatnonzero(inv_z == best[pixel])
    _, first = np.unique(pixel[win], return_index=True)
    win = win[first]
    weights = bary[win] / tz[face[win]]
    weights /= weights.sum(axis=1, keepdims=True)
    return Fragments(pixel[win], face[win], weights, width, height)


def _cover(faces_idx, count, w, xa, ya, tri, tz, area, width):
    """Pixel-centre tests for a batch of triangles: the covered (pixel, face, bary, 1/z)."""
    n = count[faces_idx]
    fid = np.repeat(faces_idx, n)
    local = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    wf = w[fid]
    px = xa[fid] + local % wf
    py = ya[fid] + local // wf
    cx, cy = px + 0.5, py + 0.5
    t = tri[fid]
    inv_area = 1.0 / area[fid]
    b0 = ((t[:, 1, 0] - cx) * (t[:, 2, 1] - cy) - (t[:, 2, 0] - cx) * (t[:, 1, 1] - cy)) * inv_area
    b1 = ((t[:, 2, 0] - cx) * (t[:, 0, 1] - cy) - (t[:, 0, 0] - cx) * (t[:, 2, 1] - cy)) * inv_area
    b2 = 1.0 - b0 - b1
    inside = (b0 >= 0) & (b1 >= 0) & (b2 >= 0)
    fid, b = fid[inside], np.stack([b0[inside], b1[inside], b2[inside]], axis=1)
    inv_z = (b / tz[fid]).sum(axis=1)
    pixel = (py[inside] * width + px[inside]).astype(np.int64)
    return pixel, fid, b, inv_z


@dataclass(frozen=True)
class Lighting:
    """A directional light plus sky-like ambient light.

    ``azimuth_deg`` 0 lights the body from the front (+x), 90 from its right side (+z);
    ``elevation_deg`` above the horizon. Intensities multiply the albedo.
    """

    azimuth_deg: float = 30.0
    elevation_deg: float = 40.0
    diffuse: float = 0.75
    ambient: float = 0.35

    def direction(self) -> np.ndarray:
        """Unit world vector (3,) pointing toward the light."""
        a, e = np.radians(self.azimuth_deg), np.radians(self.elevation_deg)
        return np.array([np.cos(e) * np.cos(a), np.sin(e), np.cos(e) * np.sin(a)])


def interpolate(fragments: Fragments, faces: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per-vertex ``values`` (N, ...) interpolated at each fragment (K, ...)."""
    return np.einsum("kc,kc...->k...", fragments.weights, values[faces[fragments.face]])


def shade(
    fragments: Fragments, faces: np.ndarray, normals: np.ndarray, albedo: np.ndarray, lighting: Lighting
) -> np.ndarray:
    """Lambert colour (K, 3) of each fragment with albedo (K, 3), with normals interpolated
    across triangles."""
    n = interpolate(fragments, faces, normals)
    n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
    lambert = np.clip(n @ lighting.direction(), 0.0, None)
    ambient = lighting.ambient * (0.8 + 0.2 * n[:, 1])
    return albedo * (ambient + lighting.diffuse * lambert)[:, None]


@dataclass(frozen=True)
class Room:
    """The background: ``style`` "plain" (wall colour), "gradient" (wall colour at the top to
    ``floor`` colour at the bottom) or "room" (a wall ``wall_distance_m`` behind the person
    and a floor at y = 0 with a soft contact shadow under the feet)."""

    style: str = "room"
    wall: tuple[float, float, float] = (0.85, 0.85, 0.82)
    floor: tuple[float, float, float] = (0.55, 0.48, 0.40)
    wall_distance_m: float = 1.5
    shadow: float = 0.35


def background(camera: Camera, room: Room, feet=(0.0, 0.0, 0.0)) -> np.ndarray:
    """Background image (H, W, 3) float. ``feet`` (3,) is where the contact shadow centres."""
    wall = np.asarray(room.wall, float)
    floor = np.asarray(room.floor, float)
    if room.style == "plain":
        return np.broadcast_to(wall, (camera.height, camera.width, 3)).copy()
    if room.style == "gradient":
        s = np.linspace(0.0, 1.0, camera.height)[:, None, None]
        return np.broadcast_to((1 - s) * wall + s * floor, (camera.height, camera.width, 3)).copy()
    if room.style != "room":
        raise ValueError(f"background style must be plain, gradient or room, got {room.style!r}")
    rays = camera.pixel_rays()
    pos = camera.position.astype(np.float32)
    axis = camera.rotation[2] * np.array([1.0, 0.0, 1.0])
    axis = (axis / np.linalg.norm(axis)).astype(np.float32)
    feet = np.asarray(feet, np.float32)
    wall_at = float(np.dot(feet - pos, axis)) + room.wall_distance_m
    along_axis = rays @ axis
    down = rays[..., 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        t_wall = np.where(along_axis > 1e-6, wall_at / along_axis, np.inf)
        t_floor = np.where(down < -1e-6, -pos[1] / down, np.inf)
    on_floor = t_floor < t_wall
    t = np.where(on_floor, t_floor, t_wall)
    hx = pos[0] + rays[..., 0] * t
    hy = pos[1] + rays[..., 1] * t
    hz = pos[2] + rays[..., 2] * t
    # Wall: brighter higher up; floor: a soft elliptic shadow around the feet.
    wall_shade = 0.9 + 0.1 * np.clip(hy / 2.5, 0.0, 1.0)
    d2 = ((hx - feet[0]) / 0.35) ** 2 + ((hz - feet[2]) / 0.25) ** 2
    floor_shade = 1.0 - room.shadow * np.exp(-np.minimum(d2, 50.0))
    shade_ = np.where(on_floor, floor_shade, wall_shade)[..., None]
    colour = np.where(on_floor[..., None], floor.astype(np.float32), wall.astype(np.float32))
    return colour * shade_


def to_uint8(image: np.ndarray) -> np.ndarray:
    """Float RGB in 0..1 to uint8 (rounded, clipped)."""
    return np.clip(np.rint(image * 255.0), 0, 255).astype(np.uint8)


def degrade(
    rgb: np.ndarray,
    *,
    blur_sigma: float = 0.0,
    noise_sigma: float = 0.0,
    jpeg_quality: int | None = None,
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, bytes | None]:
    """Blur (Gaussian, sigma in pixels), add Gaussian noise (sigma in 0..255 units) and
    compress as JPEG (quality 1..100). Returns the uint8 image and the JPEG bytes (None when
    ``jpeg_quality`` is None). The input is not modified."""
    out = rgb.astype(np.float32)
    if blur_sigma > 0:
        out = cv2.GaussianBlur(out, (0, 0), blur_sigma)
    if noise_sigma > 0:
        rng = np.random.default_rng(0) if rng is None else rng
        out = out + rng.normal(0.0, noise_sigma, out.shape).astype(np.float32)
    out = np.clip(np.rint(out), 0, 255).astype(np.uint8)
    if jpeg_quality is None:
        return out, None
    ok, buf = cv2.imencode(
        ".jpg", cv2.cvtColor(out, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, int(jpeg_quality)]
    )
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    data = buf.tobytes()
    decoded = cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    return decoded, data
