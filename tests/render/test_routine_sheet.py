"""Printable routines (text, Markdown, HTML, PDF, JSON), the exercise pictures and `posture routine`."""

import json
import re
import shutil
import subprocess
from dataclasses import replace

import pytest

from posture.cli.routine import parse_answers, routine_command
from posture.render.illustrations import SEGMENTS, exercise_svg, pose_points, pose_svg
from posture.render.routine_sheet import to_dict, to_html, to_markdown, to_pdf, to_text
from posture.routines import choose_routine, load_catalogue
from posture.routines.safety import DISCLAIMER, RED_FLAGS, screen

ALL_NO = {flag.id: False for flag in RED_FLAGS}
STANDING = {name: -90 for name in (s.name for s in SEGMENTS)} | {
    "trunk": 90,
    "head": 90,
    "foot": 0,
    "far_foot": 0,
}


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="module", params=["anterior", "neutral", "posterior", "sway_back"])
def routine(request, catalogue):
    tilt, kendall = ("posterior", "sway_back") if request.param == "sway_back" else (request.param, None)
    return choose_routine(tilt, confidence=0.8, kendall_type=kendall, catalogue=catalogue)


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", data))


# --- Markdown and text ---------------------------------------------------------------------


def test_markdown_has_everything_a_person_needs(routine):
    md = to_markdown(routine)
    assert md.startswith(f"# {routine.title}\n")
    assert "**Coaching, not diagnosis.** " + DISCLAIMER in md
    assert all(f"- [ ] {flag.question}" in md for flag in RED_FLAGS)
    assert md.index("safety check") < md.index("## Exercises")
    for number, item in enumerate(routine.items, 1):
        ex = item.exercise
        assert f"### {number}. {ex.name}" in md
        assert ex.dose.describe() in md and ex.common_mistake in md and ex.easier in md and ex.harder in md
        assert all(f"{i}. {step}" in md for i, step in enumerate(ex.steps, 1))
    assert f"about {routine.total_minutes} minutes" in md


def test_markdown_after_a_clear_screen_says_so_and_keeps_the_flags_as_a_reminder(catalogue):
    routine = choose_routine("anterior", confidence=0.9, catalogue=catalogue)
    md = to_markdown(routine, screen=screen(ALL_NO))
    assert "You answered no to every safety question" in md
    assert "- numbness in the saddle area" in md
    assert "Half-kneeling tuck with core press" in md


@pytest.mark.parametrize("export", [to_markdown, to_text, to_html])
def test_a_blocked_screen_replaces_the_routine_with_the_safety_message(catalogue, export):
    routine = choose_routine("posterior", confidence=0.9, catalogue=catalogue)
    result = screen({**ALL_NO, "saddle_numbness": True})
    document = export(routine, screen=result)
    assert "Seek medical care now" in document
    assert "not a diagnosis" in document
    assert not any(ex.name in document for ex in routine.exercises)


def test_low_confidence_advice_is_in_the_document(catalogue):
    routine = choose_routine("anterior", confidence=0.3, catalogue=catalogue)
    assert "Retake the photo" in to_text(routine)
    assert "confidence 30%" in to_markdown(routine)


# --- HTML ----------------------------------------------------------------------------------


def test_html_is_self_contained_and_prints_on_a4(routine):
    html = to_html(routine)
    assert html.startswith("<!DOCTYPE html>")
    assert "@page { size: A4" in html and "@media print" in html
    assert not re.search(r"<link|<script|<img|src=|url\(", html)
    assert "Coaching, not diagnosis." in html
    assert html.count("<li>In the last few weeks") == 1
    assert html.count("<article class='card'>") == len(routine.items)


def test_html_embeds_one_drawn_picture_per_exercise_that_has_a_pose(routine):
    html = to_html(routine)
    with_pose = [ex for ex in routine.exercises if ex.pose]
    assert html.count("<svg ") == len(with_pose) >= 3
    assert all(f'aria-label="{ex.name}"' in html for ex in with_pose)


def test_html_escapes_text(catalogue):
    routine = choose_routine("neutral", confidence=0.9, catalogue=catalogue)
    html = to_html(routine)
    assert "90/90 hip switch" in html and "<script" not in html
    assert "&lt;" not in routine.title and "<h1>Routine to keep a neutral pelvis</h1>" in html


# --- PDF -----------------------------------------------------------------------------------


def test_pdf_is_one_page(routine):
    data = to_pdf(routine)
    assert data.startswith(b"%PDF-")
    assert pdf_pages(data) == 1


def test_blocked_pdf_is_one_page_without_exercises(catalogue, tmp_path):
    routine = choose_routine("anterior", confidence=0.9, catalogue=catalogue)
    data = to_pdf(routine, screen=screen({"leg_weakness": True}))
    assert pdf_pages(data) == 1
    text = pdf_text(data, tmp_path)
    assert "Seek medical care now" in text
    assert "Dead bug" not in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) not installed")
def test_pdf_text_holds_the_disclaimer_the_flags_and_every_exercise(catalogue, tmp_path):
    routine = choose_routine("posterior", confidence=0.9, kendall_type="sway_back", catalogue=catalogue)
    text = pdf_text(to_pdf(routine), tmp_path)
    assert "Coaching, not diagnosis." in text
    assert "bike saddle" in text
    assert all(ex.name in text for ex in routine.exercises)


def test_pdf_keeps_characters_beyond_latin_1(catalogue, tmp_path):
    """The sheet is set in DejaVu Sans: no character is rewritten or lost as "?"."""
    base = choose_routine("anterior", confidence=0.9, catalogue=catalogue)
    routine = replace(base, note="Hold each stretch ≥ 30 s, knee at 90°, as Zoë’s trainer showed — twice.")
    text = pdf_text(to_pdf(routine), tmp_path)
    assert "Hold each stretch ≥ 30 s, knee at 90°, as Zoë’s trainer showed — twice." in text


def pdf_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) not installed")
    path = tmp_path / "routine.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"\s+", " ", out.stdout)


BROWSER = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


@pytest.mark.skipif(BROWSER is None, reason="no Chromium to print the HTML with")
def test_html_prints_on_one_a4_page_in_a_real_browser(catalogue, tmp_path):
    longest = max(
        (
            choose_routine(t, confidence=0.9, kendall_type=k, catalogue=catalogue)
            for t, k in [
                ("anterior", None),
                ("neutral", None),
                ("posterior", None),
                ("posterior", "sway_back"),
            ]
        ),
        key=lambda r: len(to_html(r)),
    )
    page, pdf = tmp_path / "routine.html", tmp_path / "printed.pdf"
    page.write_text(to_html(longest), encoding="utf-8")
    subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert pdf_pages(pdf.read_bytes()) == 1


# --- JSON ----------------------------------------------------------------------------------


def test_json_dict_round_trips_and_hides_the_routine_when_blocked(routine):
    data = json.loads(json.dumps(to_dict(routine)))
    assert data["routine"]["total_seconds"] == sum(i["seconds"] for i in data["routine"]["items"])
    assert [q["id"] for q in data["safety"]["questions"]] == [f.id for f in RED_FLAGS]
    blocked = to_dict(routine, screen=screen({"fever": True}))
    assert blocked["routine"] is None and blocked["safety"]["screen"]["flags"] == ["fever"]


# --- pictures ------------------------------------------------------------------------------


def test_standing_pose_puts_joints_where_a_ruler_says():
    points = pose_points(STANDING)
    assert points["shoulder"] == pytest.approx((0.0, 0.30))
    assert points["knee"] == pytest.approx((0.0, -0.24))
    assert points["ankle"] == pytest.approx((0.0, -0.48))
    assert points["toe"] == pytest.approx((0.08, -0.48))


def test_a_pose_missing_a_segment_names_it():
    angles = dict(STANDING)
    del angles["far_shin"]
    with pytest.raises(KeyError, match="far_shin"):
        pose_points(angles)


def test_the_figure_stands_on_the_floor_line():
    svg = pose_svg({"prop": "none", "angles": STANDING}, title="Standing")
    floor_y = float(re.search(r'<line x1="0" y1="([0-9.]+)"', svg).group(1))
    view_h = float(re.search(r'viewBox="0 0 [0-9.]+ ([0-9.]+)"', svg).group(1))
    assert floor_y == pytest.approx(view_h - 4.0, abs=0.2)  # floor at the bottom, inside a 4-unit margin
    assert 'aria-label="Standing"' in svg


def test_every_pose_in_the_catalogue_draws_and_exercises_without_one_have_no_picture(catalogue):
    drawn = {ex.id: exercise_svg(ex) for ex in catalogue.exercises.values()}
    assert drawn["pigeon_pose"] is None and drawn["banded_lateral_walk"] is None
    pictures = [svg for svg in drawn.values() if svg]
    assert len(pictures) >= 10
    assert all(svg.startswith("<svg ") and svg.endswith("</svg>") for svg in pictures)


def test_props_are_drawn(catalogue):
    assert "<rect" in exercise_svg(catalogue.exercises["seated_knee_lift"])  # the chair
    assert "stroke-dasharray" in exercise_svg(catalogue.exercises["hip_stack_drill"])  # the plumb line


# --- `posture routine` ---------------------------------------------------------------------


def test_command_prints_the_routine_with_its_screen(capsys):
    assert routine_command(["anterior"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Routine for a pelvis tipped further forward than typical")
    assert "Your result: anterior pelvic tilt\n" in out  # no made-up confidence
    assert "SAFETY CHECK" in out and "Coaching, not diagnosis." in out
    assert "HALF-KNEELING TUCK WITH CORE PRESS" in out


def test_command_uses_kendall_type_and_confidence(capsys):
    assert routine_command(["posterior", "--kendall", "sway_back", "--confidence", "0.9"]) == 0
    assert "HIPS-OVER-ANKLES STANCE" in capsys.readouterr().out
    assert routine_command(["posterior", "--kendall", "sway_back", "--confidence", "0.2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Routine to keep a neutral pelvis") and "Retake the photo" in out


def test_command_json_is_machine_readable(capsys):
    assert (
        routine_command(["neutral", "--format", "json", "--answers", ",".join(f"{k}=no" for k in ALL_NO)])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["routine"]["id"] == "neutral" and data["safety"]["screen"]["blocked"] is False


def test_command_stops_on_a_yes(capsys):
    assert routine_command(["anterior", "--answers", "saddle_numbness=yes,fever=no"]) == 3
    out = capsys.readouterr().out
    assert "Seek medical care now" in out and "Dead bug" not in out.title()


@pytest.mark.parametrize(
    "fmt, magic", [("pdf", b"%PDF-"), ("html", b"<!DOCTYPE html>"), ("markdown", b"# Routine")]
)
def test_command_writes_files(tmp_path, capsys, fmt, magic):
    path = tmp_path / f"routine.{fmt}"
    assert routine_command(["posterior", "--format", fmt, "--output", str(path)]) == 0
    assert path.read_bytes().startswith(magic)
    assert str(path) in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["forward"],
        ["anterior", "--format", "pdf"],
        ["anterior", "--answers", "fever=maybe"],
        ["anterior", "--answers", "fevr=no"],
        ["anterior", "--confidence", "2"],
    ],
)
def test_command_rejects_bad_arguments_with_exit_code_2(capsys, argv):
    assert routine_command(argv) == 2
    assert "error" in capsys.readouterr().err


def test_command_help_exits_cleanly(capsys):
    assert routine_command(["--help"]) == 0
    assert "saddle_numbness" in capsys.readouterr().out


def test_parse_answers_reads_yes_and_no():
    assert parse_answers("fever=no, saddle_numbness=YES,") == {"fever": False, "saddle_numbness": True}
