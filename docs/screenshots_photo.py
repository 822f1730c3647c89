"""Screenshots of the app for the README: ``python docs/screenshots_photo.py`` (about a minute).

Serves the app with the browser tests' helper (``tests.e2e.conftest.served_app``: 127.0.0.1,
a fresh empty HOME), drives Debian's Chromium with Playwright and saves the first screen of
each page in ``SHOTS`` at each width of ``WIDTHS`` as ``docs/screenshots/<name>-<width>.png``,
reduced to 256 colours to stay small. The photo is the project's own synthetic sample
(``samples/``), so the pictures carry no one's likeness or licence. To add a page, add a
``Shot``: its name, its URL path and a function that brings the page to the state to show
(``whole=True`` shoots the whole page, at the phone width only, instead of the first screen).
"""

from __future__ import annotations

import io
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"
WIDTHS = {1280: 900, 390: 844}
"""Viewport width -> height: a desktop browser and a phone."""
PHOTO = REPO / "samples" / "synthetic_posterior_tilt.jpg"
WAIT_MS = 60_000


def photo_result(page) -> None:
    """The photo page with the sample's result on it, images loaded."""
    page.locator("input[type=file]").first.set_input_files(str(PHOTO))
    page.get_by_role("heading", name=re.compile(r"^Pelvis ")).first.wait_for(timeout=WAIT_MS)
    page.get_by_alt_text("Your photo with the measures drawn on it").wait_for(timeout=WAIT_MS)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stImage] img')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    prepare: Callable[[object], None]
    whole: bool = False


SHOTS = [
    Shot("photo-result", "/", photo_result),
    Shot("photo-result-page", "/", photo_result, whole=True),
]
"""The photo page's shots (the comparison and the client chart: ``docs/screenshots.py``)."""


def small_png(png: bytes) -> bytes:
    """The screenshot in 256 colours (a third of the size; text stays sharp)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main() -> int:
    sys.path.insert(0, str(REPO))
    from playwright.sync_api import sync_playwright

    from benchmarks.served import CHROMIUM, CHROMIUM_ARGS, served_app
    from tests.e2e.conftest import screenshot

    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        with served_app(Path(home), Path(home) / "streamlit.log") as served, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for shot in SHOTS:
                for width, height in WIDTHS.items():
                    if shot.whole and width != min(WIDTHS):
                        continue
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.set_default_timeout(WAIT_MS)
                    page.goto(served.url + shot.path)
                    page.locator("input[type=file]").first.wait_for(state="attached")
                    shot.prepare(page)
                    page.wait_for_timeout(1_000)  # let the last pieces settle
                    path = OUT / f"{shot.name}-{width}.png"
                    png = screenshot(page, shot.name).read_bytes() if shot.whole else page.screenshot()
                    path.write_bytes(small_png(png))
                    print(f"{path.relative_to(REPO)}: {path.stat().st_size // 1024} KB")
                    page.close()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
