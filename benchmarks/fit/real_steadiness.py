"""How steadily model files read real pictures: the real clip's frame-to-frame jitter and the
real photos at half size and JPEG q70, for several model files on the same detected poses.

    python -m benchmarks.fit.real_steadiness MODEL.json [MODEL.json ...] [--poses FILE]

The poses (landmarks and mask of every clip frame cropped to its person, as in
``benchmarks.fit.clip``, and of every real photo variant of ``benchmarks.fit.stability``) are
detected once with the full pose model and kept in ``--poses`` (default: the benchmark data
folder's ``real-poses.pkl``); each model then reads them with the app's rule
(``posture.measure.estimator.read``: the mean over the mask levels). No truth is needed: the
question is only how much the reading moves between near-identical pictures. Used to choose
between model kinds (docs/METHOD.md), so that the choice rests on real pictures, not on renders
alone. Prints a table; ``--out`` also writes it as JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import tempfile
from pathlib import Path

import numpy as np


def detect_all(path: Path) -> dict:
    """Detect (or load) the poses of the clip's frames and of the real photo variants."""
    if path.is_file():
        with path.open("rb") as handle:
            return pickle.load(handle)
    from benchmarks import sports2d_demo
    from benchmarks.fit import clip, stability
    from benchmarks.fit.cache import pose_record
    from posture.pose import PoseEstimator

    poses: dict = {"clip": {span.name: [] for span in clip.SPANS}, "photos": {}}
    with PoseEstimator("full") as estimator:
        for name, rgb in stability.photos().items():
            poses["photos"][name] = {k: pose_record(v, estimator) for k, v in stability.variants(rgb).items()}
        with tempfile.TemporaryDirectory() as folder:
            video = Path(folder) / "demo.mp4"
            video.write_bytes(sports2d_demo.demo_bytes())
            for span, _, _, crop in clip.span_crops(video):
                poses["clip"][span.name].append(pose_record(crop, estimator))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        pickle.dump(poses, handle)
    return poses


def reading(model, record: dict) -> dict:
    """The app's tilt and lumbar reading of one cached pose (None when declined or rejected)."""
    from posture.measure.estimator import read

    if record["status"] != "ok":
        return {"tilt": None, "lumbar": None}
    mask = record["mask"].astype(np.float32) / 255.0 if "mask" in record else None
    estimate = read(model, record["xy"], mask, record.get("visibility")).estimate
    return {"tilt": estimate.tilt if estimate else None, "lumbar": estimate.lumbar if estimate else None}


def steadiness(model, poses: dict) -> dict:
    """Per clip span, the tilt's frame-to-frame jitter; per change of the real photos (half size,
    JPEG q70), the median and largest tilt difference (``stability.summarise``)."""
    from benchmarks.fit import stability

    out: dict = {"clip": {}, "photos": {}}
    for span, records in poses["clip"].items():
        values = [reading(model, r)["tilt"] for r in records]
        steps = [b - a for a, b in zip(values, values[1:]) if a is not None and b is not None]
        out["clip"][span] = {
            "pairs": len(steps),
            "jitter": float(np.std(steps, ddof=1) / math.sqrt(2)) if len(steps) > 2 else None,
        }
    rows = [{k: reading(model, v) for k, v in variants.items()} for variants in poses["photos"].values()]
    summary = stability.summarise(rows)
    for change in ("half size", "JPEG q70"):
        tilt = summary[f"{change} tilt"]
        out["photos"][change] = {
            "photos": tilt["pairs"],
            "median": tilt["median_abs"],
            "max": tilt["max_abs"],
        }
    return out


def main(argv: list[str] | None = None) -> int:
    from benchmarks import data_folder
    from posture.measure.fitted import Model

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", type=Path, nargs="+")
    parser.add_argument("--poses", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--mask-levels",
        type=int,
        default=None,
        help="read the outline at only the first N mask levels of estimator.MASK_SHIFTS "
        "(1: the 0.5 level alone, as before the averaging)",
    )
    args = parser.parse_args(argv)
    if args.mask_levels:
        from posture.measure import estimator

        estimator.MASK_SHIFTS = estimator.MASK_SHIFTS[: args.mask_levels]
    poses = detect_all(args.poses or data_folder.root() / "real-poses.pkl")
    results = {}
    for path in args.models:
        results[str(path)] = figures = steadiness(Model.load(path), poses)
        cells = [
            f"{span}: {'—' if v['jitter'] is None else format(v['jitter'], '.2f') + '°'} ({v['pairs']} pairs)"
            for span, v in figures["clip"].items()
            if v["pairs"]
        ]
        cells += [
            f"{change}: median {v['median']:.2f}°, max {v['max']:.1f}° ({v['photos']} photos)"
            for change, v in figures["photos"].items()
            if v["median"] is not None
        ]
        print(f"{path}: " + "; ".join(cells))
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
