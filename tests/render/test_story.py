"""The verdict in the client's terms (posture.render.wording) and the picture of the range
(posture.render.range_picture): never "posterior" beside a "+" that means forward."""

from __future__ import annotations

import re

import pytest

from posture.render import range_picture, wording
from posture.types import Assessment, TiltClass, TiltMethod
from tests.analyses import analysis


def _with_tilt(degrees: float, cls: TiltClass, *, method: TiltMethod = TiltMethod.ESTIMATE):
    a = analysis({"pelvic_tilt": degrees})
    return a.__class__(**{**a.__dict__, "assessment": Assessment(degrees, cls, 0.63, None, method=method)})


@pytest.mark.parametrize(
    ("degrees", "position"),
    [(3.0, "below"), (3.99, "below"), (4.0, "within"), (12.0, "within"), (18.0, "within"), (18.5, "above")],
)
def test_position_against_the_typical_range_4_to_18(degrees, position):
    assert wording.tilt_position(degrees) == position


@pytest.mark.parametrize(
    ("degrees", "cls", "verdict"),
    [
        (
            3.0,
            TiltClass.POSTERIOR,
            "Pelvis tipped less far forward than typical (below the typical range; confidence 63%)",
        ),
        (
            -6.0,
            TiltClass.POSTERIOR,
            "Pelvis tipped back, tucked under (below the typical range; confidence 63%)",
        ),
        (11.0, TiltClass.NEUTRAL, "Pelvis within the typical range (confidence 63%)"),
        (
            24.0,
            TiltClass.ANTERIOR,
            "Pelvis tipped further forward than typical (above the typical range; confidence 63%)",
        ),
    ],
)
def test_verdict_says_where_and_which_way_without_a_contradicting_sign(degrees, cls, verdict):
    text = wording.verdict_text(_with_tilt(degrees, cls))
    assert text == verdict  # one pair of brackets, never "(…) (confidence …)"
    assert "posterior" not in text.lower() and "anterior" not in text.lower()
    assert not re.search(r"[+−-]\d", text)  # the number is in the details, with its convention


def test_verdict_from_skin_markers_says_so():
    text = wording.verdict_text(_with_tilt(3.0, TiltClass.POSTERIOR, method=TiltMethod.MARKERS))
    assert text.endswith("(below the typical range), from skin markers (confidence 63%)")


def test_the_number_comes_with_its_convention_and_the_clinical_name():
    text = wording.tilt_number_text(_with_tilt(3.0, TiltClass.POSTERIOR))
    assert text.startswith("Your pelvic tilt: +3°, the front 3° lower than the back (tipped forward).")
    assert "Typical: +4° to +18°" in text and "+ when the front is lower" in text
    assert "posterior pelvic tilt (below the range is called posterior" in text


@pytest.mark.parametrize(
    ("degrees", "words"),
    [
        (3.0, "front 3° lower than the back (tipped forward)"),
        (-5.0, "front 5° higher than the back (tipped back)"),
        (0.2, "front and back at the same height (level)"),
    ],
)
def test_direction_in_words(degrees, words):
    assert wording.tilt_direction(degrees) == words


def test_overlay_text_says_position_and_the_sign_convention_in_ascii():
    lines = wording.overlay_lines(_with_tilt(3.0, TiltClass.POSTERIOR))
    assert lines[0] == "Pelvis: below the typical range (confidence 63%)"
    assert lines[1] == "Tilt +3 degrees; typical: +4 to +18 (+ = tipped forward)"
    assert all(line.isascii() for line in lines)
    assert not any("deg " in line or line.endswith("deg") for line in lines)


@pytest.mark.parametrize(
    ("value", "where"), [(-15.0, 0.0), (10.0, 0.5), (35.0, 1.0), (80.0, 1.0), (-40.0, 0.0)]
)
def test_mark_position_on_the_scale_is_clipped(value, where):
    assert range_picture.mark_position(value) == pytest.approx(where)


def test_range_svg_shades_the_band_and_puts_the_mark_at_the_value():
    svg = range_picture.range_svg(10.0, low=4.0, high=18.0, title="t")
    # viewBox 400 wide, 20 padding: -15..35 maps to 20..380, so 10 -> 200, 4 -> 156.8, 18 -> 257.6.
    assert re.search(r'class="mark" x1="200.0"', svg)
    assert re.search(r'class="typical" x="156.8" y="48" width="100.8"', svg)
    assert "typical +4° to +18°" in svg and "you +10°" in svg and "<title>t</title>" in svg
    assert "(off the scale)" in range_picture.range_svg(60.0, low=4.0, high=18.0)


@pytest.mark.parametrize(("low", "high", "axis"), [(5, 5, (-1, 1)), (6, 5, (-1, 1)), (1, 2, (3, 3))])
def test_range_svg_rejects_an_empty_band_or_axis(low, high, axis):
    with pytest.raises(ValueError):
        range_picture.range_svg(0.0, low=low, high=high, axis=axis)


def test_tilt_picture_is_none_without_a_tilt_and_titled_with_the_alt_text():
    assert range_picture.tilt_picture(analysis({"pelvic_tilt": None})) is None
    svg = range_picture.tilt_picture(_with_tilt(3.0, TiltClass.POSTERIOR))
    assert "your mark at +3°, below it" in svg


def _routine_for(degrees: float, cls: TiltClass, lumbar: float | None, kendall=None):
    from posture.routines import choose_routine

    a = analysis({"pelvic_tilt": degrees, "lumbar_lordosis": lumbar})
    a = a.__class__(**{**a.__dict__, "assessment": Assessment(degrees, cls, 0.8, kendall)})
    routine = choose_routine(
        cls.value, confidence=0.8, kendall_type=kendall, lumbar_degrees=lumbar, lumbar_range=(25.0, 60.0)
    )
    return a, routine


def test_a_low_tilt_with_a_normal_curve_is_not_called_a_flat_back():
    a, routine = _routine_for(3.0, TiltClass.POSTERIOR, 49.0)
    assert routine.id == "posterior" and "flat back" not in routine.title.lower()
    assert routine.title == "Routine for a pelvis tipped less far forward than typical"
    assert wording.routine_reason(a, routine) == (
        "Chosen because your pelvis is tipped less far forward than typical. Your lower-back "
        "curve, 49°, is within the typical 25° to 60°: your lower back is not flat."
    )


def test_a_low_tilt_with_a_deep_curve_gets_the_balanced_routine_and_says_why():
    a, routine = _routine_for(2.0, TiltClass.POSTERIOR, 68.0)
    assert routine.id == "neutral" and "lower-back curve point in opposite directions" in routine.note
    assert (
        wording.routine_reason(a, routine)
        == "Your lower-back curve, 68°, is deeper than the typical 25° to 60°."
    )


def test_a_high_tilt_with_a_flat_curve_gets_the_balanced_routine():
    _, routine = _routine_for(22.0, TiltClass.ANTERIOR, 20.0)
    assert routine.id == "neutral"


def test_the_reason_names_kendalls_type_when_there_is_one():
    a, routine = _routine_for(25.0, TiltClass.ANTERIOR, 66.0, kendall="lordotic")
    assert routine.id == "anterior"
    assert wording.routine_reason(a, routine).endswith(
        "deeper than the typical 25° to 60°. Posture type: lordotic."
    )


def test_comparison_error_shows_no_internal_source_and_marks_unmeasured_limits():
    from posture.assess.compare import MeasurementError

    row = type(
        "Row", (), {"unit": "deg", "error": MeasurementError(6.0, "deg", "RESEARCH.md", "RESEARCH.md")}
    )()
    assert wording.format_error(row) == "±6°"
    row.error = MeasurementError(0.02, "fraction", "set by hand", "provisional")
    row.unit = "fraction"
    assert wording.format_error(row) == "±2% of height (not yet measured)"
    assert "one photo" in wording.CHANGE_ERROR_TEXT and "two photos" in wording.CHANGE_ERROR_TEXT


def test_the_clients_page_says_where_records_are_kept_without_a_path():
    assert wording.clients_intro(on_server=False).startswith(
        "Each client's sessions, kept in one file on this computer"
    )
    on_server = wording.clients_intro(on_server=True)
    assert "clinic's records database" in on_server and "file" not in on_server
