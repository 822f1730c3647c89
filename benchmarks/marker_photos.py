"""The real photos of the marker benchmark (``benchmarks.markers``) and the sticker search on
them: the side views of ../shared/samples with their landmarks, the photos without stickers
for the false readings, and the image turn both use.
"""

from __future__ import annotations

import csv
import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SAMPLE_FOLDERS = (REPO.parent / "shared" / "samples", REPO.parents[1] / "shared" / "samples")
"""../shared/samples; from a git worktree one level deeper (../../shared/samples)."""
STANDING = "positive_side_standing"
SEATED = "negative_seated_side_view"


def rotation(size: tuple[int, int], degrees: float) -> np.ndarray:
    """The 2x3 affine matrix turning a ``size`` (width, height) picture by ``degrees`` about its
    centre, positive counter-clockwise as seen (``cv2.getRotationMatrix2D``'s convention; the
    room's verticals then lean tops-left, a roll of ``-degrees``)."""
    width, height = size
    theta = math.radians(degrees)
    c, s = math.cos(theta), math.sin(theta)
    cx, cy = width / 2, height / 2
    return np.array([[c, s, (1 - c) * cx - s * cy], [-s, c, s * cx + (1 - c) * cy]])


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
