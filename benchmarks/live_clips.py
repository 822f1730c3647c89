"""The camera clips of the live-mirror benchmark (``benchmarks.live_browser``) and of its
browser tests, as y4m files Chromium's fake camera plays: the range clip of the synthetic
figure (``benchmarks.live_video``), a real photo held still, that photo with two stickers
pasted at two tilts, and an empty room. Sensor noise is fresh on every frame.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

FPS = 30
STICKER_TILTS = (4.0, 14.0)
"""The sticker clip's two lines (degrees, anterior positive), 4 s each."""


def range_clip(path: Path, fps: int = FPS) -> tuple[float, ...]:
    """The range clip at ``fps``; returns each segment's length in seconds."""
    from benchmarks.live_video import RANGE_CLIP, write_range_clip

    write_range_clip(path, fps=fps)
    return tuple(s.seconds for s in RANGE_CLIP)


def photo_frame(photo: Path, width: int = 640, height: int = 480) -> np.ndarray:
    """``photo`` scaled to 95 % of the frame height, centred on its own border colour."""
    from PIL import Image

    image = Image.open(photo).convert("RGB")
    scale = 0.95 * height / image.height
    image = image.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS)
    rgb = np.asarray(image)
    border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]]).mean(axis=0)
    frame = np.empty((height, width, 3), np.uint8)
    frame[:] = border.astype(np.uint8)
    y, x = (height - rgb.shape[0]) // 2, (width - rgb.shape[1]) // 2
    frame[y : y + rgb.shape[0], x : x + rgb.shape[1]] = rgb
    return frame


def still_clip(path: Path, image: np.ndarray, seconds: float = 10.0, fps: int = FPS, seed: int = 0) -> int:
    """``image`` held still for ``seconds`` with fresh sensor noise per frame, as y4m."""
    from benchmarks.live_video import Segment, frames
    from benchmarks.synth.video import write_y4m

    return write_y4m(path, frames((Segment(0.0, seconds),), [image], fps=fps, seed=seed), fps=fps)


def sticker_frames(image: np.ndarray, tilts: tuple[float, ...], *, diameter_mm: float = 25.0):
    """``image`` (a side view) with two stickers pasted where an ASIS and a PSIS would be, once
    per tilt (degrees, anterior positive), and the pasted centres: [(frame, asis, psis)].

    The places come from the full model's landmarks on ``image``: the stickers are 150 mm apart
    at the body's scale (a 1.7 m person), their midpoint 7% of the stature above the hip
    landmark (as tests/test_marker_photos.py pastes them), neon pink, ``diameter_mm`` across.
    """
    import math

    from posture.analyze import analyze
    from posture.image.sticker_art import NEON_PINK, paint_sticker
    from posture.measure import markers
    from posture.pose import PoseEstimator

    with PoseEstimator("full") as estimator:
        result = analyze(image, estimator)
    if not result.ok:
        raise ValueError(f"the side view was not accepted: {result.rejection}")
    region = markers.search_region(result.landmarks, result.facing, result.mask)
    stature, (hx, hy) = region.stature_px, region.hip
    half, radius = 75.0 * stature / 1700, diameter_mm / 2 * stature / 1700
    out = []
    for tilt in tilts:
        dx = result.facing.sign * half * math.cos(math.radians(tilt))
        dy = half * math.sin(math.radians(tilt))
        mid = (hx, hy - 0.07 * stature)
        asis, psis = (mid[0] + dx, mid[1] + dy), (mid[0] - dx, mid[1] - dy)
        frame = paint_sticker(
            paint_sticker(image, asis, radius, NEON_PINK, blur_px=0.5), psis, radius, NEON_PINK, blur_px=0.5
        )
        out.append((frame, asis, psis))
    return out


def sticker_clip(
    path: Path, image: np.ndarray, tilts: tuple[float, ...], seconds_each: float = 4.0, fps: int = FPS
) -> int:
    """A y4m clip of ``image`` with stickers at each of ``tilts`` in turn (``sticker_frames``),
    ``seconds_each`` per tilt, fresh sensor noise per frame."""
    from benchmarks.live_video import Segment, frames
    from benchmarks.synth.video import write_y4m

    images = [frame for frame, _, _ in sticker_frames(image, tilts)]
    segments = tuple(Segment(0.0, seconds_each) for _ in images)
    return write_y4m(path, frames(segments, images, fps=fps), fps=fps)


def empty_clip(path: Path, seconds: float = 4.0, fps: int = 15) -> int:
    """A room with nobody in it (a plain wall and floor, sensor noise): the 'no person' clip."""
    image = np.empty((480, 640, 3), np.uint8)
    image[:320] = (196, 192, 184)
    image[320:] = (128, 108, 92)
    return still_clip(path, image, seconds=seconds, fps=fps)
