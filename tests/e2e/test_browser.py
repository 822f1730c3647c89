"""End to end in headless Chromium: the pages as a person uses them, against `streamlit run app.py`.

Screenshots are saved to artifacts/e2e/. The upload-to-result time is printed (run with -s
to see it), never asserted: speed is measured in the benchmarks.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from posture.render.wording import TECHNICAL_DETAILS
from posture.routines.safety import RED_FLAGS
from tests.e2e.conftest import ARTIFACTS, screenshot

ROUTINE_HEADING = re.compile(r"^Routine (for|to) ")
VERDICT = re.compile(r"^Pelvis .*typical range")
"""The routine's heading, whichever class the photo reads as."""

pytestmark = pytest.mark.browser

SIDE = "pranjal_postureanalysis/left.png"
OTHER_SIDE = "pranjal_postureanalysis/right.png"
FRONT = "pranjal_postureanalysis/front.png"
RESULT_WAIT_MS = 30_000


def _open(page, url: str) -> None:
    page.goto(url)
    page.locator("input[type=file]").first.wait_for(state="attached")


def _images_loaded(page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stImage] img')]"
        ".filter(i => i.checkVisibility()).every(i => i.complete && i.naturalWidth > 0)"
    )


def _upload_and_time(page, app_url: str, photo: Path) -> float:
    """Seconds from handing the file to the page until the result, routine and images show."""
    _open(page, app_url)
    started = time.perf_counter()
    page.locator("input[type=file]").first.set_input_files(str(photo))
    page.get_by_role("heading", name=ROUTINE_HEADING).wait_for(timeout=RESULT_WAIT_MS)
    page.get_by_alt_text("Your photo with the measures drawn on it").wait_for()
    _images_loaded(page)
    return time.perf_counter() - started


def test_side_view_shows_annotated_photo_class_and_routine(page, app_url, sample):
    elapsed = _upload_and_time(page, app_url, sample(SIDE))
    # Streamlit sends the page in pieces: wait for each part rather than count at one instant.
    page.get_by_text(VERDICT).first.wait_for()
    page.get_by_text("Technical details", exact=True).click()  # the timing is for developers
    page.get_by_text("Analysed in", exact=False).wait_for()
    page.locator("[data-testid=stTable]").get_by_text("Pelvic tilt", exact=True).first.wait_for()
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, "photo-side-view")
    print(f"\nupload-to-result time in the browser (first session): {elapsed:.2f} s")


def test_upload_to_result_time_is_printed(browser, app_url, sample, tmp_path):
    """Fresh browser sessions, one upload each: the time a new user waits (printed, not
    asserted), for the small sample PNG and for a phone-sized 12-megapixel JPEG made from it."""
    from PIL import Image

    phone = tmp_path / "phone_side.jpg"
    Image.open(sample(SIDE)).convert("RGB").resize((3024, 4032), Image.Resampling.BICUBIC).save(
        phone, quality=92
    )
    lines = []
    for label, photos in (
        ("sample PNG 291x436", (sample(SIDE), sample(OTHER_SIDE)) * 2),
        ("phone JPEG 3024x4032", (phone,) * 4),
    ):
        times = []
        for photo in photos:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.set_default_timeout(30_000)
            times.append(_upload_and_time(page, app_url, photo))
            context.close()
        median = sorted(times)[len(times) // 2]
        lines.append(
            f"upload-to-result in the browser, {label}: median {median:.2f} s, runs "
            + ", ".join(f"{t:.2f}" for t in times)
        )
    print("\n" + "\n".join(lines))
    (ARTIFACTS / "timing.txt").write_text("\n".join(lines) + "\n")


def test_two_people_at_once_both_get_their_result(browser, app_url, sample):
    """Two sessions upload at the same moment; the shared model serves both."""
    pages = []
    for _ in range(2):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        pages.append(context.new_page())
    for page in pages:
        _open(page, app_url)
    for page, photo in zip(pages, (SIDE, OTHER_SIDE)):
        page.locator("input[type=file]").first.set_input_files(str(sample(photo)))
    for page in pages:
        page.get_by_role("heading", name=ROUTINE_HEADING).wait_for(timeout=RESULT_WAIT_MS)
        assert page.locator("[data-testid=stException]").count() == 0
    assert pages[0].get_by_text("left.png").count() >= 1
    assert pages[1].get_by_text("right.png").count() >= 1
    for page in pages:
        page.context.close()


def test_safety_screen_unlocks_the_exercises(page, app_url, sample):
    _open(page, app_url)
    page.locator("input[type=file]").first.set_input_files(str(sample(SIDE)))
    page.get_by_role("heading", name=ROUTINE_HEADING).wait_for(timeout=RESULT_WAIT_MS)
    groups = page.locator("[data-testid=stRadio] [role=radiogroup]")
    groups.nth(len(RED_FLAGS) - 1).wait_for()
    assert groups.count() == len(RED_FLAGS)
    for i in range(len(RED_FLAGS)):
        groups.nth(i).get_by_text("No", exact=True).click()
        page.wait_for_timeout(200)
    page.get_by_text("You answered no to every safety question", exact=False).wait_for()
    assert page.locator("[data-testid=stExpander]").count() >= 3
    screenshot(page, "photo-routine-unlocked")


def test_report_downloads_as_pdf(page, app_url, sample):
    _open(page, app_url)
    page.locator("input[type=file]").first.set_input_files(str(sample(SIDE)))
    button = page.get_by_role("button", name="Report (PDF)")
    button.wait_for(timeout=RESULT_WAIT_MS)
    with page.expect_download() as download:
        button.click()
    path = download.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF-")
    assert download.value.suggested_filename == "left-report.pdf"


def test_face_blur_changes_the_picture_on_the_page(page, app_url, sample):
    _upload_and_time(page, app_url, sample(SIDE))
    picture = page.get_by_alt_text("Your photo with the measures drawn on it")
    before = picture.get_attribute("src")
    page.get_by_text("Blur my face in the picture and the report").click()
    page.get_by_text("Face blurred in the image and the report.").wait_for()
    page.wait_for_function(
        "src => { const i = document.querySelector("
        "'img[alt=\"Your photo with the measures drawn on it\"]');"
        " return i && i.src !== src && i.complete; }",
        arg=before,
    )
    screenshot(page, "photo-face-blurred")


def test_front_view_gets_guidance_not_an_error_page(page, app_url, sample):
    _open(page, app_url)
    page.locator("input[type=file]").first.set_input_files(str(sample(FRONT)))
    page.get_by_text("Turn sideways", exact=False).first.wait_for(timeout=RESULT_WAIT_MS)
    page.get_by_text("A good photo set-up").wait_for()
    _images_loaded(page)
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, "photo-front-view")


def test_compare_two_photos_shows_aligned_ghost_and_table(page, app_url, sample):
    _open(page, app_url + "/compare")
    inputs = page.locator("input[type=file]")
    inputs.nth(0).set_input_files(str(sample(SIDE)))
    page.get_by_text(TECHNICAL_DETAILS).first.wait_for(timeout=RESULT_WAIT_MS)  # holds the timing
    inputs.nth(1).set_input_files(str(sample(OTHER_SIDE)))
    table = page.locator("[data-testid=stTable]")
    table.get_by_text("Difference").wait_for(timeout=RESULT_WAIT_MS)
    # Labels typed after the uploads rename the columns and keep both photos.
    labels = page.locator("[data-testid=stTextInput] input")
    for i, label in enumerate(("before — 1 Oct", "after — 12 Nov")):
        labels.nth(i).fill(label)
        labels.nth(i).press("Enter")
        table.get_by_text(label).wait_for(timeout=RESULT_WAIT_MS)
    page.get_by_text("Ghost overlay", exact=True).wait_for()
    _images_loaded(page)
    text = table.inner_text()
    # The tilt row's numbers agree with each other: the difference is after - before (each
    # shown to 0.1°), and it is called a real change only when it is larger than the error.
    # The two photos are one person in one stance: the change is within the error.
    cells = [c.strip() for c in text[text.index("Pelvic tilt") :].split("\n") if c.strip()][:6]
    before, after, difference, error = (float(re.match(r"[±+]?(-?[\d.]+)", c).group(1)) for c in cells[1:5])
    assert difference == pytest.approx(after - before, abs=0.11)
    assert cells[5] == ("real change" if abs(difference) > error else "within error")
    assert cells[5] == "within error"
    # Measures without a measured change limit are listed apart, with no source names shown.
    page.get_by_text("Not compared (no measured limit)", exact=False).first.wait_for()
    assert "RESEARCH.md" not in page.locator("body").inner_text()
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, "compare-two-photos")


def test_compare_keeps_the_good_photo_when_the_other_is_rejected(page, app_url, sample):
    _open(page, app_url + "/compare")
    inputs = page.locator("input[type=file]")
    inputs.nth(0).set_input_files(str(sample(FRONT)))
    page.get_by_text("Turn sideways", exact=False).first.wait_for(timeout=RESULT_WAIT_MS)
    inputs.nth(1).set_input_files(str(sample(SIDE)))
    page.get_by_text(re.compile(r"After: Pelvis (within|tipped)")).wait_for(timeout=RESULT_WAIT_MS)
    page.get_by_text("Before:", exact=False).first.wait_for()
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, "compare-one-rejected")


def test_app_calls_no_outside_address_and_writes_nothing(requested_hosts, app_home):
    if not requested_hosts:
        pytest.skip("no browser test ran before this one")
    assert requested_hosts <= {"127.0.0.1", "data", "blob"}, requested_hosts
    # The one file allowed is matplotlib's list of installed fonts: mediapipe's vision package
    # imports matplotlib.pyplot, which caches that list on first import. No user data.
    written = [
        p
        for p in app_home.rglob("*")
        if p.is_file() and not (p.parent == app_home / "mpl" and p.name.startswith("fontlist"))
    ]
    assert written == [], written
