"""docs/DATA.md lists every measure and every CSV heading the code writes, and the reports keep
the developers' words (model file, version, sources, technical names) in their technical
details (issue 20, point 6)."""

from __future__ import annotations

import re
from pathlib import Path

from posture.assess.errors import ErrorFigures
from posture.measure.conventions import CONVENTIONS
from posture.records.history import FIXED_COLUMNS, TILT_COLUMNS, TRAILING_COLUMNS
from posture.render import report
from posture.render.tables import COMPARISON_CSV_COLUMNS, MEASURES_CSV_COLUMNS
from posture.render.wording import MEASURE_GUIDE, TECHNICAL_DETAILS, history_heading
from tests.analyses import analysis

DATA = (Path(__file__).resolve().parents[2] / "docs" / "DATA.md").read_text()
DEVELOPER_WORDS = re.compile(r"Preece|craniovertebral|Sacrum outline|Made with posture|MediaPipe", re.I)


def test_every_measure_is_in_the_data_dictionary_with_its_plain_name_code_and_unit():
    for name, (unit, _) in CONVENTIONS.items():
        row = next((line for line in DATA.splitlines() if f"| `{name}` |" in line), "")
        assert row.startswith(f"| {MEASURE_GUIDE[name].label} |"), name
        assert ("| degrees |" if unit == "deg" else "| fraction of height |") in row, name


def test_every_csv_heading_is_in_the_data_dictionary():
    for heading in (*MEASURES_CSV_COLUMNS, *COMPARISON_CSV_COLUMNS):
        assert f"| {heading} |" in DATA, heading
    for code in (*FIXED_COLUMNS, "pelvic_tilt", "pelvic_tilt_corrected", *TILT_COLUMNS, *TRAILING_COLUMNS):
        assert f"| {history_heading(code)} | `{code}` |" in DATA, code


def test_the_photo_report_keeps_developer_words_in_its_technical_details():
    html = report.photo_report_html(
        report.PhotoReport(analysis({"pelvic_tilt": 12.5}), None, figures=ErrorFigures.load())
    )
    before, _, details = html.partition(f">{TECHNICAL_DETAILS}<")
    assert details, "no technical details section"
    assert DEVELOPER_WORDS.findall(re.sub(r"<style>.*?</style>", "", before, flags=re.S)) == []
    for word in ("Made with posture", "MediaPipe Pose (full model)", "Preece", "Craniovertebral angle"):
        assert word in details, word
    assert "Slope at the base of the spine" in before  # the plain name in the measures table
