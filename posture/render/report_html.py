"""The photo and comparison reports as one self-contained HTML page each (prints on A4).

A measure that could not be made is written as "not measured" with its reason, never as a
number. Images are passed in ready to embed (annotated, and with the face blurred when the
person asked for it: see ``posture.render.privacy.blur_face``); nothing here reads or writes
files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape
from typing import Any

import numpy as np

from posture.assess.compare import ComparisonRow
from posture.assess.errors import ErrorFigures, MarkerFigures
from posture.image.encode import image_data_uri
from posture.render.handover import Recipient, error_source_text, heading_lines, made_with
from posture.render.range_picture import tilt_picture
from posture.render.tables import measure_rows, provenance
from posture.render.wording import (
    MEASURE_GUIDE,
    TECHNICAL_DETAILS,
    format_difference,
    format_value,
    kendall_text,
    markers_text,
    overlay_key,
    technical_notes,
    tilt_number_text,
    verdict_text,
)
from posture.routines.safety import DISCLAIMER, RED_FLAGS
from posture.types import Analysis

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111;
       max-width: 50rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; }
.meta, .small { color: #555; font-size: .85rem; }
.verdict { font-size: 1.2rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .9rem; }
th, td { border: 1px solid #bbb; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #eee; } td.num { text-align: right; white-space: nowrap; }
.figure { display: flex; gap: .8rem; flex-wrap: wrap; }
.top { display: flex; gap: 1.2rem; align-items: flex-start; }
.top .figure { flex: 0 0 40%; } .top .figure img { width: 100%; }
.row { flex-wrap: nowrap; } .row img { flex: 1 1 0; min-width: 0; max-height: none; }
thead { display: table-header-group; }
td.nowrap { white-space: nowrap; }
.figure img { max-width: 100%; max-height: 60vh; border: 1px solid #ccc; }
.real, .out { font-weight: 600; color: #8a1c00; }
.disclaimer { border: 1px solid #c90; background: #fff8e5; padding: .5rem .7rem; }
tr, img, .disclaimer, li { break-inside: avoid; page-break-inside: avoid; }
@page { size: A4; margin: 14mm; }
@media print { body { margin: 0; max-width: none; font-size: 9.5pt; }
  table { font-size: 8.5pt; } h2 { margin-top: 1rem; }
  .figure img { max-height: 120mm; } a { color: inherit; text-decoration: none; } }
"""


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>{body}</body></html>\n"
    )


def _provenance_html(meta: dict[str, Any]) -> str:
    return (
        "<h2>How this was measured</h2>"
        f"<p class='small'>{escape(meta['method'])}</p>"
        f"<h3 class='small'>{escape(TECHNICAL_DETAILS)}</h3>"
        f"<p class='small'>{escape(made_with(meta))}</p>"
        + "".join(f"<p class='small'>{escape(note)}</p>" for note in technical_notes())
    )


def _heading_html(recipient: Recipient | None, created: datetime | None) -> str:
    return "".join(f"<p class='meta'>{escape(line)}</p>" for line in heading_lines(recipient, created))


def _measures_table_html(analysis: Analysis, corrected: Mapping[str, float | None] | None = None) -> str:
    rows = "".join(
        f"<tr><td>{escape(r['label'])}</td><td class='num{' out' if r['flag'] else ''}'>"
        f"{escape(r['shown'])}</td><td class='{'out' if r['flag'] else 'small'}'>{escape(r['note'])}</td>"
        f"<td>{escape(r['meaning'])}"
        + (f"<br><span class='small'>Not measured: {escape(r['reason'])}</span>" if r["reason"] else "")
        + f"</td><td class='small'>{escape(r['normal'])}</td></tr>"
        for r in measure_rows(analysis, corrected)
    )
    return (
        "<table><tr><th>Measure</th><th>Value</th><th>Note</th><th>What it means</th>"
        f"<th>Normal range</th></tr>{rows}</table>"
    )


def _routine_html(routine: Any, screen: Any = None) -> str:
    if routine is None:
        return ""
    if screen is not None and screen.blocked:
        return f"<h2>Routine withheld: safety check</h2><p class='disclaimer'>{escape(screen.message)}</p>"
    parts = [f"<h2>{escape(routine.title)}</h2>", f"<p>{escape(routine.goal)}</p>"]
    for extra in (routine.note, routine.retake_advice):
        if extra:
            parts.append(f"<p><em>{escape(extra)}</em></p>")
    items = "".join(
        f"<li><strong>{escape(item.exercise.name)}</strong> — {escape(item.exercise.dose.describe())}"
        f"<br><span class='small'>{escape(item.why)}</span></li>"
        for item in routine.items
    )
    parts.append(f"<ol>{items}</ol><p class='small'>About {routine.total_minutes} minutes.</p>")
    return "".join(parts)


def _safety_html() -> str:
    questions = "".join(f"<li>{escape(flag.question)}</li>" for flag in RED_FLAGS)
    return (
        "<h2>Before you exercise</h2><p>If the answer to any of these questions is yes, do "
        f"not start: see a doctor first.</p><ul>{questions}</ul>"
        f"<p class='disclaimer'>{escape(DISCLAIMER)}</p>"
    )


def photo_report_html(
    analysis: Analysis,
    image: np.ndarray | None,
    *,
    figures: ErrorFigures,
    routine: Any = None,
    screen: Any = None,
    face_blurred: bool = False,
    title: str = "Posture report",
    created: datetime | None = None,
    recipient: Recipient | None = None,
    corrected: Mapping[str, float | None] | None = None,
) -> str:
    """A self-contained HTML report (the image is embedded) that prints on A4.

    ``routine`` is a ``posture.routines.Routine``; with a blocked ``screen``
    (``posture.routines.safety.ScreenResult``) its exercises are left out and the safety message is
    printed instead. ``recipient`` names the client, the trainer and the session's date;
    ``corrected`` maps the measures recomputed after a hand correction to the analyzer's value.
    """
    meta = provenance(analysis.model, figures=figures, created=created, face_blurred=face_blurred)
    verdict = [f"<p class='verdict'>{escape(verdict_text(analysis))}</p>"]
    scale = tilt_picture(analysis)
    if scale:
        verdict.append(f"<div class='range'>{scale}</div>")
    number = tilt_number_text(analysis)
    if number:
        verdict.append(
            f"<details><summary>Your number and how it is measured</summary><p>{escape(number)}</p></details>"
        )
    kendall = kendall_text(analysis)
    if kendall:
        verdict.append(f"<p>{escape(kendall)}</p>")
    marker_line = markers_text(analysis, MarkerFigures.load())
    if marker_line:
        verdict.append(f"<p>{escape(marker_line)}</p>")
    if analysis.assessment:
        verdict.extend(f"<p class='small'>{escape(note)}</p>" for note in analysis.assessment.notes)
    verdict.append(
        "<p class='small'>"
        + escape(overlay_key(analysis))
        + (" Face blurred." if face_blurred else "")
        + "</p>"
    )
    picture = ""
    if image is not None:
        picture = (
            f"<div class='figure'><img alt='The analysed photo with the measures drawn' "
            f"src='{image_data_uri(image)}'></div>"
        )
    body = [
        f"<h1>{escape(title)}</h1>",
        _heading_html(recipient, created),
        f"<div class='top'>{picture}<div>{''.join(verdict)}</div></div>",
    ]
    body.append("<h2>Measures</h2>" + _measures_table_html(analysis, corrected))
    body.append(_routine_html(routine, screen))
    body.append(_safety_html())
    body.append(_provenance_html(meta))
    return _page(title, "".join(body))


def comparison_report_html(
    first: Analysis,
    second: Analysis,
    rows: Sequence[ComparisonRow],
    labels: tuple[str, str],
    *,
    figures: ErrorFigures,
    images: Sequence[np.ndarray] = (),
    face_blurred: bool = False,
    title: str = "Posture comparison",
    created: datetime | None = None,
) -> str:
    """A self-contained HTML comparison: the aligned pictures and the table of differences."""
    meta = provenance(first.model, figures=figures, created=created, face_blurred=face_blurred)
    body = [
        f"<h1>{escape(title)}</h1>",
        _heading_html(None, created),
    ]
    for label, analysis in zip(labels, (first, second)):
        body.append(f"<p><strong>{escape(label)}:</strong> {escape(verdict_text(analysis))}</p>")
    if images:
        pictures = "".join(f"<img alt='comparison picture' src='{image_data_uri(im)}'>" for im in images)
        body.append(
            f"<div class='figure row'>{pictures}</div><p class='small'>Scaled to the same "
            "body height, ankles on one baseline." + (" Faces blurred." if face_blurred else "") + "</p>"
        )
    header = (
        f"<tr><th>Measure</th><th>{escape(labels[0])}</th><th>{escape(labels[1])}</th>"
        "<th>Difference</th><th>Error</th><th>Change</th></tr>"
    )
    lines = "".join(
        f"<tr><td>{escape(MEASURE_GUIDE[r.name].label)}</td>"
        f"<td class='num'>{escape(format_value(r.name, r.first))}</td>"
        f"<td class='num'>{escape(format_value(r.name, r.second))}</td>"
        f"<td class='num'>{escape(format_difference(r))}</td>"
        f"<td class='num'>{escape(error_source_text(r.error.basis, r.error.value, r.unit))}</td>"
        f"<td class='nowrap{' real' if r.real else ''}'>{escape(r.verdict)}</td></tr>"
        for r in rows
    )
    body.append(
        "<h2>Measures</h2><p class='small'>Difference = second − first. A change is "
        "called real only when it is larger than the measure's error.</p>"
        f"<table>{header}{lines}</table>"
    )
    body.append(f"<p class='disclaimer'>{escape(DISCLAIMER)}</p>")
    body.append(_provenance_html(meta))
    return _page(title, "".join(body))
