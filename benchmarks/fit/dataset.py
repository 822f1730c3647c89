"""A data set's index, its cached poses and their features, as arrays.

A data set is a folder with ``index.jsonl`` (or the path of a ``.jsonl`` index): one JSON line per
image with at least the image path (relative to the index), the truth tilt and lumbar angle,
and the body id; the split (train/test) is by body. Both the single-mesh sets
(``benchmarks.fit.mesh_data``) and the body-model sets (``benchmarks/bodies``) are read; field
names differ a little between them and are mapped in ``normalise``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from benchmarks import data_folder
from benchmarks.fit import cache
from posture.measure import outline
from posture.measure.estimator import read
from posture.measure.fitted import Model
from posture.types import Decline


def _first(record: dict, *names, default=None):
    for name in names:
        node = record
        for part in name.split("."):
            if not isinstance(node, dict) or part not in node:
                node = None
                break
            node = node[part]
        if node is not None:
            return node
    return default


def _factors(record: dict) -> dict:
    """A flat dict of the factors the report breaks the error down by."""
    out = dict(record.get("factors") or {})
    body, clothes, scene = (
        record.get(k) if isinstance(record.get(k), dict) else {} for k in ("body", "clothes", "scene")
    )
    if "sex" in body:
        out["sex"] = body["sex"]
    if "age_years" in body:
        out["age_group"] = (
            "18-39" if body["age_years"] < 40 else ("40-59" if body["age_years"] < 60 else "60+")
        )
    weight = (body.get("phenotype") or {}).get("weight")
    if weight is not None:
        out["weight_group"] = "thin" if weight < 0.33 else ("average" if weight < 0.67 else "heavy")
    if "top_loose" in clothes:
        out["top"] = (
            "fitted"
            if clothes["top_loose"] < 0.3
            else ("loose" if clothes["top_loose"] < 0.6 else "very loose")
        )
    for key in ("yaw_deg", "facing", "tilt_mode"):
        if key in scene and key not in out:
            out[key] = scene[key]
    return out


def normalise(record: dict) -> dict:
    """The fields the fit uses, whatever the generator called them."""
    body = str(_first(record, "body_id", "body", "subject"))
    group = _first(record, "session", "scene", "group", "scene_id", default=body)
    return {
        "image": _first(record, "image", "image_path", "path", "file"),
        "tilt": float(
            _first(record, "tilt", "truth.pelvic_tilt_deg", "pelvic_tilt_deg", "truth_tilt", "truth.tilt")
        ),
        "lordosis": float(
            _first(
                record,
                "lordosis",
                "truth.lumbar_lordosis_deg",
                "truth.lordosis_deg",
                "lordosis_deg",
                "truth.lumbar_lordosis_deg",
                "truth_lordosis",
                "truth.lordosis",
                default=np.nan,
            )
        ),
        "body": body,
        "group": group if isinstance(group, str) else body,
        "same_setup": isinstance(group, str),
        "split": str(_first(record, "split", default="test")),
        "tilt_change": _first(
            record,
            "tilt_change",
            "truth.pelvis_tilt_change_deg",
            "truth.pelvic_tilt_change_deg",
            "tilt_change_deg",
        ),
        "factors": _factors(record),
    }


def index_path(data: Path) -> Path:
    return data if data.suffix == ".jsonl" else data / "index.jsonl"


def read_records(data: Path) -> list[dict]:
    """The index's records; a folder without an index (a batch still being written) is read
    from its per-image JSON files, each with an ``image`` field."""
    index = index_path(data)
    if index.exists():
        records = cache.read_index(index)
        for record in records:  # the body-model index keeps the factors in a per-image file
            extra = index.parent / str(record.get("json", ""))
            if record.get("json") and extra.is_file():
                record.update({k: v for k, v in json.loads(extra.read_text()).items() if k not in record})
        return records
    records = []
    for path in sorted(data.glob("*.json")):
        try:
            record = json.loads(path.read_text())
        except ValueError:
            continue  # being written
        if isinstance(record, dict) and "image" in record and (data / record["image"]).exists():
            records.append(record)
    return records


def cache_dir(data: Path) -> Path:
    folder = data.parent if data.suffix == ".jsonl" else data
    return data_folder.cache_root() / folder.name  # $POSTURE_BENCH_DATA, else benchmarks/data


@dataclass
class Table:
    """One row per image: truth, ids, status and (for readable outlines) features."""

    name: str
    records: list[dict]
    features: np.ndarray  # (n, F), NaN rows where not read
    status: list[str] = field(default_factory=list)  # "ok" or a check's reason code
    unreadable: list[str | None] = field(default_factory=list)  # outline failure text
    shifted: list[list[np.ndarray | None] | None] = field(default_factory=list)
    """Per image, the feature vectors at ``estimator.MASK_SHIFTS[1:]`` (None where not read or
    not asked for): the app averages its estimate over them."""

    def column(self, key: str) -> np.ndarray:
        return np.array([r[key] for r in self.records])


def _extract(job: tuple[str, bool]) -> tuple[str, np.ndarray | None, str | None, list | None, bool]:
    """Status, features, outline failure and shifted features of one cached pose."""
    from posture.measure.estimator import shifted_features

    path, with_shifts = job
    pose = cache.load(Path(path))
    if pose["status"] != "ok":
        return pose["status"], None, None, None, bool(pose["flipped"])
    try:
        found = outline.extract(pose["xy"], pose.get("mask"), pose.get("visibility"))
    except outline.OutlineUnreadable as error:
        return "ok", None, str(error), None, bool(pose["flipped"])
    shifted = None
    if with_shifts:
        shifted = shifted_features(pose["xy"], np.asarray(pose["mask"], np.float32), pose.get("visibility"))
    return "ok", found.features, None, shifted, bool(pose["flipped"])


def load(
    data: Path, *, ensure_cache: bool = True, workers: int = 1, shifts: str = "test", all_test: bool = False
) -> Table:
    """Read the index, detect any images not yet cached, and extract every outline.

    ``shifts``: for which images the outline is also read at the shifted mask levels the app
    averages over ("test": the test split, or every image when ``all_test``; "all"; "none")."""
    index = index_path(data)
    folder = cache_dir(data)
    raw = read_records(data)
    if ensure_cache:
        cache.run(raw, index.parent, folder, workers)
    if not ensure_cache:  # only what is cached already
        raw = [r for r in raw if (folder / cache.cache_name(r["image"])).exists()]
    records = [normalise(r) for r in raw]
    feats = np.full((len(records), len(outline.FEATURE_NAMES)), np.nan)
    status, unreadable, shifted = [], [], []
    jobs, where = [], []
    for i, r in enumerate(records):
        path = folder / cache.cache_name(r["image"])
        if path.exists():
            wanted = shifts == "all" or (shifts == "test" and (all_test or r["split"] == "test"))
            jobs.append((str(path), wanted))
            where.append(i)
    results: dict[int, tuple] = {}
    if workers > 1 and len(jobs) > 50:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            for i, result in zip(where, pool.map(_extract, jobs, chunksize=32)):
                results[i] = result
    else:
        for i, job in zip(where, jobs):
            results[i] = _extract(job)
    for i, r in enumerate(records):
        if i not in results:
            status.append("not_cached")
            unreadable.append(None)
            shifted.append(None)
            continue
        code, features, failure, others, flipped = results[i]
        r["flipped"] = flipped
        status.append(code)
        unreadable.append(failure)
        shifted.append(others)
        if features is not None:
            feats[i] = features
    return Table(
        name=index.parent.name,
        records=records,
        features=feats,
        status=status,
        unreadable=unreadable,
        shifted=shifted,
    )


def readings(model: Model, table: Table) -> list[dict]:
    """The model's estimate (or None and a reason) for every accepted image of ``table``.

    The same rules as the app (``estimator.combine``: the mean over the mask levels, and the
    decline rules) apply, evaluated from the cached features; an image whose shifted features
    were not extracted gets the unshifted estimate alone."""
    from posture.measure import estimator

    out = []
    for i, _r in enumerate(table.records):
        row = {
            "index": i,
            "status": table.status[i],
            "tilt": None,
            "lumbar": None,
            "reason": table.unreadable[i],
        }
        if table.status[i] == "ok" and table.unreadable[i] is None:
            others = table.shifted[i] if i < len(table.shifted) and table.shifted[i] else []
            est, reason = estimator.combine(model, [table.features[i], *others])
            if reason is Decline.OUT_OF_RANGE:
                row["reason"] = "out of range"
            elif reason is not None:
                row["reason"] = "implausible"
            else:
                row["tilt"], row["lumbar"] = est.tilt, est.lumbar
        out.append(row)
    return out


__all__ = ["Table", "load", "readings", "read", "normalise"]
