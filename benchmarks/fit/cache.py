"""Pose results per image, cached on disk so that refitting never reruns MediaPipe.

    nice -n 10 python -m benchmarks.fit.cache --index /work/data/mesh-2026/index.jsonl \
        --cache /work/data/cache/mesh-2026 [--workers 2]

For every image of a data set's index (JSON lines with an ``image`` path relative to the index)
the photo is decoded as the app decodes it (``posture.imaging.load_image``), the pose detected in
the canonical facing (``benchmarks.fit.canonical``) and the checks run; one ``.npz`` per image
keeps the check's status, the original facing, whether the image was flipped, the canonical
landmarks (pixels, visibility) and the canonical segmentation mask (uint8). Existing files are
kept, so an interrupted run resumes.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

_estimator = None


def cache_name(image: str) -> str:
    return image.replace("/", "__").rsplit(".", 1)[0] + ".npz"


def pose_record(rgb: np.ndarray, estimator) -> dict:
    """What the cache keeps for one decoded photo (also used for the real-photo checks)."""
    from posture.analyze import detect_canonical
    from posture.types import Rejection

    canonical = detect_canonical(rgb, estimator)
    verdict = canonical.verdict
    record = {
        "status": "ok",
        "facing": canonical.facing.value if canonical.facing else "",
        "flipped": canonical.flipped,
        "image_size": np.array(canonical.pose.image_size),
    }
    if isinstance(verdict, Rejection):
        record["status"] = verdict.reason.value
    people = canonical.pose.people
    if people:
        record["xy"] = people[0].xy
        record["visibility"] = people[0].visibility
    if canonical.pose.mask is not None:
        record["mask"] = np.round(canonical.pose.mask * 255).astype(np.uint8)
    return record


def cache_one(job: tuple[str, str]) -> str:
    global _estimator
    from posture.image.decode import load_image
    from posture.pose import PoseEstimator

    image_path, out_path = job
    if _estimator is None:
        _estimator = PoseEstimator("full")
    record = pose_record(load_image(Path(image_path).read_bytes()).rgb, _estimator)
    record["source"] = source_stamp(Path(image_path))
    tmp = out_path + ".tmp.npz"
    np.savez_compressed(tmp, **record)
    os.replace(tmp, out_path)
    return record["status"]


def source_stamp(image: Path) -> str:
    """Size and modification time of the image: a re-generated image is detected again."""
    stat = image.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def is_fresh(out: Path, image: Path) -> bool:
    if not out.exists():
        return False
    try:
        with np.load(out) as data:
            return "source" in data.files and str(data["source"]) == source_stamp(image)
    except (OSError, ValueError):
        return False


def load(path: Path) -> dict:
    with np.load(path) as data:
        out = {k: data[k] for k in data.files}
    out["status"] = str(out["status"])
    out["facing"] = str(out["facing"])
    out["flipped"] = bool(out["flipped"])
    if "mask" in out:
        out["mask"] = out["mask"].astype(np.float32) / 255.0
    return out


def read_index(index: Path) -> list[dict]:
    return [json.loads(line) for line in index.read_text().splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--index", type=Path, required=True, help="index.jsonl, or a folder of per-image JSON files"
    )
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--limit", type=int, default=0, help="only the first N images")
    args = parser.parse_args(argv)
    from benchmarks.fit.dataset import read_records

    records = read_records(args.index)[: args.limit or None]
    run(records, args.index.parent if args.index.suffix == ".jsonl" else args.index, args.cache, args.workers)
    return 0


def run(records: list[dict], folder: Path, cache: Path, workers: int = 1) -> None:
    """Detect and cache every image of ``records`` (paths relative to ``folder``) not cached yet."""
    cache.mkdir(parents=True, exist_ok=True)
    jobs = []
    for r in records:
        out = cache / cache_name(r["image"])
        if not is_fresh(out, folder / r["image"]):
            jobs.append((str(folder / r["image"]), str(out)))
    if not jobs:
        return
    started = time.perf_counter()
    counts: dict[str, int] = {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for status in pool.map(cache_one, jobs, chunksize=4):
            counts[status] = counts.get(status, 0) + 1
    print(
        f"{len(jobs)} images detected in {time.perf_counter() - started:.0f} s "
        f"({len(records) - len(jobs)} already cached): {counts}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
