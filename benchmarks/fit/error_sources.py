"""Where the tilt error comes from: the shipped model's error on held-out bodies against every
drawn factor, and how the error falls with the number of training bodies.

    python -m benchmarks.fit.error_sources --data DATA [--data DATA ...] [--model FILE] [--curve]

For the test bodies of the given data sets (poses cached by ``benchmarks.fit.cache``) the
estimate's error (estimate minus truth, degrees) is correlated with each factor the body
generator drew (camera roll, yaw and pitch; tilt change, extra lumbar extension, thoracic
curve, sway, knee, head; weight, muscle, age; how loose the top is) and fitted on all of them
at once by least squares: a slope says how many degrees of error one unit of that factor adds.
``--curve`` also fits the trees (``benchmarks.fit.train.TREES``) on 1/4, 1/2, 3/4 and all of
the training bodies (shuffled with ``--seed``) and prints their error on the same test bodies.
Needs scikit-learn only for ``--curve``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

FACTORS = {
    "camera roll (°)": ("scene", "roll_deg"),
    "camera yaw (°)": ("scene", "yaw_deg"),
    "camera pitch (°)": ("scene", "pitch_deg"),
    "tilt change (°)": ("factors", "tilt_deg"),
    "extra lumbar extension (°)": ("factors", "lumbar_deg"),
    "thoracic curve (°)": ("factors", "thoracic_deg"),
    "sway (°)": ("factors", "sway_deg"),
    "knee hyperextension (°)": ("factors", "knee_hyperextension_deg"),
    "forward head (°)": ("factors", "head_forward_deg"),
    "weight (0-1)": ("body", "phenotype", "weight"),
    "muscle (0-1)": ("body", "phenotype", "muscle"),
    "age (years)": ("body", "age_years"),
    "top looseness (0-1)": ("clothes", "top_loose"),
}


def _get(record: dict, path: tuple) -> float | None:
    node = record
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return float(node) if node is not None else None


def main(argv: list[str] | None = None) -> int:
    from benchmarks.fit import dataset
    from posture.measure.fitted import MODEL_FILE, Model

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, action="append", required=True)
    parser.add_argument("--model", type=Path, default=MODEL_FILE)
    parser.add_argument("--curve", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    model = Model.load(args.model)
    tables = [dataset.load(d, ensure_cache=False, workers=args.workers) for d in args.data]
    records = [r for t in tables for r in t.records]
    by_image = {}
    for d in args.data:  # every drawn factor is in the image's own JSON
        for r in dataset.read_records(d):
            by_image[(d.name, r["image"])] = json.loads((d / r["json"]).read_text()) if r.get("json") else r
    raws = [by_image[(t.name, r["image"])] for t in tables for r in t.records]
    readings = [row for t in tables for row in dataset.readings(model, t)]
    test = [i for i, r in enumerate(records) if r["split"] == "test" and readings[i]["tilt"] is not None]
    error = np.array([readings[i]["tilt"] - records[i]["tilt"] for i in test])
    print(f"{len(test)} held-out images: tilt error MAE {np.abs(error).mean():.2f}°, SD {error.std():.2f}°")
    columns = {name: np.array([_get(raws[i], path) for i in test], float) for name, path in FACTORS.items()}
    columns = {k: v for k, v in columns.items() if np.isfinite(v).all()}
    design = np.column_stack([*columns.values(), np.ones(len(test))])
    slopes, *_ = np.linalg.lstsq(design, error, rcond=None)
    residual = error - design @ slopes
    print("\n| factor | correlation with the error | slope (° of error per unit) |\n|---|---|---|")
    for (name, values), slope in zip(columns.items(), slopes):
        print(f"| {name} | {np.corrcoef(values, error)[0, 1]:+.2f} | {slope:+.3f} |")
    print(
        f"\nAll factors together (linear) leave an error SD of {residual.std():.2f}° of {error.std():.2f}°."
    )
    if args.curve:
        from benchmarks.fit.train import _trees

        X = np.vstack([t.features for t in tables])
        readable = np.array([s == "ok" for t in tables for s in t.status]) & np.isfinite(X).any(axis=1)
        truth = np.array([r["tilt"] for r in records])
        bodies = np.array([r["body"] for r in records])
        train = readable & np.array([r["split"] == "train" for r in records])
        order = sorted(set(bodies[train]))
        np.random.default_rng(args.seed).shuffle(order)
        print(
            "\n| training bodies | training images | held-out tilt MAE (trees, one mask level) |\n|---|---|---|"
        )
        for share in (0.25, 0.5, 0.75, 1.0):
            keep = train & np.isin(bodies, order[: int(share * len(order))])
            trees = _trees(14).fit(X[keep], truth[keep])
            mae = np.abs(trees.predict(X[test]) - truth[test]).mean()
            print(f"| {int(share * len(order))} | {int(keep.sum())} | {mae:.2f}° |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
