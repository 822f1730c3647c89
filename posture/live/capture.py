"""Capture: several steady live frames analysed like photos, combined by the median.

The browser sends the steadiest recent frames (``posture.live.mirror.MirrorSession.steadiest_timestamps``
names them); the page analyses each with the full model and combines them here."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from posture import assess
from posture.analyze import landmark_quality
from posture.assess import errors
from posture.assess.errors import ErrorFigures
from posture.types import Analysis, Measure


@dataclass(frozen=True)
class CaptureResult:
    """The combined photo analysis of a capture.

    ``analysis`` is a photo ``Analysis`` (full model) whose measures are the medians over the
    ``frames_used`` frames that could be measured; the image, landmarks and outline are those
    of the frame whose tilt is nearest the median. ``spread`` gives, per measure, half the
    range of the per-frame values (degrees or fraction, as the measure) — how much the frames
    disagreed. ``frames_tried`` frames were analysed.
    """

    analysis: Analysis
    frames_tried: int
    frames_used: int
    spread: dict[str, float]
    per_frame_tilt: tuple[float | None, ...]


def combine(analyses: list[Analysis], figures: ErrorFigures | None = None) -> CaptureResult:
    """One result from several analyses of the same stance.

    Each measure is the median over the analyses that measured it, kept when at least half
    of the accepted analyses did (else the first one's reason). The median of a few frames
    averages out the frame-to-frame error of the estimate and ignores a single bad frame;
    it cannot remove an error every frame shares. The verdict is recomputed from the combined
    measures (with ``figures``, by default the shipped ones). When no analysis was accepted,
    the first one (a rejection) is returned.
    """
    if not analyses:
        raise ValueError("combine needs at least one analysis")
    accepted = [a for a in analyses if a.ok]
    tilts = tuple(a.measure("pelvic_tilt") for a in analyses)
    if not accepted:
        return CaptureResult(analyses[0], len(analyses), 0, {}, tilts)
    values: dict[str, Measure] = {}
    spread: dict[str, float] = {}
    for name, first in accepted[0].measures.items():
        found = [a.measure(name) for a in accepted if a.measure(name) is not None]
        if found and len(found) * 2 >= len(accepted):
            values[name] = Measure(name, float(np.median(found)), first.unit)
            spread[name] = float((max(found) - min(found)) / 2.0)
        else:
            reason = next((a.measures[name].reason for a in accepted if a.measures[name].reason), None)
            values[name] = Measure(name, None, first.unit, reason or "not measured in most frames")
    median_tilt = values["pelvic_tilt"].value if "pelvic_tilt" in values else None
    base = accepted[0]
    if median_tilt is not None:
        base = min(
            (a for a in accepted if a.measure("pelvic_tilt") is not None),
            key=lambda a: abs(a.measure("pelvic_tilt") - median_tilt),
        )
    quality = float(np.median([landmark_quality(a.landmarks) for a in accepted]))
    view = float(np.median([a.side_view_score for a in accepted]))
    figures = errors.shipped() if figures is None else figures
    verdict = assess.assess(values, landmark_quality=quality, side_view_score=view, figures=figures)
    note = f"Combined from {len(accepted)} camera frames (median of each measure)."
    marked = [a for a in accepted if a.markers is not None and a.markers.found]
    reading = None
    if marked and len(marked) * 2 >= len(accepted):
        # Most frames show both stickers: the tilt is their median marker tilt, and the picture
        # the frame nearest it (its stickers are the ones circled).
        median_marker = float(np.median([a.markers.tilt_degrees for a in marked]))
        base = min(marked, key=lambda a: abs(a.markers.tilt_degrees - median_marker))
        reading = replace(base.markers, tilt_degrees=median_marker)
        verdict = assess.with_markers(verdict, reading, values, marker_figures=errors.MarkerFigures.load())
        note += f" The tilt from the skin stickers is the median of {len(marked)} frames."
    elif marked:
        note += f" The stickers were seen in only {len(marked)} of {len(accepted)} frames: not used."
    verdict = replace(verdict, notes=(*verdict.notes, note))
    timings = {k: sum(a.timings_ms.get(k, 0.0) for a in analyses) for k in base.timings_ms}
    combined = replace(
        base, measures=values, assessment=verdict, side_view_score=view, timings_ms=timings, markers=reading
    )
    return CaptureResult(combined, len(analyses), len(accepted), spread, tilts)
