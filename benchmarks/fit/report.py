"""The estimator's report: issue 14's table on held-out bodies and the single-mesh set, the
reliability table, error by factor, and the real-photo stability figures.

    python -m benchmarks.fit.report --data /work/data/bodies-v1 --cross /work/data/mesh-2026 \
        [--model posture/measure/data/estimator-v2.json] [--no-photos]

Re-evaluates the shipped model on the test bodies of ``--data`` (and every image of each
``--cross`` set) from the pose cache (``benchmarks.fit.cache``; images not yet cached are
detected first), runs the real-photo stability check (``benchmarks.fit.stability``), prints the
tables and writes ``benchmarks/results/estimator.md`` and ``estimator.json``. The figures the
app uses are the ones stored in the model file when it was trained; this report recomputes
them from the same data, so the two agree unless the data or the code changed.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from benchmarks.fit import dataset, evaluate
from posture.measure.fitted import Model

RESULTS = Path(__file__).resolve().parents[1] / "results"
TARGETS = (
    ("tilt change MAE (°)", lambda f: f["tilt_change"].get("mae"), "≤ 2.5", lambda v: v <= 2.5),
    (
        "tilt change real-change limit, 1.96 × SD (±°)",
        lambda f: f["tilt_change"].get("limit_1.96sd"),
        "≤ 6",
        lambda v: v <= 6,
    ),
    ("tilt change MAE, varied set-up (°)", lambda f: f["tilt_change_varied"].get("mae"), "", None),
    (
        "real-change limit, varied set-up (±°)",
        lambda f: f["tilt_change_varied"].get("limit_1.96sd"),
        "",
        None,
    ),
    ("absolute tilt MAE (°)", lambda f: f["tilt_absolute"].get("mae"), "≤ 4", lambda v: v <= 4),
    ("absolute tilt SD (°)", lambda f: f["tilt_absolute"].get("sd"), "", None),
    ("class accuracy (%)", lambda f: 100 * f["class_accuracy"], "≥ 85", lambda v: v >= 85),
    ("lumbar angle MAE (°)", lambda f: f["lumbar_absolute"].get("mae"), "≤ 5", lambda v: v <= 5),
    ("lumbar angle SD (°)", lambda f: f["lumbar_absolute"].get("sd"), "", None),
    ("lumbar change MAE (°)", lambda f: f["lumbar_change"].get("mae"), "", None),
    ("accepted images with a tilt (%)", lambda f: 100 * f["share_measured"], "≥ 95", lambda v: v >= 95),
    ("calibration gap (points)", lambda f: 100 * f["calibration_gap"], "≤ 5", lambda v: v <= 5),
)


def _value(getter, fig):
    try:
        return getter(fig)
    except (TypeError, KeyError):
        return None


def table(sets: dict[str, dict]) -> str:
    names = list(sets)
    lines = ["| measure | " + " | ".join(names) + " | target |", "|---" * (len(names) + 2) + "|"]
    for label, getter, target, check in TARGETS:
        cells = []
        for i, name in enumerate(names):
            v = _value(getter, sets[name])
            cell = "—" if v is None else f"{v:.1f}"
            if v is not None and check is not None and i == 0:
                cell += " ✓" if check(v) else " ✗"
            cells.append(cell)
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    counts = [
        f"{sets[n]['measured']} of {sets[n]['accepted']} accepted ({sets[n]['images']} "
        f"images, {sets[n]['bodies']} bodies)"
        for n in names
    ]
    lines.append("| images with a tilt | " + " | ".join(counts) + " | |")
    return "\n".join(lines)


def reliability_table(fig: dict) -> str:
    lines = ["| stated confidence | images | mean stated | right |", "|---|---|---|---|"]
    for row in fig["reliability"]:
        lo, hi = row["bin"]
        lines.append(f"| {lo:.0%}–{hi:.0%} | {row['n']} | {row['stated']:.0%} | {row['right']:.0%} |")
    return "\n".join(lines)


def factor_tables(records, readings) -> str:
    out = []
    for factor, bins in (
        ("sex", None),
        ("age_group", None),
        ("weight_group", None),
        ("arms", None),
        ("clothes", None),
        ("top", None),
        ("tilt_mode", None),
        ("yaw_deg", (0, 5, 10, 15.01)),
        ("facing", None),
    ):
        rows = evaluate.by_factor(records, readings, factor, bins)
        if not rows or all(r["images"] == 0 for r in rows):
            continue
        out.append(
            f"\n**{factor}**\n\n| value | images | with a tilt | abs. tilt MAE (°) |\n|---|---|---|---|"
        )
        for r in rows:
            mae = "—" if r["tilt_mae"] is None else f"{r['tilt_mae']:.1f}"
            out.append(f"| {r['value']} | {r['images']} | {r['measured']} | {mae} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=Path("posture/measure/data/estimator-v2.json"))
    parser.add_argument("--data", type=Path, action="append", default=[])
    parser.add_argument("--cross", type=Path, action="append", default=[])
    parser.add_argument(
        "--held-out", type=Path, action="append", default=[], help="a set whose every body is held out"
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--no-photos", action="store_true")
    parser.add_argument("--workers", type=int, default=2, help="processes for reading the outlines")
    parser.add_argument(
        "--cached-only",
        action="store_true",
        help="only the images already in the pose cache (as the training run used)",
    )
    args = parser.parse_args(argv)
    model = Model.load(args.model)
    sets, factors = {}, {}
    pooled_records, pooled_reads, names = [], [], []
    held_out = [(d, False) for d in args.data] + [(d, True) for d in args.held_out]
    for data, all_test in held_out:  # every test body of every data set, pooled (as training judged them)
        t = dataset.load(data, ensure_cache=not args.cached_only, workers=args.workers, all_test=all_test)
        reads = dataset.readings(model, t)
        test = [i for i, r in enumerate(t.records) if all_test or r["split"] == "test"]
        pooled_records += [t.records[i] for i in test]
        pooled_reads += [reads[i] for i in test]
        names.append(t.name)
    if pooled_records:
        name = f"held-out bodies ({' + '.join(names)})"
        sets[name] = evaluate.figures(pooled_records, pooled_reads, model.class_sd)
        factors[name] = factor_tables(pooled_records, pooled_reads)
    for data in args.cross:
        t = dataset.load(data, ensure_cache=not args.cached_only, workers=args.workers, all_test=True)
        reads = dataset.readings(model, t)
        sets[f"single mesh ({t.name})"] = evaluate.figures(t.records, reads, model.class_sd)
        factors[t.name] = factor_tables(t.records, reads)
    md = [
        f"# Estimator {model.version}: error on rendered bodies of known truth\n",
        f"Model file `{args.model}`, trained by `{model.training.get('command', '?')}` "
        f"(seed {model.training.get('seed')}, {model.training.get('train_images')} images of "
        f"{model.training.get('train_bodies')} training bodies). Produced by "
        f"`python -m benchmarks.fit.report` with "
        + " ".join(
            [f"--data {d}" for d in args.data]
            + [f"--held-out {d}" for d in args.held_out]
            + [f"--cross {c}" for c in args.cross]
        )
        + ".\n",
        table(sets) if sets else "(no data sets given)",
        "\n✓/✗: the first column against issue 14's target.\n",
    ]
    for name, fig in sets.items():
        md += [
            f"\n## Reliability of the class confidence, {name}\n",
            reliability_table(fig),
            f"\nMean gap {fig['calibration_gap']:.1%}. Confusion (true → reported): "
            f"`{json.dumps(fig['confusion'])}`. Not measured: `{json.dumps(fig['not_measured'])}`\n",
        ]
    for name, text in factors.items():
        if text:
            md += [f"\n## Absolute tilt error by factor, {name}\n", text]
    stability = None
    if not args.no_photos:
        from benchmarks.fit import stability as stab

        out = args.out / "stability.json"
        stab.main(["--model", str(args.model), "--out", str(out)])
        stability = json.loads(out.read_text())
        md += [
            "\n## Real photos: the same photo mirrored, halved, recompressed\n",
            "| photo | stored | mirror | half size | JPEG q70 |",
            "|---|---|---|---|---|",
        ]
        for row in stability["photos"]:
            cells = []
            for v in ("stored", "mirror", "half size", "JPEG q70"):
                r = row[v]
                cells.append(
                    f"{r['tilt']:.1f}° / {r['lumbar']:.1f}°"
                    if r["tilt"] is not None
                    else (r.get("reason") or r["status"])[:50]
                )
            md.append(f"| {row['photo']} ({row['size'][0]}×{row['size'][1]}) | " + " | ".join(cells) + " |")
        md += [
            "\n| change | median abs. tilt diff | max | median abs. lumbar diff | max | photos | target (tilt) |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, target in (
            ("mirror", "≤ 2° (lumbar ≤ 4°)"),
            ("half size", "≤ 1.5°"),
            ("JPEG q70", "≤ 1.5°"),
        ):
            t_, l_ = stability["summary"][f"{name} tilt"], stability["summary"][f"{name} lumbar"]

            def f(x):
                return "—" if x is None else f"{x:.1f}°"

            md.append(
                f"| {name} | {f(t_['median_abs'])} | {f(t_['max_abs'])} | "
                f"{f(l_['median_abs'])} | {f(l_['max_abs'])} | {t_['pairs']} | {target} |"
            )
    clip = None
    if not args.no_photos:
        from benchmarks.fit import clip as clip_bench

        clip = clip_bench.run(args.out / "clip.json")
        md += clip_bench.section_markdown(clip)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "estimator.md").write_text("\n".join(md) + "\n")
    (args.out / "estimator.json").write_text(
        json.dumps(
            {"model": str(args.model), "sets": sets, "stability": stability, "clip": clip},
            indent=1,
            default=float,
        )
        + "\n"
    )
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
