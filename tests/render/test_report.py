"""Reports (posture.render.report): CSV, JSON, HTML that prints, PDF; provenance and privacy flags."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from dataclasses import asdict, replace
from datetime import UTC, datetime
from html import unescape
from types import SimpleNamespace

import numpy as np
import pytest

import posture
from posture.assess import DEFAULT, compare, resolved
from posture.assess.errors import ErrorFigures
from posture.measure.measures import CONVENTIONS, unmeasured
from posture.render import report
from posture.routines.safety import DISCLAIMER, RED_FLAGS
from posture.types import Reason, Rejection, Status
from tests.analyses import analysis

FIGURES = ErrorFigures.load()

WHEN = datetime(2026, 11, 12, 9, 30, tzinfo=UTC)
IMAGE = np.full((200, 100, 3), 90, np.uint8)


def _routine():
    """A stand-in with the attributes of posture.routines.Routine that reports use."""
    dose = SimpleNamespace(describe=lambda: "2 sets of 8 reps.")
    exercise = SimpleNamespace(name="Glute bridge", dose=dose)
    return SimpleNamespace(
        id="posterior",
        title="Posterior tilt routine",
        goal="Balance the hips.",
        note=None,
        retake_advice="Retake the photo side-on.",
        items=(SimpleNamespace(exercise=exercise, why="Wakes the glutes."),),
        total_minutes=12,
    )


def _rejected():
    return replace(
        analysis(),
        status=Status.REJECTED,
        assessment=None,
        rejection=Rejection(Reason.NOT_SIDE_VIEW, "Turn sideways."),
        measures=unmeasured("photo not measured: not_side_view"),
    )


def test_every_measure_has_a_label_meaning_and_normal_range():
    assert list(report.MEASURE_GUIDE) == list(CONVENTIONS)
    for guide in report.MEASURE_GUIDE.values():
        assert guide.label and guide.meaning.endswith(".") and guide.normal


def test_normal_ranges_follow_the_thresholds():
    assert "4° to 18°" in report.MEASURE_GUIDE["pelvic_tilt"].normal
    custom = report.measure_guide(replace(DEFAULT, anterior_above=20.0, posterior_below=2.0))
    assert "2° to 20°" in custom["pelvic_tilt"].normal


@pytest.mark.parametrize(
    "name, value, shown",
    [
        ("pelvic_tilt", 12.34, "+12.3°"),
        ("pelvic_tilt", -3.0, "-3.0°"),
        ("lumbar_lordosis", 48.0, "48.0°"),
        ("hip_offset", 0.031, "+3.1% of height"),
        ("knee_flexion", None, "not measured"),
    ],
)
def test_values_are_shown_with_sign_and_unit(name, value, shown):
    assert report.format_value(name, value) == shown


def test_csv_has_one_row_per_measure_and_says_why_one_is_missing():
    text = report.measures_csv(analysis({"pelvic_tilt": 12.5, "lumbar_lordosis": None}))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["Code"] for r in rows] == list(CONVENTIONS)
    assert rows[0]["Measure"] == "Pelvic tilt" and rows[0]["Value"] == "12.5" and rows[0]["Unit"] == "degrees"
    assert rows[0]["Against the typical range"] == "Pelvis within the typical range"
    assert rows[1]["Value"] == "" and rows[1]["Why not measured"] == "arm in the way"
    assert {r["Pose model"] for r in rows} == {"pose_landmarker_full.task"}
    assert {r["Version"] for r in rows} == {posture.__version__}


def test_csv_says_a_low_tilt_is_less_far_forward_than_typical_not_just_posterior():
    text = report.measures_csv(analysis({"pelvic_tilt": 3.0}))
    tilt = next(csv.DictReader(io.StringIO(text)))
    assert tilt["Against the typical range"] == (
        "Pelvis tipped less far forward than typical (below the typical range)"
    )


def test_json_records_model_thresholds_version_time_and_privacy():
    data = json.loads(
        report.analysis_json(
            analysis({"pelvic_tilt": 12.5}),
            figures=FIGURES,
            routine=_routine(),
            face_blurred=True,
            created=WHEN,
        )
    )
    meta = data["provenance"]
    assert meta["model"] == "pose_landmarker_full.task"
    assert meta["version"] == posture.__version__
    assert meta["thresholds"] == asdict(resolved(DEFAULT, FIGURES))
    assert meta["created_utc"] == "2026-11-12T09:30:00+00:00"
    assert meta["face_blurred"] is True
    assert data["analysis"]["measures"]["pelvic_tilt"] == 12.5
    assert data["routine"] == {
        "id": "posterior",
        "title": "Posterior tilt routine",
        "exercises": ["Glute bridge"],
    }


def test_html_report_is_self_contained_and_printable():
    html = report.photo_report_html(
        report.PhotoReport(
            analysis({"pelvic_tilt": 12.5}),
            IMAGE,
            figures=FIGURES,
            routine=_routine(),
            face_blurred=True,
            created=WHEN,
        )
    )
    assert "@media print" in html and "@page" in html
    assert not re.search(r"(src|href)=['\"]?(https?:)?//", html)  # no outside address
    assert "data:image/jpeg;base64," in html
    assert "Pelvis within the typical range (confidence 80%)" in html
    assert "<summary>Your number and how it is measured</summary>" in html
    assert "Your pelvic tilt: +12°, the front 12° lower than the back (tipped forward)" in html
    assert "<svg" in html and "your mark at +12°, within it" in html
    assert "Glute bridge" in html and "Retake the photo side-on." in html
    assert all(flag.question.replace("'", "&#x27;") in html for flag in RED_FLAGS)
    assert "MediaPipe Pose (full model)" in html and "anterior above 18°" in html
    for internal in ("pose_landmarker_full.task", "anterior_above", "posture.assess", "UTC"):
        assert internal not in html, internal
    assert "Face blurred." in html


def test_html_report_says_not_measured_instead_of_a_number():
    html = report.photo_report_html(
        report.PhotoReport(analysis({"lumbar_lordosis": None}), None, figures=FIGURES, created=WHEN)
    )
    assert "Not measured: arm in the way" in html


def test_rejected_photo_report_gives_the_reason():
    html = report.photo_report_html(report.PhotoReport(_rejected(), None, figures=FIGURES, created=WHEN))
    assert "Not measured: Turn sideways." in html


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return data.decode("latin-1")


def test_pdf_report_builds_with_routine_and_image():
    data = report.photo_report_pdf(
        report.PhotoReport(
            analysis({"pelvic_tilt": -7.0}),
            IMAGE,
            figures=FIGURES,
            routine=_routine(),
            face_blurred=True,
            created=WHEN,
        )
    )
    assert len(data) > 5000
    assert "/Title" in _pdf_text(data)


def test_pdf_report_without_its_font_says_how_to_get_it(monkeypatch):
    from posture.render import pdf_page

    monkeypatch.setattr(pdf_page.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(RuntimeError, match="DejaVu Sans, ships with matplotlib"):
        report.photo_report_pdf(report.PhotoReport(analysis(), IMAGE, figures=FIGURES, created=WHEN))


def _comparison():
    first, second = analysis({"pelvic_tilt": 20.0}), analysis({"pelvic_tilt": -10.0})
    rows = compare.compare_measures(first, second, errors=compare.measurement_errors(FIGURES))
    return first, second, rows


def test_comparison_csv_has_labels_difference_and_verdict():
    first, second, rows = _comparison()
    text = report.comparison_csv(rows, ("before — 1 Oct", "after — 12 Nov"))
    lines = list(csv.DictReader(io.StringIO(text)))
    tilt = lines[0]
    assert list(tilt) == list(report.COMPARISON_CSV_COLUMNS)  # readable headings, in order
    assert tilt["Measure"] == "Pelvic tilt" and tilt["Code"] == "pelvic_tilt" and tilt["Unit"] == "degrees"
    assert tilt["First photo"] == "before — 1 Oct" and tilt["Second photo"] == "after — 12 Nov"
    assert float(tilt["Difference"]) == -30.0 and tilt["Verdict"] == "real change"
    assert tilt["Where the limit comes from"].startswith("accuracy benchmark")
    unmeasured = lines[3]  # no measured limit: no limit, no source, not compared
    assert unmeasured["Verdict"] == "not compared"
    assert unmeasured["Change limit (±)"] == "" and unmeasured["Where the limit comes from"] == ""


def test_comparison_reports_name_both_photos_and_the_error_source():
    first, second, rows = _comparison()
    labels = ("before — 1 Oct", "after — 12 Nov")
    html = report.comparison_report_html(
        report.ComparisonReport(
            first, second, rows, labels, figures=FIGURES, images=[IMAGE, IMAGE], created=WHEN
        )
    )
    assert "before — 1 Oct" in html and "real change" in html
    assert "±6° (the best clinical tools&#x27; error)" in html  # where the error comes from, in words
    assert "RESEARCH.md" not in html and "UTC" not in html
    assert DISCLAIMER in html
    data = json.loads(report.comparison_json(first, second, rows, labels, figures=FIGURES, created=WHEN))
    assert data["labels"] == list(labels) and data["comparison"][0]["verdict"] == "real change"
    pdf = report.comparison_report_pdf(
        report.ComparisonReport(
            first, second, rows, labels, figures=FIGURES, images=[IMAGE, IMAGE], created=WHEN
        )
    )
    _pdf_text(pdf)


def test_a_blocked_safety_screen_keeps_the_exercises_out_of_the_report():
    from posture.routines.safety import screen

    blocked = screen({"bladder_bowel": True})
    html = report.photo_report_html(
        report.PhotoReport(
            analysis(), None, figures=FIGURES, routine=_routine(), screen=blocked, created=WHEN
        )
    )
    assert "Glute bridge" not in html and "Routine withheld" in html
    assert "emergency" in html
    report.photo_report_pdf(
        report.PhotoReport(
            analysis(), None, figures=FIGURES, routine=_routine(), screen=blocked, created=WHEN
        )
    )


def test_report_lists_the_real_catalogue_routine():
    from posture.routines import choose_routine

    routine = choose_routine("anterior", confidence=0.9, kendall_type="lordotic")
    html = report.photo_report_html(
        report.PhotoReport(
            analysis({"pelvic_tilt": 22.0}), None, figures=FIGURES, routine=routine, created=WHEN
        )
    )
    assert routine.title.replace("'", "&#x27;") in html
    assert all(item.exercise.name.replace("'", "&#x27;") in html for item in routine.items)
    assert (
        json.loads(report.analysis_json(analysis(), figures=FIGURES, routine=routine))["routine"]["id"]
        == routine.id
    )
    report.photo_report_pdf(
        report.PhotoReport(analysis(), IMAGE, figures=FIGURES, routine=routine, created=WHEN)
    )


def test_photo_report_names_client_trainer_and_local_session_date_and_marks_values():
    from datetime import datetime, timedelta, timezone

    from posture.render.handover import Recipient

    taken = datetime(2026, 11, 12, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    recipient = Recipient(client="Ana P.", trainer="Sam T.", taken=taken)
    measured = analysis({"pelvic_tilt": 25.0, "trunk_inclination": 2.0})
    inputs = report.PhotoReport(
        measured,
        IMAGE,
        figures=FIGURES,
        created=WHEN,
        recipient=recipient,
        corrected={"trunk_inclination": 7.5},
    )
    html = report.photo_report_html(inputs)
    assert "Client: Ana P. · Session: 12 Nov 2026, 09:30 · Trainer: Sam T." in html
    assert "class='num out'>+25.0°" in html and "above normal" in html
    assert "corrected by hand (was +7.5°)" in html
    pdf = report.photo_report_pdf(inputs)
    _pdf_text(pdf)


def _visible(html: str) -> str:
    text = re.sub(r"<style>.*?</style>|<svg.*?</svg>|<[^>]+>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(text))


def test_the_pdf_and_the_html_report_say_the_same_in_any_alphabet(tmp_path):
    """One document, two writers: the sentences of the HTML are in the PDF, accents included."""
    from posture.render.handover import Recipient
    from posture.routines import choose_routine

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) not installed")
    routine = choose_routine("anterior", confidence=0.9, kendall_type="lordotic")
    measured = analysis({"pelvic_tilt": 22.0})
    inputs = report.PhotoReport(
        measured,
        IMAGE,
        figures=FIGURES,
        routine=routine,
        created=WHEN,
        recipient=Recipient(client="Zoë Ñúñez", trainer="Łukasz Ø."),
    )
    path = tmp_path / "report.pdf"
    path.write_bytes(report.photo_report_pdf(inputs))
    pdf = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pdf = re.sub(r"\s+", " ", pdf)
    html = _visible(report.photo_report_html(inputs))
    sentences = [
        "Client: Zoë Ñúñez · Trainer: Łukasz Ø.",
        report.verdict_text(measured),
        routine.title,
        *(item.why for item in routine.items),
        *(f"{item.exercise.name} — {item.exercise.dose.describe()}" for item in routine.items),
        f"About {routine.total_minutes} minutes.",
        *(flag.question for flag in RED_FLAGS),
        DISCLAIMER,
    ]
    for sentence in sentences:
        assert sentence in html, sentence
        assert sentence in pdf, sentence
