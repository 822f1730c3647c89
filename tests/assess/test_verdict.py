"""The verdict (posture.assess): classes at the thresholds, their probability, Kendall's types."""

from __future__ import annotations

import pytest

from posture import assess
from posture.assess.errors import ErrorFigures
from posture.measure.conventions import CONVENTIONS
from posture.types import KendallType, Measure, TiltClass


def values(**given: float) -> dict[str, Measure]:
    return {
        name: Measure(name, given[name], unit)
        if name in given
        else Measure(name, None, unit, "not in this test")
        for name, (unit, _) in CONVENTIONS.items()
    }


@pytest.mark.parametrize(
    "tilt, expected",
    [
        (18.1, TiltClass.ANTERIOR),
        (18.0, TiltClass.NEUTRAL),
        (4.0, TiltClass.NEUTRAL),
        (3.9, TiltClass.POSTERIOR),
    ],
)
def test_classes_change_at_the_thresholds(tilt, expected):
    assert assess.classify(tilt) is expected


def figures_with(tilt_absolute_sd: float, class_sd: float | None = None) -> ErrorFigures:
    return ErrorFigures(
        version=1,
        model="test",
        estimator="test",
        source="test",
        date="2026-01-01",
        change_pairs=1,
        tilt_change_sd=5.0,
        lumbar_change_sd=5.0,
        tilt_absolute_sd=tilt_absolute_sd,
        class_sd=class_sd,
    )


SD_5 = assess.Thresholds(tilt_error_sd=5.0)


@pytest.mark.parametrize(
    "tilt, expected",
    [
        # Midway (11°) is 7° = 1.4 SD from each threshold: P = 2·Φ(1.4) − 1 = 0.838.
        (11.0, 0.838),
        # 1 SD (5°) beyond the anterior threshold: P = Φ(1) = 0.841.
        (23.0, 0.841),
        # 2 SD (10°) below the posterior threshold: P = Φ(2) = 0.977.
        (-6.0, 0.977),
    ],
)
def test_class_probability_for_a_5_degree_error(tilt, expected):
    assert assess.class_probability(tilt, SD_5) == pytest.approx(expected, abs=0.001)


def test_just_over_a_threshold_the_class_is_a_coin_toss():
    assert assess.class_probability(18.0 + 1e-9, SD_5) == pytest.approx(0.5, abs=1e-6)


def test_a_smaller_error_makes_the_same_estimate_surer():
    # 7° = 2.33 SD of 3° from each threshold: P = 2·Φ(2.333) − 1 = 0.980 (0.838 at 5°).
    assert assess.class_probability(11.0, assess.Thresholds(tilt_error_sd=3.0)) == pytest.approx(
        0.980, abs=0.001
    )


def test_class_probability_needs_an_error_figure():
    with pytest.raises(ValueError, match="tilt_error_sd"):
        assess.class_probability(11.0)


def test_the_verdict_uses_the_figures_passed_in():
    measured = values(pelvic_tilt=11.0, lumbar_lordosis=40.0, hip_offset=0.0, trunk_inclination=0.0)
    tight = assess.assess(measured, landmark_quality=1.0, side_view_score=1.0, figures=figures_with(3.0))
    loose = assess.assess(measured, landmark_quality=1.0, side_view_score=1.0, figures=figures_with(8.0))
    # 11° is 7° from each threshold: 2.33 SD of 3° gives 2·Φ(2.333) − 1 = 0.980,
    # 0.875 SD of 8° gives 2·Φ(0.875) − 1 = 0.618.
    assert tight.confidence == pytest.approx(0.980, abs=0.001)
    assert loose.confidence == pytest.approx(0.618, abs=0.001)


def test_confidence_is_the_class_probability_and_unsure_views_only_add_notes():
    measured = values(pelvic_tilt=25.0, lumbar_lordosis=40.0, hip_offset=0.0, trunk_inclination=0.0)
    figures = figures_with(5.0)
    sure = assess.assess(measured, landmark_quality=1.0, side_view_score=1.0, figures=figures)
    unsure = assess.assess(measured, landmark_quality=0.5, side_view_score=0.3, figures=figures)
    assert sure.tilt_class is TiltClass.ANTERIOR
    # 25° is 7° = 1.4 SD above the anterior threshold: P = Φ(1.4) = 0.919.
    assert sure.confidence == pytest.approx(0.919, abs=0.001)
    # The probability is calibrated on held-out bodies with such views: it is not scaled down.
    assert unsure.confidence == pytest.approx(sure.confidence)
    assert len(unsure.notes) == 2


def test_no_tilt_gives_no_class_and_says_why():
    verdict = assess.assess(
        {"pelvic_tilt": Measure("pelvic_tilt", None, "deg", "an arm covers the back")},
        landmark_quality=1.0,
        side_view_score=1.0,
        figures=figures_with(5.0),
    )
    assert verdict.tilt_class is None and verdict.confidence == 0.0
    assert "an arm covers the back" in verdict.notes[0]


@pytest.mark.parametrize(
    "tilt, lordosis, hip_offset, trunk, expected",
    [
        (25.0, 65.0, 0.0, 0.0, KendallType.LORDOTIC),
        (0.0, 20.0, 0.0, 0.0, KendallType.FLAT_BACK),
        (8.0, 40.0, 0.05, -5.0, KendallType.SWAY_BACK),
        (11.0, 40.0, 0.0, 0.0, KendallType.IDEAL),
        (25.0, 50.0, 0.0, 0.0, None),  # anterior without a deep curve: no type claimed
    ],
)
def test_kendall_types(tilt, lordosis, hip_offset, trunk, expected):
    measured = values(
        pelvic_tilt=tilt, lumbar_lordosis=lordosis, hip_offset=hip_offset, trunk_inclination=trunk
    )
    assert assess.kendall_type(assess.classify(tilt), measured) is expected


@pytest.mark.parametrize("class_sd, tilt_sd, shown", [(4.2, 6.0, 4.2), (None, 6.0, 6.0)])
def test_reports_show_the_error_actually_used(class_sd, tilt_sd, shown):
    """The class SD chosen in training when the figures have one, else the tilt's own SD."""
    from posture.render.tables import provenance

    figures = figures_with(tilt_sd, class_sd=class_sd)
    assert provenance("full", figures=figures)["thresholds"]["tilt_error_sd"] == shown
    verdict = assess.assess(
        values(pelvic_tilt=11.0), landmark_quality=1.0, side_view_score=1.0, figures=figures
    )
    # 7° from each threshold: 2·Φ(7 / 4.2) − 1 = 0.904; 2·Φ(7 / 6) − 1 = 0.757.
    assert verdict.confidence == pytest.approx({4.2: 0.904, 6.0: 0.757}[shown], abs=0.001)
