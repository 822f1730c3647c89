"""How far apart are the body proportions of two photos of one person, and of two people?

    PYTHONPATH=. POSTURE_SHARED_DIR=../shared python -m benchmarks.proportions

The figures behind ``posture.assess.proportions.THRESHOLD``. Same person: renders of the
project's CC0 mesh (``benchmarks.synth``) in different postures, facings and cameras, and the
shared real pair ``pranjal_postureanalysis`` left / right. Different people: the mesh against
the shared real side views, the real people against each other, and the mesh with its legs
stretched or shortened in the picture (every row below the hips scaled by ``BUILD``). Writes
``benchmarks/results/proportions.json`` and prints a summary.
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).parent / "results" / "proportions.json"
BUILD = (0.92, 1.08)
"""Leg length factors of the "different build" pictures."""
POSES = [  # (tilt, mode, lumbar, shoulder flexion, elbow, facing, distance m, focal mm)
    (0, "compensated", 0, 0, 10, "right", 2.0, 28),
    (16, "compensated", 0, 0, 10, "right", 2.0, 28),
    (-14, "compensated", 0, 0, 10, "left", 2.0, 28),
    (10, "rigid", 5, 20, 30, "left", 2.4, 28),
    (-10, "rigid", -5, 40, 60, "right", 2.4, 35),
    (5, "compensated", 10, 60, 90, "right", 2.8, 35),
    (-5, "compensated", -8, 10, 20, "left", 2.2, 24),
    (15, "rigid", 0, 30, 45, "right", 2.6, 28),
    (-15, "rigid", 8, 0, 0, "left", 2.0, 30),
    (8, "compensated", -4, 50, 70, "left", 2.8, 26),
    (0, "rigid", 0, 80, 100, "right", 2.2, 35),
    (12, "compensated", 6, 15, 15, "left", 2.5, 24),
]
REAL = {
    "pranjal": ["pranjal_postureanalysis/left.png", "pranjal_postureanalysis/right.png"],
    "dipanjans16": ["dipanjans16_posture_measurement/side_image.jpg"],
}


def _renders(shared: Path) -> list[np.ndarray]:
    import functools

    from benchmarks.synth import generate, gltf
    from benchmarks.synth.figure import load_figure
    from benchmarks.synth.generate import SceneParams, render_scene

    mesh = shared / "models_3d" / gltf.MODEL_PATH.relative_to(gltf.MODEL_PATH.parents[1])
    generate.load_figure = functools.partial(load_figure, mesh)  # the mesh beside a worktree too

    pictures = []
    for seed, (tilt, mode, lumbar, flexion, elbow, facing, distance, focal) in enumerate(POSES):
        params = SceneParams(
            seed=seed,
            pelvis_tilt_deg=tilt,
            tilt_mode=mode,
            lumbar_extra_deg=lumbar,
            shoulder_flexion_deg=flexion,
            elbow_flexion_deg=elbow,
            facing=facing,
            distance_m=distance,
            focal_mm=focal,
            width=540,
            height=960,
        )
        pictures.append(render_scene(params)[0])
    return pictures


def _stretched(rgb: np.ndarray, hip_y: float, factor: float) -> np.ndarray:
    """The picture with every row below ``hip_y`` scaled by ``factor`` (longer or shorter legs)."""
    from PIL import Image

    cut = int(round(hip_y))
    top, bottom = rgb[:cut], rgb[cut:]
    size = (bottom.shape[1], max(1, int(round(bottom.shape[0] * factor))))
    legs = np.asarray(Image.fromarray(bottom).resize(size, Image.BILINEAR))
    return np.concatenate([top, legs])


def _spreads(a: list, b: list | None = None) -> list[float]:
    from posture.assess.proportions import spread

    pairs = itertools.combinations(a, 2) if b is None else itertools.product(a, b)
    return [round(spread(x, y), 4) for x, y in pairs]


def _summary(values: list[float]) -> dict:
    v = np.array(values)
    return {
        "pairs": len(values),
        "min": float(v.min()),
        "median": float(np.median(v)),
        "p95": float(np.percentile(v, 95)),
        "max": float(v.max()),
    }


def main() -> None:
    from posture.analyze import analyze
    from posture.assess.errors import shipped
    from posture.assess.proportions import proportions
    from posture.pose import PoseEstimator

    figures = shipped()
    shared = Path(os.environ.get("POSTURE_SHARED_DIR", "../shared"))
    with PoseEstimator("full") as model:

        def measured(source) -> tuple:
            result = analyze(source, model, figures=figures)
            if result.landmarks is None:
                return None, None
            return proportions(result.landmarks), result.landmarks

        mesh, stretched = [], []
        for rgb in _renders(shared):
            ratio, landmarks = measured(rgb)
            if ratio is None:
                continue
            mesh.append(ratio)
            hip_y = float((landmarks.point("left_hip")[1] + landmarks.point("right_hip")[1]) / 2)
            for factor in BUILD:
                other, _ = measured(_stretched(rgb, hip_y, factor))
                if other is not None:
                    stretched.append((ratio, other))
        real = {
            who: [r for r in (measured(shared / "samples" / path)[0] for path in paths) if r is not None]
            for who, paths in REAL.items()
        }
    from posture.assess.proportions import spread

    same = {"mesh": _spreads(mesh), "pranjal": _spreads(real["pranjal"])}
    people = [mesh, *real.values()]
    different = [s for x, y in itertools.combinations(people, 2) for s in _spreads(x, y)]
    from posture.assess.proportions import THRESHOLD

    caught = {
        "threshold": THRESHOLD,
        "same_person_flagged": sum(v > THRESHOLD for v in same["mesh"] + same["pranjal"]),
        "different_people_flagged": sum(v > THRESHOLD for v in different),
        "different_build_flagged": sum(spread(x, y) > THRESHOLD for x, y in stretched),
        "sd_log_hip": round(float(np.std([np.log(r.hip) for r in mesh])), 4),
        "sd_log_trunk": round(float(np.std([np.log(r.trunk) for r in mesh])), 4),
    }
    report = {
        "model": "MediaPipe Pose full",
        **caught,
        "same_person_mesh": _summary(same["mesh"]),
        "same_person_real": same["pranjal"],
        "different_people": _summary(different),
        "different_build": _summary([round(spread(x, y), 4) for x, y in stretched]),
        "shares_mesh": [[round(r.hip, 4), round(r.trunk, 4)] for r in mesh],
        "shares_real": {w: [[round(r.hip, 4), round(r.trunk, 4)] for r in rs] for w, rs in real.items()},
    }
    RESULTS.write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps({k: v for k, v in report.items() if not k.startswith("shares")}, indent=1))


if __name__ == "__main__":
    main()
