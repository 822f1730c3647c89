"""Single-mesh renders with known truth (benchmarks/synth), written as an indexed data set.

    nice -n 10 python -m benchmarks.fit.mesh_data --out /work/data/mesh-2026 --scenes 24 --seed 2026

Each scene (body size, clothes, arms, camera, light, degradations drawn like the accuracy
benchmark's, ``benchmarks.accuracy.BENCHMARK_RANGES``) is rendered at the accuracy benchmark's
tilts (-15..+20° around the mesh's neutral). With seed 2026 and 24 scenes these are the accuracy
benchmark's own scenes, so the figures compare with the old method's. Writes one JPEG per image
and ``index.jsonl``: one JSON line per image with the image path (relative to the index), the
truth tilt (ASIS-PSIS, degrees) and lumbar angle, the body (here: the scene) id, the split
(``--test-every``: every n-th scene is a test scene; 1 = all test) and the scene's factors.
Images are never written into the repository.
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

FACTORS = (
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
    "sleeve",
    "shoulder_flexion_deg",
    "arm_asymmetry_deg",
    "background",
)


def render_one(job: tuple[str, int, dict, float, str, str]) -> dict:
    from benchmarks.synth.generate import SceneParams, render_scene_full

    out, scene, params_json, tilt, body, split = job
    params = dataclasses.replace(SceneParams.from_json(params_json), pelvis_tilt_deg=tilt)
    _, jpeg, _, truth = render_scene_full(params)
    name = f"s{scene:03d}_t{tilt:+03.0f}.jpg"
    (Path(out) / name).write_bytes(jpeg)
    return {
        "image": name,
        "tilt": truth["pelvic_tilt_deg"],
        "lordosis": truth["lumbar_flexicurve_deg"],
        "lumbar_chain": truth["lumbar_chain_deg"],
        "tilt_change": truth["pelvis_tilt_change_deg"],
        "body": body,
        "scene": body,
        "split": split,
        "factors": {k: params_json[k] for k in FACTORS},
        "landmarks": {k: v["px"] for k, v in truth["landmarks"].items()},
    }


def main(argv: list[str] | None = None) -> int:
    from benchmarks.accuracy import BENCHMARK_RANGES, TILTS
    from benchmarks.synth.generate import sample_params

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--scenes", type=int, default=24)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--test-every", type=int, default=1)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    jobs = []
    for scene in range(args.scenes):
        params = sample_params(rng, **BENCHMARK_RANGES).to_json()
        split = "test" if scene % args.test_every == 0 else "train"
        body = f"mesh{args.seed}-{scene:03d}"
        jobs += [(str(args.out), scene, params, tilt, body, split) for tilt in TILTS]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool, (args.out / "index.jsonl").open("w") as index:
        for record in pool.map(render_one, jobs):
            index.write(json.dumps(record) + "\n")
            index.flush()
    print(f"{len(jobs)} images in {time.perf_counter() - started:.0f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
