"""Error figures of the estimator on a set of images of known truth.

Change pairs: within one group, every image against the group's reference image (the one
closest to the body's own neutral, ``tilt_change`` 0, else the first), as a before/after
comparison of one person would be. A group is a session where the data set has them (one body
in one set-up: same clothes, arms, camera place and room; ``--session-size`` of
``benchmarks.bodies.generate``, or a single-mesh scene): those pairs give the "same set-up"
figures (``tilt_change``), the ones the comparison page uses. Otherwise a group is all the
images of one body, each with its own clothes, arms and camera: those pairs give the "varied
set-up" figures (``tilt_change_varied``). The class probability is the one the app
states (``model.class_probabilities`` with the model's ``class_sd``); the reliability table bins
the stated probability of the class reported and counts how often that class was right.
"""

from __future__ import annotations

import numpy as np

from posture.measure.estimator import class_probabilities

POSTERIOR_BELOW, ANTERIOR_ABOVE = 4.0, 18.0
"""The app's class thresholds (posture.assess): must agree with them (a test checks it)."""
RELIABILITY_BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)
CLASSES = ("posterior", "neutral", "anterior")


def true_class(tilt: float) -> str:
    if tilt > ANTERIOR_ABOVE:
        return "anterior"
    if tilt < POSTERIOR_BELOW:
        return "posterior"
    return "neutral"


def agreement(errors) -> dict:
    e = np.asarray([x for x in errors if x is not None and np.isfinite(x)], float)
    if e.size < 2:
        return {"n": int(e.size)}
    sd = float(e.std(ddof=1))
    return {
        "n": int(e.size),
        "mae": float(np.abs(e).mean()),
        "bias": float(e.mean()),
        "sd": sd,
        "median_abs": float(np.median(np.abs(e))),
        "limit_1.96sd": 1.96 * sd,
    }


def _closeness(record: dict, position: int) -> float:
    """How near an image is to its body's own neutral (the first image when that is unknown)."""
    change = record.get("tilt_change")
    return abs(change) if change is not None else float(position)


def change_errors(
    records: list[dict], readings: list[dict], key: str, truth_key: str, same_setup: bool | None = None
) -> list[float]:
    """Errors (estimated minus true change) of every image against its group's reference;
    ``same_setup`` True or False keeps only the groups of that kind (None: all)."""
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        if same_setup is None or r.get("same_setup", False) == same_setup:
            groups.setdefault(r["group"], []).append(i)
    errors = []
    for members in groups.values():
        ref = min(members, key=lambda i, m=members: _closeness(records[i], m.index(i)))
        if readings[ref][key] is None:
            continue
        for i in members:
            if i == ref or readings[i][key] is None:
                continue
            est = readings[i][key] - readings[ref][key]
            true = records[i][truth_key] - records[ref][truth_key]
            if np.isfinite(true):
                errors.append(est - true)
    return errors


def reliability(stated: np.ndarray, hit: np.ndarray) -> tuple[list[dict], float | None]:
    rows, gap_sum = [], 0.0
    for lo, hi in zip(RELIABILITY_BINS[:-1], RELIABILITY_BINS[1:]):
        sel = (stated >= lo) & (stated < hi)
        if not sel.any():
            continue
        mean_stated, rate = float(stated[sel].mean()), float(hit[sel].mean())
        rows.append({"bin": [lo, min(hi, 1.0)], "n": int(sel.sum()), "stated": mean_stated, "right": rate})
        gap_sum += sel.sum() * abs(mean_stated - rate)
    return rows, (gap_sum / len(stated) if len(stated) else None)


def figures(records: list[dict], readings: list[dict], class_sd: float) -> dict:
    """Every figure of issue 14 part 3 for one set of images."""
    accepted = [i for i, r in enumerate(readings) if r["status"] == "ok"]
    measured = [i for i in accepted if readings[i]["tilt"] is not None]
    tilt_err = [readings[i]["tilt"] - records[i]["tilt"] for i in measured]
    lumbar_err = [readings[i]["lumbar"] - records[i]["lordosis"] for i in measured]
    stated, hit, confusion = [], [], {t: {p: 0 for p in CLASSES} for t in CLASSES}
    for i in measured:
        probs = class_probabilities(readings[i]["tilt"], class_sd, POSTERIOR_BELOW, ANTERIOR_ABOVE)
        said = true_class(readings[i]["tilt"])  # the class reported: the estimate's class
        stated.append(probs[CLASSES.index(said)])
        truth = true_class(records[i]["tilt"])
        hit.append(said == truth)
        confusion[truth][said] += 1
    table, gap = reliability(np.array(stated), np.array(hit, float))
    reasons: dict[str, int] = {}
    for r in readings:
        key = r["status"] if r["status"] != "ok" else (r["reason"] and "ok, no tilt: " + r["reason"])
        if key:
            reasons[key] = reasons.get(key, 0) + 1
    return {
        "images": len(records),
        "accepted": len(accepted),
        "measured": len(measured),
        "share_measured": len(measured) / max(1, len(accepted)),
        "bodies": len({records[i]["body"] for i in measured}),
        "tilt_change": agreement(change_errors(records, readings, "tilt", "tilt", same_setup=True)),
        "tilt_change_varied": agreement(change_errors(records, readings, "tilt", "tilt", same_setup=False)),
        "tilt_absolute": agreement(tilt_err),
        "lumbar_absolute": agreement(lumbar_err),
        "lumbar_change": agreement(change_errors(records, readings, "lumbar", "lordosis", same_setup=True)),
        "lumbar_change_varied": agreement(
            change_errors(records, readings, "lumbar", "lordosis", same_setup=False)
        ),
        "class_accuracy": float(np.mean(hit)) if hit else None,
        "confusion": confusion,
        "calibration_gap": gap,
        "reliability": table,
        "not_measured": reasons,
    }


def by_factor(records: list[dict], readings: list[dict], factor: str, bins=None) -> list[dict]:
    """Absolute tilt MAE and share measured per value (or bin) of one factor."""
    values = [r["factors"].get(factor) if isinstance(r["factors"], dict) else None for r in records]
    out = []
    if bins is None:
        keys = sorted({str(v) for v in values if v is not None})
        members = {k: [i for i, v in enumerate(values) if str(v) == k] for k in keys}
    else:
        members = {
            f"{lo}..{hi}": [i for i, v in enumerate(values) if v is not None and lo <= abs(float(v)) < hi]
            for lo, hi in zip(bins[:-1], bins[1:])
        }
    for key, idx in members.items():
        ok = [i for i in idx if readings[i]["status"] == "ok"]
        got = [i for i in ok if readings[i]["tilt"] is not None]
        err = [abs(readings[i]["tilt"] - records[i]["tilt"]) for i in got]
        out.append(
            {
                "value": key,
                "images": len(idx),
                "measured": len(got),
                "tilt_mae": float(np.mean(err)) if err else None,
            }
        )
    return out
