"""Drawing skin stickers into pictures, for the tests and the marker benchmark.

A sticker is drawn as an anti-aliased disc (or ellipse, for one seen obliquely) by
supersampling, optionally shaded across its face, partly covered from below (a waistband)
and blurred (focus or motion), so that the detector's answer can be checked against the
exact centre it was drawn at. Same pixel convention as ``posture.image.stickers``: pixel
(row i, column j) has its centre at x = j, y = i.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

NEON_GREEN = (57, 255, 20)
NEON_PINK = (255, 16, 140)


def paint_sticker(
    rgb: np.ndarray,
    centre: tuple[float, float],
    radius_px: float,
    colour_rgb: tuple[int, int, int] = NEON_GREEN,
    *,
    aspect: float = 1.0,
    angle_degrees: float = 0.0,
    shading: float = 0.0,
    cover_below: float | None = None,
    blur_px: float = 0.0,
    supersample: int = 8,
) -> np.ndarray:
    """A copy of ``rgb`` (uint8 RGB) with one sticker drawn at ``centre``.

    ``aspect`` < 1 squashes the disc along the axis at ``angle_degrees`` (an oblique view);
    ``shading`` 0..1 darkens it linearly from its top-left to its bottom-right edge by up to
    that share; ``cover_below`` hides everything below that y (pixels) where the sticker was
    (the original picture shows there); ``blur_px`` is the Gaussian sigma of a blur applied to
    the sticker and its edge only.
    """
    out = rgb.astype(np.float32)
    reach = int(math.ceil(radius_px + 3 * blur_px)) + 3
    height, width = rgb.shape[:2]
    x0, x1 = max(0, int(centre[0]) - reach), min(width, int(centre[0]) + reach + 1)
    y0, y1 = max(0, int(centre[1]) - reach), min(height, int(centre[1]) + reach + 1)
    s = supersample
    offsets = (np.arange(s) + 0.5) / s - 0.5
    ys = (np.arange(y0, y1)[:, None] + offsets[None, :]).reshape(-1)
    xs = (np.arange(x0, x1)[:, None] + offsets[None, :]).reshape(-1)
    gx, gy = np.meshgrid(xs - centre[0], ys - centre[1])
    theta = math.radians(angle_degrees)
    u = gx * math.cos(theta) + gy * math.sin(theta)
    v = -gx * math.sin(theta) + gy * math.cos(theta)
    inside = (u / (radius_px * aspect)) ** 2 + (v / radius_px) ** 2 <= 1.0
    shade = 1.0 - shading * np.clip((gx + gy) / (2 * math.sqrt(2) * radius_px) + 0.5, 0.0, 1.0)
    h, w = y1 - y0, x1 - x0
    coverage = inside.reshape(h, s, w, s).mean(axis=(1, 3)).astype(np.float32)
    shade_px = shade.reshape(h, s, w, s).mean(axis=(1, 3)).astype(np.float32)
    if blur_px > 0:
        coverage = cv2.GaussianBlur(coverage, (0, 0), blur_px)
    if cover_below is not None:
        rows = np.arange(y0, y1, dtype=np.float32)[:, None]
        coverage = coverage * np.clip(cover_below - rows + 0.5, 0.0, 1.0)
    colour = np.asarray(colour_rgb, dtype=np.float32)[None, None, :] * shade_px[..., None]
    patch = out[y0:y1, x0:x1]
    out[y0:y1, x0:x1] = patch * (1 - coverage[..., None]) + colour * coverage[..., None]
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


def jpeg(rgb: np.ndarray, quality: int = 75) -> np.ndarray:
    """``rgb`` after a round trip through JPEG at ``quality``."""
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
