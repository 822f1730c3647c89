"""Between an ``Analysis`` and the records: a ``Draft`` to save, and a saved ``Session`` back
as an ``Analysis`` (for the comparison views and reports). Pure functions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np

from posture.records import dates, silhouette
from posture.records.entries import Draft, Session, landmarks_from_json, landmarks_json
from posture.types import Analysis, Assessment, Facing, KendallType, Measure, Status, TiltClass, TiltMethod


def draft(
    analysis: Analysis,
    *,
    taken: datetime | None = None,
    routine: Any = None,
    originals: dict[str, float | None] | None = None,
    notes: str = "",
    source: str = "photo",
    photo_name: str = "",
    photo: bytes | None = None,
) -> Draft:
    """What would be saved for an accepted analysis.

    ``taken`` defaults to now (local time with offset). ``routine`` is a
    ``posture.routines.Routine`` (its id, title and exercise names are kept). ``originals``
    maps the measures recomputed from hand-moved landmarks to the analyzer's values: those
    are marked corrected. ``photo`` is JPEG bytes, kept only for clients who consented.
    The silhouette is made here from the analysis's mask.

    The tilt's method and both values are kept (degrees, anterior positive): ``tilt_method``
    is ``assessment.method``; ``tilt_estimate`` the markerless estimate
    (``assessment.estimate_degrees``, or ``tilt_degrees`` itself when the estimate is the
    reported tilt and no separate one was recorded); ``tilt_markers`` the marker tilt when
    the stickers gave the reported tilt, else None.
    """
    if not analysis.ok:
        raise ValueError("only a measured photo can be saved to a client")
    originals = dict(originals or {})
    a = analysis.assessment
    return Draft(
        taken=dates.iso(taken or dates.now_local()),
        model=analysis.model,
        version=analysis.version,
        image_size=tuple(analysis.image_size),
        measures={name: m.value for name, m in analysis.measures.items()},
        units={name: m.unit for name, m in analysis.measures.items()},
        reasons={name: m.reason for name, m in analysis.measures.items() if m.reason},
        corrected=frozenset(originals),
        originals=originals,
        tilt_class=a.tilt_class.value if a and a.tilt_class else None,
        tilt_degrees=a.tilt_degrees if a else None,
        confidence=a.confidence if a else None,
        kendall=a.kendall.value if a and a.kendall else None,
        facing=analysis.facing.value if analysis.facing else None,
        landmarks=landmarks_json(analysis.landmarks) if analysis.landmarks is not None else None,
        routine_id=getattr(routine, "id", None),
        routine_title=getattr(routine, "title", None),
        exercises=tuple(item.exercise.name for item in getattr(routine, "items", ())),
        notes=notes,
        source=source,
        photo_name=photo_name,
        photo=photo,
        silhouette=silhouette.silhouette_png(analysis.mask),
        **_tilt_fields(a),
    )


def _tilt_fields(a: Assessment | None) -> dict[str, Any]:
    """``tilt_method``, ``tilt_estimate`` and ``tilt_markers`` of a draft (see ``draft``)."""
    if a is None:
        return {"tilt_method": None, "tilt_estimate": None, "tilt_markers": None}
    markers = a.method is TiltMethod.MARKERS
    estimate = a.estimate_degrees
    if estimate is None and not markers:
        estimate = a.tilt_degrees
    return {
        "tilt_method": a.method.value,
        "tilt_estimate": estimate,
        "tilt_markers": a.tilt_degrees if markers else None,
    }


def analysis(
    session: Session, *, image: np.ndarray | None = None, silhouette_png: bytes | None = None
) -> Analysis:
    """A saved session as an ``Analysis``: its measures, verdict and landmarks, with ``image``
    (the decoded stored photo, RGB) when there is one. Without a photo, the silhouette is drawn
    as the image (dark person on white) so the aligned and ghost views still work."""
    mask = None
    if silhouette_png is not None:
        mask = silhouette.to_mask(silhouette_png, session.image_size)
        if image is None:
            gray = np.where(mask > 0.5, silhouette.PERSON, silhouette.BACKGROUND).astype(np.uint8)
            image = np.repeat(gray[:, :, None], 3, axis=2)
    measures = {
        name: Measure(
            name,
            value,
            session.units.get(name, ""),
            None if value is not None else session.reasons.get(name, "not measured"),
        )
        for name, value in session.measures.items()
    }
    assessment = Assessment(
        tilt_degrees=session.tilt_degrees,
        tilt_class=TiltClass(session.tilt_class) if session.tilt_class else None,
        confidence=session.confidence or 0.0,
        kendall=KendallType(session.kendall) if session.kendall else None,
        method=TiltMethod(session.method),
        estimate_degrees=session.tilt_estimate if session.tilt_method is not None else session.tilt_degrees,
    )
    return Analysis(
        status=Status.OK,
        image_size=session.image_size,
        model=session.model,
        version=session.version,
        facing=Facing(session.facing) if session.facing else None,
        landmarks=landmarks_from_json(session.landmarks) if session.landmarks else None,
        mask=mask,
        measures=measures,
        assessment=assessment,
        image=image,
    )
