"""Load on the running app (localhost only): several browser sessions uploading at once.

Four browser contexts (separate sessions, as four people) each upload two side views, one
after the other, all four at the same moment, against the one server of ``app_url``. Every
upload must end with the measures table of *its* photo (the same table one session alone
gets), no error on the page, inside a bounded time. Latencies (file handed to the page →
its table shown) are printed and written to artifacts/e2e/load.json, never asserted.

Also here, because it needs the real server: a file over the upload limit is refused by
the page with Streamlit's message.
"""

from __future__ import annotations

import json
import re
import time

import numpy as np
import pytest

from tests.e2e.conftest import ARTIFACTS, screenshot

ROUTINE_HEADING = re.compile(r"^Routine (for|to) ")
"""The routine's heading, whichever class the photo reads as."""

pytestmark = pytest.mark.browser

SESSIONS = 4
UPLOADS = 2
PHOTOS = ("pranjal_postureanalysis/left.png", "pranjal_postureanalysis/right.png")
RESULT_WAIT_S = 120.0
"""Longest wait for one result before it counts as a failure (2 shared cores in CI)."""
POLL_S = 0.1


def _open(page, url: str) -> None:
    page.goto(url)
    page.locator("input[type=file]").first.wait_for(state="attached")


def _table_text(page) -> str | None:
    tables = page.locator("[data-testid=stTable]")
    if tables.count() == 0:
        return None
    return tables.first.inner_text(timeout=5_000)


def _settled_table(page) -> str:
    """The table's text once two readings half a second apart agree (the page draws the
    heading of the routine before the table is filled in)."""
    deadline = time.monotonic() + 60
    text = _table_text(page)
    while time.monotonic() < deadline:
        page.wait_for_timeout(500)
        again = _table_text(page)
        if again and again == text:
            return text
        text = again
    raise AssertionError("the measures table did not settle in 60 s")


def _errors(page) -> int:
    return page.locator("[data-testid=stException]").count()


@pytest.fixture(scope="module")
def expected_tables(browser, app_url, sample) -> dict[str, str]:
    """The measures table one session alone gets for each photo."""
    tables = {}
    for name in PHOTOS:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        _open(page, app_url)
        page.locator("input[type=file]").first.set_input_files(str(sample(name)))
        page.get_by_role("heading", name=ROUTINE_HEADING).wait_for(timeout=90_000)
        page.locator("[data-testid=stTable]").first.wait_for(timeout=90_000)
        tables[name] = _settled_table(page)
        context.close()
    assert tables[PHOTOS[0]] and tables[PHOTOS[0]] != tables[PHOTOS[1]]
    return tables


def test_four_sessions_uploading_together_all_get_their_own_result(browser, app_url, sample, expected_tables):
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(SESSIONS)]
    pages = [context.new_page() for context in contexts]
    for page in pages:
        page.set_default_timeout(60_000)
        _open(page, app_url)
    latencies: list[float] = []
    failures: list[str] = []
    started_all = time.perf_counter()
    try:
        for round_ in range(UPLOADS):
            # Session i uploads photo (i + round) % 2: neighbours hold different photos, and
            # every session's second upload replaces its first with the other photo.
            wanted = {i: PHOTOS[(i + round_) % len(PHOTOS)] for i in range(SESSIONS)}
            started = {}
            for i, page in enumerate(pages):
                started[i] = time.perf_counter()
                page.locator("input[type=file]").first.set_input_files(str(sample(wanted[i])))
            pending = set(range(SESSIONS))
            while pending:
                for i in sorted(pending):
                    page = pages[i]
                    waited = time.perf_counter() - started[i]
                    if _errors(page):
                        failures.append(f"session {i} upload {round_ + 1}: error on the page")
                    elif _table_text(page) == expected_tables[wanted[i]]:
                        latencies.append(waited)
                    elif waited > RESULT_WAIT_S:
                        failures.append(
                            f"session {i} upload {round_ + 1}: no result for "
                            f"{wanted[i]} in {RESULT_WAIT_S:.0f} s"
                        )
                        screenshot(page, f"load-failure-session{i}-upload{round_ + 1}")
                    else:
                        continue
                    pending.discard(i)
                time.sleep(POLL_S)
        for i, page in enumerate(pages):
            if _errors(page):
                failures.append(f"session {i}: error on the page at the end")
    finally:
        for context in contexts:
            context.close()
    total = time.perf_counter() - started_all
    report = _report(latencies, failures, total)
    print("\n" + report["line"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(report, indent=2) + "\n")
    assert failures == []
    assert len(latencies) == SESSIONS * UPLOADS


def _report(latencies: list[float], failures: list[str], total: float) -> dict:
    figures = {}
    if latencies:
        values = np.array(latencies)
        figures = {f"p{q}": round(float(np.percentile(values, q)), 2) for q in (50, 90, 95)}
        figures.update(min=round(float(values.min()), 2), max=round(float(values.max()), 2))
    line = (
        f"load: {SESSIONS} sessions x {UPLOADS} uploads at once, {len(failures)} failures, "
        f"{len(latencies)} results in {total:.1f} s; upload-to-result latency (s) "
        + ", ".join(f"{k} {v:.2f}" for k, v in figures.items())
    )
    return {
        "sessions": SESSIONS,
        "uploads_each": UPLOADS,
        "failures": failures,
        "latencies_s": [round(v, 3) for v in latencies],
        "seconds": round(total, 1),
        **figures,
        "line": line,
    }


def test_a_file_over_the_upload_limit_is_refused_with_a_message(page, app_url, tmp_path):
    """Streamlit's own limit (server.maxUploadSize = 25 MB): the page refuses the file before
    sending it, says why, and analyses nothing."""
    big = tmp_path / "huge.jpg"
    with big.open("wb") as handle:
        handle.write(b"\xff\xd8\xff\xe0")
        handle.truncate(26 * 2**20)
    _open(page, app_url)
    page.locator("input[type=file]").first.set_input_files(str(big))
    page.get_by_text("File must be 25.0MB or smaller", exact=False).wait_for(timeout=30_000)
    page.wait_for_timeout(1_000)
    assert page.get_by_text("Analysed in", exact=False).count() == 0
    assert _errors(page) == 0
