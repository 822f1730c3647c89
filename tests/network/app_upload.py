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
import re
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import served

HOST_RULES = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
PORT = 8765


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("photo")
    parser.add_argument("--idle", type=float, default=65.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    home = Path(tempfile.mkdtemp(prefix="app-home-"))
    shown = False
    with served.served_app(home, port=PORT, startup_seconds=120) as server:
        url = server.url
        with sync_playwright() as playwright:
            browser = served.launch(playwright.chromium, HOST_RULES)
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
    return 0 if shown else 1


if __name__ == "__main__":
    sys.exit(main())
