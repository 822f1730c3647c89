"""Server memory while several decompression bombs are uploaded at once (issue 11, section 2).

    python -m benchmarks.bomb_uploads [--rounds 2]

Starts ``streamlit run app.py`` on 127.0.0.1, opens one headless Chromium page per bomb of
``tests/bombs.py`` (16-bit grey, palette with transparency and 1-bit PNG of 8944x8944, a
progressive JPEG of 8000x8000 with 2,000 scans, a JPEG 2000 of 8900x8900 named .png, lossless
WebPs of 8900x8900 and 6300x6300), hands every page its file at the same moment and waits until
each shows its answer. Reads the server's resident memory before (after one ordinary upload,
so the model is loaded) and its peak (``VmHWM``) after, and the peaks of its decoding workers
(posture/image/sandbox.py), which are processes of their own. Writes
``benchmarks/results/bomb_uploads.json`` and prints the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import served

REPO = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
ANSWERED = ("A good photo set-up", "Routine for")


def _memory(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields


def _reset_peak(pid: int) -> None:
    """Start VmHWM afresh (Linux: writing 5 to clear_refs resets the peak RSS)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def _workers(pid: int) -> list[int]:
    """The server's child processes: its decoding workers (posture/image/sandbox.py)."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return children


def _workers_peak(pid: int) -> float:
    total = 0.0
    for child in _workers(pid):
        try:
            total += _memory(child)["VmHWM"]
        except (OSError, KeyError):
            pass  # a worker that ended (killed after its time limit)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from playwright.sync_api import sync_playwright

    from tests import bombs

    folder = Path(tempfile.mkdtemp(prefix="bombs-"))
    files = {
        "png16.png": bombs.png_16bit_grey(),
        "palette.png": bombs.png_palette_with_transparency(),
        "bit1.png": bombs.png_1bit(),
        "scans.jpg": bombs.progressive_jpeg(8000, 2000),
        "jpeg2000.png": bombs.jpeg2000(8900),
        "lossless.webp": bombs.lossless_webp(8900),
        "under-limit.webp": bombs.lossless_webp(6300),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    shared = Path(os.environ.get("POSTURE_SHARED_DIR") or REPO.parent / "shared")
    side = shared / "samples" / "pranjal_postureanalysis" / "left.png"
    report = {
        "bombs": {n: len(d) for n, d in files.items()},
        "rounds": [],
        "load_average_before": os.getloadavg(),
    }
    with served.served_app(folder, startup_seconds=180) as server:
        url = server.url
        with sync_playwright() as playwright:
            browser = served.launch(playwright.chromium)
            warm = browser.new_page()
            warm.set_default_timeout(120_000)
            warm.goto(url)
            warm.locator("input[type=file]").first.set_input_files(str(side))
            warm.get_by_text("Routine for", exact=False).first.wait_for()
            warm.close()
            for _ in range(args.rounds):
                pages = []
                for name in files:
                    page = browser.new_page()
                    page.set_default_timeout(120_000)
                    page.goto(url)
                    page.locator("input[type=file]").first.wait_for(state="attached")
                    pages.append((name, page))
                before = _memory(server.pid)
                _reset_peak(server.pid)
                for child in _workers(server.pid):
                    _reset_peak(child)
                started = time.perf_counter()
                for name, page in pages:
                    page.locator("input[type=file]").first.set_input_files(str(folder / name))
                answered = {}
                for name, page in pages:
                    page.get_by_text(ANSWERED[0], exact=False).or_(
                        page.get_by_text(ANSWERED[1], exact=False)
                    ).first.wait_for()
                    answered[name] = round(time.perf_counter() - started, 1)
                after = _memory(server.pid)
                workers = _workers_peak(server.pid)
                row = {
                    "rss_before_mib": round(before["VmRSS"]),
                    "peak_mib": round(after["VmHWM"]),
                    "workers_peak_mib": round(workers),
                    "server_and_workers_peak_mib": round(after["VmHWM"] + workers),
                    "rss_after_mib": round(after["VmRSS"]),
                    "answered_after_s": answered,
                }
                report["rounds"].append(row)
                print(json.dumps(row), flush=True)
                for _, page in pages:
                    page.close()
            browser.close()
    report["load_average_after"] = os.getloadavg()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bomb_uploads.json").write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
