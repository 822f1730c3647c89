"""The live mirror measured where it runs: in headless Chromium, fed by a fake camera.

    python -m benchmarks.live_browser [--seconds 45] [--app app.py]

Starts the app (``streamlit run``) on 127.0.0.1 and opens its "Live mirror" page in Debian's
Chromium with a fake camera playing a clip made here (``--use-file-for-fake-video-capture``),
presses *Start camera* and reads the component's counters (``window.mirrorStats``):

* **frames/s shown**: camera frames drawn on the mirror canvas (video plus overlay);
* **poses/s**: frames the pose landmarker (WebAssembly, in a worker) processed;
* **readings/s**: readouts the app sent back (each measures every pose detected since the last);
* **round trip**: from sending poses to the readout arriving in the browser;
* **stance change to readout**: on the range clip (relaxed, forward, back, 7.5 s each, 30
  frames/s, looped) the time from a change of stance to the first readout shown that has gone
  half (and 90 %) of the way to the new stance's value (``range_analysis``);
* **readout SD on a still person**: the SD of the tilt shown over the still parts of the range
  clip (from 1 s after each change) and over a clip of a real photo of a person standing side-on
  (``../shared/samples``, fresh sensor noise per frame: a person perfectly still);
* **CPU**: of the app's server process and of the browser (all its processes), in % of one core.

Writes ``benchmarks/results/live_browser.json`` and ``.md``. The machine's load is recorded:
the browser and the model share the machine's cores with everything else running.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks import served

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "live_browser.json"
CAMERA_ARGS = ("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream")
FPS = 30
STILL_PHOTO = REPO.parent / "shared" / "samples" / "pranjal_postureanalysis" / "left.png"
STICKER_PHOTO = STILL_PHOTO.with_name("right.png")
TARGETS = {
    "shown_fps": 25.0,
    "readings_per_s": 5.0,
    "still_sd_deg": 1.5,
    "change_s": 0.5,
    "marker_change_s": 0.2,
}
STICKER_TILTS = (4.0, 14.0)
"""The sticker clip's two lines (degrees, anterior positive), 4 s each."""
SETTLE_S = 1.0
"""After a change of stance, readouts of the first second are not counted as 'still'."""


# --- clips ------------------------------------------------------------------------------------


def range_clip(path: Path, fps: int = FPS) -> tuple[float, ...]:
    """The range clip at ``fps``; returns each segment's length in seconds."""
    from benchmarks.live_video import RANGE_CLIP, write_range_clip

    write_range_clip(path, fps=fps)
    return tuple(s.seconds for s in RANGE_CLIP)


def photo_frame(photo: Path, width: int = 640, height: int = 480) -> np.ndarray:
    """``photo`` scaled to 95 % of the frame height, centred on its own border colour."""
    from PIL import Image

    image = Image.open(photo).convert("RGB")
    scale = 0.95 * height / image.height
    image = image.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS)
    rgb = np.asarray(image)
    border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]]).mean(axis=0)
    frame = np.empty((height, width, 3), np.uint8)
    frame[:] = border.astype(np.uint8)
    y, x = (height - rgb.shape[0]) // 2, (width - rgb.shape[1]) // 2
    frame[y : y + rgb.shape[0], x : x + rgb.shape[1]] = rgb
    return frame


def still_clip(path: Path, image: np.ndarray, seconds: float = 10.0, fps: int = FPS, seed: int = 0) -> int:
    """``image`` held still for ``seconds`` with fresh sensor noise per frame, as y4m."""
    from benchmarks.live_video import Segment, frames
    from benchmarks.synth.video import write_y4m

    return write_y4m(path, frames((Segment(0.0, seconds),), [image], fps=fps, seed=seed), fps=fps)


def sticker_frames(image: np.ndarray, tilts: tuple[float, ...], *, diameter_mm: float = 25.0):
    """``image`` (a side view) with two stickers pasted where an ASIS and a PSIS would be, once
    per tilt (degrees, anterior positive), and the pasted centres: [(frame, asis, psis)].

    The places come from the full model's landmarks on ``image``: the stickers are 150 mm apart
    at the body's scale (a 1.7 m person), their midpoint 7% of the stature above the hip
    landmark (as tests/test_marker_photos.py pastes them), neon pink, ``diameter_mm`` across.
    """
    import math

    from posture.analyze import analyze
    from posture.image.sticker_art import NEON_PINK, paint_sticker
    from posture.measure import markers
    from posture.pose import PoseEstimator

    with PoseEstimator("full") as estimator:
        result = analyze(image, estimator)
    if not result.ok:
        raise ValueError(f"the side view was not accepted: {result.rejection}")
    region = markers.search_region(result.landmarks, result.facing, result.mask)
    stature, (hx, hy) = region.stature_px, region.hip
    half, radius = 75.0 * stature / 1700, diameter_mm / 2 * stature / 1700
    out = []
    for tilt in tilts:
        dx = result.facing.sign * half * math.cos(math.radians(tilt))
        dy = half * math.sin(math.radians(tilt))
        mid = (hx, hy - 0.07 * stature)
        asis, psis = (mid[0] + dx, mid[1] + dy), (mid[0] - dx, mid[1] - dy)
        frame = paint_sticker(
            paint_sticker(image, asis, radius, NEON_PINK, blur_px=0.5), psis, radius, NEON_PINK, blur_px=0.5
        )
        out.append((frame, asis, psis))
    return out


def sticker_clip(
    path: Path, image: np.ndarray, tilts: tuple[float, ...], seconds_each: float = 4.0, fps: int = FPS
) -> int:
    """A y4m clip of ``image`` with stickers at each of ``tilts`` in turn (``sticker_frames``),
    ``seconds_each`` per tilt, fresh sensor noise per frame."""
    from benchmarks.live_video import Segment, frames
    from benchmarks.synth.video import write_y4m

    images = [frame for frame, _, _ in sticker_frames(image, tilts)]
    segments = tuple(Segment(0.0, seconds_each) for _ in images)
    return write_y4m(path, frames(segments, images, fps=fps), fps=fps)


def empty_clip(path: Path, seconds: float = 4.0, fps: int = 15) -> int:
    """A room with nobody in it (a plain wall and floor, sensor noise): the 'no person' clip."""
    image = np.empty((480, 640, 3), np.uint8)
    image[:320] = (196, 192, 184)
    image[320:] = (128, 108, 92)
    return still_clip(path, image, seconds=seconds, fps=fps)


# --- the app and the browser -------------------------------------------------------------------------


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds used so far by ``pids`` (gone processes count 0)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def descendants(pid: int) -> list[int]:
    """``pid``'s child processes, recursively (the browser under Playwright's driver)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


STATS_JS = """() => ({shown: mirrorStats.shown, detected: mirrorStats.detected, sent: mirrorStats.sent,
  answered: mirrorStats.answered, firstFrameAt: mirrorStats.firstFrameAt, now: performance.now(),
  error: mirrorStats.error, ready: mirrorStats.ready, simd: mirrorStats.simd,
  detectMs: mirrorStats.detectMs.slice(), roundTripMs: mirrorStats.roundTripMs.slice(),
  readouts: mirrorStats.readouts.slice(), markerReadings: mirrorStats.markerReadings.slice(),
  markerMs: mirrorStats.markerMs.slice()})"""


def open_mirror(playwright, url: str, clip: Path):
    browser = served.launch(playwright.chromium, *CAMERA_ARGS, f"--use-file-for-fake-video-capture={clip}")
    page = browser.new_context(viewport={"width": 1400, "height": 1000}, permissions=["camera"]).new_page()
    page.set_default_timeout(60_000)
    page.goto(url + "/live")
    page.get_by_role("heading", name="Live mirror").wait_for()
    page.frame_locator("iframe[title*='posture_mirror']").locator("#start").click()
    frame = next(f for f in page.frames if "posture_mirror" in f.url)
    deadline = time.monotonic() + 90
    while frame.evaluate("() => mirrorStats.answered") < 3:
        if time.monotonic() > deadline:
            raise RuntimeError(f"no readout after 90 s: {frame.evaluate(STATS_JS)['error']}")
        page.wait_for_timeout(250)
    return browser, page, frame


def run_clip(playwright, url: str, clip: Path, seconds: float, server_pid: int) -> dict:
    """Play ``clip`` for ``seconds`` after the first readout; counters over that time."""
    browser, page, frame = open_mirror(playwright, url, clip)
    try:
        me = os.getpid()
        before = frame.evaluate(STATS_JS)
        load_before = os.getloadavg()
        wall0 = time.monotonic()
        server0, browser0 = cpu_seconds([server_pid]), cpu_seconds(descendants(me))
        page.wait_for_timeout(seconds * 1000)
        wall = time.monotonic() - wall0
        server1, browser1 = cpu_seconds([server_pid]), cpu_seconds(descendants(me))
        after = frame.evaluate(STATS_JS)
        span = (after["now"] - before["now"]) / 1000.0
        return {
            "seconds": round(span, 1),
            "shown_fps": round((after["shown"] - before["shown"]) / span, 1),
            "poses_per_s": round((after["detected"] - before["detected"]) / span, 1),
            "readings_per_s": round((after["answered"] - before["answered"]) / span, 1),
            "detect_ms": _stats(after["detectMs"]),
            "round_trip_ms": _stats(after["roundTripMs"]),
            "server_cpu_percent": round(100 * (server1 - server0) / wall, 1),
            "browser_cpu_percent": round(100 * (browser1 - browser0) / wall, 1),
            "load_before": [round(v, 2) for v in load_before],
            "load_after": [round(v, 2) for v in os.getloadavg()],
            "simd": after["simd"],
            "error": after["error"],
            "first_frame_at": after["firstFrameAt"],
            "readouts": [r for r in after["readouts"] if r["at"] >= before["now"]],
            "marker_readings": [r for r in after["markerReadings"] if r["at"] >= before["now"]],
            "marker_ms": _stats(after["markerMs"]),
        }
    finally:
        browser.close()


def _stats(values: list[float]) -> dict:
    if not values:
        return {}
    a = np.asarray(values, dtype=float)
    return {
        "median": round(float(np.median(a)), 1),
        "p95": round(float(np.percentile(a, 95)), 1),
        "n": len(values),
    }


# --- analysis of the readouts -------------------------------------------------------------------------


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


# --- report --------------------------------------------------------------------------------------------


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=45.0, help="measured time per clip")
    parser.add_argument("--app", default="app.py", help="the Streamlit script to start")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if not served.CHROMIUM.is_file():
        print("live_browser: Debian chromium is not installed; skipped")
        return 0
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        range_clip(folder / "range.y4m")
        have_photo = STILL_PHOTO.is_file()
        if have_photo:
            still_clip(folder / "still.y4m", photo_frame(STILL_PHOTO), seconds=20.0)
            sticker_clip(folder / "stickers.y4m", photo_frame(STICKER_PHOTO), STICKER_TILTS)
        home = folder / "home"
        home.mkdir()
        with served.served_app(home, folder / "app.log", app=args.app, PYTHONPATH=str(REPO)) as app:
            url = app.url
            with sync_playwright() as playwright:
                ranged = run_clip(playwright, url, folder / "range.y4m", args.seconds, app.pid)
                range_rows = range_analysis(ranged["readouts"])
                still_rows = None
                if have_photo:
                    still = run_clip(playwright, url, folder / "still.y4m", min(args.seconds, 30.0), app.pid)
                    still_rows = still_sd(still["readouts"])
                    stickers = run_clip(
                        playwright, url, folder / "stickers.y4m", min(args.seconds, 30.0), app.pid
                    )
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "chromium": str(served.CHROMIUM),
        "clip_fps": FPS,
        "targets": TARGETS,
        "range_clip": summarise(ranged, {"raw_sd_deg": None, **range_rows}),
        "range_clip_readouts": ranged["readouts"],
    }
    if still_rows is not None:
        result["still_photo_clip"] = summarise(
            still,
            {
                "still_sd_deg": still_rows["sd_shown"],
                "raw_sd_deg": still_rows["sd_raw"],
                "class_flips": still_rows["class_flips"],
                "mean_tilt_deg": still_rows["mean_shown"],
                "measured_share": still_rows["measured_share"],
            },
        )
        result["still_photo"] = str(STILL_PHOTO.relative_to(REPO.parent))
        result["sticker_clip"] = {
            "photo": str(STICKER_PHOTO.relative_to(REPO.parent)),
            "shown_fps": stickers["shown_fps"],
            "marker_ms": stickers["marker_ms"],
            **marker_change(stickers["marker_readings"]),
        }
    text = table(result)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    args.out.with_suffix(".md").write_text(
        "# Live mirror in the browser\n\n"
        f"Headless Chromium ({result['cpus']} cores, {result['date']}), fake camera at {FPS} frames/s "
        "640×480, the pose model in the browser (WebAssembly, CPU), the measures in the app. "
        "Regenerate with `python -m benchmarks.live_browser` (or `make bench`). The load "
        "average is that of the whole machine, which other work shares.\n\n" + text + "\n"
    )
    print(f"saved {args.out} and {args.out.with_suffix('.md').name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
