"""Speed benchmark: per-stage time of the photo analysis at 0.3, 3 and 12 megapixels.

    python -m benchmarks.speed [--repeats 15]

Photos are synthetic side views rendered at each size (so they hold a person and take the full
path), encoded as JPEG q90 in memory. Reports decode, detect, measure and draw times, file to
result, a bare ``PoseLandmarker.detect`` on the same decoded image and the overhead ratio,
model load times and peak memory. Writes ``benchmarks/results/speed.md`` and ``speed.json``.
The live mirror has its own benchmark, ``benchmarks/live_browser.py`` (in Chromium).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
SIZES = [("0.3 MP", 480, 640), ("3 MP", 1500, 2000), ("12 MP", 3000, 4000)]


def photo(width: int, height: int) -> bytes:
    """A rendered side view at the given size as JPEG bytes (rendered small, then upscaled)."""
    from PIL import Image

    from benchmarks.synth.generate import SceneParams, render_scene

    rgb, _ = render_scene(SceneParams(width=720, height=960, seed=7))
    image = Image.fromarray(rgb).resize((width, height), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0


def measure_size(estimator, label: str, width: int, height: int, repeats: int) -> dict:
    from posture.analyze import analyze
    from posture.render.overlay import annotate

    data = photo(width, height)
    stages: dict[str, list[float]] = {
        k: [] for k in ("decode", "detect", "measure", "draw", "end_to_end", "bare", "decoded")
    }
    for _ in range(repeats):
        start = time.perf_counter()
        result = analyze(data, estimator)
        stages["end_to_end"].append(ms(start))
        for key in ("decode", "detect", "measure"):
            stages[key].append(result.timings_ms[key])
        start = time.perf_counter()
        annotate(result.image, result)
        stages["draw"].append(ms(start))
        start = time.perf_counter()
        analyze(result.image, estimator)
        stages["decoded"].append(ms(start))
        start = time.perf_counter()
        estimator.detect(result.image)
        stages["bare"].append(ms(start))
    med = {k: statistics.median(v) for k, v in stages.items()}
    return {
        "label": label,
        "megapixels": width * height / 1e6,
        "kilobytes": len(data) // 1024,
        "decode_ms": med["decode"],
        "detect_ms": med["detect"],
        "measure_ms": med["measure"],
        "draw_ms": med["draw"],
        "end_to_end_ms": med["end_to_end"],
        "bare_detect_ms": med["bare"],
        "overhead_ratio": med["decoded"] / med["bare"],
        "status": result.status,
    }


def main(argv: list[str] | None = None) -> int:
    from benchmarks.report import speed_markdown
    from posture.pose import PoseEstimator

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    loads = {}
    for variant in ("lite", "full"):
        start = time.perf_counter()
        PoseEstimator(variant).close()
        loads[variant] = ms(start)
    with PoseEstimator("full") as estimator:
        rows = [measure_size(estimator, label, w, h, args.repeats) for label, w, h in SIZES]
    extra = {
        "cpus": os.cpu_count(),
        "repeats": args.repeats,
        "load_full_ms": loads["full"],
        "load_lite_ms": loads["lite"],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "speed.json").write_text(json.dumps({"rows": rows, **extra}, indent=2))
    report = speed_markdown(rows, extra)
    (args.out / "speed.md").write_text(report)
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
