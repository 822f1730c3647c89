"""The README's screenshots of the comparison and the client chart, at 1280 and 390 px wide.

    PYTHONPATH=. python docs/screenshots.py

Made from the project's own synthetic photos in ``samples/`` only: the comparison of
``synthetic_neutral.jpg`` and ``synthetic_anterior_tilt.jpg``, and the Clients page of a
records file written in a temporary folder (``tests.e2e.records``: four sessions, three on one
day), served by ``streamlit run app.py`` on 127.0.0.1 with Debian's headless Chromium. Writes
``docs/screenshot-compare-{1280,390}.png`` and ``docs/screenshot-clients-{1280,390}.png``,
reduced to 64 colours to stay small. Nothing outside the temporary folder is written.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WIDTHS = (1280, 390)
WAIT_MS = 120_000


def _tall(page) -> None:
    """Make the viewport as tall as the page (Streamlit scrolls inside its own container)."""
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(height + 40, 8000)})
    page.wait_for_timeout(800)


def _shot(page, top, bottom, path: Path) -> None:
    """The page between the top of ``top`` and the bottom of ``bottom`` (locators), as a small PNG."""
    from PIL import Image

    _tall(page)
    first, last = top.bounding_box(), bottom.bounding_box()
    y = max(0, first["y"] - 12)
    clip = {
        "x": 0,
        "y": y,
        "width": page.viewport_size["width"],
        "height": last["y"] + last["height"] + 12 - y,
    }
    page.screenshot(path=str(path), clip=clip)
    picture = Image.open(path).convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    picture.save(path, optimize=True)


def compare(browser, url: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(url + "/compare")
    inputs = page.locator("input[type=file]")
    inputs.nth(1).wait_for(state="attached", timeout=WAIT_MS)
    inputs.nth(0).set_input_files(str(HERE.parent / "samples" / "synthetic_neutral.jpg"))
    inputs.nth(1).set_input_files(str(HERE.parent / "samples" / "synthetic_anterior_tilt.jpg"))
    page.get_by_role("heading", name="Export the comparison").wait_for(timeout=WAIT_MS)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=WAIT_MS)
    page.wait_for_timeout(1500)  # the pictures
    top = page.get_by_role("heading", name="Side by side and ghost overlay")
    listed = page.get_by_text("Not compared (no measured limit)").locator("xpath=../../../..")
    bottom = page.locator("[data-testid=stMarkdown]").filter(has_text="Sacrum outline:").last
    _shot(page, top, bottom if bottom.count() else listed, HERE / f"screenshot-compare-{width}.png")
    page.close()


def clients(browser, url: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(url + "/clients?client=Ana+Lind")
    page.locator("[data-testid=stVegaLiteChart]").nth(2).wait_for(timeout=WAIT_MS)
    page.wait_for_timeout(1500)
    top = page.get_by_role("heading", name="Ana Lind")
    bottom = page.locator("[data-testid=stVegaLiteChart]").nth(2)
    _shot(page, top, bottom, HERE / f"screenshot-clients-{width}.png")
    page.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    from benchmarks.served import CHROMIUM, CHROMIUM_ARGS, served_app
    from posture.pose import PoseEstimator
    from tests.e2e.records import fill

    with tempfile.TemporaryDirectory() as folder:
        data, home = Path(folder) / "data", Path(folder) / "home"
        data.mkdir()
        home.mkdir()
        with PoseEstimator("full") as estimator:
            fill(data / "records.sqlite3", estimator)
        with (
            served_app(home, home / "streamlit.log", POSTURE_DATA_DIR=str(data)) as served,
            sync_playwright() as p,
        ):
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for width in WIDTHS:
                compare(browser, served.url, width)
                clients(browser, served.url, width)
            browser.close()
    for path in sorted(HERE.glob("screenshot-*.png")):
        print(f"{path.name}: {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
