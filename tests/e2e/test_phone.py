"""Issue 20, points 5, 6 and 7 on the photo page, in headless Chromium at a desktop (1280×900)
and a phone (390×844) width: the verdict in the first screen and the photo inside it, the
developers' words only behind "Technical details", and a warning before a reload loses the
result."""

from __future__ import annotations

import re

import pytest

from posture.render.wording import RELOAD_NOTE, TECHNICAL_DETAILS

pytestmark = pytest.mark.browser

SIDE = "pranjal_postureanalysis/left.png"
RESULT_WAIT_MS = 40_000
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
HEADLINE = re.compile(r"^Pelvis (tipped|within)")
PHOTO = "Your photo with the measures drawn on it"
DEVELOPER_WORDS = re.compile(
    r"Sacrum outline|craniovertebral|Preece|\bdeg\b|Made with posture|MediaPipe|"
    r"pose_landmarker|sacral_inclination|craniovertebral_proxy|decoding|Analysed in",
    re.IGNORECASE,
)


@pytest.fixture(params=list(WIDTHS))
def result_page(request, browser, app_url, sample):
    """The photo page at one of the two widths with the side view's result on it."""
    width, height = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(app_url)
    page.locator("input[type=file]").first.set_input_files(str(sample(SIDE)))
    page.get_by_role("heading", name=HEADLINE).first.wait_for(timeout=RESULT_WAIT_MS)
    page.get_by_alt_text(PHOTO).wait_for()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stImage] img')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    yield page, request.param
    context.close()


def _top_in_page(page, locator) -> float:
    """Where ``locator`` starts, in px from the top of the page's scroll (Streamlit scrolls
    inside its main section, not the document)."""
    return locator.evaluate(
        "e => e.getBoundingClientRect().top + (document.querySelector('[data-testid=stMain]')"
        "?.scrollTop || 0) + window.scrollY"
    )


def test_the_verdict_is_in_the_first_screen_and_the_photo_fits_the_screen(result_page):
    page, width = result_page
    size = page.viewport_size
    verdict = page.get_by_role("heading", name=HEADLINE).first
    assert _top_in_page(page, verdict) < size["height"]  # old phone layout: 1606 px down
    photo = page.get_by_alt_text(PHOTO).bounding_box()
    assert photo["x"] >= 0 and photo["x"] + photo["width"] <= size["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= size["width"]
    pointer = page.get_by_text(re.compile(r"^Your routine: Routine (for|to) ")).first
    title = page.get_by_role("heading", name=re.compile(r"^Routine (for|to) ")).first
    assert pointer.inner_text().split(": ", 1)[1].startswith(title.inner_text())
    if width == "phone":  # stacked: verdict and routine above the photo, the photo inside the screen
        assert (
            _top_in_page(page, verdict)
            < _top_in_page(page, pointer)
            < _top_in_page(page, page.get_by_alt_text(PHOTO))
        )
        assert photo["height"] <= 0.7 * size["height"]
    else:  # side by side: the photo starts in the first screen too, beside the verdict
        assert _top_in_page(page, page.get_by_alt_text(PHOTO)) < size["height"]
        assert photo["x"] > verdict.bounding_box()["x"] + verdict.bounding_box()["width"] - 1


def test_developer_words_are_only_in_technical_details(result_page):
    page, _ = result_page
    main = page.locator("[data-testid=stMain]")
    page.locator("[data-testid=stTable]").first.wait_for()
    seen = DEVELOPER_WORDS.findall(main.inner_text())  # inner_text: only what is shown
    assert seen == [], seen  # old: "Sacrum outline", "Preece 2008", "Analysed in … (decoding …)"
    assert "Slope at the base of the spine" in main.inner_text()
    page.get_by_text(TECHNICAL_DETAILS, exact=True).click()
    details = page.locator("[data-testid=stExpander]").filter(has_text=TECHNICAL_DETAILS)
    details.get_by_text("Analysed in", exact=False).wait_for()
    text = details.inner_text()
    for word in (
        "decoding",
        "pose_landmarker_full.task",
        "Preece",
        "Sacral inclination",
        "sacral_inclination",
    ):
        assert word in text, word
    assert "Craniovertebral angle" in text and "craniovertebral_proxy" in text


def test_the_browser_asks_before_a_reload_loses_the_result(result_page):
    page, _ = result_page
    page.get_by_text(RELOAD_NOTE).wait_for()
    page.get_by_text("Blur my face in the picture and the report").click()  # a choice the reload would lose
    page.get_by_alt_text(PHOTO).wait_for()
    asked = []

    def answer(dialog) -> None:
        asked.append(dialog.type)
        dialog.accept()  # leave: the result is gone, as the warning said

    page.on("dialog", answer)
    page.reload()
    assert asked == ["beforeunload"]  # old: the page reloaded without a word
    page.get_by_text("Upload a side-view photo or take one", exact=False).wait_for()
    page.reload()  # no result on the page: nothing to lose, nothing asked
    page.locator("input[type=file]").first.wait_for(state="attached")
    assert asked == ["beforeunload"]
