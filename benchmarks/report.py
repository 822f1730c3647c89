"""What the benchmark reports share: the Markdown table, the verdict against a target, number
cells; and the speed report. The accuracy and marker reports are ``benchmarks.accuracy_report``
and ``benchmarks.marker_report``."""

from __future__ import annotations

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


def met(value: float | None, target: float, *, lower_is_better: bool = True) -> str:
    if value is None:
        return "not measured"
    ok = value <= target if lower_is_better else value >= target
    return "met" if ok else "NOT met"


def verdict(value: float | None, target: float, *, lower_is_better: bool = True) -> str:
    return {"met": "pass", "NOT met": "FAIL"}.get(met(value, target, lower_is_better=lower_is_better), "–")


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def num(value: float | None, prefix: str = "", suffix: str = "") -> str:
    return "–" if value is None else f"{prefix}{value:.2f}{suffix}"


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
                    met(rows[-1]["end_to_end_ms"], TARGETS["photo_12mp_ms"]),
                ],
                [
                    "overhead ratio ≤ 1.3 (worst size)",
                    max(r["overhead_ratio"] for r in rows),
                    met(max(r["overhead_ratio"] for r in rows), TARGETS["overhead_ratio"]),
                ],
            ],
        ),
        "",
        "The live mirror (pose model in the browser) has its own report: [live_browser.md](live_browser.md).",
        "",
    ]
    return "\n".join(parts)
