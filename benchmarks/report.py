"""Markdown tables and plots for the benchmark reports (matplotlib, headless)."""

from __future__ import annotations

import json
from pathlib import Path

TARGETS = {
    "tilt_change_mae": 3.0,
    "classification_accuracy": 0.90,
    "lumbar_mae": 5.0,
    "overhead_ratio": 1.3,
    "photo_12mp_ms": 150.0,
}


def table(header: list[str], rows: list[list]) -> str:
    def cell(value) -> str:
        if value is None:
            return "–"
        if isinstance(value, float):
            return f"{value:.2f}"
        return str(value)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _met(value: float | None, target: float, *, lower_is_better: bool = True) -> str:
    if value is None:
        return "not measured"
    ok = value <= target if lower_is_better else value >= target
    return "met" if ok else "NOT met"


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
                    _met(change.get("mae"), TARGETS["tilt_change_mae"]),
                ],
                [
                    "classification accuracy",
                    summary["classification_accuracy"],
                    TARGETS["classification_accuracy"],
                    _met(
                        summary["classification_accuracy"],
                        TARGETS["classification_accuracy"],
                        lower_is_better=False,
                    ),
                ],
                [
                    "lumbar angle MAE (°)",
                    lumbar.get("mae"),
                    TARGETS["lumbar_mae"],
                    _met(lumbar.get("mae"), TARGETS["lumbar_mae"]),
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


def speed_markdown(rows: list[dict], extra: dict) -> str:
    parts = [
        "# Speed benchmark",
        "",
        f"Machine: {extra['cpus']} cores. Median of {extra['repeats']} runs per size, full model. "
        "Regenerate with `make bench`.",
        "",
        table(
            [
                "photo",
                "pixels (MP)",
                "file (KB)",
                "decode ms",
                "detect ms",
                "measure ms",
                "draw ms",
                "file→result ms",
                "bare detect ms",
                "overhead ratio",
            ],
            [
                [
                    r["label"],
                    r["megapixels"],
                    r["kilobytes"],
                    r["decode_ms"],
                    r["detect_ms"],
                    r["measure_ms"],
                    r["draw_ms"],
                    r["end_to_end_ms"],
                    r["bare_detect_ms"],
                    r["overhead_ratio"],
                ]
                for r in rows
            ],
        ),
        "",
        "`file→result` is decode + detect + measure (no drawing), from JPEG bytes in memory. "
        "`overhead ratio` is the analysis of the decoded image (detect + measure) over a bare "
        "`PoseLandmarker.detect` on the same image.",
        "",
        table(
            ["other", "value"],
            [
                ["model load (full), ms", extra["load_full_ms"]],
                ["model load (lite), ms", extra["load_lite_ms"]],
                ["peak memory (max RSS), MB", extra["peak_rss_mb"]],
            ],
        ),
        "",
        "## Targets",
        "",
        table(
            ["target", "result", ""],
            [
                [
                    "12 MP file→result ≤ 150 ms",
                    rows[-1]["end_to_end_ms"],
                    _met(rows[-1]["end_to_end_ms"], TARGETS["photo_12mp_ms"]),
                ],
                [
                    "overhead ratio ≤ 1.3 (worst size)",
                    max(r["overhead_ratio"] for r in rows),
                    _met(max(r["overhead_ratio"] for r in rows), TARGETS["overhead_ratio"]),
                ],
            ],
        ),
        "",
        "The live mirror (pose model in the browser) has its own report: [live_browser.md](live_browser.md).",
        "",
    ]
    return "\n".join(parts)


def _verdict(value: float | None, target: float, *, lower_is_better: bool = True) -> str:
    return {"met": "pass", "NOT met": "FAIL"}.get(_met(value, target, lower_is_better=lower_is_better), "–")


TIME_RATIO_ROWS = (
    ("analysis time with stickers / without marker search (worst photo)", "ratio_worst"),
    (
        "(analysis without search + search stage with stickers) / analysis without search",
        "ratio_from_stage_worst",
    ),
    (
        "analysis time with stickers / same photo without, search on (worst photo)",
        "ratio_vs_search_none_found_worst",
    ),
)
"""The three ways the marker benchmark states the time with stickers against the time without."""


def markers_markdown(results: dict) -> str:
    """The marker benchmark's report (``benchmarks.markers``): targets table, then the splits."""
    targets, summary = results["targets"], results["summary"]
    standing, seated, change = summary["standing"], summary["seated"], summary["change"]
    negatives, timing = results["false_readings"], results["timing"]
    tilt_all, tilt_ok = standing["tilt_error_all"], standing["tilt_error_correctable"]
    roll = summary["roll_referenced"]
    false_total = negatives["read_as_markers"] + negatives["forced_read"]
    measures = [
        [
            "stickers found (standing composites the analysis accepted)",
            f"≥ {targets['found_rate']:.0%}",
            _pct(standing["found_rate"]),
            _verdict(standing["found_rate"], targets["found_rate"], lower_is_better=False),
            standing["visible"],
        ],
        [
            "stickers found (seated side views, marker search forced)",
            f"≥ {targets['found_rate']:.0%}",
            _pct(seated["found_rate"]),
            _verdict(seated["found_rate"], targets["found_rate"], lower_is_better=False),
            seated["visible"],
        ],
        [
            "false marker readings, images without stickers (analysis)",
            "0",
            f"{negatives['read_as_markers']} of {negatives['images']}",
            "pass" if negatives["read_as_markers"] == 0 else "FAIL",
            negatives["images"],
        ],
        [
            "false readings, marker search forced on every person found",
            "0",
            f"{negatives['forced_read']} of {negatives['person_found']}",
            "pass" if negatives["forced_read"] == 0 else "FAIL",
            negatives["person_found"],
        ],
        [
            "tilt MAE vs pasted line (°), level camera or vertical reference",
            f"≤ {targets['tilt_mae']}",
            _num(tilt_ok.get("mae")),
            _verdict(tilt_ok.get("mae"), targets["tilt_mae"]),
            tilt_ok["n"],
        ],
        [
            "tilt MAE vs pasted line (°), all found (incl. rolled, no reference)",
            f"≤ {targets['tilt_mae']}",
            _num(tilt_all.get("mae")),
            _verdict(tilt_all.get("mae"), targets["tilt_mae"]),
            tilt_all["n"],
        ],
        [
            "same-set-up change limit, 1.96 SD (°)",
            f"≤ ±{targets['change_limit']}",
            _num(change["limit"], "±"),
            _verdict(change["limit"], targets["change_limit"]),
            change["both_found"],
        ],
        [
            "roll error, reference seen turned and unturned (°): 95th pct |error|",
            f"within {targets['roll_error']}",
            f"{_num(roll.get('p95_abs'))} (MAE {_num(roll.get('mae'))}, worst {_num(roll.get('worst'))}, "
            f"{_pct(roll.get('within_1'))} within 1°)",
            _verdict(roll.get("p95_abs"), targets["roll_error"]),
            roll["n"],
        ],
        *(
            [
                label,
                f"≤ {targets['time_ratio']}×",
                _num(timing[key], suffix="×"),
                _verdict(timing[key], targets["time_ratio"]),
                len(timing["rows"]),
            ]
            for label, key in TIME_RATIO_ROWS
        ),
        [
            "find_roll on a 1500×2000 photo (ms, median)",
            f"≤ {targets['find_roll_ms']:g}",
            _num(timing["find_roll_large_ms"]),
            _verdict(timing["find_roll_large_ms"], targets["find_roll_ms"]),
            timing["repeats"],
        ],
    ]
    photos = ", ".join(f"{p['name']} ({p['kind']})" for p in results["photos"])
    parts = [
        "# Marker benchmark",
        "",
        "Two round skin stickers painted (`posture.image.sticker_art.paint_sticker`) near the pelvis "
        "of the real side views in ../shared/samples, at points drawn from the landmarks, so the "
        "truth is the painted centre and the line between them. "
        f"Seed {results['seed']}, {results['cpus']} cores, run time {results['elapsed_s']:.0f} s. "
        "Regenerate with `make bench` or `python -m benchmarks.markers`.",
        "",
        "**Not held-out data.** The photos are the same few shared photos the sticker thresholds "
        "(`posture/image/stickers.py`, `posture/measure/markers.py`) were set on by hand; no rendered "
        "body or real photo with real stickers is in this benchmark. The stickers are ideal discs "
        "painted over everything (never hidden by an arm), on photos enlarged by up to about "
        "4× (the standing views are 291×436 and 93×314 px), so they are sharper against a softer "
        "background than in a phone photo.",
        "",
        f"Photos: {photos}. Standing views: {results['draws']} composites each with the whole "
        "analysis (`posture.analyze`, full model). Seated views (the analysis rejects them as not "
        f"standing): {results['seated_draws']} composites each, the marker search run on the "
        "landmarks the analysis found (`benchmarks.markers.marker_search`, forced).",
        "",
        "## Against the targets",
        "",
        table(["measure", "target", "result", "", "n"], measures),
        "",
        "Tilt truth: the pasted line against the photo's horizontal as corrected by the roll "
        "`find_roll` reads on the same picture without stickers and not turned (0 when it finds no "
        "reference). Roll truth: that reading plus the roll applied, so the roll error measures how "
        "well the turn applied is recovered, not whether the photo itself was level. Where "
        "`find_roll` reads no roll in the turned composite (no vertical reference it can use) the "
        "roll cannot be taken out and the tilt error is the roll applied: hence two tilt rows, the "
        "first over composites with no roll applied or a roll read. A door frame (a dark band 2.5% "
        f"of the width) was drawn into a quarter of the composites as a vertical reference; "
        f"{standing['roll_missed_with_frame']} of the {standing['frame_drawn_found']} standing "
        "composites with a frame and both stickers found still read no roll.",
        "",
        "Marker figures measured here, **not** copied into `posture/assess/data/marker_error.json` "
        "(provisional there: tilt SD 0.7°, change limit in place ±2.0°): SD of the tilt against "
        f"the pasted line {_num(tilt_ok.get('sd'))}° (level camera or roll read, standing views), "
        f"same-set-up change limit ±{_num(change['limit'])}°. Both are of ideal painted discs on "
        "these photos, so they are a floor, not the figure of real stickers on real skin.",
        "",
        "## Errors of the found stickers (standing views)",
        "",
        table(
            ["quantity", "n", "MAE", "bias", "SD", "95th pct |error|"],
            [
                [label, s.get("n"), s.get("mae"), s.get("bias"), s.get("sd"), s.get("p95_abs")]
                for label, s in [
                    ("centre error (px, worse of the two)", standing["centre_error_px"]),
                    ("raw tilt vs the pasted line in the picture (°)", standing["raw_tilt_error"]),
                    ("tilt, level camera or reference (°)", tilt_ok),
                    ("tilt, rolled without reference (°)", standing["tilt_error_rolled_no_reference"]),
                    ("tilt, all (°)", tilt_all),
                    ("roll where a roll was read (°)", standing["roll_error"]),
                    ("roll, reference also unturned (°)", standing["roll_error_referenced"]),
                    ("roll, reference only once turned (°)", standing["roll_error_turned_only"]),
                    ("seated: tilt, all (°)", seated["tilt_error_all"]),
                    ("seated: roll where a roll was read (°)", seated["roll_error"]),
                    ("seated: roll, reference also unturned (°)", seated["roll_error_referenced"]),
                    ("seated: roll, reference only once turned (°)", seated["roll_error_turned_only"]),
                    ("same-set-up change error (°)", change["errors"]),
                ]
            ],
        ),
        "",
        f"Change pairs: {change['pairs']} (the same photo and stickers, the line turned by up to "
        f"±8° about its midpoint, {change['jitter_only_pairs']} not turned; re-jittered noise, JPEG "
        f"quality and blur), both found in {change['both_found']}. Limit from the not-turned pairs "
        f"alone: {_num(change['limit_jitter_only'], '±')}°.",
        "",
        "## Outcomes",
        "",
        table(
            ["outcome", "standing", "seated"],
            [
                [k, standing["outcomes"].get(k, 0), seated["outcomes"].get(k, 0)]
                for k in sorted(set(standing["outcomes"]) | set(seated["outcomes"]))
            ],
        ),
        "",
        "`wrong_pair`: a pair was read but a centre is more than its radius from where it was painted (another spot).",
        "",
        "## False readings",
        "",
        f"{negatives['photos']} photos as stored, then random flips, crops, scales (0.6–3×), turns "
        f"(±8°) and colour jitter up to {negatives['images']} images. The analysis accepted "
        f"{negatives['accepted']} of them (only the accepted ones are searched for stickers); the "
        f"marker search forced on the first person found covered {negatives['person_found']}. "
        f"Search outcomes: {', '.join(f'{k} {v}' for k, v in sorted(negatives['search_outcomes'].items()))}. "
        f"Readings: {false_total}"
        + (
            ": " + "; ".join(f"{h['photo']} ({h['augment']}, {h['by']})" for h in negatives["hits"][:10])
            if false_total
            else ""
        )
        + ".",
        "",
        "## Timing",
        "",
        f"Median of {timing['repeats']} runs, standing views enlarged to a 1200 px body, stickers of 19 mm.",
        "",
        table(
            [
                "photo",
                "size",
                "found",
                "no search ms",
                "search, none found ms",
                "with stickers ms",
                "search stage ms (none / stickers)",
                "find_roll ms",
            ],
            [
                [
                    r["photo"],
                    r["size"],
                    r["found"],
                    r["plain_no_search_ms"],
                    r["plain_ms"],
                    r["stickers_ms"],
                    f"{r['search_stage_plain_ms']:.1f} / {r['search_stage_stickers_ms']:.1f}",
                    r["find_roll_ms"],
                ]
                for r in timing["rows"]
            ],
        ),
        "",
        "The three analyses of a photo run in turn, repeat after repeat, so a machine shared "
        "with other work slows them alike; the ratios are still only as steady as the machine. "
        "`search stage` is the `markers` entry of `Analysis.timings_ms`: the sticker search, "
        "and with stickers found also `find_roll`.",
        "",
        f"With stickers the roll is also read (`find_roll`). `find_roll` on "
        f"{timing['find_roll_large_photo']} resized to 1500×2000: {_num(timing['find_roll_large_ms'])} ms.",
        "",
    ]
    parts += _bodies(results.get("bodies"))
    parts += [
        "## By condition (standing views)",
        "",
        "`raw tilt MAE` is against the pasted line as it lies in the composite (the sticker search "
        "alone); `tilt MAE` after the roll correction, so it includes the roll of composites "
        "turned without a vertical reference.",
        "",
    ]
    parts += _conditions(standing["by_condition"])
    parts += ["## By condition (seated views, search forced)", ""]
    parts += _conditions(seated["by_condition"])
    return "\n".join(parts)


def _conditions(by: dict) -> list[str]:
    parts = []
    for label, groups in by.items():
        parts += [
            f"**{label}**",
            "",
            table(
                ["value", "n", "found", "raw tilt MAE (°)", "tilt MAE (°)", "median centre error (px)"],
                [
                    [k, g["n"], g["found"], g["raw_mae"], g["tilt_mae"], g["centre_px_median"]]
                    for k, g in groups.items()
                ],
            ),
            "",
        ]
    return parts


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _num(value: float | None, prefix: str = "", suffix: str = "") -> str:
    return "–" if value is None else f"{prefix}{value:.2f}{suffix}"


def _bodies(bodies: dict | None) -> list[str]:
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
        f"in {bodies['found']} ({_pct(bodies['found_rate'])}); roll read in {bodies['roll_read']}. "
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
