"""The accuracy benchmark's report (``benchmarks.accuracy``): Markdown and plots (matplotlib,
headless)."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.report import TARGETS, met, table


def accuracy_markdown(summary: dict, real: list[dict], plots: list[str], elapsed: float) -> str:
    change, absolute = summary["tilt_change"], summary["tilt_absolute"]
    lumbar, lumbar_change = summary["lumbar_absolute"], summary["lumbar_change"]
    parts = [
        "# Accuracy benchmark",
        "",
        f"Synthetic side views rendered by `benchmarks/synth` (one CC0 male mesh, random body, "
        f"clothes, camera yaw ±10°, pitch and roll ±5°, light, blur, noise, JPEG), each scene at "
        f"pelvic tilts from −15° to +20° around the mesh's neutral. {summary['images']} images, "
        f"{summary['rejected']} rejected, {summary['unmeasured_tilt']} accepted without a tilt. "
        f"Run time {elapsed:.0f} s. Regenerate with `make bench`.",
        "",
        "## Against the targets",
        "",
        table(
            ["measure", "result", "target", ""],
            [
                [
                    "tilt change MAE (°)",
                    change.get("mae"),
                    TARGETS["tilt_change_mae"],
                    met(change.get("mae"), TARGETS["tilt_change_mae"]),
                ],
                [
                    "classification accuracy",
                    summary["classification_accuracy"],
                    TARGETS["classification_accuracy"],
                    met(
                        summary["classification_accuracy"],
                        TARGETS["classification_accuracy"],
                        lower_is_better=False,
                    ),
                ],
                [
                    "lumbar angle MAE (°)",
                    lumbar.get("mae"),
                    TARGETS["lumbar_mae"],
                    met(lumbar.get("mae"), TARGETS["lumbar_mae"]),
                ],
            ],
        ),
        "",
        "## Errors (estimate − truth, degrees)",
        "",
        table(
            [
                "quantity",
                "n",
                "MAE",
                "median |error|",
                "bias",
                "SD",
                "95% limits of agreement",
                "95th pct |error|",
            ],
            [
                [
                    name,
                    a.get("n"),
                    a.get("mae"),
                    a.get("median_abs"),
                    a.get("bias"),
                    a.get("sd"),
                    f"{a['loa_low']:.1f} to {a['loa_high']:.1f}" if a.get("n") else None,
                    a.get("p95_abs"),
                ]
                for name, a in [
                    ("tilt change", change),
                    ("tilt absolute", absolute),
                    ("lumbar angle absolute", lumbar),
                    ("lumbar angle change", lumbar_change),
                ]
            ],
        ),
        "",
        "## Classification (rows: true class, columns: estimated)",
        "",
        table(
            ["true \\ estimated", "posterior", "neutral", "anterior"],
            [
                [t] + [summary["confusion"][t][p] for p in ("posterior", "neutral", "anterior")]
                for t in ("posterior", "neutral", "anterior")
            ],
        ),
        "",
        "## Error by nuisance factor",
        "",
    ]
    for label, bins in summary["by_factor"].items():
        if isinstance(bins, dict):
            continue
        parts += [
            f"**{label}**",
            "",
            table(
                ["range", "images", "rejected", "change MAE", "absolute MAE"],
                [
                    [
                        f"{b['range'][0]:g}–{b['range'][1]:g}",
                        b["images"],
                        b["rejected"],
                        b["change_mae"],
                        b["absolute_mae"],
                    ]
                    for b in bins
                ],
            ),
            "",
        ]
    modes = [(k, v) for k, v in summary["by_factor"].items() if isinstance(v, dict)]
    parts += [
        "**tilt mode** (compensated: trunk and thighs stay still, the lumbar curve changes; "
        "rigid: the trunk turns with the pelvis)",
        "",
        table(
            [
                "mode",
                "n",
                "change MAE",
                "bias",
                "gain (estimated change / true change)",
                "r (estimated vs true change)",
            ],
            [[k, v.get("n"), v.get("mae"), v.get("bias"), v.get("gain"), v.get("r")] for k, v in modes],
        ),
        "",
    ]
    lite = summary.get("lite_model")
    if lite:

        def row(label, a):
            return [label, a.get("n"), a.get("mae"), a.get("bias"), a.get("sd")]

        parts += [
            "## The live page's lite model",
            "",
            f"The first scenes ({lite['images']} images) analysed with both models. Tilt "
            f"measured on {lite['tilt_measured_full']} images with the full model and "
            f"{lite['tilt_measured_lite']} with the lite one (the tilt fit is the full model's).",
            "",
            table(
                ["degrees", "n", "MAE", "bias", "SD"],
                [
                    row("tilt: lite − full", lite["tilt_lite_minus_full"]),
                    row("tilt: full − truth", lite["tilt_full_vs_truth"]),
                    row("tilt: lite − truth", lite["tilt_lite_vs_truth"]),
                    row("lumbar angle: lite − full", lite["lumbar_lite_minus_full"]),
                ],
            ),
            "",
        ]
    parts += [
        "## Repeatability",
        "",
        f"Re-renders of the neutral pose with only the sensor noise changed: mean SD of the tilt "
        f"estimate {summary['noise_repeat_sd_mean']:.2f}°."
        if summary["noise_repeat_sd_mean"] is not None
        else "No noise repeats were run.",
        "",
    ]
    degraded = summary.get("degraded")
    if degraded:
        parts += [
            "Every render analysed again at half size and recompressed at JPEG quality 70: how "
            "far the tilt moved.",
            "",
            table(
                [
                    "variant",
                    "images",
                    "both measured",
                    "measured in only one",
                    "mean |move| (°)",
                    "90th pct |move| (°)",
                    "share under 1°",
                ],
                [
                    [
                        name,
                        d["images"],
                        d["both_measured"],
                        d["measured_only_in_one"],
                        d["mean_abs"],
                        d["p90_abs"],
                        d["under_1deg"],
                    ]
                    for name, d in degraded.items()
                ],
            ),
            "",
        ]
    if real:
        shown = [
            [r["file"]]
            + ["not measured" if r[k] is None else r[k] for k in ("original", "half size", "JPEG q70")]
            for r in real
        ]
        parts += [
            "Real side views in ../shared/samples, as stored, at half size and recompressed "
            '(tilt in degrees; "not measured" = the analyzer declined, with a reason):',
            "",
            table(["file", "original", "half size", "JPEG q70"], shown),
            "",
        ]
    parts += [
        "## Rejections",
        "",
        table(["reason", "images"], [[k, v] for k, v in summary["rejection_reasons"].items()]),
        "",
    ]
    parts += ["## Plots", ""] + [f"![{p}]({p})" for p in plots] + [""]
    parts += [
        "## Limits of this benchmark",
        "",
        "- One body mesh, skinned with linear blending: the skin over the pelvis follows only about "
        "81–87% of the bone's tilt, and the lumbar curve comes from a single rig bone.",
        "- Truth angles come from rules on the mesh (ASIS/PSIS points), not from anatomy; the mesh's "
        "neutral is 9.8°.",
        "- Passing here is necessary, not sufficient: no real photo with measured tilt exists to "
        "check against.",
        "",
    ]
    return "\n".join(parts)


def accuracy_plots(out: Path) -> list[str]:
    """Bland-Altman style plots of the tilt change and the absolute tilt; returns file names."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    rows = json.loads((out / "accuracy_rows.json").read_text())
    main = [r for r in rows if not r["repeat"] and r["tilt"] is not None]
    neutral = {r["scene"]: r for r in main if r["tilt_change"] == 0.0}
    pairs = [
        (
            (r["truth"]["tilt"] - neutral[r["scene"]]["truth"]["tilt"]),
            (r["tilt"] - neutral[r["scene"]]["tilt"]),
            r["params"]["tilt_mode"],
        )
        for r in main
        if r["scene"] in neutral
    ]
    figure, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    for mode, colour in (("compensated", "tab:blue"), ("rigid", "tab:orange")):
        sel = [(t, e) for t, e, m in pairs if m == mode]
        if sel:
            t, e = np.array(sel).T
            axes[0].scatter(t, e, s=10, c=colour, label=mode)
    lim = [-20, 25]
    axes[0].plot(lim, lim, "k--", lw=1)
    axes[0].set(xlabel="true tilt change (°)", ylabel="estimated change (°)", title="Tilt change")
    axes[0].legend()
    truth = np.array([r["truth"]["tilt"] for r in main])
    est = np.array([r["tilt"] for r in main])
    axes[1].scatter(truth, est, s=10)
    axes[1].plot([-10, 35], [-10, 35], "k--", lw=1)
    axes[1].set(xlabel="true pelvic tilt (°)", ylabel="estimated (°)", title="Absolute tilt")
    lumbar = [(r["truth"]["lumbar"], r["lumbar"]) for r in main if r["lumbar"] is not None]
    if lumbar:
        t, e = np.array(lumbar).T
        axes[2].scatter(t, e, s=10, c="tab:green")
        axes[2].plot([10, 70], [10, 70], "k--", lw=1)
    axes[2].set(xlabel="true lumbar flexicurve angle (°)", ylabel="estimated (°)", title="Lumbar angle")
    figure.tight_layout()
    name = "accuracy_scatter.png"
    figure.savefig(out / name, dpi=90)
    plt.close(figure)
    return [name]
