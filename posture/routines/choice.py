"""The choice of routine for an assessment (the catalogue is in ``posture.routines.catalogue``).

``choose_routine`` loads the default catalogue when none is passed.

How a routine is chosen (``choose_routine``)
--------------------------------------------
* Confidence below ``LOW_CONFIDENCE`` (0.5): the neutral routine, whatever the measure
  said, plus advice to retake the photo. The neutral routine pushes the pelvis neither
  way, so it does no harm if the estimate was wrong.
* Otherwise the tilt class picks the direction, and Kendall's type refines it within
  that direction (see ``_CHOICE``): a sway-back (posterior tilt with the hips pushed
  forward and the upper body leaning back) gets its own routine without back-extension
  work, while a flat-back gets the posterior routine that strengthens the back
  extensors. The reasoning is written out in each routine's ``rationale`` in the data.
* When the tilt class and Kendall's type point in opposite directions (say anterior tilt
  with a flat back), the measures disagree, so the neutral routine is given with a note.
  The same holds when a ``lumbar_degrees`` and its typical ``lumbar_range`` are passed and
  the curve points the other way from the tilt (a pelvis tipped back with a deep curve, or
  tipped forward with a flat one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from posture.routines.catalogue import KENDALL_TYPES, TILT_CLASSES, Catalogue, Routine, load_catalogue
from posture.types import Assessment, KendallType, TiltClass

LOW_CONFIDENCE = 0.5
"""Below this assessment confidence (0..1) the neutral routine is given with retake advice
(set by hand: below it the wrong class is about as likely as the right one)."""

_DISAGREE = (
    "Your pelvic tilt and your overall posture type point in opposite directions, "
    "so you get the balanced routine rather than a correction either way."
)
_DISAGREE_CURVE = (
    "Your pelvic tilt and your lower-back curve point in opposite directions, "
    "so you get the balanced routine rather than a correction either way."
)
_NEUTRAL_WITH_TYPE = (
    "Your pelvis measured neutral, but your overall posture looks like a {kind}. "
    "The balanced routine works in every direction; retake the photo to check."
)

# (tilt class, Kendall type) -> (routine id, note for the person or None).
# Kendall's types carry a direction: lordotic = anterior tilt, flat-back and sway-back =
# posterior tilt, ideal = none. A type is used only when it agrees with the tilt class.
_CHOICE: Mapping[tuple[str, str | None], tuple[str, str | None]] = MappingProxyType(
    {
        ("anterior", None): ("anterior", None),
        ("anterior", "ideal"): ("anterior", None),
        ("anterior", "lordotic"): ("anterior", None),
        ("anterior", "flat_back"): ("neutral", _DISAGREE),
        ("anterior", "sway_back"): ("neutral", _DISAGREE),
        ("neutral", None): ("neutral", None),
        ("neutral", "ideal"): ("neutral", None),
        ("neutral", "lordotic"): ("neutral", _NEUTRAL_WITH_TYPE.format(kind="lordotic posture")),
        ("neutral", "flat_back"): ("neutral", _NEUTRAL_WITH_TYPE.format(kind="flat back")),
        ("neutral", "sway_back"): ("neutral", _NEUTRAL_WITH_TYPE.format(kind="sway-back")),
        ("posterior", None): ("posterior", None),
        ("posterior", "ideal"): ("posterior", None),
        ("posterior", "flat_back"): ("posterior", None),
        # Sway-back: hips forward of the plumb line, upper trunk behind it. Its lower back is
        # not flat but hinged, so more back extension would deepen the hinge; see the data.
        ("posterior", "sway_back"): ("sway_back", None),
        ("posterior", "lordotic"): ("neutral", _DISAGREE),
    }
)


def choose_routine(
    tilt_class: TiltClass,
    *,
    confidence: float,
    kendall_type: KendallType | None = None,
    lumbar_degrees: float | None = None,
    lumbar_range: tuple[float, float] | None = None,
    catalogue: Catalogue | None = None,
) -> Routine:
    """Pick the routine for an assessment.

    Parameters
    ----------
    tilt_class : a ``TiltClass`` (its value, "anterior", "neutral" or "posterior", is read as
        that class).
    confidence : the assessment's confidence, 0..1. Below ``LOW_CONFIDENCE`` the neutral
        routine is returned with ``retake_advice`` set.
    kendall_type : None or a ``KendallType`` (or its value: "ideal", "lordotic", "flat_back",
        "sway_back").
    lumbar_degrees, lumbar_range : the lumbar curve (degrees) and its typical (low, high);
        with both, a curve against the tilt's direction gives the neutral routine with a note.
    catalogue : a loaded catalogue; loaded from the default file when None.

    Raises
    ------
    ValueError : an unknown tilt class or Kendall type, or a confidence outside 0..1.
    """
    if tilt_class not in TILT_CLASSES:
        raise ValueError(f"tilt_class must be one of {', '.join(TILT_CLASSES)}; got {tilt_class!r}")
    if kendall_type not in KENDALL_TYPES:
        known = ", ".join(str(k) for k in KENDALL_TYPES)
        raise ValueError(f"kendall_type must be one of {known}; got {kendall_type!r}")
    tilt = TiltClass(tilt_class).value
    kendall = None if kendall_type is None else KendallType(kendall_type).value
    if not (isinstance(confidence, (int, float)) and 0.0 <= confidence <= 1.0):
        raise ValueError(f"confidence must be a number from 0 to 1; got {confidence!r}")
    catalogue = catalogue if catalogue is not None else load_catalogue()
    routine_id, note = _CHOICE[(tilt, kendall)]
    if lumbar_degrees is not None and lumbar_range is not None and routine_id != "neutral":
        low, high = lumbar_range
        if (tilt == "posterior" and lumbar_degrees > high) or (tilt == "anterior" and lumbar_degrees < low):
            routine_id, note = "neutral", _DISAGREE_CURVE
    retake = None
    if confidence < LOW_CONFIDENCE:
        routine_id, note = "neutral", None
        retake = (
            f"The measurement is uncertain (confidence {confidence:.0%}), so you get the "
            "balanced routine, which is safe whichever way your pelvis tilts. Retake the photo: "
            "stand side-on to the camera with your whole body in the frame, wear fitted "
            "clothes, and put the camera at hip height."
        )
    template = catalogue.routines[routine_id]
    return replace(
        template,
        tilt_class=tilt,
        kendall_type=kendall,
        confidence=float(confidence),
        note=note,
        retake_advice=retake,
    )


def routine_for_assessment(assessment: Assessment, *, catalogue: Catalogue | None = None) -> Routine:
    """The routine for a ``posture.types.Assessment``.

    An assessment without a tilt class (the tilt could not be estimated) gets the neutral
    routine with retake advice, as a confidence of 0 would.
    """
    if assessment.tilt_class is None:
        return choose_routine("neutral", confidence=0.0, catalogue=catalogue)
    return choose_routine(
        assessment.tilt_class,
        confidence=min(1.0, max(0.0, float(assessment.confidence))),
        kendall_type=assessment.kendall,
        catalogue=catalogue,
    )
