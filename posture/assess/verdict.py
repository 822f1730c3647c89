"""From measures to a verdict: tilt class with a confidence, and Kendall's posture type.

All thresholds are in the tables below, each with where it comes from (RESEARCH.md figures)
or marked "set by hand". The error SD that turns a distance from a threshold into a
probability comes from the error figures (``posture.assess.errors``), passed in explicitly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from posture.assess.errors import ErrorFigures, MarkerFigures
from posture.types import Assessment, KendallType, MarkerReading, Measure, TiltClass, TiltMethod


@dataclass(frozen=True)
class Thresholds:
    """Degrees unless stated. Healthy adults stand in mild anterior tilt, mean about 11-13°
    (Preece 2008, Herrington 2011), range 0-23° from pelvic shape alone."""

    anterior_above: float = 18.0
    """Tilt above this is called anterior: beyond the upper part of the healthy spread."""
    posterior_below: float = 4.0
    """Tilt below this is called posterior: towards a level or tucked-under pelvis."""
    tilt_error_sd: float | None = None
    """SD (degrees) of the error of one absolute tilt estimate, used to turn the distance from a
    threshold into a class probability. None = not yet given: ``resolved(t, figures)`` fills in
    the error figures' ``class_sd`` (else ``tilt_absolute_sd``); a verdict needs it set."""
    lordosis_high: float = 60.0
    """Lumbar angle above this counts as increased lordosis (lordotic): about 1 SD above the
    radiographic mean of 49.8 ± 11.2° (RESEARCH.md), rounded; set by hand."""
    lordosis_low: float = 25.0
    """Below this counts as a flattened lumbar curve (flat-back): about 2 SD below the
    radiographic mean (RESEARCH.md), rounded; set by hand."""
    hip_forward: float = 0.03
    """Hip joint ahead of the ankle vertical by more than this fraction of height: hips forward
    (about 5 cm at 1.75 m; set by hand, no published cut-off)."""
    trunk_back: float = -3.0
    """Trunk inclination below this (shoulders behind hips) marks the sway-back upper body
    (set by hand, no published cut-off)."""
    min_view_score_full_confidence: float = 0.6
    """Side-view scores below this reduce confidence in proportion (set by hand)."""


DEFAULT = Thresholds()


def classify(tilt: float, t: Thresholds = DEFAULT) -> TiltClass:
    if tilt > t.anterior_above:
        return TiltClass.ANTERIOR
    if tilt < t.posterior_below:
        return TiltClass.POSTERIOR
    return TiltClass.NEUTRAL


LANDMARK_QUALITY_SURE = 0.8
"""Below this landmark quality the verdict says joints were hard to see (set by hand)."""


def resolved(t: Thresholds, figures: ErrorFigures) -> Thresholds:
    """``t`` with the figures' class-probability SD (the absolute tilt error SD for figures
    without one) filled in where ``t`` leaves it open."""
    if t.tilt_error_sd is not None:
        return t
    sd = figures.class_sd if figures.class_sd is not None else figures.tilt_absolute_sd
    return replace(t, tilt_error_sd=float(sd))


def class_probability(tilt: float, t: Thresholds = DEFAULT) -> float:
    """Probability that the true tilt lies in the class of ``tilt``, for a normal error of
    standard deviation ``t.tilt_error_sd`` around the estimate (see ``resolved``)."""
    sd = t.tilt_error_sd
    if sd is None:
        raise ValueError("Thresholds.tilt_error_sd is not set: use resolved(thresholds, figures)")

    def below(x: float) -> float:
        return 0.5 * (1.0 + math.erf((x - tilt) / (sd * math.sqrt(2.0))))

    cls = classify(tilt, t)
    if cls is TiltClass.ANTERIOR:
        return 1.0 - below(t.anterior_above)
    if cls is TiltClass.POSTERIOR:
        return below(t.posterior_below)
    return below(t.anterior_above) - below(t.posterior_below)


def kendall_type(
    tilt_class: TiltClass, measures: dict[str, Measure], t: Thresholds = DEFAULT
) -> KendallType | None:
    """Kendall's type where the measures support one, else None.

    lordotic: anterior tilt with an increased lumbar curve; flat-back: posterior tilt with a
    flattened curve; sway-back: posterior or neutral tilt with the hips ahead of the ankle
    vertical and the upper trunk behind the hips; ideal: neutral tilt, normal curve, hips
    over the ankles.
    """
    lordosis = measures.get("lumbar_lordosis")
    hip_offset = measures.get("hip_offset")
    trunk = measures.get("trunk_inclination")
    if lordosis is None or lordosis.value is None or hip_offset is None or trunk is None:
        return None
    hips_forward = hip_offset.value > t.hip_forward
    if tilt_class is not TiltClass.ANTERIOR and hips_forward and trunk.value < t.trunk_back:
        return KendallType.SWAY_BACK
    if tilt_class is TiltClass.ANTERIOR and lordosis.value > t.lordosis_high:
        return KendallType.LORDOTIC
    if tilt_class is TiltClass.POSTERIOR and lordosis.value < t.lordosis_low:
        return KendallType.FLAT_BACK
    if (
        tilt_class is TiltClass.NEUTRAL
        and t.lordosis_low <= lordosis.value <= t.lordosis_high
        and not hips_forward
    ):
        return KendallType.IDEAL
    return None


def assess(
    measures: dict[str, Measure],
    *,
    landmark_quality: float,
    side_view_score: float,
    figures: ErrorFigures,
    t: Thresholds = DEFAULT,
) -> Assessment:
    """The tilt verdict.

    ``landmark_quality`` is 0..1 (lowest visibility of the joints used); ``side_view_score``
    is 0..1 (1 = pure side view); both only add notes. Confidence = the probability that the
    true tilt lies in the class reported, for the error spread of the figures (``resolved``):
    it drops near a threshold and is calibrated on held-out bodies.
    """
    tilt = measures.get("pelvic_tilt")
    if tilt is None or tilt.value is None:
        reason = tilt.reason if tilt else "not measured"
        return Assessment(None, None, 0.0, None, notes=(f"Pelvic tilt could not be estimated: {reason}.",))
    t = resolved(t, figures)
    cls = classify(tilt.value, t)
    view_factor = min(1.0, side_view_score / t.min_view_score_full_confidence)
    # The class probability alone: it is calibrated on held-out bodies whose views and
    # landmarks vary as real photos do (benchmarks/results/estimator.md, reliability table);
    # multiplying it by landmark or view factors would make a stated 80% mean less than 80%.
    confidence = class_probability(tilt.value, t)
    notes = []
    if view_factor < 1.0:
        notes.append("The view is slightly turned; stand exactly side-on for a surer result.")
    if landmark_quality < LANDMARK_QUALITY_SURE:
        notes.append("Some joints were hard to see; fitted clothes and good light help.")
    return Assessment(
        tilt_degrees=tilt.value,
        tilt_class=cls,
        confidence=float(confidence),
        kendall=kendall_type(cls, measures, t),
        notes=tuple(notes),
        estimate_degrees=tilt.value,
    )


def with_markers(
    assessment: Assessment,
    reading: MarkerReading,
    measures: dict[str, Measure],
    *,
    marker_figures: MarkerFigures,
    t: Thresholds = DEFAULT,
) -> Assessment:
    """The verdict with the tilt from the stickers when they gave one, else the estimate's.

    Either way ``estimate_degrees`` holds the markerless estimate (None when it could not be
    made). With markers the class and its confidence rest on the marker error against the
    bony landmarks (``marker_figures.tilt_sd_bony``): the same thresholds, a narrower spread.
    """
    estimate = assessment.tilt_degrees
    if not reading.found:
        return replace(assessment, method=TiltMethod.ESTIMATE, estimate_degrees=estimate)
    tilt = float(reading.tilt_degrees)
    sure = replace(t, tilt_error_sd=float(marker_figures.tilt_sd_bony))
    cls = classify(tilt, sure)
    notes = tuple(note for note in assessment.notes if not note.startswith("Pelvic tilt could not"))
    if reading.roll is None or reading.roll.degrees is None:
        notes += (
            "No vertical line (door frame, wall corner) was found to check the camera's level: "
            "the tilt from the stickers assumes a level camera.",
        )
    return Assessment(
        tilt_degrees=tilt,
        tilt_class=cls,
        confidence=float(class_probability(tilt, sure)),
        kendall=kendall_type(cls, measures, t),
        notes=notes,
        method=TiltMethod.MARKERS,
        estimate_degrees=estimate,
    )
