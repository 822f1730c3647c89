"""CSV cells a spreadsheet cannot run: ``posture.render.cells`` and the render CSVs."""

from __future__ import annotations

import pytest

from posture.render.cells import safe_cell


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x","x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "  =1", "-", "-inf"]
)
def test_text_that_could_start_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text.replace("\r", "\n")


@pytest.mark.parametrize("value", ["-3.5", "+2", "-1e-3", " -0.5", "note", "", "a=b", -4.2, 3, None])
def test_numbers_and_harmless_text_are_unchanged(value):
    assert safe_cell(value) == value


def test_comparison_csv_writes_formula_labels_as_text_and_keeps_negative_numbers():
    from tests.render.test_report import _comparison, csv, io, report

    _, _, rows = _comparison()
    text = report.comparison_csv(rows, ("=1+1", "@SUM(A1)"))
    tilt = next(csv.DictReader(io.StringIO(text)))
    assert tilt["First photo"] == "'=1+1" and tilt["Second photo"] == "'@SUM(A1)"
    assert tilt["Second value"] == "-10" and tilt["Difference"] == "-30"
