"""Accuracy benchmark: how right is the analyzer on side views whose answer is known?

    python -m benchmarks.accuracy [--scenes 24] [--seed 2026] [--workers 2]

Renders ``--scenes`` random synthetic scenes (body, clothes, camera, light, degradations drawn
by ``benchmarks.synth.generate.sample_params``), each at pelvic tilts from -15° to +20° around
the mesh's neutral, and analyses every image with ``posture.analyze``. Reports, against the
truth written by the renderer:

* tilt change error (estimate minus the same scene's neutral estimate, against the true change):
  MAE, bias, 95% limits of agreement; the same for the absolute tilt and the lumbar angle;
* classification accuracy and confusion matrix (true class from the true tilt, same thresholds);
* error against camera yaw, pitch, roll and other nuisance factors; the share rejected;
* repeatability: re-renders with only the sensor noise changed, and the real side views in
  ../shared/samples at half size and recompressed.

Writes ``benchmarks/results/accuracy.md``, ``accuracy.json`` and plots. The seeds used here
must differ from the one used to fit the estimator (``benchmarks/calibrate.py``, seed 7777).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from benchmarks.accuracy_figures import summarise

RESULTS = Path(__file__).resolve().parent / "results"
TILTS = (-15.0, -10.0, -5.0, 0.0, 5.0, 10.0, 15.0, 20.0)
BENCHMARK_RANGES = {"yaw_deg": (-10.0, 10.0)}
"""Ranges that differ from the generator's defaults (the targets are for yaw up to 10°)."""
SHARED_SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"


_estimators: dict = {}


def _worker_estimator(model: str = "full"):
    """One estimator per model per worker process, loaded on first use."""
    if model not in _estimators:
        from posture.pose import PoseEstimator

        _estimators[model] = PoseEstimator(model)
    return _estimators[model]


def analyse_scene(job: tuple[int, dict, tuple[float, ...], int, bool]) -> list[dict]:
    """Render one scene at every tilt (and, for repeatability, the neutral one again with other
    sensor noise) and analyse each image; with ``lite`` also with the live page's lite model.
    Runs in a worker process."""
    from benchmarks.synth.generate import SceneParams, render_scene
    from posture.analyze import analyze

    scene, params_json, tilts, noise_repeats, lite = job
    base = SceneParams.from_json(params_json)
    estimator = _worker_estimator()
    rows = []
    variants = [(tilt, base.seed) for tilt in tilts]
    variants += [(0.0, base.seed + 1000 + k) for k in range(noise_repeats)]
    for tilt, seed in variants:
        params = dataclasses.replace(base, pelvis_tilt_deg=tilt, seed=seed)
        rgb, truth = render_scene(params)
        result = analyze(rgb, estimator)
        rows.append(
            {
                "scene": scene,
                "tilt_change": tilt,
                "repeat": seed != base.seed,
                "params": {
                    k: params_json[k]
                    for k in (
                        "tilt_mode",
                        "yaw_deg",
                        "pitch_deg",
                        "roll_deg",
                        "facing",
                        "girth",
                        "height_m",
                        "lumbar_extra_deg",
                        "blur_sigma",
                        "noise_sigma",
                        "jpeg_quality",
                        "leg_cover",
                        "background",
                    )
                },
                "truth": {
                    "tilt": truth["pelvic_tilt_deg"],
                    "change": truth["pelvis_tilt_change_deg"],
                    "lumbar": truth["lumbar_flexicurve_deg"],
                },
                "status": result.status,
                "reason": result.rejection.reason.value if result.rejection else None,
                "tilt": result.measure("pelvic_tilt"),
                "lumbar": result.measure("lumbar_lordosis"),
                "class": result.assessment.tilt_class.value
                if result.assessment and result.assessment.tilt_class
                else None,
                "confidence": result.assessment.confidence if result.assessment else None,
            }
        )
        if seed == base.seed:
            rows[-1]["variants"] = {
                name: analyze(image, estimator).measure("pelvic_tilt")
                for name, image in _degraded(rgb).items()
            }
        if lite and seed == base.seed:
            live = analyze(rgb, _worker_estimator("lite"))
            rows[-1]["lite"] = {
                "tilt": live.measure("pelvic_tilt"),
                "lumbar": live.measure("lumbar_lordosis"),
            }
    return rows


def _degraded(rgb: np.ndarray) -> dict[str, object]:
    """The same picture at half size (Lanczos) and recompressed as JPEG quality 70."""
    from PIL import Image

    image = Image.fromarray(rgb)
    half = image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return {"half size": np.asarray(half), "JPEG q70": buffer.getvalue()}


def scene_jobs(
    n: int, seed: int, noise_repeats: int, lite_scenes: int = 0
) -> list[tuple[int, dict, tuple[float, ...], int, bool]]:
    """The benchmark's scenes; the first ``lite_scenes`` are also analysed with the lite model."""
    from benchmarks.synth.generate import sample_params

    rng = np.random.default_rng(seed)
    return [
        (i, sample_params(rng, **BENCHMARK_RANGES).to_json(), TILTS, noise_repeats, i < lite_scenes)
        for i in range(n)
    ]


def real_photo_repeatability(estimator) -> list[dict]:
    """Tilt on each real side view as stored, at half size, and recompressed (JPEG q70)."""

    from PIL import Image

    from posture.analyze import analyze

    index = SHARED_SAMPLES / "index.csv"
    if not index.is_file():
        return []
    rows = []
    with index.open() as handle:
        for row in csv.DictReader(handle):
            if row["category"] != "positive_side_standing":
                continue
            path = SHARED_SAMPLES / row["path"]
            rgb = np.asarray(Image.open(path).convert("RGB"))
            variants = {"original": path.read_bytes(), **_degraded(rgb)}
            values = {
                name: analyze(data, estimator).measure("pelvic_tilt") for name, data in variants.items()
            }
            rows.append({"file": row["path"], **values})
    return rows


def write_error_figures(summary: dict, out: Path) -> Path:
    """The SDs the verdict and the before/after comparison use, in the format of
    ``posture/assess/data/measurement_error.json``, written to ``out`` only. The package keeps
    the figures it ships until a person copies a new file there (with the estimator's change)."""
    from posture.assess.errors import FORMAT_VERSION, ErrorFigures
    from posture.pose import MODEL_FILES

    shipped = ErrorFigures.load()
    figures = {
        "version": FORMAT_VERSION,
        "model": MODEL_FILES["full"],
        "estimator": shipped.estimator,
        "source": "benchmarks/results/accuracy.md",
        "date": time.strftime("%Y-%m-%d"),
        "change_pairs": summary["tilt_change"]["n"],
        "tilt_change_sd": round(summary["tilt_change"]["sd"], 2),
        "lumbar_change_sd": round(summary["lumbar_change"]["sd"], 2),
        "tilt_absolute_sd": round(summary["tilt_absolute"]["sd"], 2),
    }
    path = out / "measurement_error.json"
    path.write_text(json.dumps(figures, indent=2) + "\n")
    return path


def write_report(summary: dict, real: list[dict], out: Path, elapsed: float) -> None:
    from benchmarks.accuracy_report import accuracy_markdown, accuracy_plots

    out.mkdir(parents=True, exist_ok=True)
    payload = {"summary": summary, "real_photo_repeatability": real, "elapsed_s": elapsed}
    (out / "accuracy.json").write_text(json.dumps(payload, indent=2, default=float))
    plots = accuracy_plots(out)
    (out / "accuracy.md").write_text(accuracy_markdown(summary, real, plots, elapsed))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenes", type=int, default=24)
    parser.add_argument("--seed", type=int, default=2026, help="scene seed (not a calibration seed)")
    parser.add_argument("--noise-repeats", type=int, default=2)
    parser.add_argument(
        "--lite-scenes", type=int, default=10, help="scenes also analysed with the lite (live) model"
    )
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    jobs = scene_jobs(args.scenes, args.seed, args.noise_repeats, args.lite_scenes)
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        rows = [row for scene in pool.map(analyse_scene, jobs) for row in scene]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "accuracy_rows.json").write_text(json.dumps(rows, default=float))
    summary = summarise(rows)
    real = real_photo_repeatability(_worker_estimator())
    elapsed = time.perf_counter() - started
    write_report(summary, real, args.out, elapsed)
    write_error_figures(summary, args.out)
    print((args.out / "accuracy.md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
