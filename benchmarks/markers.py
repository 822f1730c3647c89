"""Marker-mode benchmark: skin stickers pasted onto the real photos in ../shared/samples.

    python -m benchmarks.markers [--draws 90] [--seated-draws 24] [--pairs 120] [--negatives 1000]

The truth is the point each sticker was painted at (``posture.image.sticker_art``), so this
measures the sticker search, the pairing, the roll correction and the tilt they give on real
backgrounds, clothes and bodies, from fixed seeds:

1. Composites: two stickers (12-25 mm, converted to pixels from the body height) painted near
   the pelvis of each standing side view, the photo enlarged to a phone photo's scale, with
   random colour, blur, JPEG quality, noise, shading, a waistband covering part of one
   sticker, sticker-line tilt -10..+20 degrees and camera roll up to +-4 degrees (the whole
   composite turned). Each is analysed with ``posture.analyze`` and the full pose model. The
   seated side views (which the analysis rejects as not standing) get the same stickers and
   the marker search alone on their landmarks: more real rooms, clothes and room lines.
2. Same set-up change: each of the first composites again with the stickers turned by a known
   tilt change and the picture re-jittered (noise, JPEG, blur): 1.96 SD of the change error.
3. False readings: every photo of the folder without stickers, plus flips, crops, scales,
   turns and colour jitter, up to ``--negatives`` images: how many read as markers.
4. Timing: the analysis with and without stickers on the same photos, and ``find_roll``.
5. With ``--bodies FOLDER`` (renders of ``benchmarks.bodies.generate``, which needs ``make
   bench-setup``): stickers painted at the rendered skin points over the ASIS and PSIS
   (``benchmarks.marker_bodies``), judged against the painted, skin and bony lines.

Writes ``benchmarks/results/markers.md`` and ``markers.json``. The sticker thresholds were set
by hand on these same photos, so the composites are not held-out data.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import time
from pathlib import Path

import numpy as np

from benchmarks.marker_composites import draw, evaluate
from benchmarks.marker_figures import summarise, timing
from benchmarks.marker_photos import false_readings, load_photos, samples_folder

RESULTS = Path(__file__).resolve().parent / "results"
SEED = 1818
CHANGE_DEGREES = 8.0
TARGETS = {
    "found_rate": 0.98,
    "false_readings": 0,
    "tilt_mae": 0.7,
    "change_limit": 2.0,
    "roll_error": 1.0,
    "time_ratio": 1.1,
    "find_roll_ms": 60.0,
}


def run_composites(
    photos, estimator, rng, draws: int, seated_draws: int, pairs: int, log
) -> tuple[list, list]:
    rows, pair_rows = [], []
    for photo in photos:
        n = draws if photo.kind == "standing" else seated_draws
        for i in range(n):
            d = draw(rng, photo)
            rows.append(evaluate(photo, d, estimator))
            if photo.kind == "standing" and i < pairs:
                change = 0.0 if rng.random() < 0.25 else float(rng.uniform(-CHANGE_DEGREES, CHANGE_DEGREES))
                second = dataclasses.replace(
                    d, jpeg=int(rng.integers(60, 96)), blur=float(max(0.0, d.blur + rng.uniform(-0.3, 0.3)))
                )
                tilt = float(np.clip(d.tilt + change, -15, 25))
                again = evaluate(photo, second, estimator, tilt=tilt, seed=int(rng.integers(2**31)))
                pair_rows.append(
                    {"photo": photo.name, "change": tilt - d.tilt, "first": rows[-1], "second": again}
                )
        log(f"{photo.name}: {n} composites")
    return rows, pair_rows


def rounded(rows: list[dict], digits: int = 4) -> list[dict]:
    """The rows with their floats rounded (the JSON stays readable and small)."""
    return [{k: round(v, digits) if isinstance(v, float) else v for k, v in r.items()} for r in rows]


def main(argv: list[str] | None = None) -> int:
    from benchmarks.marker_report import markers_markdown
    from posture.pose import PoseEstimator

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=150, help="composites per standing photo")
    parser.add_argument("--seated-draws", type=int, default=40, help="composites per seated photo")
    parser.add_argument("--pairs", type=int, default=60, help="change pairs per standing photo")
    parser.add_argument("--negatives", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=7, help="timing runs per photo")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--samples", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--bodies",
        type=Path,
        default=None,
        help="a folder of benchmarks.bodies.generate renders: also paint stickers on those bodies",
    )
    parser.add_argument("--body-images", type=int, default=200, help="rendered images used at most")
    args = parser.parse_args(argv)
    folder = samples_folder(args.samples)
    if folder is None:
        print("benchmarks.markers: ../shared/samples is not present; nothing to measure")
        return 0
    started = time.perf_counter()

    def log(text: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {text}", flush=True)

    with PoseEstimator("full") as estimator:
        photos = load_photos(folder, estimator)
        log(f"{len(photos)} side views")
        rows, pair_rows = run_composites(
            photos,
            estimator,
            np.random.default_rng(args.seed),
            args.draws,
            args.seated_draws,
            args.pairs,
            log,
        )
        summary = summarise(rows, pair_rows)
        negatives = false_readings(folder, estimator, args.negatives, np.random.default_rng(args.seed + 1))
        log(f"{negatives['images']} images without stickers")
        timings = timing(photos, estimator, args.repeats, np.random.default_rng(args.seed + 2))
        log("timing")
        bodies = None
        if args.bodies is not None and (args.bodies / "index.jsonl").is_file():
            from benchmarks.marker_bodies import bodies_section

            bodies = bodies_section(
                args.bodies, estimator, np.random.default_rng(args.seed + 3), limit=args.body_images
            )
            log(f"{bodies['images']} rendered bodies")
    extra = {
        "seed": args.seed,
        "cpus": os.cpu_count(),
        "elapsed_s": time.perf_counter() - started,
        "samples": str(folder),
        "photos": [{"name": p.name, "kind": p.kind, "stature_px": p.stature_px} for p in photos],
        "draws": args.draws,
        "seated_draws": args.seated_draws,
        "pairs_per_photo": args.pairs,
    }
    results = {
        **extra,
        "summary": summary,
        "false_readings": negatives,
        "timing": timings,
        "targets": TARGETS,
        "bodies": None if bodies is None else {k: v for k, v in bodies.items() if k != "rows"},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "markers.json").write_text(
        json.dumps(
            {**results, "rows": rounded(rows), "body_rows": rounded(bodies["rows"]) if bodies else None},
            indent=1,
            default=float,
        )
    )
    report = markers_markdown(results)
    (args.out / "markers.md").write_text(report)
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
