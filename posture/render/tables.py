"""The measures and comparisons as data a person can keep: CSV and JSON, with provenance.

Every export records how it was made: the pose model, the thresholds with the error figure
used (``posture.assess``), the package version and the time (UTC).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import posture
from posture.assess import DEFAULT, Thresholds, resolved
from posture.assess.compare import ComparisonRow
from posture.assess.errors import ErrorFigures
from posture.measure.conventions import CONVENTIONS
from posture.render.cells import safe_row
from posture.render.handover import normal_ranges, range_word
from posture.render.wording import MEASURE_GUIDE, format_value, method_note, tilt_headline
from posture.types import Analysis, TiltMethod


def provenance(
    model: str,
    *,
    figures: ErrorFigures,
    thresholds: Thresholds = DEFAULT,
    created: datetime | None = None,
    face_blurred: bool = False,
) -> dict[str, Any]:
    """How a report was made: tool version, model file, thresholds, time (UTC), privacy."""
    created = created or datetime.now(UTC)
    return {
        "tool": "posture",
        "version": posture.__version__,
        "model": model,
        "thresholds": asdict(resolved(thresholds, figures)),
        "created_utc": created.astimezone(UTC).isoformat(timespec="seconds"),
        "face_blurred": face_blurred,
        "method": method_note(figures),
    }


def measure_rows(
    analysis: Analysis, corrected: Mapping[str, float | None] | None = None
) -> list[dict[str, Any]]:
    """One dict per measure: name, label, value (None when not made), unit, shown text,
    meaning, normal range, the reason it was not made, ``flag`` ("above normal", "below
    normal" or "") and ``note`` (the flag, and "corrected by hand (was …)" for the measures
    in ``corrected``: measure name -> the analyzer's value before a hand correction)."""
    corrected = corrected or {}
    markers = analysis.assessment is not None and analysis.assessment.method is TiltMethod.MARKERS
    rows = []
    for name, (unit, definition) in CONVENTIONS.items():
        measure = analysis.measures.get(name)
        value = measure.value if measure else None
        guide = MEASURE_GUIDE[name]
        rows.append(
            {
                "name": name,
                "label": guide.label
                + (" (markerless estimate)" if name == "pelvic_tilt" and markers else ""),
                "value": value,
                "unit": unit,
                "shown": format_value(name, value),
                "meaning": guide.meaning,
                "normal": guide.normal,
                "definition": definition,
                "reason": (measure.reason if measure else "not measured") if value is None else None,
                "flag": range_word(name, value),
                "note": ", ".join(
                    part
                    for part in (
                        range_word(name, value),
                        f"corrected by hand (was {format_value(name, corrected[name])})"
                        if name in corrected
                        else "",
                    )
                    if part
                ),
            }
        )
    return rows


MEASURES_CSV_COLUMNS: dict[str, str] = {
    "Measure": "The measure's plain name.",
    "Value": "The number, in the unit of the next column (empty when not measured).",
    "Unit": "degrees, or fraction of height (0.03 = 3% of the person's height).",
    "Against the typical range": "below, within or above the typical range; for the pelvic "
    "tilt also which way from typical.",
    "Typical range": "The range taken as typical here (its source is in docs/DATA.md).",
    "Why not measured": "Why the measure could not be made (empty when it was).",
    "Code": "The measure's stable name in the JSON export (posture.measure.conventions).",
    "Pose model": "The pose model file the landmarks came from.",
    "Version": "The posture package version that made the file.",
}
"""The columns of ``measures_csv`` and what each holds (its data dictionary, also in
docs/DATA.md)."""


def standing_text(name: str, value: float | None) -> str:
    """Where a value stands against its typical range, for the CSV: "within the typical
    range", "below the typical range", the pelvic tilt's headline, "no typical range" or ""."""
    if value is None:
        return ""
    if name == "pelvic_tilt":
        return tilt_headline(value)
    if name not in normal_ranges():
        return "no typical range"
    word = range_word(name, value)
    return word.replace("normal", "the typical range") if word else "within the typical range"


def measures_csv(analysis: Analysis) -> str:
    """The measures as CSV: one row per measure with readable headings (``MEASURES_CSV_COLUMNS``),
    with model and version on every row (text cells through ``posture.render.cells.safe_row``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(MEASURES_CSV_COLUMNS))
    for row in measure_rows(analysis):
        value = "" if row["value"] is None else f"{row['value']:.4g}"
        unit = "degrees" if row["unit"] == "deg" else "fraction of height"
        writer.writerow(
            safe_row(
                [
                    row["label"],
                    value,
                    unit,
                    standing_text(row["name"], row["value"]),
                    row["normal"],
                    row["reason"] or "",
                    row["name"],
                    analysis.model,
                    analysis.version,
                ]
            )
        )
    return out.getvalue()


def analysis_json(
    analysis: Analysis,
    *,
    figures: ErrorFigures,
    routine: Any = None,
    face_blurred: bool = False,
    created: datetime | None = None,
) -> str:
    """The analysis summary (``Analysis.to_dict``) with provenance and the routine chosen."""
    data = {
        "provenance": provenance(analysis.model, figures=figures, created=created, face_blurred=face_blurred),
        "analysis": analysis.to_dict(),
        "routine": _routine_summary(routine),
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def comparison_rows_dicts(rows: Sequence[ComparisonRow]) -> list[dict[str, Any]]:
    return [
        {
            "measure": r.name,
            "unit": r.unit,
            "first": r.first,
            "second": r.second,
            "difference": r.difference,
            "error": r.error.value,
            "error_source": r.error.source,
            "verdict": r.verdict,
            "note": r.note,
        }
        for r in rows
    ]


COMPARISON_CSV_COLUMNS: dict[str, str] = {
    "Measure": "The measure's plain name.",
    "Unit": "degrees, or fraction of height (0.03 = 3% of the person's height).",
    "First photo": "The first photo's label as typed on the Compare page.",
    "First value": "The measure in the first photo (empty when not measured).",
    "Second photo": "The second photo's label.",
    "Second value": "The measure in the second photo (empty when not measured).",
    "Difference": "Second value minus first value.",
    "Change limit (±)": "The smallest change that counts as real for this measure (empty when "
    "no limit was measured for it).",
    "Verdict": "real change, within error, cannot say (a photo lacks the measure), or not "
    "compared (no change limit measured for this measure).",
    "Where the limit comes from": "How the change limit was measured.",
    "Code": "The measure's stable name in the JSON export (posture.measure.conventions).",
}
"""The columns of ``comparison_csv`` and what each holds (also in docs/DATA.md)."""


def comparison_csv(rows: Sequence[ComparisonRow], labels: tuple[str, str]) -> str:
    """The comparison table as CSV with readable headings (``COMPARISON_CSV_COLUMNS``;
    difference = second − first; text cells through ``posture.render.cells.safe_row``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(COMPARISON_CSV_COLUMNS))
    for r in rows:
        writer.writerow(
            safe_row(
                [
                    MEASURE_GUIDE[r.name].label if r.name in MEASURE_GUIDE else r.name,
                    "degrees" if r.unit == "deg" else "fraction of height",
                    labels[0],
                    _num(r.first),
                    labels[1],
                    _num(r.second),
                    _num(r.difference),
                    f"{r.error.value:g}" if r.compared else "",
                    r.verdict,
                    r.error.source if r.compared else "",
                    r.name,
                ]
            )
        )
    return out.getvalue()


def comparison_json(
    first: Analysis,
    second: Analysis,
    rows: Sequence[ComparisonRow],
    labels: tuple[str, str],
    *,
    figures: ErrorFigures,
    face_blurred: bool = False,
    created: datetime | None = None,
) -> str:
    data = {
        "provenance": provenance(first.model, figures=figures, created=created, face_blurred=face_blurred),
        "labels": list(labels),
        "first": first.to_dict(),
        "second": second.to_dict(),
        "comparison": comparison_rows_dicts(rows),
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.4g}"


def _routine_summary(routine: Any) -> dict[str, Any] | None:
    if routine is None:
        return None
    return {
        "id": routine.id,
        "title": routine.title,
        "exercises": [item.exercise.name for item in routine.items],
    }
