"""Hiding the face in a photo before it is shown, downloaded or put in a report.

``blur_face(rgb, landmarks) -> rgb`` pixelates and blurs an ellipse around the head found
from MediaPipe's face landmarks (nose, eyes, ears, mouth). Pixelation first removes detail
for good (a Gaussian blur alone can be partly undone); the blur then softens the blocks.
The input is never modified.
"""

from __future__ import annotations

import cv2
import numpy as np

from posture.measure.measures import mid
from posture.types import LANDMARK_NAMES, Landmarks

FACE_LANDMARKS = tuple(LANDMARK_NAMES[:11])
"""nose, eyes (inner, centre, outer), ears, mouth corners: MediaPipe's first 11 landmarks."""
HEAD_RADIUS_OF_NECK = 0.75
"""Smallest head radius as a fraction of the ear-to-shoulder distance (head half-width
≈ 9-10 cm, ear to shoulder joint ≈ 12-15 cm in adults)."""
MARGIN = 1.5
"""The ellipse reaches this many times the largest distance from the face centre to a face
landmark, so hair, chin and the far cheek are covered too."""
BLOCKS_ACROSS = 7
"""The head is reduced to about this many blocks across before it is blurred."""


def face_region(landmarks: Landmarks) -> tuple[tuple[float, float], tuple[float, float]]:
    """Centre (x, y) and half-axes (rx, ry) in pixels of the ellipse that covers the head."""
    points = np.array([landmarks.point(name) for name in FACE_LANDMARKS])
    centre = points.mean(axis=0)
    spread = float(np.max(np.hypot(*(points - centre).T)))
    neck = float(np.hypot(*(mid(landmarks, "ear") - mid(landmarks, "shoulder"))))
    radius = max(MARGIN * spread, HEAD_RADIUS_OF_NECK * neck, 4.0)
    return (float(centre[0]), float(centre[1])), (radius, 1.25 * radius)


def blur_face(rgb: np.ndarray, landmarks: Landmarks) -> np.ndarray:
    """A copy of ``rgb`` (H, W, 3 uint8) with the head region pixelated and blurred.

    ``landmarks`` must be in the pixel coordinates of ``rgb``.
    """
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"expected RGB uint8 (H, W, 3), got {rgb.dtype} {rgb.shape}")
    height, width = rgb.shape[:2]
    (cx, cy), (rx, ry) = face_region(landmarks)
    x0, x1 = int(max(0, np.floor(cx - rx))), int(min(width, np.ceil(cx + rx) + 1))
    y0, y1 = int(max(0, np.floor(cy - ry))), int(min(height, np.ceil(cy + ry) + 1))
    out = rgb.copy()
    if x1 <= x0 or y1 <= y0:
        return out  # the head lies outside the image
    patch = out[y0:y1, x0:x1]
    block = max(1, round(2 * rx / BLOCKS_ACROSS))
    small = cv2.resize(
        patch,
        (max(1, patch.shape[1] // block), max(1, patch.shape[0] // block)),
        interpolation=cv2.INTER_AREA,
    )
    hidden = cv2.resize(small, (patch.shape[1], patch.shape[0]), interpolation=cv2.INTER_NEAREST)
    kernel = 2 * (block // 2) + 1
    hidden = cv2.GaussianBlur(hidden, (kernel, kernel), 0)
    mask = np.zeros(patch.shape[:2], dtype=np.float32)
    cv2.ellipse(mask, (round(cx - x0), round(cy - y0)), (round(rx), round(ry)), 0, 0, 360, 1.0, -1)
    weight = mask[..., None]
    out[y0:y1, x0:x1] = (hidden * weight + patch * (1.0 - weight)).astype(np.uint8)
    return out
