"""Issue 20, point 7, in headless Chromium at a desktop (1280×900) and a phone (390×844): on the
Clients page the chosen client survives a save and a reload, three sessions on one day are
three points in order with their time, the chart fits the page, and the records file's path
is not shown to the trainer.

The app runs on its own server with ``POSTURE_DATA_DIR`` in a temporary folder holding a
records file written before it starts (``tests.e2e.records``: Ana Lind, four sessions, three of
them on 1 Oct 2026 at 10:00, 10:05 and 10:10; Bo Berg, one).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import CHROMIUM, served_app
from tests.e2e.records import fill
from tests.e2e.test_trainer_browser import choose, idle

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def records(tmp_path_factory, estimator) -> Path:
    folder = tmp_path_factory.mktemp("clients-data")
    fill(folder / "records.sqlite3", estimator)
    return folder


@pytest.fixture(scope="module")
def clients_url(records: Path, tmp_path_factory):
    if not CHROMIUM.is_file():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    home = tmp_path_factory.mktemp("clients-home")
    with served_app(home, home / "streamlit.log", POSTURE_DATA_DIR=str(records)) as served:
        yield served.url + "/clients"


@pytest.fixture(params=list(WIDTHS))
def sized(request, browser):
    width, height = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def _main_text(page) -> str:
    return page.locator("[data-testid=stMain]").inner_text()


def _open_client(page, url: str, name: str) -> None:
    page.goto(url)
    page.get_by_text("Choose a client, or pick").wait_for(timeout=WAIT_MS)
    choose(page, "Client", name)
    page.get_by_role("heading", name=name).wait_for()


def test_the_chosen_client_stays_after_a_save_and_a_reload(sized, clients_url):
    page = sized
    _open_client(page, clients_url, "Bo Berg")
    page.get_by_text("Client details").click()
    page.get_by_label("Notes").fill("Knee surgery 2024")
    page.get_by_role("button", name="Save details").click()
    idle(page)
    assert page.get_by_role("combobox", name="Client").input_value() == "Bo Berg"
    page.reload()  # a new browser session: only the address remembers
    page.get_by_role("heading", name="Bo Berg").wait_for(timeout=WAIT_MS)
    assert page.get_by_role("combobox", name="Client").input_value() == "Bo Berg"
    assert "Choose a client, or pick" not in _main_text(page)  # old: the choice was gone
    assert re.search(r"[?&]client=Bo(\+|%20)Berg", page.url)


def _tilt_points(page) -> list[dict]:
    """The pelvic tilt panel's points as drawn (the first chart's first group of points): their
    boxes in page pixels."""
    chart = page.locator("[data-testid=stVegaLiteChart]").first
    points = chart.locator("svg g.mark-symbol.role-mark").first.locator("path")
    points.first.wait_for()
    return [points.nth(i).bounding_box() for i in range(points.count())]


def test_three_sessions_on_one_day_are_three_points_in_order_with_their_time(sized, clients_url):
    page = sized
    _open_client(page, clients_url, "Ana Lind")
    boxes = _tilt_points(page)
    assert len(boxes) == 4
    xs = [b["x"] + b["width"] / 2 for b in boxes]
    # Old: a time axis over a month put 10:00, 10:05 and 10:10 within 1 px of each other.
    assert all(later - earlier > 40 for earlier, later in zip(xs, xs[1:])), xs
    chart = page.locator("[data-testid=stVegaLiteChart]").first
    labels = chart.locator("svg .role-axis-label text").evaluate_all(
        "texts => texts.map(t => t.querySelectorAll('tspan').length"
        " ? [...t.querySelectorAll('tspan')].map(s => s.textContent) : [t.textContent])"
    )
    labels = [lines for lines in labels if not re.fullmatch(r"[−-]?\d+", lines[0])]  # not the y axis
    assert labels == [
        ["1 Sep 2026"],
        ["1 Oct 2026", "10:00"],
        ["1 Oct 2026", "10:05"],
        ["1 Oct 2026", "10:10"],
    ]
    chart.locator("svg g.mark-symbol.role-mark").first.locator("path").nth(2).hover()
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    assert "01 Oct 2026 10:05" in tooltip.inner_text()


def test_the_chart_fits_the_page(sized, clients_url):
    page = sized
    _open_client(page, clients_url, "Ana Lind")
    _tilt_points(page)
    page.wait_for_timeout(500)
    width = page.evaluate("() => document.documentElement.clientWidth")
    main = page.locator("[data-testid=stMainBlockContainer]").bounding_box()
    charts = page.locator("[data-testid=stVegaLiteChart] svg")
    assert charts.count() >= 1
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)  # old: past the edge
        assert box["width"] >= 0.8 * (main["width"] - 32), (box, main)  # fills the column


def test_the_records_file_is_not_shown_to_the_trainer(sized, clients_url, records):
    page = sized
    _open_client(page, clients_url, "Ana Lind")
    text = _main_text(page)
    assert str(records) not in text and "records.sqlite3" not in text  # old: in the first line
    assert "kept in one file on this computer" in text
