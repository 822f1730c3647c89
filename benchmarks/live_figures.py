"""The live-mirror benchmark's figures from the browser's readouts (``benchmarks.live_browser``
collects them): the SD while still, the time from a change of stance or of sticker line to the
readout, and the report's table.
"""

from __future__ import annotations

import numpy as np

from benchmarks.live_clips import STICKER_TILTS

TARGETS = {
    "shown_fps": 25.0,
    "readings_per_s": 5.0,
    "still_sd_deg": 1.5,
    "change_s": 0.5,
    "marker_change_s": 0.2,
}
SETTLE_S = 1.0
"""After a change of stance, readouts of the first second are not counted as 'still'."""


def still_sd(readouts: list[dict], *, after_ms: float = 2000.0) -> dict:
    """SD of the tilt shown (and of the raw tilt) after the first ``after_ms`` of readouts."""
    if not readouts:
        return {}
    start = readouts[0]["at"] + after_ms
    shown = [r["tilt"] for r in readouts if r["at"] >= start and r["tilt"] is not None]
    raw = [r["raw"] for r in readouts if r["at"] >= start and r["raw"] is not None]
    classes = [r["cls"] for r in readouts if r["at"] >= start and r["cls"]]
    flips = sum(a != b for a, b in zip(classes, classes[1:]))
    return {
        "sd_shown": round(float(np.std(shown)), 2) if len(shown) > 2 else None,
        "sd_raw": round(float(np.std(raw)), 2) if len(raw) > 2 else None,
        "mean_shown": round(float(np.mean(shown)), 1) if shown else None,
        "n": len(shown),
        "measured_share": round(len(shown) / max(1, sum(r["at"] >= start for r in readouts)), 2),
        "class_flips": flips,
    }


def range_analysis(readouts: list[dict], min_step_deg: float = 6.0, window_ms: float = 2500.0) -> dict:
    """Still SD between changes of stance, and the time from each change to the readout.

    Found from the readouts alone (the fake camera's clip may play slower than real time on a
    busy machine, so its schedule is not used): each readout carries the browser's time of the
    newest frame it measured (``frame_ts``) and that frame's raw tilt. A change is where the
    raw tilt moves from one stance to another (medians of the raw tilts over ``window_ms``
    before and after differ by at least ``min_step_deg``); it happened between the last frame
    of the old stance and the first of the new one (their midpoint is taken). The time to the
    readout is from there to the first readout shown that has gone half (and 90 %) of the way
    from the old stance's median to the new one's, on the browser's clock.
    """
    rows = sorted(
        (r for r in readouts if r.get("raw") is not None and r.get("frame_ts") is not None),
        key=lambda r: r["frame_ts"],
    )
    shown = [r for r in readouts if r.get("tilt") is not None]
    if len(rows) < 10:
        return {}
    ts = np.array([r["frame_ts"] for r in rows])
    raw = np.array([r["raw"] for r in rows])
    changes, boundaries = [], []
    i = 1
    while i < len(rows):
        before = raw[(ts >= ts[i] - window_ms) & (ts < ts[i])]
        after = raw[(ts >= ts[i]) & (ts <= ts[i] + window_ms)]
        if len(before) >= 2 and len(after) >= 2:
            old, new = float(np.median(before)), float(np.median(after))
            if abs(new - old) >= min_step_deg and abs(raw[i] - new) < abs(raw[i] - old):
                at = (ts[i - 1] + ts[i]) / 2
                boundaries.append(at)
                later = [r for r in shown if r["at"] >= at]
                half = next((r["at"] for r in later if (r["tilt"] - old) / (new - old) >= 0.5), None)
                most = next((r["at"] for r in later if (r["tilt"] - old) / (new - old) >= 0.9), None)
                if half is not None:
                    changes.append(
                        {
                            "step_deg": round(new - old, 1),
                            "to_half_s": round((half - at) / 1000, 2),
                            "to_90_s": round((most - at) / 1000, 2) if most is not None else None,
                        }
                    )
                i = int(np.searchsorted(ts, ts[i] + window_ms))
                continue
        i += 1
    still, flips = [], 0
    edges = [shown[0]["at"] - 1, *boundaries, shown[-1]["at"] + 1]
    for begin, end in zip(edges, edges[1:]):
        part = [r for r in shown if begin + SETTLE_S * 1000 <= r["at"] < end]
        if len(part) >= 5:
            still.append(float(np.std([r["tilt"] for r in part])))
            classes = [r["cls"] for r in part if r["cls"]]
            flips += sum(a != b for a, b in zip(classes, classes[1:]))
    halves = [c["to_half_s"] for c in changes]
    nineties = [c["to_90_s"] for c in changes if c["to_90_s"] is not None]
    return {
        "changes": changes,
        "change_to_half_s": round(float(np.median(halves)), 2) if halves else None,
        "change_to_90_s": round(float(np.median(nineties)), 2) if nineties else None,
        "still_sd_per_segment": [round(v, 2) for v in still],
        "still_sd_deg": round(float(np.median(still)), 2) if still else None,
        "class_flips": flips,
    }


def marker_change(readings: list[dict], tilts: tuple[float, float] = STICKER_TILTS) -> dict:
    """The sticker clip's figures from the browser's per-frame readings ``{at, tilt, shown}``.

    Each frame's own marker tilt says which of the two sticker lines it shows (the nearer of
    ``tilts``), so a change of line is seen at the first frame of the new line; the time to
    half way is from that frame to the first frame whose *shown* value (the median of the last
    three) is past the midpoint of the two tilts. Also the share of frames read and each
    line's per-frame error.
    """
    if not readings:
        return {}
    midpoint = sum(tilts) / 2
    line = [None if r["tilt"] is None else min(tilts, key=lambda t: abs(r["tilt"] - t)) for r in readings]
    read = [i for i, t in enumerate(line) if t is not None]
    halves = []
    for i in range(1, len(read)):
        a, b = read[i - 1], read[i]
        if line[a] == line[b]:
            continue
        start = readings[b]["at"]
        rising = line[b] > line[a]
        for r in readings[b:]:
            shown = r["shown"]
            if shown is not None and (shown > midpoint if rising else shown < midpoint):
                halves.append((r["at"] - start) / 1000.0)
                break
    errors = [abs(r["tilt"] - t) for r, t in zip(readings, line) if t is not None]
    return {
        "frames_read_share": round(len(read) / len(readings), 3),
        "marker_change_to_half_s": round(float(np.median(halves)), 3) if halves else None,
        "marker_changes": len(halves),
        "marker_frame_error_deg": round(float(np.mean(errors)), 2) if errors else None,
    }


def table(result: dict) -> str:
    r, s = result["range_clip"], result.get("still_photo_clip")
    lines = [
        "| figure | range clip (synthetic) | still clip (real photo) | target |",
        "| --- | ---: | ---: | ---: |",
    ]

    def row(label, key, target="", fmt="{}"):
        a = r.get(key)
        b = s.get(key) if s else None
        lines.append(
            f"| {label} | {fmt.format(a) if a is not None else '—'} | "
            f"{fmt.format(b) if b is not None else '—'} | {target} |"
        )

    row("frames/s shown in Chromium", "shown_fps", f"≥ {TARGETS['shown_fps']:.0f}")
    row("poses/s found in the browser (WebAssembly)", "poses_per_s")
    row("readings/s (numbers updated)", "readings_per_s", f"≥ {TARGETS['readings_per_s']:.0f}")
    row("pose model per frame, median ms", "detect_median_ms")
    row("round trip browser → app → browser, median ms", "round_trip_median_ms")
    row("CPU of the app's server process, % of a core", "server_cpu_percent")
    row("CPU of the browser, % of a core", "browser_cpu_percent")
    row("tilt SD shown while still, °", "still_sd_deg", f"≤ {TARGETS['still_sd_deg']}")
    row("raw tilt SD while still (before smoothing), °", "raw_sd_deg")
    row("class flips while still", "class_flips", "0")
    row("stance change → readout half way, s (median)", "change_to_half_s", f"≤ {TARGETS['change_s']}")
    row("stance change → readout 90 % of the way, s (median)", "change_to_90_s")
    row("load average (1 min) before → after", "load")
    m = result.get("sticker_clip")
    if m:
        lines += [
            "",
            "| stickers (real photo, two 25 mm stickers pasted at 4° and 14°, 4 s each) | value | target |",
            "| --- | ---: | ---: |",
            f"| frames/s shown | {m['shown_fps']} | ≥ {TARGETS['shown_fps']:.0f} |",
            f"| share of frames whose stickers were read | {m['frames_read_share']:.1%} | |",
            f"| sticker reading per frame, median ms (p95) | {m['marker_ms'].get('median')} "
            f"({m['marker_ms'].get('p95')}) | |",
            f"| mean error of a frame's marker tilt against its pasted line, ° | {m['marker_frame_error_deg']} | |",
            f"| change of line → number shown half way, s (median of {m['marker_changes']}) | "
            f"{m['marker_change_to_half_s']} | ≤ {TARGETS['marker_change_s']} |",
        ]
    return "\n".join(lines)


def summarise(clip: dict, analysis: dict) -> dict:
    out = {
        k: clip[k]
        for k in (
            "seconds",
            "shown_fps",
            "poses_per_s",
            "readings_per_s",
            "server_cpu_percent",
            "browser_cpu_percent",
            "simd",
        )
    }
    out["detect_median_ms"] = clip["detect_ms"].get("median")
    out["round_trip_median_ms"] = clip["round_trip_ms"].get("median")
    out["load"] = f"{clip['load_before'][0]:.1f} → {clip['load_after'][0]:.1f}"
    out.update({k: v for k, v in analysis.items() if k not in ("sd_shown",)})
    return out
