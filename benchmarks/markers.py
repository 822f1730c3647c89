"""Marker-mode benchmark: skin stickers pasted onto the real photos in ../shared/samples.

    python -m benchmarks.markers [--draws 90] [--seated-draws 24] [--pairs 120] [--negatives 1000]

The truth is the point each sticker was painted at (``posture.image.sticker_art``), so this
measures the sticker search, the pairing, the roll correction and the tilt they give on real
backgrounds, clothes and bodies, from fixed seeds:

1. Composites: two stickers (12-25 mm, converted to pixels from the body height) painted near
   the pelvis of each standing side view, the photo enlarged to a phone photo's scale, with
   random colour, blur, JPEG quality, noise, shading, a waistband covering part of one
   sticker, sticker-line tilt -10..+20 degrees and camera roll up to +-4 degrees (the whole
   composite turned). Each is analysed with ``posture.analyze`` and the full pose model. The
   seated side views (which the analysis rejects as not standing) get the same stickers and
   the marker search alone on their landmarks: more real rooms, clothes and room lines.
2. Same set-up change: each of the first composites again with the stickers turned by a known
   tilt change and the picture re-jittered (noise, JPEG, blur): 1.96 SD of the change error.
3. False readings: every photo of the folder without stickers, plus flips, crops, scales,
   turns and colour jitter, up to ``--negatives`` images: how many read as markers.
4. Timing: the analysis with and without stickers on the same photos, and ``find_roll``.
5. With ``--bodies FOLDER`` (renders of ``benchmarks.bodies.generate``, which needs ``make
   bench-setup``): stickers painted at the rendered skin points over the ASIS and PSIS
   (``benchmarks.marker_bodies``), judged against the painted, skin and bony lines.

Writes ``benchmarks/results/markers.md`` and ``markers.json``. The sticker thresholds were set
by hand on these same photos, so the composites are not held-out data.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import math
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"
REPO = Path(__file__).resolve().parents[1]
SAMPLE_FOLDERS = (REPO.parent / "shared" / "samples", REPO.parents[1] / "shared" / "samples")
"""../shared/samples; from a git worktree one level deeper (../../shared/samples)."""
SEED = 1818
STANDING = "positive_side_standing"
SEATED = "negative_seated_side_view"
COLOURS = {
    "neon green": (57, 255, 20),
    "neon pink": (255, 16, 140),
    "neon orange": (255, 100, 20),
    "neon blue": (20, 90, 255),
    "yellow": (250, 225, 0),
    "red": (220, 25, 35),
    "violet": (140, 40, 220),
}
BODY_HEIGHT_MM = (1550.0, 1900.0)
STICKER_MM = (12.0, 25.0)
ASIS_PSIS_MM = (100.0, 170.0)
"""Skin distance between the two stickers drawn (adults: about 10-19 cm, RESEARCH.md)."""
MIDPOINT_FORWARD_MM = (-35.0, 15.0)
MIDPOINT_UP_MM = (55.0, 115.0)
"""Where the pair's midpoint is drawn from the hip landmark (ASIS 4-8 cm in front of and 6-10 cm
above the hip joint, PSIS 8-12 cm behind and 7-11 cm above it)."""
TARGET_STATURE_PX = (800.0, 1600.0)
"""The photo is scaled so the body is this tall: a phone photo of a person filling the frame."""
ROLL_DEGREES = 4.0
TILT_DEGREES = (-10.0, 20.0)
CHANGE_DEGREES = 8.0
WRONG_CENTRE_RADII = 1.0
"""A sticker found further than this many of its radii from where it was painted is another
spot (a wrong find); nearer, it is the painted sticker, its centre error counted."""
TARGETS = {
    "found_rate": 0.98,
    "false_readings": 0,
    "tilt_mae": 0.7,
    "change_limit": 2.0,
    "roll_error": 1.0,
    "time_ratio": 1.1,
    "find_roll_ms": 60.0,
}


# --- pure helpers ---------------------------------------------------------------------------


def sticker_points(
    mid: tuple[float, float], distance_px: float, tilt_degrees: float, facing_sign: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """(ASIS, PSIS) centres, pixels (y down), ``distance_px`` apart about ``mid``, their
    PSIS->ASIS line ``tilt_degrees`` anterior (the ASIS lower), the ASIS on the side the person
    faces (``facing_sign`` +1: +x)."""
    half = distance_px / 2
    dx = facing_sign * half * math.cos(math.radians(tilt_degrees))
    dy = half * math.sin(math.radians(tilt_degrees))
    return (mid[0] + dx, mid[1] + dy), (mid[0] - dx, mid[1] - dy)


def rotation(size: tuple[int, int], degrees: float) -> np.ndarray:
    """The 2x3 affine matrix turning a ``size`` (width, height) picture by ``degrees`` about its
    centre, positive counter-clockwise as seen (``cv2.getRotationMatrix2D``'s convention; the
    room's verticals then lean tops-left, a roll of ``-degrees``)."""
    width, height = size
    theta = math.radians(degrees)
    c, s = math.cos(theta), math.sin(theta)
    cx, cy = width / 2, height / 2
    return np.array([[c, s, (1 - c) * cx - s * cy], [-s, c, s * cx + (1 - c) * cy]])


def moved(matrix: np.ndarray, point: tuple[float, float]) -> tuple[float, float]:
    x, y = matrix @ np.array([point[0], point[1], 1.0])
    return float(x), float(y)


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


# --- the photos -----------------------------------------------------------------------------


def samples_folder(explicit: Path | None = None) -> Path | None:
    for folder in (explicit,) if explicit else SAMPLE_FOLDERS:
        if folder is not None and (folder / "index.csv").is_file():
            return folder
    return None


def sample_rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "index.csv").open(newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["path"].lower().endswith((".jpg", ".jpeg", ".png"))]


@dataclass(frozen=True)
class Photo:
    """One real side view, as decoded, and where its pelvis is (from one analysis)."""

    name: str
    kind: str
    """"standing" (the whole analysis) or "seated" (the marker search on its landmarks)."""
    rgb: np.ndarray
    hip: tuple[float, float]
    stature_px: float
    facing_sign: int
    person_box: tuple[int, int, int, int]


def load_photos(folder: Path, estimator) -> list[Photo]:
    from posture.image.decode import load_image

    photos = []
    for row in sample_rows(folder):
        if row["category"] not in (STANDING, SEATED):
            continue
        rgb = load_image(folder / row["path"]).rgb
        result, _ = marker_search(rgb, estimator, forced=row["category"] == SEATED)
        if result.landmarks is None or result.facing is None:
            continue
        from posture.analyze import person_box
        from posture.measure import markers

        region = markers.search_region(result.landmarks, result.facing, result.mask)
        photos.append(
            Photo(
                row["path"],
                "standing" if row["category"] == STANDING else "seated",
                rgb,
                region.hip,
                region.stature_px,
                result.facing.sign,
                person_box(result),
            )
        )
    return photos


def marker_search(rgb: np.ndarray, estimator, *, forced: bool):
    """(analysis, marker reading or None). ``forced``: when the analysis rejects the photo but
    found a person, the marker search is run anyway on that person's landmarks (the facing
    read from them), as ``analyze`` runs it on an accepted photo."""
    from posture.analyze import analyze, read_stickers
    from posture.measure import checks

    result = analyze(rgb, estimator)
    if result.ok:
        return result, result.markers
    if not forced or result.landmarks is None:
        return result, None
    result = dataclasses.replace(result, facing=checks.facing_of(result.landmarks))
    return result, read_stickers(rgb, result)


# --- composites ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draw:
    """The random choices of one composite."""

    photo: str
    stature_px: float
    body_height_mm: float
    diameter_mm: float
    colour: str
    distance_mm: float
    forward_mm: float
    up_mm: float
    tilt: float
    roll: float
    blur: float
    jpeg: int
    noise: float
    shading: float
    aspect: float
    cover: float
    """Share of one sticker's diameter covered from below (a waistband), 0 for none."""
    covered: str
    frame: bool
    """A door frame (two dark vertical edges) drawn in the background: a vertical reference."""
    seed: int


def draw(rng: np.random.Generator, photo: Photo) -> Draw:
    roll = 0.0 if rng.random() < 0.3 else float(rng.uniform(-ROLL_DEGREES, ROLL_DEGREES))
    return Draw(
        photo=photo.name,
        stature_px=float(rng.uniform(*TARGET_STATURE_PX)),
        body_height_mm=float(rng.uniform(*BODY_HEIGHT_MM)),
        diameter_mm=float(rng.uniform(*STICKER_MM)),
        colour=str(rng.choice(list(COLOURS))),
        distance_mm=float(rng.uniform(*ASIS_PSIS_MM)),
        forward_mm=float(rng.uniform(*MIDPOINT_FORWARD_MM)),
        up_mm=float(rng.uniform(*MIDPOINT_UP_MM)),
        tilt=float(rng.uniform(*TILT_DEGREES)),
        roll=roll,
        blur=float(rng.choice([0.0, rng.uniform(0.3, 1.0), rng.uniform(1.0, 2.0)])),
        jpeg=int(rng.integers(60, 96)),
        noise=float(rng.uniform(0.0, 4.0)),
        shading=float(rng.uniform(0.0, 0.4)),
        aspect=float(rng.uniform(0.75, 1.0)),
        cover=float(rng.uniform(0.1, 0.4)) if rng.random() < 0.2 else 0.0,
        covered=str(rng.choice(["asis", "psis"])),
        frame=bool(rng.random() < 0.25),
        seed=int(rng.integers(2**31)),
    )


@dataclass(frozen=True)
class Composite:
    rgb: np.ndarray
    asis: tuple[float, float]
    psis: tuple[float, float]
    """Where the stickers are in ``rgb`` (after the turn), pixels."""
    scale: float
    facing_sign: int
    roll_zero: float | None
    """find_roll on the same picture without stickers and not turned (None: no reference)."""


def compose(photo: Photo, d: Draw, *, tilt: float | None = None, seed: int | None = None) -> Composite:
    """The composite of draw ``d`` (with another sticker tilt or jitter seed when given)."""
    import cv2

    from posture.image.lines import find_roll
    from posture.image.sticker_art import jpeg, paint_sticker

    rng = np.random.default_rng(d.seed if seed is None else seed)
    scale = d.stature_px / photo.stature_px
    rgb = cv2.resize(photo.rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    height, width = rgb.shape[:2]
    box = tuple(int(v * scale) for v in photo.person_box)
    if d.frame:
        rgb = door_frame(rgb, box)
    roll_zero = find_roll(rgb, exclude=box).degrees
    per_mm = d.stature_px / d.body_height_mm
    hip = (photo.hip[0] * scale, photo.hip[1] * scale)
    mid = (hip[0] + photo.facing_sign * d.forward_mm * per_mm, hip[1] - d.up_mm * per_mm)
    asis, psis = sticker_points(
        mid, d.distance_mm * per_mm, d.tilt if tilt is None else tilt, photo.facing_sign
    )
    radius = d.diameter_mm / 2 * per_mm
    for name, centre in (("asis", asis), ("psis", psis)) if radius > 0 else ():
        cover = centre[1] + radius * (1 - 2 * d.cover) if d.cover and name == d.covered else None
        rgb = paint_sticker(
            rgb,
            centre,
            radius,
            COLOURS[d.colour],
            aspect=d.aspect,
            angle_degrees=float(rng.uniform(0, 180)),
            shading=d.shading,
            cover_below=cover,
            blur_px=0.5,
        )
    if d.roll:
        matrix = rotation((width, height), -d.roll)
        # Edge pixels repeated outwards: a mirrored border would add a seam at the roll angle,
        # a vertical reference a real rolled photo does not have.
        rgb = cv2.warpAffine(
            rgb, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        )
        asis, psis = moved(matrix, asis), moved(matrix, psis)
    if d.blur > 0:
        rgb = cv2.GaussianBlur(rgb, (0, 0), d.blur)
    if d.noise > 0:
        rgb = np.clip(rgb + rng.normal(0, d.noise, rgb.shape), 0, 255).astype(np.uint8)
    return Composite(jpeg(rgb, d.jpeg), asis, psis, scale, photo.facing_sign, roll_zero)


def door_frame(rgb: np.ndarray, person: tuple[int, int, int, int]) -> np.ndarray:
    """A copy with a dark door-frame post (a band 2.5% of the width) drawn from 5% to 95% of the
    height, on the wider side of the person's box."""
    out = rgb.copy()
    height, width = rgb.shape[:2]
    band = max(4, int(0.025 * width))
    left_room, right_room = person[0], width - person[2]
    x = person[0] // 2 if left_room >= right_room else (person[2] + width) // 2
    x = int(np.clip(x - band // 2, 0, width - band))
    out[int(0.05 * height) : int(0.95 * height), x : x + band] = (70, 55, 45)
    return out


def evaluate(photo: Photo, d: Draw, estimator, **kwargs) -> dict:
    """Analyse one composite and compare with the truth: a row of the results."""
    from posture.measure.markers import tilt_from_points
    from posture.types import Facing

    comp = compose(photo, d, **kwargs)
    started = time.perf_counter()
    result, reading = marker_search(comp.rgb, estimator, forced=photo.kind == "seated")
    elapsed = (time.perf_counter() - started) * 1000
    tilt = kwargs.get("tilt", d.tilt)
    zero = comp.roll_zero or 0.0
    row = {
        **dataclasses.asdict(d),
        "tilt": tilt,
        "kind": photo.kind,
        "ms": elapsed,
        "status": result.status if result.ok else f"rejected: {result.rejection.reason.value}",
        "reference": comp.roll_zero is not None,
        "roll_zero": comp.roll_zero,
        "true_tilt": tilt - comp.facing_sign * zero,
        "true_roll": zero + d.roll,
        "sticker_px": d.diameter_mm * d.stature_px / d.body_height_mm,
        "found": False,
        "outcome": None,
    }
    row["true_raw"] = tilt_from_points(
        comp.asis, comp.psis, Facing.RIGHT if comp.facing_sign > 0 else Facing.LEFT
    )[1]
    if reading is None:
        row["outcome"] = row["status"]
        return row
    if not reading.found:
        row["outcome"] = reading.problem.value
        return row
    error = max(math.dist(reading.asis.centre, comp.asis), math.dist(reading.psis.centre, comp.psis))
    row["centre_error_px"] = error
    row["found"] = error <= WRONG_CENTRE_RADII * row["sticker_px"] / 2
    row["outcome"] = "found" if row["found"] else "wrong_pair"
    row["raw_error"] = reading.raw_tilt_degrees - row["true_raw"]
    row["tilt_error"] = reading.tilt_degrees - row["true_tilt"]
    roll = reading.roll.degrees if reading.roll is not None else None
    row["roll_read"] = roll
    row["roll_error"] = None if roll is None else roll - row["true_roll"]
    return row


# --- false readings --------------------------------------------------------------------------


def augment(rgb: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, str]:
    """A random flip, crop, scale, turn and colour jitter of ``rgb``, and what was done."""
    import cv2

    done = []
    out = rgb
    if rng.random() < 0.5:
        out, _ = np.ascontiguousarray(out[:, ::-1]), done.append("flip")
    height, width = out.shape[:2]
    if rng.random() < 0.5:
        keep = rng.uniform(0.75, 1.0)
        h, w = int(height * keep), int(width * keep)
        top, left = int(rng.integers(0, height - h + 1)), int(rng.integers(0, width - w + 1))
        out = np.ascontiguousarray(out[top : top + h, left : left + w])
        done.append(f"crop {keep:.2f}")
    scale = float(np.clip(rng.uniform(0.6, 3.0), 0, 2400 / max(out.shape[:2])))
    out = cv2.resize(
        out, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
    )
    done.append(f"scale {scale:.2f}")
    if rng.random() < 0.5:
        angle = float(rng.uniform(-8, 8))
        h, w = out.shape[:2]
        out = cv2.warpAffine(out, rotation((w, h), angle), (w, h), borderMode=cv2.BORDER_REPLICATE)
        done.append(f"turn {angle:.1f}")
    if rng.random() < 0.7:
        hsv = cv2.cvtColor(out, cv2.COLOR_RGB2HSV).astype(np.float32)
        hsv[..., 0] = (hsv[..., 0] + rng.uniform(-12, 12)) % 180
        hsv[..., 1] *= rng.uniform(0.7, 1.5)
        hsv[..., 2] = hsv[..., 2] * rng.uniform(0.75, 1.25) + rng.uniform(-15, 15)
        out = cv2.cvtColor(np.clip(hsv, 0, 255).astype(np.uint8), cv2.COLOR_HSV2RGB)
        done.append("colour")
    return out, ", ".join(done)


def false_readings(folder: Path, estimator, count: int, rng: np.random.Generator) -> dict:
    """Every photo without stickers as stored, then augmented copies up to ``count`` images:
    how many the analysis reads as markers, and how many the marker search alone (forced on the
    first person found, even where the analysis rejects the photo) would read."""
    from posture.image.decode import load_image
    from posture.types import TiltMethod

    photos = [(row["path"], load_image(folder / row["path"]).rgb) for row in sample_rows(folder)]
    counts = {"images": 0, "accepted": 0, "person_found": 0, "read_as_markers": 0, "forced_read": 0}
    problems: dict[str, int] = {}
    hits = []
    index = 0
    while counts["images"] < count:
        name, rgb = photos[index % len(photos)]
        how = "as stored"
        if index >= len(photos):
            rgb, how = augment(rgb, rng)
        index += 1
        result, reading = marker_search(rgb, estimator, forced=True)
        counts["images"] += 1
        counts["accepted"] += result.ok
        counts["person_found"] += reading is not None
        if result.ok and result.assessment.method is TiltMethod.MARKERS:
            counts["read_as_markers"] += 1
            hits.append({"photo": name, "augment": how, "by": "analysis"})
        if reading is not None:
            key = "pair" if reading.found else reading.problem.value
            problems[key] = problems.get(key, 0) + 1
            if reading.found and not result.ok:
                counts["forced_read"] += 1
                hits.append({"photo": name, "augment": how, "by": "forced search"})
    return {**counts, "photos": len(photos), "search_outcomes": problems, "hits": hits}


# --- timing ----------------------------------------------------------------------------------


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


# --- summary and main ------------------------------------------------------------------------

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


def run_composites(
    photos, estimator, rng, draws: int, seated_draws: int, pairs: int, log
) -> tuple[list, list]:
    rows, pair_rows = [], []
    for photo in photos:
        n = draws if photo.kind == "standing" else seated_draws
        for i in range(n):
            d = draw(rng, photo)
            rows.append(evaluate(photo, d, estimator))
            if photo.kind == "standing" and i < pairs:
                change = 0.0 if rng.random() < 0.25 else float(rng.uniform(-CHANGE_DEGREES, CHANGE_DEGREES))
                second = dataclasses.replace(
                    d, jpeg=int(rng.integers(60, 96)), blur=float(max(0.0, d.blur + rng.uniform(-0.3, 0.3)))
                )
                tilt = float(np.clip(d.tilt + change, -15, 25))
                again = evaluate(photo, second, estimator, tilt=tilt, seed=int(rng.integers(2**31)))
                pair_rows.append(
                    {"photo": photo.name, "change": tilt - d.tilt, "first": rows[-1], "second": again}
                )
        log(f"{photo.name}: {n} composites")
    return rows, pair_rows


def rounded(rows: list[dict], digits: int = 4) -> list[dict]:
    """The rows with their floats rounded (the JSON stays readable and small)."""
    return [{k: round(v, digits) if isinstance(v, float) else v for k, v in r.items()} for r in rows]


def main(argv: list[str] | None = None) -> int:
    from benchmarks.marker_report import markers_markdown
    from posture.pose import PoseEstimator

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=150, help="composites per standing photo")
    parser.add_argument("--seated-draws", type=int, default=40, help="composites per seated photo")
    parser.add_argument("--pairs", type=int, default=60, help="change pairs per standing photo")
    parser.add_argument("--negatives", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=7, help="timing runs per photo")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--samples", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--bodies",
        type=Path,
        default=None,
        help="a folder of benchmarks.bodies.generate renders: also paint stickers on those bodies",
    )
    parser.add_argument("--body-images", type=int, default=200, help="rendered images used at most")
    args = parser.parse_args(argv)
    folder = samples_folder(args.samples)
    if folder is None:
        print("benchmarks.markers: ../shared/samples is not present; nothing to measure")
        return 0
    started = time.perf_counter()

    def log(text: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {text}", flush=True)

    with PoseEstimator("full") as estimator:
        photos = load_photos(folder, estimator)
        log(f"{len(photos)} side views")
        rows, pair_rows = run_composites(
            photos,
            estimator,
            np.random.default_rng(args.seed),
            args.draws,
            args.seated_draws,
            args.pairs,
            log,
        )
        summary = summarise(rows, pair_rows)
        negatives = false_readings(folder, estimator, args.negatives, np.random.default_rng(args.seed + 1))
        log(f"{negatives['images']} images without stickers")
        timings = timing(photos, estimator, args.repeats, np.random.default_rng(args.seed + 2))
        log("timing")
        bodies = None
        if args.bodies is not None and (args.bodies / "index.jsonl").is_file():
            from benchmarks.marker_bodies import bodies_section

            bodies = bodies_section(
                args.bodies, estimator, np.random.default_rng(args.seed + 3), limit=args.body_images
            )
            log(f"{bodies['images']} rendered bodies")
    extra = {
        "seed": args.seed,
        "cpus": os.cpu_count(),
        "elapsed_s": time.perf_counter() - started,
        "samples": str(folder),
        "photos": [{"name": p.name, "kind": p.kind, "stature_px": p.stature_px} for p in photos],
        "draws": args.draws,
        "seated_draws": args.seated_draws,
        "pairs_per_photo": args.pairs,
    }
    results = {
        **extra,
        "summary": summary,
        "false_readings": negatives,
        "timing": timings,
        "targets": TARGETS,
        "bodies": None if bodies is None else {k: v for k, v in bodies.items() if k != "rows"},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "markers.json").write_text(
        json.dumps(
            {**results, "rows": rounded(rows), "body_rows": rounded(bodies["rows"]) if bodies else None},
            indent=1,
            default=float,
        )
    )
    report = markers_markdown(results)
    (args.out / "markers.md").write_text(report)
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
