"""Two photos on one canvas for comparison: alignment, the ghost overlay and the baseline.

A trainer compares two photos ("before" and "after", or two clients). To make them
comparable each photo is drawn on a canvas of the same size where

* the body has the same height (top of the head to the heels), and
* the mid-ankle point sits at the same place: one baseline row, one plumb-line column.

Optionally the second photo is mirrored so both people face the same way (the measures do
not change under mirroring, see ``posture.measure.conventions.CONVENTIONS``). Pure functions:
images are never modified, cv2 is used only for the affine warp and blending. The table of
differences is ``posture.assess.compare``.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from posture.measure.measures import skeleton
from posture.render.overlay import draw_skeleton
from posture.types import Analysis, Facing, Landmarks

BODY_HEIGHT_PX = 640
"""Body height (head top to heels) on the aligned canvas, in pixels."""
HEAD_ROOM = 0.12
FOOT_ROOM = 0.08
"""Space above the head and below the ankles, as fractions of the body height."""
CANVAS_WIDTH = 0.8
"""Canvas width as a fraction of the body height; the ankle sits in the middle."""
BACKGROUND = (235, 235, 235)
"""RGB fill where a photo does not cover the canvas."""


@dataclass(frozen=True)
class AlignedPhoto:
    """One photo warped onto the common canvas.

    Attributes
    ----------
    image : (H, W, 3) uint8 RGB canvas.
    landmarks : the pose in canvas pixels.
    scale : canvas pixels per original image pixel.
    mirrored : True when the photo was flipped left-right to face like the other one.
    facing : which way the person faces on the canvas.
    """

    image: np.ndarray
    landmarks: Landmarks
    scale: float
    mirrored: bool
    facing: Facing | None


def canvas_size(body_height_px: int = BODY_HEIGHT_PX) -> tuple[int, int]:
    """(width, height) of the aligned canvas for a given body height in pixels."""
    height = round(body_height_px * (1.0 + HEAD_ROOM + FOOT_ROOM))
    return round(body_height_px * CANVAS_WIDTH), height


def baseline(body_height_px: int = BODY_HEIGHT_PX) -> tuple[float, float]:
    """Canvas (x, y) of the mid-ankle point: the common plumb-line column and ankle row."""
    width, _ = canvas_size(body_height_px)
    return width / 2.0, body_height_px * (1.0 + HEAD_ROOM)


def align(analysis: Analysis, *, body_height_px: int = BODY_HEIGHT_PX, mirror: bool = False) -> AlignedPhoto:
    """Warp one analysed photo so its body is ``body_height_px`` tall and its mid-ankle point
    lies on the common baseline (``baseline()``).

    The body height is the head top (from the segmentation mask when there is one) to the
    lower heel, as in ``posture.measure.measures.skeleton``. Requires ``analysis.image`` and
    ``analysis.landmarks`` (a rejected photo that still has a pose can be aligned too).
    """
    if analysis.image is None or analysis.landmarks is None:
        raise ValueError("the analysis has no image or no landmarks to align")
    rgb, landmarks, mask = analysis.image, analysis.landmarks, analysis.mask
    facing = analysis.facing
    if mirror:
        rgb = rgb[:, ::-1]
        landmarks = landmarks.mirrored()
        mask = None if mask is None else mask[:, ::-1]
        if facing is not None:
            facing = Facing.LEFT if facing is Facing.RIGHT else Facing.RIGHT
    sk = skeleton(landmarks, mask)
    scale = body_height_px / sk.height
    shift = np.array(baseline(body_height_px)) - scale * sk.ankle
    matrix = np.array([[scale, 0.0, shift[0]], [0.0, scale, shift[1]]])
    size = canvas_size(body_height_px)
    image = cv2.warpAffine(
        np.ascontiguousarray(rgb),
        matrix,
        size,
        flags=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=BACKGROUND,
    )
    moved = Landmarks(
        xy=landmarks.xy * scale + shift,
        z=landmarks.z * scale,
        visibility=landmarks.visibility,
        presence=landmarks.presence,
        image_size=size,
    )
    return AlignedPhoto(image=image, landmarks=moved, scale=float(scale), mirrored=mirror, facing=facing)


def align_pair(
    first: Analysis, second: Analysis, *, body_height_px: int = BODY_HEIGHT_PX, same_facing: bool = True
) -> tuple[AlignedPhoto, AlignedPhoto]:
    """Both photos on the common canvas; with ``same_facing`` the second is mirrored when the
    two people face opposite ways."""
    mirror = (
        same_facing
        and first.facing is not None
        and second.facing is not None
        and first.facing is not second.facing
    )
    return (
        align(first, body_height_px=body_height_px),
        align(second, body_height_px=body_height_px, mirror=mirror),
    )


# --- ghost overlay -----------------------------------------------------------------------

FIRST_COLOR = (40, 150, 255)
"""Skeleton colour of the first photo (RGB blue)."""
SECOND_COLOR = (255, 120, 30)
"""Skeleton colour of the second photo (RGB orange)."""


def ghost(
    first: AlignedPhoto, second: AlignedPhoto, *, opacity: float = 0.5, skeletons: bool = True
) -> np.ndarray:
    """The second photo laid over the first at ``opacity`` (0 = first only, 1 = second only),
    with both skeletons drawn on top in ``FIRST_COLOR`` and ``SECOND_COLOR``."""
    if first.image.shape != second.image.shape:
        raise ValueError("align both photos with the same body height first")
    if not 0.0 <= opacity <= 1.0:
        raise ValueError(f"opacity must be between 0 and 1, got {opacity}")
    blended = cv2.addWeighted(first.image, 1.0 - opacity, second.image, opacity, 0.0)
    if skeletons:
        thickness = max(2, round(first.image.shape[0] / 300))
        draw_skeleton(blended, first.landmarks, color=FIRST_COLOR, thickness=thickness)
        draw_skeleton(blended, second.landmarks, color=SECOND_COLOR, thickness=thickness)
    return blended


def with_skeleton(photo: AlignedPhoto, color: tuple[int, int, int]) -> np.ndarray:
    """A copy of an aligned photo with its skeleton drawn in ``color``."""
    image = photo.image.copy()
    draw_skeleton(image, photo.landmarks, color=color, thickness=max(2, round(image.shape[0] / 300)))
    return image


def draw_baseline(
    image: np.ndarray, *, body_height_px: int = BODY_HEIGHT_PX, color: tuple[int, int, int] = (90, 90, 90)
) -> np.ndarray:
    """A copy with the common ankle row and the plumb-line column drawn (thin lines)."""
    out = image.copy()
    x, y = baseline(body_height_px)
    cv2.line(out, (0, round(y)), (out.shape[1] - 1, round(y)), color, 1, cv2.LINE_AA)
    cv2.line(out, (round(x), 0), (round(x), out.shape[0] - 1), color, 1, cv2.LINE_AA)
    return out
