"""The progress report a client keeps: their words, local dates, no internal names."""

from __future__ import annotations

import re
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from posture.assess.compare import MeasurementError, measurement_errors
from posture.assess.errors import shipped
from posture.records import Store, draft
from posture.records.report import Handover, progress_html
from posture.records.report_pdf import progress_pdf
from posture.render.handover import range_word
from tests.records.test_store import at, measured

INTERNAL = (
    "posture.assess",
    "DEFAULT",
    "anterior_above",
    "RESEARCH.md",
    "UTC",
    "+00:00",
    "pelvic_tilt",
    "pose_landmarker",
    ".task",
)


ROUTINE = SimpleNamespace(
    id="neutral",
    title="Routine to keep a neutral pelvis",
    items=(
        SimpleNamespace(exercise=SimpleNamespace(name="Cat-cow")),
        SimpleNamespace(exercise=SimpleNamespace(name="Glute bridge")),
    ),
)


@pytest.fixture
def sessions_and_handover(tmp_path):
    store = Store(tmp_path / "r.sqlite3")
    client = store.add_client("Ana P.")
    for day, tilt, lean in ((3, 24.0, 1.0), (10, 17.0, -5.0), (24, 11.5, 0.5)):
        store.add_session(
            client.id,
            draft(
                measured({"pelvic_tilt": tilt, "trunk_inclination": lean, "lumbar_lordosis": 45.0}),
                taken=at(day),
                originals={"trunk_inclination": 2.0} if day == 24 else None,
                routine=ROUTINE,
            ),
        )
    figures = shipped()
    handover = Handover(
        client=store.client(client.id),
        trainer="Sam Trainer",
        figures=figures,
        errors=measurement_errors(figures),
        picture=np.full((80, 40, 3), 200, np.uint8),
    )
    return store.sessions(client.id), handover


def test_html_report_speaks_to_the_client(sessions_and_handover):
    sessions, handover = sessions_and_handover
    html = progress_html(sessions, handover)
    assert "Posture progress — Ana P." in html and "Prepared by Sam Trainer" in html
    assert "3 session(s), 3 Oct 2026 to 24 Oct 2026" in html
    assert "Latest session: 24 Oct 2026, 09:00" in html
    assert "corrected by hand" in html and "<svg" in html
    assert "Your routine: Routine to keep a neutral pelvis" in html and "<li>Glute bridge</li>" in html
    text = re.sub(r"<style>.*?</style>|<[^>]+>|data:image/[^']+", " ", html, flags=re.S)
    for word in INTERNAL:
        assert word not in text, word


def test_changes_are_real_only_beyond_the_measurement_error(sessions_and_handover):
    """Errors set by hand to 10° (tilt) and 5° (lumbar), both marked measured, and 0.4° (lean),
    not measured: the tilt fell 24 -> 11.5, 12.5° > 10°, real; the lumbar curve stayed at 45°,
    within; the lean has no measured limit, so it is not compared."""
    sessions, handover = sessions_and_handover
    errors = {
        "pelvic_tilt": MeasurementError(10.0, "deg", "hand-set", measured=True),
        "lumbar_lordosis": MeasurementError(5.0, "deg", "hand-set", measured=True),
        "trunk_inclination": MeasurementError(0.4, "deg", "hand-set"),
    }
    html = progress_html(sessions, replace(handover, errors={**handover.errors, **errors}))
    table = html[html.index("Since the first session") :].split("</table>")[0]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in table.split("</tr>")]
    assert [row for row in rows if row] == [
        ["Pelvic tilt", "+24.0°", "+11.5°", "-12.5°", "±10°", "real change"],
        ["Lumbar curve", "45.0°", "45.0°", "+0.0°", "±5°", "within measurement error"],
        ["Trunk lean", "+1.0°", "+0.5°", "-0.5°", "—", "not compared (no measured limit)"],
    ]


def test_first_session_out_of_range_is_marked(sessions_and_handover):
    sessions, handover = sessions_and_handover
    assert range_word("pelvic_tilt", 24.0, handover.normal) == "above normal"
    assert range_word("pelvic_tilt", 11.0, handover.normal) == ""
    assert range_word("trunk_inclination", -5.0, handover.normal) == "below normal"
    assert range_word("knee_flexion", 30.0, handover.normal) == ""  # no numeric norm


def test_pdf_report_is_a_pdf_with_the_client_name(sessions_and_handover):
    sessions, handover = sessions_and_handover
    data = progress_pdf(sessions, handover)
    assert data.startswith(b"%PDF-") and len(data) > 5000


def test_one_session_report_says_so_and_still_builds(sessions_and_handover):
    sessions, handover = sessions_and_handover
    html = progress_html(sessions[:1], handover)
    assert "one session only" in html and "<svg" in html
    assert progress_pdf(sessions[:1], handover).startswith(b"%PDF-")
    assert "No sessions saved yet." in progress_html([], handover)
