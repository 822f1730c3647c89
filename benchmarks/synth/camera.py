"""A pinhole camera orbiting the standing figure.

Camera frame as in OpenCV: x to the image right, y down, z along the optical axis. Pixel
(u, v) has its centre at (u + 0.5, v + 0.5); v grows downward.

``orbit_camera`` places the camera by angles around a target point (the middle of the body):

* ``facing="right"``: the person's front (+x) is at the image's right; the camera is on the
  body's right side (+z) looking along -z. ``facing="left"``: on the left side, looking
  along +z, the front at the image's left. With the same other parameters, the two views
  of a left-right symmetric pose are mirror images.
* ``yaw_deg``: rotation of the camera position about the vertical through the target;
  positive moves the camera toward the person's front (more of the chest is seen) for both
  facings.
* ``pitch_deg``: positive looks up at the target from below, negative looks down from above.
* ``roll_deg``: rotation about the optical axis; positive turns the picture's content
  toward the person's front (a plumb line through the body appears to lean forward):
  clockwise for ``facing="right"``, counter-clockwise for ``facing="left"``.
* ``focal_mm``: 35 mm-equivalent focal length (on the 43.27 mm diagonal).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FULL_FRAME_DIAGONAL_MM = 43.27


@dataclass(frozen=True)
class Camera:
    """``rotation`` (3, 3) world-to-camera, ``position`` (3,) world, pixel intrinsics."""

    rotation: np.ndarray
    position: np.ndarray
    focal_px: float
    cx: float
    cy: float
    width: int
    height: int

    def to_camera(self, points: np.ndarray) -> np.ndarray:
        """World points (N, 3) in the camera frame (N, 3)."""
        return (np.asarray(points, float) - self.position) @ self.rotation.T

    def project(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pixel coordinates (N, 2) (x right, y down) and depth along the axis (N,) in metres."""
        cam = self.to_camera(points)
        z = cam[:, 2]
        uv = self.focal_px * cam[:, :2] / z[:, None] + np.array([self.cx, self.cy])
        return uv, z

    def pixel_rays(self) -> np.ndarray:
        """Unit world-frame ray directions (H, W, 3) float32 through every pixel centre."""
        u = ((np.arange(self.width) + 0.5 - self.cx) / self.focal_px).astype(np.float32)
        v = ((np.arange(self.height) + 0.5 - self.cy) / self.focal_px).astype(np.float32)
        r = self.rotation.astype(np.float32)  # camera -> world is r.T (orthonormal)
        d = u[None, :, None] * r[0] + v[:, None, None] * r[1] + r[2]
        return d / np.sqrt((d * d).sum(axis=-1, keepdims=True))


def focal_px(focal_mm: float, width: int, height: int) -> float:
    """Pixel focal length of a 35 mm-equivalent focal length for a W x H image."""
    return focal_mm * float(np.hypot(width, height)) / FULL_FRAME_DIAGONAL_MM


def orbit_camera(
    target,
    *,
    facing: str = "right",
    yaw_deg: float = 0.0,
    pitch_deg: float = 0.0,
    roll_deg: float = 0.0,
    distance_m: float = 3.0,
    focal_mm: float = 28.0,
    width: int = 720,
    height: int = 1280,
    shift=(0.0, 0.0),
) -> Camera:
    """A camera ``distance_m`` from ``target`` (3,) looking at it. See the module docstring.

    ``shift`` moves the principal point by fractions of the image width and height, which
    moves the target off the image centre (positive: target right of / below the centre).
    """
    if facing not in ("left", "right"):
        raise ValueError(f"facing must be 'left' or 'right', got {facing!r}")
    side = 1.0 if facing == "right" else -1.0
    yaw, pitch = np.radians(yaw_deg), np.radians(pitch_deg)
    horizontal = np.array([np.sin(yaw), 0.0, side * np.cos(yaw)])
    offset = np.cos(pitch) * horizontal - np.array([0.0, np.sin(pitch), 0.0])
    position = np.asarray(target, float) + distance_m * offset
    forward = -offset
    right = np.cross(forward, [0.0, 1.0, 0.0])
    right /= np.linalg.norm(right)
    down = np.cross(forward, right)
    rotation = np.stack([right, down, forward])
    roll = np.radians(-side * roll_deg)
    c, s = np.cos(roll), np.sin(roll)
    rotation = np.array([[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]]) @ rotation
    return Camera(
        rotation=rotation,
        position=position,
        focal_px=focal_px(focal_mm, width, height),
        cx=width * (0.5 + shift[0]),
        cy=height * (0.5 + shift[1]),
        width=width,
        height=height,
    )
