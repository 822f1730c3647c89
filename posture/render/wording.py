"""Every sentence a person reads about a result, in one place: reason texts and what to do,
the verdict line, measure names and meanings, Kendall's type names.

Used by the page, the command, the overlay, the live mirror and the reports. This module
imports nothing of ``posture`` but the lower layers' data (types, thresholds, error figures,
conventions), so the photo checks may read ``REASON_TEXT`` from it (the one exception in the
import contract, see docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from posture.types import Analysis, Decline, KendallType, MarkerProblem, Reason, TiltMethod

if TYPE_CHECKING:
    from posture.assess.compare import ComparisonRow
    from posture.assess.errors import ErrorFigures, MarkerFigures
    from posture.assess.verdict import Thresholds

# --- why a photo or frame was not measured -----------------------------------------------

REASON_TEXT: Mapping[Reason, str] = MappingProxyType(
    {
        Reason.NO_PERSON: "No person was found in the picture. Stand fully in the frame, in good light, "
        "with the camera at hip height about 2-3 m away.",
        Reason.MULTIPLE_PEOPLE: "More than one person is in the picture. Ask others to step out of the "
        "frame so only you are in view.",
        Reason.BODY_NOT_VISIBLE: "Your whole body must be visible, head to feet. Step back or move the "
        "camera so your feet show, and keep nothing in front of your legs.",
        Reason.NOT_SIDE_VIEW: "The picture does not show you from the side. Turn sideways so one shoulder "
        "points at the camera.",
        Reason.NOT_STANDING: "You do not seem to be standing upright. Stand relaxed on both feet, knees "
        "straight but not locked, arms hanging or crossed on your chest.",
    }
)
"""What the photo checks say, by reason: what is wrong and what to do. (The decoder's own
messages, with the file's size, are written by ``posture.image.decode``.)"""

TURNED_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "upside_down": "The picture is upside down: the head is below the feet. Turn the photo so "
        "the head is at the top, or take it again holding the phone upright.",
        "on_its_side": "The picture is on its side (or you are lying down): the body runs across "
        "it. Turn the photo so the head is at the top, or take it again standing, with the "
        "phone upright.",
    }
)
"""What the photo checks say when the body is found but the picture is turned (reason
``not_standing``: telling someone upside down to "stand upright" would be wrong)."""

SECOND_LOOK_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "head_cut": "If you are in the picture, your head seems cut off at the top. Step back or "
        "tilt the camera so your whole body shows, head to feet, with a little space around it.",
        "small": "If you are in the picture, you are too small in it to measure. Stand closer, so "
        "your body fills most of the picture's height, or crop the photo around you.",
    }
)
"""What a photo without a person found says when a second look (room added above, or a crop)
finds something that may be a person: never "a person was found" under "No person found"
(a cat in a crop can look like one)."""

MIRROR_UNAVAILABLE = (
    "The live mirror is not installed on this server. Use “Photo analysis” to upload or take "
    "a photo instead, or ask whoever runs this app to add the live mirror."
)
"""The live page when its browser files are missing (the command to build them goes to the
server's log, not to the person)."""

REASON_TITLES: Mapping[Reason, str] = MappingProxyType(
    {
        Reason.NOT_SIDE_VIEW: "Turn sideways",
        Reason.BODY_NOT_VISIBLE: "Step back so your feet show",
        Reason.MULTIPLE_PEOPLE: "Only one person in the picture",
        Reason.NO_PERSON: "No person found",
        Reason.NOT_STANDING: "Stand upright, with the picture the right way up",
        Reason.UNREADABLE_IMAGE: "This file is not a photo we can read",
        Reason.IMAGE_TOO_LARGE: "This photo is too large",
    }
)
"""A short heading for each reason a photo is rejected (the page); the message says what to do."""

LIVE_GUIDANCE: Mapping[str, str] = MappingProxyType(
    {
        Reason.NO_PERSON.value: "Step into the picture",
        Reason.MULTIPLE_PEOPLE.value: "Only one person in view, please",
        Reason.BODY_NOT_VISIBLE.value: "Step back so your feet show",
        Reason.NOT_SIDE_VIEW.value: "Turn sideways to the camera",
        Reason.NOT_STANDING.value: "Stand upright, on both feet",
        "moving": "Stand still",
    }
)
"""Short live instructions by code: the checks' reason codes (as for photos) plus "moving"."""
LIVE_NOT_MEASURED = "Your lower back could not be measured"
"""The live mirror's instruction when the person was accepted but the tilt not measured."""
LIVE_GOOD_POSITION = "Good position: hold it, or capture a result."
LIVE_ADVICE: Mapping[str, str] = MappingProxyType(
    {
        "not_measured": "Stand side-on with your whole body in view, in fitted clothes, arms in front.",
        "moving": "Hold still for a moment so the numbers can settle.",
    }
)
"""What to do, for the live codes that have no checks' sentence (the measure's own reason comes
first when there is one)."""

# --- Kendall's types -------------------------------------------------------------------------

KENDALL_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "ideal": "ideal",
        "lordotic": "lordotic",
        "flat_back": "flat-back",
        "sway_back": "sway-back",
    }
)
"""Kendall's posture types as written for people, one spelling everywhere."""


def kendall_name(kendall: KendallType | str) -> str:
    """ "sway-back" for ``KendallType.SWAY_BACK`` or "sway_back"."""
    key = kendall.value if isinstance(kendall, KendallType) else kendall
    return KENDALL_NAMES.get(key, key)


# --- the verdict -------------------------------------------------------------------------------


def tilt_error_sentence(figures: ErrorFigures) -> str:
    """One sentence for users on how far off a single tilt estimate can be."""
    return (
        f"Expect errors of about {figures.tilt_absolute_sd:.0f}° (one standard deviation, measured "
        "on rendered bodies; real photos are not yet validated)."
    )


def text_line(record: dict[str, Any]) -> str:
    """The command's one line per photo, from ``{"file": ..., **Analysis.to_dict()}``."""
    if record["status"] != "ok":
        return f"{record['file']}: could not measure ({record['reason']}): {record['message']}"
    tilt, lumbar = record["pelvic_tilt"], record["lumbar_lordosis"]
    tilt_text = (
        "pelvic tilt could not be measured"
        if tilt["degrees"] is None
        else f"pelvic tilt {tilt['degrees']:+.0f}° {tilt['class']} (confidence {tilt['confidence']:.0%})"
    )
    if tilt.get("method") == "markers":
        estimate = tilt.get("estimate_degrees")
        also = "" if estimate is None else f", estimate {estimate:+.0f}°"
        tilt_text += f" from markers{also}"
    lumbar_text = (
        "lumbar angle could not be measured"
        if lumbar["degrees"] is None
        else f"lumbar angle {lumbar['degrees']:.0f}°"
    )
    kendall = f", {kendall_name(record['kendall_type'])} type" if record["kendall_type"] else ""
    return f"{record['file']}: {tilt_text}, {lumbar_text}{kendall}, facing {record['facing']}"


def overlay_lines(analysis: Analysis) -> list[str]:
    """The text panel under an annotated photo (ASCII: OpenCV's font has no degree sign)."""
    if not analysis.ok:
        reason = analysis.rejection.reason.value.replace("_", " ") if analysis.rejection else ""
        return ["Could not measure: " + reason]
    a = analysis.assessment
    tilt = analysis.measure("pelvic_tilt")
    lordosis = analysis.measure("lumbar_lordosis")
    lines = []
    if a is not None and a.tilt_class is not None and a.tilt_degrees is not None:
        position = tilt_position(a.tilt_degrees)
        how = "from markers" if a.method is TiltMethod.MARKERS else f"confidence {a.confidence:.0%}"
        lines.append(f"Pelvis: {position} the typical range ({how})")
        typical = typical_tilt_text().replace("°", "").lower()
        lines.append(f"Tilt {a.tilt_degrees:+.0f} degrees; {typical} (+ = tipped forward)")
        if a.method is TiltMethod.MARKERS and a.estimate_degrees is not None:
            lines.append(f"(markerless estimate {a.estimate_degrees:+.0f} degrees)")
    elif tilt is not None:
        lines.append(f"Pelvic tilt {tilt:+.0f} degrees")
    else:
        lines.append("Pelvic tilt: could not measure")
    lines.append(
        f"Lumbar curve {lordosis:.0f} degrees" if lordosis is not None else "Lumbar curve: could not measure"
    )
    trunk = analysis.measure("trunk_inclination")
    if trunk is not None:
        lines.append(
            f"Trunk lean {trunk:+.0f}, head forward {analysis.measure('head_forward'):+.0f} (degrees)"
        )
    lines.append(
        "Screening - not a diagnosis"
        if a is not None and a.method is TiltMethod.MARKERS
        else "Estimate - not a diagnosis"
    )
    return lines


# --- measures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureGuide:
    """What a measure means to the person and the range taken as normal, in plain words;
    ``technical`` is its technical name and source, for a details section only."""

    label: str
    meaning: str
    normal: str
    technical: str = ""


def measure_guide(t: Thresholds | None = None) -> dict[str, MeasureGuide]:
    """One ``MeasureGuide`` per measure of ``CONVENTIONS``, ranges taken from ``t``
    (default ``posture.assess.DEFAULT``)."""
    from posture.assess.verdict import DEFAULT  # the one runtime import of a lower layer

    t = DEFAULT if t is None else t
    guide = {
        "pelvic_tilt": MeasureGuide(
            "Pelvic tilt",
            "How far the front of your pelvis tips down (+) or up (−).",
            f"{t.posterior_below:g}° to {t.anterior_above:g}° is called neutral here; healthy "
            "people stand at about +11 to +13° on average, range 0 to 23°.",
            "Pelvic tilt: the ASIS-PSIS line against the horizontal, anterior positive; the "
            "healthy average and range from Preece et al. 2008 (Herrington 2011 agrees).",
        ),
        "lumbar_lordosis": MeasureGuide(
            "Lumbar curve",
            "How deep the hollow of your lower back is (0 = flat).",
            f"{t.lordosis_low:g}° to {t.lordosis_high:g}° is taken as normal here.",
            "Lumbar lordosis angle: between the back outline's tangents at the inflections "
            "above and below the hollow, as two inclinometers at T12/L1 and S1 read it.",
        ),
        "sacral_inclination": MeasureGuide(
            "Slope at the base of the spine",
            "Slope of your back's outline over the flat bone at the base of your "
            "spine; the pelvic tilt estimate is made from it.",
            "No published norm for this photo measure.",
            "Sacral inclination (sacrum outline): tangent of the back outline at the lower "
            "inflection from vertical, top forward positive.",
        ),
        "trunk_inclination": MeasureGuide(
            "Trunk lean",
            "Whether your shoulders sit ahead of (+) or behind (−) your hips.",
            f"Near 0°; below {t.trunk_back:g}° (shoulders behind hips) is part of a sway-back.",
        ),
        "hip_flexion": MeasureGuide(
            "Hip bend",
            "Bend at the hip: + trunk forward over the thigh, − hips pushed forward.",
            "Near 0° in relaxed standing; no published norm for this photo measure.",
        ),
        "knee_flexion": MeasureGuide(
            "Knee bend",
            "Bend at the knee: + bent, − locked back (hyperextended).",
            "Near 0°: straight but not locked.",
        ),
        "head_forward": MeasureGuide(
            "Head forward",
            "How far your ear sits ahead of your shoulder, as an angle.",
            "Below about 40° (the same as a neck angle above 50°).",
            "Head forward angle: the shoulder-to-ear line from vertical; 90° minus the neck angle.",
        ),
        "craniovertebral_proxy": MeasureGuide(
            "Neck angle",
            "Angle of the shoulder-to-ear line above the horizontal; smaller = more forward head.",
            "Above about 50°; below 50° is called forward head.",
            "Craniovertebral angle (proxy): the shoulder stands in for the C7 vertebra.",
        ),
        "ear_offset": MeasureGuide(
            "Ear vs plumb line",
            "How far your ear is ahead of (+) or behind (−) your ankle.",
            "Close to the line: ear, shoulder and hip stack slightly in front of the ankle "
            "in Kendall's ideal standing.",
        ),
        "shoulder_offset": MeasureGuide(
            "Shoulder vs plumb line",
            "How far your shoulder is ahead of (+) or behind (−) your ankle.",
            "Close to the line (Kendall's ideal standing).",
        ),
        "hip_offset": MeasureGuide(
            "Hip vs plumb line",
            "How far your hip joint is ahead of (+) or behind (−) your ankle.",
            f"Close to the line; more than +{t.hip_forward:.0%} of your height "
            "counts as hips pushed forward.",
        ),
        "knee_offset": MeasureGuide(
            "Knee vs plumb line",
            "How far your knee is ahead of (+) or behind (−) your ankle.",
            "Slightly in front of the line (Kendall's ideal standing).",
        ),
    }
    from posture.measure.conventions import CONVENTIONS

    return {name: guide[name] for name in CONVENTIONS}


MEASURE_GUIDE: dict[str, MeasureGuide] = measure_guide()

_UNSIGNED = {"lumbar_lordosis", "craniovertebral_proxy"}


def format_value(name: str, value: float | None) -> str:
    """A measure as people read it: "+12.3°", "48.0°", "+3.1% of height" or "not measured"."""
    if value is None:
        return "not measured"
    from posture.measure.conventions import CONVENTIONS

    unit = CONVENTIONS[name][0]
    if unit == "deg":
        return f"{value:.1f}°" if name in _UNSIGNED else f"{value:+.1f}°"
    return f"{value * 100:+.1f}% of height"


def format_difference(row: ComparisonRow) -> str:
    if row.difference is None:
        return "—"
    if row.unit == "deg":
        return f"{row.difference:+.1f}°"
    return f"{row.difference * 100:+.1f}% of height"


CHANGE_ERROR_TEXT = (
    "Two kinds of error: one photo's number can be off by the figure given on the Photo page "
    "(how far a single estimate lies from the truth); a change between two photos is compared "
    "with the limit in the Error column here (how far two photos of the same unchanged stance "
    "can differ). A change is called real only when it is larger than that limit."
)
"""The one plain explanation of the two kinds of error (Compare page)."""


def format_error(row: ComparisonRow) -> str:
    """ "±23.6°" or "±2% of height", marked "(not yet measured)" when the limit is provisional
    (no internal source names: those are in the exports' error_source)."""
    unsure = " (not yet measured)" if "provisional" in row.error.basis else ""
    if row.unit == "deg":
        return f"±{row.error.value:g}°{unsure}"
    return f"±{row.error.value * 100:g}% of height{unsure}"


NOT_COMPARED_TITLE = "Not compared (no measured limit)"
NOT_COMPARED_TEXT = (
    "For these measures no change limit has been measured on bodies the analyzer never saw, so "
    "a change in them is neither called real nor within error. Their values are shown only."
)
"""The Compare page's list of measures shown without a verdict (issue 20)."""
NOT_COMPARED_VERDICT = "not compared (no measured limit)"
"""A trend's verdict where the measure's change limit was never measured (Clients page)."""


def clients_intro(*, on_server: bool) -> str:
    """The Clients page's first line, for a records file (``on_server`` False) or the clinic's
    PostgreSQL database: no file path or address (those are in the workspace settings)."""
    where = (
        "in your clinic's records database; the photos go nowhere else"
        if on_server
        else "in one file on this computer; nothing is sent anywhere"
    )
    return f"Each client's sessions, kept {where}. Save a session from the Photo analysis page."


def not_compared_line(row: ComparisonRow, labels: tuple[str, str]) -> str:
    """ "Sacrum outline: 12.0° (Before), 27.0° (After)" for the not-compared list."""
    first, second = (format_value(row.name, v) for v in (row.first, row.second))
    return f"{MEASURE_GUIDE[row.name].label}: {first} ({labels[0]}), {second} ({labels[1]})"


DIFFERENT_PEOPLE_WARNING = (
    "These two photos look like two different people: the body proportions (hip height and "
    "trunk length against the body height) differ more than between photos of one person. If you meant to compare "
    "two clients, carry on; otherwise check that you chose the right photos."
)
"""Shown above a comparison when ``posture.assess.proportions`` says so; it informs only."""


def tilt_position(degrees: float, t: Thresholds | None = None) -> str:
    """ "below", "within" or "above" the typical range ``t.posterior_below`` to
    ``t.anterior_above`` (degrees, anterior positive; default ``posture.assess.DEFAULT``)."""
    from posture.assess.verdict import DEFAULT

    t = DEFAULT if t is None else t
    if degrees > t.anterior_above:
        return "above"
    if degrees < t.posterior_below:
        return "below"
    return "within"


def tilt_headline(degrees: float, t: Thresholds | None = None) -> str:
    """Where the pelvis stands against the typical range and which way from it, in the
    client's words: "Pelvis tipped less far forward than typical (below the typical range)"."""
    position = tilt_position(degrees, t)
    if position == "above":
        return "Pelvis tipped further forward than typical (above the typical range)"
    if position == "within":
        return "Pelvis within the typical range"
    if degrees < 0:
        return "Pelvis tipped back, tucked under (below the typical range)"
    return "Pelvis tipped less far forward than typical (below the typical range)"


def tilt_direction(degrees: float) -> str:
    """ "front 3° lower than the back (tipped forward)" for +3; "level" near 0."""
    if round(degrees) == 0:
        return "front and back at the same height (level)"
    if degrees > 0:
        return f"front {degrees:.0f}° lower than the back (tipped forward)"
    return f"front {-degrees:.0f}° higher than the back (tipped back)"


def typical_tilt_text(t: Thresholds | None = None) -> str:
    """ "Typical: +4° to +18°" with the thresholds ``t``."""
    from posture.assess.verdict import DEFAULT

    t = DEFAULT if t is None else t
    return f"Typical: {t.posterior_below:+g}° to {t.anterior_above:+g}°"


def verdict_text(analysis: Analysis) -> str:
    """ "Pelvis tipped less far forward than typical (below the typical range; confidence
    63%)", "…(below the typical range), from skin markers (confidence 63%)" or why there is no
    verdict. The number and its convention are
    in ``tilt_number_text``."""
    a = analysis.assessment
    if not analysis.ok:
        return "Not measured: " + (analysis.rejection.message if analysis.rejection else "")
    if a is None or a.tilt_class is None or a.tilt_degrees is None:
        return "Pelvic tilt: could not be estimated."
    headline = tilt_headline(a.tilt_degrees)
    if a.method is TiltMethod.MARKERS:
        return f"{headline}, from skin markers (confidence {a.confidence:.0%})"
    if headline.endswith(")"):  # one bracket: "(below the typical range; confidence 63%)"
        return f"{headline[:-1]}; confidence {a.confidence:.0%})"
    return f"{headline} (confidence {a.confidence:.0%})"


def tilt_number_text(analysis: Analysis, t: Thresholds | None = None) -> str | None:
    """The number behind the verdict with its convention and the typical range (for a
    details section); None without a tilt."""
    from posture.assess.verdict import DEFAULT

    a = analysis.assessment
    if a is None or a.tilt_degrees is None or a.tilt_class is None:
        return None
    t = DEFAULT if t is None else t
    return (
        f"Your pelvic tilt: {a.tilt_degrees:+.0f}°, the {tilt_direction(a.tilt_degrees)}. "
        f"{typical_tilt_text(t)} (most people stand tipped slightly forward: on average "
        "+11° to +13°, range 0° to +23°). How it is read: the angle of the line from the bony "
        "point at the front of the pelvis (ASIS) to the one at the back (PSIS) against the "
        "horizontal, + when the front is lower. Clinical name of this result: "
        f"{a.tilt_class.value} pelvic tilt (below the range is called posterior, above it anterior)."
    )


def tilt_range_alt(analysis: Analysis, t: Thresholds | None = None) -> str | None:
    """What the picture of the range shows, in words (its alt text); None without a tilt."""
    a = analysis.assessment
    if a is None or a.tilt_degrees is None or a.tilt_class is None:
        return None
    return (
        f"Scale of pelvic tilt from tipped back to tipped forward: the typical range "
        f"{typical_tilt_text(t)[len('Typical: ') :]} shaded, your mark at "
        f"{a.tilt_degrees:+.0f}°, {tilt_position(a.tilt_degrees, t)} it"
    )


def routine_reason(analysis: Analysis, routine: Any) -> str | None:
    """Why this routine, in terms of everything the page shows: the pelvis against its typical
    range, the lumbar curve against its own, and Kendall's type when there is one. None without
    a tilt. ``routine`` is a ``posture.routines.Routine``."""
    from posture.assess.verdict import DEFAULT

    a = analysis.assessment
    if a is None or a.tilt_degrees is None or a.tilt_class is None:
        return None
    if routine.retake_advice:
        return None  # the retake advice says why (the measurement is uncertain)
    pelvis = tilt_headline(a.tilt_degrees).replace("Pelvis ", "your pelvis is ", 1)
    pelvis = re.sub(r" \((below|above) the typical range\)", "", pelvis)
    lordosis = analysis.measure("lumbar_lordosis")
    if lordosis is None:
        curve = "Your lower-back curve was not measured."
    else:
        low, high = DEFAULT.lordosis_low, DEFAULT.lordosis_high
        where = "flatter than" if lordosis < low else "deeper than" if lordosis > high else "within"
        curve = f"Your lower-back curve, {lordosis:.0f}°, is {where} the typical {low:g}° to {high:g}°"
        if a.tilt_class.value == "posterior" and where == "within":
            curve += ": your lower back is not flat"
        curve += "."
    kind = f" Posture type: {kendall_name(a.kendall)}." if a.kendall is not None else ""
    basis = "Chosen because " + pelvis + "." if routine.id != "neutral" or not routine.note else ""
    return " ".join(part for part in (basis, curve + kind) if part)


def overlay_key(analysis: Analysis) -> str:
    """What the colours on the annotated photo mean (page caption and reports)."""
    pelvis = (
        "Green: the two skin stickers and the line the tilt is measured on."
        if analysis.markers is not None and analysis.markers.found
        else "Green bar: pelvis at the estimated tilt."
    )
    return f"Blue: skeleton. Yellow dashes: plumb line through the ankle. Pink: lower-back outline. {pelvis}"


def markers_text(analysis: Analysis, figures: MarkerFigures) -> str | None:
    """What the sticker search gave, for the page and the report: the marker tilt with its
    error and the estimate beside it, or why the stickers gave no tilt (None when the photo
    was not searched, or no sticker at all was seen)."""
    reading, a = analysis.markers, analysis.assessment
    if reading is None or a is None:
        return None
    if not reading.found:
        return None if reading.problem is MarkerProblem.NONE_FOUND else reading.message
    provisional = " (a provisional figure, not yet measured by this project)" if figures.provisional else ""
    roll = reading.roll
    if roll is not None and roll.degrees is not None:
        level = (
            f" The camera was {abs(roll.degrees):.1f}° off level (± {roll.uncertainty_degrees:.1f}°, "
            f"read from {roll.lines} vertical lines in the room); the tilt is corrected for it."
        )
    else:
        level = " No vertical line was found to check the camera's level: the tilt assumes a level camera."
    estimate = (
        ""
        if a.estimate_degrees is None
        else f" The markerless estimate for the same photo is {a.estimate_degrees:+.0f}°."
    )
    return (
        f"Measured from the two skin stickers: {a.tilt_degrees:+.1f}°, within about "
        f"± {figures.tilt_sd_bony:.1f}° of the bony line{provisional}.{level}{estimate}"
    )


def kendall_text(analysis: Analysis) -> str | None:
    a = analysis.assessment
    if a is None or a.kendall is None:
        return None
    return "Posture type (Kendall): " + kendall_name(a.kendall)


def method_note(figures: ErrorFigures) -> str:
    """What the numbers are and how far off they can be, for the report."""
    return (
        "Estimates from one side-view photo: body points found by a pose model and the person's outline. "
        "There are no pelvis or spine landmarks, so pelvic tilt and the lumbar curve come from "
        f"the back outline. {tilt_error_sentence(figures)} Coaching, not a diagnosis."
    )


# --- why a measure was not made (the analyzer's words; posture.analyze puts them in) ------

DECLINE_TEXT: Mapping[Decline, str] = MappingProxyType(
    {
        Decline.OUT_OF_RANGE: "the outline does not look like a standing body seen from the "
        "side (a bag, a chair, another person or a very loose garment?)",
        Decline.IMPLAUSIBLE: "the outline gave an implausible shape: stand in front of a plain "
        "background with your whole side in view",
    }
)
"""Why the estimator declined an outline it could read (``posture.measure.estimator``): the
reason of the pelvic tilt, lumbar angle and sacral inclination."""


def measure_reason(reason: Decline | str) -> str:
    """The words for why a measure was not made: ``DECLINE_TEXT`` for a decline code, any other
    reason (already a sentence) as it is."""
    return DECLINE_TEXT[reason] if isinstance(reason, Decline) else reason


def not_measured_text(reason: Reason) -> str:
    """ "photo not measured: no_person": the reason of every measure of a rejected photo."""
    return f"photo not measured: {reason.value}"


# --- PDF font (posture.render.pdf_writer) ------------------------------------------------

FONT_MISSING = (
    "The PDF cannot be made: its font, DejaVu Sans, ships with matplotlib and was not found. "
    "Reinstall posture with its dependencies (pip install --force-reinstall matplotlib)."
)


# --- the photo page's details and reload warning ------------------------------------------

RELOAD_NOTE = (
    "Reloading or closing this page clears this result, your safety answers and the blur "
    "choice: nothing is kept on the server. Download the report to keep it."
)
"""Said under a result on the photo page (the browser also asks before a reload)."""

TECHNICAL_DETAILS = "Technical details"
"""The details section that holds names and sources meant for developers and clinicians."""


def routine_pointer(routine: Any) -> str:
    """ "Your routine: Routine to …, about 12 minutes (further down)." for the verdict column."""
    return f"**Your routine:** {routine.title}, about {routine.total_minutes} minutes (further down)."


def technical_line(analysis: Analysis, model_label: str) -> str:
    """How the result was made, for ``TECHNICAL_DETAILS``: the pose model (``model_label``,
    e.g. "MediaPipe Pose (full model)"), its file and the version."""
    return f"Pose model: {model_label}, file `{analysis.model}`; posture version {analysis.version}."


def technical_rows() -> list[dict[str, str]]:
    """One row per measure: the plain name, its technical name with source, and its code (the
    JSON key and the history CSV column); the unit and sign are in docs/DATA.md."""
    return [
        {
            "Measure": guide.label,
            "Technical name and source": guide.technical or guide.label,
            "Code": name,
        }
        for name, guide in MEASURE_GUIDE.items()
    ]


def technical_notes() -> list[str]:
    """ "Neck angle: Craniovertebral angle (proxy) …" for every measure with a technical name
    (the reports' technical details)."""
    return [f"{guide.label}: {guide.technical}" for guide in MEASURE_GUIDE.values() if guide.technical]


HISTORY_HEADINGS: Mapping[str, str] = MappingProxyType(
    {
        "date": "Date and time (with UTC offset)",
        "tilt_class": "Pelvic tilt, clinical class",
        "confidence": "Confidence (0 to 1)",
        "kendall_type": "Posture type (Kendall)",
        "routine": "Routine",
        "tilt_method": "Pelvic tilt taken from (markers or estimate)",
        "tilt_markers": "Pelvic tilt from skin stickers (degrees)",
        "tilt_estimate": "Pelvic tilt, markerless estimate (degrees)",
        "notes": "Notes",
        "model": "Pose model file",
        "version": "Version",
    }
)
"""Readable headings of the history CSV a trainer downloads, by column code (docs/DATA.md)."""


def history_heading(code: str) -> str:
    """The readable heading of a history CSV column: "Pelvic tilt (degrees)" for
    ``pelvic_tilt``, "Pelvic tilt: corrected by hand (1 = yes)" for ``pelvic_tilt_corrected``;
    a code without a plain name is kept as it is."""
    if code in HISTORY_HEADINGS:
        return HISTORY_HEADINGS[code]
    from posture.measure.conventions import CONVENTIONS

    name = code.removesuffix("_corrected")
    if name not in MEASURE_GUIDE:
        return code
    if name != code:
        return f"{MEASURE_GUIDE[name].label}: corrected by hand (1 = yes)"
    unit = "degrees" if CONVENTIONS[name][0] == "deg" else "fraction of height"
    return f"{MEASURE_GUIDE[name].label} ({unit})"
