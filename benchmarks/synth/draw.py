"""Draw a posed, dressed body into a scene: the render loop of both body sources.

The single mesh (``benchmarks.synth.generate``) and the anny bodies
(``benchmarks.bodies.generate``) each pose and dress their own surface; from there the
camera, the room, the light, the colours and the degradations of ``SceneParams`` are applied
here, in one place. World frame in metres, y up, soles on y = 0; pixels x right, y down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np

from benchmarks.synth.appearance import REGIONS, Outfit, Painting, albedo_table, classify
from benchmarks.synth.camera import Camera, orbit_camera
from benchmarks.synth.render import (
    Lighting,
    Room,
    background,
    degrade,
    interpolate,
    rasterize,
    shade,
    to_uint8,
)
from benchmarks.synth.surface import vertex_normals

if TYPE_CHECKING:
    from benchmarks.synth.scene import SceneParams


@dataclass(frozen=True, eq=False)
class Dressed:
    """A body ready to draw: its ``surface`` (V, 3) in metres and ``faces`` (F, 3), the
    ``paint`` and ``outfit`` that say which region (skin, top, ...) each point shows, and
    optionally a per-vertex ``long_hair`` weight (points above 0.5 are drawn as hair)."""

    surface: np.ndarray
    faces: np.ndarray
    paint: Painting
    outfit: Outfit
    long_hair: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class Drawn:
    """One image: ``rgb`` (H, W, 3) uint8 after the degradations, ``jpeg`` the bytes that
    decode to it (None when the scene asks for no JPEG), ``mask`` (H, W) bool the figure's
    silhouette, ``camera`` the camera of the image size."""

    rgb: np.ndarray
    jpeg: bytes | None
    mask: np.ndarray
    camera: Camera


def scene_camera(scene: SceneParams, target: np.ndarray, *, supersample: int = 1) -> Camera:
    """The scene's orbit camera aimed at ``target`` (3,), for the image ``supersample`` times
    the scene's size."""
    return orbit_camera(
        target,
        facing=scene.facing,
        yaw_deg=scene.yaw_deg,
        pitch_deg=scene.pitch_deg,
        roll_deg=scene.roll_deg,
        distance_m=scene.distance_m,
        focal_mm=scene.focal_mm,
        width=scene.width * supersample,
        height=scene.height * supersample,
        shift=(scene.shift_x, scene.shift_y),
    )


def draw(
    scene: SceneParams, dressed: Dressed, *, target: np.ndarray, feet: np.ndarray, jpeg_quality: int | None
) -> Drawn:
    """Render ``dressed`` with the camera aimed at ``target`` and the room's floor under
    ``feet`` (3,), at ``scene.supersample`` times the size and averaged down, then blurred,
    noised (``scene.seed``) and JPEG-compressed at ``jpeg_quality`` (None: no JPEG)."""
    faces = dressed.faces
    normals = vertex_normals(dressed.surface, faces)
    camera = scene_camera(scene, target)
    s = scene.supersample
    big = scene_camera(scene, target, supersample=s)
    uv, depth = big.project(dressed.surface)
    fragments = rasterize(uv, depth, faces, big.width, big.height)
    side = 1.0 if scene.facing == "right" else -1.0  # mirror the light with the camera
    lighting = Lighting(
        azimuth_deg=side * scene.light_azimuth_deg,
        elevation_deg=scene.light_elevation_deg,
        diffuse=scene.light_diffuse,
        ambient=scene.light_ambient,
    )
    room = Room(
        style=scene.background,
        wall=scene.wall_rgb,
        floor=scene.floor_rgb,
        wall_distance_m=scene.wall_distance_m,
    )
    image = background(camera, room, feet=feet).astype(np.float32)
    if s > 1:  # the background is smooth: compute it small, enlarge it
        image = cv2.resize(image, (big.width, big.height), interpolation=cv2.INTER_LINEAR)
    image = image.reshape(-1, 3)
    paint = dressed.paint
    regions = classify(
        paint.group[fragments.face], interpolate(fragments, faces, paint.attributes), paint, dressed.outfit
    )
    if dressed.long_hair is not None:
        regions[interpolate(fragments, faces, dressed.long_hair) > 0.5] = REGIONS.index("hair")
    table = albedo_table(
        {
            "skin": scene.skin_rgb,
            "top": scene.top_rgb,
            "bottom": scene.bottom_rgb,
            "shoes": scene.shoes_rgb,
            "hair": scene.hair_rgb,
        }
    )
    image[fragments.pixel] = shade(fragments, faces, normals, table[regions], lighting)
    image = image.reshape(big.height, big.width, 3)
    coverage = fragments.mask().astype(np.float32)
    if s > 1:
        size = (scene.width, scene.height)
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
        coverage = cv2.resize(coverage, size, interpolation=cv2.INTER_AREA)
    rgb, jpeg = degrade(
        to_uint8(image),
        blur_sigma=scene.blur_sigma,
        noise_sigma=scene.noise_sigma,
        jpeg_quality=jpeg_quality,
        rng=np.random.default_rng(scene.seed),
    )
    return Drawn(rgb, jpeg, coverage >= 0.5, camera)


def silhouette(mask: np.ndarray) -> dict:
    """The truth of the drawn silhouette: its bounding box [x0, y0, x1, y1) in pixels (None
    when empty) and its area in pixels."""
    ys, xs = np.nonzero(mask)
    box = [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1] if len(xs) else None
    return {"silhouette_bbox_px": box, "silhouette_area_px": int(mask.sum())}


def jsonable(value):
    """``value`` with tuples as lists, numpy scalars as Python ones and floats rounded to 6
    decimals (None where not finite), for the records' JSON."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else None
    if isinstance(value, np.generic):
        return jsonable(value.item())
    return value
