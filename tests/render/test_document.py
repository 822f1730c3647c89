"""The one document and its two writers, on a hand-built document holding every block."""

from __future__ import annotations

import re
import shutil
import subprocess

import numpy as np
import pytest

from posture.render.document import (
    Aside,
    Card,
    Cards,
    Cell,
    Checklist,
    Details,
    Document,
    Figure,
    FigureRow,
    Heading,
    Items,
    Paragraph,
    Run,
    Table,
    runs,
)
from posture.render.html_writer import write_html
from posture.render.pdf_writer import write_pdf

PHOTO = np.full((40, 20, 3), 120, np.uint8)
EVERY_BLOCK = (
    Heading("Report for Zoë", 1),
    Paragraph(runs(Run("Goal:", strong=True), " tilt ≥ 4° & < 18°")),
    Aside(Figure(PHOTO, alt="photo", width_mm=20), (Paragraph.of("Beside the photo", "verdict"),)),
    Table(
        ("Measure", "Value"), ((Cell("Pelvic tilt"), Cell("+25.0°", ("num", "out"), note="above")),), (2, 1)
    ),
    Details("Your number", "Behind the summary"),
    Items.of(["First step", "Second step"]),
    FigureRow((PHOTO, PHOTO), height_mm=20),
    Checklist(runs(Run("Check:", strong=True), " answer first"), ("Any fever?", "Any numbness?")),
)


def test_html_writes_every_block_with_its_marks_and_escapes_text():
    html = write_html(Document("Zoë <report>", EVERY_BLOCK))
    assert "<title>Zoë &lt;report&gt;</title>" in html
    assert "<p><strong>Goal:</strong> tilt ≥ 4° &amp; &lt; 18°</p>" in html
    assert "<div class='top'><div class='figure'><img alt='photo' src='data:image/jpeg;base64," in html
    assert "<td class='num out'>+25.0°<br><span class='small'>above</span></td>" in html
    assert "<details><summary>Your number</summary><p>Behind the summary</p></details>" in html
    assert "<ol><li>First step</li><li>Second step</li></ol>" in html
    assert html.count("alt='comparison picture'") == 2
    assert "<section class='safety'><strong>Check:</strong> answer first<ul><li>Any fever?</li>" in html


def test_a_block_the_writers_do_not_know_is_refused():
    with pytest.raises(TypeError, match="not a document block"):
        write_html(Document("t", ("a string",)))
    with pytest.raises(TypeError, match="not a block of a flowing report"):
        write_pdf(Document("t", (Cards(()),)))


def pdf_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) not installed")
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"\s+", " ", out.stdout)


def test_pdf_writes_every_text_once_in_reading_order(tmp_path):
    text = pdf_text(write_pdf(Document("Report", EVERY_BLOCK[:6] + EVERY_BLOCK[6:7])), tmp_path)
    expected = [
        "Report for Zoë",
        "Goal: tilt ≥ 4° & < 18°",
        "Beside the photo",
        "Pelvic tilt",
        "+25.0° above",
        "Behind the summary",
        "1. First step",
        "2. Second step",
    ]
    places = [text.index(piece) for piece in expected]
    assert places == sorted(places)
    assert "Your number" not in text  # the summary line is for the screen


def test_a_sheet_is_one_page_with_its_cards(tmp_path):
    card = Card(1, "Glute bridge", "2 min", "", "2 sets of 8", "Wakes the glutes.", ("Lie down.",), ())
    sheet = Document("Sheet", (Heading("Routine", 1), EVERY_BLOCK[7], Cards((card,))), "sheet")
    data = write_pdf(sheet)
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1
    text = pdf_text(data, tmp_path)
    assert "Check: answer first" in text and "Any numbness?" in text
    assert "1. Glute bridge (2 min)" in text and "Wakes the glutes." in text
