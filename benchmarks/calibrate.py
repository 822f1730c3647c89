"""Fit the two numbers of the tilt estimator: tilt = offset + gain * sacral inclination.

    python -m benchmarks.calibrate [--scenes 16] [--seed 7777] [--clean] [--workers 2]

Renders ``--scenes`` random synthetic scenes drawn like the accuracy benchmark's (camera yaw
±10°, pitch and roll ±5°, arms, clothes, light, blur, noise, JPEG), or with ``--clean`` scenes
without camera yaw, pitch or roll, arm swing, busy background or degradations. Each scene is
rendered at the benchmark's tilts (-15..+20° around the mesh's neutral); the sacral inclination
of every image is measured with ``posture.analyze`` and the true clinical-style tilt is fitted
on it by least squares. Prints the fit and writes ``benchmarks/results/calibration.json``; the numbers are
then copied by hand into ``posture/measures.py`` (``TILT_FROM_SACRUM_OFFSET`` and ``_GAIN``).

The seed here (7777) must differ from the accuracy benchmark's (2026), the held-out test. The
shipped numbers come from the default run; ``--clean --scenes 10 --seed 7`` fits a gain of
about 1.18 that does worse on the held-out set (absolute MAE 6.8° against 5.8°, measured by
putting it into ``measures.py`` and rerunning the benchmark): scenes without arm swing, camera
angles or degradations are not the scenes it has to measure.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from benchmarks.accuracy import BENCHMARK_RANGES, RESULTS, TILTS, _worker_estimator

CLEAN = {
    "yaw_deg": 0.0,
    "pitch_deg": 0.0,
    "roll_deg": 0.0,
    "arm_asymmetry_deg": 0.0,
    "shoulder_flexion_deg": 0.0,
    "background": "plain",
    "blur_sigma": 0.0,
    "noise_sigma": 0.0,
    "jpeg_quality": 95,
    "shift_x": 0.0,
    "shift_y": 0.0,
}
"""Nuisance factors held fixed for fitting; body, clothes, light and facing stay random."""


def measure_scene(job: tuple[int, dict]) -> list[dict]:
    """Every tilt of one clean scene: truth and the measured sacral inclination (worker)."""
    from benchmarks.synth.generate import SceneParams, render_scene
    from posture.analyze import analyze

    scene, params_json = job
    base = SceneParams.from_json(params_json)
    rows = []
    for tilt in TILTS:
        rgb, truth = render_scene(dataclasses.replace(base, pelvis_tilt_deg=tilt))
        result = analyze(rgb, _worker_estimator())
        rows.append(
            {
                "scene": scene,
                "tilt_change": tilt,
                "tilt_mode": base.tilt_mode,
                "truth_tilt": truth["pelvic_tilt_deg"],
                "sacral": result.measure("sacral_inclination"),
            }
        )
    return rows


def fit(rows: list[dict]) -> dict:
    """Least-squares offset and gain of truth tilt on sacral inclination, with the fit's spread."""
    used = [r for r in rows if r["sacral"] is not None]
    x = np.array([r["sacral"] for r in used])
    y = np.array([r["truth_tilt"] for r in used])
    gain, offset = np.polyfit(x, y, 1)
    residual = y - (offset + gain * x)
    return {
        "offset": round(float(offset), 2),
        "gain": round(float(gain), 3),
        "images": len(rows),
        "used": len(used),
        "r": round(float(np.corrcoef(x, y)[0, 1]), 3),
        "residual_sd_deg": round(float(residual.std(ddof=2)), 2),
    }


def main(argv: list[str] | None = None) -> int:
    from benchmarks.synth.generate import sample_params

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenes", type=int, default=16)
    parser.add_argument("--seed", type=int, default=7777, help="fitting seed (not the benchmark's)")
    parser.add_argument("--clean", action="store_true", help="no camera angle, arm swing or degradation")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    ranges = CLEAN if args.clean else BENCHMARK_RANGES
    jobs = [(i, sample_params(rng, **ranges).to_json()) for i in range(args.scenes)]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        rows = [row for scene in pool.map(measure_scene, jobs) for row in scene]
    result = {
        "seed": args.seed,
        "scenes": args.scenes,
        "ranges": ranges,
        **fit(rows),
        "run_time_s": round(time.perf_counter() - started, 1),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "calibration.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"tilt = {result['offset']} + {result['gain']} x sacral inclination "
        f"(r = {result['r']}, residual SD {result['residual_sd_deg']}°, "
        f"{result['used']} of {result['images']} images measured)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
