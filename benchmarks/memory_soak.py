"""Memory soak: 1,000 photo analyses in one process, resident memory recorded every 100.

    python -m benchmarks.memory_soak [--n 1000] [--every 100] [--out benchmarks/results]

Each step does what the app does for one upload: decode and analyse the photo, draw the
result, blur the face when there is one, and make the JSON summary; then the result is
dropped. The photos cycle through the side views and refusals of ../shared/samples (when
present), two rendered side views (when the figure mesh is present), a made noise picture, an
unreadable file and a 12-megapixel phone-sized JPEG, so every path of ``analyze`` runs. Resident memory (VmRSS) is read after a
garbage collection; growth is counted from the end of a warm-up (the first ``--warmup``
analyses, while MediaPipe and the allocator reach their working size).

Prints a table and writes ``memory_soak.json`` to ``--out``.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
SAMPLE_PHOTOS = (
    "pranjal_postureanalysis/left.png",
    "pranjal_postureanalysis/right.png",
    "pranjal_postureanalysis/front.png",
    "openposture_fixtures/hunchback_left.jpg",
    "skimage_data/chelsea.png",
)


def rss_mb(field: str = "VmRSS") -> float:
    """Resident memory of this process in MiB (Linux /proc; 0 where unavailable).
    ``field="VmHWM"`` gives the peak so far."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def photos(*, rendered: bool = True, phone: bool = True) -> dict[str, bytes]:
    """Name -> file bytes: samples when present, rendered side views when possible, and some
    made here: noise (no person), bytes that are not an image and, with ``phone``, a 12 MP
    JPEG (a side view enlarged to 3000x4000, or noise) to run the reduction of big photos."""
    from PIL import Image

    found = {name: (SAMPLES / name).read_bytes() for name in SAMPLE_PHOTOS if (SAMPLES / name).is_file()}
    if rendered:
        found.update(_rendered())
    noise = np.random.default_rng(0).integers(0, 256, (480, 360, 3), dtype=np.uint8)
    found["made/noise.jpg"] = _jpeg(Image.fromarray(noise))
    found["made/not-an-image.jpg"] = b"not an image " * 100
    if phone:
        side = next((data for name, data in sorted(found.items()) if "left" in name), None)
        small = Image.open(io.BytesIO(side)) if side else Image.fromarray(noise)
        found["made/phone-12mp.jpg"] = _jpeg(small.convert("RGB").resize((3000, 4000)))
    return found


def _jpeg(image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _rendered() -> dict[str, bytes]:
    """Two synthetic side views (benchmarks.synth), 480x640 JPEG; none without the mesh."""
    try:
        from PIL import Image

        from benchmarks.synth.generate import SceneParams, render_scene

        made = {}
        for facing, tilt in (("right", 10.0), ("left", -5.0)):
            rgb, _ = render_scene(
                SceneParams(seed=7, facing=facing, pelvis_tilt_deg=tilt, width=480, height=640)
            )
            made[f"rendered/{facing}.jpg"] = _jpeg(Image.fromarray(rgb))
        return made
    except Exception:  # the mesh lives outside the repository; the soak runs without it
        return {}


def one_upload(data: bytes, estimator) -> str:
    """What the app does with one upload; returns the status and drops everything else."""
    from posture.analyze import analyze
    from posture.render.overlay import annotate
    from posture.render.privacy import blur_face

    result = analyze(data, estimator)
    if result.image is not None:
        picture = result.image
        if result.landmarks is not None:
            picture = blur_face(picture, result.landmarks)
        annotate(picture, result)
    json.dumps(result.to_dict())
    return result.status


def soak(estimator, files: dict[str, bytes], *, n: int, every: int, warmup: int, report=None) -> dict:
    """Run ``n`` uploads cycling through ``files``; RSS after warm-up and every ``every``."""
    names = sorted(files)
    statuses: dict[str, int] = {}
    rows = []
    gc.collect()
    start_rss = rss_mb()
    started = time.perf_counter()
    for i in range(1, n + 1):
        status = one_upload(files[names[(i - 1) % len(names)]], estimator)
        statuses[status] = statuses.get(status, 0) + 1
        if i == warmup or i % every == 0:
            gc.collect()
            row = {
                "analyses": i,
                "rss_mb": round(rss_mb(), 1),
                "seconds": round(time.perf_counter() - started, 1),
            }
            rows.append(row)
            if report:
                report(row)
    base = next(r for r in rows if r["analyses"] >= warmup)
    after = [r for r in rows if r["analyses"] >= base["analyses"]]
    slope = _slope([r["analyses"] for r in after], [r["rss_mb"] for r in after])
    return {
        "analyses": n,
        "photos": names,
        "statuses": statuses,
        "warmup": warmup,
        "rss_before_mb": round(start_rss, 1),
        "rss_after_warmup_mb": base["rss_mb"],
        "rss_end_mb": rows[-1]["rss_mb"],
        "rss_max_mb": max(r["rss_mb"] for r in rows),
        "peak_rss_mb": round(rss_mb("VmHWM"), 1),
        "growth_after_warmup_mb": round(rows[-1]["rss_mb"] - base["rss_mb"], 1),
        "slope_kb_per_analysis": round(slope * 1024, 2),
        "ms_per_analysis": round(1000 * rows[-1]["seconds"] / n, 1),
        "rows": rows,
    }


def _slope(x: list[float], y: list[float]) -> float:
    return float(np.polyfit(x, y, 1)[0]) if len(x) >= 2 else 0.0


def main(argv: list[str] | None = None) -> int:
    from posture.pose import PoseEstimator

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="analyses (default 1000)")
    parser.add_argument("--every", type=int, default=100, help="record RSS every N (default 100)")
    parser.add_argument("--warmup", type=int, default=50, help="analyses before growth counts")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    files = photos()
    print(f"{len(files)} photos: {', '.join(sorted(files))}")
    print(f"{'analyses':>9} {'RSS MiB':>9} {'seconds':>8}")
    with PoseEstimator("full") as estimator:
        result = soak(
            estimator,
            files,
            n=args.n,
            every=args.every,
            warmup=args.warmup,
            report=lambda r: print(
                f"{r['analyses']:>9} {r['rss_mb']:>9.1f} {r['seconds']:>8.1f}", flush=True
            ),
        )
    result.update(
        python=platform.python_version(),
        cpus=os.cpu_count(),
        load_average=os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    )
    print(
        f"statuses {result['statuses']}; RSS {result['rss_after_warmup_mb']} MiB after "
        f"{args.warmup} -> {result['rss_end_mb']} MiB after {args.n} (growth "
        f"{result['growth_after_warmup_mb']:+.1f} MiB, slope "
        f"{result['slope_kb_per_analysis']:+.1f} KiB per analysis), peak "
        f"{result['peak_rss_mb']} MiB; "
        f"{result['ms_per_analysis']} ms per analysis"
    )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "memory_soak.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
