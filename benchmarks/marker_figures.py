"""The marker benchmark's figures (``benchmarks.markers``): error summaries, the splits by
condition, the change limit, and the timing with and without stickers.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
import time

import numpy as np

from benchmarks.marker_composites import compose, draw
from benchmarks.marker_photos import Photo


def change_limit(errors: list[float]) -> float | None:
    """1.96 SD of the change errors (degrees): the +- limit a real change must exceed."""
    return 1.96 * statistics.stdev(errors) if len(errors) > 1 else None


def bin_of(value: float, edges: tuple[float, ...], *, zero: bool = False) -> str:
    """The label of the bin ``value`` falls in, from ascending ``edges``: "a–b" for
    a < value <= b (the first bin includes a), "0" for exactly 0 with ``zero``."""
    if zero and value == 0:
        return "0"
    for low, high in zip(edges, edges[1:]):
        if value <= high:
            return f"{low:g}–{high:g}"
    return f">{edges[-1]:g}"


def _bin_order(label: str) -> tuple[float, str]:
    head = label.lstrip(">").split("–")[0]
    try:
        return float(head), label
    except ValueError:
        return math.inf, label


def errors_summary(values: list[float]) -> dict:
    """n, MAE, bias, SD and 95th percentile of |error| of a list of errors."""
    if not values:
        return {"n": 0}
    array = np.asarray(values, dtype=float)
    return {
        "n": int(array.size),
        "mae": float(np.abs(array).mean()),
        "bias": float(array.mean()),
        "sd": float(array.std(ddof=1)) if array.size > 1 else 0.0,
        "p95_abs": float(np.percentile(np.abs(array), 95)),
    }


def interleaved(runs: dict, repeats: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall times (ms) of each of ``runs`` (name -> callable), run in turn ``repeats`` times
    after one warm-up each, so that a machine shared with other work slows all alike; and the
    ``markers`` stage time of each run that returned an analysis."""
    for work in runs.values():
        work()
    times: dict[str, list[float]] = {name: [] for name in runs}
    stage: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, work in runs.items():
            started = time.perf_counter()
            out = work()
            times[name].append((time.perf_counter() - started) * 1000)
            stage[name].append(getattr(out, "timings_ms", {}).get("markers", 0.0))
    return times, stage


def timing(photos: list[Photo], estimator, repeats: int, rng: np.random.Generator) -> dict:
    """Median analysis times (ms) of each standing photo at 1200 px stature without and with
    stickers, and of ``find_roll`` on each picture and on a seated photo at 1500 x 2000."""
    import cv2

    from posture.analyze import analyze
    from posture.image.lines import find_roll

    def median_ms(work) -> float:
        return statistics.median(interleaved({"one": work}, repeats)[0]["one"])

    rows = []
    for photo in photos:
        if photo.kind != "standing":
            continue
        d = dataclasses.replace(
            draw(rng, photo), stature_px=1200.0, roll=0.0, cover=0.0, blur=0.0, frame=False, diameter_mm=19.0
        )
        with_stickers = compose(photo, d).rgb
        plain = compose(photo, dataclasses.replace(d, diameter_mm=0.0)).rgb
        found = analyze(with_stickers, estimator).markers
        runs = {
            "plain_no_search": lambda p=plain: analyze(p, estimator, with_markers=False),
            "plain": lambda p=plain: analyze(p, estimator),
            "stickers": lambda s=with_stickers: analyze(s, estimator),
            "find_roll": lambda s=with_stickers: find_roll(s),
        }
        times, stage = interleaved(runs, repeats)
        rows.append(
            {
                "photo": photo.name,
                "size": f"{plain.shape[1]}x{plain.shape[0]}",
                "found": bool(found and found.found),
                **{f"{name}_ms": statistics.median(t) for name, t in times.items()},
                "search_stage_plain_ms": statistics.median(stage["plain"]),
                "search_stage_stickers_ms": statistics.median(stage["stickers"]),
            }
        )
    big = next((p for p in photos if p.kind == "seated"), None)
    large_ms = None
    if big is not None:
        large = cv2.resize(big.rgb, (1500, 2000), interpolation=cv2.INTER_CUBIC)
        large_ms = median_ms(lambda: find_roll(large))
    ratios = [r["stickers_ms"] / r["plain_no_search_ms"] for r in rows]
    return {
        "repeats": repeats,
        "rows": rows,
        "ratio_worst": max(ratios) if ratios else None,
        "ratio_from_stage_worst": max(
            (
                (r["plain_no_search_ms"] + r["search_stage_stickers_ms"]) / r["plain_no_search_ms"]
                for r in rows
            ),
            default=None,
        ),
        "ratio_vs_search_none_found_worst": max(
            (r["stickers_ms"] / r["plain_ms"] for r in rows), default=None
        ),
        "find_roll_large_ms": large_ms,
        "find_roll_large_photo": big.name if big else None,
    }


CONDITIONS = {
    "photo": lambda r: r["photo"],
    "colour": lambda r: r["colour"],
    "sticker diameter (mm)": lambda r: bin_of(r["diameter_mm"], (12, 16, 20, 25)),
    "sticker diameter (px)": lambda r: bin_of(r["sticker_px"], (0, 8, 12, 16, 30)),
    "blur sigma (px)": lambda r: bin_of(r["blur"], (0, 1, 2), zero=True),
    "JPEG quality": lambda r: bin_of(r["jpeg"], (59, 70, 80, 95)),
    "shading": lambda r: bin_of(r["shading"], (0, 0.2, 0.4)),
    "waistband cover (share of diameter)": lambda r: bin_of(r["cover"], (0, 0.25, 0.4), zero=True),
    "camera roll applied (|°|)": lambda r: bin_of(abs(r["roll"]), (0, 2, 4), zero=True),
    "vertical reference in the unturned picture": lambda r: "yes" if r["reference"] else "no",
    "door frame drawn": lambda r: "yes" if r["frame"] else "no",
    "sticker-line tilt (°)": lambda r: bin_of(r["tilt"], (-10, 0, 10, 20)),
}


def split(rows: list[dict]) -> dict:
    out = {}
    for label, key in CONDITIONS.items():
        groups: dict[str, list[dict]] = {}
        for r in rows:
            groups.setdefault(key(r), []).append(r)
        out[label] = {
            name: {
                "n": len(g),
                "found": sum(r["found"] for r in g),
                "raw_mae": errors_summary([r["raw_error"] for r in g if r["found"]]).get("mae"),
                "tilt_mae": errors_summary([r["tilt_error"] for r in g if r["found"]]).get("mae"),
                "centre_px_median": statistics.median(c)
                if (c := [r["centre_error_px"] for r in g if r["found"]])
                else None,
            }
            for name, g in sorted(groups.items(), key=lambda item: _bin_order(item[0]))
        }
    return out


def roll_errors(rows: list[dict]) -> dict:
    """Roll errors (degrees) where both the unturned picture and the turned composite gave a
    roll (so the truth, unturned reading plus the roll applied, rests on a reference), with the
    share within 1 degree and the worst."""
    errors = [r["roll_error"] for r in rows if r.get("roll_error") is not None and r["reference"]]
    out = errors_summary(errors)
    if errors:
        out["within_1"] = sum(abs(e) <= 1.0 for e in errors) / len(errors)
        out["worst"] = max(abs(e) for e in errors)
    return out


def summarise(rows: list[dict], pair_rows: list[dict]) -> dict:
    def kind(k: str) -> list[dict]:
        return [r for r in rows if r["kind"] == k]

    out = {}
    for name, group in (("standing", kind("standing")), ("seated", kind("seated"))):
        accepted = [r for r in group if not r["status"].startswith("rejected") or name == "seated"]
        visible = [r for r in accepted if r["cover"] < 0.5]
        found = [r for r in visible if r["found"]]
        outcomes: dict[str, int] = {}
        for r in group:
            outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
        correctable = [r for r in found if r["roll"] == 0 or r["roll_read"] is not None]
        out[name] = {
            "composites": len(group),
            "visible": len(visible),
            "found": len(found),
            "found_rate": len(found) / len(visible) if visible else None,
            "outcomes": outcomes,
            "centre_error_px": errors_summary([r["centre_error_px"] for r in found]),
            "raw_tilt_error": errors_summary([r["raw_error"] for r in found]),
            "tilt_error_all": errors_summary([r["tilt_error"] for r in found]),
            "tilt_error_correctable": errors_summary([r["tilt_error"] for r in correctable]),
            "tilt_error_rolled_no_reference": errors_summary(
                [r["tilt_error"] for r in found if r["roll"] != 0 and r["roll_read"] is None]
            ),
            "roll_error": errors_summary([r["roll_error"] for r in found if r["roll_error"] is not None]),
            "roll_error_referenced": roll_errors(found),
            "roll_error_turned_only": errors_summary(
                [r["roll_error"] for r in found if r["roll_error"] is not None and not r["reference"]]
            ),
            "roll_missed_with_frame": sum(1 for r in found if r["frame"] and r["roll_read"] is None),
            "frame_drawn_found": sum(1 for r in found if r["frame"]),
            "by_condition": split(group),
        }
    both = [p for p in pair_rows if p["first"]["found"] and p["second"]["found"]]
    change = [p["second"]["tilt_error"] - p["first"]["tilt_error"] for p in both]
    jitter = [c for c, p in zip(change, both) if p["change"] == 0.0]
    out["roll_referenced"] = roll_errors([r for r in rows if r["found"]])
    out["change"] = {
        "pairs": len(pair_rows),
        "both_found": len(both),
        "errors": errors_summary(change),
        "limit": change_limit(change),
        "limit_jitter_only": change_limit(jitter),
        "jitter_only_pairs": len(jitter),
    }
    return out
