"""The ``index.jsonl`` of a folder of anny-body renders: one line per image with its files,
body, session, split, facing and scalar truth (``benchmarks.bodies.generate`` writes it)."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.synth.draw import jsonable

SCALAR_TRUTH = (
    "pelvic_tilt_deg",
    "pelvic_tilt_change_deg",
    "pelvic_tilt_with_morphology_deg",
    "pelvic_tilt_skin_deg",
    "pelvic_tilt_image_deg",
    "lumbar_lordosis_deg",
    "lumbar_flexicurve_skin_deg",
    "trunk_lean_deg",
    "knee_angle_deg",
    "hip_ahead_of_ankle_m",
    "ear_ahead_of_shoulder_m",
)


def index_row(record: dict, stem: str) -> dict:
    """The ``index.jsonl`` line of one image's record."""
    return jsonable(
        {
            "image": f"{stem}.jpg",
            "json": f"{stem}.json",
            "body_id": record["body_id"],
            "session": record.get("session"),
            "split": record["split"],
            "facing": record["scene"]["facing"],
            "truth": {k: record["truth"][k] for k in SCALAR_TRUTH},
        }
    )


def reindex(out: Path, per_body: int) -> int:
    """Rewrite ``out/index.jsonl`` from the image JSONs of every body whose ``per_body``
    JSONs are all present and readable (for a run that was stopped); the image count."""
    bodies: dict[str, list] = {}
    for path in sorted(out.glob("s*b*_*.json")):
        bodies.setdefault(path.stem.rsplit("_", 1)[0], []).append(path)
    lines = []
    for paths in bodies.values():
        try:
            rows = [index_row(json.loads(p.read_text()), p.stem) for p in paths]
        except (json.JSONDecodeError, KeyError):
            continue
        if len(rows) == per_body:
            lines.extend(json.dumps(row) + "\n" for row in rows)
    (out / "index.jsonl").write_text("".join(lines))
    return len(lines)


def sort_index(path: Path) -> None:
    """Rewrite ``index.jsonl`` sorted by image, one line per image (the last one written)."""
    rows = {}
    for line in path.read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            rows[row["image"]] = line
    path.write_text("".join(rows[k] + "\n" for k in sorted(rows)))
