"""The live mirror end to end: Chromium's fake camera plays a clip into the "Live mirror" page.

The camera is Chromium's fake capture device fed from a .y4m file
(``--use-fake-device-for-media-stream --use-file-for-fake-video-capture=FILE``, the permission
prompt auto-accepted by ``--use-fake-ui-for-media-stream``). Clips are made at test time and
never committed:

* the synthetic range clip (``benchmarks.live_video``): one figure side-on, relaxed, then
  pelvis fully forward, then fully back, 7.5 s each, looped by Chromium;
* a real clip with two people, when ffmpeg is installed and the ``sports2d`` wheel (BSD-3-Clause,
  it ships ``Sports2D/Demo/demo.mp4``) is in ``artifacts/cache/`` or can be fetched with pip.

Uses the app server of ``conftest.py`` and launches a second Chromium from its Playwright (one
Playwright per thread). Screenshots go to ``artifacts/e2e/live-*.png``.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from posture.live.personal_range import PersonalRange
from tests.e2e.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, screenshot

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / "artifacts" / "cache"
FAKE_CAMERA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
CONNECT_MS = 60_000


# --- clips ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def range_clip(tmp_path_factory) -> Path:
    pytest.importorskip("benchmarks.synth.generate")
    from benchmarks.live_video import write_range_clip

    path = tmp_path_factory.mktemp("clips") / "range.y4m"
    try:
        write_range_clip(path)
    except (FileNotFoundError, OSError) as error:
        pytest.skip(f"the synthetic figure cannot be rendered here: {error}")
    return path


SPORTS2D = "sports2d==0.8.34"
SPORTS2D_WHEEL = CACHE / "sports2d-0.8.34-py3-none-any.whl"
DEMO_SHA256 = "d9a66417185647b112304b57093f0c180f37a768e6a14daca75ca541f3b78039"
"""SHA-256 of Sports2D/Demo/demo.mp4 in that wheel (7.7 s, 1768×994, 30 fps)."""


def _sports2d_wheel() -> Path:
    if SPORTS2D_WHEEL.is_file():
        return SPORTS2D_WHEEL
    CACHE.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", SPORTS2D, "-d", str(CACHE)],
            check=True,
            timeout=180,
            capture_output=True,
        )
    except (subprocess.SubprocessError, OSError) as error:
        pytest.skip(f"{SPORTS2D_WHEEL.name} is not in {CACHE} and could not be downloaded: {error}")
    if not SPORTS2D_WHEEL.is_file():
        pytest.skip(f"pip did not save {SPORTS2D_WHEEL.name}")
    return SPORTS2D_WHEEL


@pytest.fixture(scope="module")
def two_people_clip(tmp_path_factory) -> Path:
    """Sports2D's demo (a man on a box, a woman walking past) cropped to 4:3 at 640×480."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.skip("ffmpeg is not installed (apt-get install ffmpeg)")
    folder = tmp_path_factory.mktemp("sports2d")
    with zipfile.ZipFile(_sports2d_wheel()) as wheel:
        mp4 = folder / "demo.mp4"
        data = wheel.read("Sports2D/Demo/demo.mp4")
    if hashlib.sha256(data).hexdigest() != DEMO_SHA256:
        pytest.skip("Sports2D/Demo/demo.mp4 is not the expected file (SHA-256 differs)")
    mp4.write_bytes(data)
    out = folder / "demo.y4m"
    subprocess.run(
        [
            ffmpeg,
            "-v",
            "error",
            "-y",
            "-i",
            str(mp4),
            "-vf",
            "crop=1325:994:420:0,scale=640:480,fps=15,format=yuv420p",
            str(out),
        ],
        check=True,
        timeout=300,
    )
    return out


# --- browser helpers -------------------------------------------------------------------------


@pytest.fixture
def launch(browser):
    """Launch Chromium with extra flags from the session's Playwright; closed after the test."""
    launched = []

    def start(*extra: str):
        other = browser.browser_type.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *extra])
        launched.append(other)
        return other

    yield start
    for other in launched:
        other.close()


FAVICON = "https://fonts.gstatic.com/s/i/short-term/release/materialsymbolsrounded/"
"""Streamlit fetches a page icon given as ":material/...:" from Google as the favicon; that is
app.py's ``page_icon``, not this page (reported), so it is the one outside request tolerated."""


def _open_live(chromium, app_url: str, requested: list[str], *, camera: bool = True):
    context = chromium.new_context(
        viewport={"width": 1400, "height": 1000},
        accept_downloads=True,
        permissions=["camera"] if camera else [],
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{app_url}/live")
    page.get_by_role("heading", name="Live mirror").wait_for()
    return page


def _webrtc(page):
    return page.frame_locator("iframe[title*='webrtc_streamer']")


def _start_camera(page) -> None:
    _webrtc(page).get_by_role("button", name="Start camera").click()


def _wait_video_playing(page) -> None:
    video = _webrtc(page).locator("video")
    video.wait_for(timeout=CONNECT_MS)
    deadline = time.monotonic() + CONNECT_MS / 1000
    while time.monotonic() < deadline:
        state = video.evaluate("v => [v.videoWidth, v.currentTime, v.readyState]")
        if state[0] > 0 and state[1] > 0.5 and state[2] >= 2:
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"the mirrored video never played: {state}")


def _processed(page) -> int:
    text = page.get_by_text("frames/s processed").first.inner_text()
    return int(re.search(r"(\d+) frames ·", text).group(1))


def _live_tilt(page) -> float | None:
    metric = page.locator("[data-testid=stMetric]").filter(has_text="Pelvic tilt (live)")
    if metric.count() == 0:
        return None
    text = metric.locator("[data-testid=stMetricValue]").inner_text()
    match = re.search(r"([+-−]?\d+)", text.replace("−", "-"))
    return float(match.group(1)) if match else None


def _outside(requested: list[str]) -> list[str]:
    from urllib.parse import urlparse

    local = {"127.0.0.1", "localhost", None}
    return [url for url in requested if urlparse(url).hostname not in local and not url.startswith(FAVICON)]


def _no_exceptions(page) -> None:
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.get_by_text("Traceback").count() == 0


def _video_shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    _webrtc(page).locator("video").screenshot(path=str(path))
    return path


# --- tests -------------------------------------------------------------------------------------


def test_live_mirror_readout_capture_and_range(launch, app_url, range_clip):
    chromium = launch(*FAKE_CAMERA, f"--use-file-for-fake-video-capture={range_clip}")
    requested: list[str] = []
    page = _open_live(chromium, app_url, requested)
    _start_camera(page)
    _wait_video_playing(page)

    # Frames are processed and the live readout appears.
    page.get_by_text("frames/s processed").first.wait_for(timeout=CONNECT_MS)
    deadline = time.monotonic() + 30
    while _live_tilt(page) is None and time.monotonic() < deadline:
        page.wait_for_timeout(300)
    assert _live_tilt(page) is not None, "the live tilt never appeared"
    first = _processed(page)
    page.wait_for_timeout(3000)
    assert _processed(page) > first + 5, "frames are not being processed"
    print("\nlive readout in the browser:", page.get_by_text("frames/s processed").first.inner_text())
    _video_shot(page, "live-mirror-video")
    screenshot(page, "live-mirror-readout")
    _no_exceptions(page)

    # Hands-free capture: fires after 3 s of holding still (the clip holds each pose 7.5 s).
    page.get_by_role("button", name="Hands-free: hold still 3 s").click()
    page.get_by_text("Captured hands-free at", exact=False).wait_for(timeout=60_000)

    # Capture with the button: the steadiest frames through the photo pipeline, shown like a
    # photo result with the measures and a routine.
    page.get_by_role("button", name="Capture now").click()
    page.get_by_text("Captured with the button at", exact=False).wait_for(timeout=60_000)
    page.get_by_role("heading", name="Captured result").wait_for()
    screenshot(page, "live-capture-result")
    page.get_by_text("frames measured and combined", exact=False).first.wait_for()
    screenshot(page, "live-capture-result")
    page.get_by_role("heading", name=re.compile(r"^Routine ")).first.wait_for()
    _no_exceptions(page)

    # Range test: start it as the clip comes back to relaxed standing (the live tilt rises
    # from the tipped-back segment), then let the clip do the three positions.
    _start_range_test_on_relaxed(page)
    page.get_by_text("Range set:", exact=False).first.wait_for(timeout=45_000)
    page.get_by_text("Your range:", exact=False).first.wait_for(timeout=10_000)
    percent = page.get_by_text("Your range:", exact=False).first.inner_text()
    assert re.search(r"Your range: \d+%", percent), percent
    _video_shot(page, "live-range-video")
    screenshot(page, "live-range-set")
    _no_exceptions(page)

    # The range is kept only if saved: download it, change it, load it back.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my range (JSON)").click()
    saved = json.loads(Path(download.value.path()).read_text())
    personal = PersonalRange.from_json(json.dumps(saved))
    assert personal.max_anterior_deg > personal.neutral_deg > personal.max_posterior_deg
    edited = {**saved, "neutral_deg": round(personal.neutral_deg + 1.0, 1)}
    edited_file = ARTIFACTS / "live-range-edited.json"
    edited_file.write_text(json.dumps(edited))
    uploader = page.locator("[data-testid=stFileUploader]").filter(has_text="Load a saved range")
    uploader.locator("input[type=file]").set_input_files(str(edited_file))
    page.get_by_text(f"relaxed {edited['neutral_deg']:+.1f}°", exact=False).wait_for(timeout=20_000)
    _no_exceptions(page)

    assert _outside(requested) == []


def _start_range_test_on_relaxed(page) -> None:
    """Click "Start the range test" just after the clip goes from tipped back to relaxed."""
    deadline = time.monotonic() + 40
    low_seen = False
    history = []
    while time.monotonic() < deadline:
        tilt = _live_tilt(page)
        history.append(tilt)
        if tilt is not None and tilt <= 8:
            low_seen = True
        elif low_seen and tilt is not None and tilt >= 10:
            page.get_by_role("button", name="Start the range test").click()
            return
        page.wait_for_timeout(150)
    raise AssertionError(f"never saw the clip go from tipped back to relaxed: {history}")


def test_live_guidance_with_two_people(launch, app_url, two_people_clip):
    chromium = launch(*FAKE_CAMERA, f"--use-file-for-fake-video-capture={two_people_clip}")
    requested: list[str] = []
    page = _open_live(chromium, app_url, requested)
    _start_camera(page)
    _wait_video_playing(page)
    page.get_by_text("frames/s processed").first.wait_for(timeout=CONNECT_MS)
    seen = False
    deadline = time.monotonic() + 30
    while not seen and time.monotonic() < deadline:
        seen = page.get_by_text("Only one person in view", exact=False).count() > 0
        page.wait_for_timeout(200)
    _video_shot(page, "live-two-people-video")
    screenshot(page, "live-two-people")
    assert seen, "the 'only one person' guidance never showed"
    _no_exceptions(page)
    assert _outside(requested) == []


@pytest.mark.parametrize(
    "flags, error",
    [
        ((), "NotFoundError"),  # no camera at all
        (("--use-fake-device-for-media-stream",), "NotAllowedError"),  # a camera, permission refused
    ],
)
def test_no_camera_or_refused_permission_gives_a_clear_message(launch, app_url, flags, error):
    """The component names the browser's error; the page explains it and points to photos."""
    chromium = launch(*flags)
    requested: list[str] = []
    page = _open_live(chromium, app_url, requested, camera=False)
    _start_camera(page)
    _webrtc(page).get_by_text(error).first.wait_for(timeout=30_000)
    # The page's explanation comes with the script's next run: wait for it, then count.
    page.get_by_text("No picture?", exact=False).wait_for(timeout=30_000)
    page.get_by_text("Analyse a photo instead").wait_for()
    page.get_by_text(error, exact=False).first.wait_for()  # explained on the page
    screenshot(page, f"live-camera-{error}")
    _no_exceptions(page)
    page.get_by_text("Analyse a photo instead").click()
    page.get_by_role("heading", name="Posture analyzer").wait_for()  # the photo page
    assert page.get_by_role("heading", name="Live mirror").count() == 0
    assert _outside(requested) == []
