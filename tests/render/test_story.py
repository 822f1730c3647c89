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
    ("degrees", "cls", "headline"),
    [
        (3.0, TiltClass.POSTERIOR, "Pelvis tipped less far forward than typical (below the typical range)"),
        (-6.0, TiltClass.POSTERIOR, "Pelvis tipped back, tucked under (below the typical range)"),
        (11.0, TiltClass.NEUTRAL, "Pelvis within the typical range"),
        (24.0, TiltClass.ANTERIOR, "Pelvis tipped further forward than typical (above the typical range)"),
    ],
)
def test_verdict_says_where_and_which_way_without_a_contradicting_sign(degrees, cls, headline):
    text = wording.verdict_text(_with_tilt(degrees, cls))
    assert text == f"{headline} (confidence 63%)"
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
