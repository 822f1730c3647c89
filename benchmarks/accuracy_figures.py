"""The accuracy benchmark's figures from its rows (``benchmarks.accuracy``): agreement with the
truth (bias, SD, MAE, limits of agreement), the tilt and lumbar errors and classes, the splits
by scene factor, the lite model against the full one and the repeatability under degradations.
"""

from __future__ import annotations

import dataclasses

import numpy as np


def degraded_repeatability(rows: list[dict]) -> dict:
    """How far the tilt moves when the same render is halved or recompressed (degrees)."""
    out = {}
    for name in ("half size", "JPEG q70"):
        pairs = [(r["tilt"], r["variants"][name]) for r in rows if "variants" in r]
        moved = np.array([abs(b - a) for a, b in pairs if a is not None and b is not None])
        out[name] = {
            "images": len(pairs),
            "both_measured": int(moved.size),
            "measured_only_in_one": sum((a is None) != (b is None) for a, b in pairs),
            "mean_abs": float(moved.mean()) if moved.size else None,
            "p90_abs": float(np.percentile(moved, 90)) if moved.size else None,
            "under_1deg": float((moved < 1.0).mean()) if moved.size else None,
        }
    return out


def lite_against_full(rows: list[dict]) -> dict | None:
    """How the live page's lite model reads the same renders as the full model (degrees)."""
    pairs = [r for r in rows if "lite" in r]
    if not pairs:
        return None
    both = [r for r in pairs if r["tilt"] is not None and r["lite"]["tilt"] is not None]
    lumbar = [r for r in pairs if r["lumbar"] is not None and r["lite"]["lumbar"] is not None]
    return {
        "images": len(pairs),
        "tilt_measured_full": sum(r["tilt"] is not None for r in pairs),
        "tilt_measured_lite": sum(r["lite"]["tilt"] is not None for r in pairs),
        "tilt_lite_minus_full": agreement(np.array([r["lite"]["tilt"] - r["tilt"] for r in both])),
        "tilt_full_vs_truth": agreement(np.array([r["tilt"] - r["truth"]["tilt"] for r in both])),
        "tilt_lite_vs_truth": agreement(np.array([r["lite"]["tilt"] - r["truth"]["tilt"] for r in both])),
        "lumbar_lite_minus_full": agreement(np.array([r["lite"]["lumbar"] - r["lumbar"] for r in lumbar])),
    }


def agreement(errors: np.ndarray) -> dict:
    """MAE, bias and 95% limits of agreement (Bland-Altman) of an error array."""
    errors = errors[np.isfinite(errors)]
    if errors.size == 0:
        return {"n": 0}
    sd = float(errors.std(ddof=1)) if errors.size > 1 else 0.0
    bias = float(errors.mean())
    return {
        "n": int(errors.size),
        "mae": float(np.abs(errors).mean()),
        "bias": bias,
        "sd": sd,
        "median_abs": float(np.median(np.abs(errors))),
        "loa_low": bias - 1.96 * sd,
        "loa_high": bias + 1.96 * sd,
        "p95_abs": float(np.percentile(np.abs(errors), 95)),
    }


def summarise(rows: list[dict]) -> dict:
    from posture.assess import DEFAULT, classify, resolved
    from posture.assess.errors import ErrorFigures

    main = [r for r in rows if not r["repeat"]]
    measured = [r for r in main if r["tilt"] is not None]
    neutral = {r["scene"]: r for r in main if r["tilt_change"] == 0.0 and r["tilt"] is not None}
    change_err, abs_err, lumbar_err, lumbar_change_err = [], [], [], []
    for r in measured:
        abs_err.append(r["tilt"] - r["truth"]["tilt"])
        if r["lumbar"] is not None:
            lumbar_err.append(r["lumbar"] - r["truth"]["lumbar"])
        base = neutral.get(r["scene"])
        if base is not None and r["tilt_change"] != 0.0:
            change_err.append((r["tilt"] - base["tilt"]) - (r["truth"]["tilt"] - base["truth"]["tilt"]))
            if r["lumbar"] is not None and base["lumbar"] is not None:
                lumbar_change_err.append(
                    (r["lumbar"] - base["lumbar"]) - (r["truth"]["lumbar"] - base["truth"]["lumbar"])
                )
    classes = ["posterior", "neutral", "anterior"]
    confusion = {t: {p: 0 for p in classes} for t in classes}
    for r in measured:
        confusion[classify(r["truth"]["tilt"]).value][r["class"]] += 1
    correct = sum(confusion[c][c] for c in classes)
    repeats = {}
    for r in rows:
        if r["tilt_change"] == 0.0 and r["tilt"] is not None:
            repeats.setdefault(r["scene"], []).append(r["tilt"])
    spread = [float(np.std(v)) for v in repeats.values() if len(v) > 1]
    return {
        "images": len(main),
        "rejected": sum(r["status"] != "ok" for r in main),
        "unmeasured_tilt": sum(r["status"] == "ok" and r["tilt"] is None for r in main),
        "rejection_reasons": _count(r["reason"] for r in main if r["reason"]),
        "tilt_change": agreement(np.array(change_err)),
        "tilt_absolute": agreement(np.array(abs_err)),
        "lumbar_absolute": agreement(np.array(lumbar_err)),
        "lumbar_change": agreement(np.array(lumbar_change_err)),
        "classification_accuracy": correct / max(1, len(measured)),
        "confusion": confusion,
        "noise_repeat_sd_mean": float(np.mean(spread)) if spread else None,
        "thresholds": dataclasses.asdict(resolved(DEFAULT, ErrorFigures.load())),
        "by_factor": by_factor(main, neutral),
        "lite_model": lite_against_full(main),
        "degraded": degraded_repeatability(main),
    }


def _count(values) -> dict:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


FACTOR_BINS = {
    "yaw_deg": ("|yaw|", lambda v: abs(v), (0, 3.5, 7, 10.01)),
    "pitch_deg": ("|pitch|", lambda v: abs(v), (0, 2.5, 5.01)),
    "roll_deg": ("|roll|", lambda v: abs(v), (0, 2.5, 5.01)),
    "girth": ("girth", lambda v: v, (0.85, 1.0, 1.15, 1.31)),
    "lumbar_extra_deg": ("extra lumbar curve", lambda v: v, (-10, -3, 3, 10.01)),
    "blur_sigma": ("blur sigma", lambda v: v, (0, 0.5, 1.0, 1.51)),
    "jpeg_quality": ("JPEG quality", lambda v: v or 100, (40, 60, 80, 101)),
}


def by_factor(main: list[dict], neutral: dict) -> dict:
    """Tilt-change MAE and rejection share per bin of each nuisance factor, and per tilt mode."""
    out = {}
    for key, (label, value, edges) in FACTOR_BINS.items():
        bins = []
        for lo, hi in zip(edges[:-1], edges[1:]):
            sel = [r for r in main if lo <= value(r["params"][key]) < hi]
            errs = [
                (r["tilt"] - neutral[r["scene"]]["tilt"])
                - (r["truth"]["tilt"] - neutral[r["scene"]]["truth"]["tilt"])
                for r in sel
                if r["tilt"] is not None and r["scene"] in neutral and r["tilt_change"] != 0
            ]
            absolute = [r["tilt"] - r["truth"]["tilt"] for r in sel if r["tilt"] is not None]
            bins.append(
                {
                    "range": [lo, min(hi, edges[-1])],
                    "images": len(sel),
                    "rejected": sum(r["status"] != "ok" for r in sel),
                    "change_mae": float(np.mean(np.abs(errs))) if errs else None,
                    "absolute_mae": float(np.mean(np.abs(absolute))) if absolute else None,
                }
            )
        out[label] = bins
    for mode in ("compensated", "rigid"):
        pairs = [
            (
                r["truth"]["tilt"] - neutral[r["scene"]]["truth"]["tilt"],
                r["tilt"] - neutral[r["scene"]]["tilt"],
            )
            for r in main
            if r["params"]["tilt_mode"] == mode
            and r["tilt"] is not None
            and r["scene"] in neutral
            and r["tilt_change"] != 0
        ]
        true, estimated = np.array(pairs).reshape(-1, 2).T
        out[f"mode {mode}"] = agreement(estimated - true)
        # Gain: least-squares slope through the origin of estimated change on true change
        # (1 = the estimate follows the pelvis fully, 0.5 = it sees half of each change).
        out[f"mode {mode}"]["gain"] = float(true @ estimated / (true @ true)) if len(true) else None
        out[f"mode {mode}"]["r"] = float(np.corrcoef(true, estimated)[0, 1]) if len(true) > 2 else None
    return out
