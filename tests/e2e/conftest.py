"""Start the app on 127.0.0.1 and drive Debian's headless Chromium with Playwright (the
harness is ``benchmarks.served``, shared with the browser benchmarks). The tests skip when the
browser is missing. Screenshots go to ``artifacts/e2e/`` (ignored by git).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from benchmarks.served import CHROMIUM, launch, served_app
from tests.conftest import SHARED

REPO = Path(__file__).resolve().parents[2]
SAMPLES = Path(os.environ.get("POSTURE_SAMPLES") or SHARED / "samples")
"""The real photos (``POSTURE_SAMPLES`` names the folder for a worktree elsewhere)."""
ARTIFACTS = REPO / "artifacts" / "e2e"


@pytest.fixture(scope="session")
def sample():
    """Path of a real photo in ../shared/samples (skips when the folder is absent)."""

    def find(relative: str) -> Path:
        path = SAMPLES / relative
        if not path.is_file():
            pytest.skip(f"sample photo {relative} is not present in {SAMPLES}")
        return path

    return find


@pytest.fixture(scope="session")
def app_home(tmp_path_factory) -> Path:
    """HOME and TMPDIR of the server: must stay empty (nothing written to disk)."""
    return tmp_path_factory.mktemp("app-home")


@pytest.fixture(scope="session")
def app_url(app_home: Path, tmp_path_factory):
    """The app served by ``streamlit run app.py`` on a free port of 127.0.0.1."""
    if not CHROMIUM.is_file():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    log = tmp_path_factory.mktemp("app-log") / "streamlit.log"
    try:
        with served_app(app_home, log) as served:
            yield served.url
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(log, ARTIFACTS / "streamlit.log")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        launched = launch(playwright.chromium)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def requested_hosts() -> set[str]:
    """Every host any test page asked for (checked to be this machine only)."""
    return set()


@pytest.fixture
def page(browser, app_url, requested_hosts):
    from urllib.parse import urlparse

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    opened.on(
        "request",
        lambda request: requested_hosts.add(urlparse(request.url).hostname or urlparse(request.url).scheme),
    )
    yield opened
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a screenshot of the whole page as artifacts/e2e/<name>.png and return its path.

    Streamlit scrolls inside its own container, not the document, so the viewport is made
    as tall as the content for the shot and restored afterwards.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = page.viewport_size
    tall = size["height"]
    for _ in range(4):  # growing the viewport can reflow the page: repeat until it fits
        height = page.evaluate(
            "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
            "[data-testid=stMainBlockContainer], section.main, body')].map(e => e.scrollHeight))"
        )
        wanted = min(max(size["height"], height + 40), 8000)
        if wanted <= tall:
            break
        tall = wanted
        page.set_viewport_size({"width": size["width"], "height": tall})
        page.wait_for_timeout(400)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path
