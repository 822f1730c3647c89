"""Drawing the live readout on a (mirrored) camera frame, in place.

Built on ``posture.render.overlay``: the skeleton, plumb line, pelvis bar and lumbar curve come from
``overlay.annotate``; this module adds the live text box, the guidance banner, the frame
rate and the bar showing where the current tilt sits in the person's own range. Drawn after
mirroring, so all text reads normally.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import cv2
import numpy as np

from posture.render.overlay import REJECTED, TEXT_BG, WHITE, annotate, draw_text_box
from posture.render.wording import live_lines
from posture.types import Analysis, Measure

RANGE_BACK = (90, 140, 255)
RANGE_FORWARD = (255, 150, 60)
NEUTRAL_MARK = (60, 230, 120)
MARKER = (255, 255, 255)


def mirror(rgb: np.ndarray) -> np.ndarray:
    """A left-right flipped copy of ``rgb`` (what a mirror shows); contiguous, input untouched."""
    return cv2.flip(rgb, 1)


def draw_readout(image: np.ndarray, lines: list[str], *, right: bool) -> None:
    """The live numbers in a box at the top left (``right``: top right), away from the body."""
    scale = max(image.shape[:2]) / 800.0
    margin = int(10 * scale)
    draw_text_box(image, lines, origin=(image.shape[1] if right else margin, margin), scale=scale)


def draw_guidance(image: np.ndarray, text: str) -> None:
    """One instruction in a banner across the middle of the bottom third."""
    scale = max(image.shape[:2]) / 800.0
    font, size, weight = cv2.FONT_HERSHEY_SIMPLEX, 0.8 * scale, max(1, round(2 * scale))
    (w, h), _ = cv2.getTextSize(text, font, size, weight)
    x = max(0, (image.shape[1] - w) // 2)
    y = int(image.shape[0] * 0.72)
    pad = int(8 * scale)
    top, bottom = max(0, y - h - pad), min(image.shape[0], y + pad)
    box = image[top:bottom, max(0, x - pad) : min(image.shape[1], x + w + pad)]
    box[:] = (box * 0.3 + np.array(TEXT_BG) * 0.7).astype(np.uint8)
    cv2.putText(image, text, (x, y), font, size, REJECTED, weight, cv2.LINE_AA)


def draw_fps(image: np.ndarray, fps: float) -> None:
    """The processing frame rate, small, bottom right."""
    scale = max(image.shape[:2]) / 800.0
    text = f"{fps:4.1f} fps"
    font, size, weight = cv2.FONT_HERSHEY_SIMPLEX, 0.45 * scale, 1
    (w, h), _ = cv2.getTextSize(text, font, size, weight)
    x, y = image.shape[1] - w - int(8 * scale), image.shape[0] - int(8 * scale)
    cv2.putText(image, text, (x, y), font, size, TEXT_BG, weight + 2, cv2.LINE_AA)
    cv2.putText(image, text, (x, y), font, size, WHITE, weight, cv2.LINE_AA)


def draw_range_bar(image: np.ndarray, percent: float, neutral_percent: float) -> None:
    """A bar along the bottom: left end = maximal posterior (back), right end = maximal
    anterior (forward), a green tick at relaxed standing, a white marker at ``percent``."""
    scale = max(image.shape[:2]) / 800.0
    height, width = image.shape[:2]
    x0, x1 = int(0.15 * width), int(0.85 * width)
    y0 = height - int(34 * scale)
    y1 = y0 + int(12 * scale)
    gradient = np.linspace(RANGE_BACK, RANGE_FORWARD, x1 - x0).astype(np.uint8)  # back -> forward
    image[y0:y1, x0:x1] = gradient[None]
    nx = int(x0 + (x1 - x0) * np.clip(neutral_percent, 0, 100) / 100.0)
    cv2.line(
        image, (nx, y0 - int(4 * scale)), (nx, y1 + int(4 * scale)), NEUTRAL_MARK, max(2, round(3 * scale))
    )
    mx = int(x0 + (x1 - x0) * np.clip(percent, 0, 100) / 100.0)
    cv2.circle(image, (mx, (y0 + y1) // 2), int(9 * scale), MARKER, -1, cv2.LINE_AA)
    cv2.circle(image, (mx, (y0 + y1) // 2), int(9 * scale), TEXT_BG, max(1, round(2 * scale)), cv2.LINE_AA)
    font, size = cv2.FONT_HERSHEY_SIMPLEX, 0.45 * scale
    cv2.putText(image, "back", (x0 - int(48 * scale), y1), font, size, WHITE, 1, cv2.LINE_AA)
    cv2.putText(image, "forward", (x1 + int(6 * scale), y1), font, size, WHITE, 1, cv2.LINE_AA)


def draw_frame(
    frame: np.ndarray, analysis: Analysis, readout: Any, *, fps: float, hold_still_s: float
) -> np.ndarray:
    """The live mirror's picture: the overlay on a copy of ``frame``, the smoothed tilt's pelvis
    bar, the readout lines, the guidance, the personal range bar and the frame rate.
    ``readout`` is a ``posture.live.readout.Readout``."""
    shown = analysis
    if analysis.ok and readout.tilt_deg is not None:  # the pelvis bar at the smoothed tilt
        tilt = Measure("pelvic_tilt", readout.tilt_deg, "deg")
        shown = replace(analysis, measures={**analysis.measures, "pelvic_tilt": tilt})
    image = annotate(frame, shown, show_text=False)
    lines = live_lines(readout, hold_still_s=hold_still_s)
    body_left = analysis.landmarks is not None and (
        float(np.mean(analysis.landmarks.xy[:, 0])) < image.shape[1] / 2
    )
    draw_readout(image, lines, right=body_left)
    if readout.guidance:
        draw_guidance(image, readout.guidance)
    if readout.range_percent is not None and readout.neutral_percent is not None:
        draw_range_bar(image, readout.range_percent, readout.neutral_percent)
    draw_fps(image, fps)
    return image
