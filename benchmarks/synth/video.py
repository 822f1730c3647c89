"""A short y4m clip of the figure in side view slowly tilting its pelvis forward and back.

For a browser test of the webcam page with Chromium's fake camera::

    python -m benchmarks.synth.video --out artifacts/tilt.y4m --seconds 8 --fps 15
    chromium --use-fake-device-for-media-stream --use-file-for-fake-video-capture=artifacts/tilt.y4m

The clip is raw YUV4MPEG2 (4:2:0, ``C420jpeg``), 640 x 480 by default. The pelvic tilt
follows ``amplitude_deg * sin(2 pi t / period_s)`` around the mesh's neutral, in the
compensated mode (thighs and upper trunk still, the lumbar curve follows). Beside the clip,
``<name>.json`` lists per frame the time and the truth angles (``benchmarks.synth.truth``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

import cv2
import numpy as np

from benchmarks.synth.camera import focal_px
from benchmarks.synth.generate import SceneParams, render_scene

TRUTH_KEYS = (
    "pelvis_tilt_change_deg",
    "pelvic_tilt_deg",
    "pelvic_tilt_skin_deg",
    "lumbar_chain_deg",
    "lumbar_flexicurve_deg",
)


def clip_params(
    *, width: int = 640, height: int = 480, facing: str = "right", frame_fill: float = 0.85, **overrides
) -> SceneParams:
    """A plain indoor scene for the clip: the body ``frame_fill`` of the frame height."""
    base = SceneParams(
        width=width,
        height=height,
        facing=facing,
        focal_mm=30.0,
        height_m=1.75,
        jpeg_quality=None,
        supersample=2,
        noise_sigma=1.5,
        seed=0,
        **overrides,
    )
    distance = focal_px(base.focal_mm, width, height) * base.height_m / (frame_fill * height)
    return dataclasses.replace(base, distance_m=round(float(distance), 4))


def tilt_frames(
    params: SceneParams,
    *,
    seconds: float = 8.0,
    fps: int = 15,
    amplitude_deg: float = 12.0,
    period_s: float = 4.0,
):
    """Yield ``(rgb, record)`` per frame; ``record`` has the time and the truth angles."""
    for i in range(int(round(seconds * fps))):
        t = i / fps
        tilt = amplitude_deg * float(np.sin(2.0 * np.pi * t / period_s))
        frame_params = dataclasses.replace(params, pelvis_tilt_deg=round(tilt, 4), seed=i)
        rgb, truth = render_scene(frame_params)
        yield rgb, {"frame": i, "time_s": round(t, 4), **{k: round(float(truth[k]), 4) for k in TRUTH_KEYS}}


def write_y4m(path: str | Path, frames, fps: int) -> int:
    """Write RGB uint8 frames (an iterable of (H, W, 3), even W and H) as YUV4MPEG2 4:2:0.

    Returns the number of frames written.
    """
    count = 0
    with open(path, "wb") as out:
        for rgb in frames:
            h, w = rgb.shape[:2]
            if count == 0:
                if w % 2 or h % 2:
                    raise ValueError("y4m 4:2:0 needs an even width and height")
                out.write(f"YUV4MPEG2 W{w} H{h} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
            out.write(b"FRAME\n")
            out.write(cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2YUV_I420).tobytes())
            count += 1
    return count


def write_tilt_clip(
    path: str | Path,
    *,
    seconds: float = 8.0,
    fps: int = 15,
    amplitude_deg: float = 12.0,
    period_s: float = 4.0,
    params: SceneParams | None = None,
) -> list[dict]:
    """Render the clip to ``path`` (.y4m) and its truth to ``path`` with suffix .json."""
    path = Path(path)
    params = clip_params() if params is None else params
    records: list[dict] = []

    def frames():
        for rgb, record in tilt_frames(
            params, seconds=seconds, fps=fps, amplitude_deg=amplitude_deg, period_s=period_s
        ):
            records.append(record)
            yield rgb

    write_y4m(path, frames(), fps)
    path.with_suffix(".json").write_text(
        json.dumps({"fps": fps, "params": params.to_json(), "frames": records}, indent=1)
    )
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="the .y4m file to write")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--fps", type=int, default=15)
    parser.add_argument("--amplitude", type=float, default=12.0, help="tilt amplitude, degrees")
    parser.add_argument("--period", type=float, default=4.0, help="seconds per tilt cycle")
    parser.add_argument("--facing", choices=("left", "right"), default="right")
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=480)
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    params = clip_params(width=args.width, height=args.height, facing=args.facing)
    records = write_tilt_clip(
        args.out,
        seconds=args.seconds,
        fps=args.fps,
        amplitude_deg=args.amplitude,
        period_s=args.period,
        params=params,
    )
    print(f"wrote {len(records)} frames to {args.out} and {args.out.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
