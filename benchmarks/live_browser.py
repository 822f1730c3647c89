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
from benchmarks.live_clips import FPS, STICKER_TILTS, photo_frame, range_clip, sticker_clip, still_clip
from benchmarks.live_figures import TARGETS, marker_change, range_analysis, still_sd, summarise, table

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "live_browser.json"
CAMERA_ARGS = ("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream")
STILL_PHOTO = REPO.parent / "shared" / "samples" / "pranjal_postureanalysis" / "left.png"
STICKER_PHOTO = STILL_PHOTO.with_name("right.png")


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
