"""A synthetic camera clip for the live mirror: one figure, side-on, tilting its pelvis.

Renders a few still poses with the synthetic figure (``benchmarks.synth``) at webcam size and
strings them into a clip with fresh sensor noise on every frame (so consecutive frames are
not identical, as with a real camera), written as the YUV4MPEG2 file Chromium's fake camera
reads (``--use-file-for-fake-video-capture``; ``benchmarks.synth.video.write_y4m``, no ffmpeg).
Unlike ``benchmarks.synth.video`` (a slow sinusoidal tilt, every frame rendered), the poses are
held still, which is what the range test and the capture need, and only three are rendered.

    python -m benchmarks.live_video --out /tmp/live.y4m

The default clip (``RANGE_CLIP``) holds relaxed standing, then the pelvis tipped fully
forward, then fully back, ``SEGMENT_S`` seconds each: what the range test asks for. Chromium
loops the file.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from benchmarks.synth.video import write_y4m

WIDTH, HEIGHT = 640, 480
FPS = 15
SEGMENT_S = 7.5
"""A little longer than one range-test step (3 s to get ready + 3 s held): a test started
between 1.2 s before and 2.7 s after the relaxed segment begins records each position mostly
(more than 60 %) inside its own segment, so each median is that segment's tilt."""
NOISE_SIGMA = 2.0
"""Sensor noise added per frame, in 0..255 units (a webcam in good light)."""


@dataclass(frozen=True)
class Segment:
    """``seconds`` of one still pose: the synthetic figure's pelvis tilt change (degrees,
    anterior positive) and any other ``SceneParams`` overrides (e.g. ``yaw_deg``)."""

    pelvis_tilt_deg: float
    seconds: float
    overrides: tuple[tuple[str, object], ...] = ()


RANGE_CLIP: tuple[Segment, ...] = (
    Segment(0.0, SEGMENT_S),  # relaxed
    Segment(15.0, SEGMENT_S),  # fully forward
    Segment(-12.0, SEGMENT_S),  # fully back
)


def base_params(*, width: int = WIDTH, height: int = HEIGHT, facing: str = "right"):
    """Scene of a person about 2.4 m from a laptop camera, whole body in a 640×480 picture."""
    from benchmarks.synth.generate import SceneParams

    return SceneParams(
        width=width,
        height=height,
        facing=facing,
        distance_m=2.4,
        focal_mm=28.0,
        supersample=2,
        jpeg_quality=None,
        noise_sigma=0.0,
    )


def render_segments(
    segments: tuple[Segment, ...], *, facing: str = "right", width: int = WIDTH, height: int = HEIGHT
) -> list[np.ndarray]:
    """One clean RGB uint8 (H, W, 3) image per segment (equal poses rendered once)."""
    from benchmarks.synth.generate import render_scene

    base = base_params(width=width, height=height, facing=facing)
    cache: dict[tuple, np.ndarray] = {}
    images = []
    for segment in segments:
        key = (segment.pelvis_tilt_deg, segment.overrides)
        if key not in cache:
            params = replace(base, pelvis_tilt_deg=segment.pelvis_tilt_deg, **dict(segment.overrides))
            cache[key], _ = render_scene(params)
        images.append(cache[key])
    return images


def frames(
    segments: tuple[Segment, ...],
    images: list[np.ndarray],
    *,
    fps: int = FPS,
    noise_sigma: float = NOISE_SIGMA,
    seed: int = 0,
) -> Iterator[np.ndarray]:
    """The clip's RGB frames: each segment's image for its duration, fresh noise per frame."""
    rng = np.random.default_rng(seed)
    for segment, image in zip(segments, images):
        for _ in range(max(1, round(segment.seconds * fps))):
            if noise_sigma > 0:
                noise = rng.normal(0.0, noise_sigma, image.shape).astype(np.float32)
                yield np.clip(image.astype(np.float32) + noise, 0, 255).astype(np.uint8)
            else:
                yield image


def write_range_clip(path: Path, *, fps: int = FPS, facing: str = "right", seed: int = 0) -> int:
    """The default clip (relaxed, forward, back) as a y4m file; returns the frame count."""
    images = render_segments(RANGE_CLIP, facing=facing)
    return write_y4m(path, frames(RANGE_CLIP, images, fps=fps, seed=seed), fps=fps)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="the .y4m file to write")
    parser.add_argument("--fps", type=int, default=FPS)
    parser.add_argument("--facing", choices=["left", "right"], default="right")
    args = parser.parse_args(argv)
    count = write_range_clip(args.out, fps=args.fps, facing=args.facing)
    print(f"wrote {count} frames to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
