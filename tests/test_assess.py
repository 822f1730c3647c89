"""The verdict (posture.assess): classes at the thresholds, their probability, Kendall's types."""

from __future__ import annotations

import json
import math

import pytest

from posture import assess
from posture.assess.errors import FILE as BENCHMARK_FILE
from posture.measure.measures import CONVENTIONS
from posture.types import KendallType, Measure, TiltClass


def values(**given: float) -> dict[str, Measure]:
    return {name: Measure(name, given[name], unit) if name in given
            else Measure(name, None, unit, "not in this test") for name, (unit, _) in CONVENTIONS.items()}


@pytest.mark.parametrize("tilt, expected", [(18.1, TiltClass.ANTERIOR), (18.0, TiltClass.NEUTRAL),
                                            (4.0, TiltClass.NEUTRAL), (3.9, TiltClass.POSTERIOR)])
def test_classes_change_at_the_thresholds(tilt, expected):
    assert assess.classify(tilt) is expected


def test_class_probability_uses_the_benchmarks_error():
    sd = json.loads(BENCHMARK_FILE.read_text())["tilt_absolute_sd"]
    assert assess.benchmark_tilt_error_sd() == pytest.approx(sd)
    # Midway between the thresholds (11°, 7° from each): P = erf(7 / (sd·√2)).
    assert assess.class_probability(11.0) == pytest.approx(math.erf(7.0 / (sd * math.sqrt(2.0))))
    # Just over a threshold the estimate is a coin toss.
    assert assess.class_probability(18.0 + 1e-9) == pytest.approx(0.5, abs=1e-6)
    # A smaller error makes the same estimate surer.
    assert assess.class_probability(11.0, assess.Thresholds(tilt_error_sd=3.0)) > 0.97


def test_confidence_falls_with_unsure_landmarks_and_an_oblique_view():
    measured = values(pelvic_tilt=25.0, lumbar_lordosis=40.0, hip_offset=0.0, trunk_inclination=0.0)
    sure = assess.assess(measured, landmark_quality=1.0, side_view_score=1.0)
    unsure = assess.assess(measured, landmark_quality=0.5, side_view_score=0.3)
    assert sure.tilt_class is TiltClass.ANTERIOR
    assert sure.confidence == pytest.approx(assess.class_probability(25.0))
    # 0.5 landmark quality, view factor 0.3 / 0.6 = 0.5 → 0.5 + 0.5·0.5 = 0.75.
    assert unsure.confidence == pytest.approx(sure.confidence * 0.5 * 0.75)
    assert len(unsure.notes) == 2


def test_no_tilt_gives_no_class_and_says_why():
    verdict = assess.assess({"pelvic_tilt": Measure("pelvic_tilt", None, "deg", "an arm covers the back")},
                            landmark_quality=1.0, side_view_score=1.0)
    assert verdict.tilt_class is None and verdict.confidence == 0.0
    assert "an arm covers the back" in verdict.notes[0]


@pytest.mark.parametrize("tilt, lordosis, hip_offset, trunk, expected", [
    (25.0, 65.0, 0.0, 0.0, KendallType.LORDOTIC),
    (0.0, 20.0, 0.0, 0.0, KendallType.FLAT_BACK),
    (8.0, 40.0, 0.05, -5.0, KendallType.SWAY_BACK),
    (11.0, 40.0, 0.0, 0.0, KendallType.IDEAL),
    (25.0, 50.0, 0.0, 0.0, None),  # anterior without a deep curve: no type claimed
])
def test_kendall_types(tilt, lordosis, hip_offset, trunk, expected):
    measured = values(pelvic_tilt=tilt, lumbar_lordosis=lordosis, hip_offset=hip_offset,
                      trunk_inclination=trunk)
    assert assess.kendall_type(assess.classify(tilt), measured) is expected


def test_reports_show_the_error_actually_used():
    from posture.render.report import provenance

    shown = provenance("full")["thresholds"]["tilt_error_sd"]
    assert shown == pytest.approx(assess.benchmark_tilt_error_sd())
