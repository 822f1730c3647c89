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
import dataclasses
import io
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

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


def degraded_repeatability(rows: list[dict]) -> dict:
    """How far the tilt moves when the same render is halved or recompressed (degrees)."""
    out = {}
    for name in ("half size", "JPEG q70"):
        pairs = [(r["tilt"], r["variants"][name]) for r in rows if "variants" in r]
        moved = np.array([abs(b - a) for a, b in pairs if a is not None and b is not None])
        out[name] = {
            "images": len(pairs),
            "both_measured": int(moved.size),
            "measured_only_in_one": sum((a is None) != (b is None) for a, b in pairs),
            "mean_abs": float(moved.mean()) if moved.size else None,
            "p90_abs": float(np.percentile(moved, 90)) if moved.size else None,
            "under_1deg": float((moved < 1.0).mean()) if moved.size else None,
        }
    return out


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


def lite_against_full(rows: list[dict]) -> dict | None:
    """How the live page's lite model reads the same renders as the full model (degrees)."""
    pairs = [r for r in rows if "lite" in r]
    if not pairs:
        return None
    both = [r for r in pairs if r["tilt"] is not None and r["lite"]["tilt"] is not None]
    lumbar = [r for r in pairs if r["lumbar"] is not None and r["lite"]["lumbar"] is not None]
    return {
        "images": len(pairs),
        "tilt_measured_full": sum(r["tilt"] is not None for r in pairs),
        "tilt_measured_lite": sum(r["lite"]["tilt"] is not None for r in pairs),
        "tilt_lite_minus_full": agreement(np.array([r["lite"]["tilt"] - r["tilt"] for r in both])),
        "tilt_full_vs_truth": agreement(np.array([r["tilt"] - r["truth"]["tilt"] for r in both])),
        "tilt_lite_vs_truth": agreement(np.array([r["lite"]["tilt"] - r["truth"]["tilt"] for r in both])),
        "lumbar_lite_minus_full": agreement(np.array([r["lite"]["lumbar"] - r["lumbar"] for r in lumbar])),
    }


def agreement(errors: np.ndarray) -> dict:
    """MAE, bias and 95% limits of agreement (Bland-Altman) of an error array."""
    errors = errors[np.isfinite(errors)]
    if errors.size == 0:
        return {"n": 0}
    sd = float(errors.std(ddof=1)) if errors.size > 1 else 0.0
    bias = float(errors.mean())
    return {
        "n": int(errors.size),
        "mae": float(np.abs(errors).mean()),
        "bias": bias,
        "sd": sd,
        "median_abs": float(np.median(np.abs(errors))),
        "loa_low": bias - 1.96 * sd,
        "loa_high": bias + 1.96 * sd,
        "p95_abs": float(np.percentile(np.abs(errors), 95)),
    }


def summarise(rows: list[dict]) -> dict:
    from posture.assess import DEFAULT, classify, resolved
    from posture.assess.errors import ErrorFigures

    main = [r for r in rows if not r["repeat"]]
    measured = [r for r in main if r["tilt"] is not None]
    neutral = {r["scene"]: r for r in main if r["tilt_change"] == 0.0 and r["tilt"] is not None}
    change_err, abs_err, lumbar_err, lumbar_change_err = [], [], [], []
    for r in measured:
        abs_err.append(r["tilt"] - r["truth"]["tilt"])
        if r["lumbar"] is not None:
            lumbar_err.append(r["lumbar"] - r["truth"]["lumbar"])
        base = neutral.get(r["scene"])
        if base is not None and r["tilt_change"] != 0.0:
            change_err.append((r["tilt"] - base["tilt"]) - (r["truth"]["tilt"] - base["truth"]["tilt"]))
            if r["lumbar"] is not None and base["lumbar"] is not None:
                lumbar_change_err.append(
                    (r["lumbar"] - base["lumbar"]) - (r["truth"]["lumbar"] - base["truth"]["lumbar"])
                )
    classes = ["posterior", "neutral", "anterior"]
    confusion = {t: {p: 0 for p in classes} for t in classes}
    for r in measured:
        confusion[classify(r["truth"]["tilt"]).value][r["class"]] += 1
    correct = sum(confusion[c][c] for c in classes)
    repeats = {}
    for r in rows:
        if r["tilt_change"] == 0.0 and r["tilt"] is not None:
            repeats.setdefault(r["scene"], []).append(r["tilt"])
    spread = [float(np.std(v)) for v in repeats.values() if len(v) > 1]
    return {
        "images": len(main),
        "rejected": sum(r["status"] != "ok" for r in main),
        "unmeasured_tilt": sum(r["status"] == "ok" and r["tilt"] is None for r in main),
        "rejection_reasons": _count(r["reason"] for r in main if r["reason"]),
        "tilt_change": agreement(np.array(change_err)),
        "tilt_absolute": agreement(np.array(abs_err)),
        "lumbar_absolute": agreement(np.array(lumbar_err)),
        "lumbar_change": agreement(np.array(lumbar_change_err)),
        "classification_accuracy": correct / max(1, len(measured)),
        "confusion": confusion,
        "noise_repeat_sd_mean": float(np.mean(spread)) if spread else None,
        "thresholds": dataclasses.asdict(resolved(DEFAULT, ErrorFigures.load())),
        "by_factor": by_factor(main, neutral),
        "lite_model": lite_against_full(main),
        "degraded": degraded_repeatability(main),
    }


def _count(values) -> dict:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


FACTOR_BINS = {
    "yaw_deg": ("|yaw|", lambda v: abs(v), (0, 3.5, 7, 10.01)),
    "pitch_deg": ("|pitch|", lambda v: abs(v), (0, 2.5, 5.01)),
    "roll_deg": ("|roll|", lambda v: abs(v), (0, 2.5, 5.01)),
    "girth": ("girth", lambda v: v, (0.85, 1.0, 1.15, 1.31)),
    "lumbar_extra_deg": ("extra lumbar curve", lambda v: v, (-10, -3, 3, 10.01)),
    "blur_sigma": ("blur sigma", lambda v: v, (0, 0.5, 1.0, 1.51)),
    "jpeg_quality": ("JPEG quality", lambda v: v or 100, (40, 60, 80, 101)),
}


def by_factor(main: list[dict], neutral: dict) -> dict:
    """Tilt-change MAE and rejection share per bin of each nuisance factor, and per tilt mode."""
    out = {}
    for key, (label, value, edges) in FACTOR_BINS.items():
        bins = []
        for lo, hi in zip(edges[:-1], edges[1:]):
            sel = [r for r in main if lo <= value(r["params"][key]) < hi]
            errs = [
                (r["tilt"] - neutral[r["scene"]]["tilt"])
                - (r["truth"]["tilt"] - neutral[r["scene"]]["truth"]["tilt"])
                for r in sel
                if r["tilt"] is not None and r["scene"] in neutral and r["tilt_change"] != 0
            ]
            absolute = [r["tilt"] - r["truth"]["tilt"] for r in sel if r["tilt"] is not None]
            bins.append(
                {
                    "range": [lo, min(hi, edges[-1])],
                    "images": len(sel),
                    "rejected": sum(r["status"] != "ok" for r in sel),
                    "change_mae": float(np.mean(np.abs(errs))) if errs else None,
                    "absolute_mae": float(np.mean(np.abs(absolute))) if absolute else None,
                }
            )
        out[label] = bins
    for mode in ("compensated", "rigid"):
        pairs = [
            (
                r["truth"]["tilt"] - neutral[r["scene"]]["truth"]["tilt"],
                r["tilt"] - neutral[r["scene"]]["tilt"],
            )
            for r in main
            if r["params"]["tilt_mode"] == mode
            and r["tilt"] is not None
            and r["scene"] in neutral
            and r["tilt_change"] != 0
        ]
        true, estimated = np.array(pairs).reshape(-1, 2).T
        out[f"mode {mode}"] = agreement(estimated - true)
        # Gain: least-squares slope through the origin of estimated change on true change
        # (1 = the estimate follows the pelvis fully, 0.5 = it sees half of each change).
        out[f"mode {mode}"]["gain"] = float(true @ estimated / (true @ true)) if len(true) else None
        out[f"mode {mode}"]["r"] = float(np.corrcoef(true, estimated)[0, 1]) if len(true) > 2 else None
    return out


def real_photo_repeatability(estimator) -> list[dict]:
    """Tilt on each real side view as stored, at half size, and recompressed (JPEG q70)."""
    import csv

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
