"""Start the app, upload a photo in headless Chromium twice with a pause, stop: for the sinkhole.

    python -m tests.network.app_upload PHOTO [--idle SECONDS]

Starts ``streamlit run app.py`` on 127.0.0.1 (a fresh HOME and TMPDIR), opens the photo page
in Debian's Chromium (the flags of ``tests/e2e``), uploads PHOTO and waits for the routine
heading (the analysis is done), waits ``--idle`` seconds, uploads it again in a new page (a
library that reports after an idle gap does so at the next use: MediaPipe 1.2.2 flushes its
usage events when one arrives more than 60 s after the last flush), then stops the server with
SIGTERM, as a person stopping ``make app`` would. Prints ``uploaded: ok`` twice; exits 1 when
a result was not shown.

Chromium itself looks up and connects to Google's update and account servers even with the
flags that disable background networking; those are not the app's, so the browser is given
``--host-resolver-rules`` that answer every name but 127.0.0.1 as not found inside Chromium
(no query leaves it). Whatever the sinkhole sees then comes from the server.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
PORT = 8765


def _wait_healthy(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("streamlit did not answer")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("photo")
    parser.add_argument("--idle", type=float, default=65.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    home = tempfile.mkdtemp(prefix="app-home-")
    env = {
        **os.environ,
        "HOME": home,
        "TMPDIR": home,
        "MPLCONFIGDIR": os.path.join(home, "mpl"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(PORT),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{PORT}"
    shown = False
    try:
        _wait_healthy(url, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for round_ in range(2):
                if round_:
                    time.sleep(args.idle)
                page = browser.new_page()
                page.set_default_timeout(90_000)
                page.goto(url)
                page.locator("input[type=file]").first.set_input_files(args.photo)
                page.get_by_role("heading", name=re.compile(r"^Routine (for|to) ")).wait_for()
                print("uploaded: ok", flush=True)
                page.close()
            shown = True
            time.sleep(3)
            browser.close()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return 0 if shown else 1


if __name__ == "__main__":
    sys.exit(main())
