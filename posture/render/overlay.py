"""Drawing the result on a copy of the photo: skeleton, plumb line, pelvis and lumbar marks, numbers.

``annotate(rgb, analysis) -> rgb`` never modifies its input. Line widths and text scale with
the image so the drawing reads on a 300-pixel thumbnail and on a 4000-pixel photo alike.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from posture.measure.measures import Skeleton, mid, skeleton
from posture.render.wording import overlay_lines
from posture.types import Analysis, Landmarks

# RGB colours
SKELETON = (80, 200, 255)
PLUMB = (255, 215, 0)
LUMBAR = (255, 80, 200)
PELVIS = (60, 230, 120)
TEXT_BG = (20, 20, 20)
WHITE = (255, 255, 255)
REJECTED = (255, 90, 70)

BONES = [
    ("shoulder", "hip"),
    ("hip", "knee"),
    ("knee", "ankle"),
    ("ankle", "heel"),
    ("heel", "foot_index"),
    ("ankle", "foot_index"),
    ("shoulder", "elbow"),
    ("elbow", "wrist"),
]


def _scale(rgb: np.ndarray) -> float:
    return max(rgb.shape[:2]) / 800.0


def _pt(p: np.ndarray | tuple[float, float]) -> tuple[int, int]:
    return int(round(float(p[0]))), int(round(float(p[1])))


def draw_skeleton(image: np.ndarray, landmarks: Landmarks, *, color=SKELETON, thickness: int = 2) -> None:
    """Both sides' limbs; the side nearer the camera (more visible) drawn solid."""
    for side in ("left", "right"):
        vis = np.mean([landmarks.vis(f"{side}_{p}") for p in ("shoulder", "hip", "knee", "ankle")])
        shade = color if vis >= 0.6 else tuple(int(c * 0.55) for c in color)
        for a, b in BONES:
            cv2.line(
                image,
                _pt(landmarks.point(f"{side}_{a}")),
                _pt(landmarks.point(f"{side}_{b}")),
                shade,
                thickness,
                cv2.LINE_AA,
            )
    cv2.line(
        image, _pt(mid(landmarks, "ear")), _pt(mid(landmarks, "shoulder")), color, thickness, cv2.LINE_AA
    )
    for name in ("ear", "shoulder", "hip", "knee", "ankle"):
        cv2.circle(image, _pt(mid(landmarks, name)), thickness + 2, WHITE, -1, cv2.LINE_AA)


def draw_text_box(
    image: np.ndarray, lines: list[str], *, origin: tuple[int, int], scale: float, color=WHITE
) -> None:
    """Lines of text on a dark box drawn into ``image`` (kept inside it): for live video,
    where the frame size must not change."""
    font, size, weight = cv2.FONT_HERSHEY_SIMPLEX, 0.55 * scale, max(1, round(1.3 * scale))
    sizes = [cv2.getTextSize(t, font, size, weight)[0] for t in lines]
    width = max(w for w, _ in sizes) + int(12 * scale)
    step = max(h for _, h in sizes) + int(10 * scale)
    height = step * len(lines) + int(8 * scale)
    x = int(np.clip(origin[0], 0, max(0, image.shape[1] - width)))
    y = int(np.clip(origin[1], 0, max(0, image.shape[0] - height)))
    box = image[y : y + height, x : x + width]
    box[:] = (box * 0.35 + np.array(TEXT_BG) * 0.65).astype(np.uint8)
    for i, text in enumerate(lines):
        cv2.putText(
            image, text, (x + int(6 * scale), y + step * (i + 1)), font, size, color, weight, cv2.LINE_AA
        )


def text_panel(lines: list[str], *, width: int, color=WHITE) -> np.ndarray:
    """A dark strip ``width`` pixels wide with the lines of text, to put under a photo.

    Text size follows the width, so the numbers read alike on a thumbnail and a large photo.
    """
    font = cv2.FONT_HERSHEY_SIMPLEX
    size = max(0.4, width / 900.0)
    weight = max(1, round(size * 1.8))
    step = cv2.getTextSize("Ag", font, size, weight)[0][1] + int(12 * size)
    while size > 0.3 and max(cv2.getTextSize(t, font, size, weight)[0][0] for t in lines) > width - 16:
        size *= 0.9
    panel = np.full((step * len(lines) + int(14 * size) + 6, width, 3), TEXT_BG, dtype=np.uint8)
    for i, text in enumerate(lines):
        cv2.putText(panel, text, (8, step * (i + 1)), font, size, color, weight, cv2.LINE_AA)
    return panel


def annotate(rgb: np.ndarray, analysis: Analysis, *, show_text: bool = True) -> np.ndarray:
    """An annotated copy of ``rgb`` (the image the analysis was made on).

    The drawing is on the photo; with ``show_text`` the numbers are in a panel added below it
    (so they never cover the body), and the result is taller than ``rgb``.
    """
    image = np.ascontiguousarray(rgb.copy())
    scale = _scale(image)
    thickness = max(1, round(2 * scale))
    landmarks = analysis.landmarks
    if landmarks is not None:
        draw_skeleton(image, landmarks, thickness=thickness)
    if not analysis.ok:
        if show_text and analysis.rejection:
            lines = overlay_lines(analysis)
            return np.vstack([image, text_panel(lines, width=image.shape[1], color=REJECTED)])
        return image
    sk = skeleton(landmarks, analysis.mask)
    _draw_plumb_line(image, sk.ankle, thickness)
    if analysis.contour is not None:
        _draw_lumbar(image, analysis, thickness)
    if analysis.markers is not None and analysis.markers.found:
        _draw_stickers(image, analysis, thickness)
    elif analysis.contour is not None:
        _draw_pelvis(image, analysis, sk, thickness)
    if show_text:
        return np.vstack([image, text_panel(overlay_lines(analysis), width=image.shape[1])])
    return image


def _draw_plumb_line(image: np.ndarray, ankle: np.ndarray, thickness: int) -> None:
    x = int(round(float(ankle[0])))
    for y in range(0, image.shape[0], 12 * thickness):  # dashed vertical through the ankle
        cv2.line(
            image, (x, y), (x, min(image.shape[0] - 1, y + 6 * thickness)), PLUMB, thickness, cv2.LINE_AA
        )


def _draw_lumbar(image: np.ndarray, analysis: Analysis, thickness: int) -> None:
    contour = analysis.contour
    points = np.round(contour.points).astype(np.int32).reshape(-1, 1, 2)
    cv2.polylines(image, [points], False, LUMBAR, thickness + 1, cv2.LINE_AA)
    cv2.line(image, _pt(contour.top), _pt(contour.bottom), LUMBAR, max(1, thickness - 1), cv2.LINE_AA)
    cv2.circle(image, _pt(contour.apex), thickness + 3, LUMBAR, -1, cv2.LINE_AA)


def _draw_pelvis(image: np.ndarray, analysis: Analysis, sk: Skeleton, thickness: int) -> None:
    """A bar through the hip joint at the estimated tilt: level = 0°, front end lower = anterior."""
    tilt = analysis.measure("pelvic_tilt")
    if tilt is None:
        return
    half = 0.22 * abs(sk.hip[1] - sk.shoulder[1])
    f = analysis.facing.sign
    angle = math.radians(tilt)
    front = sk.hip + np.array([f * half * math.cos(angle), half * math.sin(angle)])
    back = sk.hip - np.array([f * half * math.cos(angle), half * math.sin(angle)])
    cv2.line(image, _pt(back), _pt(front), PELVIS, thickness + 2, cv2.LINE_AA)
    cv2.circle(image, _pt(front), thickness + 3, PELVIS, -1, cv2.LINE_AA)


def _draw_stickers(image: np.ndarray, analysis: Analysis, thickness: int) -> None:
    """The two stickers circled and the PSIS->ASIS line the tilt is measured on, extended a
    little either way so that its slope can be seen."""
    reading = analysis.markers
    asis, psis = np.array(reading.asis.centre), np.array(reading.psis.centre)
    along = asis - psis
    cv2.line(image, _pt(psis - 0.25 * along), _pt(asis + 0.25 * along), PELVIS, thickness + 1, cv2.LINE_AA)
    for sticker in (reading.asis, reading.psis):
        radius = int(round(sticker.radius_px * 1.8)) + thickness
        cv2.circle(image, _pt(sticker.centre), radius, WHITE, thickness + 2, cv2.LINE_AA)
        cv2.circle(image, _pt(sticker.centre), radius, PELVIS, thickness, cv2.LINE_AA)
