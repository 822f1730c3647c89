"""Marker mode on rendered bodies: stickers painted at the skin points over the ASIS and PSIS.

A folder written by ``benchmarks.bodies.generate`` holds side views of random anny bodies and,
per image, the projected skin points over each ASIS and PSIS (``truth.landmarks``:
``left_asis_skin`` etc.) and the tilts of the skin and bony lines. Two stickers are painted at
the camera-side skin points; the analysis is then judged against the painted line (the
sticker search), against the skin line in 3-D (camera roll, yaw and perspective included) and
against the bony ASIS-PSIS line (the skin's offset included: ``tilt_sd_bony``).

Unlike the shared photos these bodies were not used to set the sticker thresholds; but they
are renders (one skin shader, drawn rooms), and the stickers are ideal painted discs.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import numpy as np

from benchmarks.marker_composites import COLOURS, STICKER_MM
from benchmarks.marker_figures import errors_summary
from benchmarks.marker_photos import marker_search
from benchmarks.report import pct, table


def near_side(landmarks: dict, what: str) -> str:
    """ "left" or "right": the side whose skin point ``what`` ("asis", "psis") is nearer the
    camera (smaller depth), i.e. the one a sticker facing the camera would be on."""
    left, right = (landmarks[f"{side}_{what}_skin"]["depth_m"] for side in ("left", "right"))
    return "left" if left <= right else "right"


def sticker_scale(asis: dict, psis: dict) -> float:
    """Pixels per millimetre at the pelvis: the two points' distance in the image over their
    distance in the world (a line seen side-on; an oblique one reads a little small)."""
    px = math.dist(asis["px"], psis["px"])
    mm = 1000 * math.dist(asis["xyz"], psis["xyz"])
    return px / mm


def body_row(folder: Path, entry: dict, estimator, rng: np.random.Generator) -> dict:
    """Paint, analyse and compare one rendered image (``entry``: a line of index.jsonl)."""
    import cv2

    from posture.image.sticker_art import jpeg, paint_sticker
    from posture.measure.markers import tilt_from_points
    from posture.types import Facing

    record = json.loads((folder / entry["json"]).read_text())
    truth, marks = record["truth"], record["truth"]["landmarks"]
    facing = Facing.RIGHT if truth["facing"] == "right" else Facing.LEFT
    asis = marks[f"{near_side(marks, 'asis')}_asis_skin"]
    psis = marks[f"{near_side(marks, 'psis')}_psis_skin"]
    per_mm = sticker_scale(asis, psis)
    diameter_mm = float(rng.uniform(*STICKER_MM))
    colour = str(rng.choice(list(COLOURS)))
    rgb = cv2.cvtColor(cv2.imread(str(folder / entry["image"])), cv2.COLOR_BGR2RGB)
    for point in (asis, psis):
        rgb = paint_sticker(
            rgb,
            tuple(point["px"]),
            diameter_mm / 2 * per_mm,
            COLOURS[colour],
            aspect=float(rng.uniform(0.75, 1.0)),
            angle_degrees=float(rng.uniform(0, 180)),
            shading=float(rng.uniform(0.0, 0.4)),
            blur_px=0.5,
        )
    rgb = jpeg(rgb, int(rng.integers(70, 96)))
    started = time.perf_counter()
    result, reading = marker_search(rgb, estimator, forced=False)
    row = {
        "image": entry["image"],
        "ms": (time.perf_counter() - started) * 1000,
        "status": result.status if result.ok else f"rejected: {result.rejection.reason.value}",
        "colour": colour,
        "diameter_mm": diameter_mm,
        "sticker_px": diameter_mm * per_mm,
        "painted_raw": tilt_from_points(tuple(asis["px"]), tuple(psis["px"]), facing)[1],
        "skin_tilt": truth["pelvic_tilt_skin_deg"],
        "bony_tilt": truth["pelvic_tilt_deg"],
        "found": False,
    }
    if reading is None or not reading.found:
        row["outcome"] = row["status"] if reading is None else reading.problem.value
        if reading is not None:
            row["candidates_at_points"] = candidates_at(
                rgb, result, (asis["px"], psis["px"]), row["sticker_px"]
            )
        return row
    error = max(math.dist(reading.asis.centre, asis["px"]), math.dist(reading.psis.centre, psis["px"]))
    row["found"] = error <= row["sticker_px"] / 2
    row["outcome"] = "found" if row["found"] else "wrong_pair"
    row["centre_error_px"] = error
    row["raw_error"] = reading.raw_tilt_degrees - row["painted_raw"]
    row["tilt"] = reading.tilt_degrees
    row["roll_read"] = reading.roll.degrees if reading.roll is not None else None
    row["skin_error"] = reading.tilt_degrees - row["skin_tilt"]
    row["bony_error"] = reading.tilt_degrees - row["bony_tilt"]
    return row


def candidates_at(rgb: np.ndarray, result, points, diameter_px: float) -> int:
    """How many of the painted ``points`` the sticker search has a candidate at (within the
    radius): 2 with no pair read means the pairing rules turned the pair down, fewer means the
    search missed a sticker."""
    from posture.image.stickers import find_stickers
    from posture.measure.markers import search_region

    region = search_region(result.landmarks, result.facing, result.mask)
    found = find_stickers(rgb, region.box, radius_px=region.radius_px)
    return sum(any(math.dist(s.centre, p) <= diameter_px / 2 for s in found) for p in points)


def bodies_section(folder: Path, estimator, rng: np.random.Generator, *, limit: int) -> dict:
    """The rendered-body results: rows and their summary (``limit`` images at most)."""
    entries = [json.loads(line) for line in (folder / "index.jsonl").read_text().splitlines() if line]
    rows = [body_row(folder, e, estimator, rng) for e in entries[:limit]]
    accepted = [r for r in rows if not r["status"].startswith("rejected")]
    found = [r for r in accepted if r["found"]]
    outcomes: dict[str, int] = {}
    for r in rows:
        outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
    missed = [r for r in rows if not r["found"] and "candidates_at_points" in r]
    generator = json.loads((folder / entries[0]["json"]).read_text())["generator"] if entries else {}
    return {
        "folder": str(folder),
        "generator": generator,
        "not_found_both_candidates": sum(r["candidates_at_points"] == 2 for r in missed),
        "not_found_fewer_candidates": sum(r["candidates_at_points"] < 2 for r in missed),
        "images": len(rows),
        "bodies": len({e["body_id"] for e in entries[:limit]}),
        "accepted": len(accepted),
        "found": len(found),
        "found_rate": len(found) / len(accepted) if accepted else None,
        "outcomes": outcomes,
        "centre_error_px": errors_summary([r["centre_error_px"] for r in found]),
        "raw_error": errors_summary([r["raw_error"] for r in found]),
        "skin_error": errors_summary([r["skin_error"] for r in found]),
        "bony_error": errors_summary([r["bony_error"] for r in found]),
        "roll_read": sum(r["roll_read"] is not None for r in found),
        "rows": rows,
    }


def report_section(bodies: dict | None) -> list[str]:
    """The rendered-body section of the marker report (or why there is none)."""
    if not bodies:
        return [
            "## Rendered bodies",
            "",
            "Not run: pass `--bodies FOLDER` with renders of `benchmarks.bodies.generate` "
            "(`make bench-setup` installs anny and a CPU torch for it).",
            "",
        ]
    return [
        "## Rendered bodies (stickers at the skin points over the ASIS and PSIS)",
        "",
        f"{bodies['images']} renders of {bodies['bodies']} anny bodies ({bodies['folder']}), "
        "stickers painted at the camera-side skin points; these bodies were not used to set the "
        f"sticker thresholds. Accepted by the analysis: {bodies['accepted']}; both stickers found "
        f"in {bodies['found']} ({pct(bodies['found_rate'])}); roll read in {bodies['roll_read']}. "
        f"Outcomes: {', '.join(f'{k} {v}' for k, v in sorted(bodies['outcomes'].items()))}. "
        f"Of the accepted images without a pair read, {bodies['not_found_both_candidates']} had a "
        "sticker candidate at both painted points (the pairing rules of `posture/measure/markers.py` "
        f"turned the pair down) and {bodies['not_found_fewer_candidates']} at fewer (the search "
        "missed a sticker).",
        "",
        f"Made with `python -m benchmarks.bodies.generate --seed {bodies['generator'].get('seed')} "
        f"--per-body 4 ...` (generator version {bodies['generator'].get('version')}, anny "
        f"{bodies['generator'].get('anny')}); `--bodies FOLDER` points this benchmark at them.",
        "",
        table(
            ["error of the marker tilt", "n", "MAE", "bias", "SD", "95th pct |error|"],
            [
                [label, s.get("n"), s.get("mae"), s.get("bias"), s.get("sd"), s.get("p95_abs")]
                for label, s in [
                    ("centre error (px)", bodies["centre_error_px"]),
                    ("raw vs the painted line in the image (°)", bodies["raw_error"]),
                    ("vs the skin line in 3-D (camera roll, yaw, perspective) (°)", bodies["skin_error"]),
                    ("vs the bony ASIS–PSIS line (skin offset too) (°)", bodies["bony_error"]),
                ]
            ],
        ),
        "",
    ]
