"""The trainer's workspace end to end in headless Chromium: create a client, save three
sessions from the project's own sample photos (dated through their EXIF), see them in the
chart, correct a landmark and see the measure change, export the history as CSV and PDF, and
delete the client with nothing of theirs left on disk.

The app runs on its own server with ``POSTURE_DATA_DIR`` in a temporary folder, so the other
browser tests' check that the app writes nothing stays true for them.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from benchmarks.served import CHROMIUM, served_app
from tests.e2e.conftest import REPO, screenshot

pytestmark = pytest.mark.browser

CLIENT = "Zelda Quist"
PHOTOS = (
    ("synthetic_anterior_tilt.jpg", "2026:09:01 10:00:00", "1 Sep 2026, 10:00"),
    ("synthetic_neutral.jpg", "2026:10:01 10:00:00", "1 Oct 2026, 10:00"),
    ("synthetic_posterior_tilt.jpg", "2026:11:01 10:00:00", "1 Nov 2026, 10:00"),
)
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("posture-data")


@pytest.fixture(scope="module")
def trainer_url(data_dir: Path, tmp_path_factory):
    if not CHROMIUM.is_file():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    home = tmp_path_factory.mktemp("trainer-home")
    with served_app(home, home / "streamlit.log", POSTURE_DATA_DIR=str(data_dir)) as served:
        yield served.url


@pytest.fixture(scope="module")
def dated_photos(tmp_path_factory) -> list[Path]:
    """The sample photos with an EXIF date a month apart (taken at +01:00)."""
    from PIL import Image

    folder = tmp_path_factory.mktemp("photos")
    paths = []
    for name, when, _ in PHOTOS:
        image = Image.open(REPO / "samples" / name)
        exif = image.getexif()
        exif.get_ifd(0x8769).update({36867: when, 36881: "+01:00"})
        path = folder / name
        image.save(path, quality=95, exif=exif)
        paths.append(path)
    return paths


def idle(page) -> None:
    """Wait until the app has finished its current run (no "Running..." indicator)."""
    page.wait_for_timeout(300)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=WAIT_MS)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the Streamlit select box labelled ``label`` (again if a rerun of
    the page closed the list under the click)."""
    box = page.get_by_role("combobox", name=label)
    for _ in range(3):
        idle(page)
        box.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
        except Exception:  # the list was redrawn: try again
            continue
        idle(page)
        if box.input_value() == option or option.endswith("…"):
            return
    raise AssertionError(f"could not choose {option!r} in {label!r}")


def test_trainer_workflow(browser, trainer_url, data_dir, dated_photos, estimator):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)

    # 1. A new client on the Clients page, photos allowed.
    page.goto(trainer_url + "/clients")
    page.get_by_text("Choose a client, or pick").wait_for()
    choose(page, "Client", "New client…")
    page.get_by_label("Name or pseudonym").fill(CLIENT)
    page.get_by_text("The client agrees that their photos are stored").click()
    page.get_by_role("button", name="Create client").click()
    page.get_by_text("No sessions yet").wait_for()

    # 2. Three sessions from the photo page; the last one with a hand-moved shoulder.
    page.goto(trainer_url)  # the photo page is the default page
    upload = page.locator("input[type=file]").first
    for number, (photo, (_, _, shown)) in enumerate(zip(dated_photos, PHOTOS), 1):
        upload.set_input_files(str(photo))
        # The date read from this photo's EXIF: the page shows this photo's result now.
        page.get_by_text(f"Session date: {shown}").wait_for(timeout=WAIT_MS)
        if number == 1:
            choose(page, "Client", CLIENT)  # remembered for the next photos
        if number == 3:
            correct_shoulder(page, shoulder_moved(photo, estimator))
        page.get_by_role("button", name="Save to client").click()
        page.get_by_text(f"Saved to {CLIENT}").wait_for()
    screenshot(page, "trainer-photo-saved")

    # 3. The Clients page: three sessions in the chart and table.
    page.goto(trainer_url + "/clients")
    choose(page, "Client", CLIENT)
    page.get_by_text("3 session(s)").first.wait_for()
    page.locator("[data-testid=stVegaLiteChart]").first.wait_for()
    table = page.locator("[data-testid=stDataFrame]").first
    table.wait_for()
    screenshot(page, "trainer-clients")

    # 4. Exports: CSV (three rows oldest first, the correction flagged) and PDF.
    with page.expect_download() as download:
        page.get_by_role("button", name="History (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    date, fixed = "Date and time (with UTC offset)", "Trunk lean: corrected by hand (1 = yes)"
    assert [r[date][:10] for r in rows] == ["2026-09-01", "2026-10-01", "2026-11-01"]
    assert all(r[date].endswith("+01:00") for r in rows)
    assert rows[2][fixed] == "1" and rows[0][fixed] == "0"  # readable headings (docs/DATA.md)
    with page.expect_download() as download:
        page.get_by_role("button", name="Progress report (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")

    # 5. Delete: nothing of the client left in the folder or the file.
    database = data_dir / "records.sqlite3"
    assert CLIENT.encode() in database.read_bytes()
    page.get_by_text(f"Delete {CLIENT} and all 3 session(s)").click()
    page.get_by_role("button", name="Delete client").click()
    page.get_by_text("Choose a client, or pick").wait_for()
    assert [p.name for p in data_dir.iterdir()] == ["records.sqlite3"]
    assert CLIENT.encode() not in database.read_bytes()
    with sqlite3.connect(database) as conn:
        for table_name in ("clients", "sessions", "measures", "images"):
            assert conn.execute(f"SELECT count(*) FROM {table_name}").fetchone()[0] == 0
    assert page.locator("[data-testid=stException]").count() == 0
    context.close()


def shoulder_moved(photo: Path, estimator) -> tuple[float, float, float]:
    """Where to click to move the shoulder forward by 2% of the image height: (x, y) in the
    analysed image's pixels and its width, from the same analysis the app makes."""
    from posture.analyze import analyze
    from posture.assess.errors import shipped
    from posture.measure.measures import mid

    result = analyze(photo, estimator, figures=shipped())
    x, y = mid(result.landmarks, "shoulder")
    x += result.facing.sign * 0.02 * result.image_size[1]
    return float(x), float(y), float(result.image_size[0])


def correct_shoulder(page, target: tuple[float, float, float]) -> None:
    """Move the shoulder by clicking on the photo; the trunk lean is then marked corrected."""
    page.get_by_text("Correct landmarks by hand").click()
    page.get_by_text("Joint to move").wait_for()
    page.get_by_text("Shoulder", exact=True).click()
    idle(page)
    image = page.frame_locator("iframe[title*='streamlit_image_coordinates']").locator("img")
    image.wait_for()
    page.wait_for_function(
        "() => { const f = document.querySelector("
        "\"iframe[title*='streamlit_image_coordinates']\");"
        " const i = f && f.contentDocument.querySelector('img');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    box = image.bounding_box()
    x, y, width = target
    scale = box["width"] / width
    image.click(position={"x": x * scale, "y": y * scale})
    page.get_by_text("Trunk lean", exact=True).first.wait_for()
    page.locator("[data-testid=stTable]").get_by_text("corrected (was", exact=False).first.wait_for(
        timeout=WAIT_MS
    )
    assert page.get_by_text("Corrected by hand:", exact=False).count() == 1
    screenshot(page, "trainer-corrected")
