"""Reports a person can keep: the measures as CSV and JSON, an HTML page that prints well, a PDF.

Every report records how it was made: the pose model, the thresholds
(``posture.assess.DEFAULT``), the package version and the time (UTC). A measure that could
not be made is written as "not measured" with its reason, never as a number. Images are
passed in ready to embed (annotated, and with the face blurred when the person asked for
it: see ``posture.privacy.blur_face``); nothing here reads or writes files.

``MEASURE_GUIDE`` holds the plain-language meaning and the normal range of every measure;
the app shows the same text.
"""

from __future__ import annotations

import base64
import csv
import importlib.util
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

import posture
from posture.assess import DEFAULT, Thresholds, resolved
from posture.compare import ComparisonRow, tilt_error_sentence
from posture.measures import CONVENTIONS
from posture.safety import DISCLAIMER, RED_FLAGS
from posture.types import Analysis

def method_note() -> str:
    """What the numbers are and how far off they can be, for the report."""
    return ("Estimates from one side-view photo: MediaPipe Pose landmarks and the person's outline. "
            "There are no pelvis or spine landmarks, so pelvic tilt and the lumbar curve come from "
            f"the back outline. {tilt_error_sentence()} Coaching, not a diagnosis.")


@dataclass(frozen=True)
class MeasureGuide:
    """What a measure means to the person, and the range taken as normal (with its source)."""

    label: str
    meaning: str
    normal: str


def measure_guide(t: Thresholds = DEFAULT) -> dict[str, MeasureGuide]:
    """One ``MeasureGuide`` per measure of ``CONVENTIONS``, ranges taken from ``t``."""
    guide = {
        "pelvic_tilt": MeasureGuide(
            "Pelvic tilt", "How far the front of your pelvis tips down (+) or up (−).",
            f"{t.posterior_below:g}° to {t.anterior_above:g}° is called neutral here; healthy "
            "people stand at about +11 to +13° on average, range 0 to 23° (Preece 2008)."),
        "lumbar_lordosis": MeasureGuide(
            "Lumbar curve", "How deep the hollow of your lower back is (0 = flat).",
            f"{t.lordosis_low:g}° to {t.lordosis_high:g}° is taken as normal here "
            "(angle between the back outline's tangents above and below the hollow)."),
        "sacral_inclination": MeasureGuide(
            "Sacrum outline", "Slope of the outline over the flat bone at the base of your "
            "spine; the pelvic tilt estimate is made from it.",
            "No published norm for this photo measure."),
        "trunk_inclination": MeasureGuide(
            "Trunk lean", "Whether your shoulders sit ahead of (+) or behind (−) your hips.",
            f"Near 0°; below {t.trunk_back:g}° (shoulders behind hips) is part of a sway-back."),
        "hip_flexion": MeasureGuide(
            "Hip bend", "Bend at the hip: + trunk forward over the thigh, − hips pushed forward.",
            "Near 0° in relaxed standing; no published norm for this photo measure."),
        "knee_flexion": MeasureGuide(
            "Knee bend", "Bend at the knee: + bent, − locked back (hyperextended).",
            "Near 0°: straight but not locked."),
        "head_forward": MeasureGuide(
            "Head forward", "How far your ear sits ahead of your shoulder, as an angle.",
            "Below about 40° (the same as a craniovertebral angle above 50°)."),
        "craniovertebral_proxy": MeasureGuide(
            "Neck angle", "Angle of the shoulder-to-ear line above the horizontal; smaller = "
            "more forward head.", "Above about 50°; below 50° is called forward head."),
        "ear_offset": MeasureGuide(
            "Ear vs plumb line", "How far your ear is ahead of (+) or behind (−) your ankle.",
            "Close to the line: ear, shoulder and hip stack slightly in front of the ankle "
            "in Kendall's ideal standing."),
        "shoulder_offset": MeasureGuide(
            "Shoulder vs plumb line", "How far your shoulder is ahead of (+) or behind (−) "
            "your ankle.", "Close to the line (Kendall's ideal standing)."),
        "hip_offset": MeasureGuide(
            "Hip vs plumb line", "How far your hip joint is ahead of (+) or behind (−) your "
            "ankle.", f"Close to the line; more than +{t.hip_forward:.0%} of your height "
            "counts as hips pushed forward."),
        "knee_offset": MeasureGuide(
            "Knee vs plumb line", "How far your knee is ahead of (+) or behind (−) your ankle.",
            "Slightly in front of the line (Kendall's ideal standing)."),
    }
    return {name: guide[name] for name in CONVENTIONS}


MEASURE_GUIDE: dict[str, MeasureGuide] = measure_guide()

_UNSIGNED = {"lumbar_lordosis", "craniovertebral_proxy"}


def format_value(name: str, value: float | None) -> str:
    """A measure as people read it: "+12.3°", "48.0°", "+3.1% of height" or "not measured"."""
    if value is None:
        return "not measured"
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


def format_error(row: ComparisonRow) -> str:
    """"±23.6° (benchmark)", "±6° (RESEARCH.md)", "±2% of height (provisional)"."""
    if row.unit == "deg":
        return f"±{row.error.value:g}° ({row.error.basis})"
    return f"±{row.error.value * 100:g}% of height ({row.error.basis})"


# --- provenance, CSV and JSON ------------------------------------------------------------

def provenance(model: str, *, thresholds: Thresholds = DEFAULT,
               created: datetime | None = None, face_blurred: bool = False) -> dict[str, Any]:
    """How a report was made: tool version, model file, thresholds, time (UTC), privacy."""
    created = created or datetime.now(timezone.utc)
    return {
        "tool": "posture",
        "version": posture.__version__,
        "model": model,
        "thresholds": asdict(resolved(thresholds)),
        "created_utc": created.astimezone(timezone.utc).isoformat(timespec="seconds"),
        "face_blurred": face_blurred,
        "method": method_note(),
    }


def measure_rows(analysis: Analysis) -> list[dict[str, Any]]:
    """One dict per measure: name, label, value (None when not made), unit, shown text,
    meaning, normal range and the reason it was not made."""
    rows = []
    for name, (unit, definition) in CONVENTIONS.items():
        measure = analysis.measures.get(name)
        value = measure.value if measure else None
        guide = MEASURE_GUIDE[name]
        rows.append({
            "name": name, "label": guide.label, "value": value, "unit": unit,
            "shown": format_value(name, value), "meaning": guide.meaning, "normal": guide.normal,
            "definition": definition,
            "reason": (measure.reason if measure else "not measured") if value is None else None,
        })
    return rows


def measures_csv(analysis: Analysis) -> str:
    """The measures as CSV: one row per measure, with model and version on every row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["measure", "value", "unit", "not_measured_reason", "model", "version"])
    for row in measure_rows(analysis):
        value = "" if row["value"] is None else f"{row['value']:.4g}"
        writer.writerow([row["name"], value, row["unit"], row["reason"] or "",
                         analysis.model, analysis.version])
    return out.getvalue()


def analysis_json(analysis: Analysis, *, routine: Any = None, face_blurred: bool = False,
                  created: datetime | None = None) -> str:
    """The analysis summary (``Analysis.to_dict``) with provenance and the routine chosen."""
    data = {
        "provenance": provenance(analysis.model, created=created, face_blurred=face_blurred),
        "analysis": analysis.to_dict(),
        "routine": _routine_summary(routine),
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def comparison_rows_dicts(rows: Sequence[ComparisonRow]) -> list[dict[str, Any]]:
    return [{"measure": r.name, "unit": r.unit, "first": r.first, "second": r.second,
             "difference": r.difference, "error": r.error.value, "error_source": r.error.source,
             "verdict": r.verdict, "note": r.note} for r in rows]


def comparison_csv(rows: Sequence[ComparisonRow], labels: tuple[str, str]) -> str:
    """The comparison table as CSV (difference = second − first)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["measure", "unit", "first_label", "first", "second_label", "second",
                     "difference", "error", "verdict", "error_source"])
    for r in rows:
        writer.writerow([r.name, r.unit, labels[0], _num(r.first), labels[1], _num(r.second),
                         _num(r.difference), f"{r.error.value:g}", r.verdict, r.error.source])
    return out.getvalue()


def comparison_json(first: Analysis, second: Analysis, rows: Sequence[ComparisonRow],
                    labels: tuple[str, str], *, face_blurred: bool = False,
                    created: datetime | None = None) -> str:
    data = {
        "provenance": provenance(first.model, created=created, face_blurred=face_blurred),
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
    return {"id": routine.id, "title": routine.title,
            "exercises": [item.exercise.name for item in routine.items]}


# --- HTML --------------------------------------------------------------------------------

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
.real { font-weight: 600; color: #8a1c00; }
.disclaimer { border: 1px solid #c90; background: #fff8e5; padding: .5rem .7rem; }
tr, img, .disclaimer, li { break-inside: avoid; page-break-inside: avoid; }
@page { size: A4; margin: 14mm; }
@media print { body { margin: 0; max-width: none; font-size: 9.5pt; }
  table { font-size: 8.5pt; } h2 { margin-top: 1rem; }
  .figure img { max-height: 120mm; } a { color: inherit; text-decoration: none; } }
"""


def image_data_uri(rgb: np.ndarray, *, quality: int = 88) -> str:
    """A JPEG ``data:`` URI of an RGB uint8 image, so the HTML needs no other file."""
    return "data:image/jpeg;base64," + base64.b64encode(jpeg_bytes(rgb, quality=quality)).decode()


def jpeg_bytes(rgb: np.ndarray, *, quality: int = 90) -> bytes:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="JPEG", quality=quality)
    return out.getvalue()


def png_bytes(rgb: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="PNG")
    return out.getvalue()


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>{body}</body></html>\n")


def _provenance_html(meta: dict[str, Any]) -> str:
    thresholds = " · ".join(f"{escape(k)} {v:g}" for k, v in meta["thresholds"].items())
    return (
        "<h2>How this was measured</h2>"
        f"<p class='small'>{escape(meta['method'])}</p>"
        "<table><tr><th>Tool version</th><th>Pose model</th><th>Created (UTC)</th>"
        "<th>Face blurred</th></tr>"
        f"<tr><td>posture {escape(meta['version'])}</td><td>{escape(meta['model'])}</td>"
        f"<td>{escape(meta['created_utc'])}</td><td>{'yes' if meta['face_blurred'] else 'no'}</td>"
        "</tr></table>"
        f"<p class='small'>Thresholds (posture.assess.DEFAULT, degrees or fraction of height): "
        f"{thresholds}</p>")


def verdict_text(analysis: Analysis) -> str:
    """"Posterior pelvic tilt, −18° (confidence 88%)" or why there is no verdict."""
    a = analysis.assessment
    if not analysis.ok:
        return "Not measured: " + (analysis.rejection.message if analysis.rejection else "")
    if a is None or a.tilt_class is None or a.tilt_degrees is None:
        return "Pelvic tilt: could not be estimated."
    return (f"{a.tilt_class.value.capitalize()} pelvic tilt, {a.tilt_degrees:+.0f}° "
            f"(confidence {a.confidence:.0%})")


def kendall_text(analysis: Analysis) -> str | None:
    a = analysis.assessment
    if a is None or a.kendall is None:
        return None
    return "Posture type (Kendall): " + a.kendall.value.replace("_", " ")


def _measures_table_html(analysis: Analysis) -> str:
    rows = "".join(
        f"<tr><td>{escape(r['label'])}</td><td class='num'>{escape(r['shown'])}</td>"
        f"<td>{escape(r['meaning'])}"
        + (f"<br><span class='small'>Not measured: {escape(r['reason'])}</span>" if r["reason"] else "")
        + f"</td><td class='small'>{escape(r['normal'])}</td></tr>"
        for r in measure_rows(analysis))
    return ("<table><tr><th>Measure</th><th>Value</th><th>What it means</th>"
            f"<th>Normal range</th></tr>{rows}</table>")


def _routine_html(routine: Any, screen: Any = None) -> str:
    if routine is None:
        return ""
    if screen is not None and screen.blocked:
        return ("<h2>Routine withheld: safety check</h2>"
                f"<p class='disclaimer'>{escape(screen.message)}</p>")
    parts = [f"<h2>{escape(routine.title)}</h2>", f"<p>{escape(routine.goal)}</p>"]
    for extra in (routine.note, routine.retake_advice):
        if extra:
            parts.append(f"<p><em>{escape(extra)}</em></p>")
    items = "".join(
        f"<li><strong>{escape(item.exercise.name)}</strong> — {escape(item.exercise.dose.describe())}"
        f"<br><span class='small'>{escape(item.why)}</span></li>" for item in routine.items)
    parts.append(f"<ol>{items}</ol><p class='small'>About {routine.total_minutes} minutes.</p>")
    return "".join(parts)


def _safety_html() -> str:
    questions = "".join(f"<li>{escape(flag.question)}</li>" for flag in RED_FLAGS)
    return ("<h2>Before you exercise</h2><p>If the answer to any of these questions is yes, do "
            f"not start: see a doctor first.</p><ul>{questions}</ul>"
            f"<p class='disclaimer'>{escape(DISCLAIMER)}</p>")


def photo_report_html(analysis: Analysis, image: np.ndarray | None, *, routine: Any = None,
                      screen: Any = None, face_blurred: bool = False,
                      title: str = "Posture report", created: datetime | None = None) -> str:
    """A self-contained HTML report (the image is embedded) that prints on A4.

    ``routine`` is a ``posture.routines.Routine``; with a blocked ``screen``
    (``posture.safety.ScreenResult``) its exercises are left out and the safety message is
    printed instead.
    """
    meta = provenance(analysis.model, created=created, face_blurred=face_blurred)
    verdict = [f"<p class='verdict'>{escape(verdict_text(analysis))}</p>"]
    kendall = kendall_text(analysis)
    if kendall:
        verdict.append(f"<p>{escape(kendall)}</p>")
    if analysis.assessment:
        verdict.extend(f"<p class='small'>{escape(note)}</p>" for note in analysis.assessment.notes)
    verdict.append("<p class='small'>Blue: skeleton; yellow dashes: plumb line through the "
                   "ankle; pink: lower-back outline; green bar: pelvis at the estimated tilt."
                   + (" Face blurred." if face_blurred else "") + "</p>")
    picture = ""
    if image is not None:
        picture = (f"<div class='figure'><img alt='The analysed photo with the measures drawn' "
                   f"src='{image_data_uri(image)}'></div>")
    body = [f"<h1>{escape(title)}</h1>",
            f"<p class='meta'>{escape(meta['created_utc'])} · posture {escape(meta['version'])}</p>",
            f"<div class='top'>{picture}<div>{''.join(verdict)}</div></div>"]
    body.append("<h2>Measures</h2>" + _measures_table_html(analysis))
    body.append(_routine_html(routine, screen))
    body.append(_safety_html())
    body.append(_provenance_html(meta))
    return _page(title, "".join(body))


def comparison_report_html(first: Analysis, second: Analysis, rows: Sequence[ComparisonRow],
                           labels: tuple[str, str], *, images: Sequence[np.ndarray] = (),
                           face_blurred: bool = False, title: str = "Posture comparison",
                           created: datetime | None = None) -> str:
    """A self-contained HTML comparison: the aligned pictures and the table of differences."""
    meta = provenance(first.model, created=created, face_blurred=face_blurred)
    body = [f"<h1>{escape(title)}</h1>",
            f"<p class='meta'>{escape(meta['created_utc'])} · posture {escape(meta['version'])}</p>"]
    for label, analysis in zip(labels, (first, second)):
        body.append(f"<p><strong>{escape(label)}:</strong> {escape(verdict_text(analysis))}</p>")
    if images:
        pictures = "".join(f"<img alt='comparison picture' src='{image_data_uri(im)}'>"
                           for im in images)
        body.append(f"<div class='figure row'>{pictures}</div><p class='small'>Scaled to the same "
                    "body height, ankles on one baseline." + (" Faces blurred." if face_blurred
                                                               else "") + "</p>")
    header = (f"<tr><th>Measure</th><th>{escape(labels[0])}</th><th>{escape(labels[1])}</th>"
              "<th>Difference</th><th>Error</th><th>Change</th></tr>")
    lines = "".join(
        f"<tr><td>{escape(MEASURE_GUIDE[r.name].label)}</td>"
        f"<td class='num'>{escape(format_value(r.name, r.first))}</td>"
        f"<td class='num'>{escape(format_value(r.name, r.second))}</td>"
        f"<td class='num'>{escape(format_difference(r))}</td>"
        f"<td class='num'>{escape(format_error(r))}</td>"
        f"<td class='nowrap{' real' if r.real else ''}'>{escape(r.verdict)}</td></tr>" for r in rows)
    sources = dict.fromkeys(r.error.source for r in rows)
    body.append("<h2>Measures</h2><p class='small'>Difference = second − first. A change is "
                "called real only when it is larger than the measure's error.</p>"
                f"<table>{header}{lines}</table>"
                + "".join(f"<p class='small'>Error source: {escape(s)}</p>" for s in sources))
    body.append(f"<p class='disclaimer'>{escape(DISCLAIMER)}</p>")
    body.append(_provenance_html(meta))
    return _page(title, "".join(body))


# --- PDF ---------------------------------------------------------------------------------

def _unicode_font() -> Path | None:
    """DejaVu Sans as shipped inside matplotlib (a pinned dependency), if present."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
    return path if path.is_file() else None


_LATIN1 = str.maketrans({"—": "-", "–": "-", "−": "-", "≈": "~", "≥": ">=", "≤": "<=",
                         "’": "'", "‘": "'", "“": '"', "”": '"', "…": "..."})


class _Pdf:
    """A small wrapper over fpdf2: one font (Unicode when DejaVu is found), A4 portrait."""

    def __init__(self, title: str):
        from fpdf import FPDF

        self.pdf = FPDF(format="A4")
        self.pdf.set_title(title)
        self.pdf.set_creator(f"posture {posture.__version__}")
        self.pdf.set_auto_page_break(True, margin=14)
        self.pdf.set_margins(14, 14, 14)
        font = _unicode_font()
        if font is not None:
            self.pdf.add_font("body", "", str(font))
            bold = font.with_name("DejaVuSans-Bold.ttf")
            self.pdf.add_font("body", "B", str(bold if bold.is_file() else font))
            self.family, self.unicode = "body", True
        else:
            self.family, self.unicode = "helvetica", False
        self.pdf.add_page()

    def text(self, value: str) -> str:
        if self.unicode:
            return value
        return value.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")

    def heading(self, value: str, size: float = 13) -> None:
        self.pdf.set_font(self.family, "B", size)
        self.pdf.ln(2)
        self.pdf.multi_cell(0, size * 0.5, self.text(value), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def para(self, value: str, size: float = 10, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.multi_cell(0, size * 0.5, self.text(value), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(0.8)

    def image(self, rgb: np.ndarray, *, width_mm: float, x: float | None = None) -> None:
        height_mm = width_mm * rgb.shape[0] / rgb.shape[1]
        if self.pdf.get_y() + height_mm > self.pdf.h - 14:
            self.pdf.add_page()
        self.pdf.image(io.BytesIO(jpeg_bytes(rgb)), x=x, w=width_mm)

    def images_row(self, images: Sequence[np.ndarray], *, height_mm: float) -> None:
        if self.pdf.get_y() + height_mm > self.pdf.h - 14:
            self.pdf.add_page()
        y, x = self.pdf.get_y(), self.pdf.l_margin
        for rgb in images:
            width = height_mm * rgb.shape[1] / rgb.shape[0]
            self.pdf.image(io.BytesIO(jpeg_bytes(rgb)), x=x, y=y, h=height_mm)
            x += width + 3
        self.pdf.set_y(y + height_mm + 2)

    def table(self, rows: Sequence[Sequence[str]], widths: Sequence[float], size: float = 8.5) -> None:
        self.pdf.set_font(self.family, "", size)
        with self.pdf.table(col_widths=tuple(widths), line_height=size * 0.5, padding=0.8,
                            text_align="LEFT", first_row_as_headings=True) as table:
            for row in rows:
                line = table.row()
                for cell in row:
                    line.cell(self.text(cell))
        self.pdf.ln(2)

    def provenance(self, meta: dict[str, Any]) -> None:
        self.heading("How this was measured", 11)
        self.para(meta["method"], 8.5)
        blurred = "yes" if meta["face_blurred"] else "no"
        self.para(f"posture {meta['version']} · model {meta['model']} · created "
                  f"{meta['created_utc']} UTC · face blurred: {blurred}", 8.5)
        self.table([("Threshold (posture.assess.DEFAULT)", "Value")]
                   + [(k, f"{v:g}") for k, v in meta["thresholds"].items()], (3, 1), size=8)

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())


def photo_report_pdf(analysis: Analysis, image: np.ndarray | None, *, routine: Any = None,
                     screen: Any = None, face_blurred: bool = False,
                     title: str = "Posture report", created: datetime | None = None) -> bytes:
    """The photo report as a PDF (A4); ``routine`` and ``screen`` as in ``photo_report_html``."""
    meta = provenance(analysis.model, created=created, face_blurred=face_blurred)
    doc = _Pdf(title)
    doc.heading(title, 16)
    doc.para(f"{meta['created_utc']} UTC · posture {meta['version']}", 8.5)
    doc.para(verdict_text(analysis), 12, bold=True)
    kendall = kendall_text(analysis)
    if kendall:
        doc.para(kendall)
    for note in analysis.assessment.notes if analysis.assessment else ():
        doc.para(note, 9)
    if image is not None:
        doc.image(image, width_mm=min(80.0, 110.0 * image.shape[1] / image.shape[0]))
        if face_blurred:
            doc.para("Face blurred.", 8)
    doc.heading("Measures")
    doc.table([("Measure", "Value", "What it means", "Normal range")]
              + [(r["label"], r["shown"],
                  r["meaning"] + (f" Not measured: {r['reason']}" if r["reason"] else ""),
                  r["normal"]) for r in measure_rows(analysis)], (2.2, 1.4, 4.2, 4.2))
    if routine is not None and screen is not None and screen.blocked:
        doc.heading("Routine withheld: safety check")
        doc.para(screen.message, 10, bold=True)
    elif routine is not None:
        doc.heading(routine.title)
        doc.para(routine.goal)
        for extra in (routine.note, routine.retake_advice):
            if extra:
                doc.para(extra, 9)
        for i, item in enumerate(routine.items, 1):
            doc.para(f"{i}. {item.exercise.name}: {item.exercise.dose.describe()}", 10)
        doc.para(f"About {routine.total_minutes} minutes.", 9)
    doc.heading("Before you exercise")
    doc.para("If the answer to any of these questions is yes, do not start: see a doctor first.")
    for flag in RED_FLAGS:
        doc.para(f"• {flag.question}", 9)
    doc.para(DISCLAIMER, 9, bold=True)
    doc.provenance(meta)
    return doc.bytes()


def comparison_report_pdf(first: Analysis, second: Analysis, rows: Sequence[ComparisonRow],
                          labels: tuple[str, str], *, images: Sequence[np.ndarray] = (),
                          face_blurred: bool = False, title: str = "Posture comparison",
                          created: datetime | None = None) -> bytes:
    """The comparison report as a PDF (A4)."""
    meta = provenance(first.model, created=created, face_blurred=face_blurred)
    doc = _Pdf(title)
    doc.heading(title, 16)
    doc.para(f"{meta['created_utc']} UTC · posture {meta['version']}", 8.5)
    for label, analysis in zip(labels, (first, second)):
        doc.para(f"{label}: {verdict_text(analysis)}")
    if images:
        doc.images_row(images, height_mm=90)
        doc.para("Scaled to the same body height, ankles on one baseline."
                 + (" Faces blurred." if face_blurred else ""), 8)
    doc.heading("Measures")
    doc.para("Difference = second − first. A change is called real only when it is larger "
             "than the measure's error.", 9)
    doc.table([("Measure", labels[0], labels[1], "Difference", "Error", "Change")]
              + [(MEASURE_GUIDE[r.name].label, format_value(r.name, r.first),
                  format_value(r.name, r.second), format_difference(r), format_error(r), r.verdict)
                 for r in rows], (2.4, 1.7, 1.7, 1.7, 1.6, 1.5))
    for source in dict.fromkeys(r.error.source for r in rows):
        doc.para(f"Error source: {source}", 8)
    doc.para(DISCLAIMER, 9, bold=True)
    doc.provenance(meta)
    return doc.bytes()
