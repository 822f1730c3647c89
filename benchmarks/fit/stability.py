"""Real-photo stability: the same real side view as stored, mirrored, at half size, at JPEG q70.

    nice -n 10 python -m benchmarks.fit.stability [--model posture/measure/data/estimator-v2.json]

No truth is needed: a photo and its mirror image, or the same photo smaller or recompressed,
should read the same. Uses every real side view in ../shared/samples (index.csv category
``positive_side_standing``) and the woman standing in the Sports2D demo frames (cropped to her,
the frame shows two people). Prints the per-photo readings and the median absolute difference
of tilt and lumbar angle against the photo as stored, and writes them as JSON.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

import numpy as np

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
CROPS = {
    "sports2d_demo/demo_t3.0s.jpg": (980, 470, 1280, 994),
    "sports2d_demo/demo_t5.0s.jpg": (360, 470, 680, 994),
}
"""Crops (left, top, right, bottom) of the Sports2D frames to the woman alone."""


def photos() -> dict[str, np.ndarray]:
    from PIL import Image, ImageOps

    out = {}
    index = SAMPLES / "index.csv"
    if index.is_file():
        with index.open() as handle:
            for row in csv.DictReader(handle):
                if row["category"] == "positive_side_standing":
                    image = ImageOps.exif_transpose(Image.open(SAMPLES / row["path"])).convert("RGB")
                    out[row["path"]] = np.asarray(image)
    for name, box in CROPS.items():
        if (SAMPLES / name).is_file():
            out[name + " (woman)"] = np.asarray(Image.open(SAMPLES / name).convert("RGB").crop(box))
    return out


def variants(rgb: np.ndarray) -> dict[str, np.ndarray]:
    from PIL import Image

    image = Image.fromarray(rgb)
    half = image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    q70 = np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))
    return {
        "stored": rgb,
        "mirror": np.ascontiguousarray(rgb[:, ::-1]),
        "half size": np.asarray(half),
        "JPEG q70": q70,
    }


def read_photo(rgb: np.ndarray, estimator, model) -> dict:
    from benchmarks.fit.cache import pose_record
    from posture.measure.estimator import read

    record = pose_record(rgb, estimator)
    if record["status"] != "ok":
        return {"status": record["status"], "tilt": None, "lumbar": None}
    mask = record["mask"].astype(np.float32) / 255.0 if "mask" in record else None
    reading = read(model, record["xy"], mask, record.get("visibility"))
    est = reading.estimate
    return {
        "status": "ok",
        "facing": record["facing"],
        "reason": reading.reason,
        "tilt": est.tilt if est else None,
        "lumbar": est.lumbar if est else None,
    }


def summarise(rows: list[dict]) -> dict:
    out = {}
    for name in ("mirror", "half size", "JPEG q70"):
        for key in ("tilt", "lumbar"):
            diffs = [
                abs(r[name][key] - r["stored"][key])
                for r in rows
                if r["stored"][key] is not None and r[name][key] is not None
            ]
            out[f"{name} {key}"] = {
                "pairs": len(diffs),
                "median_abs": float(np.median(diffs)) if diffs else None,
                "max_abs": float(np.max(diffs)) if diffs else None,
            }
    return out


def main(argv: list[str] | None = None) -> int:
    from posture.measure.fitted import Model
    from posture.pose import PoseEstimator

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=Path("posture/measure/data/estimator-v2.json"))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/stability.json"))
    args = parser.parse_args(argv)
    model = Model.load(args.model)
    rows = []
    found = photos()
    if not found:
        print(f"no real side views in {SAMPLES}: the real-photo check has nothing to measure")
    with PoseEstimator("full") as estimator:
        for name, rgb in found.items():
            row = {"photo": name, "size": list(rgb.shape[1::-1])}
            row.update({v: read_photo(img, estimator, model) for v, img in variants(rgb).items()})
            rows.append(row)

    def fmt(r):
        if r["tilt"] is None:
            return f"{r['status']}{': ' + r['reason'] if r.get('reason') else ''}"[:40]
        return f"{r['tilt']:6.1f} / {r['lumbar']:5.1f}"

    for row in rows:
        print(
            row["photo"],
            row["size"],
            " | ".join(f"{v}: {fmt(row[v])}" for v in ("stored", "mirror", "half size", "JPEG q70")),
        )
    summary = summarise(rows)
    for key, value in summary.items():
        print(f"{key}: median |diff| {value['median_abs']}, max {value['max_abs']} ({value['pairs']} photos)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"model": str(args.model), "photos": rows, "summary": summary}, indent=1, default=float)
        + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
