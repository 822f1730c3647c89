"""Speed of the live mirror's per-frame pipeline at 640×480 with the lite model.

    python -m benchmarks.live_speed [--frames 300] [--video clip.mp4]

For each frame, as the Streamlit page's callback does it: convert the decoded camera frame
(an ``av.VideoFrame`` in yuv420p) to RGB, ``LiveSession.process`` it (mirror, VIDEO-mode
detect with the segmentation mask, checks and measures, smoothing and bookkeeping, drawing)
and convert the drawn frame back to an ``av.VideoFrame``. Frames are fed back to back on one
thread, so frames per second = 1 / mean latency. Also timed: a bare ``detect_video`` on the
same frames (the floor set by MediaPipe).

Frames: the synthetic clip of ``benchmarks.live_video`` (a figure side-on, tilting its
pelvis, fresh sensor noise per frame) or, with ``--video``, any clip OpenCV can read, scaled
to 640×480. Prints a table and writes ``benchmarks/results/live_speed.json``. The machine's
load average is recorded too: on a shared 2-core machine other work slows every stage.
Targets (issue 5): at least 30 frames a second, 95th-percentile latency under 40 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results" / "live_speed.json"
"""Beside it, ``live_speed.md`` holds the same figures as a table."""
TARGET_FPS = 30.0
TARGET_P95_MS = 40.0
STAGES = ("convert", "mirror", "detect", "measure", "live", "draw", "total")


def synthetic_frames(count: int) -> list[np.ndarray]:
    from benchmarks.live_video import RANGE_CLIP, frames, render_segments

    images = render_segments(RANGE_CLIP)
    clip = list(frames(RANGE_CLIP, images, fps=15))
    return [clip[i % len(clip)] for i in range(count)]


def video_frames(path: Path, count: int) -> list[np.ndarray]:
    import cv2

    capture = cv2.VideoCapture(str(path))
    found = []
    while len(found) < count:
        ok, bgr = capture.read()
        if not ok:
            if not found:
                raise SystemExit(f"could not read frames from {path}")
            capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            continue
        found.append(
            cv2.cvtColor(cv2.resize(bgr, (640, 480), interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2RGB)
        )
    return found


def run(rgb_frames: list[np.ndarray], *, warmup: int = 20, frame_ms: float = 1000 / 30) -> dict:
    import av

    from posture.live.session import LiveSession
    from posture.pose import PoseEstimator

    # The camera's frames arrive decoded as yuv420p, like a WebRTC track's.
    decoded = [av.VideoFrame.from_ndarray(f, format="rgb24").reformat(format="yuv420p") for f in rgb_frames]
    rows: list[dict[str, float]] = []
    measured = 0
    with PoseEstimator("lite", video=True) as estimator:
        session = LiveSession(estimator)
        for i, frame in enumerate(decoded):
            started = time.perf_counter()
            rgb = frame.to_ndarray(format="rgb24")
            converted = time.perf_counter()
            out = session.process(rgb, i * frame_ms)
            processed = time.perf_counter()
            av.VideoFrame.from_ndarray(out, format="rgb24")
            done = time.perf_counter()
            readout = session.snapshot()
            measured += readout.measured
            timings = dict(readout.timings_ms)
            timings["convert"] = ((converted - started) + (done - processed)) * 1000.0
            timings["total"] = (done - started) * 1000.0
            if i >= warmup:
                rows.append(timings)
    with PoseEstimator("lite", video=True) as estimator:
        bare = []
        for i, frame in enumerate(rgb_frames):
            started = time.perf_counter()
            estimator.detect_video(frame, int(i * frame_ms))
            if i >= warmup:
                bare.append((time.perf_counter() - started) * 1000.0)
    stages = {name: _stats([r.get(name, 0.0) for r in rows]) for name in STAGES}
    total = stages["total"]
    return {
        "frames": len(rows),
        "warmup": warmup,
        "size": [640, 480],
        "model": "pose_landmarker_lite.task",
        "fps": round(1000.0 / total["mean"], 1),
        "p50_ms": total["p50"],
        "p95_ms": total["p95"],
        "stages_ms": stages,
        "bare_detect_ms": _stats(bare),
        "measured_share": round(measured / len(decoded), 3),
        "targets": {"fps": TARGET_FPS, "p95_ms": TARGET_P95_MS},
        "meets_targets": bool(1000.0 / total["mean"] >= TARGET_FPS and total["p95"] < TARGET_P95_MS),
    }


def _stats(values: list[float]) -> dict[str, float]:
    a = np.asarray(values, dtype=float)
    return {
        "mean": round(float(a.mean()), 2),
        "p50": round(float(np.percentile(a, 50)), 2),
        "p95": round(float(np.percentile(a, 95)), 2),
        "max": round(float(a.max()), 2),
    }


def table(result: dict) -> str:
    lines = ["| stage | mean ms | p50 ms | p95 ms |", "| --- | ---: | ---: | ---: |"]
    labels = {
        "convert": "convert (av <-> RGB)",
        "mirror": "mirror (flip)",
        "detect": "detect (lite, VIDEO, mask)",
        "measure": "checks + measures",
        "live": "smoothing, guidance, buffer",
        "draw": "draw overlay + readout",
        "total": "**whole frame**",
    }
    for name in STAGES:
        s = result["stages_ms"][name]
        lines.append(f"| {labels[name]} | {s['mean']:.1f} | {s['p50']:.1f} | {s['p95']:.1f} |")
    b = result["bare_detect_ms"]
    lines.append(f"| bare detect_video (reference) | {b['mean']:.1f} | {b['p50']:.1f} | {b['p95']:.1f} |")
    lines.append("")
    verdict = "meets" if result["meets_targets"] else "MISSES"
    lines.append(
        f"{result['frames']} frames at 640×480: {result['fps']:.1f} frames/s, latency "
        f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms — {verdict} the targets "
        f"(≥ {TARGET_FPS:.0f} fps, p95 < {TARGET_P95_MS:.0f} ms). Load average "
        f"{result['load_before'][0]:.2f} before, {result['load_after'][0]:.2f} after."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=300, help="frames timed (after 20 of warm-up)")
    parser.add_argument("--video", type=Path, help="a clip to use instead of the synthetic one")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    count = args.frames + 20
    frames = video_frames(args.video, count) if args.video else synthetic_frames(count)
    load_before = os.getloadavg()
    result = run(frames)
    result.update(
        source=str(args.video) if args.video else "synthetic range clip (benchmarks.live_video)",
        load_before=[round(v, 2) for v in load_before],
        load_after=[round(v, 2) for v in os.getloadavg()],
        cpus=os.cpu_count(),
        machine=platform.machine(),
        python=platform.python_version(),
        date=time.strftime("%Y-%m-%d %H:%M"),
    )
    text = table(result)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    args.out.with_suffix(".md").write_text(
        "# Live mirror speed\n\n"
        f"Per-frame pipeline of the live mirror at 640×480, lite model, {result['cpus']} cores, "
        f"{result['date']}; frames: {result['source']}. Regenerate with "
        "`python -m benchmarks.live_speed` (or `make bench`).\n\n" + text + "\n"
    )
    print(f"saved {args.out} and {args.out.with_suffix('.md').name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
