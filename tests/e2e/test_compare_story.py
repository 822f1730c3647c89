"""Issue 20, point 3, in headless Chromium at a desktop (1280×900) and a phone (390×844): the
Compare page judges only the measures with a change limit measured on held-out bodies, lists
the others (the sacrum outline among them) as not compared, and warns, without blocking, when
the two photos look like two different people."""

from __future__ import annotations

import pytest

from posture.render.wording import MEASURE_GUIDE
from tests.e2e.conftest import REPO

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
RESULT_WAIT_MS = 90_000  # the first comparison also loads the model on 2 shared cores
NEUTRAL, FORWARD = (
    REPO / "samples" / "synthetic_neutral.jpg",
    REPO / "samples" / "synthetic_anterior_tilt.jpg",
)
OTHER_PERSON = "dipanjans16_posture_measurement/side_image.jpg"
WARNING = "These two photos look like two different people"


@pytest.fixture(params=list(WIDTHS))
def compare_page(request, browser, app_url):
    width, height = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(app_url + "/compare")
    page.locator("input[type=file]").nth(1).wait_for(state="attached")
    yield page
    context.close()


def _compare(page, first, second) -> str:
    inputs = page.locator("input[type=file]")
    inputs.nth(0).set_input_files(str(first))
    inputs.nth(1).set_input_files(str(second))
    page.get_by_text("Two kinds of error:").first.wait_for(timeout=RESULT_WAIT_MS)
    page.get_by_role("heading", name="Export the comparison").wait_for(timeout=RESULT_WAIT_MS)
    page.wait_for_timeout(300)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=RESULT_WAIT_MS)
    return page.locator("[data-testid=stMain]").inner_text()


def test_only_measures_with_a_measured_limit_get_a_verdict(compare_page):
    text = _compare(compare_page, NEUTRAL, FORWARD)
    table = compare_page.locator("[data-testid=stTable]").first
    rows = table.locator("tbody tr").all_inner_texts()
    assert any("Pelvic tilt" in row for row in rows) and any("Lumbar curve" in row for row in rows)
    # Old: twelve rows, the sacrum outline "real change" beside a tilt "within error".
    assert len(rows) == 2, rows
    sacrum = MEASURE_GUIDE["sacral_inclination"].label  # "Slope at the base of the spine"
    assert not any(sacrum in row for row in rows)
    assert "Not compared (no measured limit)" in text
    listed = text.split("Not compared (no measured limit)", 1)[1].split("Export the comparison")[0]
    lines = [line for line in listed.splitlines() if "(Before)" in line]
    assert any(line.startswith(f"{sacrum}:") for line in lines), lines
    assert any(line.startswith("Trunk lean:") for line in lines), lines
    assert not any("real change" in line or "within error" in line for line in lines), lines
    assert WARNING not in text  # one body in three postures: no warning


def test_two_different_people_get_a_warning_and_the_comparison(compare_page, sample):
    text = _compare(compare_page, NEUTRAL, sample(OTHER_PERSON))
    assert WARNING in text  # old: no word about it
    assert "If you meant to compare two clients, carry on" in text
    compare_page.locator("[data-testid=stTable]").first.wait_for()  # it informs, does not block
